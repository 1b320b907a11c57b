/*
 * report.c - one self-contained HTML page with the key figures of one or more
 * solved scenarios (or rounds), and inline SVG charts.
 *
 * The page must open anywhere, be mailed as one file and be archived with a round:
 * so no external asset, no font, no script. Charts are drawn here as plain SVG
 * elements with computed coordinates; all text goes through one escaping function.
 * A comparison draws the scenarios as grouped bars, one colour per scenario, with
 * the same legend on every chart; the calendar, being a time series, is drawn once
 * per scenario (small multiples) instead.
 */
#include "circulab/report.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan_impl.h"
#include "util/util.h"
#include "util/alloc.h"

#define WIDTH 860
#define LABEL_W 190
#define VALUE_W 120
#define BAR_H 13
#define GROUP_GAP 8

static const char *const palette[] = {"#1f6fb4", "#e07b24", "#2e9e5b", "#b8405e",
                                      "#7a5cb8", "#8c6d3f", "#c054a0", "#5f7d8c"};
#define NCOLORS (sizeof(palette) / sizeof(palette[0]))

typedef const clb_kpi_summary *ksum;

typedef struct page {
    clb_buf *out;
    int oom;
} page;

static void put(page *p, const char *s)
{
    if (!p->oom && clb__buf_puts(p->out, s) < 0)
        p->oom = CLB_ENOMEM;
}

