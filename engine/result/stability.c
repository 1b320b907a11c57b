/*
 * stability.c - the blocking pairs of a plan (docs/MODEL.md, "Stability").
 *
 * A pair blocks when the worker strictly prefers the vacancy to its lowest-ranked
 * placement (pref, from rules/eligibility.c) and the vacancy either holds a worker of
 * strictly lower value for it (the §3.7 pair value, clb__placement_value: envy) or
 * has a free place (waste). Whether a hard limit holds the pair is decided by trying
 * the move itself on the plan's counts, not by re-solving: w takes v, giving up any
 * set of its placements that it ranks strictly below v and that are not pinned; for
 * envy the lowest-value holder of v that w outranks and that is not pinned leaves
 * (and, when v also has a free place, w may simply take it). Everyone else keeps
 * their placements, sessions and programme; w chooses its sessions and programme
 * again, and the leaving holder frees the seats its other placements no longer need.
 * The pair is held when no such move keeps every hard limit of docs/MODEL.md
 * §3.3-3.6; the limits named are those the move breaks when w gives up every
 * placement it may (the move that frees the most).
 *
 * Every count the checks need (fills, quota counts, beds per day, seats) is built
 * once from the plan, so a pair costs its worker's placements, the vacancy's days
 * and the quotas, never a pass over the whole plan.
 */
#include "circulab/stability.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result/plan.h"
#include "rules/eligibility.h"
#include "util/alloc.h"

/* Subsets of the droppable placements tried one by one up to this many; beyond it,
   only giving up none or all of them. */
#define MAX_DROP_ENUM 10

static const char *const hold_names[CLB_HOLD_COUNT] = {
    "overlap", "stay", "max_placements", "hold_named", "quota",
    "beds", "training_seats", "reintegration", "pin"};

const char *clb_blocking_type_name(clb_blocking_type type)
{
    return type == CLB_BLOCKING_ENVY ? "envy" : "waste";
}

const char *clb_hold_name(unsigned bit)
{
    for (unsigned i = 0; i < CLB_HOLD_COUNT; i++)
        if (bit == (1u << i))
            return hold_names[i];
    return "";
}

/* ---- the plan, indexed ------------------------------------------------------------ */

typedef struct ctx {
    const clb_scenario *s;
    const clb_plan *p;
    uint32_t *wfirst, *wvac;   /* placements by worker (vacancy indices) */
    uint32_t *vfirst, *vwork;  /* holders by vacancy (worker indices) */
    uint32_t *tfirst, *tses;   /* sessions by worker */
    int32_t *enrol;            /* programme of each worker, -1 */
    int *filled, *unnamed;     /* per vacancy */
    long *q_count;             /* per quota */
    int *ses_load, *prog_load;
    clb_date d0;               /* first day of the bed counts */
    long ndays;
    int *occ;                  /* beds taken: site * ndays + day; NULL rows unused */
} ctx;

static void ctx_dispose(ctx *c)
{
    clb__free(c->wfirst);
    clb__free(c->wvac);
    clb__free(c->vfirst);
    clb__free(c->vwork);
    clb__free(c->tfirst);
    clb__free(c->tses);
    clb__free(c->enrol);
    clb__free(c->filled);
    clb__free(c->unnamed);
    clb__free(c->q_count);
    clb__free(c->ses_load);
    clb__free(c->prog_load);
    clb__free(c->occ);
}

/* Items grouped by a key (compressed rows): first[k] .. first[k+1] index `out`. */
static int group(uint32_t **first, uint32_t **out, size_t nkeys, const clb_plan_item *items,
                 size_t n, bool by_other)
{
    *first = clb__calloc(nkeys + 2, sizeof(uint32_t));
    *out = clb__malloc((n + 1) * sizeof(uint32_t));
    if (!*first || !*out)
        return CLB_ENOMEM;
    for (size_t i = 0; i < n; i++)
        (*first)[(by_other ? items[i].other : items[i].worker) + 1]++;
    for (size_t k = 0; k < nkeys; k++)
        (*first)[k + 1] += (*first)[k];
    {
        uint32_t *pos = clb__malloc((nkeys + 1) * sizeof(uint32_t));
        if (!pos)
            return CLB_ENOMEM;
        memcpy(pos, *first, nkeys * sizeof(uint32_t));
        for (size_t i = 0; i < n; i++) {
            uint32_t k = by_other ? items[i].other : items[i].worker;
            (*out)[pos[k]++] = by_other ? items[i].worker : items[i].other;
        }
        clb__free(pos);
    }
    return 0;
}

