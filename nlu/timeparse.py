"""The time a message asks for, as a Window, following the domain conventions
of ../shared/nlu-eval/README.md (see also nlu/CONVENTIONS.md).

Works in two steps on normalized text (see normalize.py):

1. `find_mentions()` finds every day, time-of-day and relative expression
   with its position, and marks those that describe the *existing*
   appointment or a rejected time ("my friday appt", "instead of tmrw",
   "can't do saturday", "not sunday") as references (`ref=True`).
2. `resolve()` combines the mentions into windows: the last mention of each
   kind wins (so a correction such as "friday at 3. actually make it 4"
   gives friday 16:00), mentions joined by "or" are alternatives, a time
   without a day keeps the appointment's date, bare hours are read inside
   the opening hours of the day they fall on.

The readers live in clock.py (times of day), days.py (days and dates) and
relative.py (relative to the appointment or now); this module marks the
references and combines what they found.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from operator import attrgetter
from datetime import date, time, timedelta

from . import fastre, literals
from .clock import _at, find_times, resolve_hour, time_window
from .days import _days, _monday_next, _next_d, find_days
from .mention import DAY, Mention, Pt, digits_of
from .relative import find_relative
from .understanding import Context, Window, window

_START = attrgetter("s")     # a mention's start: the sort key, read in C

__all__ = ["Mention", "Pt", "TimeReading", "blank_non_times", "find_mentions", "resolve", "resolve_hour"]

# References and rejections: mentions inside these are not the requested time.
_NEG_BEFORE = fastre.compile(
    r"(?:\b(?:not|cant|cannot|wont|couldnt|unable to|can no longer|no longer|"
    r"cant (?:make|do|come|go|attend)|wont (?:make|be able to (?:make|come))|"
    r"cant (?:make|do) it|not able to (?:make|do|come)|(?:busy|working|away|out of town|unavailable|not free|not available)|"
    r"instead of(?: the)?|rather than|than|but not|any ?day but|any ?time but|anything but|except|except for|other than|excepto|menos|salvo|in place of|en vez del?|en lugar del?|no puedo(?: ir)?|no podre(?: ir)?|no voy a poder(?: ir)?|"
    r"no me (?:va|viene|sirve|queda)(?: bien)?|ya no puedo|count me out|no cuenten conmigo|no)"
    r"(?:\s+(?:make|do|come|go|attend|it|in|on|at|for|make it|be there|el|la|los|las|del|de|a las|a la|this|the|my))*\s*)$")
_SERVICE_NOUNS = (r"appointment|appointments|appt|booking|reservation|cita|citas|reserva|session|one|"
                  r"haircut|cut|color|colour|trim|manicure|pedicure|nails|blowout|blow dry|wax|brow wax|gloss|"
                  r"highlights|balayage|fade|facial|massage|beard trim|corte|tinte|manicura|pedicura|peinado|mechas|unas")
_REF_BEFORE = fastre.compile(
    r"(?:\b(?:my|mi|mis|your|the|la|el)\s+(?:(?:" + _SERVICE_NOUNS + r")\s+"
    r"(?:on|at|of|this|del|de|el|from|scheduled for|booked for|que tengo el|que tengo)\s+(?:the\s+)?"
    r"|(?:on|at|of|this|del|de|el|from|scheduled for|booked for|que tengo el|que tengo)\s+)?"
    r"|\b(?:my|mi|mis)\s+(?:" + _SERVICE_NOUNS + r")\s+"
    r"|\b(?:have|had|got|booked|tengo|tenia)\s+(?:an?|una|my|mi)\s+(?:" + _SERVICE_NOUNS + r")\s+(?:on|at|this|el|del|de|for|para el)?\s*"
    r"|\b(?:from|del|desde el)\s+"
    # "for my extensions on the 14th": whatever the client calls it
    r"|\b(?:for|about|with) (?:my|mi|mis)\s+[a-z]+(?:\s[a-z]+)?\s+(?:on|at|this|del|de|el)\s+(?:the\s+)?"
    # "I'll keep wednesday": the time it already has
    r"|\b(?:keep|keeping|stick with|stay with|mantener|mantengo|me quedo con|dejarla|dejala)\s+(?:it\s+|la\s+)?(?:on\s+|at\s+|el\s+|la\s+|a las\s+)?(?:the\s+|my\s+)?)$")
# A day or time ruled out after it is said: "sat is no good anymore", "thurs doesnt work",
# "tomorrow's no good", "el jueves ya no puedo", "el sábado no me viene bien", "esta semana no,"
_NEG_AFTER = fastre.compile(
    r"\s*(?:s\s+|is\s+|are\s+|its\s+|it s\s+|isnt\s+|got\s+|ya\s+)?(?:(?:just\s+|really\s+|definitely\s+)?(?:no good|not good|not great|no bueno|"
    r"doesnt work|does not work|dont work|do not work|wont work|will not work|not working|not possible|impossible|out|bad|full|booked|"
    r"taken|a no|not an option|no longer works|crazy|hard|tough|difficult|busy)|"
    r"(?:ya )?no (?:puedo|podre|me (?:va|viene|sirve|queda)|es posible|funciona)|no(?=\s*(?:[,.!;]|$)))")
_THE_BEFORE = fastre.compile(r"(?:^|[,.;]\s*|\b(?:move|push|change|shift|bump)\s+)the\s+$")
_REF_AFTER = fastre.compile(r"^\s*(?:s\s+)?(?:one|" + _SERVICE_NOUNS + r")\b")
_STRICT_REF_BEFORE = fastre.compile(r"\b(?:la|el|las|los) (?:del|de la|de)\s+$")
_LEADING_PREP = fastre.compile(r"(?:on the|on|at|for the|for|the|el|del|de)\s+")
_NEW_TIME_AFTER = fastre.compile(r"^\s*(?:instead|then|pls|please|por favor|mejor|en su lugar)\b")
_REASON = fastre.compile(r"\b(?:because|cause|cuz|coz|bc|since|as i have|as i ve got|porque|ya que|pues tengo)\b[^.?!]*$")
_BOUNDARY = fastre.compile(r"[.?!]")
_REQUEST_AFTER_REASON = fastre.compile(r"\b(?:can|could|would) (?:i|we|you|u)\b|\b(?:puedo|podemos|podria|puede)\b")
_ALT_GAP = fastre.compile(r"^\s*,?\s*(?:or|o|u|/|or maybe|or even|or possibly|maybe|o tal vez|o quizas|o bien|either)\s*(?:on|at|the|el|la|a las|las)?\s*$")
_JUST_THE = fastre.compile(r"\s*(?:the|la|el)\s*$")
_JUST_FROM = fastre.compile(r"\s*(?:from|del|desde el)\s*$")
_THE_BOOKING = fastre.compile(r"\s*(?:la|el)\s+(?:cita|reserva)")
_MY = fastre.compile(r"\s*(?:my|mi|your)")
_JOIN_GAP = fastre.compile(r"^\s*(?:at|@|on|in the|in|the|around|about|by|a las|a la|las|el|de|del|por la|en la|-)?\s*$")


def _needs(rx) -> frozenset[str]:
    """The literals every match of rx holds (fastre.required_literals), "" when none can be told:
    when none is in the whole text, rx cannot match any slice of it either."""
    return fastre.required_literals(rx.pattern) or frozenset({""})


# Told once per message from the literals found (literals.py), they spare the per-mention
# searches of the patterns that most often find nothing (a negation appears in about a
# quarter of messages): bit 1 for _NEG_BEFORE, bit 2 for _REASON, bit 4 for _REF_AFTER,
# bit 8 for _STRICT_REF_BEFORE, bit 16 for _REF_BEFORE (each is only ever tried on a
# slice of the text: a literal absent from the text is absent from every slice of it).
_NEG_REASON = literals.Table([_needs(_NEG_BEFORE), _needs(_REASON), _needs(_REF_AFTER),
                              _needs(_STRICT_REF_BEFORE), _needs(_REF_BEFORE)])
_REF_AFTER_RX = literals.split_gate(_REF_AFTER)[1]


def _mark_refs(s: str, ms: list[Mention], present=None) -> None:
    """Mark the mentions that name the existing appointment, not a requested time (ms come
    fresh from the readers, none marked yet)."""
    ms.sort(key=_START)
    possible = _NEG_REASON.mask(literals.scan(s) if present is None else present)
    neg_possible = possible & 1
    marked = False
    several = len(ms) > 1                   # (a time ruled out after it needs another one asked for)
    for m in (ms if possible & 29 or several else ()):     # (none of its searches can find anything else)
        if m.kind not in ("day", "time"):
            continue
        head = s[max(0, m.s - 60):m.s]
        tail = s[m.e:m.e + 25]
        lead = _LEADING_PREP.match(s, m.s, m.e)
        if lead:                            # "the one [on the 26th]": read the preposition as context
            head += lead.group(0)
        is_ref = names = False
        if neg_possible and _NEG_BEFORE.search(head):
            is_ref = True
        elif several and _NEG_AFTER.match(s, m.e) and any(o is not m and o.kind in ("day", "time", "rel") for o in ms):
            is_ref = True                   # "sat is no good anymore. anything next week?"
        elif several and m.kind == "time" and m.data[0] == "point" and _THE_BEFORE.search(head) \
                and any(o.kind == "rel" for o in ms):
            is_ref = names = True           # "the 10am on friday, push it back an hour"
        elif possible & 4 and _REF_AFTER_RX.match(tail):
            is_ref = names = True
        elif possible & 8 and _STRICT_REF_BEFORE.search(head):
            is_ref = names = True
        elif possible & 16 and (rb := _REF_BEFORE.search(head)) and not _NEW_TIME_AFTER.match(tail):
            hm = rb.group(0)
            # "the 14th" / "el viernes" are plain dates; "my friday", "mi cita del viernes" are references
            if _JUST_THE.match(hm):
                is_ref = False
            elif _JUST_FROM.match(hm):
                # "move it from friday to saturday": from-X is the old time when a later mention follows
                is_ref = any(o.kind == m.kind and o.s > m.e for o in ms)
            elif _THE_BOOKING.match(hm) or _MY.match(hm):
                is_ref = names = True
            else:
                is_ref = names = True
        if is_ref:
            m.ref = marked = True
            m.names = names
    # a reason is not a request: "... saturday instead because my son has a game friday afternoon"
    for m in (ms if possible & 2 else ()):
        if m.kind in ("day", "time") and not m.ref:
            r = _REASON.search(s[max(0, m.s - 80):m.s])
            # "... bc of my cousins wedding, could I come in friday instead?": the reason
            # ended where the request began
            if r and not _BOUNDARY.search(r.group(0)) and not _REQUEST_AFTER_REASON.search(r.group(0)) \
                    and not _NEW_TIME_AFTER.match(s[m.e:m.e + 25]):
                m.ref = marked = True
    if several and any(m.kind in ("day", "time") and not m.ref for m in ms):
        before = sum(m.ref for m in ms)
        _mark_context(s, ms)
        marked = marked or sum(m.ref for m in ms) != before
    if not marked:
        return                              # nothing for the steps below to spread
    # a mention glued to a reference ("my 10am tomorrow", "cant do tmrw at 3") shares it
    for i in range(1, len(ms)):
        prev, cur = ms[i - 1], ms[i]
        # (a day right after a day is another day: "cant make it thurs. wed after 5?")
        if prev.ref and not cur.ref and cur.kind in ("day", "time") and not (cur.kind == prev.kind == "day") \
                and _JOIN_GAP.match(s[prev.e:cur.s]):
            cur.ref, cur.names = True, prev.names
    for i in range(len(ms) - 2, -1, -1):
        nxt, cur = ms[i + 1], ms[i]
        if nxt.ref and not cur.ref and cur.kind in ("day", "time") and _JOIN_GAP.match(s[cur.e:nxt.s]) \
                and possible & 4 and _REF_AFTER_RX.match(s[nxt.e:nxt.e + 25]):
            cur.ref, cur.names = True, nxt.names


# The request, not the reason: in "could we do 11 instead? I have a meeting at 3" or
# "thursday at 4 works, she has swim on wednesday" the times of a clause that tells the
# client's own plans ("I have", "she has", "I work till", "tengo junta") are context, when
# another clause asks for a time. Clauses end at punctuation and at "but", "so", "because",
# and at a Spanish "que" that starts a reason ("a las 6 y media mejor q tengo reunion a las 5").
_CLAUSE_END = fastre.compile(r"[?!;,]|(?<!\d)[.:]|[.:](?!\d)|\b(?:but|so|because|cause|cuz|since|pero|porque|pq|ya que|as)\b"
                             r"|\b(?:que|q)\s+(?=(?:[^,.?!]{0,20}\s)?(?:tengo|tiene|tenemos|trabajo|estoy|salgo|entro)\b)")
_CONTEXT = fastre.compile(
    r"\b(?:i have|i ve got|ive got|i got|got an?|have an?|has|had|i work|work (?:till|until|til)|working|im working|"
    r"i start|start at|starts at|i finish|im at|i am at|im busy|busy|pick(?:ing)? up|drop(?:ping)? off|meeting|class|practice|"
    r"swim|school|dentist|doctor|dr|lunch at|dinner at|call at|shift|plans|family stuff|stuff on|something on|wedding|"
    r"party|trip|vacation|out of town|away|got booked|booked with|crazy|hard|tough|difficult|no good|not good|"
    r"tengo|tiene|tenemos|trabajo|estoy (?:en|ocupad[oa])|salgo|entro|reunion|junta|medico|dentista|clase|entrenamiento|"
    r"partido|boda|viaje|ocupad[oa]|traveling|travelling|flying|viajando|de viaje|fuera|"
    # "thursday I'm traveling", "wed I'll be working": the client's own doings
    r"(?:im|i am|ill be|i will be)\s+(?!thinking|hoping|wondering|looking|available|free|good|ok|fine|okay|flexible)\w+ing)\b")
_ASKS = fastre.compile(
    r"\?|\b(?:can|could|would|how about|what about|any chance|instead|works|would work|will work|possible|prefer|rather|make it|lets|is there|"
    r"anything|available|open|free|ok|okay|please|puedo|podemos|podria|podrias|puedes|pueden|se puede|puede ser|mejor|"
    r"en vez|en lugar|prefiero|me sirve|me viene|tienen|hay|que tal|porfa|por favor)\b")


def _mark_context(s: str, ms: list[Mention]) -> None:
    """Mark the days and times of context clauses as references, when a clause that is not
    context names a day or time too (ms sorted by start)."""
    ends = [m.end() for m in _CLAUSE_END.finditer(s)]
    if not ends:
        return
    bounds = [0, *ends, len(s)]
    ctx_of: dict[int, bool] = {}
    for a, b in zip(bounds, bounds[1:]):
        clause = s[a:b]
        ctx_of[a] = bool(_CONTEXT.search(clause)) and not _ASKS.search(clause)
    starts = bounds[:-1]
    context, other = [], False
    for m in ms:
        if m.kind not in ("day", "time") or m.ref:
            continue
        a = max(x for x in starts if x <= m.s)
        if ctx_of.get(a):
            context.append(m)
        else:
            other = True
    if other:
        for m in context:
            m.ref = True


def _paired_alternatives(s: str, days: list[Mention], times: list[Mention], ctx: Context) -> tuple[Window, ...]:
    """ "wed at 2 or thurs at 4", "el viernes a las 10 o el sábado a las 11": each day with
    its own time, one window per pair, in the order said (empty when the message is not
    made of such pairs)."""
    if len(days) < 2 or len(days) != len(times):
        return ()
    seq = sorted([*days, *times], key=_START)
    pairs = list(zip(seq[::2], seq[1::2]))
    if not all(d.kind == "day" and t.kind == "time" and len(d.data) == 1 and (d.data[0][1] - d.data[0][0]).days == 1
               and _JOIN_GAP.match(s[d.e:t.s]) for d, t in pairs):
        return ()
    if not all(_ALT_GAP.match(s[a[1].e:b[0].s]) for a, b in zip(pairs, pairs[1:])):
        return ()
    out: list[Window] = []
    for d, t in pairs:
        w = time_window(t.data, d.data[0][0], ctx, None)
        if w not in out:
            out.append(w)
    return tuple(out)


def _groups(s: str, ms: list[Mention]) -> list[list[Mention]]:
    """Consecutive mentions of one kind joined by "or" form one group of alternatives."""
    groups: list[list[Mention]] = []
    for m in ms:
        if groups and groups[-1][-1].kind == m.kind and _ALT_GAP.match(s[groups[-1][-1].e:m.s]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


@dataclass
class TimeReading:
    windows: tuple[Window, ...] = ()     # first is the best reading; more are alternatives
    from_ref_only: bool = False          # only mentions of the existing appointment were found
    mentions: tuple[Mention, ...] = ()


_NOT_TIME = fastre.compile(
    r"\b(?:good (?:morning|afternoon|evening|night|day)|morning all|buen(?:os|as) (?:dias|tardes|noches)|"
    r"have a (?:good|great|nice|lovely|wonderful|happy) (?:day|weekend|week|evening|night|one|afternoon|morning)|"
    r"enjoy (?:your|the) (?:day|weekend|evening)|happy (?:holidays|new year|friday|monday|weekend)|"
    r"buen (?:fin de semana|finde|dia)|feliz (?:dia|fin de semana|navidad|ano)|a while|for now|by now|from now on|"
    r"right away|in a minute|in a sec|in a second|just now|every (?:time|day|week)|all day|one day|some day|someday|"
    r"the other day|these days|back then|any day now|last time|next time|first time|each time|one time|"
    r"other day|de momento|por ahora|la otra vez|la proxima vez|otro dia|"
    r"(?:ninguna|ninguno|ni una|none|neither|cualquiera|ambas|ambos|both|any) (?:de|of) (?:las|los|the|those|these)? ?(?:2|dos|3|tres))\b|"
    r"\b(?:cancela\w*|anula\w*|cancelar|anular|borra\w*|quita\w*|mueve\w*|cambia\w*) (?:las|los|ambas) (?:2|dos)\b")


_PHONE = fastre.compile(r"(?<![\d:])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}(?!\d)|\b\d{7,}\b|\$\s?\d+(?:[.,]\d+)?")


def _blank(m: re.Match) -> str:
    return " " * (m.end() - m.start())


# Every phone number and price has a "$" or three digits in a row: a quick test for
# those spares the full pattern (whose leading look-behind gets no engine shortcut).
_THREE_DIGITS = re.compile(r"\d\d\d")


# _NOT_TIME behind its literals, told from the literals found in the message (literals.py)
_NOT_TIME_TABLE = literals.Table([literals.split_gate(_NOT_TIME)[0]])
_NOT_TIME_RX = literals.split_gate(_NOT_TIME)[1]


def blank_non_times(s: str, present=None) -> str:
    """Blank (same length) phrases that look like times but are not: greetings,
    "this time", phone numbers, prices. Call once; pass the result to
    find_mentions() and resolve(). present: literals.scan(s), when the caller has it."""
    if present is None:
        s = _NOT_TIME.sub(_blank, s)
    elif _NOT_TIME_TABLE.mask(present):
        s = _NOT_TIME_RX.sub(_blank, s)
    if "$" in s or _THREE_DIGITS.search(s):
        s = _PHONE.sub(_blank, s)
    return s


def find_mentions(s: str, ctx: Context, lang: str, reblank: bool = True, present=None) -> list[Mention]:
    """All day/time mentions in normalized text s (which must stay the string
    later passed to resolve()), references marked. s is blanked once more here;
    reblank=False skips that when it is known to change nothing (the caller saw
    blank_non_times() leave the text unchanged, so a second pass leaves it too).
    present: literals.scan(s), when the caller has it (and reblank is False)."""
    if reblank:
        s = blank_non_times(s)
        present = None
    ordinal_limit = len(ctx.options) if ctx.awaiting == "slot_choice" else (
        len(ctx.appointments) if ctx.awaiting == "which_appointment" else 0)
    digit_info = digits_of(s)
    if present is None:
        present = literals.scan(s)
    ms = find_days(s, ctx.now.date(), lang, ordinal_limit, digit_info, present)
    # (each step below only when it has something to do: most messages have one mention or none)
    if len(ms) > 1:
        # "next wed or thurs": "next" qualifies both alternatives
        ms.sort(key=_START)
        for prev, cur in zip(ms, ms[1:]):
            if prev.nxt and cur.sub == "weekday" and cur.bare and _ALT_GAP.match(s[prev.e:cur.s]):
                cur.data = tuple(_days(d) for d in _next_d(ctx.now.date(), cur.wd))
                cur.nxt, cur.bare = True, False
    times = find_times(s, digit_info, present)
    if not ms:
        ms = times                          # (a new list each call)
    elif times:
        day_spans = [(m.s, m.e) for m in ms]
        for t in times:
            if all(t.e <= a or t.s >= b for a, b in day_spans):
                ms.append(t)
    found = len(ms)                         # the days and times a "now" may not overlap
    for r in find_relative(s, present):
        if r.kind == "exact" and r.data == timedelta(0):
            if any(not (r.e <= m.s or r.s >= m.e) for m in ms[:found]):
                continue
        ms.append(r)
    _mark_refs(s, ms, present)
    return ms


def _names_nothing(ms: list[Mention], ctx: Context) -> bool:
    """Whether the days and times read as naming the appointment ("my
    highlights on wednesday at 6 instead") name none of the client's: then
    they are the time asked for. (Negated and reasoned ones never are.)"""
    refs = [m for m in ms if m.ref and m.kind in ("day", "time")]
    if not refs or not ctx.appointments or not all(m.names for m in refs):
        return False
    for m in refs:
        for a in ctx.appointments:
            if m.kind == "day" and (any(a0 <= a.start.date() < b0 for a0, b0 in m.data)
                                    or (m.wd >= 0 and a.start.weekday() == m.wd)):
                return False
            if m.kind == "time" and m.data[0] == "point" and m.data[1].h % 12 == a.start.hour % 12 \
                    and m.data[1].m == a.start.minute:
                return False
    return True


def resolve(s: str, ctx: Context, lang: str, appt=None, use_refs: bool = False,
            mentions: list[Mention] | None = None, base_day: date | None = None) -> TimeReading:
    """The windows asked for. base_day: the day a time said without one falls on, when
    not the appointment's (the one day whose times are on offer: "is 4 possible?")."""
    if mentions is None:
        s = blank_non_times(s)
    ms = mentions if mentions is not None else find_mentions(s, ctx, lang)
    if not ms:
        return TimeReading()
    active = [m for m in ms if not m.ref]
    from_ref = False
    if not use_refs and not any(m.kind in ("day", "time", "rel", "exact") for m in active) and not _names_nothing(ms, ctx):
        # "la manicura del viernes a las 7 y media": the day names the appointment, and the
        # clock time said with it, not the appointment's own, is the time asked for
        own = [m for m in ms if m.ref and m.names and m.kind == "time" and m.data[0] == "point"
               and not any(m.data[1].h % 12 == a.start.hour % 12 and m.data[1].m == a.start.minute
                           for a in ctx.appointments)]
        if own and all(m.names for m in ms if m.ref):
            active = [*active, *own]
    if not any(m.kind in ("day", "time", "rel", "exact") for m in active):
        if not use_refs and not _names_nothing(ms, ctx):
            return TimeReading(mentions=tuple(ms))
        active = ms
        from_ref = use_refs
    today = ctx.now.date()
    base_date = base_day or (appt.start.date() if appt is not None else today)

    rel = [m for m in active if m.kind == "rel"]
    same = any(m.kind == "same_time" for m in active)
    days = [m for m in active if m.kind == "day"]
    times = [m for m in active if m.kind == "time"]
    exact = [m for m in active if m.kind == "exact"]

    wins: list[Window] = []
    vague = bool(rel) and rel[-1].data[0] in ("earlier", "later")
    if vague and any(m.data[0] in ("point", "before", "after", "range") for m in times):
        rel = []                      # "a bit later, like 4:30", "earlier today, before 2": the named time wins
    if vague and appt is not None and any(
            not any(a0 <= appt.start.date() < b0 for a0, b0 in m.data) for m in days):
        rel = []                      # "hoy más tarde": later on another day than the appointment's
    if rel and appt is not None and rel[-1].data[0] == "delta" and abs(rel[-1].data[1]) < DAY and days and not times:
        # "an hour later on tuesday", "the 24th, just 2 hours later": the appointment's time
        # moved by the amount, on the day named
        day_wins = [w for m in _groups(s, days)[-1] for w in m.data]
        if len(day_wins) == 1 and (day_wins[0][1] - day_wins[0][0]).days == 1:
            t = appt.start + rel[-1].data[1]
            t = _at(day_wins[0][0] + (t.date() - appt.start.date()), t.time())
            return TimeReading((window(t, t),), from_ref, tuple(ms))
    if rel and appt is not None and not (days and not rel[-1].data[0] in ("earlier", "later")):
        kind = rel[-1].data
        st = appt.start
        d0 = st.date()
        if kind[0] == "delta":
            t = st + kind[1]
            wins = [window(t, t)]
        elif kind[0] == "earlier":
            wins = [window(_at(d0, time(0)), st)]
        elif kind[0] == "later":
            wins = [window(st + timedelta(minutes=appt.minutes), _at(d0 + DAY, time(0)))]
        elif kind[0] == "day":
            d = d0 + timedelta(days=kind[1])
            if times:
                wins = [time_window(times[-1].data, d, ctx, None)]
            else:
                wins = [window(_at(d, time(0)), _at(d + DAY, time(0)))]
        return TimeReading(tuple(wins), from_ref, tuple(ms))

    # "next week, wednesday or thursday": bare weekdays fall inside the named week
    week = [m for m in days if m.sub in ("next_week", "this_week")]
    if week and any(m.sub == "weekday" and m.bare for m in days):
        w0 = week[-1].data[0][0]
        w0 = w0 - timedelta(days=w0.weekday())
        kept = []
        for m in days:
            if m in week:
                continue
            if m.sub == "weekday" and m.bare:
                d = w0 + timedelta(days=m.wd)
                if d < today:
                    d += timedelta(days=7)
                m = Mention("day", m.s, m.e, (_days(d),), sub="weekday", wd=m.wd)
            kept.append(m)
        days = kept
    # "wed or thurs next week": a bare weekday named beside one given a week
    # falls in that week too
    qualified = [m for m in days if m.sub == "weekday" and not m.bare and m.wd >= 0 and len(m.data) == 1]
    if qualified and len(days) > 1 and any(m.sub == "weekday" and m.bare for m in days):
        w0 = qualified[-1].data[0][0]
        w0 = w0 - timedelta(days=w0.weekday())
        days = [Mention("day", m.s, m.e, (_days(w0 + timedelta(days=m.wd)),), sub="weekday", wd=m.wd)
                if m.sub == "weekday" and m.bare and w0 + timedelta(days=m.wd) >= today else m for m in days]
    paired = _paired_alternatives(s, days, times, ctx)
    if paired:
        return TimeReading(paired, from_ref, tuple(ms))
    day_groups = _groups(s, days)
    time_groups = _groups(s, times)
    day_alts: list[tuple[date, date]] = []
    if day_groups:
        for m in day_groups[-1]:
            day_alts.extend(m.data)
    # a part of the day qualifies a clock time ("tomorrow afternoon at 5")
    part = None
    tspecs: list = []
    if time_groups:
        points = [m for m in times if m.data[0] != "part"]
        parts = [m for m in times if m.data[0] == "part"]
        near = [q for q in parts if any(abs(q.s - x.e) <= 15 or abs(x.s - q.e) <= 15 for x in points)]
        if points and parts and not near:
            parts = []
            time_groups = [g for g in time_groups if g[0].data[0] != "part"]
        if points and parts:
            # the part said next to the hour: "morning 11?? afternoons got crazy" is the morning
            part = min(near, key=lambda q: min(abs(q.s - x.e) for x in points) if q.s >= points[0].s
                       else min(abs(x.s - q.e) for x in points)).data[1]
            grp = [g for g in time_groups if g[0].data[0] != "part"][-1]
            tspecs = [m.data for m in grp]
        else:
            tspecs = [m.data for m in time_groups[-1]]
        # "later than 9:30 but before 11": the two open ends make one range
        if len(tspecs) == 1 and tspecs[0][0] in ("after", "before") and len(time_groups) > 1:
            other = time_groups[-2][-1].data
            if {other[0], tspecs[0][0]} == {"after", "before"}:
                lo, hi = (other, tspecs[0]) if other[0] == "after" else (tspecs[0], other)
                tspecs = [("range", lo[1], hi[1])]
        # "tonight", "this morning" carry their own day
        if not day_alts:
            names = [sp[1] for sp in tspecs if sp[0] == "part"] + ([part] if part else [])
            if any(n in ("tonight", "today_morning", "today_afternoon") for n in names):
                day_alts = [_days(today)]

    if same and appt is not None:
        if day_alts:
            for a, b in day_alts:
                if (b - a).days == 1:
                    t = _at(a, appt.start.time())
                    wins.append(window(t, t))
                elif (b - a).days == 7 and a == _monday_next(today):
                    t = appt.start + timedelta(days=7)
                    wins.append(window(t, t))
            if wins:
                return TimeReading(tuple(wins), from_ref, tuple(ms))
    if exact and not tspecs and (not day_alts or day_alts == [_days(today)]):
        if exact[-1].data == timedelta(0):
            # "now", "ahorita": today, whichever slot is free first
            return TimeReading((window(_at(today, time(0)), _at(today + DAY, time(0))),), from_ref, tuple(ms))
        t = ctx.now.replace(second=0, microsecond=0) + exact[-1].data
        return TimeReading((window(t, t),), from_ref, tuple(ms))

    if not day_alts and not tspecs:
        return TimeReading(mentions=tuple(ms))
    roll = False
    if not day_alts:
        day_alts = [_days(base_date)]
        # no appointment to keep the date of: the next time it comes round
        roll = appt is None
    for a, b in day_alts:
        if not tspecs or (b - a).days != 1:
            w = window(_at(a, time(0)), _at(b, time(0)))
            if w not in wins:
                wins.append(w)
            continue
        for sp in tspecs:
            w = time_window(sp, a, ctx, part)
            if roll and (w.start < ctx.now if w.start == w.end else w.end <= ctx.now):
                w = time_window(sp, a + DAY, ctx, part)
            if w not in wins:
                wins.append(w)
    return TimeReading(tuple(wins), from_ref, tuple(ms))
