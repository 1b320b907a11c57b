/*
 * cmd_simulate.c - `circulab simulate FILE --seasons N --return-rate R ...`: several
 * seasons in a row for planners, workers returning (or not) by the given rates.
 *
 * The engine does the seasons (engine/plan/simulate.c); this file reads the options and
 * the per-region rates file, shows progress on a terminal, prints a table a person
 * reads and writes the per-season CSV.
 */
#include "planners.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Read "REGION,RATE" lines (a header line and # comments allowed). */
static void rates_free(clb_sim_rate *rates, size_t n)
{
    for (size_t i = 0; rates && i < n; i++)
        free((char *)(uintptr_t)rates[i].region);
    free(rates);
}

static int read_rates(clb_sim_rate **out, size_t *n, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[512];
    clb_sim_rate *rates = NULL;
    size_t count = 0, lineno = 0;
    int rc = CLB_EXIT_OK;

    *out = NULL;
    *n = 0;
    if (!f) {
        cli_error("cannot open '%s': %s", path, strerror(errno));
        return CLB_EXIT_RUNTIME;
    }
    {
        /* a NUL byte would cut a line short unseen ("MA-05,0.5\0junk"): refused */
        size_t l = 1, col = 1;
        int c;
        while ((c = fgetc(f)) != EOF) {
            if (c == 0) {
                cli_error("%s:%zu:%zu: NUL byte in a field (CSV text may not hold NUL "
                          "bytes)",
                          path, l, col);
                rc = CLB_EXIT_INVALID;
                goto done;
            }
            if (c == '\n') {
                l++;
                col = 1;
            } else
                col++;
        }
        rewind(f);
    }
    while (fgets(line, sizeof(line), f)) {
        char *comma, *end, *p = line, *region;
        double rate;
        clb_sim_rate *grown;
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        if (!(comma = strchr(p, ','))) {
            cli_error("%s:%zu: expected REGION,RATE", path, lineno);
            rc = CLB_EXIT_INVALID;
            goto done;
        }
        *comma = '\0';
        errno = 0;
        rate = strtod(comma + 1, &end);
        while (*end == ' ' || *end == '\t')
            end++;
        if (errno || end == comma + 1 || *end != '\0' || !(rate >= 0 && rate <= 1)) {
            if (lineno == 1)
                continue; /* a header such as "region,rate" */
            cli_error("%s:%zu: rate '%s' is not a number within [0, 1]", path, lineno,
                      comma + 1);
            rc = CLB_EXIT_INVALID;
            goto done;
        }
        if (!(grown = realloc(rates, (count + 1) * sizeof(*rates))) ||
            !(region = malloc(strlen(p) + 1))) {
            if (grown)
                rates = grown;
            rc = cli_error_report(NULL, CLB_ENOMEM, NULL);
            goto done;
        }
        memcpy(region, p, strlen(p) + 1);
        rates = grown;
        rates[count].region = region;
        rates[count].rate = rate;
        count++;
    }
    *out = rates;
    *n = count;
    rates = NULL;
done:
    fclose(f);
    rates_free(rates, count);
    return rc;
}

/* What the progress callback needs: the terminal line and the table being printed. */
typedef struct sim_view {
    cli_progress progress;
    bool table;     /* print the table (not with --csv -) */
    bool header;    /* its header is printed */
    int cut;        /* seasons whose solve stopped at the time limit */
} sim_view;

static void print_header(void)
{
    printf("season  first day   pool  joined  banned  placed  fill    returning  "
           "returned  not back  reached  balance  by seasons (1,2,3...)\n");
}

/* A share as a percentage, "-" when not defined (nobody placed). */
static void print_pct(double x, int width)
{
    if (isnan(x) || x < 0)
        printf("  %*s", width, "-");
    else
        printf("  %*.1f%%", width - 1, 100.0 * x);
}

