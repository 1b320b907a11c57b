#!/usr/bin/env python3
"""check_result.py - an independent checker of circulab results.

Usage: check_result.py SCENARIO.json RESULT.json

Reads a circulab-scenario/1 document and a circulab-result/1 document and verifies, from
the text of the contract alone (docs/FORMATS.md §1, §2, §4 and docs/MODEL.md §3), that
the result is a valid plan of the scenario: every placement is an eligible pair (all eleven
rules of MODEL.md §3.1, recomputed here with the defaults of FORMATS.md §2.1-2.4), every
hard constraint of MODEL.md §3.3 holds, training (§3.4) and reintegration (§3.6) are
scheduled as MODEL.md says, the reported fills, quota counts and shortfalls are right, and
the objective recomputed with MODEL.md §3.7 equals the reported one. Exit 0 and print
`ok: N placements, objective X`, or print one violation per line and exit 1.

It is deliberately written apart from the C engine (it shares no code and was written
without reading the model) so that the two can check each other. It is also a module:
`check(scenario, result)` returns the list of violations, `objective(scenario, result)`
recomputes the objective of a result, and `Scenario` holds the normalised scenario with
`eligibility(w, v)`, which the brute-force suite (bruteforce.py) reuses.

Where the contract is silent the checker accepts every reading that users could expect (for
example placements sorted by id or by input order) and says so in tests/checker/README.md.
Python 3 standard library only.
"""

import datetime
import json
import sys

FORMAT_SCENARIO = "circulab-scenario/1"
FORMAT_RESULT = "circulab-result/1"

DEFAULT_POLICY = {
    "min_age": 18,
    "max_stay_days": 270,
    "min_gap_days": 0,
    "min_home_days": 0,
    "max_placements": 0,
    "allowed_countries": None,
    "min_offer_size": 1,
    "training_lead_days": 0,
    "reintegration": "none",
    "reintegration_window_days": 60,
    "tenure_cap": 4,
    "no_return_ban_days": 730,
}

DEFAULT_WEIGHTS = {
    "fill": 1000.0,
    "returning": 200.0,
    "tenure": 25.0,
    "named": 300.0,
    "same_employer": 100.0,
    "preference": 50.0,
    "score": 1.0,
    "keep": 150.0,
    "training_cost": 1.0,
    "quota_shortfall": 2000.0,
    "reintegration": 20.0,
}

RULES = ("age", "country", "availability", "skills", "experience", "training",
         "home_time", "stay", "banned", "ban", "excluded")

REL_TOL = 1e-6


def close_enough(a, b, rel=REL_TOL):
    """Equal within `rel` relative, with an absolute floor of `rel`."""
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def day(text):
    """An ISO date as a day number (proleptic Gregorian ordinal)."""
    return datetime.date.fromisoformat(text).toordinal()


def iso(n):
    return datetime.date.fromordinal(n).isoformat()


def age_on(birth, d):
    """Age in full years on date d (docs/FORMATS.md §1)."""
    b = datetime.date.fromisoformat(birth)
    x = datetime.date.fromordinal(d)
    return x.year - b.year - (1 if (x.month, x.day) < (b.month, b.day) else 0)


