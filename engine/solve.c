/*
 * solve.c - solving the model with GLPK, and explaining infeasibility.
 *
 * This is the only file that includes glpk.h. GLPK aborts the process on misuse and
 * prints to the terminal, so every call runs under an error hook that jumps back
 * here, and its output goes through a term hook that swallows it. The solve is the
 * primal simplex on the LP relaxation (nearly integral for this model), then
 * branch-and-bound from that basis. When the pins cannot all hold, a deletion filter
 * over the pins and then over the constraints of a model restricted to the pinned
 * pairs finds a small set that cannot hold together, and names it.
 */
#include "circulab/solve.h"
#include "model.h"
#include "result_impl.h"

#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void clb_solve_opts_init(clb_solve_opts *opts)
{
    memset(opts, 0, sizeof(*opts));
}

/* ---- guarded GLPK ---------------------------------------------------------------- */

typedef struct guard {
    jmp_buf jump;
} guard;

static void on_glpk_error(void *info)
{
    longjmp(((guard *)info)->jump, 1);
}

static int on_glpk_output(void *info, const char *s)
{
    (void)info;
    (void)s;
    return 1; /* swallowed: the engine never prints */
}

typedef struct search {
    const clb_solve_opts *opts;
    double t0;
    double last_report;
    double bound;
    bool has_bound;
} search;

static void report(search *sr, const char *phase, bool has_best, double best,
                   bool force)
{
    double now = clb_now_seconds();
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
    p.has_bound = sr->has_bound;
    p.bound = sr->bound;
    if (has_best && sr->has_bound) {
        double d = fabs(best) > 1 ? fabs(best) : 1;
        p.gap = (sr->bound - best) / d;
        if (p.gap < 0)
            p.gap = 0;
    }
    p.elapsed = now - sr->t0;
    sr->opts->progress(&p, sr->opts->payload);
}

static void on_mip_event(glp_tree *tree, void *info)
{
    search *sr = info;
    int reason = glp_ios_reason(tree);
    if (reason != GLP_ISELECT && reason != GLP_IBINGO)
        return;
    int node = glp_ios_best_node(tree);
    if (node) {
        double b = glp_ios_node_bound(tree, node);
        if (!sr->has_bound || b < sr->bound) {
            sr->bound = b;
            sr->has_bound = true;
        }
    }
    glp_prob *lp = glp_ios_get_prob(tree);
    bool has_best = glp_mip_status(lp) == GLP_FEAS || glp_mip_status(lp) == GLP_OPT;
    report(sr, "mip", has_best, has_best ? glp_mip_obj_val(lp) : 0, reason == GLP_IBINGO);
}

