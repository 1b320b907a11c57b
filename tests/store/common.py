"""Helpers shared by the database test scripts: run the circulab program, build
small scenario documents, read a database's state."""
import json
import os
import sqlite3
import subprocess

CLI = os.environ.get("CIRCULAB_CLI", "circulab")


def run(*args, db=None, check=None, input=None):
    """Run circulab with args (and --db DB when given); return (rc, stdout, stderr)."""
    argv = [CLI] + [str(a) for a in args]
    if db is not None:
        argv += ["--db", db]
    env = dict(os.environ)
    env.pop("CIRCULAB_DB", None)
    p = subprocess.run(argv, capture_output=True, text=True, env=env, input=input,
                       timeout=300)
    if check is not None and p.returncode != check:
        raise AssertionError("%s: exit %d, expected %d\nstdout:\n%s\nstderr:\n%s"
                             % (" ".join(argv), p.returncode, check, p.stdout, p.stderr))
    return p.returncode, p.stdout, p.stderr


def worker(wid, **kw):
    w = {"id": wid, "birth_date": "1990-01-01", "country": "MA", "region": "MA-05",
         "available": {"from": "2026-01-01", "to": "2027-12-31"}}
    w.update(kw)
    return w


def vacancy(vid, employer="E1", start="2026-02-01", end="2026-05-31", headcount=1, **kw):
    v = {"id": vid, "employer": employer, "start": start, "end": end,
         "headcount": headcount, "sector": "berries"}
    v.update(kw)
    return v


def scenario(workers, vacancies, employers=None, **kw):
    doc = {"format": "circulab-scenario/1", "name": "test",
           "workers": workers, "vacancies": vacancies,
           "employers": employers if employers is not None
           else [{"id": "E1", "region": "ES615"}]}
    doc.update(kw)
    return doc


def write_json(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
    return path


# Columns that hold clocks: they differ between two runs of the same command.
VOLATILE = {"at", "created_at", "updated_at", "opened_at", "closed_at", "started_at",
            "finished_at", "seconds_solve", "seconds_total", "added_at"}


def state(db):
    """Every table's rows (clock columns left out), as a comparable value."""
    con = sqlite3.connect(db)
    try:
        out = {}
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for t in tables:
            cols = [r[1] for r in con.execute("PRAGMA table_info(%s)" % t)]
            keep = [c for c in cols if c not in VOLATILE]
            if t == "rounds":
                keep = [c for c in keep if c not in ("result",)]
            rows = con.execute("SELECT %s FROM %s" % (", ".join(keep), t)).fetchall()
            out[t] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


def integrity(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()
