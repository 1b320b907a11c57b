/*
 * fairness.h - fairness over seasons for `simulate` (docs/PLANNERS.md §4): the
 * minimum shares by origin region, the soft quota minimums they become each season,
 * and the per-region shares of each season and of the seasons so far. Private to
 * engine/plan/ (simulate.c is its one caller).
 */
#ifndef CLB_PLAN_FAIRNESS_H
#define CLB_PLAN_FAIRNESS_H

#include "circulab/simulate.h"
#include "plan/plan_impl.h"

/* One row of a minimum-shares file. */
typedef struct clb__min_share {
    const char *region;
    double share;     /* [0, 1] */
    int line, column; /* of the region cell */
} clb__min_share;

struct clb_sim_min_shares {
    clb_arena arena;  /* the strings and the rows */
    const char *source;
    clb__min_share *rows;
    size_t n;
};

/*
 * The seasons so far, per origin region: `key`, `places` (applicants summed over
 * the seasons' pools), `filled` (workers placed summed over the seasons),
 * `placements`; and the two totals. The rows own their keys.
 */
typedef struct clb__fair_totals {
    clb_kpi_group *rows;
    size_t n, cap;
    long applicants, placed;
} clb__fair_totals;

void clb__fair_totals_dispose(clb__fair_totals *t);

/*
 * Every region of `sh` must have an applicant in the first season's scenario `s`
 * (later pools draw newcomers from its profiles, so no region appears later): a
 * region no worker comes from is a typo, refused at its file, line and column.
 * Returns 0 or CLB_EINVAL.
 */
int clb__fair_check_regions(const clb_sim_min_shares *sh, const clb_scenario *s,
                            clb_error *err);

/* mins[i] = ceil(share_i x base), the season's soft minimum of row i. */
void clb__fair_minima(long *mins, const clb_sim_min_shares *sh, long base);

/* Whether the plan whose figures are `m` places at least mins[i] workers of row i's
 * region, for every row. */
bool clb__fair_met(const clb_sim_min_shares *sh, const long *mins, const clb_kpi_summary *m);

/*
 * The season's document `doc` (`len` bytes of JSON) with one quota per row of `sh`
 * whose minimum is positive appended to its `quotas`: id `SIM-SHARE-<row>`, unit
 * `workers`, where `origin_region` [region], min mins[row]. Written to `out`.
 * Returns 0, CLB_EPARSE or CLB_ENOMEM.
 */
int clb__fair_add_quotas(clb_buf *out, const char *doc, size_t len, const char *source,
                         const clb_sim_min_shares *sh, const long *mins, clb_error *err);

/*
 * The season's fairness figures into `ss` (regions in `arena`): adds the season's
 * origin breakdown `m` to the totals, then per region (every region seen so far and
 * every region of `sh`, sorted) the season's and the running shares, the minimum
 * (mins may be NULL) and its shortfall, and both balance indices.
 * Returns 0 or CLB_ENOMEM.
 */
int clb__fair_season(clb_sim_season *ss, clb_arena *arena, clb__fair_totals *tot,
                     const clb_kpi_summary *m, const clb_sim_min_shares *sh,
                     const long *mins, clb_error *err);

#endif
