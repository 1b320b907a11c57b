#!/usr/bin/env python3
"""End-to-end tests of record integrity and output safety on commands the first fixes
of these patterns did not reach: text tables that print symbols (sectors, regions,
scenario names) from the input, and other ways a change could leave the database in a
state a later command refuses.

Each function named case_* is one test; tests/integrity.cmake registers one ctest test
per case (integrity.<case>). Run by hand:

    python3 tests/integrity/test_integrity.py --cli build/circulab [CASE...]

Real parts only: real files, a real SQLite file, real processes. Standard library only.
"""

import argparse
import http.server
import json
import os
import shutil
import sqlite3
import threading
import subprocess
import sys
import tempfile
import traceback

CLI = None
ROOT = None
TIMEOUT = 300

# ESC (a colour sequence), BEL and U+202E (right-to-left override)
HOSTILE = "\x1b[31mX\u202eY\x07"


class Failure(Exception):
    pass


def check(cond, what, *context):
    if not cond:
        raise Failure(what + "".join("\n  " + str(c) for c in context))


def run(*args, code=None, stdin=None, cwd=None, env=None, timeout=TIMEOUT):
    """Run circulab; check the exit code when given; return the CompletedProcess."""
    p = subprocess.run([CLI, *args], input=stdin, capture_output=True, cwd=cwd, env=env,
                       timeout=timeout)
    if code is not None and p.returncode != code:
        raise Failure("expected exit %d, got %d\n  command: circulab %s\n  stdout: %r"
                      "\n  stderr: %r" % (code, p.returncode, " ".join(args),
                                          p.stdout[:2000], p.stderr[:2000]))
    return p


def cli_data(name):
    return os.path.join(ROOT, "tests", "data", "cli", name)


def raw_controls(data):
    """The control and bidirectional characters printed raw (line breaks aside)."""
    found = sorted({"\\x%02x" % b for b in data if (b < 32 and b != 10) or b == 127})
    if "\u202e".encode() in data:
        found.append("U+202E")
    return found


def hostile_scenario(path):
    """tests/data/cli/valid.json with control characters in every free-text symbol
    the comparison table prints: the scenario's name, sectors, regions."""
    with open(cli_data("valid.json"), encoding="utf-8") as f:
        doc = json.load(f)
    doc["name"] = "1" + HOSTILE + "name"
    for v in doc["vacancies"]:
        v["sector"] = HOSTILE + "sector"
    for e in doc["employers"]:
        e["region"] = HOSTILE + "region"
        for s in e.get("sites", []):
            s["region"] = HOSTILE + "site"
    for w in doc["workers"]:
        w["region"] = HOSTILE + "origin"
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)


# ---- text outputs ------------------------------------------------------------------


