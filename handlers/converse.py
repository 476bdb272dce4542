"""One message from a client, on any channel: record it, understand it,
decide, act, answer.

The inbound message is written (and committed) before anything else, and a
provider message id is acted on once: a repeat gets the reply the first one
got. The dialogue's changes run through the portal actions, each in its own
serialised transaction; what the dialogue remembers, its flags for staff and
its reply are written last, in one more.
"""
from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from functools import lru_cache
from itertools import groupby
from operator import attrgetter

from sqlalchemy import Connection, bindparam, exists, func, insert, literal, or_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, joinedload

from bot.conversation import texts as replies
from bot.persistence.database import Database
from bot.conversation.dialogue import AppointmentFacts, Change, Facts, Offer, Turn, respond
from bot.domain.errors import DomainError
from bot.domain.models import (ACTIVE_STATUSES, Appointment, Client, Conversation, Message, Salon, Service, ServiceLine,
                        SmsNumber, Staff, first_name, service_name, utcnow)
from bot.messaging.outbox import notify_change
from bot.domain.phones import display, to_e164
from bot.domain.rules import may_cancel, may_rebook, may_reschedule
from bot.persistence.salon_setup import SETUP_VERSION, SalonSetup
from bot.persistence.statements import Lean, Statements
from bot.domain.timezones import as_utc, to_local, zone
from bot.persistence import appointment_rows
from handlers import appointments as actions
from bot.persistence.appointment_rows import AppointmentRow, ClientRef
from handlers.results import ActionResult, Outcome
from nlu import AppointmentRef, Context, Understanding, understand
from nlu.understanding import WEEKDAYS

MAX_STORED_BODY = 10_000


@dataclass(frozen=True)
class Inbound:
    channel: str             # "sms" or "chat"
    salon_address: str       # the number texted (sms) or the salon's slug (chat)
    sender: str              # the client's number (sms) or chat session id
    body: str
    provider_id: str | None = None
    num_media: int = 0
    phone: str | None = None  # chat: the phone the client gave, to find their bookings


@dataclass(frozen=True)
class Answer:
    reply: str | None
    found_salon: bool = True
    duplicate: bool = False
    conversation_id: int | None = None


@dataclass(frozen=True)
class SalonKey:
    """What handling a message needs of its salon before anything else: which
    salon, its country (to read phone numbers) and its own Twilio token, if any."""
    id: int
    country: str
    auth_token: str | None


def find_salon(conn: Connection, channel: str, address: str) -> SalonKey | None:
    """The salon a message is for: by the number texted (sms) or its slug (chat)."""
    if channel == "sms":
        try:
            number = e164(address)
        except DomainError:
            return None
        row = conn.execute(_SALON_BY_NUMBER, {"number": number}).first()
    else:
        row = conn.execute(_SALON_BY_SLUG, {"slug": address}).first()
    return None if row is None else SalonKey(row.id, row.country, row.twilio_auth_token)


# Parsing a number with phonenumbers is pure and costs more than a query; the
# same few numbers (the salon's, its clients') come back with every message.
e164 = lru_cache(maxsize=4096)(to_e164)