/* One season's line; a season cut short by the time limit is marked '*'. */
static void print_season(const clb_sim_season *s)
{
    bool cut = s->status == CLB_STATUS_TIME_LIMIT;
    printf("%5d%c  %-10s  %4ld  %6ld  %6ld  %6ld  %5.1f%%  %8.1f%%  %8ld  %8ld  %7ld  ",
           s->season, cut ? '*' : ' ', s->first_day, s->pool, s->joined, s->banned,
           s->placed, 100.0 * s->fill_rate, 100.0 * s->returning_share, s->returned,
           s->not_returned, s->reached);
    if (isnan(s->balance_index))
        printf("%7s  ", "-");
    else
        printf("%7.3f  ", s->balance_index);
    for (size_t k = 0; k < s->n_by_seasons; k++)
        printf("%s%ld", k ? "," : "", s->by_seasons[k]);
    printf("\n");
}

/*
 * The progress line while a season solves, and each season's line of the table as
 * soon as the season ends (flushed, so that a long simulation shows what it has).
 */
static void sim_progress(const clb_sim_progress *p, void *payload)
{
    sim_view *view = payload;
    if (p->done) {
        if (p->done->status == CLB_STATUS_TIME_LIMIT)
            view->cut++;
        if (!view->table)
            return;
        cli_progress_clear(&view->progress);
        if (!view->header)
            print_header();
        view->header = true;
        print_season(p->done);
        fflush(stdout);
    } else if (!p->solve)
        cli_progress_show(&view->progress, "season %d/%d", p->season, p->seasons);
    else if (p->solve->has_best)
        cli_progress_show(&view->progress, "season %d/%d: %s, best %.10g, %.1f s",
                          p->season, p->seasons, p->solve->phase, p->solve->best,
                          p->solve->elapsed);
    else
        cli_progress_show(&view->progress, "season %d/%d: %s, %.1f s", p->season,
                          p->seasons, p->solve->phase, p->solve->elapsed);
}

/* One region's line of the fairness table. */
static void print_region(const clb_sim_region *r, size_t season, int width, bool mins)
{
    cli_printf_text(stdout, "%-*s", width, r->region[0] ? r->region : "(none)");
    printf("  %6zu  %10ld  %6ld", season, r->applicants, r->placed);
    print_pct(r->placed_share, 12);
    print_pct(r->applicant_share, 13);
    print_pct(r->total_placed_share, 19);
    print_pct(r->total_applicant_share, 13);
    if (mins && r->min_share >= 0)
        printf("  %8.1f%%  %7ld  %9ld", 100.0 * r->min_share, r->min, r->shortfall);
    else if (mins)
        printf("  %9s  %7s  %9s", "-", "-", "-");
    printf("\n");
}

/*
 * Fairness by origin region (docs/PLANNERS.md §4): per region and season the share
 * of the workers placed against the share of the applicants, then the same over the
 * seasons so far; with minimum shares, the season's minimum and its shortfall.
 * Lines begin with the region, so that only the seasons' lines begin with a number.
 */
static void print_fairness(const clb_simulation *sim)
{
    size_t n = clb_simulation_season_count(sim), width = 6;
    clb_sim_season last, s;
    bool mins;

    if (n == 0)
        return;
    clb_simulation_season_get(&last, sim, n - 1);
    mins = last.share_base >= 0;
    for (size_t i = 0; i < last.n_regions; i++)
        if (strlen(last.regions[i].region) > width)
            width = strlen(last.regions[i].region);
    printf("\nby origin region: share of the workers placed against share of the "
           "applicants\n");
    printf("%-*s  season  applicants  placed  placed share  of applicants  "
           "all seasons: placed  of applicants",
           (int)width, "region");
    if (mins)
        printf("  min share  minimum  shortfall");
    printf("\n");
    for (size_t i = 0; i < last.n_regions; i++)
        for (size_t t = 0; t < n; t++) {
            clb_simulation_season_get(&s, sim, t);
            for (size_t j = 0; j < s.n_regions; j++)
                if (strcmp(s.regions[j].region, last.regions[i].region) == 0)
                    print_region(&s.regions[j], t + 1, (int)width, mins);
        }
    if (isnan(last.total_balance_index))
        printf("origin balance index over the %zu season%s: - (nobody placed)\n", n,
               n == 1 ? "" : "s");
    else
        printf("origin balance index over the %zu season%s: %.3f (1 = placed in "
               "proportion to who applied)\n",
               n, n == 1 ? "" : "s", last.total_balance_index);
}

