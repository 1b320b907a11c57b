/*
 * test_planners.c - unit tests of the planners' modules: the `extends` merge
 * (variant.c), key figures and comparisons (compare.c), marginal values checked
 * against re-solves, the HTML report (report.c) and the simulation (simulate.c).
 *
 * Variants are merged with clb__variant_merge directly and loaded with
 * clb_scenario_load_buffer, so these tests do not depend on the loader hook; the
 * CLI tests (tests/planners/) cover `validate` of a variant file.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "circulab.h"
#include "circulab/plan.h"
#include "harness.h"
#include "io/json.h"
#include "util/util.h"
#include "scenario/variant.h"

static char tmpdir[256];

static void write_file(const char *name, const char *text)
{
    char path[512];
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs(text, f);
    fclose(f);
}

/* A tiny scenario with known figures (see test_kpis). */
static const char tiny[] =
    "{\"format\": \"circulab-scenario/1\", \"name\": \"tiny\",\n"
    " \"policy\": {\"min_home_days\": 10, \"weights\": {\"score\": 2}},\n"
    " \"workers\": [\n"
    "  {\"id\": \"W1\", \"birth_date\": \"1990-01-01\", \"country\": \"MA\", \"region\": "
    "\"MA-05\", \"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"},\n"
    "   \"history\": {\"campaigns\": 2, \"returned\": true}},\n"
    "  {\"id\": \"W2\", \"birth_date\": \"1991-01-01\", \"country\": \"MA\", \"region\": "
    "\"MA-05\", \"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"}},\n"
    "  {\"id\": \"W3\", \"birth_date\": \"1992-01-01\", \"country\": \"MA\", \"region\": "
    "\"MA-03\", \"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"}},\n"
    "  {\"id\": \"W4\", \"birth_date\": \"2012-01-01\", \"country\": \"MA\", \"region\": "
    "\"MA-03\", \"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"}}],\n"
    " \"employers\": [{\"id\": \"E1\", \"region\": \"ES615\", \"sites\": [{\"id\": \"S1\", "
    "\"region\": \"ES615\", \"beds\": 2}]},\n"
    "                {\"id\": \"E2\", \"region\": \"ES618\"}],\n"
    " \"vacancies\": [\n"
    "  {\"id\": \"V1\", \"employer\": \"E1\", \"sector\": \"berries\", \"start\": "
    "\"2026-03-01\", \"end\": \"2026-05-31\", \"headcount\": 3, \"named\": [\"W3\"]},\n"
    "  {\"id\": \"V2\", \"employer\": \"E2\", \"sector\": \"citrus\", \"start\": "
    "\"2026-03-01\", \"end\": \"2026-04-30\", \"headcount\": 1}],\n"
    " \"quotas\": [{\"id\": \"Q1\", \"max\": 2, \"where\": {\"dest_region\": "
    "[\"ES615\"]}},\n"
    "             {\"id\": \"Q2\", \"min\": 3, \"unit\": \"workers\", \"where\": "
    "{\"origin_region\": [\"MA-05\"]}}],\n"
    " \"sessions\": [{\"id\": \"T1\", \"course\": \"c\", \"country\": \"MA\", \"start\": "
    "\"2026-01-01\", \"end\": \"2026-01-02\", \"capacity\": 5}],\n"
    " \"pins\": [{\"worker\": \"W2\", \"vacancy\": \"V2\"}],\n"
    " \"bans\": [{\"worker\": \"W1\", \"employer\": \"E2\"}]\n"
    "}\n";

/* Merge a variant file of tmpdir; returns the merged document (or NULL). */
static clb_json *merge(const char *name, clb_diags *diags, int *rc)
{
    char path[512];
    clb_json *root = NULL, *merged = NULL;
    clb_buf text = CLB_BUF_INIT;
    clb_error err;

    clb_error_init(&err);
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    *rc = clb__json_load_file(&root, path, &err);
    if (*rc == 0)
        *rc = clb__variant_merge(&text, root, path, diags, &err);
    if (*rc == 0)
        *rc = clb__json_load_buffer(&merged, text.ptr, text.size, "merged", &err);
    clb__json_free(root);
    clb_buf_dispose(&text);
    return merged;
}

