"""Whole SMS conversations through the Flask app, with real Twilio signatures,
written as (client says, bot replies) pairs, in English and Spanish."""
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


def test_x_to_a_reminder_then_no_keeps_it(app, db, world, save):
    ana, appt = ana_with_haircut(world, save)
    reminded(db, world, ana, appt)
    Texter(app, ana.phone).verify([
        ("X", "Reply YES to cancel…"),
        ("no keep it", "No problem, your Haircut with Maria on Fri, Nov 27 at 3:00 PM stays as it is."),
    ])
    assert read(db, lambda s: s.get(Appointment, appt.id).status) == Status.BOOKED.value


# --- rescheduling ----------------------------------------------------------------------

def test_move_to_an_exact_free_time(app, db, world, save):
    ana, appt = ana_with_haircut(world, save)
    Texter(app, ana.phone).verify([
        ("can we do monday at 11 instead",
         "Maria is free Mon, Nov 30 at 11:00 AM. Reply YES to move your Haircut there, or NO to keep "
         "Fri, Nov 27 at 3:00 PM."),
        ("yes please", "Done! Your Haircut with Maria is now Mon, Nov 30 at 11:00 AM. See you then!"),
    ])
    assert read(db, lambda s: show(s.get(Appointment, appt.id).starts_at)) == "2026-11-30 11:00"


def test_a_taken_time_gets_the_nearest_three_and_a_number_picks_one(app, db, world, save):
    ben = world.add_client("Ben Lee")
    world.book(ben, ("Haircut", "Maria", "2026-11-30 11:00"), booked_at=OLD)
    ana, appt = ana_with_haircut(world, save)
    Texter(app, ana.phone).verify([
        ("can u do mon 11am",
         "Maria isn't free then. Nearest times for your Haircut:\n1) Mon, Nov 30 at 10:00 AM\n2) Mon, Nov 30 at 12:00 PM\n"
         "3) Mon, Nov 30 at 9:30 AM\nReply 1, 2 or 3, or tell me another day."),
        ("2", "Done! Your Haircut with Maria is now Mon, Nov 30 at 12:00 PM. See you then!"),
    ])
    assert read(db, lambda s: show(s.get(Appointment, appt.id).starts_at)) == "2026-11-30 12:00"


def test_reschedule_without_a_time_offers_the_next_openings(app, db, world, save):
    ana, appt = ana_with_haircut(world, save)
    texter = Texter(app, ana.phone)
    reply = texter.say("I need to reschedule")
    assert reply.startswith("Maria can do your Haircut:\n1) Wed, Nov 25 at 10:00 AM\n2) Wed, Nov 25 at 6:00 PM\n3) Thu, Nov 26")
    assert texter.say("yes") == "Great, which time? Reply 1, 2 or 3."
    assert texter.say("the first one") == "Done! Your Haircut with Maria is now Wed, Nov 25 at 10:00 AM. See you then!"


def test_turning_down_the_times_keeps_it_and_anything_else_offers_the_next_ones(app, db, world, save):
    ana, appt = ana_with_haircut(world, save)
    texter = Texter(app, ana.phone)
    first = texter.say("I need to reschedule")
    assert first.startswith("Maria can do your Haircut:\n1) Wed, Nov 25 at 10:00 AM")
    offered = set(re.findall(r"(?m)^\d\) (.+)$", first))
    more = texter.say("do you have anything else?")
    assert more.startswith("Maria can do your Haircut:\n1) ")
    again = set(re.findall(r"(?m)^\d\) (.+)$", more))
    assert len(again) == 3 and not again & offered, (offered, again)
    third = set(re.findall(r"(?m)^\d\) (.+)$", texter.say("any other times?")))
    assert len(third) == 3 and not third & (offered | again), (offered, again, third)
    texter.verify([
        ("none of those work",
         "No problem, your Haircut with Maria on Fri, Nov 27 at 3:00 PM stays as it is. "
         "If another day or time suits you, just tell me."),
    ])
    assert read(db, lambda s: show(s.get(Appointment, appt.id).starts_at)) == "2026-11-27 15:00"


