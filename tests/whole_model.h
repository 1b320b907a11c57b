/*
 * whole_model.h - the pair model solved whole (every row and column at once) by GLPK's
 * branch-and-cut through lp.h: the independent optimum the itinerary master's tests
 * compare with. Include after harness.h.
 */
#ifndef CLB_TEST_WHOLE_MODEL_H
#define CLB_TEST_WHOLE_MODEL_H

#include "solve/lp.h"
#include "solve/model.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Does x keep every bound, integrality and row of m (to 1e-6)? Names the first
   broken row on stderr. */
static inline bool keeps_every_row(const clb_model *m, const double *x)
{
    for (size_t j = 0; j < m->ncols; j++)
        if (x[j] < m->lb[j] - 1e-6 || x[j] > m->ub[j] + 1e-6 ||
            (m->is_int[j] && fabs(x[j] - round(x[j])) > 1e-6))
            return false;
    for (size_t i = 0; i < m->nrows; i++) {
        double a = 0;
        for (size_t e = m->row_start[i]; e < m->row_start[i + 1]; e++)
            a += m->val[e] * x[m->idx[e]];
        if (a > m->rhi[i] + 1e-6 || a < m->rlo[i] - 1e-6) {
            fprintf(stderr, "row %zu (kind %d) broken: %g not in [%g, %g]\n", i,
                    m->row_kind[i], a, m->rlo[i], m->rhi[i]);
            return false;
        }
    }
    return true;
}

/* The whole model m as an LP of lp.h. */
static inline clb_lp *whole_model_lp(const clb_model *m)
{
    clb_model_cols cols;
    clb_lp *lp = NULL;
    clb_error err;
    double *lo = malloc((m->nrows + 1) * sizeof(double));
    double *hi = malloc((m->nrows + 1) * sizeof(double));
    double *ub = malloc((m->ncols + 1) * sizeof(double));

    clb_error_init(&err);
    CHECK(lo && hi && ub);
    CHECK_INT(clb__model_columns(&cols, m), 0);
    for (size_t i = 0; i < m->nrows; i++) {
        lo[i] = m->rlo[i] <= -CLB_INF ? -CLB_LP_INF : m->rlo[i];
        hi[i] = m->rhi[i] >= CLB_INF ? CLB_LP_INF : m->rhi[i];
    }
    for (size_t j = 0; j < m->ncols; j++)
        ub[j] = m->ub[j] >= CLB_INF ? CLB_LP_INF : m->ub[j];
    CHECK_INT(clb__lp_new(&lp, &err), 0);
    CHECK_INT(clb__lp_add_rows(lp, m->nrows, lo, hi, NULL, NULL, NULL, &err), 0);
    CHECK_INT(clb__lp_add_cols(lp, m->ncols, m->obj, m->lb, ub, m->is_int, cols.start,
                              cols.row, cols.val, &err),
              0);
    CHECK_INT(clb__lp_set_obj_const(lp, m->obj_const, &err), 0);
    clb__model_cols_dispose(&cols);
    free(lo);
    free(hi);
    free(ub);
    return lp;
}

static inline double whole_model_optimum(const clb_model *m)
{
    clb_lp *lp = whole_model_lp(m);
    clb_error err;
    clb_lp_status st;
    double bound = 0, z = NAN;
    clb_lp_mip_opts mo;

    clb_error_init(&err);
    CHECK_INT(clb__lp_simplex(lp, false, 0, &st, &err), 0);
    if (st == CLB_LP_OPTIMAL) {
        memset(&mo, 0, sizeof(mo));
        mo.gap = 1e-9;
        mo.gomory_cuts = true;
        CHECK_INT(clb__lp_intopt(lp, &mo, &st, &bound, &err), 0);
        if (st == CLB_LP_OPTIMAL)
            z = clb__lp_mip_objective(lp);
    }
    clb__lp_free(lp);
    return z;
}

/* The plan of the pinned workers as the solve path computes it: here, the whole
   model's own optimum restricted to them would do, but any plan that keeps every row
   is allowed; the test passes the plan of the pins found by solving the whole model. */
static inline double *whole_model_pins_plan(const clb_model *m, const bool *pinned,
                                            const clb_pairs *pairs)
{
    /* a plan of the whole model through lp.h, then everything of the unpinned workers
       set to zero and the counts recomputed by the master (only pinned workers' own
       columns are read) */
    clb_model_cols cols;
    clb_lp *lp = NULL;
    clb_error err;
    clb_lp_status st;
    double bound;
    double *lo = malloc((m->nrows + 1) * sizeof(double));
    double *hi = malloc((m->nrows + 1) * sizeof(double));
    double *ub = malloc((m->ncols + 1) * sizeof(double));
    double *x = calloc(m->ncols + 1, sizeof(double));
    clb_lp_mip_opts mo;
    bool any = false;

    for (size_t p = 0; p < pairs->n; p++)
        any |= pinned[p];
    clb_error_init(&err);
    clb__model_columns(&cols, m);
    for (size_t i = 0; i < m->nrows; i++) {
        lo[i] = m->rlo[i] <= -CLB_INF ? -CLB_LP_INF : m->rlo[i];
        hi[i] = m->rhi[i] >= CLB_INF ? CLB_LP_INF : m->rhi[i];
    }
    for (size_t j = 0; j < m->ncols; j++)
        ub[j] = m->ub[j] >= CLB_INF ? CLB_LP_INF : m->ub[j];
    clb__lp_new(&lp, &err);
    clb__lp_add_rows(lp, m->nrows, lo, hi, NULL, NULL, NULL, &err);
    clb__lp_add_cols(lp, m->ncols, m->obj, m->lb, ub, m->is_int, cols.start, cols.row,
                    cols.val, &err);
    clb__lp_zero_objective(lp, true, &err);
    clb__lp_simplex(lp, false, 0, &st, &err);
    if (any && st == CLB_LP_OPTIMAL) {
        memset(&mo, 0, sizeof(mo));
        mo.gap = 0.5;
        clb__lp_intopt(lp, &mo, &st, &bound, &err);
        if (st == CLB_LP_OPTIMAL || st == CLB_LP_FEASIBLE)
            clb__lp_mip_values(lp, x);
    }
    clb__lp_free(lp);
    clb__model_cols_dispose(&cols);
    free(lo);
    free(hi);
    free(ub);
    return x;
}

#endif
