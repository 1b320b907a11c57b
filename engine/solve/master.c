/*
 * master.c - the itinerary master's rows and columns (master.h): which rows of the pair
 * model the master shares, one row per worker, the Y and S columns and the artificial
 * columns of pinned workers, the pool of itineraries and their entries, and the LPs
 * built from them.
 *
 * An itinerary's entry on a shared row is the sum of the entries of the model columns
 * it sets to one (accumulated through the touched-row scratch), its objective their
 * sum; the worker row takes 1. The search that fills the pool and the bound are in
 * itinerary.c.
 *
 * From a few thousand rows on the master LP is managed (docs/PERFORMANCE.md, "The master
 * LP"): GLPK's primal simplex there is bound by its pivots and by the cost of a pivot,
 * which grows with the columns; so columns that stay out of the basis are dropped, only
 * the most attractive new ones join a round, and the integer masters start from the
 * master LP's basis instead of solving their LP again. LP column base + k holds pool
 * entry lp_it[k]; the pool itself never shrinks (plans refer to it by index).
 */
#include "solve/master.h"
#include "solve/lp.h"
#include "util/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ART_PENALTY 1e7        /* objective of an artificial column (per unit) */


int clb__master_nomem(clb_master *M)
{
    return clb__error_set(M->err, CLB_ENOMEM, "out of memory in the itinerary master");
}

void clb__master_progress(clb_master *M, const char *phase, bool force)
{
    if (M->opts->progress)
        M->opts->progress(phase, M->has_inc, M->inc_obj, M->has_bound, M->bound, force,
                          M->opts->payload);
}

/* ---- itineraries as master columns ------------------------------------------------- */

void clb__master_touch(clb_master *M, int32_t r, double v)
{
    if (!M->is_touched[r]) {
        M->is_touched[r] = true;
        M->touched[M->n_touched++] = r;
        M->acc[r] = 0;
    }
    M->acc[r] += v;
}

void clb__master_untouch(clb_master *M)
{
    for (size_t k = 0; k < M->n_touched; k++)
        M->is_touched[M->touched[k]] = false;
    M->n_touched = 0;
}

/* entries of the model columns cols[0..n) on the shared rows, into acc/touched */
void clb__master_shared_entries(clb_master *M, const int32_t *cols, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        int32_t j = cols[k];
        for (size_t e = M->cols.start[j]; e < M->cols.start[j + 1]; e++) {
            int32_t r = M->shared[M->cols.row[e]];
            if (r >= 0)
                clb__master_touch(M, r, M->cols.val[e]);
        }
    }
}

int clb__master_pool_add(clb_master *M, const clb_itin *it, int32_t *index)
{
    if (M->n_it + 1 >= M->it_cap) {
        size_t cap = M->it_cap ? M->it_cap * 2 : 1024;
        uint32_t *w = clb__realloc(M->it_w, cap * sizeof(uint32_t));
        if (w)
            M->it_w = w;
        double *o = clb__realloc(M->it_obj, cap * sizeof(double));
        if (o)
            M->it_obj = o;
        size_t *f = clb__realloc(M->it_first, (cap + 1) * sizeof(size_t));
        if (f)
            M->it_first = f;
        if (!w || !o || !f)
            return clb__master_nomem(M);
        M->it_cap = cap;
    }
    if (M->cols_n + it->n > M->cols_cap) {
        size_t cap = M->cols_cap ? M->cols_cap : 4096;
        while (cap < M->cols_n + it->n)
            cap *= 2;
        int32_t *c = clb__realloc(M->it_cols, cap * sizeof(int32_t));
        if (!c)
            return clb__master_nomem(M);
        M->it_cols = c;
        M->cols_cap = cap;
    }
    double obj = 0;
    for (size_t k = 0; k < it->n; k++)
        obj += M->m->obj[it->cols[k]];
    M->it_first[M->n_it] = M->cols_n;
    memcpy(M->it_cols + M->cols_n, it->cols, it->n * sizeof(int32_t));
    M->cols_n += it->n;
    M->it_w[M->n_it] = it->worker;
    M->it_obj[M->n_it] = obj;
    M->it_first[M->n_it + 1] = M->cols_n;
    *index = (int32_t)M->n_it++;
    return 0;
}

