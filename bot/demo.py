"""A demo salon with realistic data: three staff, eight services, sixty
clients and about three hundred appointments over six weeks, including at
least one appointment of every kind the rules treat specially, so every
reply the bot can give is reachable from the demo.

Deterministic for a given `now` (a seeded random generator), so scripts and
tests can rely on its shape.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.availability import busy_segments
from bot.domain.models import (
    Appointment,
    AppointmentGroup,
    BookedVia,
    Client,
    Closure,
    OpeningHours,
    Salon,
    SalonSettings,
    Service,
    ServiceLine,
    SmsNumber,
    Staff,
    Status,
    TimeOff,
    WorkingHours,
)
from bot.domain.timezones import UTC, wall_to_utc, zone

DEMO_SLUG = "demo"
TZ = "America/New_York"
SMS_NUMBER = "+12125550100"
NOTIFICATION_PHONE = "+12125550188"
SALON_PHONE = "+12125550199"

OPENING = {  # weekday -> (opens, closes); Sunday and Monday closed
    1: ("09:00", "19:00"), 2: ("09:00", "19:00"), 3: ("09:00", "20:00"),
    4: ("09:00", "20:00"), 5: ("08:00", "17:00"),
}
STAFF = {
    "Maria": {1: ("09:00", "17:00"), 2: ("09:00", "17:00"), 3: ("11:00", "20:00"), 4: ("09:00", "17:00"), 5: ("08:00", "16:00")},
    "Jordan": {1: ("11:00", "19:00"), 2: ("11:00", "19:00"), 3: ("09:00", "17:00"), 4: ("12:00", "20:00"), 5: ("09:00", "17:00")},
    "Priya": {2: ("09:00", "17:00"), 3: ("09:00", "17:00"), 4: ("10:00", "18:00"), 5: ("08:00", "17:00")},
}
# name, name_es, minutes, processing, finishing, buffer, online, price, who
SERVICES = [
    ("Haircut", "Corte de pelo", 60, 0, 0, 0, True, 6500, ("Maria", "Jordan")),
    ("Blowout", "Peinado", 45, 0, 0, 0, True, 4500, ("Maria", "Jordan")),
    ("Trim", "Recorte", 30, 0, 0, 0, True, 3500, ("Maria", "Jordan")),
    ("All-over Color", "Color completo", 120, 45, 30, 0, True, 14000, ("Maria", "Jordan")),
    ("Keratin Treatment", "Tratamiento de keratina", 150, 0, 0, 0, False, 25000, ("Maria",)),
    ("Gel Manicure", "Manicura en gel", 45, 0, 0, 15, True, 5000, ("Priya",)),
    ("Pedicure", "Pedicura", 60, 0, 0, 10, True, 5500, ("Priya",)),
    ("Facial", "Facial", 60, 0, 0, 15, True, 9000, ("Priya",)),
]
FIRST = ["Ana", "Carla", "Ben", "David", "Elena", "Frank", "Grace", "Hugo", "Isabel", "Jack", "Kim", "Luis",
         "Mia", "Noah", "Olivia", "Pablo", "Quinn", "Rosa", "Sam", "Tina", "Uma", "Victor", "Wendy", "Xavier",
         "Yara", "Zoe", "Alex", "Bea", "Carlos", "Diana"]
LAST = ["Garcia", "Smith", "Lopez", "Johnson", "Martinez", "Brown", "Rodriguez", "Lee", "Hernandez", "Clark"]
SPANISH_FIRST = {"Ana", "Carla", "Elena", "Hugo", "Isabel", "Luis", "Pablo", "Rosa", "Carlos", "Xavier"}


@dataclass
class DemoResult:
    salon: Salon
    cases: dict[str, Appointment] = field(default_factory=dict)


def _t(text: str) -> time:
    return time.fromisoformat(text)


class _Builder:
    def __init__(self, session: Session, now: datetime, rng: random.Random) -> None:
        self.session, self.now, self.rng = session, now.astimezone(UTC), rng
        self.tz = zone(TZ)
        self.busy: dict[str, list[tuple[datetime, datetime]]] = {}

    def at(self, day: date, hhmm: str) -> datetime:
        moment = wall_to_utc(datetime.combine(day, _t(hhmm)), self.tz)
        assert moment is not None, "demo times avoid the skipped hour"
        return moment

    def free(self, staff: Staff, start: datetime, services: list[Service]) -> bool:
        cursor = start
        for service in services:
            for a, b in busy_segments(service.default_minutes, service.processing_minutes,
                                      service.finishing_minutes, service.buffer_minutes):
                s, e = cursor + timedelta(minutes=a), cursor + timedelta(minutes=b)
                if any(s < be and bs < e for bs, be in self.busy.get(staff.name, [])):
                    return False
            cursor += timedelta(minutes=service.default_minutes)
        return True

    def book(self, client: Client, lines: list[tuple[Service, Staff, datetime, int | None]], **kw) -> Appointment:
        appt = Appointment(salon=client.salon, client=client, **kw)
        for service, staff, start, minutes in lines:
            line = ServiceLine(service=service, staff=staff, starts_at=start,
                               minutes=minutes or service.default_minutes)
            appt.lines.append(line)
            self.busy.setdefault(staff.name, []).append((start, start + timedelta(minutes=line.minutes + service.buffer_minutes)))
        self.session.add(appt)
        return appt


def seed_demo(session: Session, now: datetime | None = None, seed: int = 2026) -> DemoResult:
    """Create the demo salon (replacing one that exists) and return it with its special cases."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    old = session.scalar(select(Salon).where(Salon.slug == DEMO_SLUG))
    if old is not None:
        session.delete(old)
        session.flush()
    rng = random.Random(seed)
    b = _Builder(session, now, rng)

    # The front desk's mobile gets a text whenever a client moves or cancels by themselves.
    salon = Salon(name="Bloom Hair & Spa", slug=DEMO_SLUG, timezone=TZ, country="US", phone=SALON_PHONE,
                  notification_phone=NOTIFICATION_PHONE)
    salon.numbers.append(SmsNumber(phone=SMS_NUMBER))
    salon.settings = SalonSettings(
        # Reminders two days ahead: with the 24-hour notice window, a client who
        # answers R or X to a reminder can still move or cancel it by text.
        reminder_hours_before=48,
        cancellation_policy="Please give us 24 hours' notice; late cancellations may be charged 50%.",
        cancellation_policy_es="Avísanos con 24 horas; las cancelaciones tardías pueden tener un cargo del 50%.",
    )
    for weekday, (opens, closes) in OPENING.items():
        salon.opening_hours.append(OpeningHours(weekday=weekday, opens=_t(opens), closes=_t(closes)))
    session.add(salon)

    staff = {}
    for name, hours in STAFF.items():
        member = Staff(name=name, salon=salon)
        for weekday, (starts, ends) in hours.items():
            member.working_hours.append(WorkingHours(weekday=weekday, starts=_t(starts), ends=_t(ends)))
        staff[name] = member
    services = {}
    for name, name_es, minutes, processing, finishing, buffer, online, price, _who in SERVICES:
        services[name] = Service(salon=salon, name=name, name_es=name_es, default_minutes=minutes,
                                 processing_minutes=processing, finishing_minutes=finishing,
                                 buffer_minutes=buffer, online_booking=online, price_cents=price)
    who = {name: [staff[s] for s in row[-1]] for name, row in zip(services, SERVICES)}

    clients = []
    for i in range(60):
        first = FIRST[i % len(FIRST)]
        name = f"{first} {LAST[(i * 7) % len(LAST)]}"
        clients.append(Client(salon=salon, name=name, phone=f"+1212555{1000 + i:04d}",
                              language="es" if first in SPANISH_FIRST and i % 2 == 0 else "en"))
    clients[0].language, clients[1].language = "en", "es"  # the two plain cases, one per language
    session.add_all(clients)

    today = now.astimezone(b.tz).date()
    # Time off and a closure, so the search has something to step around.
    closed = _next_weekday(today + timedelta(days=20), 3)
    salon.closures.append(Closure(starts_at=b.at(closed, "00:00"),
                                  ends_at=b.at(_next_weekday(today + timedelta(days=20), 4), "00:00"),
                                  reason="Staff training day"))
    vacation = _next_weekday(today + timedelta(days=10), 2)
    staff["Jordan"].time_off.append(TimeOff(starts_at=b.at(vacation, "00:00"),
                                            ends_at=b.at(vacation + timedelta(days=1), "00:00"), reason="Vacation"))

    result = DemoResult(salon)
    _special_cases(b, result, clients, staff, services, today)
    # (nothing booked on them: they were set before anyone booked those days)
    _fill(b, clients[12:], staff, services, who, today, off={(None, closed), ("Jordan", vacation)})
    session.flush()
    return result


