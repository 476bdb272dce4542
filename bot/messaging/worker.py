"""The worker: sends what the outbox holds and records what the provider says.

Rows are claimed in one short transaction (PostgreSQL: FOR UPDATE SKIP
LOCKED, so two workers take different rows; SQLite: the IMMEDIATE write
transaction lets one worker in at a time), sent with no transaction open
(a slow provider must not hold locks), and the outcome is recorded in
another. A claimed row is "sending" with a lease: if the worker dies
mid-send, the row becomes due again when the lease runs out. That makes
delivery at-least-once: a crash between the provider's answer and our
record can send a text twice, which beats losing it.

Transient failures are retried with exponential backoff; permanent ones
give up. Twilio's 21610 (the client texted STOP to the carrier) also marks
the client opted out and flags their conversation for staff. Nothing is
ever sent to a client who has opted out. Each text sent to a client is
written to their SMS transcript, so staff see automated texts beside the
replies they caused.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.persistence.database import Database
from bot.messaging.followups import queue_followups
from bot.domain.models import Appointment, Client, Conversation, Message, Outbox, OutboxStatus, Salon, utcnow
from bot.messaging.reminders import queue_reminders, sms_conversation
from bot.domain.timezones import as_utc
from bot.messaging.transports import UNSUBSCRIBED, Account, PermanentSendError, SendResult, TransientSendError, Transport

log = logging.getLogger("salonbot.worker")

SENDING = OutboxStatus.SENDING.value
MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(seconds=30)    # then 2 min, 8 min, 32 min, 1 h
MAX_RETRY = timedelta(hours=1)
LEASE = timedelta(minutes=5)           # far longer than a send's timeout
BATCH = 50
UNSUBSCRIBED_FLAG = "undeliverable: unsubscribed"


@dataclass
class Stats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    reminders: int = 0
    followups: int = 0

    def summary(self) -> str:
        """One line, naming only what happened: "queued reminders 12; sent 12"."""
        queued = [f"{name} {n}" for name, n in (("reminders", self.reminders), ("follow-ups", self.followups)) if n]
        done = [f"{name} {n}" for name, n in (("sent", self.sent), ("retried", self.retried),
                                              ("failed", self.failed), ("skipped", self.skipped)) if n]
        return "; ".join(filter(None, ["queued " + ", ".join(queued) if queued else "", ", ".join(done)]))


@dataclass(frozen=True)
class Job:
    """A claimed row: what the send needs, read before the claim commits."""

    id: int
    client_id: int | None
    to: str
    from_: str
    body: str
    account: Account | None


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try: 30 s, 2 min, 8 min, ... at most an hour."""
    return min(FIRST_RETRY * 4 ** max(attempts - 1, 0), MAX_RETRY)


def run_once(db: Database, transport: Transport, now: datetime, status_callback_url: str | None = None,
             limit: int = BATCH, stop_event: threading.Event | None = None) -> Stats:
    """Send the texts due at `now` (up to `limit`) and record each outcome.
    When `stop_event` is set midway, the rows not yet tried are handed back at once."""
    now = as_utc(now)
    stats = Stats()
    unsubscribed: set[int] = set()     # clients a 21610 in this batch showed are gone
    jobs = _claim(db, now, limit, stats)
    for index, job in enumerate(jobs):
        if stop_event is not None and stop_event.is_set():
            _release(db, jobs[index:], now)
            break
        if job.client_id in unsubscribed:
            _skip(db, job, "client opted out", stats)
            continue
        try:
            result = transport.send(job.to, job.from_, job.body, status_callback_url, account=job.account)
        except PermanentSendError as error:
            _give_up(db, job, error, now, stats)
            if error.code == UNSUBSCRIBED and job.client_id:
                unsubscribed.add(job.client_id)
        except TransientSendError as error:
            _retry(db, job, str(error), now, stats)
        except Exception as error:   # a bug in a transport must not strand the row in "sending"
            log.exception("transport failed on outbox row %s", job.id)
            _retry(db, job, f"{type(error).__name__}: {error}", now, stats)
        else:
            _record_sent(db, job, result, now)
            stats.sent += 1
    return stats


