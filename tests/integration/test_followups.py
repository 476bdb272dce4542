"""Cancellation follow-ups: one invitation to rebook, `followup_days` after the
client (not the salon) canceled, unless they booked again; outside quiet
hours; never to opted-out clients; and "R" then starts the rebooking."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.messaging.followups import queue_followups
from bot.domain.models import Appointment, AuditEvent, Client, Conversation, Outbox, ServiceLine
from handlers import appointments as actions
from webhooks.sms.turn import answer
from tests.factories import NOW, local, standard_world

CANCELED = local("2026-11-22 10:00")     # two days before NOW


def setup(db, world, *, actor: str = "client", canceled_at=CANCELED, language: str = "en",
          opted_out: bool = False, group: bool = False, other_booked_at=None) -> int:
    """Ana's Haircut with Maria on Nov 30, canceled at `canceled_at` by `actor`
    (and, booked at `other_booked_at`, a Blowout on Dec 2); returns the canceled one's id."""
    ana = world.add_client("Ana Garcia", language=language)
    ana.opted_out = opted_out
    appt = world.book(ana, ("Haircut", "Maria", "2026-11-30 11:00"), status="canceled", canceled_at=canceled_at,
                      booked_at=canceled_at - timedelta(days=10))
    if other_booked_at is not None:
        world.book(ana, ("Blowout", "Jordan", "2026-12-02 11:00"), booked_at=other_booked_at)
    if group:
        appt.group = world.group(ana)
    with db.write() as session:
        session.add(world.salon)
        session.flush()
        session.add(AuditEvent(salon_id=world.salon.id, appointment_id=appt.id, actor=actor, actor_id=ana.id,
                               channel="sms", kind="appointment_canceled", created_at=canceled_at))
        return appt.id


def follow_up(db, now) -> int:
    with db.write() as session:
        return queue_followups(session, now)


def rows(db) -> list[Outbox]:
    with db.read() as session:
        return list(session.scalars(select(Outbox).order_by(Outbox.id)))


@pytest.fixture
def world():
    return standard_world()


def test_a_client_who_canceled_two_days_ago_is_invited_once(db, world):
    appt = setup(db, world)
    assert follow_up(db, NOW) == 1
    assert follow_up(db, NOW) == 0
    assert follow_up(db, NOW + timedelta(hours=12)) == 0
    [row] = rows(db)
    assert (row.kind, row.dedupe_key, row.appointment_id, row.due_at, row.to_phone) == (
        "followup", f"followup:{appt}", appt, NOW, "+12125551001")
    assert row.body == "Hi Ana, we missed you at Test Salon! Reply R and I'll find you a time with Maria."


def test_the_conversation_waits_for_the_answer(db, world):
    appt = setup(db, world)
    follow_up(db, NOW)
    with db.read() as session:
        conversation = session.scalars(select(Conversation)).one()
        assert (conversation.channel, conversation.address) == ("sms", "+12125551001")
        assert conversation.state == {"awaiting": "followup", "appointment_id": appt, "asked_at": NOW.isoformat(),
                                      "lang": "en"}


def test_not_before_the_set_number_of_days(db, world):
    setup(db, world, canceled_at=local("2026-11-22 11:00"))
    assert follow_up(db, NOW) == 0
    assert follow_up(db, NOW + timedelta(hours=1)) == 1


def test_the_number_of_days_is_a_salon_setting(db):
    world = standard_world(followup_days=3)
    setup(db, world)
    assert follow_up(db, NOW) == 0
    assert follow_up(db, NOW + timedelta(days=1)) == 1


def test_a_cancellation_long_past_its_day_is_left_alone(db, world):
    setup(db, world, canceled_at=local("2026-11-10 10:00"))
    assert follow_up(db, NOW) == 0


def test_not_when_the_salon_canceled(db, world):
    setup(db, world, actor="staff")
    assert follow_up(db, NOW) == 0


def test_not_when_the_client_booked_again(db, world):
    setup(db, world, other_booked_at=CANCELED + timedelta(hours=3))
    assert follow_up(db, NOW) == 0


def test_an_appointment_booked_before_the_cancellation_is_no_rebooking(db, world):
    setup(db, world, other_booked_at=CANCELED - timedelta(days=1))
    assert follow_up(db, NOW) == 1


def test_not_to_an_opted_out_client(db, world):
    setup(db, world, opted_out=True)
    assert follow_up(db, NOW) == 0
    assert rows(db) == []


def test_a_group_is_invited_back_through_its_primary_contact_only(db, world):
    """The primary contact may book the canceled group again (so is invited);
    a member may not, and is not."""
    setup(db, world, group=True)       # Ana is the group's primary contact
    assert follow_up(db, NOW) == 1
    with db.write() as session:
        ben = Client(salon_id=world.salon.id, name="Ben Lee", phone="+12125559876")
        session.add(ben)
        session.flush()
        member = Appointment(salon_id=world.salon.id, client=ben, status="canceled", canceled_at=CANCELED,
                             group_id=session.scalars(select(Appointment.group_id)).first())
        member.lines.append(ServiceLine(service_id=world.services["Blowout"].id, staff_id=world.staff["Jordan"].id,
                                        starts_at=local("2026-11-30 11:00"), minutes=45))
        session.add(member)
        session.flush()
        session.add(AuditEvent(salon_id=world.salon.id, appointment_id=member.id, actor="client", actor_id=ben.id,
                               channel="sms", kind="appointment_canceled", created_at=CANCELED))
    assert follow_up(db, NOW) == 0


def test_quiet_hours_hold_it_until_the_morning(db, world):
    setup(db, world, canceled_at=local("2026-11-22 22:30"))
    assert follow_up(db, local("2026-11-24 22:30")) == 1
    assert rows(db)[0].due_at == local("2026-11-25 08:00")


def test_a_spanish_client_is_invited_in_spanish(db, world):
    setup(db, world, language="es")
    follow_up(db, NOW)
    assert rows(db)[0].body == "Hola Ana, ¡te extrañamos en Test Salon! Responde R y te busco una hora con Maria."


def test_a_cancellation_by_text_then_r_starts_the_rebooking(db, world):
    """The real cancel action records the audit event; two days later the
    follow-up goes out, and the client's "R" gets times with Maria."""
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Haircut", "Maria", "2026-11-30 11:00"))
    with db.write() as session:
        session.add(world.salon)
    with db.read() as session:
        appt_id, client_id = session.execute(select(Appointment.id, Appointment.client_id)).one()
    result = actions.cancel(db, client_id=client_id, appointment_id=appt_id, now=CANCELED, channel="portal")
    assert result.outcome == "done", result
    assert follow_up(db, NOW) == 1
    reply = answer(db, world.salon.id, "+12125551001", "+12125551001", "R", "SM" + "1" * 32, 0,
                   NOW + timedelta(minutes=10))
    assert reply.startswith("Maria can do your Haircut:\n1) ")
    with db.read() as session:
        state = session.scalars(select(Conversation)).one().state
    assert (state["awaiting"], state["mode"], state["appointment_id"]) == ("slot_choice", "rebook", appt_id)