def handle_inbound(db: Database, inbound: Inbound, now: datetime | None = None,
                   salon: SalonKey | None = None) -> Answer:
    """`salon`: the caller's find_salon answer, when it already has one."""
    now = as_utc(now or utcnow())
    recorded = _record(db, inbound, now, salon)
    if isinstance(recorded, Answer):
        return recorded
    state = recorded.state or {}
    with db.read() as session:
        setup = db.setups.get(session, recorded.salon.id, recorded.setup_version)
        salon = setup.salon
        client = None
        if recorded.client_id is not None:
            if recorded.client_name is not None:
                client = _Sender(recorded.client_id, recorded.client_name, recorded.client_language,
                                 recorded.client_opted_out)
            else:   # a client linked just now (or gone since)
                found = session.get(Client, recorded.client_id)
                client = _Sender.of(found) if found is not None else None
        lang = state.get("lang") or (client.language if client else None)
        if client is None:
            u = understand(inbound.body, Context(now=to_local(now, salon.timezone).replace(tzinfo=None), lang=lang))
            turn = _unknown_sender(u, salon, state)
        elif not inbound.body.strip():
            u = Understanding(intent="unknown", lang=lang or "en")
            turn = Turn(state, None if recorded.handed_off else replies.text(
                "empty", u.lang if u.lang in ("en", "es") else "en"))
        else:
            lines = recorded.upcoming if recorded.upcoming is not None else _upcoming(session, client.id, now)
            load = _RulesInput(session, client.id, setup, lines)
            facts = _facts(session, setup, client, state, inbound.channel, now, lang, lines, load)
            context = _context(facts, state, salon, session, lang)
            u = understand(inbound.body, context)
            if context.awaiting == "which_appointment" and u.appointment is None and u.intent in ("unknown", "choose"):
                u = _which_by_position(inbound.body, context, u)
            if u.lang != facts.lang and u.lang in ("en", "es"):
                # Written in the other language: the reply follows it, and so
                # must the service names and the policy in it.
                facts = _facts(session, setup, client, state, inbound.channel, now, u.lang, lines, load)
            if recorded.handed_off:
                turn = _while_handed_off(u, state)
            elif client.opted_out and inbound.channel == "sms" and u.intent not in ("opt_in", "opt_out"):
                turn = _while_opted_out(state)
            else:
                portal = ClientPortal(db, client.id, now, inbound.channel, facts.lang,
                                      actions.Reading(session, setup, load.upcoming))
                turn = respond(dict(state), inbound.body, u, facts, portal)
    _finish(db, recorded.conversation_id, recorded.message_id, u, turn, now)
    return Answer(turn.reply, conversation_id=recorded.conversation_id)


@dataclass(frozen=True)
class _Recorded:
    """What recording a message learnt of its conversation, for the turn."""
    salon: SalonKey
    conversation_id: int
    message_id: int
    client_id: int | None
    state: dict | None
    handed_off: bool
    setup_version: int
    client_name: str | None = None       # the client's, when the conversation row brought them
    client_language: str | None = None
    client_opted_out: bool = False
    upcoming: tuple[_UpcomingLine, ...] | None = None   # the client's, when recording read them too


# Recording a message and finishing its turn run these as plain Core statements
# on a plain connection (Database.write_connection): built once, and without
# an ORM session around statements that load no objects.
_SEEN = select(Message.reply, Message.conversation_id).where(Message.provider_sid == bindparam("sid"))
_SALON_KEY = (Salon.id, Salon.country, Salon.twilio_auth_token)
_SALON_BY_NUMBER = select(*_SALON_KEY).join(SmsNumber).where(SmsNumber.phone == bindparam("number"))
_SALON_BY_SLUG = select(*_SALON_KEY).where(Salon.slug == bindparam("slug"))
_CLIENT_ID = select(Client.id).where(Client.salon_id == bindparam("salon_id"), Client.phone == bindparam("phone"))
# The conversation, and the client whose number this is, in one query.
# The salon's setup version comes along: the turn checks its cached setup against it.
_CONVERSATION_ROW = select(Conversation.id, Conversation.client_id, Conversation.state, Conversation.handed_off,
                           _CLIENT_ID.scalar_subquery().label("number_client_id"),
                           SETUP_VERSION.scalar_subquery().label("setup_version"),
                           Client.name.label("client_name"), Client.language.label("client_language"),
                           Client.opted_out.label("client_opted_out")).outerjoin(
    Client, Client.id == Conversation.client_id).where(
    Conversation.salon_id == bindparam("salon_id"), Conversation.channel == bindparam("channel"),
    Conversation.address == bindparam("address"))


def _upcoming_lines(client_id, now):
    """The client's upcoming appointments as plain rows, a row per service
    line with what the rules read of it (bot.persistence.appointment_rows) and its
    staff member's name: a turn shows them, and asks the rules about one at
    most, without another query. (Each status is its own comparison: a Lean
    statement takes no IN list.)"""
    later = aliased(ServiceLine)
    return (
        select(*appointment_rows.LINE_COLUMNS, Staff.name.label("staff"))
        .join(ServiceLine, ServiceLine.appointment_id == Appointment.id)
        .join(Service, Service.id == ServiceLine.service_id)
        .join(Staff, Staff.id == ServiceLine.staff_id)
        .where(Appointment.client_id == client_id, or_(*(Appointment.status == s for s in ACTIVE_STATUSES)),
               exists().where(later.appointment_id == Appointment.id, later.starts_at >= now)))


