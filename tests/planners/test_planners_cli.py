#!/usr/bin/env python3
"""End-to-end tests of the planners' commands: scenario compare, report, simulate,
and validate/solve of scenario variants (`extends`).

Each case_* function is one ctest test, planners.<case> (tests/planners.cmake).
Usage: test_planners_cli.py --cli PATH --data DIR CASE | --list
"""
import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

CLI = None
DATA = None
ROOT = None


def run(*args, cwd=None, check_rc=None):
    proc = subprocess.run([CLI, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=600)
    if check_rc is not None and proc.returncode != check_rc:
        raise AssertionError(
            f"circulab {' '.join(args)}: exit {proc.returncode}, expected {check_rc}\n"
            f"stdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr[-2000:]}")
    return proc


def data(name):
    return os.path.join(DATA, name)


def rows_of(text):
    table = {}
    for row in csv.reader(io.StringIO(text)):
        table[tuple(row[:3])] = row[3:]
    return table


def case_compare_csv():
    """Known figures of the tiny scenario and its variant, as CSV."""
    p = run("scenario", "compare", "--csv", "tiny.json", "tiny-more-beds.json",
            cwd=DATA, check_rc=0)
    t = rows_of(p.stdout)
    assert t[("section", "key", "metric")] == ["tiny.json", "tiny-more-beds.json"]
    assert t[("overall", "objective", "")] == ["1550", "4550"], t[("overall", "objective", "")]
    assert t[("overall", "placements", "")] == ["3", "4"]
    assert t[("overall", "places", "")] == ["4", "4"]
    assert t[("overall", "fill rate", "")] == ["0.75", "1"]
    assert t[("overall", "quota shortfall", "")] == ["1", "0"]
    assert t[("overall", "named honoured", "")] == ["1", "1"]
    assert t[("overall", "origin balance index", "")] == ["0.8333", "0.85"]
    assert t[("fill by sector", "berries", "filled")] == ["2", "3"]
    assert t[("fill by destination province", "ES618", "places")] == ["1", "1"]
    assert t[("workers placed by origin region (of applicants)", "MA-05", "placed")] == ["2", "3"]
    assert t[("quotas", "Q1", "used")] == ["2", "3"]
    assert t[("quotas", "Q1", "limit")] == ["2", "3"]
    assert t[("quotas", "Q2", "shortfall")] == ["1", "0"]
    assert t[("housing sites (peak beds)", "S1", "binding")] == ["1", "1"]


def case_compare_text_and_json():
    p = run("scenario", "compare", "tiny.json", "tiny-more-beds.json", cwd=DATA,
            check_rc=0)
    assert "fill rate" in p.stdout and "75.0 %" in p.stdout and "100.0 %" in p.stdout
    assert "2/2 *" in p.stdout  # binding quota Q1 in the base
    p = run("scenario", "compare", "--json", "tiny.json", "tiny-more-beds.json",
            cwd=DATA, check_rc=0)
    doc = json.loads(p.stdout)
    assert doc["format"] == "circulab-compare/1"
    a, b = doc["scenarios"]
    assert (a["placements"], b["placements"]) == (3, 4)
    assert a["objective"] == 1550 and b["objective"] == 4550
    assert {g["key"]: g["filled"] for g in a["by_sector"]} == {"berries": 2, "citrus": 1}
    assert any(l["id"] == "Q1" and l["binding"] for l in a["limits"])
    assert a["weeks"] and sum(w["arrivals"] for w in a["weeks"]) == 3


def case_compare_result_document():
    """A result document read against its scenario gives the scenario's figures."""
    with tempfile.TemporaryDirectory() as tmp:
        res = os.path.join(tmp, "tiny.result.json")
        run("solve", data("tiny.json"), "-o", res, "-q", check_rc=0)
        p = run("scenario", "compare", "--csv", data("tiny.json"), res, "--scenario",
                data("tiny.json"), check_rc=0)
        t = rows_of(p.stdout)
        for key, cells in t.items():
            if key[0] == "section" or key[1] == "solve seconds":
                continue
            assert cells[0] == cells[1], (key, cells)
        p = run("scenario", "compare", res, check_rc=2)
        assert "--scenario" in p.stderr


def case_report_round():
    """A round of the database, exported, is reported and compared like a scenario."""
    base = os.path.join(ROOT, "scenarios", "reintegration-required.json")
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "t.db")
        run("init", "--db", db, check_rc=0)
        run("import", "--db", db, base, check_rc=0)
        run("round", "run", "--db", db, "-q", check_rc=0)
        res, inp = os.path.join(tmp, "round.json"), os.path.join(tmp, "inputs.json")
        run("export", "--db", db, "--what", "result", "-o", res, check_rc=0)
        run("export", "--db", db, "--what", "inputs", "-o", inp, check_rc=0)
        p = run("scenario", "compare", "--csv", res, base, "--scenario", inp, check_rc=0)
        t = rows_of(p.stdout)
        for key in (("overall", "placements", ""), ("overall", "objective", ""),
                    ("overall", "reintegration enrolments", "")):
            assert t[key][0] == t[key][1], (key, t[key])
        out = os.path.join(tmp, "round.html")
        run("report", res, "--scenario", inp, "-o", out, "-q", check_rc=0)
        assert open(out, encoding="utf-8").read().count("<svg") >= 5


