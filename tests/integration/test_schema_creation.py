"""Several processes starting on a new database at once (release steps run
twice, the tests' starters, a developer's second terminal) each migrate or
create the schema: they take turns and all come up."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, inspect, text

from bot.persistence.database import Database
from bot.domain.models import Base
from tests.conftest import PG_URL, _require_postgres
from tests.together import all_at_once

STARTERS = 6


def _start_together(make_database) -> list[BaseException]:
    """Each starter has its own Database (its own connections, as a process
    would); half migrate and half create the schema, all at the same moment."""
    databases = [make_database() for _ in range(STARTERS)]
    results = all_at_once(STARTERS, lambda i: databases[i].migrate() if i % 2 else databases[i].create_all())
    for db in databases:
        db.dispose()
    return [r for r in results if isinstance(r, BaseException)]


def test_workers_creating_a_new_sqlite_database_at_once_all_start(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    assert _start_together(lambda: Database(url)) == []
    assert set(inspect(create_engine(url)).get_table_names()) == {*Base.metadata.tables, "alembic_version"}


@pytest.mark.postgres
def test_workers_creating_a_new_postgresql_schema_at_once_all_start():
    _require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        errors = _start_together(lambda: Database(PG_URL, connect_args={"options": f"-csearch_path={schema}"}))
        assert errors == []
        assert set(inspect(admin).get_table_names(schema=schema)) == {*Base.metadata.tables, "alembic_version"}
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