def case_compare_text_escapes_symbols():
    """`scenario compare` prints sectors, regions and scenario names (free text in a
    scenario) in its table: control and bidirectional characters are escaped there,
    on standard output and in an -o file alike, as in every other text output."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "hostile.json")
        hostile_scenario(path)
        run("validate", path, code=0)
        p = run("scenario", "compare", path, path, "-q", code=0)
        check(not raw_controls(p.stdout), "raw control characters in the table: %s"
              % raw_controls(p.stdout), p.stdout.decode("utf-8", "replace")[:3000])
        check(b"\\u001B[31mX\\u202EY\\u0007sector" in p.stdout,
              "the sector is not shown escaped", p.stdout[:3000])
        out = os.path.join(d, "table.txt")
        run("scenario", "compare", path, "-q", "-o", out, code=0)
        with open(out, "rb") as f:
            data = f.read()
        check(not raw_controls(data), "raw control characters in the -o table: %s"
              % raw_controls(data))
        # the CSV form is data: its cells keep their values (guarded, not escaped)
        p = run("scenario", "compare", path, "--csv", "-q", code=0)
        check(HOSTILE.encode() + b"sector" in p.stdout, "the CSV changed the value",
              p.stdout[:2000])


# ---- confirmed placements and their vacancies ------------------------------------


CONFIRMED = 6


def season_with_confirmations(d, vacancy="V0102", before_round=None):
    """A database with huelva-small imported (then `before_round(env)`), round 1 run
    and the first CONFIRMED proposals of `vacancy` confirmed. Returns env."""
    env = dict(os.environ, CIRCULAB_DB=os.path.join(d, "c.db"))
    run("init", env=env, code=0)
    run("import", os.path.join(ROOT, "scenarios", "huelva-small.json"), env=env, code=0)
    if before_round:
        before_round(env)
    run("round", "run", "-q", "--time-limit", "20", env=env, code=0)
    shown = run("round", "show", "1", env=env, code=0).stdout.decode()
    ids = [l.split()[0] for l in shown.splitlines()
           if len(l.split()) > 3 and l.split()[0].isdigit() and l.split()[2] == vacancy]
    check(len(ids) >= CONFIRMED, "round 1 proposes fewer than %d placements on %s"
          % (CONFIRMED, vacancy), shown)
    run("placement", "confirm", *ids[:CONFIRMED], env=env, code=0)
    return env


def db_rows(env):
    con = sqlite3.connect(env["CIRCULAB_DB"])
    try:
        return (con.execute("SELECT id, status, headcount, doc FROM vacancies ORDER BY id")
                .fetchall())
    finally:
        con.close()


def check_refused_and_usable(env, before, p, what):
    check(b"confirmed placement" in p.stderr, "the refusal does not name the confirmed "
          "placements: " + what, p.stderr)
    check(db_rows(env) == before, "the database changed: " + what)
    # the database still makes a round, with the confirmed placements in it
    run("round", "run", "-q", "--time-limit", "20", env=env, code=0)
    shown = run("round", "show", "2", env=env, code=0).stdout.decode()
    check(shown.count("confirmed (from round 1)") == CONFIRMED,
          "round 2 does not keep the confirmed placements: " + what, shown[:3000])


def case_import_headcount_below_confirmed_refused():
    """An import lowering a vacancy's headcount below its confirmed placements is
    refused (exit 3, nothing written), as the portal refuses it: otherwise every later
    round is infeasible (exit 4) naming the confirmed placements."""
    with tempfile.TemporaryDirectory() as d:
        env = season_with_confirmations(d)
        before = db_rows(env)
        csv_path = os.path.join(d, "v.csv")
        with open(csv_path, "w") as f:
            f.write("id,employer,site,start,end,headcount,requires_trainings\n"
                    "V0102,E01,E01-S1,2026-03-02,2026-06-12,5,food-safety\n")
        p = run("import", csv_path, env=env, code=3)
        check_refused_and_usable(env, before, p, "import")


def case_submit_withdrawal_of_confirmed_refused():
    """`vacancy submit` may not withdraw a vacancy with confirmed placements nor lower
    its headcount below them: the next round would drop the confirmed placements
    without a word and propose their workers elsewhere over the same dates (and
    `placement confirm` accepted such overlapping placements)."""
    with tempfile.TemporaryDirectory() as d:
        env = season_with_confirmations(d)
        before = db_rows(env)
        for name, vac in (("withdraw", {"id": "V0102", "employer": "E01",
                                        "status": "withdrawn"}),
                          ("headcount", {"id": "V0102", "employer": "E01",
                                         "headcount": 5})):
            path = os.path.join(d, name + ".json")
            with open(path, "w") as f:
                json.dump({"format": "circulab-offers/1", "vacancies": [vac]}, f)
            p = run("vacancy", "submit", path, env=env, code=3)
            check(db_rows(env) == before, "the database changed: submit " + name)
        check_refused_and_usable(env, before, p, "vacancy submit")


class _Feed(http.server.BaseHTTPRequestHandler):
    body = b""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


def case_feed_withdrawal_of_confirmed_refused():
    """A feed (a real HTTP server on 127.0.0.1) withdrawing one of its vacancies that
    has confirmed placements is refused and changes no vacancy."""
    offer = {"id": "VF1", "employer": "E01", "site": "E01-S1", "sector": "berries",
             "start": "2026-03-02", "end": "2026-06-12", "headcount": 20}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    url = "http://127.0.0.1:%d/offers" % server.server_address[1]

    def serve(vacancy):
        _Feed.body = json.dumps({"format": "circulab-offers/1", "next": None,
                                 "vacancies": [vacancy]}).encode()

    def first_fetch(env):
        serve(offer)
        run("source", "add", "feed", url, "--format", "native", env=env, code=0)
        run("fetch", "feed", "--retries", "0", env=env, code=0)

    try:
        with tempfile.TemporaryDirectory() as d:
            env = season_with_confirmations(d, "VF1", first_fetch)
            before = db_rows(env)
            serve({"id": "VF1", "employer": "E01", "status": "withdrawn"})
            p = run("fetch", "feed", "--retries", "0", "--unconditional", env=env)
            check(p.returncode != 0, "the fetch succeeded", p.stdout, p.stderr)
            check_refused_and_usable(env, before, p, "fetch")
    finally:
        server.shutdown()
        server.server_close()


def case_confirm_on_withdrawn_vacancy_refused():
    """A proposal whose vacancy was withdrawn after the round (allowed: nothing was
    confirmed on it yet) cannot be confirmed: the confirmed placement would be dropped
    by the next round without a word, and no later import, feed or submit could pass
    the database's check while it stands."""
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, CIRCULAB_DB=os.path.join(d, "w.db"))
        run("init", env=env, code=0)
        run("import", os.path.join(ROOT, "scenarios", "huelva-small.json"), env=env, code=0)
        run("round", "run", "-q", "--time-limit", "20", env=env, code=0)
        shown = run("round", "show", "1", env=env, code=0).stdout.decode()
        ids = [l.split()[0] for l in shown.splitlines()
               if len(l.split()) > 3 and l.split()[0].isdigit() and l.split()[2] == "V0101"]
        check(ids, "round 1 proposes nothing on V0101", shown)
        path = os.path.join(d, "withdraw.json")
        with open(path, "w") as f:
            json.dump({"format": "circulab-offers/1",
                       "vacancies": [{"id": "V0101", "employer": "E01",
                                      "status": "withdrawn"}]}, f)
        run("vacancy", "submit", path, env=env, code=0)
        p = run("placement", "confirm", ids[0], env=env, code=3)
        check(b"withdrawn" in p.stderr, "the refusal does not say why", p.stderr)
        listed = run("placement", "list", "--status", "confirmed", env=env,
                     code=0).stdout.decode()
        check("V0101" not in listed, "a placement on V0101 is confirmed", listed)


