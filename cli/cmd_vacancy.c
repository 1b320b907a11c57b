/*
 * cmd_vacancy.c - `circulab vacancy submit FILE...`: vacancies of employers without
 * a portal, in the native format (docs/FORMATS.md §2.4 and §5); `vacancy list | show`:
 * the desk's look-ups (rendered by the engine, include/circulab/desk.h).
 *
 * Each file is validated whole and stored all or nothing: one invalid record stores
 * nothing of its file, and every error is listed with the file and JSON path.
 */
#include "db.h"
#include "desk.h"
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
            "vacancy object, or an array of vacancy objects (see docs/FORMATS.md\n"
            "section 2.4). A vacancy may refer to an employer of the same file or of\n"
            "the database. Vacancies are upserted by id; `status: \"withdrawn\"`\n"
            "withdraws one. A file with any invalid record stores nothing; every error\n"
            "is listed as FILE: PATH: MESSAGE.",
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

typedef struct vlist_arg {
    const char *employer, *status;
} vlist_arg;

static int vlist_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                    clb_error *err)
{
    const vlist_arg *a = arg;
    clb_desk_view v = {0};
    int error = clb_desk_vacancy_list(&v, st, a->employer, a->status, err);
    return cli_desk_render(out, &v, error, flags, err);
}

static int vshow_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                    clb_error *err)
{
    clb_desk_view v = {0};
    int error = clb_desk_vacancy_show(&v, st, arg, err);
    return cli_desk_render(out, &v, error, flags, err);
}

static int v_list(int argc, char **argv)
{
    const char *db = NULL;
    bool json = false, csv = false;
    vlist_arg a = {NULL, NULL};
    static const char *const statuses[] = {"open", "withdrawn", "closed", NULL};
    const cli_option options[] = {
        CLI_DB_OPTION(db),
        CLI_JSON_OPTION(json),
        CLI_CSV_OUT_OPTION(csv),
        {.long_name = "employer", .type = CLI_OPT_STRING, .value = &a.employer,
         .arg_name = "E", .help = "only vacancies of employer E"},
        {.long_name = "status", .type = CLI_OPT_CHOICE, .value = &a.status,
         .arg_name = "S", .choices = statuses, .help = "only vacancies in status S"},
        {0},
    };
    const cli_command spec = {
        .name = "vacancy list",
        .usage = "[--employer E] [--status open|withdrawn|closed] [options]",
        .summary = "List vacancies with their fill in the open season.",
        .description =
            "One line per vacancy: id, employer, site, dates, headcount, status, filled\n"
            "(confirmed, departed, returned or not returned in the open season),\n"
            "proposed (still proposed) and the offer source.",
        .options = options,
        .min_operands = 0,
        .max_operands = 0,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error.",
    };
    cli_operands ops;
    int rc = cli_parse(&ops, &spec, argc, argv);
    if (rc != CLI_CONTINUE)
        return rc;
    return cli_desk_run(db, json, csv, false, vlist_fn, &a);
}

static int v_show(int argc, char **argv)
{
    const char *db = NULL;
    bool json = false;
    const cli_option options[] = {CLI_DB_OPTION(db), CLI_JSON_OPTION(json), {0}};
    const cli_command spec = {
        .name = "vacancy show",
        .usage = "ID [options]",
        .summary = "Show one vacancy: record, fill by state, placements, reserve list.",
        .description =
            "Sections: the record with its fill, the open season's placements counted\n"
            "by state, every placement of the vacancy across rounds (id, round, worker,\n"
            "state) and the reserve list of the latest round that had the vacancy.",
        .options = options,
        .min_operands = 1,
        .max_operands = 1,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error, 3 unknown vacancy.",
    };
    cli_operands ops;
    int rc = cli_parse(&ops, &spec, argc, argv);
    if (rc != CLI_CONTINUE)
        return rc;
    return cli_desk_run(db, json, false, false, vshow_fn, ops.items[0]);
}

int cmd_vacancy(int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"submit", v_submit, "store vacancies submitted as files"},
        {"list", v_list, "list vacancies with their fill"},
        {"show", v_show, "show one vacancy: fill by state, placements, reserve"},
        {NULL, NULL, NULL},
    };
    static const cli_group group = {
        "vacancy", "Vacancies employers submit (see docs/OFFERS.md), and look-ups.",
        verbs};
    return cli_dispatch(&group, argc, argv);
}
