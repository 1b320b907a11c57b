/*
 * test_marginal.c - marginal values in the planner's units (marginal.c) and the
 * objective split into its terms (kpis.c), on tiny scenarios whose optimal plans
 * are worked out by hand in the comments: one more bed adds exactly one placement
 * worth the fill weight, a soft minimum raised costs the shortfall weight per unit,
 * one more place on a vacancy that needs training costs the seat's price, one more
 * programme seat adds one enrolment worth the reintegration weight.
 *
 * Every figure checked here is a number derived by hand from the default weights
 * (docs/MODEL.md §3.7: fill 1000, returning 200, tenure 25, training_cost 1,
 * quota_shortfall 2000, reintegration 20), not read back from the program.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circulab.h"
#include "circulab/plan.h"
#include "harness.h"
#include "rules/eligibility.h"
#include "scenario/scenario_impl.h"

/* A worker of MA (region R) available all year; `hist` is a history object or "". */
#define WORKER(id, region, hist)                                                      \
    "{\"id\": \"" id "\", \"birth_date\": \"1990-01-01\", \"country\": \"MA\", "      \
    "\"region\": \"" region "\", \"available\": {\"from\": \"2026-01-01\", "          \
    "\"to\": \"2026-12-31\"}" hist "}"
#define RETURNING ", \"history\": {\"campaigns\": 1, \"returned\": true}"

#define HEAD "{\"format\": \"circulab-scenario/1\", \"name\": \"m\", "

/*
 * Beds: site S1 has 1 bed, vacancy V1 (3 places) is on it; W1 returns (1000 + 200
 * + 25 tenure = 1225), W2 and W3 are new (1000 each). The plan places W1 only:
 * objective 1225. One more bed: one more placement of a new worker, +1000 (fill);
 * ten more: all three placed, +2 placements, +2000. The vacancy is not full and
 * nothing else binds: the site is the only limit with marginal values.
 */
static const char beds_doc[] =
    HEAD "\"workers\": [" WORKER("W1", "MA-05", RETURNING) ", " WORKER("W2", "MA-05", "")
    ", " WORKER("W3", "MA-03", "") "],"
    "\"employers\": [{\"id\": \"E1\", \"region\": \"ES615\", \"sites\": [{\"id\": \"S1\", "
    "\"region\": \"ES615\", \"beds\": 1}]}],"
    "\"vacancies\": [{\"id\": \"V1\", \"employer\": \"E1\", \"site\": \"S1\", "
    "\"sector\": \"berries\", \"start\": \"2026-03-01\", \"end\": \"2026-05-31\", "
    "\"headcount\": 3}]}";

/*
 * Training and a soft minimum: V1 (1 place) needs course "phyto", taught by T1
 * (2 seats, cost 30). Quota Q5 asks for at least one worker from MA-05. W1 (MA-05)
 * and W2 (MA-03) are new. The plan places W1 (the minimum met): 1000 - 30 = 970.
 * Binding: Q5's min (met exactly) and V1's headcount (full); T1 has a seat left.
 * Q5 min +1: no second MA-05 worker, one unit short: -2000 (+10: -20000).
 * V1 headcount +1: W2 placed and trained, +1 place, +1 seat, +30 EUR, +970 =
 * fill +1000, training_cost -30; +10: the same (no third worker).
 */
static const char training_doc[] =
    HEAD "\"workers\": [" WORKER("W1", "MA-05", "") ", " WORKER("W2", "MA-03", "") "],"
    "\"employers\": [{\"id\": \"E1\", \"region\": \"ES615\"}],"
    "\"vacancies\": [{\"id\": \"V1\", \"employer\": \"E1\", \"sector\": \"berries\", "
    "\"start\": \"2026-03-01\", \"end\": \"2026-05-31\", \"headcount\": 1, "
    "\"requires\": {\"trainings\": [\"phyto\"]}}],"
    "\"quotas\": [{\"id\": \"Q5\", \"min\": 1, \"unit\": \"workers\", "
    "\"where\": {\"origin_region\": [\"MA-05\"]}}],"
    "\"sessions\": [{\"id\": \"T1\", \"course\": \"phyto\", \"country\": \"MA\", "
    "\"start\": \"2026-01-10\", \"end\": \"2026-01-12\", \"capacity\": 2, "
    "\"cost\": 30}]}";

