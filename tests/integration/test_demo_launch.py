"""How `make demo` starts: listening on loopback unless told otherwise, with
the worker's texts in a log file and one line per turn in the terminal. The
Procfile stays a deployment's: its web process binds 0.0.0.0 unless told
otherwise."""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.messaging.worker import Stats
from tests.integration.test_worker import LONG_AGO, build_world, queue
from webhooks import cli

ROOT = Path(__file__).resolve().parents[2]


def _procfile(name: str) -> str:
    return next(line.split(":", 1)[1] for line in (ROOT / "Procfile").read_text().splitlines()
                if line.startswith(f"{name}:"))


def _bind(env: dict[str, str]) -> str:
    """The address the Procfile's web command binds, as the shell honcho (or a
    platform) runs it expands it."""
    words = subprocess.run(["bash", "-c", 'for word in ' + _procfile("web") + '; do echo "$word"; done'],
                           env=env, capture_output=True, text=True, check=True).stdout.splitlines()
    return words[words.index("--bind") + 1]


def test_the_procfile_web_process_binds_every_interface_unless_told_otherwise():
    env = {"PATH": os.environ["PATH"], "PORT": "8000"}
    assert _bind(env) == "0.0.0.0:8000"                      # a deployment, as before
    assert _bind({**env, "WEB_HOST": "127.0.0.1"}) == "127.0.0.1:8000"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_demo_serves_on_loopback_unless_told_otherwise_and_logs_the_texts():
    def honcho_line(*args: str) -> list[str]:
        out = subprocess.run(["make", "-n", "demo", *args], cwd=ROOT, capture_output=True, text=True,
                             check=True, env={k: v for k, v in os.environ.items() if k not in ("WEB_HOST", "TEXTS_LOG")}).stdout
        return shlex.split(next(line for line in out.splitlines() if "honcho start" in line))

    words = honcho_line()
    assert "WEB_HOST=127.0.0.1" in words and "TEXTS_LOG=instance/texts.log" in words
    assert "WEB_HOST=0.0.0.0" in honcho_line("WEB_HOST=0.0.0.0")


def test_with_texts_log_the_worker_writes_the_texts_there_and_one_line_here(sqlite_db, tmp_path, monkeypatch,
                                                                           capsys):
    build_world(sqlite_db, book=False)
    queue(sqlite_db, body="Your appointment is tomorrow", due_at=LONG_AGO)
    log = tmp_path / "instance" / "texts.log"
    monkeypatch.setenv("DATABASE_URL", sqlite_db.url.render_as_string(hide_password=False))
    monkeypatch.setenv("TEXTS_LOG", str(log))
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_URL", "PUBLIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    assert cli.main(["worker", "--once"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "sent=1" in out and "Your appointment" not in out
    written = log.read_text()
    assert "--- SMS from +12125550100 to +12125551001 ---" in written and "Your appointment is tomorrow" in written
    assert written.splitlines()[0].endswith(" UTC")          # when, for someone reading the log later


def test_the_worker_sums_a_turn_up_in_one_line_naming_what_happened():
    assert Stats(sent=12, reminders=12).summary() == "queued reminders 12; sent 12"
    assert Stats(sent=1, retried=2, followups=1).summary() == "queued follow-ups 1; sent 1, retried 2"
    assert Stats(failed=1).summary() == "failed 1"
