/*
 * cmd_worker.c - `circulab worker list | show | forget`: the desk's look-up of
 * workers, and the erasure of a worker's personal data.
 *
 * The engine (include/circulab/desk.h) reads and renders; this file parses the
 * options and prints. Names and birth dates are personal data: they appear only
 * with --with-names, and --search matches names only then; `worker show ID --json
 * --with-names` is the whole record the database holds on a person (the answer to
 * an access request). The shared runner of every desk look-up (cli/desk.h) lives
 * here too.
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
    static const char *const statuses[] = {"proposed",  "confirmed", "declined",
                                           "cancelled", "departed",  "returned",
                                           "not_returned", "unplaced", "banned",
                                           "forgotten", NULL};
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
         .help = "a placement state in the open season, unplaced, banned or forgotten"},
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
            "or cancelled ones), or banned, or forgotten (personal data erased by\n"
            "`worker forget`). Names and birth dates only with --with-names.",
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
        .summary = "Show one worker: everything the database holds on the person.",
        .description =
            "Sections: the record (every stored field, when it was forgotten), the\n"
            "history (campaigns, returned, last employer and return, banned_until),\n"
            "every placement across rounds with its id, round and state, bans with\n"
            "their end (stored bans, the open season's declines, a no-return ban),\n"
            "pins, scores, training sessions and reintegration programmes of each\n"
            "round, reserve ranks, each round whose stored inputs hold the worker's\n"
            "record (with that record), the audit entries about the worker and the\n"
            "worker's placements, and for the open round each open vacancy with\n"
            "whether the worker is eligible or the first eligibility rule that fails.\n"
            "Name and birth date only with --with-names: `--json --with-names` is the\n"
            "complete answer to the person's request to see their data.",
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

/* What `worker forget` erases: ids, or the retention date; the reason. */
typedef struct forget_args {
    const char *const *ids;
    size_t n;
    const char *before, *reason;
} forget_args;

static int forget_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                     clb_error *err)
{
    const forget_args *a = arg;
    return clb_desk_worker_forget(out, st, a->ids, a->n, a->before, a->reason, flags, err);
}

static int w_forget(int argc, char **argv)
{
    const char *db = NULL, *by = NULL;
    bool json = false, dry = false;
    forget_args a = {0};
    const cli_option options[] = {
        CLI_DB_OPTION(db),
        CLI_BY_OPTION(by),
        CLI_JSON_OPTION(json),
        {.long_name = "reason", .type = CLI_OPT_STRING, .value = &a.reason,
         .arg_name = "TEXT",
         .help = "why (required; for the audit log: never a personal value)"},
        {.long_name = "before", .type = CLI_OPT_STRING, .value = &a.before,
         .arg_name = "DATE",
         .help = "every worker with no activity on or after DATE (retention)"},
        CLI_DRY_RUN_OPTION(dry),
        {0},
    };
    const cli_command spec = {
        .name = "worker forget",
        .usage = "ID... --reason TEXT | --before DATE --reason TEXT [options]",
        .summary = "Erase workers' personal data (the right to erasure, retention).",
        .description =
            "A forgotten worker keeps only the id, country, region, history and the\n"
            "facts of the placements. Name, birth date, sex, languages, skills,\n"
            "trainings, availability, preferences, exclusions, scores and pins are\n"
            "removed from the worker's record and from every round's stored inputs;\n"
            "the worker gets status forgotten and is never placed again (left out of\n"
            "rounds and scenario exports). Then the database's files are scrubbed\n"
            "(secure_delete, WAL truncated, VACUUM): no file keeps an erased value.\n"
            "--before DATE forgets every worker with no activity since DATE: nothing\n"
            "done with the worker on or after it (record imported or changed, a\n"
            "placement proposed, changed, ended, departed or returned, a round that\n"
            "considered the worker). One audit entry per worker (worker.forget: who,\n"
            "when, the reason), never an erased value; clerks' notes and cancellation\n"
            "reasons in earlier entries about the worker become \"[erased]\". All or\n"
            "nothing: refused while a worker has a confirmed or departed placement,\n"
            "or a proposal of the latest round, in the open season. Already\n"
            "forgotten: unchanged.",
        .options = options,
        .min_operands = 0,
        .max_operands = -1,
        .epilog = "exit codes: 0 ok, 1 database failure (or the scrub blocked by another\n"
                  "process: run again), 2 usage error, 3 unknown worker, a worker still\n"
                  "engaged in the open season, or a bad date.",
    };
    cli_operands ops;
    int rc = cli_parse(&ops, &spec, argc, argv);
    if (rc != CLI_CONTINUE)
        return rc;
    if (!a.reason || !*a.reason) {
        cli_error("worker forget: --reason TEXT is required");
        return CLB_EXIT_USAGE;
    }
    if ((ops.count > 0) == (a.before != NULL)) {
        cli_error("worker forget: give worker ids or --before DATE (one of them)");
        return CLB_EXIT_USAGE;
    }
    a.ids = (const char *const *)ops.items;
    a.n = (size_t)ops.count;
    if (dry)
        return cli_db_run_dry(db, by, forget_fn, &a, json ? CLB_STORE_JSON : 0);
    return cli_db_run(db, by, forget_fn, &a, json ? CLB_STORE_JSON : 0, NULL);
}

int cmd_worker(int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"list", w_list, "list workers with their state in the open season"},
        {"show", w_show, "show one worker's record, placements, bans and eligibility"},
        {"forget", w_forget, "erase workers' personal data (by id, or --before DATE)"},
        {NULL, NULL, NULL},
    };
    static const cli_group group = {"worker", "Look workers up (the agency's desk); erase their data.",
                                 verbs};
    return cli_dispatch(&group, argc, argv);
}
