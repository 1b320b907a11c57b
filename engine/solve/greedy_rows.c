/*
 * greedy_rows.c - the rows that fill up during one greedy pass (greedy_rows.h): an
 * index from each master row to the itinerary columns with a positive entry on it,
 * built once a pass, so closing a row shuts its columns at once.
 */
#include "solve/greedy_rows.h"
#include "util/alloc.h"

#include <string.h>


void clb__greedy_rows_dispose(clb_greedy_rows *g)
{
    clb__free(g->start);
    clb__free(g->col);
    clb__free(g->val);
    clb__free(g->minpos);
    clb__free(g->closed);
    clb__free(g->shut);
    memset(g, 0, sizeof(*g));
}

static bool itinerary_column(const clb_model *m, size_t j)
{
    return m->col_kind[j] == CLB_COL_X || m->col_kind[j] == CLB_COL_Z ||
           m->col_kind[j] == CLB_COL_A || m->col_kind[j] == CLB_COL_R;
}

int clb__greedy_rows_init(clb_master *M, clb_greedy_rows *g)
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
    g->col = clb__malloc((nnz + 1) * sizeof(int32_t));
    g->val = clb__malloc((nnz + 1) * sizeof(double));
    if (!g->col || !g->val)
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
            g->val[k] = M->cols.val[e];
        }
    }
    return 0;
nomem:
    clb__greedy_rows_dispose(g);
    return clb__master_nomem(M);
}

void clb__greedy_rows_close(clb_master *M, clb_greedy_rows *g, const int32_t *cols, size_t n)
{
    const clb_model *m = M->m;
    clb__master_shared_entries(M, cols, n); /* direct entries only */
    for (size_t t = 0; t < M->n_touched; t++) {
        int32_t r = M->touched[t];
        int32_t mr = M->row_model[r];
        double room;
        if (g->closed[r] || mr < 0 || m->row_kind[mr] == CLB_ROW_QUOTA_MIN)
            continue;
        if (m->row_kind[mr] == CLB_ROW_YDEF)
            room = m->ub[m->y_first + (size_t)m->row_a[mr]] - M->ycount[m->row_a[mr]];
        else
            room = M->rhi[r] - M->act[r];
        if (room + 1e-9 >= g->minpos[r])
            continue;
        g->closed[r] = true;
        for (size_t k = g->start[r]; k < g->start[r + 1]; k++) {
            M->d[g->col[k]] = -1e9;
            g->shut[g->col[k]] = true;
        }
    }
    clb__master_untouch(M);
}

