"""What a change writes (handlers.appointments runs its writes as plain
statements, on PostgreSQL as one): every row it touches, its audit rows, and
the loaded objects it hands back agree with what was stored."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.domain.models import Appointment, AuditEvent, Status
from handlers.appointments import cancel, confirm, rebook, reschedule
from handlers.results import Outcome
from tests.factories import NOW, local, show, standard_world


@pytest.fixture
def seeded(db):
    """Ana: a haircut then a blowout with two staff on Friday; a group of two
    she is the primary of on Wednesday; Ben a haircut on Monday."""
    world = standard_world()
    ana, ben, cleo = world.add_client("Ana Garcia"), world.add_client("Ben Lee"), world.add_client("Cleo Diaz")
    old = NOW - timedelta(days=10)
    two = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), ("Blowout", "Jordan", "2026-11-27 16:00"),
                     booked_at=old)
    group = world.group(primary=ana)
    g1 = world.book(ana, ("Blowout", "Maria", "2026-12-02 10:00"), group=group, booked_at=old)
    g2 = world.book(cleo, ("Blowout", "Jordan", "2026-12-02 10:00"), group=group, booked_at=old)
    haircut = world.book(ben, ("Haircut", "Maria", "2026-11-30 16:00"), booked_at=old)
    with db.write() as session:
        session.add(world.salon)
    return db, {"ana": ana.id, "ben": ben.id, "two": two.id, "g1": g1.id, "g2": g2.id, "haircut": haircut.id}


def audits(db, appointment_id):
    with db.read() as session:
        return [(a.kind, a.actor, a.actor_id, a.channel, a.detail) for a in session.scalars(
            select(AuditEvent).where(AuditEvent.appointment_id == appointment_id).order_by(AuditEvent.id))]


def test_a_move_shifts_every_line_and_hands_back_what_it_stored(seeded):
    db, ids = seeded
    result = reschedule(db, client_id=ids["ana"], appointment_id=ids["two"], new_start=local("2026-12-01 11:00"),
                        now=NOW, channel="chat")
    assert result.outcome is Outcome.DONE
    handed = result.decision.appointments[0]
    assert [show(line.starts_at) for line in handed.lines] == ["2026-12-01 11:00", "2026-12-01 12:00"]
    assert handed.self_reschedules == 1
    with db.read() as session:
        stored = session.get(Appointment, ids["two"])
        assert [show(line.starts_at) for line in stored.lines] == ["2026-12-01 11:00", "2026-12-01 12:00"]
        assert stored.self_reschedules == 1
    [(kind, actor, actor_id, channel, detail)] = audits(db, ids["two"])
    assert (kind, actor, actor_id, channel) == ("appointment_rescheduled", "client", ids["ana"], "chat")
    assert [show(datetime.fromisoformat(detail[k])) for k in ("from", "to")] == ["2026-11-27 15:00",
                                                                               "2026-12-01 11:00"]


def test_the_primary_contact_cancels_the_whole_group(seeded):
    db, ids = seeded
    result = cancel(db, client_id=ids["ana"], appointment_id=ids["g1"], now=NOW, channel="portal")
    assert result.outcome is Outcome.DONE and set(result.appointment_ids) == {ids["g1"], ids["g2"]}
    assert all(a.status == Status.CANCELED.value and a.canceled_at == NOW for a in result.decision.appointments)
    with db.read() as session:
        for appointment_id in (ids["g1"], ids["g2"]):
            stored = session.get(Appointment, appointment_id)
            assert (stored.status, stored.canceled_at) == (Status.CANCELED.value, NOW)
    for appointment_id in (ids["g1"], ids["g2"]):
        [(kind, actor, actor_id, channel, detail)] = audits(db, appointment_id)
        assert (kind, actor_id, channel, show(datetime.fromisoformat(detail["start"]))) == (
            "appointment_canceled", ids["ana"], "portal", "2026-12-02 10:00")


def test_confirming_once_writes_once(seeded):
    db, ids = seeded
    for _ in range(2):
        assert confirm(db, client_id=ids["ben"], appointment_id=ids["haircut"], now=NOW,
                       channel="sms").outcome is Outcome.DONE
    with db.read() as session:
        assert session.get(Appointment, ids["haircut"]).status == Status.CONFIRMED.value
    assert audits(db, ids["haircut"]) == [("appointment_confirmed", "client", ids["ben"], "sms", {})]


def test_a_rebooking_is_audited_on_the_new_appointment(seeded):
    db, ids = seeded
    cancel(db, client_id=ids["ben"], appointment_id=ids["haircut"], now=NOW, channel="sms")
    result = rebook(db, client_id=ids["ben"], appointment_id=ids["haircut"], new_start=local("2026-12-01 11:00"),
                    now=NOW, channel="sms")
    assert result.outcome is Outcome.DONE
    [new_id] = result.appointment_ids
    assert audits(db, new_id) == [("appointment_booked", "client", ids["ben"], "sms",
                                   {"rebooked_from": ids["haircut"]})]

