/*
 * itinerary.c - the itinerary master: greedy plan, column generation with a bound at
 * every round, rounding, and the exact finish (itinerary.h).
 *
 * Rows of the master: every shared row of the pair model (vacancy counts, hold_named,
 * housing, quotas, session and programme capacities), then one row per worker with
 * eligible pairs (at most one itinerary; exactly one when pinned). Columns: the
 * model's vacancy count (Y) and quota met-part (S) columns with their own entries, a
 * penalised artificial column per pinned worker (so that no restricted master is
 * falsely infeasible), then itineraries. An itinerary's entry on a shared row is the
 * sum of the entries of the model columns it sets to one, its objective their sum.
 *
 * Bound. For any duals pi of the shared rows with the right signs (>= 0 on a row's
 * upper side, <= 0 on its lower side), relaxing the shared rows gives
 *   L(pi) = obj_const + sum_i pi_i b_i + sum_{Y,S} ub_j max(0, d_j)
 *           + sum_w max(0, best reduced value of w)      (without max for pinned w),
 * with d_j = c_j - pi A_j and b_i the side of row i that pi_i prices. Every plan is
 * worth at most L(pi), whatever pi is (an unfinished master, a time limit), and a
 * plan x of value z has, for each worker, an itinerary whose reduced value is at least
 * M_w - (L - z) (M_w the worker's term of L): the sum of the shortfalls of its terms is
 * L - z. So the itineraries that can be in a plan better than z are exactly those
 * enumerated with that threshold; the integer master over them (and Y, S) is solved
 * by branch-and-bound from the best plan, and its answer is the optimum of the model.
 *
 * Since L(pi) holds for any pi, the first bound need not wait for the master LP: after
 * the greedy plan, steps of the volume algorithm (lagrange.h) move the duals from the
 * better of zero and the plan's prices, one pricing of every worker a step, and the
 * best L is kept; the itineraries at its duals give a plan and join the first master LP.
 */
#include "solve/itinerary.h"
#include "solve/branch.h"
#include "solve/greedy.h"
#include "solve/lagrange.h"
#include "solve/master.h"
#include "solve/pricing.h"
#include "solve/pricing_team.h"
#include "solve/lp.h"
#include "util/alloc.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PRICE_TOL 1e-6         /* reduced value an itinerary needs to join */
#define ENUM_LIMIT 500000      /* most itineraries of the integer master; beyond, branch-and-price */
#define LP_SHARE 0.6           /* of a time limit, for column generation */
#define LATE_SHARE 0.97        /* ... and what it may use after the integer master */
#define FINISH_GAP 0.01        /* time-limited: the exact finish only below this gap */
#define LAG_SHARE 0.3          /* of a time limit, at most, for Lagrangian steps */
#define HEUR_SHARE 0.3         /* of a time limit, at most, for the heuristic integer master */
#define HEUR_CAP 30            /* ... its seconds without one, at most */
#define HEUR_RATIO 2           /* ... and at most this many times the solve's time so far */
#define HEUR_MIN 1             /* ... but at least this many seconds */
#define HEUR_STALL 0.25        /* ... and it ends after this share of its time without a better plan */
#define HEUR_NODES 100         /* ... without a time limit: its nodes, at most (and the
                                  same share of them without a better plan) */
#define LAG_MAX_STEPS 60       /* Lagrangian steps (clb_cg_opts.lag_min_workers) */
#define LAG_PLAN_MARGIN 1.5    /* the steps' plan's time, in greedy plans, when the steps
                                  take a time limit's end */

static double elapsed(const clb_master *M)
{
    return clb__now_seconds() - M->opts->t0;
}

static double time_left(const clb_master *M)
{
    if (M->opts->time_limit <= 0)
        return -1;
    double left = M->opts->time_limit - elapsed(M);
    return left > 0.001 ? left : 0.001;
}

static void progress(clb_master *M, const char *phase, bool force)
{
    clb__master_progress(M, phase, force);
}

/* Once a second inside a long master simplex: the best plan and bound known so far. */
static void on_lp_tick(void *payload)
{
    progress(payload, "lp", false);
}

/* Inside an integer master's branch-and-bound: the same line, under its phase (a plan
   it finds is taken, and shown, when it returns). */
static void on_mip_tick(bool has_best, double best, bool has_bound, double bound,
                        bool improved, void *payload)
{
    (void)has_best, (void)best, (void)has_bound, (void)bound, (void)improved;
    progress(payload, "mip", false);
}

/* ---- pricing many workers ------------------------------------------------------------ */

#define PRICE_BATCH 512 /* workers priced together, between two progress reports */

/* What to do with one worker's best itinerary; non-zero stops the pricing with it. */
typedef int (*take_fn)(clb_master *M, uint32_t w, const clb_itin *it, bool found,
                       void *payload);

/*
 * The best itinerary under d of every worker w with a master row and (when `pinned`
 * is not NULL) M->pinned_w[w] == *pinned, handed to `take` in worker order. The
 * pricings run in batches over the pricing's threads and are merged in worker order,
 * so what `take` sees, and in which order, is the same with any number of threads.
 */
static int price_workers(clb_master *M, const double *d, const bool *pinned, take_fn take,
                         void *payload, const char *phase)
{
    uint32_t *ws = clb__malloc(PRICE_BATCH * sizeof(uint32_t));
    clb_itin *its = clb__calloc(PRICE_BATCH, sizeof(clb_itin));
    bool *found = clb__calloc(PRICE_BATCH, sizeof(bool));
    int error = 0;

    if (!ws || !its || !found) {
        error = clb__master_nomem(M);
        goto done;
    }
    for (uint32_t w = 0; w < M->nw && error == 0;) {
        size_t nb = 0, n_ok;
        for (; w < M->nw && nb < PRICE_BATCH; w++)
            if (M->wrow[w] >= 0 && (!pinned || M->pinned_w[w] == *pinned))
                ws[nb++] = w;
        int perr = clb__pricing_best_many(M->team, ws, nb, d, its, found, &n_ok);
        for (size_t k = 0; k < n_ok && error == 0; k++)
            error = take(M, ws[k], &its[k], found[k], payload);
        if (error == 0)
            error = perr;
        progress(M, phase, false);
    }
done:
    if (its)
        for (size_t k = 0; k < PRICE_BATCH; k++)
            clb__itin_dispose(&its[k]);
    clb__free(ws);
    clb__free(its);
    clb__free(found);
    return error;
}

