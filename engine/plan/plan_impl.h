/*
 * plan_impl.h - what the planners' modules (kpis.c, marginal.c, compare.c,
 * report.c, simulate.c) share: the key figures object, and a plan as index pairs,
 * from which the key figures are computed.
 *
 * A plan is the minimum that figures need, so that a fresh clb_result and a result
 * document read back from a file go through the same computation.
 */
#ifndef CLB_PLAN_IMPL_H
#define CLB_PLAN_IMPL_H

#include "circulab/kpis.h"
#include "scenario/scenario_impl.h"
#include "util/util.h"

/*
 * The key figures: the public summary, every string and array of it in `arena`,
 * and what the marginal values need to find each limit's record again.
 */
struct clb_kpis {
    clb_arena arena;
    clb_kpi_summary sum;
    uint32_t *limit_index; /* per limit: index of the record in its scenario array */
    clb_kpi_marginal *marg;
    size_t n_marg;
};

typedef struct clb_kpi_item {
    uint32_t worker;
    uint32_t other; /* vacancy, session or programme index */
} clb_kpi_item;

typedef struct clb_kpi_plan {
    const clb_kpi_item *placements; size_t n_placements;
    const clb_kpi_item *training;   size_t n_training;
    const clb_kpi_item *enrolments; size_t n_enrolments;
    clb_status status;
    double objective, bound, gap, seconds;
} clb_kpi_plan;

/* Key figures of a plan of scenario s. Returns 0 or CLB_ENOMEM. */
int clb__kpis_compute(clb_kpis **out, const clb_scenario *s, const clb_kpi_plan *p,
                     const char *label, clb_error *err);

/*
 * The plan of a result, as index pairs (three arrays allocated with malloc, released
 * with clb__kpi_plan_dispose). Returns 0, CLB_ENOMEM or CLB_EINTERNAL (a result that
 * names a record the scenario lacks).
 */
int clb__kpi_plan_from_result(clb_kpi_plan *out, const clb_scenario *s,
                             const clb_result *r, clb_error *err);
void clb__kpi_plan_dispose(clb_kpi_plan *p);

/* Index of a session / programme by id, or -1. */
int32_t clb__plan_session_index(const clb_scenario *s, const char *id);
int32_t clb__plan_programme_index(const clb_scenario *s, const char *id);

#endif
