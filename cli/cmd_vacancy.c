/*
 * cmd_vacancy.c - `circulab vacancy submit FILE...`: vacancies of employers without
 * a portal, in the native format (SPEC sections 2.4 and 5).
 *
 * Each file is validated whole and stored all or nothing: one invalid record stores
 * nothing of its file, and every error is listed with the file and JSON path.
 */
#include "db.h"
#include "circulab/offers.h"

#include <string.h>

static int v_submit(int argc, char **argv)
{
    const char *db = NULL, *by = NULL;
    bool json = false;
    const cli_option options[] = {CLI_DB_OPTION(db), CLI_BY_OPTION(by),
                                  CLI_JSON_OPTION(json), {0}};
    const cli_command spec = {
        .name = "vacancy submit",
        .usage = "FILE... [options]",
        .summary = "Store vacancies submitted as files.",
        .description =
            "Each FILE holds a circulab-offers/1 document (employers and vacancies), one\n"
            "vacancy object, or an array of vacancy objects (SPEC section 2.4). A\n"
            "vacancy may refer to an employer of the same file or of the database.\n"
            "Vacancies are upserted by id; `status: \"withdrawn\"` withdraws one. A file\n"
            "with any invalid record stores nothing; every error is listed as\n"
            "FILE: PATH: MESSAGE.",
        .options = options,
        .min_operands = 1,
        .max_operands = -1,
        .epilog = "exit codes: 0 ok, 1 unreadable file or database failure, 2 usage\n"
                  "error, 3 invalid vacancies.",
    };
    cli_operands ops;
    clb_store *st = NULL;
    cli_json j;
    int rc = cli_parse(&ops, &spec, argc, argv), first_fail = CLB_EXIT_OK;

    if (rc != CLI_CONTINUE)
        return rc;
    if ((rc = cli_db_open(&st, db, by, false)) != CLB_EXIT_OK)
        return rc;
    if (json) {
        cli_json_init(&j, stdout);
        cli_json_begin_array(&j);
    }
    for (int i = 0; i < ops.count; i++) {
        clb_offers_report r;
        clb_buf problems = CLB_BUF_INIT;
        clb_error err;
        int error;
        clb_error_init(&err);
        error = clb_offers_submit_file(&r, st, ops.items[i], &problems, &err);
        if (problems.ptr) {
            const char *p = problems.ptr;
            while (*p) {
                const char *e = strchr(p, '\n');
                int n = e ? (int)(e - p) : (int)strlen(p);
                cli_error("%.*s", n, p);
                p = e ? e + 1 : p + n;
            }
        }
        clb_buf_dispose(&problems);
        if (error < 0) {
            int code = cli_db_fail(error, &err);
            if (first_fail == CLB_EXIT_OK)
                first_fail = code;
            continue;
        }
        if (json) {
            cli_json_begin_object(&j);
            cli_json_key(&j, "file");
            cli_json_string(&j, ops.items[i]);
            cli_json_key(&j, "added");
            cli_json_integer(&j, r.added);
            cli_json_key(&j, "updated");
            cli_json_integer(&j, r.updated);
            cli_json_key(&j, "withdrawn");
            cli_json_integer(&j, r.withdrawn);
            cli_json_key(&j, "employers");
            cli_json_integer(&j, r.employers);
            cli_json_end_object(&j);
        } else {
            printf("%s: %d added, %d updated, %d withdrawn, %d employer%s\n",
                   ops.items[i], r.added, r.updated, r.withdrawn, r.employers,
                   r.employers == 1 ? "" : "s");
        }
    }
    if (json) {
        cli_json_end_array(&j);
        cli_json_finish(&j);
    }
    clb_store_close(st);
    return first_fail;
}

int cmd_vacancy(int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"submit", v_submit, "store vacancies submitted as files"},
        {NULL, NULL, NULL},
    };
    static const cli_group group = {"vacancy", "Vacancies employers submit (SPEC 5).",
                                    verbs};
    return cli_dispatch(&group, argc, argv);
}
