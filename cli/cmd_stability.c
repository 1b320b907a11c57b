/*
 * cmd_stability.c - `circulab stability RESULT --scenario FILE [--json]`: the blocking
 * pairs of a plan (docs/MODEL.md, "Stability"), as text or one JSON document.
 *
 * The engine finds the pairs and decides, for each, whether another hard limit holds
 * the move (clb_stability); this file only lays the report out. The text groups the
 * pairs by type, the limits that hold them named in words; the JSON lists every pair
 * with its type, `held_by_limit` and the limits by name, so that a test or a
 * spreadsheet reads them without parsing sentences.
 */
#include "cli.h"
#include "planners.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void json_limits(cli_json *j, unsigned limits)
{
    cli_json_begin_array(j);
    for (unsigned i = 0; i < CLB_HOLD_COUNT; i++)
        if (limits & (1u << i))
            cli_json_string(j, clb_hold_name(1u << i));
    cli_json_end_array(j);
}

static void print_json(const clb_stability_info *info)
{
    cli_json j;

    cli_json_init(&j, stdout);
    cli_json_begin_object(&j);
    cli_json_key(&j, "envy");
    cli_json_integer(&j, (long long)info->n_envy);
    cli_json_key(&j, "envy_held_by_limit");
    cli_json_integer(&j, (long long)info->n_envy_held);
    cli_json_key(&j, "waste");
    cli_json_integer(&j, (long long)info->n_waste);
    cli_json_key(&j, "waste_held_by_limit");
    cli_json_integer(&j, (long long)info->n_waste_held);
    cli_json_key(&j, "blocking_pairs");
    cli_json_begin_array(&j);
    for (size_t i = 0; i < info->n_pairs; i++) {
        const clb_blocking_pair *p = &info->pairs[i];
        cli_json_begin_object(&j);
        cli_json_key(&j, "worker");
        cli_json_string(&j, p->worker);
        cli_json_key(&j, "vacancy");
        cli_json_string(&j, p->vacancy);
        cli_json_key(&j, "type");
        cli_json_string(&j, clb_blocking_type_name(p->type));
        cli_json_key(&j, "held_by_limit");
        cli_json_bool(&j, p->held_by_limit);
        cli_json_key(&j, "limits");
        json_limits(&j, p->limits);
        cli_json_key(&j, "pref");
        cli_json_number(&j, p->pref);
        cli_json_key(&j, "lowest_placement");
        cli_json_string(&j, p->lowest);
        if (p->lowest) {
            cli_json_key(&j, "lowest_pref");
            cli_json_number(&j, p->lowest_pref);
        }
        cli_json_key(&j, "value");
        cli_json_number(&j, p->value);
        cli_json_key(&j, "free_places");
        cli_json_integer(&j, p->free_places);
        if (p->type == CLB_BLOCKING_ENVY) {
            cli_json_key(&j, "displaces");
            cli_json_string(&j, p->displaces);
            if (p->displaces) {
                cli_json_key(&j, "displaced_value");
                cli_json_number(&j, p->displaced_value);
            }
        }
        cli_json_key(&j, "message");
        cli_json_string(&j, p->message);
        cli_json_end_object(&j);
    }
    cli_json_end_array(&j);
    cli_json_end_object(&j);
    cli_json_finish(&j);
}

/* One pair as a line of text. */
static void print_pair(const clb_blocking_pair *p)
{
    cli_printf_text(stdout, "  %s -> %s: pref %.4g", p->worker, p->vacancy, p->pref);
    if (p->lowest)
        cli_printf_text(stdout, " over %s (%.4g)", p->lowest, p->lowest_pref);
    else
        fputs(" (unplaced)", stdout);
    cli_printf_text(stdout, ", value %.10g", p->value);
    if (p->type == CLB_BLOCKING_ENVY && p->displaces)
        cli_printf_text(stdout, " > %s's %.10g", p->displaces, p->displaced_value);
    else if (p->type == CLB_BLOCKING_WASTE)
        cli_printf_text(stdout, ", %d free place%s", p->free_places,
                        p->free_places == 1 ? "" : "s");
    if (p->held_by_limit) {
        fputs("; held by", stdout);
        for (unsigned i = 0, n = 0; i < CLB_HOLD_COUNT; i++)
            if (p->limits & (1u << i))
                printf("%s %s", n++ ? "," : "", clb_hold_name(1u << i));
        cli_printf_text(stdout, ": %s", p->message);
    } else {
        fputs("; no limit holds it", stdout);
    }
    fputc('\n', stdout);
}