static int greedy_fill(clb_master *M)
{
    return clb__greedy_fill_by(M, M->m->obj, M->order);
}

/* ---- the LP ---------------------------------------------------------------------------- */

/*
 * The basis of the incumbent in the master LP (every pool entry a column): a placed
 * worker's itinerary is basic in place of its row's slack, a vacancy count strictly
 * inside its bounds in place of its count row's slack, a quota met part strictly
 * inside its bounds in place of its minimum row's slack; every other row's slack is
 * basic. Block-triangular with a nonzero diagonal, hence a basis, and primal feasible
 * because the incumbent keeps every row: the first simplex starts from the plan.
 */
static int install_plan_basis(clb_master *M)
{
    const clb_model *m = M->m;
    size_t base = M->n_fixed_model + M->n_art;
    size_t nc = clb__lp_cols(M->lp);
    uint8_t *rs = clb__malloc(M->n_rows + 1), *cs = clb__malloc(nc + 1);
    int error;
    if (!rs || !cs) {
        clb__free(rs);
        clb__free(cs);
        return clb__master_nomem(M);
    }
    memset(rs, CLB_LP_BASIC, M->n_rows);
    memset(cs, CLB_LP_AT_LOWER, nc);
    clb__master_plan_values(M, M->inc, M->x);
    for (size_t k = 0; k < M->n_fixed_model; k++) {
        int32_t j = M->fixed_model[k];
        double v = M->x[j];
        int32_t r = -1;
        for (size_t e = M->cols.start[j]; e < M->cols.start[j + 1]; e++) {
            int32_t mr = M->cols.row[e];
            if ((m->col_kind[j] == CLB_COL_Y && m->row_kind[mr] == CLB_ROW_YDEF) ||
                (m->col_kind[j] == CLB_COL_S && m->row_kind[mr] == CLB_ROW_QUOTA_MIN))
                r = M->shared[mr];
        }
        if (v > m->lb[j] + 1e-9 && v < m->ub[j] - 1e-9 && r >= 0) {
            cs[k] = CLB_LP_BASIC;
            rs[r] = M->rlo[r] == M->rhi[r] ? CLB_LP_AT_FIXED : CLB_LP_AT_LOWER;
        } else if (v >= m->ub[j] - 1e-9 && m->ub[j] > m->lb[j]) {
            cs[k] = CLB_LP_AT_UPPER;
        }
    }
    for (size_t w = 0; w < M->nw; w++) {
        if (M->inc[w] < 0 || M->wrow[w] < 0)
            continue;
        cs[base + (size_t)M->inc[w]] = CLB_LP_BASIC;
        rs[M->wrow[w]] = M->pinned_w[w] ? CLB_LP_AT_FIXED : CLB_LP_AT_UPPER;
    }
    error = clb__lp_set_basis(M->lp, rs, cs, M->err);
    clb__free(rs);
    clb__free(cs);
    return error;
}

/* Duals of the shared rows, clamped to the sign of the side they price. */
static void read_duals(clb_master *M)
{
    clb__lp_duals(M->lp, M->pi);
    for (size_t r = 0; r < M->n_shared; r++) {
        bool up = M->rhi[r] < CLB_LP_INF, down = M->rlo[r] > -CLB_LP_INF;
        if (!up && M->pi[r] > 0)
            M->pi[r] = 0;
        if (!down && M->pi[r] < 0)
            M->pi[r] = 0;
    }
}

/* Rounding: the LP's itineraries by value, then the greedy completion. */
static int round_lp(clb_master *M)
{
    size_t base = M->n_fixed_model + M->n_art;
    size_t n = M->lp_n;
    uint32_t *idx = clb__malloc((n + 1) * sizeof(uint32_t));
    double *vals = clb__malloc((clb__lp_cols(M->lp) + 1) * sizeof(double));
    int error = 0;
    if (!idx || !vals) {
        clb__free(idx);
        clb__free(vals);
        return clb__master_nomem(M);
    }
    clb__lp_values(M->lp, vals);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (vals[base + i] > 1e-6)
            idx[k++] = (uint32_t)i;
    /* sort by LP value, descending (insertion into a simple order: stable) */
    for (size_t a = 1; a < k; a++) {
        uint32_t t = idx[a];
        size_t b = a;
        while (b > 0 && vals[base + idx[b - 1]] < vals[base + t]) {
            idx[b] = idx[b - 1];
            b--;
        }
        idx[b] = t;
    }
    for (size_t a = 0; a < k; a++) /* LP columns to pool entries (in the same order) */
        idx[a] = (uint32_t)M->lp_it[idx[a]];
    clb__greedy_from_pins(M);
    for (size_t a = 0; a < k; a++) {
        int32_t p = (int32_t)idx[a];
        if (M->plan[M->it_w[p]] < 0 && M->it_obj[p] > 0)
            clb__greedy_take(M, p);
    }
    clb__free(idx);
    clb__free(vals);
    if ((error = greedy_fill(M)) < 0)
        return error;
    return clb__master_offer_plan(M, M->plan);
}

static bool gap_closed(const clb_master *M, double gap)
{
    return M->has_bound && clb__master_within_gap(M, M->bound, gap);
}

/* A branch-and-price node whose bound no longer beats the best plan. */
static bool node_closed(const clb_master *M)
{
    return M->branch->has_bound &&
           clb__master_within_gap(M, M->branch->bound, CLB_PROVEN_GAP);
}

/* Column generation's use of a worker's best itinerary: its term of the bound, and
   the itinerary joins the master when it prices out. */
