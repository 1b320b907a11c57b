/*
 * test_solve.c - the model on small hand-made cases whose optimum is known by
 * reasoning: headcount, conflicts with gaps, housing, quotas of both units, training
 * seats, reintegration modes, pins and infeasibility reports, time limits.
 */
#include "harness.h"
#include "circulab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORKER(id, extra)                                                             \
    "{\"id\": \"" id "\", \"birth_date\": \"1990-01-01\", \"country\": \"MA\","       \
    " \"region\": \"MA-05\", \"available\": {\"from\": \"2026-01-01\","               \
    " \"to\": \"2026-12-31\"}" extra "}"

#define VACANCY(id, start, end, hc, extra)                                            \
    "{\"id\": \"" id "\", \"employer\": \"E1\", \"start\": \"" start "\","            \
    " \"end\": \"" end "\", \"headcount\": " #hc extra "}"

/* Results borrow from their scenario; tests keep both and free them together. */
typedef struct pair {
    clb_scenario *s;
    clb_result *r;
} pair;

static pair run(const char *doc, int expect_rc, clb_error *err)
{
    pair p = {NULL, NULL};
    clb_error_init(err);
    int rc = clb_scenario_load_buffer(&p.s, doc, strlen(doc), "test", NULL, err);
    if (rc) {
        fprintf(stderr, "load failed: %s\n", err->message);
        CHECK_INT(rc, 0);
        return p;
    }
    rc = clb_solve(&p.r, p.s, NULL, err);
    CHECK_INT(rc, expect_rc);
    if (rc && rc != expect_rc)
        fprintf(stderr, "solve failed: %s\n", err->message);
    return p;
}

static void done(pair p)
{
    clb_result_free(p.r);
    clb_scenario_free(p.s);
}

static bool placed(const clb_result *r, const char *w, const char *v)
{
    for (size_t i = 0; r && i < clb_result_placement_count(r); i++) {
        clb_placement_info p;
        clb_result_placement_get(&p, r, i);
        if (strcmp(p.worker, w) == 0 && strcmp(p.vacancy, v) == 0)
            return true;
    }
    return false;
}

static void test_headcount_prefers_returning(void)
{
    clb_error err;
    const char *doc =
        "{\"format\": \"circulab-scenario/1\", \"workers\": ["
        WORKER("A", "") ", "
        WORKER("B", ", \"history\": {\"campaigns\": 2, \"returned\": true}") ", "
        WORKER("C", "")
        "], \"employers\": [{\"id\": \"E1\", \"region\": \"ES615\"}],"
        " \"vacancies\": [" VACANCY("V1", "2026-03-01", "2026-05-31", 2, "") "]}";
    pair p = run(doc, 0, &err);
    if (!p.r) {
        done(p);
        return;
    }
    CHECK_INT(clb_result_placement_count(p.r), 2);
    CHECK(placed(p.r, "B", "V1"));
    /* fill 1000 * 2 + returning 200 + tenure 2 * 25 */
    CHECK_NEAR(clb_result_objective(p.r), 2250, 1e-6);
    CHECK_INT(clb_result_status(p.r), CLB_STATUS_OPTIMAL);
    done(p);
}

static void test_conflicts_and_gap(void)
{
    clb_error err;
    /* V1 ends 03-31, V2 starts 04-05: a gap of 4 full days; min_gap_days 5 forbids */
    const char *doc =
        "{\"format\": \"circulab-scenario/1\", \"policy\": {\"min_gap_days\": 5},"
        " \"workers\": [" WORKER("A", "") "],"
        " \"employers\": [{\"id\": \"E1\", \"region\": \"ES615\"}],"
        " \"vacancies\": [" VACANCY("V1", "2026-03-01", "2026-03-31", 1, "") ", "
        VACANCY("V2", "2026-04-05", "2026-04-30", 1, "") "]}";
    pair p = run(doc, 0, &err);
    if (p.r)
        CHECK_INT(clb_result_placement_count(p.r), 1);
    done(p);
    const char *doc2 =
        "{\"format\": \"circulab-scenario/1\", \"policy\": {\"min_gap_days\": 4},"
        " \"workers\": [" WORKER("A", "") "],"
        " \"employers\": [{\"id\": \"E1\", \"region\": \"ES615\"}],"
        " \"vacancies\": [" VACANCY("V1", "2026-03-01", "2026-03-31", 1, "") ", "
        VACANCY("V2", "2026-04-05", "2026-04-30", 1, "") "]}";
    p = run(doc2, 0, &err);
    if (p.r)
        CHECK_INT(clb_result_placement_count(p.r), 2);
    done(p);
}

