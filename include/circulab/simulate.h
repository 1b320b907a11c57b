/*
 * simulate.h - multi-season simulation (docs/CLI.md §7, `simulate`): the scenario
 * solved season after season, the workers' history rolled forward between them, with
 * return rates and new applicants, and the per-season figures.
 */
#ifndef CIRCULAB_SIMULATE_H
#define CIRCULAB_SIMULATE_H

#include <stdint.h>
#include "common.h"
#include "scenario.h"
#include "result.h"
#include "solve.h"
#include "kpis.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- multi-season simulation ------------------------------------------------------- */

/* Per-region return rate, overriding clb_sim_opts.return_rate. */
typedef struct clb_sim_rate {
    const char *region;
    double rate;
} clb_sim_rate;

typedef struct clb_sim_season clb_sim_season;

/*
 * Minimum shares of the workers placed, per origin region (`simulate
 * --min-share-by-region`, docs/PLANNERS.md §4): each season they become soft quota
 * minimums (unit `workers`, where `origin_region`). Opaque; read from a CSV file.
 */
typedef struct clb_sim_min_shares clb_sim_min_shares;

/*
 * Read minimum shares from CSV text (`len` bytes; `source` names it in messages):
 * a header with the columns `region` and `min_share` (any order; `x-...` columns
 * ignored, any other is an error), one row per region. `min_share` is a number
 * within [0, 1] or a percentage ("30%"); with ';' as the delimiter a decimal comma
 * is accepted. The spreadsheet conventions of `import` hold (delimiter read off the
 * header, byte-order mark, Windows-1252, trimmed cells, blank rows skipped). A
 * region listed twice, an empty region, or shares adding up to more than 1 are
 * errors. Every error names source:line:column and the column's header.
 * Returns 0, CLB_EPARSE (malformed CSV), CLB_EINVAL or CLB_ENOMEM.
 */
CLB_EXTERN int clb_sim_min_shares_load_buffer(clb_sim_min_shares **out, const char *buf,
                                              size_t len, const char *source,
                                              clb_error *err);

/* The same, from the file `path` (CLB_EIO when it cannot be read). */
CLB_EXTERN int clb_sim_min_shares_load_file(clb_sim_min_shares **out, const char *path,
                                            clb_error *err);

/* Release. Accepts NULL. */
CLB_EXTERN void clb_sim_min_shares_free(clb_sim_min_shares *shares);

/*
 * Fairness over seasons for one origin region in one season (docs/PLANNERS.md §4).
 * Shares count distinct workers, as the origin balance index does. The `total_`
 * figures sum the seasons so far (worker-seasons: a worker placed in two seasons
 * counts twice, as does an applicant in two pools).
 */
typedef struct clb_sim_region {
    const char *region;       /* origin region; "" for workers without one */
    long applicants;          /* workers of the season's pool from the region */
    long placed;              /* distinct workers from the region placed */
    long placements;
    double applicant_share;   /* applicants / pool */
    double placed_share;      /* placed / workers placed in the season; NaN if none */
    long total_applicants;    /* sums over seasons 1..this one */
    long total_placed;
    double total_applicant_share;
    double total_placed_share; /* NaN while nobody has been placed */
    double min_share;         /* from the minimum shares; -1 when none is set */
    long min;                 /* the season's soft minimum of workers placed (0: none) */
    long shortfall;           /* max(0, min - placed) */
} clb_sim_region;

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
    const clb_sim_min_shares *min_shares; /* optional (borrowed): per-region minimum
                                             shares, soft quota minimums each season */
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
    long placed_returning;   /* placed workers returning (docs/MODEL.md §3.2) */
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
    /* fairness over seasons (docs/PLANNERS.md §4) */
    double balance_index;       /* the season's origin balance index (NaN: nobody
                                   placed), as `scenario compare` computes it */
    double total_balance_index; /* the same over the seasons so far (worker-seasons) */
    const clb_sim_region *regions; /* per origin region, sorted by region */
    size_t n_regions;
    long share_base;            /* with minimum shares: the workers the season's solve
                                   places without them, the base of the minimums;
                                   -1 without minimum shares */
    bool share_resolved;        /* the minimums were not all met by that plan, and
                                   the season was solved again with them as quotas */
};

typedef struct clb_simulation clb_simulation;

/*
 * Simulate opts->seasons seasons from the scenario document `buf` (`len` bytes;
 * `extends` is resolved relative to `source`). Each season the scenario's dates move
 * one year on, the workers' history is rolled forward from the previous season as
 * docs/DATABASE.md §6 says (every placement is taken as confirmed and departed; the
 * worker returns with the rate of their region), new applicants join (copies of
 * randomly drawn first-season profiles under fresh ids) and the round is solved.
 * The same seed gives the same figures. With opts->min_shares, each season's
 * minimums are the shares of the workers its solve places without them (rounded
 * up); a plan short of one is solved again with them as soft quotas
 * (docs/PLANNERS.md §4). Returns 0, CLB_EINVAL / CLB_EPARSE (the document; diags as
 * for clb_scenario_load_buffer; or a region of min_shares no worker of the first
 * season comes from, err naming the shares' file, line and column), CLB_EINFEASIBLE
 * (a season's pins cannot hold), CLB_ESOLVER or CLB_ENOMEM.
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
 * returned, not_returned, reached, seasons_1..seasons_N, unfilled:<sector>...,
 * balance_index, total_balance_index, then per origin region R: applicants:R,
 * placed:R, applicant_share:R, placed_share:R, total_applicant_share:R,
 * total_placed_share:R; with minimum shares also share_base, share_resolved (0/1)
 * and min:R, shortfall:R).
 * A share or index that is not defined (nobody placed) is an empty cell.
 * Returns 0 or CLB_ENOMEM.
 */
CLB_EXTERN int clb_simulation_render_csv(clb_buf *out, const clb_simulation *sim, clb_error *err);

#ifdef __cplusplus
}
#endif
#endif
