#!/usr/bin/env python3
"""What a feed may never do to the system of record: drop what it does not send,
exhaust memory, or leak credentials.

Each case starts from a real database file (`circulab init`, often with
scenarios/huelva-small.json imported), serves pages from a real HTTP server on
127.0.0.1 (started here, in a thread, on a free port; every test registers its own
routes), runs the real program and reads the database back with Python's sqlite3.

- Merging: a JobPosting or native feed, and `vacancy submit`, update only the fields
  they carry; an employer's sites, beds and association survive, rounds and exports
  keep working.
- Memory: a huge page of `[[],[],...]` and a feed of many pages are refused or
  streamed within a bounded peak RSS (measured with wait4's ru_maxrss), a per-source
  byte cap and deadline end a fetch, and a failed fetch changes nothing.
- Credentials: URLs with user:password are refused at `source add` and in
  redirects; old databases are redacted by a migration; a bearer token over plain
  http to another host is warned about.

usage: test_offers_integrity.py --cli PATH --source-dir DIR [unittest args]
"""
import argparse
import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

CLI = None
SRC = None
SANITIZED = False  # the program is built with AddressSanitizer
ROUTES = {}
HITS = {}
SERVER = None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        u = urlparse(self.path)
        HITS[u.path] = HITS.get(u.path, 0) + 1
        route = ROUTES.get(u.path)
        if route is None:
            return self.reply(404, b'{"error": "no such page"}')
        route(self, parse_qs(u.query))

    def reply(self, status, body, headers=None, ctype="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def json(self, obj, headers=None):
        self.reply(200, json.dumps(obj).encode(), headers)


def base():
    return "http://127.0.0.1:%d" % SERVER.server_address[1]


def serve_json(obj):
    return lambda h, q: h.json(obj)


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.db = os.path.join(self.tmp.name, "t.db")
        self.outputs = []
        ROUTES.clear()
        self.run_ok("init")

    def tearDown(self):
        self.tmp.cleanup()

    def run_cli(self, *args, env=None, db=True):
        e = dict(os.environ)
        e.update(env or {})
        cmd = [CLI] + list(args) + (["--db", self.db] if db else [])
        p = subprocess.run(cmd, capture_output=True, text=True, env=e, timeout=240)
        self.outputs.append(p.stdout + p.stderr)
        return p

    def run_ok(self, *args, **kw):
        p = self.run_cli(*args, **kw)
        self.assertEqual(p.returncode, 0, "%s\n%s%s" % (args, p.stdout, p.stderr))
        return p

    def q(self, sql, *params):
        c = sqlite3.connect(self.db)
        try:
            return c.execute(sql, params).fetchall()
        finally:
            c.close()

    def doc(self, table, rid):
        rows = self.q("SELECT doc FROM %s WHERE id = ?" % table, rid)
        self.assertTrue(rows, "no %s '%s'" % (table, rid))
        return json.loads(rows[0][0])

    def import_huelva(self):
        self.run_ok("import", os.path.join(SRC, "scenarios", "huelva-small.json"))

    def snapshot(self):
        return [self.q("SELECT * FROM %s ORDER BY 1" % t)
                for t in ("employers", "sites", "vacancies", "sources")]


def jobposting(jid, org, region="ES615", openings=10, **extra):
    jp = {"@type": "JobPosting", "identifier": jid, "jobStartDate": "2026-03-01",
          "validThrough": "2026-05-30", "totalJobOpenings": openings,
          "occupationalCategory": "9211", "industry": "berries",
          "hiringOrganization": org,
          "jobLocation": {"@type": "Place", "address": {"addressRegion": region}}}
    jp.update(extra)
    return jp


# ---- item: partial records merge, they never replace ----------------------------------

class Merging(Base):
    def test_jobposting_feed_keeps_sites_beds_association(self):
        self.import_huelva()
        before = self.doc("employers", "E02")
        self.assertIn("sites", before)
        ROUTES["/jp"] = serve_json({"@context": "https://schema.org", "@graph": [
            jobposting("JP-1", {"@type": "Organization", "identifier": "E02",
                                "name": "Fresas Renamed SL"})]})
        self.run_ok("source", "add", "jp", base() + "/jp")
        self.run_ok("fetch", "jp")
        after = self.doc("employers", "E02")
        self.assertEqual(after["name"], "Fresas Renamed SL")  # what the feed carries
        for key in ("region", "association", "sites"):
            self.assertEqual(after.get(key), before.get(key), key)
        self.assertEqual(self.q("SELECT id, region, beds FROM sites WHERE employer_id='E02'"),
                         [("E02-S1", "ES615", 32)])
        self.assertEqual(self.doc("vacancies", "JP-1")["site"], "E02-S1")
        for what in ("workers", "employers", "vacancies"):
            self.run_ok("export", "--what", what)
        self.run_ok("round", "run", "--time-limit", "5")

    def test_jobposting_site_chosen_by_job_region(self):
        self.import_huelva()
        # a job region none of the employer's stored sites is in: rejected, sites kept
        ROUTES["/jp2"] = serve_json([jobposting("JP-2", {"identifier": "E01"},
                                                region="ES999")])
        self.run_ok("source", "add", "jp2", base() + "/jp2")
        p = self.run_ok("fetch", "jp2")
        self.assertIn("matches no site of employer 'E01'", p.stderr)
        self.assertEqual(self.q("SELECT count(*) FROM vacancies WHERE id='JP-2'"), [(0,)])
        self.assertEqual(len(self.doc("employers", "E01")["sites"]), 2)

    def test_native_employer_without_sites_keeps_them(self):
        self.import_huelva()
        ROUTES["/n"] = serve_json({
            "format": "circulab-offers/1",
            "employers": [{"id": "E01", "name": "Frutos Rojos (feed)", "region": "ES615"},
                          {"id": "E03", "region": "ES615",
                           "sites": [{"id": "E03-S1", "beds": 99}]}],
            "vacancies": [{"id": "NV-1", "employer": "E01", "site": "E01-S2",
                           "start": "2026-03-01", "end": "2026-05-30", "headcount": 6}]})
        self.run_ok("source", "add", "n", base() + "/n")
        self.run_ok("fetch", "n")
        e1 = self.doc("employers", "E01")
        self.assertEqual(e1["name"], "Frutos Rojos (feed)")
        self.assertEqual(e1["association"], "freshuelva")
        self.assertEqual([s["id"] for s in e1["sites"]], ["E01-S1", "E01-S2"])
        # a site the feed sends updates only the fields it carries
        self.assertEqual(self.q("SELECT id, region, beds FROM sites WHERE employer_id='E03'"),
                         [("E03-S1", "ES615", 99)])
        self.run_ok("round", "run", "--time-limit", "5")

    def test_native_partial_vacancy_update_and_withdrawal(self):
        full = {"id": "PV-1", "employer": "EP", "start": "2026-03-01", "end": "2026-05-30",
                "headcount": 6, "sector": "berries", "wage_month_eur": 1400,
                "requires": {"trainings": ["phyto-basic"], "languages": ["es"]}}
        page = {"format": "circulab-offers/1",
                "employers": [{"id": "EP", "region": "ES615", "association": "a1"}],
                "vacancies": [full]}
        ROUTES["/pv"] = lambda h, q: h.json(page)
        self.run_ok("source", "add", "pv", base() + "/pv")
        self.run_ok("fetch", "pv")
        page["employers"] = []
        page["vacancies"] = [{"id": "PV-1", "headcount": 9,
                              "requires": {"languages": ["fr"]}}]
        self.run_ok("fetch", "pv", "--unconditional")
        v = self.doc("vacancies", "PV-1")
        self.assertEqual(v["headcount"], 9)
        self.assertEqual(v["wage_month_eur"], 1400)
        self.assertEqual(v["sector"], "berries")
        self.assertEqual(v["requires"], {"trainings": ["phyto-basic"], "languages": ["fr"]})
        page["vacancies"] = [{"id": "PV-1", "status": "withdrawn"}]
        self.run_ok("fetch", "pv", "--unconditional")
        self.assertEqual(self.q("SELECT status, headcount FROM vacancies WHERE id='PV-1'"),
                         [("withdrawn", 9)])
        self.assertEqual(self.doc("employers", "EP")["association"], "a1")

    def test_vacancy_submit_keeps_sites(self):
        self.import_huelva()
        path = os.path.join(self.tmp.name, "sub.json")
        with open(path, "w") as f:
            json.dump({"format": "circulab-offers/1",
                       "employers": [{"id": "E02", "name": "Submitted Name",
                                      "region": "ES615"}],
                       "vacancies": [{"id": "SV-1", "employer": "E02", "start": "2026-03-01",
                                      "end": "2026-05-30", "headcount": 7}]}, f)
        self.run_ok("vacancy", "submit", path)
        e2 = self.doc("employers", "E02")
        self.assertEqual(e2["name"], "Submitted Name")
        self.assertEqual(e2["association"], "freshuelva")
        self.assertEqual(self.q("SELECT id, beds FROM sites WHERE employer_id='E02'"),
                         [("E02-S1", 32)])
        self.run_ok("export", "--what", "employers")


# ---- item: credentials never in urls ---------------------------------------------------

SECRET = "hunter2secret"


class Credentials(Base):
    def assert_secret_nowhere(self, secret=SECRET):
        for out in self.outputs:
            self.assertNotIn(secret, out)
        for name in os.listdir(self.tmp.name):
            if name.startswith("t.db"):
                with open(os.path.join(self.tmp.name, name), "rb") as f:
                    self.assertNotIn(secret.encode(), f.read(), name)

    def test_source_add_refuses_credentials(self):
        before = self.snapshot()
        p = self.run_cli("source", "add", "leaky",
                         "http://feeduser:%s@127.0.0.1:9/offers" % SECRET)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("credentials", p.stderr)
        self.assertIn("--token-env", p.stderr)
        p = self.run_cli("source", "add", "leaky2", "http://%s@127.0.0.1:9/offers" % SECRET)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertEqual(self.snapshot(), before)
        self.run_ok("audit")
        self.run_ok("source", "list")
        self.assert_secret_nowhere()

    def test_redirect_to_credentials_refused(self):
        ROUTES["/redir"] = lambda h, q: h.reply(
            302, b"", {"Location": "http://feeduser:%s@127.0.0.1:%d/target"
                       % (SECRET, SERVER.server_address[1])})
        ROUTES["/target"] = serve_json({"format": "circulab-offers/1", "vacancies": []})
        HITS.pop("/target", None)
        self.run_ok("source", "add", "r", base() + "/redir")
        before = self.snapshot()
        p = self.run_cli("fetch", "r", "--retries", "0")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("redirect to a url with credentials", p.stderr)
        self.assertEqual(HITS.get("/target", 0), 0)  # nothing was sent to it
        self.assertEqual(self.snapshot(), before)
        self.run_ok("source", "log")
        self.run_ok("audit")
        self.assert_secret_nowhere()

    def test_next_link_with_credentials_refused(self):
        ROUTES["/p1"] = serve_json({
            "format": "circulab-offers/1", "vacancies": [],
            "next": "http://feeduser:%s@127.0.0.1:%d/p2" % (SECRET, SERVER.server_address[1])})
        ROUTES["/p2"] = serve_json({"format": "circulab-offers/1", "vacancies": []})
        HITS.pop("/p2", None)
        self.run_ok("source", "add", "p", base() + "/p1")
        p = self.run_cli("fetch", "p")
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("carries credentials", p.stderr)
        self.assertEqual(HITS.get("/p2", 0), 0)
        self.run_ok("source", "log")
        self.assert_secret_nowhere()

    def test_migration_redacts_an_old_database(self):
        # a database written by the first released schema, where `source add`
        # accepted such a url and a failed fetch logged it
        os.remove(self.db)
        for name in os.listdir(self.tmp.name):
            if name.startswith("t.db"):
                os.remove(os.path.join(self.tmp.name, name))
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data",
                               "v1-credentials.sql")) as f:
            script = f.read()
        c = sqlite3.connect(self.db)
        c.executescript(script)
        c.close()
        self.assertEqual(self.q("PRAGMA user_version"), [(1,)])
        n_audit = self.q("SELECT count(*) FROM audit")[0][0]
        p = self.run_ok("source", "list")
        self.assertIn("http://127.0.0.1:9/offers?page=1", p.stdout)
        self.assertGreater(self.q("PRAGMA user_version")[0][0], 1)
        rows = self.q("SELECT action, detail FROM audit WHERE action = 'schema.redact'")
        self.assertEqual(len(rows), 1, rows)
        detail = json.loads(rows[0][1])
        self.assertEqual((detail["audit_entries"], detail["fetch_log_rows"],
                          detail["sources"]), (1, 1, 1))
        self.assertEqual(self.q("SELECT after FROM audit WHERE action = 'source.add'"),
                         [("http://***@127.0.0.1:9/offers?page=1",)])
        self.assertIn("http://***@127.0.0.1:9/offers?page=1",
                      self.q("SELECT message FROM fetch_log")[0][0])
        # entries are only added (one redaction note, one migration note) ...
        self.assertEqual(self.q("SELECT count(*) FROM audit")[0][0], n_audit + 2)
        # ... and the log is append-only again
        c = sqlite3.connect(self.db)
        with self.assertRaises(sqlite3.DatabaseError):
            c.execute("UPDATE audit SET actor = 'x'")
        with self.assertRaises(sqlite3.DatabaseError):
            c.execute("DELETE FROM audit")
        c.close()
        # opening again changes nothing more
        self.run_ok("audit")
        self.assertEqual(self.q("SELECT count(*) FROM audit")[0][0], n_audit + 2)
        self.run_ok("source", "log")
        self.run_cli("init")
        c = sqlite3.connect(self.db)
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        c.close()
        self.assert_secret_nowhere()

    def test_bearer_token_over_plain_http_warns(self):
        env = {"CLB_IT_TOKEN": "tok-" + SECRET}
        # 0.0.0.0 is not loopback by name, yet the connection never leaves the machine
        p = self.run_ok("source", "add", "plain", "http://0.0.0.0:1/offers",
                        "--token-env", "CLB_IT_TOKEN")
        self.assertIn("plain http", p.stderr)
        p = self.run_cli("fetch", "plain", "--retries", "0", "--connect-timeout-ms", "500",
                         env=env)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("plain http", p.stderr)
        # no warning for loopback or https, nor without a token
        for name, u in (("loop", base() + "/x"), ("tls", "https://feeds.example/x")):
            p = self.run_ok("source", "add", name, u, "--token-env", "CLB_IT_TOKEN")
            self.assertNotIn("plain http", p.stderr)
        ROUTES["/x"] = serve_json({"format": "circulab-offers/1", "vacancies": []})
        p = self.run_ok("fetch", "loop", env=env)
        self.assertNotIn("plain http", p.stderr)
        p = self.run_ok("source", "add", "notoken", "http://0.0.0.0:1/offers")
        self.assertNotIn("plain http", p.stderr)
        self.assert_secret_nowhere()


