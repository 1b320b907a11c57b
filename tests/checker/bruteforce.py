#!/usr/bin/env python3
"""bruteforce.py - brute-force optimality suite for `circulab solve`.

Usage: bruteforce.py --circulab PATH [--count 200] [--seed S] [--keep-failures DIR]
       bruteforce.py --oracle-only [--count N] [--seed S] [--dump DIR]
       bruteforce.py --circulab PATH --case-seed N     (re-run one case)

Generates random tiny scenarios (a handful of workers and vacancies on dates close enough
that conflicts, gaps, stay limits, home time, housing, training lead times and
reintegration windows all bite), solves each with `circulab solve FILE --json --quiet`,
and compares the objective with the true optimum found here by exhaustive enumeration.
Every result also goes through check_result.check. One line per failing case (with the
case seed that regenerates it), the failing scenario kept in --keep-failures, and a last
line `N passed, N failed`; exit 0 only when nothing failed.

Why an enumeration and not a second model: the oracle must not share the engine's
formulation. For every worker it lists every feasible *option* - a set of its eligible
vacancies that do not conflict and fit the stay and max_placements limits, with every
admissible choice of one training session per needed course and of a reintegration
programme - and then finds the best combination of one option per worker by a memoised
search over workers whose state is the residual capacity of every shared resource
(headcount, hold_named slots, beds per site and date, quota maxima, session seats,
programme places) and the counts of quotas with a minimum. The memo key is capped at what
the remaining workers could still use, so equal futures merge; the search is exact.
Everything is derived from the contract only (docs/FORMATS.md, docs/MODEL.md; via
check_result.Scenario).

Each case is generated from its own integer seed (seed * 1000003 + index), so a run is
deterministic for a seed and a single failing case can be replayed with --case-seed.
Python 3 standard library only.
"""

import argparse
import datetime
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_result as cr  # noqa: E402

BASE = datetime.date(2026, 3, 1).toordinal()
COURSES = ("phyto", "safety", "forklift")
DEST_REGIONS = ("ES615", "ES618", "ES613")
SECTORS = ("berries", "citrus")
OCCUPATIONS = ("isco:9211", "isco:9212")


def d(offset):
    return cr.iso(BASE + offset)


def maybe(rng, p):
    return rng.random() < p


# ---- generator ----------------------------------------------------------------------------

