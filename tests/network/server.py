#!/usr/bin/env python3
"""A misbehaving-on-purpose offers server for circulab's network tests.

`server.py start --state-dir D` launches the server in the background on 127.0.0.1
on a free port (written to D/port) and returns once it listens; `server.py stop
--state-dir D` stops it. ctest runs these as FIXTURES_SETUP / FIXTURES_CLEANUP.
`server.py serve --state-dir D` runs it in the foreground.

Every case is a path; stateful cases (500 then success, 429 then success) keep
their state per `k` query parameter, so each test uses a fresh key. Standard
library only.
"""
import argparse
import gzip
import json
import os
import signal
import ssl
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

TOKEN = "s3cr3t-Bearer-T0KEN-for-tests"
HITS = {}
LOCK = threading.Lock()


def hit(key):
    with LOCK:
        HITS[key] = HITS.get(key, 0) + 1
        return HITS[key]


def employer(eid, region="ES615"):
    return {"id": eid, "name": "Cooperativa " + eid, "region": region}


def vacancy(vid, eid, headcount=5, **extra):
    v = {"id": vid, "employer": eid, "sector": "berries", "occupation": "isco:9211",
         "start": "2026-02-01", "end": "2026-06-15", "headcount": headcount,
         "wage_month_eur": 1381}
    v.update(extra)
    return v


def native_page(q, page, base_path):
    """Page `page` of a native feed: ?pages=N&per=M&style=body|link|relative
    &withdraw=ID&bad=1&emp=E&prefix=P."""
    pages = int(q.get("pages", ["1"])[0])
    per = int(q.get("per", ["3"])[0])
    style = q.get("style", ["body"])[0]
    prefix = q.get("prefix", ["V"])[0]
    emp = q.get("emp", ["E1"])[0]
    withdraw = set(q.get("withdraw", []))
    vacs = []
    for i in range(per):
        vid = "%s%d-%d" % (prefix, page, i)
        v = vacancy(vid, emp, headcount=1 + (i % 7))
        if vid in withdraw:
            v["status"] = "withdrawn"
        vacs.append(v)
    if q.get("bad", ["0"])[0] == "1" and page == 1:
        vacs.append(vacancy("BAD-headcount", emp, headcount=0))
        vacs.append(dict(vacancy("BAD-key", emp), colour="red"))
        vacs.append(vacancy("BAD-employer", "NOPE"))
    doc = {"format": "circulab-offers/1", "employers": [employer(emp)], "vacancies": vacs}
    nxt = None
    if page < pages:
        params = {k: v for k, v in q.items() if k != "page"}
        qs = "&".join("%s=%s" % (k, x) for k, vs in params.items() for x in vs)
        rel = "%s?%s&page=%d" % (base_path, qs, page + 1)
        nxt = rel
    links = None
    if style == "link":
        if nxt:
            links = '<%s>; rel="next", <%s?page=1>; rel=first' % (nxt, base_path)
    elif style == "relative":
        doc["next"] = nxt
    else:
        doc["next"] = ("http://127.0.0.1:%d%s" % (PORT, nxt)) if nxt else None
    return doc, links


