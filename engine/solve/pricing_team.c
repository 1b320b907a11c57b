/*
 * pricing_team.c - many workers' pricings in threads (pricing_team.h).
 *
 * Member 0 of the team is the calling thread and prices with the caller's clb_pricing;
 * member k > 0 with a workspace of its own (clb__pricing_workspace). Each item of the
 * parallel loop is one worker: its answer and its return code go to its slot, and the
 * first failure in worker order is what the call returns, so a failure is reported as
 * one thread would report it (the workers after it are priced but not used).
 *
 * The enumeration likewise: each thread collects a worker's itineraries (up to a
 * number kept) in the worker's slot, and the calling thread hands them to the
 * caller's callback in worker order, as one thread would have.
 */
#include "solve/pricing_team.h"
#include "util/alloc.h"
#include "util/par.h"

#include <string.h>

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

/* ---- enumeration ------------------------------------------------------------------- */

/* One worker's itineraries, collected by a thread. */
typedef struct itin_list {
    size_t n, cap;       /* itineraries */
    double *value;
    size_t *first;       /* [n + 1] into cols */
    int32_t *cols;
    size_t ncols, cols_cap;
    size_t keep;
    bool more;           /* stopped at `keep`: there may be more */
    int rc;
} itin_list;

static void list_dispose(itin_list *l)
{
    clb__free(l->value);
    clb__free(l->first);
    clb__free(l->cols);
}

static int collect(const clb_itin *it, void *payload)
{
    itin_list *l = payload;
    if (l->n == l->keep) {
        l->more = true;
        return 1;
    }
    if (l->n + 1 >= l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        double *v = clb__realloc(l->value, cap * sizeof(double));
        if (!v)
            return CLB_ENOMEM;
        l->value = v;
        size_t *f = clb__realloc(l->first, (cap + 1) * sizeof(size_t));
        if (!f)
            return CLB_ENOMEM;
        l->first = f;
        l->cap = cap;
    }
    if (l->ncols + it->n > l->cols_cap) {
        size_t cap = l->cols_cap ? l->cols_cap * 2 : 256;
        while (cap < l->ncols + it->n)
            cap *= 2;
        int32_t *c = clb__realloc(l->cols, cap * sizeof(int32_t));
        if (!c)
            return CLB_ENOMEM;
        l->cols = c;
        l->cols_cap = cap;
    }
    if (l->n == 0)
        l->first[0] = 0;
    memcpy(l->cols + l->ncols, it->cols, it->n * sizeof(int32_t));
    l->ncols += it->n;
    l->value[l->n] = it->value;
    l->first[++l->n] = l->ncols;
    return 0;
}

typedef struct enum_job {
    clb_pricing_team *t;
    const uint32_t *ws;
    const double *d, *thr;
    itin_list *lists;
} enum_job;

static void enumerate_one(void *payload, unsigned member, size_t i)
{
    enum_job *j = payload;
    clb_pricing *pr = member == 0 ? j->t->pr : j->t->ws[member - 1];
    int rc = clb__pricing_enumerate(pr, j->ws[i], j->d, j->thr[i], collect, &j->lists[i]);
    j->lists[i].rc = rc == 1 && j->lists[i].more ? 0 : rc;
}

/* Forwards to cb the itineraries after the first `skip`. */
typedef struct skip_cb {
    size_t skip;
    clb_itin_cb cb;
    void *payload;
} skip_cb;

static int skip_first(const clb_itin *it, void *payload)
{
    skip_cb *s = payload;
    if (s->skip > 0) {
        s->skip--;
        return 0;
    }
    return s->cb(it, s->payload);
}

int clb__pricing_enumerate_many(clb_pricing_team *t, const uint32_t *ws, size_t n,
                               const double *d, const double *thr, size_t keep,
                               clb_itin_cb cb, void *payload)
{
    enum_job j = {t, ws, d, thr, NULL};
    int error = 0;

    if (!t->par) { /* one thread: straight to cb */
        for (size_t i = 0; i < n && error == 0; i++)
            error = clb__pricing_enumerate(t->pr, ws[i], d, thr[i], cb, payload);
        return error;
    }
    if (!(j.lists = clb__calloc(n + 1, sizeof(itin_list))))
        return CLB_ENOMEM;
    for (size_t i = 0; i < n; i++)
        j.lists[i].keep = keep > 0 ? keep : 1;
    clb__par_for(t->par, n, enumerate_one, &j);
    for (size_t i = 0; i < n && error == 0; i++) {
        itin_list *l = &j.lists[i];
        for (size_t k = 0; k < l->n && error == 0; k++) {
            clb_itin it = {ws[i], l->value[k], l->first[k + 1] - l->first[k],
                           l->cols + l->first[k], 0};
            error = cb(&it, payload);
        }
        if (error == 0 && l->rc != 0)
            error = l->rc;
        if (error == 0 && l->more) { /* the rest of this worker, here */
            skip_cb sk = {l->n, cb, payload};
            error = clb__pricing_enumerate(t->pr, ws[i], d, thr[i], skip_first, &sk);
        }
    }
    for (size_t i = 0; i < n; i++)
        list_dispose(&j.lists[i]);
    clb__free(j.lists);
    return error;
}
