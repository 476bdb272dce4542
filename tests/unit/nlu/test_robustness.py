"""Whatever a client sends, understand() answers with a well-formed Understanding.

Property tests: any Unicode text, control characters, mixed scripts, emoji,
whitespace, 10,000-character messages and date-like word salad, under contexts
drawn from every awaiting state, with and without options, 0, 1 or 3
appointments, either language hint, a few time zones and opening hours with
closed days. No wall-clock assertions here: bench/nlu_speed.py measures speed.
"""
from __future__ import annotations

import math
from datetime import datetime, time, timedelta

import pytest
from hypothesis import example, given, settings, strategies as st

from nlu import understand
from nlu.understanding import (
    AWAITING,
    INTENTS,
    WEEKDAYS,
    AppointmentRef,
    Context,
    Understanding,
    Window,
)

# deadline=None: a 2,000-character text may take a while on a slow CI machine, and
# timing is bench/nlu_speed.py's business, not a unit test's.
settings.register_profile("nlu-robustness", deadline=None, max_examples=200)
ROBUST = settings.get_profile("nlu-robustness")
# The 10,000-character messages are fewer and costlier.
LONG = settings(ROBUST, max_examples=40)


# ---------------------------------------------------------------------------
# Contexts
# ---------------------------------------------------------------------------

TIME_ZONES = ("UTC", "America/New_York", "America/Los_Angeles", "Europe/Madrid",
              "America/Mexico_City", "Australia/Lord_Howe", "Pacific/Kiritimati")

_usual = (time(9), time(19))
FIXED_HOURS = (
    {},                                                        # nothing known
    {d: _usual for d in WEEKDAYS},                             # open every day
    {d: None for d in WEEKDAYS},                               # closed every day
    {"mon": None, "tue": _usual, "wed": _usual, "thu": (time(9), time(20)),
     "fri": (time(9), time(20)), "sat": (time(8), time(17)), "sun": None},
    {d: (time(12), time(20)) for d in WEEKDAYS[:5]} | {"sat": None, "sun": None},
    {d: (time(0), time(23, 59)) for d in WEEKDAYS},            # almost round the clock
    {d: (time(6, 30), time(7, 15)) for d in WEEKDAYS},         # a tiny window
)


@st.composite
def opening_span(draw):
    opens = draw(st.integers(0, 22 * 60))
    closes = draw(st.integers(opens + 15, 24 * 60 - 1))
    return time(opens // 60, opens % 60), time(closes // 60, closes % 60)


random_hours = st.fixed_dictionaries({d: st.none() | opening_span() for d in WEEKDAYS})
hours_strategy = st.sampled_from(FIXED_HOURS) | random_hours

NOW = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31))


@st.composite
def contexts(draw):
    now = draw(NOW).replace(second=0, microsecond=0)
    later = st.integers(0, 60 * 24 * 120).map(lambda m: now + timedelta(minutes=m))
    count = draw(st.sampled_from((0, 1, 3)))
    starts = sorted(draw(st.lists(later, min_size=count, max_size=count)))
    appointments = tuple(
        AppointmentRef(
            ref=f"a{i + 1}",
            start=start,
            minutes=draw(st.sampled_from((15, 30, 45, 60, 90, 120, 240))),
            service=draw(st.sampled_from(("", "Haircut", "Color", "Uñas", "Blowout 💇"))),
            staff=draw(st.sampled_from(("", "Maria", "Jess", "José"))),
        )
        for i, start in enumerate(starts)
    )
    options = tuple(sorted(draw(st.sampled_from((0, 0, 1, 3)).flatmap(
        lambda n: st.lists(later, min_size=n, max_size=n)))))
    return Context(
        now=now,
        tz=draw(st.sampled_from(TIME_ZONES)),
        hours=draw(hours_strategy),
        appointments=appointments,
        awaiting=draw(st.sampled_from(AWAITING)),
        options=options,
        lang=draw(st.sampled_from((None, "en", "es"))),
    )


