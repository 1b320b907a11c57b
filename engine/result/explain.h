/*
 * explain.h (engine) - the reasoning of `explain` over a scenario and a plan given
 * by indices, independent of where the plan came from (a database round or a
 * result in memory).
 */
#ifndef CLB_EXPLAIN_IMPL_H
#define CLB_EXPLAIN_IMPL_H

#include "circulab/explain.h"
#include "scenario/scenario_impl.h"

typedef struct clb_explain_plan {
    const uint32_t *pl_worker, *pl_vacancy; /* placements */
    size_t n_pl;
    const uint32_t *tr_worker, *tr_session; /* training attended */
    size_t n_tr;
    const uint32_t *re_worker, *re_programme; /* reintegration enrolments */
    size_t n_re;
    long round; /* for the text; 0 when the plan is not a database round */
} clb_explain_plan;

/*
 * Explain `worker` or `vacancy` (one of them non-NULL) under plan `p` of scenario s.
 * Returns 0, CLB_ENOTFOUND, CLB_EINVAL or CLB_ENOMEM.
 */
int clb__explain_render(clb_buf *out, const clb_scenario *s, const clb_explain_plan *p,
                       const char *worker, const char *vacancy, unsigned flags,
                       clb_error *err);

#endif
