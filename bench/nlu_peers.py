#!/usr/bin/env python3
"""How our time understanding compares with general date parsers.

Runs ``nlu.understand`` and three general-purpose parsers (dateparser, ctparse,
Microsoft Recognizers-Text) in the same process over the cases of an
evaluation file that expect a time (``when`` or ``when_any``), and prints for
each: accuracy on the time, median and p99 time per message, and whether the
project's targets are met.

    python bench/nlu_peers.py [--cases PATH] [--repeat N] [--show-cases]

The peers are a benchmark-only optional dependency (the ``peers`` extra):
``make bench-peers`` installs them into ``.venv-peers`` and runs this script.

Each peer goes through a thin adapter, never through domain rules: its first
time found, resolved against the case's ``now``, converted to our window
shape (an exact datetime -> start == end; a whole date -> [D 00:00, D+1 00:00);
an interval -> [start, end)). bench/README.md says how each adapter reads its
parser's output.
"""
from __future__ import annotations

import argparse
import gc
import inspect
import json
import logging
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, time as dtime, timedelta
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

def _default_cases() -> Path:
    """../shared/nlu-eval/dev.jsonl beside the checkout, or beside a folder above it (a
    git worktree under /work/wt/NAME sees the shared folder two levels up)."""
    for base in (REPO.parent, *REPO.parent.parents):
        candidate = base / "shared" / "nlu-eval" / "dev.jsonl"
        if candidate.exists():
            return candidate
    return REPO.parent / "shared" / "nlu-eval" / "dev.jsonl"


DEFAULT_CASES = _default_cases()
INSTALL_HINT = "pip install -e '.[peers]'  (or: make bench-peers)"

# The targets the project must reach.
TARGET_ACCURACY_POINTS = 20.0   # ours minus the best peer, in percentage points
TARGET_MEDIAN_MS = 0.3          # ours, per message
TARGET_SPEEDUP = 10.0           # the fastest peer's median / ours

Window = tuple[datetime, datetime]


# --------------------------------------------------------------------------
# Cases and the context our language layer gets
# --------------------------------------------------------------------------

