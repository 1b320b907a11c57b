/*
 * test_scenario.c - the scenario reader and validator (engine/scenario/read.c, loaded
 * through engine/rules/load.c).
 *
 * Data-driven: every tests/data/valid/<case>/scenario.json must load without a
 * diagnostic, and every tests/data/invalid/<case>/scenario.json must fail with exactly
 * the diagnostics of its expected.txt, one "PATH: MESSAGE" line each, in order
 * (syntax errors have no path and read "LINE:COLUMN: MESSAGE"). Run with
 * CLB_TEST_UPDATE=1 to (re)write the expected.txt files from the current output, then
 * review the diff before keeping it. Unit checks follow for fields, defaults,
 * error records and the lookup functions.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circulab.h"
#include "rules/eligibility.h"
#include "harness.h"
#include "scenario/scenario_impl.h"

#ifndef CLB_TEST_DATA
#error "CLB_TEST_DATA must name the tests/data directory"
#endif

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sub-directories of `dir`, sorted; returns the count (names malloc'd). */
static size_t list_cases(const char *dir, char ***out)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;

    *out = NULL;
    if (!d)
        return 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = realloc(names, cap * sizeof(*names));
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), cmp_str);
    *out = names;
    return n;
}

static void free_cases(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *text;
    long len;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)len + 1);
    if (text && fread(text, 1, (size_t)len, f) != (size_t)len) {
        free(text);
        text = NULL;
    }
    if (text)
        text[len] = '\0';
    fclose(f);
    return text;
}

/* The diagnostics as "PATH: MESSAGE\n" lines ("LINE:COLUMN: MESSAGE" for syntax). */
static char *format_diags(const clb_diags *diags)
{
    clb_buf out = CLB_BUF_INIT;
    for (size_t i = 0; i < clb_diags_count(diags); i++) {
        const clb_diag *d = clb_diags_get(diags, i);
        if (d->path[0])
            clb__buf_printf(&out, "%s: %s\n", d->path, d->message);
        else
            clb__buf_printf(&out, "%d:%d: %s\n", d->line, d->column, d->message);
    }
    return out.ptr ? out.ptr : strdup("");
}

/* ---- data-driven cases --------------------------------------------------------- */

static void check_full(const clb_scenario *s);
static void check_minimal(const clb_scenario *s);

static void run_valid_cases(void)
{
    char **cases, path[1024];
    size_t n = list_cases(CLB_TEST_DATA "/valid", &cases);

    CHECK(n >= 2);
    for (size_t i = 0; i < n; i++) {
        clb_scenario *s = NULL;
        clb_diags *diags = NULL;
        clb_error err;
        int rc;

        clb_error_init(&err);
        snprintf(path, sizeof(path), "%s/valid/%s/scenario.json", CLB_TEST_DATA,
                 cases[i]);
        CHECK_INT(clb_diags_new(&diags), 0);
        rc = clb_scenario_load_file(&s, path, diags, &err);
        if (rc != 0) {
            char *got = format_diags(diags);
            fprintf(stderr, "valid case %s failed (%d): %s\n%s", cases[i], rc,
                    err.message, got);
            free(got);
        }
        CHECK_INT(rc, 0);
        CHECK_INT(clb_diags_count(diags), 0);
        if (s && strcmp(cases[i], "full") == 0)
            check_full(s);
        if (s && strcmp(cases[i], "minimal") == 0)
            check_minimal(s);
        clb_scenario_free(s);
        clb_diags_free(diags);
    }
    free_cases(cases, n);
}

