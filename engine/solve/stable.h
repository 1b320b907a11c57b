/*
 * stable.h - the rows of `solve --stable`: no justified envy (docs/MODEL.md,
 * "Stability").
 */
#ifndef CLB_SOLVE_STABLE_H
#define CLB_SOLVE_STABLE_H

#include "solve/model.h"

/*
 * The eligible pairs by vacancy (vpair[vfirst[v] .. vfirst[v+1]), in worker order),
 * with each pair's value for its vacancy (clb__placement_value) and the worker's pref
 * for it (clb__pref_value): what every envy test reads.
 */
typedef struct clb_pair_index {
    uint32_t *vfirst; /* [n_vacancies + 1] */
    uint32_t *vpair;  /* [pairs->n] */
    double *value;    /* [pairs->n] */
    double *pref;     /* [pairs->n] */
} clb_pair_index;

/* Build ix; returns 0 or CLB_ENOMEM (ix then holds nothing to dispose). */
int clb__pair_index_build(clb_pair_index *ix, const clb_scenario *s, const clb_pairs *pairs);
void clb__pair_index_dispose(clb_pair_index *ix);

/*
 * Add to model m (built on `pairs`, pins `pinned` per pair) the linear rows that rule
 * out every envy pair whose lower-valued holder is not pinned: for each eligible pair
 * (w, v) and the set X of unpinned pairs (x, v), x != w, worth strictly less for v than
 * w (clb__value_below), with M = min(headcount(v), |X|):
 *   sum_X x_xv <= M (x_wv + sum of w's pairs it ranks at least as high as v)
 *   sum_X x_xv + M x_wu <= M (1 + x_wv)       for each pair (w, u) ranked below v
 * (one row per u: a sum over u would be broken by a worker holding two placements
 * below v even when no holder of X is on v).
 * The empty plan keeps them, and so does any plan of the pinned pairs alone.
 * Rows are of kind CLB_ROW_EXTRA, tagged with the pair index of (w, v).
 * Returns 0 or CLB_ENOMEM.
 */
int clb__stable_rows(clb_model *m, const clb_scenario *s, const clb_pairs *pairs,
                     const bool *pinned, clb_error *err);

/*
 * How many non-zeros clb__stable_rows would add (*out; a count of the worker's own
 * pairs ranked below v is taken per pair, so it is exact up to the pairs of equal
 * value). Quick: sorting by vacancy, no row is built. Returns 0 or CLB_ENOMEM.
 */
int clb__stable_rows_nnz(double *out, const clb_scenario *s, const clb_pairs *pairs,
                         const bool *pinned);

/*
 * A plan without justified envy to start the search from, made from plan x of model m
 * (a value per column, keeping every row but the stability rows): while some worker
 * envies a lower-valued unpinned holder, that holder leaves (which may make it envious
 * in turn); a worker whose required programme no longer fits leaves its other
 * placements; sessions no placement needs and programmes out of reach are dropped.
 * Placements only leave, so every capacity still holds. *out is a value per column of
 * m, or NULL when no such plan was made (a pinned placement would have to go).
 * Returns 0 or CLB_ENOMEM.
 */
int clb__stable_start(double **out, const clb_model *m, const clb_scenario *s,
                      const clb_pairs *pairs, const bool *pinned, const double *x,
                      clb_error *err);

/*
 * A plan without justified envy built by deferred acceptance with cutoffs
 * (stable_da.c; docs/MODEL.md, "Stability: solve --stable"): workers walk their
 * eligible vacancies in decreasing pref and take what their own limits and the shared
 * rows allow, a full vacancy keeping its most valuable workers; a vacancy a worker
 * could not take while preferring it to its lowest placement closes to workers worth
 * less. Pinned workers keep their pins alone. m is the model without the stability
 * rows; *out is a value per column of m that keeps every row of m and has no
 * justified envy (pinned holders exempt), or NULL when none was made (the model is
 * beyond the itinerary pricing, or the pins' plan breaks a row). At `deadline`
 * (clb__now_seconds; 0: none) the walks stop and the plan as it stands is repaired
 * (clb__stable_start). Returns 0 or CLB_ENOMEM.
 */
int clb__stable_da(double **out, const clb_model *m, const clb_scenario *s,
                   const clb_pairs *pairs, const bool *pinned, double deadline,
                   clb_error *err);

/*
 * The objective of model m at plan x (a value per column) whose vacancy counts, quota
 * indicators and met parts of quota minimums are taken from its placements, not from
 * x (the stable starts leave them unset). scratch holds m->ncols values.
 */
double clb__stable_objective(const clb_model *m, const clb_scenario *s, const double *x,
                             double *scratch);

#endif
