/*
 * cmd_pin.c - `circulab pin list | add | release`: the pins of the database (a pin says
 * that a placement must be in the next round's result, docs/FORMATS.md §2.8).
 *
 * Pins are managed one change at a time, each audited, because an imported document
 * brings its pins only while the database has no rounds (docs/DATABASE.md). Adding a
 * pin the scenario reader would refuse (an ineligible pair) is refused with the
 * reader's reason: the database stays one a round can be run on.
 */
#include "db.h"

#include <string.h>

static int list_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                   clb_error *err)
{
    (void)arg;
    return clb_store_pin_list(out, st, flags, err);
}

static int p_list(int argc, char **argv)
{
    const char *db = NULL;
    bool json = false, csv = false;
    unsigned flags = 0;
    const cli_option options[] = {CLI_DB_OPTION(db), CLI_JSON_OPTION(json),
                                  CLI_CSV_OUT_OPTION(csv), {0}};
    const cli_command spec = {
        .name = "pin list",
        .usage = "[options]",
        .summary = "List the pins.",
        .description = "One line per pin: worker, vacancy and the vacancy's status. Rounds\n"
                       "use the pins whose vacancy is open and whose worker is active\n"
                       "(`in_rounds` in --json and --csv).",
        .options = options,
        .min_operands = 0,
        .max_operands = 0,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error.",
    };
    cli_operands ops;
    int rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    if (cli_list_format(json, csv, &flags) < 0)
        return CLB_EXIT_USAGE;
    return cli_db_run(db, NULL, list_fn, NULL, flags, NULL);
}

/* add and release share their shape: WORKER VACANCY [--note TEXT]. */
/* What `pin add` and `pin release` change. */
typedef struct pin_args {
    bool add;
    const char *worker, *vacancy, *note;
} pin_args;

static int change_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                     clb_error *err)
{
    const pin_args *a = arg;
    clb_buf problems = CLB_BUF_INIT;
    int error;

    (void)flags;
    error = a->add ? clb_store_pin_add(out, st, a->worker, a->vacancy, a->note, &problems,
                                       err)
                   : clb_store_pin_release(out, st, a->worker, a->vacancy, a->note, err);
    clb_buf_dispose(&problems);
    return error;
}

static int p_change(int argc, char **argv, bool add)
{
    const char *db = NULL, *by = NULL, *note = NULL;
    const cli_option options[] = {
        CLI_DB_OPTION(db),
        CLI_BY_OPTION(by),
        {.long_name = "note", .type = CLI_OPT_STRING, .value = &note, .arg_name = "TEXT",
         .help = "a note for the audit log (why)"},
        {0},
    };
    const cli_command spec_add = {
        .name = "pin add",
        .usage = "WORKER VACANCY [--note TEXT] [options]",
        .summary = "Pin a worker to a vacancy for the next rounds.",
        .description =
            "The worker must be active and the vacancy open, and the pair eligible\n"
            "(see docs/MODEL.md section 3.1): a pin the scenario reader would refuse\n"
            "is refused here with the failed rule. Pinning an existing pin changes\n"
            "nothing. Audited as pin.add.",
        .options = options,
        .min_operands = 2,
        .max_operands = 2,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error, 3 unknown worker\n"
                  "or vacancy, closed vacancy, or an ineligible pair.",
    };
    const cli_command spec_release = {
        .name = "pin release",
        .usage = "WORKER VACANCY [--note TEXT] [options]",
        .summary = "Release a pin.",
        .description = "The next rounds no longer have to place the worker at the vacancy.\n"
                       "Audited as pin.release. A season close releases the pins of the\n"
                       "vacancies it closes by itself. A pair that is not pinned (released\n"
                       "already) is reported unchanged.",
        .options = options,
        .min_operands = 2,
        .max_operands = 2,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error, 3 unknown worker\n"
                  "or vacancy.",
    };
    cli_operands ops;
    int rc = cli_parse(&ops, add ? &spec_add : &spec_release, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    const pin_args a = {add, ops.items[0], ops.items[1], note};
    return cli_db_run(db, by, change_fn, &a, 0, NULL);
}

static int p_add(int argc, char **argv)
{
    return p_change(argc, argv, true);
}

static int p_release(int argc, char **argv)
{
    return p_change(argc, argv, false);
}

int cmd_pin(int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"list", p_list, "list the pins"},
        {"add", p_add, "pin a worker to a vacancy"},
        {"release", p_release, "release a pin"},
        {NULL, NULL, NULL},
    };
    static const cli_group group = {"pin", "Pins: placements the next rounds must keep.",
                                    verbs};
    return cli_dispatch(&group, argc, argv);
}
