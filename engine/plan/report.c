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
static void td_num(page *p, double x, int decimals, const char *suffix)
{
    put(p, "<td class=\"num\">");
    if (isnan(x))
        put(p, "–");
    else
        putf(p, "%.*f%s", decimals, x, suffix);
    put(p, "</td>");
}

static void summary_table(page *p, ksum *k, size_t n)
{
    put(p, "<table class=\"kpi\">\n<thead><tr><th></th>");
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
            td_num(p, (expr), decimals, suffix);                                                   \
        put(p, "</tr>\n");                                                            \
    } while (0)
    put(p, "<tr><th>status</th>");
    for (size_t j = 0; j < n; j++)
        putf(p, "<td>%s</td>", clb_status_name(k[j]->status));
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
            td_num(p, clb_kpi_term(&k[j]->terms, t), 1, "");
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
    put(p, "</tbody></table>\n");
}

/* A signed change in a table cell; zero shown as "0", dimmed. */
static void td_delta(page *p, double x, const char *suffix)
{
    x = round(x * 100.0) / 100.0;
    if (x == 0.0)
        put(p, "<td class=\"num zero\">0</td>");
    else
        putf(p, "<td class=\"num %s\">%+.10g%s</td>", x > 0 ? "up" : "down", x, suffix);
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
                put(p, "<td>");
                esc(p, k[j]->label);
                put(p, "</td>");
            }
            clb__limit_label(label, sizeof(label), m->kind, m->id);
            put(p, "<td>");
            esc(p, label);
            putf(p, "</td><td class=\"num\">%ld</td><td class=\"num\">+%ld</td>", m->limit,
                 m->delta);
            td_delta(p, (double)m->d_placements, "");
            td_delta(p, (double)m->d_workers_placed, "");
            td_delta(p, (double)m->d_returning_placed, "");
            td_delta(p, (double)m->d_training_seats, "");
            td_delta(p, m->d_training_cost, "");
            td_delta(p, (double)m->d_enrolments, "");
            td_delta(p, (double)m->d_quota_shortfall, "");
            td_delta(p, m->d_objective,
                     m->status == CLB_STATUS_OPTIMAL ? "" : " (stopped early)");
            put(p, "<td class=\"terms\">");
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
    "body{font-family:sans-serif;margin:24px auto;max-width:900px;color:#222}\n"
    "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid "
    "#ccc}\n"
    "table.kpi{border-collapse:collapse;font-size:0.9em}\n"
    "table.kpi th,table.kpi td{padding:3px 10px;border-bottom:1px solid #eee;"
    "text-align:left}\n"
    "table.kpi td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "figure.chart{margin:1em 0}figcaption{font-weight:bold;margin-bottom:4px}\n"
    "svg text{font-family:sans-serif;font-size:11px;fill:#333}\n"
    "svg text.axis{fill:#777;font-size:10px}\n"
    "p.caption,p.note{color:#555;font-size:0.85em}\n"
    ".legend span{margin-right:1em}\n"
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