static bool worker_matches_quota(const ctx *c, const clb_quota_rec *q, uint32_t w,
                                 int32_t except)
{
    for (uint32_t i = c->wfirst[w]; i < c->wfirst[w + 1]; i++)
        if ((int32_t)c->wvac[i] != except && clb__quota_matches(c->s, q, w, c->wvac[i]))
            return true;
    return false;
}

static int ctx_init(ctx *c, const clb_scenario *s, const clb_plan *p)
{
    clb_date lo = 0, hi = -1;

    memset(c, 0, sizeof(*c));
    c->s = s;
    c->p = p;
    if (group(&c->wfirst, &c->wvac, s->n_workers, p->placements, p->n_placements, false) < 0 ||
        group(&c->vfirst, &c->vwork, s->n_vacancies, p->placements, p->n_placements, true) < 0 ||
        group(&c->tfirst, &c->tses, s->n_workers, p->training, p->n_training, false) < 0)
        return CLB_ENOMEM;
    c->enrol = clb__malloc((s->n_workers + 1) * sizeof(int32_t));
    c->filled = clb__calloc(s->n_vacancies + 1, sizeof(int));
    c->unnamed = clb__calloc(s->n_vacancies + 1, sizeof(int));
    c->q_count = clb__calloc(s->n_quotas + 1, sizeof(long));
    c->ses_load = clb__calloc(s->n_sessions + 1, sizeof(int));
    c->prog_load = clb__calloc(s->n_programmes + 1, sizeof(int));
    if (!c->enrol || !c->filled || !c->unnamed || !c->q_count || !c->ses_load ||
        !c->prog_load)
        return CLB_ENOMEM;
    for (size_t w = 0; w < s->n_workers; w++)
        c->enrol[w] = -1;
    for (size_t i = 0; i < p->n_enrolments; i++) {
        c->enrol[p->enrolments[i].worker] = (int32_t)p->enrolments[i].other;
        c->prog_load[p->enrolments[i].other]++;
    }
    for (size_t i = 0; i < p->n_training; i++)
        c->ses_load[p->training[i].other]++;
    for (size_t i = 0; i < p->n_placements; i++) {
        uint32_t w = p->placements[i].worker, v = p->placements[i].other;
        c->filled[v]++;
        if (!clb__vacancy_names(&s->vacancies[v], w))
            c->unnamed[v]++;
    }
    for (size_t q = 0; q < s->n_quotas; q++) {
        const clb_quota_rec *qr = &s->quotas[q];
        if (qr->unit == CLB_UNIT_PLACEMENTS) {
            for (size_t i = 0; i < p->n_placements; i++)
                if (clb__quota_matches(s, qr, p->placements[i].worker, p->placements[i].other))
                    c->q_count[q]++;
        } else {
            for (uint32_t w = 0; w < s->n_workers; w++)
                if (worker_matches_quota(c, qr, w, -1))
                    c->q_count[q]++;
        }
    }
    /* beds taken per day, over the days of every vacancy, at sites with beds */
    for (size_t v = 0; v < s->n_vacancies; v++) {
        if (hi < lo || s->vacancies[v].start < lo)
            lo = s->vacancies[v].start;
        if (s->vacancies[v].end > hi)
            hi = s->vacancies[v].end;
    }
    c->d0 = lo;
    c->ndays = hi >= lo ? (long)(hi - lo + 1) : 0;
    c->occ = clb__calloc(s->n_sites * (size_t)c->ndays + 1, sizeof(int));
    if (!c->occ)
        return CLB_ENOMEM;
    for (size_t i = 0; i < p->n_placements; i++) {
        const clb_vacancy_rec *v = &s->vacancies[p->placements[i].other];
        if (s->sites[v->site].beds < 0)
            continue;
        for (clb_date d = v->start; d <= v->end; d++)
            c->occ[v->site * (size_t)c->ndays + (size_t)(d - c->d0)]++;
    }
    return 0;
}

