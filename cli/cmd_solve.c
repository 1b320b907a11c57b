/*
 * cmd_solve.c - `circulab solve FILE [-o OUT]`: solve a scenario without a database
 * and write the result document (circulab-result/1).
 *
 * The document is rendered completely in memory before anything is written, and a
 * file is replaced atomically (temporary file, then rename), so a reader never sees a
 * half-written result and an infeasible or failed solve leaves an existing OUT as it
 * was. The one-line summary goes to stderr, keeping stdout for the document itself.
 * With --stable the scenario is solved twice, without and with no justified envy, so
 * that the planner reads the price of stability next to the optimum; the document is
 * the stable plan, in the ordinary result format.
 */
#include "cli.h"

#include <math.h>
#include <string.h>

/* Write the document to stdout; returns an exit code. */
static int write_stdout(const clb_buf *doc)
{
    if (doc->size > 0 && fwrite(doc->ptr, 1, doc->size, stdout) != doc->size) {
        cli_error("cannot write to standard output");
        return CLB_EXIT_RUNTIME;
    }
    if (doc->size == 0 || doc->ptr[doc->size - 1] != '\n')
        fputc('\n', stdout);
    return CLB_EXIT_OK;
}

/* "FILE: optimal in 0.12 s: 38 placements, 38 of 40 places filled, objective 41250". */
static void print_summary(const char *file, const char *out, const clb_result *result)
{
    clb_result_stats stats;
    long places = 0, filled = 0;
    clb_status status = clb_result_status(result);

    clb_result_get_stats(&stats, result);
    for (size_t i = 0; i < clb_result_vacancy_count(result); i++) {
        clb_vacancy_fill v;
        clb_result_vacancy_get(&v, result, i);
        places += v.headcount;
        filled += v.filled;
    }
    fprintf(stderr,
            "%s: %s in %.2f s: %zu placement%s, %ld of %ld places filled, "
            "objective %.10g",
            file, clb_status_name(status), stats.seconds,
            clb_result_placement_count(result),
            clb_result_placement_count(result) == 1 ? "" : "s", filled, places,
            clb_result_objective(result));
    if (status != CLB_STATUS_OPTIMAL)
        fprintf(stderr, ", bound %.10g, gap %.4g%%", clb_result_bound(result),
                clb_result_gap(result) * 100.0);
    if (clb_result_conflict_count(result) > 0)
        fprintf(stderr, ", %zu conflict%s", clb_result_conflict_count(result),
                clb_result_conflict_count(result) == 1 ? "" : "s");
    if (out)
        fprintf(stderr, "; written to %s", out);
    fputc('\n', stderr);
}

/* Placements, distinct workers placed and places filled of a result. */
static void plan_counts(const clb_result *r, long *placements, long *filled, long *places)
{
    *placements = (long)clb_result_placement_count(r);
    *filled = *places = 0;
    for (size_t i = 0; i < clb_result_vacancy_count(r); i++) {
        clb_vacancy_fill v;
        clb_result_vacancy_get(&v, r, i);
        *places += v.headcount;
        *filled += v.filled;
    }
}

/*
 * The price of stability (docs/MODEL.md, "Stability"): the stable plan's objective and
 * fill next to the plain optimum's, and the blocking pairs the stable plan keeps.
 */
static int print_price(const clb_scenario *scenario, const clb_result *stable,
                       const clb_result *optimum)
{
    long p1, f1, h1, p0, f0, h0;
    double z1 = clb_result_objective(stable), z0 = clb_result_objective(optimum);
    clb_stability *st = NULL;
    clb_error err;
    int error;

    clb_error_init(&err);
    plan_counts(stable, &p1, &f1, &h1);
    plan_counts(optimum, &p0, &f0, &h0);
    fprintf(stderr,
            "price of stability: objective %.10g against %.10g at the optimum (lost "
            "%.10g, %.2f%%); %ld placements against %ld (lost %ld); %ld of %ld places "
            "filled against %ld\n",
            z1, z0, z0 - z1, z0 != 0 ? 100.0 * (z0 - z1) / fabs(z0) : 0.0, p1, p0, p0 - p1,
            f1, h1, f0);
    if (clb_result_status(stable) != CLB_STATUS_OPTIMAL ||
        clb_result_status(optimum) != CLB_STATUS_OPTIMAL)
        fprintf(stderr,
                "price of stability: a solve stopped at its limit (stable %s, gap %.4g%%; "
                "optimum %s): the figures are those of the plans found, not proven\n",
                clb_status_name(clb_result_status(stable)), clb_result_gap(stable) * 100.0,
                clb_status_name(clb_result_status(optimum)));
    if ((error = clb_stability_from_result(&st, scenario, stable, &err)) < 0)
        return cli_error_report(NULL, error, &err);
    {
        const clb_stability_info *info = clb_stability_get(st);
        fprintf(stderr,
                "blocking pairs of the stable plan: %zu envy (held by pinned holders), "
                "%zu waste (%zu held by a limit); `circulab stability` lists them\n",
                info->n_envy, info->n_waste, info->n_waste_held);
    }
    clb_stability_free(st);
    return CLB_EXIT_OK;
}

