"""End-to-end tests of the database commands: init, import, export, round, placement,
season, audit, explain - their output, their errors and their exit codes.

Usage: test_store_cli.py CIRCULAB_PROGRAM [TEST...]"""
import json
import os
import sqlite3
import stat
import sys
import tempfile
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import run, worker, vacancy, scenario, write_json  # noqa: E402

TESTS = []

# The schema version this build writes, as the public header declares it.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "include",
                       "circulab", "store.h")) as _f:
    SCHEMA_VERSION = int(next(line.split()[2] for line in _f
                              if line.startswith("#define CLB_STORE_SCHEMA_VERSION")))


def test(fn):
    TESTS.append(fn)
    return fn


def fresh(tmp, doc=None):
    db = os.path.join(tmp, "t.db")
    run("init", db=db, check=0)
    if doc is not None:
        run("import", write_json(os.path.join(tmp, "s.json"), doc), db=db, check=0)
    return db


# ---- init -------------------------------------------------------------------------

@test
def init_creates_private_wal_database(tmp):
    db = os.path.join(tmp, "x.db")
    rc, out, _ = run("init", "--json", db=db, check=0)
    assert json.loads(out)["schema_version"] == SCHEMA_VERSION
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    con.close()
    run("init", db=db, check=0)  # again: harmless


@test
def init_refuses_foreign_sqlite_file(tmp):
    db = os.path.join(tmp, "other.db")
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t(x)")
    con.commit()
    con.close()
    rc, _, err = run("init", db=db, check=1)
    assert "not a circulab" in err


@test
def commands_need_an_existing_database(tmp):
    rc, _, err = run("round", "list", db=os.path.join(tmp, "missing.db"), check=1)
    assert "circulab init" in err


@test
def env_variable_names_the_database(tmp):
    db = os.path.join(tmp, "env.db")
    env = dict(os.environ, CIRCULAB_DB=db)
    import subprocess
    p = subprocess.run([common.CLI, "init"], env=env, capture_output=True, text=True)
    assert p.returncode == 0 and os.path.exists(db)


@test
def every_command_has_help(tmp):
    for cmd in (["init"], ["import"], ["export"], ["audit"], ["explain"],
                ["round", "run"], ["round", "list"], ["round", "show"], ["round", "diff"],
                ["placement", "confirm"], ["placement", "decline"], ["placement", "depart"],
                ["placement", "return"], ["placement", "no-return"], ["placement", "list"],
                ["season", "close"], ["season", "list"], ["season", "renew"]):
        rc, out, _ = run(*cmd, "--help", check=0)
        assert out.startswith("usage:"), cmd
    for group in ("round", "placement", "season"):
        run(group, check=2)
        run(group, "bogus", check=2)


# ---- import -----------------------------------------------------------------------

@test
def import_scenario_and_upsert(tmp):
    db = fresh(tmp)
    doc = scenario([worker("W1", name="Fatima Z."), worker("W2")], [vacancy("V1")])
    rc, out, _ = run("import", "--json", write_json(os.path.join(tmp, "a.json"), doc),
                     db=db, check=0)
    st = json.loads(out)
    assert st["workers"] == 2 and st["vacancies"] == 1 and st["employers"] == 1
    # upsert: same ids again, headcount changed
    doc["vacancies"][0]["headcount"] = 3
    run("import", write_json(os.path.join(tmp, "b.json"), doc), db=db, check=0)
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM workers").fetchone()[0] == 2
    assert con.execute("SELECT headcount FROM vacancies").fetchone()[0] == 3
    # names are stored but not in the records, and never in the audit log
    assert con.execute("SELECT name FROM workers WHERE id='W1'").fetchone()[0] == "Fatima Z."
    assert "Fatima" not in con.execute("SELECT group_concat(doc) FROM workers").fetchone()[0]
    assert "Fatima" not in repr(con.execute("SELECT * FROM audit").fetchall())
    con.close()


