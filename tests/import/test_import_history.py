"""What an import may change in the system of record: a worker's history never moves
backwards unless asked (--history-from-file), pins and previous plans of a document
are not revived once the database has rounds, a season close releases the pins of
the vacancies it closes, the same worker in two files is an error, and after every
accepted change (import, vacancy submit, pin add) the database still assembles into
a scenario the reader accepts - otherwise nothing is written and the pin or rule in
the way is named. Also the `pin list|add|release` commands.

Usage: test_import_history.py CIRCULAB_PROGRAM [TEST...]"""
import json
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import test, fresh, write_bytes, main  # noqa: E402
from common import run, worker, vacancy, scenario, write_json, state  # noqa: E402


def history(db, wid):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT campaigns, returned, last_employer, last_return,"
                           " banned_until FROM workers WHERE id = ?", (wid,)).fetchone()
    finally:
        con.close()


def audit_rows(db, action):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT object, before, after, detail FROM audit"
                           " WHERE action = ? ORDER BY id", (action,)).fetchall()
    finally:
        con.close()


def season_doc(pins=None):
    """Two returning workers, one vacancy of two places (and pins when given)."""
    w1 = worker("W1", history={"campaigns": 4, "returned": True, "last_employer": "E1",
                               "last_return": "2025-06-20"})
    w2 = worker("W2", history={"campaigns": 1, "returned": True, "last_employer": "E1",
                               "last_return": "2025-06-20"})
    doc = scenario([w1, w2], [vacancy("V1", headcount=2)])
    if pins is not None:
        doc["pins"] = pins
    return doc


def run_season(db):
    """Round 1, both placed and departed; W1 does not return, W2 does; close."""
    run("round", "run", db=db, check=0)
    _, out, _ = run("placement", "list", "--json", db=db, check=0)
    ids = {p["worker"]: str(p["id"]) for p in json.loads(out)}
    assert set(ids) == {"W1", "W2"}, ids
    run("placement", "confirm", ids["W1"], ids["W2"], db=db, check=0)
    run("placement", "depart", ids["W1"], ids["W2"], db=db, check=0)
    run("placement", "no-return", ids["W1"], db=db, check=0)
    run("placement", "return", ids["W2"], db=db, check=0)
    run("season", "close", "--date", "2026-10-31", db=db, check=0)


@test
def reimport_keeps_newer_history(tmp):
    doc = season_doc()
    db = fresh(tmp, doc)
    run_season(db)
    after_close = {w: history(db, w) for w in ("W1", "W2")}
    assert after_close["W1"][0] == 5 and after_close["W1"][4] == "2028-10-30", after_close
    assert after_close["W2"][0] == 2, after_close
    path = write_json(os.path.join(tmp, "again.json"), doc)
    _, out, _ = run("import", path, "--json", db=db, check=0)
    assert {w: history(db, w) for w in ("W1", "W2")} == after_close
    rep = json.loads(out)
    # the same records, their older history kept back: nothing written
    assert (rep["workers_added"], rep["workers_updated"], rep["workers_unchanged"]) == \
        (0, 0, 2), rep
    assert rep["history_kept"] == 2 and rep["history_set"] == 0, rep
    _, out, _ = run("import", path, db=db, check=0)
    assert "0 added, 0 updated, 2 unchanged" in out and "kept for 2" in out, out
    # a CSV row with an older history is kept back the same way
    csv = write_bytes(os.path.join(tmp, "w.csv"),
                      b"id,birth_date,country,available_from,available_to,campaigns\n"
                      b"W1,1990-01-01,MA,2026-01-01,2027-12-31,4\n")
    _, out, _ = run("import", csv, "--json", db=db, check=0)
    assert json.loads(out)["history_kept"] == 1
    assert history(db, "W1") == after_close["W1"]
    # a history that moves forward is applied and audited
    doc2 = season_doc()
    doc2["workers"][1]["history"] = {"campaigns": 3, "returned": True,
                                     "last_return": "2026-09-01"}
    _, out, _ = run("import", write_json(os.path.join(tmp, "fwd.json"), doc2), "--json",
                    db=db, check=0)
    assert json.loads(out)["history_set"] == 1, out
    assert history(db, "W2")[0] == 3
    assert any(r[0] == "W2" and "import" in r[3] for r in audit_rows(db, "worker.history"))


