"""A conversation's own rows: the inbound message recorded first, the turn
finished last (state, flags, the reply in the transcript).

These two run for every message of every channel, so they are written by
hand: plain Core statements run on the driver (bot.persistence.statements),
one transaction each, and on PostgreSQL one statement each where the
conversation already exists (data-modifying CTEs: BEGIN, several statements
and COMMIT were most of a message's database time). Recording also reads the
client's upcoming appointments, as rows the rules can read, in the same
round trip. A provider's message id is unique: a repeat breaks the key, rolls
back and reads the first delivery's reply instead.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Connection, bindparam, func, insert, literal, select, true, update
from sqlalchemy.exc import IntegrityError

from bot.domain.models import Client, Conversation, Message, Salon, SmsNumber
from bot.persistence.appointment_rows import LINE_COLUMNS, Line, upcoming_lines
from bot.persistence.database import Database
from bot.persistence.salon_setup import SETUP_VERSION
from bot.persistence.statements import Lean, Statements

MAX_STORED_BODY = 10_000


@dataclass(frozen=True)
class SalonKey:
    """What handling a message needs of its salon before anything else: which
    salon, its country (to read phone numbers) and its own Twilio token, if any."""
    id: int
    country: str
    auth_token: str | None


@dataclass(frozen=True)
class Key:
    """Whose conversation a message belongs to: the salon, the channel and the
    address on it (E.164 for a text), and the client speaking where the
    channel vouches for them by id or by a phone number."""
    salon_id: int
    channel: str
    address: str
    client_id: int | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Recorded:
    """The inbound message, written, and what recording it learnt of its conversation."""
    salon_id: int
    conversation_id: int
    message_id: int
    client_id: int | None
    state: dict | None
    handed_off: bool
    setup_version: int
    client_name: str | None = None       # the client's, when the conversation row brought them
    client_language: str | None = None
    client_opted_out: bool = False
    upcoming: tuple[Line, ...] | None = None   # the client's, when recording read them too


@dataclass(frozen=True)
class Repeated:
    """A delivery id seen before: the reply its first delivery got."""
    reply: str | None
    conversation_id: int


_SEEN = select(Message.reply, Message.conversation_id).where(Message.provider_sid == bindparam("sid"))
_SALON_KEY = (Salon.id, Salon.country, Salon.twilio_auth_token)
_SALON_BY_NUMBER = select(*_SALON_KEY).join(SmsNumber).where(SmsNumber.phone == bindparam("number"))
_SALON_BY_SLUG = select(*_SALON_KEY).where(Salon.slug == bindparam("slug"))
_CLIENT_BY_PHONE = select(Client.id).where(Client.salon_id == bindparam("salon_id"), Client.phone == bindparam("phone"))
_CLIENT_BY_ID = select(Client.id).where(Client.salon_id == bindparam("salon_id"), Client.id == bindparam("client_id"))


@dataclass(frozen=True)
class _Recording:
    """The statements that record a message, for one way a channel vouches for
    its client (a phone number, or a client id): the statement a message runs
    is the one its channel needs, with nothing else to plan or run."""
    find_conversation: Lean
    record_in_one: Lean


def _recording(vouched) -> _Recording:
    # The conversation, the client the channel vouches for, and the salon's
    # setup version (the turn checks its cached setup against it), in one query.
    conversation_row = select(
        Conversation.id, Conversation.client_id, Conversation.state, Conversation.handed_off,
        vouched.scalar_subquery().label("number_client_id"), SETUP_VERSION.scalar_subquery().label("setup_version"),
        Client.name.label("client_name"), Client.language.label("client_language"),
        Client.opted_out.label("client_opted_out")).outerjoin(Client, Client.id == Conversation.client_id).where(
        Conversation.salon_id == bindparam("salon_id"), Conversation.channel == bindparam("channel"),
        Conversation.address == bindparam("address"))
    # PostgreSQL: the conversation, the inbound message's insert and the client's
    # upcoming appointments (a row each of their lines, or one row without) in
    # one statement.
    found = conversation_row.cte("found_conversation")
    inserted = insert(Message).from_select(
        ["conversation_id", "direction", "author", "body", "provider_sid", "num_media", "created_at"],
        select(found.c.id, literal("in"), literal("client"), bindparam("i_body", type_=Message.body.type),
               bindparam("i_sid", type_=Message.provider_sid.type), bindparam("i_media", type_=Message.num_media.type),
               bindparam("i_at", type_=Message.created_at.type))
    ).returning(Message.id, Message.conversation_id).cte("inserted")
    upcoming = upcoming_lines(func.coalesce(found.c.client_id, found.c.number_client_id),
                              bindparam("i_at", type_=Message.created_at.type)).lateral("upcoming")
    record_in_one = (
        select(inserted.c.id.label("message_id"), found, *(column.label("upcoming_" + column.key) for column in upcoming.c))
        .select_from(inserted.join(found, inserted.c.conversation_id == found.c.id).outerjoin(upcoming, true()))
        .order_by(upcoming.c.appointment_id, upcoming.c.starts_at, upcoming.c.line_id))
    return _Recording(Lean(conversation_row), Lean(record_in_one))


_BY_PHONE, _BY_CLIENT = _recording(_CLIENT_BY_PHONE), _recording(_CLIENT_BY_ID)
_UPCOMING_WIDTH = len(LINE_COLUMNS)
_CONVERSATION_CLIENT = Lean(select(Conversation.client_id).where(Conversation.id == bindparam("cid")))
_LINK_CLIENT = Lean(update(Conversation).where(Conversation.id == bindparam("cid")).values(
    client_id=bindparam("client_id")))
_NEW_CONVERSATION = insert(Conversation)
_MESSAGE_COLUMNS = ("conversation_id", "direction", "author", "body", "provider_sid", "num_media", "created_at")
# Every column named: a Lean statement gets no Python-side defaults.
_INSERT_MESSAGE = insert(Message).values({column: bindparam(column) for column in _MESSAGE_COLUMNS})
_NEW_MESSAGE = Lean(_INSERT_MESSAGE)
_NEW_INBOUND = Lean(_INSERT_MESSAGE.returning(Message.id))
# (Its parameters are not named after the columns: PostgreSQL's one-statement
# finish also inserts a message, whose columns those names would clash with.)
_SET_REPLY = update(Message).where(Message.id == bindparam("mid")).values(
    intent=bindparam("m_intent"), reply=bindparam("m_reply"))
_SET_REPLY_LEAN = Lean(_SET_REPLY)


def find_salon(conn: Connection, channel: str, address: str) -> SalonKey | None:
    """The salon a message is for: by the number texted (sms, E.164) or its slug (other channels)."""
    if channel == "sms":
        row = conn.execute(_SALON_BY_NUMBER, {"number": address}).first()
    else:
        row = conn.execute(_SALON_BY_SLUG, {"slug": address}).first()
    return None if row is None else SalonKey(row.id, row.country, row.twilio_auth_token)


def salon_of(db: Database, channel: str, address: str) -> SalonKey | None:
    with db.read_connection() as conn:
        return find_salon(conn, channel, address)


def storable(body: str) -> str:
    """What the transcript keeps: PostgreSQL text cannot hold NUL, and a
    client's essay is kept to a sane length."""
    return body[:MAX_STORED_BODY].replace("\x00", "\ufffd")


