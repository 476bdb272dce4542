"""Conversations as fast tests: a client talking to the dialogue itself.

zulip-style: each (what the client says, what the bot answers), the answer as
the client's phone shows it (rendered as a text, folded to GSM-7). The
language layer and the dialogue are the real ones; the client's bookings are
a fake of the bookings port over a SalonWorld in memory (tests/fakes/bookings.py),
so a whole exchange runs in milliseconds with no database and no Flask. The
state goes through its JSON between messages, as it does in the database.
"""
from __future__ import annotations

from datetime import datetime

from bot.conversation.context import language_context
from bot.conversation.dialogue import Turn, respond
from bot.conversation.state import ConversationState
from bot.messaging.gsm7 import fold_to_gsm7
from nlu import understand
from tests.factories import NOW
from tests.fakes.bookings import FakeBookings, FakeSalon
from tests.sms_client import verify
from webhooks.sms.render import render


class Dialog:
    def __init__(self, world, client, now: datetime = NOW, state: ConversationState | None = None) -> None:
        self.salon = world if isinstance(world, FakeSalon) else FakeSalon(world)
        self.client, self.now = client, now
        self.state = state or ConversationState()
        self.turns: list[Turn] = []
        self.changes: list[tuple[str, int]] = []

    def turn(self, text: str) -> Turn:
        lang = self.state.lang or self.client.language
        facts = self.salon.facts(self.client, self.now, lang, self.state)
        u = understand(text, language_context(facts, self.state, lang))
        if u.lang in ("en", "es") and u.lang != facts.lang:
            facts = self.salon.facts(self.client, self.now, u.lang, self.state)
        bookings = FakeBookings(self.salon, self.client, self.now, facts.lang)
        turn = respond(self.state, u, facts, bookings)
        self.state = ConversationState.from_json(turn.state.to_json())
        self.turns.append(turn)
        self.changes += bookings.changes
        return turn

    def say(self, text: str) -> str | None:
        reply = render(self.turn(text).reply)
        return None if reply is None else fold_to_gsm7(reply)

    def verify(self, exchange: list[tuple[str, str | None]]) -> None:
        """Each (what the client says, what the bot must answer): tests.sms_client.verify."""
        verify(self.say, exchange)

    @property
    def flags(self) -> list[str]:
        return [turn.flag for turn in self.turns if turn.flag]

    @property
    def handed_off(self) -> bool:
        return any(turn.hand_off for turn in self.turns)
