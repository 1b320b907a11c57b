"""`circulab employer token add | list | revoke` (docs/PORTAL.md §8): the token is shown
once, URL-safe with at least 128 random bits; the database keeps the id and a hash of
the secret, never the token; labels are unique per employer; every change is audited.

Usage: test_tokens.py CIRCULAB_PROGRAM [TEST...]"""
import json
import os
import re
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import run, two_employers  # noqa: E402

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


@test
def token_is_url_safe_random_and_never_stored(tmp):
    db, t1, t2 = two_employers(tmp)
    for t in (t1, t2):
        assert re.fullmatch(r"[0-9a-f]{16}\.[A-Za-z0-9_-]{43}", t), t
    assert t1 != t2 and t1.split(".")[1] != t2.split(".")[1]
    raw = open(db, "rb").read() + b"".join(
        open(db + s, "rb").read() for s in ("-wal",) if os.path.exists(db + s))
    for t in (t1, t2):
        assert t.encode() not in raw and t.split(".")[1].encode() not in raw
    con = sqlite3.connect(db)
    rows = con.execute("SELECT id, employer_id, label, hash FROM employer_tokens"
                       " ORDER BY employer_id").fetchall()
    assert [r[:3] for r in rows] == [(t1.split(".")[0], "E1", "office"),
                                     (t2.split(".")[0], "E2", "office")]
    import hashlib
    assert rows[0][3] == hashlib.sha256(t1.split(".")[1].encode()).hexdigest()
    # the token appears nowhere in the audit log
    for (detail,) in con.execute("SELECT coalesce(detail, '') FROM audit"):
        assert t1.split(".")[1] not in detail


@test
def labels_unique_per_employer_and_default_to_id(tmp):
    db, t1, _ = two_employers(tmp)
    rc, _, err = run("employer", "token", "add", "E1", "--label", "office", db=db)
    assert rc == 3 and "has a token labelled 'office'" in err, err
    rc, _, err = run("employer", "token", "add", "NOPE", db=db)
    assert rc == 3 and "no employer 'NOPE'" in err, err
    t = run("employer", "token", "add", "E1", db=db, check=0)[1].strip()
    out = json.loads(run("employer", "token", "list", "--json", db=db, check=0)[1])
    mine = [x for x in out if x["id"] == t.split(".")[0]][0]
    assert mine["label"] == mine["id"] and mine["employer"] == "E1"
    assert mine["last_used"] is None and re.fullmatch(r"\d{4}-\d\d-\d\d", mine["created"])
    text = run("employer", "token", "list", db=db, check=0)[1]
    assert t.split(".")[1] not in text and "office" in text


@test
def revoke_by_id_or_label(tmp):
    db, t1, t2 = two_employers(tmp)
    rc, _, err = run("employer", "token", "revoke", "office", db=db)
    assert rc == 3 and "give the token id" in err, err
    run("employer", "token", "revoke", t1.split(".")[0], db=db, check=0)
    run("employer", "token", "revoke", "office", db=db, check=0)  # now only E2's
    out = json.loads(run("employer", "token", "list", "--json", db=db, check=0)[1])
    assert out == []
    rc, _, err = run("employer", "token", "revoke", "office", db=db)
    assert rc == 3 and "no token" in err
    con = sqlite3.connect(db)
    acts = [r[0] for r in con.execute("SELECT action FROM audit WHERE action LIKE 'token.%'"
                                      " ORDER BY id")]
    assert acts == ["token.add", "token.add", "token.revoke", "token.revoke"], acts


@test
def help_and_usage(tmp):
    for v in ("add", "list", "revoke"):
        rc, out, _ = run("employer", "token", v, "--help")
        assert rc == 0 and "employer token " + v in out
    assert run("employer", "token", "add")[0] == 2
    assert run("employer", "nothing")[0] == 2


if __name__ == "__main__":
    common.main(TESTS, sys.argv)
