/*
 * compare.c - the key figures (KPIs) of a solved scenario, the marginal value of one
 * more unit of each binding capacity, and side-by-side comparisons (plan.h).
 *
 * Figures are computed from the scenario and a plan of index pairs (placements,
 * training, enrolments) only, never from a solver's internals, so that a fresh
 * solve and a result document read back from a file agree to the digit. Marginal
 * values are exact by construction: the scenario is re-solved with the one limit
 * raised (no LP duals, which are meaningless at integer optima), then restored.
 *
 * Comparisons are rendered through one intermediate table (section, key, metric, one
 * cell per scenario) so that the text and CSV forms always show the same rows; JSON
 * is written from the figures themselves, with numbers as numbers.
 */
#include "circulab/plan.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/eligibility.h"
#include "io/json.h"
#include "plan/plan_impl.h"
#include "scenario/scenario_impl.h"
#include "util/util.h"
#include "util/alloc.h"

const char *clb_limit_kind_name(clb_limit_kind kind)
{
    switch (kind) {
    case CLB_LIMIT_QUOTA: return "quota";
    case CLB_LIMIT_SITE: return "site";
    case CLB_LIMIT_SESSION: return "session";
    case CLB_LIMIT_PROGRAMME: return "programme";
    }
    return "limit";
}

struct clb_kpis {
    clb_arena arena;
    clb_kpi_summary sum;
    uint32_t *limit_index; /* per limit: index of the record in its scenario array */
    clb_kpi_marginal *marg;
    size_t n_marg;
};

void clb_kpis_free(clb_kpis *k)
{
    if (!k)
        return;
    clb__arena_dispose(&k->arena);
    clb__free(k->limit_index);
    clb__free(k->marg);
    clb__free(k);
}

const clb_kpi_summary *clb_kpis_get(const clb_kpis *k)
{
    return &k->sum;
}

/* ---- grouping ------------------------------------------------------------------ */

/* Rows of a breakdown keyed by a symbol (-1 for "none"), built through an intmap. */
typedef struct grouper {
    clb_intmap map; /* sym + 1 -> row */
    clb_kpi_group *rows;
    size_t n, cap;
} grouper;

static clb_kpi_group *group_row(grouper *g, const clb_scenario *s, int32_t sym)
{
    int32_t at = clb__intmap_get(&g->map, sym + 1);
    if (at >= 0)
        return &g->rows[at];
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 16;
        clb_kpi_group *rows = clb__realloc(g->rows, cap * sizeof(*rows));
        if (!rows)
            return NULL;
        g->rows = rows;
        g->cap = cap;
    }
    if (clb__intmap_put(&g->map, sym + 1, (int32_t)g->n) < 0)
        return NULL;
    g->rows[g->n].key = sym >= 0 ? clb_sym(s, sym) : "";
    g->rows[g->n].places = 0;
    g->rows[g->n].filled = 0;
    return &g->rows[g->n++];
}

static int cmp_group(const void *a, const void *b)
{
    return strcmp(((const clb_kpi_group *)a)->key, ((const clb_kpi_group *)b)->key);
}

static void grouper_dispose(grouper *g)
{
    clb__intmap_dispose(&g->map);
    clb__free(g->rows);
    memset(g, 0, sizeof(*g));
}

/* Sort the rows, copy them (with their keys) into the arena, release the grouper. */
static int group_finish(const clb_kpi_group **out, size_t *n, grouper *g, clb_arena *a)
{
    clb_kpi_group *rows = NULL;
    int error = 0;

    *out = NULL;
    *n = 0;
    if (g->n) {
        qsort(g->rows, g->n, sizeof(*g->rows), cmp_group);
        if (!(rows = clb__arena_alloc(a, g->n * sizeof(*rows)))) {
            error = CLB_ENOMEM;
            goto done;
        }
        for (size_t i = 0; i < g->n; i++) {
            rows[i] = g->rows[i];
            if (!(rows[i].key = clb__arena_strdup(a, g->rows[i].key))) {
                error = CLB_ENOMEM;
                goto done;
            }
        }
        *out = rows;
        *n = g->n;
    }
done:
    grouper_dispose(g);
    return error;
}

/* ---- the figures ----------------------------------------------------------------- */

