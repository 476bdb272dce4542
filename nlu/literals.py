"""Which of the readers' gate literals a text holds: one scan for all of them.

The readers (days.py, clock.py, intents.py, relative.py, timeparse.py) skip each
pattern whose needed literals (fastre.required_literals, or a reader's own need
words) are all absent from the text. Testing those literals one `in` at a time
meant a few hundred Python-level tests per message, reader by reader, each over
the whole text. Here every literal of every reader is looked for at once
(`scan()`, see _Scanner): normalized text is tokens joined by single spaces,
and what each token holds is worked out once per token, the same few hundred
words coming back message after message; a long text is scanned whole instead.

Each reader's items (patterns, rules) are a `Table` with its own range of bits
in the one number scan() returns, so each reader takes its bits from the
result. Every item the `in` tests would let through is let through (a literal of three
words or more is told by its first two, see _Scanner: a few more texts pass that gate);
only the cost changes.
"""
from __future__ import annotations

import re
from functools import lru_cache, reduce
from operator import and_, or_

from . import fastre
from .mention import trie

_tables: list[Table] = []
_built: list = [None, -1]    # the _Scanner, and how many tables it was built for


def _longest_first(words) -> list[str]:
    return sorted(words, key=lambda w: (-len(w), w))


def _closure(words: dict[str, int]) -> dict[str, int]:
    """Per word, the bits of every word that is a prefix of it (itself included): a word
    occurs where the longest word reported there starts with it."""
    return {x: _or(b for w, b in words.items() if x.startswith(w)) for x in words}


def _or(bits) -> int:
    m = 0
    for b in bits:
        m |= b
    return m


_MAX_TOKENS = 40         # more tokens than an SMS has: scanned whole (see _Scanner._scan_whole)


class _Scanner:
    """Finds which literals a text holds, token by token (see scan()).

    With tokens = s.split(" ") (so s == " ".join(tokens)), a literal without a space
    occurs in s exactly when it occurs in one token; "x " (one space, at its end) when
    a token other than the last ends with x; " y" when a token other than the first
    starts with y; "x y" when a token ends with x and the next one starts with y. What
    a token holds of those is worked out once per token, by prefix-tree regexes (a
    message's words come back again and again): Table bits for the first three kinds,
    and, for "x y", which of those literals it can end and which it can start, as bits
    over them, so that a pair of neighbours is one `&`. A literal with more spaces,
    "x y z...", is reported wherever its first two words "x y" occur: a superset of the
    texts that hold it, which is all a gate needs (scan() says so). A long text is
    scanned whole, exactly.
    """

    def __init__(self, lits: dict[str, int]):
        inner: dict[str, int] = {}
        tail: dict[str, int] = {}                       # "x ": x reversed (matched against the token reversed)
        head: dict[str, int] = {}                       # " y": y
        pairs: list[tuple[str, str, int]] = []          # "x y": (x, y, Table bits)
        for lit, b in lits.items():
            if lit.count(" ") == 0:
                inner[lit] = inner.get(lit, 0) | b
                continue
            # a literal with more spaces is looked for as its first two words, "x y z..." as
            # "x y": the test lets through every text that holds it (all a gate needs), and
            # a search of the text for those few literals cost more than the tries it spared
            x, y = lit.split(" ")[:2]
            if not y:
                tail[x[::-1]] = tail.get(x[::-1], 0) | b
            elif not x:
                head[y] = head.get(y, 0) | b
            else:
                pairs.append((x, y, b))
        # "x y" literal i is bit 1 << i of what a token ends (x) and starts (y)
        ends: dict[str, int] = {}
        starts: dict[str, int] = {}
        for i, (x, y, _b) in enumerate(pairs):
            ends[x[::-1]] = ends.get(x[::-1], 0) | 1 << i
            starts[y] = starts.get(y, 0) | 1 << i
        self._inner = _lookahead(inner)
        self._fixes = (_anchored(tail), _anchored(head), _anchored(ends), _anchored(starts))
        self._pair_bits = {1 << i: b for i, (_x, _y, b) in enumerate(pairs)}
        self.token = lru_cache(maxsize=4096)(self._token)     # the vocabulary of SMS is small
        self._whole = _lookahead(lits)

    def _token(self, tok: str) -> tuple[int, int, int, int, int]:
        """What one token holds: Table bits of the literals inside it, of the "x " it can end
        and of the " y" it can start; the "x y" literals it can end and start (their bits)."""
        inner = 0
        if self._inner is not None:
            rx, bits = self._inner
            for x in rx.findall(tok):
                inner |= bits[x]
        rev = tok[::-1]
        out = [inner]
        for fix, text in zip(self._fixes, (rev, tok, rev, tok)):
            found = fix[0].match(text) if fix is not None else None
            out.append(fix[1][found.group(0)] if found else 0)
        return tuple(out)

    def scan(self, s: str) -> int:
        tokens = s.split(" ")
        if len(tokens) > _MAX_TOKENS:
            return self._scan_whole(s)
        inner, tail, head, ends, starts = zip(*map(self.token, tokens))
        m = reduce(or_, inner) | reduce(or_, tail[:-1], 0) | reduce(or_, head[1:], 0)
        # "x y": a token ends with its x and the next one starts with its y
        both = reduce(or_, map(and_, ends, starts[1:]), 0)
        while both:
            low = both & -both
            m |= self._pair_bits[low]
            both ^= low
        return m

    def _scan_whole(self, s: str) -> int:
        """For a long text (an adversarial one, as a rule), in one pass rather than a cache
        entry for each of its many tokens: a prefix-tree regex of every literal, as a
        look-ahead, reports the longest literal at each position, and a literal occurs in
        the text exactly when it is a prefix of one of those reports."""
        rx, bits = self._whole
        m = 0
        for x in set(rx.findall(s)):
            m |= bits[x]
        return m


