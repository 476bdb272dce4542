"""Days: weekdays and "next D", dates ("the 14th", "Dec 3", "12/3", "el 15 de
diciembre"), today / tomorrow / pasado mañana, weeks and weekends, "in 2
weeks" (conventions C3, C4, C6, C8 and C10 of nlu/CONVENTIONS.md). Each day
mention carries its windows as (first day, day after the last) pairs."""
from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from . import fastre, lexicon_en, literals
from .mention import Claims, DAY, MONTH as _MONTH, digits_of, MONTH_RE as _MONTH_RE, WD as _WD, WD_RE as _WD_RE, Mention, trie

# Day expressions -------------------------------------------------------
_DIGIT = fastre.compile(r"\d")

_WD_ANY = fastre.compile(r"\b(?:" + _WD_RE + r")")
_MONTH_ANY = fastre.compile(r"\b(?:" + _MONTH_RE + r")\b")
# What a pattern cannot match without (a cheap test run before the pattern itself): one
# of some words, or a fact about the text ("digit": a digit, "weekday": a weekday name,
# "weekday_digit": a weekday name and a digit, "month_name": a month name, "month": a
# month name and a digit, "digit-": a digit and a "-", and so on). A numeric date holds a
# "/", "-" or "." ("12/3", "2-15"): most messages with a digit are clock times, and this
# spares those the date patterns' tries at each digit. Every "14th" holds a digit and its
# suffix: the literal scan tells those (a search of its own per message cost more).
_ORDINALS = tuple(d + suffix for d in "0123456789" for suffix in ("st", "nd", "rd", "th"))
_NEEDS = {
    "dat": ("after tomorrow", "pasado"), "dby": ("before yesterday", "anteayer", "antier"),
    "in_n": (" day", " week", " dia", " semana", " fortnight", " month", " mes"), "n_weekdays": ("from now", "from today", "de hoy"),
    "day_of_month": ("month", "mes"), "weeks_from": ("week",), "month_day_pair": "month",
    "today": ("today", "hoy", "tday", "this day"), "yesterday": ("yesterday", "ayer"),
    "tomorrow": ("tomorrow", "manana"), "weekend_after_next": ("weekend",), "week_after_next": ("after next", "siguiente"),
    "early_next_week": ("week", "semana"), "end_next_week": ("week", "semana"), "later_this_week": ("week", "semana"),
    "this_week": ("week", "semana", "wk"), "next_week": ("week", "semana", "wk", "next few"),
    "next_weekend": ("weekend", "week end", "fin de semana", "finde"), "weekend": ("weekend", "week end", "fin de semana", "finde"),
    "end_of_month": ("month", "mes"), "start_next_month": ("month", "mes"), "next_month": ("month", "mes"),
    "weekday": "weekday", "wd_day": "weekday_digit", "month_day": "month", "day_month": "month",
    "ordword_month": "month_name", "iso": "digit-", "numeric": ("<digit/>", "<digit->", "<digit.>"),
    "numeric_dash": "digit-", "ordinal_day": _ORDINALS, "ordword_day": ("the", "el", "dia"), "es_day": "digit",
}

_NEXT = r"(?:next|nxt|the next|proximo|proxima|el proximo|la proxima)"

