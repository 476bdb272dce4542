"""Everything the bot says in a conversation, in English and Spanish.

Each line of the catalogue has its text-message form (`TEXT`): short, and
saying how to answer ("Reply YES to cancel ...", "Reply 1, 2 or 3"), since a
text has nothing else to answer with. `{listing}` and `{choices}` in it are
the numbered answers a reply offers, filled in by the SMS renderer
(webhooks.sms.render). Where the channel shows the answers as buttons (the
chat widget, Rasa), the line's `RICH` form says the same without the "reply
..." (or nothing at all, when the button says it); `rich()` renders a reply so.

No text ever says "reply CANCEL": a lone CANCEL is one of Twilio's opt-out
words and would silence the client, so we say X.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.conversation.reply import Line, Reply

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


def joined(names: Iterable[str], lang: str) -> str:
    """Several services of one appointment: "Cut & Color", "Corte y Tinte"."""
    return (" & " if lang == "en" else " y ").join(names)


def choices(n: int, lang: str = "en") -> str:
    """How a text names n numbered answers: "1, 2 or 3"."""
    nums = [str(i) for i in range(1, n + 1)]
    if n == 1:
        return "1"
    joiner = " or " if lang == "en" else " o "
    return ", ".join(nums[:-1]) + joiner + nums[-1]


TEXT: dict[str, dict[str, str]] = {
    # --- which appointment ---
    "which_appointment": {
        "en": "Which appointment do you mean?\n{listing}\nReply {choices}.",
        "es": "¿Qué cita quieres decir?\n{listing}\nResponde {choices}.",
    },
    "which_appointment_more": {
        "en": "Which appointment do you mean?\n{listing}\n(or tell me the day or service of another)\nReply {choices}.",
        "es": "¿Qué cita quieres decir?\n{listing}\n(o dime el día o el servicio de otra)\nResponde {choices}.",
    },
    # --- cancelling ---
    "cancel_ask": {
        "en": "Reply YES to cancel your {service} with {staff} on {when}, or NO to keep it.",
        "es": "Responde SI para cancelar tu {service} con {staff} el {when}, o NO para mantenerla.",
    },
    "cancel_ask_group": {
        "en": "Reply YES to cancel all {count} appointments of your group on {when} ({service} with {staff} and the rest), or NO to keep them.",
        "es": "Responde SI para cancelar las {count} citas de tu grupo del {when} ({service} con {staff} y las demás), o NO para mantenerlas.",
    },
    "cancel_ask_several": {
        "en": "Reply YES to cancel these {count}:\n{items}\nor NO to keep them.",
        "es": "Responde SI para cancelar estas {count}:\n{items}\no NO para mantenerlas.",
    },
    "cancel_item": {
        "en": "- {service} with {staff}, {when}",
        "es": "- {service} con {staff}, {when}",
    },
    "canceled_several": {
        "en": "Done, canceled:\n{items}",
        "es": "Listo, canceladas:\n{items}",
    },
    "cannot_cancel_one": {
        "en": "Your {service} on {when} stays: {reason}",
        "es": "Tu {service} del {when} se queda: {reason}",
    },
    "same_staff": {
        "en": "Moving by text keeps your {service} with {staff} (the salon's rule). To see someone else, call us at {phone}; or reply R for {staff}'s times.",
        "es": "Por mensaje tu {service} se mueve con {staff} (regla del salón). Para otra persona, llámanos al {phone}; o responde R para ver las horas de {staff}.",
    },
    "same_staff_rule": {
        "en": "Moving by text keeps the same staff member (the salon's rule). To see someone else, call us at {phone}.",
        "es": "Por mensaje las citas se mueven con la misma persona (regla del salón). Para otra persona, llámanos al {phone}.",
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
    # --- moving ---
    "move_ask": {
        "en": "{staff} is free {new}. Reply YES to move your {service} there, or NO to keep {old}.",
        "es": "{staff} tiene libre el {new}. Responde SI para mover tu {service}, o NO para mantener el {old}.",
    },
    "move_ask_group": {
        "en": "Your group can all come {new}. Reply YES to move its {count} appointments there, or NO to keep {old}.",
        "es": "Tu grupo puede venir el {new}. Responde SI para mover sus {count} citas, o NO para mantener el {old}.",
    },
    "book_ask": {
        "en": "{staff} is free {new}. Reply YES to book your {service} then, or NO.",
        "es": "{staff} tiene libre el {new}. Responde SI para reservar tu {service}, o NO.",
    },
    "book_ask_group": {
        "en": "Your group can all come {new}. Reply YES to book its {count} appointments again, or NO.",
        "es": "Tu grupo puede venir el {new}. Responde SI para reservar sus {count} citas de nuevo, o NO.",
    },
    "booked_group": {
        "en": "Done! Your group is booked again for {new}: {count} appointments. See you then!",
        "es": "¡Listo! Tu grupo tiene de nuevo sus {count} citas el {new}. ¡Los esperamos!",
    },
    "offer": {
        "en": "{staff} can do your {service}:\n{listing}\nReply {choices}, or tell me another day or time.",
        "es": "{staff} puede atender tu {service}:\n{listing}\nResponde {choices}, o dime otro día u hora.",
    },
    "offer_instead": {
        "en": "{staff} isn't free then. Nearest times for your {service}:\n{listing}\nReply {choices}, or tell me another day.",
        "es": "{staff} no está libre a esa hora. Lo más cercano para tu {service}:\n{listing}\nResponde {choices}, o dime otro día.",
    },
    "offer_closed": {
        "en": "We're closed on {day}. Nearest times for your {service} with {staff}:\n{listing}\nReply {choices}, or tell me another day.",
        "es": "Estamos cerrados el {day}. Lo más cercano para tu {service} con {staff}:\n{listing}\nResponde {choices}, o dime otro día.",
    },
    "offer_off": {
        "en": "{staff} isn't working on {day}. Nearest times for your {service}:\n{listing}\nReply {choices}, or tell me another day.",
        "es": "{staff} no trabaja el {day}. Lo más cercano para tu {service}:\n{listing}\nResponde {choices}, o dime otro día.",
    },
    "offer_yours": {
        "en": "You have another appointment then. Nearest times for your {service} with {staff}:\n{listing}\nReply {choices}, or tell me another day.",
        "es": "Ya tienes otra cita a esa hora. Lo más cercano para tu {service} con {staff}:\n{listing}\nResponde {choices}, o dime otro día.",
    },
    "offer_notice": {
        "en": "By text I can only offer times from {limit}. Nearest for your {service} with {staff}:\n{listing}\nReply {choices}, or tell me another day.",
        "es": "Por mensaje solo puedo ofrecer horas desde el {limit}. Lo más cercano para tu {service} con {staff}:\n{listing}\nResponde {choices}, o dime otro día.",
    },
    "no_times_closed": {
        "en": "Sorry, we're closed on {day}. Tell me another day or time.",
        "es": "Lo siento, estamos cerrados el {day}. Dime otro día u hora.",
    },
    "no_times_off": {
        "en": "Sorry, {staff} isn't working on {day}. Tell me another day or time.",
        "es": "Lo siento, {staff} no trabaja el {day}. Dime otro día u hora.",
    },
    "beyond_horizon": {
        "en": "Sorry, by text I can only book up to {last}; the team can look further ahead.",
        "es": "Lo siento, por mensaje solo puedo reservar hasta el {last}; el equipo puede buscar más adelante.",
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
    # --- refusals ---
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
    "policy": {"en": "{text}", "es": "{text}"},
    # --- confirming, asking, the rest ---
    "confirmed": {
        "en": "Thanks {name}, you're confirmed for {service} with {staff} on {when}. See you then!",
        "es": "Gracias {name}, tu {service} con {staff} el {when} está confirmada. ¡Te esperamos!",
    },
    "query": {
        "en": "Your {service} with {staff} is on {when}.",
        "es": "Tu {service} con {staff} es el {when}.",
    },
    "query_more": {
        "en": "You also have:\n{items}",
        "es": "También tienes:\n{items}",
    },
    "query_item": {
        "en": "- {service} with {staff} {when}",
        "es": "- {service} con {staff} el {when}",
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
    # --- what an answer on offer is called (a button's words; a text lists numbered ones) ---
    "time_choice": {"en": "{when}", "es": "{when}"},
    "appointment_choice": {
        "en": "{service} with {staff}, {when}",
        "es": "{service} con {staff}, {when}",
    },
    "yes_cancel": {"en": "Yes, cancel it", "es": "Sí, cancélala"},
    "yes_cancel_all": {"en": "Yes, cancel them", "es": "Sí, cancélalas"},
    "yes_move": {"en": "Yes, move it", "es": "Sí, muévela"},
    "no_keep": {"en": "No, keep it", "es": "No, mantenerla"},
    "yes_book": {"en": "Yes, book it", "es": "Sí, resérvala"},
    "no_thanks": {"en": "No, thanks", "es": "No, gracias"},
    "choice_reschedule": {"en": "Reschedule", "es": "Cambiar la cita"},
    "choice_cancel": {"en": "Cancel", "es": "Cancelar"},
    "choice_confirm": {"en": "Confirm", "es": "Confirmar"},
    "choice_book_again": {"en": "Book again", "es": "Reservar de nuevo"},
    "choice_help": {"en": "Help", "es": "Ayuda"},
}

# The same lines where the answers are buttons: nothing about how to reply.
# An empty text: the buttons say it all.
RICH: dict[str, dict[str, str]] = {
    "which_appointment": {"en": "Which appointment do you mean?", "es": "¿Qué cita quieres decir?"},
    "which_appointment_more": {
        "en": "Which appointment do you mean? (Or tell me the day or service of another.)",
        "es": "¿Qué cita quieres decir? (O dime el día o el servicio de otra.)",
    },
    "cancel_ask": {
        "en": "Cancel your {service} with {staff} on {when}?",
        "es": "¿Cancelar tu {service} con {staff} el {when}?",
    },
    "cancel_ask_group": {
        "en": "Cancel all {count} appointments of your group on {when} ({service} with {staff} and the rest)?",
        "es": "¿Cancelar las {count} citas de tu grupo del {when} ({service} con {staff} y las demás)?",
    },
    "or_reschedule": {"en": "", "es": ""},
    "cancel_ask_several": {"en": "Cancel these {count}?\n{items}", "es": "¿Cancelar estas {count}?\n{items}"},
    "same_staff": {
        "en": "Moving online keeps your {service} with {staff} (the salon's rule). To see someone else, call us at {phone}.",
        "es": "En línea tu {service} se mueve con {staff} (regla del salón). Para otra persona, llámanos al {phone}.",
    },
    "rebook_hint": {"en": "You can book it again anytime.", "es": "Puedes reservarla de nuevo cuando quieras."},
    "book_ask": {"en": "{staff} is free {new}. Book your {service} then?", "es": "{staff} tiene libre el {new}. ¿Reservo tu {service}?"},
    "book_ask_group": {"en": "Your group can all come {new}. Book its {count} appointments again?",
                       "es": "Tu grupo puede venir el {new}. ¿Reservo sus {count} citas de nuevo?"},
    "move_ask": {
        "en": "{staff} is free {new}. Move your {service} there? It is {old} now.",
        "es": "{staff} tiene libre el {new}. ¿Mover tu {service}? Ahora es el {old}.",
    },
    "move_ask_group": {
        "en": "Your group can all come {new}. Move its {count} appointments there? They are {old} now.",
        "es": "Tu grupo puede venir el {new}. ¿Mover sus {count} citas? Ahora son el {old}.",
    },
    "offer": {
        "en": "{staff} can do your {service} at one of these times, or tell me another day or time.",
        "es": "{staff} puede atender tu {service} a una de estas horas, o dime otro día u hora.",
    },
    "offer_instead": {
        "en": "{staff} isn't free then. The nearest times for your {service} are below, or tell me another day.",
        "es": "{staff} no está libre a esa hora. Abajo están las horas más cercanas para tu {service}, o dime otro día.",
    },
    "pick_one": {"en": "Great, which time?", "es": "Perfecto, ¿qué hora?"},
    "offer_closed": {
        "en": "We're closed on {day}. The nearest times for your {service} with {staff} are below, or tell me another day.",
        "es": "Estamos cerrados el {day}. Abajo están las horas más cercanas para tu {service} con {staff}, o dime otro día.",
    },
    "offer_off": {
        "en": "{staff} isn't working on {day}. The nearest times for your {service} are below, or tell me another day.",
        "es": "{staff} no trabaja el {day}. Abajo están las horas más cercanas para tu {service}, o dime otro día.",
    },
    "offer_yours": {
        "en": "You have another appointment then. The nearest times for your {service} with {staff} are below.",
        "es": "Ya tienes otra cita a esa hora. Abajo están las horas más cercanas para tu {service} con {staff}.",
    },
    "offer_notice": {
        "en": "By text I can only offer times from {limit}. The nearest for your {service} with {staff} are below.",
        "es": "Por mensaje solo puedo ofrecer horas desde el {limit}. Abajo están las más cercanas para tu {service} con {staff}.",
    },
    "taken": {
        "en": "Sorry, that time was just taken. {staff} can do one of these:",
        "es": "Lo siento, esa hora se acaba de ocupar. {staff} puede a una de estas:",
    },
    "offers_expired": {
        "en": "Those times are more than {minutes} minutes old. Here's what {staff} has now:",
        "es": "Esas horas tienen más de {minutes} minutos. Esto es lo que {staff} tiene ahora:",
    },
    "cancel_instead": {"en": "You can still cancel it.", "es": "Todavía puedes cancelarla."},
    "misunderstood": {
        "en": "Sorry, I didn't get that. I can reschedule, cancel or confirm your appointment.",
        "es": "Perdona, no te entendí. Puedo cambiar, cancelar o confirmar tu cita.",
    },
    "misunderstood_move": {
        "en": "Sorry, I didn't get that. Move your {service} to {new}, or keep {old}?",
        "es": "Perdona, no te entendí. ¿Mover tu {service} al {new}, o mantener el {old}?",
    },
    "misunderstood_cancel": {
        "en": "Sorry, I didn't get that. Cancel your {service} on {when}, or keep it?",
        "es": "Perdona, no te entendí. ¿Cancelar tu {service} del {when}, o mantenerla?",
    },
    "misunderstood_choice": {
        "en": "Sorry, I didn't get that. Pick a time, tell me another day or time, or keep yours.",
        "es": "Perdona, no te entendí. Elige una hora, dime otro día u hora, o mantén la tuya.",
    },
    "misunderstood_which": {
        "en": "Sorry, I didn't get that. Which appointment?",
        "es": "Perdona, no te entendí. ¿Qué cita?",
    },
    "greet": {
        "en": "Hi {name}! I can reschedule, cancel or confirm your {service} on {when}.",
        "es": "¡Hola {name}! Puedo cambiar, cancelar o confirmar tu {service} del {when}.",
    },
    "help": {
        "en": "{salon}: I can reschedule, cancel or confirm your appointments. Call {phone} for anything else.",
        "es": "{salon}: puedo cambiar, cancelar o confirmar tus citas. Llama al {phone} para otra cosa.",
    },
    "opted_out": {"en": "You won't get more texts from {salon}.", "es": "No recibirás más mensajes de {salon}."},
    "opted_in": {"en": "Welcome back! You'll get texts from {salon} again.",
                 "es": "¡Bienvenido de nuevo! Volverás a recibir mensajes de {salon}."},
    "empty": {
        "en": "I can only read text. I can reschedule, cancel or confirm your appointment.",
        "es": "Solo puedo leer texto. Puedo cambiar, cancelar o confirmar tu cita.",
    },
}


def text(key: str, lang: str = "en", **fields: object) -> str:
    """A line's text-message form."""
    table = TEXT[key]
    return (table.get(lang) or table["en"]).format(**fields)


