/*
 * colgen.h - solving a model by column generation over a restricted master.
 *
 * The full model has one column per eligible pair, but an optimal plan uses about one
 * per worker. So the LP is solved on a master holding each worker's best few
 * placements; every column of the full model is then priced exactly with the master's
 * row duals, the best few per worker join the master, and the primal simplex restarts
 * from its last basis. When no column prices out, the master LP optimum is the full
 * LP optimum. Then a plan by rounding, branch-and-bound on the LP's core for a better
 * one, and reduced-cost fixing with the best plan: every column that could still beat
 * it is freed or added and branch-and-bound runs once more, so the answer is proven
 * for the full model. Under a time limit the master as it stands yields the plan.
 */
#ifndef CLB_COLGEN_H
#define CLB_COLGEN_H

#include "solve/model.h"

typedef enum {
    CLB_CG_OPTIMAL,    /* proven optimal for the full model (to the gap asked) */
    CLB_CG_GAP,        /* a plan; stopped at the gap asked */
    CLB_CG_TIME,       /* a plan; stopped by the time limit */
    CLB_CG_NOPLAN,     /* the time limit came before any plan */
    CLB_CG_INFEASIBLE  /* no plan exists */
} clb_cg_status;

/* Progress: phase "lp" (pricing rounds) or "mip". */
typedef void (*clb_cg_progress)(const char *phase, bool has_best, double best,
                                bool has_bound, double bound, bool force, void *payload);

/*
 * The solve's default for clb_cg_opts.lag_min_workers: from this many workers, the
 * first master LP takes GLPK longer than a time limit of minutes (52,326 rows at
 * 50,000 workers: not finished in 100 s), and Lagrangian steps are the only way to a
 * bound better than the zero duals' within it (at 50,000 workers and 120 s, a gap of
 * 22 % instead of 97 %). Below, they run only when the limit is short against the
 * first master LP's expected time (clb__lag_pays, lagrange.h): at 20,000 workers and
 * 150 s they cost rounds and the bound is worse (4.2 % against 1.8 %);
 * docs/PERFORMANCE.md.
 */
#define CLB_LAG_MIN_WORKERS 30000

typedef struct clb_cg_opts {
    double time_limit; /* seconds; <= 0: none */
    double gap;        /* relative gap at which branch-and-bound may stop */
    double t0;         /* clb__now_seconds() when the solve began (for the limit) */
    clb_cg_progress progress;
    void *payload;
    unsigned threads;  /* for the pricing of the itinerary master; <= 1: none */
    int lp_manage;     /* itinerary master LP: warm starts and column dropping from a
                          size on (0), always (> 0) or never (< 0); master.h */
    size_t lp_cap;     /* ... and the most itineraries joining it a round when managed
                          (0: clb__master_lp_cap's default) */
    size_t lag_min_workers; /* itinerary master: Lagrangian steps under a time limit
                               from this many workers (0: none; docs/PERFORMANCE.md) */
    size_t enum_limit; /* itinerary master: most itineraries enumerated for the exact
                          finish's integer master, beyond which branch-and-price proves
                          (0: ENUM_LIMIT, itinerary.c) */
    size_t max_nodes;  /* ... and the most nodes branch-and-price solves (0: no limit) */
} clb_cg_opts;

typedef struct clb_cg_result {
    clb_cg_status status;
    double *x;          /* a value per model column, when there is a plan */
    double objective;   /* of x */
    bool has_bound;
    double bound;       /* proven upper bound for the full model */
    double lp_bound;    /* the full LP optimum, when reached */
    size_t rounds;      /* pricing rounds */
    size_t lagrangian_steps; /* of the itinerary master, before its first LP */
    size_t master_rows, master_cols;
    size_t nodes;       /* of branch-and-price (itinerary master) */
    double lp_seconds, mip_seconds;
} clb_cg_result;

int clb__colgen_solve(clb_cg_result *out, const clb_model *m, const clb_cg_opts *opts,
                     clb_error *err);
void clb__cg_result_dispose(clb_cg_result *r);

#endif
