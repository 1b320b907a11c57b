"""docs/AGENCY.md's "A clerk's day" cannot drift from the program: this script runs
the section's commands in order, as written, on a fresh database in a temporary copy
of docs/agency/ (the example files), and compares what each prints with the block
under it in the page. Then it checks that README.md's command tables name every
command and verb `circulab --help` lists.

The page's blocks are ```console fences. In a block, a line beginning with `$ ` is a
command (a trailing backslash continues it); the lines after it, up to the next
command, are what it prints: standard output, then standard error, then `[exit N]`
when the exit code is not 0. Commands run with CIRCULAB_DB=season.db, `circulab`
being the program under test. Before comparing, only what changes from run to run
or build to build without changing the day is replaced on both sides: UTC times
(`2026-12-05T02:30:42Z`), solve times (`solved in 0.00 s`), the schema version and
the inputs' fingerprints (`fnv1a64:...`).

Usage:
  test_clerks_day.py --cli CIRCULAB --root SOURCE_DIR day      compare (the ctest case)
  test_clerks_day.py --cli CIRCULAB --root SOURCE_DIR readme   README tables cover --help
  test_clerks_day.py --cli CIRCULAB --root SOURCE_DIR update   rewrite the page's outputs
Standard library only."""
import argparse
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

SECTION = "## A clerk's day"
NORMALISE = [
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"), "<utc>"),
    (re.compile(r"solved in \d+(\.\d+)? s"), "solved in <seconds> s"),
    (re.compile(r"schema version \d+"), "schema version <n>"),
    (re.compile(r"fnv1a64:[0-9a-f]{16}"), "fnv1a64:<fingerprint>"),
]
EXIT = re.compile(r"^\[exit (\d+)\]$")


def normalise(text):
    for rx, sub in NORMALISE:
        text = rx.sub(sub, text)
    return text


def section_bounds(doc):
    start = doc.find("\n" + SECTION + "\n")
    if start < 0:
        raise SystemExit("docs/AGENCY.md has no section '%s'" % SECTION)
    end = doc.find("\n## ", start + 1)
    return start, end if end >= 0 else len(doc)


def parse_blocks(doc):
    """[(start, end, [(command, expected_output_lines)])] of the section's console
    blocks; start/end are the offsets of the block's body in doc."""
    lo, hi = section_bounds(doc)
    blocks = []
    for m in re.finditer(r"```console\n(.*?)```", doc[lo:hi], re.S):
        cmds, cur = [], None
        lines = m.group(1).split("\n")[:-1]
        i = 0
        while i < len(lines):
            line = lines[i]
            if line.startswith("$ "):
                text = line[2:]
                while text.endswith("\\") and i + 1 < len(lines):
                    i += 1
                    text = text[:-1] + " " + lines[i].strip()
                cur = (text, [])
                cmds.append(cur)
            elif cur is None:
                raise SystemExit("docs/AGENCY.md: a console block must begin with '$ '")
            else:
                cur[1].append(line)
            i += 1
        blocks.append((lo + m.start(1), lo + m.end(1), cmds))
    if not blocks:
        raise SystemExit("docs/AGENCY.md: no ```console block in '%s'" % SECTION)
    return blocks


def run_command(cli, text, cwd):
    argv = shlex.split(text)
    if argv[0] != "circulab":
        raise SystemExit("docs/AGENCY.md: only circulab commands may run: %s" % text)
    env = dict(os.environ)
    env["CIRCULAB_DB"] = "season.db"
    env.pop("CIRCULAB_BY", None)
    p = subprocess.run([cli] + argv[1:], cwd=cwd, env=env, capture_output=True,
                       text=True, timeout=300)
    out = p.stdout + p.stderr
    lines = out.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if p.returncode:
        lines.append("[exit %d]" % p.returncode)
    return lines


def fresh_dir(root):
    tmp = tempfile.mkdtemp(prefix="clerks-day-")
    src = os.path.join(root, "docs", "agency")
    for name in sorted(os.listdir(src)):
        shutil.copy(os.path.join(src, name), tmp)
    return tmp


def day(cli, root, update):
    path = os.path.join(root, "docs", "AGENCY.md")
    doc = open(path, encoding="utf-8").read()
    blocks = parse_blocks(doc)
    tmp = fresh_dir(root)
    failures, n = 0, 0
    pieces, at = [], 0
    for start, end, cmds in blocks:
        body = []
        for text, want in cmds:
            got = run_command(cli, text, tmp)
            n += 1
            if normalise("\n".join(got)) != normalise("\n".join(want)):
                failures += 1
                if not update:
                    print("FAIL: $ %s" % text)
                    sys.stdout.writelines(difflib.unified_diff(
                        [l + "\n" for l in want], [l + "\n" for l in got],
                        "docs/AGENCY.md", "circulab"))
            body.append("$ " + text)
            body.extend(got)
        pieces.append(doc[at:start])
        pieces.append("\n".join(body) + "\n")
        at = end
    pieces.append(doc[at:])
    shutil.rmtree(tmp, ignore_errors=True)
    if update:
        new = "".join(pieces)
        if new != doc:
            open(path, "w", encoding="utf-8").write(new)
        print("%d commands run, %d outputs rewritten in docs/AGENCY.md" % (n, failures))
        return 0
    if failures:
        print("%d of %d commands print something else than docs/AGENCY.md shows; if the "
              "program is right, rewrite the page's outputs with:\n  python3 %s --cli %s "
              "--root %s update" % (failures, n, sys.argv[0], cli, root))
        return 1
    print("ok: %d commands of the clerk's day print what docs/AGENCY.md shows" % n)
    return 0


def verbs(cli, words):
    """The verbs `circulab WORDS --help` lists under 'commands:' (none for a leaf)."""
    p = subprocess.run([cli] + words + ["--help"], capture_output=True, text=True,
                       timeout=60)
    out, found, inside = p.stdout, [], False
    for line in out.split("\n"):
        if line == "commands:":
            inside = True
        elif inside and line.startswith("  ") and line.strip():
            found.append(line.split()[0])
        elif inside:
            break
    return found


def readme(cli, root):
    """Every command and verb of `circulab --help` is named in README.md's tables,
    as `cmd verb` or in a list of verbs `cmd a\\|verb`."""
    text = open(os.path.join(root, "README.md"), encoding="utf-8").read()
    rows = "\n".join(l for l in text.split("\n") if l.startswith("| `"))
    missing = []

    def walk(words):
        subs = verbs(cli, words)
        if not subs:
            name = " ".join(words)
            rx = r"`%s\b" % re.escape(name)
            if len(words) > 1:
                head = re.escape(" ".join(words[:-1]))
                rx = r"`%s (?:[\w-]+(?:\\\||/))*%s\b" % (head, re.escape(words[-1]))
            if not re.search(rx, rows):
                missing.append(name)
            return
        for v in subs:
            walk(words + [v])

    for cmd in verbs(cli, []):
        walk([cmd])
    if missing:
        print("FAIL: README.md's command tables do not name: " + ", ".join(missing))
        return 1
    print("ok: README.md's command tables name every command and verb")
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("case", choices=["day", "readme", "update"])
    a = ap.parse_args()
    cli = os.path.abspath(a.cli)
    if a.case == "readme":
        return readme(cli, a.root)
    return day(cli, a.root, a.case == "update")


if __name__ == "__main__":
    sys.exit(main())
