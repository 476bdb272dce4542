#!/usr/bin/env python3
"""Check that a message set follows the format of /work/shared/nlu-eval/README.md.

usage: python tests/nlu_sets/check_times.py [tests/nlu_sets/times-1.jsonl ...]

Checks: every required field is there with the right type; ids are unique;
times parse as wall-clock ISO times without an offset; the time zone exists;
opening hours are well formed; appointments are upcoming, soonest first, with
unique refs; `awaiting` and `intent` are known values; `appointment` names one
of the case's refs; `when` / `when_any` appear only on reschedule, never both,
and every window has start <= end; `choice` appears only on choose and is in
range; no two texts are the same once case and spacing are ignored.
Exits 1 and lists the problems when anything is wrong.
"""
import json
import os
import re
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

REQUIRED = ("id", "lang", "now", "tz", "hours", "appointments", "awaiting", "options", "text", "expect")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
AWAITING = {"none", "reminder_reply", "cancel_confirmation", "reschedule_confirmation", "slot_choice",
            "which_appointment"}
INTENTS = {"cancel", "reschedule", "confirm_appointment", "affirm", "deny", "choose", "query", "late", "human",
           "help", "opt_out", "opt_in", "greet", "unknown"}
WITH_APPOINTMENT = {"cancel", "reschedule", "confirm_appointment", "query", "late"}
EXPECT_KEYS = {"intent", "appointment", "choice", "when", "when_any"}
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
ID = re.compile(r"^time-(en|es)-\d{3}$")


