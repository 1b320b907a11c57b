/*
 * branch.c - branch-and-price over the itinerary master (branch.h).
 *
 * The tree is an array of nodes, each one decision and its parent, so a node's
 * decisions are the chain to the root; the master LP is shared by every node and
 * moved between them by bounds (only the workers with decisions in the node left or
 * the node entered are touched). Everything is in a fixed order (nodes by bound, then
 * newest; the branching column the most fractional, then the lowest), so equal inputs
 * give the same tree and the same plan.
 */
#include "solve/branch.h"
#include "solve/lagrange.h"
#include "solve/lp.h"
#include "util/alloc.h"
#include "util/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BIG 1e8           /* least reduced value of a decision in the pricing */
#define FRAC_TOL 1e-6     /* an LP sum this far from an integer is fractional */
#define ART_TOL 1e-6      /* an artificial at least this high: the node is infeasible */
#define DIVE_STEPS 64     /* steps of one dive for a plan, at most */
#define DIVE_EVERY 32     /* nodes solved between two dives for a plan (the first: at the root) */
#define DIVE_UP 0.8       /* a dive holds every column the LP holds at least this much
                             (above 0.5: a worker's columns held are of one itinerary) */

typedef struct node {
    int32_t parent;
    uint32_t w;
    int32_t col;
    uint8_t val;
    double bound;
} node;

/* ---- decisions in pricing ---------------------------------------------------------- */

/* The sum of |d| over worker w's own columns: no two of its itineraries differ by more. */
static double own_span(const clb_model *m, const clb_pricing *pr, uint32_t w, const double *d)
{
    const int32_t *lists[3];
    size_t ns[3];
    double s = 0;
    for (size_t p = m->pairs->first[w]; p < m->pairs->first[w + 1]; p++)
        s += fabs(d[p]); /* the X column of pair p is column p */
    clb__pricing_own_cols(pr, w, &lists[0], &ns[0], &lists[1], &ns[1], &lists[2], &ns[2]);
    for (int l = 0; l < 3; l++)
        for (size_t k = 0; k < ns[l]; k++)
            s += fabs(d[lists[l][k]]);
    return s;
}

void clb__branch_adjust_d(const clb_model *m, const clb_pricing *pr, clb_branch *b,
                          double *d)
{
    for (size_t k = 0; k < b->n_workers; k++) {
        uint32_t w = b->workers[k];
        double span = 4 * own_span(m, pr, w, d);
        b->big[w] = span > BIG ? span : BIG;
        for (int32_t e = b->first[w]; e < b->first[w + 1]; e++)
            d[b->col[e]] += b->val[e] ? b->big[w] : -b->big[w];
    }
}

static bool holds(const int32_t *cols, size_t n, int32_t c)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cols[mid] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && cols[lo] == c;
}

/* Do columns cols[0..n) (ascending) keep w's decisions? *forced: how many it holds. */
static bool keeps(const clb_branch *b, uint32_t w, const int32_t *cols, size_t n,
                  size_t *forced)
{
    bool ok = true;
    *forced = 0;
    for (int32_t e = b->first[w]; e < b->first[w + 1]; e++) {
        bool in = holds(cols, n, b->col[e]);
        if (b->val[e])
            *forced += 1;
        if (in != (b->val[e] != 0))
            ok = false;
    }
    return ok;
}

bool clb__branch_keeps(const clb_branch *b, uint32_t w, const clb_itin *it, double *value,
                       bool *must)
{
    size_t forced;
    bool ok = keeps(b, w, it->cols, it->n, &forced);
    *value = it->value - b->big[w] * (double)forced;
    *must = forced > 0 || *must;
    return ok;
}

/* ---- decisions in the master LP ---------------------------------------------------- */

static size_t art_col(const clb_master *M, uint32_t w)
{
    return M->n_fixed_model + (size_t)(M->wrow[w] - (int32_t)M->n_shared);
}

