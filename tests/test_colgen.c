/*
 * test_colgen.c - column generation against the whole model solved directly.
 *
 * On generated scenarios (chaining campaigns, nested quotas counting workers,
 * training, reintegration, housing, pins), the restricted master must reach the same
 * proven optimum as branch-and-bound on every row and column at once, its plan must
 * keep every row of the full model (rows left out of the master included), its
 * bound must hold, and the master must really be smaller than the model. Rounding
 * (the plan of time-limited runs) must turn any values into a plan that keeps every
 * row, and leave an integral plan as it is.
 */
#include "harness.h"
#include "whole_model.h"
#include "circulab.h"
#include "generate.h"
#include "generated.h"
#include "solve/colgen.h"
#include "rules/eligibility.h"
#include "solve/lp.h"
#include "solve/model.h"
#include "solve/rounding.h"
#include "scenario/scenario_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Does x keep every row and bound of m? */
static void compare_on(size_t workers, size_t vacancies, uint64_t seed, bool pin_some)
{
    clb_scenario *s = NULL;
    clb_pairs pairs;
    clb_model m;
    clb_error err;
    clb_cg_opts co;
    clb_cg_result r;
    bool *pinned = NULL;

    clb_error_init(&err);
    s = clb_test_generated(workers, vacancies, seed, 6);
    if (!s)
        return;
    CHECK_INT(clb__pairs_build(&pairs, s, &err), 0);
    pinned = calloc(pairs.n + 1, sizeof(bool));
    CHECK(pinned != NULL);
    if (pin_some) /* a low-value placement of the first worker who has one */
        for (size_t w = 0; w < s->n_workers; w++)
            if (pairs.first[w + 1] > pairs.first[w]) {
                pinned[pairs.first[w + 1] - 1] = true;
                break;
            }
    CHECK_INT(clb__model_build(&m, s, &pairs, pinned, &err), 0);

    memset(&co, 0, sizeof(co));
    co.gap = 1e-9;
    co.t0 = clb__now_seconds();
    CHECK_INT(clb__colgen_solve(&r, &m, &co, &err), 0);
    CHECK_INT(r.status, CLB_CG_OPTIMAL);
    double whole = whole_model_optimum(&m);
    CHECK(!isnan(whole)); /* the whole model solved to a proven optimum */
    if (r.x) {
        double z = clb__model_objective(&m, r.x);
        CHECK_NEAR(z, whole, 1e-6 * (1 + fabs(whole)));
        CHECK_NEAR(r.objective, z, 1e-6 * (1 + fabs(z)));
        CHECK(keeps_every_row(&m, r.x));
        CHECK(r.bound >= z - 1e-6 * (1 + fabs(z)));
        CHECK(r.lp_bound >= z - 1e-6 * (1 + fabs(z)));
        for (size_t p = 0; p < pairs.n; p++)
            if (pinned[p])
                CHECK(r.x[p] > 0.5);
    }
    CHECK(r.master_cols <= m.ncols);
    CHECK(r.rounds >= 1);
    fprintf(stderr, "  %zu workers seed %llu: optimum %.4f, master %zu x %zu of %zu x %zu\n",
            workers, (unsigned long long)seed, whole, r.master_rows, r.master_cols, m.nrows,
            m.ncols);
    clb__cg_result_dispose(&r);
    clb__model_dispose(&m);
    clb__pairs_dispose(&pairs);
    clb_scenario_free(s);
    free(pinned);
}

/* On a larger instance the master must leave most placements out. */
static void master_is_smaller(void)
{
    clb_scenario *s = NULL;
    clb_pairs pairs;
    clb_model m;
    clb_error err;
    clb_cg_opts co;
    clb_cg_result r;

    clb_error_init(&err);
    s = clb_test_generated(300, 30, 1, 0);
    CHECK_INT(clb__pairs_build(&pairs, s, &err), 0);
    CHECK_INT(clb__model_build(&m, s, &pairs, NULL, &err), 0);
    memset(&co, 0, sizeof(co));
    co.gap = 1e-7;
    co.t0 = clb__now_seconds();
    CHECK_INT(clb__colgen_solve(&r, &m, &co, &err), 0);
    CHECK_INT(r.status, CLB_CG_OPTIMAL);
    CHECK(r.master_cols < m.ncols);
    if (r.x)
        CHECK(keeps_every_row(&m, r.x));
    clb__cg_result_dispose(&r);
    clb__model_dispose(&m);
    clb__pairs_dispose(&pairs);
    clb_scenario_free(s);
}