static void putf(page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(page *p, const char *fmt, ...)
{
    va_list ap;
    if (p->oom)
        return;
    va_start(ap, fmt);
    if (clb__buf_vprintf(p->out, fmt, ap) < 0)
        p->oom = CLB_ENOMEM;
    va_end(ap);
}

/* Text for HTML and SVG: the five special characters escaped. */
static void esc(page *p, const char *s)
{
    for (; s && *s && !p->oom; s++) {
        switch (*s) {
        case '&': put(p, "&amp;"); break;
        case '<': put(p, "&lt;"); break;
        case '>': put(p, "&gt;"); break;
        case '"': put(p, "&quot;"); break;
        case '\'': put(p, "&#39;"); break;
        default:
            if (clb__buf_put(p->out, s, 1) < 0)
                p->oom = CLB_ENOMEM;
        }
    }
}

static const char *color(size_t j)
{
    return palette[j % NCOLORS];
}

/*
 * A table cell that names its column: at a phone's width each row of a table is
 * shown as a card and each cell labelled from data-label (the column's header).
 */
static void td_open(page *p, const char *cls, const char *label)
{
    put(p, "<td");
    if (cls && cls[0])
        putf(p, " class=\"%s\"", cls);
    put(p, " data-label=\"");
    esc(p, label);
    put(p, "\">");
}

/* ---- horizontal bar charts ---------------------------------------------------------- */

/*
 * One category row of a bar chart: per scenario a value and a limit (NAN: none).
 * The bar shows the value; a pale bar behind it and a dark tick show the limit.
 */
typedef struct hrow {
    const char *label;
    double value[16];
    double limit[16];
    double min[16];
    bool present[16];
    long short_by[16]; /* a quota's shortfall (0: none) */
    bool binding[16];  /* the limit binds: the value text says so, in red */
} hrow;

static void hbar_chart(page *p, const char *title, const char *caption, const hrow *rows,
                       size_t nrows, size_t n, const char *unit)
{
    double scale = 1.0;
    size_t group_h = n * (BAR_H + 2) + GROUP_GAP;
    size_t height = 28 + nrows * group_h + 10;
    double plot_w = WIDTH - LABEL_W - VALUE_W;

    for (size_t i = 0; i < nrows; i++)
        for (size_t j = 0; j < n; j++) {
            if (!rows[i].present[j])
                continue;
            scale = fmax(scale, rows[i].value[j]);
            if (!isnan(rows[i].limit[j]))
                scale = fmax(scale, rows[i].limit[j]);
            if (!isnan(rows[i].min[j]))
                scale = fmax(scale, rows[i].min[j]);
        }
    put(p, "<figure class=\"chart\">\n<figcaption>");
    esc(p, title);
    put(p, "</figcaption>\n");
    if (nrows == 0) {
        put(p, "<p class=\"empty\">nothing to show</p>\n</figure>\n");
        return;
    }
    putf(p,
         "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"hbar\" width=\"%d\" "
         "height=\"%zu\" viewBox=\"0 0 %d %zu\" role=\"img\" aria-label=\"",
         WIDTH, height, WIDTH, height);
    esc(p, title);
    put(p, "\">\n");
    putf(p, "<line x1=\"%d\" y1=\"20\" x2=\"%d\" y2=\"%zu\" stroke=\"#999\"/>\n",
         LABEL_W, LABEL_W, height - 8);
    putf(p, "<text x=\"%d\" y=\"12\" class=\"axis\">0</text>", LABEL_W);
    putf(p, "<text x=\"%.1f\" y=\"12\" class=\"axis\" text-anchor=\"end\">%.0f %s</text>\n",
         LABEL_W + plot_w, scale, unit);
    for (size_t i = 0; i < nrows; i++) {
        double y0 = 24.0 + (double)(i * group_h);
        putf(p, "<text x=\"%d\" y=\"%.1f\" class=\"label\" text-anchor=\"end\">",
             LABEL_W - 6, y0 + (double)(n * (BAR_H + 2)) / 2.0 + 4.0);
        esc(p, rows[i].label[0] ? rows[i].label : "(none)");
        put(p, "</text>\n");
        for (size_t j = 0; j < n; j++) {
            double y = y0 + (double)(j * (BAR_H + 2));
            double v = rows[i].value[j], l = rows[i].limit[j], mn = rows[i].min[j];
            if (!rows[i].present[j])
                continue;
            if (!isnan(l))
                putf(p,
                     "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" "
                     "fill=\"%s\" opacity=\"0.18\"/>",
                     LABEL_W, y, plot_w * l / scale, BAR_H, color(j));
            putf(p,
                 "<rect class=\"bar\" x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" "
                 "fill=\"%s\"><title>",
                 LABEL_W, y, fmax(plot_w * v / scale, v > 0 ? 1.0 : 0.0), BAR_H,
                 color(j));
            esc(p, rows[i].label);
            putf(p, ": %.0f", v);
            if (!isnan(l))
                putf(p, " of %.0f", l);
            put(p, "</title></rect>");
            if (!isnan(l))
                putf(p,
                     "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                     "stroke=\"#222\" stroke-width=\"2\"/>",
                     LABEL_W + plot_w * l / scale, y - 1, LABEL_W + plot_w * l / scale,
                     y + BAR_H + 1);
            if (!isnan(mn) && mn > 0)
                putf(p,
                     "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                     "stroke=\"#c00\" stroke-width=\"2\" stroke-dasharray=\"3,2\"/>",
                     LABEL_W + plot_w * mn / scale, y - 1, LABEL_W + plot_w * mn / scale,
                     y + BAR_H + 1);
            putf(p, "<text x=\"%.1f\" y=\"%.1f\" class=\"value\">%.0f", LABEL_W + plot_w + 6,
                 y + BAR_H - 2, v);
            if (!isnan(l))
                putf(p, " / %.0f", l);
            if (!isnan(l) && l > 0)
                putf(p, " (%.0f%%)", 100.0 * v / l);
            if (!isnan(mn) && mn > 0)
                putf(p, " min %.0f", mn);
            if (rows[i].short_by[j] > 0)
                putf(p, "</text><text x=\"%.1f\" y=\"%.1f\" class=\"bind\" "
                        "text-anchor=\"end\">short %ld",
                     (double)WIDTH - 2, y + BAR_H - 2, rows[i].short_by[j]);
            else if (rows[i].binding[j])
                putf(p, "</text><text x=\"%.1f\" y=\"%.1f\" class=\"bind\" "
                        "text-anchor=\"end\">binding",
                     (double)WIDTH - 2, y + BAR_H - 2);
            put(p, "</text>\n");
        }
    }
    put(p, "</svg>\n");
    if (caption) {
        put(p, "<p class=\"caption\">");
        esc(p, caption);
        put(p, "</p>\n");
    }
    put(p, "</figure>\n");
}

/* Rows of a breakdown: the union of keys over the scenarios. */
static hrow *group_rows(size_t *nrows, ksum *k, size_t n, size_t off_g, size_t off_n)
{
    size_t total = 0, nr = 0;
    hrow *rows;

    for (size_t j = 0; j < n; j++)
        total += *(const size_t *)(const void *)((const char *)k[j] + off_n);
    if (!(rows = clb__calloc(total + 1, sizeof(*rows))))
        return NULL;
    for (size_t j = 0; j < n; j++) {
        const clb_kpi_group *g =
            *(const clb_kpi_group *const *)(const void *)((const char *)k[j] + off_g);
        size_t gn = *(const size_t *)(const void *)((const char *)k[j] + off_n);
        for (size_t i = 0; i < gn; i++) {
            size_t r = 0;
            while (r < nr && strcmp(rows[r].label, g[i].key) != 0)
                r++;
            if (r == nr) {
                rows[nr].label = g[i].key;
                for (size_t jj = 0; jj < 16; jj++)
                    rows[nr].limit[jj] = rows[nr].min[jj] = NAN;
                nr++;
            }
            rows[r].value[j] = (double)g[i].filled;
            rows[r].limit[j] = (double)g[i].places;
            rows[r].present[j] = true;
        }
    }
    *nrows = nr;
    return rows;
}

static void chart_groups(page *p, ksum *k, size_t n, const char *title,
                         const char *caption, size_t off_g, size_t off_n,
                         const char *unit)
{
    size_t nr = 0;
    hrow *rows = group_rows(&nr, k, n, off_g, off_n);
    if (!rows) {
        p->oom = CLB_ENOMEM;
        return;
    }
    hbar_chart(p, title, caption, rows, nr, n, unit);
    clb__free(rows);
}

/* Limits of one kind as bars against their limits. */
static void chart_limits(page *p, ksum *k, size_t n, clb_limit_kind kind,
                         const char *title, const char *caption, const char *unit)
{
    size_t total = 0, nr = 0;
    hrow *rows;

    for (size_t j = 0; j < n; j++)
        total += k[j]->n_limits;
    if (!(rows = clb__calloc(total + 1, sizeof(*rows)))) {
        p->oom = CLB_ENOMEM;
        return;
    }
    for (size_t j = 0; j < n; j++) {
        for (size_t i = 0; i < k[j]->n_limits; i++) {
            const clb_kpi_limit *l = &k[j]->limits[i];
            size_t r = 0;
            if (l->kind != kind)
                continue;
            while (r < nr && strcmp(rows[r].label, l->id) != 0)
                r++;
            if (r == nr) {
                rows[nr].label = l->id;
                for (size_t jj = 0; jj < 16; jj++)
                    rows[nr].limit[jj] = rows[nr].min[jj] = NAN;
                nr++;
            }
            rows[r].value[j] = (double)l->used;
            rows[r].limit[j] = l->limit >= 0 ? (double)l->limit : NAN;
            rows[r].min[j] = l->min > 0 ? (double)l->min : NAN;
            rows[r].present[j] = true;
            rows[r].short_by[j] = l->shortfall;
            rows[r].binding[j] = l->binding;
        }
    }
    hbar_chart(p, title, caption, rows, nr, n, unit);
    clb__free(rows);
}

/* ---- the calendar ------------------------------------------------------------------- */

static void chart_calendar(page *p, ksum k, size_t j)
{
    const double top = 24, mid = 110, bottom = 196, left = 50;
    const double band_top = 222, band_bottom = 292;
    double plot_w = WIDTH - left - 20, bw;
    long peak = 1, peak_abroad = 1;

    put(p, "<figure class=\"chart\">\n<figcaption>Season calendar: arrivals and "
           "departures per week");
    if (j != (size_t)-1) {
        put(p, " — ");
        esc(p, k->label);
    }
    put(p, "</figcaption>\n");
    if (k->n_weeks == 0) {
        put(p, "<p class=\"empty\">no placements</p>\n</figure>\n");
        return;
    }
    for (size_t i = 0; i < k->n_weeks; i++) {
        peak = k->weeks[i].arrivals > peak ? k->weeks[i].arrivals : peak;
        peak = k->weeks[i].departures > peak ? k->weeks[i].departures : peak;
        peak_abroad = k->weeks[i].abroad > peak_abroad ? k->weeks[i].abroad : peak_abroad;
    }
    bw = plot_w / (double)k->n_weeks;
    putf(p,
         "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"calendar\" width=\"%d\" "
         "height=\"315\" viewBox=\"0 0 %d 315\" role=\"img\" aria-label=\"season "
         "calendar\">\n",
         WIDTH, WIDTH);
    putf(p, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#666\"/>\n",
         left, mid, left + plot_w, mid);
    putf(p, "<text x=\"%.0f\" y=\"%.0f\" class=\"axis\" text-anchor=\"end\">%ld</text>",
         left - 4, top + 4, peak);
    putf(p, "<text x=\"%.0f\" y=\"%.0f\" class=\"axis\" text-anchor=\"end\">0</text>",
         left - 4, mid + 4);
    putf(p, "<text x=\"%.0f\" y=\"%.0f\" class=\"axis\" text-anchor=\"end\">%ld</text>\n",
         left - 4, bottom, peak);
    for (size_t i = 0; i < k->n_weeks; i++) {
        const clb_kpi_week *w = &k->weeks[i];
        double x = left + bw * (double)i + 1, h;
        h = (mid - top) * (double)w->arrivals / (double)peak;
        if (w->arrivals > 0)
            putf(p,
                 "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                 "height=\"%.1f\" fill=\"#2e9e5b\"><title>week of %s: %ld "
                 "arrivals</title></rect>",
                 x, mid - h, fmax(bw - 2, 1), h, w->start, w->arrivals);
        h = (bottom - mid) * (double)w->departures / (double)peak;
        if (w->departures > 0)
            putf(p,
                 "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                 "height=\"%.1f\" fill=\"#b8405e\"><title>week of %s: %ld "
                 "departures</title></rect>",
                 x, mid, fmax(bw - 2, 1), h, w->start, w->departures);
        if (i % 4 == 0)
            putf(p,
                 "<text x=\"%.1f\" y=\"310\" class=\"axis\">%.5s</text>",
                 x, w->start + 5);
        put(p, "\n");
    }
    /* Workers abroad: an area in its own band below the weekly bars. */
    putf(p, "<text x=\"%.0f\" y=\"%.0f\" class=\"axis\" text-anchor=\"end\">%ld</text>",
         left - 4, band_top + 4, peak_abroad);
    putf(p, "<polygon fill=\"#1f6fb4\" opacity=\"0.35\" stroke=\"#1f6fb4\" points=\"%.1f,%.1f ",
         left, band_bottom);
    for (size_t i = 0; i < k->n_weeks; i++)
        putf(p, "%.1f,%.1f %.1f,%.1f ", left + bw * (double)i,
             band_bottom - (band_bottom - band_top) * (double)k->weeks[i].abroad /
                               (double)peak_abroad,
             left + bw * (double)(i + 1),
             band_bottom - (band_bottom - band_top) * (double)k->weeks[i].abroad /
                               (double)peak_abroad);
    putf(p, "%.1f,%.1f\"><title>workers abroad per week (peak %ld)</title></polygon>\n",
         left + plot_w, band_bottom, peak_abroad);
    putf(p,
         "<text x=\"%.0f\" y=\"14\" class=\"legend\"><tspan fill=\"#2e9e5b\">■ "
         "arrivals</tspan> <tspan fill=\"#b8405e\">■ departures</tspan> "
         "<tspan fill=\"#1f6fb4\">■ workers abroad (lower band, peak %ld)</tspan></text>\n",
         left, peak_abroad);
    put(p, "</svg>\n</figure>\n");
}

/* ---- what a variant changes ------------------------------------------------------------- */

/*
 * One row of a difference chart: placements added (in the variant, not in the base)
 * and removed (in the base, not in the variant), and the flags a quota's row shows.
 */
typedef struct drow {
    const char *key;
    long added, removed;
    long change;    /* a quota's count, variant minus base (workers or placements) */
    long short_by;  /* the variant's shortfall of the quota's min */
    bool binding;   /* the variant reaches the quota's max */
    bool was_binding;
    bool was_short;
} drow;

typedef struct dtab {
    drow *rows;
    size_t n, cap;
} dtab;

static drow *drow_of(dtab *t, const char *key)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->rows[i].key, key) == 0)
            return &t->rows[i];
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        drow *rows = clb__realloc(t->rows, cap * sizeof(*rows));
        if (!rows)
            return NULL;
        t->rows = rows;
        t->cap = cap;
    }
    memset(&t->rows[t->n], 0, sizeof(t->rows[t->n]));
    t->rows[t->n].key = key;
    return &t->rows[t->n++];
}