def test_a_bare_time_keeps_the_date_of_the_appointment_being_moved(app, db, world, save):
    ana, _, mani = ana_with_haircut_and_manicure(world, save)
    texter = Texter(app, ana.phone)
    assert texter.say("can I move the manicure").startswith("Jordan can do your Manicure:")
    # Not the haircut's Friday: the manicure's own day.
    texter.verify([
        ("is 2:30 ok?", "Jordan is free Wed, Dec 2 at 2:30 PM. Reply YES to move your Manicure there, or NO to keep "
                        "Wed, Dec 2 at 10:00 AM."),
        ("yes", "Done! Your Manicure with Jordan is now Wed, Dec 2 at 2:30 PM. See you then!"),
    ])
    assert read(db, lambda s: show(s.get(Appointment, mani.id).starts_at)) == "2026-12-02 14:30"


def test_a_day_with_nothing_free_says_so_before_the_nearest_times(app, world, save):
    ana, _ = ana_with_haircut(world, save)
    # The test salon is closed on Sundays.
    reply = Texter(app, ana.phone).say("can we do sunday instead")
    assert reply.startswith("Maria isn't free then. Nearest times for your Haircut:\n1) "), reply


def test_a_date_with_an_ordinal_is_a_date_not_an_option(app, db, world, save):
    ana, appt = ana_with_haircut(world, save)
    texter = Texter(app, ana.phone)
    assert texter.say("I need to reschedule").startswith("Maria can do your Haircut:\n1) ")
    # "3rd" here is the day of the month: nothing is moved to the third time offered.
    assert texter.say("december 3rd at 2?") == (
        "Maria is free Thu, Dec 3 at 2:00 PM. Reply YES to move your Haircut there, or NO to keep "
        "Fri, Nov 27 at 3:00 PM.")
    assert read(db, lambda s: show(s.get(Appointment, appt.id).starts_at)) == "2026-11-27 15:00"


def test_the_group_primary_is_told_the_whole_group_moves_and_cancels(app, db, world, save):
    ana, ben = world.add_client("Ana Garcia"), world.add_client("Ben Lee")
    group = world.group(primary=ana)
    own = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), group=group, booked_at=OLD)
    member = world.book(ben, ("Blowout", "Jordan", "2026-11-27 15:00"), group=group, booked_at=OLD)
    save(world)
    texter = Texter(app, ana.phone)
    texter.verify([
        ("can we do monday at 11 instead",
         "Your group can all come Mon, Nov 30 at 11:00 AM. Reply YES to move its 2 appointments there, or NO to "
         "keep Fri, Nov 27 at 3:00 PM."),
        ("yes", "Done! All 2 appointments of your group are now Mon, Nov 30 at 11:00 AM. See you then!"),
        ("cancel it", "Reply YES to cancel all 2 appointments of your group on Mon, Nov 30 at 11:00 AM (Haircut with "
                      "Maria and the rest), or NO to keep them.…"),
        ("yes", "Done: all 2 appointments of your group on Mon, Nov 30 at 11:00 AM are canceled.…"),
    ])
    assert read(db, lambda s: [s.get(Appointment, a.id).status for a in (own, member)]) == ["canceled"] * 2


def test_a_window_gets_times_spread_across_it(app, world, save):
    ana, _ = ana_with_haircut(world, save)
    reply = Texter(app, ana.phone).say("could we move it to thursday afternoon")
    assert reply == ("Maria can do your Haircut:\n1) Thu, Nov 26 at 12:00 PM\n2) Thu, Nov 26 at 2:30 PM\n3) Thu, Nov 26 at 4:45 PM\n"
                     "Reply 1, 2 or 3, or tell me another day or time.")


