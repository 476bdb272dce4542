"""How often our time reading agrees with Duckling's on the phrases an
appointment bot meets, and why it differs where it does.

Subset rule (applied to every line, never to hand-picked lines; see select()):
  * kind "instant" of grain minute, hour or day, or kind "interval" of grain
    hour that names a part of the day (morning, afternoon, evening, tonight,
    lunch, "after school", and the Spanish mañana / tarde / noche); clock
    ranges ("9:30 - 11:00") are intervals of another kind and are left out;
  * not latent (Duckling itself resolves those only on request);
  * the expected time is not in the past (before the reference day for
    grain day, before the reference moment otherwise: a booking is never in
    the past; drops "yesterday", "last tuesday", "3 days ago") and not more
    than 366 days after it (drops explicit years and "in 4 years");
  * the phrase names no time zone, holiday or season;
  * the phrase is not an nth-weekday-of-month ("first tuesday of october",
    "last day of may"), "closest monday to" or "upcoming two days"
    construction: calendar arithmetic a salon client does not write.

Context: now = the line's reference with its offset dropped (wall clock),
no appointments, and the salon open 08:00-21:00 every day. Those hours make
the reference day an ordinary working day, so "bare hours inside opening
hours" reads "3:30" as 15:30 (as Duckling does, 3 am having passed) and
"10:30" as 10:30. A window of ours agrees with an instant of grain day when
it is that whole day, with an instant of grain minute or hour when it is that
exact time, with an interval when start and end are equal. When we answer
with alternatives (when_any), agreeing with any one of them counts, as in the
scorer of ../shared/nlu-eval.

Every disagreement must be explained by one of our written conventions
(nlu/CONVENTIONS.md); explain() recognises which. At most UNEXPLAINED_ALLOWANCE
lines may stay unexplained (phrasings we do not read yet).
"""
from __future__ import annotations

