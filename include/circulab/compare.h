/*
 * compare.h - the key figures of several scenarios side by side (docs/CLI.md §7,
 * `scenario compare`), as aligned text, CSV or JSON.
 */
#ifndef CIRCULAB_COMPARE_H
#define CIRCULAB_COMPARE_H

#include "common.h"
#include "kpis.h"

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif
#endif
