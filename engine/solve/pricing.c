/*
 * pricing.c - one worker's best itinerary, and all its good itineraries (pricing.h).
 *
 * Everything a worker's itinerary must respect that concerns no other worker is
 * decided here, from the scenario (docs/MODEL.md §3.3, 3.4, 3.6) and the pair model's
 * column list (which sessions and programmes a worker may use): non-overlap with the gap,
 * stay, max placements, pins, one timely session per needed course that overlaps no
 * placement, at most one programme starting within the window after the last
 * placement (exactly one under `required`).
 *
 * Best itinerary: for each choice of sessions (one or none per course; a session whose
 * set of allowed vacancies is contained in another's of the same course and which is
 * not cheaper is dropped first), a label-setting dynamic programme over the allowed
 * vacancies in start order. A label at vacancy v is a chain ending with v: stay days,
 * count, mask of the worker's `workers` quotas hit, mask of courses covered, value.
 * One label dominates another at the same vacancy when it used no more stay and
 * count, covered a superset of courses, and its value is at least the other's for
 * every completion: a quota hit by only one of them changes the completion by at most
 * its reduced value's positive part (if only the other hit it) or negative part. A
 * chain is complete when it covers exactly the chosen courses (so every session
 * charged is attended) and includes every pin; then the best programme is added.
 *
 * Enumeration: depth-first over chains in start order, with the bound "value so far +
 * best positive completion of the chain + best sessions + best programme"; at each
 * chain, every timely, non-overlapping session choice and every programme choice.
 *
 * Threads: the fields of clb_pricing above "scratch" are only read after
 * clb__pricing_new; the scratch is per workspace. clb__pricing_workspace makes one for
 * another thread (the same tables, scratch of its own); pricing_team.c uses them.
 */
#include "solve/pricing.h"
#include "util/alloc.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SESSION_CHOICES 50000

struct clb_pricing {
    const clb_scenario *s;
    const clb_model *m;
    bool *pinned;       /* per pair */
    uint32_t *ord;      /* per pair: the worker's pairs in (start, end, index) order */
    uint64_t *zmask;    /* per pair: the worker's Z columns the placement hits */
    uint64_t *need;     /* per pair: the worker's courses the placement needs */
    /* per worker own columns (CSR) */
    size_t *zfirst, *afirst, *rfirst;
    int32_t *zcols, *acols, *rcols;
    int32_t *acourse;   /* per A entry: index of its course in the worker's list */
    /* per worker course list */
    size_t *cfirst;
    int32_t *courses;
    /* scratch */
    struct label *lab;
    size_t nlab, lab_cap;
    size_t *head;       /* per position: first label index; labels of a position are contiguous */
    size_t *count;
    bool *allowed;
    bool *pin_ok;
    int32_t *choice;    /* per course: A entry index or -1 */
    int32_t *opts;      /* per course options (A entries) */
    size_t *ofirst;
    double *suffix;
    uint32_t *chain;
    int32_t *tmpcols;
    int32_t *st, *en;   /* per position: the vacancy's dates */
    uint32_t *pred;     /* per position: compatible earlier positions (NULL: too big) */
    size_t *pred_first;
    size_t scratch_n;   /* size the per-worker scratch was allocated for */
    size_t scratch_na;
    bool workspace;     /* clb__pricing_workspace: the tables above are not its own */
};

typedef struct label {
    int32_t pred;
    int32_t stay, cnt;
    uint64_t qmask, cmask;
    double value;
    bool dead;
} label;

static int cmp_int32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return x < y ? -1 : x > y;
}

/* a worker's pair with its dates, for sorting by (start, end, index) */
typedef struct dated {
    clb_date start, end;
    uint32_t p;
} dated;

static int cmp_dated(const void *a, const void *b)
{
    const dated *u = a, *v = b;
    if (u->start != v->start)
        return u->start < v->start ? -1 : 1;
    if (u->end != v->end)
        return u->end < v->end ? -1 : 1;
    return u->p < v->p ? -1 : u->p > v->p;
}

void clb__itin_dispose(clb_itin *it)
{
    clb__free(it->cols);
    memset(it, 0, sizeof(*it));
}

int clb__itin_push(clb_itin *it, int32_t c)
{
    if (it->n == it->cap) {
        size_t cap = it->cap ? it->cap * 2 : 16;
        int32_t *p = clb__realloc(it->cols, cap * sizeof(int32_t));
        if (!p)
            return CLB_ENOMEM;
        it->cols = p;
        it->cap = cap;
    }
    it->cols[it->n++] = c;
    return 0;
}

static void free_scratch(clb_pricing *pr)
{
    clb__free(pr->lab);
    clb__free(pr->head);
    clb__free(pr->count);
    clb__free(pr->allowed);
    clb__free(pr->pin_ok);
    clb__free(pr->choice);
    clb__free(pr->opts);
    clb__free(pr->ofirst);
    clb__free(pr->suffix);
    clb__free(pr->chain);
    clb__free(pr->tmpcols);
    clb__free(pr->st);
    clb__free(pr->en);
    clb__free(pr->pred);
    clb__free(pr->pred_first);
}

void clb__pricing_free(clb_pricing *pr)
{
    if (!pr)
        return;
    free_scratch(pr);
    if (pr->workspace) {
        clb__free(pr);
        return;
    }
    clb__free(pr->pinned);
    clb__free(pr->ord);
    clb__free(pr->zmask);
    clb__free(pr->need);
    clb__free(pr->zfirst);
    clb__free(pr->afirst);
    clb__free(pr->rfirst);
    clb__free(pr->zcols);
    clb__free(pr->acols);
    clb__free(pr->rcols);
    clb__free(pr->acourse);
    clb__free(pr->cfirst);
    clb__free(pr->courses);
    clb__free(pr);
}

bool clb__pricing_pinned(const clb_pricing *pr, uint32_t w)
{
    const clb_pairs *pairs = pr->m->pairs;
    for (size_t p = pairs->first[w]; p < pairs->first[w + 1]; p++)
        if (pr->pinned[p])
            return true;
    return false;
}