def generate(rng, case_no, name, max_workers=8, max_vacancies=4):
    """One random tiny scenario document."""
    doc = {"format": cr.FORMAT_SCENARIO, "name": name}

    # policy
    pol = {}
    for key, choices in (("max_stay_days", (None, None, 20, 30, 45)),
                         ("min_gap_days", (None, 0, 2, 5)),
                         ("min_home_days", (None, None, 5, 15)),
                         ("max_placements", (None, None, 0, 1, 2)),
                         ("training_lead_days", (None, 0, 2, 5)),
                         ("reintegration_window_days", (None, 10, 30)),
                         ("tenure_cap", (None, 2, 4)),
                         ("min_age", (None, None, None, 18, 21))):
        c = rng.choice(choices)
        if c is not None:
            pol[key] = c
    if maybe(rng, 0.15):
        pol["allowed_countries"] = ["MA"]
    pol["reintegration"] = ("none", "reward", "required")[case_no % 3]
    if maybe(rng, 0.35):
        wts = {}
        for k, dv in cr.DEFAULT_WEIGHTS.items():
            if maybe(rng, 0.5):
                wts[k] = 0 if maybe(rng, 0.3) else round(rng.uniform(0, 2 * dv), 2)
        pol["weights"] = wts
    doc["policy"] = pol

    # employers and sites
    employers = []
    n_emp = rng.randint(1, 3)
    for e in range(n_emp):
        eid = "E%d" % (e + 1)
        reg = rng.choice(DEST_REGIONS)
        emp = {"id": eid, "region": reg}
        if maybe(rng, 0.5):
            emp["association"] = rng.choice(("freshuelva", "interfresa"))
        n_sites = rng.choice((0, 1, 1, 2))
        if n_sites:
            emp["sites"] = []
            for s in range(n_sites):
                site = {"id": "%s-S%d" % (eid, s + 1),
                        "region": reg if maybe(rng, 0.6) else rng.choice(DEST_REGIONS)}
                if maybe(rng, 0.6):
                    site["beds"] = rng.randint(1, 3)
                emp["sites"].append(site)
        employers.append(emp)
    doc["employers"] = employers

    # workers
    n_w = rng.randint(min(3, max_workers), max_workers)
    n_v = rng.randint(min(2, max_vacancies), max_vacancies) if maybe(rng, 0.9) else 1
    worker_ids = ["W%d" % (i + 1) for i in range(n_w)]
    workers = []
    for wid in worker_ids:
        country = "MA" if maybe(rng, 0.8) else "SN"
        if maybe(rng, 0.12):  # around the 18th or 21st birthday during the window
            by = 2026 - rng.choice((18, 21))
            birth = datetime.date(by, rng.randint(2, 4), rng.randint(1, 28))
        else:
            birth = datetime.date(rng.randint(1975, 2003), rng.randint(1, 12),
                                  rng.randint(1, 28))
        w = {"id": wid, "birth_date": birth.isoformat(), "country": country,
             "available": {"from": d(rng.choice((-10, -5, 0, 0, 0, 12))),
                           "to": d(rng.choice((35, 60, 90, 90, 90, 90)))}}
        if maybe(rng, 0.8):
            regions = ("MA-05", "MA-06") if country == "MA" else ("SN-DK",)
            w["region"] = rng.choice(regions)
        if maybe(rng, 0.85):
            w["sex"] = rng.choice(("F", "M", "F", "X"))
        w["languages"] = rng.sample(("ar", "es", "fr"), rng.randint(0, 2))
        w["skills"] = rng.sample(("isco:9211", "pruning"), rng.randint(0, 2))
        if maybe(rng, 0.5) and "es" not in w["languages"]:
            w["languages"].append("es")
        if maybe(rng, 0.4):
            w["trainings"] = rng.sample(COURSES, rng.randint(1, 2))
        pool = ["E%d" % (e + 1) for e in range(n_emp)] + \
            ["sector:" + s for s in SECTORS] + ["region:" + r for r in DEST_REGIONS]
        if maybe(rng, 0.6):
            w["preferences"] = rng.sample(pool, rng.randint(1, 3))
        if maybe(rng, 0.1):
            w["excludes"] = [rng.choice(pool)]
        if maybe(rng, 0.65):
            h = {"campaigns": rng.randint(0, 6), "returned": maybe(rng, 0.6)}
            if maybe(rng, 0.5):
                h["last_employer"] = rng.choice(["E%d" % (e + 1) for e in range(n_emp)])
            if maybe(rng, 0.4):
                h["last_return"] = d(rng.randint(-30, 10))
            if maybe(rng, 0.3):
                h["days_abroad"] = rng.randint(0, 30)
            if maybe(rng, 0.1):
                h["banned_until"] = d(rng.randint(-5, 25)) if maybe(rng, 0.8) else None
            w["history"] = h
        workers.append(w)
    doc["workers"] = workers

    # vacancies
    vacancies = []
    for i in range(n_v):
        emp = rng.choice(employers)
        v = {"id": "V%d" % (i + 1), "employer": emp["id"]}
        sites = emp.get("sites") or []
        if len(sites) > 1 or (len(sites) == 1 and maybe(rng, 0.5)):
            v["site"] = rng.choice(sites)["id"]
        elif not sites and maybe(rng, 0.1):
            v["site"] = emp["id"]  # the implicit site, named explicitly
        if maybe(rng, 0.8):
            v["sector"] = rng.choice(SECTORS)
        if maybe(rng, 0.7):
            v["occupation"] = rng.choice(OCCUPATIONS)
        start = rng.randint(0, 40)
        length = rng.randint(3, 20)
        v["start"] = d(start)
        v["end"] = d(start + length - 1)
        v["headcount"] = rng.choice((1, 1, 2, 2, 3))
        req = {}
        if maybe(rng, 0.15):
            req["skills"] = ["pruning"]
        if maybe(rng, 0.45):
            req["trainings"] = rng.sample(COURSES[:2], rng.randint(1, 2))
        if maybe(rng, 0.12):
            req["languages"] = ["es"]
        if maybe(rng, 0.12):
            req["min_campaigns"] = rng.randint(1, 2)
        if req:
            v["requires"] = req
        if maybe(rng, 0.35):
            named = rng.sample(worker_ids, rng.randint(1, min(2, n_w)))
            if maybe(rng, 0.2):
                named.append("W99")  # not a worker of the scenario
            v["named"] = named
            v["hold_named"] = maybe(rng, 0.6)
        if maybe(rng, 0.1):
            v["wage_month_eur"] = 1381
        vacancies.append(v)
    doc["vacancies"] = vacancies

    # training sessions for the courses vacancies require (sometimes one more)
    courses = sorted(set(c for v in vacancies
                         for c in (v.get("requires") or {}).get("trainings", [])))
    if maybe(rng, 0.2):
        courses.append("forklift")
    sessions = []
    for c in courses:
        for _ in range(rng.randint(1, 3)):
            country = "MA" if maybe(rng, 0.85) else "SN"
            k = {"id": "T%d" % (len(sessions) + 1), "course": c, "country": country}
            if maybe(rng, 0.3):
                k["region"] = "MA-05" if country == "MA" else "SN-DK"
            start = rng.randint(-20, 25)
            k["start"] = d(start)
            k["end"] = d(start + rng.randint(0, 2))
            k["capacity"] = rng.randint(1, 3)
            if maybe(rng, 0.75):
                k["cost"] = rng.choice((0, 15, 35, 60, 35.5))
            sessions.append(k)
    if sessions:
        doc["sessions"] = sessions

    # reintegration programmes
    mode = pol["reintegration"]
    n_prog = rng.randint(1, 3) if mode != "none" else rng.randint(0, 1)
    programmes = []
    for i in range(n_prog):
        country = "MA" if maybe(rng, 0.85) else "SN"
        r = {"id": "R%d" % (i + 1), "country": country}
        if maybe(rng, 0.3):
            r["region"] = "MA-05" if country == "MA" else "SN-DK"
        if mode == "none" or maybe(rng, 0.3):
            start = rng.randint(10, 75)
        else:  # shortly after some vacancy ends
            start = cr.day(rng.choice(vacancies)["end"]) - BASE + rng.randint(-3, 25)
        r["start"] = d(start)
        r["end"] = d(start + 60)
        r["capacity"] = rng.randint(1, 4)
        programmes.append(r)
    if programmes:
        doc["programmes"] = programmes

    # quotas, sometimes nested
    quotas = []
    for i in range(rng.choice((0, 0, 1, 2, 3))):
        if quotas and maybe(rng, 0.4):
            where = dict(rng.choice(quotas)["where"])  # nest inside an earlier one
        else:
            where = {}
        for key in rng.sample(("origin_country", "origin_region", "dest_region",
                               "sector", "employer", "association", "sex", "returning",
                               "start_from", "start_to", "occupation"),
                              rng.randint(0, 2)):
            if key == "origin_country":
                where[key] = ["MA"] if maybe(rng, 0.7) else ["MA", "SN"]
            elif key == "origin_region":
                where[key] = rng.sample(("MA-05", "MA-06", "SN-DK"), rng.randint(1, 2))
            elif key == "dest_region":
                where[key] = rng.sample(DEST_REGIONS, rng.randint(1, 2))
            elif key == "sector":
                where[key] = [rng.choice(SECTORS)]
            elif key == "employer":
                where[key] = rng.sample([e["id"] for e in employers],
                                        rng.randint(1, n_emp))
            elif key == "association":
                where[key] = [rng.choice(("freshuelva", "interfresa"))]
            elif key == "sex":
                where[key] = rng.sample(("F", "M", "X"), rng.randint(1, 2))
            elif key == "returning":
                where[key] = maybe(rng, 0.5)
            elif key == "start_from":
                where[key] = d(rng.randint(0, 25))
            elif key == "start_to":
                where[key] = d(rng.randint(10, 40))
            elif key == "occupation":
                where[key] = [rng.choice(OCCUPATIONS)]
        if where.get("start_to", "9") < where.get("start_from", ""):
            # circulab rejects an empty start range (the contract is silent; a sensible check)
            where["start_from"], where["start_to"] = where["start_to"], where["start_from"]
        q = {"id": "Q%d" % (i + 1), "unit": rng.choice(("placements", "workers")),
             "where": where}
        if maybe(rng, 0.6):
            q["max"] = rng.randint(0, 4)
        if "max" not in q or maybe(rng, 0.4):
            # circulab rejects min above max (the contract is silent; a sensible check)
            q["min"] = rng.randint(1, q.get("max", 4) or 1) if "max" in q and q["max"] \
                else rng.randint(1, 4)
            if "max" in q and q["max"] == 0:
                del q["max"]
        quotas.append(q)
    if quotas:
        doc["quotas"] = quotas

    all_pairs = [(w["id"], v["id"]) for w in workers for v in vacancies]

    if maybe(rng, 0.4):
        doc["scores"] = [{"worker": w, "vacancy": v,
                          "value": rng.choice((rng.randint(-200, 400),
                                               round(rng.uniform(-50, 50), 3)))}
                         for (w, v) in rng.sample(all_pairs, min(len(all_pairs),
                                                                 rng.randint(1, 5)))]
    if maybe(rng, 0.3):
        bans = []
        for _ in range(rng.randint(1, 2)):
            w = rng.choice(worker_ids)
            if maybe(rng, 0.6):
                bans.append({"worker": w, "vacancy": rng.choice(vacancies)["id"]})
            else:
                bans.append({"worker": w, "employer": rng.choice(employers)["id"]})
        doc["bans"] = bans
    prev = []
    used = set()
    if maybe(rng, 0.4):
        for (w, v) in rng.sample(all_pairs, min(len(all_pairs), rng.randint(1, 3))):
            prev.append({"worker": w, "vacancy": v, "status": "proposed"})
            used.add((w, v))
    if maybe(rng, 0.12):
        rest = [p for p in all_pairs if p not in used]
        if rest:
            w, v = rng.choice(rest)
            prev.append({"worker": w, "vacancy": v, "status": "confirmed"})
    if prev:
        doc["previous"] = prev

    # pins only on eligible pairs (an ineligible pin is an input error)
    if maybe(rng, 0.25):
        S = cr.Scenario(doc)
        elig = [p for p in all_pairs if S.eligible(*p)]
        if elig:
            doc["pins"] = [{"worker": w, "vacancy": v}
                           for (w, v) in rng.sample(elig, min(len(elig),
                                                              rng.randint(1, 2)))]
    return doc


