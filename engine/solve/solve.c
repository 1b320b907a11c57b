/*
 * solve.c - a scenario solved: eligibility, pins, the model, column generation, and
 * the explanation of infeasibility.
 *
 * The solve itself is the itinerary master (solve/itinerary.c: one column per worker
 * itinerary, exact pricing, proof by an integer master over every itinerary that could
 * beat the best plan), or on request column generation over the pair model (colgen.c);
 * both run on the LP engine of lp.h. This file only orchestrates them and turns the
 * answer into a plan with an honest status and bound. With pins, the best plan of the
 * pinned workers alone comes first: it decides whether the pins can hold (and explains
 * why not), and gives the itinerary master its pinned workers' first itineraries. When the pins cannot all hold, a deletion filter
 * over the pins and then over the constraints of a model restricted to the pinned
 * pairs finds a small set that cannot hold together, and names it; those models are
 * small and are solved whole.
 */
#include "circulab/solve.h"
#include "solve/colgen.h"
#include "solve/lp.h"
#include "solve/model.h"
#include "result/result_impl.h"
#include "solve/itinerary.h"
#include "solve/stable.h"
#include "scenario/scenario_impl.h"
#include "util/alloc.h"
#include "util/par.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void clb_solve_opts_init(clb_solve_opts *opts)
{
    memset(opts, 0, sizeof(*opts));
}

/* ---- progress ------------------------------------------------------------------- */

typedef struct search {
    const clb_solve_opts *opts;
    double t0;
    double last_report;
    double limit; /* seconds from t0 the search may use (0: no limit): the time limit
                     less what the plan's last check needs (CHECK_RESERVE) */
} search;

/* A model without the workers' own rows checks the plan against them at the end
   (check_own_rows), building them again: about 1.3 times the model's build at M.
   Under a time limit the search leaves this many times the build's seconds for it. */
#define CHECK_RESERVE 1.5

static void report(search *sr, const char *phase, bool has_best, double best,
                   bool has_bound, double bound, bool force)
{
    double now = clb__now_seconds();
    if (!sr->opts || !sr->opts->progress)
        return;
    if (!force && now - sr->last_report < 0.25)
        return;
    sr->last_report = now;
    clb_progress p;
    memset(&p, 0, sizeof(p));
    p.phase = phase;
    p.has_best = has_best;
    p.best = best;
    p.has_bound = has_bound;
    p.bound = bound;
    if (has_best && has_bound) {
        double d = fabs(best) > 1 ? fabs(best) : 1;
        p.gap = (bound - best) / d;
        if (p.gap < 0)
            p.gap = 0;
    }
    p.elapsed = now - sr->t0;
    sr->opts->progress(&p, sr->opts->payload);
}

static void on_colgen_progress(const char *phase, bool has_best, double best,
                               bool has_bound, double bound, bool force, void *payload)
{
    report(payload, phase, has_best, best, has_bound, bound, force);
}

/* ---- the whole model in the LP engine ---------------------------------------------- */

/* Load every row and column of m. relaxed_rows / relaxed_y (may be NULL) free rows
   and vacancy counts, for the infeasibility explanation. */
static int load_full(clb_lp **out, const clb_model *m, const bool *relaxed_rows,
                     const bool *relaxed_y, clb_error *err)
{
    clb_model_cols cols;
    clb_lp *lp = NULL;
    double *lo = clb__malloc((m->nrows + 1) * sizeof(double));
    double *hi = clb__malloc((m->nrows + 1) * sizeof(double));
    double *ub = clb__malloc((m->ncols + 1) * sizeof(double));
    int error = 0;

    *out = NULL;
    memset(&cols, 0, sizeof(cols));
    if (!lo || !hi || !ub || clb__model_columns(&cols, m) < 0) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory loading the model");
        goto done;
    }
    for (size_t i = 0; i < m->nrows; i++) {
        bool free_row = relaxed_rows && relaxed_rows[i];
        lo[i] = free_row || m->rlo[i] <= -CLB_INF ? -CLB_LP_INF : m->rlo[i];
        hi[i] = free_row || m->rhi[i] >= CLB_INF ? CLB_LP_INF : m->rhi[i];
    }
    for (size_t j = 0; j < m->ncols; j++) {
        ub[j] = m->ub[j] >= CLB_INF ? CLB_LP_INF : m->ub[j];
        if (relaxed_y && m->col_kind[j] == CLB_COL_Y && relaxed_y[m->col_a[j]])
            ub[j] = CLB_LP_INF;
    }
    if ((error = clb__lp_new(&lp, err)) < 0 ||
        (error = clb__lp_add_rows(lp, m->nrows, lo, hi, NULL, NULL, NULL, err)) < 0 ||
        (error = clb__lp_add_cols(lp, m->ncols, m->obj, m->lb, ub, m->is_int, cols.start,
                                 cols.row, cols.val, err)) < 0 ||
        (error = clb__lp_set_obj_const(lp, m->obj_const, err)) < 0)
        goto done;
    *out = lp;
    lp = NULL;
done:
    clb__lp_free(lp);
    clb__model_cols_dispose(&cols);
    clb__free(lo);
    clb__free(hi);
    clb__free(ub);
    return error;
}

/*
 * Write the full model as MPS (see clb__lp_write_mps for the conventions), through the
 * one output-file writer: GLPK writes the temporary file, which replaces `path` only
 * once complete (special files and links handled as for every output).
 */
static int write_model_mps(const clb_model *m, const char *path, clb_error *err)
{
    clb_lp *lp = NULL;
    clb_file *file = NULL;
    int error = load_full(&lp, m, NULL, NULL, err);
    if (error == 0)
        error = clb_file_open(&file, path, 0, err);
    if (error == 0) {
        /* GLPK's message would name the temporary file: name the one asked for */
        clb_error lp_err;
        clb_error_init(&lp_err);
        if ((error = clb__lp_write_mps(lp, clb__file_name_for_library(file), &lp_err)) < 0)
            clb__error_set(err, error, "cannot write the model to '%s'", path);
    }
    if (error == 0) {
        error = clb_file_commit(file, err);
        file = NULL;
    }
    clb_file_discard(file);
    clb__lp_free(lp);
    return error;
}

