"""Intent, appointment and choice in conversation: (text, awaiting, expected)."""
from __future__ import annotations

import pytest

from nlu import understand

from .conftest import COLOR, HAIRCUT, NAILS, OPTIONS, make_context

# (text, awaiting, intent) with the single haircut appointment
INTENT_CASES = [
    # carrier keywords
    ("STOP", "none", "opt_out"),
    ("Stop.", "reminder_reply", "opt_out"),
    ("stop", "slot_choice", "opt_out"),
    ("UNSUBSCRIBE", "none", "opt_out"),
    ("STOPALL", "none", "opt_out"),
    ("quit", "none", "opt_out"),
    ("START", "none", "opt_in"),
    ("unstop", "none", "opt_in"),
    ("HELP", "none", "help"),
    ("info", "none", "help"),
    ("AYUDA", "none", "help"),
    ("CANCEL", "none", "cancel"),                 # a lone cancel is the client's wish, not an opt-out
    ("cancelar", "none", "cancel"),
    ("YES", "none", "affirm"),                    # YES is never an opt-in
    # plain-language opt out / in
    ("please stop texting me", "none", "opt_out"),
    ("remove me from these texts pls", "none", "opt_out"),
    ("ya no me manden mensajes por favor", "none", "opt_out"),
    ("start sending me reminders again pls", "none", "opt_in"),
    # reminder replies
    ("C", "reminder_reply", "confirm_appointment"),
    ("c 👍", "reminder_reply", "confirm_appointment"),
    ("R", "reminder_reply", "reschedule"),
    ("X sorry!!", "reminder_reply", "cancel"),
    ("👍", "reminder_reply", "confirm_appointment"),
    ("yep see you then!", "reminder_reply", "confirm_appointment"),
    ("sí, ahí estaré", "reminder_reply", "confirm_appointment"),
    ("confirmo", "reminder_reply", "confirm_appointment"),
    ("cant tmrw, can we do sat morning?", "reminder_reply", "reschedule"),
    ("no voy a poder ir, cancélala", "reminder_reply", "cancel"),
    # confirmations of a cancel / reschedule
    ("yes", "cancel_confirmation", "affirm"),
    ("yeah go ahead and cancel it", "cancel_confirmation", "affirm"),
    ("sí, cancélala", "cancel_confirmation", "affirm"),
    ("NO keep it", "cancel_confirmation", "deny"),
    ("wait no dont cancel!", "cancel_confirmation", "deny"),
    ("no! I want to move it not cancel", "cancel_confirmation", "reschedule"),
    ("no, can we do next week instead?", "cancel_confirmation", "reschedule"),
    ("no, mejor la mantengo", "cancel_confirmation", "deny"),
    ("sounds good!", "reschedule_confirmation", "affirm"),
    ("ok 👍", "reschedule_confirmation", "affirm"),
    ("vale", "reschedule_confirmation", "affirm"),
    ("nah leave it", "reschedule_confirmation", "deny"),
    ("actually never mind, keep it as is", "reschedule_confirmation", "deny"),
    ("no I meant the 14th", "reschedule_confirmation", "reschedule"),
    ("no, quería el jueves", "reschedule_confirmation", "reschedule"),
    ("is there a person I can speak to?", "reschedule_confirmation", "human"),
    # the client writes first
    ("I have to cancel, I'm so sorry, work emergency", "none", "cancel"),
    ("gonna have to cancel on u this week 😩", "none", "cancel"),
    ("anula mi cita de mañana, gracias", "none", "cancel"),
    ("no puedo ir", "none", "cancel"),
    ("need to reschedule", "none", "reschedule"),
    ("necesito cambiar la cita", "none", "reschedule"),
    ("not cancelling!! just need a different day", "none", "reschedule"),
    ("don't cancel, just move it to 4", "none", "reschedule"),
    ("can we do thursday at 8?", "none", "reschedule"),
    ("next friday at 2?", "none", "reschedule"),
    ("se puede mañana por la tarde?", "none", "reschedule"),
    ("what time is my appt?", "none", "query"),
    ("a qué hora es mi cita?", "none", "query"),
    ("is my appt still on for tmrw?", "none", "query"),
    ("running 10 min late sorry!!", "none", "late"),
    ("llego tarde, hay mucho tráfico 😩", "none", "late"),
    ("call me pls", "none", "human"),
    ("me pueden llamar?", "none", "human"),
    ("what's the salon's phone number?", "none", "human"),
    ("how does this work? can i text here to change stuff?", "none", "help"),
    ("hi!", "none", "greet"),
    ("muchas gracias!", "none", "greet"),
    ("good morning!", "none", "greet"),
    ("wrong number", "none", "unknown"),
    ("do you guys sell gift cards?", "none", "unknown"),
    ("I'd like to book a new appointment for my son", "none", "unknown"),
    ("what's the weather like tomorrow", "none", "unknown"),
    ("nvm", "which_appointment", "deny"),
    ("never mind, I'll keep my original time", "slot_choice", "deny"),
    # Turning down every time on offer, or asking for others.
    ("none of those work", "slot_choice", "deny"),
    ("neither", "slot_choice", "deny"),
    ("those don't work for me", "slot_choice", "deny"),
    ("can't do any of those", "slot_choice", "deny"),
    ("ninguna me sirve", "slot_choice", "deny"),
    ("no me sirve ninguna", "slot_choice", "deny"),
    ("do you have anything else?", "slot_choice", "reschedule"),
    ("other times?", "slot_choice", "reschedule"),
    ("none of those, any other options?", "slot_choice", "reschedule"),
    ("ninguna, ¿tienes otras horas?", "slot_choice", "reschedule"),
    ("none of those, what about thursday?", "slot_choice", "reschedule"),
    # The letters our texts ask for, wherever they come.
    ("X", "none", "cancel"),
    ("R", "cancel_confirmation", "reschedule"),
    ("x", "cancel_confirmation", "affirm"),
    ("r.", "none", "reschedule"),
    ("C", "none", "confirm_appointment"),
    ("otra opcion?", "slot_choice", "reschedule"),
    # A month before an ordinal makes it a date, not an option.
    ("next year march 3rd at 2", "slot_choice", "reschedule"),
    ("dec 2nd?", "slot_choice", "reschedule"),
    ("the 2nd please", "slot_choice", "choose"),
    ("Will be there!", "none", "confirm_appointment"),
    ("Could you please confirm my appointment for Friday?", "none", "query"),
    ("Is my appointment cancelled?", "none", "query"),
    ("Did you cancel my appointment?", "none", "query"),
    ("What's the cancellation policy?", "none", "unknown"),
    ("what do you have on saturday?", "none", "reschedule"),
    ("When can I come in?", "none", "reschedule"),
    ("Oops, I meant Saturday not Friday", "none", "reschedule"),
    ("Hi, what time do you open on Saturday?", "none", "unknown"),
    ("¿a qué hora cierran?", "none", "unknown"),
    ("remind me to buy milk", "none", "unknown"),
    ("what time is it", "none", "unknown"),
    ("that's fine", "cancel_confirmation", "affirm"),
    ("I changed my mind", "cancel_confirmation", "deny"),
    ("cambié de opinión", "reschedule_confirmation", "deny"),
    ("cancel that", "reschedule_confirmation", "deny"),
    ("I need to cancel my appointment for Friday, I'll call to rebook next week", "none", "cancel"),
    ("I need to cancel and rebook for next week", "none", "reschedule"),
    ("please cancel, I'll rebook later", "none", "cancel"),
    ("maybe later", "reschedule_confirmation", "deny"),
    ("never mind, cancel that", "none", "deny"),
    ("good night", "cancel_confirmation", "greet"),
    ("opt-out", "none", "opt_out"),
    ("cancel my reservation", "none", "cancel"),
    ("move my flight to friday", "none", "unknown"),
    ("set an alarm for 7am tomorrow", "none", "unknown"),
    ("my flight got delayed, need to reschedule", "none", "reschedule"),
    ("yes but can we make it 4", "reschedule_confirmation", "reschedule"),
    ("sí, pero a las 4", "reschedule_confirmation", "reschedule"),
    ("yes but can we do 4", "reminder_reply", "reschedule"),
    ("dont call me, just text", "none", "deny"),
    ("Can you bump me to 4?", "none", "reschedule"),
    ("Anúlamela porfa", "none", "cancel"),
    ("Cámbiamela para el martes", "none", "reschedule"),
    ("", "none", "unknown"),
    ("🎉🎉", "none", "unknown"),
]


