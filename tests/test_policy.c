/*
 * test_policy.c - the policy of a scenario (engine/scenario/policy.c): the defaults of
 * docs/FORMATS.md §2.1 by name, the is-default test an import relies on, every key of
 * a `policy` object landing in its own field, and a variant's relative change of a
 * weight the base leaves at its default.
 *
 * policy.c holds one table of the numeric keys and where each lives in the policy;
 * these checks name every key and its documented value, so that a key mapped to the
 * wrong field, or left out of the table, fails here.
 */
#include <stdio.h>
#include <string.h>

#include "circulab.h"
#include "harness.h"
#include "scenario/policy.h"
#include "scenario/scenario_impl.h"

typedef struct named {
    const char *key;
    double value;
} named;

/* docs/FORMATS.md §2.1 and MODEL.md §3.7: the defaults, by name. */
static const named POLICY_DEFAULTS[] = {
    {"min_age", 18},           {"max_stay_days", 270},
    {"min_gap_days", 0},       {"min_home_days", 0},
    {"max_placements", 0},     {"min_offer_size", 1},
    {"training_lead_days", 0}, {"reintegration_window_days", 60},
    {"tenure_cap", 4},         {"no_return_ban_days", 730}};
static const named WEIGHT_DEFAULTS[] = {{"fill", 1000},         {"returning", 200},
                                        {"tenure", 25},         {"named", 300},
                                        {"same_employer", 100}, {"preference", 50},
                                        {"score", 1},           {"keep", 150},
                                        {"training_cost", 1},   {"quota_shortfall", 2000},
                                        {"reintegration", 20}};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void test_defaults_by_name(void)
{
    double x;

    for (size_t i = 0; i < COUNT(POLICY_DEFAULTS); i++) {
        x = -1;
        CHECK(clb__policy_default_number(&x, "policy", POLICY_DEFAULTS[i].key));
        CHECK(x == POLICY_DEFAULTS[i].value);
    }
    for (size_t i = 0; i < COUNT(WEIGHT_DEFAULTS); i++) {
        x = -1;
        CHECK(clb__policy_default_number(&x, "weights", WEIGHT_DEFAULTS[i].key));
        CHECK(x == WEIGHT_DEFAULTS[i].value);
    }
    /* Not numbers, another scope, no scope. */
    CHECK(!clb__policy_default_number(&x, "policy", "allowed_countries"));
    CHECK(!clb__policy_default_number(&x, "policy", "reintegration"));
    CHECK(!clb__policy_default_number(&x, "policy", "fill"));
    CHECK(!clb__policy_default_number(&x, "weights", "min_age"));
    CHECK(!clb__policy_default_number(&x, NULL, "min_age"));
}

/* A document whose policy sets every numeric key to a value of its own. */
static clb_scenario *load_with_policy(const char *policy)
{
    char doc[2048];
    clb_scenario *s = NULL;
    clb_error err;

    snprintf(doc, sizeof(doc),
             "{\"format\": \"circulab-scenario/1\", \"policy\": %s,\n"
             " \"workers\": [{\"id\": \"W1\", \"birth_date\": \"1990-01-01\", "
             "\"country\": \"MA\", \"available\": {\"from\": \"2026-01-01\", "
             "\"to\": \"2026-12-31\"}}],\n"
             " \"employers\": [{\"id\": \"E1\", \"region\": \"ES615\"}],\n"
             " \"vacancies\": [{\"id\": \"V1\", \"employer\": \"E1\", \"start\": "
             "\"2026-02-01\", \"end\": \"2026-03-01\", \"headcount\": 1}]}",
             policy);
    clb_error_init(&err);
    CHECK_INT(clb_scenario_load_buffer(&s, doc, strlen(doc), "policy.json", NULL, &err),
              0);
    if (err.message[0])
        fprintf(stderr, "%s\n", err.message);
    return s;
}

