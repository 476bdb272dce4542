"""Is this request really from Twilio? Checked with twilio's own RequestValidator.

Twilio signs the URL it called, so behind a proxy or tunnel we rebuild that
URL from PUBLIC_BASE_URL rather than from what the proxy passed on. The
token is the salon's own Twilio account's, when it has one, else the
deployment's TWILIO_AUTH_TOKEN.
"""
from __future__ import annotations

from flask import Request, current_app
from twilio.request_validator import RequestValidator, get_signature_algorithm


def public_url(request: Request) -> str:
    base = (current_app.config.get("PUBLIC_BASE_URL") or request.host_url).rstrip("/")
    query = request.query_string.decode("latin-1")
    return f"{base}{request.path}" + (f"?{query}" if query else "")


def signed_by_twilio(request: Request, auth_token: str | None) -> bool:
    signature = request.headers.get("X-Twilio-Signature", "")
    if not auth_token or not signature:
        return False
    algorithm = get_signature_algorithm(request.headers.get("X-Twilio-Webhooks-Signature-Settings"))
    return RequestValidator(auth_token).validate(public_url(request), request.form, signature, algorithm)


def sign(auth_token: str, url: str, params: dict) -> str:
    """The signature Twilio would send: for tests, benchmarks and scripts playing Twilio."""
    return RequestValidator(auth_token).compute_signature(url, params)
