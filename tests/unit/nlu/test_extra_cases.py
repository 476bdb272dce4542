"""Cases we wrote ourselves in the evaluation format of ../shared/nlu-eval
(other wording, other hours, other days of the week than the dev set), run
through the same path as acceptance: nlu.evaluate.predict, scored like
score.py (a case is right when every field it expects matches)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlu.evaluate import predict

CASES = [json.loads(line) for line in (Path(__file__).parent / "extra_cases.jsonl").read_text(encoding="utf-8").splitlines()
         if line.strip()]


def _w(w):
    return (w["start"][:16], w["end"][:16]) if w else None


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case):
    p, e = predict(case), case["expect"]
    assert p["intent"] == e["intent"], (case["text"], p)
    if "appointment" in e:
        assert p["appointment"] == e["appointment"], (case["text"], p)
    if "choice" in e:
        assert p["choice"] == e["choice"], (case["text"], p)
    if "when" in e:
        assert _w(p["when"]) == _w(e["when"]), (case["text"], p)
    if "when_any" in e:
        assert _w(p["when"]) in {_w(w) for w in e["when_any"]}, (case["text"], p)
