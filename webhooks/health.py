"""GET /health: is the app up and can it reach its database?"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from webhooks.app import database

health = Blueprint("health", __name__)


@health.get("/health")
def check() -> tuple:
    try:
        with database(current_app).read() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        return jsonify(status="error", database=type(error).__name__), 503
    return jsonify(status="ok", database="ok"), 200