/* The lines after the seasons': the mark's meaning and the last season's gaps. */
static void print_footer(const clb_simulation *sim, const sim_view *view,
                         double time_limit)
{
    size_t n = clb_simulation_season_count(sim);
    if (view->cut > 0)
        printf("* solve stopped at the time limit (%g s per season): the figures are "
               "those of the best plan found and may differ on another machine\n",
               time_limit);
    if (n > 0) {
        clb_sim_season s;
        clb_simulation_season_get(&s, sim, n - 1);
        printf("unfilled places in the last season by sector:");
        for (size_t i = 0; i < s.n_unfilled; i++)
            cli_printf_text(stdout, " %s %ld", s.unfilled[i].key[0] ? s.unfilled[i].key : "(none)",
                   s.unfilled[i].places - s.unfilled[i].filled);
        printf("\n");
    }
    print_fairness(sim);
}

/* ---- --json ------------------------------------------------------------------------ */

/* A JSON number, null when not defined (a share of nobody placed). */
static int json_num(clb_buf *out, const char *key, double x)
{
    if (isnan(x) || isinf(x))
        return clb_buf_printf(out, ", \"%s\": null", key);
    return clb_buf_printf(out, ", \"%s\": %.10g", key, x);
}

static int json_region(clb_buf *out, const clb_sim_region *r, bool mins)
{
    int rc = clb_buf_puts(out, "{\"region\": ");
    if (rc == 0)
        rc = clb_buf_json_string(out, r->region);
    if (rc == 0)
        rc = clb_buf_printf(out,
                            ", \"applicants\": %ld, \"placed\": %ld, \"placements\": %ld",
                            r->applicants, r->placed, r->placements);
    if (rc == 0)
        rc = json_num(out, "applicant_share", r->applicant_share);
    if (rc == 0)
        rc = json_num(out, "placed_share", r->placed_share);
    if (rc == 0)
        rc = clb_buf_printf(out, ", \"total_applicants\": %ld, \"total_placed\": %ld",
                            r->total_applicants, r->total_placed);
    if (rc == 0)
        rc = json_num(out, "total_applicant_share", r->total_applicant_share);
    if (rc == 0)
        rc = json_num(out, "total_placed_share", r->total_placed_share);
    if (rc == 0 && mins)
        rc = json_num(out, "min_share", r->min_share >= 0 ? r->min_share : NAN);
    if (rc == 0 && mins)
        rc = clb_buf_printf(out, ", \"min\": %ld, \"shortfall\": %ld", r->min,
                            r->shortfall);
    if (rc == 0)
        rc = clb_buf_puts(out, "}");
    return rc;
}

