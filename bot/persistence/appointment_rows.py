"""An appointment read as plain rows, for the rules a turn asks about.

A turn asks the rules about one appointment at most. Loading it as ORM
objects (its lines, their services and staff, its client and group, joined)
cost about four times the query itself in CPU, on every reschedule or
cancel request. The rules read attributes, not a session, so they take
these frozen rows just as well: one Lean query for the appointment's lines
and services, with the staff members from the salon's cached setup.

An appointment in a group is read this way for what it shows (when, what,
with whom), but the rules read the whole group and its primary contact: its
rows have no `group`, and whoever asks the rules loads it as objects (as for
a staff member the setup does not know, where `from_lines` gives None).
Changes never use these rows: a change locks and re-reads the appointment.
"""
from __future__ import annotations

from collections import namedtuple
import functools
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, bindparam, exists, or_, select
from sqlalchemy.orm import aliased

from bot.domain.models import ACTIVE_STATUSES, Appointment, AppointmentSpan, Service, ServiceLine, Staff, service_name
from bot.persistence.salon_setup import SalonSetup
from bot.persistence.statements import Lean, Statements


# Rows are read, never changed. They are not frozen dataclasses only because a
# turn builds dozens and a frozen one costs five times as much to build.
@dataclass(slots=True)
class ServiceRow:
    id: int
    name: str
    name_es: str | None
    default_minutes: int
    processing_minutes: int
    finishing_minutes: int
    buffer_minutes: int
    online_booking: bool

    def display_name(self, lang: str = "en") -> str:
        return service_name(self.name, self.name_es, lang)


@dataclass(slots=True)
class LineRow:
    id: int
    appointment_id: int
    service_id: int
    staff_id: int
    starts_at: datetime
    minutes: int
    service: ServiceRow
    staff: Staff          # the setup's (shared, read only)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


@dataclass(frozen=True, slots=True)
class ClientRef:
    """Who an appointment is for, as far as the rules compare clients (by id)."""
    id: int


@dataclass(slots=True)
class AppointmentRow(AppointmentSpan):
    id: int
    salon_id: int
    client_id: int
    status: str
    booked_via: str
    booked_at: datetime
    self_reschedules: int
    lines: tuple[LineRow, ...]     # by start, as Appointment.lines
    group_id: int | None
    # Worked out once from the lines, where the ORM's AppointmentSpan works them
    # out at each read: a turn reads them several times for every appointment.
    starts_at: datetime
    ends_at: datetime

    @property
    def group(self) -> None:
        """The rules read a group whole: load it as objects (None: not in one)."""
        if self.group_id is not None:
            raise LookupError("an appointment in a group is read as objects for the rules")
        return None

    @property
    def client(self) -> ClientRef:
        return ClientRef(self.client_id)


# What the rules read of an appointment, a row per service line. The turn's
# read of a client's upcoming appointments selects these too (upcoming_lines),
# so the rules it asks about need no query of their own.
LINE_COLUMNS = (
    Appointment.id.label("appointment_id"), Appointment.salon_id, Appointment.client_id, Appointment.group_id,
    Appointment.status, Appointment.booked_via, Appointment.booked_at, Appointment.self_reschedules,
    ServiceLine.id.label("line_id"), ServiceLine.service_id, ServiceLine.staff_id, ServiceLine.starts_at,
    ServiceLine.minutes, Service.name, Service.name_es, Service.default_minutes, Service.processing_minutes,
    Service.finishing_minutes, Service.buffer_minutes, Service.online_booking)
Line = namedtuple("Line", [column.key for column in LINE_COLUMNS])

_LINES = Lean(
    select(*LINE_COLUMNS)
    .join(ServiceLine, ServiceLine.appointment_id == Appointment.id)
    .join(Service, Service.id == ServiceLine.service_id)
    .where(Appointment.id == bindparam("id"))
    .order_by(ServiceLine.starts_at, ServiceLine.id))


def upcoming_lines(client_id, now) -> Select:
    """The client's booked or confirmed appointments that have not started,
    a row per service line (LINE_COLUMNS): a turn shows them, and asks the
    rules about one at most, without another query. (Each status is its own
    comparison: a Lean statement takes no IN list.)"""
    later = aliased(ServiceLine)
    return (
        select(*LINE_COLUMNS)
        .join(ServiceLine, ServiceLine.appointment_id == Appointment.id)
        .join(Service, Service.id == ServiceLine.service_id)
        .where(Appointment.client_id == client_id, or_(*(Appointment.status == s for s in ACTIVE_STATUSES)),
               exists().where(later.appointment_id == Appointment.id, later.starts_at >= now)))


def read(statements: Statements, appointment_id: int, setup: SalonSetup) -> AppointmentRow | None:
    """The appointment as rows, or None: not found, in another salon, in a
    group, or with a staff member the setup does not know (load objects)."""
    row = from_lines(statements.rows(_LINES, {"id": appointment_id}), setup)
    return None if row is None or row.group_id is not None else row


def from_lines(rows: Sequence[Line], setup: SalonSetup) -> AppointmentRow | None:
    """One appointment's LINE_COLUMNS rows, by start, as an AppointmentRow
    (None: in another salon, or with a staff member the setup does not know)."""
    if not rows:
        return None
    first = rows[0]
    staff = setup.staff_by_id
    if first.salon_id != setup.salon.id or any(r.staff_id not in staff for r in rows):
        return None
    lines = tuple(
        LineRow(r.line_id, r.appointment_id, r.service_id, r.staff_id, r.starts_at, r.minutes,
                ServiceRow(r.service_id, r.name, r.name_es, r.default_minutes, r.processing_minutes,
                           r.finishing_minutes, r.buffer_minutes, r.online_booking),
                staff[r.staff_id])
        for r in rows)
    return AppointmentRow(first.appointment_id, first.salon_id, first.client_id, first.status, first.booked_via,
                          first.booked_at, first.self_reschedules, lines, first.group_id,
                          min(line.starts_at for line in lines), max(line.ends_at for line in lines))


def clients_lines(statements: Statements, client_ids: Collection[int], since: datetime) -> list[tuple]:
    """(start, minutes, appointment id) of every line of these clients' booked
    or confirmed appointments from `since` on: where they are busy, whoever
    with. A plain statement (it runs for every offer and move), built once
    per number of clients."""
    ids = sorted(client_ids)
    return statements.rows(_clients_lines(len(ids)), {"since": since, **{f"client_{i}": c for i, c in enumerate(ids)}})


@functools.cache
def _clients_lines(count: int) -> Lean:
    return Lean(
        select(ServiceLine.starts_at, ServiceLine.minutes, ServiceLine.appointment_id)
        .join(Appointment, Appointment.id == ServiceLine.appointment_id)
        .where(or_(*(Appointment.client_id == bindparam(f"client_{i}") for i in range(count))),
               or_(*(Appointment.status == status for status in ACTIVE_STATUSES)),
               ServiceLine.starts_at >= bindparam("since")))
