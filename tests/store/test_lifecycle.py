"""End-to-end tests of the placement lifecycle of schema version 2: one id for a
placement's whole life, the `cancelled` state, the migration of a version-1 database,
and the feasibility check of `placement confirm`.

Each test drives the real program on a real SQLite file. Where a test needs a state
that only a concurrent change could leave behind (a proposal overlapping a confirmed
placement, a quota tightened after a round), it writes that state with SQL, as the
race of an earlier version did.

Usage: test_lifecycle.py CIRCULAB_PROGRAM [TEST...]"""
import json
import os
import sqlite3
import sys
import tempfile
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import run, worker, vacancy, scenario, write_json, state, integrity  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE_V1 = os.path.join(HERE, "..", "data", "store", "schema-v1.sql")

TESTS = []

# The schema version this build writes, as the public header declares it.
with open(os.path.join(HERE, "..", "..", "include", "circulab", "store.h")) as _f:
    SCHEMA_VERSION = int(next(line.split()[2] for line in _f
                              if line.startswith("#define CLB_STORE_SCHEMA_VERSION")))


def test(fn):
    TESTS.append(fn)
    return fn


def fresh(tmp, doc):
    db = os.path.join(tmp, "t.db")
    run("init", db=db, check=0)
    run("import", write_json(os.path.join(tmp, "s.json"), doc), db=db, check=0)
    return db


def placements(db, rnd):
    rc, out, _ = run("round", "show", rnd, "--json", db=db, check=0)
    return json.loads(out)["placements"]


def all_placements(db):
    rc, out, _ = run("placement", "list", "--json", db=db, check=0)
    return {p["id"]: p for p in json.loads(out)}


def inputs(db, rnd):
    rc, out, _ = run("export", "--what", "inputs", "--round", rnd, db=db, check=0)
    return json.loads(out)


def audit(db, action):
    rc, out, _ = run("audit", "--json", db=db, check=0)
    return [e for e in json.loads(out) if e["action"] == action]


# ---- migration of a version-1 database ------------------------------------------------

@test
def version_1_database_migrates(tmp):
    db = os.path.join(tmp, "v1.db")
    con = sqlite3.connect(db)
    with open(FIXTURE_V1) as f:
        con.executescript(f.read())
    con.close()
    os.chmod(db, 0o600)
    # opening it migrates it, in one transaction, with an audit entry
    rc, out, _ = run("placement", "list", "--json", db=db, check=0)
    ps = {p["id"]: p for p in json.loads(out)}
    # the rows that repeated placement 1 in rounds 2 and 3 are gone: it has one id
    assert sorted(ps) == [1, 2, 3, 5, 6, 8, 9], sorted(ps)
    assert ps[1]["status"] == "departed" and ps[1]["departed_on"] == "2026-02-01"
    assert ps[2]["status"] == "declined"
    assert all(p["status"] != "carried" for p in ps.values())
    for rnd in (1, 2, 3):
        shown = {p["id"]: p for p in placements(db, rnd)}
        assert 1 in shown and shown[1]["status"] == "departed", (rnd, shown)
    assert sorted(p["id"] for p in placements(db, 3)) == [1, 8, 9]
    rc, out, _ = run("round", "list", "--json", db=db, check=0)
    assert [r["placements"] for r in json.loads(out)] == [3, 3, 3]
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    con.close()
    assert integrity(db) == "ok"
    assert len(audit(db, "schema.migrate")) == 2
    # the lifecycle goes on with the one id, and rounds run on the migrated file
    run("placement", "return", "1", db=db, check=0)
    run("round", "run", "-q", db=db, check=0)
    p4 = {p["id"]: p for p in placements(db, 4)}
    assert p4[1]["status"] == "returned"
    # the CHECK of the rebuilt table knows the new state and refuses the old one
    con = sqlite3.connect(db)
    try:
        con.execute("UPDATE placements SET status = 'carried' WHERE id = 2")
        raise AssertionError("state 'carried' accepted")
    except sqlite3.IntegrityError:
        pass
    con.close()


# ---- one id for a placement's whole life ------------------------------------------------

