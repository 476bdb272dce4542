"""The database: engine, sessions, and the one kind of transaction that writes.

A slot must never be given twice, so every write that claims time runs in a
transaction the database serialises: on SQLite an IMMEDIATE transaction (one
writer at a time, taken at BEGIN rather than at the first write, so two
writers cannot both read "free" first), on PostgreSQL a row lock on each
staff member involved (see `lock_staff`).
"""
from __future__ import annotations

import fcntl
import functools
import os
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, create_engine, event, select, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.models import Staff
from bot.persistence import schema
from bot.persistence.salon_setup import SETUP_VERSION, SalonSetups
from bot.persistence.statements import Lean, Statements

DEFAULT_URL = "sqlite:///instance/salonbot.db"
# Any fixed number, the same in every process: PostgreSQL's advisory lock that
# serialises schema creation.
_SCHEMA_LOCK_KEY = 0x5A10_0B07


class Database:
    def __init__(self, url: str | URL = DEFAULT_URL, **engine_kwargs: Any) -> None:
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self._write_lock: _FileLock | None = None
        if self.is_sqlite:
            self.engine = _sqlite_engine(self.url, **engine_kwargs)
            writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
            if self.url.database and self.url.database != ":memory:":
                self._write_lock = _FileLock(Path(self.url.database).with_name(Path(self.url.database).name + ".writelock"))
        else:
            self.engine = create_engine(self.url, **engine_kwargs)
            _ping_when_idle(self.engine)
            writer = self.engine
        self._writer_engine = writer
        # Salons' setups this process has read (each checked against its version before use).
        self.setups = SalonSetups()
        # PostgreSQL reads run without a transaction: under READ COMMITTED each
        # statement takes its own snapshot anyway, so BEGIN and ROLLBACK were
        # two round trips that bought nothing. (SQLite's reads keep theirs:
        # there one snapshot covers the whole read, and it costs no round trip.)
        # An engine of its own, with autocommit set once per connection as it
        # is made: as an execution option on the shared engine it was set and
        # reset at every checkout, with engine events dispatched around every
        # statement.
        reader = self.engine if self.is_sqlite else _autocommit_engine(self.url, **engine_kwargs)
        self._reader_engine = reader
        self._reader = sessionmaker(reader, expire_on_commit=False)
        self._writer = sessionmaker(writer, expire_on_commit=False)

    @contextmanager
    def schema_lock(self) -> Iterator[Connection]:
        """A transaction in which one process at a time creates or migrates the schema.

        Every process that starts on a new database may try at once (gunicorn
        workers, two release steps, the tests' starters): each looks first,
        then creates what is missing, so without a lock two saw a table
        missing, both created it, and the loser failed. The look and the
        change share one transaction that holds the writer's lock (SQLite)
        or an advisory lock (PostgreSQL)."""
        with self._write_lock or nullcontext():
            with self._writer_engine.begin() as connection:
                if not self.is_sqlite:
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})
                yield connection

    def create_all(self) -> None:
        """A new database in one go, recorded at the newest migration (bot.persistence.schema)."""
        schema.create(self)

    def migrate(self) -> str:
        """Bring the schema to the newest migration; the revision it is at."""
        return schema.migrate(self)

    def drop_all(self) -> None:
        schema.drop(self)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading. Closing it ends its transaction without
        committing, and what it loaded stays readable afterwards."""
        with self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One serialisable unit of work: commits on success, rolls back on any error.

        On a SQLite file, writers first queue on a lock file beside it. SQLite
        would serialise them anyway, but a writer that finds the database
        locked polls with sleeps of 1, 2, 5, 10... ms (its busy handler), so
        two web workers writing at once waited far longer than the writes
        took; the kernel wakes a lock's next holder as soon as it is free.
        The connection comes from the pool before the lock and goes back
        after it, so the lock is held for the transaction only."""
        with self._writer_engine.connect() as connection:
            with self._write_lock or nullcontext():
                with self._writer(bind=connection) as session:
                    with session.begin():
                        yield session

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """write() for plain statements: the same lock and transaction,
        without an ORM session around them (a message's own bookkeeping
        loads no objects, and the session's machinery cost more than its
        statements)."""
        # The connection is taken from the pool before the lock and handed
        # back after it: the lock is held for the transaction only.
        with self._writer_engine.connect() as connection:
            with self._write_lock or nullcontext():
                with connection.begin():
                    yield connection

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """read() for plain statements, without an ORM session."""
        with self._reader_engine.connect() as connection:
            yield connection

    @contextmanager
    def statements(self) -> Iterator[Statements]:
        """PostgreSQL only: Statements (bot.persistence.statements) on a pooled connection
        where each statement is its own transaction (the readers' autocommit
        one), for a write that one statement does whole, with no BEGIN and
        COMMIT round trips around it."""
        if self.is_sqlite:
            raise TypeError("statements() is for PostgreSQL; use Statements.on(a write_connection)")
        pooled = self._reader_engine.raw_connection()
        statements = Statements(self._reader_engine.dialect, pooled.dbapi_connection)
        try:
            yield statements
        finally:
            if statements.disconnected:
                pooled.invalidate()
            pooled.close()

    def dispose(self) -> None:
        self.engine.dispose()
        if self._reader_engine is not self.engine:
            self._reader_engine.dispose()


