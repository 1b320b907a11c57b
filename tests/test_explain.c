/*
 * test_explain.c - unit tests of what the engine hands the command line as data:
 * an explanation (clb_explain_result: pairs, failed rules, reasons with the records
 * they name, ineligible counts) and the key figures' breakdowns that `demo` shows
 * (by employer with vacancies and returning placements, by origin country and
 * region).
 *
 * The scenario is small enough that every figure is known by hand: two vacancies of
 * one place each, four workers of whom one is too young; the solve is the real one.
 */
#include <stdio.h>
#include <string.h>

#include "circulab.h"
#include "harness.h"

static const char doc[] =
    "{\"format\": \"circulab-scenario/1\", \"name\": \"explain\",\n"
    " \"workers\": [\n"
    "  {\"id\": \"W1\", \"birth_date\": \"1990-01-01\", \"country\": \"MA\", \"region\": "
    "\"MA-05\", \"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"},\n"
    "   \"history\": {\"campaigns\": 2, \"returned\": true}},\n"
    "  {\"id\": \"W2\", \"birth_date\": \"1991-01-01\", \"country\": \"MA\", \"region\": "
    "\"MA-05\", \"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"}},\n"
    "  {\"id\": \"W3\", \"birth_date\": \"1992-01-01\", \"country\": \"SN\", "
    "\"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"}},\n"
    "  {\"id\": \"W4\", \"birth_date\": \"2012-01-01\", \"country\": \"MA\", \"region\": "
    "\"MA-03\", \"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"}}],\n"
    " \"employers\": [{\"id\": \"E1\", \"region\": \"ES615\"}, {\"id\": \"E2\", "
    "\"region\": \"ES618\"}],\n"
    " \"vacancies\": [\n"
    "  {\"id\": \"V1\", \"employer\": \"E1\", \"sector\": \"berries\", \"start\": "
    "\"2026-03-01\", \"end\": \"2026-05-31\", \"headcount\": 1},\n"
    "  {\"id\": \"V2\", \"employer\": \"E2\", \"sector\": \"citrus\", \"start\": "
    "\"2026-03-01\", \"end\": \"2026-04-30\", \"headcount\": 1}]}\n";

static void test_breakdowns(const clb_scenario *s, const clb_result *r)
{
    clb_kpis *k = NULL;
    clb_error err;
    const clb_kpi_summary *m;
    long placements = 0, returning = 0, applicants = 0;

    clb_error_init(&err);
    CHECK_INT(clb_kpis_from_result(&k, s, r, NULL, &err), 0);
    if (!k)
        return;
    m = clb_kpis_get(k);
    CHECK_INT(m->placements, 2);
    CHECK_INT(m->n_by_employer, 2);
    for (size_t i = 0; i < m->n_by_employer; i++) {
        CHECK_INT(m->by_employer[i].vacancies, 1);
        CHECK_INT(m->by_employer[i].placements, m->by_employer[i].filled);
        CHECK(m->by_employer[i].country == NULL);
    }
    CHECK_STR(m->by_employer[0].key, "E1");
    /* W1 (returning) is placed: the one returning placement shows in the totals and
       in exactly one employer's row. */
    CHECK_INT(m->returning_placements, 1);
    CHECK_INT(m->by_employer[0].returning + m->by_employer[1].returning, 1);
    /* origins by country, then region: MA/MA-03, MA/MA-05, SN/"" */
    CHECK_INT(m->n_by_country_region, 3);
    if (m->n_by_country_region == 3) {
        CHECK_STR(m->by_country_region[0].country, "MA");
        CHECK_STR(m->by_country_region[0].key, "MA-03");
        CHECK_STR(m->by_country_region[1].key, "MA-05");
        CHECK_STR(m->by_country_region[2].country, "SN");
        CHECK_STR(m->by_country_region[2].key, "");
        CHECK_INT(m->by_country_region[0].placements, 0); /* W4 is too young */
        CHECK_INT(m->by_country_region[1].places, 2);
    }
    for (size_t i = 0; i < m->n_by_country_region; i++) {
        placements += m->by_country_region[i].placements;
        returning += m->by_country_region[i].returning;
        applicants += m->by_country_region[i].places;
    }
    CHECK_INT(placements, m->placements);
    CHECK_INT(returning, m->returning_placements);
    CHECK_INT(applicants, m->applicants);
    clb_kpis_free(k);
}