typedef enum { RUN_OPTIMAL, RUN_GAP, RUN_TIME, RUN_INFEASIBLE, RUN_NOPLAN } run_status;

typedef struct run {
    run_status status;
    double *x;     /* column values, when a plan was found */
    double bound;
} run;

/*
 * Solve a small model whole (the pins-only models of the infeasibility explanation
 * and the fallback plan). With feasibility_only, stops at the first plan.
 */
static int run_model(run *out, const clb_model *m, const bool *relaxed_rows,
                     const bool *relaxed_y, bool feasibility_only, double gap,
                     clb_error *err)
{
    clb_lp *lp = NULL;
    clb_lp_status st;
    clb_lp_mip_opts mo;
    int error;

    memset(out, 0, sizeof(*out));
    if ((error = load_full(&lp, m, relaxed_rows, relaxed_y, err)) < 0)
        return error;
    if (feasibility_only && (error = clb__lp_zero_objective(lp, true, err)) < 0)
        goto done;
    if ((error = clb__lp_simplex(lp, false, 0, &st, err)) < 0)
        goto done;
    if (st == CLB_LP_INFEASIBLE) {
        out->status = RUN_INFEASIBLE;
        goto done;
    }
    memset(&mo, 0, sizeof(mo));
    mo.gap = gap;
    if ((error = clb__lp_intopt(lp, &mo, &st, &out->bound, err)) < 0)
        goto done;
    if (st == CLB_LP_INFEASIBLE || st == CLB_LP_TIME_LIMIT) {
        out->status = st == CLB_LP_INFEASIBLE ? RUN_INFEASIBLE : RUN_NOPLAN;
        goto done;
    }
    out->status = st == CLB_LP_OPTIMAL ? RUN_OPTIMAL : RUN_GAP;
    out->x = clb__malloc((m->ncols + 1) * sizeof(double));
    if (!out->x) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }
    clb__lp_mip_values(lp, out->x);
done:
    clb__lp_free(lp);
    return error;
}

static int find_pair(const clb_pairs *pairs, uint32_t w, uint32_t v);

/* ---- infeasibility --------------------------------------------------------------- */

/* A pinned pair and where it came from. */
typedef struct pin_ref {
    uint32_t worker, vacancy;
    bool confirmed; /* a confirmed `previous` entry rather than a pin */
} pin_ref;

/* Build the pairs made of the pins in `use` only. */
static int pins_pairs(clb_pairs *out, const clb_scenario *s, const pin_ref *pins,
                      size_t n, const bool *use)
{
    memset(out, 0, sizeof(*out));
    out->first = clb__calloc(s->n_workers + 1, sizeof(uint32_t));
    out->vac = clb__malloc((n ? n : 1) * sizeof(uint32_t));
    if (!out->first || !out->vac) {
        clb__pairs_dispose(out);
        return CLB_ENOMEM;
    }
    for (uint32_t w = 0; w < s->n_workers; w++) {
        out->first[w] = (uint32_t)out->n;
        /* vacancies ascending, without duplicates */
        int32_t last = -1;
        for (;;) {
            int32_t best = -1;
            for (size_t i = 0; i < n; i++)
                if (use[i] && pins[i].worker == w && (int32_t)pins[i].vacancy > last &&
                    (best < 0 || (int32_t)pins[i].vacancy < best))
                    best = (int32_t)pins[i].vacancy;
            if (best < 0)
                break;
            out->vac[out->n++] = (uint32_t)best;
            last = best;
        }
    }
    out->first[s->n_workers] = (uint32_t)out->n;
    return 0;
}

/* Is the model of the pins in `use` feasible? */
static int pins_feasible(bool *feasible, const clb_scenario *s, const pin_ref *pins,
                         size_t n, const bool *use, clb_error *err)
{
    clb_pairs pp;
    clb_model m;
    bool *pinned = NULL;
    run r;
    int error;

    if ((error = pins_pairs(&pp, s, pins, n, use)) < 0)
        return clb__error_set(err, error, "out of memory");
    pinned = clb__malloc((pp.n ? pp.n : 1) * sizeof(bool));
    if (!pinned) {
        clb__pairs_dispose(&pp);
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    }
    for (size_t p = 0; p < pp.n; p++)
        pinned[p] = true;
    if ((error = clb__model_build(&m, s, &pp, pinned, err)) == 0) {
        error = run_model(&r, &m, NULL, NULL, true, 0, err);
        if (error == 0)
            *feasible = r.status != RUN_INFEASIBLE;
        clb__free(r.x);
        clb__model_dispose(&m);
    }
    clb__free(pinned);
    clb__pairs_dispose(&pp);
    return error;
}

static bool row_can_bind(clb_row_kind k)
{
    switch (k) {
    case CLB_ROW_YDEF:
    case CLB_ROW_QUOTA_MIN:
    case CLB_ROW_QUOTA_LINK_UP:
    case CLB_ROW_QUOTA_LINK_DOWN:
    case CLB_ROW_TRAIN_NEED:
    case CLB_ROW_REINT_WINDOW:
        return false;
    default:
        return true;
    }
}

/*
 * Find a small set of pins and constraints that cannot hold together, and write it
 * into err. Always returns CLB_EINFEASIBLE unless something else failed.
 */
