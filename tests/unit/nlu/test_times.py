"""The requested time, convention by convention (nlu/CONVENTIONS.md), in
English and Spanish. Context: today Tuesday 2026-11-24 10:00, the haircut is
Friday 11-27 15:00-16:00; open Tue/Wed 9-19, Thu/Fri 9-20, Sat 8-17, closed
Sunday and Monday. Expected windows are "MM-DD HH:MM" pairs; one value means
an exact time."""
from __future__ import annotations

from datetime import datetime

import pytest

from nlu import understand

from .conftest import dt, make_context

WHEN_CASES = [
    # C1 bare hours inside opening hours; C2 the appointment's date
    ("can we do 5 instead", "11-27 17:00"),
    ("can we move to 4ish?", "11-27 16:00"),
    ("at 10 instead?", "11-27 10:00"),
    ("can i come in at 7 instead", "11-27 19:00"),          # 7am is before opening
    ("monday at 2?", "11-30 14:00"),                       # closed day: 1-7 are afternoon
    ("monday at 9?", "11-30 09:00"),                       # closed day: 8-11 are morning
    ("at 12 then", "11-27 12:00"),
    ("can we do 3.30", "11-27 15:30"),
    ("1530 ok?", "11-27 15:30"),
    ("half 3 on friday", "11-27 15:30"),
    ("half past four", "11-27 16:30"),
    ("a quarter past 10", "11-27 10:15"),
    ("quarter to 4 tomorrow", "11-25 15:45"),
    ("noonish?", "11-27 12:00"),
    ("midday", "11-27 12:00"),
    ("a las 5 mejor", "11-27 17:00"),
    ("a las 3 y media", "11-27 15:30"),
    ("a las 5 menos cuarto", "11-27 16:45"),
    ("a las 10 de la mañana", "11-27 10:00"),
    ("tomorrow at 8 in the evening", "11-25 20:00"),
    # C3 weekdays
    ("can we do thursday at 7?", "11-26 19:00"),
    ("can we do thursday at 8?", "11-26 08:00"),          # 20:00 is closing time: neither inside, 8 is morning
    ("this friday at noon", "11-27 12:00"),
    ("el viernes a las 3", "11-27 15:00"),
    ("thrusday at 2", "11-26 14:00"),
    ("wensday morning", ("11-25 09:00", "11-25 12:00")),
    ("el viernez a las 5", "11-27 17:00"),
    ("tuesday", ("12-01 00:00", "12-02 00:00")),             # said on a Tuesday: next week's
    ("next saturday", ("11-28 00:00", "11-29 00:00")),      # 4 days away: the coming one
    ("next tuesday morning", ("12-01 09:00", "12-01 12:00")),  # said on Tuesday: a week on
    ("wednesday next week", ("12-02 00:00", "12-03 00:00")),
    ("el miércoles de la semana que viene", ("12-02 00:00", "12-03 00:00")),
    # C4 dates
    ("no I meant the 14th", ("12-14 00:00", "12-15 00:00")),
    ("dec 3", ("12-03 00:00", "12-04 00:00")),
    ("febuary 3rd", ("02-03 00:00", "02-04 00:00")),
    ("12/3 work instead?", ("12-03 00:00", "12-04 00:00")),
    ("el 12/3 a las 11 se puede?", "03-12 11:00"),        # Spanish: day/month
    ("se podrá el 15 de diciembre en la tarde?", ("12-15 12:00", "12-15 17:00")),
    ("book me in for the 3rd at 2:15pm", "12-03 14:15"),
    ("can we do jan 6 at 11 instead?", "01-06 11:00"),
    # C5 parts of the day
    ("can we do 2moro morning instead", ("11-25 09:00", "11-25 12:00")),
    ("thurs afternoon?", ("11-26 12:00", "11-26 17:00")),
    ("thurs evening??", ("11-26 17:00", "11-26 21:00")),
    ("mañana por la tarde", ("11-25 12:00", "11-25 17:00")),
    ("el sábado por la mañana", ("11-28 09:00", "11-28 12:00")),
    ("tonight?", ("11-24 17:00", "11-24 21:00")),
    ("wednesday after 5", ("11-25 17:00", "11-25 21:00")),
    ("puede ser el martes después de las 6?", ("12-01 18:00", "12-01 21:00")),
    ("before noon on weds", ("11-25 09:00", "11-25 12:00")),
    ("before 3 on wednesday", ("11-25 09:00", "11-25 15:00")),
    ("saturday between 11 and 1?", ("11-28 11:00", "11-28 13:00")),
    ("between 2 and 4 on sat?", ("11-28 14:00", "11-28 16:00")),
    ("entre las 2 y las 4 el jueves", ("11-26 14:00", "11-26 16:00")),
    ("2-4pm thursday", ("11-26 14:00", "11-26 16:00")),
    ("lunchtime tomorrow", ("11-25 12:00", "11-25 14:00")),
    ("any time after lunch on the 12th", ("12-12 13:00", "12-12 17:00")),
    ("first thing tomorrow", "11-25 09:00"),
    ("a primera hora el sábado", "11-28 08:00"),
    ("end of the day friday", ("11-27 19:00", "11-27 20:00")),
    # C6 weeks
    ("anything next week?", ("11-30 00:00", "12-07 00:00")),
    ("la semana que viene", ("11-30 00:00", "12-07 00:00")),
    ("any time this week works", ("11-24 00:00", "11-30 00:00")),
    ("sometime later this week?", ("11-25 00:00", "11-30 00:00")),
    ("can I come this wkend instead?", ("11-28 00:00", "11-30 00:00")),
    ("podría ser el fin de semana?", ("11-28 00:00", "11-30 00:00")),
    ("early next week", ("11-30 00:00", "12-03 00:00")),
    ("next week, wednesday maybe", ("12-02 00:00", "12-03 00:00")),
    # C7 relative to the appointment
    ("can we push it back an hour", "11-27 16:00"),
    ("30 min earlier?", "11-27 14:30"),
    ("me la puedes mover una hora más tarde?", "11-27 16:00"),
    ("same time next week", "12-04 15:00"),
    ("wed instead same time", "11-25 15:00"),
    ("anything earlier? 🙏", ("11-27 00:00", "11-27 15:00")),
    ("any openings later that day?", ("11-27 16:00", "11-28 00:00")),
    ("algo más temprano?", ("11-27 00:00", "11-27 15:00")),
    # C8 relative to now
    ("can i come in today at 5 instead of tmrw?", "11-24 17:00"),
    ("the day after tomorrow", ("11-26 00:00", "11-27 00:00")),
    ("pasado mañana", ("11-26 00:00", "11-27 00:00")),
    ("could we do something in 2 weeks?", ("12-08 00:00", "12-09 00:00")),
    ("mejor en dos semanas, se puede?", ("12-08 00:00", "12-09 00:00")),
    ("¿me pueden atender ahorita?", ("11-24 00:00", "11-25 00:00")),
    # C12 which mention counts
    ("friday at 3. actually make it 4", "11-27 16:00"),
    ("cant do 2morrow can u do fri aft", ("11-27 12:00", "11-27 17:00")),
    ("can't make saturday, can we do friday?", ("11-27 00:00", "11-28 00:00")),
    ("no puedo el sábado, ¿me la cambias al viernes por la tarde?", ("11-27 12:00", "11-27 17:00")),
    ("no, saturday not sunday", ("11-28 00:00", "11-29 00:00")),
    ("thurs evening?? need to move my sat appt", ("11-26 17:00", "11-26 21:00")),
    ("hey can i come in at 1 instead of 3?", "11-27 13:00"),
    ("I have an appointment on Friday, can we move it to Saturday?", ("11-28 00:00", "11-29 00:00")),
    ("CAN I MOVE MY APPT TO SATURDAY AT 11", "11-28 11:00"),
    ("move it to saturday morning instead because my son has a game friday afternoon", ("11-28 09:00", "11-28 12:00")),
    ("can we do saturday since i work friday", ("11-28 00:00", "11-29 00:00")),
    ("Could I possibly come in a bit later, like 4:30?", "11-27 16:30"),
    ("any openings on Dec 3 after 1pm", ("12-03 13:00", "12-03 21:00")),
    # whatever the intent, a named time is reported
    ("I'll be there at 3", "11-27 15:00"),
    ("please cancel my appointment for friday", ("11-27 00:00", "11-28 00:00")),
]


