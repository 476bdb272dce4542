"""Times relative to the appointment or to now: "an hour later", "push it back
30 min", "earlier that day", "anything later", "same time", "the day before",
"in an hour", "ahorita" (conventions C7 and C8 of nlu/CONVENTIONS.md)."""
from __future__ import annotations

import re
from datetime import timedelta

from . import fastre, literals
from .mention import Mention

# Relative to the appointment -------------------------------------------------
_QTY = r"(?P<n>\d+|an|a|one|half an|half a|1/2|un|una|media|1 and a half|an hour and a half|a couple(?: of)?|couple(?: of)?|a few|few|unas|unos)"
_UNIT = r"(?P<u>hours?|minutes|mins?|h|horas?|horitas?|minutos|minutitos|days?|dias?|weeks?|semanas?)"
_REL_DELTA = fastre.compile(r"\b" + _QTY + r"\s*" + _UNIT + r"(?P<half>\s+(?:and a half|y media))?(?P<after>\s+(?:(?:or so|or two|or 2)\s+)?(?:later|earlier|sooner|before|after|back|forward|mas tarde|antes|despues|mas temprano|later than|earlier than|after that|before that))?\b")
_DIR_LATER = fastre.compile(r"\b(?:push(?:ed|ing)?|back|later|delay|retras(?:ar|arla|arlo|amos|en|a)|atras(?:ar|arla|arlo|amos)|mas tarde|despues|after|postpone)\b")
_DIR_EARLIER = fastre.compile(r"\b(?:earlier|sooner|forward|up|bring|adelant\w*|antes|mas temprano|before)\b")
_REL_EARLIER = fastre.compile(r"\b(?:earlier (?:that|the same|on that|in the|that same) day|anything earlier|something earlier|any(?:thing)? earlier|any(?:thing)? sooner|something sooner|(?<!the )earlier (?:time|slot|appointment|one)|sooner\s*(?:\?|$)|"
                          r"earlier\s*(?:\?|$|pls|please|if|instead|on that)|(?:algo |un poco )?mas temprano|algo antes|un poco antes|antes ese dia|mas pronto)")
_REL_LATER = fastre.compile(r"\b(?:later (?:that|the same|on that|in the|that same) day|anything later|something later|any(?:thing)? later(?! this week| in the week)|(?<!the )later (?:time|slot|appointment|one)|"
                        r"a (?:bit|little) later|bit later|(?<!maybe )(?<!talk )(?<!you )(?<!back )(?<!text )(?<!book )(?<!call )(?<!chat )(?<!schedule )(?<!reschedule )later\s*(?:\?|$|pls|please|if|instead|on that)|(?:algo |un poco )?mas tarde(?! esta semana)|algo despues|un poco despues|despues ese dia)")
_REL_DAY = fastre.compile(r"\bthe day (?P<d>before|after)(?! tomorrow| yesterday)\b|\bel dia (?P<e>anterior|siguiente|antes|despues)\b")
_SAME_TIME = fastre.compile(r"\b(?:same (?:day (?:and|&) time|time (?:and|&) day)|(?:el )?mismo dia (?:y|a la) (?:misma )?hora(?:rio)?|same time|same hour|same slot|(?:a )?la misma hora|mismo horario|misma hora)\b")
_NOW = fastre.compile(r"\b(?:right now|ahorita|ahora mismo|en este momento|at this time)\b|\b(?:come|come in|do|go|be seen|get in|fit me in|squeeze me in) now\b")
# Both delta patterns hold one of _UNIT's words followed by a word boundary ("2 hours",
# "30 min", "1h"): one quick search for that spares their scans on a third of messages.
# And wherever _IN_DELTA matches, _REL_DELTA does too (its "QTY UNIT" part, at a word
# boundary), so when _REL_DELTA finds nothing _IN_DELTA is not run at all.
_UNIT_WORD = re.compile(_UNIT.replace("?P<u>", "?:") + r"\b")
_IN_DELTA = fastre.compile(r"\b(?:in|en|dentro de)\s+" + _QTY + r"\s*(?P<u>hours?|minutes|mins?|horas?|minutos|h)\b"
                       r"(?!\s+(?:and a half\s+|y media\s+)?(?:earlier|later|sooner|before|after|back|forward|antes|despues|mas tarde|mas temprano)\b)"
                       r"|\b" + _QTY.replace("?P<n>", "?P<n2>") + r"\s*(?P<u2>hours?|minutes|mins?)\s+from now\b")


