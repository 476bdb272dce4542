"""A demo salon with realistic data: three staff, eight services, sixty
clients and about three hundred appointments over six weeks, including at
least one appointment of every kind the rules treat specially, so every
reply the bot can give is reachable from the demo.

Deterministic for a given `now` (a seeded random generator), so scripts and
tests can rely on its shape. Whatever `now` is, the demo keeps the same
promises (tests/integration/test_demo_calendar.py seeds it on every day of a
year): every special case is upcoming and inside its staff member's hours,
nothing is booked on the closure, the time off or a staff member's day off,
and no client sits in two chairs at once. So no booking is put at a weekday
or wall time worked out from `now` alone: each is found by a search that
checks all of that (`_Builder.place`). A span's end is derived from its
start, never worked out on its own (the closure once ended before it began
whenever the demo was seeded on a Saturday).
"""
from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select
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
from bot.domain.timezones import UTC, day_bounds, wall_interval, wall_to_utc, zone

DEMO_SLUG = "demo"
TZ = "America/New_York"
SMS_NUMBER = "+12125550100"
NOTIFICATION_PHONE = "+12125550188"
SALON_PHONE = "+12125550199"
# A special case's appointment says which it is in its notes (staff see them
# too), so the cases can be listed from the database alone (`demo_cases`).
CASE_NOTE = "Demo case: "

