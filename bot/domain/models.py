"""The salon domain as SQLAlchemy 2.0 typed models.

Times are stored in UTC (aware datetimes in Python, naive UTC in the database
so SQLite and PostgreSQL store them alike). Weekly hours are wall-clock
`time`s in the salon's zone, because "we open at 9" means 9 whatever the
season. Constructors validate what a person could get wrong (phone numbers,
time zones, durations) so nothing half-valid reaches the database.
"""
from __future__ import annotations

import enum
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from bot.domain import phones
from bot.domain.errors import DomainError, InvalidDuration, InvalidPhone
from bot.domain.timezones import UTC, as_utc, zone

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Aware UTC in Python, naive UTC in the database, on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return as_utc(value).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime()}


def utcnow() -> datetime:
    return datetime.now(UTC)


@event.listens_for(Base, "init", propagate=True)
def _scalar_defaults(target: Base, _args: tuple, kwargs: dict) -> None:
    """Give a new object its columns' plain defaults at once, not only at
    INSERT, so the rules read the same values from an unsaved object."""
    for column in target.__table__.columns:
        default = column.default
        if column.key not in kwargs and default is not None and default.is_scalar:
            kwargs[column.key] = default.arg


class Status(str, enum.Enum):
    BOOKED = "booked"
    CONFIRMED = "confirmed"
    CANCELED = "canceled"
    LATE_CANCELED = "late_canceled"
    NO_SHOW = "no_show"
    COMPLETED = "completed"


ACTIVE_STATUSES = (Status.BOOKED.value, Status.CONFIRMED.value)
CANCELED_STATUSES = (Status.CANCELED.value, Status.LATE_CANCELED.value)


class BookedVia(str, enum.Enum):
    ONLINE = "online"
    STAFF = "staff"


LANGUAGES = ("en", "es")


class Salon(Base):
    """A tenant: one business, its zone, country and numbers."""

    __tablename__ = "salon"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))
    country: Mapped[str] = mapped_column(String(2))
    phone: Mapped[str | None] = mapped_column(String(20))  # for "call us", E.164
    notification_phone: Mapped[str | None] = mapped_column(String(20))  # where "a client moved..." texts go
    # A salon may bring its own Twilio account; otherwise the deployment's is used.
    twilio_account_sid: Mapped[str | None] = mapped_column(String(64))
    twilio_auth_token: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Counts changes to the salon's setup (itself, settings, hours, closures,
    # numbers, staff and their hours and time off, services), in the same
    # transaction as the change: see bot.persistence.salon_setup, which caches the setup.
    setup_version: Mapped[int] = mapped_column(Integer, default=0)

    numbers: Mapped[list[SmsNumber]] = relationship(back_populates="salon", cascade="all, delete-orphan")
    opening_hours: Mapped[list[OpeningHours]] = relationship(back_populates="salon", cascade="all, delete-orphan")
    closures: Mapped[list[Closure]] = relationship(back_populates="salon", cascade="all, delete-orphan")
    staff: Mapped[list[Staff]] = relationship(back_populates="salon", cascade="all, delete-orphan")
    services: Mapped[list[Service]] = relationship(back_populates="salon", cascade="all, delete-orphan")
    clients: Mapped[list[Client]] = relationship(back_populates="salon", cascade="all, delete-orphan")
    groups: Mapped[list[AppointmentGroup]] = relationship(back_populates="salon", cascade="all, delete-orphan")
    appointments: Mapped[list[Appointment]] = relationship(back_populates="salon", cascade="all, delete-orphan")
    settings: Mapped[SalonSettings] = relationship(
        back_populates="salon", cascade="all, delete-orphan", uselist=False
    )

    @validates("timezone")
    def _check_timezone(self, _key: str, value: str) -> str:
        zone(value)
        return value

    @validates("country")
    def _check_country(self, _key: str, value: str) -> str:
        if not phones.is_region(value):
            raise DomainError(f"unknown country code: {value!r}")
        return value.upper()

    @validates("phone", "notification_phone")
    def _check_phone(self, _key: str, value: str | None) -> str | None:
        return None if value is None else phones.to_e164(value, self.country)

    def e164(self, raw: str) -> str:
        """A number as a client or staff member of this salon would write it, in E.164."""
        return phones.to_e164(raw, self.country)


