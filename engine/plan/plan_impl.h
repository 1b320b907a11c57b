/*
 * plan_impl.h - what the planners' modules (kpis.c, marginal.c, compare.c,
 * report.c, simulate.c, fairness.c) share: the key figures object, computed from a plan as
 * index pairs (result/plan.h), so that a fresh clb_result and a result document
 * read back from a file go through the same computation.
 */
#ifndef CLB_PLAN_IMPL_H
#define CLB_PLAN_IMPL_H

#include "circulab/kpis.h"
#include "result/plan.h"
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
    uint32_t *full;        /* vacancies filled to their headcount (marginal values) */
    size_t n_full;
    clb_kpi_marginal *marg;
    size_t n_marg;
};

/*
 * How a limit is named to a planner: kind, id and unit ("quota Q-MA max",
 * "quota Q-MA min", "site S1 beds", "session T1 seats", "vacancy V1 headcount").
 */
void clb__limit_label(char *buf, size_t size, clb_limit_kind kind, const char *id);

/* A figure in points for people: rounded to 1e-6, never "-0". */
double clb__tidy(double x);

/* Key figures of a plan of scenario s. Returns 0 or CLB_ENOMEM. */
int clb__kpis_compute(clb_kpis **out, const clb_scenario *s, const clb_plan *p,
                      const char *label, clb_error *err);

/*
 * The origin balance index of rows of an origin breakdown (`filled`: workers placed,
 * `places`: applicants; totals `placed` and `applicants`): 1 - the total variation
 * distance between the two distributions; NaN when either total is 0.
 */
double clb__balance_index(const clb_kpi_group *rows, size_t n, long placed, long applicants);

#endif
