/*
 * lp_glpk.c - the LP / MIP engine of lp.h, on GLPK. The only file that includes glpk.h.
 *
 * GLPK aborts the process on misuse and prints to the terminal. So every call into it
 * runs under an error hook that jumps back to the entry point of this file, which then
 * frees GLPK's whole environment (its state is unusable after such an error) and marks
 * the problem dead; and its output goes through a term hook that swallows it. The
 * engine itself never prints. The same term hook gives a long simplex its progress
 * tick: GLPK's display line, asked for once a second, calls the caller's tick instead
 * of printing (display output never changes the pivots).
 *
 * Choices measured on circulab's models (docs/PERFORMANCE.md): the primal simplex with
 * default pricing (projected steepest edge) and Harris's ratio test restarts warm after
 * columns are added (Dantzig's rule took 6.7 times the pivots on S, the textbook ratio
 * test stalled on a degenerate master; "The master LP"); branch-and-bound runs without
 * presolve (the basis is kept), with clique cuts, and with Gomory cuts only when the
 * caller asks (computing tableau rows is dear on large models).
 */
#include "solve/lp.h"
#include "util/alloc.h"
#include "util/util.h"

#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

struct clb_lp {
    glp_prob *prob;
    bool dead;
    /* the objective, kept to restore after clb__lp_zero_objective / MPS writing */
    double *obj;
    size_t obj_cap;
    double obj_const;
    /* branch-and-bound progress */
    const clb_lp_mip_opts *mip;
    double *start; /* 1-based copy of mip->start */
    bool start_given;
    double since;  /* when the search began or last found a better plan */
    size_t nodes, since_node; /* nodes taken up so far, and at the last better plan */
    double bound;
    bool has_bound;
    /* progress during one simplex */
    clb_lp_tick_cb tick;
    void *tick_payload;
    int tick_ms;
};

typedef struct guard {
    jmp_buf jump;
    volatile bool nomem; /* GLPK ran out of memory (its message says so) */
    clb_lp *ticking;     /* the problem whose simplex display lines are ticks */
} guard;

static void on_glpk_error(void *info)
{
    longjmp(((guard *)info)->jump, 1);
}

/* GLPK prints its error message (through this hook) before it calls the error hook:
 * "glp_alloc: memory allocation limit exceeded", "...: no memory available". */
static int on_glpk_output(void *info, const char *s)
{
    guard *g = info;
    if (g && strstr(s, "memory"))
        g->nomem = true;
    else if (g && g->ticking && g->ticking->tick)
        g->ticking->tick(g->ticking->tick_payload);
    return 1; /* swallowed */
}

static void enter(guard *g)
{
    g->nomem = false;
    g->ticking = NULL;
    glp_term_out(GLP_OFF);
    glp_term_hook(on_glpk_output, g);
    glp_error_hook(on_glpk_error, g);
}

static void leave(void)
{
    glp_error_hook(NULL, NULL);
    glp_term_hook(on_glpk_output, NULL);
}

/* After a longjmp from GLPK: drop its whole environment. Out of memory is a runtime
 * failure (CLB_ENOMEM, exit 1), not a failure of the solver. */
static int failed(clb_lp *lp, const guard *g, clb_error *err)
{
    bool nomem = g->nomem;
    glp_error_hook(NULL, NULL);
    glp_term_hook(on_glpk_output, NULL);
    glp_free_env();
    lp->prob = NULL;
    lp->dead = true;
    if (nomem)
        return clb__error_set(err, CLB_ENOMEM, "out of memory in the solver (GLPK)");
    return clb__error_set(err, CLB_ESOLVER, "the solver failed (GLPK internal error)");
}

static int dead(clb_error *err)
{
    return clb__error_set(err, CLB_ESOLVER, "the solver failed earlier and cannot go on");
}

/*
 * GLPK keeps one environment per thread and frees it only when asked. A thread that
 * ends with it allocated (the portal's request threads, which check a season's
 * feasibility) leaks it, so the environment is dropped whenever the thread's last
 * problem is freed; the next problem sets it up again (a few allocations). The
 * count is per thread, as GLPK's environment is.
 */
static _Thread_local size_t live_problems;

