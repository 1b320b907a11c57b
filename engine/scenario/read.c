/*
 * read.c - reading and validating circulab-scenario/1 documents (docs/FORMATS.md
 * §2): the one definition of a valid scenario.
 *
 * The parsed document (json.h) is walked once, section by section, into the arrays of
 * struct clb_scenario (scenario_impl.h). The walk never stops at the first problem:
 * every breach becomes a diagnostic with its JSON path, a rule code and a one-line
 * message naming the bad value (the getters of fields.c), so that a planner fixes the
 * whole document in one pass. A scenario with any diagnostic is discarded.
 *
 * Sections are read in dependency order (policy, employers and their sites, workers,
 * vacancies, quotas, sessions, programmes, scores, pins, bans, previous) so that
 * every reference is resolved against records already registered; ids map to
 * indices through the interned-symbol maps (index.c), so loading is linear in the
 * size of the document apart from the sorts of id lists and pairs. The record
 * sections share one loop, driven by a table. Everything the scenario keeps lives in
 * its arena; temporary arrays are freed on every path.
 *
 * What needs the eligibility rules (a pin on an ineligible pair) is checked above this
 * reader, by the loader (rules/load.c), which also merges variants before reading.
 * Worker names are personal data: they are stored but never appear in a message.
 */
#include "scenario/read.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/diags.h"
#include "scenario/fields.h"
#include "scenario/policy.h"
#include "util/alloc.h"

#define SCENARIO_FORMAT "circulab-scenario/1"

/* Set the path to "$.<coll>[i]" (for diagnostics raised after a section's walk). */
static void path_set_item(clb_reader *r, const char *coll, size_t i)
{
    clb__json_path_pop(&r->path, 1);
    clb__json_path_push_key(&r->path, coll, &r->oom);
    clb__json_path_push_index(&r->path, i, &r->oom);
}

/*
 * The start of every record: its label for messages, its keys checked, its id read
 * and registered in `map` (a second record with the same id is reported). Returns the
 * id ("" when it is missing or wrong); *sym is its symbol or -1.
 */
static const char *read_record_id(clb_reader *r, const clb_json *o, size_t i,
                                  const char *what, const char *coll,
                                  const char *const *keys, clb_intmap *map, int32_t *sym)
{
    clb__reader_label_record(r, o, what, coll, i);
    clb__field_check_keys(r, o, keys, NULL);
    if (!clb__field_id(r, o, "id", true, sym) || *sym < 0)
        return "";
    clb__reader_register_id(r, map, *sym, i, coll);
    return clb_sym(r->s, *sym);
}

/* ---- employers and sites ------------------------------------------------------- */

static const char *const EMPLOYER_KEYS[] = {"id",          "name",  "region",
                                            "association", "sites", NULL};
static const char *const SITE_KEYS[] = {"id", "region", "beds", NULL};

/* The JSON path of site `si` (for "first at" in duplicate reports). */
static void site_path(clb_reader *r, clb_buf *out, size_t si)
{
    const clb_site_rec *st = &r->s->sites[si];
    const clb_employer_rec *e = &r->s->employers[st->employer];
    int rc;
    if (st->implicit)
        rc = clb__buf_printf(out, "$.employers[%u]", st->employer);
    else
        rc = clb__buf_printf(out, "$.employers[%u].sites[%zu]", st->employer,
                             si - e->site_first);
    if (rc < 0)
        r->oom = CLB_ENOMEM;
}

/* Register a site id; sites share one namespace across employers (docs/FORMATS.md §1). */
static void register_site(clb_reader *r, int32_t sym, size_t si, const char *key)
{
    int32_t prev;
    clb_buf *first;

    if (sym < 0)
        return;
    prev = clb__intmap_get(&r->s->site_by_sym, sym);
    if (prev < 0) {
        if (clb__intmap_put(&r->s->site_by_sym, sym, (int32_t)si) < 0)
            r->oom = CLB_ENOMEM;
        return;
    }
    first = clb__reader_scratch(r);
    site_path(r, first, (size_t)prev);
    if (r->s->sites[si].implicit)
        clb__reader_report(
            r, key, "duplicate",
            "the implicit site of this employer has id %s, already used (first at %s)",
            clb__reader_quote(r, clb_sym(r->s, sym)),
            clb__reader_scratch_str(r, first, 0));
    else
        clb__reader_report(r, key, "duplicate", "duplicate id (first at %s)",
                           clb__reader_scratch_str(r, first, 0));
}

