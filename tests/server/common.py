"""Helpers shared by the portal test scripts (label `server`): run the circulab
program, make a database with two employers, start `circulab serve` on a free port
of 127.0.0.1 and talk to it over real HTTP (standard library only)."""
import http.client
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback

CLI = os.environ.get("CIRCULAB_CLI", "circulab")


def run(*args, db=None, check=None, input=None, timeout=300):
    """Run circulab with args (and --db DB); return (rc, stdout, stderr)."""
    argv = [CLI] + [str(a) for a in args]
    if db is not None:
        argv += ["--db", db]
    env = dict(os.environ)
    env.pop("CIRCULAB_DB", None)
    p = subprocess.run(argv, capture_output=True, text=True, env=env, input=input,
                       timeout=timeout)
    if check is not None and p.returncode != check:
        raise AssertionError("%s: exit %d, expected %d\nstdout:\n%s\nstderr:\n%s"
                             % (" ".join(argv), p.returncode, check, p.stdout, p.stderr))
    return p.returncode, p.stdout, p.stderr


def write_json(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
    return path


def worker(wid, **kw):
    w = {"id": wid, "name": "Name of " + wid, "birth_date": "1990-01-01",
         "country": "MA", "region": "MA-05",
         "available": {"from": "2026-01-01", "to": "2027-12-31"}}
    w.update(kw)
    return w


def vacancy(vid, employer, start="2026-02-01", end="2026-05-31", headcount=2, **kw):
    v = {"id": vid, "employer": employer, "start": start, "end": end,
         "headcount": headcount, "sector": "berries"}
    v.update(kw)
    return v


def two_employers(tmp, workers=6):
    """A database with employers E1 (two sites) and E2, one vacancy each, some
    workers, and a token for each employer. Returns (db, token_e1, token_e2)."""
    db = os.path.join(tmp, "portal.db")
    doc = {"format": "circulab-scenario/1", "name": "portal",
           "workers": [worker("W%03d" % i) for i in range(workers)],
           "employers": [
               {"id": "E1", "name": "Finca Uno", "region": "ES615",
                "sites": [{"id": "E1-S1", "region": "ES615", "beds": 40},
                          {"id": "E1-S2", "region": "ES615"}]},
               {"id": "E2", "name": "Coop Dos", "region": "ES618"}],
           "vacancies": [vacancy("V1", "E1", site="E1-S1", headcount=3),
                         vacancy("V2", "E2", headcount=3)]}
    run("init", db=db, check=0)
    run("import", write_json(os.path.join(tmp, "s.json"), doc), db=db, check=0)
    t1 = run("employer", "token", "add", "E1", "--label", "office", db=db,
             check=0)[1].strip()
    t2 = run("employer", "token", "add", "E2", "--label", "office", db=db,
             check=0)[1].strip()
    return db, t1, t2


class Server:
    """`circulab serve` on a free port; its stderr lines are collected."""

    def __init__(self, db, *extra):
        env = dict(os.environ)
        env.pop("CIRCULAB_DB", None)
        self.proc = subprocess.Popen([CLI, "serve", "--db", db, "--listen", "127.0.0.1:0"]
                                     + list(extra), stderr=subprocess.PIPE,
                                     stdout=subprocess.DEVNULL, text=True, env=env)
        first = self.proc.stderr.readline()
        if not first.startswith("listening on http://"):
            self.proc.kill()
            raise AssertionError("serve did not start: %r %s" % (first,
                                                                 self.proc.stderr.read()))
        self.url = first.split()[-1]
        hostport = self.url.split("//", 1)[1]
        self.host, port = hostport.rsplit(":", 1)
        self.port = int(port)
        self.lines = queue.Queue()
        self.log = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.proc.stderr:
            self.log.append(line.rstrip("\n"))

    def request(self, method, path, body=None, token=None, headers=None, raw=None,
                timeout=60):
        """One request on a fresh connection: returns (status, headers dict, body bytes,
        parsed JSON or None)."""
        h = dict(headers or {})
        if token is not None:
            h["Authorization"] = "Bearer " + token
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        c = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            c.request(method, path, body=data, headers=h)
            r = c.getresponse()
            payload = r.read()
            hdrs = {k.lower(): v for k, v in r.getheaders()}
        finally:
            c.close()
        doc = None
        if hdrs.get("content-type", "").startswith("application/json") and payload:
            doc = json.loads(payload)
        return r.status, hdrs, payload, doc

    def stop(self, sig=None):
        import signal
        if self.proc.poll() is None:
            self.proc.send_signal(sig or signal.SIGTERM)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise


def tools_required():
    """True where a missing test tool (chromium, chromium-driver, curl, openssl) must
    fail the test instead of skipping it: under CI=true, and in scripts/test.sh, which
    installs them first (CLB_REQUIRE_TEST_TOOLS=1)."""
    return (os.environ.get("CI") == "true" or
            os.environ.get("CLB_REQUIRE_TEST_TOOLS") == "1")


def main(tests, argv):
    """Run the named tests (default all) each in a fresh directory; exit 1 on failure."""
    global CLI
    CLI = os.path.abspath(argv[1])
    os.environ["CIRCULAB_CLI"] = CLI
    names = set(argv[2:])
    failed = 0
    for fn in tests:
        if names and fn.__name__ not in names:
            continue
        tmp = tempfile.mkdtemp(prefix="clb-server-")
        t0 = time.time()
        try:
            fn(tmp)
            print("ok   %s (%.1f s)" % (fn.__name__, time.time() - t0), flush=True)
        except Exception:
            failed += 1
            print("FAIL %s" % fn.__name__, flush=True)
            traceback.print_exc()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(1 if failed else 0)