# ---- item: a fetch's memory and time are bounded ----------------------------------------

def nested_page(n):
    return ("[" + ",".join(["[]"] * n) + "]").encode()


def padded_page(page, pages, per=20, pad=100000, prefix="M"):
    doc = {"format": "circulab-offers/1",
           "employers": [{"id": "EM", "region": "ES615"}],
           "vacancies": [{"id": "%s%d-%d" % (prefix, page, i), "employer": "EM",
                          "start": "2026-03-01", "end": "2026-05-30", "headcount": 6}
                         for i in range(per)],
           "x-pad": [0] * pad,
           "next": None}
    return doc


RSS_PROBE = """
import os, sys
pid = os.fork()
if pid == 0:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


class Memory(Base):
    def fetch_rss(self, *args, env=None):
        """Run `circulab fetch ...`; return (exit code, stderr, peak RSS in MB)."""
        e = dict(os.environ)
        e.update(env or {})
        # A child's ru_maxrss counts what it inherited at fork, and this process holds
        # large pages: a small fresh interpreter forks and execs the program instead.
        with tempfile.TemporaryFile() as errf:
            p = subprocess.run([sys.executable, "-c", RSS_PROBE, CLI, "fetch"] + list(args)
                               + ["--db", self.db], stdout=subprocess.PIPE, stderr=errf,
                               env=e, timeout=300)
            errf.seek(0)
            stderr = errf.read().decode(errors="replace")
        self.outputs.append(stderr)
        rc, kb = (int(x) for x in p.stdout.split()[-2:])
        return rc, stderr, kb / 1024.0

    def serve_pages(self, path, pages, **kw):
        def route(h, q):
            n = int(q.get("page", ["1"])[0])
            doc = padded_page(n, pages, **kw)
            if n < pages:
                doc["next"] = "%s?page=%d" % (path, n + 1)
            h.json(doc)
        ROUTES[path] = route

    def test_huge_page_refused_before_parsing(self):
        body = nested_page(10300000)  # 31 MB of [[],[],...]: 1.4 GB once parsed
        ROUTES["/huge"] = lambda h, q: h.reply(200, body)
        self.run_ok("source", "add", "huge", base() + "/huge")
        before = self.snapshot()
        rc, err, rss = self.fetch_rss("huge", "--retries", "0")
        print("\n  huge page (31 MB of [[],...]): exit %d, peak RSS %.0f MB" % (rc, rss))
        self.assertEqual(rc, 3, err)
        self.assertIn("json values on one page", err)
        self.assertIn("--max-page-values", err)
        if not SANITIZED:  # AddressSanitizer keeps freed memory in quarantine
            self.assertLess(rss, 200)
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(self.q("SELECT status FROM fetch_log"), [("failed",)])

    def test_many_pages_streamed(self):
        # 30 pages of 20 offers and 150,000 padding values each: every page parsed
        # and released before the next one (keeping them all took 128 MB with 100,000)
        self.serve_pages("/many", 30, pad=150000)
        self.run_ok("source", "add", "many", base() + "/many")
        rc, err, rss = self.fetch_rss("many", "--retries", "0")
        print("\n  30 pages x 150,000 values: exit %d, peak RSS %.0f MB" % (rc, rss))
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.q("SELECT count(*) FROM vacancies WHERE source='many'"),
                         [(600,)])
        if not SANITIZED:  # AddressSanitizer keeps freed memory in quarantine
            self.assertLess(rss, 80)

    def test_page_value_cap_is_an_option(self):
        body = nested_page(5000)
        ROUTES["/small"] = lambda h, q: h.reply(200, body)
        self.run_ok("source", "add", "small", base() + "/small")
        rc, err, _ = self.fetch_rss("small", "--max-page-values", "4000")
        self.assertEqual(rc, 3, err)
        self.assertIn("5001 json values on one page, more than the 4000 allowed", err)
        # within the cap it parses; 5000 non-postings are rejected, and the list of
        # problems stops at 1000 lines
        rc, err, _ = self.fetch_rss("small")
        self.assertEqual(rc, 0, err)
        self.assertLessEqual(err.count("\n"), 1002)
        self.assertIn("4000 more problems not listed", err)

    def test_source_byte_cap_and_nothing_changes(self):
        self.serve_pages("/capped", 10)
        self.run_ok("source", "add", "capped", base() + "/capped")
        before = self.snapshot()
        rc, err, _ = self.fetch_rss("capped", "--max-source-bytes", "700000", "--retries", "0")
        self.assertEqual(rc, 1, err)
        self.assertIn("cap per source", err)
        self.assertIn("page 3", err)  # pages of ~300 kB: the third one crosses it
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(self.q("SELECT status FROM fetch_log"), [("failed",)])

    def test_failure_on_a_later_page_changes_nothing(self):
        huge = nested_page(300000)

        def route(h, q):
            if q.get("page", ["1"])[0] == "2":
                return h.reply(200, huge)
            doc = padded_page(1, 2, pad=10)
            doc["next"] = "/later?page=2"
            h.json(doc)
        ROUTES["/later"] = route
        self.run_ok("source", "add", "later", base() + "/later")
        before = self.snapshot()
        rc, err, _ = self.fetch_rss("later", "--max-page-values", "100000")
        self.assertEqual(rc, 3, err)
        self.assertIn("page 2", err)
        self.assertEqual(self.snapshot(), before)

    def test_deadline_per_source(self):
        def slow(h, q):
            n = int(q.get("page", ["1"])[0])
            time.sleep(0.4)
            doc = padded_page(n, 10 ** 6, pad=1, prefix="D")
            doc["next"] = "/slow?page=%d" % (n + 1)
            h.json(doc)
        ROUTES["/slow"] = slow
        self.run_ok("source", "add", "slow", base() + "/slow")
        before = self.snapshot()
        rc, err, _ = self.fetch_rss("slow", "--deadline-secs", "2", "--max-pages", "1000")
        self.assertEqual(rc, 1, err)
        self.assertIn("deadline of 2 s", err)
        self.assertEqual(self.snapshot(), before)

    def test_deadline_cuts_a_slow_response(self):
        def drip(h, q):
            body = json.dumps(padded_page(1, 1, pad=1)).encode()
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            try:
                for i in range(len(body)):
                    h.wfile.write(body[i:i + 1])
                    h.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                pass
        ROUTES["/drip"] = drip
        self.run_ok("source", "add", "drip", base() + "/drip")
        rc, err, _ = self.fetch_rss("drip", "--deadline-secs", "2", "--retries", "3",
                                    "--retry-base-ms", "10")
        self.assertEqual(rc, 1, err)
        self.assertIn("deadline of 2 s", err)


# ---- item: the JSON parser's own failures --------------------------------------------

class JsonParser(Base):
    def test_out_of_memory_while_parsing_is_exit_1(self):
        if SANITIZED:
            self.skipTest("an address-space limit and AddressSanitizer do not mix")
        path = os.path.join(self.tmp.name, "nested.json")
        with open(path, "wb") as f:
            f.write(nested_page(4000000))  # 12 MB of text, ~800 MB once parsed
        p = subprocess.run(["prlimit", "--as=400000000", CLI, "validate", path],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("out of memory", p.stderr)

    def test_syntax_error_names_no_text(self):
        path = os.path.join(self.tmp.name, "s.json")
        with open(path, "w") as f:
            f.write('{"format": "circulab-scenario/1", "workers": [{"id": "W1",\n'
                    ' "name": "Fatima" "Zahra Benali"}], "employers": [], "vacancies": []}')
        p = self.run_cli("validate", path, db=False)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn(":2:", p.stdout + p.stderr)
        self.assertIn("expected", p.stdout + p.stderr)
        self.assertNotIn("Zahra", p.stdout + p.stderr)
        self.assertNotIn("Benali", p.stdout + p.stderr)


def main():
    global CLI, SRC, SERVER, SANITIZED
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--source-dir", required=True)
    args, rest = ap.parse_known_args()
    CLI = os.path.abspath(args.cli)
    SRC = os.path.abspath(args.source_dir)
    with open(CLI, "rb") as f:
        SANITIZED = b"__asan_init" in f.read()
    SERVER = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    SERVER.daemon_threads = True
    threading.Thread(target=SERVER.serve_forever, daemon=True).start()
    try:
        unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
    finally:
        SERVER.shutdown()


if __name__ == "__main__":
    main()
