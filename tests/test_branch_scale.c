/*
 * test_branch_scale.c - the itinerary master's column generation and branch-and-price
 * (engine/solve/itinerary.c, branch.c) when the objective is large: every weight may
 * be up to 1e9 (docs/MODEL.md §3.7), so reduced values reach 1e9 and more.
 *
 * Two things must hold whatever the scale. The decisions reach the pricing through
 * big reduced values, and the best itinerary under them must keep a worker's
 * decisions whenever one of its itineraries does (branch.h): checked on every worker
 * whose best itinerary has two placements or more, one of them refused, with the real
 * pricing. And column generation must end, at the root as at a node: with values of
 * 1e9 the LP's reduced costs and the pricing's values disagree by rounding, and an
 * itinerary already in the LP must not be offered to it again round after round.
 * Checked by proving scenarios with their weights multiplied by 1e6 (the same plans,
 * the objective times 1e6), by branching and by the enumeration, against the
 * enumeration's proof at the usual weights, under a time limit far above what they
 * need, so that a search that never ends shows as a status other than optimal, or an
 * LP optimum never reached, instead of a hung test.
 */
#include "harness.h"
#include "circulab.h"
#include "generate.h"
#include "generated.h"
#include "rules/eligibility.h"
#include "scenario/scenario_impl.h"
#include "solve/branch.h"
#include "solve/colgen.h"
#include "solve/itinerary.h"
#include "solve/model.h"
#include "solve/pricing.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCALE 1e6 /* fill 1000 -> 1e9, the largest weight allowed */

static void scale_weights(clb_scenario *s, double k)
{
    clb_weights *w = &s->policy.weights;
    double *v[] = {&w->fill, &w->returning, &w->tenure, &w->named, &w->same_employer,
                   &w->preference, &w->score, &w->keep, &w->training_cost,
                   &w->quota_shortfall, &w->reintegration};
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        *v[i] *= k;
}

/* A refused placement of a worker's best itinerary: the best under the node's values
   keeps the decision (the worker has other itineraries: each of the other placements
   alone). */
static size_t refusals_kept(uint64_t seed, size_t *tried)
{
    clb_scenario *s = clb_test_generated(200, 10, seed, 20);
    clb_pairs pairs;
    clb_model m;
    clb_error err;
    clb_pricing *pr = NULL;
    clb_itin it, best;
    size_t kept = 0;

    if (!s)
        return 0;
    clb_error_init(&err);
    scale_weights(s, SCALE);
    CHECK_INT(clb__pairs_build(&pairs, s, &err), 0);
    CHECK_INT(clb__model_build(&m, s, &pairs, NULL, &err), 0);
    CHECK_INT(clb__pricing_new(&pr, s, &m, NULL), 0);
    memset(&it, 0, sizeof(it));
    memset(&best, 0, sizeof(best));
    double *d = malloc((m.ncols + 1) * sizeof(double));
    int32_t *first = calloc(s->n_workers + 1, sizeof(int32_t));
    double *big = calloc(s->n_workers + 1, sizeof(double));
    int32_t col;
    uint8_t val = 0;
    uint32_t who;
    CHECK(d && first && big);
    for (uint32_t w = 0; w < s->n_workers && d && first && big; w++) {
        bool found;
        if (pairs.first[w + 1] == pairs.first[w])
            continue;
        CHECK_INT(clb__pricing_best(pr, w, m.obj, &best, &found), 0);
        if (!found || best.n < 2 || (size_t)best.cols[1] >= m.n_x)
            continue; /* fewer than two placements (X columns come first, ascending) */
        /* the decision: w's first placement refused */
        col = best.cols[0];
        who = w;
        for (uint32_t v = 0; v <= s->n_workers; v++)
            first[v] = v > w ? 1 : 0;
        clb_branch b;
        memset(&b, 0, sizeof(b));
        b.first = first;
        b.col = &col;
        b.val = &val;
        b.workers = &who;
        b.n = 1;
        b.n_workers = 1;
        b.big = big;
        memcpy(d, m.obj, m.ncols * sizeof(double));
        clb__branch_adjust_d(&m, pr, &b, d);
        CHECK_INT(clb__pricing_best(pr, w, d, &it, &found), 0);
        CHECK(found);
        double value;
        bool must = false;
        bool keeps = found && clb__branch_keeps(&b, w, &it, &value, &must);
        CHECK(keeps);
        if (keeps) {
            /* and its value is its own, the decision's term taken out */
            double v = 0;
            for (size_t k = 0; k < it.n; k++)
                v += m.obj[it.cols[k]];
            CHECK(fabs(value - v) <= 1e-6 * (1 + fabs(v)));
            kept++;
        }
        (*tried)++;
    }
    free(d);
    free(first);
    free(big);
    clb__itin_dispose(&it);
    clb__itin_dispose(&best);
    clb__pricing_free(pr);
    clb__model_dispose(&m);
    clb__pairs_dispose(&pairs);
    clb_scenario_free(s);
    return kept;
}

