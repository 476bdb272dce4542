"""Set A's small toolkit: a salon, a client who texts through the real signed
webhook and reads the replies as a person would, and checks made on the
database (what moved, what was canceled, what is new, what was queued).

Nothing here knows the bot's wording beyond what a person reads: numbered
lines, times, service and staff names, and the words YES / NO (SI).
"""
from __future__ import annotations

import math
import os
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.domain.models import Appointment, Client, Closure, Conversation, Outbox, TimeOff
from tests.factories import NOW, local, show, standard_world
from tests.sms_client import TOKEN, Texter
from webhooks import create_app

OLD = NOW - timedelta(days=10)
SALON_PHONE = "(212) 555-0199"
NOTIFY = "+12125550188"


# --- the salon --------------------------------------------------------------------------

class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock(NOW)


@pytest.fixture
def app(db, clock):
    return create_app({"DATABASE_URL": str(db.url), "TESTING": True, "TWILIO_AUTH_TOKEN": TOKEN,
                       "PUBLIC_BASE_URL": "https://salonbot.example.com", "CLOCK": clock, "DATABASE": db})


@pytest.fixture
def save(db):
    def _save(world):
        with db.write() as session:
            session.add(world.salon)
    return _save


def salon(**settings):
    """standard_world (Maria, Jordan; Haircut, Blowout, Keratin, Color, Manicure) plus
    Sofía (an accented name), a Trim and an All-Over Color, and Spanish names."""
    w = standard_world(**settings)
    w.salon.notification_phone = NOTIFY
    w.salon.settings.cancellation_policy = "Please give 24 hours' notice."
    w.salon.settings.cancellation_policy_es = "Avísanos con 24 horas."
    w.add_staff("Sofía")
    w.add_service("Trim", 30, name_es="Despunte")
    w.add_service("All-Over Color", 90, name_es="Tinte completo")
    for name, es in {"Haircut": "Corte de pelo", "Blowout": "Peinado", "Manicure": "Manicura"}.items():
        w.services[name].name_es = es
    return w


def closed(world, start: str, end: str, reason: str = "") -> None:
    world.salon.closures.append(Closure(starts_at=local(start), ends_at=local(end), reason=reason))


def day_off(world, staff: str, start: str, end: str, reason: str = "") -> None:
    world.staff[staff].time_off.append(TimeOff(starts_at=local(start), ends_at=local(end), reason=reason))


# --- SMS segments -----------------------------------------------------------------------

GSM_BASIC = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
                "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM_EXTENSION = set("^{}\\[~]|€\f")


