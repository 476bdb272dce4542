"""The demo keeps its promises whenever it is seeded, not only at the one
fixed moment the other demo tests use.

`salonbot seed-demo` places everything relative to "now": a date computed
from it could land on the wrong side of another (the closure once ended
before it began whenever the demo was seeded on a Saturday). So the demo is
seeded here on every day of a year, each day at another hour (so every hour
of every weekday comes round), hour by hour across both daylight-saving
changes of its zone and the year's last day, and just before midnight on
the last day of every month.

Each moment is seeded once, in a transaction rolled back afterwards (cheap
on in-memory SQLite), and every promise is checked with plain queries.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.persistence.database import Database
from bot.demo import TZ, seed_demo
from bot.domain.models import (ACTIVE_STATUSES, CANCELED_STATUSES, Appointment, Client, Closure, ServiceLine, Staff,
                        TimeOff, WorkingHours)
from bot.domain.rules import Reason, may_cancel, may_reschedule
from bot.persistence.salon_setup import SalonSetups
from bot.domain.timezones import UTC, wall_to_utc, zone
from handlers.appointments import Reading, offer_times
from webhooks.cli import demo_listing

SALON_TZ = zone(TZ)

# Each special case: may its client move it by text, and if not, why not.
CASES = {
    "movable": (True, ()),
    "movable_es": (True, ()),
    "processing_time": (True, ()),
    "buffer_back_to_back": (True, ()),
    "group_primary": (True, ()),
    "two_upcoming_first": (True, ()),
    "two_upcoming_second": (True, ()),
    "edited_duration": (False, (Reason.DURATION_EDITED,)),
    "offline_service": (False, (Reason.SERVICE_NOT_ONLINE,)),
    "overlapping_services": (False, (Reason.OVERLAPPING_SERVICES,)),
    "group_member": (False, (Reason.GROUP_MEMBER,)),
    "inside_window": (False, (Reason.INSIDE_RESCHEDULE_WINDOW,)),
}

FIRST_DAY = date(2026, 12, 1)   # a year from here holds a year's end, both DST changes and every month's end
DST_CHANGES = (date(2027, 3, 14), date(2027, 11, 7))


def _local(day: date, at: time) -> datetime:
    return wall_to_utc(datetime.combine(day, at), SALON_TZ)


def year_moments() -> list[datetime]:
    """Every day of a year, each at another hour (UTC): day d at hour 7d mod 24,
    so every hour of every weekday comes round twice, on either side of
    midnight in the salon's zone, and with the UTC date a day ahead of the
    salon's (00:00 to 04:59 UTC is the evening before in New York)."""
    return [datetime.combine(FIRST_DAY + timedelta(days=d), time((7 * d) % 24, 30 * (d % 2)), tzinfo=UTC)
            for d in range(365)]