_DAY_PATTERNS = [
    (fastre.compile(r"\b(?:the )?day after tomorrow\b|\bpasado manana\b|\bpasadomanana\b"), "dat"),
    (fastre.compile(r"\b(?:the )?day before yesterday\b|\banteayer\b|\bantier\b"), "dby"),
    (fastre.compile(r"\b(?:in|within|en|dentro de) (?P<n>\d+|a|an|one|un|una|a couple(?: of)?|a few|couple(?: of)?) (?P<u>days?|weeks?|dias?|semanas?|fortnight|months?|meses|mes)\b|\b(?P<n2>\d+|a|one|two|un|una) (?P<u2>days?|weeks?|dias|semanas?|fortnight|months?) (?:from (?:now|today)|out|later|hence|de hoy|a partir de hoy)\b|\bin (?P<n3>a) (?P<u3>fortnight)\b"), "in_n"),
    (fastre.compile(r"\b(?P<n>[1-9]) (?P<wd>" + _WD_RE + r")s? (?:from (?:now|today)|de hoy)\b"), "n_weekdays"),
    (fastre.compile(r"\b(?:the\s+|el\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:day\s+)?(?:of|de)\s+(?:the\s+|el\s+)?(?P<which>next|following|this|current|proximo|siguiente|este)\s+(?:month|mes)\b"), "day_of_month"),
    (fastre.compile(r"\b(?:a|1|one|2|3|4)\s+weeks?\s+(?:from|after)\s+(?:this\s+|next\s+)?(?P<wd>" + _WD_RE + r"|today|tomorrow)\b"), "weeks_from"),
    (fastre.compile(r"\b(?P<mon>" + _MONTH_RE + r")\.?\s+(?:the\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?:\s*(?P<op>-)\s*|\s+(?P<op2>or|o|to|through|thru|until|al|a)\s+)(?:the\s+)?(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\b(?![:.]\d)(?!\s*(?:am|pm|oclock))"), "month_day_pair"),
    (fastre.compile(r"\b(?:(?:the|el|del|from the|from|between the|between)\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?:\s*(?P<op>-)\s*|\s+(?P<op2>or|o|to|through|thru|until|al|a|and|y)\s+)(?:the\s+|el\s+)?(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+|de\s+)?(?P<mon>" + _MONTH_RE + r")\b"), "month_day_pair"),
    (fastre.compile(r"\b(?:today|hoy|tday|this day|el dia de hoy)\b"), "today"),
    (fastre.compile(r"\byesterday\b|\bayer\b"), "yesterday"),
    (fastre.compile(r"\b(?:tomorrow|manana)\b(?<!la manana)(?<!las manana)"), "tomorrow"),
    (fastre.compile(r"\b(?P<wd>" + _WD_RE + r"),?\s+(?:the\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?![:.]\d)(?!\s*(?:am|pm|a\b(?! las?\b)|p\b|h\b|hs\b|hrs\b|horas\b|de (?:la|" + _MONTH_RE + r")|y |menos|o |or |minutes|mins?|hours?|horas|minutos|-|/|ish|oclock|of|de))"), "wd_day"),
    # weekday with qualifiers
    (fastre.compile(r"\b(?:(?P<q1>next|nxt|the next|this|this coming|coming|upcoming|el proximo|la proxima|proximo|este|esta|el|on|for|the|los|by)\s+)?"
                r"(?P<wd>" + _WD_RE + r")s?\b(?:\s+(?P<q2>que viene|proximo|after next|next week|of next week|of the following week|"
                r"of this week|this week|de la semana que viene|de la proxima semana|de esta semana|de la semana proxima|"
                r"(?:de )?la otra semana|next|de la siguiente semana))?"), "weekday"),
    (fastre.compile(r"\b(?:the )?weekend after next\b"), "weekend_after_next"),
    (fastre.compile(r"\b(?:the )?week after next\b|\bla semana siguiente a la proxima\b"), "week_after_next"),
    (fastre.compile(r"\b(?:early|earlier|beginning of|start of|first thing|at the start of|at the beginning of) (?:next|the following|the coming) week\b|\b(?:a )?principios? de la (?:semana que viene|proxima semana)\b|\bal (?:inicio|principio|comienzo) de la (?:semana que viene|proxima semana)\b"), "early_next_week"),
    (fastre.compile(r"\b(?:end|late|later|latter part) (?:of )?(?:the )?next week\b|\b(?:a )?finales de la (?:semana que viene|proxima semana)\b"), "end_next_week"),
    (fastre.compile(r"\b(?:later|sometime later|late|end of|the end of|towards the end of|at the end of) (?:this|the|in the) week\b|\blater in the week\b|\b(?:a )?finales de (?:esta|la) semana\b|\bmas adelante (?:esta|en la) semana\b|\bmas tarde esta semana\b"), "later_this_week"),
    (fastre.compile(r"\b(?:early|beginning of|start of) (?:this|the) week\b"), "this_week"),
    (fastre.compile(r"\b" + _NEXT + r" (?:week|wk)\b(?! ?end)|\b(?:the )?following week\b|\bla semana (?:que viene|proxima|siguiente)\b|\bla otra semana\b|\bla proxima semana\b|\bproxima semana\b|\bsemana que viene\b|\bnext few days\b(?!x)"), "next_week"),
    (fastre.compile(r"\b(?:this|current|rest of (?:the|this)) week\b|\bany ?(?:time|day) this week\b|\besta semana\b|\bthis wk\b"), "this_week"),
    (fastre.compile(r"\b" + _NEXT + r" ?(?:weekend|week end|fin de semana|finde)\b|\bel (?:fin de semana|finde) (?:que viene|proximo)\b"), "next_weekend"),
    (fastre.compile(r"\b(?:weekend|week end|fin de semana|finde)\b"), "weekend"),
    (fastre.compile(r"\b(?:(?:at |towards )?the )?end of (?:the |this )?month\b|\b(?:a )?(?:fin|finales) de(?:l)? mes\b"), "end_of_month"),
    (fastre.compile(r"\b(?:(?:at )?the )?(?:beginning|start) of next month\b|\b(?:a )?principios del (?:mes que viene|proximo mes)\b"), "start_next_month"),
    (fastre.compile(r"\b(?:next|nxt|the following) month\b|\bel (?:mes que viene|proximo mes)\b|\bel mes proximo\b"), "next_month"),
    # dates
    (fastre.compile(r"\b(?P<mon>" + _MONTH_RE + r")\.?\s+(?:the\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?!:)(?:,?\s+(?:del?\s+)?(?P<y>20\d\d))?"), "month_day"),
    (fastre.compile(r"\b(?P<mon>" + _MONTH_RE + r")\s+(?:the\s+)?(?P<dw>" + trie(sorted(lexicon_en.ORDINAL_WORDS, key=len, reverse=True)) + r")\b"), "ordword_month"),
    (fastre.compile(r"\b(?:(?:el|dia)\s+)?(?P<dw>uno|primero)\s+de\s+(?P<mon>" + _MONTH_RE + r")\b"), "ordword_month"),
    (fastre.compile(r"\b(?:(?:the|el|on the|dia)\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+|de\s+)?(?P<mon>" + _MONTH_RE + r")\b(?:,?\s+(?:de\s+|del\s+)?(?P<y>20\d\d))?"), "day_month"),
    (fastre.compile(r"\b(?:(?:the|el|on the|dia)\s+)?(?P<dw>" + trie(sorted(lexicon_en.ORDINAL_WORDS, key=len, reverse=True))
                + r"|primero)\s+(?:of|de)\s+(?P<mon>" + _MONTH_RE + r")\b"), "ordword_month"),
    (fastre.compile(r"(?<![\d:.$/])(?P<a>[01]?\d|2\d|3[01])\s?/\s?(?P<b>[0-3]?\d)(?:\s?/\s?(?P<y>\d{2}|\d{4}))?(?![\d:/])(?!\s*(?:hours?|an hour|horas?|hr))"), "numeric"),
    (fastre.compile(r"\b(?P<y>20\d\d)-(?P<mo>[01]?\d)-(?P<d>[0-3]?\d)\b"), "iso"),
    (fastre.compile(r"(?<![\d:.$-])(?:on |el )(?P<a>[01]?\d|2\d|3[01])-(?P<b>[0-3]?\d)(?![\d:-])"), "numeric"),
    (fastre.compile(r"(?<![\d:.$-])(?P<a>[01]?\d|2\d|3[01])-(?P<b>[0-3]?\d)(?![\d:-])(?!\s*(?:am|pm|h\b))"), "numeric_dash"),
    (fastre.compile(r"(?<![\d:.$-])(?P<a>[0-3]?\d)([-.])(?P<b>[0-3]?\d)\2(?P<y>20\d\d)\b"), "numeric"),
    (fastre.compile(r"\b(?:(?P<the>the|on the|on|for the|by the|el|for|del|al|para el|el dia|dia)\s+)?(?P<d>[0-3]?\d)(?P<suf>st|nd|rd|th)\b"), "ordinal_day"),
    (fastre.compile(r"\b(?:the|on the|el dia|dia)\s+(?P<dw>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|primero)\b(?!\s+(?:one|of|de|option|slot|opcion|time|appointment|week))"), "ordword_day"),
    (fastre.compile(r"\b(?:el|del|al|para el|el dia|dia)\s+(?P<d>[0-3]?\d)\b(?![:.]\d)(?!\s*(?:de la|y|menos|h\b|hrs|horas|minutos|am|pm|personas))"), "es_day"),
]