/*
 * Reintegration (reward): V1 (2 places) ends on 31 May; programme R1 (1 seat)
 * starts on 1 July, within the 60-day window. W1 and W2 are new: the plan places
 * both and enrols one: 2000 + 20 = 2020. Binding: R1 and V1 (full).
 * R1 +1: the second worker enrols, +1 enrolment, +20 (reintegration); +10: the same.
 * V1 +1 and +10: no third worker, nothing changes.
 */
static const char programme_doc[] =
    HEAD "\"policy\": {\"reintegration\": \"reward\"},"
    "\"workers\": [" WORKER("W1", "MA-05", "") ", " WORKER("W2", "MA-03", "") "],"
    "\"employers\": [{\"id\": \"E1\", \"region\": \"ES615\"}],"
    "\"vacancies\": [{\"id\": \"V1\", \"employer\": \"E1\", \"sector\": \"berries\", "
    "\"start\": \"2026-03-01\", \"end\": \"2026-05-31\", \"headcount\": 2}],"
    "\"programmes\": [{\"id\": \"R1\", \"country\": \"MA\", \"start\": \"2026-07-01\", "
    "\"end\": \"2026-09-30\", \"capacity\": 1}]}";

/*
 * A quota's max: QX allows 2 placements at E1; V1 has 3 places, three new workers.
 * The plan places two: 2000. QX +1: +1 place, +1 worker, +1000; +10: the same.
 */
static const char quota_max[] =
    HEAD "\"workers\": [" WORKER("W1", "MA-05", "") ", " WORKER("W2", "MA-05", "") ", "
    WORKER("W3", "MA-03", "") "],"
    "\"employers\": [{\"id\": \"E1\", \"region\": \"ES615\"}],"
    "\"vacancies\": [{\"id\": \"V1\", \"employer\": \"E1\", \"sector\": \"berries\", "
    "\"start\": \"2026-03-01\", \"end\": \"2026-05-31\", \"headcount\": 3}],"
    "\"quotas\": [{\"id\": \"QX\", \"max\": 2, \"where\": {\"employer\": [\"E1\"]}}]}";

/* Solve, compute the figures and the marginal values; NULL on failure. */
static clb_kpis *figures_of(const char *text, const char *name)
{
    clb_scenario *s = NULL;
    clb_result *r = NULL;
    clb_kpis *k = NULL;
    clb_error err;

    clb_error_init(&err);
    if (clb_scenario_load_buffer(&s, text, strlen(text), name, NULL, &err) != 0) {
        fprintf(stderr, "%s: %s (%s)\n", name, err.message, err.path);
        CHECK(!"scenario loads");
        return NULL;
    }
    CHECK(clb_solve(&r, s, NULL, &err) == 0);
    CHECK(r && clb_kpis_from_result(&k, s, r, name, &err) == 0);
    if (k) {
        /* the terms add up to the result's own objective */
        CHECK_NEAR(clb_kpis_get(k)->terms.total, clb_result_objective(r), 1e-9);
        CHECK(clb_kpis_marginals(k, s, NULL, NULL, NULL, &err) == 0);
    }
    clb_result_free(r);
    clb_scenario_free(s);
    return k;
}

static const clb_kpi_marginal *find(const clb_kpi_summary *m, clb_limit_kind kind,
                                    const char *id, long delta)
{
    for (size_t i = 0; i < m->n_marginals; i++)
        if (m->marginals[i].kind == kind && m->marginals[i].delta == delta &&
            strcmp(m->marginals[i].id, id) == 0)
            return &m->marginals[i];
    return NULL;
}

