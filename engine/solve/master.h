/*
 * master.h - the itinerary master (itinerary.c's restricted master problem): its rows,
 * its fixed columns, the pool of itineraries and the state of the search over them.
 *
 * Rows of the master: every shared row of the pair model (vacancy counts, hold_named,
 * housing, quotas, session and programme capacities), then one row per worker with
 * eligible pairs (at most one itinerary; exactly one when pinned). Columns: the model's
 * vacancy count (Y) and quota met-part (S) columns with their own entries, a penalised
 * artificial column per pinned worker (so that no restricted master is falsely
 * infeasible), then itineraries. master.c builds these; itinerary.c searches.
 */
#ifndef CLB_SOLVE_MASTER_H
#define CLB_SOLVE_MASTER_H

#include "solve/colgen.h"
#include "solve/lp.h"
#include "solve/model.h"
#include "solve/pricing.h"

typedef struct clb_master {
    const clb_scenario *s;
    const clb_model *m;
    const clb_cg_opts *opts;
    clb_model_cols cols;
    clb_pricing *pr;
    struct clb_pricing_team *team; /* pricing_team.h; itinerary.c makes and frees it */
    size_t nw;
    /* rows */
    int32_t *shared;     /* model row -> master row, or -1 */
    int32_t *row_model;  /* master row -> model row, or -1 for a worker row */
    int32_t *wrow;       /* worker -> master row, or -1 */
    size_t n_shared, n_rows;
    double *rlo, *rhi;   /* per master row */
    bool *pinned_w;
    /* fixed columns: Y and S model columns, then artificials */
    int32_t *fixed_model;
    size_t n_fixed_model, n_art;
    bool art_all;         /* an artificial on every worker row, not only the pinned ones'
                             (clb__master_lp_all_artificials) */
    /* the itinerary pool: pool[k] is master column n_fixed_model + n_art + k */
    size_t n_it, it_cap;
    uint32_t *it_w;
    double *it_obj;
    size_t *it_first;     /* n_it + 1 */
    int32_t *it_cols;
    size_t cols_n, cols_cap;
    clb_lp *lp;
    size_t lp_pool_n;     /* pool entries offered to lp so far */
    int32_t *lp_it;       /* lp's column base + k holds pool entry lp_it[k] */
    uint8_t *lp_age;      /* ... and has priced out of lp's basis lp_age[k] rounds running */
    size_t lp_n, lp_cap;  /* itinerary columns of lp */
    /* scratch */
    double *acc;          /* per master row */
    int32_t *touched;
    bool *is_touched;
    size_t n_touched;
    double *d;            /* per model column */
    double *pi;           /* per master row */
    /* greedy state */
    double *act;          /* per master row: activity of the plan (Y included) */
    double *ycount;       /* per vacancy */
    int32_t *plan;        /* per worker: pool index or -1 */
    /* incumbent */
    int32_t *inc;         /* per worker: pool index or -1 */
    double inc_obj;
    bool has_inc;
    /* bound */
    double bound;
    bool has_bound;
    double *bound_d;      /* d of the duals that gave the bound, per model column */
    double *bound_M;      /* per worker: its term in the bound */
    double *order_val;    /* per worker: best itinerary value at zero duals */
    uint32_t *order;
    double *x;            /* per model column */
    struct clb_branch *branch; /* the decisions of a branch-and-price node (branch.h), or NULL */
    clb_error *err;
} clb_master;

/* Set M's rows and scratch for model m of scenario s (pins per pair, may be NULL).
   Returns 0, CLB_ENOMEM, or 1 when the model is beyond the pricing. */
int clb__master_init(clb_master *M, const clb_scenario *s, const clb_model *m,
                     const bool *pinned);
void clb__master_dispose(clb_master *M);

/* Sets M->err to "out of memory in the itinerary master"; returns CLB_ENOMEM. */
int clb__master_nomem(clb_master *M);

/* The progress line (best plan, bound) under `phase`; `force`: even within the second. */
void clb__master_progress(clb_master *M, const char *phase, bool force);

/* The touched-row scratch: acc[r] += v for master row r; untouch clears it. */
void clb__master_touch(clb_master *M, int32_t r, double v);
void clb__master_untouch(clb_master *M);

/* Entries of the model columns cols[0..n) on the shared rows, into acc/touched. */
void clb__master_shared_entries(clb_master *M, const int32_t *cols, size_t n);

