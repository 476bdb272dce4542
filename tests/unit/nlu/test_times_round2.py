"""Times as people write them, second round (issue: phrasings nobody wrote a rule for):
an hour with a part of the day in either order, the request and not its reason, what
the client rules out, moves by an amount. Our own phrasings; the context of
conftest.py: today Tuesday 2026-11-24 10:00, the haircut Friday 11-27 15:00."""
from __future__ import annotations

import pytest

from nlu import understand

from .conftest import dt, make_context

CASES = [
    # an hour and a part of the day, in any order
    ("3 in the afternoon on thursday", "11-26 15:00"),
    ("thursday afternoon 3?", "11-26 15:00"),
    ("half past 4 in the afternoon", "11-27 16:30"),
    ("10 in the morning", "11-27 10:00"),
    ("saturday morning 10", "11-28 10:00"),
    ("9 at night", "11-27 21:00"),
    ("seven in the evening", "11-27 19:00"),
    ("any chance of 6 in the evening", "11-27 18:00"),
    ("at one pm", "11-27 13:00"),
    ("a las 5 de la tarde el jueves", "11-26 17:00"),
    ("las 10 de la mañana", "11-27 10:00"),
    ("a las 9 de la noche", "11-27 21:00"),
    ("el jueves por la noche, 8?", "11-26 20:00"),
    # the request, not the reason
    ("could we do 11 instead? I've got the dentist at 2", "11-27 11:00"),
    ("thursday at 4 works, my son has practice on wednesday", "11-26 16:00"),
    ("is 10 possible? i have a meeting at 1", "11-27 10:00"),
    ("a las 6 mejor que tengo clase a las 4", "11-27 18:00"),
    ("el jueves a las 5, el miércoles trabajo hasta tarde", "11-26 17:00"),
    ("saturday at 9 would be great, thursday I'm traveling", "11-28 09:00"),
    ("a las 2 porque a las 5 tengo que recoger a los niños", "11-27 14:00"),
    ("mejor el jueves a las 11, el miércoles tengo examen", "11-26 11:00"),
    ("would 11 work instead?", "11-27 11:00"),
    ("el jueves a las 7 que a las 5 salgo del trabajo", "11-26 19:00"),
    ("salgo del curro a las 6, podéis a las 7 el jueves?", "11-26 19:00"),
    # what the client rules out is left out
    ("el viernes ya no me sirve, el sábado a las 11?", "11-28 11:00"),
    ("wednesday's no good, anything next week?", ("11-30 00:00", "12-07 00:00")),
    ("thursday doesnt work, how about saturday", ("11-28 00:00", "11-29 00:00")),
    ("saturday instead of friday", ("11-28 00:00", "11-29 00:00")),
    ("pasado mañana en vez del viernes", ("11-26 00:00", "11-27 00:00")),
    ("el jueves ya no puedo, algo la semana que viene?", ("11-30 00:00", "12-07 00:00")),
    ("4 not 3", "11-27 16:00"),
    ("a las 5 en vez de a la 1", "11-27 17:00"),
    # hours asked about, in words
    ("is 4 possible", "11-27 16:00"),
    ("would 5 be ok?", "11-27 17:00"),
    ("eleven thirty?", "11-27 11:30"),
    ("around five-ish", "11-27 17:00"),
    ("un cuarto para las 5", "11-27 16:45"),
    ("10 para las 6", "11-27 17:50"),
    # relative to the appointment
    ("an hour and a half earlier?", "11-27 13:30"),
    ("una hora y media más tarde", "11-27 16:30"),
    ("la puedes atrasar 30 minutitos?", "11-27 15:30"),
    ("can u do an hour later on thursday", "11-26 16:00"),
    ("same day and time next week?", "12-04 15:00"),
    ("puedo ir el viernes más temprano? antes de las 2", ("11-27 09:00", "11-27 14:00")),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_time_asked_for(text, expected):
    u = understand(text, make_context())
    assert u.intent == "reschedule", (text, u.intent)
    w = u.when or (u.when_any[0] if u.when_any else None)
    assert w is not None, text
    start, end = (expected, expected) if isinstance(expected, str) else expected
    assert (w.start, w.end) == (dt(start), dt(end)), text


def test_the_day_that_names_the_appointment_and_a_new_hour():
    # "la manicura del viernes a las 7 y media": the day names it, the hour is asked for
    u = understand("el corte del viernes a las 5 y media", make_context())
    assert u.intent == "reschedule" and (u.when.start, u.when.end) == (dt("11-27 17:30"), dt("11-27 17:30"))


def test_each_day_with_its_own_time_is_an_alternative():
    for text in ("wed at 2 or thurs at 4", "el miércoles a las 2 o el jueves a las 4"):
        u = understand(text, make_context())
        assert [w.start for w in u.when_any] == [dt("11-25 14:00"), dt("11-26 16:00")], text


def test_am_pm_ish():
    u = understand("7pm-ish wednesday", make_context())
    assert u.when.start == dt("11-25 19:00")