typedef struct cg_take {
    double *wterm; /* per worker: its term of the bound */
    double L;      /* the bound so far */
    const double *mu;
    /* per worker, its first LP column (-1: none), each column's next (lists into
       M->lp_it) */
    int32_t *lp_head, *lp_next;
    size_t copies; /* itineraries priced out that are already columns of the LP */
} cg_take;

/*
 * Is `it` already a column of the master LP? Then the LP holds it at a reduced cost
 * within the simplex's tolerance while the pricing finds it above PRICE_TOL: with large
 * objective values (weights go up to 1e9) the two disagree by rounding, and adding it
 * again would change nothing, round after round.
 */
static bool in_lp(const clb_master *M, const cg_take *ct, const clb_itin *it)
{
    for (int32_t k = ct->lp_head[it->worker]; k >= 0; k = ct->lp_next[k])
        if (clb__master_same_itin(M, M->lp_it[k], it))
            return true;
    return false;
}

static int cg_priced(clb_master *M, uint32_t w, const clb_itin *it, bool found,
                     void *payload)
{
    cg_take *ct = payload;
    bool must = M->pinned_w[w];
    double value = found ? it->value : 0;
    if (found && M->branch) /* a node's decisions (branch.h) */
        found = clb__branch_keeps(M->branch, w, it, &value, &must);
    if (!found) {
        if (M->branch && must) { /* no itinerary keeps the node's decisions */
            M->branch->dead = true;
            return 0;
        }
        if (M->pinned_w[w]) /* cannot be: the pins' plan exists */
            return clb__error_set(M->err, CLB_EINTERNAL,
                                  "itinerary pricing: a pinned worker has no itinerary");
        return 0;
    }
    ct->wterm[w] = must ? value : (value > 0 ? value : 0);
    ct->L += ct->wterm[w];
    if (value - ct->mu[M->wrow[w]] > PRICE_TOL) {
        int32_t k;
        if (in_lp(M, ct, it)) {
            if (M->branch)
                return 0;
            ct->copies++; /* offered again, as always: column_generation decides */
        }
        return clb__master_pool_add(M, it, &k);
    }
    return 0;
}

/* Column generation until no itinerary prices out (or the limits). */
static int column_generation(clb_master *M, double share, size_t *rounds, bool *converged)
{
    int error = 0;
    size_t since_round = 0, next_rounding = 1;
    double deadline = M->opts->time_limit > 0 ? M->opts->time_limit * share : -1;
    double *M_w = M->bound_M;

    *converged = false;
    for (;;) {
        clb_lp_status st;
        double tl = deadline > 0 ? deadline - elapsed(M) : 0;
        if (deadline > 0 && tl <= 0.01)
            break;
        if ((error = clb__lp_simplex(M->lp, false, tl, &st, M->err)) < 0)
            goto done;
        if (st != CLB_LP_OPTIMAL)
            break;
        (*rounds)++;
        read_duals(M);
        clb__lag_reduced_values(M);
        if (M->branch)
            clb__branch_adjust_d(M->m, M->pr, M->branch, M->d);
        double L = clb__lag_bound_base(M);
        size_t first_new = M->n_it;
        const double *mu = M->pi; /* the worker rows' duals are left as they are */
        cg_take ct = {clb__calloc(M->nw + 1, sizeof(double)), L, mu, NULL, NULL, 0};
        if (!ct.wterm) {
            error = clb__master_nomem(M);
            goto done;
        }
        { /* the LP's columns by worker (in_lp) */
            ct.lp_head = clb__malloc((M->nw + 1) * sizeof(int32_t));
            ct.lp_next = clb__malloc((M->lp_n + 1) * sizeof(int32_t));
            if (!ct.lp_head || !ct.lp_next) {
                clb__free(ct.wterm);
                clb__free(ct.lp_head);
                clb__free(ct.lp_next);
                error = clb__master_nomem(M);
                goto done;
            }
            for (size_t w = 0; w < M->nw; w++)
                ct.lp_head[w] = -1;
            for (size_t k = M->lp_n; k-- > 0;) {
                uint32_t w = M->it_w[M->lp_it[k]];
                ct.lp_next[k] = ct.lp_head[w];
                ct.lp_head[w] = (int32_t)k;
            }
        }
        error = price_workers(M, M->d, NULL, cg_priced, &ct, "lp");
        clb__free(ct.lp_head);
        clb__free(ct.lp_next);
        if (error != 0) {
            clb__free(ct.wterm);
            goto done;
        }
        double *wterm = ct.wterm;
        L = ct.L;
        if (M->branch) { /* the node's bound, for its part of the model only */
            clb_branch *b = M->branch;
            if (b->dead)
                L = -CLB_LP_INF;
            if (!b->has_bound || L < b->bound)
                b->bound = L;
            b->has_bound = true;
        } else if (!M->has_bound || L < M->bound) {
            M->bound = L;
            M->has_bound = true;
            memcpy(M->bound_d, M->d, M->m->ncols * sizeof(double));
            memcpy(M_w, wterm, M->nw * sizeof(double));
        }
        clb__free(wterm);
        size_t priced = M->n_it - first_new;
        if (priced > 0 && ct.copies == priced) {
            /* every itinerary that priced out is a column of the LP already (held at
               its upper bound of 1, or, at weights near 1e9, where the LP's reduced
               cost and the pricing's value disagree by rounding): copies would change
               nothing, round after round. The LP is optimal over every itinerary */
            M->lp_pool_n = M->n_it;
            priced = 0;
        }
        if (++since_round >= next_rounding || priced == 0) {
            since_round = 0;
            next_rounding *= 2;
            if ((error = round_lp(M)) < 0)
                goto done;
        }
        progress(M, "lp", true);
        if (priced == 0) {
            *converged = true;
            break;
        }
        if (M->branch ? M->branch->dead || node_closed(M)
                      : gap_closed(M, M->opts->gap > 0 ? M->opts->gap : CLB_PROVEN_GAP))
            break;
        if (clb__master_manage_lp(M)) {
            size_t dropped;
            if ((error = clb__master_lp_prune(M, CLB_MASTER_PRUNE_ROUNDS, &dropped)) < 0)
                goto done;
        }
        size_t from = M->lp_n;
        if ((error = clb__master_lp_grow(M)) < 0)
            goto done;
        if (M->branch && (error = clb__branch_hold_new_cols(M, from)) < 0)
            goto done;
    }
done:
    return error;
}

