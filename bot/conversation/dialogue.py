"""The conversation: what to do next and what to say, one message at a time.

`respond(state, understanding, facts, portal)` takes the conversation's
memory (a JSON-able dict), what the language layer read, and the facts of the
moment (the client, their upcoming appointments and what the rules allow),
and returns the new memory, the reply and the side effects for the channel
to apply (flag for staff, hand off, opt out). Availability and changes go
through `portal`, the same portal actions every channel uses, passed in as a
Protocol so SMS, chat and Rasa share this code and it imports no web or
database layer.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.conversation import texts as replies
from bot.domain.rules import Decision
from nlu.normalize import fold
from nlu.reference import name_words, stem
from nlu.understanding import Understanding, Window

MISUNDERSTOOD_LIMIT = 2
LOW_CONFIDENCE = 0.4
THANKS = re.compile(r"\b(thank|thanks|thx|ty|tysm|cheers|appreciate|gracias|mil gracias)\b", re.I)


# --- what the dialogue is given --------------------------------------------------------

@dataclass(frozen=True)
class AppointmentFacts:
    id: int
    start: datetime                    # salon wall clock, aware
    minutes: int
    service: str                       # in the client's language
    staff: str
    may_reschedule: Decision
    may_cancel: Decision

    @property
    def ref(self) -> str:
        return str(self.id)


@dataclass(frozen=True)
class Facts:
    now: datetime                      # aware
    tz: ZoneInfo
    lang: str                          # the client's language, or this message's
    client_name: str
    salon_name: str
    salon_phone: str                   # as the client would dial it
    policy: str                        # cancellation policy in `lang`, may be ""
    appointments: tuple[AppointmentFacts, ...]
    channel: str = "sms"
    twilio_default_keywords: bool = True
    offer_minutes: int = 30
    rebook: AppointmentFacts | None = None   # a canceled appointment the client was invited to book again


@dataclass(frozen=True)
class Offer:
    ok: bool
    starts: tuple[datetime, ...] = ()        # aware, any zone
    reasons: tuple[str, ...] = ()            # plain sentences when not ok


@dataclass(frozen=True)
class Change:
    outcome: str                             # done, unavailable, not_allowed, not_found
    starts: tuple[datetime, ...] = ()        # fresh offers when unavailable
    reasons: tuple[str, ...] = ()
    count: int = 1                           # appointments it covered: a group's, when its primary asks


class Portal(Protocol):
    """The portal actions, bound to one client and one moment."""

    def offer(self, appointment_id: int, window: tuple[datetime, datetime] | None, count: int) -> Offer: ...
    def move(self, appointment_id: int, start: datetime) -> Change: ...
    def cancel(self, appointment_id: int) -> Change: ...
    def confirm(self, appointment_id: int) -> Change: ...
    def offer_rebook(self, appointment_id: int, window: tuple[datetime, datetime] | None, count: int) -> Offer: ...
    def rebook(self, appointment_id: int, start: datetime) -> Change: ...


# --- what it gives back ----------------------------------------------------------------

@dataclass
class Turn:
    state: dict[str, Any]
    reply: str | None
    actions: list[tuple[str, str]] = field(default_factory=list)   # ("flag", why), ("handoff", why), ("opt_out", ""), ("opt_in", "")


# Answering "Reply R anytime to book again" (or the follow-up text): R, or booking words.
REBOOK = re.compile(r"^\s*r\s*[.!]*\s*$|\b(?:book|rebook|re-book|reservar|reserva|agendar|again|otra vez|de nuevo)\b", re.I)
# Words too common in service and staff names to tell appointments apart.
_COMMON = {"with", "and", "con", "the", "hair", "cut"}


def respond(state: dict[str, Any], text: str, u: Understanding, facts: Facts, portal: Portal) -> Turn:
    return _Dialogue(dict(state), text, u, facts, portal).run()


class _Dialogue:
    def __init__(self, state: dict[str, Any], text: str, u: Understanding, facts: Facts, portal: Portal) -> None:
        self.state, self.text, self.u, self.facts, self.portal = state, text, u, facts, portal
        self.lang = u.lang if u.lang in ("en", "es") else facts.lang
        self.actions: list[tuple[str, str]] = []
        self.by_id = {a.id: a for a in facts.appointments}

    # -- plumbing --
    def say(self, key: str, **fields: Any) -> str:
        return replies.text(key, self.lang, **fields)

    def turn(self, reply: str | None, **state: Any) -> Turn:
        """End the turn. `state` is what the bot now waits for; an understood
        message clears the count of misunderstood ones."""
        new = {"lang": self.lang, **{k: v for k, v in state.items() if v is not None}}
        if new.get("awaiting", "none") != "none":
            new.setdefault("asked_at", self.facts.now.isoformat())
        return Turn(new, reply, self.actions)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.facts.tz)

    def when(self, moment: datetime) -> str:
        return replies.when(self.local(moment), self.lang)

    def fields(self, appt: AppointmentFacts) -> dict[str, str]:
        return {"service": appt.service, "staff": appt.staff, "when": replies.when(appt.start, self.lang),
                "name": self.facts.client_name}

    @property
    def awaiting(self) -> str:
        return self.state.get("awaiting", "none")

    def offers_expired(self) -> bool:
        asked = self.state.get("asked_at")
        if not asked:
            return False
        return self.facts.now - datetime.fromisoformat(asked) > timedelta(minutes=self.facts.offer_minutes)

    # -- the turn --
    def run(self) -> Turn:
        u = self.u
        keyword = self.carrier_keyword()
        if keyword is not None:
            return keyword
        if self.awaiting == "which_appointment" and (picked := self.several_picked()) is not None:
            return self.answered_which(picked)
        if not self.text.strip(" ?") and "?" in self.text and self.awaiting == "none":
            u = self.u = replace(u, intent="help")          # a lone "?": what can I do here?
        if u.intent == "help":
            return self.turn(self.say("help", salon=self.facts.salon_name, phone=self.facts.salon_phone),
                             **self.waiting_state())
        if self.awaiting == "which_appointment" and u.intent in ("unknown", "choose", "affirm") and u.appointment:
            # "the color one": an answer to which appointment, carrying on with what was asked.
            return self.answered_which(int(u.appointment)) if u.appointment.isdigit() else self.misunderstood()
        if u.intent == "unknown" and self.awaiting == "none" and not any(c.isalnum() for c in self.text) \
                and self.text.strip() and "?" not in self.text:
            return self.turn(None)          # a lone "👍" when nothing is pending
        if u.intent in ("unknown", "choose") and (switched := self.switched_appointment()) is not None:
            return switched
        if u.intent == "unknown" or (u.confidence < LOW_CONFIDENCE and u.intent in ("cancel", "reschedule")):
            return self.misunderstood()
        if self.awaiting == "followup" and self.facts.rebook is not None and (
                not self.facts.appointments or REBOOK.search(self.text)):
            # (with other appointments booked, "I need to reschedule" is about those)
            if u.intent in ("reschedule", "affirm", "confirm_appointment", "choose"):
                return self.rebook_offer(self.window())
            if u.intent == "deny":
                return self.turn(self.say("nothing_pending"))
        if self.awaiting == "slot_choice" and u.intent == "choose" and u.choice:
            return self.chose(u.choice)
        handler = {
            "cancel": self.cancel, "reschedule": self.reschedule, "affirm": self.affirm, "deny": self.deny,
            "choose": self.misunderstood, "confirm_appointment": self.confirm, "query": self.query,
            "late": self.late, "human": self.human, "greet": self.greet,
        }[u.intent]
        return handler()

    def carrier_keyword(self) -> Turn | None:
        u, facts = self.u, self.facts
        if u.intent == "opt_out":
            self.actions.append(("opt_out", ""))
            # Twilio answers its own default keywords; a second answer would be noise.
            return self.turn(None if facts.twilio_default_keywords else self.say("opted_out", salon=facts.salon_name))
        if u.intent == "opt_in":
            self.actions.append(("opt_in", ""))
            return self.turn(None if facts.twilio_default_keywords else self.say("opted_in", salon=facts.salon_name))
        if (facts.channel == "sms" and facts.twilio_default_keywords
                and self.text.strip().strip(".!").upper() == "CANCEL"):
            # Twilio took a lone CANCEL as an opt-out and will block our texts:
            # record it, say nothing (it would not arrive), and let staff call.
            self.actions.append(("opt_out", ""))
            self.actions.append(("flag", "probably wanted to cancel their appointment"))
            # (Whatever they text next goes unanswered too; this flag says why.)
            return self.turn(None, opted_out_noted=True)
        return None

    def waiting_state(self) -> dict[str, Any]:
        """Keep what the bot was waiting for (HELP in the middle of an exchange)."""
        return {k: self.state.get(k) for k in ("awaiting", "appointment_id", "options", "proposed", "intent",
                                                "window", "windows", "mode", "asked_at")}

    def misunderstood(self) -> Turn:
        count = self.state.get("misunderstood", 0) + 1
        if count >= MISUNDERSTOOD_LIMIT:
            self.actions.append(("handoff", "the bot did not understand twice"))
            return self.turn(self.say("misunderstood_again"))
        return Turn({**self.state, "misunderstood": count, "lang": self.lang}, self.ask_again(), self.actions)

    def ask_again(self) -> str:
        """"Sorry, I didn't get that", and the question still open, asked again:
        a client mid-exchange needs the YES/NO or the numbers, not the menu."""
        appt = self.by_id.get(self.state.get("appointment_id"))
        options = self.state.get("options") or []
        if self.awaiting == "reschedule_confirmation" and appt and self.state.get("proposed"):
            return self.say("misunderstood_move", service=appt.service, new=self.when(
                datetime.fromisoformat(self.state["proposed"])), old=replies.when(appt.start, self.lang))
        if self.awaiting == "cancel_confirmation" and appt:
            # (the policy again too: "will I be charged?" is the usual question here)
            return replies.compose([self.say("misunderstood_cancel", **self.fields(appt))], [self.facts.policy])
        if self.awaiting == "slot_choice" and options:
            return self.say("misunderstood_choice", choices=replies.choices(len(options), self.lang))
        if self.awaiting == "which_appointment" and options:
            return self.say("misunderstood_which", choices=replies.choices(len(options), self.lang))
        return self.say("misunderstood")

    # -- which appointment --
    def target(self, intent: str) -> AppointmentFacts | Turn:
        """The appointment the message is about, or a turn asking which."""
        u, appts = self.u, self.facts.appointments
        if u.appointment and u.appointment.isdigit() and int(u.appointment) in self.by_id:
            return self.by_id[int(u.appointment)]
        remembered = self.state.get("appointment_id")
        named = self.candidates()
        # The one being talked about, unless the message describes others ("my haircut")
        if remembered in self.by_id and self.awaiting != "which_appointment" \
                and (not named or any(a.id == remembered for a in named)):
            return self.by_id[remembered]
        if len(appts) == 1:
            return appts[0]
        if not appts:
            return self.nothing_booked()
        shown = (named or appts)[:3]       # "my haircut" with two booked: only the haircuts
        with_ = " with " if self.lang == "en" else " con "
        # With whom, too: two haircuts are told apart by their stylist as often as by their day.
        listing = "\n".join(f"{i}) {a.service}{with_}{a.staff}, {replies.when(a.start, self.lang)}"
                             for i, a in enumerate(shown, 1))
        if len(named or appts) > len(shown):
            # the rest are reached by their day or service: say so, where it fits
            longer = listing + "\n" + self.say("which_more")
            if replies.fits(replies.fold_to_gsm7(self.say("which_appointment", listing=longer, choices="1, 2 or 3"))):
                listing = longer
        return self.turn(self.say("which_appointment", listing=listing, choices=replies.choices(len(shown), self.lang)),
                         awaiting="which_appointment", intent=intent, options=[a.id for a in shown],
                         window=self.window_state(), windows=self.alternatives_state())

    def nothing_booked(self) -> Turn:
        return self.turn(replies.compose([self.say("no_upcoming", salon=self.facts.salon_name)],
                                         [self.say("call_us", phone=self.facts.salon_phone)]))

    def candidates(self) -> list[AppointmentFacts]:
        """The appointments the message describes equally, when it names no one of them."""
        return [self.by_id[int(ref)] for ref in self.u.candidates if ref.isdigit() and int(ref) in self.by_id]

    def window(self) -> tuple[datetime, datetime] | None:
        """The requested time as an aware window, from this message or remembered."""
        w: Window | None = self.u.when or (self.u.when_any[0] if self.u.when_any else None)
        if w is not None and w.start <= w.end:
            start, end = w.start.replace(tzinfo=self.facts.tz), w.end.replace(tzinfo=self.facts.tz)
            return start, end
        stored = self.state.get("window")
        if stored and self.awaiting == "which_appointment":
            return datetime.fromisoformat(stored[0]), datetime.fromisoformat(stored[1])
        return None

    def window_state(self) -> list[str] | None:
        w = self.window()
        return [w[0].isoformat(), w[1].isoformat()] if w else None

    def alternatives_state(self) -> list[list[str]] | None:
        """"next friday" said on a Tuesday, "wed or thurs": every window, kept
        while the bot asks which appointment, so none is lost."""
        if len(self.u.when_any) < 2:
            return None
        return [[w.start.isoformat(), w.end.isoformat()] for w in self.u.when_any]

    # -- intents --
    def cancel(self) -> Turn:
        appt = self.target("cancel")
        if isinstance(appt, Turn):
            return appt
        return self.cancel_ask(appt)

    def cancel_ask(self, appt: AppointmentFacts) -> Turn:
        decision = appt.may_cancel
        if not decision.allowed:
            return self.refused(decision, appt, offer_cancel=False)
        optional = [self.facts.policy]
        if appt.may_reschedule.allowed:
            optional.append(self.say("or_reschedule"))
        count = len(decision.appointments)
        ask = self.say("cancel_ask_group", count=count, **self.fields(appt)) if count > 1 else \
            self.say("cancel_ask", **self.fields(appt))
        reply = replies.compose([ask], optional)
        return self.turn(reply, awaiting="cancel_confirmation", appointment_id=appt.id)

    def reschedule(self) -> Turn:
        appt = self.target("reschedule")
        if isinstance(appt, Turn):
            return appt
        if not appt.may_reschedule.allowed:
            return self.refused(appt.may_reschedule, appt, offer_cancel=appt.may_cancel.allowed)
        if len(self.u.when_any) > 1:
            return self.alternatives(appt)
        window = self.window()
        if window is not None and window[1] < self.facts.now:
            window = None
        offered = ((self.state.get("options") or []) + (self.state.get("seen") or [])
                   if self.awaiting == "slot_choice" and window is None else [])
        # "Anything else?" while times are on offer: the next ones after those.
        offer = self.portal.offer(appt.id, window, 3 + len(offered))
        if not offer.ok:
            return self.cannot(offer.reasons)
        starts = [s for s in offer.starts if s.isoformat() not in offered][:3]
        return self.present(appt, starts, window, mode="move", seen=offered or None)

    def alternatives(self, appt: AppointmentFacts) -> Turn:
        """"Wednesday or Thursday": the best time from each, in the order named."""
        starts: list[datetime] = []
        for w in self.u.when_any:
            window = (w.start.replace(tzinfo=self.facts.tz), w.end.replace(tzinfo=self.facts.tz))
            if w.start > w.end or window[1] < self.facts.now:
                continue
            offer = self.portal.offer(appt.id, window, 3)
            starts += [s for s in offer.starts if s not in starts][:-(-3 // len(self.u.when_any))]
        # A window wide enough to mean "either" is never an exact-time question.
        return self.present(appt, starts[:3], None if not starts else (starts[0], starts[0] + timedelta(days=1)),
                            mode="move")

    def present(self, appt: AppointmentFacts, starts: Sequence[datetime], window: tuple[datetime, datetime] | None,
                mode: str, seen: list[str] | None = None) -> Turn:
        """Offer times: ask YES/NO for the exact time asked, else a numbered list.
        `seen`: times offered before in this exchange, not to offer again."""
        base = {"appointment_id": appt.id, "mode": mode, "seen": seen}
        if not starts:
            key = "no_times" if window else "no_times_at_all"
            return self.turn(self.say(key, staff=appt.staff, phone=self.facts.salon_phone), **base)
        exact = window is not None and window[0] == window[1]
        if exact and starts[0] == window[0]:
            if mode == "move":
                count = len(appt.may_reschedule.appointments)
                reply = self.say("move_ask_group" if count > 1 else "move_ask", staff=appt.staff, count=count,
                                 new=self.when(starts[0]), service=appt.service,
                                 old=replies.when(appt.start, self.lang))
                return self.turn(reply, awaiting="reschedule_confirmation", proposed=starts[0].isoformat(), **base)
            # A new booking has no current time to keep: the exact time is a one-item choice.
            starts, exact = starts[:1], False
        # Nothing free in the window asked for (booked up, or the salon is
        # closed that day): say so before offering the nearest times.
        elsewhere = window is not None and not any(window[0] <= s < window[1] for s in starts)
        key = "offer_instead" if exact or elsewhere else "offer"
        reply = self.say(key, staff=appt.staff, service=appt.service,
                         listing=replies.options([self.local(s) for s in starts], self.lang),
                         choices=replies.choices(len(starts), self.lang))
        return self.turn(reply, awaiting="slot_choice", options=[s.isoformat() for s in starts], **base)

    def refused(self, decision: Decision, appt: AppointmentFacts, offer_cancel: bool) -> Turn:
        reasons = " ".join(decision.explain(self.lang))
        steps = [self.say("call_us", phone=self.facts.salon_phone)] if self.facts.salon_phone else []
        if offer_cancel:
            steps.append(self.say("cancel_instead"))
        reply = replies.compose([self.say("not_allowed", reason=reasons)], steps)
        if offer_cancel:
            # They wanted to move it and the team has to: put it in front of them.
            self.actions.append(("flag", "asked to move it; the team has to"))
        return self.turn(reply, appointment_id=appt.id)

    def names_another(self, appt: AppointmentFacts) -> AppointmentFacts | None:
        """"actually cancel the gel manicure instead", "no the nails one" while
        asked about `appt`: the one other appointment the words name by its
        service or staff member (None when they name `appt`, or none, or several)."""
        words = {stem(w) for w in re.findall(r"[a-z]{3,}", fold(self.text))}

        def named(a: AppointmentFacts) -> bool:
            own = {stem(w) for w in name_words(f"{a.service} {a.staff}") if len(w) >= 3} - _COMMON
            return bool(own & words)
        if named(appt):
            return None
        others = [a for a in self.facts.appointments if a.id != appt.id and named(a)]
        return others[0] if len(others) == 1 else None

    def switched_appointment(self) -> Turn | None:
        """"wrong one, I meant the manicure" mid-exchange: the same request, for
        the appointment they name instead (None when they name no other)."""
        appt = self.by_id.get(self.state.get("appointment_id"))
        if appt is None or self.awaiting not in ("slot_choice", "reschedule_confirmation", "cancel_confirmation") \
                or (self.u.intent == "choose" and self.u.choice):
            return None
        other = self.names_another(appt)
        if other is None:
            return None
        if self.awaiting == "cancel_confirmation":
            return self.cancel_ask(other)
        self.state = {"appointment_id": other.id, "lang": self.lang}
        self.u = Understanding(intent="reschedule", lang=self.lang)
        return self.reschedule()

    def affirm(self) -> Turn:
        appt = self.by_id.get(self.state.get("appointment_id"))
        if self.awaiting == "cancel_confirmation" and appt and (other := self.names_another(appt)):
            return self.cancel_ask(other)                  # never cancel the one they moved away from
        if self.awaiting == "cancel_confirmation" and appt:
            change = self.portal.cancel(appt.id)
            if change.outcome == "done":
                done = self.say("canceled_group", count=change.count, **self.fields(appt)) if change.count > 1 else \
                    self.say("canceled", **self.fields(appt))
                # "Reply R anytime to book again": the same exchange as the follow-up text's.
                return self.turn(replies.compose([done], [self.say("rebook_hint")]), awaiting="followup",
                                 appointment_id=appt.id)
            return self.change_failed(change, appt)
        if self.awaiting == "reschedule_confirmation" and self.state.get("proposed"):
            return self.commit(datetime.fromisoformat(self.state["proposed"]))
        if self.awaiting == "reminder_reply" and appt:
            return self.confirm()
        if self.awaiting in ("none", "followup"):
            return self.turn(None)          # "ok", "cool" after it is all done: nothing to answer
        if self.awaiting == "slot_choice" and self.state.get("options"):
            # "yes" to a list: not a misunderstanding, just not a choice yet.
            return self.turn(self.say("pick_one", choices=replies.choices(len(self.state["options"]), self.lang)),
                             **self.waiting_state())
        return self.misunderstood()

    def deny(self) -> Turn:
        appt = self.by_id.get(self.state.get("appointment_id"))
        if self.awaiting == "cancel_confirmation" and appt and (other := self.names_another(appt)):
            return self.cancel_ask(other)                  # "no, the nails one"
        if self.awaiting in ("cancel_confirmation", "reschedule_confirmation", "slot_choice") and appt:
            # Turning down the times offered is not giving up on moving: say it can go on.
            optional = [self.say("another_time")] if self.awaiting == "slot_choice" else []
            return self.turn(replies.compose([self.say("kept", **self.fields(appt))], optional))
        return self.turn(self.say("nothing_pending"))

    def chose(self, choice: int) -> Turn:
        options = self.state.get("options") or []
        if self.awaiting == "which_appointment":
            return self.misunderstood()
        if not 1 <= choice <= len(options):
            return self.misunderstood()
        return self.commit(datetime.fromisoformat(options[choice - 1]))

    def several_picked(self) -> int | None:
        """"2 and 3", "both", "all of them" asked which appointment: the
        first of those, the request carried on one at a time (never "3" read
        as 3 PM and turned into a different request)."""
        shown = self.state.get("options") or []
        text = self.text.lower()
        numbers = [int(n) for n in re.findall(r"\d+", text)]
        rest = re.sub(r"\d+|\b(?:and|y|e|the|ones?|las|los|la|el|numbers?|please|pls|both|ambas|ambos)\b|[\s,&+.!]", "", text)
        if len(numbers) > 1 and not rest and all(1 <= n <= len(shown) for n in numbers):
            return shown[numbers[0] - 1]
        if shown and re.search(r"\b(?:both|all|ambas|ambos|todas|todos|las dos|los dos)\b", fold(text)):
            return shown[0]
        return None

    def answered_which(self, appointment_id: int) -> Turn:
        shown = self.state.get("options")
        # A number or ordinal counts the ones listed; a day or service may name any of them.
        if appointment_id not in self.by_id or (shown and appointment_id not in shown and self.u.choice):
            return self.misunderstood()
        self.state["appointment_id"] = appointment_id
        self.state["awaiting"] = "none"
        return self.resume()

    def resume(self) -> Turn:
        """Carry on with what the client asked before we asked which appointment."""
        intent = self.state.get("intent", "query")
        window, windows = self.state.get("window"), self.state.get("windows")
        if windows:
            self.u = Understanding(intent=intent, lang=self.lang, when_any=tuple(
                Window(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in windows))
        elif window:
            self.u = Understanding(intent=intent, lang=self.lang, when=Window(
                datetime.fromisoformat(window[0]).replace(tzinfo=None), datetime.fromisoformat(window[1]).replace(tzinfo=None)))
        else:
            # "the one on dec 11" named the appointment: its day is not a time asked for
            self.u = Understanding(intent=intent, lang=self.lang)
        return {"cancel": self.cancel, "reschedule": self.reschedule, "query": self.query,
                "confirm_appointment": self.confirm, "late": self.late}.get(intent, self.query)()

    def commit(self, start: datetime) -> Turn:
        appt_id = self.state.get("appointment_id")
        expired = self.offers_expired()
        if self.state.get("mode") == "rebook" and self.facts.rebook is not None:
            appt = self.facts.rebook
            change = self.portal.rebook(appt.id, start)
            done_key = "booked"
        else:
            appt = self.by_id.get(appt_id)
            if appt is None:
                return self.misunderstood()
            change = self.portal.move(appt.id, start)
            done_key = "moved"
        if change.outcome == "done":
            if change.count > 1 and done_key == "moved":    # a group's primary contact moved the whole group
                done_key += "_group"
            return self.turn(self.say(done_key, service=appt.service, staff=appt.staff, new=self.when(start),
                                      count=change.count))
        if change.outcome == "unavailable":
            if not change.starts:
                return self.turn(self.say("no_times", staff=appt.staff), appointment_id=appt.id)
            key = "offers_expired" if expired else "taken"
            reply = self.say(key, staff=appt.staff, minutes=self.facts.offer_minutes, listing=replies.options([self.local(s) for s in change.starts], self.lang),
                             choices=replies.choices(len(change.starts), self.lang))
            return self.turn(reply, awaiting="slot_choice", appointment_id=appt.id, mode=self.state.get("mode", "move"),
                             options=[s.isoformat() for s in change.starts])
        return self.change_failed(change, appt)

    def change_failed(self, change: Change, appt: AppointmentFacts) -> Turn:
        # No reason comes back when the appointment vanished meanwhile (a race with staff).
        return self.cannot(change.reasons or (self.say("cannot_change"),), appointment_id=appt.id)

    def cannot(self, reasons: Sequence[str], **state: Any) -> Turn:
        """Sorry, why, and the salon's phone."""
        return self.turn(replies.compose([self.say("not_allowed", reason=" ".join(reasons))],
                                         [self.say("call_us", phone=self.facts.salon_phone)]), **state)

    def confirm(self) -> Turn:
        appt = self.target("confirm_appointment")
        if isinstance(appt, Turn):
            return appt
        change = self.portal.confirm(appt.id)
        if change.outcome != "done":
            return self.change_failed(change, appt)
        return self.turn(self.say("confirmed", **self.fields(appt)))

    def query(self) -> Turn:
        appts = self.facts.appointments
        if not appts:
            return self.nothing_booked()
        named = self.by_id.get(int(self.u.appointment)) if (self.u.appointment or "").isdigit() else None
        described = self.candidates()       # "when is my blowout?" with two blowouts booked: both
        first = named or (described[0] if described else appts[0])
        others = [] if named else (described[1:4] if described else [a for a in appts[1:4]])
        optional = []
        if others:
            optional.append(self.say("query_more", listing="\n".join(
                f"- {a.service} with {a.staff} {replies.when(a.start, self.lang)}" if self.lang == "en" else
                f"- {a.service} con {a.staff} el {replies.when(a.start, self.lang)}" for a in others)))
        reply = replies.compose([self.say("query", **self.fields(first))], optional)
        if self.awaiting in ("slot_choice", "reschedule_confirmation", "cancel_confirmation"):
            return self.turn(reply, **self.waiting_state())     # the offer still stands
        return self.turn(reply, appointment_id=first.id)

    def late(self) -> Turn:
        self.actions.append(("flag", "running late"))
        return self.turn(self.say("late", name=self.facts.client_name), **self.waiting_state())

    def human(self) -> Turn:
        self.actions.append(("handoff", "asked for a person"))
        return self.turn(replies.compose([self.say("handoff")], [self.say("handoff_call", phone=self.facts.salon_phone)]))

    def greet(self) -> Turn:
        if not self.facts.appointments and not THANKS.search(self.text):
            return self.nothing_booked()
        if THANKS.search(self.text) or not self.facts.appointments:
            return self.turn(self.say("thanks", name=self.facts.client_name), **self.waiting_state())
        return self.turn(self.say("greet", **self.fields(self.facts.appointments[0])), **self.waiting_state())

    # -- booking again after a cancellation --
    def rebook_offer(self, window: tuple[datetime, datetime] | None) -> Turn:
        appt = self.facts.rebook
        assert appt is not None
        offer = self.portal.offer_rebook(appt.id, window, 3)
        if not offer.ok:
            return self.cannot(offer.reasons)
        return self.present(appt, offer.starts, window, mode="rebook")
