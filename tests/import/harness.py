"""A tiny runner shared by the import-safety suites: each test gets a fresh temporary
directory; `python3 test_x.py CIRCULAB_PROGRAM [TEST...]` runs all or some."""
import os
import sys
import tempfile
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "store"))
import common  # noqa: E402

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def fresh(tmp, doc=None):
    """A new database (and the document `doc` imported into it)."""
    db = os.path.join(tmp, "t.db")
    common.run("init", db=db, check=0)
    if doc is not None:
        common.run("import", common.write_json(os.path.join(tmp, "s.json"), doc), db=db,
                   check=0)
    return db


def write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return path


def main(doc):
    if len(sys.argv) < 2:
        print(doc)
        return 2
    arg = sys.argv[1]
    common.CLI = os.path.abspath(arg) if os.sep in arg else arg
    wanted = sys.argv[2:]
    failed = 0
    for t in TESTS:
        if wanted and t.__name__ not in wanted:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            try:
                t(tmp)
                print("ok   %s" % t.__name__)
            except Exception:
                failed += 1
                print("FAIL %s" % t.__name__)
                traceback.print_exc()
    print("%d failed" % failed)
    return 1 if failed else 0
