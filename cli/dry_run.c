/*
 * dry_run.c - `--dry-run` for the commands that change the database (import, season
 * close): the change is made inside one transaction and rolled back.
 *
 * Every store function joins a transaction its caller opened, so running the real
 * change and rolling it back gives exactly the report the change would give, from
 * the same code, with nothing written: no second "what if" path to drift from the
 * real one.
 */
#include "db.h"

#include <string.h>

int cli_db_run_dry(const char *path, const char *by, cli_db_fn fn, const void *arg,
                   unsigned flags)
{
    clb_store *st = NULL;
    clb_buf out = CLB_BUF_INIT;
    clb_error err;
    int error, rc;

    if ((rc = cli_db_open(&st, path, by, false)) != CLB_EXIT_OK)
        return rc;
    clb_error_init(&err);
    if ((error = clb_store_begin(st, &err)) == 0) {
        error = fn(&out, st, arg, flags, &err);
        clb_store_rollback(st);
    }
    rc = error < 0 ? cli_db_fail(error, &err)
                   : cli_db_print_dry_run(&out, (flags & CLB_STORE_JSON) != 0);
    clb_buf_dispose(&out);
    clb_store_close(st);
    return rc;
}

int cli_db_print_dry_run(const clb_buf *buf, bool json)
{
    const char *text = buf->ptr ? buf->ptr : "";
    const char *brace = json ? strchr(text, '{') : NULL;
    static const char mark[] = "\"dry_run\":true,";
    static const char line[] = "dry run: nothing was changed\n";
    int rc;

    if (brace && brace[1] != '}')
        rc = cli_write_text(stdout, text, (size_t)(brace - text) + 1, true) ||
             cli_write_text(stdout, mark, sizeof(mark) - 1, true) ||
             cli_write_text(stdout, brace + 1, buf->size - (size_t)(brace + 1 - text), true);
    else
        rc = cli_write_text(stdout, text, buf->size, true) ||
             (!json && cli_write_text(stdout, line, sizeof(line) - 1, true));
    if (rc) {
        cli_error("cannot write to standard output");
        return CLB_EXIT_RUNTIME;
    }
    return CLB_EXIT_OK;
}