static void read_sites(clb_reader *r, const clb_json *emp, size_t ei)
{
    clb_scenario *s = r->s;
    clb_employer_rec *e = &s->employers[ei];
    const clb_json *arr = NULL;
    clb_buf emp_label = CLB_BUF_INIT;
    size_t n, mark;

    clb__field_array(r, emp, "sites", false, &arr);
    e->site_first = (uint32_t)s->n_sites;
    n = clb__json_array_size(arr);
    if (n == 0) {
        /* docs/FORMATS.md §2.3: one implicit site, with the employer's id, unlimited. */
        clb_site_rec *st = &s->sites[s->n_sites];
        st->id = e->id;
        st->sym = e->sym;
        st->employer = (uint32_t)ei;
        st->region = e->region;
        st->beds = -1;
        st->implicit = true;
        s->n_sites++;
        register_site(r, st->sym, s->n_sites - 1, NULL);
        e->site_count = 1;
        return;
    }
    /* Site messages name the site; the employer's label comes back afterwards. */
    if (clb__buf_puts(&emp_label, r->label.ptr ? r->label.ptr : "") < 0) {
        r->oom = CLB_ENOMEM;
        return;
    }
    mark = clb__json_path_push_key(&r->path, "sites", &r->oom);
    for (size_t i = 0; i < n; i++) {
        clb_site_rec *st = &s->sites[s->n_sites++];
        const clb_json *o = clb__json_array_get(arr, i);
        size_t m = clb__json_path_push_index(&r->path, i, &r->oom);
        long long beds = -1;
        const char *id;

        st->id = "";
        st->sym = -1;
        st->employer = (uint32_t)ei;
        st->region = e->region;
        st->beds = -1;
        clb__reader_label(r, "%s", emp_label.ptr);
        if (!clb_json_is_object(o)) {
            clb__reader_report(r, NULL, "type", "sites[%zu] must be an object, got %s", i,
                               clb__json_type_name(o));
            clb__json_path_pop(&r->path, m);
            continue;
        }
        id = clb__json_string(clb__json_object_get(o, "id"));
        if (id && *id)
            clb__reader_label(r, "site %s", clb__reader_quote(r, id));
        else
            clb__reader_label(r, "%s sites[%zu]", emp_label.ptr, i);
        clb__field_check_keys(r, o, SITE_KEYS, NULL);
        if (clb__field_id(r, o, "id", true, &st->sym) && st->sym >= 0) {
            st->id = clb_sym(s, st->sym);
            register_site(r, st->sym, s->n_sites - 1, "id");
        }
        clb__field_sym(r, o, "region", false, &st->region);
        if (st->region < 0)
            st->region = e->region;
        clb__field_int(r, o, "beds", false, 0, CLB_MAX_COUNT, &beds);
        st->beds = (int)beds;
        clb__json_path_pop(&r->path, m);
    }
    clb__reader_label(r, "%s", emp_label.ptr);
    clb_buf_dispose(&emp_label);
    clb__json_path_pop(&r->path, mark);
    e->site_count = (uint32_t)(s->n_sites - e->site_first);
}

static void read_employer(clb_reader *r, const clb_json *o, size_t i)
{
    clb_scenario *s = r->s;
    clb_employer_rec *e = &s->employers[i];
    const char *name;

    e->id = "";
    e->sym = -1;
    e->region = -1;
    e->association = -1;
    e->site_first = (uint32_t)s->n_sites;
    if (o) {
        e->id = read_record_id(r, o, i, "employer", "employers", EMPLOYER_KEYS,
                               &s->employer_by_sym, &e->sym);
        if (clb__field_string(r, o, "name", false, &name) && name &&
            !(e->name = clb__arena_strdup(&s->arena, name)))
            r->oom = CLB_ENOMEM;
        clb__field_sym(r, o, "region", true, &e->region);
        clb__field_sym(r, o, "association", false, &e->association);
    }
    read_sites(r, o, i);
}

/* The employers and every site (an employer without sites has one, implicit). */
static bool begin_employers(clb_reader *r, const clb_json *arr, size_t n)
{
    clb_scenario *s = r->s;
    size_t n_sites = 0;

    for (size_t i = 0; i < n; i++) {
        const clb_json *sites =
            clb__json_object_get(clb__json_array_get(arr, i), "sites");
        size_t k = clb_json_is_array(sites) ? clb__json_array_size(sites) : 0;
        n_sites += k ? k : 1;
    }
    s->employers = clb__reader_alloc_array(r, n, sizeof(*s->employers));
    s->sites = clb__reader_alloc_array(r, n_sites, sizeof(*s->sites));
    if (!s->employers || !s->sites)
        return false;
    s->n_employers = n;
    return true;
}

/* ---- workers ------------------------------------------------------------------- */

static const char *const WORKER_KEYS[] = {
    "id",          "name",      "birth_date", "sex",       "country",
    "region",      "languages", "skills",     "trainings", "available",
    "preferences", "excludes",  "history",    "forgotten", NULL};
static const char *const AVAILABLE_KEYS[] = {"from", "to", NULL};
static const char *const HISTORY_KEYS[] = {"campaigns",   "returned",    "last_employer",
                                           "last_return", "days_abroad", "banned_until",
                                           NULL};
static const char *const SEX_CHOICES[] = {"F", "M", "X", NULL};

/* preferences / excludes: an employer id, "sector:S" or "region:R". */
static void get_matches(clb_reader *r, const clb_json *obj, const char *key,
                        clb_match **out, uint32_t *n_out)
{
    const clb_json *arr;
    size_t n, k = 0, mark;
    clb_match *m;

    *out = NULL;
    *n_out = 0;
    if (!clb__field_array(r, obj, key, false, &arr) || !arr)
        return;
    n = clb__json_array_size(arr);
    if (!(m = clb__reader_alloc_array(r, n, sizeof(*m))))
        return;
    mark = clb__json_path_push_key(&r->path, key, &r->oom);
    for (size_t i = 0; i < n; i++) {
        const char *str = clb__field_list_string(r, arr, key, i), *colon, *rest;
        size_t im;
        int kind;
        if (!str)
            continue;
        colon = strchr(str, ':');
        rest = colon ? colon + 1 : str;
        if (colon && (size_t)(colon - str) == 6 && strncmp(str, "sector", 6) == 0)
            kind = CLB_MATCH_SECTOR;
        else if (colon && (size_t)(colon - str) == 6 && strncmp(str, "region", 6) == 0)
            kind = CLB_MATCH_REGION;
        else if (colon && clb__scenario_lookup(r->s, &r->s->employer_by_sym, str) < 0)
            kind = -1; /* "sectr:x": a typo, not an employer of this scenario */
        else {
            kind = CLB_MATCH_EMPLOYER;
            rest = str;
        }
        im = clb__json_path_push_index(&r->path, i, &r->oom);
        if (kind < 0) {
            clb__reader_report(
                r, NULL, "format",
                "%s[%zu] %s is neither an employer id nor 'sector:S' or 'region:R'", key,
                i, clb__reader_quote(r, str));
        } else if (!*rest) {
            clb__reader_report(r, NULL, "format", "%s[%zu] %s names no %s", key, i,
                               clb__reader_quote(r, str),
                               kind == CLB_MATCH_SECTOR ? "sector" : "region");
        } else {
            m[k].kind = (clb_match_kind)kind;
            m[k++].sym = clb__reader_intern(r, rest);
        }
        clb__json_path_pop(&r->path, im);
    }
    clb__json_path_pop(&r->path, mark);
    *out = m;
    *n_out = (uint32_t)k;
}

