"""The eligibility rules, on plain objects: no database, no app."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.models import BookedVia, Status
from bot.domain.rules import REASON_TEXT, Reason, explain, may_cancel, may_rebook, may_reschedule
from tests.factories import NOW, local, standard_world


@pytest.fixture
def world():
    return standard_world()


@pytest.fixture
def ana(world):
    return world.add_client("Ana Garcia")


def plain(world, client, **kw):
    """A haircut with Maria three days out, booked by staff long ago: nothing blocks it."""
    kw.setdefault("booked_at", NOW - timedelta(days=20))
    return world.book(client, ("Haircut", "Maria", "2026-11-27 15:00"), **kw)


# --- one test that each rule blocks, one that it does not ------------------------------

def test_a_plain_appointment_may_be_moved_and_canceled(world, ana):
    appt = plain(world, ana)
    assert may_reschedule(appt, ana, world.settings, NOW).allowed
    assert may_cancel(appt, ana, world.settings, NOW).allowed


def test_self_rescheduling_turned_off_blocks_moving_but_not_cancelling(world, ana):
    world.settings.allow_self_reschedule = False
    appt = plain(world, ana)
    decision = may_reschedule(appt, ana, world.settings, NOW)
    assert not decision.allowed and decision.reasons == (Reason.SELF_RESCHEDULE_OFF,)
    assert may_cancel(appt, ana, world.settings, NOW).allowed


def test_self_cancellation_turned_off_blocks_cancelling_but_not_moving(world, ana):
    world.settings.allow_self_cancel = False
    appt = plain(world, ana)
    assert may_cancel(appt, ana, world.settings, NOW).reasons == (Reason.SELF_CANCEL_OFF,)
    assert may_reschedule(appt, ana, world.settings, NOW).allowed


@pytest.mark.parametrize("hours_before, blocked", [(23.5, True), (24, False), (1, True), (72, False)])
def test_the_reschedule_notice_window(world, ana, hours_before, blocked):
    appt = plain(world, ana)
    now = appt.starts_at - timedelta(hours=hours_before)
    decision = may_reschedule(appt, ana, world.settings, now)
    assert (Reason.INSIDE_RESCHEDULE_WINDOW in decision.reasons) is blocked


def test_the_two_windows_are_separate_settings(world, ana):
    world.settings.reschedule_notice_hours, world.settings.cancel_notice_hours = 48, 12
    appt = plain(world, ana)
    now = appt.starts_at - timedelta(hours=24)
    assert may_reschedule(appt, ana, world.settings, now).reasons == (Reason.INSIDE_RESCHEDULE_WINDOW,)
    assert may_cancel(appt, ana, world.settings, now).allowed
    world.settings.cancel_notice_hours = 36
    assert may_cancel(appt, ana, world.settings, now).reasons == (Reason.INSIDE_CANCEL_WINDOW,)


@pytest.mark.parametrize("minutes_since_booking, via, blocked", [
    (5, BookedVia.ONLINE, False),     # just booked online: may still change it
    (15, BookedVia.ONLINE, False),    # the grace lasts 15 minutes
    (16, BookedVia.ONLINE, True),     # and no longer
    (5, BookedVia.STAFF, True),       # booked by staff: no grace
])
def test_the_grace_after_an_online_booking(world, ana, minutes_since_booking, via, blocked):
    now = local("2026-11-27 09:00")
    appt = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_via=via,
                      booked_at=now - timedelta(minutes=minutes_since_booking))
    for decision in (may_reschedule(appt, ana, world.settings, now), may_cancel(appt, ana, world.settings, now)):
        assert (not decision.allowed) is blocked


def test_a_duration_changed_by_hand_blocks_rescheduling(world, ana):
    edited = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00", 75), booked_at=NOW - timedelta(days=9))
    assert may_reschedule(edited, ana, world.settings, NOW).reasons == (Reason.DURATION_EDITED,)
    assert may_cancel(edited, ana, world.settings, NOW).allowed
    default = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00", 60), booked_at=NOW - timedelta(days=9))
    assert may_reschedule(default, ana, world.settings, NOW).allowed


def test_a_service_not_offered_online_blocks_rescheduling(world, ana):
    offline = world.book(ana, ("Haircut", "Maria", "2026-11-27 10:00"), ("Keratin", "Maria", "2026-11-27 11:00"),
                         booked_at=NOW - timedelta(days=9))
    assert may_reschedule(offline, ana, world.settings, NOW).reasons == (Reason.SERVICE_NOT_ONLINE,)
    online = world.book(ana, ("Haircut", "Maria", "2026-11-27 10:00"), ("Blowout", "Maria", "2026-11-27 11:00"),
                        booked_at=NOW - timedelta(days=9))
    assert may_reschedule(online, ana, world.settings, NOW).allowed


def test_overlapping_services_block_rescheduling(world, ana):
    together = world.book(ana, ("Manicure", "Jordan", "2026-11-27 10:00"), ("Blowout", "Maria", "2026-11-27 10:30"),
                          booked_at=NOW - timedelta(days=9))
    assert may_reschedule(together, ana, world.settings, NOW).reasons == (Reason.OVERLAPPING_SERVICES,)


def test_overlapping_buffer_time_does_not_block(world, ana):
    # The manicure ends 10:45; its 15-minute buffer runs to 11:00, under the blowout's start.
    back_to_back = world.book(ana, ("Manicure", "Jordan", "2026-11-27 10:00"), ("Blowout", "Maria", "2026-11-27 10:45"),
                              booked_at=NOW - timedelta(days=9))
    assert may_reschedule(back_to_back, ana, world.settings, NOW).allowed


def test_a_group_member_may_not_move_or_cancel(world, ana):
    ben = world.add_client("Ben Lee")
    group = world.group(primary=ana)
    world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), group=group, booked_at=NOW - timedelta(days=9))
    member = world.book(ben, ("Blowout", "Jordan", "2026-11-27 15:00"), group=group, booked_at=NOW - timedelta(days=9))
    assert may_reschedule(member, ben, world.settings, NOW).reasons == (Reason.GROUP_MEMBER,)
    assert may_cancel(member, ben, world.settings, NOW).reasons == (Reason.GROUP_MEMBER,)


def test_the_group_primary_contact_moves_and_cancels_the_whole_group(world, ana):
    ben = world.add_client("Ben Lee")
    group = world.group(primary=ana)
    own = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), group=group, booked_at=NOW - timedelta(days=9))
    member = world.book(ben, ("Blowout", "Jordan", "2026-11-27 15:00"), group=group, booked_at=NOW - timedelta(days=9))
    for decision in (may_reschedule(own, ana, world.settings, NOW), may_cancel(own, ana, world.settings, NOW),
                     may_reschedule(member, ana, world.settings, NOW)):
        assert decision.allowed
        assert set(decision.appointments) == {own, member}


def test_a_group_is_blocked_when_any_of_its_appointments_is(world, ana):
    ben = world.add_client("Ben Lee")
    group = world.group(primary=ana)
    own = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), group=group, booked_at=NOW - timedelta(days=9))
    world.book(ben, ("Keratin", "Jordan", "2026-11-27 15:00"), group=group, booked_at=NOW - timedelta(days=9))
    assert may_reschedule(own, ana, world.settings, NOW).reasons == (Reason.SERVICE_NOT_ONLINE,)


@pytest.mark.parametrize("status, reason", [
    (Status.CANCELED, Reason.CANCELED), (Status.LATE_CANCELED, Reason.CANCELED),
    (Status.COMPLETED, Reason.COMPLETED), (Status.NO_SHOW, Reason.ALREADY_STARTED),
])
def test_finished_appointments_cannot_be_changed(world, ana, status, reason):
    appt = plain(world, ana, status=status)
    assert reason in may_reschedule(appt, ana, world.settings, NOW).reasons
    assert reason in may_cancel(appt, ana, world.settings, NOW).reasons


def test_a_confirmed_appointment_can_still_be_changed(world, ana):
    assert may_reschedule(plain(world, ana, status=Status.CONFIRMED), ana, world.settings, NOW).allowed


def test_an_appointment_that_started_cannot_be_changed(world, ana):
    appt = plain(world, ana)
    later = appt.starts_at + timedelta(minutes=5)
    assert Reason.ALREADY_STARTED in may_reschedule(appt, ana, world.settings, later).reasons
    assert Reason.ALREADY_STARTED in may_cancel(appt, ana, world.settings, later).reasons


def test_the_reschedule_limit(world, ana):
    world.settings.max_self_reschedules = 2
    assert may_reschedule(plain(world, ana, self_reschedules=1), ana, world.settings, NOW).allowed
    moved_twice = plain(world, ana, self_reschedules=2)
    assert may_reschedule(moved_twice, ana, world.settings, NOW).reasons == (Reason.RESCHEDULE_LIMIT,)
    assert may_cancel(moved_twice, ana, world.settings, NOW).allowed


def test_someone_elses_appointment(world, ana):
    ben = world.add_client("Ben Lee")
    appt = plain(world, ben)
    assert may_reschedule(appt, ana, world.settings, NOW).reasons == (Reason.NOT_YOUR_APPOINTMENT,)
    assert may_cancel(appt, ana, world.settings, NOW).reasons == (Reason.NOT_YOUR_APPOINTMENT,)


def test_a_staff_member_who_left(world, ana):
    appt = plain(world, ana)
    world.staff["Maria"].active = False
    assert may_reschedule(appt, ana, world.settings, NOW).reasons == (Reason.STAFF_UNAVAILABLE,)


def test_every_reason_that_applies_is_reported(world, ana):
    world.settings.allow_self_reschedule = False
    appt = world.book(ana, ("Keratin", "Maria", "2026-11-27 10:00", 160), ("Manicure", "Jordan", "2026-11-27 10:30"),
                      booked_at=NOW - timedelta(days=9))
    reasons = may_reschedule(appt, ana, world.settings, NOW).reasons
    assert reasons == (Reason.SELF_RESCHEDULE_OFF, Reason.DURATION_EDITED, Reason.SERVICE_NOT_ONLINE,
                       Reason.OVERLAPPING_SERVICES)


# --- the seed's list, in order ---------------------------------------------------------

def _case(world, ana, name):
    ben = world.add_client("Ben Lee")
    old = NOW - timedelta(days=9)
    if name == "edited duration":
        return world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00", 90), booked_at=old), ana
    if name == "service not online":
        return world.book(ana, ("Keratin", "Maria", "2026-11-27 10:00"), booked_at=old), ana
    if name == "overlapping services":
        return world.book(ana, ("Haircut", "Maria", "2026-11-27 10:00"), ("Manicure", "Jordan", "2026-11-27 10:30"),
                          booked_at=old), ana
    if name == "overlapping buffers":
        return world.book(ana, ("Manicure", "Jordan", "2026-11-27 10:00"), ("Haircut", "Jordan", "2026-11-27 10:45"),
                          booked_at=old), ana
    group = world.group(primary=ana)
    own = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), group=group, booked_at=old)
    member = world.book(ben, ("Blowout", "Jordan", "2026-11-27 15:00"), group=group, booked_at=old)
    if name == "group member":
        return member, ben
    if name == "group primary":
        return own, ana
    if name == "self-rescheduling off":
        world.settings.allow_self_reschedule = False
        return own, ana
    if name == "inside the notice window":
        return world.book(ana, ("Haircut", "Maria", "2026-11-24 18:00"), booked_at=old), ana
    if name == "just booked online":
        return world.book(ana, ("Haircut", "Maria", "2026-11-24 18:00"), booked_at=NOW - timedelta(minutes=3),
                          booked_via=BookedVia.ONLINE), ana
    raise AssertionError(name)


SEED = [  # the rules as the product description lists them, in its order
    ("edited duration", False, Reason.DURATION_EDITED),
    ("service not online", False, Reason.SERVICE_NOT_ONLINE),
    ("overlapping services", False, Reason.OVERLAPPING_SERVICES),
    ("overlapping buffers", True, None),
    ("group member", False, Reason.GROUP_MEMBER),
    ("group primary", True, None),
    ("self-rescheduling off", False, Reason.SELF_RESCHEDULE_OFF),
    ("inside the notice window", False, Reason.INSIDE_RESCHEDULE_WINDOW),
    ("just booked online", True, None),
]


@pytest.mark.parametrize("name, allowed, reason", SEED, ids=[row[0] for row in SEED])
def test_the_seed_rules_in_order(world, ana, name, allowed, reason):
    appt, who = _case(world, ana, name)
    decision = may_reschedule(appt, who, world.settings, NOW)
    assert decision.allowed is allowed
    assert decision.reasons == (() if reason is None else (reason,))


# --- the words -----------------------------------------------------------------------

def test_every_reason_has_a_sentence_in_english_and_spanish():
    for reason in Reason:
        assert set(REASON_TEXT[reason]) == {"en", "es"}
        for lang in ("en", "es"):
            sentence = explain(reason, lang)
            assert sentence.endswith(".") and "{" not in sentence and len(sentence) < 140


def test_sentences_use_the_salons_numbers(world, ana):
    world.settings.reschedule_notice_hours = 48
    appt = plain(world, ana)
    decision = may_reschedule(appt, ana, world.settings, appt.starts_at - timedelta(hours=30))
    assert decision.explain("en") == ["appointments can only be moved online up to 48 hours before they start."]
    assert "48 horas" in decision.explain("es")[0]


def test_a_canceled_group_is_booked_again_whole_by_its_primary_contact_only(world, ana):
    ben = world.add_client("Ben Lee")
    group = world.group(primary=ana)
    own = plain(world, ana, group=group, status=Status.CANCELED)
    member = world.book(ben, ("Blowout", "Jordan", "2026-11-27 15:00"), group=group, status=Status.CANCELED,
                        booked_at=NOW - timedelta(days=20))
    decision = may_rebook(own, ana, world.settings, NOW)
    assert decision.allowed and set(decision.appointments) == {own, member}
    refused = may_rebook(member, ben, world.settings, NOW)
    assert not refused.allowed and Reason.GROUP_MEMBER in refused.reasons


def test_booking_again_keeps_the_structural_rules_for_every_member(world, ana):
    ben = world.add_client("Ben Lee")
    group = world.group(primary=ana)
    own = plain(world, ana, group=group, status=Status.CANCELED)
    world.book(ben, ("Keratin", "Jordan", "2026-11-27 15:00"), group=group, status=Status.CANCELED)   # not online
    assert Reason.SERVICE_NOT_ONLINE in may_rebook(own, ana, world.settings, NOW).reasons