# "the 2nd at 3": a clock time after an ordinal makes it a date, even while options are on offer
_AT_HOUR = fastre.compile(r"\s+(?:at|@|a las|around|about)\s+\d")
_QUALIFIERS = ("next", "nxt", "the next", "this", "this coming", "coming", "upcoming", "el proximo", "la proxima",
               "proximo", "este", "esta", "el", "on", "for", "the", "los", "by")
_QUALIFIER_LONGEST = max(map(len, _QUALIFIERS))


def _starts_at(pattern: str) -> str | None:
    """What every match of pattern begins with: "digit"; "wd" or "month" (a weekday or month
    name that \\b(?:name) finds, so at or after the first one found); "qualified_wd" (an
    optional qualifier, none of which holds a weekday name and each ending in a letter, then
    spaces, then a weekday name); or None."""
    if fastre.starts_with_digit(pattern):
        return "digit"
    if pattern.startswith(r"\b(?P<wd>" + _WD_RE + ")"):
        return "wd"
    if pattern.startswith(r"\b(?P<mon>" + _MONTH_RE + ")"):
        return "month"
    if pattern.startswith(r"\b(?:(?P<q1>" + "|".join(_QUALIFIERS) + r")\s+)?(?P<wd>" + _WD_RE + ")"):
        return "qualified_wd"
    return None


