"""Open start times for moving an appointment, with the same staff member.

What moves is a Block: every service line of one appointment (or of a whole
group), each keeping its staff member and its offset from the block's start.
A start is open when, for every line,
- the line's own time lies inside the salon's opening hours and the staff
  member's working hours, outside time off and closures (`Calendar.free`);
- the line's busy time (hands-on phases and the buffer after, but not the
  processing time in between, when the staff member is free) misses every
  other appointment's busy time (`Calendar.busy`);
- and the start is on the salon's slot grid (wall clock, so 9:15 stays 9:15
  across a daylight-saving change), after the notice window and inside the
  booking horizon.

Everything here is plain computation on UTC datetimes. Busy time comes from
a loader the caller plugs in (the database, or a list in a test), asked for a
week at a time, so the cost follows the appointments near the times searched,
never the size of the history.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.errors import InvalidWindow, StartInPast
from bot.domain.timezones import UTC, as_utc, wall_interval, wall_to_utc, zone

Interval = tuple[datetime, datetime]
BusyLoader = Callable[[int, datetime, datetime], Iterable[Interval]]

# No single service line plus its buffer runs longer than this; a line that
# started this long before a range cannot reach into it.
LONGEST_LINE = timedelta(hours=24)
CHUNK = timedelta(days=7)
EPOCH = datetime(2000, 1, 3, tzinfo=UTC)  # a Monday; chunks are aligned to it


def busy_segments(minutes: int, processing: int = 0, finishing: int = 0, buffer: int = 0) -> tuple[tuple[int, int], ...]:
    """Minutes after a line's start when its staff member is occupied.

    Hands-on first, then processing (free), then finishing and the buffer.
    A line whose length was edited keeps its processing and finishing; the
    edit lands in the first hands-on part.
    """
    first = minutes - processing - finishing
    if processing <= 0 or first <= 0:
        return ((0, minutes + buffer),)
    return ((0, first), (first + processing, minutes + buffer))


@dataclass(frozen=True)
class LinePlan:
    staff_id: int
    offset: timedelta                          # from the block's start
    minutes: int                               # the service's own time
    busy: tuple[tuple[int, int], ...]          # minutes after the line's start

    def __post_init__(self) -> None:
        # The search checks thousands of starts; convert minutes once, here.
        object.__setattr__(self, "length", timedelta(minutes=self.minutes))
        object.__setattr__(self, "busy_spans", tuple((timedelta(minutes=a), timedelta(minutes=b)) for a, b in self.busy))

    @property
    def span(self) -> timedelta:
        return timedelta(minutes=max(self.minutes, max(end for _, end in self.busy)))


@dataclass(frozen=True)
class Block:
    """What moves together: lines that keep their staff and their offsets."""

    start: datetime
    lines: tuple[LinePlan, ...]

    @classmethod
    def of(cls, lines: Sequence[tuple[int, datetime, int, tuple[tuple[int, int], ...]]]) -> Block:
        """From (staff_id, start, minutes, busy segments) per line."""
        if not lines:
            raise ValueError("a block needs at least one service line")
        start = min(as_utc(line[1]) for line in lines)
        plans = sorted(
            (LinePlan(staff, as_utc(begin) - start, minutes, busy) for staff, begin, minutes, busy in lines),
            key=lambda plan: (plan.offset, plan.staff_id),
        )
        return cls(start, tuple(plans))

    @property
    def staff_ids(self) -> tuple[int, ...]:
        return tuple(sorted({line.staff_id for line in self.lines}))


@dataclass(frozen=True)
class SearchRules:
    tz: ZoneInfo
    step_minutes: int
    earliest: datetime   # the notice window ends here
    latest: datetime     # the booking horizon ends here

    @classmethod
    def for_salon(cls, tz: str, step_minutes: int, now: datetime, notice_hours: int, horizon_days: int) -> SearchRules:
        now = as_utc(now)
        return cls(zone(tz), step_minutes, now + timedelta(hours=notice_hours), now + timedelta(days=horizon_days))


class Calendar:
    """When each staff member could work, and when they are already busy.

    `salon_hours` and `staff_hours` map a weekday (0 = Monday) to wall-clock
    intervals; `closures` and `time_off` are UTC intervals; busy time comes
    from `busy_loader(staff_id, start, end)`, which must return every busy
    interval overlapping [start, end).
    """

    def __init__(
        self,
        tz: str | ZoneInfo,
        salon_hours: dict[int, Sequence[tuple[time, time]]],
        staff_hours: dict[int, dict[int, Sequence[tuple[time, time]]]],
        busy_loader: BusyLoader,
        closures: Sequence[Interval] = (),
        time_off: dict[int, Sequence[Interval]] | None = None,
    ) -> None:
        self.tz = zone(tz) if isinstance(tz, str) else tz
        self.salon_hours = salon_hours
        self.staff_hours = staff_hours
        self.closures = sorted(closures)
        self.time_off = {staff: sorted(spans) for staff, spans in (time_off or {}).items()}
        self._load = busy_loader
        self._free: dict[tuple[int, date], list[Interval]] = {}
        self._chunks: dict[tuple[int, int], list[Interval]] = {}

    def free(self, staff_id: int, day: date) -> list[Interval]:
        """The staff member's bookable time on a local day, sorted, in UTC."""
        key = (staff_id, day)
        if key not in self._free:
            self._free[key] = self._compute_free(staff_id, day)
        return self._free[key]

    def _compute_free(self, staff_id: int, day: date) -> list[Interval]:
        weekday = day.weekday()
        salon = [wall_interval(day, a, b, self.tz) for a, b in self.salon_hours.get(weekday, ())]
        staff = [wall_interval(day, a, b, self.tz) for a, b in self.staff_hours.get(staff_id, {}).get(weekday, ())]
        free = intersect(sorted(salon), sorted(staff))
        free = subtract(free, self.closures)
        return subtract(free, self.time_off.get(staff_id, ()))

    def busy(self, staff_id: int, start: datetime, end: datetime) -> list[Interval]:
        """Busy intervals overlapping [start, end), merged and sorted."""
        first, last = _chunk_index(start), _chunk_index(end - timedelta(microseconds=1))
        found: list[Interval] = []
        for index in range(first, last + 1):
            found.extend(self._chunk(staff_id, index))
        return merge(found)

    def _chunk(self, staff_id: int, index: int) -> list[Interval]:
        key = (staff_id, index)
        if key not in self._chunks:
            start = EPOCH + index * CHUNK
            end = start + CHUNK
            self._chunks[key] = merge(
                (a, b) for a, b in self._load(staff_id, start, end) if a < end and b > start
            )
        return self._chunks[key]


