#!/usr/bin/env python3
"""End-to-end tests of what circulab writes and prints: files given with -o/--csv
(special files, symbolic links, directories), file modes of personal data, CSV cells a
spreadsheet would run as formulas, control characters in text output, plausible
lifecycle dates, concurrent `init`, and `simulate` ending every season.

Each function named case_* is one test; tests/outputs.cmake registers one ctest test
per case (outputs.<case>). Run by hand:

    python3 tests/outputs/test_outputs.py --cli build/circulab [CASE...]

Real parts only: real files, FIFOs, symbolic links, /dev/null, a real SQLite file and
real processes. Standard library only.
"""

import argparse
import csv
import io
import os
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
import traceback

CLI = None
ROOT = None
TIMEOUT = 300


class Failure(Exception):
    pass


def check(cond, what, *context):
    if not cond:
        raise Failure(what + "".join("\n  " + str(c) for c in context))


def run(*args, code=None, stdin=None, cwd=None, timeout=TIMEOUT):
    """Run circulab; check the exit code when given; return the CompletedProcess."""
    p = subprocess.run([CLI, *args], input=stdin, capture_output=True, text=True,
                       cwd=cwd, timeout=timeout)
    if code is not None and p.returncode != code:
        raise Failure("expected exit %d, got %d\n  command: circulab %s\n  stdout: %s"
                      "\n  stderr: %s" % (code, p.returncode, " ".join(args),
                                          p.stdout[:2000], p.stderr[:2000]))
    return p


def scenario(name):
    return os.path.join(ROOT, "scenarios", name)


def cli_data(name):
    return os.path.join(ROOT, "tests", "data", "cli", name)


# ---- simulate ---------------------------------------------------------------------


def season_lines(text):
    return [l for l in text.splitlines() if l[:6].strip().rstrip("*").isdigit()]


def case_simulate_exit_code_without_csv():
    """The table alone (no --csv) is a success: exit 0, one line per season."""
    p = run("simulate", cli_data("valid.json"), "--seasons", "2", "--return-rate", "0.5",
            "-q", code=0)
    check(len(season_lines(p.stdout)) == 2, "not one line per season", p.stdout)
    check(p.stderr == "", "unexpected stderr", p.stderr)


def case_simulate_every_season_ends():
    """A season whose solve cannot be proven optimal quickly stops at the per-season
    time limit, is marked, and each season's line is printed as soon as it ends.
    The round is a generated one of 2,000 workers (seconds of CPU to prove), so that a
    1-second limit cuts its seasons on any machine."""
    with tempfile.TemporaryDirectory() as tmp:
        out_csv = os.path.join(tmp, "sim.csv")
        big = os.path.join(tmp, "big.json")
        run("generate", "--workers", "2000", "--vacancies", "100", "--seed", "1", "-o", big,
            code=0)
        args = [CLI, "simulate", big, "--seasons", "3",
                "--return-rate", "0.85", "--time-limit", "1", "-q", "--csv", out_csv]
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        timer = threading.Timer(TIMEOUT, proc.kill)
        timer.start()
        try:
            header = proc.stdout.readline()
            first = proc.stdout.readline()
            # season 1's line arrives while later seasons still solve
            running_after_first = proc.poll() is None
            rest, err = proc.communicate()
        finally:
            timer.cancel()
        check(proc.returncode == 0, "simulate failed", proc.returncode, err)
        check(header.startswith("season"), "no header first", header)
        # (on a slow or loaded machine seasons 1 and 2 may be cut short too: "1*")
        check(first.split()[0].rstrip("*") == "1", "season 1 not printed first", first)
        check(running_after_first, "season 1's line came only when the run ended")
        lines = season_lines(header + first + rest)
        check(len(lines) == 3, "not three season lines", header + first + rest)
        # Some season is cut (in practice all three), and exactly those are marked.
        marked = [l.split()[0].endswith("*") for l in lines]
        check(any(marked), "no season marked as cut short", *lines)
        check("* solve stopped at the time limit (1 s per season)" in rest,
              "no note on the mark", rest)
        rows = list(csv.DictReader(open(out_csv, newline="")))
        check([r["solve"] == "time_limit" for r in rows] == marked,
              "the CSV's solve column does not match the marks", marked,
              [r["solve"] for r in rows])