static int cmp_drow(const void *a, const void *b)
{
    return strcmp(((const drow *)a)->key, ((const drow *)b)->key);
}

static int cmp_placement(const clb_kpi_placement *a, const clb_kpi_placement *b)
{
    int c = strcmp(a->worker, b->worker);
    return c ? c : strcmp(a->vacancy, b->vacancy);
}

/* The placements of a (sorted) plan in b's, and the other way round: a merge. */
typedef void (*diff_cb)(void *payload, const clb_kpi_placement *pl, ksum in, bool added);

static void diff_plans(ksum base, ksum var, diff_cb cb, void *payload)
{
    size_t i = 0, j = 0;
    while (i < base->n_plan || j < var->n_plan) {
        int c = i == base->n_plan  ? 1
                : j == var->n_plan ? -1
                                   : cmp_placement(&base->plan[i], &var->plan[j]);
        if (c < 0)
            cb(payload, &base->plan[i++], base, false);
        else if (c > 0)
            cb(payload, &var->plan[j++], var, true);
        else
            i++, j++;
    }
}

typedef struct diff_acc {
    dtab employer, origin, quota;
    long added, removed;
    int oom;
} diff_acc;

static void count_change(void *payload, const clb_kpi_placement *pl, ksum in, bool added)
{
    diff_acc *a = payload;
    drow *r[2];

    if (!(r[0] = drow_of(&a->employer, pl->employer)) ||
        !(r[1] = drow_of(&a->origin, pl->origin[0] ? pl->origin : "(none)"))) {
        a->oom = CLB_ENOMEM;
        return;
    }
    for (size_t i = 0; i < 2; i++)
        *(added ? &r[i]->added : &r[i]->removed) += 1;
    *(added ? &a->added : &a->removed) += 1;
    for (size_t q = 0; q < pl->n_quotas; q++) {
        drow *d = drow_of(&a->quota, in->limits[pl->quotas[q]].id);
        if (!d) {
            a->oom = CLB_ENOMEM;
            return;
        }
        *(added ? &d->added : &d->removed) += 1;
    }
}

