"""Turn a raw SMS / chat message into a plain, predictable string.

Everything downstream matches against the output of `normalize()`:
lowercase, accents folded ("mañana" -> "manana"), emoji and control
characters removed (keycap digits such as 2️⃣ kept as "2"), SMS spellings
expanded ("2morrow" -> "tomorrow", "u" -> "you"), typos in weekday and month
names corrected ("wensday" -> "wednesday", "viernez" -> "viernes") and number
words turned into digits where they cannot be anything else ("three" -> "3").

Very long input is cut to MAX_CHARS before any regex runs: a client message
that matters is a few sentences long, and bounding the input bounds the time
every later pattern can take (no pattern here can backtrack badly, but the
cap keeps the worst case linear in a small number).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from . import fastre

MAX_CHARS = 1000

_KEYCAP = fastre.compile("([0-9#*])\ufe0f?\u20e3")
_ABBR_DOT = fastre.compile(r"(?i)\b(jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
                       r"ene|abr|ago|dic|lun|mie|jue|vie|sab|dom)\.(?=\s*[\w,])")
_ASCII_CONTROL = fastre.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_APOS = fastre.compile("[\u2018\u2019\u02bc`\u00b4]")
_TOKEN = fastre.compile(r"[a-z0-9]+|[^a-z0-9\s]")


# Emoji that carry a meaning in a reply; every other symbol is dropped.
_EMOJI_WORDS = {
    "\U0001F44D": " ok ", "\U0001F44C": " ok ", "\u2705": " ok ", "\u2714": " ok ", "\u2611": " ok ",
    "\U0001F44E": " no ", "\u274C": " x ", "\u2716": " x ", "\U0001F6AB": " no ",
}
_EMOJI_RX = fastre.compile("|".join(re.escape(k) for k in _EMOJI_WORDS))


def _fold_char(ch: str) -> str:
    cat = unicodedata.category(ch)
    if cat.startswith("C"):           # control, format, surrogate, private use
        return " "
    if cat in ("So", "Sk", "Cn"):     # emoji and other symbols
        return " "
    if cat == "Mn":                   # stray combining marks
        return ""
    return ch


class _FoldTable(dict):
    """_fold_char by code point, for str.translate: one C-level pass over the text instead
    of a Python call per character. The common code points are filled in at import; any
    other is worked out when met and not stored, so the table stays a fixed size."""

    def __missing__(self, cp: int) -> str:
        return _fold_char(chr(cp))


_FOLD_TABLE = _FoldTable({cp: _fold_char(chr(cp)) for cp in (*range(0x800), *range(0x2000, 0x2070))})


# SMS spellings and contractions: whole tokens, after lowercasing and folding.
_ABBREV = {
    "2morrow": "tomorrow", "2moro": "tomorrow", "2morow": "tomorrow", "2mrw": "tomorrow",
    "2mro": "tomorrow", "tmrw": "tomorrow", "tmr": "tomorrow", "tmw": "tomorrow",
    "tmrow": "tomorrow", "tomoro": "tomorrow", "tomorow": "tomorrow", "tommorow": "tomorrow",
    "tommorrow": "tomorrow", "tomorrows": "tomorrow", "tomm": "tomorrow", "tmo": "tomorrow",
    "tomrw": "tomorrow", "tomrrow": "tomorrow", "morrow": "tomorrow",
    "2day": "today", "tdy": "today", "todays": "today s", "tomorrows": "tomorrow s", "tonights": "tonight s", "2nite": "tonight", "tonite": "tonight", "2night": "tonight",
    "u": "you", "ur": "your", "pls": "please", "plz": "please",
    "plss": "please", "pleas": "please", "pleeease": "please", "pleasee": "please",
    "thx": "thanks", "thnx": "thanks", "thanx": "thanks", "tks": "thanks", "ty": "thanks",
    "tysm": "thanks",
    "appt": "appointment", "appts": "appointments", "apt": "appointment", "apts": "appointments",
    "appointmnt": "appointment", "appoinment": "appointment", "apointment": "appointment",
    "wkend": "weekend", "wknd": "weekend", "wkd": "weekend", "wk": "week", "wks": "weeks",
    "b4": "before", "bc": "because", "cuz": "because", "coz": "because",
    "min": "minutes", "mins": "minutes", "minute": "minutes",
    "hr": "hour", "hrs": "hours", "hour": "hour",
    "cant": "cant", "cannot": "cant", "dont": "dont", "wont": "wont", "didnt": "didnt",
    "im": "im", "ill": "ill", "id": "id", "ive": "ive",
    "abt": "about", "aft": "afternoon", "arvo": "afternoon", "aftn": "afternoon",
    "afternoon": "afternoon", "afternon": "afternoon", "aftrnoon": "afternoon",
    "mornin": "morning", "morn": "morning", "mornign": "morning", "moring": "morning",
    "evng": "evening", "eve": "evening", "evenin": "evening", "evening": "evening",
    "nxt": "next", "nex": "next", "wat": "what", "wut": "what", "wen": "when",
    "smth": "something", "sth": "something", "sumthing": "something",
    "anytime": "any time", "noonish": "noon ish", "afternoonish": "afternoon ish",
    "morningish": "morning ish", "eveningish": "evening ish", "lunchish": "lunch ish", "mayb": "maybe",
    "rn": "right now", "nite": "night", "l8": "late", "l8r": "later", "gr8": "great", "sry": "sorry", "srry": "sorry",
    "soz": "sorry", "tho": "though", "bday": "birthday", "nvm": "nvm", "nm": "nvm", "mins": "minutes", "cud": "could", "cld": "could", "wud": "would", "wld": "would", "shud": "should",
    "insted": "instead", "instaed": "instead", "isntead": "instead", "instad": "instead", "intead": "instead",
    "resched": "reschedule", "reschedual": "reschedule", "reshedule": "reschedule", "rescedule": "reschedule",
    "cancle": "cancel", "cancell": "cancel", "cancl": "cancel", "cancelar": "cancelar",
    # Spanish SMS writing
    "porfa": "por favor", "orita": "ahorita", "horita": "ahorita", "porfis": "por favor", "xfa": "por favor", "xfavor": "por favor",
    "pf": "por favor", "k": "ok", "q": "que", "cxl": "cancel", "cxld": "canceled", "cncl": "cancel", "xq": "porque", "pq": "porque",
    "tb": "tambien", "tmb": "tambien", "finde": "fin de semana",
    "dsps": "despues", "dps": "despues", "mñn": "manana", "mna": "manana", "mnn": "manana",
    "grax": "gracias", "grs": "gracias", "grcs": "gracias", "msj": "mensaje", "msjs": "mensajes",
    "hrs.": "horas",
}

# Canonical day and month words we try to repair typos towards.
_FUZZY_TARGETS = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "august", "september", "october",
    "november", "december", "tomorrow", "morning", "afternoon", "evening", "tonight",
    "lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo",
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
    "septiembre", "setiembre", "octubre", "noviembre", "diciembre", "manana",
    "reschedule", "appointment", "cancel", "cancelar",
)
# Exact misspellings that edit distance would not reach safely (short words).
_TYPOS = {
    "wensday": "wednesday", "wendsday": "wednesday", "wednsday": "wednesday", "wedsday": "wednesday",
    "wednes": "wednesday", "weds": "wednesday", "wedn": "wednesday", "wed": "wednesday",
    "thrusday": "thursday", "thurday": "thursday", "thursdy": "thursday", "thurs": "thursday",
    "thur": "thursday", "thu": "thursday", "thr": "thursday", "thrs": "thursday", "thrus": "thursday",
    "tues": "tuesday", "tue": "tuesday", "tuseday": "tuesday", "teusday": "tuesday",
    "mon": "monday", "mondy": "monday", "fri": "friday", "frid": "friday", "fridy": "friday",
    "firday": "friday", "fryday": "friday", "sat": "saturday", "satur": "saturday",
    "saterday": "saturday", "satuday": "saturday", "sun": "sunday", "sundy": "sunday",
    "jan": "january", "feb": "february", "febuary": "february", "mar": "march",
    "apr": "april", "jun": "june", "june": "june", "jul": "july", "july": "july",
    "aug": "august", "sep": "september", "sept": "september", "oct": "october",
    "nov": "november", "dec": "december", "may": "may",
    "viernez": "viernes", "bierne": "viernes", "biernes": "viernes", "vier": "viernes",
    "vie": "viernes", "mier": "miercoles", "mie": "miercoles", "miercole": "miercoles",
    "jue": "jueves", "juev": "jueves", "lun": "lunes", "mart": "martes", "sab": "sabado",
    "sabdo": "sabado", "dom": "domingo", "ene": "enero", "feb.": "febrero",
    "dic": "diciembre", "sept.": "septiembre", "ago": "ago", "abr": "abril",
    "manana": "manana", "mañana": "manana",
    "tmrrw": "tomorrow", "tomorro": "tomorrow", "tomorroe": "tomorrow",
}

_NUMBER_WORDS = {
    "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "fifteen": "15", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50",
    "fourty": "40", "zero": "0", "oh": "oh", "untill": "until", "til": "til",
    "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5", "seis": "6", "siete": "7",
    "ocho": "8", "nueve": "9", "diez": "10", "doce": "12", "quince": "15",
    "veinte": "20", "treinta": "30", "cero": "0", "cuarenta": "40", "cincuenta": "50",
}
_COMPOUND_NUMBER = fastre.compile(r"\b(20|30|40|50) (?:and |y )?([1-9])\b")
_VEINTI = fastre.compile(r"\bveinti(uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve)\b")
_VEINTI_N = {"uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
             "siete": 7, "ocho": 8, "nueve": 9}
_ONE_AT = fastre.compile(r"\b(at|@|around|about|by|after|before|til|till|until|to|from|y|and) one\b|\b(one)(?= (?:15|30|45|am|pm|oclock)\b)")
_LA_UNA = fastre.compile(r"\b(las|la) una\b")
_LAS_ONCE = fastre.compile(r"\b(las|la|a|dia|el|del) once\b")
_AMPM_DOTS = fastre.compile(r"(?<=[\d\s])([ap])\.\s?m\b\.?")
_AMPM_SPACED = fastre.compile(r"(\d\s)([ap])\s?m\b")
_IN_THE_AM = fastre.compile(r"\s+in the ([ap])m\b")
_WORD_HYPHEN = fastre.compile(r"(?<=[a-z])-(?=[a-z])")
_AMPM_ISH = fastre.compile(r"(?<=\d)([ap])mish\b")
_OCLOCK = fastre.compile(r"\s?o\s?clock\b")
_REPEAT = fastre.compile(r"([a-z])\1{2,}")           # "pleeease" -> "please", "nooo" -> "no"


def _edit1_or_2(a: str, b: str, limit: int) -> bool:
    """True when the Levenshtein distance between a and b is at most limit."""
    if abs(len(a) - len(b)) > limit:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        best = i
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if cur[j] < best:
                best = cur[j]
        if best > limit:
            return False
        prev = cur
    return prev[-1] <= limit


_FUZZY_SET = frozenset(_FUZZY_TARGETS)


@lru_cache(maxsize=4096)
def _fix_word(w: str) -> str:
    """Repair one lowercase token (cached: the vocabulary of SMS is small)."""
    if w in _ABBREV:
        return _ABBREV[w]
    if w in _TYPOS:
        return _TYPOS[w]
    if w in _NUMBER_WORDS:
        return _NUMBER_WORDS[w]
    if w.endswith("ish") and w[:-3] in _NUMBER_WORDS:
        return _NUMBER_WORDS[w[:-3]] + "ish"   # "four-ish" -> "fourish" -> "4ish"
    if w in _FUZZY_SET:
        return w
    if len(w) < 5 or len(w) > 11 or not w.isalpha():
        return w
    limit = 1 if len(w) < 7 else 2
    if any(w.startswith(t) or t.startswith(w) for t in _FUZZY_TARGETS if t[0] == w[0]):
        return w                          # an inflection ("cancela", "mondays"), not a typo
    for target in _FUZZY_TARGETS:
        if target[0] == w[0] and _edit1_or_2(w, target, limit):
            return target
    return w


# Frequent English words that happen to be one edit away from a target.
_PROTECT = frozenset("""
marching marched monkey sunny sundae fridge saturn octave novel mayor august
month months mondays fridays sundays tuesdays thursdays saturdays wednesdays
morning mornings evening evenings manage manana mananas carmen martin
cancelled canceled cancels cancelling canceling cancellation cancelación
appointments martes lunes jueves viernes sabado domingo enero marzo mayo junio
julio agosto abril merci match matches marco marcy junior julia julie juliet
cancer cancers domingos afternoons tonights appointments rescheduled mondays
jueza marta marty frida fridas sunder sundar octavia
""".split())


def fix_token(w: str) -> str:
    if w in _PROTECT:
        return w
    return _fix_word(w)


@lru_cache(maxsize=4096)
def _normal_token(tok: str) -> str:
    """One token of the text as normalize() writes it: runs of a letter cut to two
    ("pleeease" -> "pleease", "nooo" -> "noo"), then SMS spellings and typos repaired.
    A token's form depends on the token alone (cached: the vocabulary of SMS is small).
    Cutting the runs token by token is the same as on the whole text: a run of one
    letter never crosses a token's edge, and "at3" -> "at 3" never touches one."""
    tok = _REPEAT.sub(r"\1\1", tok)
    if tok.isalpha() or tok in _ABBREV:      # (every _ABBREV key starts with a letter or digit)
        return fix_token(tok)
    return tok


