"""Words from whole conversations (issue "conversations a client can trust"): plural and
other-language service names, moves relative to the appointment, dates while times are
on offer, "the other one", another stylist, the part of the day. Our own phrasings."""
from __future__ import annotations

from datetime import datetime

import pytest

from nlu import AppointmentRef, understand

from .conftest import HAIRCUT, make_context

TRIM_1 = AppointmentRef("a1", datetime(2026, 11, 27, 10, 0), 30, "Despunte", "Lucía", ("Trim",))
TRIM_2 = AppointmentRef("a2", datetime(2026, 12, 4, 11, 0), 30, "Despunte", "Lucía", ("Trim",))
COLOR = AppointmentRef("a3", datetime(2026, 11, 28, 12, 0), 120, "All-Over Color", "Jess", ("Color completo",))
CUT = AppointmentRef("a4", datetime(2026, 11, 27, 15, 0), 60, "Haircut", "Maria", ("Corte",))
OFFERED = (datetime(2026, 11, 26, 10, 0), datetime(2026, 11, 26, 14, 30), datetime(2026, 11, 26, 16, 30))


def at(s: str) -> datetime:
    return datetime.strptime("2026-" + s, "%Y-%m-%d %H:%M")


@pytest.mark.parametrize("text", ["cancela mis despuntes", "cancel my trims", "quita los despuntes"])
def test_a_plural_service_name_means_every_such_appointment(text):
    u = understand(text, make_context(appointments=(TRIM_1, TRIM_2, COLOR)))
    assert u.intent == "cancel" and set(u.candidates) == {"a1", "a2"} and set(u.targets) == {"a1", "a2"}


@pytest.mark.parametrize("text,ref", [
    ("cancel the all over color", "a3"), ("move my color to next week", "a3"), ("cancel my trim", "a1"),
    ("cancela el color completo", "a3"), ("cancel my cut", "a4"),
])
def test_a_service_by_its_name_in_either_language(text, ref):
    u = understand(text, make_context(appointments=(TRIM_1, COLOR, CUT)))
    assert u.appointment == ref and not u.every


def test_naming_the_other_languages_service_while_answering_about_another():
    u = understand("no, the trim", make_context("cancel_confirmation", appointments=(COLOR, TRIM_1)))
    assert u.named == ("a1",)


@pytest.mark.parametrize("text,expected", [
    ("could I come in an hour earlier?", "11-27 14:00"),
    ("could i come in 30 min later", "11-27 15:30"),
    ("an hour and a half earlier", "11-27 13:30"),
    ("can u do an hour later on tuesday", "12-01 16:00"),
    ("push it back 30 min", "11-27 15:30"),
])
def test_moves_relative_to_the_appointment(text, expected):
    u = understand(text, make_context(appointments=(CUT,)))
    assert u.intent == "reschedule" and (u.when.start, u.when.end) == (at(expected), at(expected))


def test_earlier_today_with_a_bound():
    today = AppointmentRef("a1", datetime(2026, 11, 24, 16, 0), 60, "Haircut", "Maria")
    u = understand("earlier today before 2", make_context(appointments=(today,)))
    assert (u.when.start, u.when.end) == (at("11-24 09:00"), at("11-24 14:00"))


def test_an_ordinal_with_a_time_is_a_date_while_times_are_offered():
    u = understand("hmm what about the 2nd at 3?", make_context("slot_choice", options=OFFERED))
    assert u.intent == "reschedule" and u.choice is None
    assert (u.when.start, u.when.end) == (at("12-02 15:00"), at("12-02 15:00"))
    assert understand("the 2nd", make_context("slot_choice", options=OFFERED)).choice == 2


def test_a_bare_hour_while_one_days_times_are_offered_is_that_day():
    u = understand("is 4 possible?", make_context("slot_choice", options=OFFERED))
    assert u.intent == "reschedule" and (u.when.start, u.when.end) == (at("11-26 16:00"), at("11-26 16:00"))
    assert understand("is 2:30 possible?", make_context("slot_choice", options=OFFERED)).choice == 2


def test_the_one_at_10_on_friday():
    two = (TRIM_1, CUT)
    assert understand("cancela la de las 10 del viernes", make_context(appointments=two)).appointment == "a1"
    assert understand("la de las 3 del viernes", make_context("which_appointment", appointments=two)).appointment == "a4"


@pytest.mark.parametrize("text", ["the other one", "and the other one too", "y la otra también", "the other appt as well",
                                  "el otro turno"])
def test_the_other_one(text):
    assert understand(text, make_context("cancel_confirmation", appointments=(TRIM_1, CUT))).other_one


@pytest.mark.parametrize("text,other", [
    ("can someone else do it", True), ("con otra estilista", True), ("anyone but maria", True),
    ("alguien distinto porfa", True), ("la otra semana", False), ("someone else's phone", True),
])
def test_someone_else(text, other):
    assert understand(text, make_context()).other_staff is other


def test_the_other_week_is_not_the_other_one():
    assert not understand("la otra semana", make_context(appointments=(TRIM_1, CUT))).other_one


@pytest.mark.parametrize("text,part", [
    ("saturday morning", "morning"), ("el sábado por la tarde", "afternoon"), ("thursday evening?", "evening"),
    ("saturday morning at 10", None), ("can we do 4 instead", None),
])
def test_the_part_of_the_day_the_window_comes_from(text, part):
    assert understand(text, make_context(appointments=(HAIRCUT,))).part == part
