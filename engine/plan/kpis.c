/*
 * kpis.c - the key figures (KPIs) of a solved scenario (kpis.h): fill, workers,
 * breakdowns by sector, province, employer and origin, the use of every capacity,
 * and the calendar of arrivals and departures.
 *
 * Figures are computed from the scenario and a plan of index pairs (placements,
 * training, enrolments) only, never from a solver's internals, so that a fresh
 * solve and a result document read back from a file agree to the digit. The
 * computation is a sequence of named steps over one working state (fill, training,
 * limits, calendar), each reading the plan once.
 */
#include "circulab/kpis.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/eligibility.h"
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
    case CLB_LIMIT_VACANCY: return "vacancy";
    case CLB_LIMIT_QUOTA_MIN: return "quota_min";
    }
    return "limit";
}

const char *clb_limit_unit_name(clb_limit_kind kind)
{
    switch (kind) {
    case CLB_LIMIT_QUOTA: return "max";
    case CLB_LIMIT_SITE: return "beds";
    case CLB_LIMIT_SESSION: return "seats";
    case CLB_LIMIT_PROGRAMME: return "seats";
    case CLB_LIMIT_VACANCY: return "headcount";
    case CLB_LIMIT_QUOTA_MIN: return "min";
    }
    return "units";
}

void clb__limit_label(char *buf, size_t size, clb_limit_kind kind, const char *id)
{
    snprintf(buf, size, "%s %s %s",
             kind == CLB_LIMIT_QUOTA_MIN ? "quota" : clb_limit_kind_name(kind), id,
             clb_limit_unit_name(kind));
}

double clb__tidy(double x)
{
    double r = round(x * 1e6) / 1e6;
    return r == 0.0 ? 0.0 : r;
}

/* The terms in the order of clb_kpi_terms, named by the weights they come from. */
static const char *const term_names[CLB_KPI_N_TERMS] = {
    "fill", "returning", "tenure", "named", "same_employer", "preference",
    "score", "keep", "training_cost", "quota_shortfall", "reintegration"};

const char *clb_kpi_term_name(size_t i)
{
    return i < CLB_KPI_N_TERMS ? term_names[i] : "";
}

double clb_kpi_term(const clb_kpi_terms *t, size_t i)
{
    switch (i) {
    case 0: return t->fill;
    case 1: return t->returning;
    case 2: return t->tenure;
    case 3: return t->named;
    case 4: return t->same_employer;
    case 5: return t->preference;
    case 6: return t->score;
    case 7: return t->keep;
    case 8: return t->training_cost;
    case 9: return t->quota_shortfall;
    case 10: return t->reintegration;
    default: return 0.0;
    }
}

void clb_kpis_free(clb_kpis *k)
{
    if (!k)
        return;
    clb__arena_dispose(&k->arena);
    clb__free(k->limit_index);
    clb__free(k->full);
    clb__free(k->marg);
    clb__free(k);
}

const clb_kpi_summary *clb_kpis_get(const clb_kpis *k)
{
    return &k->sum;
}

/*
 * The origin balance index (docs/PLANNERS.md §2): one minus the total variation
 * distance between the regions of placed workers (`filled`) and of applicants
 * (`places`), over origin rows that partition both totals. Also used by `simulate`
 * on its per-season and cumulative rows, so the figure has one definition.
 */
