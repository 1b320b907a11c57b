/*
 * generated.h - a generated scenario for the solver's unit tests, loaded through the
 * reader as a user's file would be. One definition shared by the test programs that
 * need random instances (colgen, itinerary, pricing, stage2); include after harness.h.
 */
#ifndef CLB_TEST_GENERATED_H
#define CLB_TEST_GENERATED_H

#include "circulab.h"
#include "generate.h"
#include "scenario/scenario_impl.h"

#include <stdint.h>
#include <stdio.h>

/* `workers` x `vacancies` from `seed`, about `eligible_per_worker` eligible vacancies a
   worker (<= 0: the generator's default). NULL if it failed, which is counted as a
   failed check. */
static clb_scenario *clb_test_generated(size_t workers, size_t vacancies, uint64_t seed,
                                        double eligible_per_worker)
{
    clb_generate_opts go;
    clb_buf doc = CLB_BUF_INIT;
    clb_scenario *s = NULL;
    clb_error err;

    clb_error_init(&err);
    clb_generate_opts_init(&go);
    go.workers = workers;
    go.vacancies = vacancies;
    go.seed = seed;
    if (eligible_per_worker > 0)
        go.eligible_per_worker = eligible_per_worker;
    CHECK_INT(clb_generate(&doc, NULL, &go, &err), 0);
    CHECK_INT(clb_scenario_load_buffer(&s, doc.ptr, doc.size, "generated", NULL, &err), 0);
    if (!s)
        fprintf(stderr, "generated scenario rejected: %s\n", err.message);
    clb_buf_dispose(&doc);
    return s;
}

/* Vary the policy of s as the solver tests do, from the random state *st (advanced):
   gap, training lead, max placements and, half the time, the stay; reintegration as
   given. */
static inline void clb_test_vary_policy(clb_scenario *s, uint64_t *st, clb_reint_mode reint)
{
#define CLB_TEST_NEXT() (*st = *st * 6364136223846793005ull + 1442695040888963407ull, *st >> 33)
    clb_policy *pol = &s->policy;
    pol->min_gap_days = (int)(CLB_TEST_NEXT() % 3) * 7;
    pol->training_lead_days = (int)(CLB_TEST_NEXT() % 3) * 3;
    pol->max_placements = (int)(CLB_TEST_NEXT() % 3);
    if (CLB_TEST_NEXT() % 2)
        pol->max_stay_days = 150 + (int)(CLB_TEST_NEXT() % 120);
    pol->reintegration = reint;
#undef CLB_TEST_NEXT
}

#endif
