"""The curl examples of docs/PORTAL.md are tests: each ```sh block of its API section
runs with bash against a live server (the database of the examples: two employers,
one vacancy each), in order, and its output must be the ```text block that follows it.

Usage: test_docs.py CIRCULAB_PROGRAM"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import Server, two_employers  # noqa: E402

DOC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs",
                   "PORTAL.md")
SKIP = 77


def examples():
    text = open(DOC).read()
    api = text.split("\n## The API\n", 1)[1].split("\n## ", 1)[0]
    pairs = re.findall(r"```sh\n(.*?)```\n```text\n(.*?)```", api, flags=re.S)
    assert len(pairs) >= 8, "expected the API examples, found %d" % len(pairs)
    return pairs


def main():
    common.CLI = os.path.abspath(sys.argv[1])
    if not shutil.which("curl"):
        if common.tools_required():
            print("FAIL: the examples need curl (Debian package curl)")
            return 1
        print("SKIP: the examples need curl (Debian package curl)")
        return SKIP
    tmp = tempfile.mkdtemp(prefix="clb-docs-")
    srv = None
    try:
        db, t1, _ = two_employers(tmp)
        srv = Server(db)
        env = dict(os.environ, URL=srv.url, TOKEN=t1)
        for i, (cmd, expected) in enumerate(examples()):
            p = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True,
                               env=env, timeout=60)
            if p.stdout != expected:
                print("FAIL example %d:\n%s\nexpected:\n%s\ngot:\n%s%s"
                      % (i + 1, cmd, expected, p.stdout, p.stderr))
                return 1
        print("ok   %d examples of docs/PORTAL.md" % len(examples()))
        return 0
    finally:
        if srv:
            srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
