/*
 * output.c - error messages, exit codes, the progress line and the JSON writer.
 *
 * Everything here writes to stdio streams and keeps no hidden state beyond what the
 * caller holds (cli_progress, cli_json), so commands stay free to interleave output.
 * The progress line is drawn with a carriage return and "erase to end of line" and is
 * only ever enabled on a terminal, so logs and pipes never see control characters.
 *
 * Text that carries data (ids, names, regions from files, feeds and the database) is
 * printed through cli_write_text, which escapes control and bidirectional characters
 * (clb_text_escape): an id holding ESC sequences or U+202E cannot repaint a terminal
 * or reorder what a reader sees. Messages, warnings and database outputs all do.
 */
#include "cli.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- exit codes and errors ------------------------------------------------------- */

int cli_exit_code(int clb_code)
{
    switch (clb_code) {
    case CLB_OK:
        return CLB_EXIT_OK;
    case CLB_EINVAL:
    case CLB_EPARSE:
    case CLB_ENOTFOUND: /* an id the user named does not exist */
    case CLB_EEXISTS:   /* the user asked to create what exists */
    case CLB_ESTATE:    /* the user asked for a transition the record forbids */
        return CLB_EXIT_INVALID;
    case CLB_ENOMEM:
    case CLB_EIO:
    case CLB_ENET:
    case CLB_EDB:
        return CLB_EXIT_RUNTIME;
    case CLB_EINFEASIBLE:
        return CLB_EXIT_INFEASIBLE;
    case CLB_ESOLVER:
    case CLB_EINTERNAL:
    default:
        return CLB_EXIT_INTERNAL;
    }
}

int cli_write_text(FILE *f, const char *s, size_t len, bool keep_newlines)
{
    clb_buf out = CLB_BUF_INIT;
    int rc = clb_text_escape(&out, s, len, keep_newlines ? CLB_TEXT_KEEP_NEWLINES : 0u);
    if (rc == 0 && out.size && fwrite(out.ptr, 1, out.size, f) != out.size)
        rc = -1;
    clb_buf_dispose(&out);
    return rc < 0 ? -1 : 0;
}

