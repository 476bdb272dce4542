"""SMS conversations end to end: the Flask app, real Twilio signatures, the
database, written as (client says, bot replies) pairs in English and Spanish.
What the dialogue decides is tested fast, without any of that, in
tests/unit/conversation; here are the exchanges whose point is what the channel
and the database add: the transcript and the outbox, flags and hand-offs
stored, keywords, repeats, a slot taken meanwhile, bad requests."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.domain.models import Appointment, Client, Conversation, Message, Outbox, ServiceLine, Status
from tests.factories import NOW, local, show, standard_world
from tests.sms_client import TOKEN, Texter
from webhooks import create_app

OLD = NOW - timedelta(days=10)


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def world():
    w = standard_world()
    w.salon.notification_phone = "+12125550188"
    w.salon.settings.cancellation_policy = "Please give 24 hours' notice."
    w.salon.settings.cancellation_policy_es = "Avísanos con 24 horas."
    return w


@pytest.fixture
def clock():
    return Clock(NOW)


@pytest.fixture
def app(db, clock):
    return create_app({"DATABASE_URL": str(db.url), "TESTING": True, "TWILIO_AUTH_TOKEN": TOKEN,
                       "PUBLIC_BASE_URL": "https://salonbot.example.com", "CLOCK": clock,
                       "DATABASE": db})


@pytest.fixture
def save(db):
    def _save(world):
        with db.write() as session:
            session.add(world.salon)
    return _save


def ana_with_haircut(world, save, **kw):
    ana = world.add_client("Ana Garcia")
    appt = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD, **kw)
    save(world)
    return ana, appt


def ana_with_haircut_and_manicure(world, save, manicure="2026-12-02 10:00"):
    """Two upcoming appointments: a haircut with Maria on Friday, a manicure with Jordan after."""
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    mani = world.book(ana, ("Manicure", "Jordan", manicure), booked_at=OLD)
    save(world)
    return ana, cut, mani


def book_directly(db, client_id, service, staff, start):
    """Someone books by phone meanwhile: a plain write, as the salon's own system would."""
    from bot.domain.models import Service, ServiceLine, Staff
    with db.write() as session:
        client = session.get(Client, client_id)
        appt = Appointment(salon=client.salon, client=client)
        session.add(appt)
        appt.lines.append(ServiceLine(service=session.scalars(select(Service).where(Service.name == service)).one(),
                                      staff=session.scalars(select(Staff).where(Staff.name == staff)).one(),
                                      starts_at=local(start)))


def read(db, fn):
    with db.read() as session:
        return fn(session)


# --- cancelling ------------------------------------------------------------------------

def test_cancel_then_yes(app, db, world, save):
    ana, appt = ana_with_haircut(world, save)
    Texter(app, ana.phone).verify([
        ("I need to cancel my appointment",
         "Reply YES to cancel your Haircut with Maria on Fri, Nov 27 at 3:00 PM, or NO to keep it. "
         "Please give 24 hours' notice. Or reply R to pick a new time instead."),
        ("yes", "Done: your Haircut with Maria on Fri, Nov 27 at 3:00 PM is canceled. Reply R anytime to book again."),
    ])
    assert read(db, lambda s: s.get(Appointment, appt.id).status) == Status.CANCELED.value
    outbox = read(db, lambda s: [(o.kind, o.to_phone) for o in s.scalars(select(Outbox))])
    # Changed by text: the reply above is the client's confirmation; the salon gets a notice.
    assert outbox == [("salon_canceled", "+12125550188")]


def reminded(db, world, client, appt):
    """The state the reminder leaves: the bot asked C, R or X about this appointment."""
    with db.write() as session:
        session.add(Conversation(salon_id=world.salon.id, client_id=client.id, channel="sms", address=client.phone,
                                 state={"awaiting": "reminder_reply", "appointment_id": appt.id,
                                        "asked_at": NOW.isoformat()}))


