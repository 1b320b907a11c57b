/*
 * colgen.c - column generation over a restricted master, then branch-and-bound with
 * reduced-cost fixing (see colgen.h for the method).
 *
 * The master holds a subset of the model's columns and only the rows those columns
 * touch. A row left out has no master column, so its activity is zero, which every
 * row of the model allows (the empty plan is feasible); its dual is taken as zero.
 * With the duals of the master rows, the reduced cost of every model column is exact,
 * and a master LP optimum at which no column has a positive reduced cost is an optimum
 * of the full LP. At any master optimum, the Lagrangian bound "master objective plus
 * every positive reduced cost times the column's upper bound" bounds the full model,
 * so a bound is known from the first round on.
 *
 * The rows of one worker (conflicts, stay, training, reintegration, quota links) are
 * most of the model and few of them ever bind: they join the master only when its LP
 * solution breaks them, and are otherwise left out (a cutting-plane loop on the dual
 * simplex). Before branch-and-bound, the rows a master column could break join too,
 * so that the master is the model restricted to its columns. A worker with a pin
 * brings all its columns (its other placements, sessions, programmes): whether the
 * pins can hold depends only on the pinned workers' own columns (other workers only
 * use up shared capacity), so an infeasible master means infeasible pins.
 */
#include "solve/colgen.h"
#include "solve/lp.h"
#include "solve/rounding.h"
#include "util/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define INITIAL_PER_WORKER 3 /* placements per worker in the first master */
#define ADDED_PER_WORKER 3   /* columns per worker per pricing round */
#define NOT_IN (-1)
#define QUEUED (-2)
#define FEAS_TOL 1e-7
#define LP_SHARE 0.6 /* of a time limit, for the LP before a plan is sought */

typedef struct cg {
    const clb_model *m;
    const clb_cg_opts *opts;
    clb_model_cols cols;
    clb_lp *lp;
    int32_t *lp_row;   /* model row -> master row, NOT_IN or QUEUED */
    int32_t *lp_col;   /* model column -> master column, NOT_IN or QUEUED */
    uint32_t *col_of;  /* master column -> model column */
    size_t n_master_cols;
    bool *lazy;        /* rows of one worker: in the master only once broken */
    uint32_t *queue;   /* model columns waiting to join */
    size_t n_queue;
    uint32_t *row_queue; /* model rows waiting to join */
    size_t n_row_queue;
    double *x;         /* scratch: value per model column */
    double *lp_x;      /* the master's LP optimum before branch-and-bound */
    bool *fixed;       /* master columns fixed at zero by their reduced cost */
    bool *pinned_worker; /* workers with a pin: all their columns are in the master */
    double *mx;        /* scratch: value per master column */
    double *pi;        /* dual per model row (0 when not in the master) */
    double *d;         /* reduced cost per model column */
    double *lp_pi;     /* scratch: duals per master row */
    size_t n_workers;
    double best_bound;
    bool has_bound;
    bool cols_added;   /* columns joined since the last LP optimum */
    bool gomory;       /* Gomory cuts in branch-and-bound */
} cg;

static double elapsed(const cg *c)
{
    return clb__now_seconds() - c->opts->t0;
}

/* Seconds left before the limit; < 0 when none was set. */
static double time_left(const cg *c)
{
    if (c->opts->time_limit <= 0)
        return -1;
    double left = c->opts->time_limit - elapsed(c);
    return left > 0.001 ? left : 0.001;
}

static void progress(cg *c, const char *phase, bool has_best, double best, bool force)
{
    if (c->opts->progress)
        c->opts->progress(phase, has_best, best, c->has_bound, c->best_bound, force,
                          c->opts->payload);
}

static bool row_is_lazy(clb_row_kind k)
{
    switch (k) {
    case CLB_ROW_YDEF:
    case CLB_ROW_HOLD_NAMED:
    case CLB_ROW_HOUSING:
    case CLB_ROW_QUOTA_MAX:
    case CLB_ROW_QUOTA_MIN:
    case CLB_ROW_SESSION_CAP:
    case CLB_ROW_PROGRAMME_CAP:
        return false;
    default:
        return true;
    }
}

static void enqueue(cg *c, uint32_t j)
{
    if (c->lp_col[j] != NOT_IN)
        return;
    c->lp_col[j] = QUEUED;
    c->queue[c->n_queue++] = j;
}

