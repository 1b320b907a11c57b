#!/usr/bin/env python3
"""test_stability_bruteforce.py - `circulab stability` and `solve --stable` against
exhaustive enumeration on random tiny scenarios.

Usage: test_stability_bruteforce.py --circulab PATH [--count N] [--seed S]
                                    [--part report|stable|both] [--case-seed N --case-no I]

The scenarios come from the brute-force suite's generator (tests/checker/bruteforce.py,
a few workers and vacancies). For each case:

- report: the plan circulab finds, and a random feasible plan drawn from the
  enumeration, are written as result documents; `circulab stability --json` must list
  exactly the blocking pairs computed here from the definition (docs/MODEL.md,
  "Stability"): same worker, vacancy, type, held_by_limit and limits. held_by_limit is
  decided here without the engine's limit checks: every move (w takes v giving up any
  set of its unpinned placements ranked below v; for envy the lowest-value unpinned
  holder of lower value leaves; w's sessions and programme chosen again in every way)
  is written as a full result document and handed to the independent checker
  (tests/checker/check_result.py); the pair is held when no move passes it.
  The limits named are computed here, one rule at a time, at the move giving up the most.
- stable: every feasible plan is enumerated (one option per worker, as the brute-force
  oracle lists them, without dropping dominated ones); the best plan without envy
  (every envy pair's lower-valued holders pinned) must have the objective of
  `circulab solve --stable`, or circulab must exit 4 when there is none; the plain
  optimum must match `solve` (a check of the enumeration itself).

Last line `N passed, N failed, N skipped`; exit 0 only when nothing failed. Standard
library only.
"""

import argparse
import itertools
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

MAX_LEAVES = 200000


def value_below(a, b):
    return a < b - 1e-9 * max(1.0, abs(a), abs(b))


# ---- the plan ---------------------------------------------------------------------------

class Plan:
    def __init__(self, placements, training, enrol):
        self.placements = sorted(set(placements))
        self.training = sorted(set(training))
        self.enrol = sorted(set(enrol))

    def of(self, w):
        return [v for (x, v) in self.placements if x == w]

    def holders(self, v):
        return [x for (x, u) in self.placements if u == v]


def pinned_pairs(S):
    out = set(S.pins)
    for (w, v) in S.confirmed:
        if w in S.workers and v in S.vacancies and S.eligible(w, v):
            out.add((w, v))
    return out


def result_doc(S, plan):
    obj = cr.plan_objective(S, plan.placements, plan.training, plan.enrol)
    return bf.plan_as_result(S, (plan.placements, plan.training, plan.enrol), obj)


def passes(S, doc, plan):
    return not cr.check(doc, result_doc(S, plan))


# ---- moves --------------------------------------------------------------------------------

def needs(S, w, v, c):
    return c in S.needed_courses(S.workers[w], S.vacancies[v])


def admissible(S, r, w, vs):
    if not vs:
        return False
    last = max(S.vacancies[v]["end"] for v in vs)
    pr = S.programmes[r]
    return (S.open_to(pr, S.workers[w]) and last < pr["start"] <= last + S.window)


