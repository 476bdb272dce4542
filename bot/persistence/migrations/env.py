"""Alembic's environment for salonbot's schema (bot.domain.models).

`salonbot db upgrade` (bot.persistence.database.Database.migrate) runs the
migrations on a connection it already holds, passed in Config.attributes,
inside the lock that keeps two starters from migrating at once. Alembic's own
command line works too, given the database's URL (`-x url=...`, else
DATABASE_URL or the SQLite default).
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from bot import config as settings
from bot.domain.models import Base


def _migrate(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, compare_type=True,
                      # SQLite alters a table by copying it: migrations say so with batch_alter_table.
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    return context.get_x_argument(as_dictionary=True).get("url") or settings.database_url()


connection = context.config.attributes.get("connection")
if connection is not None:
    _migrate(connection)
elif context.is_offline_mode():
    context.configure(url=_url(), target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(_url())
    try:
        with engine.begin() as conn:
            _migrate(conn)
    finally:
        engine.dispose()
