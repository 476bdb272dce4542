"""bot.persistence.statements: Lean statements give the same values, both ways, as
SQLAlchemy running the same statement, and fail the same way."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import bindparam, insert, literal, select, update
from sqlalchemy.exc import IntegrityError

from bot.domain.models import Client, Conversation, Message, Salon
from bot.persistence.statements import Lean, Statements
from bot.domain.timezones import UTC

_CONVERSATION = select(Conversation.id, Conversation.state, Conversation.handed_off, Conversation.updated_at,
                       literal("fixed").label("fixed")).where(Conversation.id == bindparam("cid"))
_INSERT_MESSAGE = insert(Message).values(
    conversation_id=bindparam("cid"), direction="in", author="client", body=bindparam("body"),
    provider_sid=bindparam("sid"), num_media=0, created_at=bindparam("at")).returning(Message.id)
_SET_STATE = update(Conversation).where(Conversation.id == bindparam("cid")).values(
    state=bindparam("state"), handed_off=bindparam("off"), updated_at=bindparam("at"))


@contextmanager
def statements(db):
    """Lean statements inside a write transaction on either database."""
    with db.write_connection() as conn:
        yield Statements.on(conn)


@pytest.fixture
def conversation(db):
    return _conversation(db)


def _conversation(db) -> int:
    with db.write() as session:
        salon = Salon(name="Lean", slug="lean", timezone="America/New_York", country="US")
        session.add(salon)
        session.flush()
        client = Client(salon_id=salon.id, name="Ana", phone="+12125550100")
        session.add(client)
        session.flush()
        row = Conversation(salon_id=salon.id, client_id=client.id, channel="sms", address="+12125550100",
                           state={"awaiting": "none"})
        session.add(row)
        session.flush()
        return row.id


def test_values_convert_both_ways_like_sqlalchemy(db, conversation):
    at = datetime(2026, 11, 27, 15, 30, tzinfo=timezone(timedelta(hours=-5)))
    with statements(db) as lean:
        touched = lean.run(Lean(_SET_STATE), {"cid": conversation, "state": {"awaiting": "slot_choice",
                                                                             "options": ["é"]},
                                              "off": True, "at": at})
        assert touched == 1
        row = lean.first(Lean(_CONVERSATION), {"cid": conversation})
    with db.read_connection() as conn:
        expected = conn.execute(_CONVERSATION, {"cid": conversation}).one()
    assert tuple(row) == tuple(expected)
    assert row.state == {"awaiting": "slot_choice", "options": ["é"]}
    assert row.handed_off is True
    assert row.updated_at == at and row.updated_at.tzinfo == UTC
    assert row.fixed == "fixed"


def test_an_insert_returns_its_id_and_a_missing_row_is_none(db, conversation):
    now = datetime.now(UTC)
    with statements(db) as lean:
        inserted = lean.first(Lean(_INSERT_MESSAGE), {"cid": conversation, "body": "hi", "sid": "SM1", "at": now})
        assert lean.first(Lean(_CONVERSATION), {"cid": conversation + 1000}) is None
    with db.read() as session:
        message = session.get(Message, inserted.id)
        assert (message.body, message.provider_sid, message.created_at) == ("hi", "SM1", now)


def test_a_broken_unique_key_raises_sqlalchemys_integrity_error_and_writes_nothing(db, conversation):
    now = datetime.now(UTC)
    with statements(db) as lean:
        lean.first(Lean(_INSERT_MESSAGE), {"cid": conversation, "body": "first", "sid": "SM-dup", "at": now})
    with pytest.raises(IntegrityError):
        with statements(db) as lean:
            lean.run(Lean(_SET_STATE), {"cid": conversation, "state": {"half": "written"}, "off": False, "at": now})
            lean.first(Lean(_INSERT_MESSAGE), {"cid": conversation, "body": "again", "sid": "SM-dup", "at": now})
    with db.read() as session:
        assert session.get(Conversation, conversation).state == {"awaiting": "none"}
        assert [m.body for m in session.scalars(select(Message))] == ["first"]


@pytest.mark.postgres
def test_each_statement_commits_by_itself_on_postgresql(pg_db):
    conversation = _conversation(pg_db)
    now = datetime.now(UTC)
    with pg_db.statements() as lean:
        lean.run(Lean(_SET_STATE), {"cid": conversation, "state": {"a": 1}, "off": False, "at": now})
        with pg_db.read() as session:   # another connection sees it at once
            assert session.get(Conversation, conversation).state == {"a": 1}


def test_a_missing_parameter_is_refused_before_the_database_sees_it(db, conversation):
    with statements(db) as lean:
        with pytest.raises(KeyError, match="cid"):
            lean.rows(Lean(_CONVERSATION), {})


def test_statements_it_cannot_run_faithfully_are_refused(db):
    dialect = db.engine.dialect
    with pytest.raises(ValueError, match="IN lists"):
        Lean(select(Message.id).where(Message.id.in_([1, 2]))).plan(dialect)
    with pytest.raises(ValueError, match="default"):   # created_at's Python-side default
        Lean(insert(Message).values(conversation_id=1, direction="in", author="client", body="x",
                                    num_media=0)).plan(dialect)
    with statements(db) as lean:
        with pytest.raises(TypeError, match="named columns"):
            lean.rows(Lean(select(literal(1) + literal(2))), {})
