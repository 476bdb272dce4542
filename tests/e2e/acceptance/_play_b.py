"""Set B's small toolkit: a salon, a client who reads the bot's replies, and
checks on the database (which appointment moved where, which were canceled,
that nothing else changed), plus the SMS segment count every reply must fit.

Black-box: it only uses the signed webhook (tests/sms_client.Texter), the
factories and the model columns.
"""
from __future__ import annotations

import math
import os
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.domain.models import Appointment, Client, Conversation, Outbox, Service, ServiceLine, Staff
from tests.factories import NOW, SalonWorld, local, show
from tests.sms_client import TOKEN, Texter
from webhooks import create_app

OLD = NOW - timedelta(days=10)
NOTIFY = "+12125550188"
SALON_PHONE = "(212) 555-0199"


# --- fixtures ----------------------------------------------------------------------------

class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock(NOW)


@pytest.fixture
def app(db, clock):
    return create_app({"DATABASE_URL": str(db.url), "TESTING": True, "TWILIO_AUTH_TOKEN": TOKEN,
                       "PUBLIC_BASE_URL": "https://salonbot.example.com", "CLOCK": clock, "DATABASE": db})


# --- the salon ---------------------------------------------------------------------------

SPANISH_NAMES = {"Haircut": "Corte", "Blowout": "Peinado", "Keratin": "Keratina", "Color": "Tinte",
                 "Manicure": "Manicura", "Pedicure": "Pedicura", "Trim": "Despunte"}


def salon(hours: tuple[str, str] = ("09:00", "19:00"), staff_hours: dict | None = None, **settings) -> SalonWorld:
    """Three staff, seven services (Keratin not bookable online, Color with processing time,
    Manicure with a buffer), a notification number and a cancellation policy."""
    world = SalonWorld(hours=hours, **settings)
    world.salon.notification_phone = NOTIFY
    world.settings.cancellation_policy = "Please give 24 hours' notice."
    world.settings.cancellation_policy_es = "Avisanos con 24 horas."
    for name in ("Maria", "Jordan", "Sam"):
        world.add_staff(name, hours=(staff_hours or {}).get(name))
    world.add_service("Haircut", 60)
    world.add_service("Blowout", 45)
    world.add_service("Keratin", 150, online_booking=False)
    world.add_service("Color", 120, processing_minutes=45, finishing_minutes=30)
    world.add_service("Manicure", 45, buffer_minutes=15)
    world.add_service("Pedicure", 50)
    world.add_service("Trim", 30)
    for name, spanish in SPANISH_NAMES.items():
        world.services[name].name_es = spanish
    return world


def save(db, world) -> None:
    with db.write() as session:
        session.add(world.salon)


def book_directly(db, client_id, service, staff, start):
    """Someone else books by phone meanwhile: a plain write, as the salon's own system would."""
    with db.write() as session:
        client = session.get(Client, client_id)
        appt = Appointment(salon=client.salon, client=client)
        session.add(appt)
        appt.lines.append(ServiceLine(service=session.scalars(select(Service).where(Service.name == service)).one(),
                                      staff=session.scalars(select(Staff).where(Staff.name == staff)).one(),
                                      starts_at=local(start)))


def reminded(db, world, client, appt):
    """The state a reminder leaves: the bot asked C, R or X about this appointment."""
    with db.write() as session:
        session.add(Conversation(salon_id=world.salon.id, client_id=client.id, channel="sms", address=client.phone,
                                 state={"awaiting": "reminder_reply", "appointment_id": appt.id,
                                        "asked_at": NOW.isoformat()}))


# --- SMS segments ------------------------------------------------------------------------

GSM7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
           "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXT = set("^{}\\[~]|€\f")


def segments(text: str) -> int:
    """How many SMS segments a text takes: GSM-7 160 / 153 per part, else UCS-2 70 / 67."""
    if all(c in GSM7 or c in GSM7_EXT for c in text):
        septets = sum(2 if c in GSM7_EXT else 1 for c in text)
        return 1 if septets <= 160 else math.ceil(septets / 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else math.ceil(units / 67)


# --- reading the bot's replies, as a client does -----------------------------------------

_EN_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_ES_MONTHS = "ene feb mar abr may jun jul ago sep oct nov dic".split()
_EN = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? (\d{1,2})(?:st|nd|rd|th)?,?"
                 r"(?: at)? (\d{1,2})(?::(\d{2}))? ?([ap])\.?m\b", re.I)
