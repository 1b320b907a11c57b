#!/usr/bin/env python3
"""Every command of README.md run the way a user first types it, with its exit code.

The README is parsed, not copied, so the README and this test cannot drift apart:

- verbatim examples: every line of a ```sh block and every `$ circulab ...` line of a
  plain ``` block (with its `\\` continuation lines) that invokes circulab is run as
  written, `circulab` or `build/circulab` meaning the program under test; a line that
  also runs something else (`scripts/setup.sh && build/circulab demo`) runs its
  circulab part only, and lines without circulab (cmake, ctest, scripts/test.sh) are
  skipped, since they build or test the project itself;
- command tables: every synopsis in the first column of the README's command tables
  (`simulate FILE --seasons N --return-rate R [...]`) becomes the invocation a user
  types first: optional parts `[...]` left out, the first of alternatives `A|B` and
  groups `(A | B)` taken, placeholders (FILE, N, ID...) given the values in VALUES
  below. They run in the README's order against one fresh database, so `init`,
  `import` and `round run` prepare what the later rows need. A placeholder this test
  does not know fails the test: a new README row must come with its value here.

Each invocation must exit 0 (the expected code is part of the test; `simulate`
without `--csv` is among them). Run by hand:

    python3 tests/readme/test_readme_examples.py --cli build/circulab [verbatim|tables]

Standard library only.
"""

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

CLI = None
ROOT = None
TIMEOUT = 300

# Commands that serve or wait until stopped: started, not awaited.
LONG_RUNNING = {"serve"}


class Failure(Exception):
    pass


def readme():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        return f.read()


# ---- verbatim examples --------------------------------------------------------------


def code_blocks(text):
    """(info string, [lines]) of each fenced block."""
    blocks, cur, info = [], None, None
    for line in text.splitlines():
        if line.startswith("```"):
            if cur is None:
                cur, info = [], line[3:].strip()
            else:
                blocks.append((info, cur))
                cur = None
            continue
        if cur is not None:
            cur.append(line)
    return blocks


def verbatim_commands(text):
    """The circulab command lines of the README's examples, as written."""
    out = []
    for info, lines in code_blocks(text):
        i = 0
        while i < len(lines):
            line = lines[i]
            full = line
            while full.endswith("\\") and i + 1 < len(lines):
                i += 1
                full = full[:-1] + " " + lines[i].strip()
            i += 1
            if info == "sh":
                cmd = full.split("#")[0].strip()
            elif full.startswith("$ "):
                cmd = full[2:].strip()
            else:
                continue
            for part in cmd.split("&&"):
                words = shlex.split(part)
                if words and os.path.basename(words[0]) == "circulab":
                    out.append(words[1:])
    return out


# ---- command tables -----------------------------------------------------------------

# The value of each placeholder of the synopses (after the command words).
VALUES = {
    "FILE": "@SCENARIO",
    "FILE...": "@SCENARIO",
    "A": "1",
    "B": "1",
    "N": "1",
    "S": "5",
    "G": "0.01",
    "R": "0.85",
    "K": "3",
    "E": "2",
    "T": "readme",
    "OUT": "@OUT",
    "PATH": "@DB",
    "ID...": "1",
    "ID": "1",
    "LABEL": "readme",
    "WORKER": "W1",
    "WORKER...": "W1",
    "VACANCY": "V1",
    "W": "W2",
    "V": "V2",
    "NAME": "readme-feed",
    "NAME...": "readme-feed",
    "URL": "http://127.0.0.1:9/feed.json",
    "VAR": "READMETOKEN",
    "EMPLOYER": "E1",
    "TEXT": "readme",
    "DATE": "2026-12-31",
    "WHO": "readme",
    "KIND": "scenario",
    "MS": "1000",
    "COMMAND": "solve",
    "HOST:PORT": "127.0.0.1:0",
    "PEM": "none.pem",
    "TARGET": "ES615",  # map add region TEXT TARGET
    "RESULT": "@RESULT",  # a result document of @SCENARIO (stability)
}
# Per command, what a FILE operand is.
FILE_OF = {
    "vacancy submit": "@OFFERS",
    "import": "@SCENARIO",
}
# Per command, placeholders whose value comes from an earlier command's output.
VALUE_OF = {
    ("employer token revoke", "ID"): "@TOKEN",  # the id `employer token add` printed
    ("scenario compare", "A"): "@SCENARIO",
    ("scenario compare", "B"): "@SCENARIO",
}


