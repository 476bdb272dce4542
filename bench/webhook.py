"""The SMS webhook under gunicorn: the full path beside the bare endpoint.

    .venv/bin/python bench/webhook.py [--seconds N] [--only sqlite|postgresql]

For each database (a temporary SQLite file; a PostgreSQL database of its own,
created and dropped here) it seeds the demo salon with `salonbot seed-demo`,
starts the Procfile's `web:` command (gunicorn, 2 workers) bound to
127.0.0.1 only, and drives signed inbound texts at it from a separate load
process (this file, `--driver`): demo clients replying to a reminder,
asking when their appointment is, rescheduling, starting to cancel, running
late, unknown numbers, in English and Spanish, each with a fresh MessageSid.
The same number of signed requests goes to `/sms/bare` (signature check,
empty TwiML) in the same run. It prints throughput and p50/p99 latency for
both, the ratio, an open-loop run at a fixed rate, and the targets with PASS
or FAIL. See bench/README.md for what is measured and why this way.

Everything is bounded: request counts and phase times are capped, every
request has a timeout, gunicorn is killed (its whole process group) in all
cases, and traffic only ever goes to 127.0.0.1.
"""
from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import random
import re
import resource
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"                       # never anything else
TOKEN = "bench-auth-token"
PUBLIC_BASE = "https://salonbot-bench.example.com"   # as if behind a proxy: what Twilio signs
PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
TARGET_RATIO = 0.30
TARGET_P99_MS = 25.0
OPEN_RATE = 200
REQUEST_TIMEOUT = 10.0
PRODUCTION_APP, BENCH_APP = "webhooks:create_app()", "bench.bare_app:create_app()"
ROUNDS = 3              # closed loop: full path and bare interleaved, this many times each


# --------------------------------------------------------------------------------------
# The load process: asyncio, one TCP connection per request (gunicorn's sync workers
# close every connection after the response, as they do in production).
# --------------------------------------------------------------------------------------

class _Http(asyncio.Protocol):
    """One request, one response. Resolves when Content-Length bytes of body arrived."""

    def __init__(self, payload: bytes, done: asyncio.Future) -> None:
        self.payload, self.done, self.buf = payload, done, bytearray()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(self.payload)

    def data_received(self, data: bytes) -> None:
        self.buf += data
        head_end = self.buf.find(b"\r\n\r\n")
        if head_end < 0:
            return
        head = bytes(self.buf[:head_end]).decode("latin-1")
        match = re.search(r"(?im)^content-length:\s*(\d+)", head)
        if match and len(self.buf) - head_end - 4 >= int(match.group(1)) and not self.done.done():
            self.done.set_result(bytes(self.buf))
            self.transport.close()

    def connection_lost(self, exc) -> None:
        if not self.done.done():
            if self.buf:
                self.done.set_result(bytes(self.buf))
            else:
                self.done.set_exception(exc or ConnectionError("closed without a response"))


