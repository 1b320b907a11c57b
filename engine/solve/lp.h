/*
 * lp.h - the narrow interface to the LP / MIP engine (GLPK, in lp_glpk.c).
 *
 * Everything the solve path asks of a solver goes through these few calls: grow a
 * maximisation problem by rows and columns, run the primal simplex from the current
 * basis (so that column generation restarts warm), read values and row duals, and run
 * branch-and-bound from the LP basis. Keeping the engine behind this interface lets
 * each piece be measured on its own and replaced without touching the model, the
 * column generation or the infeasibility explanation.
 *
 * Rows and columns are numbered from 0 in the order they were added. Every call
 * returns 0 or a negative CLB_E* code with a message in err; after CLB_ESOLVER (an
 * internal failure of the engine) the problem may only be freed.
 */
#ifndef CLB_LP_H
#define CLB_LP_H

#include "util/util.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct clb_lp clb_lp;

typedef enum {
    CLB_LP_OPTIMAL,    /* LP: optimal basis; MIP: search complete */
    CLB_LP_FEASIBLE,   /* MIP: a plan, search stopped (gap or time) */
    CLB_LP_INFEASIBLE, /* no feasible point */
    CLB_LP_TIME_LIMIT  /* stopped by the time limit before an answer */
} clb_lp_status;

/* New empty maximisation problem. */
int clb__lp_new(clb_lp **out, clb_error *err);
void clb__lp_free(clb_lp *lp);

size_t clb__lp_rows(const clb_lp *lp);
size_t clb__lp_cols(const clb_lp *lp);

/*
 * Add n rows with bounds lo[k] <= row <= hi[k] (+-CLB_LP_INF for none) and entries
 * cols[start[k] .. start[k+1]) / vals[...] on existing columns; start == NULL adds
 * them empty. New rows are basic, so an existing basis stays a basis.
 */
int clb__lp_add_rows(clb_lp *lp, size_t n, const double *lo, const double *hi,
                    const size_t *start, const int32_t *cols, const double *vals,
                    clb_error *err);

/* Loosen or restore a row's bounds. */
int clb__lp_set_row_bounds(clb_lp *lp, size_t row, double lo, double hi, clb_error *err);

/*
 * Add n columns: objective obj[k], bounds [lb[k], ub[k]] (ub may be CLB_LP_INF),
 * integer when is_int[k], with entries rows[start[k] .. start[k+1]) / vals[...] on
 * existing rows (start[] has n + 1 items; rows of one column distinct).
 */
int clb__lp_add_cols(clb_lp *lp, size_t n, const double *obj, const double *lb,
                    const double *ub, const bool *is_int, const size_t *start,
                    const int32_t *rows, const double *vals, clb_error *err);

/* Status of a row or column in a basis given to clb__lp_set_basis. */
typedef enum {
    CLB_LP_BASIC,    /* basic */
    CLB_LP_AT_LOWER, /* nonbasic at its lower bound */
    CLB_LP_AT_UPPER, /* nonbasic at its upper bound */
    CLB_LP_AT_FIXED  /* nonbasic, fixed (equal bounds) */
} clb_lp_stat;

/*
 * Install a basis for the next simplex: a status per row (its slack) and per column,
 * as many basic as there are rows, the basis matrix nonsingular (for instance the basis
 * of a known feasible plan, so that the primal simplex starts from it).
 */
int clb__lp_set_basis(clb_lp *lp, const uint8_t *row_stat, const uint8_t *col_stat,
                     clb_error *err);

/*
 * The current basis (after a simplex, or as installed): a status per row and per
 * column, as clb__lp_set_basis takes them (a free nonbasic variable reads AT_LOWER).
 */
void clb__lp_get_basis(const clb_lp *lp, uint8_t *row_stat, uint8_t *col_stat);

/*
 * Delete columns cols[0..n) (distinct, each nonbasic, so the basis stays a basis); the
 * columns after them move down. Returns 0 or a CLB_E* code.
 */
