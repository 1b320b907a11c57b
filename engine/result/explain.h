/*
 * explain.h (engine) - the reasoning of `explain` over a scenario and a plan given
 * by indices, independent of where the plan came from (a database round or a
 * result in memory).
 */
#ifndef CLB_EXPLAIN_IMPL_H
#define CLB_EXPLAIN_IMPL_H

#include "circulab/explain.h"
#include "result/plan.h"
#include "scenario/scenario_impl.h"

/*
 * Explain `worker` or `vacancy` (one of them non-NULL) under plan `p` of scenario s,
 * the plan of database round `round` (0 when it is not one). Returns 0,
 * CLB_ENOTFOUND, CLB_EINVAL or CLB_ENOMEM.
 */
int clb__explain_build(clb_explanation **out, const clb_scenario *s, const clb_plan *p,
                       long round, const char *worker, const char *vacancy, clb_error *err);

#endif
