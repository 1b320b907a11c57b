/*
 * cmd_placement.c - `circulab placement confirm | decline | depart | return |
 * no-return | cancel ID... | --csv FILE`, and `placement list`: the placement
 * lifecycle.
 *
 * proposed -> confirmed | declined, confirmed -> departed | cancelled, departed ->
 * returned | not_returned (docs/DATABASE.md §6). All the ids of one command change
 * together or not at all; an illegal transition is refused with exit code 3 and a
 * message naming the placement, its state and what it can do instead; a
 * confirmation that would leave the season without a feasible plan is refused with
 * exit code 4. Every change is audited.
 */
#include "db.h"
#include "desk.h"

#include <errno.h>
#include <stdlib.h>

#define MAX_RANGE 100000 /* ids one range may name */

int cli_placement_ids(clb_change **out, size_t *n, const char *name, int count,
                      char **items)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    for (int i = 0; i < count; i++) {
        const char *s = items[i];
        char *end;
        long a, b;
        errno = 0;
        a = strtol(s, &end, 10);
        b = a;
        if (!errno && end != s && *end == '-' && a > 0) {
            const char *t = end + 1;
            b = strtol(t, &end, 10);
            if (end == t)
                b = 0;
        }
        if (errno || *end || end == s || a <= 0 || b < a) {
            cli_error("%s: '%s' is not a placement id or range (N or N-M)", name, s);
            free(*out);
            *out = NULL;
            return CLB_EXIT_USAGE;
        }
        if (b - a >= MAX_RANGE) {
            cli_error("%s: the range '%s' names more than %d ids", name, s, MAX_RANGE);
            free(*out);
            *out = NULL;
            return CLB_EXIT_USAGE;
        }
        for (long id = a; id <= b; id++) {
            if (*n == cap) {
                size_t c2 = cap ? cap * 2 : 16;
                clb_change *p = realloc(*out, c2 * sizeof(*p));
                if (!p) {
                    cli_error("out of memory");
                    free(*out);
                    *out = NULL;
                    return CLB_EXIT_RUNTIME;
                }
                *out = p;
                cap = c2;
            }
            (*out)[*n].placement = id;
            (*out)[*n].date = NULL;
            (*n)++;
        }
    }
    return CLB_EXIT_OK;
}

/* What a placement transition applies: the ids given, or those of a CSV file. */
typedef struct apply_args {
    clb_action action;
    const char *csv;
    const clb_change *changes;
    size_t n_changes;
    const char *note;
} apply_args;

static int apply_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                    clb_error *err)
{
    const apply_args *a = arg;
    if (a->csv)
        return clb_store_placement_apply_csv(out, st, a->action, a->csv, a->note, flags,
                                             err);
    return clb_store_placement_apply(out, st, a->action, a->changes, a->n_changes, a->note,
                                     flags, err);
}

static int apply(clb_action action, const char *name, const char *summary,
                 const char *description, bool dated, const char *epilog, int argc,
                 char **argv)
{
    const char *db = NULL, *by = NULL, *csv = NULL, *date = NULL, *note = NULL;
    bool json = false;
    cli_option options[] = {
        CLI_DB_OPTION(db),
        CLI_BY_OPTION(by),
        CLI_JSON_OPTION(json),
        {.long_name = "csv", .type = CLI_OPT_STRING, .value = &csv, .arg_name = "FILE",
         .help = "read the ids (column placement, optional column date) from FILE"},
        {.long_name = "note", .type = CLI_OPT_STRING, .value = &note, .arg_name = "TEXT",
         .help = "a note for the audit log"},
        {.long_name = "date", .type = CLI_OPT_STRING, .value = &date, .arg_name = "DATE",
         .help = "the date it happened (YYYY-MM-DD; default: the placement's dates)"},
        {0},
    };
    cli_command spec = {
        .name = name,
        .usage = "ID... | --csv FILE [options]",
        .summary = summary,
        .description = description,
        .options = options,
        .min_operands = 0,
        .max_operands = -1,
        .epilog = epilog ? epilog
                         : "exit codes: 0 ok, 1 database failure, 2 usage error, 3 unknown "
                           "id or\nillegal transition (nothing was changed).",
    };
    cli_operands ops;
    clb_change *changes = NULL;
    size_t n_changes = 0;
    int rc;

    if (action == CLB_ACT_CANCEL) {
        options[4].long_name = "reason";
        options[4].help = "why the worker does not leave (required; kept in the audit log)";
        options[3].help = "read the ids (column placement) from FILE";
        spec.usage = "ID... | --csv FILE, --reason TEXT [options]";
    }
    if (!dated)
        options[5] = (cli_option){0};
    rc = cli_parse(&ops, &spec, argc, argv);
    if (rc != CLI_CONTINUE)
        return rc;
    if ((ops.count == 0) == (csv == NULL)) {
        cli_error("%s: give placement ids or --csv FILE (one of them)", name);
        return CLB_EXIT_USAGE;
    }
    if (action == CLB_ACT_CANCEL && (!note || !note[0])) {
        cli_error("%s: --reason TEXT is required", name);
        return CLB_EXIT_USAGE;
    }
    if ((rc = cli_placement_ids(&changes, &n_changes, name, ops.count, ops.items)) !=
        CLB_EXIT_OK)
        return rc;
    for (size_t i = 0; i < n_changes; i++)
        changes[i].date = date;
    const apply_args a = {action, csv, changes, n_changes, note};
    rc = cli_db_run(db, by, apply_fn, &a, json ? CLB_STORE_JSON : 0, "nothing was changed");
    free(changes);
    return rc;
}

