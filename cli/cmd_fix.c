/*
 * cmd_fix.c - the desk's corrections: `placement undo ID...` and `round delete N`
 * (include/circulab/desk.h). Both are one transaction, refused with the reason (exit
 * 3) when something after the change depends on it, and audited.
 */
#include "desk.h"

#include <errno.h>
#include <stdlib.h>

/* What `placement undo` reverts. */
typedef struct undo_args {
    const long *ids;
    size_t n;
    const char *note;
} undo_args;

static int undo_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                   clb_error *err)
{
    const undo_args *a = arg;
    return clb_desk_placement_undo(out, st, a->ids, a->n, a->note, flags, err);
}

int cli_placement_undo(int argc, char **argv)
{
    const char *db = NULL, *by = NULL, *note = NULL;
    bool json = false;
    const cli_option options[] = {
        CLI_DB_OPTION(db),
        CLI_BY_OPTION(by),
        CLI_JSON_OPTION(json),
        {.long_name = "note", .type = CLI_OPT_STRING, .value = &note, .arg_name = "TEXT",
         .help = "a note for the audit log (why)"},
        {0},
    };
    const cli_command spec = {
        .name = "placement undo",
        .usage = "ID... [--note TEXT] [options]",
        .summary = "Revert the last transition of placements.",
        .description =
            "confirmed or declined -> proposed (only while the placement's round is the\n"
            "season's latest: a later round was built on it), cancelled -> confirmed\n"
            "(only while no round has run since), departed -> confirmed, returned or\n"
            "not_returned -> departed (the dates are cleared). Only in the open season.\n"
            "Ids may be ranges (12-40). All or nothing; audited as placement.undo.",
        .options = options,
        .min_operands = 1,
        .max_operands = -1,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error, 3 unknown id or\n"
                  "a transition something depends on (nothing was changed).",
    };
    cli_operands ops;
    clb_change *changes = NULL;
    long *ids = NULL;
    size_t n = 0;
    int rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    if ((rc = cli_placement_ids(&changes, &n, "placement undo", ops.count, ops.items)) !=
        CLB_EXIT_OK)
        return rc;
    ids = calloc(n + 1, sizeof(*ids));
    if (!ids) {
        free(changes);
        cli_error("out of memory");
        return CLB_EXIT_RUNTIME;
    }
    for (size_t i = 0; i < n; i++)
        ids[i] = changes[i].placement;
    free(changes);
    const undo_args a = {ids, n, note};
    rc = cli_db_run(db, by, undo_fn, &a, json ? CLB_STORE_JSON : 0, "nothing was changed");
    free(ids);
    return rc;
}

/* arg: the round to delete */
static int delete_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                     clb_error *err)
{
    (void)flags;
    return clb_desk_round_delete(out, st, *(const long *)arg, err);
}

int cli_round_delete(int argc, char **argv)
{
    const char *db = NULL, *by = NULL;
    const cli_option options[] = {CLI_DB_OPTION(db), CLI_BY_OPTION(by), {0}};
    const cli_command spec = {
        .name = "round delete",
        .usage = "N [options]",
        .summary = "Delete a round nothing was decided on.",
        .description =
            "Deletes the latest round of the open season with its placements, training,\n"
            "reintegration and reserve lists, when none of its proposals was confirmed,\n"
            "declined or cancelled (undo them first with `placement undo`). The next\n"
            "round builds on the round before it. Audited as round.delete.",
        .options = options,
        .min_operands = 1,
        .max_operands = 1,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error, 3 unknown round,\n"
                  "not the latest, or decisions were made on it (nothing was changed).",
    };
    cli_operands ops;
    char *end;
    long round;
    int rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    errno = 0;
    round = strtol(ops.items[0], &end, 10);
    if (errno || *end || end == ops.items[0] || round <= 0) {
        cli_error("round delete: '%s' is not a round number", ops.items[0]);
        return CLB_EXIT_USAGE;
    }
    return cli_db_run(db, by, delete_fn, &round, 0, NULL);
}