static void enqueue_row(cg *c, uint32_t i)
{
    if (c->lp_row[i] != NOT_IN)
        return;
    c->lp_row[i] = QUEUED;
    c->row_queue[c->n_row_queue++] = i;
}

/* Add the queued rows, with their entries on master columns. */
static int flush_rows(cg *c, clb_error *err)
{
    const clb_model *m = c->m;
    size_t n = c->n_row_queue, nnz = 0;
    double *lo = NULL, *hi = NULL, *val = NULL;
    size_t *start = NULL;
    int32_t *cols = NULL;
    int error = 0;

    if (n == 0)
        return 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t i = c->row_queue[k];
        nnz += m->row_start[i + 1] - m->row_start[i];
    }
    lo = clb__malloc(n * sizeof(double));
    hi = clb__malloc(n * sizeof(double));
    start = clb__malloc((n + 1) * sizeof(size_t));
    cols = clb__malloc((nnz + 1) * sizeof(int32_t));
    val = clb__malloc((nnz + 1) * sizeof(double));
    if (!lo || !hi || !start || !cols || !val) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }
    size_t first = clb__lp_rows(c->lp);
    nnz = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t i = c->row_queue[k];
        start[k] = nnz;
        lo[k] = m->rlo[i] <= -CLB_INF ? -CLB_LP_INF : m->rlo[i];
        hi[k] = m->rhi[i] >= CLB_INF ? CLB_LP_INF : m->rhi[i];
        for (size_t e = m->row_start[i]; e < m->row_start[i + 1]; e++)
            if (c->lp_col[m->idx[e]] >= 0) {
                cols[nnz] = c->lp_col[m->idx[e]];
                val[nnz++] = m->val[e];
            }
        c->lp_row[i] = (int32_t)(first + k);
    }
    start[n] = nnz;
    if ((error = clb__lp_add_rows(c->lp, n, lo, hi, start, cols, val, err)) < 0)
        goto done;
    c->n_row_queue = 0;
done:
    clb__free(lo);
    clb__free(hi);
    clb__free(start);
    clb__free(cols);
    clb__free(val);
    return error;
}

/*
 * Move the queued columns into the master, then the rows they bring: every row a
 * placement touches, and the shared rows (vacancy counts, quotas, capacities) any
 * column touches. A pinned worker's placements also bring the other columns of their
 * rows (sessions, quota indicators, programmes), so that the master can always hold
 * the pins if the model can.
 */
static int flush(cg *c, clb_error *err)
{
    const clb_model *m = c->m;
    size_t n, nnz = 0;
    double *obj = NULL, *lb = NULL, *ub = NULL, *val = NULL;
    size_t *start = NULL;
    int32_t *rows = NULL;
    bool *is_int = NULL;
    int error = 0;

    /* closure over the pins' own rows (the queue grows while it is read) */
    for (size_t k = 0; k < c->n_queue; k++) {
        uint32_t j = c->queue[k];
        if (m->col_kind[j] != CLB_COL_X || !c->pinned_worker[m->pair_worker[j]])
            continue;
        for (size_t e = c->cols.start[j]; e < c->cols.start[j + 1]; e++) {
            int32_t i = c->cols.row[e];
            if (!c->lazy[i] || c->lp_row[i] >= 0)
                continue;
            for (size_t f = m->row_start[i]; f < m->row_start[i + 1]; f++)
                if (m->col_kind[m->idx[f]] != CLB_COL_X)
                    enqueue(c, (uint32_t)m->idx[f]);
        }
    }
    n = c->n_queue;
    if (n == 0)
        return 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t j = c->queue[k];
        nnz += c->cols.start[j + 1] - c->cols.start[j];
    }
    obj = clb__malloc(n * sizeof(double));
    lb = clb__malloc(n * sizeof(double));
    ub = clb__malloc(n * sizeof(double));
    is_int = clb__malloc(n * sizeof(bool));
    start = clb__malloc((n + 1) * sizeof(size_t));
    rows = clb__malloc((nnz + 1) * sizeof(int32_t));
    val = clb__malloc((nnz + 1) * sizeof(double));
    if (!obj || !lb || !ub || !is_int || !start || !rows || !val) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }
    nnz = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t j = c->queue[k];
        start[k] = nnz;
        obj[k] = m->obj[j];
        lb[k] = m->lb[j];
        ub[k] = m->ub[j] >= CLB_INF ? CLB_LP_INF : m->ub[j];
        is_int[k] = m->is_int[j];
        for (size_t e = c->cols.start[j]; e < c->cols.start[j + 1]; e++)
            if (c->lp_row[c->cols.row[e]] >= 0) {
                rows[nnz] = c->lp_row[c->cols.row[e]];
                val[nnz++] = c->cols.val[e];
            }
        c->lp_col[j] = (int32_t)(c->n_master_cols + k);
        c->col_of[c->n_master_cols + k] = j;
    }
    start[n] = nnz;
    if ((error = clb__lp_add_cols(c->lp, n, obj, lb, ub, is_int, start, rows, val, err)) < 0)
        goto done;
    c->n_master_cols += n;
    c->cols_added = true;
    for (size_t k = 0; k < n; k++) {
        uint32_t j = c->queue[k];
        for (size_t e = c->cols.start[j]; e < c->cols.start[j + 1]; e++) {
            int32_t i = c->cols.row[e];
            if (!c->lazy[i])
                enqueue_row(c, (uint32_t)i);
        }
    }
    c->n_queue = 0;
    error = flush_rows(c, err);