static const clb_kpi_limit *find_limit(ksum k, clb_limit_kind kind, const char *id)
{
    for (size_t i = 0; i < k->n_limits; i++)
        if (k->limits[i].kind == kind && strcmp(k->limits[i].id, id) == 0)
            return &k->limits[i];
    return NULL;
}

/*
 * A difference chart as CSS bars (they reflow at any width, unlike a fixed SVG):
 * removed placements to the left of the zero line, added ones to the right, the
 * net change and the flags in words. Rows without any change are left out.
 */
static void diverging_chart(page *p, const char *title, dtab *t, bool quotas)
{
    long scale = 1;
    size_t shown = 0;

    if (t->n > 1)
        qsort(t->rows, t->n, sizeof(*t->rows), cmp_drow);
    for (size_t i = 0; i < t->n; i++) {
        scale = t->rows[i].added > scale ? t->rows[i].added : scale;
        scale = t->rows[i].removed > scale ? t->rows[i].removed : scale;
    }
    put(p, "<figure class=\"chart\">\n<figcaption>");
    esc(p, title);
    put(p, "</figcaption>\n<div class=\"diverge\" role=\"img\" aria-label=\"");
    esc(p, title);
    put(p, "\">\n");
    for (size_t i = 0; i < t->n; i++) {
        const drow *r = &t->rows[i];
        bool flagged =
            quotas && (r->binding || r->short_by > 0 || r->was_binding || r->was_short);
        if (r->added == 0 && r->removed == 0 && r->change == 0 && !flagged)
            continue;
        shown++;
        putf(p, "<div class=\"drow%s%s\"><span class=\"dlabel\">",
             quotas && r->binding ? " binding" : "", quotas && r->short_by > 0 ? " short" : "");
        esc(p, r->key);
        if (quotas && r->short_by > 0)
            putf(p, " <b class=\"tag\">short %ld</b>", r->short_by);
        else if (quotas && r->binding)
            put(p, r->was_binding ? " <b class=\"tag\">at max</b>"
                                  : " <b class=\"tag\">now at max</b>");
        else if (quotas && r->was_binding)
            put(p, " <b class=\"tag off\">no longer at max</b>");
        if (quotas && r->was_short && r->short_by == 0)
            put(p, " <b class=\"tag off\">no longer short</b>");
        putf(p,
             "</span><span class=\"dneg\"><i class=\"removed\" style=\"width:%.1f%%\" "
             "title=\"%ld removed\"></i></span><span class=\"dpos\"><i class=\"added\" "
             "style=\"width:%.1f%%\" title=\"%ld added\"></i></span>"
             "<span class=\"dval\">+%ld −%ld",
             100.0 * (double)r->removed / (double)scale, r->removed,
             100.0 * (double)r->added / (double)scale, r->added, r->added, r->removed);
        if (quotas)
            putf(p, " (count %+ld)", r->change);
        put(p, "</span></div>\n");
    }
    if (shown == 0)
        put(p, "<p class=\"empty\">no change</p>\n");
    put(p, "</div>\n</figure>\n");
}

