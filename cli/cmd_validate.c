/*
 * cmd_validate.c - `circulab validate FILE`: check a scenario document and list every
 * error with its JSON path; also the scenario loader the other commands share.
 *
 * The library validates everything in one pass and returns all diagnostics at once;
 * this file only decides how they are shown: one "FILE: PATH: MESSAGE" line per error
 * on stderr (the shape compilers use, so editors and grep work on it), or one JSON
 * document on stdout with --json for programs.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* Read all of standard input into a malloc'd buffer, at most `max` bytes (CLB_EINVAL
 * beyond). */
static int read_stdin(char **out, size_t *out_len, size_t max)
{
    size_t len = 0, cap = 65536;
    char *buf = malloc(cap);
    int error = 0;

    if (!buf)
        return CLB_ENOMEM;
    for (;;) {
        size_t n = fread(buf + len, 1, cap - len, stdin);
        len += n;
        if (len > max) {
            error = CLB_EINVAL;
            break;
        }
        if (len < cap) {
            if (ferror(stdin))
                error = CLB_EIO;
            break;
        }
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            error = CLB_ENOMEM;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    if (error < 0) {
        free(buf);
        return error;
    }
    *out = buf;
    *out_len = len;
    return 0;
}

/* Load FILE ("-": standard input) into *out, filling diags and err; at most `max`
 * bytes (0: the default limit). */
static int load(clb_scenario **out, const char *file, size_t max, clb_diags *diags,
                clb_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    int error;

    if (strcmp(file, "-") != 0)
        return clb_scenario_load_file_max(out, file, max, diags, err);
    if ((error = read_stdin(&buf, &len, max ? max : CLB_INPUT_MAX_BYTES_DEFAULT)) < 0) {
        if (error == CLB_EINVAL)
            snprintf(err->message, sizeof(err->message),
                     "standard input is larger than the input limit of %zu bytes "
                     "(--max-bytes N raises it)",
                     max ? max : CLB_INPUT_MAX_BYTES_DEFAULT);
        else
            snprintf(err->message, sizeof(err->message), "cannot read standard input");
        err->code = error;
        return error;
    }
    error = clb_scenario_load_buffer(out, buf, len, "<stdin>", diags, err);
    free(buf);
    return error;
}

static bool is_document_error(int error)
{
    return error == CLB_EINVAL || error == CLB_EPARSE;
}

/* Print the diagnostics of a failed load as "FILE: PATH: MESSAGE" lines. */
static void print_diags(const char *file, const clb_diags *diags, const clb_error *err)
{
    size_t n = clb_diags_count(diags);

    for (size_t i = 0; i < n; i++) {
        const clb_diag *d = clb_diags_get(diags, i);
        if (d->path && d->path[0])
            cli_printf_text(stderr, "%s: %s: %s\n", file, d->path, d->message);
        else if (d->line > 0)
            cli_printf_text(stderr, "%s:%d:%d: %s\n", file, d->line, d->column, d->message);
        else
            cli_printf_text(stderr, "%s: %s\n", file, d->message);
    }
    if (n == 0) {
        /* Only the error record says what went wrong (a parse error, say). */
        const char *message = err->message[0] ? err->message : clb_strerror(err->code);
        if (err->path[0])
            cli_printf_text(stderr, "%s: %s: %s\n", file, err->path, message);
        else if (err->line > 0)
            cli_printf_text(stderr, "%s:%d:%d: %s\n", file, err->line, err->column, message);
        else
            cli_printf_text(stderr, "%s: %s\n", file, message);
    }
}

int cli_scenario_load(clb_scenario **out, const char *file)
{
    return cli_scenario_load_max(out, file, 0);
}

int cli_scenario_load_max(clb_scenario **out, const char *file, long max_bytes)
{
    clb_diags *diags = NULL;
    clb_error err;
    int error;
    int rc = CLB_EXIT_OK;

    *out = NULL;
    clb_error_init(&err);
    if ((error = clb_diags_new(&diags)) < 0)
        return cli_error_report(NULL, error, NULL);
    error = load(out, file, max_bytes > 0 ? (size_t)max_bytes : 0, diags, &err);
    if (error < 0 && is_document_error(error)) {
        size_t n = clb_diags_count(diags);
        print_diags(file, diags, &err);
        cli_error("%s: invalid scenario (%zu error%s)", file, n ? n : 1,
                  n > 1 ? "s" : "");
        rc = CLB_EXIT_INVALID;
    } else if (error < 0) {
        rc = cli_error_report(NULL, error, &err);
    }
    if (error < 0) {
        clb_scenario_free(*out);
        *out = NULL;
    }
    clb_diags_free(diags);
    return rc;
}

/* ---- counts ---------------------------------------------------------------------- */

typedef struct kind_label {
    clb_kind kind;
    const char *key; /* JSON key */
    const char *singular;
    const char *plural;
} kind_label;

static const kind_label kinds[] = {
    {CLB_KIND_WORKER, "workers", "worker", "workers"},
    {CLB_KIND_EMPLOYER, "employers", "employer", "employers"},
    {CLB_KIND_SITE, "sites", "site", "sites"},
    {CLB_KIND_VACANCY, "vacancies", "vacancy", "vacancies"},
    {CLB_KIND_QUOTA, "quotas", "quota", "quotas"},
    {CLB_KIND_SESSION, "sessions", "training session", "training sessions"},
    {CLB_KIND_PROGRAMME, "programmes", "reintegration programme",
     "reintegration programmes"},
};

#define KIND_COUNT (sizeof(kinds) / sizeof(kinds[0]))

void cli_scenario_counts_print(FILE *f, const clb_scenario *scenario)
{
    for (size_t i = 0; i < KIND_COUNT; i++) {
        size_t n = clb_scenario_count(scenario, kinds[i].kind);
        fprintf(f, "%s%zu %s", i ? ", " : "", n,
                n == 1 ? kinds[i].singular : kinds[i].plural);
    }
}

/* ---- the command ----------------------------------------------------------------- */

static void json_error(cli_json *json, const char *path, const char *rule,
                       const char *message, int line, int column)
{
    cli_json_begin_object(json);
    cli_json_key(json, "path");
    cli_json_string(json, path && path[0] ? path : NULL);
    cli_json_key(json, "rule");
    cli_json_string(json, rule);
    cli_json_key(json, "message");
    cli_json_string(json, message);
    cli_json_key(json, "line");
    if (line > 0)
        cli_json_integer(json, line);
    else
        cli_json_null(json);
    cli_json_key(json, "column");
    if (column > 0)
        cli_json_integer(json, column);
    else
        cli_json_null(json);
    cli_json_end_object(json);
}

/* The rule name of a load failure that left no diagnostic. */
static const char *error_rule(int error)
{
    switch (error) {
    case CLB_EPARSE:
        return "parse";
    case CLB_EIO:
        return "io";
    case CLB_ENOMEM:
        return "memory";
    default:
        return "error";
    }
}

/* --json: one document on stdout, whatever happened. */
static void print_json(const char *file, int error, const clb_scenario *scenario,
                       const clb_diags *diags, const clb_error *err)
{
    cli_json json;
    size_t n = clb_diags_count(diags);

    cli_json_init(&json, stdout);
    cli_json_begin_object(&json);
    cli_json_key(&json, "file");
    cli_json_string(&json, file);
    cli_json_key(&json, "valid");
    cli_json_bool(&json, error == 0);
    cli_json_key(&json, "errors");
    cli_json_begin_array(&json);
    for (size_t i = 0; i < n; i++) {
        const clb_diag *d = clb_diags_get(diags, i);
        json_error(&json, d->path, d->rule, d->message, d->line, d->column);
    }
    if (error < 0 && n == 0)
        json_error(&json, err->path, error_rule(error),
                   err->message[0] ? err->message : clb_strerror(error), err->line,
                   err->column);
    cli_json_end_array(&json);
    if (error == 0) {
        cli_json_key(&json, "name");
        cli_json_string(&json, clb_scenario_name(scenario));
        cli_json_key(&json, "counts");
        cli_json_begin_object(&json);
        for (size_t i = 0; i < KIND_COUNT; i++) {
            cli_json_key(&json, kinds[i].key);
            cli_json_integer(&json,
                             (long long)clb_scenario_count(scenario, kinds[i].kind));
        }
        cli_json_end_object(&json);
    }
    cli_json_end_object(&json);
    cli_json_finish(&json);
}

int cmd_validate(int argc, char **argv)
{
    bool json = false;
    long max_bytes = 0;
    const cli_option options[] = {
        {.long_name = "json",
         .type = CLI_OPT_FLAG,
         .value = &json,
         .help = "print one JSON document {file, valid, errors[], counts} on stdout"},
        CLI_MAX_BYTES_OPTION(max_bytes),
        {0},
    };
    const cli_command spec = {
        .name = "validate",
        .usage = "FILE [options]",
        .summary = "Check a scenario document and list every error with its JSON path.",
        .description =
            "FILE is a circulab-scenario/1 document (see docs/FORMATS.md section 2);\n"
            "\"-\" reads standard input. Every broken rule is reported, not only the\n"
            "first, one per line on stderr as \"FILE: PATH: MESSAGE\", for example\n"
            "  huelva.json: $.vacancies[3].headcount: vacancy 'V12': headcount 0 is\n"
            "  below min_offer_size 1\n"
            "A valid document prints \"FILE: ok (N workers, ...)\" on stdout.",
        .options = options,
        .min_operands = 1,
        .max_operands = 1,
        .epilog =
            "exit codes: 0 valid, 1 unreadable file, 2 usage error, 3 invalid document.",
    };
    cli_operands ops;
    clb_scenario *scenario = NULL;
    clb_diags *diags = NULL;
    clb_error err;
    const char *file;
    int error;
    int rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    file = ops.items[0];

    if (!json) {
        if ((rc = cli_scenario_load_max(&scenario, file, max_bytes)) != CLB_EXIT_OK)
            return rc;
        cli_printf_text(stdout, "%s: ok (", file);
        cli_scenario_counts_print(stdout, scenario);
        printf(")\n");
        clb_scenario_free(scenario);
        return CLB_EXIT_OK;
    }

    clb_error_init(&err);
    if ((error = clb_diags_new(&diags)) < 0)
        return cli_error_report(NULL, error, NULL);
    error = load(&scenario, file, max_bytes > 0 ? (size_t)max_bytes : 0, diags, &err);
    print_json(file, error, scenario, diags, &err);
    if (error == 0)
        rc = CLB_EXIT_OK;
    else if (is_document_error(error))
        rc = CLB_EXIT_INVALID;
    else
        rc = cli_error_report(NULL, error, &err);
    clb_scenario_free(scenario);
    clb_diags_free(diags);
    return rc;
}
