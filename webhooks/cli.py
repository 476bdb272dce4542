"""`salonbot` commands: set up the database, seed the demo, look things up,
run the outbox worker.

The database comes from DATABASE_URL (default: a SQLite file under
instance/), read when a command runs; the worker also reads the Twilio
settings (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_API_URL) and
PUBLIC_BASE_URL, and prints texts instead of sending them without credentials.
"""
from __future__ import annotations

import argparse
import html
import json
import logging
import os
import re
import secrets
import signal
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from bot import config
from bot.demo import demo_cases, demo_salon, seed_demo
from bot.domain.errors import DomainError
from bot.domain.models import Appointment, Client, Salon, SmsNumber
from bot.domain.timezones import UTC, to_local
from bot.messaging.transports import Account, ConsoleTransport, SendResult, Transport
from bot.messaging.worker import run_forever, tick
from bot.persistence import schema
from bot.persistence.database import Database
from bot.serialize import appointment_data
from handlers.appointments import upcoming_appointments
from webhooks.sms.signature import sign
from webhooks.twilio_transport import TwilioTransport


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="salonbot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    migrations = commands.add_parser("db", help="the database schema: migrate it, or see where it is")
    migrations.add_argument("action", choices=("upgrade", "current"),
                            help="upgrade: migrate DATABASE_URL to the newest revision; current: print its revision")
    seed = commands.add_parser("seed-demo", help="create (or recreate) the demo salon")
    seed.add_argument("--json", action="store_true", help="print the demo's clients and cases as JSON")
    info = commands.add_parser("demo-info", help="list the demo's clients and special cases as they are now "
                                                 "(changes nothing; seed-demo starts the demo afresh)")
    info.add_argument("--json", action="store_true", help="the same JSON as seed-demo --json")
    appts = commands.add_parser("appointments", help="a client's upcoming appointments")
    appts.add_argument("--phone", required=True, help="the client's phone number")
    appts.add_argument("--salon", help="salon slug (needed only when the number is a client of several)")
    appts.add_argument("--json", action="store_true")
    work = commands.add_parser("worker", help="send queued texts; queue reminders and follow-ups")
    work.add_argument("--once", action="store_true", help="one turn, then exit")
    work.add_argument("--poll", type=float, default=5.0, help="seconds between turns (default 5)")
    text = commands.add_parser("text", help="text the running bot as a client would, through Twilio's webhook")
    text.add_argument("body", help="what the client writes")
    text.add_argument("--from", dest="sender", required=True, help="the client's phone number")
    text.add_argument("--to", help="the salon's SMS number (default: the first salon's)")
    text.add_argument("--url", default=os.environ.get("SALONBOT_URL", f"http://127.0.0.1:{os.environ.get('PORT', '5000')}"),
                      help="where the bot runs (default http://127.0.0.1:$PORT)")
    args = parser.parse_args(argv)

    db = Database(config.database_url())
    try:
        return {"db": _db, "seed-demo": _seed_demo, "demo-info": _demo_info, "appointments": _appointments,
                "worker": _worker, "text": _text}[args.command](db, args)
    except DomainError as error:
        print(f"salonbot: {error}", file=sys.stderr)
        return 2
    finally:
        db.dispose()


def _db(db: Database, args: argparse.Namespace) -> int:
    where = db.url.render_as_string(hide_password=True)
    if args.action == "current":
        with db.engine.connect() as connection:
            current = schema.revision(connection)
        print(f"{where}: at {current or 'no revision'}; newest is {schema.head()}")
        return 0 if current == schema.head() else 1
    try:
        print(f"{where}: at {db.migrate()}")
    except schema.OutdatedDatabase as error:
        print(f"salonbot: {error}", file=sys.stderr)
        return 2
    return 0


def clock() -> datetime:
    """Now, for the commands that list what is upcoming (a test pins it)."""
    return datetime.now(UTC)


