"""What the language layer hands the dialogue: the contract between nlu/ and bot/.

Times here are naive wall-clock datetimes in the salon's time zone, the same
convention as ../shared/nlu-eval: the dialogue converts to and from UTC. The
language layer never needs to know about offsets, which keeps it pure.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time

INTENTS = (
    "cancel", "reschedule", "confirm_appointment", "affirm", "deny", "choose",
    "query", "late", "human", "help", "opt_out", "opt_in", "greet", "unknown",
)

AWAITING = (
    "none", "reminder_reply", "cancel_confirmation", "reschedule_confirmation",
    "slot_choice", "which_appointment",
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class AppointmentRef:
    """One of the client's upcoming appointments, as the language layer sees it."""
    ref: str
    start: datetime          # naive, salon wall clock
    minutes: int
    service: str = ""
    staff: str = ""
    # The same services' names in the client's other language ("Trim" for
    # "Despunte"): a Spanish-speaking client may write "my trim" in English.
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Window:
    """A requested time: [start, end), end exclusive; an exact time has start == end."""
    start: datetime
    end: datetime


def window(start: datetime, end: datetime) -> Window:
    """Window(start, end), the same object made without the frozen dataclass's __init__ (an
    object.__setattr__ call per field, about 0.1 us each): the time readers make one or two
    per message. Window has no __post_init__ and no slots: its instance dict is filled here."""
    w = _new(Window)
    d = w.__dict__
    d["start"] = start
    d["end"] = end
    return w


_new = object.__new__


@dataclass(frozen=True)
class Context:
    """Everything outside the text that its meaning depends on."""
    now: datetime                                     # naive, salon wall clock
    tz: str = "UTC"
    # opening hours per weekday key ("mon".."sun"); None means closed that day
    hours: dict[str, tuple[time, time] | None] = field(default_factory=dict)
    appointments: tuple[AppointmentRef, ...] = ()     # soonest first
    awaiting: str = "none"
    options: tuple[datetime, ...] = ()                # offered starts, 1-based in replies
    lang: str | None = None                           # a hint: the client's known language
    staff: tuple[str, ...] = ()                       # every staff member of the salon, by name


@dataclass(frozen=True)
class Understanding:
    intent: str
    appointment: str | None = None    # ref of the appointment meant
    choice: int | None = None         # 1-based index into Context.options
    when: Window | None = None
    when_any: tuple[Window, ...] = () # alternatives, when the text names several
    lang: str = "en"                  # detected language of this message: "en" or "es"
    confidence: float = 1.0           # 0..1; the dialogue asks rather than guesses when low
    # no `appointment`, but the message describes these equally ("my haircut", two booked)
    candidates: tuple[str, ...] = ()
    # What else the conversation needs of the words, so that it never reads the raw
    # text itself (and a Rasa assistant's understanding can carry the same):
    thanks: bool = False              # the message thanks us ("thx!", "mil gracias")
    reaction: bool = False            # an unknown message of only emoji or punctuation ("👍")
    every: bool = False               # it means all of several ("both", "all of them", "ambas")
    picks: tuple[int, ...] = ()       # several numbers picked at once ("2 and 3"), in order
    named: tuple[str, ...] = ()       # refs of the appointments it names by service or staff words
    rebook: bool = False              # it asks to book (again): "R", "book", "de nuevo"
    again: bool = False               # it says "again" of a booking ("book it again", "volver a reservar")
    targets: tuple[str, ...] = ()     # refs of every appointment it means, when it means several
    other_one: bool = False           # "the other one", "la otra": the appointment not being talked about
    also: bool = False                # it adds to what was asked ("and my manicure too", "también")
    other_staff: bool = False         # it asks for someone else ("another stylist", "otra estilista")
    part: str | None = None           # the part of the day it names ("morning"), when `when` comes from one
    staff_named: tuple[str, ...] = () # the salon's staff members the message names (Context.staff)
    shift: str | None = None          # "later" / "earlier": the time asked is the appointment's, moved that way
    topic: str | None = None          # with no request yet, the appointment it names ("hi, about my trim")