static const clb_json *record(const clb_json *doc, const char *array, const char *id)
{
    const clb_json *arr = clb__json_object_get(doc, array);
    for (size_t i = 0; i < clb__json_array_size(arr); i++) {
        const char *rid =
            clb__json_string(clb__json_object_get(clb__json_array_get(arr, i), "id"));
        if (rid && strcmp(rid, id) == 0)
            return clb__json_array_get(arr, i);
    }
    return NULL;
}

static long long int_of(const clb_json *v)
{
    long long x = -999;
    clb__json_integer(v, &x);
    return x;
}

static bool has_diag(const clb_diags *d, const char *path, const char *text)
{
    for (size_t i = 0; i < clb_diags_count(d); i++) {
        const clb_diag *g = clb_diags_get(d, i);
        if (strcmp(g->path, path) == 0 && strstr(g->message, text))
            return true;
    }
    return false;
}

static void test_merge(void)
{
    clb_diags *d = NULL;
    clb_json *m;
    int rc;

    write_file("tiny.json", tiny);
    write_file("v1.json",
               "{\"extends\": \"tiny.json\", \"name\": \"tiny-v1\", \"x-why\": 1,\n"
               " \"changes\": {\n"
               "  \"policy\": {\"min_home_days\": null, \"max_stay_days\": \"-20\",\n"
               "             \"weights\": {\"returning\": 300}},\n"
               "  \"quotas\": {\"Q1\": {\"max\": \"+50%\"}, \"Q2\": {\"min\": \"+10%\"}},\n"
               "  \"sessions\": {\"T1\": {\"capacity\": 7, \"cost\": 2.5}},\n"
               "  \"sites\": {\"S1\": {\"beds\": \"+1\"}},\n"
               "  \"vacancies\": {\"V1\": {\"headcount\": \"+2\", \"named\": null}},\n"
               "  \"remove\": {\"workers\": [\"W2\"], \"sessions\": []},\n"
               "  \"add\": {\"sessions\": [{\"id\": \"T2\", \"course\": \"c\", \"country\": "
               "\"MA\", \"start\": \"2026-01-05\", \"end\": \"2026-01-06\", \"capacity\": "
               "3}]}\n"
               " }}\n");
    CHECK(clb_diags_new(&d) == 0);
    m = merge("v1.json", d, &rc);
    CHECK_INT(rc, 0);
    CHECK_INT(clb_diags_count(d), 0);
    if (m) {
        const clb_json *pol = clb__json_object_get(m, "policy");
        CHECK_STR(clb__json_string(clb__json_object_get(m, "name")), "tiny-v1");
        CHECK(clb__json_object_get(m, "extends") == NULL);
        CHECK(clb__json_object_get(m, "changes") == NULL);
        CHECK(clb__json_object_get(pol, "min_home_days") == NULL); /* null deletes */
        /* Relative to the default (270) that the base leaves in force. */
        CHECK_INT(int_of(clb__json_object_get(pol, "max_stay_days")), 250);
        CHECK_INT(int_of(clb__json_object_get(
                      clb__json_object_get(pol, "weights"), "returning")),
                  300);
        CHECK_INT(int_of(clb__json_object_get(
                      clb__json_object_get(pol, "weights"), "score")),
                  2); /* merged, not replaced */
        CHECK_INT(int_of(clb__json_object_get(record(m, "quotas", "Q1"), "max")), 3);
        CHECK_INT(int_of(clb__json_object_get(record(m, "quotas", "Q2"), "min")), 3);
        CHECK_INT(int_of(clb__json_object_get(record(m, "sessions", "T1"), "capacity")),
                  7);
        CHECK(record(m, "sessions", "T2") != NULL);
        CHECK_INT(int_of(clb__json_object_get(record(m, "vacancies", "V1"), "headcount")),
                  5);
        CHECK(clb__json_object_get(record(m, "vacancies", "V1"), "named") == NULL);
        CHECK(record(m, "workers", "W2") == NULL);
        /* The pin of the removed worker went with it. */
        CHECK_INT(clb__json_array_size(clb__json_object_get(m, "pins")), 0);
        {
            const clb_json *sites =
                clb__json_object_get(record(m, "employers", "E1"), "sites");
            CHECK_INT(int_of(clb__json_object_get(clb__json_array_get(sites, 0), "beds")),
                      3);
        }
    }
    clb__json_free(m);
    clb_diags_free(d);

    /* Every problem of a variant at once, each with its path. */
    CHECK(clb_diags_new(&d) == 0);
    write_file("v2.json",
               "{\"extends\": \"tiny.json\", \"polcy\": {},\n"
               " \"changes\": {\"quotas\": {\"Q9\": {\"max\": 1}}, \"sessionz\": {},\n"
               "  \"policy\": {\"reintegration\": \"-20\"},\n"
               "  \"remove\": {\"vacancies\": [\"V9\"]},\n"
               "  \"vacancies\": {\"V1\": {\"id\": \"V7\"}}}}\n");
    m = merge("v2.json", d, &rc);
    CHECK_INT(rc, CLB_EINVAL);
    CHECK(m == NULL);
    CHECK(has_diag(d, "$.polcy", "unknown key 'polcy'"));
    CHECK(has_diag(d, "$.changes.sessionz", "unknown change 'sessionz'"));
    CHECK(has_diag(d, "$.changes.quotas.Q9", "no quota 'Q9' in tiny.json"));
    CHECK(has_diag(d, "$.changes.policy.reintegration", "needs a number in the base"));
    CHECK(has_diag(d, "$.changes.remove.vacancies[0]", "no vacancy 'V9'"));
    CHECK(has_diag(d, "$.changes.vacancies.V1", "cannot rename"));
    for (size_t i = 0; i < clb_diags_count(d); i++)
        CHECK(strstr(clb_diags_get(d, i)->source, "v2.json") != NULL);
    clb_diags_free(d);

    /* Chains: a variant of a variant; and a cycle. */
    CHECK(clb_diags_new(&d) == 0);
    write_file("v3.json", "{\"extends\": \"v1.json\", \"name\": \"tiny-v3\", \"changes\": "
                          "{\"quotas\": {\"Q1\": {\"max\": \"+1\"}}, \"remove\": "
                          "{\"employers\": [\"E2\"]}}}\n");
    m = merge("v3.json", d, &rc);
    CHECK_INT(rc, 0);
    if (m) {
        CHECK_STR(clb__json_string(clb__json_object_get(m, "name")), "tiny-v3");
        CHECK_INT(int_of(clb__json_object_get(record(m, "quotas", "Q1"), "max")), 4);
        CHECK(record(m, "vacancies", "V2") == NULL); /* the employer's vacancy */
        CHECK_INT(clb__json_array_size(clb__json_object_get(m, "bans")), 0);
    }
    clb__json_free(m);
    clb_diags_free(d);

    CHECK(clb_diags_new(&d) == 0);
    write_file("loop1.json", "{\"extends\": \"loop2.json\"}\n");
    write_file("loop2.json", "{\"extends\": \"loop1.json\"}\n");
    m = merge("loop1.json", d, &rc);
    CHECK_INT(rc, CLB_EINVAL);
    CHECK(clb_diags_count(d) >= 1 && strstr(clb_diags_get(d, 0)->message, "cycle"));
    clb_diags_free(d);

    CHECK(clb_diags_new(&d) == 0);
    write_file("nobase.json", "{\"extends\": \"missing.json\"}\n");
    m = merge("nobase.json", d, &rc);
    CHECK_INT(rc, CLB_EINVAL);
    CHECK(has_diag(d, "$.extends", "missing.json"));
    clb_diags_free(d);

    /* The merged text of a variant loads as a scenario and is validated: an invalid
     * change is reported by the scenario reader under the variant's name. */
    {
        char path[512];
        clb_json *root = NULL;
        clb_buf text = CLB_BUF_INIT;
        clb_scenario *s = NULL;
        clb_error err;
        write_file("v4.json", "{\"extends\": \"tiny.json\", \"changes\": {\"sessions\": "
                              "{\"T1\": {\"capacity\": -3}}}}\n");
        snprintf(path, sizeof(path), "%s/v4.json", tmpdir);
        clb_error_init(&err);
        CHECK(clb__json_load_file(&root, path, &err) == 0);
        CHECK(clb__variant_merge(&text, root, path, NULL, &err) == 0);
        CHECK_INT(clb_scenario_load_buffer(&s, text.ptr, text.size, path, NULL, &err),
                  CLB_EINVAL);
        CHECK(strstr(err.source, "v4.json") != NULL);
        CHECK_STR(err.path, "$.sessions[0].capacity");
        clb__json_free(root);
        clb_buf_dispose(&text);
        clb_scenario_free(s);
    }
}