# Each pattern's need as a set of which one member must be among the message's facts: its
# need words, "<digit>", "<weekday>", "<month_name>", "<month>", and "" (always there).
# A pattern is tried when its need is met and its own literal gate (fastre) lets it through,
# both told from the literals found in the message (see literals.py): the patterns below
# are the plain regexes behind those gates.
_GATED_PATTERNS = [(literals.split_gate(rx)[1], kind,
                    frozenset(n) if isinstance(n, tuple) else frozenset({"" if n is None else f"<{n}>"}),
                    _starts_at(rx.pattern))
                   for rx, kind in _DAY_PATTERNS for n in (_NEEDS.get(kind),)]
_NEED_TABLE = literals.Table([need for _rx, _kind, need, _fd in _GATED_PATTERNS])
_GATE_TABLE = literals.Table([literals.split_gate(rx)[0] for rx, _kind in _DAY_PATTERNS])
# the patterns each fact lets through; a weekday (month) name and a digit is both facts
_F_DIGIT, _F_DIGIT_SLASH, _F_DIGIT_DASH, _F_DIGIT_DOT, _F_WEEKDAY, _F_MONTH_NAME = (
    _NEED_TABLE.fact(f"<{n}>") for n in ("digit", "digit/", "digit-", "digit.", "weekday", "month_name"))
_F_WEEKDAY_DIGIT = _F_WEEKDAY | _NEED_TABLE.fact("<weekday_digit>")
_F_MONTH = _F_MONTH_NAME | _NEED_TABLE.fact("<month>")


def _coming(today: date, wd: int) -> date:
    ahead = (wd - today.weekday()) % 7
    return today + timedelta(days=ahead or 7)


def _next_d(today: date, wd: int) -> tuple[date, ...]:
    """Rule 3: "next D"."""
    ahead = (wd - today.weekday()) % 7
    if ahead == 0:
        return (today + timedelta(days=7),)
    if ahead >= 4:
        return (today + timedelta(days=ahead),)
    return (today + timedelta(days=ahead), today + timedelta(days=ahead + 7))