def _window(expected):
    if isinstance(expected, tuple):
        return dt(expected[0]), dt(expected[1])
    return dt(expected), dt(expected)


@pytest.mark.parametrize("text,expected", WHEN_CASES)
def test_when(text, expected):
    u = understand(text, make_context())
    assert u.when is not None, u
    assert (u.when.start, u.when.end) == _window(expected), u


ALTERNATIVE_CASES = [
    # C3: "next D" 1 to 3 days away is ambiguous; C11 alternatives
    ("could i do next friday instead? morning if possible",
     [("11-27 09:00", "11-27 12:00"), ("12-04 09:00", "12-04 12:00")]),
    ("podemos pasarla al próximo viernes a las 10?", ["11-27 10:00", "12-04 10:00"]),
    ("friday or saturday morning", [("11-27 09:00", "11-27 12:00"), ("11-28 09:00", "11-28 12:00")]),
    ("tomorrow at 10 or 11", ["11-25 10:00", "11-25 11:00"]),
    ("el lunes o el martes", [("11-30 00:00", "12-01 00:00"), ("12-01 00:00", "12-02 00:00")]),
    # a bare weekday beside one given a week is in that week too
    ("wed or thurs next week, after 2 ideally", [("12-02 14:00", "12-02 21:00"), ("12-03 14:00", "12-03 21:00")]),
]


