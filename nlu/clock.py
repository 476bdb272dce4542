"""Clock times and parts of the day: "3", "3:30", "1530", "half 3", "quarter
to 4", "noonish", "4ish", "a las 3 y media", "between 2 and 4", "after 5",
"tomorrow afternoon", and how a bare hour is read inside opening hours
(convention C1 of nlu/CONVENTIONS.md)."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from . import fastre, literals
from .mention import Claims, DAY, MONTH_RE as _MONTH_RE, Mention, Pt, digits_of, pt
from .understanding import Context, Window, WEEKDAYS, window

PARTS = {
    "morning": (time(9), time(12)),
    "afternoon": (time(12), time(17)),
    "evening": (time(17), time(21)),
    "lunch": (time(12), time(14)),
}
AFTER_END = time(21)       # "after 3" -> [15:00, 21:00)
BEFORE_START = time(9)     # "before 3" -> [09:00, 15:00)

_UNITS_AFTER = (r"(?!\s*(?:-\s*)?(?:weeks?|days?|minutes|mins?|hours?|hrs?|h\b|months?|years?|people|persons?|"
                r"kids?|of us|ppl|times|semanas?|dias?|minutos|horas?|personas?|meses|anos?|"
                r"st\b|nd\b|rd\b|th\b|/|\.\d|de (?:" + _MONTH_RE + r")\b|percent|%|\$|dollars|pesos|"
                r"(?:[a-z]+ )?(?:street|ave|avenue|road|blvd|boulevard|drive|lane|calle|avenida)\b|suite|floor|apt|unit))")

# A clock time: "3", "3:30", "3.30", "1530", "3pm", "3:30 p", "15h30", "3ish".
_CLOCK_CORE = (r"(?P<h>[01]?\d|2[0-3])(?:(?::|\.|h)(?P<m>[0-5]\d)|(?P<m2>[0-5]\d)(?=\s*(?:am|pm|a|p|ish|oclock)?\b))?"
               r"(?P<ap>\s*(?:am|pm)\b|[ap]\b)?(?P<ish>\s*ish)?(?P<oc>\s*oclock)?(?P<ap2>\s*(?:am|pm)\b)?")
_CUE_WORDS = ("at", "@", "around", "about", "arround", "approx", "approximately", "by", "after", "before",
              "til", "till", "until", "to", "do", "make it", "say", "like", "maybe", "or", "and", "from",
              "between", "instead", "las", "la", "a", "tipo", "sobre", "desde", "hasta", "y", "o", "come",
              "be", "ok", "okay", "then", "in at", "is it", "was it", "said", "meant", "not")
_CUE = r"(?:\b(?:" + "|".join(_CUE_WORDS) + r")\s+|@\s*)"
# A cue holds no digit, so a match of "cue + hour" starts at most this far before the
# spaces in front of the text's first digit (see find_times).
_CUE_LONGEST = max(map(len, _CUE_WORDS))

_TIME_PATTERNS = []
_DIGIT = fastre.compile(r"\d")
_UNIT_AFTER_RX = fastre.compile(r"\s*(?:people|persons?|guests|kids|adults|of us|personas|weeks?|days?|months?|hours?|minutes|mins?|semanas|dias|horas|minutos)\b")
_MOVE_FROM = fastre.compile(r"\b(?:move|moved|moving|change|changing|switch|push|reschedule|bump|shift|cambiar|cambia|mover|mueve|pasar|pasa)\b[\w\s]{0,30}\b(?:from|de|del|desde)\s")
_PARTY = fastre.compile(r"\b(?:table|party|people|persons|guests|seats|adults|kids|pax|personas|mesa)\b")


def _tp(pattern: str, kind: str, needs: tuple[str, ...] = ()):
    """Register a pattern; `needs` lists substrings of which one must occur for it to match at all
    (a cheap test that spares running it on most messages). For a digit-first pattern that
    needs a following word ("3 tonight", "3 works") or a ":" / "." the test spares its tries
    at each digit on the many messages whose digits are plain clock times."""
    _TIME_PATTERNS.append((fastre.compile(pattern), kind, needs))


# Order matters: earlier patterns claim their span first.
_tp(r"\b(?:between|from|entre(?: las?)?|de(?: las?)?|desde(?: las?)?)\s+" + _CLOCK_CORE.replace("?P<", "?P<a_")
    + r"\s*(?:and|to|till|til|until|-|y(?: las?)?|a(?: las?)?|hasta(?: las?)?)\s*"
    + _CLOCK_CORE.replace("?P<", "?P<b_"), "range", ("between", "from", "entre", "de", "desde"))
_tp(r"(?<![\d:./])(?P<a_h>[01]?\d|2[0-3])(?:[:.h](?P<a_m>[0-5]\d))?(?P<a_ap>\s*(?:am|pm))?\s*(?:to|till|until|til)\s*"
    r"(?P<b_h>[01]?\d|2[0-3])(?:[:.h](?P<b_m>[0-5]\d))?(?P<b_ap>\s*(?:am|pm))?\b(?!\s*(?:minutes|mins?|hours?))", "range_to", ("to", "til", "until"))
_tp(r"(?<![\d:./])(?P<a_h>[01]?\d|2[0-3])(?:[:.h](?P<a_m>[0-5]\d))?(?P<a_ap>\s*(?:am|pm))?\s*-\s*(?P<b_h>[01]?\d|2[0-3])(?:[:.h](?P<b_m>[0-5]\d))?(?P<b_ap>\s*(?:am|pm))?(?![\d/])", "range", ("-",))
_tp(r"\b(?:half past|half)\s+(?P<h>1[0-2]|[1-9])\b(?!\s*(?:hours?|an|a))", "half", ("half",))
_tp(r"\b(?:(?:a )?quarter|15)\s+(?:past|after)\s+(?P<h>1[0-2]|[1-9]|noon)(?P<ap>\s*(?:am|pm))?\b", "qpast", ("past", "after"))
_tp(r"\b(?:un )?cuarto para (?:las? )?(?P<h>1[0-2]|[1-9])\b", "qto", ("cuarto para",))
_tp(r"\b(?P<mm>5|10|20|25)\s+(?:minutos\s+)?para (?:las?|el) (?P<h>1[0-2]|[1-9])\b", "mto", ("para la",))
_tp(r"\b(?:(?:a )?quarter|15)\s+(?:to|til|till|of|before)\s+(?P<h>1[0-2]|[1-9]|noon)(?P<ap>\s*(?:am|pm))?\b", "qto", ("to", "til", "of", "before"))
_tp(r"\b(?P<mm>[1-5]?\d)\s+(?:minutes\s+)?(?:past|after|from)\s+(?P<h>2[0-3]|1\d|[1-9]|noon)(?:h\b)?(?P<ap>\s*(?:am|pm))?\b", "mpast", ("past", "after", "from"))
_tp(r"(?:\b(?:at|@|around|about)\s+)(?P<mm>5|10|20|25)\s+(?:minutes\s+)?(?:to|til|till)\s+(?P<h>1[0-2]|[1-9])(?P<ap>\s*(?:am|pm))?\b", "mto", ("to", "til"))
_tp(r"\b(?P<mm>[1-5]?\d)\s+minutes\s+(?:to|til|till|before)\s+(?P<h>1[0-2]|[1-9])(?P<ap>\s*(?:am|pm))?\b", "mto", ("minutes",))
_tp(r"(?<![\d:./$])(?<!in )(?<!en )(?P<h>[01]?\d|2[0-3])(?:h(?P<m>[0-5]\d)|\s?(?:h|hs|horas|hrs))\b(?!\s*(?:later|earlier|before|after|from|mas|de retraso))", "clock_24",
    (*(d + "h" for d in "0123456789"), *(d + " h" for d in "0123456789")))   # a digit, then "h" or " h"
_tp(r"\b(?P<h>1[0-2]|[1-9])\s+and a half\b", "half", ("and a half",))
_tp(r"\b(?:las|la|a las)\s+(?P<h>1[0-2]|[1-9])\s+y\s+(?P<frac>media|cuarto|\d\d?)\b", "es_y", (" y ",))
_tp(r"\b(?P<h>1[0-2]|[1-9])\s+y\s+(?P<frac>media|cuarto)\b", "es_y", (" y ",))
_tp(r"\b(?:las|la|a las)?\s*(?P<h>1[0-2]|[1-9])\s+menos\s+(?P<frac>cuarto|\d\d?)\b", "es_menos", ("menos",))
_tp(r"(?<=\d )(?:del mediodia|de la tarde|de la noche|en la tarde|en la noche|por la tarde|por la noche)\b", "pm_word", ("del ", " la "))
_tp(r"(?<=\d )(?:de la manana|en la manana|por la manana)\b", "am_word", (" la ",))
_tp(r"(?<![\d:/.-])(?P<h>1[0-2]|[1-9])\s(?:0\s(?P<m>[1-9])|(?P<m2>[0-5]\d)|(?P<m3>[1-9])(?=\s+(?:de la|del)\b))(?P<ap>\s*(?:am|pm)\b)?(?=\s*(?:am|pm|de la|del|in the|tonight|this (?:morning|afternoon|evening))\b)", "clock_min",
    ("am", "pm", "de la", "del", "in the", "tonight", "this "))
_tp(r"(?<![\d:./$])(?<!for )(?<!party )(?:(?<!of )|(?<=chance of )|(?<=instead of ))(?P<h>1[0-2]|[1-9])(?=\s+(?:tonight|this (?:morning|afternoon|evening)|in the (?:morning|afternoon|evening)|at night|"
    r"de la (?:manana|tarde|noche)|del mediodia|en la (?:manana|tarde|noche)|por la (?:manana|tarde|noche)|"
    r"tomorrow|today|manana|hoy|(?:this|next|on) \w+day)\b)", "clock_lead",
    ("tonight", "this ", "in the ", "at night", " la ", "del mediodia", "tomorrow", "today", "manana", "hoy", "next ", "on "))
_tp(r"\b(?:noon|midday|mid day|mediodia|medio dia|12 noon)\b(?:\s*ish)?", "noon", ("noon", "mid", "medio"))
_tp(r"\b(?:midnight|medianoche)\b", "midnight", ("midnight", "medianoche"))
# "3pm", "3ish", "3 oclock": kept only with one of those (a bare "3" it finds is dropped), so
# tried only when one is there (or an "a" or "p" right after a digit, as in "3p")
_tp(r"(?<![\d:./$-])" + _CLOCK_CORE + r"(?![\d:/])", "clock_ap",
    ("am", "pm", "ish", "oclock", *(d + ap for d in "0123456789" for ap in "ap")))
_tp(r"(?<![\d:./$])(?P<h>[01]?\d|2[0-3])[:.](?P<m>[0-5]\d)(?P<ap>\s*(?:am|pm)\b)?(?![\d/.:])", "clock_min", (":", "."))
_tp(r"(?<![\d:./$])(?P<h>[1-9]|1[0-2])\s*ish\b", "clock_ish", ("ish",))
_tp(r"(?<![\d:./$])(?P<h>[1-9]|1[0-2])\s*oclock(?P<ap>\s*(?:am|pm))?\b", "clock_ish", ("oclock",))
_tp(r"(?<=day )(?P<hhmm>[1-9][0-5]\d)(?P<ap>\s*(?:am|pm))?\b(?![:/.]\d)" + _UNITS_AFTER, "clock_hhmm", ("day ",))
_tp(_CUE + r"(?P<hhmm>(?:[01]?\d|2[0-3])[0-5]\d)(?P<ap>\s*(?:am|pm))?\b(?![:/.]\d)" + _UNITS_AFTER, "clock_hhmm",
    ("<3digits>",))       # "at 330": a cue's long search, spared when no three digits stand in a row
_tp(_CUE + r"(?P<h>[01]?\d|2[0-3])(?!\d)(?:\s(?P<m>[0-5]\d)(?!\s*(?:minutes|mins?|hours?)))?(?P<ap>\s*(?:am|pm)\b)?(?![:/.]\d)" + _UNITS_AFTER, "clock_cue")
_tp(r"(?<![\d:/.$-])(?<!for )(?<!of )(?P<h>1[0-2]|[1-9])(?:\s(?P<m>[0-5]\d))?(?=\s+(?:instead|works|would work|is (?:good|fine|better|ok|perfect)|ok|then|if possible|would be (?:good|great|better|ideal)"
    r"|(?:be )?(?:possible|ok|okay|any good|available|free|doable)|work|not \d+|en vez|en lugar|mejor|se puede|puede ser)\b)", "clock_cue",
    ("instead", "work", "is ", "ok", "then", "if possible", "would be", "possible", "any good", "available", "free", "doable",
     "not ", "en vez", "en lugar", "mejor", "se puede", "puede ser"))
# An hour right after a part of the day: "morning 11", "wed afternoon 2?", "el sabado a la noche, 8?"
_PART_BEFORE = "|".join(f"(?<={w}{sep})" for w in ("morning", "afternoon", "evening", "night", "tonight", "noche", "tarde")
                        for sep in (" ", " , "))
_tp(r"(?:" + _PART_BEFORE + r")(?:(?:at|around|about|like|a las|las|tipo) )?(?P<h>1[0-2]|[1-9])(?::(?P<m>[0-5]\d))?(?P<ap>\s*(?:am|pm)\b)?(?![\d:/.])"
    + _UNITS_AFTER, "clock_cue", ("morning ", "afternoon ", "evening ", "night ", "noche ", "tarde "))
# An hour and its minutes as words say them, with nothing else: "eleven fifteen?", "one thirty on friday"
_tp(r"(?<![\d:/.$-])(?P<h>1[0-2]|[1-9])\s(?P<m>15|30|45)(?=\s*(?:\?|on\b|tomorrow|today|instead|then|this\b|next\b|el\b|mejor))", "clock_min",
    (" 15", " 30", " 45"))
_tp(r"\bfor (?P<h>1[0-2]|[1-9])(?=\s+(?:instead|tomorrow|today|tonight|on|this|next|o clock)\b)", "clock_cue", ("for ",))
_tp(r"^\s*(?P<hhmm>(?:[01]?\d|2[0-3])[0-5]\d)(?P<ap>\s*(?:am|pm))?\s*(?:\?|instead|then|pls|please|works|ok|por favor|mejor)", "clock_hhmm",
    ("<lead_digit>",))    # a message that starts with its time ("330 instead?", "4 pls")
_tp(r"^\s*(?P<h>[01]?\d|2[0-3])(?P<ap>\s*(?:am|pm))?\s*(?:\?|instead|then|pls|please|works|ok|por favor|mejor)", "clock_lead",
    ("<lead_digit>",))

_THREE_DIGITS = re.compile(r"\d\d\d")


def _starts(pattern: str) -> str | None:
    """What every match of pattern begins with: "digit", "cue" (a _CUE, then a digit), or None."""
    if fastre.starts_with_digit(pattern):
        return "digit"
    if pattern.startswith(_CUE) and fastre.starts_with_digit(pattern[len(_CUE):]):
        return "cue"
    return None


# A pattern is tried when one of its `needs` is met and its own literal gate (fastre) lets
# it through, both told from the literals found in the message (see literals.py; "<...>"
# needs are facts find_times() tests itself): the patterns below are the plain regexes
# behind those gates.
_SCAN = [(literals.split_gate(rx)[1], kind, frozenset(needs or ("",)), _starts(rx.pattern))
         for rx, kind, needs in _TIME_PATTERNS]
_GATES = [literals.split_gate(rx)[0] for rx, _kind, _needs in _TIME_PATTERNS]
_NO_DIGIT = [i for i, x in enumerate(_SCAN) if x[1] in ("noon", "midnight", "qpast", "qto", "mpast")]
_SCAN_NO_DIGIT = [_SCAN[i] for i in _NO_DIGIT]
_SCAN_TABLES = (literals.Table([x[2] for x in _SCAN]), literals.Table(_GATES))
_SCAN_NO_DIGIT_TABLES = (literals.Table([x[2] for x in _SCAN_NO_DIGIT]), literals.Table([_GATES[i] for i in _NO_DIGIT]))
# the patterns each fact find_times() tells lets through (only digit-led patterns need one)
_F_3DIGITS, _F_LEAD_DIGIT = (_SCAN_TABLES[0].fact(f) for f in ("<3digits>", "<lead_digit>"))

# After / before: the clock expression that follows is re-parsed.
_AFTER = fastre.compile(r"\b(?:after|anytime after|any time after|from|later than|no earlier than|not before|"
                    r"despues de(?: las?)?|despues del|a partir de(?: las?)?|desde(?: las?)?|pasadas las)\s+$")
_BEFORE = fastre.compile(r"\b(?:before|by|no later than|not after|earlier than|antes de(?: las?)?|antes del|"
                     r"hasta(?: las?)?|up to|until|till|til)\s+$")

_PART_WORDS = [
    (fastre.compile(r"\b(?:tonight|this evening|esta noche|late tonight)\b"), "tonight"),
    (fastre.compile(r"\b(?:this morning|esta manana)\b"), "today_morning"),
    (fastre.compile(r"\b(?:this afternoon|esta tarde)\b"), "today_afternoon"),
    (fastre.compile(r"\bafter lunch(?:time)?\b|\bdespues (?:de|del) (?:la )?(?:comida|almuerzo|comer|almorzar)\b"), "after_lunch"),
    (fastre.compile(r"\bbefore lunch(?:time)?\b|\bantes (?:de|del) (?:la )?(?:comida|almuerzo|comer|almorzar)\b"), "before_lunch"),
    (fastre.compile(r"\b(?:lunch ?time|lunch|lunch break|hora de(?:l)? (?:la )?(?:comida|almuerzo|comer|almorzar))\b"), "lunch"),
    (fastre.compile(r"(?<!mas )(?<!muy )\btemprano\b(?! (?:por|en) la)"), "morning"),
    (fastre.compile(r"(?:(?<=day )|(?<=tomorrow )|(?<=today ))am\b"), "morning"),        # "sat am"
    (fastre.compile(r"(?:(?<=day )|(?<=tomorrow )|(?<=today ))pm\b"), "afternoon"),      # "fri pm"
    (fastre.compile(r"\b(?:mornings?|morning ish|(?:por|en|de|a) la manana|las mananas|temprano por la manana)\b"), "morning"),
    (fastre.compile(r"\b(?:afternoons?|afternoon ish|(?:por|en|de|a) la tarde|las tardes|tardecita|mid afternoon)\b"), "afternoon"),
    (fastre.compile(r"\b(?:evenings?|nights?|(?:por|en|de|a) la noche|las noches|after work|despues del trabajo)\b"), "evening"),
    (fastre.compile(r"\bafter school\b|\bdespues del colegio\b|\bdespues de la escuela\b"), "after_school"),
    (fastre.compile(r"\b(?:first thing|first slot|earliest (?:slot|time)|opening time|as soon as you open|a primera hora|primera hora)\b"), "first_thing"),
    (fastre.compile(r"\b(?:end of (?:the |the work |my work )?day|eod|closing time|last (?:slot|appointment) of the day|al final del dia|ultima hora)\b"), "eod"),
]


# The parts of the day are tried on every message: the literals found in it tell which
# of them can match at all (see literals.py).
_PART_SCAN = [(literals.split_gate(rx)[1], name, literals.split_gate(rx)[0]) for rx, name in _PART_WORDS]
_PART_TABLE = literals.Table([need for _rx, _name, need in _PART_SCAN])


def _pt_from(g: dict, prefix: str = "") -> Pt | None:
    h = g.get(prefix + "h")
    if h is None:
        return None
    m = g.get(prefix + "m") or g.get(prefix + "m2") or g.get(prefix + "m3") or "0"
    ap = (g.get(prefix + "ap") or g.get(prefix + "ap2") or "").strip()
    if ap in ("a", "am"):
        ap = "am"
    elif ap in ("p", "pm"):
        ap = "pm"
    else:
        ap = None
    return pt(int(h), int(m), ap)


def find_times(s: str, digit_info=None, present=None) -> list[Mention]:
    """Clock times and parts of the day in normalized text s. digit_info: digits_of(s),
    present: literals.scan(s), when the caller has them."""
    digit_at, digits = digits_of(s) if digit_info is None else digit_info
    has_digit = digit_at < len(s)
    # which of the `needs` substrings occur: the literals found, and these facts
    if present is None:
        present = literals.scan(s)
    facts = 0                               # the patterns they let through
    if has_digit:
        if _THREE_DIGITS.search(s, digit_at):
            facts = _F_3DIGITS
        if not s[:digit_at].strip():        # only spaces before the first digit (str.strip and \s agree)
            facts |= _F_LEAD_DIGIT
    # every clock pattern but a few needs a digit
    scan, (needs, gates) = (_SCAN, _SCAN_TABLES) if has_digit else (_SCAN_NO_DIGIT, _SCAN_NO_DIGIT_TABLES)
    wanted = needs.mask(present, facts) & gates.mask(present)
    parts = _PART_TABLE.mask(present)
    if not wanted and not parts:
        return []                           # no clock pattern nor part of the day can match
    claims = Claims()
    # Where a search may start and still find every match: at the first digit for a pattern
    # whose matches begin with a digit; for "cue + hour" ("at 3"), a cue's length before the
    # spaces in front of the first digit (a match there or later; one ending at a later digit
    # holds no digit, so it starts after the first one).
    cue_at = digit_at
    while cue_at > 0 and s[cue_at - 1].isspace():
        cue_at -= 1
    start_at = {"digit": digit_at, "cue": max(0, cue_at - _CUE_LONGEST), None: 0}
    for i in literals.indices(wanted):
        rx, kind, _needs, starts = scan[i]
        found = fastre.finditer_at(rx, s, digits) if starts == "digit" and digits is not None \
            else fastre.finditer_from(rx, s, start_at[starts])
        for m in found:
            a, b = m.span()
            g = m.groupdict()
            # the cue word is not part of the time itself
            if kind in ("clock_cue", "clock_hhmm", "clock_lead"):
                a = m.start("h") if g.get("h") is not None else m.start("hhmm")
            if not claims.free(a, b):
                continue
            if m.group(0).startswith("for ") and _PARTY.search(s):
                continue                    # "a table for 4": people, not 4 o'clock
            spec = None
            if kind == "range_to":
                if re.search(r"\b(?:at|around|about|@)\s+$", s[max(0, a - 10):a]) and not (g.get("a_m") or g.get("a_ap")):
                    continue                # "at 10 to 4" is 3:50, left to the minutes-to pattern
                if _UNIT_AFTER_RX.match(s[b:b + 12]):
                    continue
                kind = "range"
            if kind in ("pm_word", "am_word"):
                spec = ("part", "afternoon" if kind == "pm_word" else "morning")
                claims.claim(Mention("time", a, b, spec))
                continue
            if kind == "range" and _MOVE_FROM.search(s[max(0, a - 40):a] + m.group(0)[:5]):
                # "move it from 3 to 4": the old time, then the new one
                p2 = _pt_from(g, "b_")
                if p2 is None:
                    continue
                a = m.start("b_h")
                spec = ("point", p2)
                claims.claim(Mention("time", a, b, spec))
                continue
            # the commonest kinds first: the chain below tests one kind after another
            if kind in ("clock_ap", "clock_min", "clock_ish", "clock_cue", "clock_lead"):
                p = _pt_from(g)
                if p is None:
                    continue
                if kind == "clock_ap" and p.ap is None and not g.get("ish") and not g.get("oc"):
                    continue
                if kind == "clock_cue" and p.h == 0:
                    continue
                if p.ap and (p.h > 12 or p.h == 0):
                    p = pt(p.h, p.m, None) if p.h > 12 else p
                spec = ("point", p)
            elif kind == "range":
                p1, p2 = _pt_from(g, "a_"), _pt_from(g, "b_")
                if p1 and p2:
                    if p1.ap is None and p2.ap is not None:
                        # "3-5pm": the first end takes the second's half of the day
                        if p2.ap == "pm" and p1.h < 12 and (p1.h <= p2.h % 12 or p2.h == 12):
                            p1 = pt(p1.h, p1.m, "pm")
                        elif p2.ap == "am" and p1.h <= p2.h:
                            p1 = pt(p1.h, p1.m, "am")
                    spec = ("range", p1, p2)
            elif kind == "half":
                spec = ("point", pt(int(g["h"]), 30))
            elif kind in ("qpast", "qto", "mpast"):
                h = 12 if g["h"] == "noon" else int(g["h"])
                ap = (g.get("ap") or "").strip() or None
                if kind == "qpast":
                    spec = ("point", pt(h, 15, ap))
                elif kind == "qto":
                    spec = ("point", pt(h - 1 if h > 1 else 12, 45, ap))
                else:
                    mm = int(g["mm"])
                    if mm >= 60 or (mm % 5 and "minute" not in m.group(0)):
                        continue
                    if re.search(r"\b(?:" + _MONTH_RE + r")\s+$", s[max(0, a - 12):a]):
                        continue            # "dec 10 after 2pm" is a date and a time
                    spec = ("point", pt(h, mm, ap))
            elif kind == "mto":
                h = int(g["h"])
                ap = (g.get("ap") or "").strip() or None
                if not 0 < int(g["mm"]) < 60:
                    continue
                spec = ("point", pt(h - 1 if h > 1 else 12, 60 - int(g["mm"]), ap))
            elif kind == "es_y":
                f = g["frac"]
                mm = 30 if f == "media" else 15 if f == "cuarto" else int(f)
                if mm >= 60:
                    continue
                spec = ("point", pt(int(g["h"]), mm))
            elif kind == "es_menos":
                f = g["frac"]
                mm = 15 if f == "cuarto" else int(f)
                h = int(g["h"])
                spec = ("point", pt(h - 1 if h > 1 else 12, 60 - mm))
            elif kind == "noon":
                spec = ("point", pt(12, 0, "pm"))
            elif kind == "midnight":
                spec = ("point", pt(0, 0, "am"))
            elif kind == "clock_24":            # "15h", "3h18", "a las 15 horas": a 24-hour clock
                h = int(g["h"])
                spec = ("point", pt(h, int(g.get("m") or 0), "am" if h < 12 else None))
            elif kind == "clock_hhmm":
                v = g["hhmm"]
                h, mm = int(v[:-2]), int(v[-2:])
                if h > 23 or mm > 59:
                    continue
                ap = g.get("ap")
                spec = ("point", pt(h, mm, "am" if ap == "am" else "pm" if ap == "pm" else None))
            if spec is None:
                continue
            # "after 3", "before noon", "antes de las 3"
            head = s[max(0, a - 30):a]
            if spec[0] == "point":
                if (cue := _AFTER.search(head)):
                    a = a - len(cue.group(0))
                    spec = ("after", spec[1])
                elif (cue := _BEFORE.search(head)):
                    a = a - len(cue.group(0))
                    spec = ("before", spec[1])
            claims.claim(Mention("time", a, b, spec))
    # only the parts one of whose literals is here
    for i in literals.indices(parts):
        rx, name, _need = _PART_SCAN[i]
        for m in fastre.finditer_from(rx, s):
            a, b = m.span()
            if not claims.free(a, b):
                continue
            claims.claim(Mention("time", a, b, ("part", name)))
    found = claims.found
    if len(found) > 1 and any(m.data == ("part", "first_thing") for m in found):
        # "first thing tomorrow morning": the opening time, which the morning only repeats
        found[:] = [m for m in found if m.data not in (("part", "morning"), ("part", "today_morning"))]
    return found


def _hours_of(ctx: Context, d: date):
    return ctx.hours.get(WEEKDAYS[d.weekday()]) if ctx.hours else None


def resolve_hour(p: Pt, d: date, ctx: Context, part: str | None = None) -> time:
    """Rule 1: a bare hour falls inside the day's opening hours."""
    h, mi = p.h, min(p.m, 59)
    ap = p.ap
    if ap is None and part:
        if part in ("morning", "today_morning", "first_thing"):
            ap = "am"
        elif part in ("afternoon", "evening", "tonight", "today_afternoon", "after_lunch", "eod"):
            ap = "pm"
    if h == 12 and p.ap is None and part in ("evening", "tonight"):
        return time(0, mi)              # "tonight at 12" is midnight
    if h >= 13 or h == 0:
        return time(h % 24, mi)
    if ap == "am":
        return time(h % 12, mi)
    if ap == "pm":
        return time(h % 12 + 12, mi)
    if h == 12:
        return time(12, mi)
    am, pm = time(h, mi), time(h + 12, mi)
    hours = _hours_of(ctx, d)
    if hours:
        op, cl = hours
        if op <= am < cl:
            return am
        if op <= pm < cl:
            return pm
    return pm if 1 <= h <= 7 else am


