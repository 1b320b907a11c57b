/*
 * pricing_team.h - the pricing of many workers at once, in threads.
 *
 * Each round of column generation prices every worker under the same reduced values,
 * and a worker's best itinerary depends on that worker and the reduced values alone
 * (pricing.h). A team is a set of threads (util/par.h) with one pricing workspace
 * each over the same tables; the workers of a call are handed out to whichever thread
 * is free, and each answer goes to the worker's own slot, which the caller reads in
 * order. So the answers, and whatever the caller builds from them in that order, are
 * the same with any number of threads. A team of one creates no thread and prices in
 * the calling thread, in order, as clb__pricing_best one worker after another.
 */
#ifndef CLB_SOLVE_PRICING_TEAM_H
#define CLB_SOLVE_PRICING_TEAM_H

#include "solve/pricing.h"

typedef struct clb_pricing_team clb_pricing_team;

/*
 * A team pricing with pr (borrowed; it must outlive the team) in `threads` threads
 * (<= 1: the calling thread only). A machine that gives fewer threads gives a smaller
 * team (clb__pricing_team_size). Returns 0 or CLB_ENOMEM.
 */
int clb__pricing_team_new(clb_pricing_team **out, clb_pricing *pr, unsigned threads);
void clb__pricing_team_free(clb_pricing_team *team);
unsigned clb__pricing_team_size(const clb_pricing_team *team);

/*
 * clb__pricing_best of workers ws[0..n) under the same d, into out[i] and found[i].
 * Returns 0, or the code of the first worker in order whose pricing failed; *n_ok is
 * the number of workers before it (all: n), whose answers are in place.
 */
int clb__pricing_best_many(clb_pricing_team *team, const uint32_t *ws, size_t n,
                          const double *d, clb_itin *out, bool *found, size_t *n_ok);

/*
 * clb__pricing_enumerate of workers ws[0..n), worker ws[i] with threshold thr[i], all
 * under d: cb sees the very calls that one thread makes, worker after worker, so it
 * may stop the whole enumeration. The threads keep at most `keep` itineraries of a
 * worker (memory); the calling thread enumerates a worker with more again, from its
 * keep-th on. Returns 0, what cb returned, or CLB_ENOMEM.
 */
int clb__pricing_enumerate_many(clb_pricing_team *team, const uint32_t *ws, size_t n,
                               const double *d, const double *thr, size_t keep,
                               clb_itin_cb cb, void *payload);

#endif