def record(db: Database, key: Key, body: str, delivery_id: str | None, num_media: int, now: datetime,
           retry: bool = True) -> Recorded | Repeated:
    """Write the inbound message first. A repeat of a delivery id gets the first reply.

    One transaction of plain statements: the conversation (with the client
    the channel vouches for) by key, made if new, then the message; on
    PostgreSQL, when the conversation exists, one statement. A repeated
    delivery id breaks the message's unique key: the transaction rolls back,
    leaving nothing, and the first delivery's reply is read instead (the
    rare repeat pays for that, rather than every message paying for a
    look-up first)."""
    params = _params(key)
    try:
        if not db.is_sqlite:
            recorded = _record_in_one(db, key, params, body, delivery_id, num_media, now)
            if recorded is not None:
                return recorded
        with db.write_connection() as conn:
            statements = Statements.on(conn)
            row = statements.first(_recording_for(key).find_conversation, params) or \
                _new_conversation(conn, key, params, now)
            message_id = statements.first(_NEW_INBOUND, {
                "conversation_id": row.id, "direction": "in", "author": "client", "body": storable(body),
                "provider_sid": delivery_id, "num_media": num_media, "created_at": now}).id
            recorded = _recorded(statements, row, key.salon_id, message_id)
            if recorded.client_id is None:
                return recorded
            # The client's upcoming appointments in the same transaction, as
            # PostgreSQL reads them in the same statement: a turn that needs
            # nothing else (most) then opens no read of its own.
            return replace(recorded, upcoming=tuple(statements.rows(_UPCOMING_LINES, {
                "client_id": recorded.client_id, "now": now})))
    except IntegrityError:
        repeat = seen(db, delivery_id) if delivery_id else None
        if repeat is not None:
            return repeat
        if not retry:
            raise
        # Two first messages from one address at once both made its conversation;
        # the other one's is there now.
        return record(db, key, body, delivery_id, num_media, now, retry=False)