def say(line: Line, lang: str, forms: dict[str, dict[str, str]] = TEXT, **extra: str) -> str:
    """A line in words: its fields, with nested lines (a list of appointments)
    rendered too, one per row."""
    table = forms.get(line.key) or TEXT[line.key]
    template = table.get(lang) or table["en"]
    fields = line.fields
    if not all(type(value) is str for value in fields.values()):
        fields = {name: _field(value, lang, forms) for name, value in fields.items()}
    return template.format_map({**extra, **fields} if extra else fields)


def _field(value: object, lang: str, forms: dict[str, dict[str, str]]) -> str:
    if isinstance(value, Line):
        return say(value, lang, forms)
    if isinstance(value, tuple):
        return "\n".join(_field(item, lang, forms) for item in value)
    return str(value)


@dataclass(frozen=True)
class Rich:
    """A reply as the chat widget and Rasa show it: its text in full, and a
    button for each answer on offer (what the button sends, what it says)."""
    text: str
    buttons: tuple[tuple[str, str], ...]


def rich(reply: Reply) -> Rich:
    parts = [say(line, reply.lang, RICH) for line in (*reply.lines, *reply.optional)]
    buttons = tuple((choice.answer, say(choice.label, reply.lang, RICH)) for choice in reply.choices)
    return Rich(" ".join(part for part in parts if part), buttons)
