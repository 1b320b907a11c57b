#!/usr/bin/env python3
"""test_warnings.py - `round run` warns before a surprise.

A round that finds no eligible worker-vacancy pair, or fewer than half of the previous
round's, still succeeds (the empty plan is a plan), but says on stderr, in one line,
which eligibility rule most pairs fail and what to check. A round where all is well
says nothing.

    python3 test_warnings.py CIRCULAB_PROGRAM [TEST...]
"""
import os

from harness import fresh, main, test
from common import run, scenario, vacancy, worker, write_json

LAST_YEAR = {"from": "2025-01-01", "to": "2025-12-31"}
THIS_YEAR = {"from": "2026-01-01", "to": "2026-12-31"}


def doc(available):
    """Five workers with the given availabilities, three vacancies in 2026."""
    ws = [worker("W%d" % i, available=available[i]) for i in range(5)]
    vs = [vacancy("V%d" % i, headcount=2) for i in range(3)]
    return scenario(ws, vs)


def warnings(err):
    return [l for l in err.splitlines() if l.startswith("circulab: warning:")]


@test
def no_eligible_pair(tmp):
    db = fresh(tmp, doc([LAST_YEAR] * 5))
    _, out, err = run("round", "run", db=db, check=0)
    w = warnings(err)
    assert len(w) == 1, err
    assert "round 1 found no eligible worker-vacancy pair" in w[0], w
    assert "15 of 15 pairs fail the rule 'availability'" in w[0], w
    assert "available_from/available_to" in w[0], w
    # the data mended, the next round says nothing
    run("import", write_json(os.path.join(tmp, "fixed.json"), doc([THIS_YEAR] * 5)),
        db=db, check=0)
    _, _, err = run("round", "run", db=db, check=0)
    assert warnings(err) == [], err


@test
def far_fewer_than_last_round(tmp):
    db = fresh(tmp, doc([THIS_YEAR] * 5))
    _, _, err = run("round", "run", db=db, check=0)
    assert warnings(err) == [], err
    run("import", write_json(os.path.join(tmp, "late.json"),
                             doc([THIS_YEAR] + [LAST_YEAR] * 4)), db=db, check=0)
    _, _, err = run("round", "run", "--quiet", db=db, check=0)
    w = warnings(err)
    assert len(w) == 1, err
    assert "round 2 found 3 eligible worker-vacancy pairs, fewer than half of round 1's 15" \
        in w[0], w
    assert "12 of 15 pairs fail the rule 'availability'" in w[0], w


if __name__ == "__main__":
    raise SystemExit(main(__doc__))
