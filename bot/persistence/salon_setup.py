"""A salon's setup, read once per process and reused while it is unchanged.

Every message a salon receives needs the same things of it: its settings,
opening hours and closures, its staff members' working hours and time off.
Reading them afresh for each message was a good part of a message's
database work. They change seldom (an owner edits the hours, a stylist books
a day off), so each process keeps them, and a number tells it when they are
out of date: `Salon.setup_version`, which the listener below raises in the
same transaction as any change to them. A message reads the version with
its conversation (in a query it makes anyway) and reuses the setup only while the
version matches. (A change made outside salonbot's sessions, by hand in SQL,
must raise the version too, or processes keep the old setup.)

Changes that must be exact are not served from here: a move or a cancel
re-reads the appointment, its salon's settings and its staff's calendar in
its own locked transaction (handlers.appointments).
"""
from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import time

from sqlalchemy import bindparam, event, inspect, select, update
from sqlalchemy.orm import Session, selectinload

from bot.domain.models import (Closure, OpeningHours, Salon, SalonSettings, Service, SmsNumber, Staff, TimeOff,
                               WorkingHours)

# Whose changes make a salon's cached setup stale, and how to find the salon.
_BY_SALON = (Salon, SalonSettings, OpeningHours, Closure, SmsNumber, Staff, Service)
_BY_STAFF = (WorkingHours, TimeOff)
_SALON_COLUMNS = tuple(c.key for c in Salon.__table__.columns if c.key not in ("setup_version", "created_at"))


@dataclass(frozen=True)
class SalonSetup:
    """A salon as it was at `version`, detached from any session: `salon`
    with its settings, opening hours, closures and staff (with their working
    hours and time off) loaded. Read it, never change it: it is shared by
    every message of the process."""

    salon: Salon
    version: int
    staff_hours: dict[int, dict[int, list[tuple[time, time]]]]
    staff_by_id: dict[int, Staff] = field(default_factory=dict)
    # When the salon opens and closes on each weekday (0 = Monday; None: closed),
    # first opening to last closing on a split day: what the language layer reads times by.
    opening: tuple[tuple[time, time] | None, ...] = (None,) * 7

    @property
    def staff_names(self) -> tuple[str, ...]:
        return tuple(member.name for member in self.salon.staff if member.active)

    @property
    def settings(self) -> SalonSettings:
        return self.salon.settings


# The version a salon's setup is at: a message reads it with its conversation
# (bot.persistence.conversations), a change inside its locked transaction (`current`).
SETUP_VERSION = select(Salon.setup_version).where(Salon.id == bindparam("salon_id"))

_SETUP = select(Salon).options(
    selectinload(Salon.settings), selectinload(Salon.opening_hours), selectinload(Salon.closures),
    selectinload(Salon.staff).selectinload(Staff.working_hours),
    selectinload(Salon.staff).selectinload(Staff.time_off))


class SalonSetups:
    """The setups one process has read, by salon; one per Database."""

    def __init__(self) -> None:
        self._setups: dict[int, SalonSetup] = {}
        self._lock = threading.Lock()

    def get(self, session: Session, salon_id: int, version: int) -> SalonSetup:
        """The salon's setup at `version` (what the caller just read of it),
        read through `session` if this process does not hold that version."""
        setup = self._setups.get(salon_id)
        if setup is not None and setup.version == version:
            return setup
        salon = session.execute(_SETUP.where(Salon.id == salon_id)).scalar_one()
        staff_hours: dict[int, dict[int, list[tuple[time, time]]]] = {}
        for member in salon.staff:
            by_day: dict[int, list[tuple[time, time]]] = defaultdict(list)
            for row in member.working_hours:
                by_day[row.weekday].append((row.starts, row.ends))
            staff_hours[member.id] = dict(by_day)
        # What was read may be newer than `version` (a change committed in
        # between); it is then kept under the version it really has.
        setup = SalonSetup(salon, salon.setup_version, staff_hours, {member.id: member for member in salon.staff},
                           opening_by_weekday(salon.opening_hours))
        with self._lock:
            self._setups[salon_id] = setup
        return setup

    def current(self, session: Session, salon_id: int) -> SalonSetup:
        """The setup as `session`'s transaction sees it: its version is read
        now, so a change committed before this point is never missed."""
        return self.get(session, salon_id, session.execute(SETUP_VERSION, {"salon_id": salon_id}).scalar_one())


@event.listens_for(Session, "after_flush")
def _raise_setup_versions(session: Session, _context: object) -> None:
    """Raise the setup version of every salon whose setup this flush changed.

    After the flush the rows exist and their keys are set; the UPDATE runs
    on the flush's own connection, so it commits (or rolls back) with the
    change."""
    salon_ids: set[int] = set()
    staff_ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Salon):
            # Its own columns only: a booking added through salon.appointments
            # is not a change of setup (its children count by themselves).
            state = inspect(obj)
            if obj not in session.new and any(state.attrs[key].history.has_changes() for key in _SALON_COLUMNS):
                salon_ids.add(obj.id)
        elif isinstance(obj, _BY_SALON):
            salon_ids.add(obj.salon_id)
        elif isinstance(obj, _BY_STAFF):
            staff_ids.add(obj.staff_id)
    if not salon_ids and not staff_ids:
        return
    connection = session.connection()
    if staff_ids:
        salon_ids.update(connection.execute(select(Staff.salon_id).where(Staff.id.in_(staff_ids))).scalars())
    salon_ids.discard(None)
    if salon_ids:
        connection.execute(update(Salon).where(Salon.id.in_(salon_ids))
                           .values(setup_version=Salon.setup_version + 1))


def opening_by_weekday(rows: Iterable[OpeningHours]) -> tuple[tuple[time, time] | None, ...]:
    """When the salon opens and closes on each weekday (0 = Monday; None:
    closed): a split day from its first opening to its last closing."""
    opening: list[tuple[time, time] | None] = [None] * 7
    for row in sorted(rows, key=lambda r: r.opens):
        current = opening[row.weekday]
        opening[row.weekday] = (row.opens, row.closes) if current is None else (current[0], row.closes)
    return tuple(opening)