@test
def history_from_file_rolls_back_when_asked(tmp):
    doc = season_doc()
    db = fresh(tmp, doc)
    run_season(db)
    path = write_json(os.path.join(tmp, "again.json"), doc)
    _, out, _ = run("import", path, "--history-from-file", "--json", db=db, check=0)
    assert json.loads(out)["history_set"] == 2, out
    assert history(db, "W1") == (4, 1, "E1", "2025-06-20", None)
    rows = [r for r in audit_rows(db, "worker.history") if "import" in (r[3] or "")]
    assert {r[0] for r in rows} == {"W1", "W2"}, rows
    assert "2028-10-30" in [r for r in rows if r[0] == "W1"][0][1]
    _, out, _ = run("import", "--help", check=0)
    assert "--history-from-file" in out


@test
def pins_and_previous_of_a_document_are_not_revived(tmp):
    doc = season_doc(pins=[{"worker": "W1", "vacancy": "V1"}])
    db = fresh(tmp, doc)
    _, out, _ = run("pin", "list", "--json", db=db, check=0)
    assert [(p["worker"], p["vacancy"]) for p in json.loads(out)] == [("W1", "V1")]
    run_season(db)
    # the close released the pin of the vacancy it closed (audited)
    _, out, _ = run("pin", "list", "--json", db=db, check=0)
    assert json.loads(out) == []
    assert [r[0] for r in audit_rows(db, "pin.release")] == ["W1"]
    assert "season close" in audit_rows(db, "pin.release")[0][3]
    # W1 is banned now: a revived pin (W1, V1) would break every export and round
    doc["previous"] = [{"worker": "W2", "vacancy": "V1", "status": "confirmed"}]
    doc["workers"] = [worker("W1"), worker("W2")]
    path = write_json(os.path.join(tmp, "again.json"), doc)
    _, out, _ = run("import", path, db=db, check=0)
    assert "1 pin of the files not stored" in out and "1 previous entry" in out, out
    _, out, _ = run("pin", "list", "--json", db=db, check=0)
    assert json.loads(out) == []
    run("export", "--what", "vacancies", "--all", db=db, check=0)
    run("export", "--what", "scenario", "--all", db=db, check=0)
    run("round", "run", db=db, check=0)


@test
def export_all_after_close_with_a_stale_pin(tmp):
    # The pinned worker does not return: after the close the pin (W1, V1) is on a
    # closed vacancy the worker is now banned from.
    db = fresh(tmp, season_doc(pins=[{"worker": "W1", "vacancy": "V1"}]))
    run_season(db)
    run("export", "--what", "vacancies", "--all", db=db, check=0)
    run("export", "--what", "scenario", "--all", db=db, check=0)


@test
def import_that_breaks_a_pin_is_refused(tmp):
    db = fresh(tmp, season_doc(pins=[{"worker": "W1", "vacancy": "V1"}]))
    before = state(db)
    csv = write_bytes(os.path.join(tmp, "w.csv"),
                      b"id,birth_date,country,available_from,available_to\n"
                      b"W1,2015-01-01,MA,2026-01-01,2027-12-31\n")
    _, _, err = run("import", csv, db=db, check=3)
    assert "pin (W1, V1)" in err and "age" in err, err
    assert "pin release" in err, err
    assert state(db) == before
    run("round", "run", db=db, check=0)
    before = state(db)
    run("import", csv, db=db, check=3)
    assert state(db) == before
    # releasing the pin lets the change in
    run("pin", "release", "W1", "V1", db=db, check=0)
    run("import", csv, db=db, check=0)
    run("round", "run", db=db, check=0)