@pytest.mark.parametrize("text,alternatives", ALTERNATIVE_CASES)
def test_alternatives(text, alternatives):
    u = understand(text, make_context())
    assert u.when is None
    assert [(w.start, w.end) for w in u.when_any] == [_window(a) for a in alternatives], u


@pytest.mark.parametrize("text", [
    "need to reschedule", "something came up, can we move it? not sure when yet", "hello",
    "call me at 650-650-6500", "it was $40 right?", "have a great weekend!", "buenas tardes",
])
def test_no_time_named(text):
    u = understand(text, make_context())
    assert u.when is None and not u.when_any, u


def test_no_appointment_means_next_occurrence():
    """C2: without an appointment to keep the date of, a passed time is tomorrow's."""
    ctx = make_context(appointments=(), now=datetime(2026, 11, 24, 16, 0))
    u = understand("can I come at 3?", ctx)
    assert (u.when.start, u.when.end) == (datetime(2026, 11, 25, 15), datetime(2026, 11, 25, 15))
    u = understand("can I come at 5?", ctx)
    assert u.when.start == datetime(2026, 11, 24, 17)


# Requests as people write them to calendar and booking assistants (same context).
CALENDAR_CASES = [
    ("I want to see a doctor on the 5th of March at 10:30 in the morning", "03-05 10:30"),
    ("Could you find me an appointment for the 7th?", ("12-07 00:00", "12-08 00:00")),
    ("I'd like it at quarter past 11 in the morning", "11-27 11:15"),
    ("around 1 in the afternoon", "11-27 13:00"),
    ("in the evening at 7:30", "11-27 19:30"),
    ("1 o'clock in the afternoon", "11-27 13:00"),
    ("book it for the morning of the 12th", ("12-12 09:00", "12-12 12:00")),
    ("Please schedule it for 9:15 a.m. on Wednesday, December 2nd", "12-02 09:15"),
    ("set it for tomorrow at 6 in the evening", "11-25 18:00"),
    ("How about the 28th at 5:30?", "11-28 17:30"),
    ("Tuesday at 4:30pm would be great", "12-01 16:30"),
    ("4:15 tomorrow afternoon", "11-25 16:15"),
    ("Thu 12/3 2pm", "12-03 14:00"),
    ("Dec. 3rd at 2", "12-03 14:00"),
    ("friday 330", "11-27 15:30"),
    ("7-ish", "11-27 19:00"),
    ("a week from tomorrow", ("12-02 00:00", "12-03 00:00")),
    ("two days from now", ("11-26 00:00", "11-27 00:00")),
    ("on the 3rd of next month", ("12-03 00:00", "12-04 00:00")),
    ("between 1pm and 3pm on Wednesday", ("11-25 13:00", "11-25 15:00")),
    ("10 to 12 on saturday", ("11-28 10:00", "11-28 12:00")),
    ("9-11am tomorrow", ("11-25 09:00", "11-25 11:00")),
    ("can we move it from 3 to 4", "11-27 16:00"),
    ("book a table for 4 tonight", ("11-24 17:00", "11-24 21:00")),     # for 4 people, not at 4
    ("midnight", "11-28 00:00"),
    ("el martes 1 de diciembre a las 10", "12-01 10:00"),
    ("sábado 28 a las 11", "11-28 11:00"),
    ("a eso de las 4", "11-27 16:00"),
    ("a las 4 de la tarde", "11-27 16:00"),
    ("mañana temprano", ("11-25 09:00", "11-25 12:00")),
    ("hoy en la tarde", ("11-24 12:00", "11-24 17:00")),
    ("el 28/11 a las 11:30", "11-28 11:30"),
    ("dentro de una semana", ("12-01 00:00", "12-02 00:00")),
]


@pytest.mark.parametrize("text,expected", CALENDAR_CASES)
def test_calendar_requests(text, expected):
    u = understand(text, make_context())
    assert u.when is not None, u
    assert (u.when.start, u.when.end) == _window(expected), u
