"""The client's bookings as the conversation sees them (bot.conversation.bookings):
the booking actions of handlers.appointments, bound to one client, one
moment and one channel, their results put in the dialogue's terms."""
from __future__ import annotations

from datetime import datetime

from bot.conversation.bookings import Change, Offer, Outcome, Window
from bot.conversation.facts import Booking
from bot.domain.rules import may_rebook
from bot.domain.timezones import zone
from bot.persistence.appointment_rows import ClientRef
from bot.messaging.outbox import notify_change
from bot.persistence.database import Database
from handlers import appointments as actions
from handlers.results import ActionResult


class ClientBookings:
    """One client's bookings at one moment, changed through one channel."""

    def __init__(self, db: Database, client_id: int, now: datetime, channel: str, lang: str,
                 reading: actions.Reading | None = None) -> None:
        """`reading`: the turn's open read, for offers to read within."""
        self.db, self.client_id, self.now, self.channel, self.lang = db, client_id, now, channel, lang
        self.reading = reading
        # A change a client makes tells them and the salon (the automated messages).
        self.subscribers = (notify_change,)

    def _offer(self, result: ActionResult) -> Offer:
        if result.outcome is Outcome.DONE:
            return Offer(True, result.offers, unavailable=result.unavailable)
        return Offer(False, reasons=tuple(result.decision.explain(self.lang)) if result.decision else ())

    def _change(self, result: ActionResult) -> Change:
        reasons = tuple(result.decision.explain(self.lang)) if result.decision and not result.decision.allowed else ()
        return Change(result.outcome, result.offers, reasons, max(1, len(result.appointment_ids)))

    def offer(self, appointment_id: int, window: Window | None, count: int) -> Offer:
        return self._offer(actions.offer_times(self.db, client_id=self.client_id, appointment_id=appointment_id,
                                               now=self.now, window=window, count=count, reading=self.reading))

    def move(self, appointment_id: int, start: datetime) -> Change:
        if start <= self.now:
            return Change(Outcome.UNAVAILABLE)
        return self._change(actions.reschedule(self.db, client_id=self.client_id, appointment_id=appointment_id,
                                               new_start=start, now=self.now, channel=self.channel,
                                               subscribers=self.subscribers))

    def cancel(self, appointment_id: int) -> Change:
        return self._change(actions.cancel(self.db, client_id=self.client_id, appointment_id=appointment_id,
                                           now=self.now, channel=self.channel, subscribers=self.subscribers))

    def confirm(self, appointment_id: int) -> Change:
        return self._change(actions.confirm(self.db, client_id=self.client_id, appointment_id=appointment_id,
                                            now=self.now, channel=self.channel))

    def offer_rebook(self, appointment_id: int, window: Window | None, count: int) -> Offer:
        return self._offer(actions.offer_rebook_times(self.db, client_id=self.client_id,
                                                      appointment_id=appointment_id, now=self.now,
                                                      window=window, count=count, reading=self.reading))

    def canceled(self) -> tuple[Booking, ...]:
        if self.reading is None:
            return ()
        session, settings = self.reading.session, self.reading.setup.settings
        tz = zone(self.reading.setup.salon.timezone)
        client = ClientRef(self.client_id)
        found = []
        for appointment in actions.recently_canceled(session, self.client_id, self.now):
            decision = may_rebook(appointment, client, settings, self.now)
            found.append(Booking.of(appointment, tz, self.lang, decision, decision,
                                    staff=appointment.lines[0].staff.name if appointment.lines else ""))
        return tuple(found)

    def rebook(self, appointment_id: int, start: datetime) -> Change:
        if start <= self.now:
            return Change(Outcome.UNAVAILABLE)
        return self._change(actions.rebook(self.db, client_id=self.client_id, appointment_id=appointment_id,
                                           new_start=start, now=self.now, channel=self.channel,
                                           subscribers=self.subscribers))