@test
def confirmed_placement_keeps_its_id_in_later_rounds(tmp):
    doc = scenario([worker("W1"), worker("W2"), worker("W3")],
                   [vacancy("V1", headcount=2),
                    vacancy("V2", start="2026-06-10", end="2026-08-31")])
    db = fresh(tmp, doc)
    run("round", "run", "-q", db=db, check=0)
    first = placements(db, 1)
    pid = first[0]["id"]
    run("placement", "confirm", pid, db=db, check=0)
    run("round", "run", "-q", db=db, check=0)
    run("round", "run", "-q", db=db, check=0)
    for rnd in (2, 3):
        kept = [p for p in placements(db, rnd) if p["status"] == "confirmed"]
        assert [p["id"] for p in kept] == [pid], (rnd, kept)
        assert kept[0]["round"] == 1
    rc, out, _ = run("round", "show", "3", db=db, check=0)
    assert "confirmed (from round 1)" in out
    # the id shown by round 3 is the one the lifecycle takes
    run("placement", "depart", pid, db=db, check=0)
    run("placement", "return", pid, db=db, check=0)
    assert all_placements(db)[pid]["status"] == "returned"
    rc, out, _ = run("export", "--what", "placements", "--round", "3", db=db, check=0)
    lines = out.splitlines()
    assert lines[0].split(",")[:2] == ["placement", "round"] and "carried" not in lines[0]
    assert any(line.startswith("%d,1," % pid) and ",returned," in line for line in lines)


# ---- cancelled ------------------------------------------------------------------------

@test
def cancel_reopens_the_place_without_ban_or_history(tmp):
    doc = scenario([worker("W1", history={"campaigns": 1, "returned": True}),
                    worker("W2")],
                   [vacancy("V1", headcount=1)])
    db = fresh(tmp, doc)
    run("round", "run", "-q", db=db, check=0)
    p = placements(db, 1)
    assert [x["worker"] for x in p] == ["W1"]
    pid = p[0]["id"]
    # only a confirmed placement can be cancelled, and only with a reason
    rc, _, err = run("placement", "cancel", pid, "--reason", "visa refused", db=db, check=3)
    assert "proposed" in err
    run("placement", "confirm", pid, db=db, check=0)
    before = state(db)
    rc, _, err = run("placement", "cancel", pid, db=db, check=2)
    assert "--reason" in err
    assert state(db) == before
    rc, out, _ = run("placement", "cancel", pid, "--reason", "visa refused", "--json",
                     db=db, check=0)
    assert json.loads(out)[0]["after"] == "cancelled"
    a = audit(db, "placement.cancel")
    assert len(a) == 1 and a[0]["before"] == "confirmed" and a[0]["after"] == "cancelled"
    assert "visa refused" in json.dumps(a[0])
    run("placement", "depart", pid, db=db, check=3)
    # cancelling again changes nothing (reported unchanged, not audited)
    rc, out, _ = run("placement", "cancel", pid, "--reason", "again", db=db, check=0)
    assert "unchanged" in out and len(audit(db, "placement.cancel")) == 1
    rc, out, _ = run("placement", "list", "--status", "cancelled", "--json", db=db, check=0)
    assert [x["id"] for x in json.loads(out)] == [pid]
    # the next round neither pins nor bans the pair: the place is open again
    run("round", "run", "-q", db=db, check=0)
    doc2 = inputs(db, 2)
    assert not [x for x in doc2.get("previous", []) if x["status"] == "confirmed"]
    assert not [b for b in doc2.get("bans", []) if b.get("worker") == "W1"]
    p2 = placements(db, 2)
    assert [(x["worker"], x["vacancy"]) for x in p2] == [("W1", "V1")]
    assert p2[0]["id"] != pid and p2[0]["status"] == "proposed"
    assert all_placements(db)[pid]["status"] == "cancelled"
    # the worker's history is untouched at season close
    run("placement", "decline", p2[0]["id"], db=db, check=0)
    run("season", "close", "--date", "2026-10-31", db=db, check=0)
    rc, out, _ = run("export", "--what", "scenario", "--all", db=db, check=0)
    w1 = [w for w in json.loads(out)["workers"] if w["id"] == "W1"][0]
    assert w1["history"]["campaigns"] == 1 and w1["history"]["returned"] is True
    assert "banned_until" not in w1["history"]


# ---- confirm checks that a plan still exists ----------------------------------------------

