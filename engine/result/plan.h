/*
 * plan.h (engine) - a plan as index pairs: the one form in which a plan travels
 * between the modules that reason about it.
 *
 * The solver fills one and hands it to the result; the key figures and `explain`
 * read one, whether it came from a fresh result, a result document read back from a
 * file or a round stored in the database. A plan is the minimum they need (who is
 * placed where, who attends which session, who enrols in which programme, and the
 * figures of the solve that found it), so that every source goes through the same
 * computation.
 */
#ifndef CLB_RESULT_PLAN_H
#define CLB_RESULT_PLAN_H

#include "circulab/result.h"
#include "scenario/scenario_impl.h"

typedef struct clb_plan_item {
    uint32_t worker;
    uint32_t other; /* vacancy, session or programme index */
} clb_plan_item;

/* A confirmed `previous` entry that could not be pinned. */
typedef struct clb_conflict_rec {
    uint32_t worker, vacancy;
    unsigned rules;  /* failed eligibility rules; 0 with withdrawn */
    bool withdrawn;  /* the vacancy was withdrawn */
} clb_conflict_rec;

/*
 * A plan of one scenario. The arrays are allocated with clb__malloc; whoever fills
 * them releases them (clb__plan_dispose). `objective` and `gap` are the figures of
 * the solve as reported (a result recomputes its own from the pairs); `conflicts`
 * only the solver fills.
 */
typedef struct clb_plan {
    clb_plan_item *placements; size_t n_placements;
    clb_plan_item *training;   size_t n_training;
    clb_plan_item *enrolments; size_t n_enrolments;
    clb_conflict_rec *conflicts; size_t n_conflicts;
    clb_status status;
    double objective;
    double bound;        /* proven bound on the objective */
    double gap;
    clb_result_stats stats;
} clb_plan;

/*
 * The plan of a result, as index pairs of scenario s (the scenario it was solved
 * from, or one with the same records). Returns 0, CLB_ENOMEM or CLB_EINTERNAL (a
 * result that names a record the scenario lacks).
 */
int clb__plan_from_result(clb_plan *out, const clb_scenario *s, const clb_result *r,
                          clb_error *err);

/*
 * The plan of a result document (circulab-result/1, `len` bytes of `buf`; `source`
 * names it in errors) against scenario s: its placements, training and
 * reintegration, status and figures. Returns 0, CLB_EPARSE (not JSON), CLB_EINVAL
 * (not a result document, or it names a record the scenario lacks; err->path is the
 * JSON path) or CLB_ENOMEM.
 */
int clb__plan_from_document(clb_plan *out, const clb_scenario *s, const char *buf,
                            size_t len, const char *source, clb_error *err);

/* Release the arrays and clear the plan. */
void clb__plan_dispose(clb_plan *p);

#endif