def _recording_for(key: Key) -> _Recording:
    return _BY_CLIENT if key.client_id is not None else _BY_PHONE


def _params(key: Key) -> dict:
    return {"salon_id": key.salon_id, "channel": key.channel, "address": key.address, "phone": key.phone,
            "client_id": key.client_id}


def _record_in_one(db: Database, key: Key, params: dict, body: str, delivery_id: str | None, num_media: int,
                   now: datetime) -> Recorded | None:
    """PostgreSQL, a conversation that exists (nearly every message): find it
    and insert the message in one statement, atomic by itself, instead of
    BEGIN, two statements and COMMIT. None when the conversation is new."""
    with db.statements() as statements:
        rows = statements.rows(_recording_for(key).record_in_one, {
            **params, "i_body": storable(body), "i_sid": delivery_id, "i_media": num_media, "i_at": now})
        if not rows:
            return None
        upcoming = tuple(Line._make(row[-_UPCOMING_WIDTH:]) for row in rows if row.upcoming_appointment_id is not None)
        return _recorded(statements, rows[0], key.salon_id, rows[0].message_id, upcoming)


def seen(db: Database, delivery_id: str) -> Repeated | None:
    with db.read_connection() as conn:
        found = conn.execute(_SEEN, {"sid": delivery_id}).first()
    return None if found is None else Repeated(found.reply, found.conversation_id)


@dataclass(frozen=True)
class _NewConversation:
    """A conversation just made, in the shape of a find_conversation row."""
    id: int
    client_id: int | None
    setup_version: int
    state: None = None
    handed_off: bool = False
    number_client_id: None = None
    client_name: None = None
    client_language: None = None
    client_opted_out: None = None


def _new_conversation(conn: Connection, key: Key, params: dict, now: datetime) -> _NewConversation:
    """Make the conversation, its client linked when the channel vouches for one.
    (Its updated_at moves when the turn is finished.)"""
    client_id = None
    if key.client_id is not None:
        client_id = conn.execute(_CLIENT_BY_ID, params).scalar()
    elif key.phone:
        client_id = conn.execute(_CLIENT_BY_PHONE, params).scalar()
    conversation_id = conn.execute(_NEW_CONVERSATION, {
        "salon_id": key.salon_id, "channel": key.channel, "address": key.address, "client_id": client_id,
        "state": {}, "updated_at": now}).inserted_primary_key[0]
    return _NewConversation(conversation_id, client_id, conn.execute(SETUP_VERSION, params).scalar_one())


def _recorded(statements: Statements, row, salon_id: int, message_id: int,
              upcoming: tuple[Line, ...] | None = None) -> Recorded:
    """What the turn needs of the conversation `row` (a find_conversation row
    or a _NewConversation). A conversation without a client gets the client
    the channel vouches for, if there is one now; the turn then reads them itself."""
    client_id = row.client_id
    if client_id is None and row.number_client_id is not None:
        client_id = row.number_client_id
        statements.run(_LINK_CLIENT, {"cid": row.id, "client_id": client_id})
    named = row.client_id is not None
    return Recorded(salon_id, row.id, message_id, client_id, row.state, bool(row.handed_off), row.setup_version,
                    row.client_name if named else None, row.client_language if named else None,
                    bool(row.client_opted_out) if named else False, upcoming)


