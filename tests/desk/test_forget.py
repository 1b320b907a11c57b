"""Workers' data rights, end to end on real SQLite files: `worker show --json
--with-names` as the whole record, `worker forget ID... --reason` and `--before DATE`
(retention), erased values gone from every file of the database (the database, its
-wal and -shm, any journal, read as bytes) and from every export, while they were
there before; every later command still working on a database with a forgotten
worker; the audit log holding no personal value; an older database migrating.

Usage: test_forget.py CIRCULAB SCENARIOS_DIR. Standard library only."""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

CLI = sys.argv[1]
SCENARIOS = sys.argv[2]
FAILS = []

NAME = "Zulaikha Qwertyuiop"
BIRTH = "1958-11-29"
LANG = "zu"  # no other record of the scenario speaks it


def run(*args, db, code=0):
    argv = [CLI] + [str(a) for a in args] + (["--db", db] if db else [])
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


def needles():
    return [NAME.encode(), NAME.split()[1].encode(), BIRTH.encode(),
            BIRTH.replace("-", "").encode(), ('"%s"' % LANG).encode()]


def database_files(db):
    d, base = os.path.split(db)
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.startswith(base))


def found_in_files(db):
    """Which needles occur in which file of the database, read as raw bytes."""
    hits = []
    for f in database_files(db):
        data = open(f, "rb").read()
        for n in needles():
            if n in data:
                hits.append((os.path.basename(f), n.decode()))
    return hits


def scenario(tmp):
    doc = json.load(open(os.path.join(SCENARIOS, "huelva-small.json")))
    w = doc["workers"][0]
    w["name"] = NAME
    w["birth_date"] = BIRTH
    w["languages"] = sorted(set(w.get("languages", [])) | {LANG})
    doc.setdefault("scores", []).append(
        {"worker": w["id"], "vacancy": doc["vacancies"][0]["id"], "value": 0.75})
    for other in doc["workers"][1:]:
        assert LANG not in other.get("languages", [])
    path = os.path.join(tmp, "season.json")
    json.dump(doc, open(path, "w"))
    return path, doc, w["id"]