# weekday (0 = Monday) -> (opens, closes). Open every day, and someone who
# cuts hair works within every 24 hours (Jordan has Sunday and Monday): so
# whenever the demo is seeded, an appointment can start inside the 24-hour
# notice window and inside its stylist's hours (the inside_window case).
OPENING = {
    0: ("10:00", "18:00"), 1: ("09:00", "19:00"), 2: ("09:00", "19:00"), 3: ("09:00", "20:00"),
    4: ("09:00", "20:00"), 5: ("08:00", "17:00"), 6: ("10:00", "16:00"),
}
STAFF = {
    "Maria": {1: ("09:00", "17:00"), 2: ("09:00", "17:00"), 3: ("11:00", "20:00"), 4: ("09:00", "17:00"), 5: ("08:00", "16:00")},
    "Jordan": {0: ("10:00", "18:00"), 3: ("09:00", "17:00"), 4: ("12:00", "20:00"), 5: ("09:00", "17:00"), 6: ("10:00", "16:00")},
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


Interval = tuple[datetime, datetime]
# One service line to place: service, staff member, minutes after the
# appointment's start, and its length when not the service's own.
Line = tuple[Service, Staff, int, int | None]
QUARTER = timedelta(minutes=15)


def _t(text: str) -> time:
    return time.fromisoformat(text)


class _Builder:
    """Books the demo's appointments, keeping track of who is busy when."""

    def __init__(self, session: Session, now: datetime, rng: random.Random) -> None:
        self.session, self.now, self.rng = session, now.astimezone(UTC), rng
        self.tz = zone(TZ)
        # (staff name, local day) -> busy time (processing time is free); by day,
        # so a check reads that day's few bookings rather than six weeks' worth.
        self.busy: dict[tuple[str, date], list[Interval]] = {}
        self.seated: dict[int, list[Interval]] = {}      # client id -> when they sit in a chair
        self.blocked: list[tuple[str | None, datetime, datetime]] = []   # (staff name or None: everyone, span)
        self.rows: list[tuple[dict, dict]] = []          # ordinary bookings, inserted together at the end
        self._hours: dict[tuple[str, date], Interval | None] = {}

    def hours(self, name: str, day: date) -> Interval | None:
        """The staff member's working hours on a local day, in UTC (None: a day off)."""
        key = (name, day)
        if key not in self._hours:
            hours = STAFF[name].get(day.weekday())
            self._hours[key] = wall_interval(day, _t(hours[0]), _t(hours[1]), self.tz) if hours else None
        return self._hours[key]

    def fits(self, client_id: int, service: Service, staff: Staff, start: datetime, minutes: int) -> bool:
        """Inside the staff member's hours, clear of closures and their time off,
        of their other bookings' busy time, and of the client's other bookings."""
        end = start + timedelta(minutes=minutes)
        day = start.astimezone(self.tz).date()
        hours = self.hours(staff.name, day)
        if hours is None or start < hours[0] or end > hours[1]:
            return False
        if any(who in (None, staff.name) and s < end and start < e for who, s, e in self.blocked):
            return False
        if any(s < end and start < e for s, e in self.seated.get(client_id, ())):
            return False
        taken = [span for d in (day - timedelta(days=1), day, day + timedelta(days=1))
                 for span in self.busy.get((staff.name, d), ())]
        for a, b in busy_segments(minutes, service.processing_minutes, service.finishing_minutes,
                                  service.buffer_minutes):
            s, e = start + timedelta(minutes=a), start + timedelta(minutes=b)
            if any(s < be and bs < e for bs, be in taken):
                return False
        return True

    def place(self, first_day: date, not_before: str, bookings: Sequence[tuple[Client, Sequence[Line]]]) -> datetime:
        """The first quarter hour, from `first_day` on and no earlier than
        `not_before` on its day, at which every line of `bookings` fits."""
        earliest = _t(not_before)
        for offset in range(28):
            day = first_day + timedelta(days=offset)
            for minute in range(earliest.hour * 60 + earliest.minute, 24 * 60, 15):
                start = wall_to_utc(datetime.combine(day, time(minute // 60, minute % 60)), self.tz)
                if start is not None and self._all_fit(start, bookings):
                    return start
        raise RuntimeError(f"no time for a demo booking in the four weeks from {first_day}")

    def _all_fit(self, start: datetime, bookings: Sequence[tuple[Client, Sequence[Line]]]) -> bool:
        # Lines of one booking are checked against what was booked before, not
        # against each other: their buffers may overlap, and so may the services
        # of the overlapping_services case, done by two staff at once.
        return all(self.fits(client.id, service, staff, start + timedelta(minutes=offset),
                             minutes or service.default_minutes)
                   for client, lines in bookings for service, staff, offset, minutes in lines)

    def take(self, client_id: int, service: Service, staff: Staff, start: datetime, minutes: int) -> None:
        self.busy.setdefault((staff.name, start.astimezone(self.tz).date()), []).extend(
            (start + timedelta(minutes=a), start + timedelta(minutes=b))
            for a, b in busy_segments(minutes, service.processing_minutes, service.finishing_minutes,
                                      service.buffer_minutes))
        self.seated.setdefault(client_id, []).append((start, start + timedelta(minutes=minutes)))

    def book(self, client: Client, start: datetime, lines: Sequence[Line], **kw) -> Appointment:
        """A special case, as an object the caller gets back."""
        appt = Appointment(salon=client.salon, client=client, **kw)
        for service, staff, offset, minutes in lines:
            line = ServiceLine(service=service, staff=staff, starts_at=start + timedelta(minutes=offset),
                               minutes=minutes or service.default_minutes)
            appt.lines.append(line)
            self.take(client.id, service, staff, line.starts_at, line.minutes)
        self.session.add(appt)
        return appt

    def book_row(self, client_id: int, service: Service, staff: Staff, start: datetime, **kw) -> None:
        """An ordinary booking, kept as plain rows: a few hundred of them are
        inserted in two statements (the ORM's unit of work took most of the
        time seeding did, and the tests seed the demo at hundreds of moments)."""
        self.take(client_id, service, staff, start, service.default_minutes)
        self.rows.append((
            {"salon_id": service.salon_id, "client_id": client_id, **kw},
            {"service_id": service.id, "staff_id": staff.id, "starts_at": start, "minutes": service.default_minutes}))

    def insert_rows(self) -> None:
        if not self.rows:
            return
        connection, table = self.session.connection(), Appointment.__table__
        ids = connection.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                                 [appointment for appointment, _ in self.rows]).scalars().all()
        connection.execute(insert(ServiceLine.__table__), [dict(line, appointment_id=appointment_id)
                                                           for appointment_id, (_, line) in zip(ids, self.rows)])


def seed_demo(session: Session, now: datetime | None = None, seed: int = 2026) -> DemoResult:
    """Create the demo salon (replacing one that exists) and return it with its special cases."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    old = demo_salon(session)
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
    session.add(salon)   # with its staff and services, which reach the session through it

    people = []
    for i in range(60):
        first = FIRST[i % len(FIRST)]
        people.append({"name": f"{first} {LAST[(i * 7) % len(LAST)]}", "phone": f"+1212555{1000 + i:04d}",
                       "language": "es" if first in SPANISH_FIRST and i % 2 == 0 else "en"})
    people[0]["language"], people[1]["language"] = "en", "es"  # the two plain cases, one per language
    # The first twelve hold the special cases, as objects; the other forty-eight
    # only ordinary bookings, and go in as plain rows like those bookings.
    clients = [Client(salon=salon, **person) for person in people[:12]]
    session.add_all(clients)
    session.flush()
    # In one statement, without RETURNING: SQLite returns ids in order only
    # one row per statement. Their numbers follow people's order (by phone).
    session.connection().execute(insert(Client.__table__), [dict(person, salon_id=salon.id) for person in people[12:]])
    ordinary = session.scalars(select(Client.id).where(Client.salon_id == salon.id,
                                                       Client.phone.in_([p["phone"] for p in people[12:]]))
                               .order_by(Client.phone)).all()

    today = now.astimezone(b.tz).date()
    # A closure and a day off, so the search has something to step around: each
    # a whole local day on which the salon (Thursday) or Jordan (Friday) would
    # otherwise work, with its end taken from its start.
    starts, ends = day_bounds(_next_weekday(today + timedelta(days=20), 3), b.tz)
    salon.closures.append(Closure(starts_at=starts, ends_at=ends, reason="Staff training day"))
    b.blocked.append((None, starts, ends))
    starts, ends = day_bounds(_next_weekday(today + timedelta(days=10), 4), b.tz)
    staff["Jordan"].time_off.append(TimeOff(starts_at=starts, ends_at=ends, reason="Vacation"))
    b.blocked.append(("Jordan", starts, ends))

    result = DemoResult(salon)
    _special_cases(b, result, clients, staff, services, today)
    _fill(b, ordinary, staff, services, who, today)
    session.flush()
    b.insert_rows()
    # What this session had loaded of the salon's clients and appointments does not hold the plain rows.
    session.expire(salon, ["clients", "appointments"])
    return result


def demo_salon(session: Session) -> Salon | None:
    return session.scalar(select(Salon).where(Salon.slug == DEMO_SLUG))


def demo_cases(session: Session, salon: Salon) -> dict[str, Appointment]:
    """The demo's special cases as they are now in the database, by name, in
    the order they were made (after a client moved or canceled one, too)."""
    rows = session.scalars(select(Appointment).where(Appointment.salon_id == salon.id,
                                                     Appointment.notes.startswith(CASE_NOTE, autoescape=True))
                           .order_by(Appointment.id))
    return {appt.notes.removeprefix(CASE_NOTE): appt for appt in rows}


def _next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _special_cases(b: _Builder, result: DemoResult, clients: list[Client], staff: dict, services: dict,
                   today: date) -> None:
    """The first twelve clients hold one appointment of each kind the rules treat specially.

    Each is placed by `b.place` at the first time, from a few days ahead (well
    outside the notice window) and a preferred hour, where it fits; the one
    inside the notice window by `_soon_slot`."""
    s, st = services, staff
    past_grace = b.now - timedelta(days=10)
    cases = result.cases

    def case(name: str, client: Client, first_day: date, not_before: str, lines: list[Line]) -> Appointment:
        start = b.place(first_day, not_before, [(client, lines)])
        return book(name, client, start, lines)

    def book(name: str, client: Client, start: datetime, lines: list[Line], **kw) -> Appointment:
        cases[name] = b.book(client, start, lines, booked_at=past_grace, notes=CASE_NOTE + name, **kw)
        return cases[name]

    day3, day4, day5 = (today + timedelta(days=n) for n in (3, 4, 5))
    case("movable", clients[0], day3, "10:00", [(s["Haircut"], st["Maria"], 0, None)])
    case("movable_es", clients[1], day5, "14:00", [(s["Blowout"], st["Jordan"], 0, None)])
    case("edited_duration", clients[3], day3, "13:00", [(s["Haircut"], st["Maria"], 0, 75)])
    case("offline_service", clients[4], day5, "09:00", [(s["Keratin Treatment"], st["Maria"], 0, None)])
    case("overlapping_services", clients[5], day4, "11:00",
         [(s["Gel Manicure"], st["Priya"], 0, None), (s["Blowout"], st["Jordan"], 15, None)])
    case("processing_time", clients[6], day3, "11:00", [(s["All-over Color"], st["Jordan"], 0, None)])
    case("buffer_back_to_back", clients[7], day4, "14:00",
         [(s["Gel Manicure"], st["Priya"], 0, None), (s["Pedicure"], st["Priya"], 45, None)])
    # A group: the two friends sit down at the same time, with Maria and with Jordan.
    primary, member = [(s["Haircut"], st["Maria"], 0, None)], [(s["Blowout"], st["Jordan"], 0, None)]
    start = b.place(day5, "13:00", [(clients[8], primary), (clients[9], member)])
    group = AppointmentGroup(salon=result.salon, primary_client=clients[8])
    b.session.add(group)
    book("group_primary", clients[8], start, primary, group=group)
    book("group_member", clients[9], start, member, group=group)
    notice = timedelta(hours=result.salon.settings.reschedule_notice_hours)
    start, stylist = _soon_slot(b, notice, clients[10], s["Trim"], [st["Maria"], st["Jordan"]])
    book("inside_window", clients[10], start, [(s["Trim"], stylist, 0, None)])
    first = case("two_upcoming_first", clients[11], day4, "09:00", [(s["Facial"], st["Priya"], 0, None)])
    week_later = first.starts_at.astimezone(b.tz).date() + timedelta(days=7)
    case("two_upcoming_second", clients[11], week_later, "16:00", [(s["Trim"], st["Maria"], 0, None)])


def _soon_slot(b: _Builder, notice: timedelta, client: Client, service: Service,
               stylists: list[Staff]) -> tuple[datetime, Staff]:
    """A start inside the 24-hour notice window, with whichever stylist works first:
    the next quarter hour at least two hours away (so it is still ahead while
    someone explores the demo) where the service fits their hours."""
    start = (b.now + timedelta(hours=2)).replace(second=0, microsecond=0)
    start += timedelta(minutes=-start.minute % 15)
    while start < b.now + notice:
        for stylist in stylists:
            if b.fits(client.id, service, stylist, start, service.default_minutes):
                return start, stylist
        start += QUARTER
    raise RuntimeError("no stylist works within the notice window: see OPENING and STAFF")


def _fill(b: _Builder, clients: Sequence[int], staff: dict, services: dict, who: dict, today: date) -> None:
    """Ordinary bookings from two weeks ago to four weeks ahead, each inside its
    staff member's hours, clear of the closure and the time off, and with a
    client who is not in another chair then."""
    names = list(services)
    weights = [10, 7, 6, 4, 1, 6, 4, 3]
    day = today - timedelta(days=14)
    while day < today + timedelta(days=28):
        for name, member in staff.items():
            hours = b.hours(name, day)
            if hours is None:
                continue
            cursor, end = hours
            while True:
                cursor += timedelta(minutes=b.rng.choice([0, 30, 60, 90, 120]))
                service = services[b.rng.choices(names, weights)[0]]
                while member not in who[service.name]:
                    service = services[b.rng.choices(names, weights)[0]]
                if cursor + timedelta(minutes=service.default_minutes) > end:
                    break
                # A few tries for a client who is free then (most are).
                for client in (b.rng.choice(clients) for _ in range(5)):
                    if b.fits(client, service, member, cursor, service.default_minutes):
                        _book_random(b, client, service, member, cursor)
                        break
                cursor += timedelta(minutes=service.default_minutes + service.buffer_minutes)
                cursor += timedelta(minutes=-cursor.astimezone(b.tz).minute % 15)
        day += timedelta(days=1)


def _book_random(b: _Builder, client: int, service: Service, member: Staff, start: datetime) -> None:
    roll = b.rng.random()
    booked_via = BookedVia.ONLINE if roll < 0.5 else BookedVia.STAFF
    booked_at = min(start, b.now) - timedelta(days=b.rng.randint(2, 30))
    if start + timedelta(minutes=service.default_minutes) <= b.now:
        status = Status.NO_SHOW if roll < 0.03 else Status.CANCELED if roll < 0.08 else Status.COMPLETED
    elif start <= b.now:
        status = Status.CONFIRMED
    else:
        status = Status.CANCELED if roll < 0.05 else Status.CONFIRMED if roll < 0.4 else Status.BOOKED
    b.book_row(client, service, member, start, booked_via=booked_via.value, booked_at=booked_at,
               status=status.value, canceled_at=min(start, b.now) - timedelta(days=1) if status == Status.CANCELED else None)