@test
def import_refers_to_database_employers(tmp):
    db = fresh(tmp, scenario([worker("W1")], [vacancy("V1")]))
    # a later document with only vacancies of an employer already stored
    doc = scenario([], [vacancy("V2", start="2026-03-01")], employers=[])
    run("import", write_json(os.path.join(tmp, "v.json"), doc), db=db, check=0)
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM vacancies").fetchone()[0] == 2
    con.close()


@test
def import_is_all_or_nothing_and_reports_paths(tmp):
    db = fresh(tmp)
    good = write_json(os.path.join(tmp, "good.json"), scenario([worker("W1")], [vacancy("V1")]))
    bad = scenario([worker("W2", birth_date="1990-13-01")], [vacancy("V9", headcount=0)])
    badp = write_json(os.path.join(tmp, "bad.json"), bad)
    rc, _, err = run("import", good, badp, db=db, check=3)
    assert "bad.json" in err and "$.workers[0].birth_date" in err, err
    assert "nothing was imported" in err
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM workers").fetchone()[0] == 0
    con.close()


@test
def import_unknown_key_rejected(tmp):
    db = fresh(tmp)
    doc = scenario([worker("W1", nmae="x")], [vacancy("V1")])
    rc, _, err = run("import", write_json(os.path.join(tmp, "k.json"), doc), db=db, check=3)
    assert "nmae" in err


@test
def import_csv_workers_and_vacancies(tmp):
    db = fresh(tmp, scenario([], [], employers=[{"id": "E1", "region": "ES615"}]))
    wcsv = os.path.join(tmp, "workers.csv")
    with open(wcsv, "w", encoding="utf-8") as f:
        f.write("id,name,birth_date,sex,country,region,languages,skills,available_from,"
                "available_to,campaigns,returned\n")
        f.write('W1,"Aïcha, B.",1990-01-01,F,MA,MA-05,ar;es,isco:9211,2026-01-01,'
                '2026-12-31,2,true\n')
        f.write('W2,"Said ""the elder""",1985-05-05,M,MA,,ar,,2026-01-01,2026-12-31,,\n')
    vcsv = os.path.join(tmp, "vacancies.csv")
    with open(vcsv, "w", encoding="utf-8") as f:
        f.write("id,employer,start,end,headcount,sector,requires_skills\n")
        f.write("V1,E1,2026-02-01,2026-05-31,2,berries,isco:9211\n")
    run("import", wcsv, vcsv, db=db, check=0)
    con = sqlite3.connect(db)
    row = con.execute("SELECT name, campaigns, returned FROM workers WHERE id='W1'").fetchone()
    assert row == ("Aïcha, B.", 2, 1), row
    assert con.execute("SELECT name FROM workers WHERE id='W2'").fetchone()[0] == 'Said "the elder"'
    con.close()
    # export round trip, without and with names
    rc, out, _ = run("export", "--what", "workers", db=db, check=0)
    assert "Aïcha" not in out and out.startswith("id,birth_date")
    rc, out, _ = run("export", "--what", "workers", "--with-names", db=db, check=0)
    assert '"Aïcha, B."' in out


@test
def import_csv_errors_have_line_and_column(tmp):
    db = fresh(tmp, scenario([], []))
    p = os.path.join(tmp, "w.csv")
    with open(p, "w") as f:
        f.write("id,birth_date,country,available_from,available_to\n")
        f.write("W1,1990-01-01,MA,2026-01-01,2026-12-31\n")
        f.write("W2,not-a-date,MA,2026-01-01,2026-12-31\n")
    rc, _, err = run("import", p, db=db, check=3)
    assert "w.csv:3:4:" in err, err
    with open(p, "w") as f:
        f.write('id,birth_date\nW1,"unterminated\n')
    rc, _, err = run("import", p, db=db, check=3)
    assert "w.csv:2:" in err and "never closed" in err, err
    with open(p, "w") as f:
        f.write("id,birth_date,colour\nW1,1990-01-01,red\n")
    rc, _, err = run("import", p, db=db, check=3)
    assert "unknown column 'colour'" in err, err