def edge_moments() -> list[datetime]:
    """Every hour of each DST change's day and the twelve before it, and of the
    year's last day; the last day of every month just before midnight, in
    the salon's zone and in UTC."""
    moments = []
    for change in DST_CHANGES:
        moments += [_local(change - timedelta(days=1), time(12)) + timedelta(hours=h) for h in range(36)]
    moments += [_local(date(2026, 12, 31), time(0)) + timedelta(hours=h) for h in range(24)]
    for month in range(12):
        last = date(2027 + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        moments += [_local(last, time(23, 30)), datetime.combine(last, time(23, 30), tzinfo=UTC)]
    return moments


def listing_moments() -> list[datetime]:
    """Each DST change's hour, the hours either side of it, and every month's last evening."""
    moments = []
    for change in DST_CHANGES:
        moments += [_local(change, time(0)) + timedelta(hours=h) for h in range(1, 4)]
    return moments + [_local(date(2027 + m // 12, m % 12 + 1, 1) - timedelta(days=1), time(23, 30)) for m in range(12)]


def demo_problems(session, now: datetime, listing: bool = False) -> list[str]:
    """What the demo promises and does not hold, seeded at `now` (with
    `listing`, also what the `--json` listing says that the database does
    not, and movable cases that get no three times to move to)."""
    try:
        result = seed_demo(session, now)
        session.flush()
    except Exception as error:  # noqa: BLE001 - the failure is the finding
        return [f"seeding failed — {type(error).__name__}: {error}"]
    problems: list[str] = []
    salon = result.salon
    settings = salon.settings

    # One appointment of each special case, upcoming, movable where its case says so.
    if sorted(result.cases) != sorted(CASES):
        problems.append(f"the wrong cases — {sorted(result.cases)}")
    for name, appt in result.cases.items():
        if name not in CASES:
            continue
        if not appt.is_active or appt.starts_at <= now:
            problems.append(f"{name} is not upcoming — {appt.status}, {_show(appt.starts_at)}")
            continue
        decision = may_reschedule(appt, appt.client, settings, now)
        if (decision.allowed, decision.reasons) != CASES[name]:
            problems.append(f"{name} is not what it says — {_show(appt.starts_at)}: allowed={decision.allowed} {decision.reasons}")
        if name == "inside_window" and may_cancel(appt, appt.client, settings, now).allowed:
            problems.append("inside_window may be canceled by text — ")
    if "two_upcoming_first" in result.cases and "two_upcoming_second" in result.cases:
        if result.cases["two_upcoming_first"].client_id != result.cases["two_upcoming_second"].client_id:
            problems.append("the two upcoming appointments belong to different clients — ")

    lines = session.execute(
        select(ServiceLine.appointment_id, ServiceLine.staff_id, ServiceLine.starts_at, ServiceLine.minutes,
               Appointment.client_id, Appointment.status)
        .join(Appointment, Appointment.id == ServiceLine.appointment_id)
        .where(Appointment.salon_id == salon.id)).all()
    names = dict(session.execute(select(Staff.id, Staff.name).where(Staff.salon_id == salon.id)).all())
    case_of = {appt.id: name for name, appt in result.cases.items()}

    # Every line inside its staff member's hours (so none on a day off).
    hours: dict[int, dict[int, tuple[time, time]]] = defaultdict(dict)
    for staff_id, weekday, starts, ends in session.execute(
            select(WorkingHours.staff_id, WorkingHours.weekday, WorkingHours.starts, WorkingHours.ends)
            .where(WorkingHours.staff_id.in_(names))):
        hours[staff_id][weekday] = (starts, ends)
    for appt_id, staff_id, starts_at, minutes, _client, _status in lines:
        begins, ends = starts_at.astimezone(SALON_TZ), (starts_at + timedelta(minutes=minutes)).astimezone(SALON_TZ)
        day = hours[staff_id].get(begins.weekday())
        if day is None or begins.date() != ends.date() or not day[0] <= begins.time() <= ends.time() <= day[1]:
            problems.append(f"{case_of.get(appt_id, 'an appointment')} is outside its staff member's hours — "
                            f"{names[staff_id]} at {_show(starts_at)}")

    # The closure and the time off: real spans, ahead, with nothing booked on them.
    spans = [(None, c.starts_at, c.ends_at, "the closure")
             for c in session.scalars(select(Closure).where(Closure.salon_id == salon.id))]
    spans += [(t.staff_id, t.starts_at, t.ends_at, f"{names[t.staff_id]}'s time off")
              for t in session.scalars(select(TimeOff).where(TimeOff.staff_id.in_(names)))]
    if sorted(what for *_, what in spans) != ["Jordan's time off", "the closure"]:
        problems.append(f"the wrong closures and time off — {sorted(what for *_, what in spans)}")
    for staff_id, starts_at, ends_at, what in spans:
        if not now < starts_at < ends_at:
            problems.append(f"{what} is not a span ahead — {_show(starts_at)} to {_show(ends_at)}")
        booked = [a for a, s, begins, minutes, _c, _st in lines if (staff_id is None or s == staff_id)
                  and begins < ends_at and starts_at < begins + timedelta(minutes=minutes)]
        if booked:
            problems.append(f"something is booked on {what} — {len(booked)} lines")

    # No client in two chairs at once (lines of one appointment may overlap:
    # that is the overlapping_services case, done by two staff together).
    by_client: dict[int, list[tuple[datetime, datetime, int]]] = defaultdict(list)
    for appt_id, _staff, starts_at, minutes, client_id, status in lines:
        if status not in CANCELED_STATUSES:
            by_client[client_id].append((starts_at, starts_at + timedelta(minutes=minutes), appt_id))
    for client_id, spans_of_client in by_client.items():
        spans_of_client.sort()
        latest_end, latest_appt = None, None
        for begins, ends, appt_id in spans_of_client:
            if latest_end is not None and begins < latest_end and appt_id != latest_appt:
                problems.append(f"a client is in two chairs at once — client {client_id} at {_show(begins)}")
            if latest_end is None or ends > latest_end:
                latest_end, latest_appt = ends, appt_id

    if listing:
        problems += _listing_problems(session, result, lines, now)
        problems += _offer_problems(session, result, now)
    return problems


def _offer_problems(session, result, now: datetime) -> list[str]:
    """Each movable case gets three times to move to, as a client texting would."""
    reading = Reading(session, SalonSetups().current(session, result.salon.id))
    problems = []
    for name, appt in result.cases.items():
        if CASES.get(name, (False,))[0]:
            offers = offer_times(None, client_id=appt.client_id, appointment_id=appt.id, now=now,
                                 reading=reading).offers
            if len(offers) != 3:
                problems.append(f"a movable case gets no three times — {name}: {len(offers)}")
    return problems


def _listing_problems(session, result, lines, now: datetime) -> list[str]:
    """The `--json` listing (seed-demo's and demo-info's) against the database."""
    listed = demo_listing(session, result.salon, now)
    problems = []
    clients = session.execute(select(Client.id, Client.phone).where(Client.salon_id == result.salon.id)
                              .order_by(Client.id)).all()
    if [(c["id"], c["phone"]) for c in listed["clients"]] != [tuple(c) for c in clients]:
        problems.append("the listing's clients are not the database's — ")
    first_line: dict[int, datetime] = {}
    for appt_id, _staff, starts_at, _minutes, client_id, status in lines:
        if status in ACTIVE_STATUSES:
            first_line[appt_id] = min(starts_at, first_line.get(appt_id, starts_at))
    client_of = {appt_id: client_id for appt_id, _s, _b, _m, client_id, _st in lines}
    upcoming = {c["id"]: sorted(a["id"] for a in c["upcoming"]) for c in listed["clients"]}
    for client_id, _phone in clients:
        expected = sorted(a for a, start in first_line.items() if client_of[a] == client_id and start >= now)
        if upcoming.get(client_id) != expected:
            problems.append(f"the listing's upcoming appointments are not the database's — client {client_id}: "
                            f"{upcoming.get(client_id)} vs {expected}")
    cases = {name: (case["appointment_id"], case["phone"]) for name, case in listed["cases"].items()}
    if cases != {name: (appt.id, appt.client.phone) for name, appt in result.cases.items()}:
        problems.append(f"the listing's cases are not the demo's — {cases}")
    if listed["appointments"] != len(client_of):
        problems.append(f"the listing counts {listed['appointments']} appointments — not {len(client_of)}")
    return problems


def _show(moment: datetime) -> str:
    return moment.astimezone(SALON_TZ).strftime("%a %Y-%m-%d %H:%M")


@pytest.fixture(scope="module")
def memory_db():
    db = Database("sqlite://")
    db.create_all()
    yield db
    db.dispose()


def _check(db: Database, moments: list[datetime], listing: bool = False) -> list[str]:
    failures = []
    with db.engine.connect() as connection:
        for now in moments:
            transaction = connection.begin()
            try:
                with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
                    failures += [f"seeded {_show(now)} ({now:%H:%M} UTC): {p}" for p in demo_problems(session, now, listing)]
            finally:
                transaction.rollback()
    return failures


def _report(failures: list[str], moments: int) -> str:
    """How many, and the first few of each kind."""
    kinds: dict[str, list[str]] = defaultdict(list)
    for failure in failures:
        kinds[failure.split(" UTC): ", 1)[1].split(" — ")[0]].append(failure)
    examples = [line for found in kinds.values() for line in found[:3]]
    return f"{len(failures)} broken promises over {moments} moments, e.g.\n" + "\n".join(examples[:30])


def test_the_demo_keeps_its_promises_every_day_of_a_year(memory_db):
    moments = year_moments()
    failures = _check(memory_db, moments)
    assert not failures, _report(failures, len(moments))


def test_the_demo_keeps_its_promises_hour_by_hour_across_dst_and_the_year_end(memory_db):
    moments = edge_moments()
    failures = _check(memory_db, moments)
    assert not failures, _report(failures, len(moments))


def test_the_json_listing_agrees_with_the_database_and_movable_cases_get_times_at_the_edges(memory_db):
    """Checked at fewer moments: the listing reads each client's upcoming
    appointments on its own (as `salonbot appointments` does), 0.1 s a
    moment, and the offers search each movable case's staff member's time."""
    moments = listing_moments()
    failures = _check(memory_db, moments, listing=True)
    assert not failures, _report(failures, len(moments))
