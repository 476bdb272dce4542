"""Every line the bot says: texts fit in two SMS segments and English never
forces UCS-2; the forms with buttons never say how to reply."""
from __future__ import annotations

import re
from datetime import datetime

import pytest

from bot.conversation import texts
from bot.conversation.reply import Choice, Line, Reply
from bot.domain.rules import REASON_TEXT, Reason, explain
from bot.messaging import texts as automated
from bot.messaging.gsm7 import fits, fold_to_gsm7, is_gsm7, segments
from webhooks.sms.render import render

# The longest a salon's own names can make a reply, on the longest date text.
LONGEST = datetime(2026, 12, 30, 12, 45)   # "Wed, Dec 30 at 12:45 PM"
WORST = dict(
    name="Maximiliana", salon="The Brooklyn Hair & Spa Studio", phone="(212) 555-0199",
    service="All-over Color & Blowout", staff="Jordan & Maria", client="Maximiliana Rodriguez",
    when=texts.when(LONGEST), new=texts.when(LONGEST), old=texts.when(LONGEST), channel="portal",
    day=texts.day_name(LONGEST), last=texts.day_name(LONGEST), limit=texts.when(LONGEST),
    reason=max((explain(r, "en") for r in Reason), key=len), minutes="120", count="12", text="", items="",
    what="All-over Color & Blowout with Jordan & Maria; Haircut with Maria (Maximiliana Rodriguez); 3 more of the group",
)


def worst(lang: str) -> dict:
    fields = dict(WORST)
    if lang == "es":
        fields.update(when=texts.when(LONGEST, "es"), new=texts.when(LONGEST, "es"), old=texts.when(LONGEST, "es"),
                      day=texts.day_name(LONGEST, "es"), last=texts.day_name(LONGEST, "es"),
                      limit=texts.when(LONGEST, "es"),
                      reason=max((explain(r, "es") for r in Reason), key=len))
    return fields


def three_times(lang: str) -> tuple[Choice, ...]:
    return tuple(Choice(str(i), Line("time_choice", {"when": texts.when(LONGEST, lang)})) for i in (1, 2, 3))


@pytest.mark.parametrize("key", sorted(texts.TEXT))
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_line_fits_two_segments(key, lang):
    fields = worst(lang)
    if key == "query_more":
        fields["items"] = tuple(Line("query_item", worst(lang)) for _ in range(3))
    text = fold_to_gsm7(render(Reply(lang, (Line(key, fields),), choices=three_times(lang))))
    assert segments(text) <= 2, f"{key}/{lang}: {segments(text)} segments, {len(text)} chars: {text!r}"


@pytest.mark.parametrize("key", sorted(automated.TEMPLATES))
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_automated_text_fits_two_segments(key, lang):
    text = fold_to_gsm7(automated.text(key, lang, **worst(lang)))
    assert segments(text) <= 2, f"{key}/{lang}: {segments(text)} segments, {len(text)} chars: {text!r}"


@pytest.mark.parametrize("key", sorted({*texts.TEXT, *texts.RICH}))
def test_english_stays_in_gsm7(key):
    for forms in (texts.TEXT, texts.RICH):
        if key in forms:
            assert is_gsm7(texts.say(Line(key, WORST), "en", forms, listing="", choices="")), key
    for key in automated.TEMPLATES:
        assert is_gsm7(automated.text(key, "en", **WORST)), key


@pytest.mark.parametrize("reason", list(Reason))
def test_a_refusal_with_its_next_step_fits(reason):
    for lang in ("en", "es"):
        text = render(Reply(lang, (Line("not_allowed", {"reason": explain(reason, lang)}),),
                            optional=(Line("cancel_instead"),)))
        assert fits(fold_to_gsm7(text)) and text.endswith(texts.text("cancel_instead", lang)), text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_which_appointment_lists_three_of_the_longest_with_their_staff(lang):
    listed = tuple(Choice(str(i), Line("appointment_choice", worst(lang))) for i in (1, 2, 3))
    question = Line("which_appointment_more", shorter=Line("which_appointment"))
    text = render(Reply(lang, (question,), choices=listed))
    assert segments(fold_to_gsm7(text)) <= 2, text
    assert f"1) {WORST['service']}" in text and text.endswith("1, 2 " + ("or" if lang == "en" else "o") + " 3.")