static void read_available(clb_reader *r, const clb_json *o, clb_worker_rec *w)
{
    const clb_json *av;
    clb_nest n;

    if (!(av = clb__reader_nest_enter(r, o, "available", true, "available.",
                                      AVAILABLE_KEYS, &n)))
        return;
    if (clb__field_date(r, av, "from", true, &w->avail_from) &&
        clb__field_date(r, av, "to", true, &w->avail_to) && w->avail_to < w->avail_from) {
        char a[11], b[11];
        clb__date_format(a, w->avail_to);
        clb__date_format(b, w->avail_from);
        clb__reader_report(r, "to", "range",
                           "available.to %s is before available.from %s", a, b);
    }
    clb__reader_nest_leave(r, n);
}

static void read_history(clb_reader *r, const clb_json *o, clb_worker_rec *w)
{
    const clb_json *h;
    clb_nest n;

    if (!(h = clb__reader_nest_enter(r, o, "history", false, "history.", HISTORY_KEYS,
                                     &n)))
        return;
    clb__field_small_int(r, h, "campaigns", false, 0, CLB_MAX_DAYS, &w->campaigns);
    clb__field_bool(r, h, "returned", false, &w->returned);
    clb__field_id(r, h, "last_employer", false, &w->last_employer);
    clb__field_date(r, h, "last_return", false, &w->last_return);
    clb__field_small_int(r, h, "days_abroad", false, 0, CLB_MAX_DAYS, &w->days_abroad);
    clb__field_date(r, h, "banned_until", false, &w->banned_until);
    clb__reader_nest_leave(r, n);
}

/*
 * A forgotten worker's record (`"forgotten": true`): what the database keeps of a
 * worker whose personal data was erased (docs/DATABASE.md, erasure) - the id, country,
 * region and history, and nothing else. Any other member is refused, so a document
 * can never carry erased values under the marker. Such a worker is eligible for
 * nothing: with no availability the availability rule fails for every vacancy.
 */
static const char *const FORGOTTEN_ERASED[] = {
    "name",   "birth_date", "sex",         "languages", "skills",
    "trainings", "available", "preferences", "excludes", NULL};

static void read_forgotten(clb_reader *r, const clb_json *o, clb_worker_rec *w)
{
    w->forgotten = true;
    for (size_t k = 0; FORGOTTEN_ERASED[k]; k++)
        if (clb__json_object_get(o, FORGOTTEN_ERASED[k]))
            clb__reader_report(r, FORGOTTEN_ERASED[k], "forgotten",
                               "a forgotten worker keeps only id, country, region and "
                               "history: '%s' is not allowed",
                               FORGOTTEN_ERASED[k]);
    clb__field_country(r, o, "country", true, &w->country);
    clb__field_sym(r, o, "region", false, &w->region);
    read_history(r, o, w);
}

static void read_worker(clb_reader *r, const clb_json *o, size_t i)
{
    bool forgotten = false;
    clb_scenario *s = r->s;
    clb_worker_rec *w = &s->workers[i];
    const char *name;
    int sex = -1;

    w->id = "";
    w->sym = -1;
    w->birth = CLB_DATE_NONE;
    w->country = -1;
    w->region = -1;
    w->avail_from = w->avail_to = CLB_DATE_NONE;
    w->last_employer = -1;
    w->last_return = CLB_DATE_NONE;
    w->banned_until = CLB_DATE_NONE;
    if (!o)
        return;
    w->id = read_record_id(r, o, i, "worker", "workers", WORKER_KEYS, &s->worker_by_sym,
                           &w->sym);
    if (clb__field_bool(r, o, "forgotten", false, &forgotten) && forgotten) {
        read_forgotten(r, o, w);
        return;
    }
    /* Personal data: stored, never echoed in a message. */
    if (clb__field_string(r, o, "name", false, &name) && name &&
        !(w->name = clb__arena_strdup(&s->arena, name)))
        r->oom = CLB_ENOMEM;
    clb__field_date(r, o, "birth_date", true, &w->birth);
    if (clb__field_choice(r, o, "sex", false, SEX_CHOICES, "F, M, X", &sex) && sex >= 0)
        w->sex = SEX_CHOICES[sex][0];
    clb__field_country(r, o, "country", true, &w->country);
    clb__field_sym(r, o, "region", false, &w->region);
    clb__field_symlist(r, o, "languages", CLB_LIST_SYMBOLS, &w->languages, NULL);
    clb__field_symlist(r, o, "skills", CLB_LIST_SYMBOLS, &w->skills, NULL);
    clb__field_symlist(r, o, "trainings", CLB_LIST_SYMBOLS, &w->trainings, NULL);
    read_available(r, o, w);
    get_matches(r, o, "preferences", &w->prefs, &w->n_prefs);
    get_matches(r, o, "excludes", &w->excludes, &w->n_excludes);
    read_history(r, o, w);
}