static void run_invalid_cases(void)
{
    char **cases, path[1024], exp_path[1024];
    size_t n = list_cases(CLB_TEST_DATA "/invalid", &cases);
    bool update = getenv("CLB_TEST_UPDATE") != NULL;

    CHECK(n >= 25);
    for (size_t i = 0; i < n; i++) {
        clb_scenario *s = NULL;
        clb_diags *diags = NULL;
        clb_error err;
        char *got, *expected;
        int rc;

        clb_error_init(&err);
        snprintf(path, sizeof(path), "%s/invalid/%s/scenario.json", CLB_TEST_DATA,
                 cases[i]);
        snprintf(exp_path, sizeof(exp_path), "%s/invalid/%s/expected.txt", CLB_TEST_DATA,
                 cases[i]);
        CHECK_INT(clb_diags_new(&diags), 0);
        rc = clb_scenario_load_file(&s, path, diags, &err);
        CHECK(s == NULL);
        CHECK(rc == CLB_EINVAL || rc == CLB_EPARSE);
        CHECK(clb_diags_count(diags) >= 1);
        got = format_diags(diags);
        if (update) {
            FILE *f = fopen(exp_path, "wb");
            if (f) {
                fputs(got, f);
                fclose(f);
            }
        }
        expected = read_text(exp_path);
        CHECK(expected != NULL);
        if (expected && strcmp(got, expected) != 0) {
            clb_test_failed++;
            fprintf(stderr,
                    "invalid case %s: diagnostics differ\n--- expected\n%s--- got\n%s",
                    cases[i], expected, got);
        } else {
            clb_test_passed++;
        }
        /* The error record: first diagnostic, its path, the count of the others. */
        if (clb_diags_count(diags) >= 1) {
            const clb_diag *d = clb_diags_get(diags, 0);
            size_t more = clb_diags_count(diags) - 1;
            char want[1200];
            if (more)
                snprintf(want, sizeof(want), "%s (and %zu more error%s)", d->message,
                         more, more == 1 ? "" : "s");
            else
                snprintf(want, sizeof(want), "%s", d->message);
            CHECK_INT(err.code, rc);
            CHECK_STR(err.source, path);
            if (rc == CLB_EINVAL) {
                CHECK_STR(err.message, want);
                CHECK_STR(err.path, d->path);
            } else {
                CHECK(err.line > 0 && err.column > 0);
                CHECK_INT(d->line, err.line);
                CHECK_STR(d->rule, "syntax");
            }
            CHECK_STR(d->source, path);
            CHECK(d->rule[0] != '\0');
        }
        /* Worker names are personal data: never in a message. */
        CHECK(strstr(got, "Secret") == NULL);
        free(got);
        free(expected);
        clb_diags_free(diags);
    }
    free_cases(cases, n);
}

/* ---- the valid cases in detail ------------------------------------------------- */

static int32_t sym(const clb_scenario *s, const char *str)
{
    return clb__strtab_lookup(&s->syms, str);
}

static bool idlist_is(const clb_scenario *s, const clb_idlist *l, const char *const *want,
                      size_t n)
{
    if (l->n != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!clb__sorted_contains(l->v, l->n, sym(s, want[i])))
            return false;
    for (uint32_t i = 1; i < l->n; i++)
        if (l->v[i - 1] >= l->v[i])
            return false;
    return true;
}

static clb_date date(const char *s)
{
    clb_date d = CLB_DATE_NONE;
    clb__date_parse(&d, s);
    return d;
}

