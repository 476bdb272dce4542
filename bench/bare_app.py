"""The webhook benchmark's app: the production app (webhooks.create_app)
plus the one route it measures the full path against, which production does
not serve: POST /sms/bare, the same signature check, then empty TwiML.
bench/webhook.py starts the Procfile's gunicorn with this app instead."""
from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, request

from webhooks import create_app as create_production_app
from webhooks.sms.inbound import twiml
from webhooks.sms.signature import signed_by_twilio

bare = Blueprint("bare", __name__)


@bare.post("/sms/bare")
def bare_endpoint() -> Response | tuple[str, int]:
    if not signed_by_twilio(request, current_app.config["TWILIO_AUTH_TOKEN"]):
        return "invalid signature", 403
    return twiml(None)


def create_app() -> Flask:
    app = create_production_app()
    app.register_blueprint(bare)
    return app
