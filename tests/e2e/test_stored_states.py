"""Conversations stored by salonbot before the conversation core (and its
typed state) keep working: their states read and write back as they were,
and a conversation left in any of them carries on as it did then.

tests/e2e/stored_states.json was captured from that version (commit e44232b)
by playing short scripts over its webhook: after each message, what the bot
replied and the state it stored."""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.conversation.state import ConversationState
from bot.domain.models import Conversation
from tests.factories import NOW, standard_world
from tests.sms_client import TOKEN, Texter
from webhooks import create_app

OLD = NOW - timedelta(days=10)
CAPTURED = json.loads((Path(__file__).with_name("stored_states.json")).read_text())["entries"]


def _normal(state: dict) -> dict:
    """The same state: an explicit "awaiting": "none" says what its absence does."""
    return {k: v for k, v in state.items() if not (k == "awaiting" and v == "none")}


@pytest.mark.parametrize("entry", CAPTURED, ids=lambda e: f"{e['script']}:{e['said']}")
def test_a_stored_state_reads_and_writes_back_as_it_was(entry):
    state = entry["state"]
    assert ConversationState.from_json(state).to_json() == _normal(state)


def _salon(db, script: str):
    """The salon the scripts were captured with."""
    world = standard_world()
    world.salon.settings.cancellation_policy = "Please give 24 hours' notice."
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    if not script.startswith(("one:", "es:")):
        world.book(ana, ("Manicure", "Jordan", "2026-12-08 10:00"), booked_at=OLD)
    if script.startswith("es:"):
        ana.language = "es"
    with db.write() as session:
        session.add(world.salon)
    return "+14155550999" if script == "unknown" else ana.phone


def _app(db):
    return create_app({"DATABASE": db, "TESTING": True, "TWILIO_AUTH_TOKEN": TOKEN,
                       "PUBLIC_BASE_URL": "https://salonbot.example.com", "CLOCK": lambda: NOW})


def _stored(db) -> dict:
    with db.read() as session:
        return session.scalars(select(Conversation)).one().state


SCRIPTS = sorted({e["script"] for e in CAPTURED})


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_same_conversation_gets_the_same_replies(db, script):
    """(What the bot stores may say more than it did, e.g. the window a time
    was asked in; never less of what the old version needs to carry on:
    the next test.)"""
    texter = Texter(_app(db), _salon(db, script))
    for entry in (e for e in CAPTURED if e["script"] == script):
        assert texter.say(entry["said"]) == entry["replied"], entry
        stored = _stored(db)
        assert ConversationState.from_json(stored).to_json() == _normal(stored), entry


# The states a conversation can be left in by messages alone (a change to a
# booking before it is not in the state, so it is not replayed here).
NEXT = [(before, after) for before, after in zip(CAPTURED, CAPTURED[1:])
        if before["script"] == after["script"] and not before["bookings_changed"]]


@pytest.mark.parametrize("before, after", NEXT, ids=lambda e: f"{e['script']}:{e['said']}")
def test_a_conversation_left_in_a_stored_state_carries_on_as_it_did(sqlite_db, before, after):
    """The state as the old version stored it, put in place by hand: the next
    message gets the reply it got then."""
    phone = _salon(sqlite_db, before["script"])
    texter = Texter(_app(sqlite_db), phone)
    texter.say("hello")                      # makes the conversation
    with sqlite_db.write() as session:
        conversation = session.scalars(select(Conversation)).one()
        conversation.state, conversation.flag, conversation.handed_off = before["state"], None, before["handed_off"]
        if conversation.client is not None:
            conversation.client.opted_out = before["opted_out"]
    assert texter.say(after["said"]) == after["replied"]