def _next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _open_day(day: date, staff_name: str) -> date:
    while day.weekday() not in STAFF[staff_name]:
        day += timedelta(days=1)
    return day


def _special_cases(b: _Builder, result: DemoResult, clients: list[Client], staff: dict, services: dict,
                   today: date) -> None:
    """The first twelve clients hold one appointment of each kind the rules treat specially."""
    s, st = services, staff
    day3 = _open_day(today + timedelta(days=3), "Maria")
    day4 = _open_day(today + timedelta(days=4), "Priya")
    day5 = _open_day(day4 + timedelta(days=1), "Maria")
    past_grace = b.now - timedelta(days=10)
    cases = result.cases
    cases["movable"] = b.book(clients[0], [(s["Haircut"], st["Maria"], b.at(day3, "10:00"), None)], booked_at=past_grace)
    cases["movable_es"] = b.book(clients[1], [(s["Blowout"], st["Jordan"], b.at(day5, "14:00"), None)], booked_at=past_grace)
    cases["edited_duration"] = b.book(clients[3], [(s["Haircut"], st["Maria"], b.at(day3, "13:00"), 75)], booked_at=past_grace)
    cases["offline_service"] = b.book(clients[4], [(s["Keratin Treatment"], st["Maria"], b.at(day5, "09:00"), None)],
                                      booked_at=past_grace)
    cases["overlapping_services"] = b.book(clients[5], [
        (s["Gel Manicure"], st["Priya"], b.at(day4, "11:00"), None),
        (s["Blowout"], st["Jordan"], b.at(day4, "11:15"), None)], booked_at=past_grace)
    cases["processing_time"] = b.book(clients[6], [(s["All-over Color"], st["Jordan"], b.at(day3, "11:00"), None)],
                                      booked_at=past_grace)
    cases["buffer_back_to_back"] = b.book(clients[7], [
        (s["Gel Manicure"], st["Priya"], b.at(day4, "14:00"), None),
        (s["Pedicure"], st["Priya"], b.at(day4, "14:45"), None)], booked_at=past_grace)
    group = AppointmentGroup(salon=result.salon, primary_client=clients[8])
    b.session.add(group)
    cases["group_primary"] = b.book(clients[8], [(s["Haircut"], st["Maria"], b.at(day5, "13:00"), None)],
                                    group=group, booked_at=past_grace)
    cases["group_member"] = b.book(clients[9], [(s["Blowout"], st["Jordan"], b.at(day5, "13:00"), None)],
                                   group=group, booked_at=past_grace)
    soon = _soon_slot(b, st["Maria"])
    cases["inside_window"] = b.book(clients[10], [(s["Trim"], st["Maria"], soon, None)], booked_at=past_grace)
    cases["two_upcoming_first"] = b.book(clients[11], [(s["Facial"], st["Priya"], b.at(day4, "09:00"), None)],
                                         booked_at=past_grace)
    cases["two_upcoming_second"] = b.book(clients[11], [(s["Trim"], st["Maria"], b.at(day5 + timedelta(days=7), "16:00"), None)],
                                          booked_at=past_grace)