def test_the_slot_taken_meanwhile_gets_fresh_times(app, db, world, save):
    ana, appt = ana_with_haircut(world, save)
    texter = Texter(app, ana.phone)
    assert texter.say("monday at 11?").startswith("Maria is free Mon, Nov 30 at 11:00 AM.")
    book_directly(db, ana.id, "Haircut", "Maria", "2026-11-30 11:00")
    assert texter.say("YES").startswith("Sorry, that time was just taken. Maria can do:\n1) Mon, Nov 30 at 10:00 AM")
    assert read(db, lambda s: show(s.get(Appointment, appt.id).starts_at)) == "2026-11-27 15:00"


def test_offers_expire_and_are_checked_again(app, db, world, save, clock):
    ana, appt = ana_with_haircut(world, save)
    texter = Texter(app, ana.phone)
    assert texter.say("move it to monday morning").startswith("Maria can do your Haircut:\n1) Mon, Nov 30 at 9:00 AM")
    book_directly(db, ana.id, "Blowout", "Maria", "2026-11-30 09:00")
    clock.now = NOW + timedelta(minutes=45)
    # 9:00 went meanwhile (a blowout to 9:45): fresh times nearest to it.
    assert texter.say("1") == ("Those times are more than 30 minutes old. Here's what Maria has now:\n"
                               "1) Mon, Nov 30 at 9:45 AM\n2) Mon, Nov 30 at 10:15 AM\n3) Mon, Nov 30 at 10:45 AM\n"
                               "Reply 1, 2 or 3.")


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


def test_inside_the_window_offers_the_phone(app, db, world, save):
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Haircut", "Maria", "2026-11-24 16:00"), booked_at=OLD)
    save(world)
    Texter(app, ana.phone).verify([
        ("can I move my appointment to tomorrow",
         "Sorry, appointments can only be moved online up to 24 hours before they start. "
         "Please call us at (212) 555-0199."),
    ])


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


@pytest.mark.parametrize("answer, staff", [("the nails one", "Jordan"), ("the manicure", "Jordan"), ("second one", "Jordan"),
                                           ("2", "Jordan"), ("the friday one", "Maria"), ("the haircut", "Maria"),
                                           ("the wednesday one", "Jordan")])
def test_which_appointment_answered_in_words(app, db, world, save, answer, staff):
    ana, _, _ = ana_with_haircut_and_manicure(world, save)
    texter = Texter(app, ana.phone)
    assert texter.say("I need to reschedule").startswith("Which appointment do you mean?")
    assert texter.say(answer).startswith(f"{staff} can do your {'Haircut' if staff == 'Maria' else 'Manicure'}:\n1) ")


# --- reminders, questions, people ------------------------------------------------------

def test_reply_c_to_a_reminder_confirms(app, db, world, save):
    ana, appt = ana_with_haircut(world, save)
    reminded(db, world, ana, appt)
    Texter(app, ana.phone).verify([
        ("C", "Thanks Ana, you're confirmed for Haircut with Maria on Fri, Nov 27 at 3:00 PM. See you then!"),
    ])
    assert read(db, lambda s: s.get(Appointment, appt.id).status) == Status.CONFIRMED.value


def test_query_late_and_thanks(app, db, world, save):
    ana, _ = ana_with_haircut(world, save)
    Texter(app, ana.phone).verify([
        ("what time is my appt again?", "Your Haircut with Maria is on Fri, Nov 27 at 3:00 PM."),
        ("running 10 min late sorry", "Thanks for letting us know, Ana. I've told the team you're on your way."),
        ("thanks!", "You're welcome, Ana!"),
    ])
    assert read(db, lambda s: s.scalars(select(Conversation)).one().flag) == "running late"


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


def test_two_misunderstood_messages_hand_off(app, db, world, save):
    ana, _ = ana_with_haircut(world, save)
    Texter(app, ana.phone).verify([
        ("purple monkey dishwasher", "Sorry, I didn't get that. Reply R to reschedule, X to cancel, C to confirm, or HELP."),
        ("the moon is made of cheese", "Sorry, I'm not getting it. I've asked a team member to reply to you here."),
    ])
    assert read(db, lambda s: s.scalars(select(Conversation)).one().handed_off)


