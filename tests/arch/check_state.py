#!/usr/bin/env python3
"""check_state.py - the engine keeps no state of its own between calls (STYLE.md).

Reads every engine object file with `nm -f sysv` and fails, listing them by file, on
the symbols that live in writable memory: the sections .data, .bss, .tdata and .tbss
(and their .data.rel / .data.rel.local forms) and common symbols (nm class C, section
*COM*). Those are the file-level and function-level `static` variables, such as a
comparison's context for qsort, which two solves running in two threads would share.

Why sections and not nm's class letters (b, B, d, D, C): in position-independent code
(the objects of the shared library are) a `static const char *const X[]` table of
pointers goes to .data.rel.ro, which the dynamic linker makes read-only after
relocation, and nm calls it `d` like a writable variable. Such tables are constants, so
the section decides.

Nothing else is allowed, except the few pieces of state below, each process-wide or
per-thread because a third-party library's own state is, and not the engine's choice.
An entry that is no longer found fails too, so that the list never outgrows the code.
Symbols are matched by file and name; the compiler's suffix of a function's `static`
(gcc's `done.0`, clang's `global_init.done`) is dropped.
"""
import argparse
import re
import subprocess
import sys

ALLOWED = {
    # The allocator of clb_global_init (include/circulab/global.h): set once at start,
    # before any other use of the library, and then only read; one allocator for the
    # process because SQLite's and Jansson's allocators, routed to it, are process-wide.
    ("util/alloc.c", "current"):
        "the process's allocator, set once by clb_global_init",
    # An atomic count of failed allocations, read by the store to refuse to commit a
    # transaction during which one failed (store/db.c); atomic, so threads do not race.
    ("util/alloc.c", "failures"):
        "atomic count of failed allocations of the process's allocator",
    # clb_global_init routes SQLite's allocations once: sqlite3_config is process-wide
    # and refuses a second call once SQLite is in use.
    ("store/db.c", "routed"):
        "SQLite's process-wide allocator routed once by clb_global_init",
    # curl_global_init is process-wide in libcurl; the flag is atomic (io/fetch.c).
    ("io/fetch.c", "done"):
        "libcurl's process-wide set-up done (atomic)",
    # _Thread_local: Jansson's allocator hooks take no context argument, so the flag of
    # an allocation failed during the current parse can only be the thread's.
    ("io/json.c", "jansson_oom"):
        "per thread: a Jansson allocation failed in this thread's parse",
    # _Thread_local: GLPK's environment is per thread (its own thread-local state); the
    # count of live problems follows it, to free the environment with the last one.
    ("solve/lp_glpk.c", "live_problems"):
        "per thread: GLPK problems alive in this thread's GLPK environment",
}


def writable(section, cls):
    if cls in "Cc" or section == "*COM*":
        return True
    if section.startswith(".data.rel.ro"):
        return False
    return re.match(r"\.(data|bss|tdata|tbss|sdata|sbss)(\.|$)", section) is not None


def base_name(symbol):
    # gcc: name.N; clang: function.name
    parts = [p for p in symbol.split(".") if p and not p.isdigit()]
    return parts[-1] if parts else symbol


def obj_unit(obj):
    # .../circulab_objects.dir/engine/<folder>/<name>.c.o -> <folder>/<name>.c
    parts = obj.replace("\\", "/").split("/")
    i = len(parts) - 1 - parts[::-1].index("engine")
    return re.sub(r"\.o(bj)?$", "", "/".join(parts[i + 1:]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--objects", required=True, help="the engine's object files, ';'-separated")
    a = ap.parse_args()
    objects = [o for o in a.objects.split(";") if o]
    found, problems, n_symbols = {}, [], 0
    for obj in sorted(objects, key=obj_unit):
        unit = obj_unit(obj)
        out = subprocess.run(["nm", "-f", "sysv", obj], check=True, capture_output=True,
                             text=True).stdout
        for line in out.splitlines():
            cols = [c.strip() for c in line.split("|")]
            if len(cols) != 7:
                continue
            name, cls, section = cols[0], cols[2], cols[6]
            n_symbols += 1
            if not writable(section, cls):
                continue
            key = (unit, base_name(name))
            if key in ALLOWED:
                found[key] = True
                continue
            problems.append("engine/%s: %s in %s (class %s): mutable state; pass it down "
                            "instead" % (unit, name, section, cls))
    if n_symbols == 0:
        problems.append("no symbols read from the object files")
    for key in sorted(ALLOWED):
        if key not in found and n_symbols:
            problems.append("engine/%s: %s is allowed below but no longer there: drop it "
                            "from ALLOWED" % key)
    for p in problems:
        print(p)
    print("state: %d objects, %d symbols, %d allowed, %d problems"
          % (len(objects), n_symbols, len(found), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