static void print_text(const clb_stability_info *info)
{
    printf("blocking pairs: %zu envy (%zu held by a limit), %zu waste (%zu held by a "
           "limit)\n",
           info->n_envy, info->n_envy_held, info->n_waste, info->n_waste_held);
    for (int t = 0; t < 2; t++) {
        clb_blocking_type type = t == 0 ? CLB_BLOCKING_ENVY : CLB_BLOCKING_WASTE;
        size_t n = type == CLB_BLOCKING_ENVY ? info->n_envy : info->n_waste;
        if (n == 0)
            continue;
        printf("%s:\n", type == CLB_BLOCKING_ENVY
                            ? "envy (the vacancy holds a worker of lower value)"
                            : "waste (the vacancy has a free place)");
        for (size_t i = 0; i < info->n_pairs; i++)
            if (info->pairs[i].type == type)
                print_pair(&info->pairs[i]);
    }
}

int cmd_stability(int argc, char **argv)
{
    const char *scenario_file = NULL;
    bool json = false;
    long max_bytes = 0;
    const cli_option options[] = {
        {.long_name = "scenario", .type = CLI_OPT_STRING, .value = &scenario_file,
         .arg_name = "FILE", .help = "the scenario RESULT was solved from (required)"},
        {.long_name = "json", .type = CLI_OPT_FLAG, .value = &json,
         .help = "print one JSON document with a blocking_pairs list"},
        CLI_MAX_BYTES_OPTION(max_bytes),
        {0},
    };
    const cli_command spec = {
        .name = "stability",
        .usage = "RESULT --scenario FILE [--json]",
        .summary = "List the blocking pairs of a plan: envy and waste.",
        .description =
            "RESULT is a result document (circulab-result/1, from `solve -o` or\n"
            "`export`) of the scenario FILE. A blocking pair is an eligible worker w and\n"
            "vacancy v not matched together where w strictly prefers v (pref) to its\n"
            "lowest-ranked placement (an unplaced worker prefers every eligible vacancy)\n"
            "and v either holds a worker of strictly lower value for v (envy) or has a\n"
            "free place (waste). Each pair says whether another hard limit would forbid\n"
            "the move (w takes v, giving up placements it ranks below v; for envy the\n"
            "lowest-value holder not pinned leaves) and which: overlap, stay,\n"
            "max_placements, hold_named, quota, beds, training_seats, reintegration,\n"
            "pin. Definitions: docs/MODEL.md, \"Stability\". `solve --stable` finds the\n"
            "best plan without envy.",
        .options = options,
        .min_operands = 1,
        .max_operands = 1,
        .epilog = "exit codes: 0 listed (blocking pairs are not an error), 1 unreadable\n"
                  "RESULT, 2 usage error, 3 invalid scenario or result document.",
    };
    cli_operands ops;
    clb_scenario *scenario = NULL;
    clb_stability *st = NULL;
    clb_error err;
    char *text = NULL;
    size_t len = 0;
    int error, rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    if (!scenario_file) {
        cli_error("stability: --scenario FILE is required (the scenario of RESULT)");
        return CLB_EXIT_USAGE;
    }
    clb_error_init(&err);
    if ((rc = cli_scenario_load_max(&scenario, scenario_file, max_bytes)) != CLB_EXIT_OK)
        goto done;
    if (cli_read_file(&text, &len, ops.items[0]) < 0) {
        cli_error("cannot read '%s'", ops.items[0]);
        rc = CLB_EXIT_RUNTIME;
        goto done;
    }
    if ((error = clb_stability_from_document(&st, scenario, text, len, ops.items[0],
                                             &err)) < 0) {
        rc = cli_error_report(NULL, error, &err);
        if (error == CLB_EINVAL || error == CLB_EPARSE)
            rc = CLB_EXIT_INVALID;
        goto done;
    }
    if (json)
        print_json(clb_stability_get(st));
    else
        print_text(clb_stability_get(st));
    rc = CLB_EXIT_OK;
done:
    clb_stability_free(st);
    free(text);
    clb_scenario_free(scenario);
    return rc;
}
