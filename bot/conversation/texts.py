"""Every text the bot sends, in English and Spanish.

Each reply is a required sentence plus optional ones (the cancellation
policy, a next step) that are dropped, last first, when the whole would not
fit in two SMS segments. No text ever says "reply CANCEL": a lone CANCEL is
one of Twilio's opt-out words and would silence the client, so we say X.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.messaging.gsm7 import fits, fold_to_gsm7

EN_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ES_DAYS = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")
ES_MONTHS = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")


def clock(moment: datetime, lang: str) -> str:
    hour = moment.hour % 12 or 12
    suffix = ("AM" if moment.hour < 12 else "PM") if lang == "en" else ("am" if moment.hour < 12 else "pm")
    return f"{hour}:{moment.minute:02d} {suffix}"


def when(moment: datetime, lang: str = "en") -> str:
    """'Fri, Nov 27 at 3:00 PM' / 'vie 27 nov a las 3:00 pm' (written "pm", not "p. m.", so a sentence never ends ".."), (moment already in the salon's zone)."""
    if lang == "es":
        return f"{ES_DAYS[moment.weekday()]} {moment.day} {ES_MONTHS[moment.month - 1]} a las {clock(moment, lang)}"
    return f"{EN_DAYS[moment.weekday()]}, {EN_MONTHS[moment.month - 1]} {moment.day} at {clock(moment, lang)}"


def day_name(moment: datetime, lang: str = "en") -> str:
    if lang == "es":
        return f"{ES_DAYS[moment.weekday()]} {moment.day} {ES_MONTHS[moment.month - 1]}"
    return f"{EN_DAYS[moment.weekday()]}, {EN_MONTHS[moment.month - 1]} {moment.day}"


def options(starts: Sequence[datetime], lang: str = "en") -> str:
    """'1) Fri, Nov 27 at 3:00 PM 2) ...' — numbered, on one line each."""
    return "\n".join(f"{i}) {when(s, lang)}" for i, s in enumerate(starts, 1))


def choices(n: int, lang: str = "en") -> str:
    nums = [str(i) for i in range(1, n + 1)]
    if n == 1:
        return "1"
    joiner = " or " if lang == "en" else " o "
    return ", ".join(nums[:-1]) + joiner + nums[-1]


TEMPLATES: dict[str, dict[str, str]] = {
    # --- the exchange ---
    "which_appointment": {
        "en": "Which appointment do you mean?\n{listing}\nReply {choices}.",
        "es": "¿Qué cita quieres decir?\n{listing}\nResponde {choices}.",
    },
    "which_more": {
        "en": "(or tell me the day or service of another)",
        "es": "(o dime el día o el servicio de otra)",
    },
    "cancel_ask": {
        "en": "Reply YES to cancel your {service} with {staff} on {when}, or NO to keep it.",
        "es": "Responde SI para cancelar tu {service} con {staff} el {when}, o NO para mantenerla.",
    },
    "cancel_ask_group": {
        "en": "Reply YES to cancel all {count} appointments of your group on {when} ({service} with {staff} and the rest), or NO to keep them.",
        "es": "Responde SI para cancelar las {count} citas de tu grupo del {when} ({service} con {staff} y las demás), o NO para mantenerlas.",
    },
    "canceled_group": {
        "en": "Done: all {count} appointments of your group on {when} are canceled.",
        "es": "Listo: las {count} citas de tu grupo del {when} están canceladas.",
    },
    "or_reschedule": {
        "en": "Or reply R to pick a new time instead.",
        "es": "O responde R para elegir otra hora.",
    },
    "canceled": {
        "en": "Done: your {service} with {staff} on {when} is canceled.",
        "es": "Listo: tu {service} con {staff} del {when} está cancelada.",
    },
    "rebook_hint": {
        "en": "Reply R anytime to book again.",
        "es": "Responde R cuando quieras para reservar de nuevo.",
    },
    "kept": {
        "en": "No problem, your {service} with {staff} on {when} stays as it is.",
        "es": "Sin problema, tu {service} con {staff} el {when} se queda como está.",
    },
    "another_time": {
        "en": "If another day or time suits you, just tell me.",
        "es": "Si te va mejor otro día u hora, dímelo.",
    },
    "nothing_pending": {
        "en": "OK, nothing has changed.",
        "es": "De acuerdo, no se cambió nada.",
    },
    "move_ask": {
        "en": "{staff} is free {new}. Reply YES to move your {service} there, or NO to keep {old}.",
        "es": "{staff} tiene libre el {new}. Responde SI para mover tu {service}, o NO para mantener el {old}.",
    },
    "move_ask_group": {
        "en": "Your group can all come {new}. Reply YES to move its {count} appointments there, or NO to keep {old}.",
        "es": "Tu grupo puede venir el {new}. Responde SI para mover sus {count} citas, o NO para mantener el {old}.",
    },
    "offer": {
        "en": "{staff} can do your {service}:\n{listing}\nReply {choices}, or tell me another day or time.",
        "es": "{staff} puede atender tu {service}:\n{listing}\nResponde {choices}, o dime otro día u hora.",
    },
    "offer_instead": {
        "en": "{staff} isn't free then. Nearest times for your {service}:\n{listing}\nReply {choices}, or tell me another day.",
        "es": "{staff} no está libre a esa hora. Lo más cercano para tu {service}:\n{listing}\nResponde {choices}, o dime otro día.",
    },
    "pick_one": {
        "en": "Great, which time? Reply {choices}.",
        "es": "Perfecto, ¿qué hora? Responde {choices}.",
    },
    "taken": {
        "en": "Sorry, that time was just taken. {staff} can do:\n{listing}\nReply {choices}.",
        "es": "Lo siento, esa hora se acaba de ocupar. {staff} puede:\n{listing}\nResponde {choices}.",
    },
    "offers_expired": {
        "en": "Those times are more than {minutes} minutes old. Here's what {staff} has now:\n{listing}\nReply {choices}.",
        "es": "Esas horas tienen más de {minutes} minutos. Esto es lo que {staff} tiene ahora:\n{listing}\nResponde {choices}.",
    },
    "no_times": {
        "en": "Sorry, {staff} has no openings near then. Tell me another day or time.",
        "es": "Lo siento, {staff} no tiene horas libres cerca de esa fecha. Dime otro día u hora.",
    },
    "no_times_at_all": {
        "en": "Sorry, {staff} has no openings I can offer by text. Please call us at {phone}.",
        "es": "Lo siento, {staff} no tiene horas que pueda ofrecer por mensaje. Llámanos al {phone}.",
    },
    "moved_group": {
        "en": "Done! All {count} appointments of your group are now {new}. See you then!",
        "es": "¡Listo! Las {count} citas de tu grupo ahora son el {new}. ¡Los esperamos!",
    },
    "moved": {
        "en": "Done! Your {service} with {staff} is now {new}. See you then!",
        "es": "¡Listo! Tu {service} con {staff} ahora es el {new}. ¡Te esperamos!",
    },
    "booked": {
        "en": "Done! You're booked for {service} with {staff} on {new}. See you then!",
        "es": "¡Listo! Tienes {service} con {staff} el {new}. ¡Te esperamos!",
    },
    "not_allowed": {
        "en": "Sorry, {reason}",
        "es": "Lo siento, {reason}",
    },
    "cannot_change": {
        "en": "I can't change that appointment by text right now.",
        "es": "no puedo cambiar esa cita por mensaje ahora mismo.",
    },
    "cancel_instead": {
        "en": "You can still cancel: reply X.",
        "es": "Todavía puedes cancelarla: responde X.",
    },
    "call_us": {
        "en": "Please call us at {phone}.",
        "es": "Llámanos al {phone}.",
    },
    "confirmed": {
        "en": "Thanks {name}, you're confirmed for {service} with {staff} on {when}. See you then!",
        "es": "Gracias {name}, tu {service} con {staff} el {when} está confirmada. ¡Te esperamos!",
    },
    "query": {
        "en": "Your {service} with {staff} is on {when}.",
        "es": "Tu {service} con {staff} es el {when}.",
    },
    "query_more": {
        "en": "You also have:\n{listing}",
        "es": "También tienes:\n{listing}",
    },
    "late": {
        "en": "Thanks for letting us know, {name}. I've told the team you're on your way.",
        "es": "Gracias por avisar, {name}. Ya le dije al equipo que vas en camino.",
    },
    "handoff": {
        "en": "OK, I've asked the team to reply to you here as soon as they can.",
        "es": "De acuerdo, le pedí al equipo que te responda aquí lo antes posible.",
    },
    "handoff_call": {
        "en": "You can also call us at {phone}.",
        "es": "También puedes llamarnos al {phone}.",
    },
    "misunderstood": {
        "en": "Sorry, I didn't get that. Reply R to reschedule, X to cancel, C to confirm, or HELP.",
        "es": "Perdona, no te entendí. Responde R para cambiar la cita, X para cancelar, C para confirmar, o AYUDA.",
    },
    # Misunderstood while the bot waits for an answer: say so, and ask again.
    "misunderstood_move": {
        "en": "Sorry, I didn't get that. Reply YES to move your {service} to {new}, or NO to keep {old}.",
        "es": "Perdona, no te entendí. Responde SI para mover tu {service} al {new}, o NO para mantener el {old}.",
    },
    "misunderstood_cancel": {
        "en": "Sorry, I didn't get that. Reply YES to cancel your {service} on {when}, or NO to keep it.",
        "es": "Perdona, no te entendí. Responde SI para cancelar tu {service} del {when}, o NO para mantenerla.",
    },
    "misunderstood_choice": {
        "en": "Sorry, I didn't get that. Reply {choices} to pick a time, tell me another day or time, or NO to keep yours.",
        "es": "Perdona, no te entendí. Responde {choices} para elegir una hora, dime otro día u hora, o NO para mantener la tuya.",
    },
    "misunderstood_which": {
        "en": "Sorry, I didn't get that. Which appointment? Reply {choices}.",
        "es": "Perdona, no te entendí. ¿Qué cita? Responde {choices}.",
    },
    "misunderstood_again": {
        "en": "Sorry, I'm not getting it. I've asked a team member to reply to you here.",
        "es": "Perdona, no lo estoy entendiendo. Le pedí a alguien del equipo que te responda aquí.",
    },
    "no_upcoming": {
        "en": "I don't see an upcoming appointment for you at {salon}.",
        "es": "No veo ninguna cita próxima tuya en {salon}.",
    },
    "greet": {
        "en": "Hi {name}! Reply R to reschedule, X to cancel or C to confirm your {service} on {when}.",
        "es": "¡Hola {name}! Responde R para cambiar, X para cancelar o C para confirmar tu {service} del {when}.",
    },
    "thanks": {
        "en": "You're welcome, {name}!",
        "es": "¡De nada, {name}!",
    },
    "help": {
        "en": "{salon}: reply R to reschedule, X to cancel, C to confirm. Call {phone} for anything else. Reply STOP to opt out.",
        "es": "{salon}: responde R para cambiar tu cita, X para cancelar, C para confirmar. Llama al {phone} para otra cosa. Responde STOP para no recibir mensajes.",
    },
    "unknown_number": {
        "en": "Hi! This is {salon}. I couldn't find a booking for this number, so I've passed your message to the team.",
        "es": "¡Hola! Somos {salon}. No encontré ninguna reserva con este número, así que pasé tu mensaje al equipo.",
    },
    "opted_out": {
        "en": "You won't get more texts from {salon}. Reply START to get them again.",
        "es": "No recibirás más mensajes de {salon}. Responde START para volver a recibirlos.",
    },
    "opted_in": {
        "en": "Welcome back! You'll get texts from {salon} again. Reply STOP to opt out.",
        "es": "¡Bienvenido de nuevo! Volverás a recibir mensajes de {salon}. Responde STOP para no recibirlos.",
    },
    "empty": {
        "en": "I can only read text messages. Reply R to reschedule, X to cancel, C to confirm, or HELP.",
        "es": "Solo puedo leer mensajes de texto. Responde R para cambiar, X para cancelar, C para confirmar, o AYUDA.",
    },
    # --- automated messages ---
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


def compose(parts: Sequence[str], optional: Sequence[str] = (), max_segments: int = 2) -> str:
    """The required parts, then each optional part that still fits in SMS segments."""
    out = " ".join(p for p in parts if p)
    for extra in optional:
        if extra and fits(fold_to_gsm7(f"{out} {extra}"), max_segments):
            out = f"{out} {extra}"
    return out