void clb__pricing_own_cols(const clb_pricing *pr, uint32_t w, const int32_t **zcols,
                          size_t *nz, const int32_t **acols, size_t *na,
                          const int32_t **rcols, size_t *nr)
{
    *zcols = pr->zcols + pr->zfirst[w];
    *nz = pr->zfirst[w + 1] - pr->zfirst[w];
    *acols = pr->acols + pr->afirst[w];
    *na = pr->afirst[w + 1] - pr->afirst[w];
    *rcols = pr->rcols + pr->rfirst[w];
    *nr = pr->rfirst[w + 1] - pr->rfirst[w];
}

/*
 * Each worker's Z, A and R columns of the model, in column order (zfirst/zcols,
 * afirst/acols, rfirst/rcols); *na is the number of A columns.
 */
static int index_worker_cols(clb_pricing *pr, const clb_model *m, size_t nw, size_t *na)
{
    size_t nz = 0, nr = 0;

    for (size_t j = 0; j < m->ncols; j++) {
        uint32_t w = (uint32_t)m->col_a[j];
        switch ((clb_col_kind)m->col_kind[j]) {
        case CLB_COL_Z: pr->zfirst[w + 1]++; nz++; break;
        case CLB_COL_A: pr->afirst[w + 1]++; (*na)++; break;
        case CLB_COL_R: pr->rfirst[w + 1]++; nr++; break;
        default: break;
        }
    }
    for (size_t w = 0; w < nw; w++) {
        pr->zfirst[w + 1] += pr->zfirst[w];
        pr->afirst[w + 1] += pr->afirst[w];
        pr->rfirst[w + 1] += pr->rfirst[w];
    }
    pr->zcols = clb__malloc((nz + 1) * sizeof(int32_t));
    pr->acols = clb__malloc((*na + 1) * sizeof(int32_t));
    pr->rcols = clb__malloc((nr + 1) * sizeof(int32_t));
    pr->acourse = clb__malloc((*na + 1) * sizeof(int32_t));
    pr->courses = clb__malloc((*na + 1) * sizeof(int32_t));
    if (!pr->zcols || !pr->acols || !pr->rcols || !pr->acourse || !pr->courses)
        return CLB_ENOMEM;
    {
        size_t *fz = clb__calloc(nw + 1, sizeof(size_t)), *fa = clb__calloc(nw + 1, sizeof(size_t)),
               *fr = clb__calloc(nw + 1, sizeof(size_t));
        if (!fz || !fa || !fr) {
            clb__free(fz);
            clb__free(fa);
            clb__free(fr);
            return CLB_ENOMEM;
        }
        for (size_t j = 0; j < m->ncols; j++) {
            uint32_t w = (uint32_t)m->col_a[j];
            switch ((clb_col_kind)m->col_kind[j]) {
            case CLB_COL_Z: pr->zcols[pr->zfirst[w] + fz[w]++] = (int32_t)j; break;
            case CLB_COL_A: pr->acols[pr->afirst[w] + fa[w]++] = (int32_t)j; break;
            case CLB_COL_R: pr->rcols[pr->rfirst[w] + fr[w]++] = (int32_t)j; break;
            default: break;
            }
        }
        clb__free(fz);
        clb__free(fa);
        clb__free(fr);
    }
    return 0;
}

/*
 * Per worker: the courses of the sessions it may attend (courses, cfirst, acourse), the
 * quota and course masks of each pair (zmask, need) and the pairs in date order (ord).
 * *maxn is the most pairs of one worker; *too_wide is set when a worker has more than
 * 64 quota columns or courses, which the masks cannot hold.
 */
static int index_worker_pairs(clb_pricing *pr, const clb_scenario *s, const clb_model *m,
                              size_t *maxn, bool *too_wide)
{
    const clb_pairs *pairs = m->pairs;
    size_t nw = s->n_workers;

    /* per worker: course list (from the sessions it may attend), masks per pair */
    dated *tmp = NULL;
    for (size_t w = 0; w < nw; w++) {
        size_t p0 = pairs->first[w], p1 = pairs->first[w + 1];
        size_t c0 = pr->cfirst[w], nc = 0;
        if (p1 - p0 > *maxn)
            *maxn = p1 - p0;
        if (pr->zfirst[w + 1] - pr->zfirst[w] > 64)
            *too_wide = true;
        for (size_t a = pr->afirst[w]; a < pr->afirst[w + 1]; a++) {
            int32_t course = s->sessions[m->col_b[pr->acols[a]]].course;
            size_t ci;
            for (ci = 0; ci < nc; ci++)
                if (pr->courses[c0 + ci] == course)
                    break;
            if (ci == nc)
                pr->courses[c0 + nc++] = course;
            pr->acourse[a] = (int32_t)ci;
        }
        if (nc > 64)
            *too_wide = true;
        pr->cfirst[w + 1] = c0 + nc;
        for (size_t p = p0; p < p1; p++) {
            const clb_vacancy_rec *v = &s->vacancies[pairs->vac[p]];
            for (size_t z = pr->zfirst[w]; z < pr->zfirst[w + 1] && z - pr->zfirst[w] < 64; z++)
                if (clb__quota_matches(s, &s->quotas[m->col_b[pr->zcols[z]]], (uint32_t)w,
                                      pairs->vac[p]))
                    pr->zmask[p] |= 1ull << (z - pr->zfirst[w]);
            for (size_t ci = 0; ci < nc && ci < 64; ci++)
                if (clb__sorted_contains(v->req_trainings.v, v->req_trainings.n,
                                        pr->courses[c0 + ci]))
                    pr->need[p] |= 1ull << ci;
        }
        {
            dated *t = clb__realloc(tmp, (p1 - p0 + 1) * sizeof(dated));
            if (!t) {
                clb__free(tmp);
                return CLB_ENOMEM;
            }
            tmp = t;
            for (size_t p = p0; p < p1; p++) {
                const clb_vacancy_rec *v = &s->vacancies[pairs->vac[p]];
                tmp[p - p0] = (dated){v->start, v->end, (uint32_t)p};
            }
            qsort(tmp, p1 - p0, sizeof(dated), cmp_dated);
            for (size_t p = p0; p < p1; p++)
                pr->ord[p] = tmp[p - p0].p;
        }
    }
    clb__free(tmp);
    return 0;
}