# ---------------------------------------------------------------------------
# Texts
# ---------------------------------------------------------------------------

EMOJI = ("😊", "🙏", "💇‍♀️", "👍🏽", "❤️", "🇺🇸", "🗓️", "⏰", "😅", "👩‍👩‍👧‍👦", "✂️", "🔟")
SCRIPT_WORDS = ("hola", "ñandú", "Привет", "Γειά", "你好", "こんにちは", "مرحبا", "שלום",
                "नमस्ते", "안녕", "ไทย", "e\u0301\u0301", "𝟑", "３時", "٣", "Ⅲ", "ﬁ", "İ", "ß")
WHITESPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u00a0\u1680\u2000\u2003\u2009\u200a" \
             "\u2028\u2029\u202f\u205f\u3000"
CONTROLS = "".join(chr(c) for c in [*range(0, 32), 127, *range(0x80, 0xA0)]) + \
    "\u200b\u200c\u200d\u2060\ufeff\u202e\u202d\u2066\u2069\u00ad\ufffd"
# Words and numbers the language layer reacts to, to reach its date arithmetic
# with odd values: "feb 30", "the 31st", "at 25", "in 99999999 weeks", "13/13".
TOKENS = (
    "can", "we", "move", "it", "to", "cancel", "reschedule", "yes", "no", "stop", "start",
    "help", "at", "on", "the", "next", "this", "same", "time", "week", "weeks", "days",
    "in", "between", "and", "or", "after", "before", "earlier", "later", "that", "day",
    "an", "hour", "hours", "min", "mins", "morning", "afternoon", "evening", "tonight",
    "noon", "midnight", "today", "tomorrow", "tmrw", "2moro", "weekend", "first", "thing",
    "monday", "tue", "wed", "thurs", "friday", "sat", "sunday", "jan", "feb", "february",
    "dec", "december", "1st", "2nd", "3rd", "14th", "31st", "0th", "second", "one",
    "ish", "pm", "am", ":", "/", "-", "?", "!", ",", "el", "la", "las", "a", "de",
    "próximo", "viernes", "que", "viene", "mañana", "por", "tarde", "semana", "sí",
    "después", "antes", "dos", "semanas", "una", "hora", "más", "cita",
)
NUMBERS = st.one_of(
    st.integers(0, 40).map(str),
    st.integers(0, 10**12).map(str),
    st.tuples(st.integers(0, 99), st.integers(0, 99)).map(lambda t: f"{t[0]}:{t[1]:02d}"),
    st.tuples(st.integers(0, 99), st.integers(0, 99)).map(lambda t: f"{t[0]}/{t[1]}"),
    st.tuples(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99999)).map(
        lambda t: f"{t[0]}/{t[1]}/{t[2]}"),
    st.sampled_from(("-1", "0.5", "1e9", "½", "٣", "３", "⑤", "Ⅻ")),
)
word_salad = st.lists(st.sampled_from(TOKENS) | NUMBERS, min_size=1, max_size=30).map(" ".join)

any_text = st.text(max_size=2000)
control_text = st.text(alphabet=st.sampled_from(CONTROLS) | st.characters(
    categories=["Cc", "Cf", "Cs", "Co", "Cn"]), max_size=300)
controls_in_words = st.tuples(word_salad, st.lists(st.sampled_from(CONTROLS), max_size=20)).map(
    lambda t: "".join(a + b for a, b in zip(t[0], t[1] + [""] * len(t[0]))))
mixed_scripts = st.lists(st.sampled_from(SCRIPT_WORDS) | st.sampled_from(TOKENS), max_size=40) \
    .map(" ".join)
emoji_only = st.lists(st.sampled_from(EMOJI) | st.characters(min_codepoint=0x1F300,
                                                              max_codepoint=0x1FAFF),
                      min_size=1, max_size=200).map("".join)
