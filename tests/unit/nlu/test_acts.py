"""The learned model of the small intents (nlu/acts.py): reproducible from the repo,
and read in context. The phrasings below are our own, none from the evaluation sets."""
from __future__ import annotations

import importlib.util

import pytest

from nlu import acts, understand
from nlu.normalize import normalize
from nlu.train import CORPUS_PATH, load_corpus

from .conftest import COLOR, HAIRCUT, make_context

PROBES = [
    "yeah that's it", "nope, that's not right", "cheers, much obliged", "i'll see you on friday then",
    "can't come after all", "running 5 behind sorry", "what time was i booked again", "get me a person",
    "what can i do with this", "stop messaging me", "send me the reminders again", "can i change the day",
    "who's this?", "sí, correcto", "para nada", "gracias por todo, chau", "allí estaré sin falta",
    "bórrenme la cita", "voy con 10 minutos de retraso", "a qué hora me toca", "pásenme con alguien",
    "cómo funciona esto?", "no quiero más mensajes", "mándenme avisos otra vez", "quiero cambiar el día",
]


def test_corpus_reads_and_covers_every_act():
    corpus = load_corpus(CORPUS_PATH)
    assert {a for a, _ in corpus} == set(acts.model().acts)
    texts = [t for _, t in corpus]
    assert len(texts) > 1000


def test_predictions_are_probabilities():
    for text in PROBES:
        act, p = acts.predict(normalize(text))
        assert act in acts.model().acts and 0 < p <= 1
    assert acts.predict("") == ("unknown", 1.0)


@pytest.mark.skipif(importlib.util.find_spec("sklearn") is None, reason="scikit-learn is needed to retrain")
def test_retraining_reproduces_the_committed_model():
    """python -m nlu.train on the committed corpus gives the committed model's readings
    (the bytes too, on the scikit-learn version that wrote it: `python -m nlu.train --check`)."""
    from nlu.train import train

    fresh = train(load_corpus())
    committed = acts.model()
    assert fresh["acts"] == list(committed.acts)
    again = acts._Model.__new__(acts._Model)
    again.acts, again.bias, again.weights = tuple(fresh["acts"]), fresh["bias"], fresh["weights"]
    again.word = again._word
    for _, text in load_corpus() + [("", p) for p in PROBES]:
        norm = normalize(text)
        assert again.predict(norm)[0] == committed.predict(norm)[0], text
    shared = set(fresh["weights"]) & set(committed.weights)
    assert len(shared) >= 0.98 * max(len(fresh["weights"]), len(committed.weights))
    assert max(abs(a - b) for f in shared for a, b in zip(fresh["weights"][f], committed.weights[f])) <= 0.02


@pytest.mark.parametrize("act,awaiting,intent", [
    ("yes", "reminder_reply", "confirm_appointment"), ("yes", "cancel_confirmation", "affirm"),
    ("confirm", "cancel_confirmation", "deny"), ("confirm", "reschedule_confirmation", "affirm"),
    ("cancel", "cancel_confirmation", "affirm"), ("cancel", "none", "cancel"), ("no", "slot_choice", "deny"),
    ("late", "none", "late"),
])
def test_an_act_means_what_the_question_makes_it(act, awaiting, intent):
    assert acts.intent_of(act, awaiting) == intent


# Paraphrases of the small intents in context (text, awaiting, intent), one appointment.
PARAPHRASES = [
    ("yup, that's correct", "reschedule_confirmation", "affirm"),
    ("that is absolutely right", "cancel_confirmation", "affirm"),
    ("copy that, go ahead", "reschedule_confirmation", "affirm"),
    ("that's not correct", "reschedule_confirmation", "deny"),
    ("nah, leave it the way it is", "reschedule_confirmation", "deny"),
    ("thanks so much for all the help!", "none", "greet"),
    ("thank you for helping me today", "none", "greet"),
    ("bye, have a lovely evening", "none", "greet"),
    ("I won't be needing the booking anymore", "none", "cancel"),
    ("please take me off the schedule for saturday", "none", "cancel"),
    ("i can't come friday, so sorry", "reminder_reply", "cancel"),
    ("see you friday!", "reminder_reply", "confirm_appointment"),
    ("coming, just 5 min behind", "none", "late"),
    ("stuck at work, running behind", "none", "late"),
    ("when is it again?", "none", "query"),
    ("remind me who i'm seeing", "none", "query"),
    ("can a real person text me", "none", "human"),
    ("what are the options here", "none", "help"),
    ("please stop sending texts to this number", "none", "opt_out"),
    ("sí, es correcto", "reschedule_confirmation", "affirm"),
    ("no, eso no es correcto", "reschedule_confirmation", "deny"),
    ("muchas gracias por la ayuda", "none", "greet"),
    ("ya no voy a necesitar el turno", "none", "cancel"),
    ("voy demorado unos 10 minutos", "none", "late"),
    ("cuándo tengo la cita?", "none", "query"),
    ("pasame con una persona porfa", "none", "human"),
    ("no me manden más avisos", "none", "opt_out"),
    ("wrong number, sorry", "none", "unknown"),
    ("your code is 55512, do not share it", "none", "unknown"),
]