def wall_time(value):
    """A wall-clock time 'YYYY-MM-DDTHH:MM:SS' without an offset, or None."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", value):
        return None
    try:
        d = datetime.fromisoformat(value)
    except ValueError:
        return None
    return d if d.tzinfo is None else None


def check_window(w, where, problems):
    if not isinstance(w, dict) or set(w) != {"start", "end"}:
        problems.append(f"{where}: a window is {{start, end}}, got {w!r}")
        return
    s, e = wall_time(w["start"]), wall_time(w["end"])
    if s is None or e is None:
        problems.append(f"{where}: window times do not parse: {w!r}")
    elif s > e:
        problems.append(f"{where}: window starts after it ends: {w!r}")


def check_case(case, problems, where):
    for k in REQUIRED:
        if k not in case:
            problems.append(f"{where}: missing field {k!r}")
    if any(k not in case for k in REQUIRED):
        return
    extra = set(case) - set(REQUIRED)
    if extra:
        problems.append(f"{where}: unknown fields {sorted(extra)}")
    if case["lang"] not in ("en", "es"):
        problems.append(f"{where}: lang must be en or es")
    if not ID.match(str(case["id"])) or case["id"].split("-")[1] != case["lang"]:
        problems.append(f"{where}: id {case['id']!r} is not time-<lang>-NNN")
    now = wall_time(case["now"])
    if now is None:
        problems.append(f"{where}: now does not parse: {case['now']!r}")
    try:
        ZoneInfo(case["tz"])
    except Exception:
        problems.append(f"{where}: unknown time zone {case['tz']!r}")

    hours = case["hours"]
    if not isinstance(hours, dict) or set(hours) != set(WEEKDAYS):
        problems.append(f"{where}: hours must name exactly {WEEKDAYS}")
    else:
        for day, h in hours.items():
            if h is None:
                continue
            if (not isinstance(h, list) or len(h) != 2 or not all(isinstance(x, str) and HHMM.match(x) for x in h)
                    or h[0] >= h[1]):
                problems.append(f"{where}: hours[{day}] must be null or [open, close] with open < close: {h!r}")

    refs = []
    appts = case["appointments"]
    if not isinstance(appts, list):
        problems.append(f"{where}: appointments must be a list")
        appts = []
    starts = []
    for a in appts:
        if not isinstance(a, dict) or set(a) != {"ref", "start", "minutes", "service", "staff"}:
            problems.append(f"{where}: appointment needs ref, start, minutes, service, staff: {a!r}")
            continue
        refs.append(a["ref"])
        s = wall_time(a["start"])
        if s is None:
            problems.append(f"{where}: appointment {a['ref']} start does not parse")
            continue
        starts.append(s)
        if now is not None and s <= now:
            problems.append(f"{where}: appointment {a['ref']} is not upcoming")
        if not isinstance(a["minutes"], int) or a["minutes"] <= 0:
            problems.append(f"{where}: appointment {a['ref']} minutes must be a positive integer")
    if len(set(refs)) != len(refs):
        problems.append(f"{where}: appointment refs repeat")
    if starts != sorted(starts):
        problems.append(f"{where}: appointments are not soonest first")

    if case["awaiting"] not in AWAITING:
        problems.append(f"{where}: unknown awaiting {case['awaiting']!r}")
    options = case["options"]
    if not isinstance(options, list) or any(wall_time(o) is None for o in options):
        problems.append(f"{where}: options must be a list of wall-clock times")
        options = []
    if case["awaiting"] == "slot_choice" and not options:
        problems.append(f"{where}: slot_choice without options")
    if case["awaiting"] != "slot_choice" and options:
        problems.append(f"{where}: options given while not awaiting slot_choice")
    if not isinstance(case["text"], str) or not case["text"].strip():
        problems.append(f"{where}: empty text")

    exp = case["expect"]
    if not isinstance(exp, dict):
        problems.append(f"{where}: expect must be an object")
        return
    extra = set(exp) - EXPECT_KEYS
    if extra:
        problems.append(f"{where}: unknown expect fields {sorted(extra)}")
    intent = exp.get("intent")
    if intent not in INTENTS:
        problems.append(f"{where}: unknown intent {intent!r}")
    if "appointment" in exp:
        if intent not in WITH_APPOINTMENT:
            problems.append(f"{where}: appointment expected on intent {intent!r}")
        if exp["appointment"] not in refs:
            problems.append(f"{where}: appointment {exp['appointment']!r} is not one of {refs}")
    if "choice" in exp:
        if intent != "choose":
            problems.append(f"{where}: choice only on choose")
        elif not isinstance(exp["choice"], int) or not 1 <= exp["choice"] <= len(options):
            problems.append(f"{where}: choice out of range")
    if ("when" in exp or "when_any" in exp) and intent != "reschedule":
        problems.append(f"{where}: when/when_any only on reschedule")
    if "when" in exp and "when_any" in exp:
        problems.append(f"{where}: both when and when_any")
    if "when" in exp:
        check_window(exp["when"], where, problems)
    if "when_any" in exp:
        wa = exp["when_any"]
        if not isinstance(wa, list) or len(wa) < 2:
            problems.append(f"{where}: when_any must list at least two windows")
        else:
            for w in wa:
                check_window(w, where, problems)


def check_file(path):
    problems = []
    cases = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                case = json.loads(line)
            except json.JSONDecodeError as e:
                problems.append(f"{path}:{n}: not JSON ({e})")
                continue
            if not isinstance(case, dict):
                problems.append(f"{path}:{n}: not an object")
                continue
            check_case(case, problems, f"{path}:{n} {case.get('id')}")
            cases.append(case)
    seen_ids, seen_texts = {}, {}
    for c in cases:
        cid = c.get("id")
        if cid in seen_ids:
            problems.append(f"{path}: id {cid!r} repeats")
        seen_ids[cid] = True
        key = " ".join(str(c.get("text", "")).lower().split())
        if key in seen_texts:
            problems.append(f"{path}: text of {cid} repeats {seen_texts[key]}: {c.get('text')!r}")
        seen_texts[key] = cid
    return cases, problems


def main(argv):
    paths = argv or [os.path.join(os.path.dirname(os.path.abspath(__file__)), "times-1.jsonl")]
    bad = False
    for path in paths:
        cases, problems = check_file(path)
        langs = {}
        for c in cases:
            langs[c.get("lang")] = langs.get(c.get("lang"), 0) + 1
        whens = sum("when" in c.get("expect", {}) for c in cases)
        anys = sum("when_any" in c.get("expect", {}) for c in cases)
        print(f"{path}: {len(cases)} cases ({', '.join(f'{k} {v}' for k, v in sorted(langs.items()))}); "
              f"{whens} with when, {anys} with when_any")
        for p in problems:
            print("  " + p)
        if problems:
            bad = True
            print(f"  {len(problems)} problem(s)")
        else:
            print("  ok")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
