#!/usr/bin/env python3
"""End-to-end tests of what circulab writes and prints: files given with -o/--csv
(special files, symbolic links, directories), file modes of personal data, CSV cells a
spreadsheet would run as formulas, control characters in text output, plausible
lifecycle dates, concurrent `init`, and `simulate` ending every season.

Each function named case_* is one test; tests/outputs.cmake registers one ctest test
per case (outputs.<case>). Run by hand:

    python3 tests/outputs/test_outputs.py --cli build/circulab [CASE...]

Real parts only: real files, FIFOs, symbolic links, /dev/null, a real SQLite file and
real processes. Standard library only.
"""

import argparse
import csv
import io
import os
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
import traceback

CLI = None
ROOT = None
TIMEOUT = 300


class Failure(Exception):
    pass


def check(cond, what, *context):
    if not cond:
        raise Failure(what + "".join("\n  " + str(c) for c in context))


def run(*args, code=None, stdin=None, cwd=None, timeout=TIMEOUT):
    """Run circulab; check the exit code when given; return the CompletedProcess."""
    p = subprocess.run([CLI, *args], input=stdin, capture_output=True, text=True,
                       cwd=cwd, timeout=timeout)
    if code is not None and p.returncode != code:
        raise Failure("expected exit %d, got %d\n  command: circulab %s\n  stdout: %s"
                      "\n  stderr: %s" % (code, p.returncode, " ".join(args),
                                          p.stdout[:2000], p.stderr[:2000]))
    return p


def scenario(name):
    return os.path.join(ROOT, "scenarios", name)


def cli_data(name):
    return os.path.join(ROOT, "tests", "data", "cli", name)


# ---- simulate ---------------------------------------------------------------------


def season_lines(text):
    return [l for l in text.splitlines() if l[:6].strip().rstrip("*").isdigit()]


def case_simulate_exit_code_without_csv():
    """The table alone (no --csv) is a success: exit 0, one line per season."""
    p = run("simulate", cli_data("valid.json"), "--seasons", "2", "--return-rate", "0.5",
            "-q", code=0)
    check(len(season_lines(p.stdout)) == 2, "not one line per season", p.stdout)
    check(p.stderr == "", "unexpected stderr", p.stderr)


def case_simulate_every_season_ends():
    """A season whose solve cannot be proven optimal quickly stops at the per-season
    time limit, is marked, and each season's line is printed as soon as it ends."""
    with tempfile.TemporaryDirectory() as tmp:
        out_csv = os.path.join(tmp, "sim.csv")
        args = [CLI, "simulate", scenario("huelva-small.json"), "--seasons", "3",
                "--return-rate", "0.85", "--time-limit", "2", "-q", "--csv", out_csv]
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        timer = threading.Timer(TIMEOUT, proc.kill)
        timer.start()
        try:
            header = proc.stdout.readline()
            first = proc.stdout.readline()
            # season 1's line arrives while later seasons still solve
            running_after_first = proc.poll() is None
            rest, err = proc.communicate()
        finally:
            timer.cancel()
        check(proc.returncode == 0, "simulate failed", proc.returncode, err)
        check(header.startswith("season"), "no header first", header)
        check(first.split()[0] == "1", "season 1 not printed first", first)
        check(running_after_first, "season 1's line came only when the run ended")
        lines = season_lines(header + first + rest)
        check(len(lines) == 3, "not three season lines", header + first + rest)
        check(lines[2].split()[0] == "3*", "season 3 not marked as cut short", lines[2])
        check("* solve stopped at the time limit (2 s per season)" in rest,
              "no note on the mark", rest)
        rows = list(csv.DictReader(open(out_csv, newline="")))
        check([r["solve"] for r in rows][2] == "time_limit", "CSV does not say so",
              rows)


def case_simulate_default_time_limit_documented():
    p = run("simulate", "--help", code=0)
    check("default 30" in p.stdout, "no default time limit in --help", p.stdout)


# ---- driver -----------------------------------------------------------------------


def cases():
    return {name[5:]: fn for name, fn in globals().items()
            if name.startswith("case_") and callable(fn)}


def main():
    global CLI, ROOT
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cli")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("case", nargs="*")
    args = ap.parse_args()
    all_cases = cases()
    if args.list:
        print("\n".join(sorted(all_cases)))
        return 0
    if not args.cli:
        ap.error("--cli is required")
    CLI = os.path.abspath(args.cli)
    ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    failed = 0
    for name in args.case or sorted(all_cases):
        try:
            all_cases[name]()
            print("ok   %s" % name)
        except Failure as e:
            failed += 1
            print("FAIL %s: %s" % (name, e))
        except Exception:
            failed += 1
            print("FAIL %s: exception" % name)
            traceback.print_exc(file=sys.stdout)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
