/*
 * output.h - how circulab talks to people and programs: error messages, the exit code
 * of a library error, a one-line progress display, and a small JSON writer.
 *
 * Diagnostics always go to stderr and begin with "circulab: error: " (or "warning");
 * results go to stdout. The program prints JSON with its own writer because the CLI
 * may use only the library's public API, which exposes no JSON type.
 */
#ifndef CLB_CLI_OUTPUT_H
#define CLB_CLI_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include "circulab.h"

#define CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* The exit code (CLB_EXIT_*) for a library return code (0 or CLB_E*). */
int cli_exit_code(int clb_code);

/* Print "circulab: error: MESSAGE" to stderr. */
void cli_error(const char *fmt, ...) CLI_PRINTF(1, 2);

/*
 * Write text that carries data to f with control and bidirectional characters
 * escaped (clb_text_escape); '\n' kept when keep_newlines. Returns 0 or -1.
 */
int cli_write_text(FILE *f, const char *s, size_t len, bool keep_newlines);

/* fprintf whose result is written through cli_write_text (newlines kept). */
void cli_printf_text(FILE *f, const char *fmt, ...) CLI_PRINTF(2, 3);

/* Print "circulab: warning: MESSAGE" to stderr. */
void cli_warning(const char *fmt, ...) CLI_PRINTF(1, 2);

/*
 * Report a failed library call: "circulab: error: [CONTEXT: ]MESSAGE", where MESSAGE
 * is err's message (or the code's name when err has none), prefixed by err->source
 * and followed by the JSON path or line and column when the message does not already
 * name them. `context` (for example the file the command was working on) may be NULL.
 * Returns cli_exit_code(code).
 */
int cli_error_report(const char *context, int code, const clb_error *err);

/* Is stderr a terminal? */
bool cli_stderr_is_tty(void);

/*
 * A status line redrawn in place on stderr. Disabled (every call a no-op) unless
 * stderr is a terminal and the command was not given --quiet. Redraws are limited
 * to about ten a second unless the text's first word (the phase) changes.
 */
typedef struct cli_progress {
    bool enabled;
    bool drawn;     /* a line is on screen */
    double last;    /* when it was drawn (monotonic seconds) */
    char phase[32]; /* phase of the last line */
} cli_progress;

void cli_progress_init(cli_progress *progress, bool quiet);

/* Draw `fmt` as the status line (one line; long text is cut at 79 columns). */
void cli_progress_show(cli_progress *progress, const char *fmt, ...) CLI_PRINTF(2, 3);

/* Erase the status line; call before printing anything else to stderr. */
void cli_progress_clear(cli_progress *progress);

/*
 * A clb_progress_cb for clb_solve_opts: payload is a cli_progress. Shows the phase,
 * the best plan's objective, the bound, the gap and the elapsed time.
 */
void cli_progress_solve(const clb_progress *report, void *payload);

/*
 * A streaming JSON writer: pretty-printed with two-space indents, commas and
 * nesting handled by the writer. Keys and values are written in call order; the
 * caller balances begin/end. Non-finite numbers are written as null.
 */
#define CLI_JSON_MAX_DEPTH 32

typedef struct cli_json {
    FILE *f;
    int depth;
    bool has_items[CLI_JSON_MAX_DEPTH + 1];
    bool after_key;
} cli_json;

void cli_json_init(cli_json *json, FILE *f);
void cli_json_begin_object(cli_json *json);
void cli_json_end_object(cli_json *json);
void cli_json_begin_array(cli_json *json);
void cli_json_end_array(cli_json *json);
void cli_json_key(cli_json *json, const char *key);
void cli_json_string(cli_json *json, const char *s); /* NULL writes null */
void cli_json_number(cli_json *json, double x);
void cli_json_integer(cli_json *json, long long x);
void cli_json_bool(cli_json *json, bool b);
void cli_json_null(cli_json *json);
/* End the document with a newline. */
void cli_json_finish(cli_json *json);

/* Write `s` as a JSON string literal (quotes included) to `f`. */
void cli_json_write_string(FILE *f, const char *s);

/* Write `x` as a JSON number to `f`: the shortest form that reads back exactly. */
void cli_json_write_number(FILE *f, double x);

/* Monotonic seconds, for timings. */
double cli_now_seconds(void);

/*
 * The reason of an infeasible solve, for "...: infeasible: REASON": the engine's
 * message without its own leading "infeasible: ", or `fallback` when it is empty.
 */
const char *cli_infeasible_reason(const char *message, const char *fallback);

#endif