def _soon_slot(b: _Builder, maria: Staff) -> datetime:
    """A start inside the 24-hour notice window: Maria's next working quarter hour
    at least two hours away, or (if she is off all day) two hours from now."""
    start = (b.now + timedelta(hours=2)).replace(second=0, microsecond=0)
    start += timedelta(minutes=-start.minute % 15)
    probe = start
    while probe < b.now + timedelta(hours=22):
        local = probe.astimezone(b.tz)
        hours = STAFF["Maria"].get(local.weekday())
        if hours and _t(hours[0]) <= local.time() and (local + timedelta(minutes=30)).time() <= _t(hours[1]):
            return probe
        probe += timedelta(minutes=15)
    return start


def _fill(b: _Builder, clients: list[Client], staff: dict, services: dict, who: dict, today: date,
          off: set[tuple[str | None, date]] = frozenset()) -> None:
    """Ordinary bookings from two weeks ago to four weeks ahead, none on a day
    off (`off`: (staff name, day), or (None, day) for the whole salon)."""
    names = list(services)
    weights = [10, 7, 6, 4, 1, 6, 4, 3]
    day = today - timedelta(days=14)
    while day < today + timedelta(days=28):
        for name, member in staff.items():
            hours = STAFF[name].get(day.weekday())
            if not hours or (None, day) in off or (name, day) in off:
                continue
            cursor = b.at(day, hours[0])
            end = b.at(day, hours[1])
            while True:
                cursor += timedelta(minutes=b.rng.choice([0, 30, 60, 90, 120]))
                service = services[b.rng.choices(names, weights)[0]]
                while member not in who[service.name]:
                    service = services[b.rng.choices(names, weights)[0]]
                if cursor + timedelta(minutes=service.default_minutes) > end:
                    break
                if b.free(member, cursor, [service]):
                    _book_random(b, b.rng.choice(clients), service, member, cursor)
                cursor += timedelta(minutes=service.default_minutes + service.buffer_minutes)
                cursor += timedelta(minutes=-cursor.astimezone(b.tz).minute % 15)
        day += timedelta(days=1)


def _book_random(b: _Builder, client: Client, service: Service, member: Staff, start: datetime) -> None:
    roll = b.rng.random()
    booked_via = BookedVia.ONLINE if roll < 0.5 else BookedVia.STAFF
    booked_at = min(start, b.now) - timedelta(days=b.rng.randint(2, 30))
    if start + timedelta(minutes=service.default_minutes) <= b.now:
        status = Status.NO_SHOW if roll < 0.03 else Status.CANCELED if roll < 0.08 else Status.COMPLETED
    elif start <= b.now:
        status = Status.CONFIRMED
    else:
        status = Status.CANCELED if roll < 0.05 else Status.CONFIRMED if roll < 0.4 else Status.BOOKED
    appt = b.book(client, [(service, member, start, None)], booked_via=booked_via, booked_at=booked_at, status=status)
    if status == Status.CANCELED:
        appt.canceled_at = min(start, b.now) - timedelta(days=1)