done:
    clb__free(obj);
    clb__free(lb);
    clb__free(ub);
    clb__free(is_int);
    clb__free(start);
    clb__free(rows);
    clb__free(val);
    return error;
}

/* Spread master values over the model's columns (0 outside the master). */
static void model_values(cg *c)
{
    memset(c->x, 0, c->m->ncols * sizeof(double));
    for (size_t k = 0; k < c->n_master_cols; k++)
        c->x[c->col_of[k]] = c->mx[k];
}

/* Queue the rows outside the master that the values c->x break; returns how many. */
static size_t queue_broken_rows(cg *c)
{
    const clb_model *m = c->m;
    size_t n = 0;
    for (size_t i = 0; i < m->nrows; i++) {
        if (c->lp_row[i] != NOT_IN)
            continue;
        double a = 0;
        for (size_t e = m->row_start[i]; e < m->row_start[i + 1]; e++) {
            double v = c->x[m->idx[e]];
            a += m->val[e] * v;
        }
        if (a > m->rhi[i] + FEAS_TOL || a < m->rlo[i] - FEAS_TOL) {
            enqueue_row(c, (uint32_t)i);
            n++;
        }
    }
    return n;
}

/* Reduced costs of every model column under the master's current duals. Returns the
   Lagrangian bound on the full model. */
static double price(cg *c, double master_objective)
{
    const clb_model *m = c->m;
    size_t nr = clb__lp_rows(c->lp);
    double bound = master_objective;
    clb__lp_duals(c->lp, c->lp_pi);
    memset(c->pi, 0, m->nrows * sizeof(double));
    for (size_t i = 0; i < m->nrows; i++)
        if (c->lp_row[i] >= 0 && (size_t)c->lp_row[i] < nr)
            c->pi[i] = c->lp_pi[c->lp_row[i]];
    for (size_t j = 0; j < m->ncols; j++) {
        double dj = m->obj[j];
        for (size_t e = c->cols.start[j]; e < c->cols.start[j + 1]; e++)
            dj -= c->cols.val[e] * c->pi[c->cols.row[e]];
        c->d[j] = dj;
        if (c->lp_col[j] < 0 && dj > 0)
            bound += dj * (m->ub[j] >= CLB_INF ? 1e12 : m->ub[j]);
    }
    return bound;
}

static bool prices_out(const cg *c, size_t j)
{
    return c->lp_col[j] == NOT_IN && c->d[j] > 1e-6 * (1 + fabs(c->m->obj[j]));
}

/* Keep in best[0 .. *nb) the k columns of largest key seen so far, largest first. */
static void keep_best(uint32_t *best, size_t *nb, size_t k, uint32_t j, const double *key)
{
    size_t pos = *nb;
    while (pos > 0 && key[best[pos - 1]] < key[j])
        pos--;
    if (pos >= k)
        return;
    if (*nb < k)
        (*nb)++;
    memmove(&best[pos + 1], &best[pos], (*nb - 1 - pos) * sizeof(uint32_t));
    best[pos] = j;
}

