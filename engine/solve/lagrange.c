/*
 * lagrange.c - the Lagrangian relaxation of the itinerary master's shared rows and the
 * volume algorithm on its duals (lagrange.h).
 *
 * The volume algorithm (Barahona and Anbil) is a subgradient method whose direction is
 * the subgradient of an average of the relaxation's answers, not of the last one: the
 * duals move less erratically, and each step costs one pricing of every worker, with
 * no LP. Its constants were chosen on generated 5,000 x 250 rounds
 * (docs/PERFORMANCE.md, issue 14).
 */
#include "solve/lagrange.h"
#include "util/alloc.h"

#include <string.h>

#define LAG_LAMBDA 0.3 /* first step length, a fraction of Polyak's step */
#define LAG_ALPHA 0.3  /* weight of the newest answer in the average */

/* The first master LP's expected seconds (GLPK's primal simplex from the greedy
   plan's basis: pivots and the cost of one both grow with the rows), measured on the
   2-core machine of docs/PERFORMANCE.md: up to M, rows^2 times LAG_LP_SECONDS_PER_ROW2;
   beyond, faster: 15 s at M's 20,750 rows (15,235 pivots), and at L's 52,326 rows not
   ended after 78,000 pivots and 900 s, hence rows^4 from M's point. And how many times
   that a time limit must give for the LP's rounds to beat the steps. */
#define LAG_LP_SECONDS_PER_ROW2 2.5e-8
#define LAG_LP_M_ROWS 20750.0
#define LAG_LP_M_SECONDS 15.0
#define LAG_LP_TIMES 6.0

double clb__lag_lp_seconds(size_t rows)
{
    double q = (double)rows / LAG_LP_M_ROWS;
    double small = LAG_LP_SECONDS_PER_ROW2 * (double)rows * (double)rows;
    double large = LAG_LP_M_SECONDS * q * q * q * q;
    return small > large ? small : large;
}

bool clb__lag_pays(size_t workers, size_t rows, double time_limit, size_t min_workers)
{
    if (time_limit <= 0 || min_workers == 0)
        return false;
    return workers >= min_workers || time_limit < LAG_LP_TIMES * clb__lag_lp_seconds(rows);
}

/* d = c - pi A for every model column, over the shared rows. */
void clb__lag_reduced_values(clb_master *M)
{
    const clb_model *m = M->m;
    for (size_t j = 0; j < m->ncols; j++) {
        double v = m->obj[j];
        for (size_t e = M->cols.start[j]; e < M->cols.start[j + 1]; e++) {
            int32_t r = M->shared[M->cols.row[e]];
            if (r >= 0)
                v -= M->pi[r] * M->cols.val[e];
        }
        M->d[j] = v;
    }
}

/* The Lagrangian bound's part that does not depend on the workers. */
double clb__lag_bound_base(const clb_master *M)
{
    double b = M->m->obj_const;
    for (size_t r = 0; r < M->n_shared; r++) {
        if (M->pi[r] > 0)
            b += M->pi[r] * M->rhi[r];
        else if (M->pi[r] < 0)
            b += M->pi[r] * M->rlo[r];
    }
    for (size_t k = 0; k < M->n_fixed_model; k++) {
        int32_t j = M->fixed_model[k];
        double u = M->m->ub[j], l = M->m->lb[j];
        b += M->d[j] > 0 ? M->d[j] * u : M->d[j] * l;
    }
    return b;
}

/* act[r] += v times the entries of model columns cols[0..n) on shared row r */
void clb__lag_add_activity(const clb_master *M, double *act, const int32_t *cols, size_t n,
                         double v)
{
    for (size_t k = 0; k < n; k++) {
        int32_t j = cols[k];
        for (size_t e = M->cols.start[j]; e < M->cols.start[j + 1]; e++) {
            int32_t r = M->shared[M->cols.row[e]];
            if (r >= 0)
                act[r] += v * M->cols.val[e];
        }
    }
}

/* The fixed columns' part of the relaxation's answer at reduced values M->d: each at the
   bound its reduced value prefers. */
void clb__lag_fixed_activity(const clb_master *M, double *act)
{
    for (size_t k = 0; k < M->n_fixed_model; k++) {
        int32_t j = M->fixed_model[k];
        double v = M->d[j] > 0 ? M->m->ub[j] : M->m->lb[j];
        if (v != 0)
            clb__lag_add_activity(M, act, &j, 1, v);
    }
}