def move_plans(S, plan, w, v, drop, x):
    """Every plan the move can give: w's sessions and programme (and the leaving
    holder's programme when its own no longer fits) chosen in every way."""
    keep = [u for u in plan.of(w) if u not in drop]
    new_w = keep + [v]
    placements = [(a, b) for (a, b) in plan.placements
                  if not (a == w and b in drop) and not (a == x and b == v)]
    placements.append((w, v))
    training = [(a, k) for (a, k) in plan.training if a != w]
    enrol = [(a, r) for (a, r) in plan.enrol if a != w]
    x_choices = [None]
    if x is not None:
        x_rest = [u for u in plan.of(x) if u != v]
        training = [(a, k) for (a, k) in training
                    if a != x or any(needs(S, x, u, S.sessions[k]["course"]) for u in x_rest)]
        mine = [r for (a, r) in enrol if a == x]
        if mine:
            if not x_rest:
                enrol = [(a, r) for (a, r) in enrol if a != x]
            elif not admissible(S, mine[0], x, x_rest):
                enrol = [(a, r) for (a, r) in enrol if a != x]
                if S.mode == "required":
                    x_choices = [r for r in S.programme_order if admissible(S, r, x, x_rest)]
    courses = sorted(set(c for u in new_w for c in S.needed_courses(S.workers[w],
                                                                     S.vacancies[u])))
    sess = [[k for k in S.session_order if S.sessions[k]["course"] == c] for c in courses]
    if S.mode == "required":
        progs = list(S.programme_order)
    else:
        progs = [None]
    for ks in itertools.product(*sess):
        for r in progs:
            for rx in x_choices:
                e = list(enrol)
                if r is not None:
                    e.append((w, r))
                if rx is not None:
                    e.append((x, rx))
                yield Plan(placements, training + [(w, k) for k in ks], e)


def move_feasible(S, doc, plan, w, v, drop, x):
    return any(passes(S, doc, p) for p in move_plans(S, plan, w, v, drop, x))


def move_limits(S, plan, w, v, drop, x):
    """The limits the move breaks, one rule at a time (the definition's words)."""
    out = set()
    wr = S.workers[w]
    vac = S.vacancies[v]
    keep = [u for u in plan.of(w) if u not in drop]
    new_w = keep + [v]
    placements = [(a, b) for (a, b) in plan.placements
                  if not (a == w and b in drop) and not (a == x and b == v)] + [(w, v)]
    if any(S.conflict(S.vacancies[u], vac) for u in keep):
        out.add("overlap")
    if sum(S.vacancies[u]["days"] for u in new_w) + wr["days_abroad"] > S.max_stay:
        out.add("stay")
    if S.max_placements > 0 and len(new_w) > S.max_placements:
        out.add("max_placements")
    if vac["hold_named"] and w not in vac["named_set"]:
        unnamed = sum(1 for (a, b) in placements if b == v and a not in vac["named_set"])
        if unnamed > vac["non_named_cap"]:
            out.add("hold_named")
    for q in S.quotas:
        if q["max"] is not None and S.quota_count(q, placements) > int(q["max"]):
            out.add("quota")
    site = S.sites.get(vac["site"])
    if site is not None and site.get("beds") is not None:
        for d in range(vac["start"], vac["end"] + 1):
            n = sum(1 for (a, b) in placements if S.vacancies[b]["site"] == vac["site"]
                    and S.vacancies[b]["start"] <= d <= S.vacancies[b]["end"])
            if n > int(site["beds"]):
                out.add("beds")
                break
    # training: per course, a session in time for every placement needing it, clear of
    # every placement of w, with a seat once w's own and the freed seats are counted
    base = move_plans(S, plan, w, v, drop, x)
    first = next(base, None)
    others = [(a, k) for (a, k) in first.training if a != w] if first else []
    for c in sorted(set(c for u in new_w for c in S.needed_courses(wr, S.vacancies[u]))):
        need = [S.vacancies[u] for u in new_w if needs(S, w, u, c)]
        ok = False
        for k in S.session_order:
            ses = S.sessions[k]
            if ses["course"] != c or not S.open_to(ses, wr):
                continue
            if not ses["end"] + S.lead < min(u["start"] for u in need):
                continue
            if any(ses["start"] <= S.vacancies[u]["end"] and S.vacancies[u]["start"] <= ses["end"]
                   for u in new_w):
                continue
            if sum(1 for (_, kk) in others if kk == k) < ses["capacity"]:
                ok = True
        if not ok:
            out.add("training_seats")
    if S.mode == "required":
        fits = False
        for p in move_plans(S, plan, w, v, drop, x):
            loads = {}
            for (_, r) in p.enrol:
                loads[r] = loads.get(r, 0) + 1
            mine = [r for (a, r) in p.enrol if a == w]
            if not mine or not admissible(S, mine[0], w, new_w):
                continue
            if x is not None:
                x_rest = [u for u in plan.of(x) if u != v]
                xm = [r for (a, r) in p.enrol if a == x]
                if x_rest and (not xm or not admissible(S, xm[0], x, x_rest)):
                    continue
            if all(n <= S.programmes[r]["capacity"] for r, n in loads.items()):
                fits = True
                break
        if not fits:
            out.add("reintegration")
    return out