/* Queue the best few columns that price out, per worker; returns how many. */
static size_t choose_columns(cg *c)
{
    const clb_model *m = c->m;
    const clb_pairs *pairs = m->pairs;
    size_t added = 0;
    for (size_t w = 0; w < c->n_workers; w++) {
        uint32_t best[ADDED_PER_WORKER];
        size_t nb = 0;
        for (size_t p = pairs->first[w]; p < pairs->first[w + 1]; p++) {
            if (!prices_out(c, p))
                continue;
            keep_best(best, &nb, ADDED_PER_WORKER, (uint32_t)p, c->d);
        }
        for (size_t k = 0; k < nb; k++)
            enqueue(c, best[k]);
        added += nb;
    }
    for (size_t j = m->n_x; j < m->ncols; j++)
        if (prices_out(c, j)) {
            enqueue(c, (uint32_t)j);
            added++;
        }
    return added;
}

/* The first master: each worker's best placements, the pins, every count column. */
static void initial_columns(cg *c)
{
    const clb_model *m = c->m;
    const clb_pairs *pairs = m->pairs;
    for (size_t w = 0; w < c->n_workers; w++) {
        uint32_t best[INITIAL_PER_WORKER];
        size_t nb = 0;
        for (size_t p = pairs->first[w]; p < pairs->first[w + 1]; p++)
            if (m->lb[p] > 0)
                c->pinned_worker[w] = true;
        if (c->pinned_worker[w]) {
            /* all of a pinned worker's placements: another one may be what makes a
               pin possible (a later campaign bringing a programme within reach) */
            for (size_t p = pairs->first[w]; p < pairs->first[w + 1]; p++)
                enqueue(c, (uint32_t)p);
            continue;
        }
        for (size_t p = pairs->first[w]; p < pairs->first[w + 1]; p++) {
            if (m->obj[p] > 0)
                keep_best(best, &nb, INITIAL_PER_WORKER, (uint32_t)p, m->obj);
        }
        for (size_t k = 0; k < nb; k++)
            enqueue(c, best[k]);
    }
    for (size_t j = m->n_x; j < m->ncols; j++)
        if (m->col_kind[j] == CLB_COL_Y || m->col_kind[j] == CLB_COL_S)
            enqueue(c, (uint32_t)j);
}

static void mip_progress(bool has_best, double best, bool has_bound, double bound,
                         bool improved, void *payload)
{
    cg *c = payload;
    (void)has_bound;
    (void)bound;
    progress(c, "mip", has_best, best, improved);
}

/*
 * When the search is out of time: round the LP values `frac` to a plan and keep it
 * if it beats the plan in out->x (if any). Returns 0 or an error.
 */
static int take_rounded_plan(cg *c, clb_cg_result *out, const double *frac, bool *has_plan,
                             double *obj, clb_error *err)
{
    const clb_model *m = c->m;
    bool found = false;
    double *x = clb__malloc((m->ncols + 1) * sizeof(double));
    if (!x || clb__round_plan(m, &c->cols, frac, x, &found) < 0) {
        clb__free(x);
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    }
    if (found) {
        double z = clb__model_objective(m, x);
        if (!*has_plan || z > *obj + 1e-9 * (1 + fabs(z))) {
            memcpy(out->x, x, m->ncols * sizeof(double));
            *obj = z;
            *has_plan = true;
        }
    }
    clb__free(x);
    return 0;
}

/*
 * Solve the master LP to an optimum that keeps every row of the model (rows it breaks
 * join, and it runs again). *status: OPTIMAL, INFEASIBLE or TIME_LIMIT.
 */
static int solve_lp(cg *c, clb_lp_status *status, clb_error *err)
{
    int error;
    bool dual = !c->cols_added;
    for (;;) {
        if ((error = clb__lp_simplex(c->lp, dual, time_left(c), status, err)) < 0)
            return error;
        c->cols_added = false;
        dual = true; /* from here on only rows are added: the basis stays dual feasible */
        if (*status != CLB_LP_OPTIMAL)
            return 0;
        clb__lp_values(c->lp, c->mx);
        model_values(c);
        if (queue_broken_rows(c) == 0)
            return 0;
        if ((error = flush_rows(c, err)) < 0)
            return error;
    }
}

/*
 * Can row i not be broken by any values of the master's columns within their bounds
 * (the others being zero)? Then the master needs it not even for branch-and-bound:
 * a session's cover row of a placement outside the master, say.
 */
static bool redundant_row(const cg *c, size_t i)
{
    const clb_model *m = c->m;
    double lo = 0, hi = 0;
    for (size_t e = m->row_start[i]; e < m->row_start[i + 1]; e++) {
        int32_t j = m->idx[e];
        if (c->lp_col[j] < 0 || c->fixed[j])
            continue;
        if (m->ub[j] >= CLB_INF)
            return false;
        double v = m->val[e], a = v * m->lb[j], b = v * m->ub[j];
        lo += a < b ? a : b;
        hi += a < b ? b : a;
    }
    return hi <= m->rhi[i] + FEAS_TOL && lo >= m->rlo[i] - FEAS_TOL;
}

