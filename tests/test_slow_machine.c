/*
 * test_slow_machine.c - a solve without a time limit gives the same plan on a slow or
 * loaded machine.
 *
 * A solve without limits must answer equal inputs with equal plans, whatever else the
 * machine is doing: the heuristic integer master of the exact finish (itinerary.c)
 * used to stop after so many seconds, and after a quarter of them without a better
 * plan, so that on a loaded machine it stopped sooner, and among several optimal plans
 * the solve returned another one (`scenario compare --marginal` on huelva-small gave
 * "-5 seats -75 EUR" instead of "-6 seats -100 EUR" on a loaded CI run). Here the
 * machine is made slow on purpose: the progress callback sleeps 0.3 s at each of the
 * first reports of the integer masters, and the plan must be placement for placement
 * the one of an undisturbed solve.
 */
#include "harness.h"
#include "circulab.h"
#include "rules/eligibility.h"
#include "scenario/scenario_impl.h"
#include "solve/colgen.h"
#include "solve/itinerary.h"
#include "solve/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct slow {
    int sleeps_left;
} slow;

static void on_progress(const char *phase, bool has_best, double best, bool has_bound,
                        double bound, bool force, void *payload)
{
    slow *sl = payload;
    (void)has_best, (void)best, (void)has_bound, (void)bound, (void)force;
    if (sl->sleeps_left > 0 && strcmp(phase, "mip") == 0) {
        struct timespec ts = {0, 300 * 1000 * 1000};
        sl->sleeps_left--;
        nanosleep(&ts, NULL);
    }
}

static void test_same_plan_when_slow(const char *quota, long more)
{
    const char *path = CLB_SOURCE_DIR "/scenarios/huelva-small.json";
    clb_scenario *s = NULL;
    clb_pairs pairs;
    clb_model m;
    clb_cg_opts co;
    clb_cg_result fast, slowr;
    clb_error err;
    slow sl = {3};

    clb_error_init(&err);
    CHECK(clb_scenario_load_file(&s, path, NULL, &err) == 0);
    if (!s)
        return;
    bool found = false;
    for (size_t q = 0; q < s->n_quotas; q++)
        if (strcmp(s->quotas[q].id, quota) == 0) {
            s->quotas[q].max += more;
            found = true;
        }
    CHECK(found);
    CHECK_INT(clb__pairs_build(&pairs, s, &err), 0);
    CHECK_INT(clb__model_build(&m, s, &pairs, NULL, &err), 0);
    memset(&co, 0, sizeof(co));
    co.t0 = clb__now_seconds();
    CHECK_INT(clb__itinerary_solve(&fast, s, &m, NULL, NULL, &co, &err), 0);
    memset(&co, 0, sizeof(co));
    co.t0 = clb__now_seconds();
    co.progress = on_progress;
    co.payload = &sl;
    CHECK_INT(clb__itinerary_solve(&slowr, s, &m, NULL, NULL, &co, &err), 0);
    if (err.code)
        fprintf(stderr, "  %s\n", err.message);
    CHECK(sl.sleeps_left < 3); /* an integer master ran, and was slowed */
    CHECK_INT(fast.status, CLB_CG_OPTIMAL);
    CHECK_INT(slowr.status, CLB_CG_OPTIMAL);
    if (fast.x && slowr.x) {
        size_t differ = 0;
        for (size_t j = 0; j < m.ncols; j++)
            differ += fast.x[j] != slowr.x[j];
        CHECK_INT((long)differ, 0L);
    }
    clb__cg_result_dispose(&fast);
    clb__cg_result_dispose(&slowr);
    clb__model_dispose(&m);
    clb__pairs_dispose(&pairs);
    clb_scenario_free(s);
}

int main(void)
{
    test_same_plan_when_slow("Q-MA-ES615-PLANTING", 10);
    return clb_test_finish();
}
