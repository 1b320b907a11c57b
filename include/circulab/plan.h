/*
 * plan.h - tools for planners (docs/CLI.md §7: `scenario compare`, `report`,
 * `simulate`), one header per module: the key figures and marginal values
 * (kpis.h), side-by-side comparisons (compare.h), the HTML report (report.h) and
 * multi-season simulation (simulate.h).
 *
 * This header includes them all, so that a program may include just this one.
 */
#ifndef CIRCULAB_PLAN_H
#define CIRCULAB_PLAN_H

#include "kpis.h"
#include "compare.h"
#include "report.h"
#include "simulate.h"

#endif