def load_cases(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def expects_time(case: dict) -> bool:
    return "when" in case["expect"] or "when_any" in case["expect"]


def _hhmm(text: str) -> dtime:
    return dtime.fromisoformat(text)


def _context_from_case_fallback(case: dict):
    """Build a Context from a case, as the evaluation format describes it."""
    from nlu.understanding import AppointmentRef, Context

    hours = {
        day: (None if span is None else (_hhmm(span[0]), _hhmm(span[1])))
        for day, span in case.get("hours", {}).items()
    }
    appointments = tuple(
        AppointmentRef(
            ref=a["ref"],
            start=datetime.fromisoformat(a["start"]),
            minutes=int(a["minutes"]),
            service=a.get("service", ""),
            staff=a.get("staff", ""),
        )
        for a in case.get("appointments", [])
    )
    return Context(
        now=datetime.fromisoformat(case["now"]),
        tz=case.get("tz", "UTC"),
        hours=hours,
        appointments=appointments,
        awaiting=case.get("awaiting", "none"),
        options=tuple(datetime.fromisoformat(o) for o in case.get("options", [])),
        lang=case.get("lang"),
    )


def _context_builder():
    """nlu/evaluate.py's own case -> Context builder when it has one, else ours."""
    try:
        import nlu.evaluate as evaluate
    except ImportError:
        return _context_from_case_fallback
    for name in ("context_of", "context_from_case"):
        builder = getattr(evaluate, name, None)
        if callable(builder):
            return builder
    return _context_from_case_fallback


def context_from_case(case: dict):
    """The Context for a case, built the way nlu/evaluate.py builds it."""
    return _context_builder()(case)


def our_window(understanding) -> Window | None:
    """The time our Understanding predicts, as nlu/evaluate.py writes it for the scorer."""
    w = understanding.when
    if w is None and understanding.when_any:
        w = understanding.when_any[0]
    return None if w is None else (w.start, w.end)


# --------------------------------------------------------------------------
# Scoring, the same comparison as shared/nlu-eval/score.py
# --------------------------------------------------------------------------

def _minutes(value: Any) -> str:
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    return text[:16]


def _key(start: Any, end: Any) -> tuple[str, str]:
    return (_minutes(start), _minutes(end))


def expected_windows(case: dict) -> set[tuple[str, str]]:
    exp = case["expect"]
    if "when" in exp:
        return {_key(exp["when"].get("start", ""), exp["when"].get("end", ""))}
    return {_key(w.get("start", ""), w.get("end", "")) for w in exp["when_any"]}


def is_correct(case: dict, window: Window | None) -> bool:
    return window is not None and _key(*window) in expected_windows(case)


# --------------------------------------------------------------------------
# Window shapes shared by the adapters
# --------------------------------------------------------------------------

def whole_day(d: date) -> Window:
    start = datetime.combine(d, dtime())
    return (start, start + timedelta(days=1))


def exact(moment: datetime) -> Window:
    moment = moment.replace(second=0, microsecond=0, tzinfo=None)
    return (moment, moment)


def next_at_or_after(now: datetime, clock: dtime) -> datetime:
    """A bare clock time resolved against now: today, or tomorrow if already past."""
    moment = datetime.combine(now.date(), clock)
    return moment if moment >= now else moment + timedelta(days=1)


# --------------------------------------------------------------------------
# Peers
# --------------------------------------------------------------------------

@dataclass
class Parser:
    name: str
    # prepare(case) -> args, untimed; run(args) -> raw, timed; convert(raw, case) -> window
    prepare: Callable[[dict], Any] = None
    run: Callable[[Any], Any] = None
    convert: Callable[[Any, dict], Window | None] = None
    missing: str | None = None          # why it could not be loaded
    notes: list[str] = field(default_factory=list)


def _version(dist: str) -> str:
    try:
        from importlib.metadata import version
        return version(dist)
    except Exception:
        return "?"


def make_dateparser() -> Parser:
    parser = Parser("dateparser")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import dateparser
            from dateparser.search import search_dates
    except Exception as e:  # ImportError, or a broken install
        parser.missing = f"not installed ({type(e).__name__}: {e}); {INSTALL_HINT}"
        return parser
    parser.name = f"dateparser {_version('dateparser')}"

    def prepare(case):
        now = datetime.fromisoformat(case["now"])
        settings = {
            "RELATIVE_BASE": now,
            "PREFER_DATES_FROM": "future",
            # Only so the adapter can tell "a date" from "a date and a time".
            "RETURN_TIME_AS_PERIOD": True,
        }
        return (case["text"], [case["lang"]], settings)

    # add_period (dateparser >= 1.5) is the public API's way to say the precision of
    # each date found; without it, a find at midnight is read as a whole date.
    with_period = "add_period" in inspect.signature(search_dates).parameters

    def run(args):
        text, languages, settings = args
        if with_period:
            return search_dates(text, languages=languages, settings=settings, add_period=True)
        return search_dates(text, languages=languages, settings=settings)

    def convert(found, case):
        if not found:
            return None
        if with_period:
            _substring, moment, period = found[0][:3]
        else:
            _substring, moment = found[0][:2]
            period = "day" if moment.time() == dtime() else "time"
        d = moment.date()
        if period in ("time", "part_of_day"):
            # A part of the day ("friday afternoon") comes as one representative
            # moment (dateparser's PARTS_OF_DAY), not as a span: taken as given.
            return exact(moment)
        if period == "day" or period is None:
            return whole_day(d)
        if period == "week":   # the Monday-started week holding the date
            start = datetime.combine(d - timedelta(days=d.weekday()), dtime())
            return (start, start + timedelta(days=7))
        if period == "month":
            start = datetime(d.year, d.month, 1)
            nxt = datetime(d.year + (d.month == 12), d.month % 12 + 1, 1)
            return (start, nxt)
        if period == "quarter":
            q = (d.month - 1) // 3
            start = datetime(d.year, 3 * q + 1, 1)
            nxt = datetime(d.year + (q == 3), (3 * q + 3) % 12 + 1, 1)
            return (start, nxt)
        if period == "year":
            return (datetime(d.year, 1, 1), datetime(d.year + 1, 1, 1))
        return whole_day(d)

    parser.prepare, parser.run, parser.convert = prepare, run, convert
    return parser


def make_ctparse() -> Parser:
    parser = Parser("ctparse")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import ctparse
            from ctparse.types import Interval, Time, pod_hours
    except Exception as e:
        parser.missing = f"not installed ({type(e).__name__}: {e}); {INSTALL_HINT}"
        return parser
    # ctparse logs a warning for every message without a time; that is its answer, not news.
    logging.getLogger("ctparse").setLevel(logging.ERROR)
    parser.name = f"ctparse {_version('ctparse')}"

    def prepare(case):
        return (case["text"], datetime.fromisoformat(case["now"]))

    def run(args):
        text, now = args
        return ctparse.ctparse(text, ts=now)

    def convert_time(t: Time, now: datetime) -> Window | None:
        if t.year is None or t.month is None or t.day is None:
            return None
        d = date(t.year, t.month, t.day)
        if t.hour is not None:
            return exact(datetime.combine(d, dtime(t.hour, t.minute or 0)))
        if t.POD is not None and t.POD in pod_hours:
            lo, hi = pod_hours[t.POD]   # ctparse's own part-of-day hours
            base = datetime.combine(d, dtime())
            return (base + timedelta(hours=lo), base + timedelta(hours=hi))
        return whole_day(d)

    def convert(result, case):
        if result is None:
            return None
        now = datetime.fromisoformat(case["now"])
        res = result.resolution
        if isinstance(res, Time):
            return convert_time(res, now)
        if isinstance(res, Interval):
            lo = convert_time(res.t_from, now) if res.t_from is not None else None
            hi = convert_time(res.t_to, now) if res.t_to is not None else None
            if lo and hi:
                # The interval's end is the end of what its last bound names.
                return (lo[0], hi[1]) if hi[1] >= lo[0] else None
            if lo:   # open end: to the end of that day
                return (lo[0], whole_day(lo[0].date())[1])
            if hi:   # open start: from the start of that day
                return (whole_day(hi[1].date())[0] if hi[0] == hi[1] else hi[0], hi[1])
            return None
        return None

    parser.prepare, parser.run, parser.convert = prepare, run, convert
    parser.notes.append("English (and German) only: Spanish cases get no time")
    return parser


_RECOGNIZER_TIME_TYPES = ("date", "time", "datetime", "daterange", "timerange", "datetimerange")


def _recognizer_window(value: dict, now: datetime) -> Window | None:
    """One resolution value of Recognizers-Text as a window, against now."""
    kind = value.get("type")

    def moment(text: str) -> datetime:
        if len(text) <= 8:   # a bare clock time "HH:MM:SS": the next such time
            return next_at_or_after(now, dtime.fromisoformat(text))
        return datetime.fromisoformat(text)

    if kind == "date" and "value" in value:
        return whole_day(date.fromisoformat(value["value"][:10]))
    if kind in ("time", "datetime") and "value" in value:
        return exact(moment(value["value"]))
    if kind == "daterange":
        start = value.get("start")
        end = value.get("end")
        if start and end:
            return (datetime.fromisoformat(start), datetime.fromisoformat(end))
        if start:
            return whole_day(date.fromisoformat(start[:10]))
        if end:
            return whole_day(date.fromisoformat(end[:10]) - timedelta(days=1))
        return None
    if kind in ("timerange", "datetimerange"):
        start = value.get("start")
        end = value.get("end")
        if start and end:
            lo, hi = moment(start), moment(end)
            if len(start) <= 8 and len(end) <= 8:   # both bare clock times: one day
                lo = datetime.combine(lo.date(), dtime.fromisoformat(start))
                hi = datetime.combine(lo.date(), dtime.fromisoformat(end))
            return (lo, hi) if hi >= lo else None
        if start:   # open end ("after 5"): to the end of that day
            lo = moment(start)
            return (lo, whole_day(lo.date())[1])
        if end:     # open start ("before noon"): from the start of that day
            hi = moment(end)
            return (whole_day(hi.date())[0], hi)
    return None


def _recognizer_pick(values: list[dict], now: datetime) -> Window | None:
    """Recognizers lists past and future readings: take its first one not over yet.

    This is the same "prefer the future" that dateparser gets as a setting and
    that ctparse does by itself; when every reading is past, its last one.
    """
    windows = [w for w in (_recognizer_window(v, now) for v in values) if w is not None]
    for w in windows:
        if w[1] > now or (w[0] == w[1] and w[0] >= now):
            return w
    return windows[-1] if windows else None


def make_recognizers() -> Parser:
    parser = Parser("recognizers-text")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from recognizers_date_time import DateTimeRecognizer
            from recognizers_text import Culture
    except Exception as e:
        parser.missing = (
            f"not installed ({type(e).__name__}: {e}); {INSTALL_HINT} "
            "(recognizers-text-suite needs emoji<1.0)"
        )
        return parser
    parser.name = f"recognizers-text {_version('recognizers-text-suite')}"
    # recognizers_date_time.recognize_datetime(text, culture, reference=now) builds this
    # model on every call; building it once per culture is the same parse, without the
    # rebuild (which would only make the peer look slower).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        models = {
            "en": DateTimeRecognizer(Culture.English).get_datetime_model(Culture.English),
            "es": DateTimeRecognizer(Culture.Spanish).get_datetime_model(Culture.Spanish),
        }

    def prepare(case):
        return (models[case["lang"]], case["text"], datetime.fromisoformat(case["now"]))

    def run(args):
        model, text, now = args
        return model.parse(text, now)

    def convert(results, case):
        now = datetime.fromisoformat(case["now"])
        for r in results or ():
            kind = (r.type_name or "").rsplit(".", 1)[-1]
            if kind not in _RECOGNIZER_TIME_TYPES or not r.resolution:
                continue   # durations ("an hour") and sets ("every week") are not times
            window = _recognizer_pick(r.resolution.get("values", []), now)
            if window is not None:
                return window
        return None

    parser.prepare, parser.run, parser.convert = prepare, run, convert
    return parser