def test_which_appointment_says_more_can_be_named_where_it_fits():
    listed = tuple(Choice(str(i), Line("appointment_choice", {"service": "Cut", "staff": "Jo", "when": "Fri"}))
                   for i in (1, 2))
    text = render(Reply("en", (Line("which_appointment_more", shorter=Line("which_appointment")),), choices=listed))
    assert text == ("Which appointment do you mean?\n1) Cut with Jo, Fri\n2) Cut with Jo, Fri\n"
                    "(or tell me the day or service of another)\nReply 1 or 2.")


def test_no_text_ever_asks_for_a_lone_cancel():
    # A lone CANCEL is a Twilio opt-out word: it would silence the client.
    tables = [*texts.TEXT.values(), *texts.RICH.values(), *automated.TEMPLATES.values(), *REASON_TEXT.values()]
    for table in tables:
        for text in table.values():
            assert "reply cancel" not in text.lower() and "responde cancel" not in text.lower()


def test_where_answers_are_buttons_no_line_says_how_to_reply():
    for key, table in texts.TEXT.items():
        rich = texts.RICH.get(key, table)
        for lang, text in rich.items():
            # "Reply YES", "reply R", "Responde {choices}", "STOP": how to answer by text
            assert not re.search(r"\b(?:[Rr]eply|[Rr]esponde) (?:[A-Z0-9]+\b|\{)|\{(?:listing|choices)\}|\bSTOP\b|\bSTART\b",
                                 text), (key, lang, text)


def test_a_reply_with_buttons():
    reply = Reply("en", (Line("cancel_ask", {"service": "Haircut", "staff": "Maria", "when": "Fri, Nov 27 at 3:00 PM"}),),
                  optional=(Line("policy", {"text": "24 hours' notice, please."}), Line("or_reschedule")),
                  choices=(Choice("YES", Line("yes_cancel")), Choice("NO", Line("no_keep")),
                           Choice("R", Line("choice_reschedule"))))
    assert texts.rich(reply) == texts.Rich(
        "Cancel your Haircut with Maria on Fri, Nov 27 at 3:00 PM? 24 hours' notice, please.",
        (("YES", "Yes, cancel it"), ("NO", "No, keep it"), ("R", "Reschedule")))
    assert render(reply) == ("Reply YES to cancel your Haircut with Maria on Fri, Nov 27 at 3:00 PM, or NO to keep "
                             "it. 24 hours' notice, please. Or reply R to pick a new time instead.")


def test_optional_lines_are_dropped_when_they_would_not_fit():
    required = Line("policy", {"text": "x" * 280})
    reply = Reply("en", (required,), optional=(Line("policy", {"text": "a short one"}),
                                               Line("policy", {"text": "y" * 40})))
    assert render(reply) == "x" * 280 + " a short one"


def test_segment_counting():
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2 and segments("a" * 306) == 2
    assert segments("€" * 80) == 1 and segments("€" * 81) == 2          # extension characters count twice
    assert segments("á" * 70) == 1 and segments("á" * 71) == 2          # UCS-2
    assert fold_to_gsm7("¿Qué día? Sí, también") == "¿Qué dia? Si, también"


def test_dates_read_naturally():
    moment = datetime(2026, 11, 27, 15, 0)
    assert texts.when(moment) == "Fri, Nov 27 at 3:00 PM"
    assert texts.when(moment, "es") == "vie 27 nov a las 3:00 pm"
    assert texts.when(datetime(2026, 11, 27, 0, 5)) == "Fri, Nov 27 at 12:05 AM"
