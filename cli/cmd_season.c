/*
 * cmd_season.c - `circulab season close | list | renew`: roll the placement
 * lifecycle into each worker's history (docs/DATABASE.md §6) and open the next season.
 */
#include "db.h"

/* arg: the closing date and the season name */
static int close_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                    clb_error *err)
{
    const char *const *a = arg;
    return clb_store_season_close(out, st, a[0], a[1], flags, err);
}

static int s_close(int argc, char **argv)
{
    const char *db = NULL, *by = NULL, *date = NULL, *name = NULL;
    bool json = false, force = false, dry = false;
    const cli_option options[] = {
        CLI_DB_OPTION(db),
        CLI_BY_OPTION(by),
        CLI_JSON_OPTION(json),
        {.long_name = "date", .type = CLI_OPT_STRING, .value = &date, .arg_name = "DATE",
         .help = "the close date (YYYY-MM-DD; default today)"},
        {.long_name = "name", .type = CLI_OPT_STRING, .value = &name, .arg_name = "N",
         .help = "a name for the next season"},
        {.long_name = "force", .type = CLI_OPT_FLAG, .value = &force,
         .help = "close although placements are still departed"},
        CLI_DRY_RUN_OPTION(dry),
        {0},
    };
    const cli_command spec = {
        .name = "season close",
        .usage = "[--date DATE] [options]",
        .summary = "Close the season: roll the lifecycle into workers' history.",
        .description =
            "For every worker with a departed placement this season: campaigns + 1;\n"
            "returned (true only if every departed placement ended returned);\n"
            "last_employer of the latest placement; last_return (the recorded return\n"
            "date, by default the end of the latest placement); days_abroad 0; and after\n"
            "not_returned, banned_until = DATE + the policy's no_return_ban_days.\n"
            "Workers who did not depart keep their history. The season's vacancies,\n"
            "sessions and programmes (starting on or before DATE) are closed, and the\n"
            "next season opens. Refused while placements are departed without a\n"
            "recorded return, unless --force (they then count as not returned, without\n"
            "a ban). --dry-run prints the same report and changes nothing.",
        .options = options,
        .min_operands = 0,
        .max_operands = 0,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error, 3 bad date or\n"
                  "placements still abroad.",
    };
    cli_operands ops;
    int rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    const char *const args[2] = {date, name};
    if (dry)
        return cli_db_run_dry(db, by, close_fn, args,
                              (json ? CLB_STORE_JSON : 0) | (force ? CLB_SEASON_FORCE : 0));
    return cli_db_run(db, by, close_fn, args,
                      (json ? CLB_STORE_JSON : 0) | (force ? CLB_SEASON_FORCE : 0), NULL);
}

static int list_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                   clb_error *err)
{
    (void)arg;
    return clb_store_season_list(out, st, flags, err);
}

static int s_list(int argc, char **argv)
{
    const char *db = NULL;
    bool json = false;
    const cli_option options[] = {CLI_DB_OPTION(db), CLI_JSON_OPTION(json), {0}};
    const cli_command spec = {
        .name = "season list",
        .usage = "[options]",
        .summary = "List the seasons.",
        .options = options,
        .min_operands = 0,
        .max_operands = 0,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error.",
    };
    cli_operands ops;
    int rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    return cli_db_run(db, NULL, list_fn, NULL, json ? CLB_STORE_JSON : 0, NULL);
}

/* arg: the years to shift by */
static int renew_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                    clb_error *err)
{
    return clb_store_season_renew(out, st, (int)*(const long *)arg, flags, err);
}

static int s_renew(int argc, char **argv)
{
    const char *db = NULL, *by = NULL;
    bool json = false;
    long years = 1;
    const cli_option options[] = {
        CLI_DB_OPTION(db),
        CLI_BY_OPTION(by),
        CLI_JSON_OPTION(json),
        {.long_name = "years", .type = CLI_OPT_LONG, .value = &years, .arg_name = "N",
         .min = 1, .max = 10, .help = "shift by N years (default 1)"},
        {0},
    };
    const cli_command spec = {
        .name = "season renew",
        .usage = "[--years N] [options]",
        .summary = "Offer the last closed season again a year later.",
        .description =
            "Copies the vacancies, sessions and programmes closed with the last season\n"
            "with their dates shifted by N years and ids suffixed with the new start\n"
            "year (V1 -> V1-2027), and shifts every active worker's availability by N\n"
            "years. For planners and the demo.",
        .options = options,
        .min_operands = 0,
        .max_operands = 0,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error, 3 no closed season.",
    };
    cli_operands ops;
    int rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    return cli_db_run(db, by, renew_fn, &years, json ? CLB_STORE_JSON : 0, NULL);
}

int cmd_season(int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"close", s_close, "close the season and roll history forward"},
        {"list", s_list, "list the seasons"},
        {"renew", s_renew, "offer the last closed season again a year later"},
        {NULL, NULL, NULL},
    };
    static const cli_group group = {"season", "Seasons (see docs/DATABASE.md section 6).",
                                    verbs};
    return cli_dispatch(&group, argc, argv);
}