static void check_full(const clb_scenario *s)
{
    const clb_policy *p = &s->policy;
    const clb_worker_rec *w;
    const clb_vacancy_rec *v;
    const clb_quota_rec *q;
    static const char *const countries[] = {"MA", "SN"};
    static const char *const skills[] = {"isco:9211", "pruning"};
    static const char *const langs[] = {"ar", "es"};

    CHECK_STR(clb_scenario_name(s), "huelva-2026");
    CHECK_INT(clb_scenario_count(s, CLB_KIND_WORKER), 3);
    CHECK_INT(clb_scenario_count(s, CLB_KIND_EMPLOYER), 2);
    CHECK_INT(clb_scenario_count(s, CLB_KIND_SITE), 3);
    CHECK_INT(clb_scenario_count(s, CLB_KIND_VACANCY), 3);
    CHECK_INT(clb_scenario_count(s, CLB_KIND_QUOTA), 3);
    CHECK_INT(clb_scenario_count(s, CLB_KIND_SESSION), 2);
    CHECK_INT(clb_scenario_count(s, CLB_KIND_PROGRAMME), 2);

    /* policy */
    CHECK_INT(p->min_age, 19);
    CHECK_INT(p->max_stay_days, 240);
    CHECK_INT(p->min_gap_days, 3);
    CHECK_INT(p->min_home_days, 10);
    CHECK_INT(p->max_placements, 2);
    CHECK(p->has_allowed_countries);
    CHECK(idlist_is(s, &p->allowed_countries, countries, 2));
    CHECK_INT(p->min_offer_size, 2);
    CHECK_INT(p->training_lead_days, 2);
    CHECK_INT(p->reintegration, CLB_REINT_REWARD);
    CHECK_INT(p->reintegration_window_days, 45);
    CHECK_INT(p->tenure_cap, 3);
    CHECK_INT(p->no_return_ban_days, 365);
    CHECK_NEAR(p->weights.fill, 900, 0);
    CHECK_NEAR(p->weights.returning, 210, 0);
    CHECK_NEAR(p->weights.tenure, 20, 0);
    CHECK_NEAR(p->weights.named, 310, 0);
    CHECK_NEAR(p->weights.same_employer, 90, 0);
    CHECK_NEAR(p->weights.preference, 40, 0);
    CHECK_NEAR(p->weights.score, 2, 0);
    CHECK_NEAR(p->weights.keep, 140, 0);
    CHECK_NEAR(p->weights.training_cost, 1.5, 0);
    CHECK_NEAR(p->weights.quota_shortfall, 1900, 0);
    CHECK_NEAR(p->weights.reintegration, 0, 0);

    /* workers */
    w = &s->workers[0];
    CHECK_STR(w->id, "W1");
    CHECK_INT(w->sym, sym(s, "W1"));
    CHECK_STR(w->name, "Fatima Z.");
    CHECK_INT(w->birth, date("1991-04-02"));
    CHECK_INT(w->sex, 'F');
    CHECK_INT(w->country, sym(s, "MA"));
    CHECK_INT(w->region, sym(s, "MA-05"));
    CHECK(idlist_is(s, &w->languages, langs, 2));
    CHECK(idlist_is(s, &w->skills, skills, 2));
    CHECK_INT(w->trainings.n, 1);
    CHECK_INT(w->avail_from, date("2026-01-15"));
    CHECK_INT(w->avail_to, date("2026-09-30"));
    CHECK_INT(w->n_prefs, 3);
    if (w->n_prefs == 3) {
        CHECK_INT(w->prefs[0].kind, CLB_MATCH_EMPLOYER);
        CHECK_INT(w->prefs[0].sym, sym(s, "E017"));
        CHECK_INT(w->prefs[1].kind, CLB_MATCH_SECTOR);
        CHECK_INT(w->prefs[1].sym, sym(s, "berries"));
        CHECK_INT(w->prefs[2].kind, CLB_MATCH_REGION);
        CHECK_INT(w->prefs[2].sym, sym(s, "ES615"));
    }
    CHECK_INT(w->n_excludes, 1);
    if (w->n_excludes == 1) {
        CHECK_INT(w->excludes[0].kind, CLB_MATCH_SECTOR);
        CHECK_INT(w->excludes[0].sym, sym(s, "livestock"));
    }
    CHECK_INT(w->campaigns, 3);
    CHECK(w->returned);
    CHECK_INT(w->last_employer, sym(s, "E017"));
    CHECK_INT(w->last_return, date("2025-06-20"));
    CHECK_INT(w->days_abroad, 5);
    CHECK_INT(w->banned_until, CLB_DATE_NONE);
    CHECK(clb_worker_is_returning(w));

    w = &s->workers[1]; /* defaults */
    CHECK(w->name == NULL);
    CHECK_INT(w->sex, 'M');
    CHECK_INT(w->region, -1);
    CHECK_INT(w->languages.n + w->skills.n + w->trainings.n, 0);
    CHECK_INT(w->n_prefs + w->n_excludes, 0);
    CHECK_INT(w->campaigns, 0);
    CHECK(!w->returned);
    CHECK_INT(w->last_employer, -1);
    CHECK_INT(w->last_return, CLB_DATE_NONE);
    CHECK_INT(w->banned_until, date("2025-01-01"));
    CHECK_INT(s->workers[2].sex, 'X');

    /* employers and sites */
    CHECK_STR(s->employers[0].name, "Cooperativa Fresas");
    CHECK_INT(s->employers[0].region, sym(s, "ES615"));
    CHECK_INT(s->employers[0].association, sym(s, "freshuelva"));
    CHECK_INT(s->employers[0].site_first, 0);
    CHECK_INT(s->employers[0].site_count, 2);
    CHECK_STR(s->sites[0].id, "E017-S1");
    CHECK_INT(s->sites[0].beds, 120);
    CHECK(!s->sites[0].implicit);
    CHECK_STR(s->sites[1].id, "E017-S2");
    CHECK_INT(s->sites[1].beds, 0);
    CHECK_INT(s->sites[1].region, sym(s, "ES615")); /* the employer's region */
    CHECK(s->employers[1].name == NULL);
    CHECK_INT(s->employers[1].association, -1);
    CHECK_INT(s->employers[1].site_first, 2);
    CHECK_INT(s->employers[1].site_count, 1);
    CHECK_STR(s->sites[2].id, "E020");
    CHECK(s->sites[2].implicit);
    CHECK_INT(s->sites[2].beds, -1);
    CHECK_INT(s->sites[2].employer, 1);
    CHECK_INT(s->sites[2].region, sym(s, "ES614"));

    /* vacancies */
    v = &s->vacancies[0];
    CHECK_STR(v->id, "V0451");
    CHECK_INT(v->employer, 0);
    CHECK_INT(v->site, 0);
    CHECK_INT(v->sector, sym(s, "berries"));
    CHECK_INT(v->occupation, sym(s, "isco:9211"));
    CHECK_INT(v->start, date("2026-02-01"));
    CHECK_INT(v->end, date("2026-06-15"));
    CHECK_INT(v->headcount, 40);
    CHECK_NEAR(v->wage_month_eur, 1381.5, 0);
    CHECK_INT(v->req_skills.n, 1);
    CHECK_INT(v->req_trainings.n, 1);
    CHECK_INT(v->req_languages.n, 1);
    CHECK_INT(v->min_campaigns, 1);
    CHECK_INT(v->n_named, 1);
    if (v->n_named == 1)
        CHECK_INT(v->named[0], 0);
    CHECK_INT(v->n_named_ids, 3);
    if (v->n_named_ids == 3)
        CHECK_STR(v->named_ids[1], "W-elsewhere");
    CHECK(v->hold_named);
    CHECK(!v->withdrawn);
    v = &s->vacancies[1];
    CHECK_INT(v->site, 2); /* the implicit site */
    CHECK_INT(v->headcount, 2);
    CHECK(isnan(v->wage_month_eur));
    CHECK_INT(v->sector, -1);
    CHECK_INT(v->min_campaigns, 0);
    CHECK(!v->hold_named);
    CHECK_INT(s->vacancies[2].site, 2);
    CHECK_INT(clb_vacancy_region(s, &s->vacancies[0]), sym(s, "ES615"));

    /* quotas (the scenario lists them by id, scenario/canon.c: Q-ALL, Q-MA05, Q-SN) */
    q = &s->quotas[1];
    CHECK_STR(q->id, "Q-MA05");
    CHECK_INT(q->max, 3000);
    CHECK_INT(q->min, 10);
    CHECK(q->has_min);
    CHECK_INT(q->unit, CLB_UNIT_WORKERS);
    CHECK(q->origin_country.present && q->origin_country.syms.n == 1);
    CHECK(q->origin_region.present && q->dest_region.present && q->sector.present);
    CHECK(q->employer.present && q->employer.syms.n == 2);
    CHECK(q->association.present && q->occupation.present);
    CHECK(q->sex.present && q->sex.syms.n == 2);
    CHECK_INT(q->returning, 1);
    CHECK_INT(q->start_from, date("2026-01-01"));
    CHECK_INT(q->start_to, date("2026-03-31"));
    q = &s->quotas[0];
    CHECK_STR(q->id, "Q-ALL");
    CHECK_INT(q->max, 100);
    CHECK(!q->has_min);
    CHECK_INT(q->min, 0);
    CHECK_INT(q->unit, CLB_UNIT_PLACEMENTS);
    CHECK(!q->origin_country.present && !q->sex.present);
    CHECK_INT(q->returning, -1);
    CHECK_INT(q->start_from, CLB_DATE_NONE);
    q = &s->quotas[2];
    CHECK_INT(q->max, -1);
    CHECK(q->has_min && q->min == 1);
    CHECK_INT(q->returning, 0);

    /* sessions and programmes, by id too */
    CHECK_STR(s->sessions[1].id, "T-FEZ-03");
    CHECK_INT(s->sessions[1].course, sym(s, "phyto-basic"));
    CHECK_INT(s->sessions[1].country, sym(s, "MA"));
    CHECK_INT(s->sessions[1].region, sym(s, "MA-05"));
    CHECK_INT(s->sessions[1].start, date("2026-01-10"));
    CHECK_INT(s->sessions[1].end, date("2026-01-12"));
    CHECK_INT(s->sessions[1].capacity, 40);
    CHECK_NEAR(s->sessions[1].cost, 35.0, 0);
    CHECK_INT(s->sessions[0].region, -1);
    CHECK_INT(s->sessions[0].capacity, 0);
    CHECK_NEAR(s->sessions[0].cost, 0.0, 0);
    CHECK_STR(s->programmes[1].id, "R-WAFIRA-2");
    CHECK_INT(s->programmes[1].capacity, 200);
    CHECK_INT(s->programmes[0].region, -1);

    /* scores sorted by (worker, vacancy) */
    CHECK_INT(s->n_scores, 3);
    if (s->n_scores == 3) {
        CHECK_INT(s->scores[0].worker, 0);
        CHECK_INT(s->scores[0].vacancy, 0);
        CHECK_NEAR(s->scores[0].value, 1e6, 0);
        CHECK_INT(s->scores[1].worker, 0);
        CHECK_INT(s->scores[1].vacancy, 1);
        CHECK_INT(s->scores[2].worker, 2);
        CHECK_NEAR(s->scores[2].value, -2.5, 0);
    }
    CHECK_NEAR(clb__score_value(s, 0, 1), 0.25, 0);

    /* pins, bans, previous */
    CHECK_INT(s->n_pins, 1);
    CHECK_INT(s->pins[0].worker, 0);
    CHECK_INT(s->pins[0].vacancy, 0);
    CHECK_INT(s->n_bans, 2);
    CHECK_INT(s->bans[0].worker, 1);
    CHECK_INT(s->bans[0].vacancy, 0);
    CHECK_INT(s->bans[0].employer, -1);
    CHECK_INT(s->bans[1].worker, 2);
    CHECK_INT(s->bans[1].vacancy, -1);
    CHECK_INT(s->bans[1].employer, 0);
    CHECK_INT(s->n_previous, 2);
    CHECK_INT(s->previous[0].status, CLB_PREV_CONFIRMED);
    CHECK_INT(s->previous[1].status, CLB_PREV_PROPOSED);
    CHECK_INT(s->previous[1].worker, 1);
    CHECK_INT(s->previous[1].vacancy, 1);

    /* lookups */
    CHECK_INT(clb__scenario_worker_index(s, "W3"), 2);
    CHECK_INT(clb__scenario_worker_index(s, "E017"), -1);
    CHECK_INT(clb__scenario_worker_index(s, "nobody"), -1);
    CHECK_INT(clb__scenario_vacancy_index(s, "V0453"), 2);
    CHECK_INT(clb__scenario_employer_index(s, "E020"), 1);
    CHECK_INT(clb__intmap_get(&s->site_by_sym, sym(s, "E017-S2")), 1);
    CHECK_INT(clb__intmap_get(&s->quota_by_sym, sym(s, "Q-SN")), 2);
    CHECK_INT(clb__intmap_get(&s->session_by_sym, sym(s, "T-DKR-01")), 0);
    CHECK_INT(clb__intmap_get(&s->programme_by_sym, sym(s, "R-SN-1")), 0);
}