def erasure(tmp):
    db = os.path.join(tmp, "season.db")
    path, doc, wid = scenario(tmp)
    run("init", db=db)
    run("import", path, db=db)
    run("round", "run", db=db)

    # the whole record: name and birth date only with --with-names
    out, _ = run("worker", "show", wid, "--json", db=db)
    plain = json.loads(out)
    check(NAME not in out and BIRTH not in out, "show without --with-names: no name")
    out, _ = run("worker", "show", wid, "--json", "--with-names", db=db)
    full = json.loads(out)
    for key in ("worker", "history", "placements", "bans", "pins", "scores", "training",
                "reintegration", "reserve", "rounds", "audit", "eligibility"):
        check(key in full, "worker show --json has section %s" % key)
    rec = full["worker"]
    check(rec["name"] == NAME and rec["birth_date"] == BIRTH, "show: name, birth date")
    check(LANG in (rec["languages"] or "").split(";"), "show: languages")
    check(rec["available_from"] and rec["country"], "show: the stored record's fields")
    check([s["vacancy"] for s in full["scores"]] == [doc["vacancies"][0]["id"]],
          "show: the worker's scores")
    check([r["round"] for r in full["rounds"]] == [1] and
          BIRTH in full["rounds"][0]["record"], "show: the round whose inputs hold it")
    check("birth_date" not in plain["worker"] and
          BIRTH not in plain["rounds"][0]["record"], "show: no birth date by default")

    # the worker's placement of round 1 goes through its lifecycle (facts to keep)
    placed = [p for p in full["placements"] if p["state"] == "proposed"]
    if placed:
        pid = placed[0]["id"]
        # a clerk's note naming the person: free text the erasure must reach
        run("placement", "confirm", pid, "--note", "%s: visa ok" % NAME, db=db)
        run("placement", "depart", pid, db=db)
        # engaged in the open season: refused, nothing changed
        _, err = run("worker", "forget", wid, "--reason", "request", db=db, code=3)
        check("departed" in err and NAME not in err, "forget refused while departed")
        run("placement", "return", pid, db=db)
    run("round", "run", db=db)
    out, _ = run("worker", "show", wid, "--json", db=db)
    engaged = [p for p in json.loads(out)["placements"]
               if p["state"] == "proposed" and p["round"] == 2]
    for p in engaged:
        run("placement", "decline", p["id"], db=db)
    before_facts = json.loads(run("worker", "show", wid, "--json", db=db)[0])

    # before: the values are in the files (so the check below can fail)
    hits = found_in_files(db)
    check(any(n == NAME for _, n in hits), "before forget: the name is in the files")
    check(any(n == BIRTH for _, n in hits), "before forget: the birth date is in the files")
    check(any(n == '"%s"' % LANG for _, n in hits), "before forget: the language too")

    # usage errors
    run("worker", "forget", wid, db=db, code=2)                       # no reason
    run("worker", "forget", "--reason", "x", db=db, code=2)           # neither
    run("worker", "forget", wid, "--before", "2020-01-01", "--reason", "x", db=db,
        code=2)                                                        # both
    run("worker", "forget", "NOBODY", "--reason", "x", db=db, code=3)
    run("worker", "forget", "--before", "2020-13-01", "--reason", "x", db=db, code=3)
    out, _ = run("worker", "forget", "--help", db=db)
    check("--before" in out and "--reason" in out, "worker forget --help")

    # a dry run changes nothing
    out, _ = run("worker", "forget", wid, "--reason", "request 17", "--dry-run", "--json",
                 db=db)
    check(json.loads(out)["forgotten"][0]["worker"] == wid, "dry run names the worker")
    out, _ = run("worker", "show", wid, "--json", "--with-names", db=db)
    check(json.loads(out)["worker"]["name"] == NAME, "dry run: nothing erased")

    # forget, with another connection open so that the -wal and -shm files stay
    keep = sqlite3.connect(db)
    keep.execute("SELECT count(*) FROM workers").fetchone()
    out, _ = run("worker", "forget", wid, "--reason", "erasure request 17", "--json",
                 "--by", "clerk-a", db=db)
    res = json.loads(out)
    check([f["worker"] for f in res["forgotten"]] == [wid] and res["unchanged"] == [],
          "forget --json")
    check(res["forgotten"][0]["rounds"] == 2, "both rounds' inputs scrubbed")
    check(res["audit_notes_erased"] == (1 if placed else 0), "the clerk's note erased")
    files = [os.path.basename(f) for f in database_files(db)]
    check(any(f.endswith("-wal") for f in files), "the -wal file is there to be read")
    hits = found_in_files(db)
    check(hits == [], "after forget no file of the database holds an erased value: %s"
          % hits)
    keep.close()
    check(found_in_files(db) == [], "after the last connection closed either")
    # a later backup (SQLite's online backup copies every page, free ones too)
    backup = os.path.join(tmp, "backup.db")
    src, dst = sqlite3.connect(db), sqlite3.connect(backup)
    src.backup(dst)
    src.close()
    dst.close()
    data = open(backup, "rb").read()
    check([n for n in needles() if n in data] == [], "a later backup holds no erased value")

    # a forgotten worker's placements cannot be brought back to life
    if before_facts["placements"]:
        last = before_facts["placements"][-1]["id"]
        _, err = run("placement", "undo", last, db=db, code=3)
        check("forgotten" in err, "placement undo of a forgotten worker refused")

    # what is kept: id, country, region, history, the placements' facts
    out, _ = run("worker", "show", wid, "--json", "--with-names", db=db)
    after = json.loads(out)
    rec = after["worker"]
    check(rec["name"] is None and rec["birth_date"] is None and rec["languages"] is None
          and rec["available_from"] is None and rec["sex"] is None,
          "forgotten: personal fields gone")
    check(rec["country"] and rec["forgotten_at"] and rec["active"] == 0,
          "forgotten: country, when, inactive")
    check([(p["id"], p["state"]) for p in after["placements"]] ==
          [(p["id"], p["state"]) for p in before_facts["placements"]],
          "forgotten: the placements' facts kept")
    check(after["scores"] == [] and after["pins"] == [], "forgotten: scores and pins gone")
    check(all(json.loads(r["record"]).get("forgotten") is True
              and set(json.loads(r["record"])) <= {"id", "forgotten", "country", "region",
                                                    "history"}
              for r in after["rounds"]), "forgotten: the rounds hold the forgotten form")
    out, _ = run("worker", "list", "--status", "forgotten", "--json", db=db)
    check([w["id"] for w in json.loads(out)] == [wid], "worker list --status forgotten")
    out, _ = run("worker", "list", "--status", "unplaced", "--json", db=db)
    check(wid not in [w["id"] for w in json.loads(out)], "a forgotten worker is not unplaced")

    # the audit log: who, when, why; no personal value of any worker
    out, _ = run("audit", "--json", db=db)
    entries = json.loads(out)
    forgets = [e for e in entries if e["action"] == "worker.forget"]
    check(len(forgets) == 1 and forgets[0]["object"] == wid and
          forgets[0]["by"] == "clerk-a" and "erasure request 17" in json.dumps(forgets),
          "audit: one worker.forget entry with actor and reason")
    con = sqlite3.connect(db)
    text = "\n".join(" ".join(str(c) for c in row) for row in
                     con.execute("SELECT * FROM audit").fetchall())
    con.close()
    personal = [w.get("name") for w in doc["workers"] if w.get("name")] + \
               [w["birth_date"] for w in doc["workers"]]
    leaked = [v for v in personal if v in text]
    check(leaked == [], "the audit log holds no name or birth date: %s" % leaked[:3])
    if placed:
        confirm = [e for e in entries if e["action"] == "placement.confirm"
                   and e["object"] == "placement %d" % pid]
        check(len(confirm) == 1 and confirm[0]["detail"]["note"] == "[erased]" and
              confirm[0]["by"], "the confirmation stays, its note erased")
        _, err = run("placement", "list", db=db)
    con = sqlite3.connect(db)
    try:
        con.execute("UPDATE audit SET actor = 'x' WHERE id = 1")
        check(False, "the audit log is append-only again after the erasure")
    except sqlite3.DatabaseError as e:
        check("append-only" in str(e), "the trigger is back: %s" % e)
    con.close()

    # exports after forget: none holds an erased value, the worker is in no scenario
    outdir = os.path.join(tmp, "exports")
    os.mkdir(outdir)
    exports = [["--what", "scenario", "--with-names"],
               ["--what", "scenario", "--with-names", "--all"],
               ["--what", "workers", "--with-names"], ["--what", "placements"],
               ["--what", "inputs", "--round", "1"], ["--what", "inputs", "--round", "2"],
               ["--what", "result", "--round", "1"]]
    for i, args in enumerate(exports):
        out, _ = run("export", *args, db=db)
        data = out.encode()
        bad = [n.decode() for n in needles() if n in data]
        check(bad == [], "export %s holds no erased value: %s" % (" ".join(args), bad))
        if args[1] in ("scenario", "workers"):
            check(wid not in out, "export %s leaves the forgotten worker out" % args[1])
        open(os.path.join(outdir, "%d.json" % i), "w").write(out)

    # every later command works on a database with a forgotten worker
    run("round", "show", 1, db=db)
    run("round", "show", 2, "--json", db=db)
    run("round", "diff", 1, 2, db=db)
    out, _ = run("explain", "--worker", wid, "--round", 1, db=db)
    check(NAME not in out and BIRTH not in out, "explain names no erased value")
    out, _ = run("explain", "--worker", wid, "--json", db=db)
    check(json.loads(out).get("forgotten") is True, "explain --json says forgotten")
    vac = before_facts["placements"][0]["vacancy"] if before_facts["placements"] else \
        doc["vacancies"][0]["id"]
    run("explain", "--vacancy", vac, "--round", 1, db=db)
    inputs1 = os.path.join(outdir, "4.json")
    result1 = os.path.join(outdir, "6.json")
    run("validate", inputs1, db=None)
    run("report", result1, "--scenario", inputs1, "-o", os.path.join(tmp, "r.html"), db=None)
    run("scenario", "compare", result1, "--scenario", inputs1, db=None)
    run("placement", "list", "--worker", wid, db=db)
    run("audit", "--object", wid, db=db)
    out, _ = run("round", "run", "--json", db=db)
    out, _ = run("export", "--what", "inputs", db=db)
    check(wid not in [w["id"] for w in json.loads(out)["workers"]],
          "a later round leaves the forgotten worker out")
    run("season", "close", db=db)
    run("worker", "show", wid, "--json", db=db)
    run("round", "run", db=db)

    # forgetting again: unchanged, exit 0
    out, _ = run("worker", "forget", wid, "--reason", "again", "--json", db=db)
    check([u["worker"] for u in json.loads(out)["unchanged"]] == [wid], "again: unchanged")

    # erasure is final: neither the old file nor a forgotten form is imported
    _, err = run("import", path, db=db, code=3)
    check("forgotten" in err and NAME not in err, "re-import of a forgotten id refused")
    check(found_in_files(db) == [], "the refused import stored nothing")
    forged = {"format": "circulab-scenario/1",
              "workers": [{"id": "WNEW", "forgotten": True, "country": "MA"}],
              "employers": [{"id": "EX", "region": "ES615"}],
              "vacancies": [{"id": "VX", "employer": "EX", "start": "2027-03-01",
                             "end": "2027-04-01", "headcount": 1}]}
    fpath = os.path.join(tmp, "forged.json")
    json.dump(forged, open(fpath, "w"))
    _, err = run("import", fpath, db=db, code=3)
    check("forgotten" in err, "a forgotten form is not imported")
    forged["workers"][0]["birth_date"] = "1990-01-01"
    json.dump(forged, open(fpath, "w"))
    _, err = run("validate", fpath, db=None, code=3)
    check("birth_date" in err, "the forgotten form carries no erased member")


