"""The code that reads the clock, at the edges of the calendar rather than at
one fixed 'now': the two daylight-saving changes of America/New_York
(2026-11-01, when 01:00-01:59 happens twice, and 2027-03-14, when 02:00-02:59
never happens), midnight in the salon's zone against midnight in UTC, and
the last day of a month and of the year.

Durations (the notice window, reminder hours, follow-up days, how long offers
stand) are real time; wall-clock times (quiet hours, opening hours) are the
salon's own clock."""
from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.messaging.followups import queue_followups
from bot.domain.models import AuditEvent, BookedVia, Outbox
from bot.messaging.reminders import after_quiet_hours, queue_reminders
from bot.domain.rules import Reason, may_cancel, may_reschedule
from bot.domain.timezones import day_bounds, first_instant_at, wall_interval
from bot.messaging.transports import ConsoleTransport
from bot.messaging.worker import Stats, run_once
from handlers.appointments import offer_times
from tests.factories import SalonWorld, local, show, standard_world

UTC_ = lambda text: datetime.fromisoformat(text + "+00:00")  # noqa: E731  - an instant written in UTC


def persist(db, world):
    with db.write() as session:
        session.add(world.salon)


def outbox(db) -> list[Outbox]:
    with db.read() as session:
        return list(session.scalars(select(Outbox).order_by(Outbox.id)))


# -- quiet hours (21:00 to 08:00 on the salon's clock) --

@pytest.mark.parametrize("now, due", [
    # Clocks go back: 01:00-01:59 happens twice; the morning is 08:00 EST (13:00 UTC), not 12:00 UTC.
    (UTC_("2026-11-01 03:00"), UTC_("2026-11-01 13:00")),      # 23:00 EDT the night before
    (UTC_("2026-11-01 05:30"), UTC_("2026-11-01 13:00")),      # 01:30 EDT, the first time
    (UTC_("2026-11-01 06:30"), UTC_("2026-11-01 13:00")),      # 01:30 EST, the second time
    (UTC_("2026-11-01 12:30"), UTC_("2026-11-01 13:00")),      # 07:30 EST: still quiet
    (UTC_("2026-11-01 13:00"), UTC_("2026-11-01 13:00")),      # 08:00 EST
    # Clocks go forward: 02:00-02:59 never happens; the morning is 08:00 EDT (12:00 UTC).
    (UTC_("2027-03-14 02:30"), UTC_("2027-03-14 12:00")),      # 21:30 EST the night before
    (UTC_("2027-03-14 06:59"), UTC_("2027-03-14 12:00")),      # 01:59 EST
    (UTC_("2027-03-14 07:00"), UTC_("2027-03-14 12:00")),      # 03:00 EDT
    (UTC_("2027-03-14 11:59"), UTC_("2027-03-14 12:00")),      # 07:59 EDT
    # Midnight in UTC is the evening in New York, and midnight there is 05:00 UTC.
    (local("2026-12-31 19:30"), local("2026-12-31 19:30")),    # 00:30 UTC on Jan 1: not quiet here
    (local("2026-12-31 23:30"), local("2027-01-01 08:00")),    # the year's last evening
    (local("2027-01-01 00:30"), local("2027-01-01 08:00")),
    # The last day of a month waits for the first morning of the next.
    (local("2027-01-31 22:00"), local("2027-02-01 08:00")),
    (local("2027-02-28 23:59"), local("2027-03-01 08:00")),
    (local("2027-04-30 21:00"), local("2027-05-01 08:00")),
])
def test_quiet_hours_end_on_the_salons_clock_at_the_edges_of_the_calendar(now, due):
    world = standard_world()
    assert after_quiet_hours(now, world.settings, world.salon.timezone) == due


def test_quiet_hours_ending_in_the_hour_that_never_happens_end_when_the_clock_jumps_past_it():
    world = standard_world(quiet_hours_start=time(22, 0), quiet_hours_end=time(2, 30))
    # 01:00 EST; the clock goes from 01:59:59 EST to 03:00 EDT (07:00 UTC), past 02:30.
    assert after_quiet_hours(UTC_("2027-03-14 06:00"), world.settings, world.salon.timezone) == UTC_("2027-03-14 07:00")
    # 03:00 EDT itself is no longer quiet.
    assert after_quiet_hours(UTC_("2027-03-14 07:00"), world.settings, world.salon.timezone) == UTC_("2027-03-14 07:00")


