/*
 * marginal.c - what one more unit of each binding capacity is worth (kpis.h,
 * clb_kpis_marginals).
 *
 * Marginal values are exact by construction: the scenario is re-solved with the one
 * limit raised (no LP duals, which are meaningless at integer optima), then restored
 * on every path. The figures are differences from the summary's own objective and
 * placements, so they are read beside the key figures they extend.
 */
#include "circulab/kpis.h"

#include <stdio.h>
#include <string.h>

#include "plan/plan_impl.h"
#include "scenario/scenario_impl.h"
#include "util/util.h"
#include "util/alloc.h"

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
