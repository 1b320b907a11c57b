#!/usr/bin/env python3
"""check_exports.py - libcirculab.so exports its public API and nothing else.

The public API is every function a header under include/ declares with CLB_EXTERN.
The check fails (exit 1, naming the symbols) when the shared library exports a
function that no public header declares (an internal function leaking out), when a
declared function is missing from it, or when the CLI's objects need an engine
symbol (clb_*) that the library does not export: the CLI must use only the public API
(the scenario generator of bench/gen, linked into the CLI, is the one exception).
"""
import argparse
import glob
import os
import re
import subprocess
import sys


def nm(args):
    out = subprocess.run(["nm"] + args, check=True, capture_output=True, text=True).stdout
    return out.splitlines()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--library", required=True)
    ap.add_argument("--include", required=True)
    ap.add_argument("--cli-objects", required=True,
                    help="the CLI's object files, ';'-separated")
    a = ap.parse_args()

    declared = set()
    decl = re.compile(r"CLB_EXTERN\s[^;(]*?\b(clb_\w+)\s*\(")
    for path in glob.glob(os.path.join(a.include, "**", "*.h"), recursive=True):
        declared.update(decl.findall(open(path, encoding="utf-8").read()))

    exported = set()
    for line in nm(["-D", "--defined-only", a.library]):
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TDBRW" and not parts[2].startswith("_"):
            exported.add(parts[2])

    failures = []
    for name in sorted(exported - declared):
        failures.append("exported but not in a public header: %s" % name)
    for name in sorted(declared - exported):
        failures.append("declared CLB_EXTERN but not exported: %s" % name)

    needed = set()
    for line in nm(["-u"] + a.cli_objects.split(";")):
        parts = line.split()
        if parts and parts[-1].startswith("clb_") and not parts[-1].startswith("clb_generate"):
            needed.add(parts[-1])
    for name in sorted(needed - exported):
        failures.append("the CLI uses %s, which is not public API" % name)

    if not declared or not needed:
        failures.append("nothing read: %d declared, %d used by the CLI"
                        % (len(declared), len(needed)))
    for f in failures:
        print(f)
    print("%d functions exported, %d declared, %d used by the CLI, %d problems"
          % (len(exported), len(declared), len(needed), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
