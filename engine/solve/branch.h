/*
 * branch.h - branch-and-price over the itinerary master (master.h): the proof when
 * the set of itineraries that could still beat the best plan is too large to
 * enumerate (itinerary.c's exact finish).
 *
 * A node is a set of decisions (worker w, model column c, 0 or 1): every itinerary of
 * w holds c (1), or none does (0). c is one of the worker's own placement (X),
 * session (A) or programme (R) columns; when all their sums over the master LP's
 * itineraries are integral, so is the master's answer (two itineraries of a worker
 * that agree on every such column are the same itinerary: its quota indicators follow
 * from its placements). Branching on placements alone would leave itineraries that
 * differ only in a session or a programme fractional.
 *
 * The decisions reach the pricing through the reduced values (a column held gets
 * +big, a column refused -big; the best itinerary of a worker then keeps every
 * decision when any itinerary does, and its value is corrected by the big terms) and
 * the master LP through bounds (an itinerary that breaks a decision is held at 0, the
 * row of a worker that must hold a column becomes "= 1", with its artificial column
 * opened). Each node runs column generation to convergence with its own Lagrangian
 * bound (itinerary.h), valid for the node's part of the model only; the bound of the
 * whole model is the best of the open nodes' bounds and the best plan. Nodes are taken
 * best bound first, the newest first among equal bounds, so the search dives while
 * the bounds tie. Plans come from every node's rounding, from integral node LPs, and
 * from dives for a plan (at the root, then every 32 nodes): outside the tree, each
 * step holds every own column the LP holds at 0.8 or more and the one nearest to 1 below,
 * then runs column generation, until the LP is integral. Among thousands of
 * near-identical workers the tree's own dives, one column a node, take hundreds of
 * nodes to reach a plan; where the master LP's bound is the integer optimum (the usual
 * case) the dive's plan proves it.
 */
#ifndef CLB_SOLVE_BRANCH_H
#define CLB_SOLVE_BRANCH_H

#include "solve/master.h"

/* The decisions of the node being solved, as pricing and column generation use them. */
typedef struct clb_branch {
    int32_t *first;    /* per worker (nw + 1): its decisions are [first[w], first[w+1]) */
    int32_t *col;      /* ... their model columns, ascending per worker */
    uint8_t *val;      /* ... and values */
    uint32_t *workers; /* the workers with decisions */
    size_t n, n_workers;
    double *big;       /* per worker: the big value of its decisions (clb__branch_adjust_d) */
    double bound;      /* the node's best Lagrangian bound so far */
    bool has_bound;
    bool dead;         /* a worker can keep no itinerary of its decisions */
} clb_branch;

/*
 * Reduced values d for the node: +big on each column held, -big on each refused, where
 * a worker's big exceeds twice the sum of |d| over its own columns (X, Z, A, R), and
 * at least 1e8: any itinerary that keeps the decisions then beats any that breaks one,
 * whatever the scale of the objective (weights go up to 1e9). m and pr: the model and
 * its pricing (pricing.h), for the worker's own columns.
 */
void clb__branch_adjust_d(const clb_model *m, const clb_pricing *pr, clb_branch *b,
                          double *d);

/*
 * A best itinerary `it` of worker w priced under the adjusted d: does it keep w's
 * decisions? *value: its reduced value without the big terms. *must: w has to have
 * an itinerary at this node (a decision to hold a column).
 */
bool clb__branch_keeps(const clb_branch *b, uint32_t w, const clb_itin *it, double *value,
                       bool *must);

/*
 * Hold at 0 the columns of M->lp from lp column `from` (of the itineraries, 0 the
 * first) on that break the node's decisions (rounding's itineraries join the LP
 * without regard to them). Returns 0 or a CLB_E* code.
 */
int clb__branch_hold_new_cols(clb_master *M, size_t from);

/*
 * Column generation in the master LP as it stands, with M->branch's decisions when set:
 * pricing rounds until none prices out (*converged), the node closes, or the share of
 * the time limit is used. itinerary.c's, passed in (this file sits below it).
 */
typedef int (*clb_branch_colgen)(clb_master *M, double share, size_t *rounds,
                                 bool *converged);

/*
 * Branch-and-price from the master as column generation (`colgen`) left it, until the best plan
 * is proven (M->bound lowered to it), the share of the time limit is used (M->bound is
 * then the best open node's bound, or the best plan), or `max_nodes` nodes are solved.
 * *nodes: the nodes solved. Models with extra rows are left alone (*nodes 0). Returns
 * 0 or a CLB_E* code.
 */
int clb__branch_and_price(clb_master *M, clb_branch_colgen colgen, double share,
                          size_t max_nodes, size_t *rounds, size_t *nodes);

#endif