/* ---- Lagrangian steps ------------------------------------------------------------------ */

/*
 * The relaxation at the duals M->pi of the shared rows: every worker priced, the
 * Lagrangian bound L(pi) (kept when it is the best), and in act the activity on each
 * shared row of the relaxation's answer (each worker's best itinerary when its term
 * counts, each fixed column at the bound its reduced value prefers).
 */
typedef struct lag_take {
    double *act, *wterm, L, until;
    double step; /* seconds of the last evaluation */
} lag_take;

static int lag_priced(clb_master *M, uint32_t w, const clb_itin *it, bool found,
                      void *payload)
{
    lag_take *t = payload;
    if (!found && M->pinned_w[w])
        return clb__error_set(M->err, CLB_EINTERNAL,
                              "itinerary pricing: a pinned worker has no itinerary");
    if (!found || (!M->pinned_w[w] && it->value <= 0))
        return 0;
    t->wterm[w] = it->value;
    t->L += it->value;
    clb__lag_add_activity(M, t->act, it->cols, it->n, 1);
    return 0;
}

static int lagrangian_eval(clb_master *M, double *act, double *L, void *payload)
{
    lag_take *t = payload;
    int error;
    double t0 = clb__now_seconds();
    t->act = act;
    clb__lag_reduced_values(M);
    t->L = clb__lag_bound_base(M);
    memset(act, 0, M->n_shared * sizeof(double));
    memset(t->wterm, 0, M->nw * sizeof(double));
    clb__lag_fixed_activity(M, act);
    if ((error = price_workers(M, M->d, NULL, lag_priced, t, "lp")) != 0)
        return error;
    if (!M->has_bound || t->L < M->bound) {
        M->bound = t->L;
        M->has_bound = true;
        memcpy(M->bound_d, M->d, M->m->ncols * sizeof(double));
        memcpy(M->bound_M, t->wterm, M->nw * sizeof(double));
    }
    *L = t->L;
    t->step = clb__now_seconds() - t0;
    return 0;
}

/* No step that would end past `until` (a step takes about as long as the last one). */
static bool lagrangian_stop(clb_master *M, void *payload)
{
    const lag_take *t = payload;
    return elapsed(M) + t->step >= t->until ||
           gap_closed(M, M->opts->gap > 0 ? M->opts->gap : CLB_PROVEN_GAP);
}
static int sort_by(clb_master *M, const double *val, uint32_t *a);

/*
 * A plan directed by the duals of the best bound: each worker's best itinerary at
 * those duals, taken where it fits beside the plan so far, workers by decreasing
 * reduced value; the workers left get their best fitting itinerary under the same
 * reduced values, then under the objective.
 */
typedef struct plan_take {
    double *rv;
    int32_t *idx;
} plan_take;

static int plan_priced(clb_master *M, uint32_t w, const clb_itin *it, bool found,
                       void *payload)
{
    plan_take *t = payload;
    if (!found || it->value <= 0)
        return 0;
    t->rv[w] = it->value;
    if (M->inc[w] >= 0 && clb__master_same_itin(M, M->inc[w], it)) {
        t->idx[w] = M->inc[w];
        return 0;
    }
    return clb__master_pool_add(M, it, &t->idx[w]);
}

static int lagrangian_plan(clb_master *M)
{
    size_t nw = M->nw;
    double *rv = clb__malloc((nw + 1) * sizeof(double));
    uint32_t *ord = clb__malloc((nw + 1) * sizeof(uint32_t));
    int32_t *idx = clb__malloc((nw + 1) * sizeof(int32_t));
    int error = 0;
    if (!rv || !ord || !idx) {
        error = clb__master_nomem(M);
        goto done;
    }
    for (uint32_t w = 0; w < nw; w++) {
        idx[w] = -1;
        rv[w] = -CLB_INF;
    }
    {
        bool unpinned = false;
        plan_take t = {rv, idx};
        if ((error = price_workers(M, M->bound_d, &unpinned, plan_priced, &t, "lp")) != 0)
            goto done;
    }
    if ((error = sort_by(M, rv, ord)) < 0)
        goto done;
    clb__greedy_from_pins(M);
    for (size_t oi = 0; oi < nw; oi++) {
        int32_t p = idx[ord[oi]];
        if (p >= 0 && M->plan[ord[oi]] < 0 && M->it_obj[p] > 0)
            clb__greedy_take(M, p);
    }
    if ((error = clb__greedy_fill_by(M, M->bound_d, ord)) < 0)
        goto done;
    if ((error = greedy_fill(M)) < 0)
        goto done;
    error = clb__master_offer_plan(M, M->plan);
done:
    clb__free(rv);
    clb__free(ord);
    clb__free(idx);
    return error;
}

/* ---- the exact finish ------------------------------------------------------------------ */

typedef struct enum_state {
    clb_master *M;
    size_t count;
    bool too_many;
} enum_state;

static int on_itin(const clb_itin *it, void *payload)
{
    enum_state *e = payload;
    int32_t k;
    size_t limit = e->M->opts->enum_limit ? e->M->opts->enum_limit : ENUM_LIMIT;
    if (e->count >= limit ||
        (e->count % 4096 == 4095 && e->M->opts->time_limit > 0 &&
         elapsed(e->M) >= e->M->opts->time_limit)) {
        e->too_many = true; /* no proof this way: the plan and the bound stand */
        return 1;
    }
    e->count++;
    return clb__master_pool_add(e->M, it, &k) < 0 ? CLB_ENOMEM : 0;
}

