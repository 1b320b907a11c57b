/*
 * offers.c - offers from feeds and from employers' files (docs/FORMATS.md §5).
 *
 * The design choice: there is one definition of a valid employer or vacancy, the
 * scenario reader's. Each offer of a page (native, or mapped from a JobPosting) is
 * written as a canonical native record and validated on its own by loading a tiny
 * synthetic circulab-scenario/1 document {employers:[its employer], vacancies:[it]}
 * with clb_scenario_load_buffer. The reader's diagnostics come back with paths into
 * the synthetic document ("$.vacancies[0].headcount"), which are rewritten into the
 * offer's place on its page ("$.vacancies[17].headcount", or for a JobPosting
 * "$['@graph'][3].totalJobOpenings"). Validating record by record is what lets one
 * bad offer be rejected while the others of its page count.
 *
 * A fetch has two phases. First every page is fetched (engine/fetch.c) and parsed,
 * and every offer validated; nothing touches the database. Then the accepted records
 * are assembled into one document, loaded once more (cross-record rules), and
 * written through the store in one transaction with the source's validators and the
 * fetch log row. Any failure before the commit leaves the database as it was, apart
 * from a fetch log row saying what failed.
 */
#include "circulab/offers.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "scenario/diags.h"
#include "io/fetch.h"
#include "io/json.h"
#include "rules/maps.h"
#include "store/maps.h"
#include "offers/offers_impl.h"
#include "scenario/scenario_impl.h"
#include "store/portal.h"
#include "util/util.h"
#include "util/alloc.h"

#define OFFERS_FORMAT "circulab-offers/1"
#define SCENARIO_FORMAT "circulab-scenario/1"
#define ID_MAX 64

/* ---- small helpers ------------------------------------------------------------- */

const char *clb_offers_format_name(clb_offers_format format)
{
    switch (format) {
    case CLB_OFFERS_NATIVE:
        return "native";
    case CLB_OFFERS_JOBPOSTING:
        return "jobposting";
    default:
        return "auto";
    }
}

static int oom(clb_error *err)
{
    return clb__error_set(err, CLB_ENOMEM, "out of memory");
}

