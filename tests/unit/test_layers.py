"""Data flows one way (README, Layout): channels in webhooks/, use cases in
handlers/, the conversation and the domain in bot/, the understanding in
nlu/. Checked on the imports themselves, so a shortcut cannot creep in."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = ("flask", "werkzeug", "twilio", "rasa_sdk", "gunicorn")


def _imports(package: str) -> dict[str, set[str]]:
    found = {}
    for path in (ROOT / package).rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def _offenders(package: str, forbidden: tuple[str, ...]) -> list[str]:
    return [f"{path}: {name}" for path, names in _imports(package).items() for name in sorted(names)
            if name.split(".")[0] in forbidden or name in forbidden or name.startswith(tuple(f + "." for f in forbidden))]


def test_bot_imports_no_web_no_twilio_no_rasa_and_no_channel_or_use_case():
    assert _offenders("bot", WEB + ("webhooks", "handlers")) == []


def test_the_language_layer_stands_alone():
    assert _offenders("nlu", WEB + ("webhooks", "handlers", "bot", "sqlalchemy")) == []


def test_use_cases_know_no_channel():
    assert _offenders("handlers", WEB + ("webhooks",)) == []


@pytest.mark.parametrize("package", ["bot/domain", "bot/conversation"])
def test_the_domain_and_the_conversation_know_no_persistence_and_no_messaging(package):
    assert _offenders(package, ("bot.persistence", "bot.messaging", "psycopg", "sqlite3")) == []


def test_only_persistence_tells_sqlite_from_postgresql():
    hits = []
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in ("tests", "bench", ".venv") or relative.parts[:2] == ("bot", "persistence"):
            continue
        text = path.read_text()
        if "is_sqlite" in text or "dialect.name" in text:
            hits.append(str(relative))
    assert hits == []
