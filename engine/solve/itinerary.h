/*
 * itinerary.h - the model solved by worker itineraries (Dantzig-Wolfe by worker).
 *
 * The pair model (model.h) splits into rows of one worker (conflicts, stay, training,
 * reintegration, quota links) and rows shared between workers (vacancy counts,
 * hold_named, housing, quotas, session and programme capacities). The master keeps
 * the shared rows, the vacancy count and quota "met part" columns, and one column per
 * worker itinerary (pricing.h) under a row "at most one itinerary" per worker ("exactly
 * one" for a pinned worker). Its LP relaxation is the pair model's LP with each
 * worker's own rows replaced by the convex hull of its itineraries, so it is much
 * tighter, and a plan of it is a plan of the pair model (read back column by column).
 *
 * The solve: a greedy plan first, then column generation with a Lagrangian bound at
 * every round, rounding of the master LP, and the exact finish: an integer master over
 * every itinerary whose reduced value could still beat the best plan (enumerated by the
 * pricing), which proves optimality for the whole model when it completes.
 */
#ifndef CLB_SOLVE_ITINERARY_H
#define CLB_SOLVE_ITINERARY_H

#include "solve/colgen.h"

/*
 * Solve model m (of scenario s, pins `pinned` per pair) by itineraries. `pin_plan`
 * (may be NULL) is a plan of the pinned workers (a value per model column, only their
 * columns read) that keeps every row: the caller decides beforehand whether the pins
 * can hold. The answer is in the format of column generation. Returns 0, a negative
 * CLB_E* code, or 1 when the model is beyond the pricing (the caller then solves the
 * pair model).
 */
int clb__itinerary_solve(clb_cg_result *out, const clb_scenario *s, const clb_model *m,
                        const bool *pinned, const double *pin_plan,
                        const clb_cg_opts *opts, clb_error *err);

/*
 * The same, started from `start_plan` (a value per model column, a plan that keeps
 * every row of m, pins included): its itineraries join the master and it is the first
 * incumbent, so rows that the empty and the greedy plans break (a held first-stage
 * objective: an extra row with a lower bound) never leave the search without a plan.
 * The pinned workers' itineraries are read from it too. NULL: as clb__itinerary_solve.
 */
int clb__itinerary_solve_from(clb_cg_result *out, const clb_scenario *s,
                             const clb_model *m, const bool *pinned,
                             const double *pin_plan, const double *start_plan,
                             const clb_cg_opts *opts, clb_error *err);

/*
 * Seconds for the integer master over the master LP's own columns (a heuristic that
 * only looks for a better plan before the enumeration) under a time limit, given the
 * seconds `left` of it and the seconds the solve took `so_far`: a share of what is
 * left (30 s when left <= 0), at most twice the time so far, at least 1 s. Without a
 * time limit the solve bounds it in nodes instead (itinerary.c, HEUR_NODES), so that
 * its answer does not depend on the machine's load.
 */
double clb__itinerary_heuristic_seconds(double left, double so_far);

#endif