/* ---- vacancies ----------------------------------------------------------------- */

static const char *const VACANCY_KEYS[] = {
    "id",        "employer",       "site",     "sector", "occupation", "start", "end",
    "headcount", "wage_month_eur", "requires", "named",  "hold_named", NULL};
static const char *const REQUIRES_KEYS[] = {"skills", "trainings", "languages",
                                            "min_campaigns", NULL};

/* start/end of a period, and end not before start; returns true when both are fine. */
static bool read_period(clb_reader *r, const clb_json *o, clb_date *start, clb_date *end)
{
    bool ok = clb__field_date(r, o, "start", true, start);
    ok = clb__field_date(r, o, "end", true, end) && ok;
    if (ok && *end < *start) {
        char a[11], b[11];
        clb__date_format(a, *end);
        clb__date_format(b, *start);
        clb__reader_report(r, "end", "range", "end %s is before start %s", a, b);
        return false;
    }
    return ok;
}

static void read_requires(clb_reader *r, const clb_json *o, clb_vacancy_rec *v)
{
    const clb_json *req;
    clb_nest n;

    if (!(req = clb__reader_nest_enter(r, o, "requires", false, "requires.",
                                       REQUIRES_KEYS, &n)))
        return;
    clb__field_symlist(r, req, "skills", CLB_LIST_SYMBOLS, &v->req_skills, NULL);
    clb__field_symlist(r, req, "trainings", CLB_LIST_SYMBOLS, &v->req_trainings, NULL);
    clb__field_symlist(r, req, "languages", CLB_LIST_SYMBOLS, &v->req_languages, NULL);
    clb__field_small_int(r, req, "min_campaigns", false, 0, CLB_MAX_DAYS,
                         &v->min_campaigns);
    clb__reader_nest_leave(r, n);
}

static void read_named(clb_reader *r, const clb_json *o, clb_vacancy_rec *v)
{
    const clb_json *arr;
    size_t n, k = 0, kw = 0, mark;
    const char **ids;
    int32_t *idx;

    if (!clb__field_array(r, o, "named", false, &arr) || !arr)
        return;
    n = clb__json_array_size(arr);
    ids = clb__reader_alloc_array(r, n, sizeof(*ids));
    idx = clb__reader_alloc_array(r, n, sizeof(*idx));
    if (!ids || !idx)
        return;
    mark = clb__json_path_push_key(&r->path, "named", &r->oom);
    for (size_t i = 0; i < n; i++) {
        const char *str = clb__field_list_string(r, arr, "named", i);
        char field[32];
        int32_t wi;
        size_t im;
        if (!str)
            continue;
        im = clb__json_path_push_index(&r->path, i, &r->oom);
        snprintf(field, sizeof(field), "named[%zu]", i);
        if (clb__field_check_id(r, NULL, field, str)) {
            int32_t sym = clb__reader_intern(r, str);
            ids[k++] = clb_sym(r->s, sym);
            /* Named ids need not be workers of this scenario (docs/MODEL.md §3.3). */
            if ((wi = clb__intmap_get(&r->s->worker_by_sym, sym)) >= 0)
                idx[kw++] = wi;
        }
        clb__json_path_pop(&r->path, im);
    }
    clb__json_path_pop(&r->path, mark);
    v->named_ids = ids;
    v->n_named_ids = (uint32_t)k;
    /* uint32_t and int32_t may alias; indices are non-negative. */
    v->named = (uint32_t *)(void *)idx;
    v->n_named = (uint32_t)clb__sort_unique_int32(idx, kw);
}

/* The vacancy's site: the named one (which must belong to its employer) or the
 * employer's only site. */
static void resolve_site(clb_reader *r, const clb_json *o, clb_vacancy_rec *v, int32_t ei)
{
    const clb_scenario *s = r->s;
    const char *site;
    int32_t si;

    if (!clb__field_nonempty(r, o, "site", false, &site))
        return;
    if (site) {
        if ((si = clb__scenario_lookup(s, &s->site_by_sym, site)) < 0) {
            clb__reader_report(r, "site", "reference", "unknown site %s",
                               clb__reader_quote(r, site));
            return;
        }
        if (ei < 0)
            return;
        if (s->sites[si].employer != (uint32_t)ei) {
            clb__reader_report(
                r, "site", "reference", "site %s is not a site of employer %s",
                clb__reader_quote(r, site), clb__reader_quote(r, s->employers[ei].id));
            return;
        }
        v->site = (uint32_t)si;
        return;
    }
    if (ei < 0)
        return;
    if (s->employers[ei].site_count != 1) {
        clb__reader_report(r, "site", "site-ambiguous",
                           "employer %s has %u sites; site must name one of them",
                           clb__reader_quote(r, s->employers[ei].id),
                           s->employers[ei].site_count);
        return;
    }
    v->site = s->employers[ei].site_first;
}