def segments(text: str) -> int:
    """How many SMS segments a text takes: GSM-7 (160, then 153 each; the extension
    table's characters count twice) or else UCS-2 (70, then 67 UTF-16 units each)."""
    if all(c in GSM_BASIC or c in GSM_EXTENSION for c in text):
        septets = sum(2 if c in GSM_EXTENSION else 1 for c in text)
        return 1 if septets <= 160 else math.ceil(septets / 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else math.ceil(units / 67)


# --- reading a reply as a person does ---------------------------------------------------

def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn")


def options(reply: str | None) -> dict[str, str]:
    """The numbered lines of a reply: {'1': 'Mon, Nov 30 at 10:00 AM', ...}."""
    return dict(re.findall(r"(?m)^\s*(\d)\)\s*(.+)$", reply or ""))


def pick(reply: str | None, *words: str) -> str | None:
    """The number of the first listed line that has all these words (a time, a day, a service)."""
    for number, line in options(reply).items():
        if all(fold(w) in fold(line) for w in words):
            return number
    return None


def asks_yes_no(reply: str | None) -> bool:
    return bool(reply) and bool(re.search(r"\b(YES|SI|SÍ)\b", reply)) and bool(re.search(r"\bNO\b", reply))


def offers_times(reply: str | None) -> bool:
    """A list of times to pick from (numbered lines that carry a clock time)."""
    return sum(bool(re.search(r"\d:\d\d\s*(am|pm)", fold(line))) for line in options(reply).values()) >= 1 \
        and not asks_which(reply)


SERVICE_WORDS = ("haircut", "blowout", "keratin", "color", "manicure", "trim", "corte", "peinado", "manicura",
                 "despunte", "tinte")


def asks_which(reply: str | None) -> bool:
    """A numbered list of the client's appointments (lines that name a service)."""
    lines = options(reply).values()
    return len(lines) >= 2 and sum(any(w in fold(line) for w in SERVICE_WORDS) for line in lines) >= 2


def mentions(reply: str | None, *words: str) -> bool:
    return reply is not None and all(fold(w) in fold(reply) for w in words)


def misunderstood(reply: str | None) -> bool:
    """What a person reads as 'the bot did not get me'."""
    return reply is not None and bool(re.search(r"didn'?t get|not getting|no te entend|no entend", fold(reply)))


ES_WORDS = {"tu", "el", "la", "para", "con", "de", "del", "las", "los", "responde", "listo", "cita", "esta", "gracias",
            "cancelar", "mover", "mantener", "mantenerla", "libre", "sin", "problema", "te", "esperamos", "que", "ahora",
            "puede", "puedo", "llamanos", "hora", "horas", "dia", "cual", "por", "favor", "mensajes", "no", "mas"}
EN_WORDS = {"your", "the", "to", "with", "reply", "done", "thanks", "is", "on", "at", "see", "you", "keep", "move",
            "cancel", "free", "appointment", "problem", "which", "sorry", "please", "call", "us", "now", "it",
            "can", "more", "texts", "we", "be", "will", "any"}


def language_of(reply: str | None) -> str | None:
    if not reply:
        return None
    words = re.findall(r"[a-z]+", fold(reply))
    es = sum(w in ES_WORDS for w in words)
    en = sum(w in EN_WORDS for w in words)
    return "es" if es > en else "en"


# --- the client -------------------------------------------------------------------------

class Player:
    """A client texting the salon. Every reply is checked to fit in two SMS segments;
    `expect` notes what a person would find wrong without stopping the conversation,
    so the database is still checked at the end."""

    def __init__(self, app, client) -> None:
        self.texter = Texter(app, client.phone)
        self.client = client
        self.log: list[tuple[str, str | None]] = []
        self.problems: list[str] = []

    def say(self, text: str) -> str | None:
        reply = self.texter.say(text)
        self.log.append((text, reply))
        if reply is not None and segments(reply) > 2:
            self.problems.append(f"reply to {text!r} takes {segments(reply)} SMS segments ({len(reply)} chars)")
        return reply

    @property
    def last(self) -> str | None:
        return self.log[-1][1] if self.log else None

    def expect(self, condition: bool, what: str) -> bool:
        if not condition:
            self.problems.append(f"after {self.log[-1][0]!r}: {what}" if self.log else what)
        return condition

    def yes_while_asked(self, yes: str = "yes", limit: int = 4) -> None:
        """A client who meant it answers YES to each YES/NO question the bot asks."""
        for _ in range(limit):
            if not asks_yes_no(self.last):
                return
            self.say(yes)

    def transcript(self) -> str:
        return "\n".join(f"  > {said}\n  < {reply!r}" for said, reply in self.log)


# --- the database -----------------------------------------------------------------------

@dataclass(frozen=True)
class Booking:
    client: str
    status: str
    lines: tuple[tuple[str, str, str, int], ...]   # (service, staff, local start, minutes)
    group_id: int | None

    @property
    def start(self) -> str:
        return min(line[2] for line in self.lines)

    def canceled(self) -> "Booking":
        return replace(self, status="canceled")

    def confirmed(self) -> "Booking":
        return replace(self, status="confirmed")

    def moved(self, to: str) -> "Booking":
        shift = datetime.fromisoformat(to) - datetime.fromisoformat(self.start)
        return replace(self, lines=tuple((s, st, (datetime.fromisoformat(t) + shift).strftime("%Y-%m-%d %H:%M"), m)
                                         for s, st, t, m in self.lines))


def bookings(db) -> dict[int, Booking]:
    with db.read() as session:
        return {a.id: Booking(a.client.name, a.status,
                              tuple((l.service.name, l.staff.name, show(l.starts_at), l.minutes) for l in a.lines),
                              a.group_id)
                for a in session.scalars(select(Appointment).order_by(Appointment.id))}


def outbox(db) -> list[tuple[str, str, int | None, str]]:
    with db.read() as session:
        return [(o.kind, o.to_phone, o.appointment_id, o.body) for o in session.scalars(select(Outbox).order_by(Outbox.id))]


def conversation(db, client) -> Conversation | None:
    with db.read() as session:
        return session.scalars(select(Conversation).where(Conversation.client_id == client.id)).one_or_none()


def client_row(db, client) -> Client:
    with db.read() as session:
        return session.get(Client, client.id)


class Scene:
    """One conversation's situation: the bookings before it, to compare with after."""

    def __init__(self, db, player: Player) -> None:
        self.db, self.player = db, player
        self.before = bookings(db)

    def changes(self) -> dict[int, Booking]:
        after = bookings(self.db)
        return {i: b for i, b in after.items() if self.before.get(i) != b}

    def new(self) -> dict[int, Booking]:
        return {i: b for i, b in bookings(self.db).items() if i not in self.before}

    def verdict(self, expected: dict[int, Booking], *, new: int = 0, notices: bool = True,
                flagged: bool | None = None, handed_off: bool = False) -> None:
        """Every problem found, at once: the expected changes to existing bookings (nothing else
        changed), how many new ones, the salon's notices queued, the staff flag."""
        p, problems = self.player, list(self.player.problems)
        changed = {i: b for i, b in self.changes().items() if i in self.before}
        created = self.new()
        for i, b in changed.items():
            if i not in expected:
                problems.append(f"UNMEANT CHANGE to appointment {i}: {self.before[i]} -> {b}")
            elif b != expected[i]:
                problems.append(f"appointment {i} is {b}, expected {expected[i]}")
        for i, b in expected.items():
            if i not in changed:
                problems.append(f"appointment {i} unchanged ({self.before[i]}), expected {b}")
        if len(created) != new:
            problems.append(f"{len(created)} new appointments, expected {new}: {created}")
        rows = outbox(self.db)
        touched = set(expected) | set(created)
        if notices:
            # Changed by text: the reply is the client's confirmation; the salon is told.
            strays = [r for r in rows if r[1] != NOTIFY]
            if strays:
                problems.append(f"texts queued to others than the salon: {strays}")
            about = {r[2] for r in rows if r[1] == NOTIFY}
            if touched and not about:
                problems.append("no notice queued for the salon")
            if about - touched - {None}:
                problems.append(f"notices about appointments that did not change: {about - touched}")
        convo = conversation(self.db, p.client)
        if flagged is not None and bool(convo and convo.flag) != flagged:
            problems.append(f"conversation flag is {convo and convo.flag!r}, expected {'a flag' if flagged else 'none'}")
        if convo is not None and convo.handed_off != handed_off:
            problems.append(f"conversation handed_off={convo.handed_off}, expected {handed_off}")
        if os.environ.get("SHOW_TRANSCRIPTS"):
            print("\n" + ("FAIL" if problems else "PASS") + "\n" + p.transcript())
        assert not problems, "\n".join(problems) + "\n--- transcript\n" + p.transcript()


# --- times as a person reads them -------------------------------------------------------

_EN = re.compile(r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2}) "
                 r"at (\d{1,2}):(\d\d) (AM|PM)")
