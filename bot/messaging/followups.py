"""One text inviting a client who canceled to book again.

Only cancellations the client made (an audit event with actor "client": a
salon that cancels on someone does not then ask them back), `followup_days`
after the cancellation (a salon setting), and only while the client has
booked nothing since. The text names the same staff member, and the client's
SMS conversation is left awaiting the answer, so "R" starts the dialogue's
rebooking exchange. Appointments the client could not rebook by text (a
group, a service not bookable online, a staff member who left) get no
invitation: it would promise what the bot cannot do.

A cancellation more than FOLLOWUP_WINDOW past its day (the worker was down)
is left alone rather than answered late.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from bot.messaging import texts
from bot.domain.models import (ACTIVE_STATUSES, CANCELED_STATUSES, Appointment, AuditEvent, Client, Outbox, Salon,
                        SalonSettings)
from bot.messaging.outbox import enqueue
from bot.messaging.reminders import after_quiet_hours, await_reply, sms_conversation, texting_salons
from bot.domain.rules import may_rebook
from bot.domain.timezones import as_utc

FOLLOWUP_WINDOW = timedelta(days=1)


def queue_followups(session: Session, now: datetime) -> int:
    """Queue the follow-ups now due in every salon; returns how many were queued."""
    now = as_utc(now)
    return sum(_invite(session, salon, settings, appointment, now)
               for salon, settings in texting_salons(session)
               for appointment in _due(session, salon, settings, now))


def _due(session: Session, salon: Salon, settings: SalonSettings, now: datetime) -> list[Appointment]:
    """Appointments the client canceled `followup_days` ago, with nothing booked since."""
    canceled = aliased(AuditEvent)
    canceled_at = func.coalesce(Appointment.canceled_at, canceled.created_at)
    newer = aliased(Appointment)
    rebooked = exists().where(newer.client_id == Appointment.client_id, newer.id != Appointment.id,
                              newer.status.in_(ACTIVE_STATUSES), newer.booked_at >= canceled_at)
    invited = exists().where(Outbox.appointment_id == Appointment.id, Outbox.kind == "followup")
    due_by = now - timedelta(days=settings.followup_days)
    rows = session.scalars(
        select(Appointment)
        .join(canceled, and_(canceled.appointment_id == Appointment.id, canceled.kind == "appointment_canceled",
                             canceled.actor == "client"))
        .join(Client, Client.id == Appointment.client_id)
        .where(Appointment.salon_id == salon.id, Appointment.status.in_(CANCELED_STATUSES),
               canceled_at <= due_by, canceled_at > due_by - FOLLOWUP_WINDOW,
               Client.opted_out.is_(False), ~rebooked, ~invited)
        .order_by(Appointment.id))
    return list(dict.fromkeys(rows))


def _invite(session: Session, salon: Salon, settings: SalonSettings, appointment: Appointment,
            now: datetime) -> int:
    client = appointment.client
    if not appointment.lines or not may_rebook(appointment, client, settings, now).allowed:
        return 0
    lang = client.language
    body = texts.text("followup", lang, name=client.first_name, salon=salon.name,
                        staff=appointment.lines[0].staff.name)
    conversation = sms_conversation(session, client, now)
    row = enqueue(session, salon=salon, to_phone=client.phone, body=body, kind="followup", client=client,
                  appointment_id=appointment.id, conversation_id=conversation.id,
                  due_at=after_quiet_hours(now, settings, salon.timezone),
                  dedupe_key=f"followup:{appointment.id}")
    if row is None:
        return 0
    await_reply(conversation, "followup", appointment.id, lang, now)
    return 1
