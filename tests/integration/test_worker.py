"""The worker, with the real twilio library talking HTTP to a fake Twilio on
loopback, on SQLite and PostgreSQL. Every `now` is fixed: backoff is checked
by running the worker at chosen instants, never by waiting."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.domain.models import Appointment, Client, Conversation, Message, Outbox, Salon
from bot.messaging.outbox import enqueue
from bot.messaging.transports import ConsoleTransport
from bot.messaging.worker import LEASE, MAX_ATTEMPTS, UNSUBSCRIBED_FLAG, _claim, Stats, backoff, run_once
from tests.factories import NOW, standard_world
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, twilio_api  # noqa: F401  (fixture)
from webhooks import cli
from webhooks.twilio_transport import TwilioTransport

CALLBACK = "https://salon.example/sms/status"


@pytest.fixture
def transport(twilio_api):
    transport = TwilioTransport(ACCOUNT_SID, AUTH_TOKEN, api_url=twilio_api.url, timeout=0.5)
    yield transport
    transport.close()


def build_world(db, book: bool = True):
    world = standard_world()
    ana = world.add_client("Ana Garcia")
    world.add_client("Ben Ortiz")
    if book:
        world.book(ana, ("Haircut", "Maria", "2026-11-25 15:00"))
    with db.write() as session:
        session.add(world.salon)
    return world


@pytest.fixture
def world(db):
    return build_world(db)


def queue(db, client_name: str = "Ana Garcia", body: str = "Hello from the salon", kind: str = "client_booked",
          **kw) -> int:
    with db.write() as session:
        salon = session.scalars(select(Salon)).one()
        client = session.scalars(select(Client).where(Client.name == client_name)).one()
        row = enqueue(session, salon=salon, to_phone=client.phone, body=body, kind=kind, client=client,
                      due_at=kw.pop("due_at", NOW), **kw)
        session.flush()
        return row.id


def outbox(db, row_id: int) -> Outbox:
    with db.read() as session:
        return session.get(Outbox, row_id)


def client(db, name: str = "Ana Garcia") -> Client:
    with db.read() as session:
        return session.scalars(select(Client).where(Client.name == name)).one()


def transcript(db, phone: str) -> list[tuple[str, str, str]]:
    with db.read() as session:
        return [(m.direction, m.author, m.body) for m in session.scalars(
            select(Message).join(Conversation).where(Conversation.address == phone).order_by(Message.id))]


def test_a_due_text_is_sent_through_twilio_and_recorded(db, world, transport, twilio_api):
    row_id = queue(db)
    stats = run_once(db, transport, NOW, CALLBACK)
    assert stats == Stats(sent=1)
    [call] = twilio_api.calls
    ana = client(db)
    assert call.authorized and call.account_sid == ACCOUNT_SID
    assert call.params == {"To": ana.phone, "From": "+12125550100", "Body": "Hello from the salon",
                           "StatusCallback": CALLBACK}
    row = outbox(db, row_id)
    assert (row.status, row.attempts, row.sent_at, row.error_code) == ("sent", 1, NOW, None)
    assert row.provider_sid.startswith("SM") and len(row.provider_sid) == 34
    assert transcript(db, ana.phone) == [("out", "bot", "Hello from the salon")]


def test_without_a_public_url_no_status_callback_is_sent(db, world, transport, twilio_api):
    queue(db)
    run_once(db, transport, NOW, None)
    assert "StatusCallback" not in twilio_api.calls[0].params


def test_a_text_not_yet_due_waits(db, world, transport, twilio_api):
    row_id = queue(db, due_at=NOW + timedelta(minutes=5))
    assert run_once(db, transport, NOW, CALLBACK) == Stats()
    assert twilio_api.calls == [] and outbox(db, row_id).status == "pending"


def test_429_is_retried_after_backoff_then_sent(db, world, transport, twilio_api):
    row_id = queue(db)
    twilio_api.fail_next("429")
    assert run_once(db, transport, NOW, CALLBACK) == Stats(retried=1)
    row = outbox(db, row_id)
    assert (row.status, row.attempts, row.due_at) == ("pending", 1, NOW + timedelta(seconds=30))
    assert "429" in row.last_error

    assert run_once(db, transport, NOW + timedelta(seconds=29), CALLBACK) == Stats()
    assert run_once(db, transport, NOW + timedelta(seconds=30), CALLBACK) == Stats(sent=1)
    row = outbox(db, row_id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)
    assert [c.answered for c in twilio_api.calls] == [429, 201]


def test_500s_back_off_exponentially_and_give_up_after_the_last_try(db, world, transport, twilio_api):
    row_id = queue(db)
    twilio_api.fail_next(*["500"] * MAX_ATTEMPTS)
    now = NOW
    for attempt in range(1, MAX_ATTEMPTS):
        assert run_once(db, transport, now, CALLBACK) == Stats(retried=1)
        row = outbox(db, row_id)
        assert (row.status, row.attempts, row.due_at) == ("pending", attempt, now + backoff(attempt))
        now = row.due_at
    assert run_once(db, transport, now, CALLBACK) == Stats(failed=1)
    row = outbox(db, row_id)
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert "500" in row.last_error
    assert len(twilio_api.calls) == MAX_ATTEMPTS
    assert run_once(db, transport, now + timedelta(days=1), CALLBACK) == Stats()


def test_a_timeout_is_retried(db, world, transport, twilio_api):
    row_id = queue(db)
    twilio_api.fail_next("slow")   # answers after 2 s; the client gives up after 0.5 s
    assert run_once(db, transport, NOW, CALLBACK) == Stats(retried=1)
    row = outbox(db, row_id)
    assert (row.status, row.attempts) == ("pending", 1)
    assert "Timeout" in row.last_error
    assert run_once(db, transport, row.due_at, CALLBACK) == Stats(sent=1)


def test_a_connection_refused_is_retried(db, world, twilio_api):
    row_id = queue(db)
    url = twilio_api.url
    twilio_api.stop()
    down = TwilioTransport(ACCOUNT_SID, AUTH_TOKEN, api_url=url, timeout=0.5)
    try:
        assert run_once(db, down, NOW, CALLBACK) == Stats(retried=1)
    finally:
        down.close()
    assert outbox(db, row_id).status == "pending"


def test_21610_gives_up_opts_the_client_out_and_flags_the_conversation(db, world, transport, twilio_api):
    first, second = queue(db, body="one"), queue(db, body="two")
    later = queue(db, body="three", due_at=NOW + timedelta(minutes=1))
    twilio_api.fail_next("21610")
    # The second text was claimed with the first; once the client is known gone it is not sent.
    assert run_once(db, transport, NOW, CALLBACK) == Stats(failed=1, skipped=1)
    row = outbox(db, first)
    assert (row.status, row.error_code) == ("failed", 21610)
    assert outbox(db, second).status == "skipped"
    ana = client(db)
    assert ana.opted_out and ana.opted_out_at == NOW
    with db.read() as session:
        conversation = session.scalars(select(Conversation).where(Conversation.address == ana.phone)).one()
        assert (conversation.flag, conversation.flagged_at, conversation.channel) == (UNSUBSCRIBED_FLAG, NOW, "sms")
        assert conversation.client_id == ana.id
    # A text queued before the opt-out is skipped when it falls due.
    assert run_once(db, transport, NOW + timedelta(minutes=1), CALLBACK) == Stats(skipped=1)
    assert outbox(db, later).status == "skipped"
    assert len(twilio_api.calls) == 1 and twilio_api.sent() == []


def test_an_invalid_number_gives_up_without_opting_out(db, world, transport, twilio_api):
    row_id = queue(db)
    twilio_api.fail_next("21211")
    assert run_once(db, transport, NOW, CALLBACK) == Stats(failed=1)
    row = outbox(db, row_id)
    assert (row.status, row.error_code) == ("failed", 21211)
    assert not client(db).opted_out


def test_a_client_who_opted_out_after_the_text_was_queued_gets_nothing(db, world, transport, twilio_api):
    row_id = queue(db)
    with db.write() as session:
        session.scalars(select(Client).where(Client.name == "Ana Garcia")).one().opted_out = True
    assert run_once(db, transport, NOW, CALLBACK) == Stats(skipped=1)
    assert outbox(db, row_id).status == "skipped"
    assert twilio_api.calls == []


def test_a_reminder_for_an_appointment_canceled_meanwhile_is_skipped(db, world, transport, twilio_api):
    with db.read() as session:
        appointment_id = session.scalars(select(Appointment.id)).one()
    row_id = queue(db, kind="reminder", appointment_id=appointment_id)
    with db.write() as session:
        session.get(Appointment, appointment_id).status = "canceled"
    assert run_once(db, transport, NOW, CALLBACK) == Stats(skipped=1)
    assert outbox(db, row_id).status == "skipped" and twilio_api.calls == []


def test_running_twice_sends_once(db, world, transport, twilio_api):
    queue(db)
    assert run_once(db, transport, NOW, CALLBACK) == Stats(sent=1)
    assert run_once(db, transport, NOW, CALLBACK) == Stats()
    assert len(twilio_api.calls) == 1


def test_two_workers_at_once_send_each_text_once(db, world, transport, twilio_api):
    ids = [queue(db, body=f"text {i}", client_name=("Ana Garcia", "Ben Ortiz")[i % 2]) for i in range(30)]
    start = threading.Barrier(3)
    results: list[Stats] = []

    def worker() -> None:
        start.wait()
        results.append(run_once(db, transport, NOW, CALLBACK, limit=7))
        results.append(run_once(db, transport, NOW, CALLBACK, limit=100))

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(s.sent for s in results) == 30
    bodies = sorted(c.params["Body"] for c in twilio_api.calls)
    assert bodies == sorted(f"text {i}" for i in range(30))
    assert {outbox(db, i).status for i in ids} == {"sent"}


def test_a_row_whose_worker_died_mid_send_is_sent_when_its_lease_runs_out(db, world, transport, twilio_api):
    row_id = queue(db)
    _claim(db, NOW, 10, Stats())          # claimed, then the worker vanished
    assert outbox(db, row_id).status == "sending"
    assert run_once(db, transport, NOW + LEASE - timedelta(seconds=1), CALLBACK) == Stats()
    assert run_once(db, transport, NOW + LEASE, CALLBACK) == Stats(sent=1)
    assert outbox(db, row_id).attempts == 2


def test_a_salon_with_its_own_twilio_account_sends_from_it(db, world, transport, twilio_api):
    own_sid, own_token = "AC" + "b2" * 16, "salon-own-token"
    twilio_api.accounts[own_sid] = own_token
    with db.write() as session:
        salon = session.scalars(select(Salon)).one()
        salon.twilio_account_sid, salon.twilio_auth_token = own_sid, own_token
    queue(db)
    assert run_once(db, transport, NOW, CALLBACK) == Stats(sent=1)
    assert twilio_api.calls[0].account_sid == own_sid and twilio_api.calls[0].authorized


def test_wrong_credentials_are_a_permanent_failure(db, world, twilio_api):
    row_id = queue(db)
    wrong = TwilioTransport(ACCOUNT_SID, "not-the-token", api_url=twilio_api.url, timeout=0.5)
    try:
        assert run_once(db, wrong, NOW, CALLBACK) == Stats(failed=1)
    finally:
        wrong.close()
    assert outbox(db, row_id).error_code == 20003


def test_a_text_to_the_salon_has_no_transcript(db, world, transport, twilio_api):
    with db.write() as session:
        salon = session.scalars(select(Salon)).one()
        row = enqueue(session, salon=salon, to_phone="+12125550199", body="Ana moved", kind="salon_moved",
                      due_at=NOW)
        session.flush()
        row_id = row.id
    assert run_once(db, transport, NOW, CALLBACK) == Stats(sent=1)
    assert outbox(db, row_id).status == "sent"
    with db.read() as session:
        assert session.scalars(select(Message)).all() == []


def test_the_console_transport_prints_the_text(db, world, capsys):
    queue(db, body="See you tomorrow")
    assert run_once(db, ConsoleTransport(), NOW, None) == Stats(sent=1)
    out = capsys.readouterr().out
    assert "SMS from +12125550100 to +1212555" in out and "See you tomorrow" in out


# -- the `salonbot worker` command --

# The command reads the wall clock, so these texts fell due long ago.
LONG_AGO = NOW.replace(year=2000)


def test_worker_once_reads_twilio_settings_from_the_environment(sqlite_db, twilio_api, monkeypatch, capsys):
    db = sqlite_db
    build_world(db, book=False)     # no appointment a wall-clock reminder could pick up
    queue(db, due_at=LONG_AGO)
    monkeypatch.setenv("DATABASE_URL", db.url.render_as_string(hide_password=False))
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT_SID)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    monkeypatch.setenv("TWILIO_API_URL", twilio_api.url)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://salon.example/")
    assert cli.main(["worker", "--once"]) == 0
    [call] = twilio_api.calls
    assert call.authorized and call.params["StatusCallback"] == "https://salon.example/sms/status"
    assert "sent=1" in capsys.readouterr().out


def test_worker_once_without_credentials_prints_the_texts(sqlite_db, monkeypatch, capsys):
    db = sqlite_db
    build_world(db, book=False)     # no appointment a wall-clock reminder could pick up
    queue(db, body="Your appointment is tomorrow", due_at=LONG_AGO)
    monkeypatch.setenv("DATABASE_URL", db.url.render_as_string(hide_password=False))
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_URL", "PUBLIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    assert cli.main(["worker", "--once"]) == 0
    out = capsys.readouterr().out
    assert "--- SMS from +12125550100 to +12125551001 ---" in out and "Your appointment is tomorrow" in out


def test_the_worker_stops_cleanly_on_sigterm(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}", "TWILIO_ACCOUNT_SID": "",
           "TWILIO_AUTH_TOKEN": ""}
    subprocess.run([sys.executable, "-m", "webhooks.cli", "db", "upgrade"], env=env, check=True, capture_output=True)
    worker = subprocess.Popen([sys.executable, "-m", "webhooks.cli", "worker", "--poll", "0.2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "worker:" in worker.stdout.readline()      # started and announced itself
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=20)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.communicate()
    assert worker.returncode == 0, err
    assert "worker: stopped" in out


def test_a_worker_told_to_stop_hands_back_what_it_has_not_tried(db, world, twilio_api):
    ids = [queue(db, body=f"text {i}") for i in range(3)]
    stop = threading.Event()

    class StopsAfterOne:
        def __init__(self, inner):
            self.inner = inner

        def send(self, *args, **kwargs):
            stop.set()                     # SIGTERM arrives while the first text is being sent
            return self.inner.send(*args, **kwargs)

    transport = TwilioTransport(ACCOUNT_SID, AUTH_TOKEN, api_url=twilio_api.url, timeout=2)
    try:
        assert run_once(db, StopsAfterOne(transport), NOW, CALLBACK, stop_event=stop) == Stats(sent=1)
    finally:
        transport.close()
    rows = [outbox(db, i) for i in ids]
    assert [(r.status, r.attempts, r.due_at) for r in rows[1:]] == [("pending", 0, NOW)] * 2
    assert rows[0].status == "sent" and len(twilio_api.calls) == 1
