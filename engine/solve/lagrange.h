/*
 * lagrange.h - the Lagrangian relaxation of the itinerary master's shared rows: reduced
 * values, the part of the bound that does not depend on the workers, the activity of
 * the relaxation's answer on the shared rows, and steps of the volume algorithm on the
 * duals (docs/MODEL.md, "Solving by worker itineraries").
 *
 * For any duals pi of the shared rows with the right signs (>= 0 on a row's upper
 * side, <= 0 on its lower side), L(pi) = bound_base + sum over workers of the best
 * reduced value (positive part; pinned workers whole) is a proven bound. The steps
 * need no LP: each one prices every worker (the caller's eval) at duals moved from the
 * best ones so far against an average of the answers, so that a bound far better than
 * the first master LPs' comes at the cost of a few pricings.
 */
#ifndef CLB_SOLVE_LAGRANGE_H
#define CLB_SOLVE_LAGRANGE_H

#include "solve/master.h"

/*
 * Do Lagrangian steps pay before the first master LP, for a master of `rows` rows of
 * which `workers` are workers' rows, under `time_limit` seconds (<= 0: none; no steps
 * without a limit, nor when min_workers is 0)? From min_workers workers on (the first
 * LP then takes minutes), and below when the limit is short against the first LP's
 * expected time (clb__lag_lp_seconds): the LP then finishes too few
 * rounds to beat the steps' bound (docs/PERFORMANCE.md, "The model without the
 * workers' own rows": at 20,750 rows, 10 s: gap 33 % with the steps, 86 % without;
 * 60 s: 9.1 % against 14.3 %).
 */
bool clb__lag_pays(size_t workers, size_t rows, double time_limit, size_t min_workers);

/* The first master LP's expected seconds for a master of `rows` rows, fitted on the
   measured first LPs of 5,000 x 250, M and L (lagrange.c): a guide for sharing a time
   limit, never for an answer. */
double clb__lag_lp_seconds(size_t rows);

/* M->d = c - pi A for every model column, over the shared rows (pi = M->pi). */
void clb__lag_reduced_values(clb_master *M);

/* The bound's part that does not depend on the workers, at M->pi and M->d. */
double clb__lag_bound_base(const clb_master *M);

/* act[r] += v times the entries of model columns cols[0..n) on shared row r. */
void clb__lag_add_activity(const clb_master *M, double *act, const int32_t *cols, size_t n,
                           double v);

/* The fixed (Y, S) columns' part of the answer at M->d: each at the bound its reduced
   value prefers. */
void clb__lag_fixed_activity(const clb_master *M, double *act);

/* L at the duals M->pi and the answer's activity per shared row (every worker priced;
   the caller keeps the best bound). Returns 0 or a CLB_E* code. */
typedef int (*clb_lag_eval)(clb_master *M, double *act, double *L, void *payload);

/* Stop the steps now (a time limit, the gap closed)? */
typedef bool (*clb_lag_stop)(clb_master *M, void *payload);

/*
 * Duals priced off a plan (pool index per worker, -1: none), a start for the steps far
 * better than zero duals on large rounds: each vacancy's count row is charged the
 * lowest objective value among the plan's placements on it (never below zero), every
 * other shared row nothing. A vacancy's places then go, in the relaxation, to workers
 * worth at least what the plan's weakest placement there earns.
 */
void clb__lag_plan_prices(clb_master *M, const int32_t *plan);

/*
 * Steps of the volume algorithm from the duals M->pi, whose bound L0 and answer
 * activity act0 the caller computed: Polyak's step toward the best plan's value (M->inc_obj),
 * the step shortened after three steps without a better L, a dual never changing sign
 * in one step and pricing only a finite side. Stops after max_steps, after `stall`
 * steps running without a better bound by 0.1 % of the gap (0: never for that), or
 * when stop says so; *steps is the number of pricings done. Returns 0 or what eval
 * returned.
 */
int clb__lag_steps(clb_master *M, double L0, const double *act0, int max_steps, int stall,
                   clb_lag_eval eval, clb_lag_stop stop, void *payload, int *steps);

/* Steps without a better bound that end the steps while the master LP waits for them. */
#define CLB_LAG_STALL 8

#endif