_ES = re.compile(r"(?:lun|mar|mie|jue|vie|sab|dom)\.? (\d{1,2}) (ene|feb|mar|abr|may|jun|jul|ago|sep|oct|nov|dic)\.? "
                 r"a las (\d{1,2}):(\d\d) ?(am|pm|a\. ?m\.|p\. ?m\.)")
_MONTHS_EN = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_MONTHS_ES = "ene feb mar abr may jun jul ago sep oct nov dic".split()


def when(text: str | None) -> str | None:
    """The first date and time written in a text, as '2026-11-30 14:00' (salon time)."""
    if not text:
        return None
    found = _EN.search(text)
    if found:
        month, day, hour, minute, half = (_MONTHS_EN.index(found[1].lower()) + 1, int(found[2]), int(found[3]),
                                          int(found[4]), found[5].lower())
    else:
        found = _ES.search(fold(text))
        if not found:
            return None
        month, day, hour, minute, half = (_MONTHS_ES.index(found[2]) + 1, int(found[1]), int(found[3]),
                                          int(found[4]), found[5].replace(".", "").replace(" ", ""))
    hour = hour % 12 + (12 if half == "pm" else 0)
    year = 2026 if month >= 11 else 2027
    return f"{year}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}"


def accept_offer(p: Player, yes: str = "yes", *prefer: str) -> str | None:
    """The client takes what is offered: the YES/NO time, or the listed time that has the
    words they want (else the first). Returns the time taken, as the client read it."""
    reply = p.last
    if asks_yes_no(reply) and not offers_times(reply):
        taken = when(reply)
        p.say(yes)
        return taken
    if offers_times(reply):
        number = (pick(reply, *prefer) if prefer else None) or min(options(reply))
        taken = when(options(reply)[number])
        p.say(number)
        if asks_yes_no(p.last):
            p.say(yes)
        return taken
    return None


def play(app, db, client) -> tuple[Player, Scene]:
    p = Player(app, client)
    return p, Scene(db, p)


FILLER = [("Trim", "Sofía", "2026-12-14 16:00"), ("Blowout", "Sofía", "2026-12-17 12:00"),
          ("Haircut", "Jordan", "2026-12-21 10:00"), ("Trim", "Maria", "2026-12-28 17:00"),
          ("Blowout", "Maria", "2027-01-05 11:00")]


def fill(world, client, n: int) -> list:
    """n more upcoming bookings, later in the season, so the client holds several."""
    return [world.book(client, line, booked_at=OLD) for line in FILLER[:n]]


def take_time(p: Player, target: str, ask_again: str, yes: str = "yes") -> str | None:
    """A client who wants one particular time: YES if that is the time asked about, its
    number if it is listed, else they ask for it once more. Returns the time taken."""
    for attempt in range(2):
        reply = p.last
        if asks_yes_no(reply) and not offers_times(reply) and when(reply) == target:
            p.say(yes)
            return target
        listed = [n for n, line in options(reply).items() if when(line) == target]
        if offers_times(reply) and listed:
            p.say(listed[0])
            if asks_yes_no(p.last):
                p.say(yes)
            return target
        if attempt == 0:
            p.say(ask_again)
    return None
