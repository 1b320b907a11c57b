/*
 * test_greedy.c - the greedy pass of the itinerary master (engine/solve/greedy.c).
 *
 * A house that fills shuts every placement at its vacancies for the rest of the pass,
 * for every worker. Here nine vacancies of one site with 2 beds, at the same dates,
 * are each worth more to every worker than one vacancy elsewhere, and ten workers
 * apply. The greedy plan (the answer of a solve stopped at once, before any master
 * LP) must place all ten: two in the house, eight elsewhere. While a full house was
 * left to each worker's own blocking, every worker after the second tried the house's
 * vacancies one by one and gave up after eight: two placements.
 *
 * The pass prices its workers in batches over the pricing's threads; the plan must be
 * the same with one thread and with four.
 */
#include "harness.h"
#include "circulab.h"
#include "rules/eligibility.h"
#include "solve/colgen.h"
#include "solve/itinerary.h"
#include "solve/model.h"
#include "scenario/scenario_impl.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOUSE_VACANCIES 9
#define WORKERS 10

static char *full_house_scenario(void)
{
    size_t cap = 16384, n = 0;
    char *b = malloc(cap);
    if (!b)
        return NULL;
    n += (size_t)snprintf(b + n, cap - n,
                          "{\"format\": \"circulab-scenario/1\", \"name\": \"full-house\",\n"
                          " \"policy\": {\"min_offer_size\": 1},\n \"workers\": [\n");
    for (int w = 0; w < WORKERS; w++)
        n += (size_t)snprintf(b + n, cap - n,
                              "  {\"id\": \"W%02d\", \"birth_date\": \"1990-01-01\", "
                              "\"country\": \"MA\", \"available\": {\"from\": "
                              "\"2026-01-01\", \"to\": \"2026-12-31\"}, "
                              "\"preferences\": [\"E1\"]}%s\n",
                              w, w + 1 < WORKERS ? "," : "");
    n += (size_t)snprintf(b + n, cap - n,
                          " ],\n \"employers\": [{\"id\": \"E1\", \"region\": \"ES615\", "
                          "\"sites\": [{\"id\": \"S1\", \"region\": \"ES615\", \"beds\": 2}]},\n"
                          "   {\"id\": \"E2\", \"region\": \"ES618\"}],\n \"vacancies\": [\n");
    for (int v = 0; v < HOUSE_VACANCIES; v++)
        n += (size_t)snprintf(b + n, cap - n,
                              "  {\"id\": \"V%d\", \"employer\": \"E1\", \"start\": "
                              "\"2026-03-01\", \"end\": \"2026-05-31\", \"headcount\": 5},\n",
                              v);
    n += (size_t)snprintf(b + n, cap - n,
                          "  {\"id\": \"VX\", \"employer\": \"E2\", \"start\": \"2026-03-01\", "
                          "\"end\": \"2026-05-31\", \"headcount\": 10}]\n}\n");
    return b;
}

/* The placements of the solve stopped at once, with `threads` pricing threads; the
   plan's pairs into plan[0..n_pairs). */
static size_t greedy_placements(const clb_scenario *s, const clb_pairs *pairs,
                                const clb_model *m, unsigned threads, bool *plan)
{
    clb_cg_opts co;
    clb_cg_result r;
    clb_error err;
    size_t placed = 0;

    clb_error_init(&err);
    memset(&co, 0, sizeof(co));
    co.t0 = clb__now_seconds();
    co.time_limit = 1e-4;
    co.threads = threads;
    CHECK_INT(clb__itinerary_solve(&r, s, m, NULL, NULL, &co, &err), 0);
    CHECK(r.x != NULL);
    CHECK(r.status != CLB_CG_OPTIMAL); /* the greedy plan, not a proof */
    for (size_t p = 0; r.x && p < pairs->n; p++) {
        plan[p] = r.x[p] > 0.5;
        placed += plan[p];
    }
    clb__cg_result_dispose(&r);
    return placed;
}

static void full_house(void)
{
    char *text = full_house_scenario();
    clb_scenario *s = NULL;
    clb_pairs pairs;
    clb_model m;
    clb_error err;

    clb_error_init(&err);
    CHECK(text != NULL);
    if (!text)
        return;
    CHECK_INT(clb_scenario_load_buffer(&s, text, strlen(text), "full-house", NULL, &err), 0);
    free(text);
    if (!s)
        return;
    CHECK_INT(clb__pairs_build(&pairs, s, &err), 0);
    CHECK_INT((int)pairs.n, WORKERS * (HOUSE_VACANCIES + 1));
    CHECK_INT(clb__model_build(&m, s, &pairs, NULL, &err), 0);

    bool *one = calloc(pairs.n + 1, sizeof(bool)), *four = calloc(pairs.n + 1, sizeof(bool));
    CHECK_INT((int)greedy_placements(s, &pairs, &m, 1, one), WORKERS);
    size_t in_house = 0;
    for (size_t p = 0; p < pairs.n; p++)
        in_house += one[p] && strcmp(s->vacancies[pairs.vac[p]].id, "VX") != 0;
    CHECK_INT((int)in_house, 2);
    CHECK_INT((int)greedy_placements(s, &pairs, &m, 4, four), WORKERS);
    CHECK(memcmp(one, four, pairs.n * sizeof(bool)) == 0);

    free(one);
    free(four);
    clb__model_dispose(&m);
    clb__pairs_dispose(&pairs);
    clb_scenario_free(s);
}

int main(void)
{
    full_house();
    return clb_test_finish();
}
