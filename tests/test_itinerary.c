/*
 * test_itinerary.c - the itinerary master (engine/solve/itinerary.c) against the whole
 * pair model solved directly.
 *
 * On generated scenarios with the policy varied (gap, stay, max placements, training
 * lead, reintegration none / reward / required) and with pins, the itinerary solve must
 * prove the same optimum as branch-and-bound on every row and column of the pair model,
 * its plan must keep every row of that model, its bound must not be below the optimum,
 * and the pins must hold. Stopped at once by a tiny time limit, its bound (from the
 * zero duals or the first rounds) must still hold. Under a time limit too short to finish, the answer must stay
 * honest: a plan that keeps every row, a bound at least its value, and `optimal` only
 * when the two agree.
 */
#include "harness.h"
#include "circulab.h"
#include "generate.h"
#include "generated.h"
#include "solve/colgen.h"
#include "rules/eligibility.h"
#include "solve/lp.h"
#include "solve/model.h"
#include "scenario/scenario_impl.h"
#include "solve/itinerary.h"
#include "whole_model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t proven, extra_binding;
#define NEXT() (st = st * 6364136223846793005ull + 1442695040888963407ull, st >> 33)

static void compare_on(size_t workers, size_t vacancies, uint64_t seed, int variant)
{
    clb_scenario *s = clb_test_generated(workers, vacancies, seed, 6);
    clb_pairs pairs;
    clb_model m;
    clb_error err;
    clb_cg_opts co;
    clb_cg_result r;
    bool *pinned;
    uint64_t st = seed * 0x9E3779B97F4A7C15ull + (uint64_t)variant;

    if (!s)
        return;
    clb_error_init(&err);
    clb_test_vary_policy(s, &st, (clb_reint_mode)(variant % 3));
    CHECK_INT(clb__pairs_build(&pairs, s, &err), 0);
    pinned = calloc(pairs.n + 1, sizeof(bool));
    if (variant % 2)
        for (size_t w = 0; w < s->n_workers; w += 7)
            if (pairs.first[w + 1] > pairs.first[w])
                pinned[pairs.first[w + 1] - 1] = true;
    CHECK_INT(clb__model_build(&m, s, &pairs, pinned, &err), 0);
    double whole = whole_model_optimum(&m);
    if (isnan(whole)) { /* these pins cannot hold: not this test's business */
        clb__model_dispose(&m);
        clb__pairs_dispose(&pairs);
        clb_scenario_free(s);
        free(pinned);
        return;
    }
    double *pp = whole_model_pins_plan(&m, pinned, &pairs);
    memset(&co, 0, sizeof(co));
    co.t0 = clb__now_seconds();
    CHECK_INT(clb__itinerary_solve(&r, s, &m, pinned, pp, &co, &err), 0);
    CHECK_INT(r.status, CLB_CG_OPTIMAL);
    if (r.x) {
        double z = clb__model_objective(&m, r.x);
        CHECK_NEAR(z, whole, 1e-6 * (1 + fabs(whole)));
        CHECK_NEAR(r.objective, z, 1e-6 * (1 + fabs(z)));
        CHECK(keeps_every_row(&m, r.x));
        CHECK(r.bound >= whole - 1e-6 * (1 + fabs(whole)));
        for (size_t p = 0; p < pairs.n; p++)
            if (pinned[p])
                CHECK(r.x[p] > 0.5);
        if (fabs(z - whole) > 1e-6 * (1 + fabs(whole)))
            fprintf(stderr, "  seed %llu variant %d: itineraries %.6f, whole model %.6f\n",
                    (unsigned long long)seed, variant, z, whole);
        proven++;
    }
    clb__cg_result_dispose(&r);
    /* stopped at once (after the greedy plan and at most a round): the bound still
       holds for the whole model, and the plan keeps every row */
    memset(&co, 0, sizeof(co));
    co.t0 = clb__now_seconds();
    co.time_limit = 1e-4;
    CHECK_INT(clb__itinerary_solve(&r, s, &m, pinned, pp, &co, &err), 0);
    if (r.x) {
        CHECK(keeps_every_row(&m, r.x));
        CHECK(r.bound >= whole - 1e-6 * (1 + fabs(whole)));
        CHECK(r.objective <= whole + 1e-6 * (1 + fabs(whole)));
        if (r.status == CLB_CG_OPTIMAL)
            CHECK_NEAR(r.objective, whole, 1e-6 * (1 + fabs(whole)));
    }
    clb__cg_result_dispose(&r);
    free(pp);
    clb__model_dispose(&m);
    clb__pairs_dispose(&pairs);
    clb_scenario_free(s);
    free(pinned);
}

/*
 * Extra linear rows over placements (a planner's constraints, issue 14 item 6): rows
 * "at most k of these placements" over random sets of pairs of several workers, and
 * "at most k placements of this worker on these vacancies" rows; the itinerary master
 * must still prove the whole model's optimum and keep every row.
 */
