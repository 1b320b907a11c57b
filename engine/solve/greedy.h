/*
 * greedy.h - one greedy pass of the itinerary master: a plan built worker after worker,
 * each taking its best itinerary that fits beside the plan so far (itinerary.c's
 * greedy plan, the rounding of a master LP, and the plan directed by the Lagrangian
 * duals). The plan lives in the master: M->plan, with its activity M->act and the
 * vacancies' counts M->ycount.
 */
#ifndef CLB_SOLVE_GREEDY_H
#define CLB_SOLVE_GREEDY_H

#include "solve/master.h"

/* Start a plan of the pinned workers alone, each on its incumbent itinerary (M->inc). */
void clb__greedy_from_pins(clb_master *M);

/*
 * Does itinerary cols[0..n) fit beside the plan? When it does and `take`, it is
 * taken. Otherwise the model columns it should avoid get d = -1e9 (when d is not
 * NULL), listed in blocked[*n_blocked...].
 */
bool clb__greedy_fits(clb_master *M, const int32_t *cols, size_t n, bool take, double *d,
                      int32_t *blocked, size_t *n_blocked);

/* Take pool entry p into the plan, for its worker, when it fits. */
bool clb__greedy_take(clb_master *M, int32_t p);

/*
 * Complete the plan: workers without an itinerary, in `order`, get their best
 * itinerary under the values `base` (per model column; M->d starts from them) that
 * fits (a few tries, blocking what did not fit). Returns 0 or a CLB_E* code.
 *
 * The workers are priced a batch at a time, in the pricing's threads, under M->d as
 * it is at the batch's start. Within a pass M->d only falls (a closed row shuts its
 * columns; a worker's blocking is undone after it), so a worker's answer stays its
 * best as long as none of its columns was shut since: then only whether it fits is
 * left to see, in order. Otherwise the worker is priced again alone. The batches do
 * not depend on the number of threads, so neither does the plan.
 */
int clb__greedy_fill_by(clb_master *M, const double *base, const uint32_t *order);

#endif