#define ENUM_BATCH 64   /* workers enumerated together, between two progress reports */
#define ENUM_KEEP 8192  /* itineraries of one worker a thread keeps (pricing_team.h) */

/* Every itinerary of every worker whose reduced value under the best bound's duals
   is within `slack` of the worker's term, to on_itin in worker order (in batches over
   the pricing's threads). Returns 0, what on_itin returned, or an error. */
static int enumerate_all(clb_master *M, double slack, enum_state *es)
{
    uint32_t *ws = clb__malloc(ENUM_BATCH * sizeof(uint32_t));
    double *thr = clb__malloc(ENUM_BATCH * sizeof(double));
    int error = 0;

    if (!ws || !thr) {
        error = clb__master_nomem(M);
        goto done;
    }
    for (uint32_t w = 0; w < M->nw && error == 0;) {
        size_t nb = 0;
        for (; w < M->nw && nb < ENUM_BATCH; w++)
            if (M->wrow[w] >= 0) {
                thr[nb] = M->bound_M[w] - slack;
                ws[nb++] = w;
            }
        error = clb__pricing_enumerate_many(M->team, ws, nb, M->bound_d, thr, ENUM_KEEP,
                                           on_itin, es);
        progress(M, "mip", false);
    }
done:
    clb__free(ws);
    clb__free(thr);
    return error;
}

/*
 * Branch-and-bound over master columns [first, n_it) of the pool, started from the
 * incumbent (whose itineraries must be among them), for at most time_limit seconds and
 * `nodes` nodes, ended after `stall` seconds or a quarter of `nodes` without a better
 * plan (each 0: none). *complete when the search ended.
 */
static int integer_master(clb_master *M, size_t first, double time_limit, double stall,
                          size_t nodes, bool *complete, double *mip_bound)
{
    clb_lp *lp = NULL;
    clb_lp_status st;
    clb_lp_mip_opts mo;
    size_t base = M->n_fixed_model + M->n_art;
    int error = 0;
    double *start = NULL;

    *complete = false;
    *mip_bound = CLB_INF;
    /* the incumbent among these columns: an itinerary of it that the threshold's
       tolerance left out joins them, so the search starts from the plan and its rows
       (a held objective among them) can always hold */
    int32_t *at = clb__malloc((M->nw + 1) * sizeof(int32_t));
    if (!at)
        return clb__master_nomem(M);
    for (size_t w = 0; w < M->nw; w++)
        at[w] = -1;
    {
        size_t n_it = M->n_it;
        for (size_t q = first; q < n_it; q++) {
            uint32_t w = M->it_w[q];
            int32_t p = M->inc[w];
            if (p < 0 || at[w] >= 0)
                continue;
            size_t n = M->it_first[p + 1] - M->it_first[p];
            if (M->it_first[q + 1] - M->it_first[q] == n &&
                memcmp(M->it_cols + M->it_first[q], M->it_cols + M->it_first[p],
                       n * sizeof(int32_t)) == 0)
                at[w] = (int32_t)q;
        }
        clb_itin copy;
        memset(&copy, 0, sizeof(copy));
        for (size_t w = 0; w < M->nw && error == 0; w++) {
            int32_t p = M->inc[w];
            if (p < 0 || at[w] >= 0)
                continue;
            /* copied out first: adding to the pool may move its arrays */
            copy.worker = (uint32_t)w;
            copy.n = 0;
            for (size_t e = M->it_first[p]; e < M->it_first[p + 1] && error == 0; e++)
                if (clb__itin_push(&copy, M->it_cols[e]) < 0)
                    error = clb__master_nomem(M);
            if (error == 0)
                error = clb__master_pool_add(M, &copy, &at[w]);
        }
        clb__itin_dispose(&copy);
    }
    if (error < 0) {
        clb__free(at);
        return error;
    }
    if ((error = clb__master_lp_frame(M, &lp, 0)) < 0)
        goto done;
    if ((error = clb__master_lp_add_pool(M, lp, first)) < 0)
        goto done;
    /* from the master LP's basis: its optimum when these columns hold its basis */
    if (clb__master_manage_lp(M) && (error = clb__master_lp_basis_from(M, lp, first)) < 0)
        goto done;
    clb__lp_set_tick(lp, on_lp_tick, M, 1.0);
    start = clb__calloc(clb__lp_cols(lp) + 1, sizeof(double));
    if (!start) {
        error = clb__master_nomem(M);
        goto done;
    }
    /* the incumbent, mapped onto these columns */
    clb__master_plan_values(M, M->inc, M->x);
    for (size_t k = 0; k < M->n_fixed_model; k++)
        start[k] = M->x[M->fixed_model[k]];
    for (size_t w = 0; w < M->nw; w++)
        if (at[w] >= 0)
            start[base + ((size_t)at[w] - first)] = 1;
    if ((error = clb__lp_simplex(lp, false, time_limit, &st, M->err)) < 0)
        goto done;
    if (st != CLB_LP_OPTIMAL)
        goto done;
    memset(&mo, 0, sizeof(mo));
    mo.time_limit = time_limit;
    mo.stall = stall;
    mo.nodes = nodes;
    mo.stall_nodes = (size_t)((double)nodes * HEUR_STALL);
    mo.gap = M->opts->gap > 0 ? M->opts->gap : 1e-7;
    mo.start = start;
    mo.progress = on_mip_tick;
    mo.payload = M;
    if ((error = clb__lp_intopt(lp, &mo, &st, mip_bound, M->err)) < 0)
        goto done;
    if (st == CLB_LP_OPTIMAL || st == CLB_LP_FEASIBLE) {
        double *vals = clb__malloc((clb__lp_cols(lp) + 1) * sizeof(double));
        int32_t *plan = clb__malloc((M->nw + 1) * sizeof(int32_t));
        if (!vals || !plan) {
            clb__free(vals);
            clb__free(plan);
            error = clb__master_nomem(M);
            goto done;
        }
        clb__lp_mip_values(lp, vals);
        for (size_t w = 0; w < M->nw; w++)
            plan[w] = -1;
        for (size_t q = first; q < M->n_it; q++)
            if (vals[base + (q - first)] > 0.5)
                plan[M->it_w[q]] = (int32_t)q;
        error = clb__master_offer_plan(M, plan);
        clb__free(vals);
        clb__free(plan);
        if (st == CLB_LP_OPTIMAL) {
            *complete = true;
            if (*mip_bound < clb__lp_mip_objective(lp))
                *mip_bound = clb__lp_mip_objective(lp);
        }
    } else if (st == CLB_LP_INFEASIBLE) {
        error = clb__error_set(M->err, CLB_EINTERNAL,
                              "itinerary master: the integer master is infeasible");
    }
done:
    clb__free(at);
    clb__free(start);
    clb__lp_free(lp);
    return error;
}

