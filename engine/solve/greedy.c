/*
 * greedy.c - one greedy pass of the itinerary master (greedy.h): what fits beside a
 * plan, the rows that fill up on the way, and the completion of a plan worker by
 * worker.
 *
 * The rows: an index from each master row to the itinerary columns with a positive
 * entry on it, and to the vacancies whose count has one (a house's beds), built once a
 * pass, so closing a row shuts its columns at once. The completion prices workers a
 * batch at a time in the pricing's threads; why that gives the plan of one worker at a
 * time is at clb__greedy_fill_by.
 */
#include "solve/greedy.h"
#include "solve/pricing_team.h"
#include "util/alloc.h"

#include <string.h>

#define GREEDY_TRIES 8 /* itineraries tried per worker */
#define FILL_BATCH 512 /* workers priced together, between two progress reports */

/*
 * The greedy plan only ever adds, so once a row (a vacancy's headcount, a house, a
 * quota maximum, a session's seats) has less room than its smallest entry, every
 * column with an entry on it is shut for the rest of the pass, for every worker:
 * pricing no longer offers itineraries that cannot fit (their reduced value becomes
 * -1e9 in M->d). A row reached through vacancies' counts (a house's beds) shuts
 * every placement at those vacancies.
 */
typedef struct clb_greedy_rows {
    size_t *start;  /* per master row: its entries in col[] (itinerary columns only) */
    int32_t *col;
    double *minpos; /* per master row: its smallest positive entry */
    bool *closed;   /* per master row */
    bool *shut;     /* per model column: on a closed row */
    size_t *vstart; /* per master row: the vacancies whose count has an entry on it, */
    int32_t *vac;   /* in vac[] (a house's beds); their smallest entry is in minpos */
    int32_t *ydef;  /* per vacancy: its count row */
} clb_greedy_rows;

static void greedy_rows_dispose(clb_greedy_rows *g)
{
    clb__free(g->start);
    clb__free(g->col);
    clb__free(g->minpos);
    clb__free(g->closed);
    clb__free(g->shut);
    clb__free(g->vstart);
    clb__free(g->vac);
    clb__free(g->ydef);
    memset(g, 0, sizeof(*g));
}

/*
 * The vacancies whose count column (Y) has a positive entry on each row other than
 * their own count row (vstart, vac: a house's beds over a date), the smallest such
 * entry into minpos, and each vacancy's count row (ydef): a placement there takes
 * that entry from the row through the count.
 */
static int index_counts(clb_master *M, clb_greedy_rows *g)
{
    const clb_model *m = M->m;
    size_t nr = M->n_rows, nv = M->s->n_vacancies, n = 0;
    g->vstart = clb__calloc(nr + 2, sizeof(size_t));
    g->ydef = clb__malloc((nv + 1) * sizeof(int32_t));
    if (!g->vstart || !g->ydef)
        return -1;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t v = 0; v < nv; v++) {
            size_t yj = m->y_first + v;
            g->ydef[v] = -1;
            for (size_t e = M->cols.start[yj]; e < M->cols.start[yj + 1]; e++) {
                int32_t r = M->shared[M->cols.row[e]];
                double a = M->cols.val[e];
                if (r < 0)
                    continue;
                if (m->row_kind[M->cols.row[e]] == CLB_ROW_YDEF) {
                    g->ydef[v] = r;
                } else if (a > 0 && pass == 0) {
                    g->vstart[r + 2]++;
                    n++;
                    if (a < g->minpos[r])
                        g->minpos[r] = a;
                } else if (a > 0) {
                    g->vac[g->vstart[r + 1]++] = (int32_t)v;
                }
            }
        }
        if (pass == 0) {
            for (size_t r = 0; r < nr; r++)
                g->vstart[r + 2] += g->vstart[r + 1];
            if (!(g->vac = clb__malloc((n + 1) * sizeof(int32_t))))
                return -1;
        }
    }
    return 0;
}

static bool itinerary_column(const clb_model *m, size_t j)
{
    return m->col_kind[j] == CLB_COL_X || m->col_kind[j] == CLB_COL_Z ||
           m->col_kind[j] == CLB_COL_A || m->col_kind[j] == CLB_COL_R;
}

