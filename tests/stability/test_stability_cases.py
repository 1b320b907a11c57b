#!/usr/bin/env python3
"""test_stability_cases.py - `circulab stability` and `solve --stable` on small cases
whose blocking pairs are worked out by hand (docs/MODEL.md, "Stability").

Usage: test_stability_cases.py --circulab PATH [CASE...]   (--list prints the cases)

Each case is a scenario, a plan written as placements (the result document is built
around them), and the blocking pairs expected, written out with the reasoning in a
comment. Values use the default weights: fill 1000, returning 200, tenure 25 per
campaign, named 300, preference 50 * pref. Standard library only.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "checker"))
import bruteforce as bf  # noqa: E402
import check_result as cr  # noqa: E402

CLI = None


def worker(wid, prefs=(), campaigns=0, returned=False):
    w = {"id": wid, "birth_date": "1990-01-01", "country": "MA",
         "available": {"from": "2026-01-01", "to": "2026-12-31"},
         "preferences": list(prefs)}
    if campaigns:
        w["history"] = {"campaigns": campaigns, "returned": returned}
    return w


def vacancy(vid, emp, start, end, headcount=1, **extra):
    v = {"id": vid, "employer": emp, "start": start, "end": end, "headcount": headcount}
    v.update(extra)
    return v


def scenario(workers, vacancies, employers=None, **extra):
    doc = {"format": "circulab-scenario/1", "name": "stability-case",
           "workers": workers,
           "employers": employers or [{"id": e, "region": "ES615"}
                                      for e in sorted(set(v["employer"] for v in vacancies))],
           "vacancies": vacancies}
    doc.update(extra)
    return doc


def stability(doc, placements):
    """circulab stability --json on the plan, as {(worker, vacancy): pair}."""
    S = cr.Scenario(doc)
    obj = cr.plan_objective(S, placements, [], [])
    res = bf.plan_as_result(S, (placements, [], []), obj)
    problems = cr.check(doc, res)
    assert not problems, "the case's plan is not feasible: %s" % problems
    with tempfile.TemporaryDirectory() as tmp:
        ps, pr = os.path.join(tmp, "s.json"), os.path.join(tmp, "r.json")
        with open(ps, "w") as f:
            json.dump(doc, f)
        with open(pr, "w") as f:
            json.dump(res, f)
        proc = subprocess.run([CLI, "stability", pr, "--scenario", ps, "--json"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.returncode == 0, proc.stderr.decode()
        text = subprocess.run([CLI, "stability", pr, "--scenario", ps],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert text.returncode == 0, text.stderr.decode()
    got = json.loads(proc.stdout.decode())
    return {(p["worker"], p["vacancy"]): p for p in got["blocking_pairs"]}, got, \
        text.stdout.decode()


def expect(pairs, expected):
    """expected: {(w, v): (type, held, [limits], displaces)}"""
    assert set(pairs) == set(expected), "pairs %s, expected %s" % (sorted(pairs),
                                                                   sorted(expected))
    for key, (typ, held, limits, displaces) in expected.items():
        p = pairs[key]
        got = (p["type"], p["held_by_limit"], sorted(p["limits"]), p.get("displaces"))
        want = (typ, held, sorted(limits), displaces)
        assert got == want, "%s: got %s, expected %s" % (key, got, want)


# W1 returning with 2 campaigns and preferences E1 > E2; W2 a first-timer without
# preferences; V1 (E1) and V2 (E2) on the same dates, one place each.
def base_doc(pin_w2=False, w3=False):
    workers = [worker("W1", ["E1", "E2"], 2, True), worker("W2")]
    if w3:
        workers.append(worker("W3", [], 1, True))
    doc = scenario(workers, [vacancy("V1", "E1", "2026-03-01", "2026-04-30"),
                             vacancy("V2", "E2", "2026-03-01", "2026-04-30")])
    if pin_w2:
        doc["pins"] = [{"worker": "W2", "vacancy": "V1"}]
    return doc


def case_envy_free_to_move():
    # W1 on V2 (pref 1/2), W2 on V1. W1 prefers V1 (pref 1) and is worth
    # 1000+200+50+50 = 1300 there; W2 is worth 1000: envy. The move (W1 leaves V2,
    # W2 leaves V1, W1 takes V1) keeps every limit. W2 has no preference: no pair.
    pairs, doc, text = stability(base_doc(), [("W1", "V2"), ("W2", "V1")])
    expect(pairs, {("W1", "V1"): ("envy", False, [], "W2")})
    assert doc["envy"] == 1 and doc["envy_held_by_limit"] == 0 and doc["waste"] == 0
    assert "W1 -> V1" in text and "no limit holds it" in text, text


def case_envy_of_a_pinned_holder():
    # The same plan with W2 pinned on V1: the only lower-valued holder cannot leave.
    pairs, _, text = stability(base_doc(pin_w2=True), [("W1", "V2"), ("W2", "V1")])
    expect(pairs, {("W1", "V1"): ("envy", True, ["pin"], None)})
    assert "held by pin" in text, text


def case_unplaced_worker():
    # W3 (returning, 1 campaign, no preferences) unplaced: it prefers every eligible
    # vacancy. On V1 it is worth 1225 > W2's 1000: envy. On V2 it is worth 1225, below
    # W1's 1000+200+50+25 = 1275, and V2 is full: no pair.
    pairs, _, _ = stability(base_doc(w3=True), [("W1", "V2"), ("W2", "V1")])
    expect(pairs, {("W1", "V1"): ("envy", False, [], "W2"),
                   ("W3", "V1"): ("envy", False, [], "W2")})


def case_stable_plan_has_no_pair():
    # W1 on V1 and W2 on V2: W1 has its first choice; W2 prefers nothing.
    pairs, doc, text = stability(base_doc(w3=False), [("W1", "V1"), ("W2", "V2")])
    expect(pairs, {})
    assert doc["blocking_pairs"] == [] and "0 envy" in text


def case_waste_held_by_beds():
    # V1 has two places at site S1 with one bed; W2, named on V1, holds one and is
    # worth 1000+300 = 1300, equal to W1's 1300 there: no envy, one free place: waste.
    # W1 would leave V2 for it, but the bed is taken.
    doc = scenario([worker("W1", ["E1", "E2"], 2, True), worker("W2")],
                   [vacancy("V1", "E1", "2026-03-01", "2026-04-30", 2, site="S1",
                            named=["W2"]),
                    vacancy("V2", "E2", "2026-03-01", "2026-04-30")],
                   employers=[{"id": "E1", "region": "ES615",
                               "sites": [{"id": "S1", "region": "ES615", "beds": 1}]},
                              {"id": "E2", "region": "ES615"}])
    pairs, _, text = stability(doc, [("W1", "V2"), ("W2", "V1")])
    expect(pairs, {("W1", "V1"): ("waste", True, ["beds"], None)})
    assert "site S1 has no bed free" in text, text


def case_overlap_with_a_better_placement():
    # W1 ranks E3 > E1 > E2 and holds V3 (E3, March) and V2 (E2, June). V1 (E1, March)
    # holds W2 (1000) and W1 would be worth 1000+200+50+50*2/3 there: envy, and W1
    # ranks V1 above V2; but the move keeps V3, which W1 ranks higher and which
    # overlaps V1: held by overlap. W2 prefers nothing.
    doc = scenario([worker("W1", ["E3", "E1", "E2"], 2, True), worker("W2")],
                   [vacancy("V1", "E1", "2026-03-01", "2026-03-31"),
                    vacancy("V2", "E2", "2026-06-01", "2026-06-30"),
                    vacancy("V3", "E3", "2026-03-10", "2026-04-10")])
    pairs, _, text = stability(doc, [("W1", "V2"), ("W1", "V3"), ("W2", "V1")])
    expect(pairs, {("W1", "V1"): ("envy", True, ["overlap"], "W2")})
    assert "W1 keeps V3, which overlaps V1" in text, text


def case_quota_and_hold_named():
    # V1 has 3 places, 2 held for the named W8 and W9 (hold_named): one unnamed place,
    # taken by W2 (no preferences: no pair). V2 is under quota QE2, max 0 on E2.
    # - W1 (unplaced, prefers E1) is worth 1050 on V1 > W2's 1000: envy. A free place
    #   is held for the named, but W2 leaving frees the unnamed one: not held.
    # - W3 (unplaced, prefers E2) is worth 1000 on V1, not above W2: waste (two free
    #   places), held by hold_named.
    # - W8, W9 (unplaced, named on V1, worth 1300 > 1000): envy; a held place is
    #   theirs to take: not held.
    # - Everyone unplaced prefers V2, which is free: waste, held by the quota.
    doc = scenario([worker("W1", ["E1"]), worker("W2"), worker("W3", ["E2"]),
                    worker("W8"), worker("W9")],
                   [vacancy("V1", "E1", "2026-03-01", "2026-04-30", 3,
                            named=["W8", "W9"], hold_named=True),
                    vacancy("V2", "E2", "2026-03-01", "2026-04-30")],
                   quotas=[{"id": "QE2", "max": 0, "where": {"employer": ["E2"]}}])
    pairs, _, _ = stability(doc, [("W2", "V1")])
    expect(pairs, {
        ("W1", "V1"): ("envy", False, [], "W2"),
        ("W1", "V2"): ("waste", True, ["quota"], None),
        ("W3", "V1"): ("waste", True, ["hold_named"], None),
        ("W3", "V2"): ("waste", True, ["quota"], None),
        ("W8", "V1"): ("envy", False, [], "W2"),
        ("W8", "V2"): ("waste", True, ["quota"], None),
        ("W9", "V1"): ("envy", False, [], "W2"),
        ("W9", "V2"): ("waste", True, ["quota"], None),
    })


def solve_stable(doc):
    """(plain result, stable result, stderr of solve --stable)."""
    with tempfile.TemporaryDirectory() as tmp:
        ps = os.path.join(tmp, "s.json")
        with open(ps, "w") as f:
            json.dump(doc, f)
        plain = subprocess.run([CLI, "solve", ps, "--json", "--quiet"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        stable = subprocess.run([CLI, "solve", ps, "--json", "--stable"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert plain.returncode == 0 and stable.returncode == 0, stable.stderr
        return (json.loads(plain.stdout), json.loads(stable.stdout),
                stable.stderr.decode())


def pairs_of(res):
    return sorted((p["worker"], p["vacancy"]) for p in res["placements"])


def swap_doc():
    # The base scenario with W1 worth 500 more on V2 (a score): the optimum puts W1 on
    # V2 (1000+200+50+25+500 = 1775) and W2 on V1 (1000): 2775. But W1 prefers V1,
    # where it is worth 1300 > W2's 1000: envy. Without envy: W1 on V1, W2 on V2,
    # 1300 + 1000 = 2300 (W1 on V2 alone, 1775, leaves V1 free: no envy but less).
    doc = base_doc()
    doc["scores"] = [{"worker": "W1", "vacancy": "V2", "value": 500}]
    return doc


def case_stable_solve_pays_the_price():
    plain, stable, err = solve_stable(swap_doc())
    assert plain["objective"] == 2775.0 and pairs_of(plain) == [("W1", "V2"), ("W2", "V1")]
    assert stable["objective"] == 2300.0, stable["objective"]
    assert pairs_of(stable) == [("W1", "V1"), ("W2", "V2")]
    assert ("price of stability: objective 2300 against 2775 at the optimum (lost 475, "
            "17.12%); 2 placements against 2 (lost 0); 2 of 2 places filled against 2") in err, err
    assert "blocking pairs of the stable plan: 0 envy" in err, err
    pairs, _, _ = stability(swap_doc(), pairs_of(plain))
    expect(pairs, {("W1", "V1"): ("envy", False, [], "W2")})
    pairs, _, _ = stability(swap_doc(), pairs_of(stable))
    expect(pairs, {})


def case_stable_solve_keeps_a_pinned_holder():
    # W2 pinned on V1: its envy cannot be removed, so --stable keeps the optimum, and the
    # report shows the pair held by the pin.
    doc = swap_doc()
    doc["pins"] = [{"worker": "W2", "vacancy": "V1"}]
    plain, stable, err = solve_stable(doc)
    assert stable["objective"] == plain["objective"] == 2775.0
    assert "lost 0," in err and "1 envy (held by pinned holders)" in err, err
    pairs, _, _ = stability(doc, pairs_of(stable))
    expect(pairs, {("W1", "V1"): ("envy", True, ["pin"], None)})


def case_exit_codes():
    # 2 without --scenario, 3 for a document that is not a result or names a worker the
    # scenario lacks (with the JSON path), 1 for an unreadable RESULT.
    doc = base_doc()
    with tempfile.TemporaryDirectory() as tmp:
        ps = os.path.join(tmp, "s.json")
        with open(ps, "w") as f:
            json.dump(doc, f)
        bad = os.path.join(tmp, "bad.json")
        with open(bad, "w") as f:
            json.dump({"format": "circulab-result/1",
                       "placements": [{"worker": "W7", "vacancy": "V1"}]}, f)
        other = os.path.join(tmp, "other.json")
        with open(other, "w") as f:
            json.dump({"format": "circulab-scenario/1"}, f)
        for args, code, text in (([bad], 2, "--scenario"),
                                 ([bad, "--scenario", ps], 3, "$.placements[0]"),
                                 ([other, "--scenario", ps], 3, "not a result document"),
                                 ([os.path.join(tmp, "none.json"), "--scenario", ps], 1,
                                  "cannot read")):
            p = subprocess.run([CLI, "stability"] + args, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
            assert p.returncode == code, (args, p.returncode, p.stderr)
            assert text in p.stderr.decode(), (args, p.stderr)
            assert p.stdout == b"", p.stdout


CASES = {name[5:]: fn for name, fn in sorted(globals().items()) if name.startswith("case_")}


def main(argv):
    global CLI
    ap = argparse.ArgumentParser()
    ap.add_argument("--circulab")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args(argv)
    if args.list:
        print("\n".join(CASES))
        return 0
    CLI = args.circulab
    failed = 0
    for name in args.cases or list(CASES):
        try:
            CASES[name]()
            print("ok   %s" % name)
        except AssertionError as exc:
            failed += 1
            print("FAIL %s: %s" % (name, exc))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