/* The scratch arrays of one worker's pricing, sized for the widest worker. */
static int alloc_scratch(clb_pricing *pr, size_t maxn, size_t na)
{
    pr->scratch_n = maxn;
    pr->scratch_na = na;
    pr->head = clb__malloc((maxn + 1) * sizeof(size_t));
    pr->count = clb__malloc((maxn + 1) * sizeof(size_t));
    pr->allowed = clb__malloc((maxn + 1) * sizeof(bool));
    pr->pin_ok = clb__malloc((maxn + 1) * sizeof(bool));
    pr->choice = clb__malloc(65 * sizeof(int32_t));
    pr->opts = clb__malloc((na + 1) * sizeof(int32_t));
    pr->ofirst = clb__malloc(66 * sizeof(size_t));
    pr->suffix = clb__malloc((maxn + 1) * sizeof(double));
    pr->chain = clb__malloc((maxn + 1) * sizeof(uint32_t));
    pr->tmpcols = clb__malloc((maxn + 64 * 2 + 8) * sizeof(int32_t));
    pr->st = clb__malloc((maxn + 1) * sizeof(int32_t));
    pr->en = clb__malloc((maxn + 1) * sizeof(int32_t));
    pr->pred_first = clb__malloc((maxn + 2) * sizeof(size_t));
    if (maxn <= 4096)
        pr->pred = clb__malloc((maxn * (maxn + 1) / 2 + 1) * sizeof(uint32_t));
    if (!pr->st || !pr->en || !pr->pred_first)
        return CLB_ENOMEM;
    if (!pr->head || !pr->count || !pr->allowed || !pr->pin_ok || !pr->choice ||
        !pr->opts || !pr->ofirst || !pr->suffix || !pr->chain || !pr->tmpcols)
        return CLB_ENOMEM;
    return 0;
}

int clb__pricing_new(clb_pricing **out, const clb_scenario *s, const clb_model *m,
                    const bool *pinned)
{
    const clb_pairs *pairs = m->pairs;
    size_t nw = s->n_workers, np = pairs->n;
    clb_pricing *pr = clb__calloc(1, sizeof(*pr));
    size_t na = 0, maxn = 1;
    bool too_wide = false;

    *out = NULL;
    if (!pr)
        return CLB_ENOMEM;
    pr->s = s;
    pr->m = m;
    pr->pinned = clb__calloc(np + 1, sizeof(bool));
    pr->ord = clb__malloc((np + 1) * sizeof(uint32_t));
    pr->zmask = clb__calloc(np + 1, sizeof(uint64_t));
    pr->need = clb__calloc(np + 1, sizeof(uint64_t));
    pr->zfirst = clb__calloc(nw + 2, sizeof(size_t));
    pr->afirst = clb__calloc(nw + 2, sizeof(size_t));
    pr->rfirst = clb__calloc(nw + 2, sizeof(size_t));
    pr->cfirst = clb__calloc(nw + 2, sizeof(size_t));
    if (!pr->pinned || !pr->ord || !pr->zmask || !pr->need || !pr->zfirst ||
        !pr->afirst || !pr->rfirst || !pr->cfirst)
        goto nomem;
    if (pinned)
        memcpy(pr->pinned, pinned, np * sizeof(bool));
    if (index_worker_cols(pr, m, nw, &na) < 0 ||
        index_worker_pairs(pr, s, m, &maxn, &too_wide) < 0 ||
        alloc_scratch(pr, maxn, na) < 0)
        goto nomem;
    if (too_wide) {
        clb__pricing_free(pr);
        return 1;
    }
    *out = pr;
    return 0;
nomem:
    clb__pricing_free(pr);
    return CLB_ENOMEM;
}

/* ---- shared helpers ---------------------------------------------------------------- */

typedef struct wctx {
    const clb_scenario *s;
    const clb_model *m;
    const clb_pairs *pairs;
    const uint32_t *ord; /* positions -> pair */
    size_t n;            /* pairs of the worker */
    size_t nc;           /* courses */
    const int32_t *courses;
    const int32_t *zc, *ac, *rc;
    const int32_t *acourse;
    size_t nz, na, nr;
    int gap;
    int staycap;   /* < 0: stay cannot bind */
    int maxp;      /* 0: count cannot bind */
    int lead, window;
    clb_reint_mode reint;
    const int32_t *st, *en;  /* per position */
    int first_pin, last_pin; /* positions, -1 without pins */
    int *next_pin;           /* per position: first pin position > it, or n */
} wctx;

static const clb_vacancy_rec *vac_at(const wctx *c, size_t i)
{
    return &c->s->vacancies[c->pairs->vac[c->ord[i]]];
}

/* may position j (earlier) precede position i in a chain? */
static bool compatible(const wctx *c, size_t j, size_t i)
{
    return (long)c->st[i] >= (long)c->en[j] + 1 + c->gap;
}

static bool overlaps(const clb_session_rec *k, const clb_vacancy_rec *v)
{
    return k->start <= v->end && v->start <= k->end;
}

