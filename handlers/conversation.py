"""One turn of a conversation, on any channel, in public steps.

    recorded = record(db, inbound, now)              # the message, written first
    if isinstance(recorded, Repeated): ...           #   (a repeated delivery: its first reply)
    with load(db, recorded, now) as moment:          # the facts of the moment
        taken = take_turn(moment, text=inbound.body) # or understanding=... (a Rasa assistant's)
    finish(db, recorded, taken, reply_text, now)     # state, flags, the reply in the transcript

Each step is one transaction (loading is one read). A channel adapter says
who is speaking (the SMS sender's number, a signed token: never what a user
types), renders the turn's reply its own way and passes that text to
`finish`, which keeps it as the transcript's line; whatever is peculiar to
the channel (SMS keywords, silence while opted out) it decides between
`load` and `finish`, with the same Turn the dialogue returns.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.conversation.context import language_context
from bot.conversation.dialogue import Turn, respond
from bot.conversation.facts import Booking, Facts
from bot.conversation.reply import Choice, Line, Reply
from bot.conversation.state import Awaiting, ConversationState, Mode
from bot.domain.models import Appointment, AppointmentSpan, Client, first_name, utcnow
from bot.domain.phones import display
from bot.domain.rules import Decision, may_cancel, may_rebook, may_reschedule
from bot.domain.timezones import as_utc, zone
from bot.persistence import appointment_rows, conversations
from bot.persistence.appointment_rows import AppointmentRow, ClientRef
from bot.persistence.conversations import Key, Recorded, Repeated
from bot.persistence.database import Database
from bot.persistence.salon_setup import SalonSetup
from bot.persistence.statements import Statements
from handlers import appointments as actions
from handlers.bookings import ClientBookings
from nlu import Understanding, understand
from nlu.understanding import WEEKDAYS

__all__ = ["Inbound", "Recorded", "Repeated", "Moment", "Taken", "record", "load", "take_turn", "finish"]


@dataclass(frozen=True)
class Inbound:
    """A message as a channel hands it in."""
    salon_id: int
    channel: str                     # sms, chat, portal, rasa
    address: str                     # whose conversation on that channel (E.164 for a text, a session id)
    body: str
    delivery_id: str | None = None   # the provider's id for this delivery: acted on once
    client_id: int | None = None     # who is speaking, where the channel has verified them
    phone: str | None = None         # a number the channel vouches for (the SMS sender), E.164
    num_media: int = 0


@dataclass(frozen=True)
class Taken:
    """A turn taken: what the message was read as, and what the dialogue decided."""
    understanding: Understanding
    turn: Turn


def record(db: Database, inbound: Inbound, now: datetime | None = None) -> Recorded | Repeated:
    """Write the inbound message before anything else; a delivery id seen
    before is not written again, and gets the reply its first delivery got."""
    key = Key(inbound.salon_id, inbound.channel, inbound.address, inbound.client_id, inbound.phone)
    return conversations.record(db, key, inbound.body, inbound.delivery_id, inbound.num_media,
                                as_utc(now or utcnow()))


@dataclass(frozen=True)
class Sender:
    """The client a turn is for, as far as the turn shows them."""
    id: int
    name: str
    language: str
    opted_out: bool = False

    @property
    def first_name(self) -> str:
        return first_name(self.name)


class Moment:
    """The facts of one moment of one conversation, read for one turn: the
    salon's setup, the client and their upcoming appointments, what the bot
    remembers. What the rules decide is worked out only for the appointment
    the turn asks about."""

    def __init__(self, db: Database, recorded: Recorded, now: datetime, session: Session, setup: SalonSetup,
                 sender: Sender | None, channel: str) -> None:
        self.db, self.recorded, self.now, self.session, self.setup = db, recorded, now, session, setup
        self.sender, self.channel = sender, channel
        self.state = ConversationState.from_json(recorded.state)
        self.handed_off = recorded.handed_off
        self.lang = self.state.lang or (sender.language if sender else None)
        self._facts: dict[str, Facts] = {}
        self._rows: dict[int, AppointmentRow | Appointment | None] | None = None
        self._upcoming_sorted: list[AppointmentSpan] | None = None

    @property
    def salon(self):
        return self.setup.salon

    def understand(self, text: str) -> Understanding:
        """The message read against the conversation so far (its language, the
        appointment under discussion, the times on offer)."""
        if self.sender is None:
            return understand(text, language_context(self._salon_facts(self.lang or "en", ()), self.state, self.lang))
        return understand(text, language_context(self.facts(self.lang), self.state, self.lang))

    def facts(self, lang: str | None) -> Facts:
        """The facts in `lang` (service names and the policy in it), the client's language by default."""
        lang = lang or (self.sender.language if self.sender else "en")
        found = self._facts.get(lang)
        if found is None:
            found = self._facts[lang] = self._read_facts(lang)
        return found

    def bookings(self, lang: str) -> ClientBookings:
        assert self.sender is not None
        return ClientBookings(self.db, self.sender.id, self.now, self.channel, lang,
                              actions.Reading(self.session, self.setup, self._upcoming_row))

    # --- reading ---
    def _read_facts(self, lang: str) -> Facts:
        assert self.sender is not None
        tz = zone(self.salon.timezone)
        settings = self.setup.settings
        bookings = tuple(Booking.of(a, tz, lang, _Decided(may_reschedule, self, a.id), _Decided(may_cancel, self, a.id))
                         for a in self._upcoming())
        rebook = None
        if self.state.awaiting is Awaiting.FOLLOWUP or self.state.mode is Mode.REBOOK:
            old = self.session.get(Appointment, self.state.appointment_id or 0)
            if old is not None and old.client_id == self.sender.id:
                decision = may_rebook(old, ClientRef(self.sender.id), settings, self.now)
                rebook = Booking.of(old, tz, lang, decision, decision, staff=old.lines[0].staff.name)
        return self._salon_facts(lang, bookings, rebook)

    def _salon_facts(self, lang: str, bookings: tuple[Booking, ...], rebook: Booking | None = None) -> Facts:
        salon, settings = self.salon, self.setup.settings
        return Facts(now=self.now, tz=zone(salon.timezone), lang=lang,
                     client_name=self.sender.first_name if self.sender else "", salon_name=salon.name,
                     salon_phone=display(salon.phone) if salon.phone else "", policy=settings.policy(lang),
                     bookings=bookings, offer_minutes=settings.offer_minutes, rebook=rebook,
                     hours=dict(zip(WEEKDAYS, self.setup.opening)), staff=self.setup.staff_names)

    def _upcoming(self) -> list[AppointmentSpan]:
        """The client's upcoming appointments, soonest first: as rows where the
        setup knows them (nearly always), else as objects."""
        if self._upcoming_sorted is None:
            assert self.sender is not None
            lines = self.recorded.upcoming
            if lines is None:
                lines = conversations.upcoming(self.session.connection(), self.sender.id, self.now)
            rows = self._rows = {}
            for appointment_id, group in conversations.lines_by_appointment(lines):
                rows[appointment_id] = appointment_rows.from_lines(group, self.setup) or \
                    self.session.get(Appointment, appointment_id, options=actions.WHAT_RULES_READ)
            now = self.now
            self._upcoming_sorted = sorted((a for a in rows.values() if a is not None and a.starts_at >= now),
                                           key=lambda a: (a.starts_at, a.id))
        return self._upcoming_sorted

    def _upcoming_row(self, appointment_id: int) -> AppointmentRow | None:
        """One of the client's upcoming appointments as rows the rules can read
        (None: not among them, or in a group: load it as objects)."""
        if self._rows is None:
            self._upcoming()
        row = self._rows.get(appointment_id)
        return row if isinstance(row, AppointmentRow) and row.group_id is None else None

    def rules_read(self, appointment_id: int) -> AppointmentRow | Appointment | None:
        """The appointment as the rules read it: rows where they can, else objects."""
        row = self._upcoming_row(appointment_id)
        if row is None and appointment_id not in self._rows:
            row = appointment_rows.read(Statements.on(self.session.connection()), appointment_id, self.setup)
        if row is not None:
            return row
        return self.session.get(Appointment, appointment_id, options=actions.WHAT_RULES_READ)


