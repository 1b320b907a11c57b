/*
 * test_model_rows.c - the model of linking rows only (clb__model_build_rows with
 * CLB_MODEL_LINKING, engine/solve/model.c) against the whole model.
 *
 * The itinerary path builds the model without the workers' own rows, which are nine
 * tenths of its entries; everything else must be exactly the whole model's. On the
 * bundled scenarios and on generated ones (policy and reintegration varied, some pairs
 * pinned):
 *   - the columns are the whole model's, bit for bit, in the same order;
 *   - the rows are the whole model's linking rows, in order, with the same bounds and
 *     entries; the rows and entries left out are counted, and the counts add up to the
 *     whole model's;
 *   - the itinerary solve gives the same answer on both (objective, plan, bound);
 *   - checking a solution against the own rows as they pass finds nothing broken in
 *     that plan, and in a plan made to break one (two overlapping placements of one
 *     worker, or a session attended with no placement needing it) finds the same first
 *     broken own row as the whole model does;
 *   - through the public API, the result's row and column counts are the whole model's;
 *   - a round beyond the pricing (a worker in more than 64 `workers` quotas), which falls
 *     back to the pair model, gets the pair method's optimum: that model is built whole.
 */
#include "harness.h"
#include "whole_model.h"
#include "circulab.h"
#include "generate.h"
#include "generated.h"
#include "rules/eligibility.h"
#include "scenario/scenario_impl.h"
#include "solve/colgen.h"
#include "solve/itinerary.h"
#include "solve/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t compared, broken_found;

#define SAME_ARRAY(f, n) CHECK(memcmp(w->f, l->f, (n) * sizeof(*w->f)) == 0)

/* l is w without its own rows. */
static void same_but_own_rows(const clb_model *w, const clb_model *l)
{
    CHECK(!w->linking_only && l->linking_only);
    CHECK_INT((long)l->ncols, (long)w->ncols);
    if (l->ncols != w->ncols)
        return;
    SAME_ARRAY(obj, w->ncols);
    SAME_ARRAY(lb, w->ncols);
    SAME_ARRAY(ub, w->ncols);
    SAME_ARRAY(col_kind, w->ncols);
    SAME_ARRAY(is_int, w->ncols);
    SAME_ARRAY(col_a, w->ncols);
    SAME_ARRAY(col_b, w->ncols);
    CHECK_INT((long)l->n_x, (long)w->n_x);
    CHECK_INT((long)l->y_first, (long)w->y_first);
    CHECK(l->obj_const == w->obj_const);
    CHECK_INT((long)(l->nrows + l->own_rows_out), (long)w->nrows);
    CHECK_INT((long)(l->nnz + l->own_nnz_out), (long)w->nnz);
    CHECK_INT((long)clb__model_whole_rows(l), (long)w->nrows);
    CHECK(l->own_rows_out > 0);

    size_t k = 0;
    for (size_t i = 0; i < w->nrows; i++) {
        if (clb__model_row_is_own((clb_row_kind)w->row_kind[i]))
            continue;
        CHECK(k < l->nrows);
        if (k >= l->nrows)
            return;
        CHECK_INT(l->row_kind[k], w->row_kind[i]);
        CHECK_INT(l->row_a[k], w->row_a[i]);
        CHECK_INT(l->row_b[k], w->row_b[i]);
        CHECK(l->rlo[k] == w->rlo[i] && l->rhi[k] == w->rhi[i]);
        size_t n = w->row_start[i + 1] - w->row_start[i];
        CHECK_INT((long)(l->row_start[k + 1] - l->row_start[k]), (long)n);
        if (l->row_start[k + 1] - l->row_start[k] == n) {
            CHECK(memcmp(l->idx + l->row_start[k], w->idx + w->row_start[i],
                         n * sizeof(int32_t)) == 0);
            CHECK(memcmp(l->val + l->row_start[k], w->val + w->row_start[i],
                         n * sizeof(double)) == 0);
        }
        k++;
    }
    CHECK_INT((long)k, (long)l->nrows);
}

/* The whole model's first own row that x breaks (to 1e-6), or -1. */
static long first_broken_own(const clb_model *w, const double *x)
{
    for (size_t i = 0; i < w->nrows; i++)
        if (clb__model_row_is_own((clb_row_kind)w->row_kind[i]) &&
            !clb__model_row_kept(w, i, x, 1e-6))
            return (long)i;
    return -1;
}

