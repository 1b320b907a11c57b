/*
 * stable_da.c - a plan without justified envy built by deferred acceptance with
 * cutoffs (stable.h, clb__stable_da), the start of `solve --stable`.
 *
 * Repairing the plain optimum (clb__stable_start in stable.c) empties much of it: every
 * envied holder leaves and is then envious in turn. Here a stable plan is built
 * forwards instead (docs/MODEL.md, "Stability: solve --stable"):
 *
 * - Each unpinned worker, when it walks, gives up its plan and goes through its
 *   eligible vacancies in decreasing pref (ties: higher value first, then vacancy
 *   order), taking each one it can add to what it already holds: its own limits (gap,
 *   stay, max_placements, one timely session per needed course, a programme under
 *   `required`) are decided by the itinerary pricing (pricing.h), the shared ones
 *   (housing, quotas, hold_named, session and programme seats) by the rows of the pair
 *   model, on the plan's row activities. A full vacancy takes the worker only in place
 *   of its lowest-valued unpinned holder, who must be worth strictly less; that holder
 *   leaves everything and walks again. A vacancy ranked below all the worker holds is
 *   taken only if that closes nothing more (below).
 * - A vacancy the worker did not take, for whatever reason, that it ranks strictly
 *   above the lowest it holds (every one when it holds none) is **claimed** at the
 *   worker's value there. A vacancy's cutoff is its highest claim; its unpinned
 *   holders worth strictly less leave (and walk again), and it takes nobody worth
 *   strictly less. A worker's claims are withdrawn when it walks again; where a cutoff
 *   ends lower than before the walk, the claimants it now admits walk again.
 * - Pinned workers keep their pins alone and never walk; they claim every vacancy they
 *   rank above their lowest pin.
 *
 * At rest (nobody left to walk), a worker w not on v that ranks v above its lowest
 * placement claimed v at its last walk, so v's cutoff is at least w's value there and
 * v holds no unpinned worker worth less: no justified envy. Leaving never creates
 * envy. Walks repeat a few rounds (the first from nothing, the next with the cutoffs
 * known, when a worker's second placement may close nothing), until one is no better,
 * and the best plan at rest is kept. A bound on the walks guards against cycles; when
 * it is reached, or the deadline, the plan as it stands is made stable by the repair
 * of stable.c.
 *
 * Everything is deterministic: workers walk first-in first-out, the most valuable
 * first, and every choice breaks ties by index.
 */
#include "solve/pricing.h"
#include "solve/stable.h"

#include "util/alloc.h"
#include "util/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TOL 1e-7
#define WANT 1e9  /* pricing value of a placement the worker asks for */
#define NEVER 1e15 /* pricing value of a column it may not use */
#define ROUNDS 4   /* rounds of walks: the first from nothing, then with cutoffs known */

typedef struct da {
    const clb_model *m;
    const clb_scenario *s;
    const clb_pairs *pairs;
    const bool *pinned;
    clb_pricing *pr;
    clb_model_cols mc;
    double *x;           /* the plan, a value per column */
    double *act;         /* row activities of x */
    double *d;           /* pricing values (only the priced worker's columns are set) */
    uint32_t *order;     /* per worker (CSR by pairs->first): its pairs, best first */
    clb_pair_index ix;   /* pairs by vacancy, values and prefs per pair */
    double *cutoff;      /* per vacancy: the highest claim on it, -HUGE_VAL when none */
    bool *claim;         /* per pair: the worker prefers the vacancy to its lowest
                            placement and could not take it at its last walk */
    bool *dirty;         /* per vacancy: its claims changed during this walk */
    double *prev_cut;    /* per dirty vacancy: its cutoff before the walk */
    uint32_t *dirty_list;
    size_t n_dirty;
    int32_t *sess_row, *prog_row; /* capacity row of a session / programme, or -1 */
    clb_itin *cur;       /* per worker: its itinerary in x */
    clb_itin try_it;     /* scratch itinerary */
    double *cdelta;      /* per column: change being tried */
    bool *cmark;         /* per column: listed in changed */
    int32_t *changed;
    size_t nchanged;
    double *rdelta;      /* per row: change being tried */
    bool *rmark;         /* per row: listed in touched */
    int32_t *touched;
    size_t ntouched;
    uint32_t *queue;     /* ring of n_workers + 1 */
    size_t qhead, qtail;
    bool *inq;
    bool *frozen;        /* per worker: has pins (keeps them alone) */
    uint32_t *held, *skip; /* scratch of one walk */
} da;