/* Solve text; returns the result and the scenario. */
/* Removes from TEXT, in place, the line that begins with PREFIX; false if none does. */
static bool drop_line_starting(char *text, const char *prefix)
{
    size_t n = strlen(prefix);
    for (char *line = text; line && *line;) {
        char *next = strchr(line, '\n');
        if (strncmp(line, prefix, n) == 0) {
            if (next)
                memmove(line, next + 1, strlen(next + 1) + 1);
            else
                *line = '\0';
            return true;
        }
        line = next ? next + 1 : NULL;
    }
    return false;
}

static int solve_text(clb_scenario **s, clb_result **r, const char *text, size_t len)
{
    clb_error err;
    int rc;
    clb_error_init(&err);
    *s = NULL;
    *r = NULL;
    if ((rc = clb_scenario_load_buffer(s, text, len, "test", NULL, &err)) < 0) {
        fprintf(stderr, "load: %s at %s\n", err.message, err.path);
        return rc;
    }
    if ((rc = clb_solve(r, *s, NULL, &err)) < 0)
        fprintf(stderr, "solve: %s\n", err.message);
    return rc;
}

static const clb_kpi_limit *limit_of(const clb_kpi_summary *m, const char *id)
{
    for (size_t i = 0; i < m->n_limits; i++)
        if (strcmp(m->limits[i].id, id) == 0)
            return &m->limits[i];
    return NULL;
}

