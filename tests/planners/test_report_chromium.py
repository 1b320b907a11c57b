#!/usr/bin/env python3
"""Render circulab's HTML report in a real headless Chromium and check it.

The report is written for a comparison (two scenarios) and for one scenario; for
each, Chromium dumps the DOM (the SVG charts must be there, with their bars) and
takes a screenshot (decoded here with the standard library only: the charts'
colours must cover a visible area), with console logging on: a page without
scripts and assets must log nothing to the console (no failed loads, no errors).

Skips (exit 77, ctest SKIP_RETURN_CODE) when Chromium is not installed: the
Debian package is `chromium`.
Usage: test_report_chromium.py --cli PATH --data DIR
"""
import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars"]

PALETTE = [(0x1f, 0x6f, 0xb4), (0xe0, 0x7b, 0x24), (0x2e, 0x9e, 0x5b), (0xb8, 0x40, 0x5e)]


def png_pixels(path):
    """(width, height, rows of RGB(A) bytes) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0, (depth, ctype)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        ftype, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def chromium(binary, tmp, *args):
    profile = tempfile.mkdtemp(prefix="profile-", dir=tmp)
    proc = subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}",
                           "--enable-logging=stderr", "--v=0", *args],
                          capture_output=True, text=True, timeout=180)
    return proc


def check_page(binary, tmp, html, min_svgs, label):
    url = "file://" + html
    dom = chromium(binary, tmp, "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    svgs = dom.stdout.count("<svg")
    bars = len(re.findall(r'<rect class="bar"', dom.stdout))
    assert svgs >= min_svgs, f"{label}: {svgs} svg elements in the DOM"
    assert bars >= 10, f"{label}: {bars} bars in the DOM"
    shot = os.path.join(tmp, label + ".png")
    proc = chromium(binary, tmp, f"--screenshot={shot}", "--window-size=1000,2600", url)
    assert proc.returncode == 0 and os.path.exists(shot), proc.stderr[-2000:]
    console = [l for l in (dom.stderr + proc.stderr).splitlines()
               if re.search(r":CONSOLE[(:]", l) or "Uncaught" in l
               or "Failed to load resource" in l]
    assert not console, f"{label}: console messages: {console[:5]}"
    width, height, bpp, rows = png_pixels(shot)
    non_white = coloured = 0
    for row in rows:
        for x in range(0, width * bpp, bpp):
            r, g, b = row[x], row[x + 1], row[x + 2]
            if r < 245 or g < 245 or b < 245:
                non_white += 1
            if any(abs(r - pr) + abs(g - pg) + abs(b - pb) < 30 for pr, pg, pb in PALETTE):
                coloured += 1
    total = width * height
    print(f"{label}: {svgs} svg, {bars} bars, {non_white}/{total} non-white pixels, "
          f"{coloured} in chart colours")
    assert non_white > total * 0.03, f"{label}: the screenshot is nearly blank"
    assert coloured > 2000, f"{label}: the charts' colours are missing"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--data", required=True)
    args = ap.parse_args()
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        print("SKIP: chromium is not installed (Debian package `chromium`)")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        cmp_html = os.path.join(tmp, "compare.html")
        one_html = os.path.join(tmp, "one.html")
        base = os.path.join(args.data, "..", "..", "..", "scenarios",
                            "reintegration-required.json")
        for out, operands in ((cmp_html, [os.path.join(args.data, "tiny.json"),
                                          os.path.join(args.data, "tiny-more-beds.json")]),
                              (one_html, [base])):
            proc = subprocess.run([args.cli, "report", "-q", "--marginal", "-o", out,
                                   *operands], capture_output=True, text=True, timeout=600)
            assert proc.returncode == 0, proc.stderr
        check_page(binary, tmp, cmp_html, 8, "comparison")
        check_page(binary, tmp, one_html, 6, "scenario")
    print("report rendered in chromium: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