/* The vacancy V1: full, every eligible worker left out held by vacancy_full. */
static void test_explain_vacancy(const clb_scenario *s, const clb_result *r)
{
    clb_explanation *e = NULL;
    const clb_explanation_info *x;
    clb_error err;

    clb_error_init(&err);
    CHECK_INT(clb_explain_result(&e, s, r, NULL, "V1", &err), 0);
    if (!e)
        return;
    x = clb_explanation_get(e);
    CHECK(x->worker == NULL);
    CHECK_STR(x->vacancy, "V1");
    CHECK_INT(x->round, 0);
    CHECK_INT(x->headcount, 1);
    CHECK_INT(x->filled, 1);
    CHECK_INT(x->n_placed, 1);
    /* four workers: one holds V1, W4 fails the age rule, two are eligible */
    CHECK_INT(x->n_pairs, 2);
    for (size_t i = 0; i < x->n_pairs; i++) {
        const clb_explain_pair *p = &x->pairs[i];
        const clb_explain_reason *full = NULL;
        CHECK(p->eligible);
        CHECK(p->n_failed == 0);
        for (size_t j = 0; j < p->n_held_out; j++)
            if (strcmp(p->held_out[j].reason, "vacancy_full") == 0)
                full = &p->held_out[j];
        CHECK(full != NULL);
        if (full) {
            CHECK(full->has_value);
            CHECK_INT(full->n_holders, 1);
            if (full->n_holders == 1)
                CHECK_STR(full->holders[0].id, x->placed[0].id);
            CHECK(strstr(full->message, "V1 is full") == full->message);
            CHECK(full->quota == NULL && full->site == NULL && full->course == NULL);
        }
    }
    CHECK_INT(x->n_ineligible, 1);
    if (x->n_ineligible == 1) {
        CHECK_STR(x->ineligible[0].rule, "age");
        CHECK_INT(x->ineligible[0].count, 1);
    }
    clb_explanation_free(e);
}

/* The worker W4: not placed, every vacancy failing the age rule, with a sentence. */
static void test_explain_worker(const clb_scenario *s, const clb_result *r)
{
    clb_explanation *e = NULL;
    const clb_explanation_info *x;
    clb_error err;

    clb_error_init(&err);
    CHECK_INT(clb_explain_result(&e, s, r, "W4", NULL, &err), 0);
    if (!e)
        return;
    x = clb_explanation_get(e);
    CHECK_STR(x->worker, "W4");
    CHECK_INT(x->n_placed, 0);
    CHECK_INT(x->n_pairs, 2);
    for (size_t i = 0; i < x->n_pairs; i++) {
        CHECK(!x->pairs[i].eligible);
        CHECK_INT(x->pairs[i].n_failed, 1);
        CHECK_INT(x->pairs[i].n_held_out, 0);
        if (x->pairs[i].n_failed == 1) {
            CHECK_STR(x->pairs[i].failed[0].rule, "age");
            CHECK(strstr(x->pairs[i].failed[0].message, "below min_age") != NULL);
        }
    }
    clb_explanation_free(e);

    clb_error_init(&err);
    CHECK_INT(clb_explain_result(&e, s, r, "W9", NULL, &err), CLB_ENOTFOUND);
    CHECK(e == NULL);
    CHECK_INT(clb_explain_result(&e, s, r, "W1", "V1", &err), CLB_EINVAL);
    CHECK(e == NULL);
    clb_explanation_free(NULL);
}

/* A worker kept in a stored round's inputs in the forgotten form (personal data
   erased) is explained as forgotten, not by the availability it no longer has. */
static void test_explain_forgotten(void)
{
    static const char fdoc[] =
        "{\"format\": \"circulab-scenario/1\",\n"
        " \"workers\": [\n"
        "  {\"id\": \"W1\", \"birth_date\": \"1990-01-01\", \"country\": \"MA\", "
        "\"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"}},\n"
        "  {\"id\": \"W5\", \"forgotten\": true, \"country\": \"MA\", \"region\": "
        "\"MA-05\"}],\n"
        " \"employers\": [{\"id\": \"E1\", \"region\": \"ES615\"}],\n"
        " \"vacancies\": [{\"id\": \"V1\", \"employer\": \"E1\", \"start\": "
        "\"2026-03-01\", \"end\": \"2026-05-31\", \"headcount\": 2}]}\n";
    clb_scenario *s = NULL;
    clb_result *r = NULL;
    clb_explanation *e = NULL;
    clb_error err;

    clb_error_init(&err);
    CHECK_INT(clb_scenario_load_buffer(&s, fdoc, strlen(fdoc), "forgotten.json", NULL, &err),
              0);
    if (s)
        CHECK_INT(clb_solve(&r, s, NULL, &err), 0);
    if (s && r) {
        CHECK_INT(clb_explain_result(&e, s, r, "W5", NULL, &err), 0);
        if (e) {
            CHECK(clb_explanation_get(e)->forgotten);
            CHECK_INT(clb_explanation_get(e)->n_placed, 0);
        }
        clb_explanation_free(e);
        e = NULL;
        CHECK_INT(clb_explain_result(&e, s, r, "W1", NULL, &err), 0);
        if (e)
            CHECK(!clb_explanation_get(e)->forgotten);
        clb_explanation_free(e);
    }
    clb_result_free(r);
    clb_scenario_free(s);
}

int main(void)
{
    test_explain_forgotten();
    clb_scenario *s = NULL;
    clb_result *r = NULL;
    clb_error err;

    clb_error_init(&err);
    CHECK_INT(clb_scenario_load_buffer(&s, doc, strlen(doc), "explain.json", NULL, &err), 0);
    if (s)
        CHECK_INT(clb_solve(&r, s, NULL, &err), 0);
    if (s && r) {
        test_breakdowns(s, r);
        test_explain_vacancy(s, r);
        test_explain_worker(s, r);
    }
    clb_result_free(r);
    clb_scenario_free(s);
    return clb_test_finish();
}
