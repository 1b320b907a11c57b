#!/usr/bin/env python3
"""bench.py - circulab at national scale, measured against CBC and HiGHS on the same model.

Usage: bench/bench.py [--mode quick|full] [--sizes S,M,...] [--seed K] [options]

For each size (quick: S and M; full: S, M, L and XL) the script
  1. generates the scenario with `circulab generate --size SIZE --seed K` into bench/out/
     (never committed: the generator recreates any of them byte for byte);
  2. solves it with `/usr/bin/time -v circulab solve FILE -o RESULT --quiet [--timings]`,
     reading the statistics of the result document and the peak RSS of `time -v`; with
     `--methods itineraries,pairs` (the default when circulab has `--method`) once per
     solve path, the first one being the row's circulab figures and the others columns
     of their own (seconds, status, and the ratio to the first);
  3. checks the result with the independent checker tests/checker/check_result.py;
  4. writes the same full model with `circulab solve FILE --write-mps FILE.mps` (the
     MPS is the MINIMISATION of the negated objective);
  5. solves the MPS with CBC (`cbc FILE.mps ratio 1e-7 sec CAP solve solu OUT`) and with
     HiGHS (scipy.optimize.milp, fed by the small MPS reader below, in a child process),
     each under a time cap; the table says "cap" when a solver hit it;
  6. checks that every proven optimum agrees with circulab's objective to 1e-6 relative
     (the reference minimum is minus circulab's maximum) and FAILS LOUDLY otherwise.
It prints one Markdown table and writes bench/out/bench-<mode>.json with every number.

Exit status: 0 all good, 1 a check failed (objective mismatch, checker, a circulab run
failed), 2 usage error or a missing tool. The script installs nothing: it names the
Debian package to install (time, coinor-cbc, python3-scipy).

Timing conventions (docs/PERFORMANCE.md): times are wall-clock seconds of the whole job
of each program on an otherwise idle machine, with CPU seconds in parentheses: circulab
from reading the JSON to writing the result; CBC from reading the MPS to writing the
solution; HiGHS for the milp() call only (the Python MPS reader is not HiGHS's cost).
Ratios are circulab / reference; < 1 means circulab is faster.

Python 3 standard library, plus numpy and scipy in the HiGHS child process only.
"""

import argparse
import array
import json
import math
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SIZES = ["S", "M", "L", "XL"]
MODES = {"quick": ["S", "M"], "full": ["S", "M", "L", "XL"]}
DEFAULT_CAP = {"quick": 600.0, "full": 1800.0}
REL_TOL = 1e-6
REF_GAP = 1e-7  # relative gap asked of CBC and HiGHS, below the 1e-6 of the comparison
# CBC does not look at its time cap inside its first LP: at M (1.5 million rows) it ran
# 38 minutes of CPU past a 1,800 s cap. A reference still running at this many times its
# cap (plus the time to read the MPS) is stopped and counted as "cap": no proof within it.
REF_OVERRUN = 1.25
DEBIAN_PYTHON = "/usr/bin/python3"


class BenchError(Exception):
    """A failed check: reported at the end, exit status 1."""


# ---------------------------------------------------------------------------------------
# The MPS reader (free MPS as GLPK writes it; fixed MPS without spaces in names too)
# ---------------------------------------------------------------------------------------

