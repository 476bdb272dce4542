#!/usr/bin/env python3
"""Does nlu.understand stay fast, whatever it is sent?

Prints the median and p99 time of ``nlu.understand`` per message on the
evaluation set, then on adversarial inputs of 10,000 characters (random words,
repeated digits, "at 3 at 3 ...", emoji only, whitespace only, mixed scripts,
control characters, ...), each under a few contexts, and the worst case seen.

    python bench/nlu_speed.py [--cases PATH] [--repeat N] [--budget SECONDS]

This is the "stays fast" benchmark: the unit tests never check wall-clock time.
"""
from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from datetime import datetime, time as dtime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
for p in (str(REPO), str(BENCH)):
    if p not in sys.path:
        sys.path.insert(0, p)

from nlu_peers import DEFAULT_CASES, context_from_case, load_cases, percentile  # noqa: E402

LENGTH = 10_000


def _fill(unit: str, length: int = LENGTH) -> str:
    """unit repeated, cut to exactly length characters."""
    return (unit * (length // max(1, len(unit)) + 1))[:length]


def _random_words(rng: random.Random, vocabulary: list[str], length: int = LENGTH) -> str:
    words: list[str] = []
    size = 0
    while size <= length:
        w = rng.choice(vocabulary)
        words.append(w)
        size += len(w) + 1
    return " ".join(words)[:length]


def adversarial_inputs(seed: int = 20261124) -> list[tuple[str, str]]:
    """(label, text) pairs, each LENGTH characters long."""
    rng = random.Random(seed)
    english = ("can we move it to friday at 3 next week tomorrow morning cancel the appt "
               "thanks sorry 4ish between 11 and 1 after 5 before noon same time the 14th "
               "12/3 jan 6 yes no stop help reschedule appointment 30 min earlier later").split()
    spanish = ("se puede el viernes a las 3 mañana por la tarde la próxima semana cancelar "
               "la cita sí no gracias después de las 6 el 15 de diciembre fin de semana").split()
    emoji = ["😊", "🙏", "💇‍♀️", "👍🏽", "❤️", "🇺🇸", "🗓️", "⏰", "😅", "👩‍👩‍👧‍👦"]
    scripts = ["abc", "ñandú", "Привет", "Γειά", "你好", "こんにちは", "مرحبا", "שלום",
               "नमस्ते", "안녕", "ไทย", "e\u0301\u0301\u0301", "𝟑", "３時", "٣", "Ⅲ"]
    controls = "".join(chr(c) for c in list(range(0, 32)) + [127] + list(range(0x80, 0xA0)))
    invisibles = "\u200b\u200c\u200d\u2060\ufeff\u202e\u202d\u2066\u2069\u00ad"
    spaces = " \t\n\r\x0b\x0c\u00a0\u1680\u2000\u2003\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
    return [
        ("random words (en)", _random_words(rng, english)),
        ("random words (es)", _random_words(rng, spanish)),
        ("random lowercase letters and spaces",
         "".join(rng.choice("abcdefghijklmnopqrstuvwxyz      ") for _ in range(LENGTH))),
        ("repeated digit '1111...'", _fill("1")),
        ("digits and separators '12/3/12/3...'", _fill("12/3/")),
        ("clock-like '1:1:1:1...'", _fill("1:")),
        ("repeated 'at 3 '", _fill("at 3 ")),
        ("repeated 'between 1 and 2 '", _fill("between 1 and 2 ")),
        ("repeated 'next '", _fill("next ")),
        ("repeated 'a las 3 '", _fill("a las 3 ")),
        ("one 10,000-letter word", _fill("a")),
        ("emoji only", "".join(rng.choice(emoji) for _ in range(LENGTH))[:LENGTH]),
        ("spaces only", _fill(" ")),
        ("mixed whitespace only", "".join(rng.choice(spaces) for _ in range(LENGTH))),
        ("mixed scripts", _random_words(rng, scripts)),
        ("control characters", "".join(rng.choice(controls) for _ in range(LENGTH))),
        ("zero-width and bidi marks", "".join(rng.choice(invisibles) for _ in range(LENGTH))),
        ("control characters inside words",
         "".join(c + rng.choice(controls + invisibles) for c in _fill("friday at 3 ", LENGTH // 2))),
    ]


def contexts():
    """A few contexts to run each adversarial input under."""
    from nlu.understanding import AppointmentRef, Context

    now = datetime(2026, 11, 24, 10, 0)
    open_ = (dtime(9), dtime(19))
    hours = {"mon": None, "tue": open_, "wed": open_, "thu": (dtime(9), dtime(20)),
             "fri": (dtime(9), dtime(20)), "sat": (dtime(8), dtime(17)), "sun": None}
    appts = tuple(
        AppointmentRef(f"a{i + 1}", now + timedelta(days=1 + 2 * i, hours=i), 60, "Haircut", "Maria")
        for i in range(3)
    )
    options = tuple(now + timedelta(days=d, hours=h) for d, h in ((1, 2), (2, 4), (4, 0)))
    return [
        ("none, 1 appointment, en", Context(now=now, tz="America/New_York", hours=hours,
                                             appointments=appts[:1], lang="en")),
        ("slot_choice, 3 options, es", Context(now=now, tz="Europe/Madrid", hours=hours,
                                                appointments=appts[:1], awaiting="slot_choice",
                                                options=options, lang="es")),
        ("which_appointment, 3 appointments", Context(now=now, tz="America/Chicago", hours=hours,
                                                      appointments=appts,
                                                      awaiting="which_appointment")),
    ]


def time_calls(understand, text, context, repeat: int, budget_s: float) -> tuple[list[int], str | None]:
    """Nanoseconds per call: one warm-up, then up to repeat calls within budget_s (at least 3)."""
    perf = time.perf_counter_ns
    try:
        understand(text, context)
    except Exception as e:
        return [], f"{type(e).__name__}: {e}"
    samples: list[int] = []
    deadline = perf() + int(budget_s * 1e9)
    for i in range(repeat):
        t0 = perf()
        understand(text, context)
        t1 = perf()
        samples.append(t1 - t0)
        if i >= 2 and t1 > deadline:
            break
    return samples, None


def ms(ns: float) -> str:
    return f"{ns / 1e6:10.4f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    ap.add_argument("--repeat", type=int, default=20,
                    help="timed calls per message after one warm-up (default 20)")
    ap.add_argument("--budget", type=float, default=2.0,
                    help="seconds at most per adversarial input and context (default 2)")
    args = ap.parse_args(argv)

    try:
        from nlu import understand  # type: ignore[attr-defined]
    except Exception as e:
        print(f"nlu.understand is not available ({type(e).__name__}: {e})")
        return 1

    print(f"python {sys.version.split()[0]}, time.perf_counter_ns per call, "
          f"1 warm-up then up to {args.repeat} calls per message")
    worst: tuple[float, str] = (0.0, "")
    failures: list[str] = []

    # The evaluation set.
    cases = load_cases(args.cases)
    prepared = [(c, c["text"], context_from_case(c)) for c in cases]
    for _c, text, ctx in prepared:   # warm-up
        try:
            understand(text, ctx)
        except Exception as e:
            failures.append(f"{_c['id']}: {type(e).__name__}: {e}")
    gc.collect()
    samples: list[int] = []
    per_case_max: dict[str, int] = {}
    perf = time.perf_counter_ns
    for _ in range(args.repeat):
        for c, text, ctx in prepared:
            t0 = perf()
            try:
                understand(text, ctx)
            except Exception:
                pass
            dt = perf() - t0
            samples.append(dt)
            per_case_max[c["id"]] = max(per_case_max.get(c["id"], 0), dt)
    slowest_id = max(per_case_max, key=per_case_max.get)
    print()
    print(f"evaluation set {args.cases.name}: {len(cases)} messages x {args.repeat}")
    print(f"  median {ms(statistics.median(samples))} ms   p99 {ms(percentile(samples, 99))} ms"
          f"   max {ms(max(samples))} ms ({slowest_id})")
    worst = max(worst, (max(samples), f"evaluation set, {slowest_id}"))

    # Adversarial inputs.
    print()
    print(f"adversarial inputs, {LENGTH:,} characters each "
          f"(median / p99 / max ms per message, over the contexts below)")
    ctxs = contexts()
    for name, _ in ctxs:
        print(f"  context: {name}")
    print(f"  {'input':40s} {'median':>10s} {'p99':>10s} {'max':>10s}  calls")
    all_adv: list[int] = []
    for label, text in adversarial_inputs():
        assert len(text) == LENGTH, (label, len(text))
        per_input: list[int] = []
        for cname, ctx in ctxs:
            got, error = time_calls(understand, text, ctx, args.repeat, args.budget)
            if error:
                failures.append(f"{label} [{cname}]: {error}")
            per_input.extend(got)
            if got:
                worst = max(worst, (max(got), f"{label} [{cname}]"))
        all_adv.extend(per_input)
        if per_input:
            print(f"  {label:40s} {ms(statistics.median(per_input))} "
                  f"{ms(percentile(per_input, 99))} {ms(max(per_input))}  {len(per_input)}")
        else:
            print(f"  {label:40s} {'raised':>10s}")
    if all_adv:
        print(f"  {'all adversarial inputs':40s} {ms(statistics.median(all_adv))} "
              f"{ms(percentile(all_adv, 99))} {ms(max(all_adv))}  {len(all_adv)}")

    print()
    print(f"worst case: {worst[0] / 1e6:.4f} ms  ({worst[1]})")
    if failures:
        print()
        print(f"understand raised on {len(failures)} input(s):")
        for f in failures:
            print(f"  {f}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
