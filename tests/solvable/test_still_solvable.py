#!/usr/bin/env python3
"""An accepted change leaves the season solvable.

Once placements are confirmed, an import that cuts a site's beds below them, or a pin
that clashes with one, would make every later `round run` infeasible (exit 4). Such a
change is refused (exit 3, naming the pins and the limit that cannot hold), the
database stays as it was, and the next round still runs.

Usage: test_still_solvable.py CIRCULAB SCENARIOS_DIR
"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

CLI, SCENARIOS = sys.argv[1], sys.argv[2]
failures = 0


def run(*args, db):
    env = dict(os.environ)
    env.pop("CIRCULAB_DB", None)
    return subprocess.run([CLI, *map(str, args), "--db", db], capture_output=True,
                          text=True, env=env, timeout=300)


def check(cond, what, *detail):
    global failures
    if not cond:
        failures += 1
        print("FAIL", what, *detail)


def snapshot(db):
    con = sqlite3.connect(db)
    rows = [con.execute("SELECT count(*), group_concat(doc, '|') FROM employers")
            .fetchone(),
            con.execute("SELECT count(*) FROM pairs WHERE kind = 'pin'").fetchone(),
            con.execute("SELECT count(*) FROM audit").fetchone()]
    con.close()
    return rows


def season(tmp):
    db = os.path.join(tmp, "t.db")
    huelva = os.path.join(SCENARIOS, "huelva-small.json")
    for argv in (["init"], ["import", huelva], ["round", "run", "-q"],
                 ["placement", "confirm", "1-40"]):
        p = run(*argv, db=db)
        check(p.returncode == 0, "set-up failed: " + " ".join(argv), p.stderr)
    return db, json.load(open(huelva))


def case_fewer_beds_than_confirmed():
    with tempfile.TemporaryDirectory() as tmp:
        db, doc = season(tmp)
        for e in doc["employers"]:
            for s in e.get("sites", []):
                if "beds" in s:
                    s["beds"] = 1
        f = os.path.join(tmp, "beds.json")
        json.dump(doc, open(f, "w"))
        before = snapshot(db)
        p = run("import", f, db=db)
        check(p.returncode == 3, "import cutting beds below confirmed placements "
              "accepted", p.returncode, p.stderr)
        check("beds" in p.stderr and "[confirmed]" in p.stderr,
              "the message names neither the beds nor the confirmed pins", p.stderr)
        check(snapshot(db) == before, "the database changed")
        p = run("round", "run", "-q", db=db)
        check(p.returncode == 0, "round run fails after the refused import", p.stderr)


def case_pin_clashing_with_confirmed():
    with tempfile.TemporaryDirectory() as tmp:
        db, doc = season(tmp)
        con = sqlite3.connect(db)
        confirmed = con.execute("SELECT worker_id, vacancy_id FROM placements WHERE"
                                " status = 'confirmed' ORDER BY id").fetchall()
        con.close()
        vac = {v["id"]: v for v in doc["vacancies"]}
        tried = refused = 0
        for w, v in confirmed:
            for o in sorted(vac):
                if o == v or vac[o]["end"] < vac[v]["start"] or vac[v]["end"] < vac[o]["start"]:
                    continue
                before = snapshot(db)
                p = run("pin", "add", w, o, db=db)
                if "not eligible" in p.stderr or "ineligible" in p.stderr:
                    continue
                tried += 1
                if p.returncode == 3 and "[confirmed]" in p.stderr:
                    refused += 1
                    check(snapshot(db) == before, "a refused pin changed the database")
                else:
                    check(False, "a pin overlapping a confirmed placement of its worker "
                          "was not refused", w, o, p.returncode, p.stderr)
                break
            if tried >= 3:
                break
        check(tried > 0, "no overlapping eligible vacancy to pin")
        p = run("round", "run", "-q", db=db)
        check(p.returncode == 0, "round run fails after the pins", p.stderr)


for name, fn in sorted(globals().copy().items()):
    if name.startswith("case_"):
        fn()
print("%d failed" % failures)
sys.exit(1 if failures else 0)