def blocking_pairs(S, doc, plan):
    """The blocking pairs of the plan, by the definition of docs/MODEL.md."""
    pins = pinned_pairs(S)
    out = {}
    for w in S.worker_order:
        wr = S.workers[w]
        mine = plan.of(w)
        for v in S.vacancy_order:
            if v in mine or not S.eligible(w, v):
                continue
            vac = S.vacancies[v]
            pv = S.pref(wr, vac)
            if mine and not pv > min(S.pref(wr, S.vacancies[u]) for u in mine):
                continue
            val = S.placement_value(w, v)
            lower = [x for x in plan.holders(v) if value_below(S.placement_value(x, v), val)]
            free = vac["headcount"] - len(plan.holders(v))
            if not lower and free <= 0:
                continue
            envy = bool(lower)
            movable = sorted((S.placement_value(x, v), x) for x in lower if (x, v) not in pins)
            xstar = movable[0][1] if movable else None
            droppable = [u for u in mine if S.pref(wr, S.vacancies[u]) < pv and (w, u) not in pins]
            options = []
            if free > 0:
                options.append(None)
            if envy and xstar is not None:
                options.append(xstar)
            held = True
            for x in options:
                for r in range(len(droppable) + 1):
                    for drop in itertools.combinations(droppable, r):
                        if held and move_feasible(S, doc, plan, w, v, set(drop), x):
                            held = False
            limits = set()
            if held:
                for x in options:
                    limits |= move_limits(S, plan, w, v, set(droppable), x)
                if envy and xstar is None:
                    limits.add("pin")
            out[(w, v)] = {"type": "envy" if envy else "waste", "held_by_limit": held,
                           "limits": sorted(limits), "displaces": xstar if envy else None}
    return out


# ---- every feasible plan --------------------------------------------------------------------

def all_plans(S):
    """Every feasible plan as (value, Plan), or None when there are too many."""
    res_index = {"index": {}, "caps": [], "checkpoints": {}}
    for sid in S.sites:
        res_index["checkpoints"][sid] = sorted(set(
            v["start"] for v in S.vacancies.values() if v["site"] == sid))
    min_quotas, targets = {}, []
    for qi, q in enumerate(S.quotas):
        if q["min"] is not None and int(q["min"]) > 0:
            min_quotas[qi] = len(targets)
            targets.append(int(q["min"]))
    pins = {}
    for (w, v) in pinned_pairs(S):
        pins.setdefault(w, set()).add(v)
    saved = bf.prune_dominated
    bf.prune_dominated = lambda opts: opts
    try:
        options = [bf.worker_options(S, w, res_index, min_quotas, pins.get(w, set()))
                   for w in S.worker_order]
    finally:
        bf.prune_dominated = saved
    if any(not o for o in options):
        return []
    caps = list(res_index["caps"])
    counts = [0] * len(targets)
    wq = S.weights["quota_shortfall"]
    out = []
    chosen = []
    leaves = [0]

    def go(i, value):
        if leaves[0] > MAX_LEAVES:
            return
        if i == len(options):
            leaves[0] += 1
            short = sum(max(0, t - c) for t, c in zip(targets, counts))
            pl, tr, en = [], [], []
            for w, o in zip(S.worker_order, chosen):
                pl += [(w, v) for v in o.vacancies]
                tr += [(w, k) for k in o.sessions]
                if o.programme is not None:
                    en.append((w, o.programme))
            out.append((value - wq * short, Plan(pl, tr, en)))
            return
        for o in options[i]:
            if any(caps[r] < a for r, a in o.usage):
                continue
            for r, a in o.usage:
                caps[r] -= a
            for q, a in o.minq:
                counts[q] += a
            chosen.append(o)
            go(i + 1, value + o.value)
            chosen.pop()
            for r, a in o.usage:
                caps[r] += a
            for q, a in o.minq:
                counts[q] -= a

    go(0, 0.0)
    if leaves[0] > MAX_LEAVES:
        return None
    return out


