"""POST /sms/status: Twilio reports what became of a text the worker sent.

Twilio signs the callback with the auth token of the account that sent the
text: the salon's own when it has one, else the deployment's. We find the
outbox row by MessageSid (and, for a sid we do not know, the salon by
AccountSid) to choose the token; a missing or wrong signature gets 403 and
changes nothing. A sid we do not know gets 200 (Twilio would otherwise
retry a callback we can never use); malformed input gets 400. What the
status means for the row (never backwards; 21610 opts the client out) is
decided in bot.messaging.worker, not here.
"""
from __future__ import annotations

import re

from flask import Blueprint, current_app, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.models import Outbox, Salon
from bot.messaging.worker import record_provider_status
from webhooks.app import database
from webhooks.sms.signature import signed_by_twilio

sms_status = Blueprint("sms_status", __name__)

SID = re.compile(r"^[A-Za-z0-9]{1,64}$")
KNOWN_STATUSES = {"accepted", "scheduled", "queued", "sending", "sent", "delivered", "undelivered", "failed",
                  "receiving", "received", "read", "canceled", "partially_delivered"}


@sms_status.post("/sms/status")
def status() -> tuple[str, int]:
    form = request.form
    sid, reported = form.get("MessageSid", ""), form.get("MessageStatus", "")
    db = database(current_app)
    with db.read() as session:
        token = _token(session, sid, form.get("AccountSid", ""))
    if not signed_by_twilio(request, token):
        return "invalid signature", 403
    if not SID.match(sid) or reported not in KNOWN_STATUSES:
        return "MessageSid and a known MessageStatus are required", 400
    raw_code = form.get("ErrorCode", "").strip()
    if raw_code and not raw_code.isdigit():
        return "ErrorCode must be a number", 400
    error_code = int(raw_code) if raw_code else None
    with db.write() as session:
        row = session.scalars(select(Outbox).where(Outbox.provider_sid == sid).with_for_update()).one_or_none()
        if row is not None:
            record_provider_status(session, row, reported, error_code, current_app.config["CLOCK"]())
    return "", 200


def _token(session: Session, sid: str, account_sid: str) -> str | None:
    """The auth token Twilio signed with: the sending salon's own, else the deployment's."""
    salon = None
    if sid:
        salon = session.scalar(select(Salon).join(Outbox, Outbox.salon_id == Salon.id)
                               .where(Outbox.provider_sid == sid))
    if salon is None and account_sid:
        salon = session.scalar(select(Salon).where(Salon.twilio_account_sid == account_sid).limit(1))
    return (salon.twilio_auth_token if salon else None) or current_app.config["TWILIO_AUTH_TOKEN"]
