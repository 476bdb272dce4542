"""Time zones and the UTC/wall-clock boundary.

Everything is stored in UTC and shown in the salon's zone; these helpers are
the only place the two meet, so daylight-saving gaps and folds are decided once.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.errors import UnknownTimeZone

UTC = timezone.utc


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name, or UnknownTimeZone."""
    if not isinstance(name, str) or not name or name.startswith(("/", ".")):
        raise UnknownTimeZone(f"unknown time zone: {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UnknownTimeZone(f"unknown time zone: {name!r}") from None


def as_utc(moment: datetime) -> datetime:
    """An aware datetime in UTC; naive input is refused, never guessed."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime where an aware one is required")
    return moment.astimezone(UTC)


def to_local(moment: datetime, tz: str | ZoneInfo) -> datetime:
    z = zone(tz) if isinstance(tz, str) else tz
    return as_utc(moment).astimezone(z)


def wall_to_utc(wall: datetime, tz: str | ZoneInfo) -> datetime | None:
    """UTC instant for a salon wall-clock time, or None when that wall time
    does not exist (the hour skipped when clocks go forward). In the repeated
    hour when clocks go back, the first occurrence is meant."""
    z = zone(tz) if isinstance(tz, str) else tz
    local = wall.replace(tzinfo=z, fold=0)
    utc = local.astimezone(UTC)
    if utc.astimezone(z).replace(tzinfo=None) != wall.replace(tzinfo=None):
        return None
    return utc


def day_bounds(day: date, tz: str | ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of a salon-local calendar day, in UTC (23 or 25 hours on DST days)."""
    z = zone(tz) if isinstance(tz, str) else tz
    start = datetime.combine(day, time(0), tzinfo=z).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=z).astimezone(UTC)
    return start, end


def wall_interval(day: date, opens: time, closes: time, tz: str | ZoneInfo) -> tuple[datetime, datetime]:
    """A wall-clock interval on a local day as UTC; times inside a DST gap move
    forward to the first instant that exists. closes == 00:00 means midnight at the day's end."""
    z = zone(tz) if isinstance(tz, str) else tz
    start = datetime.combine(day, opens).replace(tzinfo=z).astimezone(UTC)
    end_day = day + timedelta(days=1) if closes == time(0) else day
    end = datetime.combine(end_day, closes).replace(tzinfo=z).astimezone(UTC)
    return start, end