/* Is (w, v) pinned, by a pin or by a confirmed `previous` entry still eligible? */
static bool is_pinned(const clb_scenario *s, uint32_t w, uint32_t v)
{
    for (size_t i = 0; i < s->n_pins; i++)
        if (s->pins[i].worker == w && s->pins[i].vacancy == v)
            return true;
    for (size_t i = 0; i < s->n_previous; i++)
        if (s->previous[i].status == CLB_PREV_CONFIRMED && s->previous[i].worker == w &&
            s->previous[i].vacancy == v && clb__eligibility_check(s, w, v) == 0)
            return true;
    return false;
}

/* ---- one move ---------------------------------------------------------------------- */

typedef struct move {
    uint32_t w, v;
    const uint32_t *keep; /* w's placements it keeps (besides v) */
    size_t n_keep;
    const uint32_t *drop; /* w's placements it gives up */
    size_t n_drop;
    int32_t x;            /* the holder of v who leaves, or -1 */
} move;

static bool apart(const clb_policy *p, const clb_vacancy_rec *a, const clb_vacancy_rec *b)
{
    return b->start >= a->end + 1 + p->min_gap_days || a->start >= b->end + 1 + p->min_gap_days;
}

static bool in_list(const uint32_t *v, size_t n, uint32_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return true;
    return false;
}

/* Does worker x attend session k? */
static bool attends(const ctx *c, uint32_t x, uint32_t k)
{
    for (uint32_t i = c->tfirst[x]; i < c->tfirst[x + 1]; i++)
        if (c->tses[i] == k)
            return true;
    return false;
}

static bool needs_course(const clb_scenario *s, uint32_t w, uint32_t v, int32_t course)
{
    const clb_worker_rec *wr = &s->workers[w];
    const clb_vacancy_rec *vr = &s->vacancies[v];
    return clb__sorted_contains(vr->req_trainings.v, vr->req_trainings.n, course) &&
           !clb__sorted_contains(wr->trainings.v, wr->trainings.n, course);
}

/* The leaving holder x frees session k: x attends it and none of x's placements other
   than v needs its course. */
static bool frees_session(const ctx *c, const move *m, uint32_t k)
{
    uint32_t x;
    if (m->x < 0)
        return false;
    x = (uint32_t)m->x;
    if (!attends(c, x, k))
        return false;
    for (uint32_t i = c->wfirst[x]; i < c->wfirst[x + 1]; i++)
        if (c->wvac[i] != m->v && needs_course(c->s, x, c->wvac[i], c->s->sessions[k].course))
            return false;
    return true;
}

/* The placements of w after the move, into `out` (v last); returns the count. */
static size_t after_move(uint32_t *out, const move *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_keep; i++)
        out[n++] = m->keep[i];
    out[n++] = m->v;
    return n;
}

/* One more sentence of the message, when there is one to write. */
#define SAY(msg, ...)                                                                 \
    do {                                                                              \
        if (msg) {                                                                    \
            if ((msg)->size)                                                          \
                clb__buf_puts((msg), "; ");                                           \
            clb__buf_printf((msg), __VA_ARGS__);                                      \
        }                                                                             \
    } while (0)

/* Training: one seat in time per course the new placements need. */
static unsigned check_training(const ctx *c, const move *m, const uint32_t *r, size_t nr,
                               clb_buf *msg)
{
    const clb_scenario *s = c->s;
    const clb_worker_rec *w = &s->workers[m->w];
    unsigned broken = 0;

    for (size_t a = 0; a < nr; a++) {
        const clb_vacancy_rec *va = &s->vacancies[r[a]];
        for (uint32_t t = 0; t < va->req_trainings.n; t++) {
            int32_t course = va->req_trainings.v[t];
            clb_date first = va->start;
            bool seen = false, seat = false;
            if (!needs_course(s, m->w, r[a], course))
                continue;
            for (size_t b = 0; b < nr; b++)
                if (needs_course(s, m->w, r[b], course)) {
                    if (b < a)
                        seen = true; /* checked with placement b */
                    if (s->vacancies[r[b]].start < first)
                        first = s->vacancies[r[b]].start;
                }
            if (seen)
                continue;
            for (size_t k = 0; k < s->n_sessions && !seat; k++) {
                const clb_session_rec *ses = &s->sessions[k];
                int load;
                bool overlap = false;
                if (ses->course != course || !clb__session_is_open_to(ses, w) ||
                    !clb__session_in_time(&s->policy, ses->end, first))
                    continue;
                for (size_t b = 0; b < nr && !overlap; b++)
                    overlap = ses->start <= s->vacancies[r[b]].end &&
                              s->vacancies[r[b]].start <= ses->end;
                if (overlap)
                    continue;
                load = c->ses_load[k] - (attends(c, m->w, (uint32_t)k) ? 1 : 0) -
                       (frees_session(c, m, (uint32_t)k) ? 1 : 0);
                seat = load < ses->capacity;
            }
            if (!seat) {
                broken |= CLB_HOLD_TRAINING;
                SAY(msg, "no seat in a session of %s in time for %s", clb_sym(s, course),
                    w->id);
            }
        }
    }
    return broken;
}