static int explain_infeasible(const clb_scenario *s, const pin_ref *pins, size_t n,
                              clb_error *err)
{
    bool *use = clb__malloc((n ? n : 1) * sizeof(bool));
    bool *relaxed = NULL, *relaxed_y = NULL, feasible = false;
    clb_pairs pp;
    clb_model m;
    clb_buf msg = CLB_BUF_INIT;
    clb_error sub;
    int error = 0;
    bool have_model = false;

    memset(&pp, 0, sizeof(pp));
    clb_error_init(&sub);
    if (!use)
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        use[i] = true;
    /* deletion filter over the pins */
    for (size_t i = 0; i < n; i++) {
        use[i] = false;
        if ((error = pins_feasible(&feasible, s, pins, n, use, &sub)) < 0)
            goto done;
        if (feasible)
            use[i] = true;
    }
    /* then over the constraints of the model of the remaining pins */
    if ((error = pins_pairs(&pp, s, pins, n, use)) < 0)
        goto done;
    {
        bool *pinned = clb__malloc((pp.n ? pp.n : 1) * sizeof(bool));
        if (!pinned) {
            error = CLB_ENOMEM;
            goto done;
        }
        for (size_t p = 0; p < pp.n; p++)
            pinned[p] = true;
        error = clb__model_build(&m, s, &pp, pinned, &sub);
        clb__free(pinned);
        if (error < 0)
            goto done;
        have_model = true;
    }
    relaxed = clb__calloc(m.nrows + 1, sizeof(bool));
    relaxed_y = clb__calloc(s->n_vacancies + 1, sizeof(bool));
    if (!relaxed || !relaxed_y) {
        error = CLB_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < m.nrows; i++)
        if (!row_can_bind((clb_row_kind)m.row_kind[i]))
            continue;
        else {
            run r;
            relaxed[i] = true;
            if ((error = run_model(&r, &m, relaxed, relaxed_y, true, 0, &sub)) < 0)
                goto done;
            clb__free(r.x);
            if (r.status != RUN_INFEASIBLE)
                relaxed[i] = false;
        }
    for (size_t v = 0; v < s->n_vacancies; v++) {
        run r;
        bool touched = false;
        for (size_t p = 0; p < pp.n && !touched; p++)
            touched = pp.vac[p] == v;
        if (!touched)
            continue;
        relaxed_y[v] = true;
        if ((error = run_model(&r, &m, relaxed, relaxed_y, true, 0, &sub)) < 0)
            goto done;
        clb__free(r.x);
        if (r.status != RUN_INFEASIBLE)
            relaxed_y[v] = false;
    }

    /* the message */
    {
        size_t shown = 0;
        int rc = clb__buf_puts(&msg, "infeasible: pins ");
        for (size_t i = 0; i < n; i++) {
            if (!use[i])
                continue;
            rc |= clb__buf_printf(&msg, "%s(%s, %s)%s", shown++ ? ", " : "",
                                 s->workers[pins[i].worker].id,
                                 s->vacancies[pins[i].vacancy].id,
                                 pins[i].confirmed ? " [confirmed]" : "");
        }
        rc |= clb__buf_puts(&msg, " cannot all hold together with: ");
        shown = 0;
        for (size_t v = 0; v < s->n_vacancies; v++) {
            bool touched = false;
            for (size_t p = 0; p < pp.n && !touched; p++)
                touched = pp.vac[p] == v;
            if (!touched || relaxed_y[v])
                continue;
            rc |= clb__buf_printf(&msg, "%svacancy '%s' headcount %d", shown++ ? "; " : "",
                                 s->vacancies[v].id, s->vacancies[v].headcount);
        }
        for (size_t i = 0; i < m.nrows; i++) {
            if (!row_can_bind((clb_row_kind)m.row_kind[i]) || relaxed[i])
                continue;
            rc |= clb__buf_puts(&msg, shown++ ? "; " : "");
            rc |= clb__model_describe_row(&msg, &m, s, i);
        }
        if (shown == 0)
            rc |= clb__buf_puts(&msg, "the programme's limits");
        if (rc) {
            error = CLB_ENOMEM;
            goto done;
        }
    }
done:
    if (error == 0) {
        clb__error_set(err, CLB_EINFEASIBLE, "%s", msg.ptr ? msg.ptr : "infeasible");
        error = CLB_EINFEASIBLE;
    } else if (sub.message[0]) {
        clb__error_set(err, error, "%s", sub.message);
    } else {
        clb__error_set(err, error, "out of memory explaining infeasibility");
    }
    if (have_model)
        clb__model_dispose(&m);
    clb__pairs_dispose(&pp);
    clb_buf_dispose(&msg);
    clb__free(use);
    clb__free(relaxed);
    clb__free(relaxed_y);
    return error;
}


/* An upper bound that needs no solve: every profitable column at its upper bound. */
static double trivial_bound(const clb_model *m)
{
    double b = m->obj_const;
    for (size_t j = 0; j < m->ncols; j++)
        if (m->obj[j] > 0 && m->ub[j] < CLB_INF)
            b += m->obj[j] * m->ub[j];
    return b;
}

/* Read the chosen placements, sessions and programmes of a solution. */
static int read_plan(clb_plan *plan, const clb_model *m, const double *x, clb_error *err)
{
    plan->placements = clb__malloc((m->ncols + 1) * sizeof(clb_plan_item));
    plan->training = clb__malloc((m->ncols + 1) * sizeof(clb_plan_item));
    plan->enrolments = clb__malloc((m->ncols + 1) * sizeof(clb_plan_item));
    if (!plan->placements || !plan->training || !plan->enrolments)
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    for (size_t j = 0; j < m->ncols; j++) {
        if (!x || x[j] < 0.5)
            continue;
        clb_plan_item it = {(uint32_t)m->col_a[j], (uint32_t)m->col_b[j]};
        switch ((clb_col_kind)m->col_kind[j]) {
        case CLB_COL_X: plan->placements[plan->n_placements++] = it; break;
        case CLB_COL_A: plan->training[plan->n_training++] = it; break;
        case CLB_COL_R: plan->enrolments[plan->n_enrolments++] = it; break;
        default: break;
        }
    }
    return 0;
}

/*
 * The best plan of the pinned workers alone (empty without pins): all their eligible
 * pairs, the pins fixed. Whether the pins can hold depends only on these workers'
 * own columns, so this model is feasible exactly when the full one is.
 */
static int fallback_plan(clb_plan *plan, const clb_scenario *s, const clb_pairs *pairs,
                         const bool *pinned, const pin_ref *pins, size_t n_pins,
                         bool stable, clb_error *err);

/* The column of model m for (kind, a, b), or -1 (a linear scan: pins are few). */
static long find_col(const clb_model *m, clb_col_kind kind, int32_t a, int32_t b)
{
    for (size_t j = m->n_x; j < m->ncols; j++)
        if (m->col_kind[j] == kind && m->col_a[j] == a && m->col_b[j] == b)
            return (long)j;
    return -1;
}

/*
 * The pinned workers' best plan (fallback_plan) as values of the full model's columns
 * (*x NULL without pins). CLB_EINFEASIBLE, explained, when the pins cannot hold.
 */