def finish(db: Database, recorded: Recorded, *, intent: str, state: dict, reply: str | None,
           flag: str | None, hand_off: bool, opted_out: bool | None, now: datetime) -> None:
    """Remember, apply the turn's flags, and write the reply to the transcript.

    Plain UPDATE and INSERT statements by key, in one transaction: the same
    rows and values as loading the objects and flushing them, without reading
    them first (the client only when the turn opts them out or in)."""
    conversation: dict = {"state": state, "updated_at": now}
    if flag is not None:
        conversation.update(flag=flag, flagged_at=now)
    if hand_off:
        conversation["handed_off"] = True
    client: dict | None = None
    if opted_out is not None:
        client = {"opted_out": True, "opted_out_at": now} if opted_out else {"opted_out": False, "opted_out_at": None}
    conversation_id, message_id = recorded.conversation_id, recorded.message_id
    if client is None and not db.is_sqlite:
        # PostgreSQL: the same writes as one statement, which is atomic by
        # itself; five round trips (BEGIN, three statements, COMMIT) become one.
        params = {"key": conversation_id, **_values(conversation), "mid": message_id, "m_intent": intent,
                  "m_reply": reply}
        if reply:
            params.update(o_direction="out", o_author="bot", o_body=reply, o_created_at=now, o_num_media=0)
        with db.statements() as statements:
            statements.run(_finish_in_one(tuple(conversation), bool(reply)), params)
        return
    with db.write_connection() as conn:
        statements = Statements.on(conn)
        statements.run(_set(Conversation, tuple(conversation)), {"key": conversation_id, **_values(conversation)})
        statements.run(_SET_REPLY_LEAN, {"mid": message_id, "m_intent": intent, "m_reply": reply})
        if client is not None:
            owner = statements.first(_CONVERSATION_CLIENT, {"cid": conversation_id})
            if owner is not None and owner.client_id is not None:
                statements.run(_set(Client, tuple(client)), {"key": owner.client_id, **_values(client)})
        if reply:
            statements.run(_NEW_MESSAGE, {"conversation_id": conversation_id, "direction": "out", "author": "bot",
                                          "body": reply, "provider_sid": None, "num_media": 0,
                                          "created_at": now})


@lru_cache(maxsize=None)
def _set(model: type, columns: tuple[str, ...]) -> Lean:
    """UPDATE model SET these columns WHERE id = :key, built once per column
    set (a statement built per message cost more to prepare than to run)."""
    return Lean(_update(model, columns))


def _update(model: type, columns: tuple[str, ...]):
    return update(model).where(model.id == bindparam("key")).values(
        {column: bindparam("v_" + column) for column in columns})


@lru_cache(maxsize=None)
def _finish_in_one(columns: tuple[str, ...], with_reply: bool) -> Lean:
    """finish's statements as one, with data-modifying CTEs (PostgreSQL):
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


def upcoming(db_connection: Connection, client_id: int, now: datetime) -> tuple[Line, ...]:
    """The lines of the client's booked or confirmed appointments that have
    not started, by appointment and start."""
    return tuple(Statements.on(db_connection).rows(_UPCOMING_LINES, {"client_id": client_id, "now": now}))


_UPCOMING_LINES = Lean(upcoming_lines(bindparam("client_id"), bindparam("now")).order_by(
    "appointment_id", "starts_at", "line_id"))


def lines_by_appointment(lines: tuple[Line, ...]) -> Iterator[tuple[int, tuple[Line, ...]]]:
    """Upcoming lines (ordered by appointment) grouped per appointment."""
    start = 0
    for i in range(1, len(lines) + 1):
        if i == len(lines) or lines[i].appointment_id != lines[start].appointment_id:
            yield lines[start].appointment_id, lines[start:i]
            start = i