import json
import re
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from nlu import Context, understand

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
SUITES = SHARED / "peer-suites"
FILES = ("duckling_time_en.jsonl", "duckling_time_es.jsonl")
HOURS = {d: (time(8), time(21)) for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
MIN_AGREEMENT = 0.90
UNEXPLAINED_ALLOWANCE = 0.01      # share of the subset (3 lines of 395); none today

_TZ = re.compile(r"\b(?:cet|cest|pst|pdt|est|edt|cst|cdt|mst|mdt|gmt|utc|ist|bst|z)\b", re.I)
_HOLIDAY = re.compile(r"christmas|easter|halloween|thanksgiving|ides|navidad|nochevieja|ano nuevo|año nuevo|"
                      r"summer|winter|spring|fall|autumn|season|verano|invierno|primavera|otoño", re.I)
_NTH_OF = re.compile(r"\b(?:first|second|third|fourth|fifth|last|\w+th)\s+(?:last\s+)?(?:day|monday|tuesday|wednesday|"
                     r"thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\s+(?:of|in)\b|\bclosest\b|\bupcoming\b",
                     re.I)


_PART_NAMES = re.compile(r"morning|afternoon|evening|tonight|tonite|night|lunch|after school|ma[nñ]ana|tarde|noche", re.I)


def _naive(s: str) -> datetime:
    return datetime.fromisoformat(s).replace(tzinfo=None)


def load_lines() -> list[dict]:
    out = []
    for name in FILES:
        with open(SUITES / name, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    d = json.loads(line)
                    d["file"] = name
                    out.append(d)
    return out


def select(d: dict) -> bool:
    """The subset rule of the module docstring."""
    if d.get("latent"):
        return False
    if d["kind"] == "instant":
        if d["grain"] not in ("minute", "hour", "day"):
            return False
        start = end = _naive(d["value"])
    elif d["kind"] == "interval":
        if d["grain"] != "hour" or not _PART_NAMES.search(d["text"]):
            return False
        start, end = _naive(d["start"]), _naive(d["end"])
        if end - start > timedelta(hours=24) or (end.date() != start.date() and end.time() != time(0)):
            return False
    else:
        return False
    ref = _naive(d["reference"])
    day0 = datetime.combine(ref.date(), time(0))
    if start < (day0 if d["grain"] == "day" else ref) or start > day0 + timedelta(days=366):
        return False
    text = d["text"]
    if _TZ.search(text) or _HOLIDAY.search(text) or _NTH_OF.search(text):
        return False
    return True


def expected(d: dict) -> tuple[datetime, datetime]:
    if d["kind"] == "instant":
        v = _naive(d["value"])
        if d["grain"] == "day":
            return v, v + timedelta(days=1)
        return v, v
    return _naive(d["start"]), _naive(d["end"])


def ours(d: dict) -> list[tuple[datetime, datetime]]:
    ref = _naive(d["reference"])
    lang = "es" if d["file"].endswith("_es.jsonl") else "en"
    u = understand(d["text"], Context(now=ref, hours=HOURS, lang=lang))
    wins = ([u.when] if u.when else []) + list(u.when_any)
    return [(w.start, w.end) for w in wins]


# ------------------------------------------------------------ conventions

_AMPM = re.compile(r"\b(?:am|pm|a\.m\.|p\.m\.|[ap]m?)\b|\d\s*[ap]\b|de la (?:tarde|noche|manana|mañana)|"
                   r"\b(?:morning|afternoon|evening|tonight|noon|midnight|mediod[ií]a|medianoche)\b|\d{2}h|\b(?:1[3-9]|2[0-3])[:.h]", re.I)
_PARTS = re.compile(r"morning|afternoon|evening|tonight|tonite|night|lunch|manana|mañana|tarde|noche|after school", re.I)
_WEEKEND = re.compile(r"week-?\s?end|wkend|fin de semana", re.I)
_WEEKDAY = re.compile(r"\b(?:mon|tue|wed|thu|fri|sat|sun|lun|mar|mi[eé]|jue|vie|s[aá]b|dom)\w*", re.I)
_NEXT = re.compile(r"\bnext\b|pr[oó]xim|que viene", re.I)


def explain(d: dict, exp: tuple[datetime, datetime], got: list[tuple[datetime, datetime]]) -> str | None:
    """Which written convention (nlu/CONVENTIONS.md) explains a disagreement."""
    text = d["text"]
    ref = _naive(d["reference"])
    if not got:
        if re.fullmatch(r"\s*(?:lu|ma|mx|mi|ju|vi|sa|do)\.?\s*", text, re.I):
            return "C16 two-letter weekday abbreviations are not read"
        return None
    g0, g1 = got[0]
    e0, e1 = exp
    # C1: bare hours inside opening hours (8:00-21:00 here), never shifted to tomorrow
    if d["kind"] == "instant" and d["grain"] != "day":
        if abs((g0 - e0).total_seconds()) in (12 * 3600, 36 * 3600) and not _AMPM.search(text):
            return "C1 bare hours fall inside opening hours"
        if e0 - g0 == timedelta(days=1) and g0.date() == ref.date():
            return "C13 a time said for today stays today (no jump to tomorrow)"
        if g0 - e0 == timedelta(hours=12) and re.search(r"\b12\b|doce|midnight|medianoche|12am", text):
            return "C13 a time said for today stays today (no jump to tomorrow)"
    # C1 (last sentence): 12 is noon, unless said with evening / tonight
    if d["kind"] == "instant" and g0.hour == 12 and e0.hour == 0 and re.search(r"\b12\b|twelve|doce", text):
        return "C1 bare hours fall inside opening hours (12 is noon)"
    # C14: a date and a weekday that disagree: the date decides
    if d["grain"] == "day" and re.search(r"\d", text) and _WEEKDAY.search(text) and g0.day == e0.day and g0 < e0:
        return "C14 a date said with a weekday: the date decides"
    # C16: two-letter Spanish weekday abbreviations are not read
    if re.fullmatch(r"\s*(?:lu|ma|mx|mi|ju|vi|sa|do)\.?\s*", text, re.I):
        return "C16 two-letter weekday abbreviations are not read"
    # C5: parts of the day are our windows
    if d["kind"] == "interval" and _PARTS.search(text) and not _WEEKEND.search(text):
        if g0.date() == e0.date() or (e0.date() - g0.date()).days == 1:
            return "C5 parts of the day are fixed salon windows"
    # C6: the weekend is Saturday and Sunday
    if _WEEKEND.search(text):
        return "C6 the weekend is Saturday 00:00 to Monday 00:00"
    # C9: range end exclusive at the named time
    if d["kind"] == "interval" and g0 == e0 and timedelta(0) < e1 - g1 <= timedelta(hours=1):
        return "C9 a range ends at the time named (end exclusive)"
    # C3: "next D"
    if _NEXT.search(text) and d["grain"] == "day" and abs((g0 - e0).days) == 7:
        return "C3 next D is the coming D when 4 to 6 days away"
    # C8: relative days are whole days
    if d["kind"] == "instant" and d["grain"] == "hour" and g0.date() == e0.date() and g1 - g0 == timedelta(days=1):
        return "C8 a day counted from now is the whole day"
    return None


def run() -> dict:
    lines = [d for d in load_lines() if select(d)]
    agree = 0
    explained: dict[str, list[str]] = {}
    unexplained: list[str] = []
    for d in lines:
        exp = expected(d)
        got = ours(d)
        if exp in got:
            agree += 1
            continue
        why = explain(d, exp, got)
        line = f"{d['text']!r}: duckling {exp[0]:%Y-%m-%d %H:%M}..{exp[1]:%H:%M}, ours " + (
            ", ".join(f"{a:%Y-%m-%d %H:%M}..{b:%H:%M}" for a, b in got) or "nothing")
        if why:
            explained.setdefault(why, []).append(line)
        else:
            unexplained.append(line)
    return {"n": len(lines), "agree": agree, "explained": explained, "unexplained": unexplained}


def summary(r: dict) -> str:
    out = [f"Duckling agreement on {r['n']} selected lines: {r['agree']}/{r['n']} = {r['agree'] / r['n']:.1%}"]
    for why, ls in sorted(r["explained"].items()):
        out.append(f"  {len(ls):3d} differ by {why}")
    out.append(f"  {len(r['unexplained']):3d} unexplained")
    out.extend("      " + u for u in r["unexplained"])
    return "\n".join(out)


@pytest.mark.skipif(not SUITES.is_dir(), reason=f"Duckling peer suites not found at {SUITES}")
def test_duckling_agreement(capsys):
    r = run()
    text = summary(r)
    with capsys.disabled():
        print("\n" + text)
    assert r["n"] >= 200, "the selection rule kept too few lines to mean anything\n" + text
    assert r["agree"] / r["n"] >= MIN_AGREEMENT, text
    assert len(r["unexplained"]) <= UNEXPLAINED_ALLOWANCE * r["n"], text


if __name__ == "__main__":          # python tests/unit/nlu/test_duckling_agreement.py
    print(summary(run()))


# Duckling's negative corpus: phrases that must yield no time. We read "4a" as
# 4 am (convention C17: SMS shorthand); every other phrase must stay timeless.
NEGATIVE_READ_BY_CONVENTION = {"4a", "4a."}


@pytest.mark.skipif(not (SUITES / "duckling_time_en_negative.jsonl").is_file(), reason=f"Duckling negative corpus not found in {SUITES}")
def test_duckling_negatives_name_no_time():
    timed = []
    with open(SUITES / "duckling_time_en_negative.jsonl", encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            u = understand(d["text"], Context(now=_naive(d["reference"]), hours=HOURS))
            if (u.when or u.when_any) and d["text"] not in NEGATIVE_READ_BY_CONVENTION:
                timed.append(d["text"])
    assert not timed, f"phrases Duckling reads as no time, read as a time here: {timed}"