void cli_printf_text(FILE *f, const char *fmt, ...)
{
    char small[1024], *text = small;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof(small) && (text = malloc((size_t)n + 1))) {
        va_start(ap, fmt);
        vsnprintf(text, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    if (!text)
        text = small;
    if (n > 0)
        cli_write_text(f, text, strlen(text), true);
    if (text != small)
        free(text);
}

/* One message line on stderr, its text escaped (it may quote ids from the input). */
static void vprint_diag(const char *kind, const char *fmt, va_list ap)
{
    char small[1024], *text = small;
    va_list copy;
    int n;

    va_copy(copy, ap);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    if (n >= (int)sizeof(small) && (text = malloc((size_t)n + 1)))
        vsnprintf(text, (size_t)n + 1, fmt, copy);
    va_end(copy);
    if (!text)
        text = small; /* out of memory: the message cut short */
    fprintf(stderr, "circulab: %s: ", kind);
    if (n > 0)
        cli_write_text(stderr, text, strlen(text), false);
    fputc('\n', stderr);
    if (text != small)
        free(text);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint_diag("error", fmt, ap);
    va_end(ap);
}

void cli_warning(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint_diag("warning", fmt, ap);
    va_end(ap);
}

int cli_error_report(const char *context, int code, const clb_error *err)
{
    const char *message = (err && err->message[0]) ? err->message : clb_strerror(code);

    fputs("circulab: error: ", stderr);
    if (context && context[0]) {
        cli_write_text(stderr, context, strlen(context), false);
        fputs(": ", stderr);
    }
    /* The source is worth repeating only when neither the context nor the message
     * already names it. */
    if (err && err->source[0] && !strstr(message, err->source) &&
        !(context && strcmp(context, err->source) == 0)) {
        cli_write_text(stderr, err->source, strlen(err->source), false);
        fputs(": ", stderr);
    }
    cli_write_text(stderr, message, strlen(message), false);
    if (err && err->path[0] && !strstr(message, err->path)) {
        fputs(" (at ", stderr);
        cli_write_text(stderr, err->path, strlen(err->path), false);
        fputs(")", stderr);
    } else if (err && !err->path[0] && err->line > 0)
        fprintf(stderr, " (line %d, column %d)", err->line, err->column);
    fputc('\n', stderr);
    return cli_exit_code(code);
}

/* ---- progress -------------------------------------------------------------------- */

bool cli_stderr_is_tty(void)
{
    return isatty(STDERR_FILENO) == 1;
}

double cli_now_seconds(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0.0;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_init(cli_progress *progress, bool quiet)
{
    memset(progress, 0, sizeof(*progress));
    progress->enabled = !quiet && cli_stderr_is_tty();
}

void cli_progress_show(cli_progress *progress, const char *fmt, ...)
{
    char line[80];
    char phase[sizeof(progress->phase)];
    va_list ap;
    double now;
    size_t n;

    if (!progress || !progress->enabled)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);

    n = strcspn(line, " ");
    if (n >= sizeof(phase))
        n = sizeof(phase) - 1;
    memcpy(phase, line, n);
    phase[n] = '\0';

    now = cli_now_seconds();
    if (progress->drawn && now - progress->last < 0.1 &&
        strcmp(phase, progress->phase) == 0)
        return;
    memcpy(progress->phase, phase, sizeof(phase));
    progress->last = now;
    progress->drawn = true;
    fprintf(stderr, "\r\033[K%s", line);
    fflush(stderr);
}

void cli_progress_clear(cli_progress *progress)
{
    if (!progress || !progress->enabled || !progress->drawn)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    progress->drawn = false;
    progress->phase[0] = '\0';
}

void cli_progress_solve(const clb_progress *report, void *payload)
{
    cli_progress *progress = payload;
    char best[32] = "-", bound[32] = "-", gap[32] = "-";

    if (!progress || !progress->enabled || !report)
        return;
    if (report->has_best)
        snprintf(best, sizeof(best), "%.0f", report->best);
    if (report->has_bound)
        snprintf(bound, sizeof(bound), "%.0f", report->bound);
    if (report->has_best && report->has_bound)
        /* Small gaps matter near the end of a proof: keep two significant digits. */
        snprintf(gap, sizeof(gap), report->gap >= 0.01 ? "%.1f%%" : "%.2g%%",
                 report->gap * 100.0);
    if (!report->has_best && !report->has_bound)
        cli_progress_show(progress, "%s  %.1fs",
                          report->phase ? report->phase : "solving", report->elapsed);
    else
        cli_progress_show(progress, "%s  best %s  bound %s  gap %s  %.1fs",
                          report->phase ? report->phase : "solving", best, bound, gap,
                          report->elapsed);
}

/* ---- JSON ------------------------------------------------------------------------ */

void cli_json_write_string(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    fputc('"', f);
    for (; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        case '\b':
            fputs("\\b", f);
            break;
        case '\f':
            fputs("\\f", f);
            break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", (unsigned)*p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

void cli_json_write_number(FILE *f, double x)
{
    char text[40];

    if (!isfinite(x)) {
        fputs("null", f);
        return;
    }
    if (x == 0.0) {
        fputs("0", f); /* never "-0" */
        return;
    }
    if (x == floor(x) && fabs(x) < 1e15) {
        fprintf(f, "%.0f", x);
        return;
    }
    /* The shortest precision that reads back as the same double. */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(text, sizeof(text), "%.*g", prec, x);
        if (strtod(text, NULL) == x)
            break;
    }
    fputs(text, f);
}

void cli_json_init(cli_json *json, FILE *f)
{
    memset(json, 0, sizeof(*json));
    json->f = f;
}

static void json_indent(cli_json *json)
{
    fputc('\n', json->f);
    for (int i = 0; i < json->depth; i++)
        fputs("  ", json->f);
}

/* Separate a value from the previous one, unless it follows its key. */
static void json_prefix(cli_json *json)
{
    if (json->after_key) {
        json->after_key = false;
        return;
    }
    if (json->depth == 0)
        return;
    if (json->has_items[json->depth])
        fputc(',', json->f);
    json->has_items[json->depth] = true;
    json_indent(json);
}

static void json_begin(cli_json *json, int open)
{
    json_prefix(json);
    fputc(open, json->f);
    if (json->depth < CLI_JSON_MAX_DEPTH)
        json->depth++;
    json->has_items[json->depth] = false;
}

static void json_end(cli_json *json, int close)
{
    bool had_items = json->has_items[json->depth];
    if (json->depth > 0)
        json->depth--;
    if (had_items)
        json_indent(json);
    fputc(close, json->f);
}

void cli_json_begin_object(cli_json *json)
{
    json_begin(json, '{');
}

void cli_json_end_object(cli_json *json)
{
    json_end(json, '}');
}

void cli_json_begin_array(cli_json *json)
{
    json_begin(json, '[');
}

void cli_json_end_array(cli_json *json)
{
    json_end(json, ']');
}

void cli_json_key(cli_json *json, const char *key)
{
    json_prefix(json);
    cli_json_write_string(json->f, key);
    fputs(": ", json->f);
    json->after_key = true;
}

void cli_json_string(cli_json *json, const char *s)
{
    json_prefix(json);
    if (s)
        cli_json_write_string(json->f, s);
    else
        fputs("null", json->f);
}

void cli_json_number(cli_json *json, double x)
{
    json_prefix(json);
    cli_json_write_number(json->f, x);
}

void cli_json_integer(cli_json *json, long long x)
{
    json_prefix(json);
    fprintf(json->f, "%lld", x);
}

void cli_json_bool(cli_json *json, bool b)
{
    json_prefix(json);
    fputs(b ? "true" : "false", json->f);
}

void cli_json_null(cli_json *json)
{
    json_prefix(json);
    fputs("null", json->f);
}

void cli_json_finish(cli_json *json)
{
    fputc('\n', json->f);
    fflush(json->f);
}

const char *cli_infeasible_reason(const char *message, const char *fallback)
{
    static const char prefix[] = "infeasible: ";
    if (!message || !message[0])
        return fallback;
    if (strncmp(message, prefix, sizeof(prefix) - 1) == 0)
        message += sizeof(prefix) - 1;
    return message;
}