static clb_date monday_of(clb_date d)
{
    /* 1970-01-01 (day 0) was a Thursday: (d + 3) mod 7 is 0 on Mondays. */
    int dow = (int)(((d % 7) + 7 + 3) % 7);
    return d - dow;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

typedef struct site_event {
    clb_date day;
    int delta;
} site_event;

static int cmp_event(const void *a, const void *b)
{
    const site_event *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return x->delta - y->delta; /* departures (-1) before arrivals on the same day */
}

/* Peak number of concurrent placements per site (sites with beds only). */
static int site_peaks(long *peak, const clb_scenario *s, const clb_kpi_plan *p)
{
    uint32_t *first = clb__calloc(s->n_sites + 2, sizeof(uint32_t));
    uint32_t *order = clb__malloc((p->n_placements + 1) * sizeof(uint32_t));
    site_event *ev = clb__malloc((2 * p->n_placements + 1) * sizeof(site_event));
    int error = 0;

    if (!first || !order || !ev) {
        error = CLB_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < p->n_placements; i++)
        first[s->vacancies[p->placements[i].other].site + 2]++;
    for (size_t i = 2; i < s->n_sites + 2; i++)
        first[i] += first[i - 1];
    for (size_t i = 0; i < p->n_placements; i++)
        order[first[s->vacancies[p->placements[i].other].site + 1]++] = (uint32_t)i;
    for (size_t site = 0; site < s->n_sites; site++) {
        size_t n = 0;
        long cur = 0, best = 0;
        peak[site] = 0;
        if (s->sites[site].beds < 0)
            continue;
        for (uint32_t j = site ? first[site] : 0; j < first[site + 1]; j++) {
            const clb_vacancy_rec *v = &s->vacancies[p->placements[order[j]].other];
            ev[n].day = v->start;
            ev[n++].delta = 1;
            ev[n].day = v->end + 1;
            ev[n++].delta = -1;
        }
        qsort(ev, n, sizeof(*ev), cmp_event);
        for (size_t j = 0; j < n; j++) {
            cur += ev[j].delta;
            if (cur > best)
                best = cur;
        }
        peak[site] = best;
    }
done:
    clb__free(first);
    clb__free(order);
    clb__free(ev);
    return error;
}

int clb__kpis_compute(clb_kpis **out, const clb_scenario *s, const clb_kpi_plan *p,
                     const char *label, clb_error *err)
{
    clb_kpis *k = clb__calloc(1, sizeof(*k));
    grouper g_sector, g_province, g_employer, g_origin;
    bool *placed = clb__calloc(s->n_workers + 1, sizeof(bool));
    int *vac_filled = clb__calloc(s->n_vacancies + 1, sizeof(int));
    long *ses_load = clb__calloc(s->n_sessions + 1, sizeof(long));
    long *prog_load = clb__calloc(s->n_programmes + 1, sizeof(long));
    long *peak = clb__calloc(s->n_sites + 1, sizeof(long));
    uint32_t *qw = NULL; /* workers matching a `workers` quota */
    clb_kpi_summary *m;
    clb_kpi_limit *lim = NULL;
    size_t n_lim = 0;
    int error = 0;

    memset(&g_sector, 0, sizeof(g_sector));
    memset(&g_province, 0, sizeof(g_province));
    memset(&g_employer, 0, sizeof(g_employer));
    memset(&g_origin, 0, sizeof(g_origin));
    clb__intmap_init(&g_sector.map);
    clb__intmap_init(&g_province.map);
    clb__intmap_init(&g_employer.map);
    clb__intmap_init(&g_origin.map);
    *out = NULL;
    if (!k || !placed || !vac_filled || !ses_load || !prog_load || !peak) {
        error = CLB_ENOMEM;
        goto done;
    }
    clb__arena_init(&k->arena);
    m = &k->sum;
    if (!(m->label = clb__arena_strdup(&k->arena, label ? label : s->name)) ||
        !(m->scenario = clb__arena_strdup(&k->arena, s->name))) {
        error = CLB_ENOMEM;
        goto done;
    }
    m->status = p->status;
    m->objective = p->objective;
    m->bound = p->bound;
    m->gap = p->gap;
    m->seconds = p->seconds;

    /* Placements: fill, workers, named requests, calendar. */
    for (size_t i = 0; i < p->n_placements; i++) {
        uint32_t w = p->placements[i].worker, v = p->placements[i].other;
        vac_filled[v]++;
        if (!placed[w]) {
            placed[w] = true;
            m->workers_placed++;
            if (clb_worker_is_returning(&s->workers[w]))
                m->returning_placed++;
        }
        if (clb__vacancy_names(&s->vacancies[v], w))
            m->named_honoured++;
    }
    m->placements = (long)p->n_placements;
    m->applicants = (long)s->n_workers;
    for (size_t v = 0; v < s->n_vacancies; v++) {
        const clb_vacancy_rec *vr = &s->vacancies[v];
        clb_kpi_group *a, *b, *c;
        if (vr->withdrawn)
            continue;
        m->places += vr->headcount;
        m->named_requested += vr->n_named;
        if (!(a = group_row(&g_sector, s, vr->sector)) ||
            !(b = group_row(&g_province, s, clb_vacancy_region(s, vr))) ||
            !(c = group_row(&g_employer, s, s->employers[vr->employer].sym))) {
            error = CLB_ENOMEM;
            goto done;
        }
        a->places += vr->headcount;
        b->places += vr->headcount;
        c->places += vr->headcount;
        a->filled += vac_filled[v];
        b->filled += vac_filled[v];
        c->filled += vac_filled[v];
    }
    for (size_t w = 0; w < s->n_workers; w++) {
        clb_kpi_group *a = group_row(&g_origin, s, s->workers[w].region);
        if (!a) {
            error = CLB_ENOMEM;
            goto done;
        }
        a->places++;
        a->filled += placed[w] ? 1 : 0;
    }
    m->fill_rate = m->places > 0 ? (double)m->placements / (double)m->places : 0.0;
    m->returning_share =
        m->workers_placed > 0 ? (double)m->returning_placed / (double)m->workers_placed
                              : 0.0;
    if (m->workers_placed > 0 && m->applicants > 0) {
        double tv = 0.0;
        for (size_t i = 0; i < g_origin.n; i++)
            tv += fabs((double)g_origin.rows[i].filled / (double)m->workers_placed -
                       (double)g_origin.rows[i].places / (double)m->applicants);
        m->balance_index = 1.0 - tv / 2.0;
    } else {
        m->balance_index = NAN;
    }

    /* Training and reintegration. */
    for (size_t i = 0; i < p->n_training; i++) {
        ses_load[p->training[i].other]++;
        m->training_cost += s->sessions[p->training[i].other].cost;
    }
    m->training_seats = (long)p->n_training;
    for (size_t i = 0; i < p->n_enrolments; i++)
        prog_load[p->enrolments[i].other]++;
    m->reintegration_enrolments = (long)p->n_enrolments;
    for (size_t r = 0; r < s->n_programmes; r++)
        m->reintegration_seats += s->programmes[r].capacity;

    /* Limits: quotas, sites with beds, sessions, programmes. */
    if ((error = site_peaks(peak, s, p)) < 0)
        goto done;
    {
        size_t cap = s->n_quotas + s->n_sites + s->n_sessions + s->n_programmes + 1;
        lim = clb__arena_alloc(&k->arena, cap * sizeof(*lim));
        k->limit_index = clb__malloc(cap * sizeof(uint32_t));
        qw = clb__malloc((p->n_placements + 1) * sizeof(uint32_t));
        if (!lim || !k->limit_index || !qw) {
            error = CLB_ENOMEM;
            goto done;
        }
    }
    for (size_t q = 0; q < s->n_quotas; q++) {
        const clb_quota_rec *qr = &s->quotas[q];
        clb_kpi_limit *l = &lim[n_lim];
        size_t nq = 0;
        long count = 0;
        for (size_t i = 0; i < p->n_placements; i++) {
            if (!clb__quota_matches(s, qr, p->placements[i].worker,
                                   p->placements[i].other))
                continue;
            if (qr->unit == CLB_UNIT_WORKERS)
                qw[nq++] = p->placements[i].worker;
            else
                count++;
        }
        if (qr->unit == CLB_UNIT_WORKERS) {
            qsort(qw, nq, sizeof(*qw), cmp_u32);
            for (size_t i = 0; i < nq; i++)
                count += (i == 0 || qw[i] != qw[i - 1]) ? 1 : 0;
        }
        l->kind = CLB_LIMIT_QUOTA;
        l->id = qr->id;
        l->detail = qr->unit == CLB_UNIT_WORKERS ? "workers" : "placements";
        l->used = count;
        l->limit = qr->max;
        l->min = qr->has_min ? qr->min : 0;
        l->shortfall = qr->has_min && count < qr->min ? qr->min - count : 0;
        l->binding = (qr->max >= 0 && count >= qr->max) || l->shortfall > 0;
        m->quota_shortfall += l->shortfall;
        k->limit_index[n_lim++] = (uint32_t)q;
    }
    for (size_t i = 0; i < s->n_sites; i++) {
        clb_kpi_limit *l = &lim[n_lim];
        if (s->sites[i].beds < 0)
            continue;
        l->kind = CLB_LIMIT_SITE;
        l->id = s->sites[i].id;
        l->detail = clb_sym(s, s->sites[i].region);
        l->used = peak[i];
        l->limit = s->sites[i].beds;
        l->binding = peak[i] >= s->sites[i].beds;
        k->limit_index[n_lim++] = (uint32_t)i;
    }
    for (size_t i = 0; i < s->n_sessions; i++) {
        clb_kpi_limit *l = &lim[n_lim];
        l->kind = CLB_LIMIT_SESSION;
        l->id = s->sessions[i].id;
        l->detail = clb_sym(s, s->sessions[i].course);
        l->used = ses_load[i];
        l->limit = s->sessions[i].capacity;
        l->binding = ses_load[i] >= s->sessions[i].capacity;
        k->limit_index[n_lim++] = (uint32_t)i;
    }
    for (size_t i = 0; i < s->n_programmes; i++) {
        clb_kpi_limit *l = &lim[n_lim];
        l->kind = CLB_LIMIT_PROGRAMME;
        l->id = s->programmes[i].id;
        l->detail = s->programmes[i].region >= 0 ? clb_sym(s, s->programmes[i].region)
                                                 : "";
        l->used = prog_load[i];
        l->limit = s->programmes[i].capacity;
        l->binding = prog_load[i] >= s->programmes[i].capacity;
        k->limit_index[n_lim++] = (uint32_t)i;
    }
    for (size_t i = 0; i < n_lim; i++) {
        if (!(lim[i].id = clb__arena_strdup(&k->arena, lim[i].id)) ||
            !(lim[i].detail = clb__arena_strdup(&k->arena, lim[i].detail))) {
            error = CLB_ENOMEM;
            goto done;
        }
    }
    m->limits = lim;
    m->n_limits = n_lim;

    /* The calendar: weeks from the first arrival to the last departure. */
    if (p->n_placements > 0) {
        clb_date lo = s->vacancies[p->placements[0].other].start, hi = lo;
        clb_kpi_week *weeks;
        size_t nw;
        for (size_t i = 0; i < p->n_placements; i++) {
            const clb_vacancy_rec *v = &s->vacancies[p->placements[i].other];
            lo = v->start < lo ? v->start : lo;
            hi = v->end > hi ? v->end : hi;
        }
        lo = monday_of(lo);
        nw = (size_t)((hi - lo) / 7 + 1);
        if (!(weeks = clb__arena_alloc(&k->arena, nw * sizeof(*weeks)))) {
            error = CLB_ENOMEM;
            goto done;
        }
        for (size_t i = 0; i < nw; i++)
            clb__date_format(weeks[i].start, lo + (clb_date)(7 * i));
        for (size_t i = 0; i < p->n_placements; i++) {
            const clb_vacancy_rec *v = &s->vacancies[p->placements[i].other];
            size_t a = (size_t)((v->start - lo) / 7), b = (size_t)((v->end - lo) / 7);
            weeks[a].arrivals++;
            weeks[b].departures++;
            for (size_t j = a; j <= b; j++)
                weeks[j].abroad++;
        }
        m->weeks = weeks;
        m->n_weeks = nw;
    }

    if (group_finish(&m->by_sector, &m->n_by_sector, &g_sector, &k->arena) < 0 ||
        group_finish(&m->by_province, &m->n_by_province, &g_province, &k->arena) < 0 ||
        group_finish(&m->by_employer, &m->n_by_employer, &g_employer, &k->arena) < 0 ||
        group_finish(&m->by_origin, &m->n_by_origin, &g_origin, &k->arena) < 0) {
        error = CLB_ENOMEM;
        goto done;
    }
    *out = k;
    k = NULL;
done:
    if (error < 0)
        clb__error_set(err, error, "out of memory computing key figures");
    grouper_dispose(&g_sector);
    grouper_dispose(&g_province);
    grouper_dispose(&g_employer);
    grouper_dispose(&g_origin);
    clb_kpis_free(k);
    clb__free(placed);
    clb__free(vac_filled);
    clb__free(ses_load);
    clb__free(prog_load);
    clb__free(peak);
    clb__free(qw);
    return error;
}

/* ---- plans from results and result documents ------------------------------------ */

static int32_t index_by_id(const clb_scenario *s, const clb_intmap *map, const char *id)
{
    int32_t sym = clb__strtab_lookup(&s->syms, id);
    return sym < 0 ? -1 : clb__intmap_get(map, sym);
}

int32_t clb__plan_session_index(const clb_scenario *s, const char *id)
{
    return index_by_id(s, &s->session_by_sym, id);
}

int32_t clb__plan_programme_index(const clb_scenario *s, const char *id)
{
    return index_by_id(s, &s->programme_by_sym, id);
}

void clb__kpi_plan_dispose(clb_kpi_plan *p)
{
    clb__free((void *)(uintptr_t)p->placements);
    clb__free((void *)(uintptr_t)p->training);
    clb__free((void *)(uintptr_t)p->enrolments);
    memset(p, 0, sizeof(*p));
}

int clb__kpi_plan_from_result(clb_kpi_plan *out, const clb_scenario *s,
                             const clb_result *r, clb_error *err)
{
    size_t np = clb_result_placement_count(r), nt = clb_result_training_count(r),
           ne = clb_result_reintegration_count(r);
    clb_kpi_item *pl = clb__malloc((np + 1) * sizeof(*pl));
    clb_kpi_item *tr = clb__malloc((nt + 1) * sizeof(*tr));
    clb_kpi_item *en = clb__malloc((ne + 1) * sizeof(*en));
    clb_result_stats stats;
    int error = 0;

    memset(out, 0, sizeof(*out));
    if (!pl || !tr || !en) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < np; i++) {
        clb_placement_info info;
        int32_t w, v;
        clb_result_placement_get(&info, r, i);
        w = clb__scenario_worker_index(s, info.worker);
        v = clb__scenario_vacancy_index(s, info.vacancy);
        if (w < 0 || v < 0) {
            error = clb__error_set(err, CLB_EINTERNAL, "result names unknown placement");
            goto done;
        }
        pl[i].worker = (uint32_t)w;
        pl[i].other = (uint32_t)v;
    }
    for (size_t i = 0; i < nt; i++) {
        clb_training_info info;
        int32_t w, k;
        clb_result_training_get(&info, r, i);
        w = clb__scenario_worker_index(s, info.worker);
        k = clb__plan_session_index(s, info.session);
        if (w < 0 || k < 0) {
            error = clb__error_set(err, CLB_EINTERNAL, "result names unknown session");
            goto done;
        }
        tr[i].worker = (uint32_t)w;
        tr[i].other = (uint32_t)k;
    }
    for (size_t i = 0; i < ne; i++) {
        clb_reintegration_info info;
        int32_t w, p;
        clb_result_reintegration_get(&info, r, i);
        w = clb__scenario_worker_index(s, info.worker);
        p = clb__plan_programme_index(s, info.programme);
        if (w < 0 || p < 0) {
            error = clb__error_set(err, CLB_EINTERNAL, "result names unknown programme");
            goto done;
        }
        en[i].worker = (uint32_t)w;
        en[i].other = (uint32_t)p;
    }
    clb_result_get_stats(&stats, r);
    out->placements = pl;
    out->n_placements = np;
    out->training = tr;
    out->n_training = nt;
    out->enrolments = en;
    out->n_enrolments = ne;
    out->status = clb_result_status(r);
    out->objective = clb_result_objective(r);
    out->bound = clb_result_bound(r);
    out->gap = clb_result_gap(r);
    out->seconds = stats.seconds;
    pl = tr = en = NULL;
done:
    clb__free(pl);
    clb__free(tr);
    clb__free(en);
    return error;
}

