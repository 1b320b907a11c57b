"""The portal's pages in a real headless Chromium, driven over the W3C WebDriver HTTP
protocol (chromedriver) from the standard library: sign in with the token, add a
vacancy through the form (a bad date first: its error is shown next to the field),
see it listed with its fill, withdraw it after the confirmation, and the placements
page with names only from `confirmed` on. Every page is checked at a phone's width
(no horizontal overflow outside the scrolling tables) and a screenshot of each is
kept in the build tree.

Needs the Debian packages `chromium` and `chromium-driver`. Without them the test is
skipped (exit 77), except under CI=true or CLB_REQUIRE_TEST_TOOLS=1 (scripts/test.sh,
which installs them), where a missing browser is a failure.

Usage: test_pages_chromium.py CIRCULAB_PROGRAM SCREENSHOT_DIR"""
import base64
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import Server, run, two_employers  # noqa: E402

SKIP = 77


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Browser:
    """A chromedriver session (W3C WebDriver over HTTP)."""

    def __init__(self, driver, binary, profile):
        self.port = free_port()
        self.proc = subprocess.Popen([driver, "--port=%d" % self.port],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = "http://127.0.0.1:%d" % self.port
        for _ in range(100):
            try:
                self._call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=390,844"]
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": binary, "args": args}}}}
        self.session = self._call("POST", "/session", caps)["sessionId"]

    def _call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return json.loads(r.read())["value"]
        except urllib.error.HTTPError as e:
            raise AssertionError("webdriver %s %s: %s" % (method, path, e.read()[:500]))

    def cmd(self, method, path, body=None):
        return self._call(method, "/session/%s%s" % (self.session, path), body)

    def go(self, url):
        self.cmd("POST", "/url", {"url": url})

    def url(self):
        return self.cmd("GET", "/url")

    def wait_url(self, suffix, timeout=20):
        """Wait for a navigation a click started (a click may return before it ends)."""
        t0 = time.time()
        while not self.url().endswith(suffix):
            if time.time() - t0 > timeout:
                raise AssertionError("still at %s, expected ...%s" % (self.url(), suffix))
            time.sleep(0.05)
        self.cmd("POST", "/execute/sync", {"script": "return document.readyState;",
                                           "args": []})

    def find(self, css, timeout=10):
        t0 = time.time()
        while True:
            try:
                return self._find(css)
            except AssertionError:
                if time.time() - t0 > timeout:
                    raise
                time.sleep(0.05)

    def _find(self, css):
        el = self.cmd("POST", "/element", {"using": "css selector", "value": css})
        return list(el.values())[0]

    def finds(self, css):
        return [list(e.values())[0] for e in
                self.cmd("POST", "/elements", {"using": "css selector", "value": css})]

    def text(self, el):
        return self.cmd("GET", "/element/%s/text" % el)

    def type(self, css, value):
        el = self.find(css)
        self.cmd("POST", "/element/%s/clear" % el, {})
        self.cmd("POST", "/element/%s/value" % el, {"text": value})

    def click(self, css):
        self.cmd("POST", "/element/%s/click" % self.find(css), {})

    def script(self, js):
        return self.cmd("POST", "/execute/sync", {"script": js, "args": []})

    def screenshot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.cmd("GET", "/screenshot")))

    def close(self):
        try:
            self.cmd("DELETE", "")
        finally:
            self.proc.terminate()
            self.proc.wait(10)


def fits_phone(b):
    """No horizontal overflow at the phone's width: not the page, and not a table
    either (at a phone's width each row is a card, each cell labelled)."""
    w = b.script("return [document.documentElement.scrollWidth, window.innerWidth];")
    assert w[0] <= w[1], "page wider than the window: %s" % w
    wide = b.script("return Array.from(document.querySelectorAll('.scroll'))"
                    ".filter(e => e.scrollWidth > e.clientWidth).length;")
    assert wide == 0, "%d tables scroll sideways at a phone's width" % wide
    labels = b.script("return Array.from(document.querySelectorAll('tbody td[data-label]'))"
                      ".map(td => getComputedStyle(td, '::before').content);")
    assert all(l not in ("none", "normal", "") for l in labels), labels


