#!/usr/bin/env python3
"""test_stable_da.py - the stable start of `solve --stable` (engine/solve/stable_da.c)
judged from outside.

Usage: test_stable_da.py --part tiny --circulab PATH --plan PATH [--count N] [--seed S]
       test_stable_da.py --part scenario --circulab PATH
                         (--scenario FILE | --generate 'WORKERS VACANCIES SEED')
                         --time-limit T --min-share F

- tiny: random tiny scenarios from the brute-force suite's generator
  (tests/checker/bruteforce.py: pins, quotas, beds, sessions, programmes, gaps and stay
  limits all bite). The heuristic's own plan, written by `stable_da_plan` (a small
  program over the engine), must pass the independent checker
  (tests/checker/check_result.py) and `circulab stability --json` must list no envy
  pair whose lower-valued holders are not all pinned. Scenarios whose pins cannot
  hold (`circulab solve` exits 4) are skipped; the heuristic may decline a scenario
  only when it has pins (its pinned workers keep their pins alone, which may not hold
  under required reintegration). Most cases must give a plan.
- scenario: `circulab solve FILE --stable --time-limit T` must place at least F times
  what the plain optimum (`circulab solve FILE`) places, and `circulab stability` must
  list no envy pair whose lower-valued holders are not all pinned. With --generate the
  scenario is `circulab generate`'s; 1,000 workers and 50 vacancies make rows of no
  envy too large to build (36 million non-zeros: the solve took 24 GB and was killed),
  so the stable start is the answer and it must come at once.

Last line `N passed, N failed, N skipped`; exit 0 only when nothing failed. Standard
library only.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "checker"))
import bruteforce as bf  # noqa: E402
import check_result as cr  # noqa: E402


def run(cmd, timeout=600):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=timeout)


def envy_not_pinned(circulab, result_path, scenario_path):
    """The envy pairs of a plan that a non-pinned holder makes (a list of texts)."""
    proc = run([circulab, "stability", result_path, "--scenario", scenario_path, "--json"])
    if proc.returncode != 0:
        raise RuntimeError("circulab stability exited %d: %s"
                           % (proc.returncode, proc.stderr.decode("utf-8", "replace")))
    rep = json.loads(proc.stdout.decode("utf-8"))
    return ["%s envies %s (holder %s)" % (p["worker"], p["vacancy"], p["displaces"])
            for p in rep["blocking_pairs"]
            if p["type"] == "envy" and p["displaces"] is not None]


def part_tiny(args):
    passed = failed = skipped = declined = 0
    with tempfile.TemporaryDirectory(prefix="stable-da-") as tmp:
        for i in range(args.count):
            cseed = bf.case_seed(args.seed, i)
            rng = random.Random(cseed)
            doc = bf.generate(rng, i, "da-%d" % cseed, args.workers, args.vacancies)
            path = os.path.join(tmp, "case.json")
            out = os.path.join(tmp, "plan.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(doc, f, indent=1)
            if run([args.circulab, "solve", path, "--quiet", "-o", out]).returncode == 4:
                skipped += 1  # the pins cannot hold: no plan at all
                continue
            proc = run([args.plan, path])
            problems = []
            has_pins = bool(doc.get("pins")) or any(
                p.get("status") == "confirmed" for p in doc.get("previous", []))
            if proc.returncode == 4 and has_pins:
                declined += 1
                continue
            if proc.returncode != 0:
                problems.append("stable_da_plan exited %d: %s" % (
                    proc.returncode, proc.stderr.decode("utf-8", "replace").strip()))
            else:
                res = json.loads(proc.stdout.decode("utf-8"))
                with open(out, "w", encoding="utf-8") as f:
                    json.dump(res, f)
                problems += ["checker: " + v for v in cr.check(doc, res)]
                problems += envy_not_pinned(args.circulab, out, path)
            if problems:
                failed += 1
                print("case seed %d: %s" % (cseed, "; ".join(problems)[:2000]))
            else:
                passed += 1
    if passed < (args.count - skipped) * 0.8:
        print("only %d of %d solvable cases gave a plan (%d declined)"
              % (passed, args.count - skipped, declined))
        failed += 1
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped + declined))
    return failed == 0


def placements(path):
    with open(path, encoding="utf-8") as f:
        return len(json.load(f)["placements"])


def part_scenario(args):
    with tempfile.TemporaryDirectory(prefix="stable-da-") as tmp:
        if args.generate:
            workers, vacancies, seed = args.generate.split()
            args.scenario = os.path.join(tmp, "generated-%s-%s-%s.json"
                                         % (workers, vacancies, seed))
            proc = run([args.circulab, "generate", "--workers", workers, "--vacancies",
                        vacancies, "--seed", seed, "-o", args.scenario])
            if proc.returncode != 0:
                print("generate exited %d" % proc.returncode)
                print("0 passed, 1 failed, 0 skipped")
                return False
        plain = os.path.join(tmp, "plain.json")
        stable = os.path.join(tmp, "stable.json")
        proc = run([args.circulab, "solve", args.scenario, "--quiet", "-o", plain])
        if proc.returncode != 0:
            print("plain solve exited %d" % proc.returncode)
            print("0 passed, 1 failed, 0 skipped")
            return False
        proc = run([args.circulab, "solve", args.scenario, "--stable", "--quiet",
                    "--time-limit", str(args.time_limit), "-o", stable])
        problems = []
        if proc.returncode != 0:
            problems.append("solve --stable exited %d: %s" % (
                proc.returncode, proc.stderr.decode("utf-8", "replace").strip()))
        else:
            n0, n1 = placements(plain), placements(stable)
            print("%s: %d placements with --stable --time-limit %g, %d at the optimum"
                  % (os.path.basename(args.scenario), n1, args.time_limit, n0))
            if n1 < args.min_share * n0:
                problems.append("%d placements, fewer than %g of the optimum's %d"
                                % (n1, args.min_share, n0))
            problems += envy_not_pinned(args.circulab, stable, args.scenario)
    for p in problems[:20]:
        print(p)
    print("%d passed, %d failed, 0 skipped" % (0 if problems else 1, 1 if problems else 0))
    return not problems


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--part", choices=("tiny", "scenario"), required=True)
    ap.add_argument("--circulab", required=True)
    ap.add_argument("--plan", help="the stable_da_plan program (part tiny)")
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--vacancies", type=int, default=4)
    ap.add_argument("--scenario")
    ap.add_argument("--generate", metavar="'WORKERS VACANCIES SEED'",
                    help="a generated scenario instead of --scenario")
    ap.add_argument("--time-limit", type=float, default=5)
    ap.add_argument("--min-share", type=float, default=0.5)
    args = ap.parse_args(argv)
    ok = part_tiny(args) if args.part == "tiny" else part_scenario(args)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
