"""How the worker hands a text to a provider, without knowing which provider.

The domain imports neither Flask nor Twilio, so the worker receives a
`Transport` (a Protocol) and learns only two kinds of failure: transient
(try again later: rate limits, provider outages, timeouts, a dropped
connection) and permanent (never try again: an unsubscribed or invalid
number). The Twilio transport lives in webhooks/twilio_transport.py; the
console transport here stands in for it when no credentials are set (the
demo), so automated texts show up in the demo's output.
"""
from __future__ import annotations

import sys
import uuid
from dataclasses import dataclass
from typing import Protocol, TextIO

# Twilio error codes the worker acts on beyond "give up".
UNSUBSCRIBED = 21610      # the recipient texted STOP: the carrier blocks us
INVALID_NUMBER = 21211    # not a phone number that can receive texts


@dataclass(frozen=True)
class Account:
    """A provider account to send from: a salon may bring its own."""

    sid: str
    token: str


@dataclass(frozen=True)
class SendResult:
    sid: str       # the provider's id for the message; status callbacks name it
    status: str    # what the provider said at once, e.g. "queued"


class TransientSendError(Exception):
    """Not sent this time; the same request may well succeed later."""


class PermanentSendError(Exception):
    """Not sent, and sending again would fail the same way."""

    def __init__(self, code: int | None, message: str = "") -> None:
        super().__init__(f"{code}: {message}" if message else str(code))
        self.code = code


class Transport(Protocol):
    def send(self, to: str, from_: str, body: str, status_callback: str | None,
             account: Account | None = None) -> SendResult:
        """Hand one text to the provider; raise TransientSendError or PermanentSendError."""
        ...


class ConsoleTransport:
    """Prints each text instead of sending it: the demo's stand-in for Twilio."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out

    def send(self, to: str, from_: str, body: str, status_callback: str | None,
             account: Account | None = None) -> SendResult:
        out = self.out or sys.stdout
        indented = "\n".join(f"  | {line}" for line in body.splitlines() or [""])
        print(f"--- SMS from {from_} to {to} ---\n{indented}", file=out, flush=True)
        return SendResult(sid=f"CONSOLE{uuid.uuid4().hex}", status="sent")
