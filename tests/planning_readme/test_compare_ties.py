#!/usr/bin/env python3
"""`scenario compare` shows no tie noise: a variant that forces no change shows the base.

Two variants of scenarios/huelva-small.json whose optimal plans include the base's
optimal plan: the worked example's Fès-session variant (a training session nobody
needs), and the base with its workers and vacancies listed in reverse order (the same
scenario, other record order; written to a scratch directory). `scenario compare
--json BASE VARIANT` must show, for each, the base's objective and the base's figures
wherever a placement shows: by sector, province, employer and origin region, the
calendar of arrivals and departures per week, and the use of every quota and housing
site. Before variants were solved closest to the base's plan, both moved dozens of
placements at the same objective (`report` loads its operands through the same code).
`report BASE VARIANT` must then write its page for a variant with no difference at all
(an empty difference once handed NULL to qsort, which the sanitizer build refuses).

    python3 tests/planning_readme/test_compare_ties.py --cli build/circulab

Standard library only.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCEN = os.path.join(ROOT, "scenarios")
FIGURES = ("placements", "workers_placed", "returning_placed", "training_seats",
           "by_sector", "by_province", "by_employer", "by_origin", "weeks")


def compare(cli, cwd, a, b, *extra):
    p = subprocess.run([cli, "scenario", "compare", "-q", "--json", a, b, *extra], cwd=cwd,
                       capture_output=True, timeout=600)
    if p.returncode != 0:
        raise SystemExit("FAIL: compare %s %s exited %d: %s" % (
            a, b, p.returncode, p.stderr.decode(errors="replace")))
    return json.loads(p.stdout)["scenarios"]


def limits(s):
    return {(l["kind"], l["id"]): l for l in s["limits"] if l["kind"] in ("quota", "site")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    cli = os.path.abspath(ap.parse_args().cli)
    problems = []
    with tempfile.TemporaryDirectory(prefix="clb-ties-") as tmp:
        with open(os.path.join(SCEN, "huelva-small.json"), encoding="utf-8") as f:
            doc = json.load(f)
        doc["workers"].reverse()
        doc["vacancies"].reverse()
        with open(os.path.join(tmp, "reversed.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f)
        shutil.copy(os.path.join(SCEN, "huelva-small.json"), tmp)
        os.makedirs(os.path.join(tmp, "planning"))
        shutil.copy(os.path.join(SCEN, "planning", "fez-session.json"),
                    os.path.join(tmp, "planning"))
        # the base given as a saved result (a plan solved earlier) is the plan the
        # variants stay closest to, as a base scenario's own optimum is
        r = subprocess.run([cli, "solve", "-q", "huelva-small.json", "-o", "base.result.json"],
                           cwd=tmp, capture_output=True, timeout=600)
        if r.returncode != 0:
            raise SystemExit("FAIL: solve exited %d" % r.returncode)
        cases = [("huelva-small.json", v, ()) for v in ("planning/fez-session.json",
                                                        "reversed.json")]
        cases.append(("base.result.json", "planning/fez-session.json",
                      ("--scenario", "huelva-small.json")))
        for first, variant, extra in cases:
            base, var = compare(cli, tmp, first, variant, *extra)
            variant = "%s against %s" % (variant, first)
            if abs(base["objective"] - var["objective"]) > 1e-9 * abs(base["objective"]):
                problems.append("%s: objective %r, base %r" % (
                    variant, var["objective"], base["objective"]))
            for key in FIGURES:
                if base[key] != var[key]:
                    problems.append("%s: %s differs from the base's" % (variant, key))
            lb, lv = limits(base), limits(var)
            for k in lb:
                if k not in lv or lb[k].get("used") != lv[k].get("used"):
                    problems.append("%s: %s %s used %r, base %r" % (
                        variant, k[0], k[1], lv.get(k, {}).get("used"), lb[k].get("used")))
        for variant in ("planning/fez-session.json", "reversed.json"):
            page = os.path.join(tmp, "page.html")
            r = subprocess.run([cli, "report", "-q", "huelva-small.json", variant,
                                "-o", page], cwd=tmp, capture_output=True, timeout=600)
            if r.returncode != 0 or r.stderr or not os.path.getsize(page):
                problems.append("report huelva-small.json %s: exit %d, %s" % (
                    variant, r.returncode, r.stderr.decode(errors="replace")[-300:]))
    for p in problems:
        print("FAIL: " + p)
    if problems:
        return 1
    print("ok: variants that force no change show the base's figures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