/* Rounding: random values give a plan that keeps every row; a plan stays itself. */
static void rounding_repairs(uint64_t seed)
{
    clb_scenario *s = NULL;
    clb_pairs pairs;
    clb_model m;
    clb_error err;
    clb_cg_opts co;
    clb_cg_result r;
    bool found = false;
    uint64_t state = seed * 2654435761u + 1;

    clb_error_init(&err);
    s = clb_test_generated(80, 10, seed, 8);
    CHECK_INT(clb__pairs_build(&pairs, s, &err), 0);
    CHECK_INT(clb__model_build(&m, s, &pairs, NULL, &err), 0);
    clb_model_cols cols;
    CHECK_INT(clb__model_columns(&cols, &m), 0);
    double *frac = malloc((m.ncols + 1) * sizeof(double));
    double *x = malloc((m.ncols + 1) * sizeof(double));
    CHECK(frac && x);
    for (int trial = 0; trial < 5; trial++) {
        for (size_t j = 0; j < m.ncols; j++) {
            state = state * 6364136223846793005u + 1442695040888963407u;
            frac[j] = (double)(state >> 11) / 9007199254740992.0 * (m.ub[j] < 2 ? m.ub[j] : 2);
        }
        CHECK_INT(clb__round_plan(&m, &cols, frac, x, &found), 0);
        CHECK(found);
        if (found)
            CHECK(keeps_every_row(&m, x));
    }
    memset(&co, 0, sizeof(co));
    co.gap = 1e-9;
    co.t0 = clb__now_seconds();
    CHECK_INT(clb__colgen_solve(&r, &m, &co, &err), 0);
    if (r.x) {
        CHECK_INT(clb__round_plan(&m, &cols, r.x, x, &found), 0);
        CHECK(found);
        CHECK_NEAR(clb__model_objective(&m, x), clb__model_objective(&m, r.x), 1e-6);
    }
    clb__cg_result_dispose(&r);
    clb__model_cols_dispose(&cols);
    free(frac);
    free(x);
    clb__model_dispose(&m);
    clb__pairs_dispose(&pairs);
    clb_scenario_free(s);
}

/*
 * A pin whose required reintegration is out of reach unless the worker also takes a
 * later campaign (found by the brute-force suite, case-seed 123000773): the master
 * must hold the pinned worker's other placements, or it calls the pins infeasible.
 */
static void pin_needs_another_placement(void)
{
    clb_scenario *s = NULL;
    clb_result *r = NULL;
    clb_error err;

    clb_error_init(&err);
    CHECK_INT(clb_scenario_load_file(&s, CLB_TEST_DATA "/solve/pin-needs-later-campaign.json",
                                     NULL, &err),
              0);
    if (!s)
        return;
    CHECK_INT(clb_solve(&r, s, NULL, &err), 0);
    if (r) {
        CHECK_INT(clb_result_status(r), CLB_STATUS_OPTIMAL);
        CHECK_NEAR(clb_result_objective(r), -1300, 1e-6);
        CHECK_INT((int)clb_result_placement_count(r), 2);
    }
    clb_result_free(r);
    clb_scenario_free(s);
}

/*
 * Status honesty: a gap allowed by the caller gives gap_limit, not optimal, unless
 * the plan is within 1e-6 of its bound; a huge time limit is no limit at all.
 */
static void limits_are_honest(void)
{
    clb_scenario *s = NULL;
    clb_result *r = NULL;
    clb_solve_opts so;
    clb_error err;

    clb_error_init(&err);
    s = clb_test_generated(300, 30, 1, 0);
    clb_solve_opts_init(&so);
    so.gap = 0.05;
    CHECK_INT(clb_solve(&r, s, &so, &err), 0);
    if (r) {
        double z = clb_result_objective(r), b = clb_result_bound(r);
        CHECK(b >= z - 1e-6);
        if (clb_result_status(r) == CLB_STATUS_OPTIMAL)
            CHECK(b - z <= 1e-6 * fabs(z));
        else
            CHECK_INT(clb_result_status(r), CLB_STATUS_GAP_LIMIT);
    }
    clb_result_free(r);
    r = NULL;
    clb_solve_opts_init(&so);
    so.time_limit = 2200000; /* more milliseconds than an int holds */
    CHECK_INT(clb_solve(&r, s, &so, &err), 0);
    if (r)
        CHECK_INT(clb_result_status(r), CLB_STATUS_OPTIMAL);
    clb_result_free(r);
    clb_scenario_free(s);
}

int main(void)
{
    limits_are_honest();
    pin_needs_another_placement();
    rounding_repairs(3);
    rounding_repairs(4);
    for (uint64_t seed = 1; seed <= 6; seed++)
        compare_on(40, 6, seed, seed % 2 == 0);
    compare_on(120, 12, 7, false);
    compare_on(120, 12, 8, true);
    master_is_smaller();
    return clb_test_finish();
}
