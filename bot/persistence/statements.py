"""A message's few hot statements, run straight on the driver's cursor.

SQLAlchemy builds these statements and compiles them (once per dialect) and
its types convert their values both ways, exactly as when SQLAlchemy runs
them. What this skips is the Connection's execution machinery: an
execution context, event dispatch and result metadata read from
cursor.description for every statement. On a message's three statements
that cost about 0.2 ms of CPU each, more than the database spent on them,
in a webhook whose whole budget is a couple of milliseconds.

Only plain statements qualify: every bind parameter named or fixed (no
expanding IN lists), the columns they return named by the statement.
Anything else stays on SQLAlchemy's ordinary path.
"""
from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement


class _Plan:
    """A statement compiled for one dialect, with its types' converters."""

    __slots__ = ("sql", "positional", "binds", "row", "converters")

    def __init__(self, statement: ClauseElement, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        if any(bind.expanding for bind in compiled.binds.values()):
            raise ValueError("expanding bind parameters (IN lists) are not supported here")
        if getattr(compiled, "insert_prefetch", None) or getattr(compiled, "update_prefetch", None):
            # SQLAlchemy works out Python-side column defaults as it executes.
            raise ValueError("give every column with a Python-side default its value")
        self.sql = compiled.string
        self.positional = dialect.positional
        # (name, fixed value, converter) per parameter, in the order a
        # positional driver wants them; by name for the others.
        names = compiled.positiontup if dialect.positional else list(compiled.binds)
        binds = [compiled.binds[name] for name in names]
        if any(bind.callable is not None for bind in binds):
            raise ValueError("bind parameters with a callable value are not supported here")
        self.binds = tuple((name, bind.value, bind.type.dialect_impl(dialect).bind_processor(dialect), bind.required)
                           for name, bind in zip(names, binds))
        # What a SELECT selects, or an INSERT/UPDATE returns.
        columns = list(getattr(statement, "exported_columns", ()))
        keys = [column.key for column in columns]
        named = all(isinstance(key, str) and key.isidentifier() for key in keys) and len(set(keys)) == len(keys)
        # Rows only where each column has a name of its own (label them);
        # other statements can be run, not read.
        self.row = namedtuple("Row", keys) if keys and named else None
        self.converters: tuple[Callable[[Any], Any] | None, ...] = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns)

    def parameters(self, given: dict[str, Any]) -> dict[str, Any] | list[Any]:
        values = []
        for name, fixed, convert, required in self.binds:
            if name in given:
                value = given[name]
            elif required:
                raise KeyError(f"a value is required for bind parameter {name!r}")
            else:
                value = fixed
            values.append(convert(value) if convert is not None else value)
        if self.positional:
            return values
        return dict(zip((name for name, *_ in self.binds), values))

    def rows(self, raw: list[tuple]) -> list[tuple]:
        make, converters = self.row._make, self.converters
        if not any(converters):
            return [make(values) for values in raw]
        return [make([value if convert is None else convert(value) for convert, value in zip(converters, values)])
                for values in raw]


class Lean:
    """A Core statement to run on the driver directly (see the module's doc)."""

    __slots__ = ("statement", "_plans")

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._plans: dict[str, _Plan] = {}

    def plan(self, dialect: Dialect) -> _Plan:
        plan = self._plans.get(dialect.name)
        if plan is None:
            plan = self._plans[dialect.name] = _Plan(self.statement, dialect)
        return plan


class Statements:
    """Runs Lean statements on one connection's driver connection: inside
    its transaction, if it has one open."""

    __slots__ = ("dialect", "_dbapi", "disconnected")

    def __init__(self, dialect: Dialect, dbapi_connection: Any) -> None:
        self.dialect, self._dbapi = dialect, dbapi_connection
        self.disconnected = False

    @classmethod
    def on(cls, connection: Connection) -> Statements:
        """The driver connection under a SQLAlchemy Connection."""
        return cls(connection.dialect, connection.connection.dbapi_connection)

    def rows(self, lean: Lean, params: dict[str, Any]) -> list[tuple]:
        plan = lean.plan(self.dialect)
        if plan.row is None:
            raise TypeError("this statement returns no named columns: run() it, or label its columns")
        with self._cursor(plan, params) as cursor:
            return plan.rows(cursor.fetchall())

    def first(self, lean: Lean, params: dict[str, Any]) -> tuple | None:
        found = self.rows(lean, params)
        return found[0] if found else None

    def run(self, lean: Lean, params: dict[str, Any]) -> int:
        """A statement that returns no rows; how many rows it touched."""
        plan = lean.plan(self.dialect)
        with self._cursor(plan, params) as cursor:
            return cursor.rowcount

    @contextmanager
    def _cursor(self, plan: _Plan, params: dict[str, Any]) -> Iterator[Any]:
        cursor = self._dbapi.cursor()
        try:
            values = plan.parameters(params)
            try:
                cursor.execute(plan.sql, values)
            except self.dialect.loaded_dbapi.Error as error:
                # The same exceptions SQLAlchemy raises (IntegrityError for a
                # broken unique key...), so callers need not care how it ran.
                self.disconnected = self.dialect.is_disconnect(error, self._dbapi, cursor)
                raise DBAPIError.instance(plan.sql, values, error, self.dialect.loaded_dbapi.Error,
                                          connection_invalidated=self.disconnected,
                                          dialect=self.dialect) from error
            yield cursor
        finally:
            cursor.close()
