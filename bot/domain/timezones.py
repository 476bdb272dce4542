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


def first_instant_at(wall: datetime, tz: str | ZoneInfo, not_before: datetime | None = None) -> datetime:
    """The first instant at which the salon's clock reads `wall` or has just
    jumped past it, in UTC.

    Usually that is `wall` itself. In the hour skipped when clocks go forward
    it is the moment they jump (02:30 in New York on that night: 03:00 EDT,
    not 03:30, which a plain conversion gives). In the hour repeated when
    clocks go back it is the first time round, or the second when the first
    is before `not_before` (01:10 EST, the second time: 01:30 is still ahead).
    """
    z = zone(tz) if isinstance(tz, str) else tz
    naive = wall.replace(tzinfo=None)
    first = naive.replace(tzinfo=z, fold=0).astimezone(UTC)
    second = naive.replace(tzinfo=z, fold=1).astimezone(UTC)
    if first.astimezone(z).replace(tzinfo=None) != naive:
        # Skipped: fold=1 reads it with the offset after the jump (an instant
        # before it), fold=0 with the one before (after it). Find the jump.
        before, after = int(second.timestamp()), int(first.timestamp())
        while after - before > 1:
            middle = (before + after) // 2
            if datetime.fromtimestamp(middle, z).replace(tzinfo=None) >= naive:
                after = middle
            else:
                before = middle
        return datetime.fromtimestamp(after, UTC)
    if not_before is not None and first < as_utc(not_before) <= second:
        return second
    return first


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
    end_day = day + timedelta(days=1) if closes == time(0) else day
    return first_instant_at(datetime.combine(day, opens), z), first_instant_at(datetime.combine(end_day, closes), z)