int clb__lp_del_cols(clb_lp *lp, size_t n, const int32_t *cols, clb_error *err);

/* Change a column's upper bound. */
int clb__lp_set_col_upper(clb_lp *lp, size_t col, double ub, clb_error *err);

/* The objective's constant term (included in every objective value read back). */
int clb__lp_set_obj_const(clb_lp *lp, double c, clb_error *err);

/* Set every objective coefficient to zero (a feasibility problem), or back. */
int clb__lp_zero_objective(clb_lp *lp, bool zero, clb_error *err);

#define CLB_LP_INF 1e300

/*
 * Simplex from the current basis (a fresh problem starts from the slack basis): the
 * primal method, or with `dual` the dual method, which suits a basis that was optimal
 * before rows were added. time_limit <= 0: none. On CLB_LP_OPTIMAL, values and duals
 * can be read.
 */
int clb__lp_simplex(clb_lp *lp, bool dual, double time_limit, clb_lp_status *status,
                   clb_error *err);

/*
 * A tick called about every `every` seconds while one simplex runs (from inside it: it
 * must not call back into this interface), from the first `every` seconds on, so that
 * a long LP still shows progress; every <= 0 ticks at the simplex's start and end as
 * well. NULL: none. The tick rides on GLPK's display output, which never changes the
 * pivots, so equal inputs still give equal answers.
 */
typedef void (*clb_lp_tick_cb)(void *payload);
void clb__lp_set_tick(clb_lp *lp, clb_lp_tick_cb tick, void *payload, double every);

double clb__lp_objective(const clb_lp *lp);           /* of the last simplex */
size_t clb__lp_iterations(const clb_lp *lp);          /* simplex pivots so far, all calls */
void clb__lp_values(const clb_lp *lp, double *x);     /* one per column */
void clb__lp_duals(const clb_lp *lp, double *pi);     /* one per row */
void clb__lp_reduced_costs(const clb_lp *lp, double *d); /* one per column */

/* Progress of branch-and-bound. */
typedef void (*clb_lp_mip_cb)(bool has_best, double best, bool has_bound, double bound,
                              bool improved, void *payload);

typedef struct clb_lp_mip_opts {
    double time_limit; /* seconds; <= 0: none */
    double gap;        /* relative gap at which to stop */
    bool gomory_cuts;  /* Gomory mixed-integer cuts (dear on large models) */
    bool mir_cuts;     /* mixed-integer rounding and cover cuts */
    clb_lp_mip_cb progress;
    void *payload;
    const double *start; /* optional: a known plan (a value per column) to prune with */
    double stall;        /* seconds without a better plan that end the search (<= 0: none) */
    /* Budgets in nodes taken up (0: none): the whole search, and nodes without a
       better plan. Unlike seconds they stop the search at the same node however loaded
       the machine is, so that a heuristic search bounded by them gives equal answers
       to equal inputs. */
    size_t nodes;
    size_t stall_nodes;
} clb_lp_mip_opts;

/*
 * Branch-and-bound from an optimal LP basis (call clb__lp_simplex first). status:
 * OPTIMAL (complete), FEASIBLE (stopped with a plan; *bound is the best bound known),
 * INFEASIBLE, or TIME_LIMIT (stopped without a plan: by the time limit, the stall
 * rule or a budget).
 */
int clb__lp_intopt(clb_lp *lp, const clb_lp_mip_opts *opts, clb_lp_status *status,
                  double *bound, clb_error *err);

double clb__lp_mip_objective(const clb_lp *lp);
void clb__lp_mip_values(const clb_lp *lp, double *x);

/*
 * Write the problem as free MPS: the minimisation of the negated objective, with the
 * objective constant carried by a column OBJCONST fixed at 1 (readers disagree on the
 * sign of a constant given as the objective row's right-hand side).
 */
int clb__lp_write_mps(clb_lp *lp, const char *path, clb_error *err);

#endif