/* workers by decreasing best value, ties by index */
static int sort_by(clb_master *M, const double *val, uint32_t *a)
{
    uint32_t *tmp = clb__malloc((M->nw + 1) * sizeof(uint32_t));
    if (!tmp)
        return clb__master_nomem(M); /* not index order: the plan must not depend on memory */
    clb__order_by_value_desc(a, tmp, val, M->nw);
    clb__free(tmp);
    return 0;
}

static int sort_order(clb_master *M)
{
    return sort_by(M, M->order_val, M->order);
}

/*
 * Workers' itineraries read from a plan (a value per model column that keeps every
 * row): their placements, the quota indicators that follow them, and their sessions
 * and programme, into index[w]. With `pinned_only`, the pinned workers' (from the pins'
 * plan); otherwise every unpinned worker placed by the plan (a start plan).
 */
static int plan_itineraries(clb_master *M, clb_itin *it, const double *pin_plan,
                            bool pinned_only, int32_t *index)
{
    const clb_scenario *s = M->s;
    const clb_model *m = M->m;
    int error;

    for (uint32_t w = 0; w < M->nw; w++) {
        if (M->pinned_w[w] != pinned_only || M->wrow[w] < 0)
            continue;
        it->n = 0;
        it->worker = w;
        for (size_t p = m->pairs->first[w]; p < m->pairs->first[w + 1]; p++)
            if (pin_plan[p] > 0.5 && clb__itin_push(it, (int32_t)p) < 0)
                return clb__master_nomem(M);
        {
            const int32_t *zc, *ac, *rc;
            size_t nz, na, nr;
            clb__pricing_own_cols(M->pr, w, &zc, &nz, &ac, &na, &rc, &nr);
            const int32_t *lists[3] = {zc, ac, rc};
            size_t ns[3] = {nz, na, nr};
            size_t nx = it->n;
            for (int l = 0; l < 3; l++)
                for (size_t k = 0; k < ns[l]; k++) {
                    bool in = pin_plan[lists[l][k]] > 0.5;
                    if (l == 0) { /* quota indicators follow the placements */
                        const clb_quota_rec *q = &s->quotas[m->col_b[lists[l][k]]];
                        in = false;
                        for (size_t t = 0; t < nx && !in; t++)
                            in = clb__quota_matches(s, q, w, (uint32_t)m->col_b[it->cols[t]]);
                    }
                    if (in && clb__itin_push(it, lists[l][k]) < 0)
                        return clb__master_nomem(M);
                }
        }
        /* ascending */
        for (size_t a = 1; a < it->n; a++)
            for (size_t b = a; b > 0 && it->cols[b - 1] > it->cols[b]; b--) {
                int32_t t = it->cols[b];
                it->cols[b] = it->cols[b - 1];
                it->cols[b - 1] = t;
            }
        if (it->n == 0)
            continue; /* the empty itinerary is implicit */
        if ((error = clb__master_pool_add(M, it, &index[w])) < 0)
            return error;
    }
    return 0;
}

/* The greedy plan's use of a worker's best itinerary at zero duals: its value orders
   the workers and is its term of the bound; an unpinned worker's joins the pool. */
static int greedy_priced(clb_master *M, uint32_t w, const clb_itin *it, bool found,
                         void *payload)
{
    double *act0 = payload; /* the answer's activity at zero duals, for the steps */
    if (M->pinned_w[w]) {
        M->bound_M[w] = found ? it->value : 0;
        if (found)
            clb__lag_add_activity(M, act0, it->cols, it->n, 1);
        return 0;
    }
    M->order_val[w] = found ? it->value : 0;
    M->bound_M[w] = found && it->value > 0 ? it->value : 0;
    if (found && it->value > 0) {
        clb__lag_add_activity(M, act0, it->cols, it->n, 1);
        return clb__master_pool_add(M, it, &M->inc[w]);
    }
    return 0;
}

/* The greedy plan: best itinerary per worker at zero duals, in value order, and the
   bound at zero duals. */
static int greedy_start(clb_master *M, double *act0)
{
    const clb_model *m = M->m;
    int error;

    progress(M, "greedy", true);
    bool unpinned = false, pinned = true;
    if ((error = price_workers(M, m->obj, &unpinned, greedy_priced, act0, "greedy")) != 0)
        return error;
    /* the bound at zero duals: every worker on its best itinerary, every count and
       quota met part at its most profitable bound (pinned workers: their best) */
    if ((error = price_workers(M, m->obj, &pinned, greedy_priced, act0, "greedy")) != 0)
        return error;
    memcpy(M->d, m->obj, m->ncols * sizeof(double));
    clb__lag_fixed_activity(M, act0);
    memcpy(M->bound_d, m->obj, m->ncols * sizeof(double));
    M->bound = clb__lag_bound_base(M);
    for (uint32_t w = 0; w < M->nw; w++)
        M->bound += M->bound_M[w];
    M->has_bound = true;
    if ((error = sort_order(M)) < 0)
        return error;
    clb__greedy_from_pins(M);
    if ((error = greedy_fill(M)) < 0)
        return error;
    /* the incumbent array held the best itineraries so far; the plan is the greedy one */
    if ((error = clb__master_offer_plan(M, M->plan)) < 0)
        return error;
    progress(M, "greedy", true);
    return 0;
}

