/*
 * cmd_round.c - `circulab round run | list | show N | diff A B`: matching rounds on
 * the database.
 *
 * `round run` assembles the round's scenario from the database, solves it and stores
 * the round with its placements in one transaction (the store does the work; this
 * file parses options, shows progress and prints what the store rendered).
 */
#include "db.h"
#include "desk.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Parse a round number operand; prints a usage error. */
static int parse_round(long *out, const char *verb, const char *text)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(text, &end, 10);
    if (errno || *end || end == text || v <= 0) {
        cli_error("round %s: '%s' is not a round number", verb, text);
        return CLB_EXIT_USAGE;
    }
    *out = v;
    return CLB_EXIT_OK;
}

/* The round's warnings (no eligible pair, far fewer than the last round), one
 * "circulab: warning:" line each on stderr; they never change the exit code. */
static void print_warnings(clb_store *st, long round)
{
    clb_buf warn = CLB_BUF_INIT;
    clb_error err;
    char *line, *nl;

    clb_error_init(&err);
    if (clb_store_round_warnings(&warn, st, round, &err) == 0 && warn.size)
        for (line = warn.ptr; line && *line; line = nl ? nl + 1 : NULL) {
            if ((nl = strchr(line, '\n')) != NULL)
                *nl = 0;
            cli_warning("%s", line);
        }
    clb_buf_dispose(&warn);
}

static int round_run(int argc, char **argv)
{
    const char *db = NULL, *by = NULL, *name = NULL;
    bool json = false, dry = false, quiet = false;
    double time_limit = 0, gap = 0;
    long attempts = 3;
    const cli_option options[] = {
        CLI_DB_OPTION(db),
        CLI_BY_OPTION(by),
        CLI_JSON_OPTION(json),
        {.long_name = "name", .type = CLI_OPT_STRING, .value = &name, .arg_name = "N",
         .help = "a name for the round"},
        CLI_TIME_LIMIT_OPTION(time_limit,
                              "stop after S seconds with the best plan so far"),
        CLI_GAP_OPTION(gap, "stop at relative gap G (0: optimal)"),
        {.long_name = "dry-run", .type = CLI_OPT_FLAG, .value = &dry,
         .help = "solve and show the round, store nothing"},
        {.long_name = "attempts", .type = CLI_OPT_LONG, .value = &attempts, .arg_name = "N",
         .min = 1, .max = 100,
         .help = "solves while the lifecycle keeps changing (default 3)"},
        {.short_name = 'q', .long_name = "quiet", .type = CLI_OPT_FLAG, .value = &quiet,
         .help = "no progress line"},
        {0},
    };
    const cli_command spec = {
        .name = "round run",
        .usage = "[--name N] [--time-limit S] [--attempts N] [--dry-run] [options]",
        .summary = "Run a matching round on the database and store it.",
        .description =
            "Builds the round's scenario from the database: open vacancies, active\n"
            "workers with their history, quotas, open sessions and programmes, the\n"
            "policy; placements confirmed earlier this season as `previous` confirmed,\n"
            "the last round's proposals as `previous` proposed, and pairs declined this\n"
            "season as bans. Solves it and stores the round (inputs fingerprint, policy,\n"
            "status, objective, bound, timings) with its placements, training,\n"
            "reintegration and reserve lists in one transaction. Placement ids are\n"
            "what `circulab placement confirm` takes; a confirmed placement keeps its\n"
            "id in every later round.\n"
            "\n"
            "The round is stored only if the season's confirmations, declines,\n"
            "cancellations, pins, bans, policy and latest round are still those it was\n"
            "solved with; otherwise it is solved again from a fresh snapshot (each\n"
            "solve with the whole --time-limit), at most --attempts times, then\n"
            "refused with exit code 1. New workers or vacancies arriving meanwhile do\n"
            "not void it: the next round takes them.",
        .options = options,
        .min_operands = 0,
        .max_operands = 0,
        .epilog = "exit codes: 0 ok, 1 database failure or the lifecycle kept changing\n"
                  "(nothing stored), 2 usage error, 3 invalid data, 4 infeasible (confirmed\n"
                  "placements cannot all hold; nothing stored), 5 solver failure.",
    };
    cli_operands ops;
    clb_store *st = NULL;
    clb_round_opts opts;
    cli_progress progress;
    clb_buf out = CLB_BUF_INIT;
    clb_error err;
    long round = 0;
    int error, rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    if ((rc = cli_db_open(&st, db, by, false)) != CLB_EXIT_OK)
        return rc;
    clb_error_init(&err);
    cli_progress_init(&progress, quiet);
    clb_round_opts_init(&opts);
    opts.name = name;
    opts.time_limit = time_limit;
    opts.gap = gap;
    opts.dry_run = dry;
    opts.max_attempts = (int)attempts;
    opts.progress = cli_progress_solve;
    opts.payload = &progress;
    error = clb_store_round_run(&out, &round, st, &opts, json ? CLB_STORE_JSON : 0, &err);
    cli_progress_clear(&progress);
    if (error == CLB_EINFEASIBLE) {
        cli_error("infeasible: %s",
                  cli_infeasible_reason(err.message, "the confirmed placements cannot all hold"));
        rc = CLB_EXIT_INFEASIBLE;
    } else if (error < 0) {
        rc = cli_db_fail(error, &err);
    } else {
        rc = cli_db_print(&out);
        if (rc == CLB_EXIT_OK && dry && !quiet)
            fprintf(stderr, "circulab: dry run: round %ld was not stored\n", round);
        if (rc == CLB_EXIT_OK && !dry)
            print_warnings(st, round);
    }
    clb_buf_dispose(&out);
    clb_store_close(st);
    return rc;
}

