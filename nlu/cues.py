"""The smaller things a message says besides its intent: thanks, "both",
"2 and 3", the appointment it names by a service or a stylist, booking words.

The conversation acts on these (a "thanks" is answered, "2 and 3" carries on
with each, naming another appointment switches to it), and reads them here
rather than in the raw text, so every channel, a Rasa assistant's included,
hands the dialogue the same Understanding.
"""
from __future__ import annotations

from . import fastre
from .reference import name_words, stem
from .understanding import AppointmentRef

_THANKS = fastre.compile(r"\b(?:thank|thanks|thx|ty|tysm|cheers|appreciate|gracias|mil gracias)\b")
# "all" in "all-over color" is a service's name, not "all of them".
_EVERY = fastre.compile(r"\b(?:both|all(?![- ]?over)|ambas|ambos|todas|todos|las dos|los dos)\b")
_REBOOK = fastre.compile(r"^\s*r\s*[.!]*\s*$|\b(?:book|rebook|re-book|reservar|reserva|agendar|again|otra vez|de nuevo)\b")
_NUMBER = fastre.compile(r"\d+")
# What may stand between numbers picked together: "2 and 3", "1, 2 & 3", "las 2 y 3".
_BETWEEN = fastre.compile(r"\d+|\b(?:and|y|e|the|ones?|las|los|la|el|numbers?|please|pls|both|ambas|ambos)\b|[\s,&+.!]")
_WORDS = fastre.compile(r"[a-z]{3,}")
_OTHER_ONE = fastre.compile(r"\b(?:the other (?:one|appointment|appt|booking|reservation|visit)s?|the other(?: too| as well| also)?\s*[.!?]*$|"
                             r"(?:la|el) otr[ao]\b(?! (?:semana|dia|hora|fecha|vez|estilista|persona|peluquer[ao]|chic[ao]|manicurista))|"
                             r"(?:la otra cita|el otro turno|la otra reserva))")
_AGAIN = fastre.compile(r"\b(?:again|rebook|re-book|re book|book back|de nuevo|otra vez|volver a (?:reservar|agendar|sacar)|vuelvo a (?:reservar|agendar|sacar)|reagendar la que)\b")
_ALSO = fastre.compile(r"\b(?:too|also|as well|tambien|ademas)\b")
_OTHER_STAFF = fastre.compile(
    r"\b(?:someone else|somebody else|anyone else|another (?:stylist|person|staff|tech|technician|hairdresser|barber|girl|guy|lady)"
    r"|(?:a )?different (?:stylist|person|staff|tech|technician|hairdresser|barber)|other (?:stylist|hairdresser|barber|tech)s?"
    r"|(?:not|no longer) with \w+|(?:otra|otro) (?:estilista|persona|peluquer[ao]|barbero|chica|chico)"
    r"|(?:anyone|anybody|someone|somebody) (?:but|other than|besides) \w+|(?:a )?different (?:girl|guy|lady|one to do)"
    r"|alguien mas|alguien (?:distint|diferent)\w*|otra (?:profesional|manicurista|chica)|otro (?:profesional|chico)|cualquier otr[ao]"
    r"|no con \w+|con otr[ao] (?:estilista|persona|peluquer[ao]|profesional|manicurista|chic[ao])?)\b")
# Words too common in service and staff names to tell appointments apart.
_COMMON = frozenset({"with", "and", "con", "the", "hair", "cut"})


def thanks(folded: str) -> bool:
    return _THANKS.search(folded) is not None


def reaction(raw: str) -> bool:
    """Only emoji or punctuation, and no question: a thumbs-up, a heart."""
    return bool(raw.strip()) and "?" not in raw and not any(c.isalnum() for c in raw)


def lone_question_mark(raw: str) -> bool:
    """"?" and nothing else: what can I do here?"""
    return "?" in raw and not raw.strip(" ?")


def every(folded: str) -> bool:
    return _EVERY.search(folded) is not None


def rebook(folded: str) -> bool:
    return _REBOOK.search(folded) is not None


def picks(folded: str) -> tuple[int, ...]:
    """Two or more numbers and nothing but the words that join them."""
    if not any(c.isdigit() for c in folded):
        return ()
    numbers = _NUMBER.findall(folded)
    if len(numbers) < 2 or _BETWEEN.sub("", folded):
        return ()
    return tuple(int(n) for n in numbers)


def named(folded: str, appointments: tuple[AppointmentRef, ...]) -> tuple[str, ...]:
    """The appointments whose own service or staff member the words name
    ("the nails one", "no, the one with Jordan"), by their stems."""
    words = {stem(w) for w in _WORDS.findall(folded)}
    if not words:
        return ()
    return tuple(a.ref for a in appointments if words & _own_words(a.service, a.staff)
                 or any(words & _own_words(alias, "") for alias in a.aliases))


def _own_words(service: str, staff: str) -> frozenset[str]:
    return _OWN.get((service, staff)) or _own(service, staff)


_OWN: dict[tuple[str, str], frozenset[str]] = {}


def _own(service: str, staff: str) -> frozenset[str]:
    own = frozenset(stem(w) for w in name_words(f"{service} {staff}") if len(w) >= 3) - _COMMON
    if len(_OWN) < 4096:
        _OWN[(service, staff)] = own
    return own


def other_one(folded: str) -> bool:
    return _OTHER_ONE.search(folded) is not None


def other_staff(folded: str) -> bool:
    return _OTHER_STAFF.search(folded) is not None


def plural_of(folded: str, services: tuple[str, ...]) -> bool:
    """The words name one of these services in the plural ("my trims", "mis
    despuntes", "my lashes")."""
    plurals = {w[:-1] for w in _WORDS.findall(folded) if w.endswith("s")}
    plurals |= {w[:-1] for w in plurals if w.endswith("e")}      # "lashes" -> "lash", "cortes" -> "cort"
    for service in services:
        if plurals & {w for w in name_words(service) if len(w) >= 3}:
            return True
    return False


def part_of_day(mentions) -> str | None:
    """The part of the day named ("morning"), from the time readers' mentions."""
    for m in mentions:
        if m.kind == "time" and m.data and m.data[0] == "part" and not m.ref:
            return m.data[1]
    return None


def also(folded: str) -> bool:
    return _ALSO.search(folded) is not None


def staff_named(folded: str, staff: tuple[str, ...]) -> tuple[str, ...]:
    """The staff members named by their first name ("with Jordan instead")."""
    if not staff:
        return ()
    words = set(_WORDS.findall(folded))
    return tuple(name for name in staff if (name_words(name) or ("",))[0] in words)


def again(folded: str) -> bool:
    return _AGAIN.search(folded) is not None


def shift(mentions) -> str | None:
    """Which way a time relative to the appointment moves it ("push it back
    30 min": later; "an hour earlier", "anything sooner": earlier)."""
    for m in mentions:
        if m.kind != "rel" or not m.data:
            continue
        if m.data[0] == "delta" and m.data[1]:
            return "later" if m.data[1].total_seconds() > 0 else "earlier"
        if m.data[0] in ("later", "earlier"):
            return m.data[0]
    return None