int clb_kpis_from_result(clb_kpis **out, const clb_scenario *s, const clb_result *r,
                         const char *label, clb_error *err)
{
    clb_kpi_plan p;
    int error;

    *out = NULL;
    if ((error = clb__kpi_plan_from_result(&p, s, r, err)) < 0)
        return error;
    error = clb__kpis_compute(out, s, &p, label, err);
    clb__kpi_plan_dispose(&p);
    return error;
}

/* Read one array of {"worker": W, <key>: X} of a result document into items. */
static int read_items(clb_kpi_item **out, size_t *n, const clb_json *root,
                      const char *array, const char *key, const clb_scenario *s,
                      const clb_intmap *map, const char *source, clb_error *err)
{
    const clb_json *arr = clb__json_object_get(root, array);
    size_t len = clb__json_array_size(arr);
    clb_kpi_item *items = clb__malloc((len + 1) * sizeof(*items));
    int error = 0;

    *out = NULL;
    *n = 0;
    if (!items)
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    if (arr && !clb_json_is_array(arr)) {
        error = clb__error_set(err, CLB_EINVAL, "'%s' must be an array", array);
        if (err)
            snprintf(err->path, sizeof(err->path), "$.%s", array);
        goto done;
    }
    for (size_t i = 0; i < len; i++) {
        const clb_json *e = clb__json_array_get(arr, i);
        const char *w = clb__json_string(clb__json_object_get(e, "worker"));
        const char *x = clb__json_string(clb__json_object_get(e, key));
        int32_t wi = w ? clb__scenario_worker_index(s, w) : -1;
        int32_t xi = x ? index_by_id(s, map, x) : -1;
        if (wi < 0 || xi < 0) {
            error = clb__error_set(err, CLB_EINVAL,
                                  "%s[%zu] names %s '%s' that the scenario lacks", array,
                                  i, wi < 0 ? "worker" : key,
                                  wi < 0 ? (w ? w : "?") : (x ? x : "?"));
            if (err)
                snprintf(err->path, sizeof(err->path), "$.%s[%zu]", array, i);
            goto done;
        }
        items[i].worker = (uint32_t)wi;
        items[i].other = (uint32_t)xi;
    }
    *out = items;
    *n = len;
    items = NULL;
done:
    clb__free(items);
    if (error < 0)
        clb__error_set_source(err, source);
    return error;
}