/* Add an itinerary to the pool; *index is its pool index. */
int clb__master_pool_add(clb_master *M, const clb_itin *it, int32_t *index);

/* Is pool entry k the itinerary it? */
bool clb__master_same_itin(const clb_master *M, int32_t k, const clb_itin *it);

/* Add pool entries first..n_it-1 to an LP (whose rows are the master rows). */
int clb__master_lp_add_pool(clb_master *M, clb_lp *lp, size_t first);

/*
 * Start lp (a frame with pool entries first..n_it-1, as clb__master_lp_frame and
 * clb__master_lp_add_pool build it) from M->lp's current basis: rows and fixed columns
 * as there, each pool column as the same itinerary is in M->lp, every other at its
 * lower bound. Nothing is installed when a basic itinerary of M->lp is not among lp's
 * columns (lp then starts from its slack basis). Returns 0 or a CLB_E* code.
 */
int clb__master_lp_basis_from(clb_master *M, clb_lp *lp, size_t first);

/*
 * Does the master LP get managed: its columns dropped (clb__master_lp_prune) and the
 * integer masters started from its basis (clb__master_lp_basis_from)? From
 * CLB_MASTER_MANAGE_ROWS rows on (opts->lp_manage 0), or as opts->lp_manage says.
 */
#define CLB_MASTER_MANAGE_ROWS 2000
#define CLB_MASTER_PRUNE_ROUNDS 2
bool clb__master_manage_lp(const clb_master *M);

/*
 * Add pool entries lp_pool_n..n_it-1 to the master LP M->lp (and to its column map).
 * When the LP is managed and already has itineraries, at most clb__master_lp_cap(M) of
 * them join: those of highest reduced value under the duals in M->pi (the LP's, read
 * before pricing), ties by pool order; the others stay in the pool only.
 */
#define CLB_MASTER_LP_CAP_MIN 2000
/* opts->lp_cap, or max(CLB_MASTER_LP_CAP_MIN, rows / 10) */
size_t clb__master_lp_cap(const clb_master *M);
int clb__master_lp_grow(clb_master *M);

/*
 * After an optimal master LP: drop from M->lp the itinerary columns that have been
 * nonbasic at zero with a negative reduced cost for `rounds` optimal LPs running (they
 * stay in the pool; pricing offers one again if it prices out). *dropped: how many.
 */
int clb__master_lp_prune(clb_master *M, unsigned rounds, size_t *dropped);

/*
 * Copy the itineraries that are columns of M->lp to the end of the pool, in LP order,
 * for an integer master over the master LP's own columns (the pool also holds what was
 * dropped or never joined). *first: the first copy. Returns 0 or CLB_ENOMEM.
 */
int clb__master_pool_copy_lp(clb_master *M, size_t *first);

/* A relative gap that proves the best plan optimal (docs/MODEL.md §3.7). */
#define CLB_PROVEN_GAP 1e-6

/* Is `bound` within relative gap `gap` of the best plan (relative to max(1, |plan|))?
   False without a plan. */
bool clb__master_within_gap(const clb_master *M, double bound, double gap);

/* The model's column values x of a plan (pool index per worker, -1: none): its
   itineraries' columns, the vacancy counts and the quota met parts following. */
void clb__master_plan_values(clb_master *M, const int32_t *plan, double *x);

/*
 * Offer a plan as the incumbent: it becomes M->inc when it is better. A plan below a
 * held objective (an extra row, to 1e-9 relative) is no plan and is ignored; a plan
 * that breaks any other row is an internal error. Returns 0 or a CLB_E* code.
 */
int clb__master_offer_plan(clb_master *M, const int32_t *plan);

/*
 * Give the master LP M->lp an artificial column on every worker row (for branching:
 * a worker whose itinerary must hold a column gets the row "= 1", and the artificial,
 * at ART_PENALTY a unit, keeps the restricted master feasible until pricing finds such
 * an itinerary). The LP is rebuilt with the same itineraries and basis; the artificial
 * of worker w is column n_fixed_model + wrow[w] - n_shared, with upper bound 0 unless
 * w is pinned. Returns 0 or a CLB_E* code.
 */
int clb__master_lp_all_artificials(clb_master *M);

/* A new LP with the master rows and the fixed columns (artificials with ub art_ub:
   one per pinned worker, or per worker row with art_all, at 0 for the unpinned). */
int clb__master_lp_frame(clb_master *M, clb_lp **out, double art_ub);

#endif
