"""Regexes that skip the scan when the text cannot match, and other ways to do the
same pattern work in fewer steps. Every result is exactly the plain pattern's.

Every message meets well over a hundred patterns, and most of them cannot
match it: "tonight" is not in "can we do 3 instead". Python's `re` still
walks every position of the text for each of them, and a pattern that starts
with `\\b` or a look-behind gets none of the engine's own prefix shortcuts, so
that walk was most of the language layer's running time.

- `compile()` reads the pattern once, at import, and works out literals that
  any match must contain (for `\\b(?:tonight|this evening)\\b` one of "tonight",
  "this evening"). A `str.__contains__` test for those is a few tens of
  nanoseconds; only when one of them is in the text does the real scan run
  (`GatedPattern`, used when the test is likely to cost less than the scans it
  saves). A pattern anchored at the end of the text ("...\\s+$") is tested first
  with one `str.endswith` of the strings its matches end with (`EndPattern`).
  Case-insensitive patterns, and ones with no fixed text, stay plain patterns.
- `shared_gates()` and `need_bits()` / `wanted()`: the gates of patterns always
  tried on the same text, tested in one pass for all of them.
- `starts_with_digit()`, `digit_starts()` and `finditer_at()`: a pattern whose
  every match begins with a digit is tried at the digits only.

Each gate is a necessary condition derived from the pattern itself
(tests/unit/nlu/test_fastre.py checks them against sampled matches), so only
the time to answer "no match" changes.
"""
from __future__ import annotations

import re
from re import _constants as C, _parser as P

_ZERO_WIDTH = {C.AT, C.ASSERT, C.ASSERT_NOT}
_MAX_ALTS = 24          # alternatives kept per literal set before giving up on exactness


# Rough odds that a literal of this length occurs in a message, and what one `in`
# test costs next to one scan of the text by a pattern (about 50 ns to 1.5 us).
_ODDS = {1: 0.9, 2: 0.4, 3: 0.1, 4: 0.05, 5: 0.03}
_TEST_COST = 0.035


def _odds(c) -> float:
    return min(1.0, sum(_ODDS.get(len(x), 0.02) for x in c))


def _cost(c: frozenset[str]) -> float:
    """Expected cost of a gate of these literals, in scans: the scans it lets through
    plus its `in` tests."""
    return _odds(c) + _TEST_COST * len(c)


def _best(cands: list[frozenset[str]]) -> frozenset[str] | None:
    """The literal set that rejects most texts for the fewest `in` tests."""
    cands = [c for c in cands if c and all(c)]
    return min(cands, key=_cost) if cands else None


def _cover(lits: frozenset[str]) -> frozenset[str]:
    """Fewer, shorter literals of which one is in every text that holds one of lits: pieces
    shared by several ("good morning", "good evening" -> "good "), chosen greedily."""
    return _minimal(set(_cover_map(lits).values()))


def _cover_map(lits: frozenset[str]) -> dict[str, str]:
    """For each literal, the piece of it that stands for it (see _cover)."""
    todo = set(lits)
    chosen: dict[str, str] = {}
    while todo:
        pieces: dict[str, set[str]] = {}
        for lit in todo:
            for n in range(min(3, len(lit)), len(lit) + 1):
                for i in range(len(lit) - n + 1):
                    pieces.setdefault(lit[i:i + n], set()).add(lit)
        # most literals covered per unit of cost; longer pieces let fewer texts through
        piece = max(pieces, key=lambda p: (len(pieces[p]) / (_ODDS.get(len(p), 0.02) + _TEST_COST), len(p), p))
        for lit in pieces[piece]:
            chosen[lit] = piece
        todo -= pieces[piece]
    return chosen


def _minimal(lits: set[str]) -> frozenset[str]:
    """Drop literals that contain another one: the shorter is in the text whenever they are."""
    return frozenset(x for x in lits if not any(y != x and y in x for y in lits))


