/*
 * cmd_worker.c - `circulab worker list | show`: the desk's look-up of workers.
 *
 * The engine (include/circulab/desk.h) reads and renders; this file parses the
 * options and prints. Names and birth dates are personal data: they appear only
 * with --with-names, and --search matches names only then. The shared runner of
 * every desk look-up (cli/desk.h) lives here too.
 */
#include "desk.h"

#include <string.h>

int cli_desk_run(const char *db, bool json, bool csv, bool names, cli_desk_fn fn,
                 const void *arg)
{
    if (json && csv) {
        cli_error("--json and --csv cannot be combined");
        return CLB_EXIT_USAGE;
    }
    return cli_db_run(db, NULL, fn, arg,
                      (json ? CLB_STORE_JSON : 0) | (csv ? CLI_DESK_CSV : 0) |
                          (names ? CLB_DESK_NAMES : 0),
                      NULL);
}

static int list_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                   clb_error *err)
{
    clb_desk_view v = {0};
    int error = clb_desk_worker_list(&v, st, arg, flags & CLB_DESK_NAMES, err);
    return cli_desk_render(out, &v, error, flags, err);
}

static int show_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                   clb_error *err)
{
    clb_desk_view v = {0};
    int error = clb_desk_worker_show(&v, st, arg, flags & CLB_DESK_NAMES, err);
    return cli_desk_render(out, &v, error, flags, err);
}

static int w_list(int argc, char **argv)
{
    const char *db = NULL;
    bool json = false, csv = false, names = false;
    static const char *const statuses[] = {"proposed", "confirmed", "declined", "cancelled",
                                           "departed", "returned", "not_returned",
                                           "unplaced", "banned", NULL};
    clb_worker_filter f = {0};
    const cli_option options[] = {
        CLI_DB_OPTION(db),
        CLI_JSON_OPTION(json),
        CLI_CSV_OUT_OPTION(csv),
        CLI_NAMES_OPTION(names),
        {.long_name = "region", .type = CLI_OPT_STRING, .value = &f.region,
         .arg_name = "R", .help = "only workers of region R"},
        {.long_name = "country", .type = CLI_OPT_STRING, .value = &f.country,
         .arg_name = "C", .help = "only workers of country C"},
        {.long_name = "status", .type = CLI_OPT_CHOICE, .value = &f.status,
         .arg_name = "S", .choices = statuses,
         .help = "a placement state in the open season, unplaced or banned"},
        {.long_name = "search", .type = CLI_OPT_STRING, .value = &f.search,
         .arg_name = "TEXT", .help = "ids containing TEXT (and names, with --with-names)"},
        {0},
    };
    const cli_command spec = {
        .name = "worker list",
        .usage = "[--region R] [--country C] [--status S] [--search TEXT] [options]",
        .summary = "List workers with their state in the open season.",
        .description =
            "One line per worker: id, country, region, active, history (campaigns,\n"
            "returned, banned_until) and status: the state of the worker's latest\n"
            "placement in the open season that holds a place, else banned (banned\n"
            "until today or later) or unplaced. --status S keeps the workers with a\n"
            "placement in state S in the open season, or unplaced (none but declined\n"
            "or cancelled ones), or banned. Names and birth dates only with\n"
            "--with-names.",
        .options = options,
        .min_operands = 0,
        .max_operands = 0,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error.",
    };
    cli_operands ops;
    int rc = cli_parse(&ops, &spec, argc, argv);
    if (rc != CLI_CONTINUE)
        return rc;
    return cli_desk_run(db, json, csv, names, list_fn, &f);
}

static int w_show(int argc, char **argv)
{
    const char *db = NULL;
    bool json = false, names = false;
    const cli_option options[] = {CLI_DB_OPTION(db), CLI_JSON_OPTION(json),
                                  CLI_NAMES_OPTION(names), {0}};
    const cli_command spec = {
        .name = "worker show",
        .usage = "ID [options]",
        .summary = "Show one worker: record, history, placements, bans, pins, eligibility.",
        .description =
            "Sections: the record, the history (campaigns, returned, last employer and\n"
            "return, banned_until), every placement across rounds with its id, round\n"
            "and state, bans with their end (stored bans, the open season's declines,\n"
            "a no-return ban), pins, and for the open round each open vacancy with\n"
            "whether the worker is eligible or the first eligibility rule that fails.\n"
            "Name and birth date only with --with-names.",
        .options = options,
        .min_operands = 1,
        .max_operands = 1,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error, 3 unknown worker\n"
                  "or inputs of the next round that do not load.",
    };
    cli_operands ops;
    int rc = cli_parse(&ops, &spec, argc, argv);
    if (rc != CLI_CONTINUE)
        return rc;
    return cli_desk_run(db, json, false, names, show_fn, ops.items[0]);
}

int cmd_worker(int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"list", w_list, "list workers with their state in the open season"},
        {"show", w_show, "show one worker's record, placements, bans and eligibility"},
        {NULL, NULL, NULL},
    };
    static const cli_group group = {"worker", "Look workers up (the agency's desk).", verbs};
    return cli_dispatch(&group, argc, argv);
}
