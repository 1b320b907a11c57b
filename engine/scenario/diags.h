/*
 * diags.h - adding to a diagnostics list (the list itself is public: common.h).
 *
 * Validating readers (scenarios, offers, CSV imports) report every breach they find
 * rather than stopping at the first, so that a planner fixes a document in one pass.
 * Each diagnostic copies its strings into the list's own arena.
 */
#ifndef CLB_DIAGS_H
#define CLB_DIAGS_H

#include "circulab/common.h"

/*
 * Append a diagnostic. `source`, `path` and `rule` may be NULL (stored as ""); the
 * message is formatted from fmt. line/column are 1-based, 0 when unknown.
 * Returns 0 or CLB_ENOMEM.
 */
int clb__diags_add(clb_diags *diags, const char *source, const char *path,
                  const char *rule, int line, int column, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/*
 * The error of a document that broke the rules: CLB_EINVAL with the message, JSON
 * path, source, line and column of the first diagnostic added since `base` (the
 * list's count before the reading began) and a count of the others ("... (and 3 more
 * errors)"). The whole record goes into err when err has no message yet (innermost
 * wins). Returns CLB_EINVAL; there must be a diagnostic after `base`.
 */
int clb__diags_fail(clb_error *err, const clb_diags *diags, size_t base);

#endif
