/*
 * pricing_team.c - many workers' pricings in threads (pricing_team.h).
 *
 * Member 0 of the team is the calling thread and prices with the caller's clb_pricing;
 * member k > 0 with a workspace of its own (clb__pricing_workspace). Each item of the
 * parallel loop is one worker: its answer and its return code go to its slot, and the
 * first failure in worker order is what the call returns, so a failure is reported as
 * one thread would report it (the workers after it are priced but not used).
 */
#include "solve/pricing_team.h"
#include "util/alloc.h"
#include "util/par.h"

struct clb_pricing_team {
    clb_pricing *pr;    /* member 0's */
    clb_par *par;       /* NULL: one thread */
    clb_pricing **ws;   /* members 1 .. size-1 */
    unsigned size;
};

void clb__pricing_team_free(clb_pricing_team *t)
{
    if (!t)
        return;
    clb__par_free(t->par); /* the threads end before their workspaces go */
    if (t->ws)
        for (unsigned k = 0; k + 1 < t->size; k++)
            clb__pricing_free(t->ws[k]);
    clb__free(t->ws);
    clb__free(t);
}

int clb__pricing_team_new(clb_pricing_team **out, clb_pricing *pr, unsigned threads)
{
    clb_pricing_team *t = clb__calloc(1, sizeof(*t));

    *out = NULL;
    if (!t)
        return CLB_ENOMEM;
    t->pr = pr;
    t->size = 1;
    if (threads > 1) {
        if (clb__par_new(&t->par, threads) < 0)
            goto nomem;
        t->size = clb__par_size(t->par);
        if (!(t->ws = clb__calloc(t->size, sizeof(clb_pricing *))))
            goto nomem;
        for (unsigned k = 0; k + 1 < t->size; k++)
            if (clb__pricing_workspace(&t->ws[k], pr) < 0)
                goto nomem;
    }
    *out = t;
    return 0;
nomem:
    clb__pricing_team_free(t);
    return CLB_ENOMEM;
}

unsigned clb__pricing_team_size(const clb_pricing_team *t)
{
    return t->size;
}

typedef struct many_job {
    clb_pricing_team *t;
    const uint32_t *ws;
    const double *d;
    clb_itin *out;
    bool *found;
    int *rc;
} many_job;

static void price_one(void *payload, unsigned member, size_t i)
{
    many_job *j = payload;
    clb_pricing *pr = member == 0 ? j->t->pr : j->t->ws[member - 1];
    j->rc[i] = clb__pricing_best(pr, j->ws[i], j->d, &j->out[i], &j->found[i]);
}

int clb__pricing_best_many(clb_pricing_team *t, const uint32_t *ws, size_t n,
                          const double *d, clb_itin *out, bool *found, size_t *n_ok)
{
    many_job j = {t, ws, d, out, found, NULL};
    int error = 0;

    *n_ok = 0;
    if (!t->par) { /* one thread: in order, stopping at the first failure */
        for (size_t i = 0; i < n; i++) {
            if ((error = clb__pricing_best(t->pr, ws[i], d, &out[i], &found[i])) != 0)
                return error;
            (*n_ok)++;
        }
        return 0;
    }
    if (!(j.rc = clb__malloc((n + 1) * sizeof(int))))
        return CLB_ENOMEM;
    clb__par_for(t->par, n, price_one, &j);
    for (size_t i = 0; i < n && error == 0; i++)
        if ((error = j.rc[i]) == 0)
            (*n_ok)++;
    clb__free(j.rc);
    return error;
}
