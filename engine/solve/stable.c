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

#include <string.h>

int clb__stable_rows(clb_model *m, const clb_scenario *s, const clb_pairs *pairs,
                     const bool *pinned, clb_error *err)
{
    size_t nv = s->n_vacancies, np = pairs->n;
    uint32_t *vfirst = clb__calloc(nv + 2, sizeof(uint32_t));
    uint32_t *vpair = clb__malloc((np + 1) * sizeof(uint32_t));
    uint32_t *pos = clb__malloc((nv + 1) * sizeof(uint32_t));
    double *value = clb__malloc((np + 1) * sizeof(double));
    double *pref = clb__malloc((np + 1) * sizeof(double));
    int32_t *cols = NULL;
    double *vals = NULL;
    int error = 0;

    if (!vfirst || !vpair || !pos || !value || !pref) {
        error = CLB_ENOMEM;
        goto done;
    }
    /* the pairs by vacancy, with their values and the workers' prefs */
    for (uint32_t w = 0; w < s->n_workers; w++)
        for (uint32_t p = pairs->first[w]; p < pairs->first[w + 1]; p++) {
            vfirst[pairs->vac[p] + 1]++;
            value[p] = clb__placement_value(s, w, pairs->vac[p]);
            pref[p] = clb__pref_value(s, &s->workers[w], &s->vacancies[pairs->vac[p]]);
        }
    for (size_t v = 0; v < nv; v++)
        vfirst[v + 1] += vfirst[v];
    memcpy(pos, vfirst, nv * sizeof(uint32_t));
    for (uint32_t w = 0; w < s->n_workers; w++)
        for (uint32_t p = pairs->first[w]; p < pairs->first[w + 1]; p++)
            vpair[pos[pairs->vac[p]]++] = p;
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
    clb__free(vfirst);
    clb__free(vpair);
    clb__free(pos);
    clb__free(value);
    clb__free(pref);
    clb__free(cols);
    clb__free(vals);
    if (error < 0)
        return clb__error_set(err, CLB_ENOMEM, "out of memory adding the stability rows");
    return 0;
}
