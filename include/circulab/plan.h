/*
 * plan.h - tools for planners (SPEC section 7: `scenario compare`, `report`,
 * `simulate`): the key figures of a solved scenario, what one more unit of a binding
 * capacity is worth, side-by-side comparisons as text, CSV and JSON, a self-contained
 * HTML report with SVG charts, and multi-season simulation.
 *
 * Key figures (KPIs) are computed from the scenario and a plan (placements, training,
 * enrolments) alone, so that a fresh solve and a result document read back from a
 * file (for example an exported round) give the same figures.
 */
#ifndef CIRCULAB_PLAN_H
#define CIRCULAB_PLAN_H

#include <stdint.h>
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
 * employer) `places` is the headcount offered and `filled` the placements. For the
 * origin-region breakdown `places` is the number of applicants (workers of the
 * scenario) from the region and `filled` the number of distinct workers placed.
 */
typedef struct clb_kpi_group {
    const char *key; /* "" for records without the attribute */
    long places;
    long filled;
} clb_kpi_group;

/* Kinds of capacities, for clb_kpi_limit and clb_kpi_marginal. */
typedef enum {
    CLB_LIMIT_QUOTA,     /* a quota's max */
    CLB_LIMIT_SITE,      /* a housing site's beds (peak occupancy on any day) */
    CLB_LIMIT_SESSION,   /* a training session's capacity */
    CLB_LIMIT_PROGRAMME  /* a reintegration programme's capacity */
} clb_limit_kind;

/* "quota", "site", "session" or "programme". */
CLB_EXTERN const char *clb_limit_kind_name(clb_limit_kind kind);

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
    long d_placements;
    clb_status status;
} clb_kpi_marginal;

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
    double objective, bound, gap, seconds;

    long places;          /* total headcount of the vacancies */
    long placements;
    double fill_rate;     /* placements / places (0 when no places) */
    long applicants;      /* workers in the scenario */
    long workers_placed;  /* distinct */
    long returning_placed; /* distinct placed workers that are returning (SPEC 3.2) */
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
    const clb_kpi_limit *limits;      size_t n_limits; /* quotas, sites, sessions,
                                                         programmes, in that order */
    const clb_kpi_week *weeks;        size_t n_weeks;
    const clb_kpi_marginal *marginals; size_t n_marginals; /* after clb_kpis_marginals */
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
 * The marginal value of one more and ten more units of every binding capacity
 * (quota max, site beds, session and programme capacity; clb_kpi_limit.binding),
 * computed exactly: the scenario is re-solved with the limit raised, and the figures
 * are the differences from the summary's own objective and placements.
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

/* ---- comparisons ------------------------------------------------------------------- */

typedef enum {
    CLB_COMPARE_TEXT, /* aligned columns for a terminal */
    CLB_COMPARE_CSV,  /* section,key,metric,<label 1>,<label 2>,... (RFC 4180) */
    CLB_COMPARE_JSON  /* {"format": "circulab-compare/1", "scenarios": [...]} */
} clb_compare_format;

/*
 * Render the key figures of `n` scenarios side by side (appended to out). Rows of
 * breakdowns are the union of the keys of all scenarios. Returns 0 or CLB_ENOMEM.
 */
CLB_EXTERN int clb_compare_render(clb_buf *out, const clb_kpis *const *kpis, size_t n,
                                  clb_compare_format format, clb_error *err);

/* ---- the HTML report --------------------------------------------------------------- */

/*
 * Render one self-contained HTML page (appended to out): no external assets, no
 * scripts; the charts are inline SVG. With n == 1 the page reports one scenario (or
 * round); with n > 1 it compares them (grouped bars, one colour per scenario).
 * `title` may be NULL. Returns 0 or CLB_ENOMEM.
 */
CLB_EXTERN int clb_report_render(clb_buf *out, const clb_kpis *const *kpis, size_t n,
                                 const char *title, clb_error *err);

/* ---- multi-season simulation ------------------------------------------------------- */

/* Per-region return rate, overriding clb_sim_opts.return_rate. */
typedef struct clb_sim_rate {
    const char *region;
    double rate;
} clb_sim_rate;

typedef struct clb_sim_season clb_sim_season;

/*
 * A progress report of clb_simulate. Between solves `solve` is NULL; right after a
 * season is solved and its history rolled forward, `done` holds that season's
 * figures (borrowed for the call), so a caller can show each season as soon as it
 * ends rather than when the whole simulation does.
 */
