"""What a clerk met trying every desk command on the bundled scenario, each case a
test that failed before its fix:

- tables line up by characters, not bytes (`Agrícola Doñana` shifted every column
  after it by its two accented letters);
- a filter naming a record the database does not hold (`placement list --employer
  E8`, `--round 99`, `vacancy list --employer E8`) is an error naming it, not an empty
  list that reads as "nothing here";
- a departure or return already recorded is reported with the date it stands on, so
  `depart N --date D` on a departed placement does not hide that D was not taken;
- `pin release` of a pair no longer pinned is reported unchanged (exit 0, no audit
  entry), as `pin add` of an existing pin is; an unknown worker is still an error;
  `pin list` lists as CSV too (`--csv`, as the other lists);
- `explain` called the holders of a full vacancy "higher-valued workers" when one of
  them had exactly the worker's value (a tie);
- without `--by`, a terminal or USER (cron, a service) the audit log named the actor
  "unknown" instead of the account the command ran as;
- `audit`'s text pushed the columns out of line after an actor longer than 10
  characters (a portal's `employer:E01/office`) or `placement.no-return`;
- `audit --since 2026-02-30` was taken (compared as text) instead of refused.

Usage: test_desk_gaps.py CIRCULAB SCENARIOS_DIR. Real SQLite files in a temporary
directory; standard library only."""
import csv
import io
import json
import os
import pwd
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
        FAILS.append("%s: exit %d, expected %d" % (" ".join(args), p.returncode, code))
        print("FAIL: %s: exit %d, expected %d\nstdout:\n%s\nstderr:\n%s"
              % (" ".join(argv), p.returncode, code, p.stdout[-2000:], p.stderr))
    return p.stdout, p.stderr


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what)


def column_starts(line, header):
    """Character offsets at which each header word starts, read off the header."""
    starts, i = [], 0
    for word in header.split():
        i = header.index(word, i)
        starts.append(i)
        i += len(word)
    return starts


def aligned(text, what):
    lines = text.splitlines()
    header = lines[0]
    starts = column_starts(header, header)
    for line in lines[1:]:
        for s in starts[1:]:
            # every column starts after two spaces, at the header's offset
            if not (line[s - 2:s] == "  " and line[s] != " "):
                check(False, "%s: column at %d misaligned in %r" % (what, s, line))
                return