def fold(text: str) -> str:
    """Lowercase, fold accents, drop emoji and control characters."""
    text = text[:MAX_CHARS]
    if "\u20e3" in text:
        text = _KEYCAP.sub(r" \1 ", text)
    # an abbreviation's dot has a word or comma after it, so it survives stripping the
    # trailing dots and spaces: a message whose only dots end it ("ok see you then.") skips the scan
    if "." in text.rstrip(". "):
        text = _ABBR_DOT.sub(r"\1", text)
    if text.isascii():
        if not text.isprintable():          # (an ASCII control character is never printable)
            text = _ASCII_CONTROL.sub(" ", text)
        text = text.replace("`", "'")       # fast path: nothing to fold
    else:
        text = _APOS.sub("'", text)
        text = _EMOJI_RX.sub(lambda m: _EMOJI_WORDS[m.group(0)], text)
        text = unicodedata.normalize("NFKD", text)
        text = text.translate(_FOLD_TABLE)    # the same as "".join(map(_fold_char, text))
    text = text.lower().replace("ß", "ss")
    return " ".join(text.split())           # collapse and trim whitespace: str.split and regex \s agree on what a space is


_ASCII_DIGIT = re.compile("[0-9]")
_DIGIT_DASH_DIGIT = fastre.compile(r"\d-\d")


