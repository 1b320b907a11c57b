/*
 * history.c - the season roll-forward and the year shift (see history.h).
 *
 * Plain values in, plain values out: no database, no document, so the store's season
 * close and the planners' simulation, which keep histories in different places (a
 * table's columns, a worker state), apply the same few lines.
 */
#include "rules/history.h"

void clb__history_roll(clb__history *h, const clb__season_outcome *o, clb_date close,
                       int no_return_ban_days)
{
    h->campaigns++;
    h->returned = o->returned;
    h->last_employer = o->employer;
    if (o->return_date != CLB_DATE_NONE)
        h->last_return = o->return_date;
    h->days_abroad = 0;
    if (o->not_returned) {
        clb_date ban = close + no_return_ban_days;
        if (h->banned_until == CLB_DATE_NONE || h->banned_until < ban)
            h->banned_until = ban;
    }
}

clb_date clb__history_shift_years(clb_date d, int years)
{
    int y, m, day;
    if (d == CLB_DATE_NONE)
        return d;
    clb__date_to_ymd(d, &y, &m, &day);
    if (m == 2 && day == 29)
        day = 28; /* a leap day has no twin in most years */
    return clb__date_from_ymd(y + years, m, day);
}
