/*
 * policy.c - the policy of a scenario: its defaults (docs/FORMATS.md §2.1) and the
 * reading of the `policy` object.
 *
 * The numeric keys are listed once, with where each lives in clb_policy: the reader
 * walks that table, and so do clb__policy_is_default (an import leaves a default
 * policy out) and clb__policy_default_number, which tells a variant's relative change
 * ("max_stay_days": "+30") the default a base leaves in force. This
 * file sits below the variant merge and the scenario writer (save.c), which both need
 * the defaults, and above the field getters it reads with.
 */
#include "scenario/policy.h"

#include <stddef.h>
#include <string.h>

static const char *const POLICY_KEYS[] = {"min_age",        "max_stay_days",
                                          "min_gap_days",   "min_home_days",
                                          "max_placements", "allowed_countries",
                                          "min_offer_size", "training_lead_days",
                                          "reintegration",  "reintegration_window_days",
                                          "tenure_cap",     "no_return_ban_days",
                                          "weights",        NULL};

static const char *const WEIGHT_KEYS[] = {
    "fill",          "returning",       "tenure",        "named",
    "same_employer", "preference",      "score",         "keep",
    "training_cost", "quota_shortfall", "reintegration", NULL};

static const char *const REINT_CHOICES[] = {"none", "reward", "required", NULL};

/* The integer keys of `policy`, and where each lives in clb_policy. */
static const struct {
    const char *key;
    size_t offset;
} POLICY_INTS[] = {
    {"min_age", offsetof(clb_policy, min_age)},
    {"max_stay_days", offsetof(clb_policy, max_stay_days)},
    {"min_gap_days", offsetof(clb_policy, min_gap_days)},
    {"min_home_days", offsetof(clb_policy, min_home_days)},
    {"max_placements", offsetof(clb_policy, max_placements)},
    {"min_offer_size", offsetof(clb_policy, min_offer_size)},
    {"training_lead_days", offsetof(clb_policy, training_lead_days)},
    {"reintegration_window_days", offsetof(clb_policy, reintegration_window_days)},
    {"tenure_cap", offsetof(clb_policy, tenure_cap)},
    {"no_return_ban_days", offsetof(clb_policy, no_return_ban_days)}};

#define N_POLICY_INTS (sizeof(POLICY_INTS) / sizeof(POLICY_INTS[0]))

/* Where each weight of WEIGHT_KEYS (same order) lives in clb_weights. */
static const size_t WEIGHT_OFFSETS[] = {
    offsetof(clb_weights, fill),          offsetof(clb_weights, returning),
    offsetof(clb_weights, tenure),        offsetof(clb_weights, named),
    offsetof(clb_weights, same_employer), offsetof(clb_weights, preference),
    offsetof(clb_weights, score),         offsetof(clb_weights, keep),
    offsetof(clb_weights, training_cost), offsetof(clb_weights, quota_shortfall),
    offsetof(clb_weights, reintegration)};

/* A weight added to clb_weights needs its key and its offset here. */
_Static_assert(sizeof(WEIGHT_OFFSETS) / sizeof(WEIGHT_OFFSETS[0]) ==
                   sizeof(WEIGHT_KEYS) / sizeof(WEIGHT_KEYS[0]) - 1,
               "one offset per weight key");
_Static_assert(sizeof(clb_weights) ==
                   sizeof(WEIGHT_OFFSETS) / sizeof(size_t) * sizeof(double),
               "every weight of clb_weights has a key");

static int *policy_int(clb_policy *p, size_t i)
{
    return (int *)(void *)((char *)p + POLICY_INTS[i].offset);
}

static double *weight(clb_weights *w, size_t i)
{
    return (double *)(void *)((char *)w + WEIGHT_OFFSETS[i]);
}

void clb__policy_defaults(clb_policy *p)
{
    memset(p, 0, sizeof(*p));
    p->min_age = 18;
    p->max_stay_days = 270;
    p->min_gap_days = 0;
    p->min_home_days = 0;
    p->max_placements = 0;
    p->has_allowed_countries = false;
    p->min_offer_size = 1;
    p->training_lead_days = 0;
    p->reintegration = CLB_REINT_NONE;
    p->reintegration_window_days = 60;
    p->tenure_cap = 4;
    p->no_return_ban_days = 730;
    p->weights.fill = 1000;
    p->weights.returning = 200;
    p->weights.tenure = 25;
    p->weights.named = 300;
    p->weights.same_employer = 100;
    p->weights.preference = 50;
    p->weights.score = 1;
    p->weights.keep = 150;
    p->weights.training_cost = 1;
    p->weights.quota_shortfall = 2000;
    p->weights.reintegration = 20;
}

bool clb__policy_default_number(double *out, const char *scope, const char *key)
{
    clb_policy p;

    clb__policy_defaults(&p);
    if (scope && strcmp(scope, "policy") == 0) {
        for (size_t i = 0; i < N_POLICY_INTS; i++)
            if (strcmp(POLICY_INTS[i].key, key) == 0) {
                *out = *policy_int(&p, i);
                return true;
            }
    }
    if (scope && strcmp(scope, "weights") == 0) {
        for (size_t i = 0; WEIGHT_KEYS[i]; i++)
            if (strcmp(WEIGHT_KEYS[i], key) == 0) {
                *out = *weight(&p.weights, i);
                return true;
            }
    }
    return false;
}

bool clb__policy_is_default(const clb_policy *p)
{
    clb_policy d, q = *p;

    clb__policy_defaults(&d);
    if (q.has_allowed_countries || q.reintegration != d.reintegration)
        return false;
    for (size_t i = 0; i < N_POLICY_INTS; i++)
        if (*policy_int(&q, i) != *policy_int(&d, i))
            return false;
    for (size_t i = 0; WEIGHT_KEYS[i]; i++)
        if (*weight(&q.weights, i) != *weight(&d.weights, i))
            return false;
    return true;
}

static void read_weights(clb_reader *r, const clb_json *pol)
{
    const clb_json *o;
    clb_nest n;

    if (!(o = clb__reader_nest_enter(r, pol, "weights", false, "weights.", WEIGHT_KEYS,
                                     &n)))
        return;
    for (size_t i = 0; WEIGHT_KEYS[i]; i++)
        clb__field_number(r, o, WEIGHT_KEYS[i], false, 0, CLB_MAX_WEIGHT,
                          weight(&r->s->policy.weights, i));
    clb__reader_nest_leave(r, n);
}

void clb__policy_read(clb_reader *r, const clb_json *root)
{
    clb_policy *p = &r->s->policy;
    const clb_json *o;
    size_t mark;
    int reint = (int)p->reintegration;

    if (!clb__field_object(r, root, "policy", false, &o) || !o)
        return;
    mark = clb__json_path_push_key(&r->path, "policy", &r->oom);
    clb__reader_label(r, "policy");
    clb__field_check_keys(r, o, POLICY_KEYS, NULL);
    for (size_t i = 0; i < N_POLICY_INTS; i++)
        clb__field_small_int(r, o, POLICY_INTS[i].key, false, 0, CLB_MAX_DAYS,
                             policy_int(p, i));
    clb__field_symlist(r, o, "allowed_countries", CLB_LIST_COUNTRIES,
                       &p->allowed_countries, &p->has_allowed_countries);
    if (clb__field_choice(r, o, "reintegration", false, REINT_CHOICES,
                          "none, reward, required", &reint))
        p->reintegration = (clb_reint_mode)reint;
    read_weights(r, o);
    clb__reader_unlabel(r);
    clb__json_path_pop(&r->path, mark);
}