def test_quiet_hours_ending_in_the_hour_that_happens_twice_end_at_or_after_now():
    world = standard_world(quiet_hours_start=time(22, 0), quiet_hours_end=time(1, 30))
    settings, tz = world.settings, world.salon.timezone
    assert after_quiet_hours(UTC_("2026-11-01 04:30"), settings, tz) == UTC_("2026-11-01 05:30")   # 00:30 -> 01:30 EDT
    assert after_quiet_hours(UTC_("2026-11-01 05:45"), settings, tz) == UTC_("2026-11-01 05:45")   # 01:45 EDT: over
    # 01:10 EST, the second time round: the clock reads 01:10 again, quiet until 01:30 EST,
    # and never "until" 01:30 EDT, forty minutes ago.
    assert after_quiet_hours(UTC_("2026-11-01 06:10"), settings, tz) == UTC_("2026-11-01 06:30")


def test_hours_opening_or_closing_in_the_hour_that_never_happens_start_or_end_when_the_clock_jumps():
    # 02:30 on 2027-03-14 never happens in New York: the clock jumps from 01:59:59 EST to 03:00 EDT.
    assert wall_interval(date(2027, 3, 14), time(2, 30), time(10, 0), "America/New_York") == (
        UTC_("2027-03-14 07:00"), UTC_("2027-03-14 14:00"))
    assert wall_interval(date(2027, 3, 14), time(1, 0), time(2, 30), "America/New_York") == (
        UTC_("2027-03-14 06:00"), UTC_("2027-03-14 07:00"))
    # Santiago skips its midnight: the day starts when the clock jumps to 01:00.
    assert day_bounds(date(2026, 9, 6), "America/Santiago")[0] == first_instant_at(
        datetime(2026, 9, 6, 0, 0), "America/Santiago") == UTC_("2026-09-06 04:00")


# -- reminders: `reminder_hours_before` real hours ahead --

@pytest.mark.parametrize("start, queued_from", [
    (UTC_("2027-03-15 13:00"), UTC_("2027-03-14 13:00")),    # Mon 09:00 EDT: from Sun 09:00 EDT, across the jump
    (UTC_("2026-11-02 14:00"), UTC_("2026-11-01 14:00")),    # Mon 09:00 EST: from Sun 09:00 EST, across the repeat
    (local("2027-02-01 09:00"), local("2027-01-31 09:00")),  # the first of a month, from the last day of the one before
    (local("2027-01-01 10:00"), local("2026-12-31 10:00")),  # new year's day, from new year's eve
])
def test_a_reminder_is_queued_its_hours_ahead_across_the_edges_of_the_calendar(db, start, queued_from):
    world = standard_world()
    world.book(world.add_client(), ("Haircut", "Maria", show(start)))
    persist(db, world)
    with db.write() as session:
        assert queue_reminders(session, queued_from - timedelta(minutes=1)) == 0
    with db.write() as session:
        assert queue_reminders(session, queued_from) == 1
    [row] = outbox(db)
    assert row.due_at == queued_from


def test_a_reminder_queued_the_night_the_clocks_go_back_is_sent_at_eight_salon_time(db):
    world = standard_world()
    world.book(world.add_client(), ("Haircut", "Maria", "2026-11-01 10:00"))     # 15:00 UTC
    persist(db, world)
    with db.write() as session:
        assert queue_reminders(session, UTC_("2026-11-01 05:30")) == 1          # 01:30 EDT
    [row] = outbox(db)
    assert row.due_at == UTC_("2026-11-01 13:00")                               # 08:00 EST
    transport = ConsoleTransport(io.StringIO())
    assert run_once(db, transport, UTC_("2026-11-01 12:00"), None) == Stats()   # 07:00 EST, 08:00 by summer time
    assert run_once(db, transport, UTC_("2026-11-01 13:00"), None) == Stats(sent=1)
    assert "on Sun, Nov 1 at 10:00 AM" in transport.out.getvalue()


def test_a_reminder_queued_on_the_years_last_evening_waits_for_new_years_morning(db):
    world = standard_world()
    world.book(world.add_client(), ("Haircut", "Maria", "2027-01-01 11:00"))
    persist(db, world)
    with db.write() as session:
        assert queue_reminders(session, local("2026-12-31 23:30")) == 1         # 04:30 UTC on Jan 1
    assert outbox(db)[0].due_at == local("2027-01-01 08:00")
    assert run_once(db, ConsoleTransport(io.StringIO()), local("2027-01-01 07:59"), None) == Stats()


# -- follow-ups: `followup_days` after the client canceled --

