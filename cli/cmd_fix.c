/*
 * cmd_fix.c - the desk's corrections: `placement undo ID...` and `round delete N`
 * (include/circulab/desk.h). Both are one transaction, refused with the reason (exit
 * 3) when something after the change depends on it, and audited. The engine returns
 * what it changed; the lines and the JSON printed are written here.
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

/* What was undone: one line each, or one JSON array (--json). */
static int undone_print(clb_buf *out, const clb_desk_undone *u, size_t n, bool json)
{
    int rc = json ? clb_buf_puts(out, "[") : 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (json) {
            rc = clb_buf_printf(out, "%s\n  {\"placement\": %ld, \"worker\": ", i ? "," : "",
                                u[i].placement);
            if (rc == 0)
                rc = clb_buf_json_string(out, u[i].worker);
            if (rc == 0)
                rc = clb_buf_puts(out, ", \"vacancy\": ");
            if (rc == 0)
                rc = clb_buf_json_string(out, u[i].vacancy);
            if (rc == 0)
                rc = clb_buf_printf(out, ", \"before\": \"%s\", \"after\": \"%s\"}",
                                    u[i].before, u[i].after);
        } else
            rc = clb_buf_printf(out, "placement %ld (%s at %s): %s -> %s (undone)\n",
                                u[i].placement, u[i].worker, u[i].vacancy, u[i].before,
                                u[i].after);
    }
    if (rc == 0 && json)
        rc = clb_buf_puts(out, "\n]\n");
    return rc;
}

static int undo_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                   clb_error *err)
{
    const undo_args *a = arg;
    clb_desk_undone *u = calloc(a->n + 1, sizeof(*u));
    int error;

    if (!u)
        return CLB_ENOMEM;
    error = clb_desk_placement_undo(u, st, a->ids, a->n, a->note, err);
    if (error == 0 && undone_print(out, u, a->n, flags & CLB_STORE_JSON) < 0)
        error = CLB_ENOMEM;
    free(u);
    return error;
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
    long round = *(const long *)arg, proposals = 0;
    int error;

    (void)flags;
    error = clb_desk_round_delete(&proposals, st, round, err);
    if (error == 0 && clb_buf_printf(out, "round %ld deleted (%ld proposal%s)\n", round,
                                     proposals, proposals == 1 ? "" : "s") < 0)
        error = CLB_ENOMEM;
    return error;
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
