/*
 * model.h - the integer programme of docs/MODEL.md §3.3-3.7, independent of any solver.
 *
 * The model is a plain sparse matrix with bounds, kinds and references back to the
 * scenario, so that it can be handed to GLPK (solve.c), written as MPS, inspected by
 * tests, and explained when infeasible. Columns and rows carry a kind and up to two
 * references (indices into the scenario) so every constraint can be named.
 */
#ifndef CLB_MODEL_H
#define CLB_MODEL_H

#include "rules/eligibility.h"

typedef enum {
    CLB_COL_X, /* placement (worker a, vacancy b), binary; pair index = column index */
    CLB_COL_Y, /* placements on vacancy a, continuous in [0, headcount] */
    CLB_COL_Z, /* worker a counts for quota b (unit workers), continuous in [0, 1] */
    CLB_COL_A, /* worker a attends session b, binary */
    CLB_COL_R, /* worker a enrolled in programme b, binary */
    CLB_COL_S  /* met part of quota a's min, continuous in [0, min] */
} clb_col_kind;

typedef enum {
    CLB_ROW_YDEF,           /* a: vacancy: sum x - y = 0 */
    CLB_ROW_HOLD_NAMED,     /* a: vacancy: unnamed placements <= headcount - named */
    CLB_ROW_CONFLICT,       /* a: worker, b: date: overlapping placements <= 1 */
    CLB_ROW_STAY,           /* a: worker: days abroad <= max_stay_days */
    CLB_ROW_MAX_PLACEMENTS, /* a: worker */
    CLB_ROW_HOUSING,        /* a: site, b: date: occupied beds <= beds */
    CLB_ROW_QUOTA_MAX,      /* a: quota */
    CLB_ROW_QUOTA_MIN,      /* a: quota: count - met >= 0 */
    CLB_ROW_QUOTA_LINK_UP,  /* a: worker, b: quota: matching placements in a clique <= z */
    CLB_ROW_QUOTA_LINK_DOWN,/* a: worker, b: quota: z <= matching placements */
    CLB_ROW_TRAIN_ONE,      /* a: worker, b: course: at most one session */
    CLB_ROW_TRAIN_COVER,    /* a: worker, b: vacancy: placement needs a timely session */
    CLB_ROW_TRAIN_NEED,     /* a: worker, b: session: attend only when needed */
    CLB_ROW_TRAIN_COVER_CLIQUE, /* a: worker, b: course: overlapping needing placements */
    CLB_ROW_TRAIN_OVERLAP,  /* a: worker, b: session: session vs placement overlap */
    CLB_ROW_SESSION_CAP,    /* a: session */
    CLB_ROW_REINT_ONE,      /* a: worker: at most one programme */
    CLB_ROW_REINT_AFTER,    /* a: worker, b: programme: starts after every placement */
    CLB_ROW_REINT_WINDOW,   /* a: worker, b: programme: within the window of the last */
    CLB_ROW_REINT_REQUIRED, /* a: worker, b: vacancy: placed => enrolled */
    CLB_ROW_PROGRAMME_CAP,  /* a: programme */
    CLB_ROW_EXTRA           /* a: caller's number: a linear row added by clb__model_add_row */
} clb_row_kind;

#define CLB_INF 1e300

typedef struct clb_model {
    /* columns */
    size_t ncols, cols_cap;
    double *obj, *lb, *ub;
    uint8_t *col_kind;
    bool *is_int;
    int32_t *col_a, *col_b;
    double obj_const; /* constant term of the objective */
    size_t n_x;   /* columns 0 .. n_x-1 are the placements, in pair order */
    size_t y_first; /* Y column of vacancy v is y_first + v */
    /* rows, compressed: entries of row i are row_start[i] .. row_start[i+1] */
    size_t nrows, rows_cap;
    double *rlo, *rhi; /* -CLB_INF / CLB_INF when unbounded */
    uint8_t *row_kind;
    int32_t *row_a, *row_b;
    size_t *row_start;
    size_t nnz, nnz_cap;
    int32_t *idx;
    double *val;
    /* Built with CLB_MODEL_LINKING (clb__model_build_rows): the workers' own rows left
       out, with their count and entries, so that the whole model's size is still
       known; and, when checking a solution, the first own row it breaks (kept as a row
       of the model) or -1. */
    bool linking_only;
    size_t own_rows_out, own_nnz_out;
    const double *check_x;
    long own_broken;
    /* the pair list the model was built on (borrowed) */
    const clb_pairs *pairs;
    size_t n_workers;
    uint32_t *pair_worker; /* worker of each pair */
} clb_model;

