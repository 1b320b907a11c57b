/*
 * stable.c - the rows of `solve --stable` (stable.h): no justified envy.
 *
 * A plan has justified envy when a worker w, eligible for v and not on it, strictly
 * prefers v to its lowest-ranked placement (or is unplaced) while v holds a worker
 * worth strictly less for v (docs/MODEL.md, "Stability"). Two families of linear rows
 * over the placement columns rule it out, one pair (w, v) at a time: if any such
 * holder is on v, w is on v, or w is placed somewhere it ranks at least as high as v
 * and nowhere it ranks below v. Both are big-M rows with M the most holders there can
 * be, so the LP relaxation stays as tight as the rows allow; pairs with no worker
 * worth less get no row at all. Pinned holders are exempt (they cannot leave), which
 * keeps every plan of the pins alone feasible: --stable never makes pins infeasible
 * that were not.
 */
#include "solve/stable.h"

#include "util/alloc.h"

#include <stdlib.h>
#include <string.h>

int clb__stable_rows(clb_model *m, const clb_scenario *s, const clb_pairs *pairs,
                     const bool *pinned, clb_error *err)
{
    size_t np = pairs->n;
    clb_pair_index ix;
    int32_t *cols = NULL;
    double *vals = NULL;
    int error;

    if ((error = clb__pair_index_build(&ix, s, pairs)) < 0)
        return clb__error_set(err, CLB_ENOMEM, "out of memory adding the stability rows");
    const uint32_t *vfirst = ix.vfirst, *vpair = ix.vpair;
    const double *value = ix.value, *pref = ix.pref;
    cols = clb__malloc((np + 1) * sizeof(int32_t));
    vals = clb__malloc((np + 1) * sizeof(double));
    if (!cols || !vals) {
        error = CLB_ENOMEM;
        goto done;
    }

    for (uint32_t w = 0; w < s->n_workers && error == 0; w++)
        for (uint32_t p = pairs->first[w]; p < pairs->first[w + 1] && error == 0; p++) {
            uint32_t v = pairs->vac[p];
            size_t nx = 0, n;
            double big;
            /* X: the unpinned holders-to-be of v worth less than w there */
            for (uint32_t k = vfirst[v]; k < vfirst[v + 1]; k++) {
                uint32_t q = vpair[k];
                if (q != p && !pinned[q] && clb__value_below(value[q], value[p])) {
                    cols[nx] = (int32_t)q;
                    vals[nx++] = 1.0;
                }
            }
            if (nx == 0)
                continue;
            big = (double)(nx < (size_t)s->vacancies[v].headcount
                               ? nx
                               : (size_t)s->vacancies[v].headcount);
            /* some holder in X => w on v or on a vacancy it ranks at least as high */
            n = nx;
            cols[n] = (int32_t)p;
            vals[n++] = -big;
            for (uint32_t u = pairs->first[w]; u < pairs->first[w + 1]; u++)
                if (u != p && pref[u] >= pref[p]) {
                    cols[n] = (int32_t)u;
                    vals[n++] = -big;
                }
            if ((error = clb__model_add_row(m, (int32_t)p, -CLB_INF, 0, n, cols, vals)) < 0)
                break;
            /* some holder in X and w on a vacancy it ranks below v => w on v */
            for (uint32_t u = pairs->first[w]; u < pairs->first[w + 1] && error == 0; u++) {
                if (u == p || !(pref[u] < pref[p]))
                    continue;
                n = nx;
                cols[n] = (int32_t)u;
                vals[n++] = big;
                cols[n] = (int32_t)p;
                vals[n++] = -big;
                error = clb__model_add_row(m, (int32_t)p, -CLB_INF, big, n, cols, vals);
            }
        }
done:
    clb__pair_index_dispose(&ix);
    clb__free(cols);
    clb__free(vals);
    if (error < 0)
        return clb__error_set(err, CLB_ENOMEM, "out of memory adding the stability rows");
    return 0;
}

/* ---- the pairs by vacancy ------------------------------------------------------------ */