@pytest.mark.parametrize("text,awaiting,intent", PARAPHRASES)
def test_paraphrases_in_context(text, awaiting, intent):
    assert understand(text, make_context(awaiting)).intent == intent


def test_the_model_never_overrules_a_request_with_its_time():
    u = understand("thursday at 4 works", make_context())
    assert u.intent == "reschedule" and u.when is not None


def test_a_plural_greeting_with_two_appointments_names_none():
    u = understand("thanks a lot!", make_context(appointments=(HAIRCUT, COLOR)))
    assert u.intent == "greet" and u.appointment is None


# General causes the rules now read (our own phrasings), in context.
RULE_CASES = [
    ("oops, sent that to the wrong chat", "none", "unknown"),
    ("sorry, that was meant for my sister", "none", "unknown"),
    ("perdón, era para otra persona", "none", "unknown"),
    ("is this the dental clinic? need to move my cleaning", "none", "unknown"),
    ("Big sale today! Reply STOP to unsubscribe", "none", "unknown"),
    ("your tracking number is 1Z999", "none", "unknown"),
    ("honey what time is dinner", "none", "unknown"),
    ("cancel the text reminders please", "none", "opt_out"),
    ("take me off the calendar for monday", "none", "cancel"),
    ("won't be needing it anymore, thanks!", "none", "cancel"),
    ("please clear it, we're moving away", "none", "cancel"),
    ("bórrame la cita del viernes", "none", "cancel"),
    ("don't move it after all", "reschedule_confirmation", "deny"),
    ("no, don't change it, just cancel it", "reschedule_confirmation", "cancel"),
    ("perfect, go ahead and move it", "reschedule_confirmation", "affirm"),
    ("hold on, which appointment is this about?", "cancel_confirmation", "query"),
    ("did the cancellation go through?", "none", "query"),
    ("count me out tomorrow, sorry", "reminder_reply", "cancel"),
    ("I'd rather not rebook for now, just cancel", "none", "cancel"),
    ("muchas gracias de verdad", "none", "greet"),
    ("comunícame con la recepción", "none", "human"),
    ("hmm nah, I'll stick with what I have", "reschedule_confirmation", "deny"),
    ("uh yes", "cancel_confirmation", "affirm"),
    ("hey grandma did you get my text", "none", "unknown"),
    ("I'll be there with bells on", "reminder_reply", "confirm_appointment"),
    ("ando enferma, no voy a ir", "reminder_reply", "cancel"),
    ("se me hizo tarde, llego en un ratito", "none", "late"),
    ("me confirmas a qué hora es?", "none", "query"),
    ("necesito que me llamen", "none", "human"),
    ("vuelvan a enviarme los avisos", "none", "opt_in"),
    ("tu pedido llegará mañana", "none", "unknown"),
]


@pytest.mark.parametrize("text,awaiting,intent", RULE_CASES)
def test_rule_classes(text, awaiting, intent):
    assert understand(text, make_context(awaiting)).intent == intent


@pytest.mark.parametrize("text,choice", [
    ("the top one", 1), ("the bottom one pls", 3), ("the middle one", 2), ("la del medio", 2),
    ("prefiero la opción 3", 3), ("option #2 i guess", 2), ("ninguna de las dos", None),
])
def test_options_by_position_or_label(text, choice):
    from .conftest import OPTIONS
    u = understand(text, make_context("slot_choice", options=OPTIONS))
    assert u.choice == choice
    if choice is None:
        assert u.intent == "deny"


@pytest.mark.parametrize("text,awaiting", [
    ("eh", "cancel_confirmation"), ("the blue one", "slot_choice"), ("what?", "cancel_confirmation"),
    ("blah", "reschedule_confirmation"), ("qué?", "cancel_confirmation"), ("idk", "reschedule_confirmation"),
])
def test_an_unreadable_answer_is_never_taken_for_a_yes(text, awaiting):
    """A yes to "cancel it?" cancels: what nobody can read is asked again."""
    from .conftest import OPTIONS
    u = understand(text, make_context(awaiting, options=OPTIONS if awaiting == "slot_choice" else ()))
    assert u.intent not in ("affirm", "choose", "cancel"), u.intent


def test_asked_which_appointment_anything_else_names_none():
    u = understand("anything else?", make_context("which_appointment", appointments=(HAIRCUT, COLOR)))
    assert u.intent != "reschedule" or u.appointment is None
