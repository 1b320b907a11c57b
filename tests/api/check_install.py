#!/usr/bin/env python3
"""check_install.py - another program can build against the installed libcirculab.

Installs the build tree into a temporary prefix (`cmake --install`), then builds
tests/api/consumer.c twice against that prefix only: once with the flags of the
installed circulab.pc (pkg-config), once as a CMake project that calls
find_package(circulab) and links circulab::circulab. Each build runs on
scenarios/huelva-small.json, and its placements and objective must equal those of the
result document `circulab solve` writes for the same file.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.stderr.write("$ %s\n%s%s" % (" ".join(cmd), p.stdout, p.stderr))
        raise SystemExit(1)
    return p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--cc", required=True)
    ap.add_argument("--cmake", required=True)
    ap.add_argument("--program", required=True)
    ap.add_argument("--cflags", default="",
                    help="extra compiler flags (a sanitizer build's runtime)")
    a = ap.parse_args()
    extra = a.cflags.split()
    src = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    scenario = os.path.join(src, "scenarios", "huelva-small.json")

    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "prefix")
        run([a.cmake, "--install", a.build, "--prefix", prefix])
        libdirs = [d for d in ("lib", "lib64") if os.path.isdir(os.path.join(prefix, d))]
        libdir = os.path.join(prefix, libdirs[0])
        for f in ("pkgconfig/circulab.pc", "cmake/circulab/circulabConfig.cmake"):
            if not os.path.exists(os.path.join(libdir, f)):
                print("not installed: %s" % f)
                return 1
        env = dict(os.environ, LD_LIBRARY_PATH=libdir,
                   PKG_CONFIG_PATH=os.path.join(libdir, "pkgconfig"))

        # 1. pkg-config
        flags = run(["pkg-config", "--cflags", "--libs", "circulab"], env=env).split()
        exe1 = os.path.join(tmp, "consumer-pc")
        run([a.cc, "-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-o", exe1,
             a.program] + extra + flags, env=env)

        # 2. find_package
        proj = os.path.join(tmp, "proj")
        os.makedirs(proj)
        shutil.copy(a.program, os.path.join(proj, "consumer.c"))
        with open(os.path.join(proj, "CMakeLists.txt"), "w") as f:
            f.write("cmake_minimum_required(VERSION 3.18)\n"
                    "project(consumer C)\n"
                    "find_package(circulab 0 REQUIRED)\n"
                    "add_executable(consumer consumer.c)\n"
                    "target_link_libraries(consumer PRIVATE circulab::circulab)\n")
        run([a.cmake, "-S", proj, "-B", os.path.join(proj, "build"),
             "-DCMAKE_PREFIX_PATH=" + prefix, "-DCMAKE_C_COMPILER=" + a.cc,
             "-DCMAKE_C_FLAGS=" + " ".join(extra)], env=env)
        run([a.cmake, "--build", os.path.join(proj, "build")], env=env)
        exe2 = os.path.join(proj, "build", "consumer")

        cli = os.path.join(prefix, "bin", "circulab")
        out = os.path.join(tmp, "result.json")
        run([cli, "solve", scenario, "-o", out], env=env)
        doc = json.load(open(out))
        want = "placements %d objective %.6f" % (len(doc["placements"]), doc["objective"])
        for exe in (exe1, exe2):
            got = run([exe, scenario], env=env).strip()
            if got != want:
                print("%s printed %r, the CLI's result %r" % (os.path.basename(exe), got, want))
                return 1
        print("installed library used by pkg-config and find_package builds: %s" % want)
    return 0


if __name__ == "__main__":
    sys.exit(main())
