"""The agency's desk, end to end: each look-up's plainest invocation with its exit
code, --help, --json and --csv, names and birth dates only with --with-names, text
escaping and the CSV formula guard, filters, and errors; then the corrections.

Usage: test_desk.py CIRCULAB SCENARIOS_DIR. Real SQLite files in a temporary
directory, the bundled huelva-small scenario; standard library only."""
import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

CLI = sys.argv[1]
SCENARIOS = sys.argv[2]
FAILS = []


def run(*args, db, code=0):
    argv = [CLI] + [str(a) for a in args] + ["--db", db]
    env = dict(os.environ)
    env.pop("CIRCULAB_DB", None)
    p = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)
    if p.returncode != code:
        raise AssertionError("%s: exit %d, expected %d\nstdout:\n%s\nstderr:\n%s"
                             % (" ".join(argv), p.returncode, code, p.stdout[-3000:],
                                p.stderr))
    return p.stdout, p.stderr


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what)


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def main():
    tmp = tempfile.mkdtemp(prefix="desk-")
    db = os.path.join(tmp, "season.db")
    huelva = os.path.join(SCENARIOS, "huelva-small.json")
    doc = json.load(open(huelva))
    run("init", db=db)
    run("import", huelva, db=db)
    run("round", "run", db=db)
    w0 = doc["workers"][0]

    # --help of every desk command
    for cmd in (["worker", "list"], ["worker", "show"], ["vacancy", "list"],
                ["vacancy", "show"], ["employer", "list"], ["employer", "show"],
                ["placement", "list"], ["audit"]):
        out, _ = run(*cmd, "--help", db=db)
        check(out.startswith("usage") or "usage" in out.lower(), "%s --help" % cmd)

    # worker list: every worker, no names without --with-names
    out, _ = run("worker", "list", db=db)
    check(len(out.splitlines()) == len(doc["workers"]) + 1, "worker list: one line each")
    check(w0["name"] not in out and w0["birth_date"] not in out, "worker list: no names")
    out, _ = run("worker", "list", "--with-names", db=db)
    check(w0["name"] in out and w0["birth_date"] in out, "worker list --with-names")
    out, _ = run("worker", "list", "--csv", db=db)
    lst = rows(out)
    check(len(lst) == len(doc["workers"]) and "name" not in lst[0], "worker list --csv")
    statuses = {r["status"] for r in lst}
    check(statuses <= {"proposed", "unplaced", "banned"} and "proposed" in statuses,
          "worker list: statuses after one round %s" % statuses)
    region = w0["region"]
    out, _ = run("worker", "list", "--region", region, "--json", db=db)
    got = json.loads(out)
    want = [w["id"] for w in doc["workers"] if w.get("region") == region]
    check([w["id"] for w in got] == sorted(want), "worker list --region")
    out, _ = run("worker", "list", "--status", "unplaced", "--csv", db=db)
    unplaced = {r["id"] for r in rows(out)}
    con = sqlite3.connect(db)
    placed = {r[0] for r in con.execute("SELECT worker_id FROM placements")}
    check(unplaced == {w["id"] for w in doc["workers"]} - placed, "--status unplaced")
    out, _ = run("worker", "list", "--status", "proposed", "--csv", db=db)
    check({r["id"] for r in rows(out)} == placed, "--status proposed")
    # --search matches ids; names only with --with-names
    surname = w0["name"].split()[-1]
    out, _ = run("worker", "list", "--search", surname, "--csv", db=db)
    check(rows(out) == [], "--search does not match names without --with-names")
    out, _ = run("worker", "list", "--search", surname, "--with-names", "--csv", db=db)
    check(w0["id"] in {r["id"] for r in rows(out)}, "--search names with --with-names")
    out, _ = run("worker", "list", "--search", w0["id"].lower(), "--csv", db=db)
    check([r["id"] for r in rows(out)] == [w0["id"]], "--search id")
    run("worker", "list", "--status", "asleep", db=db, code=2)
    run("worker", "list", "--json", "--csv", db=db, code=2)

    # worker show: the sections, placements with ids, eligibility from the engine
    wid = sorted(placed)[0]
    out, _ = run("worker", "show", wid, db=db)
    for sec in ("worker:", "history:", "placements:", "bans:", "pins:", "eligibility:"):
        check(sec in out, "worker show: section " + sec)
    out, _ = run("worker", "show", wid, "--json", db=db)
    rec = json.loads(out)
    pid = con.execute("SELECT id FROM placements WHERE worker_id = ?", (wid,)).fetchone()[0]
    check([p["id"] for p in rec["placements"]] == [pid], "worker show: placement id")
    check("name" not in rec["worker"] and "birth_date" not in rec["worker"],
          "worker show --json: no names")
    elig = rec["eligibility"]
    check(len(elig) == len(doc["vacancies"]), "worker show: every open vacancy judged")
    check(all((e["eligible"] is True) == (e["first_failed_rule"] is None) for e in elig),
          "worker show: a rule for each ineligible vacancy")
    # the proposed vacancy is one the worker is eligible for
    pv = rec["placements"][0]["vacancy"]
    check(any(e["vacancy"] == pv and e["eligible"] for e in elig),
          "worker show: proposed vacancy eligible")
    # a worker banned from an employer: the rule named is the ban
    out, _ = run("worker", "show", wid, "--json", "--with-names", db=db)
    w = next(x for x in doc["workers"] if x["id"] == wid)
    check(json.loads(out)["worker"]["name"] == w.get("name"), "worker show --with-names")
    _, err = run("worker", "show", "NOPE", db=db, code=3)
    check("NOPE" in err, "worker show: unknown id named")

    # vacancies
    out, _ = run("vacancy", "list", db=db)
    check(len(out.splitlines()) == len(doc["vacancies"]) + 1, "vacancy list")
    v0 = doc["vacancies"][0]
    out, _ = run("vacancy", "list", "--employer", v0["employer"], "--csv", db=db)
    check({r["employer"] for r in rows(out)} == {v0["employer"]}, "vacancy list --employer")
    out, _ = run("vacancy", "list", "--status", "withdrawn", "--json", db=db)
    check(json.loads(out) == [], "vacancy list --status withdrawn")
    out, _ = run("vacancy", "show", v0["id"], "--json", db=db)
    vs = json.loads(out)
    n = con.execute("SELECT count(*) FROM placements WHERE vacancy_id = ?",
                    (v0["id"],)).fetchone()[0]
    check(len(vs["placements"]) == n and vs["vacancy"]["proposed"] == n,
          "vacancy show: placements and fill")
    check(sum(f["placements"] for f in vs["fill"]) == n, "vacancy show: fill by state")
    nres = con.execute("SELECT count(*) FROM reserve WHERE vacancy_id = ?",
                       (v0["id"],)).fetchone()[0]
    check(len(vs["reserve"]) == nres, "vacancy show: reserve")
    run("vacancy", "show", "NOPE", db=db, code=3)
    run("vacancy", "list", "--status", "full", db=db, code=2)

    # employers
    out, _ = run("employer", "list", "--csv", db=db)
    el = rows(out)
    check(len(el) == len(doc["employers"]), "employer list")
    e0 = doc["employers"][0]
    out, _ = run("employer", "show", e0["id"], "--json", db=db)
    es = json.loads(out)
    check(len(es["sites"]) == len(e0.get("sites", [])) or len(es["sites"]) == 1,
          "employer show: sites")
    check({v["id"] for v in es["vacancies"]}
          == {v["id"] for v in doc["vacancies"] if v["employer"] == e0["id"]},
          "employer show: vacancies")
    run("employer", "show", "NOPE", db=db, code=3)

    # placement list filters
    for opt, col in (("--worker", "worker"), ("--vacancy", "vacancy"),
                     ("--employer", "employer")):
        val = {"worker": wid, "vacancy": v0["id"], "employer": e0["id"]}[col]
        out, _ = run("placement", "list", opt, val, "--json", db=db)
        got = json.loads(out)
        want = con.execute("SELECT count(*) FROM placements WHERE %s_id = ?" % col,
                           (val,)).fetchone()[0]
        check(len(got) == want and all(p[col] == val for p in got),
              "placement list " + opt)

    # audit filters
    run("placement", "confirm", pid, "--by", "clerk1", db=db)
    out, _ = run("audit", "--by", "clerk1", "--json", db=db)
    check([a["action"] for a in json.loads(out)] == ["placement.confirm"], "audit --by")
    out, _ = run("audit", "--object", str(pid), "--json", db=db)
    check([a["object"] for a in json.loads(out)] == ["placement %d" % pid],
          "audit --object placement id")
    out, _ = run("audit", "--object", wid, "--json", db=db)
    check(len(json.loads(out)) == 1, "audit --object worker")
    out, _ = run("audit", "--since", "2999-01-01", "--json", db=db)
    check(json.loads(out) == [], "audit --since the future")
    out, _ = run("audit", "--since", "2000-01-01", "--json", db=db)
    check(len(json.loads(out)) >= 3, "audit --since the past")
    run("audit", "--since", "yesterday", db=db, code=2)
    out, _ = run("worker", "list", "--status", "confirmed", "--csv", db=db)
    check([r["id"] for r in rows(out)] == [wid], "--status confirmed")

    # escaping and the formula guard: an employer named with a terminal escape and
    # a formula
    db2 = os.path.join(tmp, "odd.db")
    odd = {"format": "circulab-scenario/1",
           "workers": [{"id": "W1", "name": "=cmd|' /C calc'!A0", "birth_date": "1990-01-01",
                        "country": "MA",
                        "available": {"from": "2026-01-01", "to": "2026-12-31"}}],
           "employers": [{"id": "E1", "name": "=HYPERLINK(\"x\")\u001b[31m",
                          "region": "ES615"}],
           "vacancies": [{"id": "V1", "employer": "E1", "start": "2026-02-01",
                          "end": "2026-03-01", "headcount": 1}]}
    path = os.path.join(tmp, "odd.json")
    json.dump(odd, open(path, "w"))
    run("init", db=db2)
    run("import", path, db=db2)
    out, _ = run("employer", "list", db=db2)
    check("\x1b" not in out and "\\u001b" in out.lower(), "employer list: escapes ESC")
    out, _ = run("employer", "list", "--csv", db=db2)
    check(rows(out)[0]["name"].startswith("'="), "employer list --csv: formula guard")
    out, _ = run("worker", "list", "--csv", "--with-names", db=db2)
    check(rows(out)[0]["name"].startswith("'="), "worker list --csv: formula guard")
    out, _ = run("employer", "show", "E1", db=db2)
    check("\x1b" not in out, "employer show: escapes ESC")
    out, _ = run("worker", "show", "W1", db=db2)
    check("=cmd" not in out, "worker show: no name without --with-names")

    # ranges and unchanged ids: a fresh round on its own database
    db3 = os.path.join(tmp, "ranges.db")
    run("init", db=db3)
    run("import", huelva, db=db3)
    run("round", "run", db=db3)
    out, _ = run("placement", "confirm", "1-3", db=db3)
    check(out.count("proposed -> confirmed") == 3, "confirm 1-3")
    out, _ = run("placement", "confirm", "2-4", "--json", db=db3)
    res = json.loads(out)
    check([r["placement"] for r in res] == [2, 3, 4]
          and [r.get("unchanged", False) for r in res] == [True, True, False],
          "confirm 2-4: 2 and 3 unchanged, 4 confirmed")
    con3 = sqlite3.connect(db3)
    n_audit = con3.execute("SELECT count(*) FROM audit WHERE action ="
                           " 'placement.confirm'").fetchone()[0]
    check(n_audit == 4, "unchanged ids are not audited (%d confirm entries)" % n_audit)
    run("placement", "confirm", "4-2", db=db3, code=2)
    run("placement", "confirm", "1-", db=db3, code=2)
    run("placement", "confirm", "1-1000000", db=db3, code=2)
    # a range reaching an illegal transition changes nothing
    _, err = run("placement", "decline", "4-5", db=db3, code=3)
    check(con3.execute("SELECT status FROM placements WHERE id = 5").fetchone()[0]
          == "proposed", "a failed range changes nothing")

    # placement undo and round delete (db3: 1-4 confirmed, round 1 latest)
    run("placement", "decline", "5", db=db3)
    run("round", "delete", "1", db=db3, code=3)  # decisions were made on it
    out, _ = run("placement", "undo", "4-5", "--note", "typo", db=db3)
    check("confirmed -> proposed (undone)" in out and "declined -> proposed" in out,
          "undo a confirm and a decline")
    st = dict(con3.execute("SELECT id, status FROM placements WHERE id IN (4, 5)"))
    check(st == {4: "proposed", 5: "proposed"}, "undo: states reverted %s" % st)
    a = con3.execute("SELECT before, after, detail FROM audit WHERE action ="
                     " 'placement.undo' ORDER BY id").fetchall()
    check(len(a) == 2 and a[0][0] == "confirmed" and "typo" in a[0][2], "undo audited")
    _, err = run("placement", "undo", "6", db=db3, code=3)  # still proposed
    check("nothing was done" in err, "undo a proposal refused")
    run("placement", "undo", "999999", db=db3, code=3)
    # a confirmation a later round was built on cannot be undone
    run("round", "run", db=db3)
    _, err = run("placement", "undo", "1", db=db3, code=3)
    check("round 2 was built on it" in err, "undo refused after a later round")
    run("round", "delete", "1", db=db3, code=3)  # not the latest
    n_before = con3.execute("SELECT count(*) FROM placements").fetchone()[0]
    out, _ = run("round", "delete", "2", db=db3)
    check("round 2 deleted" in out, "round delete 2")
    check(con3.execute("SELECT count(*) FROM rounds").fetchone()[0] == 1
          and con3.execute("SELECT count(*) FROM placements").fetchone()[0] < n_before
          and con3.execute("SELECT count(*) FROM round_placements WHERE round_id = 2")
          .fetchone()[0] == 0, "round delete: the round's rows are gone")
    check(con3.execute("SELECT count(*) FROM audit WHERE action = 'round.delete'")
          .fetchone()[0] == 1, "round delete audited")
    out, _ = run("placement", "undo", "1", db=db3)
    check("confirmed -> proposed" in out, "undo again once the later round is gone")
    run("placement", "confirm", "1", db=db3)
    run("placement", "depart", "1", db=db3)
    run("placement", "undo", "1", db=db3)
    check(con3.execute("SELECT status, departed_on FROM placements WHERE id = 1")
          .fetchone() == ("confirmed", None), "undo a departure clears its date")
    run("placement", "cancel", "1", "--reason", "visa", db=db3)
    run("placement", "undo", "1", db=db3)
    check(con3.execute("SELECT status FROM placements WHERE id = 1").fetchone()[0]
          == "confirmed", "undo a cancellation")
    # undoing a cancellation restores a confirmed placement: refused (exit 4, nothing
    # changed) when a pin added since clashes with it, for then every later round
    # would be infeasible
    db4 = os.path.join(tmp, "undo-clash.db")
    run("init", db=db4)
    run("import", huelva, db=db4)
    run("round", "run", db=db4)
    con4 = sqlite3.connect(db4)
    vac = {v["id"]: v for v in doc["vacancies"]}
    clash = None
    for pid, w, v in con4.execute("SELECT id, worker_id, vacancy_id FROM placements"
                                  " ORDER BY id").fetchall():
        others = [o for o in sorted(vac) if o != v and vac[o]["start"] <= vac[v]["end"]
                  and vac[v]["start"] <= vac[o]["end"]]
        if others:
            clash = (pid, w, others)
            break
    check(clash is not None, "undo clash: a placement with an overlapping vacancy")
    if clash:
        pid, w, others = clash
        run("placement", "confirm", pid, db=db4)
        run("placement", "cancel", pid, "--reason", "visa", db=db4)
        pinned = False
        for o in others:
            argv = [CLI, "pin", "add", w, o, "--db", db4]
            if subprocess.run(argv, capture_output=True, timeout=300).returncode == 0:
                pinned = True
                break
        check(pinned, "undo clash: an eligible overlapping vacancy to pin")
        if pinned:
            _, err = run("placement", "undo", pid, db=db4, code=4)
            check("restoring 1 placement" in err and w in err,
                  "undo clash: the message names the clash: " + err)
            check(con4.execute("SELECT status FROM placements WHERE id = ?", (pid,))
                  .fetchone()[0] == "cancelled", "undo clash: the placement stays cancelled")
            run("round", "run", db=db4)
    con4.close()
    run("round", "delete", "x", db=db3, code=2)
    run("round", "delete", "7", db=db3, code=3)
    for cmd in (["placement", "undo"], ["round", "delete"]):
        run(*cmd, "--help", db=db3)

    if FAILS:
        print("%d failures" % len(FAILS))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
