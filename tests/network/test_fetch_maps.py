#!/usr/bin/env python3
"""Fetching offers as public job boards publish them, through the agency's mapping
tables (`circulab map`).

A real HTTP server on 127.0.0.1 (started here, in a thread, on a free port) serves a
JobPosting feed whose organisations are named without an identifier, whose
`totalJobOpenings` is the string "25", whose `addressRegion` is a province name and
whose `occupationalCategory` is "9211 Crop farm labourers". With the maps in place
the stored vacancies carry the NUTS region, the ISCO-08 code, the mapped employer and
an integer headcount, and a round runs. Without them, the fetch reports the values
that have no mapping, grouped (stderr and the fetch log), and stores none of those
offers. A native circulab-offers/1 feed is held to the same rule: an employer record
whose region is a name, a vacancy whose occupation is a text or whose employer is an
organisation's name, each without a mapping, is rejected and reported grouped, never
stored as unmatched text. The real program runs on a real database file, read back
with sqlite3.

usage: test_fetch_maps.py --cli PATH --source-dir DIR [unittest args]
"""
import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CLI = None
SRC = None
SERVER = None
FEED = None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        body = json.dumps(FEED).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def posting(jid, org_name, region, occupation="9211 Crop farm labourers", openings="25"):
    return {"@type": "JobPosting", "identifier": jid, "title": "Recolector/a de fresa",
            "jobStartDate": "2026-03-01", "validThrough": "2026-05-30",
            "totalJobOpenings": openings, "occupationalCategory": occupation,
            "industry": "berries",
            "hiringOrganization": {"@type": "Organization", "name": org_name},
            "jobLocation": {"@type": "Place",
                            "address": {"@type": "PostalAddress",
                                        "addressRegion": region,
                                        "addressCountry": "ES"}}}


def board_feed():
    return {"@context": "https://schema.org", "@graph": [
        posting("JB-1", "Fresas del Condado SAT", "Huelva"),
        posting("JB-2", "FRESAS DEL CONDADO SAT", "huelva", openings="12"),
        posting("JB-3", "Cooperativa Cartaya Berry SCA", "Huelva",
                occupation="Crop farm labourers"),
        posting("JB-4", "Fresas del Condado SAT", "Sevilla"),
        posting("JB-5", "Fresas del Condado SAT", "Sevilla"),
        posting("JB-6", "Fresas del Condado SAT", "Sevilla")]}


def native_feed():
    def vac(vid, emp, occ):
        return {"id": vid, "employer": emp, "start": "2026-03-01", "end": "2026-05-30",
                "headcount": "10", "occupation": occ, "sector": "berries",
                **({"site": "E01-S1"} if emp == "E01" else {})}
    return {"format": "circulab-offers/1",
            "employers": [{"id": "E90", "name": "Finca Sevillana", "region": "Sevilla",
                           "sites": [{"id": "E90-S1", "region": "Sevilla", "beds": 8}]}],
            "vacancies": [vac("NV-1", "E01", "Recolector de fresa"),
                          vac("NV-2", "E01", "Recolector de fresa"),
                          vac("NV-3", "E02", "Recolector de fresa"),
                          vac("NV-4", "Fresas del Condado SAT", "isco:9211"),
                          vac("NV-5", "Fresas del Condado SAT", "isco:9211"),
                          vac("NV-6", "E01", "isco:9211")]}