static void check_minimal(const clb_scenario *s)
{
    clb_policy def;
    const clb_policy *p = &s->policy;

    clb__policy_defaults(&def);
    CHECK_STR(clb_scenario_name(s), "");
    CHECK_INT(p->min_age, 18);
    CHECK_INT(p->max_stay_days, 270);
    CHECK_INT(p->min_gap_days, 0);
    CHECK_INT(p->min_home_days, 0);
    CHECK_INT(p->max_placements, 0);
    CHECK(!p->has_allowed_countries);
    CHECK_INT(p->min_offer_size, 1);
    CHECK_INT(p->training_lead_days, 0);
    CHECK_INT(p->reintegration, CLB_REINT_NONE);
    CHECK_INT(p->reintegration_window_days, 60);
    CHECK_INT(p->tenure_cap, 4);
    CHECK_INT(p->no_return_ban_days, 730);
    CHECK_NEAR(p->weights.fill, 1000, 0);
    CHECK_NEAR(p->weights.returning, 200, 0);
    CHECK_NEAR(p->weights.tenure, 25, 0);
    CHECK_NEAR(p->weights.named, 300, 0);
    CHECK_NEAR(p->weights.same_employer, 100, 0);
    CHECK_NEAR(p->weights.preference, 50, 0);
    CHECK_NEAR(p->weights.score, 1, 0);
    CHECK_NEAR(p->weights.keep, 150, 0);
    CHECK_NEAR(p->weights.training_cost, 1, 0);
    CHECK_NEAR(p->weights.quota_shortfall, 2000, 0);
    CHECK_NEAR(p->weights.reintegration, 20, 0);
    CHECK(memcmp(&def.weights, &p->weights, sizeof(def.weights)) == 0);
    CHECK_INT(s->n_sites, 1);
    CHECK(s->sites[0].implicit);
    CHECK_STR(s->sites[0].id, "E1");
    CHECK_INT(s->vacancies[0].site, 0);
    CHECK_INT(s->n_quotas + s->n_sessions + s->n_programmes, 0);
    CHECK_INT(s->n_scores + s->n_pins + s->n_bans + s->n_previous, 0);
}