/* Other limits (sites, sessions, programmes) that bind in either plan. */
static void binding_table(page *p, ksum base, ksum var)
{
    size_t shown = 0;

    for (size_t i = 0; i < var->n_limits; i++) {
        const clb_kpi_limit *l = &var->limits[i], *b;
        if (l->kind == CLB_LIMIT_QUOTA)
            continue;
        b = find_limit(base, l->kind, l->id);
        if (!l->binding && !(b && b->binding))
            continue;
        if (shown++ == 0)
            put(p, "<div class=\"scroll\"><table class=\"kpi limits\">\n<thead><tr>"
                   "<th>limit</th><th>base</th><th>variant</th><th></th></tr></thead>\n"
                   "<tbody>\n");
        putf(p, "<tr%s>", l->binding ? " class=\"binding\"" : "");
        td_open(p, NULL, "limit");
        putf(p, "%s ", clb_limit_kind_name(l->kind));
        esc(p, l->id);
        put(p, "</td>");
        td_open(p, "num", "base");
        if (b)
            putf(p, "%ld/%ld", b->used, b->limit);
        else
            put(p, "–");
        put(p, "</td>");
        td_open(p, "num", "variant");
        putf(p, "%ld/%ld</td>", l->used, l->limit);
        td_open(p, NULL, "");
        putf(p, "%s</td></tr>\n",
             l->binding && b && b->binding ? "binding in both"
             : l->binding                  ? "binding now"
                                           : "no longer binding");
    }
    if (shown)
        put(p, "</tbody></table></div>\n");
}

/* The vacancies of worker w in plan k, from index *at on (plans are sorted). */
static void put_vacancies(page *p, ksum k, size_t *at, const char *w)
{
    bool first = true;
    while (*at < k->n_plan && strcmp(k->plan[*at].worker, w) < 0)
        (*at)++;
    for (; *at < k->n_plan && strcmp(k->plan[*at].worker, w) == 0; (*at)++) {
        if (!first)
            put(p, ", ");
        first = false;
        esc(p, k->plan[*at].vacancy);
        put(p, " <span class=\"emp\">(");
        esc(p, k->plan[*at].employer);
        put(p, ")</span>");
    }
    if (first)
        put(p, "<span class=\"none\">not placed</span>");
}

#define MOVED_ROWS 200

/* Workers whose placements differ, by id (never a name): base against variant. */
static void moved_table(page *p, ksum base, ksum var)
{
    const char **ws = clb__calloc(base->n_plan + var->n_plan + 1, sizeof(*ws));
    size_t n = 0, nw = 0, i = 0, j = 0, bi = 0, vi = 0;

    if (!ws) {
        p->oom = CLB_ENOMEM;
        return;
    }
    while (i < base->n_plan || j < var->n_plan) {
        int c = i == base->n_plan  ? 1
                : j == var->n_plan ? -1
                                   : cmp_placement(&base->plan[i], &var->plan[j]);
        const char *w = c < 0 ? base->plan[i].worker : c > 0 ? var->plan[j].worker : NULL;
        if (c < 0)
            i++;
        else if (c > 0)
            j++;
        else
            i++, j++;
        if (w && (n == 0 || strcmp(ws[n - 1], w) != 0))
            ws[n++] = w;
    }
    qsort(ws, n, sizeof(*ws), clb__cmp_str);
    for (size_t a = 0; a < n; a++)
        if (a == 0 || strcmp(ws[a - 1], ws[a]) != 0)
            ws[nw++] = ws[a];
    putf(p, "<h4>Placements that moved: %zu worker%s</h4>\n", nw, nw == 1 ? "" : "s");
    if (nw == 0) {
        put(p, "<p class=\"empty\">the same placements in both plans</p>\n");
        clb__free(ws);
        return;
    }
    put(p, "<div class=\"scroll\"><table class=\"kpi moved\">\n<thead><tr><th>worker</th>"
           "<th>in the base</th><th>in the variant</th></tr></thead>\n<tbody>\n");
    for (size_t a = 0; a < nw && a < MOVED_ROWS; a++) {
        put(p, "<tr>");
        td_open(p, NULL, "worker");
        esc(p, ws[a]);
        put(p, "</td>");
        td_open(p, NULL, "in the base");
        put_vacancies(p, base, &bi, ws[a]);
        put(p, "</td>");
        td_open(p, NULL, "in the variant");
        put_vacancies(p, var, &vi, ws[a]);
        put(p, "</td></tr>\n");
    }
    put(p, "</tbody></table></div>\n");
    if (nw > MOVED_ROWS)
        putf(p, "<p class=\"note\">… and %zu more workers (the first %d by id are "
                "listed).</p>\n",
             nw - MOVED_ROWS, MOVED_ROWS);
    clb__free(ws);
}

