"""The availability search on plain data: no database."""
from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from bot.domain.availability import (
    Block,
    Calendar,
    SearchRules,
    busy_segments,
    is_open,
    merge,
    next_openings,
    open_starts_on,
    openings_near,
    spread,
    subtract,
)
from bot.domain.errors import InvalidWindow, StartInPast
from tests.factories import local, show

MARIA, JORDAN = 1, 2
NINE_TO_SEVEN = {d: [(time(9), time(19))] for d in range(6)}   # closed Sundays


def calendar(busy=None, staff_hours=None, salon_hours=None, closures=(), time_off=None, tz="America/New_York"):
    busy = busy or {}

    def load(staff_id, start, end):
        return [(a, b) for a, b in busy.get(staff_id, []) if a < end and b > start]

    staff_hours = staff_hours or {MARIA: NINE_TO_SEVEN, JORDAN: NINE_TO_SEVEN}
    return Calendar(tz, salon_hours or NINE_TO_SEVEN, staff_hours, load, closures, time_off)


def appointment_busy(start, minutes, processing=0, finishing=0, buffer=0):
    begin = local(start)
    return [(begin + timedelta(minutes=a), begin + timedelta(minutes=b))
            for a, b in busy_segments(minutes, processing, finishing, buffer)]


def block(*lines):
    """Lines as (staff, local start, minutes[, processing, finishing, buffer])."""
    return Block.of([(staff, local(start), minutes, busy_segments(minutes, *phases))
                     for staff, start, minutes, *phases in lines])


def rules(now="2026-11-24 10:00", notice_hours=24, horizon_days=60, step=15, tz="America/New_York"):
    return SearchRules.for_salon(tz, step, local(now, tz), notice_hours, horizon_days)


def day(text):
    return datetime.fromisoformat(text).date()


HAIRCUT_FRI = block((MARIA, "2026-11-27 15:00", 60))


def starts(found, tz="America/New_York"):
    return [show(s, tz) for s in found]


# --- where a start may fall ----------------------------------------------------------

def test_an_empty_day_offers_every_slot_step_that_fits_before_closing():
    found = open_starts_on(day("2026-11-30"), HAIRCUT_FRI, calendar(), rules())
    assert starts(found)[0] == "2026-11-30 09:00"
    assert starts(found)[-1] == "2026-11-30 18:00"       # a 60-minute haircut must end by 19:00
    assert len(found) == 37                                # 09:00..18:00 every 15 minutes


def test_the_slot_step_is_a_setting():
    found = open_starts_on(day("2026-11-30"), HAIRCUT_FRI, calendar(), rules(step=30))
    assert starts(found)[:3] == ["2026-11-30 09:00", "2026-11-30 09:30", "2026-11-30 10:00"]


def test_only_inside_opening_hours_and_working_hours():
    cal = calendar(staff_hours={MARIA: {0: [(time(12), time(21))]}})
    found = open_starts_on(day("2026-11-30"), HAIRCUT_FRI, cal, rules())
    assert starts(found)[0] == "2026-11-30 12:00"       # she starts at noon
    assert starts(found)[-1] == "2026-11-30 18:00"      # the salon closes at 19:00
    assert open_starts_on(day("2026-12-01"), HAIRCUT_FRI, cal, rules()) == []   # her day off


def test_a_closed_salon_day_has_nothing():
    assert open_starts_on(day("2026-11-29"), HAIRCUT_FRI, calendar(), rules()) == []  # Sunday


def test_time_off_and_closures_are_stepped_around():
    off = [(local("2026-11-30 09:00"), local("2026-11-30 13:00"))]
    closed = [(local("2026-12-01 00:00"), local("2026-12-02 00:00"))]
    cal = calendar(time_off={MARIA: off}, closures=closed)
    assert starts(open_starts_on(day("2026-11-30"), HAIRCUT_FRI, cal, rules()))[0] == "2026-11-30 13:00"
    assert open_starts_on(day("2026-12-01"), HAIRCUT_FRI, cal, rules()) == []


def test_only_the_same_staff_members_time_counts():
    maria_booked_all_day = {MARIA: [(local("2026-11-30 09:00"), local("2026-11-30 19:00"))]}
    assert open_starts_on(day("2026-11-30"), HAIRCUT_FRI, calendar(maria_booked_all_day), rules()) == []
    jordans_haircut = block((JORDAN, "2026-11-27 15:00", 60))
    assert open_starts_on(day("2026-11-30"), jordans_haircut, calendar(maria_booked_all_day), rules())


def test_other_appointments_and_their_buffers_are_avoided():
    # A manicure 10:00-10:45 with a 15-minute buffer: Maria is busy until 11:00.
    cal = calendar({MARIA: appointment_busy("2026-11-30 10:00", 45, buffer=15)})
    found = starts(open_starts_on(day("2026-11-30"), HAIRCUT_FRI, cal, rules()))
    assert "2026-11-30 09:00" in found                  # ends 10:00, as the manicure starts
    assert "2026-11-30 09:15" not in found
    assert "2026-11-30 10:45" not in found              # inside the buffer
    assert "2026-11-30 11:00" in found