static void read_vacancy(clb_reader *r, const clb_json *o, size_t i)
{
    clb_scenario *s = r->s;
    clb_vacancy_rec *v = &s->vacancies[i];
    const char *emp;
    int32_t ei = -1;
    long long hc = LLONG_MIN;

    v->id = "";
    v->sym = -1;
    v->sector = v->occupation = -1;
    v->start = v->end = CLB_DATE_NONE;
    v->wage_month_eur = NAN;
    if (!o)
        return;
    v->id = read_record_id(r, o, i, "vacancy", "vacancies", VACANCY_KEYS,
                           &s->vacancy_by_sym, &v->sym);
    if (clb__field_nonempty(r, o, "employer", true, &emp) && emp) {
        if ((ei = clb__scenario_lookup(s, &s->employer_by_sym, emp)) < 0 &&
            r->have_employers)
            clb__reader_report(r, "employer", "reference", "unknown employer %s",
                               clb__reader_quote(r, emp));
        else
            v->employer = (uint32_t)ei;
    }
    resolve_site(r, o, v, ei);
    clb__field_sym(r, o, "sector", false, &v->sector);
    clb__field_sym(r, o, "occupation", false, &v->occupation);
    read_period(r, o, &v->start, &v->end);
    if (clb__field_int(r, o, "headcount", true, LLONG_MIN, CLB_MAX_COUNT, &hc) &&
        hc != LLONG_MIN) {
        int mos = s->policy.min_offer_size;
        if (mos > 1 && hc < mos)
            clb__reader_report(r, "headcount", "range",
                               "headcount %lld is below min_offer_size %d", hc, mos);
        else if (hc < 1)
            clb__reader_report(r, "headcount", "range", "headcount %lld is below 1", hc);
        else
            v->headcount = (int)hc;
    }
    clb__field_number(r, o, "wage_month_eur", false, 0, CLB_MAX_MONEY,
                      &v->wage_month_eur);
    read_requires(r, o, v);
    read_named(r, o, v);
    clb__field_bool(r, o, "hold_named", false, &v->hold_named);
}

/* ---- quotas, sessions, programmes ---------------------------------------------- */

static const char *const QUOTA_KEYS[] = {"id", "max", "min", "unit", "where", NULL};
static const char *const WHERE_KEYS[] = {"origin_country", "origin_region", "dest_region",
                                         "sector",         "employer",      "association",
                                         "occupation",     "sex",           "returning",
                                         "start_from",     "start_to",      NULL};
static const char *const UNIT_CHOICES[] = {"placements", "workers", NULL};

static void where_list(clb_reader *r, const clb_json *w, const char *key,
                       clb_list_kind kind, clb_where_list *out)
{
    clb__field_symlist(r, w, key, kind, &out->syms, &out->present);
}

/* `where` values are filters, not references: unknown values simply match nothing. */
static void read_where(clb_reader *r, const clb_json *o, clb_quota_rec *q)
{
    const clb_json *w;
    bool returning = false, ok;
    clb_nest n;

    if (!(w = clb__reader_nest_enter(r, o, "where", false, "where.", WHERE_KEYS, &n)))
        return;
    where_list(r, w, "origin_country", CLB_LIST_COUNTRIES, &q->origin_country);
    where_list(r, w, "origin_region", CLB_LIST_SYMBOLS, &q->origin_region);
    where_list(r, w, "dest_region", CLB_LIST_SYMBOLS, &q->dest_region);
    where_list(r, w, "sector", CLB_LIST_SYMBOLS, &q->sector);
    where_list(r, w, "employer", CLB_LIST_SYMBOLS, &q->employer);
    where_list(r, w, "association", CLB_LIST_SYMBOLS, &q->association);
    where_list(r, w, "occupation", CLB_LIST_SYMBOLS, &q->occupation);
    where_list(r, w, "sex", CLB_LIST_SEXES, &q->sex);
    if (clb__field_bool(r, w, "returning", false, &returning) &&
        clb__field_has_value(w, "returning"))
        q->returning = returning ? 1 : 0;
    ok = clb__field_date(r, w, "start_from", false, &q->start_from);
    ok = clb__field_date(r, w, "start_to", false, &q->start_to) && ok;
    if (ok && q->start_from != CLB_DATE_NONE && q->start_to != CLB_DATE_NONE &&
        q->start_to < q->start_from) {
        char a[11], b[11];
        clb__date_format(a, q->start_to);
        clb__date_format(b, q->start_from);
        clb__reader_report(r, "start_to", "range",
                           "where.start_to %s is before where.start_from %s", a, b);
    }
    clb__reader_nest_leave(r, n);
}

static void read_quota(clb_reader *r, const clb_json *o, size_t i)
{
    clb_scenario *s = r->s;
    clb_quota_rec *q = &s->quotas[i];
    long long mx = -1, mn = -1;
    int unit = CLB_UNIT_PLACEMENTS;
    bool ok;

    q->id = "";
    q->sym = -1;
    q->max = -1;
    q->returning = -1;
    q->start_from = q->start_to = CLB_DATE_NONE;
    if (!o)
        return;
    q->id =
        read_record_id(r, o, i, "quota", "quotas", QUOTA_KEYS, &s->quota_by_sym, &q->sym);
    ok = clb__field_int(r, o, "max", false, 0, CLB_MAX_COUNT, &mx);
    ok = clb__field_int(r, o, "min", false, 0, CLB_MAX_COUNT, &mn) && ok;
    if (!clb__field_has_value(o, "max") && !clb__field_has_value(o, "min"))
        clb__reader_report(r, NULL, "required", "a quota needs max or min");
    else if (ok && mx >= 0 && mn > mx)
        clb__reader_report(r, "min", "range", "min %lld is above max %lld", mn, mx);
    q->max = (long)mx;
    q->has_min = mn >= 0;
    q->min = mn >= 0 ? (long)mn : 0;
    if (clb__field_choice(r, o, "unit", false, UNIT_CHOICES, "placements, workers",
                          &unit))
        q->unit = (clb_quota_unit)unit;
    read_where(r, o, q);
}