def _seed_demo(db: Database, args: argparse.Namespace) -> int:
    try:
        db.migrate()
    except schema.OutdatedDatabase:
        # The demo is replaced anyway: a demo database from an older salonbot
        # is rebuilt rather than failing on a column it lacks.
        print("rebuilding the demo database (made by an older salonbot)", file=sys.stderr)
        db.drop_all()
        db.migrate()
    now = clock()
    with db.write() as session:
        salon = seed_demo(session, now).salon
        listing = demo_listing(session, salon, now)
    _print_listing(listing, args.json, f"Seeded {salon.name}")
    return 0


def _demo_info(db: Database, args: argparse.Namespace) -> int:
    """seed-demo's listing, read from the database as it is now (after
    whatever the person exploring the demo did): nothing is changed."""
    now = clock()
    salon = None
    if inspect(db.engine).has_table(Salon.__tablename__) and schema.problem(db) is None:
        with db.read() as session:
            salon = demo_salon(session)
            listing = demo_listing(session, salon, now) if salon is not None else None
    if salon is None:
        print("salonbot: no demo salon in this database; run salonbot seed-demo", file=sys.stderr)
        return 1
    _print_listing(listing, args.json, f"The demo salon {salon.name}")
    return 0


def demo_listing(session: Session, salon: Salon, now: datetime) -> dict:
    """The demo salon, every client with their upcoming appointments, and the
    special cases, as `seed-demo` and `demo-info` print them: read from the
    database, so the two say the same."""
    tz = salon.timezone
    clients = session.scalars(select(Client).where(Client.salon_id == salon.id).order_by(Client.id)).all()
    return {
        "salon": {"id": salon.id, "name": salon.name, "slug": salon.slug, "timezone": tz,
                  "sms_number": salon.numbers[0].phone, "phone": salon.phone,
                  "notification_phone": salon.notification_phone},
        "clients": [
            {"id": c.id, "name": c.name, "phone": c.phone, "language": c.language,
             "upcoming": [appointment_data(a) for a in upcoming_appointments(session, c, now)]}
            for c in clients
        ],
        "cases": {name: {"phone": appt.client.phone, "client_id": appt.client_id, "appointment_id": appt.id,
                         "start": to_local(appt.starts_at, tz).isoformat(), "status": appt.status}
                  for name, appt in demo_cases(session, salon).items()},
        "appointments": session.scalar(select(func.count()).select_from(Appointment)
                                       .where(Appointment.salon_id == salon.id)),
    }


def _print_listing(listing: dict, as_json: bool, headline: str) -> None:
    if as_json:
        print(json.dumps(listing, indent=2, ensure_ascii=False))
        return
    print(f"{headline}: {len(listing['clients'])} clients, {listing['appointments']} appointments.")
    print(f"Texts to the salon go to {listing['salon']['sms_number']}.")
    for name, case in listing["cases"].items():
        when = datetime.fromisoformat(case["start"]).strftime("%a %b %d %I:%M %p")
        print(f"  {name:22s} client {case['phone']}  appointment #{case['appointment_id']:<4} {when}  {case['status']}")