def envy_free(S, plan, pins):
    """No envy pair whose lower-valued holders are not all pinned."""
    for w in S.worker_order:
        wr = S.workers[w]
        mine = plan.of(w)
        for v in S.vacancy_order:
            if v in mine or not S.eligible(w, v):
                continue
            pv = S.pref(wr, S.vacancies[v])
            if mine and not pv > min(S.pref(wr, S.vacancies[u]) for u in mine):
                continue
            val = S.placement_value(w, v)
            if any(value_below(S.placement_value(x, v), val) and (x, v) not in pins
                   for x in plan.holders(v)):
                return False
    return True


# ---- the driver ----------------------------------------------------------------------------

def run(args, cmd, stdin=None):
    return subprocess.run([args.circulab] + cmd, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=120)


def compare_report(S, doc, plan, path_s, tmp, label, args):
    """Problems of `circulab stability` on this plan (empty: agrees)."""
    res = result_doc(S, plan)
    path_r = os.path.join(tmp, "result.json")
    with open(path_r, "w", encoding="utf-8") as f:
        json.dump(res, f)
    proc = run(args, ["stability", path_r, "--scenario", path_s, "--json"])
    if proc.returncode != 0:
        return ["%s: stability exited %d: %s" % (label, proc.returncode,
                                                  proc.stderr.decode()[:300])]
    got = json.loads(proc.stdout.decode())
    mine = blocking_pairs(S, doc, plan)
    theirs = {(p["worker"], p["vacancy"]): p for p in got["blocking_pairs"]}
    problems = []
    for key in sorted(set(mine) | set(theirs)):
        a, b = mine.get(key), theirs.get(key)
        if a is None or b is None:
            problems.append("%s: pair %s listed by %s only" % (label, key,
                                                               "circulab" if a is None else "the test"))
            continue
        for field in ("type", "held_by_limit", "limits"):
            bv = sorted(b[field]) if field == "limits" else b[field]
            if a[field] != bv:
                problems.append("%s: pair %s %s: test %r, circulab %r" % (label, key, field,
                                                                        a[field], bv))
        if a["type"] == "envy" and a["displaces"] != b.get("displaces"):
            problems.append("%s: pair %s displaces: test %r, circulab %r"
                            % (label, key, a["displaces"], b.get("displaces")))
    keys = [(p["worker"], p["vacancy"]) for p in got["blocking_pairs"]]
    if keys != sorted(keys):
        problems.append("%s: pairs not sorted by worker, then vacancy" % label)
    return problems


def stir(rng, doc):
    """Most generated plans have little envy: the preference is part of the value, fill
    dominates and places are plenty. In two cases out of three, every worker ranks
    employers, sectors and regions, random scores make values and preferences
    disagree, and each vacancy has one place and no requirement (more pairs compete)."""
    if rng.random() < 1 / 3:
        return doc
    pool = [e["id"] for e in doc["employers"]] + ["sector:" + x for x in bf.SECTORS] + \
        ["region:" + r for r in bf.DEST_REGIONS]
    for w in doc["workers"]:
        w["preferences"] = rng.sample(pool, rng.randint(1, min(4, len(pool))))
    doc["scores"] = [{"worker": w["id"], "vacancy": v["id"], "value": rng.randint(-300, 300)}
                     for w in doc["workers"] for v in doc["vacancies"]
                     if rng.random() < 0.7]
    for v in doc["vacancies"]:  # fewer places than workers: someone waits
        v["headcount"] = 1
        v.pop("requires", None)
    return doc