bool clb__master_same_itin(const clb_master *M, int32_t k, const clb_itin *it)
{
    size_t n = M->it_first[k + 1] - M->it_first[k];
    return M->it_w[k] == it->worker && n == it->n &&
           memcmp(M->it_cols + M->it_first[k], it->cols, n * sizeof(int32_t)) == 0;
}

/* Release the arrays of a block of LP columns (as clb__lp_add_cols takes them). */
static void free_cols(size_t *start, double *obj, double *lb, double *ub, bool *is_int,
                      int32_t *rows, double *vals)
{
    clb__free(start);
    clb__free(obj);
    clb__free(lb);
    clb__free(ub);
    clb__free(is_int);
    clb__free(rows);
    clb__free(vals);
}

/* Add pool entries list[0..n) (first + k when list is NULL) to an LP of the master rows. */
static int add_entries(clb_master *M, clb_lp *lp, size_t first, const size_t *list, size_t n)
{
    size_t nnz = 0, cap = 0;
    size_t *start = clb__malloc((n + 1) * sizeof(size_t));
    double *obj = clb__malloc((n + 1) * sizeof(double)), *lb = clb__malloc((n + 1) * sizeof(double)),
           *ub = clb__malloc((n + 1) * sizeof(double));
    bool *is_int = clb__malloc((n + 1) * sizeof(bool));
    int32_t *rows = NULL;
    double *vals = NULL;
    int error = 0;

    if (!start || !obj || !lb || !ub || !is_int) {
        error = clb__master_nomem(M);
        goto done;
    }
    for (size_t k = 0; k < n; k++) {
        size_t it = list ? list[k] : first + k;
        start[k] = nnz;
        clb__master_shared_entries(M, M->it_cols + M->it_first[it], M->it_first[it + 1] - M->it_first[it]);
        if (nnz + M->n_touched + 1 > cap) {
            size_t nc = cap ? cap * 2 : 4096;
            while (nc < nnz + M->n_touched + 1)
                nc *= 2;
            int32_t *r = clb__realloc(rows, nc * sizeof(int32_t));
            if (r)
                rows = r;
            double *v = clb__realloc(vals, nc * sizeof(double));
            if (v)
                vals = v;
            if (!r || !v) {
                clb__master_untouch(M);
                error = clb__master_nomem(M);
                goto done;
            }
            cap = nc;
        }
        for (size_t t = 0; t < M->n_touched; t++) {
            int32_t r = M->touched[t];
            if (M->acc[r] != 0) {
                rows[nnz] = r;
                vals[nnz++] = M->acc[r];
            }
        }
        clb__master_untouch(M);
        rows[nnz] = M->wrow[M->it_w[it]];
        vals[nnz++] = 1;
        obj[k] = M->it_obj[it];
        lb[k] = 0;
        ub[k] = 1;
        is_int[k] = true;
    }
    start[n] = nnz;
    error = clb__lp_add_cols(lp, n, obj, lb, ub, is_int, start, rows, vals, M->err);
done:
    free_cols(start, obj, lb, ub, is_int, rows, vals);
    return error;
}

/* Add pool entries first..n_it-1 to an LP (whose rows are the master rows). */
int clb__master_lp_add_pool(clb_master *M, clb_lp *lp, size_t first)
{
    return add_entries(M, lp, first, NULL, M->n_it - first);
}

