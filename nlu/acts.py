"""The small intents, learned: what a short message does ("act": yes, no, thanks,
I'll come, cancel, running late, a question about the appointment, ...) when the
hand-written rules (intents.py) have no confident reading of it.

The rules know the requests and their times; clients say yes, no, thanks, "I'll be
there" or "count me out" in more ways than rules can list. A linear model over
word and character n-grams, trained on a labelled corpus the project keeps
(nlu/data/acts.txt, by `python -m nlu.train`, fixed seed), reads those. Its
weights are in nlu/acts_model.json; inference is plain Python here (no numpy, no
scikit-learn at run time): a message's score is the sum of the weights of its
features, and a word's character n-grams are summed once per word (cached, the
vocabulary of SMS is small), so a message costs a few vector additions.

What an act means depends on what the bot asked: `intent_of()`.
"""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from operator import add
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("acts_model.json")
MAX_CHARS = 200         # longer messages are requests with reasons, for the rules; this bounds the cost

_TOKEN = re.compile(r"[a-z0-9]+|\?")
_NGRAM = (3, 4, 5)


def word_features(w: str) -> list[str]:
    """A word's own features: itself, and its character n-grams with the word's edges marked."""
    padded = f"<{w}>"
    out = ["w:" + w]
    n_chars = len(padded)
    for n in _NGRAM:
        if n > n_chars:
            break
        out.extend("c:" + padded[i:i + n] for i in range(n_chars - n + 1))
    return out


def pair_features(words: list[str]) -> list[str]:
    """Features of neighbouring words, the message's first and last word marked."""
    seq = ["^", *words, "$"]
    return ["b:" + a + "_" + b for a, b in zip(seq, seq[1:])]


def tokens(norm: str) -> list[str]:
    return _TOKEN.findall(norm[:MAX_CHARS])


def features(norm: str) -> list[str]:
    """Every feature of one normalized message (normalize.normalize's output); the
    trainer and the reader both use this."""
    words = tokens(norm)
    out: list[str] = []
    for w in words:
        out.extend(word_features(w))
    out.extend(pair_features(words))
    return out


class _Model:
    def __init__(self, path: Path = MODEL_PATH):
        data = json.loads(path.read_text(encoding="utf-8"))
        self.acts: tuple[str, ...] = tuple(data["acts"])
        self.bias: list[float] = data["bias"]
        self.weights: dict[str, list[float]] = data["weights"]
        self.word = lru_cache(maxsize=8192)(self._word)

    def _word(self, w: str) -> tuple[float, ...] | None:
        """The summed weights of one word's features (None when it has none)."""
        acc = None
        get = self.weights.get
        for f in word_features(w):
            v = get(f)
            if v is not None:
                acc = v if acc is None else list(map(add, acc, v))
        return None if acc is None else tuple(acc)

    def scores(self, norm: str) -> list[float]:
        words = tokens(norm)
        acc = self.bias
        word = self.word
        for w in words:
            v = word(w)
            if v is not None:
                acc = list(map(add, acc, v))
        get = self.weights.get
        for f in pair_features(words):
            v = get(f)
            if v is not None:
                acc = list(map(add, acc, v))
        return acc

    def probabilities(self, norm: str) -> list[float]:
        """Each act's probability (softmax of the scores), in the order of self.acts."""
        s = self.scores(norm)
        top = max(s)
        exp = [math.exp(x - top) for x in s]
        total = sum(exp)
        return [e / total for e in exp]

    def predict(self, norm: str) -> tuple[str, float]:
        """The likeliest act and its probability."""
        if not tokens(norm):
            return "unknown", 1.0
        p = self.probabilities(norm)
        best = max(p)
        return self.acts[p.index(best)], best

    def predict_intent(self, norm: str, awaiting: str) -> tuple[str, float, str]:
        """The likeliest intent given what the bot asked, its probability (the acts that
        mean it there added up: to a reminder, "yes" and "I'll come" both confirm), and
        the likeliest act behind it."""
        if not tokens(norm):
            return "unknown", 1.0, "unknown"
        p = self.probabilities(norm)
        by_intent: dict[str, float] = {}
        for act, q in zip(self.acts, p):
            i = intent_of(act, awaiting)
            by_intent[i] = by_intent.get(i, 0.0) + q
        intent = max(by_intent, key=by_intent.__getitem__)
        act = max((a for a in self.acts if intent_of(a, awaiting) == intent), key=lambda a: p[self.acts.index(a)])
        return intent, by_intent[intent], act


_MODEL = _Model()        # read at import, like every pattern: no message pays for it


def model() -> _Model:
    return _MODEL


def predict(norm: str) -> tuple[str, float]:
    return _MODEL.predict(norm)


def predict_intent(norm: str, awaiting: str) -> tuple[str, float, str]:
    return _MODEL.predict_intent(norm, awaiting)


# What an act is, by what the bot asked (`awaiting`).
_YES = {"reminder_reply": "confirm_appointment", "cancel_confirmation": "affirm",
        "reschedule_confirmation": "affirm", "slot_choice": "affirm", "which_appointment": "unknown",
        "none": "affirm"}
_CONFIRM = {"cancel_confirmation": "deny",          # "I'll be there": keep it, do not cancel
            "reschedule_confirmation": "affirm"}
_CANCEL = {"cancel_confirmation": "affirm"}         # asked "cancel it?", "won't need it anymore": yes


def intent_of(act: str, awaiting: str) -> str:
    if act == "yes":
        return _YES.get(awaiting, "affirm")
    if act == "no":
        return "deny"
    if act == "confirm":
        return _CONFIRM.get(awaiting, "confirm_appointment")
    if act == "cancel":
        return _CANCEL.get(awaiting, "cancel")
    return act
