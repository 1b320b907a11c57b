/*
 * cmd_employer.c - `circulab employer token add | list | revoke`: the tokens with
 * which employers sign in to the portal (`circulab serve`, docs/PORTAL.md §8); and
 * `employer list | show`, the desk's look-ups (include/circulab/desk.h).
 *
 * The token is printed once, alone on its line on stdout, so that a script can
 * capture it; the database keeps only its public id and a hash of its secret.
 */
#include "db.h"
#include "desk.h"
#include "circulab/portal.h"

#include <string.h>

static int t_add(int argc, char **argv)
{
    const char *db = NULL, *by = NULL, *label = NULL;
    const cli_option options[] = {
        CLI_DB_OPTION(db),
        CLI_BY_OPTION(by),
        {.long_name = "label", .type = CLI_OPT_STRING, .value = &label, .arg_name = "TEXT",
         .help = "a name for the token, unique per employer (default: the token id)"},
        {0},
    };
    const cli_command spec = {
        .name = "employer token add",
        .usage = "EMPLOYER [--label TEXT] [options]",
        .summary = "Make a portal token for an employer.",
        .description =
            "Prints the new token alone on its line: ID.SECRET, URL-safe, with 256\n"
            "random bits. It is shown only now: the database keeps the id and a hash\n"
            "of the secret. Give it to the employer, who signs in to `circulab serve`\n"
            "with it (docs/PORTAL.md).",
        .options = options,
        .min_operands = 1,
        .max_operands = 1,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error, 3 unknown\n"
                  "employer, a label in use or a bad label.",
    };
    cli_operands ops;
    clb_store *st = NULL;
    clb_buf token = CLB_BUF_INIT;
    clb_error err;
    int error, rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    if ((rc = cli_db_open(&st, db, by, false)) != CLB_EXIT_OK)
        return rc;
    clb_error_init(&err);
    error = clb_store_token_add(&token, st, ops.items[0], label, &err);
    if (error < 0)
        rc = cli_db_fail(error, &err);
    else
        printf("%s\n", token.ptr);
    if (token.ptr)
        memset(token.ptr, 0, token.size);
    clb_buf_dispose(&token);
    clb_store_close(st);
    return rc;
}

static int tokens_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                     clb_error *err)
{
    (void)arg;
    return clb_store_token_list(out, st, flags, err);
}

static int t_list(int argc, char **argv)
{
    const char *db = NULL;
    bool json = false;
    const cli_option options[] = {CLI_DB_OPTION(db), CLI_JSON_OPTION(json), {0}};
    const cli_command spec = {
        .name = "employer token list",
        .usage = "[options]",
        .summary = "List the portal tokens.",
        .description = "One line per token: id, label, employer, the day it was made and\n"
                       "the day it was last used. Never the token itself.",
        .options = options,
        .min_operands = 0,
        .max_operands = 0,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error.",
    };
    cli_operands ops;
    int rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    return cli_db_run(db, NULL, tokens_fn, NULL, json ? CLB_STORE_JSON : 0, NULL);
}

static int t_revoke(int argc, char **argv)
{
    const char *db = NULL, *by = NULL;
    const cli_option options[] = {CLI_DB_OPTION(db), CLI_BY_OPTION(by), {0}};
    const cli_command spec = {
        .name = "employer token revoke",
        .usage = "ID|LABEL [options]",
        .summary = "Revoke a portal token.",
        .description = "Requests with the token are refused (401) from now on, also by a\n"
                       "server already running. A label several employers use is\n"
                       "ambiguous: give the id.",
        .options = options,
        .min_operands = 1,
        .max_operands = 1,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error, 3 no such token\n"
                  "or an ambiguous label.",
    };
    cli_operands ops;
    clb_store *st = NULL;
    clb_buf out = CLB_BUF_INIT;
    clb_error err;
    int error, rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    if ((rc = cli_db_open(&st, db, by, false)) != CLB_EXIT_OK)
        return rc;
    clb_error_init(&err);
    error = clb_store_token_revoke(&out, st, ops.items[0], &err);
    if (error < 0)
        rc = cli_db_fail(error, &err);
    else
        cli_printf_text(stdout, "token %s revoked\n", out.ptr);
    clb_buf_dispose(&out);
    clb_store_close(st);
    return rc;
}

static int e_token(int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"add", t_add, "make a portal token for an employer"},
        {"list", t_list, "list the portal tokens"},
        {"revoke", t_revoke, "revoke a portal token"},
        {NULL, NULL, NULL},
    };
    static const cli_group group = {"employer token",
                                    "Employers' portal tokens (docs/PORTAL.md).", verbs};
    return cli_dispatch(&group, argc, argv);
}

static int elist_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                    clb_error *err)
{
    (void)arg;
    clb_desk_view v = {0};
    int error = clb_desk_employer_list(&v, st, err);
    return cli_desk_render(out, &v, error, flags, err);
}

static int eshow_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                    clb_error *err)
{
    clb_desk_view v = {0};
    int error = clb_desk_employer_show(&v, st, arg, err);
    return cli_desk_render(out, &v, error, flags, err);
}

static int e_list(int argc, char **argv)
{
    const char *db = NULL;
    bool json = false, csv = false;
    const cli_option options[] = {CLI_DB_OPTION(db), CLI_JSON_OPTION(json),
                                  CLI_CSV_OUT_OPTION(csv), {0}};
    const cli_command spec = {
        .name = "employer list",
        .usage = "[options]",
        .summary = "List employers with sites, beds, vacancies and fill.",
        .description =
            "One line per employer: id, name, region, sites, beds, vacancies, open\n"
            "vacancies and their headcount, filled (placements confirmed, departed,\n"
            "returned or not returned in the open season) and the offer source.",
        .options = options,
        .min_operands = 0,
        .max_operands = 0,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error.",
    };
    cli_operands ops;
    int rc = cli_parse(&ops, &spec, argc, argv);
    if (rc != CLI_CONTINUE)
        return rc;
    return cli_desk_run(db, json, csv, false, elist_fn, NULL);
}

static int e_show(int argc, char **argv)
{
    const char *db = NULL;
    bool json = false;
    const cli_option options[] = {CLI_DB_OPTION(db), CLI_JSON_OPTION(json), {0}};
    const cli_command spec = {
        .name = "employer show",
        .usage = "ID [options]",
        .summary = "Show one employer: sites, beds, vacancies, fill.",
        .description = "Sections: the record with its totals, sites with their beds, the\n"
                       "employer's vacancies with their fill, and the open season's\n"
                       "placements counted by state.",
        .options = options,
        .min_operands = 1,
        .max_operands = 1,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error, 3 unknown employer.",
    };
    cli_operands ops;
    int rc = cli_parse(&ops, &spec, argc, argv);
    if (rc != CLI_CONTINUE)
        return rc;
    return cli_desk_run(db, json, false, false, eshow_fn, ops.items[0]);
}

int cmd_employer(int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"token", e_token, "employers' portal tokens: add, list, revoke"},
        {"list", e_list, "list employers with sites, beds, vacancies and fill"},
        {"show", e_show, "show one employer: sites, beds, vacancies, fill"},
        {NULL, NULL, NULL},
    };
    static const cli_group group = {"employer", "Employers: look-ups and portal access.",
                                    verbs};
    return cli_dispatch(&group, argc, argv);
}
