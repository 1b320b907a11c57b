#!/usr/bin/env bash
# test.sh - build circulab twice and run every test: a normal build (build/, via
# setup.sh) and one with AddressSanitizer and UndefinedBehaviorSanitizer
# (build-asan/). Leaks and undefined behaviour are failures. A third tree
# (build-fuzz/, clang) builds the libFuzzer targets and runs each for a bounded time
# (label `fuzz`, about a minute of CPU in all; docs/TESTING.md).
#
# Ends with one line "N passed, N failed" summing both runs; exits non-zero when any
# test failed or a build broke. Extra arguments go to both ctest runs (for example
# `scripts/test.sh -L cli` or `-LE slow`); without any, the `full` runs are left out.
#
# Environment: CLB_BUILD_DIR (default: build), CLB_ASAN_BUILD_DIR (default:
# build-asan), CLB_FUZZ_BUILD_DIR (default: build-fuzz; CLB_FUZZ=0 skips that tree),
# CLB_JOBS (default: the number of processors), CLB_CMAKE_ARGS (extra CMake arguments
# for every tree).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${CLB_BUILD_DIR:-build}"
ASAN_DIR="${CLB_ASAN_BUILD_DIR:-build-asan}"
FUZZ_DIR="${CLB_FUZZ_BUILD_DIR:-build-fuzz}"
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$ROOT/$BUILD_DIR" ;; esac
case "$ASAN_DIR" in /*) ;; *) ASAN_DIR="$ROOT/$ASAN_DIR" ;; esac
case "$FUZZ_DIR" in /*) ;; *) FUZZ_DIR="$ROOT/$FUZZ_DIR" ;; esac
JOBS="${CLB_JOBS:-$(nproc 2>/dev/null || echo 2)}"
export CLB_JOBS="$JOBS"

total_passed=0
total_failed=0
status=0

# Run ctest in one tree and add its counts to the totals.
run_ctest() {
    local dir="$1" log
    shift
    log="$dir/test-ctest.log"
    echo "test.sh: ctest in $dir"
    (cd "$dir" && ctest --output-on-failure -j "$JOBS" "$@") 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    # "100% tests passed, 0 tests failed out of 42"
    local line failed total
    line="$(grep -E '[0-9]+ tests failed out of [0-9]+' "$log" | tail -n 1)"
    if [ -n "$line" ]; then
        failed="$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$line")"
        total="$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$line")"
        total_passed=$((total_passed + total - failed))
        total_failed=$((total_failed + failed))
    elif grep -q "No tests were found" "$log"; then
        echo "test.sh: no tests in $dir" >&2
    else
        echo "test.sh: ctest in $dir did not report its counts" >&2
        total_failed=$((total_failed + 1))
    fi
    if [ "$rc" -ne 0 ]; then
        status=1
    fi
}

summary() {
    echo "$total_passed passed, $total_failed failed"
}

# 1. The normal build (also installs missing packages).
# chromium: the HTML report is rendered in a real headless browser by the tests;
# clang and libclang-rt-14-dev (libFuzzer's runtime): the fuzz targets;
# chromium-driver: the portal's pages are driven in it over WebDriver; curl: the
# portal's documented API examples run as tests; openssl: a certificate for its TLS test;
# sqlite3: the portal's documented backup command, run while it serves
export CLB_EXTRA_PACKAGES="${CLB_EXTRA_PACKAGES:-chromium clang libclang-rt-14-dev chromium-driver curl openssl sqlite3}"
if ! "$ROOT/scripts/setup.sh"; then
    echo "test.sh: error: setup.sh failed" >&2
    total_failed=$((total_failed + 1))
    summary
    exit 1
fi
# The test tools are installed now: a test that finds one missing fails instead of
# skipping (the portal's pages in chromium, its curl examples, its TLS certificate).
export CLB_REQUIRE_TEST_TOOLS=1

# 2. The sanitizer build.
mkdir -p "$ASAN_DIR"
# shellcheck disable=SC2086 # CLB_CMAKE_ARGS is a list of words on purpose
if ! cmake -S "$ROOT" -B "$ASAN_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLB_SANITIZE=ON \
        ${CLB_CMAKE_ARGS:-} >"$ASAN_DIR/test-configure.log" 2>&1 ||
   ! cmake --build "$ASAN_DIR" -j "$JOBS" >"$ASAN_DIR/test-build.log" 2>&1; then
    echo "test.sh: error: the sanitizer build failed; its output:" >&2
    tail -n 60 "$ASAN_DIR/test-build.log" "$ASAN_DIR/test-configure.log" 2>/dev/null >&2
    total_failed=$((total_failed + 1))
    summary
    exit 1
fi

# 3. The fuzz build: clang, libFuzzer, ASan and UBSan; the engine and the fuzz targets
# only. Warnings are not errors there: clang warns of things gcc does not, and the
# gcc trees hold the line on warnings.
if [ "${CLB_FUZZ:-1}" != 0 ]; then
    mkdir -p "$FUZZ_DIR"
    # shellcheck disable=SC2086 # CLB_CMAKE_ARGS is a list of words on purpose
    if ! cmake -S "$ROOT" -B "$FUZZ_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
            -DCMAKE_C_COMPILER=clang -DCLB_FUZZ=ON -DCLB_WERROR=OFF \
            ${CLB_CMAKE_ARGS:-} >"$FUZZ_DIR/test-configure.log" 2>&1 ||
       ! cmake --build "$FUZZ_DIR" -j "$JOBS" >"$FUZZ_DIR/test-build.log" 2>&1; then
        echo "test.sh: error: the fuzz build failed; its output:" >&2
        tail -n 60 "$FUZZ_DIR/test-build.log" "$FUZZ_DIR/test-configure.log" 2>/dev/null >&2
        total_failed=$((total_failed + 1))
        summary
        exit 1
    fi
fi

# 4. The test runs. Without arguments, the long runs made to be started by hand (label
# `full`, or a label ending in `-full`: every trial, every allocation) are left out, so
# that the suite stays within CI's time; `scripts/test.sh -L full` runs them.
if [ $# -eq 0 ]; then
    set -- -LE full
fi
run_ctest "$BUILD_DIR" "$@"
# Options the caller set come last, so they win.
export ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
run_ctest "$ASAN_DIR" "$@"
if [ "${CLB_FUZZ:-1}" != 0 ]; then
    # the bounded runs only; `fuzz-long` is run by hand (scripts/fuzz.sh)
    run_ctest "$FUZZ_DIR" -L '^fuzz$' "$@"
fi

summary
if [ "$status" -ne 0 ] || [ "$total_failed" -ne 0 ]; then
    exit 1
fi
exit 0
