"""A salon in memory for conversations as fast tests: the facts of a moment
and the client's bookings (the dialogue's Bookings port) over a SalonWorld's
objects, with no database.

It is a fake of the port, not of our rules: what may be moved or canceled is
decided by bot.domain.rules, and open times are found by the availability
search of bot.domain.availability, on the same objects the database would
hold. What it leaves out is what the database adds: locks, transactions, the
outbox. Those are the end-to-end tests' business (tests/e2e).
"""
from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import datetime, timedelta

from bot.conversation.bookings import Change, Offer, Outcome, Unavailable
from bot.conversation.facts import Booking, Facts
from bot.conversation.state import Awaiting, ConversationState, Mode
from bot.domain import availability
from bot.domain.models import (ACTIVE_STATUSES, CANCELED_STATUSES, Appointment, BookedVia, Client, ServiceLine,
                               Status)
from bot.domain.phones import display
from bot.domain.rules import Decision, may_cancel, may_rebook, may_reschedule
from bot.domain.timezones import as_utc, zone
from bot.persistence.salon_calendar import block_of, search_rules
from bot.persistence.salon_setup import opening_by_weekday
from handlers.appointments import clashes
from nlu.understanding import WEEKDAYS


class FakeSalon:
    """A SalonWorld's salon, its objects given ids as the database would."""

    def __init__(self, world) -> None:
        self.world = world
        self.salon = world.salon
        self._ids = itertools.count(1)
        self.identify()

    def identify(self) -> None:
        """Ids and foreign keys for whatever the world holds (call again after booking more)."""
        salon = self.salon
        salon.id = salon.id or 1
        for obj in (*salon.staff, *salon.services, *salon.clients, *salon.groups, *salon.appointments):
            if obj.id is None:
                obj.id = next(self._ids) + 100
            if hasattr(obj, "salon_id"):
                obj.salon_id = salon.id
        for group in salon.groups:
            group.primary_client_id = group.primary_client.id
        for appt in salon.appointments:
            appt.client_id = appt.client.id
            appt.group_id = appt.group.id if appt.group is not None else None
            for line in appt.lines:
                line.id = line.id or next(self._ids) + 100
                line.appointment_id, line.staff_id, line.service_id = appt.id, line.staff.id, line.service.id

    @property
    def settings(self):
        return self.salon.settings

    def appointment(self, appointment_id: int) -> Appointment | None:
        return next((a for a in self.salon.appointments if a.id == appointment_id), None)

    def facts(self, client: Client, now: datetime, lang: str, state: ConversationState) -> Facts:
        self.identify()
        tz = zone(self.salon.timezone)
        upcoming = sorted((a for a in self.salon.appointments if a.client is client and a.status in ACTIVE_STATUSES
                           and a.starts_at >= now), key=lambda a: (a.starts_at, a.id))
        bookings = tuple(Booking.of(a, tz, lang, may_reschedule(a, client, self.settings, now),
                                  may_cancel(a, client, self.settings, now)) for a in upcoming)
        rebook = None
        if state.awaiting is Awaiting.FOLLOWUP or state.mode is Mode.REBOOK:
            old = self.appointment(state.appointment_id or 0)
            if old is not None and old.client is client:
                decision = may_rebook(old, client, self.settings, now)
                rebook = Booking.of(old, tz, lang, decision, decision, staff=old.lines[0].staff.name)
        return Facts(now=now, tz=tz, lang=lang, client_name=client.first_name, salon_name=self.salon.name,
                     salon_phone=display(self.salon.phone) if self.salon.phone else "",
                     policy=self.settings.policy(lang), bookings=bookings, offer_minutes=self.settings.offer_minutes,
                     rebook=rebook, hours=dict(zip(WEEKDAYS, opening_by_weekday(self.salon.opening_hours))),
                     staff=tuple(member.name for member in self.salon.staff if member.active))

    # --- the search, over the objects ---
    def calendar(self, staff_ids, exclude: set[int]) -> availability.Calendar:
        salon_hours: dict[int, list] = defaultdict(list)
        for row in self.salon.opening_hours:
            salon_hours[row.weekday].append((row.opens, row.closes))
        staff_hours: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        time_off: dict[int, list] = defaultdict(list)
        for member in self.salon.staff:
            for row in member.working_hours:
                staff_hours[member.id][row.weekday].append((row.starts, row.ends))
            time_off[member.id].extend((t.starts_at, t.ends_at) for t in member.time_off)

        def busy(staff_id: int, start: datetime, end: datetime):
            rows = [(line.starts_at, line.minutes, line.service.processing_minutes, line.service.finishing_minutes,
                     line.service.buffer_minutes)
                    for appt in self.salon.appointments if appt.id not in exclude and appt.status not in CANCELED_STATUSES
                    for line in appt.lines if line.staff.id == staff_id
                    and start - availability.LONGEST_LINE <= line.starts_at < end]
            return list(availability.busy_of_lines(rows))

        closures = [(c.starts_at, c.ends_at) for c in self.salon.closures]
        return availability.Calendar(self.salon.timezone, salon_hours, staff_hours, busy, closures, time_off)

    def elsewhere(self, scope, now: datetime) -> list[tuple[datetime, datetime]]:
        """When the clients of these appointments are booked otherwise (any staff member)."""
        ids, clients = {a.id for a in scope}, {a.client.id for a in scope}
        return [(line.starts_at, line.ends_at) for appt in self.salon.appointments
                if appt.client.id in clients and appt.id not in ids and appt.status in ACTIVE_STATUSES
                for line in appt.lines if line.starts_at >= now - timedelta(days=1)]

    def openings(self, scope, now: datetime, window, count: int, exclude: set[int]) -> list[datetime]:
        block = block_of(scope)
        calendar = self.calendar(block.staff_ids, exclude)
        rules = search_rules(self.salon, now)
        elsewhere = self.elsewhere(scope, now)
        wanted = count + min(len(elsewhere), 6)
        if window is None:
            found = availability.next_openings(block, calendar, rules, now, count=wanted)
        else:
            found = availability.openings_near(block, calendar, rules, window[0], window[1], limit=wanted, now=now)
        return [s for s in found if not clashes(block, s, elsewhere)][:count]

    def unavailable(self, scope, now: datetime, window, starts, exclude: set[int]) -> Unavailable | None:
        """Why nothing is open at the time asked, as handlers.appointments says it."""
        if window is None or any(s == window[0] if window[0] == window[1] else window[0] <= s < window[1]
                                 for s in starts):
            return None
        block = block_of(scope)
        rules = search_rules(self.salon, now)
        why = availability.why_unavailable(block, self.calendar(block.staff_ids, exclude), rules, *window)
        if why.reason == "busy" and window[0] == window[1] and clashes(block, window[0], self.elsewhere(scope, now)):
            return Unavailable("yours", why.day)
        staff = {line.staff.id: line.staff.name for appt in scope for line in appt.lines}
        limit = rules.latest if why.reason == "horizon" else rules.earliest if why.reason == "notice" else None
        return Unavailable(why.reason, why.day, staff.get(why.staff_id, ""), limit)

    def is_open(self, scope, start: datetime, now: datetime, exclude: set[int]) -> bool:
        block = block_of(scope)
        return availability.is_open(block, start, self.calendar(block.staff_ids, exclude), search_rules(self.salon, now)) \
            and not clashes(block, start, self.elsewhere(scope, now))