int clb__master_pool_copy_lp(clb_master *M, size_t *first)
{
    clb_itin it;
    int error = 0;
    memset(&it, 0, sizeof(it));
    *first = M->n_it;
    for (size_t k = 0; k < M->lp_n && error == 0; k++) {
        size_t q = (size_t)M->lp_it[k];
        int32_t at;
        it.worker = M->it_w[q];
        it.n = 0;
        for (size_t e = M->it_first[q]; e < M->it_first[q + 1] && error == 0; e++)
            if (clb__itin_push(&it, M->it_cols[e]) < 0)
                error = clb__master_nomem(M);
        if (error == 0)
            error = clb__master_pool_add(M, &it, &at);
    }
    clb__itin_dispose(&it);
    return error;
}

/* Is pool entry a the same itinerary as pool entry b? */
static bool same_entries(const clb_master *M, size_t a, size_t b)
{
    size_t n = M->it_first[a + 1] - M->it_first[a];
    return a == b || (M->it_w[a] == M->it_w[b] && M->it_first[b + 1] - M->it_first[b] == n &&
                      memcmp(M->it_cols + M->it_first[a], M->it_cols + M->it_first[b],
                             n * sizeof(int32_t)) == 0);
}

/*
 * The master LP's basis on another LP of the same rows. Its basic and at-upper
 * itineraries are listed by worker, and each of lp's pool columns looks for its own
 * among its worker's few; rows and fixed columns keep their status (an artificial of
 * bound 0 there becomes fixed, which GLPK's statuses allow for).
 */
int clb__master_lp_basis_from(clb_master *M, clb_lp *lp, size_t first)
{
    size_t base = M->n_fixed_model + M->n_art;
    size_t mc = clb__lp_cols(M->lp), nc = clb__lp_cols(lp);
    size_t mi = mc > base ? mc - base : 0;
    uint8_t *rs = clb__malloc(M->n_rows + 1), *ms = clb__malloc(mc + 1), *cs = clb__malloc(nc + 1);
    int32_t *head = clb__malloc((M->nw + 1) * sizeof(int32_t));
    int32_t *next = clb__malloc((mi + 1) * sizeof(int32_t));
    bool *used = clb__calloc(mi + 1, sizeof(bool));
    size_t basic = 0, matched = 0;
    int error = 0;

    if (!rs || !ms || !cs || !head || !next || !used) {
        error = clb__master_nomem(M);
        goto done;
    }
    clb__lp_get_basis(M->lp, rs, ms);
    memcpy(cs, ms, base);
    memset(cs + base, CLB_LP_AT_LOWER, nc - base);
    for (size_t w = 0; w < M->nw; w++)
        head[w] = -1;
    for (size_t k = mi; k-- > 0;) {
        if (ms[base + k] == CLB_LP_AT_LOWER)
            continue;
        basic += ms[base + k] == CLB_LP_BASIC;
        uint32_t w = M->it_w[M->lp_it[k]];
        next[k] = head[w];
        head[w] = (int32_t)k;
    }
    for (size_t q = first; q < M->n_it && base + (q - first) < nc; q++)
        for (int32_t k = head[M->it_w[q]]; k >= 0; k = next[k]) {
            if (used[k] || !same_entries(M, (size_t)M->lp_it[k], q))
                continue;
            used[k] = true;
            cs[base + (q - first)] = ms[base + (size_t)k];
            matched += ms[base + (size_t)k] == CLB_LP_BASIC;
            break;
        }
    if (matched == basic)
        error = clb__lp_set_basis(lp, rs, cs, M->err);
done:
    clb__free(rs);
    clb__free(ms);
    clb__free(cs);
    clb__free(head);
    clb__free(next);
    clb__free(used);
    return error;
}

/*
 * Below a few thousand rows the master LP takes milliseconds and pricing rounds
 * dominate: dropping columns there only adds rounds, and the plan chosen among equal
 * optima (which depends on the simplex's path) stays the one of a plain restart.
 */
bool clb__master_manage_lp(const clb_master *M)
{
    int how = M->opts ? M->opts->lp_manage : 0;
    return how > 0 || (how == 0 && M->n_rows >= CLB_MASTER_MANAGE_ROWS);
}

