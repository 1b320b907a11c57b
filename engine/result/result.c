/*
 * result.c - the result of a solve: recomputed values, counts, reserve lists, and
 * the circulab-result/1 document (docs/FORMATS.md §4).
 *
 * Everything is recomputed from the chosen placements, sessions and programmes with
 * the formulas of docs/MODEL.md §3.7, and the document is written by hand with a fixed
 * key order and number format so that equal inputs give byte-identical output.
 */
#include "result/result_impl.h"
#include "util/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* At most this many reserve workers per vacancy, or the headcount when larger. */
#define RESERVE_MIN_LEN 10

struct clb_result {
    const clb_scenario *s;
    clb_status status;
    double objective, bound, gap;
    clb_result_stats stats;
    clb_plan_item *pl;  size_t n_pl;
    double *pl_value;
    clb_plan_item *tr;  size_t n_tr;
    clb_plan_item *re;  size_t n_re;
    clb_conflict_rec *cf; size_t n_cf;
    char **cf_text;
    int *filled;        /* per vacancy */
    long *q_count;      /* per quota */
    int *ses_load;      /* per session */
    int *prog_load;     /* per programme */
    uint32_t *res_first; /* per vacancy + 1 */
    uint32_t *res_w;
};

const char *clb_status_name(clb_status status)
{
    switch (status) {
    case CLB_STATUS_OPTIMAL: return "optimal";
    case CLB_STATUS_TIME_LIMIT: return "time_limit";
    case CLB_STATUS_GAP_LIMIT: return "gap_limit";
    case CLB_STATUS_INFEASIBLE: return "infeasible";
    }
    return "unknown";
}

void clb_result_free(clb_result *r)
{
    if (!r)
        return;
    clb__free(r->pl);
    clb__free(r->pl_value);
    clb__free(r->tr);
    clb__free(r->re);
    clb__free(r->cf);
    if (r->cf_text)
        for (size_t i = 0; i < r->n_cf; i++)
            clb__free(r->cf_text[i]);
    clb__free(r->cf_text);
    clb__free(r->filled);
    clb__free(r->q_count);
    clb__free(r->ses_load);
    clb__free(r->prog_load);
    clb__free(r->res_first);
    clb__free(r->res_w);
    clb__free(r);
}

/*
 * The plan's lists are sorted by ids, which the items only index: each item is sorted
 * with pointers to its two ids carried along (qsort has no context argument in C11,
 * and a file-level variable would be shared by solves running in parallel threads).
 * Placements by (vacancy id, worker id), training by (worker id, session id),
 * enrolments by (worker id, programme id); ids are unique, so there are no ties.
 */
typedef struct keyed_item {
    const char *first, *second;
    clb_plan_item item;
} keyed_item;

typedef enum { BY_VACANCY_WORKER, BY_WORKER_SESSION, BY_WORKER_PROGRAMME } item_order;

static int cmp_keyed_item(const void *a, const void *b)
{
    const keyed_item *x = a, *y = b;
    int c = strcmp(x->first, y->first);
    return c ? c : strcmp(x->second, y->second);
}

/* Sort items[0..n) in `order`, through tmp (room for n). */
static void sort_items(clb_plan_item *items, size_t n, item_order order,
                       const clb_scenario *s, keyed_item *tmp)
{
    for (size_t i = 0; i < n; i++) {
        const clb_plan_item *it = &items[i];
        const char *wid = s->workers[it->worker].id;
        tmp[i].item = *it;
        switch (order) {
        case BY_VACANCY_WORKER:
            tmp[i].first = s->vacancies[it->other].id;
            tmp[i].second = wid;
            break;
        case BY_WORKER_SESSION:
            tmp[i].first = wid;
            tmp[i].second = s->sessions[it->other].id;
            break;
        case BY_WORKER_PROGRAMME:
            tmp[i].first = wid;
            tmp[i].second = s->programmes[it->other].id;
            break;
        }
    }
    qsort(tmp, n, sizeof(*tmp), cmp_keyed_item);
    for (size_t i = 0; i < n; i++)
        items[i] = tmp[i].item;
}