/* One line a benchmark can read: seconds per phase and the size of the master. */
static void print_timings(double t_load, const clb_result *result)
{
    clb_result_stats st;
    clb_result_get_stats(&st, result);
    fprintf(stderr,
            "timings: load %.3f s, eligibility %.3f s, model %.3f s, lp %.3f s, "
            "mip %.3f s, total %.3f s (pricing rounds %zu, master %zu rows x %zu "
            "columns of %zu x %zu, branch nodes %zu)\n",
            t_load, st.eligibility_seconds, st.model_seconds, st.lp_seconds,
            st.mip_seconds, t_load + st.seconds, st.pricing_rounds, st.master_rows,
            st.master_columns, st.rows, st.columns, st.branch_nodes);
}

int cmd_solve(int argc, char **argv)
{
    const char *out = NULL;
    const char *mps = NULL;
    const char *method = NULL;
    bool json = false, quiet = false, timings = false, stable = false;
    double time_limit = 0.0, gap = 0.0, t_load = 0.0;
    long max_bytes = 0, threads = 0;
    const cli_option options[] = {
        {.short_name = 'o',
         .long_name = "output",
         .type = CLI_OPT_STRING,
         .value = &out,
         .arg_name = "OUT",
         .help = "write the result document to OUT, atomically (\"-\": stdout)"},
        {.long_name = "json",
         .type = CLI_OPT_FLAG,
         .value = &json,
         .help = "print the result on stdout, also with -o"},
        CLI_TIME_LIMIT_OPTION(time_limit,
                              "stop after S seconds with the best plan so far"),
        CLI_GAP_OPTION(gap, "stop at relative gap G such as 0.01 (0: optimal)"),
        {.long_name = "write-mps",
         .type = CLI_OPT_STRING,
         .value = &mps,
         .arg_name = "FILE",
         .help = "also write the integer model as MPS to FILE"},
        {.long_name = "method",
         .type = CLI_OPT_STRING,
         .value = &method,
         .arg_name = "M",
         .help = "itineraries (default) or pairs (the pair model's column generation)"},
        {.long_name = "threads",
         .type = CLI_OPT_LONG,
         .value = &threads,
         .arg_name = "N",
         .min = 1,
         .max = 256,
         .help = "price in N threads (default: processors, at most 8); same answer"},
        {.long_name = "stable",
         .type = CLI_OPT_FLAG,
         .value = &stable,
         .help = "no justified envy: solve without and with it, print the price"},
        {.long_name = "timings",
         .type = CLI_OPT_FLAG,
         .value = &timings,
         .help = "write stats.seconds, and print where the time went on stderr"},
        {.short_name = 'q',
         .long_name = "quiet",
         .type = CLI_OPT_FLAG,
         .value = &quiet,
         .help = "no progress line and no summary on stderr"},
        CLI_MAX_BYTES_OPTION(max_bytes),
        {0},
    };
    const cli_command spec = {
        .name = "solve",
        .usage = "FILE [-o OUT] [options]",
        .summary = "Solve a scenario without a database and write the result document.",
        .description =
            "FILE is a circulab-scenario/1 document (\"-\" reads standard input).\n"
            "The result (circulab-result/1, see docs/FORMATS.md section 4) goes to OUT,\n"
            "replaced atomically, with a one-line summary on stderr; without -o it goes\n"
            "to stdout. Without limits the plan is proven optimal; with --time-limit or\n"
            "--gap the best plan found is returned with its bound and the status\n"
            "time_limit or gap_limit. When the pins cannot all hold the model is\n"
            "infeasible: the reason goes to stderr and nothing is written.\n"
            "With --stable the plan has no justified envy (docs/MODEL.md, \"Stability\"):\n"
            "the scenario is solved without and then with the rows that forbid it, the\n"
            "stable plan is written, and the price of stability (objective and fill\n"
            "lost against the optimum) and the blocking pairs left go to stderr.",
        .options = options,
        .min_operands = 1,
        .max_operands = 1,
        .epilog =
            "exit codes: 0 solved, 1 unreadable FILE or unwritable OUT, 2 usage error,\n"
            "3 invalid scenario, 4 infeasible, 5 solver or internal failure.",
    };
    cli_operands ops;
    cli_progress progress;
    clb_solve_opts opts;
    clb_scenario *scenario = NULL;
    clb_result *result = NULL, *optimum = NULL;
    clb_buf doc = CLB_BUF_INIT;
    clb_error err;
    const char *file;
    int error;
    int rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    file = ops.items[0];
    if (method && strcmp(method, "itineraries") != 0 && strcmp(method, "pairs") != 0) {
        cli_error("solve: --method must be 'itineraries' or 'pairs', not '%s'", method);
        return CLB_EXIT_USAGE;
    }
    if (out && strcmp(out, "-") == 0)
        out = NULL; /* "-o -" is standard output */
    clb_error_init(&err);

    t_load = cli_now_seconds();
    if ((rc = cli_scenario_load_max(&scenario, file, max_bytes)) != CLB_EXIT_OK)
        goto done;
    t_load = cli_now_seconds() - t_load;

    cli_progress_init(&progress, quiet);
    clb_solve_opts_init(&opts);
    opts.time_limit = time_limit;
    opts.gap = gap;
    opts.write_mps = mps;
    opts.threads = (unsigned)threads;
    if (method && strcmp(method, "pairs") == 0)
        opts.method = CLB_METHOD_PAIRS;
    opts.progress = cli_progress_solve;
    opts.payload = &progress;
    error = clb_solve(stable ? &optimum : &result, scenario, &opts, &err);
    if (stable && error == 0 && clb_result_status(optimum) != CLB_STATUS_INFEASIBLE) {
        opts.stable = true;
        error = clb_solve(&result, scenario, &opts, &err);
    }
    cli_progress_clear(&progress);

    if (error == 0 && clb_result_status(stable && !result ? optimum : result) ==
                          CLB_STATUS_INFEASIBLE)
        error = CLB_EINFEASIBLE; /* never write an infeasible "plan" */
    if (error == CLB_EINFEASIBLE) {
        cli_printf_text(stderr, "circulab: error: %s: infeasible: %s\n", file,
                cli_infeasible_reason(err.message, "the pins cannot all hold"));
        rc = CLB_EXIT_INFEASIBLE;
        goto done;
    }
    if (error < 0) {
        rc = cli_error_report(file, error, &err);
        goto done;
    }

    if ((error = clb_result_save(&doc, result, timings ? CLB_SAVE_TIMINGS : 0, &err)) <
        0) {
        rc = cli_error_report(file, error, &err);
        goto done;
    }
    if (out) {
        if ((error = clb_file_save(out, doc.ptr ? doc.ptr : "", doc.size, 0, &err)) <
            0) {
            rc = cli_error_report(NULL, error, &err);
            goto done;
        }
    }
    if (json || !out) {
        if ((rc = write_stdout(&doc)) != CLB_EXIT_OK)
            goto done;
    }
    if (!quiet && (out || cli_stderr_is_tty()))
        print_summary(file, out, result);
    if (timings)
        print_timings(t_load, result);
    if (stable && !quiet && (rc = print_price(scenario, result, optimum)) != CLB_EXIT_OK)
        goto done;
    rc = CLB_EXIT_OK;

done:
    clb_buf_dispose(&doc);
    clb_result_free(result);
    clb_result_free(optimum);
    clb_scenario_free(scenario);
    return rc;
}