static const char *const SESSION_KEYS[] = {
    "id", "course", "country", "region", "start", "end", "capacity", "cost", NULL};

static void read_session(clb_reader *r, const clb_json *o, size_t i)
{
    clb_scenario *s = r->s;
    clb_session_rec *k = &s->sessions[i];

    k->id = "";
    k->sym = k->course = k->country = k->region = -1;
    k->start = k->end = CLB_DATE_NONE;
    if (!o)
        return;
    k->id = read_record_id(r, o, i, "session", "sessions", SESSION_KEYS,
                           &s->session_by_sym, &k->sym);
    clb__field_sym(r, o, "course", true, &k->course);
    clb__field_country(r, o, "country", true, &k->country);
    clb__field_sym(r, o, "region", false, &k->region);
    read_period(r, o, &k->start, &k->end);
    clb__field_small_int(r, o, "capacity", true, 0, CLB_MAX_COUNT, &k->capacity);
    clb__field_number(r, o, "cost", false, 0, CLB_MAX_MONEY, &k->cost);
}

static const char *const PROGRAMME_KEYS[] = {"id",  "country",  "region", "start",
                                             "end", "capacity", NULL};

static void read_programme(clb_reader *r, const clb_json *o, size_t i)
{
    clb_scenario *s = r->s;
    clb_programme_rec *p = &s->programmes[i];

    p->id = "";
    p->sym = p->country = p->region = -1;
    p->start = p->end = CLB_DATE_NONE;
    if (!o)
        return;
    p->id = read_record_id(r, o, i, "programme", "programmes", PROGRAMME_KEYS,
                           &s->programme_by_sym, &p->sym);
    clb__field_country(r, o, "country", true, &p->country);
    clb__field_sym(r, o, "region", false, &p->region);
    read_period(r, o, &p->start, &p->end);
    clb__field_small_int(r, o, "capacity", true, 0, CLB_MAX_COUNT, &p->capacity);
}

/* ---- the record sections, one loop --------------------------------------------- */

typedef enum {
    SEC_EMPLOYERS,
    SEC_WORKERS,
    SEC_VACANCIES,
    SEC_QUOTAS,
    SEC_SESSIONS,
    SEC_PROGRAMMES
} section_kind;

/*
 * The sections of records, in the order they are read. `read` fills record i from the
 * element of the array, o (NULL when the element is not an object: the record keeps
 * its defaults, which `read` sets first).
 */
static const struct {
    const char *coll;
    bool required;
    void (*read)(clb_reader *r, const clb_json *o, size_t i);
} SECTIONS[] = {
    {"employers", true, read_employer}, {"workers", true, read_worker},
    {"vacancies", true, read_vacancy},  {"quotas", false, read_quota},
    {"sessions", false, read_session},  {"programmes", false, read_programme}};

/* Note that a section is present with n records and allocate them; false when out
 * of memory (the count stays 0). */
static bool begin_section(clb_reader *r, section_kind kind, const clb_json *arr, size_t n)
{
    clb_scenario *s = r->s;

    switch (kind) {
    case SEC_EMPLOYERS:
        r->have_employers = true;
        return begin_employers(r, arr, n);
    case SEC_WORKERS:
        r->have_workers = true;
        s->workers = clb__reader_alloc_array(r, n, sizeof(*s->workers));
        s->n_workers = s->workers ? n : 0;
        return s->workers != NULL;
    case SEC_VACANCIES:
        r->have_vacancies = true;
        s->vacancies = clb__reader_alloc_array(r, n, sizeof(*s->vacancies));
        s->n_vacancies = s->vacancies ? n : 0;
        return s->vacancies != NULL;
    case SEC_QUOTAS:
        s->quotas = clb__reader_alloc_array(r, n, sizeof(*s->quotas));
        s->n_quotas = s->quotas ? n : 0;
        return s->quotas != NULL;
    case SEC_SESSIONS:
        s->sessions = clb__reader_alloc_array(r, n, sizeof(*s->sessions));
        s->n_sessions = s->sessions ? n : 0;
        return s->sessions != NULL;
    case SEC_PROGRAMMES:
        s->programmes = clb__reader_alloc_array(r, n, sizeof(*s->programmes));
        s->n_programmes = s->programmes ? n : 0;
        return s->programmes != NULL;
    }
    return false;
}

static void read_section(clb_reader *r, const clb_json *root, section_kind kind)
{
    const char *coll = SECTIONS[kind].coll;
    const clb_json *arr;
    size_t n, mark;

    if (!clb__field_array(r, root, coll, SECTIONS[kind].required, &arr) || !arr)
        return;
    n = clb__json_array_size(arr);
    if (!begin_section(r, kind, arr, n))
        return;
    mark = clb__json_path_push_key(&r->path, coll, &r->oom);
    for (size_t i = 0; i < n; i++) {
        size_t m;
        const clb_json *o = clb__reader_section_item(r, arr, coll, i, &m);

        SECTIONS[kind].read(r, o, i);
        clb__json_path_pop(&r->path, m);
    }
    clb__reader_unlabel(r);
    clb__json_path_pop(&r->path, mark);
}

/* ---- scores, pins, bans, previous ---------------------------------------------- */

typedef enum { PAIR_SCORE, PAIR_PIN, PAIR_BAN, PAIR_PREVIOUS } pair_kind;

static const char *const SCORE_KEYS[] = {"worker", "vacancy", "value", NULL};
static const char *const PIN_KEYS[] = {"worker", "vacancy", NULL};
static const char *const BAN_KEYS[] = {"worker", "vacancy", "employer", NULL};
static const char *const PREVIOUS_KEYS[] = {"worker", "vacancy", "status", NULL};
static const char *const STATUS_CHOICES[] = {"proposed", "confirmed", NULL};