/* A reserve candidate, with its worker's id carried along for the same reason. */
typedef struct ranked {
    uint32_t worker;
    double value;
    const char *id;
} ranked;

/* Best value first, then worker id (no ties: a vacancy's candidates are distinct). */
static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->value != y->value)
        return x->value > y->value ? -1 : 1;
    return strcmp(x->id, y->id);
}

static void *dup_items(const void *src, size_t n, size_t size)
{
    void *p = clb__malloc(n ? n * size : 1);
    if (p && n)
        memcpy(p, src, n * size);
    return p;
}

static int build_reserve(clb_result *r, const clb_pairs *pairs, const bool *placed)
{
    const clb_scenario *s = r->s;
    size_t nv = s->n_vacancies;
    uint32_t *cnt = clb__calloc(nv + 1, sizeof(uint32_t));
    ranked *buf = NULL;
    size_t buf_cap = 0, total = 0;
    int error = 0;

    r->res_first = clb__calloc(nv + 1, sizeof(uint32_t));
    if (!cnt || !r->res_first) {
        error = CLB_ENOMEM;
        goto done;
    }
    /* candidates per vacancy: unplaced workers eligible for it */
    for (uint32_t w = 0; w < s->n_workers; w++)
        if (!placed[w])
            for (size_t p = pairs->first[w]; p < pairs->first[w + 1]; p++)
                cnt[pairs->vac[p]]++;
    for (size_t v = 0; v < nv; v++) {
        size_t cap = (size_t)s->vacancies[v].headcount;
        if (cap < RESERVE_MIN_LEN)
            cap = RESERVE_MIN_LEN;
        total += cnt[v] < cap ? cnt[v] : cap;
    }
    r->res_w = clb__malloc((total ? total : 1) * sizeof(uint32_t));
    if (!r->res_w) {
        error = CLB_ENOMEM;
        goto done;
    }
    /* gather per vacancy through a CSR of candidates */
    {
        uint32_t *first = clb__calloc(nv + 1, sizeof(uint32_t));
        uint32_t *cand = NULL;
        size_t ncand = 0;
        if (!first) {
            error = CLB_ENOMEM;
            goto done;
        }
        for (size_t v = 0; v < nv; v++)
            first[v + 1] = first[v] + cnt[v];
        ncand = first[nv];
        cand = clb__malloc((ncand ? ncand : 1) * sizeof(uint32_t));
        if (!cand) {
            clb__free(first);
            error = CLB_ENOMEM;
            goto done;
        }
        memset(cnt, 0, (nv + 1) * sizeof(uint32_t));
        for (uint32_t w = 0; w < s->n_workers; w++)
            if (!placed[w])
                for (size_t p = pairs->first[w]; p < pairs->first[w + 1]; p++) {
                    uint32_t v = pairs->vac[p];
                    cand[first[v] + cnt[v]++] = w;
                }
        size_t out = 0;
        for (size_t v = 0; v < nv && error == 0; v++) {
            size_t n = first[v + 1] - first[v];
            size_t cap = (size_t)s->vacancies[v].headcount;
            if (cap < RESERVE_MIN_LEN)
                cap = RESERVE_MIN_LEN;
            r->res_first[v] = (uint32_t)out;
            if (n > buf_cap) {
                ranked *nb = clb__realloc(buf, n * sizeof(*nb));
                if (!nb) {
                    error = CLB_ENOMEM;
                    break;
                }
                buf = nb;
                buf_cap = n;
            }
            for (size_t k = 0; k < n; k++) {
                buf[k].worker = cand[first[v] + k];
                buf[k].value = clb__placement_value(s, buf[k].worker, (uint32_t)v);
                buf[k].id = s->workers[buf[k].worker].id;
            }
            if (n > 1)
                qsort(buf, n, sizeof(*buf), cmp_ranked);
            for (size_t k = 0; k < n && k < cap; k++)
                r->res_w[out++] = buf[k].worker;
        }
        r->res_first[nv] = (uint32_t)out;
        clb__free(first);
        clb__free(cand);
    }
done:
    clb__free(cnt);
    clb__free(buf);
    return error;
}

