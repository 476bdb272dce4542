"""Appointments as plain data for scripts and JSON: times in the salon's zone."""
from __future__ import annotations

from typing import Any

from bot.domain.models import Appointment
from bot.domain.timezones import to_local


def appointment_data(appt: Appointment) -> dict[str, Any]:
    tz = appt.salon.timezone
    return {
        "id": appt.id,
        "start": to_local(appt.starts_at, tz).isoformat(),
        "end": to_local(appt.ends_at, tz).isoformat(),
        "status": appt.status,
        "group_id": appt.group_id,
        "lines": [
            {"service": line.service.name, "staff": line.staff.name,
             "start": to_local(line.starts_at, tz).isoformat(), "minutes": line.minutes}
            for line in appt.lines
        ],
    }
