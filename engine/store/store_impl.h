/*
 * store_impl.h - what the files of the store module share: the store's struct and
 * the helpers every SQL-speaking file needs.
 *
 * The store (docs/DATABASE.md §6, the system of record) is one module in several files,
 * in layers that only call down (no circle between two of them):
 *
 *   db.c        the bottom: statements, transactions, the audit log, the open season
 *               and policy, a worker's history in its columns, a set of ids, one row
 *               writer (clb__store_insert_rows), SQLite's allocator
 *   above db.c only:
 *   schema.c    the schema, its migrations, opening and closing a database
 *   assemble.c  the database read back as scenarios; the checks every change passes
 *   records.c   writing records (upserts), shared by import, feeds and renew
 *   show.c      rows shown as JSON or text (clb__store_show_rows): round show, list and
 *               diff, placement list and query, the audit log
 *   maps.c, portal.c: the mapping tables, the employer portal's reads and writes
 *   above those:
 *   pins.c      the database's pins, and releasing those a change leaves behind
 *   import.c    import of scenario documents and CSV files
 *   lifecycle.c placement transitions
 *   round.c     round run (solve on a snapshot, write whole)
 *   sources.c   offer sources, the fetch log, the offers' writes
 *   export.c    export and explain
 *   desk.c, fix.c, forget.c: the desk's look-ups, corrections and erasure
 *   at the top:
 *   season.c    season close (the history rule of rules/history.c) and renew
 *
 * Only these files include sqlite3.h; everything else reaches the database through
 * include/circulab/store.h. Every record is kept as the canonical JSON of
 * scenario/save.c in a `doc` column; a scenario is assembled from those documents and
 * read by the one scenario reader. Every public operation is one transaction; values
 * are always bound, never formatted into SQL; every statement is finalized on every
 * path. The helpers here are internal (clb__store_*), never in a public header.
 */
#ifndef CLB_STORE_IMPL_H
#define CLB_STORE_IMPL_H

#include "circulab/store.h"

#include <sqlite3.h>

#include "io/csv.h"
#include "rules/history.h"
#include "scenario/scenario_impl.h"
#include "util/jw.h"
#include "util/util.h"

struct clb_store {
    sqlite3 *db;
    char *path;
    char *actor;
    int tx_depth;      /* >0 inside a transaction */
    bool tx_failed;    /* an inner step failed: the outermost end rolls back */
    unsigned long tx_alloc_failures; /* clb__alloc_failures() when it began */
    int version;
    size_t max_input;  /* bytes a file read by import may have (0: the default) */
    clb_csv_opts csv_opts; /* how CSV files are read (clb_store_set_csv_format) */
    int busy_ms;           /* how long a change waits for a writer (0: the default) */
};

/* The store's busy timeout in milliseconds (clb_store_set_busy_timeout). */
int clb__store_busy_ms(const clb_store *st);

/* ---- statements (db.c) ----------------------------------------------------------- */

/* Set err from the connection's last error: "database: WHAT: sqlite's message". */
int clb__store_db_error(clb_store *st, clb_error *err, const char *what);

/* Prepare one statement (*out NULL on failure). */
int clb__store_prep(clb_store *st, sqlite3_stmt **out, const char *sql, clb_error *err);

/* Run SQL text (statements without parameters nor rows). */
int clb__store_exec(clb_store *st, const char *sql, clb_error *err);

/* Bind a string, or NULL for a NULL pointer (the value is copied). */
void clb__store_bind_text(sqlite3_stmt *s, int i, const char *v);

/* A column as text, NULL when SQL NULL (borrowed until the next step). */
const char *clb__store_col_text(sqlite3_stmt *s, int i);

/* A column as text, "" when SQL NULL. */
const char *clb__store_col_text0(sqlite3_stmt *s, int i);

/* Step a statement that returns no rows, then reset it for reuse. */
int clb__store_step_done(clb_store *st, sqlite3_stmt *s, clb_error *err);

/* Insert n rows with one statement: ?1 is `key` in every row, and `bind` binds row
 * i's other parameters (from ?2). The statement is finalized; 0 or the first error. */
int clb__store_insert_rows(clb_store *st, const char *sql, sqlite3_int64 key, size_t n,
                           void (*bind)(sqlite3_stmt *s, size_t i, const void *payload),
                           const void *payload, clb_error *err);

/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ". */
void clb__now_iso(char out[32]);

/* FNV-1a, 64 bits, as "fnv1a64:" and 16 hex digits: a fingerprint, not a security
 * measure. */
void clb__store_fingerprint(char out[40], const char *data, size_t len);

/* ---- transactions and the audit log (db.c) --------------------------------------- */

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

/* ---- state every operation reads (db.c) ------------------------------------------ */

/* The open season's id (CLB_EINTERNAL when there is none). */
int clb__store_open_season(clb_store *st, long *out, clb_error *err);

