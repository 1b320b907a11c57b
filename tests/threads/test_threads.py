#!/usr/bin/env python3
"""`circulab solve --threads N` gives the same answer for every N.

Usage: test_threads.py CIRCULAB SCENARIOS_DIR

Every bundled scenario (scenarios/*.json and scenarios/planning/*.json) and a generated
1,000 x 50 round (`circulab generate --workers 1000 --vacancies 50 --seed 1`, written
to a temporary directory) are solved with --threads 1, 2 and 4: the result documents
must be byte-identical, and their objective, bound and status equal (said separately
so that a failure names what moved). The generated round is also solved with --gap
0.001, which stops before the proof with a bound above the objective: the bound of
an unfinished column generation must not depend on the threads either. An infeasible
scenario must fail the same way (exit 4) with any number of threads. `--threads 0`
is a usage error (exit 2).
"""
import glob
import json
import os
import subprocess
import sys
import tempfile


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def main():
    circulab, scenarios = sys.argv[1], sys.argv[2]
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        gen = os.path.join(tmp, "1000x50.json")
        r = run([circulab, "generate", "--workers", "1000", "--vacancies", "50",
                 "--seed", "1", "-o", gen])
        if r.returncode != 0:
            print("generate failed:", r.stderr)
            return 1
        cases = [(f, []) for f in sorted(glob.glob(os.path.join(scenarios, "*.json")) +
                                         glob.glob(os.path.join(scenarios, "planning",
                                                                "*.json")))]
        cases += [(gen, []), (gen, ["--gap", "0.001"])]
        unproven = 0
        for path, extra in cases:
            name = os.path.basename(path) + ("" if not extra else " " + " ".join(extra))
            docs, codes = {}, {}
            for t in (1, 2, 4):
                out = os.path.join(tmp, "result-%d.json" % t)
                if os.path.exists(out):
                    os.remove(out)
                r = run([circulab, "solve", path, "-o", out, "--quiet",
                         "--threads", str(t)] + extra)
                codes[t] = r.returncode
                docs[t] = open(out, "rb").read() if os.path.exists(out) else None
            if len(set(codes.values())) != 1:
                failures.append("%s: exit codes %s" % (name, codes))
                continue
            if codes[1] != 0:
                if codes[1] != 4 or any(docs.values()):
                    failures.append("%s: exit %d" % (name, codes[1]))
                print("%s: exit %d with every number of threads" % (name, codes[1]))
                continue
            base = json.loads(docs[1])
            for t in (2, 4):
                got = json.loads(docs[t])
                for key in ("status", "objective", "bound", "gap"):
                    if got.get(key) != base.get(key):
                        failures.append("%s: %s %r with --threads %d, %r with 1" %
                                        (name, key, got.get(key), t, base.get(key)))
                if docs[t] != docs[1]:
                    failures.append("%s: result with --threads %d differs from 1" %
                                    (name, t))
            unproven += base["bound"] != base["objective"]
            print("%s: %s, objective %r, bound %r, identical with 1, 2 and 4 threads" %
                  (name, base["status"], base["objective"], base["bound"]))
        if unproven == 0:
            failures.append("no case stopped with a bound above the objective")
        r = run([circulab, "solve", gen, "--threads", "0", "-o", os.path.join(tmp, "x")])
        if r.returncode != 2:
            failures.append("--threads 0: exit %d, expected 2" % r.returncode)
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
