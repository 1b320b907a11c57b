#!/usr/bin/env bash
# setup.sh - install what circulab needs (Debian 12 packages) and build it into build/.
#
# Safe to run again and again: packages are installed only when missing (and the
# package lists are refreshed only then), and the build is incremental. Quiet when
# all goes well; on failure it says which step failed, shows that step's log and
# exits non-zero.
#
# Environment: CLB_BUILD_DIR (default: build), CLB_BUILD_TYPE (default:
# RelWithDebInfo), CLB_JOBS (default: the number of processors), and any extra
# CMake arguments in CLB_CMAKE_ARGS.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${CLB_BUILD_DIR:-build}"
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$ROOT/$BUILD_DIR" ;; esac
BUILD_TYPE="${CLB_BUILD_TYPE:-RelWithDebInfo}"
JOBS="${CLB_JOBS:-$(nproc 2>/dev/null || echo 2)}"

# binutils: gcc depends on it already; named because the arch.* tests read the object
# files with its nm.
PACKAGES=(cmake make gcc binutils libc6-dev pkg-config libglpk-dev libjansson-dev
          libsqlite3-dev libcurl4-openssl-dev libsodium-dev libmicrohttpd-dev python3)
# The test suite adds what only the tests need (CLB_EXTRA_PACKAGES, e.g. chromium for
# the rendering test of the HTML report).
if [ -n "${CLB_EXTRA_PACKAGES:-}" ]; then
    read -r -a extra <<<"$CLB_EXTRA_PACKAGES"
    PACKAGES+=("${extra[@]}")
fi

die() {
    echo "setup.sh: error: $*" >&2
    exit 1
}

# Run a step quietly; on failure show its log and stop.
step() {
    local name="$1" log="$2"
    shift 2
    if ! "$@" >"$log" 2>&1; then
        echo "setup.sh: error: $name failed; its output:" >&2
        tail -n 60 "$log" >&2
        echo "setup.sh: (full log: $log)" >&2
        exit 1
    fi
}

# ---- packages ----------------------------------------------------------------
missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if ((${#missing[@]} > 0)); then
    command -v apt-get >/dev/null || die "missing packages (${missing[*]}) and no apt-get; install them by hand"
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null; then
            SUDO=(sudo)
        else
            die "missing packages: ${missing[*]}; run as root or install them by hand"
        fi
    else
        SUDO=()
    fi
    echo "setup.sh: installing ${missing[*]}"
    apt_log="$(mktemp -t circulab-apt.XXXXXX)"
    step "apt-get update" "$apt_log" "${SUDO[@]}" apt-get update
    step "apt-get install" "$apt_log" \
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
    rm -f "$apt_log"
fi

# ---- build -------------------------------------------------------------------
mkdir -p "$BUILD_DIR"
# shellcheck disable=SC2086 # CLB_CMAKE_ARGS is a list of words on purpose
step "cmake configure ($BUILD_DIR)" "$BUILD_DIR/setup-configure.log" \
    cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" ${CLB_CMAKE_ARGS:-}
step "build ($BUILD_DIR)" "$BUILD_DIR/setup-build.log" \
    cmake --build "$BUILD_DIR" -j "$JOBS"

[ -x "$BUILD_DIR/circulab" ] || die "the build did not produce $BUILD_DIR/circulab"
echo "setup.sh: built $BUILD_DIR/circulab ($("$BUILD_DIR/circulab" --version))"