/* Append the stored policy document, or nothing when none is stored. */
int clb__store_policy_doc(clb_buf *out, clb_store *st, clb_error *err);

/* The stored policy, read through the scenario reader (defaults when none); its
 * allowed_countries are left out (callers need only numbers). */
int clb__store_load_policy(clb_policy *out, clb_store *st, clb_error *err);

/* A set of ids (copied strings; sorted on the first lookup after an add). */
typedef struct clb__store_idset {
    char **v;
    size_t n, cap;
    bool sorted;
} clb__store_idset;

int clb__store_idset_add(clb__store_idset *s, const char *id);
bool clb__store_idset_has(clb__store_idset *s, const char *id);
void clb__store_idset_dispose(clb__store_idset *s);

/* ---- a worker's history in its columns (db.c) ----------------------------------- */

/* Bind a date as "YYYY-MM-DD", or NULL for CLB_DATE_NONE. */
void clb__store_bind_date(sqlite3_stmt *s, int i, clb_date d);

/* The history columns of a row from column c (campaigns, returned, last_employer,
 * last_return, days_abroad, banned_until); last_employer is borrowed from the row
 * until its next step. */
void clb__store_history_read(clb__history *h, sqlite3_stmt *s, int c);

/* Bind h to parameters i..i+5, in the order of the history columns. */
void clb__store_bind_history(sqlite3_stmt *s, int i, const clb__history *h);

/* A history as JSON, the one form the store writes it in (records, audit rows). */
int clb__store_put_history(clb_buf *out, const clb__history *h);

/* A history as JSON, from the history columns of the row at `c`. */
int clb__store_history_json(clb_buf *out, sqlite3_stmt *s, int c);

/* ---- assembling scenarios and checking changes (assemble.c) ---------------------- */

/* The states of a placement that hold its place: a round pins them. `cancelled` and
 * `declined` do not (a declined pair is banned for the season, a cancelled one not). */
#define CONFIRMED_STATES "('confirmed', 'departed', 'returned', 'not_returned')"

/* The columns of a worker row that clb__store_put_worker_row reads. */
#define WORKER_COLS                                                                   \
    "doc, name, campaigns, returned, last_employer, last_return, days_abroad, "       \
    "banned_until"

typedef struct clb__store_assemble_opts {
    bool round;      /* a round's inputs: open records, previous plan, declined bans */
    bool all;        /* every vacancy, session and programme (export --all) */
    bool names;      /* worker names (export --with-names) */
    bool no_pins;    /* leave the pins out (to judge each pin on its own) */
    long season;     /* the open season (round) */
    const char *name;
} clb__store_assemble_opts;

/* The database as a scenario document (appended to out). */
int clb__store_assemble(clb_buf *out, clb_store *st, const clb__store_assemble_opts *o,
                        clb_error *err);

/* Append a worker record from the WORKER_COLS of a row, from column c, with its
 * history (and name when `names`). CLB_ENOMEM, or CLB_EINTERNAL for a damaged doc. */
int clb__store_put_worker_row(clb_buf *out, sqlite3_stmt *s, int c, bool names);

/* Append `,\n"key":[rows...]` from a query whose column 0 is a record document (or,
 * with worker_rows, the WORKER_COLS). `season` is bound to every parameter when
 * non-zero; *count (may be NULL) receives the number of rows. */
int clb__store_put_array(clb_buf *out, clb_store *st, const char *key, const char *sql,
                         long season, bool worker_rows, bool names, size_t *count,
                         clb_error *err);

/* The first diagnostic of a failed load of an assembled round, as the error. */
int clb__store_assembled_invalid(clb_diags *diags, clb_error *lerr, clb_error *err);

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

/* The next round's inputs (open records, the season's bans and previous plan, without
 * pins), loaded by the scenario reader; CLB_EINVAL when they do not load. For the
 * desk's eligibility look-ups and the pins' eligibility. */
int clb__store_next_round(clb_scenario **out, clb_store *st, clb_error *err);

/* ---- writing records (records.c) ------------------------------------------------- */

/* Scores, bans and pins of a document; pins only with IMPORT_PINS (see import.c). */
#define IMPORT_PINS 0x100u

/* Prepared upserts, shared by import, offers and renew. */
typedef struct clb__store_upserts {
    sqlite3_stmt *employer, *site_del, *site, *worker, *history, *vacancy, *quota,
        *session, *programme, *pair, *stored;
    char now[32];
} clb__store_upserts;

int clb__store_upserts_init(clb__store_upserts *u, clb_store *st, clb_error *err);
void clb__store_upserts_dispose(clb__store_upserts *u);

/* Upsert employer i of sc with its sites; `source` (may be NULL) is the feed. */
int clb__store_write_employer(clb_store *st, clb__store_upserts *u, const clb_scenario *sc,
                              size_t i, const char *source, clb_error *err);