static void setup(wctx *c, clb_pricing *pr, uint32_t w, int *next_pin_buf)
{
    const clb_scenario *s = pr->s;
    const clb_policy *pol = &s->policy;
    const clb_worker_rec *wk = &s->workers[w];
    size_t p0 = pr->m->pairs->first[w];
    long total = 0;

    memset(c, 0, sizeof(*c));
    c->s = s;
    c->m = pr->m;
    c->pairs = pr->m->pairs;
    c->ord = pr->ord + p0;
    c->n = pr->m->pairs->first[w + 1] - p0;
    c->courses = pr->courses + pr->cfirst[w];
    c->nc = pr->cfirst[w + 1] - pr->cfirst[w];
    c->zc = pr->zcols + pr->zfirst[w];
    c->nz = pr->zfirst[w + 1] - pr->zfirst[w];
    c->ac = pr->acols + pr->afirst[w];
    c->acourse = pr->acourse + pr->afirst[w];
    c->na = pr->afirst[w + 1] - pr->afirst[w];
    c->rc = pr->rcols + pr->rfirst[w];
    c->nr = pr->rfirst[w + 1] - pr->rfirst[w];
    c->gap = pol->min_gap_days;
    c->lead = pol->training_lead_days;
    c->window = pol->reintegration_window_days;
    c->reint = pol->reintegration;
    for (size_t i = 0; i < c->n; i++)
        total += clb_vacancy_days(vac_at(c, i));
    c->staycap = total + wk->days_abroad > pol->max_stay_days
                     ? pol->max_stay_days - wk->days_abroad
                     : -1;
    c->maxp = pol->max_placements > 0 && (size_t)pol->max_placements < c->n
                  ? pol->max_placements
                  : 0;
    for (size_t i = 0; i < c->n; i++) {
        pr->st[i] = vac_at(c, i)->start;
        pr->en[i] = vac_at(c, i)->end;
    }
    c->st = pr->st;
    c->en = pr->en;
    c->first_pin = c->last_pin = -1;
    c->next_pin = next_pin_buf;
    for (size_t i = c->n; i-- > 0;) {
        next_pin_buf[i] = c->first_pin < 0 ? (int)c->n : c->first_pin;
        if (pr->pinned[c->ord[i]]) {
            if (c->last_pin < 0)
                c->last_pin = (int)i;
            c->first_pin = (int)i;
        }
    }
    /* pin_ok: compatible with every pin */
    for (size_t i = 0; i < c->n; i++) {
        bool ok = true;
        if (!pr->pinned[c->ord[i]])
            for (size_t j = 0; j < c->n && ok; j++)
                if (pr->pinned[c->ord[j]] && j != i)
                    ok = j < i ? compatible(c, j, i) : compatible(c, i, j);
        pr->pin_ok[i] = ok;
    }
}

/* value of adding position i to a chain with quota mask qm */
static double step_value(const wctx *c, const clb_pricing *pr, const double *d, size_t i,
                         uint64_t qm)
{
    uint32_t p = c->ord[i];
    double v = d[p]; /* the X column of pair p is column p */
    uint64_t add = pr->zmask[p] & ~qm;
    while (add) {
        int b = __builtin_ctzll(add);
        add &= add - 1;
        v += d[c->zc[b]];
    }
    return v;
}

/* best programme after a chain ending at position i; *r = R entry or -1 */
static bool programme_after(const wctx *c, const double *d, size_t i, double *val,
                            int32_t *r)
{
    const clb_vacancy_rec *v = vac_at(c, i);
    *r = -1;
    *val = 0;
    if (c->reint == CLB_REINT_NONE)
        return true;
    bool any = c->reint != CLB_REINT_REQUIRED;
    for (size_t k = 0; k < c->nr; k++) {
        const clb_programme_rec *pg = &c->s->programmes[c->m->col_b[c->rc[k]]];
        if (!(v->end < pg->start && pg->start <= v->end + c->window))
            continue;
        double dv = d[c->rc[k]];
        if (!any || dv > *val) {
            *val = dv;
            *r = (int32_t)k;
            any = true;
        }
    }
    return any;
}

static bool dominates(const wctx *c, const double *d, const label *a, const label *b)
{
    if (a->stay > b->stay || a->cnt > b->cnt || (b->cmask & ~a->cmask))
        return false;
    double diff = a->value - b->value;
    uint64_t only_b = b->qmask & ~a->qmask, only_a = a->qmask & ~b->qmask;
    while (only_b) {
        int k = __builtin_ctzll(only_b);
        only_b &= only_b - 1;
        if (d[c->zc[k]] < 0)
            diff += d[c->zc[k]];
    }
    while (only_a) {
        int k = __builtin_ctzll(only_a);
        only_a &= only_a - 1;
        if (d[c->zc[k]] > 0)
            diff -= d[c->zc[k]];
    }
    return diff >= 0;
}

static int push_label(clb_pricing *pr, const label *l)
{
    if (pr->nlab == pr->lab_cap) {
        size_t cap = pr->lab_cap ? pr->lab_cap * 2 : 1024;
        label *p = clb__realloc(pr->lab, cap * sizeof(label));
        if (!p)
            return CLB_ENOMEM;
        pr->lab = p;
        pr->lab_cap = cap;
    }
    pr->lab[pr->nlab++] = *l;
    return 0;
}

/* ---- best itinerary ---------------------------------------------------------------- */

/* One worker's search for its best itinerary: what clb__pricing_best's steps share. */
typedef struct best_search {
    clb_pricing *pr;
    wctx c;
    const double *d;
    clb_itin *out;
    int32_t *lab_pos; /* per label: its position */
    size_t lab_pos_cap;
    size_t nopt;      /* session options, pr->opts[0 .. nopt) */
    double pbest;     /* bound on the programme's value */
    double best;      /* the best itinerary's value, when have */
    bool have;
    uint64_t cm;      /* the courses of the current session choice */
    double sc;        /* the sessions' value of the current choice */
    int32_t cur[64];  /* per course: the chosen option (index into opts), -1 = none */
    bool small_opts;  /* the options' dates are in ost/oen */
    int32_t ost[64 * 64 + 1], oen[64 * 64 + 1];
} best_search;

/* Options per course: the sessions not dominated by another of the course. Returns 1
   when the session choices are too many to enumerate. */