/* Load the model into a new GLPK problem. relaxed_rows / relaxed_y may be NULL. */
static glp_prob *load_problem(const clb_model *m, const bool *relaxed_rows,
                              const bool *relaxed_y, bool zero_objective)
{
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MAX);
    if (m->nrows)
        glp_add_rows(lp, (int)m->nrows);
    if (m->ncols)
        glp_add_cols(lp, (int)m->ncols);
    for (size_t i = 0; i < m->nrows; i++) {
        double lo = m->rlo[i], hi = m->rhi[i];
        int type;
        if (relaxed_rows && relaxed_rows[i])
            type = GLP_FR;
        else if (lo <= -CLB_INF && hi >= CLB_INF)
            type = GLP_FR;
        else if (lo <= -CLB_INF)
            type = GLP_UP;
        else if (hi >= CLB_INF)
            type = GLP_LO;
        else if (lo == hi)
            type = GLP_FX;
        else
            type = GLP_DB;
        glp_set_row_bnds(lp, (int)i + 1, type, lo <= -CLB_INF ? 0 : lo,
                         hi >= CLB_INF ? 0 : hi);
    }
    for (size_t j = 0; j < m->ncols; j++) {
        double lb = m->lb[j], ub = m->ub[j];
        if (relaxed_y && m->col_kind[j] == CLB_COL_Y && relaxed_y[m->col_a[j]])
            ub = CLB_INF;
        if (m->is_int[j])
            glp_set_col_kind(lp, (int)j + 1, GLP_IV);
        if (ub >= CLB_INF)
            glp_set_col_bnds(lp, (int)j + 1, GLP_LO, lb, 0);
        else if (lb == ub)
            glp_set_col_bnds(lp, (int)j + 1, GLP_FX, lb, ub);
        else
            glp_set_col_bnds(lp, (int)j + 1, GLP_DB, lb, ub);
        glp_set_obj_coef(lp, (int)j + 1, zero_objective ? 0 : m->obj[j]);
    }
    glp_set_obj_coef(lp, 0, zero_objective ? 0 : m->obj_const);
    if (m->nnz) {
        int *ia = malloc((m->nnz + 1) * sizeof(int));
        int *ja = malloc((m->nnz + 1) * sizeof(int));
        double *ar = malloc((m->nnz + 1) * sizeof(double));
        if (!ia || !ja || !ar) {
            free(ia);
            free(ja);
            free(ar);
            glp_delete_prob(lp);
            return NULL;
        }
        size_t k = 1;
        for (size_t i = 0; i < m->nrows; i++)
            for (size_t e = m->row_start[i]; e < m->row_start[i + 1]; e++, k++) {
                ia[k] = (int)i + 1;
                ja[k] = m->idx[e] + 1;
                ar[k] = m->val[e];
            }
        glp_load_matrix(lp, (int)m->nnz, ia, ja, ar);
        free(ia);
        free(ja);
        free(ar);
    }
    return lp;
}

typedef enum { RUN_OPTIMAL, RUN_GAP, RUN_TIME, RUN_INFEASIBLE, RUN_NOPLAN } run_status;

typedef struct run {
    run_status status;
    double *x;     /* column values, when a plan was found */
    double bound;
} run;

/* Write the model as MPS, as a minimisation of the negated objective (MPS files
   carry no objective sense, and readers assume minimisation). */
static int write_mps(glp_prob *lp, const clb_model *m, const char *path, clb_error *err)
{
    /* Readers disagree on the sign of an objective constant written as the objective
       row's right-hand side; a column fixed at 1 carries it unambiguously. */
    int one = glp_add_cols(lp, 1);
    glp_set_col_name(lp, one, "OBJCONST");
    glp_set_col_bnds(lp, one, GLP_FX, 1, 1);
    glp_set_obj_dir(lp, GLP_MIN);
    for (size_t j = 0; j < m->ncols; j++)
        glp_set_obj_coef(lp, (int)j + 1, -m->obj[j]);
    glp_set_obj_coef(lp, one, -m->obj_const);
    glp_set_obj_coef(lp, 0, 0);
    int rc = glp_write_mps(lp, GLP_MPS_FILE, NULL, path);
    int del[2] = {0, one};
    glp_del_cols(lp, 1, del);
    glp_set_obj_dir(lp, GLP_MAX);
    for (size_t j = 0; j < m->ncols; j++)
        glp_set_obj_coef(lp, (int)j + 1, m->obj[j]);
    glp_set_obj_coef(lp, 0, m->obj_const);
    if (rc != 0)
        return clb_error_set(err, CLB_EIO, "cannot write the model to '%s'", path);
    return 0;
}

/*
 * Solve a model. With feasibility_only, stops at the first plan. time_limit <= 0
 * means none.
 */