int clb_kpis_from_document(clb_kpis **out, const clb_scenario *s, const char *buf,
                           size_t len, const char *source, const char *label,
                           clb_error *err)
{
    clb_json *root = NULL;
    clb_kpi_item *pl = NULL, *tr = NULL, *en = NULL;
    clb_kpi_plan p;
    const char *format, *status;
    int error;

    *out = NULL;
    memset(&p, 0, sizeof(p));
    if ((error = clb__json_load_buffer(&root, buf, len, source, err)) < 0)
        goto done;
    format = clb__json_string(clb__json_object_get(root, "format"));
    if (!format || strcmp(format, "circulab-result/1") != 0) {
        error = clb__error_set(err, CLB_EINVAL,
                              "not a result document (format must be "
                              "\"circulab-result/1\")");
        clb__error_set_source(err, source);
        goto done;
    }
    if ((error = read_items(&pl, &p.n_placements, root, "placements", "vacancy", s,
                            &s->vacancy_by_sym, source, err)) < 0 ||
        (error = read_items(&tr, &p.n_training, root, "training", "session", s,
                            &s->session_by_sym, source, err)) < 0 ||
        (error = read_items(&en, &p.n_enrolments, root, "reintegration", "programme", s,
                            &s->programme_by_sym, source, err)) < 0)
        goto done;
    p.placements = pl;
    p.training = tr;
    p.enrolments = en;
    status = clb__json_string(clb__json_object_get(root, "status"));
    p.status = CLB_STATUS_OPTIMAL;
    if (status && strcmp(status, "time_limit") == 0)
        p.status = CLB_STATUS_TIME_LIMIT;
    else if (status && strcmp(status, "gap_limit") == 0)
        p.status = CLB_STATUS_GAP_LIMIT;
    else if (status && strcmp(status, "infeasible") == 0)
        p.status = CLB_STATUS_INFEASIBLE;
    p.objective = clb__json_number(clb__json_object_get(root, "objective"));
    p.bound = clb__json_number(clb__json_object_get(root, "bound"));
    p.gap = clb__json_number(clb__json_object_get(root, "gap"));
    p.seconds = clb__json_number(
        clb__json_object_get(clb__json_object_get(root, "stats"), "seconds"));
    error = clb__kpis_compute(out, s, &p, label ? label : source, err);
done:
    clb__free(pl);
    clb__free(tr);
    clb__free(en);
    clb__json_free(root);
    return error;
}

/* ---- marginal values ------------------------------------------------------------- */

/* The field a limit of kind k and record index i lives in. */
static long get_limit(const clb_scenario *s, clb_limit_kind kind, uint32_t i)
{
    switch (kind) {
    case CLB_LIMIT_QUOTA: return s->quotas[i].max;
    case CLB_LIMIT_SITE: return s->sites[i].beds;
    case CLB_LIMIT_SESSION: return s->sessions[i].capacity;
    case CLB_LIMIT_PROGRAMME: return s->programmes[i].capacity;
    }
    return -1;
}

static void set_limit(clb_scenario *s, clb_limit_kind kind, uint32_t i, long value)
{
    switch (kind) {
    case CLB_LIMIT_QUOTA: s->quotas[i].max = value; break;
    case CLB_LIMIT_SITE: s->sites[i].beds = (int)value; break;
    case CLB_LIMIT_SESSION: s->sessions[i].capacity = (int)value; break;
    case CLB_LIMIT_PROGRAMME: s->programmes[i].capacity = (int)value; break;
    }
}

int clb_kpis_marginals(clb_kpis *k, clb_scenario *s, const clb_solve_opts *opts,
                       clb_marginal_progress_cb progress, void *payload, clb_error *err)
{
    static const long deltas[] = {1, 10};
    clb_kpi_summary *m = &k->sum;
    clb_solve_opts local;
    clb_kpi_marginal *marg = NULL;
    size_t n = 0, total = 0;
    int error = 0;

    if (opts)
        local = *opts;
    else
        clb_solve_opts_init(&local);
    for (size_t i = 0; i < m->n_limits; i++)
        if (m->limits[i].binding && m->limits[i].limit >= 0 &&
            m->limits[i].used >= m->limits[i].limit)
            total += 2;
    if (!(marg = clb__calloc(total + 1, sizeof(*marg)))) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < m->n_limits && error == 0; i++) {
        const clb_kpi_limit *l = &m->limits[i];
        uint32_t at = k->limit_index[i];
        long base;
        if (!(l->binding && l->limit >= 0 && l->used >= l->limit))
            continue;
        base = get_limit(s, l->kind, at);
        for (size_t d = 0; d < 2 && error == 0; d++) {
            clb_result *r = NULL;
            char what[160];
            snprintf(what, sizeof(what), "%s %s +%ld", clb_limit_kind_name(l->kind),
                     l->id, deltas[d]);
            if (progress)
                progress(n, total, what, payload);
            set_limit(s, l->kind, at, base + deltas[d]);
            error = clb_solve(&r, s, &local, err);
            set_limit(s, l->kind, at, base);
            if (error == CLB_EINFEASIBLE)
                error = clb__error_set(err, CLB_EINTERNAL,
                                      "%s became infeasible when its limit was raised",
                                      what);
            if (error < 0) {
                clb_result_free(r);
                break;
            }
            marg[n].kind = l->kind;
            marg[n].id = l->id;
            marg[n].limit = base;
            marg[n].delta = deltas[d];
            marg[n].d_objective = clb_result_objective(r) - m->objective;
            marg[n].d_placements = (long)clb_result_placement_count(r) - m->placements;
            marg[n].status = clb_result_status(r);
            n++;
            clb_result_free(r);
        }
    }
    if (progress && error == 0)
        progress(n, total, "", payload);