def case_simulate_default_time_limit_documented():
    p = run("simulate", "--help", code=0)
    check("default 30" in p.stdout, "no default time limit in --help", p.stdout)


# ---- output files (-o, --csv, --write-mps) ------------------------------------------


def env_without_db():
    env = dict(os.environ)
    env.pop("CIRCULAB_DB", None)
    return env


def db_with_round(tmp):
    """A database with the small test scenario imported and one round run."""
    db = os.path.join(tmp, "test.db")
    run("init", "--db", db, code=0)
    run("import", "--db", db, cli_data("valid.json"), code=0)
    run("round", "run", "--db", db, "-q", code=0)
    return db


def writers(tmp, db):
    """Every command that writes a file the user names: (label, argv with OUT,
    whether the content is deterministic so two runs can be compared)."""
    sc = cli_data("valid.json")
    return [
        ("solve -o", ["solve", sc, "-q", "-o", "OUT"]),
        ("solve --write-mps", ["solve", sc, "-q", "--write-mps", "OUT"]),
        ("export -o", ["export", "--db", db, "--what", "vacancies", "-o", "OUT"]),
        ("export --what workers -o", ["export", "--db", db, "--what", "workers", "-o", "OUT"]),
        ("generate -o", ["generate", "--workers", "20", "--vacancies", "3", "-o", "OUT"]),
        ("report -o", ["report", sc, "-q", "-o", "OUT"]),
        ("scenario compare -o", ["scenario", "compare", sc, sc, "-q", "-o", "OUT"]),
        ("simulate --csv", ["simulate", sc, "--seasons", "1", "--return-rate", "1", "-q",
                            "--csv", "OUT"]),
    ]


def with_out(argv, out):
    return [out if a == "OUT" else a for a in argv]


def without_clock(data):
    """The document less its clock reading: `scenario compare` prints each solve's
    seconds, which differ between two runs of the same solve."""
    return b"\n".join(l for l in data.split(b"\n") if not l.startswith(b"solve seconds"))


def reference_outputs(tmp, db):
    """What each writer writes into a plain new file."""
    ref = {}
    for label, argv in writers(tmp, db):
        out = os.path.join(tmp, "ref.out")
        run(*with_out(argv, out), code=0)
        ref[label] = open(out, "rb").read()
        os.remove(out)
    return ref


def case_output_symlink_is_followed():
    """-o LINK replaces the link's target (atomically, beside the target) and leaves
    the link a link; a dangling link creates its target."""
    with tempfile.TemporaryDirectory() as tmp:
        db = db_with_round(tmp)
        other = os.path.join(tmp, "elsewhere")
        os.mkdir(other)
        for label, argv in writers(tmp, db):
            target = os.path.join(other, "target.out")
            link = os.path.join(tmp, "link.out")
            with open(target, "w") as f:
                f.write("old content\n")
            os.symlink(os.path.join("elsewhere", "target.out"), link)  # relative
            p = run(*with_out(argv, link))
            check(p.returncode == 0, label + ": failed", p.stderr)
            check(os.path.islink(link), label + ": the link was replaced by a file")
            got = open(target, "rb").read()
            check(got != b"old content\n" and len(got) > 0,
                  label + ": the link's target was not written")
            check(sorted(os.listdir(other)) == ["target.out"],
                  label + ": temporary files left beside the target", os.listdir(other))
            os.remove(link)
            os.remove(target)
            # dangling link: its target is created
            os.symlink(target, link)
            run(*with_out(argv, link), code=0)
            check(os.path.islink(link) and os.path.getsize(target) > 0,
                  label + ": dangling link not followed")
            os.remove(link)
            os.remove(target)


def read_fifo_in_thread(path, sink):
    def reader():
        with open(path, "rb") as f:
            sink.append(f.read())
    t = threading.Thread(target=reader, daemon=True)
    t.start()
    return t