# ---- oracle: exhaustive enumeration -------------------------------------------------------

class Option:
    __slots__ = ("value", "vacancies", "sessions", "programme", "usage", "minq")

    def __init__(self, value, vacancies, sessions, programme, usage, minq):
        self.value = value
        self.vacancies = vacancies
        self.sessions = sessions
        self.programme = programme
        self.usage = usage  # tuple of (resource index, amount)
        self.minq = minq    # tuple of (min-quota index, amount)


def worker_options(S, wid, res_index, min_quotas, pinned):
    """Every feasible option of one worker, as Option objects (possibly none)."""
    w = S.workers[wid]
    wt = S.weights
    elig = [vid for vid in S.vacancy_order if S.eligible(wid, vid)]
    if not pinned <= set(elig):
        return []
    opts = []
    for r in range(len(elig) + 1):
        for combo in itertools.combinations(elig, r):
            if not pinned <= set(combo):
                continue
            vs = [S.vacancies[v] for v in combo]
            if S.max_placements > 0 and len(vs) > S.max_placements:
                continue
            # the stay limit binds placed workers only: without pins the empty plan
            # is always feasible (docs/MODEL.md §3.8), even for a worker whose days_abroad
            # alone exceed max_stay_days
            if vs and sum(v["days"] for v in vs) + w["days_abroad"] > S.max_stay:
                continue
            if any(S.conflict(a, b) for a, b in itertools.combinations(vs, 2)):
                continue
            base = sum(S.placement_value(wid, v) for v in combo)
            # training: one session per needed course
            need = {}
            for v in vs:
                for c in S.needed_courses(w, v):
                    need.setdefault(c, []).append(v)
            choices = []
            for c in sorted(need):
                first = min(v["start"] for v in need[c])
                cands = [k for k in S.session_order
                         if S.sessions[k]["course"] == c
                         and S.open_to(S.sessions[k], w)
                         and S.sessions[k]["end"] + S.lead < first
                         and not any(S.sessions[k]["start"] <= v["end"] and
                                     v["start"] <= S.sessions[k]["end"] for v in vs)]
                choices.append(cands)
            # reintegration
            if not vs or S.mode == "none":
                progs = [None]
            else:
                last_end = max(v["end"] for v in vs)
                ok = [r_ for r_ in S.programme_order
                      if S.open_to(S.programmes[r_], w)
                      and last_end < S.programmes[r_]["start"] <= last_end + S.window]
                progs = ([None] + ok) if S.mode == "reward" else ok
            # shared resources of the placements
            use = {}
            for v in vs:
                use[("hc", v["id"])] = use.get(("hc", v["id"]), 0) + 1
                if v["hold_named"] and wid not in v["named_set"]:
                    use[("hn", v["id"])] = 1
                site = S.sites.get(v["site"])
                if site is not None and site.get("beds") is not None:
                    for dd in res_index["checkpoints"][v["site"]]:
                        if v["start"] <= dd <= v["end"]:
                            key = ("bed", v["site"], dd)
                            use[key] = use.get(key, 0) + 1
            minq = []
            for qi, q in enumerate(S.quotas):
                matching = [v for v in combo if S.quota_matches(q, wid, v)]
                amt = (1 if matching else 0) if q["unit"] == "workers" else len(matching)
                if amt and q["max"] is not None:
                    use[("qmax", qi)] = amt
                if amt and qi in min_quotas:
                    minq.append((min_quotas[qi], amt))
            for sess in itertools.product(*choices):
                cost = sum(S.sessions[k]["cost"] for k in sess)
                for prog in progs:
                    u = dict(use)
                    for k in sess:
                        u[("sess", k)] = 1
                    if prog is not None:
                        u[("prog", prog)] = 1
                    val = base - wt["training_cost"] * cost
                    if prog is not None and S.mode == "reward":
                        val += wt["reintegration"]
                    usage = []
                    fits = True
                    for key, amt in u.items():
                        idx = res_index["index"].get(key)
                        if idx is None:
                            idx = len(res_index["caps"])
                            res_index["index"][key] = idx
                            res_index["caps"].append(capacity_of(S, key))
                        if amt > res_index["caps"][idx]:
                            fits = False
                        usage.append((idx, amt))
                    if fits:
                        opts.append(Option(val, combo, tuple(sess), prog,
                                           tuple(sorted(usage)), tuple(minq)))
    return prune_dominated(opts)


