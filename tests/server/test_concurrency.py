"""The portal under load while the agency works on the same database: 200 requests
from 8 clients (4 employers; reads, submissions, replacements) while `round run`,
`import` and `round run` again run from the command line, and `round run` again and
again until the clients are done (so that most requests meet a command at work). No request is lost (every one is
answered 2xx and every submitted vacancy is stored, with its audit row), each
employer's lists hold only its own vacancies and placements, the commands succeed, and `PRAGMA integrity_check` is clean. Prints the figures.

Usage: test_concurrency.py CIRCULAB_PROGRAM"""
import http.client
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import Server, run  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SCENARIO = os.path.join(ROOT, "scenarios", "huelva-small.json")
TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


@test
def load_while_round_run(tmp):
    db = os.path.join(tmp, "load.db")
    run("init", db=db, check=0)
    run("import", SCENARIO, db=db, check=0)
    emps = ["E01", "E02", "E03", "E04"]
    tokens = {e: run("employer", "token", "add", e, db=db, check=0)[1].strip() for e in emps}
    srv = Server(db, "--threads", "4")
    sites, mine = {}, {}
    con = sqlite3.connect(db)
    for e in emps:
        st, _, _, doc = srv.request("GET", "/api/v1/employer", token=tokens[e])
        assert st == 200
        sites[e] = doc["sites"][0]["id"]
        mine[e] = {r[0] for r in con.execute("SELECT id FROM vacancies WHERE "
                                             "employer_id = ?", (e,))}
    con.close()
    jobs = []
    for i in range(200):
        e = emps[i % 4]
        kind = ("get", "placements", "post", "get", "put")[i % 5]
        jobs.append((i, e, kind))
    results, spans, commands = {}, {}, []
    lock = threading.Lock()

    def client(k):
        for i, e, kind in jobs[k::8]:
            vid = "%s-C%03d" % (e, i)
            body = {"id": vid, "site": sites[e], "start": "2026-03-01",
                    "end": "2026-06-30", "headcount": 5 + i % 5, "sector": "berries"}
            t_req = time.time()
            try:
                if kind == "get":
                    r = srv.request("GET", "/api/v1/vacancies", token=tokens[e])
                elif kind == "placements":
                    r = srv.request("GET", "/api/v1/placements", token=tokens[e])
                elif kind == "post":
                    r = srv.request("POST", "/api/v1/vacancies", token=tokens[e], body=body)
                else:
                    r = srv.request("PUT", "/api/v1/vacancies/" + vid, token=tokens[e],
                                    body=body)
                out = r[0]
                if kind in ("get", "placements") and out == 200:
                    # each employer sees only its own, under load too
                    rows = r[3]["vacancies" if kind == "get" else "placements"]
                    own = {v["id"] for v in rows} if kind == "get" else \
                        {p["vacancy"] for p in rows}
                    if any(not x.startswith(e) and x not in mine[e] for x in own):
                        out = "saw another employer's: %s" % sorted(own)[:5]
            except Exception as ex:  # a lost request
                out = repr(ex)
            with lock:
                results[i] = (e, kind, vid, out)
                spans[i] = (t_req, time.time())
            time.sleep(0.1)  # spread over the whole round run, its write included

    other = os.path.join(tmp, "more.json")
    with open(other, "w") as f:
        json.dump({"format": "circulab-scenario/1", "workers": [common.worker("WX1")],
                   "employers": [], "vacancies": []}, f)
    cli = []

    clients_done = threading.Event()

    def agency():
        # round run, import, round run; then round run again and again for as long
        # as the clients run, so that nearly every request meets a command at work
        plan = [("round", "run"), ("import", other), ("round", "run")]
        while plan or not clients_done.is_set():
            args = plan.pop(0) if plan else ("round", "run")
            t_cmd = time.time()
            rc, _, err = run(*args, db=db)
            commands.append((t_cmd, time.time()))
            cli.append(rc)
            if rc:
                print("     %s: %s" % (" ".join(args), err.strip()))

    t0 = time.time()
    ag = threading.Thread(target=agency)
    ag.start()
    time.sleep(0.3)  # the round is being solved / written while the clients run
    threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    t_clients = time.time() - t0
    clients_done.set()
    ag.join(300)
    assert srv.stop() == 0
    failures = [r for r in results.values() if not (isinstance(r[3], int)
                                                      and 200 <= r[3] < 300)]
    # the requests that were in flight while a command was running
    during = [i for i, (a, b) in spans.items()
              if any(a < c1 and b > c0 for c0, c1 in commands)]
    writes = [i for i in during if results[i][1] in ("post", "put")]
    print("     %d requests from 8 clients in %.2f s while %d commands ran (round run "
          "x%d, import x1; %.2f s of commands, %.2f s in all): %d failures; %d requests "
          "(%d of them writes) in flight during a command" % (
              len(results), t_clients, len(commands), len(commands) - 1,
              sum(c1 - c0 for c0, c1 in commands), time.time() - t0, len(failures),
              len(during), len(writes)))
    assert len(results) == 200 and not failures, failures[:5]
    assert len(during) >= 100 and writes, "too few requests met a command at work"
    assert set(cli) == {0} and len(cli) >= 3, cli
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for e, kind, vid, st in results.values():
        if kind in ("post", "put"):
            row = con.execute("SELECT employer_id FROM vacancies WHERE id = ?",
                              (vid,)).fetchone()
            assert row == (e,), (vid, row)
            n = con.execute("SELECT count(*) FROM audit WHERE object = ? AND actor = ?",
                            (vid, "employer:%s/%s" % (e, tokens[e].split(".")[0]))
                            ).fetchone()[0]
            assert n == 1, (vid, n)
    assert con.execute("SELECT count(*) FROM rounds").fetchone()[0] == len(cli) - 1
    con.close()