static const struct {
    const char *coll, *what;
    const char *const *keys;
} PAIR_INFO[] = {{"scores", "score", SCORE_KEYS},
                 {"pins", "pin", PIN_KEYS},
                 {"bans", "ban", BAN_KEYS},
                 {"previous", "previous", PREVIOUS_KEYS}};

/* A resolved (worker, vacancy) pair with its place in the document. */
typedef struct pair_tmp {
    uint32_t w, v, doc;
    double value;
} pair_tmp;

static int cmp_pair_tmp(const void *a, const void *b)
{
    const pair_tmp *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? -1 : 1;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return (x->doc > y->doc) - (x->doc < y->doc);
}

static void label_pair(clb_reader *r, const clb_json *o, pair_kind kind, size_t i)
{
    const char *w = clb__json_string(clb__json_object_get(o, "worker"));
    const char *v = clb__json_string(clb__json_object_get(o, "vacancy"));
    const char *e = clb__json_string(clb__json_object_get(o, "employer"));

    if (w && v)
        clb__reader_label(r, "%s (%s, %s)", PAIR_INFO[kind].what, clb__reader_bare(r, w),
                          clb__reader_bare(r, v));
    else if (w && e && kind == PAIR_BAN)
        clb__reader_label(r, "ban (%s, employer %s)", clb__reader_bare(r, w),
                          clb__reader_bare(r, e));
    else
        clb__reader_label(r, "%s[%zu]", PAIR_INFO[kind].coll, i);
}

/*
 * A reference to a record by id: its index, or -1 (absent, or reported). When the
 * section it points into is itself missing, the dangling reference is not reported
 * again for every record.
 */
static int32_t get_ref(clb_reader *r, const clb_json *o, const char *key, bool required,
                       const clb_intmap *map, const char *what, bool section_ok)
{
    const char *str;
    int32_t idx;
    if (!clb__field_nonempty(r, o, key, required, &str) || !str)
        return -1;
    if ((idx = clb__scenario_lookup(r->s, map, str)) < 0 && section_ok)
        clb__reader_report(r, key, "reference", "unknown %s %s", what,
                           clb__reader_quote(r, str));
    return idx;
}

/* Read one entry; returns true (and fills *t / the ban) when it is complete and valid. */
static bool read_pair(clb_reader *r, const clb_json *o, pair_kind kind, size_t i,
                      pair_tmp *t, clb_ban_rec *ban, int *status)
{
    clb_scenario *s = r->s;
    int32_t w, v = -1, e = -1;
    bool good;
    size_t before = r->errors;

    label_pair(r, o, kind, i);
    clb__field_check_keys(r, o, PAIR_INFO[kind].keys, NULL);
    w = get_ref(r, o, "worker", true, &s->worker_by_sym, "worker", r->have_workers);
    if (kind != PAIR_BAN) {
        v = get_ref(r, o, "vacancy", true, &s->vacancy_by_sym, "vacancy",
                    r->have_vacancies);
    } else {
        bool has_v = clb__field_has_value(o, "vacancy"),
             has_e = clb__field_has_value(o, "employer");
        if (has_v && has_e)
            clb__reader_report(r, NULL, "format",
                               "a ban names a vacancy or an employer, not both");
        else if (!has_v && !has_e)
            clb__reader_report(r, NULL, "required",
                               "a ban needs a vacancy or an employer");
        if (has_v)
            v = get_ref(r, o, "vacancy", false, &s->vacancy_by_sym, "vacancy",
                        r->have_vacancies);
        if (has_e)
            e = get_ref(r, o, "employer", false, &s->employer_by_sym, "employer",
                        r->have_employers);
    }
    if (kind == PAIR_SCORE) {
        t->value = NAN;
        clb__field_number(r, o, "value", true, -CLB_MAX_SCORE, CLB_MAX_SCORE, &t->value);
    }
    if (kind == PAIR_PREVIOUS)
        clb__field_choice(r, o, "status", true, STATUS_CHOICES, "proposed, confirmed",
                          status);
    good = r->errors == before && w >= 0 && (v >= 0 || e >= 0);
    if (!good)
        return false;
    t->w = (uint32_t)w;
    t->v = (uint32_t)v;
    t->doc = (uint32_t)i;
    ban->worker = (uint32_t)w;
    ban->vacancy = v;
    ban->employer = e;
    return true;
}

/* Report pairs given twice (t sorted by pair, then document order); returns kept count.
 */
static size_t report_duplicates(clb_reader *r, pair_tmp *t, size_t n, pair_kind kind)
{
    size_t k = 0, first = 0;
    for (size_t j = 0; j < n; j++) {
        if (j > 0 && t[j].w == t[first].w && t[j].v == t[first].v) {
            path_set_item(r, PAIR_INFO[kind].coll, t[j].doc);
            clb__reader_label(r, "%s (%s, %s)", PAIR_INFO[kind].what,
                              clb__reader_bare(r, r->s->workers[t[j].w].id),
                              clb__reader_bare(r, r->s->vacancies[t[j].v].id));
            clb__reader_report(r, NULL, "duplicate", "duplicate pair (first at $.%s[%u])",
                               PAIR_INFO[kind].coll, t[first].doc);
            continue;
        }
        first = j;
        t[k++] = t[j];
    }
    clb__json_path_pop(&r->path, 1);
    clb__reader_unlabel(r);
    return k;
}