/* The rows' entries of M's itinerary columns. Returns 0 or CLB_ENOMEM. */
static int greedy_rows_init(clb_master *M, clb_greedy_rows *g)
{
    const clb_model *m = M->m;
    size_t nr = M->n_rows, nnz = 0;
    memset(g, 0, sizeof(*g));
    g->start = clb__calloc(nr + 2, sizeof(size_t));
    g->minpos = clb__malloc((nr + 1) * sizeof(double));
    g->closed = clb__calloc(nr + 1, sizeof(bool));
    g->shut = clb__calloc(m->ncols + 1, sizeof(bool));
    if (!g->start || !g->minpos || !g->closed || !g->shut)
        goto nomem;
    for (size_t r = 0; r < nr; r++)
        g->minpos[r] = CLB_INF;
    for (size_t j = 0; j < m->ncols; j++) {
        if (!itinerary_column(m, j))
            continue;
        for (size_t e = M->cols.start[j]; e < M->cols.start[j + 1]; e++) {
            int32_t r = M->shared[M->cols.row[e]];
            double a = M->cols.val[e];
            if (r < 0 || a <= 0)
                continue;
            g->start[r + 2]++;
            nnz++;
            if (a < g->minpos[r])
                g->minpos[r] = a;
        }
    }
    for (size_t r = 0; r < nr; r++)
        g->start[r + 2] += g->start[r + 1];
    if (index_counts(M, g) < 0)
        goto nomem;
    g->col = clb__malloc((nnz + 1) * sizeof(int32_t));
    if (!g->col)
        goto nomem;
    for (size_t j = 0; j < m->ncols; j++) {
        if (!itinerary_column(m, j))
            continue;
        for (size_t e = M->cols.start[j]; e < M->cols.start[j + 1]; e++) {
            int32_t r = M->shared[M->cols.row[e]];
            if (r < 0 || M->cols.val[e] <= 0)
                continue;
            size_t k = g->start[r + 1]++;
            g->col[k] = (int32_t)j;
        }
    }
    return 0;
nomem:
    greedy_rows_dispose(g);
    return clb__master_nomem(M);
}

/* Shut the columns of row r: its own, and every placement at a vacancy whose count
   has an entry on it. */
static void shut_row(clb_master *M, clb_greedy_rows *g, int32_t r)
{
    g->closed[r] = true;
    for (size_t k = g->start[r]; k < g->start[r + 1]; k++) {
        M->d[g->col[k]] = -1e9;
        g->shut[g->col[k]] = true;
    }
    for (size_t k = g->vstart[r]; k < g->vstart[r + 1]; k++) {
        int32_t y = g->ydef[g->vac[k]];
        for (size_t q = y >= 0 ? g->start[y] : 0; y >= 0 && q < g->start[y + 1]; q++) {
            M->d[g->col[q]] = -1e9;
            g->shut[g->col[q]] = true;
        }
    }
}

/* Close row r when it has less room than its smallest entry. */
static void check_row(clb_master *M, clb_greedy_rows *g, int32_t r)
{
    const clb_model *m = M->m;
    int32_t mr = M->row_model[r];
    double room;
    if (g->closed[r] || mr < 0 || m->row_kind[mr] == CLB_ROW_QUOTA_MIN ||
        g->minpos[r] >= CLB_INF)
        return;
    if (m->row_kind[mr] == CLB_ROW_YDEF)
        room = m->ub[m->y_first + (size_t)m->row_a[mr]] - M->ycount[m->row_a[mr]];
    else
        room = M->rhi[r] - M->act[r];
    if (room + 1e-9 < g->minpos[r])
        shut_row(M, g, r);
}

/* Entries of columns cols[0..n) on the master rows, into acc/touched: their own, and
   through the vacancy counts they move, the Y columns' other rows. */
static void shared_entries(clb_master *M, const int32_t *cols, size_t n)
{
    const clb_model *m = M->m;
    clb__master_shared_entries(M, cols, n);
    size_t nt = M->n_touched;
    for (size_t t = 0; t < nt; t++) {
        int32_t r = M->touched[t];
        int32_t mr = M->row_model[r];
        if (mr < 0 || m->row_kind[mr] != CLB_ROW_YDEF)
            continue;
        size_t yj = m->y_first + (size_t)m->row_a[mr];
        for (size_t e = M->cols.start[yj]; e < M->cols.start[yj + 1]; e++) {
            int32_t r2 = M->shared[M->cols.row[e]];
            if (r2 >= 0 && r2 != r)
                clb__master_touch(M, r2, M->cols.val[e] * M->acc[r]);
        }
    }
}