static void test_read_every_key(void)
{
    clb_scenario *s = load_with_policy(
        "{\"min_age\": 21, \"max_stay_days\": 200, \"min_gap_days\": 3, "
        "\"min_home_days\": 4, \"max_placements\": 5, \"min_offer_size\": 1, "
        "\"training_lead_days\": 7, \"reintegration_window_days\": 8, \"tenure_cap\": 9, "
        "\"no_return_ban_days\": 10, \"reintegration\": \"reward\", "
        "\"allowed_countries\": [\"MA\"], \"weights\": {\"fill\": 11, \"returning\": 12, "
        "\"tenure\": 13, \"named\": 14, \"same_employer\": 15, \"preference\": 16, "
        "\"score\": 17, \"keep\": 18, \"training_cost\": 19, \"quota_shortfall\": 20, "
        "\"reintegration\": 21}}");
    const clb_policy *p;
    const clb_weights *w;

    if (!s)
        return;
    p = &s->policy;
    w = &p->weights;
    CHECK_INT(p->min_age, 21);
    CHECK_INT(p->max_stay_days, 200);
    CHECK_INT(p->min_gap_days, 3);
    CHECK_INT(p->min_home_days, 4);
    CHECK_INT(p->max_placements, 5);
    CHECK_INT(p->min_offer_size, 1);
    CHECK_INT(p->training_lead_days, 7);
    CHECK_INT(p->reintegration_window_days, 8);
    CHECK_INT(p->tenure_cap, 9);
    CHECK_INT(p->no_return_ban_days, 10);
    CHECK_INT(p->reintegration, CLB_REINT_REWARD);
    CHECK(p->has_allowed_countries && p->allowed_countries.n == 1);
    CHECK(w->fill == 11 && w->returning == 12 && w->tenure == 13 && w->named == 14);
    CHECK(w->same_employer == 15 && w->preference == 16 && w->score == 17);
    CHECK(w->keep == 18 && w->training_cost == 19 && w->quota_shortfall == 20);
    CHECK(w->reintegration == 21);
    CHECK(!clb__policy_is_default(p));
    clb_scenario_free(s);

    /* An empty policy object is the default policy. */
    s = load_with_policy("{}");
    if (s)
        CHECK(clb__policy_is_default(&s->policy));
    clb_scenario_free(s);
}

static void test_is_default(void)
{
    clb_policy d, p;
    int *ints[] = {&p.min_age,
                   &p.max_stay_days,
                   &p.min_gap_days,
                   &p.min_home_days,
                   &p.max_placements,
                   &p.min_offer_size,
                   &p.training_lead_days,
                   &p.reintegration_window_days,
                   &p.tenure_cap,
                   &p.no_return_ban_days};
    double *weights[] = {&p.weights.fill,          &p.weights.returning,
                         &p.weights.tenure,        &p.weights.named,
                         &p.weights.same_employer, &p.weights.preference,
                         &p.weights.score,         &p.weights.keep,
                         &p.weights.training_cost, &p.weights.quota_shortfall,
                         &p.weights.reintegration};

    clb__policy_defaults(&d);
    p = d;
    CHECK(clb__policy_is_default(&p));
    /* Each field alone makes a policy other than the default. */
    for (size_t i = 0; i < COUNT(ints); i++) {
        p = d;
        *ints[i] += 1;
        CHECK(!clb__policy_is_default(&p));
    }
    for (size_t i = 0; i < COUNT(weights); i++) {
        p = d;
        *weights[i] += 0.5;
        CHECK(!clb__policy_is_default(&p));
    }
    p = d;
    p.reintegration = CLB_REINT_REQUIRED;
    CHECK(!clb__policy_is_default(&p));
    p = d;
    p.has_allowed_countries = true;
    CHECK(!clb__policy_is_default(&p));
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* A relative change of a weight the base leaves at its default (1000 + 10 %). */
static void test_variant_weight_default(void)
{
    clb_scenario *s = NULL;
    clb_error err;
    char base[1024];
    FILE *f;
    size_t n;

    f = fopen(CLB_TEST_DATA "/valid/minimal/scenario.json", "r");
    CHECK(f != NULL);
    if (!f)
        return;
    n = fread(base, 1, sizeof(base) - 1, f);
    fclose(f);
    base[n] = '\0';
    write_file("policy-base.json", base);
    write_file("policy-variant.json",
               "{\"extends\": \"policy-base.json\", \"changes\": {\"policy\": "
               "{\"weights\": {\"fill\": \"+10%\", \"keep\": \"-50\"}, "
               "\"tenure_cap\": \"+2\"}}}");
    clb_error_init(&err);
    CHECK_INT(clb_scenario_load_file(&s, "policy-variant.json", NULL, &err), 0);
    if (s) {
        CHECK(s->policy.weights.fill == 1100);
        CHECK(s->policy.weights.keep == 100);
        CHECK_INT(s->policy.tenure_cap, 6);
        CHECK(s->policy.weights.returning == 200); /* untouched */
    }
    clb_scenario_free(s);
    remove("policy-base.json");
    remove("policy-variant.json");
}

int main(void)
{
    test_defaults_by_name();
    test_read_every_key();
    test_is_default();
    test_variant_weight_default();
    return clb_test_finish();
}