@test
def vacancy_submit_below_the_database_policy_is_refused(tmp):
    doc = season_doc()
    doc["policy"] = {"min_offer_size": 5}
    doc["vacancies"][0]["headcount"] = 5
    db = fresh(tmp, doc)
    before = state(db)
    path = write_json(os.path.join(tmp, "v.json"), vacancy("V9", headcount=3))
    _, out, err = run("vacancy", "submit", path, db=db, check=3)
    assert "min_offer_size 5" in out + err, out + err
    assert state(db) == before
    run("export", "--what", "scenario", db=db, check=0)
    path = write_json(os.path.join(tmp, "v.json"), vacancy("V9", headcount=6))
    run("vacancy", "submit", path, db=db, check=0)


@test
def same_worker_in_two_files_is_an_error(tmp):
    db = fresh(tmp, season_doc())
    before = state(db)
    a = write_bytes(os.path.join(tmp, "a.csv"),
                    b"id,birth_date,country,available_from,available_to\n"
                    b"W7,1990-01-01,MA,2026-01-01,2027-12-31\n")
    b = write_json(os.path.join(tmp, "b.json"),
                   scenario([worker("W7", birth_date="1991-01-01")], []))
    _, _, err = run("import", a, b, db=db, check=3)
    assert "worker 'W7' is also given by" in err and "a.csv" in err, err
    assert state(db) == before
    v1 = write_bytes(os.path.join(tmp, "v1.csv"),
                     b"id,employer,start,end,headcount\nV5,E1,2026-02-01,2026-03-01,1\n")
    _, _, err = run("import", v1, v1, db=db, check=3)
    assert "vacancy 'V5' is also given by" in err, err
    assert state(db) == before
    run("import", a, v1, db=db, check=0)


@test
def pin_commands(tmp):
    doc = season_doc()
    doc["workers"].append(worker("W3", birth_date="2015-01-01"))  # too young
    db = fresh(tmp, doc)
    for verb in ("list", "add", "release"):
        _, out, _ = run("pin", verb, "--help", check=0)
        assert "pin " + verb in out
    _, out, _ = run("pin", "list", db=db, check=0)
    assert "no pins" in out
    assert json.loads(run("pin", "list", "--json", db=db, check=0)[1]) == []
    before = state(db)
    _, _, err = run("pin", "add", "W9", "V1", db=db, check=3)
    assert "unknown worker" in err
    _, _, err = run("pin", "add", "W1", "V9", db=db, check=3)
    assert "unknown vacancy" in err
    _, _, err = run("pin", "add", "W3", "V1", db=db, check=3)
    assert "pin (W3, V1)" in err and "age" in err, err
    assert state(db) == before
    run("pin", "add", "W1", "V1", "--note", "asked by E1", "--by", "clerk", db=db, check=0)
    _, out, _ = run("pin", "add", "W1", "V1", db=db, check=0)
    assert "already" in out
    rows = audit_rows(db, "pin.add")
    assert len(rows) == 1 and rows[0][0] == "W1" and "asked by E1" in rows[0][3], rows
    lst = json.loads(run("pin", "list", "--json", db=db, check=0)[1])
    assert lst == [{"worker": "W1", "vacancy": "V1", "vacancy_status": "open",
                    "in_rounds": True}], lst
    _, out, _ = run("round", "run", "--json", db=db, check=0)
    _, out, _ = run("placement", "list", "--json", db=db, check=0)
    assert ("W1", "V1") in [(p["worker"], p["vacancy"]) for p in json.loads(out)]
    run("pin", "release", "W1", "V1", db=db, check=0)
    # released already: reported unchanged, as pin add of an existing pin is
    _, out, _ = run("pin", "release", "W1", "V1", db=db, check=0)
    assert "unchanged" in out, out
    assert len(audit_rows(db, "pin.release")) == 1
    assert json.loads(run("pin", "list", "--json", db=db, check=0)[1]) == []