/* Reduced value under the master LP's duals M->pi (worker row included) of pool entry q. */
static double entry_reduced_value(const clb_master *M, size_t q)
{
    double r = -M->pi[M->wrow[M->it_w[q]]];
    for (size_t e = M->it_first[q]; e < M->it_first[q + 1]; e++) {
        int32_t j = M->it_cols[e];
        r += M->m->obj[j];
        for (size_t f = M->cols.start[j]; f < M->cols.start[j + 1]; f++) {
            int32_t row = M->shared[M->cols.row[f]];
            if (row >= 0)
                r -= M->pi[row] * M->cols.val[f];
        }
    }
    return r;
}

size_t clb__master_lp_cap(const clb_master *M)
{
    if (M->opts && M->opts->lp_cap > 0)
        return M->opts->lp_cap;
    size_t c = M->n_rows / 10;
    return c > CLB_MASTER_LP_CAP_MIN ? c : CLB_MASTER_LP_CAP_MIN;
}

int clb__master_lp_grow(clb_master *M)
{
    size_t n = M->n_it - M->lp_pool_n, first = M->lp_pool_n;
    size_t *list = NULL;
    int error;
    if (M->lp_n > 0 && clb__master_manage_lp(M) && n > clb__master_lp_cap(M)) {
        /* the most attractive itineraries under the LP's duals only (ties by pool
           order), added in pool order; the others stay in the pool, and pricing offers
           their worker's best again next round */
        uint32_t *pos = clb__malloc((n + 1) * sizeof(uint32_t));
        uint32_t *tmp = clb__malloc((n + 1) * sizeof(uint32_t));
        double *val = clb__malloc((n + 1) * sizeof(double));
        bool *take = clb__calloc(n + 1, sizeof(bool));
        list = clb__malloc((n + 1) * sizeof(size_t));
        if (!pos || !tmp || !val || !take || !list) {
            clb__free(pos);
            clb__free(tmp);
            clb__free(val);
            clb__free(take);
            clb__free(list);
            return clb__master_nomem(M);
        }
        for (size_t k = 0; k < n; k++)
            val[k] = entry_reduced_value(M, first + k);
        clb__order_by_value_desc(pos, tmp, val, n); /* stable: ties in pool order */
        size_t cap = clb__master_lp_cap(M);
        for (size_t k = 0; k < cap; k++)
            take[pos[k]] = true;
        n = 0;
        for (size_t k = 0; k < M->n_it - first; k++)
            if (take[k])
                list[n++] = first + k;
        clb__free(pos);
        clb__free(tmp);
        clb__free(val);
        clb__free(take);
    }
    if (M->lp_n + n > M->lp_cap) {
        size_t cap = M->lp_cap ? M->lp_cap : 1024;
        while (cap < M->lp_n + n)
            cap *= 2;
        int32_t *it = clb__realloc(M->lp_it, cap * sizeof(int32_t));
        if (it)
            M->lp_it = it;
        uint8_t *age = clb__realloc(M->lp_age, cap);
        if (age)
            M->lp_age = age;
        if (!it || !age) {
            clb__free(list);
            return clb__master_nomem(M);
        }
        M->lp_cap = cap;
    }
    error = add_entries(M, M->lp, first, list, n);
    if (error == 0)
        for (size_t k = 0; k < n; k++) {
            M->lp_it[M->lp_n + k] = (int32_t)(list ? list[k] : first + k);
            M->lp_age[M->lp_n + k] = 0;
        }
    clb__free(list);
    if (error < 0)
        return error;
    M->lp_n += n;
    M->lp_pool_n = M->n_it;
    return 0;
}

/*
 * An itinerary column that keeps pricing out of the basis costs every later pivot its
 * share of the pricing and of the pivot row; dropped, the LP stays the LP of the
 * columns that matter. A column is dropped only when nonbasic at zero (so the basis is
 * untouched) after `rounds` optimal LPs running with a reduced cost below -1e-6;
 * convergence still means that no itinerary of any worker prices out.
 */