whitespace_only = st.text(alphabet=st.sampled_from(WHITESPACE), max_size=500)

LONG_UNITS = ("1", "at 3 ", "friday at 3 ", "between 1 and 2 ", "next ", "12/3/", "1:",
              "a las 3 ", "a", " ", "\n", "😊", "Привет ", "\x00", "\u200b", "mañana ")
ten_thousand = st.tuples(st.sampled_from(LONG_UNITS), word_salad).map(
    lambda t: ((t[0] * 10_000)[: 10_000 - len(t[1])] + t[1])[:10_000])


# ---------------------------------------------------------------------------
# The properties
# ---------------------------------------------------------------------------

def check(text: str, context: Context) -> Understanding:
    u = understand(text, context)
    assert isinstance(u, Understanding), type(u)
    assert u.intent in INTENTS, u.intent
    if u.choice is not None:
        # asked "which appointment?", a choice is a position in the appointments listed
        # (pipeline._which_by_position); otherwise an index into the options offered
        listed = context.appointments if context.awaiting == "which_appointment" else context.options
        assert isinstance(u.choice, int) and 1 <= u.choice <= len(listed), (u.choice, listed)
    if u.appointment is not None:
        assert u.appointment in {a.ref for a in context.appointments}, u.appointment
    for w in ((u.when,) if u.when is not None else ()) + tuple(u.when_any):
        assert isinstance(w, Window), w
        assert w.start <= w.end, w
    assert u.lang in {"en", "es"}, u.lang
    assert isinstance(u.confidence, (int, float)) and not math.isnan(u.confidence)
    assert 0 <= u.confidence <= 1, u.confidence
    return u


@ROBUST
@given(text=any_text, context=contexts())
def test_any_unicode_text(text, context):
    check(text, context)


_BARE = Context(now=datetime(2020, 1, 1))
_LATE_APPOINTMENT = Context(
    now=datetime(2026, 11, 24, 10, 0),
    appointments=(AppointmentRef("a1", datetime(2026, 11, 27, 20, 30), 240),),
)


@ROBUST
@given(text=word_salad, context=contexts())
# Found by these tests: a range whose second hour reads earlier than its first.
@example(text="2-1", context=_BARE)
@example(text="between 7 and 6", context=_BARE)
# Found by these tests: "later that day" when the appointment ends after midnight.
@example(text="later that day", context=_LATE_APPOINTMENT)
def test_date_like_word_salad(text, context):
    check(text, context)


@ROBUST
@given(text=st.one_of(control_text, controls_in_words), context=contexts())
def test_control_characters(text, context):
    check(text, context)


@ROBUST
@given(text=mixed_scripts, context=contexts())
def test_mixed_scripts(text, context):
    check(text, context)


@ROBUST
@given(text=emoji_only, context=contexts())
def test_emoji_only(text, context):
    check(text, context)


@ROBUST
@given(text=whitespace_only, context=contexts())
def test_whitespace_only(text, context):
    check(text, context)


@LONG
@given(text=ten_thousand, context=contexts())
def test_ten_thousand_characters(text, context):
    assert len(text) == 10_000
    check(text, context)


@pytest.mark.parametrize("text", ["", " ", "\x00", "\n\n", "?", "😊", "1" * 10_000,
                                  "at 3 " * 2_000, "\u202e" * 10_000])
@pytest.mark.parametrize("awaiting", AWAITING)
def test_edge_messages_in_every_awaiting_state(text, awaiting):
    now = datetime(2026, 11, 24, 10, 0)
    context = Context(
        now=now, tz="America/New_York",
        hours={d: None if d in ("mon", "sun") else (time(9), time(19)) for d in WEEKDAYS},
        appointments=(AppointmentRef("a1", now + timedelta(days=3, hours=5), 60),),
        awaiting=awaiting,
        options=(now + timedelta(days=1), now + timedelta(days=2)) if awaiting == "slot_choice" else (),
        lang="en",
    )
    check(text, context)
