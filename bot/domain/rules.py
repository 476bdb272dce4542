"""The eligibility rules: may this client reschedule or cancel this appointment now?

One pure function per question. They read the appointment, the client asking
and the salon's settings, and return a Decision naming every reason that
applies, each with a plain sentence in English and Spanish, so every channel
(SMS, chat, portal, Rasa) refuses for the same reasons in the same words.

The rules follow how the best salon software works:
- clients reschedule only with the same staff member (enforced by the
  availability search, which only looks at that staff member's time);
- no self-rescheduling when a service line's length was changed by hand, when
  a service is not offered online, or when services overlap in time
  (overlapping buffer time is fine);
- in a group only the primary contact may act, and then on the whole group;
- self-rescheduling and self-cancelling are each a setting with a notice
  window, waived for 15 minutes after a client books online.
"""
from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain.models import (ACTIVE_STATUSES, CANCELED_STATUSES, Appointment, BookedVia, Client, SalonSettings,
                               Status)
from bot.domain.timezones import as_utc


class Reason(str, enum.Enum):
    NOT_YOUR_APPOINTMENT = "not_your_appointment"
    CANCELED = "canceled"
    COMPLETED = "completed"
    ALREADY_STARTED = "already_started"
    SELF_RESCHEDULE_OFF = "self_reschedule_off"
    SELF_CANCEL_OFF = "self_cancel_off"
    INSIDE_RESCHEDULE_WINDOW = "inside_reschedule_window"
    INSIDE_CANCEL_WINDOW = "inside_cancel_window"
    DURATION_EDITED = "duration_edited"
    SERVICE_NOT_ONLINE = "service_not_online"
    OVERLAPPING_SERVICES = "overlapping_services"
    GROUP_MEMBER = "group_member"
    RESCHEDULE_LIMIT = "reschedule_limit"
    STAFF_UNAVAILABLE = "staff_unavailable"
    NOT_CANCELED = "not_canceled"


# Each sentence completes "Sorry, ..." / "Lo siento, ..." and stays short
# enough for an SMS; {hours} and {limit} come from the salon's settings.
REASON_TEXT: dict[Reason, dict[str, str]] = {
    Reason.NOT_YOUR_APPOINTMENT: {
        "en": "that appointment is booked under someone else's name.",
        "es": "esa cita está a nombre de otra persona.",
    },
    Reason.CANCELED: {
        "en": "that appointment was already canceled.",
        "es": "esa cita ya estaba cancelada.",
    },
    Reason.COMPLETED: {
        "en": "that appointment has already taken place.",
        "es": "esa cita ya tuvo lugar.",
    },
    Reason.ALREADY_STARTED: {
        "en": "that appointment has already started or passed.",
        "es": "esa cita ya empezó o ya pasó.",
    },
    Reason.SELF_RESCHEDULE_OFF: {
        "en": "the salon doesn't take reschedules by message; the team will gladly move it for you.",
        "es": "el salón no cambia citas por mensaje; el equipo te la cambia con gusto.",
    },
    Reason.SELF_CANCEL_OFF: {
        "en": "the salon doesn't take cancellations by message; please contact the team.",
        "es": "el salón no cancela citas por mensaje; por favor contacta al equipo.",
    },
    Reason.INSIDE_RESCHEDULE_WINDOW: {
        "en": "appointments can only be moved online up to {hours} hours before they start.",
        "es": "las citas solo se pueden cambiar hasta {hours} horas antes de empezar.",
    },
    Reason.INSIDE_CANCEL_WINDOW: {
        "en": "appointments can only be canceled online up to {hours} hours before they start.",
        "es": "las citas solo se pueden cancelar hasta {hours} horas antes de empezar.",
    },
    Reason.DURATION_EDITED: {
        "en": "its length was set specially for you, so the team needs to find the new time.",
        "es": "su duración se ajustó especialmente para ti, así que el equipo debe buscar el nuevo horario.",
    },
    Reason.SERVICE_NOT_ONLINE: {
        "en": "it includes a service that is only booked by the salon team.",
        "es": "incluye un servicio que solo reserva el equipo del salón.",
    },
    Reason.OVERLAPPING_SERVICES: {
        "en": "it has services done at the same time, which the team has to line up again.",
        "es": "tiene servicios a la misma hora, que el equipo debe volver a coordinar.",
    },
    Reason.GROUP_MEMBER: {
        "en": "it is part of a group booking; the person who booked the group can change it.",
        "es": "es parte de una reserva de grupo; quien reservó el grupo puede cambiarla.",
    },
    Reason.RESCHEDULE_LIMIT: {
        "en": "it has already been moved {limit} times online, the most the salon allows.",
        "es": "ya se cambió {limit} veces en línea, el máximo que permite el salón.",
    },
    Reason.STAFF_UNAVAILABLE: {
        "en": "your stylist is not taking new bookings, so the team will help you choose someone.",
        "es": "tu estilista no está tomando reservas, así que el equipo te ayudará a elegir a alguien.",
    },
    Reason.NOT_CANCELED: {
        "en": "that appointment is still booked, so there is nothing to book again.",
        "es": "esa cita sigue reservada, así que no hay nada que volver a reservar.",
    },
}