int clb__master_lp_prune(clb_master *M, unsigned rounds, size_t *dropped)
{
    size_t base = M->n_fixed_model + M->n_art;
    size_t nc = clb__lp_cols(M->lp);
    uint8_t *rs = clb__malloc(M->n_rows + 1), *cs = clb__malloc(nc + 1);
    double *dj = clb__malloc((nc + 1) * sizeof(double));
    int32_t *gone = clb__malloc((M->lp_n + 1) * sizeof(int32_t));
    size_t ng = 0, to = 0;
    int error = 0;

    *dropped = 0;
    if (!rs || !cs || !dj || !gone) {
        error = clb__master_nomem(M);
        goto done;
    }
    clb__lp_get_basis(M->lp, rs, cs);
    clb__lp_reduced_costs(M->lp, dj);
    for (size_t k = 0; k < M->lp_n; k++) {
        bool out = cs[base + k] == CLB_LP_AT_LOWER && dj[base + k] < -1e-6;
        if (!out)
            M->lp_age[k] = 0;
        else if (M->lp_age[k] < UINT8_MAX)
            M->lp_age[k]++;
        if (out && M->lp_age[k] >= rounds) {
            gone[ng++] = (int32_t)(base + k);
            continue;
        }
        M->lp_it[to] = M->lp_it[k];
        M->lp_age[to++] = M->lp_age[k];
    }
    if (ng > 0 && (error = clb__lp_del_cols(M->lp, ng, gone, M->err)) < 0)
        goto done;
    M->lp_n = to;
    *dropped = ng;
done:
    clb__free(rs);
    clb__free(cs);
    clb__free(dj);
    clb__free(gone);
    return error;
}

/* A new LP with the master rows and the fixed columns (artificials with ub art_ub). */
int clb__master_lp_frame(clb_master *M, clb_lp **out, double art_ub)
{
    clb_lp *lp = NULL;
    size_t nf = M->n_fixed_model + M->n_art, nnz = 0;
    size_t *start = clb__malloc((nf + 1) * sizeof(size_t));
    double *obj = clb__malloc((nf + 1) * sizeof(double)), *lb = clb__malloc((nf + 1) * sizeof(double)),
           *ub = clb__malloc((nf + 1) * sizeof(double));
    bool *is_int = clb__calloc(nf + 1, sizeof(bool));
    size_t cap = nf + 1;
    for (size_t k = 0; k < M->n_fixed_model; k++) {
        int32_t j = M->fixed_model[k];
        cap += M->cols.start[j + 1] - M->cols.start[j];
    }
    int32_t *rows = clb__malloc(cap * sizeof(int32_t));
    double *vals = clb__malloc(cap * sizeof(double));
    int error = 0;

    *out = NULL;
    if (!start || !obj || !lb || !ub || !is_int || !rows || !vals) {
        error = clb__master_nomem(M);
        goto done;
    }
    for (size_t k = 0; k < M->n_fixed_model; k++) {
        int32_t j = M->fixed_model[k];
        start[k] = nnz;
        for (size_t e = M->cols.start[j]; e < M->cols.start[j + 1]; e++) {
            int32_t r = M->shared[M->cols.row[e]];
            if (r >= 0) {
                rows[nnz] = r;
                vals[nnz++] = M->cols.val[e];
            }
        }
        obj[k] = M->m->obj[j];
        lb[k] = M->m->lb[j];
        ub[k] = M->m->ub[j] >= CLB_INF ? CLB_LP_INF : M->m->ub[j];
    }
    {
        size_t k = M->n_fixed_model;
        for (size_t w = 0; w < M->nw; w++)
            if ((M->pinned_w[w] || M->art_all) && M->wrow[w] >= 0) {
                start[k] = nnz;
                rows[nnz] = M->wrow[w];
                vals[nnz++] = 1;
                obj[k] = -ART_PENALTY;
                lb[k] = 0;
                ub[k] = M->pinned_w[w] ? art_ub : 0;
                k++;
            }
    }
    start[nf] = nnz;
    if ((error = clb__lp_new(&lp, M->err)) < 0 ||
        (error = clb__lp_add_rows(lp, M->n_rows, M->rlo, M->rhi, NULL, NULL, NULL, M->err)) < 0 ||
        (error = clb__lp_add_cols(lp, nf, obj, lb, ub, is_int, start, rows, vals, M->err)) < 0 ||
        (error = clb__lp_set_obj_const(lp, M->m->obj_const, M->err)) < 0)
        goto done;
    *out = lp;
    lp = NULL;
done:
    clb__lp_free(lp);
    free_cols(start, obj, lb, ub, is_int, rows, vals);
    return error;
}

