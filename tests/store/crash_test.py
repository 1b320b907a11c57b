"""Crash safety: kill circulab with SIGKILL at random moments during `import` and
`round run`, and check each time that the database is exactly the state before or
the state after the command (clock columns aside), with PRAGMA integrity_check ok.

Usage: crash_test.py CIRCULAB_PROGRAM [TRIALS_PER_COMMAND]   (default 30 each)"""
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import worker, vacancy, scenario, write_json, state, integrity  # noqa: E402


def big_scenario(n_workers, n_vacancies):
    ws = [worker("W%05d" % i, skills=["isco:9211"], languages=["ar"],
                 history={"campaigns": i % 4, "returned": i % 3 != 0} if i % 4 else None)
          for i in range(n_workers)]
    for w in ws:
        if w.get("history") is None:
            w.pop("history")
    emps = [{"id": "E%02d" % e, "region": "ES615"} for e in range(10)]
    vs = [vacancy("V%03d" % v, employer="E%02d" % (v % 10),
                  start="2026-%02d-01" % (2 + v % 4), end="2026-%02d-28" % (5 + v % 3),
                  headcount=3 + v % 5) for v in range(n_vacancies)]
    return scenario(ws, vs, employers=emps)


def copy_db(src, dst):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(dst + suffix):
            os.remove(dst + suffix)
        if os.path.exists(src + suffix):
            shutil.copy(src + suffix, dst + suffix)


def timed_run(args):
    t0 = time.monotonic()
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        raise AssertionError("%s failed: %s" % (args, p.stderr))
    return time.monotonic() - t0


def trials(name, base, args_of, n, rng):
    """Run n killed trials of a command; returns the number of failures."""
    work = os.path.join(os.path.dirname(base), "work.db")
    before = state(base)
    copy_db(base, work)
    full = timed_run(args_of(work))
    after = state(work)
    assert before != after, "the command changed nothing"
    counts = {"before": 0, "after": 0}
    failures = 0
    for i in range(n):
        copy_db(base, work)
        # half the kills anywhere, half late in the run where the writing happens
        delay = rng.uniform(0, full * 1.1) if i % 2 else rng.uniform(full * 0.6, full * 1.05)
        p = subprocess.Popen(args_of(work), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(delay)
        try:
            p.send_signal(signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()
        ok = integrity(work)
        now = state(work)
        if ok != "ok":
            failures += 1
            print("FAIL %s trial %d: integrity_check says %s" % (name, i, ok))
        elif now == before:
            counts["before"] += 1
        elif now == after:
            counts["after"] += 1
        else:
            failures += 1
            print("FAIL %s trial %d (kill after %.3f s): neither before nor after" %
                  (name, i, delay))
    print("%s: %d trials, %d left the state before, %d the state after, %d failures"
          % (name, n, counts["before"], counts["after"], failures))
    return failures


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    cli = os.path.abspath(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    rng = random.Random(20260201)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        base = os.path.join(tmp, "base.db")
        subprocess.run([cli, "init", "--db", base], check=True, capture_output=True)
        small = write_json(os.path.join(tmp, "small.json"), big_scenario(60, 12))
        subprocess.run([cli, "import", small, "--db", base], check=True, capture_output=True)
        big = write_json(os.path.join(tmp, "big.json"), big_scenario(4000, 40))
        failures += trials("import", base, lambda db: [cli, "import", big, "--db", db], n, rng)
        failures += trials("round run", base,
                           lambda db: [cli, "round", "run", "-q", "--db", db], n, rng)
    print("%d failures" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
