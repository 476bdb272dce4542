"""What the bot remembers of a conversation between two messages.

The dialogue reads and writes a `ConversationState`; the database keeps it as
JSON (`Conversation.state`). The JSON is the one the bot has always written
(the same keys, times as ISO strings), so conversations stored by earlier
versions carry on where they were: `from_json(old).to_json() == old`.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

Span = tuple[datetime, datetime]


class Awaiting(str, enum.Enum):
    """What the bot's last message asked, so the next one is read as its answer."""
    NOTHING = "none"
    REMINDER_REPLY = "reminder_reply"                    # a reminder: C, R or X
    CANCEL_CONFIRMATION = "cancel_confirmation"          # YES to cancel, NO to keep
    RESCHEDULE_CONFIRMATION = "reschedule_confirmation"  # YES to move to `proposed`, NO to keep
    SLOT_CHOICE = "slot_choice"                          # a number from `offered`
    WHICH_APPOINTMENT = "which_appointment"              # a number from `listed`, a day or a service
    FOLLOWUP = "followup"                                # after a cancellation: R to book `appointment_id` again

    @property
    def exchange(self) -> bool:
        """A question about one appointment that an answer settles."""
        return self in (Awaiting.SLOT_CHOICE, Awaiting.RESCHEDULE_CONFIRMATION, Awaiting.CANCEL_CONFIRMATION)


class Mode(str, enum.Enum):
    """What times on offer are for."""
    MOVE = "move"        # moving `appointment_id`
    REBOOK = "rebook"    # booking the canceled `appointment_id` again


@dataclass(frozen=True)
class ConversationState:
    awaiting: Awaiting = Awaiting.NOTHING
    appointment_id: int | None = None         # the appointment the exchange is about
    offered: tuple[datetime, ...] = ()        # SLOT_CHOICE: the times offered, 1 first (aware)
    listed: tuple[int, ...] = ()              # WHICH_APPOINTMENT: the appointments listed, 1 first
    proposed: datetime | None = None          # RESCHEDULE_CONFIRMATION: the time asked about (aware)
    intent: str | None = None                 # WHICH_APPOINTMENT: the request to carry on with
    window: Span | None = None                # WHICH_APPOINTMENT: the time that request asked for (aware)
    windows: tuple[Span, ...] = ()            # WHICH_APPOINTMENT: several ("wed or thurs"; salon wall clock)
    mode: Mode | None = None
    seen: tuple[datetime, ...] = ()           # times offered earlier in this exchange, not offered again
    queue: tuple[int, ...] = ()               # the other appointments the same request is for, next after this one
    done: tuple[int, ...] = ()                # the appointments the last request was carried out on
    asked_at: datetime | None = None          # when the open question was asked (offers expire)
    lang: str | None = None                   # the language the conversation is in
    misunderstood: int = 0                    # messages not understood in a row
    told_unknown: bool = False                # an unknown number was told once
    opted_out_noted: bool = False             # staff were told once of texts after an opt-out

    def but(self, **changes: Any) -> ConversationState:
        return replace(self, **changes)

    # --- JSON, as stored ----------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.lang is not None:
            data["lang"] = self.lang
        if self.awaiting is not Awaiting.NOTHING:
            data["awaiting"] = self.awaiting.value
        if self.appointment_id is not None:
            data["appointment_id"] = self.appointment_id
        if self.listed:
            data["options"] = list(self.listed)
        elif self.offered:
            data["options"] = [moment.isoformat() for moment in self.offered]
        if self.proposed is not None:
            data["proposed"] = self.proposed.isoformat()
        if self.intent is not None:
            data["intent"] = self.intent
        if self.window is not None:
            data["window"] = [self.window[0].isoformat(), self.window[1].isoformat()]
        if self.windows:
            data["windows"] = [[a.isoformat(), b.isoformat()] for a, b in self.windows]
        if self.mode is not None:
            data["mode"] = self.mode.value
        if self.seen:
            data["seen"] = [moment.isoformat() for moment in self.seen]
        if self.queue:
            data["queue"] = list(self.queue)
        if self.done:
            data["done"] = list(self.done)
        if self.asked_at is not None:
            data["asked_at"] = self.asked_at.isoformat()
        if self.misunderstood:
            data["misunderstood"] = self.misunderstood
        if self.told_unknown:
            data["told_unknown"] = True
        if self.opted_out_noted:
            data["opted_out_noted"] = True
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ConversationState:
        """The stored state; what cannot be read (a hand-edited row, a value
        from a future version) is left out rather than failing the message.
        (Only the keys present are read: this runs for every message.)"""
        if not data:
            return EMPTY
        fields: dict[str, Any] = {}
        for key, value in data.items():
            read = _READERS.get(key)
            if read is not None:
                found = read(value)
                if found is not None:
                    fields[key] = found
        awaiting = fields.get("awaiting", Awaiting.NOTHING)
        options = fields.pop("options", ())
        if awaiting is Awaiting.WHICH_APPOINTMENT:
            fields["listed"] = tuple(option for option in options if isinstance(option, int))
        elif options:
            fields["offered"] = _moments(options)
        return cls(**fields)


EMPTY = ConversationState()


def _enum(kind, value, default):
    try:
        return kind(value)
    except ValueError:
        return default


def _bool(value: Any) -> bool | None:
    return True if value is True else None


def _list(value: Any) -> list | None:
    return value if isinstance(value, list) else None


def _windows(value: Any) -> tuple[Span, ...] | None:
    spans = tuple(span for span in map(_span, value) if span is not None) if isinstance(value, list) else ()
    return spans or None


def _ids(value: Any) -> tuple[int, ...] | None:
    return tuple(v for v in value if _int(v) is not None) or None if isinstance(value, list) else None


def _seen(value: Any) -> tuple[datetime, ...] | None:
    return _moments(value) or None if isinstance(value, list) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _moments(values: Any) -> tuple[datetime, ...]:
    return tuple(moment for moment in map(_moment, values) if moment is not None)


def _span(value: Any) -> Span | None:
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return None
    start, end = _moment(value[0]), _moment(value[1])
    return (start, end) if start is not None and end is not None else None


# How each stored key is read (None: left out). "options" is `listed` or `offered`, by what is awaited.
_READERS = {
    "awaiting": lambda v: _enum(Awaiting, v, None), "appointment_id": _int, "options": _list,
    "proposed": _moment, "intent": _str, "window": _span, "windows": _windows, "mode": lambda v: _enum(Mode, v, None),
    "seen": _seen, "asked_at": _moment, "lang": _str, "misunderstood": _int, "told_unknown": _bool,
    "opted_out_noted": _bool, "queue": _ids, "done": _ids,
}