static int list_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                   clb_error *err)
{
    (void)arg;
    return clb_store_round_list(out, st, flags, err);
}

static int round_list(int argc, char **argv)
{
    const char *db = NULL;
    bool json = false;
    const cli_option options[] = {CLI_DB_OPTION(db), CLI_JSON_OPTION(json), {0}};
    const cli_command spec = {
        .name = "round list",
        .usage = "[options]",
        .summary = "List the rounds.",
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

static int show_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                   clb_error *err)
{
    return clb_store_round_show(out, st, *(const long *)arg, flags, err);
}

static int round_show(int argc, char **argv)
{
    const char *db = NULL;
    bool json = false;
    const cli_option options[] = {CLI_DB_OPTION(db), CLI_JSON_OPTION(json), {0}};
    const cli_command spec = {
        .name = "round show",
        .usage = "[N] [options]",
        .summary = "Show a round (the latest without N).",
        .description = "Prints the round's header, its placements with their ids and\n"
                       "states, the fill of each vacancy, training, reintegration and\n"
                       "reserve lists.",
        .options = options,
        .min_operands = 0,
        .max_operands = 1,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error, 3 no such round.",
    };
    cli_operands ops;
    long round = 0;
    int rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    if (ops.count == 1 && (rc = parse_round(&round, "show", ops.items[0])) != CLB_EXIT_OK)
        return rc;
    return cli_db_run(db, NULL, show_fn, &round, json ? CLB_STORE_JSON : 0, NULL);
}

/* arg: the rounds A and B */
static int diff_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                   clb_error *err)
{
    const long *ab = arg;
    return clb_store_round_diff(out, st, ab[0], ab[1], flags, err);
}

static int round_diff(int argc, char **argv)
{
    const char *db = NULL;
    bool json = false;
    const cli_option options[] = {CLI_DB_OPTION(db), CLI_JSON_OPTION(json), {0}};
    const cli_command spec = {
        .name = "round diff",
        .usage = "A B [options]",
        .summary = "Compare two rounds.",
        .description = "Who moved from one vacancy to another, who entered or left the\n"
                       "plan, the fill of each vacancy and the objective, from round A\n"
                       "to round B.",
        .options = options,
        .min_operands = 2,
        .max_operands = 2,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error, 3 no such round.",
    };
    cli_operands ops;
    long ab[2] = {0, 0};
    int rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    if ((rc = parse_round(&ab[0], "diff", ops.items[0])) != CLB_EXIT_OK ||
        (rc = parse_round(&ab[1], "diff", ops.items[1])) != CLB_EXIT_OK)
        return rc;
    return cli_db_run(db, NULL, diff_fn, ab, json ? CLB_STORE_JSON : 0, NULL);
}

int cmd_round(int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"run", round_run, "run a matching round on the database and store it"},
        {"list", round_list, "list the rounds"},
        {"show", round_show, "show a round: placements with ids, fill, reserve"},
        {"diff", round_diff, "compare two rounds: moves, entries, exits, fill"},
        {"delete", cli_round_delete, "delete the latest round when nothing was decided on it"},
        {NULL, NULL, NULL},
    };
    static const cli_group group = {
        "round", "Matching rounds on the database (see docs/DATABASE.md).", verbs};
    return cli_dispatch(&group, argc, argv);
}