static void test_kpis(void)
{
    clb_scenario *s = NULL;
    clb_result *r = NULL;
    clb_kpis *k = NULL, *k2 = NULL;
    clb_buf doc = CLB_BUF_INIT, out = CLB_BUF_INIT;
    clb_error err;
    const clb_kpi_summary *m;

    clb_error_init(&err);
    CHECK(solve_text(&s, &r, tiny, strlen(tiny)) == 0);
    if (!r)
        return;
    CHECK(clb_kpis_from_result(&k, s, r, "tiny.json", &err) == 0);
    m = clb_kpis_get(k);
    CHECK_STR(m->label, "tiny.json");
    CHECK_STR(m->scenario, "tiny");
    CHECK_INT(m->places, 4);
    CHECK_INT(m->placements, 3);
    CHECK_NEAR(m->fill_rate, 0.75, 1e-12);
    CHECK_INT(m->applicants, 4);
    CHECK_INT(m->workers_placed, 3);
    CHECK_INT(m->returning_placed, 1);
    CHECK_NEAR(m->returning_share, 1.0 / 3.0, 1e-12);
    /* Applicants MA-03 1/2, MA-05 1/2; placed MA-03 1/3, MA-05 2/3: TV = 1/6. */
    CHECK_NEAR(m->balance_index, 1.0 - 1.0 / 6.0, 1e-12);
    CHECK_INT(m->named_requested, 1);
    CHECK_INT(m->named_honoured, 1);
    CHECK_NEAR(m->objective, 3 * 1000.0 + 200 + 2 * 25 + 300 - 2000, 1e-6);
    CHECK_INT(m->n_by_sector, 2);
    CHECK_STR(m->by_sector[0].key, "berries");
    CHECK_INT(m->by_sector[0].filled, 2);
    CHECK_INT(m->by_sector[0].places, 3);
    CHECK_STR(m->by_sector[1].key, "citrus");
    CHECK_INT(m->by_sector[1].filled, 1);
    CHECK_INT(m->n_by_province, 2);
    CHECK_STR(m->by_province[1].key, "ES618");
    CHECK_INT(m->n_by_employer, 2);
    CHECK_INT(m->n_by_origin, 2);
    CHECK_STR(m->by_origin[0].key, "MA-03");
    CHECK_INT(m->by_origin[0].places, 2);
    CHECK_INT(m->by_origin[0].filled, 1);
    CHECK(limit_of(m, "Q1") && limit_of(m, "Q1")->used == 2 && limit_of(m, "Q1")->binding);
    CHECK(limit_of(m, "Q2") && limit_of(m, "Q2")->used == 2 &&
          limit_of(m, "Q2")->shortfall == 1 && limit_of(m, "Q2")->binding);
    CHECK_INT(m->quota_shortfall, 1);
    CHECK(limit_of(m, "S1") && limit_of(m, "S1")->used == 2 &&
          limit_of(m, "S1")->limit == 2 && limit_of(m, "S1")->binding);
    CHECK(limit_of(m, "T1") && limit_of(m, "T1")->used == 0 && !limit_of(m, "T1")->binding);
    CHECK(limit_of(m, "E2") == NULL); /* unlimited implicit site */
    /* The calendar: weeks from the Monday of 2026-03-01 (2026-02-23) to 2026-05-31. */
    CHECK(m->n_weeks == 14);
    if (m->n_weeks > 0) {
        long arr = 0, dep = 0;
        CHECK_STR(m->weeks[0].start, "2026-02-23");
        for (size_t i = 0; i < m->n_weeks; i++) {
            arr += m->weeks[i].arrivals;
            dep += m->weeks[i].departures;
        }
        CHECK_INT(arr, 3);
        CHECK_INT(dep, 3);
        CHECK_INT(m->weeks[0].abroad, 3);
    }

    /* The same figures from the result document, read back. */
    CHECK(clb_result_save(&doc, r, 0, &err) == 0);
    CHECK(clb_kpis_from_document(&k2, s, doc.ptr, doc.size, "res.json", NULL, &err) == 0);
    if (k2) {
        const clb_kpi_summary *m2 = clb_kpis_get(k2);
        clb_buf a = CLB_BUF_INIT, b = CLB_BUF_INIT;
        const clb_kpis *one[1] = {k}, *two[1] = {k2};
        CHECK_STR(m2->label, "res.json");
        CHECK_NEAR(m2->objective, m->objective, 1e-9);
        CHECK_INT(m2->placements, m->placements);
        /* CSV without the label row and the clock reading is identical (a result
         * document saved without timings records no seconds, so "solve seconds"
         * reads 0.00 from it however long the solve took). */
        CHECK(clb_compare_render(&a, one, 1, CLB_COMPARE_CSV, &err) == 0);
        CHECK(clb_compare_render(&b, two, 1, CLB_COMPARE_CSV, &err) == 0);
        CHECK(a.ptr && b.ptr);
        if (a.ptr && b.ptr) {
            CHECK(drop_line_starting(a.ptr, "overall,solve seconds,"));
            CHECK(drop_line_starting(b.ptr, "overall,solve seconds,"));
            CHECK(strcmp(strchr(a.ptr, '\n'), strchr(b.ptr, '\n')) == 0);
        }
        clb_buf_dispose(&a);
        clb_buf_dispose(&b);
    }
    {
        clb_kpis *bad = NULL;
        const char *wrong = "{\"format\": \"circulab-result/1\", \"placements\": "
                            "[{\"worker\": \"W9\", \"vacancy\": \"V1\"}]}";
        clb_error_init(&err);
        CHECK_INT(clb_kpis_from_document(&bad, s, wrong, strlen(wrong), "bad.json", NULL,
                                         &err),
                  CLB_EINVAL);
        CHECK_STR(err.path, "$.placements[0]");
        CHECK(strstr(err.message, "W9") != NULL);
    }

    /* Comparison renderings. */
    {
        const clb_kpis *two[2] = {k, k2 ? k2 : k};
        clb_error_init(&err);
        CHECK(clb_compare_render(&out, two, 2, CLB_COMPARE_TEXT, &err) == 0);
        CHECK(out.ptr && strstr(out.ptr, "fill rate") && strstr(out.ptr, "75.0 %"));
        CHECK(out.ptr && strstr(out.ptr, "2/2 *")); /* Q1 binding */
        clb__buf_clear(&out);
        CHECK(clb_compare_render(&out, two, 2, CLB_COMPARE_CSV, &err) == 0);
        CHECK(out.ptr && strncmp(out.ptr, "section,key,metric,tiny.json,res.json\r\n",
                                 39) == 0);
        CHECK(out.ptr && strstr(out.ptr, "fill by sector,berries,filled,2,2\r\n"));
        CHECK(out.ptr && strstr(out.ptr, "quotas,Q2,shortfall,1,1\r\n"));
        clb__buf_clear(&out);
        CHECK(clb_compare_render(&out, two, 2, CLB_COMPARE_JSON, &err) == 0);
        {
            clb_json *j = NULL;
            CHECK(clb__json_load_buffer(&j, out.ptr, out.size, "compare", &err) == 0);
            CHECK_STR(clb__json_string(clb__json_object_get(j, "format")),
                      "circulab-compare/1");
            CHECK_INT(int_of(clb__json_object_get(
                          clb__json_array_get(clb__json_object_get(j, "scenarios"), 0),
                          "placements")),
                      3);
            clb__json_free(j);
        }
    }

    /* The report: self-contained, charts present. */
    {
        const clb_kpis *one[1] = {k};
        size_t svgs = 0;
        clb__buf_clear(&out);
        CHECK(clb_report_render(&out, one, 1, "Tiny <report>", &err) == 0);
        for (const char *p = out.ptr; p && (p = strstr(p, "<svg")); p++)
            svgs++;
        CHECK(svgs >= 7);
        CHECK(out.ptr && strstr(out.ptr, "Tiny &lt;report&gt;"));
        CHECK(out.ptr && !strstr(out.ptr, "<script"));
        CHECK(out.ptr && !strstr(out.ptr, "src="));
        CHECK(out.ptr && !strstr(out.ptr, "href="));
        CHECK(out.ptr && !strstr(out.ptr, "url("));
    }
    clb_buf_dispose(&doc);
    clb_buf_dispose(&out);
    clb_kpis_free(k);
    clb_kpis_free(k2);
    clb_result_free(r);
    clb_scenario_free(s);
}