def case_output_fifo_written_in_place():
    """-o FIFO writes into the pipe; the FIFO stays a FIFO."""
    with tempfile.TemporaryDirectory() as tmp:
        db = db_with_round(tmp)
        ref = reference_outputs(tmp, db)
        fifo = os.path.join(tmp, "pipe")
        for label, argv in writers(tmp, db):
            os.mkfifo(fifo)
            got = []
            t = read_fifo_in_thread(fifo, got)
            p = run(*with_out(argv, fifo), timeout=120)
            if p.returncode != 0 and t.is_alive():
                open(fifo, "wb").close()  # release the reader
            t.join(30)
            check(p.returncode == 0, label + ": failed", p.stderr)
            check(stat.S_ISFIFO(os.lstat(fifo).st_mode), label + ": FIFO replaced")
            if label not in ("report -o", "solve --write-mps"):  # clocks inside
                check(got and without_clock(got[0]) == without_clock(ref[label]),
                      label + ": the reader did not get "
                      "the document", got[0][:200] if got else None)
            else:
                check(got and len(got[0]) > 0, label + ": nothing read from the FIFO")
            check(sorted(os.listdir(tmp)) == sorted(["test.db", "pipe"]),
                  label + ": files left behind", os.listdir(tmp))
            os.remove(fifo)


def case_output_character_device_written_in_place():
    """-o DEVICE writes to the device and never renames over it: first on a private
    copy of the null device, then (only when that held) on /dev/null itself."""
    if os.getuid() != 0:
        print("skipped: creating a device node needs root")
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = db_with_round(tmp)
        node = os.path.join(tmp, "null")
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        for label, argv in writers(tmp, db):
            p = run(*with_out(argv, node))
            check(p.returncode == 0, label + ": failed", p.stderr)
            check(stat.S_ISCHR(os.lstat(node).st_mode),
                  label + ": the device node was replaced by a regular file")
        before = os.stat("/dev/null")
        for label, argv in writers(tmp, db):
            run(*with_out(argv, "/dev/null"), code=0)
            st = os.lstat("/dev/null")
            check(stat.S_ISCHR(st.st_mode) and st.st_rdev == before.st_rdev,
                  label + ": /dev/null is no longer the null device")
        check(sorted(os.listdir(tmp)) == sorted(["test.db", "null"]),
              "files left behind", os.listdir(tmp))


def case_output_dev_stdout():
    """-o /dev/stdout writes to the process's standard output: into a pipe, and into
    a file opened for appending, whose earlier content is kept."""
    with tempfile.TemporaryDirectory() as tmp:
        sc = cli_data("valid.json")
        plain = run("solve", sc, "-q", code=0).stdout
        p = run("solve", sc, "-q", "-o", "/dev/stdout", code=0)
        check(p.stdout == plain, "-o /dev/stdout into a pipe differs", p.stdout[:200])
        log = os.path.join(tmp, "log.txt")
        with open(log, "w") as f:
            f.write("earlier line\n")
        with open(log, "a") as f:
            q = subprocess.run([CLI, "solve", sc, "-q", "-o", "/dev/stdout"], stdout=f,
                               stderr=subprocess.PIPE, text=True, timeout=TIMEOUT)
        check(q.returncode == 0, "failed", q.stderr)
        check(open(log).read() == "earlier line\n" + plain,
              "appending to a redirected stdout lost the earlier content")
        check(sorted(os.listdir(tmp)) == ["log.txt"], "files left", os.listdir(tmp))


def case_output_dash_is_stdout():
    """-o - is standard output for every writer, never a file named '-'."""
    with tempfile.TemporaryDirectory() as tmp:
        db = db_with_round(tmp)
        for label, argv in writers(tmp, db):
            if label == "solve --write-mps":
                continue  # a model file, not a document
            p = run(*with_out(argv, "-"), cwd=tmp)
            check(p.returncode == 0 and len(p.stdout) > 0, label + " -o -: nothing on stdout",
                  p.returncode, p.stderr)
            check(not os.path.exists(os.path.join(tmp, "-")), label + ": wrote a file '-'")