def test_move_to_an_exact_free_time(app, db, world, save):
    ana, appt = ana_with_haircut(world, save)
    Texter(app, ana.phone).verify([
        ("can we do monday at 11 instead",
         "Maria is free Mon, Nov 30 at 11:00 AM. Reply YES to move your Haircut there, or NO to keep "
         "Fri, Nov 27 at 3:00 PM."),
        ("yes please", "Done! Your Haircut with Maria is now Mon, Nov 30 at 11:00 AM. See you then!"),
    ])
    assert read(db, lambda s: show(s.get(Appointment, appt.id).starts_at)) == "2026-11-30 11:00"


def test_the_slot_taken_meanwhile_gets_fresh_times(app, db, world, save):
    ana, appt = ana_with_haircut(world, save)
    texter = Texter(app, ana.phone)
    assert texter.say("monday at 11?").startswith("Maria is free Mon, Nov 30 at 11:00 AM.")
    book_directly(db, ana.id, "Haircut", "Maria", "2026-11-30 11:00")
    assert texter.say("YES").startswith("Sorry, that time was just taken. Maria can do:\n1) Mon, Nov 30 at 10:00 AM")
    assert read(db, lambda s: show(s.get(Appointment, appt.id).starts_at)) == "2026-11-27 15:00"


def test_not_allowed_says_why_and_what_to_do(app, db, world, save):
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00", 75), booked_at=OLD)   # length set by hand
    save(world)
    Texter(app, ana.phone).verify([
        ("move it to monday at 2",
         "Sorry, its length was set specially for you, so the team needs to find the new time. "
         "Please call us at (212) 555-0199. You can still cancel: reply X."),
    ])
    # The team has to move it: the conversation is put in front of them.
    assert read(db, lambda s: s.scalars(select(Conversation)).one().flag) == "asked to move it; the team has to"


def test_several_appointments_ask_which_unless_the_message_says(app, db, world, save):
    ana, _, mani = ana_with_haircut_and_manicure(world, save)
    texter = Texter(app, ana.phone)
    texter.verify([
        ("cancel my appointment",
         "Which appointment do you mean?\n1) Haircut with Maria, Fri, Nov 27 at 3:00 PM\n"
         "2) Manicure with Jordan, Wed, Dec 2 at 10:00 AM\n"
         "Reply 1 or 2."),
        ("2", "Reply YES to cancel your Manicure with Jordan on Wed, Dec 2 at 10:00 AM, or NO to keep it.…"),
        ("yes", "Done: your Manicure with Jordan on Wed, Dec 2 at 10:00 AM is canceled.…"),
    ])
    assert read(db, lambda s: s.get(Appointment, mani.id).status) == Status.CANCELED.value


# --- reminders and people ---------------------------------------------------------------

def test_reply_c_to_a_reminder_confirms(app, db, world, save):
    ana, appt = ana_with_haircut(world, save)
    reminded(db, world, ana, appt)
    Texter(app, ana.phone).verify([
        ("C", "Thanks Ana, you're confirmed for Haircut with Maria on Fri, Nov 27 at 3:00 PM. See you then!"),
    ])
    assert read(db, lambda s: s.get(Appointment, appt.id).status) == Status.CONFIRMED.value


def test_asking_for_a_person_hands_off_and_the_bot_goes_quiet(app, db, world, save):
    ana, _ = ana_with_haircut(world, save)
    Texter(app, ana.phone).verify([
        ("can I talk to a real person",
         "OK, I've asked the team to reply to you here as soon as they can. You can also call us at (212) 555-0199."),
        ("hello?", None),
        ("cancel my appointment", None),
    ])
    conversation = read(db, lambda s: s.scalars(select(Conversation)).one())
    assert conversation.handed_off and conversation.flag == "asked for a person"
    assert read(db, lambda s: len(s.scalars(select(Message).where(Message.direction == "in")).all())) == 3


def test_stop_and_start(app, db, world, save):
    ana, _ = ana_with_haircut(world, save)
    texter = Texter(app, ana.phone)
    texter.verify([("STOP", None)])     # Twilio answers its own keywords
    assert read(db, lambda s: s.get(Client, ana.id).opted_out)
    texter.verify([("START", None)])
    assert not read(db, lambda s: s.get(Client, ana.id).opted_out)