class _Decided:
    """A rules Decision worked out the first time the dialogue reads it.

    A client may have several upcoming appointments and a turn looks at the
    rules of one at most, so deciding both rules for every one of them up
    front was most of the rules' cost; and so is loading what the rules read.
    Same `now`, same session (still open while the dialogue runs): the same
    Decision, only later."""

    __slots__ = ("_rule", "_moment", "_appointment_id", "_decision")

    def __init__(self, rule, moment: Moment, appointment_id: int) -> None:
        self._rule, self._moment, self._appointment_id, self._decision = rule, moment, appointment_id, None

    def __getattr__(self, name: str):
        if self._decision is None:
            moment = self._moment
            appointment = moment.rules_read(self._appointment_id)
            self._decision = self._rule(appointment, ClientRef(moment.sender.id), moment.setup.settings, moment.now)
        return getattr(self._decision, name)


@contextmanager
def load(db: Database, recorded: Recorded, now: datetime | None = None, channel: str = "sms") -> Iterator[Moment]:
    """The facts of the moment, in a read that stays open for the turn (offers read within it)."""
    now = as_utc(now or utcnow())
    with db.read() as session:
        setup = db.setups.get(session, recorded.salon_id, recorded.setup_version)
        sender = None
        if recorded.client_id is not None:
            if recorded.client_name is not None:
                sender = Sender(recorded.client_id, recorded.client_name, recorded.client_language,
                                recorded.client_opted_out)
            else:   # a client linked just now (or gone since)
                found = session.get(Client, recorded.client_id)
                if found is not None:
                    sender = Sender(found.id, found.name, found.language, bool(found.opted_out))
        yield Moment(db, recorded, now, session, setup, sender, channel)


