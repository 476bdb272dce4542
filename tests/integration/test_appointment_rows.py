"""bot.persistence.appointment_rows: the rules decide the same from the plain rows
as from the ORM objects, for every appointment of the demo salon (which holds
every special case) at several moments, and after staff and status changes."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.demo import seed_demo
from bot.domain.models import Appointment, Client, Staff, Status
from bot.domain.rules import may_cancel, may_rebook, may_reschedule
from bot.persistence.salon_calendar import block_of
from bot.persistence.statements import Statements
from bot.persistence import appointment_rows
from bot.persistence.appointment_rows import ClientRef
from tests.factories import NOW

MOMENTS = (NOW, NOW + timedelta(hours=20), NOW + timedelta(days=3, minutes=7), NOW + timedelta(days=20))


@pytest.fixture
def demo(db):
    with db.write() as session:
        seed_demo(session, NOW)
        # Some of every status, and a staff member who left.
        appointments = session.scalars(select(Appointment).order_by(Appointment.id)).all()
        for appt, status in zip(appointments[::17], (Status.CANCELED, Status.COMPLETED, Status.NO_SHOW,
                                                     Status.LATE_CANCELED, Status.CONFIRMED) * 10):
            appt.status = status.value
        session.scalars(select(Staff).order_by(Staff.id)).first().active = False
    return db


def _decisions(rule, appointment, client, settings):
    return [(d.allowed, d.reasons) for d in (rule(appointment, client, settings, now) for now in MOMENTS)]


def test_the_rules_decide_the_same_from_rows_as_from_objects(demo):
    db = demo
    compared = grouped = 0
    with db.read() as session:
        for appointment in session.scalars(select(Appointment).order_by(Appointment.id)):
            setup = db.setups.current(session, appointment.salon_id)
            rows = appointment_rows.read(Statements.on(session.connection()), appointment.id, setup)
            if appointment.group_id is not None:
                assert rows is None
                grouped += 1
                continue
            settings = setup.settings
            for client in (session.get(Client, appointment.client_id), session.get(Client, 1)):
                for rule in (may_reschedule, may_cancel, may_rebook):
                    assert _decisions(rule, rows, ClientRef(client.id), settings) == \
                        _decisions(rule, appointment, client, settings), (rule.__name__, appointment.id)
            assert block_of([rows]) == block_of([appointment])
            assert (rows.starts_at, rows.ends_at, rows.is_active) == \
                (appointment.starts_at, appointment.ends_at, appointment.is_active)
            assert [line.service.display_name("es") for line in rows.lines] == \
                [line.service.display_name("es") for line in appointment.lines]
            compared += 1
    assert compared > 250 and grouped >= 2


def test_an_appointment_that_is_not_there_or_another_salons_reads_as_none(demo):
    db = demo
    with db.read() as session:
        appointment = session.scalars(select(Appointment).where(Appointment.group_id.is_(None))).first()
        setup = db.setups.current(session, appointment.salon_id)
        statements = Statements.on(session.connection())
        assert appointment_rows.read(statements, 10_000_000, setup) is None
        other = type(setup)(type(setup.salon)(id=setup.salon.id + 1, name="Other", slug="other",
                                              timezone="UTC", country="US"), 0, {})
        assert appointment_rows.read(statements, appointment.id, other) is None
