"""Whole conversations against the dialogue, as (client says, bot replies)
pairs in English and Spanish: the language layer, the rules and the
availability search are the real ones, the bookings a fake in memory
(tests/dialog.py). What the database and the SMS channel add (transactions,
races, keywords, the outbox) is tested end to end in tests/e2e."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.conversation.state import Awaiting, ConversationState
from bot.domain.models import Status
from tests.dialog import Dialog
from tests.factories import NOW, show, standard_world

OLD = NOW - timedelta(days=10)


@pytest.fixture
def world():
    w = standard_world()
    w.salon.notification_phone = "+12125550188"
    w.salon.settings.cancellation_policy = "Please give 24 hours' notice."
    w.salon.settings.cancellation_policy_es = "Avísanos con 24 horas."
    return w


def ana_with_haircut(world, **kw):
    ana = world.add_client("Ana Garcia")
    return ana, world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD, **kw)


def ana_with_haircut_and_manicure(world, manicure="2026-12-02 10:00"):
    """Two upcoming appointments: a haircut with Maria on Friday, a manicure with Jordan after."""
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    mani = world.book(ana, ("Manicure", "Jordan", manicure), booked_at=OLD)
    return ana, cut, mani


def reminded(appt) -> ConversationState:
    """The state a reminder leaves: the bot asked C, R or X about this appointment
    (which has its id once a Dialog holds the world)."""
    assert appt.id is not None
    return ConversationState(awaiting=Awaiting.REMINDER_REPLY, appointment_id=appt.id, asked_at=NOW)


def dialog(world, client, **kw) -> Dialog:
    return Dialog(world, client, **kw)


# --- cancelling ------------------------------------------------------------------------

def test_x_to_a_reminder_then_no_keeps_it(world):
    ana, appt = ana_with_haircut(world)
    d = dialog(world, ana)
    d.state = reminded(appt)
    d.verify([
        ("X", "Reply YES to cancel…"),
        ("no keep it", "No problem, your Haircut with Maria on Fri, Nov 27 at 3:00 PM stays as it is."),
    ])
    assert appt.status == Status.BOOKED.value and d.changes == []


def test_cancel_then_yes(world):
    ana, appt = ana_with_haircut(world)
    d = dialog(world, ana)
    d.verify([
        ("I need to cancel my appointment",
         "Reply YES to cancel your Haircut with Maria on Fri, Nov 27 at 3:00 PM, or NO to keep it. "
         "Please give 24 hours' notice. Or reply R to pick a new time instead."),
        ("yes", "Done: your Haircut with Maria on Fri, Nov 27 at 3:00 PM is canceled. Reply R anytime to book again."),
    ])
    assert appt.status == Status.CANCELED.value and d.changes == [("canceled", appt.id)]


# --- rescheduling ----------------------------------------------------------------------

def test_move_to_an_exact_free_time(world):
    ana, appt = ana_with_haircut(world)
    dialog(world, ana).verify([
        ("can we do monday at 11 instead",
         "Maria is free Mon, Nov 30 at 11:00 AM. Reply YES to move your Haircut there, or NO to keep "
         "Fri, Nov 27 at 3:00 PM."),
        ("yes please", "Done! Your Haircut with Maria is now Mon, Nov 30 at 11:00 AM. See you then!"),
    ])
    assert show(appt.starts_at) == "2026-11-30 11:00"


def test_a_taken_time_gets_the_nearest_three_and_a_number_picks_one(world):
    ben = world.add_client("Ben Lee")
    world.book(ben, ("Haircut", "Maria", "2026-11-30 11:00"), booked_at=OLD)
    ana, appt = ana_with_haircut(world)
    dialog(world, ana).verify([
        ("can u do mon 11am",
         "Maria isn't free then. Nearest times for your Haircut:\n1) Mon, Nov 30 at 10:00 AM\n2) Mon, Nov 30 at 12:00 PM\n"
         "3) Mon, Nov 30 at 9:30 AM\nReply 1, 2 or 3, or tell me another day."),
        ("2", "Done! Your Haircut with Maria is now Mon, Nov 30 at 12:00 PM. See you then!"),
    ])
    assert show(appt.starts_at) == "2026-11-30 12:00"


def test_reschedule_without_a_time_offers_the_next_openings(world):
    ana, _ = ana_with_haircut(world)
    d = dialog(world, ana)
    assert d.say("I need to reschedule").startswith(
        "Maria can do your Haircut:\n1) Wed, Nov 25 at 10:00 AM\n2) Wed, Nov 25 at 6:00 PM\n3) Thu, Nov 26")
    assert d.say("yes") == "Great, which time? Reply 1, 2 or 3."
    assert d.say("the first one") == "Done! Your Haircut with Maria is now Wed, Nov 25 at 10:00 AM. See you then!"


def test_turning_down_the_times_keeps_it_and_anything_else_offers_the_next_ones(world):
    ana, appt = ana_with_haircut(world)
    d = dialog(world, ana)
    first = d.say("I need to reschedule")
    assert first.startswith("Maria can do your Haircut:\n1) Wed, Nov 25 at 10:00 AM")
    offered = set(re.findall(r"(?m)^\d\) (.+)$", first))
    more = d.say("do you have anything else?")
    assert more.startswith("Maria can do your Haircut:\n1) ")
    again = set(re.findall(r"(?m)^\d\) (.+)$", more))
    assert len(again) == 3 and not again & offered, (offered, again)
    third = set(re.findall(r"(?m)^\d\) (.+)$", d.say("any other times?")))
    assert len(third) == 3 and not third & (offered | again), (offered, again, third)
    d.verify([
        ("none of those work",
         "No problem, your Haircut with Maria on Fri, Nov 27 at 3:00 PM stays as it is. "
         "If another day or time suits you, just tell me."),
    ])
    assert show(appt.starts_at) == "2026-11-27 15:00"


def test_a_bare_time_keeps_the_date_of_the_appointment_being_moved(world):
    ana, _, mani = ana_with_haircut_and_manicure(world)
    d = dialog(world, ana)
    assert d.say("can I move the manicure").startswith("Jordan can do your Manicure:")
    # Not the haircut's Friday: the manicure's own day.
    d.verify([
        ("is 2:30 ok?", "Jordan is free Wed, Dec 2 at 2:30 PM. Reply YES to move your Manicure there, or NO to keep "
                        "Wed, Dec 2 at 10:00 AM."),
        ("yes", "Done! Your Manicure with Jordan is now Wed, Dec 2 at 2:30 PM. See you then!"),
    ])
    assert show(mani.starts_at) == "2026-12-02 14:30"


def test_a_day_with_nothing_free_says_so_before_the_nearest_times(world):
    ana, _ = ana_with_haircut(world)
    # The test salon is closed on Sundays: the reply says so, not that Maria is busy.
    reply = dialog(world, ana).say("can we do sunday instead")
    assert reply.startswith("We're closed on Sun, Nov 29. Nearest times for your Haircut with Maria:\n1) "), reply


def test_a_date_with_an_ordinal_is_a_date_not_an_option(world):
    ana, appt = ana_with_haircut(world)
    d = dialog(world, ana)
    assert d.say("I need to reschedule").startswith("Maria can do your Haircut:\n1) ")
    # "3rd" here is the day of the month: nothing is moved to the third time offered.
    assert d.say("december 3rd at 2?") == (
        "Maria is free Thu, Dec 3 at 2:00 PM. Reply YES to move your Haircut there, or NO to keep "
        "Fri, Nov 27 at 3:00 PM.")
    assert show(appt.starts_at) == "2026-11-27 15:00"


def test_the_group_primary_is_told_the_whole_group_moves_and_cancels(world):
    ana, ben = world.add_client("Ana Garcia"), world.add_client("Ben Lee")
    group = world.group(primary=ana)
    own = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), group=group, booked_at=OLD)
    member = world.book(ben, ("Blowout", "Jordan", "2026-11-27 15:00"), group=group, booked_at=OLD)
    d = dialog(world, ana)
    d.verify([
        ("can we do monday at 11 instead",
         "Your group can all come Mon, Nov 30 at 11:00 AM. Reply YES to move its 2 appointments there, or NO to "
         "keep Fri, Nov 27 at 3:00 PM."),
        ("yes", "Done! All 2 appointments of your group are now Mon, Nov 30 at 11:00 AM. See you then!"),
        ("cancel it please", "Reply YES to cancel all 2 appointments of your group on Mon, Nov 30 at 11:00 AM…"),
        ("yes", "Done: all 2 appointments of your group on Mon, Nov 30 at 11:00 AM are canceled.…"),
    ])
    assert [a.status for a in (own, member)] == ["canceled", "canceled"]


def test_a_window_gets_times_spread_across_it(world):
    ana, _ = ana_with_haircut(world)
    reply = dialog(world, ana).say("could we move it to thursday afternoon")
    assert reply == ("Maria can do your Haircut:\n1) Thu, Nov 26 at 12:00 PM\n2) Thu, Nov 26 at 2:30 PM\n3) Thu, Nov 26 at 4:45 PM\n"
                     "Reply 1, 2 or 3, or tell me another day or time.")


def test_offers_expire_and_are_checked_again(world):
    ana, _ = ana_with_haircut(world)
    d = dialog(world, ana)
    assert d.say("move it to monday morning").startswith("Maria can do your Haircut:\n1) Mon, Nov 30 at 9:00 AM")
    world.book(world.add_client("Ben Lee"), ("Blowout", "Maria", "2026-11-30 09:00"))
    d.now = NOW + timedelta(minutes=45)
    # 9:00 went meanwhile (a blowout to 9:45): fresh times nearest to it.
    assert d.say("1") == ("Those times are more than 30 minutes old. Here's what Maria has now:\n"
                          "1) Mon, Nov 30 at 9:45 AM\n2) Mon, Nov 30 at 10:15 AM\n3) Mon, Nov 30 at 10:45 AM\n"
                          "Reply 1, 2 or 3.")


def test_not_allowed_says_why_and_what_to_do(world):
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00", 75), booked_at=OLD)   # length set by hand
    d = dialog(world, ana)
    d.verify([
        ("move it to monday at 2",
         "Sorry, its length was set specially for you, so the team needs to find the new time. "
         "Please call us at (212) 555-0199. You can still cancel: reply X."),
    ])
    # The team has to move it: the conversation is put in front of them.
    assert d.flags == ["asked to move it; the team has to"]


def test_inside_the_window_offers_the_phone(world):
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Haircut", "Maria", "2026-11-24 16:00"), booked_at=OLD)
    dialog(world, ana).verify([
        ("can I move my appointment to tomorrow",
         "Sorry, appointments can only be moved online up to 24 hours before they start. "
         "Please call us at (212) 555-0199."),
    ])


def test_several_appointments_ask_which_unless_the_message_says(world):
    ana, _, mani = ana_with_haircut_and_manicure(world)
    dialog(world, ana).verify([
        ("cancel my appointment",
         "Which appointment do you mean?\n1) Haircut with Maria, Fri, Nov 27 at 3:00 PM\n"
         "2) Manicure with Jordan, Wed, Dec 2 at 10:00 AM\n"
         "Reply 1 or 2."),
        ("2", "Reply YES to cancel your Manicure with Jordan on Wed, Dec 2 at 10:00 AM, or NO to keep it.…"),
        ("yes", "Done: your Manicure with Jordan on Wed, Dec 2 at 10:00 AM is canceled.…"),
    ])
    assert mani.status == Status.CANCELED.value


@pytest.mark.parametrize("answer, staff", [("the nails one", "Jordan"), ("the manicure", "Jordan"), ("second one", "Jordan"),
                                           ("2", "Jordan"), ("the friday one", "Maria"), ("the haircut", "Maria"),
                                           ("the wednesday one", "Jordan")])
def test_which_appointment_answered_in_words(world, answer, staff):
    ana, _, _ = ana_with_haircut_and_manicure(world)
    d = dialog(world, ana)
    assert d.say("I need to reschedule").startswith("Which appointment do you mean?")
    assert d.say(answer).startswith(f"{staff} can do your {'Haircut' if staff == 'Maria' else 'Manicure'}:\n1) ")


# --- reminders, questions, people ------------------------------------------------------

def test_reply_c_to_a_reminder_confirms(world):
    ana, appt = ana_with_haircut(world)
    d = dialog(world, ana)
    d.state = reminded(appt)
    d.verify([
        ("C", "Thanks Ana, you're confirmed for Haircut with Maria on Fri, Nov 27 at 3:00 PM. See you then!"),
    ])
    assert appt.status == Status.CONFIRMED.value


def test_query_late_and_thanks(world):
    ana, _ = ana_with_haircut(world)
    d = dialog(world, ana)
    d.verify([
        ("what time is my appt again?", "Your Haircut with Maria is on Fri, Nov 27 at 3:00 PM."),
        ("running 10 min late sorry", "Thanks for letting us know, Ana. I've told the team you're on your way."),
        ("thanks!", "You're welcome, Ana!"),
    ])
    assert d.flags == ["running late"]


def test_asking_for_a_person_hands_off(world):
    ana, _ = ana_with_haircut(world)
    d = dialog(world, ana)
    d.verify([("can I talk to a real person",
               "OK, I've asked the team to reply to you here as soon as they can. You can also call us at (212) 555-0199.")])
    assert d.handed_off and d.flags == ["asked for a person"]


def test_two_misunderstood_messages_hand_off(world):
    ana, _ = ana_with_haircut(world)
    d = dialog(world, ana)
    d.verify([
        ("purple monkey dishwasher", "Sorry, I didn't get that. Reply R to reschedule, X to cancel, C to confirm, or HELP."),
        ("the moon is made of cheese", "Sorry, I'm not getting it. I've asked a team member to reply to you here."),
    ])
    assert d.handed_off


def test_a_misunderstood_answer_mid_exchange_gets_the_question_again(world):
    ana, appt = ana_with_haircut(world)
    dialog(world, ana).verify([
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
    assert show(appt.starts_at) == "2026-11-30 11:00"


def test_spanish_misunderstood_mid_exchange(world):
    carla = world.add_client("Carla Ruiz", language="es")
    world.book(carla, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    dialog(world, carla).verify([
        ("necesito cancelar mi cita", "Responde SI para cancelar…"),
        # (Folded to GSM-7 on the way out: "entendí" goes as "entendi", one segment cheaper than UCS-2.)
        ("eh", "Perdona, no te entendi. Responde SI para cancelar tu Haircut del vie 27 nov a las 3:00 pm, "
               "o NO para mantenerla. Avisanos con 24 horas."),
    ])


def test_help(world):
    ana, _ = ana_with_haircut(world)
    dialog(world, ana).verify([
        ("HELP", "Test Salon: reply R to reschedule, X to cancel, C to confirm. Call (212) 555-0199 for anything "
                 "else. Reply STOP to opt out."),
    ])


def test_stop_texting_me_opts_out_and_says_so(world):
    """Twilio answers only its exact keywords: a plain request is ours to answer, once."""
    ana, _ = ana_with_haircut(world)
    d = dialog(world, ana)
    d.verify([("stop texting me please", "You won't get more texts from Test Salon. Reply START to get them again.")])
    assert d.turns[-1].opted_out is True


# --- Spanish ---------------------------------------------------------------------------

def test_spanish_cancel(world):
    rosa = world.add_client("Rosa Martinez", language="es")
    appt = world.book(rosa, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    dialog(world, rosa).verify([
        ("necesito cancelar mi cita",
         "Responde SI para cancelar tu Haircut con Maria el vie 27 nov a las 3:00 pm, o NO para mantenerla. "
         "Avisanos con 24 horas. O responde R para elegir otra hora."),
        ("si", "Listo: tu Haircut con Maria del vie 27 nov a las 3:00 pm esta cancelada. "
               "Responde R cuando quieras para reservar de nuevo."),
    ])
    assert appt.status == Status.CANCELED.value


def test_spanish_reschedule(world):
    rosa = world.add_client("Rosa Martinez", language="es")
    appt = world.book(rosa, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    dialog(world, rosa).verify([
        ("¿se puede cambiar al lunes a las 11?",
         "Maria tiene libre el lun 30 nov a las 11:00 am. Responde SI para mover tu Haircut, o NO para mantener "
         "el vie 27 nov a las 3:00 pm."),
        ("sí", "¡Listo! Tu Haircut con Maria ahora es el lun 30 nov a las 11:00 am. ¡Te esperamos!"),
    ])
    assert show(appt.starts_at) == "2026-11-30 11:00"


def test_a_client_on_file_as_english_who_writes_spanish_gets_it_all_in_spanish(world):
    world.services["Haircut"].name_es = "Corte de pelo"
    ana, _ = ana_with_haircut(world)
    dialog(world, ana).verify([
        ("necesito cancelar mi cita",
         "Responde SI para cancelar tu Corte de pelo con Maria el vie 27 nov a las 3:00 pm, o NO para mantenerla. "
         "Avisanos con 24 horas. O responde R para elegir otra hora."),
        ("no", "Sin problema, tu Corte de pelo con Maria el vie 27 nov a las 3:00 pm se queda como esta."),
    ])


# --- which appointment -----------------------------------------------------------------

def test_cancel_both_asks_once_for_both_and_cancels_both(world):
    ana, cut, mani = ana_with_haircut_and_manicure(world)
    d = dialog(world, ana)
    d.verify([
        ("please cancel both of my appointments",
         "Reply YES to cancel these 2:\n- Haircut with Maria, Fri, Nov 27 at 3:00 PM\n"
         "- Manicure with Jordan, Wed, Dec 2 at 10:00 AM\nor NO to keep them. Please give 24 hours' notice."),
        ("yes", "Done, canceled:\n- Haircut with Maria, Fri, Nov 27 at 3:00 PM\n"
                "- Manicure with Jordan, Wed, Dec 2 at 10:00 AM Reply R anytime to book again."),
    ])
    assert [a.status for a in (cut, mani)] == ["canceled"] * 2


def test_which_answered_with_two_numbers_asks_once_for_both(world):
    ana, cut, mani = ana_with_haircut_and_manicure(world)
    dialog(world, ana).verify([
        ("I need to cancel", "Which appointment do you mean?…"),
        ("1 and 2", "Reply YES to cancel these 2:…"),
        ("no", "OK, nothing has changed."),
    ])
    assert [a.status for a in (cut, mani)] == ["booked"] * 2


def test_and_the_other_one_too_after_a_cancel_is_the_other_one(world):
    ana, cut, mani = ana_with_haircut_and_manicure(world)
    dialog(world, ana).verify([
        ("cancel my haircut", "Reply YES to cancel your Haircut…"),
        ("yes", "Done: your Haircut…"),
        ("and the other one too", "Reply YES to cancel your Manicure with Jordan…"),
        ("yes", "Done: your Manicure…"),
    ])
    assert [a.status for a in (cut, mani)] == ["canceled"] * 2


def test_moving_two_goes_one_after_the_other(world):
    ana, cut, mani = ana_with_haircut_and_manicure(world)
    d = dialog(world, ana)
    assert d.say("I need to reschedule").startswith("Which appointment")
    assert d.say("both").startswith("Maria can do your Haircut:\n1) ")
    second = d.say("1")
    assert second.startswith("Done! Your Haircut with Maria is now") and "Jordan can do your Manicure:\n1) " in second
    assert d.say("1").startswith("Done! Your Manicure with Jordan is now")
    assert d.changes == [("moved", cut.id), ("moved", mani.id)]


def test_which_answered_with_a_number_not_listed_is_not_taken(world):
    ana = world.add_client("Ana Garcia")
    for day in ("2026-11-27", "2026-11-28", "2026-12-01", "2026-12-02"):
        world.book(ana, ("Haircut", "Maria", f"{day} 15:00"), booked_at=OLD)
    dialog(world, ana).verify([
        ("I need to reschedule", "Which appointment do you mean?…"),
        ("4", "Sorry, I didn't get that. Which appointment? Reply 1, 2 or 3."),
    ])


def test_more_appointments_than_listed_are_reached_by_their_day(world):
    ana = world.add_client("Ana Garcia")
    for day in ("2026-11-27", "2026-11-28", "2026-12-01", "2026-12-02"):
        world.book(ana, ("Haircut", "Maria", f"{day} 15:00"), booked_at=OLD)
    d = dialog(world, ana)
    assert d.say("I need to cancel").endswith("(or tell me the day or service of another)\nReply 1, 2 or 3.")
    d.verify([("the one on dec 2", "Reply YES to cancel your Haircut with Maria on Wed, Dec 2 at 3:00 PM…")])


def test_a_service_named_twice_is_asked_about_among_those_not_the_one_just_discussed(world):
    ana = world.add_client("Ana Garcia")
    cut1 = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    world.book(ana, ("Blowout", "Maria", "2026-11-28 10:00"), booked_at=OLD)
    cut2 = world.book(ana, ("Haircut", "Jordan", "2026-12-05 11:00"), booked_at=OLD)
    d = dialog(world, ana)
    d.verify([
        ("when's my blowout?", "Your Blowout with Maria is on Sat, Nov 28 at 10:00 AM."),
        # Not the blowout just talked about: one of the two haircuts, asked which.
        ("can you move my haircut to wednesday at 3pm",
         "Which appointment do you mean?\n1) Haircut with Maria, Fri, Nov 27 at 3:00 PM\n"
         "2) Haircut with Jordan, Sat, Dec 5 at 11:00 AM\nReply 1 or 2."),
        ("2", "Jordan is free Wed, Nov 25 at 3:00 PM. Reply YES to move your Haircut there…"),
    ])
    both = d.say("what time are my haircuts?")
    assert "Haircut with Jordan" in both and "Haircut with Maria" in both and "Blowout" not in both, both
    assert [show(a.starts_at) for a in (cut1, cut2)] == ["2026-11-27 15:00", "2026-12-05 11:00"]


def test_while_asked_to_confirm_a_cancel_nothing_but_a_yes_cancels_and_only_what_was_asked(world):
    ana, cut, mani = ana_with_haircut_and_manicure(world)
    dialog(world, ana).verify([
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
    assert [a.status for a in (cut, mani)] == ["canceled", "booked"]


def test_a_reminder_does_not_stand_for_a_service_the_client_names(world):
    ana = world.add_client("Ana Garcia")
    blow = world.book(ana, ("Blowout", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    world.book(ana, ("Haircut", "Maria", "2026-12-02 10:00"), booked_at=OLD)
    world.book(ana, ("Haircut", "Jordan", "2026-12-05 10:00"), booked_at=OLD)
    d = dialog(world, ana)
    d.state = reminded(blow)
    # Both haircuts (the plural), and not the blowout the reminder was about.
    d.verify([
        ("cancel my haircuts", "Reply YES to cancel these 2:\n- Haircut with Maria, Wed, Dec 2 at 10:00 AM\n"
                               "- Haircut with Jordan, Sat, Dec 5 at 10:00 AM\nor NO to keep them.…"),
    ])


def test_i_meant_the_other_one_mid_offer_switches_to_it(world):
    ana, _, _ = ana_with_haircut_and_manicure(world)
    d = dialog(world, ana)
    assert d.say("can I move my haircut").startswith("Maria can do your Haircut:")
    assert d.say("wrong one, I meant the manicure").startswith("Jordan can do your Manicure:")
    d.verify([("would moving it cost extra?", "Sorry, I didn't get that. Reply 1, 2 or 3 to pick a time…")])


def test_alternatives_get_a_time_from_each(world):
    ana, _ = ana_with_haircut(world)
    reply = dialog(world, ana).say("can we do wed or thurs instead")
    # Not before Wednesday 10:00: the 24-hour notice window.
    assert reply.startswith("Maria can do your Haircut:\n1) Wed, Nov 25 at 10:00 AM\n2) Wed, Nov 25 at 2:00 PM\n3) Thu, Nov 26 at 9:00 AM")


def test_alternatives_survive_the_question_which_appointment(world):
    ana, _, _ = ana_with_haircut_and_manicure(world, manicure="2026-12-08 10:00")
    d = dialog(world, ana)
    # Said on a Tuesday, "next friday" is this Friday or the one after: both are looked at.
    assert d.say("can I move my appointment to next friday at 2").startswith("Which appointment")
    reply = d.say("the haircut")
    assert "Fri, Nov 27 at 2:00 PM" in reply and "Fri, Dec 4 at 2:00 PM" in reply, reply


# --- what our texts offer, after it is done --------------------------------------------

def test_the_letters_our_texts_offer_work_where_they_are_offered(world):
    ana = world.add_client("Ana Garcia")
    edited = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00", 75), booked_at=OLD)   # length set by hand
    dialog(world, ana).verify([
        ("can I move it", "Sorry, its length was set specially for you…You can still cancel: reply X."[:40] + "…"),
        ("X", "Reply YES to cancel your Haircut with Maria on Fri, Nov 27 at 3:00 PM…"),
        ("x", "Done: your Haircut with Maria on Fri, Nov 27 at 3:00 PM is canceled. Reply R anytime to book again."),
        # Booking it again would copy the length the team set: that is theirs to do.
        ("R", "Sorry, its length was set specially for you…"),
    ])
    assert edited.status == Status.CANCELED.value


def test_r_after_a_cancel_books_again_with_the_same_staff(world):
    ana, appt = ana_with_haircut(world)
    d = dialog(world, ana)
    d.verify([
        ("cancel my appointment", "Reply YES to cancel…"),
        ("yes", "Done: your Haircut with Maria on Fri, Nov 27 at 3:00 PM is canceled. Reply R anytime to book again."),
        ("R", "Maria can do your Haircut:\n1) …"),
        ("1", "Done! You're booked for Haircut with Maria on…"),
    ])
    (kind, new_id), = [change for change in d.changes if change[0] == "booked"]
    new = d.salon.appointment(new_id)
    assert new is not appt and new.client is ana and new.lines[0].staff.name == "Maria"


def test_a_question_while_times_are_on_offer_keeps_them(world):
    ana, _ = ana_with_haircut(world)
    d = dialog(world, ana)
    assert d.say("I need to reschedule").startswith("Maria can do")
    d.verify([("wait what time is my appointment now?", "Your Haircut with Maria is on Fri, Nov 27 at 3:00 PM.")])
    assert d.say("ok the first one").startswith("Done! Your Haircut with Maria is now Wed, Nov 25 at 10:00 AM")


def test_thanks_ok_and_a_thumbs_up_after_it_is_done_need_no_answer_and_no_person(world):
    ana, _ = ana_with_haircut(world)
    d = dialog(world, ana)
    d.verify([
        ("when is my appointment", "Your Haircut with Maria is on Fri, Nov 27 at 3:00 PM."),
        ("thanks!", "You're welcome, Ana!"),
        ("ok", None),
        ("ok cool", None),
        ("👍", None),
        ("?", "Test Salon: reply R to reschedule…"),
    ])
    assert not d.handed_off


def test_a_bare_time_while_one_days_times_are_offered_is_on_that_day(world):
    ana, _ = ana_with_haircut(world)
    d = dialog(world, ana)
    assert d.say("could we move it to monday afternoon").startswith("Maria can do your Haircut:\n1) Mon, Nov 30")
    d.verify([("is 1:15 possible?", "Maria is free Mon, Nov 30 at 1:15 PM. Reply YES to move your Haircut there…")])


def test_hi_with_nothing_booked(world):
    ana = world.add_client("Ana Garcia")
    dialog(world, ana).verify([("hi", "I don't see an upcoming appointment for you at Test Salon. "
                                      "Please call us at (212) 555-0199.")])


def test_a_move_never_puts_the_client_in_two_chairs_at_once(world):
    ana, cut, _ = ana_with_haircut_and_manicure(world)      # manicure with Jordan Wed Dec 2, 10:00-10:45
    reply = dialog(world, ana).say("can I move my haircut to wednesday dec 2 at 10?")
    # Maria is free then, but Ana is at her manicure: that is what she is told.
    assert reply.startswith("You have another appointment then. Nearest times for your Haircut with Maria:"), reply
    assert "10:00 AM" not in reply and "10:30 AM" not in reply, reply
    assert show(cut.starts_at) == "2026-11-27 15:00"


def test_a_follow_up_reply_books_a_new_appointment_with_the_same_staff(world):
    ana = world.add_client("Ana Garcia")
    old = world.book(ana, ("Haircut", "Maria", "2026-11-23 15:00"), booked_at=OLD, status=Status.CANCELED)
    d = dialog(world, ana)
    d.state = ConversationState(awaiting=Awaiting.FOLLOWUP, appointment_id=old.id, asked_at=NOW)
    assert d.say("R").startswith("Maria can do your Haircut:\n1) Wed, Nov 25 at 10:00 AM")
    assert d.say("1") == "Done! You're booked for Haircut with Maria on Wed, Nov 25 at 10:00 AM. See you then!"
    (kind, new_id), = d.changes
    new = d.salon.appointment(new_id)
    assert kind == "booked" and [(l.service.name, l.staff.name, show(l.starts_at)) for l in new.lines] == \
        [("Haircut", "Maria", "2026-11-25 10:00")] and new.booked_via == "online"


def test_an_old_offer_is_looked_at_afresh_before_anything_is_booked(world):
    """Offered times stand for the salon's 30 minutes: chosen later, even
    when still free, they are offered again rather than booked."""
    ana, appt = ana_with_haircut(world)
    d = dialog(world, ana)
    assert d.say("move it to monday morning").startswith("Maria can do your Haircut:\n1) Mon, Nov 30 at 9:00 AM")
    d.now = NOW + timedelta(hours=5)
    assert d.say("1") == ("Those times are more than 30 minutes old. Here's what Maria has now:\n"
                          "1) Mon, Nov 30 at 9:00 AM\n2) Mon, Nov 30 at 9:30 AM\n3) Mon, Nov 30 at 10:00 AM\n"
                          "Reply 1, 2 or 3.")
    assert show(appt.starts_at) == "2026-11-27 15:00" and d.changes == []
    assert d.say("1") == "Done! Your Haircut with Maria is now Mon, Nov 30 at 9:00 AM. See you then!"