def table_synopses(text):
    """The synopses of the first column of every command table, in order."""
    out = []
    in_table = False
    for line in text.splitlines():
        if line.startswith("| command |"):
            in_table = True
            continue
        if in_table and not line.startswith("|"):
            in_table = False
        if not in_table or line.startswith("|---"):
            continue
        first = re.split(r"(?<!\\)\|", line)[1]
        for syn in re.findall(r"`([^`]+)`", first):
            out.append(syn.replace("\\|", "|"))
    return out


def strip_optional(s):
    """Remove balanced [...] parts."""
    out, depth = [], 0
    for ch in s:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def first_alternative(s):
    """`(A | B)` -> A, and a top-level `X | Y` -> X."""
    while True:
        m = re.search(r"\(([^()]*)\)", s)
        if not m:
            break
        group = m.group(1)
        first = group.split(" | ")[0] if " | " in group else group.split("|")[0]
        s = s[:m.start()] + first + s[m.end():]
    alts = s.split(" | ")
    if len(alts) == 1:
        return s
    # `cancel ID... | --csv FILE --reason TEXT`: what follows the last alternative's
    # own option (`--reason TEXT`) applies to every alternative
    rest = alts[-1].split()
    if len(rest) >= 2 and rest[0].startswith("--") and is_placeholder(rest[1]):
        rest = rest[2:]
    return " ".join([alts[0]] + rest)


def first_invocation(synopsis):
    """The words a user types first for a synopsis, placeholders still in."""
    s = first_alternative(strip_optional(synopsis))
    words = []
    for w in s.split():
        if w == "...":
            continue  # "A B ...": more of the same, not typed first
        # `S|M|L|XL`, `confirm|decline`: literal choices, the first one typed;
        # `ID|LABEL`: a choice of placeholders (all of them known ones)
        if "|" in w:
            alts = w.split("|")
            w = alts[0] if all(a in VALUES for a in alts) else LITERAL + alts[0]
        words.append(w)
    return words


LITERAL = "\0"  # marks a word chosen from a list of literal choices


def is_placeholder(word):
    return bool(re.fullmatch(r"[A-Z][A-Z:._]*(\.\.\.)?", word))


def fill(words, files):
    """Placeholders replaced; the command words kept. Raises on an unknown one."""
    cmd = " ".join(w.lstrip(LITERAL) for w in words[:2]
                   if not w.startswith("-") and not is_placeholder(w))
    out = []
    for w in words:
        if w.startswith(LITERAL) or not is_placeholder(w):
            out.append(w.lstrip(LITERAL))
            continue
        if w not in VALUES:
            raise Failure("README synopsis %r has placeholder %s that this test does not "
                          "know: add its value to VALUES" % (" ".join(words), w))
        v = VALUES[w]
        for (prefix, name), value in VALUE_OF.items():
            if name == w and " ".join(x.lstrip(LITERAL) for x in words).startswith(prefix):
                v = value
        if w.startswith("FILE"):
            v = FILE_OF.get(cmd, FILE_OF.get(words[0], v))
        out.append(files.get(v, v))
    return out


# ---- running ------------------------------------------------------------------------