class Driver:
    def __init__(self, cfg: dict) -> None:
        from webhooks.sms.signature import sign   # the project's own: a real Twilio signature
        self.sign = sign
        self.port = cfg["port"]
        self.demo = cfg["demo"]
        self.to = self.demo["salon"]["sms_number"]
        self.rng = random.Random(cfg.get("seed", 7))
        self.run_id = uuid.uuid4().hex[:10]
        self.sid = 0
        self.loop = asyncio.get_running_loop()
        self.clients = [c for c in self.demo["clients"]]
        self.busy: set[str] = set()
        self.armed: set[str] = set(cfg.get("armed", []))   # reminder sent, not yet answered
        self.unknown = 0

    # -- one signed request --
    def build(self, path: str, phone: str, body: str) -> bytes:
        self.sid += 1
        sid = f"SM{self.run_id}{self.sid:022d}"
        params = {
            "ToCountry": "US", "ToState": "NY", "SmsMessageSid": sid, "NumMedia": "0", "ToCity": "NEW YORK",
            "FromZip": "10001", "SmsSid": sid, "FromState": "NY", "SmsStatus": "received", "FromCity": "NEW YORK",
            "Body": body, "FromCountry": "US", "To": self.to, "ToZip": "10001", "NumSegments": "1",
            "MessageSid": sid, "AccountSid": "AC" + "0" * 32, "From": phone, "ApiVersion": "2010-04-01",
        }
        form = urllib.parse.urlencode(params).encode()
        signature = self.sign(TOKEN, PUBLIC_BASE + path, params)
        head = (f"POST {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\nUser-Agent: TwilioProxy/1.1\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\nX-Twilio-Signature: {signature}\r\n"
                f"Content-Length: {len(form)}\r\nConnection: close\r\n\r\n")
        return head.encode() + form

    async def send(self, payload: bytes) -> tuple[int, str | None]:
        done = self.loop.create_future()
        transport, _ = await self.loop.create_connection(lambda: _Http(payload, done), HOST, self.port)
        try:
            raw = await asyncio.wait_for(done, REQUEST_TIMEOUT)
        finally:
            transport.close()
        head, _, body = raw.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        found = re.search(rb"<Message>(.*?)</Message>", body, re.S)
        return status, html.unescape(found.group(1).decode()) if found else None

    # -- conversations: generators that yield a text and receive the bot's reply --
    def episode(self) -> tuple[str, str, object]:
        """Pick a client who is not mid-conversation and what they do next."""
        rng = self.rng
        if rng.random() < 0.08:
            self.unknown += 1
            phone = f"+1212555{2000 + self.unknown % 7000:04d}"
            return "unknown", phone, self._unknown(rng)
        free = [c for c in self.clients if c["phone"] not in self.busy]
        if not free:
            # Open loop with every client waiting for an answer (the server is behind):
            # the arrival still happens, as a one-off question from any client.
            client = rng.choice(self.clients)
            return "query (all clients busy)", client["phone"], self._once(
                rng.choice(QUERY_ES if client["language"] == "es" else QUERY_EN))
        client = rng.choice(free)
        es = client["language"] == "es"
        if client["phone"] in self.armed:
            self.armed.discard(client["phone"])
            kind = rng.choices(["reminder_confirm", "reschedule", "cancel"], [70, 18, 12])[0]
            if kind == "reminder_confirm":
                return kind, client["phone"], self._once(rng.choice(
                    ["C", "C", "c", "Sí, ahí estaré"] if es else ["C", "C", "c", "yes", "see you then!", "C thanks"]))
            gen = self._reschedule(rng, es, reply_to_reminder=True) if kind == "reschedule" else \
                self._cancel(rng, es, reply_to_reminder=True)
            return kind, client["phone"], gen
        kind = rng.choices(["query", "reschedule", "cancel", "late", "thanks"], [28, 30, 20, 14, 8])[0]
        gen = {"query": lambda: self._once(rng.choice(QUERY_ES if es else QUERY_EN)),
               "reschedule": lambda: self._reschedule(rng, es),
               "cancel": lambda: self._cancel(rng, es),
               "late": lambda: self._once(rng.choice(LATE_ES if es else LATE_EN)),
               "thanks": lambda: self._once(rng.choice(THANKS_ES if es else THANKS_EN))}[kind]()
        return kind, client["phone"], gen

    @staticmethod
    def _once(text: str):
        yield text

    @staticmethod
    def _unknown(rng):
        yield rng.choice(["hi what time is my appointment", "Hi, can I book a haircut this week?",
                          "hola, quiero una cita", "is this the salon?"])
        if rng.random() < 0.4:
            yield rng.choice(["hello?", "can someone call me back", "ok thanks"])

    @staticmethod
    def _which(reply: str | None) -> int:
        """How many appointments the bot listed when it asked which one (0 if it did not ask)."""
        if reply and ("Which appointment" in reply or "Qué cita" in reply or "Que cita" in reply):
            return len(re.findall(r"(?m)^\d\) ", reply))
        return 0

    def _reschedule(self, rng, es: bool, reply_to_reminder: bool = False):
        if reply_to_reminder and rng.random() < 0.4:
            first = "R"
        else:
            first = rng.choice(RESCHEDULE_ES if es else RESCHEDULE_EN)
        reply = yield first
        listed = self._which(reply)
        if listed:
            reply = yield str(rng.randint(1, listed))
        offers = len(re.findall(r"(?m)^\d\) ", reply or ""))
        if offers and ("Reply 1" in reply or "Responde 1" in reply):
            if rng.random() < 0.85:
                yield str(rng.randint(1, offers))
            else:
                yield "no, la mantengo" if es else rng.choice(["none of those work, I'll keep it", "no thanks"])
        elif reply and ("Reply YES" in reply or "Responde SI" in reply):
            yield ("si" if es else "yes") if rng.random() < 0.85 else ("no" if es else "no keep it")

    def _cancel(self, rng, es: bool, reply_to_reminder: bool = False):
        first = "X" if reply_to_reminder and rng.random() < 0.5 else rng.choice(CANCEL_ES if es else CANCEL_EN)
        reply = yield first
        listed = self._which(reply)
        if listed:
            reply = yield str(rng.randint(1, listed))
        if reply and ("Reply YES" in reply or "Responde SI" in reply):
            # Clients who ask to cancel mostly keep it here, so the demo keeps its bookings.
            yield rng.choice(["no, la mantengo", "NO"] if es else ["no keep it", "NO", "actually no, keep it"])

    # -- the phases --
    async def closed(self, path: str, connections: int, seconds: float, max_count: int) -> dict:
        """Each connection sends, waits for the answer, sends again: as fast as the server goes."""
        lat: list[float] = []
        statuses: Counter = Counter()
        kinds: Counter = Counter()
        replies = Counter()
        deadline = time.perf_counter() + seconds
        sent = 0

        async def worker() -> None:
            nonlocal sent
            while time.perf_counter() < deadline and sent < max_count:
                if path == "/sms/bare":
                    sent += 1
                    await self._one(path, "+12125551000", "C", lat, statuses, None)
                    continue
                kind, phone, gen = self.episode()
                self.busy.add(phone)
                kinds[kind] += 1
                try:
                    reply = None
                    text = next(gen)
                    while True:
                        sent += 1
                        reply = await self._one(path, phone, text, lat, statuses, replies)
                        if time.perf_counter() >= deadline or sent >= max_count:
                            break
                        text = gen.send(reply)
                except StopIteration:
                    pass
                finally:
                    self.busy.discard(phone)

        started = time.perf_counter()
        cpu0 = _cpu()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - started
        result = _summary(lat, statuses, elapsed, _cpu() - cpu0, kinds, replies)
        result["armed_left"] = sorted(self.armed)
        return result

    async def pair(self, connections: int, seconds: float, max_count: int, pids: list[int]) -> dict:
        """Full path for a slice of the time, then as many requests to bare, ROUNDS times
        in this one process: whatever else the machine does falls on both alike."""
        out: dict = {"full": [], "bare": []}
        for _ in range(ROUNDS):
            cpu0 = _proc_cpu(pids)
            full = await self.closed("/sms/inbound", connections, seconds / ROUNDS, max_count // ROUNDS)
            full["server_cpu"] = (_proc_cpu(pids) - cpu0) / full["seconds"]
            cpu0 = _proc_cpu(pids)
            bare = await self.closed("/sms/bare", connections, seconds, full["count"])
            bare["server_cpu"] = (_proc_cpu(pids) - cpu0) / bare["seconds"]
            out["full"].append(full)
            out["bare"].append(bare)
        return out

    async def _one(self, path, phone, text, lat, statuses, replies) -> str | None:
        payload = self.build(path, phone, text)
        t0 = time.perf_counter()
        try:
            status, reply = await self.send(payload)
        except (OSError, asyncio.TimeoutError) as error:
            statuses[type(error).__name__] += 1
            return None
        lat.append(time.perf_counter() - t0)
        statuses[status] += 1
        if replies is not None:
            replies["replied" if reply else "no reply"] += 1
        return reply

    async def open_loop(self, rate: float, seconds: float) -> dict:
        """Arrivals on a fixed schedule whatever the server does; latency counted from
        the scheduled time, so a stall shows in the figures instead of slowing the sender."""
        lat: list[float] = []
        statuses: Counter = Counter()
        kinds: Counter = Counter()
        replies: Counter = Counter()
        count = int(rate * seconds)
        ready: list[tuple[str, object, str | None]] = []   # (phone, generator, last reply)
        tasks = []
        started = time.perf_counter()
        cpu0 = _cpu()

        async def deliver(phone, gen, text, scheduled):
            payload = self.build("/sms/inbound", phone, text)
            try:
                status, reply = await self.send(payload)
            except (OSError, asyncio.TimeoutError) as error:
                statuses[type(error).__name__] += 1
                self.busy.discard(phone)
                return
            lat.append(time.perf_counter() - scheduled)
            statuses[status] += 1
            replies["replied" if reply else "no reply"] += 1
            ready.append((phone, gen, reply))

        late = 0
        for i in range(count):
            scheduled = started + i / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            else:
                late += 1
            text = None
            while ready and text is None:          # carry on a conversation whose answer came
                phone, gen, reply = ready.pop(0)
                try:
                    text = gen.send(reply)
                except StopIteration:
                    self.busy.discard(phone)
            if text is None:
                kind, phone, gen = self.episode()
                kinds[kind] += 1
                self.busy.add(phone)
                text = next(gen)
            tasks.append(asyncio.ensure_future(deliver(phone, gen, text, scheduled)))
        done, pending = await asyncio.wait(tasks, timeout=REQUEST_TIMEOUT)
        for task in pending:
            task.cancel()
            statuses["unfinished"] += 1
        elapsed = time.perf_counter() - started
        result = _summary(lat, statuses, elapsed, _cpu() - cpu0, kinds, replies)
        result["sender_behind"] = late
        return result


QUERY_EN = ["what time is my appointment", "when is my appt?", "What time am I booked for?",
            "what time is my appointment tomorrow"]
QUERY_ES = ["cuándo es mi cita", "¿a qué hora es mi cita?"]
RESCHEDULE_EN = ["can we do thursday at 3 instead", "can I move my appointment to friday afternoon?",
                 "need to reschedule", "can I come in earlier next week?", "could we do wednesday at 11"]
RESCHEDULE_ES = ["podemos cambiarla al jueves a las 3", "¿puedo cambiar mi cita para el viernes?",
                 "necesito cambiar la cita"]
CANCEL_EN = ["cancel my appointment", "I need to cancel my appointment", "can you cancel my appt pls"]
CANCEL_ES = ["cancelar mi cita", "necesito cancelar mi cita"]
LATE_EN = ["running late", "running 10 min late sorry", "stuck in traffic, be there in 15"]
LATE_ES = ["voy tarde", "llego 10 minutos tarde"]
THANKS_EN = ["thanks!", "ok thank you"]
THANKS_ES = ["gracias!"]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _summary(lat, statuses, elapsed, cpu, kinds, replies) -> dict:
    ok = statuses.get(200, 0)
    lat_ms = sorted(x * 1000 for x in lat)
    return {"count": sum(statuses.values()), "ok": ok, "statuses": {str(k): v for k, v in statuses.items()},
            "seconds": elapsed, "throughput": len(lat) / elapsed if elapsed else 0.0,
            "p50": _pct(lat_ms, 50), "p99": _pct(lat_ms, 99), "max": lat_ms[-1] if lat_ms else None,
            "mean": statistics.fmean(lat_ms) if lat_ms else None,
            "driver_cpu": cpu / elapsed if elapsed else 0.0,
            "episodes": dict(kinds), "replies": dict(replies), "latencies_ms": [round(x, 3) for x in lat_ms]}


def merge(parts: list[dict]) -> dict:
    """Rounds of one closed-loop phase as one: counts and times summed, latencies pooled."""
    lat = sorted(x for p in parts for x in p["latencies_ms"])
    seconds = sum(p["seconds"] for p in parts)
    total: dict = {"count": sum(p["count"] for p in parts), "ok": sum(p["ok"] for p in parts),
                   "seconds": seconds, "throughput": len(lat) / seconds if seconds else 0.0,
                   "p50": _pct(lat, 50), "p99": _pct(lat, 99), "max": lat[-1] if lat else None,
                   "driver_cpu": sum(p["driver_cpu"] * p["seconds"] for p in parts) / seconds if seconds else 0.0,
                   "server_cpu": sum(p["server_cpu"] * p["seconds"] for p in parts) / seconds if seconds else 0.0}
    for key in ("statuses", "episodes", "replies"):
        counter: Counter = Counter()
        for p in parts:
            counter.update(p[key])
        total[key] = dict(counter)
    return total


def _pct(sorted_values: list[float], p: float) -> float | None:
    if not sorted_values:
        return None
    k = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


async def _drive(cfg: dict) -> dict:
    driver = Driver(cfg)
    phase = cfg["phase"]
    if phase == "closed":
        return await driver.closed(cfg["path"], cfg["connections"], cfg["seconds"], cfg["max_count"])
    if phase == "pair":
        return await driver.pair(cfg["connections"], cfg["seconds"], cfg["max_count"], cfg["pids"])
    return await driver.open_loop(cfg["rate"], cfg["seconds"])


def driver_main() -> None:
    cfg = json.loads(sys.stdin.read())
    print(json.dumps(asyncio.run(_drive(cfg))))


# --------------------------------------------------------------------------------------
# The orchestrator: databases, seeding, gunicorn, phases, the report.
# --------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def procfile_web_command(port: int) -> str:
    line = next(l for l in (ROOT / "Procfile").read_text().splitlines() if l.startswith("web:"))
    command = line.split(":", 1)[1].strip()
    if "0.0.0.0" not in command:
        raise SystemExit(f"bench: cannot make the Procfile's web command loopback-only: {command}")
    if PRODUCTION_APP not in command:
        raise SystemExit(f"bench: cannot find the app ({PRODUCTION_APP}) in the Procfile's web command: {command}")
    # The production app plus the bare endpoint (bench/bare_app.py), which production does not serve.
    return command.replace("0.0.0.0", HOST).replace(PRODUCTION_APP, BENCH_APP)


class Server:
    """The Procfile's gunicorn, on 127.0.0.1, in its own process group; always killed."""

    def __init__(self, env: dict, log: Path) -> None:
        self.port = int(env["PORT"])
        self.log = log
        command = procfile_web_command(self.port)
        self.proc = subprocess.Popen(["sh", "-c", "exec " + command], env=env, cwd=ROOT,
                                     stdout=open(log, "wb"), stderr=subprocess.STDOUT, start_new_session=True,
                                     preexec_fn=_die_with_parent)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {log.read_text()[-2000:]}")
            try:
                with socket.create_connection((HOST, self.port), timeout=1) as s:
                    s.sendall(b"GET /health HTTP/1.0\r\n\r\n")
                    if s.recv(64).startswith(b"HTTP/"):
                        break
            except OSError:
                time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError("gunicorn did not start within 30 s")

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True, text=True)
        return [int(x) for x in out.stdout.split()]

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)   # anything left in its group
        except ProcessLookupError:
            pass
        self.proc.wait()