static int describe_conflicts(clb_result *r)
{
    const clb_scenario *s = r->s;
    r->cf_text = clb__calloc(r->n_cf ? r->n_cf : 1, sizeof(char *));
    if (!r->cf_text)
        return CLB_ENOMEM;
    for (size_t i = 0; i < r->n_cf; i++) {
        const clb_conflict_rec *c = &r->cf[i];
        clb_buf b = CLB_BUF_INIT;
        int rc = clb__buf_printf(&b, "confirmed placement (%s, %s) is no longer eligible (",
                                s->workers[c->worker].id, s->vacancies[c->vacancy].id);
        bool first = true;
        if (c->withdrawn) {
            rc |= clb__buf_puts(&b, "withdrawn");
            first = false;
        }
        for (unsigned k = 0; k < CLB_RULE_COUNT; k++)
            if (c->rules & (1u << k)) {
                rc |= clb__buf_printf(&b, "%s%s", first ? "" : ", ", clb_rule_name(1u << k));
                first = false;
            }
        rc |= clb__buf_puts(&b, ")");
        if (rc) {
            clb_buf_dispose(&b);
            return CLB_ENOMEM;
        }
        r->cf_text[i] = b.ptr;
    }
    return 0;
}

int clb__result_new(clb_result **out, const clb_scenario *s, const clb_pairs *pairs,
                   const clb_plan *plan, clb_error *err)
{
    clb_result *r = clb__calloc(1, sizeof(*r));
    bool *placed = NULL;
    keyed_item *keyed = NULL;
    size_t n_keyed;
    int error = 0;
    const clb_weights *wt = &s->policy.weights;

    *out = NULL;
    if (!r)
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    r->s = s;
    r->status = plan->status;
    r->stats = plan->stats;
    r->n_pl = plan->n_placements;
    r->n_tr = plan->n_training;
    r->n_re = plan->n_enrolments;
    r->n_cf = plan->n_conflicts;
    r->pl = dup_items(plan->placements, r->n_pl, sizeof(clb_plan_item));
    r->tr = dup_items(plan->training, r->n_tr, sizeof(clb_plan_item));
    r->re = dup_items(plan->enrolments, r->n_re, sizeof(clb_plan_item));
    r->cf = dup_items(plan->conflicts, r->n_cf, sizeof(clb_conflict_rec));
    r->pl_value = clb__malloc((r->n_pl ? r->n_pl : 1) * sizeof(double));
    r->filled = clb__calloc(s->n_vacancies + 1, sizeof(int));
    r->q_count = clb__calloc(s->n_quotas + 1, sizeof(long));
    r->ses_load = clb__calloc(s->n_sessions + 1, sizeof(int));
    r->prog_load = clb__calloc(s->n_programmes + 1, sizeof(int));
    placed = clb__calloc(s->n_workers + 1, sizeof(bool));
    n_keyed = r->n_pl > r->n_tr ? r->n_pl : r->n_tr;
    if (r->n_re > n_keyed)
        n_keyed = r->n_re;
    keyed = clb__malloc((n_keyed ? n_keyed : 1) * sizeof(*keyed));
    if (!r->pl || !r->tr || !r->re || !r->cf || !r->pl_value || !r->filled ||
        !r->q_count || !r->ses_load || !r->prog_load || !placed || !keyed) {
        error = CLB_ENOMEM;
        goto done;
    }
    sort_items(r->pl, r->n_pl, BY_VACANCY_WORKER, s, keyed);
    sort_items(r->tr, r->n_tr, BY_WORKER_SESSION, s, keyed);
    sort_items(r->re, r->n_re, BY_WORKER_PROGRAMME, s, keyed);

    double objective = 0;
    for (size_t i = 0; i < r->n_pl; i++) {
        r->pl_value[i] = clb__placement_value(s, r->pl[i].worker, r->pl[i].other);
        objective += r->pl_value[i];
        r->filled[r->pl[i].other]++;
        placed[r->pl[i].worker] = true;
    }
    for (size_t i = 0; i < r->n_tr; i++) {
        r->ses_load[r->tr[i].other]++;
        objective -= wt->training_cost * s->sessions[r->tr[i].other].cost;
    }
    for (size_t i = 0; i < r->n_re; i++) {
        r->prog_load[r->re[i].other]++;
        if (s->policy.reintegration == CLB_REINT_REWARD)
            objective += wt->reintegration;
    }
    /* quota counts: placements, or distinct workers (placements are sorted by
       vacancy, so mark workers per quota with a stamp array) */
    {
        uint32_t *stamp = clb__calloc(s->n_workers + 1, sizeof(uint32_t));
        if (!stamp) {
            error = CLB_ENOMEM;
            goto done;
        }
        for (size_t q = 0; q < s->n_quotas; q++) {
            const clb_quota_rec *qr = &s->quotas[q];
            long count = 0;
            for (size_t i = 0; i < r->n_pl; i++) {
                uint32_t w = r->pl[i].worker;
                if (!clb__quota_matches(s, qr, w, r->pl[i].other))
                    continue;
                if (qr->unit == CLB_UNIT_PLACEMENTS) {
                    count++;
                } else if (stamp[w] != q + 1) {
                    stamp[w] = (uint32_t)(q + 1);
                    count++;
                }
            }
            r->q_count[q] = count;
            if (qr->has_min && qr->min > count)
                objective -= wt->quota_shortfall * (double)(qr->min - count);
        }
        clb__free(stamp);
    }
    r->objective = objective;
    r->bound = plan->bound;
    if (r->status == CLB_STATUS_OPTIMAL && r->bound < objective)
        r->bound = objective;
    {
        double denom = fabs(objective) > 1.0 ? fabs(objective) : 1.0;
        r->gap = (r->bound - objective) / denom;
        if (r->gap < 0)
            r->gap = 0;
        if (r->status == CLB_STATUS_OPTIMAL && r->gap < 1e-6) {
            /* proven within tolerance: report the plan's own value as the bound */
            r->bound = objective;
            r->gap = 0;
        }
    }
    if ((error = build_reserve(r, pairs, placed)) < 0 || (error = describe_conflicts(r)) < 0)
        goto done;
done:
    clb__free(placed);
    clb__free(keyed);
    if (error < 0) {
        clb_result_free(r);
        return clb__error_set(err, error, "out of memory building the result");
    }
    *out = r;
    return 0;
}