def _analyse(seq) -> tuple[set[str] | None, list[frozenset[str]]]:
    """(the exact strings seq can consume, when it is a fixed literal or a small set of them;
    candidate literal sets, one of which every match of seq contains)."""
    run: set[str] | None = {""}
    exact = True
    cands: list[frozenset[str]] = []

    def flush():
        nonlocal run
        if run and all(run):
            cands.append(_minimal(run))
        run = {""}

    def extend(alts: set[str]) -> None:
        nonlocal run
        nonlocal exact
        # the text so far and the alternatives are each required on their own as well
        if run and all(run):
            cands.append(_minimal(run))
        if alts and all(alts):
            cands.append(_minimal(alts))
        if len(run) * len(alts) > _MAX_ALTS:
            exact = False
            flush()
            run = set(alts)
        else:
            run = {a + b for a in run for b in alts}

    for op, av in seq:
        if op is C.LITERAL:
            run = {r + chr(av) for r in run}
        elif op in _ZERO_WIDTH:
            continue                        # consumes nothing: the text on both sides is contiguous
        elif op is C.SUBPATTERN or op is C.ATOMIC_GROUP:
            if op is C.SUBPATTERN:
                _group, add_flags, _del, inner = av
                if add_flags & re.IGNORECASE:
                    raise _Unsupported
            else:
                inner = av
            sub_exact, sub_cands = _analyse(inner)
            cands.extend(sub_cands)         # the group is not optional here: its own needs hold
            if sub_exact is not None:
                extend(sub_exact)
            else:
                exact = False
                flush()
                b = _best(sub_cands)
                if b:
                    cands.append(b)
        elif op is C.BRANCH:
            results = [_analyse(alt) for alt in av[1]]
            per_alt = [_best(cs) for _e, cs in results]
            if all(per_alt):                # each alternative requires one of its own literals
                union = _minimal(set().union(*per_alt))
                cands.append(_cover(union))
            else:
                union = None
            if all(e is not None for e, _ in results):
                extend(set().union(*(e for e, _ in results)))
            else:
                exact = False
                flush()
            if union:
                cands.append(union)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, _hi, inner = av
            exact = False
            flush()
            if lo >= 1:
                _sub_exact, sub_cands = _analyse(inner)
                b = _best(sub_cands)
                if b:
                    cands.append(b)
        else:                               # a class, any char, a back-reference...: unknown text
            exact = False
            flush()
    if exact:
        if all(run):
            cands.append(_minimal(run))
        return run, cands
    flush()
    return None, cands


class _Unsupported(Exception):
    pass


