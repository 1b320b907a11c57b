#!/usr/bin/env python3
"""test_list_csv.py - `placement list --csv` and `audit --csv`.

The CSV of a list holds the same rows as its JSON, one header row first; the
placements' CSV is the one form `export --what placements` writes too; --json with
--csv is a usage error.

    python3 test_list_csv.py CIRCULAB_PROGRAM [TEST...]
"""
import csv
import io
import json
import os

from harness import fresh, main, test
from common import run, scenario, vacancy, worker


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


@test
def placement_list_csv(tmp):
    db = fresh(tmp, scenario([worker("W1"), worker("W2")], [vacancy("V1", headcount=2)]))
    run("round", "run", "-q", db=db, check=0)
    _, js, _ = run("placement", "list", "--json", db=db, check=0)
    _, text, _ = run("placement", "list", "--csv", db=db, check=0)
    got, want = rows(text), json.loads(js)
    assert len(got) == len(want) == 2, (got, want)
    for g, w in zip(got, want):
        assert (int(g["placement"]), g["worker"], g["vacancy"], g["status"]) == \
            (w["id"], w["worker"], w["vacancy"], w["status"]), (g, w)
    # the one form of the placements' CSV
    _, exported, _ = run("export", "--what", "placements", db=db, check=0)
    assert exported == text, (exported, text)
    # filters apply
    _, one, _ = run("placement", "list", "--csv", "--worker", "W2", db=db, check=0)
    assert [r["worker"] for r in rows(one)] == ["W2"], one
    run("placement", "list", "--csv", "--json", db=db, check=2)


@test
def audit_csv(tmp):
    db = fresh(tmp, scenario([worker("W1")], [vacancy("V1")]))
    run("round", "run", "-q", db=db, check=0)
    _, js, _ = run("audit", "--json", db=db, check=0)
    _, text, _ = run("audit", "--csv", db=db, check=0)
    got, want = rows(text), json.loads(js)
    assert [int(r["id"]) for r in got] == [e["id"] for e in want], (got, want)
    assert [r["action"] for r in got] == [e["action"] for e in want]
    run("audit", "--csv", "--json", db=db, check=2)


if __name__ == "__main__":
    raise SystemExit(main(__doc__))
