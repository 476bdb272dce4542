"""What a portal action reports back to whichever channel asked."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.events import Event
from bot.domain.rules import Decision


class Outcome(str, enum.Enum):
    DONE = "done"
    NOT_ALLOWED = "not_allowed"   # the rules say no; `decision` says why
    UNAVAILABLE = "unavailable"   # the time is not open (taken meanwhile, or never was)
    NOT_FOUND = "not_found"       # no such appointment for this client


@dataclass(frozen=True)
class ActionResult:
    outcome: Outcome
    appointment_ids: tuple[int, ...] = ()
    decision: Decision | None = None
    new_start: datetime | None = None
    offers: tuple[datetime, ...] = ()      # open starts to offer instead
    events: tuple[Event, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.DONE
