"""Write tests/nlu_sets/times-1.jsonl from the scenes and case lists next to this file.

usage: python tests/nlu_sets/build_times.py [--out PATH] [--explain]

The expected windows are computed by times_lib.py from each case's scene and
the README's conventions, never typed by hand.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from times_lib import Ctx, WD  # noqa: E402
from times_scenes import SCENES  # noqa: E402
import times_cases_en  # noqa: E402
import times_cases_es  # noqa: E402


def iso(d):
    return d.strftime("%Y-%m-%dT%H:%M:%S")


def build():
    out = []
    for lang, cases in (("en", times_cases_en.CASES), ("es", times_cases_es.CASES)):
        for i, c in enumerate(cases, 1):
            scene = SCENES[c["scene"]]
            windows = c["expr"](Ctx(scene, c["ref"]))
            expect = {"intent": "reschedule"}
            if c["ref"] is not None:
                expect["appointment"] = c["ref"]
            ws = [{"start": iso(s), "end": iso(e)} for s, e in windows]
            for s, e in windows:
                assert s <= e, (c["text"], s, e)
            if len(ws) == 1:
                expect["when"] = ws[0]
            else:
                expect["when_any"] = ws
            out.append({
                "id": f"time-{lang}-{i:03d}",
                "lang": lang,
                "now": iso(scene.now),
                "tz": scene.tz,
                "hours": scene.hours,
                "appointments": scene.appts,
                "awaiting": c["awaiting"] or scene.awaiting,
                "options": c["options"],
                "text": c["text"],
                "expect": expect,
                "_scene": scene.name,
            })
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "times-1.jsonl"))
    ap.add_argument("--explain", action="store_true", help="print each case with weekdays instead of writing")
    args = ap.parse_args()
    rows = build()
    texts = {}
    for r in rows:
        key = " ".join(r["text"].lower().split())
        if key in texts:
            sys.exit(f"duplicate text: {r['text']!r} ({texts[key]} and {r['id']})")
        texts[key] = r["id"]
    if args.explain:
        from datetime import datetime
        for r in rows:
            now = datetime.fromisoformat(r["now"])
            ws = [r["expect"]["when"]] if "when" in r["expect"] else r["expect"]["when_any"]
            desc = " | ".join(
                f"{WD[datetime.fromisoformat(w['start']).weekday()]} {w['start'][:16]} -> {w['end'][:16]}" for w in ws)
            print(f"{r['id']} {r['_scene']:4s} now={WD[now.weekday()]} {r['now'][:16]} "
                  f"{r['expect'].get('appointment', '-')} {r['text']!r}\n      {desc}")
        return
    with open(args.out, "w", encoding="utf-8") as f:
        for r in rows:
            r.pop("_scene")
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    n_en = sum(r["lang"] == "en" for r in rows)
    print(f"wrote {len(rows)} cases ({n_en} en, {len(rows) - n_en} es) to {args.out}")


if __name__ == "__main__":
    main()