_ES = re.compile(r"\b(\d{1,2}) (?:de )?(ene|feb|mar|abr|may|jun|jul|ago|sep|oct|nov|dic)[a-z]*\.?,?"
                 r"(?: a las?)? (\d{1,2})(?::(\d{2}))? ?([ap])\.? ?m\b", re.I)


def _when(month: int, day: int, hour: int, minute: int, ampm: str) -> str:
    hour = hour % 12 + (12 if ampm.lower() == "p" else 0)
    year = 2026 if month >= 11 else 2027
    return f"{year}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}"


def times_in(text: str | None) -> list[str]:
    """Every date-and-time the text names, in order, as 'YYYY-MM-DD HH:MM' on the salon's clock."""
    if not text:
        return []
    found = []
    for m in _EN.finditer(text):
        found.append((m.start(), _when(_EN_MONTHS.index(m.group(1).lower()) + 1, int(m.group(2)), int(m.group(3)),
                                       int(m.group(4) or 0), m.group(5))))
    for m in _ES.finditer(text):
        found.append((m.start(), _when(_ES_MONTHS.index(m.group(2).lower()) + 1, int(m.group(1)), int(m.group(3)),
                                       int(m.group(4) or 0), m.group(5))))
    return [when for _, when in sorted(found)]


def offers(text: str | None) -> dict[int, str]:
    """The numbered times a reply offers: {1: '2026-11-30 10:00', ...}."""
    result = {}
    for m in re.finditer(r"(?m)^\s*(\d)\)\s*(.+)$", text or ""):
        when = times_in(m.group(2))
        if when:
            result[int(m.group(1))] = when[0]
    return result


def asks_yes_no(text: str | None) -> bool:
    return bool(text) and re.search(r"\b(YES|SI|SÍ)\b", text) is not None and re.search(r"\bNO\b", text) is not None


def proposed(text: str | None) -> str | None:
    """The time a YES/NO question proposes (the first one it names)."""
    when = times_in(text)
    return when[0] if asks_yes_no(text) and when and not offers(text) else None


# --- the database, before and after ------------------------------------------------------

def appointments(db) -> dict[int, tuple]:
    with db.read() as session:
        result = {}
        for appt in session.scalars(select(Appointment)):
            lines = tuple(sorted((l.service.name, l.staff.name, show(l.starts_at), l.minutes) for l in appt.lines))
            result[appt.id] = (appt.status, appt.client_id, lines)
        return result


def outbox(db) -> list[tuple[str, str]]:
    with db.read() as session:
        return [(o.kind, o.to_phone) for o in session.scalars(select(Outbox).order_by(Outbox.id))]


def conversation(db, client) -> Conversation | None:
    with db.read() as session:
        return session.scalars(select(Conversation).where(Conversation.client_id == client.id)).one_or_none()


def client_row(db, client) -> Client:
    with db.read() as session:
        return session.get(Client, client.id)


def overlaps(db) -> list[tuple]:
    """Pairs of active service lines of one staff member that overlap in time (a double booking)."""
    with db.read() as session:
        lines = [(l.staff.name, l.starts_at, l.ends_at, l.appointment_id) for l in session.scalars(select(ServiceLine))
                 if l.appointment.status in ("booked", "confirmed")]
    bad = []
    for i, a in enumerate(lines):
        for b in lines[i + 1:]:
            if a[0] == b[0] and a[3] != b[3] and a[1] < b[2] and b[1] < a[2]:
                bad.append((a[0], show(a[1]), show(b[1])))
    return bad