/* ---- accessors ------------------------------------------------------------------- */

clb_status clb_result_status(const clb_result *r) { return r->status; }
double clb_result_objective(const clb_result *r) { return r->objective; }
double clb_result_bound(const clb_result *r) { return r->bound; }
double clb_result_gap(const clb_result *r) { return r->gap; }
void clb_result_get_stats(clb_result_stats *out, const clb_result *r) { *out = r->stats; }

size_t clb_result_placement_count(const clb_result *r) { return r->n_pl; }

void clb_result_placement_get(clb_placement_info *out, const clb_result *r, size_t i)
{
    const clb_scenario *s = r->s;
    const clb_worker_rec *w = &s->workers[r->pl[i].worker];
    const clb_vacancy_rec *v = &s->vacancies[r->pl[i].other];
    out->worker = w->id;
    out->vacancy = v->id;
    out->employer = s->employers[v->employer].id;
    out->site = s->sites[v->site].id;
    out->origin_country = clb_sym(s, w->country);
    out->origin_region = clb_sym(s, w->region);
    out->dest_region = clb_sym(s, clb_vacancy_region(s, v));
    out->sector = clb_sym(s, v->sector);
    clb__date_format(out->start, v->start);
    clb__date_format(out->end, v->end);
    out->value = r->pl_value[i];
    out->returning = clb_worker_is_returning(w);
}

size_t clb_result_training_count(const clb_result *r) { return r->n_tr; }

