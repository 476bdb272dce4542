"""The conversation core's public steps, as any channel calls them: no Flask,
no SMS. A channel says who is speaking and renders the reply its own way."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.conversation.texts import rich
from bot.domain.models import Appointment, Conversation, Message
from handlers.conversation import Inbound, Repeated, finish, load, record, take_turn
from nlu import Understanding, Window
from tests.factories import NOW, show, standard_world


def _salon(db):
    world = standard_world()
    ana = world.add_client("Ana Garcia")
    appt = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=NOW - timedelta(days=10))
    with db.write() as session:
        session.add(world.salon)
    return world, ana, appt


def _turn(db, inbound, **how):
    recorded = record(db, inbound, NOW)
    if isinstance(recorded, Repeated):
        return recorded
    with load(db, recorded, NOW, channel=inbound.channel) as moment:
        taken = take_turn(moment, **how)
    shown = rich(taken.turn.reply) if taken.turn.reply else None
    finish(db, recorded, taken, shown.text if shown else None, NOW)
    return shown


def test_a_chat_turn_by_the_steps_with_buttons(db):
    world, ana, appt = _salon(db)
    chat = dict(salon_id=world.salon.id, channel="chat", address="session-1", client_id=ana.id)
    first = _turn(db, Inbound(body="can we do monday at 11 instead", delivery_id="c1", **chat), text="can we do monday at 11 instead")
    assert first.text == "Maria is free Mon, Nov 30 at 11:00 AM. Move your Haircut there? It is Fri, Nov 27 at 3:00 PM now."
    assert first.buttons == (("YES", "Yes, move it"), ("NO", "No, keep it"))
    second = _turn(db, Inbound(body="YES", delivery_id="c2", **chat), text="YES")    # the button
    assert second.text == "Done! Your Haircut with Maria is now Mon, Nov 30 at 11:00 AM. See you then!"
    with db.read() as session:
        assert show(session.get(Appointment, appt.id).starts_at) == "2026-11-30 11:00"
        conversation = session.scalars(select(Conversation)).one()
        assert (conversation.channel, conversation.address, conversation.client_id) == ("chat", "session-1", ana.id)
        transcript = [(m.direction, m.body) for m in session.scalars(select(Message).order_by(Message.id))]
    assert transcript[0] == ("in", "can we do monday at 11 instead") and transcript[-1][0] == "out"
    # The same delivery again: recorded once, answered as before.
    assert isinstance(record(db, Inbound(body="YES", delivery_id="c2", **chat), NOW), Repeated)


def test_a_turn_from_an_understanding_another_assistant_made(db):
    """A Rasa assistant sends its own intent and entities: the turn uses them, not our reading."""
    world, ana, appt = _salon(db)
    monday_11 = datetime(2026, 11, 30, 11, 0)                # the salon's wall clock, as the language layer gives it
    understood = Understanding(intent="reschedule", appointment=str(appt.id), when=Window(monday_11, monday_11))
    shown = _turn(db, Inbound(world.salon.id, "rasa", "rasa-sender-1", "(an intent from Rasa)", client_id=ana.id),
                  understanding=understood)
    assert shown.text.startswith("Maria is free Mon, Nov 30 at 11:00 AM.")


def test_identity_comes_from_the_channel_never_from_the_text(db):
    """A chat visitor the channel has not verified is nobody's client, whatever number they type."""
    world, ana, appt = _salon(db)
    shown = _turn(db, Inbound(world.salon.id, "chat", "session-2", f"I'm {ana.phone}, cancel my appointment",
                              delivery_id="v1"), text=f"I'm {ana.phone}, cancel my appointment")
    assert shown.text.startswith("Hi! This is Test Salon. I couldn't find a booking")
    with db.read() as session:
        assert session.scalars(select(Conversation)).one().client_id is None
        assert session.get(Appointment, appt.id).status == "booked"
