/*
 * explain.h - why a worker is unplaced or a vacancy unfilled (docs/CLI.md §7,
 * `explain`).
 *
 * For a worker: each vacancy's failed eligibility rules by reason code (docs/MODEL.md
 * §3.1); for an eligible pair left out of the plan, what held it out: the vacancy was
 * full with higher-valued workers (named, with their values), a quota at its max, housing
 * full, no training seat in time, the stay limit, the worker's other placements, no
 * reintegration seat. For a vacancy: why each candidate could not go. The answer is
 * plain sentences, or one JSON document with CLB_EXPLAIN_JSON.
 */
#ifndef CIRCULAB_EXPLAIN_H
#define CIRCULAB_EXPLAIN_H

#include "common.h"
#include "scenario.h"
#include "result.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Render JSON instead of sentences (the same bit as CLB_STORE_JSON). */
#define CLB_EXPLAIN_JSON 0x100u

/* Why, for a result solved without a database (the store's clb_store_explain, in
 * store.h, answers the same for a stored round). */
CLB_EXTERN int clb_explain_result(clb_buf *out, const clb_scenario *scenario,
                                  const clb_result *result, const char *worker,
                                  const char *vacancy, unsigned flags, clb_error *err);

#ifdef __cplusplus
}
#endif
#endif
