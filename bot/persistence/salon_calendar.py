"""The availability Calendar of a salon, read from the database.

Opening hours, closures and working hours come through the salon's and the
staff members' relationships, so a request that already holds its salon
reads them once. Other appointments' busy time is read a week at a time
through the (staff_id, starts_at) index, only for the weeks the search
looks at, as a plain statement on the driver (bot.persistence.statements), built and
compiled once per process.
"""
from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.domain.availability import LONGEST_LINE, Block, Calendar, Interval, SearchRules, busy_of_lines, busy_segments
from bot.domain.models import CANCELED_STATUSES, Appointment, Salon, Service, ServiceLine, Staff, TimeOff
from bot.domain.timezones import as_utc
from bot.persistence.salon_setup import SalonSetup
from bot.persistence.statements import Lean, Statements


@functools.cache
def _busy(excluded: int) -> Lean:
    """Busy time of one staff member in a range, leaving out `excluded`
    appointments: run on the driver (bot.persistence.statements), once per search week,
    so with a bind per excluded id (a Lean statement takes no IN list)."""
    return Lean(
        select(ServiceLine.starts_at, ServiceLine.minutes, Service.processing_minutes,
               Service.finishing_minutes, Service.buffer_minutes)
        .join(Appointment, Appointment.id == ServiceLine.appointment_id)
        .join(Service, Service.id == ServiceLine.service_id)
        .where(ServiceLine.staff_id == bindparam("staff_id"),
               ServiceLine.starts_at >= bindparam("since"),
               ServiceLine.starts_at < bindparam("until"),
               *(Appointment.status != status for status in CANCELED_STATUSES),
               *(ServiceLine.appointment_id != bindparam(f"excluded_{i}") for i in range(excluded))))


_TIME_OFF = select(TimeOff.staff_id, TimeOff.starts_at, TimeOff.ends_at).where(
    TimeOff.staff_id.in_(bindparam("staff_ids", expanding=True)),
    TimeOff.ends_at > bindparam("since"))


def salon_calendar(session: Session, salon: Salon, staff_ids: Iterable[int], now: datetime,
                   exclude_appointments: Collection[int] = (), setup: SalonSetup | None = None) -> Calendar:
    """A Calendar for these staff members from `now` on, ignoring the appointments being moved.

    With `setup` (the salon's cached setup: bot.persistence.salon_setup) the hours,
    closures and time off come from it and only busy time is read; without,
    everything is read through `session` (a move re-checks this way)."""
    staff_ids = sorted(set(staff_ids))
    if setup is not None:
        salon = setup.salon
    salon_hours: dict[int, list] = defaultdict(list)
    for row in salon.opening_hours:
        salon_hours[row.weekday].append((row.opens, row.closes))
    since = as_utc(now) - timedelta(days=1)
    staff_hours: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    time_off: dict[int, list[Interval]] = defaultdict(list)
    if setup is not None:
        for member in setup.salon.staff:
            if member.id in staff_ids:
                staff_hours[member.id].update(setup.staff_hours.get(member.id, {}))
                time_off[member.id].extend((t.starts_at, t.ends_at) for t in member.time_off if t.ends_at > since)
    else:
        for staff_id in staff_ids:
            for row in session.get(Staff, staff_id).working_hours:
                staff_hours[staff_id][row.weekday].append((row.starts, row.ends))
        for staff_id, starts_at, ends_at in session.execute(_TIME_OFF, {"staff_ids": staff_ids, "since": since}):
            time_off[staff_id].append((starts_at, ends_at))
    closures = [(c.starts_at, c.ends_at) for c in salon.closures]
    excluded = sorted(set(exclude_appointments))
    statement = _busy(len(excluded))
    fixed = {f"excluded_{i}": appointment_id for i, appointment_id in enumerate(excluded)}

    def busy(staff_id: int, start: datetime, end: datetime) -> list[Interval]:
        rows = Statements.on(session.connection()).rows(
            statement, {"staff_id": staff_id, "since": start - LONGEST_LINE, "until": end, **fixed})
        return list(busy_of_lines(rows))

    return Calendar(salon.timezone, salon_hours, staff_hours, busy, closures, time_off)


def block_of(appointments: Iterable[Appointment]) -> Block:
    """The lines of these appointments as one Block that moves together."""
    return Block.of([
        (line.staff_id, line.starts_at, line.minutes,
         busy_segments(line.minutes, line.service.processing_minutes,
                       line.service.finishing_minutes, line.service.buffer_minutes))
        for appointment in appointments for line in appointment.lines
    ])


def search_rules(salon: Salon, now: datetime) -> SearchRules:
    s = salon.settings
    return SearchRules.for_salon(salon.timezone, s.slot_step_minutes, now,
                                 s.reschedule_notice_hours, s.booking_horizon_days)
