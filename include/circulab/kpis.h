/*
 * kpis.h - the key figures (KPIs) of a solved scenario for planners (docs/CLI.md §7,
 * `scenario compare` and `report`): fill, workers, breakdowns, the use of every
 * capacity, the calendar, and what one more unit of a binding capacity is worth.
 *
 * Key figures are computed from the scenario and a plan (placements, training,
 * enrolments) alone, so that a fresh solve and a result document read back from a
 * file (for example an exported round) give the same figures.
 */
#ifndef CIRCULAB_KPIS_H
#define CIRCULAB_KPIS_H

#include "common.h"
#include "scenario.h"
#include "result.h"
#include "solve.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- key figures ----------------------------------------------------------------- */

/*
 * One row of a breakdown. For fill breakdowns (sector, destination province,
 * employer) `places` is the headcount offered, `filled` the placements and
 * `vacancies` how many vacancies offer them. For the origin breakdowns (by region,
 * by country and region) `places` is the number of applicants (workers of the
 * scenario) from there and `filled` the number of distinct workers placed. In every
 * breakdown `placements` counts the placements (of the group's vacancies, or of its
 * workers) and `returning` those of returning workers (docs/MODEL.md §3.2).
 */
typedef struct clb_kpi_group {
    const char *key;     /* "" for records without the attribute */
    long places;
    long filled;
    const char *country; /* by_country_region: the origin country; NULL elsewhere */
    long vacancies;      /* fill breakdowns; 0 elsewhere */
    long placements;
    long returning;
} clb_kpi_group;

/*
 * Kinds of limits, for clb_kpi_limit and clb_kpi_marginal. Key figures list the
 * first four (clb_kpi_summary.limits); marginal values are also computed for a
 * vacancy's headcount and a quota's soft minimum.
 */
typedef enum {
    CLB_LIMIT_QUOTA,     /* a quota's max */
    CLB_LIMIT_SITE,      /* a housing site's beds (peak occupancy on any day) */
    CLB_LIMIT_SESSION,   /* a training session's capacity */
    CLB_LIMIT_PROGRAMME, /* a reintegration programme's capacity */
    CLB_LIMIT_VACANCY,   /* a vacancy's headcount (marginal values only) */
    CLB_LIMIT_QUOTA_MIN  /* a quota's soft min (marginal values only) */
} clb_limit_kind;

/* "quota", "site", "session", "programme", "vacancy" or "quota_min". */
CLB_EXTERN const char *clb_limit_kind_name(clb_limit_kind kind);

/*
 * The unit a limit of this kind counts, as a planner says it: "max" (a quota's
 * maximum: placements or workers), "beds", "seats" (sessions and programmes),
 * "headcount" or "min".
 */
CLB_EXTERN const char *clb_limit_unit_name(clb_limit_kind kind);

/*
 * The objective (docs/MODEL.md §3.7) split into its terms, in objective points:
 * each term is its weight times what it counts, with the sign it has in the
 * objective (`training_cost` and `quota_shortfall` are <= 0). `total` is their sum,
 * the plan's objective recomputed.
 */
typedef struct clb_kpi_terms {
    double fill;            /* fill x placements */
    double returning;       /* returning x placements of returning workers */
    double tenure;          /* tenure x capped campaigns, over placements */
    double named;           /* named x named requests honoured */
    double same_employer;   /* same_employer x placements with last year's employer */
    double preference;      /* preference x pref(w, v), over placements */
    double score;           /* score x scores(w, v), over placements */
    double keep;            /* keep x proposed `previous` entries kept */
    double training_cost;   /* - training_cost x cost of the seats attended */
    double quota_shortfall; /* - quota_shortfall x units short of the minima */
    double reintegration;   /* reintegration x enrolments (policy `reward` only) */
    double total;
} clb_kpi_terms;

/* Number of terms of clb_kpi_terms before `total`, and the name of term i (the key
   of policy.weights it comes from: "fill", "returning", ... "reintegration"). */
#define CLB_KPI_N_TERMS 11
CLB_EXTERN const char *clb_kpi_term_name(size_t i);

/* Term i of t (0 <= i < CLB_KPI_N_TERMS), in the order of the struct. */
CLB_EXTERN double clb_kpi_term(const clb_kpi_terms *t, size_t i);

/*
 * The use of one capacity. `limit` is -1 for a quota without max and a site without
 * beds. `min`/`shortfall` are quotas' soft minimum and its shortfall (0 otherwise).
 * `binding` is true when the use reached the limit (or a quota's min is short).
 */
typedef struct clb_kpi_limit {
    clb_limit_kind kind;
    const char *id;
    const char *detail; /* course of a session, region of a site or programme, "" */
    long used;
    long limit;
    long min;
    long shortfall;
    bool binding;
} clb_kpi_limit;

/*
 * What `delta` more units of one binding capacity are worth: the scenario re-solved
 * with limit + delta, and the change of the objective and of the placements.
 * `status` is the status of the re-solve (a re-solve that stopped early says so).
 */
typedef struct clb_kpi_marginal {
    clb_limit_kind kind;
    const char *id;
    long limit;
    long delta;
    double d_objective;
    long d_placements;    /* places filled */
    clb_status status;
    /* The same change in the planner's units (re-solve minus plan): */
    long d_workers_placed;      /* distinct workers placed */
    long d_returning_placed;    /* distinct returning workers placed */
    long d_training_seats;      /* session attendances */
    double d_training_cost;     /* cost of those seats, in the sessions' currency */
    long d_enrolments;          /* reintegration enrolments */
    long d_quota_shortfall;     /* units short of the quotas' minima */
    clb_kpi_terms d_terms;      /* the change of each objective term, in points;
                                   d_terms.total == d_objective */
} clb_kpi_marginal;

