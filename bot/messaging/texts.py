"""The automated texts, in English and Spanish: reminders, the notices a
client-made change sends, the follow-up after a cancellation.

They go out by SMS only, so they say how to answer ("Reply C to confirm");
the answers are read by the same conversation as any other message. No text
says "reply CANCEL": a lone CANCEL is one of Twilio's opt-out words and would
silence the client, so we say X.
"""
from __future__ import annotations

from bot.conversation.texts import when

__all__ = ["TEMPLATES", "text", "when"]

TEMPLATES: dict[str, dict[str, str]] = {
    "reminder": {
        "en": "Hi {name}, a reminder of your {service} with {staff} at {salon} on {when}. Reply C to confirm, R to reschedule, X to cancel.",
        "es": "Hola {name}, te recordamos tu {service} con {staff} en {salon} el {when}. Responde C para confirmar, R para cambiar, X para cancelar.",
    },
    "client_moved": {
        "en": "{salon}: your {service} with {staff} is now {new}. Reply R to change it or X to cancel.",
        "es": "{salon}: tu {service} con {staff} ahora es el {new}. Responde R para cambiarla o X para cancelar.",
    },
    "client_canceled": {
        "en": "{salon}: your {service} with {staff} on {when} is canceled. Reply R anytime to book again.",
        "es": "{salon}: tu {service} con {staff} del {when} está cancelada. Responde R cuando quieras para reservar.",
    },
    "salon_moved": {
        "en": "salonbot: {client} moved {what} from {old} to {new} ({channel}).",
        "es": "salonbot: {client} movió {what} del {old} al {new} ({channel}).",
    },
    "salon_canceled": {
        "en": "salonbot: {client} canceled {what} on {when} ({channel}).",
        "es": "salonbot: {client} canceló {what} del {when} ({channel}).",
    },
    "client_booked": {
        "en": "{salon}: you're booked for {service} with {staff} on {new}. Reply R to change it or X to cancel.",
        "es": "{salon}: tienes {service} con {staff} el {new}. Responde R para cambiarla o X para cancelar.",
    },
    "salon_booked": {
        "en": "salonbot: {client} booked {what} on {new} ({channel}).",
        "es": "salonbot: {client} reservó {what} el {new} ({channel}).",
    },
    "followup": {
        "en": "Hi {name}, we missed you at {salon}! Reply R and I'll find you a time with {staff}.",
        "es": "Hola {name}, ¡te extrañamos en {salon}! Responde R y te busco una hora con {staff}.",
    },
}


def text(key: str, lang: str = "en", **fields: object) -> str:
    table = TEMPLATES[key]
    return (table.get(lang) or table["en"]).format(**fields)
