"""The portal's pages over plain HTTP, as a browser speaks to them but checked at the
protocol level: the security headers of every page, the cookies' attributes
(HttpOnly, SameSite=Strict), no external asset, CSRF tokens refused when missing,
wrong or another session's, isolation between two employers on every page path and
method (another employer's vacancy is "no such vacancy", 404, and stays as it was),
and a value without a mapping shown next to its field.

The same flows in a real browser are server.pages_chromium; this suite needs no
browser, so it runs wherever the server does.

Usage: test_pages_http.py CIRCULAB_PROGRAM [TEST...]"""
import html
import http.client
import os
import re
import sqlite3
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import Server, run, two_employers  # noqa: E402

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


class Session:
    """One browser's cookies against the server."""

    def __init__(self, srv):
        self.srv = srv
        self.cookies = {}

    def request(self, method, path, form=None, cookies=True):
        headers = {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if cookies and self.cookies:
            headers["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        c = http.client.HTTPConnection(self.srv.host, self.srv.port, timeout=60)
        try:
            c.request(method, path, body=body, headers=headers)
            r = c.getresponse()
            text = r.read().decode()
            hdrs = r.getheaders()
        finally:
            c.close()
        set_cookies = [v for k, v in hdrs if k.lower() == "set-cookie"]
        for sc in set_cookies:
            name, value = sc.split(";", 1)[0].split("=", 1)
            if "Max-Age=0" in sc:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return r.status, {k.lower(): v for k, v in hdrs}, set_cookies, text

    def sign_in(self, token):
        st, _, _, page = self.request("GET", "/")
        assert st == 200, st
        st, hdrs, sc, _ = self.request("POST", "/", {"csrf": csrf_of(page), "token": token})
        assert st in (302, 303) and hdrs["location"].endswith("/vacancies"), (st, hdrs)
        return sc

    def csrf(self, path="/vacancies"):
        st, _, _, page = self.request("GET", path)
        assert st == 200, (path, st)
        return csrf_of(page)


def csrf_of(page):
    m = re.search(r'name="csrf" value="([^"]+)"', page)
    assert m, page[:500]
    return m.group(1)


def vacancy_row(db, vid):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT employer_id, status, headcount, doc FROM vacancies"
                           " WHERE id = ?", (vid,)).fetchone()
    finally:
        con.close()


def security_headers(hdrs, what):
    csp = hdrs.get("content-security-policy", "")
    assert "default-src 'self'" in csp, (what, csp)
    assert hdrs.get("x-content-type-options") == "nosniff", (what, hdrs)
    assert hdrs.get("referrer-policy"), (what, hdrs)


@test
def headers_cookies_no_external_assets(tmp):
    db, t1, _ = two_employers(tmp)
    run("round", "run", db=db, check=0)
    srv = Server(db)
    try:
        b = Session(srv)
        st, hdrs, sc, page = b.request("GET", "/")
        assert st == 200 and hdrs["content-type"].startswith("text/html")
        security_headers(hdrs, "/")
        assert len(sc) == 1 and sc[0].startswith("clb_pre="), sc
        assert "HttpOnly" in sc[0] and "SameSite=Strict" in sc[0], sc
        sc = b.sign_in(t1)
        assert len(sc) == 1 and sc[0].startswith("clb_token="), sc
        assert "HttpOnly" in sc[0] and "SameSite=Strict" in sc[0] and "Path=/" in sc[0], sc
        pages = ["/vacancies", "/placements", "/vacancies/V1/edit", "/vacancies/V1/withdraw"]
        for path in pages:
            st, hdrs, _, page = b.request("GET", path)
            assert st == 200, (path, st)
            security_headers(hdrs, path)
            # every form carries the session's CSRF token
            forms = re.findall(r"<form\b.*?</form>", page, re.S)
            assert forms and all('name="csrf"' in f for f in forms), (path, forms)
            # no external asset: every src and href is a path of this server
            refs = re.findall(r'\b(?:src|href|action)="([^"]*)"', page)
            assert refs and all(r.startswith("/") and not r.startswith("//")
                                for r in refs), (path, refs)
            assert "<script" not in page, path
        st, hdrs, _, css = b.request("GET", "/style.css")
        assert st == 200 and hdrs["content-type"].startswith("text/css")
        assert "url(" not in css and "@import" not in css
        # a page of an error and an unknown page carry the headers too
        st, hdrs, _, _ = b.request("GET", "/vacancies/NOPE/edit")
        assert st == 404
        security_headers(hdrs, "404")
        # signed out: the cookie is cleared, the pages send back to the sign-in
        st, hdrs, sc, _ = b.request("POST", "/signout", {"csrf": b.csrf()})
        assert st in (302, 303) and any("Max-Age=0" in c for c in sc), (st, sc)
        st, hdrs, _, _ = b.request("GET", "/vacancies")
        assert st in (302, 303) and urllib.parse.urlparse(hdrs["location"]).path in (
            "", "/"), (st, hdrs)
    finally:
        srv.stop()
    # the request log: one line per page request, the employer named, never the token
    # the sign-in form and the cookie carried, nor a worker's name of the pages
    log = "\n".join(srv.log)
    assert re.search(r"^POST / 30[23] E1 \d+ms$", log, re.M), log
    assert re.search(r"^GET /placements 200 E1 \d+ms$", log, re.M), log
    assert t1 not in log and t1.split(".")[1] not in log and "Name of" not in log, log


@test
def csrf_refused(tmp):
    db, t1, t2 = two_employers(tmp)
    srv = Server(db)
    try:
        # sign-in without a pre-session cookie, without or with a wrong CSRF token
        anon = Session(srv)
        st, _, _, _ = anon.request("POST", "/", {"csrf": "x", "token": t1})
        assert st == 403, st
        st, _, _, page = anon.request("GET", "/")
        st, _, sc, _ = anon.request("POST", "/", {"token": t1})
        assert st == 403 and not sc, (st, sc)
        st, _, sc, _ = anon.request("POST", "/", {"csrf": csrf_of(page)[:-2] + "AA",
                                                  "token": t1})
        assert st == 403 and not sc, (st, sc)
        # another browser's sign-in form does not sign this one in
        other = Session(srv)
        st, _, _, other_page = other.request("GET", "/")
        st, _, sc, _ = anon.request("POST", "/", {"csrf": csrf_of(other_page), "token": t1})
        assert st == 403 and not sc, (st, sc)

        b1, b2 = Session(srv), Session(srv)
        b1.sign_in(t1)
        b2.sign_in(t2)
        own, foreign = b1.csrf(), b2.csrf()
        assert own != foreign
        form = {"id": "E1-C1", "site": "E1-S1", "start": "2026-03-01",
                "end": "2026-05-31", "headcount": "2"}
        for bad in (None, "", foreign, own[:-1] + ("A" if own[-1] != "A" else "B")):
            f = dict(form) if bad is None else dict(form, csrf=bad)
            st, _, _, page = b1.request("POST", "/vacancies", f)
            assert st == 403 and "reload the page" in page, (bad, st)
            st, _, _, _ = b1.request("POST", "/vacancies/V1/withdraw",
                                     {} if bad is None else {"csrf": bad})
            assert st == 403, (bad, st)
            st, _, _, _ = b1.request("POST", "/vacancies/V1/edit",
                                     dict(form, id="V1", headcount="9",
                                          **({} if bad is None else {"csrf": bad})))
            assert st == 403, (bad, st)
        assert vacancy_row(db, "E1-C1") is None
        assert vacancy_row(db, "V1")[1:3] == ("open", 3)
        # a form posted without the session cookie signs nothing in
        st, hdrs, _, _ = b1.request("POST", "/vacancies", dict(form, csrf=own),
                                    cookies=False)
        assert st in (302, 303) and vacancy_row(db, "E1-C1") is None, st
        # the right one is taken, audited as the token's employer and label
        st, _, _, _ = b1.request("POST", "/vacancies", dict(form, csrf=own))
        assert st in (302, 303) and vacancy_row(db, "E1-C1")[:3] == ("E1", "open", 2), st
        st, _, _, _ = b1.request("POST", "/vacancies/E1-C1/withdraw", {"csrf": own})
        assert st in (302, 303) and vacancy_row(db, "E1-C1")[1] == "withdrawn", st
        con = sqlite3.connect(db)
        rows = con.execute("SELECT actor, action FROM audit WHERE object = 'E1-C1' "
                           "ORDER BY id").fetchall()
        con.close()
        assert rows == [("employer:E1/office", "vacancy.submit"),
                        ("employer:E1/office", "vacancy.withdraw")], rows
    finally:
        srv.stop()


@test
def isolation_on_every_page(tmp):
    db, t1, t2 = two_employers(tmp)
    run("round", "run", db=db, check=0)
    srv = Server(db)
    try:
        b = Session(srv)
        b.sign_in(t1)
        csrf = b.csrf()
        v2 = vacancy_row(db, "V2")
        for method, path, form in (
                ("GET", "/vacancies/V2/edit", None),
                ("GET", "/vacancies/V2/withdraw", None),
                ("POST", "/vacancies/V2/withdraw", {"csrf": csrf}),
                ("POST", "/vacancies/V2/edit", {"csrf": csrf, "id": "V2", "start":
                                                "2026-03-01", "end": "2026-05-31",
                                                "headcount": "9"}),
                ("POST", "/vacancies", {"csrf": csrf, "id": "V2", "start": "2026-03-01",
                                        "end": "2026-05-31", "headcount": "9"})):
            st, _, _, page = b.request(method, path, form)
            assert st == 404 and ("no such vacancy" in page or "no vacancy" in page), \
                (method, path, st, page[-400:])
            assert "ES618" not in page and "Coop Dos" not in page, (method, path)
        assert vacancy_row(db, "V2") == v2
        # E2's prefix is E2's
        st, _, _, page = b.request("POST", "/vacancies", {
            "csrf": csrf, "id": "E2-NEW", "site": "E1-S1", "start": "2026-03-01",
            "end": "2026-05-31", "headcount": "2"})
        assert st == 422 and 'id="id-error"' in page, (st, page[-600:])
        assert vacancy_row(db, "E2-NEW") is None
        # the lists are the employer's own
        st, _, _, page = b.request("GET", "/vacancies")
        assert 'data-id="V1"' in page and 'data-id="V2"' not in page
        st, _, _, page = b.request("GET", "/placements")
        assert page.count("<td data-label=\"Vacancy\">V1</td>") == 3, page
        assert ">V2<" not in page
        # and E2 sees its own
        b2 = Session(srv)
        b2.sign_in(t2)
        st, _, _, page = b2.request("GET", "/vacancies")
        assert 'data-id="V2"' in page and 'data-id="V1"' not in page
    finally:
        srv.stop()


@test
def unmapped_value_next_to_its_field(tmp):
    db, t1, _ = two_employers(tmp)
    srv = Server(db)
    try:
        b = Session(srv)
        b.sign_in(t1)
        st, _, _, page = b.request("POST", "/vacancies", {
            "csrf": b.csrf(), "id": "E1-M1", "site": "E1-S1", "start": "2026-03-01",
            "end": "2026-05-31", "headcount": "2", "occupation": "Recolector"})
        assert st == 422, st
        m = re.search(r'id="occupation-error"[^>]*>([^<]*)<', page)
        assert m and "occupation 'Recolector' has no mapping" in html.unescape(m.group(1)), \
            page[-1500:]
        assert vacancy_row(db, "E1-M1") is None
        run("map", "add", "occupation", "Recolector", "isco:9211", db=db, check=0)
        st, _, _, page = b.request("POST", "/vacancies", {
            "csrf": b.csrf(), "id": "E1-M1", "site": "E1-S1", "start": "2026-03-01",
            "end": "2026-05-31", "headcount": "2", "occupation": "Recolector"})
        assert st in (302, 303), (st, page[-800:])
        assert '"occupation":"isco:9211"' in vacancy_row(db, "E1-M1")[3].replace(" ", "")
    finally:
        srv.stop()


if __name__ == "__main__":
    common.main(TESTS, sys.argv)