def _monday_next(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def _on_or_after(today: date, month: int | None, day: int, year: int | None = None) -> date | None:
    if year is not None and month is not None:
        try:
            return date(year, month, day)
        except ValueError:
            return None
    if month is None:
        y, mo = today.year, today.month
        for _ in range(13):
            try:
                d = date(y, mo, day)
                if d >= today:
                    return d
            except ValueError:
                pass
            mo += 1
            if mo > 12:
                y, mo = y + 1, 1
        return None
    for y in (today.year, today.year + 1, today.year + 2):
        try:
            d = date(y, month, day)
        except ValueError:
            continue
        if d >= today:
            return d
    return None


def _days(d: date, n: int = 1) -> tuple[date, date]:
    return (d, d + timedelta(days=n))


def _weekend(today: date) -> date:
    wd = today.weekday()
    if wd == 5:
        return today
    if wd == 6:
        return today - DAY
    return today + timedelta(days=5 - wd)


_NEXT_Q1 = ("next", "nxt", "the next", "el proximo", "la proxima", "proximo")


@lru_cache(maxsize=None)        # a few hundred pairs at most: the patterns' own alternatives
def _weekday_reading(q1: str | None, q2: str | None) -> tuple[str, bool, bool]:
    """How a weekday's qualifiers (the "weekday" pattern's q1 before it, q2 after it, None
    when absent) read: the week it falls in ("next_week", "after_next", "this_week", or ""
    for the coming one, or "next D" when nxt), whether "next" qualifies it (nxt), and
    whether nothing does (bare)."""
    q1 = (q1 or "").strip()
    q2 = (q2 or "").strip()
    if q2 in ("next week", "of next week", "of the following week", "de la semana que viene",
              "de la proxima semana", "de la semana proxima", "la otra semana", "de la otra semana",
              "de la siguiente semana"):
        week = "next_week"
    elif q2 == "after next":
        week = "after_next"
    elif q2 in ("of this week", "this week", "de esta semana"):
        week = "this_week"
    else:
        week = ""
    nxt = q1 in _NEXT_Q1 or q2 in ("que viene", "proximo", "next")
    return week, nxt, q1 not in _NEXT_Q1 and not q2


_DAY_WORD = fastre.compile(r"\b(?:" + _WD_RE + "|" + _MONTH_RE + r"|today|hoy|tday|tomorrow|manana|yesterday|ayer|anteayer|antier|"
                       r"pasadomanana|weeks?|wk|semanas?|weekend|finde|months?|mes|days?|dias?|fortnight|the|el|dia|"
                       r"first|second|third|primero)")
# The three patterns below, each behind the literals its matches hold, told from the
# literals found in the message (see literals.py): bits 1, 2 and 4 of _FIND_TABLE. Every day
# pattern that needs no digit holds a _DAY_WORD: a text without a digit and without its
# literals has no day (its search itself, on the messages that have them, cost more than
# it spared).
_FIND_TABLE = literals.Table([literals.split_gate(rx)[0] for rx in (_DAY_WORD, _WD_ANY, _MONTH_ANY)])
_WD_ANY_RX, _MONTH_ANY_RX = (literals.split_gate(rx)[1] for rx in (_WD_ANY, _MONTH_ANY))


def find_days(s: str, today: date, lang: str, ordinal_limit: int, digit_info=None,
              present=None) -> list[Mention]:
    """Day mentions in normalized text s; ordinals up to ordinal_limit are left to option picking.
    digit_info: digits_of(s), present: literals.scan(s), when the caller has them."""
    claims = Claims()

    digit_at, digits = digits_of(s) if digit_info is None else digit_info
    has_digit = digit_at < len(s)
    if present is None:
        present = literals.scan(s)
    can = _FIND_TABLE.mask(present)
    if not has_digit and not can & 1:
        return claims.found                 # nothing a day could be made of
    # the facts the patterns' needs are about, found once for all patterns: the need
    # words among the literals found, and these (as the patterns they let through)
    facts = 0
    if has_digit:
        facts = _F_DIGIT
        if "/" in s:
            facts |= _F_DIGIT_SLASH
        if "-" in s:
            facts |= _F_DIGIT_DASH
        if "." in s:
            facts |= _F_DIGIT_DOT
    # Where a search may start and still find every match (see _starts_at): at the first
    # weekday (month) name for a pattern that begins with one, and a qualifier's length
    # before the spaces in front of it for "next friday" (a qualifier holds no weekday).
    start_at = {None: 0}
    wd = _WD_ANY_RX.search(s) if can & 2 else None
    if wd:
        facts |= _F_WEEKDAY_DIGIT if has_digit else _F_WEEKDAY
        start_at["wd"] = at = wd.start()
        while at > 0 and s[at - 1].isspace():
            at -= 1
        start_at["qualified_wd"] = max(0, at - _QUALIFIER_LONGEST)
    month = _MONTH_ANY_RX.search(s) if can & 4 else None
    if month:
        facts |= _F_MONTH if has_digit else _F_MONTH_NAME
        start_at["month"] = month.start()
    for i in literals.indices(_NEED_TABLE.mask(present, facts) & _GATE_TABLE.mask(present)):
        rx, kind, _need, starts = _GATED_PATTERNS[i]
        # a pattern whose matches begin with a digit is tried at the digits only
        if starts == "digit":
            found = fastre.finditer_at(rx, s, digits) if digits is not None else fastre.finditer_from(rx, s, digit_at)
        else:
            found = fastre.finditer_from(rx, s, start_at.get(starts, 0))
        for m in found:
            a, b = m.span()
            if a == b or not claims.free(a, b):
                continue
            g = m.groupdict()
            wins: tuple[tuple[date, date], ...] | None = None
            # the commonest kind first: the chain below tests one kind after another
            if kind == "weekday":
                wd = _WD[g["wd"]]
                week, nxt, bare = _weekday_reading(g["q1"], g["q2"])
                if week == "next_week":
                    wins = (_days(_monday_next(today) + timedelta(days=wd)),)
                elif week == "after_next":
                    wins = (_days(_coming(today, wd) + timedelta(days=7)),)
                elif week == "this_week":
                    d = today + timedelta(days=wd - today.weekday())
                    wins = (_days(d if d >= today else _coming(today, wd)),)
                elif nxt:
                    wins = tuple(_days(d) for d in _next_d(today, wd))
                else:
                    wins = (_days(_coming(today, wd)),)
            elif kind == "today":
                wins = (_days(today),)
            elif kind == "tomorrow":
                # "mañana" after "la"/"por la"/"de la" is the morning, not tomorrow
                if re.search(r"\b(?:la|las|por la|de la|en la|a la)\s+$", s[max(0, a - 8):a]):
                    continue
                wins = (_days(today + DAY),)
            elif kind == "dat":
                wins = (_days(today + 2 * DAY),)
            elif kind in ("yesterday", "dby"):
                wins = (_days(today - (DAY if kind == "yesterday" else 2 * DAY)),)
            elif kind == "next_week":
                mon = _monday_next(today)
                wins = ((mon, mon + timedelta(days=7)),)
            elif kind == "week_after_next":
                mon = _monday_next(today) + timedelta(days=7)
                wins = ((mon, mon + timedelta(days=7)),)
            elif kind == "early_next_week":
                mon = _monday_next(today)
                wins = ((mon, mon + timedelta(days=3)),)
            elif kind == "end_next_week":
                mon = _monday_next(today)
                wins = ((mon + timedelta(days=4), mon + timedelta(days=7)),)
            elif kind == "this_week":
                wins = ((today, _monday_next(today)),)
            elif kind == "later_this_week":
                if m.group(0).startswith(("end", "the end", "towards", "at the end", "finales", "a finales")):
                    fri = today + timedelta(days=max(0, 4 - today.weekday()))
                    wins = ((fri, _monday_next(today)),)
                else:
                    wins = ((today + DAY, _monday_next(today)),)
            elif kind == "weekend":
                sat = _weekend(today)
                if today.weekday() == 6 and not s[max(0, m.start() - 5):m.start()].endswith(("this ", "este ")):
                    # Said on a Sunday, "the weekend" is the coming one; "this weekend" is still today.
                    sat = today + timedelta(days=6)
                wins = ((max(sat, today), sat + timedelta(days=2)),)
            elif kind == "next_weekend":
                wins = tuple((d, d + timedelta(days=2)) for d in _next_d(today, 5))
            elif kind == "end_of_month":         # the last ten days or so, as Duckling reads it
                y2, mo2 = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
                wins = ((max(today, date(today.year, today.month, 21)), date(y2, mo2, 1)),)
            elif kind == "start_next_month":
                y2, mo2 = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
                wins = ((date(y2, mo2, 1), date(y2, mo2, 11)),)
            elif kind == "weekend_after_next":
                sat = _weekend(today) + timedelta(days=7)
                wins = ((sat, sat + timedelta(days=2)),)
            elif kind == "next_month":
                y, mo = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
                y2, mo2 = (y + 1, 1) if mo == 12 else (y, mo + 1)
                wins = ((date(y, mo, 1), date(y2, mo2, 1)),)
            elif kind == "in_n":
                n = g.get("n") or g.get("n2") or g.get("n3")
                u = g.get("u") or g.get("u2") or g.get("u3")
                if n in ("a", "an", "one", "un", "una"):
                    k = 1
                elif n and ("couple" in n):
                    k = 2
                elif n == "a few":
                    k = 3
                elif n == "two":
                    k = 2
                else:
                    k = int(n)
                if u == "fortnight":
                    k, u = 14 * k, "day"
                if u.startswith("m"):
                    y, mo = today.year, today.month + k
                    y, mo = y + (mo - 1) // 12, (mo - 1) % 12 + 1
                    try:
                        wins = (_days(date(y, mo, today.day)),)
                    except ValueError:
                        continue
                    mm = Mention("day", a, b, wins)
                    mm.sub = kind
                    claims.claim(mm)
                    continue
                days = k * 7 if u.startswith(("week", "semana")) else k
                if days > 400:
                    continue
                wins = (_days(today + timedelta(days=days)),)
            elif kind == "iso":
                try:
                    wins = (_days(date(int(g["y"]), int(g["mo"]), int(g["d"]))),)
                except ValueError:
                    continue
            elif kind == "n_weekdays":
                wins = (_days(_coming(today, _WD[g["wd"]]) + timedelta(days=7 * (int(g["n"]) - 1))),)
            elif kind == "day_of_month":
                y, mo = today.year, today.month
                if g["which"] in ("next", "following", "proximo", "siguiente"):
                    y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
                try:
                    wins = (_days(date(y, mo, int(g["d"]))),)
                except ValueError:
                    continue
            elif kind == "weeks_from":
                n = g["wd"]
                k = 1 if m.group(0)[0] in "ao1" else int(m.group(0)[0])
                if n == "today":
                    base = today
                elif n == "tomorrow":
                    base = today + DAY
                else:
                    base = _coming(today, _WD[n])
                wins = (_days(base + timedelta(days=7 * k)),)
            elif kind == "month_day_pair":
                mon = _MONTH[g["mon"]]
                d1 = _on_or_after(today, mon, int(g["d"]))
                d2 = _on_or_after(today, mon, int(g["d2"]))
                if d1 is None or d2 is None:
                    continue
                if (g.get("op2") or g.get("op")) in ("or", "o"):
                    wins = (_days(d1), _days(d2))
                elif d2 >= d1:
                    wins = ((d1, d2 + DAY),)
                else:
                    continue
            elif kind in ("month_day", "day_month", "ordword_month"):
                if "dw" in g and g.get("dw"):
                    dnum = 1 if g["dw"] in ("primero", "uno") else lexicon_en.ORDINAL_WORDS.get(g["dw"], 0)
                else:
                    dnum = int(g["d"])
                mon = _MONTH[g["mon"]]
                if g["mon"] == "may" and kind == "month_day" and not re.match(r"may\s+(?:the\s+)?\d", m.group(0)):
                    continue
                if g["mon"] in ("march", "marzo") and False:
                    continue
                y = int(g["y"]) if g.get("y") else None
                d = _on_or_after(today, mon, dnum, y)
                if d is None:
                    continue
                wins = (_days(d),)
            elif kind == "numeric_dash" and not (int(g["a"]) > 12 or int(g["b"]) > 12):
                continue            # "2-4" is a time range, "2-15" / "17-2" a date
            elif kind in ("numeric", "numeric_dash"):
                x, z = int(g["a"]), int(g["b"])
                month, day = (z, x) if lang == "es" else (x, z)
                if month > 12 and day <= 12:
                    month, day = day, month
                if month > 12 or month < 1 or day < 1:
                    continue
                y = g.get("y")
                yy = None
                if y:
                    yy = int(y) + (2000 if len(y) == 2 else 0)
                d = _on_or_after(today, month, day, yy)
                if d is None:
                    continue
                wins = (_days(d),)
            elif kind == "wd_day":
                dnum = int(g["d"])
                d = _on_or_after(today, None, dnum) if 1 <= dnum <= 31 else None
                if d is None:
                    continue
                wins = (_days(d),)          # the date decides when it and the weekday disagree
            elif kind in ("ordinal_day", "ordword_day", "es_day"):
                if kind == "ordword_day":
                    dnum = 1 if g["dw"] == "primero" else lexicon_en.ORDINAL_WORDS[g["dw"]]
                else:
                    dnum = int(g["d"])
                if dnum < 1 or dnum > 31:
                    continue
                if dnum <= ordinal_limit and (kind != "es_day" or not re.search(r"\bde\b", s[b:b + 4])) \
                        and not _AT_HOUR.match(s, b):
                    continue          # "the 2nd" picks an offered option ("the 2nd at 3" is a date)
                if kind == "ordinal_day" and re.match(r"\s*(?:one|option|slot|time|of (?:those|them|these))\b", s[b:b + 20]):
                    continue
                d = _on_or_after(today, None, dnum)
                if d is None:
                    continue
                wins = (_days(d),)
            if wins is None:
                continue
            mm = Mention("day", a, b, wins)
            mm.sub = kind
            if kind == "weekday":               # as the weekday branch above read them
                mm.wd = wd
                mm.nxt = nxt
                mm.bare = bare
            claims.claim(mm)
    return claims.found