_UPCOMING_LINES = Lean(_upcoming_lines(bindparam("client_id"), bindparam("now")).order_by("appointment_id",
                                                                                          "starts_at", "line_id"))
# PostgreSQL: the conversation, the inbound message's insert and the client's
# upcoming appointments (a row each of their lines, or one row without) in
# one statement.
_FOUND = _CONVERSATION_ROW.cte("found_conversation")
_INSERTED = insert(Message).from_select(
    ["conversation_id", "direction", "author", "body", "provider_sid", "num_media", "created_at"],
    select(_FOUND.c.id, literal("in"), literal("client"), bindparam("i_body", type_=Message.body.type),
           bindparam("i_sid", type_=Message.provider_sid.type), bindparam("i_media", type_=Message.num_media.type),
           bindparam("i_at", type_=Message.created_at.type))
).returning(Message.id, Message.conversation_id).cte("inserted")
_RECORDED_UPCOMING = _upcoming_lines(func.coalesce(_FOUND.c.client_id, _FOUND.c.number_client_id),
                                     bindparam("i_at", type_=Message.created_at.type)).lateral("upcoming")
_UpcomingLine = namedtuple("_UpcomingLine", [column.key for column in _RECORDED_UPCOMING.c])
_RECORD_IN_ONE = Lean(
    select(_INSERTED.c.id.label("message_id"), _FOUND,
           *(column.label("upcoming_" + column.key) for column in _RECORDED_UPCOMING.c))
    .select_from(_INSERTED.join(_FOUND, _INSERTED.c.conversation_id == _FOUND.c.id)
                 .outerjoin(_RECORDED_UPCOMING, true()))
    .order_by(_RECORDED_UPCOMING.c.appointment_id, _RECORDED_UPCOMING.c.starts_at, _RECORDED_UPCOMING.c.line_id))
_CONVERSATION_CLIENT = Lean(select(Conversation.client_id).where(Conversation.id == bindparam("cid")))
_LINK_CLIENT = Lean(update(Conversation).where(Conversation.id == bindparam("cid")).values(
    client_id=bindparam("client_id")))
_NEW_CONVERSATION = insert(Conversation)
_MESSAGE_COLUMNS = ("conversation_id", "direction", "author", "body", "provider_sid", "num_media", "created_at")
# Every column named: a Lean statement gets no Python-side defaults.
_INSERT_MESSAGE = insert(Message).values({column: bindparam(column) for column in _MESSAGE_COLUMNS})
_NEW_MESSAGE = Lean(_INSERT_MESSAGE)
_NEW_INBOUND = Lean(_INSERT_MESSAGE.returning(Message.id))
_FIND_CONVERSATION = Lean(_CONVERSATION_ROW)
# (Its parameters are not named after the columns: PostgreSQL's one-statement
# finish also inserts a message, whose columns those names would clash with.)
_SET_REPLY = update(Message).where(Message.id == bindparam("mid")).values(
    intent=bindparam("m_intent"), reply=bindparam("m_reply"))
_SET_REPLY_LEAN = Lean(_SET_REPLY)


def _record(db: Database, inbound: Inbound, now: datetime, salon: SalonKey | None,
            retry: bool = True) -> _Recorded | Answer:
    """Write the inbound message first. A repeat of a provider id gets the first reply.

    One transaction of plain statements: the conversation (with the client
    whose number it is) by key, made if new, then the message; on
    PostgreSQL, when the conversation exists, one statement (_record_in_one).
    A repeated
    provider id breaks the message's unique key: the transaction rolls back,
    leaving nothing, and the first delivery's reply is read instead (the
    rare repeat pays for that, rather than every message paying for a
    look-up first)."""
    try:
        if salon is not None and not db.is_sqlite:
            recorded = _record_in_one(db, salon, inbound, now)
            if recorded is not None:
                return recorded
        with db.write_connection() as conn:
            salon = salon or find_salon(conn, inbound.channel, inbound.salon_address)
            if salon is None:
                return Answer(None, found_salon=False)
            key = _conversation_key(salon, inbound)
            statements = Statements.on(conn)
            row = statements.first(_FIND_CONVERSATION, key) or _new_conversation(conn, salon, key, now)
            message_id = statements.first(_NEW_INBOUND, {
                "conversation_id": row.id, "direction": "in", "author": "client",
                "body": storable(inbound.body), "provider_sid": inbound.provider_id,
                "num_media": inbound.num_media, "created_at": now}).id
            return _recorded(statements, row, salon, message_id)
    except IntegrityError:
        repeat = _repeat(db, inbound.provider_id) if inbound.provider_id else None
        if repeat is not None:
            return repeat
        if not retry:
            raise
        # Two first messages from one number at once both made its conversation;
        # the other one's is there now.
        return _record(db, inbound, now, salon, retry=False)