def canceled(db, world, at: datetime) -> None:
    ana = world.add_client("Ana Garcia")
    appt = world.book(ana, ("Haircut", "Maria", show(at + timedelta(days=5))), status="canceled", canceled_at=at,
                      booked_at=at - timedelta(days=10))
    with db.write() as session:
        session.add(world.salon)
        session.flush()
        session.add(AuditEvent(salon_id=world.salon.id, appointment_id=appt.id, actor="client", actor_id=ana.id,
                               channel="sms", kind="appointment_canceled", created_at=at))


def follow_up(db, now) -> int:
    with db.write() as session:
        return queue_followups(session, now)


def test_a_follow_up_two_days_after_the_years_last_morning(db):
    world = standard_world()
    canceled(db, world, local("2026-12-31 10:00"))
    assert follow_up(db, local("2027-01-02 09:59")) == 0
    assert follow_up(db, local("2027-01-02 10:00")) == 1
    assert outbox(db)[0].due_at == local("2027-01-02 10:00")


def test_a_follow_up_across_the_night_the_clocks_go_forward(db):
    world = standard_world()
    canceled(db, world, local("2027-03-12 10:00"))              # Friday 10:00 EST
    assert follow_up(db, local("2027-03-14 09:59")) == 0
    assert follow_up(db, local("2027-03-14 11:00")) == 1        # 48 hours later (11:00 EDT) at the latest


def test_a_follow_up_falling_due_on_a_months_last_evening_waits_for_the_next_months_morning(db):
    world = standard_world()
    canceled(db, world, local("2027-01-29 22:30"))
    assert follow_up(db, local("2027-01-31 22:30")) == 1
    assert outbox(db)[0].due_at == local("2027-02-01 08:00")


# -- the notice window: 24 real hours, whatever the clocks do --

def _haircut(world, start: str, **kw):
    ana = world.add_client("Ana Garcia")
    kw.setdefault("booked_at", local("2026-10-01 10:00"))
    return ana, world.book(ana, ("Haircut", "Maria", start), **kw)


@pytest.mark.parametrize("start, now, inside", [
    # Sunday 10:00 EDT after the jump: Saturday 10:00 EST is only 23 hours before.
    ("2027-03-14 10:00", local("2027-03-13 10:00"), True),
    ("2027-03-14 10:00", local("2027-03-13 09:00"), False),
    # Sunday 10:00 EST after the repeat: Saturday 10:00 EDT is 25 hours before, 11:00 EDT 24.
    ("2026-11-01 10:00", local("2026-10-31 11:00"), False),
    ("2026-11-01 10:00", local("2026-10-31 11:01"), True),
    # The first of a month and of a year, from the day before.
    ("2027-02-01 09:00", local("2027-01-31 09:00"), False),
    ("2027-02-01 09:00", local("2027-01-31 09:01"), True),
    ("2027-01-01 00:30", local("2026-12-31 00:30"), False),
    ("2027-01-01 00:30", local("2026-12-31 00:31"), True),
])
def test_the_notice_window_is_real_hours_across_the_edges_of_the_calendar(start, now, inside):
    world = standard_world()
    ana, appt = _haircut(world, start)
    move, cancel = may_reschedule(appt, ana, world.settings, now), may_cancel(appt, ana, world.settings, now)
    assert (Reason.INSIDE_RESCHEDULE_WINDOW in move.reasons) is inside
    assert (Reason.INSIDE_CANCEL_WINDOW in cancel.reasons) is inside


def test_the_grace_after_booking_online_is_real_minutes_when_the_clock_goes_back():
    world = standard_world()
    # Booked online at 01:55 EDT for 09:00; at 01:05 EST (ten minutes later) it is still in its grace.
    ana, appt = _haircut(world, "2026-11-01 09:00", booked_via=BookedVia.ONLINE, booked_at=UTC_("2026-11-01 05:55"))
    assert may_reschedule(appt, ana, world.settings, UTC_("2026-11-01 06:05")).allowed
    assert not may_reschedule(appt, ana, world.settings, UTC_("2026-11-01 06:15")).allowed


def test_offered_times_start_24_real_hours_ahead_across_the_jump(db):
    world = SalonWorld(open_days=tuple(range(7)))
    world.add_staff("Maria")
    world.add_service("Haircut", 60)
    ana, appt = _haircut(world, "2027-03-20 15:00")
    persist(db, world)
    # Saturday 10:00 EST: 24 hours later is Sunday 11:00 EDT, not 10:00.
    offers = offer_times(db, client_id=ana.id, appointment_id=appt.id, now=local("2027-03-13 10:00")).offers
    assert show(offers[0]) == "2027-03-14 11:00"
    offers = offer_times(db, client_id=ana.id, appointment_id=appt.id, now=local("2026-12-31 18:00")).offers
    assert show(offers[0]) == "2027-01-01 18:00"