int clb__pair_index_build(clb_pair_index *ix, const clb_scenario *s, const clb_pairs *pairs)
{
    size_t nv = s->n_vacancies, np = pairs->n;
    uint32_t *pos = clb__malloc((nv + 1) * sizeof(uint32_t));
    ix->vfirst = clb__calloc(nv + 2, sizeof(uint32_t));
    ix->vpair = clb__malloc((np + 1) * sizeof(uint32_t));
    ix->value = clb__malloc((np + 1) * sizeof(double));
    ix->pref = clb__malloc((np + 1) * sizeof(double));
    if (!pos || !ix->vfirst || !ix->vpair || !ix->value || !ix->pref) {
        clb__free(pos);
        clb__pair_index_dispose(ix);
        return CLB_ENOMEM;
    }
    for (uint32_t w = 0; w < s->n_workers; w++)
        for (uint32_t p = pairs->first[w]; p < pairs->first[w + 1]; p++) {
            ix->vfirst[pairs->vac[p] + 1]++;
            ix->value[p] = clb__placement_value(s, w, pairs->vac[p]);
            ix->pref[p] = clb__pref_value(s, &s->workers[w], &s->vacancies[pairs->vac[p]]);
        }
    for (size_t v = 0; v < nv; v++)
        ix->vfirst[v + 1] += ix->vfirst[v];
    memcpy(pos, ix->vfirst, nv * sizeof(uint32_t));
    for (uint32_t p = 0; p < np; p++) /* pairs are by worker: vpair is in worker order */
        ix->vpair[pos[pairs->vac[p]]++] = p;
    clb__free(pos);
    return 0;
}

void clb__pair_index_dispose(clb_pair_index *ix)
{
    clb__free(ix->vfirst);
    clb__free(ix->vpair);
    clb__free(ix->value);
    clb__free(ix->pref);
    memset(ix, 0, sizeof(*ix));
}

/* ---- a stable plan to start from -------------------------------------------------- */

/* Does worker w's placement on v need course c (required, not completed)? */
static bool needs_course(const clb_scenario *s, uint32_t w, uint32_t v, int32_t course)
{
    const clb_worker_rec *wr = &s->workers[w];
    const clb_vacancy_rec *vr = &s->vacancies[v];
    return clb__sorted_contains(vr->req_trainings.v, vr->req_trainings.n, course) &&
           !clb__sorted_contains(wr->trainings.v, wr->trainings.n, course);
}

/* Is the enrolment of w in programme r admissible with w's placements `placed`? */
static bool enrolment_fits(const clb_scenario *s, const clb_pairs *pairs, const bool *placed,
                           uint32_t w, uint32_t r)
{
    const clb_programme_rec *pr = &s->programmes[r];
    clb_date last = 0;
    bool any = false;
    for (uint32_t p = pairs->first[w]; p < pairs->first[w + 1]; p++)
        if (placed[p]) {
            const clb_vacancy_rec *v = &s->vacancies[pairs->vac[p]];
            if (!any || v->end > last)
                last = v->end;
            any = true;
        }
    return any && last < pr->start &&
           pr->start <= last + s->policy.reintegration_window_days;
}

int clb__stable_start(double **out, const clb_model *m, const clb_scenario *s,
                      const clb_pairs *pairs, const bool *pinned, const double *x,
                      clb_error *err)
{
    size_t np = pairs->n, nw = s->n_workers;
    bool *placed = clb__malloc((np + 1) * sizeof(bool));
    clb_pair_index ix = {0};
    int32_t *enrol = clb__malloc((nw + 1) * sizeof(int32_t));
    bool failed = false, changed = true;
    int error = 0;

    *out = NULL;
    if (!placed || !enrol || clb__pair_index_build(&ix, s, pairs) < 0) {
        error = CLB_ENOMEM;
        goto done;
    }
    const uint32_t *vfirst = ix.vfirst, *vpair = ix.vpair;
    const double *value = ix.value, *pref = ix.pref;
    for (size_t w = 0; w < nw; w++)
        enrol[w] = -1;
    for (size_t j = np; j < m->ncols; j++)
        if (m->col_kind[j] == CLB_COL_R && x[j] > 0.5)
            enrol[m->col_a[j]] = m->col_b[j];
    for (size_t p = 0; p < np; p++)
        placed[p] = x[p] > 0.5;

    while (changed && !failed) {
        changed = false;
        /* envied holders leave */
        for (uint32_t w = 0; w < nw && !failed; w++) {
            bool any = false;
            double floor = 0;
            for (uint32_t p = pairs->first[w]; p < pairs->first[w + 1]; p++)
                if (placed[p] && (!any || pref[p] < floor)) {
                    floor = pref[p];
                    any = true;
                }
            for (uint32_t p = pairs->first[w]; p < pairs->first[w + 1]; p++) {
                uint32_t v = pairs->vac[p];
                if (placed[p] || (any && !(pref[p] > floor)))
                    continue;
                for (uint32_t k = vfirst[v]; k < vfirst[v + 1]; k++) {
                    uint32_t q = vpair[k];
                    if (q != p && placed[q] && !pinned[q] &&
                        clb__value_below(value[q], value[p])) {
                        placed[q] = false;
                        changed = true;
                    }
                }
            }
        }
        /* a required programme that no longer fits: the worker leaves */
        if (s->policy.reintegration != CLB_REINT_REQUIRED)
            continue;
        for (uint32_t w = 0; w < nw && !failed; w++) {
            bool any = false;
            for (uint32_t p = pairs->first[w]; p < pairs->first[w + 1]; p++)
                any |= placed[p];
            if (!any || (enrol[w] >= 0 && enrolment_fits(s, pairs, placed, w,
                                                         (uint32_t)enrol[w])))
                continue;
            for (uint32_t p = pairs->first[w]; p < pairs->first[w + 1]; p++) {
                failed |= placed[p] && pinned[p];
                placed[p] = false;
            }
            changed = true;
        }
    }
    if (failed)
        goto done;
    if (!(*out = clb__calloc(m->ncols + 1, sizeof(double)))) {
        error = CLB_ENOMEM;
        goto done;
    }
    for (size_t p = 0; p < np; p++)
        (*out)[p] = placed[p] ? 1 : 0;
    for (size_t j = np; j < m->ncols; j++) {
        uint32_t w = (uint32_t)m->col_a[j];
        bool keep = false;
        if (x[j] <= 0.5)
            continue;
        if (m->col_kind[j] == CLB_COL_A) {
            int32_t course = s->sessions[m->col_b[j]].course;
            for (uint32_t p = pairs->first[w]; p < pairs->first[w + 1] && !keep; p++)
                keep = placed[p] && needs_course(s, w, pairs->vac[p], course);
        } else if (m->col_kind[j] == CLB_COL_R) {
            keep = enrolment_fits(s, pairs, placed, w, (uint32_t)m->col_b[j]);
        }
        (*out)[j] = keep ? 1 : 0; /* quota indicators follow the placements */
    }
done:
    clb__free(placed);
    clb__pair_index_dispose(&ix);
    clb__free(enrol);
    if (error < 0)
        return clb__error_set(err, CLB_ENOMEM, "out of memory making a stable start");
    return 0;
}

