/*
 * main.c - the circulab program: find the command named by argv[1] and run it.
 *
 * The command table is generated from commands.def, so adding a command never touches
 * this file. main() owns the process-wide concerns: the top-level help and version,
 * usage errors for unknown commands, and turning a failed write to stdout (a full
 * disk, a closed pipe) into exit code 1 instead of a silent success.
 */
#include "cli.h"

#include <errno.h>
#include <string.h>

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
#define CLB_COMMAND(name, function, summary) {#name, function, summary},
#include "commands.def"
#undef CLB_COMMAND
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < COMMAND_COUNT; i++) {
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    }
    return NULL;
}

static void print_usage_line(FILE *f)
{
    fputs("usage: circulab [--version] [--help] <command> [options]\n", f);
}

static void print_help(FILE *f)
{
    int width = 0;

    print_usage_line(f);
    fputs("\ncirculab matches workers of circular labour mobility programmes to\n"
          "vacancies, training sessions and reintegration programmes, under the\n"
          "programme's quotas and rules.\n",
          f);
    fputs("\ncommands:\n", f);
    for (size_t i = 0; i < COMMAND_COUNT; i++) {
        if ((int)strlen(commands[i].name) > width)
            width = (int)strlen(commands[i].name);
    }
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        fprintf(f, "  %-*s  %s\n", width, commands[i].name, commands[i].summary);
    fputs(
        "\nRun 'circulab COMMAND --help' (or 'circulab help COMMAND') for the\n"
        "options of one command.\n"
        "\nexit codes: 0 ok, 1 runtime failure (i/o, database, network), 2 usage error,\n"
        "3 invalid input, 4 infeasible model, 5 internal error.\n",
        f);
}

static int unknown_command(const char *name)
{
    cli_error("unknown command '%s'", name);
    print_usage_line(stderr);
    fputs("Run 'circulab --help' for the list of commands.\n", stderr);
    return CLB_EXIT_USAGE;
}

static int run(int argc, char **argv)
{
    const command *cmd;

    if (argc < 2) {
        cli_error("missing command");
        print_usage_line(stderr);
        fputs("Run 'circulab --help' for the list of commands.\n", stderr);
        return CLB_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        (strcmp(argv[1], "help") == 0 && argc == 2)) {
        print_help(stdout);
        return CLB_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("circulab %s\n", clb_version());
        return CLB_EXIT_OK;
    }
    if (strcmp(argv[1], "help") == 0) {
        /* "circulab help solve [verb]" is "circulab solve [verb] --help". */
        char help_flag[] = "--help";
        char *args[4];
        int n = 0;

        if (argc > 4) {
            cli_error("help: unexpected operand '%s'", argv[4]);
            print_usage_line(stderr);
            return CLB_EXIT_USAGE;
        }
        if (strcmp(argv[2], "help") == 0 || strcmp(argv[2], "--help") == 0 ||
            strcmp(argv[2], "-h") == 0) {
            print_help(stdout);
            return CLB_EXIT_OK;
        }
        if (!(cmd = find_command(argv[2])))
            return unknown_command(argv[2]);
        args[n++] = argv[2];
        if (argc == 4)
            args[n++] = argv[3];
        args[n++] = help_flag;
        args[n] = NULL;
        return cmd->run(n, args);
    }
    if (argv[1][0] == '-') {
        cli_error("unknown option '%s'", argv[1]);
        print_usage_line(stderr);
        fputs("Run 'circulab --help' for the list of commands.\n", stderr);
        return CLB_EXIT_USAGE;
    }
    if (!(cmd = find_command(argv[1])))
        return unknown_command(argv[1]);
    return cmd->run(argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
    clb_error err;
    int rc;

    /* First of all: SQLite's and Jansson's allocators are process-wide (global.h). */
    clb_error_init(&err);
    if (clb_global_init(NULL, &err) < 0) {
        cli_error("%s", err.message);
        return CLB_EXIT_INTERNAL;
    }
    rc = run(argc, argv);

    /* A result that never reached its reader is a failure, not a success. */
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (rc == CLB_EXIT_OK) {
            cli_error("cannot write to standard output: %s",
                      errno ? strerror(errno) : "write error");
            rc = CLB_EXIT_RUNTIME;
        }
    }
    return rc;
}