@pytest.mark.parametrize("text,awaiting,intent", INTENT_CASES)
def test_intent(text, awaiting, intent):
    u = understand(text, make_context(awaiting, options=OPTIONS if awaiting == "slot_choice" else ()))
    assert u.intent == intent, u


APPOINTMENT_CASES = [
    # (text, awaiting, intent, appointment) with nails on Thursday 10:30 and color on Saturday 11:00
    ("cancel the nails one", "none", "cancel", "a1"),
    ("cancela la manicura por favor", "none", "cancel", "a1"),
    ("can you cancel the color one", "none", "cancel", "a2"),
    ("cancel the one with jess please", "none", "cancel", "a2"),
    ("cancel my saturday appt", "none", "cancel", "a2"),
    ("quiero cancelar la cita del sábado", "none", "cancel", "a2"),
    ("the 2nd one", "which_appointment", "unknown", "a2"),      # a bare answer still names it
    ("the 2nd one, cancel it", "which_appointment", "cancel", "a2"),
    ("la del jueves, cancélala", "which_appointment", "cancel", "a1"),
    ("need to cancel my 11:00", "none", "cancel", "a2"),
    ("who's doing my nails thursday", "none", "query", "a1"),
    ("cancel both of them pls", "none", "cancel", None),
    ("cancel all my appointments", "none", "cancel", None),
    ("I need to reschedule", "none", "reschedule", None),      # which one? the dialogue asks
    ("C", "reminder_reply", "confirm_appointment", "a1"),     # the reminder is about the soonest
    ("move the color to next week", "none", "reschedule", "a2"),
    ("cancel the earlier one", "none", "cancel", "a1"),
    ("cancel my next appointment", "none", "cancel", "a1"),
    ("reschedule the one on the 28th", "none", "reschedule", "a2"),
    ("can Sofia do my nails at 2 instead", "none", "reschedule", "a1"),
    ("cancel the haircut but keep the color", "none", "cancel", None),     # no haircut booked here
    ("cancel my manicure and keep my color appointment", "none", "cancel", "a1"),
    ("saturday's", "which_appointment", "unknown", "a2"),
]


