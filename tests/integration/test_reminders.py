"""Reminders: one per appointment, inside the window, outside quiet hours (on
the salon's own clock), never to opted-out clients, in the client's language,
and leaving the conversation waiting for C, R or X."""
from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import select

from bot.domain.models import Appointment, Conversation, Outbox
from bot.messaging.reminders import after_quiet_hours, queue_reminders
from webhooks.sms.turn import answer
from tests.factories import NOW, SalonWorld, local, standard_world


def persist(db, world):
    with db.write() as session:
        session.add(world.salon)


def remind(db, now) -> int:
    with db.write() as session:
        return queue_reminders(session, now)


def rows(db) -> list[Outbox]:
    with db.read() as session:
        return list(session.scalars(select(Outbox).order_by(Outbox.id)))


def appointment_id(db, client_name: str) -> int:
    with db.read() as session:
        return session.scalars(select(Appointment.id).where(Appointment.client.has(name=client_name))).one()


@pytest.fixture
def world():
    return standard_world()


def test_an_appointment_within_the_window_gets_exactly_one_reminder(db, world):
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Haircut", "Maria", "2026-11-25 09:00"))     # 23 hours ahead
    persist(db, world)
    assert remind(db, NOW) == 1
    assert remind(db, NOW) == 0
    assert remind(db, NOW + timedelta(hours=5)) == 0
    [row] = rows(db)
    appt = appointment_id(db, "Ana Garcia")
    assert (row.kind, row.dedupe_key, row.appointment_id, row.due_at, row.to_phone, row.status) == (
        "reminder", f"reminder:{appt}", appt, NOW, "+12125551001", "pending")
    assert row.body == ("Hi Ana, a reminder of your Haircut with Maria at Test Salon on Wed, Nov 25 at 9:00 AM. "
                        "Reply C to confirm, R to reschedule, X to cancel.")


def test_queuing_the_reminder_leaves_the_conversation_waiting_for_the_answer(db, world):
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Haircut", "Maria", "2026-11-25 09:00"))
    persist(db, world)
    remind(db, NOW)
    with db.read() as session:
        conversation = session.scalars(select(Conversation)).one()
        row = session.scalars(select(Outbox)).one()
        assert (conversation.channel, conversation.address, conversation.client_id) == ("sms", "+12125551001",
                                                                                         row.client_id)
        assert conversation.state == {"awaiting": "reminder_reply", "appointment_id": row.appointment_id,
                                      "asked_at": NOW.isoformat(), "lang": "en"}
        assert row.conversation_id == conversation.id


def test_an_existing_conversation_is_reused(db, world):
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Haircut", "Maria", "2026-11-25 09:00"))
    conversation = Conversation(salon=world.salon, client=ana, channel="sms", address="+12125551001",
                                state={"awaiting": "none"})
    persist(db, world)
    with db.write() as session:
        session.add(conversation)
    remind(db, NOW)
    with db.read() as session:
        [only] = session.scalars(select(Conversation)).all()
        assert only.state["awaiting"] == "reminder_reply"


def test_not_before_the_window_opens(db, world):
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Haircut", "Maria", "2026-11-25 11:00"))     # 25 hours ahead
    persist(db, world)
    assert remind(db, NOW) == 0
    assert remind(db, NOW + timedelta(hours=1)) == 1


def test_the_window_is_a_salon_setting(db):
    world = standard_world(reminder_hours_before=48)
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Haircut", "Maria", "2026-11-26 09:00"))     # 47 hours ahead
    persist(db, world)
    assert remind(db, NOW) == 1


def test_booked_and_confirmed_are_reminded_canceled_and_started_are_not(db, world):
    for name, status, start in (("Ana Garcia", "booked", "2026-11-25 09:00"),
                                ("Bea Diaz", "confirmed", "2026-11-25 09:00"),
                                ("Cal Reyes", "canceled", "2026-11-25 09:00"),
                                ("Dee Lopez", "booked", "2026-11-24 09:30")):     # started half an hour ago
        world.book(world.add_client(name), ("Haircut", "Jordan" if name == "Bea Diaz" else "Maria", start),
                   status=status)
    persist(db, world)
    assert remind(db, NOW) == 2
    assert sorted(r.to_phone for r in rows(db)) == ["+12125551001", "+12125551002"]


def test_an_opted_out_client_gets_no_reminder(db, world):
    ana = world.add_client("Ana Garcia")
    ana.opted_out = True
    world.book(ana, ("Haircut", "Maria", "2026-11-25 09:00"))
    persist(db, world)
    assert remind(db, NOW) == 0
    assert rows(db) == []
    with db.read() as session:
        assert session.scalars(select(Conversation)).all() == []


def test_a_spanish_client_is_reminded_in_spanish(db, world):
    carlos = world.add_client("Carlos Ruiz", language="es")
    world.services["Haircut"].name_es = "Corte de pelo"
    world.book(carlos, ("Haircut", "Maria", "2026-11-25 09:00"))
    persist(db, world)
    remind(db, NOW)
    [row] = rows(db)
    assert row.body.startswith("Hola Carlos, te recordamos tu Corte de pelo con Maria en Test Salon "
                               "el mié 25 nov a las 9:00 am")
    assert "Responde C para confirmar, R para cambiar, X para cancelar." in row.body
    with db.read() as session:
        assert session.scalars(select(Conversation)).one().state["lang"] == "es"