def _has_digit(s: str) -> bool:
    """any(c.isdigit() for c in s), without a Python-level loop for ASCII text."""
    if s.isascii():
        return _ASCII_DIGIT.search(s) is not None
    return any(c.isdigit() for c in s)


_GLUE = fastre.compile(r"(\d) ([:./]) (?=\d)")
_DASH_GLUE = fastre.compile(r"(?<=\d) - (?=\d)")
_AT_DIGIT = fastre.compile(r"\b(at|@|a las|alas)(\d)")
# Quick tests that spare a rewrite its scan: each holds wherever the rewrite's pattern
# matches (here and below the text's only spaces are single " ", the tokens' joins).
_AT_DIGIT_HINT = re.compile(r"[t@s]\d")


def normalize(text: str, folded: str | None = None) -> str:
    """The canonical form every rule matches against (see the module docstring).
    Pass fold(text) as `folded` when you already have it. Each rewrite runs only
    when a cheap test says it can apply: this is on every message's path."""
    s = fold(text) if folded is None else folded
    s = s.replace("'", "").replace("-ish", "ish")  # can't -> cant, i'll -> ill, 7-ish -> 7ish
    if "mish" in s:
        s = _AMPM_ISH.sub(r"\1m", s)           # "7pm-ish" -> "7pmish" -> "7pm"
    if "." in s:
        s = _AMPM_DOTS.sub(r"\1m ", s)           # "p.m." -> "pm"
    if "in the" in s:
        s = _IN_THE_AM.sub(r" \1m", s)           # "3 in the am" -> "3 am"
    if "-" in s:
        s = _WORD_HYPHEN.sub(" ", s)              # "twenty-three" -> "twenty three"
    if "clock" in s:
        s = _OCLOCK.sub(" oclock", s)
    if _AT_DIGIT_HINT.search(s):                 # (its match holds a digit: no digit test first)
        s = _AT_DIGIT.sub(r"\1 \2", s)          # "at3" -> "at 3"
    s = " ".join(map(_normal_token, _TOKEN.findall(s)))
    if _has_digit(s):                             # number words may have become digits
        # re-glue punctuation that matters for times and dates: "3 : 30" -> "3:30"
        if " : " in s or " . " in s or " / " in s:
            s = _GLUE.sub(r"\1\2", s)
        s = _DASH_GLUE.sub("-", s)
        s = _COMPOUND_NUMBER.sub(lambda m: str(int(m.group(1)) + int(m.group(2))), s)
        if "am" in s or "pm" in s or "a m" in s or "p m" in s:
            s = _AMPM_SPACED.sub(r"\1\2m", s)    # "9 59 a m" -> "9 59 am"
    if "veinti" in s:
        s = _VEINTI.sub(lambda m: str(20 + _VEINTI_N[m.group(1)]), s)
    if "one" in s:
        s = _ONE_AT.sub(lambda m: f"{m.group(1)} 1" if m.group(1) else "1", s)   # "at one", "one thirty"
    if "una" in s:
        s = _LA_UNA.sub(r"\1 1", s)
    if "once" in s:
        s = _LAS_ONCE.sub(r"\1 11", s)
    if "-" in s and not _DIGIT_DASH_DIGIT.search(s):
        s = s.replace("-", " - ")
    return " ".join(s.split())
