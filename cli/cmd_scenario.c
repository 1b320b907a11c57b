/*
 * cmd_scenario.c - `circulab scenario compare A B ...`: solve scenarios (or read
 * result documents) and print their key figures side by side, as text, CSV or JSON,
 * optionally with the marginal value of one more unit of every binding limit (in
 * places, workers, euros and objective terms).
 *
 * This file also holds the operand loader that `report` shares (planners.h): the
 * engine computes and renders every figure, the command only loads, solves and
 * prints, so the text, CSV, JSON and HTML forms never disagree.
 */
#include "planners.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int cli_read_file(char **out, size_t *len, const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;

    *out = NULL;
    *len = 0;
    if (!f)
        return CLB_EIO;
    for (;;) {
        if (n + 65536 + 1 > cap) {
            char *bigger = realloc(buf, cap ? cap * 2 : 131072);
            if (!bigger) {
                free(buf);
                fclose(f);
                return CLB_ENOMEM;
            }
            buf = bigger;
            cap = cap ? cap * 2 : 131072;
        }
        size_t got = fread(buf + n, 1, 65536, f);
        n += got;
        if (got < 65536)
            break;
    }
    if (ferror(f)) {
        free(buf);
        fclose(f);
        return CLB_EIO;
    }
    fclose(f);
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

/* Does the text look like a result document? Its writer puts the format first. */
static bool is_result_text(const char *text, size_t len)
{
    size_t head = len < 256 ? len : 256;
    char saved;
    bool found;
    char *t = (char *)(uintptr_t)text;

    saved = t[head];
    t[head] = '\0';
    found = strstr(t, "\"circulab-result/1\"") != NULL;
    t[head] = saved;
    return found;
}

static void marginal_progress(size_t done, size_t total, const char *what,
                              void *payload)
{
    cli_progress *progress = payload;
    if (progress && what[0])
        cli_progress_show(progress, "marginal %zu/%zu: %s", done + 1, total, what);
}

void cli_base_plan_dispose(cli_base_plan *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free((char *)(uintptr_t)b->refs[i].worker);
        free((char *)(uintptr_t)b->refs[i].vacancy);
    }
    free(b->refs);
    memset(b, 0, sizeof(*b));
}

/* The placements of result r as owned id pairs. Returns 0 or CLB_ENOMEM. */
static int plan_refs(clb_placement_ref **out, size_t *n_out, const clb_result *r)
{
    size_t n = clb_result_placement_count(r);
    clb_placement_ref *refs = calloc(n + 1, sizeof(*refs));

    *out = NULL;
    *n_out = 0;
    if (!refs)
        return CLB_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        clb_placement_info info;
        clb_result_placement_get(&info, r, i);
        refs[i].worker = strdup(info.worker);
        refs[i].vacancy = strdup(info.vacancy);
        if (!refs[i].worker || !refs[i].vacancy) {
            cli_base_plan_dispose(&(cli_base_plan){refs, i + 1, true});
            return CLB_ENOMEM;
        }
    }
    *out = refs;
    *n_out = n;
    return 0;
}

/* The placements of key figures computed from a stored plan, as owned id pairs. */
static int kpis_plan_refs(clb_placement_ref **out, size_t *n_out, const clb_kpis *kpis)
{
    const clb_kpi_summary *k = clb_kpis_get(kpis);
    clb_placement_ref *refs = calloc(k->n_plan + 1, sizeof(*refs));

    *out = NULL;
    *n_out = 0;
    if (!refs)
        return CLB_ENOMEM;
    for (size_t i = 0; i < k->n_plan; i++) {
        refs[i].worker = strdup(k->plan[i].worker);
        refs[i].vacancy = strdup(k->plan[i].vacancy);
        if (!refs[i].worker || !refs[i].vacancy) {
            cli_base_plan_dispose(&(cli_base_plan){refs, i + 1, true});
            return CLB_ENOMEM;
        }
    }
    *out = refs;
    *n_out = k->n_plan;
    return 0;
}