def retention(tmp):
    db = os.path.join(tmp, "retention.db")
    run("init", db=db)
    run("import", os.path.join(SCENARIOS, "huelva-small.json"), db=db)
    con = sqlite3.connect(db)
    # first-timers: no history (a last return is activity too)
    ids = [r[0] for r in con.execute("SELECT id FROM workers WHERE last_return IS NULL"
                                     " ORDER BY id LIMIT 3")]
    con.execute("UPDATE workers SET updated_at = '2019-05-01T10:00:00Z' WHERE id IN (?, ?)",
                ids[:2])
    con.commit()
    con.close()
    out, _ = run("worker", "forget", "--before", "2020-01-01", "--reason", "retention",
                 "--dry-run", "--json", db=db)
    check([f["worker"] for f in json.loads(out)["forgotten"]] == ids[:2] and
          json.loads(out)["forgotten"][0]["last_activity"] == "2019-05-01",
          "retention dry run: the two workers imported in 2019")
    out, _ = run("worker", "list", "--status", "forgotten", "--json", db=db)
    check(json.loads(out) == [], "retention dry run changed nothing")
    out, _ = run("worker", "forget", "--before", "2020-01-01", "--reason", "retention",
                 db=db)
    check("2 workers with no activity since 2020-01-01 forgotten" in out, out)
    out, _ = run("worker", "list", "--status", "forgotten", "--json", db=db)
    check([w["id"] for w in json.loads(out)] == ids[:2], "retention forgot the two")
    # a round that considered a worker is activity, however old the record
    run("round", "run", db=db)
    con = sqlite3.connect(db)
    con.execute("UPDATE workers SET updated_at = '2019-05-01T10:00:00Z' WHERE id = ?",
                (ids[2],))
    con.commit()
    con.close()
    out, _ = run("worker", "forget", "--before", "2020-01-01", "--reason", "retention",
                 "--json", db=db)
    check(json.loads(out)["forgotten"] == [], "a round that considered the worker is activity")


def migration(tmp):
    db = os.path.join(tmp, "old.db")
    run("init", db=db)
    con = sqlite3.connect(db)
    con.execute("ALTER TABLE workers DROP COLUMN forgotten_at")
    con.execute("PRAGMA user_version = 5")
    con.commit()
    con.close()
    run("import", os.path.join(SCENARIOS, "huelva-small.json"), db=db)
    out, _ = run("worker", "list", "--status", "forgotten", "--json", db=db)
    check(json.loads(out) == [], "a version-5 database migrates")


def main():
    tmp = tempfile.mkdtemp(prefix="forget-")
    erasure(tmp)
    retention(tmp)
    migration(tmp)
    if FAILS:
        print("%d failure(s)" % len(FAILS))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
