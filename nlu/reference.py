"""Which appointment a message means, and which offered option it picks.

Appointments are told apart by service ("the nails one", "la del tinte"),
staff ("the one with jess"), day or time ("my friday appt", "my 3:00"), or,
when the bot asked which one, by ordinal ("the 2nd one"). Options offered
while awaiting slot_choice are picked by number, ordinal, weekday, date or
clock time.
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import fastre
from .normalize import fold
from .clock import time_window, resolve_hour
from .mention import Mention, Pt
from .understanding import Context

# Service families: a word the client writes -> words found in service names.
_FAMILIES = (
    ({"nails", "nail", "mani", "pedi", "manicure", "pedicure", "manicura", "pedicura", "unas", "gel",
      "manis", "pedis", "shellac"},
     {"manicure", "pedicure", "manicura", "pedicura", "nails", "nail", "gel", "shellac"}),
    ({"color", "colour", "tinte", "tint", "dye", "highlights", "balayage", "mechas", "coloring", "colouring",
      "roots", "gloss", "toner"},
     {"color", "colour", "tinte", "highlights", "balayage", "mechas", "gloss", "toner"}),
    ({"cut", "haircut", "hair cut", "trim", "corte", "fade", "hair", "pelo", "cabello"},
     {"cut", "haircut", "trim", "corte", "fade"}),
    ({"blowout", "blow out", "blow dry", "blowdry", "peinado", "style", "styling", "updo"},
     {"blowout", "blow", "peinado", "style", "styling"}),
    ({"wax", "waxing", "brow", "brows", "eyebrows", "cejas", "depilacion"},
     {"wax", "brow", "cejas", "depilacion"}),
    ({"beard", "barba", "shave"}, {"beard", "barba", "shave"}),
    ({"facial", "facials"}, {"facial"}),
    ({"lash", "lashes", "eyelash", "eyelashes", "pestanas", "extensions", "extensiones"},
     {"lash", "lashes", "eyelash", "pestanas", "extensions", "extensiones"}),
    ({"massage", "masaje"}, {"massage", "masaje"}),
)
_WORD = fastre.compile(r"[a-z]+")
# ("a las 2" is a time, not "las 2", both of them)
_ALL = fastre.compile(r"\b(?:all(?![- ]?over)|both|every|each|todas|ambas|todos|ambos|(?<!\ba )las dos|los dos|(?<!\ba )las 2|los 2)\b(?! ?(?:de la|pm|am|:))")
_EXCLUDE = fastre.compile(r"\b(?:keep|but not|not|except|excepto|menos|mantener|mantengo|no la|no el)\s+(?:the\s+|my\s+|la\s+|el\s+|mi\s+|de\s+)?(\w+(?:\s\w+)?)")
_KEPT = fastre.compile(r"\b(?:el|la|los|las|the|my|mi|mis)\s+(\w+)\s+(?:lo|la|los|las|i ll|ill|i will|i d like to|i want to)?\s*(?:mantengo|dejo|conservo|keep|leave)\b")
_ORDINALS = (
    (fastre.compile(r"\b(?:first|1st|primera|primero|earliest|soonest|sooner|next one|la mas pronto|the earlier one|"
                r"(?:my|the|mi) (?:next|upcoming|proxima) (?:appointment|appt|one|cita|booking))\b"), 1),
    (fastre.compile(r"\b(?:second|2nd|segunda|segundo)\b"), 2),
    (fastre.compile(r"\b(?:third|3rd|tercera|tercero)\b"), 3),
    (fastre.compile(r"\b(?:fourth|4th|cuarta|cuarto)\b(?! de)"), 4),
    (fastre.compile(r"\b(?:fifth|5th|quinta|quinto)\b"), 5),
    (fastre.compile(r"\b(?:last|latest|ultima|ultimo|the later one|the late one|the latter)\b"), -1),
)
_NOT_ORDINAL = fastre.compile(r"\b(?:first thing|at first|wait a second|just a second|one second|a primera hora|primera hora|"
                          r"the last (?:time|minute)|last minute|ultimo momento|latest by|at the latest|"
                          # "march 3rd", "dec. the 2nd": a date, not the third or second option
                          r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:the\s+)?[1-5](?:st|nd|rd|th)|"
                          # "the 2nd at 3": a date and a time, not the second option
                          r"\d+(?:st|nd|rd|th)\s+(?:at|@|a las|around|about)\s+\d+)\b")
_NONE_OF = fastre.compile(r"\b(?:none|neither|ninguna|ninguno|ni una|other (?:times|options|days)|something else|"
                      r"anything else|otra hora|otro dia|otras opciones|dont work|doesnt work|no me sirve|no me sirven|"
                      r"cant do any|can t do any)\b")
_NUM_PICK = fastre.compile(r"^\s*(?:(?:i(?:ll| will)? take|lets do|let s do|do|ok|okay|yes|yeah|si|the|la|el|number|numero|"
                       r"no\.|no|option|opcion|opt|choice|#|quiero la|me quedo con la|prefiero la)\s*)*"
                       r"(?P<n>[1-9])\b(?!\s*(?::|\.\d|am|pm|oclock|ish|de\b|/))(?P<rest>.*)$")
# An option by its label anywhere ("mejor la opción 2", "door number 2 lol", "#3 pls"), or by
# where it stands in the list ("the top one", "the middle one", "la del medio", "the bottom one")
_LABELLED = fastre.compile(r"\b(?:option|opcion|opt|number|numero|num|choice|no\.)\s*#?\s*(?P<n>[1-9])\b(?!\s*(?::|am|pm|de\b|/))|#\s*(?P<n2>[1-9])\b".replace("(?P<n2>", "(?:"))
_POSITION = fastre.compile(r"\b(?:the )?(?:top|bottom)(?: one| option| slot| time)?\b|\b(?:la|el) (?:de )?(?:arriba|abajo)\b|"
                           r"\b(?P<mid>(?:the )?middle(?: one| option| slot| time)?|(?:la|el) del medio|(?:la|el) de en medio)\b")
_YES_ONE = fastre.compile(r"^\s*(?:yes|yeah|yep|yup|sure|ok|okay|perfect|great|that works|works|sounds good|si|vale|dale|claro|perfecto|ok perfecto)\b(?!.*\b(?:but|no|not|pero)\b)")
_BARE_HOUR = fastre.compile(r"^\s*(?:(?:ill take|i will take|ill do|lets do|lets go with|ok|okay|yes|i want|i prefer|quiero|prefiero|me quedo con|dame)\s+)*(?:the\s+|la\s+de\s+las\s+|las\s+|la de la\s+)?(?P<h>1[0-2]|[1-9])\s*(?:one|please|pls|por favor|works|ok)?[\s!.?]*$")
_FILLER = fastre.compile(r"^[\s!.,?)(]*(?:(?:please|pls|por favor|porfa|works|work|is fine|sounds good|thanks|thank you|"
                     r"gracias|ok|okay|perfect|perfecto|great|then|is good|es buena|me sirve|esta bien|"
                     r"one|option|opcion|por favor|thx|ty|yes|si|for me|para mi|plz)[\s!.,?]*)*$")


@lru_cache(maxsize=1024)
def name_words(name: str) -> tuple[str, ...]:
    """A service's or staff member's name in words as the client's text is
    read: lowercase, accents folded ("Uñas acrílicas" -> unas, acrilicas)."""
    return tuple(_WORD.findall(fold(name)))


def stem(word: str) -> str:
    """Singular, roughly: "lashes" and "lash", "unas" and "una", "despuntes" and
    "despunte", "cortes" and "corte" compare equal (a final "e" is dropped as well, so
    that the Spanish plural in "-es" of a word in "-e" meets its singular)."""
    if len(word) > 4 and word.endswith("es"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s"):
        return word[:-1]
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


@lru_cache(maxsize=1024)
def _service_words(service: str) -> frozenset[str]:
    words = set(name_words(service))
    out = set(words)
    for _spoken, names in _FAMILIES:
        if words & names:
            out |= names
    return frozenset(out)


def _text_service_families(words: set[str], text: str) -> list[set[str]]:
    fams = []
    for spoken, names in _FAMILIES:
        if words & spoken or any(" " in sp and sp in text for sp in spoken):
            fams.append(names)
    return fams


def _appt_matches_service(appt, text_words: set[str], fams: list[set[str]]) -> float:
    """3 when the text names the service itself, 2 when it names its family
    (in the language of the conversation or, as well, in the other one)."""
    score = _service_match(appt.service, text_words, fams)
    for alias in appt.aliases:
        if score >= 3.0:
            break
        score = max(score, _service_match(alias, text_words, fams))
    return score


def _service_match(service: str, text_words: set[str], fams: list[set[str]]) -> float:
    sw = _service_words(service)
    own = name_words(service)
    if any(len(w) >= 3 and w in text_words for w in own):
        return 3.0
    if any(len(w) >= 3 and stem(w) == stem(t) for w in own for t in text_words):
        return 3.0                          # "lashes" for "Lash fill"
    if any(len(t) >= 4 and w.startswith(t) for w in own for t in text_words):
        return 2.5                          # "pedi" for "Pedicure", "mani" for "Manicure"
    if any(len(t) >= 3 and len(w) > len(t) + 2 and w.endswith(t) for w in own for t in text_words):
        return 2.5                          # "cut" for "Haircut": the end of a compound names it
    return 2.0 if any(f & sw for f in fams) else 0.0


def pick_appointment(folded: str, norm: str, ctx: Context, mentions: list[Mention],
                     intent: str) -> tuple[str | None, float, tuple[str, ...]]:
    """The ref of the appointment meant, how sure we are (0..1), and when the
    message describes several equally ("my haircut" with two haircuts
    booked), their refs: the ones it could mean."""
    appts = ctx.appointments
    if not appts:
        return None, 1.0, ()
    if len(appts) == 1:
        return appts[0].ref, 1.0, ()
    if _ALL.search(norm) and intent in ("cancel", "query", "reschedule", "confirm_appointment"):
        return None, 0.9, ()
    words = set(_WORD.findall(folded))
    scores = [0.0] * len(appts)
    # words the client wants to keep / excludes do not select
    excluded: set[str] = set()
    for m in _EXCLUDE.finditer(folded):
        excluded |= set(m.group(1).split())
    for m in _KEPT.finditer(folded):        # "el corte lo mantengo", "the cut I'll keep"
        excluded |= set(m.group(1).split())
    fams = _text_service_families(words - excluded, folded)
    excl_fams = _text_service_families(excluded, " ".join(excluded)) if excluded else []
    for i, a in enumerate(appts):
        scores[i] += _appt_matches_service(a, words - excluded, fams)
        if excl_fams and any(f & _service_words(name) for f in excl_fams for name in (a.service, *a.aliases)):
            scores[i] -= 2
        if a.staff:
            name = (name_words(a.staff) or ("",))[0]    # "Lucía" as "lucia"
            if len(name) >= 3 and re.search(r"\b" + re.escape(name) + r"\b", folded):
                scores[i] += 3
    # days and times that describe an appointment
    for m in mentions:
        if intent == "reschedule" and not m.ref:
            continue
        if m.kind == "day":
            for a0, b0 in m.data:
                if (b0 - a0).days <= 1:
                    on_day = [i for i, a in enumerate(appts) if a0 <= a.start.date() < b0]
                    for i in on_day:
                        scores[i] += 1.5
                    if not on_day and m.wd >= 0:
                        # "my wednesday appt" names the weekday, whichever week it falls in.
                        for i, a in enumerate(appts):
                            if a.start.weekday() == m.wd:
                                scores[i] += 1.0
        elif m.kind == "time" and m.data[0] == "point":
            p: Pt = m.data[1]
            for i, a in enumerate(appts):
                hh = a.start.hour
                if p.m == a.start.minute and (p.h % 12 == hh % 12) and (
                        p.ap is None or (p.ap == "pm") == (hh >= 12)):
                    scores[i] += 1.5
    if ctx.awaiting == "which_appointment" or re.search(r"\b(?:one|appointment|appt|cita|la|el)\b", norm):
        plain = _NOT_ORDINAL.sub(" ", norm)
        for rx, idx in _ORDINALS:
            if rx.search(plain):
                j = len(appts) - 1 if idx == -1 else idx - 1
                if 0 <= j < len(appts):
                    scores[j] += 1.2 if ctx.awaiting == "which_appointment" else 0.6
                break
    best = max(scores)
    if best > 0 and scores.count(best) == 1:
        return appts[scores.index(best)].ref, 0.9, ()
    tied = tuple(a.ref for a, score in zip(appts, scores) if score == best) if best > 0 else ()
    if ctx.awaiting == "reminder_reply" and (not tied or appts[0].ref in tied):
        return appts[0].ref, 0.8, tied      # the reminder was about the soonest one
    if intent == "late":
        return appts[0].ref, 0.6, tied
    return None, 0.5, tied


def pick_option(norm: str, ctx: Context, mentions: list[Mention]) -> int | None:
    """1-based index of the option picked while awaiting slot_choice, or None."""
    opts = ctx.options
    if not opts or _NONE_OF.search(norm):
        return None
    n = len(opts)
    if n == 1 and _YES_ONE.match(norm):
        return 1                            # one option offered: "yes" takes it
    m = _NUM_PICK.match(norm)
    if m and _FILLER.match(m.group("rest")):
        k = int(m.group("n"))
        if 1 <= k <= n:
            return k
    m = _LABELLED.search(norm)
    if m and 1 <= int(m.group("n")) <= n:
        return int(m.group("n"))            # "mejor la opción 2", "door number 2 lol"
    m = _POSITION.search(norm)
    if m:                                   # "the top one", "la del medio"
        words = set(m.group(0).split())
        if m.group("mid"):
            if n % 2 == 1:
                return n // 2 + 1
        elif words & {"top", "arriba"}:
            return 1
        elif words & {"bottom", "abajo"}:
            return n
    m = _BARE_HOUR.match(norm)
    if m:                                   # "10" with three options: the 10 o'clock one
        p = Pt(int(m.group("h")))
        hits = [i for i in range(n) if resolve_hour(p, opts[i].date(), ctx) == opts[i].time()
                or (p.h % 12 == opts[i].hour % 12 and opts[i].minute == 0)]
        if len(hits) == 1:
            return hits[0] + 1
    plain = _NOT_ORDINAL.sub(" ", norm)
    for rx, idx in _ORDINALS:
        if rx.search(plain) and not re.search(r"\b(?:of|de)\s+(?:january|february|march|april|may|june|july|august|september|october|november|december|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\b", norm):
            if idx == -1:
                return n
            if idx == 1 and re.search(r"\b(?:earliest|soonest)\b", norm):
                return min(range(n), key=lambda i: opts[i]) + 1
            if idx <= n:
                return idx
    cands = list(range(n))
    used = False
    days = [x for x in mentions if x.kind == "day"]
    if days:
        wins = days[-1].data
        sel = [i for i in cands if any(a <= opts[i].date() < b for a, b in wins)]
        if not sel and days[-1].wd >= 0 and days[-1].bare:
            # "the tuesday one": the offered Tuesday, whichever week it falls in.
            sel = [i for i in cands if opts[i].weekday() == days[-1].wd]
        if sel:
            cands, used = sel, True
        else:
            return None
    times = [x for x in mentions if x.kind == "time"]
    if times:
        sp = times[-1].data
        if sp[0] == "point":
            p: Pt = sp[1]
            sel = []
            for i in cands:
                o = opts[i]
                t = resolve_hour(p, o.date(), ctx)
                if (t.hour, t.minute) == (o.hour, o.minute) or (
                        p.ap is None and p.h <= 12 and p.h % 12 == o.hour % 12 and p.m == o.minute):
                    sel.append(i)
            if sel:
                cands, used = sel, True
            else:
                return None
        elif sp[0] in ("part", "after", "before", "range"):
            sel = []
            for i in cands:
                w = time_window(sp, opts[i].date(), ctx, None)
                if w.start <= opts[i] < w.end or (w.start == w.end == opts[i]):
                    sel.append(i)
            if sel:
                cands, used = sel, True
            else:
                return None                 # "anything after 6?": none offered fits, a new request
    if used and len(cands) == 1:
        return cands[0] + 1
    return None