/* Marginal values equal the difference to a re-solve of the variant with the limit
 * raised, written as a variant file and merged like a planner's. */
static void test_marginals(void)
{
    const char *base = CLB_SOURCE_DIR "/scenarios/reintegration-required.json";
    clb_scenario *s = NULL;
    clb_result *r = NULL;
    clb_kpis *k = NULL;
    clb_error err;
    const clb_kpi_summary *m;
    size_t checked = 0;

    clb_error_init(&err);
    CHECK(clb_scenario_load_file(&s, base, NULL, &err) == 0);
    if (!s)
        return;
    CHECK(clb_solve(&r, s, NULL, &err) == 0);
    CHECK(r && clb_kpis_from_result(&k, s, r, "base", &err) == 0);
    if (!k)
        goto done;
    CHECK(clb_kpis_marginals(k, s, NULL, NULL, NULL, &err) == 0);
    m = clb_kpis_get(k);
    CHECK(m->n_marginals >= 2);
    for (size_t i = 0; i < m->n_marginals; i++) {
        const clb_kpi_marginal *g = &m->marginals[i];
        static const char *const arrays[] = {"quotas", "sites", "sessions",
                                             "programmes", "vacancies", "quotas"};
        const char *field = g->kind == CLB_LIMIT_QUOTA       ? "max"
                            : g->kind == CLB_LIMIT_SITE      ? "beds"
                            : g->kind == CLB_LIMIT_VACANCY   ? "headcount"
                            : g->kind == CLB_LIMIT_QUOTA_MIN ? "min"
                                                             : "capacity";
        char text[1024];
        clb_json *root = NULL;
        clb_buf merged = CLB_BUF_INIT;
        clb_scenario *s2 = NULL;
        clb_result *r2 = NULL;
        snprintf(text, sizeof(text),
                 "{\"extends\": \"%s\", \"changes\": {\"%s\": {\"%s\": {\"%s\": "
                 "\"+%ld\"}}}}",
                 base, arrays[g->kind], g->id, field, g->delta);
        CHECK(clb__json_load_buffer(&root, text, strlen(text), "marginal", &err) == 0);
        CHECK(clb__variant_merge(&merged, root, "marginal.json", NULL, &err) == 0);
        CHECK(clb_scenario_load_buffer(&s2, merged.ptr, merged.size, "marginal.json",
                                       NULL, &err) == 0);
        if (s2 && clb_solve(&r2, s2, NULL, &err) == 0) {
            CHECK_NEAR(clb_result_objective(r2) - m->objective, g->d_objective, 1e-6);
            CHECK_INT((long)clb_result_placement_count(r2) - m->placements,
                      g->d_placements);
            checked++;
        }
        clb_result_free(r2);
        clb_scenario_free(s2);
        clb_buf_dispose(&merged);
        clb__json_free(root);
    }
    CHECK(checked == m->n_marginals);
    /* The scenario was restored: a fresh solve gives the base objective again. */
    {
        clb_result *r3 = NULL;
        CHECK(clb_solve(&r3, s, NULL, &err) == 0);
        CHECK(r3 && fabs(clb_result_objective(r3) - m->objective) < 1e-6);
        clb_result_free(r3);
    }
done:
    clb_kpis_free(k);
    clb_result_free(r);
    clb_scenario_free(s);
}

