"""The worker's Transport for Twilio, through the real `twilio.rest.Client`.

Twilio's API address is a setting (TWILIO_API_URL) so tests and checks can
point the real library at a fake of the Messages API on loopback. The
twilio library has no base-URL option; the extension point Twilio documents
for this ("Custom HTTP clients for the Twilio Python helper library") is a
subclass of `TwilioHttpClient` handed to `Client(http_client=...)`, so that is
what `ApiUrlHttpClient` is: it swaps the origin of every api.twilio.com URL
for the configured one and otherwise sends exactly what the library built.
The same http client carries the request timeout.

Failures come back as the domain's two kinds: 429, 5xx, timeouts and
connection errors are transient; any other 4xx (21610 unsubscribed, 21211
invalid number, ...) is permanent.
"""
from __future__ import annotations

from typing import Any

import requests
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot.messaging.transports import Account, PermanentSendError, SendResult, TransientSendError

TWILIO_API_URL = "https://api.twilio.com"
DEFAULT_TIMEOUT = 10.0   # seconds; a send that takes longer is retried later


class ApiUrlHttpClient(TwilioHttpClient):
    """TwilioHttpClient that talks to `api_url` instead of https://api.twilio.com."""

    def __init__(self, api_url: str = TWILIO_API_URL, timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self.api_url = api_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        if url.startswith(TWILIO_API_URL):
            url = self.api_url + url[len(TWILIO_API_URL):]
        return super().request(method, url, *args, **kwargs)

    def close(self) -> None:
        if self.session is not None:
            self.session.close()


class TwilioTransport:
    """Sends through the deployment's Twilio account, or a salon's own."""

    def __init__(self, account_sid: str, auth_token: str, api_url: str = "",
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self.default = Account(account_sid, auth_token)
        self.api_url = api_url or TWILIO_API_URL
        self.timeout = timeout
        self._clients: dict[Account, Client] = {}

    def client(self, account: Account | None = None) -> Client:
        account = account or self.default
        if account not in self._clients:
            http = ApiUrlHttpClient(self.api_url, self.timeout)
            self._clients[account] = Client(account.sid, account.token, http_client=http)
        return self._clients[account]

    def send(self, to: str, from_: str, body: str, status_callback: str | None,
             account: Account | None = None) -> SendResult:
        try:
            message = self.client(account).messages.create(to=to, from_=from_, body=body,
                                                           status_callback=status_callback)
        except (TwilioRestException, TwilioServiceException) as error:
            # The legacy error body and the RFC 9457 one both carry an HTTP status and a Twilio code.
            status, code = int(error.status), error.code
            message = getattr(error, "msg", None) or getattr(error, "detail", None) or ""
            if status == 429 or status >= 500:
                raise TransientSendError(f"twilio {status} {code}: {message}") from error
            raise PermanentSendError(code or status, str(message)) from error
        except requests.RequestException as error:   # timeouts, refused or dropped connections
            raise TransientSendError(f"{type(error).__name__}: {error}") from error
        return SendResult(sid=message.sid, status=message.status or "queued")

    def close(self) -> None:
        for client in self._clients.values():
            client.http_client.close()
        self._clients.clear()