def _lookahead(words: dict[str, int]):
    """A findall of the longest word at each position, and the bits per word reported."""
    return (re.compile("(?=(" + trie(_longest_first(words)) + "))"), _closure(words)) if words else None


def _anchored(words: dict[str, int]):
    """A match of the longest word at the start, and the bits per word reported."""
    return (re.compile(trie(_longest_first(words))), _closure(words)) if words else None


def _build() -> _Scanner:
    lits: dict[str, int] = {}
    for t in _tables:
        for w, b in t.own.items():
            if not w.startswith("<"):
                lits[w] = lits.get(w, 0) | (b << t.off)
    scanner = _Scanner(lits)
    _built[:] = [scanner, len(_tables)]
    return scanner


def scan(s: str) -> int:
    """The items of every Table that the literals of s let through, as one number."""
    scanner, size = _built
    if size != len(_tables):        # built once, after every reader has made its tables
        scanner = _build()
    return scanner.scan(s)


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

    def fact(self, name: str) -> int:
        """The items a fact the reader tells itself ("<...>") lets through, as bits: the
        reader ORs those of the facts that hold and passes them to mask()."""
        return self.facts.get(name, 0)

    def mask(self, present: int, facts: int = 0) -> int:
        """The items let through (bit i: item i), from scan()'s number and the reader's facts
        (the OR of fact() of each fact that holds)."""
        return (present >> self.off) & self.full | self.always | facts


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


def indices(m: int) -> tuple[int, ...]:
    """The bits set in m, lowest first: the items a mask lets through, in order. The same
    few masks come back message after message: each is worked out once (a bounded table)."""
    got = _INDICES.get(m)
    if got is None:
        out = []
        rest = m
        while rest:
            low = rest & -rest
            out.append(low.bit_length() - 1)
            rest ^= low
        got = tuple(out)
        if len(_INDICES) < 4096:
            _INDICES[m] = got
    return got


_INDICES: dict[int, tuple[int, ...]] = {}