@test
def import_missing_file_is_runtime_error(tmp):
    db = fresh(tmp)
    run("import", os.path.join(tmp, "nope.json"), db=db, check=1)


# ---- rounds and the lifecycle ------------------------------------------------------

def two_worker_db(tmp):
    doc = scenario([worker("W1"), worker("W2"), worker("W3")],
                   [vacancy("V1", headcount=2), vacancy("V2", start="2026-06-10",
                                                        end="2026-08-31")])
    return fresh(tmp, doc)


def placements(db, rnd):
    rc, out, _ = run("round", "show", rnd, "--json", db=db, check=0)
    return json.loads(out)["placements"]


@test
def round_run_list_show(tmp):
    db = two_worker_db(tmp)
    rc, out, _ = run("round", "run", "--name", "first", "--json", "-q", db=db, check=0)
    r = json.loads(out)
    assert r["round"] == 1 and r["status"] == "optimal" and r["name"] == "first"
    assert r["fingerprint"].startswith("fnv1a64:")
    assert len(r["placements"]) == 3
    rc, out, _ = run("round", "list", "--json", db=db, check=0)
    assert json.loads(out)[0]["placements"] == 3
    run("round", "show", "7", db=db, check=3)
    run("round", "show", "x", db=db, check=2)
    rc, out, _ = run("round", "show", db=db, check=0)
    assert "placements:" in out
    # a dry run stores nothing
    rc, out, err = run("round", "run", "--dry-run", db=db, check=0)
    rc, out, _ = run("round", "list", "--json", db=db, check=0)
    assert len(json.loads(out)) == 1
    # same inputs, same fingerprint... except the proposals now count as previous
    rc, out, _ = run("export", "--what", "inputs", "--round", "1", db=db, check=0)
    assert json.loads(out)["format"] == "circulab-scenario/1"
    rc, out, _ = run("export", "--what", "result", db=db, check=0)
    assert json.loads(out)["format"] == "circulab-result/1"


@test
def lifecycle_transitions_and_audit(tmp):
    db = two_worker_db(tmp)
    run("round", "run", "-q", db=db, check=0)
    ids = [p["id"] for p in placements(db, 1)]
    run("placement", "confirm", *ids, "--by", "clerk1", db=db, check=0)
    # confirming again changes nothing and is reported; illegal: decline a
    # confirmed placement, return before departure
    rc, out, _ = run("placement", "confirm", ids[0], db=db, check=0)
    assert "already confirmed, unchanged" in out
    rc, _, err = run("placement", "decline", ids[0], db=db, check=3)
    assert "it is confirmed, not proposed" in err
    rc, _, err = run("placement", "return", ids[0], db=db, check=3)
    assert "not departed" in err
    run("placement", "depart", ids[0], ids[1], db=db, check=0)
    # all or nothing: one bad id leaves the good one untouched
    rc, _, err = run("placement", "return", ids[0], ids[2], db=db, check=3)
    assert [p["status"] for p in placements(db, 1)][0] == "departed"
    run("placement", "return", ids[0], "--date", "2026-06-01", db=db, check=0)
    run("placement", "no-return", ids[1], db=db, check=0)
    run("placement", "confirm", "99", db=db, check=3)
    run("placement", "confirm", "abc", db=db, check=2)
    run("placement", "confirm", db=db, check=2)
    run("placement", "return", ids[2], "--date", "2026-99-01", db=db, check=3)
    # CSV of ids
    csvp = os.path.join(tmp, "dep.csv")
    with open(csvp, "w") as f:
        f.write("placement,date\n%d,2026-02-03\n" % ids[2])
    run("placement", "depart", "--csv", csvp, db=db, check=0)
    st = {p["id"]: p for p in placements(db, 1)}
    assert st[ids[2]]["departed_on"] == "2026-02-03"
    rc, out, _ = run("audit", "--json", db=db, check=0)
    log = json.loads(out)
    confirms = [e for e in log if e["action"] == "placement.confirm"]
    assert len(confirms) == 3 and confirms[0]["by"] == "clerk1"
    assert confirms[0]["before"] == "proposed" and confirms[0]["after"] == "confirmed"
    # the log is append-only
    con = sqlite3.connect(db)
    for sql in ("UPDATE audit SET actor = 'x'", "DELETE FROM audit"):
        try:
            con.execute(sql)
            raise AssertionError("audit log changed: " + sql)
        except sqlite3.DatabaseError as e:
            assert "append-only" in str(e)
    con.close()
    rc, out, _ = run("placement", "list", "--status", "departed", "--json", db=db, check=0)
    assert len(json.loads(out)) == 1


