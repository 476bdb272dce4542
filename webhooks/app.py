"""The Flask application factory: configuration is read here, when the app is
made, never at import, so tests and each gunicorn worker get their own."""
from __future__ import annotations

import os
from typing import Any

from flask import Flask

from bot import config
from bot.domain.models import utcnow
from bot.persistence import schema
from bot.persistence.database import Database


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        DATABASE_URL=config.database_url(),
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-secret"),
        PUBLIC_BASE_URL=os.environ.get("PUBLIC_BASE_URL", ""),
        TWILIO_ACCOUNT_SID=os.environ.get("TWILIO_ACCOUNT_SID", ""),
        TWILIO_AUTH_TOKEN=os.environ.get("TWILIO_AUTH_TOKEN", ""),
        TWILIO_API_URL=os.environ.get("TWILIO_API_URL", ""),
        CLOCK=utcnow,   # what "now" is; tests pin it to replay a conversation on a given day
    )
    if test_config:
        app.config.from_mapping(test_config)
    # A test may hand over its own Database (a PostgreSQL schema of its own).
    db = app.config.get("DATABASE") or Database(app.config["DATABASE_URL"])
    # The schema is migrated before the app starts (the Procfile's release
    # step, `salonbot db upgrade`), never by each web worker as it boots: an
    # app on a schema it does not know says so at once instead of at the first
    # text. (A database it cannot reach yet is /health's to report.)
    problem = schema.problem(db)
    if problem:
        raise RuntimeError(f"salonbot cannot start: {problem}")
    app.extensions["salonbot.db"] = db

    from webhooks.health import health
    from webhooks.home import home
    from webhooks.sms.inbound import sms
    from webhooks.sms.status import sms_status
    app.register_blueprint(health)
    app.register_blueprint(home)
    app.register_blueprint(sms)
    app.register_blueprint(sms_status)
    return app


def database(app: Flask) -> Database:
    return app.extensions["salonbot.db"]