def make_ours() -> Parser:
    parser = Parser("ours (nlu.understand)")
    try:
        from nlu import understand  # type: ignore[attr-defined]
    except Exception as e:
        parser.missing = f"not available ({type(e).__name__}: {e})"
        return parser

    def prepare(case):
        return (case["text"], context_from_case(case))

    def run(args):
        text, context = args
        return understand(text, context)

    def convert(understanding, case):
        return our_window(understanding)

    parser.prepare, parser.run, parser.convert = prepare, run, convert
    return parser


# --------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------

@dataclass
class Result:
    parser: Parser
    correct: int = 0
    total: int = 0
    times_ns: list[int] = field(default_factory=list)
    windows: dict[str, Window | None] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def accuracy(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ns) / 1e6

    @property
    def p99_ms(self) -> float:
        return percentile(self.times_ns, 99) / 1e6


def percentile(samples: list[int] | list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * pct // 100))   # ceil
    return ordered[int(rank) - 1]


def measure(parser: Parser, cases: list[dict], repeat: int) -> Result:
    result = Result(parser)
    prepared = [parser.prepare(c) for c in cases]
    run = parser.run
    # Warm-up pass, which is also the accuracy pass.
    for case, args in zip(cases, prepared):
        try:
            raw = run(args)
            window = parser.convert(raw, case)
        except Exception as e:   # a peer crashing on a message counts as no answer
            result.errors[case["id"]] = f"{type(e).__name__}: {e}"
            window = None
        result.windows[case["id"]] = window
        result.total += 1
        result.correct += is_correct(case, window)
    gc.collect()
    perf = time.perf_counter_ns
    for _ in range(repeat):
        for args in prepared:
            t0 = perf()
            try:
                run(args)
            except Exception:
                pass
            result.times_ns.append(perf() - t0)
    return result


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def fmt_window(w: Window | None) -> str:
    if w is None:
        return "-"
    return f"[{_minutes(w[0])}, {_minutes(w[1])})"


def list_cases(results: list[Result], cases: list[dict]) -> None:
    for case in cases:
        exp = case["expect"].get("when") or case["expect"].get("when_any")
        exp_list = exp if isinstance(exp, list) else [exp]
        exp_txt = " or ".join(f"[{w['start'][:16]}, {w['end'][:16]})" for w in exp_list)
        print(f"{case['id']} [{case['lang']}] now {case['now'][:16]} {case['text']!r}")
        print(f"    expect {exp_txt}")
        for r in results:
            w = r.windows.get(case["id"])
            mark = "ok " if is_correct(case, w) else "   "
            err = f"  ({r.errors[case['id']]})" if case["id"] in r.errors else ""
            print(f"    {mark}{r.parser.name.split()[0]:12s} {fmt_window(w)}{err}")
    print()


def report(results: list[Result], missing: list[Parser], ours: Result | None,
           cases: list[dict]) -> bool:
    print(f"cases expecting a time: {len(cases)} "
          f"(en {sum(c['lang'] == 'en' for c in cases)}, es {sum(c['lang'] == 'es' for c in cases)})")
    print()
    print(f"{'parser':34s} {'when accuracy':>16s} {'median ms':>10s} {'p99 ms':>10s}")
    for r in results:
        print(f"{r.parser.name:34s} {r.correct:5d}/{r.total:<3d} {r.accuracy:5.1f}% "
              f"{r.median_ms:10.3f} {r.p99_ms:10.3f}")
        for note in r.parser.notes:
            print(f"{'':34s}   note: {note}")
        if r.errors:
            print(f"{'':34s}   raised on {len(r.errors)} message(s), counted as no time")
    for p in missing:
        print(f"{p.name:34s} {p.missing}")
    print()

    peers = [r for r in results if r is not ours]
    all_ok = True
    if ours is None:
        print("targets: cannot be checked, ours is not available")
        return False
    if not peers:
        print("targets: cannot be checked, no peer is installed")
        return False
    best = max(peers, key=lambda r: r.accuracy)
    fastest = min(peers, key=lambda r: r.median_ms)
    points = ours.accuracy - best.accuracy
    speedup = fastest.median_ms / ours.median_ms if ours.median_ms > 0 else float("inf")
    checks = [
        (f"accuracy: ours - best peer ({best.parser.name}) = {points:+.1f} points",
         f">= +{TARGET_ACCURACY_POINTS:.0f}", points >= TARGET_ACCURACY_POINTS),
        (f"speed: ours median = {ours.median_ms:.4f} ms/message",
         f"< {TARGET_MEDIAN_MS} ms", ours.median_ms < TARGET_MEDIAN_MS),
        (f"speed: fastest peer ({fastest.parser.name}) median / ours = {speedup:.1f}x",
         f">= {TARGET_SPEEDUP:.0f}x", speedup >= TARGET_SPEEDUP),
    ]
    print("targets:")
    for label, target, ok in checks:
        print(f"  {verdict(ok)}  {label:70s} target {target}")
        all_ok &= ok
    missing_peers = [m for m in missing if not m.name.startswith("ours")]
    if missing_peers:
        print(f"  (only {len(peers)} of {len(peers) + len(missing_peers)} peers measured:"
              " the others are not installed)")

    return all_ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=Path, default=DEFAULT_CASES,
                    help=f"evaluation file (default {DEFAULT_CASES})")
    ap.add_argument("--repeat", type=int, default=5,
                    help="timed passes over the cases, after one warm-up pass (default 5)")
    ap.add_argument("--show-cases", action="store_true",
                    help="list every case with each parser's window")
    ap.add_argument("--strict", action="store_true",
                    help="exit 1 when a target is not met")
    args = ap.parse_args(argv)

    cases = [c for c in load_cases(args.cases) if expects_time(c)]
    if not cases:
        print(f"no case in {args.cases} expects a time")
        return 1

    parsers = [make_ours(), make_dateparser(), make_ctparse(), make_recognizers()]
    results, missing, ours = [], [], None
    for p in parsers:
        if p.missing:
            missing.append(p)
            continue
        r = measure(p, cases, args.repeat)
        results.append(r)
        if p.name.startswith("ours"):
            ours = r
    print(f"python {sys.version.split()[0]}, {args.repeat} timed passes after 1 warm-up, "
          f"time.perf_counter_ns per message")
    if args.show_cases:
        list_cases(results, cases)
    ok = report(results, missing, ours, cases)
    return 1 if (args.strict and not ok) else 0


if __name__ == "__main__":
    sys.exit(main())
