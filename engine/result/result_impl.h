/*
 * result_impl.h - how the solver hands a plan to the result module.
 *
 * The solver decides which pairs, sessions and programmes are chosen; the result
 * module recomputes everything a reader sees (values, objective, counts, reserve)
 * from those choices and the scenario alone, so the document never repeats a
 * solver's rounding.
 */
#ifndef CLB_RESULT_IMPL_H
#define CLB_RESULT_IMPL_H

#include "circulab/result.h"
#include "result/plan.h"
#include "rules/eligibility.h"

/*
 * Build a result from a plan. `pairs` are the eligible pairs (for reserve lists).
 * Copies what it needs from `plan`. Returns 0 or CLB_ENOMEM.
 */
int clb__result_new(clb_result **out, const clb_scenario *s, const clb_pairs *pairs,
                   const clb_plan *plan, clb_error *err);

#endif
