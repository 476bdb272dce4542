"""Which of the readers' gate literals a text holds: one scan for all of them.

The readers (days.py, clock.py, intents.py, timeparse.py) skip each pattern
whose needed literals (fastre.required_literals, or a reader's own need words)
are all absent from the text. Testing those literals one `in` at a time meant a
few hundred Python-level tests per message, reader by reader, each over the
whole text. Here every literal of every reader goes into one prefix-tree regex
(mention.trie), and one C-level `findall` of it, as a look-ahead, reports at
each position of the text the longest literal that starts there.

A literal occurs in the text exactly when it is a prefix of one of those
reports: where it occurs, the longest literal starting there is at least as
long and starts with it. Each reader's items (patterns, rules) are a `Table`
with its own range of bits in one shared number; per reported literal, the
bits of every item that literal (or a prefix of it) lets through are worked out
once, so `scan()` is one findall and one short loop, and each reader takes its
bits from the result. The answers are the `in` tests' exactly; only their cost
changes.
"""
from __future__ import annotations

import re

from . import fastre
from .mention import trie

_tables: list[Table] = []
_built: list = [None, None, -1]    # the scan regex, bits per reported literal, tables built for


def _build() -> tuple[re.Pattern, dict[str, int]]:
    words = {w for t in _tables for w in t.own if not w.startswith("<")}
    rx = re.compile("(?=(" + trie(sorted(words, key=lambda w: (-len(w), w))) + "))")
    bits = dict.fromkeys(words, 0)
    for t in _tables:
        for w, b in t.own.items():
            if not w.startswith("<"):
                for x in words:
                    if x.startswith(w):
                        bits[x] |= b << t.off
    _built[:] = [rx, bits, len(_tables)]
    return rx, bits


def scan(s: str) -> int:
    """The items of every Table that the literals of s let through, as one number."""
    rx, bits, size = _built
    if size != len(_tables):        # built once, after every reader has made its tables
        rx, bits = _build()
    reports = rx.findall(s)
    if len(reports) > 32:           # a long text: each literal once
        reports = set(reports)
    m = 0
    for x in reports:
        m |= bits[x]
    return m


class Table:
    """One reader's items, in order: item i needs one of needs[i] ("" stands for nothing
    needed). Needs written "<...>" are facts the reader tells itself and passes as `facts`;
    the others are literals, looked for by scan()."""

    __slots__ = ("own", "off", "size", "full", "always", "facts")

    def __init__(self, needs: list[frozenset[str]]):
        # a one-letter literal is in nearly every message: an item that may need only that
        # is tried always, which spares the scan a report at each of those letters
        needs = [frozenset({""}) if any(len(w) == 1 and w.isalpha() for w in need) else need for need in needs]
        self.own: dict[str, int] = {}        # need -> the items that need it, as bits
        for i, need in enumerate(needs):
            for w in need:
                if w:
                    self.own[w] = self.own.get(w, 0) | (1 << i)
        self.always = sum(1 << i for i, need in enumerate(needs) if "" in need)
        self.facts = {w: b for w, b in self.own.items() if w.startswith("<")}
        self.off = _tables[-1].off + _tables[-1].size if _tables else 0
        self.size = len(needs)
        self.full = (1 << len(needs)) - 1
        _tables.append(self)

    def mask(self, present: int, facts=()) -> int:
        """The items let through (bit i: item i), from scan()'s number and the reader's facts."""
        m = (present >> self.off) & self.full | self.always
        for f in facts:
            m |= self.facts.get(f, 0)
        return m


def split_gate(rx) -> tuple[frozenset[str], object]:
    """A pattern's literal gate and the pattern behind it, so that a Table tells the gate:
    a fastre.GatedPattern's needs and its plain regex; for a plain regex, the literals its
    matches hold (fastre.required_literals), which fastre.compile leaves untested when
    `in` tests would cost more than they save, but which cost next to nothing here; ({""},
    rx) for any other (an EndPattern keeps its own test, one str.endswith)."""
    if isinstance(rx, fastre.GatedPattern):
        return frozenset(rx.needs), rx.rx
    if isinstance(rx, re.Pattern):
        return fastre.required_literals(rx.pattern, rx.flags) or frozenset({""}), rx
    return frozenset({""}), rx


def indices(m: int) -> list[int]:
    """The bits set in m, lowest first: the items a mask lets through, in order."""
    out = []
    while m:
        low = m & -m
        out.append(low.bit_length() - 1)
        m ^= low
    return out
