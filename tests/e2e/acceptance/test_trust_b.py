"""Acceptance set B: whole SMS conversations played as salon clients would text,
through the real signed webhook, in English and Spanish, checked on the database.

Test names say the kind (k1..k6, see tests/e2e/acceptance/README.md "Set B") and
the language. "Now" is Tue 2026-11-24 10:00 America/New_York; the salon is open
09:00-19:00 Monday to Saturday unless a test builds other hours; the default
notice window is 24 hours (so nothing moves before Wed Nov 25 10:00).

Calendar: Wed Nov 25, Thu 26, Fri 27, Sat 28, (Sun 29 closed), Mon 30,
Tue Dec 1, Wed 2, Thu 3, Fri 4, Sat 5, ...

Every conversation checks: exactly the appointments the client meant changed
(Play.expect), no double booking, every reply fits two SMS segments (Play.say),
the salon's notice queued per change, and the staff flag where the README says.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.e2e.acceptance._play_b import (  # noqa: F401  (fixtures)
    NOW, OLD, SALON_PHONE, Play, app, asks_yes_no, book_directly, client_row, clock, minutes_of, offers, on_day,
    proposed, reminded, salon, save, segments, times_in,
)


def nearest_to(target: str):
    """Order offered times by closeness to the wanted one, a later one first on a tie."""
    return lambda when: (abs(minutes_of(when) - minutes_of(target)) if when[:10] == target[:10] else 10_000,
                         -minutes_of(when))


def test_segments_helper():
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2 and segments("a" * 306) == 2
    assert segments("a" * 307) == 3 and segments("[" * 80) == 1 and segments("[" * 81) == 2
    assert segments("ó" * 70) == 1 and segments("ó" * 71) == 2 and segments("ó" * 135) == 3
    assert segments("día " * 10) == 1      # 'í' is not GSM-7: UCS-2, 40 units


# =====================================================================================
# 1. Day and time together
# =====================================================================================

def test_k1_en_friday_at_5pm_is_free_yes_moves_it(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-30 11:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("Hi! could I do friday at 5pm instead?")
    # Said on a Tuesday, "friday" is this Friday, Nov 27.
    p.check(proposed(p.last) == "2026-11-27 17:00", "a free exact time gets a YES/NO question")
    p.take("2026-11-27 17:00")
    p.expect(moved={cut.id: "2026-11-27 17:00"})
    p.expect_salon_told(1)


def test_k1_en_tuesday_the_1st_at_1pm_moves_the_haircut_not_the_manicure(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    world.book(ana, ("Manicure", "Jordan", "2026-12-03 10:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("can you move my haircut to tuesday the 1st at 1pm")
    p.check(proposed(p.last) == "2026-12-01 13:00", "a free exact time gets a YES/NO question")
    p.take("2026-12-01 13:00", yes="yes please")
    p.expect(moved={cut.id: "2026-12-01 13:00"})
    p.expect_salon_told(1)


def test_k1_en_taken_time_gets_the_nearest_around_it(app, db):
    world = salon()
    ben = world.add_client("Ben Lee")
    world.book(ben, ("Blowout", "Maria", "2026-11-26 14:00"), booked_at=OLD)     # Maria busy 14:00-14:45
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("can we do thursday at 2pm?")
    offered = offers(p.last)
    p.check(len(offered) >= 2 and all(w.startswith("2026-11-26") and abs(minutes_of(w) - 14 * 60) <= 120
                                      for w in offered.values()), "nearest times around 2pm on that Thursday")
    p.check(not any(13 * 60 < minutes_of(w) < 14 * 60 + 45 for w in offered.values()), "no time clashing with Ben")
    p.check("2026-11-26 14:45" in offered.values(), "2:45, the nearest free start, is offered")
    number, when = p.pick(on_day("2026-11-26"), prefer=nearest_to("2026-11-26 14:00"))
    p.say(f"{number} please")
    p.expect(moved={cut.id: when})
    p.expect_salon_told(1)


def test_k1_en_exact_time_then_no_keeps_it(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("wednesday at 3?")
    p.check(proposed(p.last) == "2026-11-25 15:00", "a free exact time gets a YES/NO question")
    p.say("no, never mind, I'll keep friday")
    p.expect()
    p.expect_salon_told(0)


def test_k1_en_after_closing_gets_times_inside_the_hours(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("can we do saturday at 8pm")      # the salon closes at 7
    offered = offers(p.last)
    p.check(offered and all(w.startswith("2026-11-28") and 9 * 60 <= minutes_of(w) <= 18 * 60
                            for w in offered.values()), "Saturday times that end by closing")
    number, when = p.pick(on_day("2026-11-28"), prefer=lambda w: -minutes_of(w))    # the latest suits her
    p.say(number)
    p.expect(moved={cut.id: when})


def test_k1_en_many_appointments_names_service_day_and_time(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Haircut", "Maria", "2026-11-27 10:00"), booked_at=OLD)
    world.book(ana, ("Manicure", "Jordan", "2026-11-27 11:30"), booked_at=OLD)
    blow = world.book(ana, ("Blowout", "Maria", "2026-11-28 10:00"), booked_at=OLD)
    world.book(ana, ("Pedicure", "Sam", "2026-12-02 14:00"), booked_at=OLD)
    world.book(ana, ("Color", "Maria", "2026-12-05 11:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("can I move my blowout on saturday to monday at 4pm")
    p.take("2026-11-30 16:00")
    p.expect(moved={blow.id: "2026-11-30 16:00"})
    p.expect_salon_told(1)


def test_k1_es_el_jueves_a_las_4_de_la_tarde(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    cut = world.book(rosa, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("Hola, ¿puedo cambiar mi cita al jueves a las 4 de la tarde?")
    p.check(proposed(p.last) == "2026-11-26 16:00", "a free exact time gets a YES/NO question")
    p.take("2026-11-26 16:00", yes="sí")
    p.expect(moved={cut.id: "2026-11-26 16:00"})
    p.expect_salon_told(1)


def test_k1_es_el_martes_1_a_la_1_moves_the_blowout_only(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    blow = world.book(rosa, ("Blowout", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    world.book(rosa, ("Manicure", "Jordan", "2026-12-03 10:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("quiero mover el peinado al martes 1 a la 1 de la tarde")
    p.check(proposed(p.last) == "2026-12-01 13:00", "a free exact time gets a YES/NO question")
    p.take("2026-12-01 13:00", yes="si")
    p.expect(moved={blow.id: "2026-12-01 13:00"})


def test_k1_es_viernes_a_las_11_ocupado_da_las_mas_cercanas(app, db):
    world = salon()
    ben = world.add_client("Ben Lee")
    world.book(ben, ("Haircut", "Jordan", "2026-11-27 11:00"), booked_at=OLD)      # Jordan busy 11:00-12:00
    rosa = world.add_client("Rosa Martinez", language="es")
    mani = world.book(rosa, ("Manicure", "Jordan", "2026-12-02 10:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("¿me la puedes pasar al viernes a las 11 de la mañana?")
    offered = offers(p.last)
    p.check(len(offered) >= 2 and all(w.startswith("2026-11-27") and abs(minutes_of(w) - 11 * 60) <= 180
                                      for w in offered.values()), "nearest times around 11 that Friday")
    p.check(not any(10 * 60 + 15 <= minutes_of(w) < 12 * 60 for w in offered.values()),
            "no time that clashes with Ben (or with his booking through the manicure's buffer)")
    number, when = p.pick(on_day("2026-11-27"), prefer=nearest_to("2026-11-27 11:00"))
    p.say(f"la {number}")
    p.expect(moved={mani.id: when})


def test_k1_es_sabado_a_las_9_antes_de_abrir_a_las_10(app, db):
    world = salon(hours=("10:00", "20:00"))
    rosa = world.add_client("Rosa Martinez", language="es")
    cut = world.book(rosa, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("¿se puede el sábado a las 9 de la mañana?")
    offered = offers(p.last)
    p.check(offered and all(w.startswith("2026-11-28") and minutes_of(w) >= 10 * 60 for w in offered.values()),
            "Saturday times from opening (10:00)")
    p.take("2026-11-28 10:00", yes="sí")
    p.expect(moved={cut.id: "2026-11-28 10:00"})


def test_k1_en_move_my_friday_one_to_monday_at_5(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 10:00"), booked_at=OLD)
    world.book(ana, ("Blowout", "Maria", "2026-11-28 10:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("can you move my friday appointment to monday at 5")
    # "at 5" for a salon appointment is 5 PM (the salon opens at 9).
    p.take("2026-11-30 17:00")
    p.expect(moved={cut.id: "2026-11-30 17:00"})


# =====================================================================================
# 2. Relative to the appointment
# =====================================================================================

def test_k2_en_earlier_the_same_day(app, db):
    world = salon()
    ben = world.add_client("Ben Lee")
    world.book(ben, ("Keratin", "Maria", "2026-11-27 09:00"), booked_at=OLD)      # Maria busy 9:00-11:30
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("is there anything earlier the same day?")
    offered = offers(p.last)
    p.check(offered and all(w.startswith("2026-11-27") and 11 * 60 + 30 <= minutes_of(w) < 15 * 60
                            for w in offered.values()), "earlier times on Friday, clear of Ben")
    number, when = p.pick(on_day("2026-11-27"), prefer=minutes_of)
    p.say(number)
    p.expect(moved={cut.id: when})
    p.expect_salon_told(1)


def test_k2_en_later_that_day_then_anything_else_never_repeats(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 12:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("anything later that day?")
    first = set(offers(p.last).values())
    p.check(first and all(w.startswith("2026-11-27") and 12 * 60 < minutes_of(w) <= 18 * 60 for w in first),
            "later times on Friday")
    p.say("anything else?")
    second = set(offers(p.last).values())
    p.check(second and not second & first, "new times, not the ones already offered")
    p.check(all(w.startswith("2026-11-27") and 12 * 60 < minutes_of(w) <= 18 * 60 for w in second),
            "still later that Friday")
    number, when = p.pick(lambda w: True, prefer=lambda w: -minutes_of(w))
    p.say(number)
    p.expect(moved={cut.id: when})


def test_k2_en_push_it_back_30_min(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("can you push it back 30 min?")
    p.take("2026-11-27 15:30")
    p.expect(moved={cut.id: "2026-11-27 15:30"})
    p.expect_salon_told(1)


def test_k2_en_an_hour_earlier(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("could I come in an hour earlier?")
    p.take("2026-11-27 14:00")
    p.expect(moved={cut.id: "2026-11-27 14:00"})


def test_k2_en_same_time_next_week(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("something came up, can we do same time next week?")
    p.take("2026-12-04 15:00", yes="yes thanks")
    p.expect(moved={cut.id: "2026-12-04 15:00"})


def test_k2_en_push_back_when_taken_offers_later_times(app, db):
    world = salon()
    ben = world.add_client("Ben Lee")
    world.book(ben, ("Blowout", "Maria", "2026-11-27 16:00"), booked_at=OLD)      # Maria busy 16:00-16:45
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("can you push my appointment back 30 min?")
    offered = offers(p.last)
    # 3:30 is taken. She asked for later: a receptionist offers later times that day, never earlier
    # ones nor her own 3:00 again ("later means later").
    p.check(offered and all(w > "2026-11-27 15:00" and w.startswith("2026-11-27") for w in offered.values()),
            "only later times that Friday")
    number, when = p.pick(lambda w: w > "2026-11-27 15:00", prefer=nearest_to("2026-11-27 15:30"))
    p.say(number)
    p.expect(moved={cut.id: when})


def test_k2_en_an_hour_later_never_into_her_own_manicure(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    world.book(ana, ("Manicure", "Jordan", "2026-11-27 16:30"), booked_at=OLD)    # she is in Jordan's chair 16:30-17:15
    save(db, world)
    p = Play(app, db, ana)
    p.say("can I move my haircut an hour later?")
    offered = offers(p.last)
    p.check(offered, "times are offered (4:00 would overlap her manicure)")
    p.check(all(w.startswith("2026-11-27") and w > "2026-11-27 15:00" for w in offered.values()),
            "later means later, that Friday")
    p.check(not any(15 * 60 + 30 < minutes_of(w) < 17 * 60 + 15 for w in offered.values()),
            "never a time overlapping her manicure")
    number, when = p.pick(lambda w: True, prefer=nearest_to("2026-11-27 16:00"))
    p.say(number)
    p.expect(moved={cut.id: when})


def test_k2_es_algo_mas_temprano_ese_mismo_dia(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    cut = world.book(rosa, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("¿hay algo más temprano ese mismo día?")
    offered = offers(p.last)
    p.check(offered and all(w.startswith("2026-11-27") and minutes_of(w) < 15 * 60 for w in offered.values()),
            "earlier times on Friday")
    number, when = p.pick(on_day("2026-11-27"), prefer=minutes_of)
    p.say(number)
    p.expect(moved={cut.id: when})


def test_k2_es_retrasar_media_hora(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    cut = world.book(rosa, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("¿se puede retrasar media hora?")
    p.take("2026-11-27 15:30", yes="sí")
    p.expect(moved={cut.id: "2026-11-27 15:30"})


def test_k2_es_una_hora_antes(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    cut = world.book(rosa, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("¿puedo ir una hora antes?")
    p.take("2026-11-27 14:00", yes="si")
    p.expect(moved={cut.id: "2026-11-27 14:00"})


def test_k2_es_a_la_misma_hora_la_semana_que_viene(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    cut = world.book(rosa, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("¿me la cambias a la misma hora la semana que viene?")
    p.take("2026-12-04 15:00", yes="sí, gracias")
    p.expect(moved={cut.id: "2026-12-04 15:00"})


def test_k2_es_mas_tarde_ese_dia_y_algo_mas_nunca_repite(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    cut = world.book(rosa, ("Haircut", "Maria", "2026-11-27 12:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("¿tienes algo más tarde ese día?")
    first = set(offers(p.last).values())
    p.check(first and all(w.startswith("2026-11-27") and minutes_of(w) > 12 * 60 for w in first),
            "later times on Friday")
    p.say("¿algo más?")
    second = set(offers(p.last).values())
    p.check(second and not second & first, "new times, not the ones already offered")
    p.check(all(w.startswith("2026-11-27") and minutes_of(w) > 12 * 60 for w in second), "still later that Friday")
    number, when = p.pick(lambda w: True)
    p.say(number)
    p.expect(moved={cut.id: when})


@pytest.mark.xfail(strict=True, reason="issue 10: an appointment named by its hour is asked about again")
def test_k2_es_la_de_las_10_del_viernes_a_la_misma_hora_la_semana_que_viene(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    appts = many(world, rosa, 4)                        # Friday: haircut 10:00 with Maria, manicure 11:30 with Jordan
    save(db, world)
    p = Play(app, db, rosa)
    # Two on Friday, but "la de las 10" says which: README is silent on naming one by its hour; a
    # receptionist would not ask again.
    p.say("la cita de las 10 del viernes, ¿se puede a la misma hora la semana que viene?")
    p.take("2026-12-04 10:00", yes="sí")
    p.expect(moved={appts[0].id: "2026-12-04 10:00"})


# =====================================================================================
# 3. Parts of the day follow the salon's hours
# =====================================================================================

def test_k3_en_saturday_morning_starts_when_a_10am_salon_opens(app, db):
    world = salon(hours=("10:00", "20:00"))
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("do you have anything saturday morning?")
    offered = offers(p.last)
    p.check(offered and all(w.startswith("2026-11-28") and 10 * 60 <= minutes_of(w) < 12 * 60
                            for w in offered.values()), "Saturday morning, from 10:00")
    p.take("2026-11-28 10:00")
    p.expect(moved={cut.id: "2026-11-28 10:00"})


def test_k3_en_tuesday_morning_at_an_8am_salon_includes_8(app, db):
    world = salon(hours=("08:00", "20:00"))
    ana = world.add_client("Ana Garcia")
    blow = world.book(ana, ("Blowout", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("can we do tuesday morning instead")
    offered = offers(p.last)
    p.check(offered and all(w.startswith("2026-12-01") and 8 * 60 <= minutes_of(w) < 12 * 60
                            for w in offered.values()), "next Tuesday morning, from 8:00")
    p.take("2026-12-01 08:00")
    p.expect(moved={blow.id: "2026-12-01 08:00"})


def test_k3_en_friday_evening_at_a_salon_open_till_8(app, db):
    world = salon(hours=("10:00", "20:00"))
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-12-02 11:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("could I come friday evening instead?")
    offered = offers(p.last)
    # README is silent on "evening": a receptionist of a salon open till 8 offers from about 5 until the
    # last haircut that fits (7:00), so the evening reaches past 6.
    p.check(offered and all(w.startswith("2026-11-27") and 16 * 60 <= minutes_of(w) <= 19 * 60
                            for w in offered.values()), "Friday evening times ending by 8")
    p.check(max(minutes_of(w) for w in offered.values()) >= 18 * 60, "the evening runs until closing")
    number, when = p.pick(lambda w: True, prefer=lambda w: -minutes_of(w))
    p.say(number)
    p.expect(moved={cut.id: when})


def test_k3_en_morning_follows_the_stylists_hours(app, db):
    world = salon(hours=("08:00", "20:00"), staff_hours={"Maria": ("11:00", "20:00")})
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("any chance of saturday morning?")
    offered = offers(p.last)
    p.check(offered and all(w.startswith("2026-11-28") and minutes_of(w) >= 11 * 60 for w in offered.values()),
            "Maria starts at 11: nothing before")
    p.take("2026-11-28 11:00")
    p.expect(moved={cut.id: "2026-11-28 11:00"})


def test_k3_en_first_thing_monday_at_an_8am_salon(app, db):
    world = salon(hours=("08:00", "20:00"))
    ana = world.add_client("Ana Garcia")
    trim = world.book(ana, ("Trim", "Sam", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("can I come first thing monday?")
    p.take("2026-11-30 08:00")
    p.expect(moved={trim.id: "2026-11-30 08:00"})


def test_k3_en_a_day_the_salon_is_closed_offers_open_days(app, db):
    world = salon(open_days=(1, 2, 3, 4, 5))          # Tuesday to Saturday
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("what about monday morning?")
    offered = offers(p.last)
    p.check(offered and not any(w.startswith(("2026-11-29", "2026-11-30")) for w in offered.values()),
            "nothing on a closed day")
    number, when = p.pick(lambda w: True)
    p.say(number)
    p.expect(moved={cut.id: when})


def test_k3_es_sabado_por_la_manana_desde_las_10(app, db):
    world = salon(hours=("10:00", "20:00"))
    rosa = world.add_client("Rosa Martinez", language="es")
    cut = world.book(rosa, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("¿tienes algo el sábado por la mañana?")
    offered = offers(p.last)
    p.check(offered and all(w.startswith("2026-11-28") and 10 * 60 <= minutes_of(w) < 12 * 60
                            for w in offered.values()), "Saturday morning, from 10:00")
    p.take("2026-11-28 10:00", yes="sí")
    p.expect(moved={cut.id: "2026-11-28 10:00"})


def test_k3_es_lunes_por_la_tarde_hasta_las_8(app, db):
    world = salon(hours=("08:00", "20:00"))
    rosa = world.add_client("Rosa Martinez", language="es")
    cut = world.book(rosa, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("¿y el lunes por la tarde?")
    offered = offers(p.last)
    p.check(offered and all(w.startswith("2026-11-30") and 12 * 60 <= minutes_of(w) <= 19 * 60
                            for w in offered.values()), "Monday afternoon times that end by 8")
    number, when = p.pick(lambda w: True)
    p.say(number)
    p.expect(moved={cut.id: when})


# =====================================================================================
# 4. Follow-ups within one conversation
# =====================================================================================

def test_k4_en_none_of_those_then_saturday_morning_is_the_same_appointment(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    mani = world.book(ana, ("Manicure", "Jordan", "2026-12-02 10:00"), booked_at=OLD)
    world.book(ana, ("Blowout", "Sam", "2026-12-03 12:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("I need to reschedule my manicure")
    p.check(offers(p.last), "times for the manicure")
    p.say("none of those work")
    p.expect()
    p.say("what about saturday morning?")
    offered = offers(p.last)
    p.check(offered and all(w.startswith("2026-11-28") and minutes_of(w) < 12 * 60 for w in offered.values()),
            "Saturday morning times")
    p.check("Manicure" in p.last, "the list names the service being moved (README)")
    number, when = p.pick(lambda w: True, prefer=minutes_of)
    p.say(number)
    p.expect(moved={mani.id: when})
    p.expect_salon_told(1)


def test_k4_en_none_of_those_then_tuesday_the_1st_at_1pm(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    ped = world.book(ana, ("Pedicure", "Sam", "2026-12-04 11:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("can I reschedule the pedicure")
    p.check(offers(p.last), "times for the pedicure")
    p.say("none of those work for me")
    p.say("what about tuesday the 1st at 1pm?")
    p.take("2026-12-01 13:00")
    p.expect(moved={ped.id: "2026-12-01 13:00"})


def test_k4_en_topic_about_my_trim_on_the_2nd_holds(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    trim = world.book(ana, ("Trim", "Sam", "2026-12-02 14:00"), booked_at=OLD)
    world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    world.book(ana, ("Trim", "Sam", "2026-12-12 10:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("hi, about my trim on the 2nd")
    p.say("can it be an hour later?")
    p.take("2026-12-02 15:00")
    p.expect(moved={trim.id: "2026-12-02 15:00"})


def test_k4_en_anything_else_gives_new_times_and_one_of_them_is_taken(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    mani = world.book(ana, ("Manicure", "Jordan", "2026-12-03 10:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("I need to reschedule")
    first = set(offers(p.last).values())
    p.check(first, "next openings")
    p.say("anything else?")
    second = offers(p.last)
    p.check(second and not set(second.values()) & first, "new times, not the same ones")
    number, when = p.pick(lambda w: True)
    p.say(f"#{number} works")
    p.expect(moved={mani.id: when})


def test_k4_en_picked_time_taken_meanwhile_gets_fresh_times(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    ben = world.add_client("Ben Lee")
    save(db, world)
    p = Play(app, db, ana)
    p.say("could we move it to monday afternoon")
    offered = offers(p.last)
    p.check(len(offered) >= 2, "Monday afternoon times")
    wanted = offered[2]
    book_directly(db, ben.id, "Haircut", "Maria", wanted)      # Ben phones in and takes it
    p.say("2")
    p.expect(new=1)                                             # only Ben's booking; hers did not move
    fresh = offers(p.last)
    p.check(fresh and wanted not in fresh.values(), "fresh times, without the one just taken")
    number, when = p.pick(lambda w: True)
    p.say(number)
    p.expect(moved={cut.id: when}, new=1)


def test_k4_en_bare_time_after_a_day_offer_keeps_that_day(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    world.book(ana, ("Manicure", "Jordan", "2026-12-05 10:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("can I move my haircut to monday")
    p.say("is 4 possible?")
    p.take("2026-11-30 16:00")
    p.expect(moved={cut.id: "2026-11-30 16:00"})


def test_k4_es_ninguna_y_luego_sabado_por_la_manana(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    world.book(rosa, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    mani = world.book(rosa, ("Manicure", "Jordan", "2026-12-02 10:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("necesito cambiar la manicura")
    p.check(offers(p.last), "horas para la manicura")
    p.say("ninguna me sirve")
    p.expect()
    p.say("¿y el sábado por la mañana?")
    offered = offers(p.last)
    p.check(offered and all(w.startswith("2026-11-28") and minutes_of(w) < 12 * 60 for w in offered.values()),
            "Saturday morning times")
    number, when = p.pick(lambda w: True)
    p.say(number)
    p.expect(moved={mani.id: when})


def test_k4_es_sobre_mi_manicura_del_2_de_diciembre(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    world.book(rosa, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    mani = world.book(rosa, ("Manicure", "Jordan", "2026-12-02 10:00"), booked_at=OLD)
    world.book(rosa, ("Manicure", "Jordan", "2026-12-16 10:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("hola, es sobre mi manicura del 2 de diciembre")
    p.say("¿se puede una hora más tarde?")
    p.take("2026-12-02 11:00", yes="sí")
    p.expect(moved={mani.id: "2026-12-02 11:00"})


def test_k4_es_algo_mas_da_horas_nuevas(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    cut = world.book(rosa, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("necesito cambiar mi cita")
    first = set(offers(p.last).values())
    p.check(first, "next openings")
    p.say("¿tienes algo más?")
    second = offers(p.last)
    p.check(second and not set(second.values()) & first, "new times, not the same ones")
    number, when = p.pick(lambda w: True, prefer=lambda w: -minutes_of(w))
    p.say(f"el {number}")
    p.expect(moved={cut.id: when})


def test_k4_es_la_hora_la_tomaron_mientras_tanto(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    cut = world.book(rosa, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    ben = world.add_client("Ben Lee")
    save(db, world)
    p = Play(app, db, rosa)
    p.say("¿el lunes a las 11?")
    p.check(proposed(p.last) == "2026-11-30 11:00", "a free exact time gets a YES/NO question")
    book_directly(db, ben.id, "Haircut", "Maria", "2026-11-30 11:00")
    p.say("sí")
    p.expect(new=1)
    fresh = offers(p.last)
    p.check(fresh and "2026-11-30 11:00" not in fresh.values(), "fresh times, without the one just taken")
    number, when = p.pick(lambda w: True)
    p.say(number)
    p.expect(moved={cut.id: when}, new=1)


def test_k4_en_the_2nd_at_3_while_times_are_on_offer_is_a_date(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("can I move it to monday?")
    p.check(len(offers(p.last)) == 3, "Monday times")
    p.say("hmm what about the 2nd at 3?")              # Wed Dec 2 at 3 PM, not the second time offered
    p.expect()
    p.take("2026-12-02 15:00")
    p.expect(moved={cut.id: "2026-12-02 15:00"})


def test_k4_en_no_to_the_proposal_then_another_time_that_day(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("can I come at 5 instead?")
    p.check(proposed(p.last) == "2026-11-27 17:00", "5 PM that Friday is free")
    p.say("hmm no, how about 6pm?")
    p.expect()
    p.take("2026-11-27 18:00")
    p.expect(moved={cut.id: "2026-11-27 18:00"})


# =====================================================================================
# 5. Not movable by text: nothing changes, a reason and a next step, flagged for staff
# =====================================================================================

def refused(p: Play, move_flagged: bool = True) -> None:
    p.check(SALON_PHONE in (p.last or ""), "the reply gives the next step: the salon's phone")
    p.check(offers(p.last) == {} and not proposed(p.last), "no times offered for what cannot move")
    if move_flagged:
        p.check(p.flag(), "a refused move is flagged for staff")


def test_k5_en_edited_length_refused_then_cancels_instead(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00", 75), booked_at=OLD)    # length set by hand
    world.book(ana, ("Manicure", "Jordan", "2026-12-02 10:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("can you move my haircut to monday at 2?")
    refused(p)
    p.expect()
    p.say("ok just cancel the haircut then")
    p.check(asks_yes_no(p.last), "asks YES/NO before cancelling")
    p.say("yes")
    p.expect(canceled=[cut.id])
    p.expect_salon_told(1)


def test_k5_es_edited_length_refused_then_cancels_instead(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    cut = world.book(rosa, ("Haircut", "Maria", "2026-11-27 15:00", 90), booked_at=OLD)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("¿puedo cambiar mi cita al lunes a las 2?")
    refused(p)
    p.expect()
    p.say("entonces cancélala por favor")
    p.check(asks_yes_no(p.last), "asks SI/NO before cancelling")
    p.say("sí")
    p.expect(canceled=[cut.id])
    p.expect_salon_told(1)


def test_k5_en_service_not_bookable_online(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Keratin", "Maria", "2026-11-28 10:00"), booked_at=OLD)
    world.book(ana, ("Trim", "Sam", "2026-12-05 10:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("can I move my keratin to next saturday?")
    refused(p)
    p.expect()
    p.expect_salon_told(0)


def test_k5_es_servicio_que_no_se_reserva_en_linea(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    world.book(rosa, ("Keratin", "Maria", "2026-11-28 10:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("hola, ¿puedo pasar mi cita al martes a las 10?")
    refused(p)
    p.expect()


def test_k5_en_services_overlapping_in_time(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), ("Manicure", "Jordan", "2026-11-27 15:00"),
               booked_at=OLD)                        # two people on her at once
    save(db, world)
    p = Play(app, db, ana)
    p.say("can we do monday at 11 instead")
    refused(p)
    p.expect()


def test_k5_es_servicios_a_la_vez(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    world.book(rosa, ("Pedicure", "Sam", "2026-11-27 15:00"), ("Manicure", "Jordan", "2026-11-27 15:15"),
               booked_at=OLD)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("¿se puede cambiar al lunes a las 11?")
    refused(p)
    p.expect()


def test_k5_en_overlapping_buffer_only_still_moves_both_lines(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    both = world.book(ana, ("Manicure", "Jordan", "2026-11-27 10:00"), ("Blowout", "Maria", "2026-11-27 10:45"),
                      booked_at=OLD)                 # the manicure's clean-up buffer overlaps the blowout: fine
    save(db, world)
    p = Play(app, db, ana)
    p.say("can we move it to monday at 2pm?")
    p.take("2026-11-30 14:00")
    p.expect(moved={both.id: "2026-11-30 14:00"})    # manicure 14:00, blowout 14:45
    p.check(p.flag() is None, "nothing for staff to do")


def test_k5_en_group_member_can_neither_move_nor_cancel(app, db):
    world = salon()
    ana, ben = world.add_client("Ana Garcia"), world.add_client("Ben Lee")
    group = world.group(primary=ana)
    world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), group=group, booked_at=OLD)
    world.book(ben, ("Blowout", "Jordan", "2026-11-27 15:00"), group=group, booked_at=OLD)
    save(db, world)
    p = Play(app, db, ben)
    p.say("can I move my appointment to monday at 11?")
    refused(p)
    p.expect()
    p.say("can I cancel it then?")
    # Only the group's primary contact cancels (README): Ben gets a reason and the phone again.
    p.check(SALON_PHONE in (p.last or "") and not asks_yes_no(p.last), "a member cannot cancel either")
    p.say("yes")
    p.expect()
    p.expect_salon_told(0)


def test_k5_es_miembro_de_un_grupo(app, db):
    world = salon()
    ana, rosa = world.add_client("Ana Garcia"), world.add_client("Rosa Martinez", language="es")
    group = world.group(primary=ana)
    world.book(ana, ("Haircut", "Maria", "2026-11-28 11:00"), group=group, booked_at=OLD)
    world.book(rosa, ("Manicure", "Jordan", "2026-11-28 11:00"), group=group, booked_at=OLD)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("¿puedo cambiar mi cita al viernes a las 4 de la tarde?")
    refused(p)
    p.expect()


def test_k5_en_group_primary_pushes_the_whole_group_back(app, db):
    world = salon()
    ana, ben = world.add_client("Ana Garcia"), world.add_client("Ben Lee")
    group = world.group(primary=ana)
    own = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), group=group, booked_at=OLD)
    member = world.book(ben, ("Blowout", "Jordan", "2026-11-27 15:00"), group=group, booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("could we push it back 30 min?")
    p.take("2026-11-27 15:30")
    p.expect(moved={own.id: "2026-11-27 15:30", member.id: "2026-11-27 15:30"})


def test_k5_en_self_reschedule_off_then_cancels_instead(app, db):
    world = salon(allow_self_reschedule=False)
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("can I move my appointment to thursday at 2?")
    refused(p)
    p.expect()
    p.say("then please cancel it")
    p.check(asks_yes_no(p.last), "asks YES/NO before cancelling")
    p.say("yes")
    p.expect(canceled=[cut.id])
    p.expect_salon_told(1)


def test_k5_en_self_cancel_off_but_moving_is_fine(app, db):
    world = salon(allow_self_cancel=False)
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("I need to cancel my appointment")
    refused(p, move_flagged=False)
    p.expect()
    p.say("ok, can I move it to monday at 11 instead?")
    p.take("2026-11-30 11:00")
    p.expect(moved={cut.id: "2026-11-30 11:00"})


def test_k5_es_sin_cambios_por_mensaje(app, db):
    world = salon(allow_self_reschedule=False)
    rosa = world.add_client("Rosa Martinez", language="es")
    cut = world.book(rosa, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("necesito cambiar mi cita para el lunes")
    refused(p)
    p.expect()
    p.say("bueno, entonces cancélala")
    p.check(asks_yes_no(p.last), "asks SI/NO before cancelling")
    p.say("si")
    p.expect(canceled=[cut.id])


def test_k5_en_inside_the_notice_window_then_cancels_where_allowed(app, db):
    world = salon(reschedule_notice_hours=24, cancel_notice_hours=2)
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-25 09:00"), booked_at=OLD)    # 23 hours away
    save(db, world)
    p = Play(app, db, ana)
    p.say("can I push it to thursday?")
    refused(p)
    p.expect()
    p.say("ok please cancel it then")
    p.check(asks_yes_no(p.last), "asks YES/NO before cancelling")
    p.say("yes")
    p.expect(canceled=[cut.id])


def test_k5_en_within_15_minutes_of_booking_online_it_moves(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-24 16:00"), booked_at=NOW - timedelta(minutes=5),
                     booked_via="online")             # booked online 5 minutes ago, for today
    save(db, world)
    p = Play(app, db, ana)
    p.say("oops wrong day, can I change it to thursday at 4pm?")
    p.take("2026-11-26 16:00")
    p.expect(moved={cut.id: "2026-11-26 16:00"})


def test_k5_es_dentro_del_plazo_de_aviso(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    world.book(rosa, ("Haircut", "Maria", "2026-11-25 09:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("¿puedo cambiarla al jueves a las 10?")
    refused(p)
    p.expect()


def test_k5_en_reschedule_limit_reached_then_cancels_instead(app, db):
    world = salon(max_self_reschedules=2)
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD, self_reschedules=2)
    save(db, world)
    p = Play(app, db, ana)
    p.say("can we do monday at 11 instead?")
    refused(p)
    p.expect()
    p.say("fine, cancel it")
    p.check(asks_yes_no(p.last), "asks YES/NO before cancelling")
    p.say("yes")
    p.expect(canceled=[cut.id])


def test_k5_en_limit_reached_during_the_conversation(app, db):
    world = salon(max_self_reschedules=1)
    ana = world.add_client("Ana Garcia")
    cut = world.book(ana, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("monday at 11?")
    p.take("2026-11-30 11:00")
    p.expect(moved={cut.id: "2026-11-30 11:00"})
    p.say("actually can we do tuesday the 1st at 1pm?")
    refused(p)
    p.expect(moved={cut.id: "2026-11-30 11:00"})


def test_k5_es_limite_de_cambios(app, db):
    world = salon(max_self_reschedules=1)
    rosa = world.add_client("Rosa Martinez", language="es")
    world.book(rosa, ("Haircut", "Maria", "2026-11-27 15:00"), booked_at=OLD, self_reschedules=1)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("¿se puede cambiar al lunes a las 11?")
    refused(p)
    p.expect()


# =====================================================================================
# 6. Clients with many appointments, and the usual keywords
# =====================================================================================

def many(world, client, n: int):
    """n upcoming appointments over several services and staff, some on the same day."""
    plan = [("Haircut", "Maria", "2026-11-27 10:00"), ("Manicure", "Jordan", "2026-11-27 11:30"),
            ("Blowout", "Maria", "2026-11-28 15:00"), ("Pedicure", "Sam", "2026-12-02 14:00"),
            ("Color", "Maria", "2026-12-05 11:00"), ("Trim", "Sam", "2026-12-05 15:00"),
            ("Manicure", "Jordan", "2026-12-09 10:00"), ("Haircut", "Jordan", "2026-12-12 12:00"),
            ("Blowout", "Sam", "2026-12-16 16:00")]
    return [world.book(client, line, booked_at=OLD) for line in plan[:n]]


def test_k6_en_nine_appointments_c_after_a_reminder_confirms_that_one(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    appts = many(world, ana, 9)
    save(db, world)
    reminded(db, world, ana, appts[2])
    p = Play(app, db, ana)
    p.say("C")
    p.expect(confirmed=[appts[2].id])


def test_k6_en_six_appointments_r_after_a_reminder_moves_that_one(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    appts = many(world, ana, 6)
    save(db, world)
    reminded(db, world, ana, appts[3])                 # the pedicure with Sam, Dec 2
    p = Play(app, db, ana)
    p.say("R")
    p.check("Pedicure" in (p.last or ""), "the times are for the reminded pedicure")
    number, when = p.pick(lambda w: True)
    p.say(number)
    p.expect(moved={appts[3].id: when})
    p.expect_salon_told(1)


def test_k6_en_five_appointments_x_after_a_reminder_cancels_that_one(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    appts = many(world, ana, 5)
    save(db, world)
    reminded(db, world, ana, appts[1])
    p = Play(app, db, ana)
    p.say("X")
    p.check(asks_yes_no(p.last), "asks YES/NO before cancelling")
    p.say("yes")
    p.expect(canceled=[appts[1].id])
    p.expect_salon_told(1)


def test_k6_en_same_day_several_staff_move_the_3pm(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Trim", "Sam", "2026-11-27 10:00"), booked_at=OLD)
    world.book(ana, ("Manicure", "Jordan", "2026-11-27 11:30"), booked_at=OLD)
    blow = world.book(ana, ("Blowout", "Maria", "2026-11-27 15:00"), booked_at=OLD)
    world.book(ana, ("Pedicure", "Sam", "2026-12-02 14:00"), booked_at=OLD)
    save(db, world)
    p = Play(app, db, ana)
    p.say("can I move my 3pm on friday to saturday at 11?")
    p.take("2026-11-28 11:00")
    p.expect(moved={blow.id: "2026-11-28 11:00"})


def test_k6_en_eight_appointments_cancel_the_manicure_on_dec_9(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    appts = many(world, ana, 8)
    save(db, world)
    p = Play(app, db, ana)
    p.say("please cancel my manicure on dec 9")
    p.check(asks_yes_no(p.last) and "2026-12-09 10:00" in times_in(p.last), "asks about the Dec 9 manicure")
    p.say("yes")
    p.expect(canceled=[appts[6].id])


def test_k6_en_which_appointment_answered_by_day_then_monday_afternoon(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    appts = many(world, ana, 4)
    save(db, world)
    p = Play(app, db, ana)
    p.say("I need to reschedule")
    p.say("the one on saturday")                        # the blowout with Maria, Nov 28
    p.say("anything monday afternoon?")
    offered = offers(p.last)
    p.check(offered and all(w.startswith("2026-11-30") and minutes_of(w) >= 12 * 60 for w in offered.values()),
            "Monday afternoon times")
    number, when = p.pick(lambda w: True)
    p.say(number)
    p.expect(moved={appts[2].id: when})


def test_k6_en_help_and_question_mark_change_nothing(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    many(world, ana, 7)
    save(db, world)
    p = Play(app, db, ana)
    p.say("HELP")
    p.check(p.last and SALON_PHONE in p.last, "one short help text with the phone")
    p.say("?")
    p.check(p.last, "a lone ? gets the help text")
    p.expect()
    p.check(not p.handed_off(), "help is not a hand-off")


def test_k6_en_stop_then_start_with_seven_appointments(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    appts = many(world, ana, 7)
    save(db, world)
    p = Play(app, db, ana)
    p.check(p.say("STOP") is None, "Twilio answers STOP itself")
    p.check(client_row(db, ana).opted_out, "opted out")
    p.check(p.say("cancel my haircut") is None, "no reply while opted out")
    p.expect()
    p.check(p.say("START") is None, "Twilio answers START itself")
    p.check(not client_row(db, ana).opted_out, "opted back in")
    p.say("cancel my haircut on friday")
    p.check(asks_yes_no(p.last), "asks YES/NO before cancelling")
    p.say("yes")
    p.expect(canceled=[appts[0].id])


def test_k6_en_talk_to_someone_with_four_appointments(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    many(world, ana, 4)
    save(db, world)
    p = Play(app, db, ana)
    p.say("can I talk to someone")
    p.check(p.handed_off(), "handed off to staff")
    p.check(p.say("please cancel all my appointments") is None, "the bot stays quiet once handed off")
    p.say("yes")
    p.expect()


def test_k6_en_running_late_with_two_today(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    world.book(ana, ("Haircut", "Maria", "2026-11-24 10:00"), booked_at=OLD)
    world.book(ana, ("Manicure", "Jordan", "2026-11-24 11:30"), booked_at=OLD)
    many(world, ana, 3)
    save(db, world)
    p = Play(app, db, ana)
    p.say("running 10 min late sorry!")
    p.check(p.flag(), "flagged for staff")
    p.say("thanks")
    p.expect()


def test_k6_es_cuatro_citas_c_tras_el_recordatorio(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    appts = many(world, rosa, 4)
    save(db, world)
    reminded(db, world, rosa, appts[0])
    p = Play(app, db, rosa)
    p.say("C")
    p.expect(confirmed=[appts[0].id])


def test_k6_es_x_tras_el_recordatorio_y_luego_no(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    appts = many(world, rosa, 5)
    save(db, world)
    reminded(db, world, rosa, appts[4])
    p = Play(app, db, rosa)
    p.say("X")
    p.check(asks_yes_no(p.last), "asks SI/NO before cancelling")
    p.say("no, mejor la mantengo")
    p.expect()
    p.expect_salon_told(0)


def test_k6_es_nueve_citas_cambia_la_del_sabado(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    appts = many(world, rosa, 9)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("necesito cambiar la cita del sábado 28")     # the blowout with Maria, the only one that day
    p.check("Peinado" in (p.last or "") and offers(p.last), "times for the Saturday blowout")
    number, when = p.pick(lambda w: True)
    p.say(number)
    p.expect(moved={appts[2].id: when})


def test_k6_es_quiero_hablar_con_alguien(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    many(world, rosa, 5)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("quiero hablar con una persona")
    p.check(p.handed_off(), "handed off to staff")
    p.check(p.say("cancela todas mis citas") is None, "the bot stays quiet once handed off")
    p.expect()


def test_k6_es_ayuda_con_seis_citas(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    many(world, rosa, 6)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("AYUDA")
    p.check(p.last and SALON_PHONE in p.last, "one short help text with the phone")
    p.say("¿a qué hora es mi corte?")
    p.check(p.last and "2026-11-27 10:00" in times_in(p.last), "when the haircut is")
    p.expect()


def test_k6_es_siete_citas_cancela_la_pedicura(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    appts = many(world, rosa, 7)
    save(db, world)
    p = Play(app, db, rosa)
    p.say("por favor cancela mi pedicura")
    p.check(asks_yes_no(p.last), "asks SI/NO before cancelling")
    p.say("sí")
    p.expect(canceled=[appts[3].id])
    p.expect_salon_told(1)


def test_k6_en_after_a_reminder_naming_another_appointment_moves_that_one(app, db):
    world = salon()
    ana = world.add_client("Ana Garcia")
    appts = many(world, ana, 5)
    save(db, world)
    reminded(db, world, ana, appts[0])                 # reminded of Friday's haircut
    p = Play(app, db, ana)
    p.say("can I move my pedicure to thursday the 3rd at 2pm instead?")
    p.take("2026-12-03 14:00")
    p.expect(moved={appts[3].id: "2026-12-03 14:00"})


def test_k6_es_r_tras_el_recordatorio_y_luego_el_lunes_por_la_manana(app, db):
    world = salon()
    rosa = world.add_client("Rosa Martinez", language="es")
    appts = many(world, rosa, 6)
    save(db, world)
    reminded(db, world, rosa, appts[4])                # the color with Maria, Sat Dec 5 11:00
    p = Play(app, db, rosa)
    p.say("R")
    p.check("Tinte" in (p.last or "") and offers(p.last), "times for the reminded color")
    p.say("¿algo el lunes 7 por la mañana?")
    offered = offers(p.last)
    p.check(offered and all(w.startswith("2026-12-07") and minutes_of(w) < 12 * 60 for w in offered.values()),
            "Monday Dec 7 morning times")
    number, when = p.pick(lambda w: True)
    p.say(number)
    p.expect(moved={appts[4].id: when})