int clb__master_lp_all_artificials(clb_master *M)
{
    size_t old_base = M->n_fixed_model + M->n_art, mc = clb__lp_cols(M->lp);
    size_t *list = clb__malloc((M->lp_n + 1) * sizeof(size_t));
    uint8_t *rs = clb__malloc(M->n_rows + 1), *ms = clb__malloc(mc + 1), *cs = NULL;
    clb_lp *lp = NULL;
    int error = 0;

    if (M->art_all) {
        clb__free(list);
        clb__free(rs);
        clb__free(ms);
        return 0;
    }
    if (!list || !rs || !ms) {
        error = clb__master_nomem(M);
        goto done;
    }
    clb__lp_get_basis(M->lp, rs, ms);
    M->art_all = true;
    M->n_art = M->n_rows - M->n_shared;
    size_t base = M->n_fixed_model + M->n_art;
    if (!(cs = clb__malloc(base + M->lp_n + 1))) {
        error = clb__master_nomem(M);
        goto done;
    }
    for (size_t k = 0; k < M->lp_n; k++)
        list[k] = (size_t)M->lp_it[k];
    if ((error = clb__master_lp_frame(M, &lp, CLB_LP_INF)) < 0 ||
        (error = add_entries(M, lp, 0, list, M->lp_n)) < 0)
        goto done;
    /* the same basis: a pinned worker's artificial as it was, the others at zero */
    memcpy(cs, ms, M->n_fixed_model);
    size_t old_art = M->n_fixed_model;
    for (size_t w = 0; w < M->nw; w++) {
        if (M->wrow[w] < 0)
            continue;
        size_t k = M->n_fixed_model + (size_t)(M->wrow[w] - (int32_t)M->n_shared);
        cs[k] = M->pinned_w[w] ? ms[old_art++] : CLB_LP_AT_LOWER;
    }
    memcpy(cs + base, ms + old_base, M->lp_n);
    if ((error = clb__lp_set_basis(lp, rs, cs, M->err)) < 0)
        goto done;
    clb__lp_free(M->lp);
    M->lp = lp;
    lp = NULL;
done:
    clb__lp_free(lp);
    clb__free(list);
    clb__free(rs);
    clb__free(ms);
    clb__free(cs);
    return error;
}

bool clb__master_within_gap(const clb_master *M, double bound, double gap)
{
    if (!M->has_inc)
        return false;
    double d = fabs(M->inc_obj) > 1 ? fabs(M->inc_obj) : 1;
    return (bound - M->inc_obj) / d <= gap;
}

/* ---- plans ------------------------------------------------------------------------------ */

void clb__master_plan_values(clb_master *M, const int32_t *plan, double *x)
{
    const clb_model *m = M->m;
    memset(x, 0, m->ncols * sizeof(double));
    for (size_t w = 0; w < M->nw; w++)
        if (plan[w] >= 0)
            for (size_t e = M->it_first[plan[w]]; e < M->it_first[plan[w] + 1]; e++)
                x[M->it_cols[e]] = 1;
    for (size_t j = 0; j < m->ncols; j++)
        if (m->col_kind[j] == CLB_COL_X && x[j] > 0.5)
            x[m->y_first + (size_t)m->col_b[j]] += 1;
    clb__model_met_parts(m, x);
}