/* Checking x as the own rows pass finds what the whole model finds. */
static void check_as_whole(const clb_scenario *s, const clb_pairs *pairs, const bool *pinned,
                           const clb_model *w, const clb_model *l, const double *x)
{
    clb_model c;
    clb_error err;
    clb_error_init(&err);
    long expect = first_broken_own(w, x);
    CHECK_INT(clb__model_build_rows(&c, s, pairs, pinned, CLB_MODEL_LINKING, x, &err), 0);
    CHECK(c.check_x == NULL);
    if (expect < 0) {
        CHECK_INT(c.own_broken, -1);
        CHECK_INT((long)c.nrows, (long)l->nrows);
    } else {
        CHECK(c.own_broken >= 0);
        CHECK_INT((long)c.nrows, (long)l->nrows + 1);
        if (c.own_broken >= 0) {
            size_t i = (size_t)c.own_broken, e = (size_t)expect;
            CHECK_INT(c.row_kind[i], w->row_kind[e]);
            CHECK_INT(c.row_a[i], w->row_a[e]);
            CHECK_INT(c.row_b[i], w->row_b[e]);
            CHECK(!clb__model_row_kept(&c, i, x, 1e-6));
            broken_found++;
        }
    }
    clb__model_dispose(&c);
}

/* x with one own row of some worker broken: two of its placements that overlap, or
   else a session attended alone. Returns false when the scenario has neither. */
static bool break_own_row(const clb_model *w, const clb_pairs *pairs, double *x)
{
    memset(x, 0, w->ncols * sizeof(double));
    for (size_t i = 0; i < w->nrows; i++) {
        size_t e0 = w->row_start[i], e1 = w->row_start[i + 1];
        if (w->row_kind[i] == CLB_ROW_CONFLICT && e1 - e0 >= 2) {
            x[w->idx[e0]] = x[w->idx[e0 + 1]] = 1;
            return true;
        }
    }
    for (size_t j = w->n_x; j < w->ncols; j++)
        if (w->col_kind[j] == CLB_COL_A) {
            x[j] = 1;
            return true;
        }
    (void)pairs;
    return false;
}

static void compare(const clb_scenario *s, bool with_pins, bool solve)
{
    clb_pairs pairs;
    clb_model w, l;
    clb_error err;

    clb_error_init(&err);
    CHECK_INT(clb__pairs_build(&pairs, s, &err), 0);
    bool *pinned = with_pins ? calloc(pairs.n + 1, sizeof(bool)) : NULL;
    if (pinned)
        for (size_t p = 0; p < pairs.n; p += 97)
            pinned[p] = true;
    CHECK_INT(clb__model_build(&w, s, &pairs, pinned, &err), 0);
    CHECK_INT(clb__model_build_rows(&l, s, &pairs, pinned, CLB_MODEL_LINKING, NULL, &err), 0);
    if (w.nrows > 0)
        same_but_own_rows(&w, &l);
    compared++;

    double *x = calloc(w.ncols + 1, sizeof(double));
    CHECK(x != NULL);
    if (x && break_own_row(&w, &pairs, x))
        check_as_whole(s, &pairs, pinned, &w, &l, x);
    if (solve && !pinned) {
        clb_cg_opts co;
        clb_cg_result rw, rl;
        memset(&co, 0, sizeof(co));
        co.t0 = clb__now_seconds();
        CHECK_INT(clb__itinerary_solve(&rw, s, &w, NULL, NULL, &co, &err), 0);
        co.t0 = clb__now_seconds();
        CHECK_INT(clb__itinerary_solve(&rl, s, &l, NULL, NULL, &co, &err), 0);
        CHECK_INT(rl.status, rw.status);
        CHECK(rl.objective == rw.objective && rl.bound == rw.bound);
        CHECK((rl.x == NULL) == (rw.x == NULL));
        if (rl.x && rw.x) {
            CHECK(memcmp(rl.x, rw.x, w.ncols * sizeof(double)) == 0);
            CHECK(keeps_every_row(&w, rl.x));
            check_as_whole(s, &pairs, NULL, &w, &l, rl.x);
        }
        clb__cg_result_dispose(&rw);
        clb__cg_result_dispose(&rl);
    }
    free(x);
    free(pinned);
    clb__model_dispose(&w);
    clb__model_dispose(&l);
    clb__pairs_dispose(&pairs);
}

