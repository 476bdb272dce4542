"""The conversation: what to do next and what to say, one message at a time.

`respond(state, understanding, facts, bookings)` takes what the bot remembers
(bot.conversation.state), what the language layer read of the message, and
the facts of the moment (the client, their upcoming appointments and what the
rules allow), and returns a Turn: what to remember now, the reply as data
(bot.conversation.reply: each channel words it), and what staff must know.
Times and changes go through `bookings`, the client's bookings port, the same
for SMS, chat, the portal and Rasa; this module imports no web or database
layer and reads nothing of the message but its Understanding.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from bot.conversation import texts
from bot.conversation.bookings import Bookings, Change, Outcome, Unavailable, Window
from bot.conversation.facts import Booking, Facts
from bot.conversation.reply import Choice, Line, Reply
from bot.conversation.state import Awaiting, ConversationState, Mode
from bot.domain.rules import Decision
from nlu.understanding import Understanding
from nlu.understanding import WEEKDAYS
from nlu.understanding import Window as Asked

MISUNDERSTOOD_LIMIT = 2
LOW_CONFIDENCE = 0.4


@dataclass(frozen=True)
class Turn:
    state: ConversationState
    reply: Reply | None
    flag: str | None = None            # why staff should look at the conversation
    hand_off: bool = False             # staff take it over: the bot stays quiet until they hand it back
    opted_out: bool | None = None      # True: the client asked for no more texts; False: for texts again


def respond(state: ConversationState, u: Understanding, facts: Facts, bookings: Bookings) -> Turn:
    return _Dialogue(state, u, facts, bookings).run()


# The answers a question offers, as buttons where a channel has them.
_YES_NO_CANCEL = (Choice("YES", Line("yes_cancel")), Choice("NO", Line("no_keep")))
_YES_NO_CANCEL_ALL = (Choice("YES", Line("yes_cancel_all")), Choice("NO", Line("no_keep")))
_YES_NO_MOVE = (Choice("YES", Line("yes_move")), Choice("NO", Line("no_keep")))
_YES_NO_BOOK = (Choice("YES", Line("yes_book")), Choice("NO", Line("no_thanks")))
_RESCHEDULE = Choice("R", Line("choice_reschedule"))
_CANCEL = Choice("X", Line("choice_cancel"))
_MENU = (_RESCHEDULE, _CANCEL, Choice("C", Line("choice_confirm")))
_BOOK_AGAIN = (Choice("R", Line("choice_book_again")),)


class _Dialogue:
    def __init__(self, state: ConversationState, u: Understanding, facts: Facts, bookings: Bookings) -> None:
        self.state, self.u, self.facts, self.bookings = state, u, facts, bookings
        self.lang = u.lang if u.lang in ("en", "es") else facts.lang
        self.flag: str | None = None
        self.hand_off = False
        self.opted_out: bool | None = None
        self.by_id = {b.id: b for b in facts.bookings}
        # The other appointments the request in hand is for, next after this one.
        self.queue: tuple[int, ...] = state.queue

    # -- plumbing --
    def reply(self, *lines: Line, optional: Sequence[Line] = (), choices: Sequence[Choice] = ()) -> Reply:
        return Reply(self.lang, lines, tuple(line for line in optional if line is not None), tuple(choices))

    def turn(self, reply: Reply | None, **state: Any) -> Turn:
        """End the turn. `state` is what the bot now waits for; an understood
        message clears the count of misunderstood ones."""
        fields = {k: v for k, v in state.items() if v is not None}
        if fields.get("awaiting", Awaiting.NOTHING) is not Awaiting.NOTHING:
            fields.setdefault("asked_at", self.facts.now)
        return self.ended(ConversationState(lang=self.lang, **fields), reply)

    def ended(self, state: ConversationState, reply: Reply | None) -> Turn:
        return Turn(state, reply, self.flag, self.hand_off, self.opted_out)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.facts.tz)

    def when(self, moment: datetime) -> str:
        return texts.when(self.local(moment), self.lang)

    def fields(self, appt: Booking) -> dict[str, str]:
        return {"service": appt.service, "staff": appt.staff, "when": texts.when(appt.start, self.lang),
                "name": self.facts.client_name}

    def times(self, starts: Sequence[datetime]) -> tuple[Choice, ...]:
        return tuple(Choice(str(i), Line("time_choice", {"when": self.when(s)})) for i, s in enumerate(starts, 1))

    def listed(self, appts: Sequence[Booking | None]) -> tuple[Choice, ...]:
        return tuple(Choice(str(i), Line("appointment_choice", {
            "service": a.service, "staff": a.staff, "when": texts.when(a.start, self.lang)} if a else
            {"service": "", "staff": "", "when": ""})) for i, a in enumerate(appts, 1))

    def policy(self) -> Line | None:
        return Line("policy", {"text": self.facts.policy}) if self.facts.policy else None

    @property
    def awaiting(self) -> Awaiting:
        return self.state.awaiting

    def offers_expired(self) -> bool:
        asked = self.state.asked_at
        return asked is not None and self.facts.now - asked > timedelta(minutes=self.facts.offer_minutes)

    # -- the turn --
    def run(self) -> Turn:
        u = self.u
        if u.intent == "opt_out":
            self.opted_out = True
            return self.turn(self.reply(Line("opted_out", {"salon": self.facts.salon_name})))
        if u.intent == "opt_in":
            self.opted_out = False
            return self.turn(self.reply(Line("opted_in", {"salon": self.facts.salon_name})))
        if self.awaiting is Awaiting.WHICH_APPOINTMENT and (picked := self.several_picked()):
            self.queue = tuple(picked[1:])
            return self.answered_which(picked[0])
        if (added := self.added()) is not None:
            return added
        if u.intent == "help":
            return self.turn(self.reply(Line("help", {"salon": self.facts.salon_name, "phone": self.facts.salon_phone}),
                                        choices=_MENU), **self.waiting_state())
        if self.awaiting is Awaiting.WHICH_APPOINTMENT and u.intent in ("unknown", "choose", "affirm") and u.appointment:
            # "the color one": an answer to which appointment, carrying on with what was asked.
            return self.answered_which(int(u.appointment)) if u.appointment.isdigit() else self.misunderstood()
        if u.intent == "unknown" and self.awaiting is Awaiting.NOTHING and u.reaction:
            return self.turn(None)          # a lone "👍" when nothing is pending
        if u.intent in ("unknown", "choose") and (switched := self.switched_appointment()) is not None:
            return switched
        if u.intent in ("unknown", "choose") and self.answered_by_name():
            # "the blowout" to "Reply YES to cancel your Blowout...": the answer is yes.
            self.u = u = replace(u, intent="affirm")
        if (u.other_staff or self.names_other_staff()) and (u.intent == "reschedule" or self.awaiting in (
                Awaiting.SLOT_CHOICE, Awaiting.RESCHEDULE_CONFIRMATION) and u.intent not in ("cancel", "query")):
            # Someone else for a move: never ignored, never a move with the same person by a guess.
            return self.same_staff_only()
        if self.awaiting is Awaiting.FOLLOWUP and self.facts.rebook is not None and u.again \
                and u.intent in ("unknown", "reschedule", "confirm_appointment"):
            return self.rebook_offer(self.window())        # "¿puedo volver a reservar el peinado?"
        if u.again and u.intent == "unknown" and self.awaiting is not Awaiting.FOLLOWUP \
                and (again := self.book_again()) is not None:
            return again
        if u.intent in ("unknown", "greet") and (u.topic or "").isdigit() and int(u.topic) in self.by_id:
            return self.about(self.by_id[int(u.topic)])
        if u.intent == "unknown" or (u.confidence < LOW_CONFIDENCE and u.intent in ("cancel", "reschedule")):
            return self.misunderstood()
        if self.awaiting is Awaiting.FOLLOWUP and self.facts.rebook is not None and (
                not self.facts.bookings or u.rebook):
            # (with other appointments booked, "I need to reschedule" is about those)
            if u.intent in ("reschedule", "affirm", "confirm_appointment", "choose"):
                return self.rebook_offer(self.window())
            if u.intent == "deny":
                return self.turn(self.reply(Line("nothing_pending")))
        if self.awaiting is Awaiting.SLOT_CHOICE and u.intent == "choose" and u.choice:
            return self.chose(u.choice)
        if u.again and u.intent in ("reschedule", "confirm_appointment", "cancel") \
                and self.awaiting is not Awaiting.FOLLOWUP and (again := self.book_again()) is not None:
            return again
        handler = {
            "cancel": self.cancel, "reschedule": self.reschedule, "affirm": self.affirm, "deny": self.deny,
            "choose": self.misunderstood, "confirm_appointment": self.confirm, "query": self.query,
            "late": self.late, "human": self.human, "greet": self.greet,
        }[u.intent]
        return handler()

    def waiting_state(self) -> dict[str, Any]:
        """Keep what the bot was waiting for (HELP in the middle of an exchange)."""
        s = self.state
        return {"awaiting": s.awaiting, "appointment_id": s.appointment_id, "offered": s.offered,
                "listed": s.listed, "proposed": s.proposed, "intent": s.intent, "window": s.window,
                "windows": s.windows, "mode": s.mode, "asked_at": s.asked_at, "queue": s.queue}

    def misunderstood(self) -> Turn:
        count = self.state.misunderstood + 1
        if count >= MISUNDERSTOOD_LIMIT:
            self.hand_off, self.flag = True, "the bot did not understand twice"
            return self.turn(self.reply(Line("misunderstood_again")))
        return self.ended(self.state.but(misunderstood=count, lang=self.lang), self.ask_again())

    def ask_again(self) -> Reply:
        """"Sorry, I didn't get that", and the question still open, asked again:
        a client mid-exchange needs the YES/NO or the numbers, not the menu."""
        appt = self.by_id.get(self.state.appointment_id)
        if self.awaiting is Awaiting.RESCHEDULE_CONFIRMATION and appt and self.state.proposed:
            return self.reply(Line("misunderstood_move", {
                "service": appt.service, "new": self.when(self.state.proposed),
                "old": texts.when(appt.start, self.lang)}), choices=_YES_NO_MOVE)
        if self.awaiting is Awaiting.CANCEL_CONFIRMATION and appt:
            # (the policy again too: "will I be charged?" is the usual question here)
            return self.reply(Line("misunderstood_cancel", self.fields(appt)), optional=[self.policy()],
                              choices=_YES_NO_CANCEL)
        if self.awaiting is Awaiting.SLOT_CHOICE and self.state.offered:
            return self.reply(Line("misunderstood_choice"), choices=self.times(self.state.offered))
        if self.awaiting is Awaiting.WHICH_APPOINTMENT and self.state.listed:
            return self.reply(Line("misunderstood_which"),
                              choices=self.listed([self.by_id.get(i) for i in self.state.listed]))
        return self.reply(Line("misunderstood"), choices=_MENU)

    # -- which appointment --
    def target(self, intent: str) -> Booking | Turn:
        """The appointment the message is about, or a turn asking which."""
        u, appts = self.u, self.facts.bookings
        targets = [int(r) for r in u.targets if r.isdigit() and int(r) in self.by_id]
        if len(targets) > 1:
            # "cancel both", "my trims": the first now, the others after it (none dropped).
            self.queue = tuple(targets[1:])
            return self.by_id[targets[0]]
        if u.appointment and u.appointment.isdigit() and int(u.appointment) in self.by_id:
            return self.by_id[int(u.appointment)]
        remembered = self.state.appointment_id
        named = self.candidates()
        # The one being talked about, unless the message describes others ("my haircut")
        if remembered in self.by_id and self.awaiting is not Awaiting.WHICH_APPOINTMENT \
                and (not named or any(a.id == remembered for a in named)):
            return self.by_id[remembered]
        if len(appts) == 1:
            return appts[0]
        if not appts:
            return self.nothing_booked()
        return self.ask_which(intent, named or appts)    # "my haircut" with two booked: only the haircuts

    def ask_which(self, intent: str, among: Sequence[Booking]) -> Turn:
        shown = list(among)[:3]
        # With whom, too: two haircuts are told apart by their stylist as often as by their day.
        question = Line("which_appointment")
        if len(among) > len(shown):
            # the rest are reached by their day or service: say so, where it fits
            question = Line("which_appointment_more", shorter=question)
        return self.turn(self.reply(question, choices=self.listed(shown)),
                         awaiting=Awaiting.WHICH_APPOINTMENT, intent=intent, listed=tuple(a.id for a in shown),
                         window=self.window(), windows=self.alternatives_state())

    def nothing_booked(self) -> Turn:
        return self.turn(self.reply(Line("no_upcoming", {"salon": self.facts.salon_name}),
                                    optional=[Line("call_us", {"phone": self.facts.salon_phone})]))

    def candidates(self) -> list[Booking]:
        """The appointments the message describes equally, when it names no one of them."""
        return [self.by_id[int(ref)] for ref in self.u.candidates if ref.isdigit() and int(ref) in self.by_id]

    def window(self) -> Window | None:
        """The requested time as an aware window, from this message or remembered."""
        return self.asked() or self.remembered_window()

    def asked(self) -> Window | None:
        """The time this message asks for, as an aware window. A part of the
        day follows the salon's hours: "saturday morning" starts when it opens."""
        w: Asked | None = self.u.when or (self.u.when_any[0] if self.u.when_any else None)
        if w is None or w.start > w.end:
            return None
        start, end = w.start, w.end
        hours = self.facts.hours.get(WEEKDAYS[start.weekday()]) if self.u.part else None
        if hours is not None and start < end:
            opens, closes = (datetime.combine(start.date(), t) for t in hours)
            if self.u.part in ("morning", "today_morning", "first_thing") and opens < start:
                start = opens
            elif self.u.part in ("evening", "night", "tonight") and closes > end and closes.date() == end.date():
                end = closes
        return start.replace(tzinfo=self.facts.tz), end.replace(tzinfo=self.facts.tz)

    def remembered_window(self) -> Window | None:
        """The time asked for earlier in this exchange: while the bot asks
        which appointment, or while times for it are on offer ("anything
        else?" keeps looking there, "later that day" stays on that day)."""
        if self.awaiting in (Awaiting.WHICH_APPOINTMENT, Awaiting.SLOT_CHOICE):
            return self.state.window
        return None

    def alternatives_state(self) -> tuple[tuple[datetime, datetime], ...] | None:
        """"next friday" said on a Tuesday, "wed or thurs": every window, kept
        while the bot asks which appointment, so none is lost."""
        if len(self.u.when_any) < 2:
            return None
        return tuple((w.start, w.end) for w in self.u.when_any)

    # -- intents --
    def cancel(self) -> Turn:
        appt = self.target("cancel")
        if isinstance(appt, Turn):
            return appt
        if self.queue:
            return self.cancel_several([appt.id, *self.queue])
        return self.cancel_ask(appt)

    def cancel_several(self, ids: Sequence[int]) -> Turn:
        """One YES for every appointment meant; those the rules keep are said, not dropped."""
        appts = [self.by_id[i] for i in dict.fromkeys(ids) if i in self.by_id]
        allowed = [a for a in appts if a.may_cancel.allowed]
        kept = [Line("cannot_cancel_one", {"service": a.service, "when": texts.when(a.start, self.lang),
                                           "reason": " ".join(a.may_cancel.explain(self.lang))})
                for a in appts if not a.may_cancel.allowed]
        if not allowed:
            return self.refused(appts[0].may_cancel, appts[0], offer_cancel=False, moving=False)
        if len(allowed) == 1:
            self.queue = ()
            turn = self.cancel_ask(allowed[0])
            return self.ended(turn.state, replace(turn.reply, optional=(*kept, *turn.reply.optional)))
        items = tuple(Line("cancel_item", {"service": a.service, "staff": a.staff,
                                           "when": texts.when(a.start, self.lang)}) for a in allowed)
        ask = Line("cancel_ask_several", {"count": str(len(allowed)), "items": items})
        return self.turn(self.reply(ask, optional=[*kept, self.policy()], choices=_YES_NO_CANCEL_ALL),
                         awaiting=Awaiting.CANCEL_CONFIRMATION, appointment_id=allowed[0].id,
                         queue=tuple(a.id for a in allowed[1:]), intent="cancel")

    def cancel_all(self, ids: Sequence[int]) -> Turn:
        """YES to cancel several: each cancelled (and re-checked) in turn; what could not be, said."""
        done, failed = [], []
        for i in ids:
            appt = self.by_id.get(i)
            if appt is None:
                continue
            change = self.bookings.cancel(i)
            (done if change.outcome is Outcome.DONE else failed).append((appt, change))
        if not done:
            return self.change_failed(failed[0][1], failed[0][0]) if failed else self.misunderstood()
        items = tuple(Line("cancel_item", {"service": a.service, "staff": a.staff,
                                           "when": texts.when(a.start, self.lang)}) for a, _ in done)
        lines = [Line("canceled_several", {"items": items})]
        for appt, change in failed:
            lines.append(Line("cannot_cancel_one", {"service": appt.service, "when": texts.when(appt.start, self.lang),
                                                    "reason": " ".join(change.reasons) or texts.text(
                                                        "cannot_change", self.lang)}))
        return self.turn(self.reply(*lines, optional=[Line("rebook_hint")], choices=_BOOK_AGAIN),
                         awaiting=Awaiting.FOLLOWUP, appointment_id=done[0][0].id, intent="cancel",
                         done=tuple(a.id for a, _ in done))

    def added(self) -> Turn | None:
        """"and my manicure too", "and the other one too", "also cancel my
        haircut on the 24th", "cancel it and my blowout too": the same request
        for one more appointment, beside the one still being decided or after
        the one just done."""
        u = self.u
        if not (u.also or u.other_one):
            return None
        topic = self.state.appointment_id if self.state.appointment_id in self.by_id else None
        pending = topic is not None and self.awaiting.exchange
        if u.other_one:
            others = [a.id for a in self.facts.bookings if a.id != topic and a.id not in self.state.done]
        else:
            named = (u.appointment,) if u.appointment else u.named
            others = [int(r) for r in named if r and r.isdigit() and int(r) in self.by_id and int(r) != topic]
        intent = u.intent if u.intent in ("cancel", "reschedule") else self.state.intent
        if not others or intent not in ("cancel", "reschedule") or (not pending and not self.state.done
                                                                    and u.intent not in ("cancel", "reschedule")):
            return None
        if u.other_one and len(others) > 1:
            return self.ask_which(intent, [self.by_id[i] for i in others])
        ids = ([topic] if pending else []) + others[:1]
        if intent == "cancel":
            return self.cancel_several(ids) if len(ids) > 1 else self.cancel_ask(self.by_id[ids[0]])
        self.queue = tuple(ids[1:])
        self.state = ConversationState(appointment_id=ids[0], lang=self.lang, queue=self.queue)
        self.u = replace(u, intent="reschedule", appointment=str(ids[0]), targets=(), also=False, other_one=False)
        return self.reschedule()

    def answered_by_name(self) -> bool:
        """A YES/NO question about one appointment answered with its name ("the blowout")."""
        appt = self.by_id.get(self.state.appointment_id)
        return appt is not None and self.awaiting in (
            Awaiting.CANCEL_CONFIRMATION, Awaiting.RESCHEDULE_CONFIRMATION) and self.u.named == (appt.ref,)

    def names_other_staff(self) -> bool:
        """"with Jordan instead of Maria": a staff member who is not the one of
        the appointment being moved (the one asked about, or the only one)."""
        if not self.u.staff_named:
            return False
        appt = self.by_id.get(int(self.u.appointment)) if (self.u.appointment or "").isdigit() else None
        appt = appt or self.by_id.get(self.state.appointment_id) or (
            self.facts.bookings[0] if len(self.facts.bookings) == 1 else None)
        return appt is not None and any(name not in appt.staff for name in self.u.staff_named)

    def same_staff_only(self) -> Turn:
        """Asked for someone else: a move by text keeps the same staff member
        (the salon's rule); say so, and how to ask for another (staff hear of it)."""
        self.flag = "asked for another staff member"
        named = int(self.u.appointment) if (self.u.appointment or "").isdigit() else None
        appt = self.by_id.get(named) or self.by_id.get(self.state.appointment_id)
        if appt is None and len(self.facts.bookings) == 1:
            appt = self.facts.bookings[0]
        if appt is None:
            return self.turn(self.reply(Line("same_staff_rule", {"phone": self.facts.salon_phone})))
        return self.turn(self.reply(Line("same_staff", {"staff": appt.staff, "service": appt.service,
                                                        "phone": self.facts.salon_phone}), choices=(_RESCHEDULE,)),
                         appointment_id=appt.id)

    def cancel_ask(self, appt: Booking) -> Turn:
        decision = appt.may_cancel
        if not decision.allowed:
            return self.refused(decision, appt, offer_cancel=False, moving=False)
        optional = [self.policy()]
        choices = list(_YES_NO_CANCEL)
        if appt.may_reschedule.allowed:
            optional.append(Line("or_reschedule"))
            choices.append(_RESCHEDULE)
        count = len(decision.appointments)
        if count > 1:
            ask, choices[:2] = Line("cancel_ask_group", {"count": str(count), **self.fields(appt)}), _YES_NO_CANCEL_ALL
        else:
            ask = Line("cancel_ask", self.fields(appt))
        return self.turn(self.reply(ask, optional=optional, choices=choices),
                         awaiting=Awaiting.CANCEL_CONFIRMATION, appointment_id=appt.id, intent="cancel")

    def reschedule(self) -> Turn:
        appt = self.target("reschedule")
        if isinstance(appt, Turn):
            return appt
        if not appt.may_reschedule.allowed:
            return self.refused(appt.may_reschedule, appt, offer_cancel=appt.may_cancel.allowed, moving=True)
        if len(self.u.when_any) > 1:
            return self.alternatives(appt)
        asked = self.asked()
        window = asked or self.remembered_window()
        if window is not None and window[1] < self.facts.now:
            window = None
        # "Anything else?" while times are on offer: the next ones after those,
        # still in the window asked for before ("later that day" stays later that day).
        offered = (self.state.offered + self.state.seen
                   if self.awaiting is Awaiting.SLOT_CHOICE and asked is None else ())
        # "Push it back 30 min", "an hour earlier": later means later, on that day.
        shift = self.u.shift if asked is not None else None
        offer = self.bookings.offer(appt.id, window, 3 + len(offered) + (6 if shift else 0))
        if not offer.ok:
            return self.cannot(offer.reasons)
        starts = [s for s in offer.starts if s not in offered and self.that_way(s, appt, shift)][:3]
        return self.present(appt, starts, window, mode=Mode.MOVE, seen=offered or None, why=offer.unavailable)

    def that_way(self, start: datetime, appt: Booking, shift: str | None) -> bool:
        if shift is None:
            return True
        local = self.local(start)
        if local.date() != appt.start.date():
            return False
        return local > appt.start if shift == "later" else local < appt.start

    def alternatives(self, appt: Booking) -> Turn:
        """"Wednesday or Thursday": the best time from each, in the order named."""
        starts: list[datetime] = []
        for w in self.u.when_any:
            window = (w.start.replace(tzinfo=self.facts.tz), w.end.replace(tzinfo=self.facts.tz))
            if w.start > w.end or window[1] < self.facts.now:
                continue
            offer = self.bookings.offer(appt.id, window, 3)
            starts += [s for s in offer.starts if s not in starts][:-(-3 // len(self.u.when_any))]
        # A window wide enough to mean "either" is never an exact-time question.
        return self.present(appt, starts[:3], None if not starts else (starts[0], starts[0] + timedelta(days=1)),
                            mode=Mode.MOVE)

    def present(self, appt: Booking, starts: Sequence[datetime], window: Window | None, mode: Mode,
                seen: Sequence[datetime] | None = None, why: Unavailable | None = None) -> Turn:
        """Offer times: ask YES/NO for the exact time asked, else a numbered list.
        `seen`: times offered before in this exchange, not to offer again.
        `why`: why nothing is open at the time asked, when nothing is."""
        base = {"appointment_id": appt.id, "mode": mode, "seen": tuple(seen) if seen else None, "window": window,
                "intent": "reschedule", "queue": self.queue}
        if why is not None and why.reason == "horizon":
            # Past what the salon lets clients book themselves: the team can, so they hear of it.
            self.flag = "asked for a time past the booking horizon"
            return self.turn(self.reply(Line("beyond_horizon", {"last": texts.day_name(self.local(why.limit), self.lang)
                                                                if why.limit else ""}),
                                        optional=[Line("call_us", {"phone": self.facts.salon_phone})]),
                             appointment_id=appt.id)
        if not starts:
            if window and why is not None and why.reason in ("closed", "off"):
                return self.turn(self.reply(self.why_line(why, appt, "no_times_")), **base)
            key = "no_times" if window else "no_times_at_all"
            return self.turn(self.reply(Line(key, {"staff": appt.staff, "phone": self.facts.salon_phone})), **base)
        exact = window is not None and window[0] == window[1]
        if exact and starts[0] == window[0]:
            if mode is Mode.MOVE:
                count = len(appt.may_reschedule.appointments)
                ask = Line("move_ask_group" if count > 1 else "move_ask", {
                    "staff": appt.staff, "count": str(count), "new": self.when(starts[0]), "service": appt.service,
                    "old": texts.when(appt.start, self.lang)})
                return self.turn(self.reply(ask, choices=_YES_NO_MOVE), awaiting=Awaiting.RESCHEDULE_CONFIRMATION,
                                 proposed=starts[0], **base)
            # Booking it again: YES books it at that time (NO keeps things as they are).
            count = len(appt.may_reschedule.appointments)
            ask = Line("book_ask_group" if count > 1 else "book_ask", {
                "staff": appt.staff, "new": self.when(starts[0]), "service": appt.service, "count": str(count)})
            return self.turn(self.reply(ask, choices=_YES_NO_BOOK), awaiting=Awaiting.RESCHEDULE_CONFIRMATION,
                             proposed=starts[0], **base)
        # Nothing free in the window asked for (booked up, or the salon is
        # closed that day): say so, and why, before offering the nearest times.
        elsewhere = window is not None and not any(s == window[0] if exact else window[0] <= s < window[1]
                                                   for s in starts)
        if elsewhere and why is not None:
            line = self.why_line(why, appt, "offer_")
        else:
            line = Line("offer_instead" if elsewhere else "offer", {"staff": appt.staff, "service": appt.service})
        return self.turn(self.reply(line, choices=self.times(starts)),
                         awaiting=Awaiting.SLOT_CHOICE, offered=tuple(starts), **base)

    def why_line(self, why: Unavailable, appt: Booking, prefix: str) -> Line:
        """"We're closed on Sun, Nov 29", "Jordan isn't working on ...", "you have
        another appointment then": the line that says why, before what comes next."""
        day = texts.day_name(datetime.combine(why.day, datetime.min.time()), self.lang)
        fields = {"staff": why.staff or appt.staff, "service": appt.service, "day": day,
                  "limit": self.when(why.limit) if why.limit else ""}
        return Line(prefix + {"closed": "closed", "off": "off", "yours": "yours", "notice": "notice"}.get(
            why.reason, "instead"), fields)

    def refused(self, decision: Decision, appt: Booking, offer_cancel: bool, moving: bool) -> Turn:
        reasons = " ".join(decision.explain(self.lang))
        steps = [Line("call_us", {"phone": self.facts.salon_phone})] if self.facts.salon_phone else []
        choices: tuple[Choice, ...] = ()
        if offer_cancel:
            steps.append(Line("cancel_instead"))
            choices = (_CANCEL,)
        if moving:
            # They wanted to move it and the team has to: put it in front of them.
            self.flag = "asked to move it; the team has to"
        return self.turn(self.reply(Line("not_allowed", {"reason": reasons}), optional=steps, choices=choices),
                         appointment_id=appt.id)

    def names_another(self, appt: Booking) -> Booking | None:
        """"actually cancel the gel manicure instead", "no the nails one" while
        asked about `appt`: the one other appointment the words name by its
        service or staff member (None when they name `appt`, or none, or several)."""
        named = self.u.named
        if appt.ref in named:
            return None
        others = [a for a in self.facts.bookings if a.id != appt.id and a.ref in named]
        return others[0] if len(others) == 1 else None

    def switched_appointment(self) -> Turn | None:
        """"wrong one, I meant the manicure" mid-exchange: the same request, for
        the appointment they name instead (None when they name no other)."""
        appt = self.by_id.get(self.state.appointment_id)
        if appt is None or not self.awaiting.exchange or (self.u.intent == "choose" and self.u.choice):
            return None
        other = self.names_another(appt)
        if other is None:
            return None
        if self.awaiting is Awaiting.CANCEL_CONFIRMATION:
            return self.cancel_ask(other)
        # The time asked for goes with the request: "monday at 11" for the other one.
        asked = self.asked() or self.state.window or (
            (self.state.proposed, self.state.proposed) if self.state.proposed else None)
        when = Asked(*(moment.astimezone(self.facts.tz).replace(tzinfo=None) for moment in asked)) if asked else None
        self.state = ConversationState(appointment_id=other.id, lang=self.lang)
        self.u = Understanding(intent="reschedule", lang=self.lang, when=when)
        return self.reschedule()

    def affirm(self) -> Turn:
        appt = self.by_id.get(self.state.appointment_id)
        if appt and (switched := self.switched_appointment()) is not None:
            return switched        # "yes, the blowout": never change the one they moved away from
        if self.awaiting is Awaiting.CANCEL_CONFIRMATION and appt and self.state.queue:
            return self.cancel_all([appt.id, *self.state.queue])
        if self.awaiting is Awaiting.CANCEL_CONFIRMATION and appt:
            change = self.bookings.cancel(appt.id)
            if change.outcome is Outcome.DONE:
                done = Line("canceled_group", {"count": str(change.count), **self.fields(appt)}) if change.count > 1 \
                    else Line("canceled", self.fields(appt))
                # "Reply R anytime to book again": the same exchange as the follow-up text's.
                return self.turn(self.reply(done, optional=[Line("rebook_hint")], choices=_BOOK_AGAIN),
                                 awaiting=Awaiting.FOLLOWUP, appointment_id=appt.id, intent="cancel", done=(appt.id,))
            return self.change_failed(change, appt)
        if self.awaiting is Awaiting.RESCHEDULE_CONFIRMATION and self.state.proposed:
            return self.commit(self.state.proposed)
        if self.awaiting is Awaiting.REMINDER_REPLY and appt:
            return self.confirm()
        if self.awaiting in (Awaiting.NOTHING, Awaiting.FOLLOWUP):
            return self.turn(None)          # "ok", "cool" after it is all done: nothing to answer
        if self.awaiting is Awaiting.SLOT_CHOICE and self.state.offered:
            # "yes" to a list: not a misunderstanding, just not a choice yet.
            return self.turn(self.reply(Line("pick_one"), choices=self.times(self.state.offered)),
                             **self.waiting_state())
        return self.misunderstood()

    def deny(self) -> Turn:
        appt = self.by_id.get(self.state.appointment_id)
        if self.awaiting is Awaiting.CANCEL_CONFIRMATION and appt and (other := self.names_another(appt)):
            return self.cancel_ask(other)                  # "no, the nails one"
        if self.state.mode is Mode.REBOOK and self.awaiting.exchange:
            return self.turn(self.reply(Line("nothing_pending")))       # booking again: not now
        if self.awaiting is Awaiting.CANCEL_CONFIRMATION and self.state.queue:
            return self.turn(self.reply(Line("nothing_pending")))     # NO to cancelling several: all stay
        if self.awaiting.exchange and appt:
            # Turning down the times offered is not giving up on moving: say it
            # can go on, and keep to this appointment ("what about saturday?").
            optional = [Line("another_time")] if self.awaiting is Awaiting.SLOT_CHOICE else []
            kept = Line("kept", self.fields(appt))
            return self.next_in_queue(kept, appt) or self.turn(self.reply(kept, optional=optional),
                                                               appointment_id=appt.id)
        return self.turn(self.reply(Line("nothing_pending")))

    def chose(self, choice: int) -> Turn:
        if not 1 <= choice <= len(self.state.offered):
            return self.misunderstood()
        return self.commit(self.state.offered[choice - 1])

    def several_picked(self) -> list[int]:
        """"2 and 3", "both", "all of them" asked which appointment: each of
        those, the request carried on with one at a time (never "3" read as
        3 PM and turned into a different request)."""
        shown = self.state.listed
        picks = self.u.picks
        if len(picks) > 1 and all(1 <= n <= len(shown) for n in picks):
            return list(dict.fromkeys(shown[n - 1] for n in picks))
        if shown and self.u.every:
            return list(shown)
        return []

    def answered_which(self, appointment_id: int) -> Turn:
        shown = self.state.listed
        # A number or ordinal counts the ones listed; a day or service may name any of them.
        if appointment_id not in self.by_id or (shown and appointment_id not in shown and self.u.choice):
            return self.misunderstood()
        self.state = self.state.but(appointment_id=appointment_id, awaiting=Awaiting.NOTHING)
        return self.resume()

    def resume(self) -> Turn:
        """Carry on with what the client asked before we asked which appointment."""
        intent = self.state.intent or "query"
        window, windows = self.state.window, self.state.windows
        if windows:
            self.u = Understanding(intent=intent, lang=self.lang, when_any=tuple(Asked(a, b) for a, b in windows))
        elif window:
            self.u = Understanding(intent=intent, lang=self.lang, when=Asked(
                window[0].replace(tzinfo=None), window[1].replace(tzinfo=None)))
        else:
            # "the one on dec 11" named the appointment: its day is not a time asked for
            self.u = Understanding(intent=intent, lang=self.lang)
        return {"cancel": self.cancel, "reschedule": self.reschedule, "query": self.query,
                "confirm_appointment": self.confirm, "late": self.late}.get(intent, self.query)()

    def commit(self, start: datetime) -> Turn:
        if self.offers_expired():
            return self.offer_again(start)
        if self.state.mode is Mode.REBOOK and self.facts.rebook is not None:
            appt = self.facts.rebook
            change = self.bookings.rebook(appt.id, start)
            done_key = "booked"
        else:
            appt = self.by_id.get(self.state.appointment_id)
            if appt is None:
                return self.misunderstood()
            change = self.bookings.move(appt.id, start)
            done_key = "moved"
        if change.outcome is Outcome.DONE:
            if change.count > 1:            # a group's primary contact moved or booked the whole group
                done_key += "_group"
            done = Line(done_key, {"service": appt.service, "staff": appt.staff, "new": self.when(start),
                                   "count": str(change.count)})
            return self.next_in_queue(done, appt) or self.turn(self.reply(done), intent="reschedule",
                                                               done=(appt.id,))
        if change.outcome is Outcome.UNAVAILABLE:
            return self.fresh_times(appt, change.starts, "taken")
        return self.change_failed(change, appt)

    def offer_again(self, start: datetime) -> Turn:
        """Times offered longer ago than the salon holds them are looked at
        afresh before anything is booked: the nearest to the one chosen."""
        rebooking = self.state.mode is Mode.REBOOK and self.facts.rebook is not None
        appt = self.facts.rebook if rebooking else self.by_id.get(self.state.appointment_id)
        if appt is None:
            return self.misunderstood()
        offer = (self.bookings.offer_rebook if rebooking else self.bookings.offer)(appt.id, (start, start), 3)
        if not offer.ok:
            return self.cannot(offer.reasons, appointment_id=appt.id)
        return self.fresh_times(appt, offer.starts, "offers_expired")

    def fresh_times(self, appt: Booking, starts: Sequence[datetime], key: str) -> Turn:
        if not starts:
            return self.turn(self.reply(Line("no_times", {"staff": appt.staff})), appointment_id=appt.id)
        return self.turn(self.reply(Line(key, {"staff": appt.staff, "minutes": str(self.facts.offer_minutes)}),
                                    choices=self.times(starts)),
                         awaiting=Awaiting.SLOT_CHOICE, appointment_id=appt.id,
                         mode=self.state.mode or Mode.MOVE, offered=tuple(starts))

    def next_in_queue(self, said: Line, appt: Booking) -> Turn | None:
        """One of several done (or kept): say so, and go on to the next one
        the request was for, with its times (None: no other)."""
        queue = [i for i in self.state.queue if i in self.by_id and i != appt.id]
        if not queue:
            return None
        self.queue = tuple(queue[1:])
        self.state = ConversationState(appointment_id=queue[0], lang=self.lang, queue=self.queue,
                                       window=self.state.window)
        self.u = Understanding(intent="reschedule", lang=self.lang, appointment=str(queue[0]))
        turn = self.reschedule()
        if turn.reply is None:
            return turn
        return self.ended(turn.state, replace(turn.reply, lines=(said, *turn.reply.lines)))

    def change_failed(self, change: Change, appt: Booking) -> Turn:
        return self.cannot(change.reasons, appointment_id=appt.id)

    def cannot(self, reasons: Sequence[str], **state: Any) -> Turn:
        """Sorry, why, and the salon's phone. (No reason comes back when the
        appointment vanished meanwhile, a race with staff: "I can't change it".)"""
        reason = " ".join(reasons) if reasons else Line("cannot_change")
        return self.turn(self.reply(Line("not_allowed", {"reason": reason}),
                                    optional=[Line("call_us", {"phone": self.facts.salon_phone})]), **state)

    def confirm(self) -> Turn:
        appt = self.target("confirm_appointment")
        if isinstance(appt, Turn):
            return appt
        change = self.bookings.confirm(appt.id)
        if change.outcome is not Outcome.DONE:
            return self.change_failed(change, appt)
        return self.turn(self.reply(Line("confirmed", self.fields(appt))))

    def query(self) -> Turn:
        appts = self.facts.bookings
        if not appts:
            return self.nothing_booked()
        named = self.by_id.get(int(self.u.appointment)) if (self.u.appointment or "").isdigit() else None
        described = self.candidates()       # "when is my blowout?" with two blowouts booked: both
        first = named or (described[0] if described else appts[0])
        others = [] if named else (described[1:4] if described else list(appts[1:4]))
        optional = []
        if others:
            optional.append(Line("query_more", {"items": tuple(
                Line("query_item", {"service": a.service, "staff": a.staff, "when": texts.when(a.start, self.lang)})
                for a in others)}))
        reply = self.reply(Line("query", self.fields(first)), optional=optional)
        if self.awaiting.exchange:
            return self.turn(reply, **self.waiting_state())     # the offer still stands
        # (An answer about one appointment does not make it the one a later,
        # different request is about: with several booked, that asks which.)
        return self.turn(reply)

    def late(self) -> Turn:
        self.flag = "running late"
        return self.turn(self.reply(Line("late", {"name": self.facts.client_name})), **self.waiting_state())

    def human(self) -> Turn:
        self.hand_off, self.flag = True, "asked for a person"
        return self.turn(self.reply(Line("handoff"), optional=[Line("handoff_call", {"phone": self.facts.salon_phone})]))

    def about(self, appt: Booking) -> Turn:
        """"Hi, about my trim on the 2nd": that appointment is what the next messages are about."""
        return self.turn(self.reply(Line("greet", self.fields(appt)), choices=_MENU), appointment_id=appt.id)

    def greet(self) -> Turn:
        if not self.facts.bookings and not self.u.thanks:
            return self.nothing_booked()
        if self.u.thanks or not self.facts.bookings:
            return self.turn(self.reply(Line("thanks", {"name": self.facts.client_name})), **self.waiting_state())
        return self.turn(self.reply(Line("greet", self.fields(self.facts.bookings[0])), choices=_MENU),
                         **self.waiting_state())

    # -- booking again after a cancellation --
    def book_again(self) -> Turn | None:
        """"Can I book that blowout again tuesday afternoon": a new appointment
        like the one canceled, never a move of another booking (None: nothing
        canceled lately, so it is not that)."""
        canceled = self.bookings.canceled()
        if not canceled:
            return None
        # The newest cancellation ("that blowout"): a booking made again is offered, never made on a guess.
        return self.rebook_offer(self.window(), canceled[0])

    def rebook_offer(self, window: Window | None, appt: Booking | None = None) -> Turn:
        appt = appt or self.facts.rebook
        assert appt is not None
        offer = self.bookings.offer_rebook(appt.id, window, 3)
        if not offer.ok:
            return self.cannot(offer.reasons)
        return self.present(appt, offer.starts, window, mode=Mode.REBOOK, why=offer.unavailable)
