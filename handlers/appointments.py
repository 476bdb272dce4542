"""The portal actions every channel shares: list, offer times, reschedule, cancel.

Each write runs in one serialised transaction (see bot.persistence.database): it locks the
appointment and its staff members, re-reads them, re-checks the rules and
the slot, writes, records an audit event and hands its event to the
subscribers (the outbox of automated messages) before committing.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from bot.domain import availability
from bot.domain.errors import StartInPast
from bot.domain.events import AppointmentBooked, AppointmentCanceled, AppointmentRescheduled, Event
from bot.domain.models import (ACTIVE_STATUSES, CANCELED_STATUSES, Appointment, AppointmentGroup, BookedVia, Client,
                               Salon, ServiceLine, Status, utcnow)
from bot.domain.rules import Decision, may_cancel, may_rebook, may_reschedule, same_client
from bot.domain.timezones import as_utc
from bot.persistence import appointment_rows, changes
from bot.persistence.appointment_rows import AppointmentRow, ClientRef
from bot.persistence.database import Database, lock_staff
from bot.persistence.salon_calendar import block_of, salon_calendar, search_rules
from bot.persistence.salon_setup import SalonSetup
from bot.persistence.statements import Statements
from bot.conversation.bookings import Unavailable
from handlers.results import ActionResult, Outcome

Subscriber = Callable[[Session, Event], None]


def upcoming_appointments(session: Session, client: Client, now: datetime) -> list[Appointment]:
    """The client's booked or confirmed appointments that have not started, soonest first."""
    now = as_utc(now)
    query = (
        select(Appointment)
        .where(Appointment.client_id == client.id, Appointment.status.in_(ACTIVE_STATUSES),
               Appointment.lines.any(ServiceLine.starts_at >= now))
        .options(selectinload(Appointment.lines).selectinload(ServiceLine.service),
                 selectinload(Appointment.lines).selectinload(ServiceLine.staff))
    )
    found = [appt for appt in session.scalars(query) if appt.starts_at >= now]
    return sorted(found, key=lambda appt: (appt.starts_at, appt.id))


def recently_canceled(session: Session, client_id: int, now: datetime, days: int = 60,
                      limit: int = 3) -> list[Appointment]:
    """The client's appointments canceled in the last `days`, newest first:
    what "can I book that again?" may mean."""
    since = as_utc(now) - timedelta(days=days)
    # (One the salon canceled by hand may have no time of cancelling: its booking's time stands in.)
    when = func.coalesce(Appointment.canceled_at, Appointment.booked_at)
    query = (select(Appointment)
             .where(Appointment.client_id == client_id, Appointment.status.in_(CANCELED_STATUSES), when >= since)
             .order_by(when.desc(), Appointment.id.desc()).limit(limit)
             .options(*WHAT_RULES_READ))
    return list(session.scalars(query).unique())


def offer_times(db: Database, *, client_id: int, appointment_id: int, now: datetime,
                window: tuple[datetime, datetime] | None = None, count: int = 3,
                reading: Reading | None = None) -> ActionResult:
    """Open times to move to: nearest the window asked for, or the next ones spread over days."""
    return _offer(db, may_reschedule, client_id, appointment_id, now, window, count, reading)


def offer_rebook_times(db: Database, *, client_id: int, appointment_id: int, now: datetime,
                       window: tuple[datetime, datetime] | None = None, count: int = 3,
                       reading: Reading | None = None) -> ActionResult:
    """Open times to book a canceled appointment again, same services, same staff."""
    return _offer(db, may_rebook, client_id, appointment_id, now, window, count, reading)


@dataclass(frozen=True)
class Reading:
    """A read the caller already has open, to offer times within: its session
    (where the client's appointments are likely loaded already) and the
    salon's cached setup (bot.persistence.salon_setup). Offers only read; what they
    offer is re-checked when the client takes it. `appointment`: the
    caller's rows of an appointment it read already (None: read them here)."""
    session: Session
    setup: SalonSetup
    appointment: Callable[[int], AppointmentRow | None] | None = None