def _mins(n: str, u: str) -> timedelta:
    n = n.strip()
    if n in ("an hour and a half", "1 and a half"):
        return timedelta(minutes=90)
    if n in ("half an", "half a", "1/2", "media"):
        val = 0.5
    elif "couple" in n:
        val = 2.0
    elif n in ("a few", "few", "unas", "unos"):
        val = 3.0
    elif n in ("an", "a", "one", "un", "una"):
        val = 1.0
    else:
        val = float(n)
    if u.startswith(("hour", "hora")) or u == "h":
        return timedelta(minutes=val * 60)
    if u.startswith(("day", "dia")):
        return timedelta(days=val)
    if u.startswith(("week", "semana")):
        return timedelta(days=7 * val)
    return timedelta(minutes=val)


# The searches below, each behind the literals its matches hold, told from the literals
# found in the message (see literals.py): bit i of _TABLE for _GATED[i].
_GATED = (_IN_DELTA, _REL_DAY, _REL_EARLIER, _REL_LATER, _SAME_TIME, _NOW)
_TABLE = literals.Table([literals.split_gate(rx)[0] for rx in _GATED])
_IN_DELTA_RX, _REL_DAY_RX, _REL_EARLIER_RX, _REL_LATER_RX, _SAME_TIME_RX, _NOW_RX = (literals.split_gate(rx)[1] for rx in _GATED)


def find_relative(s: str, present=None) -> list[Mention]:
    """Relative expressions in normalized text s. present: literals.scan(s), when the
    caller has it."""
    out: list[Mention] = []
    can = _TABLE.mask(literals.scan(s) if present is None else present)
    first_delta = _REL_DELTA.search(s) if _UNIT_WORD.search(s) else None
    for m in (fastre.finditer_from(_IN_DELTA_RX, s) if first_delta and can & 1 else ()):
        n, u = (m.group("n"), m.group("u")) if m.group("n") else (m.group("n2"), m.group("u2"))
        out.append(Mention("exact", m.start(), m.end(), _mins(n, u)))
    for m in (_REL_DELTA.finditer(s, first_delta.start()) if first_delta else ()):
        if any(x.s <= m.start() < x.e for x in out):
            continue
        after = (m.group("after") or "").strip()
        head = s[max(0, m.start() - 40):m.start()]
        tail = s[m.end():m.end() + 12]
        if re.search(r"\b(?:in|en|dentro de|for|por|wait|late|tarde)\s*$", head) and not after:
            continue
        if re.match(r"\s*(?:late|tarde|behind|away|out|retraso|de retraso)\b", tail) and not after:
            continue
        sign = 0
        if after:
            if re.match(r"(?:(?:or so|or two|or 2)\s+)?(?:later|after|back|mas tarde|despues)", after):
                sign = 1
            else:
                sign = -1
        else:
            if _DIR_EARLIER.search(head[-25:]) and not re.search(r"\bback\b", head[-25:]):
                sign = -1
            elif _DIR_LATER.search(head[-25:]):
                sign = 1
        if sign == 0:
            continue
        amount = _mins(m.group("n"), m.group("u"))
        if m.group("half"):                 # "an hour and a half", "una hora y media"
            amount += _mins("1", m.group("u")) / 2
        out.append(Mention("rel", m.start(), m.end(), ("delta", sign * amount)))
    for m in (fastre.finditer_from(_REL_DAY_RX, s) if can & 2 else ()):
        word = m.group("d") or m.group("e")
        out.append(Mention("rel", m.start(), m.end(), ("day", 1 if word in ("after", "siguiente", "despues") else -1)))
    if not any(x.kind == "rel" for x in out):
        m = _REL_EARLIER_RX.search(s) if can & 4 else None
        if m:
            out.append(Mention("rel", m.start(), m.end(), ("earlier",)))
        else:
            m = _REL_LATER_RX.search(s) if can & 8 else None
            if m:
                out.append(Mention("rel", m.start(), m.end(), ("later",)))
    m = _SAME_TIME_RX.search(s) if can & 16 else None
    if m:
        out.append(Mention("same_time", m.start(), m.end(), None))
    m = _NOW_RX.search(s) if can & 32 else None
    if m:
        out.append(Mention("exact", m.start(), m.end(), timedelta(0)))
    return out