def case_undo_of_cancel_on_withdrawn_vacancy_refused():
    """`placement undo` of a cancellation makes the placement confirmed again: refused
    when its vacancy was withdrawn meanwhile (it would be dropped by the next round,
    and every later import, feed or submit would be refused while it stands)."""
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, CIRCULAB_DB=os.path.join(d, "u.db"))
        run("init", env=env, code=0)
        run("import", os.path.join(ROOT, "scenarios", "huelva-small.json"), env=env, code=0)
        run("round", "run", "-q", "--time-limit", "20", env=env, code=0)
        shown = run("round", "show", "1", env=env, code=0).stdout.decode()
        ids = [l.split()[0] for l in shown.splitlines()
               if len(l.split()) > 3 and l.split()[0].isdigit() and l.split()[2] == "V0101"]
        check(ids, "round 1 proposes nothing on V0101", shown)
        run("placement", "confirm", ids[0], env=env, code=0)
        run("placement", "cancel", ids[0], "--reason", "visa", env=env, code=0)
        path = os.path.join(d, "withdraw.json")
        with open(path, "w") as f:
            json.dump({"format": "circulab-offers/1",
                       "vacancies": [{"id": "V0101", "employer": "E01",
                                      "status": "withdrawn"}]}, f)
        run("vacancy", "submit", path, env=env, code=0)
        p = run("placement", "undo", ids[0], env=env, code=3)
        check(b"withdrawn" in p.stderr, "the refusal does not say why", p.stderr)
        listed = run("placement", "list", "--status", "cancelled", env=env,
                     code=0).stdout.decode()
        check(ids[0] in listed.split(), "the placement is no longer cancelled", listed)
        run("vacancy", "submit", path, env=env, code=0)  # later changes still pass


# ---- season renew ----------------------------------------------------------------


def case_renew_never_stores_an_id_the_reader_refuses():
    """`season renew` suffixes ids with the new year (`V1` -> `V1-2027`): a vacancy id
    of 63 bytes became one of 68, which the reader refuses, and from then on every
    `round run`, `export --all` and `import` failed (exit 3). The renewal is refused
    instead (exit 3) and the database stays usable."""
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, CIRCULAB_DB=os.path.join(d, "r.db"))
        with open(cli_data("valid.json"), encoding="utf-8") as f:
            doc = json.load(f)
        doc["vacancies"][1]["id"] = "V" + "x" * 62
        path = os.path.join(d, "long.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        run("init", env=env, code=0)
        run("import", path, env=env, code=0)
        run("season", "close", "--date", "2026-10-31", env=env, code=0)
        p = run("season", "renew", env=env, code=3)
        check(b"above 64" in p.stderr, "the refusal does not say why", p.stderr)
        run("round", "run", "-q", "--time-limit", "20", env=env, code=0)
        run("export", "--all", env=env, code=0)
        run("import", path, env=env, code=0)


def cases():
    return {name[len("case_"):]: fn for name, fn in globals().items()
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
