"""What a booking action reports back to whichever channel asked."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.conversation.bookings import Outcome, Unavailable
from bot.domain.events import Event
from bot.domain.rules import Decision


@dataclass(frozen=True)
class ActionResult:
    outcome: Outcome
    appointment_ids: tuple[int, ...] = ()
    decision: Decision | None = None
    new_start: datetime | None = None
    offers: tuple[datetime, ...] = ()      # open starts to offer instead
    unavailable: Unavailable | None = None  # why nothing is open at the time asked, when nothing is
    events: tuple[Event, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.DONE