def required_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Literals one of which every match of pattern contains, or None when none can be told."""
    if flags & re.IGNORECASE:
        return None
    try:
        parsed = P.parse(pattern, flags)
        if parsed.state.flags & re.IGNORECASE:
            return None
        exact, cands = _analyse(parsed.data)
    except _Unsupported:
        return None
    return _best(cands)


def _first_digit_only(seq) -> tuple[bool, bool]:
    """(every first character seq can consume is a digit, seq can match the empty string)."""
    for op, av in seq:
        if op in _ZERO_WIDTH:
            continue
        if op is C.LITERAL:
            return chr(av).isdecimal() and chr(av).isascii(), False
        if op is C.IN:
            ok = all(o is C.RANGE and 0x30 <= av2[0] <= av2[1] <= 0x39
                     or o is C.LITERAL and 0x30 <= av2 <= 0x39
                     or o is C.CATEGORY and av2 in (C.CATEGORY_DIGIT, C.CATEGORY_UNI_DIGIT)
                     for o, av2 in av)
            return ok, False
        if op is C.SUBPATTERN or op is C.ATOMIC_GROUP:
            ok, empty = _first_digit_only(av[3] if op is C.SUBPATTERN else av)
        elif op is C.BRANCH:
            res = [_first_digit_only(alt) for alt in av[1]]
            ok, empty = all(r[0] for r in res), any(r[1] for r in res)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            ok, empty = _first_digit_only(av[2])
            empty = empty or av[0] == 0
        else:
            return False, False
        if not ok:
            return False, False
        if not empty:
            return True, False
        # it may consume nothing: what follows may come first as well
    return True, True


def starts_with_digit(pattern: str, flags: int = 0) -> bool:
    """True when every match of pattern begins with a digit (\\d): a search may then start
    at the text's first digit and find the same matches (look-behinds and \\b still see
    the text before that position)."""
    try:
        ok, empty = _first_digit_only(P.parse(pattern, flags).data)
    except Exception:
        return False
    return ok and not empty


def shared_gates(patterns: list[str]) -> tuple[tuple[str, ...], list[frozenset[str]]]:
    """Gates for patterns always tried on the same text, tested together: (pieces, needs).
    `present = {p for p in pieces if p in text} | {""}` is one pass over the text for all
    of them; pattern i can only match when `not present.isdisjoint(needs[i])`. A pattern
    without a usable literal needs "" (always present)."""
    lits = [required_literals(p) for p in patterns]
    stands_for = _cover_map(frozenset().union(*(x for x in lits if x)))
    # each literal is in the text only when the piece standing for it is
    needs = [frozenset(stands_for[lit] for lit in x) if x else frozenset({""}) for x in lits]
    pieces = set().union(*needs) - {""}
    return tuple(sorted(pieces, key=lambda x: (len(x), x))), needs


def digit_starts(s: str, digit: re.Pattern, limit: int = 12) -> list[int] | None:
    """Where the digits of s are (digit is a compiled \\d), or None when there are more than
    limit of them (then searching is cheaper than trying each; see finditer_at)."""
    out = []
    for m in digit.finditer(s):
        if len(out) == limit:
            return None
        out.append(m.start())
    return out


def finditer_at(rx, s: str, starts: list[int]) -> list:
    """rx.finditer(s) for a pattern whose every match begins at one of starts (sorted), such
    as a pattern that begins with a digit and the digits' positions: a match is tried at each
    of them, left to right, from where the last match ended, which is what finditer does at
    every position. A few tries at the digits cost less than a scan of the whole text."""
    out = []
    end = 0
    match = rx.match
    for p in starts:
        if p >= end:
            m = match(s, p)
            if m is not None:
                out.append(m)
                end = m.end()
    return out


def finditer_from(rx, s: str, pos: int = 0):
    """The matches of rx.finditer(s, pos), found by plain searches: most patterns find
    nothing, and a search costs less than setting up an iterator. After a non-empty
    match finditer searches on from where it ended, as the next search here does; after
    an empty one (which finditer steps past), finditer itself takes over from there."""
    m = rx.search(s, pos)
    if m is None:
        return ()
    out = []
    while True:
        a, e = m.span()
        if a == e:
            out.extend(rx.finditer(s, a))
            return out
        out.append(m)
        m = rx.search(s, e)
        if m is None:
            return out


def need_bits(needs: list[frozenset[str]]) -> dict[str, int]:
    """For each thing some item needs, the items that need it, as bits (bit i: item i)."""
    bits: dict[str, int] = {}
    for i, need in enumerate(needs):
        for n in need:
            bits[n] = bits.get(n, 0) | (1 << i)
    return bits


def wanted(bits: dict[str, int], present) -> list[int]:
    """The items (indices, in order) one of whose needs is present: the same as testing each
    item's needs in turn, with one step per present thing instead of one per item."""
    m = 0
    for p in present:
        m |= bits.get(p, 0)
    out = []
    while m:
        low = m & -m
        out.append(low.bit_length() - 1)
        m ^= low
    return out


class GatedPattern:
    """A compiled pattern behind a literal test; the same answers as the pattern alone."""
    __slots__ = ("rx", "needs", "pattern")

    def __init__(self, rx: re.Pattern, needs: tuple[str, ...]):
        self.rx = rx
        self.needs = needs
        self.pattern = rx.pattern

    def search(self, s: str, *args):
        for n in self.needs:
            if n in s:
                return self.rx.search(s, *args)
        return None

    def match(self, s: str, *args):
        return self.rx.match(s, *args)      # anchored: the scan is already short

    def finditer(self, s: str, *args):
        for n in self.needs:
            if n in s:
                return self.rx.finditer(s, *args)
        return iter(())

    def findall(self, s: str, *args):
        for n in self.needs:
            if n in s:
                return self.rx.findall(s, *args)
        return []

    def sub(self, repl, s: str, count: int = 0):
        for n in self.needs:
            if n in s:
                return self.rx.sub(repl, s, count)
        return s

    def __repr__(self) -> str:
        return f"GatedPattern({self.rx.pattern!r}, needs={self.needs!r})"


_MAX_ENDINGS = 128


def _is_space_class(op, av) -> bool:
    """A character class of whitespace only (\\s, " ")."""
    return op is C.IN and all(o is C.CATEGORY and a in (C.CATEGORY_SPACE, C.CATEGORY_UNI_SPACE)
                              or o is C.LITERAL and chr(a).isspace() for o, a in av)


