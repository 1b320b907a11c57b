/*
 * test_eligibility.c - each eligibility rule of docs/MODEL.md §3.1 fails for exactly
 * the worker built to fail it, derived values of section 3.2, and dates.
 */
#include "harness.h"
#include "rules/eligibility.h"
#include "circulab.h"

#include <stdlib.h>
#include <string.h>

static const char *doc =
    "{\"format\": \"circulab-scenario/1\", \"name\": \"elig\","
    " \"policy\": {\"min_age\": 18, \"max_stay_days\": 100, \"min_home_days\": 30,"
    "   \"allowed_countries\": [\"MA\", \"SN\"], \"training_lead_days\": 5},"
    " \"workers\": ["
    "  {\"id\": \"OK\", \"birth_date\": \"1990-01-01\", \"country\": \"MA\", \"region\": \"MA-05\","
    "   \"skills\": [\"isco:9211\"], \"languages\": [\"es\"],"
    "   \"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"},"
    "   \"preferences\": [\"sector:citrus\", \"E1\", \"region:ES615\"]},"
    "  {\"id\": \"YOUNG\", \"birth_date\": \"2008-03-02\", \"country\": \"MA\", \"region\": \"MA-05\","
    "   \"skills\": [\"isco:9211\"], \"languages\": [\"es\"],"
    "   \"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"}},"
    "  {\"id\": \"BIRTHDAY\", \"birth_date\": \"2008-03-01\", \"country\": \"MA\", \"region\": \"MA-05\","
    "   \"skills\": [\"isco:9211\"], \"languages\": [\"es\"],"
    "   \"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"}},"
    "  {\"id\": \"FOREIGN\", \"birth_date\": \"1990-01-01\", \"country\": \"TN\","
    "   \"skills\": [\"isco:9211\"], \"languages\": [\"es\"],"
    "   \"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"}},"
    "  {\"id\": \"LATE\", \"birth_date\": \"1990-01-01\", \"country\": \"MA\", \"region\": \"MA-05\","
    "   \"skills\": [\"isco:9211\"], \"languages\": [\"es\"],"
    "   \"available\": {\"from\": \"2026-03-02\", \"to\": \"2026-12-31\"}},"
    "  {\"id\": \"UNSKILLED\", \"birth_date\": \"1990-01-01\", \"country\": \"MA\", \"region\": \"MA-05\","
    "   \"languages\": [\"es\"], \"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"}},"
    "  {\"id\": \"NEW\", \"birth_date\": \"1990-01-01\", \"country\": \"MA\", \"region\": \"MA-05\","
    "   \"skills\": [\"isco:9211\"], \"languages\": [\"es\"],"
    "   \"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"}},"
    "  {\"id\": \"FARAWAY\", \"birth_date\": \"1990-01-01\", \"country\": \"SN\","
    "   \"skills\": [\"isco:9211\"], \"languages\": [\"es\"],"
    "   \"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"}},"
    "  {\"id\": \"HOME\", \"birth_date\": \"1990-01-01\", \"country\": \"MA\", \"region\": \"MA-05\","
    "   \"skills\": [\"isco:9211\"], \"languages\": [\"es\"],"
    "   \"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"},"
    "   \"history\": {\"campaigns\": 2, \"returned\": true, \"last_return\": \"2026-02-01\"}},"
    "  {\"id\": \"TIRED\", \"birth_date\": \"1990-01-01\", \"country\": \"MA\", \"region\": \"MA-05\","
    "   \"skills\": [\"isco:9211\"], \"languages\": [\"es\"],"
    "   \"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"},"
    "   \"history\": {\"days_abroad\": 70}},"
    "  {\"id\": \"BANNED\", \"birth_date\": \"1990-01-01\", \"country\": \"MA\", \"region\": \"MA-05\","
    "   \"skills\": [\"isco:9211\"], \"languages\": [\"es\"],"
    "   \"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"},"
    "   \"history\": {\"banned_until\": \"2026-03-01\"}},"
    "  {\"id\": \"BANNEDJOB\", \"birth_date\": \"1990-01-01\", \"country\": \"MA\", \"region\": \"MA-05\","
    "   \"skills\": [\"isco:9211\"], \"languages\": [\"es\"],"
    "   \"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"}},"
    "  {\"id\": \"PICKY\", \"birth_date\": \"1990-01-01\", \"country\": \"MA\", \"region\": \"MA-05\","
    "   \"skills\": [\"isco:9211\"], \"languages\": [\"es\"],"
    "   \"available\": {\"from\": \"2026-01-01\", \"to\": \"2026-12-31\"},"
    "   \"excludes\": [\"sector:berries\"]}"
    " ],"
    " \"employers\": [{\"id\": \"E1\", \"region\": \"ES615\"}],"
    " \"vacancies\": [{\"id\": \"V1\", \"employer\": \"E1\", \"sector\": \"berries\","
    "   \"start\": \"2026-03-01\", \"end\": \"2026-04-09\", \"headcount\": 5,"
    "   \"requires\": {\"skills\": [\"isco:9211\"], \"languages\": [\"es\"],"
    "                \"trainings\": [\"phyto\"], \"min_campaigns\": 0}}],"
    " \"sessions\": [{\"id\": \"T1\", \"course\": \"phyto\", \"country\": \"MA\","
    "   \"region\": \"MA-05\", \"start\": \"2026-02-20\", \"end\": \"2026-02-23\","
    "   \"capacity\": 10}],"
    " \"bans\": [{\"worker\": \"BANNEDJOB\", \"employer\": \"E1\"}]"
    "}";