/* lagrange.h */
void clb__lag_plan_prices(clb_master *M, const int32_t *plan)
{
    const clb_model *m = M->m;
    for (size_t r = 0; r < M->n_shared; r++)
        M->pi[r] = CLB_LP_INF;
    for (size_t w = 0; w < M->nw; w++) {
        if (plan[w] < 0)
            continue;
        size_t p = (size_t)plan[w];
        for (size_t k = M->it_first[p]; k < M->it_first[p + 1]; k++) {
            int32_t j = M->it_cols[k];
            if (m->col_kind[j] != CLB_COL_X)
                continue;
            for (size_t e = M->cols.start[j]; e < M->cols.start[j + 1]; e++) {
                int32_t r = M->shared[M->cols.row[e]];
                if (r >= 0 && m->row_kind[M->cols.row[e]] == CLB_ROW_YDEF && m->obj[j] < M->pi[r])
                    M->pi[r] = m->obj[j];
            }
        }
    }
    for (size_t r = 0; r < M->n_shared; r++)
        if (M->pi[r] >= CLB_LP_INF || M->pi[r] < 0)
            M->pi[r] = 0;
}

/*
 * A subgradient of L at duals pi for the answer's activity act, by the side each row's
 * dual prices (at a zero dual, the side the answer breaks): L decreases along -g.
 * Returns |g|^2.
 */
static double subgradient(const clb_master *M, const double *pi, const double *act,
                                     double *g)
{
    double n2 = 0;
    for (size_t r = 0; r < M->n_shared; r++) {
        double a = act[r], lo = M->rlo[r], hi = M->rhi[r], v;
        if (pi[r] > 0)
            v = hi - a;
        else if (pi[r] < 0)
            v = lo - a;
        else if (a > hi)
            v = hi - a;
        else if (a < lo)
            v = lo - a;
        else
            v = 0;
        g[r] = v;
        n2 += v * v;
    }
    return n2;
}

int clb__lag_steps(clb_master *M, double L0, const double *act0, int max_steps, int stall,
                  clb_lag_eval eval, clb_lag_stop stop, void *payload, int *steps)
{
    size_t n = M->n_shared;
    double *center = clb__calloc(n + 1, sizeof(double));
    double *act = clb__malloc((n + 1) * sizeof(double));
    double *bar = clb__malloc((n + 1) * sizeof(double));
    double *g = clb__malloc((n + 1) * sizeof(double));
    int error = 0, reds = 0, since_best = 0;
    double lambda = LAG_LAMBDA, alpha = LAG_ALPHA;
    double Lc = L0, L = 0;

    *steps = 0;
    if (!center || !act || !bar || !g) {
        error = clb__master_nomem(M);
        goto done;
    }
    memcpy(bar, act0, n * sizeof(double));
    memcpy(center, M->pi, n * sizeof(double));
    for (; *steps < max_steps; (*steps)++) {
        double target = M->has_inc ? M->inc_obj : 0;
        if (stop(M, payload))
            break;
        double n2 = subgradient(M, center, bar, g);
        if (n2 < 1e-12 || Lc <= target)
            break;
        double step = lambda * (Lc - target) / n2;
        for (size_t r = 0; r < n; r++) {
            double p = center[r] - step * g[r];
            /* a dual does not cross zero in one step (it changes the side it prices),
               and prices only a finite side */
            if (M->rlo[r] != M->rhi[r] &&
                ((center[r] > 0 && p < 0) || (center[r] < 0 && p > 0)))
                p = 0;
            if ((p > 0 && M->rhi[r] >= CLB_LP_INF) || (p < 0 && M->rlo[r] <= -CLB_LP_INF))
                p = 0;
            M->pi[r] = p;
        }
        if ((error = eval(M, act, &L, payload)) != 0)
            goto done;
        for (size_t r = 0; r < n; r++)
            bar[r] = alpha * act[r] + (1 - alpha) * bar[r];
        if (L < Lc - 1e-3 * (Lc - target)) {
            since_best = 0;
        } else if (stall > 0 && ++since_best >= stall) {
            (*steps)++;
            break;
        }
        if (L < Lc) {
            memcpy(center, M->pi, n * sizeof(double));
            Lc = L;
            lambda = lambda * 1.1 < 2 ? lambda * 1.1 : 2;
        } else if (++reds >= 3) {
            lambda *= 0.66;
            reds = 0;
        }
    }
done:
    clb__free(center);
    clb__free(act);
    clb__free(bar);
    clb__free(g);
    return error;
}