static int run_model(run *out, const clb_model *m, const bool *relaxed_rows,
                     const bool *relaxed_y, bool feasibility_only, search *sr,
                     double time_limit, double gap, const char *mps_path, clb_error *err)
{
    guard g;
    glp_prob *volatile lp = NULL;
    volatile int error = 0; /* volatile: set between setjmp and a possible longjmp */

    memset(out, 0, sizeof(*out));
    glp_term_out(GLP_OFF);
    glp_term_hook(on_glpk_output, NULL);
    glp_error_hook(on_glpk_error, &g);
    if (setjmp(g.jump)) {
        /* GLPK hit an internal error: its state is unusable, free it whole. */
        glp_error_hook(NULL, NULL);
        glp_free_env();
        free(out->x);
        out->x = NULL;
        return clb_error_set(err, CLB_ESOLVER, "the solver failed (GLPK internal error)");
    }
    lp = load_problem(m, relaxed_rows, relaxed_y, feasibility_only);
    if (!lp) {
        error = clb_error_set(err, CLB_ENOMEM, "out of memory loading the model");
        goto done;
    }
    if (mps_path && (error = write_mps(lp, m, mps_path, err)) < 0)
        goto done;

    double t_start = clb_now_seconds();
    glp_smcp smcp;
    glp_init_smcp(&smcp);
    smcp.msg_lev = GLP_MSG_OFF;
    smcp.meth = GLP_PRIMAL;
    if (time_limit > 0)
        smcp.tm_lim = (int)(time_limit * 1000);
    if (sr)
        report(sr, "lp", false, 0, true);
    int rc = m->ncols ? glp_simplex(lp, &smcp) : 0;
    if (rc == GLP_ETMLIM) {
        out->status = RUN_NOPLAN;
        goto done;
    }
    if (rc != 0 && rc != GLP_ENOPFS && rc != GLP_ENODFS) {
        /* numerical trouble: retry from a fresh basis with the dual simplex */
        glp_adv_basis(lp, 0);
        smcp.meth = GLP_DUALP;
        rc = glp_simplex(lp, &smcp);
    }
    if (rc == GLP_ENOPFS || (m->ncols && glp_get_status(lp) == GLP_NOFEAS)) {
        out->status = RUN_INFEASIBLE;
        goto done;
    }
    if (rc != 0 || (m->ncols && glp_get_status(lp) != GLP_OPT)) {
        error = clb_error_set(err, CLB_ESOLVER, "the LP relaxation could not be solved "
                              "(GLPK code %d)", rc);
        goto done;
    }
    if (sr) {
        sr->bound = m->ncols ? glp_get_obj_val(lp) : 0;
        sr->has_bound = true;
        report(sr, "mip", false, 0, true);
    }

    glp_iocp iocp;
    glp_init_iocp(&iocp);
    iocp.msg_lev = GLP_MSG_OFF;
    iocp.presolve = GLP_OFF;
    iocp.mip_gap = gap;
    iocp.clq_cuts = GLP_ON;
    iocp.gmi_cuts = GLP_OFF; /* tableau rows are too dear on models this size */
    iocp.binarize = GLP_OFF;
    if (time_limit > 0) {
        double left = time_limit - (clb_now_seconds() - t_start);
        iocp.tm_lim = left > 0.001 ? (int)(left * 1000) : 1;
    }
    if (sr) {
        iocp.cb_func = on_mip_event;
        iocp.cb_info = sr;
    }
    rc = m->ncols ? glp_intopt(lp, &iocp) : 0;
    int mst = m->ncols ? glp_mip_status(lp) : GLP_OPT;
    if (rc == GLP_ENOPFS || mst == GLP_NOFEAS) {
        out->status = RUN_INFEASIBLE;
        goto done;
    }
    if (rc != 0 && rc != GLP_ETMLIM && rc != GLP_EMIPGAP && rc != GLP_ESTOP) {
        error = clb_error_set(err, CLB_ESOLVER, "branch-and-bound failed (GLPK code %d)", rc);
        goto done;
    }
    if (mst != GLP_OPT && mst != GLP_FEAS) {
        out->status = rc == GLP_ETMLIM ? RUN_NOPLAN : RUN_INFEASIBLE;
        goto done;
    }
    out->x = malloc((m->ncols ? m->ncols : 1) * sizeof(double));
    if (!out->x) {
        error = clb_error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t j = 0; j < m->ncols; j++)
        out->x[j] = glp_mip_col_val(lp, (int)j + 1);
    double obj = m->ncols ? glp_mip_obj_val(lp) : 0;
    if (rc == 0 && mst == GLP_OPT) {
        /* the search ran to its end: the plan is optimal, and its value the bound */
        out->status = RUN_OPTIMAL;
        out->bound = obj;
    } else {
        out->status = rc == GLP_ETMLIM ? RUN_TIME : RUN_GAP;
        out->bound = sr && sr->has_bound ? sr->bound : CLB_INF;
        if (rc == GLP_EMIPGAP) {
            /* GLPK stops when |obj - bound| <= mip_gap * (|obj| + eps) */
            double b = obj + gap * (fabs(obj) + 1e-12);
            if (b < out->bound)
                out->bound = b;
        }
    }
    if (out->bound < obj)
        out->bound = obj;
    if (out->status == RUN_GAP &&
        (out->bound - obj) <= 1e-6 * (fabs(obj) > 1 ? fabs(obj) : 1))
        out->status = RUN_OPTIMAL; /* within the proof tolerance of SPEC 3.7 */
done:
    if (lp)
        glp_delete_prob(lp);
    glp_error_hook(NULL, NULL);
    return error;
}

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
    out->first = calloc(s->n_workers + 1, sizeof(uint32_t));
    out->vac = malloc((n ? n : 1) * sizeof(uint32_t));
    if (!out->first || !out->vac) {
        clb_pairs_dispose(out);
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
        return clb_error_set(err, error, "out of memory");
    pinned = malloc((pp.n ? pp.n : 1) * sizeof(bool));
    if (!pinned) {
        clb_pairs_dispose(&pp);
        return clb_error_set(err, CLB_ENOMEM, "out of memory");
    }
    for (size_t p = 0; p < pp.n; p++)
        pinned[p] = true;
    if ((error = clb_model_build(&m, s, &pp, pinned, err)) == 0) {
        error = run_model(&r, &m, NULL, NULL, true, NULL, 0, 0, NULL, err);
        if (error == 0)
            *feasible = r.status != RUN_INFEASIBLE;
        free(r.x);
        clb_model_dispose(&m);
    }
    free(pinned);
    clb_pairs_dispose(&pp);
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
    bool *use = malloc((n ? n : 1) * sizeof(bool));
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
        return clb_error_set(err, CLB_ENOMEM, "out of memory");
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
        bool *pinned = malloc((pp.n ? pp.n : 1) * sizeof(bool));
        if (!pinned) {
            error = CLB_ENOMEM;
            goto done;
        }
        for (size_t p = 0; p < pp.n; p++)
            pinned[p] = true;
        error = clb_model_build(&m, s, &pp, pinned, &sub);
        free(pinned);
        if (error < 0)
            goto done;
        have_model = true;
    }
    relaxed = calloc(m.nrows + 1, sizeof(bool));
    relaxed_y = calloc(s->n_vacancies + 1, sizeof(bool));
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
            if ((error = run_model(&r, &m, relaxed, relaxed_y, true, NULL, 0, 0, NULL,
                                   &sub)) < 0)
                goto done;
            free(r.x);
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
        if ((error = run_model(&r, &m, relaxed, relaxed_y, true, NULL, 0, 0, NULL, &sub)) < 0)
            goto done;
        free(r.x);
        if (r.status != RUN_INFEASIBLE)
            relaxed_y[v] = false;
    }

    /* the message */
    {
        size_t shown = 0;
        int rc = clb_buf_puts(&msg, "infeasible: pins ");
        for (size_t i = 0; i < n; i++) {
            if (!use[i])
                continue;
            rc |= clb_buf_printf(&msg, "%s(%s, %s)%s", shown++ ? ", " : "",
                                 s->workers[pins[i].worker].id,
                                 s->vacancies[pins[i].vacancy].id,
                                 pins[i].confirmed ? " [confirmed]" : "");
        }
        rc |= clb_buf_puts(&msg, " cannot all hold together with: ");
        shown = 0;
        for (size_t v = 0; v < s->n_vacancies; v++) {
            bool touched = false;
            for (size_t p = 0; p < pp.n && !touched; p++)
                touched = pp.vac[p] == v;
            if (!touched || relaxed_y[v])
                continue;
            rc |= clb_buf_printf(&msg, "%svacancy '%s' headcount %d", shown++ ? "; " : "",
                                 s->vacancies[v].id, s->vacancies[v].headcount);
        }
        for (size_t i = 0; i < m.nrows; i++) {
            if (!row_can_bind((clb_row_kind)m.row_kind[i]) || relaxed[i])
                continue;
            rc |= clb_buf_puts(&msg, shown++ ? "; " : "");
            rc |= clb_model_describe_row(&msg, &m, s, i);
        }
        if (shown == 0)
            rc |= clb_buf_puts(&msg, "the programme's limits");
        if (rc) {
            error = CLB_ENOMEM;
            goto done;
        }
    }
