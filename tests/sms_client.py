"""A client texting the salon through the real webhook, with real Twilio signatures."""
from __future__ import annotations

import itertools
import re
from html import unescape

from webhooks.sms.signature import sign

TOKEN = "test-auth-token"
BASE = "https://salonbot.example.com"
_sids = itertools.count(1)


class Texter:
    def __init__(self, app, phone: str, to: str = "+12125550100") -> None:
        self.http = app.test_client()
        self.phone, self.to = phone, to

    def post(self, body: str, sid: str | None = None, media: int = 0, signature: str | None = None, **extra):
        params = {"From": self.phone, "To": self.to, "Body": body, "MessageSid": sid or f"SM{next(_sids):032d}",
                  "AccountSid": "AC" + "0" * 32, "NumMedia": str(media), **extra}
        url = f"{BASE}/sms/inbound"
        headers = {"X-Twilio-Signature": signature if signature is not None else sign(TOKEN, url, params)}
        return self.http.post("/sms/inbound", data=params, headers=headers)

    def say(self, body: str, **kw) -> str | None:
        response = self.post(body, **kw)
        assert response.status_code == 200, response.get_data(as_text=True)
        return reply_of(response.get_data(as_text=True))

    def verify(self, exchange: list[tuple[str, str | None]]) -> None:
        verify(self.say, exchange)


def verify(say, exchange: list[tuple[str, str | None]]) -> None:
    """zulip-style: each (what the client says, what the bot must answer).
    An expected reply ending in '…' only has to start with what comes before."""
    for said, expected in exchange:
        got = say(said)
        if expected is None:
            assert got is None, f"{said!r} -> expected no reply, got {got!r}"
        elif expected.endswith("…"):
            assert got is not None and got.startswith(expected[:-1]), f"{said!r} -> {got!r}"
        else:
            assert got == expected, f"{said!r} ->\n  got      {got!r}\n  expected {expected!r}"


def reply_of(twiml: str) -> str | None:
    found = re.search(r"<Message>(.*?)</Message>", twiml, re.S)
    return unescape(found.group(1)) if found else None