def test_a_lone_cancel_is_an_opt_out_on_twilio_default_keywords(app, db, world, save):
    ana, appt = ana_with_haircut(world, save)
    Texter(app, ana.phone).verify([("CANCEL", None)])
    assert read(db, lambda s: s.get(Client, ana.id).opted_out)
    assert read(db, lambda s: s.scalars(select(Conversation)).one().flag) == "probably wanted to cancel their appointment"
    assert read(db, lambda s: s.get(Appointment, appt.id).status) == Status.BOOKED.value


def test_nothing_goes_back_after_stop_until_start_and_staff_are_told(app, db, world, save):
    ana, appt = ana_with_haircut(world, save)
    texter = Texter(app, ana.phone)
    texter.verify([("STOP", None), ("hello?", None), ("can we do monday at 11 instead", None), ("yes", None)])
    conversation = read(db, lambda s: s.scalars(select(Conversation)).one())
    assert conversation.flag.startswith("texted after opting out")
    assert read(db, lambda s: show(s.get(Appointment, appt.id).starts_at)) == "2026-11-27 15:00"
    assert read(db, lambda s: len(s.scalars(select(Message).where(Message.direction == "in")).all())) == 4
    assert read(db, lambda s: s.scalars(select(Message).where(Message.direction == "out")).all()) == []
    texter.verify([("START", None), ("when is my appointment", "Your Haircut with Maria is on Fri, Nov 27 at 3:00 PM.")])


def test_after_a_lone_cancel_the_flag_says_what_they_wanted(app, db, world, save):
    ana, _ = ana_with_haircut(world, save)
    Texter(app, ana.phone).verify([("CANCEL", None), ("hello??", None)])
    assert read(db, lambda s: s.scalars(select(Conversation)).one().flag) == "probably wanted to cancel their appointment"


def test_stop_in_words_opts_out_and_says_so_once(app, db, world, save):
    """Twilio answers only a text that is exactly one of its keywords: anything
    else asking to stop is ours to answer (once), and it counts all the same."""
    ana, _ = ana_with_haircut(world, save)
    Texter(app, ana.phone).verify([
        ("stop texting me please", "You won't get more texts from Test Salon. Reply START to get them again."),
        ("ok", None),
    ])
    assert read(db, lambda s: s.get(Client, ana.id).opted_out)


def test_yes_from_an_opted_out_number_is_the_carriers_opt_in(app, db, world, save):
    """YES is one of Twilio's opt-in words: it unblocks the number there, so here too."""
    ana, _ = ana_with_haircut(world, save)
    Texter(app, ana.phone).verify([("STOP", None), ("YES", None),
                                   ("when is my appointment", "Your Haircut with Maria is on Fri, Nov 27 at 3:00 PM.")])
    assert not read(db, lambda s: s.get(Client, ana.id).opted_out)


def test_a_lone_cancel_is_a_cancel_request_when_the_salon_handles_keywords_itself(app, db, world, save):
    world.salon.settings.twilio_default_keywords = False
    ana, _ = ana_with_haircut(world, save)
    Texter(app, ana.phone).verify([("Cancel", "Reply YES to cancel your Haircut…")])
    assert not read(db, lambda s: s.get(Client, ana.id).opted_out)


# --- Spanish ---------------------------------------------------------------------------

