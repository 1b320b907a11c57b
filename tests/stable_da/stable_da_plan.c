/*
 * stable_da_plan.c - writes the plan of deferred acceptance (engine/solve/stable_da.c,
 * the start of `solve --stable`) for a scenario as a result document on stdout, so
 * that tests/stable_da/test_stable_da.py can judge it from outside: with the
 * independent checker (tests/checker/check_result.py) and with `circulab stability`,
 * never with the heuristic's own reasoning.
 *
 * Usage: stable_da_plan SCENARIO. Exit 0 with the document; 3 when the scenario is
 * invalid; 4 when the heuristic made no plan (its pins' plan breaks a row); 5 on
 * another failure. The pins are those of the solve: the scenario's pins and its
 * confirmed `previous` entries that are still eligible.
 */
#include "circulab.h"
#include "result/result_impl.h"
#include "solve/stable.h"
#include "util/alloc.h"

#include <stdio.h>
#include <string.h>

static long pair_of(const clb_pairs *pairs, uint32_t w, uint32_t v)
{
    for (uint32_t p = pairs->first[w]; p < pairs->first[w + 1]; p++)
        if (pairs->vac[p] == v)
            return p;
    return -1;
}

int main(int argc, char **argv)
{
    clb_scenario *s = NULL;
    clb_result *r = NULL;
    clb_pairs pairs;
    clb_model m;
    clb_plan plan;
    clb_error err;
    clb_buf out = CLB_BUF_INIT;
    bool *pinned = NULL, have_model = false;
    double *x = NULL;
    int rc = 5;

    memset(&pairs, 0, sizeof(pairs));
    memset(&plan, 0, sizeof(plan));
    clb_error_init(&err);
    if (argc != 2) {
        fprintf(stderr, "usage: stable_da_plan SCENARIO\n");
        return 2;
    }
    if (clb_scenario_load_file(&s, argv[1], NULL, &err) < 0) {
        fprintf(stderr, "stable_da_plan: %s\n", err.message);
        return 3;
    }
    if (clb__pairs_build(&pairs, s, &err) < 0)
        goto done;
    if (!(pinned = clb__calloc(pairs.n + 1, sizeof(bool))))
        goto done;
    for (size_t i = 0; i < s->n_pins; i++) {
        long p = pair_of(&pairs, s->pins[i].worker, s->pins[i].vacancy);
        if (p >= 0)
            pinned[p] = true;
    }
    if (!(plan.conflicts = clb__malloc((s->n_previous + 1) * sizeof(clb_conflict_rec))))
        goto done;
    for (size_t i = 0; i < s->n_previous; i++) {
        const clb_previous_rec *pv = &s->previous[i];
        long p = pair_of(&pairs, pv->worker, pv->vacancy);
        if (pv->status != CLB_PREV_CONFIRMED)
            continue;
        if (p >= 0) {
            pinned[p] = true;
            continue;
        }
        /* no longer eligible: a conflict, as the solve reports it */
        clb_conflict_rec *c = &plan.conflicts[plan.n_conflicts++];
        c->worker = pv->worker;
        c->vacancy = pv->vacancy;
        c->rules = clb__eligibility_check(s, pv->worker, pv->vacancy);
        c->withdrawn = s->vacancies[pv->vacancy].withdrawn;
    }
    if (clb__model_build(&m, s, &pairs, pinned, &err) < 0)
        goto done;
    have_model = true;
    if (clb__stable_da(&x, &m, s, &pairs, pinned, 0, &err) < 0)
        goto done;
    if (!x) {
        fprintf(stderr, "stable_da_plan: no plan\n");
        rc = 4;
        goto done;
    }
    plan.placements = clb__malloc((m.ncols + 1) * sizeof(clb_plan_item));
    plan.training = clb__malloc((m.ncols + 1) * sizeof(clb_plan_item));
    plan.enrolments = clb__malloc((m.ncols + 1) * sizeof(clb_plan_item));
    if (!plan.placements || !plan.training || !plan.enrolments)
        goto done;
    for (size_t j = 0; j < m.ncols; j++) {
        clb_plan_item it = {(uint32_t)m.col_a[j], (uint32_t)m.col_b[j]};
        if (x[j] < 0.5)
            continue;
        if (m.col_kind[j] == CLB_COL_X)
            plan.placements[plan.n_placements++] = it;
        else if (m.col_kind[j] == CLB_COL_A)
            plan.training[plan.n_training++] = it;
        else if (m.col_kind[j] == CLB_COL_R)
            plan.enrolments[plan.n_enrolments++] = it;
    }
    plan.status = CLB_STATUS_TIME_LIMIT;
    plan.bound = clb__model_objective(&m, x);
    if (clb__result_new(&r, s, &pairs, &plan, &err) < 0 ||
        clb_result_save(&out, r, 0, &err) < 0)
        goto done;
    fwrite(out.ptr, 1, out.size, stdout);
    rc = 0;
done:
    if (rc == 5)
        fprintf(stderr, "stable_da_plan: %s\n", err.message[0] ? err.message : "failed");
    clb_buf_dispose(&out);
    clb_result_free(r);
    clb__free(plan.placements);
    clb__free(plan.training);
    clb__free(plan.enrolments);
    clb__free(plan.conflicts);
    clb__free(x);
    if (have_model)
        clb__model_dispose(&m);
    clb__free(pinned);
    clb__pairs_dispose(&pairs);
    clb_scenario_free(s);
    return rc;
}
