"""Queue texts in the transaction that causes them; the worker sends them.

Nothing here talks to a provider: a row written here is sent later by the
worker (bot.messaging.worker), so a change and the messages it causes are committed
together or not at all, and a provider outage delays texts without losing
them.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.conversation.texts import joined
from bot.domain.events import AppointmentBooked, AppointmentCanceled, AppointmentRescheduled, Event
from bot.domain.models import Appointment, Client, Outbox, Salon, utcnow
from bot.domain.timezones import to_local
from bot.messaging import texts
from bot.messaging.gsm7 import fold_to_gsm7


def enqueue(session: Session, *, salon: Salon, to_phone: str, body: str, kind: str,
            client: Client | None = None, appointment_id: int | None = None,
            conversation_id: int | None = None, due_at: datetime | None = None,
            dedupe_key: str | None = None) -> Outbox | None:
    """Queue one text. Returns None, queuing nothing, for a client who opted
    out, a salon with no number to send from, or a dedupe key already used."""
    if client is not None and client.opted_out:
        return None
    if not salon.numbers:
        return None
    if dedupe_key and session.scalar(select(Outbox.id).where(Outbox.dedupe_key == dedupe_key)) is not None:
        return None
    row = Outbox(salon_id=salon.id, client_id=client.id if client else None, appointment_id=appointment_id,
                 conversation_id=conversation_id, kind=kind, to_phone=to_phone,
                 from_phone=salon.numbers[0].phone, body=fold_to_gsm7(body), due_at=due_at or utcnow(),
                 dedupe_key=dedupe_key)
    session.add(row)
    return row


def notify_change(session: Session, event: Event) -> None:
    """A client changed their own appointment: tell them (unless they did it by
    text, where the reply already says so) and tell the salon. Staff changes
    never reach here: only client actions emit events with by="client"."""
    if event.by != "client":
        return
    appointments = [a for a in (session.get(Appointment, i) for i in event.appointment_ids) if a is not None]
    if not appointments:
        return
    client = session.get(Client, event.client_id)
    # The client's own appointment first (a group's primary contact moves others too).
    appointments.sort(key=lambda a: a.client_id != event.client_id)
    appointment = appointments[0]
    salon = appointment.salon
    tz = salon.timezone
    if isinstance(event, AppointmentRescheduled):
        kind, times = "moved", {"new": event.new_start, "old": event.old_start}
    elif isinstance(event, AppointmentCanceled):
        kind, times = "canceled", {"when": event.start}
    elif isinstance(event, AppointmentBooked):
        kind, times = "booked", {"new": event.start}
    else:
        return
    local = {name: to_local(moment, tz) for name, moment in times.items()}
    # Each text is written only when it goes out: a change made by text, at
    # a salon with no number to tell, sends none.
    if event.channel != "sms":
        lang = client.language
        client_text = texts.text(f"client_{kind}", lang, salon=salon.name,
                                   service=_services(appointment, lang), staff=_staff(appointment),
                                   **{n: texts.when(t, lang) for n, t in local.items()})
        enqueue(session, salon=salon, to_phone=client.phone, body=client_text, kind=f"client_{kind}",
                client=client, appointment_id=appointment.id)
    if salon.notification_phone:
        salon_text = texts.text(f"salon_{kind}", "en", client=client.name, what=_what(appointments, client),
                                  channel=event.channel,
                                  **{n: texts.when(t) for n, t in local.items()})
        enqueue(session, salon=salon, to_phone=salon.notification_phone, body=salon_text,
                kind=f"salon_{kind}", appointment_id=appointment.id)


def _services(appointment: Appointment, lang: str = "en") -> str:
    """Every service of the appointment, not only its first ("Gel Manicure & Pedicure")."""
    return joined(appointment.service_names(lang), lang)


def _staff(appointment: Appointment) -> str:
    return " & ".join(appointment.staff_names())


def _what(appointments: list[Appointment], client: Client) -> str:
    """What changed, for the salon: each appointment's services and staff, and
    whose it is when it is another group member's (two named, then a count)."""
    parts = []
    for appt in appointments[:2]:
        whose = "" if appt.client_id == client.id else f" ({appt.client.name})"
        parts.append(f"{_services(appt)} with {_staff(appt)}{whose}")
    if len(appointments) > 2:
        parts.append(f"{len(appointments) - 2} more of the group")
    return "; ".join(parts)