@dataclass(frozen=True)
class Decision:
    """Allowed or not, with every reason that applies.

    `appointments` is what the action would apply to: the appointment itself,
    or the whole group when its primary contact asks.
    """

    allowed: bool
    reasons: tuple[Reason, ...] = ()
    appointments: tuple[Appointment, ...] = ()
    settings: SalonSettings | None = field(default=None, repr=False, compare=False)

    def explain(self, lang: str = "en") -> list[str]:
        """One plain sentence per reason, in the client's language."""
        return [explain(reason, lang, self.settings) for reason in self.reasons]


def explain(reason: Reason, lang: str = "en", settings: SalonSettings | None = None) -> str:
    text = REASON_TEXT[reason].get(lang) or REASON_TEXT[reason]["en"]
    if reason is Reason.INSIDE_RESCHEDULE_WINDOW:
        hours = settings.reschedule_notice_hours if settings else 24
    else:
        hours = settings.cancel_notice_hours if settings else 24
    limit = settings.max_self_reschedules if settings else 0
    return text.format(hours=hours, limit=limit)


def may_reschedule(appointment: Appointment, client: Client, settings: SalonSettings, now: datetime) -> Decision:
    """May `client` move `appointment` themselves, right now?"""
    now = as_utc(now)
    scope, reasons = _scope_and_membership(appointment, client)
    reasons += _status_reasons(scope, now)
    if not settings.allow_self_reschedule:
        reasons.append(Reason.SELF_RESCHEDULE_OFF)
    elif _inside_window(scope, settings.reschedule_notice_hours, settings, now):
        reasons.append(Reason.INSIDE_RESCHEDULE_WINDOW)
    if any(_duration_edited(appt) for appt in scope):
        reasons.append(Reason.DURATION_EDITED)
    if any(not line.service.online_booking for appt in scope for line in appt.lines):
        reasons.append(Reason.SERVICE_NOT_ONLINE)
    if any(_services_overlap(appt) for appt in scope):
        reasons.append(Reason.OVERLAPPING_SERVICES)
    if any(appt.self_reschedules >= settings.max_self_reschedules for appt in scope):
        reasons.append(Reason.RESCHEDULE_LIMIT)
    if any(not line.staff.active for appt in scope for line in appt.lines):
        reasons.append(Reason.STAFF_UNAVAILABLE)
    return _decide(reasons, scope, settings)


def may_cancel(appointment: Appointment, client: Client, settings: SalonSettings, now: datetime) -> Decision:
    """May `client` cancel `appointment` themselves, right now?

    How an appointment was put together (edited lengths, offline services,
    overlaps) matters only for finding a new time, so it does not stop a
    cancellation.
    """
    now = as_utc(now)
    scope, reasons = _scope_and_membership(appointment, client)
    reasons += _status_reasons(scope, now)
    if not settings.allow_self_cancel:
        reasons.append(Reason.SELF_CANCEL_OFF)
    elif _inside_window(scope, settings.cancel_notice_hours, settings, now):
        reasons.append(Reason.INSIDE_CANCEL_WINDOW)
    return _decide(reasons, scope, settings)