def _appointments(db: Database, args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    with db.read() as session:
        salons = select(Salon) if not args.salon else select(Salon).where(Salon.slug == args.salon)
        candidates = []
        for salon in session.scalars(salons):
            try:
                candidates.append((salon, salon.e164(args.phone)))
            except DomainError:
                continue
        if not candidates:
            raise DomainError(f"not a valid phone number: {args.phone!r}")
        clients = [c for salon, phone in candidates
                   for c in session.scalars(select(Client).where(Client.salon_id == salon.id, Client.phone == phone))]
        if not clients:
            print(f"salonbot: no client with phone {args.phone}", file=sys.stderr)
            return 1
        rows = [dict(appointment_data(a), salon=c.salon.slug, client=c.name)
                for c in clients for a in upcoming_appointments(session, c, now)]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for row in rows:
            lines = ", ".join(f"{l['service']} with {l['staff']}" for l in row["lines"])
            when = datetime.fromisoformat(row["start"]).strftime("%a %b %d %I:%M %p")
            print(f"#{row['id']:<5} {when}  {row['status']:9s} {lines}")
    return 0


def _worker(db: Database, args: argparse.Namespace) -> int:
    """Send what the outbox holds until SIGTERM (honcho, systemd) or Ctrl-C; the
    text being sent when the signal comes is finished and recorded first."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    # twilio logs every request (with the client's number and text) at INFO: keep that out of the logs.
    logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
    transport, description = _transport(os.environ)
    base = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")
    callback = f"{base}/sms/status" if base else None
    try:
        if args.once:
            stats = tick(db, transport, datetime.now(UTC), callback)
            print(f"worker: {stats}")
            return 0
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        print(f"worker: {description}; status callbacks to {callback or '(none: PUBLIC_BASE_URL unset)'}",
              flush=True)
        run_forever(db, transport, status_callback_url=callback, poll_seconds=args.poll, stop_event=stop)
        print("worker: stopped", flush=True)
        return 0
    finally:
        close = getattr(transport, "close", None)
        if close is not None:
            close()


def _transport(env: Mapping[str, str]) -> tuple[Transport, str]:
    sid, token = env.get("TWILIO_ACCOUNT_SID", ""), env.get("TWILIO_AUTH_TOKEN", "")
    if sid and token:
        api_url = env.get("TWILIO_API_URL", "")
        return TwilioTransport(sid, token, api_url=api_url), f"sending through Twilio at {api_url or 'api.twilio.com'}"
    if env.get("TEXTS_LOG"):
        return _TextsLog(env["TEXTS_LOG"]), f"no Twilio credentials: writing texts to {env['TEXTS_LOG']} instead of sending them"
    return ConsoleTransport(), "no Twilio credentials: printing texts instead of sending them"


class _TextsLog(ConsoleTransport):
    """The console transport appending to a file: the demo's worker queues
    dozens of reminders as it starts, a wall of text in the terminal where
    its one-line summaries belong (`make demo` sets TEXTS_LOG)."""

    def __init__(self, path: str) -> None:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        super().__init__(open(path, "a", encoding="utf-8"))

    def send(self, to: str, from_: str, body: str, status_callback: str | None,
             account: Account | None = None) -> SendResult:
        print(f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC", file=self.out)
        return super().send(to, from_, body, status_callback, account=account)

    def close(self) -> None:
        self.out.close()



def _text(db: Database, args: argparse.Namespace) -> int:
    """Play a client: sign the message as Twilio would and post it to the webhook."""
    token = os.environ.get("TWILIO_AUTH_TOKEN", "")
    if not token:
        print("salonbot: set TWILIO_AUTH_TOKEN to the token the bot checks signatures with", file=sys.stderr)
        return 2
    to = args.to
    if to is None:
        with db.read() as session:
            to = session.scalar(select(SmsNumber.phone).order_by(SmsNumber.id))
        if to is None:
            print("salonbot: no salon has an SMS number; run salonbot seed-demo", file=sys.stderr)
            return 2
    params = {"From": args.sender, "To": to, "Body": args.body, "MessageSid": "SM" + secrets.token_hex(16),
              "AccountSid": os.environ.get("TWILIO_ACCOUNT_SID", "AC" + "0" * 32), "NumMedia": "0"}
    base = (os.environ.get("PUBLIC_BASE_URL") or args.url).rstrip("/")
    request = urllib.request.Request(
        args.url.rstrip("/") + "/sms/inbound", data=urllib.parse.urlencode(params).encode(),
        headers={"X-Twilio-Signature": sign(token, f"{base}/sms/inbound", params)})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            twiml = response.read().decode()
    except urllib.error.HTTPError as error:
        print(f"salonbot: the bot answered {error.code}: {error.read().decode(errors='replace')}", file=sys.stderr)
        return 1
    except urllib.error.URLError as error:
        print(f"salonbot: cannot reach {args.url}: {error.reason}", file=sys.stderr)
        return 1
    messages = [html.unescape(m) for m in re.findall(r"<Message>(.*?)</Message>", twiml, re.S)]
    print("\n".join(messages) if messages else "(no reply)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
