"""Concurrency of the system of record: while `round run` solves, lifecycle operations
(confirm, decline, depart, import) run from other processes on the same SQLite file.

Afterwards every operation that reported success is in the database; every one that
failed changed nothing and failed for a stated reason (a proposal superseded by the
round stored meanwhile); the round either saw every lifecycle change committed before
it (its stored inputs pin the confirmed and departed pairs and ban the declined ones)
or was refused (exit 1, nothing stored); the database passes `PRAGMA integrity_check`
and `foreign_key_check`, and a later `round run` works. A second case runs two
`round run`s at once: the later one must build on the earlier one (its `previous`
proposals are the earlier round's), never ignore it.

Real processes, a real file, a generated scenario large enough for a solve of a few
seconds (bounded by --time-limit). Even trials give `round run` enough attempts to
outlast the operations (it is stored, after solving again), odd trials the default 3
(it is usually refused while the operations go on).

Usage: test_concurrency.py CIRCULAB_PROGRAM [--trials N] [--ops N] [--seed K]"""
import argparse
import concurrent.futures
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time

CLI = "circulab"


def run(db, *args, timeout=600):
    argv = [CLI] + [str(a) for a in args] + ["--db", db]
    env = dict(os.environ)
    env.pop("CIRCULAB_DB", None)
    p = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def must(db, *args):
    rc, out, err = run(db, *args)
    if rc != 0:
        raise AssertionError("%s: exit %d\n%s" % (" ".join(map(str, args)), rc, err))
    return out


def query(db, sql, *params):
    con = sqlite3.connect(db, timeout=60)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def setup(tmp, workers, vacancies):
    scen = os.path.join(tmp, "g.json")
    subprocess.run([CLI, "generate", "--workers", str(workers), "--vacancies",
                    str(vacancies), "--seed", "3", "-o", scen], check=True,
                   capture_output=True)
    db = os.path.join(tmp, "c.db")
    must(db, "init")
    must(db, "import", scen)
    must(db, "round", "run", "-q", "--time-limit", "1")
    return db


def proposals(db, rnd):
    return [r[0] for r in query(
        db, "SELECT p.id FROM placements p JOIN round_placements k ON k.placement_id = p.id"
            " WHERE k.round_id = ? AND p.status = 'proposed' ORDER BY p.id", rnd)]


def worker_csv(tmp, i):
    path = os.path.join(tmp, "new-%d.csv" % i)
    with open(path, "w") as f:
        f.write("id,birth_date,country,region,available_from,available_to\n"
                "WNEW%03d,1992-03-04,MA,MA-05,2026-01-01,2027-12-31\n" % i)
    return path


def lifecycle_during_round(tmp, n_ops, rng, attempts):
    db = setup(tmp, 1000, 50)
    ids = proposals(db, 1)
    assert len(ids) >= n_ops, len(ids)
    rng.shuffle(ids)
    n_dep = n_ops // 5
    n_imp = n_ops // 5
    n_dec = n_ops // 5
    n_conf = n_ops - n_dep - n_imp - n_dec
    to_depart, ids = ids[:n_dep], ids[n_dep:]
    # placements confirmed before the round starts, to be departed during it
    must(db, "placement", "confirm", *to_depart)
    ops = [("confirm", i) for i in ids[:n_conf]]
    ops += [("decline", i) for i in ids[n_conf:n_conf + n_dec]]
    ops += [("depart", i) for i in to_depart]
    ops += [("import", worker_csv(tmp, k)) for k in range(n_imp)]
    rng.shuffle(ops)
    assert len(ops) == n_ops

    def do(op):
        kind, arg = op
        if kind == "import":
            return op, run(db, "import", arg)
        return op, run(db, "placement", kind, arg)

    rnd = subprocess.Popen([CLI, "round", "run", "-q", "--time-limit", "2", "--attempts",
                            str(attempts), "--db", db],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.3)  # let it read its snapshot: the operations land during the solve
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(do, ops))
    r_out, r_err = rnd.communicate(timeout=600)
    assert rnd.returncode in (0, 1), (rnd.returncode, r_err)

    status = dict(query(db, "SELECT id, status FROM placements"))
    names = {r[0] for r in query(db, "SELECT id FROM workers")}
    ok = failed = 0
    for (kind, arg), (rc, out, err) in results:
        if rc == 0:
            ok += 1
            if kind == "import":
                wid = open(arg).read().splitlines()[1].split(",")[0]
                assert wid in names, (kind, arg)
            else:
                want = {"confirm": "confirmed", "decline": "declined",
                        "depart": "departed"}[kind]
                assert status[arg] == want, (kind, arg, status[arg])
        else:
            failed += 1
            # the one legitimate refusal: the round stored meanwhile superseded it
            assert rc == 3 and "superseded" in err, (kind, arg, rc, err)
            assert status[arg] == "proposed", (kind, arg, status[arg])

    rounds = [r[0] for r in query(db, "SELECT id FROM rounds ORDER BY id")]
    if rnd.returncode == 1:
        assert "changed while the round was solving" in r_err, r_err
        assert "nothing was stored" in r_err, r_err
        assert rounds == [1], rounds
        verdict = "refused"
    else:
        assert rounds == [1, 2], rounds
        # what the round was solved with must be what the lifecycle was when it was
        # written: every change committed before its audit entry is in its inputs
        (round_audit, detail), = query(
            db, "SELECT id, detail FROM audit WHERE action = 'round.run'"
                " AND object = 'round 2'")
        inputs = json.loads(query(db, "SELECT inputs FROM rounds WHERE id = 2")[0][0])
        pinned = {(p["worker"], p["vacancy"]) for p in inputs.get("previous", [])
                  if p["status"] == "confirmed"}
        banned = {(b["worker"], b.get("vacancy")) for b in inputs.get("bans", [])}
        shown = dict(query(db, "SELECT placement_id, 1 FROM round_placements"
                               " WHERE round_id = 2"))
        pair = {r[0]: (r[1], r[2]) for r in query(
            db, "SELECT id, worker_id, vacancy_id FROM placements")}
        seen = 0
        for aid, action, obj in query(db, "SELECT id, action, object FROM audit"
                                          " WHERE action LIKE 'placement.%' ORDER BY id"):
            pid = int(obj.split()[1])
            if aid > round_audit:
                # after round 2: only departures of confirmed placements can succeed
                assert action == "placement.depart", (aid, action, obj)
                continue
            seen += 1
            if action in ("placement.confirm", "placement.depart"):
                assert pair[pid] in pinned, ("not pinned", action, pid)
                assert pid in shown, ("confirmed placement without its id", pid)
            elif action == "placement.decline":
                assert pair[pid] in banned, ("not banned", pid)
                assert pid not in shown
        verdict = "stored after %s attempt(s), saw %d lifecycle changes" % (
            json.loads(detail).get("attempts"), seen)

    con = sqlite3.connect(db, timeout=60)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    con.close()
    must(db, "round", "run", "-q", "--time-limit", "1")
    return "%d ops (%d ok, %d refused as superseded); round %s" % (
        len(ops), ok, failed, verdict)


