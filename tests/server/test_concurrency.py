"""The portal under load while the agency works on the same database: 200 requests
from 8 clients (4 employers; reads, submissions, replacements) while `round run`
runs twice and `import` once from the command line. No request is lost (every one is
answered 2xx and every submitted vacancy is stored, with its audit row), the
commands succeed, and `PRAGMA integrity_check` is clean. Prints the figures.

Usage: test_concurrency.py CIRCULAB_PROGRAM"""
import json
import os
import sqlite3
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
    sites = {}
    for e in emps:
        st, _, _, doc = srv.request("GET", "/api/v1/employer", token=tokens[e])
        assert st == 200
        sites[e] = doc["sites"][0]["id"]
    jobs = []
    for i in range(200):
        e = emps[i % 4]
        kind = ("get", "placements", "post", "get", "put")[i % 5]
        jobs.append((i, e, kind))
    results = {}
    lock = threading.Lock()

    def client(k):
        for i, e, kind in jobs[k::8]:
            vid = "%s-C%03d" % (e, i)
            body = {"id": vid, "site": sites[e], "start": "2026-03-01",
                    "end": "2026-06-30", "headcount": 5 + i % 5, "sector": "berries"}
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
            except Exception as ex:  # a lost request
                out = repr(ex)
            with lock:
                results[i] = (e, kind, vid, out)
            time.sleep(0.1)  # spread over the whole round run, its write included

    other = os.path.join(tmp, "more.json")
    with open(other, "w") as f:
        json.dump({"format": "circulab-scenario/1", "workers": [common.worker("WX1")],
                   "employers": [], "vacancies": []}, f)
    cli = []

    def agency():
        for args in (("round", "run"), ("import", other), ("round", "run")):
            rc, _, err = run(*args, db=db)
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
    ag.join(300)
    assert srv.stop() == 0
    failures = [r for r in results.values() if not (isinstance(r[3], int)
                                                      and 200 <= r[3] < 300)]
    print("     %d requests from 8 clients in %.2f s while round run x2 + import ran "
          "(%.2f s in all): %d failures" % (len(results), t_clients, time.time() - t0,
                                           len(failures)))
    assert len(results) == 200 and not failures, failures[:5]
    assert cli == [0, 0, 0], cli
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
    assert con.execute("SELECT count(*) FROM rounds").fetchone()[0] == 2
    con.close()


if __name__ == "__main__":
    common.main(TESTS, sys.argv)