static int run_sim(clb_simulation **sim, clb_buf *csv, uint64_t seed)
{
    const char *path = CLB_SOURCE_DIR "/scenarios/reintegration-required.json";
    clb_sim_opts opts;
    clb_sim_rate rates[1] = {{"MA-05", 0.5}};
    clb_buf text = CLB_BUF_INIT;
    clb_error err;
    FILE *f = fopen(path, "rb");
    char chunk[4096];
    size_t got;
    int rc;

    clb_error_init(&err);
    while (f && (got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        char *grown = realloc(text.ptr, text.size + got + 1);
        if (!grown)
            break;
        text.ptr = grown;
        memcpy(text.ptr + text.size, chunk, got);
        text.size += got;
        text.asize = text.size + 1;
    }
    if (f)
        fclose(f);
    clb_sim_opts_init(&opts);
    opts.seasons = 5;
    opts.return_rate = 0.8;
    opts.rates = rates;
    opts.n_rates = 1;
    opts.new_applicants = 6;
    opts.seed = seed;
    rc = clb_simulate(sim, text.ptr, text.size, path, &opts, NULL, &err);
    if (rc < 0)
        fprintf(stderr, "simulate: %s (%s)\n", err.message, err.path);
    if (rc == 0)
        rc = clb_simulation_render_csv(csv, *sim, &err);
    free(text.ptr);
    return rc;
}

static void test_simulate(void)
{
    clb_simulation *a = NULL, *b = NULL, *c = NULL;
    clb_buf ca = CLB_BUF_INIT, cb = CLB_BUF_INIT, cc = CLB_BUF_INIT;

    CHECK(run_sim(&a, &ca, 42) == 0);
    CHECK(run_sim(&b, &cb, 42) == 0);
    CHECK(run_sim(&c, &cc, 43) == 0);
    /* Determinism: the same seed, the same figures. */
    CHECK(ca.ptr && cb.ptr && strcmp(ca.ptr, cb.ptr) == 0);
    CHECK(ca.ptr && cc.ptr && strcmp(ca.ptr, cc.ptr) != 0);
    /* Conservation: every worker accounted for in every season. */
    if (a) {
        long prev_pool = 0, prev_reached = 0;
        CHECK_INT(clb_simulation_season_count(a), 5);
        for (size_t i = 0; i < clb_simulation_season_count(a); i++) {
            clb_sim_season s;
            long sum = 0;
            clb_simulation_season_get(&s, a, i);
            CHECK_INT(s.season, (long)i + 1);
            CHECK_INT(s.pool, (i == 0 ? 40 : prev_pool + 6));
            CHECK_INT(s.joined, i == 0 ? 0 : 6);
            CHECK_INT(s.placed + s.unplaced, s.pool);
            CHECK_INT(s.returned + s.not_returned, s.placed);
            CHECK(s.placements >= s.placed);
            CHECK(s.banned <= s.unplaced);
            for (size_t j = 0; j < s.n_by_seasons; j++)
                sum += s.by_seasons[j];
            CHECK_INT(sum, s.reached);
            CHECK_INT(s.n_by_seasons, (long)i + 1);
            CHECK(s.reached >= prev_reached && s.reached <= s.pool);
            CHECK(s.reached <= prev_reached + s.placed);
            prev_pool = s.pool;
            prev_reached = s.reached;
        }
    }
    clb_simulation_free(a);
    clb_simulation_free(b);
    clb_simulation_free(c);
    clb_buf_dispose(&ca);
    clb_buf_dispose(&cb);
    clb_buf_dispose(&cc);
}

int main(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/clb-planners-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_merge();
    test_kpis();
    test_marginals();
    test_simulate();
    {
        static const char *const files[] = {"tiny.json", "v1.json", "v2.json",
                                            "v3.json", "v4.json", "loop1.json",
                                            "loop2.json", "nobase.json"};
        char path[512];
        for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
            snprintf(path, sizeof(path), "%s/%s", tmpdir, files[i]);
            unlink(path);
        }
        rmdir(tmpdir);
    }
    return clb_test_finish();
}