def case_output_directory_and_unwritable_paths():
    """A directory, a missing directory or a path below a file: exit 1, one clear
    line naming the path, nothing written."""
    with tempfile.TemporaryDirectory() as tmp:
        db = db_with_round(tmp)
        d = os.path.join(tmp, "adir")
        os.mkdir(d)
        plain = os.path.join(tmp, "plain")
        open(plain, "w").close()
        for label, argv in writers(tmp, db):
            for out, words in ((d, "is a directory"),
                               (os.path.join(tmp, "missing", "x"), "does not exist"),
                               (os.path.join(plain, "x"), "cannot write")):
                p = run(*with_out(argv, out))
                check(p.returncode == 1, label + " -> " + out + ": not exit 1",
                      p.returncode, p.stderr)
                check(p.stderr.startswith("circulab: error: ") and words in p.stderr
                      and out in p.stderr, label + ": unclear message", p.stderr)
            check(os.listdir(d) == [], label + ": wrote into the directory")
            check(sorted(os.listdir(tmp)) == sorted(["test.db", "adir", "plain"]),
                  label + ": files left", os.listdir(tmp))


# ---- file modes of personal data ------------------------------------------------------


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def case_export_modes():
    """Exports holding names or birth dates are 0600, even over a 0644 file; those
    without personal data stay ordinary documents (0644)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = db_with_round(tmp)
        for what, names, want in (("workers", False, 0o600), ("workers", True, 0o600),
                                  ("scenario", False, 0o600), ("inputs", False, 0o600),
                                  ("placements", True, 0o600),
                                  ("placements", False, 0o644), ("result", False, 0o644),
                                  ("vacancies", False, 0o644)):
            out = os.path.join(tmp, "%s-%s.out" % (what, names))
            open(out, "w").close()
            os.chmod(out, 0o644)
            run("export", "--db", db, "--what", what, *(["--with-names"] if names else []),
                "-o", out, code=0)
            check(mode(out) == want, "export --what %s%s: mode %o, expected %o" % (
                what, " --with-names" if names else "", mode(out), want))


def case_database_file_mode():
    """A touched or 0644 database, and its -wal and -shm, become 0600 on every open."""
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "touched.db")
        open(db, "w").close()
        os.chmod(db, 0o644)
        run("init", "--db", db, code=0)
        check(mode(db) == 0o600, "init left a touched database %o" % mode(db))
        run("import", "--db", db, cli_data("valid.json"), code=0)
        # an old version's file: 0644, with -wal and -shm kept by an open connection
        os.chmod(db, 0o644)
        con = sqlite3.connect(db)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("SELECT count(*) FROM sqlite_master").fetchall()
        for suffix in ("-wal", "-shm"):
            check(os.path.exists(db + suffix), "no " + suffix + " file to test with")
            os.chmod(db + suffix, 0o644)
        run("audit", "--db", db, code=0)
        for suffix in ("", "-wal", "-shm"):
            check(mode(db + suffix) == 0o600,
                  "after a plain command, %s is %o" % (suffix or "the database",
                                                       mode(db + suffix)))
        con.close()
        os.chmod(db, 0o644)
        run("export", "--db", db, "--what", "vacancies", code=0)  # a read
        check(mode(db) == 0o600, "a read left the database %o" % mode(db))


# ---- CSV cells a spreadsheet would run ----------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = __import__("re").compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def hostile_scenario(tmp):
    """valid.json with ids, a sector and a name that start like formulas."""
    doc = __import__("json").load(open(cli_data("valid.json")))
    ren = {"W2": "=1+2", "W3": "@SUM(A1)", "E2": "+E2", "V2": "-V2"}

    def swap(x):
        if isinstance(x, dict):
            return {k: swap(v) for k, v in x.items()}
        if isinstance(x, list):
            return [swap(v) for v in x]
        return ren.get(x, x) if isinstance(x, str) else x
    doc = swap(doc)
    doc["vacancies"][1]["sector"] = "=cmd|' /C calc'!A0"
    doc["workers"][0]["name"] = "-Alice"
    path = os.path.join(tmp, "hostile.json")
    with open(path, "w") as f:
        __import__("json").dump(doc, f)
    return path, ren


def check_csv_cells(text, where):
    rows = list(csv.reader(io.StringIO(text)))
    check(len(rows) > 1, where + ": no rows", text[:300])
    guarded = 0
    for row in rows:
        for c in row:
            if c.startswith(FORMULA_START):
                check(NUMBER.match(c) is not None, where + ": formula cell %r" % c)
            if c.startswith("'") and c[1:2] and c[1] in "=+-@\t\r":
                guarded += 1
    return rows, guarded


def case_csv_formula_cells_guarded():
    """Every CSV output writes a text cell starting with = + - @ (tab, CR) with a
    leading apostrophe; numbers such as -5 are untouched."""
    with tempfile.TemporaryDirectory() as tmp:
        sc, ren = hostile_scenario(tmp)
        db = os.path.join(tmp, "t.db")
        run("init", "--db", db, code=0)
        run("import", "--db", db, sc, code=0)
        run("round", "run", "--db", db, "-q", code=0)
        seen = set()
        for what in ("workers", "vacancies", "employers", "placements"):
            for names in ([], ["--with-names"]) if what == "workers" else ([],):
                p = run("export", "--db", db, "--what", what, *names, code=0)
                rows, guarded = check_csv_cells(p.stdout, "export " + what)
                check(guarded > 0, "export %s: nothing guarded" % what, p.stdout)
                for row in rows:
                    seen.update(row)
                out = os.path.join(tmp, what + ".csv")
                run("export", "--db", db, "--what", what, *names, "-o", out, code=0)
                check(open(out, newline="").read() == p.stdout, "-o differs from stdout")
        for v in ren.values():
            check("'" + v in seen, "id %r not exported guarded" % v)
        check("'-Alice" in seen, "name not guarded")
        check("'=cmd|' /C calc'!A0" in seen, "sector not guarded")
        # the comparison table: sector keys are cells too
        p = run("scenario", "compare", sc, sc, "--csv", "-q", code=0)
        rows, guarded = check_csv_cells(p.stdout, "scenario compare --csv")
        check(any("'=cmd|' /C calc'!A0" in r for r in rows), "compare: sector not guarded",
              p.stdout)


# ---- control characters in text output ------------------------------------------------

HOSTILE_ID = "E\x1b[2J\x1b]0;pwned\x07\u202eEVIL\x7f\u2066"


def case_text_output_escapes_control_characters():
    """An id holding ESC sequences, BEL, DEL and bidi controls, put straight into the
    database, is printed escaped by every text output and stays intact in JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        db = db_with_round(tmp)
        con = sqlite3.connect(db)
        con.execute("UPDATE placements SET employer_id = ?, site_id = ? WHERE id = 1",
                    (HOSTILE_ID, HOSTILE_ID))
        con.execute("INSERT INTO audit(at, actor, action, object) "
                    "SELECT at, ?, action, ? FROM audit WHERE id = 1",
                    (HOSTILE_ID, HOSTILE_ID))
        con.commit()
        con.close()
        for argv in (["placement", "list"], ["round", "show"], ["round", "show", "1"],
                     ["audit"]):
            p = run(*argv, "--db", db, code=0)
            for bad in ("\x1b", "\x07", "\x7f", "\u202e", "\u2066"):
                check(bad not in p.stdout, "%s printed %r raw" % (" ".join(argv), bad))
            check("\\u001b[2j" in p.stdout.lower() and "\\u202e" in p.stdout.lower(),
                  " ".join(argv) + ": the id is not shown escaped", p.stdout[:500])
        p = run("placement", "list", "--db", db, "--json", code=0)
        check("\u202e" not in p.stdout, "--json printed U+202E raw")
        doc = __import__("json").loads(p.stdout)
        check([x["employer"] for x in doc if x["id"] == 1] == [HOSTILE_ID],
              "the JSON value changed", [x for x in doc if x["id"] == 1])


