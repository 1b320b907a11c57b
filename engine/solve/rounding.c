/*
 * rounding.c - round fractional values to a plan and repair it row by row.
 *
 * The repair only ever sets columns to zero, and the plan of the pins alone keeps
 * every row, so it ends after at most one pass per column: each pass finds the rows
 * still broken and, for each, zeroes one column whose value pushes the row out of its
 * bounds (the least valuable placement first). Vacancy counts (y) and the met parts
 * of quota minimums (s) are not rounded but derived from the placements after each
 * pass; a vacancy over its headcount loses its least valuable placements.
 */
#include "solve/rounding.h"
#include "util/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TOL 1e-7

typedef struct fixer {
    const clb_model *m;
    double *x;
    int32_t *ydef_row; /* Y column (by vacancy) -> its YDEF row */
} fixer;

static bool derived(const clb_model *m, size_t j)
{
    return m->col_kind[j] == CLB_COL_Y || m->col_kind[j] == CLB_COL_S;
}

/* Zero the least valuable free placement of YDEF row i; false if none. */
static bool drop_from_vacancy(fixer *f, int32_t i)
{
    const clb_model *m = f->m;
    long best = -1;
    for (size_t e = m->row_start[i]; e < m->row_start[i + 1]; e++) {
        int32_t j = m->idx[e];
        if (m->col_kind[j] != CLB_COL_X || f->x[j] < 0.5 || m->lb[j] > 0)
            continue;
        if (best < 0 || m->obj[j] < m->obj[best])
            best = j;
    }
    if (best < 0)
        return false;
    f->x[best] = 0;
    return true;
}

/* Vacancy counts and met parts from the placements. Returns false if stuck. */
static bool derive(fixer *f)
{
    const clb_model *m = f->m;
    for (size_t i = 0; i < m->nrows; i++) {
        clb_row_kind k = (clb_row_kind)m->row_kind[i];
        if (k != CLB_ROW_YDEF && k != CLB_ROW_QUOTA_MIN)
            continue;
        for (;;) {
            double a = 0;
            long dep = -1;
            for (size_t e = m->row_start[i]; e < m->row_start[i + 1]; e++) {
                int32_t j = m->idx[e];
                if (derived(m, (size_t)j) && m->val[e] < 0)
                    dep = j;
                else
                    a += m->val[e] * f->x[j];
            }
            if (dep < 0)
                break;
            if (k == CLB_ROW_QUOTA_MIN) {
                f->x[dep] = a < 0 ? 0 : a > m->ub[dep] ? m->ub[dep] : a;
                break;
            }
            if (a <= m->ub[dep] + TOL) {
                f->x[dep] = a;
                break;
            }
            if (!drop_from_vacancy(f, (int32_t)i))
                return false;
        }
    }
    return true;
}

/* A column to zero so that row i moves toward its bounds (up: it is below). */
static long pick(fixer *f, size_t i, bool up)
{
    const clb_model *m = f->m;
    long best = -1;
    for (size_t e = m->row_start[i]; e < m->row_start[i + 1]; e++) {
        int32_t j = m->idx[e];
        double v = m->val[e];
        if (f->x[j] <= TOL || m->lb[j] > 0 || (up ? v >= 0 : v <= 0))
            continue;
        if (m->col_kind[j] == CLB_COL_S)
            continue;
        if (m->col_kind[j] == CLB_COL_Y) {
            /* a count: take it down through its vacancy's placements */
            if (f->ydef_row[m->col_a[j]] >= 0 && drop_from_vacancy(f, f->ydef_row[m->col_a[j]]))
                return -2;
            continue;
        }
        /* prefer the column worth least, placements before the others */
        if (best < 0 || (m->col_kind[j] == CLB_COL_X) > (m->col_kind[best] == CLB_COL_X) ||
            ((m->col_kind[j] == CLB_COL_X) == (m->col_kind[best] == CLB_COL_X) &&
             m->obj[j] < m->obj[best]))
            best = j;
    }
    return best;
}

/* A candidate placement for the fill, with the keys it is ranked by carried along:
   qsort has no context argument in C11, and a file-level variable would be shared by
   solves running in parallel threads. */
typedef struct promise {
    double frac, obj;
    uint32_t j;
} promise;

/* Most promising first: higher fractional value, then higher objective, then lower
   column (no ties: the same order with any qsort). */
static int by_promise(const void *a, const void *b)
{
    const promise *x = a, *y = b;
    if (x->frac != y->frac)
        return x->frac > y->frac ? -1 : 1;
    if (x->obj != y->obj)
        return x->obj > y->obj ? -1 : 1;
    return x->j < y->j ? -1 : x->j > y->j;
}

/* Would row i, whose activity is act, hold with delta more? Counts (YDEF) and met
   parts (QUOTA_MIN) are derived, so those rows always can. */