/* Is programme r open to worker w within the window after `last_end`? */
static bool programme_fits(const clb_scenario *s, uint32_t r, uint32_t w, clb_date last_end)
{
    const clb_programme_rec *pr = &s->programmes[r];
    return clb__programme_is_open_to(pr, &s->workers[w]) && last_end < pr->start &&
           pr->start <= last_end + s->policy.reintegration_window_days;
}

/* Required reintegration: w (and the leaving holder, if its enrolment no longer fits
   its remaining placements) each find a programme seat. */
static unsigned check_reintegration(const ctx *c, const move *m, const uint32_t *r,
                                    size_t nr, clb_buf *msg)
{
    const clb_scenario *s = c->s;
    clb_date w_end = 0, x_end = 0;
    bool x_needs = false, x_frees = false;
    uint32_t x = 0;

    if (s->policy.reintegration != CLB_REINT_REQUIRED)
        return 0;
    for (size_t i = 0; i < nr; i++)
        if (i == 0 || s->vacancies[r[i]].end > w_end)
            w_end = s->vacancies[r[i]].end;
    if (m->x >= 0) {
        bool any = false;
        x = (uint32_t)m->x;
        for (uint32_t i = c->wfirst[x]; i < c->wfirst[x + 1]; i++)
            if (c->wvac[i] != m->v && (!any || s->vacancies[c->wvac[i]].end > x_end)) {
                x_end = s->vacancies[c->wvac[i]].end;
                any = true;
            }
        if (c->enrol[x] >= 0) {
            if (!any)
                x_frees = true;
            else if (!programme_fits(s, (uint32_t)c->enrol[x], x, x_end))
                x_needs = x_frees = true;
        } else if (any) {
            x_needs = true; /* cannot be in a feasible plan; checked all the same */
        }
    }
    for (size_t a = 0; a < s->n_programmes; a++) {
        int base_a;
        if (!programme_fits(s, (uint32_t)a, m->w, w_end))
            continue;
        base_a = c->prog_load[a] - (c->enrol[m->w] == (int32_t)a ? 1 : 0) -
                 (x_frees && c->enrol[x] == (int32_t)a ? 1 : 0);
        if (base_a + 1 > s->programmes[a].capacity)
            continue;
        if (!x_needs)
            return 0;
        for (size_t b = 0; b < s->n_programmes; b++) {
            int base_b;
            if (!programme_fits(s, (uint32_t)b, x, x_end))
                continue;
            base_b = c->prog_load[b] - (c->enrol[m->w] == (int32_t)b ? 1 : 0) -
                     (c->enrol[x] == (int32_t)b ? 1 : 0);
            if (a == b ? base_b + 2 <= s->programmes[b].capacity
                       : base_b + 1 <= s->programmes[b].capacity)
                return 0;
        }
    }
    SAY(msg, "reintegration is required and no programme seat fits %s",
        x_needs ? "both the worker and the holder who leaves" : s->workers[m->w].id);
    return CLB_HOLD_REINTEGRATION;
}

