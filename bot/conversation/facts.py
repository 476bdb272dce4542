"""What the dialogue is told of the moment: the client, their upcoming
appointments with what the rules allow for each, and the salon."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.conversation.texts import joined
from bot.domain.rules import Decision


@dataclass(frozen=True)
class Booking:
    """One of the client's appointments as the conversation talks about it."""
    id: int
    start: datetime                    # salon wall clock, aware
    minutes: int
    service: str                       # every service of it, in the conversation's language
    staff: str                         # every staff member of it
    may_reschedule: Decision
    may_cancel: Decision
    aliases: tuple[str, ...] = ()      # its services' names in the other language, where they differ

    @property
    def ref(self) -> str:
        """How the language layer names it (nlu.AppointmentRef.ref)."""
        return str(self.id)

    @classmethod
    def of(cls, appointment, tz: ZoneInfo, lang: str, may_reschedule: Decision, may_cancel: Decision,
           staff: str | None = None) -> Booking:
        """An appointment (the ORM's or its rows: bot.domain.models.AppointmentSpan) as the conversation sees it."""
        start = appointment.starts_at
        service = joined(appointment.service_names(lang), lang)
        other = "es" if lang == "en" else "en"
        alias = joined(appointment.service_names(other), other)
        return cls(appointment.id, start.astimezone(tz), int((appointment.ends_at - start).total_seconds() // 60),
                   service, staff or " & ".join(appointment.staff_names()), may_reschedule, may_cancel,
                   (alias,) if alias != service else ())


@dataclass(frozen=True)
class Facts:
    now: datetime                      # aware
    tz: ZoneInfo
    lang: str                          # the client's language, or this message's
    client_name: str                   # first name
    salon_name: str
    salon_phone: str                   # as the client would dial it; may be ""
    policy: str                        # the cancellation policy in `lang`; may be ""
    bookings: tuple[Booking, ...]      # upcoming, soonest first
    offer_minutes: int = 30            # how long offered times stand
    rebook: Booking | None = None      # a canceled appointment the client was invited to book again
    staff: tuple[str, ...] = ()        # the salon's staff members, by name
    # The salon's opening hours by weekday ("mon".."sun"; None: closed), for reading times.
    hours: Mapping[str, tuple[time, time] | None] = field(default_factory=dict)