@pytest.mark.parametrize("text,awaiting,intent,appointment", APPOINTMENT_CASES)
def test_appointment(text, awaiting, intent, appointment):
    u = understand(text, make_context(awaiting, appointments=(NAILS, COLOR)))
    if intent != "unknown":
        assert u.intent == intent, u
    assert u.appointment == appointment, u


def test_ambiguous_appointment_lowers_confidence():
    sure = understand("cancel the color one", make_context(appointments=(NAILS, COLOR)))
    unsure = understand("cancel it", make_context(appointments=(NAILS, COLOR)))
    assert unsure.appointment is None and unsure.confidence < sure.confidence


def test_one_appointment_is_the_one_meant():
    u = understand("CANCEL ALL", make_context(appointments=(HAIRCUT,)))
    assert (u.intent, u.appointment) == ("cancel", "a1")


# (text, choice) with options Thu 10:00, Thu 14:30, Sat 11:00
CHOICE_CASES = [
    ("2", 2), ("#1", 1), ("2️⃣", 2), ("option 3", 3), ("opción 3", 3), ("1 pls", 1), ("3 works", 3),
    ("2 please! thank you", 2), ("the 2nd", 2), ("the second one", 2), ("i'll take the first", 1),
    ("la segunda", 2), ("la última porfa", 3), ("the last one", 3), ("the earliest one", 1),
    ("saturday one", 3), ("the sat one pls", 3), ("me quedo con la del sábado", 3),
    ("the 2:30", 2), ("the 10am pls", 1), ("ill take the 11", 3), ("10", 1),
    ("thursday at 2:30 👍", 2), ("thursday morning", 1), ("el jueves por la tarde", 2), ("la de las 10", 1),
]


@pytest.mark.parametrize("text,choice", CHOICE_CASES)
def test_choice(text, choice):
    u = understand(text, make_context("slot_choice", options=OPTIONS))
    assert (u.intent, u.choice) == ("choose", choice), u


@pytest.mark.parametrize("text", ["none of those work, anything next week?", "ninguna me sirve, ¿tienen algo el lunes?",
                                  "hmm none of these work for me. do u have anything tuesday?"])
def test_rejecting_the_options_is_a_new_request(text):
    u = understand(text, make_context("slot_choice", options=OPTIONS))
    assert u.intent == "reschedule" and u.choice is None and u.when is not None, u


def test_thursday_matches_two_options_so_no_choice():
    u = understand("thursday", make_context("slot_choice", options=OPTIONS))
    assert u.intent != "choose" and u.choice is None