def test_a_misunderstood_answer_mid_exchange_gets_the_question_again(app, db, world, save):
    ana, appt = ana_with_haircut(world, save)
    Texter(app, ana.phone).verify([
        ("can we do monday at 11 instead", "Maria is free Mon, Nov 30 at 11:00 AM. Reply YES…"),
        ("purple monkey dishwasher",
         "Sorry, I didn't get that. Reply YES to move your Haircut to Mon, Nov 30 at 11:00 AM, or NO to keep "
         "Fri, Nov 27 at 3:00 PM."),
        ("yes", "Done! Your Haircut with Maria is now Mon, Nov 30 at 11:00 AM. See you then!"),
        ("cancel my appointment", "Reply YES to cancel…"),
        ("hmm", "Sorry, I didn't get that. Reply YES to cancel your Haircut on Mon, Nov 30 at 11:00 AM, "
                "or NO to keep it. Please give 24 hours' notice."),
        ("no", "No problem, your Haircut with Maria on Mon, Nov 30 at 11:00 AM stays as it is."),
        ("can i come in another day", "Maria can do your Haircut:…"),
        ("the blue one", "Sorry, I didn't get that. Reply 1, 2 or 3 to pick a time, tell me another day or time, "
                         "or NO to keep yours."),
    ])
    assert read(db, lambda s: show(s.get(Appointment, appt.id).starts_at)) == "2026-11-30 11:00"


