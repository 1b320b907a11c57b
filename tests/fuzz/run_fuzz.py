#!/usr/bin/env python3
"""run_fuzz.py - one bounded libFuzzer run of one target, as a ctest test.

The fuzzer starts from its seeds (make_corpus.py) and from the inputs it kept in
earlier runs (a corpus directory in the build tree, which grows from run to run), with
the target's dictionary, a per-input timeout (a slow input is a finding too: the
readers must stay linear) and a memory cap. Leaks count as failures (ASan's leak check
runs after every input that allocated). On a finding the test fails and prints the
crashing input in hex together with the libFuzzer report; the input itself is in the
artifacts directory. A fixed finding goes to tests/data/fuzz-regressions/TARGET/,
where every build replays it (tests/fuzz.cmake).

The run ends after SECONDS (or $CLB_FUZZ_SECONDS when --seconds-env names it and it is
set). It prints the CPU time used, the number of inputs run and the corpus size.

Usage: run_fuzz.py --fuzzer BIN --name TARGET --data DIR --seconds N
                   [--seconds-env VAR] [--jobs N]
DIR is make_corpus.py's output directory (seeds/, TARGET.dict, work/).
"""
import argparse
import os
import re
import resource
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fuzzer", required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--seconds", type=int, required=True)
    ap.add_argument("--seconds-env")
    a = ap.parse_args()

    seconds = a.seconds
    if a.seconds_env and os.environ.get(a.seconds_env):
        seconds = int(os.environ[a.seconds_env])
    a.data = os.path.abspath(a.data)
    seeds = os.path.join(a.data, "seeds", a.name)
    corpus = os.path.join(a.data, "corpus", a.name)
    artifacts = os.path.join(a.data, "artifacts", a.name)
    for d in (corpus, artifacts):
        os.makedirs(d, exist_ok=True)
    before = set(os.listdir(artifacts))
    cmd = [os.path.abspath(a.fuzzer),
           "-max_total_time=%d" % seconds,
           "-timeout=10",
           "-rss_limit_mb=2048",
           "-malloc_limit_mb=1024",
           "-max_len=16384",
           "-print_final_stats=1",
           "-dict=" + os.path.join(a.data, a.name + ".dict"),
           "-artifact_prefix=" + artifacts + "/",
           corpus, seeds]
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    env.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")
    start = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    proc = subprocess.run(cmd, cwd=os.path.join(a.data, "work"), env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    wall = time.monotonic() - t0
    end = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (end.ru_utime - start.ru_utime) + (end.ru_stime - start.ru_stime)
    log = proc.stdout.decode("utf-8", "replace")
    runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", log)
    print("fuzz %s: %.1f s CPU, %.1f s wall, %s inputs run, corpus %d files, exit %d" %
          (a.name, cpu, wall, runs[-1] if runs else "?", len(os.listdir(corpus)),
           proc.returncode))
    if proc.returncode == 0:
        return 0
    # a finding: the report, then each new artifact in hex
    sys.stdout.write(log[-20000:])
    for name in sorted(set(os.listdir(artifacts)) - before):
        path = os.path.join(artifacts, name)
        with open(path, "rb") as f:
            data = f.read()
        print("\nfinding %s (%d bytes), hex:\n%s" % (path, len(data), data[:4096].hex()))
        print("reproduce: %s %s" % (a.fuzzer, path))
    return 1


if __name__ == "__main__":
    sys.exit(main())