static int pins_plan_values(double **x, const clb_model *m, const clb_scenario *s,
                            const clb_pairs *pairs, const bool *pinned, const pin_ref *pins,
                            size_t n_pins, bool stable, clb_error *err)
{
    clb_plan pp;
    int error;

    *x = NULL;
    if (n_pins == 0)
        return 0;
    memset(&pp, 0, sizeof(pp));
    if ((error = fallback_plan(&pp, s, pairs, pinned, pins, n_pins, stable, err)) < 0) {
        if (stable && error == CLB_EINFEASIBLE) {
            clb_error_init(err); /* no stable plan of the pins alone: start without */
            error = 0;
        }
        goto done;
    }
    *x = clb__calloc(m->ncols + 1, sizeof(double));
    if (!*x) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < pp.n_placements; i++) {
        int p = find_pair(pairs, pp.placements[i].worker, pp.placements[i].other);
        if (p >= 0)
            (*x)[p] = 1;
    }
    for (size_t i = 0; i < pp.n_training; i++) {
        long j = find_col(m, CLB_COL_A, (int32_t)pp.training[i].worker,
                          (int32_t)pp.training[i].other);
        if (j >= 0)
            (*x)[j] = 1;
    }
    for (size_t i = 0; i < pp.n_enrolments; i++) {
        long j = find_col(m, CLB_COL_R, (int32_t)pp.enrolments[i].worker,
                          (int32_t)pp.enrolments[i].other);
        if (j >= 0)
            (*x)[j] = 1;
    }
    for (size_t j = m->n_x; j < m->ncols; j++) {
        if (m->col_kind[j] != CLB_COL_Z)
            continue;
        uint32_t w = (uint32_t)m->col_a[j];
        for (size_t p = pairs->first[w]; p < pairs->first[w + 1]; p++)
            if ((*x)[p] > 0.5 &&
                clb__quota_matches(s, &s->quotas[m->col_b[j]], w, pairs->vac[p]))
                (*x)[j] = 1;
    }
done:
    clb__free(pp.placements);
    clb__free(pp.training);
    clb__free(pp.enrolments);
    return error;
}

/*
 * With `stable`, the plan of the pinned pairs alone: it keeps the rows of no
 * justified envy (solve/stable.h), which a pinned worker's other placements may not.
 * CLB_EINFEASIBLE when it cannot hold (a required programme reached only from another
 * placement); the caller then has no such plan to start from.
 */
static int fallback_plan_of(clb_plan *plan, const clb_scenario *s, const clb_pairs *pairs,
                            const bool *pinned, const pin_ref *pins, size_t n_pins,
                            bool pins_only, clb_error *err);

static int fallback_plan(clb_plan *plan, const clb_scenario *s, const clb_pairs *pairs,
                         const bool *pinned, const pin_ref *pins, size_t n_pins,
                         bool stable, clb_error *err)
{
    return fallback_plan_of(plan, s, pairs, pinned, pins, n_pins, stable, err);
}

static int fallback_plan_of(clb_plan *plan, const clb_scenario *s, const clb_pairs *pairs,
                            const bool *pinned, const pin_ref *pins, size_t n_pins,
                            bool pins_only, clb_error *err)
{
    clb_pairs pp;
    clb_model m;
    run r;
    bool *keep = clb__calloc(s->n_workers + 1, sizeof(bool)), *sub_pinned = NULL;
    int error = 0;
    bool have_model = false;

    memset(&r, 0, sizeof(r));
    memset(&pp, 0, sizeof(pp));
    pp.first = clb__calloc(s->n_workers + 1, sizeof(uint32_t));
    pp.vac = clb__malloc((pairs->n + 1) * sizeof(uint32_t));
    sub_pinned = clb__malloc((pairs->n + 1) * sizeof(bool));
    if (!keep || !pp.first || !pp.vac || !sub_pinned) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }
    for (uint32_t w = 0; w < s->n_workers; w++)
        for (size_t p = pairs->first[w]; p < pairs->first[w + 1]; p++)
            keep[w] |= pinned[p];
    for (uint32_t w = 0; w < s->n_workers; w++) {
        pp.first[w] = (uint32_t)pp.n;
        if (!keep[w])
            continue;
        for (size_t p = pairs->first[w]; p < pairs->first[w + 1]; p++) {
            if (pins_only && !pinned[p])
                continue;
            sub_pinned[pp.n] = pinned[p];
            pp.vac[pp.n++] = pairs->vac[p];
        }
    }
    pp.first[s->n_workers] = (uint32_t)pp.n;
    if ((error = clb__model_build(&m, s, &pp, sub_pinned, err)) < 0)
        goto done;
    have_model = true;
    error = run_model(&r, &m, NULL, NULL, false, 1e-7, err);
    if (error == 0 && r.status == RUN_INFEASIBLE)
        error = explain_infeasible(s, pins, n_pins, err); /* then the full one is not */
    else if (error == 0)
        error = read_plan(plan, &m, r.x, err);
done:
    if (have_model)
        clb__model_dispose(&m);
    clb__free(r.x);
    clb__free(keep);
    clb__free(sub_pinned);
    clb__pairs_dispose(&pp);
    return error;
}

/* ---- whether the pins can hold ------------------------------------------------------ */

int clb_solve_check_pins(const clb_scenario *s, clb_error *err)
{
    pin_ref *pins = clb__malloc((s->n_pins + s->n_previous + 1) * sizeof(*pins));
    bool *use = NULL, feasible = false;
    size_t n = 0;
    int error = 0;

    if (!pins)
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->n_pins; i++) {
        const clb_pair_rec *pr = &s->pins[i];
        if (s->vacancies[pr->vacancy].withdrawn ||
            clb__eligibility_check(s, pr->worker, pr->vacancy) != 0) {
            error = clb__error_set(err, CLB_EINFEASIBLE,
                                  "infeasible: pin (%s, %s) is on a withdrawn vacancy",
                                  s->workers[pr->worker].id, s->vacancies[pr->vacancy].id);
            goto done;
        }
        pins[n++] = (pin_ref){pr->worker, pr->vacancy, false};
    }
    /* confirmed previous entries that are still eligible (the others are conflicts
       of the round, not pins), each pair once */
    for (size_t i = 0; i < s->n_previous; i++) {
        const clb_previous_rec *pv = &s->previous[i];
        bool seen = false;
        if (pv->status != CLB_PREV_CONFIRMED || s->vacancies[pv->vacancy].withdrawn ||
            clb__eligibility_check(s, pv->worker, pv->vacancy) != 0)
            continue;
        for (size_t k = 0; k < n && !seen; k++)
            seen = pins[k].worker == pv->worker && pins[k].vacancy == pv->vacancy;
        if (!seen)
            pins[n++] = (pin_ref){pv->worker, pv->vacancy, true};
    }
    if (n == 0)
        goto done; /* the empty plan holds */
    if (!(use = clb__malloc(n * sizeof(bool)))) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        use[i] = true;
    if ((error = pins_feasible(&feasible, s, pins, n, use, err)) == 0 && !feasible)
        error = explain_infeasible(s, pins, n, err);