/* ---- API behaviour ------------------------------------------------------------- */

#define MINIMAL_HEAD                                                                     \
    "{\"format\": \"circulab-scenario/1\",\n"                                            \
    " \"workers\": [{\"id\": \"W1\", \"birth_date\": \"2010-01-01\", \"country\": "      \
    "\"MA\", \"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"}}],\n"     \
    " \"employers\": [{\"id\": \"E1\", \"region\": \"R\"}],\n"                           \
    " \"vacancies\": [{\"id\": \"V1\", \"employer\": \"E1\", \"start\": "                \
    "\"2026-02-01\", \"end\": \"2026-03-01\", \"headcount\": 1}]"

static void test_errors(void)
{
    clb_scenario *s = NULL;
    clb_diags *diags = NULL;
    clb_error err;
    const char *bad = MINIMAL_HEAD ", \"quotas\": [{\"id\": \"Q\"}, {\"id\": \"Q\", "
                                   "\"max\": 1}]}";
    const char *one = MINIMAL_HEAD ", \"name\": 7}";
    const char *syntax =
        "{\n  \"format\": \"circulab-scenario/1\",\n  \"workers\": [,]\n}";
    int rc;

    /* A missing file is an i/o error, not a parse error. */
    clb_error_init(&err);
    rc = clb_scenario_load_file(&s, CLB_TEST_DATA "/no/such/file.json", NULL, &err);
    CHECK_INT(rc, CLB_EIO);
    CHECK_INT(err.code, CLB_EIO);
    CHECK(s == NULL);
    CHECK_STR(err.source, CLB_TEST_DATA "/no/such/file.json");
    CHECK(strstr(err.message, "cannot open") != NULL);

    /* A directory cannot be read either. */
    clb_error_init(&err);
    rc = clb_scenario_load_file(&s, CLB_TEST_DATA, NULL, &err);
    CHECK_INT(rc, CLB_EIO);

    /* Syntax errors carry line and column; diags may be NULL. */
    clb_error_init(&err);
    rc = clb_scenario_load_buffer(&s, syntax, strlen(syntax), "mem.json", NULL, &err);
    CHECK_INT(rc, CLB_EPARSE);
    CHECK_INT(err.line, 3);
    CHECK(err.column > 0);
    CHECK_STR(err.source, "mem.json");
    CHECK(strncmp(err.message, "invalid json at line 3, column", 30) == 0);

    /* Empty input. */
    clb_error_init(&err);
    CHECK_INT(clb_scenario_load_buffer(&s, "", 0, NULL, NULL, &err), CLB_EPARSE);
    clb_error_init(&err);
    CHECK_INT(clb_scenario_load_buffer(&s, NULL, 0, NULL, NULL, NULL), CLB_EPARSE);

    /* Two errors: the first, and "(and 1 more error)". */
    clb_error_init(&err);
    rc = clb_scenario_load_buffer(&s, bad, strlen(bad), "q.json", NULL, &err);
    CHECK_INT(rc, CLB_EINVAL);
    CHECK_STR(err.message, "quota 'Q': a quota needs max or min (and 1 more error)");
    CHECK_STR(err.path, "$.quotas[0]");
    CHECK_STR(err.source, "q.json");

    /* One error: no count. Diagnostics are appended after existing ones. */
    CHECK_INT(clb_diags_new(&diags), 0);
    clb_error_init(&err);
    rc = clb_scenario_load_buffer(&s, one, strlen(one), NULL, diags, &err);
    CHECK_INT(rc, CLB_EINVAL);
    CHECK_STR(err.message, "name must be a string, got number");
    CHECK_INT(clb_diags_count(diags), 1);
    clb_error_init(&err);
    rc = clb_scenario_load_buffer(&s, bad, strlen(bad), NULL, diags, &err);
    CHECK_INT(rc, CLB_EINVAL);
    CHECK_INT(clb_diags_count(diags), 3);
    CHECK_STR(err.message, "quota 'Q': a quota needs max or min (and 1 more error)");
    CHECK_STR(clb_diags_get(diags, 1)->rule, "required");
    CHECK_STR(clb_diags_get(diags, 2)->rule, "duplicate");
    CHECK_STR(clb_diags_get(diags, 2)->message,
              "quota 'Q': duplicate id (first at $.quotas[0])");
    CHECK(clb_diags_get(diags, 3) == NULL);
    clb_diags_free(diags);

    /* The innermost message wins: a filled error record is left alone. */
    clb_error_init(&err);
    snprintf(err.message, sizeof(err.message), "earlier");
    rc = clb_scenario_load_buffer(&s, bad, strlen(bad), NULL, NULL, &err);
    CHECK_INT(rc, CLB_EINVAL);
    CHECK_STR(err.message, "earlier");
    CHECK_INT(err.code, CLB_EINVAL);

    /* err may be NULL. */
    CHECK_INT(clb_scenario_load_buffer(&s, bad, strlen(bad), NULL, NULL, NULL),
              CLB_EINVAL);
    clb_scenario_free(NULL);
}