/* The limits the move breaks (0: it keeps every hard limit), in words into msg. */
static unsigned check_move(const ctx *c, const move *m, clb_buf *msg)
{
    const clb_scenario *s = c->s;
    const clb_policy *pol = &s->policy;
    const clb_worker_rec *w = &s->workers[m->w];
    const clb_vacancy_rec *v = &s->vacancies[m->v];
    const clb_site_rec *site = &s->sites[v->site];
    uint32_t local[64];
    uint32_t *r = m->n_keep + 2 <= 64 ? local : clb__malloc((m->n_keep + 2) * sizeof(uint32_t));
    size_t nr;
    unsigned broken = 0;
    long days = w->days_abroad;

    if (!r)
        return CLB_HOLD_OVERLAP; /* out of memory with 63 placements kept: call it held */
    nr = after_move(r, m);
    /* the worker's own placements */
    for (size_t i = 0; i < m->n_keep; i++) {
        const clb_vacancy_rec *u = &s->vacancies[m->keep[i]];
        if (!apart(pol, u, v)) {
            broken |= CLB_HOLD_OVERLAP;
            SAY(msg, "%s keeps %s, which overlaps %s or leaves less than min_gap_days",
                w->id, u->id, v->id);
        }
    }
    for (size_t i = 0; i < nr; i++)
        days += clb_vacancy_days(&s->vacancies[r[i]]);
    if (days > pol->max_stay_days) {
        broken |= CLB_HOLD_STAY;
        SAY(msg, "%ld days abroad would exceed max_stay_days %d", days, pol->max_stay_days);
    }
    if (pol->max_placements > 0 && nr > (size_t)pol->max_placements) {
        broken |= CLB_HOLD_MAX_PLACEMENTS;
        SAY(msg, "%zu placements would exceed max_placements %d", nr, pol->max_placements);
    }
    /* the vacancy's places held for named workers */
    if (v->hold_named && !clb__vacancy_names(v, m->w)) {
        int room = v->headcount - (int)v->n_named;
        int used = c->unnamed[m->v] -
                   (m->x >= 0 && !clb__vacancy_names(v, (uint32_t)m->x) ? 1 : 0);
        if (used + 1 > (room > 0 ? room : 0)) {
            broken |= CLB_HOLD_NAMED;
            SAY(msg, "the free places of %s are held for its named workers", v->id);
        }
    }
    /* quotas at their max */
    for (size_t q = 0; q < s->n_quotas; q++) {
        const clb_quota_rec *qr = &s->quotas[q];
        long count = c->q_count[q];
        if (qr->max < 0)
            continue;
        if (qr->unit == CLB_UNIT_PLACEMENTS) {
            count += clb__quota_matches(s, qr, m->w, m->v);
            for (size_t i = 0; i < m->n_drop; i++)
                count -= clb__quota_matches(s, qr, m->w, m->drop[i]);
            if (m->x >= 0)
                count -= clb__quota_matches(s, qr, (uint32_t)m->x, m->v);
        } else {
            bool after = false;
            for (size_t i = 0; i < nr && !after; i++)
                after = clb__quota_matches(s, qr, m->w, r[i]);
            count += (long)after - (long)worker_matches_quota(c, qr, m->w, -1);
            if (m->x >= 0)
                count += (long)worker_matches_quota(c, qr, (uint32_t)m->x, (int32_t)m->v) -
                         (long)worker_matches_quota(c, qr, (uint32_t)m->x, -1);
        }
        if (count > qr->max) {
            broken |= CLB_HOLD_QUOTA;
            SAY(msg, "quota %s is at its max %ld", qr->id, qr->max);
        }
    }
    /* beds */
    if (site->beds >= 0) {
        for (clb_date d = v->start; d <= v->end; d++) {
            int n = c->occ[v->site * (size_t)c->ndays + (size_t)(d - c->d0)] + 1 -
                    (m->x >= 0 ? 1 : 0);
            for (size_t i = 0; i < m->n_drop; i++) {
                const clb_vacancy_rec *u = &s->vacancies[m->drop[i]];
                if (u->site == v->site && u->start <= d && d <= u->end)
                    n--;
            }
            if (n > site->beds) {
                broken |= CLB_HOLD_BEDS;
                SAY(msg, "site %s has no bed free on some day of %s", site->id, v->id);
                break;
            }
        }
    }
    broken |= check_training(c, m, r, nr, msg);
    broken |= check_reintegration(c, m, r, nr, msg);
    if (r != local)
        clb__free(r);
    return broken;
}

