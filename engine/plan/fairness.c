/*
 * fairness.c - fairness over seasons for `simulate` (fairness.h, docs/PLANNERS.md
 * §4): each origin region's share of the workers placed against its share of the
 * applicants, season by season and over the seasons so far, and minimum shares
 * turned into the model's own soft quota minimums.
 *
 * Two choices keep this small and in line with the rest of the planners' figures.
 * Shares count distinct workers placed, as the origin balance index of `scenario
 * compare` does, and the index itself comes from the one function that defines it
 * (clb__balance_index in kpis.c), on the season's origin breakdown and on the
 * running sums. A minimum share becomes a quota with unit `workers` and a `min`,
 * appended to the season's document at the JSON level and read by the one scenario
 * reader: no constraint of its own, the shortfall penalty of docs/MODEL.md §3.7
 * does the work, and the season stays a scenario a planner could have written.
 *
 * The minimum-shares file is read by the project's CSV reader (io/csv.c), so it
 * takes what a spreadsheet writes, and its number cells follow the records' rules.
 */
#include "plan/fairness.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "io/json.h"
#include "scenario/scenario_impl.h"
#include "util/alloc.h"

/* ---- the minimum-shares file ----------------------------------------------------- */

void clb_sim_min_shares_free(clb_sim_min_shares *sh)
{
    if (!sh)
        return;
    clb__arena_dispose(&sh->arena);
    clb__free(sh);
}