def _record_in_one(db: Database, salon: SalonKey, inbound: Inbound, now: datetime) -> _Recorded | None:
    """PostgreSQL, a conversation that exists (nearly every message): find it
    and insert the message in one statement, atomic by itself, instead of
    BEGIN, two statements and COMMIT. None when the conversation is new."""
    key = _conversation_key(salon, inbound)
    with db.statements() as statements:
        rows = statements.rows(_RECORD_IN_ONE, {
            **key, "i_body": storable(inbound.body), "i_sid": inbound.provider_id,
            "i_media": inbound.num_media, "i_at": now})
        if not rows:
            return None
        width = len(_RECORDED_UPCOMING.c)
        upcoming = tuple(_UpcomingLine._make(row[-width:]) for row in rows if row.upcoming_appointment_id is not None)
        return _recorded(statements, rows[0], salon, rows[0].message_id, upcoming)


def storable(body: str) -> str:
    """What the transcript keeps: PostgreSQL text cannot hold NUL, and a
    client's essay is kept to a sane length."""
    return body[:MAX_STORED_BODY].replace("\x00", "\ufffd")


def _repeat(db: Database, provider_id: str) -> Answer | None:
    with db.read_connection() as conn:
        return _seen(conn, provider_id)


def _seen(conn: Connection, provider_id: str) -> Answer | None:
    seen = conn.execute(_SEEN, {"sid": provider_id}).first()
    if seen is None:
        return None
    return Answer(seen.reply, duplicate=True, conversation_id=seen.conversation_id)


@dataclass(frozen=True)
class _NewConversation:
    """A conversation just made, in the shape of a _CONVERSATION_ROW row."""
    id: int
    client_id: int | None
    setup_version: int
    state: dict = field(default_factory=dict)
    handed_off: bool = False
    number_client_id: None = None
    client_name: None = None
    client_language: None = None
    client_opted_out: None = None


def _conversation_key(salon: SalonKey, inbound: Inbound) -> dict:
    """The conversation's key (salon, channel, address: the sender's number
    in E.164 for a text) and the phone to find the client by."""
    address = inbound.sender
    number = None
    phone = inbound.sender if inbound.channel == "sms" else inbound.phone
    if phone:
        try:
            number = e164(phone, salon.country)
            if inbound.channel == "sms":
                address = number
        except DomainError:
            number = None
    return {"salon_id": salon.id, "channel": inbound.channel, "address": address, "phone": number}


def _new_conversation(conn: Connection, salon: SalonKey, key: dict, now: datetime) -> _NewConversation:
    """Make the conversation, its client linked when the number is a client's.
    (Its updated_at moves when the turn is finished.)"""
    client_id = conn.execute(_CLIENT_ID, key).scalar() if key["phone"] else None
    conversation_id = conn.execute(_NEW_CONVERSATION, {
        "salon_id": salon.id, "channel": key["channel"], "address": key["address"], "client_id": client_id,
        "state": {}, "updated_at": now}).inserted_primary_key[0]
    return _NewConversation(conversation_id, client_id, conn.execute(SETUP_VERSION, key).scalar_one())


def _recorded(statements: Statements, row, salon: SalonKey, message_id: int,
              upcoming: tuple[_UpcomingLine, ...] | None = None) -> _Recorded:
    """What the turn needs of the conversation `row` (a _CONVERSATION_ROW row
    or a _NewConversation). A conversation without a client gets the client
    whose number it is, if there is one now; the turn then reads them itself."""
    client_id = row.client_id
    if client_id is None and row.number_client_id is not None:
        client_id = row.number_client_id
        statements.run(_LINK_CLIENT, {"cid": row.id, "client_id": client_id})
    named = row.client_id is not None
    return _Recorded(salon, row.id, message_id, client_id, row.state, bool(row.handed_off), row.setup_version,
                     row.client_name if named else None, row.client_language if named else None,
                     bool(row.client_opted_out) if named else False, upcoming)


