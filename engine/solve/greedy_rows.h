/*
 * greedy_rows.h - the rows that fill up during one greedy pass of the itinerary master
 * (itinerary.c's greedy plan, rounding and dual-directed plan).
 *
 * The greedy plan only ever adds, so once a row (a vacancy's headcount, a house, a
 * quota maximum, a session's seats) has less room than its smallest entry, every
 * column with an entry on it is shut for the rest of the pass, for every worker:
 * pricing no longer offers itineraries that cannot fit (their reduced value becomes
 * -1e9 in M->d). Rows reached only through a vacancy count are left to the per-worker
 * blocking.
 */
#ifndef CLB_SOLVE_GREEDY_ROWS_H
#define CLB_SOLVE_GREEDY_ROWS_H

#include "solve/master.h"

typedef struct clb_greedy_rows {
    size_t *start;  /* per master row: its entries in col[] (itinerary columns only) */
    int32_t *col;
    double *val;
    double *minpos; /* per master row: its smallest positive entry */
    bool *closed;   /* per master row */
    bool *shut;     /* per model column: on a closed row */
} clb_greedy_rows;

/* The rows' entries of M's itinerary columns. Returns 0 or CLB_ENOMEM. */
int clb__greedy_rows_init(clb_master *M, clb_greedy_rows *g);
void clb__greedy_rows_dispose(clb_greedy_rows *g);

/* After the greedy plan (M->act, M->ycount) took cols[0..n): shut the columns of the
   rows it filled. */
void clb__greedy_rows_close(clb_master *M, clb_greedy_rows *g, const int32_t *cols, size_t n);

#endif