def _offer(db: Database, rule: Callable, client_id: int, appointment_id: int, now: datetime,
           window: tuple[datetime, datetime] | None, count: int, reading: Reading | None) -> ActionResult:
    now = as_utc(now)
    with nullcontext(reading.session) if reading else db.read() as session:
        appointment, client = _read(reading, appointment_id, client_id) if reading else (None, None)
        if appointment is None:
            appointment, client = _load(session, appointment_id, client_id)
        if appointment is None:
            return ActionResult(Outcome.NOT_FOUND)
        setup = reading.setup if reading and reading.setup.salon.id == appointment.salon_id else None
        decision = rule(appointment, client, setup.settings if setup else appointment.salon.settings, now)
        ids = tuple(a.id for a in decision.appointments)
        if not decision.allowed:
            return ActionResult(Outcome.NOT_ALLOWED, ids, decision)
        offers, unavailable = _openings(session, decision.appointments, now, window, count, setup)
        return ActionResult(Outcome.DONE, ids, decision, offers=tuple(offers), unavailable=unavailable)


def _read(reading: Reading, appointment_id: int, client_id: int) -> tuple[AppointmentRow | None, ClientRef | None]:
    """An offer reads the appointment as plain rows (bot.persistence.appointment_rows)
    when it can: the client's own, in the reading's salon, not in a group.
    (None: load objects instead.)"""
    appointment = reading.appointment(appointment_id) if reading.appointment else None
    if appointment is None:
        appointment = appointment_rows.read(Statements.on(reading.session.connection()), appointment_id,
                                            reading.setup)
    if appointment is None or appointment.client_id != client_id:
        return None, None
    return appointment, ClientRef(client_id)


def reschedule(db: Database, *, client_id: int, appointment_id: int, new_start: datetime, now: datetime,
               channel: str, subscribers: Sequence[Subscriber] = ()) -> ActionResult:
    """Move the appointment (or the client's whole group) so it starts at `new_start`."""
    now, new_start = as_utc(now), as_utc(new_start)
    if new_start <= now:
        raise StartInPast("cannot move an appointment to a time that has passed")
    with db.write() as session:
        appointment, client = _load(session, appointment_id, client_id, lock=True)
        if appointment is None:
            return ActionResult(Outcome.NOT_FOUND)
        decision, scope, setup = _decide_locked(db, session, may_reschedule, appointment, client, now)
        ids = tuple(a.id for a in scope)
        if not decision.allowed:
            return ActionResult(Outcome.NOT_ALLOWED, ids, decision)
        block = block_of(scope)
        calendar = salon_calendar(session, setup.salon, block.staff_ids, now, exclude_appointments=ids, setup=setup)
        if not availability.is_open(block, new_start, calendar, search_rules(setup.salon, now)) \
                or clashes(block, new_start, _clients_elsewhere(session, scope, now)):
            taken = True
        else:
            taken = False
            event = _move(session, scope, client, block.start, new_start, now, channel)
            for subscriber in subscribers:
                subscriber(session, event)
    if taken:
        return ActionResult(Outcome.UNAVAILABLE, ids, decision, offers=_fresh_offers(db, ids, now, new_start))
    return ActionResult(Outcome.DONE, ids, decision, new_start=new_start, events=(event,))


def cancel(db: Database, *, client_id: int, appointment_id: int, now: datetime, channel: str,
           subscribers: Sequence[Subscriber] = ()) -> ActionResult:
    """Cancel the appointment (or the client's whole group)."""
    now = as_utc(now)
    with db.write() as session:
        appointment, client = _load(session, appointment_id, client_id, lock=True)
        if appointment is None:
            return ActionResult(Outcome.NOT_FOUND)
        decision, scope, _setup = _decide_locked(db, session, may_cancel, appointment, client, now)
        ids = tuple(a.id for a in scope)
        if not decision.allowed:
            return ActionResult(Outcome.NOT_ALLOWED, ids, decision)
        start = min(a.starts_at for a in scope)
        changes.write(session, [(changes.cancel_status, [
            {"canceled_id": appt.id, "canceled_status": Status.CANCELED.value, "canceled_at": now} for appt in scope])],
            [_audit_row(appt, client, channel, "appointment_canceled", {"start": appt.starts_at.isoformat()})
             for appt in scope])
        for appt in scope:
            set_committed_value(appt, "status", Status.CANCELED.value)
            set_committed_value(appt, "canceled_at", now)
        event = AppointmentCanceled(appointment.salon_id, client.id, ids, start, "client", channel)
        for subscriber in subscribers:
            subscriber(session, event)
    return ActionResult(Outcome.DONE, ids, decision, events=(event,))


