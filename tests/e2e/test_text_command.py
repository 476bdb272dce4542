"""`salonbot text` plays a client against a running server, signing as Twilio does."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SALONBOT = str(Path(sys.executable).parent / "salonbot")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_client_texts_the_running_bot(tmp_path):
    port = _port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'demo.db'}", TWILIO_AUTH_TOKEN="demo-auth-token",
               PORT=str(port))
    env.pop("PUBLIC_BASE_URL", None)
    subprocess.run([SALONBOT, "seed-demo"], env=env, check=True, capture_output=True)
    log = open(tmp_path / "gunicorn.log", "w")
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}",
                               "--workers", "1", "webhooks:create_app()"], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(600):   # up to a minute: a loaded 2-core machine starts gunicorn slowly
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        said = subprocess.run([SALONBOT, "text", "--from", "+12125551000", "what time is my appointment?"],
                              env=env, capture_output=True, text=True, timeout=60)
        assert said.returncode == 0, said.stderr + (tmp_path / "gunicorn.log").read_text()
        assert said.stdout.startswith("Your Haircut with Maria is on ")
        forged = subprocess.run([SALONBOT, "text", "--from", "+12125551000", "X"],
                                env=dict(env, TWILIO_AUTH_TOKEN="wrong"), capture_output=True, text=True, timeout=60)
        assert forged.returncode == 1 and "403" in forged.stderr
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
