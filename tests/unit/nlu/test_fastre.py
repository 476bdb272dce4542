"""The fast paths of nlu/fastre.py answer exactly what the plain patterns answer.

Each shortcut rests on a property of a pattern (literals every match contains,
strings every match ends with, matches begin with a digit, a prefix tree of a
word list); these tests check the property against matches drawn from the
pattern itself and against the phrases of the evaluation files, for every
pattern in nlu/.
"""
from __future__ import annotations

import json
import random
import re
from pathlib import Path
from re import _constants as C, _parser as P

import pytest

from nlu import clock, days, fastre, intents, keywords, language, mention, normalize, pipeline, reference, relative, timeparse

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
_MODULES = (clock, days, intents, keywords, language, normalize, pipeline, reference, relative, timeparse)


def _raw(p):
    return getattr(p, "rx", p)


def _all_patterns() -> list[tuple[str, re.Pattern]]:
    out = []
    for mod in _MODULES:
        for name, v in vars(mod).items():
            if isinstance(v, (re.Pattern, fastre.GatedPattern, fastre.EndPattern)):
                out.append((f"{mod.__name__}.{name}", _raw(v)))
            elif isinstance(v, list):
                for i, item in enumerate(v):
                    if isinstance(item, tuple) and item and isinstance(item[0], (re.Pattern, fastre.GatedPattern, fastre.EndPattern)):
                        out.append((f"{mod.__name__}.{name}[{i}]", _raw(item[0])))
    return out


PATTERNS = _all_patterns()
GATED = [(n, rx, fastre.required_literals(rx.pattern, rx.flags & ~re.UNICODE)) for n, rx in PATTERNS]
GATED = [g for g in GATED if g[2]]
ENDED = [(n, rx, fastre.end_literals(rx.pattern, rx.flags & ~re.UNICODE)) for n, rx in PATTERNS]
ENDED = [e for e in ENDED if e[2]]
DIGIT_FIRST = [(n, rx) for n, rx in PATTERNS if fastre.starts_with_digit(rx.pattern)]
_CATEGORY_CHARS = {C.CATEGORY_DIGIT: "0123456789", C.CATEGORY_SPACE: " \t", C.CATEGORY_WORD: "abz09_",
                   C.CATEGORY_NOT_WORD: " ,.!", C.CATEGORY_NOT_SPACE: "ab1,", C.CATEGORY_NOT_DIGIT: "ab ,"}


def _sample(seq, rng: random.Random) -> str:
    """A string built along the pattern (look-arounds ignored): often a match, always close to one."""
    out = []
    for op, av in seq:
        if op is C.LITERAL:
            out.append(chr(av))
        elif op is C.NOT_LITERAL or op is C.ANY:
            out.append(rng.choice([c for c in "ab 1,." if op is C.ANY or ord(c) != av]))
        elif op is C.IN:
            chars, negate = [], False
            for o, a in av:
                if o is C.LITERAL:
                    chars.append(chr(a))
                elif o is C.RANGE:
                    chars += [chr(x) for x in range(a[0], min(a[1], a[0] + 30) + 1)]
                elif o is C.CATEGORY:
                    chars += list(_CATEGORY_CHARS.get(a, "a"))
                elif o is C.NEGATE:
                    negate = True
            if negate:
                chars = [c for c in "abcdefgh 1,.:" if c not in chars] or ["z"]
            out.append(rng.choice(chars or ["a"]))
        elif op is C.SUBPATTERN:
            out.append(_sample(av[3], rng))
        elif op is C.ATOMIC_GROUP:
            out.append(_sample(av, rng))
        elif op is C.BRANCH:
            out.append(_sample(rng.choice(av[1]), rng))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, hi, inner = av
            out.append("".join(_sample(inner, rng) for _ in range(rng.randint(lo, min(hi, lo + 2)))))
    return "".join(out)