class FakeBookings:
    """The client's bookings at one moment (bot.conversation.bookings.Bookings).
    `changes` lists what it did, for a test to read."""

    def __init__(self, salon: FakeSalon, client: Client, now: datetime, lang: str) -> None:
        self.salon, self.client, self.now, self.lang = salon, client, as_utc(now), lang
        self.changes: list[tuple[str, int]] = []

    def _refused(self, decision: Decision) -> tuple[str, ...]:
        return tuple(decision.explain(self.lang))

    def _mine(self, appointment_id: int) -> Appointment | None:
        appt = self.salon.appointment(appointment_id)
        if appt is None:
            return None
        group = appt.group
        if appt.client is self.client or (group is not None and group.primary_client is self.client):
            return appt
        return None

    def offer(self, appointment_id, window, count) -> Offer:
        return self._offer(may_reschedule, appointment_id, window, count)

    def offer_rebook(self, appointment_id, window, count) -> Offer:
        return self._offer(may_rebook, appointment_id, window, count, moving=False)

    def _offer(self, rule, appointment_id, window, count, moving: bool = True) -> Offer:
        appt = self._mine(appointment_id)
        if appt is None:
            return Offer(False)
        decision = rule(appt, self.client, self.salon.settings, self.now)
        if not decision.allowed:
            return Offer(False, reasons=self._refused(decision))
        scope = decision.appointments
        exclude = {a.id for a in scope} if moving else set()
        starts = tuple(self.salon.openings(scope, self.now, window, count, exclude))
        return Offer(True, starts, unavailable=self.salon.unavailable(scope, self.now, window, starts, exclude))

    def move(self, appointment_id, start) -> Change:
        appt = self._mine(appointment_id)
        if appt is None:
            return Change(Outcome.NOT_FOUND)
        decision = may_reschedule(appt, self.client, self.salon.settings, self.now)
        if not decision.allowed:
            return Change(Outcome.NOT_ALLOWED, reasons=self._refused(decision))
        scope = decision.appointments
        exclude = {a.id for a in scope}
        if start <= self.now or not self.salon.is_open(scope, start, self.now, exclude):
            return Change(Outcome.UNAVAILABLE, tuple(self.salon.openings(scope, self.now, (start, start), 3, exclude)))
        shift = start - min(a.starts_at for a in scope)
        for a in scope:
            for line in a.lines:
                line.starts_at = line.starts_at + shift
            a.self_reschedules += 1
            self.changes.append(("moved", a.id))
        return Change(Outcome.DONE, count=len(scope))

    def cancel(self, appointment_id) -> Change:
        appt = self._mine(appointment_id)
        if appt is None:
            return Change(Outcome.NOT_FOUND)
        decision = may_cancel(appt, self.client, self.salon.settings, self.now)
        if not decision.allowed:
            return Change(Outcome.NOT_ALLOWED, reasons=self._refused(decision))
        for a in decision.appointments:
            a.status, a.canceled_at = Status.CANCELED.value, self.now
            self.changes.append(("canceled", a.id))
        return Change(Outcome.DONE, count=len(decision.appointments))

    def confirm(self, appointment_id) -> Change:
        appt = self._mine(appointment_id)
        if appt is None or appt.client is not self.client:
            return Change(Outcome.NOT_FOUND)
        if appt.status not in ACTIVE_STATUSES or appt.starts_at <= self.now:
            decision = may_reschedule(appt, self.client, self.salon.settings, self.now)
            return Change(Outcome.NOT_ALLOWED, reasons=self._refused(decision))
        appt.status = Status.CONFIRMED.value
        self.changes.append(("confirmed", appt.id))
        return Change(Outcome.DONE)

    def canceled(self) -> tuple[Booking, ...]:
        tz = zone(self.salon.salon.timezone)
        since = self.now - timedelta(days=60)
        found = sorted((a for a in self.salon.salon.appointments if a.client is self.client
                        and a.status in CANCELED_STATUSES and (a.canceled_at or a.booked_at) >= since),
                       key=lambda a: (a.canceled_at or a.booked_at, a.id), reverse=True)[:3]
        out = []
        for a in found:
            decision = may_rebook(a, self.client, self.salon.settings, self.now)
            out.append(Booking.of(a, tz, self.lang, decision, decision, staff=a.lines[0].staff.name))
        return tuple(out)

    def rebook(self, appointment_id, start) -> Change:
        old = self._mine(appointment_id)
        if old is None:
            return Change(Outcome.NOT_FOUND)
        decision = may_rebook(old, self.client, self.salon.settings, self.now)
        if not decision.allowed:
            return Change(Outcome.NOT_ALLOWED, reasons=self._refused(decision))
        if start <= self.now or not self.salon.is_open([old], start, self.now, set()):
            return Change(Outcome.UNAVAILABLE, tuple(self.salon.openings([old], self.now, (start, start), 3, set())))
        shift = start - old.starts_at
        new = Appointment(salon=self.salon.salon, client=self.client, booked_via=BookedVia.ONLINE, booked_at=self.now)
        for line in old.lines:
            new.lines.append(ServiceLine(service=line.service, staff=line.staff, starts_at=line.starts_at + shift,
                                         minutes=line.minutes))
        self.salon.identify()
        self.changes.append(("booked", new.id))
        return Change(Outcome.DONE)
