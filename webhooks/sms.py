"""POST /sms/inbound: Twilio delivers a client's text; we answer in TwiML.

The request must carry a valid X-Twilio-Signature (403 otherwise, and
nothing is recorded). The salon is the one that owns the number texted;
everything after that is the channel-independent conversation handler.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from twilio.twiml.messaging_response import MessagingResponse

from bot.sms import fold_to_gsm7
from handlers.converse import Inbound, find_salon, handle_inbound
from webhooks.app import database
from webhooks.twilio_auth import signed_by_twilio

sms = Blueprint("sms", __name__)


def twiml(reply: str | None) -> Response:
    response = MessagingResponse()
    if reply:
        # SMS replies fold accents GSM-7 lacks, so Spanish fits two segments.
        response.message(fold_to_gsm7(reply))
    return Response(str(response), mimetype="application/xml")


@sms.post("/sms/inbound")
def inbound() -> Response | tuple[str, int]:
    form = request.form
    to, sender = form.get("To", ""), form.get("From", "")
    db = database(current_app)
    with db.read_connection() as conn:
        salon = find_salon(conn, "sms", to)
    token = (salon.auth_token if salon else None) or current_app.config["TWILIO_AUTH_TOKEN"]
    if not signed_by_twilio(request, token):
        return "invalid signature", 403
    if salon is None:
        return "this number is not served here", 404
    if not sender or not form.get("MessageSid"):
        return "From and MessageSid are required", 400
    try:
        num_media = int(form.get("NumMedia", "0") or 0)
    except ValueError:
        num_media = 0
    answer = handle_inbound(db, Inbound(channel="sms", salon_address=to, sender=sender, body=form.get("Body", ""),
                                        provider_id=form.get("MessageSid"), num_media=num_media),
                            now=current_app.config["CLOCK"](), salon=salon)
    return twiml(answer.reply)


@sms.post("/sms/bare")
def bare() -> Response | tuple[str, int]:
    """The benchmark's baseline: the same signature check, then empty TwiML.
    Served only when SALONBOT_BARE_ENDPOINT is set (bench/webhook.py sets it)."""
    if not current_app.config.get("BARE_ENDPOINT"):
        return "not found", 404
    if not signed_by_twilio(request, current_app.config["TWILIO_AUTH_TOKEN"]):
        return "invalid signature", 403
    return twiml(None)
