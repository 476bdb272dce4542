"""One reminder per appointment, a set number of hours before it starts.

A reminder is how most clients first reach the bot: they answer it with C,
R or X. So queuing a reminder also tells the client's SMS conversation that
the bot now waits for that answer, in the same transaction, and the
dialogue reads the reply against the right appointment. Reminders respect
the salon's quiet hours (on its own wall clock, usually spanning midnight):
one that falls inside them waits for the morning, or is dropped if the
appointment would already have started by then.

`sms_conversation`, `await_reply` and `after_quiet_hours` are shared with the
cancellation follow-ups (bot.messaging.followups), which ask the same way.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.messaging import texts
from bot.domain.models import (ACTIVE_STATUSES, Appointment, AuditEvent, Client, Conversation, Outbox, Salon,
                               SalonSettings, ServiceLine)
from bot.messaging.outbox import enqueue
from bot.domain.timezones import as_utc, first_instant_at, to_local


def queue_reminders(session: Session, now: datetime) -> int:
    """Queue the reminders now due in every salon; returns how many were queued."""
    now = as_utc(now)
    return sum(_remind(session, salon, settings, appointment, now)
               for salon, settings in texting_salons(session)
               for appointment in _due(session, salon, settings, now))


def texting_salons(session: Session) -> Iterator[tuple[Salon, SalonSettings]]:
    """Every salon that has a number to text from, with its settings."""
    for salon in session.scalars(select(Salon).order_by(Salon.id)):
        if salon.numbers:
            yield salon, salon.settings or SalonSettings()


def _due(session: Session, salon: Salon, settings: SalonSettings, now: datetime) -> list[Appointment]:
    """Active appointments starting within the reminder window, not yet reminded,
    of clients who still take texts."""
    first = (select(ServiceLine.appointment_id, func.min(ServiceLine.starts_at).label("starts_at"))
             .group_by(ServiceLine.appointment_id).subquery())
    reminded = exists().where(Outbox.appointment_id == Appointment.id, Outbox.kind == "reminder")
    horizon = now + timedelta(hours=settings.reminder_hours_before)
    # The client set this time themselves a moment ago (within the reminder's
    # lead time) and was just told "see you then": a reminder now is noise.
    just_set = exists().where(AuditEvent.appointment_id == Appointment.id, AuditEvent.actor == "client",
                              AuditEvent.kind.in_(("appointment_rescheduled", "appointment_booked")),
                              AuditEvent.created_at >= now - timedelta(hours=settings.reminder_hours_before))
    return list(session.scalars(
        select(Appointment)
        .join(first, first.c.appointment_id == Appointment.id)
        .join(Client, Client.id == Appointment.client_id)
        .where(Appointment.salon_id == salon.id, Appointment.status.in_(ACTIVE_STATUSES),
               first.c.starts_at > now, first.c.starts_at <= horizon,
               Client.opted_out.is_(False), ~reminded, ~just_set)
        .order_by(first.c.starts_at, Appointment.id)))


def _remind(session: Session, salon: Salon, settings: SalonSettings, appointment: Appointment,
            now: datetime) -> int:
    start = appointment.starts_at
    due = after_quiet_hours(now, settings, salon.timezone)
    if due >= start:
        return 0     # quiet until after it starts: a reminder then would be noise
    client, line = appointment.client, appointment.lines[0]
    lang = client.language
    body = texts.text("reminder", lang, name=client.first_name, service=line.service.display_name(lang),
                        staff=line.staff.name, salon=salon.name,
                        when=texts.when(to_local(start, salon.timezone), lang))
    conversation = sms_conversation(session, client, now)
    row = enqueue(session, salon=salon, to_phone=client.phone, body=body, kind="reminder", client=client,
                  appointment_id=appointment.id, conversation_id=conversation.id, due_at=due,
                  dedupe_key=f"reminder:{appointment.id}")
    if row is None:
        return 0
    await_reply(conversation, "reminder_reply", appointment.id, lang, now)
    return 1


def after_quiet_hours(moment: datetime, settings: SalonSettings, tz: str) -> datetime:
    """`moment`, or the end of the salon's quiet hours when it falls inside them.

    Quiet hours are wall-clock times in the salon's zone, [start, end); when
    start is after end (21:00 to 08:00) they span midnight. Equal times mean none.
    """
    start, end = settings.quiet_hours_start, settings.quiet_hours_end
    if start == end:
        return moment
    local = to_local(moment, tz)
    now = local.time()
    quiet = (start <= now < end) if start < end else (now >= start or now < end)
    if not quiet:
        return moment
    day = local.date() if now < end else local.date() + timedelta(days=1)
    # Never before `moment` (the second time round when clocks go back), and
    # when clocks jump past the end, the jump.
    return first_instant_at(datetime.combine(day, end), tz, not_before=moment)


def sms_conversation(session: Session, client: Client, now: datetime) -> Conversation:
    """The client's SMS conversation with their salon, made if there is none yet.

    The inbound webhook may create the same row at the same moment; the
    savepoint lets us lose that race and read theirs.
    """
    query = select(Conversation).where(Conversation.salon_id == client.salon_id, Conversation.channel == "sms",
                                       Conversation.address == client.phone)
    conversation = session.scalar(query)
    if conversation is None:
        conversation = Conversation(salon_id=client.salon_id, client_id=client.id, channel="sms",
                                    address=client.phone, state={}, created_at=now, updated_at=now)
        try:
            with session.begin_nested():
                session.add(conversation)
        except IntegrityError:
            conversation = session.scalars(query).one()
    if conversation.client_id is None:
        conversation.client_id = client.id
    return conversation


def await_reply(conversation: Conversation, awaiting: str, appointment_id: int, lang: str, now: datetime) -> None:
    """Tell the dialogue what the bot just asked, so the client's answer is read against it."""
    conversation.state = {"awaiting": awaiting, "appointment_id": appointment_id, "asked_at": now.isoformat(),
                          "lang": lang}
    conversation.updated_at = now