void clb_result_training_get(clb_training_info *out, const clb_result *r, size_t i)
{
    const clb_session_rec *k = &r->s->sessions[r->tr[i].other];
    out->worker = r->s->workers[r->tr[i].worker].id;
    out->session = k->id;
    out->course = clb_sym(r->s, k->course);
    out->cost = k->cost;
}

size_t clb_result_reintegration_count(const clb_result *r) { return r->n_re; }

void clb_result_reintegration_get(clb_reintegration_info *out, const clb_result *r,
                                  size_t i)
{
    out->worker = r->s->workers[r->re[i].worker].id;
    out->programme = r->s->programmes[r->re[i].other].id;
}

size_t clb_result_vacancy_count(const clb_result *r) { return r->s->n_vacancies; }

void clb_result_vacancy_get(clb_vacancy_fill *out, const clb_result *r, size_t i)
{
    const clb_scenario *s = r->s;
    const clb_vacancy_rec *v = &s->vacancies[i];
    out->id = v->id;
    out->employer = s->employers[v->employer].id;
    out->sector = clb_sym(s, v->sector);
    out->dest_region = clb_sym(s, clb_vacancy_region(s, v));
    out->headcount = v->headcount;
    out->filled = r->filled[i];
}

size_t clb_result_quota_count(const clb_result *r) { return r->s->n_quotas; }

void clb_result_quota_get(clb_quota_use *out, const clb_result *r, size_t i)
{
    const clb_quota_rec *q = &r->s->quotas[i];
    out->id = q->id;
    out->count = r->q_count[i];
    out->max = q->max;
    out->min = q->has_min ? q->min : 0;
    out->shortfall = q->has_min && q->min > r->q_count[i] ? q->min - r->q_count[i] : 0;
}

size_t clb_result_session_count(const clb_result *r) { return r->s->n_sessions; }

void clb_result_session_get(clb_session_load *out, const clb_result *r, size_t i)
{
    const clb_session_rec *k = &r->s->sessions[i];
    out->id = k->id;
    out->course = clb_sym(r->s, k->course);
    out->capacity = k->capacity;
    out->attendees = r->ses_load[i];
}

size_t clb_result_programme_count(const clb_result *r) { return r->s->n_programmes; }

void clb_result_programme_get(const char **id, int *capacity, int *enrolled,
                              const clb_result *r, size_t i)
{
    *id = r->s->programmes[i].id;
    *capacity = r->s->programmes[i].capacity;
    *enrolled = r->prog_load[i];
}

size_t clb_result_conflict_count(const clb_result *r) { return r->n_cf; }

const char *clb_result_conflict_get(const clb_result *r, size_t i)
{
    return r->cf_text[i];
}

/* ---- the document ---------------------------------------------------------------- */

static int put_kv_str(clb_buf *b, const char *key, const char *val, bool comma)
{
    int rc = clb__buf_printf(b, "%s\"%s\": ", comma ? ", " : "", key);
    return rc ? rc : clb__buf_put_json_string(b, val);
}

static int put_kv_num(clb_buf *b, const char *key, double val, bool comma)
{
    int rc = clb__buf_printf(b, "%s\"%s\": ", comma ? ", " : "", key);
    return rc ? rc : clb__buf_put_json_number(b, val);
}

static int put_kv_int(clb_buf *b, const char *key, long val, bool comma)
{
    return clb__buf_printf(b, "%s\"%s\": %ld", comma ? ", " : "", key, val);
}