@test
def later_round_keeps_confirmed_ids_and_supersedes(tmp):
    db = two_worker_db(tmp)
    run("round", "run", "-q", db=db, check=0)
    ids = [p["id"] for p in placements(db, 1)]
    run("placement", "confirm", ids[0], db=db, check=0)
    run("placement", "decline", ids[1], db=db, check=0)
    run("round", "run", "-q", db=db, check=0)
    p2 = placements(db, 2)
    kept = [p for p in p2 if p["status"] == "confirmed"]
    # one placement, one id: round 2 shows the confirmed placement of round 1 itself
    assert len(kept) == 1 and kept[0]["id"] == ids[0] and kept[0]["round"] == 1
    declined = placements(db, 1)[1]
    assert not any(p["worker"] == declined["worker"] and p["vacancy"] == declined["vacancy"]
                   for p in p2), "a declined pair came back"
    rc, _, err = run("placement", "confirm", ids[2], db=db, check=3)
    assert "superseded by round 2" in err
    run("placement", "depart", ids[0], db=db, check=0)
    assert [p["status"] for p in placements(db, 2) if p["id"] == ids[0]] == ["departed"]
    rc, out, _ = run("round", "diff", "1", "2", "--json", db=db, check=0)
    d = json.loads(out)
    assert d["from"] == 1 and d["to"] == 2
    rc, out, _ = run("round", "diff", "1", "2", db=db, check=0)
    assert "objective" in out
    run("round", "diff", "1", "9", db=db, check=3)


# ---- two seasons -------------------------------------------------------------------

@test
def two_seasons_returning_priority(tmp):
    # season 1: four first-timers fill four places
    s1 = scenario([worker("W%d" % i) for i in range(1, 5)],
                  [vacancy("V1", headcount=4)],
                  policy={"no_return_ban_days": 730})
    db = fresh(tmp, s1)
    run("round", "run", "-q", db=db, check=0)
    ids = {p["worker"]: p["id"] for p in placements(db, 1)}
    assert sorted(ids) == ["W1", "W2", "W3", "W4"]
    run("placement", "confirm", *ids.values(), db=db, check=0)
    run("placement", "depart", *ids.values(), db=db, check=0)
    run("placement", "return", ids["W1"], "--date", "2026-06-02", db=db, check=0)
    run("placement", "return", ids["W2"], db=db, check=0)
    run("placement", "no-return", ids["W3"], ids["W4"], db=db, check=0)
    rc, out, _ = run("season", "close", "--date", "2026-10-31", "--json", db=db, check=0)
    c = json.loads(out)
    assert c["workers_rolled"] == 4 and c["returned"] == 2 and c["not_returned"] == 2
    assert c["banned_until"] == "2028-10-30"
    con = sqlite3.connect(db)
    h = {r[0]: r[1:] for r in con.execute(
        "SELECT id, campaigns, returned, last_employer, last_return, days_abroad,"
        " banned_until FROM workers")}
    con.close()
    assert h["W1"] == (1, 1, "E1", "2026-06-02", 0, None), h["W1"]
    assert h["W2"] == (1, 1, "E1", "2026-05-31", 0, None), h["W2"]
    assert h["W3"] == (1, 0, "E1", "2026-05-31", 0, "2028-10-30"), h["W3"]
    # season 2: three places, new first-timers W5..W8 with better preferences
    s2 = scenario([worker("W%d" % i, preferences=["E1"]) for i in range(5, 9)],
                  [vacancy("V2", start="2027-02-01", end="2027-05-31", headcount=3)],
                  employers=[])
    run("import", write_json(os.path.join(tmp, "s2.json"), s2), db=db, check=0)
    run("round", "run", "-q", db=db, check=0)
    placed = sorted(p["worker"] for p in placements(db, 2))
    assert "W1" in placed and "W2" in placed, placed
    assert "W3" not in placed and "W4" not in placed, placed
    assert len(placed) == 3
    rc, out, _ = run("explain", "--round", "2", "--worker", "W3", "--json", db=db, check=0)
    e = json.loads(out)
    v2 = [v for v in e["vacancies"] if v["vacancy"] == "V2"][0]
    assert [f["rule"] for f in v2["failed"]] == ["banned"]
    # season 1 is closed: its placements can no longer change
    rc, _, err = run("placement", "return", ids["W3"], db=db, check=3)
    rc, out, _ = run("season", "list", "--json", db=db, check=0)
    assert [s["season"] for s in json.loads(out)] == [1, 2]


