#!/usr/bin/env python3
"""Marginal values in the planner's units through the circulab program: the text,
CSV and JSON forms of `scenario compare --marginal` and the report's table, on a
tiny scenario worked out by hand (tests/test_marginal.c has the same case).

Site S1 has 1 bed; vacancy V1 (3 places) is on it; W1 returns (1000 + 200 + 25 =
1225), W2 and W3 are new. The plan places W1: objective 1225. One more bed: one
more placement of a new worker, +1000, all of it the fill term; ten more: +2000.

Usage: test_marginal_cli.py --cli PATH CASE  (or --list)"""
import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

CLI = None


def worker(wid, region, returning=False):
    w = {"id": wid, "name": "Name of " + wid, "birth_date": "1990-01-01",
         "country": "MA", "region": region,
         "available": {"from": "2026-01-01", "to": "2026-12-31"}}
    if returning:
        w["history"] = {"campaigns": 1, "returned": True}
    return w


BEDS = {"format": "circulab-scenario/1", "name": "beds",
        "workers": [worker("W1", "MA-05", True), worker("W2", "MA-05"),
                    worker("W3", "MA-03")],
        "employers": [{"id": "E1", "region": "ES615",
                       "sites": [{"id": "S1", "region": "ES615", "beds": 1}]}],
        "vacancies": [{"id": "V1", "employer": "E1", "site": "S1", "sector": "berries",
                       "start": "2026-03-01", "end": "2026-05-31", "headcount": 3}]}


def run(*args):
    p = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, (args, p.returncode, p.stderr)
    return p.stdout


def scenario(tmp):
    path = os.path.join(tmp, "beds.json")
    with open(path, "w") as f:
        json.dump(BEDS, f)
    return path


def case_text():
    """A block per limit and step: the people, then the objective split into its
    terms on the line below."""
    with tempfile.TemporaryDirectory() as tmp:
        out = run("scenario", "compare", "--marginal", "-q", scenario(tmp))
    lines = out.splitlines()
    at = lines.index("marginal value (re-solved; change from the plan)")
    block = [l.split("  ") for l in lines[at + 1:]]
    block = [[c.strip() for c in l if c.strip()] for l in block]
    assert block == [["site S1 beds +1", "+1 places, +1 workers, +0 returning"],
                     ["objective +1000 = fill +1000"],
                     ["site S1 beds +10", "+2 places, +2 workers, +0 returning"],
                     ["objective +2000 = fill +2000"]], block
    # the block does not widen the table's columns above it
    assert max(len(l) for l in lines[:at]) < 60, lines[:at]
    assert "Name of" not in out


def case_json():
    """Every figure of a marginal value, by name, and the objective's terms."""
    with tempfile.TemporaryDirectory() as tmp:
        doc = json.loads(run("scenario", "compare", "--json", "--marginal", "-q",
                             scenario(tmp)))
    k = doc["scenarios"][0]
    assert k["objective"] == 1225, k["objective"]
    terms = k["objective_terms"]
    assert terms["fill"] == 1000 and terms["returning"] == 200 and terms["tenure"] == 25, terms
    assert sum(terms.values()) == k["objective"], terms
    ms = {(m["kind"], m["delta"]): m for m in k["marginals"]}
    assert set(ms) == {("site", 1), ("site", 10)}, ms
    one = ms[("site", 1)]
    assert one["unit"] == "beds" and one["limit"] == 1, one
    assert (one["d_placements"], one["d_workers_placed"], one["d_returning_placed"],
            one["d_training_seats"], one["d_training_cost"],
            one["d_reintegration_enrolments"], one["d_quota_shortfall"]) == \
        (1, 1, 0, 0, 0, 0, 0), one
    assert one["d_objective"] == 1000, one
    assert one["d_objective_terms"]["fill"] == 1000, one
    assert all(v == 0 for t, v in one["d_objective_terms"].items() if t != "fill"), one
    ten = ms[("site", 10)]
    assert ten["d_placements"] == 2 and ten["d_objective"] == 2000, ten


def case_csv():
    """One row per figure: section `marginal value`, key the limit and its unit."""
    with tempfile.TemporaryDirectory() as tmp:
        out = run("scenario", "compare", "--csv", "--marginal", "-q", scenario(tmp))
    rows = {(r[0], r[1], r[2]): r[3] for r in csv.reader(io.StringIO(out))}
    key = ("marginal value", "site S1 beds")
    assert rows[key + ("placements +1",)] == "1", rows
    assert rows[key + ("workers placed +1",)] == "1", rows
    assert rows[key + ("returning placed +1",)] == "0", rows
    assert rows[key + ("objective +1",)] == "1000", rows
    assert rows[key + ("objective fill +1",)] == "1000", rows
    assert rows[key + ("objective returning +1",)] == "0", rows
    assert rows[key + ("training cost +10",)] == "0", rows
    assert rows[key + ("placements +10",)] == "2", rows


def case_report():
    """The report's table has the same figures, and the terms of the objective."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "r.html")
        run("report", "--marginal", "-q", "-o", out, scenario(tmp))
        html = open(out, encoding="utf-8").read()
    assert "<table class=\"kpi marginal\">" in html, html
    row = html[html.index('<td data-label="limit">site S1 beds</td>'):]
    row = row[:row.index("</tr>")]
    cells = [c.split(">", 1)[1] for c in row.split("</td>") if ">" in c]
    assert cells[:5] == ["site S1 beds", "1", "+1", "+1", "+1"], cells
    assert cells[-2:] == ["+1000", "fill +1000"], cells
    assert "of which returning" in html and "Name of" not in html


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


def main():
    global CLI
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("case", nargs="?")
    a = ap.parse_args()
    if a.list:
        print("\n".join(sorted(CASES)))
        return 0
    CLI = a.cli
    CASES[a.case]()
    print("ok   " + a.case)
    return 0


if __name__ == "__main__":
    sys.exit(main())
