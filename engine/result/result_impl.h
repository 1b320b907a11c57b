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
#include "rules/eligibility.h"

typedef struct clb_plan_item {
    uint32_t worker;
    uint32_t other; /* vacancy, session or programme index */
} clb_plan_item;

/* A confirmed `previous` entry that could not be pinned. */
typedef struct clb_conflict_rec {
    uint32_t worker, vacancy;
    unsigned rules;  /* failed eligibility rules; 0 with withdrawn */
    bool withdrawn;  /* the vacancy was withdrawn */
} clb_conflict_rec;

typedef struct clb_plan {
    clb_plan_item *placements; size_t n_placements;
    clb_plan_item *training;   size_t n_training;
    clb_plan_item *enrolments; size_t n_enrolments;
    clb_conflict_rec *conflicts; size_t n_conflicts;
    clb_status status;
    double bound;        /* proven bound on the objective */
    clb_result_stats stats;
} clb_plan;

/*
 * Build a result from a plan. `pairs` are the eligible pairs (for reserve lists).
 * Copies what it needs from `plan`. Returns 0 or CLB_ENOMEM.
 */
int clb__result_new(clb_result **out, const clb_scenario *s, const clb_pairs *pairs,
                   const clb_plan *plan, clb_error *err);

#endif