# What the rules read of an appointment, in the query that loads it.
WHAT_RULES_READ = (joinedload(Appointment.lines).joinedload(ServiceLine.service),
                   joinedload(Appointment.lines).joinedload(ServiceLine.staff),
                   joinedload(Appointment.client), joinedload(Appointment.group))

# What a change reads of the appointment it locks, in one query rather than
# a lazy load each (its lines, their services and staff, its salon and group),
# and the client asking, in the same round trip (no row when either is missing).
# FOR UPDATE locks the appointment's row only: PostgreSQL cannot lock the
# nullable side of an outer join.
_LOCKED_APPOINTMENT = (
    select(Appointment, Client).join(Client, Client.id == bindparam("client_id"))
    .where(Appointment.id == bindparam("id"))
    .options(joinedload(Appointment.lines).joinedload(ServiceLine.service),
             joinedload(Appointment.lines).joinedload(ServiceLine.staff),
             # (the salon's numbers: the texts a change queues are sent from its first)
             joinedload(Appointment.salon).joinedload(Salon.numbers), joinedload(Appointment.group))
    .with_for_update(of=Appointment))


def _load(session: Session, appointment_id: int, client_id: int,
          lock: bool = False) -> tuple[Appointment | None, Client | None]:
    if lock:
        found = session.execute(_LOCKED_APPOINTMENT, {"id": appointment_id, "client_id": client_id}
                                ).unique().one_or_none()
        appointment, client = found if found is not None else (None, None)
    else:
        client = session.get(Client, client_id)
        # Offers read inside the turn, where the appointment is usually loaded already.
        appointment = session.get(Appointment, appointment_id, options=WHAT_RULES_READ)
    if client is None or appointment is None or appointment.salon_id != client.salon_id:
        return None, None
    related = same_client(appointment.client, client) or (
        appointment.group is not None and same_client(appointment.group.primary_client, client))
    if not related:
        return None, None   # someone else's appointment is not found, not forbidden: no information leaks
    return appointment, client


def _decide_locked(db: Database, session: Session, rule: Callable, appointment: Appointment, client: Client,
                   now: datetime) -> tuple[Decision, list[Appointment], SalonSetup]:
    """The rule's decision on the locked appointment, with the salon's setup
    read after the locks, and every appointment the action covers locked
    along with their staff members (whether it is allowed or not)."""
    if appointment.group is None:
        # Alone it is all the action covers, so its staff are locked at once,
        # the setup's version read in the same statement.
        version = lock_staff(session, {line.staff_id for line in appointment.lines}, appointment.salon_id)
        setup = db.setups.get(session, appointment.salon_id, version)
        decision = rule(appointment, client, setup.settings, now)
        return decision, list(decision.appointments), setup
    setup = db.setups.current(session, appointment.salon_id)
    decision = rule(appointment, client, setup.settings, now)
    return decision, _lock_scope(session, decision.appointments), setup


def _lock_scope(session: Session, scope: Sequence[Appointment]) -> list[Appointment]:
    """Lock every appointment the action covers, then their staff members, in id order."""
    ids = sorted(a.id for a in scope)
    if len(ids) > 1:
        session.execute(select(Appointment.id).where(Appointment.id.in_(ids))
                        .order_by(Appointment.id).with_for_update()).all()
    lock_staff(session, {line.staff_id for appt in scope for line in appt.lines})
    return list(scope)