static int session_options(best_search *b)
{
    clb_pricing *pr = b->pr;
    const wctx *c = &b->c;
    const double *d = b->d;
    size_t nopt = 0;
    size_t combos = 1;
    for (size_t ci = 0; ci < c->nc; ci++) {
        pr->ofirst[ci] = nopt;
        for (size_t a = 0; a < c->na; a++) {
            if ((size_t)c->acourse[a] != ci)
                continue;
            const clb_session_rec *ka = &c->s->sessions[c->m->col_b[c->ac[a]]];
            bool dominated = false;
            for (size_t bi = 0; bi < c->na && !dominated; bi++) {
                if (bi == a || (size_t)c->acourse[bi] != ci)
                    continue;
                const clb_session_rec *kb = &c->s->sessions[c->m->col_b[c->ac[bi]]];
                double da = d[c->ac[a]], db = d[c->ac[bi]];
                if (db < da)
                    continue;
                /* allowed(kb) superset of allowed(ka) over the worker's vacancies */
                bool sup = true, equal = true;
                for (size_t i = 0; i < c->n && sup; i++) {
                    const clb_vacancy_rec *v = vac_at(c, i);
                    bool needs = (pr->need[c->ord[i]] >> ci) & 1;
                    bool al_a =
                        (!needs || ka->end + c->lead < v->start) && !overlaps(ka, v);
                    bool al_b =
                        (!needs || kb->end + c->lead < v->start) && !overlaps(kb, v);
                    if (al_a && !al_b)
                        sup = false;
                    if (al_a != al_b)
                        equal = false;
                }
                if (sup && (!equal || db > da || bi < a))
                    dominated = true;
            }
            if (!dominated)
                pr->opts[nopt++] = (int32_t)a;
        }
        combos *= 1 + (nopt - pr->ofirst[ci]);
        if (combos > MAX_SESSION_CHOICES)
            return 1;
    }
    pr->ofirst[c->nc] = nopt;
    b->nopt = nopt;
    return 0;
}

/* Predecessors (compatible earlier positions with no pin in between), the completion
   bound after each position (dates and pins only), the programme bound and the
   options' dates. */
static void search_bounds(best_search *b)
{
    clb_pricing *pr = b->pr;
    const wctx *c = &b->c;
    const double *d = b->d;

    /* predecessors: compatible earlier positions with no pin in between */
    if (pr->pred) {
        size_t k = 0;
        for (size_t i = 0; i < c->n; i++) {
            pr->pred_first[i] = k;
            for (size_t j = 0; j < i; j++)
                if (c->next_pin[j] >= (int)i && compatible(c, j, i))
                    pr->pred[k++] = (uint32_t)j;
        }
        pr->pred_first[c->n] = k;
    }
    /* completion bound after each position (dates and pins only) and programme bound */
    double pbest = 0;
    {
        bool any = c->reint != CLB_REINT_REQUIRED;
        for (size_t k = 0; k < c->nr && c->reint != CLB_REINT_NONE; k++)
            if (!any || d[c->rc[k]] > pbest) {
                pbest = d[c->rc[k]];
                any = true;
            }
        for (size_t i = c->n; i-- > 0;) {
            double bnd = 0;
            for (size_t j = i + 1; j < c->n; j++) {
                if (!pr->pin_ok[j] || !compatible(c, i, j))
                    continue;
                uint32_t pj = c->ord[j];
                double g = d[pj];
                uint64_t zm = pr->zmask[pj];
                while (zm) {
                    int k = __builtin_ctzll(zm);
                    zm &= zm - 1;
                    if (d[c->zc[k]] > 0)
                        g += d[c->zc[k]];
                }
                if (g + pr->suffix[j] > bnd)
                    bnd = g + pr->suffix[j];
            }
            pr->suffix[i] = bnd;
        }
    }
    b->pbest = pbest;
    /* the options' dates */
    b->small_opts = b->nopt <= 64 * 64;
    for (size_t o = 0; o < b->nopt && b->small_opts; o++) {
        const clb_session_rec *k = &c->s->sessions[c->m->col_b[c->ac[pr->opts[o]]]];
        b->ost[o] = k->start;
        b->oen[o] = k->end;
    }
}

/* The current session choice: its courses (cm), its value (sc) and the positions it
   allows; false when it excludes a pin or a chosen course no placement needs. */
static bool choice_allowed(best_search *b)
{
    clb_pricing *pr = b->pr;
    const wctx *c = &b->c;
    const double *d = b->d;
    const int32_t *cur = b->cur;
    uint64_t cm = 0;
    double sc = 0;
    bool ok = true;
    for (size_t ci = 0; ci < c->nc; ci++)
        if (cur[ci] >= 0) {
            cm |= 1ull << ci;
            sc += d[c->ac[pr->opts[cur[ci]]]];
        }
    for (size_t i = 0; i < c->n; i++) {
        uint64_t nd = pr->need[c->ord[i]];
        bool al = pr->pin_ok[i] && (nd & ~cm) == 0;
        for (size_t ci = 0; ci < c->nc && al; ci++) {
            if (cur[ci] < 0)
                continue;
            int32_t ks, ke;
            if (b->small_opts) {
                ks = b->ost[cur[ci]];
                ke = b->oen[cur[ci]];
            } else {
                const clb_session_rec *k =
                    &c->s->sessions[c->m->col_b[c->ac[pr->opts[cur[ci]]]]];
                ks = k->start;
                ke = k->end;
            }
            if ((ks <= c->en[i] && c->st[i] <= ke) ||
                (((nd >> ci) & 1) && !(ke + c->lead < c->st[i])))
                al = false;
        }
        pr->allowed[i] = al;
        if (!al && pr->pinned[c->ord[i]])
            ok = false;
    }
    {
        uint64_t reach = 0;
        for (size_t i = 0; i < c->n; i++)
            if (pr->allowed[i])
                reach |= pr->need[c->ord[i]];
        if ((reach & cm) != cm)
            ok = false;
    }
    b->cm = cm;
    b->sc = sc;
    return ok;
}

/* Label nl joins position i unless one of its labels dominates it; those it dominates
   die. */
static int add_label(best_search *b, size_t i, const label *nl)
{
    clb_pricing *pr = b->pr;
    const wctx *c = &b->c;
    const double *d = b->d;
    int error;

    /* dominance against the labels of position i */
    bool dom = false;
    for (size_t k = pr->head[i]; k < pr->nlab && !dom; k++)
        if (!pr->lab[k].dead && dominates(c, d, &pr->lab[k], nl))
            dom = true;
    if (dom)
        return 0;
    for (size_t k = pr->head[i]; k < pr->nlab; k++)
        if (!pr->lab[k].dead && dominates(c, d, nl, &pr->lab[k]))
            pr->lab[k].dead = true;
    if ((error = push_label(pr, nl)) < 0)
        return error;
    if (pr->nlab > b->lab_pos_cap) {
        size_t cap = pr->lab_cap;
        int32_t *q = clb__realloc(b->lab_pos, cap * sizeof(int32_t));
        if (!q)
            return CLB_ENOMEM;
        b->lab_pos = q;
        b->lab_pos_cap = cap;
    }
    b->lab_pos[pr->nlab - 1] = (int32_t)i;
    pr->count[i]++;
    return 0;
}

