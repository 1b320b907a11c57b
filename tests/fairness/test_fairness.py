#!/usr/bin/env python3
"""Fairness over seasons in `simulate`: shares by origin region, the origin balance
index per season and over the seasons, and `--min-share-by-region`, checked against
figures worked out by hand.

The pool (data/two-regions.json): six returning workers from MA-A (campaigns 2,
returned: each worth 1000 + 200 + 2 x 25 = 1250 per placement) and two first-timers
from MA-B (1000 each); V1 offers 4 places, V2 4 more that ask for a skill nobody has,
so at most 4 workers are placed each season (places 8, fill 50 %). Applicants: MA-A
6/8 = 75 %, MA-B 2/8 = 25 %, every season (nobody joins; banned workers stay in the
pool). With `--return-rate 0` every placed worker is banned for 730 days from the
season's close (2026-05-31 + 730 covers the next two seasons' starts).

Each case_* function is one ctest test, fairness.<case> (tests/fairness.cmake).
Usage: test_fairness.py --cli PATH --data DIR CASE | --list
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


def run(*args, check_rc=None):
    proc = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=120)
    if check_rc is not None and proc.returncode != check_rc:
        raise AssertionError(
            f"circulab {' '.join(args)}: exit {proc.returncode}, expected {check_rc}\n"
            f"stdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr[-2000:]}")
    return proc


def scenario():
    return os.path.join(DATA, "two-regions.json")


def simulate_csv(seasons, *extra):
    p = run("simulate", scenario(), "--seasons", str(seasons), "--return-rate", "0",
            "--csv", "-", *extra, check_rc=0)
    rows = list(csv.DictReader(io.StringIO(p.stdout)))
    assert len(rows) == seasons, p.stdout
    return rows


def write(tmp, name, data):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return path


def case_shares_by_season():
    """Without minimums, by hand:
    season 1: the four places go to MA-A (worth more): placed shares A 1, B 0
      against 0.75/0.25; index 1 - (|1-.75| + |0-.25|)/2 = 0.75.
    season 2: the four MA-A workers placed are banned; the 2 other MA-A and both
      MA-B are placed: 0.5/0.5; index 1 - (.25 + .25)/2 = 0.75.
      Over both: placed A 6, B 2 of 8 worker-seasons (0.75/0.25), applicants A 12,
      B 4 of 16 (0.75/0.25): index 1.
    season 3: all eight are banned: nobody placed, shares and season index
      undefined (empty cells); over the three seasons still 6/8 against 18/24: 1."""
    r = simulate_csv(3)
    assert [x["placed"] for x in r] == ["4", "4", "0"], r
    assert [x["placed:MA-A"] for x in r] == ["4", "2", "0"]
    assert [x["placed:MA-B"] for x in r] == ["0", "2", "0"]
    assert [x["applicants:MA-A"] for x in r] == ["6", "6", "6"]
    assert [x["applicants:MA-B"] for x in r] == ["2", "2", "2"]
    assert [x["applicant_share:MA-B"] for x in r] == ["0.2500"] * 3
    assert [x["placed_share:MA-A"] for x in r] == ["1.0000", "0.5000", ""]
    assert [x["placed_share:MA-B"] for x in r] == ["0.0000", "0.5000", ""]
    assert [x["total_placed_share:MA-A"] for x in r] == ["1.0000", "0.7500", "0.7500"]
    assert [x["total_placed_share:MA-B"] for x in r] == ["0.0000", "0.2500", "0.2500"]
    assert [x["total_applicant_share:MA-A"] for x in r] == ["0.7500"] * 3
    assert [x["balance_index"] for x in r] == ["0.7500", "0.7500", ""]
    assert [x["total_balance_index"] for x in r] == ["0.7500", "1.0000", "1.0000"]
    # no minimum columns without --min-share-by-region
    assert "share_base" not in r[0] and "min:MA-B" not in r[0]


def case_shares_text():
    """The same figures in the table a person reads."""
    p = run("simulate", scenario(), "--seasons", "3", "--return-rate", "0", check_rc=0)
    lines = p.stdout.splitlines()
    head = next(l for l in lines if l.startswith("season  first day"))
    assert "balance" in head
    seasons = [l.split() for l in lines if l[:6].strip() in ("1", "2", "3")
               and "-03-01" in l]
    assert [s[-2] for s in seasons] == ["0.750", "0.750", "-"], seasons
    region = {}
    for l in lines:
        f = l.split()
        if len(f) >= 8 and f[0] in ("MA-A", "MA-B") and f[1].isdigit():
            region[(f[1], f[0])] = f[2:8]
    assert region[("1", "MA-A")] == ["6", "4", "100.0%", "75.0%", "100.0%", "75.0%"]
    assert region[("2", "MA-B")] == ["2", "2", "50.0%", "25.0%", "25.0%", "25.0%"]
    assert region[("3", "MA-B")] == ["2", "0", "-", "25.0%", "25.0%", "25.0%"]
    assert "origin balance index over the 3 seasons: 1.000" in p.stdout


def case_min_share_reaches_minimum():
    """MA-B at 25 %: season 1 without minimums places 4 (all MA-A), so MA-B's
    minimum is ceil(0.25 x 4) = 1 (not 0.25 x 8 places = 2), the plan falls short and
    the season is solved again with the quota: 3 MA-A + 1 MA-B, shares 0.75/0.25,
    index 1. Season 2: 3 MA-A and 1 MA-B are left unbanned and all four are placed
    (minimum 1, met): 0.75/0.25 again. The under-represented region's share rose from
    0 to its minimum."""
    with tempfile.TemporaryDirectory() as tmp:
        shares = write(tmp, "shares.csv", "region,min_share\nMA-B,0.25\n")
        r = simulate_csv(2, "--min-share-by-region", shares)
    assert [x["share_base"] for x in r] == ["4", "4"], r
    assert [x["share_resolved"] for x in r] == ["1", "0"]
    assert [x["min:MA-B"] for x in r] == ["1", "1"]
    assert [x["min:MA-A"] for x in r] == ["0", "0"]
    assert [x["placed:MA-B"] for x in r] == ["1", "1"]
    assert [x["placed:MA-A"] for x in r] == ["3", "3"]
    assert [x["placed_share:MA-B"] for x in r] == ["0.2500", "0.2500"]
    assert [x["shortfall:MA-B"] for x in r] == ["0", "0"]
    assert [x["balance_index"] for x in r] == ["1.0000", "1.0000"]
    assert [x["total_balance_index"] for x in r] == ["1.0000", "1.0000"]
    assert [x["placed"] for x in r] == ["4", "4"]  # nobody fewer placed


def case_min_share_where_feasible():
    """MA-B at 75 %: minimum ceil(0.75 x 4) = 3, but MA-B has two workers: both are
    placed (share 0.5, shortfall 1) and MA-A fills the other two places. Season 2:
    both MA-B are banned, MA-A's four unbanned workers take the places (shortfall 3).
    The soft minimum never removes a place."""
    with tempfile.TemporaryDirectory() as tmp:
        shares = write(tmp, "shares.csv", "region,min_share\nMA-B,75%\n")
        r = simulate_csv(2, "--min-share-by-region", shares)
        p = run("simulate", scenario(), "--seasons", "2", "--return-rate", "0",
                "--min-share-by-region", shares, check_rc=0)
    assert [x["min:MA-B"] for x in r] == ["3", "3"], r
    assert [x["placed:MA-B"] for x in r] == ["2", "0"]
    assert [x["shortfall:MA-B"] for x in r] == ["1", "3"]
    assert [x["placed"] for x in r] == ["4", "4"]
    assert [x["placed_share:MA-B"] for x in r] == ["0.5000", "0.0000"]
    assert "min share  minimum  shortfall" in p.stdout
    row = next(l.split() for l in p.stdout.splitlines()
               if l.split()[:2] == ["MA-B", "1"])
    assert row[-3:] == ["75.0%", "3", "1"], row


def case_min_share_spreadsheet():
    """A spreadsheet's file (byte-order mark, ';', CRLF, a percentage with a decimal
    comma, an x- column) reads as the plain one."""
    with tempfile.TemporaryDirectory() as tmp:
        plain = write(tmp, "plain.csv", "region,min_share\nMA-B,0.125\n")
        sheet = write(tmp, "sheet.csv",
                      b"\xef\xbb\xbfx-note;min_share;region\r\nsouth;12,5 %;MA-B\r\n;;\r\n")
        comma = write(tmp, "comma.csv", "region;min_share\nMA-B;0,125\n")
        a = simulate_csv(2, "--min-share-by-region", plain)
        b = simulate_csv(2, "--min-share-by-region", sheet)
        c = simulate_csv(2, "--min-share-by-region", comma)
    assert a == b == c
    assert a[0]["min:MA-B"] == "1"  # ceil(0.125 x 4)


def case_min_share_bad_csv():
    """Every refused file: exit 3, one line naming file:line:column and the column,
    and no --csv output written. A file that cannot be read: exit 1."""
    bad = {
        "region,share\nMA-B,0.2\n": ":1:8: unknown column 'share'",
        "region,min_share\nMA-B,abc\n": ":2:6: column 'min_share': 'abc' is not a number",
        "region,min_share\nMA-B,+0.2\n": ":2:6: column 'min_share': '+0.2' is not a number",
        "region,min_share\nMA-B,1.5\n": ":2:6: column 'min_share': 1.5 is not a share",
        "region,min_share\nMA-B,-10%\n": ":2:6: column 'min_share': -0.1 is not a share",
        "region,min_share\nMA-B,0.2\nMA-B,0.1\n":
            ":3:1: column 'region': 'MA-B' is listed twice (first on line 2)",
        "region,min_share\n,0.2\n": ":2:1: column 'region': empty",
        "region,min_share\nMA-A,0.8\nMA-B,0.3\n":
            ":3:6: column 'min_share': the minimum shares add up to 1.1",
        "region,min_share\nMA-X,0.2\n":
            ":2:1: column 'region': no worker of the scenario comes from origin region "
            "'MA-X'",
        "region,min_share\nMA-B,0.2,3\n": ":2:1: row has 3 fields, the header has 2",
        "region\nMA-B\n": ":1:1: no column 'min_share'",
        "region,min_share\n": ":1:1: no region under the header",
        "region,min_share\nMA-B,\"0.2\x00\"\n": ":2:10: NUL byte in a field",
    }
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.csv")
        for text, expected in bad.items():
            shares = write(tmp, "shares.csv", text)
            p = run("simulate", scenario(), "--seasons", "2", "--return-rate", "0",
                    "--min-share-by-region", shares, "--csv", out, check_rc=3)
            err = p.stderr.strip()
            assert err.count("\n") == 0, err
            assert shares + expected in err, (text, err)
            assert "(line " not in err, err  # the position is said once
            assert not os.path.exists(out), text
        p = run("simulate", scenario(), "--seasons", "1", "--return-rate", "0",
                "--min-share-by-region", os.path.join(tmp, "missing.csv"), check_rc=1)
        assert "missing.csv" in p.stderr


def case_json_document():
    """--json: one document with the same figures, null where a share is undefined;
    --json with --csv - (both on stdout) is a usage error."""
    p = run("simulate", scenario(), "--seasons", "3", "--return-rate", "0", "--json",
            check_rc=0)
    doc = json.loads(p.stdout)
    assert doc["format"] == "circulab-simulation/1"
    s = doc["seasons"]
    assert [x["balance_index"] for x in s] == [0.75, 0.75, None]
    assert [x["total_balance_index"] for x in s] == [0.75, 1, 1]
    b = [next(r for r in x["regions"] if r["region"] == "MA-B") for x in s]
    assert [r["placed"] for r in b] == [0, 2, 0]
    assert [r["placed_share"] for r in b] == [0, 0.5, None]
    assert [r["total_placed"] for r in b] == [0, 2, 2]
    assert [r["total_applicants"] for r in b] == [2, 4, 6]
    assert "min" not in b[0] and "share_base" not in s[0]
    with tempfile.TemporaryDirectory() as tmp:
        shares = write(tmp, "shares.csv", "region,min_share\nMA-B,0.25\n")
        p = run("simulate", scenario(), "--seasons", "2", "--return-rate", "0", "--json",
                "--min-share-by-region", shares, check_rc=0)
    s = json.loads(p.stdout)["seasons"]
    assert [x["share_base"] for x in s] == [4, 4]
    assert [x["share_resolved"] for x in s] == [True, False]
    b = [next(r for r in x["regions"] if r["region"] == "MA-B") for x in s]
    assert [(r["min_share"], r["min"], r["placed"], r["shortfall"]) for r in b] == \
        [(0.25, 1, 1, 0), (0.25, 1, 1, 0)]
    run("simulate", scenario(), "--seasons", "1", "--return-rate", "0", "--json",
        "--csv", "-", check_rc=2)


def case_balance_index_as_compare():
    """Season 1 of a simulation is the scenario itself: its balance index is the one
    `scenario compare` reports for it (the same function computes both)."""
    p = run("scenario", "compare", "--json", scenario(), check_rc=0)
    expected = json.loads(p.stdout)["scenarios"][0]["balance_index"]
    r = simulate_csv(1)
    assert abs(float(r[0]["balance_index"]) - expected) < 1e-4, (r[0], expected)
    assert expected == 0.75


def case_min_share_help():
    p = run("simulate", "--help", check_rc=0)
    assert "--min-share-by-region" in p.stdout
    assert "ceil(s * P)" in p.stdout


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


def main():
    global CLI, DATA
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
    CASES[args.case]()
    print(f"{args.case}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
