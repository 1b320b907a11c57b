/*
 * store_impl.h - what the files of the store module share: the store's struct and
 * the few helpers every SQL-speaking file needs (prepare, bind, step, transactions,
 * the audit log).
 *
 * The store is one module spread over several files (store.c: schema, import,
 * rounds, lifecycle, seasons, sources; store_portal.c: employer tokens and the
 * portal's reads and writes). Only these files include sqlite3.h; everything else
 * reaches the database through include/circulab/store.h. The helpers keep their
 * short static names inside store.c and are exported under the clb__store_ prefix
 * (internal, never in a public header).
 */
#ifndef CLB_STORE_IMPL_H
#define CLB_STORE_IMPL_H

#include "circulab/store.h"

#include <sqlite3.h>

struct clb_store {
    sqlite3 *db;
    char *path;
    char *actor;
    int tx_depth;      /* >0 inside a transaction */
    bool tx_failed;    /* an inner step failed: the outermost end rolls back */
    unsigned long tx_alloc_failures; /* clb__alloc_failures() when it began */
    int version;
    size_t max_input;  /* bytes a file read by import may have (0: the default) */
};

/* Set err from the connection's last error: "database: WHAT: sqlite's message". */
int clb__store_db_error(clb_store *st, clb_error *err, const char *what);

/* Prepare one statement (*out NULL on failure). */
int clb__store_prep(clb_store *st, sqlite3_stmt **out, const char *sql, clb_error *err);

/* Bind a string, or NULL for a NULL pointer (the value is copied). */
void clb__store_bind_text(sqlite3_stmt *s, int i, const char *v);

/* A column as text, NULL when SQL NULL (borrowed until the next step). */
const char *clb__store_col_text(sqlite3_stmt *s, int i);

/* Step a statement that returns no rows, then reset it for reuse. */
int clb__store_step_done(clb_store *st, sqlite3_stmt *s, clb_error *err);

/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ". */
void clb__store_now_iso(char out[32]);

/* A write transaction (BEGIN IMMEDIATE) or one more level of the open one. */
int clb__store_tx_begin(clb_store *st, clb_error *err);

/* End a level: commit at the outermost one when all went well, else roll back.
 * Returns `error`, or the commit's error. */
int clb__store_tx_end(clb_store *st, int error, clb_error *err);

/* A read snapshot (deferred BEGIN): concurrent writers are not blocked. End it with
 * clb__store_tx_end. */
int clb__store_read_begin(clb_store *st, clb_error *err);

/* Append one audit row as the store's actor. */
int clb__store_audit(clb_store *st, const char *action, const char *object,
                     const char *before, const char *after, const char *detail,
                     clb_error *err);

/* After a change, inside its transaction: the database must still assemble into
 * scenarios the scenario reader accepts (the next round's inputs and the whole
 * record). CLB_EINVAL (problems listed, one a line, when given) means: roll back. */
int clb__store_check_valid(clb_store *st, clb_buf *problems, clb_error *err);
/* Whether the open season SEASON's confirmed placements and the stored pins still admit
 * a plan (a feasibility solve with them all as pins, inside the caller's transaction);
 * CLB_EINFEASIBLE naming the constraints otherwise ("VERB N placements would leave
 * ..."). Used by confirm and by undoing a cancellation. */
int clb__store_check_confirmed(clb_store *st, long season, size_t n_new, const char *verb,
                               clb_error *err);
/* The open season's confirmed placements still have their vacancy: none withdrawn,
 * no headcount below them (part of clb__store_check_valid; CLB_ESTATE otherwise). */
int clb__store_check_confirmed_vacancies(clb_store *st, clb_buf *problems,
                                         clb_error *err);

/* Delete the pin (worker, vacancy) and audit it as `pin.release` with `reason` and
 * `note` (may be NULL); *gone says whether there was one. Inside a transaction. */
int clb__store_release_pin(clb_store *st, const char *worker, const char *vacancy,
                           const char *reason, const char *note, bool *gone,
                           clb_error *err);

/* Release the pins of active workers on open vacancies that the eligibility rules now
 * refuse (judged on the next round's inputs without pins); *count: how many. */
int clb__store_release_ineligible_pins(clb_store *st, const char *reason, size_t *count,
                                       clb_error *err);

/* Release (delete and audit as `pin.release`, reason "season close") every pin whose
 * vacancy is not open; *count receives how many. Inside the caller's transaction. */
int clb__store_release_closed_pins(clb_store *st, size_t *count, clb_error *err);

/* The next round's inputs (open records, the season's bans and previous plan, without
 * pins), loaded by the scenario reader; CLB_EINVAL when they do not load. For the
 * desk's eligibility look-ups (store_desk.c). */
int clb__store_next_round(clb_scenario **out, clb_store *st, clb_error *err);

#endif