class Play:
    """One client texting the salon: every reply is checked to fit two segments, and the
    transcript is kept for the failure message."""

    def __init__(self, app, db, client):
        self.db, self.client = db, client
        self.texter = Texter(app, client.phone)
        self.transcript: list[tuple[str, str | None]] = []
        self.before = appointments(db)
        self.outbox_before = len(outbox(db))

    def say(self, body: str) -> str | None:
        reply = self.texter.say(body)
        self.transcript.append((body, reply))
        if os.environ.get("SET_B_TRANSCRIPTS"):     # to read the conversations: pytest -s
            print(f"\n  client: {body!r}\n  bot:    {reply!r}")
        if reply is not None:
            assert segments(reply) <= 2, f"reply takes {segments(reply)} segments\n{self}"
        return reply

    def __str__(self) -> str:
        return "\n".join(f"  client: {said!r}\n  bot:    {got!r}" for said, got in self.transcript)

    @property
    def last(self) -> str | None:
        return self.transcript[-1][1] if self.transcript else None

    def check(self, condition, what: str) -> None:
        assert condition, f"{what}\n{self}"

    # choosing, as a person reading the reply would
    def answer_for(self, wanted: str, reply: str | None = None, yes: str = "yes") -> str | None:
        """What to text to take `wanted` ('YYYY-MM-DD HH:MM'): its number if it is offered,
        `yes` if it is what the YES/NO question proposes, else None."""
        reply = self.last if reply is None else reply
        for number, when in offers(reply).items():
            if when == wanted:
                return str(number)
        if proposed(reply) == wanted:
            return yes
        return None

    def take(self, wanted: str, yes: str = "yes") -> str | None:
        answer = self.answer_for(wanted, yes=yes)
        self.check(answer is not None, f"{wanted} is neither offered nor proposed")
        return self.say(answer)

    def pick(self, suits, prefer=None) -> str:
        """The number of the first (or `prefer`-best) offered time that suits the client; the time."""
        offered = offers(self.last)
        fitting = [(n, w) for n, w in offered.items() if suits(w)]
        self.check(fitting, f"no offered time suits the client: {offered}")
        if prefer:
            fitting.sort(key=lambda nw: prefer(nw[1]))
        return str(fitting[0][0]), fitting[0][1]

    # the database
    def changed(self) -> dict[int, tuple[tuple, tuple | None]]:
        after = appointments(self.db)
        return {i: (self.before.get(i), after.get(i)) for i in set(self.before) | set(after)
                if self.before.get(i) != after.get(i)}

    def expect(self, moved: dict | None = None, canceled=(), confirmed=(), new: int = 0) -> None:
        """Exactly these changes and no other: `moved` {appointment id: its new local start}
        (every line shifted alike, still active), `canceled` and `confirmed` ids, `new` appointments."""
        moved = moved or {}
        changes = self.changed()
        want = set(moved) | set(canceled) | set(confirmed)
        unexpected = {i: c for i, c in changes.items() if i not in want and c[0] is not None}
        self.check(not unexpected, f"appointments the client did not mean changed: {unexpected}")
        created = [c[1] for i, c in changes.items() if c[0] is None]
        self.check(len(created) == new, f"expected {new} new appointment(s), got {created}")
        after = appointments(self.db)
        for i, start in moved.items():
            old, now = self.before[i], after[i]
            old_starts = [local(l[2]) for l in old[2]]
            delta = local(start) - min(old_starts)
            shifted = tuple(sorted((s, st, show(local(t) + delta), m) for s, st, t, m in old[2]))
            self.check(now[0] in ("booked", "confirmed") and now[2] == shifted,
                       f"appointment {i} should be at {start}: was {old}, is {now}")
        for i in canceled:
            self.check(after[i][0] in ("canceled", "late_canceled") and after[i][2] == self.before[i][2],
                       f"appointment {i} should be canceled: is {after[i]}")
        for i in confirmed:
            self.check(after[i][0] == "confirmed" and after[i][2] == self.before[i][2],
                       f"appointment {i} should be confirmed at the same time: is {after[i]}")
        self.check(not overlaps(self.db), f"double booking: {overlaps(self.db)}")

    def new_outbox(self) -> list[tuple[str, str]]:
        return outbox(self.db)[self.outbox_before:]

    def expect_salon_told(self, times: int) -> None:
        """Changed by text: the salon's notification number gets a notice per change (and only then)."""
        rows = self.new_outbox()
        notices = [r for r in rows if r[1] == NOTIFY]
        self.check(len(notices) == times and all(k.startswith("salon") for k, _ in notices),
                   f"expected {times} notice(s) to the salon, outbox: {rows}")

    def flag(self) -> str | None:
        conv = conversation(self.db, self.client)
        return conv.flag if conv else None

    def handed_off(self) -> bool:
        conv = conversation(self.db, self.client)
        return bool(conv and conv.handed_off)


def on_day(day: str):
    return lambda when: when.startswith(day)


def minutes_of(when: str) -> int:
    hh, mm = when[-5:].split(":")
    return int(hh) * 60 + int(mm)


def at(when: str) -> datetime:
    return datetime.fromisoformat(when)