def _openings(session: Session, appointments: Sequence[Appointment], now: datetime,
              window: tuple[datetime, datetime] | None, count: int,
              setup: SalonSetup | None = None) -> tuple[list[datetime], Unavailable | None]:
    """Open starts to offer, nearest the window asked for; and, when none is
    inside that window, why (the salon closed, the stylist off, ...)."""
    salon = setup.salon if setup else appointments[0].salon
    block = block_of(appointments)
    calendar = salon_calendar(session, salon, block.staff_ids, now, exclude_appointments=[a.id for a in appointments],
                              setup=setup)
    rules = search_rules(salon, now)
    elsewhere = _clients_elsewhere(session, appointments, now)
    # A few more than asked when some may clash with the client's other bookings.
    wanted = count + min(len(elsewhere), 6)
    if window is None:
        found = availability.next_openings(block, calendar, rules, now, count=wanted)
    else:
        found = availability.openings_near(block, calendar, rules, window[0], window[1], limit=wanted, now=now)
    starts = [start for start in found if not clashes(block, start, elsewhere)][:count]
    if window is None or any(_inside(start, window) for start in starts):
        return starts, None
    why = availability.why_unavailable(block, calendar, rules, *window)
    staff = {line.staff_id: line.staff.name for appointment in appointments for line in appointment.lines}
    if why.reason == "busy" and window[0] == window[1] and clashes(block, window[0], elsewhere):
        return starts, Unavailable("yours", why.day)
    limit = rules.latest if why.reason == "horizon" else rules.earliest if why.reason == "notice" else None
    return starts, Unavailable(why.reason, why.day, staff.get(why.staff_id, ""), limit)


def _inside(start: datetime, window: tuple[datetime, datetime]) -> bool:
    return start == window[0] if window[0] == window[1] else window[0] <= start < window[1]


def _clients_elsewhere(session: Session, appointments: Sequence, now: datetime) -> list[tuple[datetime, datetime]]:
    """When the clients of these appointments are booked otherwise (any staff
    member): a move never puts anyone in two chairs at once. (The salon may
    book overlapping services itself; a client's own move may not.)"""
    ids = {a.id for a in appointments}
    rows = appointment_rows.clients_lines(Statements.on(session.connection()), {a.client_id for a in appointments},
                                          as_utc(now) - timedelta(days=1))
    return [(start, start + timedelta(minutes=minutes)) for start, minutes, appointment_id in rows
            if appointment_id not in ids]


def clashes(block: availability.Block, start: datetime, elsewhere: Sequence[tuple[datetime, datetime]]) -> bool:
    if not elsewhere:
        return False
    lines = [(start + line.offset, start + line.offset + timedelta(minutes=line.minutes)) for line in block.lines]
    return any(a < e and s < b for s, e in lines for a, b in elsewhere)


def _fresh_offers(db: Database, ids: Sequence[int], now: datetime, asked: datetime) -> tuple[datetime, ...]:
    """Times to offer when the one asked for is gone: read after the lock is
    released, nearest to what they asked for."""
    with db.read() as session:
        appointments = [session.get(Appointment, i) for i in ids]
        return tuple(_openings(session, appointments, now, (asked, asked), 3)[0])


def _move(session: Session, scope: Sequence[Appointment], client: Client, old_start: datetime,
          new_start: datetime, now: datetime, channel: str) -> AppointmentRescheduled:
    shift: timedelta = new_start - old_start
    lines, counts, audits = [], [], []
    for appt in scope:
        before = appt.starts_at
        for line in appt.lines:
            lines.append((line, line.starts_at + shift))
        counts.append((appt, appt.self_reschedules + 1))
        audits.append(_audit_row(appt, client, channel, "appointment_rescheduled",
                                 {"from": before.isoformat(), "to": (before + shift).isoformat()}))
    changes.write(session, [
        (changes.shift_line, [{"line_id": line.id, "starts_at": starts} for line, starts in lines]),
        (changes.count_move, [{"moved_id": appt.id, "count": count} for appt, count in counts])], audits)
    for line, starts in lines:
        set_committed_value(line, "starts_at", starts)
    for appt, count in counts:
        set_committed_value(appt, "self_reschedules", count)
    first = scope[0]
    return AppointmentRescheduled(first.salon_id, client.id, tuple(a.id for a in scope),
                                  old_start, new_start, "client", channel)


