#!/usr/bin/env python3
"""test_checker.py - the checker's own tests: it must be able to fail.

Usage: test_checker.py CASES_DIR

Each CASES_DIR/*.json except *.scenario.json is one case:
  {"about": "...", "expect": ["substring", ...],
   "scenario": "base.scenario.json" | {a scenario document},
   "result": {a result document}}
Every result but one (ok-base) breaks exactly one rule of the contract (docs/FORMATS.md,
docs/MODEL.md), and its derived
fields (fills, quota counts, objective) are otherwise consistent. The checker must report
a violation containing each `expect` substring; a case with an empty `expect` must pass
with no violation at all. Exit 0 when every case behaves, 1 otherwise.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_result as cr  # noqa: E402


def main(argv):
    if len(argv) != 2:
        print("usage: test_checker.py CASES_DIR", file=sys.stderr)
        return 2
    folder = argv[1]
    names = sorted(f for f in os.listdir(folder)
                   if f.endswith(".json") and not f.endswith(".scenario.json"))
    failed = 0
    for name in names:
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            case = json.load(f)
        scenario = case["scenario"]
        if isinstance(scenario, str):
            with open(os.path.join(folder, scenario), encoding="utf-8") as f:
                scenario = json.load(f)
        found = cr.check(scenario, case["result"])
        problems = []
        if not case["expect"] and found:
            problems.append("expected no violation, got: " + " | ".join(found))
        for want in case["expect"]:
            if not any(want in v for v in found):
                problems.append("missing violation %r; got: %s" % (
                    want, " | ".join(found) or "(none)"))
        if problems:
            failed += 1
            print("FAIL %s (%s)" % (name, case.get("about", "")))
            for p in problems:
                print("   " + p)
        else:
            print("ok   %s: %s" % (name, found[0] if found else "no violation"))
    print("%d passed, %d failed" % (len(names) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
