/*
 * compare.c - the key figures of several scenarios side by side (compare.h): text,
 * CSV and JSON.
 *
 * Comparisons are rendered through one intermediate table (section, key, metric, one
 * cell per scenario) so that the text and CSV forms always show the same rows; JSON
 * is written from the figures themselves, with numbers as numbers.
 */
#include "circulab/compare.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan_impl.h"
#include "util/util.h"
#include "util/alloc.h"

/* ---- comparison tables ------------------------------------------------------------ */

/* One row: where it belongs and one cell per scenario (NULL: not applicable). */
typedef struct trow {
    const char *section, *key, *metric;
    const char **cells;
} trow;

/*
 * The table. Each row lives in the arena and `rows` points at them: a row's address
 * stays valid while later rows are added (the CSV form fills a metric's rows side by
 * side, so it holds several at once).
 */
typedef struct table {
    clb_arena arena;
    trow **rows;
    size_t n, cap, ncols;
    bool csv; /* numeric metrics in their own rows, instead of combined cells */
    int oom;
} table;

static trow *table_row(table *t, const char *section, const char *key,
                       const char *metric)
{
    trow *r;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        trow **rows = clb__realloc(t->rows, cap * sizeof(*rows));
        if (!rows) {
            t->oom = CLB_ENOMEM;
            return NULL;
        }
        t->rows = rows;
        t->cap = cap;
    }
    if (!(r = clb__arena_alloc(&t->arena, sizeof(*r))) ||
        !(r->cells = clb__arena_alloc(&t->arena, (t->ncols + 1) * sizeof(char *)))) {
        t->oom = CLB_ENOMEM;
        return NULL;
    }
    r->section = section;
    r->key = key;
    r->metric = metric;
    t->rows[t->n++] = r;
    return r;
}

