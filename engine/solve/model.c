/*
 * model.c - builds the integer programme of docs/MODEL.md §3.3-3.7.
 *
 * Design: one binary column per eligible pair, nothing else per pair. A worker's
 * placements conflict when their periods extended by min_gap_days intersect, which
 * makes an interval graph: its maximal cliques sit at start dates, so one "<= 1" row
 * per maximal clique is exact and much tighter than pairwise rows. Vacancy totals go
 * through one count column per vacancy (y), so housing and quotas on vacancy
 * attributes cost one coefficient per vacancy, not per pair. Quotas counting workers
 * link the worker's indicator to each clique of its matching placements, which keeps
 * the relaxation tight.
 */
#include "solve/model.h"
#include "util/alloc.h"

#include <stdlib.h>
#include <string.h>

/* ---- growable storage ---------------------------------------------------------- */

#define GROW(ptr, cap, need)                                                          \
    do {                                                                              \
        if ((need) > (cap)) {                                                         \
            size_t ncap_ = (cap) ? (cap) : 64;                                        \
            while (ncap_ < (need))                                                    \
                ncap_ *= 2;                                                           \
            void *np_ = clb__realloc((ptr), ncap_ * sizeof(*(ptr)));                       \
            if (!np_)                                                                 \
                return CLB_ENOMEM;                                                    \
            (ptr) = np_;                                                              \
            (cap) = ncap_;                                                            \
        }                                                                             \
    } while (0)

static int reserve_cols(clb_model *m, size_t need)
{
    if (need <= m->cols_cap)
        return 0;
    size_t cap = m->cols_cap ? m->cols_cap : 256;
    while (cap < need)
        cap *= 2;
#define RE(f)                                                                         \
    do {                                                                              \
        void *p_ = clb__realloc(m->f, cap * sizeof(*m->f));                                \
        if (!p_)                                                                      \
            return CLB_ENOMEM;                                                        \
        m->f = p_;                                                                    \
    } while (0)
    RE(obj);
    RE(lb);
    RE(ub);
    RE(col_kind);
    RE(is_int);
    RE(col_a);
    RE(col_b);
    m->cols_cap = cap;
    return 0;
}

static int reserve_rows(clb_model *m, size_t need)
{
    if (need <= m->rows_cap)
        return 0;
    size_t cap = m->rows_cap ? m->rows_cap : 256;
    while (cap < need)
        cap *= 2;
    RE(rlo);
    RE(rhi);
    RE(row_kind);
    RE(row_a);
    RE(row_b);
    {
        void *p = clb__realloc(m->row_start, (cap + 1) * sizeof(*m->row_start));
        if (!p)
            return CLB_ENOMEM;
        m->row_start = p;
    }
    m->rows_cap = cap;
    return 0;
#undef RE
}

/* Add a column; returns its index or a negative error. */
static long add_col(clb_model *m, clb_col_kind kind, int32_t a, int32_t b, double obj,
                    double lb, double ub, bool is_int)
{
    if (reserve_cols(m, m->ncols + 1) < 0)
        return CLB_ENOMEM;
    size_t j = m->ncols++;
    m->obj[j] = obj;
    m->lb[j] = lb;
    m->ub[j] = ub;
    m->col_kind[j] = (uint8_t)kind;
    m->is_int[j] = is_int;
    m->col_a[j] = a;
    m->col_b[j] = b;
    return (long)j;
}

bool clb__model_row_kept(const clb_model *m, size_t i, const double *x, double tol)
{
    double a = 0;
    for (size_t e = m->row_start[i]; e < m->row_start[i + 1]; e++)
        a += m->val[e] * x[m->idx[e]];
    return a <= m->rhi[i] + tol && a >= m->rlo[i] - tol;
}

/* A model of linking rows only: the last row, once complete, leaves when it is a
   worker's own (counted; checked against check_x first, and kept when broken). */
static void leave_own_row(clb_model *m)
{
    if (!m->linking_only || m->nrows == 0)
        return;
    size_t i = m->nrows - 1;
    if ((long)i == m->own_broken || !clb__model_row_is_own((clb_row_kind)m->row_kind[i]))
        return;
    if (m->check_x && m->own_broken < 0 && !clb__model_row_kept(m, i, m->check_x, 1e-6)) {
        m->own_broken = (long)i;
        return;
    }
    m->own_rows_out++;
    m->own_nnz_out += m->row_start[i + 1] - m->row_start[i];
    m->nrows = i;
    m->nnz = m->row_start[i];
}

/* Open a row; entries follow with add_entry. */
static int begin_row(clb_model *m, clb_row_kind kind, int32_t a, int32_t b, double lo,
                     double hi)
{
    leave_own_row(m);
    if (reserve_rows(m, m->nrows + 1) < 0)
        return CLB_ENOMEM;
    size_t i = m->nrows++;
    m->rlo[i] = lo;
    m->rhi[i] = hi;
    m->row_kind[i] = (uint8_t)kind;
    m->row_a[i] = a;
    m->row_b[i] = b;
    m->row_start[i] = m->nnz;
    m->row_start[i + 1] = m->nnz;
    return 0;
}

static int add_entry(clb_model *m, size_t col, double v)
{
    if (m->nnz == m->nnz_cap) {
        size_t cap = m->nnz_cap ? m->nnz_cap * 2 : 1024;
        int32_t *idx = clb__realloc(m->idx, cap * sizeof(*idx));
        if (!idx)
            return CLB_ENOMEM;
        m->idx = idx;
        double *val = clb__realloc(m->val, cap * sizeof(*val));
        if (!val)
            return CLB_ENOMEM;
        m->val = val;
        m->nnz_cap = cap;
    }
    m->idx[m->nnz] = (int32_t)col;
    m->val[m->nnz] = v;
    m->nnz++;
    m->row_start[m->nrows] = m->nnz;
    return 0;
}

/* Drop the row just opened (when it turned out empty or redundant). */
static void cancel_row(clb_model *m)
{
    m->nrows--;
    m->nnz = m->row_start[m->nrows];
}

void clb__model_dispose(clb_model *m)
{
    if (!m)
        return;
    clb__free(m->obj);
    clb__free(m->lb);
    clb__free(m->ub);
    clb__free(m->col_kind);
    clb__free(m->is_int);
    clb__free(m->col_a);
    clb__free(m->col_b);
    clb__free(m->rlo);
    clb__free(m->rhi);
    clb__free(m->row_kind);
    clb__free(m->row_a);
    clb__free(m->row_b);
    clb__free(m->row_start);
    clb__free(m->idx);
    clb__free(m->val);
    clb__free(m->pair_worker);
    memset(m, 0, sizeof(*m));
}

/* ---- per-worker structure ------------------------------------------------------ */

