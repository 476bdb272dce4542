"""A weekday names the appointment on that weekday, whichever week it falls in."""
from datetime import datetime

import pytest

from nlu import AppointmentRef, Context, understand

APPTS = (AppointmentRef("a1", datetime(2026, 11, 27, 15), 60, "Haircut", "Maria"),   # Friday this week
         AppointmentRef("a2", datetime(2026, 12, 2, 10), 45, "Manicure", "Jordan"))   # Wednesday next week
NOW = datetime(2026, 11, 24, 10)   # Tuesday


@pytest.mark.parametrize("text, ref", [
    ("the wednesday one", "a2"), ("my wed appt", "a2"), ("la del miércoles", "a2"), ("the friday one", "a1"),
])
def test_a_weekday_answers_which_appointment(text, ref):
    assert understand(text, Context(now=NOW, appointments=APPTS, awaiting="which_appointment")).appointment == ref


def test_the_appointment_on_the_date_itself_wins():
    appts = APPTS + (AppointmentRef("a3", datetime(2026, 11, 25, 9), 30, "Trim", "Maria"),)   # this Wednesday
    u = understand("cancel my wednesday appointment", Context(now=NOW, appointments=appts))
    assert u.intent == "cancel" and u.appointment == "a3"
