"""Run the language layer over an evaluation file.

usage: python -m nlu.evaluate CASES.jsonl > PREDICTIONS.jsonl

Each input line is a case in the format of ../shared/nlu-eval/README.md; each
output line is {"id", "intent", "appointment", "choice", "when"}. A case that
cannot be read or understood still gets a line, with intent "unknown".
"""
from __future__ import annotations

import json
import sys
from datetime import datetime, time

from .pipeline import understand
from .understanding import AppointmentRef, Context

_FMT = "%Y-%m-%dT%H:%M:%S"


def _dt(s: str) -> datetime:
    d = datetime.fromisoformat(str(s))
    return d.replace(tzinfo=None)


def _t(s: str) -> time:
    if s in ("24:00", "24:00:00"):
        return time(23, 59, 59)
    return time.fromisoformat(s)


def context_of(case: dict) -> Context:
    """The Context of one case; malformed hours or appointments are skipped, not fatal."""
    hours = {}
    for k, v in (case.get("hours") or {}).items():
        try:
            hours[str(k)[:3].lower()] = (_t(v[0]), _t(v[1])) if v else None
        except (TypeError, ValueError, IndexError):
            continue
    appts = []
    for a in case.get("appointments") or ():
        try:
            appts.append(AppointmentRef(ref=str(a.get("ref")), start=_dt(a["start"]), minutes=int(a.get("minutes") or 60),
                                        service=str(a.get("service") or ""), staff=str(a.get("staff") or ""),
                                        aliases=tuple(str(x) for x in a.get("aliases") or () if x)))
        except (TypeError, ValueError, KeyError, AttributeError):
            continue
    appts = tuple(appts)
    lang = case.get("lang")
    return Context(
        now=_dt(case["now"]), tz=case.get("tz") or "UTC", hours=hours, appointments=appts,
        awaiting=case.get("awaiting") or "none",
        options=tuple(_dt(o) for o in case.get("options") or () if _valid(o)),
        lang=lang if lang in ("en", "es") else None,
    )


def _valid(s) -> bool:
    try:
        _dt(s)
        return True
    except (TypeError, ValueError):
        return False


def predict(case: dict) -> dict:
    out = {"id": case.get("id"), "intent": "unknown", "appointment": None, "choice": None, "when": None}
    try:
        u = understand(case.get("text") or "", context_of(case))
    except Exception:
        return out
    out["intent"] = u.intent
    out["appointment"] = u.appointment
    out["choice"] = u.choice
    w = u.when or (u.when_any[0] if u.when_any else None)
    if w is not None:
        out["when"] = {"start": w.start.strftime(_FMT), "end": w.end.strftime(_FMT)}
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                case = json.loads(line)
                if not isinstance(case, dict):
                    raise ValueError("not an object")
            except ValueError:
                case = {"id": f"line-{n}"}
            print(json.dumps(predict(case), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