def test_processing_time_leaves_the_staff_member_free():
    # Colour 10:00-12:00: hands-on 10:00-10:45, processing 10:45-11:30, finishing 11:30-12:00.
    cal = calendar({MARIA: appointment_busy("2026-11-30 10:00", 120, processing=45, finishing=30)})
    trim = block((MARIA, "2026-11-27 15:00", 30))
    found = starts(open_starts_on(day("2026-11-30"), trim, cal, rules()))
    assert "2026-11-30 10:45" in found                  # a trim fits in the processing time
    assert "2026-11-30 11:00" in found
    assert "2026-11-30 11:15" not in found              # would run into the finishing
    assert "2026-11-30 10:30" not in found


def test_a_moved_appointments_own_buffer_must_be_clear_too():
    cal = calendar({MARIA: appointment_busy("2026-11-30 11:00", 60)})
    manicure = block((MARIA, "2026-11-27 15:00", 45, 0, 0, 15))
    found = starts(open_starts_on(day("2026-11-30"), manicure, cal, rules()))
    assert "2026-11-30 10:00" in found                  # 10:00-10:45 + buffer to 11:00
    assert "2026-11-30 10:15" not in found              # its buffer would run into 11:00


def test_all_lines_move_together_keeping_their_offsets():
    # Haircut with Maria, then a blowout with Jordan an hour later.
    two = block((MARIA, "2026-11-27 15:00", 60), (JORDAN, "2026-11-27 16:00", 45))
    cal = calendar({JORDAN: [(local("2026-11-30 09:00"), local("2026-11-30 14:00"))]})
    found = starts(open_starts_on(day("2026-11-30"), two, cal, rules()))
    assert found[0] == "2026-11-30 13:00"               # Jordan free from 14:00, an hour after the start
    assert found[-1] == "2026-11-30 17:15"              # the blowout must end by 19:00


def test_a_group_moves_together():
    # Two friends side by side at 15:00, one with each stylist: both must be free at once.
    group = block((MARIA, "2026-11-27 15:00", 60), (JORDAN, "2026-11-27 15:00", 45))
    cal = calendar({MARIA: appointment_busy("2026-11-30 09:00", 120), JORDAN: appointment_busy("2026-11-30 11:00", 60)})
    found = starts(open_starts_on(day("2026-11-30"), group, cal, rules()))
    assert found[0] == "2026-11-30 12:00"


def test_not_inside_the_notice_window_nor_past_the_horizon():
    r = rules(now="2026-11-30 12:00", notice_hours=24, horizon_days=10)
    assert open_starts_on(day("2026-11-30"), HAIRCUT_FRI, calendar(), r) == []
    assert starts(open_starts_on(day("2026-12-01"), HAIRCUT_FRI, calendar(), r))[0] == "2026-12-01 12:00"
    assert open_starts_on(day("2026-12-11"), HAIRCUT_FRI, calendar(), r) == []


def test_the_current_time_is_not_offered_as_a_new_time():
    found = starts(open_starts_on(day("2026-11-27"), HAIRCUT_FRI, calendar(), rules()))
    assert "2026-11-27 15:00" not in found and "2026-11-27 14:45" in found


# --- asking for a window, or for the next times --------------------------------------

def test_an_exact_time_that_is_free_comes_first():
    found = openings_near(HAIRCUT_FRI, calendar(), rules(), local("2026-12-04 15:00"), local("2026-12-04 15:00"))
    assert starts(found)[0] == "2026-12-04 15:00"


def test_when_the_exact_time_is_taken_the_nearest_open_times_come_back():
    cal = calendar({MARIA: appointment_busy("2026-12-04 14:30", 90)})   # busy 14:30-16:00
    found = openings_near(HAIRCUT_FRI, cal, rules(), local("2026-12-04 15:00"), local("2026-12-04 15:00"))
    assert starts(found) == ["2026-12-04 16:00", "2026-12-04 13:30", "2026-12-04 16:30"]


def test_a_window_gives_its_own_times_spread_across_it():
    afternoon = (local("2026-12-04 12:00"), local("2026-12-04 17:00"))    # 17:00 itself is outside
    found = openings_near(HAIRCUT_FRI, calendar(), rules(), *afternoon, limit=3)
    assert starts(found) == ["2026-12-04 12:00", "2026-12-04 14:30", "2026-12-04 16:45"]


def test_a_full_window_falls_back_to_the_nearest_days():
    friday_full = {MARIA: [(local("2026-12-04 09:00"), local("2026-12-04 19:00"))]}
    found = openings_near(HAIRCUT_FRI, calendar(friday_full), rules(),
                          local("2026-12-04 00:00"), local("2026-12-05 00:00"), limit=3)
    # Thursday evening is nearest, then Saturday morning: at most two from any one day.
    assert starts(found) == ["2026-12-03 18:00", "2026-12-03 17:30", "2026-12-05 09:00"]


