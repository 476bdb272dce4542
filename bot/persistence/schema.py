"""The schema and its migrations (Alembic, bot/persistence/migrations).

Every change of the schema is a migration. `migrate` (`salonbot db upgrade`,
the Procfile's `release:` step, `salonbot seed-demo`) brings a database to the
newest revision; `create` makes a new database in one go from the models and
records it at that revision, which tests/integration/test_migrations.py
proves is the same schema on SQLite and PostgreSQL. Both run inside the
schema lock (Database.schema_lock), so processes starting together on a new
database take turns instead of failing.
"""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import OperationalError

from bot.domain.models import Base

MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE = "0001_baseline"
VERSION_TABLE = "alembic_version"


class OutdatedDatabase(RuntimeError):
    """A database made before migrations, by a salonbot older than the baseline."""


def config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    return ScriptDirectory.from_config(config()).get_current_head()


def revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def migrate(db) -> str:
    """Bring the database to the newest revision; the revision it is at now.

    A database made by `create_all` before salonbot had migrations holds the
    baseline's tables without saying so: it is recorded at the baseline
    first, then migrated, unless it lacks columns even the baseline has."""
    with db.schema_lock() as connection:
        present = set(inspect(connection).get_table_names())
        if VERSION_TABLE not in present and present & set(Base.metadata.tables):
            outdated = _outdated(connection)
            if outdated:
                raise OutdatedDatabase(
                    f"this database was made by a salonbot older than its migrations (tables {', '.join(outdated)} "
                    "lack columns): rebuild it, or migrate it by hand to the baseline")
            command.stamp(config(connection), BASELINE)
        command.upgrade(config(connection), "head")
        return revision(connection)


def create(db) -> None:
    """A new database in one go: the models' tables, recorded at the newest revision."""
    with db.schema_lock() as connection:
        if revision(connection) is not None:
            return
        Base.metadata.create_all(connection)
        command.stamp(config(connection), "head")


def drop(db) -> None:
    """Every table, the migrations' record included (the demo is rebuilt from nothing)."""
    with db.schema_lock() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text(f"DROP TABLE IF EXISTS {VERSION_TABLE}"))


def problem(db) -> str | None:
    """Why this salonbot cannot run on the database's schema (None: it can,
    or the database cannot be reached now, which /health reports)."""
    try:
        with db.engine.connect() as connection:
            current = revision(connection)
    except OperationalError:
        return None
    wanted = head()
    if current == wanted:
        return None
    return (f"the database schema is at {current or 'no revision (empty or made before migrations)'}, "
            f"this salonbot needs {wanted}: run `salonbot db upgrade`")


def _outdated(connection: Connection) -> list[str]:
    """Tables that exist but lack columns the models have."""
    inspector = inspect(connection)
    present = set(inspector.get_table_names())
    return [name for name, table in Base.metadata.tables.items() if name in present and
            {c.key for c in table.columns} - {c["name"] for c in inspector.get_columns(name)}]
