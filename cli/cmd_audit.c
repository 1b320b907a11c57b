/*
 * cmd_audit.c - `circulab audit`: the append-only log of who changed what.
 */
#include "db.h"
#include "circulab/desk.h"

#include <ctype.h>
#include <string.h>

/* Digits s[from..to) as a number, or -1 when one is not a digit. */
static int digits(const char *s, int from, int to)
{
    int n = 0;
    for (int i = from; i < to; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        n = n * 10 + (s[i] - '0');
    }
    return n;
}

/* A calendar date YYYY-MM-DD (2026-02-30 is not one: it would be compared as text and
 * silently mean March), optionally with a UTC time THH:MM:SSZ, compared as text with
 * the log's times. */
static bool since_ok(const char *s)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    size_t len = strlen(s);
    if ((len != 10 && len != 20) || s[4] != '-' || s[7] != '-')
        return false;
    int y = digits(s, 0, 4), m = digits(s, 5, 7), d = digits(s, 8, 10);
    if (y < 0 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return false;
    if (len == 10)
        return true;
    return s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == 'Z' &&
           digits(s, 11, 13) >= 0 && digits(s, 11, 13) < 24 && digits(s, 14, 16) >= 0 &&
           digits(s, 14, 16) < 60 && digits(s, 17, 19) >= 0 && digits(s, 17, 19) < 61;
}

static int query_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                    clb_error *err)
{
    return clb_store_audit_query(out, st, arg, flags, err);
}

int cmd_audit(int argc, char **argv)
{
    const char *db = NULL;
    bool json = false, csv = false;
    unsigned flags;
    clb_audit_filter f = {0};
    const cli_option options[] = {
        CLI_DB_OPTION(db),
        CLI_JSON_OPTION(json),
        CLI_CSV_OUT_OPTION(csv),
        {.short_name = 'n', .long_name = "last", .type = CLI_OPT_LONG, .value = &f.limit,
         .arg_name = "N", .min = 1, .max = 1e15, .help = "only the last N entries"},
        {.long_name = "object", .type = CLI_OPT_STRING, .value = &f.object, .arg_name = "ID",
         .help = "only entries about ID: a placement id, round, worker or vacancy"},
        {.long_name = "by", .type = CLI_OPT_STRING, .value = &f.by, .arg_name = "WHO",
         .help = "only entries made by WHO"},
        {.long_name = "since", .type = CLI_OPT_STRING, .value = &f.since, .arg_name = "DATE",
         .help = "only entries at or after DATE (YYYY-MM-DD, UTC)"},
        {0},
    };
    const cli_command spec = {
        .name = "audit",
        .usage = "[-n N] [--object ID] [--by WHO] [--since DATE] [options]",
        .summary = "List the audit log, oldest first.",
        .description =
            "Each entry says who (--by or the login name), when (UTC), what (an action\n"
            "such as placement.confirm, round.run, import, season.close,\n"
            "worker.history), on which object, the state before and after, and details.\n"
            "The log is append-only: the database refuses to change or delete entries.",
        .options = options,
        .min_operands = 0,
        .max_operands = 0,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error.",
    };
    cli_operands ops;
    int rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    if (f.since && !since_ok(f.since)) {
        cli_error("audit: --since '%s' is not a date (YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SSZ)",
                  f.since);
        return CLB_EXIT_USAGE;
    }
    if (cli_list_format(json, csv, &flags) < 0)
        return CLB_EXIT_USAGE;
    return cli_db_run(db, NULL, query_fn, &f, flags, NULL);
}
