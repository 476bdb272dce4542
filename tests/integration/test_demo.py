"""The demo salon: its shape, and that each special case is what it says."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from webhooks.cli import main
from bot.demo import seed_demo
from bot.domain.models import Appointment, Client, Salon, Service, Staff
from bot.domain.rules import Reason, may_cancel, may_reschedule
from handlers.appointments import offer_times
from tests.factories import NOW


@pytest.fixture
def demo(db):
    with db.write() as session:
        result = seed_demo(session, NOW)
        cases = {name: (appt.client_id, appt.id) for name, appt in result.cases.items()}
    return db, cases


def test_the_demo_salon_has_the_promised_shape(demo):
    db, _ = demo
    with db.read() as session:
        count = lambda model: session.scalar(select(func.count()).select_from(model))  # noqa: E731
        assert (count(Salon), count(Staff), count(Service), count(Client)) == (1, 3, 8, 60)
        assert 250 <= count(Appointment) <= 350
        services = session.scalars(select(Service)).all()
        assert sum(not s.online_booking for s in services) == 1
        assert any(s.processing_minutes for s in services) and any(s.buffer_minutes for s in services)
        starts = [a.starts_at for a in session.scalars(select(Appointment))]
        assert max(starts) - min(starts) <= timedelta(weeks=6)


def test_nothing_in_the_demo_is_booked_on_a_closure_or_a_day_off(demo):
    from bot.domain.models import Closure, ServiceLine, TimeOff
    db, _ = demo
    with db.read() as session:
        lines = session.scalars(select(ServiceLine)).all()
        for closure in session.scalars(select(Closure)):
            assert not [l for l in lines if closure.starts_at <= l.starts_at < closure.ends_at]
        for off in session.scalars(select(TimeOff)):
            assert not [l for l in lines if l.staff_id == off.staff_id and off.starts_at <= l.starts_at < off.ends_at]


EXPECTED = {
    "movable": (True, ()),
    "movable_es": (True, ()),
    "processing_time": (True, ()),
    "buffer_back_to_back": (True, ()),
    "group_primary": (True, ()),
    "two_upcoming_first": (True, ()),
    "edited_duration": (False, (Reason.DURATION_EDITED,)),
    "offline_service": (False, (Reason.SERVICE_NOT_ONLINE,)),
    "overlapping_services": (False, (Reason.OVERLAPPING_SERVICES,)),
    "group_member": (False, (Reason.GROUP_MEMBER,)),
    "inside_window": (False, (Reason.INSIDE_RESCHEDULE_WINDOW,)),
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_demo_case_is_what_it_says(demo, case):
    db, cases = demo
    allowed, reasons = EXPECTED[case]
    client_id, appointment_id = cases[case]
    with db.read() as session:
        appt, client = session.get(Appointment, appointment_id), session.get(Client, client_id)
        decision = may_reschedule(appt, client, appt.salon.settings, NOW)
        assert (decision.allowed, decision.reasons) == (allowed, reasons)
        if case == "inside_window":
            assert not may_cancel(appt, client, appt.salon.settings, NOW).allowed
    if allowed:
        offers = offer_times(db, client_id=client_id, appointment_id=appointment_id, now=NOW)
        assert len(offers.offers) == 3


def test_seeding_again_replaces_the_demo(demo):
    db, _ = demo
    with db.write() as session:
        seed_demo(session, NOW)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Salon)) == 1
        assert session.scalar(select(func.count()).select_from(Client)) == 60


def test_the_commands_print_json_for_scripts(sqlite_db, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", str(sqlite_db.url))
    assert main(["seed-demo", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["salon"]["sms_number"] == "+12125550100"
    assert len(data["clients"]) == 60
    client = next(c for c in data["clients"] if c["phone"] == data["cases"]["movable"]["phone"])
    assert client["upcoming"][0]["lines"][0]["staff"] == "Maria"

    assert main(["appointments", "--phone", "(212) 555-1000", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["id"] == data["cases"]["movable"]["appointment_id"]
    assert rows[0]["lines"][0]["service"] == "Haircut"
    assert rows[0]["start"].endswith(("-05:00", "-04:00"))      # shown in the salon's zone

    assert main(["appointments", "--phone", "not a number"]) == 2
    assert "not a valid phone number" in capsys.readouterr().err
    assert main(["appointments", "--phone", "+12125559999"]) == 1


def test_seeding_over_a_demo_from_an_older_salonbot_rebuilds_it(tmp_path, monkeypatch, capsys):
    """A demo database made before migrations, and before a column existed, is rebuilt, not a crash."""
    import sqlite3
    url = f"sqlite:///{tmp_path / 'old.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["seed-demo"]) == 0
    with sqlite3.connect(tmp_path / "old.db") as conn:
        conn.execute("DROP TABLE alembic_version")
        conn.execute("ALTER TABLE salon DROP COLUMN setup_version")
    capsys.readouterr()
    assert main(["seed-demo", "--json"]) == 0
    out = capsys.readouterr()
    assert "older salonbot" in out.err and json.loads(out.out)["salon"]["slug"] == "demo"


def test_demo_info_lists_what_seed_demo_listed_and_what_changed_since_without_changing_anything(
        tmp_path, monkeypatch, capsys):
    import sqlite3
    from webhooks import cli
    path = tmp_path / "demo.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setattr(cli, "clock", lambda: NOW)
    assert main(["seed-demo", "--json"]) == 0
    seeded = json.loads(capsys.readouterr().out)
    assert main(["demo-info", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == seeded          # the same listing, shared

    # Someone exploring the demo cancels an appointment by text; demo-info shows it and changes nothing.
    movable = seeded["cases"]["movable"]
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE appointment SET status = 'canceled' WHERE id = ?", (movable["appointment_id"],))
    before = list(sqlite3.connect(path).iterdump())
    assert main(["demo-info"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("The demo salon Bloom Hair & Spa: 60 clients,")
    assert f"movable                client {movable['phone']}  appointment #{movable['appointment_id']}" in out
    assert out.split("  movable ")[1].splitlines()[0].endswith("canceled")
    assert main(["demo-info", "--json"]) == 0
    now = json.loads(capsys.readouterr().out)
    assert now["cases"]["movable"]["status"] == "canceled"
    assert next(c for c in now["clients"] if c["id"] == movable["client_id"])["upcoming"] == []
    assert list(sqlite3.connect(path).iterdump()) == before


def test_demo_info_without_a_demo_says_how_to_make_one(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    assert main(["demo-info"]) == 1
    assert "run salonbot seed-demo" in capsys.readouterr().err
    assert main(["db", "upgrade"]) == 0
    assert main(["demo-info", "--json"]) == 1
    assert "run salonbot seed-demo" in capsys.readouterr().err
