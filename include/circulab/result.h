/*
 * result.h - the result of a solve (circulab-result/1, docs/FORMATS.md §4).
 *
 * Accessors return borrowed strings that live as long as the result (and the scenario
 * it was solved from). clb_result_save renders the result document; equal inputs give
 * byte-identical documents.
 */
#ifndef CIRCULAB_RESULT_H
#define CIRCULAB_RESULT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct clb_result clb_result;

typedef enum {
    CLB_STATUS_OPTIMAL,
    CLB_STATUS_TIME_LIMIT,
    CLB_STATUS_GAP_LIMIT,
    CLB_STATUS_INFEASIBLE
} clb_status;

/* "optimal", "time_limit", "gap_limit" or "infeasible". */
CLB_EXTERN const char *clb_status_name(clb_status status);

/* One placement with the attributes a summary needs. Dates are "YYYY-MM-DD". */
typedef struct clb_placement_info {
    const char *worker;
    const char *vacancy;
    const char *employer;
    const char *site;
    const char *origin_country;
    const char *origin_region; /* "" when the worker has none */
    const char *dest_region;
    const char *sector;        /* "" when the vacancy has none */
    char start[11];
    char end[11];
    double value;              /* this placement's share of the objective */
    bool returning;
} clb_placement_info;

typedef struct clb_training_info {
    const char *worker;
    const char *session;
    const char *course;
    double cost;
} clb_training_info;

typedef struct clb_reintegration_info {
    const char *worker;
    const char *programme;
} clb_reintegration_info;

typedef struct clb_vacancy_fill {
    const char *id;
    const char *employer;
    const char *sector;
    const char *dest_region;
    int headcount;
    int filled;
} clb_vacancy_fill;

typedef struct clb_quota_use {
    const char *id;
    long count;
    long max; /* -1 when the quota has no max */
    long min;
    long shortfall;
} clb_quota_use;

typedef struct clb_session_load {
    const char *id;
    const char *course;
    int capacity;
    int attendees;
} clb_session_load;

/*
 * The second stage of a solve given a base plan (clb_solve_opts.base_plan,
 * docs/MODEL.md "A second stage"): whether it ran and whether it finished.
 */
typedef enum {
    CLB_SECOND_STAGE_NONE = 0, /* none: no base plan, the first stage not proven
                                  optimal, or the pair method */
    CLB_SECOND_STAGE_FINISHED, /* proven: among the optimal plans, one keeping the
                                  most base placements */
    CLB_SECOND_STAGE_STOPPED   /* stopped at its time bound (or had no time left, or
                                  was beyond the itinerary pricing): its best plan
                                  if it held the objective, else the first stage's */
} clb_second_stage;

typedef struct clb_result_stats {
    size_t workers;
    size_t vacancies;
    size_t eligible_pairs;
    size_t rows;
    size_t columns;
    double seconds;       /* the whole solve */
    /* where the time went, and how large the solved part of the model grew */
    double eligibility_seconds;
    double model_seconds;
    double lp_seconds;    /* the LP by column generation */
    double mip_seconds;   /* branch-and-bound */
    size_t pricing_rounds;
    size_t master_rows;
    size_t master_columns;
    size_t branch_nodes;  /* nodes of branch-and-price (0: the proof needed none) */
    clb_second_stage second_stage;
    double second_stage_seconds; /* included in `seconds` */
} clb_result_stats;

/* Release a result. Accepts NULL. */
CLB_EXTERN void clb_result_free(clb_result *result);

CLB_EXTERN clb_status clb_result_status(const clb_result *result);
CLB_EXTERN double clb_result_objective(const clb_result *result);
CLB_EXTERN double clb_result_bound(const clb_result *result);
CLB_EXTERN double clb_result_gap(const clb_result *result);
CLB_EXTERN void clb_result_get_stats(clb_result_stats *out, const clb_result *result);

CLB_EXTERN size_t clb_result_placement_count(const clb_result *result);
/* Fill `out` with placement i (sorted by vacancy, then worker); i < count. */
CLB_EXTERN void clb_result_placement_get(clb_placement_info *out, const clb_result *result,
                                         size_t i);

CLB_EXTERN size_t clb_result_training_count(const clb_result *result);
CLB_EXTERN void clb_result_training_get(clb_training_info *out, const clb_result *result,
                                        size_t i);

CLB_EXTERN size_t clb_result_reintegration_count(const clb_result *result);
CLB_EXTERN void clb_result_reintegration_get(clb_reintegration_info *out,
                                             const clb_result *result, size_t i);

CLB_EXTERN size_t clb_result_vacancy_count(const clb_result *result);
CLB_EXTERN void clb_result_vacancy_get(clb_vacancy_fill *out, const clb_result *result,
                                       size_t i);

CLB_EXTERN size_t clb_result_quota_count(const clb_result *result);
CLB_EXTERN void clb_result_quota_get(clb_quota_use *out, const clb_result *result, size_t i);

CLB_EXTERN size_t clb_result_session_count(const clb_result *result);
CLB_EXTERN void clb_result_session_get(clb_session_load *out, const clb_result *result,
                                       size_t i);

CLB_EXTERN size_t clb_result_programme_count(const clb_result *result);
/* Programme i's id, capacity and enrolments. */
CLB_EXTERN void clb_result_programme_get(const char **id, int *capacity, int *enrolled,
                                         const clb_result *result, size_t i);

/* Conflicts: confirmed `previous` entries no longer eligible, as sentences. */
CLB_EXTERN size_t clb_result_conflict_count(const clb_result *result);
CLB_EXTERN const char *clb_result_conflict_get(const clb_result *result, size_t i);

/* Flags of clb_result_save. */
#define CLB_SAVE_TIMINGS 0x1u /* write stats.seconds (otherwise 0.0, so that equal
                                 inputs give byte-identical documents) */

/*
 * Render the result document (circulab-result/1) into `out` (appended; the caller
 * disposes the buffer). `flags` are CLB_SAVE_* bits (0: the document equal inputs
 * always give). Returns 0 or CLB_ENOMEM.
 */
CLB_EXTERN int clb_result_save(clb_buf *out, const clb_result *result, unsigned flags,
                               clb_error *err);

#ifdef __cplusplus
}
#endif
#endif