/* Every term other than those named is zero, and the terms add up. */
static void check_terms(const clb_kpi_marginal *g, double fill, double training,
                        double shortfall, double reintegration)
{
    const clb_kpi_terms *t = &g->d_terms;
    CHECK_NEAR(t->fill, fill, 1e-9);
    CHECK_NEAR(t->training_cost, training, 1e-9);
    CHECK_NEAR(t->quota_shortfall, shortfall, 1e-9);
    CHECK_NEAR(t->reintegration, reintegration, 1e-9);
    CHECK_NEAR(t->returning + t->tenure + t->named + t->same_employer + t->preference +
                   t->score + t->keep,
               0.0, 1e-9);
    CHECK_NEAR(t->total, g->d_objective, 1e-9);
    CHECK_NEAR(g->d_objective, fill + training + shortfall + reintegration, 1e-9);
}

static void test_beds(void)
{
    clb_kpis *k = figures_of(beds_doc, "beds");
    const clb_kpi_summary *m = k ? clb_kpis_get(k) : NULL;
    const clb_kpi_marginal *g;

    if (!m)
        return;
    CHECK_NEAR(m->objective, 1225.0, 1e-9);
    CHECK_NEAR(m->terms.fill, 1000.0, 1e-9);
    CHECK_NEAR(m->terms.returning, 200.0, 1e-9);
    CHECK_NEAR(m->terms.tenure, 25.0, 1e-9);
    CHECK_INT((long)m->n_marginals, 2);
    CHECK((g = find(m, CLB_LIMIT_SITE, "S1", 1)) != NULL);
    if (g) {
        CHECK_INT(g->limit, 1);
        CHECK_INT(g->d_placements, 1);
        CHECK_INT(g->d_workers_placed, 1);
        CHECK_INT(g->d_returning_placed, 0);
        CHECK_INT(g->d_training_seats, 0);
        check_terms(g, 1000.0, 0.0, 0.0, 0.0);
    }
    CHECK((g = find(m, CLB_LIMIT_SITE, "S1", 10)) != NULL);
    if (g) {
        CHECK_INT(g->d_placements, 2);
        CHECK_INT(g->d_workers_placed, 2);
        CHECK_INT(g->d_returning_placed, 0);
        check_terms(g, 2000.0, 0.0, 0.0, 0.0);
    }
    clb_kpis_free(k);
}

static void test_training_and_min(void)
{
    clb_kpis *k = figures_of(training_doc, "training");
    const clb_kpi_summary *m = k ? clb_kpis_get(k) : NULL;
    const clb_kpi_marginal *g;

    if (!m)
        return;
    CHECK_NEAR(m->objective, 970.0, 1e-9);
    CHECK_NEAR(m->terms.training_cost, -30.0, 1e-9);
    CHECK_INT((long)m->n_marginals, 4);
    for (long d = 1; d <= 10; d += 9) {
        CHECK((g = find(m, CLB_LIMIT_QUOTA_MIN, "Q5", d)) != NULL);
        if (g) {
            CHECK_INT(g->limit, 1);
            CHECK_INT(g->d_placements, 0);
            CHECK_INT(g->d_quota_shortfall, d);
            CHECK_INT(g->d_training_seats, 0);
            check_terms(g, 0.0, 0.0, -2000.0 * (double)d, 0.0);
        }
        CHECK((g = find(m, CLB_LIMIT_VACANCY, "V1", d)) != NULL);
        if (g) {
            CHECK_INT(g->limit, 1);
            CHECK_INT(g->d_placements, 1);
            CHECK_INT(g->d_workers_placed, 1);
            CHECK_INT(g->d_training_seats, 1);
            CHECK_NEAR(g->d_training_cost, 30.0, 1e-9);
            CHECK_INT(g->d_quota_shortfall, 0);
            check_terms(g, 1000.0, -30.0, 0.0, 0.0);
        }
    }
    clb_kpis_free(k);
}

