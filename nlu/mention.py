"""What the time readers hand each other: a Mention (a day, time of day or
relative expression found at a position in normalized text) and Pt (a clock
time as written, before the opening hours say which half of the day)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from . import lexicon_en, lexicon_es

DAY = timedelta(days=1)

WD = {**lexicon_en.WEEKDAYS, **lexicon_es.WEEKDAYS}
MONTH = {**lexicon_en.MONTHS, **lexicon_es.MONTHS}


def trie(words: list[str]) -> str:
    """The alternation of literal words as a prefix tree ("a(?:bril|gosto|pril|ugust)|..."):
    the engine then tests a shared first letter once instead of once per word. For words
    sorted longest first it matches exactly what "|".join(words) matches, preferring the
    same words: words that can match at one place are prefixes of one another, and both
    forms try the longer first."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}                       # a word ends here

    def emit(node: dict) -> str:
        # dicts keep insertion order: a branch comes where its first word came
        alts = ["" if ch == "" else re.escape(ch) + emit(child) for ch, child in node.items()]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(root)


WD_RE = trie(sorted(WD, key=len, reverse=True))
MONTH_RE = trie(sorted(MONTH, key=len, reverse=True))


_DIGIT = re.compile(r"\d")


def digits_of(s: str) -> tuple[int, list[int] | None]:
    """Where s's first digit is (len(s) when none) and where its digits are (None when more
    than a dozen; see fastre.digit_starts). The day and clock readers both need these:
    find_mentions() finds them once for both."""
    out: list[int] | None = []
    for m in _DIGIT.finditer(s):
        if len(out) == 12:
            out = None
            break
        out.append(m.start())
    if out is None:
        return _DIGIT.search(s).start(), None
    return (out[0] if out else len(s)), out


@dataclass(slots=True)       # slots: several are made per message; no per-instance dict
class Mention:
    kind: str          # "day" | "time" | "rel" | "same_time" | "exact"
    s: int
    e: int
    data: object
    ref: bool = False
    sub: str = ""          # which pattern found it ("weekday", "next_week", ...)
    wd: int = -1           # for weekdays: 0 = Monday
    bare: bool = False     # a weekday without next/this-week qualifiers
    nxt: bool = False      # a weekday said with "next" / "que viene"
    names: bool = False    # a ref because it names the appointment ("my highlights on wednesday"), not a negation or reason


@dataclass(frozen=True)
class Pt:
    h: int
    m: int = 0
    ap: str | None = None


def pt(h: int, m: int = 0, ap: str | None = None) -> Pt:
    """Pt(h, m, ap), the same object made without the frozen dataclass's __init__ (an
    object.__setattr__ call per field): the clock reader makes one for each time it reads."""
    p = _new(Pt)
    d = p.__dict__
    d["h"] = h
    d["m"] = m
    d["ap"] = ap
    return p


_new = object.__new__


class Claims:
    """The mentions a reader has found, and the spans of text they took: a later
    (lower-priority) pattern may not read the same characters again."""

    __slots__ = ("spans", "found")

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []
        self.found: list[Mention] = []

    def free(self, a: int, b: int) -> bool:
        for x, y in self.spans:
            if not (b <= x or a >= y):
                return False
        return True

    def claim(self, mention: Mention) -> None:
        self.spans.append((mention.s, mention.e))
        self.found.append(mention)