@test
def season_close_refuses_while_abroad(tmp):
    db = fresh(tmp, scenario([worker("W1")], [vacancy("V1")]))
    run("round", "run", "-q", db=db, check=0)
    pid = placements(db, 1)[0]["id"]
    run("placement", "confirm", pid, db=db, check=0)
    run("placement", "depart", pid, db=db, check=0)
    rc, _, err = run("season", "close", "--date", "2026-10-31", db=db, check=3)
    assert "still abroad" in err
    run("season", "close", "--date", "2026-13-31", db=db, check=3)
    rc, out, _ = run("season", "close", "--date", "2026-10-31", "--force", "--json",
                     db=db, check=0)
    assert json.loads(out)["returned"] == 0 and json.loads(out)["not_returned"] == 0
    rc, out, _ = run("season", "renew", db=db, check=0)
    assert "renewed 1 vacancies" in out
    rc, out, _ = run("round", "run", "-q", "--json", db=db, check=0)
    assert json.loads(out)["placements"][0]["vacancy"] == "V1-2027"


@test
def season_renew_moves_quota_phases(tmp):
    # a phase quota of the spring: after renew it must bound the new season's starts
    doc = scenario([worker("W1")], [vacancy("V1")],
                   quotas=[{"id": "Q-PHASE", "min": 1, "where": {
                       "start_from": "2026-01-01", "start_to": "2026-03-31"}}])
    db = fresh(tmp, doc)
    run("round", "run", "-q", db=db, check=0)
    run("season", "close", "--date", "2026-10-31", "--force", db=db, check=0)
    run("season", "renew", db=db, check=0)
    rc, out, _ = run("export", db=db, check=0)
    where = [q for q in json.loads(out)["quotas"] if q["id"] == "Q-PHASE"][0]["where"]
    assert where["start_from"] == "2027-01-01" and where["start_to"] == "2027-03-31", where
    run("round", "run", "-q", db=db, check=0)
    rc, out, _ = run("export", "--what", "result", db=db, check=0)
    quota = [q for q in json.loads(out)["quotas"] if q["id"] == "Q-PHASE"][0]
    assert quota["count"] == 1 and quota["shortfall"] == 0, quota


# ---- explain: each reason the true one ----------------------------------------------

def reasons_for(tmp, doc, worker_id, vacancy_id):
    db = fresh(tmp, doc)
    run("round", "run", "-q", db=db, check=0)
    rc, out, _ = run("explain", "--worker", worker_id, "--json", db=db, check=0)
    e = json.loads(out)
    v = [x for x in e["vacancies"] if x["vacancy"] == vacancy_id]
    assert v, "vacancy %s: placed or absent: %s" % (vacancy_id, e)
    return v[0], db


