/*
 * validate.c - the batch of accepted records of a fetch or submission, and the
 * validation of one record (docs/FORMATS.md §5).
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
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "offers/batch.h"
#include "scenario/diags.h"
#include "scenario/scenario_impl.h"
#include "store/portal.h"
#include "util/alloc.h"

/* At most this many problem lines are written; the rest are counted. */
#define MAX_PROBLEM_LINES 1000

/* Serialise a JSON value back to compact text. `skip` (may be NULL) names a member
 * of the top object to leave out. */
int clb__offers_put_json(clb_buf *out, const clb_json *v, const char *skip)
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
                rc = clb__offers_put_json(out, clb__json_array_get(v, i), NULL);
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
                rc = clb__offers_put_json(out, val, NULL);
        }
        return rc ? rc : clb__buf_puts(out, "}");
    }
    }
    return 0;
}

/* Record that one offer was rejected because `value` of `kind` has no mapping. */
void clb__offers_note_unmapped(batch *b, clb_map_kind kind, const char *value)
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
    b->unmapped[b->n_unmapped].value = clb__offers_arena_printf(b, "%s", value);
    b->unmapped[b->n_unmapped].offers = 1;
    if (!b->unmapped[b->n_unmapped].value)
        b->oom = 1;
    else
        b->n_unmapped++;
}

void clb__offers_unmapped_at(batch *b, const char *where, clb_map_kind kind,
                             const char *value, bool count)
{
    static const char *const USE[] = {"a NUTS code such as ES615",
                                      "an ISCO-08 code such as isco:9211",
                                      "the employer's id"};
    if (count)
        clb__offers_note_unmapped(b, kind, value);
    if (b->diags && clb__diags_add(b->diags, b->source, where ? where : "$", "mapping", 0, 0,
                                   "%s '%s' has no mapping: give %s, or ask the agency "
                                   "to map the text", clb_map_kind_name(kind), value,
                                   USE[(unsigned)kind < 3 ? kind : 2]) < 0)
        b->oom = 1;
}

/* The grouped report of unmapped values ("3 offers: region 'Sevilla' has no mapping"),
 * one line each with `prefix`, or joined by "; " when prefix is NULL. */
int clb__offers_put_unmapped(clb_buf *out, const batch *b, const char *prefix)
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

void clb__offers_batch_init(batch *b)
{
    memset(b, 0, sizeof(*b));
    clb__arena_init(&b->arena);
    clb__strtab_init(&b->emp_ids);
    clb__strtab_init(&b->vac_ids);
    clb__strtab_init(&b->db_ids);
    clb__strtab_init(&b->owned_ids);
    clb__strtab_init(&b->doc_emps);
}