/* A breach at a cell: "source:line:column: message", with the position in err. */
static int cell_error(clb_error *err, const char *source, int line, int column,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int cell_error(clb_error *err, const char *source, int line, int column,
                      const char *fmt, ...)
{
    char what[512];
    va_list ap;
    int error;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    error = clb__error_set(err, CLB_EINVAL, "%s:%d:%d: %s", source, line, column, what);
    if (err && err->line == 0) {
        err->line = line;
        err->column = column;
    }
    clb__error_set_source(err, source);
    return error;
}

/*
 * The share of one `min_share` cell: a number within [0, 1], or a percentage
 * ("30%", "30 %", "12,5 %" with ';') as a spreadsheet formatting the cell so writes.
 */
static int read_share(double *out, const clb_csv *csv, const clb_csv_cell *cell,
                      const char *source, clb_error *err)
{
    clb_csv_cell plain = *cell;
    char text[64];
    size_t n = strlen(cell->text);
    bool percent = n > 0 && cell->text[n - 1] == '%';
    double x;
    int error;

    if (percent) {
        n--;
        while (n > 0 && (cell->text[n - 1] == ' ' || cell->text[n - 1] == '\t'))
            n--;
        if (n >= sizeof(text))
            n = sizeof(text) - 1;
        memcpy(text, cell->text, n);
        text[n] = '\0';
        plain.text = text;
    }
    if ((error = clb__csv_cell_number(&x, csv, &plain, "min_share", source, err)) < 0)
        return error;
    if (percent)
        x /= 100.0;
    if (!(x >= 0.0 && x <= 1.0))
        return cell_error(err, source, cell->line, cell->column,
                          "column 'min_share': %g is not a share within [0, 1] (or "
                          "0%% to 100%%)",
                          x);
    *out = x;
    return 0;
}

/* The columns `region` and `min_share` of the header; anything else but x-... is
 * refused. */
static int read_header(int *rcol, int *scol, const clb_csv *csv, const char *source,
                       clb_error *err)
{
    *rcol = *scol = -1;
    for (size_t c = 0; c < csv->ncols; c++) {
        const clb_csv_cell *h = clb__csv_get(csv, 0, c);
        int *col = strcmp(h->text, "region") == 0      ? rcol
                   : strcmp(h->text, "min_share") == 0 ? scol
                                                       : NULL;
        if (strncmp(h->text, "x-", 2) == 0)
            continue;
        if (!col)
            return cell_error(err, source, h->line, h->column,
                              "unknown column '%s' (the columns are region and "
                              "min_share)",
                              h->text);
        if (*col >= 0)
            return cell_error(err, source, h->line, h->column,
                              "duplicate column '%s'", h->text);
        *col = (int)c;
    }
    if (*rcol < 0 || *scol < 0) {
        const clb_csv_cell *h = clb__csv_get(csv, 0, 0);
        return cell_error(err, source, h->line, h->column,
                          "no column '%s' in the header (the columns are region and "
                          "min_share)",
                          *rcol < 0 ? "region" : "min_share");
    }
    return 0;
}

static int shares_from_csv(clb_sim_min_shares *sh, const clb_csv *csv, clb_error *err)
{
    const char *source = sh->source;
    double sum = 0.0;
    int rcol, scol, error;

    if ((error = read_header(&rcol, &scol, csv, source, err)) < 0)
        return error;
    if (csv->nrows < 2) {
        const clb_csv_cell *h = clb__csv_get(csv, 0, 0);
        return cell_error(err, source, h->line, h->column,
                          "no region under the header");
    }
    sh->rows = clb__arena_alloc(&sh->arena, csv->nrows * sizeof(*sh->rows));
    if (!sh->rows)
        return clb__oom(err);
    for (size_t r = 1; r < csv->nrows; r++) {
        const clb_csv_cell *rc = clb__csv_get(csv, r, (size_t)rcol);
        const clb_csv_cell *sc = clb__csv_get(csv, r, (size_t)scol);
        clb__min_share *row = &sh->rows[sh->n];
        if (!rc->text[0])
            return cell_error(err, source, rc->line, rc->column,
                              "column 'region': empty");
        for (size_t i = 0; i < sh->n; i++)
            if (strcmp(sh->rows[i].region, rc->text) == 0)
                return cell_error(err, source, rc->line, rc->column,
                                  "column 'region': '%s' is listed twice (first on "
                                  "line %d)",
                                  rc->text, sh->rows[i].line);
        if ((error = read_share(&row->share, csv, sc, source, err)) < 0)
            return error;
        sum += row->share;
        if (sum > 1.0 + 1e-9)
            return cell_error(err, source, sc->line, sc->column,
                              "column 'min_share': the minimum shares add up to %g by "
                              "this row, more than 1",
                              sum);
        if (!(row->region = clb__arena_strdup(&sh->arena, rc->text)))
            return clb__oom(err);
        row->line = rc->line;
        row->column = rc->column;
        sh->n++;
    }
    return 0;
}

/* Load from CSV text or, when buf is NULL, from the file `source`. */
static int shares_load(clb_sim_min_shares **out, const char *buf, size_t len,
                       const char *source, clb_error *err)
{
    clb_sim_min_shares *sh = clb__calloc(1, sizeof(*sh));
    clb_csv csv;
    int error;

    *out = NULL;
    memset(&csv, 0, sizeof(csv));
    if (!sh)
        return clb__oom(err);
    clb__arena_init(&sh->arena);
    if (!(sh->source = clb__arena_strdup(&sh->arena, source ? source : "csv"))) {
        error = clb__oom(err);
        goto done;
    }
    error = buf ? clb__csv_load_buffer(&csv, buf, len, sh->source, NULL, err)
                : clb__csv_load_file(&csv, sh->source, NULL, err);
    if (error == 0)
        error = shares_from_csv(sh, &csv, err);
done:
    clb__csv_dispose(&csv);
    if (error < 0) {
        clb_sim_min_shares_free(sh);
        return error;
    }
    *out = sh;
    return 0;
}

int clb_sim_min_shares_load_buffer(clb_sim_min_shares **out, const char *buf, size_t len,
                                   const char *source, clb_error *err)
{
    return shares_load(out, buf ? buf : "", len, source, err);
}

int clb_sim_min_shares_load_file(clb_sim_min_shares **out, const char *path,
                                 clb_error *err)
{
    return shares_load(out, NULL, 0, path, err);
}

/* ---- minimums as quotas ---------------------------------------------------------- */

int clb__fair_check_regions(const clb_sim_min_shares *sh, const clb_scenario *s,
                            clb_error *err)
{
    for (size_t i = 0; i < sh->n; i++) {
        bool found = false;
        for (size_t w = 0; w < s->n_workers && !found; w++)
            found = s->workers[w].region >= 0 &&
                    strcmp(clb_sym(s, s->workers[w].region), sh->rows[i].region) == 0;
        if (!found)
            return cell_error(err, sh->source, sh->rows[i].line, sh->rows[i].column,
                              "column 'region': no worker of the scenario comes from "
                              "origin region '%s'",
                              sh->rows[i].region);
    }
    return 0;
}

void clb__fair_minima(long *mins, const clb_sim_min_shares *sh, long base)
{
    /* the small slack keeps 0.3 x 10 at 3, not 4, whatever the rounding of 0.3 */
    for (size_t i = 0; i < sh->n; i++)
        mins[i] = base > 0 ? (long)ceil(sh->rows[i].share * (double)base - 1e-9) : 0;
}

/* The season's origin row of `region`, or NULL. */
static const clb_kpi_group *origin_row(const clb_kpi_summary *m, const char *region)
{
    for (size_t i = 0; i < m->n_by_origin; i++)
        if (strcmp(m->by_origin[i].key, region) == 0)
            return &m->by_origin[i];
    return NULL;
}

bool clb__fair_met(const clb_sim_min_shares *sh, const long *mins, const clb_kpi_summary *m)
{
    for (size_t i = 0; i < sh->n; i++) {
        const clb_kpi_group *g = origin_row(m, sh->rows[i].region);
        if ((g ? g->filled : 0) < mins[i])
            return false;
    }
    return true;
}

int clb__fair_add_quotas(clb_buf *out, const char *doc, size_t len, const char *source,
                         const clb_sim_min_shares *sh, const long *mins, clb_error *err)
{
    clb_json *root = NULL, *quotas;
    int error;

    if ((error = clb__json_load_buffer(&root, doc, len, source, err)) < 0)
        return error;
    if (!(quotas = clb__json_object_get_mut(root, "quotas"))) {
        if ((error = clb__json_object_set(root, "quotas", clb__json_new_array())) < 0)
            goto done;
        quotas = clb__json_object_get_mut(root, "quotas");
    }
    for (size_t i = 0; i < sh->n; i++) {
        clb_json *q, *where, *list;
        char id[32];
        if (mins[i] <= 0)
            continue;
        snprintf(id, sizeof(id), "SIM-SHARE-%zu", i + 1);
        q = clb__json_new_object();
        where = clb__json_new_object();
        list = clb__json_new_array();
        if (!q || !where || !list) {
            clb__json_free(q);
            clb__json_free(where);
            clb__json_free(list);
            error = CLB_ENOMEM;
            goto done;
        }
        if ((error = clb__json_object_set(q, "where", where)) < 0 ||
            (error = clb__json_object_set(q, "id", clb__json_new_string(id))) < 0 ||
            (error = clb__json_object_set(q, "min", clb__json_new_integer(mins[i]))) < 0 ||
            (error = clb__json_object_set(q, "unit", clb__json_new_string("workers"))) <
                0 ||
            (error = clb__json_object_set(where, "origin_region", list)) < 0 ||
            (error = clb__json_array_append(
                 list, clb__json_new_string(sh->rows[i].region))) < 0) {
            clb__json_free(q);
            goto done;
        }
        if ((error = clb__json_array_append(quotas, q)) < 0)
            goto done;
    }
    error = clb__json_save(out, root, 0);
done:
    clb__json_free(root);
    if (error == CLB_ENOMEM)
        clb__oom(err);
    return error;
}

/* ---- the season's figures -------------------------------------------------------- */

void clb__fair_totals_dispose(clb__fair_totals *t)
{
    for (size_t i = 0; i < t->n; i++)
        clb__free((char *)(uintptr_t)t->rows[i].key);
    clb__free(t->rows);
    memset(t, 0, sizeof(*t));
}

/* The running row of `region`, added (zero) when new; NULL when out of memory. */
static clb_kpi_group *total_row(clb__fair_totals *t, const char *region)
{
    size_t n = strlen(region) + 1;
    char *key;
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->rows[i].key, region) == 0)
            return &t->rows[i];
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8;
        clb_kpi_group *rows = clb__realloc(t->rows, cap * sizeof(*rows));
        if (!rows)
            return NULL;
        t->rows = rows;
        t->cap = cap;
    }
    if (!(key = clb__malloc(n)))
        return NULL;
    memcpy(key, region, n);
    memset(&t->rows[t->n], 0, sizeof(t->rows[t->n]));
    t->rows[t->n].key = key;
    return &t->rows[t->n++];
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp(((const clb_kpi_group *)a)->key, ((const clb_kpi_group *)b)->key);
}