class _FileLock:
    """An exclusive flock on a file, also exclusive between threads; opened
    per process (a forked child must not share its parent's open file)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._threads = threading.Lock()
        self._fd: int | None = None
        self._pid = 0

    def __enter__(self) -> None:
        self._threads.acquire()
        try:
            if self._fd is None or self._pid != os.getpid():
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fd, self._pid = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644), os.getpid()
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise

    def __exit__(self, *exc: object) -> None:
        try:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()


# A pooled connection unused this long is tested before it is handed out.
PING_AFTER_IDLE_SECONDS = 1.0


def _ping_when_idle(engine: Engine) -> None:
    """Replace pooled connections the server dropped (a restart, an idle
    timeout) before anyone uses them.

    SQLAlchemy's pool_pre_ping tests every checkout, and a message checks out
    a connection three or four times: a round trip each, about a tenth of a
    message's whole cost on PostgreSQL. A connection handed back moments ago
    is alive, so only one that sat idle for a while is tested; raising
    DisconnectionError makes the pool discard it and connect afresh."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info["checked_in"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("checked_in")
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            dbapi_connection.rollback()
        except Exception as error:  # noqa: BLE001 - whatever broke, this connection is done for
            raise DisconnectionError(f"pooled connection was dropped: {error}") from error


def _autocommit_engine(url: URL, **engine_kwargs: Any) -> Engine:
    engine = create_engine(url, isolation_level="AUTOCOMMIT", **engine_kwargs)
    _ping_when_idle(engine)

    @event.listens_for(engine, "connect")
    def _async_commit(dbapi_connection: Any, _record: Any) -> None:
        # What commits here is a conversation's bookkeeping: recording a
        # message, finishing its turn (appointment changes and the texts they
        # queue go through the writer engine and wait for the disk). Waiting
        # for the WAL flush left the web workers idle for a good part of
        # every message. A crash of the database server (not of ours) may lose
        # the last fraction of a second of transcript lines and conversation
        # states, never half of one, and never one an appointment change
        # committed after it: WAL is flushed in order.
        dbapi_connection.execute("SET synchronous_commit = off")
    return engine


def lock_staff(session: Session, staff_ids: Iterable[int], salon_id: int | None = None) -> int | None:
    """Serialise writers that touch the same staff members' time.

    On PostgreSQL this takes each staff row FOR UPDATE, in id order so two
    transactions cannot deadlock; whoever comes second waits, then reads the
    first one's committed lines. On SQLite the IMMEDIATE transaction already
    holds the database's single write lock, so there is nothing to take.

    With `salon_id`, the same statement reads that salon's setup version
    (bot.persistence.salon_setup) and returns it: a change needs both, and a round trip
    each cost more than the statements.
    """
    connection = session.connection()
    ids = [] if connection.dialect.name == "sqlite" else sorted(set(staff_ids))
    if not ids and salon_id is None:
        return None
    rows = Statements.on(connection).rows(_staff_lock(len(ids), salon_id is not None),
                                          {"salon_id": salon_id, **{f"staff_{i}": id_ for i, id_ in enumerate(ids)}})
    return rows[0].setup_version if salon_id is not None else None


@functools.cache
def _staff_lock(count: int, with_version: bool) -> Lean:
    """Lock `count` staff rows, and read a salon's setup version with them.
    (A bind per id: a Lean statement takes no IN list; a salon has few staff.)"""
    version = SETUP_VERSION.scalar_subquery().label("setup_version")
    if not count:
        return Lean(select(version))
    statement = select(Staff.id).where(Staff.id.in_([bindparam(f"staff_{i}") for i in range(count)]))
    if with_version:
        statement = statement.add_columns(version)
    return Lean(statement.order_by(Staff.id).with_for_update(of=Staff))


_BEGIN = {mode: f"BEGIN {mode}" for mode in ("DEFERRED", "IMMEDIATE", "EXCLUSIVE")}


def _sqlite_engine(url: URL, **engine_kwargs: Any) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    connect_args = engine_kwargs.pop("connect_args", {})
    connect_args.setdefault("check_same_thread", False)
    connect_args.setdefault("timeout", 30)  # seconds a writer waits for the lock
    engine = create_engine(url, connect_args=connect_args, **engine_kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own
        # implicit BEGIN cannot be IMMEDIATE).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if url.database and url.database != ":memory:":
            cursor.execute("PRAGMA journal_mode=WAL")
            # WAL with synchronous=NORMAL: every commit stays atomic and the file
            # never corrupts; a power cut (not a crash of ours) may lose the last
            # commits. It saves an fsync per commit, which held each web worker
            # idle for a good part of every message. SQLite is the embedded
            # default; a deployment that needs more uses PostgreSQL.
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        # Straight to the driver: through exec_driver_sql, SQLAlchemy's
        # execution machinery cost more than the BEGIN, three times a message.
        conn.connection.driver_connection.execute(_BEGIN[mode])

    return engine
