#!/usr/bin/env bash
# fuzz.sh - the long fuzzing run: every fuzz target (tests/fuzz/, one per reader) for
# SECONDS each (default 3600), two at a time, in the libFuzzer tree build-fuzz/
# (clang, ASan, UBSan). The inputs the fuzzers keep accumulate in
# build-fuzz/tests/fuzz/data/corpus/, so a second run goes on where the first stopped;
# findings land in build-fuzz/tests/fuzz/data/artifacts/ and each failing target's
# output shows the input in hex. docs/TESTING.md says what to do with a finding.
#
# Usage: scripts/fuzz.sh [SECONDS]
# Environment: CLB_FUZZ_BUILD_DIR (default: build-fuzz), CLB_JOBS (default: 2),
# CLB_CMAKE_ARGS (extra CMake arguments).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUZZ_DIR="${CLB_FUZZ_BUILD_DIR:-build-fuzz}"
case "$FUZZ_DIR" in /*) ;; *) FUZZ_DIR="$ROOT/$FUZZ_DIR" ;; esac
SECONDS_EACH="${1:-3600}"
JOBS="${CLB_JOBS:-2}"
case "$SECONDS_EACH" in '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2 ;; esac

# the packages (and the normal build, which setup.sh always makes)
CLB_EXTRA_PACKAGES="clang libclang-rt-14-dev" "$ROOT/scripts/setup.sh"

mkdir -p "$FUZZ_DIR"
# shellcheck disable=SC2086 # CLB_CMAKE_ARGS is a list of words on purpose
cmake -S "$ROOT" -B "$FUZZ_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
    -DCLB_FUZZ=ON -DCLB_WERROR=OFF ${CLB_CMAKE_ARGS:-} >"$FUZZ_DIR/fuzz-configure.log"
cmake --build "$FUZZ_DIR" -j "$JOBS" >"$FUZZ_DIR/fuzz-build.log"
cd "$FUZZ_DIR"
CLB_FUZZ_SECONDS="$SECONDS_EACH" ctest -L fuzz-long -j "$JOBS" --output-on-failure
