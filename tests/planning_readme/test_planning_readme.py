#!/usr/bin/env python3
"""The worked example of scenarios/planning/README.md is what circulab prints today.

The README is parsed, not copied: every fenced block made of `$ command` lines (with
their `\\` continuation lines) followed by the output they print is run as written,
from a copy of scenarios/ (so files the commands write land in a scratch directory),
with the program under test first on PATH as `circulab`, through bash (a `for` loop,
a pipe into `sed`, `cat FILE` run as written). The output shown must be the output
printed, line for line: standard output and standard error may interleave as on a
terminal (each stream's lines in order), CRLF is read as LF, and only the figures of
the `solve seconds` row (wall-clock time) are not compared.

The excerpt in the top-level README.md (its `scenario compare` example with `…` for
the rows left out) is checked too: each line shown must be a line of the real output,
in order.

The prose must not drift either: every number written in the planning README's text
outside the blocks (`308`, `85.1 %`, `408 104.6`, `+3 000`) must be a figure of one
of its blocks' outputs (numbers inside ids such as `MA-05` or `E01`, and the numbers
in NOT_FIGURES, are not figures).

Regenerate after a change of the solver or of the figures (then reread the prose):

    python3 tests/planning_readme/test_planning_readme.py --cli build/circulab --update

Standard library only.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLANNING = os.path.join(ROOT, "scenarios", "planning", "README.md")
TOP = os.path.join(ROOT, "README.md")
TIMEOUT = 600

# Numbers of the prose that are not figures printed by a command: the question's
# "10 %", the seasons asked for, the season's year, "one more"/"ten more" written as
# digits, and the return rates and ban of the simulation's inputs.
NOT_FIGURES = {"1", "2", "3", "10", "2026", "85", "95", "90", "75", "730", "2000",
               "3.7"}


class Failure(Exception):
    pass


def blocks(text):
    """(first line index, [lines]) of each fenced block."""
    out, cur, start = [], None, 0
    for i, line in enumerate(text.split("\n")):
        if line.startswith("```"):
            if cur is None:
                cur, start = [], i + 1
            else:
                out.append((start, cur))
                cur = None
            continue
        if cur is not None:
            cur.append(line)
    return out


def sessions(lines):
    """[(command, [expected output lines], (first, end) of the output lines)]."""
    out, i = [], 0
    while i < len(lines):
        if not lines[i].startswith("$ "):
            i += 1
            continue
        cmd = lines[i][2:]
        i += 1
        while cmd.endswith("\\") and i < len(lines):
            cmd = cmd[:-1] + " " + lines[i].strip()
            i += 1
        first = i
        while i < len(lines) and not lines[i].startswith("$ "):
            i += 1
        out.append((cmd, lines[first:i], (first, i)))
    return out


def run(cmd, cwd, cli_dir):
    env = dict(os.environ)
    env["PATH"] = cli_dir + os.pathsep + env.get("PATH", "")
    env["LC_ALL"] = "C.UTF-8"
    p = subprocess.run(["bash", "-c", cmd], cwd=cwd, env=env, capture_output=True,
                       timeout=TIMEOUT)
    if p.returncode != 0:
        raise Failure("`%s` exited %d: %s" % (cmd, p.returncode,
                                             p.stderr.decode(errors="replace")[-400:]))

    def lines(b):
        t = b.decode("utf-8").replace("\r\n", "\n")
        return t.split("\n")[:-1] if t.endswith("\n") else (t.split("\n") if t else [])

    return lines(p.stdout), lines(p.stderr)


def masked(line):
    """The line as compared: the solve seconds row without its figures."""
    if line.startswith("solve seconds"):
        return re.sub(r"\d+\.\d+", "#", line.rstrip())
    return line.rstrip()


def same_output(expected, out, err):
    """Does `expected` interleave stdout and stderr, each in order? A reason if not."""
    i = j = 0
    for k, line in enumerate(expected):
        m = masked(line)
        if i < len(out) and masked(out[i]) == m:
            i += 1
        elif j < len(err) and masked(err[j]) == m:
            j += 1
        else:
            want = out[i] if i < len(out) else (err[j] if j < len(err) else "(end)")
            return "line %d: README has\n    %r\nbut circulab printed\n    %r" % (
                k + 1, line, want)
    if i < len(out) or j < len(err):
        rest = out[i] if i < len(out) else err[j]
        return "circulab printed more than the README shows, from\n    %r" % rest
    return None


def label(line):
    """A row's label: its indentation and text up to the first run of two spaces."""
    stripped = line.lstrip(" ")
    return line[: len(line) - len(stripped)] + re.split(r"\s{2,}", stripped)[0]