done:
    clb__free(use);
    clb__free(pins);
    return error;
}

/* ---- the solve ----------------------------------------------------------------- */

static int find_pair(const clb_pairs *pairs, uint32_t w, uint32_t v)
{
    uint32_t lo = pairs->first[w], hi = pairs->first[w + 1];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (pairs->vac[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < pairs->first[w + 1] && pairs->vac[lo] == v ? (int)lo : -1;
}

/* Pins, and confirmed previous entries that are still eligible, into pinned (per pair)
   and pins; the confirmed entries no longer eligible go to plan->conflicts. */
static int collect_pins(clb_plan *plan, bool *pinned, pin_ref *pins, size_t *n_pins_out,
                        const clb_scenario *s, const clb_pairs *pairs, clb_error *err)
{
    size_t n_pins = 0;

    for (size_t i = 0; i < s->n_pins; i++) {
        const clb_pair_rec *pr = &s->pins[i];
        int p = find_pair(pairs, pr->worker, pr->vacancy);
        if (p < 0)
            return clb__error_set(err, CLB_EINFEASIBLE,
                                  "infeasible: pin (%s, %s) is on a withdrawn vacancy",
                                  s->workers[pr->worker].id, s->vacancies[pr->vacancy].id);
        pinned[p] = true;
        pins[n_pins++] = (pin_ref){pr->worker, pr->vacancy, false};
    }
    for (size_t i = 0; i < s->n_previous; i++) {
        const clb_previous_rec *pv = &s->previous[i];
        if (pv->status != CLB_PREV_CONFIRMED)
            continue;
        int p = find_pair(pairs, pv->worker, pv->vacancy);
        if (p < 0) {
            clb_conflict_rec *c = &plan->conflicts[plan->n_conflicts++];
            c->worker = pv->worker;
            c->vacancy = pv->vacancy;
            c->rules = clb__eligibility_check(s, pv->worker, pv->vacancy);
            c->withdrawn = s->vacancies[pv->vacancy].withdrawn;
            continue;
        }
        if (!pinned[p]) {
            pinned[p] = true;
            pins[n_pins++] = (pin_ref){pv->worker, pv->vacancy, true};
        }
    }
    *n_pins_out = n_pins;
    return 0;
}

/* The pricing threads asked for: opts->threads, or by default the machine's
   processors, at most CLB_SOLVE_AUTO_THREADS (docs/PERFORMANCE.md). */
static unsigned solve_threads(const clb_solve_opts *opts)
{
    unsigned n;
    if (opts->threads > 0)
        return opts->threads;
    n = clb__par_cpus();
    return n < CLB_SOLVE_AUTO_THREADS ? n : CLB_SOLVE_AUTO_THREADS;
}

/* Solve model m by itineraries (the default) or, when asked or beyond the itinerary
   pricing, by the pair model's column generation. */
static int solve_model(clb_cg_result *cg, search *sr, const clb_scenario *s,
                       const clb_model *m, const bool *pinned, const pin_ref *pins,
                       size_t n_pins, const double *start, clb_error *err)
{
    const clb_solve_opts *opts = sr->opts;
    clb_cg_opts co;
    int error;

    memset(&co, 0, sizeof(co));
    co.time_limit = sr->limit;
    co.gap = opts->gap > 0 ? opts->gap : 1e-7;
    co.t0 = sr->t0;
    co.progress = on_colgen_progress;
    co.payload = sr;
    co.threads = solve_threads(opts);
    co.lag_min_workers = CLB_LAG_MIN_WORKERS;
    report(sr, "lp", false, 0, false, 0, true);
    error = 1;
    if (opts->method == CLB_METHOD_ITINERARIES) {
        double *pin_x = NULL;
        if ((error = pins_plan_values(&pin_x, m, s, m->pairs, pinned, pins, n_pins,
                                      opts->stable, err)) < 0)
            return error;
        /* the master needs a plan of the pins to start from; with --stable, when the
           pins alone make none, the pair model is solved instead */
        if (start) {
            /* a start plan that breaks a row is a bug of its maker: go on without */
            clb_error sub;
            clb_error_init(&sub);
            error = clb__itinerary_solve_from(cg, s, m, pinned, pin_x, start, &co, &sub);
            if (error == CLB_EINTERNAL) {
                clb__cg_result_dispose(cg);
                memset(cg, 0, sizeof(*cg));
                start = NULL;
            } else if (error < 0) {
                clb__error_copy(err, &sub);
            }
        }
        if (!start)
            error = n_pins > 0 && !pin_x
                        ? 1
                        : clb__itinerary_solve(cg, s, m, pinned, pin_x, &co, err);
        clb__free(pin_x);
        if (error < 0)
            return error;
    }
    if (error == 1) { /* asked for, or beyond the itinerary pricing */
        clb__cg_result_dispose(cg);
        memset(cg, 0, sizeof(*cg));
        if (!m->linking_only)
            return clb__colgen_solve(cg, m, &co, err);
        /* the pair model needs every row: the same columns, so the same x */
        clb_model whole;
        if ((error = clb__model_build(&whole, s, m->pairs, pinned, err)) < 0)
            return error;
        error = clb__colgen_solve(cg, &whole, &co, err);
        clb__model_dispose(&whole);
        if (error < 0)
            return error;
    }
    return 0;
}

/*
 * A model of linking rows only (clb__model_build_rows) has not checked the plan
 * against the workers' own rows, which the pricing keeps by construction: check the
 * plan x against them here, once, building them one at a time again. A broken row is
 * a bug of the solver, reported as such rather than returned as a plan.
 */
static int check_own_rows(const clb_model *m, const clb_scenario *s, const bool *pinned,
                          const double *x, clb_error *err)
{
    clb_model mc;
    int error;

    if (!m->linking_only || !x)
        return 0;
    if ((error = clb__model_build_rows(&mc, s, m->pairs, pinned, CLB_MODEL_LINKING, x,
                                       err)) < 0)
        return error;
    if (mc.own_broken >= 0) {
        clb_buf what = CLB_BUF_INIT;
        if (clb__model_describe_row(&what, &mc, s, (size_t)mc.own_broken) < 0)
            error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        else
            error = clb__error_set(err, CLB_EINTERNAL,
                                   "internal error: the plan found breaks the model's row "
                                   "\"%s\"", what.ptr ? what.ptr : "");
        clb_buf_dispose(&what);
    }
    clb__model_dispose(&mc);
    return error;
}

/* ---- the second stage: closest to a base plan ---------------------------------------- */

/* Without a time limit the second stage may take this many times the first stage's
   time, and at least STAGE2_FLOOR seconds (docs/MODEL.md, "A second stage"). */
#define STAGE2_FACTOR 2.0
#define STAGE2_FLOOR 5.0

/* Does x keep every row and bound of m, integers integral (to 1e-6)? */
static bool keeps_every_row(const clb_model *m, const double *x)
{
    const double tol = 1e-6;
    for (size_t j = 0; j < m->ncols; j++) {
        if (x[j] < m->lb[j] - tol || (m->ub[j] < CLB_INF && x[j] > m->ub[j] + tol))
            return false;
        if (m->is_int[j] && fabs(x[j] - round(x[j])) > tol)
            return false;
    }
    for (size_t i = 0; i < m->nrows; i++) {
        double act = 0;
        for (size_t e = m->row_start[i]; e < m->row_start[i + 1]; e++)
            act += m->val[e] * x[m->idx[e]];
        double scale = tol * (1 + fabs(act));
        if ((m->rlo[i] > -CLB_INF && act < m->rlo[i] - scale) ||
            (m->rhi[i] < CLB_INF && act > m->rhi[i] + scale))
            return false;
    }
    return true;
}

/*
 * Among the plans of objective z* (that of x1, proven optimal), one that keeps most
 * placements of the base plan: model m's rows, plus the held row "objective >= z* -
 * 1e-9 max(1,|z*|)", maximising the number of base placements kept, solved by
 * itineraries from x1 (which keeps every row, so the search always has a plan). *x2
 * is set (a value per column of m) only when that plan keeps every row, keeps more
 * base placements than x1 and its objective, recomputed on m, equals z* to 1e-9
 * relative; otherwise x1 stands. Remaining ties fall to the solve's fixed order over
 * the records, which is the ids' (scenario/canon.c), so equal inputs give equal plans.
 *
 * Its time is bounded: under a time limit by what remains of it (the whole solve
 * keeps the limit); without one by STAGE2_FACTOR times the first stage's time, at
 * least STAGE2_FLOOR seconds; by opts->second_stage_limit when that is set and
 * smaller. *state says whether it finished.
 */
static int second_stage(double **x2, clb_second_stage *state, search *sr,
                        const clb_scenario *s, const clb_pairs *pairs, const bool *pinned,
                        const clb_model *m, const double *x1, clb_error *err)
{
    const clb_solve_opts *opts = sr->opts;
    bool *keep = NULL;
    int32_t *cols = NULL;
    double *vals = NULL;
    clb_model m2;
    clb_cg_opts co;
    clb_cg_result cg2;
    size_t n_keep = 0, k1 = 0, n = 0;
    bool have_model = false;
    int error = 0;
    double now = clb__now_seconds(), budget;

    *x2 = NULL;
    *state = CLB_SECOND_STAGE_FINISHED;
    memset(&cg2, 0, sizeof(cg2));
    if (!(keep = clb__calloc(pairs->n + 1, sizeof(bool))))
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    for (size_t i = 0; i < opts->n_base_plan; i++) {
        const clb_placement_ref *ref = &opts->base_plan[i];
        int32_t w = ref->worker ? clb__scenario_worker_index(s, ref->worker) : -1;
        int32_t v = ref->vacancy ? clb__scenario_vacancy_index(s, ref->vacancy) : -1;
        int p = w >= 0 && v >= 0 ? find_pair(pairs, (uint32_t)w, (uint32_t)v) : -1;
        if (p >= 0 && !keep[p]) {
            keep[p] = true;
            n_keep++;
            k1 += x1[p] > 0.5;
        }
    }
    if (n_keep == 0 || k1 == n_keep)
        goto done; /* nothing to keep, or all kept already: proven at once */
    if (opts->second_stage_limit > 0)
        budget = opts->second_stage_limit;
    else if (sr->limit > 0)
        budget = sr->limit; /* cut to what remains below */
    else
        budget = fmax(STAGE2_FLOOR, STAGE2_FACTOR * (now - sr->t0));
    if (sr->limit > 0 && sr->limit - (now - sr->t0) < budget)
        budget = sr->limit - (now - sr->t0);
    if (budget <= 0.01) {
        *state = CLB_SECOND_STAGE_STOPPED; /* no time left: the first stage stands */
        goto done;
    }

    report(sr, "second stage", false, 0, false, 0, true);
    double z1 = clb__model_objective(m, x1);
    double tol = 1e-9 * (fabs(z1) > 1 ? fabs(z1) : 1);
    if ((error = clb__model_build_rows(&m2, s, pairs, pinned,
                                       m->linking_only ? CLB_MODEL_LINKING : CLB_MODEL_WHOLE,
                                       NULL, err)) < 0)
        goto done;
    have_model = true;
    if (m2.ncols != m->ncols || m2.nrows > m->nrows) {
        error = clb__error_set(err, CLB_EINTERNAL, "second stage: the model differs");
        goto done;
    }
    /* rows added to m after it was built (a planner's extra rows) hold here too */
    for (size_t i = m2.nrows; i < m->nrows; i++) {
        size_t e0 = m->row_start[i], e1 = m->row_start[i + 1];
        if (clb__model_add_row(&m2, m->row_a[i], m->rlo[i], m->rhi[i], e1 - e0,
                               m->idx + e0, m->val + e0) < 0) {
            error = clb__error_set(err, CLB_ENOMEM, "out of memory");
            goto done;
        }
    }
    cols = clb__malloc((m->ncols + 1) * sizeof(int32_t));
    vals = clb__malloc((m->ncols + 1) * sizeof(double));
    if (!cols || !vals) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t j = 0; j < m->ncols; j++) {
        if (m->obj[j] != 0) {
            cols[n] = (int32_t)j;
            vals[n++] = m->obj[j];
        }
        m2.obj[j] = j < m->n_x && keep[j] ? 1 : 0;
    }
    m2.obj_const = 0;
    if (clb__model_add_row(&m2, -1, z1 - tol - m->obj_const, CLB_INF, n, cols, vals) < 0) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }

    memset(&co, 0, sizeof(co));
    co.time_limit = budget; /* its own clock: the master shares its time out of this */
    co.gap = 1e-7;
    co.t0 = now;
    co.threads = solve_threads(opts);
    error = clb__itinerary_solve_from(&cg2, s, &m2, pinned, NULL, x1, &co, err);
    if (error == 1) { /* beyond the itinerary pricing: the first stage stands */
        *state = CLB_SECOND_STAGE_STOPPED;
        error = 0;
        goto done;
    }
    if (error < 0)
        goto done;
    if (cg2.status != CLB_CG_OPTIMAL)
        *state = CLB_SECOND_STAGE_STOPPED;
    if (!cg2.x)
        goto done;
    {
        double z2 = clb__model_objective(m, cg2.x);
        size_t k2 = 0;
        for (size_t p = 0; p < pairs->n; p++)
            k2 += keep[p] && cg2.x[p] > 0.5;
        if (fabs(z2 - z1) <= tol && k2 > k1 && keeps_every_row(&m2, cg2.x)) {
            *x2 = cg2.x;
            cg2.x = NULL;
        }
    }
done:
    if (have_model)
        clb__model_dispose(&m2);
    clb__cg_result_dispose(&cg2);
    clb__free(keep);
    clb__free(cols);
    clb__free(vals);
    return error;
}