def _die_with_parent() -> None:
    """Linux: gunicorn's master gets SIGTERM if this script dies, even by SIGKILL."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _proc_cpu(pids: list[int]) -> float:
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return total


def _pg_pids() -> list[int]:
    out = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True)
    if not out.stdout.strip():
        out = subprocess.run(["pgrep", "-f", "^postgres"], capture_output=True, text=True)
    return [int(x) for x in out.stdout.split()]


def run_driver(cfg: dict, budget: float) -> dict:
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--driver"], input=json.dumps(cfg),
                          capture_output=True, text=True, cwd=ROOT, timeout=budget, preexec_fn=_die_with_parent)
    if proc.returncode != 0:
        raise RuntimeError(f"load process failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout)


def seed(env: dict, salonbot: str | None = None) -> dict:
    """The demo salon, seeded by this checkout's `salonbot seed-demo` (or
    another's, `--seed-with`, to compare two versions on the same data), then
    the Procfile's release step (migrations), as a deployment runs it."""
    out = subprocess.run([salonbot or str(ROOT / ".venv/bin/salonbot"), "seed-demo", "--json"], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise RuntimeError(f"seed-demo failed: {out.stderr[-2000:]}")
    release = next(l for l in (ROOT / "Procfile").read_text().splitlines() if l.startswith("release:"))
    done = subprocess.run(["sh", "-c", release.split(":", 1)[1]], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"the release step failed: {done.stderr[-2000:]}")
    return json.loads(out.stdout)


def arm_reminders(url: str, demo: dict) -> list[str]:
    """What the worker does when a reminder goes out (bot.messaging.reminders): the client's
    SMS conversation now waits for C/R/X about their next appointment. Done for
    every client with an upcoming appointment, before each full-path phase."""
    from datetime import datetime

    from bot.persistence.database import Database
    from bot.domain.models import Client
    from bot.messaging.reminders import await_reply, sms_conversation
    from bot.domain.timezones import UTC
    db = Database(url)
    armed = []
    now = datetime.now(UTC)
    try:
        with db.write() as session:
            for c in demo["clients"]:
                if not c["upcoming"]:
                    continue
                client = session.get(Client, c["id"])
                conversation = sms_conversation(session, client, now)
                if conversation.handed_off:
                    continue
                await_reply(conversation, "reminder_reply", c["upcoming"][0]["id"], client.language, now)
                armed.append(c["phone"])
    finally:
        db.dispose()
    return armed


def allow_repeated_moves(url: str) -> None:
    """The demo allows 2 self-reschedules per appointment; a benchmark that moves the
    same 200 appointments thousands of times would soon get only the (cheaper)
    refusal. Lifting the limit keeps every reschedule doing the search and the move."""
    from bot.persistence.database import Database
    from bot.domain.models import SalonSettings
    db = Database(url)
    try:
        with db.write() as session:
            for settings in session.query(SalonSettings):
                settings.max_self_reschedules = 1_000_000
    finally:
        db.dispose()


def bench_database(name: str, url: str, args) -> dict:
    env = dict(os.environ)
    port = free_port()
    env.update(DATABASE_URL=url, PORT=str(port), TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=PUBLIC_BASE,
               WEB_HOST=HOST, PATH=f"{ROOT / '.venv/bin'}:{env.get('PATH', '')}")
    env.pop("TWILIO_ACCOUNT_SID", None)
    demo = seed(env, args.seed_with)
    allow_repeated_moves(url)
    print(f"  seeded: {len(demo['clients'])} clients, {demo['appointments']} appointments; "
          f"gunicorn on {HOST}:{port}", flush=True)
    log = Path(tempfile.gettempdir()) / f"bench-webhook-gunicorn-{name}-{os.getpid()}.log"
    server = Server(env, log)
    results: dict = {}
    try:
        base = {"port": port, "demo": demo}
        budget = args.seconds + REQUEST_TIMEOUT + 30
        # Warm-up (not measured): imports, compiled statements, connection pools in both workers.
        run_driver({**base, "phase": "closed", "path": "/sms/bare", "connections": args.connections,
                    "seconds": 1.0, "max_count": 400}, budget)
        run_driver({**base, "phase": "closed", "path": "/sms/inbound", "connections": args.connections,
                    "seconds": 1.5, "max_count": 400, "seed": 1}, budget)

        armed = arm_reminders(url, demo)
        pids = server.worker_pids() + (_pg_pids() if name == "postgresql" else [])
        # Interleaved rounds: full path for a slice of the time, then the same number of
        # requests to the bare endpoint, ROUNDS times. Whatever else the machine does
        # (it has 2 cores) falls on both alike, and neither phase is a single short burst.
        pair = run_driver({**base, "phase": "pair", "connections": args.connections, "seconds": args.seconds,
                           "max_count": args.max_count, "armed": armed, "seed": 2, "pids": pids},
                          args.seconds * 4 + REQUEST_TIMEOUT * ROUNDS * 2 + 30)
        full, bare = merge(pair["full"]), merge(pair["bare"])
        armed = arm_reminders(url, demo)
        cpu0 = _proc_cpu(pids)
        open_ = run_driver({**base, "phase": "open", "rate": OPEN_RATE, "seconds": args.open_seconds,
                            "armed": armed, "seed": 3}, args.open_seconds + REQUEST_TIMEOUT + 30)
        open_["server_cpu"] = (_proc_cpu(pids) - cpu0) / open_["seconds"]
        results = {"full": full, "bare": bare, "open": open_}
    finally:
        server.stop()
    errors = [l for l in log.read_text(errors="replace").splitlines() if "Traceback" in l or "[ERROR]" in l]
    results["server_errors"] = len(errors)
    if not errors:
        log.unlink(missing_ok=True)
    else:
        results["server_log"] = str(log)
    return results


def _ms(x: float | None) -> str:
    return "   -  " if x is None else f"{x:6.1f}"


def report(name: str, r: dict, args) -> bool:
    full, bare, open_ = r["full"], r["bare"], r["open"]
    ratio = full["throughput"] / bare["throughput"] if bare["throughput"] else 0.0
    p99 = open_["p99"]
    ratio_ok = ratio >= TARGET_RATIO
    p99_ok = p99 is not None and p99 < TARGET_P99_MS and open_["ok"] == open_["count"] == int(OPEN_RATE * args.open_seconds)
    print(f"\n== {name}: closed loop, {args.connections} connections; full path for {args.seconds:g} s in "
          f"{ROUNDS} slices, each followed by as many requests to bare ==")
    print(f"  {'endpoint':<14}{'requests':>9}{'non-200':>9}{'msg/s':>9}{'p50 ms':>8}{'p99 ms':>8}"
          f"{'max ms':>8}{'server CPU':>12}{'CPU ms/msg':>12}{'load CPU':>10}")
    for label, x in (("/sms/inbound", full), ("/sms/bare", bare)):
        per = x["server_cpu"] / x["throughput"] * 1000 if x["throughput"] else 0.0
        print(f"  {label:<14}{x['count']:>9}{x['count'] - x['ok']:>9}{x['throughput']:>9.0f}{_ms(x['p50']):>8}"
              f"{_ms(x['p99']):>8}{_ms(x['max']):>8}{x['server_cpu'] * 100:>10.0f} %{per:>12.2f}"
              f"{x['driver_cpu'] * 100:>8.0f} %")
    print(f"  full/bare throughput: {ratio:.2f} (target >= {TARGET_RATIO:.2f})  {'PASS' if ratio_ok else 'FAIL'}")
    print(f"  (server CPU: the gunicorn workers{' and every postgres process' if name == 'PostgreSQL' else ''}, "
          f"in % of one core; load CPU: the load process)")
    print(f"  full-path conversations: {_counts(full['episodes'])}; replies: {_counts(full['replies'])}")
    print(f"== {name}: open loop, {OPEN_RATE} msg/s for {args.open_seconds:g} s, full path ==")
    print(f"  sent {open_['count']}, 200 OK {open_['ok']}, statuses {open_['statuses']}, "
          f"sender behind schedule {open_['sender_behind']}x; server CPU {open_['server_cpu'] * 100:.0f} %, "
          f"load CPU {open_['driver_cpu'] * 100:.0f} %")
    print(f"  p50 {_ms(open_['p50']).strip()} ms  p99 {_ms(p99).strip()} ms  max {_ms(open_['max']).strip()} ms"
          f"  (target p99 < {TARGET_P99_MS:g} ms)  {'PASS' if p99_ok else 'FAIL'}")
    print(f"  conversations: {_counts(open_['episodes'])}; replies: {_counts(open_['replies'])}")
    if r.get("server_errors"):
        print(f"  server logged {r['server_errors']} errors: see {r.get('server_log')}")
    return ratio_ok and p99_ok


def _counts(d: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(d.items(), key=lambda kv: -kv[1]))


def postgres_database() -> tuple[str | None, str]:
    """A database of our own on the server; returns (url, name) or (None, why not)."""
    import psycopg
    name = f"bench_webhook_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        return None, str(error).strip().splitlines()[0]
    admin = urllib.parse.urlsplit(PG_ADMIN_URL)
    return f"postgresql+psycopg://{admin.netloc}/{name}", name


def drop_postgres(name: str) -> None:
    import psycopg
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each closed-loop phase (default 10)")
    parser.add_argument("--open-seconds", type=float, default=12.0, help="length of the 200 msg/s run (default 12)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections, closed loop (default 4)")
    parser.add_argument("--max-count", type=int, default=50_000, help="cap on requests per closed-loop phase")
    parser.add_argument("--seed-with", metavar="SALONBOT",
                        help="seed the demo with this salonbot command (another checkout's) instead of this one's")
    parser.add_argument("--driver", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.driver:
        driver_main()
        return 0
    args.open_seconds = max(1.0, min(args.open_seconds, 15.0))

    def _stop(signum, _frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, _stop)

    print(f"bench/webhook.py: gunicorn from the Procfile (2 workers) on {HOST}, {os.cpu_count()} CPUs, "
          f"Python {sys.version.split()[0]}", flush=True)
    passed = True
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory(prefix="bench-webhook-") as tmp:
            print("\n[sqlite] temporary file database", flush=True)
            r = bench_database("sqlite", f"sqlite:///{tmp}/bench.db", args)
            passed &= report("SQLite", r, args)
    if args.only in (None, "postgresql"):
        url, name = postgres_database()
        if url is None:
            print(f"\n[postgresql] SKIPPED: server at {PG_ADMIN_URL} unreachable ({name})")
        else:
            print(f"\n[postgresql] database {name} (dropped afterwards)", flush=True)
            try:
                r = bench_database("postgresql", url, args)
                passed &= report("PostgreSQL", r, args)
            finally:
                drop_postgres(name)
    print(f"\nall targets: {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