def _audit_row(appt: Appointment, client: Client, channel: str, kind: str, detail: dict) -> dict:
    return {"salon_id": appt.salon_id, "appointment_id": appt.id, "actor": "client", "actor_id": client.id,
            "channel": channel, "kind": kind, "detail": detail, "created_at": utcnow()}


def confirm(db: Database, *, client_id: int, appointment_id: int, now: datetime, channel: str) -> ActionResult:
    """The client says they will come (a reply to a reminder)."""
    now = as_utc(now)
    with db.write() as session:
        appointment, client = _load(session, appointment_id, client_id, lock=True)
        if appointment is None or not same_client(appointment.client, client):
            return ActionResult(Outcome.NOT_FOUND)
        if appointment.status not in ACTIVE_STATUSES or appointment.starts_at <= now:
            decision = may_reschedule(appointment, client, appointment.salon.settings, now)
            return ActionResult(Outcome.NOT_ALLOWED, (appointment.id,), decision)
        if appointment.status != Status.CONFIRMED.value:
            changes.write(session, [(changes.set_status, [{"status_of": appointment.id,
                                                            "status": Status.CONFIRMED.value}])],
                          [_audit_row(appointment, client, channel, "appointment_confirmed", {})])
            set_committed_value(appointment, "status", Status.CONFIRMED.value)
    return ActionResult(Outcome.DONE, (appointment_id,))


def rebook(db: Database, *, client_id: int, appointment_id: int, new_start: datetime, now: datetime,
           channel: str, subscribers: Sequence[Subscriber] = ()) -> ActionResult:
    """Book a canceled appointment's services again with the same staff, starting at `new_start`."""
    now, new_start = as_utc(now), as_utc(new_start)
    if new_start <= now:
        raise StartInPast("cannot book a time that has passed")
    with db.write() as session:
        old, client = _load(session, appointment_id, client_id, lock=True)
        if old is None:
            return ActionResult(Outcome.NOT_FOUND)
        decision, scope, setup = _decide_locked(db, session, may_rebook, old, client, now)
        if not decision.allowed:
            return ActionResult(Outcome.NOT_ALLOWED, (old.id,), decision)
        # A group's primary contact books the whole group again: each member's
        # services with their own staff, starting together as before.
        block = block_of(scope)
        calendar = salon_calendar(session, setup.salon, block.staff_ids, now, setup=setup)
        open_now = availability.is_open(block, new_start, calendar, search_rules(setup.salon, now)) \
            and not clashes(block, new_start, _clients_elsewhere(session, scope, now))
        if open_now:
            shift = new_start - block.start
            group = AppointmentGroup(salon=old.salon, primary_client=client) if len(scope) > 1 else None
            made = []
            for before in scope:
                new = Appointment(salon=old.salon, client=before.client, group=group, booked_via=BookedVia.ONLINE,
                                  booked_at=now)
                session.add(new)
                for line in before.lines:
                    new.lines.append(ServiceLine(service=line.service, staff=line.staff,
                                                 starts_at=line.starts_at + shift, minutes=line.minutes))
                made.append((new, before))
            session.flush()
            changes.write(session, (), [_audit_row(new, client, channel, "appointment_booked",
                                                   {"rebooked_from": before.id}) for new, before in made])
            new_ids = tuple(new.id for new, _ in made)
            event = AppointmentBooked(old.salon_id, client.id, new_ids, new_start, "client", channel, old.id)
            for subscriber in subscribers:
                subscriber(session, event)
    if not open_now:
        ids = tuple(a.id for a in scope)
        return ActionResult(Outcome.UNAVAILABLE, ids, decision, offers=_fresh_offers(db, ids, now, new_start))
    return ActionResult(Outcome.DONE, new_ids, decision, new_start=new_start, events=(event,))
