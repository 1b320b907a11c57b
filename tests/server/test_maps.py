"""The agency's mapping tables (`circulab map add | list | remove`) and their use on
submitted vacancies, by `vacancy submit` and the portal alike: region texts to NUTS,
occupation texts to ISCO-08, organisation names to employer ids, counts written as
numeric strings to integers.

Usage: test_maps.py CIRCULAB_PROGRAM [TEST...]"""
import json
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import Server, run, two_employers, write_json  # noqa: E402

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def doc_of(db, table, rid):
    con = sqlite3.connect(db)
    try:
        row = con.execute("SELECT doc FROM %s WHERE id = ?" % table, (rid,)).fetchone()
        return json.loads(row[0]) if row else None
    finally:
        con.close()


@test
def add_list_remove(tmp):
    db, _, _ = two_employers(tmp)
    run("map", "add", "region", "Huelva", "ES615", db=db, check=0)
    run("map", "add", "occupation", "Crop farm labourers", "isco:9211", db=db, check=0)
    run("map", "add", "employer", "Finca Uno SL", "E1", db=db, check=0)
    run("map", "add", "region", "  HUELVA ", "ES615", db=db, check=0)  # same entry
    out = json.loads(run("map", "list", "--json", db=db, check=0)[1])
    assert [(m["kind"], m["to"]) for m in out] == [
        ("employer", "E1"), ("occupation", "isco:9211"), ("region", "ES615")], out
    out = run("map", "list", "--kind", "region", db=db, check=0)[1]
    assert "ES615" in out and "isco" not in out
    for kind, to in (("region", "Huelva"), ("region", "es615"), ("occupation", "9211"),
                     ("occupation", "isco:92111"), ("employer", "E 1")):
        rc, _, err = run("map", "add", kind, "x", to, db=db)
        assert rc == 3, (kind, to, rc, err)
    assert run("map", "add", "country", "x", "MA", db=db)[0] == 2
    run("map", "remove", "region", "huelva", db=db, check=0)
    rc, _, err = run("map", "remove", "region", "huelva", db=db)
    assert rc == 3 and "no region mapping" in err
    con = sqlite3.connect(db)
    acts = [r[0] for r in con.execute("SELECT action FROM audit WHERE action LIKE 'map.%'")]
    assert acts == ["map.add"] * 4 + ["map.remove"], acts


@test
def applied_to_vacancy_submit(tmp):
    db, _, _ = two_employers(tmp)
    run("map", "add", "region", "Huelva", "ES615", db=db, check=0)
    run("map", "add", "occupation", "Crop farm labourers", "isco:9211", db=db, check=0)
    run("map", "add", "employer", "Cooperativa Tres", "E3", db=db, check=0)
    f = write_json(os.path.join(tmp, "o.json"), {
        "format": "circulab-offers/1",
        "employers": [{"id": "E3", "region": "huelva",
                       "sites": [{"id": "E3-S1", "region": "Huelva", "beds": 10}]}],
        "vacancies": [{"id": "E3-V1", "employer": "Cooperativa  tres", "start": "2026-03-01",
                       "end": "2026-05-31", "headcount": "25",
                       "occupation": "crop farm LABOURERS"},
                      {"id": "E3-V2", "employer": "E3", "start": "2026-03-01",
                       "end": "2026-05-31", "headcount": 5,
                       "occupation": "9211 Crop farm labourers (berries)"}]})
    run("vacancy", "submit", f, db=db, check=0)
    emp = doc_of(db, "employers", "E3")
    assert emp["region"] == "ES615" and emp["sites"][0]["region"] == "ES615", emp
    v1 = doc_of(db, "vacancies", "E3-V1")
    assert v1["employer"] == "E3" and v1["headcount"] == 25 and \
        v1["occupation"] == "isco:9211", v1
    assert doc_of(db, "vacancies", "E3-V2")["occupation"] == "isco:9211"


@test
def applied_in_the_portal(tmp):
    db, t1, _ = two_employers(tmp)
    run("map", "add", "occupation", "Recolector de fresa", "isco:9211", db=db, check=0)
    srv = Server(db)
    try:
        st, _, _, doc = srv.request("POST", "/api/v1/vacancies", token=t1, body={
            "id": "E1-M1", "site": "E1-S1", "start": "2026-03-01", "end": "2026-05-31",
            "headcount": "12", "occupation": "recolector de fresa"})
        assert st == 201, (st, doc)
    finally:
        srv.stop()
    v = doc_of(db, "vacancies", "E1-M1")
    assert v["headcount"] == 12 and v["occupation"] == "isco:9211", v


if __name__ == "__main__":
    common.main(TESTS, sys.argv)