def may_rebook(appointment: Appointment, client: Client, settings: SalonSettings, now: datetime) -> Decision:
    """May `client` book a canceled appointment again, same services with the same staff?

    The structural rules of rescheduling apply (a new booking made by text is
    still an online booking). A group is booked again whole, by its primary
    contact: every member's canceled appointment, each with its own staff.
    """
    reasons: list[Reason] = []
    group = appointment.group
    if group is not None and same_client(group.primary_client, client):
        scope = sorted((a for a in group.appointments if a.status in CANCELED_STATUSES),
                       key=lambda a: (a.starts_at, a.id or 0)) \
            or [appointment]
    else:
        scope = [appointment]
        if group is not None and same_client(appointment.client, client):
            reasons.append(Reason.GROUP_MEMBER)
        elif not same_client(appointment.client, client):
            reasons.append(Reason.NOT_YOUR_APPOINTMENT)
    if appointment.status not in CANCELED_STATUSES:
        reasons.append(Reason.NOT_CANCELED)
    for appt in scope:
        if _duration_edited(appt):
            reasons.append(Reason.DURATION_EDITED)
        if any(not line.service.online_booking for line in appt.lines):
            reasons.append(Reason.SERVICE_NOT_ONLINE)
        if _services_overlap(appt):
            reasons.append(Reason.OVERLAPPING_SERVICES)
        if any(not line.staff.active for line in appt.lines):
            reasons.append(Reason.STAFF_UNAVAILABLE)
    return _decide(reasons, scope, settings)


def _decide(reasons: list[Reason], scope: Sequence[Appointment], settings: SalonSettings) -> Decision:
    unique = tuple(dict.fromkeys(reasons))
    return Decision(allowed=not unique, reasons=unique, appointments=tuple(scope), settings=settings)


def _scope_and_membership(appointment: Appointment, client: Client) -> tuple[list[Appointment], list[Reason]]:
    """What the client's request covers, and whether they may make it at all."""
    group = appointment.group
    if group is not None:
        if same_client(group.primary_client, client):
            members = [a for a in group.appointments if a.status in ACTIVE_STATUSES] or [appointment]
            return sorted(members, key=lambda a: (a.starts_at, a.id or 0)), []
        if same_client(appointment.client, client):
            return [appointment], [Reason.GROUP_MEMBER]
    if not same_client(appointment.client, client):
        return [appointment], [Reason.NOT_YOUR_APPOINTMENT]
    return [appointment], []


def same_client(a: Client | None, b: Client | None) -> bool:
    """The same person: the same object, or the same stored row."""
    return a is not None and b is not None and (a is b or (a.id is not None and a.id == b.id))


def _status_reasons(scope: Sequence[Appointment], now: datetime) -> list[Reason]:
    reasons: list[Reason] = []
    for appt in scope:
        if appt.status in (Status.CANCELED.value, Status.LATE_CANCELED.value):
            reasons.append(Reason.CANCELED)
        elif appt.status == Status.COMPLETED.value:
            reasons.append(Reason.COMPLETED)
        elif appt.status == Status.NO_SHOW.value or appt.starts_at <= now:
            reasons.append(Reason.ALREADY_STARTED)
    return reasons


def _inside_window(scope: Sequence[Appointment], notice_hours: int, settings: SalonSettings, now: datetime) -> bool:
    """Inside the notice window, unless every appointment was just booked online."""
    start = min(appt.starts_at for appt in scope)
    if start - now >= timedelta(hours=notice_hours):
        return False
    grace = timedelta(minutes=settings.online_grace_minutes)
    return not all(_in_online_grace(appt, grace, now) for appt in scope)


def _in_online_grace(appt: Appointment, grace: timedelta, now: datetime) -> bool:
    return appt.booked_via == BookedVia.ONLINE.value and timedelta(0) <= now - appt.booked_at <= grace


def _duration_edited(appt: Appointment) -> bool:
    return any(line.minutes != line.service.default_minutes for line in appt.lines)


def _services_overlap(appt: Appointment) -> bool:
    """Two services' own time overlaps. Buffers are not the service's time,
    so a buffer running into the next service does not count."""
    lines = sorted(appt.lines, key=lambda line: line.starts_at)
    latest_end = None
    for line in lines:
        if latest_end is not None and line.starts_at < latest_end:
            return True
        latest_end = line.ends_at if latest_end is None else max(latest_end, line.ends_at)
    return False