done:
    if (error < 0) {
        clb__free(marg);
        return error;
    }
    clb__free(k->marg);
    k->marg = marg;
    k->n_marg = n;
    m->marginals = marg;
    m->n_marginals = n;
    return 0;
}

/* ---- comparison tables ------------------------------------------------------------ */

/* One row: where it belongs and one cell per scenario (NULL: not applicable). */
typedef struct trow {
    const char *section, *key, *metric;
    const char **cells;
} trow;

typedef struct table {
    clb_arena arena;
    trow *rows;
    size_t n, cap, ncols;
    bool csv; /* numeric metrics in their own rows, instead of combined cells */
    int oom;
} table;

static trow *table_row(table *t, const char *section, const char *key,
                       const char *metric)
{
    trow *r;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        trow *rows = clb__realloc(t->rows, cap * sizeof(*rows));
        if (!rows) {
            t->oom = CLB_ENOMEM;
            return NULL;
        }
        t->rows = rows;
        t->cap = cap;
    }
    r = &t->rows[t->n];
    r->section = section;
    r->key = key;
    r->metric = metric;
    if (!(r->cells = clb__arena_alloc(&t->arena, (t->ncols + 1) * sizeof(char *)))) {
        t->oom = CLB_ENOMEM;
        return NULL;
    }
    t->n++;
    return r;
}

