"""What a turn leaves behind for staff, the same on both databases: the
inbound line with how the bot read it and what it answered, the bot's own
line, and the conversation's memory, flag and time."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.domain.models import Conversation, Message
from tests.factories import NOW, standard_world
from tests.sms_client import TOKEN, Texter
from webhooks import create_app


def test_each_turn_is_written_whole(db):
    world = standard_world()
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=NOW - timedelta(days=10))
    with db.write() as session:
        session.add(world.salon)
    clock = iter([NOW, NOW + timedelta(minutes=1)])
    app = create_app({"DATABASE_URL": str(db.url), "TESTING": True, "TWILIO_AUTH_TOKEN": TOKEN,
                      "PUBLIC_BASE_URL": "https://salonbot.example.com", "CLOCK": lambda: next(clock),
                      "DATABASE": db})
    texter = Texter(app, ana.phone)
    first = texter.say("can we do monday at 11 instead")
    second = texter.say("can I talk to a real person please")
    with db.read() as session:
        lines = [(m.direction, m.author, m.body, m.reply, m.intent, m.num_media, m.created_at)
                 for m in session.scalars(select(Message).order_by(Message.id))]
        conversation = session.scalars(select(Conversation)).one()
    assert lines == [
        ("in", "client", "can we do monday at 11 instead", first, "reschedule", 0, NOW),
        ("out", "bot", first, None, None, 0, NOW),
        ("in", "client", "can I talk to a real person please", second, "human", 0, NOW + timedelta(minutes=1)),
    ] + ([("out", "bot", second, None, None, 0, NOW + timedelta(minutes=1))] if second else [])
    assert conversation.handed_off and conversation.flag and conversation.flagged_at == NOW + timedelta(minutes=1)
    assert conversation.updated_at == NOW + timedelta(minutes=1)