/*
 * Bring in every row that a master column touches, so that the master is exactly the
 * model restricted to its columns, and restore the LP optimum (rows that its solution
 * keeps do not change it). Branch-and-bound then needs no rows from outside.
 */
static int complete_master(cg *c, clb_lp_status *st, clb_error *err)
{
    for (size_t k = 0; k < c->n_master_cols; k++) {
        uint32_t j = c->col_of[k];
        if (c->fixed[j])
            continue;
        for (size_t e = c->cols.start[j]; e < c->cols.start[j + 1]; e++) {
            int32_t i = c->cols.row[e];
            if (c->lp_row[i] == NOT_IN && !redundant_row(c, (size_t)i))
                enqueue_row(c, (uint32_t)i);
        }
    }
    int error = flush_rows(c, err);
    if (error == 0)
        error = solve_lp(c, st, err);
    return error;
}

/*
 * Branch-and-bound on the master from its LP optimum, until its plan keeps every row
 * of the model. On a plan, c->x holds it.
 */
static int run_mip(cg *c, bool *has_plan, double *obj, double *bound, clb_lp_status *st,
                   const double *start, clb_error *err)
{
    clb_lp_mip_opts mo;
    double *mstart = NULL;
    int error;

    if (start) {
        /* the known plan in master columns, if the master can hold it */
        mstart = clb__malloc((c->n_master_cols + 1) * sizeof(double));
        if (!mstart)
            return clb__error_set(err, CLB_ENOMEM, "out of memory");
        for (size_t k = 0; k < c->n_master_cols; k++)
            mstart[k] = start[c->col_of[k]];
        for (size_t j = 0; j < c->m->ncols && mstart; j++)
            if (start[j] != 0 && (c->lp_col[j] < 0 || c->fixed[j])) {
                clb__free(mstart);
                mstart = NULL;
            }
    }

    for (;;) {
        memset(&mo, 0, sizeof(mo));
        mo.time_limit = time_left(c);
        mo.gap = c->opts->gap;
        mo.gomory_cuts = c->gomory;
        mo.mir_cuts = c->gomory; /* 1,000 workers: the core proven in 20 s, not 44 s */
        mo.progress = mip_progress;
        mo.payload = c;
        mo.start = mstart;
        error = clb__lp_intopt(c->lp, &mo, st, bound, err);
        clb__free(mstart);
        mstart = NULL; /* only for the first search: rows may join after it */
        if (error < 0)
            return error;
        *has_plan = *st == CLB_LP_OPTIMAL || *st == CLB_LP_FEASIBLE;
        if (!*has_plan)
            return 0;
        clb__lp_mip_values(c->lp, c->mx);
        model_values(c);
        *obj = clb__lp_mip_objective(c->lp);
        if (queue_broken_rows(c) == 0)
            return 0;
        /* the plan breaks a row left out of the master (one of the columns that
           joined for reduced-cost fixing): add it and search again */
        clb_lp_status lst;
        if ((error = flush_rows(c, err)) < 0 || (error = solve_lp(c, &lst, err)) < 0)
            return error;
        if (lst != CLB_LP_OPTIMAL) {
            *has_plan = false;
            *st = lst;
            return 0;
        }
    }
}

/*
 * Does column j take only integer values in a plan? Then a reduced cost d_j < 0 at the
 * LP optimum bounds every plan using it by z_LP + d_j (placements, sessions,
 * programmes, and vacancy counts, which are sums of placements); quota indicators and
 * met parts may be fractional and are never fixed.
 */
static bool integral_in_plans(const clb_model *m, size_t j)
{
    return m->is_int[j] || m->col_kind[j] == CLB_COL_Y;
}

/* Fix master column j at zero (by its reduced cost), or free it again. */
static int set_fixed(cg *c, size_t j, bool fixed, clb_error *err)
{
    if (c->fixed[j] == fixed || c->lp_col[j] < 0 || c->m->lb[j] > 0 ||
        (fixed && !integral_in_plans(c->m, j)))
        return 0;
    c->fixed[j] = fixed;
    return clb__lp_set_col_upper(c->lp, (size_t)c->lp_col[j], fixed ? 0 : c->m->ub[j], err);
}

