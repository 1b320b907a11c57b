/*
 * par.h - a small team of threads that runs one parallel loop at a time.
 *
 * The solve prices thousands of workers per round, each independently of the others
 * (engine/solve/pricing.c). A team is made once per solve and reused by every loop, so
 * a loop costs a wake-up, not thread creation. The calling thread works in the loop as
 * member 0; the items go to whichever member is free, in increasing order. A loop body
 * writes only to its own item's slot and to its member's own workspace, so the caller,
 * reading the slots in item order afterwards, gets the same answer with any number of
 * threads: results never depend on which thread did what.
 *
 * A team of one creates no thread at all, and the loop runs inline, in item order.
 */
#ifndef CLB_UTIL_PAR_H
#define CLB_UTIL_PAR_H

#include <stddef.h>

typedef struct clb_par clb_par;

/* Body of a loop: item `item` run by member `member` (0 = the calling thread). */
typedef void (*clb_par_fn)(void *payload, unsigned member, size_t item);

/*
 * A team of `n` members (the caller and n - 1 threads). When a thread cannot be
 * created, the team is smaller (see clb__par_size). Returns 0 or CLB_ENOMEM.
 */
int clb__par_new(clb_par **out, unsigned n);
/* Ends the threads and frees the team (NULL: nothing). */
void clb__par_free(clb_par *team);
/* Members of the team (1 for NULL). */
unsigned clb__par_size(const clb_par *team);
/* Run fn for items [0, n) and return when all are done (team NULL: inline). */
void clb__par_for(clb_par *team, size_t n, clb_par_fn fn, void *payload);

/* Online processors of the machine (at least 1). */
unsigned clb__par_cpus(void);

#endif