static void test_check_pair(void)
{
    const char *doc = MINIMAL_HEAD ", \"bans\": [{\"worker\": \"W1\", \"employer\": "
                                   "\"E1\"}]}";
    clb_scenario *s = NULL;
    clb_error err;
    unsigned mask = 99;

    clb_error_init(&err);
    CHECK_INT(clb_scenario_load_buffer(&s, doc, strlen(doc), NULL, NULL, &err), 0);
    if (!s)
        return;
    CHECK_INT(clb_scenario_check_pair(&mask, s, "W1", "V1", &err), 0);
    CHECK_INT(mask, CLB_RULE_AGE | CLB_RULE_BAN); /* 16 on 2026-02-01, banned by E1 */
    CHECK_INT(clb_scenario_check_pair(&mask, s, "W9", "V1", &err), CLB_ENOTFOUND);
    CHECK_INT(mask, 0);
    CHECK_STR(err.message, "unknown worker 'W9'");
    clb_error_init(&err);
    CHECK_INT(clb_scenario_check_pair(&mask, s, "W1", "V9", &err), CLB_ENOTFOUND);
    CHECK_STR(err.message, "unknown vacancy 'V9'");
    CHECK_INT(clb_scenario_check_pair(&mask, s, "W1", "V1", NULL), 0);
    clb_scenario_free(s);
}