def _corpus() -> list[str]:
    texts = []
    for path in (SHARED / "nlu-eval" / "dev.jsonl", Path(__file__).with_name("extra_cases.jsonl"),
                 SHARED / "peer-suites" / "duckling_time_en.jsonl", SHARED / "peer-suites" / "duckling_time_es.jsonl"):
        if path.exists():
            with path.open(encoding="utf-8") as f:
                texts += [json.loads(line)["text"] for line in f if line.strip()]
    out = set()
    for t in texts:
        n = normalize.normalize(t)
        out |= {t.lower(), n, timeparse.blank_non_times(n)}
    return sorted(out)


CORPUS = _corpus()


def _texts_for(rx: re.Pattern, rng: random.Random, n: int = 200) -> list[str]:
    parsed = P.parse(rx.pattern, rx.flags & ~re.UNICODE)
    made = [rng.choice(["", "x ", "at ", "el ", "9 ", "  "]) + _sample(parsed.data, rng) + rng.choice(["", " ", " x", " pm", "?"])
            for _ in range(n)]
    return made + CORPUS[::9]


@pytest.mark.parametrize("name,rx,needs", GATED, ids=[g[0] for g in GATED])
def test_gate_literals_are_in_every_match(name, rx, needs):
    rng = random.Random(name)
    for s in _texts_for(rx, rng):
        if rx.search(s):
            assert any(n in s for n in needs), (s, needs)


@pytest.mark.parametrize("name,rx,ends", ENDED, ids=[e[0] for e in ENDED])
def test_end_strings_end_every_match(name, rx, ends):
    rng = random.Random(name)
    texts = _texts_for(rx, rng) + [c[max(0, k - 60):k] for c in CORPUS[::5] for k in range(0, len(c) + 1, 3)]
    for s in texts:
        if rx.search(s):
            assert s.rstrip().endswith(ends), (s, ends)


@pytest.mark.parametrize("name,rx", DIGIT_FIRST, ids=[d[0] for d in DIGIT_FIRST])
def test_digit_first_patterns_tried_at_the_digits_find_the_same(name, rx):
    rng = random.Random(name)
    digit = re.compile(r"\d")
    for s in _texts_for(rx, rng) + ["1:1:1:1 12/3/12 at 3 at 3 " * 3]:
        starts = [m.start() for m in digit.finditer(s)]
        assert [m.span() for m in fastre.finditer_at(rx, s, starts)] == [m.span() for m in rx.finditer(s)], s


def test_starts_with_digit():
    assert fastre.starts_with_digit(r"(?<![\d:./])(?P<h>[01]?\d|2[0-3])x")
    assert fastre.starts_with_digit(r"\b(?P<y>20\d\d)-")
    assert not fastre.starts_with_digit(r"\d?x")
    assert not fastre.starts_with_digit(r"(?:\d|)x")
    assert not fastre.starts_with_digit(r"[0-9a]")
    assert not fastre.starts_with_digit(r"\d*")


def test_gated_and_end_patterns_answer_like_the_plain_ones():
    rng = random.Random(7)
    for name, rx in PATTERNS:
        fast = fastre.compile(rx.pattern, rx.flags & ~re.UNICODE)
        for s in _texts_for(rx, rng, 60):
            a, b = rx.search(s), fast.search(s)
            assert (a and a.span()) == (b and b.span()), (name, s)
            assert [m.span() for m in rx.finditer(s)] == [m.span() for m in fast.finditer(s)], (name, s)
            assert rx.sub("#", s) == fast.sub("#", s) if hasattr(fast, "sub") else True