def two_rounds_at_once(tmp):
    db = setup(tmp, 1000, 50)
    argv = [CLI, "round", "run", "-q", "--time-limit", "2", "--db", db]
    procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    rcs = [p.returncode for p in procs]
    assert all(rc in (0, 1) for rc in rcs), (rcs, outs)
    rounds = [r[0] for r in query(db, "SELECT id FROM rounds ORDER BY id")]
    assert len(rounds) == 1 + rcs.count(0), (rounds, rcs)
    # each stored round built on the one before it: its `previous` proposals are
    # exactly the earlier round's proposals (nothing else changed meanwhile)
    for r in rounds[1:]:
        inputs = json.loads(query(db, "SELECT inputs FROM rounds WHERE id = ?", r)[0][0])
        prev = {(p["worker"], p["vacancy"]) for p in inputs.get("previous", [])
                if p["status"] == "proposed"}
        before = {(w, v) for w, v in query(
            db, "SELECT p.worker_id, p.vacancy_id FROM placements p"
                " JOIN round_placements k ON k.placement_id = p.id"
                " WHERE k.round_id = ? AND p.status = 'proposed'", r - 1)}
        assert prev == before, ("round %d ignored round %d" % (r, r - 1),
                                len(prev), len(before), len(prev & before))
    attempts = [json.loads(d).get("attempts") for (d,) in query(
        db, "SELECT detail FROM audit WHERE action = 'round.run' ORDER BY id")]
    must(db, "round", "run", "-q", "--time-limit", "1")
    return "exits %s, rounds %s, attempts %s" % (rcs, rounds, attempts)


def main():
    global CLI
    ap = argparse.ArgumentParser()
    ap.add_argument("cli")
    ap.add_argument("--trials", type=int, default=1)
    ap.add_argument("--ops", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    CLI = os.path.abspath(a.cli) if os.sep in a.cli else a.cli
    failed = 0
    for t in range(a.trials):
        for name, fn in (("lifecycle_during_round",
                          lambda tmp: lifecycle_during_round(
                              tmp, a.ops, random.Random(a.seed * 1000 + t),
                              # even trials: enough solves to outlast the operations
                              # (stored, having seen them); odd ones: the default 3
                              20 if t % 2 == 0 else 3)),
                         ("two_rounds_at_once", two_rounds_at_once)):
            with tempfile.TemporaryDirectory() as tmp:
                t0 = time.time()
                try:
                    what = fn(tmp)
                    print("ok   %s trial %d (%.1f s): %s" % (name, t, time.time() - t0, what))
                except Exception as e:  # noqa: BLE001
                    failed += 1
                    print("FAIL %s trial %d: %r" % (name, t, e))
                sys.stdout.flush()
    print("%d failed" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