def case_error_messages_escape_control_characters():
    """An error naming a hostile id (unknown placement worker) prints it escaped."""
    with tempfile.TemporaryDirectory() as tmp:
        bad = os.path.join(tmp, "bad.json")
        doc = __import__("json").load(open(cli_data("valid.json")))
        doc["vacancies"][0]["employer"] = "X\x1b[31m\u202eRED"
        __import__("json").dump(doc, open(bad, "w"))
        p = run("validate", bad)
        check(p.returncode == 3, "not invalid", p.returncode, p.stderr)
        check("\x1b" not in p.stderr and "\u202e" not in p.stderr,
              "validate printed control characters raw", repr(p.stderr))
        check("\\u001b[31m" in p.stderr.lower(), "the id is not shown escaped",
              repr(p.stderr))
        p = run("solve", bad, "-q")
        check(p.returncode == 3 and "\x1b" not in p.stderr and "\u202e" not in p.stderr,
              "solve printed control characters raw", repr(p.stderr))


# ---- lifecycle dates ------------------------------------------------------------------


def case_lifecycle_dates_plausible():
    """depart/return dates outside the placement's window are refused (exit 3, nothing
    changed); dates inside it are accepted. Placement 1 runs 2026-02-01..2026-05-31."""
    with tempfile.TemporaryDirectory() as tmp:
        db = db_with_round(tmp)
        run("placement", "confirm", "1", "--db", db, code=0)
        for date in ("1900-01-01", "2025-08-04", "2026-06-01", "2062-01-01"):
            p = run("placement", "depart", "1", "--date", date, "--db", db, code=3)
            check("not plausible" in p.stderr and date in p.stderr, "unclear", p.stderr)
        state = sqlite3.connect(db).execute(
            "SELECT status, departed_on FROM placements WHERE id = 1").fetchone()
        check(state == ("confirmed", None), "a refused depart changed the placement", state)
        run("placement", "depart", "1", "--date", "2025-08-05", "--db", db, code=0)
        for date in ("2025-08-05", "2026-01-31", "2026-11-28", "2100-01-01"):
            p = run("placement", "return", "1", "--date", date, "--db", db, code=3)
        run("placement", "return", "1", "--date", "2026-11-27", "--db", db, code=0)