static int p_confirm(int argc, char **argv)
{
    return apply(CLB_ACT_CONFIRM, "placement confirm", "Confirm proposed placements.",
                 "proposed -> confirmed. Only proposals of the latest round of the open\n"
                 "season can be confirmed; a later round keeps them, with the same ids,\n"
                 "as `previous` confirmed (pinned). A confirmation is refused when the\n"
                 "season's confirmed placements with the new ones (and the stored pins)\n"
                 "could not all hold in one plan: headcount, housing, quotas, training\n"
                 "seats, required reintegration; the message names what cannot hold.",
                 false,
                 "exit codes: 0 ok, 1 database failure, 2 usage error, 3 unknown id or\n"
                 "illegal transition, 4 the confirmed placements would admit no plan\n"
                 "(nothing was changed).",
                 argc, argv);
}

static int p_decline(int argc, char **argv)
{
    return apply(CLB_ACT_DECLINE, "placement decline", "Decline proposed placements.",
                 "proposed -> declined. A declined pair is banned in the later rounds of\n"
                 "the season.",
                 false, NULL, argc, argv);
}

static int p_depart(int argc, char **argv)
{
    return apply(CLB_ACT_DEPART, "placement depart", "Record departures.",
                 "confirmed -> departed. --date defaults to the placement's start.", true,
                 NULL, argc, argv);
}

static int p_return(int argc, char **argv)
{
    return apply(CLB_ACT_RETURN, "placement return", "Record returns home.",
                 "departed -> returned. --date (the return date, which becomes the\n"
                 "worker's last_return at season close) defaults to the placement's end.",
                 true, NULL, argc, argv);
}

static int p_no_return(int argc, char **argv)
{
    return apply(CLB_ACT_NO_RETURN, "placement no-return",
                 "Record workers who did not return.",
                 "departed -> not_returned. At season close the worker is banned for the\n"
                 "policy's no_return_ban_days.",
                 false, NULL, argc, argv);
}

static int p_cancel(int argc, char **argv)
{
    return apply(CLB_ACT_CANCEL, "placement cancel",
                 "Cancel confirmed placements whose workers do not leave.",
                 "confirmed -> cancelled (visa refused, illness, withdrawal). The place\n"
                 "reopens for the next round, the pair is not banned (unlike a decline)\n"
                 "and the worker's history is untouched. --reason is kept in the audit log.",
                 false,
                 "exit codes: 0 ok, 1 database failure, 2 usage error (no --reason), 3\n"
                 "unknown id or illegal transition (nothing was changed).",
                 argc, argv);
}

static int query_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                    clb_error *err)
{
    return clb_store_placement_query(out, st, arg, flags, err);
}

static int p_list(int argc, char **argv)
{
    const char *db = NULL, *status = NULL, *employer = NULL, *worker = NULL,
               *vacancy = NULL;
    long round = 0;
    bool json = false, csv = false;
    unsigned flags;
    static const char *const states[] = {"proposed", "confirmed", "declined", "departed",
                                         "returned", "not_returned", "cancelled", NULL};
    const cli_option options[] = {
        CLI_DB_OPTION(db),
        CLI_JSON_OPTION(json),
        CLI_CSV_OUT_OPTION(csv),
        {.long_name = "round", .type = CLI_OPT_LONG, .value = &round, .arg_name = "N",
         .min = 1, .max = 1e15, .help = "only round N"},
        {.long_name = "status", .type = CLI_OPT_CHOICE, .value = &status, .arg_name = "S",
         .choices = states, .help = "only placements in state S"},
        {.long_name = "employer", .type = CLI_OPT_STRING, .value = &employer,
         .arg_name = "E", .help = "only placements at employer E"},
        {.long_name = "worker", .type = CLI_OPT_STRING, .value = &worker, .arg_name = "W",
         .help = "only placements of worker W"},
        {.long_name = "vacancy", .type = CLI_OPT_STRING, .value = &vacancy,
         .arg_name = "V", .help = "only placements at vacancy V"},
        {0},
    };
    const cli_command spec = {
        .name = "placement list",
        .usage = "[--round N] [--status S] [--employer E] [--worker W] [--vacancy V] [options]",
        .summary = "List placements with their ids and states.",
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
    clb_placement_filter f = {round, status, employer, worker, vacancy};
    return cli_db_run(db, NULL, query_fn, &f, flags, NULL);
}

int cmd_placement(int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"confirm", p_confirm, "proposed -> confirmed"},
        {"decline", p_decline, "proposed -> declined"},
        {"depart", p_depart, "confirmed -> departed"},
        {"return", p_return, "departed -> returned"},
        {"no-return", p_no_return, "departed -> not_returned"},
        {"cancel", p_cancel, "confirmed -> cancelled (the worker does not leave)"},
        {"undo", cli_placement_undo, "revert the last transition (nothing depends on it)"},
        {"list", p_list, "list placements with their ids and states"},
        {NULL, NULL, NULL},
    };
    static const cli_group group = {
        "placement",
        "The placement lifecycle (see docs/DATABASE.md section 6): proposed ->\n"
        "confirmed | declined, confirmed -> departed | cancelled, departed ->\n"
        "returned | not_returned. A placement keeps one id whichever round shows it.\n"
        "Each change is written to the audit log. Ids may be given as ranges (12-40).\n"
        "A placement already in the state a command leads to is reported `unchanged`\n"
        "and does not fail the batch.",
        verbs};
    return cli_dispatch(&group, argc, argv);
}