void clb__offers_batch_dispose(batch *b)
{
    clb__arena_dispose(&b->arena);
    clb__strtab_dispose(&b->emp_ids);
    clb__strtab_dispose(&b->vac_ids);
    clb__strtab_dispose(&b->db_ids);
    clb__strtab_dispose(&b->owned_ids);
    clb__strtab_dispose(&b->doc_emps);
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

/* Intern `id` in ids and append its record to vec: the text as sent, the text
 * merged over the stored record (NULL: the same) and where it was found. NULL, with
 * b->oom set, when out of memory. */
static rec *accept_record(batch *b, clb_strtab *ids, rec_vec *vec, const char *id,
                          const char *text, const char *merged, char *where)
{
    int32_t k = clb__strtab_intern(ids, id);
    rec *r;
    if (k < 0 || (size_t)k != vec->n || !(r = vec_push(vec))) {
        b->oom = 1;
        return NULL;
    }
    r->id = clb__arena_strdup(&b->arena, id);
    r->raw = clb__arena_strdup(&b->arena, text);
    r->text = merged ? clb__arena_strdup(&b->arena, merged) : r->raw;
    r->where = where;
    if (!r->text || !r->raw || !r->id)
        b->oom = 1;
    return r;
}

/* Report one problem line "SOURCE: page N: PATH: MESSAGE" (where = "page N: PATH"). */
void clb__offers_problem(batch *b, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void clb__offers_problem(batch *b, const char *where, const char *fmt, ...)
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
void clb__offers_problems_tail(batch *b)
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
        if (clb__offers_put_json(&one, e, NULL) < 0 ||
            (k = clb__strtab_intern(&b->db_ids, id)) < 0 || (size_t)k != b->db_emps.n ||
            !(r = vec_push(&b->db_emps)) ||
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
bool clb__offers_db_has_vacancy(batch *b, const char *id, const char **src)
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
        rc = clb__offers_put_json(out, base, NULL);
done:
    clb__json_free(base);
    clb__json_free(over);
    return rc < 0 ? CLB_ENOMEM : 0;
}

/* The stored record of an employer or vacancy into out (cleared); false if none. */
bool clb__offers_stored_record(batch *b, clb_buf *out, clb_record_kind kind,
                               const char *id)
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
int clb__offers_merge_stored(batch *b, clb_buf *out, clb_record_kind kind, const char *id,
                             const char *incoming)
{
    clb_buf stored = CLB_BUF_INIT;
    int rc = merge_record(
        out, clb__offers_stored_record(b, &stored, kind, id) ? stored.ptr : NULL,
        incoming, kind == CLB_RECORD_EMPLOYER);
    clb_buf_dispose(&stored);
    return rc;
}

/* ---- validating one record ------------------------------------------------------ */

/* How the synthetic document's paths map back to the page. */
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
int clb__offers_check_records(batch *b, const char *emp, const char *vac,
                              const char *page, const path_map *m)
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
        clb__offers_problem(b, where.ptr ? where.ptr : page, "%s", d->message);
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

char *clb__offers_arena_printf(batch *b, const char *fmt, ...)
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
char *clb__offers_at(batch *b, const char *page, const char *path)
{
    if (!page || !page[0])
        return clb__offers_arena_printf(b, "%s", path);
    return clb__offers_arena_printf(b, "%s: %s", page, path);
}

/* As clb__offers_at(), for the path base + suffix. */
char *clb__offers_at2(batch *b, const char *page, const char *base, const char *suffix)
{
    clb_buf tmp = CLB_BUF_INIT;
    char *s = NULL;
    if (clb__buf_puts(&tmp, base) == 0 && clb__buf_puts(&tmp, suffix) == 0)
        s = clb__offers_at(b, page, tmp.ptr);
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
void clb__offers_add_employer(batch *b, const char *id, const char *text,
                              const char *page, const path_map *m, bool lenient)
{
    clb_buf merged = CLB_BUF_INIT;
    int32_t k;
    if (id && (k = clb__strtab_lookup(&b->emp_ids, id)) >= 0) {
        if (!lenient && strcmp(b->emps.v[k].raw, text) != 0) {
            clb__offers_problem(b, clb__offers_at(b, page, m->emp_path),
                                "employer '%s' differs from its record at %s", id,
                                b->emps.v[k].where);
            b->rejected++;
        }
        return;
    }
    /* validated as it will be stored: merged over the database's record */
    if (id && clb__offers_merge_stored(b, &merged, CLB_RECORD_EMPLOYER, id, text) < 0) {
        b->oom = 1;
        goto done;
    }
    if (clb__offers_check_records(b, merged.ptr ? merged.ptr : text, NULL, page, m) > 0) {
        b->rejected++;
        goto done;
    }
    accept_record(b, &b->emp_ids, &b->emps, id, text, merged.ptr,
                  clb__offers_at(b, page, m->emp_path));
done:
    clb_buf_dispose(&merged);
}

/* The employer record text for vacancy validation: the feed's, else the database's. */
const char *clb__offers_employer_text(batch *b, const char *id)
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
void clb__offers_add_vacancy(batch *b, const char *id, const char *emp, const char *text,
                             bool withdrawn, const char *page, const path_map *m)
{
    const char *where = clb__offers_at(b, page, m->vac_path);
    const char *src = NULL;
    clb_buf merged = CLB_BUF_INIT;
    bool stored;
    int32_t k;
    rec *r;
    if (!where)
        return;
    if ((k = clb__strtab_lookup(&b->vac_ids, id)) >= 0) {
        clb__offers_problem(b, where, "duplicate offer id '%s' (first at %s)", id,
                            b->vacs.v[k].where);
        b->rejected++;
        return;
    }
    stored = clb__offers_db_has_vacancy(b, id, &src);
    if (stored && !(src == b->owner || (src && b->owner && strcmp(src, b->owner) == 0))) {
        if (src)
            clb__offers_problem(b, where, "offer id '%s' belongs to source '%s'", id,
                                src);
        else
            clb__offers_problem(
                b, where,
                "offer id '%s' belongs to a vacancy that was imported or submitted, "
                "not fetched from this source",
                id);
        b->rejected++;
        return;
    }
    if (stored && !b->replace &&
        clb__offers_merge_stored(b, &merged, CLB_RECORD_VACANCY, id, text) < 0) {
        b->oom = 1;
        goto done;
    }
    if (merged.ptr) {
        /* the merged record may name the employer the source left out */
        clb_json *mv = NULL;
        if (clb__json_load_buffer(&mv, merged.ptr, merged.size, NULL, NULL) == 0) {
            const char *e = clb__json_string(clb__json_object_get(mv, "employer"));
            if (e)
                emp = clb__offers_arena_printf(b, "%s", e);
        }
        clb__json_free(mv);
    }
    if (clb__offers_check_records(b, clb__offers_employer_text(b, emp),
                                  merged.ptr ? merged.ptr : text, page, m) > 0) {
        b->rejected++;
        goto done;
    }
    if (!(r = accept_record(b, &b->vac_ids, &b->vacs, id, text, merged.ptr,
                            (char *)where)))
        goto done;
    r->withdrawn = withdrawn;
    r->employer = emp ? clb__strtab_lookup(&b->emp_ids, emp) : -1;
done:
    clb_buf_dispose(&merged);
}