def main():
    cli, shots = os.path.abspath(sys.argv[1]), sys.argv[2]
    common.CLI = cli
    os.environ["CIRCULAB_CLI"] = cli
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not binary or not driver:
        msg = "chromium and chromium-driver are needed (Debian packages)"
        if common.tools_required():
            print("FAIL: " + msg)
            return 1
        print("SKIP: " + msg)
        return SKIP
    os.makedirs(shots, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="clb-pages-")
    srv = browser = None
    try:
        db, t1, t2 = two_employers(tmp)
        run("round", "run", db=db, check=0)
        con = sqlite3.connect(db)
        pid = con.execute("SELECT min(id) FROM placements WHERE vacancy_id = 'V1'"
                          ).fetchone()[0]
        con.close()
        run("placement", "confirm", pid, db=db, check=0)
        srv = Server(db)
        browser = b = Browser(driver, binary, os.path.join(tmp, "profile"))

        # sign in: a wrong token first
        b.go(srv.url + "/")
        b.screenshot(os.path.join(shots, "1-sign-in.png"))
        fits_phone(b)
        b.type("#token", t1[:-2] + "xx")
        b.click("#signin")
        assert "unknown or revoked token" in b.text(b.find("#token-error"))
        b.type("#token", t1)
        b.click("#signin")
        b.wait_url("/vacancies")
        rows = b.finds("#vacancies tbody tr")
        assert len(rows) == 1 and "V1" in b.text(rows[0]), [b.text(r) for r in rows]
        cells = [b.text(td) for td in b.finds("#vacancies tbody tr td")]
        # two proposed, one confirmed, none departed (hidden cells read as "")
        fill = b.script("return Array.from(document.querySelectorAll("
                        "'#vacancies tbody tr td')).slice(6, 9).map(c => c.textContent);")
        assert fill == ["2", "1", "0"], (fill, cells)
        fits_phone(b)
        b.screenshot(os.path.join(shots, "2-vacancies.png"))

        # add a vacancy with a bad date: the error is next to the field
        b.type("#id", "E1-2026-07")
        b.type("#start", "2026-07-01")
        b.type("#end", "2026-07-32")
        b.type("#headcount", "4")
        b.type("#skills", "pruning, tractor")
        b.click("#save")
        err = b.text(b.find("#end-error"))
        assert "not a valid date" in err, err
        parent = b.script("return document.getElementById('end-error').parentElement"
                          ".querySelector('input').id;")
        assert parent == "end", parent
        assert b.script("return document.getElementById('start-error');") is None
        assert b.script("return document.getElementById('id').value;") == "E1-2026-07"
        fits_phone(b)
        b.script("document.getElementById('end-error').scrollIntoView({block: 'center'});")
        b.screenshot(os.path.join(shots, "3-form-error.png"))
        b.type("#end", "2026-09-30")
        b.click("#save")
        b.wait_url("/vacancies")
        row = b.find("tr[data-id='E1-2026-07']")
        assert "open" in b.text(row) and "2026-09-30" in b.text(row), b.text(row)
        con = sqlite3.connect(db)
        doc = json.loads(con.execute("SELECT doc FROM vacancies WHERE id = 'E1-2026-07'"
                                     ).fetchone()[0])
        con.close()
        assert doc["requires"]["skills"] == ["pruning", "tractor"] and doc["headcount"] == 4
        b.screenshot(os.path.join(shots, "4-vacancy-added.png"))

        # edit it
        b.go(srv.url + "/vacancies/E1-2026-07/edit")
        assert b.script("return document.getElementById('skills').value;") == \
            "pruning, tractor"
        b.type("#headcount", "6")
        b.click("#save")
        b.wait_url("/vacancies")
        assert "6" in b.text(b.find("tr[data-id='E1-2026-07']"))

        # withdraw it after the confirmation
        b.click("tr[data-id='E1-2026-07'] a.withdraw")
        b.wait_url("/withdraw")
        fits_phone(b)
        b.screenshot(os.path.join(shots, "5-withdraw-confirm.png"))
        b.click("#confirm-withdraw")
        b.wait_url("/vacancies")
        assert "withdrawn" in b.text(b.find("tr[data-id='E1-2026-07']"))
        assert not b.finds("tr[data-id='E1-2026-07'] a.withdraw")

        # placements: names only from confirmed on
        b.go(srv.url + "/placements")
        rows = [b.text(r) for r in b.finds("#placements tbody tr")]
        assert len(rows) == 3, rows
        assert sum("Name of" in r for r in rows) == 1, rows
        assert all(("confirmed" in r) == ("Name of" in r) for r in rows), rows
        fits_phone(b)
        b.screenshot(os.path.join(shots, "6-placements.png"))

        # another employer's vacancy is not there for this session
        b.go(srv.url + "/vacancies/V2/edit")
        assert "no such vacancy" in b.text(b.find("main"))

        # sign out: the pages send back to the sign-in
        b.go(srv.url + "/vacancies")
        b.click("header button")
        b.wait_url(srv.url + "/")
        b.go(srv.url + "/vacancies")
        assert b.url().rstrip("/") == srv.url, b.url()
        print("ok   pages in chromium; screenshots in %s" % shots)
        return 0
    finally:
        if browser:
            browser.close()
        if srv:
            srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