@test
def explain_vacancy_full(tmp):
    doc = scenario([worker("W1", history={"campaigns": 2, "returned": True}), worker("W2")],
                   [vacancy("V1")])
    v, db = reasons_for(tmp, doc, "W2", "V1")
    r = v["held_out"]
    assert [x["reason"] for x in r] == ["vacancy_full"], r
    assert r[0]["holders"][0]["worker"] == "W1" and r[0]["holders"][0]["value"] > r[0]["value"]
    rc, out, _ = run("explain", "--worker", "W2", db=db, check=0)
    assert "higher-valued" in out and "W1" in out
    rc, out, _ = run("explain", "--vacancy", "V1", "--json", db=db, check=0)
    assert json.loads(out)["placed"][0]["worker"] == "W1"


@test
def explain_quota_max(tmp):
    doc = scenario([worker("W1"), worker("W2")],
                   [vacancy("V1"), vacancy("V2")],
                   quotas=[{"id": "Q1", "max": 1, "where": {"sector": ["berries"]}}])
    db = fresh(tmp, doc)
    run("round", "run", "-q", db=db, check=0)
    p = placements(db, 1)
    assert len(p) == 1
    other_w = "W2" if p[0]["worker"] == "W1" else "W1"
    other_v = "V2" if p[0]["vacancy"] == "V1" else "V1"
    rc, out, _ = run("explain", "--worker", other_w, "--json", db=db, check=0)
    v = [x for x in json.loads(out)["vacancies"] if x["vacancy"] == other_v][0]
    assert [x["reason"] for x in v["held_out"]] == ["quota_max"], v
    assert v["held_out"][0]["quota"] == "Q1"


@test
def explain_housing_full(tmp):
    emp = [{"id": "E1", "region": "ES615", "sites": [{"id": "S1", "region": "ES615", "beds": 1}]}]
    doc = scenario([worker("W1"), worker("W2")],
                   [vacancy("V1", site="S1"), vacancy("V2", site="S1", start="2026-03-01")],
                   employers=emp)
    db = fresh(tmp, doc)
    run("round", "run", "-q", db=db, check=0)
    p = placements(db, 1)
    assert len(p) == 1
    other_w = "W2" if p[0]["worker"] == "W1" else "W1"
    other_v = "V2" if p[0]["vacancy"] == "V1" else "V1"
    rc, out, _ = run("explain", "--worker", other_w, "--json", db=db, check=0)
    v = [x for x in json.loads(out)["vacancies"] if x["vacancy"] == other_v][0]
    assert [x["reason"] for x in v["held_out"]] == ["housing_full"], v


@test
def explain_training_full(tmp):
    doc = scenario([worker("W1"), worker("W2")],
                   [vacancy("V1", headcount=2, requires={"trainings": ["phyto"]})],
                   sessions=[{"id": "T1", "course": "phyto", "country": "MA",
                              "start": "2026-01-10", "end": "2026-01-12", "capacity": 1}])
    db = fresh(tmp, doc)
    run("round", "run", "-q", db=db, check=0)
    p = placements(db, 1)
    assert len(p) == 1
    other = "W2" if p[0]["worker"] == "W1" else "W1"
    rc, out, _ = run("explain", "--worker", other, "--json", db=db, check=0)
    v = json.loads(out)["vacancies"][0]
    assert [x["reason"] for x in v["held_out"]] == ["training_full"], v


@test
def explain_stay_limit(tmp):
    doc = scenario([worker("W1")],
                   [vacancy("V1", start="2026-02-01", end="2026-05-11"),
                    vacancy("V2", start="2026-06-01", end="2026-09-08")],
                   policy={"max_stay_days": 150})
    db = fresh(tmp, doc)
    run("round", "run", "-q", db=db, check=0)
    p = placements(db, 1)
    assert len(p) == 1
    other_v = "V2" if p[0]["vacancy"] == "V1" else "V1"
    rc, out, _ = run("explain", "--worker", "W1", "--json", db=db, check=0)
    v = [x for x in json.loads(out)["vacancies"] if x["vacancy"] == other_v][0]
    assert [x["reason"] for x in v["held_out"]] == ["stay_limit"], v


