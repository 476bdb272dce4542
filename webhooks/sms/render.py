"""A reply as a text message: its lines' text forms, the numbered answers
listed in it ("1) Mon, Nov 30 at 10:00 AM", "Reply 1, 2 or 3"), and what
fits in two SMS segments.

The required lines always go (in their shorter form where the full one would
not fit); each optional line follows only while the whole still fits, judged
on the text as it is sent (accents GSM-7 lacks folded, see twiml()).
"""
from __future__ import annotations

from bot.conversation.reply import Line, Reply
from bot.conversation.texts import choices, say
from bot.messaging.gsm7 import MAX_SEGMENTS, fits, fold_to_gsm7


def render(reply: Reply | None, max_segments: int = MAX_SEGMENTS) -> str | None:
    if reply is None:
        return None
    lang = reply.lang
    numbered = reply.numbered
    answers = {"listing": "\n".join(f"{c.answer}) {say(c.label, lang)}" for c in numbered),
               "choices": choices(len(numbered), lang)} if numbered else {}
    out = " ".join(part for part in (_fitting(line, lang, answers, max_segments) for line in reply.lines) if part)
    for line in reply.optional:
        extra = say(line, lang, **answers)
        if extra and fits(fold_to_gsm7(f"{out} {extra}"), max_segments):
            out = f"{out} {extra}"
    return out


def _fitting(line: Line, lang: str, answers: dict[str, str], max_segments: int) -> str:
    """The line, or its shorter form where the full one takes more than the segments."""
    text = say(line, lang, **answers)
    while line.shorter is not None and not fits(fold_to_gsm7(text), max_segments):
        line = line.shorter
        text = say(line, lang, **answers)
    return text