double clb__balance_index(const clb_kpi_group *rows, size_t n, long placed, long applicants)
{
    double tv = 0.0;
    if (placed <= 0 || applicants <= 0)
        return NAN;
    for (size_t i = 0; i < n; i++)
        tv += fabs((double)rows[i].filled / (double)placed -
                   (double)rows[i].places / (double)applicants);
    return 1.0 - tv / 2.0;
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
    memset(&g->rows[g->n], 0, sizeof(g->rows[g->n]));
    g->rows[g->n].key = sym >= 0 ? clb_sym(s, sym) : "";
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
static int site_peaks(long *peak, const clb_scenario *s, const clb_plan *p)
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

/*
 * The working state of one computation: the figures being built, the breakdowns'
 * groupers and the per-record loads each step leaves for the next ones.
 */
typedef struct figures {
    const clb_scenario *s;
    const clb_plan *p;
    clb_kpis *k;
    clb_kpi_summary *m;
    grouper g_sector, g_province, g_employer, g_origin;
    bool *placed;     /* per worker */
    int *vac_filled;  /* per vacancy */
    long *vac_returning; /* per vacancy: placements of returning workers */
    long *w_placements;  /* per worker */
    long *ses_load;   /* per session */
    long *prog_load;  /* per programme */
    long *peak;       /* per site */
    uint32_t *qw;     /* workers matching a `workers` quota */
    clb_kpi_limit *lim;
    size_t n_lim;
} figures;

static int figures_init(figures *f, const clb_scenario *s, const clb_plan *p,
                        const char *label)
{
    clb_kpi_summary *m;

    memset(f, 0, sizeof(*f));
    f->s = s;
    f->p = p;
    f->k = clb__calloc(1, sizeof(*f->k));
    f->placed = clb__calloc(s->n_workers + 1, sizeof(bool));
    f->vac_filled = clb__calloc(s->n_vacancies + 1, sizeof(int));
    f->vac_returning = clb__calloc(s->n_vacancies + 1, sizeof(long));
    f->w_placements = clb__calloc(s->n_workers + 1, sizeof(long));
    f->ses_load = clb__calloc(s->n_sessions + 1, sizeof(long));
    f->prog_load = clb__calloc(s->n_programmes + 1, sizeof(long));
    f->peak = clb__calloc(s->n_sites + 1, sizeof(long));
    clb__intmap_init(&f->g_sector.map);
    clb__intmap_init(&f->g_province.map);
    clb__intmap_init(&f->g_employer.map);
    clb__intmap_init(&f->g_origin.map);
    if (!f->k || !f->placed || !f->vac_filled || !f->vac_returning || !f->w_placements ||
        !f->ses_load || !f->prog_load || !f->peak)
        return CLB_ENOMEM;
    clb__arena_init(&f->k->arena);
    m = f->m = &f->k->sum;
    if (!(m->label = clb__arena_strdup(&f->k->arena, label ? label : s->name)) ||
        !(m->scenario = clb__arena_strdup(&f->k->arena, s->name)))
        return CLB_ENOMEM;
    m->status = p->status;
    m->second_stage = p->stats.second_stage;
    m->objective = p->objective;
    m->bound = p->bound;
    m->gap = p->gap;
    m->seconds = p->stats.seconds;
    return 0;
}

static void figures_dispose(figures *f)
{
    grouper_dispose(&f->g_sector);
    grouper_dispose(&f->g_province);
    grouper_dispose(&f->g_employer);
    grouper_dispose(&f->g_origin);
    clb_kpis_free(f->k);
    clb__free(f->placed);
    clb__free(f->vac_filled);
    clb__free(f->vac_returning);
    clb__free(f->w_placements);
    clb__free(f->ses_load);
    clb__free(f->prog_load);
    clb__free(f->peak);
    clb__free(f->qw);
}

/* Placements: fill, workers, named requests; the fill and origin breakdowns. */
static int figures_fill(figures *f)
{
    const clb_scenario *s = f->s;
    const clb_plan *p = f->p;
    clb_kpi_summary *m = f->m;

    for (size_t i = 0; i < p->n_placements; i++) {
        uint32_t w = p->placements[i].worker, v = p->placements[i].other;
        double terms[CLB_N_PLACEMENT_TERMS];
        clb__placement_terms(s, w, v, terms);
        m->terms.fill += terms[CLB_TERM_FILL];
        m->terms.returning += terms[CLB_TERM_RETURNING];
        m->terms.tenure += terms[CLB_TERM_TENURE];
        m->terms.named += terms[CLB_TERM_NAMED];
        m->terms.same_employer += terms[CLB_TERM_SAME_EMPLOYER];
        m->terms.preference += terms[CLB_TERM_PREFERENCE];
        m->terms.score += terms[CLB_TERM_SCORE];
        m->terms.keep += terms[CLB_TERM_KEEP];
        f->vac_filled[v]++;
        f->w_placements[w]++;
        if (clb_worker_is_returning(&s->workers[w])) {
            f->vac_returning[v]++;
            m->returning_placements++;
        }
        if (!f->placed[w]) {
            f->placed[w] = true;
            m->workers_placed++;
            if (clb_worker_is_returning(&s->workers[w]))
                m->returning_placed++;
        }
        if (clb__vacancy_names(&s->vacancies[v], w))
            m->named_honoured++;
    }
    m->placements = (long)p->n_placements;
    m->applicants = (long)s->n_workers;
    if (!(f->k->full = clb__malloc((s->n_vacancies + 1) * sizeof(uint32_t))))
        return CLB_ENOMEM;
    for (size_t v = 0; v < s->n_vacancies; v++) {
        const clb_vacancy_rec *vr = &s->vacancies[v];
        clb_kpi_group *rows[3];
        if (vr->withdrawn)
            continue;
        if (vr->headcount > 0 && f->vac_filled[v] >= vr->headcount)
            f->k->full[f->k->n_full++] = (uint32_t)v;
        m->places += vr->headcount;
        m->named_requested += vr->n_named;
        if (!(rows[0] = group_row(&f->g_sector, s, vr->sector)) ||
            !(rows[1] = group_row(&f->g_province, s, clb_vacancy_region(s, vr))) ||
            !(rows[2] = group_row(&f->g_employer, s, s->employers[vr->employer].sym)))
            return CLB_ENOMEM;
        for (size_t i = 0; i < 3; i++) {
            rows[i]->places += vr->headcount;
            rows[i]->filled += f->vac_filled[v];
            rows[i]->vacancies++;
            rows[i]->placements += f->vac_filled[v];
            rows[i]->returning += f->vac_returning[v];
        }
    }
    for (size_t w = 0; w < s->n_workers; w++) {
        clb_kpi_group *a = group_row(&f->g_origin, s, s->workers[w].region);
        if (!a)
            return CLB_ENOMEM;
        a->places++;
        a->filled += f->placed[w] ? 1 : 0;
        a->placements += f->w_placements[w];
        if (clb_worker_is_returning(&s->workers[w]))
            a->returning += f->w_placements[w];
    }
    m->fill_rate = m->places > 0 ? (double)m->placements / (double)m->places : 0.0;
    m->returning_share =
        m->workers_placed > 0 ? (double)m->returning_placed / (double)m->workers_placed
                              : 0.0;
    m->balance_index =
        clb__balance_index(f->g_origin.rows, f->g_origin.n, m->workers_placed, m->applicants);
    return 0;
}

/* A worker's origin, for the breakdown by country and region. */
typedef struct home {
    const char *country, *region;
    uint32_t w;
} home;

static int cmp_home(const void *a, const void *b)
{
    const home *x = a, *y = b;
    int c = strcmp(x->country, y->country);
    return c ? c : strcmp(x->region, y->region);
}

/* Workers by origin country and region (sorted so), from the fill step's counts. */
static int figures_homes(figures *f)
{
    const clb_scenario *s = f->s;
    home *h = clb__malloc((s->n_workers + 1) * sizeof(*h));
    clb_kpi_group *rows = clb__arena_alloc(&f->k->arena, (s->n_workers + 1) * sizeof(*rows));
    size_t n = 0;
    int error = 0;

    if (!h || !rows) {
        clb__free(h);
        return CLB_ENOMEM;
    }
    for (size_t w = 0; w < s->n_workers; w++) {
        h[w].country = clb_sym(s, s->workers[w].country);
        h[w].region = clb_sym(s, s->workers[w].region);
        h[w].w = (uint32_t)w;
    }
    qsort(h, s->n_workers, sizeof(*h), cmp_home);
    for (size_t i = 0; i < s->n_workers; i++) {
        uint32_t w = h[i].w;
        clb_kpi_group *g;
        if (i == 0 || cmp_home(&h[i - 1], &h[i]) != 0) {
            g = &rows[n++];
            if (!(g->key = clb__arena_strdup(&f->k->arena, h[i].region)) ||
                !(g->country = clb__arena_strdup(&f->k->arena, h[i].country))) {
                error = CLB_ENOMEM;
                break;
            }
        }
        g = &rows[n - 1];
        g->places++;
        g->filled += f->placed[w] ? 1 : 0;
        g->placements += f->w_placements[w];
        if (clb_worker_is_returning(&s->workers[w]))
            g->returning += f->w_placements[w];
    }
    f->m->by_country_region = rows;
    f->m->n_by_country_region = n;
    clb__free(h);
    return error;
}

/* Training and reintegration. */
static void figures_training(figures *f)
{
    const clb_scenario *s = f->s;
    const clb_plan *p = f->p;
    clb_kpi_summary *m = f->m;

    for (size_t i = 0; i < p->n_training; i++) {
        f->ses_load[p->training[i].other]++;
        m->training_cost += s->sessions[p->training[i].other].cost;
        m->terms.training_cost -=
            s->policy.weights.training_cost * s->sessions[p->training[i].other].cost;
    }
    m->training_seats = (long)p->n_training;
    for (size_t i = 0; i < p->n_enrolments; i++)
        f->prog_load[p->enrolments[i].other]++;
    m->reintegration_enrolments = (long)p->n_enrolments;
    if (s->policy.reintegration == CLB_REINT_REWARD)
        m->terms.reintegration = s->policy.weights.reintegration * (double)p->n_enrolments;
    for (size_t r = 0; r < s->n_programmes; r++)
        m->reintegration_seats += s->programmes[r].capacity;
}

/* The quotas' limits: placements or distinct workers matching each. */
static void limits_quotas(figures *f)
{
    const clb_scenario *s = f->s;
    const clb_plan *p = f->p;

    for (size_t q = 0; q < s->n_quotas; q++) {
        const clb_quota_rec *qr = &s->quotas[q];
        clb_kpi_limit *l = &f->lim[f->n_lim];
        size_t nq = 0;
        long count = 0;
        for (size_t i = 0; i < p->n_placements; i++) {
            if (!clb__quota_matches(s, qr, p->placements[i].worker,
                                   p->placements[i].other))
                continue;
            if (qr->unit == CLB_UNIT_WORKERS)
                f->qw[nq++] = p->placements[i].worker;
            else
                count++;
        }
        if (qr->unit == CLB_UNIT_WORKERS) {
            qsort(f->qw, nq, sizeof(*f->qw), cmp_u32);
            for (size_t i = 0; i < nq; i++)
                count += (i == 0 || f->qw[i] != f->qw[i - 1]) ? 1 : 0;
        }
        l->kind = CLB_LIMIT_QUOTA;
        l->id = qr->id;
        l->detail = qr->unit == CLB_UNIT_WORKERS ? "workers" : "placements";
        l->used = count;
        l->limit = qr->max;
        l->min = qr->has_min ? qr->min : 0;
        l->shortfall = qr->has_min && count < qr->min ? qr->min - count : 0;
        l->binding = (qr->max >= 0 && count >= qr->max) || l->shortfall > 0;
        f->m->quota_shortfall += l->shortfall;
        f->m->terms.quota_shortfall -= s->policy.weights.quota_shortfall * (double)l->shortfall;
        f->k->limit_index[f->n_lim++] = (uint32_t)q;
    }
}

/* The capacities' limits: sites with beds, sessions, programmes. */
static void limits_capacities(figures *f)
{
    const clb_scenario *s = f->s;
    clb_kpis *k = f->k;

    for (size_t i = 0; i < s->n_sites; i++) {
        clb_kpi_limit *l = &f->lim[f->n_lim];
        if (s->sites[i].beds < 0)
            continue;
        l->kind = CLB_LIMIT_SITE;
        l->id = s->sites[i].id;
        l->detail = clb_sym(s, s->sites[i].region);
        l->used = f->peak[i];
        l->limit = s->sites[i].beds;
        l->binding = f->peak[i] >= s->sites[i].beds;
        k->limit_index[f->n_lim++] = (uint32_t)i;
    }
    for (size_t i = 0; i < s->n_sessions; i++) {
        clb_kpi_limit *l = &f->lim[f->n_lim];
        l->kind = CLB_LIMIT_SESSION;
        l->id = s->sessions[i].id;
        l->detail = clb_sym(s, s->sessions[i].course);
        l->used = f->ses_load[i];
        l->limit = s->sessions[i].capacity;
        l->binding = f->ses_load[i] >= s->sessions[i].capacity;
        k->limit_index[f->n_lim++] = (uint32_t)i;
    }
    for (size_t i = 0; i < s->n_programmes; i++) {
        clb_kpi_limit *l = &f->lim[f->n_lim];
        l->kind = CLB_LIMIT_PROGRAMME;
        l->id = s->programmes[i].id;
        l->detail = s->programmes[i].region >= 0 ? clb_sym(s, s->programmes[i].region)
                                                 : "";
        l->used = f->prog_load[i];
        l->limit = s->programmes[i].capacity;
        l->binding = f->prog_load[i] >= s->programmes[i].capacity;
        k->limit_index[f->n_lim++] = (uint32_t)i;
    }
}

/* Limits: quotas, sites with beds, sessions, programmes, in that order. */
static int figures_limits(figures *f)
{
    const clb_scenario *s = f->s;
    clb_kpis *k = f->k;
    int error;

    if ((error = site_peaks(f->peak, s, f->p)) < 0)
        return error;
    {
        size_t cap = s->n_quotas + s->n_sites + s->n_sessions + s->n_programmes + 1;
        f->lim = clb__arena_alloc(&k->arena, cap * sizeof(*f->lim));
        k->limit_index = clb__malloc(cap * sizeof(uint32_t));
        f->qw = clb__malloc((f->p->n_placements + 1) * sizeof(uint32_t));
        if (!f->lim || !k->limit_index || !f->qw)
            return CLB_ENOMEM;
    }
    limits_quotas(f);
    limits_capacities(f);
    for (size_t i = 0; i < f->n_lim; i++) {
        if (!(f->lim[i].id = clb__arena_strdup(&k->arena, f->lim[i].id)) ||
            !(f->lim[i].detail = clb__arena_strdup(&k->arena, f->lim[i].detail)))
            return CLB_ENOMEM;
    }
    f->m->limits = f->lim;
    f->m->n_limits = f->n_lim;
    return 0;
}

/* The calendar: weeks from the first arrival to the last departure. */
static int figures_weeks(figures *f)
{
    const clb_scenario *s = f->s;
    const clb_plan *p = f->p;
    clb_date lo, hi;
    clb_kpi_week *weeks;
    size_t nw;

    if (p->n_placements == 0)
        return 0;
    lo = hi = s->vacancies[p->placements[0].other].start;
    for (size_t i = 0; i < p->n_placements; i++) {
        const clb_vacancy_rec *v = &s->vacancies[p->placements[i].other];
        lo = v->start < lo ? v->start : lo;
        hi = v->end > hi ? v->end : hi;
    }
    lo = monday_of(lo);
    nw = (size_t)((hi - lo) / 7 + 1);
    if (!(weeks = clb__arena_alloc(&f->k->arena, nw * sizeof(*weeks))))
        return CLB_ENOMEM;
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
    f->m->weeks = weeks;
    f->m->n_weeks = nw;
    return 0;
}

static int cmp_kpi_placement(const void *a, const void *b)
{
    const clb_kpi_placement *x = a, *y = b;
    int c = strcmp(x->worker, y->worker);
    return c ? c : strcmp(x->vacancy, y->vacancy);
}

/*
 * The placements by ids (for differences between plans), with the quotas each one
 * matches; and the objective's total from its terms.
 */
static int figures_plan(figures *f)
{
    const clb_scenario *s = f->s;
    const clb_plan *p = f->p;
    clb_arena *a = &f->k->arena;
    clb_kpi_placement *pl;
    clb_kpi_terms *t = &f->m->terms;

    t->total = t->fill + t->returning + t->tenure + t->named + t->same_employer +
               t->preference + t->score + t->keep + t->training_cost +
               t->quota_shortfall + t->reintegration;
    if (p->n_placements == 0)
        return 0;
    if (!(pl = clb__arena_alloc(a, p->n_placements * sizeof(*pl))))
        return CLB_ENOMEM;
    for (size_t i = 0; i < p->n_placements; i++) {
        uint32_t w = p->placements[i].worker, v = p->placements[i].other;
        const clb_vacancy_rec *vr = &s->vacancies[v];
        uint32_t *qs = NULL;
        size_t nq = 0;
        int32_t region = s->workers[w].region;
        for (size_t q = 0; q < s->n_quotas; q++)
            nq += clb__quota_matches(s, &s->quotas[q], w, v) ? 1 : 0;
        if (nq && !(qs = clb__arena_alloc(a, nq * sizeof(*qs))))
            return CLB_ENOMEM;
        nq = 0;
        for (size_t q = 0; q < s->n_quotas; q++)
            if (clb__quota_matches(s, &s->quotas[q], w, v))
                qs[nq++] = (uint32_t)q;
        pl[i].quotas = qs;
        pl[i].n_quotas = nq;
        if (!(pl[i].worker = clb__arena_strdup(a, s->workers[w].id)) ||
            !(pl[i].vacancy = clb__arena_strdup(a, vr->id)) ||
            !(pl[i].employer = clb__arena_strdup(a, s->employers[vr->employer].id)) ||
            !(pl[i].origin = clb__arena_strdup(a, region >= 0 ? clb_sym(s, region) : "")))
            return CLB_ENOMEM;
    }
    qsort(pl, p->n_placements, sizeof(*pl), cmp_kpi_placement);
    f->m->plan = pl;
    f->m->n_plan = p->n_placements;
    return 0;
}

/* The breakdowns, sorted by key, into the figures' arena. */
static int figures_groups(figures *f)
{
    clb_kpi_summary *m = f->m;
    clb_arena *a = &f->k->arena;

    if (group_finish(&m->by_sector, &m->n_by_sector, &f->g_sector, a) < 0 ||
        group_finish(&m->by_province, &m->n_by_province, &f->g_province, a) < 0 ||
        group_finish(&m->by_employer, &m->n_by_employer, &f->g_employer, a) < 0 ||
        group_finish(&m->by_origin, &m->n_by_origin, &f->g_origin, a) < 0)
        return CLB_ENOMEM;
    return 0;
}

int clb__kpis_compute(clb_kpis **out, const clb_scenario *s, const clb_plan *p,
                     const char *label, clb_error *err)
{
    figures f;
    int error;

    *out = NULL;
    if ((error = figures_init(&f, s, p, label)) < 0 || (error = figures_fill(&f)) < 0 ||
        (error = figures_homes(&f)) < 0)
        goto done;
    figures_training(&f);
    if ((error = figures_limits(&f)) < 0 || (error = figures_weeks(&f)) < 0 ||
        (error = figures_plan(&f)) < 0 || (error = figures_groups(&f)) < 0)
        goto done;
    *out = f.k;
    f.k = NULL;
done:
    if (error < 0)
        clb__error_set(err, error, "out of memory computing key figures");
    figures_dispose(&f);
    return error;
}

int clb_kpis_from_result(clb_kpis **out, const clb_scenario *s, const clb_result *r,
                         const char *label, clb_error *err)
{
    clb_plan p;
    int error;

    *out = NULL;
    if ((error = clb__plan_from_result(&p, s, r, err)) < 0)
        return error;
    error = clb__kpis_compute(out, s, &p, label, err);
    clb__plan_dispose(&p);
    return error;
}

int clb_kpis_from_document(clb_kpis **out, const clb_scenario *s, const char *buf,
                           size_t len, const char *source, const char *label,
                           clb_error *err)
{
    clb_plan p;
    int error;

    *out = NULL;
    if ((error = clb__plan_from_document(&p, s, buf, len, source, err)) < 0)
        return error;
    error = clb__kpis_compute(out, s, &p, label ? label : source, err);
    clb__plan_dispose(&p);
    return error;
}