/* Scratch space reused across workers. */
typedef struct scratch {
    uint32_t *order;    /* pair indices of the worker, by start date */
    size_t order_cap;
    uint32_t *cl_items; /* maximal cliques, flattened */
    size_t cl_items_cap;
    uint32_t *cl_start; /* clique c is cl_items[cl_start[c] .. cl_start[c+1]) */
    size_t cl_start_cap;
    size_t n_cliques;
    int32_t *cl_date;   /* the start date at which clique c sits */
    size_t cl_date_cap;
    uint32_t *tmp;
    size_t tmp_cap;
    long *tmp_cols;
    size_t tmp_cols_cap;
} scratch;

static void scratch_dispose(scratch *sc)
{
    clb__free(sc->order);
    clb__free(sc->cl_items);
    clb__free(sc->cl_start);
    clb__free(sc->cl_date);
    clb__free(sc->tmp);
    clb__free(sc->tmp_cols);
}

/* Does pair a come before pair b: earlier start, then earlier end, then lower index
   (no ties)? */
static bool starts_before(const clb_scenario *s, const clb_pairs *pairs, uint32_t a,
                          uint32_t b)
{
    const clb_vacancy_rec *va = &s->vacancies[pairs->vac[a]];
    const clb_vacancy_rec *vb = &s->vacancies[pairs->vac[b]];
    if (va->start != vb->start)
        return va->start < vb->start;
    if (va->end != vb->end)
        return va->end < vb->end;
    return a < b;
}

/* Sort a worker's pairs v[0..n) by start date, by insertion: a worker's eligible pairs
   are tens, the clique walk below is quadratic in them anyway, and the scenario is
   passed down rather than kept in a file-level variable for qsort. */
