/*
 * marginal.c - what one more unit of each binding limit is worth, in the planner's
 * units (kpis.h, clb_kpis_marginals).
 *
 * Marginal values are exact by construction: the scenario is re-solved with the one
 * limit raised (no LP duals, which are meaningless at integer optima), then restored
 * on every path. The re-solve's plan goes through the same key figures as the plan
 * it is compared with (kpis.c), and the marginal value is the difference of the two
 * summaries: places filled, workers, returning workers, training seats and euros,
 * enrolments, shortfall and each term of the objective. One computation of the
 * figures, so a term can never be counted one way here and another way there.
 */
#include "circulab/kpis.h"

#include <stdio.h>
#include <string.h>

#include "plan/plan_impl.h"
#include "scenario/scenario_impl.h"
#include "util/util.h"
#include "util/alloc.h"

/* ---- marginal values ------------------------------------------------------------- */

/* One limit to raise: its kind, the index of its record and its id. */
typedef struct target {
    clb_limit_kind kind;
    uint32_t at;
    const char *id;
} target;

/* The field a limit of kind k and record index i lives in. */
static long get_limit(const clb_scenario *s, clb_limit_kind kind, uint32_t i)
{
    switch (kind) {
    case CLB_LIMIT_QUOTA: return s->quotas[i].max;
    case CLB_LIMIT_SITE: return s->sites[i].beds;
    case CLB_LIMIT_SESSION: return s->sessions[i].capacity;
    case CLB_LIMIT_PROGRAMME: return s->programmes[i].capacity;
    case CLB_LIMIT_VACANCY: return s->vacancies[i].headcount;
    case CLB_LIMIT_QUOTA_MIN: return s->quotas[i].min;
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
    case CLB_LIMIT_VACANCY: s->vacancies[i].headcount = (int)value; break;
    case CLB_LIMIT_QUOTA_MIN: s->quotas[i].min = value; break;
    }
}

/*
 * The limits worth a re-solve, in the order of the key figures' limits (a quota's
 * min right after its max), then the vacancies filled to their headcount in the
 * scenario's order. Returns the count; `out` has room for n_limits * 2 + n_full.
 */
static size_t targets_of(target *out, const clb_kpis *k, const clb_scenario *s)
{
    const clb_kpi_summary *m = &k->sum;
    size_t n = 0;

    for (size_t i = 0; i < m->n_limits; i++) {
        const clb_kpi_limit *l = &m->limits[i];
        if (l->binding && l->limit >= 0 && l->used >= l->limit)
            out[n++] = (target){l->kind, k->limit_index[i], l->id};
        if (l->kind == CLB_LIMIT_QUOTA && l->min > 0 && l->used <= l->min)
            out[n++] = (target){CLB_LIMIT_QUOTA_MIN, k->limit_index[i], l->id};
    }
    for (size_t i = 0; i < k->n_full; i++)
        out[n++] = (target){CLB_LIMIT_VACANCY, k->full[i], s->vacancies[k->full[i]].id};
    return n;
}

/* The marginal value: the re-solve's figures minus the plan's. */
static void difference(clb_kpi_marginal *g, const clb_kpi_summary *a,
                       const clb_kpi_summary *b)
{
    g->d_objective = b->objective - a->objective;
    g->d_placements = b->placements - a->placements;
    g->d_workers_placed = b->workers_placed - a->workers_placed;
    g->d_returning_placed = b->returning_placed - a->returning_placed;
    g->d_training_seats = b->training_seats - a->training_seats;
    g->d_training_cost = b->training_cost - a->training_cost;
    g->d_enrolments = b->reintegration_enrolments - a->reintegration_enrolments;
    g->d_quota_shortfall = b->quota_shortfall - a->quota_shortfall;
    g->d_terms.fill = b->terms.fill - a->terms.fill;
    g->d_terms.returning = b->terms.returning - a->terms.returning;
    g->d_terms.tenure = b->terms.tenure - a->terms.tenure;
    g->d_terms.named = b->terms.named - a->terms.named;
    g->d_terms.same_employer = b->terms.same_employer - a->terms.same_employer;
    g->d_terms.preference = b->terms.preference - a->terms.preference;
    g->d_terms.score = b->terms.score - a->terms.score;
    g->d_terms.keep = b->terms.keep - a->terms.keep;
    g->d_terms.training_cost = b->terms.training_cost - a->terms.training_cost;
    g->d_terms.quota_shortfall = b->terms.quota_shortfall - a->terms.quota_shortfall;
    g->d_terms.reintegration = b->terms.reintegration - a->terms.reintegration;
    g->d_terms.total = b->terms.total - a->terms.total;
}

int clb_kpis_marginals(clb_kpis *k, clb_scenario *s, const clb_solve_opts *opts,
                       clb_marginal_progress_cb progress, void *payload, clb_error *err)
{
    static const long deltas[] = {1, 10};
    clb_kpi_summary *m = &k->sum;
    clb_solve_opts local;
    clb_kpi_marginal *marg = NULL;
    target *targets = NULL;
    size_t n = 0, total = 0, nt = 0;
    int error = 0;

    if (opts)
        local = *opts;
    else
        clb_solve_opts_init(&local);
    if (!(targets = clb__calloc(2 * m->n_limits + k->n_full + 1, sizeof(*targets)))) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }
    nt = targets_of(targets, k, s);
    total = 2 * nt;
    if (!(marg = clb__calloc(total + 1, sizeof(*marg)))) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nt && error == 0; i++) {
        const target *t = &targets[i];
        long base = get_limit(s, t->kind, t->at);
        for (size_t d = 0; d < 2 && error == 0; d++) {
            clb_result *r = NULL;
            clb_kpis *k2 = NULL;
            char what[160];
            snprintf(what, sizeof(what), "%s %s %s +%ld",
                     t->kind == CLB_LIMIT_QUOTA_MIN ? "quota" : clb_limit_kind_name(t->kind),
                     t->id, clb_limit_unit_name(t->kind), deltas[d]);
            if (progress)
                progress(n, total, what, payload);
            set_limit(s, t->kind, t->at, base + deltas[d]);
            error = clb_solve(&r, s, &local, err);
            if (error == 0)
                error = clb_kpis_from_result(&k2, s, r, NULL, err);
            set_limit(s, t->kind, t->at, base);
            if (error == CLB_EINFEASIBLE)
                error = clb__error_set(err, CLB_EINTERNAL,
                                      "%s became infeasible when its limit was raised",
                                      what);
            if (error < 0) {
                clb_kpis_free(k2);
                clb_result_free(r);
                break;
            }
            marg[n].kind = t->kind;
            /* a vacancy's id lives in the scenario, which may go before the figures */
            marg[n].id = t->kind == CLB_LIMIT_VACANCY ? clb__arena_strdup(&k->arena, t->id)
                                                      : t->id;
            if (!marg[n].id)
                error = clb__error_set(err, CLB_ENOMEM, "out of memory");
            marg[n].limit = base;
            marg[n].delta = deltas[d];
            marg[n].status = clb_result_status(r);
            difference(&marg[n], m, &k2->sum);
            n++;
            clb_kpis_free(k2);
            clb_result_free(r);
        }
    }
    if (progress && error == 0)
        progress(n, total, "", payload);
done:
    clb__free(targets);
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
