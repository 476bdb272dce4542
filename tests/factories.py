"""Small builders for a salon and its appointments, so a test reads as its situation.

`SalonWorld` makes a salon in America/New_York open 09:00-19:00 every day but
Sunday, with staff working the same hours, unless a test says otherwise.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot.domain.models import (
    Appointment,
    AppointmentGroup,
    Client,
    OpeningHours,
    Salon,
    SalonSettings,
    Service,
    ServiceLine,
    SmsNumber,
    Staff,
    WorkingHours,
)
from bot.domain.timezones import UTC, wall_to_utc, zone

TZ = "America/New_York"


def local(text: str, tz: str = TZ) -> datetime:
    """'2026-12-01 15:00' on the salon's wall clock, as an aware UTC datetime."""
    moment = wall_to_utc(datetime.fromisoformat(text), zone(tz))
    assert moment is not None, f"{text} does not exist in {tz}"
    return moment


def show(moment: datetime, tz: str = TZ) -> str:
    return moment.astimezone(zone(tz)).strftime("%Y-%m-%d %H:%M")


class SalonWorld:
    def __init__(self, tz: str = TZ, hours: tuple[str, str] = ("09:00", "19:00"),
                 open_days: tuple[int, ...] = (0, 1, 2, 3, 4, 5), **settings) -> None:
        self.salon = Salon(name="Test Salon", slug="test", timezone=tz, country="US", phone="+12125550199")
        self.salon.numbers.append(SmsNumber(phone="+12125550100"))
        settings.setdefault("booking_horizon_days", 90)
        self.salon.settings = SalonSettings(**settings)
        opens, closes = time.fromisoformat(hours[0]), time.fromisoformat(hours[1])
        for weekday in open_days:
            self.salon.opening_hours.append(OpeningHours(weekday=weekday, opens=opens, closes=closes))
        self.hours, self.open_days = (opens, closes), open_days
        self.services: dict[str, Service] = {}
        self.staff: dict[str, Staff] = {}
        self._phone = 1000

    @property
    def settings(self) -> SalonSettings:
        return self.salon.settings

    def add_staff(self, name: str, hours: tuple[str, str] | None = None, days: tuple[int, ...] | None = None) -> Staff:
        member = Staff(name=name, salon=self.salon)
        starts, ends = (time.fromisoformat(h) for h in hours) if hours else self.hours
        for weekday in (days if days is not None else self.open_days):
            member.working_hours.append(WorkingHours(weekday=weekday, starts=starts, ends=ends))
        self.staff[name] = member
        return member

    def add_service(self, name: str, minutes: int, **kw) -> Service:
        service = Service(salon=self.salon, name=name, default_minutes=minutes, **kw)
        self.services[name] = service
        return service

    def add_client(self, name: str = "Ana Garcia", language: str = "en") -> Client:
        self._phone += 1
        return Client(salon=self.salon, name=name, phone=f"(212) 555-{self._phone:04d}", language=language)

    def book(self, client: Client, *lines: tuple[str, str, str] | tuple[str, str, str, int], **kw) -> Appointment:
        """Lines as (service, staff, local start[, minutes])."""
        appt = Appointment(salon=self.salon, client=client, **kw)
        for line in lines:
            service, staff, start = self.services[line[0]], self.staff[line[1]], local(line[2])
            minutes = line[3] if len(line) > 3 else service.default_minutes
            appt.lines.append(ServiceLine(service=service, staff=staff, starts_at=start, minutes=minutes))
        return appt

    def group(self, primary: Client) -> AppointmentGroup:
        return AppointmentGroup(salon=self.salon, primary_client=primary)


def standard_world(**settings) -> SalonWorld:
    world = SalonWorld(**settings)
    world.add_staff("Maria")
    world.add_staff("Jordan")
    world.add_service("Haircut", 60)
    world.add_service("Blowout", 45)
    world.add_service("Keratin", 150, online_booking=False)
    world.add_service("Color", 120, processing_minutes=45, finishing_minutes=30)
    world.add_service("Manicure", 45, buffer_minutes=15)
    return world


def days_from(day: date, n: int) -> date:
    return day + timedelta(days=n)


NOW = local("2026-11-24 10:00")   # a Tuesday
assert NOW.tzinfo is UTC
