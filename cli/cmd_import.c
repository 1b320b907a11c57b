/*
 * cmd_import.c - `circulab import FILE...`: load scenario documents and CSV files of
 * workers, vacancies or employers into the database, all or nothing.
 *
 * Every file is checked even after one failed, so that every error is reported at
 * once (with file, line and column, or JSON path); then either everything is
 * written in one transaction or nothing is.
 */
#include "db.h"

#include <string.h>

/* The import's report: counts, history changes and notes, as text or JSON. */
static void print_report(const clb_import_stats *s, int files, bool json, bool dry)
{
    if (json) {
        cli_json j;
        cli_json_init(&j, stdout);
        cli_json_begin_object(&j);
        if (dry) {
            cli_json_key(&j, "dry_run");
            cli_json_bool(&j, true);
        }
        cli_json_key(&j, "files");
        cli_json_integer(&j, files);
        cli_json_key(&j, "workers");
        cli_json_integer(&j, (long long)s->workers);
        cli_json_key(&j, "workers_added");
        cli_json_integer(&j, (long long)s->workers_added);
        cli_json_key(&j, "workers_updated");
        cli_json_integer(&j, (long long)s->workers_updated);
        cli_json_key(&j, "workers_unchanged");
        cli_json_integer(&j, (long long)s->workers_unchanged);
        cli_json_key(&j, "history_set");
        cli_json_integer(&j, (long long)s->history_set);
        cli_json_key(&j, "history_kept");
        cli_json_integer(&j, (long long)s->history_kept);
        cli_json_key(&j, "pins_ignored");
        cli_json_integer(&j, (long long)s->pins_ignored);
        cli_json_key(&j, "previous_ignored");
        cli_json_integer(&j, (long long)s->previous_ignored);
        cli_json_key(&j, "employers");
        cli_json_integer(&j, (long long)s->employers);
        cli_json_key(&j, "vacancies");
        cli_json_integer(&j, (long long)s->vacancies);
        cli_json_key(&j, "quotas");
        cli_json_integer(&j, (long long)s->quotas);
        cli_json_key(&j, "sessions");
        cli_json_integer(&j, (long long)s->sessions);
        cli_json_key(&j, "programmes");
        cli_json_integer(&j, (long long)s->programmes);
        cli_json_key(&j, "pairs");
        cli_json_integer(&j, (long long)s->pairs);
        cli_json_key(&j, "policy");
        cli_json_bool(&j, s->policy);
        cli_json_end_object(&j);
        cli_json_finish(&j);
    } else {
        char unchanged[48] = "";
        if (s->workers_unchanged)
            snprintf(unchanged, sizeof(unchanged), ", %zu unchanged", s->workers_unchanged);
        printf("%s %d file%s: %zu workers (%zu added, %zu updated%s), %zu employers, "
               "%zu vacancies, %zu quotas, %zu sessions, %zu programmes, %zu "
               "scores/pins/bans%s\n",
               dry ? "would import" : "imported", files, files == 1 ? "" : "s",
               s->workers, s->workers_added,
               s->workers_updated, unchanged, s->employers, s->vacancies, s->quotas,
               s->sessions, s->programmes, s->pairs,
               s->policy ? "; policy replaced" : "");
        if (s->workers)
            printf("history changed for %zu worker%s, kept for %zu%s\n", s->history_set,
                   s->history_set == 1 ? "" : "s", s->history_kept,
                   s->history_kept ? " (older in the file than in the database; "
                                        "--history-from-file applies it)"
                                      : "");
        if (s->pins_ignored)
            printf("note: %zu pin%s of the files not stored: the database has rounds "
                   "('circulab pin add' adds one)\n",
                   s->pins_ignored, s->pins_ignored == 1 ? "" : "s");
        if (s->previous_ignored)
            printf("note: %zu previous entr%s of the files ignored: the database's "
                   "lifecycle is the previous plan\n",
                   s->previous_ignored, s->previous_ignored == 1 ? "y" : "ies");
        if (dry)
            printf("dry run: nothing was changed\n");
}
}

