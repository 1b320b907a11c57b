/*
 * eligibility.h - the hard eligibility rules of docs/MODEL.md §3.1 and the derived
 * values of section 3.2, shared by the reader (pins), the model and `explain`.
 */
#ifndef CLB_ELIGIBILITY_H
#define CLB_ELIGIBILITY_H

#include "scenario/scenario_impl.h"

/* Mask of the CLB_RULE_* bits that pair (w, v) fails; 0 when eligible. */
unsigned clb__eligibility_check(const clb_scenario *s, uint32_t w, uint32_t v);

/*
 * The rules of docs/MODEL.md §3.1 that compare a worker's dates and counts with a
 * vacancy's (age, availability, experience, home time, stay, banned until), on plain
 * values: the scenario's records pass theirs, and the scenario generator (bench/gen),
 * which keeps compact records of its own, passes its own, so that both apply one rule.
 * Returns the mask of the CLB_RULE_* bits failed among those six.
 */
typedef struct clb_rule_worker {
    clb_date adult_from;   /* first day of policy.min_age years (clb__birthday_of_age) */
    clb_date avail_from, avail_to;
    clb_date last_return;  /* CLB_DATE_NONE when none */
    clb_date banned_until; /* CLB_DATE_NONE when none */
    int campaigns, days_abroad;
} clb_rule_worker;

typedef struct clb_rule_vacancy {
    clb_date start, end;
    int min_campaigns;
} clb_rule_vacancy;

unsigned clb__eligibility_timing(const clb_policy *p, const clb_rule_worker *w,
                                 const clb_rule_vacancy *v);

/* The first day on which a worker born on `birth` is `years` old. */
clb_date clb__birthday_of_age(clb_date birth, int years);

/* Does a training session ending on `end` qualify a worker in time for a placement
   starting on `start` (rule 6: the session ends more than training_lead_days before)? */
bool clb__session_in_time(const clb_policy *p, clb_date end, clb_date start);

/* A session / programme is open to a worker: same country, same region when named. */
bool clb__session_is_open_to(const clb_session_rec *k, const clb_worker_rec *w);
bool clb__programme_is_open_to(const clb_programme_rec *r, const clb_worker_rec *w);

/* Does a preference / exclusion entry match vacancy v? */
bool clb__match_is_vacancy(const clb_scenario *s, const clb_match *m,
                          const clb_vacancy_rec *v);

/* pref(w, v) of docs/MODEL.md §3.2. */
double clb__pref_value(const clb_scenario *s, const clb_worker_rec *w,
                      const clb_vacancy_rec *v);

/* scores(w, v), 0 when absent. */
double clb__score_value(const clb_scenario *s, uint32_t w, uint32_t v);

/* Is (w, v) a `proposed` entry of previous? */
bool clb__is_previous_proposed(const clb_scenario *s, uint32_t w, uint32_t v);

/* Does placement (w, v) match quota q (every `where` key present holds)? */
bool clb__quota_matches(const clb_scenario *s, const clb_quota_rec *q, uint32_t w,
                       uint32_t v);

/*
 * The per-placement value of docs/MODEL.md §3.7 (fill, returning, tenure, named,
 * same_employer, preference, score, keep), without training, shortfall and
 * reintegration terms.
 */
double clb__placement_value(const clb_scenario *s, uint32_t w, uint32_t v);

/* The terms of the per-placement value, in points, in the order of §3.7. */
enum {
    CLB_TERM_FILL, CLB_TERM_RETURNING, CLB_TERM_TENURE, CLB_TERM_NAMED,
    CLB_TERM_SAME_EMPLOYER, CLB_TERM_PREFERENCE, CLB_TERM_SCORE, CLB_TERM_KEEP,
    CLB_N_PLACEMENT_TERMS
};

/*
 * clb__placement_value split into its terms (weight x units each): the value is
 * their sum in this order, so the two never disagree (the value is computed
 * from the terms).
 */
void clb__placement_terms(const clb_scenario *s, uint32_t w, uint32_t v,
                          double terms[CLB_N_PLACEMENT_TERMS]);

/*
 * Is pair value a strictly below b, beyond rounding (relative 1e-9, at least 1e-9)?
 * The one comparison of §3.7 pair values that stability uses (result/stability.c,
 * solve/stable.c), so that a sum taken in another order never makes a blocking pair.
 */
bool clb__value_below(double a, double b);

/* Is worker w in v's named list? */
bool clb__vacancy_names(const clb_vacancy_rec *v, uint32_t w);

/*
 * All eligible pairs, grouped by worker (compressed rows): the vacancies of worker w
 * are vac[first[w] .. first[w+1]), in increasing vacancy index.
 */
typedef struct clb_pairs {
    uint32_t *first; /* n_workers + 1 entries */
    uint32_t *vac;
    size_t n;
} clb_pairs;

int clb__pairs_build(clb_pairs *out, const clb_scenario *s, clb_error *err);
void clb__pairs_dispose(clb_pairs *pairs);

#endif