/* ---- the report ----------------------------------------------------------------------- */

struct clb_stability {
    clb_arena arena;
    clb_stability_info info;
    clb_blocking_pair *pairs;
    size_t cap;
    int oom;
};

static const char *keep_str(clb_stability *st, const char *s)
{
    char *copy = clb__arena_strdup(&st->arena, s ? s : "");
    if (!copy)
        st->oom = CLB_ENOMEM;
    return copy ? copy : "";
}

static clb_blocking_pair *push_pair(clb_stability *st)
{
    if (st->info.n_pairs == st->cap) {
        size_t cap = st->cap ? 2 * st->cap : 16;
        clb_blocking_pair *p = clb__realloc(st->pairs, cap * sizeof(*p));
        if (!p) {
            st->oom = CLB_ENOMEM;
            return NULL;
        }
        st->pairs = p;
        st->cap = cap;
    }
    memset(&st->pairs[st->info.n_pairs], 0, sizeof(st->pairs[0]));
    return &st->pairs[st->info.n_pairs++];
}

/* Is the move feasible for some set of the droppable placements given up? */
static int try_drops(bool *feasible, const ctx *c, move *m, const uint32_t *mine, size_t n_mine,
                     const bool *droppable)
{
    size_t nd = 0;
    uint32_t *keep = clb__malloc((n_mine + 1) * sizeof(uint32_t));
    uint32_t *drop = clb__malloc((n_mine + 1) * sizeof(uint32_t));
    size_t *idx = clb__malloc((n_mine + 1) * sizeof(size_t));

    *feasible = false;
    if (!keep || !drop || !idx) {
        clb__free(keep);
        clb__free(drop);
        clb__free(idx);
        return CLB_ENOMEM;
    }
    for (size_t i = 0; i < n_mine; i++)
        if (droppable[i])
            idx[nd++] = i;
    {
        unsigned long total = nd <= MAX_DROP_ENUM ? 1ul << nd : 2;
        for (unsigned long mask = 0; mask < total && !*feasible; mask++) {
            size_t nk = 0, ndr = 0, j = 0;
            for (size_t i = 0; i < n_mine; i++) {
                bool out = false;
                if (j < nd && idx[j] == i) {
                    /* beyond MAX_DROP_ENUM: mask 0 gives up none, mask 1 all */
                    out = nd <= MAX_DROP_ENUM ? ((mask >> j) & 1ul) != 0 : mask != 0;
                    j++;
                }
                if (out)
                    drop[ndr++] = mine[i];
                else
                    keep[nk++] = mine[i];
            }
            m->keep = keep;
            m->n_keep = nk;
            m->drop = drop;
            m->n_drop = ndr;
            *feasible = check_move(c, m, NULL) == 0;
        }
    }
    m->keep = m->drop = NULL;
    clb__free(keep);
    clb__free(drop);
    clb__free(idx);
    return 0;
}

/* The limits of the move that frees the most (every droppable placement given up). */
static unsigned full_drop_limits(const ctx *c, move *m, const uint32_t *mine, size_t n_mine,
                                 const bool *droppable, clb_buf *msg)
{
    uint32_t keep[64], drop[64];
    uint32_t *kp = n_mine <= 64 ? keep : clb__malloc(n_mine * sizeof(uint32_t));
    uint32_t *dp = n_mine <= 64 ? drop : clb__malloc(n_mine * sizeof(uint32_t));
    unsigned lim = 0;
    size_t nk = 0, nd = 0;

    if (kp && dp) {
        for (size_t i = 0; i < n_mine; i++) {
            if (droppable[i])
                dp[nd++] = mine[i];
            else
                kp[nk++] = mine[i];
        }
        m->keep = kp;
        m->n_keep = nk;
        m->drop = dp;
        m->n_drop = nd;
        lim = check_move(c, m, msg);
    }
    if (kp != keep)
        clb__free(kp);
    if (dp != drop)
        clb__free(dp);
    m->keep = m->drop = NULL;
    return lim;
}