static void read_pairs(clb_reader *r, const clb_json *root, pair_kind kind)
{
    clb_scenario *s = r->s;
    const char *coll = PAIR_INFO[kind].coll;
    const clb_json *arr;
    pair_tmp *tmp = NULL;
    size_t n, k = 0, mark;

    if (!clb__field_array(r, root, coll, false, &arr) || !arr)
        return;
    n = clb__json_array_size(arr);
    if (n == 0)
        return;
    if (!(tmp = clb__malloc(n * sizeof(*tmp)))) {
        r->oom = CLB_ENOMEM;
        return;
    }
    switch (kind) {
    case PAIR_SCORE:
        s->scores = clb__reader_alloc_array(r, n, sizeof(*s->scores));
        break;
    case PAIR_PIN:
        s->pins = clb__reader_alloc_array(r, n, sizeof(*s->pins));
        break;
    case PAIR_BAN:
        s->bans = clb__reader_alloc_array(r, n, sizeof(*s->bans));
        break;
    case PAIR_PREVIOUS:
        s->previous = clb__reader_alloc_array(r, n, sizeof(*s->previous));
        break;
    }
    if (r->oom)
        goto done;
    mark = clb__json_path_push_key(&r->path, coll, &r->oom);
    for (size_t i = 0; i < n; i++) {
        clb_ban_rec ban;
        int status = 0;
        size_t m;
        const clb_json *o = clb__reader_section_item(r, arr, coll, i, &m);

        if (o && read_pair(r, o, kind, i, &tmp[k], &ban, &status)) {
            if (kind == PAIR_PIN) {
                s->pins[s->n_pins].worker = tmp[k].w;
                s->pins[s->n_pins++].vacancy = tmp[k].v;
            } else if (kind == PAIR_BAN) {
                s->bans[s->n_bans++] = ban;
            } else if (kind == PAIR_PREVIOUS) {
                s->previous[s->n_previous].worker = tmp[k].w;
                s->previous[s->n_previous].vacancy = tmp[k].v;
                s->previous[s->n_previous++].status = (clb_prev_status)status;
            }
            k++;
        }
        clb__json_path_pop(&r->path, m);
    }
    clb__reader_unlabel(r);
    clb__json_path_pop(&r->path, mark);
    if (kind == PAIR_BAN)
        goto done; /* a ban given twice forbids the same thing twice: harmless */
    qsort(tmp, k, sizeof(*tmp), cmp_pair_tmp);
    k = report_duplicates(r, tmp, k, kind);
    if (kind == PAIR_SCORE) {
        for (size_t j = 0; j < k; j++) {
            s->scores[j].worker = tmp[j].w;
            s->scores[j].vacancy = tmp[j].v;
            s->scores[j].value = tmp[j].value;
        }
        s->n_scores = k;
    }
done:
    clb__free(tmp);
}

/* ---- the document -------------------------------------------------------------- */

static const char *const TOP_KEYS[] = {
    "format",   "name",       "policy", "workers", "employers", "vacancies", "quotas",
    "sessions", "programmes", "scores", "pins",    "bans",      "previous",  NULL};

static void read_document(clb_reader *r, const clb_json *root)
{
    clb_scenario *s = r->s;
    const char *format, *name;

    if (!clb_json_is_object(root)) {
        clb__reader_report(r, NULL, "type", "a scenario must be a json object, got %s",
                           clb__json_type_name(root));
        return;
    }
    /* Another kind of document: one clear error, not a flood of unknown keys. */
    if (clb__field_string(r, root, "format", true, &format) && format &&
        strcmp(format, SCENARIO_FORMAT) != 0) {
        clb__reader_report(r, "format", "format", "format %s is not '%s'",
                           clb__reader_quote(r, format), SCENARIO_FORMAT);
        return;
    }
    clb__field_check_keys(r, root, TOP_KEYS, NULL);
    if (clb__field_string(r, root, "name", false, &name) && name &&
        !(s->name = clb__arena_strdup(&s->arena, name)))
        r->oom = CLB_ENOMEM;
    clb__policy_read(r, root);
    for (size_t k = 0; k < sizeof(SECTIONS) / sizeof(SECTIONS[0]); k++)
        read_section(r, root, (section_kind)k);
    read_pairs(r, root, PAIR_SCORE);
    read_pairs(r, root, PAIR_PIN);
    read_pairs(r, root, PAIR_BAN);
    read_pairs(r, root, PAIR_PREVIOUS);
}

/* ---- the reader ----------------------------------------------------------------- */

int clb__scenario_read(clb_scenario **out, const clb_json *root, const char *source,
                       clb_diags *diags, clb_error *err)
{
    clb_scenario *s = NULL;
    clb_reader r;
    size_t base = clb_diags_count(diags);
    int error = 0;

    memset(&r, 0, sizeof(r));
    *out = NULL;
    if (!(s = clb__scenario_new())) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }
    r.s = s;
    r.diags = diags;
    r.source = source;
    r.prefix = "";
    if (clb__buf_puts(&r.path, "$") < 0)
        r.oom = CLB_ENOMEM;
    else
        read_document(&r, root);
    if (r.oom) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory reading the scenario");
        clb__error_set_source(err, source);
        goto done;
    }
    if (clb_diags_count(diags) > base) {
        error = clb__diags_fail(err, diags, base);
        goto done;
    }
    *out = s;
    s = NULL;
done:
    clb_scenario_free(s);
    clb_buf_dispose(&r.path);
    clb_buf_dispose(&r.label);
    for (int i = 0; i < CLB_READER_RING; i++)
        clb_buf_dispose(&r.ring[i]);
    return error;
}
