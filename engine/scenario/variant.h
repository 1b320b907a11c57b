/*
 * variant.h - scenario variants: a document that `extends` another and lists
 * `changes`, merged at the JSON level into a complete circulab-scenario/1 document.
 *
 * A planner's question ("what if the MA-05 quota rises 10 %?") is ten lines:
 *
 *     { "extends": "../huelva-small.json", "name": "ma05-plus-10",
 *       "changes": { "quotas": { "Q-MA05-PRIORITY": { "min": "+10%" } } } }
 *
 * The merge produces document text that the one scenario reader then loads, so a
 * variant is validated exactly like a hand-written scenario, and its errors name the
 * variant file (with JSON paths of the merged document, or of `changes` when a change
 * itself is wrong). docs/PLANNERS.md documents the `changes` object.
 */
#ifndef CLB_VARIANT_H
#define CLB_VARIANT_H

#include "circulab/common.h"
#include "io/json.h"

/* How many `extends` may chain before the reader suspects a cycle. */
#define CLB_VARIANT_MAX_DEPTH 8

/* Is root a variant (an object with an "extends" member)? */
bool clb__variant_is(const clb_json *root);

/*
 * Merge a parsed variant document into the full scenario text.
 *
 * out:    receives the merged document (appended), without `extends` and `changes`
 * root:   the parsed variant (an object with "extends")
 * source: the variant's file; `extends` is relative to its directory (NULL: to the
 *         working directory)
 * diags:  optional; every problem, with the variant file as source and its JSON path
 * Returns 0, CLB_EINVAL (a bad `changes`, an unreadable or invalid base; all in
 * diags, the first in err), or CLB_ENOMEM.
 *
 * The loader (rules/load.c, clb_scenario_load_buffer) calls it when the parsed root
 * is a variant, and loads the merged text under the same source.
 */
int clb__variant_merge(clb_buf *out, const clb_json *root, const char *source,
                      clb_diags *diags, clb_error *err);

/*
 * The scenario text of a document: the merged text when it is a variant, otherwise
 * the text itself (copied). For modules that edit scenarios at the JSON level
 * (simulate.c). Returns 0, CLB_EPARSE, CLB_EINVAL or CLB_ENOMEM.
 */
int clb__variant_resolve(clb_buf *out, const char *buf, size_t len, const char *source,
                        clb_diags *diags, clb_error *err);

#endif