static void now_iso(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A source name or default employer: the scenario reader's one id rule. On failure
 * `why` says what is wrong without echoing the value. */
static bool valid_id_why(const char *s, char *why, size_t size)
{
    if (!s || !*s) {
        snprintf(why, size, "is empty");
        return false;
    }
    return !clb__id_problem(s, why, size);
}

static bool valid_env_name(const char *s)
{
    if (!s || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return false;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return false;
    return true;
}

/* Serialise a JSON value back to compact text. `skip` (may be NULL) names a member
 * of the top object to leave out. */
static int put_json(clb_buf *out, const clb_json *v, const char *skip)
{
    int rc = 0;
    long long ll;
    switch (clb__json_typeof(v)) {
    case CLB_JSON_NULL:
        return clb__buf_puts(out, "null");
    case CLB_JSON_BOOL:
        return clb__buf_puts(out, clb__json_bool(v) ? "true" : "false");
    case CLB_JSON_INTEGER:
        if (clb__json_integer(v, &ll))
            return clb__buf_printf(out, "%lld", ll);
        return clb__buf_put_json_number(out, clb__json_number(v));
    case CLB_JSON_REAL:
        return clb__buf_put_json_number(out, clb__json_number(v));
    case CLB_JSON_STRING:
        return clb__buf_put_json_string(out, clb__json_string(v));
    case CLB_JSON_ARRAY: {
        size_t n = clb__json_array_size(v);
        rc = clb__buf_puts(out, "[");
        for (size_t i = 0; i < n && rc == 0; i++) {
            if (i)
                rc = clb__buf_puts(out, ",");
            if (rc == 0)
                rc = put_json(out, clb__json_array_get(v, i), NULL);
        }
        return rc ? rc : clb__buf_puts(out, "]");
    }
    case CLB_JSON_OBJECT: {
        clb_json_iter it;
        const char *key;
        const clb_json *val;
        bool first = true;
        rc = clb__buf_puts(out, "{");
        clb__json_iter_init(&it, v);
        while (rc == 0 && clb__json_iter_next(&it, &key, &val)) {
            if (skip && strcmp(key, skip) == 0)
                continue;
            if (!first)
                rc = clb__buf_puts(out, ",");
            first = false;
            if (rc == 0)
                rc = clb__buf_put_json_string(out, key);
            if (rc == 0)
                rc = clb__buf_puts(out, ":");
            if (rc == 0)
                rc = put_json(out, val, NULL);
        }
        return rc ? rc : clb__buf_puts(out, "}");
    }
    }
    return 0;
}

/* ---- the batch: accepted records of one fetch or submission -------------------- */

typedef struct rec {
    char *id;       /* the record's id (arena) */
    char *raw;      /* the record as the source sent it: only the fields it carries */
    char *text;     /* raw merged over the stored record: what is validated (arena) */
    char *where;    /* "page N: PATH" for messages (arena) */
    bool withdrawn;
    int32_t employer; /* vacancies: the employer's id in emp_ids */
} rec;

typedef struct rec_vec {
    rec *v;
    size_t n, cap;
} rec_vec;

/* A native vacancy read from a page, validated once every page is in (it may refer
 * to an employer of a later page). Only compact texts are kept, never the page. */
typedef struct pending {
    char *id, *emp, *text, *page, *path; /* arena */
    bool withdrawn;
} pending;

/* At most this many problem lines are written; the rest are counted. */
#define MAX_PROBLEM_LINES 1000

typedef struct unmapped_value {
    int kind;      /* clb_map_kind */
    char *value;   /* in the batch's arena */
    int offers;
} unmapped_value;

typedef struct batch {
    const char *source;           /* source id or file name, for messages */
    const char *owner;            /* the source stored on vacancies (NULL: submitted) */
    const char *default_employer; /* may be NULL */
    clb_store *store;             /* NULL when parsing without a database */
    clb_buf *problems;            /* may be NULL */
    clb_arena arena;
    clb_strtab emp_ids;           /* accepted feed employers, id -> index in emps */
    rec_vec emps;
    clb_strtab vac_ids;           /* accepted vacancies */
    rec_vec vacs;
    bool db_loaded;
    clb_strtab db_ids;            /* employers of the database */
    rec_vec db_emps;
    clb_strtab owned_ids;         /* vacancies in the database ... */
    char **owned_src;             /* ... and their source (NULL: none) */
    size_t owned_cap;
    bool owned_loaded;
    bool single_root;             /* a submitted file of one vacancy object */
    clb_diags *diags;             /* problems with path and rule (may be NULL) */
    bool replace;                 /* vacancies replace stored ones (no merging) */
    bool policy_loaded;
    clb_buf policy;               /* the database's policy document, "" when none */
    const char *rule;             /* the rule of the problem being reported */
    bool defer;                   /* native vacancies wait in `pend` (fetches) */
    pending *pend;
    size_t n_pend, cap_pend;
    int rejected;
    int problem_lines;
    int oom;
    const clb__maps *maps;        /* the agency's mapping tables (fetches; may be NULL) */
    unmapped_value *unmapped;     /* values without a mapping, with their offer counts */
    size_t n_unmapped, cap_unmapped;
} batch;

static char *arena_printf(batch *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record that one offer was rejected because `value` of `kind` has no mapping. */
static void note_unmapped(batch *b, clb_map_kind kind, const char *value)
{
    for (size_t i = 0; i < b->n_unmapped; i++)
        if (b->unmapped[i].kind == (int)kind && strcmp(b->unmapped[i].value, value) == 0) {
            b->unmapped[i].offers++;
            return;
        }
    if (b->n_unmapped == b->cap_unmapped) {
        size_t cap = b->cap_unmapped ? 2 * b->cap_unmapped : 8;
        unmapped_value *v = clb__realloc(b->unmapped, cap * sizeof(*v));
        if (!v) {
            b->oom = 1;
            return;
        }
        b->unmapped = v;
        b->cap_unmapped = cap;
    }
    b->unmapped[b->n_unmapped].kind = (int)kind;
    b->unmapped[b->n_unmapped].value = arena_printf(b, "%s", value);
    b->unmapped[b->n_unmapped].offers = 1;
    if (!b->unmapped[b->n_unmapped].value)
        b->oom = 1;
    else
        b->n_unmapped++;
}

/* The grouped report of unmapped values ("3 offers: region 'Sevilla' has no mapping"),
 * one line each with `prefix`, or joined by "; " when prefix is NULL. */
static int put_unmapped(clb_buf *out, const batch *b, const char *prefix)
{
    int rc = 0;
    for (size_t i = 0; i < b->n_unmapped && rc == 0; i++) {
        const unmapped_value *u = &b->unmapped[i];
        if (prefix)
            rc = clb__buf_printf(out, "%s: ", prefix);
        else if (i > 0)
            rc = clb__buf_puts(out, "; ");
        if (rc == 0)
            rc = clb__buf_printf(out, "%d offer%s: %s '%s' has no mapping%s", u->offers,
                                u->offers == 1 ? "" : "s",
                                clb_map_kind_name((clb_map_kind)u->kind), u->value,
                                prefix ? "\n" : "");
    }
    return rc < 0 ? CLB_ENOMEM : 0;
}

static void batch_init(batch *b)
{
    memset(b, 0, sizeof(*b));
    clb__arena_init(&b->arena);
    clb__strtab_init(&b->emp_ids);
    clb__strtab_init(&b->vac_ids);
    clb__strtab_init(&b->db_ids);
    clb__strtab_init(&b->owned_ids);
}

static void batch_dispose(batch *b)
{
    clb__arena_dispose(&b->arena);
    clb__strtab_dispose(&b->emp_ids);
    clb__strtab_dispose(&b->vac_ids);
    clb__strtab_dispose(&b->db_ids);
    clb__strtab_dispose(&b->owned_ids);
    clb__free(b->emps.v);
    clb__free(b->vacs.v);
    clb__free(b->db_emps.v);
    clb__free(b->owned_src);
    clb_buf_dispose(&b->policy);
    clb__free(b->pend);
    clb__free(b->unmapped);
}

static rec *vec_push(rec_vec *vec)
{
    if (vec->n == vec->cap) {
        size_t cap = vec->cap ? vec->cap * 2 : 64;
        rec *v = clb__realloc(vec->v, cap * sizeof(*v));
        if (!v)
            return NULL;
        vec->v = v;
        vec->cap = cap;
    }
    memset(&vec->v[vec->n], 0, sizeof(rec));
    return &vec->v[vec->n++];
}

/* Report one problem line "SOURCE: page N: PATH: MESSAGE" (where = "page N: PATH"). */
static void problem(batch *b, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void problem(batch *b, const char *where, const char *fmt, ...)
{
    va_list ap;
    b->problem_lines++;
    if (b->diags) {
        clb_buf msg = CLB_BUF_INIT;
        va_start(ap, fmt);
        if (clb__buf_vprintf(&msg, fmt, ap) < 0 ||
            clb__diags_add(b->diags, b->source, where, b->rule ? b->rule : "offer", 0, 0,
                          "%s", msg.ptr ? msg.ptr : "") < 0)
            b->oom = 1;
        va_end(ap);
        clb_buf_dispose(&msg);
    }
    if (!b->problems || b->problem_lines > MAX_PROBLEM_LINES)
        return;
    if (clb__buf_printf(b->problems, "%s: %s: ", b->source, where) < 0)
        b->oom = 1;
    va_start(ap, fmt);
    if (clb__buf_vprintf(b->problems, fmt, ap) < 0)
        b->oom = 1;
    va_end(ap);
    if (clb__buf_puts(b->problems, "\n") < 0)
        b->oom = 1;
}

/* The closing line of a long list of problems. */
static void problems_tail(batch *b)
{
    if (b->problems && b->problem_lines > MAX_PROBLEM_LINES &&
        clb__buf_printf(b->problems, "%s: %d more problems not listed\n", b->source,
                       b->problem_lines - MAX_PROBLEM_LINES) < 0)
        b->oom = 1;
}

/* The database's employers, id -> record text, loaded on first need. */
static void load_db_employers(batch *b)
{
    clb_buf text = CLB_BUF_INIT, one = CLB_BUF_INIT;
    clb_json *root = NULL;
    b->db_loaded = true;
    if (!b->store || clb_store_employers_json(&text, b->store, NULL) < 0 || !text.ptr)
        goto done;
    if (clb__json_load_buffer(&root, text.ptr, text.size, "database", NULL) < 0)
        goto done;
    for (size_t i = 0; i < clb__json_array_size(root); i++) {
        const clb_json *e = clb__json_array_get(root, i);
        const char *id = clb__json_string(clb__json_object_get(e, "id"));
        rec *r;
        int32_t k;
        if (!id)
            continue;
        clb__buf_clear(&one);
        if (put_json(&one, e, NULL) < 0 || (k = clb__strtab_intern(&b->db_ids, id)) < 0 ||
            (size_t)k != b->db_emps.n || !(r = vec_push(&b->db_emps)) ||
            !(r->text = clb__arena_strdup(&b->arena, one.ptr))) {
            b->oom = 1;
            break;
        }
    }
done:
    clb__json_free(root);
    clb_buf_dispose(&text);
    clb_buf_dispose(&one);
}

static int owned_fn(const clb_offer_state *o, void *payload)
{
    batch *b = payload;
    int32_t k = clb__strtab_intern(&b->owned_ids, o->id);
    if (k < 0)
        return CLB_ENOMEM;
    if ((size_t)k >= b->owned_cap) {
        size_t cap = b->owned_cap ? b->owned_cap * 2 : 256;
        char **v;
        while (cap <= (size_t)k)
            cap *= 2;
        if (!(v = clb__realloc(b->owned_src, cap * sizeof(*v))))
            return CLB_ENOMEM;
        memset(v + b->owned_cap, 0, (cap - b->owned_cap) * sizeof(*v));
        b->owned_src = v;
        b->owned_cap = cap;
    }
    b->owned_src[k] = o->source ? clb__arena_strdup(&b->arena, o->source) : NULL;
    if (o->source && !b->owned_src[k])
        return CLB_ENOMEM;
    return 0;
}

static void load_owned(batch *b)
{
    b->owned_loaded = true;
    if (!b->store)
        return;
    if (clb_store_offer_foreach(b->store, owned_fn, b, NULL) == CLB_ENOMEM)
        b->oom = 1;
}

/* Is vacancy `id` in the database? *src receives its source (NULL: none). */
static bool db_has_vacancy(batch *b, const char *id, const char **src)
{
    int32_t k;
    if (!b->owned_loaded)
        load_owned(b);
    k = clb__strtab_lookup(&b->owned_ids, id);
    if (k < 0)
        return false;
    *src = (size_t)k < b->owned_cap ? b->owned_src[k] : NULL;
    return true;
}

/* ---- merging partial records over stored ones ------------------------------------ */

/*
 * A source updates only the fields it sends. An employer record from a JobPosting
 * feed carries a name and maybe a region, never sites, beds or an association; a
 * native record may leave out what its publisher does not manage. So every incoming
 * record is merged over the stored one before it is validated and again, from a
 * fresh read, inside the write transaction: top-level members the source sends
 * replace the stored ones, the others stay. Two members merge one level deeper:
 * an employer's `sites`, by site id (a site the source does not send is kept, and
 * a site it sends updates only the fields it carries), and a vacancy's `requires`,
 * by key. A vacancy that moves to another employer without naming a site loses its
 * stored site (which belongs to the old employer).
 */
static int merge_sites(clb_json *base, const clb_json *over)
{
    for (size_t i = 0; i < clb__json_array_size(over); i++) {
        const clb_json *o = clb__json_array_get(over, i);
        const char *id = clb__json_string(clb__json_object_get(o, "id"));
        clb_json *target = NULL;
        for (size_t k = 0; id && k < clb__json_array_size(base) && !target; k++) {
            clb_json *c = clb__json_array_get_mut(base, k);
            const char *cid = clb__json_string(clb__json_object_get(c, "id"));
            if (cid && strcmp(cid, id) == 0 && clb_json_is_object(c) &&
                clb_json_is_object(o))
                target = c;
        }
        if (target) {
            clb_json_iter it;
            const char *key;
            const clb_json *val;
            clb__json_iter_init(&it, o);
            while (clb__json_iter_next(&it, &key, &val))
                if (clb__json_object_set(target, key, clb__json_copy(val)) < 0)
                    return CLB_ENOMEM;
        } else if (clb__json_array_append(base, clb__json_copy(o)) < 0) {
            return CLB_ENOMEM;
        }
    }
    return 0;
}

static int merge_members(clb_json *base, const clb_json *over, bool employer)
{
    clb_json_iter it;
    const char *key;
    const clb_json *val;
    if (!employer) {
        const char *old = clb__json_string(clb__json_object_get(base, "employer"));
        const char *now = clb__json_string(clb__json_object_get(over, "employer"));
        if (old && now && strcmp(old, now) != 0 && !clb__json_object_get(over, "site"))
            clb__json_object_remove(base, "site");
    }
    clb__json_iter_init(&it, over);
    while (clb__json_iter_next(&it, &key, &val)) {
        clb_json *cur = clb__json_object_get_mut(base, key);
        int rc;
        if (employer && strcmp(key, "sites") == 0 && clb_json_is_array(cur) &&
            clb_json_is_array(val))
            rc = merge_sites(cur, val);
        else if (!employer && strcmp(key, "requires") == 0 && clb_json_is_object(cur) &&
                 clb_json_is_object(val))
            rc = merge_members(cur, val, true); /* plain one-level merge */
        else
            rc = clb__json_object_set(base, key, clb__json_copy(val));
        if (rc < 0)
            return CLB_ENOMEM;
    }
    return 0;
}

/*
 * out = `incoming` merged over `stored` (either text; stored may be NULL, then out
 * is incoming). A record that is not an object is passed through for the reader to
 * reject. Returns 0 or CLB_ENOMEM.
 */
static int merge_record(clb_buf *out, const char *stored, const char *incoming,
                        bool employer)
{
    clb_json *base = NULL, *over = NULL;
    int rc = 0;
    clb__buf_clear(out);
    if (stored && clb__json_load_buffer(&base, stored, strlen(stored), NULL, NULL) < 0)
        base = NULL;
    if (!base || !clb_json_is_object(base) ||
        clb__json_load_buffer(&over, incoming, strlen(incoming), NULL, NULL) < 0 ||
        !clb_json_is_object(over)) {
        rc = clb__buf_puts(out, incoming);
        goto done;
    }
    if ((rc = merge_members(base, over, employer)) == 0)
        rc = put_json(out, base, NULL);
done:
    clb__json_free(base);
    clb__json_free(over);
    return rc < 0 ? CLB_ENOMEM : 0;
}

/* The stored record of an employer or vacancy into out (cleared); false if none. */
static bool stored_record(batch *b, clb_buf *out, clb_record_kind kind, const char *id)
{
    int rc;
    clb__buf_clear(out);
    if (!b->store || !id)
        return false;
    rc = clb_store_record_lookup(out, b->store, kind, id, NULL);
    if (rc == CLB_ENOMEM)
        b->oom = 1;
    return rc == 0 && out->ptr;
}

/* merge_record over the stored record of `id`, read now. */
static int merge_stored(batch *b, clb_buf *out, clb_record_kind kind, const char *id,
                        const char *incoming)
{
    clb_buf stored = CLB_BUF_INIT;
    int rc = merge_record(out, stored_record(b, &stored, kind, id) ? stored.ptr : NULL,
                          incoming, kind == CLB_RECORD_EMPLOYER);
    clb_buf_dispose(&stored);
    return rc;
}

/* ---- validating one record ------------------------------------------------------ */

/* How the synthetic document's paths map back to the page. */
typedef struct path_map {
    const char *emp_path; /* path of the employer record on the page, or NULL */
    const char *vac_path; /* path of the vacancy record on the page, or NULL */
    bool jobposting;      /* rename native keys to JobPosting ones */
} path_map;

static const char *const JP_VAC_KEYS[][2] = {
    {".id", ".identifier"},
    {".employer", ".hiringOrganization"},
    {".start", ".jobStartDate"},
    {".end", ".validThrough"},
    {".headcount", ".totalJobOpenings"},
    {".occupation", ".occupationalCategory"},
    {".sector", ".industry"},
    {".requires.skills", ".skills"},
    {".requires", ".skills"},
    {".wage_month_eur", ".baseSalary"},
    {".site", ".jobLocation"},
    {NULL, NULL}};
static const char *const JP_EMP_KEYS[][2] = {{".id", ".identifier"},
                                             {".name", ".name"},
                                             {".region", ".address.addressRegion"},
                                             {NULL, NULL}};

static void map_path(clb_buf *out, const char *path, const path_map *m)
{
    static const char EMP[] = "$.employers[0]", VAC[] = "$.vacancies[0]";
    const char *base = NULL, *rest = path;
    const char *const(*keys)[2] = NULL;
    if (strncmp(path, EMP, sizeof(EMP) - 1) == 0 && m->emp_path) {
        base = m->emp_path;
        rest = path + sizeof(EMP) - 1;
        keys = JP_EMP_KEYS;
    } else if (strncmp(path, VAC, sizeof(VAC) - 1) == 0 && m->vac_path) {
        base = m->vac_path;
        rest = path + sizeof(VAC) - 1;
        keys = JP_VAC_KEYS;
    }
    if (!base) {
        clb__buf_puts(out, m->vac_path ? m->vac_path : (m->emp_path ? m->emp_path : "$"));
        return;
    }
    clb__buf_puts(out, base);
    if (m->jobposting && keys) {
        for (size_t i = 0; keys[i][0]; i++) {
            size_t n = strlen(keys[i][0]);
            if (strncmp(rest, keys[i][0], n) == 0 &&
                (rest[n] == '\0' || rest[n] == '.' || rest[n] == '[')) {
                clb__buf_puts(out, keys[i][1]);
                /* a mapped field's inner path means nothing on the JobPosting */
                return;
            }
        }
    }
    clb__buf_puts(out, rest);
}

/*
 * Validate an employer and/or a vacancy record (texts; either may be NULL) as a
 * synthetic scenario. Each diagnostic becomes a problem line at `page_where` plus
 * the mapped path. Returns the number of problems (0: valid).
 */
static int check_records(batch *b, const char *emp, const char *vac, const char *page,
                         const path_map *m)
{
    clb_buf doc = CLB_BUF_INIT, path = CLB_BUF_INIT, where = CLB_BUF_INIT;
    clb_diags *diags = NULL;
    clb_scenario *s = NULL;
    int n = 0;
    /* under the database's policy (min_offer_size ...): what a round would refuse is
     * never stored */
    if (b->store && !b->policy_loaded) {
        b->policy_loaded = true;
        if (clb__store_policy_json(&b->policy, b->store, NULL) < 0)
            b->oom = 1;
    }
    if (clb_diags_new(&diags) < 0 ||
        clb__buf_printf(&doc, "{\"format\":\"" SCENARIO_FORMAT "\",\"workers\":[],"
                             "%s%s%s\"employers\":[%s],\"vacancies\":[%s]}",
                       b->policy.size ? "\"policy\":" : "",
                       b->policy.size ? b->policy.ptr : "", b->policy.size ? "," : "",
                       emp ? emp : "", vac ? vac : "") < 0) {
        b->oom = 1;
        goto done;
    }
    if (clb_scenario_load_buffer(&s, doc.ptr, doc.size, NULL, diags, NULL) == 0)
        goto done;
    n = (int)clb_diags_count(diags);
    for (size_t i = 0; i < (size_t)n; i++) {
        const clb_diag *d = clb_diags_get(diags, i);
        clb__buf_clear(&path);
        clb__buf_clear(&where);
        map_path(&path, d->path ? d->path : "$", m);
        if (page[0])
            clb__buf_printf(&where, "%s: %s", page, path.ptr ? path.ptr : "$");
        else
            clb__buf_puts(&where, path.ptr ? path.ptr : "$");
        b->rule = d->rule;
        problem(b, where.ptr ? where.ptr : page, "%s", d->message);
        b->rule = NULL;
    }
    if (n == 0) /* failed without a diagnostic: out of memory */
        b->oom = 1;
done:
    clb_scenario_free(s);
    clb_diags_free(diags);
    clb_buf_dispose(&doc);
    clb_buf_dispose(&path);
    clb_buf_dispose(&where);
    return n;
}

static char *arena_printf(batch *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *arena_printf(batch *b, const char *fmt, ...)
{
    clb_buf tmp = CLB_BUF_INIT;
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (clb__buf_vprintf(&tmp, fmt, ap) == 0)
        s = clb__arena_strdup(&b->arena, tmp.ptr ? tmp.ptr : "");
    va_end(ap);
    clb_buf_dispose(&tmp);
    if (!s)
        b->oom = 1;
    return s;
}

/* "page N (URL): PATH", or just PATH when there are no pages (a submitted file). */
static char *at(batch *b, const char *page, const char *path)
{
    if (!page || !page[0])
        return arena_printf(b, "%s", path);
    return arena_printf(b, "%s: %s", page, path);
}

/* As at(), for the path base + suffix. */
static char *at2(batch *b, const char *page, const char *base, const char *suffix)
{
    clb_buf tmp = CLB_BUF_INIT;
    char *s = NULL;
    if (clb__buf_puts(&tmp, base) == 0 && clb__buf_puts(&tmp, suffix) == 0)
        s = at(b, page, tmp.ptr);
    else
        b->oom = 1;
    clb_buf_dispose(&tmp);
    return s;
}

/*
 * Accept an employer record (text) with id `id` found at `page`/`path`. A repeat of
 * an accepted employer is fine when identical (feeds repeat employers on every
 * page); a different record under the same id is rejected. `lenient`: keep the first
 * record silently (JobPosting, where employers are derived from each posting).
 */
static void add_employer(batch *b, const char *id, const char *text, const char *page,
                         const path_map *m, bool lenient)
{
    clb_buf merged = CLB_BUF_INIT;
    int32_t k;
    rec *r;
    if (id && (k = clb__strtab_lookup(&b->emp_ids, id)) >= 0) {
        if (!lenient && strcmp(b->emps.v[k].raw, text) != 0) {
            problem(b, at(b, page, m->emp_path),
                    "employer '%s' differs from its record at %s", id, b->emps.v[k].where);
            b->rejected++;
        }
        return;
    }
    /* validated as it will be stored: merged over the database's record */
    if (id && merge_stored(b, &merged, CLB_RECORD_EMPLOYER, id, text) < 0) {
        b->oom = 1;
        goto done;
    }
    if (check_records(b, merged.ptr ? merged.ptr : text, NULL, page, m) > 0) {
        b->rejected++;
        goto done;
    }
    if ((k = clb__strtab_intern(&b->emp_ids, id)) < 0 || (size_t)k != b->emps.n ||
        !(r = vec_push(&b->emps))) {
        b->oom = 1;
        goto done;
    }
    r->id = clb__arena_strdup(&b->arena, id);
    r->raw = clb__arena_strdup(&b->arena, text);
    r->text = merged.ptr ? clb__arena_strdup(&b->arena, merged.ptr) : r->raw;
    r->where = at(b, page, m->emp_path);
    if (!r->text || !r->raw || !r->id)
        b->oom = 1;
done:
    clb_buf_dispose(&merged);
}

/* The employer record text for vacancy validation: the feed's, else the database's. */
static const char *employer_text(batch *b, const char *id)
{
    int32_t k;
    if (!id)
        return NULL;
    if ((k = clb__strtab_lookup(&b->emp_ids, id)) >= 0)
        return b->emps.v[k].text;
    if (!b->db_loaded)
        load_db_employers(b);
    if ((k = clb__strtab_lookup(&b->db_ids, id)) >= 0)
        return b->db_emps.v[k].text;
    return NULL;
}

/* Accept a vacancy record (text: the fields the source sends) with id `id`,
 * employer `emp`. */
static void add_vacancy(batch *b, const char *id, const char *emp, const char *text,
                        bool withdrawn, const char *page, const path_map *m)
{
    const char *where = at(b, page, m->vac_path);
    const char *src = NULL;
    clb_buf merged = CLB_BUF_INIT;
    bool stored;
    int32_t k;
    rec *r;
    if (!where)
        return;
    if ((k = clb__strtab_lookup(&b->vac_ids, id)) >= 0) {
        problem(b, where, "duplicate offer id '%s' (first at %s)", id, b->vacs.v[k].where);
        b->rejected++;
        return;
    }
    stored = db_has_vacancy(b, id, &src);
    if (stored && !(src == b->owner || (src && b->owner && strcmp(src, b->owner) == 0))) {
        if (src)
            problem(b, where, "offer id '%s' belongs to source '%s'", id, src);
        else
            problem(b, where,
                    "offer id '%s' belongs to a vacancy that was imported or submitted, "
                    "not fetched from this source",
                    id);
        b->rejected++;
        return;
    }
    if (stored && !b->replace && merge_stored(b, &merged, CLB_RECORD_VACANCY, id, text) < 0) {
        b->oom = 1;
        goto done;
    }
    if (merged.ptr) {
        /* the merged record may name the employer the source left out */
        clb_json *mv = NULL;
        if (clb__json_load_buffer(&mv, merged.ptr, merged.size, NULL, NULL) == 0) {
            const char *e = clb__json_string(clb__json_object_get(mv, "employer"));
            if (e)
                emp = arena_printf(b, "%s", e);
        }
        clb__json_free(mv);
    }
    if (check_records(b, employer_text(b, emp), merged.ptr ? merged.ptr : text, page, m) >
        0) {
        b->rejected++;
        goto done;
    }
    if ((k = clb__strtab_intern(&b->vac_ids, id)) < 0 || (size_t)k != b->vacs.n ||
        !(r = vec_push(&b->vacs))) {
        b->oom = 1;
        goto done;
    }
    r->id = clb__arena_strdup(&b->arena, id);
    r->raw = clb__arena_strdup(&b->arena, text);
    r->text = merged.ptr ? clb__arena_strdup(&b->arena, merged.ptr) : r->raw;
    r->where = (char *)where;
    r->withdrawn = withdrawn;
    r->employer = emp ? clb__strtab_lookup(&b->emp_ids, emp) : -1;
    if (!r->text || !r->raw || !r->id)
        b->oom = 1;
done:
    clb_buf_dispose(&merged);
}

/* ---- native pages (circulab-offers/1) --------------------------------------------- */

static const char *const NATIVE_KEYS[] = {"format", "employers", "vacancies", "next", NULL};

/* Page-level checks of a native document; returns 0 or CLB_EINVAL with err set. */
static int native_check_page(const clb_json *root, const char *page, clb_error *err)
{
    const char *format;
    clb_json_iter it;
    const char *key;
    const clb_json *val;
    if (!clb_json_is_object(root))
        return clb__error_set(err, CLB_EINVAL, "%s: an offers page must be a json object, "
                             "got %s", page, clb__json_type_name(root));
    format = clb__json_string(clb__json_object_get(root, "format"));
    if (!format || strcmp(format, OFFERS_FORMAT) != 0)
        return clb__error_set(err, CLB_EINVAL, "%s: $.format: format must be '%s'", page,
                             OFFERS_FORMAT);
    clb__json_iter_init(&it, root);
    while (clb__json_iter_next(&it, &key, &val)) {
        bool known = strncmp(key, "x-", 2) == 0;
        for (size_t i = 0; NATIVE_KEYS[i] && !known; i++)
            known = strcmp(key, NATIVE_KEYS[i]) == 0;
        if (!known)
            return clb__error_set(err, CLB_EINVAL, "%s: $: unknown key '%s'", page, key);
    }
    val = clb__json_object_get(root, "employers");
    if (val && !clb_json_is_array(val))
        return clb__error_set(err, CLB_EINVAL, "%s: $.employers: must be an array, got %s",
                             page, clb__json_type_name(val));
    val = clb__json_object_get(root, "vacancies");
    if (!val)
        return clb__error_set(err, CLB_EINVAL, "%s: $.vacancies: missing", page);
    if (!clb_json_is_array(val))
        return clb__error_set(err, CLB_EINVAL, "%s: $.vacancies: must be an array, got %s",
                             page, clb__json_type_name(val));
    val = clb__json_object_get(root, "next");
    if (val && !clb_json_is_null(val) &&
        !(clb_json_is_string(val) && clb__json_string_length(val) > 0))
        return clb__error_set(err, CLB_EINVAL,
                             "%s: $.next: must be a url or null, got %s", page,
                             clb__json_type_name(val));
    return 0;
}

static void native_employers(batch *b, const clb_json *root, const char *page)
{
    const clb_json *arr = clb__json_object_get(root, "employers");
    clb_buf text = CLB_BUF_INIT, path = CLB_BUF_INIT;
    for (size_t i = 0; i < clb__json_array_size(arr) && !b->oom; i++) {
        const clb_json *e = clb__json_array_get(arr, i);
        path_map m = {NULL, NULL, false};
        clb__buf_clear(&text);
        clb__buf_clear(&path);
        clb__buf_printf(&path, "$.employers[%zu]", i);
        m.emp_path = path.ptr;
        if (put_json(&text, e, NULL) < 0) {
            b->oom = 1;
            break;
        }
        add_employer(b, clb__json_string(clb__json_object_get(e, "id")), text.ptr, page, &m,
                     false);
    }
    clb_buf_dispose(&text);
    clb_buf_dispose(&path);
}

static void defer_vacancy(batch *b, const char *id, const char *emp, const char *text,
                          bool withdrawn, const char *page, const char *path)
{
    pending *q;
    if (b->n_pend == b->cap_pend) {
        size_t cap = b->cap_pend ? b->cap_pend * 2 : 256;
        pending *v = clb__realloc(b->pend, cap * sizeof(*v));
        if (!v) {
            b->oom = 1;
            return;
        }
        b->pend = v;
        b->cap_pend = cap;
    }
    q = &b->pend[b->n_pend++];
    q->id = clb__arena_strdup(&b->arena, id);
    q->emp = emp ? clb__arena_strdup(&b->arena, emp) : NULL;
    q->text = clb__arena_strdup(&b->arena, text);
    q->page = clb__arena_strdup(&b->arena, page);
    q->path = clb__arena_strdup(&b->arena, path);
    q->withdrawn = withdrawn;
    if (!q->id || (emp && !q->emp) || !q->text || !q->page || !q->path)
        b->oom = 1;
}

static void native_vacancies(batch *b, const clb_json *root, const char *page)
{
    const clb_json *arr = clb_json_is_array(root) ? root
                                                  : clb__json_object_get(root, "vacancies");
    clb_buf text = CLB_BUF_INIT, path = CLB_BUF_INIT;
    for (size_t i = 0; i < clb__json_array_size(arr) && !b->oom; i++) {
        const clb_json *v = clb__json_array_get(arr, i);
        const clb_json *st = clb__json_object_get(v, "status");
        const char *emp = clb__json_string(clb__json_object_get(v, "employer"));
        const char *id = clb__json_string(clb__json_object_get(v, "id"));
        const char *src = NULL;
        bool withdrawn = false;
        path_map m = {NULL, NULL, false};
        clb__buf_clear(&text);
        clb__buf_clear(&path);
        if (b->single_root)
            clb__buf_puts(&path, "$");
        else if (clb_json_is_array(root))
            clb__buf_printf(&path, "$[%zu]", i);
        else
            clb__buf_printf(&path, "$.vacancies[%zu]", i);
        m.vac_path = path.ptr;
        if (st) {
            const char *s = clb__json_string(st);
            if (s && strcmp(s, "withdrawn") == 0) {
                withdrawn = true;
            } else if (!s || strcmp(s, "open") != 0) {
                problem(b, at2(b, page, path.ptr, ".status"),
                        "status must be \"open\" or \"withdrawn\"");
                b->rejected++;
                continue;
            }
        }
        if (put_json(&text, v, "status") < 0) {
            b->oom = 1;
            break;
        }
        /* a vacancy without an employer belongs to the source's default employer */
        if (clb_json_is_object(v) && !clb__json_object_get(v, "employer") &&
            b->default_employer && !(id && db_has_vacancy(b, id, &src))) {
            text.size--; /* drop the closing brace */
            if (clb__buf_printf(&text, "%s\"employer\":", clb__json_object_size(v) ? "," : "") < 0 ||
                clb__buf_put_json_string(&text, b->default_employer) < 0 ||
                clb__buf_puts(&text, "}") < 0) {
                b->oom = 1;
                break;
            }
            emp = b->default_employer;
        }
        if (!clb_json_is_object(v) || !id) {
            /* let the reader say what is wrong with it */
            check_records(b, NULL, text.ptr, page, &m);
            b->rejected++;
            continue;
        }
        if (b->defer)
            defer_vacancy(b, id, emp, text.ptr, withdrawn, page, path.ptr);
        else
            add_vacancy(b, id, emp, text.ptr, withdrawn, page, &m);
    }
    clb_buf_dispose(&text);
    clb_buf_dispose(&path);
}

/* Validate the deferred vacancies, in page order. */
static void flush_pending(batch *b)
{
    for (size_t i = 0; i < b->n_pend && !b->oom; i++) {
        const pending *q = &b->pend[i];
        path_map m = {NULL, q->path, false};
        add_vacancy(b, q->id, q->emp, q->text, q->withdrawn, q->page, &m);
    }
    b->n_pend = 0;
}

/* ---- JobPosting pages (schema.org JSON-LD) ------------------------------------------ */

static bool type_is(const clb_json *node, const char *type)
{
    const clb_json *t = clb__json_object_get(node, "@type");
    size_t n = strlen(type);
    for (size_t i = 0; t && i < (clb_json_is_array(t) ? clb__json_array_size(t) : 1); i++) {
        const char *s = clb__json_string(clb_json_is_array(t) ? clb__json_array_get(t, i) : t);
        size_t len = s ? strlen(s) : 0;
        if (s && len >= n && strcmp(s + len - n, type) == 0 &&
            (len == n || s[len - n - 1] == '/' || s[len - n - 1] == ':' ||
             s[len - n - 1] == '#'))
            return true;
    }
    return false;
}

/* A JSON-LD value: strings as they are, PropertyValue {value}, numbers as text. */
static const char *ld_text(const clb_json *v, char tmp[32])
{
    long long ll;
    if (clb_json_is_array(v))
        v = clb__json_array_get(v, 0);
    if (clb_json_is_string(v))
        return clb__json_string(v);
    if (clb_json_is_object(v)) {
        const clb_json *x = clb__json_object_get(v, "value");
        if (!x)
            x = clb__json_object_get(v, "@value");
        if (!x)
            x = clb__json_object_get(v, "name");
        if (x && !clb_json_is_object(x))
            return ld_text(x, tmp);
    }
    if (clb__json_integer(v, &ll)) {
        snprintf(tmp, 32, "%lld", ll);
        return tmp;
    }
    return NULL;
}

/* The @graph node with @id `id`, if any. */
static const clb_json *graph_node(const clb_json *graph, const char *id)
{
    for (size_t i = 0; id && i < clb__json_array_size(graph); i++) {
        const clb_json *n = clb__json_array_get(graph, i);
        const char *nid = clb__json_string(clb__json_object_get(n, "@id"));
        if (nid && strcmp(nid, id) == 0)
            return n;
    }
    return NULL;
}

/* A node that is only a reference {"@id": ...} resolved through the graph. */
static const clb_json *deref(const clb_json *v, const clb_json *graph)
{
    const clb_json *n;
    if (clb_json_is_array(v))
        v = clb__json_array_get(v, 0);
    if (clb_json_is_object(v) && clb__json_object_size(v) == 1 &&
        (n = graph_node(graph, clb__json_string(clb__json_object_get(v, "@id")))))
        return n;
    return v;
}

static const char *address_region(const clb_json *place, const clb_json *graph)
{
    const clb_json *addr;
    place = deref(place, graph);
    addr = deref(clb__json_object_get(place, "address"), graph);
    if (!clb_json_is_object(addr) && clb_json_is_object(place) &&
        clb__json_object_get(place, "addressRegion"))
        addr = place;
    return clb__json_string(clb__json_object_get(addr, "addressRegion"));
}

/* A date member: a JSON string "YYYY-MM-DD" or a date-time (its date part). */
static int put_date_member(clb_buf *out, const char *key, const clb_json *v)
{
    const char *s = clb__json_string(v);
    int rc = clb__buf_printf(out, ",\"%s\":", key);
    if (rc == 0 && s && strlen(s) > 10 && s[10] == 'T') {
        char d[11];
        memcpy(d, s, 10);
        d[10] = '\0';
        return clb__buf_put_json_string(out, d);
    }
    return rc ? rc : put_json(out, v, NULL);
}

/* Monthly EUR from baseSalary; returns false (and *why) when it cannot be read. */
static bool monthly_wage(double *out, const clb_json *salary, const char **why)
{
    const clb_json *val = salary, *cur;
    const char *unit = "MONTH";
    double x;
    if (clb_json_is_number(salary)) {
        *out = clb__json_number(salary);
        return true;
    }
    if (!clb_json_is_object(salary)) {
        *why = "baseSalary must be a number or a MonetaryAmount";
        return false;
    }
    cur = clb__json_object_get(salary, "currency");
    if (cur && !(clb__json_string(cur) && strcmp(clb__json_string(cur), "EUR") == 0)) {
        *why = "baseSalary currency must be EUR";
        return false;
    }
    val = clb__json_object_get(salary, "value");
    if (clb_json_is_object(val)) {
        const char *u = clb__json_string(clb__json_object_get(val, "unitText"));
        if (u)
            unit = u;
        if (clb__json_object_get(val, "value"))
            val = clb__json_object_get(val, "value");
        else
            val = clb__json_object_get(val, "minValue");
    } else if (clb__json_string(clb__json_object_get(salary, "unitText"))) {
        unit = clb__json_string(clb__json_object_get(salary, "unitText"));
    }
    if (!clb_json_is_number(val)) {
        *why = "baseSalary has no numeric value";
        return false;
    }
    x = clb__json_number(val);
    if (strcasecmp(unit, "MONTH") == 0)
        *out = x;
    else if (strcasecmp(unit, "YEAR") == 0)
        *out = x / 12.0;
    else if (strcasecmp(unit, "WEEK") == 0)
        *out = x * 52.0 / 12.0;
    else if (strcasecmp(unit, "DAY") == 0)
        *out = x * 21.75;
    else if (strcasecmp(unit, "HOUR") == 0)
        *out = x * 40.0 * 52.0 / 12.0;
    else {
        *why = "baseSalary unitText must be HOUR, DAY, WEEK, MONTH or YEAR";
        return false;
    }
    if (!isfinite(*out)) {
        /* e.g. 1e308 an hour: the monthly figure overflows; never dropped silently */
        *why = "baseSalary value is out of range (the monthly wage overflows)";
        return false;
    }
    *out = round(*out * 100.0) / 100.0;
    return true;
}

static int put_skills(clb_buf *out, const clb_json *skills)
{
    int rc = clb__buf_puts(out, ",\"requires\":{\"skills\":[");
    bool first = true;
    if (clb_json_is_string(skills)) {
        /* "a, b, c" */
        const char *s = clb__json_string(skills);
        while (rc == 0 && *s) {
            const char *e = strchr(s, ',');
            size_t n = e ? (size_t)(e - s) : strlen(s);
            while (n && isspace((unsigned char)*s)) {
                s++;
                n--;
            }
            while (n && isspace((unsigned char)s[n - 1]))
                n--;
            if (n) {
                char *one = clb__malloc(n + 1);
                if (!one)
                    return CLB_ENOMEM;
                memcpy(one, s, n);
                one[n] = '\0';
                rc = clb__buf_puts(out, first ? "" : ",");
                if (rc == 0)
                    rc = clb__buf_put_json_string(out, one);
                clb__free(one);
                first = false;
            }
            s = e ? e + 1 : s + strlen(s);
        }
    } else {
        size_t n = clb_json_is_array(skills) ? clb__json_array_size(skills) : 1;
        for (size_t i = 0; i < n && rc == 0; i++) {
            const clb_json *x = clb_json_is_array(skills) ? clb__json_array_get(skills, i)
                                                          : skills;
            char tmp[32];
            const char *s = ld_text(x, tmp);
            rc = clb__buf_puts(out, first ? "" : ",");
            first = false;
            if (rc == 0)
                rc = s ? clb__buf_put_json_string(out, s) : put_json(out, x, NULL);
        }
    }
    return rc ? rc : clb__buf_puts(out, "]}");
}

/* Map one JobPosting to a vacancy (and its employer) and add them. */
static void jp_posting(batch *b, const clb_json *jp, const clb_json *graph,
                       const char *page, const char *path)
{
    clb_buf vac = CLB_BUF_INIT, emp = CLB_BUF_INIT, emp_path = CLB_BUF_INIT;
    const clb_json *org, *v;
    const char *id, *emp_id = NULL, *region, *org_region, *why = NULL, *site_id = NULL;
    char tmp[32], tmp2[32], rcode[16], ocode[16];
    path_map m = {NULL, path, true};
    int rc = 0;

    if (!clb_json_is_object(jp) || !type_is(jp, "JobPosting")) {
        problem(b, at(b, page, path), "expected a JobPosting object");
        b->rejected++;
        goto done;
    }
    id = ld_text(clb__json_object_get(jp, "identifier"), tmp);
    if (!id)
        id = clb__json_string(clb__json_object_get(jp, "@id"));
    if (!id) {
        problem(b, at(b, page, path),
                "JobPosting has neither identifier nor @id");
        b->rejected++;
        goto done;
    }
    org = deref(clb__json_object_get(jp, "hiringOrganization"), graph);
    if (clb_json_is_object(org)) {
        emp_id = ld_text(clb__json_object_get(org, "identifier"), tmp2);
        if (!emp_id)
            emp_id = clb__json_string(clb__json_object_get(org, "@id"));
    }
    if (!emp_id && clb_json_is_object(org) && b->maps) {
        /* an organisation named without an identifier: the employer its name maps to */
        const char *name = clb__json_string(clb__json_object_get(org, "name"));
        if (name && !(emp_id = clb__maps_lookup(b->maps, CLB_MAP_EMPLOYER, name)) &&
            !b->default_employer) {
            note_unmapped(b, CLB_MAP_EMPLOYER, name);
            b->rejected++;
            goto done;
        }
    }
    if (!emp_id)
        emp_id = b->default_employer;
    if (!emp_id) {
        problem(b, at2(b, page, path, ".hiringOrganization"),
                "JobPosting names no employer (hiringOrganization.identifier or @id) and "
                "the source has no default employer (--employer)");
        b->rejected++;
        goto done;
    }
    region = address_region(clb__json_object_get(jp, "jobLocation"), graph);
    org_region = clb_json_is_object(org) ? address_region(org, graph) : NULL;
    if (b->maps) {
        /* region names and codes to the agency's codes (maps.c decides) */
        bool ok = true;
        if (region) {
            region = clb__maps_resolve(b->maps, CLB_MAP_REGION, region, rcode, &ok);
            if (!ok)
                note_unmapped(b, CLB_MAP_REGION, region);
        }
        if (ok && org_region) {
            org_region = clb__maps_resolve(b->maps, CLB_MAP_REGION, org_region, ocode, &ok);
            if (!ok)
                note_unmapped(b, CLB_MAP_REGION, org_region);
        }
        if (!ok) {
            b->rejected++;
            goto done;
        }
    }
    if (!org_region && !stored_record(b, &emp, CLB_RECORD_EMPLOYER, emp_id))
        org_region = region; /* a new employer's region is where its job is */
    clb__buf_clear(&emp);

    /* the employer: from hiringOrganization (or the source's default, which must then
     * be known to the database or the feed) */
    clb__buf_printf(&emp_path, "%s.hiringOrganization", path);
    m.emp_path = emp_path.ptr;
    if (clb_json_is_object(org) && clb__strtab_lookup(&b->emp_ids, emp_id) < 0) {
        const char *name = clb__json_string(clb__json_object_get(org, "name"));
        rc = clb__buf_puts(&emp, "{\"id\":");
        if (rc == 0)
            rc = clb__buf_put_json_string(&emp, emp_id);
        if (rc == 0 && name)
            rc = clb__buf_puts(&emp, ",\"name\":") || clb__buf_put_json_string(&emp, name);
        if (rc == 0 && org_region)
            rc = clb__buf_puts(&emp, ",\"region\":") ||
                 clb__buf_put_json_string(&emp, org_region);
        if (rc == 0)
            rc = clb__buf_puts(&emp, "}");
        if (rc) {
            b->oom = 1;
            goto done;
        }
        add_employer(b, emp_id, emp.ptr, page, &m, true);
    }
    {
        /* the vacancy's region is its site's: the employer's implicit site, or the
         * one of its sites (kept from the database) in the job's region */
        const char *et = employer_text(b, emp_id);
        clb_json *e = NULL;
        if (et && region && clb__json_load_buffer(&e, et, strlen(et), NULL, NULL) == 0) {
            const char *er = clb__json_string(clb__json_object_get(e, "region"));
            const clb_json *sites = clb__json_object_get(e, "sites");
            size_t matches = 0;
            for (size_t i = 0; i < clb__json_array_size(sites); i++) {
                const clb_json *site = clb__json_array_get(sites, i);
                const char *sr = clb__json_string(clb__json_object_get(site, "region"));
                const char *sid = clb__json_string(clb__json_object_get(site, "id"));
                if (sid && sr && strcmp(sr, region) == 0 && matches++ == 0)
                    site_id = arena_printf(b, "%s", sid);
            }
            if (matches > 1)
                site_id = NULL; /* several: the reader says the site is ambiguous */
            if (clb__json_array_size(sites) > 0 && matches == 0) {
                problem(b, at2(b, page, path, ".jobLocation"),
                        "job region '%s' matches no site of employer '%s'", region,
                        emp_id);
                b->rejected++;
                clb__json_free(e);
                goto done;
            }
            if (clb__json_array_size(sites) == 0 && er && strcmp(er, region) != 0) {
                problem(b, at2(b, page, path, ".jobLocation"),
                        "job region '%s' differs from employer '%s' region; publish "
                        "offers at other sites in the circulab-offers/1 format",
                        region, emp_id);
                b->rejected++;
                clb__json_free(e);
                goto done;
            }
            clb__json_free(e);
        }
    }

    rc = clb__buf_puts(&vac, "{\"id\":");
    rc = rc ? rc : clb__buf_put_json_string(&vac, id);
    rc = rc ? rc : clb__buf_puts(&vac, ",\"employer\":");
    rc = rc ? rc : clb__buf_put_json_string(&vac, emp_id);
    if (rc == 0 && site_id)
        rc = clb__buf_puts(&vac, ",\"site\":") || clb__buf_put_json_string(&vac, site_id);
    if (rc == 0 && (v = clb__json_object_get(jp, "jobStartDate")))
        rc = put_date_member(&vac, "start", v);
    if (rc == 0 && ((v = clb__json_object_get(jp, "x-jobEndDate")) ||
                    (v = clb__json_object_get(jp, "validThrough"))))
        rc = put_date_member(&vac, "end", v);
    if (rc == 0 && (v = clb__json_object_get(jp, "totalJobOpenings")))
        rc = clb__buf_puts(&vac, ",\"headcount\":") || put_json(&vac, v, NULL);
    if (rc == 0 && (v = clb__json_object_get(jp, "occupationalCategory"))) {
        char t3[32];
        const char *occ = ld_text(v, t3);
        if (clb_json_is_object(v) && clb__json_object_get(v, "codeValue"))
            occ = ld_text(clb__json_object_get(v, "codeValue"), t3);
        rc = clb__buf_puts(&vac, ",\"occupation\":");
        if (rc == 0 && occ && occ[0] && strspn(occ, "0123456789") == strlen(occ))
            rc = clb__buf_printf(&vac, "\"isco:%s\"", occ);
        else if (rc == 0)
            rc = occ ? clb__buf_put_json_string(&vac, occ) : put_json(&vac, v, NULL);
    }
    if (rc == 0 && (v = clb__json_object_get(jp, "industry"))) {
        char t4[32];
        const char *ind = ld_text(v, t4);
        rc = clb__buf_puts(&vac, ",\"sector\":");
        if (rc == 0)
            rc = ind ? clb__buf_put_json_string(&vac, ind) : put_json(&vac, v, NULL);
    }
    if (rc == 0 && (v = clb__json_object_get(jp, "skills")))
        rc = put_skills(&vac, v);
    if (rc == 0 && (v = clb__json_object_get(jp, "baseSalary"))) {
        double wage;
        if (!monthly_wage(&wage, v, &why)) {
            problem(b, at2(b, page, path, ".baseSalary"), "%s", why);
            b->rejected++;
            goto done;
        }
        rc = clb__buf_puts(&vac, ",\"wage_month_eur\":") || clb__buf_put_json_number(&vac, wage);
    }
    if (rc == 0)
        rc = clb__buf_puts(&vac, "}");
    if (rc == 0 && b->maps) {
        /* occupation texts, employer names and numeric strings, as for submissions */
        clb_json *mapped = NULL;
        const char *occ;
        char code[16];
        bool usable = true;
        rc = clb__json_load_buffer(&mapped, vac.ptr, vac.size, NULL, NULL) < 0 ||
             clb__maps_apply(mapped, b->maps) < 0;
        if (rc == 0) {
            clb__buf_clear(&vac);
            rc = put_json(&vac, mapped, NULL);
        }
        occ = rc == 0 ? clb__json_string(clb__json_object_get(mapped, "occupation")) : NULL;
        if (occ)
            clb__maps_resolve(b->maps, CLB_MAP_OCCUPATION, occ, code, &usable);
        if (!usable)
            note_unmapped(b, CLB_MAP_OCCUPATION, occ);
        clb__json_free(mapped);
        if (rc == 0 && !usable) {
            b->rejected++;
            goto done;
        }
    }
    if (rc) {
        b->oom = 1;
        goto done;
    }
    add_vacancy(b, id, emp_id, vac.ptr, false, page, &m);
done:
    clb_buf_dispose(&vac);
    clb_buf_dispose(&emp);
    clb_buf_dispose(&emp_path);
}

/* Is this document JobPosting JSON-LD (as opposed to anything else)? */
static bool looks_like_jobposting(const clb_json *root)
{
    if (clb_json_is_array(root))
        return true;
    return clb_json_is_object(root) &&
           (clb__json_object_get(root, "@graph") || clb__json_object_get(root, "@type") ||
            clb__json_object_get(root, "@context"));
}

/* Walk a JobPosting page: one object, an array, an ItemList or @graph. */
static int jp_page(batch *b, const clb_json *root, const char *page, clb_error *err)
{
    const clb_json *graph = clb__json_object_get(root, "@graph"), *list = NULL;
    clb_buf path = CLB_BUF_INIT;
    const char *base;
    bool item_list = false;
    int error = 0;
    if (clb_json_is_array(root)) {
        list = root;
        base = "$";
    } else if (clb_json_is_object(root) && graph) {
        if (!clb_json_is_array(graph))
            return clb__error_set(err, CLB_EINVAL, "%s: $['@graph']: must be an array",
                                 page);
        list = graph;
        base = "$['@graph']";
    } else if (clb_json_is_object(root) && type_is(root, "ItemList")) {
        list = clb__json_object_get(root, "itemListElement");
        if (!clb_json_is_array(list))
            return clb__error_set(err, CLB_EINVAL,
                                 "%s: $.itemListElement: an ItemList needs an array", page);
        base = "$.itemListElement";
        item_list = true;
    } else if (clb_json_is_object(root) && type_is(root, "JobPosting")) {
        jp_posting(b, root, NULL, page, "$");
        return 0;
    } else {
        return clb__error_set(err, CLB_EINVAL,
                             "%s: $: neither a JobPosting, an ItemList, an array nor a "
                             "@graph", page);
    }
    for (size_t i = 0; i < clb__json_array_size(list) && !b->oom; i++) {
        const clb_json *x = clb__json_array_get(list, i);
        clb__buf_clear(&path);
        if (clb__buf_printf(&path, "%s[%zu]", base, i) < 0) {
            error = oom(err);
            break;
        }
        if (graph && !type_is(x, "JobPosting"))
            continue; /* organizations, places...: referenced, not offers */
        if (item_list && type_is(x, "ListItem")) {
            if (clb__buf_puts(&path, ".item") < 0) {
                error = oom(err);
                break;
            }
            x = clb__json_object_get(x, "item");
        }
        jp_posting(b, x, graph, page, path.ptr);
    }
    clb_buf_dispose(&path);
    return error;
}

/* ---- pages ------------------------------------------------------------------------ */

typedef struct page {
    clb_json *root;
    char *label; /* "page N (URL)" */
    clb_offers_format format;
} page;

typedef struct pages {
    page *v;
    size_t n, cap;
} pages;

/* Decide a page's format (auto) and check its frame; reads `next` of native pages. */
static int page_frame(clb_offers_format *out, const clb_json *root,
                      clb_offers_format want, const char *label, const char **next,
                      clb_error *err)
{
    const char *format = clb__json_string(clb__json_object_get(root, "format"));
    clb_offers_format f = want;
    *next = NULL;
    if (f == CLB_OFFERS_AUTO) {
        if (format)
            f = CLB_OFFERS_NATIVE;
        else if (looks_like_jobposting(root))
            f = CLB_OFFERS_JOBPOSTING;
        else
            return clb__error_set(err, CLB_EINVAL,
                                 "%s: neither a %s document nor JobPosting json-ld", label,
                                 OFFERS_FORMAT);
    }
    *out = f;
    if (f == CLB_OFFERS_NATIVE) {
        int error = native_check_page(root, label, err);
        if (error == 0)
            *next = clb__json_string(clb__json_object_get(root, "next"));
        return error;
    }
    return 0;
}

/* Validate every page into the batch: all employers first, then all vacancies. */
static int validate_pages(batch *b, const pages *p, clb_error *err)
{
    int error = 0;
    for (size_t i = 0; i < p->n && !b->oom; i++)
        if (p->v[i].format == CLB_OFFERS_NATIVE)
            native_employers(b, p->v[i].root, p->v[i].label);
    for (size_t i = 0; i < p->n && !b->oom && error == 0; i++) {
        if (p->v[i].format == CLB_OFFERS_NATIVE)
            native_vacancies(b, p->v[i].root, p->v[i].label);
        else
            error = jp_page(b, p->v[i].root, p->v[i].label, err);
    }
    if (b->oom && error == 0)
        error = oom(err);
    return error;
}

/* ---- writing ---------------------------------------------------------------------- */

/* Records loaded and written together: bounds the memory of the write. */
#define WRITE_CHUNK 1000

/*
 * Write feed employers [e0, e1) or vacancies [v0, v1) of the batch as one document:
 * each record merged again over the stored one as it is now, inside the write
 * transaction (whatever changed since validation, an import or the portal, is kept,
 * not overwritten by the copy read before the fetch), with the stored employers the
 * vacancies refer to (so the reader resolves their sites), loaded by the scenario
 * reader (cross-record rules) and upserted. `extra` collects the ids of database
 * employers written along (for the report's count).
 */
static int write_chunk(clb_offers_report *rep, batch *b, size_t e0, size_t e1, size_t v0,
                       size_t v1, clb_strtab *extra, clb_error *err)
{
    clb_buf doc = CLB_BUF_INIT, one = CLB_BUF_INIT;
    clb_diags *diags = NULL;
    clb_scenario *s = NULL;
    clb_strtab here;
    clb_import_stats stats;
    int error = 0, rc;
    bool first = true;

    clb__strtab_init(&here);
    memset(&stats, 0, sizeof(stats));
    rc = clb__buf_puts(&doc, "{\"format\":\"" SCENARIO_FORMAT "\",\"workers\":[],"
                            "\"employers\":[");
    for (size_t i = e0; i < e1 && rc == 0; i++) {
        rc = merge_stored(b, &one, CLB_RECORD_EMPLOYER, b->emps.v[i].id, b->emps.v[i].raw);
        rc = rc ? rc : clb__buf_puts(&doc, first ? "\n" : ",\n") || clb__buf_puts(&doc, one.ptr);
        first = false;
    }
    /* the employers the vacancies refer to, as stored now (feed employers were
     * written first, so theirs are already merged) */
    for (size_t i = v0; i < v1 && rc == 0; i++) {
        clb_json *v = NULL;
        const char *emp;
        if (clb__json_load_buffer(&v, b->vacs.v[i].text, strlen(b->vacs.v[i].text), NULL,
                                 NULL) < 0) {
            rc = CLB_ENOMEM;
            break;
        }
        emp = clb__json_string(clb__json_object_get(v, "employer"));
        if (emp && clb__strtab_lookup(&here, emp) < 0 &&
            stored_record(b, &one, CLB_RECORD_EMPLOYER, emp)) {
            if (clb__strtab_intern(&here, emp) < 0 ||
                (clb__strtab_lookup(&b->emp_ids, emp) < 0 &&
                 clb__strtab_intern(extra, emp) < 0))
                rc = CLB_ENOMEM;
            else
                rc = clb__buf_puts(&doc, first ? "\n" : ",\n") || clb__buf_puts(&doc, one.ptr);
            first = false;
        }
        clb__json_free(v);
    }
    rc = rc ? rc : clb__buf_puts(&doc, "],\"vacancies\":[");
    for (size_t i = v0; i < v1 && rc == 0; i++) {
        if (b->replace) {
            clb__buf_clear(&one);
            rc = clb__buf_puts(&one, b->vacs.v[i].raw);
        } else {
            rc = merge_stored(b, &one, CLB_RECORD_VACANCY, b->vacs.v[i].id, b->vacs.v[i].raw);
        }
        rc = rc ? rc : clb__buf_puts(&doc, i > v0 ? ",\n" : "\n") || clb__buf_puts(&doc, one.ptr);
    }
    rc = rc ? rc : clb__buf_puts(&doc, "]}");
    clb_buf_dispose(&one);
    if (rc || clb_diags_new(&diags) < 0) {
        error = oom(err);
        goto done;
    }
    if ((error = clb_scenario_load_buffer(&s, doc.ptr, doc.size, b->source, diags, err)) <
        0) {
        /* records valid on their own that clash together (site ids, ...) */
        for (size_t i = 0; i < clb_diags_count(diags); i++)
            problem(b, "all pages", "%s", clb_diags_get(diags, i)->message);
        goto done;
    }
    clb_buf_dispose(&doc); /* the loaded scenario is all the write needs */
    for (size_t i = 0; i < v1 - v0 && i < s->n_vacancies; i++) {
        const rec *r = &b->vacs.v[v0 + i];
        const char *src = NULL;
        s->vacancies[i].withdrawn = r->withdrawn;
        if (r->withdrawn)
            rep->withdrawn++;
        else if (!db_has_vacancy(b, r->id, &src))
            rep->added++;
        else
            rep->updated++;
    }
    error = clb_store_upsert_offers(b->store, &stats, s, b->owner, err);
done:
    clb_scenario_free(s);
    clb_diags_free(diags);
    clb_buf_dispose(&doc);
    clb__strtab_dispose(&here);
    if (error == 0 && b->oom)
        error = oom(err);
    return error;
}

/*
 * Write the accepted records inside the store's open transaction, WRITE_CHUNK at a
 * time: the feed's employers first, then the vacancies. Counts go to the report.
 */
static int write_batch(clb_offers_report *rep, batch *b, clb_error *err)
{
    clb_strtab extra;
    int error = 0;
    clb__strtab_init(&extra);
    for (size_t i = 0; i < b->emps.n && error == 0; i += WRITE_CHUNK)
        error = write_chunk(rep, b, i, i + WRITE_CHUNK < b->emps.n ? i + WRITE_CHUNK
                                                                   : b->emps.n,
                            0, 0, &extra, err);
    for (size_t i = 0; i < b->vacs.n && error == 0; i += WRITE_CHUNK)
        error = write_chunk(rep, b, 0, 0, i,
                            i + WRITE_CHUNK < b->vacs.n ? i + WRITE_CHUNK : b->vacs.n,
                            &extra, err);
    rep->employers = (int)(b->emps.n + extra.count);
    clb__strtab_dispose(&extra);
    return error;
}

/* Append the fetch log row (own transaction unless one is open). */
static int log_row(clb_store *store, const clb_offers_report *rep, const char *started,
                   const char *message, clb_error *err)
{
    char finished[32];
    now_iso(finished);
    clb_fetch_log_entry e = {rep->source, started, finished, rep->status,
                             rep->http_status, rep->pages, rep->added, rep->updated,
                             rep->withdrawn, rep->rejected, message};
    return clb_store_fetch_log_append(store, &e, err);
}

/* ---- sources ---------------------------------------------------------------------- */

void clb_offers_opts_init(clb_offers_opts *opts)
{
    clb_fetch_opts f;
    clb__fetch_opts_init(&f);
    memset(opts, 0, sizeof(*opts));
    opts->max_bytes = f.max_bytes;
    opts->max_pages = 100;
    opts->max_redirects = f.max_redirects;
    opts->connect_timeout_ms = f.connect_timeout_ms;
    opts->timeout_ms = f.timeout_ms;
    opts->low_speed_secs = f.low_speed_secs;
    opts->max_attempts = f.max_attempts;
    opts->retry_base_ms = f.retry_base_ms;
    opts->retry_max_ms = f.retry_max_ms;
    opts->max_source_bytes = (size_t)64 << 20;
    opts->max_page_values = 1000000;
    opts->max_depth = 64;
    opts->deadline_secs = 900;
}

bool clb_offers_url_is_plain_remote(const char *url)
{
    return clb__fetch_url_is_plain_remote(url);
}

int clb_offers_source_add(clb_store *store, const char *name, const char *url,
                          clb_offers_format format, const char *token_env,
                          const char *employer, clb_error *err)
{
    clb_buf settings = CLB_BUF_INIT;
    int error, rc;
    char why[160];
    if (!valid_id_why(name, why, sizeof(why)))
        return clb__error_set(err, CLB_EINVAL,
                             "the source name %s (a name is 1 to %d bytes)", why, ID_MAX);
    if (url && clb__fetch_url_has_credentials(url))
        /* the URL is stored, listed and named in messages: never echo it */
        return clb__error_set(err, CLB_EINVAL,
                             "the url carries credentials (user:password@host): refused, "
                             "because urls are stored, listed and logged; give a bearer "
                             "token with --token-env VAR instead");
    if (!clb__fetch_url_is_http(url))
        return clb__error_set(err, CLB_EINVAL, "'%s' is not an http:// or https:// url",
                             url ? url : "");
    if (token_env && !valid_env_name(token_env))
        return clb__error_set(err, CLB_EINVAL,
                             "'%s' is not an environment variable name (the token itself "
                             "is never stored: give the name of the variable holding it)",
                             token_env);
    if (employer && !valid_id_why(employer, why, sizeof(why)))
        return clb__error_set(err, CLB_EINVAL, "the employer id %s", why);
    rc = clb__buf_printf(&settings, "{\"format\":\"%s\"", clb_offers_format_name(format));
    if (rc == 0 && token_env)
        rc = clb__buf_puts(&settings, ",\"token_env\":") ||
             clb__buf_put_json_string(&settings, token_env);
    if (rc == 0 && employer)
        rc = clb__buf_puts(&settings, ",\"employer\":") ||
             clb__buf_put_json_string(&settings, employer);
    if (rc == 0)
        rc = clb__buf_puts(&settings, "}");
    if (rc)
        error = oom(err);
    else
        error = clb_store_source_add(store, name, url, settings.ptr, err);
    clb_buf_dispose(&settings);
    return error;
}

typedef struct source_copy {
    const char *want;
    bool found;
    clb_buf url, etag, last_modified, token_env, employer;
    clb_offers_format format;
} source_copy;

static void settings_read(const char *json, clb_offers_format *format, clb_buf *token_env,
                          clb_buf *employer)
{
    clb_json *root = NULL;
    const char *f, *t, *e;
    *format = CLB_OFFERS_AUTO;
    if (!json || clb__json_load_buffer(&root, json, strlen(json), NULL, NULL) < 0)
        return;
    f = clb__json_string(clb__json_object_get(root, "format"));
    if (f && strcmp(f, "native") == 0)
        *format = CLB_OFFERS_NATIVE;
    else if (f && strcmp(f, "jobposting") == 0)
        *format = CLB_OFFERS_JOBPOSTING;
    if ((t = clb__json_string(clb__json_object_get(root, "token_env"))) && token_env)
        clb__buf_puts(token_env, t);
    if ((e = clb__json_string(clb__json_object_get(root, "employer"))) && employer)
        clb__buf_puts(employer, e);
    clb__json_free(root);
}

static int copy_fn(const clb_source_info *info, void *payload)
{
    source_copy *c = payload;
    if (strcmp(info->id, c->want) != 0)
        return 0;
    c->found = true;
    settings_read(info->settings, &c->format, &c->token_env, &c->employer);
    if (clb__buf_puts(&c->url, info->url) < 0 ||
        (info->etag && clb__buf_puts(&c->etag, info->etag) < 0) ||
        (info->last_modified && clb__buf_puts(&c->last_modified, info->last_modified) < 0))
        return CLB_ENOMEM;
    return 1; /* stop */
}

typedef struct name_walk {
    int (*fn)(const char *name, void *payload);
    void *payload;
} name_walk;

static int name_fn(const clb_source_info *info, void *payload)
{
    name_walk *w = payload;
    return w->fn(info->id, w->payload);
}

int clb_offers_source_foreach(clb_store *store, int (*fn)(const char *name, void *payload),
                              void *payload, clb_error *err)
{
    name_walk w = {fn, payload};
    return clb_store_source_foreach(store, name_fn, &w, err);
}

typedef struct list_ctx {
    clb_buf *out;
    bool json;
    bool first;
    int rc;
} list_ctx;

static int list_fn(const clb_source_info *info, void *payload)
{
    list_ctx *c = payload;
    clb_buf tok = CLB_BUF_INIT, emp = CLB_BUF_INIT;
    clb_offers_format f;
    clb_buf *o = c->out;
    int rc;
    settings_read(info->settings, &f, &tok, &emp);
    if (c->json) {
        rc = clb__buf_puts(o, c->first ? "\n  {\"name\": " : ",\n  {\"name\": ") ||
             clb__buf_put_json_string(o, info->id) || clb__buf_puts(o, ", \"url\": ") ||
             clb__buf_put_json_string(o, info->url) ||
             clb__buf_printf(o, ", \"format\": \"%s\", \"token_env\": ",
                            clb_offers_format_name(f)) ||
             (tok.ptr ? clb__buf_put_json_string(o, tok.ptr) : clb__buf_puts(o, "null")) ||
             clb__buf_puts(o, ", \"employer\": ") ||
             (emp.ptr ? clb__buf_put_json_string(o, emp.ptr) : clb__buf_puts(o, "null")) ||
             clb__buf_puts(o, ", \"etag\": ") ||
             (info->etag ? clb__buf_put_json_string(o, info->etag) : clb__buf_puts(o, "null")) ||
             clb__buf_puts(o, ", \"last_modified\": ") ||
             (info->last_modified ? clb__buf_put_json_string(o, info->last_modified)
                                  : clb__buf_puts(o, "null")) ||
             clb__buf_puts(o, ", \"added_at\": ") ||
             clb__buf_put_json_string(o, info->added_at) || clb__buf_puts(o, "}");
    } else {
        rc = clb__buf_printf(o, "%s %s format=%s", info->id, info->url,
                            clb_offers_format_name(f));
        if (rc == 0 && tok.ptr)
            rc = clb__buf_printf(o, " token-env=%s", tok.ptr);
        if (rc == 0 && emp.ptr)
            rc = clb__buf_printf(o, " employer=%s", emp.ptr);
        if (rc == 0 && info->etag)
            rc = clb__buf_printf(o, " etag=%s", info->etag);
        if (rc == 0 && info->last_modified)
            rc = clb__buf_printf(o, " last-modified=\"%s\"", info->last_modified);
        if (rc == 0)
            rc = clb__buf_puts(o, "\n");
    }
    c->first = false;
    clb_buf_dispose(&tok);
    clb_buf_dispose(&emp);
    return rc ? CLB_ENOMEM : 0;
}

int clb_offers_source_list(clb_buf *out, clb_store *store, unsigned flags, clb_error *err)
{
    list_ctx c = {out, (flags & CLB_STORE_JSON) != 0, true, 0};
    int error;
    if (c.json && clb__buf_puts(out, "[") < 0)
        return oom(err);
    error = clb_store_source_foreach(store, list_fn, &c, err);
    if (error == CLB_ENOMEM)
        return oom(err);
    if (error == 0 && c.json && clb__buf_puts(out, c.first ? "]\n" : "\n]\n") < 0)
        return oom(err);
    return error;
}

int clb_offers_log_list(clb_buf *out, clb_store *store, const char *source, long limit,
                        unsigned flags, clb_error *err)
{
    return clb_store_fetch_log_list(out, store, source, limit, flags, err);
}

/* ---- fetch ------------------------------------------------------------------------- */

static void fetch_log_cb(const char *line, void *payload)
{
    const clb_offers_opts *o = payload;
    o->log(line, o->payload);
}

int clb_offers_fetch(clb_offers_report *rep, clb_store *store, const char *source,
                     const clb_offers_opts *opts, clb_buf *problems, clb_error *err)
{
    source_copy src;
    clb__maps maps = {NULL, 0};
    clb_fetch_opts fo;
    clb_fetch_response resp;
    clb_strtab visited;
    clb_buf url = CLB_BUF_INIT, label = CLB_BUF_INIT;
    batch b;
    char started[32], *etag = NULL, *lm = NULL;
    const char *token = NULL;
    double t0 = clb__now_seconds();
    size_t total_bytes = 0;
    bool in_tx = false, logged = false;
    int error = 0;

    memset(rep, 0, sizeof(*rep));
    snprintf(rep->source, sizeof(rep->source), "%s", source);
    rep->status = "failed";
    now_iso(started);
    memset(&src, 0, sizeof(src));
    src.want = source;
    clb__strtab_init(&visited);
    clb__fetch_response_init(&resp);
    batch_init(&b);
    if ((error = clb_store_source_foreach(store, copy_fn, &src, err)) < 0)
        goto done_nolog;
    error = 0;
    if (!src.found) {
        error = clb__error_set(err, CLB_ENOTFOUND, "there is no source '%s'", source);
        goto done_nolog;
    }
    b.source = source;
    b.owner = source;
    b.store = store;
    b.problems = problems;
    b.default_employer = src.employer.ptr;
    if ((error = clb__store_maps_load(&maps, store, err)) < 0)
        goto done_nolog;
    b.maps = &maps;

    clb__fetch_opts_init(&fo);
    fo.connect_timeout_ms = opts->connect_timeout_ms;
    fo.timeout_ms = opts->timeout_ms;
    fo.low_speed_secs = opts->low_speed_secs;
    fo.max_bytes = opts->max_bytes;
    fo.max_redirects = opts->max_redirects;
    fo.max_attempts = opts->max_attempts;
    fo.retry_base_ms = opts->retry_base_ms;
    fo.retry_max_ms = opts->retry_max_ms;
    fo.insecure = opts->insecure;
    fo.token_origin = src.url.ptr;
    if (opts->log) {
        fo.log = fetch_log_cb;
        fo.log_payload = (void *)(uintptr_t)opts;
    }
    if (src.token_env.ptr) {
        token = getenv(src.token_env.ptr);
        if (token && !token[0])
            token = NULL;
        fo.bearer_token = token;
        if (token && opts->warn && clb__fetch_url_is_plain_remote(src.url.ptr)) {
            clb_buf w = CLB_BUF_INIT;
            if (clb__buf_printf(&w, "%s: the bearer token in %s goes over plain http to a "
                                   "host other than loopback, readable on the way; use "
                                   "https", source, src.token_env.ptr) == 0)
                opts->warn(w.ptr, opts->payload);
            clb_buf_dispose(&w);
        }
        if (!token && opts->log)
            opts->log("no bearer token: the variable named by the source is not set",
                      opts->payload);
    }

    /* phase 1: fetch the pages one at a time; each is parsed, its records extracted
     * as compact texts into the batch (employers and JobPostings validated at once,
     * native vacancies once every page is in), and its document freed before the
     * next is requested. Memory holds one page and the accepted records, never the
     * documents of every page. */
    b.defer = true;
    if (opts->deadline_secs > 0)
        fo.deadline = t0 + opts->deadline_secs;
    if (clb__buf_puts(&url, src.url.ptr) < 0) {
        error = oom(err);
        goto done;
    }
    for (int n = 1;; n++) {
        clb_error perr;
        const char *next = NULL;
        clb_buf next_abs = CLB_BUF_INIT;
        clb_json *root = NULL;
        clb_offers_format format;
        size_t values = 0, depth = 0;
        bool cond = n == 1 && !opts->unconditional;

        clb__buf_clear(&label);
        if (clb__buf_printf(&label, "page %d (%s)", n, url.ptr) < 0 ||
            clb__strtab_intern(&visited, url.ptr) < 0) {
            error = oom(err);
            goto done;
        }
        if (fo.deadline > 0 && clb__now_seconds() >= fo.deadline) {
            error = clb__error_set(err, CLB_ENET,
                                  "%s: the fetch's deadline of %.0f s has passed "
                                  "(see --deadline-secs)", label.ptr, opts->deadline_secs);
            goto done;
        }
        /* the source's byte budget: this page may use what earlier pages left */
        if (opts->max_source_bytes > 0) {
            size_t left = opts->max_source_bytes > total_bytes
                              ? opts->max_source_bytes - total_bytes : 0;
            fo.max_bytes = left < opts->max_bytes ? left : opts->max_bytes;
            if (fo.max_bytes == 0) {
                error = clb__error_set(err, CLB_ENET,
                                      "%s: the source's pages reached %zu bytes (the cap "
                                      "per source; see --max-source-bytes)", label.ptr,
                                      opts->max_source_bytes);
                goto done;
            }
        }
        error = clb__fetch_get(&resp, url.ptr, cond ? src.etag.ptr : NULL,
                              cond ? src.last_modified.ptr : NULL, &fo, err);
        rep->http_status = (int)resp.status;
        if (error < 0) {
            if (err && fo.deadline > 0 &&
                (resp.deadline_hit || clb__now_seconds() >= fo.deadline)) {
                snprintf(err->message, sizeof(err->message),
                         "%s: the fetch's deadline of %.0f s has passed (see "
                         "--deadline-secs)", url.ptr, opts->deadline_secs);
            } else if (err && fo.max_bytes < opts->max_bytes && resp.too_big) {
                snprintf(err->message, sizeof(err->message),
                         "%s: the source's pages reached %zu bytes (the cap per source; "
                         "see --max-source-bytes)", url.ptr, opts->max_source_bytes);
            }
            if (err && (resp.status == 401 || resp.status == 403) && src.token_env.ptr &&
                !token) {
                size_t len = strlen(err->message);
                snprintf(err->message + len, sizeof(err->message) - len,
                         "; the variable %s is not set", src.token_env.ptr);
            }
            if (err) {
                char pre[32];
                size_t k = (size_t)snprintf(pre, sizeof(pre), "page %d: ", n);
                size_t len = strlen(err->message);
                if (len + k >= sizeof(err->message))
                    len = sizeof(err->message) - k - 1;
                memmove(err->message + k, err->message, len);
                memcpy(err->message, pre, k);
                err->message[k + len] = '\0';
            }
            goto done;
        }
        rep->pages = n;
        total_bytes += resp.body.size;
        if (resp.status == 304) {
            if (n == 1) {
                rep->status = "unchanged";
                rep->pages = 0;
                goto done;
            }
            error = clb__error_set(err, CLB_ENET, "%s: unexpected status 304", label.ptr);
            goto done;
        }
        if (n == 1) {
            etag = resp.etag;
            lm = resp.last_modified;
            resp.etag = resp.last_modified = NULL;
        }
        /* what parsing would build, counted without building it */
        if (clb__json_measure(&values, &depth, resp.body.ptr ? resp.body.ptr : "",
                             resp.body.size) &&
            ((opts->max_page_values > 0 && values > opts->max_page_values) ||
             (opts->max_depth > 0 && depth > opts->max_depth))) {
            error = clb__error_set(err, CLB_EINVAL,
                                  values > opts->max_page_values
                                      ? "%s: %zu json values on one page, more than the "
                                        "%zu allowed (see --max-page-values)"
                                      : "%s: json nested %zu levels deep, more than the "
                                        "%zu allowed",
                                  label.ptr,
                                  values > opts->max_page_values ? values : depth,
                                  values > opts->max_page_values ? opts->max_page_values
                                                                 : opts->max_depth);
            goto done;
        }
        clb_error_init(&perr);
        if ((error = clb__json_load_buffer(&root, resp.body.ptr ? resp.body.ptr : "",
                                          resp.body.size, NULL, &perr)) < 0) {
            error = clb__error_set(err, error, "%s: %s", label.ptr, perr.message);
            goto done;
        }
        clb_buf_dispose(&resp.body); /* the page's text is no longer needed */
        if ((error = page_frame(&format, root, src.format, label.ptr, &next, err)) < 0) {
            clb__json_free(root);
            goto done;
        }
        if (next) {
            error = clb__fetch_resolve(&next_abs, resp.effective_url, next, err);
        } else if (resp.link_next && clb__buf_puts(&next_abs, resp.link_next) < 0) {
            error = oom(err);
        }
        if (error == 0) {
            char *page_label = arena_printf(&b, "%s", label.ptr);
            if (!page_label)
                error = oom(err);
            else if (format == CLB_OFFERS_NATIVE) {
                if (clb__maps_apply(root, b.maps) < 0)
                    b.oom = 1;
                native_employers(&b, root, page_label);
                native_vacancies(&b, root, page_label);
            } else {
                error = jp_page(&b, root, page_label, err);
            }
            if (error == 0 && b.oom)
                error = oom(err);
        }
        clb__json_free(root);
        if (error < 0) {
            clb_buf_dispose(&next_abs);
            goto done;
        }
        if (!next_abs.ptr)
            break;
        if (clb__fetch_url_has_credentials(next_abs.ptr)) {
            error = clb__error_set(err, CLB_EINVAL,
                                  "%s: the next page's url carries credentials "
                                  "(user:password@): refused", label.ptr);
            clb_buf_dispose(&next_abs);
            goto done;
        }
        if (clb__strtab_lookup(&visited, next_abs.ptr) >= 0) {
            error = clb__error_set(err, CLB_EINVAL,
                                  "%s: pagination loop: next page %s was fetched already",
                                  label.ptr, next_abs.ptr);
            clb_buf_dispose(&next_abs);
            goto done;
        }
        if (n >= opts->max_pages) {
            error = clb__error_set(err, CLB_EINVAL,
                                  "%s: more than %d pages (the page cap; see --max-pages)",
                                  label.ptr, opts->max_pages);
            clb_buf_dispose(&next_abs);
            goto done;
        }
        clb__buf_clear(&url);
        error = clb__buf_puts(&url, next_abs.ptr);
        clb_buf_dispose(&next_abs);
        if (error < 0) {
            error = oom(err);
            goto done;
        }
    }

    /* phase 2: the native vacancies, now that every page's employers are known */
    flush_pending(&b);
    problems_tail(&b);
    if (problems && put_unmapped(problems, &b, source) < 0)
        b.oom = 1;
    if (b.oom) {
        error = oom(err);
        goto done;
    }
    rep->rejected = b.rejected;
    if (opts->strict && b.rejected > 0) {
        rep->status = "rejected";
        error = clb__error_set(err, CLB_EINVAL,
                              "%d invalid offer%s and --strict: nothing was stored",
                              b.rejected, b.rejected == 1 ? "" : "s");
        goto done;
    }

    /* phase 3: one transaction */
    if ((error = clb_store_begin(store, err)) < 0)
        goto done;
    in_tx = true;
    if ((error = write_batch(rep, &b, err)) < 0)
        goto done;
    if ((error = clb_store_source_set_validators(store, source, etag, lm, err)) < 0)
        goto done;
    rep->status = "ok";
    rep->seconds = clb__now_seconds() - t0;
    {
        clb_buf msg = CLB_BUF_INIT;
        if (put_unmapped(&msg, &b, NULL) < 0) {
            error = oom(err);
            goto done;
        }
        error = log_row(store, rep, started,
                        msg.ptr ? msg.ptr : b.rejected ? "some offers were rejected" : NULL,
                        err);
        clb_buf_dispose(&msg);
        if (error < 0)
            goto done;
    }
    logged = true;
    if ((error = clb_store_commit(store, err)) < 0) {
        logged = false;
        goto done;
    }
    in_tx = false;
done:
    if (in_tx) {
        clb_store_rollback(store);
        if (error < 0) {
            rep->added = rep->updated = rep->withdrawn = rep->employers = 0;
            if (strcmp(rep->status, "ok") == 0)
                rep->status = "failed";
        }
    }
    if (error < 0 && strcmp(rep->status, "rejected") != 0)
        rep->status = "failed";
    rep->seconds = clb__now_seconds() - t0;
    if (!logged) {
        /* a failed fetch still leaves its row; its message is the error, which names
         * URLs and statuses but never the token */
        clb_error lerr;
        clb_error_init(&lerr);
        log_row(store, rep, started, error < 0 && err ? err->message : NULL, &lerr);
    }
done_nolog:
    if (error == 0 && b.oom)
        error = oom(err);
    clb__free(etag);
    clb__free(lm);
    batch_dispose(&b);
    clb__maps_dispose(&maps);
    clb__fetch_response_dispose(&resp);
    clb__strtab_dispose(&visited);
    clb_buf_dispose(&url);
    clb_buf_dispose(&label);
    clb_buf_dispose(&src.url);
    clb_buf_dispose(&src.etag);
    clb_buf_dispose(&src.last_modified);
    clb_buf_dispose(&src.token_env);
    clb_buf_dispose(&src.employer);
    return error;
}

/* ---- parsing without a database, submitting files ------------------------------- */

int clb_offers_parse_buffer(size_t *n_employers, size_t *n_vacancies, const char *body,
                            size_t len, clb_offers_format format, const char *source,
                            clb_buf *next, clb_buf *problems, clb_error *err)
{
    clb_json *root = NULL;
    batch b;
    pages p = {NULL, 0, 0};
    page pg;
    const char *nx = NULL;
    int error;

    *n_employers = *n_vacancies = 0;
    batch_init(&b);
    b.source = source ? source : "input";
    b.problems = problems;
    if ((error = clb__json_load_buffer(&root, body, len, source, err)) < 0)
        goto done;
    pg.root = root;
    pg.label = (char *)"page 1";
    if ((error = page_frame(&pg.format, root, format, pg.label, &nx, err)) < 0)
        goto done;
    if (nx && next && clb__buf_puts(next, nx) < 0) {
        error = oom(err);
        goto done;
    }
    p.v = &pg;
    p.n = 1;
    if ((error = validate_pages(&b, &p, err)) < 0)
        goto done;
    *n_employers = b.emps.n;
    *n_vacancies = b.vacs.n;
done:
    clb__json_free(root);
    batch_dispose(&b);
    return error;
}

int clb_offers_submit_file(clb_offers_report *rep, clb_store *store, const char *path,
                           clb_buf *problems, clb_error *err)
{
    clb_buf body = CLB_BUF_INIT;
    clb__offers_submit_opts o = {0};
    int error;
    o.label = path;
    if ((error = clb__file_read_all(&body, path, err)) < 0) {
        memset(rep, 0, sizeof(*rep));
        snprintf(rep->source, sizeof(rep->source), "%s", path);
        rep->status = "failed";
        clb_buf_dispose(&body);
        return error;
    }
    error = clb__offers_submit_buffer(rep, store, body.ptr ? body.ptr : "", body.size, &o,
                                      problems, err);
    clb_buf_dispose(&body);
    return error;
}

int clb__offers_submit_buffer(clb_offers_report *rep, clb_store *store, const char *text,
                              size_t len, const clb__offers_submit_opts *o,
                              clb_buf *problems, clb_error *err)
{
    clb_json *root = NULL;
    batch b;
    const char *label = "", *path = o->label ? o->label : "input";
    int error;
    bool in_tx = false;
    double t0 = clb__now_seconds();

    memset(rep, 0, sizeof(*rep));
    snprintf(rep->source, sizeof(rep->source), "%s", path);
    rep->status = "failed";
    batch_init(&b);
    b.source = path;
    b.owner = NULL;
    b.store = store;
    b.problems = problems;
    b.diags = o->diags;
    b.default_employer = o->employer;
    b.replace = o->replace;
    if ((error = clb__json_load_buffer(&root, text, len, path, err)) < 0)
        goto done;
    if (store) {
        /* the agency's mapping tables: region and occupation texts, organisation names */
        clb__maps maps;
        if ((error = clb__store_maps_load(&maps, store, err)) < 0)
            goto done;
        error = clb__maps_apply(root, &maps);
        clb__maps_dispose(&maps);
        if (error < 0) {
            error = oom(err);
            goto done;
        }
    }
    rep->pages = 1;
    if (clb_json_is_object(root) && clb__json_object_get(root, "format")) {
        const char *nx = NULL;
        clb_offers_format f;
        if ((error = page_frame(&f, root, CLB_OFFERS_NATIVE, label, &nx, err)) < 0)
            goto done;
        /* an employer's own submission never changes employer records (the agency's) */
        if (!o->employer)
            native_employers(&b, root, label);
        native_vacancies(&b, root, label);
    } else if (clb_json_is_object(root)) {
        /* one vacancy: validate it as an array of one, paths as $ */
        clb_buf wrapped = CLB_BUF_INIT;
        clb_json *arr = NULL;
        if (clb__buf_puts(&wrapped, "[") < 0 || put_json(&wrapped, root, NULL) < 0 ||
            clb__buf_puts(&wrapped, "]") < 0 ||
            clb__json_load_buffer(&arr, wrapped.ptr, wrapped.size, path, err) < 0) {
            clb_buf_dispose(&wrapped);
            error = oom(err);
            goto done;
        }
        b.single_root = true;
        native_vacancies(&b, arr, label);
        clb__json_free(arr);
        clb_buf_dispose(&wrapped);
    } else if (clb_json_is_array(root)) {
        native_vacancies(&b, root, label);
    } else {
        error = clb__error_set(err, CLB_EINVAL,
                              "%s: expected a %s document, a vacancy or an array of "
                              "vacancies, got %s", path, OFFERS_FORMAT,
                              clb__json_type_name(root));
        goto done;
    }
    if (b.oom) {
        error = oom(err);
        goto done;
    }
    rep->rejected = b.rejected;
    if (b.rejected > 0 || b.problem_lines > 0) {
        rep->status = "rejected";
        error = clb__error_set(err, CLB_EINVAL, "%s: %d invalid record%s: nothing was stored",
                              path, b.rejected, b.rejected == 1 ? "" : "s");
        goto done;
    }
    if (b.vacs.n == 0 && b.emps.n == 0) {
        error = clb__error_set(err, CLB_EINVAL, "%s: no vacancies", path);
        goto done;
    }
    if ((error = clb_store_begin(store, err)) < 0)
        goto done;
    in_tx = true;
    if ((error = write_batch(rep, &b, err)) < 0)
        goto done;
    if (o->before_commit || o->ids) {
        const char **ids = clb__calloc(b.vacs.n + 1, sizeof(*ids));
        if (!ids) {
            error = oom(err);
            goto done;
        }
        for (size_t i = 0; i < b.vacs.n; i++) {
            ids[i] = clb__strtab_get(&b.vac_ids, (int32_t)i);
            if (o->ids && clb__buf_printf(o->ids, "%s\n", ids[i]) < 0)
                error = oom(err);
        }
        if (error == 0 && o->before_commit)
            error = o->before_commit(store, ids, b.vacs.n, o->payload, err);
        clb__free(ids);
        if (error < 0)
            goto done;
    }
    if ((error = clb_store_commit(store, err)) < 0)
        goto done;
    in_tx = false;
    rep->status = "ok";
done:
    if (in_tx) {
        clb_store_rollback(store);
        rep->added = rep->updated = rep->withdrawn = rep->employers = 0;
        if (o->ids)
            clb__buf_clear(o->ids);
    }
    rep->seconds = clb__now_seconds() - t0;
    clb__json_free(root);
    batch_dispose(&b);
    return error;
}