def read_mps(path):
    """Read an MPS file into arrays for scipy.optimize.milp.

    Returns a dict: c (objective, minimised), offset (objective constant), integrality,
    lb, ub (columns), A (scipy.sparse CSR), rlo, rhi (rows), names. Conventions: the
    first N row is the objective, other N rows are dropped; columns between INTORG and
    INTEND markers are integer with default bounds [0, +inf) (GLPK writes every bound
    that differs, including UP 1 for binaries); an RHS on the objective row is minus the
    objective constant; RANGES follow the MPS standard; a negative UP bound on a column
    without a lower bound makes the lower bound -inf (the usual convention, with a
    warning on stderr).
    """
    import numpy as np
    import scipy.sparse as sp

    row_index = {}
    row_type = []
    obj_row = None
    col_index = {}
    col_names = []
    col_int = []
    # typed arrays, not lists: a national model has tens of millions of nonzeros
    rows_i = array.array("i")
    cols_j = array.array("i")
    vals = array.array("d")
    obj = {}
    rhs = {}
    ranges = {}
    bounds = []
    section = None
    integer = False
    dropped = set()
    with open(path, "r", encoding="ascii", errors="replace") as f:
        for line in f:
            if not line.strip() or line.startswith("*"):
                continue
            if not line[0].isspace():
                words = line.split()
                section = words[0].upper()
                if section == "OBJSENSE" and len(words) > 1 and words[1].upper().startswith("MAX"):
                    raise ValueError("OBJSENSE MAX is not supported by this reader")
                if section == "ENDATA":
                    break
                continue
            t = line.split()
            if section == "COLUMNS":
                if len(t) >= 3 and t[1].strip("'\"").upper() == "MARKER":
                    marker = t[2].strip("'\"").upper()
                    integer = marker == "INTORG"
                    continue
                name = t[0]
                j = col_index.get(name)
                if j is None:
                    j = len(col_names)
                    col_index[name] = j
                    col_names.append(name)
                    col_int.append(integer)
                for k in range(1, len(t) - 1, 2):
                    r = t[k]
                    v = float(t[k + 1])
                    if r == obj_row:
                        obj[j] = obj.get(j, 0.0) + v
                    elif r in dropped:
                        continue
                    else:
                        rows_i.append(row_index[r])
                        cols_j.append(j)
                        vals.append(v)
            elif section == "ROWS":
                kind, name = t[0].upper(), t[1]
                if kind == "N":
                    if obj_row is None:
                        obj_row = name
                    else:
                        dropped.add(name)
                    continue
                row_index[name] = len(row_type)
                row_type.append(kind)
            elif section in ("RHS", "RANGES"):
                start = 1 if len(t) % 2 == 1 else 0
                for k in range(start, len(t) - 1, 2):
                    r, v = t[k], float(t[k + 1])
                    if section == "RHS":
                        if r == obj_row:
                            rhs[None] = v
                        elif r not in dropped:
                            rhs[row_index[r]] = v
                    elif r not in dropped and r != obj_row:
                        ranges[row_index[r]] = v
            elif section == "BOUNDS":
                kind = t[0].upper()
                if kind in ("FR", "MI", "PL", "BV"):
                    name = t[2] if len(t) >= 3 else t[1]
                    bounds.append((kind, name, None))
                else:
                    bounds.append((kind, t[2] if len(t) >= 4 else t[1], float(t[-1])))
            elif section in ("NAME", "OBJSENSE"):
                continue
            else:
                raise ValueError("unsupported MPS section %r" % section)

    n = len(col_names)
    m = len(row_type)
    c = np.zeros(n)
    for j, v in obj.items():
        c[j] = v
    lb = np.zeros(n)
    ub = np.full(n, np.inf)
    lower_set = np.zeros(n, dtype=bool)
    for kind, name, v in bounds:
        j = col_index[name]
        if kind == "UP":
            ub[j] = v
            if v < 0 and not lower_set[j]:
                print("bench: warning: negative UP bound on %s: lower bound -inf" % name,
                      file=sys.stderr)
                lb[j] = -np.inf
        elif kind == "LO":
            lb[j] = v
            lower_set[j] = True
        elif kind == "FX":
            lb[j] = ub[j] = v
            lower_set[j] = True
        elif kind == "FR":
            lb[j], ub[j] = -np.inf, np.inf
        elif kind == "MI":
            lb[j] = -np.inf
        elif kind == "PL":
            ub[j] = np.inf
        elif kind == "BV":
            lb[j], ub[j] = 0.0, 1.0
            col_int[j] = True
        elif kind == "LI":
            lb[j] = v
            col_int[j] = True
        elif kind == "UI":
            ub[j] = v
            col_int[j] = True
        else:
            raise ValueError("unsupported bound type %r" % kind)

    rlo = np.full(m, -np.inf)
    rhi = np.full(m, np.inf)
    for i, kind in enumerate(row_type):
        b = rhs.get(i, 0.0)
        r = ranges.get(i)
        if kind == "E":
            rlo[i] = rhi[i] = b
            if r is not None:
                if r >= 0:
                    rhi[i] = b + r
                else:
                    rlo[i] = b + r
        elif kind == "L":
            rhi[i] = b
            if r is not None:
                rlo[i] = b - abs(r)
        elif kind == "G":
            rlo[i] = b
            if r is not None:
                rhi[i] = b + abs(r)
        else:
            raise ValueError("unsupported row type %r" % kind)

    A = sp.csr_matrix(
        (np.frombuffer(vals, dtype=np.float64),
         (np.frombuffer(rows_i, dtype=np.int32), np.frombuffer(cols_j, dtype=np.int32))),
        shape=(m, n))
    del vals, rows_i, cols_j
    return {
        "c": c,
        "offset": -rhs.get(None, 0.0),
        "integrality": np.asarray(col_int, dtype=np.uint8),
        "lb": lb,
        "ub": ub,
        "A": A,
        "rlo": rlo,
        "rhi": rhi,
        "names": col_names,
    }


