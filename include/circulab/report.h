/*
 * report.h - a self-contained HTML report of the key figures of one or more solved
 * scenarios or rounds (docs/CLI.md §7, `report`), with inline SVG charts.
 */
#ifndef CIRCULAB_REPORT_H
#define CIRCULAB_REPORT_H

#include "common.h"
#include "kpis.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the HTML report --------------------------------------------------------------- */

/*
 * Render one self-contained HTML page (appended to out): no external assets, no
 * scripts; the charts are inline SVG. With n == 1 the page reports one scenario (or
 * round); with n > 1 it compares them (grouped bars, one colour per scenario).
 * `title` may be NULL. Returns 0 or CLB_ENOMEM.
 */
CLB_EXTERN int clb_report_render(clb_buf *out, const clb_kpis *const *kpis, size_t n,
                                 const char *title, clb_error *err);

#ifdef __cplusplus
}
#endif
#endif