def _unknown_sender(u: Understanding, salon: Salon, state: dict) -> Turn:
    if u.intent in ("opt_out", "opt_in"):
        return Turn(state, None, [])
    already_told = bool(state.get("told_unknown"))
    lang = u.lang if u.lang in ("en", "es") else "en"
    reply = None if already_told else replies.text("unknown_number", lang, salon=salon.name)
    return Turn({**state, "told_unknown": True}, reply, [("flag", "unknown number")])


def _while_opted_out(state: dict) -> Turn:
    """The client texted STOP (or a lone CANCEL) and not START since: nothing
    goes back to them, by law and by the carrier's block alike. What they wrote
    is kept, and staff are told once, so a person can call them."""
    if state.get("opted_out_noted"):
        return Turn(state, None, [])
    return Turn({**state, "opted_out_noted": True}, None,
                [("flag", "texted after opting out: no replies until START")])


def _while_handed_off(u: Understanding, state: dict) -> Turn:
    """Staff have the conversation: the bot stays quiet, but opt-outs still count."""
    acts = [(u.intent, "")] if u.intent in ("opt_out", "opt_in") else []
    return Turn(state, None, acts)


@dataclass(frozen=True)
class _Sender:
    """The client a turn is for, as far as the turn shows them."""
    id: int
    name: str
    language: str
    opted_out: bool = False

    @classmethod
    def of(cls, client: Client) -> _Sender:
        return cls(client.id, client.name, client.language, bool(client.opted_out))

    @property
    def first_name(self) -> str:
        return first_name(self.name)


def _facts(session: Session, setup: SalonSetup, client: _Sender, state: dict, channel: str,
           now: datetime, lang: str | None, lines: Sequence[_UpcomingLine], load: _RulesInput) -> Facts:
    salon = setup.salon
    tz = zone(salon.timezone)
    settings = salon.settings
    lang = lang or client.language
    facts = [AppointmentFacts(a.id, to_local(a.start, tz), a.minutes, a.services(lang), a.staff,
                              _Decided(may_reschedule, load, a.id, settings, now),
                              _Decided(may_cancel, load, a.id, settings, now))
             for a in _upcoming_from(lines, now)]
    rebook = None
    if state.get("awaiting") == "followup" or state.get("mode") == "rebook":
        old = session.get(Appointment, state.get("appointment_id") or 0)
        if old is not None and old.client_id == client.id:
            decision = may_rebook(old, load.client(), settings, now)
            rebook = AppointmentFacts(old.id, to_local(old.starts_at, tz), _minutes(old),
                                      _services(old, lang), old.lines[0].staff.name, decision, decision)
    return Facts(now=now, tz=tz, lang=lang, client_name=client.first_name, salon_name=salon.name,
                 salon_phone=display(salon.phone) if salon.phone else "", policy=settings.policy(lang),
                 appointments=tuple(facts), channel=channel, twilio_default_keywords=settings.twilio_default_keywords,
                 offer_minutes=settings.offer_minutes, rebook=rebook)


@dataclass(frozen=True)
class _Upcoming:
    """One upcoming appointment as a turn shows it, from plain rows."""
    id: int
    start: datetime
    minutes: int
    lines: tuple[tuple[str, str | None], ...]    # each line's service name, and its Spanish name
    staff: str

    def services(self, lang: str) -> str:
        return _joined((service_name(name, name_es, lang) for name, name_es in self.lines), lang)


def _upcoming(session: Session, client_id: int, now: datetime) -> tuple[_UpcomingLine, ...]:
    """The lines of the client's booked or confirmed appointments that have
    not started, by appointment and start."""
    return tuple(Statements.on(session.connection()).rows(_UPCOMING_LINES, {"client_id": client_id, "now": now}))