# ---- concurrent init ------------------------------------------------------------------


def case_init_concurrent_new_path():
    """20 `init` processes released at the same instant on a new path (5 times): all
    succeed, and the database is one circulab database, 0600, with one season."""
    with tempfile.TemporaryDirectory() as tmp:
        for trial in range(5):
            db = os.path.join(tmp, "race%d.db" % trial)
            # each process blocks reading the gate pipe, then becomes circulab;
            # closing its write end releases all of them at once
            gate_r, gate_w = os.pipe()
            procs = [subprocess.Popen(
                ["sh", "-c", 'read x; exec "$1" init --db "$2"', "sh", CLI, db],
                stdin=gate_r, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                text=True, env=env_without_db()) for _ in range(20)]
            os.close(gate_r)
            os.close(gate_w)
            failures = []
            for p in procs:
                _, err = p.communicate(timeout=TIMEOUT)
                if p.returncode != 0:
                    failures.append((p.returncode, err.strip()))
            check(not failures, "trial %d: %d of 20 init failed" % (trial, len(failures)),
                  *failures[:3])
            check(mode(db) == 0o600, "mode %o" % mode(db))
            con = sqlite3.connect(db)
            n = con.execute("SELECT count(*) FROM seasons").fetchone()[0]
            con.close()
            check(n == 1, "%d seasons after concurrent init" % n)


# ---- driver -----------------------------------------------------------------------


def cases():
    return {name[5:]: fn for name, fn in globals().items()
            if name.startswith("case_") and callable(fn)}


def main():
    global CLI, ROOT
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cli")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("case", nargs="*")
    args = ap.parse_args()
    all_cases = cases()
    if args.list:
        print("\n".join(sorted(all_cases)))
        return 0
    if not args.cli:
        ap.error("--cli is required")
    CLI = os.path.abspath(args.cli)
    ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    failed = 0
    for name in args.case or sorted(all_cases):
        try:
            all_cases[name]()
            print("ok   %s" % name)
        except Failure as e:
            failed += 1
            print("FAIL %s: %s" % (name, e))
        except Exception:
            failed += 1
            print("FAIL %s: exception" % name)
            traceback.print_exc(file=sys.stdout)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