static void da_dispose(da *a)
{
    if (a->pr)
        clb__pricing_free(a->pr);
    clb__model_cols_dispose(&a->mc);
    clb__free(a->x);
    clb__free(a->act);
    clb__free(a->d);
    clb__free(a->order);
    clb__pair_index_dispose(&a->ix);
    clb__free(a->cutoff);
    clb__free(a->claim);
    clb__free(a->dirty);
    clb__free(a->prev_cut);
    clb__free(a->dirty_list);
    clb__free(a->sess_row);
    clb__free(a->prog_row);
    if (a->cur)
        for (size_t w = 0; w < a->s->n_workers; w++)
            clb__itin_dispose(&a->cur[w]);
    clb__free(a->cur);
    clb__itin_dispose(&a->try_it);
    clb__free(a->cdelta);
    clb__free(a->cmark);
    clb__free(a->changed);
    clb__free(a->rdelta);
    clb__free(a->rmark);
    clb__free(a->touched);
    clb__free(a->queue);
    clb__free(a->inq);
    clb__free(a->frozen);
    clb__free(a->held);
    clb__free(a->skip);
}

/* Is pair p ranked before q: higher pref, then higher value, then lower pair index
   (vacancy order)? A total order, so the sort below needs no stability. */
static bool ranks_before(const clb_pair_index *ix, uint32_t p, uint32_t q)
{
    if (ix->pref[p] != ix->pref[q])
        return ix->pref[p] > ix->pref[q];
    if (ix->value[p] != ix->value[q])
        return ix->value[p] > ix->value[q];
    return p < q;
}

/* Sort v[0..n) best first, by insertion: a worker's eligible pairs are tens, and the
   index is passed down rather than kept in a file-level variable for qsort. */