/* The first row of m that x breaks, or -1. */
static long broken_row(const clb_model *m, const double *x)
{
    for (size_t j = 0; j < m->ncols; j++)
        if (x[j] < m->lb[j] - 1e-6 || x[j] > m->ub[j] + 1e-6)
            return -2 - (long)j;
    for (size_t i = 0; i < m->nrows; i++)
        if (!clb__model_row_kept(m, i, x, 1e-6))
            return (long)i;
    return -1;
}

/*
 * Does x keep every extra row (model.h, CLB_ROW_EXTRA) to 1e-9 relative? A held
 * first-stage objective is such a row, and a plan that holds it only to broken_row's
 * tolerance would not have the first stage's objective.
 */
static bool extra_rows_kept(const clb_model *m, const double *x)
{
    for (size_t i = 0; i < m->nrows; i++) {
        if (m->row_kind[i] != CLB_ROW_EXTRA)
            continue;
        double a = 0;
        for (size_t e = m->row_start[i]; e < m->row_start[i + 1]; e++)
            a += m->val[e] * x[m->idx[e]];
        if ((m->rlo[i] > -CLB_INF && a < m->rlo[i] - 1e-9 * fmax(1, fabs(m->rlo[i]))) ||
            (m->rhi[i] < CLB_INF && a > m->rhi[i] + 1e-9 * fmax(1, fabs(m->rhi[i]))))
            return false;
    }
    return true;
}

static double plan_objective(clb_master *M, const int32_t *plan)
{
    clb__master_plan_values(M, plan, M->x);
    return clb__model_objective(M->m, M->x);
}

int clb__master_offer_plan(clb_master *M, const int32_t *plan)
{
    double z = plan_objective(M, plan);
    long br = broken_row(M->m, M->x);
    if (br >= 0 && M->m->row_kind[br] == CLB_ROW_EXTRA)
        return 0; /* a heuristic plan below a held objective: not a plan */
    if (br == -1 && !extra_rows_kept(M->m, M->x))
        return 0;
    if (br != -1)
        return clb__error_set(M->err, CLB_EINTERNAL,
                             "itinerary master: a plan breaks model %s %ld",
                             br >= 0 ? "row" : "column", br >= 0 ? br : -2 - br);
    if (!M->has_inc || z > M->inc_obj + 1e-9) {
        memcpy(M->inc, plan, M->nw * sizeof(int32_t));
        M->inc_obj = z;
        M->has_inc = true;
    }
    return 0;
}

/* ---- setup ------------------------------------------------------------------------------ */

void clb__master_dispose(clb_master *M)
{
    clb__model_cols_dispose(&M->cols);
    clb__pricing_free(M->pr);
    clb__lp_free(M->lp);
    clb__free(M->shared);
    clb__free(M->row_model);
    clb__free(M->wrow);
    clb__free(M->rlo);
    clb__free(M->rhi);
    clb__free(M->pinned_w);
    clb__free(M->fixed_model);
    clb__free(M->it_w);
    clb__free(M->it_obj);
    clb__free(M->it_first);
    clb__free(M->it_cols);
    clb__free(M->lp_it);
    clb__free(M->lp_age);
    clb__free(M->acc);
    clb__free(M->touched);
    clb__free(M->is_touched);
    clb__free(M->d);
    clb__free(M->pi);
    clb__free(M->act);
    clb__free(M->ycount);
    clb__free(M->plan);
    clb__free(M->inc);
    clb__free(M->bound_d);
    clb__free(M->bound_M);
    clb__free(M->order_val);
    clb__free(M->order);
    clb__free(M->x);
}