done:
    if (error == 0) {
        clb_error_set(err, CLB_EINFEASIBLE, "%s", msg.ptr ? msg.ptr : "infeasible");
        error = CLB_EINFEASIBLE;
    } else if (sub.message[0]) {
        clb_error_set(err, error, "%s", sub.message);
    } else {
        clb_error_set(err, error, "out of memory explaining infeasibility");
    }
    if (have_model)
        clb_model_dispose(&m);
    clb_pairs_dispose(&pp);
    clb_buf_dispose(&msg);
    free(use);
    free(relaxed);
    free(relaxed_y);
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
    plan->placements = malloc((m->ncols + 1) * sizeof(clb_plan_item));
    plan->training = malloc((m->ncols + 1) * sizeof(clb_plan_item));
    plan->enrolments = malloc((m->ncols + 1) * sizeof(clb_plan_item));
    if (!plan->placements || !plan->training || !plan->enrolments)
        return clb_error_set(err, CLB_ENOMEM, "out of memory");
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

/* The best plan made of the pinned pairs only (empty without pins). */
static int fallback_plan(clb_plan *plan, const clb_scenario *s, const pin_ref *pins,
                         size_t n, clb_error *err)
{
    clb_pairs pp;
    clb_model m;
    run r;
    bool *use = malloc((n + 1) * sizeof(bool)), *pinned = NULL;
    int error = 0;

    memset(&r, 0, sizeof(r));
    if (!use)
        return clb_error_set(err, CLB_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        use[i] = true;
    if ((error = pins_pairs(&pp, s, pins, n, use)) < 0) {
        free(use);
        return clb_error_set(err, error, "out of memory");
    }
    pinned = malloc((pp.n + 1) * sizeof(bool));
    if (!pinned) {
        error = clb_error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t p = 0; p < pp.n; p++)
        pinned[p] = true;
    if ((error = clb_model_build(&m, s, &pp, pinned, err)) < 0)
        goto done;
    error = run_model(&r, &m, NULL, NULL, false, NULL, 0, 1e-7, NULL, err);
    if (error == 0 && r.status == RUN_INFEASIBLE)
        error = explain_infeasible(s, pins, n, err);
    else if (error == 0)
        error = read_plan(plan, &m, r.x, err);
    clb_model_dispose(&m);
done:
    free(r.x);
    free(use);
    free(pinned);
    clb_pairs_dispose(&pp);
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
    int error = 0;
    bool have_model = false;

    *out = NULL;
    memset(&pairs, 0, sizeof(pairs));
    memset(&plan, 0, sizeof(plan));
    memset(&r, 0, sizeof(r));
    if (!opts) {
        clb_solve_opts_init(&defaults);
        opts = &defaults;
    }
    memset(&sr, 0, sizeof(sr));
    sr.opts = opts;
    sr.t0 = clb_now_seconds();

    report(&sr, "eligibility", false, 0, true);
    if ((error = clb_pairs_build(&pairs, s, err)) < 0)
        goto done;

    /* pins, and confirmed previous entries that are still eligible */
    pinned = calloc(pairs.n + 1, sizeof(bool));
    pins = malloc((s->n_pins + s->n_previous + 1) * sizeof(*pins));
    plan.conflicts = malloc((s->n_previous + 1) * sizeof(*plan.conflicts));
    if (!pinned || !pins || !plan.conflicts) {
        error = clb_error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < s->n_pins; i++) {
        const clb_pair_rec *pr = &s->pins[i];
        int p = find_pair(&pairs, pr->worker, pr->vacancy);
        if (p < 0) {
            error = clb_error_set(err, CLB_EINFEASIBLE,
                                  "infeasible: pin (%s, %s) is on a withdrawn vacancy",
                                  s->workers[pr->worker].id, s->vacancies[pr->vacancy].id);
            goto done;
        }
        pinned[p] = true;
        pins[n_pins++] = (pin_ref){pr->worker, pr->vacancy, false};
    }
    for (size_t i = 0; i < s->n_previous; i++) {
        const clb_previous_rec *pv = &s->previous[i];
        if (pv->status != CLB_PREV_CONFIRMED)
            continue;
        int p = find_pair(&pairs, pv->worker, pv->vacancy);
        if (p < 0) {
            clb_conflict_rec *c = &plan.conflicts[plan.n_conflicts++];
            c->worker = pv->worker;
            c->vacancy = pv->vacancy;
            c->rules = clb_eligibility_check(s, pv->worker, pv->vacancy);
            c->withdrawn = s->vacancies[pv->vacancy].withdrawn;
            continue;
        }
        if (!pinned[p]) {
            pinned[p] = true;
            pins[n_pins++] = (pin_ref){pv->worker, pv->vacancy, true};
        }
    }

    report(&sr, "model", false, 0, true);
    if ((error = clb_model_build(&m, s, &pairs, pinned, err)) < 0)
        goto done;
    have_model = true;

    double gap = opts->gap > 0 ? opts->gap : 1e-7;
    if ((error = run_model(&r, &m, NULL, NULL, false, &sr, opts->time_limit, gap,
                           opts->write_mps, err)) < 0)
        goto done;
    if (r.status == RUN_INFEASIBLE) {
        error = explain_infeasible(s, pins, n_pins, err);
        goto done;
    }
    if (r.status == RUN_NOPLAN) {
        /* The time limit came before any plan. Without pins the empty plan holds;
           with pins, the best plan of the pinned pairs alone (a small model) does. */
        r.status = RUN_TIME;
        r.bound = sr.has_bound ? sr.bound : trivial_bound(&m);
        if ((error = fallback_plan(&plan, s, pins, n_pins, err)) < 0)
            goto done;
    } else if ((error = read_plan(&plan, &m, r.x, err)) < 0) {
        goto done;
    }
    plan.status = r.status == RUN_OPTIMAL ? CLB_STATUS_OPTIMAL
                  : r.status == RUN_GAP   ? CLB_STATUS_GAP_LIMIT
                                          : CLB_STATUS_TIME_LIMIT;
    plan.bound = r.bound;
    plan.stats.workers = s->n_workers;
    plan.stats.vacancies = s->n_vacancies;
    plan.stats.eligible_pairs = pairs.n;
    plan.stats.rows = m.nrows;
    plan.stats.columns = m.ncols;
    plan.stats.seconds = clb_now_seconds() - sr.t0;
    report(&sr, "check", false, 0, true);
    error = clb_result_new(out, s, &pairs, &plan, err);
done:
    if (have_model)
        clb_model_dispose(&m);
    clb_pairs_dispose(&pairs);
    free(r.x);
    free(pinned);
    free(pins);
    free(plan.placements);
    free(plan.training);
    free(plan.enrolments);
    free(plan.conflicts);
    return error;
}