/*
 * Beyond this many non-zeros the rows of no justified envy are not built and the stable
 * start is the answer (status time_limit): the search takes about 800 bytes a non-zero
 * (scenarios/huelva-small.json: 1.8 million, 1.5 GB), and a generated round of 1,000
 * workers and 50 vacancies would need 36 million.
 */
#define STABLE_MAX_NONZEROS 3e6

/*
 * The start of the --stable search: the better by objective of two plans without
 * justified envy, one built by deferred acceptance (clb__stable_da), the other the
 * plain optimum made stable by holders leaving (clb__stable_start, which also runs on
 * the first as a safety net and then changes nothing). *start NULL when neither.
 */
static int stable_start(double **start, double *plain_bound, search *sr,
                        const clb_scenario *s, const clb_model *m, const clb_pairs *pairs,
                        const bool *pinned, const pin_ref *pins, size_t n_pins,
                        clb_error *err)
{
    clb_cg_result cg0;
    double *da = NULL, *da_start = NULL, *scratch = NULL;
    int error;

    *start = NULL;
    memset(&cg0, 0, sizeof(cg0));
    if ((error = clb__stable_da(&da, m, s, pairs, pinned,
                                sr->opts->time_limit > 0 ? sr->t0 + sr->opts->time_limit
                                                         : 0,
                                err)) < 0)
        goto done;
    if (da && (error = clb__stable_start(&da_start, m, s, pairs, pinned, da, err)) < 0)
        goto done;
    error = solve_model(&cg0, sr, s, m, pinned, pins, n_pins, NULL, err);
    *plain_bound = cg0.has_bound ? cg0.bound : trivial_bound(m);
    if (error == 0 && cg0.x && cg0.status != CLB_CG_INFEASIBLE &&
        cg0.status != CLB_CG_NOPLAN)
        error = clb__stable_start(start, m, s, pairs, pinned, cg0.x, err);
    if (error < 0)
        goto done;
    if (da_start && *start) {
        if (!(scratch = clb__malloc((m->ncols + 1) * sizeof(double)))) {
            error = clb__error_set(err, CLB_ENOMEM, "out of memory");
            goto done;
        }
        if (clb__stable_objective(m, s, da_start, scratch) <
            clb__stable_objective(m, s, *start, scratch))
            goto done;
    }
    if (da_start) {
        clb__free(*start);
        *start = da_start;
        da_start = NULL;
    }
done:
    clb__cg_result_dispose(&cg0);
    clb__free(da);
    clb__free(da_start);
    clb__free(scratch);
    return error;
}

