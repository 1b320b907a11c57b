/*
 * cmd_init.c - `circulab init`: create the database (or bring an existing one up to
 * the current schema), and the helpers every database command shares (db.h).
 *
 * The database file is created with mode 0600 before SQLite touches it, because it
 * holds personal data; the store then sets WAL, foreign keys and the busy timeout on
 * every connection and migrates the schema (PRAGMA user_version).
 */
#include "db.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_db_open(clb_store **out, const char *path, const char *by, bool create)
{
    clb_error err;
    int error;
    const char *who = by;

    clb_error_init(&err);
    if (!path || !*path)
        path = CLI_DB_DEFAULT;
    error = clb_store_open(out, path, create ? CLB_STORE_CREATE : 0, &err);
    if (error < 0)
        return cli_db_fail(error, &err);
    if (!who || !*who)
        who = getlogin();
    if (!who || !*who)
        who = getenv("USER");
    if (!who || !*who) {
        /* no terminal and no USER (cron, a service): the account the process runs
         * as is still the login name, better than "unknown" in the audit log */
        const struct passwd *pw = getpwuid(geteuid());
        who = pw ? pw->pw_name : NULL;
    }
    if (clb_store_set_actor(*out, who && *who ? who : "unknown") < 0) {
        clb_store_close(*out);
        *out = NULL;
        cli_error("out of memory");
        return CLB_EXIT_RUNTIME;
    }
    return CLB_EXIT_OK;
}

int cli_db_run(const char *path, const char *by, cli_db_fn fn, const void *arg,
               unsigned flags, const char *on_fail)
{
    clb_store *st = NULL;
    clb_buf out = CLB_BUF_INIT;
    clb_error err;
    int error, rc;

    if ((rc = cli_db_open(&st, path, by, false)) != CLB_EXIT_OK)
        return rc;
    clb_error_init(&err);
    error = fn(&out, st, arg, flags, &err);
    rc = error < 0 ? cli_db_fail(error, &err) : cli_db_print(&out);
    if (error < 0 && on_fail)
        cli_error("%s", on_fail);
    clb_buf_dispose(&out);
    clb_store_close(st);
    return rc;
}

int cli_db_print(const clb_buf *buf)
{
    /* text and JSON alike: the escapes are valid inside JSON strings (output.c) */
    if (buf->size && cli_write_text(stdout, buf->ptr, buf->size, true) != 0) {
        cli_error("cannot write to standard output");
        return CLB_EXIT_RUNTIME;
    }
    return CLB_EXIT_OK;
}

int cli_db_fail(int code, const clb_error *err)
{
    if (err && err->message[0])
        cli_error("%s", err->message);
    else
        cli_error("%s", clb_strerror(code));
    return cli_exit_code(code);
}

int cmd_init(int argc, char **argv)
{
    const char *db = NULL, *by = NULL;
    bool json = false;
    const cli_option options[] = {
        CLI_DB_OPTION(db),
        CLI_BY_OPTION(by),
        CLI_JSON_OPTION(json),
        {0},
    };
    const cli_command spec = {
        .name = "init",
        .usage = "[--db PATH]",
        .summary = "Create the database.",
        .description =
            "Creates the database file (mode 0600: it holds personal data) with the\n"
            "schema of docs/DATABASE.md, or migrates an existing circulab database to\n"
            "the current schema. Running it again is harmless.",
        .options = options,
        .min_operands = 0,
        .max_operands = 0,
        .epilog = "exit codes: 0 ok, 1 the file cannot be created or is not a circulab\n"
                  "database, 2 usage error.",
    };
    cli_operands ops;
    clb_store *st = NULL;
    int rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    if ((rc = cli_db_open(&st, db, by, true)) != CLB_EXIT_OK)
        return rc;
    if (json) {
        cli_json j;
        cli_json_init(&j, stdout);
        cli_json_begin_object(&j);
        cli_json_key(&j, "database");
        cli_json_string(&j, db && *db ? db : CLI_DB_DEFAULT);
        cli_json_key(&j, "schema_version");
        cli_json_integer(&j, clb_store_schema_version(st));
        cli_json_end_object(&j);
        cli_json_finish(&j);
    } else
        printf("%s: circulab database, schema version %d\n", db && *db ? db : CLI_DB_DEFAULT,
               clb_store_schema_version(st));
    clb_store_close(st);
    return CLB_EXIT_OK;
}

int cli_list_format(bool json, bool csv, unsigned *flags)
{
    if (json && csv) {
        cli_error("--json and --csv cannot be combined");
        return -1;
    }
    *flags = json ? CLB_STORE_JSON : csv ? CLB_STORE_CSV : 0;
    return 0;
}
