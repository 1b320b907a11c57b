#!/usr/bin/env python3
"""The plan does not depend on the order of records in the input files.

Among equally good plans the solver's choice falls to its fixed order over the
records, and that order is the ids' (docs/MODEL.md, "Ties"): a scenario whose
record lists are shuffled is the same scenario and must give the same plans. For
every bundled scenario (scenarios/*.json, with the worked example's variants of
scenarios/planning/) and a few generated ones, a copy is written with every record
list shuffled (workers, employers and their sites, vacancies, quotas, sessions,
programmes, scores, pins, bans, previous), the set-like lists inside records
(skills, trainings, languages, requirements, quota `where` lists) and the keys of
every object too, and then:

- `solve` of the copy writes a result file byte-identical to the original's (or, for
  an infeasible scenario, the same explanation on stderr);
- `scenario compare` of the base with the variants prints the same text and JSON,
  apart from the `solve seconds` line (a measurement), from either copy; the
  variants are solved closest to the base's plan (the second stage), so this covers
  it too, and also with the base given as a saved result document;
- `simulate` of huelva-small.json over two seasons prints the same document (returns
  and newcomers are drawn in the workers' id order).

    python3 tests/ties/test_record_order.py --cli build/circulab [--seeds N]

Standard library only.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCEN = os.path.join(ROOT, "scenarios")
RECORD_LISTS = ("workers", "employers", "vacancies", "quotas", "sessions", "programmes",
                "scores", "pins", "bans", "previous")
SET_LISTS = ("skills", "trainings", "languages", "allowed_countries", "origin_country",
             "origin_region", "dest_region", "sector", "employer", "association",
             "occupation", "sex")


def shuffled_value(v, rng, key=None):
    """v with its record lists, set-like lists and object keys in a random order."""
    if isinstance(v, dict):
        items = [(k, shuffled_value(x, rng, k)) for k, x in v.items()]
        rng.shuffle(items)
        return dict(items)
    if isinstance(v, list):
        out = [shuffled_value(x, rng) for x in v]
        if key in RECORD_LISTS or key in SET_LISTS or key == "sites":
            rng.shuffle(out)
        return out
    return v


def shuffle_doc(doc, rng):
    out = shuffled_value(doc, rng)
    # make sure the lists that matter most did move
    for key in ("workers", "vacancies", "employers"):
        lst = out.get(key)
        if isinstance(lst, list) and len(lst) > 1 and lst == doc.get(key):
            lst.reverse()
    return out


def run(cli, cwd, *args):
    p = subprocess.run([cli, *args], cwd=cwd, capture_output=True, timeout=600)
    return p.returncode, p.stdout, p.stderr


def masked(text):
    """Compare output without its measured solve times."""
    lines = text.decode("utf-8", errors="replace").splitlines()
    return "\n".join(l for l in lines if not l.startswith("solve seconds"))


def masked_json(raw):
    doc = json.loads(raw)
    for s in doc.get("scenarios", []):
        s.pop("seconds", None)
        s.pop("solve_seconds", None)
    return json.dumps(doc, sort_keys=True, indent=1)


def write_json(path, doc):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)


class Checker:
    def __init__(self, cli, tmp):
        self.cli, self.tmp = cli, tmp
        self.problems = []
        self.checked = 0

    def fail(self, msg):
        self.problems.append(msg)
        print("FAIL: " + msg, flush=True)

    def solve_both(self, label, orig_dir, shuf_dir, name):
        outs = []
        for d in (orig_dir, shuf_dir):
            rc, _, err = run(self.cli, d, "solve", "-q", name, "-o", "result.json")
            body = None
            if rc == 0:
                with open(os.path.join(d, "result.json"), "rb") as f:
                    body = f.read()
                os.remove(os.path.join(d, "result.json"))
            outs.append((rc, body, err))
        self.checked += 1
        (rc1, b1, e1), (rc2, b2, e2) = outs
        if rc1 != rc2:
            self.fail("%s: solve exits %d, shuffled %d" % (label, rc1, rc2))
        elif rc1 not in (0, 4):
            self.fail("%s: solve exits %d: %s" % (label, rc1, e1[-300:]))
        elif rc1 == 4 and e1 != e2:
            self.fail("%s: the infeasibility explanation differs:\n  %s\n  %s" % (
                label, e1.decode().strip(), e2.decode().strip()))
        elif rc1 == 0 and b1 != b2:
            a, b = json.loads(b1), json.loads(b2)
            what = [k for k in a if a[k] != b.get(k)]
            self.fail("%s: the result files differ (%s; objective %r vs %r)" % (
                label, ", ".join(what), a.get("objective"), b.get("objective")))

    def simulate_both(self, label, orig_dir, shuf_dir, name):
        outs = []
        for d in (orig_dir, shuf_dir):
            rc, out, err = run(self.cli, d, "simulate", "-q", name, "--seasons", "2",
                               "--return-rate", "0.8", "--new-applicants", "20",
                               "--seed", "7", "--json")
            if rc != 0:
                self.fail("%s: simulate exits %d: %s" % (label, rc, err[-300:]))
                return
            outs.append(out)
        self.checked += 1
        if outs[0] != outs[1]:
            self.fail("%s: simulate prints differently" % label)

    def compare_both(self, label, orig_dir, shuf_dir, operands):
        outs = []
        for d in (orig_dir, shuf_dir):
            rc1, text, err1 = run(self.cli, d, "scenario", "compare", "-q", *operands)
            rc2, js, err2 = run(self.cli, d, "scenario", "compare", "-q", "--json",
                                *operands)
            if rc1 != 0 or rc2 != 0:
                self.fail("%s: compare exits %d/%d: %s" % (
                    label, rc1, rc2, (err1 + err2)[-300:]))
                return
            outs.append((masked(text), masked_json(js)))
        self.checked += 1
        if outs[0][0] != outs[1][0]:
            diff = [(a, b) for a, b in zip(outs[0][0].splitlines(),
                                           outs[1][0].splitlines()) if a != b]
            self.fail("%s: compare prints differently, first lines:\n%s" % (
                label, "\n".join("  %s\n  %s" % d for d in diff[:3])))
        elif outs[0][1] != outs[1][1]:
            self.fail("%s: compare --json differs" % label)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--seeds", type=int, default=2,
                    help="shuffles of each scenario (each a different order)")
    ap.add_argument("--generated", type=int, default=2,
                    help="generated scenarios (seeds 1..N)")
    args = ap.parse_args()
    cli = os.path.abspath(args.cli)
    with tempfile.TemporaryDirectory(prefix="clb-order-") as tmp:
        orig = os.path.join(tmp, "orig")
        os.makedirs(os.path.join(orig, "planning"))
        for f in sorted(os.listdir(SCEN)):
            if f.endswith(".json"):
                shutil.copy(os.path.join(SCEN, f), orig)
        for f in sorted(os.listdir(os.path.join(SCEN, "planning"))):
            if f.endswith(".json"):
                shutil.copy(os.path.join(SCEN, "planning", f), os.path.join(orig, "planning"))
        for g in range(1, args.generated + 1):
            rc, _, err = run(cli, orig, "generate", "--workers", "300", "--vacancies", "30",
                             "--seed", str(g), "-o", "generated-%d.json" % g)
            if rc != 0:
                raise SystemExit("FAIL: generate exited %d: %s" % (rc, err))
        bases = sorted(f for f in os.listdir(orig) if f.endswith(".json"))
        variants = sorted("planning/" + f for f in os.listdir(os.path.join(orig, "planning"))
                          if f.endswith(".json"))
        ck = Checker(cli, tmp)
        # a saved plan of the base, the same file for both orders: the second stage
        # against a result document
        rc, _, err = run(cli, orig, "solve", "-q", "huelva-small.json", "-o",
                         "base.result.json")
        if rc != 0:
            raise SystemExit("FAIL: solve huelva-small.json exited %d" % rc)
        for seed in range(1, args.seeds + 1):
            shuf = os.path.join(tmp, "shuffled-%d" % seed)
            os.makedirs(os.path.join(shuf, "planning"))
            rng = random.Random(1000 + seed)
            for name in bases:
                with open(os.path.join(orig, name), encoding="utf-8") as f:
                    doc = json.load(f)
                write_json(os.path.join(shuf, name), shuffle_doc(doc, rng))
            for v in variants:  # variants name their base by path: same text
                shutil.copy(os.path.join(orig, v), os.path.join(shuf, v))
            shutil.copy(os.path.join(orig, "base.result.json"), shuf)
            for name in bases:
                ck.solve_both("%s (order %d)" % (name, seed), orig, shuf, name)
            for v in variants:
                ck.solve_both("%s (order %d)" % (v, seed), orig, shuf, v)
            ck.compare_both("compare huelva-small.json + variants (order %d)" % seed,
                            orig, shuf, ["huelva-small.json"] + variants)
            ck.compare_both("compare base.result.json + variants (order %d)" % seed,
                            orig, shuf, ["base.result.json"] + variants +
                            ["--scenario", "huelva-small.json"])
            ck.simulate_both("simulate huelva-small.json (order %d)" % seed, orig, shuf,
                             "huelva-small.json")
            if args.generated >= 1:
                ck.compare_both("compare generated-1.json with itself (order %d)" % seed,
                                orig, shuf, ["generated-1.json", "generated-1.json"])
    if ck.problems:
        print("%d of %d checks failed" % (len(ck.problems), ck.checked))
        return 1
    print("ok: %d checks, the same plans in every record order" % ck.checked)
    return 0


if __name__ == "__main__":
    sys.exit(main())