/* itinerary.h. It only looks for a better plan to shrink the set to enumerate; where
   that set is small, the enumeration's integer master proves the optimum far sooner. */
double clb__itinerary_heuristic_seconds(double left, double so_far)
{
    double t = left > 0 ? left * HEUR_SHARE : HEUR_CAP;
    double by_ratio = HEUR_RATIO * so_far;
    if (by_ratio < HEUR_MIN)
        by_ratio = HEUR_MIN;
    return t < by_ratio ? t : by_ratio;
}

/* The exact finish: the master's own columns first, then every itinerary that could
   be in a better plan. */
static int exact_finish(clb_master *M, size_t *rounds, size_t *nodes)
{
    const clb_cg_opts *opts = M->opts;
    int error = 0;

    bool stop = gap_closed(M, opts->gap > 0 ? opts->gap : CLB_PROVEN_GAP);
    if (!stop) {
        /* first the master's own columns, a heuristic: a better plan shrinks the
           set to enumerate */
        double tl = time_left(M);
        bool complete;
        double mb;
        /* over the master LP's columns (when it is managed, the pool also holds what
           it dropped or never took; the copies stay out of it) */
        size_t own = 0;
        if (clb__master_manage_lp(M) && (error = clb__master_pool_copy_lp(M, &own)) < 0)
            return error;
        /* under a time limit, a share of it; without one, a number of nodes, so that
           a loaded machine gets the same plan (seconds would stop it sooner there) */
        double ht = opts->time_limit > 0 ? clb__itinerary_heuristic_seconds(tl, elapsed(M)) : 0;
        if ((error = integer_master(M, own, ht, ht * HEUR_STALL,
                                    opts->time_limit > 0 ? 0 : HEUR_NODES, &complete, &mb)) < 0)
            return error;
        M->lp_pool_n = M->n_it;
        stop = gap_closed(M, opts->gap > 0 ? opts->gap : CLB_PROVEN_GAP);
    }
    if (!stop && (opts->time_limit <= 0 || time_left(M) > 0.01)) {
        /* every itinerary that could be in a better plan */
        enum_state es = {M, 0, false};
        size_t first = M->n_it;
        double slack = M->bound - M->inc_obj;
        double tol = 1e-6 * (1 + fabs(M->inc_obj));
        error = enumerate_all(M, slack + tol, &es);
        if (error < 0 && !es.too_many)
            return error;
        error = 0;
        if (!es.too_many) {
            bool complete;
            double mb;
            double tl = time_left(M);
            if ((error = integer_master(M, first, tl > 0 ? tl : 0, 0, 0, &complete, &mb)) < 0)
                return error;
            /* a plan outside these columns is worth at most the old incumbent */
            if (mb < CLB_LP_INF) {
                double nb = mb > M->inc_obj ? mb : M->inc_obj;
                if (nb < M->bound)
                    M->bound = nb;
            }
            (void)complete;
        }
        /* the enumerated itineraries were the integer master's: more column generation
           after it must not load them, up to ENUM_LIMIT of them, into the master LP */
        M->lp_pool_n = M->n_it;
        /* too many to enumerate: branch-and-price proves */
        if (es.too_many && (opts->time_limit <= 0 || time_left(M) > 0.01) &&
            (error = clb__branch_and_price(M, column_generation, LATE_SHARE,
                                                  opts->max_nodes ? opts->max_nodes : SIZE_MAX,
                                                  rounds, nodes)) < 0)
            return error;
    }
    return 0;
}

int clb__itinerary_solve(clb_cg_result *out, const clb_scenario *s, const clb_model *m,
                        const bool *pinned, const double *pin_plan,
                        const clb_cg_opts *opts, clb_error *err)
{
    return clb__itinerary_solve_from(out, s, m, pinned, pin_plan, NULL, opts, err);
}

