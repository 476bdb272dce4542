"""GET /: what this deployment serves: its salons, their numbers and hours today."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, current_app, render_template
from sqlalchemy import func, select

from bot.domain.models import ACTIVE_STATUSES, Appointment, Salon, ServiceLine
from bot.domain.phones import display
from bot.domain.timezones import UTC
from webhooks.app import database

home = Blueprint("home", __name__)


@home.get("/")
def index() -> str:
    now = datetime.now(UTC)
    with database(current_app).read() as session:
        salons = []
        for salon in session.scalars(select(Salon).order_by(Salon.name)):
            upcoming = session.scalar(
                select(func.count(func.distinct(Appointment.id)))
                .join(ServiceLine, ServiceLine.appointment_id == Appointment.id)
                .where(Appointment.salon_id == salon.id, Appointment.status.in_(ACTIVE_STATUSES),
                       ServiceLine.starts_at >= now))
            salons.append({
                "name": salon.name, "timezone": salon.timezone,
                "numbers": [display(n.phone) for n in salon.numbers],
                "staff": [s.name for s in salon.staff if s.active],
                "clients": len(salon.clients), "upcoming": upcoming,
            })
    return render_template("home.html", salons=salons)
