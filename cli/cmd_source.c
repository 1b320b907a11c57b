/*
 * cmd_source.c - `circulab source add | list | remove | log`: the offer feeds an
 * agency registers (docs/FORMATS.md §5, docs/OFFERS.md).
 *
 * A source's settings (page format, the NAME of the environment variable holding its
 * bearer token, a default employer) are written by the library (offers.h), so that
 * the program never composes the settings document itself and never sees a token.
 */
#include "db.h"
#include "circulab/offers.h"

#include <string.h>

static const char *const FORMATS[] = {"auto", "native", "jobposting", NULL};

static int s_add(int argc, char **argv)
{
    const char *db = NULL, *by = NULL, *format = "auto", *token_env = NULL,
               *employer = NULL;
    const cli_option options[] = {
        CLI_DB_OPTION(db),
        CLI_BY_OPTION(by),
        {.long_name = "format", .type = CLI_OPT_CHOICE, .value = &format,
         .arg_name = "F", .choices = FORMATS,
         .help = "page format: auto (default), native (circulab-offers/1) or jobposting"},
        {.long_name = "token-env", .type = CLI_OPT_STRING, .value = &token_env,
         .arg_name = "VAR",
         .help = "environment variable holding a bearer token (the token is never stored)"},
        {.long_name = "employer", .type = CLI_OPT_STRING, .value = &employer,
         .arg_name = "E", .help = "employer id of offers that name none"},
        {0},
    };
    const cli_command spec = {
        .name = "source add",
        .usage = "NAME URL [--format auto|native|jobposting] [--token-env VAR] "
                 "[--employer E]",
        .summary = "Register an offer feed.",
        .description =
            "NAME is the source's id (at most 64 bytes); URL an http:// or https:// URL\n"
            "answering GET with a circulab-offers/1 document or schema.org JobPosting\n"
            "JSON-LD (docs/OFFERS.md). With --token-env, `fetch` sends the value of that\n"
            "variable as a bearer token to the URL's origin; only the variable's name is\n"
            "stored.",
        .options = options,
        .min_operands = 2,
        .max_operands = 2,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error, 3 bad name, url\n"
                  "or variable name, or the source exists.",
    };
    cli_operands ops;
    clb_store *st = NULL;
    clb_error err;
    clb_offers_format f = CLB_OFFERS_AUTO;
    int error, rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    if (strcmp(format, "native") == 0)
        f = CLB_OFFERS_NATIVE;
    else if (strcmp(format, "jobposting") == 0)
        f = CLB_OFFERS_JOBPOSTING;
    if ((rc = cli_db_open(&st, db, by, false)) != CLB_EXIT_OK)
        return rc;
    clb_error_init(&err);
    error = clb_offers_source_add(st, ops.items[0], ops.items[1], f, token_env, employer,
                                  &err);
    if (error < 0) {
        rc = cli_db_fail(error, &err);
    } else {
        cli_printf_text(stdout, "source '%s' added\n", ops.items[0]);
        if (token_env && clb_offers_url_is_plain_remote(ops.items[1]))
            cli_warning("source '%s': its bearer token (%s) will go over plain http to a "
                        "host other than loopback, readable on the way; use https",
                        ops.items[0], token_env);
    }
    clb_store_close(st);
    return rc;
}

static int list_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                   clb_error *err)
{
    (void)arg;
    return clb_offers_source_list(out, st, flags, err);
}

static int s_list(int argc, char **argv)
{
    const char *db = NULL;
    bool json = false;
    const cli_option options[] = {CLI_DB_OPTION(db), CLI_JSON_OPTION(json), {0}};
    const cli_command spec = {
        .name = "source list",
        .usage = "[options]",
        .summary = "List the offer feeds.",
        .description = "One line per source: NAME URL format=F [token-env=VAR]\n"
                       "[employer=E] [etag=...] [last-modified=...].",
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

static int s_remove(int argc, char **argv)
{
    const char *db = NULL, *by = NULL;
    const cli_option options[] = {CLI_DB_OPTION(db), CLI_BY_OPTION(by), {0}};
    const cli_command spec = {
        .name = "source remove",
        .usage = "NAME... [options]",
        .summary = "Remove offer feeds.",
        .description = "The source's vacancies and its fetch log stay in the database.",
        .options = options,
        .min_operands = 1,
        .max_operands = -1,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error, 3 unknown source.",
    };
    cli_operands ops;
    clb_store *st = NULL;
    clb_error err;
    int error, rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    if ((rc = cli_db_open(&st, db, by, false)) != CLB_EXIT_OK)
        return rc;
    for (int i = 0; i < ops.count; i++) {
        clb_error_init(&err);
        if ((error = clb_store_source_remove(st, ops.items[i], &err)) < 0) {
            rc = cli_db_fail(error, &err);
            break;
        }
        cli_printf_text(stdout, "source '%s' removed\n", ops.items[i]);
    }
    clb_store_close(st);
    return rc;
}

/* What `source log` shows: one source (NULL: all), the last `limit` fetches (0: all). */
typedef struct log_args {
    const char *name;
    long limit;
} log_args;

static int log_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                  clb_error *err)
{
    const log_args *a = arg;
    return clb_store_fetch_log_list(out, st, a->name, a->limit, flags, err);
}

static int s_log(int argc, char **argv)
{
    const char *db = NULL;
    bool json = false;
    long limit = 0;
    const cli_option options[] = {
        CLI_DB_OPTION(db),
        CLI_JSON_OPTION(json),
        {.long_name = "limit", .type = CLI_OPT_LONG, .value = &limit, .arg_name = "N",
         .min = 0, .max = 1e9, .help = "only the last N fetches (default all)"},
        {0},
    };
    const cli_command spec = {
        .name = "source log",
        .usage = "[NAME] [options]",
        .summary = "Show the fetch log.",
        .description = "One line per fetch, oldest first: source, start, end, HTTP status,\n"
                       "pages, offers added / updated / withdrawn / rejected, and the\n"
                       "error of a failed fetch.",
        .options = options,
        .min_operands = 0,
        .max_operands = 1,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error.",
    };
    cli_operands ops;
    int rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    const log_args a = {ops.count ? ops.items[0] : NULL, limit};
    return cli_db_run(db, NULL, log_fn, &a, json ? CLB_STORE_JSON : 0, NULL);
}

int cmd_source(int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"add", s_add, "register an offer feed"},
        {"list", s_list, "list the offer feeds"},
        {"remove", s_remove, "remove offer feeds"},
        {"log", s_log, "show the fetch log"},
        {NULL, NULL, NULL},
    };
    static const cli_group group = {"source", "Offer feeds (see docs/OFFERS.md).", verbs};
    return cli_dispatch(&group, argc, argv);
}
