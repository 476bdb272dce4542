"""What the bot remembers between messages, typed, with its stored JSON."""
from __future__ import annotations

from datetime import datetime, timezone

from bot.conversation.state import Awaiting, ConversationState, Mode

UTC = timezone.utc


def test_every_field_goes_through_json_and_back():
    state = ConversationState(
        awaiting=Awaiting.SLOT_CHOICE, appointment_id=7,
        offered=(datetime(2026, 11, 30, 16, tzinfo=UTC), datetime(2026, 11, 30, 17, tzinfo=UTC)),
        mode=Mode.REBOOK, seen=(datetime(2026, 11, 25, 15, tzinfo=UTC),), asked_at=datetime(2026, 11, 24, 15, tzinfo=UTC),
        lang="es", misunderstood=1, told_unknown=True, opted_out_noted=True)
    assert ConversationState.from_json(state.to_json()) == state
    which = ConversationState(awaiting=Awaiting.WHICH_APPOINTMENT, listed=(3, 1), intent="cancel",
                              window=(datetime(2026, 11, 30, 11, tzinfo=UTC),) * 2,
                              windows=((datetime(2026, 11, 27, 14), datetime(2026, 11, 27, 14)),))
    assert ConversationState.from_json(which.to_json()) == which
    assert which.to_json()["options"] == [3, 1]          # as stored before: the listed ids under "options"


def test_nothing_remembered_is_an_empty_json():
    assert ConversationState().to_json() == {} and ConversationState.from_json({}) == ConversationState()
    assert ConversationState.from_json(None) == ConversationState()


def test_what_cannot_be_read_is_left_out_not_a_failure():
    odd = {"awaiting": "something_new", "appointment_id": "7", "options": ["not a time", 3], "asked_at": 12,
           "window": ["2026-11-30T11:00:00"], "misunderstood": True, "mode": "teleport"}
    assert ConversationState.from_json(odd) == ConversationState()


def test_what_an_answer_settles():
    assert {a for a in Awaiting if a.exchange} == {
        Awaiting.SLOT_CHOICE, Awaiting.RESCHEDULE_CONFIRMATION, Awaiting.CANCEL_CONFIRMATION}