static double share(long part, long whole)
{
    return whole > 0 ? (double)part / (double)whole : NAN;
}

int clb__fair_season(clb_sim_season *ss, clb_arena *arena, clb__fair_totals *tot,
                     const clb_kpi_summary *m, const clb_sim_min_shares *sh,
                     const long *mins, clb_error *err)
{
    clb_sim_region *regions;

    for (size_t i = 0; i < m->n_by_origin; i++) {
        clb_kpi_group *g = total_row(tot, m->by_origin[i].key);
        if (!g)
            return clb__oom(err);
        g->places += m->by_origin[i].places;
        g->filled += m->by_origin[i].filled;
        g->placements += m->by_origin[i].placements;
    }
    for (size_t i = 0; sh && i < sh->n; i++)
        if (!total_row(tot, sh->rows[i].region))
            return clb__oom(err);
    tot->applicants += m->applicants;
    tot->placed += m->workers_placed;
    qsort(tot->rows, tot->n, sizeof(*tot->rows), cmp_key);

    if (!(regions = clb__arena_alloc(arena, (tot->n + 1) * sizeof(*regions))))
        return clb__oom(err);
    for (size_t i = 0; i < tot->n; i++) {
        const clb_kpi_group *g = origin_row(m, tot->rows[i].key);
        clb_sim_region *r = &regions[i];
        if (!(r->region = clb__arena_strdup(arena, tot->rows[i].key)))
            return clb__oom(err);
        r->applicants = g ? g->places : 0;
        r->placed = g ? g->filled : 0;
        r->placements = g ? g->placements : 0;
        r->applicant_share = share(r->applicants, m->applicants);
        r->placed_share = share(r->placed, m->workers_placed);
        r->total_applicants = tot->rows[i].places;
        r->total_placed = tot->rows[i].filled;
        r->total_applicant_share = share(r->total_applicants, tot->applicants);
        r->total_placed_share = share(r->total_placed, tot->placed);
        r->min_share = -1.0;
        for (size_t k = 0; sh && k < sh->n; k++)
            if (strcmp(sh->rows[k].region, r->region) == 0) {
                r->min_share = sh->rows[k].share;
                r->min = mins ? mins[k] : 0;
                r->shortfall = r->min > r->placed ? r->min - r->placed : 0;
            }
    }
    ss->regions = regions;
    ss->n_regions = tot->n;
    ss->balance_index = m->balance_index;
    ss->total_balance_index =
        clb__balance_index(tot->rows, tot->n, tot->placed, tot->applicants);
    return 0;
}
