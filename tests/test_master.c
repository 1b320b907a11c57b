/*
 * test_master.c - the itinerary master's LPs (engine/solve/master.c) started from one
 * another's basis.
 *
 * The integer masters of the exact finish are new LPs over the master's rows; started
 * from the master LP's basis they must need no simplex pivot when they hold the same
 * columns (in any order, under other pool indices) and give the same optimum. When a
 * basic itinerary of the master is missing, no basis is installed (a partial one would
 * not be a basis), and the LP still reaches its own optimum from its slack basis.
 *
 * The whole itinerary solve with the master LP managed (columns that keep pricing out
 * dropped, integer masters warm-started; forced here, on small scenarios) must prove
 * the same optimum as without, with a plan that keeps every row of the pair model, and
 * must actually have dropped columns; and so with at most a few itineraries joining
 * the LP a round (more rounds).
 */
#include "harness.h"
#include "whole_model.h"
#include "circulab.h"
#include "generate.h"
#include "generated.h"
#include "rules/eligibility.h"
#include "solve/itinerary.h"
#include "solve/lp.h"
#include "solve/master.h"
#include "solve/model.h"
#include "solve/pricing.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A few itineraries per worker: the best at zero duals and under perturbed values. */
static void fill_pool(clb_master *M, uint64_t seed)
{
    const clb_model *m = M->m;
    double *d = malloc((m->ncols + 1) * sizeof(double));
    clb_itin it;
    uint64_t r = seed * 2654435761u + 1;

    memset(&it, 0, sizeof(it));
    CHECK(d != NULL);
    for (int round = 0; round < 3 && d; round++) {
        for (size_t j = 0; j < m->ncols; j++) {
            r = r * 6364136223846793005u + 1442695040888963407u;
            double u = (double)(r >> 11) / 9007199254740992.0;
            d[j] = round == 0 ? m->obj[j] : m->obj[j] * (0.3 + u);
        }
        for (uint32_t w = 0; w < M->nw; w++) {
            bool found = false;
            int32_t k;
            if (M->wrow[w] < 0)
                continue;
            CHECK_INT(clb__pricing_best(M->pr, w, d, &it, &found), 0);
            if (found)
                CHECK_INT(clb__master_pool_add(M, &it, &k), 0);
        }
    }
    clb__itin_dispose(&it);
    free(d);
}

/* Pool entries [from, to) copied again, last first (new indices, other order), but
   those holding the itinerary of entry `skip` (-1: none). */
static void copy_pool(clb_master *M, size_t from, size_t to, long skip)
{
    clb_itin it;
    memset(&it, 0, sizeof(it));
    for (size_t q = to; q-- > from;) {
        int32_t k;
        if (skip >= 0 && M->it_w[q] == M->it_w[skip] &&
            M->it_first[q + 1] - M->it_first[q] == M->it_first[skip + 1] - M->it_first[skip] &&
            memcmp(M->it_cols + M->it_first[q], M->it_cols + M->it_first[skip],
                   (M->it_first[q + 1] - M->it_first[q]) * sizeof(int32_t)) == 0)
            continue;
        it.worker = M->it_w[q];
        it.n = 0;
        for (size_t e = M->it_first[q]; e < M->it_first[q + 1]; e++)
            CHECK_INT(clb__itin_push(&it, M->it_cols[e]), 0);
        CHECK_INT(clb__master_pool_add(M, &it, &k), 0);
    }
    clb__itin_dispose(&it);
}

/* A new LP over pool entries [first, n_it), started from the master's basis: its
   simplex pivots and optimum. */
static size_t solve_from_master(clb_master *M, size_t first, double *z)
{
    clb_lp *lp = NULL;
    clb_lp_status st;
    clb_error err;
    size_t before, pivots = 0;

    clb_error_init(&err);
    M->err = &err;
    CHECK_INT(clb__master_lp_frame(M, &lp, 0), 0);
    CHECK_INT(clb__master_lp_add_pool(M, lp, first), 0);
    CHECK_INT(clb__master_lp_basis_from(M, lp, first), 0);
    before = clb__lp_iterations(lp);
    CHECK_INT(clb__lp_simplex(lp, false, 0, &st, &err), 0);
    CHECK_INT(st, CLB_LP_OPTIMAL);
    pivots = clb__lp_iterations(lp) - before;
    *z = clb__lp_objective(lp);
    clb__lp_free(lp);
    return pivots;
}