class Scenario:
    """A scenario document with the defaults of docs/FORMATS.md §2 and derived values."""

    def __init__(self, doc):
        self.doc = doc
        self.name = doc.get("name")
        pol = doc.get("policy") or {}
        self.policy = dict(DEFAULT_POLICY)
        for k, v in pol.items():
            if k != "weights" and v is not None:
                self.policy[k] = v
        self.weights = dict(DEFAULT_WEIGHTS)
        for k, v in (pol.get("weights") or {}).items():
            if not k.startswith("x-"):
                self.weights[k] = float(v)
        p = self.policy
        self.min_gap = int(p["min_gap_days"])
        self.max_stay = int(p["max_stay_days"])
        self.max_placements = int(p["max_placements"])
        self.lead = int(p["training_lead_days"])
        self.mode = p["reintegration"]
        self.window = int(p["reintegration_window_days"])

        # workers
        self.workers = {}
        self.worker_order = []
        for w in doc.get("workers") or []:
            h = w.get("history") or {}
            av = w.get("available") or {}
            rec = {
                "id": w["id"],
                "birth_date": w["birth_date"],
                "country": w["country"],
                "region": w.get("region"),
                "sex": w.get("sex"),
                "languages": set(w.get("languages") or []),
                "skills": set(w.get("skills") or []),
                "trainings": set(w.get("trainings") or []),
                "from": day(av["from"]) if av.get("from") else None,
                "to": day(av["to"]) if av.get("to") else None,
                "preferences": list(w.get("preferences") or []),
                "excludes": list(w.get("excludes") or []),
                "campaigns": int(h.get("campaigns") or 0),
                "returned": bool(h.get("returned") or False),
                "last_employer": h.get("last_employer"),
                "last_return": day(h["last_return"]) if h.get("last_return") else None,
                "days_abroad": int(h.get("days_abroad") or 0),
                "banned_until": day(h["banned_until"]) if h.get("banned_until") else None,
            }
            rec["returning"] = rec["campaigns"] >= 1 and rec["returned"]
            self.workers[rec["id"]] = rec
            self.worker_order.append(rec["id"])

        # employers and sites (an employer without sites has one implicit site named
        # after it, unlimited; a site without beds is unlimited; a site without a region
        # is taken to be in its employer's region)
        self.employers = {}
        self.sites = {}
        for e in doc.get("employers") or []:
            rec = {"id": e["id"], "region": e["region"],
                   "association": e.get("association"), "sites": []}
            sites = e.get("sites") or []
            if not sites:
                sites = [{"id": e["id"], "region": e["region"]}]
            for s in sites:
                sid = s["id"]
                self.sites[sid] = {"id": sid, "employer": e["id"],
                                   "region": s.get("region") or e["region"],
                                   "beds": s.get("beds")}
                rec["sites"].append(sid)
            self.employers[rec["id"]] = rec

        # vacancies
        self.vacancies = {}
        self.vacancy_order = []
        for v in doc.get("vacancies") or []:
            emp = self.employers.get(v["employer"])
            site = v.get("site")
            if site is None and emp is not None and len(emp["sites"]) == 1:
                site = emp["sites"][0]
            s_rec = self.sites.get(site) if site is not None else None
            req = v.get("requires") or {}
            named = list(v.get("named") or [])
            rec = {
                "id": v["id"],
                "employer": v["employer"],
                "association": emp["association"] if emp else None,
                "site": site,
                "region": s_rec["region"] if s_rec else (emp["region"] if emp else None),
                "sector": v.get("sector"),
                "occupation": v.get("occupation"),
                "start_text": v["start"],
                "end_text": v["end"],
                "start": day(v["start"]),
                "end": day(v["end"]),
                "headcount": int(v["headcount"]),
                "req_skills": list(req.get("skills") or []),
                "req_trainings": list(req.get("trainings") or []),
                "req_languages": list(req.get("languages") or []),
                "min_campaigns": int(req.get("min_campaigns") or 0),
                "named": named,
                "named_set": set(named),
                "hold_named": bool(v.get("hold_named") or False),
            }
            rec["days"] = rec["end"] - rec["start"] + 1
            known_named = set(n for n in named if n in self.workers)
            rec["non_named_cap"] = max(0, rec["headcount"] - len(known_named))
            self.vacancies[rec["id"]] = rec
            self.vacancy_order.append(rec["id"])

        self.quotas = []
        for q in doc.get("quotas") or []:
            self.quotas.append({"id": q["id"], "max": q.get("max"), "min": q.get("min"),
                                "unit": q.get("unit") or "placements",
                                "where": q.get("where") or {}})

        self.sessions = {}
        self.session_order = []
        for k in doc.get("sessions") or []:
            self.sessions[k["id"]] = {"id": k["id"], "course": k["course"],
                                      "country": k["country"], "region": k.get("region"),
                                      "start": day(k["start"]), "end": day(k["end"]),
                                      "capacity": int(k["capacity"]),
                                      "cost": float(k.get("cost") or 0.0)}
            self.session_order.append(k["id"])

        self.programmes = {}
        self.programme_order = []
        for r in doc.get("programmes") or []:
            self.programmes[r["id"]] = {"id": r["id"], "country": r["country"],
                                        "region": r.get("region"),
                                        "start": day(r["start"]), "end": day(r["end"]),
                                        "capacity": int(r["capacity"])}
            self.programme_order.append(r["id"])

        self.scores = {}
        for s in doc.get("scores") or []:
            self.scores[(s["worker"], s["vacancy"])] = float(s["value"])

        self.pins = [(p["worker"], p["vacancy"]) for p in doc.get("pins") or []]
        self.ban_pairs = set()
        self.ban_employers = set()
        for b in doc.get("bans") or []:
            if b.get("vacancy") is not None:
                self.ban_pairs.add((b["worker"], b["vacancy"]))
            if b.get("employer") is not None:
                self.ban_employers.add((b["worker"], b["employer"]))
        self.proposed = set()
        self.confirmed = []
        for p in doc.get("previous") or []:
            pair = (p["worker"], p["vacancy"])
            if p.get("status") == "confirmed":
                self.confirmed.append(pair)
            else:
                self.proposed.add(pair)

    # ---- matching helpers -------------------------------------------------------------

    @staticmethod
    def entry_matches(entry, v):
        """A preference or exclusion entry against a vacancy: employer id, sector:S or
        region:R (the destination region)."""
        if entry.startswith("sector:"):
            return v["sector"] is not None and entry[7:] == v["sector"]
        if entry.startswith("region:"):
            return v["region"] is not None and entry[7:] == v["region"]
        return entry == v["employer"]

    @staticmethod
    def open_to(item, w):
        """A session or programme is open to a worker of its country, and of its region
        when it names one."""
        if item["country"] != w["country"]:
            return False
        if item.get("region") is not None and item["region"] != w["region"]:
            return False
        return True

    def needed_courses(self, w, v):
        return [c for c in v["req_trainings"] if c not in w["trainings"]]

    def eligibility(self, wid, vid):
        """The list of docs/MODEL.md §3.1 rules that the pair fails (empty: eligible)."""
        w = self.workers[wid]
        v = self.vacancies[vid]
        p = self.policy
        failed = []
        if age_on(w["birth_date"], v["start"]) < int(p["min_age"]):
            failed.append("age")
        ac = p["allowed_countries"]
        if ac is not None and w["country"] not in ac:
            failed.append("country")
        if ((w["from"] is not None and w["from"] > v["start"]) or
                (w["to"] is not None and v["end"] > w["to"])):
            failed.append("availability")
        if (any(s not in w["skills"] for s in v["req_skills"]) or
                any(lang not in w["languages"] for lang in v["req_languages"])):
            failed.append("skills")
        if w["campaigns"] < v["min_campaigns"]:
            failed.append("experience")
        for c in self.needed_courses(w, v):
            if not any(k["course"] == c and self.open_to(k, w) and
                       k["end"] + self.lead < v["start"]
                       for k in self.sessions.values()):
                failed.append("training")
                break
        if (w["last_return"] is not None and
                v["start"] < w["last_return"] + int(p["min_home_days"])):
            failed.append("home_time")
        if v["days"] + w["days_abroad"] > self.max_stay:
            failed.append("stay")
        if w["banned_until"] is not None and not w["banned_until"] < v["start"]:
            failed.append("banned")
        if (wid, vid) in self.ban_pairs or (wid, v["employer"]) in self.ban_employers:
            failed.append("ban")
        if any(self.entry_matches(x, v) for x in w["excludes"]):
            failed.append("excluded")
        return failed

    def eligible(self, wid, vid):
        return not self.eligibility(wid, vid)

    def pref(self, w, v):
        prefs = w["preferences"]
        n = len(prefs)
        for i, entry in enumerate(prefs):
            if self.entry_matches(entry, v):
                return (n - i) / n
        return 0.0

    def placement_value(self, wid, vid):
        """The per-placement part of the objective (docs/MODEL.md §3.7)."""
        w = self.workers[wid]
        v = self.vacancies[vid]
        wt = self.weights
        val = wt["fill"]
        if w["returning"]:
            val += wt["returning"]
        val += wt["tenure"] * min(w["campaigns"], int(self.policy["tenure_cap"]))
        if wid in v["named_set"]:
            val += wt["named"]
        if w["last_employer"] is not None and w["last_employer"] == v["employer"]:
            val += wt["same_employer"]
        val += wt["preference"] * self.pref(w, v)
        val += wt["score"] * self.scores.get((wid, vid), 0.0)
        if (wid, vid) in self.proposed:
            val += wt["keep"]
        return val

    def quota_matches(self, q, wid, vid):
        w = self.workers[wid]
        v = self.vacancies[vid]
        wh = q["where"]
        checks = (("origin_country", w["country"]), ("origin_region", w["region"]),
                  ("dest_region", v["region"]), ("sector", v["sector"]),
                  ("employer", v["employer"]), ("association", v["association"]),
                  ("occupation", v["occupation"]), ("sex", w["sex"]))
        for key, value in checks:
            if key in wh and wh[key] is not None and value not in wh[key]:
                return False
        if "returning" in wh and wh["returning"] is not None:
            if bool(wh["returning"]) != w["returning"]:
                return False
        if wh.get("start_from") and v["start"] < day(wh["start_from"]):
            return False
        if wh.get("start_to") and v["start"] > day(wh["start_to"]):
            return False
        return True

    def quota_count(self, q, pairs):
        matching = [(w, v) for (w, v) in pairs if self.quota_matches(q, w, v)]
        if q["unit"] == "workers":
            return len(set(w for (w, _) in matching))
        return len(matching)

    def shortfall(self, q, count):
        if q["min"] is None:
            return 0
        return max(0, int(q["min"]) - count)

    def conflict(self, v, u):
        """True when two placements of one worker conflict (docs/MODEL.md §3.3)."""
        if v["start"] > u["start"]:
            v, u = u, v
        return not u["start"] >= v["end"] + 1 + self.min_gap


