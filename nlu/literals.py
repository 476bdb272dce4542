"""Which of the readers' gate literals a text holds: one scan for all of them.

The readers (days.py, clock.py, intents.py) skip each pattern whose needed
literals (fastre.required_literals, or a reader's own need words) are all
absent from the text. Testing those literals one `in` at a time meant a few
hundred Python-level tests per message, reader by reader, each over the whole
text. Here every literal of every reader goes into one prefix-tree regex
(mention.trie), and one C-level `findall` of it, as a look-ahead, reports at each
position of the text the longest literal that starts there.

A literal occurs in the text exactly when it is a prefix of one of those
reports: where it occurs, the longest literal starting there is at least as long
and starts with it. So each reader keeps a `Table` from a reported literal to
the bits of the items (patterns) that literal, or a prefix of it, lets through,
and one list of reports answers every reader. The answers are the `in` tests'
exactly; only their cost changes.
"""
from __future__ import annotations

import re

from .mention import trie

_words: set[str] = set()
_scanner: list = [None, 0]       # the compiled scan, and how many words it was built for


def found(s: str):
    """The longest registered literal at each position of s where one starts (each
    once, for a long text)."""
    rx, size = _scanner
    if rx is None or size != len(_words):       # built once, after every reader has registered
        rx = re.compile("(?=(" + trie(sorted(_words, key=lambda w: (-len(w), w))) + "))")
        _scanner[:] = [rx, len(_words)]
    reports = rx.findall(s)
    return reports if len(reports) <= 32 else set(reports)


class Table:
    """For one reader's items (item i needs one of needs[i]; "" stands for nothing needed):
    the items the reports of found() let through, as in fastre.wanted. Needs written
    "<...>" are facts the reader tells itself (passed as `facts`), not literals."""

    __slots__ = ("_needs", "_always", "_bits", "_size")

    def __init__(self, needs: list[frozenset[str]]):
        self._needs = needs
        self._always = sum(1 << i for i, need in enumerate(needs) if "" in need)
        _words.update(w for need in needs for w in need if w and not w.startswith("<"))
        self._bits: dict[str, int] = {}
        self._size = -1

    def _build(self) -> dict[str, int]:
        # per reported literal: the items one of whose needs is a prefix of it
        own: dict[str, int] = {}
        for i, need in enumerate(self._needs):
            for w in need:
                if w:
                    own[w] = own.get(w, 0) | (1 << i)
        bits = {w: b for w, b in own.items() if w.startswith("<")}
        literals = [w for w in own if not w.startswith("<")]
        for x in _words:
            b = 0
            for w in literals:
                if x.startswith(w):
                    b |= own[w]
            if b:
                bits[x] = b
        self._bits, self._size = bits, len(_words)
        return bits

    def mask(self, reports: list[str], facts=()) -> int:
        """The items let through, as bits (bit i: item i)."""
        bits = self._bits if self._size == len(_words) else self._build()
        m = self._always
        for x in reports:
            m |= bits.get(x, 0)
        for x in facts:
            m |= bits.get(x, 0)
        return m

    def wanted(self, reports: list[str], facts=()) -> list[int]:
        """The items let through, as indices in order."""
        m = self.mask(reports, facts)
        out = []
        while m:
            low = m & -m
            out.append(low.bit_length() - 1)
            m ^= low
        return out