def highs_child(mps, cap, gap):
    """Run in a child process: solve an MPS file with scipy's HiGHS; print one JSON line."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    t0 = time.time()
    model = read_mps(mps)
    parse = time.time() - t0
    constraints = []
    if model["A"].shape[0]:
        constraints = [LinearConstraint(model["A"], model["rlo"], model["rhi"])]
    w0, c0 = time.time(), time.process_time()
    res = milp(
        model["c"],
        integrality=model["integrality"],
        bounds=Bounds(model["lb"], model["ub"]),
        constraints=constraints,
        options={"time_limit": float(cap), "mip_rel_gap": gap, "disp": False,
                 "presolve": True},
    )
    wall, cpu = time.time() - w0, time.process_time() - c0
    out = {
        "status": int(res.status),
        "message": str(res.message),
        "objective": None if res.fun is None else float(res.fun) + model["offset"],
        "bound": None,
        "parse_seconds": parse,
        "seconds": wall,
        "cpu_seconds": cpu,
        "rows": int(model["A"].shape[0]),
        "columns": int(model["A"].shape[1]),
        "nonzeros": int(model["A"].nnz),
    }
    bound = getattr(res, "mip_dual_bound", None)
    if bound is not None and np.isfinite(bound):
        out["bound"] = float(bound) + model["offset"]
    print(json.dumps(out))


# ---------------------------------------------------------------------------------------
# Running the programs
# ---------------------------------------------------------------------------------------

def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def run(cmd, timeout=None, **kw):
    """Run a command; returns (returncode or None on timeout, stdout, stderr, wall s).

    The command runs in a session of its own, and on timeout the whole session is
    killed: a solver started under /usr/bin/time (CBC, the HiGHS child) would otherwise
    go on running, orphaned, beside the next measurements."""
    t0 = time.time()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True, **kw)
    try:
        out, err = p.communicate(timeout=timeout)
        return p.returncode, out, err, time.time() - t0
    except subprocess.TimeoutExpired:
        kill_session(p)
        out, err = p.communicate()
        return None, out or "", err or "", time.time() - t0
    except BaseException:  # Ctrl-C: the session does not get the terminal's signal
        kill_session(p)
        p.wait()
        raise


def kill_session(p):
    """Kill the session that run() started for process p."""
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def parse_time_v(text):
    """Peak RSS (MB), wall and CPU seconds from the report of /usr/bin/time -v."""
    rss = wall = None
    user = sys_ = 0.0
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("Maximum resident set size (kbytes):"):
            rss = int(line.rsplit(":", 1)[1]) / 1024.0
        elif line.startswith("User time (seconds):"):
            user = float(line.rsplit(":", 1)[1])
        elif line.startswith("System time (seconds):"):
            sys_ = float(line.rsplit(":", 1)[1])
        elif line.startswith("Elapsed (wall clock) time"):
            v = line.split("):", 1)[1].strip()
            secs = 0.0
            for part in v.split(":"):
                secs = secs * 60 + float(part)
            wall = secs
    return rss, wall, user + sys_


def strip_time_v(text):
    """The program's own stderr, without the report of time -v."""
    cut = text.find("\tCommand being timed:")
    return text if cut < 0 else text[:cut]


def load_seconds(stats):
    """Seconds to load the scenario and build eligibility, from a --timings breakdown.

    Looks for stats.timings (an object of seconds per phase) and adds the phases named
    load/read/parse/validate and eligibility/pairs; or for stats.load_seconds and
    stats.eligibility_seconds. None when the solver gives no breakdown.
    """
    t = stats.get("timings")
    total = 0.0
    found = False
    if isinstance(t, dict):
        for k, v in t.items():
            if isinstance(v, (int, float)) and re.match(r"(load|read|parse|validat|eligib|pairs)", k):
                total += v
                found = True
    for k in ("load_seconds", "read_seconds", "eligibility_seconds"):
        if isinstance(stats.get(k), (int, float)):
            total += stats[k]
            found = True
    return total if found else None


def load_seconds_stderr(text):
    """The same breakdown from the program's stderr, for a --timings that prints it:
    a line naming phases and seconds, such as "timings: load 1.20 s, eligibility 0.35 s,
    model 0.80 s, solve 4.10 s". None when there is no such line."""
    total = 0.0
    found = False
    for line in text.splitlines():
        if "timing" not in line.lower():
            continue
        for name, secs in re.findall(r"([A-Za-z_+ -]+?)\s*[:=]?\s*([0-9]+(?:\.[0-9]+)?)\s*s\b", line):
            if re.match(r"\W*(timings?\W*)?(load|read|parse|validat|eligib|pairs)", name.strip().lower()):
                total += float(secs)
                found = True
    return total if found else None


def find_circulab(given):
    if given:
        return given
    if os.environ.get("CIRCULAB"):
        return os.environ["CIRCULAB"]
    cands = [os.path.join(ROOT, "build", "circulab")]
    try:
        for d in sorted(os.listdir(ROOT)):
            if d.startswith("build") and os.path.isdir(os.path.join(ROOT, d)):
                cands.append(os.path.join(ROOT, d, "circulab"))
    except OSError:
        pass
    cands = [c for c in cands if os.access(c, os.X_OK)]
    if not cands:
        return None
    return max(cands, key=os.path.getmtime)