def test_spanish_misunderstood_mid_exchange(app, db, world, save):
    carla = world.add_client("Carla Ruiz", language="es")
    world.book(carla, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(world)
    Texter(app, carla.phone).verify([
        ("necesito cancelar mi cita", "Responde SI para cancelar…"),
        # (Folded to GSM-7 on the way out: "entendí" goes as "entendi", one segment cheaper than UCS-2.)
        ("eh", "Perdona, no te entendi. Responde SI para cancelar tu Haircut del vie 27 nov a las 3:00 pm, "
               "o NO para mantenerla. Avisanos con 24 horas."),
    ])


def test_help(app, world, save):
    ana, _ = ana_with_haircut(world, save)
    Texter(app, ana.phone).verify([
        ("HELP", "Test Salon: reply R to reschedule, X to cancel, C to confirm. Call (212) 555-0199 for anything "
                 "else. Reply STOP to opt out."),
    ])


# --- carrier keywords ------------------------------------------------------------------

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


def test_a_lone_cancel_is_a_cancel_request_when_the_salon_handles_keywords_itself(app, db, world, save):
    world.salon.settings.twilio_default_keywords = False
    ana, _ = ana_with_haircut(world, save)
    Texter(app, ana.phone).verify([("Cancel", "Reply YES to cancel your Haircut…")])
    assert not read(db, lambda s: s.get(Client, ana.id).opted_out)


# --- Spanish ---------------------------------------------------------------------------

def test_spanish_cancel(app, db, world, save):
    rosa = world.add_client("Rosa Martinez", language="es")
    appt = world.book(rosa, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(world)
    Texter(app, rosa.phone).verify([
        ("necesito cancelar mi cita",
         "Responde SI para cancelar tu Haircut con Maria el vie 27 nov a las 3:00 pm, o NO para mantenerla. "
         "Avisanos con 24 horas. O responde R para elegir otra hora."),
        ("si", "Listo: tu Haircut con Maria del vie 27 nov a las 3:00 pm esta cancelada. "
               "Responde R cuando quieras para reservar de nuevo."),
    ])
    assert read(db, lambda s: s.get(Appointment, appt.id).status) == Status.CANCELED.value


def test_a_client_on_file_as_english_who_writes_spanish_gets_it_all_in_spanish(app, db, world, save):
    world.services["Haircut"].name_es = "Corte de pelo"
    ana, _ = ana_with_haircut(world, save)
    Texter(app, ana.phone).verify([
        ("necesito cancelar mi cita",
         "Responde SI para cancelar tu Corte de pelo con Maria el vie 27 nov a las 3:00 pm, o NO para mantenerla. "
         "Avisanos con 24 horas. O responde R para elegir otra hora."),
        ("no", "Sin problema, tu Corte de pelo con Maria el vie 27 nov a las 3:00 pm se queda como esta."),
    ])


def test_which_answered_with_two_numbers_keeps_the_request_one_at_a_time(app, db, world, save):
    ana, cut, mani = ana_with_haircut_and_manicure(world, save)
    texter = Texter(app, ana.phone)
    texter.verify([
        ("please cancel both of my appointments", "Which appointment do you mean?…"),
        ("1 and 2", "Reply YES to cancel your Haircut with Maria on Fri, Nov 27 at 3:00 PM…"),
        ("yes", "Done: your Haircut with Maria on Fri, Nov 27 at 3:00 PM is canceled.…"),
        ("cancel my manicure too", "Reply YES to cancel your Manicure with Jordan…"),
        ("yes", "Done: your Manicure with Jordan on Wed, Dec 2 at 10:00 AM is canceled.…"),
    ])
    assert read(db, lambda s: [s.get(Appointment, a.id).status for a in (cut, mani)]) == ["canceled"] * 2


def test_which_answered_both_starts_with_the_first_and_never_moves_anything(app, db, world, save):
    ana, cut, _ = ana_with_haircut_and_manicure(world, save)
    Texter(app, ana.phone).verify([
        ("cancel my appointment", "Which appointment do you mean?…"),
        ("both", "Reply YES to cancel your Haircut with Maria on Fri, Nov 27 at 3:00 PM…"),
    ])
    assert read(db, lambda s: show(s.get(Appointment, cut.id).starts_at)) == "2026-11-27 15:00"


def test_which_answered_with_a_number_not_listed_is_not_taken(app, db, world, save):
    ana = world.add_client("Ana Garcia")
    for day in ("2026-11-27", "2026-11-28", "2026-12-01", "2026-12-02"):
        world.book(ana, ("Haircut", "Maria", f"{day} 15:00"), booked_at=OLD)
    save(world)
    Texter(app, ana.phone).verify([
        ("I need to reschedule", "Which appointment do you mean?…"),
        ("4", "Sorry, I didn't get that. Which appointment? Reply 1, 2 or 3."),
    ])


def test_the_letters_our_texts_offer_work_where_they_are_offered(app, db, world, save):
    ana = world.add_client("Ana Garcia")
    edited = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00", 75), booked_at=OLD)   # length set by hand
    save(world)
    texter = Texter(app, ana.phone)
    texter.verify([
        ("can I move it", "Sorry, its length was set specially for you…You can still cancel: reply X."[:40] + "…"),
        ("X", "Reply YES to cancel your Haircut with Maria on Fri, Nov 27 at 3:00 PM…"),
        ("x", "Done: your Haircut with Maria on Fri, Nov 27 at 3:00 PM is canceled. Reply R anytime to book again."),
        # Booking it again would copy the length the team set: that is theirs to do.
        ("R", "Sorry, its length was set specially for you…"),
    ])
    assert read(db, lambda s: s.get(Appointment, edited.id).status) == Status.CANCELED.value


def test_r_after_a_cancel_books_again_with_the_same_staff(app, db, world, save):
    ana, appt = ana_with_haircut(world, save)
    texter = Texter(app, ana.phone)
    texter.verify([
        ("cancel my appointment", "Reply YES to cancel…"),
        ("yes", "Done: your Haircut with Maria on Fri, Nov 27 at 3:00 PM is canceled. Reply R anytime to book again."),
        ("R", "Maria can do your Haircut:\n1) …"),
        ("1", "Done! You're booked for Haircut with Maria on…"),
    ])
    new = read(db, lambda s: s.scalars(select(Appointment).where(Appointment.status != "canceled")).one())
    assert new.id != appt.id and new.client_id == ana.id


def test_a_question_while_times_are_on_offer_keeps_them(app, db, world, save):
    ana, appt = ana_with_haircut(world, save)
    texter = Texter(app, ana.phone)
    first = texter.say("I need to reschedule")
    assert first.startswith("Maria can do")
    texter.verify([("wait what time is my appointment now?", "Your Haircut with Maria is on Fri, Nov 27 at 3:00 PM.")])
    assert texter.say("ok the first one").startswith("Done! Your Haircut with Maria is now Wed, Nov 25 at 10:00 AM")


def test_thanks_ok_and_a_thumbs_up_after_it_is_done_need_no_answer_and_no_person(app, db, world, save):
    ana, _ = ana_with_haircut(world, save)
    Texter(app, ana.phone).verify([
        ("when is my appointment", "Your Haircut with Maria is on Fri, Nov 27 at 3:00 PM."),
        ("thanks!", "You're welcome, Ana!"),
        ("ok", None),
        ("ok cool", None),
        ("👍", None),
        ("?", "Test Salon: reply R to reschedule…"),
    ])
    assert not read(db, lambda s: s.scalars(select(Conversation)).one().handed_off)


def test_a_lone_cancelar_is_a_cancel_request_twilio_only_blocks_english_words(app, db, world, save):
    rosa = world.add_client("Rosa Martinez", language="es")
    world.book(rosa, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(world)
    Texter(app, rosa.phone).verify([("cancelar", "Responde SI para cancelar…")])
    assert not read(db, lambda s: s.get(Client, rosa.id).opted_out)


def test_a_service_named_twice_is_asked_about_among_those_not_the_one_just_discussed(app, db, world, save):
    ana = world.add_client("Ana Garcia")
    cut1 = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    world.book(ana, ("Blowout", "Maria", "2026-11-28 10:00"), booked_at=OLD)
    cut2 = world.book(ana, ("Haircut", "Jordan", "2026-12-05 11:00"), booked_at=OLD)
    save(world)
    texter = Texter(app, ana.phone)
    texter.verify([
        ("when's my blowout?", "Your Blowout with Maria is on Sat, Nov 28 at 10:00 AM."),
        # Not the blowout just talked about: one of the two haircuts, asked which.
        ("can you move my haircut to wednesday at 3pm",
         "Which appointment do you mean?\n1) Haircut with Maria, Fri, Nov 27 at 3:00 PM\n"
         "2) Haircut with Jordan, Sat, Dec 5 at 11:00 AM\nReply 1 or 2."),
        ("2", "Jordan is free Wed, Nov 25 at 3:00 PM. Reply YES to move your Haircut there…"),
    ])
    both = texter.say("what time are my haircuts?")
    assert "Haircut with Jordan" in both and "Haircut with Maria" in both and "Blowout" not in both, both
    assert read(db, lambda s: [show(s.get(Appointment, a.id).starts_at) for a in (cut1, cut2)]) == \
        ["2026-11-27 15:00", "2026-12-05 11:00"]


def test_while_asked_to_confirm_a_cancel_nothing_but_a_yes_cancels_and_only_what_was_asked(app, db, world, save):
    ana, cut, mani = ana_with_haircut_and_manicure(world, save)
    texter = Texter(app, ana.phone)
    texter.verify([
        ("cancel my haircut", "Reply YES to cancel your Haircut with Maria…"),
        # a question that says "cancel" is not a yes
        ("will I be charged if I cancel?", "Sorry, I didn't get that. Reply YES to cancel your Haircut on Fri, Nov 27 "
                                           "at 3:00 PM, or NO to keep it. Please give 24 hours' notice."),
        # naming the other one switches to it
        ("actually cancel the manicure instead", "Reply YES to cancel your Manicure with Jordan on Wed, Dec 2 at 10:00 AM…"),
        ("no the haircut", "Reply YES to cancel your Haircut with Maria…"),
        ("yes", "Done: your Haircut with Maria on Fri, Nov 27 at 3:00 PM is canceled.…"),
        # other appointments booked: "reschedule" is about those, not booking the canceled one again
        ("I need to reschedule", "Jordan can do your Manicure:…"),
    ])
    assert read(db, lambda s: [s.get(Appointment, a.id).status for a in (cut, mani)]) == ["canceled", "booked"]


def test_a_reminder_does_not_stand_for_a_service_the_client_names(app, db, world, save):
    ana = world.add_client("Ana Garcia")
    blow = world.book(ana, ("Blowout", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    world.book(ana, ("Haircut", "Maria", "2026-12-02 10:00"), booked_at=OLD)
    world.book(ana, ("Haircut", "Jordan", "2026-12-05 10:00"), booked_at=OLD)
    save(world)
    reminded(db, world, ana, blow)
    Texter(app, ana.phone).verify([
        ("cancel my haircuts", "Which appointment do you mean?\n1) Haircut with Maria…"),
    ])


def test_a_bare_time_while_one_days_times_are_offered_is_on_that_day(app, db, world, save):
    ana, appt = ana_with_haircut(world, save)
    texter = Texter(app, ana.phone)
    assert texter.say("could we move it to monday afternoon").startswith("Maria can do your Haircut:\n1) Mon, Nov 30")
    texter.verify([("is 1:15 possible?", "Maria is free Mon, Nov 30 at 1:15 PM. Reply YES to move your Haircut there…")])


def test_more_appointments_than_listed_are_reached_by_their_day(app, db, world, save):
    ana = world.add_client("Ana Garcia")
    for day in ("2026-11-27", "2026-11-28", "2026-12-01", "2026-12-02"):
        world.book(ana, ("Haircut", "Maria", f"{day} 15:00"), booked_at=OLD)
    save(world)
    texter = Texter(app, ana.phone)
    assert texter.say("I need to cancel").endswith("(or tell me the day or service of another)\nReply 1, 2 or 3.")
    texter.verify([("the one on dec 2", "Reply YES to cancel your Haircut with Maria on Wed, Dec 2 at 3:00 PM…")])


def test_hi_with_nothing_booked(app, db, world, save):
    ana = world.add_client("Ana Garcia")
    save(world)
    Texter(app, ana.phone).verify([("hi", "I don't see an upcoming appointment for you at Test Salon. "
                                          "Please call us at (212) 555-0199.")])


def test_i_meant_the_other_one_mid_offer_switches_to_it(app, db, world, save):
    ana, cut, mani = ana_with_haircut_and_manicure(world, save)
    texter = Texter(app, ana.phone)
    assert texter.say("can I move my haircut").startswith("Maria can do your Haircut:")
    assert texter.say("wrong one, I meant the manicure").startswith("Jordan can do your Manicure:")
    texter.verify([("would moving it cost extra?", "Sorry, I didn't get that. Reply 1, 2 or 3 to pick a time…")])


def test_a_move_never_puts_the_client_in_two_chairs_at_once(app, db, world, save):
    ana, cut, mani = ana_with_haircut_and_manicure(world, save)      # manicure with Jordan Wed Dec 2, 10:00-10:45
    texter = Texter(app, ana.phone)
    reply = texter.say("can I move my haircut to wednesday dec 2 at 10?")
    # Maria is free then, but Ana is at her manicure.
    assert reply.startswith("Maria isn't free then. Nearest times for your Haircut:"), reply
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


def test_alternatives_get_a_time_from_each(app, world, save):
    ana, _ = ana_with_haircut(world, save)
    reply = Texter(app, ana.phone).say("can we do wed or thurs instead")
    # Not before Wednesday 10:00: the 24-hour notice window.
    assert reply.startswith("Maria can do your Haircut:\n1) Wed, Nov 25 at 10:00 AM\n2) Wed, Nov 25 at 2:00 PM\n3) Thu, Nov 26 at 9:00 AM")


def test_alternatives_survive_the_question_which_appointment(app, world, save):
    ana, _, _ = ana_with_haircut_and_manicure(world, save, manicure="2026-12-08 10:00")
    texter = Texter(app, ana.phone)
    # Said on a Tuesday, "next friday" is this Friday or the one after: both are looked at.
    assert texter.say("can I move my appointment to next friday at 2").startswith("Which appointment")
    reply = texter.say("the haircut")
    assert "Fri, Nov 27 at 2:00 PM" in reply and "Fri, Dec 4 at 2:00 PM" in reply, reply


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