int clb__lp_new(clb_lp **out, clb_error *err)
{
    guard g;
    clb_lp *lp = clb__calloc(1, sizeof(*lp));
    *out = NULL;
    if (!lp)
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    if (setjmp(g.jump)) {
        int rc = failed(lp, &g, err);
        clb__free(lp);
        return rc;
    }
    enter(&g);
    lp->prob = glp_create_prob();
    glp_set_obj_dir(lp->prob, GLP_MAX);
    leave();
    live_problems++;
    *out = lp;
    return 0;
}

void clb__lp_free(clb_lp *lp)
{
    guard g;
    if (!lp)
        return;
    if (lp->prob) {
        if (setjmp(g.jump) == 0) {
            enter(&g);
            glp_delete_prob(lp->prob);
            leave();
        } else {
            glp_error_hook(NULL, NULL);
            glp_free_env();
        }
    }
    clb__free(lp->obj);
    clb__free(lp->start);
    clb__free(lp);
    if (live_problems > 0 && --live_problems == 0)
        glp_free_env();
}

size_t clb__lp_rows(const clb_lp *lp)
{
    return lp->prob ? (size_t)glp_get_num_rows(lp->prob) : 0;
}

size_t clb__lp_cols(const clb_lp *lp)
{
    return lp->prob ? (size_t)glp_get_num_cols(lp->prob) : 0;
}

static void set_row_bounds(glp_prob *p, int i, double lo, double hi)
{
    int type;
    if (lo <= -CLB_LP_INF && hi >= CLB_LP_INF)
        type = GLP_FR;
    else if (lo <= -CLB_LP_INF)
        type = GLP_UP;
    else if (hi >= CLB_LP_INF)
        type = GLP_LO;
    else if (lo == hi)
        type = GLP_FX;
    else
        type = GLP_DB;
    glp_set_row_bnds(p, i, type, lo <= -CLB_LP_INF ? 0 : lo, hi >= CLB_LP_INF ? 0 : hi);
}

static void set_col_bounds(glp_prob *p, int j, double lb, double ub)
{
    if (ub >= CLB_LP_INF)
        glp_set_col_bnds(p, j, GLP_LO, lb, 0);
    else if (lb == ub)
        glp_set_col_bnds(p, j, GLP_FX, lb, ub);
    else
        glp_set_col_bnds(p, j, GLP_DB, lb, ub);
}

/* One row's or column's entries in GLPK's 1-based arrays, sized for the longest. */
typedef struct entries {
    int *ind;
    double *val;
} entries;

/* Room for the longest of the n spans start[k] .. start[k+1] (none when start is NULL). */
static int entries_init(entries *b, const size_t *start, size_t n)
{
    size_t longest = 0;
    for (size_t k = 0; start && k < n; k++)
        if (start[k + 1] - start[k] > longest)
            longest = start[k + 1] - start[k];
    b->ind = clb__malloc((longest + 1) * sizeof(int));
    b->val = clb__malloc((longest + 1) * sizeof(double));
    return b->ind && b->val ? 0 : CLB_ENOMEM;
}

/* Load span k; returns its length. */
static int entries_load(entries *b, const size_t *start, size_t k, const int32_t *idx,
                        const double *vals)
{
    int len = 0;
    for (size_t e = start[k]; e < start[k + 1]; e++) {
        len++;
        b->ind[len] = idx[e] + 1;
        b->val[len] = vals[e];
    }
    return len;
}

static void entries_dispose(entries *b)
{
    clb__free(b->ind);
    clb__free(b->val);
}

int clb__lp_add_rows(clb_lp *lp, size_t n, const double *lo, const double *hi,
                    const size_t *start, const int32_t *cols, const double *vals,
                    clb_error *err)
{
    guard g;
    entries b;

    if (lp->dead)
        return dead(err);
    if (n == 0)
        return 0;
    if (entries_init(&b, start, n) < 0) {
        entries_dispose(&b);
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    }
    if (setjmp(g.jump)) {
        entries_dispose(&b);
        return failed(lp, &g, err);
    }
    enter(&g);
    int first = glp_add_rows(lp->prob, (int)n);
    for (size_t k = 0; k < n; k++) {
        int i = first + (int)k;
        set_row_bounds(lp->prob, i, lo[k], hi[k]);
        int len = start ? entries_load(&b, start, k, cols, vals) : 0;
        if (len)
            glp_set_mat_row(lp->prob, i, len, b.ind, b.val);
    }
    leave();
    entries_dispose(&b);
    return 0;
}