def run_case(cseed, i, args, tmp):
    rng = random.Random(cseed)
    doc = stir(rng, bf.generate(rng, i, "st-%d" % cseed, args.workers, args.vacancies))
    S = cr.Scenario(doc)
    path_s = os.path.join(tmp, "scenario.json")
    with open(path_s, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    plans = all_plans(S)
    if plans is None:
        return None, []
    problems = []
    proc = run(args, ["solve", path_s, "--json", "--quiet"])
    if not plans:
        if proc.returncode != 4:
            problems.append("no feasible plan, solve exited %d" % proc.returncode)
        return True, problems
    if proc.returncode != 0:
        return False, ["solve exited %d: %s" % (proc.returncode, proc.stderr.decode()[:300])]
    res = json.loads(proc.stdout.decode())
    best = max(v for v, _ in plans)
    if not cr.close_enough(float(res["objective"]), best):
        problems.append("solve objective %r, enumeration optimum %r" % (res["objective"], best))
    if args.part in ("report", "both"):
        solved = Plan([(p["worker"], p["vacancy"]) for p in res["placements"]],
                      [(t["worker"], t["session"]) for t in res["training"]],
                      [(r["worker"], r["programme"]) for r in res["reintegration"]])
        problems += compare_report(S, doc, solved, path_s, tmp, "solved plan", args)
        problems += compare_report(S, doc, rng.choice(plans)[1], path_s, tmp,
                                   "random plan", args)
    if args.part in ("stable", "both"):
        pins = pinned_pairs(S)
        cache = {}
        stable_best = None
        for value, plan in plans:
            key = tuple(plan.placements)
            if key not in cache:
                cache[key] = envy_free(S, plan, pins)
            if cache[key] and (stable_best is None or value > stable_best):
                stable_best = value
        proc = run(args, ["solve", path_s, "--json", "--quiet", "--stable"])
        if stable_best is None:
            if proc.returncode != 4:
                problems.append("no plan without envy, solve --stable exited %d"
                                % proc.returncode)
        elif proc.returncode != 0:
            problems.append("solve --stable exited %d: %s" % (proc.returncode,
                                                             proc.stderr.decode()[:300]))
        else:
            sres = json.loads(proc.stdout.decode())
            if not cr.close_enough(float(sres["objective"]), stable_best):
                problems.append("solve --stable objective %r, best plan without envy %r"
                                % (sres["objective"], stable_best))
            problems += ["stable result: " + x for x in cr.check(doc, sres)]
            splan = Plan([(p["worker"], p["vacancy"]) for p in sres["placements"]], [], [])
            if not envy_free(S, splan, pins):
                problems.append("solve --stable plan has an envy pair")
    return not problems, problems


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--circulab", required=True)
    ap.add_argument("--count", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=5)
    ap.add_argument("--vacancies", type=int, default=3)
    ap.add_argument("--part", choices=("report", "stable", "both"), default="both")
    ap.add_argument("--case-seed", type=int)
    ap.add_argument("--case-no", type=int, default=0,
                    help="with --case-seed: the case's number in its run (printed)")
    args = ap.parse_args(argv)
    if args.case_seed is not None:
        cases = [(args.case_no, args.case_seed)]
    else:
        cases = [(i, bf.case_seed(args.seed, i)) for i in range(args.count)]
    passed = failed = skipped = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, cseed in cases:
            ok, problems = run_case(cseed, i, args, tmp)
            if ok is None:
                skipped += 1
            elif ok:
                passed += 1
            else:
                failed += 1
                print("--case-seed %d --case-no %d:" % (cseed, i))
                for p in problems[:12]:
                    print("  " + p)
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