/* What variant j changes against the base (the first operand). */
static void variant_diff(page *p, ksum base, ksum var, size_t j)
{
    diff_acc a;

    memset(&a, 0, sizeof(a));
    diff_plans(base, var, count_change, &a);
    /* quotas: every quota of either plan, with its count change and flags */
    for (size_t i = 0; i < var->n_limits && !a.oom; i++) {
        const clb_kpi_limit *l = &var->limits[i], *b;
        drow *d;
        if (l->kind != CLB_LIMIT_QUOTA)
            continue;
        if (!(d = drow_of(&a.quota, l->id))) {
            a.oom = CLB_ENOMEM;
            break;
        }
        b = find_limit(base, CLB_LIMIT_QUOTA, l->id);
        d->change = l->used - (b ? b->used : 0);
        d->short_by = l->shortfall;
        d->binding = l->limit >= 0 && l->used >= l->limit;
        d->was_binding = b && b->limit >= 0 && b->used >= b->limit;
        d->was_short = b && b->shortfall > 0;
    }
    if (a.oom) {
        p->oom = a.oom;
        goto done;
    }
    putf(p, "<section class=\"variant\">\n<h3><span class=\"swatch\" "
            "style=\"background:%s\"></span>",
         color(j));
    esc(p, var->label);
    put(p, " <span class=\"against\">against</span> ");
    esc(p, base->label);
    putf(p, "</h3>\n<p class=\"delta\">%+ld placements (%ld added, %ld removed), "
            "%+ld workers placed, objective %+.1f.</p>\n",
         var->placements - base->placements, a.added, a.removed,
         var->workers_placed - base->workers_placed, var->objective - base->objective);
    diverging_chart(p, "Placements added and removed, by employer", &a.employer, false);
    diverging_chart(p, "Placements added and removed, by origin region", &a.origin, false);
    diverging_chart(p, "Matching placements added and removed, by quota", &a.quota, true);
    binding_table(p, base, var);
    moved_table(p, base, var);
    put(p, "</section>\n");
done:
    clb__free(a.employer.rows);
    clb__free(a.origin.rows);
    clb__free(a.quota.rows);
}

/* ---- tables --------------------------------------------------------------------------- */

static void legend(page *p, ksum *k, size_t n)
{
    put(p, "<p class=\"legend\">");
    for (size_t j = 0; j < n; j++) {
        putf(p, "<span><svg width=\"12\" height=\"12\"><rect width=\"12\" height=\"12\" "
                "fill=\"%s\"/></svg> ",
             color(j));
        esc(p, k[j]->label);
        put(p, "</span> ");
    }
    put(p, "</p>\n");
}

/* A number cell with `decimals` digits after the point and an optional suffix. */
static void td_num(page *p, double x, int decimals, const char *suffix, const char *label)
{
    td_open(p, "num", label);
    if (isnan(x))
        put(p, "–");
    else
        putf(p, "%.*f%s", decimals, x, suffix);
    put(p, "</td>");
}

static void summary_table(page *p, ksum *k, size_t n)
{
    put(p, "<div class=\"scroll\"><table class=\"kpi\">\n<thead><tr><th></th>");
    for (size_t j = 0; j < n; j++) {
        putf(p, "<th style=\"border-bottom:3px solid %s\">", color(j));
        esc(p, k[j]->label);
        put(p, "</th>");
    }
    put(p, "</tr></thead>\n<tbody>\n");
#define ROW(name, expr, decimals, suffix)                                                          \
    do {                                                                              \
        put(p, "<tr><th>" name "</th>");                                              \
        for (size_t j = 0; j < n; j++)                                                \
            td_num(p, (expr), decimals, suffix, k[j]->label);                         \
        put(p, "</tr>\n");                                                            \
    } while (0)
    put(p, "<tr><th>status</th>");
    for (size_t j = 0; j < n; j++)
    {
        td_open(p, NULL, k[j]->label);
        putf(p, "%s</td>", clb_status_name(k[j]->status));
    }
    put(p, "</tr>\n");
    ROW("objective", k[j]->objective, 1, "");
    for (size_t t = 0; t < CLB_KPI_N_TERMS; t++) {
        bool any = false;
        for (size_t j = 0; j < n; j++)
            any = any || fabs(clb_kpi_term(&k[j]->terms, t)) > 1e-9;
        if (!any)
            continue;
        putf(p, "<tr class=\"term\"><th>of which %s</th>", clb_kpi_term_name(t));
        for (size_t j = 0; j < n; j++)
            td_num(p, clb_kpi_term(&k[j]->terms, t), 1, "", k[j]->label);
        put(p, "</tr>\n");
    }
    ROW("places offered", (double)k[j]->places, 0, "");
    ROW("placements", (double)k[j]->placements, 0, "");
    ROW("fill rate", 100.0 * k[j]->fill_rate, 1, " %");
    ROW("applicants", (double)k[j]->applicants, 0, "");
    ROW("workers placed", (double)k[j]->workers_placed, 0, "");
    ROW("returning share", 100.0 * k[j]->returning_share, 1, " %");
    ROW("origin balance index", k[j]->balance_index, 3, "");
    ROW("named requests", (double)k[j]->named_requested, 0, "");
    ROW("named requests honoured", (double)k[j]->named_honoured, 0, "");
    ROW("training seats used", (double)k[j]->training_seats, 0, "");
    ROW("training cost", k[j]->training_cost, 2, "");
    ROW("reintegration enrolments", (double)k[j]->reintegration_enrolments, 0, "");
    ROW("reintegration seats", (double)k[j]->reintegration_seats, 0, "");
    ROW("quota shortfall", (double)k[j]->quota_shortfall, 0, "");
    ROW("solve seconds", k[j]->seconds, 2, "");
#undef ROW
    put(p, "</tbody></table></div>\n");
}

/* A signed change in a table cell; zero shown as "0", dimmed. */
static void td_delta(page *p, double x, const char *suffix, const char *label)
{
    x = round(x * 100.0) / 100.0;
    td_open(p, x == 0.0 ? "num zero" : x > 0 ? "num up" : "num down", label);
    if (x == 0.0)
        put(p, "0</td>");
    else
        putf(p, "%+.10g%s</td>", x, suffix);
}