static int json_season(clb_buf *out, const clb_sim_season *s, bool mins)
{
    int rc = clb_buf_printf(
        out,
        "    {\"season\": %d, \"solve\": \"%s\", \"first_day\": \"%s\", \"pool\": %ld, "
        "\"joined\": %ld, \"banned\": %ld, \"places\": %ld, \"placements\": %ld",
        s->season, clb_status_name(s->status), s->first_day, s->pool, s->joined, s->banned,
        s->places, s->placements);
    if (rc == 0)
        rc = json_num(out, "fill_rate", s->fill_rate);
    if (rc == 0)
        rc = clb_buf_printf(out, ", \"placed\": %ld, \"unplaced\": %ld", s->placed,
                            s->unplaced);
    if (rc == 0)
        rc = json_num(out, "returning_share", s->returning_share);
    if (rc == 0)
        rc = clb_buf_printf(out,
                            ", \"returned\": %ld, \"not_returned\": %ld, \"reached\": %ld, "
                            "\"by_seasons\": [",
                            s->returned, s->not_returned, s->reached);
    for (size_t k = 0; rc == 0 && k < s->n_by_seasons; k++)
        rc = clb_buf_printf(out, "%s%ld", k ? ", " : "", s->by_seasons[k]);
    if (rc == 0)
        rc = clb_buf_puts(out, "],\n     \"unfilled\": [");
    for (size_t i = 0; rc == 0 && i < s->n_unfilled; i++) {
        rc = clb_buf_printf(out, "%s{\"sector\": ", i ? ", " : "");
        if (rc == 0)
            rc = clb_buf_json_string(out, s->unfilled[i].key);
        if (rc == 0)
            rc = clb_buf_printf(out, ", \"places\": %ld, \"filled\": %ld}",
                                s->unfilled[i].places, s->unfilled[i].filled);
    }
    if (rc == 0)
        rc = clb_buf_puts(out, "]");
    if (rc == 0)
        rc = json_num(out, "objective", s->objective);
    if (rc == 0)
        rc = json_num(out, "balance_index", s->balance_index);
    if (rc == 0)
        rc = json_num(out, "total_balance_index", s->total_balance_index);
    if (rc == 0 && mins)
        rc = clb_buf_printf(out, ", \"share_base\": %ld, \"share_resolved\": %s",
                            s->share_base, s->share_resolved ? "true" : "false");
    if (rc == 0)
        rc = clb_buf_puts(out, ",\n     \"regions\": [");
    for (size_t i = 0; rc == 0 && i < s->n_regions; i++) {
        rc = clb_buf_puts(out, i ? ",\n       " : "\n       ");
        if (rc == 0)
            rc = json_region(out, &s->regions[i], mins);
    }
    if (rc == 0)
        rc = clb_buf_puts(out, "]}");
    return rc;
}

/* The whole simulation as one document (circulab-simulation/1). */
static int render_json(clb_buf *out, const clb_simulation *sim)
{
    size_t n = clb_simulation_season_count(sim);
    clb_sim_season s;
    bool mins = false;
    int rc;

    if (n > 0) {
        clb_simulation_season_get(&s, sim, 0);
        mins = s.share_base >= 0;
    }
    rc = clb_buf_puts(out, "{\n  \"format\": \"circulab-simulation/1\",\n  \"seasons\": [\n");
    for (size_t t = 0; rc == 0 && t < n; t++) {
        clb_simulation_season_get(&s, sim, t);
        rc = json_season(out, &s, mins);
        if (rc == 0)
            rc = clb_buf_puts(out, t + 1 < n ? ",\n" : "\n");
    }
    if (rc == 0)
        rc = clb_buf_puts(out, "  ]\n}\n");
    return rc;
}

/*
 * An error of the minimum-shares file: its message already begins with
 * "file:line:column:", so the position is not repeated after it.
 */
static int report_shares_error(int error, clb_error *err)
{
    if (err->line > 0 && err->message[0])
        err->line = 0;
    return cli_error_report(NULL, error, err);
}

