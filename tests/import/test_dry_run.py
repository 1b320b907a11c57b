#!/usr/bin/env python3
"""test_dry_run.py - `import --dry-run` and `season close --dry-run` change nothing.

Each dry run is checked three ways against a real database file: the database is
byte-for-byte the same state afterwards (every table, the audit log included); the
report is the one the real command then prints (same counts, same lines), marked as a
dry run; and a dry run that finds an error fails as the real command would.

    python3 test_dry_run.py CIRCULAB_PROGRAM [TEST...]
"""
import json
import os

from harness import fresh, main, test, write_bytes
from common import run, scenario, state, vacancy, worker, write_json

DRY_LINE = "dry run: nothing was changed"


def season_doc():
    w1 = worker("W1", history={"campaigns": 4, "returned": True, "last_employer": "E1",
                               "last_return": "2025-06-20"})
    w2 = worker("W2", history={"campaigns": 1, "returned": True, "last_employer": "E1",
                               "last_return": "2025-06-20"})
    return scenario([w1, w2], [vacancy("V1", headcount=2)])


@test
def reimport_reports_unchanged(tmp):
    """The same file imported again changes nothing and says so: every worker
    unchanged, nothing written, updated_at (retention's last activity) kept; a record
    that differs in one field is the one updated."""
    import sqlite3
    db = fresh(tmp, season_doc())
    path = write_json(os.path.join(tmp, "same.json"), season_doc())
    con = sqlite3.connect(db)
    stamps = con.execute("SELECT id, updated_at, doc FROM workers ORDER BY id").fetchall()
    _, dry, _ = run("import", path, "--dry-run", db=db, check=0)
    assert "would import 1 file: 2 workers (0 added, 0 updated, 2 unchanged)" in dry, dry
    _, out, _ = run("import", path, db=db, check=0)
    assert "imported 1 file: 2 workers (0 added, 0 updated, 2 unchanged)" in out, out
    assert con.execute("SELECT id, updated_at, doc FROM workers ORDER BY id").fetchall() \
        == stamps
    _, out, _ = run("import", path, "--json", db=db, check=0)
    rep = json.loads(out)
    assert (rep["workers_added"], rep["workers_updated"], rep["workers_unchanged"]) == \
        (0, 0, 2), rep
    doc = season_doc()
    doc["workers"][0]["country"] = "SN"
    path = write_json(os.path.join(tmp, "one.json"), doc)
    _, out, _ = run("import", path, db=db, check=0)
    assert "2 workers (0 added, 1 updated, 1 unchanged)" in out, out
    con.close()


@test
def import_dry_run(tmp):
    db = fresh(tmp, season_doc())
    doc = season_doc()
    doc["workers"].append(worker("W3"))
    doc["workers"][1]["history"] = {"campaigns": 3, "returned": True,
                                    "last_return": "2026-09-01"}
    path = write_json(os.path.join(tmp, "more.json"), doc)
    before = state(db)
    _, dry, _ = run("import", path, "--dry-run", db=db, check=0)
    assert state(db) == before, "a dry run changed the database"
    assert dry.rstrip("\n").endswith(DRY_LINE), dry
    assert "would import 1 file: 3 workers (1 added, 1 updated, 1 unchanged)" in dry, dry
    assert "history changed for 1 worker" in dry, dry
    _, js, _ = run("import", path, "--dry-run", "--json", db=db, check=0)
    report = json.loads(js)
    assert report["dry_run"] is True and report["workers_added"] == 1, report
    assert report["history_set"] == 1, report
    assert state(db) == before
    # the real import reports the same, and does it
    _, real, _ = run("import", path, db=db, check=0)
    assert dry.replace("would import", "imported").replace(DRY_LINE + "\n", "") == real, \
        (dry, real)
    assert state(db) != before
    # a dry run of a bad file fails as the import would, and changes nothing
    bad = write_bytes(os.path.join(tmp, "bad.csv"),
                      b"id,birth_date,country,available_from,available_to\n"
                      b"W9,1990-01-01,M,2026-01-01,2026-12-31\n")
    after = state(db)
    _, _, err = run("import", bad, "--dry-run", db=db, check=3)
    assert "bad.csv:2:" in err and "nothing was imported" in err, err
    assert state(db) == after


@test
def season_close_dry_run(tmp):
    db = fresh(tmp, season_doc())
    run("round", "run", db=db, check=0)
    _, out, _ = run("placement", "list", "--json", db=db, check=0)
    ids = {p["worker"]: str(p["id"]) for p in json.loads(out)}
    run("placement", "confirm", ids["W1"], ids["W2"], db=db, check=0)
    run("placement", "depart", ids["W1"], ids["W2"], db=db, check=0)
    run("placement", "no-return", ids["W1"], db=db, check=0)
    before = state(db)
    # W2 is still departed: the dry run is refused as the close would be
    _, _, err1 = run("season", "close", "--date", "2026-10-31", "--dry-run", db=db,
                     check=3)
    _, _, err2 = run("season", "close", "--date", "2026-10-31", db=db, check=3)
    assert err1 == err2, (err1, err2)
    assert state(db) == before
    run("placement", "return", ids["W2"], db=db, check=0)
    before = state(db)
    _, dry, _ = run("season", "close", "--date", "2026-10-31", "--dry-run", db=db,
                    check=0)
    _, dry_js, _ = run("season", "close", "--date", "2026-10-31", "--dry-run", "--json",
                       db=db, check=0)
    assert state(db) == before, "a dry run changed the database"
    assert dry.rstrip("\n").endswith(DRY_LINE), dry
    report = json.loads(dry_js)
    assert report["dry_run"] is True, report
    _, real_js, _ = run("season", "close", "--date", "2026-10-31", "--json", db=db,
                        check=0)
    real = json.loads(real_js)
    del report["dry_run"]
    assert report == real, (report, real)
    assert state(db) != before


if __name__ == "__main__":
    raise SystemExit(main(__doc__))
