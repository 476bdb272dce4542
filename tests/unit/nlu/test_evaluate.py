"""`python -m nlu.evaluate`: one prediction line per case, whatever the case holds."""
from __future__ import annotations

import json

from nlu import evaluate

GOOD = {
    "id": "c1", "lang": "en", "now": "2026-11-24T10:00:00", "tz": "America/New_York",
    "hours": {"mon": None, "tue": ["09:00", "19:00"], "wed": ["09:00", "19:00"], "thu": ["09:00", "20:00"],
              "fri": ["09:00", "20:00"], "sat": ["08:00", "17:00"], "sun": None},
    "appointments": [{"ref": "a1", "start": "2026-11-27T15:00:00", "minutes": 60, "service": "Haircut", "staff": "Maria"}],
    "awaiting": "none", "options": [], "text": "can we do thursday afternoon instead",
}


def run(tmp_path, capsys, lines):
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert evaluate.main([str(path)]) == 0
    return [json.loads(x) for x in capsys.readouterr().out.splitlines()]


def test_prediction_format(tmp_path, capsys):
    (p,) = run(tmp_path, capsys, [json.dumps(GOOD)])
    assert p == {"id": "c1", "intent": "reschedule", "appointment": "a1", "choice": None,
                 "when": {"start": "2026-11-26T12:00:00", "end": "2026-11-26T17:00:00"}}


def test_first_alternative_is_the_when(tmp_path, capsys):
    case = dict(GOOD, id="c2", text="could we do next friday?", now="2026-11-25T10:00:00")
    (p,) = run(tmp_path, capsys, [json.dumps(case)])
    assert p["when"] == {"start": "2026-11-27T00:00:00", "end": "2026-11-28T00:00:00"}


def test_never_crashes(tmp_path, capsys):
    broken = [
        "{not json", json.dumps([1, 2]), json.dumps({"id": "no-now", "text": "hi"}),
        json.dumps(dict(GOOD, id="bad-hours", hours={"tue": ["nine", "7pm"]})),
        json.dumps(dict(GOOD, id="bad-appt", appointments=[{"ref": "a1"}])),
        json.dumps(dict(GOOD, id="no-lang", lang=None, text="el viernes a las 3")),
        json.dumps(dict(GOOD, id="null-text", text=None)),
    ]
    preds = run(tmp_path, capsys, broken)
    assert len(preds) == len(broken)
    assert all(set(p) == {"id", "intent", "appointment", "choice", "when"} for p in preds)
    assert preds[2]["intent"] == "unknown" and preds[5]["intent"] == "reschedule"
    assert preds[3]["intent"] == "reschedule" and preds[4]["intent"] == "reschedule"   # bad fields are skipped