int clb_solve(clb_result **out, const clb_scenario *s, const clb_solve_opts *opts,
              clb_error *err)
{
    clb_solve_opts defaults;
    clb_pairs pairs;
    clb_model m;
    clb_plan plan;
    bool *pinned = NULL;
    pin_ref *pins = NULL;
    size_t n_pins = 0;
    run r;
    search sr;
    clb_cg_result cg;
    double *start = NULL; /* with --stable: a stable plan to start from */
    double plain_bound = 0; /* with --stable: the bound of the plain model */
    bool stable_too_big = false; /* with --stable: the rows would not fit in memory */
    clb_model_rows rows;
    int error = 0;
    bool have_model = false;

    *out = NULL;
    memset(&pairs, 0, sizeof(pairs));
    memset(&plan, 0, sizeof(plan));
    memset(&r, 0, sizeof(r));
    memset(&cg, 0, sizeof(cg));
    if (!opts) {
        clb_solve_opts_init(&defaults);
        opts = &defaults;
    }
    memset(&sr, 0, sizeof(sr));
    sr.opts = opts;
    sr.t0 = clb__now_seconds();

    report(&sr, "eligibility", false, 0, false, 0, true);
    if ((error = clb__pairs_build(&pairs, s, err)) < 0)
        goto done;
    plan.stats.eligibility_seconds = clb__now_seconds() - sr.t0;

    /* pins, and confirmed previous entries that are still eligible */
    pinned = clb__calloc(pairs.n + 1, sizeof(bool));
    pins = clb__malloc((s->n_pins + s->n_previous + 1) * sizeof(*pins));
    plan.conflicts = clb__malloc((s->n_previous + 1) * sizeof(*plan.conflicts));
    if (!pinned || !pins || !plan.conflicts) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }
    if ((error = collect_pins(&plan, pinned, pins, &n_pins, s, &pairs, err)) < 0)
        goto done;

    report(&sr, "model", false, 0, false, 0, true);
    /* the itinerary master reads the linking rows only; the pair model, its MPS and
       the rows of no envy need them all */
    rows = opts->method == CLB_METHOD_ITINERARIES && !opts->stable && !opts->write_mps
               ? CLB_MODEL_LINKING
               : CLB_MODEL_WHOLE;
    if ((error = clb__model_build_rows(&m, s, &pairs, pinned, rows, NULL, err)) < 0)
        goto done;
    have_model = true;
    sr.limit = opts->time_limit;
    if (sr.limit > 0 && m.linking_only) {
        double now = clb__now_seconds(), built = now - sr.t0 - plan.stats.eligibility_seconds;
        sr.limit = fmax(sr.limit - CHECK_RESERVE * built, now - sr.t0 + 0.001);
    }
    if (opts->stable) {
        double nnz;
        if ((error = clb__stable_rows_nnz(&nnz, s, &pairs, pinned)) < 0) {
            error = clb__error_set(err, CLB_ENOMEM, "out of memory");
            goto done;
        }
        stable_too_big = nnz > STABLE_MAX_NONZEROS;
    }
    if (opts->stable && (opts->method == CLB_METHOD_ITINERARIES || stable_too_big) &&
        (error = stable_start(&start, &plain_bound, &sr, s, &m, &pairs, pinned, pins,
                              n_pins, err)) < 0)
        goto done;
    if (opts->stable && !stable_too_big &&
        (error = clb__stable_rows(&m, s, &pairs, pinned, err)) < 0)
        goto done;
    plan.stats.model_seconds = clb__now_seconds() - sr.t0 - plan.stats.eligibility_seconds;

    if (opts->write_mps && (error = write_model_mps(&m, opts->write_mps, err)) < 0)
        goto done;
    if (stable_too_big) {
        /* the rows of no envy would not fit in memory: the stable start is the plan,
           the plain optimum's bound the bound (docs/MODEL.md, "Stability") */
        cg.status = start ? CLB_CG_TIME : CLB_CG_NOPLAN;
        cg.x = start;
        start = NULL;
        cg.has_bound = true;
        cg.bound = plain_bound;
    } else if ((error = solve_model(&cg, &sr, s, &m, pinned, pins, n_pins, start, err)) < 0) {
        goto done;
    }
    if (opts->stable &&
        (cg.status == CLB_CG_INFEASIBLE ||
         (cg.status == CLB_CG_NOPLAN && opts->time_limit <= 0 && n_pins > 0 &&
          !stable_too_big))) {
        /* without a time limit, no plan is a proof that there is none (without pins
           the empty plan is one) */
        error = clb__error_set(err, CLB_EINFEASIBLE,
                               "infeasible: the pins cannot all hold in a plan without "
                               "justified envy (--stable)");
        goto done;
    }
    if (cg.status == CLB_CG_INFEASIBLE) {
        error = explain_infeasible(s, pins, n_pins, err);
        goto done;
    }
    /* the second stage: among the optimal plans, the one closest to the base plan */
    if (cg.status == CLB_CG_OPTIMAL && cg.x && opts->n_base_plan > 0 &&
        opts->method == CLB_METHOD_ITINERARIES) {
        double *x2 = NULL, t2 = clb__now_seconds();
        if ((error = second_stage(&x2, &plan.stats.second_stage, &sr, s, &pairs, pinned,
                                  &m, cg.x, err)) < 0)
            goto done;
        plan.stats.second_stage_seconds = clb__now_seconds() - t2;
        if (x2) {
            clb__free(cg.x);
            cg.x = x2;
        }
    }
    r.status = cg.status == CLB_CG_OPTIMAL ? RUN_OPTIMAL
               : cg.status == CLB_CG_GAP   ? RUN_GAP
                                           : RUN_TIME;
    r.bound = cg.has_bound ? cg.bound : trivial_bound(&m);
    if (cg.status == CLB_CG_NOPLAN) {
        /* The time limit came before any plan. Without pins the empty plan holds;
           with pins, the best plan of the pinned workers alone (a small model) does. */
        if ((error = fallback_plan(&plan, s, &pairs, pinned, pins, n_pins, opts->stable,
                                   err)) < 0) {
            if (opts->stable && error == CLB_EINFEASIBLE)
                error = clb__error_set(err, CLB_ESOLVER,
                                       "no plan without justified envy found within the "
                                       "time limit (--stable)");
            goto done;
        }
    } else if ((error = check_own_rows(&m, s, pinned, cg.x, err)) < 0 ||
               (error = read_plan(&plan, &m, cg.x, err)) < 0) {
        goto done;
    }
    plan.status = r.status == RUN_OPTIMAL ? CLB_STATUS_OPTIMAL
                  : r.status == RUN_GAP   ? CLB_STATUS_GAP_LIMIT
                                          : CLB_STATUS_TIME_LIMIT;
    plan.bound = r.bound;
    plan.stats.workers = s->n_workers;
    plan.stats.vacancies = s->n_vacancies;
    plan.stats.eligible_pairs = pairs.n;
    plan.stats.rows = clb__model_whole_rows(&m);
    plan.stats.columns = m.ncols;
    plan.stats.seconds = clb__now_seconds() - sr.t0;
    plan.stats.lp_seconds = cg.lp_seconds;
    plan.stats.mip_seconds = cg.mip_seconds;
    plan.stats.pricing_rounds = cg.rounds;
    plan.stats.master_rows = cg.master_rows;
    plan.stats.master_columns = cg.master_cols;
    plan.stats.branch_nodes = cg.nodes;
    report(&sr, "check", false, 0, false, 0, true);
    error = clb__result_new(out, s, &pairs, &plan, err);
done:
    if (have_model)
        clb__model_dispose(&m);
    clb__pairs_dispose(&pairs);
    clb__cg_result_dispose(&cg);
    clb__free(r.x);
    clb__free(start);
    clb__free(pinned);
    clb__free(pins);
    clb__free(plan.placements);
    clb__free(plan.training);
    clb__free(plan.enrolments);
    clb__free(plan.conflicts);
    return error;
}