int clb__lp_set_row_bounds(clb_lp *lp, size_t row, double lo, double hi, clb_error *err)
{
    guard g;
    if (lp->dead)
        return dead(err);
    if (setjmp(g.jump))
        return failed(lp, &g, err);
    enter(&g);
    set_row_bounds(lp->prob, (int)row + 1, lo, hi);
    leave();
    return 0;
}

int clb__lp_add_cols(clb_lp *lp, size_t n, const double *obj, const double *lb,
                    const double *ub, const bool *is_int, const size_t *start,
                    const int32_t *rows, const double *vals, clb_error *err)
{
    guard g;
    entries b;
    size_t ncols;

    if (lp->dead)
        return dead(err);
    if (n == 0)
        return 0;
    ncols = clb__lp_cols(lp);
    if (ncols + n > lp->obj_cap) {
        size_t cap = lp->obj_cap ? lp->obj_cap : 256;
        while (cap < ncols + n)
            cap *= 2;
        double *o = clb__realloc(lp->obj, cap * sizeof(double));
        if (!o)
            return clb__error_set(err, CLB_ENOMEM, "out of memory");
        lp->obj = o;
        lp->obj_cap = cap;
    }
    if (entries_init(&b, start, n) < 0) {
        entries_dispose(&b);
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    }
    if (setjmp(g.jump)) {
        entries_dispose(&b);
        return failed(lp, &g, err);
    }
    enter(&g);
    int first = glp_add_cols(lp->prob, (int)n);
    for (size_t k = 0; k < n; k++) {
        int j = first + (int)k;
        if (is_int[k])
            glp_set_col_kind(lp->prob, j, GLP_IV);
        set_col_bounds(lp->prob, j, lb[k], ub[k]);
        glp_set_obj_coef(lp->prob, j, obj[k]);
        lp->obj[j - 1] = obj[k];
        int len = entries_load(&b, start, k, rows, vals);
        if (len)
            glp_set_mat_col(lp->prob, j, len, b.ind, b.val);
    }
    leave();
    entries_dispose(&b);
    return 0;
}

int clb__lp_del_cols(clb_lp *lp, size_t n, const int32_t *cols, clb_error *err)
{
    guard g;
    size_t ncols;
    int *num;

    if (lp->dead)
        return dead(err);
    if (n == 0)
        return 0;
    ncols = clb__lp_cols(lp);
    num = clb__malloc((n + 1) * sizeof(int));
    bool *gone = clb__calloc(ncols + 1, sizeof(bool));
    if (!num || !gone) {
        clb__free(num);
        clb__free(gone);
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < n; k++) {
        num[k + 1] = cols[k] + 1;
        gone[cols[k]] = true;
    }
    if (setjmp(g.jump)) {
        clb__free(num);
        clb__free(gone);
        return failed(lp, &g, err);
    }
    enter(&g);
    glp_del_cols(lp->prob, (int)n, num);
    leave();
    /* the kept objective moves down with its columns */
    size_t to = 0;
    for (size_t j = 0; j < ncols; j++)
        if (!gone[j])
            lp->obj[to++] = lp->obj[j];
    clb__free(num);
    clb__free(gone);
    return 0;
}

int clb__lp_set_col_upper(clb_lp *lp, size_t col, double ub, clb_error *err)
{
    guard g;
    if (lp->dead)
        return dead(err);
    if (setjmp(g.jump))
        return failed(lp, &g, err);
    enter(&g);
    int j = (int)col + 1;
    set_col_bounds(lp->prob, j, glp_get_col_lb(lp->prob, j), ub);
    leave();
    return 0;
}

static int glpk_stat(uint8_t st)
{
    switch ((clb_lp_stat)st) {
    case CLB_LP_BASIC: return GLP_BS;
    case CLB_LP_AT_UPPER: return GLP_NU;
    case CLB_LP_AT_FIXED: return GLP_NS;
    default: return GLP_NL;
    }
}

int clb__lp_set_basis(clb_lp *lp, const uint8_t *row_stat, const uint8_t *col_stat,
                     clb_error *err)
{
    guard g;
    if (lp->dead)
        return dead(err);
    if (setjmp(g.jump))
        return failed(lp, &g, err);
    enter(&g);
    size_t m = clb__lp_rows(lp), n = clb__lp_cols(lp);
    for (size_t i = 0; i < m; i++)
        glp_set_row_stat(lp->prob, (int)i + 1, glpk_stat(row_stat[i]));
    for (size_t j = 0; j < n; j++)
        glp_set_col_stat(lp->prob, (int)j + 1, glpk_stat(col_stat[j]));
    leave();
    return 0;
}