/* ---- the size of the rows ---------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* How many values of sorted[0..n) are below b by clb__value_below (a binary search:
   the predicate is monotone in its first argument). */
static size_t count_below(const double *sorted, size_t n, double b)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (clb__value_below(sorted[mid], b))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int clb__stable_rows_nnz(double *out, const clb_scenario *s, const clb_pairs *pairs,
                         const bool *pinned)
{
    size_t nv = s->n_vacancies, np = pairs->n;
    uint32_t *vfirst = clb__calloc(nv + 2, sizeof(uint32_t));
    uint32_t *pos = clb__malloc((nv + 1) * sizeof(uint32_t));
    double *vals = clb__malloc((np + 1) * sizeof(double));
    double *value = clb__malloc((np + 1) * sizeof(double));
    double *pref = clb__malloc((np + 1) * sizeof(double));
    double total = 0;

    *out = 0;
    if (!vfirst || !pos || !vals || !value || !pref) {
        clb__free(vfirst);
        clb__free(pos);
        clb__free(vals);
        clb__free(value);
        clb__free(pref);
        return CLB_ENOMEM;
    }
    /* the unpinned pairs' values by vacancy, sorted */
    for (uint32_t w = 0; w < s->n_workers; w++)
        for (uint32_t p = pairs->first[w]; p < pairs->first[w + 1]; p++) {
            value[p] = clb__placement_value(s, w, pairs->vac[p]);
            pref[p] = clb__pref_value(s, &s->workers[w], &s->vacancies[pairs->vac[p]]);
            if (!pinned[p])
                vfirst[pairs->vac[p] + 1]++;
        }
    for (size_t v = 0; v < nv; v++)
        vfirst[v + 1] += vfirst[v];
    memcpy(pos, vfirst, nv * sizeof(uint32_t));
    for (uint32_t p = 0; p < np; p++)
        if (!pinned[p])
            vals[pos[pairs->vac[p]]++] = value[p];
    for (size_t v = 0; v < nv; v++)
        qsort(vals + vfirst[v], vfirst[v + 1] - vfirst[v], sizeof(double), cmp_double);
    /* per pair, as clb__stable_rows writes them: X, then w's pairs ranked at least as
       high (first row) and one row of |X| + 2 per pair ranked below */
    for (uint32_t w = 0; w < s->n_workers; w++)
        for (uint32_t p = pairs->first[w]; p < pairs->first[w + 1]; p++) {
            uint32_t v = pairs->vac[p];
            double nx = (double)count_below(vals + vfirst[v], vfirst[v + 1] - vfirst[v],
                                            value[p]);
            size_t high = 0, low = 0;
            if (nx == 0)
                continue;
            for (uint32_t u = pairs->first[w]; u < pairs->first[w + 1]; u++)
                if (u != p) {
                    high += pref[u] >= pref[p];
                    low += pref[u] < pref[p];
                }
            total += nx + 1 + (double)high + (double)low * (nx + 2);
        }
    *out = total;
    clb__free(vfirst);
    clb__free(pos);
    clb__free(vals);
    clb__free(value);
    clb__free(pref);
    return 0;
}
