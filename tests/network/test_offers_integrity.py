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


def main():
    global CLI, SRC, SERVER
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--source-dir", required=True)
    args, rest = ap.parse_known_args()
    CLI = os.path.abspath(args.cli)
    SRC = os.path.abspath(args.source_dir)
    SERVER = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    SERVER.daemon_threads = True
    threading.Thread(target=SERVER.serve_forever, daemon=True).start()
    try:
        unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
    finally:
        SERVER.shutdown()


if __name__ == "__main__":
    main()