/* Keep plan c->x (objective z) in out if it is the best so far. */
static void keep_plan(cg *c, clb_cg_result *out, bool *has_plan, double *best, double z)
{
    if (*has_plan && z <= *best)
        return;
    memcpy(out->x, c->x, c->m->ncols * sizeof(double));
    *best = z;
    *has_plan = true;
}

/* Status and bound of a finished search. */
static void conclude(cg *c, clb_cg_result *out, bool has_plan, double best, double bound,
                     clb_lp_status st)
{
    if (!has_plan) {
        out->status = CLB_CG_NOPLAN;
        out->has_bound = c->has_bound;
        out->bound = c->best_bound;
        return;
    }
    if (bound < best)
        bound = best;
    out->objective = best;
    out->has_bound = true;
    out->bound = bound;
    out->status = st == CLB_LP_OPTIMAL    ? CLB_CG_OPTIMAL
                  : st == CLB_LP_FEASIBLE ? CLB_CG_GAP
                                          : CLB_CG_TIME;
    if (out->status == CLB_CG_GAP && c->opts->time_limit > 0 && time_left(c) <= 0.01)
        out->status = CLB_CG_TIME;
    if (out->status != CLB_CG_OPTIMAL &&
        bound - best <= 1e-6 * (fabs(best) > 1 ? fabs(best) : 1))
        out->status = CLB_CG_OPTIMAL; /* proof tolerance, docs/MODEL.md §3.7 */
}

/*
 * After the LP converged (z_LP = out->lp_bound, c->d the final reduced costs):
 *  1. a first plan by rounding the LP optimum;
 *  2. branch-and-bound on the core: the master columns in the LP's support or with
 *     zero reduced cost (the others fixed at zero), for a good plan quickly;
 *  3. reduced-cost fixing with the best plan z: every column of the model with
 *     z_LP + d_j >= z joins or is freed, the others stay at zero, and
 *     branch-and-bound runs on that; its answer holds for the full model.
 */
static int finish_exact(cg *c, clb_cg_result *out, clb_error *err)
{
    const clb_model *m = c->m;
    double zlp = out->lp_bound, best = 0, bound = zlp, z = 0, b = 0;
    double tol = 1e-9 * (1 + fabs(zlp));
    bool has_plan = false, found = false;
    clb_lp_status st = CLB_LP_OPTIMAL;
    int error;
    double *lp_values = NULL;

    lp_values = clb__malloc((m->ncols + 1) * sizeof(double));
    if (!lp_values)
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    memcpy(lp_values, c->x, m->ncols * sizeof(double));
    if ((error = take_rounded_plan(c, out, lp_values, &has_plan, &best, err)) < 0)
        goto done;
    if (has_plan && zlp - best <= c->opts->gap * (fabs(best) + 1e-12)) {
        conclude(c, out, has_plan, best, zlp, CLB_LP_FEASIBLE); /* optimal within 1e-6 */
        goto done;
    }

    /* 2. the core */
    for (size_t k = 0; k < c->n_master_cols; k++) {
        size_t j = c->col_of[k];
        if (lp_values[j] <= FEAS_TOL && c->d[j] < -tol &&
            (error = set_fixed(c, j, true, err)) < 0)
            goto done;
    }
    if ((error = complete_master(c, &st, err)) < 0)
        goto done;
    if (st == CLB_LP_INFEASIBLE) {
        out->status = CLB_CG_INFEASIBLE; /* the pinned workers are whole in the master */
        goto done;
    }
    if (st == CLB_LP_OPTIMAL) {
        if ((error = run_mip(c, &found, &z, &b, &st, NULL, err)) < 0)
            goto done;
        if (found)
            keep_plan(c, out, &has_plan, &best, z);
    }
    if (has_plan && zlp - best <= c->opts->gap * (fabs(best) + 1e-12)) {
        conclude(c, out, has_plan, best, zlp, CLB_LP_FEASIBLE); /* optimal within 1e-6 */
        goto done;
    }
    if (st != CLB_LP_OPTIMAL && st != CLB_LP_FEASIBLE && st != CLB_LP_INFEASIBLE) {
        conclude(c, out, has_plan, best, c->best_bound, CLB_LP_TIME_LIMIT);
        goto done;
    }

    /* 3. reduced-cost fixing with the best plan */
    double thr = has_plan ? best - zlp - tol : -CLB_INF;
    for (size_t j = 0; j < m->ncols; j++) {
        if (c->lp_col[j] >= 0) {
            if ((error = set_fixed(c, j, c->d[j] < thr, err)) < 0)
                goto done;
        } else if (c->lp_col[j] == NOT_IN && (c->d[j] >= thr || !integral_in_plans(m, j))) {
            enqueue(c, (uint32_t)j);
        }
    }
    if ((error = flush(c, err)) < 0 || (error = solve_lp(c, &st, err)) < 0)
        goto done;
    if (st == CLB_LP_OPTIMAL && (error = complete_master(c, &st, err)) < 0)
        goto done;
    if (st != CLB_LP_OPTIMAL) {
        conclude(c, out, has_plan, best, zlp, CLB_LP_TIME_LIMIT);
        goto done;
    }
    found = false;
    if ((error = run_mip(c, &found, &z, &b, &st, has_plan ? out->x : NULL, err)) < 0)
        goto done;
    if (found)
        keep_plan(c, out, &has_plan, &best, z);
    if (st == CLB_LP_INFEASIBLE && !has_plan) {
        out->status = CLB_CG_INFEASIBLE;
        goto done;
    }
    /* the search covered every column that could beat `best`: its bound holds */
    bound = st == CLB_LP_OPTIMAL ? best : (found && b < zlp ? b : zlp);
    conclude(c, out, has_plan, best, bound,
             st == CLB_LP_OPTIMAL || st == CLB_LP_FEASIBLE ? st : CLB_LP_TIME_LIMIT);
done:
    clb__free(lp_values);
    return error;
}