static uint8_t clb_stat(int st)
{
    switch (st) {
    case GLP_BS: return CLB_LP_BASIC;
    case GLP_NU: return CLB_LP_AT_UPPER;
    case GLP_NS: return CLB_LP_AT_FIXED;
    default: return CLB_LP_AT_LOWER;
    }
}

void clb__lp_get_basis(const clb_lp *lp, uint8_t *row_stat, uint8_t *col_stat)
{
    size_t m = clb__lp_rows(lp), n = clb__lp_cols(lp);
    for (size_t i = 0; i < m; i++)
        row_stat[i] = clb_stat(glp_get_row_stat(lp->prob, (int)i + 1));
    for (size_t j = 0; j < n; j++)
        col_stat[j] = clb_stat(glp_get_col_stat(lp->prob, (int)j + 1));
}

int clb__lp_set_obj_const(clb_lp *lp, double c, clb_error *err)
{
    guard g;
    if (lp->dead)
        return dead(err);
    if (setjmp(g.jump))
        return failed(lp, &g, err);
    enter(&g);
    glp_set_obj_coef(lp->prob, 0, c);
    lp->obj_const = c;
    leave();
    return 0;
}

int clb__lp_zero_objective(clb_lp *lp, bool zero, clb_error *err)
{
    guard g;
    if (lp->dead)
        return dead(err);
    if (setjmp(g.jump))
        return failed(lp, &g, err);
    enter(&g);
    size_t n = clb__lp_cols(lp);
    for (size_t j = 0; j < n; j++)
        glp_set_obj_coef(lp->prob, (int)j + 1, zero ? 0 : lp->obj[j]);
    glp_set_obj_coef(lp->prob, 0, zero ? 0 : lp->obj_const);
    leave();
    return 0;
}

/* A positive time limit in GLPK's milliseconds, without int overflow. */
static int milliseconds(double seconds)
{
    double ms = seconds * 1000;
    return ms >= (double)INT_MAX ? INT_MAX : ms < 1 ? 1 : (int)ms;
}

int clb__lp_simplex(clb_lp *lp, bool dual, double time_limit, clb_lp_status *status,
                   clb_error *err)
{
    guard g;
    glp_smcp smcp;
    volatile int rc = 0;

    if (lp->dead)
        return dead(err);
    *status = CLB_LP_OPTIMAL;
    if (clb__lp_cols(lp) == 0)
        return 0;
    if (setjmp(g.jump))
        return failed(lp, &g, err);
    enter(&g);
    glp_init_smcp(&smcp);
    smcp.msg_lev = GLP_MSG_OFF;
    smcp.meth = dual ? GLP_DUALP : GLP_PRIMAL;
    if (dual)
        smcp.r_test = GLP_RT_FLIP; /* long-step ratio test */
    if (time_limit > 0)
        smcp.tm_lim = milliseconds(time_limit);
    if (lp->tick) {
        /* a display line every tick_ms, after the first; each one is a tick */
        smcp.msg_lev = GLP_MSG_ON;
        smcp.out_frq = lp->tick_ms > 0 ? lp->tick_ms : 1;
        smcp.out_dly = lp->tick_ms;
        g.ticking = lp;
        glp_term_out(GLP_ON); /* the hook sees the lines; it swallows them */
    }
    rc = glp_simplex(lp->prob, &smcp);
    if (rc != 0 && rc != GLP_ETMLIM && rc != GLP_ENOPFS && rc != GLP_ENODFS) {
        /* numerical trouble: retry from a fresh basis with the dual simplex */
        glp_adv_basis(lp->prob, 0);
        smcp.meth = GLP_DUALP;
        rc = glp_simplex(lp->prob, &smcp);
    }
    int st = glp_get_status(lp->prob);
    glp_term_out(GLP_OFF);
    leave();
    if (rc == GLP_ETMLIM) {
        *status = CLB_LP_TIME_LIMIT;
        return 0;
    }
    if (rc == GLP_ENOPFS || st == GLP_NOFEAS) {
        *status = CLB_LP_INFEASIBLE;
        return 0;
    }
    if (rc != 0 || st != GLP_OPT)
        return clb__error_set(err, CLB_ESOLVER,
                             "the LP relaxation could not be solved (GLPK code %d)", rc);
    return 0;
}