int clb__master_init(clb_master *M, const clb_scenario *s, const clb_model *m,
                       const bool *pinned)
{
    int rc;
    size_t nw = s->n_workers;
    M->s = s;
    M->m = m;
    M->nw = nw;
    if ((rc = clb__pricing_new(&M->pr, s, m, pinned)) != 0)
        return rc == 1 ? 1 : clb__master_nomem(M);
    if (clb__model_columns(&M->cols, m) < 0)
        return clb__master_nomem(M);
    M->shared = clb__malloc((m->nrows + 1) * sizeof(int32_t));
    M->row_model = clb__malloc((m->nrows + nw + 1) * sizeof(int32_t));
    M->wrow = clb__malloc((nw + 1) * sizeof(int32_t));
    M->rlo = clb__malloc((m->nrows + nw + 1) * sizeof(double));
    M->rhi = clb__malloc((m->nrows + nw + 1) * sizeof(double));
    M->pinned_w = clb__calloc(nw + 1, sizeof(bool));
    M->fixed_model = clb__malloc((m->ncols + 1) * sizeof(int32_t));
    M->d = clb__malloc((m->ncols + 1) * sizeof(double));
    M->bound_d = clb__malloc((m->ncols + 1) * sizeof(double));
    M->x = clb__malloc((m->ncols + 1) * sizeof(double));
    M->bound_M = clb__calloc(nw + 1, sizeof(double));
    M->order_val = clb__calloc(nw + 1, sizeof(double));
    M->order = clb__malloc((nw + 1) * sizeof(uint32_t));
    M->plan = clb__malloc((nw + 1) * sizeof(int32_t));
    M->inc = clb__malloc((nw + 1) * sizeof(int32_t));
    M->ycount = clb__calloc(s->n_vacancies + 1, sizeof(double));
    if (!M->shared || !M->row_model || !M->wrow || !M->rlo || !M->rhi || !M->pinned_w ||
        !M->fixed_model || !M->d || !M->bound_d || !M->x || !M->bound_M || !M->order_val ||
        !M->order || !M->plan || !M->inc || !M->ycount)
        return clb__master_nomem(M);
    for (size_t i = 0; i < m->nrows; i++) {
        M->shared[i] = -1;
        if (clb__model_row_is_own((clb_row_kind)m->row_kind[i]))
            continue;
        M->shared[i] = (int32_t)M->n_rows;
        M->row_model[M->n_rows] = (int32_t)i;
        M->rlo[M->n_rows] = m->rlo[i] <= -CLB_INF ? -CLB_LP_INF : m->rlo[i];
        M->rhi[M->n_rows] = m->rhi[i] >= CLB_INF ? CLB_LP_INF : m->rhi[i];
        M->n_rows++;
    }
    M->n_shared = M->n_rows;
    for (uint32_t w = 0; w < nw; w++) {
        M->wrow[w] = -1;
        M->inc[w] = -1;
        M->plan[w] = -1;
        if (m->pairs->first[w + 1] == m->pairs->first[w])
            continue;
        M->pinned_w[w] = clb__pricing_pinned(M->pr, w);
        M->wrow[w] = (int32_t)M->n_rows;
        M->row_model[M->n_rows] = -1;
        M->rlo[M->n_rows] = M->pinned_w[w] ? 1 : -CLB_LP_INF;
        M->rhi[M->n_rows] = 1;
        M->n_rows++;
        if (M->pinned_w[w])
            M->n_art++;
    }
    for (size_t j = 0; j < m->ncols; j++)
        if (m->col_kind[j] == CLB_COL_Y || m->col_kind[j] == CLB_COL_S)
            M->fixed_model[M->n_fixed_model++] = (int32_t)j;
    M->acc = clb__malloc((M->n_rows + 1) * sizeof(double));
    M->touched = clb__malloc((M->n_rows + 1) * sizeof(int32_t));
    M->is_touched = clb__calloc(M->n_rows + 1, sizeof(bool));
    M->pi = clb__calloc(M->n_rows + 1, sizeof(double));
    M->act = clb__calloc(M->n_rows + 1, sizeof(double));
    if (!M->acc || !M->touched || !M->is_touched || !M->pi || !M->act)
        return clb__master_nomem(M);
    return 0;
}