/* Append to msg the sentences of `more` ("; "-separated) that it lacks. */
static void merge_sentences(clb_buf *msg, const clb_buf *more)
{
    const char *p = more->ptr;
    while (p && *p) {
        const char *end = strstr(p, "; ");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        bool found = false;
        for (const char *q = msg->size ? msg->ptr : NULL; q && !found;) {
            const char *qe = strstr(q, "; ");
            size_t qn = qe ? (size_t)(qe - q) : strlen(q);
            found = qn == n && strncmp(q, p, n) == 0;
            q = qe ? qe + 2 : NULL;
        }
        if (!found) {
            if (msg->size)
                clb__buf_puts(msg, "; ");
            clb__buf_put(msg, p, n);
        }
        p = end ? end + 2 : NULL;
    }
}

/* Is (w, v) a blocking pair? If so, append it. */
static int consider(clb_stability *st, const ctx *c, uint32_t wi, uint32_t vi)
{
    const clb_scenario *s = c->s;
    const clb_worker_rec *w = &s->workers[wi];
    const clb_vacancy_rec *v = &s->vacancies[vi];
    const uint32_t *mine = c->wvac + c->wfirst[wi];
    size_t n_mine = c->wfirst[wi + 1] - c->wfirst[wi];
    double pref = clb__pref_value(s, w, v), value, lowest_pref = 0;
    int32_t lowest = -1, lower_any = -1, x = -1;
    double x_value = 0;
    int free_places = v->headcount - c->filled[vi];
    bool envy, feasible = false, droppable[64], *drops = droppable;
    clb_blocking_pair *bp;
    clb_buf msg = CLB_BUF_INIT;
    unsigned limits = 0;
    int error = 0;
    move m;

    if (in_list(mine, n_mine, vi))
        return 0;
    for (size_t i = 0; i < n_mine; i++) {
        double pu = clb__pref_value(s, w, &s->vacancies[mine[i]]);
        if (lowest < 0 || pu < lowest_pref ||
            (pu == lowest_pref && strcmp(s->vacancies[mine[i]].id, s->vacancies[lowest].id) < 0)) {
            lowest = (int32_t)mine[i];
            lowest_pref = pu;
        }
    }
    if (lowest >= 0 && !(pref > lowest_pref))
        return 0;
    value = clb__placement_value(s, wi, vi);
    /* holders of v worth less: the lowest-value one not pinned leaves in the move */
    for (uint32_t i = c->vfirst[vi]; i < c->vfirst[vi + 1]; i++) {
        uint32_t h = c->vwork[i];
        double hv = clb__placement_value(s, h, vi);
        if (!clb__value_below(hv, value))
            continue;
        lower_any = (int32_t)h;
        if (is_pinned(s, h, vi))
            continue;
        if (x < 0 || hv < x_value ||
            (hv == x_value && strcmp(s->workers[h].id, s->workers[x].id) < 0)) {
            x = (int32_t)h;
            x_value = hv;
        }
    }
    envy = lower_any >= 0;
    if (!envy && free_places <= 0)
        return 0;
    if (n_mine > 64 && !(drops = clb__malloc(n_mine * sizeof(bool))))
        return CLB_ENOMEM;
    for (size_t i = 0; i < n_mine; i++)
        drops[i] = clb__pref_value(s, w, &s->vacancies[mine[i]]) < pref &&
                   !is_pinned(s, wi, mine[i]);
    memset(&m, 0, sizeof(m));
    m.w = wi;
    m.v = vi;
    /* the moves: take a free place; for envy, displace the holder */
    if (free_places > 0) {
        m.x = -1;
        if ((error = try_drops(&feasible, c, &m, mine, n_mine, drops)) < 0)
            goto done;
    }
    if (!feasible && envy && x >= 0) {
        m.x = x;
        if ((error = try_drops(&feasible, c, &m, mine, n_mine, drops)) < 0)
            goto done;
    }
    if (!feasible) {
        if (free_places > 0) {
            m.x = -1;
            limits |= full_drop_limits(c, &m, mine, n_mine, drops, &msg);
        }
        if (envy && x >= 0) {
            clb_buf more = CLB_BUF_INIT;
            m.x = x;
            limits |= full_drop_limits(c, &m, mine, n_mine, drops, &more);
            merge_sentences(&msg, &more);
            clb_buf_dispose(&more);
        }
        if (envy && x < 0) {
            limits |= CLB_HOLD_PIN;
            if (msg.size)
                clb__buf_puts(&msg, "; ");
            clb__buf_printf(&msg, "every holder of %s worth less than %s is pinned", v->id,
                            w->id);
        }
    }
    if (!(bp = push_pair(st))) {
        error = CLB_ENOMEM;
        goto done;
    }
    bp->worker = keep_str(st, w->id);
    bp->vacancy = keep_str(st, v->id);
    bp->type = envy ? CLB_BLOCKING_ENVY : CLB_BLOCKING_WASTE;
    bp->pref = pref;
    bp->placed = n_mine > 0;
    bp->lowest = lowest >= 0 ? keep_str(st, s->vacancies[lowest].id) : NULL;
    bp->lowest_pref = lowest_pref;
    bp->value = value;
    bp->free_places = free_places;
    bp->displaces = envy && x >= 0 ? keep_str(st, s->workers[x].id) : NULL;
    bp->displaced_value = envy && x >= 0 ? x_value : 0;
    bp->held_by_limit = !feasible;
    bp->limits = feasible ? 0 : limits;
    bp->message = keep_str(st, !feasible && msg.ptr ? msg.ptr : "");
    if (envy) {
        st->info.n_envy++;
        st->info.n_envy_held += !feasible;
    } else {
        st->info.n_waste++;
        st->info.n_waste_held += !feasible;
    }
done:
    clb_buf_dispose(&msg);
    if (drops != droppable)
        clb__free(drops);
    return error;
}

