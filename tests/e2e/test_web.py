"""The web app as a person (or a load balancer) meets it."""
from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.demo import seed_demo
from webhooks import create_app

ROOT = Path(__file__).resolve().parents[2]


def test_health_and_home_page(sqlite_db):
    app = create_app({"DATABASE_URL": str(sqlite_db.url), "TESTING": True})
    client = app.test_client()
    assert client.get("/health").json == {"status": "ok", "database": "ok"}
    assert b"No salon yet" in client.get("/").data
    with sqlite_db.write() as session:
        seed_demo(session)
    page = client.get("/").get_data(as_text=True)
    assert "Bloom Hair &amp; Spa" in page and "(212) 555-0100" in page and "Maria, Jordan, Priya" in page


def test_health_says_when_the_database_is_unreachable(tmp_path):
    app = create_app({"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/health")
    assert response.status_code == 503 and response.json["status"] == "error"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _procfile(process: str) -> str:
    return next(line.split(":", 1)[1].strip() for line in (ROOT / "Procfile").read_text().splitlines()
                if line.startswith(f"{process}:"))


def test_the_procfile_release_step_then_web_process_serve_the_app(tmp_path):
    """A deployment as a platform runs it (and `make demo`): the Procfile's
    `release` step migrates a new database, then its `web` command starts."""
    port = _free_port()
    env = dict(os.environ, PORT=str(port), DATABASE_URL=f"sqlite:///{tmp_path / 'web.db'}",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    release = subprocess.run(["bash", "-c", _procfile("release")], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=120)
    assert release.returncode == 0, release.stderr
    command = _procfile("web")
    log_path = tmp_path / "gunicorn.log"
    # Loopback never goes through a proxy, whatever the environment says.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with open(log_path, "wb") as log:
        server = subprocess.Popen(["bash", "-c", "exec " + command], cwd=ROOT, env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
    try:
        body = None
        deadline = time.monotonic() + 90   # a loaded 2-core machine starts gunicorn slowly
        while body is None and server.poll() is None and time.monotonic() < deadline:
            try:
                with opener.open(f"http://127.0.0.1:{port}/health", timeout=5) as response:
                    body = response.read()
            except OSError:
                time.sleep(0.1)
        assert body is not None, (f"gunicorn did not answer (exit code {server.poll()}): "
                                  f"{shlex.join(server.args)}\n{log_path.read_text(errors='replace')[-3000:]}")
        assert b'"status":"ok"' in body.replace(b" ", b"")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_app_will_not_start_on_a_schema_it_does_not_know(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    with pytest.raises(RuntimeError, match="run `salonbot db upgrade`"):
        create_app({"DATABASE_URL": url})
    assert subprocess.run([str(Path(sys.executable).parent / "salonbot"), "db", "upgrade"], cwd=ROOT,
                          env=dict(os.environ, DATABASE_URL=url), capture_output=True).returncode == 0
    assert create_app({"DATABASE_URL": url, "TESTING": True}).test_client().get("/health").status_code == 200
