"""What the bot answers, as data: each channel words and shapes it.

The dialogue decides what to say (a line of the catalogue, bot.conversation.texts,
with its fields), what may be left out when a channel is short of room, and
which answers it offers. It never says how to answer ("Reply 1, 2 or 3") nor
counts SMS segments: SMS renders the offered answers into its text within two
segments (webhooks.sms.render); the chat widget and Rasa show the same lines in
full with the answers as buttons (texts.rich).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Line:
    """One sentence of the catalogue, its fields already in the reply's
    language. `shorter`: the same said in fewer words, for a channel with
    little room."""
    key: str
    fields: Mapping[str, object] = field(default_factory=dict)   # text, or lines in it (a list)
    shorter: Line | None = None


@dataclass(frozen=True)
class Choice:
    """An answer on offer: what the client sends to give it (a number, YES,
    NO, R, X, C) and what a button for it says."""
    answer: str
    label: Line

    @property
    def numbered(self) -> bool:
        return self.answer.isdigit()


@dataclass(frozen=True)
class Reply:
    lang: str
    lines: tuple[Line, ...]
    optional: tuple[Line, ...] = ()        # may be left out, last first, where room is short
    choices: tuple[Choice, ...] = ()

    @property
    def numbered(self) -> tuple[Choice, ...]:
        return tuple(choice for choice in self.choices if choice.numbered)
