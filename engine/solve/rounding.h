/*
 * rounding.h - a plan from fractional values: round, then repair until every row
 * of the model holds.
 *
 * Used when the time limit leaves branch-and-bound no time to find a plan: the LP
 * values of the restricted master are usually almost integral, so rounding them and
 * dropping what breaks a row gives a good plan at once, where the alternative is the
 * plan of the pins alone. Solver-independent: it reads only the model.
 */
#ifndef CLB_ROUNDING_H
#define CLB_ROUNDING_H

#include "solve/model.h"

/*
 * From values `frac` (one per model column), write into `x` a plan that keeps every
 * row and bound of m, and set *found. Columns are rounded to the nearest integer (the
 * pins kept), vacancy counts and quota "met parts" follow from the placements, and
 * while a row is broken one of the columns that break it is set to zero. Then, in
 * the order of their values in `frac` and of their worth, placements join the plan
 * wherever they break no row. *found is false when only a pin could repair a row.
 * cols is m's matrix by columns. Returns 0 or CLB_ENOMEM.
 */
int clb__round_plan(const clb_model *m, const clb_model_cols *cols, const double *frac,
                   double *x, bool *found);

#endif