static void sort_by_rank(const clb_pair_index *ix, uint32_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t x = v[i];
        size_t j = i;
        while (j > 0 && ranks_before(ix, x, v[j - 1])) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

/* Is row i shared between workers? The others (a worker's conflicts, stay, training,
   programme and quota links) hold by the pricing's itinerary. */
static bool row_is_shared(const clb_model *m, size_t i)
{
    switch ((clb_row_kind)m->row_kind[i]) {
    case CLB_ROW_HOLD_NAMED:
    case CLB_ROW_HOUSING:
    case CLB_ROW_QUOTA_MAX:
    case CLB_ROW_SESSION_CAP:
    case CLB_ROW_PROGRAMME_CAP:
    case CLB_ROW_EXTRA:
        return true;
    default:
        return false;
    }
}

/* Keep, in the column-wise matrix, only the entries of shared rows: a worker's own
   rows hold by construction, and skipping them makes trying a change cheap (a
   placement is in one conflict row per day). */
static void keep_shared_rows(clb_model_cols *c, const clb_model *m)
{
    size_t n = 0, from = 0;
    for (size_t j = 0; j < m->ncols; j++) {
        size_t end = c->start[j + 1];
        c->start[j] = n;
        for (size_t e = from; e < end; e++)
            if (row_is_shared(m, (size_t)c->row[e])) {
                c->row[n] = c->row[e];
                c->val[n++] = c->val[e];
            }
        from = end;
    }
    c->start[m->ncols] = n;
}

static int da_init(da *a, const clb_model *m, const clb_scenario *s, const clb_pairs *pairs,
                   const bool *pinned)
{
    size_t nv = s->n_vacancies, np = pairs->n, nw = s->n_workers, maxn = 0;
    int error;

    a->m = m;
    a->s = s;
    a->pairs = pairs;
    a->pinned = pinned;
    if ((error = clb__model_columns(&a->mc, m)) < 0)
        return error;
    keep_shared_rows(&a->mc, m);
    a->x = clb__calloc(m->ncols + 1, sizeof(double));
    a->act = clb__calloc(m->nrows + 1, sizeof(double));
    a->d = clb__calloc(m->ncols + 1, sizeof(double));
    a->order = clb__malloc((np + 1) * sizeof(uint32_t));
    a->cutoff = clb__malloc((nv + 1) * sizeof(double));
    a->claim = clb__calloc(np + 1, sizeof(bool));
    a->dirty = clb__calloc(nv + 1, sizeof(bool));
    a->prev_cut = clb__malloc((nv + 1) * sizeof(double));
    a->dirty_list = clb__malloc((nv + 1) * sizeof(uint32_t));
    a->sess_row = clb__malloc((s->n_sessions + 1) * sizeof(int32_t));
    a->prog_row = clb__malloc((s->n_programmes + 1) * sizeof(int32_t));
    a->cur = clb__calloc(nw + 1, sizeof(clb_itin));
    a->cdelta = clb__calloc(m->ncols + 1, sizeof(double));
    a->cmark = clb__calloc(m->ncols + 1, sizeof(bool));
    a->rmark = clb__calloc(m->nrows + 1, sizeof(bool));
    a->changed = clb__malloc((m->ncols + 1) * sizeof(int32_t));
    a->rdelta = clb__calloc(m->nrows + 1, sizeof(double));
    a->touched = clb__malloc((m->nrows + 1) * sizeof(int32_t));
    a->queue = clb__malloc((nw + 1) * sizeof(uint32_t));
    a->inq = clb__calloc(nw + 1, sizeof(bool));
    a->frozen = clb__calloc(nw + 1, sizeof(bool));
    for (size_t w = 0; w < nw; w++)
        if (pairs->first[w + 1] - pairs->first[w] > maxn)
            maxn = pairs->first[w + 1] - pairs->first[w];
    a->held = clb__malloc((maxn + 1) * sizeof(uint32_t));
    a->skip = clb__malloc((maxn + 1) * sizeof(uint32_t));
    if (clb__pair_index_build(&a->ix, s, pairs) < 0)
        return CLB_ENOMEM;
    if (!a->x || !a->act || !a->d || !a->order || !a->cutoff || !a->claim || !a->dirty || !a->prev_cut || !a->dirty_list || !a->sess_row || !a->prog_row || !a->cur || !a->cdelta ||
        !a->cmark || !a->rmark || !a->changed || !a->rdelta || !a->touched || !a->queue || !a->inq || !a->frozen ||
        !a->held || !a->skip)
        return CLB_ENOMEM;
    for (uint32_t w = 0; w < nw; w++)
        for (uint32_t p = pairs->first[w]; p < pairs->first[w + 1]; p++) {
            a->order[p] = p;
            a->frozen[w] |= pinned && pinned[p];
        }
    for (uint32_t w = 0; w < nw; w++)
        sort_by_rank(&a->ix, a->order + pairs->first[w], pairs->first[w + 1] - pairs->first[w]);
    for (size_t v = 0; v < nv; v++)
        a->cutoff[v] = -HUGE_VAL;
    for (size_t k = 0; k < s->n_sessions; k++)
        a->sess_row[k] = -1;
    for (size_t r = 0; r < s->n_programmes; r++)
        a->prog_row[r] = -1;
    for (size_t i = 0; i < m->nrows; i++) {
        if (m->row_kind[i] == CLB_ROW_SESSION_CAP)
            a->sess_row[m->row_a[i]] = (int32_t)i;
        else if (m->row_kind[i] == CLB_ROW_PROGRAMME_CAP)
            a->prog_row[m->row_a[i]] = (int32_t)i;
    }
    return 0;
}

/* ---- trying a change on the shared rows ------------------------------------------- */

static void delta_col(da *a, int32_t j, double dv)
{
    if (!a->cmark[j]) {
        a->cmark[j] = true;
        a->changed[a->nchanged++] = j;
    }
    a->cdelta[j] += dv;
}

/* The change from itinerary `from` to `to` (either may be NULL: none), with the
   vacancy counts that follow. */
static void delta_itin(da *a, const clb_itin *from, const clb_itin *to)
{
    const clb_model *m = a->m;
    for (int sign = -1; sign <= 1; sign += 2) {
        const clb_itin *it = sign < 0 ? from : to;
        for (size_t k = 0; it && k < it->n; k++) {
            int32_t j = it->cols[k];
            delta_col(a, j, sign);
            if ((size_t)j < m->n_x)
                delta_col(a, (int32_t)(m->y_first + (size_t)m->col_b[j]), sign);
        }
    }
}

/* Does the change being tried keep every shared row (keep_shared_rows) and every
   bound? The change is cleared. */
static bool delta_holds(da *a)
{
    const clb_model *m = a->m;
    bool ok = true;
    for (size_t c = 0; c < a->nchanged; c++) {
        int32_t j = a->changed[c];
        double dv = a->cdelta[j];
        if (dv == 0)
            continue;
        if (a->x[j] + dv > m->ub[j] + TOL || a->x[j] + dv < m->lb[j] - TOL)
            ok = false;
        for (size_t e = a->mc.start[j]; e < a->mc.start[j + 1]; e++) {
            int32_t i = a->mc.row[e];
            if (!a->rmark[i]) {
                a->rmark[i] = true;
                a->touched[a->ntouched++] = i;
            }
            a->rdelta[i] += a->mc.val[e] * dv;
        }
    }
    for (size_t t = 0; t < a->ntouched; t++) {
        int32_t i = a->touched[t];
        clb_row_kind k = (clb_row_kind)m->row_kind[i];
        double v = a->act[i] + a->rdelta[i];
        if (k != CLB_ROW_YDEF && k != CLB_ROW_QUOTA_MIN &&
            (v > m->rhi[i] + TOL || v < m->rlo[i] - TOL))
            ok = false;
        a->rdelta[i] = 0;
        a->rmark[i] = false;
    }
    for (size_t c = 0; c < a->nchanged; c++) {
        a->cdelta[a->changed[c]] = 0;
        a->cmark[a->changed[c]] = false;
    }
    a->nchanged = a->ntouched = 0;
    return ok;
}

/* Put worker w on itinerary `to` (NULL: none) in x and the row activities. */
static int set_itin(da *a, uint32_t w, const clb_itin *to)
{
    const clb_model *m = a->m;
    clb_itin *cur = &a->cur[w];
    int error;
    for (int sign = -1; sign <= 1; sign += 2) {
        const clb_itin *it = sign < 0 ? cur : to;
        for (size_t k = 0; it && k < it->n; k++) {
            int32_t j = it->cols[k];
            int32_t js[2] = {j, (size_t)j < m->n_x
                                    ? (int32_t)(m->y_first + (size_t)m->col_b[j])
                                    : -1};
            for (int t = 0; t < 2 && js[t] >= 0; t++) {
                a->x[js[t]] += sign;
                for (size_t e = a->mc.start[js[t]]; e < a->mc.start[js[t] + 1]; e++)
                    a->act[a->mc.row[e]] += a->mc.val[e] * sign;
            }
        }
    }
    cur->n = 0;
    cur->worker = w;
    for (size_t k = 0; to && k < to->n; k++)
        if ((error = clb__itin_push(cur, to->cols[k])) < 0)
            return error;
    return 0;
}

/* ---- one worker's itinerary --------------------------------------------------------- */

/* May a session / programme column j take worker w (its own seat counted free)? */
static bool seat_free(const da *a, int32_t j, int32_t row)
{
    return row < 0 || a->act[row] - a->x[j] + 1 <= a->m->rhi[row] + TOL;
}

/*
 * The itinerary of worker w holding exactly the pairs held[0..n) (into a->try_it):
 * its sessions and programme chosen by the pricing among those with a free seat.
 * *ok false when there is none. Returns 0 or CLB_ENOMEM.
 */
static int itinerary_of(da *a, uint32_t w, const uint32_t *held, size_t n, bool *ok)
{
    const clb_model *m = a->m;
    const int32_t *zc, *ac, *rc;
    size_t nz, na, nr, nx = 0;
    bool found = false;
    int error;

    *ok = false;
    for (uint32_t p = a->pairs->first[w]; p < a->pairs->first[w + 1]; p++)
        a->d[p] = -NEVER;
    for (size_t k = 0; k < n; k++)
        a->d[held[k]] = WANT;
    clb__pricing_own_cols(a->pr, w, &zc, &nz, &ac, &na, &rc, &nr);
    for (size_t k = 0; k < nz; k++)
        a->d[zc[k]] = 0;
    for (size_t k = 0; k < na; k++)
        a->d[ac[k]] = seat_free(a, ac[k], a->sess_row[m->col_b[ac[k]]]) ? m->obj[ac[k]]
                                                                        : -NEVER;
    for (size_t k = 0; k < nr; k++)
        a->d[rc[k]] = seat_free(a, rc[k], a->prog_row[m->col_b[rc[k]]]) ? m->obj[rc[k]]
                                                                        : -NEVER;
    if (n == 0) {
        a->try_it.n = 0;
        *ok = true;
        return 0;
    }
    error = clb__pricing_best(a->pr, w, a->d, &a->try_it, &found);
    if (error < 0)
        return error;
    if (error == 1 || !found)
        return 0;
    for (size_t k = 0; k < a->try_it.n; k++) {
        int32_t j = a->try_it.cols[k];
        if (a->d[j] <= -NEVER / 2)
            return 0;
        nx += (size_t)j < m->n_x;
    }
    *ok = nx == n;
    return 0;
}

/* Can pair p join the pairs held[0..n) of worker w by the worker's simple limits
   (gap, stay, max_placements)? A quick filter before the pricing. */
static bool fits_simply(const da *a, uint32_t w, const uint32_t *held, size_t n, uint32_t p)
{
    const clb_scenario *s = a->s;
    const clb_policy *pol = &s->policy;
    const clb_vacancy_rec *v = &s->vacancies[a->pairs->vac[p]];
    long days = clb_vacancy_days(v) + s->workers[w].days_abroad;
    if (pol->max_placements > 0 && n + 1 > (size_t)pol->max_placements)
        return false;
    for (size_t k = 0; k < n; k++) {
        const clb_vacancy_rec *u = &s->vacancies[a->pairs->vac[held[k]]];
        if (!((long)v->start >= (long)u->end + 1 + pol->min_gap_days ||
              (long)u->start >= (long)v->end + 1 + pol->min_gap_days))
            return false;
        days += clb_vacancy_days(u);
    }
    return days <= pol->max_stay_days;
}

/* ---- the queue, leaving, cutoffs ----------------------------------------------------- */

static void enqueue(da *a, uint32_t w)
{
    size_t cap = a->s->n_workers + 1;
    if (a->inq[w] || a->frozen[w])
        return;
    a->inq[w] = true;
    a->queue[a->qtail] = w;
    a->qtail = (a->qtail + 1) % cap;
}

/* Worker w leaves everything and will walk again. */
static int leave(da *a, uint32_t w)
{
    int error = set_itin(a, w, NULL);
    enqueue(a, w);
    return error;
}

static void mark_dirty(da *a, uint32_t v)
{
    if (a->dirty[v])
        return;
    a->dirty[v] = true;
    a->prev_cut[v] = a->cutoff[v];
    a->dirty_list[a->n_dirty++] = v;
}

/* Worker w claims pair p: v's cutoff rises to w's value there if below it. */
static void add_claim(da *a, uint32_t p)
{
    uint32_t v = a->pairs->vac[p];
    mark_dirty(a, v);
    a->claim[p] = true;
    if (a->ix.value[p] > a->cutoff[v])
        a->cutoff[v] = a->ix.value[p];
}

/* The cutoff of v from its claims. */
static void recompute_cutoff(da *a, uint32_t v)
{
    double c = -HUGE_VAL;
    for (uint32_t k = a->ix.vfirst[v]; k < a->ix.vfirst[v + 1]; k++)
        if (a->claim[a->ix.vpair[k]] && a->ix.value[a->ix.vpair[k]] > c)
            c = a->ix.value[a->ix.vpair[k]];
    a->cutoff[v] = c;
}

/* Worker w withdraws its claims (it is about to walk again): the cutoffs they made
   fall for the walk; whether they stay down is settled at its end. */
static void withdraw_claims(da *a, uint32_t w)
{
    size_t first = a->n_dirty;
    for (uint32_t p = a->pairs->first[w]; p < a->pairs->first[w + 1]; p++)
        if (a->claim[p]) {
            mark_dirty(a, a->pairs->vac[p]);
            a->claim[p] = false;
        }
    for (size_t i = first; i < a->n_dirty; i++)
        recompute_cutoff(a, a->dirty_list[i]);
}

/*
 * The cutoffs of the vacancies whose claims changed in this walk, from their claims:
 * where one is above a holder, the unpinned holders worth strictly less leave; where
 * one ends below what it was before the walk, the claimants it now admits walk again
 * (room may be theirs). *n_left counts those who left.
 */
static int settle_cutoffs(da *a, size_t *n_left)
{
    int error;
    for (size_t i = 0; i < a->n_dirty; i++) {
        uint32_t v = a->dirty_list[i];
        double c;
        a->dirty[v] = false;
        recompute_cutoff(a, v);
        c = a->cutoff[v];
        for (uint32_t k = a->ix.vfirst[v]; k < a->ix.vfirst[v + 1]; k++) {
            uint32_t q = a->ix.vpair[k];
            if (a->x[q] > 0.5 && !a->pinned[q] && clb__value_below(a->ix.value[q], c)) {
                if ((error = leave(a, a->m->pair_worker[q])) < 0)
                    return error;
                (*n_left)++;
            } else if (c < a->prev_cut[v] && a->claim[q] &&
                       !clb__value_below(a->ix.value[q], c)) {
                enqueue(a, a->m->pair_worker[q]);
            }
        }
    }
    a->n_dirty = 0;
    return 0;
}

/* The unpinned holder of v worth least (ties: the last pair), or -1. */
static long lowest_holder(const da *a, uint32_t v)
{
    long best = -1;
    for (uint32_t k = a->ix.vfirst[v]; k < a->ix.vfirst[v + 1]; k++) {
        uint32_t q = a->ix.vpair[k];
        if (a->x[q] > 0.5 && !a->pinned[q] && (best < 0 || a->ix.value[q] <= a->ix.value[best]))
            best = q;
    }
    return best;
}

/*
 * Would the vacancies skipped so far (skip[0..nskip)) that w ranks strictly above
 * `pref` keep their cutoffs if w claimed them? A placement ranked below them would make
 * w claim them; taken only when that closes nothing more, it leaves the vacancies w
 * prefers open to others (a worker holding a spring and a summer campaign would
 * otherwise close every other spring vacancy it likes to everyone worth less).
 */
static bool claims_settled(const da *a, size_t nskip, double pref)
{
    for (size_t k = 0; k < nskip; k++) {
        uint32_t s = a->skip[k];
        if (a->ix.pref[s] > pref && a->ix.value[s] > a->cutoff[a->pairs->vac[s]])
            return false;
    }
    return true;
}

/* ---- the walk of one worker --------------------------------------------------------- */

static int walk(da *a, uint32_t w)
{
    const clb_model *m = a->m;
    const clb_pairs *pairs = a->pairs;
    size_t nheld = 0, nskip = 0, n_left = 0;
    bool ok;
    double lowest = HUGE_VAL;
    int error;

    if ((error = set_itin(a, w, NULL)) < 0)
        return error;
    withdraw_claims(a, w);
    for (uint32_t k = pairs->first[w]; k < pairs->first[w + 1]; k++) {
        uint32_t p = a->order[k], v = pairs->vac[p];
        size_t y = m->y_first + v;
        long q = -1;
        if (clb__value_below(a->ix.value[p], a->cutoff[v])) {
            a->skip[nskip++] = p; /* v is closed to w: another claim is higher */
            continue;
        }
        if (nheld > 0 && a->ix.pref[p] < lowest && !claims_settled(a, nskip, a->ix.pref[p])) {
            a->skip[nskip++] = p; /* it would close vacancies w prefers to it */
            continue;
        }
        if (!fits_simply(a, w, a->held, nheld, p)) {
            a->skip[nskip++] = p;
            continue;
        }
        if (a->x[y] + 1 > m->ub[y] + TOL) {
            q = lowest_holder(a, v);
            if (q < 0 || !clb__value_below(a->ix.value[q], a->ix.value[p])) {
                a->skip[nskip++] = p;
                continue;
            }
        }
        a->held[nheld] = p;
        if ((error = itinerary_of(a, w, a->held, nheld + 1, &ok)) < 0)
            return error;
        if (ok) {
            delta_itin(a, &a->cur[w], &a->try_it);
            if (q >= 0)
                delta_itin(a, &a->cur[m->pair_worker[q]], NULL);
            ok = delta_holds(a);
        }
        if (!ok) {
            a->skip[nskip++] = p;
            continue;
        }
        if (q >= 0 && (error = leave(a, m->pair_worker[q])) < 0)
            return error;
        if ((error = set_itin(a, w, &a->try_it)) < 0)
            return error;
        nheld++;
        if (a->ix.pref[p] < lowest)
            lowest = a->ix.pref[p];
    }
    for (size_t k = 0; k < nskip; k++)
        if (nheld == 0 || a->ix.pref[a->skip[k]] > lowest)
            add_claim(a, a->skip[k]);
    if ((error = settle_cutoffs(a, &n_left)) < 0)
        return error;
    if (n_left > 0)
        enqueue(a, w); /* room may have opened where it was refused */
    return 0;
}

/* Pinned workers keep their pins alone; every vacancy they rank above their lowest
   pin is closed to workers worth less than them. false when the pins' plan breaks a
   row (the caller then has no plan from here). */
static int place_pinned(da *a, bool *ok)
{
    const clb_pairs *pairs = a->pairs;
    size_t n_left = 0;
    int error;

    *ok = true;
    for (uint32_t w = 0; w < a->s->n_workers && *ok; w++) {
        size_t n = 0;
        double lowest = HUGE_VAL;
        if (!a->frozen[w])
            continue;
        for (uint32_t p = pairs->first[w]; p < pairs->first[w + 1]; p++)
            if (a->pinned[p]) {
                a->held[n++] = p;
                if (a->ix.pref[p] < lowest)
                    lowest = a->ix.pref[p];
            }
        if ((error = itinerary_of(a, w, a->held, n, ok)) < 0)
            return error;
        if (!*ok)
            break;
        delta_itin(a, &a->cur[w], &a->try_it);
        if (!(*ok = delta_holds(a)))
            break;
        if ((error = set_itin(a, w, &a->try_it)) < 0)
            return error;
        for (uint32_t p = pairs->first[w]; p < pairs->first[w + 1]; p++)
            if (!a->pinned[p] && a->ix.pref[p] > lowest)
                add_claim(a, p);
    }
    return settle_cutoffs(a, &n_left);
}

/* Do all rows of m hold at x? */
static bool rows_hold(const clb_model *m, const double *x)
{
    for (size_t i = 0; i < m->nrows; i++) {
        double v = 0;
        for (size_t e = m->row_start[i]; e < m->row_start[i + 1]; e++)
            v += m->val[e] * x[m->idx[e]];
        if (v > m->rhi[i] + TOL || v < m->rlo[i] - TOL)
            return false;
    }
    return true;
}

double clb__stable_objective(const clb_model *m, const clb_scenario *s, const double *x,
                             double *scratch)
{
    memcpy(scratch, x, m->ncols * sizeof(double));
    clb__model_derive(m, s, scratch);
    return clb__model_objective(m, scratch);
}

int clb__stable_da(double **out, const clb_model *m, const clb_scenario *s,
                   const clb_pairs *pairs, const bool *pinned, double deadline,
                   clb_error *err)
{
    bool *no_pins = NULL;
    da a;
    size_t nw = s->n_workers, budget, steps = 0;
    uint32_t *first = NULL;
    double *best = NULL, *best_x = NULL, *scratch = NULL, best_z = 0, z;
    bool ok;
    int error;

    *out = NULL;
    memset(&a, 0, sizeof(a));
    if (!pinned) {
        if (!(no_pins = clb__calloc(pairs->n + 1, sizeof(bool)))) {
            error = CLB_ENOMEM;
            goto done;
        }
        pinned = no_pins;
    }
    if ((error = clb__pricing_new(&a.pr, s, m, pinned)) != 0) {
        if (error == 1)
            error = 0; /* beyond the pricing: no plan from here */
        goto done;
    }
    if ((error = da_init(&a, m, s, pairs, pinned)) < 0)
        goto done;
    if ((error = place_pinned(&a, &ok)) < 0 || !ok)
        goto done;
    /* the most valuable workers walk first: fewer of them are displaced later */
    if (!(first = clb__malloc((nw + 1) * sizeof(uint32_t))) ||
        !(best = clb__malloc((nw + 1) * sizeof(double))) ||
        !(scratch = clb__malloc((m->ncols + 1) * sizeof(double)))) {
        error = CLB_ENOMEM;
        goto done;
    }
    for (uint32_t w = 0; w < nw; w++) {
        best[w] = -HUGE_VAL;
        for (uint32_t p = pairs->first[w]; p < pairs->first[w + 1]; p++)
            if (a.ix.value[p] > best[w])
                best[w] = a.ix.value[p];
    }
    { /* higher best value first, then worker order */
        uint32_t *tmp = clb__malloc((nw + 1) * sizeof(uint32_t));
        if (!tmp) {
            error = CLB_ENOMEM;
            goto done;
        }
        clb__order_by_value_desc(first, tmp, best, nw);
        clb__free(tmp);
    }
    for (size_t k = 0; k < nw; k++)
        enqueue(&a, first[k]);
    /* each walk takes at least one pair out of play or settles a worker; the bound
       only guards against a cycle the argument above missed */
    budget = 20 * (nw + pairs->n) + 1000;
    for (int round = 0; round < ROUNDS && steps < budget; round++) {
        if (round > 0)
            for (size_t k = 0; k < nw; k++)
                enqueue(&a, first[k]);
        while (a.qhead != a.qtail && steps++ < budget &&
               (deadline <= 0 || (steps % 64 != 0 || clb__now_seconds() < deadline))) {
            uint32_t w = a.queue[a.qhead];
            a.qhead = (a.qhead + 1) % (nw + 1);
            a.inq[w] = false;
            if ((error = walk(&a, w)) < 0)
                goto done;
        }
        if (a.qhead != a.qtail)
            break; /* not at rest: the plan may have envy; the last one at rest stands */
        z = clb__stable_objective(m, s, a.x, scratch);
        if (!best_x || z > best_z) {
            if (!best_x && !(best_x = clb__malloc((m->ncols + 1) * sizeof(double)))) {
                error = CLB_ENOMEM;
                goto done;
            }
            memcpy(best_x, a.x, m->ncols * sizeof(double));
            best_z = z;
        } else {
            break; /* a round no better than the best: stop (later ones seldom gain) */
        }
    }
    if (!best_x) {
        /* never at rest within the bound: the plan as it stands, envied holders
           leaving (stable.c) */
        if ((error = clb__stable_start(&best_x, m, s, pairs, pinned, a.x, err)) < 0 ||
            !best_x)
            goto done;
    }
    clb__model_derive(m, s, best_x);
    if (!rows_hold(m, best_x))
        goto done; /* a bug of the walk: no plan from here */
    *out = best_x;
    best_x = NULL;
done:
    da_dispose(&a);
    clb__free(no_pins);
    clb__free(first);
    clb__free(best);
    clb__free(best_x);
    clb__free(scratch);
    if (error < 0)
        return clb__error_set(err, CLB_ENOMEM, "out of memory making a stable plan");
    return 0;
}