def _num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def objective(scenario, result):
    """The objective of a result's plan recomputed with docs/MODEL.md §3.7 (placements,
    attended sessions, quota shortfalls, enrolments). `scenario` is a document or a
    Scenario."""
    S = scenario if isinstance(scenario, Scenario) else Scenario(scenario)
    pairs = [(p["worker"], p["vacancy"]) for p in result.get("placements") or []]
    training = [(t["worker"], t["session"]) for t in result.get("training") or []]
    enrol = [(r["worker"], r["programme"]) for r in result.get("reintegration") or []]
    return plan_objective(S, pairs, training, enrol)


def plan_objective(S, pairs, training, enrolments):
    wt = S.weights
    total = 0.0
    for (w, v) in pairs:
        total += S.placement_value(w, v)
    for (_, k) in training:
        total -= wt["training_cost"] * S.sessions[k]["cost"]
    for q in S.quotas:
        total -= wt["quota_shortfall"] * S.shortfall(q, S.quota_count(q, pairs))
    if S.mode == "reward":
        total += wt["reintegration"] * len(enrolments)
    return total


def _sorted_ok(keys):
    return all(keys[i] <= keys[i + 1] for i in range(len(keys) - 1))


def check(scenario, result):
    """All violations of the result against the scenario, as sentences (empty: valid)."""
    try:
        return _check(scenario, result)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return ["malformed scenario or result: %s: %s" % (type(exc).__name__, exc)]


