/*
 * desk.h - what the desk's look-up commands share (worker, vacancy list|show,
 * employer list|show): the --with-names and --csv options, one function that opens
 * the database read-only, runs a look-up and prints it (cmd_worker.c), and the
 * rendering of what the look-ups return (desk_render.c).
 */
#ifndef CLB_CLI_DESK_H
#define CLB_CLI_DESK_H

#include "db.h"
#include "circulab/desk.h"

#define CLI_NAMES_OPTION(var)                                                         \
    {.long_name = "with-names", .type = CLI_OPT_FLAG, .value = &(var),                \
     .help = "show worker names and birth dates (personal data)"}

/* A look-up: render into out with flags (a database command's work, db.h). */
typedef cli_db_fn cli_desk_fn;

/* Flag of the desk's lists: CSV instead of aligned text. */
#define CLI_DESK_CSV 0x200u

/*
 * Render what a look-up returned (its code in `error`) into out: a list as aligned
 * text, one JSON document (CLB_STORE_JSON) or CSV (CLI_DESK_CSV); a record as its
 * sections in order, or one JSON object keyed by section. Releases the view. Returns
 * `error`, or CLB_ENOMEM (err says so) when rendering failed. Implemented in
 * desk_render.c.
 */
int cli_desk_render(clb_buf *out, clb_desk_view *view, int error, unsigned flags,
                    clb_error *err);

/* Open `db`, run fn, print its buffer (text escaped). --json and --csv together are a
 * usage error. Returns the exit code. */
int cli_desk_run(const char *db, bool json, bool csv, bool names, cli_desk_fn fn,
                 const void *arg);

/* Placement ids from operands: N or a range N-M (at most 100,000 ids), in order.
 * Errors are printed. Returns CLB_EXIT_OK with *out (free it) and *n set. Implemented
 * in cmd_placement.c. */
int cli_placement_ids(clb_change **out, size_t *n, const char *name, int count,
                      char **items);

/* `placement undo` and `round delete` (cmd_fix.c), verbs of cmd_placement.c and
 * cmd_round.c. */
int cli_placement_undo(int argc, char **argv);
int cli_round_delete(int argc, char **argv);

#endif
