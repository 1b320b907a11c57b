/*
 * cli.h - what every part of the circulab program shares: the command prototypes,
 * exit codes, error reporting, option parsing and output helpers.
 *
 * How to add a command (the convention of cli/):
 *
 *  1. Append `CLB_COMMAND(name, cmd_name, "summary")` to cli/commands.def. The summary
 *     is one lower-case line without a period; `circulab --help` lists commands in
 *     the order of that file, and the CLI tests run `--help` on each of them.
 *  2. Write cli/cmd_<name>.c with `int cmd_<name>(int argc, char **argv)`. argv[0] is
 *     the command's name, the options and operands follow. Its prototype comes from
 *     commands.def (below); do not declare it again.
 *  3. Describe the command in a static `cli_command` (usage, summary, description, an
 *     option table) and start with
 *         int rc = cli_parse(&ops, &spec, argc, argv);
 *         if (rc != CLI_CONTINUE)
 *             return rc;
 *     which handles --help (stdout, exit 0) and usage errors (stderr, exit 2).
 *  4. A command with sub-verbs ("round run", "source add") keeps a static cli_verb
 *     table and a cli_group in its own file and returns cli_dispatch(&group, argc,
 *     argv); each verb is a static function with its own cli_command named
 *     "round run" and so on.
 *  5. Use only the public API (include/circulab.h). Results go to stdout (one JSON
 *     document with --json, see cli_json), diagnostics to stderr through cli_error()
 *     and cli_error_report(), which print "circulab: error: ...". Long work shows
 *     progress through cli_progress only when stderr is a terminal and not --quiet.
 *  6. Return a CLB_EXIT_* code (docs/CLI.md §7); cli_exit_code() maps a library
 *     CLB_E* code to one. Never call exit() from a command: main() flushes stdout and
 *     turns a failed write into CLB_EXIT_RUNTIME.
 *  7. Add end-to-end cases to tests/cli/ (see tests/cli/test_cli.py).
 */
#ifndef CLB_CLI_H
#define CLB_CLI_H

#include "circulab.h"

/* Exit codes of the program (docs/CLI.md §7). */
enum {
    CLB_EXIT_OK = 0,         /* success */
    CLB_EXIT_RUNTIME = 1,    /* I/O, database or network failure, out of memory */
    CLB_EXIT_USAGE = 2,      /* bad command line */
    CLB_EXIT_INVALID = 3,    /* invalid input document or data */
    CLB_EXIT_INFEASIBLE = 4, /* the model has no feasible plan */
    CLB_EXIT_INTERNAL = 5    /* a bug, or the solver failed */
};

/* The commands' entry points, one per line of commands.def. */
#define CLB_COMMAND(name, function, summary) int function(int argc, char **argv);
#include "commands.def"
#undef CLB_COMMAND

#include "options.h"
#include "output.h"

/*
 * Load and validate a scenario file for a command ("-" reads standard input).
 * Every diagnostic is printed to stderr as "FILE: PATH: MESSAGE".
 * Returns CLB_EXIT_OK with *out set (release with clb_scenario_free), or the exit
 * code to return: CLB_EXIT_INVALID, CLB_EXIT_RUNTIME (unreadable file) ...
 * Implemented in cmd_validate.c.
 */
int cli_scenario_load(clb_scenario **out, const char *file);

/* As cli_scenario_load, refusing (exit 3) a file or standard input larger than
 * `max_bytes` (0: CLB_INPUT_MAX_BYTES_DEFAULT). */
int cli_scenario_load_max(clb_scenario **out, const char *file, long max_bytes);

/* `--max-bytes N`, the input limit of the commands that read documents. */
#define CLI_MAX_BYTES_OPTION(var)                                                     \
    {.long_name = "max-bytes", .type = CLI_OPT_LONG, .value = &(var), .arg_name = "N",   \
     .min = 1, .max = 1e15,                                                           \
     .help = "refuse input files larger than N bytes (default 268435456: 256 MiB)"}

/* Print the scenario's record counts ("3 workers, 1 employer, ...") to `f`. */
void cli_scenario_counts_print(FILE *f, const clb_scenario *scenario);

#endif