def _endings(ops, i: int, after: set[str]) -> tuple[set[str], bool]:
    """Strings one of which ends every match of ops[:i + 1] followed by one of `after`, and
    whether they are the whole matches. Trailing whitespace is left out (see end_literals)."""
    while i >= 0:
        op, av = ops[i]
        blank = all(not a.strip() for a in after)
        if op in _ZERO_WIDTH:
            pass
        elif op is C.LITERAL:
            after = {chr(av) + a for a in after}
        elif blank and (_is_space_class(op, av) or op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)
                        and len(av[2].data) == 1 and _is_space_class(*av[2].data[0])):
            pass                            # whitespace at the very end: str.rstrip drops it anyway
        elif op is C.SUBPATTERN or op is C.ATOMIC_GROUP or op is C.BRANCH:
            alts = [av[3].data] if op is C.SUBPATTERN else [av.data] if op is C.ATOMIC_GROUP else [a.data for a in av[1]]
            ends, whole = set(), True
            for alt in alts:
                e, w = _endings(alt, len(alt) - 1, after)
                ends |= e
                whole = whole and w
            if len(ends) > _MAX_ENDINGS:
                return after, False
            after = ends
            if not whole:
                return after, False
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, hi, inner = av
            with_it, whole = _endings(inner.data, len(inner.data) - 1, after)
            if whole and hi == 1 and len(with_it) <= _MAX_ENDINGS:
                with_it, _w = _endings(ops, i - 1, with_it)     # matched once: what comes before precedes it
            if lo == 0:                     # or the repeat matched nothing: what comes before ends it
                without, _w = _endings(ops, i - 1, after)
                with_it = with_it | without
            return (with_it if len(with_it) <= _MAX_ENDINGS else after), False
        else:
            return after, False
        i -= 1
    return after, True


def end_literals(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """For a pattern whose matches end at the end of the text ("...$"): strings one of which
    the text ends with, once trailing whitespace is stripped, whenever it matches; else None."""
    if flags & (re.IGNORECASE | re.MULTILINE):
        return None
    try:
        parsed = P.parse(pattern, flags)
    except re.error:
        return None
    if parsed.state.flags & (re.IGNORECASE | re.MULTILINE) or "(?i" in pattern:
        return None
    ops = parsed.data
    if not ops or ops[-1] != (C.AT, C.AT_END):
        return None
    ends, _whole = _endings(ops, len(ops) - 2, {""})
    ends = {e.rstrip() for e in ends}
    if not ends or "" in ends or len(ends) > _MAX_ENDINGS:
        return None
    # a text that ends with "cant make it" ends with "it": the shorter is enough
    return tuple(sorted(e for e in ends if not any(o != e and e.endswith(o) for o in ends)))


class EndPattern:
    """A pattern anchored at the end of the text behind a str.endswith test of the strings
    its matches end with (see end_literals): one C call instead of a scan of every position."""
    __slots__ = ("rx", "ends", "pattern")

    def __init__(self, rx: re.Pattern, ends: tuple[str, ...]):
        self.rx = rx
        self.ends = ends
        self.pattern = rx.pattern

    def search(self, s: str, *args):
        if args or s.rstrip().endswith(self.ends):
            return self.rx.search(s, *args)
        return None

    def match(self, s: str, *args):
        return self.rx.match(s, *args)

    def finditer(self, s: str, *args):
        if args or s.rstrip().endswith(self.ends):
            return self.rx.finditer(s, *args)
        return iter(())

    def __repr__(self) -> str:
        return f"EndPattern({self.rx.pattern!r}, ends={self.ends!r})"


def compile(pattern: str, flags: int = 0):
    """re.compile(pattern), gated by the literals any match must contain when a gate is
    likely to cost less than the scans it saves."""
    rx = re.compile(pattern, flags)
    ends = end_literals(pattern, flags)
    if ends is not None:
        return EndPattern(rx, ends)
    needs = required_literals(pattern, flags)
    if not needs:
        return rx
    # what one scan costs, in scans of a short pattern: a long list of alternatives is
    # tried at every position; a pattern anchored at the start fails after a step or two
    scan = (0.25 if pattern.startswith("^") else 1.0) * (1 + len(pattern) / 400)
    if _odds(needs) * scan + _TEST_COST * len(needs) >= 0.9 * scan:
        return rx
    # shortest first: a short literal is the likeliest to be found early
    return GatedPattern(rx, tuple(sorted(needs, key=lambda x: (len(x), x))))
