/*
 * solve.h - solving a scenario: the integer model of docs/MODEL.md §3, with GLPK.
 *
 * The engine returns a proven optimal plan unless the caller sets a time or gap limit;
 * then it returns the best plan found with the proven bound and an honest status.
 */
#ifndef CIRCULAB_SOLVE_H
#define CIRCULAB_SOLVE_H

#include "common.h"
#include "scenario.h"
#include "result.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A progress report, passed to clb_solve_opts.progress during long work. */
typedef struct clb_progress {
    const char *phase; /* "eligibility", "model", "greedy", "lp", "mip", "check" */
    bool has_best;     /* a feasible plan is known */
    double best;       /* objective of the best known plan */
    bool has_bound;    /* an upper bound is known */
    double bound;      /* proven upper bound on the objective */
    double gap;        /* relative gap, when both are known */
    double elapsed;    /* seconds since the solve began */
} clb_progress;

typedef void (*clb_progress_cb)(const clb_progress *progress, void *payload);

/* How the model is solved (both answer the same model, docs/MODEL.md §3). */
typedef enum {
    CLB_METHOD_ITINERARIES = 0, /* one master column per worker itinerary (default) */
    CLB_METHOD_PAIRS            /* column generation over the pair model */
} clb_solve_method;

/* A placement named by its worker's and vacancy's ids (a plan to stay close to). */
typedef struct clb_placement_ref {
    const char *worker;
    const char *vacancy;
} clb_placement_ref;

/* Solver options. Initialise with clb_solve_opts_init. */
typedef struct clb_solve_opts {
    double time_limit;        /* seconds; 0 = none */
    double gap;               /* relative gap at which to stop; 0 = proven (1e-6) */
    clb_progress_cb progress; /* optional; called from the solving thread */
    void *payload;            /* passed to progress */
    const char *write_mps;    /* optional; write the full model as MPS here */
    clb_solve_method method;  /* CLB_METHOD_ITINERARIES unless set */
    /*
     * Optional: a base plan to stay close to (borrowed for the call; ids that the
     * scenario lacks, or pairs no longer eligible, are ignored). Once the objective z*
     * is proven optimal, a second stage maximises the number of these placements the
     * plan keeps, the objective held at z* (a row objective >= z* - 1e-9 max(1,|z*|));
     * its plan replaces the first one only when its recomputed objective equals z* to
     * 1e-9 relative, so the objective, status and bound never change (docs/MODEL.md,
     * "A second stage"). Not done when the first stage is not proven optimal, or on
     * the pair method. The second stage's time is bounded: under time_limit by what
     * remains of it, otherwise by twice the first stage's time and at least 5
     * seconds, and by second_stage_limit when that is set and smaller;
     * clb_result_stats.second_stage says whether it finished.
     */
    const clb_placement_ref *base_plan;
    size_t n_base_plan;
    double second_stage_limit; /* seconds; 0 = only the bound above */
    /*
     * No justified envy (`solve --stable`, docs/MODEL.md, "Stability"): linear rows
     * rule out every envy pair, a worker w who strictly prefers a vacancy v to its
     * lowest-ranked placement (or is unplaced) while v holds a worker worth strictly
     * less for v, unless that holder is pinned. The optimum is then the best plan
     * without such envy; the price of stability is its distance to the plain optimum.
     */
    bool stable;
    /*
     * Threads for the pricing of the itinerary method (`solve --threads N`): 0, the
     * default, uses the machine's online processors, at most CLB_SOLVE_AUTO_THREADS;
     * 1 prices in the calling thread only. The answer is the same, byte for byte,
     * with any number: each worker's pricing depends on its worker alone and the
     * results are merged in worker order (docs/PERFORMANCE.md, "Pricing in threads").
     * The progress callback is still called from the calling thread only.
     */
    unsigned threads;
} clb_solve_opts;

/* The most pricing threads clb_solve_opts.threads = 0 asks for. */
#define CLB_SOLVE_AUTO_THREADS 8

/* Default options: no limits, no progress callback. */
CLB_EXTERN void clb_solve_opts_init(clb_solve_opts *opts);

/*
 * Solve a scenario.
 *
 * out:      receives the result (release with clb_result_free). The result borrows
 *           from the scenario, which must outlive it.
 * Returns 0 (a result, whose status may be optimal, time_limit or gap_limit),
 * CLB_EINFEASIBLE (the pins cannot all hold; err->message names the pins and
 * constraints involved, and no result is returned), CLB_ESOLVER or CLB_ENOMEM.
 */
CLB_EXTERN int clb_solve(clb_result **out, const clb_scenario *scenario,
                         const clb_solve_opts *opts, clb_error *err);

/*
 * Whether the scenario's pins and confirmed `previous` entries can all hold together
 * with the hard limits (docs/MODEL.md §3.8), without optimising: a solve of the model of
 * the pinned pairs alone, which is feasible exactly when the whole model is. Confirmed
 * entries no longer eligible are left out, as clb_solve reports them as conflicts.
 *
 * Returns 0 (they can hold), CLB_EINFEASIBLE (err->message names the pins and
 * constraints that cannot hold together, as clb_solve does), CLB_ESOLVER or
 * CLB_ENOMEM.
 */
CLB_EXTERN int clb_solve_check_pins(const clb_scenario *scenario, clb_error *err);

#ifdef __cplusplus
}
#endif
#endif
