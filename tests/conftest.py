"""A fresh database per test: SQLite in a temporary folder, and PostgreSQL in a
schema of its own on the server at 127.0.0.1:5432 (skipped when there is none,
except under CI=true, where an unreachable server is a failure)."""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from bot.persistence.database import Database

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_pg_problem: list[str] = []


def _postgres_reachable() -> str | None:
    """None if the server answers, else why not (checked once per run)."""
    if not _pg_problem:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            _pg_problem.append("")
        except OperationalError as error:
            _pg_problem.append(str(error.orig).strip().splitlines()[0] if error.orig else str(error))
        finally:
            engine.dispose()
    return _pg_problem[0] or None


def _require_postgres() -> None:
    problem = _postgres_reachable()
    if problem is None:
        return
    message = f"PostgreSQL at {PG_URL} is unreachable: {problem}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI=true: the PostgreSQL tests must run)", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def sqlite_db(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'salonbot.db'}")
    db.create_all()
    yield db
    db.dispose()


@pytest.fixture
def pg_db():
    _require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = Database(PG_URL, connect_args={"options": f"-csearch_path={schema}"}, pool_size=25, max_overflow=5)
    db.create_all()
    try:
        yield db
    finally:
        db.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request):
    """The same test on both databases."""
    return request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")
