"""The portal's JSON API over real HTTP (docs/PORTAL.md §8): every row of the table and
every status code, isolation between two employers on every endpoint, the audit log
of changes, reads that write nothing, limits (413, 429), revoked tokens, shutdown on
SIGTERM with a request in flight, the request log, and the OpenAPI description checked
against the shapes of the real responses of this run.

Usage: test_api.py CIRCULAB_PROGRAM [TEST...]"""
import http.client
import json
import os
import re
import signal
import socket
import sqlite3
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import Server, run, two_employers  # noqa: E402
import openapi_check  # noqa: E402

TESTS = []
SEEN = []  # (method, template, status, json) of every response, for the OpenAPI check


def test(fn):
    TESTS.append(fn)
    return fn


def call(srv, method, path, body=None, token=None, template=None, **kw):
    status, hdrs, raw, doc = srv.request(method, path, body=body, token=token, **kw)
    SEEN.append((method, template or path.replace("/api/v1", ""), status, doc, hdrs))
    return status, hdrs, doc


def vac(vid, **kw):
    v = {"id": vid, "start": "2026-03-01", "end": "2026-06-30", "headcount": 2}
    v.update(kw)
    return v


def audit_rows(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT actor, action, object FROM audit ORDER BY id").fetchall()
    finally:
        con.close()


def vacancy_row(db, vid):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT employer_id, status, headcount, site_id FROM vacancies"
                           " WHERE id = ?", (vid,)).fetchone()
    finally:
        con.close()


@test
def employer_and_vacancies_reads(tmp):
    db, t1, t2 = two_employers(tmp)
    srv = Server(db)
    try:
        st, _, doc = call(srv, "GET", "/api/v1/employer", token=t1)
        assert st == 200 and doc["id"] == "E1", doc
        assert [s["id"] for s in doc["sites"]] == ["E1-S1", "E1-S2"]
        assert doc["sites"][0]["beds"] == 40
        st, _, doc = call(srv, "GET", "/api/v1/employer", token=t2)
        assert st == 200 and doc["id"] == "E2"
        st, _, doc = call(srv, "GET", "/api/v1/vacancies", token=t1)
        assert st == 200 and doc["format"] == "circulab-offers/1"
        assert [v["id"] for v in doc["vacancies"]] == ["V1"], doc
        v = doc["vacancies"][0]
        assert v["status"] == "open" and v["x-fill"] == {"proposed": 0, "confirmed": 0,
                                                         "departed": 0}
        st, _, doc = call(srv, "GET", "/api/v1/vacancies/V1", token=t1,
                          template="/vacancies/{id}")
        assert st == 200 and doc["id"] == "V1" and doc["headcount"] == 3
    finally:
        assert srv.stop() == 0


@test
def unauthorised_is_401(tmp):
    db, t1, _ = two_employers(tmp)
    srv = Server(db)
    try:
        bad = t1[:-1] + ("A" if t1[-1] != "A" else "B")
        for path in ("/api/v1/employer", "/api/v1/vacancies", "/api/v1/placements",
                     "/api/v1/vacancies/V1"):
            for tok in (None, "nonsense", bad, t1.split(".")[0]):
                st, _, doc = call(srv, "GET", path, token=tok,
                                  template="/vacancies/{id}" if path.endswith("V1") else None)
                assert st == 401 and "error" in doc, (path, tok, st)
        st, _, doc = call(srv, "POST", "/api/v1/vacancies", body=vac("E1-X"))
        assert st == 401
        st, _, _, _ = srv.request("GET", "/api/v1/employer",
                                  headers={"Authorization": "Basic " + t1})
        assert st == 401
        assert vacancy_row(db, "E1-X") is None
    finally:
        srv.stop()