def _check(scenario, result):
    out = []
    bad = out.append
    if isinstance(scenario, Scenario):
        S = scenario
    else:
        if scenario.get("format") != FORMAT_SCENARIO:
            bad("scenario: format is %r, expected %r" % (scenario.get("format"),
                                                         FORMAT_SCENARIO))
        S = Scenario(scenario)

    if not isinstance(result, dict):
        return ["result is not a JSON object"]
    if result.get("format") != FORMAT_RESULT:
        bad("format is %r, expected %r" % (result.get("format"), FORMAT_RESULT))
    want_name = S.name if S.name is not None else ""
    if (result.get("scenario") or "") != want_name:
        bad("scenario is %r, expected %r" % (result.get("scenario"), want_name))
    status = result.get("status")
    if status not in ("optimal", "time_limit", "gap_limit", "infeasible"):
        bad("status %r is not one of optimal, time_limit, gap_limit, infeasible" % status)
    for key in ("objective", "bound", "gap"):
        if status != "infeasible" and not _num(result.get(key)):
            bad("%s is missing or not a number: %r" % (key, result.get(key)))

    placements = result.get("placements") or []
    training = result.get("training") or []
    enrol = result.get("reintegration") or []
    if status == "infeasible":
        if placements or training or enrol:
            bad("status infeasible but the result has an assignment")
        return out

    # ---- placements: known ids, echoed fields, eligibility, no duplicates ----------
    pairs = []
    seen = set()
    for i, p in enumerate(placements):
        wid, vid = p.get("worker"), p.get("vacancy")
        where = "placements[%d] (%s, %s)" % (i, wid, vid)
        if wid not in S.workers:
            bad("%s: unknown worker %r" % (where, wid))
            continue
        if vid not in S.vacancies:
            bad("%s: unknown vacancy %r" % (where, vid))
            continue
        if (wid, vid) in seen:
            bad("%s: duplicate placement" % where)
            continue
        seen.add((wid, vid))
        pairs.append((wid, vid))
        v = S.vacancies[vid]
        if p.get("employer") != v["employer"]:
            bad("%s: employer %r, vacancy has %r" % (where, p.get("employer"),
                                                     v["employer"]))
        if p.get("site") != v["site"]:
            bad("%s: site %r, vacancy is at %r" % (where, p.get("site"), v["site"]))
        if p.get("start") != v["start_text"] or p.get("end") != v["end_text"]:
            bad("%s: period %s..%s, vacancy runs %s..%s" % (
                where, p.get("start"), p.get("end"), v["start_text"], v["end_text"]))
        if "value" in p and not _num(p["value"]):
            bad("%s: value is not a number" % where)
        failed = S.eligibility(wid, vid)
        if failed:
            bad("%s: pair is not eligible (rules: %s)" % (where, ", ".join(failed)))

    # sorted by vacancy then worker: by id, or by order in the scenario
    w_idx = {w: i for i, w in enumerate(S.worker_order)}
    v_idx = {v: i for i, v in enumerate(S.vacancy_order)}
    if not (_sorted_ok([(v, w) for (w, v) in pairs]) or
            _sorted_ok([(v_idx[v], w_idx[w]) for (w, v) in pairs])):
        bad("placements are not sorted by vacancy then worker")

    by_worker = {}
    for (w, v) in pairs:
        by_worker.setdefault(w, []).append(v)
    by_vacancy = {}
    for (w, v) in pairs:
        by_vacancy.setdefault(v, []).append(w)

    # ---- headcount and hold_named ----------------------------------------------------
    for vid, ws in by_vacancy.items():
        v = S.vacancies[vid]
        if len(ws) > v["headcount"]:
            bad("vacancy %s: %d placements exceed headcount %d" % (vid, len(ws),
                                                                 v["headcount"]))
        if v["hold_named"]:
            others = [w for w in ws if w not in v["named_set"]]
            if len(others) > v["non_named_cap"]:
                bad("vacancy %s: %d workers not named hold slots; hold_named leaves %d"
                    % (vid, len(others), v["non_named_cap"]))

    # ---- per worker: conflicts, stay, max_placements ----------------------------------
    for wid, vs in by_worker.items():
        w = S.workers[wid]
        for i in range(len(vs)):
            for j in range(i + 1, len(vs)):
                if S.conflict(S.vacancies[vs[i]], S.vacancies[vs[j]]):
                    bad("worker %s: placements %s and %s conflict (min_gap_days %d)"
                        % (wid, vs[i], vs[j], S.min_gap))
        stay = sum(S.vacancies[v]["days"] for v in vs) + w["days_abroad"]
        if stay > S.max_stay:
            bad("worker %s: %d days abroad exceed max_stay_days %d" % (wid, stay,
                                                                     S.max_stay))
        if S.max_placements > 0 and len(vs) > S.max_placements:
            bad("worker %s: %d placements exceed max_placements %d" % (
                wid, len(vs), S.max_placements))

    # ---- housing -----------------------------------------------------------------------
    for sid, s in S.sites.items():
        if s.get("beds") is None:
            continue
        here = [S.vacancies[v] for (_, v) in pairs if S.vacancies[v]["site"] == sid]
        for d in sorted(set(v["start"] for v in here)):
            n = sum(1 for v in here if v["start"] <= d <= v["end"])
            if n > int(s["beds"]):
                bad("site %s: %d workers housed on %s, beds %d" % (sid, n, iso(d),
                                                                  int(s["beds"])))

    # ---- quotas -----------------------------------------------------------------------
    counts = {}
    for q in S.quotas:
        c = S.quota_count(q, pairs)
        counts[q["id"]] = c
        if q["max"] is not None and c > int(q["max"]):
            bad("quota %s: count %d exceeds max %d" % (q["id"], c, int(q["max"])))
    rq = {}
    for i, entry in enumerate(result.get("quotas") or []):
        if entry.get("id") in rq:
            bad("quotas[%d]: quota %r listed twice" % (i, entry.get("id")))
        rq[entry.get("id")] = entry
    for q in S.quotas:
        entry = rq.get(q["id"])
        if entry is None:
            bad("quota %s: missing from result.quotas" % q["id"])
            continue
        if entry.get("count") != counts[q["id"]]:
            bad("quota %s: result count %r, recomputed %d" % (q["id"], entry.get("count"),
                                                             counts[q["id"]]))
        sf = S.shortfall(q, counts[q["id"]])
        if (entry.get("shortfall") or 0) != sf:
            bad("quota %s: result shortfall %r, recomputed %d" % (
                q["id"], entry.get("shortfall"), sf))
        if q["max"] is not None and entry.get("max") != q["max"]:
            bad("quota %s: result max %r, scenario max %r" % (q["id"], entry.get("max"),
                                                             q["max"]))
        if q["min"] is not None and entry.get("min") != q["min"]:
            bad("quota %s: result min %r, scenario min %r" % (q["id"], entry.get("min"),
                                                             q["min"]))
    for qid in rq:
        if qid not in set(q["id"] for q in S.quotas):
            bad("result.quotas lists unknown quota %r" % qid)

    # ---- pins, bans, previous -----------------------------------------------------------
    placed = set(pairs)
    for (w, v) in S.pins:
        if (w, v) not in placed:
            bad("pin (%s, %s) is not placed" % (w, v))
    # bans are eligibility rule 10, checked above with every placement
    conflicts = result.get("conflicts") or []
    conflict_text = [c if isinstance(c, str) else json.dumps(c) for c in conflicts]
    for (w, v) in S.confirmed:
        listed = any((w in t and v in t) for t in conflict_text)
        if w not in S.workers or v not in S.vacancies:
            continue
        elig = S.eligible(w, v)
        if elig and (w, v) not in placed:
            if listed:
                bad("confirmed previous (%s, %s) is eligible but reported as a conflict "
                    "and not placed" % (w, v))
            else:
                bad("confirmed previous (%s, %s) is not placed" % (w, v))
        if not elig and not listed:
            bad("confirmed previous (%s, %s) is no longer eligible (%s) but is not "
                "listed in conflicts" % (w, v, ", ".join(S.eligibility(w, v))))

    # ---- training (docs/MODEL.md §3.4) -------------------------------------------
    attend = {}
    load = {}
    for i, t in enumerate(training):
        wid, kid = t.get("worker"), t.get("session")
        where = "training[%d] (%s, %s)" % (i, wid, kid)
        if wid not in S.workers:
            bad("%s: unknown worker" % where)
            continue
        if kid not in S.sessions:
            bad("%s: unknown session" % where)
            continue
        k = S.sessions[kid]
        if "course" in t and t["course"] != k["course"]:
            bad("%s: course %r, session teaches %r" % (where, t["course"], k["course"]))
        if not S.open_to(k, S.workers[wid]):
            bad("%s: session is not open to the worker" % where)
        if wid not in by_worker:
            bad("%s: worker attends training but has no placement" % where)
        if kid in attend.get(wid, []):
            bad("%s: duplicate attendance" % where)
            continue
        attend.setdefault(wid, []).append(kid)
        load[kid] = load.get(kid, 0) + 1
    for kid, n in load.items():
        if n > S.sessions[kid]["capacity"]:
            bad("session %s: %d attendees exceed capacity %d" % (
                kid, n, S.sessions[kid]["capacity"]))
    for wid in set(by_worker) | set(attend):
        w = S.workers[wid]
        vs = by_worker.get(wid, [])
        ks = attend.get(wid, [])
        need = {}
        for vid in vs:
            for c in S.needed_courses(w, S.vacancies[vid]):
                need.setdefault(c, []).append(vid)
        per_course = {}
        for kid in ks:
            per_course.setdefault(S.sessions[kid]["course"], []).append(kid)
        for c, kids in per_course.items():
            if len(kids) > 1:
                bad("worker %s: attends %d sessions of course %s (%s)" % (
                    wid, len(kids), c, ", ".join(kids)))
            if c not in need:
                bad("worker %s: attends %s of course %s, which no placement of theirs "
                    "needs" % (wid, ", ".join(kids), c))
        for c, vids in need.items():
            kids = per_course.get(c, [])
            if not kids:
                bad("worker %s: course %s needed by %s but no session attended" % (
                    wid, c, ", ".join(vids)))
                continue
            for kid in kids:
                k = S.sessions[kid]
                for vid in vids:
                    v = S.vacancies[vid]
                    if not k["end"] + S.lead < v["start"]:
                        bad("worker %s: session %s ends %s, not more than %d days before "
                            "%s starts %s" % (wid, kid, iso(k["end"]), S.lead, vid,
                                              v["start_text"]))
        for kid in ks:
            k = S.sessions[kid]
            for vid in vs:
                v = S.vacancies[vid]
                if k["start"] <= v["end"] and v["start"] <= k["end"]:
                    bad("worker %s: session %s (%s..%s) overlaps placement %s" % (
                        wid, kid, iso(k["start"]), iso(k["end"]), vid))

    # ---- reintegration (docs/MODEL.md §3.6) --------------------------------------
    if S.mode == "none":
        if enrol:
            bad("reintegration is none but %d enrolments are listed" % len(enrol))
    else:
        enrolled = {}
        rload = {}
        for i, r in enumerate(enrol):
            wid, rid = r.get("worker"), r.get("programme")
            where = "reintegration[%d] (%s, %s)" % (i, wid, rid)
            if wid not in S.workers:
                bad("%s: unknown worker" % where)
                continue
            if rid not in S.programmes:
                bad("%s: unknown programme" % where)
                continue
            if wid in enrolled:
                bad("%s: worker already enrolled in %s" % (where, enrolled[wid]))
                continue
            enrolled[wid] = rid
            rload[rid] = rload.get(rid, 0) + 1
            prog = S.programmes[rid]
            if not S.open_to(prog, S.workers[wid]):
                bad("%s: programme is not open to the worker" % where)
            vs = by_worker.get(wid)
            if not vs:
                bad("%s: worker enrolled but not placed" % where)
                continue
            last_end = max(S.vacancies[v]["end"] for v in vs)
            if not (last_end < prog["start"] <= last_end + S.window):
                bad("%s: programme starts %s, outside (%s, %s + %d days]" % (
                    where, iso(prog["start"]), iso(last_end), iso(last_end), S.window))
        for rid, n in rload.items():
            if n > S.programmes[rid]["capacity"]:
                bad("programme %s: %d enrolments exceed capacity %d" % (
                    rid, n, S.programmes[rid]["capacity"]))
        if S.mode == "required":
            for wid in by_worker:
                if wid not in enrolled:
                    bad("worker %s: placed but not enrolled (reintegration required)"
                        % wid)

    # ---- vacancies[] ---------------------------------------------------------------------
    rv = {}
    for i, entry in enumerate(result.get("vacancies") or []):
        if entry.get("id") in rv:
            bad("vacancies[%d]: vacancy %r listed twice" % (i, entry.get("id")))
        rv[entry.get("id")] = entry
    for vid in S.vacancy_order:
        entry = rv.get(vid)
        if entry is None:
            bad("vacancy %s: missing from result.vacancies" % vid)
            continue
        filled = len(by_vacancy.get(vid, []))
        if entry.get("filled") != filled:
            bad("vacancy %s: result filled %r, placements %d" % (vid, entry.get("filled"),
                                                                filled))
        if "headcount" in entry and entry["headcount"] != S.vacancies[vid]["headcount"]:
            bad("vacancy %s: result headcount %r, scenario %d" % (
                vid, entry["headcount"], S.vacancies[vid]["headcount"]))
    for vid in rv:
        if vid not in S.vacancies:
            bad("result.vacancies lists unknown vacancy %r" % vid)

    # ---- reserve: eligible workers not placed on that vacancy --------------------------
    for i, entry in enumerate(result.get("reserve") or []):
        vid = entry.get("vacancy")
        if vid not in S.vacancies:
            bad("reserve[%d]: unknown vacancy %r" % (i, vid))
            continue
        for wid in entry.get("workers") or []:
            if wid not in S.workers:
                bad("reserve[%d]: unknown worker %r" % (i, wid))
            elif not S.eligible(wid, vid):
                bad("reserve[%d]: worker %s is not eligible for %s" % (i, wid, vid))
            elif (wid, vid) in placed:
                bad("reserve[%d]: worker %s is placed on %s" % (i, wid, vid))

    # ---- objective, bound, gap -------------------------------------------------------------
    if _num(result.get("objective")):
        obj = plan_objective(S, pairs, [(w, k) for w in attend for k in attend[w]],
                             [(r.get("worker"), r.get("programme")) for r in enrol
                              if r.get("programme") in S.programmes])
        if not close_enough(obj, float(result["objective"])):
            bad("objective %r, recomputed %.9g" % (result["objective"], obj))
        if status == "optimal":
            if _num(result.get("gap")) and result["gap"] > REL_TOL * (1 + 1e-9):
                bad("status optimal but gap %r > 1e-6" % result["gap"])
            if _num(result.get("bound")):
                tol = REL_TOL * max(1.0, abs(float(result["objective"])))
                if float(result["bound"]) < float(result["objective"]) - tol:
                    bad("bound %r is below objective %r" % (result["bound"],
                                                            result["objective"]))
    return out


def main(argv):
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        print("usage: check_result.py SCENARIO.json RESULT.json",
              file=sys.stdout if len(argv) == 2 else sys.stderr)
        return 0 if len(argv) == 2 else 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            scenario = json.load(f)
        with open(argv[2], encoding="utf-8") as f:
            result = json.load(f)
    except (OSError, ValueError) as exc:
        print("error: %s" % exc, file=sys.stderr)
        return 2
    violations = check(scenario, result)
    if violations:
        for v in violations:
            print(v)
        return 1
    print("ok: %d placements, objective %s" % (len(result.get("placements") or []),
                                               result.get("objective")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