static void marginal_table(page *p, ksum *k, size_t n)
{
    size_t total = 0;
    for (size_t j = 0; j < n; j++)
        total += k[j]->n_marginals;
    if (total == 0)
        return;
    put(p, "<h2 id=\"marginal\">What one more unit is worth</h2>\n<p>Each binding limit "
           "re-solved with 1 and 10 more units (exact re-solves, not estimates): the "
           "change in places filled, workers placed and returning workers, in training "
           "seats and their cost, enrolments and units short of the quotas' minima; then "
           "the change of the objective split into its terms, in points (weight × "
           "units: fill, returning, tenure, named, same employer, preference, score, "
           "keep, training cost, quota shortfall, reintegration).</p>\n");
    put(p, "<div class=\"scroll\"><table class=\"kpi marginal\">\n<thead><tr>");
    if (n > 1)
        put(p, "<th>scenario</th>");
    put(p, "<th>limit</th><th>now</th><th>+</th><th>places filled</th><th>workers</th>"
           "<th>returning</th><th>training seats</th><th>training €</th>"
           "<th>enrolments</th><th>short</th><th>objective</th><th>of which</th></tr>"
           "</thead>\n<tbody>\n");
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < k[j]->n_marginals; i++) {
            const clb_kpi_marginal *m = &k[j]->marginals[i];
            const char *sep = "";
            char label[200];
            put(p, "<tr>");
            if (n > 1) {
                td_open(p, NULL, "scenario");
                esc(p, k[j]->label);
                put(p, "</td>");
            }
            clb__limit_label(label, sizeof(label), m->kind, m->id);
            td_open(p, NULL, "limit");
            esc(p, label);
            put(p, "</td>");
            td_open(p, "num", "now");
            putf(p, "%ld</td>", m->limit);
            td_open(p, "num", "raised by");
            putf(p, "+%ld</td>", m->delta);
            td_delta(p, (double)m->d_placements, "", "places filled");
            td_delta(p, (double)m->d_workers_placed, "", "workers");
            td_delta(p, (double)m->d_returning_placed, "", "returning");
            td_delta(p, (double)m->d_training_seats, "", "training seats");
            td_delta(p, m->d_training_cost, "", "training €");
            td_delta(p, (double)m->d_enrolments, "", "enrolments");
            td_delta(p, (double)m->d_quota_shortfall, "", "short");
            td_delta(p, m->d_objective,
                     m->status == CLB_STATUS_OPTIMAL ? "" : " (stopped early)", "objective");
            td_open(p, "terms", "of which");
            for (size_t t = 0; t < CLB_KPI_N_TERMS; t++) {
                double x = round(clb_kpi_term(&m->d_terms, t) * 100.0) / 100.0;
                if (x == 0.0)
                    continue;
                putf(p, "%s%s %+.10g", sep, clb_kpi_term_name(t), x);
                sep = ", ";
            }
            put(p, "</td></tr>\n");
        }
    put(p, "</tbody></table></div>\n");
}

