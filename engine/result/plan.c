/*
 * plan.c - a plan as index pairs (plan.h) from a result: the ids the result names,
 * looked up in the scenario.
 *
 * The lookup goes through the scenario's id maps rather than the result's own
 * indices, so that a plan can be taken against a scenario read again (the same
 * records under the same ids), as the key figures and `explain` do.
 */
#include "result/plan.h"

#include <stdint.h>
#include <string.h>

#include "util/alloc.h"

/* One pair of ids as indices: the worker, and `other` through the scenario's `map`. */
static int pair_of(clb_plan_item *out, const clb_scenario *s, const char *worker,
                   const clb_intmap *map, const char *other, const char *what,
                   clb_error *err)
{
    int32_t w = clb__scenario_worker_index(s, worker);
    int32_t o = clb__scenario_lookup(s, map, other);
    if (w < 0 || o < 0)
        return clb__error_set(err, CLB_EINTERNAL, "result names unknown %s", what);
    out->worker = (uint32_t)w;
    out->other = (uint32_t)o;
    return 0;
}

void clb__plan_dispose(clb_plan *p)
{
    clb__free(p->placements);
    clb__free(p->training);
    clb__free(p->enrolments);
    clb__free(p->conflicts);
    memset(p, 0, sizeof(*p));
}

int clb__plan_from_result(clb_plan *out, const clb_scenario *s, const clb_result *r,
                          clb_error *err)
{
    size_t np = clb_result_placement_count(r), nt = clb_result_training_count(r),
           ne = clb_result_reintegration_count(r);
    clb_plan_item *pl = clb__malloc((np + 1) * sizeof(*pl));
    clb_plan_item *tr = clb__malloc((nt + 1) * sizeof(*tr));
    clb_plan_item *en = clb__malloc((ne + 1) * sizeof(*en));
    clb_result_stats stats;
    int error = 0;

    memset(out, 0, sizeof(*out));
    if (!pl || !tr || !en) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; error == 0 && i < np; i++) {
        clb_placement_info info;
        clb_result_placement_get(&info, r, i);
        error = pair_of(&pl[i], s, info.worker, &s->vacancy_by_sym, info.vacancy,
                        "placement", err);
    }
    for (size_t i = 0; error == 0 && i < nt; i++) {
        clb_training_info info;
        clb_result_training_get(&info, r, i);
        error = pair_of(&tr[i], s, info.worker, &s->session_by_sym, info.session,
                        "session", err);
    }
    for (size_t i = 0; error == 0 && i < ne; i++) {
        clb_reintegration_info info;
        clb_result_reintegration_get(&info, r, i);
        error = pair_of(&en[i], s, info.worker, &s->programme_by_sym, info.programme,
                        "programme", err);
    }
    if (error < 0)
        goto done;
    clb_result_get_stats(&stats, r);
    out->placements = pl;
    out->n_placements = np;
    out->training = tr;
    out->n_training = nt;
    out->enrolments = en;
    out->n_enrolments = ne;
    out->status = clb_result_status(r);
    out->objective = clb_result_objective(r);
    out->bound = clb_result_bound(r);
    out->gap = clb_result_gap(r);
    out->stats = stats;
    pl = tr = en = NULL;
done:
    clb__free(pl);
    clb__free(tr);
    clb__free(en);
    return error;
}
