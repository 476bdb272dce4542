"""A small fake of Twilio's Messages API, served over HTTP on loopback.

The worker's tests run the real twilio library (requests, Basic auth, form
encoding, Twilio's error bodies) against this, so what is tested is what
runs in production up to the socket. It implements one endpoint,
POST /2010-04-01/Accounts/{AccountSid}/Messages.json, checks Basic auth,
answers with Twilio-shaped JSON, records every request, and can be scripted
to answer the next calls with a failure: 429, 500, a delay longer than the
client's timeout, or a 400 carrying Twilio error code 21610 or 21211.
"""
from __future__ import annotations

import base64
import json
import re
import secrets
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

ACCOUNT_SID = "AC" + "a1" * 16
AUTH_TOKEN = "fake-twilio-auth-token"
MESSAGES = re.compile(r"^/2010-04-01/Accounts/(AC[0-9a-f]{32})/Messages\.json$")

ERRORS = {
    21610: "Attempt to send to unsubscribed recipient",
    21211: "The 'To' number is not a valid phone number.",
}


@dataclass
class Call:
    """One request the fake received, as the server saw it."""

    account_sid: str
    params: dict[str, str]
    authorized: bool
    answered: int


@dataclass
class FakeTwilioApi:
    accounts: dict[str, str] = field(default_factory=lambda: {ACCOUNT_SID: AUTH_TOKEN})
    slow_seconds: float = 2.0
    calls: list[Call] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._script: deque[str] = deque()
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._stopped = False
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-twilio", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeTwilioApi:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._release.set()          # wake any "slow" answer still sleeping
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def fail_next(self, *outcomes: str) -> None:
        """Answer the next calls with these, in order: "429", "500", "slow",
        "21610", "21211" (then "ok" again)."""
        unknown = set(outcomes) - {"ok", "429", "500", "slow", "21610", "21211"}
        assert not unknown, f"unknown outcomes {unknown}"
        with self._lock:
            self._script.extend(outcomes)

    def sent(self) -> list[Call]:
        """The calls that were accepted (201)."""
        return [c for c in self.calls if c.answered == 201]

    # -- serving --
    def _next_outcome(self) -> str:
        with self._lock:
            return self._script.popleft() if self._script else "ok"

    def _answer(self, path: str, auth: str | None, body: bytes) -> tuple[int, dict]:
        match = MESSAGES.match(path)
        if match is None:
            return 404, _error(404, 20404, "The requested resource was not found")
        account_sid = match.group(1)
        params = {k: v[0] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}
        authorized = self._authorized(account_sid, auth)
        call = Call(account_sid, params, authorized, 0)
        with self._lock:
            self.calls.append(call)
        status, payload = self._respond(account_sid, params, authorized)
        call.answered = status
        return status, payload

    def _authorized(self, account_sid: str, auth: str | None) -> bool:
        if not auth or not auth.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(auth[6:]).decode("utf-8").partition(":")
        except ValueError:
            return False
        return user == account_sid and self.accounts.get(account_sid) == password

    def _respond(self, account_sid: str, params: dict[str, str], authorized: bool) -> tuple[int, dict]:
        if not authorized:
            return 401, _error(401, 20003, "Authenticate")
        for required in ("To", "From", "Body"):
            if not params.get(required):
                return 400, _error(400, 21604 if required == "To" else 21603, f"A '{required}' is required.")
        outcome = self._next_outcome()
        if outcome == "slow":
            self._release.wait(self.slow_seconds)
        elif outcome == "429":
            return 429, _error(429, 20429, "Too Many Requests")
        elif outcome == "500":
            return 500, _error(500, 20500, "Internal Server Error")
        elif outcome in ("21610", "21211"):
            return 400, _error(400, int(outcome), ERRORS[int(outcome)])
        return 201, _message(account_sid, params)


def _message(account_sid: str, params: dict[str, str]) -> dict:
    sid = "SM" + secrets.token_hex(16)
    return {
        "sid": sid, "account_sid": account_sid, "to": params["To"], "from": params["From"],
        "body": params["Body"], "status": "queued", "direction": "outbound-api", "num_segments": "1",
        "num_media": "0", "price": None, "price_unit": "USD", "error_code": None, "error_message": None,
        "api_version": "2010-04-01", "messaging_service_sid": None,
        "date_created": "Tue, 24 Nov 2026 15:00:00 +0000", "date_updated": "Tue, 24 Nov 2026 15:00:00 +0000",
        "date_sent": None, "uri": f"/2010-04-01/Accounts/{account_sid}/Messages/{sid}.json",
        "subresource_uris": {"media": f"/2010-04-01/Accounts/{account_sid}/Messages/{sid}/Media.json"},
    }


def _error(status: int, code: int, message: str) -> dict:
    return {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status}


def _handler(fake: FakeTwilioApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            status, payload = fake._answer(self.path, self.headers.get("Authorization"), self.rfile.read(length))
            body = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass             # the client gave up waiting (the "slow" outcome)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def twilio_api():
    """A running fake Twilio Messages API on 127.0.0.1 (random port)."""
    fake = FakeTwilioApi().start()
    try:
        yield fake
    finally:
        fake.stop()
