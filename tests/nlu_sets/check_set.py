#!/usr/bin/env python3
"""Validate a message set against the evaluation format (../shared/nlu-eval/README.md).

usage: check_set.py SET.jsonl [--against OTHER.jsonl ...]

Checks, per case: the required fields and their types; `lang`; `tz` is a real
time zone; `now`, appointment starts and options parse as offset-free
wall-clock times; `hours` names every weekday with null or [open, close];
appointments are upcoming, soonest first, with unique refs, and start inside
opening hours; `awaiting` is one of the README's values; `options` are given
exactly when awaiting slot_choice (upcoming, in order, no repeats); `expect`
carries an intent from the README's list and only the fields that intent
allows (`appointment` for cancel/reschedule/confirm_appointment/query/late and
naming a listed ref; `choice` for choose, in range, only while awaiting
slot_choice; `when`/`when_any` for reschedule only, start <= end).
Across the file: ids unique, texts unique (after folding case, accents and
punctuation), and, with --against, no text shared with another set.
Exits 1 if anything is wrong.
"""
import argparse
import datetime as dt
import json
import re
import sys
import unicodedata
from collections import Counter
from zoneinfo import ZoneInfo

INTENTS = {"cancel", "reschedule", "confirm_appointment", "affirm", "deny", "choose", "query", "late",
           "human", "help", "opt_out", "opt_in", "greet", "unknown"}
AWAITING = {"none", "reminder_reply", "cancel_confirmation", "reschedule_confirmation", "slot_choice",
            "which_appointment"}
WITH_APPOINTMENT = {"cancel", "reschedule", "confirm_appointment", "query", "late"}
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
FIELDS = {"id": str, "lang": str, "now": str, "tz": str, "hours": dict, "appointments": list,
          "awaiting": str, "options": list, "text": str, "expect": dict}
EXPECT_KEYS = {"intent", "appointment", "choice", "when", "when_any"}


def wallclock(s, where):
    if not isinstance(s, str):
        raise ValueError(f"{where}: not a string: {s!r}")
    t = dt.datetime.fromisoformat(s)
    if t.tzinfo is not None:
        raise ValueError(f"{where}: has an offset: {s!r}")
    return t


def clock(s, where):
    if not isinstance(s, str) or not re.fullmatch(r"\d\d:\d\d", s):
        raise ValueError(f"{where}: not HH:MM: {s!r}")
    return dt.time.fromisoformat(s)


def inside_hours(hours, start, minutes=0):
    h = hours[WEEKDAYS[start.weekday()]]
    if not h:
        return False
    o, c = (dt.datetime.combine(start.date(), clock(x, "hours")) for x in h)
    return o <= start and start + dt.timedelta(minutes=minutes) <= c


def fold(text):
    t = unicodedata.normalize("NFKD", text.lower())
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    t = "".join(" " if unicodedata.category(ch)[0] in "PZ" else ch for ch in t)
    return " ".join(t.split())


def check_window(w, where):
    if not isinstance(w, dict) or set(w) != {"start", "end"}:
        raise ValueError(f"{where}: a window is {{start, end}}: {w!r}")
    s, e = wallclock(w["start"], where), wallclock(w["end"], where)
    if e < s:
        raise ValueError(f"{where}: ends before it starts")