def test_a_lone_cancelar_is_a_cancel_request_twilio_only_blocks_english_words(app, db, world, save):
    rosa = world.add_client("Rosa Martinez", language="es")
    world.book(rosa, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(world)
    Texter(app, rosa.phone).verify([("cancelar", "Responde SI para cancelar…")])
    assert not read(db, lambda s: s.get(Client, rosa.id).opted_out)


def test_a_move_never_puts_the_client_in_two_chairs_at_once(app, db, world, save):
    ana, cut, mani = ana_with_haircut_and_manicure(world, save)      # manicure with Jordan Wed Dec 2, 10:00-10:45
    texter = Texter(app, ana.phone)
    reply = texter.say("can I move my haircut to wednesday dec 2 at 10?")
    # Maria is free then, but Ana is at her manicure: that is what she is told.
    assert reply.startswith("You have another appointment then. Nearest times for your Haircut with Maria:"), reply
    assert "10:00 AM" not in reply and "10:30 AM" not in reply, reply
    from handlers.appointments import reschedule
    result = reschedule(db, client_id=ana.id, appointment_id=cut.id, new_start=local("2026-12-02 10:15"), now=NOW,
                        channel="sms")
    assert result.outcome.value == "unavailable"
    assert read(db, lambda s: show(s.get(Appointment, cut.id).starts_at)) == "2026-11-27 15:00"


def test_spanish_reschedule(app, db, world, save):
    rosa = world.add_client("Rosa Martinez", language="es")
    appt = world.book(rosa, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(world)
    Texter(app, rosa.phone).verify([
        ("¿se puede cambiar al lunes a las 11?",
         "Maria tiene libre el lun 30 nov a las 11:00 am. Responde SI para mover tu Haircut, o NO para mantener "
         "el vie 27 nov a las 3:00 pm."),
        ("sí", "¡Listo! Tu Haircut con Maria ahora es el lun 30 nov a las 11:00 am. ¡Te esperamos!"),
    ])
    assert read(db, lambda s: show(s.get(Appointment, appt.id).starts_at)) == "2026-11-30 11:00"


# --- booking again after cancelling ----------------------------------------------------

def test_a_follow_up_reply_books_a_new_appointment_with_the_same_staff(app, db, world, save):
    ana = world.add_client("Ana Garcia")
    old = world.book(ana, ("Haircut", "Maria", "2026-11-23 15:00"), booked_at=OLD, status=Status.CANCELED)
    save(world)
    with db.write() as session:
        session.add(Conversation(salon_id=world.salon.id, client_id=ana.id, channel="sms", address=ana.phone,
                                 state={"awaiting": "followup", "appointment_id": old.id, "asked_at": NOW.isoformat()}))
    texter = Texter(app, ana.phone)
    assert texter.say("R").startswith("Maria can do your Haircut:\n1) Wed, Nov 25 at 10:00 AM")
    assert texter.say("1") == "Done! You're booked for Haircut with Maria on Wed, Nov 25 at 10:00 AM. See you then!"
    new = read(db, lambda s: s.scalars(select(Appointment).where(Appointment.status == "booked")).one())
    lines = read(db, lambda s: [(l.service.name, l.staff.name, show(l.starts_at))
                                for l in s.scalars(select(ServiceLine).where(ServiceLine.appointment_id == new.id))])
    assert lines == [("Haircut", "Maria", "2026-11-25 10:00")]
    assert new.booked_via == "online"


# --- the webhook itself ----------------------------------------------------------------

def test_unknown_numbers_get_a_polite_reply_and_are_kept_for_staff(app, db, world, save):
    save(world)
    Texter(app, "+14155550123").verify([
        ("hi can I book a facial",
         "Hi! This is Test Salon. I couldn't find a booking for this number, so I've passed your message to the team."),
        ("hello?", None),   # told once
    ])
    conversation = read(db, lambda s: s.scalars(select(Conversation)).one())
    assert conversation.client_id is None and conversation.flag == "unknown number"


def test_a_forged_signature_is_refused_and_changes_nothing(app, db, world, save):
    ana, _ = ana_with_haircut(world, save)
    texter = Texter(app, ana.phone)
    assert texter.post("X", signature="forged").status_code == 403
    assert texter.post("X", signature="").status_code == 403
    assert read(db, lambda s: s.scalars(select(Message)).all()) == []


def test_a_repeated_message_sid_is_acted_on_once(app, db, world, save):
    ana, appt = ana_with_haircut(world, save)
    texter = Texter(app, ana.phone)
    first = texter.say("please cancel my appointment", sid="SM" + "7" * 32)
    assert texter.say("yes", sid="SM" + "8" * 32).startswith("Done: your Haircut")
    again = texter.say("yes", sid="SM" + "8" * 32)
    assert again.startswith("Done: your Haircut") and first.startswith("Reply YES")
    assert read(db, lambda s: len(s.scalars(select(Message).where(Message.direction == "in")).all())) == 2


@pytest.mark.parametrize("body, media", [("", 1), ("", 0), ("   ", 0)])
def test_empty_and_media_only_messages(app, world, save, body, media):
    ana, _ = ana_with_haircut(world, save)
    assert Texter(app, ana.phone).say(body, media=media).startswith("I can only read text messages.")


@pytest.mark.parametrize("body", ["😀😀😀", "x" * 10_000, "cancel " * 1500, "\x00\x01\x02", "ñ" * 3000])
def test_strange_bodies_get_a_sensible_answer(app, db, world, save, body):
    ana, _ = ana_with_haircut(world, save)
    response = Texter(app, ana.phone).post(body)
    assert response.status_code == 200 and response.mimetype == "application/xml"


def test_invalid_utf8_is_not_a_500(app, world, save):
    ana, _ = ana_with_haircut(world, save)
    texter = Texter(app, ana.phone)
    params = {"From": ana.phone, "To": "+12125550100", "Body": "caf\udce9", "MessageSid": "SM" + "9" * 32}
    raw = "From=%2B12125551001&To=%2B12125550100&Body=caf%E9&MessageSid=SM" + "9" * 32
    from tests.sms_client import BASE
    from webhooks.sms.signature import sign
    params["Body"] = "caf\ufffd"
    response = texter.http.post("/sms/inbound", data=raw, content_type="application/x-www-form-urlencoded",
                                headers={"X-Twilio-Signature": sign(TOKEN, f"{BASE}/sms/inbound", params)})
    assert response.status_code in (200, 403)


def test_a_number_this_deployment_does_not_serve(app, world, save):
    save(world)
    assert Texter(app, "+14155550123", to="+13125550100").post("hi").status_code == 404


def test_malformed_requests_are_refused_cleanly(app, world, save):
    save(world)
    texter = Texter(app, "+14155550123")
    params = {"From": "+14155550123", "To": "+12125550100", "Body": "hi"}     # no MessageSid
    from tests.sms_client import BASE
    from webhooks.sms.signature import sign
    response = texter.http.post("/sms/inbound", data=params,
                                headers={"X-Twilio-Signature": sign(TOKEN, f"{BASE}/sms/inbound", params)})
    assert response.status_code == 400


def test_the_benchmarks_bare_endpoint_is_not_a_route_of_the_production_app(app):
    assert not any(rule.rule == "/sms/bare" for rule in app.url_map.iter_rules())


def test_a_salon_that_brings_its_own_token_is_checked_with_it_at_once(app, db, world, save):
    """The webhook remembers each number's salon and token for a short while;
    a salon that switches to its own Twilio account is still served at once."""
    from bot.domain.models import Salon
    from webhooks.sms.signature import sign
    ana, _ = ana_with_haircut(world, save)
    texter = Texter(app, ana.phone)
    assert texter.say("when is my appointment?").startswith("Your Haircut")
    with db.write() as session:
        session.get(Salon, world.salon.id).twilio_auth_token = "the-salons-own-token"
    params = {"From": ana.phone, "To": "+12125550100", "Body": "when is my appointment?",
              "MessageSid": "SM" + "4" * 32, "AccountSid": "AC" + "1" * 32, "NumMedia": "0"}
    url = "https://salonbot.example.com/sms/inbound"
    own = sign("the-salons-own-token", url, params)
    assert texter.http.post("/sms/inbound", data=params, headers={"X-Twilio-Signature": own}).status_code == 200
    # The deployment's token no longer speaks for this salon.
    params["MessageSid"] = "SM" + "3" * 32
    old = sign(TOKEN, url, params)
    assert texter.http.post("/sms/inbound", data=params, headers={"X-Twilio-Signature": old}).status_code == 403
