"""Pooled PostgreSQL connections the server dropped are replaced before use."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_URL


@pytest.mark.postgres
def test_a_connection_the_server_dropped_is_replaced_before_use(pg_db, monkeypatch):
    """A pooled connection that sat idle is tested at checkout: one the server
    dropped meanwhile (a restart, an idle timeout) is replaced, not handed out."""
    import bot.persistence.database
    with pg_db.read() as session:
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    admin.dispose()
    monkeypatch.setattr(bot.persistence.database, "PING_AFTER_IDLE_SECONDS", 0.0)   # as if it had sat idle for a while
    with pg_db.read() as session:
        assert session.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid


@pytest.mark.postgres
def test_the_lean_statements_connection_is_replaced_too(pg_db, monkeypatch):
    import bot.persistence.database
    from bot.domain.models import Salon
    from bot.persistence.statements import Lean
    from sqlalchemy import func, select
    count = Lean(select(func.count(Salon.id).label("salons")))
    with pg_db.statements() as statements:
        pid = statements.first(Lean(select(func.pg_backend_pid().label("pid"))), {}).pid
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    admin.dispose()
    monkeypatch.setattr(bot.persistence.database, "PING_AFTER_IDLE_SECONDS", 0.0)
    with pg_db.statements() as statements:
        assert statements.first(count, {}).salons == 0


@pytest.mark.postgres
def test_only_the_conversation_bookkeeping_commits_without_waiting_for_the_disk(pg_db):
    """Recording a message and finishing its turn (one statement each) commit
    asynchronously; every change to an appointment, and the texts it queues,
    waits for the disk as usual."""
    from bot.persistence.statements import Lean
    from sqlalchemy import func, select
    setting = Lean(select(func.current_setting("synchronous_commit").label("value")))
    with pg_db.statements() as statements:
        assert statements.first(setting, {}).value == "off"
    with pg_db.write() as session:
        assert session.execute(text("SHOW synchronous_commit")).scalar_one() == "on"
    with pg_db.write_connection() as conn:
        assert conn.execute(text("SHOW synchronous_commit")).scalar_one() == "on"
