"""What happened, in the past tense. Handlers emit these inside the
transaction that made the change; subscribers (audit, the outbox of automated
messages) act on them in that same transaction, so a change and its messages
are written together or not at all."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class AppointmentRescheduled:
    salon_id: int
    client_id: int
    appointment_ids: tuple[int, ...]
    old_start: datetime
    new_start: datetime
    by: str          # "client" or "staff": only a client's own change triggers automated messages
    channel: str


@dataclass(frozen=True)
class AppointmentCanceled:
    salon_id: int
    client_id: int
    appointment_ids: tuple[int, ...]
    start: datetime
    by: str
    channel: str


@dataclass(frozen=True)
class AppointmentBooked:
    salon_id: int
    client_id: int
    appointment_ids: tuple[int, ...]
    start: datetime
    by: str
    channel: str
    rebooked_from: int | None = None


Event = AppointmentRescheduled | AppointmentCanceled | AppointmentBooked
