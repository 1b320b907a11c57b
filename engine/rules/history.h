/*
 * history.h - the season roll-forward of docs/DATABASE.md §6 and the year shift: how the
 * departed placements of a closed season become a worker's history, and how a date
 * moves on by whole years.
 *
 * One rule, applied by the store's season close (to the rows of the database,
 * store/season.c) and by the planners' simulation (to its worker states,
 * plan/simulate.c); each gathers its own outcome and keeps its own records.
 */
#ifndef CLB_RULES_HISTORY_H
#define CLB_RULES_HISTORY_H

#include <stdbool.h>

#include "util/util.h"

/* A worker's history (docs/FORMATS.md §2.2). Strings are borrowed. */
typedef struct clb__history {
    int campaigns;
    bool returned;
    const char *last_employer; /* NULL when none */
    clb_date last_return;      /* CLB_DATE_NONE when none */
    int days_abroad;
    clb_date banned_until;     /* CLB_DATE_NONE when none */
} clb__history;

/* What a worker's departed placements of the season came to. */
typedef struct clb__season_outcome {
    bool returned;            /* every departed placement ended `returned` */
    bool not_returned;        /* at least one ended `not_returned` */
    const char *employer;     /* the employer of the latest placement */
    clb_date return_date;     /* the recorded return of the latest placement, by
                               * default its end; CLB_DATE_NONE: none is known, the
                               * history's last return stands */
} clb__season_outcome;

/*
 * Roll h forward over a season closed on `close` in which the worker departed:
 * campaigns + 1, `returned` as the outcome says, the latest employer, the return
 * date, days abroad back to 0 for the new season, and after a no-return a ban until
 * close + no_return_ban_days (never shortening a longer one). A worker who did not
 * depart keeps the history: do not call this for them. h->last_employer becomes
 * o->employer (borrowed from the outcome).
 */
void clb__history_roll(clb__history *h, const clb__season_outcome *o, clb_date close,
                       int no_return_ban_days);

/* `d` moved on by `years` whole years; 29 February becomes the 28th, and
 * CLB_DATE_NONE stays none. */
clb_date clb__history_shift_years(clb_date d, int years);

#endif
