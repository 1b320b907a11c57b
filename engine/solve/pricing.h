/*
 * pricing.h - one worker's itineraries: the exact best one for given reduced values,
 * and every one whose reduced value reaches a threshold.
 *
 * An itinerary is the whole plan of one worker for the round: compatible placements
 * (gap, stay, max placements, pins), the one training session per course its
 * placements need (docs/MODEL.md §3.4) and at most one reintegration programme (3.6). It
 * is written as the set of the pair model's columns (model.h) it sets to one: its X
 * columns, the Z columns of the `workers` quotas it hits, its A and R columns. So the
 * itinerary master (itinerary.c) is the Dantzig-Wolfe reformulation of the pair model
 * by worker, and a reduced value is a sum of per-column reduced values d[j] given by
 * the caller. Nothing here knows about an LP.
 *
 * The best itinerary: the session of each course is fixed outside a dynamic
 * programme (dominated sessions pruned first), which turns timeliness and overlap
 * into a filter on vacancies; then labels over the vacancies in start order (stay
 * days, count, quota mask with the dominance direction given by the sign of each
 * quota's reduced value, mask of courses covered), and the best programme at the
 * chain's end. The enumeration is a depth-first search with a completion bound, with
 * no Pareto pruning (a dominated itinerary may still reach the threshold).
 *
 * A clb_pricing is the tables of every worker (built once, then only read) and one
 * workspace, the scratch of the dynamic programme. Many workers under the same reduced
 * values are priced in threads (pricing_team.h), each thread with a workspace
 * of its own over the shared tables: a worker's best itinerary depends on the worker
 * and d alone, never on what a workspace held before, so the answers are the same
 * with any number of threads.
 */
#ifndef CLB_SOLVE_PRICING_H
#define CLB_SOLVE_PRICING_H

#include "solve/model.h"

typedef struct clb_pricing clb_pricing;

/*
 * Prepare the pricing of every worker of model m (built on scenario s with the pins
 * `pinned`, a bool per pair, may be NULL). Returns 0, CLB_ENOMEM, or 1 when a worker
 * is beyond what the pricing handles (more than 64 `workers` quotas or courses, or
 * too many session choices): the caller then solves the pair model instead.
 */
int clb__pricing_new(clb_pricing **out, const clb_scenario *s, const clb_model *m,
                    const bool *pinned);
void clb__pricing_free(clb_pricing *pr);

/* Does worker w have pins (its itinerary may not be empty)? */
bool clb__pricing_pinned(const clb_pricing *pr, uint32_t w);

/* An itinerary: the model columns it sets to one, ascending. */
typedef struct clb_itin {
    uint32_t worker;
    double value; /* sum of d over cols */
    size_t n;
    int32_t *cols;
    size_t cap;
} clb_itin;

void clb__itin_dispose(clb_itin *it);

/* Append model column c to it. Returns 0 or CLB_ENOMEM. */
int clb__itin_push(clb_itin *it, int32_t c);

/*
 * The best non-empty itinerary of worker w under reduced values d (one per model
 * column; only w's own X, Z, A and R columns are read). *found is false when w has no
 * itinerary at all (no eligible pair, or pins that cannot hold under `required`).
 * Returns 0, CLB_ENOMEM, or 1 when the session choices exceed the limit.
 */
int clb__pricing_best(clb_pricing *pr, uint32_t w, const double *d, clb_itin *out,
                     bool *found);

/*
 * Another workspace of pr, for another thread: it shares pr's tables (read only) and
 * has scratch of its own. Free it with clb__pricing_free before pr. Returns 0 or
 * CLB_ENOMEM.
 */
int clb__pricing_workspace(clb_pricing **out, const clb_pricing *pr);

/* Called for each itinerary enumerated; non-zero stops the enumeration with it. */
typedef int (*clb_itin_cb)(const clb_itin *it, void *payload);

/*
 * Every non-empty itinerary of w whose value under d is at least `threshold`, in a
 * deterministic order. Returns 0, CLB_ENOMEM or what cb returned.
 */
int clb__pricing_enumerate(clb_pricing *pr, uint32_t w, const double *d, double threshold,
                          clb_itin_cb cb, void *payload);

/* The worker's own model columns (X, Z, A, R), for the master and the tests. */
void clb__pricing_own_cols(const clb_pricing *pr, uint32_t w, const int32_t **zcols,
                          size_t *nz, const int32_t **acols, size_t *na,
                          const int32_t **rcols, size_t *nr);

#endif
