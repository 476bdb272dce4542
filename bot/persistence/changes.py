"""A change's writes as plain statements, run on the driver (bot.persistence.statements).

The objects a change writes are already loaded and locked (handlers.appointments),
and the session's unit of work cost more than the writes, all of it inside
SQLite's write lock. The loaded objects are given the new values as committed
state by the caller, so whatever reads them afterwards agrees. Each
statement's bind names are its own, so several can share one statement's
parameters: on PostgreSQL one statement does them all.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from sqlalchemy import Update, bindparam, insert, update
from sqlalchemy.orm import Session

from bot.domain.models import Appointment, AuditEvent, ServiceLine
from bot.persistence.statements import Lean, Statements


def shift_line(key: str) -> Update:
    return update(ServiceLine).where(ServiceLine.id == bindparam(f"line_id{key}")).values(
        starts_at=bindparam(f"starts_at{key}"))


def count_move(key: str) -> Update:
    return update(Appointment).where(Appointment.id == bindparam(f"moved_id{key}")).values(
        self_reschedules=bindparam(f"count{key}"))


def set_status(key: str) -> Update:
    return update(Appointment).where(Appointment.id == bindparam(f"status_of{key}")).values(
        status=bindparam(f"status{key}"))


def cancel_status(key: str) -> Update:
    return update(Appointment).where(Appointment.id == bindparam(f"canceled_id{key}")).values(
        status=bindparam(f"canceled_status{key}"), canceled_at=bindparam(f"canceled_at{key}"))


def _audit_values(key: str) -> dict:
    # Typed binds: a multi-row VALUES types only its first row by the columns.
    return {column.key: bindparam(f"{column.key}{key}", type_=column.type)
            for column in AuditEvent.__table__.columns if column.key != "id"}


_NEW_AUDIT = Lean(insert(AuditEvent).values(_audit_values("")))
_Updates = Sequence[tuple[Callable[[str], Update], Sequence[dict]]]


def write(session: Session, updates: _Updates, audits: Sequence[dict]) -> None:
    """Each update once per row given, and the audit rows. On PostgreSQL one
    statement does it all (the updates are data-modifying CTEs of the audit
    insert): one round trip, not one each."""
    statements = Statements.on(session.connection())
    if statements.dialect.name == "postgresql":
        shape = tuple((build, len(rows)) for build, rows in updates)
        params = _numbered(audits)
        for _build, rows in updates:
            params.update(_numbered(rows))
        statements.run(_in_one(shape, len(audits)), params)
        return
    for build, rows in updates:
        for row in rows:
            statements.run(_single(build), row)
    for row in audits:
        statements.run(_NEW_AUDIT, row)


@functools.cache
def _single(build: Callable[[str], Update]) -> Lean:
    return Lean(build(""))


@functools.cache
def _in_one(shape: tuple[tuple[Callable[[str], Update], int], ...], audits: int) -> Lean:
    statement = insert(AuditEvent).values([_audit_values(f"_{j}") for j in range(audits)])
    for build, count in shape:
        for i in range(count):
            statement = statement.add_cte(build(f"_{i}").cte(f"{build.__name__.strip('_')}_{i}"))
    return Lean(statement)


def _numbered(rows: Sequence[dict]) -> dict:
    """Rows' values as one statement's parameters: each key suffixed by its row's number."""
    return {f"{key}_{i}": value for i, row in enumerate(rows) for key, value in row.items()}