static int cmp_pairs(const void *a, const void *b)
{
    const clb_blocking_pair *x = a, *y = b;
    int c = strcmp(x->worker, y->worker);
    return c ? c : strcmp(x->vacancy, y->vacancy);
}

static int stability_build(clb_stability **out, const clb_scenario *s, const clb_plan *p,
                           clb_error *err)
{
    clb_stability *st = clb__calloc(1, sizeof(*st));
    clb_pairs pairs;
    ctx c;
    int error = 0;

    *out = NULL;
    memset(&pairs, 0, sizeof(pairs));
    memset(&c, 0, sizeof(c));
    if (!st || ctx_init(&c, s, p) < 0) {
        ctx_dispose(&c);
        clb__free(st);
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    }
    clb__arena_init(&st->arena);
    if ((error = clb__pairs_build(&pairs, s, err)) < 0)
        goto done;
    for (uint32_t w = 0; w < s->n_workers && error == 0; w++)
        for (uint32_t i = pairs.first[w]; i < pairs.first[w + 1] && error == 0; i++)
            error = consider(st, &c, w, pairs.vac[i]);
    if (error == 0 && st->oom)
        error = st->oom;
    if (error < 0) {
        clb__error_set(err, error, "out of memory");
        goto done;
    }
    if (st->info.n_pairs)
        qsort(st->pairs, st->info.n_pairs, sizeof(st->pairs[0]), cmp_pairs);
    st->info.pairs = st->pairs;
    *out = st;
    st = NULL;
done:
    clb__pairs_dispose(&pairs);
    ctx_dispose(&c);
    clb_stability_free(st);
    return error;
}

int clb_stability_from_result(clb_stability **out, const clb_scenario *s,
                              const clb_result *r, clb_error *err)
{
    clb_plan p;
    int error;

    *out = NULL;
    if ((error = clb__plan_from_result(&p, s, r, err)) < 0)
        return error;
    error = stability_build(out, s, &p, err);
    clb__plan_dispose(&p);
    return error;
}

int clb_stability_from_document(clb_stability **out, const clb_scenario *s, const char *buf,
                                size_t len, const char *source, clb_error *err)
{
    clb_plan p;
    int error;

    *out = NULL;
    if ((error = clb__plan_from_document(&p, s, buf, len, source, err)) < 0)
        return error;
    error = stability_build(out, s, &p, err);
    clb__plan_dispose(&p);
    return error;
}

const clb_stability_info *clb_stability_get(const clb_stability *st)
{
    return &st->info;
}

void clb_stability_free(clb_stability *st)
{
    if (!st)
        return;
    clb__arena_dispose(&st->arena);
    clb__free(st->pairs);
    clb__free(st);
}
