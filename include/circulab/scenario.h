/*
 * scenario.h - reading and validating scenario documents (circulab-scenario/1).
 *
 * A scenario is the whole input of one matching round: policy, workers, employers and
 * their sites, vacancies, quotas, training sessions, reintegration programmes, scores,
 * pins, bans and the previous plan (docs/FORMATS.md §2). Loading validates everything and
 * reports every error at once; a scenario that loads is safe to solve.
 */
#ifndef CIRCULAB_SCENARIO_H
#define CIRCULAB_SCENARIO_H

#include <stdint.h>
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct clb_scenario clb_scenario;

/*
 * Load and validate a scenario from a JSON file.
 *
 * out:    receives the scenario on success (release with clb_scenario_free)
 * path:   the file to read
 * diags:  optional; receives every validation error (JSON path, rule, message)
 * err:    optional; receives the first error and a count of the others
 *
 * Returns 0, CLB_EIO (file unreadable), CLB_EPARSE (not JSON), CLB_EINVAL (JSON that
 * breaks the rules of docs/FORMATS.md §2; all breaches are in `diags`) or CLB_ENOMEM.
 */
CLB_EXTERN int clb_scenario_load_file(clb_scenario **out, const char *path, clb_diags *diags,
                                      clb_error *err);

/* As clb_scenario_load_file, refusing (CLB_EINVAL) a file larger than `max_bytes`
 * (0: CLB_INPUT_MAX_BYTES_DEFAULT), with a message naming the file and the limit. */
CLB_EXTERN int clb_scenario_load_file_max(clb_scenario **out, const char *path, size_t max_bytes,
                                          clb_diags *diags, clb_error *err);

/*
 * As clb_scenario_load_file, from a memory buffer of `len` bytes. `source` names the
 * buffer in messages (a file name or URL); it may be NULL.
 */
CLB_EXTERN int clb_scenario_load_buffer(clb_scenario **out, const char *buf, size_t len,
                                        const char *source, clb_diags *diags, clb_error *err);

/* Release a scenario. Accepts NULL. */
CLB_EXTERN void clb_scenario_free(clb_scenario *scenario);

/* The scenario's name (borrowed; "" when the document has none). */
CLB_EXTERN const char *clb_scenario_name(const clb_scenario *scenario);

/* Kinds of records in a scenario, for clb_scenario_count. */
typedef enum {
    CLB_KIND_WORKER,
    CLB_KIND_EMPLOYER,
    CLB_KIND_SITE,
    CLB_KIND_VACANCY,
    CLB_KIND_QUOTA,
    CLB_KIND_SESSION,
    CLB_KIND_PROGRAMME
} clb_kind;

/* Number of records of one kind. */
CLB_EXTERN size_t clb_scenario_count(const clb_scenario *scenario, clb_kind kind);

/* Eligibility rules of docs/MODEL.md §3.1, as bits of a mask. */
typedef enum {
    CLB_RULE_AGE = 1u << 0,
    CLB_RULE_COUNTRY = 1u << 1,
    CLB_RULE_AVAILABILITY = 1u << 2,
    CLB_RULE_SKILLS = 1u << 3,
    CLB_RULE_EXPERIENCE = 1u << 4,
    CLB_RULE_TRAINING = 1u << 5,
    CLB_RULE_HOME_TIME = 1u << 6,
    CLB_RULE_STAY = 1u << 7,
    CLB_RULE_BANNED = 1u << 8,
    CLB_RULE_BAN = 1u << 9,
    CLB_RULE_EXCLUDED = 1u << 10
} clb_rule;

#define CLB_RULE_COUNT 11

/* The stable reason code of one rule bit ("age", "stay", ...), or NULL. */
CLB_EXTERN const char *clb_rule_name(unsigned rule);

/*
 * Which eligibility rules the pair (worker, vacancy) fails, by ids.
 *
 * out_mask: receives the mask of failed rules (0 = eligible)
 * Returns 0, or CLB_ENOTFOUND when either id is unknown (message names it).
 */
CLB_EXTERN int clb_scenario_check_pair(unsigned *out_mask, const clb_scenario *scenario,
                                       const char *worker_id, const char *vacancy_id,
                                       clb_error *err);

#ifdef __cplusplus
}
#endif
#endif