/* Upsert worker i of sc and, as the history rule of import says, its history
 * (CLB_IMPORT_HISTORY: always); counted in stats. */
int clb__store_write_worker(clb_store *st, clb__store_upserts *u, const clb_scenario *sc,
                            size_t i, unsigned flags, clb_import_stats *stats,
                            clb_error *err);
int clb__store_write_vacancy(clb_store *st, clb__store_upserts *u, const clb_scenario *sc,
                             size_t i, const char *source, clb_error *err);
/* A quota, session or programme (kind) i of sc. */
int clb__store_write_simple(clb_store *st, clb__store_upserts *u, const clb_scenario *sc,
                            clb_kind kind, size_t i, clb_error *err);
int clb__store_write_pairs(clb_store *st, clb__store_upserts *u, const clb_scenario *sc,
                           unsigned flags, clb_import_stats *stats, clb_error *err);
int clb__store_write_policy(clb_store *st, const clb_scenario *sc, clb_error *err);

/* ---- pins (pins.c) --------------------------------------------------------------- */

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

/* ---- reading rounds back (show.c) ------------------------------------------------ */

/* A placement row as people read it. Columns: 0 id, 1 worker, 2 vacancy, 3 employer,
 * 4 site, 5 start, 6 end, 7 value, 8 status, 9 departed_on, 10 returned_on, 11 the
 * round that proposed it. */
#define PLACEMENT_SELECT                                                              \
    "SELECT p.id, p.worker_id, p.vacancy_id, p.employer_id, p.site_id, p.start_date,"  \
    " p.end_date, p.value, p.status, p.departed_on, p.returned_on, p.round_id"         \
    " FROM placements p"

/* The placements a round shows (its own proposals and the confirmed placements of
 * earlier rounds it kept), for a WHERE clause; `param` is the round's parameter. */
#define IN_ROUND(param)                                                               \
    " p.id IN (SELECT placement_id FROM round_placements WHERE round_id = " param ")"

/* How the rows of a query are shown: as JSON objects in an array, or as text lines. */
typedef struct clb__store_rows {
    const char *key;    /* the array's member name (NULL: an array of its own) */
    const char *header; /* text before the rows, even when there is none (or NULL) */
    const char *first;  /* text before the first row only (or NULL) */
    const char *none;   /* text when there is no row (or NULL) */
    void (*json)(clb__jw *j, sqlite3_stmt *s); /* one row's members */
    int (*text)(clb_buf *out, sqlite3_stmt *s, long shown); /* one row's line */
    const char *csv_header; /* the CSV header line (NULL: the list has no CSV form) */
    int (*csv)(clb_buf *out, sqlite3_stmt *s); /* one row's CSV line */
} clb__store_rows;

/* A placement row (PLACEMENT_SELECT) as a CSV line, under PLACEMENT_CSV_HEADER: the
 * one form of `export --what placements` and `placement list --csv` (show.c). */
#define PLACEMENT_CSV_HEADER                                                          \
    "placement,round,worker,vacancy,employer,site,start,end,value,status,departed_on," \
    "returned_on\n"
int clb__store_placement_csv(clb_buf *out, sqlite3_stmt *s);

/* Write every row of s (finalized here) as v says, into out or j (JSON). `shown` is
 * passed to v->text. Returns 0 or CLB_ENOMEM from the text (j keeps its own). */
int clb__store_show_rows(clb_buf *out, clb__jw *j, bool json, sqlite3_stmt *s,
                         const clb__store_rows *v, long shown);

/* A list command's whole answer: the rows of `sql` (bound by `bind` with `payload`
 * when not NULL) as v says; flags CLB_STORE_JSON or CLB_STORE_CSV (CLB_EINVAL when
 * the list has no CSV form). */
int clb__store_show_list(clb_buf *out, clb_store *st, const char *sql,
                         void (*bind)(sqlite3_stmt *s, const void *payload),
                         const void *payload, const clb__store_rows *v, unsigned flags,
                         clb_error *err);

/* 0 when `id` is NULL or names a stored record of kind `what` ("worker", "employer",
 * "vacancy"), else CLB_ENOTFOUND "no WHAT 'ID'". In db.c. */
int clb__store_known(clb_store *st, const char *what, const char *id, clb_error *err);

/* CLB_ENOTFOUND "there is no round N" unless round N exists. */
int clb__store_round_exists(clb_store *st, long round, clb_error *err);

/* A round as text or JSON (flags CLB_STORE_JSON); `brief`: one line of totals
 * instead of the lists (text only). Inside the caller's transaction. */
int clb__store_round_show(clb_buf *out, clb_store *st, long round, unsigned flags,
                          bool brief, clb_error *err);

#endif