int cli_kpis_load(clb_kpis **out, const char *operand, const cli_kpi_opts *opts)
{
    clb_placement_ref *own = NULL;
    size_t n_own = 0;
    clb_scenario *scenario = NULL;
    clb_result *result = NULL;
    clb_solve_opts sopts;
    clb_error err;
    char *text = NULL;
    size_t len = 0;
    int error, rc = CLB_EXIT_OK;

    *out = NULL;
    clb_error_init(&err);
    if (strcmp(operand, "-") != 0) {
        if ((error = cli_read_file(&text, &len, operand)) < 0) {
            cli_error("cannot read '%s'", operand);
            return CLB_EXIT_RUNTIME;
        }
    }
    if (text && is_result_text(text, len)) {
        if (!opts->scenario) {
            cli_error("%s: a result document needs its scenario: --scenario FILE",
                      operand);
            rc = CLB_EXIT_USAGE;
            goto done;
        }
        if ((rc = cli_scenario_load(&scenario, opts->scenario)) != CLB_EXIT_OK)
            goto done;
        if ((error = clb_kpis_from_document(out, scenario, text, len, operand, operand,
                                            &err)) < 0) {
            rc = cli_error_report(NULL, error, &err);
            goto done;
        }
        /* a stored plan is not re-solved; as the first operand it is the base plan the
           variants stay closest to */
        if (opts->base && !opts->base->set) {
            if ((error = kpis_plan_refs(&opts->base->refs, &opts->base->n, *out)) < 0) {
                rc = cli_error_report(operand, error, NULL);
                goto done;
            }
            opts->base->set = true;
        }
        goto done;
    }

    if ((rc = cli_scenario_load(&scenario, operand)) != CLB_EXIT_OK)
        goto done;
    clb_solve_opts_init(&sopts);
    sopts.time_limit = opts->time_limit;
    sopts.gap = opts->gap;
    sopts.progress = cli_progress_solve;
    sopts.payload = opts->progress;
    if (opts->base && opts->base->set) { /* a variant: closest to the base's plan */
        sopts.base_plan = opts->base->refs;
        sopts.n_base_plan = opts->base->n;
    }
    error = clb_solve(&result, scenario, &sopts, &err);
    cli_progress_clear(opts->progress);
    if (error == 0 && clb_result_status(result) == CLB_STATUS_INFEASIBLE)
        error = CLB_EINFEASIBLE;
    if (error == CLB_EINFEASIBLE) {
        cli_printf_text(stderr, "circulab: error: %s: infeasible: %s\n", operand,
                cli_infeasible_reason(err.message, "the pins cannot all hold"));
        rc = CLB_EXIT_INFEASIBLE;
        goto done;
    }
    if (error < 0 ||
        (error = clb_kpis_from_result(out, scenario, result, operand, &err)) < 0) {
        rc = cli_error_report(operand, error, &err);
        goto done;
    }
    if ((error = plan_refs(&own, &n_own, result)) < 0) {
        rc = cli_error_report(operand, error, NULL);
        goto done;
    }
    if (opts->base && !opts->base->set) { /* the first operand: the base */
        opts->base->refs = own;
        opts->base->n = n_own;
        opts->base->set = true;
        own = NULL;
        sopts.base_plan = opts->base->refs;
        sopts.n_base_plan = opts->base->n;
    } else {
        sopts.base_plan = own;
        sopts.n_base_plan = n_own;
    }
    if (opts->marginal) {
        /* each re-solve stays closest to this operand's own plan */
        sopts.progress = NULL;
        error = clb_kpis_marginals(*out, scenario, &sopts, marginal_progress,
                                   opts->progress, &err);
        cli_progress_clear(opts->progress);
        if (error < 0) {
            rc = cli_error_report(operand, error, &err);
            goto done;
        }
    }
done:
    if (rc != CLB_EXIT_OK) {
        clb_kpis_free(*out);
        *out = NULL;
    }
    if (own)
        cli_base_plan_dispose(&(cli_base_plan){own, n_own, true});
    clb_result_free(result);
    clb_scenario_free(scenario);
    free(text);
    return rc;
}

int cli_write_output(const char *out, const char *data, size_t len)
{
    clb_error err;
    int error;

    if (!out || strcmp(out, "-") == 0) {
        if (len > 0 && fwrite(data, 1, len, stdout) != len) {
            cli_error("cannot write to standard output");
            return CLB_EXIT_RUNTIME;
        }
        return CLB_EXIT_OK;
    }
    clb_error_init(&err);
    if ((error = clb_file_save(out, data, len, 0, &err)) < 0)
        return cli_error_report(NULL, error, &err);
    return CLB_EXIT_OK;
}

