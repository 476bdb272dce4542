"""Deliveries that arrive at the same moment: Twilio repeating a message, and
a new number's first texts. Every request gets an answer, the message is
acted on once, and one conversation holds it all."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.domain.models import Appointment, Conversation, Message, Status
from tests.factories import NOW, standard_world
from tests.sms_client import TOKEN, Texter
from tests.together import all_at_once
from webhooks import create_app

AT_ONCE = 8


def _app(db):
    return create_app({"DATABASE_URL": str(db.url), "TESTING": True, "TWILIO_AUTH_TOKEN": TOKEN,
                       "PUBLIC_BASE_URL": "https://salonbot.example.com", "CLOCK": lambda: NOW, "DATABASE": db})


def test_one_message_delivered_eight_times_at_once_is_acted_on_once(db):
    world = standard_world()
    ana = world.add_client("Ana Garcia")
    appt = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=NOW - timedelta(days=10))
    with db.write() as session:
        session.add(world.salon)
    app = _app(db)
    assert Texter(app, ana.phone).say("please cancel my appointment").startswith("Reply YES")
    sid = "SM" + "5" * 32
    responses = all_at_once(AT_ONCE, lambda i: Texter(app, ana.phone).post("yes", sid=sid))
    assert [r.status_code for r in responses] == [200] * AT_ONCE
    with db.read() as session:
        assert session.get(Appointment, appt.id).status == Status.CANCELED.value
        assert session.scalar(select(func.count()).select_from(Message).where(Message.provider_sid == sid)) == 1
        assert session.scalar(select(func.count()).select_from(Message).where(Message.direction == "out")) == 2


def test_a_new_numbers_first_texts_at_once_share_one_conversation(db):
    world = standard_world()
    with db.write() as session:
        session.add(world.salon)
    app = _app(db)
    stranger = "+12125557777"
    responses = all_at_once(AT_ONCE, lambda i: Texter(app, stranger).post(f"hello? ({i})"))
    assert [r.status_code for r in responses] == [200] * AT_ONCE
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Conversation)) == 1
        assert session.scalar(select(func.count()).select_from(Message).where(Message.direction == "in")) == AT_ONCE