def main():
    tmp = tempfile.mkdtemp(prefix="desk-gaps-")
    db = os.path.join(tmp, "season.db")
    huelva = os.path.join(SCENARIOS, "huelva-small.json")
    run("init", db=db)
    run("import", huelva, db=db)
    run("round", "run", db=db)
    con = sqlite3.connect(db)

    # 1. alignment by characters: huelva-small holds "Agrícola Doñana Berries SL"
    out, _ = run("employer", "list", db=db)
    check("Doñana" in out, "employer list shows the accented name")
    aligned(out, "employer list")
    out, _ = run("employer", "show", "E03", db=db)
    aligned(out.split("sites:\n")[1].split("\n\n")[0], "employer show E03: sites")

    # 2. filters naming unknown records
    for args, name in ((["placement", "list", "--employer", "E8"], "E8"),
                       (["placement", "list", "--worker", "W9"], "W9"),
                       (["placement", "list", "--vacancy", "V9"], "V9"),
                       (["placement", "list", "--round", "99"], "99"),
                       (["vacancy", "list", "--employer", "E8"], "E8")):
        out, err = run(*args, db=db, code=3)
        check(name in err and out == "", "%s: an error naming %s" % (" ".join(args), name))
    # a known worker with no placement is an empty list, not an error
    unplaced = con.execute("SELECT id FROM workers WHERE id NOT IN"
                           " (SELECT worker_id FROM placements) ORDER BY id").fetchone()[0]
    out, _ = run("placement", "list", "--worker", unplaced, "--json", db=db)
    check(json.loads(out) == [], "placement list --worker with no placements: []")
    out, _ = run("placement", "list", "--round", "1", "--employer", "E01", "--json", db=db)
    check(len(json.loads(out)) > 0, "placement list --round 1 --employer E01")

    # 3. an unchanged departure shows the date it stands on
    run("placement", "confirm", "1", db=db)
    out, _ = run("placement", "depart", "1", "--date", "2026-01-27", db=db)
    check("confirmed -> departed on 2026-01-27" in out, "depart 1 on a date")
    out, _ = run("placement", "depart", "1", "--date", "2026-01-30", db=db)
    check("already departed on 2026-01-27, unchanged" in out,
          "depart again: the recorded date is shown: " + out)
    out, _ = run("placement", "depart", "1", "--json", db=db)
    r = json.loads(out)[0]
    check(r.get("unchanged") is True and r.get("date") == "2026-01-27",
          "depart again --json: unchanged with its date %s" % r)
    check(con.execute("SELECT departed_on FROM placements WHERE id = 1").fetchone()[0]
          == "2026-01-27", "the first date stands")

    # 4. pin release of a pair no longer pinned
    w, v = con.execute("SELECT worker_id, vacancy_id FROM pairs WHERE kind = 'pin'"
                       " ORDER BY worker_id").fetchone()
    out, _ = run("pin", "release", w, v, db=db)
    check("released pin" in out, "pin release")
    out, _ = run("pin", "release", w, v, db=db)
    check("unchanged" in out, "pin release again: unchanged: " + out)
    n = con.execute("SELECT count(*) FROM audit WHERE action = 'pin.release'").fetchone()[0]
    check(n == 1, "one pin.release audit entry, not %d" % n)
    _, err = run("pin", "release", "W9", v, db=db, code=3)
    check("W9" in err, "pin release of an unknown worker names it")
    _, err = run("pin", "release", w, "V9", db=db, code=3)
    check("V9" in err, "pin release of an unknown vacancy names it")
    out, _ = run("pin", "add", w, v, db=db)
    out, _ = run("pin", "add", w, v, db=db)
    check("unchanged" in out, "pin add again: unchanged: " + out)
    # pin list lists as CSV too, the rows of --json
    out, _ = run("pin", "list", "--csv", db=db)
    got = [dict(r) for r in csv.DictReader(io.StringIO(out))]
    want = json.loads(run("pin", "list", "--json", db=db)[0])
    check(got == [{k: (str(x).lower() if isinstance(x, bool) else x)
                   for k, x in r.items()} for r in want] and len(got) >= 1,
          "pin list --csv: the rows of --json: %s" % got)
    run("pin", "list", "--csv", "--json", db=db, code=2)

    # 5. explain: a full vacancy held by a worker of the same value is not held by
    # "higher-valued workers" (a tie is a tie)
    db5 = os.path.join(tmp, "tie.db")
    w = {"birth_date": "1990-01-01", "country": "MA",
         "available": {"from": "2026-01-01", "to": "2026-12-31"}}
    tie = {"format": "circulab-scenario/1",
           "workers": [dict(w, id="W1"), dict(w, id="W2")],
           "employers": [{"id": "E1", "region": "ES615"}],
           "vacancies": [{"id": "V1", "employer": "E1", "start": "2026-02-01",
                          "end": "2026-03-01", "headcount": 1}]}
    path = os.path.join(tmp, "tie.json")
    json.dump(tie, open(path, "w"))
    run("init", db=db5)
    run("import", path, db=db5)
    run("round", "run", db=db5)
    placed = sqlite3.connect(db5).execute("SELECT worker_id FROM placements").fetchone()[0]
    other = "W2" if placed == "W1" else "W1"
    out, _ = run("explain", "--worker", other, db=db5)
    first = out.splitlines()[0]
    check("higher-valued" not in first and "valued as much or more" in first
          and "a tie" in first, "explain: a tie is not 'higher-valued': " + first)

    # 6. the audit's actor without --by, a terminal or USER (cron, a service): the
    # account's name, not "unknown"
    env = dict(os.environ)
    for k in ("USER", "LOGNAME", "CIRCULAB_DB"):
        env.pop(k, None)
    p = subprocess.run([CLI, "placement", "confirm", "2", "--db", db], env=env,
                       stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       start_new_session=True, timeout=300)
    check(p.returncode == 0, "confirm without USER: " + p.stderr)
    actor = con.execute("SELECT actor FROM audit WHERE action = 'placement.confirm'"
                        " AND object = 'placement 2'").fetchone()
    check(actor is not None and actor[0] == pwd.getpwuid(os.geteuid()).pw_name,
          "the audit names the account without USER: %s" % (actor,))

    # 7. audit text: a portal's long actor and `placement.no-return` keep the object
    # column in line
    run("placement", "depart", "2", "--by", "employer:E01/office", db=db)
    run("placement", "no-return", "2", "--by", "ana", db=db)
    out, _ = run("audit", "--object", "2", db=db)
    starts = {line.index("placement 2") for line in out.splitlines()
              if "placement 2" in line}
    check(len(out.splitlines()) >= 3 and len(starts) == 1,
          "audit: the object column in line: " + out)

    # 8. audit --since takes calendar dates only: 2026-02-30 matched as text (every
    # entry from March on) instead of being refused
    for bad in ("2026-02-30", "2025-02-29", "2026-04-31", "2026-12-05T25:00:00Z",
                "2026-12-05Tnoon"):
        _, err = run("audit", "--since", bad, db=db, code=2)
        check(bad in err, "audit --since %s refused naming it" % bad)
    for good in ("2024-02-29", "2026-01-31", "2026-12-05T03:09:37Z"):
        run("audit", "--since", good, db=db)

    if FAILS:
        print("%d failures" % len(FAILS))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