def test_each_member_of_a_group_is_reminded_of_their_own_appointment(db, world):
    ana, ben = world.add_client("Ana Garcia"), world.add_client("Ben Ortiz")
    group = world.group(ana)
    world.book(ana, ("Haircut", "Maria", "2026-11-25 09:00"), group=group)
    world.book(ben, ("Blowout", "Jordan", "2026-11-25 09:00"), group=group)
    persist(db, world)
    assert remind(db, NOW) == 2
    bodies = {r.to_phone: r.body for r in rows(db)}
    assert bodies["+12125551001"].startswith("Hi Ana, a reminder of your Haircut with Maria")
    assert bodies["+12125551002"].startswith("Hi Ben, a reminder of your Blowout with Jordan")


# -- quiet hours (default 21:00 to 08:00, salon time) --

@pytest.mark.parametrize("now, start, due", [
    ("2026-11-24 20:59", "2026-11-25 15:00", "2026-11-24 20:59"),   # just before quiet hours
    ("2026-11-24 21:00", "2026-11-25 15:00", "2026-11-25 08:00"),   # evening: waits for the morning
    ("2026-11-24 23:30", "2026-11-25 15:00", "2026-11-25 08:00"),
    ("2026-11-25 02:00", "2026-11-25 11:00", "2026-11-25 08:00"),   # after midnight: the same morning
    ("2026-11-25 07:59", "2026-11-25 11:00", "2026-11-25 08:00"),
    ("2026-11-25 08:00", "2026-11-25 11:00", "2026-11-25 08:00"),   # quiet hours are over
])
def test_quiet_hours_move_the_reminder_to_the_morning(db, world, now, start, due):
    world.book(world.add_client(), ("Haircut", "Maria", start))
    persist(db, world)
    assert remind(db, local(now)) == 1
    assert rows(db)[0].due_at == local(due)


def test_no_reminder_when_quiet_hours_last_until_the_appointment(db, world):
    world.book(world.add_client(), ("Haircut", "Maria", "2026-11-25 08:00"))
    persist(db, world)
    assert remind(db, local("2026-11-24 22:00")) == 0
    assert remind(db, local("2026-11-25 07:00")) == 0
    assert rows(db) == []


def test_quiet_hours_are_the_salons_own_clock(db):
    world = SalonWorld(tz="America/Los_Angeles")
    world.add_staff("Maria")
    world.add_service("Haircut", 60)
    world.book(world.add_client(), ("Haircut", "Maria", "2026-11-25 15:00"))
    # 20:30 in Los Angeles is 23:30 in New York: not quiet for this salon.
    world.book(world.add_client("Bo Lee"), ("Haircut", "Maria", "2026-11-25 16:00"))
    persist(db, world)
    la = lambda text: local(text, "America/Los_Angeles")  # noqa: E731
    assert remind(db, la("2026-11-24 20:30")) == 2
    assert {r.due_at for r in rows(db)} == {la("2026-11-24 20:30")}


def test_quiet_hours_that_do_not_span_midnight():
    world = standard_world(quiet_hours_start=time(0, 0), quiet_hours_end=time(7, 0))
    settings, tz = world.settings, world.salon.timezone
    assert after_quiet_hours(local("2026-11-24 23:00"), settings, tz) == local("2026-11-24 23:00")
    assert after_quiet_hours(local("2026-11-25 01:00"), settings, tz) == local("2026-11-25 07:00")
    assert after_quiet_hours(local("2026-11-25 07:00"), settings, tz) == local("2026-11-25 07:00")


def test_equal_quiet_hours_mean_none():
    world = standard_world(quiet_hours_start=time(21, 0), quiet_hours_end=time(21, 0))
    moment = local("2026-11-24 23:00")
    assert after_quiet_hours(moment, world.settings, world.salon.timezone) == moment


def test_a_salon_with_no_number_to_send_from_queues_nothing(db, world):
    world.salon.numbers.clear()
    world.book(world.add_client(), ("Haircut", "Maria", "2026-11-25 09:00"))
    persist(db, world)
    assert remind(db, NOW) == 0


def test_the_clients_c_confirms_the_reminded_appointment(db, world):
    """The reminder leaves the state the dialogue reads: "C" confirms that appointment."""
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Haircut", "Maria", "2026-11-25 09:00"))
    world.book(ana, ("Blowout", "Maria", "2026-11-27 12:00"))    # a second one, so "C" needs the context
    persist(db, world)
    remind(db, NOW)
    reply = answer(db, world.salon.id, "+12125551001", "+12125551001", "C", "SM" + "0" * 32, 0,
                   NOW + timedelta(minutes=5))
    assert reply and "confirmed" in reply
    with db.read() as session:
        statuses = dict(session.execute(select(Appointment.id, Appointment.status).order_by(Appointment.id)).all())
    assert list(statuses.values()) == ["confirmed", "booked"]


def test_no_reminder_for_a_time_the_client_set_a_moment_ago(db, world):
    """Moved by text into the reminder window, the client was just told "see
    you then": no reminder follows. (One the salon moved still gets it.)"""
    from handlers import appointments as actions
    world.settings.reminder_hours_before = 48      # (reminders well ahead of the 24-hour notice window)
    ana = world.add_client("Ana Garcia")
    appt = world.book(ana, ("Haircut", "Maria", "2026-11-28 11:00"), booked_at=NOW - timedelta(days=10))
    persist(db, world)
    moved = actions.reschedule(db, client_id=ana.id, appointment_id=appt.id, new_start=local("2026-11-25 11:00"),
                               now=NOW, channel="sms")
    assert moved.ok, moved
    assert remind(db, NOW + timedelta(minutes=5)) == 0