@test
def explain_no_reintegration_seat(tmp):
    doc = scenario([worker("W1"), worker("W2")], [vacancy("V1", headcount=2)],
                   policy={"reintegration": "required"},
                   programmes=[{"id": "R1", "country": "MA", "start": "2026-06-15",
                                "end": "2026-09-30", "capacity": 1}])
    db = fresh(tmp, doc)
    run("round", "run", "-q", db=db, check=0)
    p = placements(db, 1)
    assert len(p) == 1
    other = "W2" if p[0]["worker"] == "W1" else "W1"
    rc, out, _ = run("explain", "--worker", other, "--json", db=db, check=0)
    v = json.loads(out)["vacancies"][0]
    assert [x["reason"] for x in v["held_out"]] == ["no_reintegration_seat"], v


@test
def explain_answers_first(tmp):
    """The first line answers; the detail is grouped by reason with counts, 20 lines a
    group unless --all; a tie is called a tie."""
    # W1..W3 compete for quota Q (max 2) over three vacancies; 25 vacancies start
    # before W1..W3 are available, and V9 after; W8 and W9 tie for V9 (one place,
    # the same value)
    workers = [worker("W%d" % i, available={"from": "2026-03-01", "to": "2026-05-31"})
               for i in (1, 2, 3)] + [worker(w, available={"from": "2026-05-01", "to": "2027-12-31"})
                                    for w in ("W8", "W9")]
    vacancies = [vacancy("VQ%d" % i, start="2026-04-01", end="2026-04-30")
                 for i in (1, 2, 3)]
    vacancies += [vacancy("VE%02d" % i, start="2026-01-05", end="2026-01-20")
                  for i in range(25)]
    vacancies += [vacancy("V9", start="2026-06-01", end="2026-06-30")]
    doc = scenario(workers, vacancies,
                   quotas=[{"id": "Q", "max": 2,
                           "where": {"start_from": "2026-04-01", "start_to": "2026-04-30"}}])
    db = fresh(tmp, doc)
    run("round", "run", "-q", db=db, check=0)
    _, out, _ = run("placement", "list", "--json", db=db, check=0)
    placed = {p["worker"] for p in json.loads(out) if p["vacancy"].startswith("VQ")}
    loser = sorted({"W1", "W2", "W3"} - placed)[0]
    rc, out, _ = run("explain", "--worker", loser, db=db, check=0)
    lines = out.splitlines()
    assert lines[0].startswith(loser + " unplaced in round 1: quota Q is at its max"), lines[0]
    assert "for 3 of 3 eligible vacancies" in lines[0], lines[0]
    # two are held by the others (a tie: all three are worth the same) and the quota
    assert "  vacancy_full: 2 vacancies" in lines and "  quota_max: 1 vacancy" in lines, lines
    assert sum("(a tie: " in l for l in lines) == 2, lines
    assert "not eligible (26), by the first rule they fail:" in lines, lines
    assert "  availability: 26 vacancies" in lines, lines
    assert sum(l.startswith(("    VE", "    V9")) for l in lines) == 20, lines
    assert "    ... and 6 more (--all lists them)" in lines, lines
    rc, out, _ = run("explain", "--worker", loser, "--all", db=db, check=0)
    assert sum(l.startswith(("    VE", "    V9")) for l in out.splitlines()) == 26
    # the tie for V9
    _, out, _ = run("placement", "list", "--json", db=db, check=0)
    v9 = [p["worker"] for p in json.loads(out) if p["vacancy"] == "V9"]
    other = ({"W8", "W9"} - set(v9)).pop()
    rc, out, _ = run("explain", "--worker", other, db=db, check=0)
    assert "(a tie: %s holds it with the same value)" % v9[0] in out, out
    rc, out, _ = run("explain", "--vacancy", "VQ1", db=db, check=0)
    first = out.splitlines()[0]
    assert first.startswith("VQ1 ") and " of 1 filled in round 1" in first, first


