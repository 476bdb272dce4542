"""A slot is never given twice: 20 clients race for one time with the same stylist."""
from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from bot.models import ServiceLine
from handlers.appointments import reschedule
from handlers.results import Outcome
from tests.factories import NOW, local, standard_world

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
    barrier = threading.Barrier(RACERS)
    results, errors = [None] * RACERS, []

    def race(i):
        client_id, appointment_id = ids[i]
        try:
            barrier.wait(timeout=30)
            results[i] = reschedule(db, client_id=client_id, appointment_id=appointment_id,
                                    new_start=target, now=NOW, channel="sms").outcome
        except Exception as error:   # noqa: BLE001 - any error is a failure of the test
            errors.append(error)

    threads = [threading.Thread(target=race, args=(i,)) for i in range(RACERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert results.count(Outcome.DONE) == 1
    assert results.count(Outcome.UNAVAILABLE) == RACERS - 1
    with db.read() as session:
        at_target = session.scalars(select(ServiceLine).where(ServiceLine.starts_at == target)).all()
    assert len(at_target) == 1
