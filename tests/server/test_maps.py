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
                       "sites": [{"id": "E3-S1", "region": "Huelva", "beds": "10"}]}],
        "vacancies": [{"id": "E3-V1", "employer": "Cooperativa  tres", "start": "2026-03-01",
                       "end": "2026-05-31", "headcount": "25",
                       "occupation": "crop farm LABOURERS"},
                      {"id": "E3-V2", "employer": "E3", "start": "2026-03-01",
                       "end": "2026-05-31", "headcount": 5,
                       "occupation": "9211 Crop farm labourers (berries)"}]})
    run("vacancy", "submit", f, db=db, check=0)
    emp = doc_of(db, "employers", "E3")
    assert emp["region"] == "ES615" and emp["sites"][0]["region"] == "ES615", emp
    assert emp["sites"][0]["beds"] == 10, emp  # a count written as a numeric string
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


@test
def employer_name_mapped_in_the_portal(tmp):
    """A body naming the employer by a name the agency mapped to the token's employer
    is the employer's own (as for vacancy submit); a name mapped to another employer,
    or not mapped, is another employer's: 403."""
    db, t1, _ = two_employers(tmp)
    run("map", "add", "employer", "Finca Uno SL", "E1", db=db, check=0)
    run("map", "add", "employer", "Coop Dos SCA", "E2", db=db, check=0)
    srv = Server(db)
    vac = {"site": "E1-S1", "start": "2026-03-01", "end": "2026-05-31", "headcount": 3,
           "occupation": "isco:9211"}
    try:
        st, _, _, doc = srv.request("POST", "/api/v1/vacancies", token=t1,
                                    body=dict(vac, id="E1-N1", employer="FINCA UNO  SL"))
        assert st == 201, (st, doc)
        for name in ("Coop Dos SCA", "Finca Desconocida"):
            st, _, _, doc = srv.request("POST", "/api/v1/vacancies", token=t1,
                                        body=dict(vac, id="E1-N2", employer=name))
            assert st == 403, (name, st, doc)
    finally:
        srv.stop()
    assert doc_of(db, "vacancies", "E1-N1")["employer"] == "E1"
    assert doc_of(db, "vacancies", "E1-N2") is None


def count(db, sql):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


@test
def unmapped_in_vacancy_submit_grouped_nothing_stored(tmp):
    """A region, occupation or organisation name without a mapping rejects its record
    and is reported once per value with its count, as for a JobPosting feed; the
    submission stores nothing. With the mappings added the same file is stored in
    codes."""
    db, _, _ = two_employers(tmp)
    occ = {"start": "2026-03-01", "end": "2026-05-31", "headcount": 4}
    f = write_json(os.path.join(tmp, "o.json"), {
        "format": "circulab-offers/1",
        "employers": [{"id": "E3", "name": "Finca Tres", "region": "Sevilla",
                       "sites": [{"id": "E3-S1", "region": "Sevilla", "beds": 10}]}],
        "vacancies": [dict(occ, id="E1-U1", employer="E1", site="E1-S1",
                           occupation="Recolector"),
                      dict(occ, id="E1-U2", employer="E1", site="E1-S1",
                           occupation="Recolector"),
                      dict(occ, id="E2-U3", employer="E2", occupation="Recolector"),
                      dict(occ, id="E2-U4", employer="Coop Dos SCA",
                           occupation="isco:9211")]})
    before = count(db, "SELECT count(*) FROM vacancies")
    rc, _, err = run("vacancy", "submit", f, db=db)
    assert rc == 3, (rc, err)
    for line in ("o.json: 3 offers: occupation 'Recolector' has no mapping",
                 "o.json: 1 offer: region 'Sevilla' has no mapping",
                 "o.json: 1 offer: employer 'Coop Dos SCA' has no mapping"):
        assert line in err, (line, err)
    assert err.count("Recolector") == 1 and err.count("Sevilla") == 1, err
    assert count(db, "SELECT count(*) FROM vacancies") == before
    assert count(db, "SELECT count(*) FROM employers WHERE id = 'E3'") == 0
    run("map", "add", "occupation", "Recolector", "isco:9211", db=db, check=0)
    run("map", "add", "region", "Sevilla", "ES618", db=db, check=0)
    run("map", "add", "employer", "Coop Dos SCA", "E2", db=db, check=0)
    rc, _, err = run("vacancy", "submit", f, db=db, check=0)
    assert doc_of(db, "employers", "E3")["sites"][0]["region"] == "ES618"
    assert doc_of(db, "vacancies", "E2-U3")["occupation"] == "isco:9211"
    assert doc_of(db, "vacancies", "E2-U4")["employer"] == "E2"


@test
def unmapped_in_the_portal_is_422_at_the_field(tmp):
    db, t1, _ = two_employers(tmp)
    srv = Server(db)
    vac = {"site": "E1-S1", "start": "2026-03-01", "end": "2026-05-31", "headcount": 3}
    try:
        st, _, _, doc = srv.request("POST", "/api/v1/vacancies", token=t1,
                                    body=dict(vac, id="E1-U1", occupation="Recolector"))
        assert st == 422, (st, doc)
        errs = doc["errors"]
        assert [(e["path"], e["rule"]) for e in errs] == [("$.occupation", "mapping")], errs
        assert "occupation 'Recolector' has no mapping" in errs[0]["message"], errs
        st, _, _, doc = srv.request("POST", "/api/v1/vacancies", token=t1, body={
            "format": "circulab-offers/1",
            "vacancies": [dict(vac, id="E1-U2", occupation="Recolector"),
                          dict(vac, id="E1-U3", occupation="isco:9211"),
                          dict(vac, id="E1-U4", occupation="Picker")]})
        assert st == 422, (st, doc)
        assert sorted(e["path"] for e in doc["errors"]) == [
            "$.vacancies[0].occupation", "$.vacancies[2].occupation"], doc
        st, _, _, doc = srv.request("PUT", "/api/v1/vacancies/V1", token=t1,
                                    body=dict(vac, occupation="Recolector"))
        assert st == 422 and doc["errors"][0]["rule"] == "mapping", (st, doc)
        assert count(db, "SELECT count(*) FROM vacancies WHERE id LIKE 'E1-U%'") == 0
        assert "Recolector" not in json.dumps(doc_of(db, "vacancies", "V1"))
        run("map", "add", "occupation", "Recolector", "isco:9211", db=db, check=0)
        st, _, _, doc = srv.request("POST", "/api/v1/vacancies", token=t1,
                                    body=dict(vac, id="E1-U1", occupation="Recolector"))
        assert st == 201, (st, doc)
    finally:
        srv.stop()
    assert doc_of(db, "vacancies", "E1-U1")["occupation"] == "isco:9211"


if __name__ == "__main__":
    common.main(TESTS, sys.argv)
