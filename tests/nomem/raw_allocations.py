#!/usr/bin/env python3
"""raw_allocations.py - keeps engine/util/alloc.h the only way the engine allocates.

Fails (exit 1, naming file and line) when a C source or header under engine/ calls
malloc, calloc, realloc, strdup, strndup or free directly, outside engine/util/alloc.c,
which implements the hook. Comments and string literals are not code and are skipped.
With --fix, rewrites such calls to the hook's functions (clb__malloc, ...) and adds the
include of "util/alloc.h" where it is missing.

Usage: raw_allocations.py ENGINE_DIR [--fix]
"""
import os
import re
import sys

CALL = re.compile(r"(?<![\w.>])(malloc|calloc|realloc|strdup|strndup|free)\s*\(")
ALLOWED = {os.path.join("util", "alloc.c")}


def blank_comments_and_strings(text):
    """The text with comments and string/char literals replaced by spaces (lines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def sources(engine):
    for root, _, files in os.walk(engine):
        for name in sorted(files):
            if name.endswith((".c", ".h")):
                path = os.path.join(root, name)
                rel = os.path.relpath(path, engine)
                if rel not in ALLOWED:
                    yield path, rel


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: raw_allocations.py ENGINE_DIR [--fix]")
    engine, fix = sys.argv[1], "--fix" in sys.argv[2:]
    found = 0
    for path, rel in sources(engine):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        code = blank_comments_and_strings(text)
        hits = list(CALL.finditer(code))
        if not hits:
            continue
        if not fix:
            for m in hits:
                line = code.count("\n", 0, m.start()) + 1
                print("%s:%d: raw %s(): use clb_%s() (engine/util/alloc.h)"
                      % (os.path.join("engine", rel), line, m.group(1), m.group(1)))
                found += 1
            continue
        for m in reversed(hits):
            text = text[:m.start()] + "clb_" + text[m.start():]
        if '#include "util/alloc.h"' not in text:
            # after the last #include "..." of the file (or the last #include)
            incs = list(re.finditer(r'^#include "[^"]+"\n', text, re.M)) or \
                list(re.finditer(r"^#include <[^>]+>\n", text, re.M))
            at = incs[-1].end() if incs else 0
            text = text[:at] + '#include "util/alloc.h"\n' + text[at:]
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        print("%s: %d calls" % (os.path.join("engine", rel), len(hits)))
    if found:
        print("%d raw allocation calls in engine/" % found)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
