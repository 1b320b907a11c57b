/*
 * test_lp_stall.c - branch-and-bound that ends after a while without a better plan
 * (clb_lp_mip_opts.stall, engine/solve/lp_glpk.c).
 *
 * The itinerary master's heuristic integer master uses it: on a 20,000-worker round it
 * found its one better plan in 20 s and then searched 160 s more for nothing, time that
 * branch-and-price needed. Here a multi-dimensional knapsack with correlated values,
 * which GLPK's branch-and-bound does not prove within a minute, is searched with a
 * time limit of 60 s: with a stall of 0.5 s the search must end long before the limit,
 * with a plan (not a proof) that keeps every row, and a bound at least its value;
 * without a stall it must run to the limit's share given here (3 s), so that the
 * first check says something.
 */
#include "harness.h"
#include "solve/lp.h"
#include "util/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N 70
#define R 6

static double a[R][N], c[N], b[R];

static void make(void)
{
    uint64_t s = 12345;
    for (int j = 0; j < N; j++) {
        double w = 0;
        for (int i = 0; i < R; i++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            a[i][j] = 10 + (double)((s >> 33) % 90);
            w += a[i][j];
        }
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        c[j] = w / R + (double)((s >> 33) % 10); /* values close to weights: hard */
    }
    for (int i = 0; i < R; i++) {
        double t = 0;
        for (int j = 0; j < N; j++)
            t += a[i][j];
        b[i] = floor(t / 2);
    }
}

/* The knapsack's search with the given stall and time limit: status, seconds, plan. */
static clb_lp_status search(double stall, double limit, double *secs, double *x, double *obj,
                            double *bound)
{
    clb_lp *lp = NULL;
    clb_error err;
    clb_lp_status st;
    double lo[R], hi[R], lb[N], ub[N], vals[N * R];
    size_t start[N + 1];
    int32_t rows[N * R];
    bool is_int[N];
    clb_lp_mip_opts mo;

    clb_error_init(&err);
    CHECK_INT(clb__lp_new(&lp, &err), 0);
    for (int i = 0; i < R; i++) {
        lo[i] = -CLB_LP_INF;
        hi[i] = b[i];
    }
    CHECK_INT(clb__lp_add_rows(lp, R, lo, hi, NULL, NULL, NULL, &err), 0);
    for (int j = 0; j < N; j++) {
        lb[j] = 0;
        ub[j] = 1;
        is_int[j] = true;
        start[j] = (size_t)j * R;
        for (int i = 0; i < R; i++) {
            rows[j * R + i] = i;
            vals[j * R + i] = a[i][j];
        }
    }
    start[N] = (size_t)N * R;
    CHECK_INT(clb__lp_add_cols(lp, N, c, lb, ub, is_int, start, rows, vals, &err), 0);
    CHECK_INT(clb__lp_simplex(lp, false, 0, &st, &err), 0);
    CHECK_INT(st, CLB_LP_OPTIMAL);
    memset(&mo, 0, sizeof(mo));
    mo.time_limit = limit;
    mo.stall = stall;
    double t0 = clb__now_seconds();
    CHECK_INT(clb__lp_intopt(lp, &mo, &st, bound, &err), 0);
    *secs = clb__now_seconds() - t0;
    if (st == CLB_LP_OPTIMAL || st == CLB_LP_FEASIBLE) {
        clb__lp_mip_values(lp, x);
        *obj = clb__lp_mip_objective(lp);
    }
    clb__lp_free(lp);
    return st;
}

int main(void)
{
    double x[N], obj = 0, bound = 0, secs = 0;
    make();

    clb_lp_status st = search(0.5, 60, &secs, x, &obj, &bound);
    CHECK_INT(st, CLB_LP_FEASIBLE);
    CHECK(secs < 30);
    CHECK(bound >= obj - 1e-6);
    for (int i = 0; i < R; i++) {
        double t = 0;
        for (int j = 0; j < N; j++) {
            CHECK(fabs(x[j] - round(x[j])) < 1e-9);
            t += a[i][j] * x[j];
        }
        CHECK(t <= b[i] + 1e-6);
    }
    double v = 0;
    for (int j = 0; j < N; j++)
        v += c[j] * x[j];
    CHECK_NEAR(v, obj, 1e-6);
    CHECK(obj > 0);

    /* without a stall the same search is not over within 3 s */
    st = search(0, 3, &secs, x, &obj, &bound);
    CHECK_INT(st, CLB_LP_FEASIBLE);
    CHECK(secs >= 2.5);
    return clb_test_finish();
}