void clb__lp_set_tick(clb_lp *lp, clb_lp_tick_cb tick, void *payload, double every)
{
    lp->tick = tick;
    lp->tick_payload = payload;
    lp->tick_ms = every > 0 ? milliseconds(every) : 0;
}

double clb__lp_objective(const clb_lp *lp)
{
    return lp->prob && clb__lp_cols(lp) ? glp_get_obj_val(lp->prob) : 0;
}

size_t clb__lp_iterations(const clb_lp *lp)
{
    return lp->prob ? (size_t)glp_get_it_cnt(lp->prob) : 0;
}

void clb__lp_values(const clb_lp *lp, double *x)
{
    size_t n = clb__lp_cols(lp);
    for (size_t j = 0; j < n; j++)
        x[j] = glp_get_col_prim(lp->prob, (int)j + 1);
}

void clb__lp_duals(const clb_lp *lp, double *pi)
{
    size_t n = clb__lp_rows(lp);
    for (size_t i = 0; i < n; i++)
        pi[i] = glp_get_row_dual(lp->prob, (int)i + 1);
}

void clb__lp_reduced_costs(const clb_lp *lp, double *d)
{
    size_t n = clb__lp_cols(lp);
    for (size_t j = 0; j < n; j++)
        d[j] = glp_get_col_dual(lp->prob, (int)j + 1);
}

static void on_mip_event(glp_tree *tree, void *info)
{
    clb_lp *lp = info;
    int reason = glp_ios_reason(tree);
    if (reason == GLP_IHEUR && lp->start && !lp->start_given) {
        /* the known plan, once: the search prunes against it from the start */
        lp->start_given = true;
        glp_ios_heur_sol(tree, lp->start);
        return;
    }
    const clb_lp_mip_opts *o = lp->mip;
    if (reason == GLP_ISELECT)
        lp->nodes++;
    if (reason == GLP_IBINGO) {
        lp->since = clb__now_seconds();
        lp->since_node = lp->nodes;
    } else if ((o->stall > 0 && clb__now_seconds() - lp->since >= o->stall) ||
               (o->stall_nodes > 0 && lp->nodes - lp->since_node >= o->stall_nodes) ||
               (o->nodes > 0 && lp->nodes >= o->nodes)) {
        glp_ios_terminate(tree); /* no better plan for a while, or its budget spent:
                                    a heuristic ends */
    }
    if (reason != GLP_ISELECT && reason != GLP_IBINGO)
        return;
    int node = glp_ios_best_node(tree);
    if (node) {
        double b = glp_ios_node_bound(tree, node);
        if (!lp->has_bound || b < lp->bound) {
            lp->bound = b;
            lp->has_bound = true;
        }
    }
    if (lp->mip->progress) {
        glp_prob *p = glp_ios_get_prob(tree);
        bool has_best = glp_mip_status(p) == GLP_FEAS || glp_mip_status(p) == GLP_OPT;
        lp->mip->progress(has_best, has_best ? glp_mip_obj_val(p) : 0, lp->has_bound,
                          lp->bound, reason == GLP_IBINGO, lp->mip->payload);
    }
}

