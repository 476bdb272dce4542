"""POST /sms/status through the Flask test client, with real Twilio signatures.

Each test first sends a text for real (the worker, the real twilio library,
the fake Twilio API on loopback), so the callback names a MessageSid the
worker recorded, exactly as Twilio's would.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.domain.models import Client, Conversation, Outbox, Salon
from bot.messaging.outbox import enqueue
from bot.messaging.worker import UNSUBSCRIBED_FLAG, run_once
from tests.factories import NOW, standard_world
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, twilio_api  # noqa: F401  (fixture)
from webhooks import create_app
from webhooks.sms.signature import sign
from webhooks.twilio_transport import TwilioTransport

BASE = "https://salonbot.example.com"
CALLBACK = f"{BASE}/sms/status"


@pytest.fixture
def app(db):
    world = standard_world()
    world.add_client("Ana Garcia")
    with db.write() as session:
        session.add(world.salon)
    return create_app({"DATABASE": db, "TESTING": True, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
                       "PUBLIC_BASE_URL": BASE, "CLOCK": lambda: NOW})


@pytest.fixture
def send(db, twilio_api):
    """Send one text through the fake Twilio; returns its MessageSid."""
    transports = []

    def send(account: tuple[str, str] | None = None) -> str:
        with db.write() as session:
            salon = session.scalars(select(Salon)).one()
            if account:
                twilio_api.accounts[account[0]] = account[1]
                salon.twilio_account_sid, salon.twilio_auth_token = account
            client = session.scalars(select(Client)).one()
            row = enqueue(session, salon=salon, to_phone=client.phone, body="See you soon", kind="client_booked",
                          client=client, due_at=NOW)
            session.flush()
            row_id = row.id
        transport = TwilioTransport(ACCOUNT_SID, AUTH_TOKEN, api_url=twilio_api.url, timeout=2)
        transports.append(transport)
        assert run_once(db, transport, NOW, CALLBACK).sent == 1
        assert twilio_api.calls[-1].params["StatusCallback"] == CALLBACK
        return row_of(db, row_id).provider_sid

    yield send
    for transport in transports:
        transport.close()


def row_of(db, row_id: int | None = None, sid: str | None = None) -> Outbox:
    with db.read() as session:
        if sid is not None:
            return session.scalars(select(Outbox).where(Outbox.provider_sid == sid)).one()
        return session.get(Outbox, row_id)


def callback(app, sid: str, status: str, token: str = AUTH_TOKEN, signature: str | None = None,
             account_sid: str = ACCOUNT_SID, **extra: str):
    params = {"MessageSid": sid, "SmsSid": sid, "MessageStatus": status, "SmsStatus": status,
              "AccountSid": account_sid, "From": "+12125550100", "To": "+12125551001", "ApiVersion": "2010-04-01",
              **extra}
    params = {k: v for k, v in params.items() if v is not None}
    headers = {"X-Twilio-Signature": signature if signature is not None else sign(token, CALLBACK, params)}
    return app.test_client().post("/sms/status", data=params, headers=headers)


def test_a_signed_delivered_callback_is_recorded(app, db, send):
    sid = send()
    assert row_of(db, sid=sid).status == "sent"
    assert callback(app, sid, "delivered").status_code == 200
    assert row_of(db, sid=sid).status == "delivered"


@pytest.mark.parametrize("how", ["forged", "missing", "other token"])
def test_a_bad_signature_is_refused_and_changes_nothing(app, db, send, how):
    sid = send()
    response = {"forged": lambda: callback(app, sid, "failed", signature="bm90IGEgc2lnbmF0dXJl"),
                "missing": lambda: callback(app, sid, "failed", signature=""),
                "other token": lambda: callback(app, sid, "failed", token="someone-elses-token")}[how]()
    assert response.status_code == 403
    assert row_of(db, sid=sid).status == "sent"


def test_a_signature_over_other_parameters_is_refused(app, db, send):
    sid = send()
    params = {"MessageSid": sid, "MessageStatus": "delivered", "AccountSid": ACCOUNT_SID}
    signature = sign(AUTH_TOKEN, CALLBACK, params)
    response = app.test_client().post("/sms/status", data={**params, "MessageStatus": "failed", "ErrorCode": "21610"},
                                      headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403
    assert row_of(db, sid=sid).status == "sent"


def test_an_unknown_message_sid_is_acknowledged_and_changes_nothing(app, db, send):
    sid = send()
    assert callback(app, "SM" + "f" * 32, "delivered").status_code == 200
    assert row_of(db, sid=sid).status == "sent"


def test_statuses_never_move_backwards(app, db, send):
    sid = send()
    for status, expected in (("queued", "sent"), ("sent", "sent"), ("delivered", "delivered"),
                             ("sent", "delivered"), ("queued", "delivered"), ("failed", "delivered")):
        assert callback(app, sid, status).status_code == 200
        assert row_of(db, sid=sid).status == expected, (status, expected)


def test_twilios_intermediate_statuses_are_acknowledged_but_not_recorded(app, db, send):
    sid = send()
    for status in ("accepted", "sending"):
        assert callback(app, sid, status).status_code == 200
    assert row_of(db, sid=sid).status == "sent"


def test_undelivered_records_the_error_code(app, db, send):
    sid = send()
    assert callback(app, sid, "undelivered", ErrorCode="30003").status_code == 200
    row = row_of(db, sid=sid)
    assert (row.status, row.error_code) == ("undelivered", 30003)
    with db.read() as session:
        assert not session.scalars(select(Client)).one().opted_out


def test_failed_with_21610_opts_the_client_out_and_flags_the_conversation(app, db, send):
    sid = send()
    assert callback(app, sid, "failed", ErrorCode="21610").status_code == 200
    row = row_of(db, sid=sid)
    assert (row.status, row.error_code) == ("failed", 21610)
    with db.read() as session:
        client = session.scalars(select(Client)).one()
        assert client.opted_out and client.opted_out_at == NOW
        conversation = session.scalars(select(Conversation).where(Conversation.address == client.phone)).one()
        assert (conversation.flag, conversation.flagged_at) == (UNSUBSCRIBED_FLAG, NOW)


def test_a_salon_with_its_own_account_is_checked_with_its_own_token(app, db, send):
    own = ("AC" + "c3" * 16, "the-salons-own-token")
    sid = send(account=own)
    assert callback(app, sid, "delivered", account_sid=own[0]).status_code == 403      # deployment token
    assert callback(app, sid, "delivered", token=own[1], account_sid=own[0]).status_code == 200
    assert row_of(db, sid=sid).status == "delivered"


@pytest.mark.parametrize("extra", [
    {"MessageSid": None, "SmsSid": None},
    {"MessageStatus": None, "SmsStatus": None},
    {"MessageStatus": "exploded"},
    {"ErrorCode": "not-a-number"},
    {"MessageSid": "SM" + "x" * 200},
    {"MessageSid": "SM../../etc"},
])
def test_malformed_callbacks_get_400_and_change_nothing(app, db, send, extra):
    sid = send()
    params = {"MessageSid": sid, "MessageStatus": "delivered", **extra}
    response = callback(app, params.pop("MessageSid"), params.pop("MessageStatus"), **params)
    assert response.status_code == 400
    assert row_of(db, sid=sid).status == "sent"


def test_garbage_bodies_never_get_a_500(app):
    http = app.test_client()
    for data, content_type in ((b"\xff\xfe\x00garbage=\xc3\x28", "application/x-www-form-urlencoded"),
                               (b'{"MessageSid": 1}', "application/json"),
                               (b"", "application/x-www-form-urlencoded")):
        response = http.post("/sms/status", data=data, content_type=content_type,
                             headers={"X-Twilio-Signature": "abc"})
        assert response.status_code in (400, 403)