static void basis_carries_over(size_t workers, size_t vacancies, uint64_t seed)
{
    clb_scenario *s = clb_test_generated(workers, vacancies, seed, 0);
    clb_pairs pairs;
    clb_model m;
    clb_master M;
    clb_error err;
    clb_lp_status st;
    double z, z2;

    clb_error_init(&err);
    memset(&M, 0, sizeof(M));
    M.err = &err;
    if (!s)
        return;
    CHECK_INT(clb__pairs_build(&pairs, s, &err), 0);
    CHECK_INT(clb__model_build(&m, s, &pairs, NULL, &err), 0);
    CHECK_INT(clb__master_init(&M, s, &m, NULL), 0);
    fill_pool(&M, seed);
    size_t n0 = M.n_it;
    CHECK(n0 > 0);
    CHECK_INT(clb__master_lp_frame(&M, &M.lp, CLB_LP_INF), 0);
    CHECK_INT(clb__master_lp_grow(&M), 0);
    CHECK_INT(clb__lp_simplex(M.lp, false, 0, &st, &err), 0);
    CHECK_INT(st, CLB_LP_OPTIMAL);
    CHECK(clb__lp_iterations(M.lp) > 0);
    z = clb__lp_objective(M.lp);

    /* the same columns: no pivot, the same optimum */
    CHECK_INT(solve_from_master(&M, 0, &z2), 0);
    CHECK(fabs(z2 - z) <= 1e-9 * (1 + fabs(z)));

    /* the same itineraries again, under other indices and in reverse order */
    size_t first = M.n_it;
    copy_pool(&M, 0, n0, -1);
    CHECK_INT(solve_from_master(&M, first, &z2), 0);
    CHECK(fabs(z2 - z) <= 1e-9 * (1 + fabs(z)));

    /* without one basic itinerary of the master: no basis installed, and the LP over
       fewer columns reaches its own optimum, at most the master's */
    {
        uint8_t *rs = malloc(M.n_rows + 1), *cs = malloc(clb__lp_cols(M.lp) + 1);
        size_t base = M.n_fixed_model + M.n_art;
        long skip = -1;
        clb__lp_get_basis(M.lp, rs, cs);
        for (size_t k = 0; k < n0 && skip < 0; k++)
            if (cs[base + k] == CLB_LP_BASIC)
                skip = (long)k;
        CHECK(skip >= 0);
        first = M.n_it;
        copy_pool(&M, 0, n0, skip);
        CHECK(solve_from_master(&M, first, &z2) > 0);
        CHECK(z2 <= z + 1e-9 * (1 + fabs(z)));
        free(rs);
        free(cs);
    }
    clb__master_dispose(&M);
    clb__model_dispose(&m);
    clb__pairs_dispose(&pairs);
    clb_scenario_free(s);
}

static size_t cols_managed, cols_plain, rounds_capped, rounds_plain;

static void managed_solve_agrees(size_t workers, size_t vacancies, uint64_t seed, size_t cap)
{
    clb_scenario *s = clb_test_generated(workers, vacancies, seed, 6);
    clb_pairs pairs;
    clb_model m;
    clb_error err;
    clb_cg_opts co;
    clb_cg_result plain, managed;

    if (!s)
        return;
    clb_error_init(&err);
    s->policy.reintegration = (clb_reint_mode)(seed % 3);
    s->policy.max_placements = (int)(seed % 3);
    CHECK_INT(clb__pairs_build(&pairs, s, &err), 0);
    CHECK_INT(clb__model_build(&m, s, &pairs, NULL, &err), 0);
    memset(&co, 0, sizeof(co));
    co.t0 = clb__now_seconds();
    co.lp_manage = -1;
    CHECK_INT(clb__itinerary_solve(&plain, s, &m, NULL, NULL, &co, &err), 0);
    co.t0 = clb__now_seconds();
    co.lp_manage = 1;
    co.lp_cap = cap;
    CHECK_INT(clb__itinerary_solve(&managed, s, &m, NULL, NULL, &co, &err), 0);
    CHECK_INT(plain.status, CLB_CG_OPTIMAL);
    CHECK_INT(managed.status, CLB_CG_OPTIMAL);
    if (plain.x && managed.x) {
        double z = clb__model_objective(&m, managed.x);
        CHECK(fabs(z - plain.objective) <= 1e-6 * (1 + fabs(plain.objective)));
        CHECK(fabs(z - managed.objective) <= 1e-6 * (1 + fabs(z)));
        CHECK(keeps_every_row(&m, managed.x));
        CHECK(managed.bound >= plain.objective - 1e-6 * (1 + fabs(plain.objective)));
    }
    if (cap > 0) {
        rounds_capped += managed.rounds;
        rounds_plain += plain.rounds;
    } else {
        cols_managed += managed.master_cols;
        cols_plain += plain.master_cols;
    }
    clb__cg_result_dispose(&plain);
    clb__cg_result_dispose(&managed);
    clb__model_dispose(&m);
    clb__pairs_dispose(&pairs);
    clb_scenario_free(s);
}

int main(void)
{
    for (uint64_t seed = 1; seed <= 12; seed++)
        managed_solve_agrees(120 + 10 * seed, 10, seed, 0);
    fprintf(stderr, "master LP columns at the end: %zu managed, %zu plain\n", cols_managed,
            cols_plain);
    CHECK(cols_managed < cols_plain);
    /* a few itineraries a round at most: more rounds, the same optimum */
    for (uint64_t seed = 20; seed <= 27; seed++)
        managed_solve_agrees(100 + 10 * seed, 10, seed, 5);
    fprintf(stderr, "pricing rounds: %zu capped at 5 itineraries, %zu not\n", rounds_capped,
            rounds_plain);
    CHECK(rounds_capped > rounds_plain);
    for (uint64_t seed = 1; seed <= 6; seed++)
        basis_carries_over(60 + 20 * seed, 8, seed);
    return clb_test_finish();
}
