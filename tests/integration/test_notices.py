"""The automated texts a client's own change sends: to them (unless they did it by
text) and to the salon's notification number. Staff changes send none."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.domain.models import Outbox
from bot.messaging.outbox import notify_change
from handlers.appointments import cancel, reschedule
from tests.factories import NOW, local, standard_world


@pytest.fixture
def booked(db):
    world = standard_world()
    world.salon.notification_phone = "+12125550188"
    ana = world.add_client("Ana Garcia")
    rosa = world.add_client("Rosa Diaz", language="es")
    a = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=NOW - timedelta(days=9))
    r = world.book(rosa, ("Haircut", "Maria", "2026-11-28 10:00"), booked_at=NOW - timedelta(days=9))
    with db.write() as session:
        session.add(world.salon)
    return ana.id, a.id, rosa.id, r.id


def texts(db):
    with db.read() as session:
        return [(o.kind, o.to_phone, o.body) for o in session.scalars(select(Outbox).order_by(Outbox.id))]


def test_a_move_through_the_portal(db, booked):
    ana, appt, _, _ = booked
    reschedule(db, client_id=ana, appointment_id=appt, new_start=local("2026-11-30 11:00"), now=NOW,
               channel="portal", subscribers=[notify_change])
    assert texts(db) == [
        ("client_moved", "+12125551001",
         "Test Salon: your Haircut with Maria is now Mon, Nov 30 at 11:00 AM. Reply R to change it or X to cancel."),
        ("salon_moved", "+12125550188",
         "salonbot: Ana Garcia moved Haircut with Maria from Fri, Nov 27 at 3:00 PM to Mon, Nov 30 at 11:00 AM (portal)."),
    ]


def test_a_cancellation_in_spanish(db, booked):
    _, _, rosa, appt = booked
    cancel(db, client_id=rosa, appointment_id=appt, now=NOW, channel="chat", subscribers=[notify_change])
    assert texts(db) == [
        ("client_canceled", "+12125551002",
         "Test Salon: tu Haircut con Maria del sab 28 nov a las 10:00 am esta cancelada. "
         "Responde R cuando quieras para reservar."),
        ("salon_canceled", "+12125550188",
         "salonbot: Rosa Diaz canceled Haircut with Maria on Sat, Nov 28 at 10:00 AM (chat)."),
    ]


def test_by_text_only_the_salon_hears(db, booked):
    ana, appt, _, _ = booked
    cancel(db, client_id=ana, appointment_id=appt, now=NOW, channel="sms", subscribers=[notify_change])
    assert [kind for kind, _, _ in texts(db)] == ["salon_canceled"]


def test_staff_changes_send_nothing(db, booked):
    ana, appt, _, _ = booked
    result = cancel(db, client_id=ana, appointment_id=appt, now=NOW, channel="portal")
    with db.write() as session:
        notify_change(session, replace(result.events[0], by="staff"))
    assert texts(db) == []


def test_the_salon_hears_of_every_service_and_every_group_member(db):
    world = standard_world()
    world.salon.notification_phone = "+12125550188"
    ana, ben = world.add_client("Ana Garcia"), world.add_client("Ben Lee")
    group = world.group(primary=ana)
    own = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), ("Blowout", "Maria", "2026-11-27 16:00"),
                     group=group, booked_at=NOW - timedelta(days=9))
    world.book(ben, ("Blowout", "Jordan", "2026-11-27 15:00"), group=group, booked_at=NOW - timedelta(days=9))
    with db.write() as session:
        session.add(world.salon)
    reschedule(db, client_id=ana.id, appointment_id=own.id, new_start=local("2026-11-30 11:00"), now=NOW,
               channel="sms", subscribers=[notify_change])
    assert texts(db) == [
        ("salon_moved", "+12125550188",
         "salonbot: Ana Garcia moved Haircut & Blowout with Maria; Blowout with Jordan (Ben Lee) "
         "from Fri, Nov 27 at 3:00 PM to Mon, Nov 30 at 11:00 AM (sms)."),
    ]