def tick(db: Database, transport: Transport, now: datetime, status_callback_url: str | None = None,
         stop_event: threading.Event | None = None) -> Stats:
    """One turn of the worker: queue due reminders and follow-ups, then send."""
    counts = {}
    for name, job in (("reminders", queue_reminders), ("followups", queue_followups)):
        try:
            with db.write() as session:
                counts[name] = job(session, now)
        except Exception:   # e.g. two workers queued the same reminder: the next turn retries
            log.exception("queuing %s failed", name)
            counts[name] = 0
    stats = run_once(db, transport, now, status_callback_url, stop_event=stop_event)
    stats.reminders, stats.followups = counts["reminders"], counts["followups"]
    return stats


def run_forever(db: Database, transport: Transport, *, status_callback_url: str | None = None,
                poll_seconds: float = 5.0, stop_event: threading.Event,
                clock: Callable[[], datetime] = utcnow) -> None:
    """Tick every `poll_seconds` until `stop_event` is set (by SIGTERM/SIGINT in the CLI).
    A failing turn (the database restarting) is logged and the next one tried."""
    while not stop_event.is_set():
        try:
            stats = tick(db, transport, clock(), status_callback_url, stop_event)
            if any(vars(stats).values()):
                log.info("worker: %s", stats.summary())
        except Exception:
            log.exception("worker turn failed")
        stop_event.wait(poll_seconds)


# -- claim, send, record --

def _claim(db: Database, now: datetime, limit: int, stats: Stats) -> list[Job]:
    with db.write() as session:
        rows = session.scalars(
            select(Outbox)
            .where(Outbox.status.in_((OutboxStatus.PENDING.value, SENDING)), Outbox.due_at <= now)
            .order_by(Outbox.due_at, Outbox.id)
            .limit(limit)
            .with_for_update(skip_locked=True)).all()
        jobs = []
        for row in rows:
            reason = _no_send_reason(session, row, now)
            if reason is not None:
                row.status, row.last_error = OutboxStatus.SKIPPED.value, reason
                stats.skipped += 1
            elif row.attempts >= MAX_ATTEMPTS:     # its last lease ran out with no answer recorded
                row.status, row.last_error = OutboxStatus.FAILED.value, "no answer recorded after the last try"
                stats.failed += 1
            else:
                row.status, row.attempts, row.due_at = SENDING, row.attempts + 1, now + LEASE
                jobs.append(Job(row.id, row.client_id, row.to_phone, row.from_phone, row.body, _account(session, row)))
        return jobs


def _no_send_reason(session: Session, row: Outbox, now: datetime) -> str | None:
    client = session.get(Client, row.client_id) if row.client_id else None
    if client is not None and client.opted_out:
        return "client opted out"
    if row.kind == "reminder" and row.appointment_id:
        appointment = session.get(Appointment, row.appointment_id)
        if appointment is None or not appointment.lines or not appointment.is_active or appointment.starts_at <= now:
            return "appointment no longer upcoming"
    return None


def _account(session: Session, row: Outbox) -> Account | None:
    salon = session.get(Salon, row.salon_id)
    if salon is not None and salon.twilio_account_sid and salon.twilio_auth_token:
        return Account(salon.twilio_account_sid, salon.twilio_auth_token)
    return None


def _claimed(session: Session, job: Job) -> Outbox | None:
    """The row, locked, if it is still ours to record."""
    row = session.get(Outbox, job.id, with_for_update=True)
    return row if row is not None and row.status == SENDING else None


def _record_sent(db: Database, job: Job, result: SendResult, now: datetime) -> None:
    with db.write() as session:
        row = _claimed(session, job)
        if row is None:
            return
        row.status, row.provider_sid, row.sent_at = OutboxStatus.SENT.value, result.sid, now
        row.error_code = row.last_error = None
        _transcribe(session, row, now)