@test
def explain_ineligible_rules(tmp):
    doc = scenario([worker("W1", birth_date="2010-01-01"),
                    worker("W2", available={"from": "2026-03-01", "to": "2026-12-31"})],
                   [vacancy("V1", headcount=2)])
    db = fresh(tmp, doc)
    run("round", "run", "-q", db=db, check=0)
    rc, out, _ = run("explain", "--worker", "W1", "--json", db=db, check=0)
    assert [f["rule"] for f in json.loads(out)["vacancies"][0]["failed"]] == ["age"]
    rc, out, _ = run("explain", "--worker", "W2", db=db, check=0)
    assert "[availability]" in out
    rc, out, _ = run("explain", "--vacancy", "V1", "--json", db=db, check=0)
    assert json.loads(out)["ineligible"] == {"age": 1, "availability": 1}
    run("explain", "--worker", "W9", db=db, check=3)
    run("explain", db=db, check=2)
    run("explain", "--worker", "W1", "--vacancy", "V1", db=db, check=2)
    run("explain", "--round", "5", "--worker", "W1", db=db, check=3)


@test
def concurrent_round_and_import_wait_for_each_other(tmp):
    import subprocess
    ws = [worker("W%03d" % i) for i in range(200)]
    vs = [vacancy("V%02d" % i, headcount=5) for i in range(20)]
    db = fresh(tmp, scenario(ws, vs))
    more = write_json(os.path.join(tmp, "more.json"),
                      scenario([worker("X%03d" % i) for i in range(300)], []))
    procs = [subprocess.Popen([common.CLI, "round", "run", "-q", "--db", db],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)]
    for _ in range(3):
        procs.append(subprocess.Popen([common.CLI, "import", more, "--db", db],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM workers").fetchone()[0] == 500
    assert con.execute("SELECT count(*) FROM rounds").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM audit WHERE action = 'import'").fetchone()[0] == 4
    con.close()


# ---- export -------------------------------------------------------------------------

@test
def export_scenario_reimports(tmp):
    doc = scenario([worker("W1", name="N. N.", history={"campaigns": 1, "returned": True,
                                                        "last_employer": "E1"})],
                   [vacancy("V1")], policy={"min_age": 19})
    db = fresh(tmp, doc)
    out_path = os.path.join(tmp, "exp.json")
    run("export", "-o", out_path, db=db, check=0)
    exp = json.load(open(out_path))
    assert exp["policy"]["min_age"] == 19
    assert "name" not in exp["workers"][0]
    assert exp["workers"][0]["history"]["campaigns"] == 1
    db2 = os.path.join(tmp, "t2.db")
    run("init", db=db2, check=0)
    run("import", out_path, db=db2, check=0)
    rc, out, _ = run("export", "--with-names", db=db, check=0)
    assert json.loads(out)["workers"][0]["name"] == "N. N."
    for what in ("vacancies", "employers", "placements"):
        run("export", "--what", what, db=db, check=0)
    run("export", "--what", "result", db=db, check=3)  # no rounds yet
    run("export", "--what", "bogus", db=db, check=2)


def main():
    global common
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    common.CLI = os.path.abspath(sys.argv[1]) if os.sep in sys.argv[1] else sys.argv[1]
    wanted = sys.argv[2:]
    failed = 0
    for t in TESTS:
        if wanted and t.__name__ not in wanted:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            try:
                t(tmp)
                print("ok   %s" % t.__name__)
            except Exception:
                failed += 1
                print("FAIL %s" % t.__name__)
                traceback.print_exc()
    print("%d failed" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
