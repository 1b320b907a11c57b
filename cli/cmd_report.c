/*
 * cmd_report.c - `circulab report FILE... [-o report.html]`: one self-contained HTML
 * page with the key figures and SVG charts of a scenario (solved now), a result
 * document (a round exported, or `solve -o`) with its scenario, or a comparison of
 * several of them.
 *
 * The operands are those of `scenario compare` (planners.h), so a report and a
 * comparison of the same files show the same figures; the page is rendered whole
 * in memory and written atomically.
 */
#include "planners.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int cmd_report(int argc, char **argv)
{
    bool marginal = false, quiet = false;
    const char *scenario = NULL, *out = NULL, *title = NULL;
    double time_limit = 0.0, gap = 0.0;
    const cli_option options[] = {
        {.short_name = 'o', .long_name = "output", .type = CLI_OPT_STRING, .value = &out,
         .arg_name = "OUT", .help = "write the page to OUT, atomically (default stdout)"},
        {.long_name = "scenario", .type = CLI_OPT_STRING, .value = &scenario,
         .arg_name = "FILE", .help = "the scenario of result-document operands"},
        {.long_name = "title", .type = CLI_OPT_STRING, .value = &title, .arg_name = "T",
         .help = "the page title (default: the scenario's name)"},
        {.long_name = "marginal", .type = CLI_OPT_FLAG, .value = &marginal,
         .help = "add the value of +1 and +10 units of each binding limit"},
        CLI_TIME_LIMIT_OPTION(time_limit,
                              "stop each solve after S seconds (figures then say so)"),
        CLI_GAP_OPTION(gap,
                       "stop each solve at relative gap G such as 0.001 (0: optimal)"),
        {.short_name = 'q', .long_name = "quiet", .type = CLI_OPT_FLAG, .value = &quiet,
         .help = "no progress line"},
        {0},
    };
    const cli_command spec = {
        .name = "report",
        .usage = "FILE... [-o OUT] [--scenario S] [--marginal] [options]",
        .summary = "Write a self-contained HTML report with charts.",
        .description =
            "One operand reports one scenario or round; several compare them. An\n"
            "operand is a scenario document (solved now) or a result document\n"
            "(circulab-result/1, from `solve -o` or `export` of a round) read against\n"
            "--scenario FILE. The page has no external assets and needs no script:\n"
            "key figures (the objective split into its terms), fill by sector,\n"
            "province and employer, placements by origin region, quota use against\n"
            "limits, housing, training-session load, reintegration seats and the\n"
            "season's calendar (arrivals and departures per week), as inline SVG.\n"
            "With several operands, each later one is compared with the first: its\n"
            "placements added and removed by employer, origin region and quota (bars\n"
            "either side of zero; quotas at their max or short of their min marked),\n"
            "the limits that bind, and the workers whose placements moved (by id). As\n"
            "in `scenario compare`, later scenarios are solved closest to the first\n"
            "one's optimal plan among their own optimal plans.",
        .options = options,
        .min_operands = 1,
        .max_operands = 16,
        .epilog = "exit codes: 0 ok, 1 unreadable file or unwritable OUT, 2 usage error,\n"
                  "3 invalid scenario, 4 infeasible scenario, 5 solver or internal failure.",
    };
    cli_operands ops;
    cli_progress progress;
    cli_kpi_opts kopts;
    cli_base_plan base = {NULL, 0, false};
    clb_kpis *kpis[16] = {NULL};
    clb_buf doc = CLB_BUF_INIT;
    clb_error err;
    int error, rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    clb_error_init(&err);
    cli_progress_init(&progress, quiet);
    memset(&kopts, 0, sizeof(kopts));
    kopts.scenario = scenario;
    kopts.marginal = marginal;
    kopts.time_limit = time_limit;
    kopts.gap = gap;
    kopts.progress = &progress;
    kopts.base = &base;
    for (int i = 0; i < ops.count; i++)
        if ((rc = cli_kpis_load(&kpis[i], ops.items[i], &kopts)) != CLB_EXIT_OK)
            goto done;
    if ((error = clb_report_render(&doc, (const clb_kpis *const *)kpis, (size_t)ops.count,
                                   title, &err)) < 0) {
        rc = cli_error_report(NULL, error, &err);
        goto done;
    }
    rc = cli_write_output(out, doc.ptr ? doc.ptr : "", doc.size);
    if (rc == CLB_EXIT_OK && out && strcmp(out, "-") != 0 && !quiet)
        fprintf(stderr, "report written to %s\n", out);
done:
    for (int i = 0; i < ops.count; i++)
        clb_kpis_free(kpis[i]);
    cli_base_plan_dispose(&base);
    clb_buf_dispose(&doc);
    return rc;
}
