"""The salon's setup is cached per process and must never be served stale:
every change to it raises the salon's setup version in the same transaction,
and a conversation sees an owner's change on its very next message."""
from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import select

from bot.domain.models import Appointment, Client, Closure, OpeningHours, Salon, Service, Staff, TimeOff, WorkingHours
from tests.factories import NOW, local, standard_world
from tests.sms_client import TOKEN, Texter
from webhooks import create_app

OLD = NOW - timedelta(days=10)


@pytest.fixture
def saved(db):
    world = standard_world()
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    with db.write() as session:
        session.add(world.salon)
    return world, ana


def version(db, salon_id):
    with db.read() as session:
        return session.scalar(select(Salon.setup_version).where(Salon.id == salon_id))


def staff_named(session, name):
    return session.scalars(select(Staff).where(Staff.name == name)).one()


SETUP_CHANGES = {
    "a setting": lambda s, salon: setattr(salon.settings, "allow_self_reschedule", False),
    "the salon's name": lambda s, salon: setattr(salon, "name", "Renamed"),
    "opening hours added": lambda s, salon: salon.opening_hours.append(
        OpeningHours(weekday=6, opens=time(10), closes=time(14))),
    "opening hours removed": lambda s, salon: salon.opening_hours.remove(salon.opening_hours[0]),
    "opening hours changed": lambda s, salon: setattr(salon.opening_hours[0], "closes", time(17)),
    "a closure": lambda s, salon: s.add(Closure(salon_id=salon.id, starts_at=local("2026-12-24 00:00"),
                                                ends_at=local("2026-12-26 00:00"))),
    "working hours changed": lambda s, salon: setattr(staff_named(s, "Maria").working_hours[0], "ends", time(12)),
    "working hours added": lambda s, salon: s.add(WorkingHours(staff_id=staff_named(s, "Maria").id, weekday=6,
                                                               starts=time(10), ends=time(14))),
    "time off": lambda s, salon: s.add(TimeOff(staff_id=staff_named(s, "Maria").id,
                                               starts_at=local("2026-11-30 00:00"), ends_at=local("2026-12-01 00:00"))),
    "a new staff member": lambda s, salon: s.add(Staff(salon_id=salon.id, name="Priya")),
    "a service": lambda s, salon: setattr(s.scalars(select(Service).where(Service.name == "Haircut")).one(),
                                          "online_booking", False),
}


@pytest.mark.parametrize("change", sorted(SETUP_CHANGES))
def test_every_change_of_setup_raises_the_version(db, saved, change):
    world, _ = saved
    before = version(db, world.salon.id)
    with db.write() as session:
        SETUP_CHANGES[change](session, session.get(Salon, world.salon.id))
    assert version(db, world.salon.id) == before + 1


def test_bookings_and_clients_leave_the_version_alone(db, saved):
    world, ana = saved
    before = version(db, world.salon.id)
    with db.write() as session:
        salon = session.get(Salon, world.salon.id)
        client = session.get(Client, ana.id)
        client.language = "es"
        line = world_line(session, "Blowout", "Jordan", "2026-12-01 10:00")
        session.add(Appointment(salon=salon, client=client, lines=[line]))   # also lands in salon.appointments
    assert version(db, world.salon.id) == before


def world_line(session, service, staff, start):
    from bot.domain.models import ServiceLine
    return ServiceLine(service=session.scalars(select(Service).where(Service.name == service)).one(),
                       staff=staff_named(session, staff), starts_at=local(start))


def test_a_change_rolled_back_leaves_the_version_alone(db, saved):
    world, _ = saved
    before = version(db, world.salon.id)
    with pytest.raises(RuntimeError):
        with db.write() as session:
            session.get(Salon, world.salon.id).settings.allow_self_cancel = False
            session.flush()
            raise RuntimeError("the owner's form failed halfway")
    assert version(db, world.salon.id) == before


@pytest.fixture
def app(db):
    return create_app({"DATABASE_URL": str(db.url), "TESTING": True, "TWILIO_AUTH_TOKEN": TOKEN,
                       "PUBLIC_BASE_URL": "https://salonbot.example.com", "CLOCK": lambda: NOW, "DATABASE": db})


def test_the_bot_follows_an_owner_turning_self_rescheduling_off_mid_conversation(app, db, saved):
    world, ana = saved
    texter = Texter(app, ana.phone)
    first = texter.say("can we do monday at 11 instead")
    assert "Maria is free Mon, Nov 30 at 11:00 AM" in first
    texter.say("no keep it")
    with db.write() as session:
        session.get(Salon, world.salon.id).settings.allow_self_reschedule = False
    second = texter.say("can we do monday at 11 instead")
    assert "Maria is free" not in second and "doesn't take reschedules" in second, second


def test_offers_follow_time_off_booked_a_moment_ago(app, db, saved):
    world, ana = saved
    texter = Texter(app, ana.phone)
    assert "Maria is free Mon, Nov 30 at 11:00 AM" in texter.say("can we do monday at 11 instead")
    texter.say("no keep it")
    with db.write() as session:
        session.add(TimeOff(staff_id=staff_named(session, "Maria").id,
                            starts_at=local("2026-11-30 00:00"), ends_at=local("2026-12-01 00:00")))
    again = texter.say("can we do monday at 11 instead")
    # The day off is said, and nothing on it is offered.
    assert again.startswith("Maria isn't working on Mon, Nov 30.") and ") Mon, Nov 30" not in again, again
