/*
 * test_itinerary_bound.c - the itinerary master's bound holds at every round.
 *
 * The bound shown while the solve runs comes from Lagrangian steps on the duals of the
 * shared rows (before the first master LP of a time-limited run), from each round's master LP duals, and
 * from the exact finish. Each one must be a proven upper bound on the whole model's
 * optimum, whatever the duals. On generated scenarios with the policy varied and some
 * workers pinned, every bound passed to the progress callback is compared with the
 * optimum of the pair model solved whole by branch-and-cut (whole_model.h), the
 * Lagrangian steps must really have run on most scenarios, and the answer must still
 * be that optimum, proven.
 */
#include "harness.h"
#include "circulab.h"
#include "generate.h"
#include "generated.h"
#include "solve/colgen.h"
#include "rules/eligibility.h"
#include "solve/itinerary.h"
#include "solve/lp.h"
#include "solve/model.h"
#include "scenario/scenario_impl.h"
#include "whole_model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct bounds_seen {
    double optimum;
    size_t seen, below;
    double lowest;
} bounds_seen;

static void on_progress(const char *phase, bool has_best, double best, bool has_bound,
                        double bound, bool force, void *payload)
{
    bounds_seen *b = payload;
    (void)phase, (void)force;
    if (has_best)
        CHECK(best <= b->optimum + 1e-6 * (1 + fabs(b->optimum)));
    if (!has_bound)
        return;
    b->seen++;
    if (bound < b->lowest)
        b->lowest = bound;
    if (bound < b->optimum - 1e-6 * (1 + fabs(b->optimum)))
        b->below++;
}

static size_t scenarios, with_steps, steps_total;

static void bound_on(size_t workers, size_t vacancies, uint64_t seed, double time_limit)
{

    clb_scenario *s = clb_test_generated(workers, vacancies, seed, 6);
    clb_pairs pairs;
    clb_model m;
    clb_error err;
    clb_cg_opts co;
    clb_cg_result r;
    bool *pinned;
    uint64_t st = seed * 0x9E3779B97F4A7C15ull + 11;

    if (!s)
        return;
    clb_error_init(&err);
    clb_test_vary_policy(s, &st, (clb_reint_mode)(seed % 3));
    CHECK_INT(clb__pairs_build(&pairs, s, &err), 0);
    pinned = calloc(pairs.n + 1, sizeof(bool));
    /* pins on a few workers, on their first eligible vacancy */
    if (seed % 4 == 1)
        for (size_t w = 0; w < s->n_workers; w += 11)
            if (pairs.first[w + 1] > pairs.first[w])
                pinned[pairs.first[w]] = true;
    CHECK_INT(clb__model_build(&m, s, &pairs, pinned, &err), 0);
    double whole = whole_model_optimum(&m);

    if (!isnan(whole)) {
        /* the pins' plan: the whole model's own optimum (only the pinned workers'
           columns are read) */
        double *pp = NULL;
        if (seed % 4 == 1) {
            clb_lp *lp = whole_model_lp(&m);
            clb_lp_status lst;
            double mb;
            clb_lp_mip_opts mo;
            CHECK_INT(clb__lp_simplex(lp, false, 0, &lst, &err), 0);
            memset(&mo, 0, sizeof(mo));
            mo.gap = 0.5; /* any plan that keeps every row */
            CHECK_INT(clb__lp_intopt(lp, &mo, &lst, &mb, &err), 0);
            pp = calloc(m.ncols + 1, sizeof(double));
            clb__lp_mip_values(lp, pp);
            clb__lp_free(lp);
        }

        bounds_seen b = {whole, 0, 0, INFINITY};
        memset(&co, 0, sizeof(co));
        co.t0 = clb__now_seconds();
        co.time_limit = time_limit;
        co.progress = on_progress;
        co.payload = &b;
        co.lag_min_workers = 1; /* the steps on these small rounds too */
        CHECK_INT(clb__itinerary_solve(&r, s, &m, pinned, pp, &co, &err), 0);
        CHECK(b.seen > 0);
        CHECK_INT(b.below, 0);
        if (b.below)
            fprintf(stderr, "  seed %llu: %zu bounds below the optimum %.6f, lowest %.6f\n",
                    (unsigned long long)seed, b.below, whole, b.lowest);
        CHECK(r.bound >= whole - 1e-6 * (1 + fabs(whole)));
        CHECK_INT(r.status, CLB_CG_OPTIMAL);
        if (r.x)
            CHECK_NEAR(clb__model_objective(&m, r.x), whole, 1e-6 * (1 + fabs(whole)));
        scenarios++;
        steps_total += r.lagrangian_steps;
        if (r.lagrangian_steps > 0)
            with_steps++;
        clb__cg_result_dispose(&r);
        free(pp);
    }
    clb__model_dispose(&m);
    clb__pairs_dispose(&pairs);
    clb_scenario_free(s);
    free(pinned);
}

int main(void)
{
    /* the steps run under a time limit: one that is not reached */
    for (uint64_t seed = 1; seed <= 30; seed++)
        bound_on(60, 8, seed, 600);
    /* without a limit the path is the one of before, and its bounds hold too */
    for (uint64_t seed = 31; seed <= 36; seed++)
        bound_on(60, 8, seed, 0);
    fprintf(stderr, "%zu scenarios, %zu with Lagrangian steps (%zu steps)\n", scenarios,
            with_steps, steps_total);
    CHECK(scenarios >= 24);
    CHECK(with_steps >= 20);
    return clb_test_finish();
}