/* Many workers load in one linear pass (a smoke test of the performance design). */
static void test_many_workers(void)
{
    clb_buf doc = CLB_BUF_INIT;
    clb_scenario *s = NULL;
    clb_error err;
    const size_t n = 20000;
    double t0;

    clb__buf_puts(&doc, "{\"format\": \"circulab-scenario/1\", \"workers\": [");
    for (size_t i = 0; i < n; i++)
        clb__buf_printf(
            &doc,
            "%s{\"id\": \"W%zu\", \"birth_date\": \"1990-01-01\", \"country\": "
            "\"MA\", \"region\": \"MA-%02zu\", \"skills\": [\"s%zu\", \"s1\"], "
            "\"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"}}",
            i ? "," : "", i, i % 50, i % 7);
    clb__buf_puts(&doc, "], \"employers\": [{\"id\": \"E1\", \"region\": \"R\"}], "
                       "\"vacancies\": [], \"scores\": [");
    for (size_t i = 0; i < n; i++)
        clb__buf_printf(&doc, "%s{\"worker\": \"W%zu\", \"vacancy\": \"V\", \"value\": 1}",
                       i ? "," : "", n - 1 - i);
    clb__buf_puts(&doc, "]}");
    /* the scores name an unknown vacancy: n errors, reported quickly */
    clb_error_init(&err);
    t0 = clb__now_seconds();
    CHECK_INT(clb_scenario_load_buffer(&s, doc.ptr, doc.size, NULL, NULL, &err),
              CLB_EINVAL);
    CHECK(strstr(err.message, "(and 19999 more errors)") != NULL);
    CHECK(clb__now_seconds() - t0 < 20.0);
    clb_buf_dispose(&doc);
}

int main(void)
{
    run_valid_cases();
    run_invalid_cases();
    test_errors();
    test_check_pair();
    test_many_workers();
    return clb_test_finish();
}