@test
def post_put_delete_and_audit(tmp):
    db, t1, t2 = two_employers(tmp)
    srv = Server(db)
    try:
        before = len(audit_rows(db))
        # one vacancy object, without employer: it is the token's employer's
        st, _, doc = call(srv, "POST", "/api/v1/vacancies", token=t1,
                          body=vac("E1-A", site="E1-S2"))
        assert st == 201 and doc == {"stored": ["E1-A"]}, (st, doc)
        assert vacancy_row(db, "E1-A") == ("E1", "open", 2, "E1-S2")
        # a circulab-offers/1 document, with the employer's own record (not written)
        d = {"format": "circulab-offers/1",
             "employers": [{"id": "E1", "region": "ES615",
                            "sites": [{"id": "E1-S1", "region": "ES615", "beds": 999}]}],
             "vacancies": [vac("E1-B", employer="E1", site="E1-S1"),
                           vac("E1-C", site="E1-S1", headcount=5)]}
        st, _, doc = call(srv, "POST", "/api/v1/vacancies", token=t1, body=d)
        assert st == 201 and doc == {"stored": ["E1-B", "E1-C"]}, (st, doc)
        st, _, emp = call(srv, "GET", "/api/v1/employer", token=t1)
        assert emp["sites"][0]["beds"] == 40 and len(emp["sites"]) == 2, emp
        # PUT: 201 new, 200 replaced
        st, _, doc = call(srv, "PUT", "/api/v1/vacancies/E1-D", token=t1,
                          body=vac("E1-D", site="E1-S1"), template="/vacancies/{id}")
        assert st == 201 and doc == {"stored": ["E1-D"]}, (st, doc)
        st, _, doc = call(srv, "PUT", "/api/v1/vacancies/E1-D", token=t1,
                          body={"start": "2026-04-01", "end": "2026-06-30", "headcount": 7,
                                "site": "E1-S1"}, template="/vacancies/{id}")
        assert st == 200 and vacancy_row(db, "E1-D")[2] == 7, (st, doc)
        st, _, doc = call(srv, "GET", "/api/v1/vacancies/E1-D", token=t1,
                          template="/vacancies/{id}")
        assert "sector" not in doc and doc["start"] == "2026-04-01", doc  # replaced whole
        # POST merges over the stored record, as `vacancy submit` does
        st, _, doc = call(srv, "POST", "/api/v1/vacancies", token=t1,
                          body={"id": "E1-C", "headcount": 6})
        assert st == 201 and vacancy_row(db, "E1-C") == ("E1", "open", 6, "E1-S1"), doc
        # an imported vacancy of the employer may be replaced too (id without prefix)
        st, _, doc = call(srv, "PUT", "/api/v1/vacancies/V1", token=t1,
                          body=vac("V1", site="E1-S1", headcount=4),
                          template="/vacancies/{id}")
        assert st == 200 and vacancy_row(db, "V1")[2] == 4
        # DELETE withdraws
        st, _, doc = call(srv, "DELETE", "/api/v1/vacancies/E1-A", token=t1,
                          template="/vacancies/{id}")
        assert st == 200 and doc == {"withdrawn": "E1-A"}
        assert vacancy_row(db, "E1-A")[1] == "withdrawn"
        st, _, doc = call(srv, "GET", "/api/v1/vacancies", token=t1)
        states = {v["id"]: v["status"] for v in doc["vacancies"]}
        assert states == {"E1-A": "withdrawn", "E1-B": "open", "E1-C": "open",
                          "E1-D": "open", "V1": "open"}, states
        # a withdrawal through a document
        st, _, doc = call(srv, "POST", "/api/v1/vacancies", token=t1,
                          body=vac("E1-B", site="E1-S1", status="withdrawn"))
        assert st == 201 and vacancy_row(db, "E1-B")[1] == "withdrawn"
        rows = audit_rows(db)[before:]
        assert all(r[0] == "employer:E1/office" for r in rows), rows
        assert [r[1:] for r in rows] == [
            ("vacancy.submit", "E1-A"), ("vacancy.submit", "E1-B"),
            ("vacancy.submit", "E1-C"), ("vacancy.submit", "E1-D"),
            ("vacancy.submit", "E1-D"), ("vacancy.submit", "E1-C"), ("vacancy.submit", "V1"),
            ("vacancy.withdraw", "E1-A"), ("vacancy.withdraw", "E1-B")], rows
    finally:
        srv.stop()


