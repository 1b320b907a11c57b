#!/usr/bin/env python3
"""check_layers.py - the engine's layers only point down (docs/ARCHITECTURE.md).

Three checks, each failing with the file and the rule broken:

  includes  every `#include "DIR/..."` of an engine file names its own folder or a
            lower layer; third-party headers appear only in the one module that wraps
            each library; the CLI includes only the public headers and its own.
  calls     read from the object files (nm): an engine file calls only functions
            defined in its own folder or a lower layer, and no set of files calls each
            other in a circle, not even inside one folder.
  size      no engine source file is longer than MAX_LINES.

The layer order is the table LAYERS below; two folders of equal rank (plan and store)
may not use each other.
"""
import argparse
import collections
import os
import re
import subprocess
import sys

LAYERS = {
    "util": 0, "io": 1, "scenario": 2, "rules": 3, "result": 4, "solve": 5,
    "plan": 6, "store": 6, "offers": 7, "server": 8, "lib": 9,
}
THIRD_PARTY = {
    "sqlite3.h": ("store/",),
    "jansson.h": ("io/json.c",),
    "curl/curl.h": ("io/fetch.c",),
    "glpk.h": ("solve/lp_glpk.c",),
    "sodium.h": ("io/token.c",),
    "microhttpd.h": ("server/",),
}
MAX_LINES = 1300

INCLUDE = re.compile(r'^\s*#\s*include\s+([<"])([^>"]+)[>"]', re.M)


def folder_of(rel):
    return rel.split("/", 1)[0]


def allowed(src_folder, dst_folder):
    if src_folder == dst_folder:
        return True
    a, b = LAYERS.get(src_folder), LAYERS.get(dst_folder)
    return a is not None and b is not None and b < a


def check_includes(root, problems):
    engine = os.path.join(root, "engine")
    for dirpath, _, files in os.walk(engine):
        for name in files:
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, engine)
            src = folder_of(rel)
            if src not in LAYERS:
                problems.append("engine/%s: folder %s is not in the layer table" % (rel, src))
                continue
            text = open(path, encoding="utf-8").read()
            for m in INCLUDE.finditer(text):
                kind, target = m.group(1), m.group(2)
                line = text.count("\n", 0, m.start()) + 1
                if kind == '"' and "/" in target and not target.startswith("circulab/"):
                    dst = folder_of(target)
                    if dst in LAYERS and not allowed(src, dst):
                        problems.append("engine/%s:%d: includes %s, a layer above or beside %s/"
                                        % (rel, line, target, src))
                if target in THIRD_PARTY and not rel.startswith(THIRD_PARTY[target]):
                    problems.append("engine/%s:%d: includes %s, which only %s may"
                                    % (rel, line, target, " ".join(THIRD_PARTY[target])))
    cli = os.path.join(root, "cli")
    own = set(n for n in os.listdir(cli) if n.endswith((".h", ".def")))
    for name in sorted(os.listdir(cli)):
        if not name.endswith((".c", ".h")):
            continue
        text = open(os.path.join(cli, name), encoding="utf-8").read()
        for m in INCLUDE.finditer(text):
            kind, target = m.group(1), m.group(2)
            if kind == '"' and not (target.startswith("circulab") or target in own
                                    or target == "generate.h"):
                line = text.count("\n", 0, m.start()) + 1
                problems.append("cli/%s:%d: includes %s; the CLI uses the public headers only"
                                % (name, line, target))


def check_calls(objects, problems):
    defs, uses = {}, collections.defaultdict(set)
    for obj in objects:
        unit = obj_unit(obj)
        out = subprocess.run(["nm", obj], check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "TDBRW":
                defs[parts[2]] = unit
            elif len(parts) == 2 and parts[0] == "U":
                uses[unit].add(parts[1])
    edges = collections.defaultdict(dict)
    for unit, names in uses.items():
        for name in sorted(names):
            other = defs.get(name)
            if other and other != unit:
                edges[unit].setdefault(other, name)
    for unit in sorted(edges):
        for other, name in sorted(edges[unit].items()):
            if not allowed(folder_of(unit), folder_of(other)):
                problems.append("engine/%s.c calls %s of engine/%s.c, a layer above or beside"
                                % (unit, name, other))
    for comp in circles(edges):
        problems.append("a circle of calls: %s" % " -> ".join(
            "engine/%s.c" % u for u in comp + [comp[0]]))
    if not defs:
        problems.append("no symbols read from the object files")


def obj_unit(obj):
    # .../circulab_objects.dir/engine/<folder>/<name>.c.o -> <folder>/<name>
    parts = obj.replace("\\", "/").split("/")
    i = len(parts) - 1 - parts[::-1].index("engine")
    rel = "/".join(parts[i + 1:])
    return re.sub(r"\.c\.o(bj)?$", "", rel)


def circles(edges):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    nodes = set(edges) | {b for a in edges for b in edges[a]}

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def check_size(root, problems):
    engine = os.path.join(root, "engine")
    for dirpath, _, files in os.walk(engine):
        for name in files:
            if name.endswith((".c", ".h")):
                path = os.path.join(dirpath, name)
                n = sum(1 for _ in open(path, encoding="utf-8"))
                if n > MAX_LINES:
                    problems.append("%s: %d lines, more than %d"
                                    % (os.path.relpath(path, root), n, MAX_LINES))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", required=True)
    ap.add_argument("--objects", help="the engine's object files, ';'-separated")
    ap.add_argument("check", choices=("includes", "calls", "size"))
    a = ap.parse_args()
    problems = []
    if a.check == "includes":
        check_includes(a.source, problems)
    elif a.check == "calls":
        check_calls([o for o in a.objects.split(";") if o], problems)
    else:
        check_size(a.source, problems)
    for p in problems:
        print(p)
    print("%s: %d problems" % (a.check, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
