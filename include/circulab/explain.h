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
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Render JSON instead of sentences (the same bit as CLB_STORE_JSON). */
#define CLB_EXPLAIN_JSON 0x100u

/*
 * Explain round `round` of a database (0 = the latest) for one worker or one
 * vacancy (exactly one of `worker`, `vacancy` is non-NULL), from the inputs and plan
 * the round stored. Returns 0, CLB_ENOTFOUND (unknown round, worker or vacancy),
 * CLB_EINVAL (both or neither given), CLB_EDB, CLB_ENOMEM.
 */
CLB_EXTERN int clb_store_explain(clb_buf *out, clb_store *store, long round, const char *worker,
                                 const char *vacancy, unsigned flags, clb_error *err);

/* As clb_store_explain, for a result solved without a database. */
CLB_EXTERN int clb_explain_result(clb_buf *out, const clb_scenario *scenario,
                                  const clb_result *result, const char *worker,
                                  const char *vacancy, unsigned flags, clb_error *err);

#ifdef __cplusplus
}
#endif
#endif