def add_proposal(db, rnd, wid, vid, start, end):
    """A proposal of round rnd written directly: the state the race of the old
    `round run` left (a round solved without the confirmations made meanwhile)."""
    con = sqlite3.connect(db)
    cur = con.execute(
        "INSERT INTO placements(round_id, worker_id, vacancy_id, employer_id, site_id,"
        " start_date, end_date, value, status, updated_at)"
        " VALUES (?, ?, ?, 'E1', 'E1', ?, ?, 1000, 'proposed', '2026-01-01T00:00:00Z')",
        (rnd, wid, vid, start, end))
    pid = cur.lastrowid
    con.execute("INSERT INTO round_placements(round_id, placement_id) VALUES (?, ?)",
                (rnd, pid))
    con.commit()
    con.close()
    return pid


@test
def confirm_refuses_an_overlap_with_a_confirmed_placement(tmp):
    doc = scenario([worker("W1"), worker("W2")],
                   [vacancy("V1", headcount=1),
                    vacancy("V2", start="2026-04-01", end="2026-07-31", headcount=1)])
    db = fresh(tmp, doc)
    run("round", "run", "-q", db=db, check=0)
    mine = [p for p in placements(db, 1) if p["worker"] == "W1"]
    assert len(mine) == 1
    run("placement", "confirm", mine[0]["id"], db=db, check=0)
    run("round", "run", "-q", db=db, check=0)
    other = "V2" if mine[0]["vacancy"] == "V1" else "V1"
    dates = {"V1": ("2026-02-01", "2026-05-31"), "V2": ("2026-04-01", "2026-07-31")}
    pid = add_proposal(db, 2, "W1", other, *dates[other])
    before = state(db)
    rc, _, err = run("placement", "confirm", pid, db=db, check=4)
    assert "W1" in err and other in err and mine[0]["vacancy"] in err, err
    assert "[confirmed]" in err and "nothing was changed" in err, err
    assert state(db) == before
    # the season stays solvable
    run("round", "run", "-q", db=db, check=0)


@test
def confirm_refuses_beyond_a_quota(tmp):
    doc = scenario([worker("W%d" % i) for i in range(1, 4)],
                   [vacancy("V1", headcount=3)])
    db = fresh(tmp, doc)
    run("round", "run", "-q", db=db, check=0)
    ids = sorted(p["id"] for p in placements(db, 1))
    assert len(ids) == 3
    run("placement", "confirm", ids[0], ids[1], db=db, check=0)
    # a quota of two tightened after the round (as an import meanwhile could)
    con = sqlite3.connect(db)
    con.execute("INSERT INTO quotas(id, doc, updated_at) VALUES ('Q1', ?, '2026-01-01')",
                (json.dumps({"id": "Q1", "max": 2, "where": {"sector": ["berries"]}}),))
    con.commit()
    con.close()
    before = state(db)
    rc, _, err = run("placement", "confirm", ids[2], db=db, check=4)
    assert "Q1" in err, err
    assert state(db) == before
    # the confirmations that fit are still accepted
    run("placement", "decline", ids[2], db=db, check=0)
    run("round", "run", "-q", db=db, check=0)


@test
def confirm_refuses_beyond_housing(tmp):
    emp = [{"id": "E1", "region": "ES615",
            "sites": [{"id": "E1-S1", "region": "ES615", "beds": 2}]}]
    doc = scenario([worker("W%d" % i) for i in range(1, 4)],
                   [vacancy("V1", headcount=1, site="E1-S1"),
                    vacancy("V2", headcount=1, site="E1-S1"),
                    vacancy("V3", headcount=1, site="E1-S1")], employers=emp)
    db = fresh(tmp, doc)
    run("round", "run", "-q", db=db, check=0)
    ps = placements(db, 1)
    assert len(ps) == 2  # two beds
    run("placement", "confirm", *[p["id"] for p in ps], db=db, check=0)
    run("round", "run", "-q", db=db, check=0)
    taken = {p["vacancy"] for p in ps}
    free_v = [v for v in ("V1", "V2", "V3") if v not in taken][0]
    free_w = [w for w in ("W1", "W2", "W3") if w not in {p["worker"] for p in ps}][0]
    pid = add_proposal(db, 2, free_w, free_v, "2026-02-01", "2026-05-31")
    before = state(db)
    rc, _, err = run("placement", "confirm", pid, db=db, check=4)
    assert "E1-S1" in err or "beds" in err or "housing" in err, err
    assert state(db) == before


def main():
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