def run(args, cwd, env, expect=0):
    shown = "circulab " + " ".join(shlex.quote(a) for a in args)
    if args and args[0] in LONG_RUNNING:
        p = subprocess.Popen([CLI, *args], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
        try:
            p.wait(timeout=2)
        except subprocess.TimeoutExpired:
            p.terminate()
            p.wait(timeout=30)
            if p.returncode != 0:
                raise Failure("%s: exit %d after SIGTERM, expected 0" % (shown, p.returncode))
            print("ok   %s (still serving after 2 s; stopped, exit 0)" % shown)
            return None
        err = p.stderr.read()
        if "--listen" not in args and "in use" in err:
            # the default port is taken on this machine: the same on a free port
            return run(args + ["--listen", "127.0.0.1:0"], cwd, env, expect)
        raise Failure("%s ended at once with exit %d\n  stderr: %s"
                      % (shown, p.returncode, err[:2000]))
    p = subprocess.run([CLI, *args], cwd=cwd, env=env, capture_output=True, text=True,
                       timeout=TIMEOUT)
    if p.returncode != expect:
        raise Failure("%s: exit %d, expected %d\n  stdout: %s\n  stderr: %s"
                      % (shown, p.returncode, expect, p.stdout[:1500], p.stderr[:1500]))
    print("ok   %s (exit %d)" % (shown, p.returncode))
    return p.stdout


def environment(tmp):
    env = dict(os.environ)
    env["CIRCULAB_DB"] = os.path.join(tmp, "readme.db")
    env["READMETOKEN"] = "secret-token"
    # `circulab` in an example is the program under test
    bindir = os.path.join(tmp, "bin")
    os.makedirs(bindir, exist_ok=True)
    link = os.path.join(bindir, "circulab")
    if not os.path.exists(link):
        os.symlink(CLI, link)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    return env


def case_verbatim():
    """The README's example command lines, as written, from the repository (the
    worked example from scenarios/, as its text says)."""
    cmds = verbatim_commands(readme())
    if not cmds:
        raise Failure("no circulab example found in README.md")
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(tmp)
        for args in cmds:
            cwd = ROOT
            if any(a.startswith("planning/") for a in args):
                cwd = os.path.join(ROOT, "scenarios")
            run(args, cwd, env)


def case_tables():
    """Every synopsis of the command tables, typed the simplest way, in order, on one
    fresh database; each exits 0."""
    text = readme()
    synopses = table_synopses(text)
    if len(synopses) < 10:
        raise Failure("only %d synopses found in README.md's tables" % len(synopses))
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(tmp)
        scenario = os.path.join(tmp, "scenario.json")
        shutil.copy(os.path.join(ROOT, "tests", "data", "cli", "valid.json"), scenario)
        offers = os.path.join(tmp, "offers.json")
        with open(offers, "w") as f:
            f.write('{"format": "circulab-offers/1", "vacancies": [{"id": "V9", '
                    '"employer": "E1", "sector": "berries", "start": "2026-03-01", '
                    '"end": "2026-05-31", "headcount": 1}]}')
        files = {"@SCENARIO": scenario, "@OFFERS": offers, "@DB": env["CIRCULAB_DB"],
                 "@OUT": os.path.join(tmp, "out.file"),
                 "@RESULT": os.path.join(tmp, "result.json")}
        run(["solve", scenario, "-o", files["@RESULT"], "--quiet"], tmp, env)
        seen = set()
        for syn in synopses:
            words = first_invocation(syn)
            args = fill(words, files)
            # `round delete 1` after the placement rows: round 1 has confirmations, so
            # the plainest invocation is refused (exit 3) and the round stays
            out = run(args, tmp, env, 3 if args[:2] == ["round", "delete"] else 0)
            if args[:3] == ["employer", "token", "add"] and out:
                files["@TOKEN"] = out.strip().split(".")[0]
            seen.add(args[0])
        # every command of `circulab --help` has a README row
        p = subprocess.run([CLI, "--help"], capture_output=True, text=True, env=env)
        listed = re.findall(r"^  ([a-z][a-z-]*)\s", p.stdout.split("commands:")[-1], re.M)
        missing = sorted(set(listed) - seen - {"help"})
        if missing:
            raise Failure("commands without a README row: %s" % ", ".join(missing))


def cases():
    return {name[5:]: fn for name, fn in globals().items()
            if name.startswith("case_") and callable(fn)}


def main():
    global CLI, ROOT
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cli")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("case", nargs="*")
    args = ap.parse_args()
    all_cases = cases()
    if args.list:
        print("\n".join(sorted(all_cases)))
        return 0
    if not args.cli:
        ap.error("--cli is required")
    CLI = os.path.abspath(args.cli)
    ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    failed = 0
    for name in args.case or sorted(all_cases):
        try:
            all_cases[name]()
            print("ok   %s" % name)
        except Failure as e:
            failed += 1
            print("FAIL %s: %s" % (name, e))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