@test
def invalid_bodies_store_nothing(tmp):
    db, t1, _ = two_employers(tmp)
    srv = Server(db)
    try:
        before = audit_rows(db)
        st, _, doc = call(srv, "POST", "/api/v1/vacancies", token=t1,
                          body=vac("E1-A", end="2026-02-30", site="E1-S1"))
        assert st == 422, (st, doc)
        assert any(e["path"] == "$.end" for e in doc["errors"]), doc
        assert all(set(e) == {"path", "rule", "message"} for e in doc["errors"])
        # two sites: the site is required; and a bad headcount; all errors at once
        st, _, doc = call(srv, "POST", "/api/v1/vacancies", token=t1,
                          body={"format": "circulab-offers/1", "vacancies": [
                              vac("E1-B", site="E1-S1"), vac("E1-C", headcount=0)]})
        assert st == 422 and {e["path"] for e in doc["errors"]} >= {
            "$.vacancies[1].headcount"}, doc
        assert vacancy_row(db, "E1-B") is None  # all or nothing
        # a new id without the prefix, reported with the reader's errors
        st, _, doc = call(srv, "POST", "/api/v1/vacancies", token=t1,
                          body=vac("X1", site="E1-S1", start="2026-13-01"))
        assert st == 422, doc
        rules = {(e["path"], e["rule"]) for e in doc["errors"]}
        assert ("$.id", "portal-id") in rules and any(p == "$.start" for p, _ in rules), doc
        st, _, doc = call(srv, "POST", "/api/v1/vacancies", token=t1,
                          body=vac("X2", site="E1-S1"))
        assert st == 422 and doc["errors"][0]["rule"] == "portal-id"
        assert vacancy_row(db, "X2") is None
        # unknown keys are refused as everywhere
        st, _, doc = call(srv, "POST", "/api/v1/vacancies", token=t1,
                          body=vac("E1-K", site="E1-S1", headcont=3))
        assert st == 422 and "headcont" in json.dumps(doc)
        # PUT: one object whose id matches the path
        st, _, doc = call(srv, "PUT", "/api/v1/vacancies/E1-P", token=t1,
                          body=vac("E1-Q", site="E1-S1"), template="/vacancies/{id}")
        assert st == 422 and doc["errors"][0]["path"] == "$.id"
        st, _, doc = call(srv, "PUT", "/api/v1/vacancies/E1-P", token=t1,
                          body=[vac("E1-P")], template="/vacancies/{id}")
        assert st == 422
        # malformed JSON: 400
        st, _, _, doc = srv.request("POST", "/api/v1/vacancies", token=t1,
                                    raw=b'{"id": "E1-Z",', headers={
                                        "Content-Type": "application/json"})
        SEEN.append(("POST", "/vacancies", st, doc, {}))
        assert st == 400 and "error" in doc, (st, doc)
        assert audit_rows(db) == before
        # unknown paths and methods
        st, _, doc = call(srv, "GET", "/api/v1/nothing", token=t1)
        assert st == 404
        st, _, doc = call(srv, "PATCH", "/api/v1/vacancies", token=t1)
        assert st == 405
    finally:
        srv.stop()


@test
def isolation_between_employers(tmp):
    db, t1, t2 = two_employers(tmp)
    run("round", "run", db=db, check=0)
    srv = Server(db)
    try:
        # E2 against E1's vacancy V1 on every path and method: 404, nothing changes
        for method, body in (("GET", None), ("PUT", vac("V1")), ("DELETE", None)):
            st, _, doc = call(srv, method, "/api/v1/vacancies/V1", token=t2, body=body,
                              template="/vacancies/{id}")
            assert st == 404, (method, st, doc)
            assert "V1" not in json.dumps(doc) or method == "GET" and "no vacancy" in \
                doc["error"], doc
        # 404 also when the body names E1's vacancy
        st, _, doc = call(srv, "POST", "/api/v1/vacancies", token=t2, body=vac("V1"))
        assert st == 404, (st, doc)
        st, _, doc = call(srv, "POST", "/api/v1/vacancies", token=t2,
                          body={"format": "circulab-offers/1", "vacancies": [vac("V1")]})
        assert st == 404
        # 403 for a body naming another employer, or carrying its employer record
        st, _, doc = call(srv, "POST", "/api/v1/vacancies", token=t2,
                          body=vac("E2-N", employer="E1"))
        assert st == 403, (st, doc)
        st, _, doc = call(srv, "PUT", "/api/v1/vacancies/E2-N", token=t2,
                          body=vac("E2-N", employer="E1"), template="/vacancies/{id}")
        assert st == 403
        st, _, doc = call(srv, "POST", "/api/v1/vacancies", token=t2,
                          body={"format": "circulab-offers/1",
                                "employers": [{"id": "E1", "region": "ES615"}],
                                "vacancies": [vac("E2-N")]})
        assert st == 403
        # E2 cannot create an id with E1's prefix
        st, _, doc = call(srv, "POST", "/api/v1/vacancies", token=t2, body=vac("E1-X"))
        assert st == 422 and doc["errors"][0]["rule"] == "portal-id"
        assert vacancy_row(db, "V1") == ("E1", "open", 3, "E1-S1")
        assert vacancy_row(db, "E2-N") is None and vacancy_row(db, "E1-X") is None
        # lists and placements are each employer's own
        for tok, emp, vid in ((t1, "E1", "V1"), (t2, "E2", "V2")):
            st, _, doc = call(srv, "GET", "/api/v1/vacancies", token=tok)
            assert [v["id"] for v in doc["vacancies"]] == [vid]
            assert doc["vacancies"][0]["x-fill"]["proposed"] == 3
            st, _, doc = call(srv, "GET", "/api/v1/placements", token=tok)
            assert st == 200 and len(doc["placements"]) == 3
            assert {p["vacancy"] for p in doc["placements"]} == {vid}
            st, _, doc = call(srv, "GET", "/api/v1/employer", token=tok)
            assert doc["id"] == emp
    finally:
        srv.stop()