/*
 * One placement of the plan, by ids only (never a name), for the differences
 * between plans: the worker, the vacancy, its employer, the worker's origin region
 * ("" when none) and the quotas it matches (indices into clb_kpi_summary.limits,
 * whose quotas come first).
 */
typedef struct clb_kpi_placement {
    const char *worker;
    const char *vacancy;
    const char *employer;
    const char *origin;
    const uint32_t *quotas;
    size_t n_quotas;
} clb_kpi_placement;

/* One week of the season's calendar: placements starting and ending in it. */
typedef struct clb_kpi_week {
    char start[11]; /* Monday of the week, "YYYY-MM-DD" */
    long arrivals;
    long departures;
    long abroad;    /* placements whose period meets the week */
} clb_kpi_week;

/*
 * The key figures of one solved scenario. Every pointer is borrowed from the
 * clb_kpis object and lives until clb_kpis_free. Breakdowns are sorted by key.
 */
typedef struct clb_kpi_summary {
    const char *label;    /* what the caller called it (a file name) */
    const char *scenario; /* the scenario's name */
    clb_status status;
    clb_second_stage second_stage; /* of a variant solved closest to the base */
    double objective, bound, gap, seconds;

    long places;          /* total headcount of the vacancies */
    long placements;
    double fill_rate;     /* placements / places (0 when no places) */
    long applicants;      /* workers in the scenario */
    long workers_placed;  /* distinct */
    long returning_placed; /* distinct placed returning workers (docs/MODEL.md §3.2) */
    long returning_placements; /* placements of returning workers */
    double returning_share; /* returning_placed / workers_placed */
    double balance_index; /* 1 - total variation distance between the regions of
                             placed workers and of applicants: 1 = placed in
                             proportion to who applied, 0 = the opposite */
    long named_requested; /* (worker, vacancy) pairs named where the worker exists */
    long named_honoured;  /* of those, placements */
    long training_seats;  /* session attendances */
    double training_cost;
    long reintegration_enrolments;
    long reintegration_seats; /* total programme capacity */
    long quota_shortfall; /* sum of the soft minima's shortfalls */

    const clb_kpi_group *by_sector;   size_t n_by_sector;
    const clb_kpi_group *by_province; size_t n_by_province;
    const clb_kpi_group *by_employer; size_t n_by_employer;
    const clb_kpi_group *by_origin;   size_t n_by_origin;
    const clb_kpi_group *by_country_region; size_t n_by_country_region; /* keyed by
                                          region within country, sorted by country */
    const clb_kpi_limit *limits;      size_t n_limits; /* quotas, sites, sessions,
                                                         programmes, in that order */
    const clb_kpi_week *weeks;        size_t n_weeks;
    const clb_kpi_marginal *marginals; size_t n_marginals; /* after clb_kpis_marginals */

    clb_kpi_terms terms;  /* the objective split into its terms */
    const clb_kpi_placement *plan; size_t n_plan; /* the placements, sorted by worker
                                                     then vacancy id */
} clb_kpi_summary;

typedef struct clb_kpis clb_kpis;

/*
 * Key figures of a fresh solve. `label` names the scenario in comparisons (NULL: the
 * scenario's name). Copies everything it needs: the result and the scenario may be
 * freed afterwards. Returns 0 or CLB_ENOMEM.
 */
CLB_EXTERN int clb_kpis_from_result(clb_kpis **out, const clb_scenario *scenario,
                                    const clb_result *result, const char *label, clb_error *err);

/*
 * Key figures of a result document (circulab-result/1, `len` bytes; for example
 * written by `solve -o` or exported from a round) together with the scenario it was
 * solved from. Quota counts are recomputed from the placements. Returns 0,
 * CLB_EPARSE (not JSON), CLB_EINVAL (not a result, or it names workers, vacancies,
 * sessions or programmes the scenario lacks; err names the JSON path) or CLB_ENOMEM.
 */
CLB_EXTERN int clb_kpis_from_document(clb_kpis **out, const clb_scenario *scenario,
                                      const char *buf, size_t len, const char *source,
                                      const char *label, clb_error *err);

/* Release. Accepts NULL. */
CLB_EXTERN void clb_kpis_free(clb_kpis *kpis);

/* The figures (borrowed from kpis). */
CLB_EXTERN const clb_kpi_summary *clb_kpis_get(const clb_kpis *kpis);

/* Called before each re-solve of clb_kpis_marginals: `done` of `total`. */
typedef void (*clb_marginal_progress_cb)(size_t done, size_t total, const char *what,
                                         void *payload);

/*
 * The marginal value of one more and ten more units of every binding limit,
 * computed exactly: the scenario is re-solved with the limit raised, and the figures
 * are the differences from the summary's own figures (places filled, workers,
 * returning workers, training, enrolments, shortfall, each objective term).
 * Binding: a quota's max, a site's beds, a session's or programme's capacity that
 * the plan reaches (clb_kpi_limit.binding), a vacancy filled to its headcount, and
 * a quota's soft min (> 0) that the plan meets exactly or misses (raising it is
 * asking for more: the change shows its price).
 *
 * `scenario` must be the scenario the figures came from. It is changed during the
 * call (one limit at a time) and restored before it returns, on every path.
 * `opts` (may be NULL) are the solver options of the re-solves. Returns 0,
 * CLB_ESOLVER, CLB_ENOMEM; a re-solve that is infeasible cannot happen (raising a
 * limit keeps the base plan feasible) and is reported as CLB_EINTERNAL.
 */
CLB_EXTERN int clb_kpis_marginals(clb_kpis *kpis, clb_scenario *scenario,
                                  const clb_solve_opts *opts, clb_marginal_progress_cb progress,
                                  void *payload, clb_error *err);

#ifdef __cplusplus
}
#endif
#endif