/* The plan: placements, training and reintegration, in their sorted order. */
static int put_plan(clb_buf *out, const clb_result *r)
{
    int rc = 0;

    rc |= clb__buf_puts(out, ",\n  \"placements\": [");
    for (size_t i = 0; i < r->n_pl; i++) {
        clb_placement_info p;
        clb_result_placement_get(&p, r, i);
        rc |= clb__buf_puts(out, i ? ",\n    {" : "\n    {");
        rc |= put_kv_str(out, "worker", p.worker, false);
        rc |= put_kv_str(out, "vacancy", p.vacancy, true);
        rc |= put_kv_str(out, "employer", p.employer, true);
        rc |= put_kv_str(out, "site", p.site, true);
        rc |= put_kv_str(out, "start", p.start, true);
        rc |= put_kv_str(out, "end", p.end, true);
        rc |= put_kv_num(out, "value", p.value, true);
        rc |= clb__buf_puts(out, "}");
    }
    rc |= clb__buf_puts(out, r->n_pl ? "\n  ]" : "]");

    rc |= clb__buf_puts(out, ",\n  \"training\": [");
    for (size_t i = 0; i < r->n_tr; i++) {
        clb_training_info t;
        clb_result_training_get(&t, r, i);
        rc |= clb__buf_puts(out, i ? ",\n    {" : "\n    {");
        rc |= put_kv_str(out, "worker", t.worker, false);
        rc |= put_kv_str(out, "session", t.session, true);
        rc |= put_kv_str(out, "course", t.course, true);
        rc |= clb__buf_puts(out, "}");
    }
    rc |= clb__buf_puts(out, r->n_tr ? "\n  ]" : "]");

    rc |= clb__buf_puts(out, ",\n  \"reintegration\": [");
    for (size_t i = 0; i < r->n_re; i++) {
        clb_reintegration_info e;
        clb_result_reintegration_get(&e, r, i);
        rc |= clb__buf_puts(out, i ? ",\n    {" : "\n    {");
        rc |= put_kv_str(out, "worker", e.worker, false);
        rc |= put_kv_str(out, "programme", e.programme, true);
        rc |= clb__buf_puts(out, "}");
    }
    rc |= clb__buf_puts(out, r->n_re ? "\n  ]" : "]");
    return rc;
}

/* Per vacancy its fill, per quota its use. */
static int put_counts(clb_buf *out, const clb_result *r)
{
    const clb_scenario *s = r->s;
    int rc = 0;

    rc |= clb__buf_puts(out, ",\n  \"vacancies\": [");
    for (size_t i = 0; i < s->n_vacancies; i++) {
        rc |= clb__buf_puts(out, i ? ",\n    {" : "\n    {");
        rc |= put_kv_str(out, "id", s->vacancies[i].id, false);
        rc |= put_kv_int(out, "headcount", s->vacancies[i].headcount, true);
        rc |= put_kv_int(out, "filled", r->filled[i], true);
        rc |= clb__buf_puts(out, "}");
    }
    rc |= clb__buf_puts(out, s->n_vacancies ? "\n  ]" : "]");

    rc |= clb__buf_puts(out, ",\n  \"quotas\": [");
    for (size_t i = 0; i < s->n_quotas; i++) {
        clb_quota_use q;
        clb_result_quota_get(&q, r, i);
        rc |= clb__buf_puts(out, i ? ",\n    {" : "\n    {");
        rc |= put_kv_str(out, "id", q.id, false);
        rc |= put_kv_int(out, "count", q.count, true);
        if (q.max >= 0)
            rc |= put_kv_int(out, "max", q.max, true);
        else
            rc |= clb__buf_puts(out, ", \"max\": null");
        rc |= put_kv_int(out, "min", q.min, true);
        rc |= put_kv_int(out, "shortfall", q.shortfall, true);
        rc |= clb__buf_puts(out, "}");
    }
    rc |= clb__buf_puts(out, s->n_quotas ? "\n  ]" : "]");
    return rc;
}

/* The reserve lists: vacancies that have one, in scenario order. */
static int put_reserve(clb_buf *out, const clb_result *r)
{
    const clb_scenario *s = r->s;
    int rc = 0;

    rc |= clb__buf_puts(out, ",\n  \"reserve\": [");
    {
        bool any = false;
        for (size_t v = 0; v < s->n_vacancies; v++) {
            uint32_t a = r->res_first[v], b = r->res_first[v + 1];
            if (a == b)
                continue;
            rc |= clb__buf_puts(out, any ? ",\n    {" : "\n    {");
            any = true;
            rc |= put_kv_str(out, "vacancy", s->vacancies[v].id, false);
            rc |= clb__buf_puts(out, ", \"workers\": [");
            for (uint32_t k = a; k < b; k++) {
                if (k > a)
                    rc |= clb__buf_puts(out, ", ");
                rc |= clb__buf_put_json_string(out, s->workers[r->res_w[k]].id);
            }
            rc |= clb__buf_puts(out, "]}");
        }
        rc |= clb__buf_puts(out, any ? "\n  ]" : "]");
    }
    return rc;
}