def test_word_trees_match_like_the_word_lists():
    rng = random.Random(3)
    for words in (sorted(mention.WD, key=len, reverse=True), sorted(mention.MONTH, key=len, reverse=True),
                  ["abcd", "abc", "ab", "b", "a"]):
        plain = re.compile(r"\b(?P<w>" + "|".join(words) + r")(?P<rest>\w*)")
        tree = re.compile(r"\b(?P<w>" + mention.trie(words) + r")(?P<rest>\w*)")
        texts = CORPUS[::3] + [" ".join(rng.choice(words) + rng.choice(["", "s", "o", " "]) for _ in range(4)) for _ in range(300)]
        for s in texts:
            assert [(m.span(), m.groupdict()) for m in plain.finditer(s)] == \
                   [(m.span(), m.groupdict()) for m in tree.finditer(s)], s


def test_intent_patterns_match_where_their_parts_do():
    rng = random.Random(5)
    parts = [r"\bcall me\b", r"\b(?<!no )voy a ir\b", r"^(?:hi|hello)\b", r"\bx|y\b", r"[|]\bz"]
    joined = re.compile("|".join(parts))
    grouped = intents._rx(*parts)
    for s in CORPUS[::5] + ["call me", "no voy a ir", "voy a ir", "hi there", "x", "ay", "|z", "a|z"] + \
            ["".join(rng.choice(["call", " me", "x", "y", "|", "z", "hi", " "]) for _ in range(5)) for _ in range(500)]:
        assert bool(joined.search(s)) == bool(grouped.search(s)), s
    assert intents._top_level_bar(r"a|b") and not intents._top_level_bar(r"(?:a|b)") and not intents._top_level_bar(r"[|]")


def test_shared_gates_and_wanted():
    pats = [rx.pattern for rx, _name in clock._PART_WORDS]
    pieces, needs = fastre.shared_gates(pats)
    bits = fastre.need_bits(needs)
    for s in CORPUS:
        present = {p for p in pieces if p in s} | {""}
        chosen = set(fastre.wanted(bits, present))
        for i, p in enumerate(pats):
            if re.search(p, s):
                assert i in chosen, (s, p)
        assert sorted(chosen) == [i for i, n in enumerate(needs) if not present.isdisjoint(n)]


def _day_and_clock_bounds(s: str) -> dict:
    """The start positions find_days and find_times search from (see their comments)."""
    out = {None: 0}
    d = clock._DIGIT.search(s)
    if d:
        at = d.start()
        while at > 0 and s[at - 1].isspace():
            at -= 1
        out["cue"] = max(0, at - clock._CUE_LONGEST)
    wd = days._WD_ANY.search(s)
    if wd:
        out["wd"] = at = wd.start()
        while at > 0 and s[at - 1].isspace():
            at -= 1
        out["qualified_wd"] = max(0, at - days._QUALIFIER_LONGEST)
    month = days._MONTH_ANY.search(s)
    if month:
        out["month"] = month.start()
    return out


_BOUNDED = [(f"clock.{kind}", _raw(rx), starts) for rx, kind, _n, starts in clock._SCAN if starts == "cue"] + \
           [(f"days.{kind}", _raw(rx), starts) for rx, kind, _n, starts in days._GATED_PATTERNS
            if starts in ("wd", "month", "qualified_wd")]


@pytest.mark.parametrize("name,rx,starts", _BOUNDED, ids=[f"{b[0]}-{i}" for i, b in enumerate(_BOUNDED)])
def test_searches_from_a_later_start_find_the_same(name, rx, starts):
    rng = random.Random(name)
    words = ["next", "the next", "this coming", " ", "   ", "\t", "monday", "lunes", "fridays", "xmonday",
             "3", "at", "@", "approximately", "dec", "december", "mayo", "x", ","]
    texts = _texts_for(rx, rng) + ["".join(rng.choice(words) for _ in range(rng.randint(1, 8))) for _ in range(400)]
    for s in texts:
        at = _day_and_clock_bounds(s).get(starts)
        full = [(m.span(), m.groups()) for m in rx.finditer(s)]
        if at is None:
            assert not full, s
        else:
            assert [(m.span(), m.groups()) for m in rx.finditer(s, at)] == full, s
