#!/usr/bin/env python3
"""make_corpus.py - the seed corpora and dictionaries of the fuzz targets.

Seeds are derived at test time, into the build tree, from the project's own data:
every scenario of scenarios/ (the large ones cut down to a few records that still
refer to each other), the data-driven reader cases of tests/data/{valid,invalid},
the result checker's cases (tests/checker/cases) and the planning variants. From the
same records it writes CSV files in the import columns (docs/DATABASE.md), native
offers pages (circulab-offers/1) and JobPosting pages in every shape docs/OFFERS.md
maps (one posting, an array, an ItemList, an @graph with references). Nothing of this
is committed: the corpora follow the data as it changes.

Each target also gets a libFuzzer dictionary: the JSON keys and short string values
seen in its seeds (or the CSV column names), so that mutations speak the format.

Usage: make_corpus.py SOURCE_DIR OUT_DIR
Writes OUT_DIR/seeds/<target>/*, OUT_DIR/<target>.dict and OUT_DIR/work/base.json (the
base scenario that variants in the seeds extend; the fuzzers run in OUT_DIR/work).
"""
import csv
import hashlib
import io
import json
import os
import shutil
import sys

MAX_SEED = 16384  # bytes: larger documents are cut down first
TARGETS = ("scenario", "csv", "offers", "jobposting")


def load(path):
    with open(path, "rb") as f:
        return f.read()


def arr(doc, key):
    v = doc.get(key) if isinstance(doc, dict) else None
    return v if isinstance(v, list) else []


def cut(doc, n=4):
    """A few records of a scenario that still refer to each other."""
    if not isinstance(doc, dict):
        return doc
    out = dict(doc)
    emps = arr(doc, "employers")
    out["employers"] = emps[:3]
    keep_e = {e.get("id") for e in out["employers"] if isinstance(e, dict)}
    vacs = arr(doc, "vacancies")
    out["vacancies"] = [v for v in vacs if isinstance(v, dict) and
                        v.get("employer") in keep_e][:2 * n]
    keep_v = {v.get("id") for v in out["vacancies"]}
    wks = arr(doc, "workers")
    out["workers"] = wks[:2 * n]
    keep_w = {w.get("id") for w in out["workers"] if isinstance(w, dict)}
    for key in ("quotas", "sessions", "programmes"):
        if arr(doc, key):
            out[key] = arr(doc, key)[:n]
    for key in ("scores", "pins", "bans", "previous_plan"):
        if arr(doc, key):
            out[key] = [p for p in arr(doc, key) if isinstance(p, dict) and
                        p.get("worker") in keep_w and
                        p.get("vacancy", next(iter(keep_v), None)) in keep_v][:n]
    return out