/* The confirmed `previous` entries that could not be pinned, with the rules they fail. */
static int put_conflicts(clb_buf *out, const clb_result *r)
{
    const clb_scenario *s = r->s;
    int rc = 0;

    rc |= clb__buf_puts(out, ",\n  \"conflicts\": [");
    for (size_t i = 0; i < r->n_cf; i++) {
        const clb_conflict_rec *c = &r->cf[i];
        bool first = true;
        rc |= clb__buf_puts(out, i ? ",\n    {" : "\n    {");
        rc |= put_kv_str(out, "kind", "previous", false);
        rc |= put_kv_str(out, "worker", s->workers[c->worker].id, true);
        rc |= put_kv_str(out, "vacancy", s->vacancies[c->vacancy].id, true);
        rc |= clb__buf_puts(out, ", \"rules\": [");
        if (c->withdrawn) {
            rc |= clb__buf_puts(out, "\"withdrawn\"");
            first = false;
        }
        for (unsigned k = 0; k < CLB_RULE_COUNT; k++)
            if (c->rules & (1u << k)) {
                rc |= clb__buf_printf(out, "%s\"%s\"", first ? "" : ", ",
                                     clb_rule_name(1u << k));
                first = false;
            }
        rc |= clb__buf_puts(out, "]");
        rc |= put_kv_str(out, "message", r->cf_text[i], true);
        rc |= clb__buf_puts(out, "}");
    }
    rc |= clb__buf_puts(out, r->n_cf ? "\n  ]" : "]");
    return rc;
}

/* The solve's statistics; the wall time only with CLB_SAVE_TIMINGS. */
static int put_stats(clb_buf *out, const clb_result *r, unsigned flags)
{
    int rc = 0;

    rc |= clb__buf_puts(out, ",\n  \"stats\": {");
    rc |= put_kv_int(out, "workers", (long)r->stats.workers, false);
    rc |= put_kv_int(out, "vacancies", (long)r->stats.vacancies, true);
    rc |= put_kv_int(out, "eligible_pairs", (long)r->stats.eligible_pairs, true);
    rc |= put_kv_int(out, "rows", (long)r->stats.rows, true);
    rc |= put_kv_int(out, "columns", (long)r->stats.columns, true);
    /* wall time differs between runs: only on request, to keep documents identical */
    rc |= put_kv_num(out, "seconds",
                     (flags & CLB_SAVE_TIMINGS) ? round(r->stats.seconds * 1000) / 1000 : 0.0,
                     true);
    rc |= clb__buf_puts(out, "}\n}\n");
    return rc;
}

int clb_result_save(clb_buf *out, const clb_result *r, unsigned flags, clb_error *err)
{
    const clb_scenario *s = r->s;
    int rc = 0;

    rc |= clb__buf_puts(out, "{\n  \"format\": \"circulab-result/1\",\n  ");
    rc |= put_kv_str(out, "scenario", s->name, false);
    rc |= clb__buf_puts(out, ",\n  ");
    rc |= put_kv_str(out, "status", clb_status_name(r->status), false);
    rc |= clb__buf_puts(out, ",\n  ");
    rc |= put_kv_num(out, "objective", r->objective, false);
    rc |= clb__buf_puts(out, ",\n  ");
    rc |= put_kv_num(out, "bound", r->bound, false);
    rc |= clb__buf_puts(out, ",\n  ");
    rc |= put_kv_num(out, "gap", r->gap, false);
    rc |= put_plan(out, r);
    rc |= put_counts(out, r);
    rc |= put_reserve(out, r);
    rc |= put_conflicts(out, r);
    rc |= put_stats(out, r, flags);
    if (rc)
        return clb__error_set(err, CLB_ENOMEM, "out of memory writing the result");
    return 0;
}