/* After the greedy plan (M->act, M->ycount) took cols[0..n): shut the columns of the
   rows it filled, directly or through a vacancy's count. */
static void greedy_rows_close(clb_master *M, clb_greedy_rows *g, const int32_t *cols, size_t n)
{
    shared_entries(M, cols, n);
    for (size_t t = 0; t < M->n_touched; t++)
        check_row(M, g, M->touched[t]);
    clb__master_untouch(M);
}

/* Shut the columns of every row already without room (pins, a rounding's plan). */
static void greedy_rows_close_full(clb_master *M, clb_greedy_rows *g)
{
    for (size_t r = 0; r < M->n_rows; r++)
        check_row(M, g, (int32_t)r);
}

/* ---- the pass ------------------------------------------------------------------------- */

void clb__greedy_from_pins(clb_master *M)
{
    memset(M->act, 0, M->n_rows * sizeof(double));
    memset(M->ycount, 0, M->s->n_vacancies * sizeof(double));
    for (size_t w = 0; w < M->nw; w++)
        M->plan[w] = -1;
    for (size_t w = 0; w < M->nw; w++)
        if (M->pinned_w[w] && M->inc[w] >= 0) {
            int32_t p = M->inc[w];
            clb__greedy_fits(M, M->it_cols + M->it_first[p], M->it_first[p + 1] - M->it_first[p],
                             true, NULL, NULL, NULL);
            M->plan[w] = p;
        }
}

bool clb__greedy_take(clb_master *M, int32_t p)
{
    bool fits = clb__greedy_fits(M, M->it_cols + M->it_first[p],
                                 M->it_first[p + 1] - M->it_first[p], true, NULL, NULL, NULL);
    if (fits)
        M->plan[M->it_w[p]] = p;
    return fits;
}

bool clb__greedy_fits(clb_master *M, const int32_t *cols, size_t n, bool take, double *d,
                      int32_t *blocked, size_t *n_blocked)
{
    const clb_model *m = M->m;
    bool fits = true;
    shared_entries(M, cols, n);
    for (size_t t = 0; t < M->n_touched; t++) {
        int32_t r = M->touched[t];
        int32_t mr = M->row_model[r];
        bool bad;
        if (m->row_kind[mr] == CLB_ROW_QUOTA_MIN)
            continue;
        if (m->row_kind[mr] == CLB_ROW_YDEF) {
            size_t v = (size_t)m->row_a[mr];
            bad = M->ycount[v] + M->acc[r] > m->ub[m->y_first + v] + 1e-9;
        } else if (m->row_kind[mr] == CLB_ROW_EXTRA && M->rlo[r] > 1e-9) {
            /* a lower side the empty plan breaks (a held first-stage objective): a
               plan built one worker at a time cannot keep it on the way, so only the
               upper side is kept here and clb__master_offer_plan drops a plan that breaks it */
            bad = M->act[r] + M->acc[r] > M->rhi[r] + 1e-9;
        } else {
            double a = M->act[r] + M->acc[r];
            bad = a > M->rhi[r] + 1e-9 || a < M->rlo[r] - 1e-9;
        }
        if (!bad)
            continue;
        fits = false;
        /* block the itinerary's columns with an entry on the row (directly or
           through their vacancy's count) */
        for (size_t k = 0; k < n; k++) {
            int32_t j = cols[k];
            bool hit = false;
            for (size_t e = M->cols.start[j]; e < M->cols.start[j + 1] && !hit; e++)
                hit = M->shared[M->cols.row[e]] == r;
            if (!hit && m->col_kind[j] == CLB_COL_X) {
                size_t yj = m->y_first + (size_t)m->col_b[j];
                for (size_t e = M->cols.start[yj]; e < M->cols.start[yj + 1] && !hit; e++)
                    hit = M->shared[M->cols.row[e]] == r && M->cols.val[e] > 0;
            }
            if (hit && d && d[j] > -1e8) {
                d[j] = -1e9;
                blocked[(*n_blocked)++] = j;
            }
        }
    }
    if (fits && take)
        for (size_t t = 0; t < M->n_touched; t++) {
            int32_t r = M->touched[t];
            int32_t mr = M->row_model[r];
            if (m->row_kind[mr] == CLB_ROW_YDEF)
                M->ycount[m->row_a[mr]] += M->acc[r];
            else
                M->act[r] += M->acc[r];
        }
    clb__master_untouch(M);
    return fits;
}

