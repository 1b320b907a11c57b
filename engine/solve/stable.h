/*
 * stable.h - the rows of `solve --stable`: no justified envy (docs/MODEL.md,
 * "Stability").
 */
#ifndef CLB_SOLVE_STABLE_H
#define CLB_SOLVE_STABLE_H

#include "solve/model.h"

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

#endif