/* The labels of position i: chains starting there and chains extended from each
   predecessor's labels, within the stay, count and bound. */
static int extend_labels(best_search *b, size_t i)
{
    clb_pricing *pr = b->pr;
    const wctx *c = &b->c;
    const double *d = b->d;
    int error;

    const clb_vacancy_rec *v = vac_at(c, i);
    int days = c->staycap >= 0 ? clb_vacancy_days(v) : 0;
    int inc = c->maxp > 0 ? 1 : 0;
    uint32_t p = c->ord[i];
    size_t np = pr->pred ? pr->pred_first[i + 1] - pr->pred_first[i] : i;
    for (long jj = -1; jj < (long)np; jj++) {
        size_t lo, hi;
        int j = jj < 0 ? -1
                       : (pr->pred ? (int)pr->pred[pr->pred_first[i] + (size_t)jj]
                                   : (int)jj);
        if (j < 0) {
            if (c->first_pin >= 0 && c->first_pin < (int)i)
                continue;
            lo = 0;
            hi = 1;
        } else {
            if (!pr->allowed[j] || pr->count[j] == 0 ||
                (!pr->pred && (c->next_pin[j] < (int)i ||
                               !compatible(c, (size_t)j, i))))
                continue;
            lo = pr->head[j];
            hi = pr->head[j] + pr->count[j];
        }
        for (size_t li = lo; li < hi; li++) {
            label nl;
            if (j < 0) {
                nl.pred = -1;
                nl.stay = days;
                nl.cnt = inc;
                nl.qmask = pr->zmask[p];
                nl.cmask = pr->need[p];
                nl.value = step_value(c, pr, d, i, 0);
            } else {
                const label *pl = &pr->lab[li];
                if (pl->dead)
                    continue;
                nl.pred = (int32_t)li;
                nl.stay = pl->stay + days;
                nl.cnt = pl->cnt + inc;
                nl.qmask = pl->qmask | pr->zmask[p];
                nl.cmask = pl->cmask | pr->need[p];
                nl.value = pl->value + step_value(c, pr, d, i, pl->qmask);
            }
            nl.dead = false;
            if ((c->staycap >= 0 && nl.stay > c->staycap) ||
                (c->maxp > 0 && nl.cnt > c->maxp))
                continue;
            /* no completion can beat the best itinerary found */
            if (b->have && nl.value + pr->suffix[i] + b->sc + b->pbest <= b->best + 1e-12)
                continue;
            if ((error = add_label(b, i, &nl)) < 0)
                return error;
        }
    }
    /* drop the dominated labels of position i (they are the last ones) */
    {
        size_t keep = pr->head[i];
        for (size_t k = pr->head[i]; k < pr->nlab; k++)
            if (!pr->lab[k].dead) {
                pr->lab[keep] = pr->lab[k];
                b->lab_pos[keep] = b->lab_pos[k];
                keep++;
            }
        pr->nlab = keep;
        pr->count[i] = keep - pr->head[i];
    }
    return 0;
}

/* Complete the chains ending at position i; a better one is recorded in out now, as
   the labels are reused by the next choice. */
static int complete_chains(best_search *b, size_t i)
{
    clb_pricing *pr = b->pr;
    const wctx *c = &b->c;
    clb_itin *out = b->out;
    int error;

    for (size_t k = pr->head[i]; k < pr->head[i] + pr->count[i]; k++) {
        const label *l = &pr->lab[k];
        double pv;
        int32_t r;
        if (l->dead || l->cmask != b->cm)
            continue;
        if (!programme_after(c, b->d, i, &pv, &r))
            continue;
        double total = l->value + b->sc + pv;
        if (b->have && !(total > b->best + 1e-12))
            continue;
        b->have = true;
        b->best = total;
        /* record the itinerary now: labels are reused by the next choice */
        out->n = 0;
        out->value = total;
        for (int32_t t = (int32_t)k; t >= 0; t = pr->lab[t].pred)
            if ((error = clb__itin_push(out, (int32_t)c->ord[b->lab_pos[t]])) < 0)
                return error;
        for (size_t z = 0; z < c->nz; z++)
            if ((l->qmask >> z) & 1 && (error = clb__itin_push(out, c->zc[z])) < 0)
                return error;
        for (size_t ci = 0; ci < c->nc; ci++)
            if (b->cur[ci] >= 0 &&
                (error = clb__itin_push(out, c->ac[pr->opts[b->cur[ci]]])) < 0)
                return error;
        if (r >= 0 && (error = clb__itin_push(out, c->rc[r])) < 0)
            return error;
    }
    return 0;
}

/* The DP of the current session choice over the positions in date order. */
static int search_choice(best_search *b)
{
    clb_pricing *pr = b->pr;
    int error;

    pr->nlab = 0;
    for (size_t i = 0; i < b->c.n; i++) {
        pr->head[i] = pr->nlab;
        pr->count[i] = 0;
        if (!pr->allowed[i])
            continue;
        if ((error = extend_labels(b, i)) < 0)
            return error;
        /* complete chains ending here */
        if (b->c.last_pin > (int)i)
            continue;
        if ((error = complete_chains(b, i)) < 0)
            return error;
    }
    return 0;
}

/* The next session choice (an odometer over the courses' options); false after the
   last. */
static bool next_choice(best_search *b)
{
    const clb_pricing *pr = b->pr;
    int32_t *cur = b->cur;
    size_t ci = 0;
    for (; ci < b->c.nc; ci++) {
        size_t no = pr->ofirst[ci + 1] - pr->ofirst[ci];
        if (cur[ci] < 0 && no > 0) {
            cur[ci] = (int32_t)pr->ofirst[ci];
            break;
        }
        if (cur[ci] >= 0 && (size_t)cur[ci] + 1 < pr->ofirst[ci + 1]) {
            cur[ci]++;
            break;
        }
        cur[ci] = -1;
    }
    return ci != b->c.nc;
}

