/*
 * stability.h - the stability report of a plan: its blocking pairs (docs/MODEL.md,
 * "Stability").
 *
 * A blocking pair is an eligible worker w and vacancy v, not matched together, where
 * w strictly prefers v (pref, docs/MODEL.md §3.2) to the lowest-ranked of its
 * placements (an unplaced worker prefers every eligible vacancy; equal pref is no
 * preference), and either v holds a worker of strictly lower value for v (the value
 * of the pair, §3.7: type envy) or v has fewer placements than its headcount (type
 * waste). Each pair says whether another hard limit holds the move (w takes v,
 * giving up placements it ranks below v; for envy, v's lowest-value holder leaves)
 * and which. The report is data; the command line lays it out.
 */
#ifndef CIRCULAB_STABILITY_H
#define CIRCULAB_STABILITY_H

#include "common.h"
#include "scenario.h"
#include "result.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct clb_stability clb_stability;

/* The type of a blocking pair. */
typedef enum {
    CLB_BLOCKING_ENVY, /* v holds a worker of strictly lower value for v */
    CLB_BLOCKING_WASTE /* v has a free place (and no holder of lower value) */
} clb_blocking_type;

/* "envy" or "waste". */
CLB_EXTERN const char *clb_blocking_type_name(clb_blocking_type type);

/* The hard limits that can hold a move (bits of clb_blocking_pair.limits). */
#define CLB_HOLD_OVERLAP        0x001u /* a placement w keeps overlaps v (or min_gap_days) */
#define CLB_HOLD_STAY           0x002u /* max_stay_days */
#define CLB_HOLD_MAX_PLACEMENTS 0x004u /* policy max_placements */
#define CLB_HOLD_NAMED          0x008u /* v's free places are held for named workers */
#define CLB_HOLD_QUOTA          0x010u /* a quota at its max */
#define CLB_HOLD_BEDS           0x020u /* the site's beds */
#define CLB_HOLD_TRAINING       0x040u /* no training seat in time */
#define CLB_HOLD_REINTEGRATION  0x080u /* required reintegration: no programme seat */
#define CLB_HOLD_PIN            0x100u /* every lower-valued holder of v is pinned */
#define CLB_HOLD_COUNT          9

/* The name of one CLB_HOLD_* bit ("overlap", "stay", "max_placements", "hold_named",
   "quota", "beds", "training_seats", "reintegration", "pin"); "" for another value. */
CLB_EXTERN const char *clb_hold_name(unsigned bit);

/* One blocking pair. Strings live as long as the report. */
typedef struct clb_blocking_pair {
    const char *worker;
    const char *vacancy;
    clb_blocking_type type;
    double pref;            /* pref(w, v) */
    bool placed;            /* w has placements */
    const char *lowest;     /* w's lowest-ranked placement (vacancy id), NULL unplaced */
    double lowest_pref;     /* its pref; 0 when unplaced */
    double value;           /* the value of (w, v), docs/MODEL.md §3.7 */
    int free_places;        /* v's headcount minus its placements */
    const char *displaces;  /* envy: the holder who leaves in the move (the lowest-value
                               one not pinned); NULL for waste or when all are pinned */
    double displaced_value; /* that holder's value for v */
    bool held_by_limit;     /* no move keeps every hard limit */
    unsigned limits;        /* CLB_HOLD_* bits, when held */
    const char *message;    /* the limits that hold it, in words; "" when not held */
} clb_blocking_pair;

typedef struct clb_stability_info {
    const clb_blocking_pair *pairs; /* sorted by worker id, then vacancy id */
    size_t n_pairs;
    size_t n_envy, n_envy_held;     /* envy pairs, and those a limit holds */
    size_t n_waste, n_waste_held;
} clb_stability_info;

/*
 * The blocking pairs of a solved result of scenario s.
 * Returns 0, CLB_EINTERNAL (the result names a record the scenario lacks) or
 * CLB_ENOMEM. Release *out with clb_stability_free.
 */
CLB_EXTERN int clb_stability_from_result(clb_stability **out, const clb_scenario *scenario,
                                         const clb_result *result, clb_error *err);

/*
 * The blocking pairs of a result document (circulab-result/1, `len` bytes; `source`
 * names it in errors) read against its scenario. Returns 0, CLB_EPARSE, CLB_EINVAL
 * (not a result document, or it names a record the scenario lacks; err->path is the
 * JSON path) or CLB_ENOMEM.
 */
CLB_EXTERN int clb_stability_from_document(clb_stability **out,
                                           const clb_scenario *scenario, const char *buf,
                                           size_t len, const char *source,
                                           clb_error *err);

/* The report (borrowed; lives as long as it). */
CLB_EXTERN const clb_stability_info *clb_stability_get(const clb_stability *stability);

/* Release a report. Accepts NULL. */
CLB_EXTERN void clb_stability_free(clb_stability *stability);

#ifdef __cplusplus
}
#endif
#endif