static int scenario_compare(int argc, char **argv)
{
    bool csv = false, json = false, marginal = false, quiet = false;
    const char *scenario = NULL, *out = NULL;
    double time_limit = 0.0, gap = 0.0;
    const cli_option options[] = {
        {.long_name = "csv", .type = CLI_OPT_FLAG, .value = &csv,
         .help = "print CSV: section,key,metric and one column per scenario"},
        {.long_name = "json", .type = CLI_OPT_FLAG, .value = &json,
         .help = "print one JSON document (circulab-compare/1)"},
        {.long_name = "marginal", .type = CLI_OPT_FLAG, .value = &marginal,
         .help = "add the value of +1 and +10 units of each binding limit"},
        {.long_name = "scenario", .type = CLI_OPT_STRING, .value = &scenario,
         .arg_name = "FILE", .help = "the scenario of result-document operands"},
        {.short_name = 'o', .long_name = "output", .type = CLI_OPT_STRING, .value = &out,
         .arg_name = "OUT", .help = "write to OUT (atomically) instead of stdout"},
        CLI_TIME_LIMIT_OPTION(time_limit,
                              "stop each solve after S seconds (figures then say so)"),
        CLI_GAP_OPTION(gap,
                       "stop each solve at relative gap G such as 0.001 (0: optimal)"),
        {.short_name = 'q', .long_name = "quiet", .type = CLI_OPT_FLAG, .value = &quiet,
         .help = "no progress line"},
        {0},
    };
    const cli_command spec = {
        .name = "scenario compare",
        .usage = "A B ... [--csv | --json] [--marginal] [options]",
        .summary = "Solve scenarios and print their key figures side by side.",
        .description =
            "Each operand is a scenario document (solved now; variants written with\n"
            "\"extends\" are merged first) or a result document (circulab-result/1,\n"
            "from `solve -o` or `export`) read against --scenario FILE. Figures:\n"
            "placements and fill rate overall, by sector, destination province and\n"
            "employer; workers placed by origin region with a balance index (1 =\n"
            "placed in proportion to applicants); returning share; named requests\n"
            "honoured; training seats and cost; reintegration enrolments; quota use\n"
            "and shortfalls; peak beds of housing sites; session and programme load;\n"
            "objective and solve time. The first operand is the base: every later\n"
            "scenario is solved to its proven optimum, then kept, among its optimal\n"
            "plans, as close as possible to the base's plan (the most placements kept;\n"
            "docs/PLANNERS.md), so a difference is one the variant forces. With\n"
            "--marginal, every binding limit (quota max or min, site beds, session and\n"
            "programme seats, a full vacancy's headcount) is re-solved with 1 and 10\n"
            "more units (closest to the operand's own plan) and the change is listed\n"
            "(exact, not estimated): places filled, workers, returning workers,\n"
            "training seats and euros, enrolments, shortfall, and the objective split\n"
            "into its terms (fill, returning, ..., training_cost), in points.\n"
            "The later scenarios' second stage has a time bound (the rest of\n"
            "--time-limit, else twice the first solve, at least 5 s). In the text\n"
            "form `*` marks a binding limit and `~` a re-solve, or after a status a\n"
            "second stage, that stopped early.",
        .options = options,
        .min_operands = 1,
        .max_operands = -1,
        .epilog = "exit codes: 0 ok, 1 unreadable file, 2 usage error, 3 invalid\n"
                  "scenario, 4 infeasible scenario, 5 solver or internal failure.",
    };
    cli_operands ops;
    cli_progress progress;
    cli_kpi_opts kopts;
    cli_base_plan base = {NULL, 0, false};
    clb_kpis **kpis = NULL;
    clb_buf doc = CLB_BUF_INIT;
    clb_error err;
    int error, rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    if (csv && json) {
        cli_error("scenario compare: --csv and --json exclude each other");
        return CLB_EXIT_USAGE;
    }
    clb_error_init(&err);
    cli_progress_init(&progress, quiet);
    memset(&kopts, 0, sizeof(kopts));
    kopts.scenario = scenario;
    kopts.marginal = marginal;
    kopts.time_limit = time_limit;
    kopts.gap = gap;
    kopts.progress = &progress;
    kopts.base = &base;
    if (!(kpis = calloc((size_t)ops.count + 1, sizeof(*kpis)))) {
        rc = cli_error_report(NULL, CLB_ENOMEM, NULL);
        goto done;
    }
    for (int i = 0; i < ops.count; i++)
        if ((rc = cli_kpis_load(&kpis[i], ops.items[i], &kopts)) != CLB_EXIT_OK)
            goto done;
    if ((error = clb_compare_render(&doc, (const clb_kpis *const *)kpis,
                                    (size_t)ops.count,
                                    json  ? CLB_COMPARE_JSON
                                    : csv ? CLB_COMPARE_CSV
                                          : CLB_COMPARE_TEXT,
                                    &err)) < 0) {
        rc = cli_error_report(NULL, error, &err);
        goto done;
    }
    rc = cli_write_output(out, doc.ptr ? doc.ptr : "", doc.size);
done:
    if (kpis)
        for (int i = 0; i < ops.count; i++)
            clb_kpis_free(kpis[i]);
    free(kpis);
    cli_base_plan_dispose(&base);
    clb_buf_dispose(&doc);
    return rc;
}

static const cli_verb verbs[] = {
    {"compare", scenario_compare, "solve scenarios and print their key figures side by side"},
    {NULL, NULL, NULL},
};

static const cli_group group = {
    .name = "scenario",
    .description = "Planners' tools on scenario documents.",
    .verbs = verbs,
};

int cmd_scenario(int argc, char **argv)
{
    return cli_dispatch(&group, argc, argv);
}
