/*
 * plan.c - a plan as index pairs (plan.h) from a result or a result document: the
 * ids the result names, looked up in the scenario.
 *
 * The lookup goes through the scenario's id maps rather than the result's own
 * indices, so that a plan can be taken against a scenario read again (the same
 * records under the same ids), as the key figures and `explain` do.
 */
#include "result/plan.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "io/json.h"
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

/* Read one array of {"worker": W, <key>: X} of a result document into items. */
static int read_items(clb_plan_item **out, size_t *n, const clb_json *root,
                      const char *array, const char *key, const clb_scenario *s,
                      const clb_intmap *map, const char *source, clb_error *err)
{
    const clb_json *arr = clb__json_object_get(root, array);
    size_t len = clb__json_array_size(arr);
    clb_plan_item *items = clb__malloc((len + 1) * sizeof(*items));
    int error = 0;

    *out = NULL;
    *n = 0;
    if (!items)
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    if (arr && !clb_json_is_array(arr)) {
        error = clb__error_set(err, CLB_EINVAL, "'%s' must be an array", array);
        if (err)
            snprintf(err->path, sizeof(err->path), "$.%s", array);
        goto done;
    }
    for (size_t i = 0; i < len; i++) {
        const clb_json *e = clb__json_array_get(arr, i);
        const char *w = clb__json_string(clb__json_object_get(e, "worker"));
        const char *x = clb__json_string(clb__json_object_get(e, key));
        int32_t wi = w ? clb__scenario_worker_index(s, w) : -1;
        int32_t xi = x ? clb__scenario_lookup(s, map, x) : -1;
        if (wi < 0 || xi < 0) {
            error = clb__error_set(err, CLB_EINVAL,
                                  "%s[%zu] names %s '%s' that the scenario lacks", array,
                                  i, wi < 0 ? "worker" : key,
                                  wi < 0 ? (w ? w : "?") : (x ? x : "?"));
            if (err)
                snprintf(err->path, sizeof(err->path), "$.%s[%zu]", array, i);
            goto done;
        }
        items[i].worker = (uint32_t)wi;
        items[i].other = (uint32_t)xi;
    }
    *out = items;
    *n = len;
    items = NULL;
done:
    clb__free(items);
    if (error < 0)
        clb__error_set_source(err, source);
    return error;
}

int clb__plan_from_document(clb_plan *out, const clb_scenario *s, const char *buf,
                            size_t len, const char *source, clb_error *err)
{
    clb_json *root = NULL;
    clb_plan_item *pl = NULL, *tr = NULL, *en = NULL;
    clb_plan p;
    const char *format, *status;
    int error;

    memset(out, 0, sizeof(*out));
    memset(&p, 0, sizeof(p));
    if ((error = clb__json_load_buffer(&root, buf, len, source, err)) < 0)
        goto done;
    format = clb__json_string(clb__json_object_get(root, "format"));
    if (!format || strcmp(format, "circulab-result/1") != 0) {
        error = clb__error_set(err, CLB_EINVAL,
                              "not a result document (format must be "
                              "\"circulab-result/1\")");
        clb__error_set_source(err, source);
        goto done;
    }
    if ((error = read_items(&pl, &p.n_placements, root, "placements", "vacancy", s,
                            &s->vacancy_by_sym, source, err)) < 0 ||
        (error = read_items(&tr, &p.n_training, root, "training", "session", s,
                            &s->session_by_sym, source, err)) < 0 ||
        (error = read_items(&en, &p.n_enrolments, root, "reintegration", "programme", s,
                            &s->programme_by_sym, source, err)) < 0)
        goto done;
    p.placements = pl;
    p.training = tr;
    p.enrolments = en;
    status = clb__json_string(clb__json_object_get(root, "status"));
    p.status = CLB_STATUS_OPTIMAL;
    if (status && strcmp(status, "time_limit") == 0)
        p.status = CLB_STATUS_TIME_LIMIT;
    else if (status && strcmp(status, "gap_limit") == 0)
        p.status = CLB_STATUS_GAP_LIMIT;
    else if (status && strcmp(status, "infeasible") == 0)
        p.status = CLB_STATUS_INFEASIBLE;
    p.objective = clb__json_number(clb__json_object_get(root, "objective"));
    p.bound = clb__json_number(clb__json_object_get(root, "bound"));
    p.gap = clb__json_number(clb__json_object_get(root, "gap"));
    p.stats.seconds = clb__json_number(
        clb__json_object_get(clb__json_object_get(root, "stats"), "seconds"));
    *out = p;
    pl = tr = en = NULL;
done:
    clb__free(pl);
    clb__free(tr);
    clb__free(en);
    clb__json_free(root);
    return error;
}