/* The public API's counts are the whole model's. */
static void stats_of_whole(const clb_scenario *s)
{
    clb_pairs pairs;
    clb_model w;
    clb_error err;
    clb_solve_opts o;
    clb_result *r = NULL;
    clb_result_stats st;

    clb_error_init(&err);
    CHECK_INT(clb__pairs_build(&pairs, s, &err), 0);
    CHECK_INT(clb__model_build(&w, s, &pairs, NULL, &err), 0);
    clb_solve_opts_init(&o);
    CHECK_INT(clb_solve(&r, s, &o, &err), 0);
    if (r) {
        clb_result_get_stats(&st, r);
        CHECK_INT((long)st.rows, (long)w.nrows);
        CHECK_INT((long)st.columns, (long)w.ncols);
        clb_result_free(r);
    }
    clb__model_dispose(&w);
    clb__pairs_dispose(&pairs);
}

/* A round beyond the pricing (a worker hit by more than 64 `workers` quotas) falls
   back to the pair model, which needs every row: built whole for it, the answer is the
   pair method's. */
static void beyond_the_pricing(void)
{
    FILE *f = fopen(CLB_SOURCE_DIR "/scenarios/reintegration-required.json", "rb");
    static char text[1 << 20];
    clb_buf doc = CLB_BUF_INIT;
    size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
    CHECK(f != NULL && n > 0);
    if (f)
        fclose(f);
    text[n] = 0;
    char *at = strstr(text, "\"quotas\": [");
    CHECK(at != NULL);
    if (!at)
        return;
    at += strlen("\"quotas\": [");
    CHECK_INT(clb__buf_put(&doc, text, (size_t)(at - text)), 0);
    for (int k = 0; k < 65; k++)
        CHECK_INT(clb__buf_printf(&doc, "{\"id\": \"QW%02d\", \"max\": %d, \"unit\": "
                                        "\"workers\", \"where\": {\"origin_country\": "
                                        "[\"MA\"]}},", k, 40 - k % 7), 0);
    CHECK_INT(clb__buf_puts(&doc, at), 0);

    clb_scenario *s = NULL;
    clb_error err;
    clb_error_init(&err);
    CHECK_INT(clb_scenario_load_buffer(&s, doc.ptr, doc.size, "wide", NULL, &err), 0);
    clb_buf_dispose(&doc);
    if (!s)
        return;
    CHECK_INT((long)s->n_quotas, 66);
    double z[2];
    for (int method = 0; method < 2; method++) {
        clb_solve_opts o;
        clb_result *r = NULL;
        clb_solve_opts_init(&o);
        o.method = method ? CLB_METHOD_PAIRS : CLB_METHOD_ITINERARIES;
        CHECK_INT(clb_solve(&r, s, &o, &err), 0);
        z[method] = r ? clb_result_objective(r) : -1;
        if (r)
            CHECK_INT(clb_result_status(r), CLB_STATUS_OPTIMAL);
        clb_result_free(r);
    }
    CHECK_NEAR(z[0], z[1], 1e-6 * (1 + fabs(z[1])));
    stats_of_whole(s);
    clb_scenario_free(s);
}

int main(void)
{
    beyond_the_pricing();
    static const char *const files[] = {"chained-campaigns", "huelva-small", "huelva-tight",
                                        "reintegration-required", "huelva-infeasible"};
    for (size_t f = 0; f < sizeof(files) / sizeof(*files); f++) {
        char path[512];
        clb_scenario *s = NULL;
        clb_error err;
        clb_error_init(&err);
        snprintf(path, sizeof(path), CLB_SOURCE_DIR "/scenarios/%s.json", files[f]);
        CHECK_INT(clb_scenario_load_file(&s, path, NULL, &err), 0);
        if (!s)
            continue;
        compare(s, false, strcmp(files[f], "huelva-infeasible") != 0);
        if (strcmp(files[f], "huelva-infeasible") != 0)
            stats_of_whole(s);
        clb_scenario_free(s);
    }
    uint64_t st = 7;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        clb_scenario *s = clb_test_generated(120, 12, seed, 0);
        if (!s)
            continue;
        clb_test_vary_policy(s, &st, (clb_reint_mode)(seed % 3));
        compare(s, seed % 4 == 0, true);
        clb_scenario_free(s);
    }
    fprintf(stderr, "%zu models compared, %zu broken own rows found as the whole model "
                    "finds them\n", compared, broken_found);
    CHECK(compared == 45);
    CHECK(broken_found >= 40);
    return clb_test_finish();
}