static void cell(table *t, trow *r, size_t j, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void cell(table *t, trow *r, size_t j, const char *fmt, ...)
{
    clb_buf b = CLB_BUF_INIT;
    va_list ap;

    if (!r)
        return;
    va_start(ap, fmt);
    if (clb__buf_vprintf(&b, fmt, ap) < 0 ||
        !(r->cells[j] = clb__arena_strdup(&t->arena, b.ptr ? b.ptr : "")))
        t->oom = CLB_ENOMEM;
    va_end(ap);
    clb_buf_dispose(&b);
}

/* A number for a cell: integers without a fraction, others with up to 4 decimals. */
static void cell_num(table *t, trow *r, size_t j, double x)
{
    if (isnan(x))
        cell(t, r, j, "%s", t->csv ? "" : "-");
    else if (x == floor(x) && fabs(x) < 1e15)
        cell(t, r, j, "%.0f", x);
    else
        cell(t, r, j, "%.10g", x);
}

static void cell_pct(table *t, trow *r, size_t j, double x)
{
    if (t->csv)
        cell_num(t, r, j, isnan(x) ? x : round(x * 1e6) / 1e6);
    else if (isnan(x))
        cell(t, r, j, "-");
    else
        cell(t, r, j, "%.1f %%", 100.0 * x);
}

typedef const clb_kpi_summary *ksum;

/* Overall figures: one row per metric. */
static void rows_overall(table *t, ksum *k, size_t n)
{
    trow *r;
#define ROW(label, body)                                                             \
    do {                                                                              \
        r = table_row(t, "overall", label, "");                                       \
        for (size_t j = 0; r && j < n; j++) {                                         \
            body;                                                                     \
        }                                                                             \
    } while (0)
    ROW("scenario", cell(t, r, j, "%s", k[j]->scenario));
    ROW("status", cell(t, r, j, "%s", clb_status_name(k[j]->status)));
    ROW("objective", cell_num(t, r, j, k[j]->objective));
    ROW("bound", cell_num(t, r, j, k[j]->bound));
    ROW("solve seconds", cell(t, r, j, "%.2f", k[j]->seconds));
    ROW("places", cell_num(t, r, j, (double)k[j]->places));
    ROW("placements", cell_num(t, r, j, (double)k[j]->placements));
    ROW("fill rate", cell_pct(t, r, j, k[j]->fill_rate));
    ROW("applicants", cell_num(t, r, j, (double)k[j]->applicants));
    ROW("workers placed", cell_num(t, r, j, (double)k[j]->workers_placed));
    ROW("returning placed", cell_num(t, r, j, (double)k[j]->returning_placed));
    ROW("returning share", cell_pct(t, r, j, k[j]->returning_share));
    ROW("origin balance index",
        cell_num(t, r, j, isnan(k[j]->balance_index)
                              ? NAN
                              : round(k[j]->balance_index * 1e4) / 1e4));
    ROW("named requested", cell_num(t, r, j, (double)k[j]->named_requested));
    ROW("named honoured", cell_num(t, r, j, (double)k[j]->named_honoured));
    ROW("training seats", cell_num(t, r, j, (double)k[j]->training_seats));
    ROW("training cost", cell_num(t, r, j, k[j]->training_cost));
    ROW("reintegration enrolments",
        cell_num(t, r, j, (double)k[j]->reintegration_enrolments));
    ROW("reintegration seats", cell_num(t, r, j, (double)k[j]->reintegration_seats));
    ROW("quota shortfall", cell_num(t, r, j, (double)k[j]->quota_shortfall));
#undef ROW
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const clb_kpi_group *find_group(const clb_kpi_group *g, size_t n, const char *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(g[mid].key, key);
        if (c == 0)
            return &g[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Rows of one breakdown (the union of keys). `origin`: places are applicants. */
static void rows_groups(table *t, ksum *k, size_t n, const char *section, size_t off_g,
                        size_t off_n, bool origin)
{
    const char **keys = NULL;
    size_t total = 0, nk = 0;

    for (size_t j = 0; j < n; j++)
        total += *(const size_t *)(const void *)((const char *)k[j] + off_n);
    if (!(keys = clb__malloc((total + 1) * sizeof(*keys)))) {
        t->oom = CLB_ENOMEM;
        return;
    }
    for (size_t j = 0; j < n; j++) {
        const clb_kpi_group *g =
            *(const clb_kpi_group *const *)(const void *)((const char *)k[j] + off_g);
        size_t gn = *(const size_t *)(const void *)((const char *)k[j] + off_n);
        for (size_t i = 0; i < gn; i++)
            keys[nk++] = g[i].key;
    }
    qsort(keys, nk, sizeof(*keys), cmp_str);
    for (size_t i = 0; i < nk; i++) {
        const char *key = keys[i];
        trow *r[3] = {NULL, NULL, NULL};
        if (i > 0 && strcmp(keys[i - 1], key) == 0)
            continue;
        if (t->csv) {
            r[0] = table_row(t, section, key[0] ? key : "(none)",
                             origin ? "placed" : "filled");
            r[1] = table_row(t, section, key[0] ? key : "(none)",
                             origin ? "applicants" : "places");
            r[2] = table_row(t, section, key[0] ? key : "(none)", "rate");
        } else {
            r[0] = table_row(t, section, key[0] ? key : "(none)", "");
        }
        for (size_t j = 0; j < n && !t->oom; j++) {
            const clb_kpi_group *g = find_group(
                *(const clb_kpi_group *const *)(const void *)((const char *)k[j] + off_g),
                *(const size_t *)(const void *)((const char *)k[j] + off_n), key);
            double rate;
            if (!g)
                continue;
            rate = g->places > 0 ? (double)g->filled / (double)g->places : NAN;
            if (t->csv) {
                cell_num(t, r[0], j, (double)g->filled);
                cell_num(t, r[1], j, (double)g->places);
                cell_pct(t, r[2], j, rate);
            } else if (isnan(rate)) {
                cell(t, r[0], j, "%ld/%ld", g->filled, g->places);
            } else {
                cell(t, r[0], j, "%ld/%ld %5.1f%%", g->filled, g->places, 100.0 * rate);
            }
        }
    }
    clb__free(keys);
}

/* Rows of the limits of one kind, keyed by id, in order of first appearance. */
static void rows_limits_kind(table *t, ksum *k, size_t n, int kind)
{
    for (size_t j0 = 0; j0 < n; j0++) {
        for (size_t i0 = 0; i0 < k[j0]->n_limits; i0++) {
            const clb_kpi_limit *l0 = &k[j0]->limits[i0];
            bool seen = false;
            trow *r[5] = {NULL, NULL, NULL, NULL, NULL};
            const char *section;
            if ((int)l0->kind != kind)
                continue;
            for (size_t j = 0; j < j0 && !seen; j++)
                for (size_t i = 0; i < k[j]->n_limits && !seen; i++)
                    seen = k[j]->limits[i].kind == l0->kind &&
                           strcmp(k[j]->limits[i].id, l0->id) == 0;
            if (seen)
                continue;
            section = l0->kind == CLB_LIMIT_QUOTA   ? "quotas"
                      : l0->kind == CLB_LIMIT_SITE  ? "housing sites (peak beds)"
                      : l0->kind == CLB_LIMIT_SESSION ? "training sessions"
                                                      : "reintegration programmes";
            if (t->csv) {
                r[0] = table_row(t, section, l0->id, "used");
                r[1] = table_row(t, section, l0->id, "limit");
                if (l0->kind == CLB_LIMIT_QUOTA) {
                    r[2] = table_row(t, section, l0->id, "min");
                    r[3] = table_row(t, section, l0->id, "shortfall");
                }
                r[4] = table_row(t, section, l0->id, "binding");
            } else {
                r[0] = table_row(t, section, l0->id, "");
            }
            for (size_t j = 0; j < n && !t->oom; j++) {
                const clb_kpi_limit *l = NULL;
                for (size_t i = 0; i < k[j]->n_limits && !l; i++)
                    if (k[j]->limits[i].kind == l0->kind &&
                        strcmp(k[j]->limits[i].id, l0->id) == 0)
                        l = &k[j]->limits[i];
                if (!l)
                    continue;
                if (t->csv) {
                    cell_num(t, r[0], j, (double)l->used);
                    if (l->limit >= 0)
                        cell_num(t, r[1], j, (double)l->limit);
                    else
                        cell(t, r[1], j, "%s", "");
                    if (r[2]) {
                        cell_num(t, r[2], j, (double)l->min);
                        cell_num(t, r[3], j, (double)l->shortfall);
                    }
                    cell(t, r[4], j, "%s", l->binding ? "1" : "0");
                } else {
                    clb_buf b = CLB_BUF_INIT;
                    int rc;
                    if (l->limit >= 0)
                        rc = clb__buf_printf(&b, "%ld/%ld", l->used, l->limit);
                    else
                        rc = clb__buf_printf(&b, "%ld", l->used);
                    if (rc == 0 && l->min > 0)
                        rc = clb__buf_printf(&b, " min %ld", l->min);
                    if (rc == 0 && l->shortfall > 0)
                        rc = clb__buf_printf(&b, " short %ld", l->shortfall);
                    else if (rc == 0 && l->binding)
                        rc = clb__buf_puts(&b, " *");
                    if (rc < 0)
                        t->oom = CLB_ENOMEM;
                    else
                        cell(t, r[0], j, "%s", b.ptr ? b.ptr : "");
                    clb_buf_dispose(&b);
                }
            }
        }
    }
}

/* Kind by kind, so that a record only one scenario has joins its own section. */
static void rows_limits(table *t, ksum *k, size_t n)
{
    for (int kind = CLB_LIMIT_QUOTA; kind <= CLB_LIMIT_PROGRAMME; kind++)
        rows_limits_kind(t, k, n, kind);
}

/* Rows of the marginal values, keyed "kind id" and "+delta". */
static void rows_marginals(table *t, ksum *k, size_t n)
{
    for (size_t j0 = 0; j0 < n; j0++) {
        for (size_t i0 = 0; i0 < k[j0]->n_marginals; i0++) {
            const clb_kpi_marginal *m0 = &k[j0]->marginals[i0];
            bool seen = false;
            char key[200], metric[64];
            trow *r[2] = {NULL, NULL};
            for (size_t j = 0; j <= j0 && !seen; j++)
                for (size_t i = 0; i < (j == j0 ? i0 : k[j]->n_marginals) && !seen; i++)
                    seen = k[j]->marginals[i].kind == m0->kind &&
                           k[j]->marginals[i].delta == m0->delta &&
                           strcmp(k[j]->marginals[i].id, m0->id) == 0;
            if (seen)
                continue;
            snprintf(key, sizeof(key), "%s %s", clb_limit_kind_name(m0->kind), m0->id);
            if (t->csv) {
                snprintf(metric, sizeof(metric), "objective +%ld", m0->delta);
                r[0] = table_row(t, "marginal value", clb__arena_strdup(&t->arena, key),
                                 clb__arena_strdup(&t->arena, metric));
                snprintf(metric, sizeof(metric), "placements +%ld", m0->delta);
                r[1] = table_row(t, "marginal value", clb__arena_strdup(&t->arena, key),
                                 clb__arena_strdup(&t->arena, metric));
            } else {
                snprintf(metric, sizeof(metric), "+%ld", m0->delta);
                r[0] = table_row(t, "marginal value (re-solved)",
                                 clb__arena_strdup(&t->arena, key),
                                 clb__arena_strdup(&t->arena, metric));
            }
            for (size_t j = 0; j < n && !t->oom; j++) {
                const clb_kpi_marginal *m = NULL;
                for (size_t i = 0; i < k[j]->n_marginals && !m; i++)
                    if (k[j]->marginals[i].kind == m0->kind &&
                        k[j]->marginals[i].delta == m0->delta &&
                        strcmp(k[j]->marginals[i].id, m0->id) == 0)
                        m = &k[j]->marginals[i];
                if (!m)
                    continue;
                if (t->csv) {
                    cell_num(t, r[0], j, m->d_objective);
                    cell_num(t, r[1], j, (double)m->d_placements);
                } else {
                    cell(t, r[0], j, "%+.6g obj, %+ld placed%s", m->d_objective,
                         m->d_placements, m->status == CLB_STATUS_OPTIMAL ? "" : " ~");
                }
            }
        }
    }
}

static void table_build(table *t, ksum *k, size_t n)
{
    rows_overall(t, k, n);
    rows_groups(t, k, n, "fill by sector", offsetof(clb_kpi_summary, by_sector),
                offsetof(clb_kpi_summary, n_by_sector), false);
    rows_groups(t, k, n, "fill by destination province",
                offsetof(clb_kpi_summary, by_province),
                offsetof(clb_kpi_summary, n_by_province), false);
    rows_groups(t, k, n, "fill by employer", offsetof(clb_kpi_summary, by_employer),
                offsetof(clb_kpi_summary, n_by_employer), false);
    rows_groups(t, k, n, "workers placed by origin region (of applicants)",
                offsetof(clb_kpi_summary, by_origin),
                offsetof(clb_kpi_summary, n_by_origin), true);
    rows_limits(t, k, n);
    rows_marginals(t, k, n);
}

static size_t utf8_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

/*
 * The text table prints symbols from the scenario (sectors, regions, the scenario's
 * name), which are free text: each goes through the one escaper (clb_text_escape)
 * before it is measured and written, so that a control or bidirectional character
 * shows as \u001B and cannot act on a terminal, and the columns still line up.
 * `scratch` holds the escaped form until the next call; NULL when out of memory.
 */
static const char *shown(clb_buf *scratch, const char *s)
{
    scratch->size = 0;
    if (scratch->ptr)
        scratch->ptr[0] = '\0';
    if (clb_text_escape(scratch, s, strlen(s), 0) < 0)
        return NULL;
    return scratch->ptr ? scratch->ptr : "";
}

static size_t shown_width(clb_buf *scratch, const char *s)
{
    const char *text = shown(scratch, s);
    return text ? utf8_width(text) : 0;
}

static int put_padded(clb_buf *out, clb_buf *scratch, const char *s, size_t width)
{
    const char *text = shown(scratch, s);
    if (!text)
        return CLB_ENOMEM;
    size_t w = utf8_width(text);
    if (clb__buf_puts(out, text) < 0)
        return CLB_ENOMEM;
    for (; w < width; w++)
        if (clb__buf_put(out, " ", 1) < 0)
            return CLB_ENOMEM;
    return 0;
}

static int render_text(clb_buf *out, const table *t, ksum *k, size_t n)
{
    size_t w0 = 8, *wc = clb__calloc(n + 1, sizeof(size_t));
    const char *section = "";
    clb_buf scratch = CLB_BUF_INIT;
    int error = 0;

    if (!wc)
        return CLB_ENOMEM;
    for (size_t j = 0; j < n; j++)
        wc[j] = shown_width(&scratch, k[j]->label);
    for (size_t i = 0; i < t->n; i++) {
        const trow *r = &t->rows[i];
        size_t w = shown_width(&scratch, r->key) + 2 +
                   (r->metric[0] ? shown_width(&scratch, r->metric) + 1 : 0);
        if (w > w0)
            w0 = w;
        for (size_t j = 0; j < n; j++)
            if (r->cells[j] && shown_width(&scratch, r->cells[j]) > wc[j])
                wc[j] = shown_width(&scratch, r->cells[j]);
    }
    if (put_padded(out, &scratch, "", w0 + 2) < 0) {
        error = CLB_ENOMEM;
        goto done;
    }
    for (size_t j = 0; j < n; j++)
        if (put_padded(out, &scratch, k[j]->label, j + 1 < n ? wc[j] + 3 : 0) < 0) {
            error = CLB_ENOMEM;
            goto done;
        }
    if (clb__buf_puts(out, "\n") < 0) {
        error = CLB_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < t->n; i++) {
        const trow *r = &t->rows[i];
        char label[400];
        bool overall = strcmp(r->section, "overall") == 0;
        if (!overall && strcmp(section, r->section) != 0) {
            if (clb__buf_printf(out, "%s\n", r->section) < 0) {
                error = CLB_ENOMEM;
                goto done;
            }
        }
        section = r->section;
        snprintf(label, sizeof(label), "%s%s%s%s", overall ? "" : "  ", r->key,
                 r->metric[0] ? " " : "", r->metric);
        if (put_padded(out, &scratch, label, w0 + 2) < 0) {
            error = CLB_ENOMEM;
            goto done;
        }
        for (size_t j = 0; j < n; j++) {
            const char *c = r->cells[j] ? r->cells[j] : "-";
            /* Numbers line up on the right, words on the left. */
            bool numeric = (c[0] >= '0' && c[0] <= '9') || c[0] == '-' || c[0] == '+';
            if (numeric) {
                const char *text = shown(&scratch, c);
                if (!text) {
                    error = CLB_ENOMEM;
                    goto done;
                }
                for (size_t pad = utf8_width(text); pad < wc[j]; pad++)
                    if (clb__buf_put(out, " ", 1) < 0) {
                        error = CLB_ENOMEM;
                        goto done;
                    }
                if (clb__buf_puts(out, text) < 0 ||
                    (j + 1 < n && clb__buf_puts(out, "   ") < 0)) {
                    error = CLB_ENOMEM;
                    goto done;
                }
            } else if (put_padded(out, &scratch, c, j + 1 < n ? wc[j] + 3 : 0) < 0) {
                error = CLB_ENOMEM;
                goto done;
            }
        }
        if (clb__buf_puts(out, "\n") < 0) {
            error = CLB_ENOMEM;
            goto done;
        }
    }
done:
    clb_buf_dispose(&scratch);
    clb__free(wc);
    return error;
}

/* A CSV field through the one cell writer (quoting, formula guard). */
static int put_csv(clb_buf *out, const char *s)
{
    return clb__buf_put_csv_cell(out, s) < 0 ? CLB_ENOMEM : 0;
}

static int render_csv(clb_buf *out, const table *t, ksum *k, size_t n)
{
    if (clb__buf_puts(out, "section,key,metric") < 0)
        return CLB_ENOMEM;
    for (size_t j = 0; j < n; j++)
        if (clb__buf_put(out, ",", 1) < 0 || put_csv(out, k[j]->label) < 0)
            return CLB_ENOMEM;
    if (clb__buf_puts(out, "\r\n") < 0)
        return CLB_ENOMEM;
    for (size_t i = 0; i < t->n; i++) {
        const trow *r = &t->rows[i];
        if (put_csv(out, r->section) < 0 || clb__buf_put(out, ",", 1) < 0 ||
            put_csv(out, r->key) < 0 || clb__buf_put(out, ",", 1) < 0 ||
            put_csv(out, r->metric) < 0)
            return CLB_ENOMEM;
        for (size_t j = 0; j < n; j++)
            if (clb__buf_put(out, ",", 1) < 0 ||
                put_csv(out, r->cells[j] ? r->cells[j] : "") < 0)
                return CLB_ENOMEM;
        if (clb__buf_puts(out, "\r\n") < 0)
            return CLB_ENOMEM;
    }
    return 0;
}

/* ---- JSON ---------------------------------------------------------------------- */

static int jnum(clb_buf *out, double x)
{
    if (isnan(x) || isinf(x))
        return clb__buf_puts(out, "null");
    return clb__buf_put_json_number(out, x);
}

static int jgroups(clb_buf *out, const char *name, const clb_kpi_group *g, size_t n,
                   const char *places)
{
    if (clb__buf_printf(out, ",\n    \"%s\": [", name) < 0)
        return CLB_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (clb__buf_puts(out, i ? ",\n      {\"key\": " : "\n      {\"key\": ") < 0 ||
            clb__buf_put_json_string(out, g[i].key) < 0 ||
            clb__buf_printf(out, ", \"%s\": %ld, \"%s\": %ld}", places, g[i].places,
                           strcmp(places, "applicants") == 0 ? "placed" : "filled",
                           g[i].filled) < 0)
            return CLB_ENOMEM;
    }
    return clb__buf_puts(out, n ? "\n    ]" : "]");
}

static int render_one_json(clb_buf *out, ksum k)
{
#define TRY(x)                                                                        \
    do {                                                                              \
        if ((x) < 0)                                                                  \
            return CLB_ENOMEM;                                                        \
    } while (0)
    TRY(clb__buf_puts(out, "  {\n    \"label\": "));
    TRY(clb__buf_put_json_string(out, k->label));
    TRY(clb__buf_puts(out, ",\n    \"scenario\": "));
    TRY(clb__buf_put_json_string(out, k->scenario));
    TRY(clb__buf_printf(out, ",\n    \"status\": \"%s\"", clb_status_name(k->status)));
    TRY(clb__buf_puts(out, ",\n    \"objective\": "));
    TRY(jnum(out, k->objective));
    TRY(clb__buf_puts(out, ",\n    \"bound\": "));
    TRY(jnum(out, k->bound));
    TRY(clb__buf_puts(out, ",\n    \"gap\": "));
    TRY(jnum(out, k->gap));
    TRY(clb__buf_puts(out, ",\n    \"seconds\": "));
    TRY(jnum(out, round(k->seconds * 1000.0) / 1000.0));
    TRY(clb__buf_printf(out,
                       ",\n    \"places\": %ld,\n    \"placements\": %ld,\n"
                       "    \"fill_rate\": ",
                       k->places, k->placements));
    TRY(jnum(out, k->fill_rate));
    TRY(clb__buf_printf(out,
                       ",\n    \"applicants\": %ld,\n    \"workers_placed\": %ld,\n"
                       "    \"returning_placed\": %ld,\n    \"returning_share\": ",
                       k->applicants, k->workers_placed, k->returning_placed));
    TRY(jnum(out, k->returning_share));
    TRY(clb__buf_puts(out, ",\n    \"balance_index\": "));
    TRY(jnum(out, k->balance_index));
    TRY(clb__buf_printf(out,
                       ",\n    \"named_requested\": %ld,\n    \"named_honoured\": %ld,\n"
                       "    \"training_seats\": %ld,\n    \"training_cost\": ",
                       k->named_requested, k->named_honoured, k->training_seats));
    TRY(jnum(out, k->training_cost));
    TRY(clb__buf_printf(out,
                       ",\n    \"reintegration_enrolments\": %ld,\n"
                       "    \"reintegration_seats\": %ld,\n    \"quota_shortfall\": %ld",
                       k->reintegration_enrolments, k->reintegration_seats,
                       k->quota_shortfall));
    TRY(jgroups(out, "by_sector", k->by_sector, k->n_by_sector, "places"));
    TRY(jgroups(out, "by_province", k->by_province, k->n_by_province, "places"));
    TRY(jgroups(out, "by_employer", k->by_employer, k->n_by_employer, "places"));
    TRY(jgroups(out, "by_origin", k->by_origin, k->n_by_origin, "applicants"));
    TRY(clb__buf_puts(out, ",\n    \"limits\": ["));
    for (size_t i = 0; i < k->n_limits; i++) {
        const clb_kpi_limit *l = &k->limits[i];
        TRY(clb__buf_printf(out, "%s\n      {\"kind\": \"%s\", \"id\": ", i ? "," : "",
                           clb_limit_kind_name(l->kind)));
        TRY(clb__buf_put_json_string(out, l->id));
        TRY(clb__buf_puts(out, ", \"detail\": "));
        TRY(clb__buf_put_json_string(out, l->detail));
        TRY(clb__buf_printf(out, ", \"used\": %ld, \"limit\": ", l->used));
        if (l->limit >= 0)
            TRY(clb__buf_printf(out, "%ld", l->limit));
        else
            TRY(clb__buf_puts(out, "null"));
        TRY(clb__buf_printf(out, ", \"min\": %ld, \"shortfall\": %ld, \"binding\": %s}",
                           l->min, l->shortfall, l->binding ? "true" : "false"));
    }
    TRY(clb__buf_puts(out, k->n_limits ? "\n    ]" : "]"));
    TRY(clb__buf_puts(out, ",\n    \"weeks\": ["));
    for (size_t i = 0; i < k->n_weeks; i++)
        TRY(clb__buf_printf(out,
                           "%s\n      {\"week\": \"%s\", \"arrivals\": %ld, "
                           "\"departures\": %ld, \"abroad\": %ld}",
                           i ? "," : "", k->weeks[i].start, k->weeks[i].arrivals,
                           k->weeks[i].departures, k->weeks[i].abroad));
    TRY(clb__buf_puts(out, k->n_weeks ? "\n    ]" : "]"));
    TRY(clb__buf_puts(out, ",\n    \"marginals\": ["));
    for (size_t i = 0; i < k->n_marginals; i++) {
        const clb_kpi_marginal *m = &k->marginals[i];
        TRY(clb__buf_printf(out, "%s\n      {\"kind\": \"%s\", \"id\": ", i ? "," : "",
                           clb_limit_kind_name(m->kind)));
        TRY(clb__buf_put_json_string(out, m->id));
        TRY(clb__buf_printf(out, ", \"limit\": %ld, \"delta\": %ld, \"d_objective\": ",
                           m->limit, m->delta));
        TRY(jnum(out, m->d_objective));
        TRY(clb__buf_printf(out, ", \"d_placements\": %ld, \"status\": \"%s\"}",
                           m->d_placements, clb_status_name(m->status)));
    }
    TRY(clb__buf_puts(out, k->n_marginals ? "\n    ]\n  }" : "]\n  }"));
#undef TRY
    return 0;
}

int clb_compare_render(clb_buf *out, const clb_kpis *const *kpis, size_t n,
                       clb_compare_format format, clb_error *err)
{
    ksum *k = clb__calloc(n + 1, sizeof(*k));
    table t;
    int error = 0;

    memset(&t, 0, sizeof(t));
    clb__arena_init(&t.arena);
    t.ncols = n;
    t.csv = format == CLB_COMPARE_CSV;
    if (!k) {
        error = CLB_ENOMEM;
        goto done;
    }
    for (size_t j = 0; j < n; j++)
        k[j] = &kpis[j]->sum;
    if (format == CLB_COMPARE_JSON) {
        if (clb__buf_puts(out, "{\n\"format\": \"circulab-compare/1\",\n\"scenarios\": [\n") <
            0) {
            error = CLB_ENOMEM;
            goto done;
        }
        for (size_t j = 0; j < n && error == 0; j++) {
            error = render_one_json(out, k[j]);
            if (error == 0 && clb__buf_puts(out, j + 1 < n ? ",\n" : "\n") < 0)
                error = CLB_ENOMEM;
        }
        if (error == 0 && clb__buf_puts(out, "]\n}\n") < 0)
            error = CLB_ENOMEM;
        goto done;
    }
    table_build(&t, k, n);
    if (t.oom) {
        error = CLB_ENOMEM;
        goto done;
    }
    error = format == CLB_COMPARE_CSV ? render_csv(out, &t, k, n)
                                      : render_text(out, &t, k, n);
done:
    if (error < 0)
        clb__error_set(err, error, "out of memory rendering the comparison");
    clb__arena_dispose(&t.arena);
    clb__free(t.rows);
    clb__free(k);
    return error;
}