/*
 * Out of time before the LP converged: a plan of the master as it stands (any plan of
 * the master is one of the model), by branch-and-bound in the time left and by
 * rounding, bounded by the best Lagrangian bound.
 */
static int finish_short(cg *c, clb_cg_result *out, clb_error *err)
{
    double best = 0, z = 0, b = 0;
    bool has_plan = false, found = false;
    clb_lp_status st;
    int error;

    if ((error = complete_master(c, &st, err)) < 0)
        return error;
    if (st == CLB_LP_INFEASIBLE) {
        out->status = CLB_CG_INFEASIBLE;
        return 0;
    }
    /* c->x: the last LP optimum (of this master or, if time ran out, an earlier one) */
    memcpy(c->lp_x, c->x, c->m->ncols * sizeof(double));
    if (st == CLB_LP_OPTIMAL) {
        if ((error = run_mip(c, &found, &z, &b, &st, NULL, err)) < 0)
            return error;
        if (found)
            keep_plan(c, out, &has_plan, &best, z);
    }
    if ((error = take_rounded_plan(c, out, c->lp_x, &has_plan, &best, err)) < 0)
        return error;
    conclude(c, out, has_plan, best, c->best_bound, CLB_LP_TIME_LIMIT);
    return 0;
}

int clb__colgen_solve(clb_cg_result *out, const clb_model *m, const clb_cg_opts *opts,
                     clb_error *err)
{
    cg c;
    int error = 0;
    clb_lp_status st;
    double t_lp;

    memset(out, 0, sizeof(*out));
    memset(&c, 0, sizeof(c));
    c.m = m;
    c.opts = opts;
    c.n_workers = m->n_workers;
    /* Gomory cuts close the small gaps left by the training and quota rows quickly on
       the master (a 300-worker instance: proven in 0.9 s with them, not in 60 s
       without); on the whole model their tableau rows were too dear. */
    c.gomory = true;
    if (clb__model_columns(&c.cols, m) < 0 ||
        !(c.lp_row = clb__malloc((m->nrows + 1) * sizeof(int32_t))) ||
        !(c.lp_col = clb__malloc((m->ncols + 1) * sizeof(int32_t))) ||
        !(c.col_of = clb__malloc((m->ncols + 1) * sizeof(uint32_t))) ||
        !(c.lazy = clb__malloc((m->nrows + 1) * sizeof(bool))) ||
        !(c.queue = clb__malloc((m->ncols + 1) * sizeof(uint32_t))) ||
        !(c.row_queue = clb__malloc((m->nrows + 1) * sizeof(uint32_t))) ||
        !(c.x = clb__calloc(m->ncols + 1, sizeof(double))) ||
        !(c.mx = clb__calloc(m->ncols + 1, sizeof(double))) ||
        !(c.lp_x = clb__calloc(m->ncols + 1, sizeof(double))) ||
        !(c.fixed = clb__calloc(m->ncols + 1, sizeof(bool))) ||
        !(c.pinned_worker = clb__calloc(m->n_workers + 1, sizeof(bool))) ||
        !(c.pi = clb__calloc(m->nrows + 1, sizeof(double))) ||
        !(c.lp_pi = clb__calloc(m->nrows + 1, sizeof(double))) ||
        !(c.d = clb__calloc(m->ncols + 1, sizeof(double))) ||
        !(out->x = clb__calloc(m->ncols + 1, sizeof(double)))) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < m->nrows; i++) {
        c.lp_row[i] = NOT_IN;
        c.lazy[i] = row_is_lazy((clb_row_kind)m->row_kind[i]);
    }
    for (size_t j = 0; j < m->ncols; j++)
        c.lp_col[j] = NOT_IN;
    if ((error = clb__lp_new(&c.lp, err)) < 0 ||
        (error = clb__lp_set_obj_const(c.lp, m->obj_const, err)) < 0)
        goto done;

    /* the LP by column generation */
    t_lp = clb__now_seconds();
    bool converged = true;
    initial_columns(&c);
    for (;;) {
        if ((error = flush(&c, err)) < 0 || (error = solve_lp(&c, &st, err)) < 0)
            goto done;
        out->rounds++;
        if (st == CLB_LP_INFEASIBLE) {
            out->status = CLB_CG_INFEASIBLE;
            goto done;
        }
        if (st == CLB_LP_TIME_LIMIT) {
            /* out of time in the LP: round its last optimum, if there was one */
            double obj = 0;
            bool has_plan = false;
            out->status = CLB_CG_NOPLAN;
            out->has_bound = c.has_bound;
            out->bound = c.best_bound;
            out->lp_seconds = clb__now_seconds() - t_lp;
            if ((error = take_rounded_plan(&c, out, c.x, &has_plan, &obj, err)) < 0)
                goto done;
            if (has_plan) {
                out->status = CLB_CG_TIME;
                out->objective = obj;
                if (out->bound < obj)
                    out->bound = obj;
            }
            goto done;
        }
        double z = clb__lp_objective(c.lp);
        double b = price(&c, z);
        if (!c.has_bound || b < c.best_bound) {
            c.best_bound = b;
            c.has_bound = true;
        }
        progress(&c, "lp", false, 0, false);
        if (choose_columns(&c) == 0) {
            /* the Lagrangian bound b >= z also counts the reduced costs left below
               the pricing tolerance: the bound and the fixing rest on it */
            out->lp_bound = b > z ? b : z;
            if (out->lp_bound < c.best_bound)
                c.best_bound = out->lp_bound;
            break;
        }
        if (opts->time_limit > 0 && elapsed(&c) > LP_SHARE * opts->time_limit) {
            /* Time is short: keep the rest for a plan from the master as it stands
               (any plan of the master is a plan of the model), bounded by the best
               Lagrangian bound. The queued columns stay out. */
            for (size_t k = 0; k < c.n_queue; k++)
                c.lp_col[c.queue[k]] = NOT_IN;
            c.n_queue = 0;
            converged = false;
            break;
        }
    }
    out->lp_seconds = clb__now_seconds() - t_lp;
    progress(&c, "mip", false, 0, true);
    {
        double t_mip = clb__now_seconds();
        error = converged ? finish_exact(&c, out, err) : finish_short(&c, out, err);
        out->mip_seconds = clb__now_seconds() - t_mip;
    }
done:
    out->master_rows = c.lp ? clb__lp_rows(c.lp) : 0;
    out->master_cols = c.n_master_cols;
    if (error < 0 || (out->status != CLB_CG_OPTIMAL && out->status != CLB_CG_GAP &&
                      out->status != CLB_CG_TIME)) {
        clb__free(out->x);
        out->x = NULL;
    }
    clb__lp_free(c.lp);
    clb__model_cols_dispose(&c.cols);
    clb__free(c.lp_row);
    clb__free(c.lp_col);
    clb__free(c.col_of);
    clb__free(c.lazy);
    clb__free(c.queue);
    clb__free(c.row_queue);
    clb__free(c.x);
    clb__free(c.mx);
    clb__free(c.lp_x);
    clb__free(c.fixed);
    clb__free(c.pinned_worker);
    clb__free(c.pi);
    clb__free(c.lp_pi);
    clb__free(c.d);
    return error;
}

void clb__cg_result_dispose(clb_cg_result *r)
{
    clb__free(r->x);
    r->x = NULL;
}