def check_planning(cli_dir, update, problems):
    with open(PLANNING, encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    figures = set()
    with tempfile.TemporaryDirectory(prefix="clb-planning-") as tmp:
        work = os.path.join(tmp, "scenarios")
        shutil.copytree(os.path.join(ROOT, "scenarios"), work)
        replaced = []
        ran = 0
        for start, blk in blocks(text):
            for cmd, expected, (a, b) in sessions(blk):
                out, err = run(cmd, work, cli_dir)
                ran += 1
                for line in out + err:
                    figures.update(numbers(line, printed=True))
                why = same_output(expected, out, err)
                if why is None:
                    continue
                if update:
                    # keep the README's solve seconds row (a time, not a figure)
                    old = {masked(x): x for x in expected if x.startswith("solve seconds")}
                    new = [old.get(masked(x), x.rstrip()) for x in out + err]
                    replaced.append((start + a, start + b, new))
                else:
                    problems.append("scenarios/planning/README.md, `%s`: %s" % (cmd, why))
        if ran < 5:
            problems.append("scenarios/planning/README.md: only %d commands found" % ran)
    if update and replaced:
        for a, b, new in sorted(replaced, reverse=True):
            lines[a:b] = new
        with open(PLANNING, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        print("scenarios/planning/README.md: %d blocks regenerated" % len(replaced))
    if not update:
        check_prose(text, figures, problems)


def numbers(line, printed=False):
    """The numbers of a line, separators dropped (`408 104.6` -> `408104.6`), not
    those inside ids (`MA-05`, `E01`, `T-FEZ-PHY-02`, `2026-01-26`)."""
    out = set()
    sep = r"[ \u202f\u00a0]" if not printed else r"(?!)"
    pattern = r"(?<![\w\-/.+])[+]?(\d{1,3}(?:%s\d{3})+|\d+)(\.\d+)?(?![\w\-])" % sep
    for m in re.finditer(pattern, line):
        whole = re.sub(r"[ \u202f\u00a0]", "", m.group(1)) + (m.group(2) or "")
        out.add(whole)
    # a/b pairs of the tables count as their two numbers
    for m in re.finditer(r"(\d+)/(\d+)", line):
        out.add(m.group(1))
        out.add(m.group(2))
    if printed:
        # the differences between the cells of one row ("falls by 4 035")
        cells = [float(m.group(0)) for m in re.finditer(
            r"(?<![\w\-/.])\d+(?:\.\d+)?(?![\w\-/])", line)]
        for i in range(len(cells)):
            for j in range(i + 1, len(cells)):
                d = round(abs(cells[i] - cells[j]), 4)
                out.add(("%.4f" % d).rstrip("0").rstrip("."))
    return out


def check_prose(text, figures, problems):
    prose = []
    inside = False
    for line in text.split("\n"):
        if line.startswith("```"):
            inside = not inside
            continue
        if inside or line.startswith(("|", ">", "#")):
            continue  # blocks, the table of files, the question, headings
        line = re.sub(r"`[^`]*`", "", line)  # ids and commands
        line = re.sub(r"\[[^\]]*\]\([^)]*\)", "", line)  # links
        prose.append(line)
    for n, line in enumerate(prose):
        for num in sorted(numbers(line)):
            if num not in figures and num not in NOT_FIGURES:
                problems.append("scenarios/planning/README.md prose: %s is not a figure "
                                "printed by its commands (in: %s)" % (num, line.strip()))


def check_top(cli_dir, update, problems):
    """The excerpt of `scenario compare` in README.md: its lines, in order."""
    with open(TOP, encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    found = False
    replaced = []
    for start, blk in blocks(text):
        for cmd, expected, (a, b) in sessions(blk):
            if "circulab scenario compare" not in cmd or "planning/" not in cmd:
                continue
            found = True
            out, err = run(cmd, os.path.join(ROOT, "scenarios"), cli_dir)
            new, i = [], 0
            for k, line in enumerate(expected):
                if line.startswith("…"):
                    new.append(line)
                    continue
                j = i
                while j < len(out) and masked(out[j]) != masked(line):
                    j += 1
                if j < len(out):
                    new.append(line)
                    i = j + 1
                    continue
                # the row with the same label, for --update and the message
                j = i
                while j < len(out) and label(out[j]) != label(line):
                    j += 1
                if update and j < len(out):
                    new.append(out[j].rstrip())
                    i = j + 1
                    continue
                problems.append("README.md, `%s`: line %d\n    %r\nis not printed "
                                "(in this order)%s" % (
                                    cmd, k + 1, line,
                                    "; circulab prints\n    %r" % out[j] if j < len(out)
                                    else ""))
                break
            if update and new != expected:
                replaced.append((start + a, start + b, new))
    if not found:
        problems.append("README.md: the `scenario compare` example of planning/ is gone")
    if update and replaced:
        for a, b, new in sorted(replaced, reverse=True):
            lines[a:b] = new
        with open(TOP, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        print("README.md: the excerpt regenerated")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cli", required=True, help="the circulab program under test")
    ap.add_argument("--update", action="store_true",
                    help="rewrite the READMEs' outputs with what circulab prints")
    args = ap.parse_args()
    cli = os.path.abspath(args.cli)
    cli_dir = tempfile.mkdtemp(prefix="clb-cli-")
    try:
        os.symlink(cli, os.path.join(cli_dir, "circulab"))
        problems = []
        try:
            check_planning(cli_dir, args.update, problems)
            check_top(cli_dir, args.update, problems)
        except Failure as e:
            problems.append(str(e))
    finally:
        shutil.rmtree(cli_dir, ignore_errors=True)
    for p in problems:
        print("FAIL: " + p)
    if problems:
        print("(regenerate with --update, then reread the prose)")
        return 1
    print("ok: the worked example's outputs and figures are what circulab prints")
    return 0


if __name__ == "__main__":
    sys.exit(main())
