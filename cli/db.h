/*
 * db.h - what the database commands of circulab share: opening the database named
 * by --db (or CIRCULAB_DB, or ./circulab.db) with the acting user for the audit log,
 * running a command's work on it and printing what it rendered. Implemented in
 * cmd_init.c.
 */
#ifndef CLB_CLI_DB_H
#define CLB_CLI_DB_H

#include "cli.h"
#include "circulab/store.h"
#include "circulab/explain.h"

/* The default database file. */
#define CLI_DB_DEFAULT "circulab.db"

/* The option entries every database command has: --db PATH (env CIRCULAB_DB). */
#define CLI_DB_OPTION(var)                                                            \
    {.long_name = "db", .type = CLI_OPT_STRING, .value = &(var), .arg_name = "PATH",   \
     .help = "the database file (default circulab.db)", .env = "CIRCULAB_DB"}
#define CLI_BY_OPTION(var)                                                            \
    {.long_name = "by", .type = CLI_OPT_STRING, .value = &(var), .arg_name = "WHO",    \
     .help = "who is acting, for the audit log (default: the login name)"}
#define CLI_JSON_OPTION(var)                                                          \
    {.long_name = "json", .type = CLI_OPT_FLAG, .value = &(var),                      \
     .help = "print one JSON document"}

/*
 * Open the database `path` (create it with `create`), acting as `by` (NULL: the
 * login name from getlogin() or $USER). Errors are printed. Returns CLB_EXIT_OK with
 * *out set, or the exit code to return.
 */
int cli_db_open(clb_store **out, const char *path, const char *by, bool create);

/* A database command's work: render into out what to print (flags: CLB_STORE_JSON
   and the like), from `arg`, the command's own arguments. */
typedef int (*cli_db_fn)(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                         clb_error *err);

/*
 * The steps every database command shares once its options are parsed: open the
 * database `path` acting as `by` (NULL: the login name), run fn, print what it
 * rendered or report its error (then `on_fail`, when not NULL, as a second error
 * line), and close. Returns the exit code.
 */
int cli_db_run(const char *path, const char *by, cli_db_fn fn, const void *arg,
               unsigned flags, const char *on_fail);

/* `--csv`: a list as CSV (spreadsheet-safe cells) instead of text. */
#define CLI_CSV_OUT_OPTION(var)                                                       \
    {.long_name = "csv", .type = CLI_OPT_FLAG, .value = &(var),                       \
     .help = "print CSV (spreadsheet-safe cells) instead of text"}

/* --json or --csv (not both: a usage error, said here) as the store's flags; -1
 * when both were given. */
int cli_list_format(bool json, bool csv, unsigned *flags);

/* `--dry-run`: what a change would do, with nothing changed. */
#define CLI_DRY_RUN_OPTION(var)                                                        \
    {.long_name = "dry-run", .type = CLI_OPT_FLAG, .value = &(var),                      \
     .help = "say what would change, and change nothing"}

/*
 * As cli_db_run, with fn run inside a transaction that is always rolled back: its
 * report says what the change would do, and the database stays as it was. The
 * store's functions join an open transaction, so fn itself needs no dry-run mode.
 * The report is printed with cli_db_print_dry_run. Implemented in dry_run.c.
 */
int cli_db_run_dry(const char *path, const char *by, cli_db_fn fn, const void *arg,
                   unsigned flags);

/* Print a dry run's report as cli_db_print does, marked: a JSON object gets
 * "dry_run": true as its first member, a text report a last line saying nothing
 * was changed. Returns an exit code. */
int cli_db_print_dry_run(const clb_buf *buf, bool json);

/* Print a rendered buffer to stdout. Returns an exit code. */
int cli_db_print(const clb_buf *buf);

/* Report a failed store call (the message and, when present, problem lines). */
int cli_db_fail(int code, const clb_error *err);

/* `--delimiter C` and `--date-format F`: how the CSV files a command reads are written
 * (a spreadsheet's ';' and DD/MM/YYYY, say). */
#define CLI_CSV_FORMAT_OPTIONS(delimiter, date_format)                                 \
    {.long_name = "delimiter", .type = CLI_OPT_STRING, .value = &(delimiter),           \
     .arg_name = "C",                                                                   \
     .help = "CSV delimiter: ',' ';' or 'tab' (default: read off the header line)"},    \
    {.long_name = "date-format", .type = CLI_OPT_STRING, .value = &(date_format),       \
     .arg_name = "F",                                                                   \
     .help = "how CSV dates are written: YYYY-MM-DD (default), DD/MM/YYYY or\n"         \
             "MM/DD/YYYY; never guessed"}

/* Apply --delimiter and --date-format (either may be NULL) to the store. Returns
 * CLB_EXIT_OK or CLB_EXIT_USAGE (after printing why). Implemented in csv_format.c. */
int cli_csv_format(clb_store *st, const char *command, const char *delimiter,
                   const char *date_format);

/*
 * The whole loop of docs/DATABASE.md §6 in a fresh temporary database: import the
 * scenario, run a round, confirm, depart, return (and record no-return for some),
 * close the season, offer it again a year later and run the next round; prints what
 * happened. Implemented in demo_db.c. Returns an exit code.
 */
int demo_database_loop(const char *scenario_path, bool quiet);

#endif