/* Proven at weights times SCALE (by branching when `branch`, else as the solve does):
   the enumeration's optimum at the usual weights, times SCALE. */
static bool proven_at_scale(uint64_t seed, bool branch, size_t *nodes)
{
    clb_scenario *s = clb_test_generated(200, 10, seed, 20);
    clb_pairs pairs;
    clb_model m, mk;
    clb_error err;
    clb_cg_opts co;
    clb_cg_result r1, r2;
    bool ok = false;

    if (!s)
        return false;
    clb_error_init(&err);
    s->policy.reintegration = (clb_reint_mode)(seed % 3);
    CHECK_INT(clb__pairs_build(&pairs, s, &err), 0);
    CHECK_INT(clb__model_build(&m, s, &pairs, NULL, &err), 0);
    scale_weights(s, SCALE);
    CHECK_INT(clb__model_build(&mk, s, &pairs, NULL, &err), 0);
    memset(&co, 0, sizeof(co));
    co.t0 = clb__now_seconds();
    CHECK_INT(clb__itinerary_solve(&r1, s, &m, NULL, NULL, &co, &err), 0);
    CHECK_INT(r1.status, CLB_CG_OPTIMAL);
    memset(&co, 0, sizeof(co));
    co.t0 = clb__now_seconds();
    co.enum_limit = branch ? 1 : 0; /* 1: branch-and-price proves */
    co.time_limit = 20; /* a guard only: these take a fraction of a second */
    CHECK_INT(clb__itinerary_solve(&r2, s, &mk, NULL, NULL, &co, &err), 0);
    if (r1.x && r2.x) {
        double z = r1.objective * SCALE, tol = 1e-6 * (1 + fabs(z));
        CHECK_INT(r2.status, CLB_CG_OPTIMAL);
        CHECK_NEAR(r2.objective, z, tol);
        CHECK(r2.bound >= z - tol);
        CHECK_NEAR(clb__model_objective(&mk, r2.x), r2.objective, tol);
        /* column generation ended (converged: the LP optimum is known), not stopped at
           its share of the time limit */
        CHECK(r2.lp_bound >= z - tol);
        ok = r2.status == CLB_CG_OPTIMAL && fabs(r2.objective - z) <= tol &&
             r2.lp_bound >= z - tol;
        *nodes = r2.nodes;
        if (!ok)
            fprintf(stderr, "seed %llu: status %d, %.3f for %.3f, %zu nodes\n",
                    (unsigned long long)seed, (int)r2.status, r2.objective, z, r2.nodes);
    }
    clb__cg_result_dispose(&r1);
    clb__cg_result_dispose(&r2);
    clb__model_dispose(&m);
    clb__model_dispose(&mk);
    clb__pairs_dispose(&pairs);
    clb_scenario_free(s);
    return ok;
}

int main(void)
{
    size_t tried = 0, kept = 0;
    for (uint64_t seed = 1; seed <= 3; seed++)
        kept += refusals_kept(seed, &tried);
    fprintf(stderr, "%zu of %zu refusals kept at weights x %g\n", kept, tried, SCALE);
    CHECK(tried >= 20);
    /* scenarios whose master LP is fractional (test_branch's), which branch */
    const uint64_t seeds[] = {35, 86, 119, 227};
    size_t branched = 0;
    for (size_t k = 0; k < sizeof(seeds) / sizeof(seeds[0]); k++) {
        size_t nodes = 0;
        if (proven_at_scale(seeds[k], true, &nodes))
            branched += nodes > 1;
    }
    CHECK(branched >= 3);
    /* column generation before any branching: scenarios where it did not end */
    const uint64_t plain[] = {5, 16};
    for (size_t k = 0; k < sizeof(plain) / sizeof(plain[0]); k++) {
        size_t nodes = 0;
        CHECK(proven_at_scale(plain[k], false, &nodes));
    }
    return clb_test_finish();
}