def take_turn(moment: Moment, text: str = "", understanding: Understanding | None = None) -> Taken:
    """Read the message (unless the channel brings its own understanding) and
    decide what to do and say."""
    state = moment.state
    if moment.sender is None:
        u = understanding or moment.understand(text)
        return Taken(u, _unknown_sender(u, moment))
    if understanding is None and not text.strip():
        lang = moment.lang or "en"
        reply = None if moment.handed_off else Reply(lang, (Line("empty"),), choices=_MENU)
        return Taken(Understanding(intent="unknown", lang=lang), Turn(state, reply))
    u = understanding or moment.understand(text)
    if moment.handed_off:
        # Staff have the conversation: the bot stays quiet, but opt-outs still count.
        return Taken(u, Turn(state, None, opted_out=_opting(u)))
    # Written in the other language: the reply follows it, and so do the
    # service names and the policy in it.
    facts = moment.facts(u.lang if u.lang in ("en", "es") else moment.lang)
    return Taken(u, respond(state, u, facts, moment.bookings(facts.lang)))


_MENU = (Choice("R", Line("choice_reschedule")), Choice("X", Line("choice_cancel")),
         Choice("C", Line("choice_confirm")))


def _opting(u: Understanding) -> bool | None:
    return {"opt_out": True, "opt_in": False}.get(u.intent)


def _unknown_sender(u: Understanding, moment: Moment) -> Turn:
    """A number (or visitor) no client of the salon has: told once, kept for staff."""
    state = moment.state
    if u.intent in ("opt_out", "opt_in"):
        return Turn(state, None)
    lang = u.lang if u.lang in ("en", "es") else "en"
    reply = None if state.told_unknown else Reply(lang, (Line("unknown_number", {"salon": moment.salon.name}),))
    return Turn(state.but(told_unknown=True), reply, flag="unknown number")


def finish(db: Database, recorded: Recorded, taken: Taken, reply: str | None, now: datetime | None = None) -> None:
    """Remember the new state, apply the turn's flags, hand-off and opt-out,
    and keep `reply` (the channel's rendering of the turn's reply) in the transcript."""
    turn = taken.turn
    conversations.finish(db, recorded, intent=taken.understanding.intent, state=turn.state.to_json(), reply=reply,
                         flag=turn.flag, hand_off=turn.hand_off, opted_out=turn.opted_out,
                         now=as_utc(now or utcnow()))