static void test_housing(void)
{
    clb_error err;
    /* two overlapping vacancies on a site with 3 beds: 3 placements at most while
       they overlap, though headcounts allow 4 */
    const char *doc =
        "{\"format\": \"circulab-scenario/1\", \"workers\": ["
        WORKER("A", "") ", " WORKER("B", "") ", " WORKER("C", "") ", " WORKER("D", "")
        "], \"employers\": [{\"id\": \"E1\", \"region\": \"ES615\","
        " \"sites\": [{\"id\": \"S1\", \"region\": \"ES615\", \"beds\": 3}]}],"
        " \"vacancies\": [" VACANCY("V1", "2026-03-01", "2026-04-30", 2, "") ", "
        VACANCY("V2", "2026-04-01", "2026-05-31", 2, "") "]}";
    pair p = run(doc, 0, &err);
    if (p.r)
        CHECK_INT(clb_result_placement_count(p.r), 3);
    done(p);
}

static void test_quota_units(void)
{
    clb_error err;
    /* one worker could take both (non-overlapping) vacancies; a quota of 1 worker
       still allows both placements to that worker */
    const char *doc =
        "{\"format\": \"circulab-scenario/1\", \"workers\": ["
        WORKER("A", ", \"history\": {\"campaigns\": 1, \"returned\": true}") ", "
        WORKER("B", "")
        "], \"employers\": [{\"id\": \"E1\", \"region\": \"ES615\"}],"
        " \"vacancies\": [" VACANCY("V1", "2026-03-01", "2026-03-31", 1, "") ", "
        VACANCY("V2", "2026-05-01", "2026-05-31", 1, "") "],"
        " \"quotas\": [{\"id\": \"Q\", \"max\": 1, \"unit\": \"workers\"}]}";
    pair p = run(doc, 0, &err);
    if (p.r) {
        CHECK_INT(clb_result_placement_count(p.r), 2);
        CHECK(placed(p.r, "A", "V1") && placed(p.r, "A", "V2"));
        clb_quota_use q;
        clb_result_quota_get(&q, p.r, 0);
        CHECK_INT(q.count, 1);
    }
    done(p);
    const char *doc2 =
        "{\"format\": \"circulab-scenario/1\", \"workers\": ["
        WORKER("A", "") ", " WORKER("B", "")
        "], \"employers\": [{\"id\": \"E1\", \"region\": \"ES615\"}],"
        " \"vacancies\": [" VACANCY("V1", "2026-03-01", "2026-03-31", 2, "") "],"
        " \"quotas\": [{\"id\": \"Q\", \"min\": 3, \"unit\": \"placements\"}]}";
    p = run(doc2, 0, &err);
    if (p.r) {
        /* 2 placements, shortfall 1 at 2000 */
        CHECK_NEAR(clb_result_objective(p.r), 2000 - 2000, 1e-6);
        clb_quota_use q;
        clb_result_quota_get(&q, p.r, 0);
        CHECK_INT(q.shortfall, 1);
    }
    done(p);
}

static void test_training_seats(void)
{
    clb_error err;
    /* two workers need a course; one session with one seat ending in time */
    const char *doc =
        "{\"format\": \"circulab-scenario/1\", \"policy\": {\"training_lead_days\": 3},"
        " \"workers\": [" WORKER("A", "") ", " WORKER("B", "") "],"
        " \"employers\": [{\"id\": \"E1\", \"region\": \"ES615\"}],"
        " \"vacancies\": [" VACANCY("V1", "2026-03-10", "2026-04-30", 2,
                                    ", \"requires\": {\"trainings\": [\"phyto\"]}") "],"
        " \"sessions\": [{\"id\": \"T1\", \"course\": \"phyto\", \"country\": \"MA\","
        "  \"start\": \"2026-03-01\", \"end\": \"2026-03-06\", \"capacity\": 1, \"cost\": 40},"
        "  {\"id\": \"T2\", \"course\": \"phyto\", \"country\": \"MA\","
        "  \"start\": \"2026-03-01\", \"end\": \"2026-03-07\", \"capacity\": 5}]}";
    /* T2 ends 03-07: 03-07 + 3 = 03-10, not before the start: unusable */
    pair p = run(doc, 0, &err);
    if (p.r) {
        CHECK_INT(clb_result_placement_count(p.r), 1);
        CHECK_INT(clb_result_training_count(p.r), 1);
        CHECK_NEAR(clb_result_objective(p.r), 1000 - 40, 1e-6);
    }
    done(p);
}