@test
def employers_csv_keeps_sites_and_association(tmp):
    doc = season_doc()
    doc["employers"] = [{"id": "E1", "region": "ES615", "association": "coop",
                         "sites": [{"id": "E1-S1", "region": "ES615", "beds": 5},
                                   {"id": "E1-S2", "region": "ES616", "beds": 7}]}]
    doc["vacancies"][0]["site"] = "E1-S2"
    db = fresh(tmp, doc)
    csv = write_bytes(os.path.join(tmp, "e.csv"), b"id,name,region,association\n"
                      b"E1,Fresas SL,ES615,\n")
    run("import", csv, db=db, check=0)
    _, out, _ = run("export", "--what", "scenario", db=db, check=0)
    emp = json.loads(out)["employers"][0]
    assert emp["name"] == "Fresas SL" and emp["association"] == "coop", emp
    assert [(x["id"], x["beds"]) for x in emp["sites"]] == [("E1-S1", 5), ("E1-S2", 7)]
    run("round", "run", db=db, check=0)
    csv = write_bytes(os.path.join(tmp, "e2.csv"), b"id,region,association\n"
                      b"E1,ES615,other\n")
    run("import", csv, db=db, check=0)
    _, out, _ = run("export", "--what", "scenario", db=db, check=0)
    emp = json.loads(out)["employers"][0]
    assert emp["association"] == "other" and len(emp["sites"]) == 2, emp


@test
def season_close_releases_pins_it_makes_ineligible(tmp):
    # V2 starts after the close date, so it stays open; W1 does not return and is
    # banned, so the pin (W1, V2) would make every later round fail.
    doc = season_doc(pins=[{"worker": "W1", "vacancy": "V2"}])
    doc["vacancies"].append(vacancy("V2", start="2027-02-01", end="2027-05-31"))
    db = fresh(tmp, doc)
    run("round", "run", db=db, check=0)
    _, out, _ = run("placement", "list", "--json", db=db, check=0)
    ids = {(p["worker"], p["vacancy"]): str(p["id"]) for p in json.loads(out)}
    assert ("W1", "V2") in ids, ids
    run("placement", "confirm", ids[("W1", "V1")], ids[("W2", "V1")], db=db, check=0)
    run("placement", "depart", ids[("W1", "V1")], ids[("W2", "V1")], db=db, check=0)
    run("placement", "no-return", ids[("W1", "V1")], db=db, check=0)
    run("placement", "return", ids[("W2", "V1")], db=db, check=0)
    _, closed, _ = run("season", "close", "--date", "2026-10-31", "--json", db=db,
                       check=0)
    run("round", "run", db=db, check=0)
    run("export", "--what", "scenario", "--all", db=db, check=0)
    assert json.loads(closed)["pins_released"] == 1, closed
    rows = audit_rows(db, "pin.release")
    assert [r[0] for r in rows] == ["W1"] and "no longer eligible" in rows[0][3], rows
    assert json.loads(run("pin", "list", "--json", db=db, check=0)[1]) == []


@test
def policy_that_stored_records_break_is_refused(tmp):
    db = fresh(tmp, season_doc())  # V1 has headcount 2
    before = state(db)
    doc = scenario([], [vacancy("V7", headcount=5)], policy={"min_offer_size": 5})
    _, _, err = run("import", write_json(os.path.join(tmp, "p.json"), doc), db=db,
                    check=3)
    assert "vacancy 'V1'" in err and "min_offer_size 5" in err, err
    assert state(db) == before
    run("export", "--what", "scenario", db=db, check=0)


@test
def vacancy_change_that_breaks_a_pin_is_refused(tmp):
    # W1 is available until 2027-12-31; moving the pinned vacancy to 2028 would make
    # the pin (W1, V1) ineligible and every round fail.
    db = fresh(tmp, season_doc(pins=[{"worker": "W1", "vacancy": "V1"}]))
    before = state(db)
    moved = vacancy("V1", start="2028-02-01", end="2028-03-31", headcount=2)
    path = write_json(os.path.join(tmp, "v.json"), moved)
    _, out, err = run("vacancy", "submit", path, db=db, check=3)
    assert "pin (W1, V1)" in out + err, out + err
    assert state(db) == before
    run("round", "run", db=db, check=0)


if __name__ == "__main__":
    sys.exit(main(__doc__))