class SmsNumber(Base):
    """A number the salon texts from; inbound texts find their salon by it."""

    __tablename__ = "sms_number"

    id: Mapped[int] = mapped_column(primary_key=True)
    salon_id: Mapped[int] = mapped_column(ForeignKey("salon.id", ondelete="CASCADE"))
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    salon: Mapped[Salon] = relationship(back_populates="numbers")

    @validates("phone")
    def _check_phone(self, _key: str, value: str) -> str:
        return phones.to_e164(value)


def _check_weekday(value: int) -> int:
    if not isinstance(value, int) or not 0 <= value <= 6:
        raise DomainError(f"weekday must be 0 (Monday) to 6 (Sunday), not {value!r}")
    return value


class OpeningHours(Base):
    """The salon is open [opens, closes) on a weekday (0 = Monday); several rows allow a split day."""

    __tablename__ = "opening_hours"
    __table_args__ = (CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    salon_id: Mapped[int] = mapped_column(ForeignKey("salon.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)  # 00:00 means midnight at the day's end
    salon: Mapped[Salon] = relationship(back_populates="opening_hours")

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        _check_hours(self.opens, self.closes)

    @validates("weekday")
    def _weekday(self, _key: str, value: int) -> int:
        return _check_weekday(value)


def _check_hours(start: time | None, end: time | None) -> None:
    if start is None or end is None:
        raise DomainError("hours need a start and an end")
    if end != time(0) and end <= start:
        raise DomainError(f"hours end ({end}) before they start ({start})")


class Closure(Base):
    """A span the whole salon is closed (a holiday, a refit), in UTC."""

    __tablename__ = "closure"

    id: Mapped[int] = mapped_column(primary_key=True)
    salon_id: Mapped[int] = mapped_column(ForeignKey("salon.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(200), default="")
    salon: Mapped[Salon] = relationship(back_populates="closures")

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        _check_span(self.starts_at, self.ends_at)


def _check_span(start: datetime | None, end: datetime | None) -> None:
    if start is None or end is None or as_utc(end) <= as_utc(start):
        raise DomainError("a span must end after it starts")


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    salon_id: Mapped[int] = mapped_column(ForeignKey("salon.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    salon: Mapped[Salon] = relationship(back_populates="staff")
    working_hours: Mapped[list[WorkingHours]] = relationship(back_populates="staff", cascade="all, delete-orphan")
    time_off: Mapped[list[TimeOff]] = relationship(back_populates="staff", cascade="all, delete-orphan")


class WorkingHours(Base):
    """The staff member works [starts, ends) on a weekday, salon wall clock."""

    __tablename__ = "working_hours"
    __table_args__ = (CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)
    staff: Mapped[Staff] = relationship(back_populates="working_hours")

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        _check_hours(self.starts, self.ends)

    @validates("weekday")
    def _weekday(self, _key: str, value: int) -> int:
        return _check_weekday(value)


class TimeOff(Base):
    __tablename__ = "time_off"
    __table_args__ = (Index("ix_time_off_staff_starts", "staff_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(200), default="")
    staff: Mapped[Staff] = relationship(back_populates="time_off")

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        _check_span(self.starts_at, self.ends_at)


class Service(Base):
    """A service on the menu.

    Of its default minutes, the first part is hands-on; then `processing_minutes`
    (colour developing: the staff member is free for someone else); then
    `finishing_minutes` hands-on again. `buffer_minutes` follow the end
    (clean-up: not bookable, but not part of the client's time).
    """

    __tablename__ = "service"
    __table_args__ = (
        CheckConstraint("default_minutes > 0", name="default_minutes_positive"),
        CheckConstraint("processing_minutes >= 0 AND finishing_minutes >= 0 AND buffer_minutes >= 0",
                        name="phases_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    salon_id: Mapped[int] = mapped_column(ForeignKey("salon.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_es: Mapped[str | None] = mapped_column(String(120))
    default_minutes: Mapped[int] = mapped_column(Integer)
    processing_minutes: Mapped[int] = mapped_column(Integer, default=0)
    finishing_minutes: Mapped[int] = mapped_column(Integer, default=0)
    buffer_minutes: Mapped[int] = mapped_column(Integer, default=0)
    online_booking: Mapped[bool] = mapped_column(Boolean, default=True)
    price_cents: Mapped[int] = mapped_column(Integer, default=0)
    salon: Mapped[Salon] = relationship(back_populates="services")

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        minutes = (self.default_minutes, self.processing_minutes, self.finishing_minutes, self.buffer_minutes)
        if not all(isinstance(m, int) and m >= 0 for m in minutes) or self.default_minutes <= 0:
            raise InvalidDuration(f"service {self.name!r}: minutes must be whole and positive")
        if self.processing_minutes and self.processing_minutes + self.finishing_minutes >= self.default_minutes:
            raise InvalidDuration(f"service {self.name!r}: processing and finishing must leave hands-on time first")

    def display_name(self, lang: str = "en") -> str:
        return service_name(self.name, self.name_es, lang)


def service_name(name: str, name_es: str | None, lang: str) -> str:
    """A service's name in the client's language (Spanish when it has one)."""
    return (name_es or name) if lang == "es" else name


def first_name(name: str) -> str:
    return name.split()[0] if name.strip() else name


class Client(Base):
    __tablename__ = "client"
    __table_args__ = (UniqueConstraint("salon_id", "phone", name="uq_client_salon_phone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    salon_id: Mapped[int] = mapped_column(ForeignKey("salon.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20))  # E.164
    email: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2), default="en")
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    opted_out_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    salon: Mapped[Salon] = relationship(back_populates="clients")
    appointments: Mapped[list[Appointment]] = relationship(back_populates="client", foreign_keys="Appointment.client_id")

    def __init__(self, **kw: Any) -> None:
        salon = kw.get("salon")
        raw = kw.pop("phone", None)
        super().__init__(**kw)
        if raw is None:
            raise InvalidPhone("a client needs a phone number")
        # Parsed against the salon's country so "(415) 555-0100" works for a US salon.
        self.phone = phones.to_e164(raw, salon.country if salon is not None else None)

    @validates("language")
    def _check_language(self, _key: str, value: str) -> str:
        if value not in LANGUAGES:
            raise DomainError(f"unsupported language: {value!r}")
        return value

    @property
    def first_name(self) -> str:
        return first_name(self.name)


class AppointmentGroup(Base):
    """Appointments booked together (friends, a bridal party). Only the primary
    contact may move or cancel them, and then all of them at once."""

    __tablename__ = "appointment_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    salon_id: Mapped[int] = mapped_column(ForeignKey("salon.id", ondelete="CASCADE"), index=True)
    primary_client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
    salon: Mapped[Salon] = relationship(back_populates="groups")
    primary_client: Mapped[Client] = relationship()
    appointments: Mapped[list[Appointment]] = relationship(back_populates="group")


class AppointmentSpan:
    """When an appointment starts and ends, from its lines, and whether it
    still stands: the same for the ORM object and for the plain rows the
    rules read (bot.persistence.appointment_rows)."""

    __slots__ = ()

    @property
    def starts_at(self) -> datetime:
        return min(line.starts_at for line in self.lines)

    @property
    def ends_at(self) -> datetime:
        return max(line.ends_at for line in self.lines)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def service_names(self, lang: str = "en") -> list[str]:
        """Each service line's name in the client's language, in order."""
        return [line.service.display_name(lang) for line in self.lines]

    def staff_names(self) -> list[str]:
        """Each staff member once, in line order."""
        return list(dict.fromkeys(line.staff.name for line in self.lines))


class Appointment(AppointmentSpan, Base):
    __tablename__ = "appointment"
    __table_args__ = (Index("ix_appointment_client_status", "client_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    salon_id: Mapped[int] = mapped_column(ForeignKey("salon.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("appointment_group.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=Status.BOOKED.value)
    booked_via: Mapped[str] = mapped_column(String(8), default=BookedVia.STAFF.value)
    booked_at: Mapped[datetime] = mapped_column(default=utcnow)
    self_reschedules: Mapped[int] = mapped_column(Integer, default=0)
    canceled_at: Mapped[datetime | None]
    notes: Mapped[str] = mapped_column(Text, default="")

    salon: Mapped[Salon] = relationship(back_populates="appointments")
    client: Mapped[Client] = relationship(back_populates="appointments", foreign_keys=[client_id])
    group: Mapped[AppointmentGroup | None] = relationship(back_populates="appointments")
    lines: Mapped[list[ServiceLine]] = relationship(
        back_populates="appointment", cascade="all, delete-orphan", order_by="ServiceLine.starts_at"
    )

    def __init__(self, **kw: Any) -> None:
        kw.setdefault("booked_at", utcnow())
        super().__init__(**kw)

    @validates("status")
    def _check_status(self, _key: str, value: str | Status) -> str:
        return Status(value).value

    @validates("booked_via")
    def _check_via(self, _key: str, value: str | BookedVia) -> str:
        return BookedVia(value).value


class ServiceLine(Base):
    """One service in an appointment: who does it, when, for how long."""

    __tablename__ = "service_line"
    __table_args__ = (
        CheckConstraint("minutes > 0", name="minutes_positive"),
        # The availability search reads one staff member's lines by start time;
        # this index is what keeps its cost tied to the horizon, not to history.
        Index("ix_service_line_staff_starts", "staff_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointment.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    starts_at: Mapped[datetime]
    minutes: Mapped[int] = mapped_column(Integer)

    appointment: Mapped[Appointment] = relationship(back_populates="lines")
    service: Mapped[Service] = relationship()
    staff: Mapped[Staff] = relationship()

    def __init__(self, **kw: Any) -> None:
        service = kw.get("service")
        if "minutes" not in kw and service is not None:
            kw["minutes"] = service.default_minutes
        super().__init__(**kw)
        if not isinstance(self.minutes, int) or self.minutes <= 0:
            raise InvalidDuration(f"a service line needs a positive whole number of minutes, not {self.minutes!r}")
        if self.starts_at is None:
            raise DomainError("a service line needs a start time")
        self.starts_at = as_utc(self.starts_at)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


class SalonSettings(Base):
    """The salon's Cancel & Reschedule settings, plus the few that shape the search."""

    __tablename__ = "salon_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    salon_id: Mapped[int] = mapped_column(ForeignKey("salon.id", ondelete="CASCADE"), unique=True)
    allow_self_reschedule: Mapped[bool] = mapped_column(Boolean, default=True)
    reschedule_notice_hours: Mapped[int] = mapped_column(Integer, default=24)
    allow_self_cancel: Mapped[bool] = mapped_column(Boolean, default=True)
    cancel_notice_hours: Mapped[int] = mapped_column(Integer, default=24)
    online_grace_minutes: Mapped[int] = mapped_column(Integer, default=15)
    cancellation_policy: Mapped[str] = mapped_column(Text, default="")
    cancellation_policy_es: Mapped[str] = mapped_column(Text, default="")
    booking_horizon_days: Mapped[int] = mapped_column(Integer, default=60)
    slot_step_minutes: Mapped[int] = mapped_column(Integer, default=15)
    max_self_reschedules: Mapped[int] = mapped_column(Integer, default=2)
    # Messaging
    reminder_hours_before: Mapped[int] = mapped_column(Integer, default=24)
    quiet_hours_start: Mapped[time] = mapped_column(Time, default=time(21, 0))
    quiet_hours_end: Mapped[time] = mapped_column(Time, default=time(8, 0))
    followup_days: Mapped[int] = mapped_column(Integer, default=2)
    offer_minutes: Mapped[int] = mapped_column(Integer, default=30)   # offered times are held this long
    # Twilio's default opt-out keywords include a lone CANCEL; while this is on
    # the bot treats such a message as the opt-out it became (see bot.conversation.dialogue).
    twilio_default_keywords: Mapped[bool] = mapped_column(Boolean, default=True)
    salon: Mapped[Salon] = relationship(back_populates="settings")

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        if not 5 <= self.slot_step_minutes <= 120 or 60 % self.slot_step_minutes and self.slot_step_minutes % 60:
            raise DomainError("slot step must divide the hour (5, 10, 15, 20, 30 or 60 minutes)")
        for key in ("reschedule_notice_hours", "cancel_notice_hours", "online_grace_minutes",
                    "booking_horizon_days", "max_self_reschedules"):
            if getattr(self, key) < 0:
                raise DomainError(f"{key} cannot be negative")

    def policy(self, lang: str = "en") -> str:
        return (self.cancellation_policy_es or self.cancellation_policy) if lang == "es" else self.cancellation_policy


class AuditEvent(Base):
    """Who changed what, through which channel: staff read these beside transcripts."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    salon_id: Mapped[int] = mapped_column(ForeignKey("salon.id", ondelete="CASCADE"), index=True)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointment.id", ondelete="SET NULL"), index=True)
    actor: Mapped[str] = mapped_column(String(16))      # client, staff, system
    actor_id: Mapped[int | None] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))    # sms, chat, portal, staff, rasa, cli
    kind: Mapped[str] = mapped_column(String(40))       # appointment_rescheduled, ...
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Conversation(Base):
    """One client (or unknown number) talking to one salon on one channel.

    `state` is the dialogue's memory between messages (what the bot last
    asked, the times it offered); `handed_off` keeps the bot quiet while staff
    talk; `flag` tells staff why they should look.
    """

    __tablename__ = "conversation"
    __table_args__ = (UniqueConstraint("salon_id", "channel", "address", name="uq_conversation_salon_channel_address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    salon_id: Mapped[int] = mapped_column(ForeignKey("salon.id", ondelete="CASCADE"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id", ondelete="SET NULL"), index=True)
    channel: Mapped[str] = mapped_column(String(8))          # sms, chat
    address: Mapped[str] = mapped_column(String(64))         # E.164 for sms, a session id for chat
    state: Mapped[dict] = mapped_column(JSON, default=dict)
    handed_off: Mapped[bool] = mapped_column(Boolean, default=False)
    flag: Mapped[str | None] = mapped_column(String(64))
    flagged_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    salon: Mapped[Salon] = relationship()
    client: Mapped[Client | None] = relationship()
    messages: Mapped[list[Message]] = relationship(back_populates="conversation", order_by="Message.id",
                                                   cascade="all, delete-orphan")

    def raise_flag(self, reason: str, now: datetime) -> None:
        self.flag, self.flagged_at = reason, now


class Message(Base):
    """A line of the transcript. Inbound messages keep the provider's id
    (acted on once) and the reply the bot gave, so a repeat gets the same."""

    __tablename__ = "message"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(3))        # in, out
    author: Mapped[str] = mapped_column(String(8))           # client, bot, staff
    body: Mapped[str] = mapped_column(Text, default="")
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    reply: Mapped[str | None] = mapped_column(Text)          # inbound: what the bot answered
    intent: Mapped[str | None] = mapped_column(String(24))   # inbound: how the bot read it
    num_media: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class OutboxStatus(str, enum.Enum):
    PENDING = "pending"          # waiting for the worker (or for its next try)
    SENDING = "sending"          # claimed by a worker; due_at is when its lease runs out
    SENT = "sent"                # handed to the provider; callbacks refine it
    QUEUED = "queued"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"            # given up: permanent error or out of tries
    SKIPPED = "skipped"          # not sent: the client opted out meanwhile


class Outbox(Base):
    """A text to send, written in the same transaction as the change that
    caused it; the worker sends it and records what the provider says."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    salon_id: Mapped[int] = mapped_column(ForeignKey("salon.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id", ondelete="SET NULL"), index=True)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointment.id", ondelete="SET NULL"))
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversation.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(24))            # reminder, confirmation, salon_notice, followup
    to_phone: Mapped[str] = mapped_column(String(20))
    from_phone: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    # One reminder per appointment, one follow-up per cancellation: the key says which.
    dedupe_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    status: Mapped[str] = mapped_column(String(12), default=OutboxStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime] = mapped_column(default=utcnow)
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    error_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
