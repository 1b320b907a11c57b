/*
 * cmd_export.c - `circulab export`: the database's data and rounds written back out
 * as scenario/result JSON or CSV. Worker names (personal data) only with
 * --with-names.
 *
 * A file that holds personal data -- names (--with-names) or birth dates (the
 * scenario, a round's inputs, the workers CSV) -- is written mode 0600; results,
 * vacancies, employers and placements without names are ordinary documents (0644).
 */
#include "db.h"

#include <string.h>

int cmd_export(int argc, char **argv)
{
    const char *db = NULL, *what = "scenario", *out_path = NULL;
    long round = 0;
    bool names = false, all = false, excel = false;
    static const char *const kinds[] = {"scenario", "result", "inputs", "workers",
                                        "vacancies", "employers", "placements", NULL};
    const cli_option options[] = {
        CLI_DB_OPTION(db),
        {.long_name = "what", .type = CLI_OPT_CHOICE, .value = &what, .arg_name = "KIND",
         .choices = kinds,
         .help = "scenario (JSON), result or inputs of a round (JSON), or CSV of workers,"
                 " vacancies, employers or placements"},
        {.long_name = "round", .type = CLI_OPT_LONG, .value = &round, .arg_name = "N",
         .min = 1, .max = 1e15, .help = "the round (result, inputs, placements; default latest)"},
        {.long_name = "with-names", .type = CLI_OPT_FLAG, .value = &names,
         .help = "include worker names (personal data)"},
        {.long_name = "all", .type = CLI_OPT_FLAG, .value = &all,
         .help = "include closed and withdrawn vacancies, sessions and programmes"},
        {.long_name = "excel", .type = CLI_OPT_FLAG, .value = &excel,
         .help = "CSV for a spreadsheet in a Spanish or French locale: a UTF-8\n"
                 "byte-order mark, ';' between cells, decimal commas"},
        {.short_name = 'o', .long_name = "output", .type = CLI_OPT_STRING, .value = &out_path,
         .arg_name = "FILE", .help = "write to FILE (atomically) instead of stdout (\"-\": stdout)"},
        {0},
    };
    const cli_command spec = {
        .name = "export",
        .usage = "[--what KIND] [--round N] [-o FILE] [options]",
        .summary = "Export data and rounds as JSON or CSV.",
        .description =
            "scenario: the open records (every record with --all) as a\n"
            "circulab-scenario/1 document, workers with their history; it can be\n"
            "imported or solved again. result / inputs: a round's result document and\n"
            "the exact scenario it was solved on. workers, vacancies, employers: CSV in\n"
            "the columns `import` reads. placements: CSV of every placement (or one\n"
            "round's) with ids and states. Names are left out unless --with-names.\n"
            "With --excel a CSV opens as it should in a spreadsheet whose locale writes\n"
            "decimal commas, and imports back as the same records.",
        .options = options,
        .min_operands = 0,
        .max_operands = 0,
        .epilog = "exit codes: 0 ok, 1 database or write failure, 2 usage error, 3 no such\n"
                  "round.",
    };
    static const clb_export_kind map[] = {
        CLB_EXPORT_SCENARIO,    CLB_EXPORT_RESULT,        CLB_EXPORT_INPUTS,
        CLB_EXPORT_WORKERS_CSV, CLB_EXPORT_VACANCIES_CSV, CLB_EXPORT_EMPLOYERS_CSV,
        CLB_EXPORT_PLACEMENTS_CSV};
    cli_operands ops;
    clb_store *st = NULL;
    clb_buf out = CLB_BUF_INIT;
    clb_error err;
    size_t k = 0;
    int error, rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    while (kinds[k] && strcmp(kinds[k], what) != 0)
        k++;
    if ((rc = cli_db_open(&st, db, NULL, false)) != CLB_EXIT_OK)
        return rc;
    clb_error_init(&err);
    error = clb_store_export(&out, st, map[k], round,
                             (names ? CLB_EXPORT_NAMES : 0u) | (all ? CLB_EXPORT_ALL : 0u) |
                                 (excel ? CLB_EXPORT_EXCEL : 0u),
                             &err);
    if (error < 0)
        rc = cli_db_fail(error, &err);
    else if (out_path && strcmp(out_path, "-") != 0) { /* "-o -": standard output */
        /* birth dates: every worker record of a scenario or a workers CSV */
        bool personal = names || map[k] == CLB_EXPORT_SCENARIO ||
                        map[k] == CLB_EXPORT_INPUTS || map[k] == CLB_EXPORT_WORKERS_CSV;
        error = clb_file_save(out_path, out.ptr ? out.ptr : "", out.size,
                              personal ? CLB_FILE_PRIVATE : 0u, &err);
        rc = error < 0 ? cli_db_fail(error, &err) : CLB_EXIT_OK;
    } else if (out.size && fwrite(out.ptr, 1, out.size, stdout) != out.size) {
        /* a data file, byte for byte (CSV cells are guarded by their writer) */
        cli_error("cannot write to standard output");
        rc = CLB_EXIT_RUNTIME;
    } else
        rc = CLB_EXIT_OK;
    clb_buf_dispose(&out);
    clb_store_close(st);
    return rc;
}