int clb__itinerary_solve_from(clb_cg_result *out, const clb_scenario *s,
                             const clb_model *m, const bool *pinned,
                             const double *pin_plan, const double *start_plan,
                             const clb_cg_opts *opts, clb_error *err)
{
    clb_master M;
    clb_itin it;
    int error = 0;
    double t_lp = 0;
    bool converged = false;
    size_t rounds = 0;
    int32_t *start_idx = NULL;
    double *act0 = NULL, L0;

    memset(out, 0, sizeof(*out));
    memset(&M, 0, sizeof(M));
    memset(&it, 0, sizeof(it));
    M.opts = opts;
    M.err = err;
    if ((error = clb__master_init(&M, s, m, pinned)) != 0)
        goto done;
    if (clb__pricing_team_new(&M.team, M.pr, opts->threads) < 0) {
        error = clb__master_nomem(&M);
        goto done;
    }

    /* the pinned workers' itineraries, from the pins' plan (or the start plan) */
    if (start_plan)
        pin_plan = start_plan;
    if (pin_plan && (error = plan_itineraries(&M, &it, pin_plan, true, M.inc)) < 0)
        goto done;
    /* the other workers' itineraries of the start plan */
    if (start_plan) {
        if (!(start_idx = clb__malloc((M.nw + 1) * sizeof(int32_t)))) {
            error = clb__master_nomem(&M);
            goto done;
        }
        for (size_t w = 0; w < M.nw; w++)
            start_idx[w] = -1;
        if ((error = plan_itineraries(&M, &it, start_plan, false, start_idx)) < 0)
            goto done;
    }

    /* the greedy plan: best itinerary per worker at zero duals, in value order */
    if (!(act0 = clb__calloc(M.n_shared + 1, sizeof(double)))) {
        error = clb__master_nomem(&M);
        goto done;
    }
    double t_greedy = clb__now_seconds();
    if ((error = greedy_start(&M, act0)) != 0)
        goto done;
    t_greedy = clb__now_seconds() - t_greedy;
    L0 = M.bound;
    /* then the start plan, which keeps every row (the greedy plan may not keep a
       held objective): the incumbent unless the greedy plan is better */
    if (start_idx) {
        for (size_t w = 0; w < M.nw; w++)
            if (M.pinned_w[w])
                start_idx[w] = M.inc[w];
        if ((error = clb__master_offer_plan(&M, start_idx)) < 0)
            goto done;
        if (!M.has_inc) {
            error = clb__error_set(err, CLB_EINTERNAL,
                                  "itinerary master: the start plan breaks a row");
            goto done;
        }
    }

    /* when asked, under a time limit: Lagrangian steps (a bound before
       any master LP; the itineraries of its best duals give a plan and join the master).
       The solve asks from CLB_LAG_MIN_WORKERS workers on (colgen.h), or a short limit.
       When the first master LP cannot end in the time left, it is not started: the
       steps take that time, as many as fit (a slow gain is still a gain), less what
       their plan takes (about the greedy plan's) */
    bool no_lp = false;
    if (!start_plan && clb__lag_pays(M.n_rows - M.n_shared, M.n_rows, opts->time_limit,
                                     opts->lag_min_workers)) {
        int steps = 0;
        no_lp = clb__lag_lp_seconds(M.n_rows) > opts->time_limit - elapsed(&M);
        lag_take t = {NULL, clb__malloc((M.nw + 1) * sizeof(double)), 0,
                      no_lp ? opts->time_limit - LAG_PLAN_MARGIN * t_greedy
                            : opts->time_limit * LAG_SHARE,
                      0};
        double *act1 = clb__malloc((M.n_shared + 1) * sizeof(double)), L1 = 0;
        if (!t.wterm || !act1) {
            error = clb__master_nomem(&M);
            goto lag_done;
        }
        /* the steps start from the better of zero duals and the best plan's prices */
        clb__lag_plan_prices(&M, M.inc);
        if ((error = lagrangian_eval(&M, act1, &L1, &t)) != 0)
            goto lag_done;
        if (L1 < L0)
            memcpy(act0, act1, M.n_shared * sizeof(double));
        else
            memset(M.pi, 0, M.n_shared * sizeof(double));
        error = clb__lag_steps(&M, L1 < L0 ? L1 : L0, act0, no_lp ? INT_MAX : LAG_MAX_STEPS,
                               no_lp ? 0 : CLB_LAG_STALL, lagrangian_eval, lagrangian_stop,
                               &t, &steps);
        out->lagrangian_steps = (size_t)steps + 1;
    lag_done:
        clb__free(t.wterm);
        clb__free(act1);
        if (error != 0)
            goto done;
        if (steps > 0 && (error = lagrangian_plan(&M)) != 0)
            goto done;
    }
    /* the master LP */
    if (no_lp)
        goto answer;
    t_lp = clb__now_seconds();
    if ((error = clb__master_lp_frame(&M, &M.lp, CLB_LP_INF)) < 0 ||
        (error = clb__master_lp_grow(&M)) < 0)
        goto done;
    clb__lp_set_tick(M.lp, on_lp_tick, &M, 1.0);
    if ((error = install_plan_basis(&M)) < 0)
        goto done;
    error = column_generation(&M, LP_SHARE, &rounds, &converged);
    if (error < 0)
        goto done;
    out->lp_seconds = clb__now_seconds() - t_lp;
    if (converged)
        out->lp_bound = clb__lp_objective(M.lp);

    /* the exact finish */
    {
        double t_mip = clb__now_seconds();
        /* under a time limit, with column generation unfinished and the gap still
           wide, the set to enumerate is far too large and the heuristic integer
           master rarely betters the rounding: the time goes to more rounds instead */
        bool finish = opts->time_limit <= 0 || converged || gap_closed(&M, FINISH_GAP);
        if (finish && (error = exact_finish(&M, &rounds, &out->nodes)) < 0)
            goto done;
        out->mip_seconds = clb__now_seconds() - t_mip;
    }
    /* a time limit not used up (the set to enumerate was too large): more rounds of
       column generation tighten the bound, and their roundings may better the plan */
    if (opts->time_limit > 0 && !converged && out->nodes == 0 && !M.art_all &&
        !gap_closed(&M, opts->gap > 0 ? opts->gap : CLB_PROVEN_GAP) &&
        opts->time_limit - elapsed(&M) > opts->time_limit * (1 - LATE_SHARE) + 0.5) {
        double t_more = clb__now_seconds();
        if ((error = column_generation(&M, LATE_SHARE, &rounds, &converged)) < 0)
            goto done;
        out->lp_seconds += clb__now_seconds() - t_more;
    }

answer:
    /* the answer */
    clb__master_plan_values(&M, M.inc, M.x);
    out->x = clb__malloc((m->ncols + 1) * sizeof(double));
    if (!out->x) {
        error = clb__master_nomem(&M);
        goto done;
    }
    memcpy(out->x, M.x, m->ncols * sizeof(double));
    out->objective = M.inc_obj;
    out->has_bound = M.has_bound;
    out->bound = M.has_bound ? (M.bound > M.inc_obj ? M.bound : M.inc_obj) : 0;
    out->rounds = rounds;
    out->master_rows = M.n_rows;
    out->master_cols = M.lp ? clb__lp_cols(M.lp) : 0;
    if (gap_closed(&M, CLB_PROVEN_GAP))
        out->status = CLB_CG_OPTIMAL;
    else if (opts->gap > 0 && gap_closed(&M, opts->gap))
        out->status = CLB_CG_GAP;
    else
        out->status = CLB_CG_TIME;
    progress(&M, "mip", true);
done:
    clb__free(act0);
    clb__free(start_idx);
    clb__itin_dispose(&it);
    clb__pricing_team_free(M.team); /* before the pricing it borrows */
    clb__master_dispose(&M);
    if (error != 0) {
        clb__free(out->x);
        out->x = NULL;
    }
    return error;
}