def jobposting(i, org_ref=None):
    jp = {"@type": "JobPosting", "identifier": "JP-%d" % i, "title": "Berry picker",
          "jobStartDate": "2026-02-01", "validThrough": "2026-06-15T23:59:59",
          "totalJobOpenings": 10 + i, "occupationalCategory": "9211",
          "skills": "picking, pruning", "industry": "berries",
          "baseSalary": {"@type": "MonetaryAmount", "currency": "EUR",
                         "value": {"@type": "QuantitativeValue", "value": 1400,
                                   "unitText": "MONTH"}},
          "jobLocation": {"@type": "Place",
                          "address": {"@type": "PostalAddress", "addressRegion": "ES615",
                                      "addressCountry": "ES"}}}
    if org_ref:
        jp["hiringOrganization"] = {"@id": org_ref}
    else:
        jp["hiringOrganization"] = {"@type": "Organization", "name": "Fresas SL",
                                    "identifier": "ORG-1"}
    return jp


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # keep the test output clean
        pass

    def send_json(self, obj, status=200, headers=None, raw=None):
        body = raw if raw is not None else json.dumps(obj).encode()
        gz = "gzip" in (self.headers.get("Accept-Encoding") or "")
        if gz and len(body) > 512:
            body = gzip.compress(body)
            hit("gzip|" + parse_qs(urlparse(self.path).query).get("k", ["-"])[0])
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if gz and raw is None and body[:2] == b"\x1f\x8b":
            self.send_header("Content-Encoding", "gzip")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        u = urlparse(self.path)
        q = parse_qs(u.query)
        path = u.path
        key = q.get("k", ["-"])[0]
        page = int(q.get("page", ["1"])[0])
        n = hit(path + "|" + key)
        if path == "/__hits":
            target = q.get("path", [""])[0] + "|" + key
            return self.send_json({"hits": HITS.get(target, 0)})
        if path == "/native":
            doc, links = native_page(q, page, path)
            return self.send_json(doc, headers={"Link": links} if links else None)
        if path == "/native-broken-page2":
            if page >= 2:
                return self.send_json({"error": "boom"}, status=500)
            doc, _ = native_page(q, page, path)
            return self.send_json(doc)
        if path == "/native-invalid-page2":
            if page >= 2:
                return self.send_json(None, raw=b'{"format": "circulab-offers/1", "vac')
            doc, _ = native_page(q, page, path)
            return self.send_json(doc)
        if path == "/native-loop":
            doc, _ = native_page({"per": ["2"]}, 1, path)
            doc["next"] = "/native-loop"
            return self.send_json(doc)
        if path == "/jp/object":
            d = jobposting(1)
            d["@context"] = "https://schema.org"
            return self.send_json(d)
        if path == "/jp/array":
            return self.send_json([jobposting(i) for i in range(3)],
                                  headers={"Content-Type": "application/ld+json"})
        if path == "/jp/itemlist":
            return self.send_json({"@context": "https://schema.org", "@type": "ItemList",
                                   "itemListElement": [
                                       {"@type": "ListItem", "position": i + 1,
                                        "item": jobposting(i)} for i in range(4)]})
        if path == "/jp/graph":
            org = {"@type": "Organization", "@id": "#org", "name": "Fresas SL",
                   "identifier": "ORG-1",
                   "address": {"@type": "PostalAddress", "addressRegion": "ES615"}}
            bad = jobposting(9, "#org")
            bad["totalJobOpenings"] = "many"
            return self.send_json({"@context": "https://schema.org",
                                   "@graph": [org] + [jobposting(i, "#org") for i in range(5)]
                                   + [bad]})
        if path == "/etag":
            etag = '"v1-%s"' % key
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            doc, _ = native_page({"per": ["2"], "prefix": ["ET"]}, 1, path)
            return self.send_json(doc, headers={"ETag": etag,
                                                "Last-Modified": "Mon, 01 Dec 2025 10:00:00 GMT"})
        if path == "/lm":
            # Last-Modified only, no ETag
            stamp = "Tue, 02 Dec 2025 08:00:00 GMT"
            if self.headers.get("If-Modified-Since") == stamp:
                self.send_response(304)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            doc, _ = native_page({"per": ["2"], "prefix": ["LM"]}, 1, path)
            return self.send_json(doc, headers={"Last-Modified": stamp})
        if path == "/429":
            if n == 1:
                return self.send_json({"error": "slow down"}, status=429,
                                      headers={"Retry-After": "1"})
            doc, _ = native_page({"per": ["2"], "prefix": ["R"]}, 1, path)
            return self.send_json(doc)
        if path == "/429long":
            # a Retry-After far beyond the client's --retry-max-ms
            if n == 1:
                return self.send_json({"error": "slow down"}, status=429,
                                      headers={"Retry-After": "3600"})
            doc, _ = native_page({"per": ["2"], "prefix": ["RL"]}, 1, path)
            return self.send_json(doc)
        if path == "/503date":
            # Retry-After as an HTTP date, 2 seconds ahead
            if n == 1:
                when = time.strftime("%a, %d %b %Y %H:%M:%S GMT",
                                     time.gmtime(time.time() + 2))
                return self.send_json({"error": "maintenance"}, status=503,
                                      headers={"Retry-After": when})
            doc, _ = native_page({"per": ["2"], "prefix": ["RD"]}, 1, path)
            return self.send_json(doc)
        if path == "/500":
            if n <= 2:
                return self.send_json({"error": "oops"}, status=500)
            doc, _ = native_page({"per": ["2"], "prefix": ["F"]}, 1, path)
            return self.send_json(doc)
        if path == "/always500":
            return self.send_json({"error": "oops"}, status=503)
        if path == "/slow":
            time.sleep(float(q.get("s", ["3"])[0]))
            doc, _ = native_page({"per": ["2"], "prefix": ["S"]}, 1, path)
            return self.send_json(doc)
        if path == "/truncated":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "5000")
            self.end_headers()
            self.wfile.write(b'{"format": "circulab-offers/1", "vacancies": [')
            self.wfile.flush()
            self.close_connection = True
            return
        if path == "/huge":
            filler = "x" * (4 << 20)
            doc, _ = native_page({"per": ["1"], "prefix": ["H"]}, 1, path)
            doc["x-filler"] = filler
            return self.send_json(doc)
        if path == "/invalid-json":
            return self.send_json(None, raw=b'{"format": "circulab-offers/1", nope}')
        if path == "/not-offers":
            return self.send_json({"hello": "world"})
        if path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop?n=%d" % n)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path == "/redirect-ok":
            self.send_response(301)
            self.send_header("Location", "/native?per=2&prefix=RD")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path == "/secure-next":
            # page 1 wants the token; page 2 lives on another origin (localhost is
            # not 127.0.0.1) and records whether the token leaked to it
            if self.headers.get("Authorization") != "Bearer " + TOKEN:
                return self.send_json({"error": "unauthorized"}, status=401)
            doc, _ = native_page({"per": ["2"], "prefix": ["SN"]}, 1, path)
            doc["next"] = "http://localhost:%d/auth-echo?k=%s" % (PORT, key)
            return self.send_json(doc)
        if path == "/auth-echo":
            if self.headers.get("Authorization"):
                hit("leak|" + key)
            doc, _ = native_page({"per": ["2"], "prefix": ["SN2"]}, 1, path)
            return self.send_json(doc)
        if path == "/secure":
            if self.headers.get("Authorization") != "Bearer " + TOKEN:
                return self.send_json({"error": "unauthorized"}, status=401,
                                      headers={"WWW-Authenticate": "Bearer"})
            doc, _ = native_page({"per": ["2"], "prefix": ["SEC"]}, 1, path)
            return self.send_json(doc)
        self.send_json({"error": "no such case"}, status=404)


