"""Shared context for the language-layer tests: a salon in New York, today
Tuesday 2026-11-24 10:00, one haircut with Maria on Friday 2026-11-27 at 15:00."""
from __future__ import annotations

from datetime import datetime, time

import pytest

from nlu import AppointmentRef, Context

NOW = datetime(2026, 11, 24, 10, 0)           # a Tuesday
HOURS = {
    "mon": None,
    "tue": (time(9), time(19)), "wed": (time(9), time(19)),
    "thu": (time(9), time(20)), "fri": (time(9), time(20)),
    "sat": (time(8), time(17)), "sun": None,
}
HAIRCUT = AppointmentRef("a1", datetime(2026, 11, 27, 15, 0), 60, "Haircut", "Maria")
NAILS = AppointmentRef("a1", datetime(2026, 11, 26, 10, 30), 45, "Manicure", "Sofia")
COLOR = AppointmentRef("a2", datetime(2026, 11, 28, 11, 0), 120, "Color", "Jess")
OPTIONS = (datetime(2026, 11, 26, 10, 0), datetime(2026, 11, 26, 14, 30), datetime(2026, 11, 28, 11, 0))


def make_context(awaiting: str = "none", appointments=(HAIRCUT,), options=(), now=NOW, lang=None) -> Context:
    return Context(now=now, tz="America/New_York", hours=HOURS, appointments=tuple(appointments),
                   awaiting=awaiting, options=tuple(options), lang=lang)


def dt(s: str) -> datetime:
    """'11-27 15:00' -> datetime in 2026 (or 2027 for January dates)."""
    md, hm = s.split()
    m, d = (int(x) for x in md.split("-"))
    h, mi = (int(x) for x in hm.split(":"))
    return datetime(2027 if m < 11 else 2026, m, d, h, mi)


@pytest.fixture
def ctx():
    return make_context