class Corpus:
    def __init__(self, out):
        self.out = out
        self.keys = {t: set() for t in TARGETS}
        self.count = {t: 0 for t in TARGETS}
        for t in TARGETS:
            os.makedirs(os.path.join(out, "seeds", t), exist_ok=True)

    def add(self, target, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        if len(data) > MAX_SEED:
            return
        name = hashlib.sha1(data).hexdigest()[:16]
        with open(os.path.join(self.out, "seeds", target, name), "wb") as f:
            f.write(data)
        self.count[target] += 1

    def add_json(self, target, doc, indent=None):
        self.words(target, doc)
        self.add(target, json.dumps(doc, indent=indent, ensure_ascii=False))

    def words(self, target, v):
        if isinstance(v, dict):
            for k, x in v.items():
                self.keys[target].add(json.dumps(k, ensure_ascii=True))
                self.words(target, x)
        elif isinstance(v, list):
            for x in v:
                self.words(target, x)
        elif isinstance(v, str) and len(v) <= 24 and " " not in v:
            self.keys[target].add(json.dumps(v, ensure_ascii=True))

    def write_dicts(self, extra):
        for t in TARGETS:
            words = sorted(self.keys[t] | set(extra.get(t, ())))
            with open(os.path.join(self.out, t + ".dict"), "w") as f:
                for w in words:
                    esc = "".join(c if 32 <= ord(c) < 127 and c not in '"\\'
                                  else "\\x%02x" % ord(c) for c in w)
                    f.write('"%s"\n' % esc)


# ---- CSV in the import columns ------------------------------------------------------

WORKER_COLS = [
    ("id", "id"), ("name", "name"), ("birth_date", "birth_date"), ("sex", "sex"),
    ("country", "country"), ("region", "region"), ("languages", "languages"),
    ("skills", "skills"), ("trainings", "trainings"),
    ("available_from", "available.from"), ("available_to", "available.to"),
    ("preferences", "preferences"), ("excludes", "excludes"),
    ("campaigns", "history.campaigns"), ("returned", "history.returned"),
    ("last_employer", "history.last_employer"), ("last_return", "history.last_return"),
    ("days_abroad", "history.days_abroad"), ("banned_until", "history.banned_until")]
VACANCY_COLS = [
    ("id", "id"), ("employer", "employer"), ("site", "site"), ("sector", "sector"),
    ("occupation", "occupation"), ("start", "start"), ("end", "end"),
    ("headcount", "headcount"), ("wage_month_eur", "wage_month_eur"),
    ("requires_skills", "requires.skills"), ("requires_trainings", "requires.trainings"),
    ("requires_languages", "requires.languages"),
    ("min_campaigns", "requires.min_campaigns"), ("named", "named"),
    ("hold_named", "hold_named")]
EMPLOYER_COLS = [("id", "id"), ("name", "name"), ("region", "region"),
                 ("association", "association")]


def cell(rec, path):
    v = rec
    for part in path.split("."):
        v = v.get(part) if isinstance(v, dict) else None
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return ";".join(str(x) if not isinstance(x, dict) else json.dumps(x) for x in v)
    if isinstance(v, dict):
        return json.dumps(v)
    return str(v)


def to_csv(records, cols, crlf=False, drop_empty=True):
    recs = [r for r in records if isinstance(r, dict)]
    if drop_empty:
        cols = [c for c in cols if c[0] == "id" or any(cell(r, c[1]) for r in recs)]
    s = io.StringIO()
    w = csv.writer(s, lineterminator="\r\n" if crlf else "\n")
    w.writerow([c[0] for c in cols])
    for r in recs:
        w.writerow([cell(r, c[1]) for c in cols])
    return s.getvalue()


# ---- offers pages -------------------------------------------------------------------

def salary_shapes(wage):
    yield wage
    yield {"@type": "MonetaryAmount", "currency": "EUR", "value": wage}
    yield {"@type": "MonetaryAmount", "currency": "EUR",
           "value": {"@type": "QuantitativeValue", "value": round(wage / 173.33, 2),
                     "unitText": "HOUR"}}
    yield {"@type": "MonetaryAmount", "currency": "EUR",
           "value": {"@type": "QuantitativeValue", "minValue": round(wage / 21.75, 2),
                     "unitText": "DAY"}}


def posting(v, emps, i, ref=False):
    e = emps.get(v.get("employer"), {"id": v.get("employer"), "region": "ES615"})
    org = {"@type": "Organization", "identifier": e.get("id"), "name": e.get("name", ""),
           "address": {"@type": "PostalAddress", "addressRegion": e.get("region")}}
    skills = (v.get("requires") or {}).get("skills") or ["isco:9211"]
    jp = {
        "@type": ["JobPosting", "schema:JobPosting", "https://schema.org/JobPosting"][i % 3],
        "identifier": [v.get("id"), {"@type": "PropertyValue", "value": v.get("id")}][i % 2],
        "title": "Seasonal work", "description": "<p>seasonal</p>",
        "hiringOrganization": {"@id": "#org-" + str(e.get("id"))} if ref else org,
        "jobLocation": {"@type": "Place",
                        "address": {"@type": "PostalAddress",
                                    "addressRegion": e.get("region")}},
        "jobStartDate": v.get("start") + ("T08:00:00+01:00" if i % 2 else ""),
        "totalJobOpenings": v.get("headcount"),
        "occupationalCategory": [str(v.get("occupation", "9211")).replace("isco:", ""),
                                 {"@type": "CategoryCode",
                                  "codeValue": v.get("occupation", "9211")}][i % 2],
        "industry": v.get("sector", "agriculture"),
        "skills": [", ".join(skills), skills,
                   [{"@type": "DefinedTerm", "name": s} for s in skills]][i % 3],
    }
    jp["validThrough" if i % 2 == 0 else "x-jobEndDate"] = v.get("end")
    if v.get("wage_month_eur") is not None:
        jp["baseSalary"] = list(salary_shapes(v["wage_month_eur"]))[i % 4]
    return jp, org


def offers_seeds(c, doc):
    emps = [e for e in arr(doc, "employers") if isinstance(e, dict)]
    vacs = [v for v in arr(doc, "vacancies") if isinstance(v, dict) and
            isinstance(v.get("start"), str)]
    if not vacs:
        return
    page = {"format": "circulab-offers/1", "employers": emps, "vacancies": vacs,
            "next": "https://offers.example/p2"}
    c.add_json("offers", page, indent=1)
    page2 = {"format": "circulab-offers/1",
             "vacancies": [dict(v, status=["open", "withdrawn"][i % 2])
                           for i, v in enumerate(vacs)], "next": None}
    c.add_json("offers", page2)
    by_id = {e.get("id"): e for e in emps}
    posts = [posting(v, by_id, i) for i, v in enumerate(vacs)]
    c.add_json("jobposting", dict(posts[0][0], **{"@context": "https://schema.org"}))
    c.add_json("jobposting", [p for p, _ in posts], indent=1)
    c.add_json("jobposting", {
        "@context": "https://schema.org", "@type": "ItemList",
        "itemListElement": [{"@type": "ListItem", "position": i + 1, "item": p}
                            for i, (p, _) in enumerate(posts)]})
    graph = [posting(v, by_id, i, ref=True)[0] for i, v in enumerate(vacs)]
    orgs = {o["identifier"]: dict(o, **{"@id": "#org-" + str(o["identifier"])})
            for _, o in posts}
    c.add_json("jobposting", {"@context": "https://schema.org",
                              "@graph": list(orgs.values()) + graph})


def derived(c, doc, crlf):
    """CSV files and offers pages made of one scenario's records."""
    if arr(doc, "workers"):
        c.add("csv", to_csv(arr(doc, "workers")[:8], WORKER_COLS, crlf))
    if arr(doc, "vacancies"):
        c.add("csv", to_csv(arr(doc, "vacancies")[:8], VACANCY_COLS, crlf))
    if arr(doc, "employers"):
        c.add("csv", to_csv(arr(doc, "employers")[:8], EMPLOYER_COLS, crlf))
    offers_seeds(c, doc)


# ---- main ---------------------------------------------------------------------------

def scenario_docs(src):
    """(name, document or None, raw bytes) of every scenario-like JSON file."""
    dirs = [os.path.join(src, "scenarios"), os.path.join(src, "scenarios", "planning"),
            os.path.join(src, "tests", "checker", "cases")]
    for kind in ("valid", "invalid"):
        base = os.path.join(src, "tests", "data", kind)
        dirs += [os.path.join(base, d) for d in sorted(os.listdir(base))]
    dirs.append(os.path.join(src, "tests", "data", "cli"))
    dirs.append(os.path.join(src, "tests", "data", "solve"))
    for d in dirs:
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith(".json"):
                continue
            raw = load(os.path.join(d, name))
            try:
                doc = json.loads(raw)
            except ValueError:
                doc = None
            if isinstance(doc, dict) and isinstance(doc.get("scenario"), dict):
                doc = doc["scenario"]  # a checker case
                raw = json.dumps(doc, indent=1).encode()
            yield os.path.join(d, name), doc, raw


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make_corpus.py SOURCE_DIR OUT_DIR")
    src, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(os.path.join(out, "seeds"), ignore_errors=True)
    os.makedirs(os.path.join(out, "work"), exist_ok=True)
    c = Corpus(out)
    base = cut(json.loads(load(os.path.join(src, "scenarios", "huelva-small.json"))))
    with open(os.path.join(out, "work", "base.json"), "w") as f:
        json.dump(base, f, indent=1)

    docs = []
    for path, doc, raw in scenario_docs(src):
        if isinstance(doc, dict) and "extends" in doc:
            doc = dict(doc, extends="base.json")
            raw = json.dumps(doc, indent=1).encode()
        if doc is not None:
            c.words("scenario", doc)
        if len(raw) <= MAX_SEED:
            c.add("scenario", raw)
        if isinstance(doc, dict) and doc.get("format") == "circulab-scenario/1":
            small = cut(doc) if len(raw) > MAX_SEED else doc
            if len(raw) > MAX_SEED:
                c.add_json("scenario", small, indent=1)
            docs.append(small)

    for i, doc in enumerate(docs):
        try:
            derived(c, doc, i % 2 == 1)
        except (TypeError, AttributeError, ValueError, KeyError):
            pass  # an invalid case whose records do not have the usual shapes
    # the reader's own corner cases: a BOM, quotes spanning lines, x- columns, a
    # placements file, empty lines
    c.add("csv", "\ufeffid,region,name,x-note\nE1,ES615,\"A, \"\"quoted\"\"\nname\",\n\nE2,ES615,,\n")
    c.add("csv", "placement,date\n1,2026-03-01\n")
    planning_csv = os.path.join(src, "scenarios", "planning", "return-rates.csv")
    if os.path.exists(planning_csv):
        c.add("csv", load(planning_csv))

    csv_words = [n for cols in (WORKER_COLS, VACANCY_COLS, EMPLOYER_COLS)
                 for n, _ in cols] + [",", '""', ";", "\r\n", "2026-02-01", "true",
                                      "isco:9211", "ES615", "MA", "x-", "\xef\xbb\xbf"]
    for t in TARGETS:
        if t != "csv":
            c.keys[t] |= {"{", "}", "[", "]", ":", ",", "null", "true", "false", "1e308",
                          "-0", "\\u0000", "\\ud800", '"x-"'}
    c.write_dicts({"csv": csv_words})
    print("make_corpus: " + ", ".join("%s %d seeds" % (t, c.count[t]) for t in TARGETS))
    for t in TARGETS:
        if c.count[t] == 0:
            sys.exit("make_corpus: no seeds for %s" % t)


if __name__ == "__main__":
    main()