def _chunk_index(moment: datetime) -> int:
    return int((moment - EPOCH) // CHUNK)


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(spans: Sequence[Interval], holes: Sequence[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for start, end in spans:
        for hole_start, hole_end in holes:
            if hole_end <= start or hole_start >= end:
                continue
            if hole_start > start:
                out.append((start, hole_start))
            start = max(start, hole_end)
            if start >= end:
                break
        if start < end:
            out.append((start, end))
    return out


def _contains(free: Sequence[Interval], start: datetime, end: datetime) -> bool:
    i = bisect_right(free, (start, datetime.max.replace(tzinfo=UTC))) - 1
    return i >= 0 and free[i][0] <= start and end <= free[i][1]


def _clear(busy: Sequence[Interval], ends: Sequence[datetime], start: datetime, end: datetime) -> bool:
    i = bisect_right(ends, start)  # first busy interval ending after `start`
    return i >= len(busy) or busy[i][0] >= end


class _Day:
    """One local day's facts for the staff members of a block, fetched once."""

    def __init__(self, block: Block, calendar: Calendar, day: date) -> None:
        self.free: dict[tuple[int, date], list[Interval]] = {}
        self.busy: dict[int, tuple[list[Interval], list[datetime]]] = {}
        lo, hi = _local_day_utc(day, calendar.tz)
        reach = max(line.offset + line.span for line in block.lines)
        for staff in block.staff_ids:
            intervals = calendar.busy(staff, lo, hi + reach)
            self.busy[staff] = (intervals, [b for _, b in intervals])
        self.calendar = calendar

    def fits(self, block: Block, start: datetime) -> bool:
        for line in block.lines:
            begins = start + line.offset
            key = (line.staff_id, begins.astimezone(self.calendar.tz).date())
            if key not in self.free:
                self.free[key] = self.calendar.free(*key)
            if not _contains(self.free[key], begins, begins + line.length):
                return False
            busy, ends = self.busy[line.staff_id]
            for a, b in line.busy_spans:
                if not _clear(busy, ends, begins + a, begins + b):
                    return False
        return True


def _local_day_utc(day: date, tz: ZoneInfo) -> Interval:
    return wall_interval(day, time(0), time(0), tz)


def _grid(day: date, free: Sequence[Interval], rules: SearchRules) -> Iterator[datetime]:
    """Wall-clock slot starts of a local day that fall inside `free`, as UTC."""
    step = rules.step_minutes
    delta = timedelta(minutes=step)
    for start, end in free:
        local = start.astimezone(rules.tz)
        if local.utcoffset() == (end - timedelta(microseconds=1)).astimezone(rules.tz).utcoffset():
            # No clock change inside: wall-clock steps are UTC steps.
            floor = start.replace(second=0, microsecond=0)
            minute = local.hour * 60 + local.minute
            aligned = -(-minute // step) * step
            if floor < start and aligned == minute:
                aligned += step
            moment = floor + timedelta(minutes=aligned - minute)
            while moment < end:
                yield moment
                moment += delta
        else:
            yield from _grid_across_change(day, start, end, rules)


def _grid_across_change(day: date, start: datetime, end: datetime, rules: SearchRules) -> Iterator[datetime]:
    step = rules.step_minutes
    local = start.astimezone(rules.tz)
    minute = local.hour * 60 + local.minute + (1 if local.second or local.microsecond else 0)
    minute = -(-minute // step) * step
    seen: set[datetime] = set()
    while minute < 24 * 60:
        moment = wall_to_utc(datetime.combine(day, time(minute // 60, minute % 60)), rules.tz)
        minute += step
        if moment is None or moment in seen or moment < start:
            continue   # skipped by the clock change
        if moment >= end:
            break
        seen.add(moment)
        yield moment


def open_starts_on(day: date, block: Block, calendar: Calendar, rules: SearchRules,
                   after: datetime | None = None, before: datetime | None = None) -> list[datetime]:
    """Every open start on one local day, in order."""
    lo = max(rules.earliest, after) if after else rules.earliest
    hi = min(rules.latest, before) if before else rules.latest
    first = block.lines[0]
    free = calendar.free(first.staff_id, day)
    if not free:
        return []
    facts = _Day(block, calendar, day)
    return [
        start for start in _grid(day, free, rules)
        if lo <= start < hi and start != block.start and facts.fits(block, start)
    ]


def is_open(block: Block, start: datetime, calendar: Calendar, rules: SearchRules) -> bool:
    """Is this exact start open? What a move re-checks at commit time."""
    start = as_utc(start)
    day = start.astimezone(rules.tz).date()
    return start in open_starts_on(day, block, calendar, rules, after=start, before=start + timedelta(minutes=1))


def next_openings(block: Block, calendar: Calendar, rules: SearchRules, after: datetime,
                  count: int = 3, per_day: int = 2) -> list[datetime]:
    """The next `count` open starts after `after`, at most `per_day` a day,
    spread across each day so a client sees a morning and an afternoon."""
    after = max(as_utc(after), rules.earliest)
    found: list[datetime] = []
    day = after.astimezone(rules.tz).date()
    last_day = rules.latest.astimezone(rules.tz).date()
    while len(found) < count and day <= last_day:
        starts = open_starts_on(day, block, calendar, rules, after=after)
        found.extend(spread(starts, min(per_day, count - len(found))))
        day += timedelta(days=1)
    return found


def spread(starts: Sequence[datetime], k: int) -> list[datetime]:
    """k starts evenly spaced through a sorted list (first and last included)."""
    if k <= 0 or not starts:
        return []
    if k >= len(starts):
        return list(starts)
    if k == 1:
        return [starts[0]]
    return [starts[round(i * (len(starts) - 1) / (k - 1))] for i in range(k)]


def openings_near(block: Block, calendar: Calendar, rules: SearchRules, window_start: datetime,
                  window_end: datetime, limit: int = 3, margin: timedelta = timedelta(days=3),
                  min_gap: timedelta = timedelta(minutes=30), per_day: int = 2,
                  now: datetime | None = None) -> list[datetime]:
    """Open starts for what was asked, nearest first.

    An exact time (start == end) that is open comes first. Open starts inside
    a window [start, end) are spread across it ("Friday afternoon" gives
    12:00, 14:30 and 16:45 rather than three times before one o'clock). When
    the window has fewer than `limit`, the nearest open starts outside it
    follow, up to `margin` away, at most `per_day` from any one other day and
    no two closer than `min_gap`, so the options are real alternatives
    (the day asked for is not capped: an hour either side of a taken time
    beats another day).
    """
    window_start, window_end = as_utc(window_start), as_utc(window_end)
    check_window(window_start, window_end)
    if now is not None and window_end < as_utc(now):
        raise StartInPast("the requested time has already passed")
    lo = max(window_start - margin, rules.earliest)
    hi = min(window_end + margin, rules.latest)
    if lo >= hi:
        return []

    def days(first: datetime, last: datetime) -> list[date]:
        a, b = first.astimezone(rules.tz).date(), last.astimezone(rules.tz).date()
        return [a + timedelta(days=i) for i in range((b - a).days + 1)]

    def starts_on(some_days: Iterable[date]) -> list[datetime]:
        return [s for d in some_days for s in open_starts_on(d, block, calendar, rules, after=lo,
                                                               before=hi + timedelta(minutes=1))]

    # The days asked for first; the days around them only when those cannot
    # fill the offer (another day's time is rarely nearer than the same day's).
    last = window_end - timedelta(microseconds=1) if window_end > window_start else window_end
    asked = days(max(window_start, lo), min(last, hi)) if window_start < hi and last >= lo else []
    candidates = starts_on(asked)
    if len(candidates) < limit:
        candidates += starts_on(d for d in days(lo, hi) if d not in asked)

    def inside(start: datetime) -> bool:
        return start == window_start if window_start == window_end else window_start <= start < window_end

    def distance(start: datetime) -> timedelta:
        return min(abs(start - window_start), abs(start - window_end))

    chosen = spread([s for s in candidates if inside(s)], limit)
    asked_days = set(asked)
    per_day_count: dict = {}
    for start in sorted((s for s in candidates if not inside(s)), key=lambda s: (distance(s), s)):
        if len(chosen) >= limit:
            break
        local_day = start.astimezone(rules.tz).date()
        crowded = local_day not in asked_days and per_day_count.get(local_day, 0) >= per_day
        if crowded or any(abs(start - other) < min_gap for other in chosen):
            continue
        per_day_count[local_day] = per_day_count.get(local_day, 0) + 1
        chosen.append(start)
    return chosen


def busy_of_lines(rows: Iterable[tuple[datetime, int, int, int, int]]) -> Iterator[Interval]:
    """Busy intervals from (start, minutes, processing, finishing, buffer) rows."""
    for start, minutes, processing, finishing, buffer in rows:
        for a, b in busy_segments(minutes, processing, finishing, buffer):
            yield start + timedelta(minutes=a), start + timedelta(minutes=b)


def check_window(start: datetime, end: datetime) -> None:
    if as_utc(end) < as_utc(start):
        raise InvalidWindow("the requested window ends before it starts")


@dataclass(frozen=True)
class Unavailable:
    """Why a time asked for has no open start, for a reply that says so
    plainly: `reason` is one of
    - "notice": it is inside the notice window (`rules.earliest` and later only);
    - "horizon": it is past the booking horizon (`rules.latest`);
    - "closed": the salon is closed that day (its hours, or a closure);
    - "off": `staff_id` does not work that day (their hours, or time off);
    - "busy": open hours, but taken (by `staff_id`, the first staff member
      of the block who is, where one can be told)."""
    reason: str
    day: date
    staff_id: int | None = None


def why_unavailable(block: Block, calendar: Calendar, rules: SearchRules, window_start: datetime,
                    window_end: datetime) -> Unavailable:
    """Why no start in [window_start, window_end) (or at it, for an exact
    time) is open. Reads the first day of the window: a client who asks for a
    time means a day."""
    start, end = as_utc(window_start), as_utc(window_end)
    day = start.astimezone(rules.tz).date()
    if start >= rules.latest:
        return Unavailable("horizon", day)
    if max(start, end) < rules.earliest:
        return Unavailable("notice", day)
    weekday = day.weekday()
    salon = [wall_interval(day, a, b, calendar.tz) for a, b in calendar.salon_hours.get(weekday, ())]
    if not subtract(sorted(salon), calendar.closures):
        return Unavailable("closed", day)
    for staff_id in block.staff_ids:
        if not calendar.free(staff_id, day):
            return Unavailable("off", day, staff_id)
    # Open, staffed: taken. Say by whom where the block's people differ.
    lo, hi = (start, start + timedelta(minutes=1)) if start == end else (start, end)
    for line in block.lines:
        if calendar.busy(line.staff_id, lo + line.offset, hi + line.offset + line.length):
            return Unavailable("busy", day, line.staff_id)
    return Unavailable("busy", day, block.lines[0].staff_id)