class FetchMaps(unittest.TestCase):
    def setUp(self):
        global FEED
        self.tmp = tempfile.TemporaryDirectory()
        self.db = os.path.join(self.tmp.name, "t.db")
        FEED = board_feed()
        self.ok("init")
        self.ok("import", os.path.join(SRC, "scenarios", "huelva-small.json"))
        self.ok("source", "add", "board",
                "http://127.0.0.1:%d/jobs" % SERVER.server_address[1])

    def tearDown(self):
        self.tmp.cleanup()

    def cli(self, *args):
        return subprocess.run([CLI] + list(args) + ["--db", self.db], capture_output=True,
                              text=True, timeout=240)

    def ok(self, *args):
        p = self.cli(*args)
        self.assertEqual(p.returncode, 0, "%s\n%s%s" % (args, p.stdout, p.stderr))
        return p

    def q(self, sql, *params):
        c = sqlite3.connect(self.db)
        try:
            return c.execute(sql, params).fetchall()
        finally:
            c.close()

    def vacancy(self, vid):
        rows = self.q("SELECT doc FROM vacancies WHERE id = ?", vid)
        return json.loads(rows[0][0]) if rows else None

    def test_mapped_feed_is_usable(self):
        self.ok("map", "add", "region", "Huelva", "ES615")
        self.ok("map", "add", "occupation", "Crop farm labourers", "isco:9211")
        self.ok("map", "add", "employer", "Fresas del Condado SAT", "E02")
        self.ok("map", "add", "employer", "Cooperativa Cartaya Berry SCA", "E05")
        p = self.ok("fetch", "board")
        # Sevilla has no mapping: its three offers are reported once, grouped
        self.assertIn("3 offers: region 'Sevilla' has no mapping", p.stderr)
        self.assertEqual(p.stderr.count("Sevilla"), 1, p.stderr)
        for vid, emp, n in (("JB-1", "E02", 25), ("JB-2", "E02", 12), ("JB-3", "E05", 25)):
            v = self.vacancy(vid)
            self.assertIsNotNone(v, vid)
            self.assertEqual(v["employer"], emp, v)
            self.assertEqual(v["occupation"], "isco:9211", v)
            self.assertEqual(v["headcount"], n, v)
            self.assertIsInstance(v["headcount"], int)
        self.assertEqual(self.vacancy("JB-1")["site"], "E02-S1")
        self.assertEqual(self.q("SELECT region FROM employers WHERE id='E05'"),
                         [("ES615",)])
        for vid in ("JB-4", "JB-5", "JB-6"):
            self.assertIsNone(self.vacancy(vid), vid)
        log = self.q("SELECT message FROM fetch_log WHERE source_id = 'board' ORDER BY id")
        self.assertIn("3 offers: region 'Sevilla' has no mapping", log[-1][0])
        self.assertIn("3 offers: region 'Sevilla' has no mapping",
                      self.ok("source", "log", "board").stdout)
        self.ok("round", "run", "--time-limit", "5")

    def test_unmapped_values_reported_and_not_stored(self):
        before = self.q("SELECT id, doc FROM employers ORDER BY id")
        p = self.cli("fetch", "board")
        self.assertIn(p.returncode, (0, 3), p.stderr)
        self.assertIn("4 offers: employer 'Fresas del Condado SAT' has no mapping",
                      p.stderr)
        self.assertIn("employer 'Cooperativa Cartaya Berry SCA' has no mapping", p.stderr)
        self.assertEqual(self.q("SELECT count(*) FROM vacancies WHERE id LIKE 'JB-%'"),
                         [(0,)])
        self.assertEqual(self.q("SELECT id, doc FROM employers ORDER BY id"), before)
        # employers mapped, regions and occupation texts not: those are named instead
        self.ok("map", "add", "employer", "Fresas del Condado SAT", "E02")
        self.ok("map", "add", "employer", "Cooperativa Cartaya Berry SCA", "E05")
        p = self.cli("fetch", "board")
        self.assertIn("2 offers: region 'Huelva' has no mapping", p.stderr)
        self.assertIn("1 offer: region 'huelva' has no mapping", p.stderr)
        self.assertIn("3 offers: region 'Sevilla' has no mapping", p.stderr)
        self.assertEqual(self.q("SELECT count(*) FROM vacancies WHERE id LIKE 'JB-%'"),
                         [(0,)])
        self.ok("map", "add", "region", "Huelva", "ES615")
        p = self.cli("fetch", "board")
        self.assertIn("1 offer: occupation 'Crop farm labourers' has no mapping", p.stderr)
        self.assertIsNone(self.vacancy("JB-3"))
        self.assertEqual(self.vacancy("JB-1")["occupation"], "isco:9211")

    def test_native_feed_unmapped_grouped_not_stored(self):
        global FEED
        FEED = native_feed()
        p = self.ok("fetch", "board")
        for line in ("board: 3 offers: occupation 'Recolector de fresa' has no mapping",
                     "board: 2 offers: employer 'Fresas del Condado SAT' has no mapping",
                     "board: 1 offer: region 'Sevilla' has no mapping"):
            self.assertIn(line, p.stderr)
        self.assertEqual(p.stderr.count("Recolector"), 1, p.stderr)
        # the one offer with only codes is stored; the others and E90 are not
        self.assertEqual(self.vacancy("NV-6")["occupation"], "isco:9211")
        self.assertEqual(self.q("SELECT id FROM vacancies WHERE id LIKE 'NV-%'"),
                         [("NV-6",)])
        self.assertEqual(self.q("SELECT count(*) FROM employers WHERE id = 'E90'"), [(0,)])
        self.assertEqual(self.q("SELECT count(*) FROM vacancies WHERE doc LIKE '%Recolector%'"
                                " OR doc LIKE '%Sevilla%'"), [(0,)])
        log = self.q("SELECT message FROM fetch_log WHERE source_id = 'board' ORDER BY id")
        self.assertIn("3 offers: occupation 'Recolector de fresa' has no mapping; ",
                      log[-1][0])
        # the mappings added, the same feed is stored whole, in codes
        self.ok("map", "add", "occupation", "Recolector de fresa", "isco:9211")
        self.ok("map", "add", "employer", "Fresas del Condado SAT", "E02")
        self.ok("map", "add", "region", "Sevilla", "ES618")
        p = self.ok("fetch", "board")
        self.assertNotIn("no mapping", p.stderr)
        self.assertEqual(self.vacancy("NV-1")["occupation"], "isco:9211")
        self.assertEqual(self.vacancy("NV-1")["headcount"], 10)
        self.assertEqual(self.vacancy("NV-4")["employer"], "E02")
        self.assertEqual(self.q("SELECT region FROM employers WHERE id = 'E90'"),
                         [("ES618",)])


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