/*
 * Build the model of scenario s over the eligible pairs `pairs` (borrowed; must
 * outlive the model). Pairs listed in `pinned` (a bool per pair, may be NULL) get
 * lower bound 1. Returns 0 or CLB_ENOMEM.
 */
int clb__model_build(clb_model *m, const clb_scenario *s, const clb_pairs *pairs,
                    const bool *pinned, clb_error *err);
void clb__model_dispose(clb_model *m);

/* Which rows a model holds. */
typedef enum {
    CLB_MODEL_WHOLE,  /* every row */
    CLB_MODEL_LINKING /* only the rows that link workers (clb__model_row_is_own) */
} clb_model_rows;

/*
 * Build the model with the rows `rows` asks for. With CLB_MODEL_LINKING, each of a
 * worker's own rows is built as in the whole model and left out as soon as it is
 * complete, so memory holds one of them at a time: the itinerary master's pricing
 * keeps those rows by construction and never reads them, and they are about nine
 * tenths of the whole model's entries (docs/PERFORMANCE.md, "The model without the
 * workers' own rows"). The columns, their order and every linking row are those of
 * the whole model, so a solution of one is a solution of the other. `check_x` (a
 * value per column, or NULL) checks a solution against the own rows as they pass: the
 * first it breaks (to 1e-6) stays in the model, at index m->own_broken. Returns 0 or
 * CLB_ENOMEM.
 */
int clb__model_build_rows(clb_model *m, const clb_scenario *s, const clb_pairs *pairs,
                         const bool *pinned, clb_model_rows rows, const double *check_x,
                         clb_error *err);

/* Rows of the whole model: those held and those left out. */
size_t clb__model_whole_rows(const clb_model *m);

/* Does x keep row i of m to `tol` (absolute)? */
bool clb__model_row_kept(const clb_model *m, size_t i, const double *x, double tol);

/*
 * Append a linear row lo <= sum vals[k] * x[cols[k]] <= hi over existing columns
 * (-CLB_INF / CLB_INF for a free side), of kind CLB_ROW_EXTRA with reference `tag`:
 * a planner's constraint over placements. The itinerary master keeps it as a row
 * between workers; the pair model's column generation adds it when broken. The empty
 * plan must keep it. Returns 0 or CLB_ENOMEM.
 */
int clb__model_add_row(clb_model *m, int32_t tag, double lo, double hi, size_t n,
                      const int32_t *cols, const double *vals);

/* The model's matrix by columns: entries of column j are start[j] .. start[j+1]. */
typedef struct clb_model_cols {
    size_t *start; /* ncols + 1 */
    int32_t *row;
    double *val;
} clb_model_cols;

/* Build the column-wise copy of m's matrix. Returns 0 or CLB_ENOMEM. */
int clb__model_columns(clb_model_cols *out, const clb_model *m);
void clb__model_cols_dispose(clb_model_cols *c);

/* Describe row i in words ("quota 'Q1' max 2"), for infeasibility reports. */
int clb__model_describe_row(clb_buf *out, const clb_model *m, const clb_scenario *s,
                           size_t i);

/* Value of the solution `x` (one value per column) under the model's objective. */
double clb__model_objective(const clb_model *m, const double *x);

/* Each quota minimum's met part (S) in x: as much of the minimum as its count in x
   gives, within [0, min]. */
void clb__model_met_parts(const clb_model *m, double *x);

/* Vacancy counts (Y), quota indicators (Z: one when the worker has a matching
   placement) and met parts (S) in x, from x's placements. */
void clb__model_derive(const clb_model *m, const clb_scenario *s, double *x);

/*
 * Is a row of kind k one worker's own (conflicts, stay, max placements, quota links,
 * training, reintegration)? Such rows hold by the pricing's itineraries (pricing.h);
 * every other row links workers and is a row of the itinerary master. Rows are
 * linking unless known to be a worker's own, so that any further linear row (a
 * planner's extra constraint, a held first-stage objective) is handled as a linking row.
 */
bool clb__model_row_is_own(clb_row_kind k);

#endif