def _transcribe(session: Session, row: Outbox, now: datetime) -> None:
    """Write the text into the client's SMS transcript (texts to the salon have none)."""
    client = session.get(Client, row.client_id) if row.client_id else None
    if client is None:
        return
    conversation = session.get(Conversation, row.conversation_id) if row.conversation_id else None
    if conversation is None:
        conversation = sms_conversation(session, client, now)
        row.conversation_id = conversation.id
    session.add(Message(conversation=conversation, direction="out", author="bot", body=row.body,
                        provider_sid=row.provider_sid, created_at=now))
    conversation.updated_at = now


def _retry(db: Database, job: Job, error: str, now: datetime, stats: Stats) -> None:
    with db.write() as session:
        row = _claimed(session, job)
        if row is None:
            return
        row.last_error = error[:1000]
        if row.attempts >= MAX_ATTEMPTS:
            row.status = OutboxStatus.FAILED.value
            stats.failed += 1
        else:
            row.status, row.due_at = OutboxStatus.PENDING.value, now + backoff(row.attempts)
            stats.retried += 1


def _release(db: Database, jobs: list[Job], now: datetime) -> None:
    """Hand claimed rows back untried (the worker is stopping): due now, the try not counted."""
    with db.write() as session:
        for job in jobs:
            row = _claimed(session, job)
            if row is not None:
                row.status, row.due_at, row.attempts = OutboxStatus.PENDING.value, now, row.attempts - 1


def _skip(db: Database, job: Job, reason: str, stats: Stats) -> None:
    with db.write() as session:
        row = _claimed(session, job)
        if row is not None:
            row.status, row.last_error = OutboxStatus.SKIPPED.value, reason
            stats.skipped += 1


def _give_up(db: Database, job: Job, error: PermanentSendError, now: datetime, stats: Stats) -> None:
    with db.write() as session:
        row = _claimed(session, job)
        if row is None:
            return
        row.status, row.error_code, row.last_error = OutboxStatus.FAILED.value, error.code, str(error)[:1000]
        if error.code == UNSUBSCRIBED and row.client_id:
            mark_unsubscribed(session, session.get(Client, row.client_id), now)
        stats.failed += 1


def mark_unsubscribed(session: Session, client: Client | None, now: datetime) -> None:
    """The carrier says the client unsubscribed: send nothing more, and tell staff
    (they may want to reach the client another way)."""
    if client is None:
        return
    if not client.opted_out:
        client.opted_out, client.opted_out_at = True, now
    sms_conversation(session, client, now).raise_flag(UNSUBSCRIBED_FLAG, now)


# -- what the provider says later (status callbacks) --

# Twilio's statuses in the order a message moves through them; a callback
# never moves a row backwards (they can arrive out of order).
STATUS_RANK = {
    OutboxStatus.PENDING.value: 0, SENDING: 1, OutboxStatus.QUEUED.value: 2, OutboxStatus.SENT.value: 3,
    OutboxStatus.DELIVERED.value: 4, OutboxStatus.UNDELIVERED.value: 4, OutboxStatus.FAILED.value: 4,
}
CALLBACK_STATUSES = ("queued", "sent", "delivered", "undelivered", "failed")


def record_provider_status(session: Session, row: Outbox, status: str, error_code: int | None,
                           now: datetime) -> bool:
    """Apply a status the provider reported for `row`; False when it changes nothing."""
    if status not in CALLBACK_STATUSES or row.status == OutboxStatus.SKIPPED.value:
        return False
    if STATUS_RANK[status] <= STATUS_RANK.get(row.status, 0):
        return False
    row.status = status
    if error_code is not None:
        row.error_code = error_code
    if status in ("undelivered", "failed") and error_code == UNSUBSCRIBED and row.client_id:
        mark_unsubscribed(session, session.get(Client, row.client_id), now)
    return True