static const char style[] =
    "<style>\n"
    "body{font-family:sans-serif;margin:24px auto;max-width:900px;padding:0 12px;"
    "color:#222}\n"
    "h1{font-size:1.5em;overflow-wrap:anywhere}h2{font-size:1.2em;margin-top:1.6em;"
    "border-bottom:1px solid #ccc}\n"
    "h3{font-size:1.05em;margin:1.4em 0 .3em;overflow-wrap:anywhere}"
    "h4{font-size:1em;margin:1em 0 .3em}\n"
    "div.scroll{max-width:100%;overflow-x:auto}\n"
    "table.kpi{border-collapse:collapse;font-size:0.9em}\n"
    "table.kpi th,table.kpi td{padding:3px 10px;border-bottom:1px solid #eee;"
    "text-align:left;overflow-wrap:anywhere}\n"
    "table.kpi td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "table.kpi tr.term th{font-weight:normal;color:#555;padding-left:1.5em}\n"
    "table.kpi td.up{color:#1d7a44}table.kpi td.down{color:#b0304e}"
    "table.kpi td.zero{color:#aaa}\n"
    "table.kpi td.terms{font-size:0.9em;color:#444}\n"
    "table.kpi tr.binding td{background:#fdecea;font-weight:bold}\n"
    "table.moved td{vertical-align:top}table.moved .emp,table.moved .none{color:#777}\n"
    "figure.chart{margin:1em 0}figcaption{font-weight:bold;margin-bottom:4px;"
    "overflow-wrap:anywhere}\n"
    "svg{max-width:100%;height:auto}\n"
    "svg text{font-family:sans-serif;font-size:11px;fill:#333}\n"
    "svg text.axis{fill:#777;font-size:10px}\n"
    "svg text.bind{fill:#c00;font-weight:bold}\n"
    ".diverge{font-size:0.85em}\n"
    ".drow{display:grid;grid-template-columns:minmax(0,11em) minmax(0,1fr) minmax(0,1fr) "
    "minmax(0,11em);gap:0 6px;align-items:center;min-height:18px;"
    "border-bottom:1px solid #f2f2f2}\n"
    ".dlabel{text-align:right;overflow-wrap:anywhere}\n"
    ".dneg{display:flex;justify-content:flex-end;border-right:2px solid #333}\n"
    ".dpos{display:flex;justify-content:flex-start}\n"
    ".dneg i,.dpos i{display:block;height:12px;min-width:0}\n"
    "i.removed{background:#b8405e}i.added{background:#2e9e5b}\n"
    ".dval{font-variant-numeric:tabular-nums;color:#444;overflow-wrap:anywhere}\n"
    ".drow.binding .dlabel,.drow.short .dlabel{font-weight:bold}\n"
    ".drow.binding{background:#fff4e0}.drow.short{background:#fdecea}\n"
    "b.tag{font-size:0.8em;color:#fff;background:#c00;border-radius:3px;padding:0 3px;"
    "white-space:nowrap}\n"
    "b.tag.off{background:#888}\n"
    "span.swatch{display:inline-block;width:12px;height:12px;margin-right:6px}\n"
    "span.against{font-weight:normal;color:#777}\n"
    "p.caption,p.note{color:#555;font-size:0.85em}\n"
    ".legend span{display:inline-block;margin-right:1em;overflow-wrap:anywhere}\n"
    "@media (max-width:600px){body{margin:8px auto;padding:0 8px}"
    "table.kpi,table.kpi tbody,table.kpi tr,table.kpi th,table.kpi td{display:block}"
    "table.kpi thead{display:none}"
    "table.kpi tr{border-bottom:1px solid #ddd;padding:4px 0}"
    "table.kpi th,table.kpi td,table.kpi td.num{border:0;padding:1px 4px;text-align:left}"
    "table.kpi td[data-label]::before{content:attr(data-label) \": \";color:#777}"
    ".drow{grid-template-columns:minmax(0,6em) minmax(0,1fr) minmax(0,1fr) "
    "minmax(0,5.5em)}"
    /* the bar charts scale down with the page: their words grow back in user units */
    "svg.hbar text.label{font-size:20px}svg.hbar text.value{font-size:14px}"
    "svg text.axis{font-size:16px}}\n"
    "</style>\n";

int clb_report_render(clb_buf *out, const clb_kpis *const *kpis, size_t n,
                      const char *title, clb_error *err)
{
    ksum k[16];
    page p = {out, 0};

    if (n == 0 || n > 16)
        return clb__error_set(err, CLB_EINVAL, "a report shows 1 to 16 scenarios, not %zu",
                             n);
    for (size_t j = 0; j < n; j++)
        k[j] = clb_kpis_get(kpis[j]);
    if (!title)
        title = n == 1 ? k[0]->scenario : "Scenario comparison";
    put(&p, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"generator\" content=\"circulab\">\n<title>");
    esc(&p, title);
    put(&p, "</title>\n");
    put(&p, style);
    put(&p, "</head>\n<body>\n<h1>");
    esc(&p, title);
    put(&p, "</h1>\n<p class=\"note\">");
    if (n == 1) {
        put(&p, "Scenario <b>");
        esc(&p, k[0]->scenario);
        put(&p, "</b>, from ");
        esc(&p, k[0]->label);
        putf(&p, ": %s, %ld of %ld places filled.", clb_status_name(k[0]->status),
             k[0]->placements, k[0]->places);
    } else {
        putf(&p, "%zu scenarios side by side; bars in the colour of each scenario.", n);
    }
    put(&p, " Pale bars and dark ticks mark limits (places offered, quota maxima, "
            "capacities); dashed red ticks mark soft minima.</p>\n");
    if (n > 1)
        legend(&p, k, n);

    put(&p, "<h2>Key figures</h2>\n");
    summary_table(&p, k, n);

    put(&p, "<h2>Fill</h2>\n");
    chart_groups(&p, k, n, "Fill by sector (placements of places offered)", NULL,
                 offsetof(clb_kpi_summary, by_sector),
                 offsetof(clb_kpi_summary, n_by_sector), "places");
    chart_groups(&p, k, n, "Fill by destination province", NULL,
                 offsetof(clb_kpi_summary, by_province),
                 offsetof(clb_kpi_summary, n_by_province), "places");
    chart_groups(&p, k, n, "Fill by employer", NULL,
                 offsetof(clb_kpi_summary, by_employer),
                 offsetof(clb_kpi_summary, n_by_employer), "places");
    chart_groups(&p, k, n, "Placements by origin region (workers placed of applicants)",
                 "The balance index compares the regions of placed workers with those "
                 "of applicants: 1 means placed in proportion.",
                 offsetof(clb_kpi_summary, by_origin),
                 offsetof(clb_kpi_summary, n_by_origin), "workers");

    put(&p, "<h2>Quotas and capacities</h2>\n");
    chart_limits(&p, k, n, CLB_LIMIT_QUOTA, "Quota use against limits", NULL, "");
    chart_limits(&p, k, n, CLB_LIMIT_SITE, "Housing: peak beds used per site", NULL,
                 "beds");
    chart_limits(&p, k, n, CLB_LIMIT_SESSION, "Training-session load (seats)", NULL,
                 "seats");
    chart_limits(&p, k, n, CLB_LIMIT_PROGRAMME, "Reintegration seats per programme",
                 NULL, "seats");

    if (n > 1) {
        put(&p, "<h2 id=\"changes\">What each variant changes</h2>\n<p class=\"note\">"
                "Each scenario against the first: placements added (green, right of the "
                "line) and removed (red, left), by employer, origin region and quota. A "
                "quota's count can move less than its matching placements (a worker who "
                "moves stays counted once). Quotas at their max and short of their min "
                "are marked; the table lists the other limits that bind in either plan, "
                "then the workers whose placements differ, by id.</p>\n");
        for (size_t j = 1; j < n; j++)
            variant_diff(&p, k[0], k[j], j);
    }

    put(&p, "<h2>Calendar</h2>\n");
    for (size_t j = 0; j < n; j++)
        chart_calendar(&p, k[j], n == 1 ? (size_t)-1 : j);

    marginal_table(&p, k, n);
    put(&p, "<p class=\"note\">Written by circulab ");
    esc(&p, clb_version());
    put(&p, ".</p>\n</body>\n</html>\n");
    if (p.oom)
        return clb__error_set(err, CLB_ENOMEM, "out of memory rendering the report");
    return 0;
}