@test
def foreign_delete_is_404_without_the_write_lock(tmp):
    """Another employer's (or no) vacancy answers 404 from a read: it does not queue
    for the write lock that a round run or an import is holding meanwhile."""
    db, t1, t2 = two_employers(tmp)
    srv = Server(db)
    con = sqlite3.connect(db, timeout=1, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")  # a writer at work, holding the lock
        for vid in ("V1", "NOPE"):
            st, _, doc = call(srv, "DELETE", "/api/v1/vacancies/" + vid, token=t2,
                              template="/vacancies/{id}")
            assert st == 404, (vid, st, doc)  # not 503 after the busy timeout
        con.execute("ROLLBACK")
        assert vacancy_row(db, "V1")[1] == "open"
        # the owner still withdraws it once the lock is free
        st, _, doc = call(srv, "DELETE", "/api/v1/vacancies/V1", token=t1,
                          template="/vacancies/{id}")
        assert st == 200 and vacancy_row(db, "V1")[1] == "withdrawn", (st, doc)
    finally:
        con.close()
        srv.stop()


@test
def busy_database_is_503_with_retry_after(tmp):
    """A change that waits longer than --busy-timeout for another writer answers 503
    with Retry-After and changes nothing; the same request succeeds once the writer is
    done. Reads never wait."""
    db, t1, _ = two_employers(tmp)
    srv = Server(db, "--busy-timeout", "1")
    con = sqlite3.connect(db, timeout=1, isolation_level=None)
    try:
        before = audit_rows(db)
        con.execute("BEGIN IMMEDIATE")  # a round run or an import, holding the lock
        st, hdrs, doc = call(srv, "POST", "/api/v1/vacancies", token=t1,
                             body=vac("E1-BUSY", site="E1-S1"))
        assert st == 503, (st, doc)
        assert int(hdrs.get("Retry-After", hdrs.get("retry-after", "0"))) >= 1, hdrs
        assert call(srv, "GET", "/api/v1/vacancies", token=t1)[0] == 200
        con.execute("ROLLBACK")
        assert vacancy_row(db, "E1-BUSY") is None and audit_rows(db) == before
        st, _, doc = call(srv, "POST", "/api/v1/vacancies", token=t1,
                          body=vac("E1-BUSY", site="E1-S1"))
        assert st == 201, (st, doc)
    finally:
        con.close()
        srv.stop()


@test
def placements_names_from_confirmed_and_409(tmp):
    db, t1, _ = two_employers(tmp)
    run("round", "run", db=db, check=0)
    con = sqlite3.connect(db)
    ids = [r[0] for r in con.execute("SELECT id FROM placements WHERE vacancy_id = 'V1'"
                                     " ORDER BY id")]
    con.close()
    run("placement", "confirm", ids[0], ids[1], db=db, check=0)
    srv = Server(db)
    try:
        st, _, doc = call(srv, "GET", "/api/v1/placements", token=t1)
        assert st == 200
        by_id = {p["id"]: p for p in doc["placements"]}
        assert by_id[ids[0]]["state"] == "confirmed" and by_id[ids[0]]["name"].startswith(
            "Name of ")
        assert by_id[ids[2]]["state"] == "proposed" and "name" not in by_id[ids[2]]
        for p in doc["placements"]:
            assert set(p) >= {"id", "vacancy", "worker", "state", "start", "end", "site",
                              "training"}
        st, _, doc = call(srv, "GET", "/api/v1/vacancies", token=t1)
        assert doc["vacancies"][0]["x-fill"] == {"proposed": 1, "confirmed": 2,
                                                 "departed": 0}
        before = audit_rows(db)
        # headcount below the two confirmed placements: 409 with the reason
        st, _, doc = call(srv, "PUT", "/api/v1/vacancies/V1", token=t1,
                          body=vac("V1", site="E1-S1", headcount=1),
                          template="/vacancies/{id}")
        assert st == 409 and "below" in doc["error"], (st, doc)
        st, _, doc = call(srv, "DELETE", "/api/v1/vacancies/V1", token=t1,
                          template="/vacancies/{id}")
        assert st == 409 and "confirmed" in doc["error"], (st, doc)
        st, _, doc = call(srv, "POST", "/api/v1/vacancies", token=t1,
                          body=vac("V1", site="E1-S1", status="withdrawn"))
        assert st == 409
        assert vacancy_row(db, "V1") == ("E1", "open", 3, "E1-S1")
        assert audit_rows(db) == before
        # two is fine
        st, _, doc = call(srv, "PUT", "/api/v1/vacancies/V1", token=t1,
                          body=vac("V1", site="E1-S1", headcount=2),
                          template="/vacancies/{id}")
        assert st == 200
    finally:
        srv.stop()


@test
def reads_write_nothing(tmp):
    db, t1, t2 = two_employers(tmp)
    run("round", "run", db=db, check=0)
    srv = Server(db)
    try:
        time.sleep(0.2)
        con = sqlite3.connect(db)
        v0 = con.execute("PRAGMA data_version").fetchone()[0]
        n0 = con.execute("SELECT count(*) FROM audit").fetchone()[0]
        for _ in range(3):
            for tok in (t1, t2):
                for p in ("/api/v1/employer", "/api/v1/vacancies", "/api/v1/placements"):
                    assert call(srv, "GET", p, token=tok)[0] == 200
                call(srv, "GET", "/api/v1/vacancies/V1", token=tok,
                     template="/vacancies/{id}")
        # not even the day of use: a GET never writes
        assert con.execute("PRAGMA data_version").fetchone()[0] == v0
        assert con.execute("SELECT count(*) FROM audit").fetchone()[0] == n0
        lu = con.execute("SELECT last_used FROM employer_tokens").fetchall()
        assert all(r[0] is None for r in lu), lu
        # a change records the day of use of its token, and of no other
        st, _, _ = call(srv, "POST", "/api/v1/vacancies", token=t1,
                        body=vac("E1-NEW1", site="E1-S1"))
        assert st == 201, st
        lu = dict(con.execute("SELECT employer_id, last_used FROM employer_tokens"))
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", lu["E1"] or ""), lu
        assert lu["E2"] is None, lu
        con.close()
    finally:
        srv.stop()


@test
def body_limit_413(tmp):
    db, t1, _ = two_employers(tmp)
    srv = Server(db)
    try:
        # sent without a length (chunked): read up to the cap, the rest discarded
        big = b'{"id": "E1-BIG", "x-pad": "' + b"a" * (1024 * 1024) + b'"}'
        c = http.client.HTTPConnection(srv.host, srv.port, timeout=30)
        c.request("POST", "/api/v1/vacancies", body=iter([big[i:i + 65536] for i in
                                                          range(0, len(big), 65536)]),
                  headers={"Authorization": "Bearer " + t1,
                           "Content-Type": "application/json"}, encode_chunked=True)
        r = c.getresponse()
        assert r.status == 413 and "error" in json.loads(r.read()), r.status
        c.close()
        assert vacancy_row(db, "E1-BIG") is None
        # announced too big: refused before the body is sent
        s = socket.create_connection((srv.host, srv.port), timeout=10)
        s.sendall(("POST /api/v1/vacancies HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s"
                   "\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n"
                   % t1).encode())
        head = s.recv(4096).decode(errors="replace")
        s.close()
        assert head.startswith("HTTP/1.1 413"), head
        # exactly the limit is read (and judged on its content)
        pad = 1024 * 1024 - len(b'{"id": "E1-OK", "x-pad": ""}')
        ok = b'{"id": "E1-OK", "x-pad": "' + b"a" * pad + b'"}'
        assert len(ok) == 1024 * 1024
        st, _, _, doc = srv.request("POST", "/api/v1/vacancies", token=t1, raw=ok,
                                    headers={"Content-Type": "application/json"})
        assert st == 422, (st, doc)  # valid JSON, but start/end/headcount missing
    finally:
        srv.stop()


@test
def rate_limit_429_per_token(tmp):
    db, t1, t2 = two_employers(tmp)
    srv = Server(db, "--rate", "1", "--burst", "3")
    try:
        got = [call(srv, "GET", "/api/v1/employer", token=t1) for _ in range(5)]
        assert [g[0] for g in got[:3]] == [200, 200, 200], [g[0] for g in got]
        st, hdrs, doc = got[4]
        assert st == 429 and int(hdrs["retry-after"]) >= 1 and "error" in doc
        assert call(srv, "GET", "/api/v1/employer", token=t2)[0] == 200  # its own bucket
        time.sleep(int(hdrs["retry-after"]))
        assert call(srv, "GET", "/api/v1/employer", token=t1)[0] == 200
    finally:
        srv.stop()


@test
def revoked_token_refused_at_once(tmp):
    db, t1, _ = two_employers(tmp)
    srv = Server(db)
    try:
        assert call(srv, "GET", "/api/v1/employer", token=t1)[0] == 200
        run("employer", "token", "revoke", t1.split(".")[0], db=db, check=0)
        assert call(srv, "GET", "/api/v1/employer", token=t1)[0] == 401
        assert call(srv, "POST", "/api/v1/vacancies", token=t1, body=vac("E1-R"))[0] == 401
    finally:
        srv.stop()


@test
def sigterm_finishes_request_in_flight(tmp):
    """A POST waits for a writer holding the database (as `round run` would); SIGTERM
    arrives meanwhile; the POST is still answered and stored, and serve exits 0."""
    db, t1, _ = two_employers(tmp)
    srv = Server(db)
    result = {}
    con = sqlite3.connect(db, isolation_level=None, timeout=30)
    con.execute("BEGIN IMMEDIATE")
    try:
        def post():
            result["r"] = srv.request("POST", "/api/v1/vacancies", token=t1,
                                      body=vac("E1-LATE", site="E1-S1"))
        th = threading.Thread(target=post)
        th.start()
        time.sleep(0.5)
        srv.proc.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        assert th.is_alive() and srv.proc.poll() is None
    finally:
        con.execute("COMMIT")
        con.close()
    th.join(30)
    assert result["r"][0] == 201, result
    assert srv.proc.wait(30) == 0
    assert vacancy_row(db, "E1-LATE") is not None
    # SIGINT too
    srv = Server(db)
    assert srv.stop(signal.SIGINT) == 0


@test
def request_log_lines(tmp):
    db, t1, _ = two_employers(tmp)
    srv = Server(db)
    call(srv, "GET", "/api/v1/vacancies?secret=" + t1, token=t1)
    call(srv, "POST", "/api/v1/vacancies", token=t1, body=vac("E1-L", site="E1-S1"))
    call(srv, "GET", "/api/v1/placements", token="bad." + "x" * 43)
    assert srv.stop() == 0
    time.sleep(0.1)
    # one line per request (in the order requests finish, not necessarily sent)
    log = sorted(re.sub(r" \d+ms$", " Nms", line) for line in srv.log)
    assert log == ["GET /api/v1/placements 401 - Nms", "GET /api/v1/vacancies 200 E1 Nms",
                   "POST /api/v1/vacancies 201 E1 Nms"], srv.log
    text = "\n".join(log)
    assert t1 not in text and t1.split(".")[1] not in text and "Name of" not in text
    assert "2026-03-01" not in text  # no body


@test
def policy_of_the_database_applies(tmp):
    """Regression: offers were validated without the stored policy, so a headcount
    below min_offer_size was stored (by `vacancy submit` and the portal) and then
    broke the next `round run`."""
    db = os.path.join(tmp, "policy.db")
    run("init", db=db, check=0)
    run("import", common.write_json(os.path.join(tmp, "p.json"), {
        "format": "circulab-scenario/1", "policy": {"min_offer_size": 5},
        "workers": [], "employers": [{"id": "E1", "region": "ES615", "sites": [
            {"id": "E1-S1", "region": "ES615"}, {"id": "E1-S2", "region": "ES615"}]}],
        "vacancies": []}), db=db, check=0)
    t1 = run("employer", "token", "add", "E1", db=db, check=0)[1].strip()
    f = common.write_json(os.path.join(tmp, "v.json"),
                          vac("E1-SMALL", employer="E1", site="E1-S1", headcount=3))
    rc, _, err = run("vacancy", "submit", f, db=db)
    assert rc == 3 and "below min_offer_size 5" in err, (rc, err)
    assert vacancy_row(db, "E1-SMALL") is None
    srv = Server(db)
    try:
        st, _, doc = call(srv, "POST", "/api/v1/vacancies", token=t1,
                          body=vac("E1-SMALL", site="E1-S1", headcount=3))
        assert st == 422 and doc["errors"][0]["path"] == "$.headcount", doc
        st, _, doc = call(srv, "POST", "/api/v1/vacancies", token=t1,
                          body=vac("E1-BIG5", site="E1-S1", headcount=5))
        assert st == 201
    finally:
        srv.stop()
    assert vacancy_row(db, "E1-SMALL") is None


@test
def openapi_describes_real_responses(tmp):
    db, t1, t2 = two_employers(tmp)
    run("round", "run", db=db, check=0)
    con = sqlite3.connect(db)
    pid = con.execute("SELECT min(id) FROM placements WHERE vacancy_id='V1'").fetchone()[0]
    con.close()
    run("placement", "confirm", pid, db=db, check=0)
    srv = Server(db)
    try:
        st, _, spec = call(srv, "GET", "/api/v1/openapi.json")
        assert st == 200 and spec["openapi"].startswith("3.0")
        # make sure every path and method answered at least once in this run
        call(srv, "GET", "/api/v1/placements", token=t1)
        call(srv, "GET", "/api/v1/employer", token=t1)
        call(srv, "GET", "/api/v1/vacancies", token=t1)
        call(srv, "POST", "/api/v1/vacancies", token=t1, body=vac("E1-O", site="E1-S1"))
        call(srv, "PUT", "/api/v1/vacancies/E1-O", token=t1, body=vac("E1-O", site="E1-S1"),
             template="/vacancies/{id}")
        call(srv, "PUT", "/api/v1/vacancies/E1-P", token=t1, body=vac("E1-P", site="E1-S1"),
             template="/vacancies/{id}")  # 201
        call(srv, "GET", "/api/v1/vacancies/E1-O", token=t1, template="/vacancies/{id}")
        call(srv, "DELETE", "/api/v1/vacancies/E1-O", token=t1, template="/vacancies/{id}")
        # and every error status the description lists, answered here by this run
        for method, path, template in (("GET", "/api/v1/employer", None),
                                       ("GET", "/api/v1/vacancies", None),
                                       ("POST", "/api/v1/vacancies", None),
                                       ("PUT", "/api/v1/vacancies/V1", "/vacancies/{id}"),
                                       ("GET", "/api/v1/vacancies/V1", "/vacancies/{id}"),
                                       ("DELETE", "/api/v1/vacancies/V1",
                                        "/vacancies/{id}"),
                                       ("GET", "/api/v1/placements", None)):
            call(srv, method, path, token="nope." + "x" * 43, template=template,
                 body=vac("V1") if method in ("POST", "PUT") else None)  # 401
        call(srv, "POST", "/api/v1/vacancies", token=t1, raw=b'{"id": ',
             headers={"Content-Type": "application/json"}, template="/vacancies")  # 400
        call(srv, "PUT", "/api/v1/vacancies/E1-O", token=t1, raw=b'[',
             template="/vacancies/{id}")  # 400
        call(srv, "POST", "/api/v1/vacancies", token=t1, body=vac("E1-F", employer="E2"))
        call(srv, "PUT", "/api/v1/vacancies/E1-F", token=t1,
             body=vac("E1-F", employer="E2"), template="/vacancies/{id}")  # 403
        call(srv, "POST", "/api/v1/vacancies", token=t1, body=vac("V2"))  # 404
        call(srv, "PUT", "/api/v1/vacancies/V2", token=t1, body=vac("V2"),
             template="/vacancies/{id}")
        call(srv, "DELETE", "/api/v1/vacancies/V2", token=t1, template="/vacancies/{id}")
        call(srv, "GET", "/api/v1/vacancies/V2", token=t1, template="/vacancies/{id}")
        call(srv, "DELETE", "/api/v1/vacancies/V1", token=t1,
             template="/vacancies/{id}")  # 409: a confirmed placement
        call(srv, "PUT", "/api/v1/vacancies/V1", token=t1,
             body=vac("V1", site="E1-S1", status="withdrawn"), template="/vacancies/{id}")
        call(srv, "POST", "/api/v1/vacancies", token=t1,
             body=vac("V1", site="E1-S1", status="withdrawn"))
        call(srv, "POST", "/api/v1/vacancies", token=t1, body=vac("E1-I", headcount=0))
        call(srv, "PUT", "/api/v1/vacancies/E1-I", token=t1, body=vac("E1-I", headcount=0),
             template="/vacancies/{id}")  # 422
        for method, path, template in (("POST", "/api/v1/vacancies", "/vacancies"),
                                       ("PUT", "/api/v1/vacancies/E1-B",
                                        "/vacancies/{id}")):
            big = b'{"id": "E1-B", "x-pad": "' + b"a" * (1024 * 1024) + b'"}'
            c = http.client.HTTPConnection(srv.host, srv.port, timeout=30)
            c.request(method, path, body=iter([big[i:i + 65536]
                                               for i in range(0, len(big), 65536)]),
                      headers={"Authorization": "Bearer " + t1,
                               "Content-Type": "application/json"}, encode_chunked=True)
            r = c.getresponse()
            SEEN.append((method, template, r.status, json.loads(r.read()),
                         {k.lower(): v for k, v in r.getheaders()}))  # 413
            c.close()
    finally:
        srv.stop()
    srv = Server(db, "--rate", "1", "--burst", "1")
    try:
        for method, path, template, body in (
                ("GET", "/api/v1/employer", None, None),
                ("GET", "/api/v1/vacancies", None, None),
                ("POST", "/api/v1/vacancies", None, vac("E1-R", site="E1-S1")),
                ("PUT", "/api/v1/vacancies/E1-R", "/vacancies/{id}", vac("E1-R")),
                ("GET", "/api/v1/vacancies/V1", "/vacancies/{id}", None),
                ("DELETE", "/api/v1/vacancies/V1", "/vacancies/{id}", None),
                ("GET", "/api/v1/placements", None, None)):
            # one request a second: a slow machine may see one through now and then
            for _ in range(5):
                st = call(srv, method, path, token=t1, body=body, template=template)[0]
                if st == 429:
                    break
            assert st == 429, (method, path, st)
    finally:
        srv.stop()
    checked = openapi_check.check_all(spec, SEEN)
    ops = {(m, t) for m, t, s in checked}
    for op in (("GET", "/employer"), ("GET", "/vacancies"), ("POST", "/vacancies"),
               ("PUT", "/vacancies/{id}"), ("DELETE", "/vacancies/{id}"),
               ("GET", "/vacancies/{id}"), ("GET", "/placements")):
        assert op in ops, (op, ops)
    statuses = {s for _, _, s in checked}
    assert {200, 201, 400, 401, 403, 404, 409, 413, 422, 429} <= statuses, statuses
    # each operation answered each of the statuses the description lists for it (503,
    # the database busy for the whole busy timeout, aside)
    missing = [(method, path, code) for path, item in spec["paths"].items()
               for method, op in item.items() if isinstance(op, dict)
               for code in op.get("responses", {})
               if code != "503" and code.isdigit() and
               (method.upper(), path, int(code)) not in checked]
    assert not missing, missing
    print("     openapi: %d responses of %d operations checked" % (len(checked), len(ops)))


if __name__ == "__main__":
    common.main(TESTS, sys.argv)
