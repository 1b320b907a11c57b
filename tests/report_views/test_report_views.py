#!/usr/bin/env python3
"""The HTML report of a comparison in a real headless Chromium, at a desktop's and
a phone's width, driven over WebDriver with the portal tests' Browser
(tests/server/test_pages_chromium.py): the charts are there and drawn (fill by
employer and by origin region; for each variant its placements added and removed
by employer, region and quota as bars either side of zero, binding limits and
shortfalls marked; the table of the workers whose placements moved, by id), nothing
overflows horizontally at 390 px (each table a labelled card), and a screenshot of
the fill by employer and of the differences is kept at each width.

The comparison is the worked example of scenarios/planning/: huelva-small.json
against the Freshuelva allotment +10 % (which moves work from E08 to E01) and the
second Fès session; a second, tiny comparison carries --marginal for the table of
marginal values.

Needs the Debian packages `chromium` and `chromium-driver`: skipped (exit 77)
without them, except under CI=true or CLB_REQUIRE_TEST_TOOLS=1 (scripts/test.sh),
where a missing browser is a failure.
Usage: test_report_views.py CIRCULAB_PROGRAM SOURCE_DIR SCREENSHOT_DIR"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "server"))
from common import tools_required  # noqa: E402
from test_pages_chromium import Browser, fits_phone  # noqa: E402

SKIP = 77
WIDTHS = (("desktop", 1280, 900), ("phone", 390, 844))


def report(cli, out, *operands, cwd=None):
    p = subprocess.run([cli, "report", "-q", "-o", out, *operands], cwd=cwd,
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    html = open(out, encoding="utf-8").read()
    assert "<script" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""), "not self-contained"
    return html


def resize(b, width, height):
    b.cmd("POST", "/window/rect", {"width": width, "height": height})
    inner = b.script("return window.innerWidth;")
    assert abs(inner - width) <= 20, (inner, width)


def charts_inside(b):
    """Every chart drawn, and inside the window's width."""
    return b.script("""
        const w = window.innerWidth;
        const out = [];
        for (const e of document.querySelectorAll('figure.chart svg, .diverge')) {
          const r = e.getBoundingClientRect();
          if (r.width <= 0 || r.height <= 0 || r.right > w + 1 || r.left < -1)
            out.push([e.getAttribute('aria-label'), r.left, r.right, r.width, w]);
        }
        return out;""")


def check_comparison(b, url, shots, name, width):
    b.go(url)
    caps = b.script("return Array.from(document.querySelectorAll('figcaption'))"
                    ".map(f => f.textContent);")
    for want in ("Fill by employer", "Placements by origin region",
                 "Placements added and removed, by employer",
                 "Placements added and removed, by origin region",
                 "Matching placements added and removed, by quota"):
        assert any(c.startswith(want) for c in caps), (want, caps)
    # two variants: two difference sections of three charts each
    assert len(b.finds("section.variant")) == 2
    assert len(b.finds(".diverge")) == 6
    bad = charts_inside(b)
    assert not bad, "%s: charts outside the window or not drawn: %s" % (name, bad)
    # The Freshuelva variant moves work from E08 to E01: bars either side of zero,
    # drawn with a width; the allotment's quota row says it is no longer at its max.
    sec = b.finds("section.variant")[0]
    text = b.text(sec)
    assert "freshuelva-plus10" in text, text[:200]
    rows = b.script("""
        const sec = document.querySelectorAll('section.variant')[0];
        const d = sec.querySelectorAll('.diverge')[0];
        return Array.from(d.querySelectorAll('.drow')).map(r => [
          r.querySelector('.dlabel').textContent,
          r.querySelector('i.added').getBoundingClientRect().width,
          r.querySelector('i.removed').getBoundingClientRect().width]);""")
    by = {r[0]: r for r in rows}
    assert "E01" in by and "E08" in by, rows
    assert by["E01"][1] > 5 and by["E08"][2] > 5, rows
    quota_tags = b.script("""
        const sec = document.querySelectorAll('section.variant')[0];
        return Array.from(sec.querySelectorAll('.diverge')[2].querySelectorAll('.drow'))
          .map(r => [r.querySelector('.dlabel').textContent, r.className]);""")
    assert any(l.startswith("Q-FRESHUELVA") and "no longer at max" in l
               for l, _ in quota_tags), quota_tags
    assert any("binding" in c for _, c in quota_tags), quota_tags
    # the workers that moved, by id and never by name
    moved = b.finds("section.variant table.moved tbody tr")
    assert moved, "no table of moved placements"
    assert "Name" not in b.script("return document.body.textContent;")
    b.script("Array.from(document.querySelectorAll('figcaption')).find(f => "
             "f.textContent == 'Fill by employer').scrollIntoView();")
    b.screenshot(os.path.join(shots, "report-%s-fill.png" % name))
    b.script("document.getElementById('changes').scrollIntoView();")
    b.screenshot(os.path.join(shots, "report-%s-changes.png" % name))
    if width < 600:
        fits_phone(b)
    else:
        w = b.script("return [document.documentElement.scrollWidth, window.innerWidth];")
        assert w[0] <= w[1], w


def check_marginal(b, url, name, width):
    b.go(url)
    cells = b.finds("table.marginal tbody td")
    assert len(cells) >= 12, len(cells)
    if width < 600:
        fits_phone(b)
    w = b.script("return [document.documentElement.scrollWidth, window.innerWidth];")
    assert w[0] <= w[1], (name, w)


def main():
    cli, src, shots = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not binary or not driver:
        msg = "chromium and chromium-driver are needed (Debian packages)"
        if tools_required():
            print("FAIL: " + msg)
            return 1
        print("SKIP: " + msg)
        return SKIP
    os.makedirs(shots, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="clb-report-views-")
    browser = None
    try:
        scenarios = os.path.join(src, "scenarios")
        cmp_html = os.path.join(tmp, "planning.html")
        report(cli, cmp_html, "huelva-small.json", "planning/freshuelva-plus10.json",
               "planning/fez-session.json", cwd=scenarios)
        # the scenarios' names are shown as given: a long path with no place to break
        # (a checkout in /tmp/tmp.XXXXXXXXXX/src) must still fit a phone
        tiny = os.path.join(tmp, "scenarios" + "0123456789" * 5)
        os.makedirs(tiny)
        for f in ("tiny.json", "tiny-more-beds.json"):
            shutil.copy(os.path.join(src, "tests", "planners", "data", f), tiny)
        marg_html = os.path.join(tmp, "marginal.html")
        report(cli, marg_html, "--marginal", os.path.join(tiny, "tiny.json"),
               os.path.join(tiny, "tiny-more-beds.json"))
        browser = b = Browser(driver, binary, os.path.join(tmp, "profile"))
        for name, width, height in WIDTHS:
            resize(b, width, height)
            check_comparison(b, "file://" + cmp_html, shots, name, width)
            check_marginal(b, "file://" + marg_html, name, width)
            print("ok   %s (%d px)" % (name, width))
        print("screenshots in %s" % shots)
        return 0
    finally:
        if browser:
            browser.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