static bool has_one(const clb_branch *b, uint32_t w)
{
    for (int32_t e = b->first[w]; e < b->first[w + 1]; e++)
        if (b->val[e])
            return true;
    return false;
}

int clb__branch_hold_new_cols(clb_master *M, size_t from)
{
    const clb_branch *b = M->branch;
    size_t base = M->n_fixed_model + M->n_art, forced;
    int error = 0;
    for (size_t k = from; k < M->lp_n && error == 0; k++) {
        int32_t p = M->lp_it[k];
        uint32_t w = M->it_w[p];
        if (b->first[w] == b->first[w + 1])
            continue;
        if (!keeps(b, w, M->it_cols + M->it_first[p], M->it_first[p + 1] - M->it_first[p],
                   &forced))
            error = clb__lp_set_col_upper(M->lp, base + k, 0, M->err);
    }
    return error;
}

/*
 * Move the master LP from the node before (the workers `was` marks: their rows,
 * artificials and itineraries back as without decisions) to the decisions in b.
 */
static int apply(clb_master *M, const clb_branch *b, const bool *was)
{
    size_t base = M->n_fixed_model + M->n_art, forced;
    int error = 0;
    for (uint32_t w = 0; w < M->nw && error == 0; w++) {
        bool now = b->first[w] < b->first[w + 1];
        if (!now && !was[w])
            continue;
        bool one = now && has_one(b, w);
        double lo = M->pinned_w[w] || one ? 1 : -CLB_LP_INF;
        if ((error = clb__lp_set_row_bounds(M->lp, (size_t)M->wrow[w], lo, 1, M->err)) < 0)
            break;
        error = clb__lp_set_col_upper(M->lp, art_col(M, w),
                                      M->pinned_w[w] || one ? CLB_LP_INF : 0, M->err);
    }
    for (size_t k = 0; k < M->lp_n && error == 0; k++) {
        int32_t p = M->lp_it[k];
        uint32_t w = M->it_w[p];
        bool now = b->first[w] < b->first[w + 1];
        if (!now && !was[w])
            continue;
        bool ok = !now || keeps(b, w, M->it_cols + M->it_first[p],
                                M->it_first[p + 1] - M->it_first[p], &forced);
        error = clb__lp_set_col_upper(M->lp, base + k, ok ? 1 : 0, M->err);
    }
    return error;
}

/* The decisions of node i, into b (per worker, columns ascending). */
static void collect(clb_master *M, const node *nodes, int32_t i, clb_branch *b, int32_t *count)
{
    size_t n = 0;
    for (size_t k = 0; k < b->n_workers; k++)
        count[b->workers[k]] = 0;
    b->n_workers = 0;
    for (int32_t j = i; j >= 0 && nodes[j].parent >= 0; j = nodes[j].parent) {
        uint32_t w = nodes[j].w;
        if (count[w]++ == 0)
            b->workers[b->n_workers++] = w;
        n++;
    }
    /* first[] as running sums over the workers with decisions, in worker order */
    for (size_t a = 1; a < b->n_workers; a++)
        for (size_t c = a; c > 0 && b->workers[c - 1] > b->workers[c]; c--) {
            uint32_t t = b->workers[c];
            b->workers[c] = b->workers[c - 1];
            b->workers[c - 1] = t;
        }
    for (uint32_t w = 0; w <= M->nw; w++)
        b->first[w] = 0;
    int32_t at = 0;
    size_t k = 0;
    for (uint32_t w = 0; w < M->nw; w++) {
        b->first[w] = at;
        if (k < b->n_workers && b->workers[k] == w)
            at += count[b->workers[k++]];
    }
    b->first[M->nw] = at;
    b->n = n;
    for (int32_t j = i; j >= 0 && nodes[j].parent >= 0; j = nodes[j].parent) {
        uint32_t w = nodes[j].w;
        /* insert in ascending column order within w's block */
        int32_t pos = b->first[w + 1] - (--count[w]) - 1;
        b->col[pos] = nodes[j].col;
        b->val[pos] = nodes[j].val;
        for (; pos > b->first[w] && b->col[pos - 1] > b->col[pos]; pos--) {
            int32_t tc = b->col[pos];
            uint8_t tv = b->val[pos];
            b->col[pos] = b->col[pos - 1];
            b->val[pos] = b->val[pos - 1];
            b->col[pos - 1] = tc;
            b->val[pos - 1] = tv;
        }
    }
}

/* ---- the search -------------------------------------------------------------------- */

static bool pruned(const clb_master *M, double bound)
{
    return clb__master_within_gap(M, bound, CLB_PROVEN_GAP);
}

static void report(clb_master *M, bool force)
{
    if (M->opts->progress)
        M->opts->progress("branch", M->has_inc, M->inc_obj, M->has_bound, M->bound, force,
                          M->opts->payload);
}

static void on_tick(void *payload)
{
    report(payload, false);
}

/* sum[c] += each LP itinerary's value on its columns c (clear: sum[c] = 0 instead). */
static void lp_sums(const clb_master *M, const double *vals, double *sum, bool clear)
{
    size_t base = M->n_fixed_model + M->n_art;
    for (size_t k = 0; k < M->lp_n; k++) {
        double v = vals[base + k];
        if (v <= 1e-9)
            continue;
        int32_t p = M->lp_it[k];
        for (size_t e = M->it_first[p]; e < M->it_first[p + 1]; e++)
            sum[M->it_cols[e]] = clear ? 0 : sum[M->it_cols[e]] + v;
    }
}

/* Calls f once on each X, A or R column of the LP's itineraries, with its sum. */
static void each_own_sum(const clb_master *M, const double *vals, double *sum,
                         void (*f)(int32_t c, double s, void *payload), void *payload)
{
    const clb_model *m = M->m;
    size_t base = M->n_fixed_model + M->n_art;
    lp_sums(M, vals, sum, false);
    for (size_t k = 0; k < M->lp_n; k++) {
        int32_t p = M->lp_it[k];
        if (vals[base + k] <= 1e-9)
            continue;
        for (size_t e = M->it_first[p]; e < M->it_first[p + 1]; e++) {
            int32_t c = M->it_cols[e];
            uint8_t kind = m->col_kind[c];
            double v = sum[c];
            if (v < 0)
                continue; /* seen */
            sum[c] = -1;
            if (kind == CLB_COL_X || kind == CLB_COL_A || kind == CLB_COL_R)
                f(c, v, payload);
        }
    }
    lp_sums(M, vals, sum, true);
}

/* An LP sum's distance to the nearest integer. */
static double fractional(double s)
{
    return fabs(s - floor(s + 0.5));
}

typedef struct most_fractional {
    int32_t col;
    double f;
} most_fractional;

static void take_most_fractional(int32_t c, double s, void *payload)
{
    most_fractional *mf = payload;
    double f = fractional(s);
    if (f > FRAC_TOL &&
        (mf->col < 0 || f > mf->f + 1e-12 || (f >= mf->f - 1e-12 && c < mf->col))) {
        mf->f = f;
        mf->col = c;
    }
}

/*
 * After a node's column generation converged: its LP values into vals. *col: the most
 * fractional X, A or R column (-1 when all are integral); *art: an artificial is in
 * use (the node has no plan).
 */
static void examine(clb_master *M, double *vals, double *sum, int32_t *col, bool *art)
{
    size_t base = M->n_fixed_model + M->n_art;
    most_fractional mf = {-1, 0};
    clb__lp_values(M->lp, vals);
    *art = false;
    for (size_t k = M->n_fixed_model; k < base; k++)
        if (vals[k] > ART_TOL)
            *art = true;
    each_own_sum(M, vals, sum, take_most_fractional, &mf);
    *col = mf.col;
}

/* An integral node LP without artificials: its itineraries as a plan. */
static int offer_lp(clb_master *M, const double *vals)
{
    size_t base = M->n_fixed_model + M->n_art;
    int32_t *plan = clb__malloc((M->nw + 1) * sizeof(int32_t));
    if (!plan)
        return clb__master_nomem(M);
    for (size_t w = 0; w < M->nw; w++)
        plan[w] = -1;
    for (size_t k = 0; k < M->lp_n; k++)
        if (vals[base + k] > 0.5)
            plan[M->it_w[M->lp_it[k]]] = M->lp_it[k];
    int error = clb__master_offer_plan(M, plan);
    clb__free(plan);
    return error;
}

static bool has_extra_rows(const clb_model *m)
{
    for (size_t i = 0; i < m->nrows; i++)
        if (m->row_kind[i] == CLB_ROW_EXTRA)
            return true;
    return false;
}

/* The search's state: the tree, the decisions of the node entered, scratch. */
typedef struct tree {
    node *nodes;
    int32_t *open;
    size_t n_nodes, cap, n_open, dec_cap;
    clb_branch b;
    int32_t *count;
    bool *was;
    double *vals, *sum;
} tree;

/* Room for `more` nodes. */
static int grow_nodes(clb_master *M, tree *t, size_t more)
{
    if (t->n_nodes + more <= t->cap)
        return 0;
    size_t nc = t->cap * 2 > t->n_nodes + more ? t->cap * 2 : t->n_nodes + more;
    node *nn = clb__realloc(t->nodes, nc * sizeof(node));
    if (nn)
        t->nodes = nn;
    int32_t *no = clb__realloc(t->open, nc * sizeof(int32_t));
    if (no)
        t->open = no;
    if (!nn || !no)
        return clb__master_nomem(M);
    t->cap = nc;
    return 0;
}

/* Enter node i: the master LP moved from the node entered before to i's decisions. */
static int enter(clb_master *M, tree *t, int32_t i)
{
    for (size_t k = 0; k < t->b.n_workers; k++)
        t->was[t->b.workers[k]] = true;
    if (t->n_nodes > t->dec_cap) { /* at most one decision a level: fewer than n_nodes */
        size_t nc = t->n_nodes * 2;
        int32_t *c = clb__realloc(t->b.col, (nc + 1) * sizeof(int32_t));
        if (c)
            t->b.col = c;
        uint8_t *v = clb__realloc(t->b.val, nc + 1);
        if (v)
            t->b.val = v;
        if (!c || !v)
            return clb__master_nomem(M);
        t->dec_cap = nc;
    }
    collect(M, t->nodes, i, &t->b, t->count);
    int error = apply(M, &t->b, t->was);
    memset(t->was, 0, M->nw * sizeof(bool));
    t->b.has_bound = false;
    t->b.dead = false;
    return error;
}

/* Room in t->vals for every column of the LP (it grows from node to node). */
static int grow_vals(clb_master *M, tree *t)
{
    double *nv = clb__realloc(t->vals, (clb__lp_cols(M->lp) + 1) * sizeof(double));
    if (!nv)
        return clb__master_nomem(M);
    t->vals = nv;
    return 0;
}

/* The columns a dive step holds: every one the LP holds at DIVE_UP or more that no
   decision holds yet, and the fractional one nearest to 1 below that. */
typedef struct dive_pick {
    const clb_model *m;
    const clb_branch *b;
    int32_t *cols;
    size_t n;
    int32_t near;
    double near_s;
} dive_pick;

static void take_for_dive(int32_t c, double s, void *payload)
{
    dive_pick *d = payload;
    uint32_t w = (uint32_t)d->m->col_a[c];
    if (s >= DIVE_UP) {
        const clb_branch *b = d->b;
        if (!holds(b->col + b->first[w], (size_t)(b->first[w + 1] - b->first[w]), c))
            d->cols[d->n++] = c;
    } else if (s > FRAC_TOL && (d->near < 0 || s > d->near_s + 1e-12 ||
                                (s >= d->near_s - 1e-12 && c < d->near))) {
        d->near = c;
        d->near_s = s;
    }
}

/*
 * A dive for a plan from node i, whose LP the master holds (converged, fractional, its
 * values in t->vals), outside the tree: each step holds every own column the LP holds
 * at 0.8 or more (DIVE_UP), and the fractional one nearest to 1 below that, and runs
 * column generation under those decisions. Many columns a step, where the tree's
 * dives hold one: among thousands of near-identical workers the tree's dives take
 * hundreds of nodes to reach a plan. It
 * ends at an integral LP (its plan offered), when no plan keeps the decisions or they
 * cannot beat the best plan, after DIVE_STEPS steps, or at the time limit. The nodes
 * it made are dropped; the master LP stays at its last decisions until the next node
 * is entered.
 */
static int dive_for_plan(clb_master *M, tree *t, int32_t i, clb_branch_colgen colgen,
                         double share, double deadline, size_t *rounds, size_t *solved)
{
    const clb_model *m = M->m;
    size_t keep = t->n_nodes;
    int32_t at = i;
    int32_t *cols = clb__malloc((m->ncols + 1) * sizeof(int32_t));
    int error = 0;
    if (!cols)
        return clb__master_nomem(M);
    for (int step = 0; step < DIVE_STEPS; step++) {
        dive_pick d = {m, &t->b, cols, 0, -1, 0};
        each_own_sum(M, t->vals, t->sum, take_for_dive, &d);
        if (d.near >= 0)
            cols[d.n++] = d.near;
        if (d.n == 0 || (error = grow_nodes(M, t, d.n)) < 0)
            break;
        for (size_t k = 0; k < d.n; k++) {
            t->nodes[t->n_nodes] = (node){at, (uint32_t)m->col_a[cols[k]], cols[k], 1,
                                          t->nodes[i].bound};
            at = (int32_t)t->n_nodes++;
        }
        if ((error = enter(M, t, at)) < 0)
            break;
        bool converged = false;
        if ((error = colgen(M, share, rounds, &converged)) < 0)
            break;
        (*solved)++;
        double nb = t->b.has_bound ? t->b.bound : t->nodes[i].bound;
        if (t->b.dead || !converged || pruned(M, nb) ||
            (deadline > 0 && clb__now_seconds() - M->opts->t0 >= deadline))
            break;
        if ((error = grow_vals(M, t)) < 0)
            break;
        int32_t col;
        bool art;
        examine(M, t->vals, t->sum, &col, &art);
        if (art)
            break;
        if (col < 0) {
            error = offer_lp(M, t->vals);
            break;
        }
    }
    t->n_nodes = keep;
    clb__free(cols);
    return error;
}

int clb__branch_and_price(clb_master *M, clb_branch_colgen colgen, double share,
                          size_t max_nodes, size_t *rounds, size_t *solved)
{
    const clb_model *m = M->m;
    tree t;
    bool dive = false;
    double deadline = M->opts->time_limit > 0 ? M->opts->time_limit * share : -1;
    size_t next_dive = 0;
    int error = 0;

    *solved = 0;
    memset(&t, 0, sizeof(t));
    if (has_extra_rows(m) || !M->lp || !M->has_bound)
        return 0;
    t.b.first = clb__calloc(M->nw + 1, sizeof(int32_t));
    t.b.big = clb__calloc(M->nw + 1, sizeof(double));
    t.b.workers = clb__malloc((M->nw + 1) * sizeof(uint32_t));
    t.count = clb__calloc(M->nw + 1, sizeof(int32_t));
    t.was = clb__calloc(M->nw + 1, sizeof(bool));
    t.sum = clb__calloc(m->ncols + 1, sizeof(double));
    if (!t.b.first || !t.b.big || !t.b.workers || !t.count || !t.was || !t.sum) {
        error = clb__master_nomem(M);
        goto done;
    }
    if ((error = clb__master_lp_all_artificials(M)) < 0)
        goto done;
    clb__lp_set_tick(M->lp, on_tick, M, 1.0);
    /* the root */
    if ((error = grow_nodes(M, &t, 1024)) < 0)
        goto done;
    t.nodes[0] = (node){-1, 0, -1, 0, M->bound};
    t.n_nodes = 1;
    t.open[t.n_open++] = 0;
    M->branch = &t.b;

    while (t.n_open > 0) {
        node *nodes = t.nodes;
        int32_t *open = t.open;
        /* the whole model's bound: the best open node's, or the best plan */
        size_t pick = 0;
        for (size_t k = 1; k < t.n_open; k++)
            if (nodes[open[k]].bound > nodes[open[pick]].bound ||
                (nodes[open[k]].bound == nodes[open[pick]].bound && open[k] > open[pick]))
                pick = k;
        double top = nodes[open[pick]].bound;
        /* a dive goes on from the child that holds the column, while it can beat the plan */
        if (dive && !pruned(M, nodes[open[t.n_open - 1]].bound))
            pick = t.n_open - 1;
        dive = false;
        if (M->has_inc && top < M->inc_obj)
            top = M->inc_obj;
        if (top < M->bound)
            M->bound = top;
        report(M, false);
        if (pruned(M, nodes[open[pick]].bound)) {
            t.n_open = 0; /* every open node is at most this */
            break;
        }
        if ((M->opts->gap > 0 && clb__master_within_gap(M, M->bound, M->opts->gap)) ||
            (deadline > 0 && clb__now_seconds() - M->opts->t0 >= deadline) ||
            *solved >= max_nodes)
            break;
        int32_t i = open[pick];
        open[pick] = open[--t.n_open];

        if ((error = enter(M, &t, i)) < 0)
            goto done;
        bool converged = false;
        if ((error = colgen(M, share, rounds, &converged)) < 0)
            goto done;
        (*solved)++;
        double nb = t.nodes[i].bound;
        if (t.b.dead)
            nb = -CLB_LP_INF;
        else if (t.b.has_bound && t.b.bound < nb)
            nb = t.b.bound;
        if (!converged && !t.b.dead && !pruned(M, nb)) {
            /* stopped by the time limit (or the gap): the node stays open */
            t.nodes[i].bound = nb;
            t.open[t.n_open++] = i;
            break;
        }
        if (t.b.dead || pruned(M, nb))
            continue;
        if ((error = grow_vals(M, &t)) < 0)
            goto done;
        int32_t col;
        bool art;
        examine(M, t.vals, t.sum, &col, &art);
        if (art)
            continue; /* converged with an artificial: no plan keeps the decisions */
        if (col < 0) {
            if ((error = offer_lp(M, t.vals)) < 0)
                goto done;
            continue;
        }
        uint32_t w = (uint32_t)m->col_a[col];
        t.nodes[i].bound = nb;
        /* now and then, a dive for a plan that holds many columns at once */
        if (*solved >= next_dive) {
            next_dive = *solved + DIVE_EVERY;
            if ((error = dive_for_plan(M, &t, i, colgen, share, deadline, rounds, solved)) < 0)
                goto done;
            if (pruned(M, nb))
                continue; /* the dive's plan is as good as this node can give */
        }
        /* two children, the one that holds the column newest (taken first on a tie) */
        if ((error = grow_nodes(M, &t, 2)) < 0)
            goto done;
        t.nodes[t.n_nodes] = (node){i, w, col, 0, nb};
        t.open[t.n_open++] = (int32_t)t.n_nodes++;
        t.nodes[t.n_nodes] = (node){i, w, col, 1, nb};
        t.open[t.n_open++] = (int32_t)t.n_nodes++;
        dive = true;
    }
    if (t.n_open == 0 && M->has_inc && M->inc_obj < M->bound)
        M->bound = M->inc_obj; /* every node closed: the best plan is the optimum */
    report(M, true);
done:
    M->branch = NULL;
    clb__free(t.b.first);
    clb__free(t.b.big);
    clb__free(t.b.workers);
    clb__free(t.b.col);
    clb__free(t.b.val);
    clb__free(t.nodes);
    clb__free(t.open);
    clb__free(t.count);
    clb__free(t.was);
    clb__free(t.vals);
    clb__free(t.sum);
    return error;
}