@test
def burst_of_200_at_once_during_round_run(tmp):
    """200 requests sent at the same moment, each on its own connection from the same
    address (as a reverse proxy sends them), from 4 employers (reads and new
    vacancies) while `round run` runs again and again: every one is answered 2xx,
    every vacancy is stored with its audit row, the integrity check is clean. The
    connections over --max-connections wait to be accepted; none is dropped."""
    db = os.path.join(tmp, "burst.db")
    run("init", db=db, check=0)
    run("import", SCENARIO, db=db, check=0)
    emps = ["E01", "E02", "E03", "E04"]
    tokens = {e: run("employer", "token", "add", e, db=db, check=0)[1].strip() for e in emps}
    srv = Server(db, "--threads", "4", "--max-connections", "128")
    sites = {e: srv.request("GET", "/api/v1/employer", token=tokens[e])[3]["sites"][0]["id"]
             for e in emps}
    n = 200
    results = [None] * n
    go = threading.Barrier(n + 1)
    stop = threading.Event()
    cli = []

    def agency():
        while not stop.is_set() or not cli:
            cli.append(run("round", "run", db=db)[0])

    def client(i):
        e = emps[i % 4]
        c = http.client.HTTPConnection(srv.host, srv.port, timeout=120)
        body = None
        if i % 2:
            body = json.dumps({"id": "%s-B%03d" % (e, i), "site": sites[e],
                               "start": "2026-03-01", "end": "2026-06-30",
                               "headcount": 5, "sector": "berries"}).encode()
        try:
            go.wait()
            c.request("POST" if body else "GET", "/api/v1/vacancies", body=body,
                      headers={"Authorization": "Bearer " + tokens[e],
                               "Content-Type": "application/json"})
            r = c.getresponse()
            r.read()
            results[i] = r.status
        except Exception as ex:  # a lost request
            results[i] = repr(ex)
        finally:
            c.close()

    ag = threading.Thread(target=agency)
    ag.start()
    time.sleep(0.3)  # a round is being solved or written
    threads = [threading.Thread(target=client, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    go.wait()
    t0 = time.time()
    for t in threads:
        t.join(300)
    seconds = time.time() - t0
    stop.set()
    ag.join(300)
    assert srv.stop() == 0
    lost = [(i, r) for i, r in enumerate(results) if not (isinstance(r, int) and
                                                          200 <= r < 300)]
    print("     %d requests at once (%d connections over --max-connections 128) in "
          "%.2f s during %d round runs: %d failures" % (n, n - 128, seconds, len(cli),
                                                        len(lost)))
    assert not lost, (len(lost), lost[:5])
    assert set(cli) == {0}, cli
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = con.execute("SELECT count(*) FROM vacancies WHERE id GLOB 'E0?-B*'"
                             ).fetchone()[0]
        audited = con.execute("SELECT count(DISTINCT object) FROM audit WHERE object GLOB "
                              "'E0?-B*' AND action = 'vacancy.submit'").fetchone()[0]
    finally:
        con.close()
    assert stored == audited == n // 2, (stored, audited)


@test
def backup_while_serving(tmp):
    """docs/PORTAL.md's backup command (SQLite's online backup, `sqlite3 DB .backup`)
    run while employers submit through the portal: the copy is consistent (integrity
    check clean; each vacancy it holds has its audit row, each audit row its vacancy),
    private (0600), and holds what was committed before it began."""
    if not shutil.which("sqlite3"):
        if common.tools_required():
            raise AssertionError("the backup command needs sqlite3 (Debian package sqlite3)")
        print("     skipped: no sqlite3 program")
        return
    db = os.path.join(tmp, "live.db")
    run("init", db=db, check=0)
    run("import", SCENARIO, db=db, check=0)
    token = run("employer", "token", "add", "E01", db=db, check=0)[1].strip()
    srv = Server(db)
    stop = threading.Event()
    stored, refused = [], []

    def employer():
        i = 0
        while not stop.is_set():
            vid = "E01-B%04d" % i
            st, _, _, doc = srv.request("POST", "/api/v1/vacancies", token=token, body={
                "id": vid, "site": "E01-S1", "start": "2026-03-01", "end": "2026-06-30",
                "headcount": 8, "occupation": "isco:9211"})
            if st != 201:
                refused.append((st, doc))
                return
            stored.append(vid)
            i += 1

    th = threading.Thread(target=employer)
    th.start()
    try:
        time.sleep(0.5)
        before = list(stored)
        copy = os.path.join(tmp, "backup.db")
        cmd = ("(umask 077; sqlite3 \"$DB\" \".backup '$COPY'\")")
        subprocess.run(["bash", "-c", cmd], check=True, timeout=120,
                       env=dict(os.environ, DB=db, COPY=copy))
        time.sleep(0.3)
    finally:
        stop.set()
        th.join(60)
        assert srv.stop() == 0
    assert not refused, refused[:1]
    assert stat.S_IMODE(os.stat(copy).st_mode) == 0o600, oct(os.stat(copy).st_mode)
    con = sqlite3.connect(copy)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        got = {r[0] for r in con.execute("SELECT id FROM vacancies WHERE id LIKE 'E01-B%'")}
        audited = {r[0] for r in con.execute("SELECT object FROM audit WHERE object LIKE "
                                             "'E01-B%' AND action = 'vacancy.submit'")}
    finally:
        con.close()
    assert got == audited, (len(got), len(audited))
    assert set(before) <= got <= set(stored), (len(before), len(got), len(stored))
    print("     backup while serving: %d of %d vacancies submitted were in the copy"
          % (len(got), len(stored)))


if __name__ == "__main__":
    common.main(TESTS, sys.argv)