static void sort_by_start(const clb_scenario *s, const clb_pairs *pairs, uint32_t *v,
                          size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t x = v[i];
        size_t j = i;
        while (j > 0 && starts_before(s, pairs, x, v[j - 1])) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

/*
 * Maximal cliques of worker w's placements under the conflict relation: periods
 * [start, end + gap] that intersect. For intervals, the maximal cliques are the sets
 * covering a start date t that are not contained in the set at the next start date.
 */
static int worker_cliques(scratch *sc, const clb_scenario *s, const clb_pairs *pairs,
                          uint32_t w, int gap)
{
    size_t p0 = pairs->first[w], n = pairs->first[w + 1] - p0;
    sc->n_cliques = 0;
    if (n == 0)
        return 0;
    GROW(sc->order, sc->order_cap, n);
    for (size_t i = 0; i < n; i++)
        sc->order[i] = (uint32_t)(p0 + i);
    sort_by_start(s, pairs, sc->order, n);
    GROW(sc->cl_start, sc->cl_start_cap, n + 1);
    GROW(sc->cl_date, sc->cl_date_cap, n + 1);
    size_t items = 0;
    sc->cl_start[0] = 0;
    for (size_t i = 0; i < n; i++) {
        const clb_vacancy_rec *vi = &s->vacancies[pairs->vac[sc->order[i]]];
        clb_date t = vi->start;
        if (i + 1 < n && s->vacancies[pairs->vac[sc->order[i + 1]]].start == t)
            continue; /* the clique sits at the last interval starting on t */
        /* members: intervals starting on or before t that reach t */
        size_t first_item = items;
        clb_date next_start = i + 1 < n ? s->vacancies[pairs->vac[sc->order[i + 1]]].start
                                        : CLB_DATE_NONE;
        bool dominated = next_start != CLB_DATE_NONE;
        for (size_t k = 0; k <= i; k++) {
            const clb_vacancy_rec *vk = &s->vacancies[pairs->vac[sc->order[k]]];
            if ((long)vk->end + gap >= t) {
                GROW(sc->cl_items, sc->cl_items_cap, items + 1);
                sc->cl_items[items++] = sc->order[k];
                if ((long)vk->end + gap < next_start)
                    dominated = false;
            }
        }
        if (dominated) {
            items = first_item;
            continue;
        }
        sc->cl_date[sc->n_cliques] = t;
        sc->cl_start[++sc->n_cliques] = (uint32_t)items;
    }
    return 0;
}

/* ---- the build ------------------------------------------------------------------- */

static bool quota_is_vacancy_only(const clb_quota_rec *q)
{
    return !q->origin_country.present && !q->origin_region.present && !q->sex.present &&
           q->returning < 0;
}

typedef struct build {
    clb_model *m;
    const clb_scenario *s;
    const clb_pairs *pairs;
    scratch sc;
    clb_date *dates;  /* scratch: dates of point rows */
    size_t dates_cap;
    size_t *extra;    /* scratch: programme columns of a worker */
    size_t extra_cap;
    clb_date *extra_from;
    size_t extra_from_cap;
} build;

/*
 * Rows "sum of extra columns that apply at t + sum of the worker's placements that
 * contain date t <= 1" at each date t of `points` (ascending, distinct), for the
 * placements overlapping [lo, hi]. Placements containing one date overlap each other,
 * so each row is a clique; a row whose placements all still run at the next date is
 * implied by the next one and left out. Extra column e applies at t when
 * extra_from[e] <= t.
 */
static int point_rows(clb_model *m, const scratch *sc, const clb_scenario *s,
                      const clb_pairs *pairs, size_t n, clb_row_kind kind, int32_t ra,
                      int32_t rb, const clb_date *points, size_t npoints, clb_date lo,
                      clb_date hi, const size_t *extra, const clb_date *extra_from,
                      size_t nextra)
{
    int error;
    for (size_t i = 0; i < npoints; i++) {
        clb_date t = points[i];
        bool any = false, implied = i + 1 < npoints;
        for (size_t k = 0; k < n; k++) {
            const clb_vacancy_rec *v = &s->vacancies[pairs->vac[sc->order[k]]];
            if (v->start > t)
                break;
            if (v->end < t || v->end < lo || v->start > hi)
                continue;
            any = true;
            if (implied && v->end < points[i + 1])
                implied = false;
        }
        if (!any || implied)
            continue;
        if ((error = begin_row(m, kind, ra, rb, -CLB_INF, 1)) < 0)
            return error;
        bool extras = false;
        for (size_t e = 0; e < nextra; e++)
            if (extra_from[e] <= t) {
                extras = true;
                if ((error = add_entry(m, extra[e], 1)) < 0)
                    return error;
            }
        if (!extras) {
            cancel_row(m);
            continue;
        }
        for (size_t k = 0; k < n; k++) {
            const clb_vacancy_rec *v = &s->vacancies[pairs->vac[sc->order[k]]];
            if (v->start > t)
                break;
            if (v->end < t || v->end < lo || v->start > hi)
                continue;
            if ((error = add_entry(m, sc->order[k], 1)) < 0)
                return error;
        }
    }
    return 0;
}

/* Sort and de-duplicate dates. */
static size_t unique_dates(clb_date *d, size_t n)
{
    return clb__sort_unique_int32(d, n);
}

/* ---- one worker's rows, step by step (build_worker_rows runs them in order) ------ */

/* Conflicts: one "<= 1" row per maximal clique of overlapping placements. */
static int conflict_rows(clb_model *m, const scratch *sc, uint32_t w)
{
    int error;

    for (size_t c = 0; c < sc->n_cliques; c++) {
        uint32_t c0 = sc->cl_start[c], c1 = sc->cl_start[c + 1];
        if (c1 - c0 < 2)
            continue;
        if ((error = begin_row(m, CLB_ROW_CONFLICT, (int32_t)w, sc->cl_date[c], -CLB_INF,
                               1)) < 0)
            return error;
        for (uint32_t k = c0; k < c1; k++)
            if ((error = add_entry(m, sc->cl_items[k], 1)) < 0)
                return error;
    }
    return 0;
}

/* The stay cap and the most placements, when the eligible pairs could break them. */
static int stay_rows(clb_model *m, const clb_scenario *s, const clb_pairs *pairs,
                     const scratch *sc, uint32_t w)
{
    const clb_policy *pol = &s->policy;
    size_t p0 = pairs->first[w], p1 = pairs->first[w + 1];
    int error;

    /* stay */
    {
        long total = 0;
        int cap = pol->max_stay_days - s->workers[w].days_abroad;
        for (size_t p = p0; p < p1; p++)
            total += clb_vacancy_days(&s->vacancies[pairs->vac[p]]);
        if (total > cap && sc->n_cliques > 1) {
            if ((error = begin_row(m, CLB_ROW_STAY, (int32_t)w, 0, -CLB_INF, cap)) < 0)
                return error;
            for (size_t p = p0; p < p1; p++)
                if ((error = add_entry(m, p, clb_vacancy_days(&s->vacancies[pairs->vac[p]]))) < 0)
                    return error;
        }
    }

    /* max placements */
    if (pol->max_placements > 0 && sc->n_cliques > (size_t)pol->max_placements) {
        if ((error = begin_row(m, CLB_ROW_MAX_PLACEMENTS, (int32_t)w, 0, -CLB_INF,
                               pol->max_placements)) < 0)
            return error;
        for (size_t p = p0; p < p1; p++)
            if ((error = add_entry(m, p, 1)) < 0)
                return error;
    }
    return 0;
}

/* Quotas that count workers and look at workers' attributes or span cliques. */
static int worker_quota_rows(clb_model *m, const clb_scenario *s,
                             const clb_pairs *pairs, const scratch *sc, uint32_t w)
{
    size_t p0 = pairs->first[w], p1 = pairs->first[w + 1];
    int error;

    for (size_t q = 0; q < s->n_quotas; q++) {
        const clb_quota_rec *qr = &s->quotas[q];
        size_t matching = 0, last = 0;
        if (qr->unit != CLB_UNIT_WORKERS)
            continue;
        for (size_t p = p0; p < p1; p++)
            if (clb__quota_matches(s, qr, w, pairs->vac[p])) {
                matching++;
                last = p;
            }
        if (matching == 0)
            continue;
        if (matching == 1) {
            /* the placement itself is the indicator: a Z column fixed to it */
            long z = add_col(m, CLB_COL_Z, (int32_t)w, (int32_t)q, 0, 0, 1, false);
            if (z < 0)
                return (int)z;
            if ((error = begin_row(m, CLB_ROW_QUOTA_LINK_DOWN, (int32_t)w, (int32_t)q, 0,
                                   0)) < 0 ||
                (error = add_entry(m, (size_t)z, 1)) < 0 ||
                (error = add_entry(m, last, -1)) < 0)
                return error;
            continue;
        }
        long z = add_col(m, CLB_COL_Z, (int32_t)w, (int32_t)q, 0, 0, 1, false);
        if (z < 0)
            return (int)z;
        if (qr->max >= 0) {
            for (size_t c = 0; c < sc->n_cliques; c++) {
                bool any = false;
                for (uint32_t k = sc->cl_start[c]; k < sc->cl_start[c + 1]; k++) {
                    uint32_t p = sc->cl_items[k];
                    if (!clb__quota_matches(s, qr, w, pairs->vac[p]))
                        continue;
                    if (!any) {
                        if ((error = begin_row(m, CLB_ROW_QUOTA_LINK_UP, (int32_t)w,
                                               (int32_t)q, -CLB_INF, 0)) < 0 ||
                            (error = add_entry(m, (size_t)z, -1)) < 0)
                            return error;
                        any = true;
                    }
                    if ((error = add_entry(m, p, 1)) < 0)
                        return error;
                }
            }
        }
        if (qr->has_min && qr->min > 0) {
            if ((error = begin_row(m, CLB_ROW_QUOTA_LINK_DOWN, (int32_t)w, (int32_t)q,
                                   -CLB_INF, 0)) < 0 ||
                (error = add_entry(m, (size_t)z, 1)) < 0)
                return error;
            for (size_t p = p0; p < p1; p++)
                if (clb__quota_matches(s, qr, w, pairs->vac[p]) &&
                    (error = add_entry(m, p, -1)) < 0)
                    return error;
        }
    }
    return 0;
}

/*
 * The sessions of course c: columns A_ws for the sessions open to worker w that end in
 * time for its latest placement needing c (first_a .. first_a + *na), at most one of
 * them attended.
 */
static int course_session_cols(clb_model *m, const clb_scenario *s, const clb_pairs *pairs,
                               uint32_t w, int32_t c, size_t *first_a, size_t *na)
{
    const clb_policy *pol = &s->policy;
    const clb_weights *wt = &pol->weights;
    size_t p0 = pairs->first[w], p1 = pairs->first[w + 1];
    clb_date latest = CLB_DATE_NONE;
    int error;

    *first_a = m->ncols;
    for (size_t p = p0; p < p1; p++) {
        const clb_vacancy_rec *v = &s->vacancies[pairs->vac[p]];
        if (clb__sorted_contains(v->req_trainings.v, v->req_trainings.n, c) &&
            (latest == CLB_DATE_NONE || v->start > latest))
            latest = v->start;
    }
    for (size_t k = 0; k < s->n_sessions; k++) {
        const clb_session_rec *ses = &s->sessions[k];
        if (ses->course != c || !clb__session_is_open_to(ses, &s->workers[w]) ||
            !(ses->end + pol->training_lead_days < latest))
            continue;
        if (add_col(m, CLB_COL_A, (int32_t)w, (int32_t)k,
                    -wt->training_cost * ses->cost, 0, 1, true) < 0)
            return CLB_ENOMEM;
    }
    *na = m->ncols - *first_a;
    if (*na > 1) {
        if ((error = begin_row(m, CLB_ROW_TRAIN_ONE, (int32_t)w, c, -CLB_INF, 1)) < 0)
            return error;
        for (size_t a = *first_a; a < *first_a + *na; a++)
            if ((error = add_entry(m, a, 1)) < 0)
                return error;
    }
    return 0;
}

/* Each placement of w needing course c is covered by a timely session. */
static int course_cover_rows(clb_model *m, const clb_scenario *s, const clb_pairs *pairs,
                             uint32_t w, int32_t c, size_t first_a, size_t na)
{
    const clb_policy *pol = &s->policy;
    size_t p0 = pairs->first[w], p1 = pairs->first[w + 1];
    int error;

    for (size_t p = p0; p < p1; p++) {
        const clb_vacancy_rec *v = &s->vacancies[pairs->vac[p]];
        if (!clb__sorted_contains(v->req_trainings.v, v->req_trainings.n, c))
            continue;
        if ((error = begin_row(m, CLB_ROW_TRAIN_COVER, (int32_t)w,
                               (int32_t)pairs->vac[p], -CLB_INF, 0)) < 0 ||
            (error = add_entry(m, p, 1)) < 0)
            return error;
        for (size_t a = first_a; a < first_a + na; a++) {
            const clb_session_rec *ses = &s->sessions[m->col_b[a]];
            if (ses->end + pol->training_lead_days < v->start &&
                (error = add_entry(m, a, -1)) < 0)
                return error;
        }
    }
    return 0;
}

/* The same per clique of overlapping placements: at most one of them is held, so
   together they need no more than the sessions in time for any of them. Without these
   rows the relaxation spreads one session over several overlapping placements and pays
   a fraction of its cost. */
static int course_clique_rows(clb_model *m, const clb_scenario *s,
                              const clb_pairs *pairs, const scratch *sc, uint32_t w,
                              int32_t c, size_t first_a, size_t na)
{
    const clb_policy *pol = &s->policy;
    int error;

    for (size_t cq = 0; cq < sc->n_cliques; cq++) {
        size_t needing = 0;
        for (uint32_t k = sc->cl_start[cq]; k < sc->cl_start[cq + 1]; k++) {
            const clb_vacancy_rec *v = &s->vacancies[pairs->vac[sc->cl_items[k]]];
            if (clb__sorted_contains(v->req_trainings.v, v->req_trainings.n, c))
                needing++;
        }
        if (needing < 2)
            continue;
        if ((error = begin_row(m, CLB_ROW_TRAIN_COVER_CLIQUE, (int32_t)w, c,
                               -CLB_INF, 0)) < 0)
            return error;
        clb_date latest_start = CLB_DATE_NONE;
        for (uint32_t k = sc->cl_start[cq]; k < sc->cl_start[cq + 1]; k++) {
            const clb_vacancy_rec *v = &s->vacancies[pairs->vac[sc->cl_items[k]]];
            if (!clb__sorted_contains(v->req_trainings.v, v->req_trainings.n, c))
                continue;
            if (latest_start == CLB_DATE_NONE || v->start > latest_start)
                latest_start = v->start;
            if ((error = add_entry(m, sc->cl_items[k], 1)) < 0)
                return error;
        }
        for (size_t a = first_a; a < first_a + na; a++) {
            const clb_session_rec *ses = &s->sessions[m->col_b[a]];
            if (ses->end + pol->training_lead_days < latest_start &&
                (error = add_entry(m, a, -1)) < 0)
                return error;
        }
    }
    return 0;
}

/* Per session of course c: attended only when some placement needs the course, and
   never during a placement. */
static int course_attend_rows(build *b, uint32_t w, int32_t c, size_t first_a, size_t na)
{
    clb_model *m = b->m;
    const clb_scenario *s = b->s;
    const clb_pairs *pairs = b->pairs;
    const scratch *sc = &b->sc;
    size_t p0 = pairs->first[w], p1 = pairs->first[w + 1], n = p1 - p0;
    int error;

    for (size_t a = first_a; a < first_a + na; a++) {
        const clb_session_rec *ses = &s->sessions[m->col_b[a]];
        /* attend only when some placement needs the course */
        if ((error = begin_row(m, CLB_ROW_TRAIN_NEED, (int32_t)w, m->col_b[a],
                               -CLB_INF, 0)) < 0 ||
            (error = add_entry(m, a, 1)) < 0)
            return error;
        for (size_t p = p0; p < p1; p++) {
            const clb_vacancy_rec *v = &s->vacancies[pairs->vac[p]];
            if (clb__sorted_contains(v->req_trainings.v, v->req_trainings.n, c) &&
                (error = add_entry(m, p, -1)) < 0)
                return error;
        }
        /* never during a placement: at the session's first day and at each
           start of a placement during the session */
        {
            size_t np = 0;
            size_t col = a;
            clb_date from = ses->start;
            GROW(b->dates, b->dates_cap, n + 1);
            b->dates[np++] = ses->start;
            for (size_t k = 0; k < n; k++) {
                const clb_vacancy_rec *v = &s->vacancies[pairs->vac[sc->order[k]]];
                if (v->start > ses->start && v->start <= ses->end)
                    b->dates[np++] = v->start;
            }
            np = unique_dates(b->dates, np);
            if ((error = point_rows(m, sc, s, pairs, n, CLB_ROW_TRAIN_OVERLAP,
                                    (int32_t)w, m->col_b[a], b->dates, np,
                                    ses->start, ses->end, &col, &from, 1)) < 0)
                return error;
        }
    }
    return 0;
}

/* Training: for each course needed by some placement and not completed. */
static int training_rows(build *b, uint32_t w)
{
    const clb_scenario *s = b->s;
    const clb_pairs *pairs = b->pairs;
    const clb_worker_rec *wk = &s->workers[w];
    scratch *sc = &b->sc;
    size_t p0 = pairs->first[w], p1 = pairs->first[w + 1];
    int error;

    GROW(sc->tmp, sc->tmp_cap, 1);
    size_t ncourses = 0;
    for (size_t p = p0; p < p1; p++) {
        const clb_vacancy_rec *v = &s->vacancies[pairs->vac[p]];
        for (uint32_t i = 0; i < v->req_trainings.n; i++) {
            int32_t c = v->req_trainings.v[i];
            bool seen = false;
            if (clb__sorted_contains(wk->trainings.v, wk->trainings.n, c))
                continue;
            for (size_t k = 0; k < ncourses && !seen; k++)
                seen = sc->tmp[k] == (uint32_t)c;
            if (!seen) {
                GROW(sc->tmp, sc->tmp_cap, ncourses + 1);
                sc->tmp[ncourses++] = (uint32_t)c;
            }
        }
    }
    for (size_t ci = 0; ci < ncourses; ci++) {
        int32_t c = (int32_t)sc->tmp[ci];
        size_t first_a, na;
        if ((error = course_session_cols(b->m, s, pairs, w, c, &first_a, &na)) < 0 ||
            (error = course_cover_rows(b->m, s, pairs, w, c, first_a, na)) < 0 ||
            (error = course_clique_rows(b->m, s, pairs, sc, w, c, first_a, na)) < 0 ||
            (error = course_attend_rows(b, w, c, first_a, na)) < 0)
            return error;
    }
    return 0;
}

/* Reintegration: programme columns, their window and "every placement ends before". */
static int reintegration_rows(build *b, uint32_t w)
{
    clb_model *m = b->m;
    const clb_scenario *s = b->s;
    const clb_pairs *pairs = b->pairs;
    const clb_policy *pol = &s->policy;
    const clb_worker_rec *wk = &s->workers[w];
    const scratch *sc = &b->sc;
    size_t p0 = pairs->first[w], p1 = pairs->first[w + 1], n = p1 - p0;
    int error;

    if (pol->reintegration == CLB_REINT_NONE)
        return 0;
    size_t first_r = m->ncols, nr;
    double reward = pol->reintegration == CLB_REINT_REWARD ? pol->weights.reintegration : 0;
    for (size_t r = 0; r < s->n_programmes; r++) {
        const clb_programme_rec *pr = &s->programmes[r];
        bool any = false;
        if (!clb__programme_is_open_to(pr, wk))
            continue;
        for (size_t p = p0; p < p1 && !any; p++) {
            const clb_vacancy_rec *v = &s->vacancies[pairs->vac[p]];
            any = v->end < pr->start &&
                  pr->start <= v->end + pol->reintegration_window_days;
        }
        if (any && add_col(m, CLB_COL_R, (int32_t)w, (int32_t)r, reward, 0, 1, true) < 0)
            return CLB_ENOMEM;
    }
    nr = m->ncols - first_r;
    if (nr > 1) {
        if ((error = begin_row(m, CLB_ROW_REINT_ONE, (int32_t)w, 0, -CLB_INF, 1)) < 0)
            return error;
        for (size_t r = first_r; r < first_r + nr; r++)
            if ((error = add_entry(m, r, 1)) < 0)
                return error;
    }
    for (size_t r = first_r; r < first_r + nr; r++) {
        const clb_programme_rec *pr = &s->programmes[m->col_b[r]];
        /* the last placement ends within the window before the start */
        if ((error = begin_row(m, CLB_ROW_REINT_WINDOW, (int32_t)w, m->col_b[r],
                               -CLB_INF, 0)) < 0 ||
            (error = add_entry(m, r, 1)) < 0)
            return error;
        for (size_t p = p0; p < p1; p++) {
            const clb_vacancy_rec *v = &s->vacancies[pairs->vac[p]];
            if (v->end < pr->start &&
                pr->start <= v->end + pol->reintegration_window_days &&
                (error = add_entry(m, p, -1)) < 0)
                return error;
        }
    }
    /* every placement ends before the programme starts: at each programme start
       and each later placement start, the programmes begun by then exclude the
       placements running then */
    if (nr > 0) {
        size_t np = 0;
        clb_date first = CLB_DATE_NONE;
        GROW(b->dates, b->dates_cap, n + nr + 1);
        GROW(b->extra, b->extra_cap, nr + 1);
        GROW(b->extra_from, b->extra_from_cap, nr + 1);
        for (size_t r = 0; r < nr; r++) {
            clb_date st = s->programmes[m->col_b[first_r + r]].start;
            b->extra[r] = first_r + r;
            b->extra_from[r] = st;
            b->dates[np++] = st;
            if (first == CLB_DATE_NONE || st < first)
                first = st;
        }
        for (size_t k = 0; k < n; k++) {
            const clb_vacancy_rec *v = &s->vacancies[pairs->vac[sc->order[k]]];
            if (v->start > first)
                b->dates[np++] = v->start;
        }
        np = unique_dates(b->dates, np);
        if ((error = point_rows(m, sc, s, pairs, n, CLB_ROW_REINT_AFTER, (int32_t)w,
                                -1, b->dates, np, first, INT32_MAX,
                                b->extra, b->extra_from, nr)) < 0)
            return error;
    }
    if (pol->reintegration == CLB_REINT_REQUIRED) {
        /* placed => enrolled: per clique, its placements <= enrolments */
        for (size_t cq = 0; cq < sc->n_cliques; cq++) {
            uint32_t c0 = sc->cl_start[cq];
            if ((error = begin_row(m, CLB_ROW_REINT_REQUIRED, (int32_t)w,
                                   (int32_t)pairs->vac[sc->cl_items[c0]], -CLB_INF, 0)) < 0)
                return error;
            for (uint32_t k = c0; k < sc->cl_start[cq + 1]; k++)
                if ((error = add_entry(m, sc->cl_items[k], 1)) < 0)
                    return error;
            for (size_t r = first_r; r < first_r + nr; r++)
                if ((error = add_entry(m, r, -1)) < 0)
                    return error;
        }
    }
    return 0;
}

/* One worker's rows and columns: conflicts, stay, quotas, training, reintegration. */
static int build_worker_rows(build *b, uint32_t w)
{
    const clb_pairs *pairs = b->pairs;
    int error;

    if (pairs->first[w + 1] == pairs->first[w])
        return 0;
    if ((error = worker_cliques(&b->sc, b->s, pairs, w, b->s->policy.min_gap_days)) < 0 ||
        (error = conflict_rows(b->m, &b->sc, w)) < 0 ||
        (error = stay_rows(b->m, b->s, pairs, &b->sc, w)) < 0 ||
        (error = worker_quota_rows(b->m, b->s, pairs, &b->sc, w)) < 0 ||
        (error = training_rows(b, w)) < 0 ||
        (error = reintegration_rows(b, w)) < 0)
        return error;
    return 0;
}

static int build_vacancy_rows(build *b)
{
    clb_model *m = b->m;
    const clb_scenario *s = b->s;
    const clb_pairs *pairs = b->pairs;
    size_t nv = s->n_vacancies;
    size_t *cnt = clb__calloc(nv + 1, sizeof(size_t));
    uint32_t *by_vac = clb__malloc((pairs->n ? pairs->n : 1) * sizeof(uint32_t));
    int error = 0;

    if (!cnt || !by_vac) {
        error = CLB_ENOMEM;
        goto done;
    }
    /* pairs grouped by vacancy (counting sort) */
    for (size_t p = 0; p < pairs->n; p++)
        cnt[pairs->vac[p] + 1]++;
    for (size_t v = 0; v < nv; v++)
        cnt[v + 1] += cnt[v];
    {
        size_t *pos = clb__malloc((nv + 1) * sizeof(size_t));
        if (!pos) {
            error = CLB_ENOMEM;
            goto done;
        }
        memcpy(pos, cnt, (nv + 1) * sizeof(size_t));
        for (size_t p = 0; p < pairs->n; p++)
            by_vac[pos[pairs->vac[p]]++] = (uint32_t)p;
        clb__free(pos);
    }
    for (size_t v = 0; v < nv; v++) {
        const clb_vacancy_rec *vr = &s->vacancies[v];
        if ((error = begin_row(m, CLB_ROW_YDEF, (int32_t)v, 0, 0, 0)) < 0)
            goto done;
        for (size_t k = cnt[v]; k < cnt[v + 1]; k++)
            if ((error = add_entry(m, by_vac[k], 1)) < 0)
                goto done;
        if ((error = add_entry(m, m->y_first + v, -1)) < 0)
            goto done;
        if (vr->hold_named && cnt[v + 1] > cnt[v]) {
            long free_slots = (long)vr->headcount - (long)vr->n_named;
            if (free_slots < 0)
                free_slots = 0;
            if ((error = begin_row(m, CLB_ROW_HOLD_NAMED, (int32_t)v, 0, -CLB_INF,
                                   (double)free_slots)) < 0)
                goto done;
            for (size_t k = cnt[v]; k < cnt[v + 1]; k++) {
                uint32_t p = by_vac[k];
                if (!clb__vacancy_names(vr, b->m->pair_worker[p]) &&
                    (error = add_entry(m, p, 1)) < 0)
                    goto done;
            }
            if (m->row_start[m->nrows] == m->row_start[m->nrows - 1])
                cancel_row(m);
        }
    }
done:
    clb__free(cnt);
    clb__free(by_vac);
    return error;
}

static int build_housing_rows(build *b)
{
    clb_model *m = b->m;
    const clb_scenario *s = b->s;
    uint32_t *vs = clb__malloc((s->n_vacancies ? s->n_vacancies : 1) * sizeof(uint32_t));
    int error = 0;

    if (!vs)
        return CLB_ENOMEM;
    for (size_t site = 0; site < s->n_sites; site++) {
        const clb_site_rec *st = &s->sites[site];
        size_t n = 0;
        if (st->beds < 0)
            continue;
        for (size_t v = 0; v < s->n_vacancies; v++)
            if (s->vacancies[v].site == site && !s->vacancies[v].withdrawn)
                vs[n++] = (uint32_t)v;
        for (size_t i = 0; i < n; i++) {
            clb_date t = s->vacancies[vs[i]].start;
            long total = 0;
            bool dominated = false, dup = false;
            /* one row per distinct start date t, unless the set covering t is also
               covering a later start date (then that row implies this one) */
            for (size_t k = 0; k < i && !dup; k++)
                dup = s->vacancies[vs[k]].start == t;
            if (dup)
                continue;
            for (size_t k = 0; k < n; k++) {
                const clb_vacancy_rec *vk = &s->vacancies[vs[k]];
                if (vk->start <= t && t <= vk->end)
                    total += vk->headcount;
            }
            if (total <= st->beds)
                continue;
            for (size_t j = 0; j < n && !dominated; j++) {
                clb_date u = s->vacancies[vs[j]].start;
                bool all = u > t;
                for (size_t k = 0; k < n && all; k++) {
                    const clb_vacancy_rec *vk = &s->vacancies[vs[k]];
                    if (vk->start <= t && t <= vk->end)
                        all = u <= vk->end;
                }
                dominated = all;
            }
            if (dominated)
                continue;
            if ((error = begin_row(m, CLB_ROW_HOUSING, (int32_t)site, t, -CLB_INF,
                                   st->beds)) < 0)
                goto done;
            for (size_t k = 0; k < n; k++) {
                const clb_vacancy_rec *vk = &s->vacancies[vs[k]];
                if (vk->start <= t && t <= vk->end &&
                    (error = add_entry(m, m->y_first + vs[k], 1)) < 0)
                    goto done;
            }
        }
    }
done:
    clb__free(vs);
    return error;
}

static int build_quota_rows(build *b)
{
    clb_model *m = b->m;
    const clb_scenario *s = b->s;
    const clb_pairs *pairs = b->pairs;
    int error = 0;

    for (size_t q = 0; q < s->n_quotas; q++) {
        const clb_quota_rec *qr = &s->quotas[q];
        long shortfall = -1;
        bool want_min = qr->has_min && qr->min > 0;
        for (int pass = 0; pass < 2; pass++) {
            bool is_max = pass == 0;
            if (is_max && qr->max < 0)
                continue;
            if (!is_max && !want_min)
                continue;
            if (!is_max) {
                /* The part of the minimum that is met, m in [0, min]: count >= m,
                   earning quota_shortfall per unit, against the constant
                   -quota_shortfall * min. Written this way (rather than with the
                   shortfall itself) the empty plan is feasible, so the simplex starts
                   without a search for a first feasible point. */
                double wq = s->policy.weights.quota_shortfall;
                shortfall = add_col(m, CLB_COL_S, (int32_t)q, 0, wq, 0, (double)qr->min,
                                    false);
                if (shortfall < 0)
                    return (int)shortfall;
                m->obj_const -= wq * (double)qr->min;
            }
            if ((error = begin_row(m, is_max ? CLB_ROW_QUOTA_MAX : CLB_ROW_QUOTA_MIN,
                                   (int32_t)q, 0, is_max ? -CLB_INF : 0,
                                   is_max ? (double)qr->max : CLB_INF)) < 0)
                return error;
            if (!is_max && (error = add_entry(m, (size_t)shortfall, -1)) < 0)
                return error;
            if (qr->unit == CLB_UNIT_WORKERS) {
                for (size_t j = m->n_x; j < m->ncols; j++)
                    if (m->col_kind[j] == CLB_COL_Z && m->col_b[j] == (int32_t)q &&
                        (error = add_entry(m, j, 1)) < 0)
                        return error;
            } else if (quota_is_vacancy_only(qr)) {
                for (size_t v = 0; v < s->n_vacancies; v++)
                    if (!s->vacancies[v].withdrawn && s->n_workers > 0 &&
                        clb__quota_matches(s, qr, 0, (uint32_t)v) &&
                        (error = add_entry(m, m->y_first + v, 1)) < 0)
                        return error;
            } else {
                for (size_t p = 0; p < pairs->n; p++)
                    if (clb__quota_matches(s, qr, m->pair_worker[p], pairs->vac[p]) &&
                        (error = add_entry(m, p, 1)) < 0)
                        return error;
            }
        }
    }
    return 0;
}

static int build_capacity_rows(build *b, clb_col_kind kind, clb_row_kind row_kind,
                               size_t n_items)
{
    clb_model *m = b->m;
    const clb_scenario *s = b->s;
    int error = 0;
    size_t *cnt = clb__calloc(n_items + 1, sizeof(size_t));
    if (!cnt)
        return CLB_ENOMEM;
    for (size_t j = m->n_x; j < m->ncols; j++)
        if (m->col_kind[j] == kind)
            cnt[m->col_b[j]]++;
    for (size_t k = 0; k < n_items; k++) {
        int cap = kind == CLB_COL_A ? s->sessions[k].capacity : s->programmes[k].capacity;
        if (cnt[k] <= (size_t)cap)
            continue;
        if ((error = begin_row(m, row_kind, (int32_t)k, 0, -CLB_INF, cap)) < 0)
            goto done;
        for (size_t j = m->n_x; j < m->ncols; j++)
            if (m->col_kind[j] == kind && m->col_b[j] == (int32_t)k &&
                (error = add_entry(m, j, 1)) < 0)
                goto done;
    }
done:
    clb__free(cnt);
    return error;
}

int clb__model_build(clb_model *m, const clb_scenario *s, const clb_pairs *pairs,
                    const bool *pinned, clb_error *err)
{
    return clb__model_build_rows(m, s, pairs, pinned, CLB_MODEL_WHOLE, NULL, err);
}

size_t clb__model_whole_rows(const clb_model *m)
{
    return m->nrows + m->own_rows_out;
}

int clb__model_build_rows(clb_model *m, const clb_scenario *s, const clb_pairs *pairs,
                         const bool *pinned, clb_model_rows rows, const double *check_x,
                         clb_error *err)
{
    build b;
    int error = 0;

    memset(m, 0, sizeof(*m));
    memset(&b, 0, sizeof(b));
    m->linking_only = rows == CLB_MODEL_LINKING;
    m->check_x = m->linking_only ? check_x : NULL;
    m->own_broken = -1;
    b.m = m;
    b.s = s;
    b.pairs = pairs;
    m->pairs = pairs;
    m->n_workers = s->n_workers;
    m->pair_worker = clb__malloc((pairs->n ? pairs->n : 1) * sizeof(uint32_t));
    if (!m->pair_worker || reserve_cols(m, pairs->n + s->n_vacancies + 16) < 0) {
        error = CLB_ENOMEM;
        goto done;
    }
    for (uint32_t w = 0; w < s->n_workers; w++)
        for (size_t p = pairs->first[w]; p < pairs->first[w + 1]; p++)
            m->pair_worker[p] = w;
    for (size_t p = 0; p < pairs->n; p++) {
        uint32_t w = m->pair_worker[p], v = pairs->vac[p];
        if (add_col(m, CLB_COL_X, (int32_t)w, (int32_t)v, clb__placement_value(s, w, v),
                    pinned && pinned[p] ? 1 : 0, 1, true) < 0) {
            error = CLB_ENOMEM;
            goto done;
        }
    }
    m->n_x = pairs->n;
    m->y_first = m->ncols;
    for (size_t v = 0; v < s->n_vacancies; v++) {
        const clb_vacancy_rec *vr = &s->vacancies[v];
        if (add_col(m, CLB_COL_Y, (int32_t)v, 0, 0, 0, vr->withdrawn ? 0 : vr->headcount,
                    false) < 0) {
            error = CLB_ENOMEM;
            goto done;
        }
    }
    for (uint32_t w = 0; w < s->n_workers; w++)
        if ((error = build_worker_rows(&b, w)) < 0)
            goto done;
    leave_own_row(m);
    if ((error = build_vacancy_rows(&b)) < 0 || (error = build_housing_rows(&b)) < 0 ||
        (error = build_quota_rows(&b)) < 0 ||
        (error = build_capacity_rows(&b, CLB_COL_A, CLB_ROW_SESSION_CAP, s->n_sessions)) < 0 ||
        (error = build_capacity_rows(&b, CLB_COL_R, CLB_ROW_PROGRAMME_CAP, s->n_programmes)) < 0)
        goto done;
done:
    m->check_x = NULL; /* borrowed for the build only */
    scratch_dispose(&b.sc);
    clb__free(b.dates);
    clb__free(b.extra);
    clb__free(b.extra_from);
    if (error < 0) {
        clb__model_dispose(m);
        return clb__error_set(err, error, "out of memory building the model");
    }
    return 0;
}

int clb__model_columns(clb_model_cols *out, const clb_model *m)
{
    memset(out, 0, sizeof(*out));
    out->start = clb__calloc(m->ncols + 2, sizeof(size_t));
    out->row = clb__malloc((m->nnz ? m->nnz : 1) * sizeof(int32_t));
    out->val = clb__malloc((m->nnz ? m->nnz : 1) * sizeof(double));
    if (!out->start || !out->row || !out->val) {
        clb__model_cols_dispose(out);
        return CLB_ENOMEM;
    }
    /* counting sort of the entries by column; rows come out ascending per column */
    for (size_t e = 0; e < m->nnz; e++)
        out->start[m->idx[e] + 2]++;
    for (size_t j = 0; j < m->ncols; j++)
        out->start[j + 2] += out->start[j + 1];
    for (size_t i = 0; i < m->nrows; i++)
        for (size_t e = m->row_start[i]; e < m->row_start[i + 1]; e++) {
            size_t k = out->start[m->idx[e] + 1]++;
            out->row[k] = (int32_t)i;
            out->val[k] = m->val[e];
        }
    return 0;
}

void clb__model_cols_dispose(clb_model_cols *c)
{
    clb__free(c->start);
    clb__free(c->row);
    clb__free(c->val);
    memset(c, 0, sizeof(*c));
}

int clb__model_add_row(clb_model *m, int32_t tag, double lo, double hi, size_t n,
                      const int32_t *cols, const double *vals)
{
    int error;
    if ((error = begin_row(m, CLB_ROW_EXTRA, tag, 0, lo, hi)) < 0)
        return error;
    for (size_t k = 0; k < n; k++)
        if ((error = add_entry(m, (size_t)cols[k], vals[k])) < 0)
            return error;
    return 0;
}

double clb__model_objective(const clb_model *m, const double *x)
{
    double z = m->obj_const;
    for (size_t j = 0; j < m->ncols; j++)
        z += m->obj[j] * x[j];
    return z;
}

/* model.h */
void clb__model_met_parts(const clb_model *m, double *x)
{
    for (size_t i = 0; i < m->nrows; i++) {
        double v = 0;
        long met = -1;
        if (m->row_kind[i] != CLB_ROW_QUOTA_MIN)
            continue;
        for (size_t e = m->row_start[i]; e < m->row_start[i + 1]; e++) {
            int32_t j = m->idx[e];
            if (m->col_kind[j] == CLB_COL_S)
                met = j;
            else
                v += m->val[e] * x[j];
        }
        if (met >= 0)
            x[met] = v < 0 ? 0 : v > m->ub[met] ? m->ub[met] : v;
    }
}

/* model.h */
void clb__model_derive(const clb_model *m, const clb_scenario *s, double *x)
{
    for (size_t j = m->n_x; j < m->ncols; j++)
        if (m->col_kind[j] == CLB_COL_Y || m->col_kind[j] == CLB_COL_Z)
            x[j] = 0;
    for (size_t p = 0; p < m->n_x; p++)
        if (x[p] > 0.5)
            x[m->y_first + (size_t)m->col_b[p]] += 1;
    for (size_t j = m->n_x; j < m->ncols; j++) {
        uint32_t w = (uint32_t)m->col_a[j];
        if (m->col_kind[j] != CLB_COL_Z)
            continue;
        for (size_t p = m->pairs->first[w]; p < m->pairs->first[w + 1]; p++)
            if (x[p] > 0.5 && clb__quota_matches(s, &s->quotas[m->col_b[j]], w,
                                                 m->pairs->vac[p]))
                x[j] = 1;
    }
    clb__model_met_parts(m, x);
}

int clb__model_describe_row(clb_buf *out, const clb_model *m, const clb_scenario *s,
                           size_t i)
{
    int32_t a = m->row_a[i], b = m->row_b[i];
    char date[11];
    switch ((clb_row_kind)m->row_kind[i]) {
    case CLB_ROW_YDEF:
        return clb__buf_printf(out, "vacancy '%s' headcount %d", s->vacancies[a].id,
                              s->vacancies[a].headcount);
    case CLB_ROW_HOLD_NAMED:
        return clb__buf_printf(out, "vacancy '%s' slots held for named workers",
                              s->vacancies[a].id);
    case CLB_ROW_CONFLICT:
        clb__date_format(date, b);
        return clb__buf_printf(out, "worker '%s' placements overlapping on %s (min_gap_days %d)",
                              s->workers[a].id, date, s->policy.min_gap_days);
    case CLB_ROW_STAY:
        return clb__buf_printf(out, "worker '%s' stay limit %d days (%d already abroad)",
                              s->workers[a].id, s->policy.max_stay_days,
                              s->workers[a].days_abroad);
    case CLB_ROW_MAX_PLACEMENTS:
        return clb__buf_printf(out, "worker '%s' max_placements %d", s->workers[a].id,
                              s->policy.max_placements);
    case CLB_ROW_HOUSING:
        clb__date_format(date, b);
        return clb__buf_printf(out, "site '%s' beds %d on %s", s->sites[a].id,
                              s->sites[a].beds, date);
    case CLB_ROW_QUOTA_MAX:
        return clb__buf_printf(out, "quota '%s' max %ld", s->quotas[a].id, s->quotas[a].max);
    case CLB_ROW_QUOTA_MIN:
        return clb__buf_printf(out, "quota '%s' min %ld", s->quotas[a].id, s->quotas[a].min);
    case CLB_ROW_QUOTA_LINK_UP:
    case CLB_ROW_QUOTA_LINK_DOWN:
        return clb__buf_printf(out, "worker '%s' counted by quota '%s'", s->workers[a].id,
                              s->quotas[b].id);
    case CLB_ROW_TRAIN_ONE:
        return clb__buf_printf(out, "worker '%s' one session of course '%s'",
                              s->workers[a].id, clb_sym(s, b));
    case CLB_ROW_TRAIN_COVER:
        return clb__buf_printf(out, "worker '%s' needs a training session in time for vacancy '%s'",
                              s->workers[a].id, s->vacancies[b].id);
    case CLB_ROW_TRAIN_COVER_CLIQUE:
        return clb__buf_printf(out, "worker '%s' needs a session of course '%s' in time",
                              s->workers[a].id, clb_sym(s, b));
    case CLB_ROW_TRAIN_NEED:
        return clb__buf_printf(out, "worker '%s' attends session '%s' only when needed",
                              s->workers[a].id, s->sessions[b].id);
    case CLB_ROW_TRAIN_OVERLAP:
        return clb__buf_printf(out, "worker '%s' session '%s' overlaps a placement",
                              s->workers[a].id, s->sessions[b].id);
    case CLB_ROW_SESSION_CAP:
        return clb__buf_printf(out, "session '%s' capacity %d", s->sessions[a].id,
                              s->sessions[a].capacity);
    case CLB_ROW_REINT_ONE:
        return clb__buf_printf(out, "worker '%s' one reintegration programme",
                              s->workers[a].id);
    case CLB_ROW_REINT_AFTER:
        return clb__buf_printf(out, "worker '%s' reintegration must start after every placement",
                              s->workers[a].id);
    case CLB_ROW_REINT_WINDOW:
        return clb__buf_printf(out, "worker '%s' programme '%s' within %d days of the last placement",
                              s->workers[a].id, s->programmes[b].id,
                              s->policy.reintegration_window_days);
    case CLB_ROW_REINT_REQUIRED:
        return clb__buf_printf(out, "worker '%s' required reintegration (no programme seat in reach)",
                              s->workers[a].id);
    case CLB_ROW_PROGRAMME_CAP:
        return clb__buf_printf(out, "programme '%s' capacity %d", s->programmes[a].id,
                              s->programmes[a].capacity);
    case CLB_ROW_EXTRA:
        return clb__buf_printf(out, "added constraint %d", (int)a);
    }
    return clb__buf_puts(out, "a constraint");
}

bool clb__model_row_is_own(clb_row_kind k)
{
    switch (k) {
    case CLB_ROW_CONFLICT:
    case CLB_ROW_STAY:
    case CLB_ROW_MAX_PLACEMENTS:
    case CLB_ROW_QUOTA_LINK_UP:
    case CLB_ROW_QUOTA_LINK_DOWN:
    case CLB_ROW_TRAIN_ONE:
    case CLB_ROW_TRAIN_COVER:
    case CLB_ROW_TRAIN_NEED:
    case CLB_ROW_TRAIN_COVER_CLIQUE:
    case CLB_ROW_TRAIN_OVERLAP:
    case CLB_ROW_REINT_ONE:
    case CLB_ROW_REINT_AFTER:
    case CLB_ROW_REINT_WINDOW:
    case CLB_ROW_REINT_REQUIRED:
        return true;
    default:
        return false;
    }
}