static void extra_rows(uint64_t seed)
{
    clb_scenario *s = clb_test_generated(40, 6, seed, 6);
    clb_pairs pairs;
    clb_model m;
    clb_error err;
    clb_cg_opts co;
    clb_cg_result r;
    uint64_t st = seed * 7919 + 17;

    if (!s)
        return;
    clb_error_init(&err);
    CHECK_INT(clb__pairs_build(&pairs, s, &err), 0);
    CHECK_INT(clb__model_build(&m, s, &pairs, NULL, &err), 0);
    double before = whole_model_optimum(&m);
    int32_t cols[64];
    double vals[64];
    for (int row = 0; row < 4 && pairs.n > 0; row++) {
        size_t n = 0;
        for (size_t p = 0; p < pairs.n && n < 64; p++)
            if (NEXT() % 5 == 0) {
                cols[n] = (int32_t)p;
                vals[n++] = 1 + (double)(NEXT() % 2);
            }
        CHECK_INT(clb__model_add_row(&m, row, -CLB_INF, (double)(n / 6), n, cols, vals), 0);
    }
    double whole = whole_model_optimum(&m);
    CHECK(whole <= before + 1e-6 * (1 + fabs(before)));
    memset(&co, 0, sizeof(co));
    co.t0 = clb__now_seconds();
    CHECK_INT(clb__itinerary_solve(&r, s, &m, NULL, NULL, &co, &err), 0);
    CHECK_INT(r.status, CLB_CG_OPTIMAL);
    if (r.x) {
        CHECK_NEAR(clb__model_objective(&m, r.x), whole, 1e-6 * (1 + fabs(whole)));
        CHECK(keeps_every_row(&m, r.x));
        if (whole < before - 1e-6)
            extra_binding++;
    }
    clb__cg_result_dispose(&r);
    clb__model_dispose(&m);
    clb__pairs_dispose(&pairs);
    clb_scenario_free(s);
}

/* A limit too short to finish: an honest answer. */
static void limited_is_honest(void)
{
    clb_scenario *s = clb_test_generated(1000, 50, 3, 45);
    clb_result *r = NULL;
    clb_solve_opts so;
    clb_error err;

    clb_error_init(&err);
    if (!s)
        return;
    clb_solve_opts_init(&so);
    so.time_limit = 0.2;
    CHECK_INT(clb_solve(&r, s, &so, &err), 0);
    if (r) {
        double z = clb_result_objective(r), b = clb_result_bound(r);
        CHECK(b >= z - 1e-6 * (1 + fabs(z)));
        CHECK(z > 0); /* the greedy plan at least */
        if (clb_result_status(r) == CLB_STATUS_OPTIMAL)
            CHECK(b - z <= 1e-6 * (1 + fabs(z)));
        else
            CHECK_INT(clb_result_status(r), CLB_STATUS_TIME_LIMIT);
    }
    clb_result_free(r);
    clb_scenario_free(s);
}

static void on_tick(void *payload)
{
    (*(size_t *)payload)++;
}

/* A simplex with a progress tick calls it (here at its start and end, every <= 0) and
   gives the very same answer as without: the tick rides on display output only. */
static void simplex_ticks_without_changing_the_answer(void)
{
    clb_scenario *s = clb_test_generated(300, 30, 7, 20);
    clb_pairs pairs;
    clb_model m;
    clb_error err;
    clb_lp_status st1, st2;
    size_t ticks = 0;

    clb_error_init(&err);
    CHECK_INT(clb__pairs_build(&pairs, s, &err), 0);
    CHECK_INT(clb__model_build(&m, s, &pairs, NULL, &err), 0);
    clb_lp *plain = whole_model_lp(&m), *ticking = whole_model_lp(&m);
    clb__lp_set_tick(ticking, on_tick, &ticks, 0);
    CHECK_INT(clb__lp_simplex(plain, false, 0, &st1, &err), 0);
    CHECK_INT(clb__lp_simplex(ticking, false, 0, &st2, &err), 0);
    CHECK_INT(st1, CLB_LP_OPTIMAL);
    CHECK_INT(st2, CLB_LP_OPTIMAL);
    CHECK(ticks >= 1);
    double *x1 = calloc(m.ncols + 1, sizeof(double)), *x2 = calloc(m.ncols + 1, sizeof(double));
    clb__lp_values(plain, x1);
    clb__lp_values(ticking, x2);
    CHECK(clb__lp_objective(plain) == clb__lp_objective(ticking));
    CHECK(memcmp(x1, x2, m.ncols * sizeof(double)) == 0);
    fprintf(stderr, "%zu ticks in a simplex of %zu rows\n", ticks, m.nrows);
    free(x1);
    free(x2);
    clb__lp_free(plain);
    clb__lp_free(ticking);
    clb__model_dispose(&m);
    clb__pairs_dispose(&pairs);
    clb_scenario_free(s);
}

/* The heuristic integer master is held to twice the solve's time so far (at least a
   second): on a generated 1,000 x 50 round it used its whole 30 s failing to close a
   gap of 4 units that the enumeration's integer master then closed in 0.3 s. */
static void heuristic_master_time(void)
{
    CHECK(fabs(clb__itinerary_heuristic_seconds(0, 0.5) - 1) < 1e-12);   /* was 30 */
    CHECK(fabs(clb__itinerary_heuristic_seconds(-1, 4) - 8) < 1e-12);
    CHECK(fabs(clb__itinerary_heuristic_seconds(0, 100) - 30) < 1e-12);
    CHECK(fabs(clb__itinerary_heuristic_seconds(50, 10) - 15) < 1e-12);
    CHECK(fabs(clb__itinerary_heuristic_seconds(50, 2) - 4) < 1e-12);
    CHECK(fabs(clb__itinerary_heuristic_seconds(2, 0.1) - 0.6) < 1e-12);
}

int main(void)
{
    heuristic_master_time();
    simplex_ticks_without_changing_the_answer();
    for (uint64_t seed = 1; seed <= 40; seed++)
        compare_on(40, 6, seed, (int)seed);
    for (uint64_t seed = 50; seed <= 60; seed++)
        compare_on(60, 8, seed, (int)seed);
    fprintf(stderr, "%zu scenarios proven equal to the whole model's optimum\n", proven);
    CHECK(proven >= 40);
    for (uint64_t seed = 1; seed <= 15; seed++)
        extra_rows(seed);
    fprintf(stderr, "%zu scenarios where the extra rows changed the optimum\n", extra_binding);
    CHECK(extra_binding >= 5);
    limited_is_honest();
    return clb_test_finish();
}
