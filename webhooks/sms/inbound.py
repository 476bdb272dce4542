"""POST /sms/inbound: Twilio delivers a client's text; we answer in TwiML.

The request must carry a valid X-Twilio-Signature (403 otherwise, and
nothing is recorded). The salon is the one that owns the number texted, the
client the one whose number sent it: identity comes from the carrier, never
from what the text says. The turn is every channel's (handlers.conversation),
with SMS's own rules around it and its reply rendered as a text
(webhooks.sms.turn).
"""
from __future__ import annotations

import time
from functools import lru_cache

from flask import Blueprint, Flask, Response, current_app, request
from twilio.twiml.messaging_response import MessagingResponse

from bot.domain.errors import DomainError
from bot.domain.phones import to_e164
from bot.messaging.gsm7 import fold_to_gsm7
from bot.persistence.conversations import SalonKey, salon_of
from bot.persistence.database import Database
from webhooks.app import database
from webhooks.sms.signature import signed_by_twilio
from webhooks.sms.turn import answer

sms = Blueprint("sms", __name__)


def twiml(reply: str | None) -> Response:
    response = MessagingResponse()
    if reply:
        # SMS replies fold accents GSM-7 lacks, so Spanish fits two segments.
        response.message(fold_to_gsm7(reply))
    return Response(str(response), mimetype="application/xml")


# Parsing a number with phonenumbers is pure and costs more than a query; the
# same few numbers (the salon's, its clients') come back with every message.
@lru_cache(maxsize=4096)
def e164(raw: str, region: str | None = None) -> str | None:
    try:
        return to_e164(raw, region)
    except DomainError:
        return None


class SalonKeys:
    """Which salon a number belongs to, with its Twilio token: read at most
    every TTL seconds per number rather than for every message.

    A signature that fails with the remembered token is checked once more
    against a fresh read, so a salon's new token works at once; its old one
    is accepted for at most TTL seconds after the change. Numbers no salon
    has are not remembered, so a newly added one answers at once."""

    TTL = 30.0

    def __init__(self) -> None:
        self._known: dict[str, tuple[float, SalonKey]] = {}

    def get(self, db: Database, address: str, fresh: bool = False) -> SalonKey | None:
        remembered = self._known.get(address)
        if remembered is not None and not fresh and time.monotonic() - remembered[0] < self.TTL:
            return remembered[1]
        number = e164(address)
        salon = salon_of(db, "sms", number) if number else None
        if salon is None:
            self._known.pop(address, None)
        else:
            self._known[address] = (time.monotonic(), salon)
        return salon


def salon_keys(app: Flask) -> SalonKeys:
    return app.extensions.setdefault("salonbot.salon_keys", SalonKeys())


@sms.post("/sms/inbound")
def inbound() -> Response | tuple[str, int]:
    form = request.form
    to, sender = form.get("To", ""), form.get("From", "")
    db = database(current_app)
    keys = salon_keys(current_app)
    salon = keys.get(db, to)
    if not signed_by_twilio(request, _token(salon)):
        salon = keys.get(db, to, fresh=True)
        if not signed_by_twilio(request, _token(salon)):
            return "invalid signature", 403
    if salon is None:
        return "this number is not served here", 404
    if not sender or not form.get("MessageSid"):
        return "From and MessageSid are required", 400
    try:
        num_media = int(form.get("NumMedia", "0") or 0)
    except ValueError:
        num_media = 0
    return twiml(answer(db, salon.id, sender, e164(sender, salon.country), form.get("Body", ""),
                        form["MessageSid"], num_media, current_app.config["CLOCK"]()))


def _token(salon: SalonKey | None) -> str:
    return (salon.auth_token if salon else None) or current_app.config["TWILIO_AUTH_TOKEN"]