int cmd_simulate(int argc, char **argv)
{
    long seasons = 0, new_applicants = 0, seed = 1;
    double return_rate = -1, time_limit = CLB_SIM_TIME_LIMIT_DEFAULT, gap = 0;
    const char *rates_file = NULL, *csv = NULL, *shares_file = NULL;
    bool quiet = false, json = false;
    const cli_option options[] = {
        {.long_name = "seasons", .type = CLI_OPT_LONG, .value = &seasons, .arg_name = "N",
         .min = 1, .max = 100, .help = "how many seasons to simulate (required)"},
        {.long_name = "return-rate", .type = CLI_OPT_DOUBLE, .value = &return_rate,
         .arg_name = "R", .min = 0, .max = 1,
         .help = "probability that a placed worker returns home (required)"},
        {.long_name = "rates-by-region", .type = CLI_OPT_STRING, .value = &rates_file,
         .arg_name = "F", .help = "REGION,RATE lines overriding R for those regions"},
        {.long_name = "min-share-by-region", .type = CLI_OPT_STRING, .value = &shares_file,
         .arg_name = "F",
         .help = "CSV region,min_share: each season's soft minimum of workers placed"},
        {.long_name = "new-applicants", .type = CLI_OPT_LONG, .value = &new_applicants,
         .arg_name = "K", .min = 0, .max = 1000000,
         .help = "workers joining the pool before each later season"},
        {.long_name = "seed", .type = CLI_OPT_LONG, .value = &seed, .arg_name = "S",
         .min = 0, .max = 9.2e18, .help = "seed of the random draws (default 1)"},
        {.long_name = "csv", .type = CLI_OPT_STRING, .value = &csv, .arg_name = "OUT",
         .help = "also write the per-season figures as CSV to OUT (\"-\": stdout only)"},
        {.long_name = "json", .type = CLI_OPT_FLAG, .value = &json,
         .help = "print one JSON document (circulab-simulation/1) instead of the table"},
        CLI_TIME_LIMIT_OPTION(time_limit,
                              "stop each season's solve after S seconds (default 30; 0: "
                              "no limit); a season stopped so is marked '*'"),
        CLI_GAP_OPTION(gap, "stop each solve at relative gap G (reproducible)"),
        {.short_name = 'q', .long_name = "quiet", .type = CLI_OPT_FLAG, .value = &quiet,
         .help = "no progress line"},
        {0},
    };
    const cli_command spec = {
        .name = "simulate",
        .usage = "FILE --seasons N --return-rate R [--rates-by-region F] "
                 "[--min-share-by-region F] [--new-applicants K] [--seed S] "
                 "[--time-limit S] [--csv OUT] [--json]",
        .summary = "Simulate several seasons in a row, workers returning by given rates.",
        .description =
            "Season after season a round is solved on FILE's scenario (a variant with\n"
            "\"extends\" is merged first), its dates moved on one year each season.\n"
            "Every placement is taken as departed; a placed worker returns home with\n"
            "probability R (or the rate of their origin region from F) and otherwise is\n"
            "banned for policy.no_return_ban_days from the season's close (its last\n"
            "vacancy end). History rolls forward as docs/DATABASE.md section 6 says.\n"
            "Before each later season K new applicants join: copies of randomly drawn\n"
            "first-season profiles, under fresh ids, with no history and no name. The\n"
            "same seed gives the same output unless a season's solve is cut short by the\n"
            "time limit (30 s per season by default): such a season is marked '*' in the\n"
            "table and time_limit in the CSV's solve column.\n"
            "Prints one line per season as soon as it is solved (--json: one document\n"
            "at the end instead); --csv writes the figures: pool, placed, fill rate,\n"
            "returning share, returned and not,\n"
            "distinct workers reached so far, workers by number of seasons placed,\n"
            "unfilled places by sector, the origin balance index, and per origin\n"
            "region its share of the workers placed against its share of the\n"
            "applicants, each season and over the seasons so far.\n"
            "--min-share-by-region F (CSV: region,min_share; a share in [0, 1] or a\n"
            "percentage) gives each listed region a soft minimum each season: with P\n"
            "the workers the season's solve places without minimums, a region of\n"
            "share s gets ceil(s * P); when that plan falls short, the season is\n"
            "solved again with the minimums as quotas (unit workers, where\n"
            "origin_region), whose shortfall the quota_shortfall weight penalises.",
        .options = options,
        .min_operands = 1,
        .max_operands = 1,
        .epilog = "exit codes: 0 ok, 1 unreadable FILE or unwritable OUT, 2 usage error,\n"
                  "3 invalid scenario, rates or minimum shares, 4 a season infeasible,\n"
                  "5 solver failure.",
    };
    cli_operands ops;
    sim_view view;
    clb_sim_opts opts;
    clb_simulation *sim = NULL;
    clb_sim_rate *rates = NULL;
    clb_sim_min_shares *shares = NULL;
    size_t n_rates = 0;
    char *text = NULL;
    size_t len = 0;
    clb_buf out = CLB_BUF_INIT;
    clb_diags *diags = NULL;
    clb_error err;
    int error, rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    if (seasons < 1 || return_rate < 0) {
        cli_error("simulate: --seasons N and --return-rate R are required");
        return CLB_EXIT_USAGE;
    }
    if (json && csv && strcmp(csv, "-") == 0) {
        cli_error("simulate: --json and --csv - both print to stdout; give --csv a file");
        return CLB_EXIT_USAGE;
    }
    clb_error_init(&err);
    if (rates_file && (rc = read_rates(&rates, &n_rates, rates_file)) !=
                          CLB_EXIT_OK)
        goto done;
    if (shares_file && (error = clb_sim_min_shares_load_file(&shares, shares_file, &err)) < 0) {
        rc = report_shares_error(error, &err);
        goto done;
    }
    if ((error = cli_read_file(&text, &len, ops.items[0])) < 0) {
        cli_error("cannot read '%s'", ops.items[0]);
        rc = CLB_EXIT_RUNTIME;
        goto done;
    }
    if ((error = clb_diags_new(&diags)) < 0) {
        rc = cli_error_report(NULL, error, NULL);
        goto done;
    }
    memset(&view, 0, sizeof(view));
    cli_progress_init(&view.progress, quiet);
    view.table = !json && !(csv && strcmp(csv, "-") == 0);
    clb_sim_opts_init(&opts);
    opts.seasons = (int)seasons;
    opts.return_rate = return_rate;
    opts.rates = rates;
    opts.n_rates = n_rates;
    opts.new_applicants = new_applicants;
    opts.min_shares = shares;
    opts.seed = (uint64_t)seed;
    opts.solve.time_limit = time_limit;
    opts.solve.gap = gap;
    opts.progress = sim_progress;
    opts.payload = &view;
    error = clb_simulate(&sim, text, len, ops.items[0], &opts, diags, &err);
    cli_progress_clear(&view.progress);
    if (error < 0) {
        for (size_t i = 0; i < clb_diags_count(diags); i++) {
            const clb_diag *d = clb_diags_get(diags, i);
            cli_printf_text(stderr, "%s: %s: %s\n", d->source && d->source[0] ? d->source
                                                                       : ops.items[0],
                    d->path && d->path[0] ? d->path : "$", d->message);
        }
        if (shares_file && strcmp(err.source, shares_file) == 0) {
            rc = report_shares_error(error, &err);
        } else if (error == CLB_EINFEASIBLE) {
            cli_error("%s: %s", ops.items[0], err.message);
            rc = CLB_EXIT_INFEASIBLE;
        } else {
            rc = cli_error_report(ops.items[0], error, &err);
        }
        goto done;
    }
    if ((error = clb_simulation_render_csv(&out, sim, &err)) < 0) {
        rc = cli_error_report(NULL, error, &err);
        goto done;
    }
    if (!view.table && !json) {
        rc = cli_write_output(NULL, out.ptr ? out.ptr : "", out.size);
        goto done;
    }
    if (json) {
        clb_buf doc = CLB_BUF_INIT;
        if (render_json(&doc, sim) < 0)
            rc = cli_error_report(NULL, CLB_ENOMEM, NULL);
        else
            rc = cli_write_output(NULL, doc.ptr, doc.size);
        clb_buf_dispose(&doc);
        if (rc != CLB_EXIT_OK)
            goto done;
    } else {
        print_footer(sim, &view, time_limit);
    }
    rc = CLB_EXIT_OK;
    if (csv) {
        rc = cli_write_output(csv, out.ptr ? out.ptr : "", out.size);
        if (rc == CLB_EXIT_OK && !quiet)
            fprintf(stderr, "per-season figures written to %s\n", csv);
    }
done:
    clb_simulation_free(sim);
    clb_diags_free(diags);
    clb_buf_dispose(&out);
    rates_free(rates, n_rates);
    clb_sim_min_shares_free(shares);
    free(text);
    return rc;
}
