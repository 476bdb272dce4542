"""The dialogue's port to the client's bookings: find times, move, cancel,
confirm, book again. Every channel hands the dialogue the same implementation
(handlers.bookings), bound to one client and one moment; tests hand it a fake.
A change re-checks the rules and the slot when it is made, so what the
dialogue was told a moment ago may have become "unavailable"."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from bot.conversation.facts import Booking

Window = tuple[datetime, datetime]


@dataclass(frozen=True)
class Unavailable:
    """Why the time asked for has nothing open, so the reply can say so:
    `reason` is "notice" (inside the notice window: `limit` is the earliest
    time by text), "horizon" (past the booking horizon: `limit` is the last),
    "closed" (the salon, that day), "off" (`staff` does not work that day),
    "busy" (`staff` is booked then) or "yours" (the client has another
    appointment then)."""
    reason: str
    day: date
    staff: str = ""
    limit: datetime | None = None


@dataclass(frozen=True)
class Offer:
    ok: bool
    starts: tuple[datetime, ...] = ()        # aware, any zone
    reasons: tuple[str, ...] = ()            # plain sentences when not ok
    unavailable: Unavailable | None = None   # why nothing is open at the time asked, when nothing is


class Outcome(str, enum.Enum):
    DONE = "done"
    NOT_ALLOWED = "not_allowed"              # the rules say no; `reasons` say why
    UNAVAILABLE = "unavailable"              # the time is not open (taken meanwhile, or never was)
    NOT_FOUND = "not_found"                  # no such appointment for this client


@dataclass(frozen=True)
class Change:
    outcome: Outcome
    starts: tuple[datetime, ...] = ()        # fresh times to offer when unavailable
    reasons: tuple[str, ...] = ()
    count: int = 1                           # appointments it covered: a group's, when its primary asks


class Bookings(Protocol):
    """The client's bookings, for one client at one moment."""

    def offer(self, appointment_id: int, window: Window | None, count: int) -> Offer: ...
    def move(self, appointment_id: int, start: datetime) -> Change: ...
    def cancel(self, appointment_id: int) -> Change: ...
    def confirm(self, appointment_id: int) -> Change: ...
    def offer_rebook(self, appointment_id: int, window: Window | None, count: int) -> Offer: ...
    def rebook(self, appointment_id: int, start: datetime) -> Change: ...
    def canceled(self) -> tuple[Booking, ...]:
        """The client's appointments canceled lately, newest first (what "book it again" may mean)."""