def _at(d: date, t: time) -> datetime:
    return datetime.combine(d, t)


def time_window(spec, d: date, ctx: Context, part: str | None) -> Window:
    k = spec[0]
    if k == "point":
        tt = resolve_hour(spec[1], d, ctx, part)
        t = _at(d + DAY if (tt == time(0) and spec[1].h in (0, 12)) else d, tt)
        return window(t, t)
    if k == "range":
        a = _at(d, resolve_hour(spec[1], d, ctx, part))
        b = _at(d, resolve_hour(spec[2], d, ctx, part))
        if b <= a and spec[2].h <= 12 and b.hour < 12:
            b += timedelta(hours=12)
        if b < a:
            a, b = b, a
        return window(a, b)
    if k == "after":
        a = _at(d, resolve_hour(spec[1], d, ctx, part))
        end = _at(d, AFTER_END)
        return window(a, end if end > a else a)
    if k == "before":
        b = _at(d, resolve_hour(spec[1], d, ctx, part))
        st = _at(d, BEFORE_START)
        return window(st if st < b else b, b)
    name = spec[1]
    if name in ("tonight",):
        name = "evening"
    elif name.startswith("today_"):
        name = name[6:]
    if name in PARTS:
        a, b = PARTS[name]
        return window(_at(d, a), _at(d, b))
    if name == "after_lunch":            # the afternoon once lunch is over
        return window(_at(d, time(13)), _at(d, PARTS["afternoon"][1]))
    if name == "after_school":
        return window(_at(d, time(15)), _at(d, AFTER_END))
    if name == "before_lunch":
        return window(_at(d, BEFORE_START), _at(d, time(12)))
    hours = _hours_of(ctx, d)
    if name == "first_thing":
        t = _at(d, hours[0] if hours else BEFORE_START)
        return window(t, t)
    if name == "eod":
        if hours:
            cl = _at(d, hours[1])
            return window(cl - timedelta(hours=1), cl)
        return window(_at(d, time(17)), _at(d, AFTER_END))
    return window(_at(d, time(0)), _at(d + DAY, time(0)))