static bool row_takes(const clb_model *m, size_t i, double act, double delta)
{
    clb_row_kind k = (clb_row_kind)m->row_kind[i];
    if (k == CLB_ROW_YDEF || k == CLB_ROW_QUOTA_MIN)
        return true;
    double a = act + delta;
    return a <= m->rhi[i] + TOL && a >= m->rlo[i] - TOL;
}

/* Greedy fill: placements join where they break no row. */
static int fill(fixer *f, const clb_model_cols *cols, const double *frac)
{
    const clb_model *m = f->m;
    double *act = clb__calloc(m->nrows + 1, sizeof(double));
    promise *order = clb__malloc((m->n_x + 1) * sizeof(*order));
    size_t n = 0;
    if (!act || !order) {
        clb__free(act);
        clb__free(order);
        return CLB_ENOMEM;
    }
    for (size_t i = 0; i < m->nrows; i++)
        for (size_t e = m->row_start[i]; e < m->row_start[i + 1]; e++)
            act[i] += m->val[e] * f->x[m->idx[e]];
    for (size_t j = 0; j < m->n_x; j++)
        if (f->x[j] < 0.5 && m->ub[j] >= 1 && m->obj[j] > 0)
            order[n++] = (promise){frac[j], m->obj[j], (uint32_t)j};
    qsort(order, n, sizeof(*order), by_promise);
    for (size_t k = 0; k < n; k++) {
        uint32_t j = order[k].j;
        size_t y = m->y_first + (size_t)m->col_b[j];
        bool ok = f->x[y] + 1 <= m->ub[y] + TOL;
        for (size_t e = cols->start[j]; ok && e < cols->start[j + 1]; e++)
            ok = row_takes(m, (size_t)cols->row[e], act[cols->row[e]], cols->val[e]);
        for (size_t e = cols->start[y]; ok && e < cols->start[y + 1]; e++)
            ok = row_takes(m, (size_t)cols->row[e], act[cols->row[e]], cols->val[e]);
        if (!ok)
            continue;
        f->x[j] = 1;
        f->x[y] += 1;
        for (size_t e = cols->start[j]; e < cols->start[j + 1]; e++)
            act[cols->row[e]] += cols->val[e];
        for (size_t e = cols->start[y]; e < cols->start[y + 1]; e++)
            act[cols->row[e]] += cols->val[e];
    }
    clb__free(act);
    clb__free(order);
    return 0;
}

/* Are all rows kept? */
static bool all_rows_hold(const clb_model *m, const double *x)
{
    for (size_t i = 0; i < m->nrows; i++) {
        double a = 0;
        for (size_t e = m->row_start[i]; e < m->row_start[i + 1]; e++)
            a += m->val[e] * x[m->idx[e]];
        if (a > m->rhi[i] + TOL || a < m->rlo[i] - TOL)
            return false;
    }
    return true;
}

int clb__round_plan(const clb_model *m, const clb_model_cols *cols, const double *frac,
                   double *x, bool *found)
{
    fixer f;

    *found = false;
    memset(&f, 0, sizeof(f));
    f.m = m;
    f.x = x;
    f.ydef_row = clb__malloc((m->ncols + 1) * sizeof(int32_t));
    if (!f.ydef_row)
        return CLB_ENOMEM;
    for (size_t j = 0; j < m->ncols; j++)
        f.ydef_row[j] = -1;
    for (size_t i = 0; i < m->nrows; i++)
        if (m->row_kind[i] == CLB_ROW_YDEF)
            f.ydef_row[m->row_a[i]] = (int32_t)i;

    for (size_t j = 0; j < m->ncols; j++) {
        double v = m->is_int[j] || m->col_kind[j] == CLB_COL_Z ? floor(frac[j] + 0.5) : frac[j];
        if (v < m->lb[j])
            v = m->lb[j];
        if (v > m->ub[j])
            v = m->ub[j];
        x[j] = v;
    }
    for (size_t pass = 0; pass <= m->ncols; pass++) {
        size_t broken = 0;
        if (!derive(&f))
            goto done;
        for (size_t i = 0; i < m->nrows; i++) {
            double a = 0;
            for (size_t e = m->row_start[i]; e < m->row_start[i + 1]; e++)
                a += m->val[e] * x[m->idx[e]];
            if (a <= m->rhi[i] + TOL && a >= m->rlo[i] - TOL)
                continue;
            broken++;
            if (m->row_kind[i] == CLB_ROW_YDEF || m->row_kind[i] == CLB_ROW_QUOTA_MIN)
                continue; /* a count changed this pass: derived again at the next */
            long j = pick(&f, i, a < m->rlo[i] - TOL);
            if (j == -1)
                goto done; /* only a pin could repair it */
            if (j >= 0)
                x[j] = 0;
        }
        if (broken == 0) {
            *found = true;
            break;
        }
    }
    if (*found) {
        /* fill, then derive the counts and met parts again, and make sure */
        if (fill(&f, cols, frac) < 0) {
            clb__free(f.ydef_row);
            return CLB_ENOMEM;
        }
        *found = derive(&f) && all_rows_hold(m, x);
    }
done:
    clb__free(f.ydef_row);
    return 0;
}
