/*
 * options.c - parse a command's options from its table, and print its --help.
 *
 * One table per command drives both parsing and help text, so the documented
 * options are exactly the accepted ones. Parsing is strict: unknown options, missing
 * or extra values and out-of-range numbers are usage errors (exit 2) that name the
 * option, because a silently ignored typo such as `--time-limt 60` would let a solve
 * run for hours. Long options must be spelled out in full (no prefixes), so adding an
 * option later can never change the meaning of an existing command line.
 */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void cli_strlist_dispose(cli_strlist *list)
{
    if (!list)
        return;
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

/* Print "circulab: error: NAME: MESSAGE" and the usage line; return CLB_EXIT_USAGE. */
static int usage_error(const cli_command *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);

static int usage_error(const cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    cli_printf_text(stderr, "circulab: error: %s: ", cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: circulab %s %s\n", cmd->name, cmd->usage ? cmd->usage : "");
    fprintf(stderr, "Run 'circulab %s --help' for the options.\n", cmd->name);
    return CLB_EXIT_USAGE;
}

static size_t option_count(const cli_option *options)
{
    size_t n = 0;
    while (options && options[n].long_name)
        n++;
    return n;
}

/* The value as given, for messages: "--gap" or "-o". */
static void option_label(char *out, size_t size, const cli_option *opt, bool as_short)
{
    if (as_short && opt->short_name)
        snprintf(out, size, "-%c", opt->short_name);
    else
        snprintf(out, size, "--%s", opt->long_name);
}

static int parse_number(double *out, const cli_command *cmd, const char *label,
                        const cli_option *opt, const char *text)
{
    char *end = NULL;
    double x;

    errno = 0;
    if (opt->type == CLI_OPT_LONG) {
        long v = strtol(text, &end, 10);
        x = (double)v;
    } else {
        x = strtod(text, &end);
    }
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(x))
        return usage_error(cmd, "option '%s': '%s' is not a%s number", label, text,
                           opt->type == CLI_OPT_LONG ? "n integer" : "");
    if (opt->min != 0.0 || opt->max != 0.0) {
        if (x < opt->min && opt->max >= HUGE_VAL)
            return usage_error(cmd, "option '%s': %s is below %g", label, text, opt->min);
        if (x < opt->min || x > opt->max)
            return usage_error(cmd, "option '%s': %s is outside %g..%g", label, text,
                               opt->min, opt->max);
    }
    *out = x;
    return CLI_CONTINUE;
}

/* Store `text` (NULL for a flag) into the option's variable. */
static int apply(const cli_command *cmd, const cli_option *opt, bool as_short,
                 const char *text, bool from_env)
{
    char label[80];
    double x = 0.0;
    int rc;

    option_label(label, sizeof(label), opt, as_short);
    if (from_env)
        snprintf(label, sizeof(label), "--%s (from %s)", opt->long_name, opt->env);

    switch (opt->type) {
    case CLI_OPT_FLAG:
        if (text == NULL || strcmp(text, "1") == 0 || strcmp(text, "true") == 0 ||
            strcmp(text, "yes") == 0) {
            *(bool *)opt->value = true;
        } else if (strcmp(text, "0") == 0 || strcmp(text, "false") == 0 ||
                   strcmp(text, "no") == 0) {
            *(bool *)opt->value = false;
        } else {
            return usage_error(cmd, "option '%s': '%s' is not true or false", label,
                               text);
        }
        return CLI_CONTINUE;
    case CLI_OPT_STRING:
        *(const char **)opt->value = text;
        return CLI_CONTINUE;
    case CLI_OPT_DOUBLE:
        if ((rc = parse_number(&x, cmd, label, opt, text)) != CLI_CONTINUE)
            return rc;
        *(double *)opt->value = x;
        return CLI_CONTINUE;
    case CLI_OPT_LONG:
        if ((rc = parse_number(&x, cmd, label, opt, text)) != CLI_CONTINUE)
            return rc;
        *(long *)opt->value = (long)x;
        return CLI_CONTINUE;
    case CLI_OPT_CHOICE:
        for (size_t i = 0; opt->choices && opt->choices[i]; i++) {
            if (strcmp(opt->choices[i], text) == 0) {
                *(const char **)opt->value = opt->choices[i];
                return CLI_CONTINUE;
            }
        }
        fprintf(stderr,
                "circulab: error: %s: option '%s': '%s' is not one of:", cmd->name, label,
                text);
        for (size_t i = 0; opt->choices && opt->choices[i]; i++)
            fprintf(stderr, "%s %s", i ? "," : "", opt->choices[i]);
        fprintf(stderr, "\nRun 'circulab %s --help' for the options.\n", cmd->name);
        return CLB_EXIT_USAGE;
    case CLI_OPT_LIST: {
        cli_strlist *list = opt->value;
        const char **items =
            realloc((void *)list->items, (list->count + 1) * sizeof(*items));
        if (!items) {
            cli_error("out of memory");
            return CLB_EXIT_RUNTIME;
        }
        items[list->count++] = text;
        list->items = items;
        return CLI_CONTINUE;
    }
    case CLI_OPT_END:
    default:
        break;
    }
    cli_error("%s: option '%s' has no type (a bug)", cmd->name, label);
    return CLB_EXIT_INTERNAL;
}

static const cli_option *find_long(const cli_option *options, const char *name,
                                   size_t len)
{
    for (size_t i = 0; options && options[i].long_name; i++) {
        if (strlen(options[i].long_name) == len &&
            strncmp(options[i].long_name, name, len) == 0)
            return &options[i];
    }
    return NULL;
}

static const cli_option *find_short(const cli_option *options, char c)
{
    for (size_t i = 0; options && options[i].long_name; i++) {
        if (options[i].short_name == c)
            return &options[i];
    }
    return NULL;
}

/* Parse one "--name[=value]" at argv[*i]. */
static int parse_long(const cli_command *cmd, bool *seen, int argc, char **argv, int *i)
{
    const char *name = argv[*i] + 2;
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const cli_option *opt = find_long(cmd->options, name, len);
    const char *value = NULL;

    if (!opt && len == 4 && strncmp(name, "help", 4) == 0 && !eq) {
        cli_help_print(stdout, cmd);
        return CLB_EXIT_OK;
    }
    if (!opt)
        return usage_error(cmd, "unknown option '--%.*s'", (int)len, name);
    seen[opt - cmd->options] = true;
    if (opt->type == CLI_OPT_FLAG) {
        if (eq)
            return usage_error(cmd, "option '--%s' takes no value", opt->long_name);
        return apply(cmd, opt, false, NULL, false);
    }
    if (eq) {
        value = eq + 1;
    } else if (*i + 1 < argc) {
        value = argv[++*i];
    } else {
        return usage_error(cmd, "option '--%s' needs a value (%s)", opt->long_name,
                           opt->arg_name ? opt->arg_name : "VALUE");
    }
    return apply(cmd, opt, false, value, false);
}

/* Parse one cluster of short options "-qj", "-oFILE" or "-o FILE" at argv[*i]. */
static int parse_short(const cli_command *cmd, bool *seen, int argc, char **argv, int *i)
{
    for (const char *p = argv[*i] + 1; *p; p++) {
        const cli_option *opt = find_short(cmd->options, *p);
        const char *value;
        int rc;

        if (!opt && *p == 'h') {
            cli_help_print(stdout, cmd);
            return CLB_EXIT_OK;
        }
        if (!opt)
            return usage_error(cmd, "unknown option '-%c'", *p);
        seen[opt - cmd->options] = true;
        if (opt->type == CLI_OPT_FLAG) {
            if ((rc = apply(cmd, opt, true, NULL, false)) != CLI_CONTINUE)
                return rc;
            continue;
        }
        if (p[1] != '\0') {
            value = p + 1;
        } else if (*i + 1 < argc) {
            value = argv[++*i];
        } else {
            return usage_error(cmd, "option '-%c' needs a value (%s)", *p,
                               opt->arg_name ? opt->arg_name : "VALUE");
        }
        return apply(cmd, opt, true, value, false);
    }
    return CLI_CONTINUE;
}

/*
 * The name of operand `index` in a usage line such as "FILE [-o OUT] [options]": the
 * index-th word that is not in brackets. Returns false when there is none.
 */
static bool operand_name(char *out, size_t size, const char *usage, int index)
{
    const char *p = usage ? usage : "";
    int depth = 0;

    while (*p) {
        size_t len;
        while (*p == ' ')
            p++;
        len = strcspn(p, " ");
        if (len == 0)
            break;
        if (depth == 0 && *p != '[' && index-- == 0) {
            snprintf(out, size, "%.*s", (int)len, p);
            return true;
        }
        for (size_t i = 0; i < len; i++)
            depth += (p[i] == '[') - (p[i] == ']');
        p += len;
    }
    return false;
}

int cli_parse(cli_operands *out, const cli_command *cmd, int argc, char **argv)
{
    size_t nopts = option_count(cmd->options);
    bool *seen = calloc(nopts + 1, sizeof(*seen));
    bool operands_only = false;
    int count = 0;
    int rc = CLI_CONTINUE;

    out->count = 0;
    out->items = argv + 1;
    if (!seen) {
        cli_error("out of memory");
        return CLB_EXIT_RUNTIME;
    }

    for (int i = 1; i < argc && rc == CLI_CONTINUE; i++) {
        char *arg = argv[i];
        if (operands_only || arg[0] != '-' || arg[1] == '\0') {
            /* Operands move to the front; the write index never passes i. */
            argv[1 + count++] = arg;
        } else if (strcmp(arg, "--") == 0) {
            operands_only = true;
        } else if (arg[1] == '-') {
            rc = parse_long(cmd, seen, argc, argv, &i);
        } else {
            rc = parse_short(cmd, seen, argc, argv, &i);
        }
    }

    /* Environment defaults for the options the command line left out. */
    for (size_t k = 0; k < nopts && rc == CLI_CONTINUE; k++) {
        const cli_option *opt = &cmd->options[k];
        const char *value = opt->env ? getenv(opt->env) : NULL;
        if (!seen[k] && value && value[0])
            rc = apply(cmd, opt, false, value, true);
    }
    free(seen);
    if (rc != CLI_CONTINUE)
        return rc;

    if (count < cmd->min_operands) {
        char name[64];
        if (operand_name(name, sizeof(name), cmd->usage, count))
            return usage_error(cmd, "missing %s", name);
        return usage_error(cmd, "missing operand");
    }
    if (cmd->max_operands >= 0 && count > cmd->max_operands)
        return usage_error(cmd, "unexpected operand '%s'", argv[1 + cmd->max_operands]);
    out->count = count;
    return CLI_CONTINUE;
}

/* ---- help ------------------------------------------------------------------------ */

/* "  -o, --output FILE" for one option. */
static void option_synopsis(char *out, size_t size, const cli_option *opt)
{
    char arg[128] = "";

    if (opt->type == CLI_OPT_CHOICE && !opt->arg_name && opt->choices) {
        size_t used = 0;
        arg[0] = ' ';
        used = 1;
        for (size_t i = 0; opt->choices[i] && used < sizeof(arg); i++) {
            int n = snprintf(arg + used, sizeof(arg) - used, "%s%s", i ? "|" : "",
                             opt->choices[i]);
            if (n < 0)
                break;
            used += (size_t)n;
        }
    } else if (opt->type != CLI_OPT_FLAG) {
        snprintf(arg, sizeof(arg), " %s", opt->arg_name ? opt->arg_name : "VALUE");
    }
    if (opt->short_name)
        snprintf(out, size, "  -%c, --%s%s", opt->short_name, opt->long_name, arg);
    else
        snprintf(out, size, "      --%s%s", opt->long_name, arg);
}

static void help_line(FILE *f, const char *synopsis, int width, const char *help,
                      const char *env)
{
    int len = (int)strlen(synopsis);
    if (len + 2 > width)
        fprintf(f, "%s\n%*s", synopsis, width, "");
    else
        fprintf(f, "%s%*s", synopsis, width - len, "");
    fputs(help ? help : "", f);
    if (env)
        fprintf(f, " [env %s]", env);
    fputc('\n', f);
}

void cli_help_print(FILE *f, const cli_command *cmd)
{
    const cli_option help = {.short_name = 'h',
                             .long_name = "help",
                             .type = CLI_OPT_FLAG,
                             .help = "show this help and exit"};
    char synopsis[256];
    int width = 0;

    fprintf(f, "usage: circulab %s %s\n\n", cmd->name, cmd->usage ? cmd->usage : "");
    if (cmd->summary)
        fprintf(f, "%s\n", cmd->summary);
    if (cmd->description)
        fprintf(f, "\n%s\n", cmd->description);

    for (size_t i = 0; cmd->options && cmd->options[i].long_name; i++) {
        option_synopsis(synopsis, sizeof(synopsis), &cmd->options[i]);
        if ((int)strlen(synopsis) > width)
            width = (int)strlen(synopsis);
    }
    option_synopsis(synopsis, sizeof(synopsis), &help);
    if ((int)strlen(synopsis) > width)
        width = (int)strlen(synopsis);
    width += 3;
    if (width > 32)
        width = 32;

    fputs("\noptions:\n", f);
    for (size_t i = 0; cmd->options && cmd->options[i].long_name; i++) {
        option_synopsis(synopsis, sizeof(synopsis), &cmd->options[i]);
        help_line(f, synopsis, width, cmd->options[i].help, cmd->options[i].env);
    }
    option_synopsis(synopsis, sizeof(synopsis), &help);
    help_line(f, synopsis, width, help.help, NULL);
    if (cmd->epilog)
        fprintf(f, "\n%s\n", cmd->epilog);
}

/* ---- command groups -------------------------------------------------------------- */

void cli_group_help_print(FILE *f, const cli_group *group)
{
    int width = 0;

    fprintf(f, "usage: circulab %s <command> [options]\n", group->name);
    if (group->description)
        fprintf(f, "\n%s\n", group->description);
    fputs("\ncommands:\n", f);
    for (size_t i = 0; group->verbs[i].name; i++) {
        if ((int)strlen(group->verbs[i].name) > width)
            width = (int)strlen(group->verbs[i].name);
    }
    for (size_t i = 0; group->verbs[i].name; i++)
        fprintf(f, "  %-*s  %s\n", width, group->verbs[i].name, group->verbs[i].summary);
    fprintf(f, "\nRun 'circulab %s COMMAND --help' for the options of one command.\n",
            group->name);
}

static const cli_verb *find_verb(const cli_group *group, const char *name)
{
    for (size_t i = 0; group->verbs[i].name; i++) {
        if (strcmp(group->verbs[i].name, name) == 0)
            return &group->verbs[i];
    }
    return NULL;
}

static int group_usage_error(const cli_group *group, const char *what, const char *arg)
{
    if (arg)
        cli_error("%s: %s '%s'", group->name, what, arg);
    else
        cli_error("%s: %s", group->name, what);
    fprintf(stderr, "usage: circulab %s <command> [options]\n", group->name);
    fprintf(stderr, "Run 'circulab %s --help' for the list of commands.\n", group->name);
    return CLB_EXIT_USAGE;
}

int cli_dispatch(const cli_group *group, int argc, char **argv)
{
    const cli_verb *verb;

    if (argc < 2)
        return group_usage_error(group, "missing command", NULL);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        (strcmp(argv[1], "help") == 0 && argc == 2)) {
        cli_group_help_print(stdout, group);
        return CLB_EXIT_OK;
    }
    if (strcmp(argv[1], "help") == 0) {
        char help_flag[] = "--help";
        char *args[3];
        if (!(verb = find_verb(group, argv[2])))
            return group_usage_error(group, "unknown command", argv[2]);
        args[0] = argv[2];
        args[1] = help_flag;
        args[2] = NULL;
        return verb->run(2, args);
    }
    if (argv[1][0] == '-')
        return group_usage_error(group, "unknown option", argv[1]);
    if (!(verb = find_verb(group, argv[1])))
        return group_usage_error(group, "unknown command", argv[1]);
    return verb->run(argc - 1, argv + 1);
}