typedef struct clb_sim_progress {
    int season;  /* 1-based */
    int seasons;
    const clb_progress *solve;  /* the solver's report, or NULL between solves */
    const clb_sim_season *done; /* the season just finished, or NULL */
} clb_sim_progress;

typedef void (*clb_sim_progress_cb)(const clb_sim_progress *progress, void *payload);

/*
 * Default limit on each season's solve, in seconds. A later season's pool (returning
 * workers, new applicants, bans) can make a model whose optimum is found in seconds
 * but not proven in hours; every season must end, so a simulation never runs
 * unbounded unless asked (time_limit 0). A season stopped by it is marked
 * (clb_sim_season.status CLB_STATUS_TIME_LIMIT).
 */
#define CLB_SIM_TIME_LIMIT_DEFAULT 30.0

/* Simulation options. Initialise with clb_sim_opts_init. */
typedef struct clb_sim_opts {
    int seasons;              /* >= 1 */
    double return_rate;       /* probability that a placed worker returns, [0, 1] */
    const clb_sim_rate *rates; /* optional per origin region */
    size_t n_rates;
    long new_applicants;      /* workers joining the pool before each later season */
    uint64_t seed;
    clb_solve_opts solve;     /* options of each season's solve (its progress callback
                                 is replaced by the simulation's; time_limit defaults
                                 to CLB_SIM_TIME_LIMIT_DEFAULT) */
    clb_sim_progress_cb progress;
    void *payload;
} clb_sim_opts;

CLB_EXTERN void clb_sim_opts_init(clb_sim_opts *opts);

/* Figures of one simulated season. */
struct clb_sim_season {
    int season;              /* 1-based */
    clb_status status;       /* of its solve: optimal, gap_limit, or time_limit when
                                the solve was cut short (figures of the best plan
                                found, which depend on the machine's speed) */
    char first_day[11];      /* earliest vacancy start of the season */
    long pool;               /* workers in the scenario this season */
    long joined;             /* new applicants who joined before this season */
    long banned;             /* workers banned on the season's first day */
    long placements;
    long places;
    double fill_rate;
    long placed;             /* distinct workers placed */
    long unplaced;           /* pool - placed */
    long placed_returning;   /* placed workers returning (SPEC 3.2) */
    double returning_share;  /* placed_returning / placed */
    long returned;           /* placed workers who came home at the end */
    long not_returned;       /* placed workers who did not (banned after) */
    long reached;            /* distinct workers placed in any season so far */
    const long *by_seasons;  /* by_seasons[k-1]: workers placed in exactly k of the
                                simulated seasons so far, k = 1..n_by_seasons */
    size_t n_by_seasons;
    const clb_kpi_group *unfilled; /* by sector: places = headcount, filled */
    size_t n_unfilled;
    double objective;
};

typedef struct clb_simulation clb_simulation;

/*
 * Simulate opts->seasons seasons from the scenario document `buf` (`len` bytes;
 * `extends` is resolved relative to `source`). Each season the scenario's dates move
 * one year on, the workers' history is rolled forward from the previous season as
 * SPEC section 6 says (every placement is taken as confirmed and departed; the
 * worker returns with the rate of their region), new applicants join (copies of
 * randomly drawn first-season profiles under fresh ids) and the round is solved.
 * The same seed gives the same figures. Returns 0, CLB_EINVAL / CLB_EPARSE (the
 * document; diags as for clb_scenario_load_buffer), CLB_EINFEASIBLE (a season's
 * pins cannot hold), CLB_ESOLVER or CLB_ENOMEM.
 */
CLB_EXTERN int clb_simulate(clb_simulation **out, const char *buf, size_t len, const char *source,
                            const clb_sim_opts *opts, clb_diags *diags, clb_error *err);

CLB_EXTERN void clb_simulation_free(clb_simulation *sim);
CLB_EXTERN size_t clb_simulation_season_count(const clb_simulation *sim);
/* Season i (0-based), borrowed from sim. */
CLB_EXTERN void clb_simulation_season_get(clb_sim_season *out, const clb_simulation *sim, size_t i);

/*
 * The per-season figures as CSV (one row per season; columns season, solve (the
 * status name), first_day, pool,
 * joined, banned, places, placements, fill_rate, placed, unplaced, returning_share,
 * returned, not_returned, reached, seasons_1..seasons_N, unfilled:<sector>...).
 * Returns 0 or CLB_ENOMEM.
 */
CLB_EXTERN int clb_simulation_render_csv(clb_buf *out, const clb_simulation *sim, clb_error *err);

#ifdef __cplusplus
}
#endif
#endif