PORT = 0


def start_tls(state_dir):
    """An HTTPS twin with a self-signed certificate (when openssl is available), for
    the TLS verification tests. Writes its port to STATE/tls_port."""
    cert = os.path.join(state_dir, "cert.pem")
    key = os.path.join(state_dir, "key.pem")
    try:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                        "-keyout", key, "-out", cert, "-days", "2", "-subj",
                        "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    with open(os.path.join(state_dir, "tls_port"), "w") as f:
        f.write(str(httpd.server_address[1]))
    return httpd


def serve(state_dir):
    global PORT
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    PORT = httpd.server_address[1]
    signal.signal(signal.SIGTERM, lambda *a: threading.Thread(target=httpd.shutdown).start())
    tls_port = os.path.join(state_dir, "tls_port")
    if os.path.exists(tls_port):
        os.remove(tls_port)
    start_tls(state_dir)
    tmp = os.path.join(state_dir, "port.tmp")
    with open(tmp, "w") as f:
        f.write(str(PORT))
    os.replace(tmp, os.path.join(state_dir, "port"))
    httpd.serve_forever()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("action", choices=["start", "stop", "serve"])
    ap.add_argument("--state-dir", required=True)
    a = ap.parse_args()
    os.makedirs(a.state_dir, exist_ok=True)
    port_file = os.path.join(a.state_dir, "port")
    pid_file = os.path.join(a.state_dir, "pid")
    if a.action == "serve":
        serve(a.state_dir)
        return 0
    if a.action == "start":
        if os.path.exists(port_file):
            os.remove(port_file)
        log = open(os.path.join(a.state_dir, "server.log"), "w")
        p = subprocess.Popen([sys.executable, os.path.abspath(__file__), "serve",
                              "--state-dir", a.state_dir], stdout=log, stderr=log,
                             stdin=subprocess.DEVNULL, start_new_session=True)
        with open(pid_file, "w") as f:
            f.write(str(p.pid))
        for _ in range(200):
            if os.path.exists(port_file):
                print("offers test server on 127.0.0.1:%s (pid %d)" %
                      (open(port_file).read(), p.pid))
                return 0
            if p.poll() is not None:
                break
            time.sleep(0.05)
        print("the test server did not start", file=sys.stderr)
        return 1
    if a.action == "stop":
        try:
            pid = int(open(pid_file).read())
        except (OSError, ValueError):
            return 0
        try:
            os.kill(pid, signal.SIGTERM)
            for _ in range(100):
                os.kill(pid, 0)
                time.sleep(0.05)
        except ProcessLookupError:
            pass
        for f in (pid_file, port_file):
            if os.path.exists(f):
                os.remove(f)
        return 0


if __name__ == "__main__":
    sys.exit(main())
