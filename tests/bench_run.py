#!/usr/bin/env python3
"""bench_run.py - bench/bench.py's run(): a command past its timeout is stopped whole.

The references run under /usr/bin/time; stopping only the direct child left the solver
running, orphaned, beside the next measurements (CBC went on past its cap at size M).
Here a shell starts a background sleep and waits: after run() times out, neither the
shell nor the sleep may be left, and run() must say it timed out.
"""
import importlib.util
import os
import sys
import time

spec = importlib.util.spec_from_file_location("bench", sys.argv[1])
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

pid_file = os.path.join(sys.argv[2], "bench_run.pid")
os.makedirs(sys.argv[2], exist_ok=True)
t0 = time.time()
rc, out, err, wall = bench.run(["sh", "-c", "sleep 60 & echo $! > %s; wait" % pid_file],
                               timeout=1)
failed = []
if rc is not None:
    failed.append("run() did not report the timeout (rc %r)" % rc)
if time.time() - t0 > 30:
    failed.append("run() waited for the background sleep")
with open(pid_file) as f:
    pid = int(f.read())
time.sleep(0.2)
alive = True
try:
    os.kill(pid, 0)
    with open("/proc/%d/stat" % pid) as f:
        alive = f.read().split()[2] != "Z"  # a zombie is gone for the measurements
except (ProcessLookupError, FileNotFoundError):
    alive = False
if alive:
    failed.append("the command's background process %d still runs" % pid)
    os.kill(pid, 9)
for f in failed:
    print("bench_run: " + f, file=sys.stderr)
print("bench_run: %s" % ("FAILED" if failed else "ok"))
sys.exit(1 if failed else 0)
