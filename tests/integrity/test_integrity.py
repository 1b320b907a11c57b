#!/usr/bin/env python3
"""End-to-end tests of record integrity and output safety on commands the first fixes
of these patterns did not reach: text tables that print symbols (sectors, regions,
scenario names) from the input, and other ways a change could leave the database in a
state a later command refuses.

Each function named case_* is one test; tests/integrity.cmake registers one ctest test
per case (integrity.<case>). Run by hand:

    python3 tests/integrity/test_integrity.py --cli build/circulab [CASE...]

Real parts only: real files, a real SQLite file, real processes. Standard library only.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import traceback

CLI = None
ROOT = None
TIMEOUT = 300

# ESC (a colour sequence), BEL and U+202E (right-to-left override)
HOSTILE = "\x1b[31mX\u202eY\x07"


class Failure(Exception):
    pass


def check(cond, what, *context):
    if not cond:
        raise Failure(what + "".join("\n  " + str(c) for c in context))


def run(*args, code=None, stdin=None, cwd=None, env=None, timeout=TIMEOUT):
    """Run circulab; check the exit code when given; return the CompletedProcess."""
    p = subprocess.run([CLI, *args], input=stdin, capture_output=True, cwd=cwd, env=env,
                       timeout=timeout)
    if code is not None and p.returncode != code:
        raise Failure("expected exit %d, got %d\n  command: circulab %s\n  stdout: %r"
                      "\n  stderr: %r" % (code, p.returncode, " ".join(args),
                                          p.stdout[:2000], p.stderr[:2000]))
    return p


def cli_data(name):
    return os.path.join(ROOT, "tests", "data", "cli", name)


def raw_controls(data):
    """The control and bidirectional characters printed raw (line breaks aside)."""
    found = sorted({"\\x%02x" % b for b in data if (b < 32 and b != 10) or b == 127})
    if "\u202e".encode() in data:
        found.append("U+202E")
    return found


def hostile_scenario(path):
    """tests/data/cli/valid.json with control characters in every free-text symbol
    the comparison table prints: the scenario's name, sectors, regions."""
    with open(cli_data("valid.json"), encoding="utf-8") as f:
        doc = json.load(f)
    doc["name"] = "1" + HOSTILE + "name"
    for v in doc["vacancies"]:
        v["sector"] = HOSTILE + "sector"
    for e in doc["employers"]:
        e["region"] = HOSTILE + "region"
        for s in e.get("sites", []):
            s["region"] = HOSTILE + "site"
    for w in doc["workers"]:
        w["region"] = HOSTILE + "origin"
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)


# ---- text outputs ------------------------------------------------------------------


def case_compare_text_escapes_symbols():
    """`scenario compare` prints sectors, regions and scenario names (free text in a
    scenario) in its table: control and bidirectional characters are escaped there,
    on standard output and in an -o file alike, as in every other text output."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "hostile.json")
        hostile_scenario(path)
        run("validate", path, code=0)
        p = run("scenario", "compare", path, path, "-q", code=0)
        check(not raw_controls(p.stdout), "raw control characters in the table: %s"
              % raw_controls(p.stdout), p.stdout.decode("utf-8", "replace")[:3000])
        check(b"\\u001B[31mX\\u202EY\\u0007sector" in p.stdout,
              "the sector is not shown escaped", p.stdout[:3000])
        out = os.path.join(d, "table.txt")
        run("scenario", "compare", path, "-q", "-o", out, code=0)
        with open(out, "rb") as f:
            data = f.read()
        check(not raw_controls(data), "raw control characters in the -o table: %s"
              % raw_controls(data))
        # the CSV form is data: its cells keep their values (guarded, not escaped)
        p = run("scenario", "compare", path, "--csv", "-q", code=0)
        check(HOSTILE.encode() + b"sector" in p.stdout, "the CSV changed the value",
              p.stdout[:2000])


def cases():
    return {name[len("case_"):]: fn for name, fn in globals().items()
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
