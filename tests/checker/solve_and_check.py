#!/usr/bin/env python3
"""solve_and_check.py - solve one scenario with circulab and check the result.

Usage: solve_and_check.py --circulab PATH --scenario FILE --out RESULT.json
                          [--status optimal]

Runs `circulab solve FILE -o RESULT.json --quiet`, requires exit 0 and the expected
status (default "optimal"), then runs the independent checker (check_result.check) on the
result. One ctest entry per bundled scenario (tests/checker.cmake) calls this, so that a
single test both solves and checks. Exit 0 when everything holds, 1 otherwise.
Python 3 standard library only.
"""

import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_result as cr  # noqa: E402


def main(argv):
    ap = argparse.ArgumentParser(description="solve a scenario and check the result")
    ap.add_argument("--circulab", required=True)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--status", default="optimal")
    ap.add_argument("--timeout", type=float, default=500.0)
    args = ap.parse_args(argv[1:])

    if os.path.exists(args.out):
        os.remove(args.out)
    cmd = [args.circulab, "solve", args.scenario, "-o", args.out, "--quiet"]
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=args.timeout)
    except subprocess.TimeoutExpired:
        print("FAIL: %s timed out after %gs" % (" ".join(cmd), args.timeout))
        return 1
    if proc.returncode != 0:
        print("FAIL: %s exited %d" % (" ".join(cmd), proc.returncode))
        sys.stdout.write(proc.stderr.decode("utf-8", "replace"))
        return 1
    try:
        with open(args.scenario, encoding="utf-8") as f:
            scenario = json.load(f)
        with open(args.out, encoding="utf-8") as f:
            result = json.load(f)
    except (OSError, ValueError) as exc:
        print("FAIL: cannot read the scenario or the result: %s" % exc)
        return 1
    problems = []
    if result.get("status") != args.status:
        problems.append("status %r, expected %r" % (result.get("status"), args.status))
    problems += cr.check(scenario, result)
    if problems:
        for p in problems:
            print("FAIL: " + p)
        return 1
    print("ok: %d placements, objective %s, status %s" % (
        len(result.get("placements") or []), result.get("objective"), result["status"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