int clb__pricing_best(clb_pricing *pr, uint32_t w, const double *d, clb_itin *out,
                     bool *found)
{
    best_search b;
    int *np_buf = clb__malloc((pr->m->pairs->first[w + 1] - pr->m->pairs->first[w] + 1) *
                         sizeof(int));
    int error = 0;

    *found = false;
    out->n = 0;
    out->worker = w;
    if (!np_buf)
        return CLB_ENOMEM;
    b.pr = pr;
    b.d = d;
    b.out = out;
    b.lab_pos = NULL;
    b.lab_pos_cap = 0;
    b.best = 0;
    b.have = false;
    setup(&b.c, pr, w, np_buf);
    if (b.c.n == 0) {
        clb__free(np_buf);
        return 0;
    }
    if (session_options(&b) == 1) {
        clb__free(np_buf);
        return 1;
    }
    search_bounds(&b);
    for (size_t ci = 0; ci < b.c.nc; ci++)
        b.cur[ci] = -1; /* index into opts, -1 = none */
    do {
        if (choice_allowed(&b) && (error = search_choice(&b)) < 0)
            goto done;
    } while (next_choice(&b));
    if (b.have) {
        qsort(out->cols, out->n, sizeof(int32_t), cmp_int32);
        *found = true;
    }
done:
    clb__free(np_buf);
    clb__free(b.lab_pos);
    return error;
}

/* ---- another workspace ------------------------------------------------------------ */

int clb__pricing_workspace(clb_pricing **out, const clb_pricing *pr)
{
    clb_pricing *w = clb__calloc(1, sizeof(*w));

    *out = NULL;
    if (!w)
        return CLB_ENOMEM;
    /* the tables, shared; the scratch, its own */
    w->s = pr->s;
    w->m = pr->m;
    w->pinned = pr->pinned;
    w->ord = pr->ord;
    w->zmask = pr->zmask;
    w->need = pr->need;
    w->zfirst = pr->zfirst, w->afirst = pr->afirst, w->rfirst = pr->rfirst;
    w->zcols = pr->zcols, w->acols = pr->acols, w->rcols = pr->rcols;
    w->acourse = pr->acourse;
    w->cfirst = pr->cfirst;
    w->courses = pr->courses;
    w->workspace = true;
    if (alloc_scratch(w, pr->scratch_n, pr->scratch_na) < 0) {
        clb__pricing_free(w);
        return CLB_ENOMEM;
    }
    *out = w;
    return 0;
}

/* ---- enumeration ------------------------------------------------------------------- */

typedef struct enum_ctx {
    wctx c;
    clb_pricing *pr;
    const double *d;
    double threshold;
    clb_itin_cb cb;
    void *payload;
    clb_itin it;
    double best_a[64];  /* best session value per course */
    double free_a;      /* sum of positive best_a (courses a completion may add) */
    double best_r;      /* bound on the programme term */
    bool r_possible;
    uint32_t w;
    size_t depth;
} enum_ctx;

/* session choices for the chain pr->chain[0..depth), then programmes */
static int emit_sessions(enum_ctx *e, size_t ci, uint64_t needed, double value,
                         double rest_bound, int32_t *sel)
{
    wctx *c = &e->c;
    if (ci == c->nc) {
        /* programme choices */
        size_t last = e->pr->chain[e->depth - 1];
        const clb_vacancy_rec *v = vac_at(c, last);
        int error;
        size_t base = 0;
        /* the columns: placements, quotas, sessions */
        e->it.n = 0;
        uint64_t qm = 0;
        for (size_t k = 0; k < e->depth; k++) {
            uint32_t p = c->ord[e->pr->chain[k]];
            qm |= e->pr->zmask[p];
            if ((error = clb__itin_push(&e->it, (int32_t)p)) < 0)
                return error;
        }
        for (size_t z = 0; z < c->nz; z++)
            if ((qm >> z) & 1 && (error = clb__itin_push(&e->it, c->zc[z])) < 0)
                return error;
        for (size_t k = 0; k < c->nc; k++)
            if (sel[k] >= 0 && (error = clb__itin_push(&e->it, c->ac[sel[k]])) < 0)
                return error;
        base = e->it.n;
        if (c->reint != CLB_REINT_REQUIRED && value >= e->threshold) {
            e->it.value = value;
            clb_itin copy = e->it;
            copy.cols = e->pr->tmpcols;
            memcpy(copy.cols, e->it.cols, e->it.n * sizeof(int32_t));
            qsort(copy.cols, copy.n, sizeof(int32_t), cmp_int32);
            if ((error = e->cb(&copy, e->payload)) != 0)
                return error;
        }
        if (c->reint == CLB_REINT_NONE)
            return 0;
        for (size_t k = 0; k < c->nr; k++) {
            const clb_programme_rec *pg = &c->s->programmes[c->m->col_b[c->rc[k]]];
            if (!(v->end < pg->start && pg->start <= v->end + c->window))
                continue;
            double tv = value + e->d[c->rc[k]];
            if (tv < e->threshold)
                continue;
            e->it.n = base;
            if ((error = clb__itin_push(&e->it, c->rc[k])) < 0)
                return error;
            e->it.value = tv;
            clb_itin copy = e->it;
            copy.cols = e->pr->tmpcols;
            memcpy(copy.cols, e->it.cols, e->it.n * sizeof(int32_t));
            qsort(copy.cols, copy.n, sizeof(int32_t), cmp_int32);
            if ((error = e->cb(&copy, e->payload)) != 0)
                return error;
        }
        return 0;
    }
    if (!((needed >> ci) & 1)) {
        sel[ci] = -1;
        return emit_sessions(e, ci + 1, needed, value, rest_bound, sel);
    }
    /* earliest needing start */
    clb_date earliest = CLB_DATE_NONE;
    for (size_t k = 0; k < e->depth; k++) {
        size_t pos = e->pr->chain[k];
        if ((e->pr->need[c->ord[pos]] >> ci) & 1) {
            clb_date st = vac_at(c, pos)->start;
            if (earliest == CLB_DATE_NONE || st < earliest)
                earliest = st;
        }
    }
    double rest = rest_bound - e->best_a[ci];
    for (size_t a = 0; a < c->na; a++) {
        if ((size_t)c->acourse[a] != ci)
            continue;
        const clb_session_rec *k = &c->s->sessions[c->m->col_b[c->ac[a]]];
        if (!(k->end + c->lead < earliest))
            continue;
        bool ov = false;
        for (size_t t = 0; t < e->depth && !ov; t++)
            ov = overlaps(k, vac_at(c, e->pr->chain[t]));
        if (ov)
            continue;
        double nv = value + e->d[c->ac[a]];
        if (nv + rest + e->best_r < e->threshold - 1e-9)
            continue;
        sel[ci] = (int32_t)a;
        int error = emit_sessions(e, ci + 1, needed, nv, rest, sel);
        if (error)
            return error;
    }
    sel[ci] = -1;
    return 0;
}