def capacity_of(S, key):
    kind = key[0]
    if kind == "hc":
        return S.vacancies[key[1]]["headcount"]
    if kind == "hn":
        return S.vacancies[key[1]]["non_named_cap"]
    if kind == "bed":
        return int(S.sites[key[1]]["beds"])
    if kind == "qmax":
        return int(S.quotas[key[1]]["max"])
    if kind == "sess":
        return S.sessions[key[1]]["capacity"]
    if kind == "prog":
        return S.programmes[key[1]]["capacity"]
    raise ValueError(key)


def prune_dominated(opts):
    """Drop an option when another one is worth at least as much, uses no more of any
    resource and contributes at least as much to every quota minimum."""
    opts.sort(key=lambda o: (-o.value, len(o.usage)))
    kept = []
    for o in opts:
        ou = dict(o.usage)
        om = dict(o.minq)
        dominated = False
        for k in kept:
            if k.value < o.value:
                continue
            if all(ou.get(i, 0) >= a for i, a in k.usage) and \
                    all(dict(k.minq).get(i, 0) >= a for i, a in om.items()):
                dominated = True
                break
        if not dominated:
            kept.append(o)
    return kept


def solve_oracle(S):
    """The true optimum: (objective, plan) or (None, None) when the pins cannot hold.
    A plan is (placements, training, enrolments) as lists of id pairs."""
    res_index = {"index": {}, "caps": [], "checkpoints": {}}
    for sid, s in S.sites.items():
        res_index["checkpoints"][sid] = sorted(set(
            v["start"] for v in S.vacancies.values() if v["site"] == sid))
    min_quotas = {}
    min_targets = []
    for qi, q in enumerate(S.quotas):
        if q["min"] is not None and int(q["min"]) > 0:
            min_quotas[qi] = len(min_targets)
            min_targets.append(int(q["min"]))
    pins = {}
    for (w, v) in S.pins:
        pins.setdefault(w, set()).add(v)
    for (w, v) in S.confirmed:
        if w in S.workers and v in S.vacancies and S.eligible(w, v):
            pins.setdefault(w, set()).add(v)

    wids = []
    options = []
    for wid in S.worker_order:
        opts = worker_options(S, wid, res_index, min_quotas, pins.get(wid, set()))
        if not opts:
            return None, None
        if len(opts) == 1 and not opts[0].vacancies:
            continue  # only the empty option
        wids.append(wid)
        options.append(opts)
    # most constrained first: pinned workers, then fewer options
    order = sorted(range(len(wids)), key=lambda i: (wids[i] not in pins, len(options[i])))
    wids = [wids[i] for i in order]
    options = [options[i] for i in order]
    n = len(wids)
    caps = list(res_index["caps"])
    wq = S.weights["quota_shortfall"]

    # resources the workers i.. may still use, and how much at most
    future = [dict() for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        f = dict(future[i + 1])
        mx = {}
        for o in options[i]:
            for r, a in o.usage:
                if a > mx.get(r, 0):
                    mx[r] = a
        for r, a in mx.items():
            f[r] = f.get(r, 0) + a
        future[i] = f
    future_keys = [tuple(sorted(f.items())) for f in future]

    counts = [0] * len(min_targets)
    memo = [dict() for _ in range(n + 1)]
    NEG = float("-inf")

    def terminal():
        return -wq * sum(max(0, t - c) for t, c in zip(min_targets, counts))

    def go(i):
        key = (tuple(min(caps[r], m) for r, m in future_keys[i]),
               tuple(min(c, t) for c, t in zip(counts, min_targets)))
        hit = memo[i].get(key)
        if hit is not None:
            return hit[0]
        if i == n:
            memo[i][key] = (terminal(), None)
            return memo[i][key][0]
        best, best_j = NEG, None
        for j, o in enumerate(options[i]):
            if any(caps[r] < a for r, a in o.usage):
                continue
            for r, a in o.usage:
                caps[r] -= a
            for q, a in o.minq:
                counts[q] += a
            val = go(i + 1)
            for r, a in o.usage:
                caps[r] += a
            for q, a in o.minq:
                counts[q] -= a
            if val != NEG and o.value + val > best:
                best, best_j = o.value + val, j
        memo[i][key] = (best, best_j)
        return best

    best = go(0)
    if best == NEG:
        return None, None
    # walk the memo for the plan
    placements, training, enrol = [], [], []
    for i in range(n):
        key = (tuple(min(caps[r], m) for r, m in future_keys[i]),
               tuple(min(c, t) for c, t in zip(counts, min_targets)))
        o = options[i][memo[i][key][1]]
        for r, a in o.usage:
            caps[r] -= a
        for q, a in o.minq:
            counts[q] += a
        placements += [(wids[i], v) for v in o.vacancies]
        training += [(wids[i], k) for k in o.sessions]
        if o.programme is not None:
            enrol.append((wids[i], o.programme))
    return best, (placements, training, enrol)


def plan_as_result(S, plan, objective):
    """The oracle's plan as a circulab-result/1 document (for the checker and reports)."""
    placements, training, enrol = plan
    placements = sorted(placements, key=lambda p: (p[1], p[0]))
    res = {"format": cr.FORMAT_RESULT, "scenario": S.name or "", "status": "optimal",
           "objective": objective, "bound": objective, "gap": 0.0,
           "placements": [], "training": [], "reintegration": [], "vacancies": [],
           "quotas": [], "reserve": [], "conflicts": []}
    for (w, v) in placements:
        vac = S.vacancies[v]
        res["placements"].append({"worker": w, "vacancy": v, "employer": vac["employer"],
                                  "site": vac["site"], "start": vac["start_text"],
                                  "end": vac["end_text"],
                                  "value": S.placement_value(w, v)})
    for (w, k) in sorted(training):
        res["training"].append({"worker": w, "session": k,
                                "course": S.sessions[k]["course"]})
    for (w, r) in sorted(enrol):
        res["reintegration"].append({"worker": w, "programme": r})
    for vid in S.vacancy_order:
        res["vacancies"].append({"id": vid, "headcount": S.vacancies[vid]["headcount"],
                                 "filled": sum(1 for p in placements if p[1] == vid)})
    for q in S.quotas:
        c = S.quota_count(q, placements)
        res["quotas"].append({"id": q["id"], "count": c, "max": q["max"],
                              "min": q["min"] if q["min"] is not None else 0,
                              "shortfall": S.shortfall(q, c)})
    for (w, v) in S.confirmed:
        if w in S.workers and v in S.vacancies and not S.eligible(w, v):
            res["conflicts"].append("confirmed previous (%s, %s) is no longer eligible"
                                    % (w, v))
    return res


# ---- driver -------------------------------------------------------------------------------

def case_seed(seed, i):
    return seed * 1000003 + i


def run_case(cseed, case_no, args, tmpdir):
    """Returns (ok, message, details)."""
    rng = random.Random(cseed)
    doc = generate(rng, case_no, "bf-%d" % cseed, args.workers, args.vacancies)
    S = cr.Scenario(doc)
    t0 = time.monotonic()
    best, plan = solve_oracle(S)
    t_oracle = time.monotonic() - t0
    oracle_res = plan_as_result(S, plan, best) if plan is not None else None
    details = {"scenario": doc, "oracle": oracle_res, "oracle_seconds": t_oracle}

    # the oracle's own plan must pass the checker and reproduce its objective
    if oracle_res is not None:
        v = cr.check(doc, oracle_res)
        if v:
            return False, "oracle plan fails the checker: " + "; ".join(v), details
    if args.oracle_only:
        return True, "", details

    path = os.path.join(tmpdir, "case-%d.json" % cseed)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
    try:
        proc = subprocess.run([args.circulab, "solve", path, "--json", "--quiet"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return False, "circulab timed out after %gs" % args.timeout, details
    details["exit"] = proc.returncode
    details["stderr"] = proc.stderr.decode("utf-8", "replace")
    if best is None:
        if proc.returncode == 4:
            return True, "", details
        return False, ("oracle: infeasible (pins cannot hold); circulab exited %d: %s"
                       % (proc.returncode, details["stderr"].strip()[:300])), details
    if proc.returncode != 0:
        return False, ("circulab exited %d (oracle optimum %.6f): %s"
                       % (proc.returncode, best, details["stderr"].strip()[:300])), details
    try:
        res = json.loads(proc.stdout.decode("utf-8"))
    except ValueError as exc:
        return False, "circulab output is not JSON: %s" % exc, details
    details["result"] = res
    problems = []
    obj = res.get("objective")
    if not isinstance(obj, (int, float)):
        problems.append("no numeric objective")
    elif not cr.close_enough(float(obj), best):
        problems.append("objective %.6f, true optimum %.6f" % (obj, best))
    if res.get("status") != "optimal":
        problems.append("status %r, expected optimal" % res.get("status"))
    problems += ["checker: " + v for v in cr.check(doc, res)]
    if problems:
        return False, "; ".join(problems), details
    return True, "", details


def plan_text(res):
    if not res:
        return "(none)"
    p = ", ".join("%s->%s" % (x["worker"], x["vacancy"]) for x in res.get("placements", []))
    t = ", ".join("%s@%s" % (x["worker"], x["session"]) for x in res.get("training", []))
    r = ", ".join("%s@%s" % (x["worker"], x["programme"])
                  for x in res.get("reintegration", []))
    return "placements [%s] training [%s] reintegration [%s]" % (p, t, r)


def main(argv):
    ap = argparse.ArgumentParser(description="brute-force optimality suite for circulab")
    ap.add_argument("--circulab", help="path of the circulab program")
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--case-seed", type=int, help="run only the case with this seed")
    ap.add_argument("--keep-failures", metavar="DIR")
    ap.add_argument("--dump", metavar="DIR", help="write every generated scenario here")
    ap.add_argument("--oracle-only", action="store_true",
                    help="generate and enumerate only (no circulab)")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=8, help="most workers per case")
    ap.add_argument("--vacancies", type=int, default=4, help="most vacancies per case")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv[1:])
    if not args.oracle_only and not args.circulab:
        ap.error("--circulab is required (or --oracle-only)")

    if args.case_seed is not None:
        cases = [(args.case_seed, args.case_seed % 1000003)]
    else:
        cases = [(case_seed(args.seed, i), i) for i in range(args.count)]
    passed = failed = 0
    slowest = (0.0, None)
    t_start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="clb-bf-") as tmpdir:
        for cseed, case_no in cases:
            ok, msg, det = run_case(cseed, case_no, args, tmpdir)
            if det["oracle_seconds"] > slowest[0]:
                slowest = (det["oracle_seconds"], cseed)
            if args.dump:
                os.makedirs(args.dump, exist_ok=True)
                with open(os.path.join(args.dump, "bf-%d.json" % cseed), "w",
                          encoding="utf-8") as f:
                    json.dump(det["scenario"], f, indent=1)
            if ok:
                passed += 1
                if args.verbose:
                    o = det["oracle"]
                    print("ok case-seed %d: optimum %s (%.3fs)" % (
                        cseed, o["objective"] if o else "infeasible",
                        det["oracle_seconds"]))
                continue
            failed += 1
            print("FAIL case-seed %d: %s" % (cseed, msg))
            if args.verbose:
                print("   oracle:  " + plan_text(det.get("oracle")))
                print("   circulab: " + plan_text(det.get("result")))
            if args.keep_failures:
                os.makedirs(args.keep_failures, exist_ok=True)
                base = os.path.join(args.keep_failures, "bf-%d" % cseed)
                with open(base + ".json", "w", encoding="utf-8") as f:
                    json.dump(det["scenario"], f, indent=1)
                if det.get("oracle") is not None:
                    with open(base + ".oracle.json", "w", encoding="utf-8") as f:
                        json.dump(det["oracle"], f, indent=1)
                if det.get("result") is not None:
                    with open(base + ".result.json", "w", encoding="utf-8") as f:
                        json.dump(det["result"], f, indent=1)
    elapsed = time.monotonic() - t_start
    print("%d cases in %.1fs; slowest enumeration %.3fs (case-seed %s)"
          % (passed + failed, elapsed, slowest[0], slowest[1]))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