static void test_reintegration_required(void)
{
    clb_error err;
    const char *doc =
        "{\"format\": \"circulab-scenario/1\", \"policy\": {\"reintegration\": \"required\","
        "  \"reintegration_window_days\": 30},"
        " \"workers\": [" WORKER("A", "") ", " WORKER("B", "") ", " WORKER("C", "") "],"
        " \"employers\": [{\"id\": \"E1\", \"region\": \"ES615\"}],"
        " \"vacancies\": [" VACANCY("V1", "2026-03-01", "2026-05-31", 3, "") "],"
        " \"programmes\": [{\"id\": \"R1\", \"country\": \"MA\", \"start\": \"2026-06-15\","
        "  \"end\": \"2026-08-31\", \"capacity\": 2},"
        "  {\"id\": \"R2\", \"country\": \"MA\", \"start\": \"2026-07-15\","
        "  \"end\": \"2026-08-31\", \"capacity\": 9}]}";
    /* R2 starts 45 days after the end: outside the window; R1 has 2 seats */
    pair p = run(doc, 0, &err);
    if (p.r) {
        CHECK_INT(clb_result_placement_count(p.r), 2);
        CHECK_INT(clb_result_reintegration_count(p.r), 2);
    }
    done(p);
}

static void test_infeasible_pins(void)
{
    clb_error err;
    const char *doc =
        "{\"format\": \"circulab-scenario/1\", \"workers\": ["
        WORKER("A", "") ", " WORKER("B", "") ", " WORKER("C", "")
        "], \"employers\": [{\"id\": \"E1\", \"region\": \"ES615\"}],"
        " \"vacancies\": [" VACANCY("V1", "2026-03-01", "2026-03-31", 5, "") "],"
        " \"quotas\": [{\"id\": \"Q-X\", \"max\": 2}],"
        " \"pins\": [{\"worker\": \"A\", \"vacancy\": \"V1\"},"
        "  {\"worker\": \"B\", \"vacancy\": \"V1\"}, {\"worker\": \"C\", \"vacancy\": \"V1\"}]}";
    pair p = run(doc, CLB_EINFEASIBLE, &err);
    CHECK(p.r == NULL);
    CHECK(strstr(err.message, "quota 'Q-X' max 2") != NULL);
    CHECK(strstr(err.message, "(A, V1)") != NULL);
    if (!strstr(err.message, "quota 'Q-X' max 2"))
        fprintf(stderr, "message: %s\n", err.message);
    done(p);
}

static void test_document_is_stable(void)
{
    clb_error err;
    const char *doc =
        "{\"format\": \"circulab-scenario/1\", \"name\": \"stable\", \"workers\": ["
        WORKER("B", "") ", " WORKER("A", "")
        "], \"employers\": [{\"id\": \"E1\", \"region\": \"ES615\"}],"
        " \"vacancies\": [" VACANCY("V2", "2026-03-01", "2026-03-31", 1, "") ", "
        VACANCY("V1", "2026-03-01", "2026-03-31", 1, "") "]}";
    pair p = run(doc, 0, &err), q = run(doc, 0, &err);
    if (p.r && q.r) {
        clb_buf a = CLB_BUF_INIT, b = CLB_BUF_INIT;
        CHECK_INT(clb_result_save(&a, p.r, 0, &err), 0);
        CHECK_INT(clb_result_save(&b, q.r, 0, &err), 0);
        CHECK(a.size == b.size && memcmp(a.ptr, b.ptr, a.size) == 0);
        CHECK(strstr(a.ptr, "\"format\": \"circulab-result/1\"") != NULL);
        /* sorted by vacancy: V1 before V2 */
        CHECK(strstr(a.ptr, "\"vacancy\": \"V1\"") < strstr(a.ptr, "\"vacancy\": \"V2\""));
        clb_buf_dispose(&a);
        clb_buf_dispose(&b);
    }
    done(p);
    done(q);
}

int main(void)
{
    test_headcount_prefers_returning();
    test_conflicts_and_gap();
    test_housing();
    test_quota_units();
    test_training_seats();
    test_reintegration_required();
    test_infeasible_pins();
    test_document_is_stable();
    return clb_test_finish();
}
