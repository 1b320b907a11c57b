/*
 * explain.h - why a worker is unplaced or a vacancy unfilled (docs/CLI.md §7,
 * `explain`).
 *
 * For a worker: each vacancy's failed eligibility rules by reason code (docs/MODEL.md
 * §3.1); for an eligible pair left out of the plan, what held it out: the vacancy was
 * full with higher-valued workers (named, with their values), a quota at its max, housing
 * full, no training seat in time, the stay limit, the worker's other placements, no
 * reintegration seat. For a vacancy: why each candidate could not go.
 *
 * The answer is data, one clb_explanation: every reason as a code, one sentence and
 * the record it names, so that a program lays it out as it needs (the command line
 * prints sentences or one JSON document). The store's clb_store_explain (store.h)
 * answers the same for a stored round.
 */
#ifndef CIRCULAB_EXPLAIN_H
#define CIRCULAB_EXPLAIN_H

#include "common.h"
#include "scenario.h"
#include "result.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct clb_explanation clb_explanation;

/* A placement an explanation names: the vacancy (or worker) and its value. */
typedef struct clb_explain_value {
    const char *id;
    double value;
} clb_explain_value;

/* A failed eligibility rule: its name (clb_rule_name) and why, as a sentence. */
typedef struct clb_explain_rule {
    const char *rule;
    const char *message;
} clb_explain_rule;

/*
 * What held an eligible pair out of the plan. `reason` is one of vacancy_full,
 * quota_max, housing_full, training_full, stay_limit, conflict, max_placements,
 * no_reintegration_seat, objective. The record it names is set for its reason only
 * (NULL otherwise): `other` the worker's other vacancy (conflict), `quota`
 * (quota_max), `site` (housing_full), `course` (training_full); with vacancy_full,
 * `has_value` is true, `value` is the worker's value there and `holders` the workers
 * who hold the vacancy, highest value first.
 */
typedef struct clb_explain_reason {
    const char *reason;
    const char *message;
    const char *other;
    const char *quota;
    const char *site;
    const char *course;
    bool has_value;
    double value;
    const clb_explain_value *holders;
    size_t n_holders;
} clb_explain_reason;

/*
 * One pair left out of the plan: for a worker, a vacancy (`id`); for a vacancy, an
 * eligible worker. Not eligible: the failed rules; eligible: what held it out.
 */
typedef struct clb_explain_pair {
    const char *id;
    bool eligible;
    const clb_explain_rule *failed;
    size_t n_failed;
    const clb_explain_reason *held_out;
    size_t n_held_out;
} clb_explain_pair;

/* Workers that fail eligibility rule `rule` for the vacancy explained. */
typedef struct clb_explain_count {
    const char *rule;
    unsigned count;
} clb_explain_count;

/*
 * An explanation. Exactly one of `worker` and `vacancy` is set.
 * For a worker: `placed` its placements (vacancy, value) and `pairs` every vacancy
 * not withdrawn that it is not placed on, in scenario order.
 * For a vacancy: `headcount`, `filled`, `placed` who holds it (worker, value),
 * `pairs` every eligible worker not placed on it, in scenario order, and
 * `ineligible` the other workers counted by failed rule (a worker may fail several;
 * rules in clb_rule_name order, those with a count only).
 * `round` is the database round explained, 0 for a result solved without one.
 */
typedef struct clb_explanation_info {
    const char *worker;
    const char *vacancy;
    long round;
    int headcount;
    int filled;
    const clb_explain_value *placed;
    size_t n_placed;
    const clb_explain_pair *pairs;
    size_t n_pairs;
    const clb_explain_count *ineligible;
    size_t n_ineligible;
    bool forgotten; /* the worker explained was forgotten (personal data erased) */
} clb_explanation_info;

/*
 * Explain `worker` or `vacancy` (exactly one is non-NULL) for a result solved
 * without a database, from the scenario it was solved from. Returns 0,
 * CLB_ENOTFOUND (unknown worker or vacancy), CLB_EINVAL (both or neither given),
 * CLB_ENOMEM. Release *out with clb_explanation_free.
 */
CLB_EXTERN int clb_explain_result(clb_explanation **out, const clb_scenario *scenario,
                                  const clb_result *result, const char *worker,
                                  const char *vacancy, clb_error *err);

/* The explanation's contents, borrowed: they live until clb_explanation_free. */
CLB_EXTERN const clb_explanation_info *clb_explanation_get(const clb_explanation *explanation);

/* Release. Accepts NULL. */
CLB_EXTERN void clb_explanation_free(clb_explanation *explanation);

#ifdef __cplusplus
}
#endif
#endif
