"""Every reply fits in two SMS segments, and English never forces UCS-2."""
from __future__ import annotations

from datetime import datetime

import pytest

from bot.conversation import texts as replies
from bot.domain.rules import REASON_TEXT, Reason, explain
from bot.messaging.gsm7 import fits, fold_to_gsm7, is_gsm7, segments

# The longest a salon's own names can make a reply, on the longest date text.
LONGEST = datetime(2026, 12, 30, 12, 45)   # "Wed, Dec 30 at 12:45 PM"
WORST = dict(
    name="Maximiliana", salon="The Brooklyn Hair & Spa Studio", phone="(212) 555-0199",
    service="All-over Color & Blowout", staff="Jordan & Maria", client="Maximiliana Rodriguez",
    when=replies.when(LONGEST), new=replies.when(LONGEST), old=replies.when(LONGEST), channel="portal",
    listing=replies.options([LONGEST] * 3), choices=replies.choices(3),
    reason=max((explain(r, "en") for r in Reason), key=len), minutes="120", count="12",
    what="All-over Color & Blowout with Jordan & Maria; Haircut with Maria (Maximiliana Rodriguez); 3 more of the group",
)


def worst(lang: str) -> dict:
    fields = dict(WORST)
    if lang == "es":
        fields.update(when=replies.when(LONGEST, "es"), new=replies.when(LONGEST, "es"), old=replies.when(LONGEST, "es"),
                      listing=replies.options([LONGEST] * 3, "es"), choices=replies.choices(3, "es"),
                      reason=max((explain(r, "es") for r in Reason), key=len))
    return fields


@pytest.mark.parametrize("key", sorted(replies.TEMPLATES))
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_template_fits_two_segments(key, lang):
    text = fold_to_gsm7(replies.text(key, lang, **worst(lang)))
    assert segments(text) <= 2, f"{key}/{lang}: {segments(text)} segments, {len(text)} chars: {text!r}"


@pytest.mark.parametrize("key", sorted(replies.TEMPLATES))
def test_english_stays_in_gsm7(key):
    assert is_gsm7(replies.text(key, "en", **WORST)), key


@pytest.mark.parametrize("reason", list(Reason))
def test_a_refusal_with_its_next_step_fits(reason):
    for lang in ("en", "es"):
        text = replies.compose([replies.text("not_allowed", lang, reason=explain(reason, lang))],
                               [replies.text("cancel_instead", lang)])
        assert fits(fold_to_gsm7(text))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_which_appointment_lists_three_of_the_longest_with_their_staff(lang):
    line = f"{WORST['service']} {'with' if lang == 'en' else 'con'} {WORST['staff']}, {replies.when(LONGEST, lang)}"
    listing = "\n".join(f"{i}) {line}" for i in (1, 2, 3))
    text = fold_to_gsm7(replies.text("which_appointment", lang, listing=listing, choices=replies.choices(3, lang)))
    assert segments(text) <= 2, text


def test_no_text_ever_asks_for_a_lone_cancel():
    # A lone CANCEL is a Twilio opt-out word: it would silence the client.
    for table in list(replies.TEMPLATES.values()) + list(REASON_TEXT.values()):
        for text in table.values():
            assert "reply cancel" not in text.lower() and "responde cancel" not in text.lower()


def test_optional_parts_are_dropped_when_they_would_not_fit():
    required = "x" * 280
    assert replies.compose([required], ["a short one", "y" * 40]) == required + " a short one"


def test_segment_counting():
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2 and segments("a" * 306) == 2
    assert segments("€" * 80) == 1 and segments("€" * 81) == 2          # extension characters count twice
    assert segments("á" * 70) == 1 and segments("á" * 71) == 2          # UCS-2
    assert fold_to_gsm7("¿Qué día? Sí, también") == "¿Qué dia? Si, también"


def test_dates_read_naturally():
    moment = datetime(2026, 11, 27, 15, 0)
    assert replies.when(moment) == "Fri, Nov 27 at 3:00 PM"
    assert replies.when(moment, "es") == "vie 27 nov a las 3:00 pm"
    assert replies.when(datetime(2026, 11, 27, 0, 5)) == "Fri, Nov 27 at 12:05 AM"
