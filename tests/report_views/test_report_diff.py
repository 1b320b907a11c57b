#!/usr/bin/env python3
"""The report's differences between a variant and its base, read from the HTML
without a browser, on the tiny comparison of tests/planners/data: tiny-more-beds
adds a bed on S1, one unit of quota Q1 and a worker W5 from MA-05, whom the
variant places on V1 (E1). Worked out by hand: one placement added, none removed;
E1 and MA-05 +1; Q1 (at max in both plans) and Q2 (whose min of 3 MA-05 workers
the base missed by one) each match one more placement, Q2 is no longer short;
site S1 binds in both; W5 is the one worker who moved, from "not placed" to V1.
A scenario compared with itself changes nothing.

Usage: test_report_diff.py CIRCULAB_PROGRAM SOURCE_DIR"""
import os
import re
import subprocess
import sys
import tempfile


def main():
    cli, src = sys.argv[1], sys.argv[2]
    data = os.path.join(src, "tests", "planners", "data")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "r.html")
        p = subprocess.run([cli, "report", "-q", "-o", out, os.path.join(data, "tiny.json"),
                            os.path.join(data, "tiny-more-beds.json")],
                           capture_output=True, text=True, timeout=300)
        assert p.returncode == 0, p.stderr
        html = open(out, encoding="utf-8").read()
    assert "<figcaption>Fill by employer</figcaption>" in html
    sec = html[html.index('<section class="variant">'):html.index("</section>")]
    assert "+1 placements (1 added, 0 removed), +1 workers placed" in sec, sec[:600]

    def rows(caption):
        part = sec[sec.index("<figcaption>" + caption):]
        part = part[:part.index("</figure>")]
        return re.findall(r'<div class="drow([^"]*)"><span class="dlabel">(.*?)</span>.*?'
                          r'<span class="dval">(.*?)</span>', part)

    assert rows("Placements added and removed, by employer") == [("", "E1", "+1 −0")]
    assert rows("Placements added and removed, by origin region") == \
        [("", "MA-05", "+1 −0")]
    q = rows("Matching placements added and removed, by quota")
    assert q == [(" binding", 'Q1 <b class="tag">at max</b>', "+1 −0 (count +1)"),
                 ("", 'Q2 <b class="tag off">no longer short</b>', "+1 −0 (count +1)")], q
    assert re.search(r'<tr class="binding"><td data-label="limit">site S1</td>'
                     r'<td class="num" data-label="base">2/2</td>'
                     r'<td class="num" data-label="variant">3/3</td>', sec), sec
    moved = sec[sec.index("Placements that moved"):]
    assert "1 worker</h4>" in moved
    cells = re.findall(r'<td data-label="([^"]+)">(.*?)</td>', moved)
    assert cells == [("worker", "W5"),
                     ("in the base", '<span class="none">not placed</span>'),
                     ("in the variant", 'V1 <span class="emp">(E1)</span>')], cells
    # A scenario against itself: nothing moved, every difference chart says so (the
    # empty tables of differences once reached qsort with a null array: UBSan failed).
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "same.html")
        tiny = os.path.join(data, "tiny.json")
        p = subprocess.run([cli, "report", "-q", "-o", out, tiny, tiny],
                           capture_output=True, text=True, timeout=300)
        assert p.returncode == 0 and not p.stderr, p.stderr
        html = open(out, encoding="utf-8").read()
    sec = html[html.index('<section class="variant">'):html.index("</section>")]
    assert "+0 placements (0 added, 0 removed)" in sec, sec[:400]
    assert sec.count('<p class="empty">no change</p>') == 2, sec
    assert "the same placements in both plans" in sec
    print("ok   report differences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