static int dfs(enum_ctx *e, size_t last, double value, int stay, int cnt, uint64_t qm,
               uint64_t needed)
{
    wctx *c = &e->c;
    clb_pricing *pr = e->pr;
    int error;
    double sess_bound = 0;
    for (size_t ci = 0; ci < c->nc; ci++)
        sess_bound += ((needed >> ci) & 1) ? e->best_a[ci]
                                          : (e->best_a[ci] > 0 ? e->best_a[ci] : 0);
    /* emit this chain */
    if (c->last_pin <= (int)last) {
        int32_t sel[64];
        double need_bound = 0;
        for (size_t ci = 0; ci < c->nc; ci++)
            if ((needed >> ci) & 1)
                need_bound += e->best_a[ci];
        if (value + need_bound + e->best_r >= e->threshold - 1e-9 &&
            (error = emit_sessions(e, 0, needed, value, need_bound, sel)) != 0)
            return error;
    }
    if (value + sess_bound + pr->suffix[last] + e->best_r < e->threshold - 1e-9)
        return 0;
    for (size_t i = last + 1; i < c->n; i++) {
        if (!pr->pin_ok[i] || c->next_pin[last] < (int)i || !compatible(c, last, i))
            continue;
        int days = c->staycap >= 0 ? clb_vacancy_days(vac_at(c, i)) : 0;
        int inc = c->maxp > 0 ? 1 : 0;
        if ((c->staycap >= 0 && stay + days > c->staycap) || (c->maxp > 0 && cnt + inc > c->maxp))
            continue;
        uint32_t p = c->ord[i];
        pr->chain[e->depth++] = (uint32_t)i;
        error = dfs(e, i, value + step_value(c, pr, e->d, i, qm), stay + days, cnt + inc,
                    qm | pr->zmask[p], needed | pr->need[p]);
        e->depth--;
        if (error)
            return error;
    }
    return 0;
}

int clb__pricing_enumerate(clb_pricing *pr, uint32_t w, const double *d, double threshold,
                          clb_itin_cb cb, void *payload)
{
    enum_ctx e;
    int *np_buf = clb__malloc((pr->m->pairs->first[w + 1] - pr->m->pairs->first[w] + 1) *
                         sizeof(int));
    int error = 0;

    if (!np_buf)
        return CLB_ENOMEM;
    memset(&e, 0, sizeof(e));
    setup(&e.c, pr, w, np_buf);
    e.pr = pr;
    e.d = d;
    e.threshold = threshold;
    e.cb = cb;
    e.payload = payload;
    e.w = w;
    e.it.worker = w;
    wctx *c = &e.c;
    if (c->n == 0)
        goto done;
    for (size_t ci = 0; ci < c->nc; ci++)
        e.best_a[ci] = -CLB_INF;
    for (size_t a = 0; a < c->na; a++)
        if (d[c->ac[a]] > e.best_a[c->acourse[a]])
            e.best_a[c->acourse[a]] = d[c->ac[a]];
    for (size_t ci = 0; ci < c->nc; ci++)
        if (e.best_a[ci] <= -CLB_INF)
            e.best_a[ci] = -1e30; /* a course no session serves: such chains never complete */
    e.best_r = 0;
    if (c->reint != CLB_REINT_NONE) {
        bool any = c->reint != CLB_REINT_REQUIRED;
        for (size_t k = 0; k < c->nr; k++)
            if (!any || d[c->rc[k]] > e.best_r) {
                e.best_r = d[c->rc[k]];
                any = true;
            }
        if (!any)
            goto done; /* required and no programme: no itinerary */
    }
    /* suffix bounds: best positive completion after each position */
    for (size_t i = c->n; i-- > 0;) {
        double b = 0;
        for (size_t j = i + 1; j < c->n; j++) {
            if (!pr->pin_ok[j] || !compatible(c, i, j))
                continue;
            uint32_t p = c->ord[j];
            double g = d[p];
            uint64_t zm = pr->zmask[p];
            while (zm) {
                int k = __builtin_ctzll(zm);
                zm &= zm - 1;
                if (d[c->zc[k]] > 0)
                    g += d[c->zc[k]];
            }
            if (g + pr->suffix[j] > b)
                b = g + pr->suffix[j];
        }
        pr->suffix[i] = b;
    }
    for (size_t i = 0; i < c->n; i++) {
        if (!pr->pin_ok[i] || (c->first_pin >= 0 && c->first_pin < (int)i))
            continue;
        int days = c->staycap >= 0 ? clb_vacancy_days(vac_at(c, i)) : 0;
        int inc = c->maxp > 0 ? 1 : 0;
        uint32_t p = c->ord[i];
        if (c->staycap >= 0 && days > c->staycap)
            continue;
        pr->chain[0] = (uint32_t)i;
        e.depth = 1;
        error = dfs(&e, i, step_value(c, pr, d, i, 0), days, inc, pr->zmask[p], pr->need[p]);
        if (error)
            break;
    }
done:
    clb__itin_dispose(&e.it);
    clb__free(np_buf);
    return error;
}
