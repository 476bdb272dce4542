"""How long offered times stand (the salon's `offer_minutes`, 30) is real
time, also when the salon's clock jumps or repeats an hour meanwhile, and
across midnight at a month's and a year's end. Through the webhook, with a
pinned clock, as a client texts: a time chosen after someone else took it
gets fresh times, with "those times are more than 30 minutes old" only when
they are.

(An old offer whose time is still free is simply booked: see the report of
the branch that added this file; the README says otherwise.)"""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from sqlalchemy import select

from bot.domain.models import Appointment, Client, Conversation, Service, ServiceLine, Staff
from tests.factories import local, show, standard_world
from tests.sms_client import TOKEN, Texter
from webhooks import create_app

UTC_ = lambda text: datetime.fromisoformat(text + "+00:00")  # noqa: E731  - an instant written in UTC
EXPIRED = "Those times are more than 30 minutes old."
TAKEN = "Sorry, that time was just taken."


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock(local("2026-11-24 10:00"))


@pytest.fixture
def app(db, clock):
    return create_app({"DATABASE_URL": str(db.url), "TESTING": True, "TWILIO_AUTH_TOKEN": TOKEN,
                       "PUBLIC_BASE_URL": "https://salonbot.example.com", "CLOCK": clock, "DATABASE": db})


def ana_with_haircut(db, start: str, booked_at: datetime):
    world = standard_world()
    ana = world.add_client("Ana Garcia")
    world.add_client("Bo Lee")
    appt = world.book(ana, ("Haircut", "Maria", start), booked_at=booked_at)
    with db.write() as session:
        session.add(world.salon)
    return ana, appt


def take_first_offer(db, client_id: int) -> None:
    """Someone else books the first time offered to the client, by phone."""
    with db.write() as session:
        state = session.scalars(select(Conversation.state).where(Conversation.client_id == client_id)).one()
        other = session.scalars(select(Client).where(Client.id != client_id)).first()
        service = session.scalars(select(Service).where(Service.name == "Blowout")).one()
        maria = session.scalars(select(Staff).where(Staff.name == "Maria")).one()
        appt = Appointment(salon=other.salon, client=other)
        session.add(appt)
        appt.lines.append(ServiceLine(service=service, staff=maria, starts_at=datetime.fromisoformat(state["options"][0])))


# (offered at, answered at, still standing): the clock's reading says otherwise in each.
EDGES = [
    # Clocks go back: 01:50 EDT, then 01:10 EST is 20 minutes later (the clock reads 40 earlier) ...
    (UTC_("2026-11-01 05:50"), UTC_("2026-11-01 06:10"), True),
    # ... and 01:25 EST is 35 minutes later, though the clock reads 25 minutes earlier.
    (UTC_("2026-11-01 05:50"), UTC_("2026-11-01 06:25"), False),
    # Clocks go forward: 01:50 EST, then 03:10 EDT is 20 minutes later (the clock reads 80).
    (UTC_("2027-03-14 06:50"), UTC_("2027-03-14 07:10"), True),
    (UTC_("2027-03-14 06:50"), UTC_("2027-03-14 07:25"), False),
    # Midnight, at a month's end and at the year's.
    (local("2027-01-31 23:50"), local("2027-02-01 00:10"), True),
    (local("2027-01-31 23:50"), local("2027-02-01 00:25"), False),
    (local("2026-12-31 23:45"), local("2027-01-01 00:14"), True),
    (UTC_("2026-12-31 23:50"), UTC_("2027-01-01 00:10"), True),     # midnight in UTC, the evening here
]


@pytest.mark.parametrize("offered, answered, standing", EDGES)
def test_offered_times_stand_for_30_real_minutes_whatever_the_clock_reads(app, db, clock, offered, answered,
                                                                          standing):
    ana, appt = ana_with_haircut(db, show(offered + timedelta(days=8)), booked_at=offered - timedelta(days=20))
    clock.now = offered
    texter = Texter(app, ana.phone)
    assert texter.say("I need to reschedule").startswith("Maria can do your Haircut:\n1) ")
    take_first_offer(db, ana.id)
    clock.now = answered
    reply = texter.say("1")
    assert reply.startswith(TAKEN if standing else EXPIRED), reply
