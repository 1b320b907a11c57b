#!/usr/bin/env python3
"""End-to-end tests of the circulab program: exit codes, streams, --help, files.

Each function named case_* is one test. ctest runs them one by one
(tests/cli.cmake asks this script for the list with --list), so a failure names
the case. Run by hand:

    python3 tests/cli/test_cli.py --cli build/circulab --data tests/data/cli [CASE...]

The program is driven from outside only, as a user or a script would: arguments in,
exit code, stdout and stderr out. The command list is read from `circulab --help`,
so every command added to cli/commands.def is covered by the --help and
unknown-option cases without editing this file. Standard library only.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import traceback

CLI = None
DATA = None
TIMEOUT = 600


class Failure(Exception):
    pass


def run(*args, stdin=None, cwd=None, stdout=subprocess.PIPE):
    """Run circulab with args; return (exit code, stdout text, stderr text)."""
    proc = subprocess.run(
        [CLI, *args],
        input=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        cwd=cwd,
        timeout=TIMEOUT,
        text=True,
    )
    return proc.returncode, proc.stdout or "", proc.stderr


def show(args, rc, out, err):
    return "\n  command: circulab %s\n  exit: %d\n  stdout: %s\n  stderr: %s" % (
        " ".join(args), rc, out[:2000], err[:2000])


def expect(args, code, **kw):
    """Run and check the exit code; return (stdout, stderr)."""
    rc, out, err = run(*args, **kw)
    if rc != code:
        raise Failure("expected exit %d%s" % (code, show(args, rc, out, err)))
    return out, err


def check(cond, what, *context):
    if not cond:
        raise Failure(what + "".join("\n  " + str(c) for c in context))


def data(name):
    return os.path.join(DATA, name)


def check_usage_error(args):
    """Exit 2, nothing on stdout, an error line and a usage hint on stderr."""
    out, err = expect(args, 2)
    check(out == "", "a usage error printed on stdout", out)
    check(err.startswith("circulab: error: "), "usage error not on stderr", err)
    check("usage: circulab" in err or "--help" in err, "no usage hint", err)


def commands_from_help(text):
    """The command names listed under 'commands:' in a help text."""
    names = []
    in_list = False
    for line in text.splitlines():
        if line.strip() == "commands:":
            in_list = True
            continue
        if in_list:
            m = re.match(r"^  (\S+)\s", line)
            if not m:
                break
            names.append(m.group(1))
    return names


def all_commands(prefix=()):
    """Every command and sub-verb, as argument tuples, by walking the help texts."""
    out, _ = expect([*prefix, "--help"], 0)
    names = commands_from_help(out)
    check(names, "no commands listed by 'circulab %s'" % " ".join((*prefix, "--help")), out)
    found = []
    for name in names:
        found.append((*prefix, name))
        sub, _ = expect([*prefix, name, "--help"], 0)
        if "commands:" in sub:  # a group: recurse into its verbs
            found.extend(all_commands((*prefix, name)))
    return found


def temp_dir():
    return tempfile.TemporaryDirectory(prefix="circulab-cli-")


def leftovers(directory, keep):
    return sorted(f for f in os.listdir(directory) if f not in keep)


# ---- top level ------------------------------------------------------------------

def case_top_help():
    for args in (["--help"], ["-h"], ["help"]):
        out, err = expect(args, 0)
        check(out.startswith("usage: circulab"), "help does not start with usage", out)
        check(err == "", "help wrote to stderr", err)
        names = commands_from_help(out)
        for required in ("validate", "solve", "demo"):
            check(required in names, "command %r not listed" % required, names)
        check("exit codes" in out, "help does not list exit codes", out)


def case_version():
    out, err = expect(["--version"], 0)
    check(re.fullmatch(r"circulab \d+\.\d+\.\d+\n", out) is not None, "bad version", out)
    check(err == "", "version wrote to stderr", err)


def case_no_command():
    check_usage_error([])


def case_unknown_command():
    check_usage_error(["frobnicate"])
    _, _, err = run("frobnicate")
    check("frobnicate" in err, "error does not name the command", err)


def case_unknown_top_option():
    check_usage_error(["--frobnicate"])


def case_help_of_every_command():
    commands = all_commands()
    check(len(commands) >= 3, "too few commands found", commands)
    for cmd in commands:
        name = " ".join(cmd)
        for flag in ("--help", "-h"):
            out, err = expect([*cmd, flag], 0)
            check(out.startswith("usage: circulab " + name), "bad usage line", name, out)
            check(err == "", "--help wrote to stderr", name, err)
            check(len(out.splitlines()) >= 3, "help is too short", name, out)
        if len(cmd) == 1:
            out2, _ = expect(["help", cmd[0]], 0)
            check(out2 == out, "'help %s' differs from '%s --help'" % (name, name))


def case_unknown_option_of_every_command():
    for cmd in all_commands():
        out, err = expect([*cmd, "--no-such-option"], 2)
        check(out == "", "usage error printed on stdout", cmd, out)
        check("--no-such-option" in err, "error does not name the option", cmd, err)
        check(err.startswith("circulab: error: "), "bad error prefix", cmd, err)


def case_help_to_full_stdout():
    if not os.path.exists("/dev/full"):
        return
    with open("/dev/full", "w") as full:
        rc, _, err = run("--help", stdout=full)
    check(rc == 1, "a failed write to stdout did not exit 1", rc, err)
    check("circulab: error:" in err, "no error for a failed write", err)


# ---- validate -------------------------------------------------------------------

def case_validate_missing_file_operand():
    check_usage_error(["validate"])


def case_validate_extra_operand():
    check_usage_error(["validate", data("valid.json"), data("valid.json")])


def case_validate_ok():
    out, err = expect(["validate", data("valid.json")], 0)
    check(out.startswith(data("valid.json") + ": ok ("), "no ok line", out)
    check("3 workers, 2 employers" in out and "2 vacancies" in out, "bad counts", out)
    check(err == "", "validate of a valid file wrote to stderr", err)


def case_validate_stdin():
    with open(data("valid.json")) as f:
        text = f.read()
    out, _ = expect(["validate", "-"], 0, stdin=text)
    check(out.startswith("-: ok ("), "no ok line for stdin", out)


def case_validate_invalid():
    f = data("invalid.json")
    out, err = expect(["validate", f], 3)
    check(out == "", "errors on stdout", out)
    check("$.vacancies[0].start" in err, "message lacks the JSON path", err)
    check(re.search(r"^%s: \$\.vacancies\[0\]\.start: \S" % re.escape(f), err, re.M),
          "diagnostic is not 'FILE: PATH: MESSAGE'", err)


def case_validate_invalid_json_output():
    out, _ = expect(["validate", "--json", data("invalid.json")], 3)
    doc = json.loads(out)
    check(doc.get("valid") is False, "valid is not false", doc)
    check(doc.get("file") == data("invalid.json"), "wrong file", doc)
    errors = doc.get("errors")
    check(isinstance(errors, list) and errors, "no errors listed", doc)
    for e in errors:
        check(set(("path", "rule", "message", "line", "column")) <= set(e),
              "an error lacks a key", e)
    check(any(e["path"] == "$.vacancies[0].start" for e in errors),
          "no error at $.vacancies[0].start", errors)


def case_validate_valid_json_output():
    out, err = expect(["validate", "--json", data("valid.json")], 0)
    doc = json.loads(out)
    check(doc.get("valid") is True and doc.get("errors") == [], "not valid", doc)
    check(doc.get("counts", {}).get("workers") == 3, "bad counts", doc)
    check(err == "", "stderr not empty", err)


def case_validate_not_json():
    out, err = expect(["validate", data("not-json.json")], 3)
    check(data("not-json.json") in err, "error does not name the file", err)
    out, _ = expect(["validate", "--json", data("not-json.json")], 3)
    check(json.loads(out)["valid"] is False, "not-json reported valid", out)


def case_validate_unreadable():
    missing = data("no-such-file.json")
    out, err = expect(["validate", missing], 1)
    check("circulab: error:" in err and "no-such-file.json" in err,
          "error does not name the file", err)
    expect(["validate", DATA], 1)  # a directory


# ---- solve ----------------------------------------------------------------------

def load_result(text):
    doc = json.loads(text)
    check(doc.get("format") == "circulab-result/1", "not a result document", text[:300])
    return doc


def case_solve_missing_file_operand():
    check_usage_error(["solve"])


def case_solve_bad_option_values():
    f = data("valid.json")
    check_usage_error(["solve", f, "--time-limit", "soon"])
    check_usage_error(["solve", f, "--time-limit", "-1"])
    check_usage_error(["solve", f, "--gap", "2"])
    check_usage_error(["solve", f, "--gap"])
    check_usage_error(["solve", f, "--json=yes"])
    check_usage_error(["solve", f, "-o"])


def case_solve_stdout():
    out, _ = expect(["solve", data("valid.json")], 0)
    doc = load_result(out)
    check(doc.get("status") == "optimal", "not optimal", doc.get("status"))
    check(len(doc.get("placements", [])) > 0, "no placements", doc)


def case_solve_output_file():
    with temp_dir() as d:
        out_path = os.path.join(d, "result.json")
        out, err = expect(["solve", data("valid.json"), "-o", out_path], 0)
        check(out == "", "stdout not empty with -o", out)
        check(out_path in err and "optimal" in err, "no summary on stderr", err)
        check(len(err.strip().splitlines()) == 1, "summary is not one line", err)
        with open(out_path, "rb") as f:
            first = f.read()
        load_result(first.decode())
        check(leftovers(d, {"result.json"}) == [], "temporary files left", os.listdir(d))

        expect(["solve", "--quiet", "--output=" + out_path, data("valid.json")], 0)
        with open(out_path, "rb") as f:
            second = f.read()
        check(first == second, "two runs gave different bytes")


def case_solve_json_and_output():
    with temp_dir() as d:
        out_path = os.path.join(d, "r.json")
        out, _ = expect(["solve", "--json", "-o", out_path, data("valid.json")], 0)
        with open(out_path) as f:
            check(f.read() == out, "--json output differs from the file")


def case_solve_limits():
    out, _ = expect(["solve", data("valid.json"), "--time-limit", "60", "--gap", "0.5",
                     "-q"], 0)
    doc = load_result(out)
    check(doc.get("status") in ("optimal", "gap_limit", "time_limit"), "bad status", doc)


def case_solve_write_mps():
    with temp_dir() as d:
        mps = os.path.join(d, "model.mps")
        expect(["solve", data("valid.json"), "--write-mps", mps, "-q"], 0)
        check(os.path.getsize(mps) > 0, "MPS file empty")


def case_solve_invalid():
    with temp_dir() as d:
        out_path = os.path.join(d, "r.json")
        out, err = expect(["solve", data("invalid.json"), "-o", out_path], 3)
        check("$.vacancies[0].start" in err, "message lacks the JSON path", err)
        check(not os.path.exists(out_path), "a result was written for invalid input")


def case_solve_unreadable():
    _, err = expect(["solve", data("no-such-file.json")], 1)
    check("no-such-file.json" in err, "error does not name the file", err)


def case_solve_unwritable_output():
    with temp_dir() as d:
        bad = os.path.join(d, "no-such-dir", "r.json")
        out, err = expect(["solve", data("valid.json"), "-o", bad], 1)
        check("circulab: error:" in err, "no error line", err)
        check(out == "", "stdout not empty", out)


def case_solve_infeasible():
    with temp_dir() as d:
        out_path = os.path.join(d, "r.json")
        out, err = expect(["solve", data("infeasible.json"), "-o", out_path], 4)
        check("infeasible" in err, "stderr does not say infeasible", err)
        check("infeasible: infeasible" not in err, "stderr says infeasible twice", err)
        check(out == "", "stdout not empty", out)
        check(not os.path.exists(out_path), "a file was written for an infeasible model")
        check(os.listdir(d) == [], "files left behind", os.listdir(d))

        # An existing OUT stays exactly as it was.
        with open(out_path, "w") as f:
            f.write("previous result\n")
        expect(["solve", data("infeasible.json"), "-o", out_path], 4)
        with open(out_path) as f:
            check(f.read() == "previous result\n", "existing OUT was changed")
        check(os.listdir(d) == ["r.json"], "files left behind", os.listdir(d))

        out, _ = expect(["solve", "--json", data("infeasible.json")], 4)
        check(out == "", "stdout not empty with --json", out)


# ---- demo -----------------------------------------------------------------------

DEMO_SECTIONS = ("Placements by employer", "Placements by origin region", "Quotas used",
                 "Training seats per session", "Reintegration enrolments per programme",
                 "Unfilled vacancies", "objective", "bound", "gap", "status", "time")


def case_demo_text():
    out, err = expect(["demo", "--quiet", "--scenario", data("valid.json")], 0)
    for s in DEMO_SECTIONS:
        check(s in out, "demo summary lacks %r" % s, out)
    check("E1" in out and "MA-05" in out and "Q-MA05" in out and "T1" in out
          and "R1" in out, "demo summary lacks the scenario's ids", out)
    check(err == "", "demo --quiet wrote to stderr", err)


def case_demo_json():
    out, _ = expect(["demo", "--json", "--scenario", data("valid.json")], 0)
    doc = json.loads(out)
    for key in ("scenario", "status", "objective", "bound", "gap", "seconds",
                "employers", "origins", "quotas", "training", "reintegration",
                "unfilled", "conflicts"):
        check(key in doc, "demo --json lacks %r" % key, sorted(doc))
    check(doc["scenario"] == "cli-valid", "wrong scenario", doc["scenario"])
    placed = sum(e["filled"] for e in doc["employers"])
    check(placed == doc["placements"], "employer totals do not add up", doc)
    check(sum(o["placements"] for o in doc["origins"]) == doc["placements"],
          "origin totals do not add up", doc)


def case_demo_bundled():
    out, _ = expect(["demo", "--quiet"], 0)
    for s in DEMO_SECTIONS:
        check(s in out, "demo summary lacks %r" % s, out)


def case_demo_infeasible():
    _, err = expect(["demo", "--scenario", data("infeasible.json")], 4)
    check("infeasible" in err, "stderr does not say infeasible", err)


def case_demo_operand():
    check_usage_error(["demo", "extra"])


# ---- driver ---------------------------------------------------------------------

def cases():
    return {name[len("case_"):]: fn for name, fn in globals().items()
            if name.startswith("case_") and callable(fn)}


def main():
    global CLI, DATA
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", help="path of the circulab program")
    parser.add_argument("--data", help="directory of the test scenarios")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    parser.add_argument("case", nargs="*", help="cases to run (default: all)")
    args = parser.parse_args()

    all_cases = cases()
    if args.list:
        print("\n".join(sorted(all_cases)))
        return 0
    if not args.cli or not args.data:
        parser.error("--cli and --data are required")
    CLI = os.path.abspath(args.cli)
    DATA = os.path.abspath(args.data)

    selected = args.case or sorted(all_cases)
    passed = failed = 0
    for name in selected:
        if name not in all_cases:
            print("unknown case %r" % name, file=sys.stderr)
            failed += 1
            continue
        try:
            all_cases[name]()
            passed += 1
            print("ok   %s" % name)
        except Failure as e:
            failed += 1
            print("FAIL %s: %s" % (name, e))
        except Exception:
            failed += 1
            print("FAIL %s: exception" % name)
            traceback.print_exc(file=sys.stdout)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
