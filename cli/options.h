/*
 * options.h - table-driven option parsing for circulab's commands.
 *
 * A command describes itself once, in a cli_command: its usage line, a description and
 * a table of cli_option. The same table drives parsing (cli_parse) and the text of
 * `--help` (cli_help_print), so the two never drift apart. Every command accepts
 * -h/--help without listing it.
 *
 * Accepted syntax: `--name value`, `--name=value`, `-x value`, `-xvalue`, grouped short
 * flags `-qj`, and `--` to end the options. Options and operands may be mixed in any
 * order. A lone `-` is an operand (by convention standard input or output).
 */
#ifndef CLB_CLI_OPTIONS_H
#define CLB_CLI_OPTIONS_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* What an option's `value` points to, and how its argument is read. */
typedef enum {
    CLI_OPT_END = 0, /* terminates an option table: {0} */
    CLI_OPT_FLAG,    /* bool *: set to true; takes no argument */
    CLI_OPT_STRING,  /* const char **: the argument (borrowed from argv) */
    CLI_OPT_DOUBLE,  /* double *: a finite number within [min, max] */
    CLI_OPT_LONG,    /* long *: a decimal integer within [min, max] */
    CLI_OPT_CHOICE,  /* const char **: one of `choices` (borrowed from the table) */
    CLI_OPT_LIST     /* cli_strlist *: every occurrence is appended */
} cli_opt_type;

/* The values of a repeatable option. Release with cli_strlist_dispose. */
typedef struct cli_strlist {
    const char **items; /* borrowed from argv */
    size_t count;
} cli_strlist;

void cli_strlist_dispose(cli_strlist *list);

/*
 * One option. `value` points at the caller's variable, which keeps its initial value
 * when the option is absent (that initial value is the default). When `env` names an
 * environment variable and the option is absent, a non-empty value of that variable is
 * parsed as if it had been given (it is shown in --help). For CLI_OPT_DOUBLE and
 * CLI_OPT_LONG, `min` and `max` bound the value; both 0 means unbounded.
 */
typedef struct cli_option {
    char short_name;       /* 0 for none */
    const char *long_name; /* without the dashes; NULL ends the table */
    cli_opt_type type;
    void *value;
    const char *arg_name; /* "FILE", "S"; NULL for flags */
    const char *help;     /* one line, lower case */
    double min, max;
    const char *const *choices; /* NULL-terminated, for CLI_OPT_CHOICE */
    const char *env;            /* optional environment variable */
} cli_option;

/*
 * A command (or a sub-verb such as "round run") as parsing and --help see it.
 * `name` is the words after "circulab" ("solve", "round run"). `usage` is what follows
 * the name on the usage line ("FILE [options]"). `description` and `epilog` are free
 * text, printed before and after the options (either may be NULL). Operands are
 * counted: fewer than `min_operands` or more than `max_operands` (-1: no limit) is a
 * usage error.
 */
typedef struct cli_command {
    const char *name;
    const char *usage;
    const char *summary;
    const char *description;
    const cli_option *options;
    int min_operands;
    int max_operands;
    const char *epilog;
} cli_command;

/*
 * The limits of the commands that solve (solve, round run, demo, report, scenario
 * compare, simulate): --time-limit S, seconds (0: none), and --gap G, a relative gap
 * from 0 (proven optimal) to 1. `help` is each command's own line.
 */
#define CLI_TIME_LIMIT_OPTION(var, help_text)                                         \
    {.long_name = "time-limit", .type = CLI_OPT_DOUBLE, .value = &(var), .arg_name = "S", \
     .min = 0, .max = HUGE_VAL, .help = (help_text)}
#define CLI_GAP_OPTION(var, help_text)                                                \
    {.long_name = "gap", .type = CLI_OPT_DOUBLE, .value = &(var), .arg_name = "G",    \
     .min = 0, .max = 1, .help = (help_text)}

/* The operands left after parsing (borrowed from argv). */
typedef struct cli_operands {
    int count;
    char **items;
} cli_operands;

/* Returned by cli_parse when the command should go on and do its work. */
#define CLI_CONTINUE (-1)

/*
 * Parse argv[1..argc) (argv[0] is the command or verb name) against cmd's options.
 *
 * Operands are moved to the front of argv[1..] and returned in `out`.
 * Returns CLI_CONTINUE when the command should run; otherwise the exit code the
 * command must return at once: CLB_EXIT_OK after printing --help to stdout, or
 * CLB_EXIT_USAGE after printing the error and a hint to stderr.
 */
int cli_parse(cli_operands *out, const cli_command *cmd, int argc, char **argv);

/* Print cmd's help (usage, description, options, epilog) to `f`. */
void cli_help_print(FILE *f, const cli_command *cmd);

/*
 * Commands with sub-verbs ("round run", "source add") dispatch through a group:
 * `circulab round --help` lists the verbs, `circulab round` alone or an unknown verb is
 * a usage error, and `circulab round run ...` calls the verb's function with
 * argv[0] = "run".
 */
typedef struct cli_verb {
    const char *name; /* NULL ends the table */
    int (*run)(int argc, char **argv);
    const char *summary;
} cli_verb;

typedef struct cli_group {
    const char *name;        /* "round" */
    const char *description; /* may be NULL */
    const cli_verb *verbs;
} cli_group;

/* Dispatch argv (argv[0] = the group's name) to a verb. Returns an exit code. */
int cli_dispatch(const cli_group *group, int argc, char **argv);

/* Print the group's help (its verbs) to `f`. */
void cli_group_help_print(FILE *f, const cli_group *group);

#endif
