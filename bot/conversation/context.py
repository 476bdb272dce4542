"""What the language layer is told of the conversation: the salon's clock and
hours, the client's appointments in the order that matters now, and what the
bot is waiting for."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.conversation.facts import Booking, Facts
from bot.conversation.state import Awaiting, ConversationState
from nlu import AppointmentRef, Context

# What the language layer knows the bot may be waiting for.
_READ_AS = {Awaiting.NOTHING: "none", Awaiting.REMINDER_REPLY: "reminder_reply",
            Awaiting.CANCEL_CONFIRMATION: "cancel_confirmation",
            Awaiting.RESCHEDULE_CONFIRMATION: "reschedule_confirmation", Awaiting.SLOT_CHOICE: "slot_choice",
            Awaiting.WHICH_APPOINTMENT: "which_appointment",
            # An invitation to book again reads like a reminder about that appointment.
            Awaiting.FOLLOWUP: "reminder_reply"}


def language_context(facts: Facts, state: ConversationState, lang: str | None) -> Context:
    """Wall-clock times in the salon's zone, as the language layer wants them."""
    appts = tuple(_ref(booking) for booking in facts.bookings)
    awaiting = state.awaiting
    if awaiting is Awaiting.FOLLOWUP and facts.rebook is not None:
        appts = (_ref(facts.rebook),)
    elif awaiting is Awaiting.WHICH_APPOINTMENT and state.listed:
        # Listed in the order the question showed them (maybe only some): "2" is the second listed.
        shown = [str(i) for i in state.listed]
        appts = tuple(sorted(appts, key=lambda a: shown.index(a.ref) if a.ref in shown else len(shown)))
    elif awaiting is not Awaiting.WHICH_APPOINTMENT and state.appointment_id:
        # The appointment the exchange is about comes first: a reminder's, the
        # one being moved or canceled, the one just asked about. A time
        # without a date keeps its date ("is 2:30 ok?"), not the soonest one's.
        first = str(state.appointment_id)
        appts = tuple(sorted(appts, key=lambda a: a.ref != first))
    options: tuple[datetime, ...] = ()
    if awaiting is Awaiting.SLOT_CHOICE:
        options = tuple(moment.astimezone(facts.tz).replace(tzinfo=None) for moment in state.offered)
        if options and appts and len({o.date() for o in options}) == 1:
            # Every time offered is on one day: "is 1pm possible?" means that day, not the
            # appointment's own (a time without a date keeps the day being talked about).
            appts = (replace(appts[0], start=datetime.combine(options[0].date(), appts[0].start.time())),) + appts[1:]
    return Context(now=facts.now.astimezone(facts.tz).replace(tzinfo=None), tz=facts.tz.key, hours=facts.hours,
                   appointments=appts, awaiting=_READ_AS[awaiting], options=options, lang=lang,
                   staff=facts.staff)


def _ref(booking: Booking) -> AppointmentRef:
    return AppointmentRef(booking.ref, booking.start.replace(tzinfo=None), booking.minutes, booking.service,
                          booking.staff, booking.aliases)