def scipy_python():
    """An interpreter that can import scipy.optimize.milp, or None."""
    probe = "import scipy.optimize, scipy.sparse, numpy; scipy.optimize.milp"
    for exe in (sys.executable, DEBIAN_PYTHON):
        if exe and os.access(exe, os.X_OK):
            rc, _, _, _ = run([exe, "-c", probe], timeout=120)
            if rc == 0:
                return exe
    return None


def versions(circulab, cbc, py):
    info = {"machine": platform.machine(), "kernel": platform.release()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    info["cores"] = os.cpu_count()
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            info["memory_gib"] = round(kb / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    rc, out, _, _ = run([circulab, "--version"], timeout=30)
    info["circulab"] = out.strip() if rc == 0 else "?"
    if cbc:
        rc, out, _, _ = run([cbc, "-quit"], timeout=30)
        m = re.search(r"Version:\s*(\S+)", out)
        info["cbc"] = m.group(1) if m else "?"
    if py:
        rc, out, _, _ = run([py, "-c", "import scipy; print(scipy.__version__)"], timeout=60)
        info["scipy"] = out.strip() if rc == 0 else "?"
    try:
        with open("/proc/loadavg") as f:
            info["loadavg_at_start"] = f.read().split()[0]
    except OSError:
        pass
    return info


# ---------------------------------------------------------------------------------------
# One size
# ---------------------------------------------------------------------------------------

def bench_size(size, a, tools, errors):
    circulab = tools["circulab"]
    tag = "%s-seed%d" % (size, a.seed)
    scen = os.path.join(a.out, tag + ".json")
    result = os.path.join(a.out, tag + ".result.json")
    mps = os.path.join(a.out, tag + ".mps")
    row = {"size": size, "seed": a.seed}

    def fail(msg):
        errors.append("%s: %s" % (tag, msg))
        log("FAIL: %s: %s" % (tag, msg))

    # 1. generate
    log("%s: generating %s" % (tag, scen))
    m = re.match(r"^(\d+)X(\d+)$", size)
    shape = ["--workers", m.group(1), "--vacancies", m.group(2)] if m else ["--size", size]
    rc, out, err, wall = run([circulab, "generate"] + shape + ["--seed", str(a.seed),
                              "-o", scen, "--verbose"], timeout=3600)
    if rc != 0:
        fail("circulab generate failed (exit %s): %s" % (rc, err.strip()))
        return row
    row["generate_seconds"] = round(wall, 3)
    row["generate_summary"] = err.strip()

    # 2. solve (the first method; the others after the checker)
    cmd = ["/usr/bin/time", "-v", circulab, "solve", scen, "-o", result, "--quiet"]
    if tools["methods"]:
        cmd += ["--method", tools["methods"][0]]
    if tools["timings"]:
        cmd.append("--timings")
    if a.time_limit:
        cmd += ["--time-limit", str(a.time_limit)]
    if a.gap:
        cmd += ["--gap", str(a.gap)]
    if a.threads:
        cmd += ["--threads", str(a.threads)]
    log("%s: solving with circulab" % tag)
    rc, out, err, wall = run(cmd, timeout=a.solve_timeout)
    rss, twall, cpu = parse_time_v(err)
    if rc is None:
        fail("circulab solve did not finish within %.0f s" % a.solve_timeout)
        row["circulab_status"] = "timeout"
        return row
    if rc != 0:
        fail("circulab solve failed (exit %d): %s" % (rc, strip_time_v(err).strip()[-2000:]))
        return row
    with open(result) as f:
        res = json.load(f)
    stats = res.get("stats", {})
    row.update({
        "workers": stats.get("workers"),
        "vacancies": stats.get("vacancies"),
        "eligible_pairs": stats.get("eligible_pairs"),
        "rows": stats.get("rows"),
        "columns": stats.get("columns"),
        "circulab_status": res.get("status"),
        "objective": res.get("objective"),
        "bound": res.get("bound"),
        "gap": res.get("gap"),
        "placements": len(res.get("placements", [])),
        "solve_seconds": stats.get("seconds") if stats.get("seconds") else None,
        "load_seconds": load_seconds(stats) if load_seconds(stats) is not None
                        else load_seconds_stderr(strip_time_v(err)),
        "circulab_seconds": twall if twall is not None else wall,
        "circulab_cpu_seconds": cpu,
        "peak_rss_mb": rss,
    })
    if stats.get("workers"):
        row["eligible_per_worker"] = round(stats.get("eligible_pairs", 0) / stats["workers"], 2)
    if res.get("status") != "optimal" and not (a.time_limit or a.gap):
        fail("circulab status is %s, not optimal" % res.get("status"))

    # 3. the independent checker
    checker = os.path.join(ROOT, "tests", "checker", "check_result.py")
    if os.path.exists(checker) and not a.no_check:
        log("%s: checking the result with tests/checker/check_result.py" % tag)
        rc, out, err, wall = run([sys.executable, checker, scen, result],
                                 timeout=max(3600.0, a.solve_timeout))
        row["checker"] = "ok" if rc == 0 else "FAIL"
        row["checker_seconds"] = round(wall, 2)
        if rc != 0:
            text = (out + err).strip().splitlines()
            fail("the checker rejects the result (exit %s): %s" % (rc, "; ".join(text[:10])))
    else:
        row["checker"] = "-"

    # 2b. the other solve paths, on the same scenario
    for method in tools["methods"][1:]:
        other = os.path.join(a.out, tag + "." + method + ".result.json")
        mcmd = ["/usr/bin/time", "-v", circulab, "solve", scen, "-o", other, "--quiet",
                "--method", method]
        limit = a.method_limit or a.time_limit
        if limit:
            mcmd += ["--time-limit", str(limit)]
        if a.gap:
            mcmd += ["--gap", str(a.gap)]
        if a.threads:
            mcmd += ["--threads", str(a.threads)]
        log("%s: solving with circulab --method %s" % (tag, method))
        rc, out, err, wall = run(mcmd, timeout=a.solve_timeout)
        mrss, mwall, mcpu = parse_time_v(err)
        entry = {"seconds": mwall if mwall is not None else wall, "cpu_seconds": mcpu,
                 "peak_rss_mb": mrss}
        if rc == 0:
            with open(other) as f:
                mres = json.load(f)
            entry.update({"status": mres.get("status"), "objective": mres.get("objective"),
                          "bound": mres.get("bound")})
            if (mres.get("status") == "optimal" and row.get("circulab_status") == "optimal"
                    and abs(mres["objective"] - row["objective"]) >
                    REL_TOL * max(1.0, abs(row["objective"]))):
                fail("OBJECTIVE MISMATCH between methods: %s %.10g, %s %.10g"
                     % (tools["methods"][0], row["objective"], method, mres["objective"]))
        else:
            entry["status"] = "timeout" if rc is None else "failed"
        row["method_" + method] = entry

    if a.no_cbc and a.no_highs:
        return row

    # 4. the full model as MPS
    log("%s: writing the model as MPS" % tag)
    if os.path.exists(mps):
        os.remove(mps)
    scratch = os.path.join(a.out, tag + ".mps-run.json")
    mps_cmd = [circulab, "solve", scen, "--write-mps", mps, "-o", scratch, "--quiet"]
    # the model is written before the search, so a short limit saves solving twice; if a
    # solver version writes it later, the second command below writes it for sure
    rc, out, err, wall = run(mps_cmd + ["--time-limit", "1"], timeout=a.solve_timeout)
    if not mps_complete(mps):
        rc, out, err, wall = run(mps_cmd, timeout=a.solve_timeout)
    if os.path.exists(scratch):
        os.remove(scratch)
    if not mps_complete(mps):
        fail("circulab solve --write-mps wrote no complete MPS file (exit %s): %s"
             % (rc, err.strip()[-1000:]))
        return row
    row["mps_mb"] = round(os.path.getsize(mps) / 1e6, 1)
    rhs = mps_objective_rhs(mps)
    row["mps_objective_rhs"] = rhs
    if rhs:
        log("WARNING: %s: the MPS carries an objective constant as the RHS of the "
            "objective row (%.10g). GLPK, which wrote it, means +%.10g; CBC and HiGHS read "
            "-%.10g. The script adds %.10g to their minima to compare in GLPK's meaning. "
            "Write the constant as a fixed column instead, so that every reader agrees."
            % (tag, rhs, rhs, rhs, 2 * rhs))

    circ = row["objective"]
    circ_ok = row.get("circulab_status") == "optimal"
    circ_bound = row.get("bound")

    # 5a. CBC
    if not a.no_cbc:
        sol = os.path.join(a.out, tag + ".cbc.sol")
        if os.path.exists(sol):
            os.remove(sol)
        log("%s: solving the MPS with CBC (cap %.0f s)" % (tag, a.cap))
        rc, out, err, wall = run(["/usr/bin/time", "-v", tools["cbc"], mps,
                                  "ratio", str(REF_GAP), "sec", str(a.cap), "solve",
                                  "solu", sol], timeout=a.cap * REF_OVERRUN + 300)
        rss_c, twall_c, cpu_c = parse_time_v(err)
        cbc = {"seconds": twall_c if twall_c is not None else wall, "cpu_seconds": cpu_c,
               "peak_rss_mb": rss_c, "cap": a.cap}
        if rc is None:
            cbc.update({"status": "cap", "seconds": a.cap})  # stopped past its cap
        else:
            first = ""
            if os.path.exists(sol):
                with open(sol) as f:
                    first = f.readline().strip()
            m = re.search(r"objective value\s+(\S+)", first)
            cbc["objective"] = float(m.group(1)) + 2 * rhs if m else None
            if m and rhs:
                cbc["objective_as_read"] = float(m.group(1))
            if first.startswith("Optimal"):
                cbc["status"] = "optimal"
            elif first.startswith("Stopped on time") or "Stopped on time" in out:
                cbc["status"] = "cap"
            elif rc != 0 or not first:
                cbc["status"] = "error"
                fail("cbc failed (exit %s): %s" % (rc, (out + err).strip()[-800:]))
            else:
                cbc["status"] = first.split(" - ")[0].strip().lower() or "?"
        row["cbc"] = cbc
        compare(row, "cbc", circ, circ_ok, circ_bound, fail)

    # 5b. HiGHS
    if not a.no_highs:
        log("%s: solving the MPS with HiGHS via scipy (cap %.0f s)" % (tag, a.cap))
        rc, out, err, wall = run(["/usr/bin/time", "-v", tools["python"], os.path.abspath(__file__),
                                  "--highs-child", mps, "--cap", str(a.cap)],
                                 timeout=a.cap * REF_OVERRUN + 1800)
        rss_h, _, _ = parse_time_v(err)
        highs = {"peak_rss_mb": rss_h, "cap": a.cap}
        if rc is None:
            highs.update({"status": "cap", "seconds": a.cap})
        elif rc != 0 or not out.strip():
            highs["status"] = "error"
            fail("the HiGHS child failed (exit %s): %s" % (rc, strip_time_v(err).strip()[-800:]))
        else:
            h = json.loads(out.strip().splitlines()[-1])
            # scipy milp: 0 optimal, 1 iteration or time limit, 2 infeasible, 3 unbounded
            status = {0: "optimal", 1: "cap", 2: "infeasible", 3: "unbounded"}.get(h["status"], "error")
            if rhs and h["objective"] is not None:
                highs["objective_as_read"] = h["objective"]
                h["objective"] += 2 * rhs
                if h["bound"] is not None:
                    h["bound"] += 2 * rhs
            highs.update({"status": status, "objective": h["objective"], "bound": h["bound"],
                          "seconds": h["seconds"], "cpu_seconds": h["cpu_seconds"],
                          "parse_seconds": round(h["parse_seconds"], 2),
                          "message": h["message"]})
            if status in ("infeasible", "unbounded", "error"):
                fail("HiGHS says %s: %s" % (status, h["message"]))
        row["highs"] = highs
        compare(row, "highs", circ, circ_ok, circ_bound, fail)

    if not a.keep_mps and os.path.exists(mps):
        os.remove(mps)
    return row


def mps_complete(path):
    """Does the file exist and end with ENDATA (a writer that died midway leaves none)?"""
    if not os.path.exists(path):
        return False
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        f.seek(max(0, size - 64))
        return b"ENDATA" in f.read()


def mps_objective_rhs(path):
    """The RHS entry of the objective row of an MPS file (0.0 when there is none).

    GLPK's glp_write_mps writes the objective constant c0 there as +c0, and reads it
    back so; CBC, HiGHS, CPLEX and this script's reader take that entry as -c0. An MPS
    with a constant is therefore read differently by GLPK and by the others; the script
    finds the entry (scanning for the RHS section in large blocks) to say so and to
    compare objectives in GLPK's meaning.
    """
    obj = None
    with open(path, "rb") as f:
        for raw in f:
            if raw.startswith(b"COLUMNS"):
                break
            t = raw.split()
            if obj is None and len(t) == 2 and t[0] == b"N" and raw[:1].isspace():
                obj = t[1]
        if obj is None:
            return 0.0
        tail = b""
        pos = -1
        while True:
            block = f.read(1 << 24)
            if not block:
                return 0.0
            buf = tail + block
            pos = buf.find(b"\nRHS")
            if pos >= 0:
                break
            tail = buf[-8:]
        rest = buf[pos + 1:]
        total = 0.0
        first = True
        while True:
            end = rest.find(b"\n")
            while end < 0:
                more = f.read(1 << 20)
                if not more:
                    end = len(rest)
                    break
                rest += more
                end = rest.find(b"\n")
            line, rest = rest[:end], rest[end + 1:]
            if first:
                first = False
                continue
            if not line[:1].isspace():
                return total
            t = line.split()
            for k in range(1 if len(t) % 2 == 1 else 0, len(t) - 1, 2):
                if t[k] == obj:
                    total += float(t[k + 1])


def compare(row, name, circ, circ_ok, circ_bound, fail):
    """Reference minimum vs minus circulab's maximum, when the reference proved it.

    Both proven: they must agree to REL_TOL. circulab stopped early (--time-limit,
    --gap): its plan may be worse than the optimum but not better, and its bound may
    not be below the optimum.
    """
    ref = row[name]
    if ref.get("status") != "optimal" or ref.get("objective") is None or circ is None:
        ref["agrees"] = None
        return
    theirs = -ref["objective"]
    rel = abs(theirs - circ) / max(1.0, abs(circ))
    tol = REL_TOL * max(1.0, abs(theirs))
    ref["relative_difference"] = rel
    if circ_ok:
        ref["agrees"] = rel <= REL_TOL
        if rel > REL_TOL:
            fail("OBJECTIVE MISMATCH: circulab %.10g, %s %.10g (as a maximum), relative "
                 "difference %.3g > %g" % (circ, name.upper(), theirs, rel, REL_TOL))
        return
    ref["agrees"] = circ <= theirs + tol and (circ_bound is None or circ_bound >= theirs - tol)
    if circ > theirs + tol:
        fail("circulab's plan (objective %.10g) beats %s's proven optimum %.10g: the "
             "models differ" % (circ, name.upper(), theirs))
    if circ_bound is not None and circ_bound < theirs - tol:
        fail("circulab's bound %.10g is below %s's proven optimum %.10g: the bound is wrong"
             % (circ_bound, name.upper(), theirs))


# ---------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------

def fmt_s(x, cpu=None):
    if x is None:
        return "-"
    s = "%.1f" % x if x >= 10 else "%.2f" % x
    if cpu is not None:
        s += " (%s)" % ("%.1f" % cpu if cpu >= 10 else "%.2f" % cpu)
    return s


def fmt_int(x):
    return "-" if x is None else "{:,}".format(int(x))


def ref_cell(ref):
    if not ref:
        return "-"
    if ref.get("status") == "cap":
        return "cap"
    if ref.get("status") != "optimal":
        return ref.get("status", "-")
    return fmt_s(ref.get("seconds"), ref.get("cpu_seconds"))


def ratio_cell(row, name):
    ref = row.get(name)
    if not ref or row.get("circulab_seconds") is None:
        return "-"
    if ref.get("status") == "cap":
        # the reference needs more than the cap: circulab's ratio is below this
        return "< %.2f" % (row["circulab_seconds"] / ref["cap"]) if ref.get("cap") else "-"
    if ref.get("status") != "optimal" or not ref.get("seconds"):
        return "-"
    s = "%.2f" % (row["circulab_seconds"] / ref["seconds"])
    if ref.get("cpu_seconds") and row.get("circulab_cpu_seconds"):
        s += " (%.2f)" % (row["circulab_cpu_seconds"] / ref["cpu_seconds"])
    if row.get("circulab_status") != "optimal":
        s = "> " + s  # circulab stopped at a limit without its proof
    return s


HEADER = ["size", "workers", "vacancies", "eligible pairs", "rows", "columns",
          "load + eligibility s", "circulab s (CPU)", "peak RSS MB", "objective",
          "pairs s", "CBC s (CPU)", "HiGHS s (CPU)", "circulab / pairs", "circulab / CBC",
          "circulab / HiGHS"]


def method_cell(r, name):
    e = r.get("method_" + name)
    if not e:
        return "-"
    s = fmt_s(e.get("seconds"))
    if e.get("status") != "optimal":
        s += " (%s)" % e.get("status")
    return s


def method_ratio(r, name):
    e = r.get("method_" + name)
    if not e or not e.get("seconds") or r.get("circulab_seconds") is None:
        return "-"
    s = "%.3f" % (r["circulab_seconds"] / e["seconds"])
    if e.get("status") != "optimal":
        s = "< " + s  # the other path stopped without its proof
    return s


def table(rows):
    lines = ["| " + " | ".join(HEADER) + " |",
             "|" + "|".join("---" if i == 0 else "---:" for i in range(len(HEADER))) + "|"]
    for r in rows:
        obj = r.get("objective")
        cells = [
            r["size"], fmt_int(r.get("workers")), fmt_int(r.get("vacancies")),
            fmt_int(r.get("eligible_pairs")), fmt_int(r.get("rows")), fmt_int(r.get("columns")),
            fmt_s(r.get("load_seconds")),
            fmt_s(r.get("circulab_seconds"), r.get("circulab_cpu_seconds")),
            "-" if r.get("peak_rss_mb") is None else "%.0f" % r["peak_rss_mb"],
            "-" if obj is None else ("%.2f" % obj) + ("" if r.get("circulab_status") == "optimal"
                                                       else " (%s)" % r.get("circulab_status")),
            method_cell(r, "pairs"),
            ref_cell(r.get("cbc")), ref_cell(r.get("highs")),
            method_ratio(r, "pairs"), ratio_cell(r, "cbc"), ratio_cell(r, "highs"),
        ]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------

def main(argv):
    p = argparse.ArgumentParser(
        description="Benchmark circulab against CBC and HiGHS on generated scenarios.")
    p.add_argument("--mode", choices=sorted(MODES), default="quick",
                   help="quick: S and M (cap 600 s); full: S, M, L, XL (cap 1800 s)")
    p.add_argument("--sizes", help="comma-separated sizes to run instead of the mode's: "
                   "S, M, L, XL, or WORKERSxVACANCIES such as 5000x250")
    p.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    p.add_argument("--cap", type=float, help="time cap of CBC and HiGHS, seconds")
    p.add_argument("--solve-timeout", type=float, default=7200.0,
                   help="give up on a circulab solve after this many seconds (default 7200)")
    p.add_argument("--time-limit", type=float,
                   help="pass --time-limit to circulab solve (a plan that is not proven "
                   "optimal is then reported, not failed)")
    p.add_argument("--gap", type=float, help="pass --gap to circulab solve (likewise)")
    p.add_argument("--threads", type=int,
                   help="pass --threads to circulab solve (default: its own, the "
                   "processors up to 8; a program without the option fails)")
    p.add_argument("--circulab", help="the circulab program (default: newest build*/circulab)")
    p.add_argument("--out", default=os.path.join(HERE, "out"), help="work directory (bench/out)")
    p.add_argument("--no-cbc", action="store_true", help="do not run CBC")
    p.add_argument("--no-highs", action="store_true", help="do not run HiGHS")
    p.add_argument("--no-check", action="store_true", help="do not run the result checker")
    p.add_argument("--keep-mps", action="store_true", help="keep the MPS files in --out")
    p.add_argument("--methods", default="itineraries,pairs",
                   help="circulab solve paths to run, the first one the row's (default "
                   "itineraries,pairs; 'itineraries' alone skips the pair model)")
    p.add_argument("--method-limit", type=float,
                   help="--time-limit for the methods after the first (the pair model "
                   "may need hours; its time then reads as at least the limit)")
    p.add_argument("--highs-child", metavar="MPS", help=argparse.SUPPRESS)
    a = p.parse_args(argv)

    if a.highs_child:
        highs_child(a.highs_child, a.cap or 600.0, REF_GAP)
        return 0

    sizes = MODES[a.mode]
    if a.sizes:
        sizes = [s.strip().upper() for s in a.sizes.split(",") if s.strip()]
        bad = [s for s in sizes if s not in SIZES and not re.match(r"^\d+X\d+$", s)]
        if bad:
            p.error("unknown size(s) %s; expected %s or WxV" % (", ".join(bad), ", ".join(SIZES)))
    if a.cap is None:
        a.cap = DEFAULT_CAP["full" if any(s in ("L", "XL") for s in sizes) or a.mode == "full" else "quick"]
    a.out = os.path.abspath(a.out)
    os.makedirs(a.out, exist_ok=True)

    # tools: say which Debian package is missing, install nothing
    missing = []
    circulab = find_circulab(a.circulab)
    if not circulab or not os.access(circulab, os.X_OK):
        log("error: no circulab program: build it (cmake -S . -B build && cmake --build build)"
            " or pass --circulab PATH")
        return 2
    if not os.access("/usr/bin/time", os.X_OK):
        missing.append("time")
    cbc = None
    if not a.no_cbc:
        cbc = shutil.which("cbc")
        if not cbc:
            missing.append("coinor-cbc")
    py = None
    if not a.no_highs:
        py = scipy_python()
        if not py:
            missing.append("python3-scipy")
    if missing:
        log("error: missing Debian package%s: %s (install with: apt-get install %s)"
            % ("s" if len(missing) > 1 else "", ", ".join(missing), " ".join(missing)))
        return 2
    rc, out, _, _ = run([circulab, "solve", "--help"], timeout=60)
    methods = [m.strip() for m in a.methods.split(",") if m.strip()]
    if "--method" not in out:
        methods = []  # an older circulab: one path only
    tools = {"circulab": circulab, "cbc": cbc, "python": py, "timings": "--timings" in out,
             "methods": methods}

    env = versions(circulab, cbc, py)
    log("circulab: %s (%s); cbc %s; scipy %s; %s, %s cores, %s GiB"
        % (circulab, env.get("circulab"), env.get("cbc", "-"), env.get("scipy", "-"),
           env.get("cpu", "?"), env.get("cores"), env.get("memory_gib")))
    errors = []
    rows = []
    for size in sizes:
        rows.append(bench_size(size, a, tools, errors))
        print(table(rows[-1:]).splitlines()[-1], file=sys.stderr, flush=True)

    try:
        with open("/proc/loadavg") as f:
            env["loadavg_at_end"] = f.read().split()[0]
    except OSError:
        pass
    report = {"mode": a.mode, "sizes": sizes, "seed": a.seed, "cap_seconds": a.cap,
              "circulab_time_limit": a.time_limit, "circulab_gap": a.gap,
              "circulab_threads": a.threads,
              "environment": env, "rows": rows, "errors": errors,
              "date": time.strftime("%Y-%m-%d %H:%M:%S")}
    path = os.path.join(a.out, "bench-%s.json" % (a.mode if not a.sizes else "-".join(sizes)))
    with open(path, "w") as f:
        json.dump(report, f, indent=1)

    print(table(rows))
    print()
    print("circulab %s; CBC %s; HiGHS via scipy %s; seed %d; reference cap %.0f s; %s, %s cores."
          % (env.get("circulab"), env.get("cbc", "-"), env.get("scipy", "-"), a.seed, a.cap,
             env.get("cpu", "?"), env.get("cores")))
    print("Details: %s" % path)
    if errors:
        print("\nFAILED:", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
