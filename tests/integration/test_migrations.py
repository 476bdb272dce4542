"""The schema is under migrations: the tests (and `create_all`) build it from
the models in one go, a deployment by migrating. Both must give the same
schema, on SQLite and on PostgreSQL, or a test would pass on a schema no
deployment has."""
from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from bot.domain.models import Base
from bot.persistence import schema
from bot.persistence.database import Database
from tests.conftest import PG_URL, _require_postgres


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def two_new_databases(request, tmp_path):
    """Two empty databases of one kind: one to migrate, one to create."""
    if request.param == "sqlite":
        made = [Database(f"sqlite:///{tmp_path / f'{name}.db'}") for name in ("migrated", "created")]
        yield made
        for db in made:
            db.dispose()
        return
    _require_postgres()
    admin = create_engine(PG_URL)
    schemas = [f"t_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    with admin.begin() as conn:
        for name in schemas:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
    made = [Database(PG_URL, connect_args={"options": f"-csearch_path={name}"}) for name in schemas]
    try:
        yield made
    finally:
        for db in made:
            db.dispose()
        with admin.begin() as conn:
            for name in schemas:
                conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def _shape(db: Database) -> dict:
    """Everything a schema is, table by table, in comparable form."""
    inspector = inspect(db.engine)
    shape = {}
    for table in sorted(inspector.get_table_names()):
        shape[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
            "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign keys": sorted((fk["name"], tuple(fk["constrained_columns"]), fk["referred_table"],
                                    tuple(fk["referred_columns"]), fk["options"].get("ondelete"))
                                   for fk in inspector.get_foreign_keys(table)),
            "indexes": sorted((ix["name"], tuple(ix["column_names"]), bool(ix["unique"]))
                              for ix in inspector.get_indexes(table)),
            "unique": sorted((uq["name"], tuple(uq["column_names"])) for uq in inspector.get_unique_constraints(table)),
            "checks": sorted((ck["name"], " ".join(ck["sqltext"].split())) for ck in inspector.get_check_constraints(table)),
        }
    return shape


def test_migrating_and_creating_give_the_same_schema(two_new_databases):
    migrated, created = two_new_databases
    assert migrated.migrate() == schema.head()
    created.create_all()
    assert _shape(migrated) == _shape(created)
    for db in (migrated, created):
        with db.engine.connect() as connection:
            assert schema.revision(connection) == schema.head()
            # What the models say and what the database holds: nothing to migrate.
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        assert schema.problem(db) is None


def test_the_migrations_go_down_and_up_again(two_new_databases):
    from alembic import command
    db, _ = two_new_databases
    db.migrate()
    with db.schema_lock() as connection:
        command.downgrade(schema.config(connection), "base")
    assert set(inspect(db.engine).get_table_names()) == {"alembic_version"}
    assert db.migrate() == schema.head()


def test_a_database_made_before_migrations_is_adopted(two_new_databases):
    db, _ = two_new_databases
    Base.metadata.create_all(db.engine)          # as salonbot made them before it had migrations
    assert "no revision" in schema.problem(db)
    assert db.migrate() == schema.head()
    assert schema.problem(db) is None


def test_a_database_older_than_the_baseline_is_refused_not_guessed(two_new_databases):
    db, _ = two_new_databases
    Base.metadata.create_all(db.engine)
    with db.engine.begin() as connection:
        connection.execute(text("ALTER TABLE salon DROP COLUMN setup_version"))
    with pytest.raises(schema.OutdatedDatabase, match="salon"):
        db.migrate()