def case_marginal_equals_resolve():
    """--marginal figures equal a re-solve with the capacity raised (CLI level)."""
    base = os.path.join(ROOT, "scenarios", "reintegration-required.json")
    p = run("scenario", "compare", "--json", "--marginal", "-q", base, check_rc=0)
    k = json.loads(p.stdout)["scenarios"][0]
    assert k["marginals"], "reintegration-required has binding programmes"
    doc = json.load(open(base))
    arrays = {"quota": ("quotas", "max"), "session": ("sessions", "capacity"),
              "programme": ("programmes", "capacity")}
    with tempfile.TemporaryDirectory() as tmp:
        for m in k["marginals"]:
            if m["kind"] not in arrays:
                continue
            array, field = arrays[m["kind"]]
            d = json.loads(json.dumps(doc))
            rec = next(r for r in d[array] if r["id"] == m["id"])
            rec[field] += m["delta"]
            path = os.path.join(tmp, "m.json")
            json.dump(d, open(path, "w"))
            out = run("solve", path, "-q", check_rc=0)
            r = json.loads(out.stdout)
            assert abs(r["objective"] - k["objective"] - m["d_objective"]) < 1e-6, m
            assert len(r["placements"]) - k["placements"] == m["d_placements"], m


def case_variant_validate():
    """`validate` checks the merge result; errors name the variant file and path."""
    p = run("validate", data("tiny-more-beds.json"), check_rc=0)
    assert "ok" in p.stdout and "5 workers" in p.stdout, p.stdout
    p = run("validate", data("bad-variant.json"), check_rc=3)
    assert "bad-variant.json: $.changes.quotas.Q-NONE: no quota 'Q-NONE'" in p.stderr, p.stderr
    p = run("validate", data("bad-merged.json"), check_rc=3)
    assert "bad-merged.json: $.sessions[0].capacity" in p.stderr, p.stderr


def case_planning_variants():
    """Every variant of scenarios/planning/ merges and validates."""
    folder = os.path.join(ROOT, "scenarios", "planning")
    names = sorted(n for n in os.listdir(folder) if n.endswith(".json"))
    assert names
    for name in names:
        run("validate", os.path.join(folder, name), check_rc=0)


def sim(*extra, cwd=None):
    base = os.path.join(ROOT, "scenarios", "reintegration-required.json")
    return run("simulate", base, "--seasons", "4", "--return-rate", "0.7",
               "--new-applicants", "5", "-q", *extra, cwd=cwd)