def check_case(c):
    """Return a list of problems with one case."""
    problems = []

    def bad(msg):
        problems.append(msg)

    for k, typ in FIELDS.items():
        if k not in c:
            bad(f"missing field {k}")
        elif not isinstance(c[k], typ):
            bad(f"{k} is not a {typ.__name__}")
    extra = set(c) - set(FIELDS)
    if extra:
        bad(f"unexpected fields {sorted(extra)}")
    if problems:
        return problems
    if c["lang"] not in ("en", "es"):
        bad(f"lang {c['lang']!r}")
    if not c["text"].strip():
        bad("empty text")
    try:
        ZoneInfo(c["tz"])
    except Exception:
        bad(f"unknown tz {c['tz']!r}")
    try:
        now = wallclock(c["now"], "now")
    except ValueError as e:
        return problems + [str(e)]
    hours = c["hours"]
    if set(hours) != set(WEEKDAYS):
        bad("hours must name mon..sun")
        return problems
    for d, h in hours.items():
        if h is None:
            continue
        try:
            if not (isinstance(h, list) and len(h) == 2 and clock(h[0], d) < clock(h[1], d)):
                bad(f"hours[{d}] is not [open, close]")
        except ValueError as e:
            bad(str(e))
    refs, prev = [], None
    for i, a in enumerate(c["appointments"]):
        where = f"appointments[{i}]"
        if not isinstance(a, dict) or set(a) != {"ref", "start", "minutes", "service", "staff"}:
            bad(f"{where}: needs exactly ref, start, minutes, service, staff")
            continue
        try:
            start = wallclock(a["start"], where)
        except ValueError as e:
            bad(str(e))
            continue
        if not isinstance(a["minutes"], int) or a["minutes"] <= 0:
            bad(f"{where}: minutes")
        if not (isinstance(a["service"], str) and a["service"] and isinstance(a["staff"], str) and a["staff"]):
            bad(f"{where}: service and staff are non-empty strings")
        if start <= now:
            bad(f"{where}: not upcoming")
        if prev and start < prev:
            bad(f"{where}: not soonest first")
        if not inside_hours(hours, start, a["minutes"] if isinstance(a["minutes"], int) else 0):
            bad(f"{where}: outside opening hours")
        prev = start
        refs.append(a["ref"])
    if len(set(refs)) != len(refs):
        bad("appointment refs repeat")
    aw = c["awaiting"]
    if aw not in AWAITING:
        bad(f"awaiting {aw!r}")
    if aw != "none" and aw != "which_appointment" and not c["appointments"]:
        bad(f"awaiting {aw} with no appointment")
    if aw == "which_appointment" and len(c["appointments"]) < 2:
        bad("which_appointment needs two or more appointments")
    opts = []
    for i, o in enumerate(c["options"]):
        try:
            opts.append(wallclock(o, f"options[{i}]"))
        except ValueError as e:
            bad(str(e))
    if aw == "slot_choice":
        if not opts:
            bad("slot_choice without options")
        if opts != sorted(opts) or len(set(opts)) != len(opts):
            bad("options not in order or repeated")
        if any(o <= now for o in opts):
            bad("an option is in the past")
        if any(not inside_hours(hours, o) for o in opts):
            bad("an option is outside opening hours")
    elif c["options"]:
        bad("options given while not awaiting slot_choice")
    ex = c["expect"]
    intent = ex.get("intent")
    if intent not in INTENTS:
        bad(f"intent {intent!r}")
    if set(ex) - EXPECT_KEYS:
        bad(f"unexpected expect fields {sorted(set(ex) - EXPECT_KEYS)}")
    if "appointment" in ex:
        if intent not in WITH_APPOINTMENT:
            bad(f"appointment with intent {intent}")
        if ex["appointment"] not in refs:
            bad(f"appointment {ex['appointment']!r} is not a listed ref")
    elif intent in WITH_APPOINTMENT and len(refs) == 1:
        bad("one upcoming appointment: expect.appointment should be given")
    if "choice" in ex:
        if intent != "choose":
            bad("choice without intent choose")
        if aw != "slot_choice":
            bad("choice while not awaiting slot_choice")
        if not (isinstance(ex["choice"], int) and 1 <= ex["choice"] <= len(opts)):
            bad(f"choice {ex.get('choice')!r} out of range")
    elif intent == "choose":
        bad("choose without choice")
    if "when" in ex and "when_any" in ex:
        bad("both when and when_any")
    for k in ("when", "when_any"):
        if k in ex:
            if intent != "reschedule":
                bad(f"{k} with intent {intent}")
            try:
                if k == "when":
                    check_window(ex[k], k)
                else:
                    if not (isinstance(ex[k], list) and len(ex[k]) >= 2):
                        bad("when_any is a list of two or more windows")
                    for j, w in enumerate(ex[k]):
                        check_window(w, f"when_any[{j}]")
            except ValueError as e:
                bad(str(e))
    return problems


def load(path):
    cases = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                cases.append((n, json.loads(line)))
            except json.JSONDecodeError as e:
                cases.append((n, e))
    return cases


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("set")
    ap.add_argument("--against", nargs="*", default=[], help="other sets whose texts must not reappear")
    args = ap.parse_args()
    errors = 0
    cases = load(args.set)
    ids, texts = Counter(), {}
    others = set()
    for path in args.against:
        others |= {fold(c["text"]) for _, c in load(path) if isinstance(c, dict) and "text" in c}
    for n, c in cases:
        if not isinstance(c, dict):
            print(f"line {n}: not JSON: {c}")
            errors += 1
            continue
        where = f"line {n} ({c.get('id')})"
        for p in check_case(c):
            print(f"{where}: {p}")
            errors += 1
        ids[c.get("id")] += 1
        t = fold(c.get("text", ""))
        if t in texts:
            print(f"{where}: same text as {texts[t]}: {c.get('text')!r}")
            errors += 1
        texts.setdefault(t, c.get("id"))
        if t in others:
            print(f"{where}: text also in --against set: {c.get('text')!r}")
            errors += 1
    for i, k in ids.items():
        if k > 1:
            print(f"id {i!r} used {k} times")
            errors += 1
    good = [c for _, c in cases if isinstance(c, dict)]
    langs = Counter(c.get("lang") for c in good)
    intents = Counter(c.get("expect", {}).get("intent") for c in good)
    print(f"{len(good)} cases ({', '.join(f'{k} {v}' for k, v in sorted(langs.items()))}); "
          + ", ".join(f"{k} {v}" for k, v in intents.most_common()))
    print("OK" if not errors else f"{errors} problem(s)")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
