"""The portal actions against a real database (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.domain.errors import StartInPast
from bot.domain.events import AppointmentCanceled, AppointmentRescheduled
from bot.domain.models import Appointment, AuditEvent, Status
from bot.domain.rules import Reason
from handlers.appointments import cancel, offer_times, reschedule, upcoming_appointments
from handlers.results import Outcome
from tests.factories import NOW, local, show, standard_world


@pytest.fixture
def seeded(db):
    """Ana has a haircut with Maria on Friday 15:00; Ben has Maria at 16:00 Monday."""
    world = standard_world()
    ana, ben, cleo = world.add_client("Ana Garcia"), world.add_client("Ben Lee"), world.add_client("Cleo Diaz")
    old = NOW - timedelta(days=10)
    haircut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=old)
    world.book(ben, ("Haircut", "Maria", "2026-11-30 16:00"), booked_at=old)
    group = world.group(primary=ana)
    g1 = world.book(ana, ("Blowout", "Maria", "2026-12-02 10:00"), group=group, booked_at=old)
    g2 = world.book(cleo, ("Blowout", "Jordan", "2026-12-02 10:00"), group=group, booked_at=old)
    with db.write() as session:
        session.add(world.salon)
    return db, {"ana": ana.id, "ben": ben.id, "cleo": cleo.id, "haircut": haircut.id, "g1": g1.id, "g2": g2.id}


def starts_of(db, appointment_id):
    with db.read() as session:
        return [show(line.starts_at) for line in session.get(Appointment, appointment_id).lines]


def test_moving_to_an_open_time(seeded):
    db, ids = seeded
    result = reschedule(db, client_id=ids["ana"], appointment_id=ids["haircut"],
                        new_start=local("2026-11-30 11:00"), now=NOW, channel="sms")
    assert result.outcome is Outcome.DONE
    assert starts_of(db, ids["haircut"]) == ["2026-11-30 11:00"]
    assert isinstance(result.events[0], AppointmentRescheduled) and result.events[0].by == "client"
    with db.read() as session:
        appt = session.get(Appointment, ids["haircut"])
        assert appt.self_reschedules == 1
        audit = session.scalars(select(AuditEvent).where(AuditEvent.appointment_id == appt.id)).one()
        assert (audit.kind, audit.actor, audit.channel) == ("appointment_rescheduled", "client", "sms")


def test_a_taken_time_changes_nothing_and_offers_the_nearest(seeded):
    db, ids = seeded
    result = reschedule(db, client_id=ids["ana"], appointment_id=ids["haircut"],
                        new_start=local("2026-11-30 16:00"), now=NOW, channel="sms")   # Ben's time
    assert result.outcome is Outcome.UNAVAILABLE
    assert [show(s) for s in result.offers] == ["2026-11-30 15:00", "2026-11-30 17:00", "2026-11-30 14:30"]
    assert starts_of(db, ids["haircut"]) == ["2026-11-27 15:00"]


def test_the_rules_are_checked_again_when_moving(seeded):
    db, ids = seeded
    with db.write() as session:
        session.get(Appointment, ids["haircut"]).salon.settings.allow_self_reschedule = False
    result = reschedule(db, client_id=ids["ana"], appointment_id=ids["haircut"],
                        new_start=local("2026-11-30 11:00"), now=NOW, channel="chat")
    assert result.outcome is Outcome.NOT_ALLOWED
    assert result.decision.reasons == (Reason.SELF_RESCHEDULE_OFF,)
    assert starts_of(db, ids["haircut"]) == ["2026-11-27 15:00"]


def test_someone_elses_appointment_is_not_found(seeded):
    db, ids = seeded
    for action in (lambda: cancel(db, client_id=ids["ben"], appointment_id=ids["haircut"], now=NOW, channel="sms"),
                   lambda: reschedule(db, client_id=ids["ben"], appointment_id=ids["haircut"],
                                      new_start=local("2026-11-30 11:00"), now=NOW, channel="sms"),
                   lambda: offer_times(db, client_id=ids["ben"], appointment_id=ids["haircut"], now=NOW)):
        assert action().outcome is Outcome.NOT_FOUND
    assert cancel(db, client_id=ids["ana"], appointment_id=999_999, now=NOW, channel="sms").outcome is Outcome.NOT_FOUND


def test_a_start_in_the_past_is_a_clear_error(seeded):
    db, ids = seeded
    with pytest.raises(StartInPast):
        reschedule(db, client_id=ids["ana"], appointment_id=ids["haircut"],
                   new_start=NOW - timedelta(hours=1), now=NOW, channel="sms")
    assert starts_of(db, ids["haircut"]) == ["2026-11-27 15:00"]


def test_cancelling(seeded):
    db, ids = seeded
    result = cancel(db, client_id=ids["ana"], appointment_id=ids["haircut"], now=NOW, channel="portal")
    assert result.outcome is Outcome.DONE and isinstance(result.events[0], AppointmentCanceled)
    with db.read() as session:
        appt = session.get(Appointment, ids["haircut"])
        assert appt.status == Status.CANCELED.value and appt.canceled_at == NOW
    again = cancel(db, client_id=ids["ana"], appointment_id=ids["haircut"], now=NOW, channel="portal")
    assert again.outcome is Outcome.NOT_ALLOWED and again.decision.reasons == (Reason.CANCELED,)


def test_the_primary_contact_moves_the_whole_group_together(seeded):
    db, ids = seeded
    offers = offer_times(db, client_id=ids["ana"], appointment_id=ids["g1"], now=NOW,
                         window=(local("2026-12-03 14:00"), local("2026-12-03 14:00")))
    assert offers.ok and show(offers.offers[0]) == "2026-12-03 14:00"
    result = reschedule(db, client_id=ids["ana"], appointment_id=ids["g1"],
                        new_start=offers.offers[0], now=NOW, channel="sms")
    assert result.ok and set(result.appointment_ids) == {ids["g1"], ids["g2"]}
    assert starts_of(db, ids["g1"]) == starts_of(db, ids["g2"]) == ["2026-12-03 14:00"]
    with db.read() as session:
        for appointment_id in (ids["g1"], ids["g2"]):
            assert session.get(Appointment, appointment_id).self_reschedules == 1
            audit = session.scalars(select(AuditEvent).where(AuditEvent.appointment_id == appointment_id)).one()
            assert (audit.kind, audit.actor_id) == ("appointment_rescheduled", ids["ana"])
            assert [show(datetime.fromisoformat(audit.detail[k])) for k in ("from", "to")][1] == "2026-12-03 14:00"


def test_a_group_member_is_told_why(seeded):
    db, ids = seeded
    result = cancel(db, client_id=ids["cleo"], appointment_id=ids["g2"], now=NOW, channel="sms")
    assert result.outcome is Outcome.NOT_ALLOWED
    assert result.decision.explain("en") == ["it is part of a group booking; the person who booked the group can change it."]


def test_offers_without_a_time_are_spread_over_days(seeded):
    db, ids = seeded
    result = offer_times(db, client_id=ids["ana"], appointment_id=ids["haircut"], now=NOW, count=3)
    days = {show(s)[:10] for s in result.offers}
    assert len(result.offers) == 3 and len(days) == 2
    assert all(s >= NOW + timedelta(hours=24) for s in result.offers)


def test_upcoming_appointments_soonest_first(seeded):
    db, ids = seeded
    with db.read() as session:
        from bot.domain.models import Client
        ana = session.get(Client, ids["ana"])
        assert [a.id for a in upcoming_appointments(session, ana, NOW)] == [ids["haircut"], ids["g1"]]
        assert upcoming_appointments(session, ana, local("2026-12-05 10:00")) == []