int clb__lp_intopt(clb_lp *lp, const clb_lp_mip_opts *opts, clb_lp_status *status,
                  double *bound, clb_error *err)
{
    guard g;
    glp_iocp iocp;
    volatile int rc = 0;

    if (lp->dead)
        return dead(err);
    *status = CLB_LP_OPTIMAL;
    *bound = CLB_LP_INF;
    if (clb__lp_cols(lp) == 0) {
        *bound = 0;
        return 0;
    }
    lp->mip = opts;
    lp->start_given = false;
    clb__free(lp->start);
    lp->start = NULL;
    if (opts->start) {
        size_t n = clb__lp_cols(lp);
        lp->start = clb__malloc((n + 1) * sizeof(double));
        if (!lp->start)
            return clb__error_set(err, CLB_ENOMEM, "out of memory");
        lp->start[0] = 0;
        memcpy(lp->start + 1, opts->start, n * sizeof(double));
    }
    lp->has_bound = glp_get_status(lp->prob) == GLP_OPT;
    lp->bound = lp->has_bound ? glp_get_obj_val(lp->prob) : 0;
    if (setjmp(g.jump))
        return failed(lp, &g, err);
    enter(&g);
    glp_init_iocp(&iocp);
    iocp.msg_lev = GLP_MSG_OFF;
    iocp.presolve = GLP_OFF;
    iocp.mip_gap = opts->gap;
    iocp.clq_cuts = GLP_ON;
    iocp.gmi_cuts = opts->gomory_cuts ? GLP_ON : GLP_OFF;
    iocp.binarize = GLP_OFF;
    iocp.mir_cuts = opts->mir_cuts ? GLP_ON : GLP_OFF;
    iocp.cov_cuts = opts->mir_cuts ? GLP_ON : GLP_OFF;
    if (opts->time_limit > 0)
        iocp.tm_lim = milliseconds(opts->time_limit);
    lp->since = clb__now_seconds();
    lp->nodes = lp->since_node = 0;
    iocp.cb_func = on_mip_event;
    iocp.cb_info = lp;
    rc = glp_intopt(lp->prob, &iocp);
    int mst = glp_mip_status(lp->prob);
    double obj = mst == GLP_OPT || mst == GLP_FEAS ? glp_mip_obj_val(lp->prob) : 0;
    leave();
    if (rc == GLP_ENOPFS || mst == GLP_NOFEAS) {
        *status = CLB_LP_INFEASIBLE;
        return 0;
    }
    if (rc != 0 && rc != GLP_ETMLIM && rc != GLP_EMIPGAP && rc != GLP_ESTOP)
        return clb__error_set(err, CLB_ESOLVER, "branch-and-bound failed (GLPK code %d)", rc);
    if (mst != GLP_OPT && mst != GLP_FEAS) {
        /* stopped before a plan (the time, the stall rule, a budget) is no proof of
           infeasibility */
        *status = rc == GLP_ETMLIM || rc == GLP_ESTOP ? CLB_LP_TIME_LIMIT : CLB_LP_INFEASIBLE;
        *bound = lp->has_bound ? lp->bound : CLB_LP_INF;
        return 0;
    }
    if (rc == 0 && mst == GLP_OPT) {
        /* the search ran to its end: the plan is optimal, and its value the bound */
        *status = CLB_LP_OPTIMAL;
        *bound = obj;
        return 0;
    }
    *status = CLB_LP_FEASIBLE;
    *bound = lp->has_bound ? lp->bound : CLB_LP_INF;
    if (rc == GLP_EMIPGAP) {
        /* GLPK stops when |obj - bound| <= mip_gap * (|obj| + eps) */
        double b = obj + opts->gap * (fabs(obj) + 1e-12);
        if (b < *bound)
            *bound = b;
    }
    if (*bound < obj)
        *bound = obj;
    return 0;
}

double clb__lp_mip_objective(const clb_lp *lp)
{
    return lp->prob && clb__lp_cols(lp) ? glp_mip_obj_val(lp->prob) : 0;
}

void clb__lp_mip_values(const clb_lp *lp, double *x)
{
    size_t n = clb__lp_cols(lp);
    for (size_t j = 0; j < n; j++)
        x[j] = glp_mip_col_val(lp->prob, (int)j + 1);
}

int clb__lp_write_mps(clb_lp *lp, const char *path, clb_error *err)
{
    guard g;
    volatile int rc = 0;
    size_t n;

    if (lp->dead)
        return dead(err);
    n = clb__lp_cols(lp);
    if (setjmp(g.jump))
        return failed(lp, &g, err);
    enter(&g);
    int one = glp_add_cols(lp->prob, 1);
    glp_set_col_name(lp->prob, one, "OBJCONST");
    glp_set_col_bnds(lp->prob, one, GLP_FX, 1, 1);
    glp_set_obj_dir(lp->prob, GLP_MIN);
    for (size_t j = 0; j < n; j++)
        glp_set_obj_coef(lp->prob, (int)j + 1, -lp->obj[j]);
    glp_set_obj_coef(lp->prob, one, -lp->obj_const);
    glp_set_obj_coef(lp->prob, 0, 0);
    rc = glp_write_mps(lp->prob, GLP_MPS_FILE, NULL, path);
    int del[2] = {0, one};
    glp_del_cols(lp->prob, 1, del);
    glp_set_obj_dir(lp->prob, GLP_MAX);
    for (size_t j = 0; j < n; j++)
        glp_set_obj_coef(lp->prob, (int)j + 1, lp->obj[j]);
    glp_set_obj_coef(lp->prob, 0, lp->obj_const);
    leave();
    if (rc != 0)
        return clb__error_set(err, CLB_EIO, "cannot write the model to '%s'", path);
    return 0;
}
