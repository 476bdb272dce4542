"""Bad input gets a clear domain error and nothing half-written."""
from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from bot.domain.errors import DomainError, InvalidDuration, InvalidPhone, UnknownTimeZone
from bot.domain.models import Appointment, Client, OpeningHours, Salon, Service, ServiceLine
from tests.factories import NOW, local, standard_world


@pytest.mark.parametrize("raw", ["", "hello", "123", "+1 212 555", "📞📞📞", "+999 1234567", "9" * 80])
def test_invalid_phone_numbers(raw):
    world = standard_world()
    with pytest.raises(InvalidPhone):
        world.salon.e164(raw)
    with pytest.raises(InvalidPhone):
        Client(salon=world.salon, name="X", phone=raw)


def test_phone_numbers_are_stored_in_e164_using_the_salons_country():
    world = standard_world()
    assert Client(salon=world.salon, name="Ana", phone="(212) 555-0142").phone == "+12125550142"
    assert Client(salon=world.salon, name="Ana", phone="+34 612 34 56 78").phone == "+34612345678"


@pytest.mark.parametrize("tz", ["Mars/Olympus", "", "../../etc/passwd", "EST5EDT/x"])
def test_unknown_time_zones(tz):
    with pytest.raises(UnknownTimeZone):
        Salon(name="X", slug="x", timezone=tz, country="US")


def test_unknown_country():
    with pytest.raises(DomainError):
        Salon(name="X", slug="x", timezone="UTC", country="XX")


def test_a_service_line_with_zero_minutes():
    world = standard_world()
    with pytest.raises(InvalidDuration):
        ServiceLine(service=world.services["Haircut"], staff=world.staff["Maria"], starts_at=NOW, minutes=0)


@pytest.mark.parametrize("kw", [dict(default_minutes=0), dict(default_minutes=-5),
                                dict(default_minutes=60, processing_minutes=40, finishing_minutes=20)])
def test_impossible_services(kw):
    with pytest.raises(InvalidDuration):
        Service(name="Odd", **kw)


def test_hours_that_end_before_they_start():
    with pytest.raises(DomainError):
        OpeningHours(weekday=1, opens=time(18), closes=time(9))
    with pytest.raises(DomainError):
        OpeningHours(weekday=7, opens=time(9), closes=time(18))


def test_a_failed_transaction_leaves_nothing_behind(db):
    world = standard_world()
    ana = world.add_client("Ana")
    world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=NOW - timedelta(days=1))
    with db.write() as session:
        session.add(world.salon)
    with pytest.raises(InvalidDuration):
        with db.write() as session:
            salon = session.scalars(select(Salon)).one()
            client = session.scalars(select(Client)).one()
            appt = Appointment(salon=salon, client=client)
            session.add(appt)
            appt.lines.append(ServiceLine(service=salon.services[0], staff=salon.staff[0],
                                          starts_at=local("2026-11-28 10:00"), minutes=60))
            session.flush()
            appt.lines.append(ServiceLine(service=salon.services[0], staff=salon.staff[0],
                                          starts_at=local("2026-11-28 11:00"), minutes=0))
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Appointment)) == 1
        assert session.scalar(select(func.count()).select_from(ServiceLine)) == 1


def test_the_database_refuses_what_slips_past_python(db):
    """Check constraints back the constructors up."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError
    world = standard_world()
    ana = world.add_client("Ana")
    appt = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"))
    with db.write() as session:
        session.add(world.salon)
    with pytest.raises(IntegrityError):
        with db.write() as session:
            session.execute(text("UPDATE service_line SET minutes = 0 WHERE appointment_id = :id"), {"id": appt.id})
