"""A text's turn of the conversation: the steps every channel takes
(handlers.conversation), with what only SMS has around them: the carrier's
keywords, silence while a client is opted out, the reply as a text.

Twilio (with its default keywords on, a salon setting) answers a text that is
exactly one of its keywords itself, and blocks or unblocks our texts to that
number: we record the opt-out or opt-in and add no answer of our own. A lone
CANCEL is one of those words, so the client who meant "cancel my appointment"
is now blocked: it is recorded as the opt-out it became and flagged for staff,
who can call them. Once a client has opted out, whatever they text is kept for
staff but answered by nobody until they opt back in (by law as much as by the
carrier's block), and staff are told once.
"""
from __future__ import annotations

from datetime import datetime

from bot.conversation.dialogue import Turn
from bot.persistence.conversations import Repeated
from bot.persistence.database import Database
from handlers.conversation import Inbound, Moment, Taken, finish, load, record, take_turn
from nlu import Understanding
from webhooks.sms.render import render

# Twilio's default keywords: a message of exactly one of these (any case).
TWILIO_OPT_OUT = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"})
TWILIO_OPT_IN = frozenset({"START", "UNSTOP", "YES"})


def carrier_word(body: str) -> str | None:
    """The keyword a carrier reads in this text, if it is exactly one."""
    word = body.strip().strip(".!").upper()
    return word if word in TWILIO_OPT_OUT or word in TWILIO_OPT_IN else None


def sms_turn(moment: Moment, body: str) -> tuple[Taken, bool]:
    """The turn for a text, and whether Twilio has answered it already (so we must not)."""
    if moment.sender is None or moment.handed_off:
        return take_turn(moment, body), False
    word = carrier_word(body) if moment.setup.settings.twilio_default_keywords else None
    u = moment.understand(body) if body.strip() else Understanding(intent="unknown", lang=moment.lang or "en")
    state = moment.state
    if moment.sender.opted_out:
        if u.intent == "opt_in" or word in TWILIO_OPT_IN:
            pass                                        # back in: the conversation carries on
        elif u.intent != "opt_out":
            if state.opted_out_noted:
                return Taken(u, Turn(state, None)), False
            return Taken(u, Turn(state.but(opted_out_noted=True), None,
                                 flag="texted after opting out: no replies until START")), False
    if word == "CANCEL":
        # (Whatever they text next goes unanswered too; this flag says why.)
        return Taken(u, Turn(state.but(opted_out_noted=True), None,
                             flag="probably wanted to cancel their appointment", opted_out=True)), True
    if word in TWILIO_OPT_IN and u.intent != "opt_in" and moment.sender.opted_out:
        # "YES" from a blocked number unblocks it at Twilio: it is an opt-in here too.
        return Taken(u, Turn(state, None, opted_out=False)), True
    taken = take_turn(moment, body, understanding=u) if body.strip() else take_turn(moment, body)
    return taken, word is not None and u.intent in ("opt_out", "opt_in")


def answer(db: Database, salon_id: int, sender: str, phone: str | None, body: str, message_sid: str,
           num_media: int, now: datetime) -> str | None:
    """Record the text, take its turn and finish it: the reply to send (None: none).
    `sender` is the From number as given, `phone` the same in E.164 when it parses."""
    recorded = record(db, Inbound(salon_id, "sms", phone or sender, body, delivery_id=message_sid, phone=phone,
                                  num_media=num_media), now)
    if isinstance(recorded, Repeated):
        return recorded.reply
    with load(db, recorded, now, channel="sms") as moment:
        taken, answered_by_carrier = sms_turn(moment, body)
    reply = None if answered_by_carrier else render(taken.turn.reply)
    finish(db, recorded, taken, reply, now)
    return reply