def test_the_next_openings_are_spread_over_several_days():
    found = next_openings(HAIRCUT_FRI, calendar(), rules(), local("2026-11-24 10:00"), count=5, per_day=2)
    assert starts(found) == ["2026-11-25 10:00", "2026-11-25 18:00", "2026-11-26 09:00",
                             "2026-11-26 18:00", "2026-11-27 09:00"]


def test_spread_picks_evenly():
    assert spread(list(range(10)), 3) == [0, 4, 9]  # type: ignore[arg-type]
    assert spread([1, 2], 5) == [1, 2]              # type: ignore[list-item]
    assert spread([], 2) == []


def test_is_open_checks_one_exact_start():
    cal = calendar({MARIA: appointment_busy("2026-12-04 15:00", 60)})
    assert not is_open(HAIRCUT_FRI, local("2026-12-04 15:00"), cal, rules())
    assert not is_open(HAIRCUT_FRI, local("2026-12-04 15:10"), cal, rules())   # off the slot grid
    assert is_open(HAIRCUT_FRI, local("2026-12-04 16:00"), cal, rules())


# --- daylight saving -----------------------------------------------------------------

@pytest.mark.parametrize("before, after, offset_before, offset_after", [
    ("2026-10-30", "2026-11-02", -4, -5),   # clocks go back Sunday, November 1
    ("2026-03-06", "2026-03-09", -5, -4),   # clocks go forward Sunday, March 8
])
def test_a_week_that_crosses_a_clock_change_keeps_the_wall_clock(before, after, offset_before, offset_after):
    r = rules(now=f"{before} 08:00", notice_hours=0)
    cal = calendar()
    first_before = open_starts_on(day(before), HAIRCUT_FRI, cal, r)[0]
    first_after = open_starts_on(day(after), HAIRCUT_FRI, cal, r)[0]
    assert show(first_before).endswith("09:00") and show(first_after).endswith("09:00")
    assert first_before.astimezone(r.tz).utcoffset() == timedelta(hours=offset_before)
    assert first_after.astimezone(r.tz).utcoffset() == timedelta(hours=offset_after)
    week = next_openings(HAIRCUT_FRI, cal, r, local(f"{before} 08:00"), count=8, per_day=1)
    assert all(show(s).endswith("09:00") for s in week)


def test_a_salon_open_through_the_night_skips_the_missing_hour():
    all_day = {d: [(time(0), time(0))] for d in range(7)}
    cal = calendar(salon_hours=all_day, staff_hours={MARIA: all_day})
    r = rules(now="2026-03-07 00:00", notice_hours=0, step=30)
    found = starts(open_starts_on(day("2026-03-08"), HAIRCUT_FRI, cal, r))
    assert "2026-03-08 01:30" in found and "2026-03-08 03:00" in found
    assert not any(s.startswith("2026-03-08 02:") for s in found)        # 02:00-03:00 never happens
    assert len(found) == 45      # 00:00-01:30 and 03:00-23:00: a 23-hour day, less the last hour


def test_hours_and_the_grid_follow_the_salons_own_zone():
    cal = calendar(tz="Europe/Madrid")
    r = rules(now="2026-11-24 10:00", tz="Europe/Madrid")
    found = open_starts_on(day("2026-11-30"), block((MARIA, "2026-11-27 15:00", 60)), cal, r)
    assert show(found[0], "Europe/Madrid") == "2026-11-30 09:00"


# --- bad input -----------------------------------------------------------------------

def test_a_window_that_ends_before_it_starts_is_refused():
    with pytest.raises(InvalidWindow):
        openings_near(HAIRCUT_FRI, calendar(), rules(), local("2026-12-04 15:00"), local("2026-12-04 14:00"))


def test_a_window_in_the_past_is_refused():
    with pytest.raises(StartInPast):
        openings_near(HAIRCUT_FRI, calendar(), rules(), local("2026-11-20 15:00"), local("2026-11-20 16:00"),
                      now=local("2026-11-24 10:00"))


def test_naive_datetimes_are_refused_not_guessed():
    with pytest.raises(ValueError):
        Block.of([(MARIA, datetime(2026, 11, 27, 15), 60, ((0, 60),))])


# --- the interval arithmetic ---------------------------------------------------------

def test_merge_and_subtract():
    a, b, c, d = (local(f"2026-11-30 {h:02d}:00") for h in (9, 10, 11, 12))
    assert merge([(c, d), (a, b), (b, c)]) == [(a, d)]
    assert subtract([(a, d)], [(b, c)]) == [(a, b), (c, d)]
    assert subtract([(a, b)], [(a, d)]) == []