static unsigned mask_of(const clb_scenario *s, const char *w)
{
    unsigned mask = 0;
    clb_error err;
    clb_error_init(&err);
    CHECK_INT(clb_scenario_check_pair(&mask, s, w, "V1", &err), 0);
    return mask;
}

static void test_rules(void)
{
    clb_scenario *s = NULL;
    clb_error err;
    clb_error_init(&err);
    int rc = clb_scenario_load_buffer(&s, doc, strlen(doc), "elig", NULL, &err);
    CHECK_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "load: %s\n", err.message);
        return;
    }
    CHECK_INT(mask_of(s, "OK"), 0);
    CHECK_INT(mask_of(s, "YOUNG"), CLB_RULE_AGE);
    CHECK_INT(mask_of(s, "BIRTHDAY"), 0); /* 18 on the start date itself */
    CHECK_INT(mask_of(s, "FOREIGN"), CLB_RULE_COUNTRY | CLB_RULE_TRAINING);
    CHECK_INT(mask_of(s, "LATE"), CLB_RULE_AVAILABILITY);
    CHECK_INT(mask_of(s, "UNSKILLED"), CLB_RULE_SKILLS);
    CHECK_INT(mask_of(s, "FARAWAY"), CLB_RULE_TRAINING); /* no session in SN */
    CHECK_INT(mask_of(s, "HOME"), CLB_RULE_HOME_TIME);   /* 2026-02-01 + 30 > 03-01 */
    CHECK_INT(mask_of(s, "TIRED"), CLB_RULE_STAY);       /* 40 + 70 > 100 */
    CHECK_INT(mask_of(s, "BANNED"), CLB_RULE_BANNED);    /* not earlier than start */
    CHECK_INT(mask_of(s, "BANNEDJOB"), CLB_RULE_BAN);
    CHECK_INT(mask_of(s, "PICKY"), CLB_RULE_EXCLUDED);
    CHECK_STR(clb_rule_name(CLB_RULE_HOME_TIME), "home_time");
    CHECK_STR(clb_rule_name(CLB_RULE_EXCLUDED), "excluded");
    CHECK(clb_rule_name(3) == NULL);

    /* pref: "E1" is the second of three entries: (3 - 1) / 3 */
    int32_t w = clb__scenario_worker_index(s, "OK");
    CHECK(w >= 0);
    if (w >= 0)
        CHECK_NEAR(clb__pref_value(s, &s->workers[w], &s->vacancies[0]), 2.0 / 3.0, 1e-12);

    /* pairs: every worker except the failing ones */
    clb_pairs pairs;
    CHECK_INT(clb__pairs_build(&pairs, s, &err), 0);
    CHECK_INT(pairs.n, 3); /* OK, BIRTHDAY, NEW */
    clb__pairs_dispose(&pairs);
    clb_scenario_free(s);
}

static void test_dates(void)
{
    clb_date d;
    char buf[11];
    CHECK(clb__date_parse(&d, "2024-02-29"));
    CHECK(!clb__date_parse(&d, "2026-02-29"));
    CHECK(!clb__date_parse(&d, "2026-13-01"));
    CHECK(!clb__date_parse(&d, "2026-1-01"));
    CHECK(clb__date_parse(&d, "1970-01-01"));
    CHECK_INT(d, 0);
    CHECK(clb__date_parse(&d, "2026-03-01"));
    clb__date_format(buf, d + 1);
    CHECK_STR(buf, "2026-03-02");
    clb_date b;
    clb__date_parse(&b, "2008-03-02");
    CHECK_INT(clb__date_age(b, d), 17);
    clb__date_parse(&b, "2008-03-01");
    CHECK_INT(clb__date_age(b, d), 18);
}

int main(void)
{
    test_dates();
    test_rules();
    return clb_test_finish();
}