static void cell(table *t, trow *r, size_t j, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void cell(table *t, trow *r, size_t j, const char *fmt, ...)
{
    clb_buf b = CLB_BUF_INIT;
    va_list ap;

    if (!r)
        return;
    va_start(ap, fmt);
    if (clb__buf_vprintf(&b, fmt, ap) < 0 ||
        !(r->cells[j] = clb__arena_strdup(&t->arena, b.ptr ? b.ptr : "")))
        t->oom = CLB_ENOMEM;
    va_end(ap);
    clb_buf_dispose(&b);
}

/* A number for a cell: integers without a fraction, others with up to 4 decimals. */
static void cell_num(table *t, trow *r, size_t j, double x)
{
    if (isnan(x))
        cell(t, r, j, "%s", t->csv ? "" : "-");
    else if (x == floor(x) && fabs(x) < 1e15)
        cell(t, r, j, "%.0f", x);
    else
        cell(t, r, j, "%.10g", x);
}

static void cell_pct(table *t, trow *r, size_t j, double x)
{
    if (t->csv)
        cell_num(t, r, j, isnan(x) ? x : round(x * 1e6) / 1e6);
    else if (isnan(x))
        cell(t, r, j, "-");
    else
        cell(t, r, j, "%.1f %%", 100.0 * x);
}

typedef const clb_kpi_summary *ksum;

/* Overall figures: one row per metric. */
static void rows_overall(table *t, ksum *k, size_t n)
{
    trow *r;
#define ROW(label, body)                                                             \
    do {                                                                              \
        r = table_row(t, "overall", label, "");                                       \
        for (size_t j = 0; r && j < n; j++) {                                         \
            body;                                                                     \
        }                                                                             \
    } while (0)
    ROW("scenario", cell(t, r, j, "%s", k[j]->scenario));
    /* `~`: the variant's second stage stopped at its time bound (docs/PLANNERS.md) */
    ROW("status", cell(t, r, j, "%s%s", clb_status_name(k[j]->status),
                       k[j]->second_stage == CLB_SECOND_STAGE_STOPPED ? " ~" : ""));
    ROW("objective", cell_num(t, r, j, k[j]->objective));
    ROW("bound", cell_num(t, r, j, k[j]->bound));
    ROW("solve seconds", cell(t, r, j, "%.2f", k[j]->seconds));
    ROW("places", cell_num(t, r, j, (double)k[j]->places));
    ROW("placements", cell_num(t, r, j, (double)k[j]->placements));
    ROW("fill rate", cell_pct(t, r, j, k[j]->fill_rate));
    ROW("applicants", cell_num(t, r, j, (double)k[j]->applicants));
    ROW("workers placed", cell_num(t, r, j, (double)k[j]->workers_placed));
    ROW("returning placed", cell_num(t, r, j, (double)k[j]->returning_placed));
    ROW("returning share", cell_pct(t, r, j, k[j]->returning_share));
    ROW("origin balance index",
        cell_num(t, r, j, isnan(k[j]->balance_index)
                              ? NAN
                              : round(k[j]->balance_index * 1e4) / 1e4));
    ROW("named requested", cell_num(t, r, j, (double)k[j]->named_requested));
    ROW("named honoured", cell_num(t, r, j, (double)k[j]->named_honoured));
    ROW("training seats", cell_num(t, r, j, (double)k[j]->training_seats));
    ROW("training cost", cell_num(t, r, j, k[j]->training_cost));
    ROW("reintegration enrolments",
        cell_num(t, r, j, (double)k[j]->reintegration_enrolments));
    ROW("reintegration seats", cell_num(t, r, j, (double)k[j]->reintegration_seats));
    ROW("quota shortfall", cell_num(t, r, j, (double)k[j]->quota_shortfall));
#undef ROW
}

static const clb_kpi_group *find_group(const clb_kpi_group *g, size_t n, const char *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(g[mid].key, key);
        if (c == 0)
            return &g[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Rows of one breakdown (the union of keys). `origin`: places are applicants. */
static void rows_groups(table *t, ksum *k, size_t n, const char *section, size_t off_g,
                        size_t off_n, bool origin)
{
    const char **keys = NULL;
    size_t total = 0, nk = 0;

    for (size_t j = 0; j < n; j++)
        total += *(const size_t *)(const void *)((const char *)k[j] + off_n);
    if (!(keys = clb__malloc((total + 1) * sizeof(*keys)))) {
        t->oom = CLB_ENOMEM;
        return;
    }
    for (size_t j = 0; j < n; j++) {
        const clb_kpi_group *g =
            *(const clb_kpi_group *const *)(const void *)((const char *)k[j] + off_g);
        size_t gn = *(const size_t *)(const void *)((const char *)k[j] + off_n);
        for (size_t i = 0; i < gn; i++)
            keys[nk++] = g[i].key;
    }
    qsort(keys, nk, sizeof(*keys), clb__cmp_str);
    for (size_t i = 0; i < nk; i++) {
        const char *key = keys[i];
        trow *r[3] = {NULL, NULL, NULL};
        if (i > 0 && strcmp(keys[i - 1], key) == 0)
            continue;
        if (t->csv) {
            r[0] = table_row(t, section, key[0] ? key : "(none)",
                             origin ? "placed" : "filled");
            r[1] = table_row(t, section, key[0] ? key : "(none)",
                             origin ? "applicants" : "places");
            r[2] = table_row(t, section, key[0] ? key : "(none)", "rate");
        } else {
            r[0] = table_row(t, section, key[0] ? key : "(none)", "");
        }
        for (size_t j = 0; j < n && !t->oom; j++) {
            const clb_kpi_group *g = find_group(
                *(const clb_kpi_group *const *)(const void *)((const char *)k[j] + off_g),
                *(const size_t *)(const void *)((const char *)k[j] + off_n), key);
            double rate;
            if (!g)
                continue;
            rate = g->places > 0 ? (double)g->filled / (double)g->places : NAN;
            if (t->csv) {
                cell_num(t, r[0], j, (double)g->filled);
                cell_num(t, r[1], j, (double)g->places);
                cell_pct(t, r[2], j, rate);
            } else if (isnan(rate)) {
                cell(t, r[0], j, "%ld/%ld", g->filled, g->places);
            } else {
                cell(t, r[0], j, "%ld/%ld %5.1f%%", g->filled, g->places, 100.0 * rate);
            }
        }
    }
    clb__free(keys);
}

/* Rows of the limits of one kind, keyed by id, in order of first appearance. */
static void rows_limits_kind(table *t, ksum *k, size_t n, int kind)
{
    for (size_t j0 = 0; j0 < n; j0++) {
        for (size_t i0 = 0; i0 < k[j0]->n_limits; i0++) {
            const clb_kpi_limit *l0 = &k[j0]->limits[i0];
            bool seen = false;
            trow *r[5] = {NULL, NULL, NULL, NULL, NULL};
            const char *section;
            if ((int)l0->kind != kind)
                continue;
            for (size_t j = 0; j < j0 && !seen; j++)
                for (size_t i = 0; i < k[j]->n_limits && !seen; i++)
                    seen = k[j]->limits[i].kind == l0->kind &&
                           strcmp(k[j]->limits[i].id, l0->id) == 0;
            if (seen)
                continue;
            section = l0->kind == CLB_LIMIT_QUOTA   ? "quotas"
                      : l0->kind == CLB_LIMIT_SITE  ? "housing sites (peak beds)"
                      : l0->kind == CLB_LIMIT_SESSION ? "training sessions"
                                                      : "reintegration programmes";
            if (t->csv) {
                r[0] = table_row(t, section, l0->id, "used");
                r[1] = table_row(t, section, l0->id, "limit");
                if (l0->kind == CLB_LIMIT_QUOTA) {
                    r[2] = table_row(t, section, l0->id, "min");
                    r[3] = table_row(t, section, l0->id, "shortfall");
                }
                r[4] = table_row(t, section, l0->id, "binding");
            } else {
                r[0] = table_row(t, section, l0->id, "");
            }
            for (size_t j = 0; j < n && !t->oom; j++) {
                const clb_kpi_limit *l = NULL;
                for (size_t i = 0; i < k[j]->n_limits && !l; i++)
                    if (k[j]->limits[i].kind == l0->kind &&
                        strcmp(k[j]->limits[i].id, l0->id) == 0)
                        l = &k[j]->limits[i];
                if (!l)
                    continue;
                if (t->csv) {
                    cell_num(t, r[0], j, (double)l->used);
                    if (l->limit >= 0)
                        cell_num(t, r[1], j, (double)l->limit);
                    else
                        cell(t, r[1], j, "%s", "");
                    if (r[2]) {
                        cell_num(t, r[2], j, (double)l->min);
                        cell_num(t, r[3], j, (double)l->shortfall);
                    }
                    cell(t, r[4], j, "%s", l->binding ? "1" : "0");
                } else {
                    clb_buf b = CLB_BUF_INIT;
                    int rc;
                    if (l->limit >= 0)
                        rc = clb__buf_printf(&b, "%ld/%ld", l->used, l->limit);
                    else
                        rc = clb__buf_printf(&b, "%ld", l->used);
                    if (rc == 0 && l->min > 0)
                        rc = clb__buf_printf(&b, " min %ld", l->min);
                    if (rc == 0 && l->shortfall > 0)
                        rc = clb__buf_printf(&b, " short %ld", l->shortfall);
                    else if (rc == 0 && l->binding)
                        rc = clb__buf_puts(&b, " *");
                    if (rc < 0)
                        t->oom = CLB_ENOMEM;
                    else
                        cell(t, r[0], j, "%s", b.ptr ? b.ptr : "");
                    clb_buf_dispose(&b);
                }
            }
        }
    }
}

/* Kind by kind, so that a record only one scenario has joins its own section. */
static void rows_limits(table *t, ksum *k, size_t n)
{
    for (int kind = CLB_LIMIT_QUOTA; kind <= CLB_LIMIT_PROGRAMME; kind++)
        rows_limits_kind(t, k, n, kind);
}

/*
 * The text form's section of marginal values: two rows per limit and step (the
 * people, then "objective"), which render_text lays out as a block of its own, so
 * that their long cells do not widen the table's columns.
 */
#define MARGINAL_SECTION "marginal value (re-solved; change from the plan)"

/* The marginal value of (kind, id, delta) in scenario k, or NULL. */
static const clb_kpi_marginal *find_marginal(ksum k, const clb_kpi_marginal *m0)
{
    for (size_t i = 0; i < k->n_marginals; i++)
        if (k->marginals[i].kind == m0->kind && k->marginals[i].delta == m0->delta &&
            strcmp(k->marginals[i].id, m0->id) == 0)
            return &k->marginals[i];
    return NULL;
}

/* The people's side of a marginal value, for the text form. */
static void cell_marginal_people(table *t, trow *r, size_t j, const clb_kpi_marginal *m)
{
    clb_buf b = CLB_BUF_INIT;
    int rc = clb__buf_printf(&b, "%+ld places, %+ld workers, %+ld returning",
                             m->d_placements, m->d_workers_placed, m->d_returning_placed);
    if (rc == 0 && (m->d_training_seats || clb__tidy(m->d_training_cost) != 0.0))
        rc = clb__buf_printf(&b, ", %+ld seats %+.10g EUR", m->d_training_seats,
                             clb__tidy(m->d_training_cost));
    if (rc == 0 && m->d_enrolments)
        rc = clb__buf_printf(&b, ", %+ld enrolled", m->d_enrolments);
    if (rc == 0 && m->d_quota_shortfall)
        rc = clb__buf_printf(&b, ", %+ld short", m->d_quota_shortfall);
    if (rc == 0 && m->status != CLB_STATUS_OPTIMAL)
        rc = clb__buf_puts(&b, " ~");
    if (rc < 0)
        t->oom = CLB_ENOMEM;
    else
        cell(t, r, j, "%s", b.ptr ? b.ptr : "");
    clb_buf_dispose(&b);
}

/* The objective's side: the change and its non-zero terms, in points. */
static void cell_marginal_terms(table *t, trow *r, size_t j, const clb_kpi_marginal *m)
{
    clb_buf b = CLB_BUF_INIT;
    int rc = clb__buf_printf(&b, "objective %+.10g", clb__tidy(m->d_objective));
    const char *sep = " = ";

    for (size_t i = 0; i < CLB_KPI_N_TERMS && rc == 0; i++) {
        double x = clb__tidy(clb_kpi_term(&m->d_terms, i));
        if (x == 0.0)
            continue;
        rc = clb__buf_printf(&b, "%s%s %+.10g", sep, clb_kpi_term_name(i), x);
        sep = ", ";
    }
    if (rc < 0)
        t->oom = CLB_ENOMEM;
    else
        cell(t, r, j, "%s", b.ptr ? b.ptr : "");
    clb_buf_dispose(&b);
}

/* The CSV metrics of a marginal value, in order; objective terms follow. */
static const char *const marginal_metrics[] = {
    "placements", "workers placed", "returning placed", "training seats",
    "training cost", "reintegration enrolments", "quota shortfall", "objective"};
#define N_MARGINAL_METRICS (sizeof(marginal_metrics) / sizeof(marginal_metrics[0]))

static double marginal_metric(const clb_kpi_marginal *m, size_t i)
{
    switch (i) {
    case 0: return (double)m->d_placements;
    case 1: return (double)m->d_workers_placed;
    case 2: return (double)m->d_returning_placed;
    case 3: return (double)m->d_training_seats;
    case 4: return clb__tidy(m->d_training_cost);
    case 5: return (double)m->d_enrolments;
    case 6: return (double)m->d_quota_shortfall;
    case 7: return m->d_objective;
    default: return clb__tidy(clb_kpi_term(&m->d_terms, i - N_MARGINAL_METRICS));
    }
}

/*
 * Rows of the marginal values, keyed by the limit ("quota Q1 max") and "+delta". The
 * text form gives two rows per value (people, then the objective's terms); the CSV
 * form one row per figure.
 */
static void rows_marginals(table *t, ksum *k, size_t n)
{
    for (size_t j0 = 0; j0 < n; j0++) {
        for (size_t i0 = 0; i0 < k[j0]->n_marginals; i0++) {
            const clb_kpi_marginal *m0 = &k[j0]->marginals[i0];
            bool seen = false;
            char key[200], metric[64];
            trow *r[N_MARGINAL_METRICS + CLB_KPI_N_TERMS];
            size_t nr = 0;
            const char *akey;
            for (size_t j = 0; j <= j0 && !seen; j++)
                for (size_t i = 0; i < (j == j0 ? i0 : k[j]->n_marginals) && !seen; i++)
                    seen = k[j]->marginals[i].kind == m0->kind &&
                           k[j]->marginals[i].delta == m0->delta &&
                           strcmp(k[j]->marginals[i].id, m0->id) == 0;
            if (seen)
                continue;
            clb__limit_label(key, sizeof(key), m0->kind, m0->id);
            if (!(akey = clb__arena_strdup(&t->arena, key))) {
                t->oom = CLB_ENOMEM;
                return;
            }
            if (t->csv) {
                for (size_t i = 0; i < N_MARGINAL_METRICS + CLB_KPI_N_TERMS; i++) {
                    if (i < N_MARGINAL_METRICS)
                        snprintf(metric, sizeof(metric), "%s +%ld", marginal_metrics[i],
                                 m0->delta);
                    else
                        snprintf(metric, sizeof(metric), "objective %s +%ld",
                                 clb_kpi_term_name(i - N_MARGINAL_METRICS), m0->delta);
                    r[nr++] = table_row(t, "marginal value", akey,
                                        clb__arena_strdup(&t->arena, metric));
                }
            } else {
                snprintf(metric, sizeof(metric), "+%ld", m0->delta);
                r[nr++] = table_row(t, MARGINAL_SECTION, akey,
                                    clb__arena_strdup(&t->arena, metric));
                r[nr++] = table_row(t, MARGINAL_SECTION, akey,
                                    clb__arena_strdup(&t->arena, "objective"));
            }
            for (size_t i = 0; i < nr; i++)
                if (!r[i] || !r[i]->metric)
                    t->oom = CLB_ENOMEM;
            for (size_t j = 0; j < n && !t->oom; j++) {
                const clb_kpi_marginal *m = find_marginal(k[j], m0);
                if (!m)
                    continue;
                if (t->csv) {
                    for (size_t i = 0; i < nr; i++)
                        cell_num(t, r[i], j, marginal_metric(m, i));
                } else {
                    cell_marginal_people(t, r[0], j, m);
                    cell_marginal_terms(t, r[1], j, m);
                }
            }
        }
    }
}

static void table_build(table *t, ksum *k, size_t n)
{
    rows_overall(t, k, n);
    rows_groups(t, k, n, "fill by sector", offsetof(clb_kpi_summary, by_sector),
                offsetof(clb_kpi_summary, n_by_sector), false);
    rows_groups(t, k, n, "fill by destination province",
                offsetof(clb_kpi_summary, by_province),
                offsetof(clb_kpi_summary, n_by_province), false);
    rows_groups(t, k, n, "fill by employer", offsetof(clb_kpi_summary, by_employer),
                offsetof(clb_kpi_summary, n_by_employer), false);
    rows_groups(t, k, n, "workers placed by origin region (of applicants)",
                offsetof(clb_kpi_summary, by_origin),
                offsetof(clb_kpi_summary, n_by_origin), true);
    rows_limits(t, k, n);
    rows_marginals(t, k, n);
}

static size_t utf8_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

/*
 * The text table prints symbols from the scenario (sectors, regions, the scenario's
 * name), which are free text: each goes through the one escaper (clb_text_escape)
 * before it is measured and written, so that a control or bidirectional character
 * shows as \u001B and cannot act on a terminal, and the columns still line up.
 * `scratch` holds the escaped form until the next call; NULL when out of memory.
 */
static const char *shown(clb_buf *scratch, const char *s)
{
    scratch->size = 0;
    if (scratch->ptr)
        scratch->ptr[0] = '\0';
    if (clb_text_escape(scratch, s, strlen(s), 0) < 0)
        return NULL;
    return scratch->ptr ? scratch->ptr : "";
}

static size_t shown_width(clb_buf *scratch, const char *s)
{
    const char *text = shown(scratch, s);
    return text ? utf8_width(text) : 0;
}

static int put_padded(clb_buf *out, clb_buf *scratch, const char *s, size_t width)
{
    const char *text = shown(scratch, s);
    if (!text)
        return CLB_ENOMEM;
    size_t w = utf8_width(text);
    if (clb__buf_puts(out, text) < 0)
        return CLB_ENOMEM;
    for (; w < width; w++)
        if (clb__buf_put(out, " ", 1) < 0)
            return CLB_ENOMEM;
    return 0;
}

/*
 * The marginal rows (from row `first` on, in pairs) as a block: the limit and step,
 * then per scenario the people's figures and, below, the objective's terms.
 */
static int render_marginals(clb_buf *out, clb_buf *scratch, const table *t, size_t first,
                            ksum *k, size_t n)
{
    size_t w = 8;
    char label[400];

    for (size_t i = first; i + 1 < t->n; i += 2) {
        size_t lw;
        snprintf(label, sizeof(label), "  %s %s", t->rows[i]->key, t->rows[i]->metric);
        lw = shown_width(scratch, label) + 2;
        w = lw > w ? lw : w;
    }
    for (size_t j = 0; n > 1 && j < n; j++) {
        size_t lw = shown_width(scratch, k[j]->label) + 6;
        w = lw > w ? lw : w;
    }
    if (clb__buf_printf(out, "%s\n", MARGINAL_SECTION) < 0)
        return CLB_ENOMEM;
    for (size_t i = first; i + 1 < t->n; i += 2) {
        const trow *people = t->rows[i], *obj = t->rows[i + 1];
        snprintf(label, sizeof(label), "  %s %s", people->key, people->metric);
        if (n > 1 && clb__buf_printf(out, "%s\n", label) < 0)
            return CLB_ENOMEM;
        for (size_t j = 0; j < n; j++) {
            char head[400];
            snprintf(head, sizeof(head), "    %s", k[j]->label);
            if (put_padded(out, scratch, n > 1 ? head : label, w) < 0 ||
                put_padded(out, scratch, people->cells[j] ? people->cells[j] : "-", 0) < 0 ||
                clb__buf_puts(out, "\n") < 0)
                return CLB_ENOMEM;
            if (!obj->cells[j])
                continue;
            if (put_padded(out, scratch, "", w) < 0 ||
                put_padded(out, scratch, obj->cells[j], 0) < 0 ||
                clb__buf_puts(out, "\n") < 0)
                return CLB_ENOMEM;
        }
    }
    return 0;
}

static int render_text(clb_buf *out, const table *t, ksum *k, size_t n)
{
    size_t w0 = 8, *wc = clb__calloc(n + 1, sizeof(size_t));
    const char *section = "";
    clb_buf scratch = CLB_BUF_INIT;
    int error = 0;

    if (!wc)
        return CLB_ENOMEM;
    for (size_t j = 0; j < n; j++)
        wc[j] = shown_width(&scratch, k[j]->label);
    for (size_t i = 0; i < t->n; i++) {
        const trow *r = t->rows[i];
        size_t w = shown_width(&scratch, r->key) + 2 +
                   (r->metric[0] ? shown_width(&scratch, r->metric) + 1 : 0);
        if (strcmp(r->section, MARGINAL_SECTION) == 0)
            continue;
        if (w > w0)
            w0 = w;
        for (size_t j = 0; j < n; j++)
            if (r->cells[j] && shown_width(&scratch, r->cells[j]) > wc[j])
                wc[j] = shown_width(&scratch, r->cells[j]);
    }
    if (put_padded(out, &scratch, "", w0 + 2) < 0) {
        error = CLB_ENOMEM;
        goto done;
    }
    for (size_t j = 0; j < n; j++)
        if (put_padded(out, &scratch, k[j]->label, j + 1 < n ? wc[j] + 3 : 0) < 0) {
            error = CLB_ENOMEM;
            goto done;
        }
    if (clb__buf_puts(out, "\n") < 0) {
        error = CLB_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < t->n; i++) {
        const trow *r = t->rows[i];
        char label[400];
        bool overall = strcmp(r->section, "overall") == 0;
        if (strcmp(r->section, MARGINAL_SECTION) == 0) {
            error = render_marginals(out, &scratch, t, i, k, n);
            break;
        }
        if (!overall && strcmp(section, r->section) != 0) {
            if (clb__buf_printf(out, "%s\n", r->section) < 0) {
                error = CLB_ENOMEM;
                goto done;
            }
        }
        section = r->section;
        snprintf(label, sizeof(label), "%s%s%s%s", overall ? "" : "  ", r->key,
                 r->metric[0] ? " " : "", r->metric);
        if (put_padded(out, &scratch, label, w0 + 2) < 0) {
            error = CLB_ENOMEM;
            goto done;
        }
        for (size_t j = 0; j < n; j++) {
            const char *c = r->cells[j] ? r->cells[j] : "-";
            /* Numbers line up on the right, words on the left. */
            bool numeric = (c[0] >= '0' && c[0] <= '9') || c[0] == '-' || c[0] == '+';
            if (numeric) {
                const char *text = shown(&scratch, c);
                if (!text) {
                    error = CLB_ENOMEM;
                    goto done;
                }
                for (size_t pad = utf8_width(text); pad < wc[j]; pad++)
                    if (clb__buf_put(out, " ", 1) < 0) {
                        error = CLB_ENOMEM;
                        goto done;
                    }
                if (clb__buf_puts(out, text) < 0 ||
                    (j + 1 < n && clb__buf_puts(out, "   ") < 0)) {
                    error = CLB_ENOMEM;
                    goto done;
                }
            } else if (put_padded(out, &scratch, c, j + 1 < n ? wc[j] + 3 : 0) < 0) {
                error = CLB_ENOMEM;
                goto done;
            }
        }
        if (clb__buf_puts(out, "\n") < 0) {
            error = CLB_ENOMEM;
            goto done;
        }
    }
done:
    clb_buf_dispose(&scratch);
    clb__free(wc);
    return error;
}

/* A CSV field through the one cell writer (quoting, formula guard). */
static int put_csv(clb_buf *out, const char *s)
{
    return clb__buf_put_csv_cell(out, s) < 0 ? CLB_ENOMEM : 0;
}

static int render_csv(clb_buf *out, const table *t, ksum *k, size_t n)
{
    if (clb__buf_puts(out, "section,key,metric") < 0)
        return CLB_ENOMEM;
    for (size_t j = 0; j < n; j++)
        if (clb__buf_put(out, ",", 1) < 0 || put_csv(out, k[j]->label) < 0)
            return CLB_ENOMEM;
    if (clb__buf_puts(out, "\r\n") < 0)
        return CLB_ENOMEM;
    for (size_t i = 0; i < t->n; i++) {
        const trow *r = t->rows[i];
        if (put_csv(out, r->section) < 0 || clb__buf_put(out, ",", 1) < 0 ||
            put_csv(out, r->key) < 0 || clb__buf_put(out, ",", 1) < 0 ||
            put_csv(out, r->metric) < 0)
            return CLB_ENOMEM;
        for (size_t j = 0; j < n; j++)
            if (clb__buf_put(out, ",", 1) < 0 ||
                put_csv(out, r->cells[j] ? r->cells[j] : "") < 0)
                return CLB_ENOMEM;
        if (clb__buf_puts(out, "\r\n") < 0)
            return CLB_ENOMEM;
    }
    return 0;
}

/* ---- JSON ---------------------------------------------------------------------- */

static int jnum(clb_buf *out, double x)
{
    if (isnan(x) || isinf(x))
        return clb__buf_puts(out, "null");
    return clb__buf_put_json_number(out, x);
}

static int jgroups(clb_buf *out, const char *name, const clb_kpi_group *g, size_t n,
                   const char *places)
{
    if (clb__buf_printf(out, ",\n    \"%s\": [", name) < 0)
        return CLB_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (clb__buf_puts(out, i ? ",\n      {\"key\": " : "\n      {\"key\": ") < 0 ||
            clb__buf_put_json_string(out, g[i].key) < 0 ||
            clb__buf_printf(out, ", \"%s\": %ld, \"%s\": %ld}", places, g[i].places,
                           strcmp(places, "applicants") == 0 ? "placed" : "filled",
                           g[i].filled) < 0)
            return CLB_ENOMEM;
    }
    return clb__buf_puts(out, n ? "\n    ]" : "]");
}

/* The objective's terms as one object, in points, named by their weights. */
static int jterms(clb_buf *out, const clb_kpi_terms *t)
{
    for (size_t i = 0; i < CLB_KPI_N_TERMS; i++)
        if (clb__buf_printf(out, "%s\"%s\": ", i ? ", " : "{", clb_kpi_term_name(i)) < 0 ||
            jnum(out, clb__tidy(clb_kpi_term(t, i))) < 0)
            return CLB_ENOMEM;
    return clb__buf_puts(out, "}");
}

static const char *second_stage_name(clb_second_stage st)
{
    switch (st) {
    case CLB_SECOND_STAGE_FINISHED: return "finished";
    case CLB_SECOND_STAGE_STOPPED: return "stopped";
    default: return "none";
    }
}

static int render_one_json(clb_buf *out, ksum k)
{
#define TRY(x)                                                                        \
    do {                                                                              \
        if ((x) < 0)                                                                  \
            return CLB_ENOMEM;                                                        \
    } while (0)
    TRY(clb__buf_puts(out, "  {\n    \"label\": "));
    TRY(clb__buf_put_json_string(out, k->label));
    TRY(clb__buf_puts(out, ",\n    \"scenario\": "));
    TRY(clb__buf_put_json_string(out, k->scenario));
    TRY(clb__buf_printf(out, ",\n    \"status\": \"%s\"", clb_status_name(k->status)));
    TRY(clb__buf_printf(out, ",\n    \"second_stage\": \"%s\"",
                        second_stage_name(k->second_stage)));
    TRY(clb__buf_puts(out, ",\n    \"objective\": "));
    TRY(jnum(out, k->objective));
    TRY(clb__buf_puts(out, ",\n    \"bound\": "));
    TRY(jnum(out, k->bound));
    TRY(clb__buf_puts(out, ",\n    \"gap\": "));
    TRY(jnum(out, k->gap));
    TRY(clb__buf_puts(out, ",\n    \"seconds\": "));
    TRY(jnum(out, round(k->seconds * 1000.0) / 1000.0));
    TRY(clb__buf_printf(out,
                       ",\n    \"places\": %ld,\n    \"placements\": %ld,\n"
                       "    \"fill_rate\": ",
                       k->places, k->placements));
    TRY(jnum(out, k->fill_rate));
    TRY(clb__buf_printf(out,
                       ",\n    \"applicants\": %ld,\n    \"workers_placed\": %ld,\n"
                       "    \"returning_placed\": %ld,\n    \"returning_share\": ",
                       k->applicants, k->workers_placed, k->returning_placed));
    TRY(jnum(out, k->returning_share));
    TRY(clb__buf_puts(out, ",\n    \"balance_index\": "));
    TRY(jnum(out, k->balance_index));
    TRY(clb__buf_printf(out,
                       ",\n    \"named_requested\": %ld,\n    \"named_honoured\": %ld,\n"
                       "    \"training_seats\": %ld,\n    \"training_cost\": ",
                       k->named_requested, k->named_honoured, k->training_seats));
    TRY(jnum(out, k->training_cost));
    TRY(clb__buf_printf(out,
                       ",\n    \"reintegration_enrolments\": %ld,\n"
                       "    \"reintegration_seats\": %ld,\n    \"quota_shortfall\": %ld",
                       k->reintegration_enrolments, k->reintegration_seats,
                       k->quota_shortfall));
    TRY(clb__buf_puts(out, ",\n    \"objective_terms\": "));
    TRY(jterms(out, &k->terms));
    TRY(jgroups(out, "by_sector", k->by_sector, k->n_by_sector, "places"));
    TRY(jgroups(out, "by_province", k->by_province, k->n_by_province, "places"));
    TRY(jgroups(out, "by_employer", k->by_employer, k->n_by_employer, "places"));
    TRY(jgroups(out, "by_origin", k->by_origin, k->n_by_origin, "applicants"));
    TRY(clb__buf_puts(out, ",\n    \"limits\": ["));
    for (size_t i = 0; i < k->n_limits; i++) {
        const clb_kpi_limit *l = &k->limits[i];
        TRY(clb__buf_printf(out, "%s\n      {\"kind\": \"%s\", \"id\": ", i ? "," : "",
                           clb_limit_kind_name(l->kind)));
        TRY(clb__buf_put_json_string(out, l->id));
        TRY(clb__buf_puts(out, ", \"detail\": "));
        TRY(clb__buf_put_json_string(out, l->detail));
        TRY(clb__buf_printf(out, ", \"used\": %ld, \"limit\": ", l->used));
        if (l->limit >= 0)
            TRY(clb__buf_printf(out, "%ld", l->limit));
        else
            TRY(clb__buf_puts(out, "null"));
        TRY(clb__buf_printf(out, ", \"min\": %ld, \"shortfall\": %ld, \"binding\": %s}",
                           l->min, l->shortfall, l->binding ? "true" : "false"));
    }
    TRY(clb__buf_puts(out, k->n_limits ? "\n    ]" : "]"));
    TRY(clb__buf_puts(out, ",\n    \"weeks\": ["));
    for (size_t i = 0; i < k->n_weeks; i++)
        TRY(clb__buf_printf(out,
                           "%s\n      {\"week\": \"%s\", \"arrivals\": %ld, "
                           "\"departures\": %ld, \"abroad\": %ld}",
                           i ? "," : "", k->weeks[i].start, k->weeks[i].arrivals,
                           k->weeks[i].departures, k->weeks[i].abroad));
    TRY(clb__buf_puts(out, k->n_weeks ? "\n    ]" : "]"));
    TRY(clb__buf_puts(out, ",\n    \"marginals\": ["));
    for (size_t i = 0; i < k->n_marginals; i++) {
        const clb_kpi_marginal *m = &k->marginals[i];
        TRY(clb__buf_printf(out, "%s\n      {\"kind\": \"%s\", \"id\": ", i ? "," : "",
                           clb_limit_kind_name(m->kind)));
        TRY(clb__buf_put_json_string(out, m->id));
        TRY(clb__buf_printf(out,
                           ", \"unit\": \"%s\", \"limit\": %ld, \"delta\": %ld, "
                           "\"d_objective\": ",
                           clb_limit_unit_name(m->kind), m->limit, m->delta));
        TRY(jnum(out, m->d_objective));
        TRY(clb__buf_printf(out,
                           ", \"d_placements\": %ld, \"d_workers_placed\": %ld, "
                           "\"d_returning_placed\": %ld, \"d_training_seats\": %ld, "
                           "\"d_training_cost\": ",
                           m->d_placements, m->d_workers_placed, m->d_returning_placed,
                           m->d_training_seats));
        TRY(jnum(out, clb__tidy(m->d_training_cost)));
        TRY(clb__buf_printf(out,
                           ", \"d_reintegration_enrolments\": %ld, "
                           "\"d_quota_shortfall\": %ld, \"d_objective_terms\": ",
                           m->d_enrolments, m->d_quota_shortfall));
        TRY(jterms(out, &m->d_terms));
        TRY(clb__buf_printf(out, ", \"status\": \"%s\"}", clb_status_name(m->status)));
    }
    TRY(clb__buf_puts(out, k->n_marginals ? "\n    ]\n  }" : "]\n  }"));
#undef TRY
    return 0;
}

int clb_compare_render(clb_buf *out, const clb_kpis *const *kpis, size_t n,
                       clb_compare_format format, clb_error *err)
{
    ksum *k = clb__calloc(n + 1, sizeof(*k));
    table t;
    int error = 0;

    memset(&t, 0, sizeof(t));
    clb__arena_init(&t.arena);
    t.ncols = n;
    t.csv = format == CLB_COMPARE_CSV;
    if (!k) {
        error = CLB_ENOMEM;
        goto done;
    }
    for (size_t j = 0; j < n; j++)
        k[j] = &kpis[j]->sum;
    if (format == CLB_COMPARE_JSON) {
        if (clb__buf_puts(out, "{\n\"format\": \"circulab-compare/1\",\n\"scenarios\": [\n") <
            0) {
            error = CLB_ENOMEM;
            goto done;
        }
        for (size_t j = 0; j < n && error == 0; j++) {
            error = render_one_json(out, k[j]);
            if (error == 0 && clb__buf_puts(out, j + 1 < n ? ",\n" : "\n") < 0)
                error = CLB_ENOMEM;
        }
        if (error == 0 && clb__buf_puts(out, "]\n}\n") < 0)
            error = CLB_ENOMEM;
        goto done;
    }
    table_build(&t, k, n);
    if (t.oom) {
        error = CLB_ENOMEM;
        goto done;
    }
    error = format == CLB_COMPARE_CSV ? render_csv(out, &t, k, n)
                                      : render_text(out, &t, k, n);
done:
    if (error < 0)
        clb__error_set(err, error, "out of memory rendering the comparison");
    clb__arena_dispose(&t.arena);
    clb__free(t.rows);
    clb__free(k);
    return error;
}
