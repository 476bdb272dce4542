"""Pooled PostgreSQL connections the server dropped are replaced before use."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_URL


@pytest.mark.postgres
def test_a_connection_the_server_dropped_is_replaced_before_use(pg_db, monkeypatch):
    """A pooled connection that sat idle is tested at checkout: one the server
    dropped meanwhile (a restart, an idle timeout) is replaced, not handed out."""
    import bot.db
    with pg_db.read() as session:
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    admin.dispose()
    monkeypatch.setattr(bot.db, "PING_AFTER_IDLE_SECONDS", 0.0)   # as if it had sat idle for a while
    with pg_db.read() as session:
        assert session.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid
