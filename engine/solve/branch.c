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

/*
 * After a node's column generation converged: its LP answer as sums per own column.
 * *col: the most fractional X, A or R column (-1 when all are integral); *art: an
 * artificial is in use (the node has no plan).
 */
static void examine(clb_master *M, double *vals, double *sum, int32_t *col, bool *art)
{
    const clb_model *m = M->m;
    size_t base = M->n_fixed_model + M->n_art;
    double best = 0;
    clb__lp_values(M->lp, vals);
    *col = -1;
    *art = false;
    for (size_t k = M->n_fixed_model; k < base; k++)
        if (vals[k] > ART_TOL)
            *art = true;
    for (size_t k = 0; k < M->lp_n; k++) {
        double v = vals[base + k];
        if (v <= 1e-9)
            continue;
        int32_t p = M->lp_it[k];
        for (size_t e = M->it_first[p]; e < M->it_first[p + 1]; e++)
            sum[M->it_cols[e]] += v;
    }
    for (size_t k = 0; k < M->lp_n; k++) {
        int32_t p = M->lp_it[k];
        if (vals[base + k] <= 1e-9)
            continue;
        for (size_t e = M->it_first[p]; e < M->it_first[p + 1]; e++) {
            int32_t c = M->it_cols[e];
            uint8_t kind = m->col_kind[c];
            double s = sum[c];
            if (s < 0)
                continue; /* seen */
            sum[c] = -1;
            if (kind != CLB_COL_X && kind != CLB_COL_A && kind != CLB_COL_R)
                continue;
            double f = fabs(s - floor(s + 0.5));
            if (f > FRAC_TOL &&
                (*col < 0 || f > best + 1e-12 || (f >= best - 1e-12 && c < *col))) {
                best = f;
                *col = c;
            }
        }
    }
    /* sum[] is left at -1 or 0 on the columns seen: clear it */
    for (size_t k = 0; k < M->lp_n; k++) {
        int32_t p = M->lp_it[k];
        for (size_t e = M->it_first[p]; e < M->it_first[p + 1]; e++)
            sum[M->it_cols[e]] = 0;
    }
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

int clb__branch_and_price(clb_master *M, clb_branch_colgen colgen, double share,
                          size_t max_nodes, size_t *rounds, size_t *solved)
{
    const clb_model *m = M->m;
    clb_branch b;
    node *nodes = NULL;
    int32_t *open = NULL, *count = NULL;
    size_t n_nodes = 0, cap = 0, n_open = 0, dec_cap = 0;
    bool dive = false;
    bool *was = NULL;
    double *vals = NULL, *sum = NULL;
    double deadline = M->opts->time_limit > 0 ? M->opts->time_limit * share : -1;
    int error = 0;

    *solved = 0;
    memset(&b, 0, sizeof(b));
    if (has_extra_rows(m) || !M->lp || !M->has_bound)
        return 0;
    b.first = clb__calloc(M->nw + 1, sizeof(int32_t));
    b.big = clb__calloc(M->nw + 1, sizeof(double));
    b.workers = clb__malloc((M->nw + 1) * sizeof(uint32_t));
    count = clb__calloc(M->nw + 1, sizeof(int32_t));
    was = clb__calloc(M->nw + 1, sizeof(bool));
    sum = clb__calloc(m->ncols + 1, sizeof(double));
    if (!b.first || !b.big || !b.workers || !count || !was || !sum) {
        error = clb__master_nomem(M);
        goto done;
    }
    if ((error = clb__master_lp_all_artificials(M)) < 0)
        goto done;
    clb__lp_set_tick(M->lp, on_tick, M, 1.0);
    /* the root */
    cap = 1024;
    nodes = clb__malloc(cap * sizeof(node));
    open = clb__malloc(cap * sizeof(int32_t));
    if (!nodes || !open) {
        error = clb__master_nomem(M);
        goto done;
    }
    nodes[0] = (node){-1, 0, -1, 0, M->bound};
    n_nodes = 1;
    open[n_open++] = 0;
    M->branch = &b;

    while (n_open > 0) {
        /* the whole model's bound: the best open node's, or the best plan */
        size_t pick = 0;
        for (size_t k = 1; k < n_open; k++)
            if (nodes[open[k]].bound > nodes[open[pick]].bound ||
                (nodes[open[k]].bound == nodes[open[pick]].bound && open[k] > open[pick]))
                pick = k;
        double top = nodes[open[pick]].bound;
        /* a dive goes on from the child that holds the column, while it can beat the plan */
        if (dive && !pruned(M, nodes[open[n_open - 1]].bound))
            pick = n_open - 1;
        dive = false;
        if (M->has_inc && top < M->inc_obj)
            top = M->inc_obj;
        if (top < M->bound)
            M->bound = top;
        report(M, false);
        if (pruned(M, nodes[open[pick]].bound)) {
            n_open = 0; /* every open node is at most this */
            break;
        }
        if ((M->opts->gap > 0 && clb__master_within_gap(M, M->bound, M->opts->gap)) ||
            (deadline > 0 && clb__now_seconds() - M->opts->t0 >= deadline) ||
            *solved >= max_nodes)
            break;
        int32_t i = open[pick];
        open[pick] = open[--n_open];

        /* enter node i: the workers of the node left and of this one are moved */
        for (size_t k = 0; k < b.n_workers; k++)
            was[b.workers[k]] = true;
        if (n_nodes > dec_cap) { /* at most one decision a level: fewer than n_nodes */
            size_t nc = n_nodes * 2;
            int32_t *c = clb__realloc(b.col, (nc + 1) * sizeof(int32_t));
            if (c)
                b.col = c;
            uint8_t *v = clb__realloc(b.val, nc + 1);
            if (v)
                b.val = v;
            if (!c || !v) {
                error = clb__master_nomem(M);
                goto done;
            }
            dec_cap = nc;
        }
        collect(M, nodes, i, &b, count);
        if ((error = apply(M, &b, was)) < 0)
            goto done;
        memset(was, 0, M->nw * sizeof(bool));
        b.has_bound = false;
        b.dead = false;

        bool converged = false;
        if ((error = colgen(M, share, rounds, &converged)) < 0)
            goto done;
        (*solved)++;
        double nb = nodes[i].bound;
        if (b.dead)
            nb = -CLB_LP_INF;
        else if (b.has_bound && b.bound < nb)
            nb = b.bound;
        if (!converged && !b.dead && !pruned(M, nb)) {
            /* stopped by the time limit (or the gap): the node stays open */
            nodes[i].bound = nb;
            open[n_open++] = i;
            break;
        }
        if (b.dead || pruned(M, nb))
            continue;
        { /* the LP grows from node to node */
            double *nv = clb__realloc(vals, (clb__lp_cols(M->lp) + 1) * sizeof(double));
            if (!nv) {
                error = clb__master_nomem(M);
                goto done;
            }
            vals = nv;
        }
        int32_t col;
        bool art;
        examine(M, vals, sum, &col, &art);
        if (art)
            continue; /* converged with an artificial: no plan keeps the decisions */
        if (col < 0) {
            if ((error = offer_lp(M, vals)) < 0)
                goto done;
            continue;
        }
        /* two children, the one that holds the column newest (taken first on a tie) */
        if (n_nodes + 2 > cap) {
            size_t nc = cap * 2;
            node *nn = clb__realloc(nodes, nc * sizeof(node));
            if (nn)
                nodes = nn;
            int32_t *no = clb__realloc(open, nc * sizeof(int32_t));
            if (no)
                open = no;
            if (!nn || !no) {
                error = clb__master_nomem(M);
                goto done;
            }
            cap = nc;
        }
        uint32_t w = (uint32_t)m->col_a[col];
        nodes[n_nodes] = (node){i, w, col, 0, nb};
        open[n_open++] = (int32_t)n_nodes++;
        nodes[n_nodes] = (node){i, w, col, 1, nb};
        open[n_open++] = (int32_t)n_nodes++;
        dive = true;
    }
    if (n_open == 0 && M->has_inc && M->inc_obj < M->bound)
        M->bound = M->inc_obj; /* every node closed: the best plan is the optimum */
    report(M, true);
done:
    M->branch = NULL;
    clb__free(b.first);
    clb__free(b.big);
    clb__free(b.workers);
    clb__free(b.col);
    clb__free(b.val);
    clb__free(nodes);
    clb__free(open);
    clb__free(count);
    clb__free(was);
    clb__free(vals);
    clb__free(sum);
    return error;
}