int cmd_import(int argc, char **argv)
{
    const char *db = NULL, *by = NULL, *delimiter = NULL, *date_format = NULL;
    bool json = false, policy = false, history = false, dry = false;
    long max_bytes = 0;
    const cli_option options[] = {
        CLI_DB_OPTION(db),
        CLI_BY_OPTION(by),
        CLI_JSON_OPTION(json),
        {.long_name = "replace-policy", .type = CLI_OPT_FLAG, .value = &policy,
         .help = "store the document's policy even when it equals the defaults"},
        {.long_name = "history-from-file", .type = CLI_OPT_FLAG, .value = &history,
         .help = "apply the files' worker histories even where they are older than the\n"
                 "database's (each change is audited)"},
        CLI_MAX_BYTES_OPTION(max_bytes),
        CLI_CSV_FORMAT_OPTIONS(delimiter, date_format),
        CLI_DRY_RUN_OPTION(dry),
        {0},
    };
    const cli_command spec = {
        .name = "import",
        .usage = "FILE... [options]",
        .summary = "Load scenario documents and CSV files into the database.",
        .description =
            "Each FILE is a circulab-scenario/1 document or a CSV file of workers,\n"
            "vacancies or employers (the header tells which; docs/DATABASE.md lists the\n"
            "columns). A CSV file may come from a spreadsheet: ',' ';' or tab between\n"
            "cells, a decimal comma with ';', yes/no/si/oui, Windows-1252 text, dates\n"
            "as --date-format says (docs/AGENCY.md). Records are upserted by id. A document may refer to employers\n"
            "already in the database. A document's policy replaces the stored one\n"
            "unless it is the default policy. Its `previous` section is ignored: the\n"
            "database's own lifecycle is the previous plan. Its pins are stored only\n"
            "while the database has no rounds (then use `circulab pin`).\n"
            "\n"
            "History never moves backwards: a worker whose history in the file is older\n"
            "than the database's (fewer campaigns, an earlier last return, a shorter or\n"
            "no ban) keeps the database's whole history, unless --history-from-file.\n"
            "The same worker or vacancy in two files is an error. After the files are\n"
            "written the database must still make a valid round (a pin the change makes\n"
            "ineligible is named). All files are written in one transaction, or none\n"
            "when any has an error. --dry-run reports what the import would do (the\n"
            "same checks, counts and history changes) and writes nothing.",
        .options = options,
        .min_operands = 1,
        .max_operands = -1,
        .epilog = "exit codes: 0 imported, 1 unreadable file or database failure, 2 usage\n"
                  "error, 3 invalid records (nothing was written).",
    };
    cli_operands ops;
    clb_store *st = NULL;
    clb_import_stats stats;
    clb_buf problems = CLB_BUF_INIT;
    clb_error err;
    int error, rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    if ((rc = cli_db_open(&st, db, by, false)) != CLB_EXIT_OK)
        return rc;
    clb_error_init(&err);
    clb_store_set_input_limit(st, max_bytes > 0 ? (size_t)max_bytes : 0);
    if ((rc = cli_csv_format(st, "import", delimiter, date_format)) != CLB_EXIT_OK) {
        clb_store_close(st);
        return rc;
    }
    /* a dry run imports inside a transaction of its own, then rolls it back */
    error = dry ? clb_store_begin(st, &err) : 0;
    if (error == 0)
        error = clb_store_import(st, &stats, (const char *const *)ops.items,
                                 (size_t)ops.count,
                                 (policy ? CLB_IMPORT_POLICY : 0) |
                                     (history ? CLB_IMPORT_HISTORY : 0),
                                 &problems, &err);
    if (dry)
        clb_store_rollback(st);
    if (error < 0) {
        if (problems.size) {
            /* one "circulab: error: FILE:LINE:COL: message" per problem */
            char *line = problems.ptr;
            while (line && *line) {
                char *nl = strchr(line, '\n');
                if (nl)
                    *nl = 0;
                cli_error("%s", line);
                line = nl ? nl + 1 : NULL;
            }
            cli_error("nothing was imported");
            rc = cli_exit_code(error);
        } else
            rc = cli_db_fail(error, &err);
        goto done;
    }
    print_report(&stats, ops.count, json, dry);
    rc = CLB_EXIT_OK;
done:
    clb_buf_dispose(&problems);
    clb_store_close(st);
    return rc;
}