/*
 * Try worker w's itineraries under M->d, best first, until one fits beside the plan:
 * `first` (when not NULL) is its best one already priced under M->d, then pricing
 * again after blocking what did not fit (a few tries). What was blocked opens again
 * unless its row closed.
 */
static int greedy_try(clb_master *M, clb_greedy_rows *rows, const double *base, uint32_t w,
                      const clb_itin *first, clb_itin *it, int32_t *blocked)
{
    size_t n_blocked = 0;
    int error = 0;
    for (int t = 0; t < GREEDY_TRIES; t++) {
        bool found = true;
        const clb_itin *at = t == 0 && first ? first : it;
        if (at == it && (error = clb__pricing_best(M->pr, w, M->d, it, &found)) != 0)
            break;
        if (!found || at->value <= 1e-9)
            break;
        if (clb__greedy_fits(M, at->cols, at->n, false, M->d, blocked, &n_blocked)) {
            int32_t k = -1;
            /* reuse a pool entry of the same itinerary when there is one */
            if (M->inc[w] >= 0 && clb__master_same_itin(M, M->inc[w], at))
                k = M->inc[w];
            else if ((error = clb__master_pool_add(M, at, &k)) < 0)
                break;
            clb__greedy_fits(M, at->cols, at->n, true, NULL, NULL, NULL);
            greedy_rows_close(M, rows, at->cols, at->n);
            M->plan[w] = k;
            break;
        }
    }
    for (size_t b = 0; b < n_blocked; b++)
        if (!rows->shut[blocked[b]])
            M->d[blocked[b]] = base[blocked[b]];
    return error;
}

/* greedy.h. The batches do not depend on the number of threads, so neither does the
   plan. */
int clb__greedy_fill_by(clb_master *M, const double *base, const uint32_t *order)
{
    const clb_model *m = M->m;
    int32_t *blocked = clb__malloc((m->ncols + 1) * sizeof(int32_t));
    uint32_t *ws = clb__malloc(FILL_BATCH * sizeof(uint32_t));
    clb_itin *its = clb__calloc(FILL_BATCH, sizeof(clb_itin));
    bool *found = clb__calloc(FILL_BATCH, sizeof(bool));
    clb_itin it;
    clb_greedy_rows rows;
    int error = 0;

    memset(&it, 0, sizeof(it));
    memset(&rows, 0, sizeof(rows));
    if (!blocked || !ws || !its || !found) {
        error = clb__master_nomem(M);
        goto done;
    }
    memcpy(M->d, base, m->ncols * sizeof(double));
    if ((error = greedy_rows_init(M, &rows)) < 0)
        goto done;
    greedy_rows_close_full(M, &rows); /* rows already full (pins, rounding) */
    for (size_t oi = 0; oi < M->nw && error == 0;) {
        size_t nb = 0, n_ok;
        for (; oi < M->nw && nb < FILL_BATCH; oi++) {
            uint32_t w = order[oi];
            if (M->plan[w] < 0 && M->wrow[w] >= 0 && !M->pinned_w[w] && M->order_val[w] > 0)
                ws[nb++] = w;
        }
        if ((error = clb__pricing_best_many(M->team, ws, nb, M->d, its, found, &n_ok)) != 0)
            break;
        for (size_t k = 0; k < nb && error == 0; k++) {
            bool fresh = found[k];
            for (size_t e = 0; fresh && e < its[k].n; e++)
                fresh = !rows.shut[its[k].cols[e]];
            if (!found[k] || its[k].value <= 1e-9) /* nothing under a lower d either */
                continue;
            error = greedy_try(M, &rows, base, ws[k], fresh ? &its[k] : NULL, &it, blocked);
        }
        clb__master_progress(M, "greedy", false);
    }
done:
    if (its)
        for (size_t k = 0; k < FILL_BATCH; k++)
            clb__itin_dispose(&its[k]);
    clb__free(its);
    clb__free(ws);
    clb__free(found);
    clb__free(blocked);
    clb__itin_dispose(&it);
    greedy_rows_dispose(&rows);
    return error;
}
