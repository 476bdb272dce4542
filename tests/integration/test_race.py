"""A slot is never given twice: 20 clients race for one time with the same stylist."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.domain.models import ServiceLine
from handlers.appointments import reschedule
from handlers.results import Outcome
from tests.factories import NOW, local, standard_world
from tests.together import all_at_once

RACERS = 20


def test_twenty_threads_one_slot_exactly_one_wins(db):
    world = standard_world()
    ids = []
    # Twenty clients, each with a haircut with Maria on a different day in December.
    clients = [world.add_client(f"Client {i}") for i in range(RACERS)]
    appointments = [world.book(c, ("Haircut", "Maria", f"2026-12-{i + 1:02d} 09:00"), booked_at=NOW - timedelta(days=5))
                    for i, c in enumerate(clients)]
    with db.write() as session:
        session.add(world.salon)
    ids = [(c.id, a.id) for c, a in zip(clients, appointments)]
    target = local("2026-11-28 11:00")   # Saturday, free

    def race(i):
        client_id, appointment_id = ids[i]
        return reschedule(db, client_id=client_id, appointment_id=appointment_id,
                          new_start=target, now=NOW, channel="sms").outcome

    outcomes = all_at_once(RACERS, race)
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    results = [o for o in outcomes if not isinstance(o, BaseException)]
    assert not errors, errors
    assert results.count(Outcome.DONE) == 1
    assert results.count(Outcome.UNAVAILABLE) == RACERS - 1
    with db.read() as session:
        at_target = session.scalars(select(ServiceLine).where(ServiceLine.starts_at == target)).all()
    assert len(at_target) == 1