def case_simulate_deterministic():
    with tempfile.TemporaryDirectory() as tmp:
        rates = os.path.join(tmp, "rates.csv")
        open(rates, "w").write("region,rate\nMA-05,0.5\n# comment\nMA-03, 0.9\n")
        a = sim("--seed", "11", "--rates-by-region", rates, "--csv", os.path.join(tmp, "a.csv"))
        b = sim("--seed", "11", "--rates-by-region", rates, "--csv", os.path.join(tmp, "b.csv"))
        c = sim("--seed", "12", "--rates-by-region", rates, "--csv", "-")
        for p in (a, b, c):
            assert p.returncode == 0, p.stderr
        assert a.stdout == b.stdout
        ta = open(os.path.join(tmp, "a.csv")).read()
        assert ta == open(os.path.join(tmp, "b.csv")).read()
        assert ta != c.stdout


def case_simulate_conservation():
    p = sim("--seed", "3", "--csv", "-")
    assert p.returncode == 0, p.stderr
    rows = list(csv.DictReader(io.StringIO(p.stdout)))
    assert len(rows) == 4
    prev_pool, prev_reached = None, 0
    for i, r in enumerate(rows, 1):
        pool, placed, unplaced = int(r["pool"]), int(r["placed"]), int(r["unplaced"])
        assert int(r["season"]) == i
        assert placed + unplaced == pool
        assert int(r["returned"]) + int(r["not_returned"]) == placed
        if prev_pool is not None:
            assert pool == prev_pool + int(r["joined"]) and int(r["joined"]) == 5
        by = [int(r[f"seasons_{k}"]) for k in range(1, 5)]
        assert sum(by) == int(r["reached"])
        assert prev_reached <= int(r["reached"]) <= pool
        assert int(r["places"]) - int(r["placements"]) == sum(
            int(v) for k, v in r.items() if k.startswith("unfilled:"))
        prev_pool, prev_reached = pool, int(r["reached"])


def case_usage_errors():
    run("scenario", "compare", "--csv", "--json", data("tiny.json"), check_rc=2)
    run("simulate", data("tiny.json"), "--seasons", "2", check_rc=2)
    run("simulate", data("tiny.json"), "--seasons", "2", "--return-rate", "1.5", check_rc=2)
    run("report", os.path.join(DATA, "missing.json"), check_rc=1)
    with tempfile.TemporaryDirectory() as tmp:
        rates = os.path.join(tmp, "rates.csv")
        open(rates, "w").write("MA-05,0.5\nMA-03,2\n")
        p = run("simulate", data("tiny.json"), "--seasons", "2", "--return-rate", "0.5",
                "--rates-by-region", rates, check_rc=3)
        assert "rates.csv:2" in p.stderr
    for cmd in (["scenario", "compare"], ["report"], ["simulate"]):
        p = run(*cmd, "--help", check_rc=0)
        assert "usage" in p.stdout.lower()


def case_report_static():
    """The report is one self-contained file: no scripts, no external references."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "r.html")
        run("report", data("tiny.json"), data("tiny-more-beds.json"), "-o", out, "-q",
            check_rc=0)
        html = open(out, encoding="utf-8").read()
        assert html.startswith("<!DOCTYPE html>")
        assert html.count("<svg") >= 8
        for bad in ("<script", "src=", "href=", "url(", "@import", "<link"):
            assert bad not in html, bad


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


def main():
    global CLI, DATA, ROOT
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli")
    ap.add_argument("--data")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("case", nargs="?")
    args = ap.parse_args()
    if args.list:
        print("\n".join(CASES))
        return 0
    CLI, DATA = os.path.abspath(args.cli), os.path.abspath(args.data)
    ROOT = os.path.abspath(os.path.join(DATA, "..", "..", ".."))
    CASES[args.case]()
    print(f"{args.case}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