static void test_programme(void)
{
    clb_kpis *k = figures_of(programme_doc, "programme");
    const clb_kpi_summary *m = k ? clb_kpis_get(k) : NULL;
    const clb_kpi_marginal *g;

    if (!m)
        return;
    CHECK_NEAR(m->objective, 2020.0, 1e-9);
    CHECK_NEAR(m->terms.reintegration, 20.0, 1e-9);
    CHECK_INT((long)m->n_marginals, 4);
    for (long d = 1; d <= 10; d += 9) {
        CHECK((g = find(m, CLB_LIMIT_PROGRAMME, "R1", d)) != NULL);
        if (g) {
            CHECK_INT(g->d_placements, 0);
            CHECK_INT(g->d_enrolments, 1);
            check_terms(g, 0.0, 0.0, 0.0, 20.0);
        }
        CHECK((g = find(m, CLB_LIMIT_VACANCY, "V1", d)) != NULL);
        if (g) {
            CHECK_INT(g->limit, 2);
            CHECK_INT(g->d_placements, 0);
            CHECK_INT(g->d_enrolments, 0);
            check_terms(g, 0.0, 0.0, 0.0, 0.0);
        }
    }
    clb_kpis_free(k);
}

static void test_quota_max(void)
{
    clb_kpis *k = figures_of(quota_max, "quota_max");
    const clb_kpi_summary *m = k ? clb_kpis_get(k) : NULL;
    const clb_kpi_marginal *g;

    if (!m)
        return;
    CHECK_NEAR(m->objective, 2000.0, 1e-9);
    CHECK_INT((long)m->n_marginals, 2);
    for (long d = 1; d <= 10; d += 9) {
        CHECK((g = find(m, CLB_LIMIT_QUOTA, "QX", d)) != NULL);
        if (g) {
            CHECK_INT(g->limit, 2);
            CHECK_INT(g->d_placements, 1);
            CHECK_INT(g->d_workers_placed, 1);
            check_terms(g, 1000.0, 0.0, 0.0, 0.0);
        }
    }
    clb_kpis_free(k);
}

/*
 * The terms are the value: on the worked example (returning workers, named
 * requests, preferences, scores, training, shortfalls), every eligible pair's terms
 * add up to exactly its value, and a solved plan's terms to its objective.
 */
static void test_terms_are_the_value(void)
{
    const char *path = CLB_SOURCE_DIR "/scenarios/huelva-small.json";
    clb_scenario *s = NULL;
    clb_result *r = NULL;
    clb_kpis *k = NULL;
    clb_error err;
    size_t pairs = 0, equal = 0;

    clb_error_init(&err);
    CHECK(clb_scenario_load_file(&s, path, NULL, &err) == 0);
    if (!s)
        return;
    for (uint32_t w = 0; w < s->n_workers; w++)
        for (uint32_t v = 0; v < s->n_vacancies; v++) {
            double t[CLB_N_PLACEMENT_TERMS], sum;
            clb__placement_terms(s, w, v, t);
            sum = t[0];
            for (size_t i = 1; i < CLB_N_PLACEMENT_TERMS; i++)
                sum += t[i];
            pairs++;
            equal += sum == clb__placement_value(s, w, v) ? 1 : 0;
        }
    CHECK(pairs > 1000);
    CHECK_INT((long)equal, (long)pairs);
    CHECK(clb_solve(&r, s, NULL, &err) == 0);
    CHECK(r && clb_kpis_from_result(&k, s, r, "huelva", &err) == 0);
    if (k) {
        const clb_kpi_summary *m = clb_kpis_get(k);
        CHECK_NEAR(m->terms.total, clb_result_objective(r), 1e-6);
        CHECK_NEAR(m->terms.fill, 1000.0 * (double)m->placements, 1e-9);
        CHECK_NEAR(m->terms.training_cost, -m->training_cost, 1e-9);
        CHECK_NEAR(m->terms.quota_shortfall, -2000.0 * (double)m->quota_shortfall, 1e-9);
        CHECK(m->terms.returning > 0 && m->terms.preference > 0);
        CHECK_INT((long)m->n_plan, m->placements);
    }
    clb_kpis_free(k);
    clb_result_free(r);
    clb_scenario_free(s);
}

int main(void)
{
    test_beds();
    test_training_and_min();
    test_programme();
    test_quota_max();
    test_terms_are_the_value();
    return clb_test_finish();
}