def _upcoming_from(lines: Iterable[_UpcomingLine], now: datetime) -> tuple[_Upcoming, ...]:
    """_upcoming_lines' rows as appointments, soonest first."""
    now = as_utc(now)
    found = []
    for appointment_id, rows in groupby(lines, key=attrgetter("appointment_id")):
        rows = list(rows)
        start = min(row.starts_at for row in rows)
        if start < now:
            continue
        end = max(row.starts_at + timedelta(minutes=row.minutes) for row in rows)
        staff = dict.fromkeys(row.staff for row in rows)   # each once, in line order
        found.append(_Upcoming(appointment_id, start, int((end - start).total_seconds() // 60),
                               tuple((row.name, row.name_es) for row in rows), " & ".join(staff)))
    return tuple(sorted(found, key=lambda appt: (appt.start, appt.id)))


class _RulesInput:
    """What the rules read, loaded when the dialogue first asks for a
    decision: the appointment as plain rows (bot.persistence.appointment_rows), or
    as objects with its lines, services, staff, client and group when it is
    in a group; and the client texting, whom the rules compare by id."""

    def __init__(self, session: Session, client_id: int, setup: SalonSetup, lines: Sequence[_UpcomingLine]) -> None:
        self.session, self.client_id, self.setup = session, client_id, setup
        self._lines = {key: tuple(group) for key, group in groupby(lines, key=attrgetter("appointment_id"))}

    def appointment(self, appointment_id: int) -> Appointment | AppointmentRow:
        rows = self.upcoming(appointment_id)
        if rows is None and appointment_id not in self._lines:
            rows = appointment_rows.read(Statements.on(self.session.connection()), appointment_id, self.setup)
        if rows is not None:
            return rows
        return self.session.get(Appointment, appointment_id, options=actions.WHAT_RULES_READ)

    def upcoming(self, appointment_id: int) -> AppointmentRow | None:
        """One of the client's upcoming appointments, from the turn's rows
        (None: not among them, or one to load as objects)."""
        lines = self._lines.get(appointment_id)
        return appointment_rows.from_lines(lines, self.setup) if lines else None

    def client(self) -> ClientRef:
        return ClientRef(self.client_id)


class _Decided:
    """A rules Decision worked out the first time the dialogue reads it.

    A client may have several upcoming appointments and a turn looks at the
    rules of one at most, so deciding both rules for every one of them up
    front was most of the rules' cost; and so is loading what the rules read.
    Same `now`, same session (still open while the dialogue runs): the same
    Decision, only later."""

    __slots__ = ("_rule", "_load", "_appointment_id", "_settings", "_now", "_decision")

    def __init__(self, rule, load: _RulesInput, appointment_id: int, settings, now: datetime) -> None:
        self._rule, self._load, self._appointment_id = rule, load, appointment_id
        self._settings, self._now, self._decision = settings, now, None

    def __getattr__(self, name: str):
        if self._decision is None:
            appointment = self._load.appointment(self._appointment_id)
            self._decision = self._rule(appointment, self._load.client(), self._settings, self._now)
        return getattr(self._decision, name)


def _minutes(appt: Appointment) -> int:
    return int((appt.ends_at - appt.starts_at).total_seconds() // 60)


def _services(appt: Appointment, lang: str) -> str:
    return _joined((line.service.display_name(lang) for line in appt.lines), lang)


def _joined(names: Iterable[str], lang: str) -> str:
    return (" & " if lang == "en" else " y ").join(names)


def _context(facts: Facts, state: dict, salon: Salon, session: Session, lang: str | None) -> Context:
    """What the language layer needs: wall-clock times in the salon's zone."""
    hours: dict[str, tuple[time, time] | None] = {day: None for day in WEEKDAYS}
    for row in sorted(salon.opening_hours, key=lambda r: r.opens):
        key = WEEKDAYS[row.weekday]
        current = hours[key]
        hours[key] = (row.opens, row.closes) if current is None else (current[0], row.closes)
    appts = tuple(AppointmentRef(a.ref, a.start.replace(tzinfo=None), a.minutes, a.service, a.staff)
                  for a in facts.appointments)
    awaiting = state.get("awaiting", "none")
    if awaiting == "followup" and facts.rebook is not None:
        # An invitation to book again reads like a reminder about that appointment.
        rebook = facts.rebook
        appts = (AppointmentRef(rebook.ref, rebook.start.replace(tzinfo=None), rebook.minutes, rebook.service,
                                rebook.staff),)
        awaiting = "reminder_reply"
    elif awaiting == "which_appointment" and state.get("options"):
        # Listed in the order the question showed them (maybe only some): "2" is the second listed.
        shown = [str(i) for i in state["options"]]
        appts = tuple(sorted(appts, key=lambda a: shown.index(a.ref) if a.ref in shown else len(shown)))
    elif awaiting != "which_appointment" and state.get("appointment_id"):
        # The appointment the exchange is about comes first: a reminder's, the
        # one being moved or canceled, the one just asked about. A time
        # without a date keeps its date ("is 2:30 ok?"), not the soonest one's.
        first = str(state["appointment_id"])
        appts = tuple(sorted(appts, key=lambda a: a.ref != first))
    options = ()
    if awaiting == "slot_choice":
        options = tuple(to_local(datetime.fromisoformat(s), facts.tz).replace(tzinfo=None) for s in state.get("options", []))
        if options and appts and len({o.date() for o in options}) == 1:
            # Every time offered is on one day: "is 1pm possible?" means that day, not the
            # appointment's own (a time without a date keeps the day being talked about).
            appts = (replace(appts[0], start=datetime.combine(options[0].date(), appts[0].start.time())),) + appts[1:]
    return Context(now=to_local(facts.now, facts.tz).replace(tzinfo=None), tz=salon.timezone, hours=hours,
                   appointments=appts, awaiting=awaiting if awaiting in _NLU_AWAITING else "none",
                   options=options, lang=lang)


def _which_by_position(text: str, context: Context, first: Understanding) -> Understanding:
    """"2", "the second one", "the friday one" answer "which appointment?"
    the way they answer offered times: read them as a choice among the
    appointments listed, in the order they were listed."""
    listed = replace(context, awaiting="slot_choice", options=tuple(a.start for a in context.appointments))
    again = understand(text, listed)
    if again.intent == "choose" and again.choice and again.choice <= len(context.appointments):
        ref = context.appointments[again.choice - 1].ref
        return Understanding(intent="choose", appointment=ref, choice=again.choice, lang=first.lang,
                             confidence=again.confidence)
    return first


_NLU_AWAITING = {"none", "reminder_reply", "cancel_confirmation", "reschedule_confirmation", "slot_choice",
                 "which_appointment"}


def _finish(db: Database, conversation_id: int, message_id: int, u: Understanding, turn: Turn, now: datetime) -> None:
    """Remember, apply the dialogue's side effects, and write the reply to the transcript.

    Plain UPDATE and INSERT statements by key, in one transaction: the same
    rows and values as loading the objects and flushing them, without reading
    them first (the client only when the turn opts them out or in)."""
    conversation: dict = {"state": turn.state, "updated_at": now}
    client: dict | None = None
    for kind, why in turn.actions:
        if kind == "flag":
            conversation.update(flag=why, flagged_at=now)
        elif kind == "handoff":
            conversation.update(handed_off=True, flag=why, flagged_at=now)
        elif kind == "opt_out":
            client = {"opted_out": True, "opted_out_at": now}
        elif kind == "opt_in":
            client = {"opted_out": False, "opted_out_at": None}
    if client is None and not db.is_sqlite:
        # PostgreSQL: the same writes as one statement, which is atomic by
        # itself; five round trips (BEGIN, three statements, COMMIT) become one.
        params = {"key": conversation_id, **_values(conversation), "mid": message_id, "m_intent": u.intent,
                  "m_reply": turn.reply}
        if turn.reply:
            params.update(o_direction="out", o_author="bot", o_body=turn.reply, o_created_at=now, o_num_media=0)
        with db.statements() as statements:
            statements.run(_finish_in_one(tuple(conversation), bool(turn.reply)), params)
        return
    with db.write_connection() as conn:
        statements = Statements.on(conn)
        statements.run(_set(Conversation, tuple(conversation)), {"key": conversation_id, **_values(conversation)})
        statements.run(_SET_REPLY_LEAN, {"mid": message_id, "m_intent": u.intent, "m_reply": turn.reply})
        if client is not None:
            owner = statements.first(_CONVERSATION_CLIENT, {"cid": conversation_id})
            if owner is not None and owner.client_id is not None:
                statements.run(_set(Client, tuple(client)), {"key": owner.client_id, **_values(client)})
        if turn.reply:
            statements.run(_NEW_MESSAGE, {"conversation_id": conversation_id, "direction": "out", "author": "bot",
                                          "body": turn.reply, "provider_sid": None, "num_media": 0,
                                          "created_at": now})


@lru_cache(maxsize=None)
def _set(model: type, columns: tuple[str, ...]):
    """UPDATE model SET these columns WHERE id = :key, built once per column
    set (a statement built per message cost more to prepare than to run)."""
    return Lean(_update(model, columns))


def _update(model: type, columns: tuple[str, ...]):
    return update(model).where(model.id == bindparam("key")).values(
        {column: bindparam("v_" + column) for column in columns})


@lru_cache(maxsize=None)
def _finish_in_one(columns: tuple[str, ...], with_reply: bool):
    """_finish's statements as one, with data-modifying CTEs (PostgreSQL):
    WITH (UPDATE conversation), (UPDATE the inbound message) INSERT the reply."""
    conversation = _update(Conversation, columns).cte("finished_conversation")
    inbound = _SET_REPLY.cte("answered_message")
    final = (insert(Message).values(conversation_id=bindparam("key"), direction=bindparam("o_direction"),
                                    author=bindparam("o_author"), body=bindparam("o_body"),
                                    created_at=bindparam("o_created_at"), num_media=bindparam("o_num_media"))
             if with_reply else select(literal(1)))
    return Lean(final.add_cte(conversation).add_cte(inbound))


def _values(values: dict) -> dict:
    return {"v_" + column: value for column, value in values.items()}


class ClientPortal:
    """The portal actions for one client at one moment: the dialogue's Portal."""

    def __init__(self, db: Database, client_id: int, now: datetime, channel: str, lang: str,
                 reading: actions.Reading | None = None) -> None:
        """`reading`: the turn's open read, for offers to read within."""
        self.db, self.client_id, self.now, self.channel, self.lang = db, client_id, now, channel, lang
        self.reading = reading
        self.subscribers = (notify_change,)

    def _offer(self, result: ActionResult) -> Offer:
        if result.outcome is Outcome.DONE:
            return Offer(True, result.offers)
        return Offer(False, reasons=tuple(result.decision.explain(self.lang)) if result.decision else ())

    def _change(self, result: ActionResult) -> Change:
        reasons = tuple(result.decision.explain(self.lang)) if result.decision and not result.decision.allowed else ()
        return Change(result.outcome.value, result.offers, reasons, max(1, len(result.appointment_ids)))

    def offer(self, appointment_id: int, window: tuple[datetime, datetime] | None, count: int) -> Offer:
        return self._offer(actions.offer_times(self.db, client_id=self.client_id, appointment_id=appointment_id,
                                               now=self.now, window=window, count=count, reading=self.reading))

    def move(self, appointment_id: int, start: datetime) -> Change:
        if start <= self.now:
            return Change("unavailable")
        return self._change(actions.reschedule(self.db, client_id=self.client_id, appointment_id=appointment_id,
                                               new_start=start, now=self.now, channel=self.channel,
                                               subscribers=self.subscribers))

    def cancel(self, appointment_id: int) -> Change:
        return self._change(actions.cancel(self.db, client_id=self.client_id, appointment_id=appointment_id,
                                           now=self.now, channel=self.channel, subscribers=self.subscribers))

    def confirm(self, appointment_id: int) -> Change:
        return self._change(actions.confirm(self.db, client_id=self.client_id, appointment_id=appointment_id,
                                            now=self.now, channel=self.channel))

    def offer_rebook(self, appointment_id: int, window: tuple[datetime, datetime] | None, count: int) -> Offer:
        return self._offer(actions.offer_rebook_times(self.db, client_id=self.client_id,
                                                      appointment_id=appointment_id, now=self.now,
                                                      window=window, count=count, reading=self.reading))

    def rebook(self, appointment_id: int, start: datetime) -> Change:
        if start <= self.now:
            return Change("unavailable")
        return self._change(actions.rebook(self.db, client_id=self.client_id, appointment_id=appointment_id,
                                           new_start=start, now=self.now, channel=self.channel,
                                           subscribers=self.subscribers))
