#!/usr/bin/env python3
"""Text values are one line.

Text outputs escape the control characters they print, but a line break inside a
stored region, name or skill cannot be told apart from the output's own line breaks
(worker list, round show, ...), so it could forge a row. The scenario reader refuses
line breaks in every text value, so no input path (scenario document, CSV import) can
store one; the message names the JSON path and the character's position, never the
value.

Usage: test_text_values.py CIRCULAB
"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

CLI = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VALID = os.path.join(ROOT, "tests", "data", "cli", "valid.json")
failures = 0


def run(*args):
    env = dict(os.environ)
    env.pop("CIRCULAB_DB", None)
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=env,
                          timeout=120)


def check(cond, what, *detail):
    global failures
    if not cond:
        failures += 1
        print("FAIL", what, *detail)


def doc_with(path_set):
    d = json.load(open(VALID))
    path_set(d)
    return d


CASES = [
    ("region newline", "$.workers[0].region", lambda d: d["workers"][0].__setitem__(
        "region", "MA-05\nW9,E9,confirmed")),
    ("region carriage return", "$.workers[0].region",
     lambda d: d["workers"][0].__setitem__("region", "MA-05\rW9,E9,confirmed")),
    ("scenario name newline", "$.name", lambda d: d.__setitem__("name", "a\nW9,E9")),
]


def case_scenario_documents():
    with tempfile.TemporaryDirectory() as tmp:
        for label, path, change in CASES:
            f = os.path.join(tmp, "s.json")
            json.dump(doc_with(change), open(f, "w"))
            p = run("validate", f)
            check(p.returncode == 3, label + ": validate did not refuse", p.returncode,
                  p.stdout, p.stderr)
            out = p.stdout + p.stderr
            check(path in out and "line breaks" in out,
                  label + ": no path or rule in the message", out)
            check("\x1b" not in out and "W9,E9" not in out,
                  label + ": the value was echoed", out)
        # the same document without the control character is valid
        p = run("validate", VALID)
        check(p.returncode == 0, "valid.json refused", p.stdout, p.stderr)


def case_csv_import_stores_nothing():
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "t.db")
        check(run("init", "--db", db).returncode == 0, "init failed")
        p = run("import", "--db", db, VALID)
        check(p.returncode == 0, "import of valid.json failed", p.stderr)
        con = sqlite3.connect(db)
        before = con.execute("SELECT count(*), group_concat(doc) FROM workers").fetchone()
        con.close()
        csv = os.path.join(tmp, "workers.csv")
        with open(csv, "w", newline="") as f:
            f.write("id,birth_date,sex,country,region\n")
            f.write('W7,1991-02-03,M,MA,"MA-05\nW8"\n')
        p = run("import", "--db", db, csv)
        check(p.returncode == 3, "CSV with a line break in a region was not refused",
              p.returncode, p.stdout, p.stderr)
        check("line breaks" in p.stderr, "no rule in the message", p.stderr)
        con = sqlite3.connect(db)
        after = con.execute("SELECT count(*), group_concat(doc) FROM workers").fetchone()
        con.close()
        check(before == after, "the database changed", before, after)


for name, fn in sorted(globals().copy().items()):
    if name.startswith("case_"):
        fn()
print("%d failed" % failures)
sys.exit(1 if failures else 0)
