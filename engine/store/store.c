/*
 * store.c - the system of record in SQLite (SPEC section 6): schema and migrations,
 * import, rounds, the placement lifecycle, seasons, the audit log and export.
 *
 * With store_portal.c (employer tokens, the portal's reads and writes), the only file
 * that includes sqlite3.h (through store_impl.h). Each record is kept as the
 * canonical JSON of scenario_save.c in a `doc` column, beside the key columns that
 * queries need; a round's scenario is assembled by concatenating records and read
 * back with the one scenario reader, so the database never has its own idea of what
 * a record means. Worker history lives in columns (season close rewrites it) and is
 * added to the worker's record when a scenario is assembled; worker names live in a
 * column and enter documents only for an export that asks for them.
 *
 * Every public operation is one transaction (BEGIN IMMEDIATE for writers, so two
 * processes queue instead of deadlocking; a 30 s busy timeout), every statement is
 * finalized on every path, and values are always bound, never formatted into SQL.
 * A round is solved outside any transaction on a snapshot of its inputs, then
 * written whole: a crash leaves the database as it was before or after.
 */
#include "circulab/store.h"
#include "circulab/explain.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "io/csv.h"
#include "scenario/diags.h"
#include "rules/eligibility.h"
#include "result/explain.h"
#include "io/json.h"
#include "scenario/scenario_impl.h"
#include "scenario/save.h"
#include "store/store_impl.h"
#include "store/global.h"
#include "circulab/desk.h"
#include "util/alloc.h"
#include "util/jw.h"

#define BUSY_TIMEOUT_MS 30000

/* ---- small helpers ------------------------------------------------------------- */

static int db_error(clb_store *st, clb_error *err, const char *what)
{
    int code = sqlite3_errcode(st->db);
    int rc = clb__error_set(err, CLB_EDB, "database: %s: %s", what, sqlite3_errmsg(st->db));
    if (err && err->lib_code == 0)
        err->lib_code = code;
    return rc;
}

static int oom(clb_error *err)
{
    return clb__error_set(err, CLB_ENOMEM, "out of memory");
}

static int prep(clb_store *st, sqlite3_stmt **out, const char *sql, clb_error *err)
{
    *out = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK) {
        sqlite3_finalize(*out);
        *out = NULL;
        return db_error(st, err, "prepare");
    }
    return 0;
}

static int exec_sql(clb_store *st, const char *sql, clb_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = clb__error_set(err, CLB_EDB, "database: %s",
                               msg ? msg : sqlite3_errmsg(st->db));
        if (err && err->lib_code == 0)
            err->lib_code = sqlite3_errcode(st->db);
        sqlite3_free(msg);
        return rc;
    }
    return 0;
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

static const char *col_text(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? (const char *)t : NULL;
}

static const char *col_text0(sqlite3_stmt *s, int i)
{
    const char *t = col_text(s, i);
    return t ? t : "";
}

/* Run a statement that returns no rows, then reset it for reuse. */
static int step_done(clb_store *st, sqlite3_stmt *s, clb_error *err)
{
    int rc;
    /* SQLite rolls a transaction back by itself after some errors (out of memory
     * among them), even in a statement whose failure its caller took for "no row";
     * a write after that would be committed on its own: refused */
    if (st->tx_depth > 0 && sqlite3_get_autocommit(st->db)) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        return clb__error_set(err, CLB_EDB, "database: the transaction was rolled back");
    }
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_error(st, err, "write");
    return 0;
}

static void now_iso(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void today(char out[16])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = clb__malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* ---- transactions -------------------------------------------------------------- */

static int tx_begin(clb_store *st, clb_error *err)
{
    if (st->tx_depth++ > 0)
        return 0;
    st->tx_failed = false;
    st->tx_alloc_failures = clb__alloc_failures();
    if (exec_sql(st, "BEGIN IMMEDIATE", err) < 0) {
        st->tx_depth = 0;
        return err ? err->code : CLB_EDB;
    }
    return 0;
}

/* End a transaction level: commit at the outermost level when everything went
 * well, roll back otherwise. Returns `error`, or the commit's error. */
static int tx_end(clb_store *st, int error, clb_error *err)
{
    if (st->tx_depth <= 0)
        return error;
    if (error < 0)
        st->tx_failed = true;
    if (--st->tx_depth > 0)
        return error;
    if (clb__alloc_failures() != st->tx_alloc_failures) {
        /* An allocation failed while the transaction ran, and the step that met it
         * may have gone on without it: SQLite binds NULL when it cannot copy a value
         * (a ban silently dropped), a query that failed reads as "no row" (then "no
         * open season", or a made-up validation problem), a buffer may have stopped
         * growing. Nothing of such a transaction is committed, and the error is what
         * it really was. */
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        clb_error_init(err);
        return clb__error_set(err, CLB_ENOMEM, "out of memory; nothing was written");
    }
    if (st->tx_failed) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return error;
    }
    if (exec_sql(st, "COMMIT", err) < 0) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return err ? err->code : CLB_EDB;
    }
    return error;
}

int clb_store_begin(clb_store *st, clb_error *err)
{
    if (st->tx_depth > 0)
        return clb__error_set(err, CLB_EINTERNAL, "a transaction is already open");
    return tx_begin(st, err);
}

int clb_store_commit(clb_store *st, clb_error *err)
{
    return tx_end(st, 0, err);
}

void clb_store_rollback(clb_store *st)
{
    if (st->tx_depth > 0) {
        st->tx_depth = 1;
        tx_end(st, CLB_EINTERNAL, NULL);
    }
}

/* A read snapshot: a deferred transaction, so concurrent writers are not blocked. */
static int read_begin(clb_store *st, clb_error *err)
{
    if (st->tx_depth++ > 0)
        return 0;
    st->tx_failed = false;
    st->tx_alloc_failures = clb__alloc_failures();
    if (exec_sql(st, "BEGIN", err) < 0) {
        st->tx_depth = 0;
        return err ? err->code : CLB_EDB;
    }
    return 0;
}

/* ---- audit --------------------------------------------------------------------- */

static int audit(clb_store *st, const char *action, const char *object, const char *before,
                 const char *after, const char *detail, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    char now[32];
    int error;
    now_iso(now);
    if ((error = prep(st, &s,
                      "INSERT INTO audit(at, actor, action, object, before, after, detail)"
                      " VALUES (?,?,?,?,?,?,?)",
                      err)) < 0)
        return error;
    bind_text(s, 1, now);
    bind_text(s, 2, st->actor ? st->actor : "unknown");
    bind_text(s, 3, action);
    bind_text(s, 4, object);
    bind_text(s, 5, before);
    bind_text(s, 6, after);
    bind_text(s, 7, detail);
    error = step_done(st, s, err);
    sqlite3_finalize(s);
    return error;
}

/* ---- shared with the other files of the store (store_impl.h) ------------------- */

int clb__store_db_error(clb_store *st, clb_error *err, const char *what)
{
    return db_error(st, err, what);
}

int clb__store_prep(clb_store *st, sqlite3_stmt **out, const char *sql, clb_error *err)
{
    return prep(st, out, sql, err);
}

void clb__store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
    bind_text(s, i, v);
}

const char *clb__store_col_text(sqlite3_stmt *s, int i)
{
    return col_text(s, i);
}

int clb__store_step_done(clb_store *st, sqlite3_stmt *s, clb_error *err)
{
    return step_done(st, s, err);
}

void clb__store_now_iso(char out[32])
{
    now_iso(out);
}

int clb__store_tx_begin(clb_store *st, clb_error *err)
{
    return tx_begin(st, err);
}

int clb__store_tx_end(clb_store *st, int error, clb_error *err)
{
    return tx_end(st, error, err);
}

int clb__store_read_begin(clb_store *st, clb_error *err)
{
    return read_begin(st, err);
}

int clb__store_audit(clb_store *st, const char *action, const char *object,
                     const char *before, const char *after, const char *detail,
                     clb_error *err)
{
    return audit(st, action, object, before, after, detail, err);
}

/* ---- schema -------------------------------------------------------------------- */

static const char *const migration_1[] = {
    "CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n",
    "CREATE TABLE seasons(id INTEGER PRIMARY KEY, name TEXT NOT NULL,\n"
    "  opened_at TEXT NOT NULL, closed_at TEXT, close_date TEXT, closed_by TEXT);\n",
    "CREATE TABLE employers(id TEXT PRIMARY KEY, name TEXT, region TEXT NOT NULL,\n"
    "  source TEXT, doc TEXT NOT NULL, updated_at TEXT NOT NULL);\n",
    "CREATE TABLE sites(id TEXT PRIMARY KEY,\n"
    "  employer_id TEXT NOT NULL REFERENCES employers(id),\n"
    "  region TEXT NOT NULL, beds INTEGER);\n",
    "CREATE INDEX sites_employer ON sites(employer_id);\n",
    "CREATE TABLE workers(id TEXT PRIMARY KEY, name TEXT, country TEXT NOT NULL,\n"
    "  region TEXT, active INTEGER NOT NULL DEFAULT 1, doc TEXT NOT NULL,\n"
    "  campaigns INTEGER NOT NULL DEFAULT 0, returned INTEGER NOT NULL DEFAULT 0,\n"
    "  last_employer TEXT, last_return TEXT, days_abroad INTEGER NOT NULL DEFAULT 0,\n"
    "  banned_until TEXT, updated_at TEXT NOT NULL);\n",
    "CREATE TABLE vacancies(id TEXT PRIMARY KEY,\n"
    "  employer_id TEXT NOT NULL REFERENCES employers(id), site_id TEXT NOT NULL,\n"
    "  start_date TEXT NOT NULL, end_date TEXT NOT NULL, headcount INTEGER NOT NULL,\n"
    "  status TEXT NOT NULL DEFAULT 'open'\n"
    "    CHECK (status IN ('open', 'withdrawn', 'closed')),\n"
    "  source TEXT, doc TEXT NOT NULL, updated_at TEXT NOT NULL);\n",
    "CREATE INDEX vacancies_status ON vacancies(status);\n",
    "CREATE TABLE quotas(id TEXT PRIMARY KEY, doc TEXT NOT NULL,\n"
    "  updated_at TEXT NOT NULL);\n",
    "CREATE TABLE sessions(id TEXT PRIMARY KEY, course TEXT NOT NULL,\n"
    "  country TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL,\n"
    "  capacity INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'open'\n"
    "    CHECK (status IN ('open', 'closed')),\n"
    "  doc TEXT NOT NULL, updated_at TEXT NOT NULL);\n",
    "CREATE TABLE programmes(id TEXT PRIMARY KEY, country TEXT NOT NULL,\n"
    "  start_date TEXT NOT NULL, end_date TEXT NOT NULL, capacity INTEGER NOT NULL,\n"
    "  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),\n"
    "  doc TEXT NOT NULL, updated_at TEXT NOT NULL);\n",
    "CREATE TABLE pairs(kind TEXT NOT NULL CHECK (kind IN ('score', 'pin', 'ban')),\n"
    "  worker_id TEXT NOT NULL, vacancy_id TEXT NOT NULL DEFAULT '',\n"
    "  employer_id TEXT NOT NULL DEFAULT '', value REAL, doc TEXT NOT NULL,\n"
    "  PRIMARY KEY (kind, worker_id, vacancy_id, employer_id));\n",
    "CREATE TABLE sources(id TEXT PRIMARY KEY, url TEXT NOT NULL,\n"
    "  settings TEXT NOT NULL DEFAULT '{}', etag TEXT, last_modified TEXT,\n"
    "  added_at TEXT NOT NULL, added_by TEXT);\n",
    "CREATE TABLE fetch_log(id INTEGER PRIMARY KEY, source_id TEXT NOT NULL,\n"
    "  at TEXT NOT NULL, status TEXT NOT NULL, http_status INTEGER, pages INTEGER,\n"
    "  offers INTEGER, rejected INTEGER, message TEXT, started_at TEXT,\n"
    "  finished_at TEXT, added INTEGER, updated INTEGER, withdrawn INTEGER);\n",
    "CREATE TABLE rounds(id INTEGER PRIMARY KEY,\n"
    "  season_id INTEGER NOT NULL REFERENCES seasons(id), name TEXT,\n"
    "  created_at TEXT NOT NULL, created_by TEXT NOT NULL,\n"
    "  fingerprint TEXT NOT NULL, policy TEXT NOT NULL, status TEXT NOT NULL,\n"
    "  objective REAL NOT NULL, bound REAL, gap REAL, time_limit REAL,\n"
    "  started_at TEXT NOT NULL, finished_at TEXT NOT NULL,\n"
    "  seconds_solve REAL NOT NULL, seconds_total REAL NOT NULL,\n"
    "  n_workers INTEGER NOT NULL, n_vacancies INTEGER NOT NULL,\n"
    "  n_pairs INTEGER NOT NULL, conflicts TEXT NOT NULL DEFAULT '[]',\n"
    "  inputs TEXT NOT NULL, result TEXT NOT NULL);\n",
    "CREATE TABLE placements(id INTEGER PRIMARY KEY,\n"
    "  round_id INTEGER NOT NULL REFERENCES rounds(id),\n"
    "  worker_id TEXT NOT NULL REFERENCES workers(id),\n"
    "  vacancy_id TEXT NOT NULL REFERENCES vacancies(id),\n"
    "  employer_id TEXT NOT NULL, site_id TEXT NOT NULL,\n"
    "  start_date TEXT NOT NULL, end_date TEXT NOT NULL, value REAL NOT NULL,\n"
    "  status TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed', 'declined',\n"
    "    'departed', 'returned', 'not_returned', 'carried')),\n"
    "  carried_from INTEGER REFERENCES placements(id),\n"
    "  departed_on TEXT, returned_on TEXT, updated_at TEXT NOT NULL,\n"
    "  UNIQUE (round_id, worker_id, vacancy_id));\n",
    "CREATE INDEX placements_worker ON placements(worker_id);\n",
    "CREATE INDEX placements_status ON placements(status);\n",
    "CREATE TABLE training(round_id INTEGER NOT NULL REFERENCES rounds(id),\n"
    "  worker_id TEXT NOT NULL, session_id TEXT NOT NULL, course TEXT NOT NULL,\n"
    "  PRIMARY KEY (round_id, worker_id, session_id));\n",
    "CREATE TABLE reintegration(round_id INTEGER NOT NULL REFERENCES rounds(id),\n"
    "  worker_id TEXT NOT NULL, programme_id TEXT NOT NULL,\n"
    "  PRIMARY KEY (round_id, worker_id));\n",
    "CREATE TABLE reserve(round_id INTEGER NOT NULL REFERENCES rounds(id),\n"
    "  vacancy_id TEXT NOT NULL, rank INTEGER NOT NULL, worker_id TEXT NOT NULL,\n"
    "  value REAL NOT NULL, PRIMARY KEY (round_id, vacancy_id, rank));\n",
    "CREATE TABLE round_vacancies(round_id INTEGER NOT NULL REFERENCES rounds(id),\n"
    "  vacancy_id TEXT NOT NULL, headcount INTEGER NOT NULL, filled INTEGER NOT NULL,\n"
    "  PRIMARY KEY (round_id, vacancy_id));\n",
    "CREATE TABLE audit(id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,\n"
    "  action TEXT NOT NULL, object TEXT, before TEXT, after TEXT, detail TEXT);\n",
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit\n"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;\n",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit\n"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;\n",
    NULL};

/* Employers' portal tokens (SPEC section 8): the public id and the SHA-256 of the
 * secret, never the token; revoking deletes the row (the audit log keeps it). */
static const char *const migration_2[] = {
    "CREATE TABLE employer_tokens(id TEXT PRIMARY KEY,\n"
    "  employer_id TEXT NOT NULL REFERENCES employers(id), label TEXT NOT NULL,\n"
    "  hash TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT,\n"
    "  last_used TEXT, UNIQUE (employer_id, label));\n",
    NULL};

/*
 * Credentials in URLs (`http://user:secret@host/`). Earlier versions accepted them in
 * `source add`, so they sit in sources.url, in fetch log messages and in the audit
 * log (the source.add entry's `after`, errors in `detail`). This migration redacts
 * them with the SQL function redact_credentials(text, strip) (registered on every
 * connection, see register_functions): the userinfo becomes "***", or with strip = 1
 * (for sources.url, which is fetched again) disappears.
 *
 * The audit log is append-only, enforced by the trigger audit_no_update. This is
 * the one deliberate exception: the migration drops that trigger, rewrites only the
 * rows that hold credentials, and creates the trigger again with the very same
 * definition, all inside the migration's transaction (migrate() runs every statement
 * of a migration in one BEGIN IMMEDIATE ... COMMIT): no other connection ever sees
 * the log without its trigger, and a failure anywhere rolls all of it back. An audit
 * entry `schema.redact` then records how many entries and rows were redacted (only
 * when there were some). secure_delete overwrites the old text in freed space.
 */
static const char *const migration_3[] = {
    "PRAGMA secure_delete = ON;\n",
    "CREATE TEMP TABLE redacted(audit INTEGER, fetch_log INTEGER, sources INTEGER);\n",
    "INSERT INTO temp.redacted SELECT\n"
    "  (SELECT count(*) FROM audit WHERE\n"
    "     object IS NOT redact_credentials(object, 0) OR\n"
    "     before IS NOT redact_credentials(before, 0) OR\n"
    "     after IS NOT redact_credentials(after, 0) OR\n"
    "     detail IS NOT redact_credentials(detail, 0)),\n"
    "  (SELECT count(*) FROM fetch_log WHERE message IS NOT redact_credentials(message, 0)),\n"
    "  (SELECT count(*) FROM sources WHERE url IS NOT redact_credentials(url, 1));\n",
    "DROP TRIGGER audit_no_update;\n",
    "UPDATE audit SET object = redact_credentials(object, 0),\n"
    "  before = redact_credentials(before, 0), after = redact_credentials(after, 0),\n"
    "  detail = redact_credentials(detail, 0)\n"
    "  WHERE object IS NOT redact_credentials(object, 0) OR\n"
    "    before IS NOT redact_credentials(before, 0) OR\n"
    "    after IS NOT redact_credentials(after, 0) OR\n"
    "    detail IS NOT redact_credentials(detail, 0);\n",
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit\n"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;\n",
    "UPDATE fetch_log SET message = redact_credentials(message, 0)\n"
    "  WHERE message IS NOT redact_credentials(message, 0);\n",
    "UPDATE sources SET url = redact_credentials(url, 1)\n"
    "  WHERE url IS NOT redact_credentials(url, 1);\n",
    "INSERT INTO audit(at, actor, action, object, detail)\n"
    "  SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'circulab', 'schema.redact',\n"
    "    'database', json_object('reason', 'credentials in urls',\n"
    "      'audit_entries', audit, 'fetch_log_rows', fetch_log, 'sources', sources)\n"
    "  FROM temp.redacted WHERE audit + fetch_log + sources > 0;\n",
    "DROP TABLE temp.redacted;\n",
    NULL};

/*
 * Migration 4, the placement lifecycle: one placement keeps one id for its whole life
 * whichever round shows it, and a confirmed placement can be `cancelled`.
 * `round_placements` says which placements each round shows; `placements.round_id`
 * is the round that first proposed the placement. The rows that versions 1-3 wrote for
 * a confirmed placement repeated by a later round (state `carried`, `carried_from` =
 * the original) become links from that round to the original, and the table is
 * rebuilt without `carried_from` and with the new state in its CHECK (SQLite cannot
 * change a CHECK in place).
 */
static const char *const migration_4[] = {
    "CREATE TEMP TABLE carried_map AS SELECT round_id, carried_from AS placement_id\n"
    "  FROM placements WHERE carried_from IS NOT NULL;\n",
    "CREATE TABLE placements_v2(id INTEGER PRIMARY KEY,\n"
    "  round_id INTEGER NOT NULL REFERENCES rounds(id),\n"
    "  worker_id TEXT NOT NULL REFERENCES workers(id),\n"
    "  vacancy_id TEXT NOT NULL REFERENCES vacancies(id),\n"
    "  employer_id TEXT NOT NULL, site_id TEXT NOT NULL,\n"
    "  start_date TEXT NOT NULL, end_date TEXT NOT NULL, value REAL NOT NULL,\n"
    "  status TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed', 'declined',\n"
    "    'cancelled', 'departed', 'returned', 'not_returned')),\n"
    "  departed_on TEXT, returned_on TEXT, updated_at TEXT NOT NULL,\n"
    "  UNIQUE (round_id, worker_id, vacancy_id));\n",
    "INSERT INTO placements_v2(id, round_id, worker_id, vacancy_id, employer_id, site_id,\n"
    "  start_date, end_date, value, status, departed_on, returned_on, updated_at)\n"
    "  SELECT id, round_id, worker_id, vacancy_id, employer_id, site_id, start_date,\n"
    "  end_date, value, status, departed_on, returned_on, updated_at FROM placements\n"
    "  WHERE carried_from IS NULL;\n",
    "DROP TABLE placements;\n",
    "ALTER TABLE placements_v2 RENAME TO placements;\n",
    "CREATE INDEX placements_worker ON placements(worker_id);\n",
    "CREATE INDEX placements_status ON placements(status);\n",
    "CREATE TABLE round_placements(round_id INTEGER NOT NULL REFERENCES rounds(id),\n"
    "  placement_id INTEGER NOT NULL REFERENCES placements(id),\n"
    "  PRIMARY KEY (round_id, placement_id));\n",
    "CREATE INDEX round_placements_placement ON round_placements(placement_id);\n",
    "INSERT INTO round_placements(round_id, placement_id)\n"
    "  SELECT round_id, id FROM placements;\n",
    "INSERT OR IGNORE INTO round_placements(round_id, placement_id)\n"
    "  SELECT round_id, placement_id FROM carried_map;\n",
    "DROP TABLE temp.carried_map;\n",
    NULL};

/* The agency's mapping tables (include/circulab/maps.h): `key` is the normalised
 * text matched on, `text` the text as it was typed. */
static const char *const migration_5[] = {
    "CREATE TABLE value_maps(kind TEXT NOT NULL\n"
    "  CHECK (kind IN ('region', 'occupation', 'employer')),\n"
    "  key TEXT NOT NULL, text TEXT NOT NULL, target TEXT NOT NULL,\n"
    "  added_at TEXT NOT NULL, added_by TEXT, PRIMARY KEY (kind, key));\n",
    NULL};

/* Migration i brings the schema from version i to i+1: a NULL-terminated list of
 * statements. Never edit a released one: append a new one. */
static const char *const *const migrations[] = {migration_1, migration_2, migration_3,
                                                 migration_4, migration_5};

#define N_MIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))

/* ---- SQL functions ---------------------------------------------------------------- */

/* Does c end the authority part of a URL inside free text? */
static bool authority_end(char c)
{
    return c == '\0' || strchr("/?#\"'<>\\ \t\r\n,;)]}", c) != NULL;
}

/*
 * redact_credentials(text, strip): every "scheme://user:password@host" in text loses
 * its userinfo, replaced by "***" (strip = 0) or removed (strip = 1). NULL stays NULL.
 */
static void sql_redact_credentials(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *in = (const char *)sqlite3_value_text(argv[0]);
    bool strip = argc > 1 && sqlite3_value_int(argv[1]) != 0;
    clb_buf out = CLB_BUF_INIT;
    const char *p;
    bool changed = false;
    int rc = 0;
    if (!in) {
        sqlite3_result_null(ctx);
        return;
    }
    p = in;
    while (rc == 0 && *p) {
        const char *sep = strstr(p, "://"), *auth, *end, *at = NULL;
        if (!sep) {
            rc = clb__buf_puts(&out, p);
            break;
        }
        auth = sep + 3;
        for (end = auth; !authority_end(*end); end++)
            if (*end == '@')
                at = end;
        rc = clb__buf_put(&out, p, (size_t)(auth - p));
        if (rc == 0 && at) {
            changed = true;
            rc = strip ? clb__buf_put(&out, at + 1, (size_t)(end - at - 1))
                       : clb__buf_put(&out, "***", 3) || clb__buf_put(&out, at, (size_t)(end - at));
        } else if (rc == 0) {
            rc = clb__buf_put(&out, auth, (size_t)(end - auth));
        }
        p = end;
    }
    if (rc < 0)
        sqlite3_result_error_nomem(ctx);
    else if (!changed)
        sqlite3_result_value(ctx, argv[0]);
    else
        sqlite3_result_text(ctx, out.ptr ? out.ptr : "", (int)out.size, SQLITE_TRANSIENT);
    clb_buf_dispose(&out);
}

/* Functions the schema's migrations call; registered on every connection. */
static int register_functions(clb_store *st, clb_error *err)
{
    if (sqlite3_create_function(st->db, "redact_credentials", 2,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                                NULL, sql_redact_credentials, NULL, NULL) != SQLITE_OK)
        return db_error(st, err, "register functions");
    return 0;
}

static int read_version(clb_store *st, int *out, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = prep(st, &s, "PRAGMA user_version", err);
    if (error < 0)
        return error;
    if (sqlite3_step(s) == SQLITE_ROW)
        *out = sqlite3_column_int(s, 0);
    else
        error = db_error(st, err, "read schema version");
    sqlite3_finalize(s);
    return error;
}

static int migrate(clb_store *st, clb_error *err)
{
    int version = 0, error;
    char sql[64], now[32];

    if ((error = read_version(st, &version, err)) < 0)
        return error;
    if (version > (int)N_MIGRATIONS)
        return clb__error_set(err, CLB_EDB,
                             "database schema version %d is newer than this circulab "
                             "supports (%d)",
                             version, (int)N_MIGRATIONS);
    if (version == (int)N_MIGRATIONS) {
        st->version = version;
        return 0;
    }
    if ((error = tx_begin(st, err)) < 0)
        return error;
    /* another process may have migrated while we waited for the lock */
    if ((error = read_version(st, &version, err)) < 0)
        goto done;
    if (version == 0) {
        /* a fresh file must be empty: refuse to take over someone else's database */
        sqlite3_stmt *s = NULL;
        if ((error = prep(st, &s, "SELECT count(*) FROM sqlite_master", err)) < 0)
            goto done;
        if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) > 0)
            error = clb__error_set(err, CLB_EDB,
                                  "'%s' is an sqlite database but not a circulab one",
                                  st->path);
        sqlite3_finalize(s);
        if (error < 0)
            goto done;
    }
    for (int v = version; v < (int)N_MIGRATIONS; v++) {
        for (const char *const *q = migrations[v]; *q && error == 0; q++)
            error = exec_sql(st, *q, err);
        if (error < 0)
            goto done;
        if (v == 0) {
            sqlite3_stmt *s = NULL;
            now_iso(now);
            if ((error = prep(st, &s,
                              "INSERT INTO seasons(id, name, opened_at) "
                              "VALUES (1, 'season 1', ?)",
                              err)) < 0)
                goto done;
            bind_text(s, 1, now);
            error = step_done(st, s, err);
            sqlite3_finalize(s);
            if (error < 0)
                goto done;
        }
    }
    snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", (int)N_MIGRATIONS);
    if ((error = exec_sql(st, sql, err)) < 0)
        goto done;
    error = audit(st, "schema.migrate", "database", NULL, NULL, NULL, err);
    st->version = (int)N_MIGRATIONS;
done:
    return tx_end(st, error, err);
}

/*
 * The database holds personal data: the file and its -wal and -shm companions are
 * mode 0600 whoever created them (a `touch`ed file, an old version's 0644 file, a
 * copy). Checked on every open, not only at creation. SQLite gives the companions it
 * creates the mode of the database file, so fixing the file first covers new ones.
 * A read-only open of someone else's file cannot change its mode and is not refused
 * for that; a read-write open is, since it would keep writing personal data into a
 * file others can read.
 */
static int make_private(const char *path, bool readonly, clb_error *err)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    int error = 0;

    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]) && error == 0; i++) {
        char name[4096];
        struct stat sb;
        if ((size_t)snprintf(name, sizeof(name), "%s%s", path, suffixes[i]) >=
            sizeof(name))
            return clb__error_set(err, CLB_EIO, "database path too long");
        if (stat(name, &sb) != 0 || !S_ISREG(sb.st_mode) || (sb.st_mode & 0077) == 0)
            continue;
        if (chmod(name, sb.st_mode & 0700) != 0 && !readonly) {
            error = clb__error_set(err, CLB_EIO,
                                  "cannot make '%s' private (mode 0600): %s", name,
                                  strerror(errno));
            clb__error_set_source(err, path);
        }
    }
    return error;
}

/* Journal mode, foreign keys and the schema: what every open sets up. */
static int open_setup(clb_store *st, unsigned flags, clb_error *err)
{
    int error;

    if ((error = exec_sql(st, "PRAGMA foreign_keys = ON", err)) < 0 ||
        (error = register_functions(st, err)) < 0)
        return error;
    if (!(flags & CLB_STORE_READONLY)) {
        sqlite3_stmt *s = NULL;
        /* WAL: readers never block the writer, and a commit is one append */
        if ((error = prep(st, &s, "PRAGMA journal_mode = WAL", err)) < 0)
            return error;
        if (sqlite3_step(s) != SQLITE_ROW) {
            error = db_error(st, err, "cannot use this file as a database");
            sqlite3_finalize(s);
            return error;
        }
        sqlite3_finalize(s);
        if ((error = exec_sql(st, "PRAGMA synchronous = FULL", err)) < 0)
            return error;
        return migrate(st, err);
    }
    if ((error = read_version(st, &st->version, err)) < 0)
        return error;
    if (st->version != (int)N_MIGRATIONS)
        return clb__error_set(err, CLB_EDB, "database '%s' has schema version %d, expected %d",
                             st->path, st->version, (int)N_MIGRATIONS);
    return 0;
}

/*
 * Is this failure another process holding the database? Several processes opening a
 * new file at once (`init` run in parallel) race through its first journal-mode
 * switch and schema transaction, where SQLite can answer "database is locked"
 * without waiting on the busy timeout (a lock upgrade that could deadlock).
 */
static bool is_busy(const clb_error *e)
{
    return e->code == CLB_EDB && (e->lib_code == SQLITE_BUSY || e->lib_code == SQLITE_LOCKED);
}

int clb_store_open(clb_store **out, const char *path, unsigned flags, clb_error *err)
{
    clb_store *st = NULL;
    int error = 0, oflags;
    struct stat sb;
    clb_error attempt;
    double deadline = clb__now_seconds() + BUSY_TIMEOUT_MS / 1000.0;

    *out = NULL;
    if (!path || !*path)
        return clb__error_set(err, CLB_EINVAL, "no database path");
    if (stat(path, &sb) != 0) {
        if (!(flags & CLB_STORE_CREATE)) {
            error = clb__error_set(err, CLB_EIO,
                                  "database '%s' does not exist; run 'circulab init'",
                                  path);
            clb__error_set_source(err, path);
            return error;
        }
        /* create the file ourselves, so that it is private from the first byte */
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd < 0 && errno != EEXIST) {
            error = clb__error_set(err, CLB_EIO, "cannot create '%s': %s", path,
                                  strerror(errno));
            clb__error_set_source(err, path);
            return error;
        }
        if (fd >= 0)
            close(fd);
    } else if (!S_ISREG(sb.st_mode)) {
        return clb__error_set(err, CLB_EIO, "'%s' is not a regular file", path);
    }
    if ((error = make_private(path, flags & CLB_STORE_READONLY, err)) < 0)
        return error;
    oflags = (flags & CLB_STORE_READONLY) ? SQLITE_OPEN_READONLY
                                          : SQLITE_OPEN_READWRITE;
    /* Set-up is retried, on a fresh connection, while another process holds the file;
     * the busy timeout bounds the whole. */
    for (unsigned n = 0;; n++) {
        clb_error_init(&attempt);
        st = clb__calloc(1, sizeof(*st));
        if (!st || !(st->path = xstrdup(path)) || !(st->actor = xstrdup("unknown"))) {
            error = oom(&attempt);
            break;
        }
        if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK) {
            error = clb__error_set(&attempt, CLB_EDB, "cannot open database '%s': %s", path,
                                  st->db ? sqlite3_errmsg(st->db) : "out of memory");
            break;
        }
        sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
        sqlite3_extended_result_codes(st->db, 0);
        if ((error = open_setup(st, flags, &attempt)) == 0 || !is_busy(&attempt) ||
            clb__now_seconds() > deadline)
            break;
        clb_store_close(st);
        st = NULL;
        {
            /* 5 to 40 ms, different in each process so that they do not collide again */
            long ms = 5 + (long)(((unsigned)getpid() * 2654435761u + n * 40503u) % 36u);
            struct timespec ts = {0, ms * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    if (error < 0) {
        if (err && !err->message[0])
            *err = attempt;
        if (err && !err->source[0])
            clb__error_set_source(err, path);
        clb_store_close(st);
        return error;
    }
    *out = st;
    return 0;
}

void clb_store_close(clb_store *st)
{
    if (!st)
        return;
    if (st->tx_depth > 0)
        clb_store_rollback(st);
    sqlite3_close_v2(st->db);
    clb__free(st->path);
    clb__free(st->actor);
    clb__free(st);
}

int clb_store_schema_version(const clb_store *st)
{
    return st->version;
}

int clb_store_set_actor(clb_store *st, const char *actor)
{
    char *p = xstrdup(actor && *actor ? actor : "unknown");
    if (!p)
        return CLB_ENOMEM;
    clb__free(st->actor);
    st->actor = p;
    return 0;
}

/* ---- reading state ------------------------------------------------------------- */

static int open_season(clb_store *st, long *out, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = prep(st, &s, "SELECT max(id) FROM seasons WHERE closed_at IS NULL", err);
    if (error < 0)
        return error;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        *out = (long)sqlite3_column_int64(s, 0);
    else
        error = clb__error_set(err, CLB_EINTERNAL, "the database has no open season");
    sqlite3_finalize(s);
    return error;
}

/* Append the stored policy document, or nothing when none is stored. */
static int policy_doc(clb_buf *out, clb_store *st, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = prep(st, &s, "SELECT value FROM settings WHERE key = 'policy'", err);
    if (error < 0)
        return error;
    if (sqlite3_step(s) == SQLITE_ROW && clb__buf_puts(out, col_text0(s, 0)) < 0)
        error = oom(err);
    sqlite3_finalize(s);
    return error;
}

/* The stored policy, read through the scenario reader (defaults when none). */
static int load_policy(clb_policy *out, clb_store *st, clb_error *err)
{
    clb_buf doc = CLB_BUF_INIT, pol = CLB_BUF_INIT;
    clb_scenario *sc = NULL;
    int error;

    clb__policy_defaults(out);
    if ((error = policy_doc(&pol, st, err)) < 0 || pol.size == 0)
        goto done;
    if (clb__buf_printf(&doc,
                       "{\"format\":\"circulab-scenario/1\",\"policy\":%s,"
                       "\"workers\":[],\"employers\":[],\"vacancies\":[]}",
                       pol.ptr) < 0) {
        error = oom(err);
        goto done;
    }
    if ((error = clb_scenario_load_buffer(&sc, doc.ptr, doc.size, "stored policy", NULL,
                                          err)) < 0)
        goto done;
    *out = sc->policy;
    /* allowed_countries points into the scenario: the callers only need numbers */
    out->has_allowed_countries = false;
    out->allowed_countries.v = NULL;
    out->allowed_countries.n = 0;
done:
    clb_scenario_free(sc);
    clb_buf_dispose(&doc);
    clb_buf_dispose(&pol);
    return error;
}

/* ---- assembling a scenario from the database ----------------------------------- */

/* The states of a placement that hold its place: a round pins them. `cancelled` and
 * `declined` do not (a declined pair is banned for the season, a cancelled one not). */
#define CONFIRMED_STATES "('confirmed', 'departed', 'returned', 'not_returned')"

typedef struct assemble_opts {
    bool round;      /* a round's inputs: open records, previous plan, declined bans */
    bool all;        /* every vacancy, session and programme (export --all) */
    bool names;      /* worker names (export --with-names) */
    bool no_pins;    /* leave the pins out (to judge each pin on its own) */
    long season;     /* the open season (round) */
    const char *name;
} assemble_opts;

/* Append a worker record from a row (doc, name, history columns) with its history. */
static int put_worker_row(clb_buf *out, sqlite3_stmt *s, int c, bool names)
{
    /* columns c..: doc, name, campaigns, returned, last_employer, last_return,
     * days_abroad, banned_until */
    const char *doc = col_text0(s, c);
    size_t n = strlen(doc);
    int rc;
    if (n < 2 || doc[n - 1] != '}')
        return CLB_EINTERNAL;
    rc = clb__buf_put(out, doc, n - 1);
    if (rc == 0 && names && col_text(s, c + 1)) {
        rc = clb__buf_puts(out, ",\"name\":");
        if (rc == 0)
            rc = clb__buf_put_json_string(out, col_text(s, c + 1));
    }
    if (rc == 0)
        rc = clb__buf_printf(out, ",\"history\":{\"campaigns\":%d,\"returned\":%s",
                            sqlite3_column_int(s, c + 2),
                            sqlite3_column_int(s, c + 3) ? "true" : "false");
    if (rc == 0 && col_text(s, c + 4)) {
        rc = clb__buf_puts(out, ",\"last_employer\":");
        if (rc == 0)
            rc = clb__buf_put_json_string(out, col_text(s, c + 4));
    }
    if (rc == 0 && col_text(s, c + 5))
        rc = clb__buf_printf(out, ",\"last_return\":\"%s\"", col_text(s, c + 5));
    if (rc == 0)
        rc = clb__buf_printf(out, ",\"days_abroad\":%d", sqlite3_column_int(s, c + 6));
    if (rc == 0 && col_text(s, c + 7))
        rc = clb__buf_printf(out, ",\"banned_until\":\"%s\"", col_text(s, c + 7));
    if (rc == 0)
        rc = clb__buf_puts(out, "}}");
    return rc < 0 ? CLB_ENOMEM : 0;
}

#define WORKER_COLS                                                                   \
    "doc, name, campaigns, returned, last_employer, last_return, days_abroad, "       \
    "banned_until"

/*
 * Append `"key":[rows...]` from a query whose column 0 is a record document (or, with
 * worker_rows, the WORKER_COLS). `season` is bound to every parameter of the query
 * when non-zero. Returns 0 or an error; *count receives the number of rows.
 */
static int put_array(clb_buf *out, clb_store *st, const char *key, const char *sql,
                     long season, bool worker_rows, bool names, size_t *count,
                     clb_error *err)
{
    sqlite3_stmt *s = NULL;
    size_t n = 0;
    int rc, error = prep(st, &s, sql, err);
    if (error < 0)
        return error;
    for (int i = 1; i <= sqlite3_bind_parameter_count(s); i++)
        sqlite3_bind_int64(s, i, season);
    rc = clb__buf_printf(out, ",\n\"%s\":[", key);
    while (rc == 0 && (error = sqlite3_step(s)) == SQLITE_ROW) {
        if (n++)
            rc = clb__buf_puts(out, ",\n");
        if (rc == 0) {
            if (worker_rows)
                rc = put_worker_row(out, s, 0, names);
            else
                rc = clb__buf_puts(out, col_text0(s, 0));
        }
    }
    if (rc < 0)
        error = rc == CLB_EINTERNAL ? clb__error_set(err, CLB_EINTERNAL,
                                                    "a stored worker record is damaged")
                                    : oom(err);
    else if (error != SQLITE_DONE)
        error = db_error(st, err, "read");
    else {
        error = 0;
        if (clb__buf_puts(out, "]") < 0)
            error = oom(err);
    }
    sqlite3_finalize(s);
    if (count)
        *count = n;
    return error;
}

static int assemble(clb_buf *out, clb_store *st, const assemble_opts *o, clb_error *err)
{
    int error = 0;
    bool r = o->round;
    const char *vac_where = o->all ? "" : " WHERE status = 'open'";
    clb_buf sql = CLB_BUF_INIT;

    if (clb__buf_puts(out, "{\"format\":\"circulab-scenario/1\",\"name\":") < 0 ||
        clb__buf_put_json_string(out, o->name ? o->name : "circulab") < 0)
        return oom(err);
    {
        size_t mark = out->size;
        if (clb__buf_puts(out, ",\n\"policy\":") < 0)
            return oom(err);
        size_t before = out->size;
        if ((error = policy_doc(out, st, err)) < 0)
            return error;
        if (out->size == before) {
            out->size = mark;
            out->ptr[mark] = 0;
        }
    }
    if ((error = put_array(out, st, "workers",
                           r ? "SELECT " WORKER_COLS " FROM workers WHERE active = 1 "
                               "ORDER BY id"
                             : "SELECT " WORKER_COLS " FROM workers ORDER BY id",
                           0, true, o->names, NULL, err)) < 0)
        goto done;
    if ((error = put_array(out, st, "employers", "SELECT doc FROM employers ORDER BY id",
                           0, false, false, NULL, err)) < 0)
        goto done;
    clb__buf_clear(&sql);
    if (clb__buf_printf(&sql, "SELECT doc FROM vacancies%s ORDER BY id", vac_where) < 0) {
        error = oom(err);
        goto done;
    }
    if ((error = put_array(out, st, "vacancies", sql.ptr, 0, false, false, NULL, err)) < 0)
        goto done;
    if ((error = put_array(out, st, "quotas", "SELECT doc FROM quotas ORDER BY id", 0,
                           false, false, NULL, err)) < 0)
        goto done;
    clb__buf_clear(&sql);
    if (clb__buf_printf(&sql, "SELECT doc FROM sessions%s ORDER BY id", vac_where) < 0) {
        error = oom(err);
        goto done;
    }
    if ((error = put_array(out, st, "sessions", sql.ptr, 0, false, false, NULL, err)) < 0)
        goto done;
    clb__buf_clear(&sql);
    if (clb__buf_printf(&sql, "SELECT doc FROM programmes%s ORDER BY id", vac_where) < 0) {
        error = oom(err);
        goto done;
    }
    if ((error = put_array(out, st, "programmes", sql.ptr, 0, false, false, NULL, err)) <
        0)
        goto done;
    /* pairs whose worker and vacancy are in the document */
#define PAIR_FILTER(kind)                                                             \
    "SELECT p.doc FROM pairs p JOIN workers w ON w.id = p.worker_id"                  \
    " LEFT JOIN vacancies v ON v.id = p.vacancy_id WHERE p.kind = '" kind "'"         \
    " AND (? = 0 OR w.active = 1)"                                                    \
    " AND (p.vacancy_id = '' OR (v.id IS NOT NULL AND (? = 0 OR v.status = 'open')))" \
    " ORDER BY p.worker_id, p.vacancy_id, p.employer_id"
    {
        long filt = o->all ? 0 : 1; /* bound to both parameters of PAIR_FILTER */
        if ((error = put_array(out, st, "scores", PAIR_FILTER("score"), filt, false, false,
                               NULL, err)) < 0)
            goto done;
        /* pins only on open vacancies, also with --all: a pin instructs a round, and
         * one on a closed vacancy (history the season close made it ineligible for)
         * is no longer an instruction; season close releases them */
        if (!o->no_pins && (error = put_array(out, st, "pins", PAIR_FILTER("pin"), 1, false,
                                              false, NULL, err)) < 0)
            goto done;
        if (!r) {
            if ((error = put_array(out, st, "bans", PAIR_FILTER("ban"), filt, false, false,
                                   NULL, err)) < 0)
                goto done;
        } else {
            /* stored bans, and the pairs declined this season (each once) */
            if ((error = put_array(
                     out, st, "bans",
                     "SELECT doc FROM ("
                     " SELECT p.doc AS doc, p.worker_id AS w, p.vacancy_id AS v,"
                     "  p.employer_id AS e FROM pairs p"
                     "  JOIN workers w ON w.id = p.worker_id AND w.active = 1"
                     "  LEFT JOIN vacancies v ON v.id = p.vacancy_id"
                     "  WHERE p.kind = 'ban' AND (p.vacancy_id = '' OR v.status = 'open')"
                     " UNION"
                     " SELECT json_object('worker', d.worker_id, 'vacancy', d.vacancy_id),"
                     "  d.worker_id, d.vacancy_id, '' FROM placements d"
                     "  JOIN rounds r ON r.id = d.round_id AND r.season_id = ?"
                     "  JOIN workers w ON w.id = d.worker_id AND w.active = 1"
                     "  JOIN vacancies v ON v.id = d.vacancy_id AND v.status = 'open'"
                     "  WHERE d.status = 'declined' AND NOT EXISTS (SELECT 1 FROM pairs q"
                     "   WHERE q.kind = 'ban' AND q.worker_id = d.worker_id"
                     "   AND q.vacancy_id = d.vacancy_id)"
                     ") GROUP BY w, v, e ORDER BY w, v, e",
                     o->season, false, false, NULL, err)) < 0)
                goto done;
            if ((error = put_array(
                     out, st, "previous",
                     "SELECT json_object('worker', worker_id, 'vacancy', vacancy_id,"
                     " 'status', st) FROM ("
                     " SELECT p.worker_id, p.vacancy_id, 'confirmed' AS st FROM placements p"
                     "  JOIN rounds r ON r.id = p.round_id AND r.season_id = ?"
                     "  JOIN workers w ON w.id = p.worker_id AND w.active = 1"
                     "  JOIN vacancies v ON v.id = p.vacancy_id AND v.status = 'open'"
                     "  WHERE p.status IN " CONFIRMED_STATES
                     " UNION"
                     " SELECT p.worker_id, p.vacancy_id, 'proposed' FROM placements p"
                     "  JOIN workers w ON w.id = p.worker_id AND w.active = 1"
                     "  JOIN vacancies v ON v.id = p.vacancy_id AND v.status = 'open'"
                     "  WHERE p.status = 'proposed' AND p.round_id ="
                     "   (SELECT max(id) FROM rounds WHERE season_id = ?)"
                     ") GROUP BY worker_id, vacancy_id ORDER BY worker_id, vacancy_id",
                     o->season, false, false, NULL, err)) < 0)
                goto done;
        }
    }
#undef PAIR_FILTER
    if (clb__buf_puts(out, "}\n") < 0)
        error = oom(err);
done:
    clb_buf_dispose(&sql);
    return error;
}

/* FNV-1a, 64 bits, as 16 hex digits: a fingerprint, not a security measure. */
static void fingerprint(char out[40], const char *data, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)data[i];
        h *= 1099511628211ULL;
    }
    snprintf(out, 40, "fnv1a64:%016llx", (unsigned long long)h);
}

/*
 * What keeps the system of record usable: after any accepted change the database
 * still assembles into scenarios the one scenario reader accepts - the next round's
 * inputs and the whole record (`export --all`). Called inside the change's
 * transaction, before the commit; a refusal (CLB_EINVAL, each problem as a line of
 * `problems` when given) makes the caller roll the change back. The rules are the
 * reader's; there is no second list of them here.
 */
/*
 * The placements of the open season confirmed (or further on) must still have their
 * vacancy: an import, a feed or `vacancy submit` may not withdraw a vacancy that has
 * them, nor lower its headcount below their number (the portal's rule, SPEC 8, is the
 * database's). Otherwise the next round drops the confirmed placements without a word
 * (and proposes their workers elsewhere, over the same dates) or is infeasible for
 * good. Part of check_valid; a refusal is CLB_ESTATE, each vacancy a line of
 * `problems` when given.
 */
int clb__store_check_confirmed_vacancies(clb_store *st, clb_buf *problems, clb_error *err)
{
    sqlite3_stmt *q = NULL;
    size_t n = 0;
    int rc, error;
    char first[320] = "";
    if ((error = prep(st, &q,
                      "SELECT v.id, v.status, v.headcount, count(*) FROM placements p"
                      " JOIN rounds r ON r.id = p.round_id"
                      " JOIN vacancies v ON v.id = p.vacancy_id"
                      " WHERE r.season_id = (SELECT max(id) FROM seasons"
                      "  WHERE closed_at IS NULL)"
                      " AND p.status IN ('confirmed', 'departed', 'returned', 'not_returned')"
                      " GROUP BY v.id"
                      " HAVING v.status = 'withdrawn' OR v.headcount < count(*)"
                      " ORDER BY v.id",
                      err)) < 0)
        return error;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        char line[320];
        long long confirmed = sqlite3_column_int64(q, 3);
        if (strcmp(col_text0(q, 1), "withdrawn") == 0)
            snprintf(line, sizeof(line),
                     "vacancy '%.64s' would be withdrawn with %lld confirmed "
                     "placement%s: cancel them first ('circulab placement cancel') or keep "
                     "the vacancy open",
                     col_text0(q, 0), confirmed, confirmed == 1 ? "" : "s");
        else
            snprintf(line, sizeof(line),
                     "vacancy '%.64s': headcount %lld is below its %lld confirmed "
                     "placements",
                     col_text0(q, 0), (long long)sqlite3_column_int64(q, 2), confirmed);
        if (n++ == 0)
            memcpy(first, line, sizeof(first));
        if (problems && n <= 20 && clb__buf_printf(problems, "%s\n", line) < 0) {
            error = oom(err);
            break;
        }
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = clb__store_db_error(st, err, "check confirmed placements");
    sqlite3_finalize(q);
    if (error == 0 && n > 0)
        error = clb__error_set(err, CLB_ESTATE, "%s%s", first,
                              n > 1 ? " (and other vacancies)" : "");
    return error;
}

static int check_confirmed(clb_store *st, long season, size_t n_new, const char *verb,
                           clb_error *err);

/*
 * Whether the open season's confirmed placements (confirmed, departed, returned,
 * not_returned) and the stored pins still admit a plan after a change (fewer beds or
 * seats, a tighter quota, a clashing pin): otherwise every later round would be
 * infeasible. Skipped when the season has neither; refused as invalid input (the
 * change is what breaks it), naming the pins and limit that cannot hold.
 */
static int check_still_solvable(clb_store *st, clb_error *err)
{
    sqlite3_stmt *q = NULL;
    long season = 0;
    bool any = false;
    int error;
    if ((error = open_season(st, &season, err)) < 0 ||
        (error = prep(st, &q,
                      "SELECT EXISTS (SELECT 1 FROM placements p JOIN rounds r"
                      " ON r.id = p.round_id WHERE r.season_id = ?1 AND p.status IN"
                      " ('confirmed', 'departed', 'returned', 'not_returned'))"
                      " OR EXISTS (SELECT 1 FROM pairs WHERE kind = 'pin')",
                      err)) < 0)
        return error;
    sqlite3_bind_int64(q, 1, season);
    if (sqlite3_step(q) == SQLITE_ROW)
        any = sqlite3_column_int(q, 0) != 0;
    sqlite3_finalize(q);
    if (!any)
        return 0;
    error = check_confirmed(st, season, 0, NULL, err);
    if (error == CLB_EINFEASIBLE) { /* the message stands; the input is at fault */
        error = CLB_EINVAL;
        if (err)
            err->code = CLB_EINVAL;
    }
    return error;
}

static int check_valid(clb_store *st, clb_buf *problems, clb_error *err)
{
    static const char *const what[2] = {"the next round's inputs", "the whole record"};
    int error = 0, passes = 2;
    sqlite3_stmt *q = NULL;
    if ((error = clb__store_check_confirmed_vacancies(st, problems, err)) < 0)
        return error;
    /* While every record is open and every worker active, the whole record is the
     * round's inputs without their previous plan and declined bans (which only add
     * constraints): one reading judges both. */
    if ((error = prep(st, &q,
                      "SELECT EXISTS (SELECT 1 FROM vacancies WHERE status <> 'open')"
                      " OR EXISTS (SELECT 1 FROM sessions WHERE status <> 'open')"
                      " OR EXISTS (SELECT 1 FROM programmes WHERE status <> 'open')"
                      " OR EXISTS (SELECT 1 FROM workers WHERE active = 0)",
                      err)) < 0)
        return error;
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 0)
        passes = 1;
    sqlite3_finalize(q);
    for (int k = 0; k < passes && error == 0; k++) {
        assemble_opts o;
        clb_buf doc = CLB_BUF_INIT;
        clb_scenario *sc = NULL;
        clb_diags *diags = NULL;
        clb_error lerr;
        memset(&o, 0, sizeof(o));
        if (k == 0) {
            o.round = true;
            error = open_season(st, &o.season, err);
        } else
            o.all = true;
        if (error == 0)
            error = assemble(&doc, st, &o, err);
        if (error == 0 && clb_diags_new(&diags) < 0)
            error = oom(err);
        clb_error_init(&lerr);
        if (error == 0 &&
            clb_scenario_load_buffer(&sc, doc.ptr, doc.size, "database", diags, &lerr) < 0) {
            size_t n = clb_diags_count(diags);
            const clb_diag *d = n ? clb_diags_get(diags, 0) : NULL;
            bool pin = false;
            /* an allocation that failed earlier in the transaction (SQLite then binds
             * NULL) leaves records the reader refuses: that is out of memory, not
             * invalid input */
            if (lerr.code == CLB_ENOMEM || clb__alloc_failures() != st->tx_alloc_failures)
                error = oom(err);
            for (size_t i = 0; error == 0 && problems && i < n && i < 20; i++) {
                const clb_diag *e = clb_diags_get(diags, i);
                clb__buf_printf(problems, "the change would make %s invalid: %s\n", what[k],
                               e->message);
            }
            for (size_t i = 0; i < n; i++)
                if (clb_diags_get(diags, i)->path &&
                    strncmp(clb_diags_get(diags, i)->path, "$.pins[", 7) == 0)
                    pin = true;
            if (error == 0 && pin && problems)
                clb__buf_puts(problems, "a pin stands in the way: 'circulab pin list' shows "
                                       "the pins, 'circulab pin release WORKER VACANCY' "
                                       "releases one\n");
            if (error == 0)
                error = clb__error_set(err, CLB_EINVAL,
                                      "the change would make %s invalid (%zu problem%s): "
                                      "%s%s",
                                      what[k], n, n == 1 ? "" : "s",
                                      d ? d->message : lerr.message,
                                      pin ? " (release the pin with 'circulab pin "
                                            "release WORKER VACANCY')"
                                          : "");
        }
        clb_scenario_free(sc);
        clb_diags_free(diags);
        clb_buf_dispose(&doc);
    }
    if (error == 0)
        error = check_still_solvable(st, err);
    return error;
}

int clb__store_check_valid(clb_store *st, clb_buf *problems, clb_error *err)
{
    return check_valid(st, problems, err);
}

int clb__store_next_round(clb_scenario **out, clb_store *st, clb_error *err)
{
    assemble_opts o;
    clb_buf doc = CLB_BUF_INIT;
    int error;

    *out = NULL;
    memset(&o, 0, sizeof(o));
    o.round = true;
    o.no_pins = true; /* pins do not change eligibility */
    if ((error = open_season(st, &o.season, err)) == 0 &&
        (error = assemble(&doc, st, &o, err)) == 0 &&
        clb_scenario_load_buffer(out, doc.ptr, doc.size, "database", NULL, NULL) < 0)
        error = clb__error_set(err, CLB_EINVAL,
                              "the next round's inputs do not load (run 'round run "
                              "--dry-run' to see why)");
    clb_buf_dispose(&doc);
    return error;
}

/*
 * Release the pins a change has made ineligible, for a change that must not be refused
 * (a season close moves histories on: a pinned worker may now be banned or home too
 * short a time). The next round's inputs are assembled without pins and read by the
 * scenario reader; each pin of an active worker on an open vacancy is then judged by
 * the eligibility rules on that scenario, and released (audited with its failed rules)
 * when it fails. When the inputs do not load at all nothing is judged: the reader's
 * refusal will say why at the next change.
 */
int clb__store_release_ineligible_pins(clb_store *st, const char *reason, size_t *count,
                                       clb_error *err)
{
    assemble_opts o;
    clb_buf doc = CLB_BUF_INIT, why = CLB_BUF_INIT;
    clb_scenario *sc = NULL;
    sqlite3_stmt *s = NULL;
    char **pairs = NULL;
    size_t n = 0, cap = 0;
    int error, rc = SQLITE_DONE;

    *count = 0;
    memset(&o, 0, sizeof(o));
    o.round = true;
    o.no_pins = true;
    if ((error = open_season(st, &o.season, err)) < 0 ||
        (error = assemble(&doc, st, &o, err)) < 0)
        goto done;
    if (clb_scenario_load_buffer(&sc, doc.ptr, doc.size, "database", NULL, NULL) < 0)
        goto done; /* not judged */
    if ((error = prep(st, &s,
                      "SELECT p.worker_id, p.vacancy_id FROM pairs p"
                      " JOIN workers w ON w.id = p.worker_id AND w.active = 1"
                      " JOIN vacancies v ON v.id = p.vacancy_id AND v.status = 'open'"
                      " WHERE p.kind = 'pin' ORDER BY p.worker_id, p.vacancy_id",
                      err)) < 0)
        goto done;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int32_t wi = clb__scenario_worker_index(sc, col_text0(s, 0));
        int32_t vi = clb__scenario_vacancy_index(sc, col_text0(s, 1));
        unsigned mask;
        if (wi < 0 || vi < 0 || !(mask = clb__eligibility_check(sc, (uint32_t)wi, (uint32_t)vi)))
            continue;
        if (n + 3 > cap) {
            size_t c2 = cap ? cap * 2 : 24;
            char **p = clb__realloc(pairs, c2 * sizeof(*p));
            if (!p) {
                error = oom(err);
                goto done;
            }
            pairs = p;
            cap = c2;
        }
        clb__buf_clear(&why);
        for (unsigned b = 0; b < 32; b++)
            if ((mask & (1u << b)) && clb_rule_name(1u << b))
                clb__buf_printf(&why, "%s%s", why.size ? ", " : "", clb_rule_name(1u << b));
        pairs[n] = xstrdup(col_text0(s, 0));
        pairs[n + 1] = xstrdup(col_text0(s, 1));
        pairs[n + 2] = xstrdup(why.ptr ? why.ptr : "");
        n += 3;
        if (!pairs[n - 3] || !pairs[n - 2] || !pairs[n - 1]) {
            error = oom(err);
            goto done;
        }
    }
    if (rc != SQLITE_DONE) {
        error = db_error(st, err, "read pins");
        goto done;
    }
    for (size_t i = 0; i < n && error == 0; i += 3) {
        bool gone = false;
        clb_buf note = CLB_BUF_INIT;
        if (clb__buf_printf(&note, "no longer eligible: %s", pairs[i + 2]) < 0)
            error = oom(err);
        else
            error = clb__store_release_pin(st, pairs[i], pairs[i + 1], reason, note.ptr,
                                           &gone, err);
        clb_buf_dispose(&note);
        if (gone)
            (*count)++;
    }
done:
    for (size_t i = 0; i < n; i++)
        clb__free(pairs[i]);
    clb__free(pairs);
    sqlite3_finalize(s);
    clb_scenario_free(sc);
    clb_buf_dispose(&doc);
    clb_buf_dispose(&why);
    return error;
}

/* ---- writing records ----------------------------------------------------------- */

/* Prepared upserts, shared by import and offers. */
typedef struct upserts {
    sqlite3_stmt *employer, *site_del, *site, *worker, *history, *vacancy, *quota,
        *session, *programme, *pair, *stored;
    char now[32];
} upserts;

static void upserts_dispose(upserts *u)
{
    sqlite3_finalize(u->employer);
    sqlite3_finalize(u->site_del);
    sqlite3_finalize(u->site);
    sqlite3_finalize(u->worker);
    sqlite3_finalize(u->history);
    sqlite3_finalize(u->vacancy);
    sqlite3_finalize(u->quota);
    sqlite3_finalize(u->session);
    sqlite3_finalize(u->programme);
    sqlite3_finalize(u->pair);
    sqlite3_finalize(u->stored);
    memset(u, 0, sizeof(*u));
}

static int upserts_init(upserts *u, clb_store *st, clb_error *err)
{
    int error;
    memset(u, 0, sizeof(*u));
    now_iso(u->now);
    if ((error = prep(st, &u->employer,
                      "INSERT INTO employers(id, name, region, source, doc, updated_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO UPDATE SET"
                      " name = ?2, region = ?3, source = coalesce(?4, source), doc = ?5,"
                      " updated_at = ?6",
                      err)) < 0 ||
        (error = prep(st, &u->site_del, "DELETE FROM sites WHERE employer_id = ?", err)) <
            0 ||
        (error = prep(st, &u->site,
                      "INSERT OR REPLACE INTO sites(id, employer_id, region, beds)"
                      " VALUES (?, ?, ?, ?)",
                      err)) < 0 ||
        (error = prep(st, &u->worker,
                      "INSERT INTO workers(id, name, country, region, active, doc,"
                      " updated_at) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6)"
                      " ON CONFLICT(id) DO UPDATE SET name = coalesce(?2, name),"
                      " country = ?3, region = ?4, active = 1, doc = ?5, updated_at = ?6",
                      err)) < 0 ||
        (error = prep(st, &u->history,
                      "UPDATE workers SET campaigns = ?2, returned = ?3,"
                      " last_employer = ?4, last_return = ?5, days_abroad = ?6,"
                      " banned_until = ?7 WHERE id = ?1",
                      err)) < 0 ||
        (error = prep(st, &u->vacancy,
                      "INSERT INTO vacancies(id, employer_id, site_id, start_date,"
                      " end_date, headcount, status, source, doc, updated_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                      " ON CONFLICT(id) DO UPDATE SET employer_id = ?2, site_id = ?3,"
                      " start_date = ?4, end_date = ?5, headcount = ?6, status = ?7,"
                      " source = coalesce(?8, source), doc = ?9, updated_at = ?10",
                      err)) < 0 ||
        (error = prep(st, &u->quota,
                      "INSERT INTO quotas(id, doc, updated_at) VALUES (?1, ?2, ?3)"
                      " ON CONFLICT(id) DO UPDATE SET doc = ?2, updated_at = ?3",
                      err)) < 0 ||
        (error = prep(st, &u->session,
                      "INSERT INTO sessions(id, course, country, start_date, end_date,"
                      " capacity, status, doc, updated_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'open', ?7, ?8)"
                      " ON CONFLICT(id) DO UPDATE SET course = ?2, country = ?3,"
                      " start_date = ?4, end_date = ?5, capacity = ?6, status = 'open',"
                      " doc = ?7, updated_at = ?8",
                      err)) < 0 ||
        (error = prep(st, &u->programme,
                      "INSERT INTO programmes(id, country, start_date, end_date, capacity,"
                      " status, doc, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6, ?7)"
                      " ON CONFLICT(id) DO UPDATE SET country = ?2, start_date = ?3,"
                      " end_date = ?4, capacity = ?5, status = 'open', doc = ?6,"
                      " updated_at = ?7",
                      err)) < 0 ||
        (error = prep(st, &u->pair,
                      "INSERT OR REPLACE INTO pairs(kind, worker_id, vacancy_id,"
                      " employer_id, value, doc) VALUES (?, ?, ?, ?, ?, ?)",
                      err)) < 0 ||
        (error = prep(st, &u->stored,
                      "SELECT campaigns, returned, last_employer, last_return,"
                      " days_abroad, banned_until FROM workers WHERE id = ?",
                      err)) < 0) {
        upserts_dispose(u);
        return error;
    }
    return 0;
}

static void bind_date(sqlite3_stmt *s, int i, clb_date d)
{
    char tmp[16];
    if (d == CLB_DATE_NONE) {
        sqlite3_bind_null(s, i);
        return;
    }
    clb__date_format(tmp, d);
    sqlite3_bind_text(s, i, tmp, -1, SQLITE_TRANSIENT);
}

static int write_employer(clb_store *st, upserts *u, const clb_scenario *sc, size_t i,
                          const char *source, clb_error *err)
{
    const clb_employer_rec *e = &sc->employers[i];
    clb_buf doc = CLB_BUF_INIT;
    int error;
    if (clb__scenario_save_employer(&doc, sc, i, 0) < 0) {
        clb_buf_dispose(&doc); /* what was written before the failure */
        return oom(err);
    }
    bind_text(u->employer, 1, e->id);
    bind_text(u->employer, 2, e->name);
    bind_text(u->employer, 3, clb_sym(sc, e->region));
    bind_text(u->employer, 4, source);
    bind_text(u->employer, 5, doc.ptr);
    bind_text(u->employer, 6, u->now);
    error = step_done(st, u->employer, err);
    clb_buf_dispose(&doc);
    if (error < 0)
        return error;
    bind_text(u->site_del, 1, e->id);
    if ((error = step_done(st, u->site_del, err)) < 0)
        return error;
    for (uint32_t k = 0; k < e->site_count; k++) {
        const clb_site_rec *site = &sc->sites[e->site_first + k];
        bind_text(u->site, 1, site->id);
        bind_text(u->site, 2, e->id);
        bind_text(u->site, 3, clb_sym(sc, site->region));
        if (site->beds >= 0)
            sqlite3_bind_int(u->site, 4, site->beds);
        else
            sqlite3_bind_null(u->site, 4);
        if ((error = step_done(st, u->site, err)) < 0)
            return error;
    }
    return 0;
}

static bool history_is_default(const clb_worker_rec *w)
{
    return w->campaigns == 0 && !w->returned && w->last_employer < 0 &&
           w->last_return == CLB_DATE_NONE && w->days_abroad == 0 &&
           w->banned_until == CLB_DATE_NONE;
}

static int history_json(clb_buf *out, sqlite3_stmt *s, int c);

/* A stored date column against a record's date: -1, 0, 1 (NULL is the earliest). */
static int cmp_stored_date(sqlite3_stmt *s, int c, clb_date d)
{
    char tmp[16] = "";
    const char *v = col_text(s, c);
    int cmp;
    if (!v)
        return d == CLB_DATE_NONE ? 0 : -1;
    if (d == CLB_DATE_NONE)
        return 1;
    clb__date_format(tmp, d);
    cmp = strcmp(v, tmp);
    return cmp < 0 ? -1 : cmp > 0;
}

/*
 * Would the record's history move the stored one (the row of u->stored) backwards?
 * History is a unit: campaigns, last_return and banned_until may only grow (a ban is
 * never shortened or erased); returned, last_employer and days_abroad follow them.
 */
static bool history_backwards(sqlite3_stmt *s, const clb_worker_rec *w)
{
    return w->campaigns < sqlite3_column_int(s, 0) ||
           cmp_stored_date(s, 3, w->last_return) > 0 ||
           cmp_stored_date(s, 5, w->banned_until) > 0;
}

/* The history of a record as JSON (the form history_json gives a stored row). */
static int record_history_json(clb_buf *out, const clb_scenario *sc,
                               const clb_worker_rec *w)
{
    char d[16];
    int rc = clb__buf_printf(out, "{\"campaigns\":%d,\"returned\":%s", w->campaigns,
                            w->returned ? "true" : "false");
    if (rc == 0 && w->last_employer >= 0) {
        rc = clb__buf_puts(out, ",\"last_employer\":");
        if (rc == 0)
            rc = clb__buf_put_json_string(out, clb_sym(sc, w->last_employer));
    }
    if (rc == 0 && w->last_return != CLB_DATE_NONE) {
        clb__date_format(d, w->last_return);
        rc = clb__buf_printf(out, ",\"last_return\":\"%s\"", d);
    }
    if (rc == 0)
        rc = clb__buf_printf(out, ",\"days_abroad\":%d", w->days_abroad);
    if (rc == 0 && w->banned_until != CLB_DATE_NONE) {
        clb__date_format(d, w->banned_until);
        rc = clb__buf_printf(out, ",\"banned_until\":\"%s\"", d);
    }
    return rc == 0 ? clb__buf_puts(out, "}") : rc;
}

/*
 * Upsert a worker. Its history: a record without one (all defaults) keeps the stored
 * history; a new worker takes the record's; an existing one takes it unless that would
 * move the stored history backwards (then the stored history is kept whole, counted
 * in stats->history_kept), or always with CLB_IMPORT_HISTORY. Every change of a
 * stored history is audited as `worker.history` (before/after).
 */
static int write_worker(clb_store *st, upserts *u, const clb_scenario *sc, size_t i,
                        unsigned flags, clb_import_stats *stats, clb_error *err)
{
    const clb_worker_rec *w = &sc->workers[i];
    clb_buf doc = CLB_BUF_INIT, before = CLB_BUF_INIT, after = CLB_BUF_INIT;
    bool exists = false, set;
    int error, rc = 0;

    bind_text(u->stored, 1, w->id);
    if ((error = sqlite3_step(u->stored)) == SQLITE_ROW) {
        exists = true;
        rc = history_json(&before, u->stored, 0);
    } else if (error != SQLITE_DONE) {
        error = db_error(st, err, "read worker");
        sqlite3_reset(u->stored);
        return error;
    }
    set = !history_is_default(w) &&
          (!exists || (flags & CLB_IMPORT_HISTORY) || !history_backwards(u->stored, w));
    if (exists && !history_is_default(w) && !set)
        stats->history_kept++;
    sqlite3_reset(u->stored);
    if (rc == 0)
        rc = record_history_json(&after, sc, w);
    if (rc < 0 || clb__scenario_save_worker(&doc, sc, i, 0) < 0) {
        error = oom(err);
        goto done;
    }
    if (exists)
        stats->workers_updated++;
    else
        stats->workers_added++;
    bind_text(u->worker, 1, w->id);
    bind_text(u->worker, 2, w->name);
    bind_text(u->worker, 3, clb_sym(sc, w->country));
    bind_text(u->worker, 4, w->region >= 0 ? clb_sym(sc, w->region) : NULL);
    bind_text(u->worker, 5, doc.ptr);
    bind_text(u->worker, 6, u->now);
    if ((error = step_done(st, u->worker, err)) < 0 || !set)
        goto done;
    bind_text(u->history, 1, w->id);
    sqlite3_bind_int(u->history, 2, w->campaigns);
    sqlite3_bind_int(u->history, 3, w->returned);
    bind_text(u->history, 4, w->last_employer >= 0 ? clb_sym(sc, w->last_employer) : NULL);
    bind_date(u->history, 5, w->last_return);
    sqlite3_bind_int(u->history, 6, w->days_abroad);
    bind_date(u->history, 7, w->banned_until);
    if ((error = step_done(st, u->history, err)) < 0)
        goto done;
    if (exists && strcmp(before.ptr, after.ptr) != 0) {
        stats->history_set++;
        error = audit(st, "worker.history", w->id, before.ptr, after.ptr,
                      "{\"by\":\"import\"}", err);
    }
done:
    clb_buf_dispose(&doc);
    clb_buf_dispose(&before);
    clb_buf_dispose(&after);
    return error;
}

static int write_vacancy(clb_store *st, upserts *u, const clb_scenario *sc, size_t i,
                         const char *source, clb_error *err)
{
    const clb_vacancy_rec *v = &sc->vacancies[i];
    clb_buf doc = CLB_BUF_INIT;
    int error;
    if (clb__scenario_save_vacancy(&doc, sc, i) < 0) {
        clb_buf_dispose(&doc); /* what was written before the failure */
        return oom(err);
    }
    bind_text(u->vacancy, 1, v->id);
    bind_text(u->vacancy, 2, sc->employers[v->employer].id);
    bind_text(u->vacancy, 3, sc->sites[v->site].id);
    bind_date(u->vacancy, 4, v->start);
    bind_date(u->vacancy, 5, v->end);
    sqlite3_bind_int(u->vacancy, 6, v->headcount);
    bind_text(u->vacancy, 7, v->withdrawn ? "withdrawn" : "open");
    bind_text(u->vacancy, 8, source);
    bind_text(u->vacancy, 9, doc.ptr);
    bind_text(u->vacancy, 10, u->now);
    error = step_done(st, u->vacancy, err);
    clb_buf_dispose(&doc);
    return error;
}

static int write_simple(clb_store *st, upserts *u, const clb_scenario *sc, clb_kind kind,
                        size_t i, clb_error *err)
{
    clb_buf doc = CLB_BUF_INIT;
    sqlite3_stmt *s = NULL;
    int error = 0, rc = 0;
    switch (kind) {
    case CLB_KIND_QUOTA:
        s = u->quota;
        rc = clb__scenario_save_quota(&doc, sc, i);
        bind_text(s, 1, sc->quotas[i].id);
        bind_text(s, 2, doc.ptr);
        bind_text(s, 3, u->now);
        break;
    case CLB_KIND_SESSION: {
        const clb_session_rec *k = &sc->sessions[i];
        s = u->session;
        rc = clb__scenario_save_session(&doc, sc, i);
        bind_text(s, 1, k->id);
        bind_text(s, 2, clb_sym(sc, k->course));
        bind_text(s, 3, clb_sym(sc, k->country));
        bind_date(s, 4, k->start);
        bind_date(s, 5, k->end);
        sqlite3_bind_int(s, 6, k->capacity);
        bind_text(s, 7, doc.ptr);
        bind_text(s, 8, u->now);
        break;
    }
    case CLB_KIND_PROGRAMME: {
        const clb_programme_rec *r = &sc->programmes[i];
        s = u->programme;
        rc = clb__scenario_save_programme(&doc, sc, i);
        bind_text(s, 1, r->id);
        bind_text(s, 2, clb_sym(sc, r->country));
        bind_date(s, 3, r->start);
        bind_date(s, 4, r->end);
        sqlite3_bind_int(s, 5, r->capacity);
        bind_text(s, 6, doc.ptr);
        bind_text(s, 7, u->now);
        break;
    }
    default: return clb__error_set(err, CLB_EINTERNAL, "write_simple: bad kind");
    }
    if (rc < 0)
        error = oom(err);
    else
        error = step_done(st, s, err);
    if (error < 0) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
    }
    clb_buf_dispose(&doc);
    return error;
}

static int write_pair(clb_store *st, upserts *u, const char *kind, const char *worker,
                      const char *vacancy, const char *employer, double value,
                      bool has_value, const clb_buf *doc, clb_error *err)
{
    bind_text(u->pair, 1, kind);
    bind_text(u->pair, 2, worker);
    bind_text(u->pair, 3, vacancy ? vacancy : "");
    bind_text(u->pair, 4, employer ? employer : "");
    if (has_value)
        sqlite3_bind_double(u->pair, 5, value);
    else
        sqlite3_bind_null(u->pair, 5);
    bind_text(u->pair, 6, doc->ptr);
    return step_done(st, u->pair, err);
}

/* Scores, bans and pins of a document; pins only with IMPORT_PINS (see import_json). */
#define IMPORT_PINS 0x100u

static int write_pairs(clb_store *st, upserts *u, const clb_scenario *sc, unsigned flags,
                       clb_import_stats *stats, clb_error *err)
{
    clb_buf doc = CLB_BUF_INIT;
    int error = 0;
    for (size_t i = 0; i < sc->n_scores && error == 0; i++) {
        const clb_score_rec *r = &sc->scores[i];
        clb__buf_clear(&doc);
        if (clb__scenario_save_score(&doc, sc, i) < 0) {
            error = oom(err);
            break;
        }
        error = write_pair(st, u, "score", sc->workers[r->worker].id,
                           sc->vacancies[r->vacancy].id, NULL, r->value, true, &doc, err);
        stats->pairs++;
    }
    if (!(flags & IMPORT_PINS))
        stats->pins_ignored += sc->n_pins;
    for (size_t i = 0; i < sc->n_pins && error == 0 && (flags & IMPORT_PINS); i++) {
        const clb_pair_rec *r = &sc->pins[i];
        clb__buf_clear(&doc);
        if (clb__scenario_save_pin(&doc, sc, i) < 0) {
            error = oom(err);
            break;
        }
        error = write_pair(st, u, "pin", sc->workers[r->worker].id,
                           sc->vacancies[r->vacancy].id, NULL, 0, false, &doc, err);
        stats->pairs++;
    }
    for (size_t i = 0; i < sc->n_bans && error == 0; i++) {
        const clb_ban_rec *r = &sc->bans[i];
        clb__buf_clear(&doc);
        if (clb__scenario_save_ban(&doc, sc, i) < 0) {
            error = oom(err);
            break;
        }
        error = write_pair(st, u, "ban", sc->workers[r->worker].id,
                           r->vacancy >= 0 ? sc->vacancies[r->vacancy].id : NULL,
                           r->employer >= 0 ? sc->employers[r->employer].id : NULL, 0,
                           false, &doc, err);
        stats->pairs++;
    }
    clb_buf_dispose(&doc);
    return error;
}

static int write_policy(clb_store *st, const clb_scenario *sc, clb_error *err)
{
    clb_buf doc = CLB_BUF_INIT;
    sqlite3_stmt *s = NULL;
    int error;
    if (clb__scenario_save_policy(&doc, sc) < 0) {
        clb_buf_dispose(&doc); /* what was written before the failure */
        return oom(err);
    }
    if ((error = prep(st, &s,
                      "INSERT OR REPLACE INTO settings(key, value) VALUES ('policy', ?)",
                      err)) == 0) {
        bind_text(s, 1, doc.ptr);
        error = step_done(st, s, err);
    }
    sqlite3_finalize(s);
    clb_buf_dispose(&doc);
    return error;
}

/* ---- import -------------------------------------------------------------------- */

/* A set of ids (small, unsorted; linear lookups are fine for one file's records
 * up to a few thousand; larger files use the sorted form after `idset_seal`). */
typedef struct idset {
    char **v;
    size_t n, cap;
    bool sorted;
} idset;

static int idset_add(idset *s, const char *id)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        char **p = clb__realloc(s->v, cap * sizeof(*p));
        if (!p)
            return CLB_ENOMEM;
        s->v = p;
        s->cap = cap;
    }
    if (!(s->v[s->n] = xstrdup(id)))
        return CLB_ENOMEM;
    s->n++;
    s->sorted = false;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool idset_has(idset *s, const char *id)
{
    if (!s->sorted) {
        if (s->n > 1)
            qsort(s->v, s->n, sizeof(char *), cmp_str);
        s->sorted = true;
    }
    return s->n && bsearch(&id, s->v, s->n, sizeof(char *), cmp_str) != NULL;
}

static void idset_dispose(idset *s)
{
    for (size_t i = 0; i < s->n; i++)
        clb__free(s->v[i]);
    clb__free(s->v);
    memset(s, 0, sizeof(*s));
}

typedef struct scan_ids {
    const char *text;
    idset *set;
    int rc;
} scan_ids;

static void collect_id(clb_span elem, void *payload)
{
    scan_ids *c = payload;
    clb_span v;
    clb_buf id = CLB_BUF_INIT;
    if (c->rc == 0 && clb__jscan_member(&v, c->text, elem, "id") &&
        clb__jscan_string(&id, c->text, v) && id.ptr)
        c->rc = idset_add(c->set, id.ptr);
    clb_buf_dispose(&id);
}

/* Append to `extra` the rows of `sql` (column 0 an id, then a doc or WORKER_COLS)
 * whose id is not in `skip`, each preceded by a comma. */
static int db_records_except(clb_buf *extra, clb_store *st, const char *sql, bool workers,
                             idset *skip, size_t *count, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0, error = prep(st, &s, sql, err);
    if (error < 0)
        return error;
    while (rc == 0 && (error = sqlite3_step(s)) == SQLITE_ROW) {
        if (idset_has(skip, col_text0(s, 0)))
            continue;
        rc = clb__buf_puts(extra, ",");
        if (rc == 0)
            rc = workers ? put_worker_row(extra, s, 1, false)
                         : clb__buf_puts(extra, col_text0(s, 1));
        (*count)++;
    }
    if (rc < 0)
        error = oom(err);
    else if (error != SQLITE_DONE)
        error = db_error(st, err, "read");
    else
        error = 0;
    sqlite3_finalize(s);
    return error;
}

/* One pending insertion into the text of a document. */
typedef struct insertion {
    size_t at;
    clb_buf text;
} insertion;

/* Report every diagnostic as a line of `problems`. With a CSV, map JSON paths of the
 * generated array (`coll`) back to cells. */
static void report_diags(clb_buf *problems, const clb_diags *diags, const char *file,
                         const clb_csv *csv, clb_csv_kind kind, const char *coll,
                         size_t file_records)
{
    for (size_t i = 0; problems && diags && i < clb_diags_count(diags); i++) {
        const clb_diag *d = clb_diags_get(diags, i);
        int line = d->line, col = d->column;
        const char *path = d->path ? d->path : "";
        bool in_csv = false;
        if (csv && coll && strncmp(path, coll, strlen(coll)) == 0 &&
            path[strlen(coll)] == '[') {
            long idx = strtol(path + strlen(coll) + 1, NULL, 10);
            if (idx >= 0 && (size_t)idx < file_records)
                in_csv = clb__csv_locate(&line, &col, csv, kind, path + 2);
        }
        if (in_csv)
            clb__buf_printf(problems, "%s:%d:%d: %s\n", file, line, col, d->message);
        else if (csv)
            clb__buf_printf(problems, "%s: %s (with the database's records)\n", file,
                           d->message);
        else if (line > 0)
            clb__buf_printf(problems, "%s:%d:%d: %s\n", file, line, col, d->message);
        else
            clb__buf_printf(problems, "%s: %s: %s\n", file, *path ? path : "$", d->message);
    }
}

static void report_error(clb_buf *problems, const char *file, const clb_error *e)
{
    if (!problems)
        return;
    if (e->line > 0 && !strstr(e->message, file))
        clb__buf_printf(problems, "%s:%d:%d: %s\n", file, e->line, e->column, e->message);
    else if (strstr(e->message, file))
        clb__buf_printf(problems, "%s\n", e->message);
    else
        clb__buf_printf(problems, "%s: %s\n", file, e->message);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    if (n < m)
        return false;
    for (size_t i = 0; i < m; i++) {
        char a = s[n - m + i], b = suffix[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (a != b)
            return false;
    }
    return true;
}

/* Write the records of a loaded document. `only_*` (may be NULL) restrict workers,
 * employers and vacancies to the ids the user's file gave. */
static int write_scenario(clb_store *st, const clb_scenario *sc, idset *only_workers,
                          idset *only_employers, idset *only_vacancies, bool records,
                          unsigned flags, clb_import_stats *stats, clb_error *err)
{
    upserts u;
    int error = upserts_init(&u, st, err);
    if (error < 0)
        return error;
    for (size_t i = 0; i < sc->n_employers && error == 0; i++)
        if (!only_employers || idset_has(only_employers, sc->employers[i].id)) {
            error = write_employer(st, &u, sc, i, NULL, err);
            stats->employers++;
        }
    for (size_t i = 0; i < sc->n_workers && error == 0; i++)
        if (!only_workers || idset_has(only_workers, sc->workers[i].id)) {
            error = write_worker(st, &u, sc, i, flags, stats, err);
            stats->workers++;
        }
    for (size_t i = 0; i < sc->n_vacancies && error == 0; i++)
        if (!only_vacancies || idset_has(only_vacancies, sc->vacancies[i].id)) {
            error = write_vacancy(st, &u, sc, i, NULL, err);
            stats->vacancies++;
        }
    if (records) {
        for (size_t i = 0; i < sc->n_quotas && error == 0; i++, stats->quotas++)
            error = write_simple(st, &u, sc, CLB_KIND_QUOTA, i, err);
        for (size_t i = 0; i < sc->n_sessions && error == 0; i++, stats->sessions++)
            error = write_simple(st, &u, sc, CLB_KIND_SESSION, i, err);
        for (size_t i = 0; i < sc->n_programmes && error == 0; i++, stats->programmes++)
            error = write_simple(st, &u, sc, CLB_KIND_PROGRAMME, i, err);
        if (error == 0)
            error = write_pairs(st, &u, sc, flags, stats, err);
    }
    upserts_dispose(&u);
    return error;
}

/*
 * The workers and vacancies each file of one import gives: the same id in two files
 * is an error (which of the two should win is a guess an import must not make).
 */
typedef struct import_seen {
    const char *const *paths;
    idset *workers, *vacancies; /* per file */
    size_t file;                /* the file being imported */
} import_seen;

static int seen_check(import_seen *seen, idset *mine, const char *kind, const char *id,
                      clb_buf *problems, clb_error *err)
{
    for (size_t j = 0; seen && j < seen->file; j++) {
        idset *other = strcmp(kind, "worker") == 0 ? &seen->workers[j] : &seen->vacancies[j];
        if (idset_has(other, id)) {
            int error = clb__error_set(err, CLB_EINVAL,
                                      "%s: %s '%s' is also given by %s: one import may "
                                      "give each %s once",
                                      seen->paths[seen->file], kind, id, seen->paths[j], kind);
            if (problems)
                clb__buf_printf(problems, "%s\n", err ? err->message : "");
            return error;
        }
    }
    return seen && idset_add(mine, id) < 0 ? oom(err) : 0;
}

/* Check the workers and vacancies a file gives against the earlier files' (the rows of
 * sc that only_* keep, all when NULL), then remember them. */
static int seen_file(import_seen *seen, const clb_scenario *sc, idset *only_workers,
                     idset *only_vacancies, clb_buf *problems, clb_error *err)
{
    int error = 0;
    if (!seen)
        return 0;
    for (size_t i = 0; i < sc->n_workers && error == 0; i++)
        if (!only_workers || idset_has(only_workers, sc->workers[i].id))
            error = seen_check(seen, &seen->workers[seen->file], "worker",
                               sc->workers[i].id, problems, err);
    for (size_t i = 0; i < sc->n_vacancies && error == 0; i++)
        if (!only_vacancies || idset_has(only_vacancies, sc->vacancies[i].id))
            error = seen_check(seen, &seen->vacancies[seen->file], "vacancy",
                               sc->vacancies[i].id, problems, err);
    return error;
}

void clb_store_set_input_limit(clb_store *st, size_t max_bytes)
{
    st->max_input = max_bytes;
}

/* Whether any round was ever stored. */
static int has_rounds(bool *out, clb_store *st, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = prep(st, &s, "SELECT EXISTS (SELECT 1 FROM rounds)", err);
    if (error < 0)
        return error;
    if (sqlite3_step(s) == SQLITE_ROW) {
        *out = sqlite3_column_int(s, 0) != 0;
        error = 0;
    } else
        error = db_error(st, err, "read rounds");
    sqlite3_finalize(s);
    return error;
}

static int cmp_insertion_desc(const void *a, const void *b)
{
    const insertion *x = a, *y = b;
    return x->at < y->at ? 1 : x->at > y->at ? -1 : 0;
}

/* Import one scenario document. */
static int import_json(clb_store *st, const char *file, const clb_buf *text,
                       unsigned flags, import_seen *seen, clb_import_stats *stats,
                       clb_buf *problems, clb_error *err)
{
    clb_span top = {0, text->size}, arr, fmt;
    idset ids[3] = {{0}, {0}, {0}}; /* employers, workers, vacancies of the file */
    static const char *const keys[3] = {"employers", "workers", "vacancies"};
    insertion ins[3];
    size_t n_ins = 0;
    clb_buf doc = CLB_BUF_INIT, fmtname = CLB_BUF_INIT;
    clb_scenario *sc = NULL;
    clb_diags *diags = NULL;
    clb_error lerr;
    bool pairs = false;
    int error = 0;

    memset(ins, 0, sizeof(ins));
    if (clb__jscan_member(&fmt, text->ptr, top, "format") &&
        clb__jscan_string(&fmtname, text->ptr, fmt) && fmtname.ptr &&
        strcmp(fmtname.ptr, "circulab-offers/1") == 0) {
        error = clb__error_set(err, CLB_EINVAL,
                              "%s: offers documents are loaded by 'circulab fetch'", file);
        report_error(problems, file, err);
        goto done;
    }
    pairs = clb__jscan_member(&arr, text->ptr, top, "pins") ||
            clb__jscan_member(&arr, text->ptr, top, "bans") ||
            clb__jscan_member(&arr, text->ptr, top, "scores");
    /* splice the database's records into the document's arrays, after the file's
     * own, so that JSON paths of the file's records stay what the user sees */
    for (int k = 0; k < (pairs ? 3 : 1); k++) {
        scan_ids c = {text->ptr, &ids[k], 0};
        size_t count = 0;
        static const char *const sql[3] = {
            "SELECT id, doc FROM employers ORDER BY id",
            "SELECT id, " WORKER_COLS " FROM workers ORDER BY id",
            "SELECT id, doc FROM vacancies ORDER BY id"};
        if (!clb__jscan_member(&arr, text->ptr, top, keys[k]))
            continue;
        if (!clb__jscan_elements(text->ptr, arr, collect_id, &c))
            continue; /* not an array: the reader will say so */
        if (c.rc < 0) {
            error = oom(err);
            goto done;
        }
        ins[n_ins].at = arr.end - 1; /* before the closing bracket */
        if ((error = db_records_except(&ins[n_ins].text, st, sql[k], k == 1, &ids[k],
                                       &count, err)) < 0)
            goto done;
        if (count) {
            /* an empty array must not begin with a comma */
            size_t p = arr.start + 1;
            while (p < arr.end && strchr(" \t\r\n", text->ptr[p]))
                p++;
            if (text->ptr[p] == ']')
                ins[n_ins].text.ptr[0] = ' ';
            n_ins++;
        } else
            clb_buf_dispose(&ins[n_ins].text);
    }
    qsort(ins, n_ins, sizeof(ins[0]), cmp_insertion_desc);
    if (clb__buf_put(&doc, text->ptr, text->size) < 0) {
        error = oom(err);
        goto done;
    }
    for (size_t i = 0; i < n_ins; i++) {
        /* insert at ins[i].at (descending, so earlier offsets stay valid) */
        clb_buf tail = CLB_BUF_INIT;
        if (clb__buf_put(&tail, doc.ptr + ins[i].at, doc.size - ins[i].at) < 0) {
            error = oom(err);
            goto done;
        }
        doc.size = ins[i].at;
        if (clb__buf_put(&doc, ins[i].text.ptr, ins[i].text.size) < 0 ||
            clb__buf_put(&doc, tail.ptr, tail.size) < 0) {
            clb_buf_dispose(&tail);
            error = oom(err);
            goto done;
        }
        clb_buf_dispose(&tail);
    }
    if (clb_diags_new(&diags) < 0) {
        error = oom(err);
        goto done;
    }
    clb_error_init(&lerr);
    error = clb_scenario_load_buffer(&sc, doc.ptr, doc.size, file, diags, &lerr);
    if (error < 0) {
        if (clb_diags_count(diags))
            report_diags(problems, diags, file, NULL, CLB_CSV_UNKNOWN, NULL, 0);
        else
            report_error(problems, file, &lerr);
        clb__error_set(err, error, "%s: %s", file, lerr.message);
        goto done;
    }
    if (flags & CLB_IMPORT_POLICY || !clb__policy_is_default(&sc->policy)) {
        if ((error = write_policy(st, sc, err)) < 0)
            goto done;
        stats->policy = true;
    }
    /* pins of a document are stored only while the database has no rounds (the
     * first load of a planner's scenario); afterwards the database's pins are managed
     * with `circulab pin`, and an older file must not bring released ones back.
     * `previous` is never stored: the lifecycle is the previous plan. */
    {
        bool rounds = false;
        if ((error = has_rounds(&rounds, st, err)) < 0)
            goto done;
        if (!rounds)
            flags |= IMPORT_PINS;
        stats->previous_ignored += sc->n_previous;
    }
    if ((error = seen_file(seen, sc, pairs ? &ids[1] : NULL, pairs ? &ids[2] : NULL,
                           problems, err)) < 0)
        goto done;
    error = write_scenario(st, sc, pairs ? &ids[1] : NULL, &ids[0], pairs ? &ids[2] : NULL,
                           true, flags, stats, err);
done:
    for (size_t i = 0; i < 3; i++) {
        idset_dispose(&ids[i]);
        clb_buf_dispose(&ins[i].text);
    }
    clb_buf_dispose(&doc);
    clb_buf_dispose(&fmtname);
    clb_diags_free(diags);
    clb_scenario_free(sc);
    return error;
}

/*
 * An employers CSV has no columns for sites (and an empty cell means "absent"): a row
 * updates the name and region of a stored employer but keeps its sites (beds) and, when
 * the cell is empty, its association - a CSV never drops what it cannot say.
 */
typedef struct keep_parts {
    const char *text;
    sqlite3_stmt *stored;
    clb_buf out;
    size_t n;
    int rc;
} keep_parts;

static void keep_parts_row(clb_span elem, void *payload)
{
    keep_parts *k = payload;
    clb_span v, part, sdoc;
    clb_buf id = CLB_BUF_INIT;
    const char *doc;
    int rc = k->n++ ? clb__buf_puts(&k->out, ",") : 0;

    if (rc == 0 && clb__jscan_member(&v, k->text, elem, "id") &&
        clb__jscan_string(&id, k->text, v) && id.ptr) {
        bind_text(k->stored, 1, id.ptr);
        if (sqlite3_step(k->stored) == SQLITE_ROW && (doc = col_text(k->stored, 0))) {
            sdoc.start = 0;
            sdoc.end = strlen(doc);
            rc = clb__buf_put(&k->out, k->text + elem.start, elem.end - 1 - elem.start);
            if (rc == 0 && !clb__jscan_member(&v, k->text, elem, "sites") &&
                clb__jscan_member(&part, doc, sdoc, "sites")) {
                rc = clb__buf_puts(&k->out, ",\"sites\":");
                if (rc == 0)
                    rc = clb__buf_put(&k->out, doc + part.start, part.end - part.start);
            }
            if (rc == 0 && !clb__jscan_member(&v, k->text, elem, "association") &&
                clb__jscan_member(&part, doc, sdoc, "association")) {
                rc = clb__buf_puts(&k->out, ",\"association\":");
                if (rc == 0)
                    rc = clb__buf_put(&k->out, doc + part.start, part.end - part.start);
            }
            if (rc == 0)
                rc = clb__buf_puts(&k->out, "}");
            sqlite3_reset(k->stored);
            clb_buf_dispose(&id);
            if (rc < 0)
                k->rc = rc;
            return;
        }
        sqlite3_reset(k->stored);
    }
    if (rc == 0)
        rc = clb__buf_put(&k->out, k->text + elem.start, elem.end - elem.start);
    clb_buf_dispose(&id);
    if (rc < 0)
        k->rc = rc;
}

static int keep_stored_employer_parts(clb_buf *rows, clb_store *st, clb_error *err)
{
    keep_parts k = {rows->ptr, NULL, CLB_BUF_INIT, 0, 0};
    clb_span all = {0, rows->size};
    int error = prep(st, &k.stored, "SELECT doc FROM employers WHERE id = ?", err);
    if (error < 0)
        return error;
    if (clb__buf_puts(&k.out, "[") < 0 || !clb__jscan_elements(rows->ptr, all, keep_parts_row, &k) ||
        k.rc < 0 || clb__buf_puts(&k.out, "]") < 0)
        error = k.rc < 0 || !k.out.ptr ? oom(err)
                                      : clb__error_set(err, CLB_EINTERNAL,
                                                      "employer rows are not a JSON array");
    sqlite3_finalize(k.stored);
    if (error == 0) {
        clb_buf_dispose(rows);
        *rows = k.out;
    } else
        clb_buf_dispose(&k.out);
    return error;
}

/* Import one CSV file of workers, vacancies or employers. */
static int import_csv(clb_store *st, const char *file, const clb_buf *text,
                      unsigned flags, import_seen *seen, clb_import_stats *stats,
                      clb_buf *problems, clb_error *err)
{
    clb_csv csv;
    clb_csv_kind kind;
    clb_buf rows = CLB_BUF_INIT, doc = CLB_BUF_INIT, extra = CLB_BUF_INIT,
            policy = CLB_BUF_INIT;
    idset ids = {0};
    clb_scenario *sc = NULL;
    clb_diags *diags = NULL;
    clb_error lerr;
    size_t count = 0, nrec;
    int error, idcol;
    const char *coll;

    clb_error_init(&lerr);
    if ((error = clb__csv_load_buffer(&csv, text->ptr ? text->ptr : "", text->size, file,
                                     &lerr)) < 0) {
        report_error(problems, file, &lerr);
        return clb__error_set(err, error, "%s", lerr.message);
    }
    kind = clb__csv_kind_of(&csv);
    if (kind == CLB_CSV_PLACEMENTS) {
        error = clb__error_set(err, CLB_EINVAL,
                              "%s: a placements file goes to 'circulab placement "
                              "confirm|decline|depart|return|no-return --csv'",
                              file);
        report_error(problems, file, err);
        goto done;
    }
    if ((error = clb__csv_to_json(&rows, &csv, kind, file, &lerr)) < 0) {
        report_error(problems, file, &lerr);
        clb__error_set(err, error, "%s", lerr.message);
        goto done;
    }
    if (kind == CLB_CSV_EMPLOYERS && (error = keep_stored_employer_parts(&rows, st, err)) < 0)
        goto done;
    nrec = csv.nrows - 1;
    idcol = clb__csv_column(&csv, "id");
    for (size_t r = 1; idcol >= 0 && r < csv.nrows; r++)
        if (idset_add(&ids, clb__csv_get(&csv, r, (size_t)idcol)->text) < 0) {
            error = oom(err);
            goto done;
        }
    if ((error = db_records_except(&extra, st, "SELECT id, doc FROM employers ORDER BY id",
                                   false, kind == CLB_CSV_EMPLOYERS ? &ids : &(idset){0},
                                   &count, err)) < 0)
        goto done;
    if ((error = policy_doc(&policy, st, err)) < 0)
        goto done;
    coll = kind == CLB_CSV_WORKERS     ? "$.workers"
           : kind == CLB_CSV_VACANCIES ? "$.vacancies"
                                       : "$.employers";
    {
        int rc = clb__buf_puts(&doc, "{\"format\":\"circulab-scenario/1\"");
        if (rc == 0 && policy.size)
            rc = clb__buf_printf(&doc, ",\"policy\":%s", policy.ptr);
        if (rc == 0)
            rc = clb__buf_puts(&doc, ",\"workers\":");
        if (rc == 0)
            rc = clb__buf_puts(&doc, kind == CLB_CSV_WORKERS ? rows.ptr : "[]");
        if (rc == 0)
            rc = clb__buf_puts(&doc, ",\"vacancies\":");
        if (rc == 0)
            rc = clb__buf_puts(&doc, kind == CLB_CSV_VACANCIES ? rows.ptr : "[]");
        if (rc == 0 && kind == CLB_CSV_EMPLOYERS) {
            /* rows then the database's others: "[a,b]" + ",c,d" -> "[a,b,c,d]" */
            rc = clb__buf_puts(&doc, ",\"employers\":");
            if (rc == 0)
                rc = clb__buf_put(&doc, rows.ptr, rows.size - 1);
            if (rc == 0 && extra.size)
                rc = clb__buf_puts(&doc, nrec ? extra.ptr : extra.ptr + 1);
            if (rc == 0)
                rc = clb__buf_puts(&doc, "]}");
        } else if (rc == 0) {
            rc = clb__buf_printf(&doc, ",\"employers\":[%s]}",
                                extra.size ? extra.ptr + 1 : "");
        }
        if (rc < 0) {
            error = oom(err);
            goto done;
        }
    }
    if (clb_diags_new(&diags) < 0) {
        error = oom(err);
        goto done;
    }
    error = clb_scenario_load_buffer(&sc, doc.ptr, doc.size, file, diags, &lerr);
    if (error < 0) {
        if (clb_diags_count(diags))
            report_diags(problems, diags, file, &csv, kind, coll, nrec);
        else
            report_error(problems, file, &lerr);
        clb__error_set(err, error, "%s: %s", file, lerr.message);
        goto done;
    }
    if ((error = seen_file(seen, sc, NULL, NULL, problems, err)) < 0)
        goto done;
    error = write_scenario(st, sc, NULL, kind == CLB_CSV_EMPLOYERS ? &ids : &(idset){0},
                           NULL, false, flags, stats, err);
done:
    idset_dispose(&ids);
    clb__csv_dispose(&csv);
    clb_buf_dispose(&rows);
    clb_buf_dispose(&doc);
    clb_buf_dispose(&extra);
    clb_buf_dispose(&policy);
    clb_diags_free(diags);
    clb_scenario_free(sc);
    return error;
}

int clb_store_import(clb_store *st, clb_import_stats *stats, const char *const *paths,
                     size_t n_paths, unsigned flags, clb_buf *problems, clb_error *err)
{
    clb_import_stats local;
    import_seen seen = {paths, NULL, NULL, 0};
    int first_error = 0, error;

    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof(*stats));
    seen.workers = clb__calloc(n_paths + 1, sizeof(idset));
    seen.vacancies = clb__calloc(n_paths + 1, sizeof(idset));
    if (!seen.workers || !seen.vacancies) {
        clb__free(seen.workers);
        clb__free(seen.vacancies);
        return oom(err);
    }
    if ((error = tx_begin(st, err)) < 0)
        goto out;
    for (size_t i = 0; i < n_paths; i++) {
        clb_buf text = CLB_BUF_INIT, detail = CLB_BUF_INIT;
        clb_import_stats before = *stats;
        clb_error ferr;
        const char *p;
        bool csv;

        /* after a database failure (or out of memory: SQLite may have rolled the
         * transaction back by itself), writing on would commit the later files
         * statement by statement: stop there */
        if (first_error == CLB_EDB || first_error == CLB_ENOMEM ||
            sqlite3_get_autocommit(st->db))
            break;
        clb_error_init(&ferr);
        error = clb__file_read_max(&text, paths[i], st->max_input, &ferr);
        if (error < 0) {
            report_error(problems, paths[i], &ferr);
        } else {
            p = text.ptr ? text.ptr : "";
            if (strncmp(p, "\xEF\xBB\xBF", 3) == 0)
                p += 3; /* a byte-order mark: look past it for '{' */
            while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
                p++;
            csv = ends_with_ci(paths[i], ".csv") || (*p != '{' && *p != '[');
            if (!csv && strncmp(text.ptr, "\xEF\xBB\xBF", 3) == 0) {
                memmove(text.ptr, text.ptr + 3, text.size - 3 + 1);
                text.size -= 3;
            }
            seen.file = i;
            error = csv ? import_csv(st, paths[i], &text, flags, &seen, stats, problems,
                                     &ferr)
                        : import_json(st, paths[i], &text, flags, &seen, stats, problems,
                                      &ferr);
        }
        if (error == 0) {
            int rc = clb__buf_printf(
                &detail,
                "{\"file\":\"%s\",\"workers\":%zu,\"employers\":%zu,\"vacancies\":%zu,"
                "\"quotas\":%zu,\"sessions\":%zu,\"programmes\":%zu,\"pairs\":%zu,"
                "\"workers_added\":%zu,\"workers_updated\":%zu,\"history_set\":%zu,"
                "\"history_kept\":%zu,\"pins_ignored\":%zu,\"previous_ignored\":%zu}",
                "", stats->workers - before.workers, stats->employers - before.employers,
                stats->vacancies - before.vacancies, stats->quotas - before.quotas,
                stats->sessions - before.sessions, stats->programmes - before.programmes,
                stats->pairs - before.pairs, stats->workers_added - before.workers_added,
                stats->workers_updated - before.workers_updated,
                stats->history_set - before.history_set,
                stats->history_kept - before.history_kept,
                stats->pins_ignored - before.pins_ignored,
                stats->previous_ignored - before.previous_ignored);
            /* the file name is written as JSON: replace the placeholder properly */
            if (rc == 0) {
                clb_buf d2 = CLB_BUF_INIT;
                rc = clb__buf_puts(&d2, "{\"file\":");
                if (rc == 0)
                    rc = clb__buf_put_json_string(&d2, base_name(paths[i]));
                if (rc == 0)
                    rc = clb__buf_puts(&d2, detail.ptr + strlen("{\"file\":\"\""));
                clb_buf_dispose(&detail);
                detail = d2;
            }
            if (rc < 0)
                error = oom(&ferr);
            else
                error = audit(st, "import", base_name(paths[i]), NULL, NULL, detail.ptr,
                              &ferr);
        }
        if (error < 0 && first_error == 0) {
            first_error = error;
            if (err && !err->message[0])
                *err = ferr;
        }
        clb_buf_dispose(&text);
        clb_buf_dispose(&detail);
    }
    if (first_error == 0)
        first_error = check_valid(st, problems, err);
    error = tx_end(st, first_error, err);
out:
    for (size_t i = 0; i < n_paths; i++) {
        idset_dispose(&seen.workers[i]);
        idset_dispose(&seen.vacancies[i]);
    }
    clb__free(seen.workers);
    clb__free(seen.vacancies);
    return error;
}

/* ---- rounds -------------------------------------------------------------------- */

void clb_round_opts_init(clb_round_opts *opts)
{
    memset(opts, 0, sizeof(*opts));
}

typedef struct reserve_item {
    uint32_t v, w;
    double value;
} reserve_item;

/* qsort has no payload argument in C11: the scenario the comparison reads. This makes
 * round runs non-reentrant across threads (one thread at a time may run rounds). */
static const clb_scenario *cmp_sc;

static int cmp_reserve(const void *a, const void *b)
{
    const reserve_item *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    if (x->value != y->value)
        return x->value > y->value ? -1 : 1;
    return strcmp(cmp_sc->workers[x->w].id, cmp_sc->workers[y->w].id);
}

/* Reserve lists as the result document ranks them: per vacancy, the eligible
 * workers left unplaced, best value first, at most max(headcount, 10). */
static int write_reserve(clb_store *st, long round, const clb_scenario *sc,
                         const clb_result *res, clb_error *err)
{
    clb_pairs pairs;
    bool *placed = NULL;
    reserve_item *items = NULL;
    size_t n = 0;
    sqlite3_stmt *s = NULL;
    int error;

    memset(&pairs, 0, sizeof(pairs));
    if ((error = clb__pairs_build(&pairs, sc, err)) < 0)
        return error;
    placed = clb__calloc(sc->n_workers + 1, sizeof(bool));
    items = clb__malloc((pairs.n ? pairs.n : 1) * sizeof(*items));
    if (!placed || !items) {
        error = oom(err);
        goto done;
    }
    for (size_t i = 0; i < clb_result_placement_count(res); i++) {
        clb_placement_info p;
        int32_t w;
        clb_result_placement_get(&p, res, i);
        if ((w = clb__scenario_worker_index(sc, p.worker)) >= 0)
            placed[w] = true;
    }
    for (uint32_t w = 0; w < sc->n_workers; w++)
        if (!placed[w])
            for (size_t k = pairs.first[w]; k < pairs.first[w + 1]; k++) {
                items[n].v = pairs.vac[k];
                items[n].w = w;
                items[n].value = clb__placement_value(sc, w, pairs.vac[k]);
                n++;
            }
    cmp_sc = sc;
    qsort(items, n, sizeof(*items), cmp_reserve);
    if ((error = prep(st, &s,
                      "INSERT INTO reserve(round_id, vacancy_id, rank, worker_id, value)"
                      " VALUES (?, ?, ?, ?, ?)",
                      err)) < 0)
        goto done;
    for (size_t i = 0, rank = 0; i < n && error == 0; i++) {
        size_t cap = (size_t)sc->vacancies[items[i].v].headcount;
        if (cap < 10)
            cap = 10;
        rank = (i > 0 && items[i - 1].v == items[i].v) ? rank + 1 : 1;
        if (rank > cap)
            continue;
        sqlite3_bind_int64(s, 1, round);
        bind_text(s, 2, sc->vacancies[items[i].v].id);
        sqlite3_bind_int64(s, 3, (sqlite3_int64)rank);
        bind_text(s, 4, sc->workers[items[i].w].id);
        sqlite3_bind_double(s, 5, items[i].value);
        error = step_done(st, s, err);
    }
done:
    sqlite3_finalize(s);
    clb__free(placed);
    clb__free(items);
    clb__pairs_dispose(&pairs);
    return error;
}

/* Write a solved round; returns its number in *out. Inside a transaction. */
static int write_round(long *out, clb_store *st, long season, const clb_round_opts *o,
                       const clb_scenario *sc, const clb_result *res, const clb_buf *inputs,
                       const char *fp, const char *life, int attempt, const char *started,
                       double t_solve, double t_total, clb_error *err)
{
    sqlite3_stmt *s = NULL, *kept = NULL, *link = NULL;
    clb_buf policy = CLB_BUF_INIT, result = CLB_BUF_INIT, conflicts = CLB_BUF_INIT,
            detail = CLB_BUF_INIT;
    clb_result_stats stats;
    char now[32];
    long round = 0;
    int error = 0, rc = 0;

    now_iso(now);
    clb_result_get_stats(&stats, res);
    rc = clb__scenario_save_policy(&policy, sc);
    if (rc == 0)
        rc = clb_result_save(&result, res, NULL);
    if (rc == 0)
        rc = clb__buf_puts(&conflicts, "[");
    for (size_t i = 0; rc == 0 && i < clb_result_conflict_count(res); i++) {
        if (i)
            rc = clb__buf_puts(&conflicts, ",");
        if (rc == 0)
            rc = clb__buf_put_json_string(&conflicts, clb_result_conflict_get(res, i));
    }
    if (rc == 0)
        rc = clb__buf_puts(&conflicts, "]");
    if (rc < 0) {
        error = oom(err);
        goto done;
    }
    if ((error = prep(st, &s,
                      "INSERT INTO rounds(season_id, name, created_at, created_by,"
                      " fingerprint, policy, status, objective, bound, gap, time_limit,"
                      " started_at, finished_at, seconds_solve, seconds_total, n_workers,"
                      " n_vacancies, n_pairs, conflicts, inputs, result)"
                      " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                      err)) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, season);
    bind_text(s, 2, o->name);
    bind_text(s, 3, now);
    bind_text(s, 4, st->actor);
    bind_text(s, 5, fp);
    bind_text(s, 6, policy.ptr);
    bind_text(s, 7, clb_status_name(clb_result_status(res)));
    sqlite3_bind_double(s, 8, clb_result_objective(res));
    sqlite3_bind_double(s, 9, clb_result_bound(res));
    sqlite3_bind_double(s, 10, clb_result_gap(res));
    if (o->time_limit > 0)
        sqlite3_bind_double(s, 11, o->time_limit);
    else
        sqlite3_bind_null(s, 11);
    bind_text(s, 12, started);
    bind_text(s, 13, now);
    sqlite3_bind_double(s, 14, t_solve);
    sqlite3_bind_double(s, 15, t_total);
    sqlite3_bind_int64(s, 16, (sqlite3_int64)stats.workers);
    sqlite3_bind_int64(s, 17, (sqlite3_int64)stats.vacancies);
    sqlite3_bind_int64(s, 18, (sqlite3_int64)stats.eligible_pairs);
    bind_text(s, 19, conflicts.ptr);
    bind_text(s, 20, inputs->ptr);
    bind_text(s, 21, result.ptr);
    if ((error = step_done(st, s, err)) < 0)
        goto done;
    round = (long)sqlite3_last_insert_rowid(st->db);
    sqlite3_finalize(s);
    s = NULL;

    /* placements: a pair confirmed in an earlier round of the season is the same
     * placement (one id for its whole life); the others are new proposals */
    if ((error = prep(st, &kept,
                      "SELECT p.id FROM placements p JOIN rounds r ON r.id = p.round_id"
                      " WHERE r.season_id = ? AND p.worker_id = ? AND p.vacancy_id = ?"
                      " AND p.status IN " CONFIRMED_STATES " ORDER BY p.id LIMIT 1",
                      err)) < 0 ||
        (error = prep(st, &s,
                      "INSERT INTO placements(round_id, worker_id, vacancy_id, employer_id,"
                      " site_id, start_date, end_date, value, status, updated_at)"
                      " VALUES (?,?,?,?,?,?,?,?,'proposed',?)",
                      err)) < 0 ||
        (error = prep(st, &link,
                      "INSERT INTO round_placements(round_id, placement_id) VALUES (?,?)",
                      err)) < 0)
        goto done;
    for (size_t i = 0; i < clb_result_placement_count(res) && error == 0; i++) {
        clb_placement_info p;
        sqlite3_int64 id = 0;
        clb_result_placement_get(&p, res, i);
        sqlite3_bind_int64(kept, 1, season);
        bind_text(kept, 2, p.worker);
        bind_text(kept, 3, p.vacancy);
        if (sqlite3_step(kept) == SQLITE_ROW)
            id = sqlite3_column_int64(kept, 0);
        sqlite3_reset(kept);
        sqlite3_clear_bindings(kept);
        if (!id) {
            sqlite3_bind_int64(s, 1, round);
            bind_text(s, 2, p.worker);
            bind_text(s, 3, p.vacancy);
            bind_text(s, 4, p.employer);
            bind_text(s, 5, p.site);
            bind_text(s, 6, p.start);
            bind_text(s, 7, p.end);
            sqlite3_bind_double(s, 8, p.value);
            bind_text(s, 9, now);
            if ((error = step_done(st, s, err)) < 0)
                break;
            id = sqlite3_last_insert_rowid(st->db);
        }
        sqlite3_bind_int64(link, 1, round);
        sqlite3_bind_int64(link, 2, id);
        error = step_done(st, link, err);
    }
    if (error < 0)
        goto done;
    sqlite3_finalize(s);
    s = NULL;
    if ((error = prep(st, &s,
                      "INSERT INTO training(round_id, worker_id, session_id, course)"
                      " VALUES (?,?,?,?)",
                      err)) < 0)
        goto done;
    for (size_t i = 0; i < clb_result_training_count(res) && error == 0; i++) {
        clb_training_info t;
        clb_result_training_get(&t, res, i);
        sqlite3_bind_int64(s, 1, round);
        bind_text(s, 2, t.worker);
        bind_text(s, 3, t.session);
        bind_text(s, 4, t.course);
        error = step_done(st, s, err);
    }
    sqlite3_finalize(s);
    s = NULL;
    if (error < 0 || (error = prep(st, &s,
                                   "INSERT INTO reintegration(round_id, worker_id,"
                                   " programme_id) VALUES (?,?,?)",
                                   err)) < 0)
        goto done;
    for (size_t i = 0; i < clb_result_reintegration_count(res) && error == 0; i++) {
        clb_reintegration_info r;
        clb_result_reintegration_get(&r, res, i);
        sqlite3_bind_int64(s, 1, round);
        bind_text(s, 2, r.worker);
        bind_text(s, 3, r.programme);
        error = step_done(st, s, err);
    }
    sqlite3_finalize(s);
    s = NULL;
    if (error < 0 || (error = prep(st, &s,
                                   "INSERT INTO round_vacancies(round_id, vacancy_id,"
                                   " headcount, filled) VALUES (?,?,?,?)",
                                   err)) < 0)
        goto done;
    for (size_t i = 0; i < clb_result_vacancy_count(res) && error == 0; i++) {
        clb_vacancy_fill f;
        clb_result_vacancy_get(&f, res, i);
        sqlite3_bind_int64(s, 1, round);
        bind_text(s, 2, f.id);
        sqlite3_bind_int(s, 3, f.headcount);
        sqlite3_bind_int(s, 4, f.filled);
        error = step_done(st, s, err);
    }
    if (error < 0 || (error = write_reserve(st, round, sc, res, err)) < 0)
        goto done;
    {
        char obj[32];
        snprintf(obj, sizeof(obj), "round %ld", round);
        if (clb__buf_printf(&detail,
                           "{\"status\":\"%s\",\"objective\":%.17g,\"placements\":%zu,"
                           "\"fingerprint\":\"%s\",\"lifecycle\":\"%s\",\"attempts\":%d}",
                           clb_status_name(clb_result_status(res)),
                           clb_result_objective(res), clb_result_placement_count(res),
                           fp, life, attempt) < 0) {
            error = oom(err);
            goto done;
        }
        error = audit(st, "round.run", obj, NULL, NULL, detail.ptr, err);
    }
    *out = round;
done:
    sqlite3_finalize(s);
    sqlite3_finalize(kept);
    sqlite3_finalize(link);
    clb_buf_dispose(&policy);
    clb_buf_dispose(&result);
    clb_buf_dispose(&conflicts);
    clb_buf_dispose(&detail);
    return error;
}

static int round_show_impl(clb_buf *out, clb_store *st, long round, unsigned flags,
                           bool brief, clb_error *err);

/* The first diagnostic of a failed load, as the error message. */
static int assembled_invalid(clb_diags *diags, clb_error *lerr, clb_error *err)
{
    if (diags && clb_diags_count(diags)) {
        const clb_diag *d = clb_diags_get(diags, 0);
        return clb__error_set(err, CLB_EINVAL,
                             "the round's scenario assembled from the database is invalid "
                             "(%zu problem%s): %s: %s",
                             clb_diags_count(diags), clb_diags_count(diags) == 1 ? "" : "s",
                             d->path ? d->path : "$", d->message);
    }
    return clb__error_set(err, lerr->code ? lerr->code : CLB_EINVAL,
                         "the round's scenario assembled from the database is invalid: %s",
                         lerr->message);
}

/*
 * The fingerprint of what a round reads from the season's lifecycle: the season, its
 * latest round (whose proposals earn the keep bonus), each placement of the season
 * by id with the class of its state (proposed; confirmed, departed, returned and
 * not_returned, which are all pinned alike; declined; cancelled), the stored pins
 * and bans, and the policy. Records (workers, vacancies, offers...) are not in it:
 * an import or a feed during a solve does not void the round, the next one takes
 * them. Read inside the caller's transaction.
 */
static int lifecycle_fingerprint(char out[40], clb_store *st, long season, clb_error *err)
{
    static const char *const queries[] = {
        "SELECT 'round', max(id) FROM rounds WHERE season_id = ?1",
        "SELECT p.id, CASE WHEN p.status IN " CONFIRMED_STATES " THEN 'c'"
        " ELSE p.status END FROM placements p JOIN rounds r ON r.id = p.round_id"
        " WHERE r.season_id = ?1 ORDER BY p.id",
        "SELECT kind, worker_id || ' ' || vacancy_id || ' ' || employer_id FROM pairs"
        " WHERE kind IN ('pin', 'ban') AND ?1 IS NOT NULL"
        " ORDER BY kind, worker_id, vacancy_id, employer_id",
        "SELECT key, value FROM settings WHERE key = 'policy' AND ?1 IS NOT NULL",
    };
    clb_buf text = CLB_BUF_INIT;
    int error = 0, rc = clb__buf_printf(&text, "season %ld\n", season);

    for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]) && error == 0; q++) {
        sqlite3_stmt *s = NULL;
        int step;
        if ((error = prep(st, &s, queries[q], err)) < 0)
            break;
        sqlite3_bind_int64(s, 1, season);
        while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW)
            rc = clb__buf_printf(&text, "%s %s\n", col_text0(s, 0), col_text0(s, 1));
        if (rc == 0 && step != SQLITE_DONE)
            error = db_error(st, err, "read the lifecycle");
        sqlite3_finalize(s);
    }
    if (error == 0 && rc < 0)
        error = oom(err);
    if (error == 0)
        fingerprint(out, text.ptr, text.size);
    clb_buf_dispose(&text);
    return error;
}

#define ROUND_ATTEMPTS 3 /* default number of solves before a busy season refuses */

int clb_store_round_run(clb_buf *out, long *out_round, clb_store *st,
                        const clb_round_opts *opts, unsigned flags, clb_error *err)
{
    clb_round_opts defaults;
    clb_buf inputs = CLB_BUF_INIT;
    clb_scenario *sc = NULL;
    clb_result *res = NULL;
    clb_diags *diags = NULL;
    clb_solve_opts so;
    clb_error lerr;
    assemble_opts ao;
    char fp[40], life[40], life2[40], started[32];
    long season = 0, season2 = 0, round = 0;
    double t0 = clb__now_seconds(), t1, t2;
    int error, attempts, attempt = 0;

    if (!opts) {
        clb_round_opts_init(&defaults);
        opts = &defaults;
    }
    attempts = opts->max_attempts > 0 ? opts->max_attempts : ROUND_ATTEMPTS;
    now_iso(started);
again:
    attempt++;
    clb_result_free(res);
    clb_scenario_free(sc);
    clb_diags_free(diags);
    res = NULL;
    sc = NULL;
    diags = NULL;
    clb__buf_clear(&inputs);
    /* 1. a consistent snapshot of the inputs and of the lifecycle they come from */
    if ((error = read_begin(st, err)) < 0)
        goto done;
    error = open_season(st, &season, err);
    if (error == 0) {
        memset(&ao, 0, sizeof(ao));
        ao.round = true;
        ao.season = season;
        ao.name = opts->name;
        error = assemble(&inputs, st, &ao, err);
    }
    if (error == 0)
        error = lifecycle_fingerprint(life, st, season, err);
    if ((error = tx_end(st, error, err)) < 0)
        goto done;
    fingerprint(fp, inputs.ptr, inputs.size);
    /* 2. solve, outside any transaction: a clerk may import meanwhile */
    clb_error_init(&lerr);
    if (clb_diags_new(&diags) < 0) {
        error = oom(err);
        goto done;
    }
    if (clb_scenario_load_buffer(&sc, inputs.ptr, inputs.size, "database", diags, &lerr) <
        0) {
        error = assembled_invalid(diags, &lerr, err);
        goto done;
    }
    clb_solve_opts_init(&so);
    so.time_limit = opts->time_limit;
    so.gap = opts->gap;
    so.progress = opts->progress;
    so.payload = opts->payload;
    t1 = clb__now_seconds();
    if ((error = clb_solve(&res, sc, &so, err)) < 0)
        goto done;
    t2 = clb__now_seconds();
    /* 3. write the round whole, if the lifecycle it was solved with still holds */
    if ((error = tx_begin(st, err)) < 0)
        goto done;
    error = open_season(st, &season2, err);
    if (error == 0 && season2 != season)
        error = clb__error_set(err, CLB_ESTATE,
                              "season %ld was closed while the round was solving; run the "
                              "round again",
                              season);
    if (error == 0)
        error = lifecycle_fingerprint(life2, st, season, err);
    if (error == 0 && strcmp(life, life2) != 0) {
        st->tx_failed = true;
        tx_end(st, error, err);
        if (attempt < attempts)
            goto again; /* solve again from a fresh snapshot */
        error = clb__error_set(err, CLB_EDB,
                              "the season's confirmations, declines, cancellations, pins, "
                              "bans or policy changed while the round was solving (%d "
                              "attempt%s); nothing was stored: run the round again",
                              attempt, attempt == 1 ? "" : "s");
        goto done;
    }
    if (error == 0)
        error = write_round(&round, st, season, opts, sc, res, &inputs, fp, life, attempt,
                            started, t2 - t1, clb__now_seconds() - t0, err);
    if (error == 0 && out)
        error = round_show_impl(out, st, round, flags, true, err);
    if (error == 0 && opts->dry_run)
        st->tx_failed = true; /* roll back: a dry run stores nothing */
    error = tx_end(st, error, err);
    if (error == 0 && out_round)
        *out_round = round;
done:
    clb_result_free(res);
    clb_scenario_free(sc);
    clb_diags_free(diags);
    clb_buf_dispose(&inputs);
    return error;
}

/* Column value as JSON: NULL -> null. */
static void jw_col_num(clb__jw *j, const char *key, sqlite3_stmt *s, int c)
{
    if (sqlite3_column_type(s, c) == SQLITE_NULL) {
        clb__jw_key(j, key);
        clb__jw_raw(j, "null");
    } else
        clb__jw_num(j, key, sqlite3_column_double(s, c));
}

static int round_exists(clb_store *st, long round, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = prep(st, &s, "SELECT 1 FROM rounds WHERE id = ?", err);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, round);
    if (sqlite3_step(s) != SQLITE_ROW)
        error = clb__error_set(err, CLB_ENOTFOUND, "there is no round %ld", round);
    sqlite3_finalize(s);
    return error;
}

int clb_store_round_latest(long *out, clb_store *st, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = prep(st, &s, "SELECT coalesce(max(id), 0) FROM rounds", err);
    if (error < 0)
        return error;
    *out = 0;
    if (sqlite3_step(s) == SQLITE_ROW)
        *out = (long)sqlite3_column_int64(s, 0);
    else
        error = db_error(st, err, "read");
    sqlite3_finalize(s);
    return error;
}

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

static void placement_json(clb__jw *j, sqlite3_stmt *s)
{
    clb__jw_open(j, NULL, '{');
    clb__jw_int(j, "id", sqlite3_column_int64(s, 0));
    clb__jw_int(j, "round", sqlite3_column_int64(s, 11));
    clb__jw_str(j, "worker", col_text(s, 1));
    clb__jw_str(j, "vacancy", col_text(s, 2));
    clb__jw_str(j, "employer", col_text(s, 3));
    clb__jw_str(j, "site", col_text(s, 4));
    clb__jw_str(j, "start", col_text(s, 5));
    clb__jw_str(j, "end", col_text(s, 6));
    clb__jw_num(j, "value", sqlite3_column_double(s, 7));
    clb__jw_str(j, "status", col_text(s, 8));
    if (col_text(s, 9))
        clb__jw_str(j, "departed_on", col_text(s, 9));
    if (col_text(s, 10))
        clb__jw_str(j, "returned_on", col_text(s, 10));
    clb__jw_close(j, '}');
}

/* One line; `shown` is the round being listed (0: none), so that a placement kept
 * from an earlier round says where it was proposed. */
static int placement_text(clb_buf *out, sqlite3_stmt *s, long shown)
{
    clb_buf state = CLB_BUF_INIT;
    long long from = (long long)sqlite3_column_int64(s, 11);
    int rc;
    if (shown > 0 && from != shown)
        rc = clb__buf_printf(&state, "%s (from round %lld)", col_text0(s, 8), from);
    else
        rc = clb__buf_puts(&state, col_text0(s, 8));
    if (rc == 0)
        rc = clb__buf_printf(out, "  %6lld  %-12s %-12s %-10s %s..%s  %9.1f  %s\n",
                            (long long)sqlite3_column_int64(s, 0), col_text0(s, 1),
                            col_text0(s, 2), col_text0(s, 3), col_text0(s, 5),
                            col_text0(s, 6), sqlite3_column_double(s, 7), state.ptr);
    clb_buf_dispose(&state);
    return rc;
}

static int round_show_impl(clb_buf *out, clb_store *st, long round, unsigned flags,
                           bool brief, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    bool json = flags & CLB_STORE_JSON;
    clb__jw j = CLB__JW_INIT(out);
    int error, rc = 0;
    size_t n;

    if ((error = round_exists(st, round, err)) < 0)
        return error;
    if ((error = prep(st, &s,
                      "SELECT id, season_id, name, created_at, created_by, fingerprint,"
                      " status, objective, bound, gap, seconds_solve, seconds_total,"
                      " n_workers, n_vacancies, n_pairs, conflicts, time_limit"
                      " FROM rounds WHERE id = ?",
                      err)) < 0)
        return error;
    sqlite3_bind_int64(s, 1, round);
    if (sqlite3_step(s) != SQLITE_ROW) {
        error = db_error(st, err, "read round");
        goto done;
    }
    if (json) {
        clb__jw_open(&j, NULL, '{');
        clb__jw_int(&j, "round", sqlite3_column_int64(s, 0));
        clb__jw_int(&j, "season", sqlite3_column_int64(s, 1));
        clb__jw_str(&j, "name", col_text(s, 2));
        clb__jw_str(&j, "created_at", col_text(s, 3));
        clb__jw_str(&j, "by", col_text(s, 4));
        clb__jw_str(&j, "fingerprint", col_text(s, 5));
        clb__jw_str(&j, "status", col_text(s, 6));
        clb__jw_num(&j, "objective", sqlite3_column_double(s, 7));
        jw_col_num(&j, "bound", s, 8);
        jw_col_num(&j, "gap", s, 9);
        jw_col_num(&j, "time_limit", s, 16);
        clb__jw_num(&j, "seconds_solve", sqlite3_column_double(s, 10));
        clb__jw_num(&j, "seconds_total", sqlite3_column_double(s, 11));
        clb__jw_int(&j, "workers", sqlite3_column_int64(s, 12));
        clb__jw_int(&j, "vacancies", sqlite3_column_int64(s, 13));
        clb__jw_int(&j, "eligible_pairs", sqlite3_column_int64(s, 14));
        clb__jw_rawval(&j, "conflicts", col_text(s, 15));
    } else {
        rc = clb__buf_printf(out, "round %lld%s%s%s, season %lld, %s by %s\n",
                            (long long)sqlite3_column_int64(s, 0),
                            col_text(s, 2) ? " \"" : "", col_text0(s, 2),
                            col_text(s, 2) ? "\"" : "", (long long)sqlite3_column_int64(s, 1),
                            col_text0(s, 3), col_text0(s, 4));
        if (rc == 0)
            rc = clb__buf_printf(out,
                                "status %s, objective %.10g, bound %.10g, gap %.4g%%, "
                                "solved in %.2f s\n"
                                "inputs %s: %lld workers, %lld vacancies, %lld eligible "
                                "pairs\n",
                                col_text0(s, 6), sqlite3_column_double(s, 7),
                                sqlite3_column_double(s, 8),
                                sqlite3_column_double(s, 9) * 100.0,
                                sqlite3_column_double(s, 10), col_text0(s, 5),
                                (long long)sqlite3_column_int64(s, 12),
                                (long long)sqlite3_column_int64(s, 13),
                                (long long)sqlite3_column_int64(s, 14));
        if (rc == 0 && strcmp(col_text0(s, 15), "[]") != 0)
            rc = clb__buf_printf(out, "conflicts: %s\n", col_text0(s, 15));
    }
    sqlite3_finalize(s);
    s = NULL;
    if (brief && !json) {
        /* one line of totals instead of the lists */
        if ((error = prep(st, &s,
                          "SELECT (SELECT count(*) FROM round_placements"
                          "   WHERE round_id = ?1),"
                          " (SELECT count(*) FROM round_placements k JOIN placements p"
                          "   ON p.id = k.placement_id WHERE k.round_id = ?1"
                          "   AND p.round_id <> ?1),"
                          " (SELECT coalesce(sum(filled), 0) FROM round_vacancies"
                          "   WHERE round_id = ?1),"
                          " (SELECT coalesce(sum(headcount), 0) FROM round_vacancies"
                          "   WHERE round_id = ?1)",
                          err)) < 0)
            goto done;
        sqlite3_bind_int64(s, 1, round);
        if (rc == 0 && sqlite3_step(s) == SQLITE_ROW)
            rc = clb__buf_printf(out,
                                "%lld placements (%lld kept from earlier rounds), %lld of "
                                "%lld places filled; 'circulab round show %ld' lists them\n",
                                (long long)sqlite3_column_int64(s, 0),
                                (long long)sqlite3_column_int64(s, 1),
                                (long long)sqlite3_column_int64(s, 2),
                                (long long)sqlite3_column_int64(s, 3), round);
        goto done;
    }

    /* placements */
    if ((error = prep(st, &s, PLACEMENT_SELECT " WHERE" IN_ROUND("?1")
                              " ORDER BY p.vacancy_id, p.worker_id", err)) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, round);
    if (json)
        clb__jw_open(&j, "placements", '[');
    else if (rc == 0)
        rc = clb__buf_printf(out, "\nplacements:\n  %6s  %-12s %-12s %-10s %-22s  %9s  %s\n",
                            "id", "worker", "vacancy", "employer", "period", "value",
                            "state");
    n = 0;
    while (rc == 0 && j.rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
        n++;
        if (json)
            placement_json(&j, s);
        else
            rc = placement_text(out, s, round);
    }
    if (json)
        clb__jw_close(&j, ']');
    else if (rc == 0 && n == 0)
        rc = clb__buf_puts(out, "  (none)\n");
    sqlite3_finalize(s);
    s = NULL;

    /* fill */
    if ((error = prep(st, &s,
                      "SELECT vacancy_id, headcount, filled FROM round_vacancies"
                      " WHERE round_id = ? ORDER BY vacancy_id",
                      err)) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, round);
    if (json)
        clb__jw_open(&j, "vacancies", '[');
    else if (rc == 0)
        rc = clb__buf_puts(out, "\nvacancies:\n");
    while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
        if (json) {
            clb__jw_open(&j, NULL, '{');
            clb__jw_str(&j, "id", col_text(s, 0));
            clb__jw_int(&j, "headcount", sqlite3_column_int(s, 1));
            clb__jw_int(&j, "filled", sqlite3_column_int(s, 2));
            clb__jw_close(&j, '}');
        } else
            rc = clb__buf_printf(out, "  %-12s %d of %d filled\n", col_text0(s, 0),
                                sqlite3_column_int(s, 2), sqlite3_column_int(s, 1));
    }
    if (json)
        clb__jw_close(&j, ']');
    sqlite3_finalize(s);
    s = NULL;

    /* training */
    if ((error = prep(st, &s,
                      "SELECT worker_id, session_id, course FROM training"
                      " WHERE round_id = ? ORDER BY worker_id, session_id",
                      err)) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, round);
    if (json)
        clb__jw_open(&j, "training", '[');
    n = 0;
    while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
        if (json) {
            clb__jw_open(&j, NULL, '{');
            clb__jw_str(&j, "worker", col_text(s, 0));
            clb__jw_str(&j, "session", col_text(s, 1));
            clb__jw_str(&j, "course", col_text(s, 2));
            clb__jw_close(&j, '}');
        } else
            rc = clb__buf_printf(out, "%s  %s attends %s (%s)\n",
                                n++ ? "" : "\ntraining:\n", col_text0(s, 0),
                                col_text0(s, 1), col_text0(s, 2));
    }
    if (json)
        clb__jw_close(&j, ']');
    sqlite3_finalize(s);
    s = NULL;

    /* reintegration */
    if ((error = prep(st, &s,
                      "SELECT worker_id, programme_id FROM reintegration"
                      " WHERE round_id = ? ORDER BY worker_id",
                      err)) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, round);
    if (json)
        clb__jw_open(&j, "reintegration", '[');
    n = 0;
    while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
        if (json) {
            clb__jw_open(&j, NULL, '{');
            clb__jw_str(&j, "worker", col_text(s, 0));
            clb__jw_str(&j, "programme", col_text(s, 1));
            clb__jw_close(&j, '}');
        } else
            rc = clb__buf_printf(out, "%s  %s enrolled in %s\n",
                                n++ ? "" : "\nreintegration:\n", col_text0(s, 0),
                                col_text0(s, 1));
    }
    if (json)
        clb__jw_close(&j, ']');
    sqlite3_finalize(s);
    s = NULL;

    /* reserve */
    if ((error = prep(st, &s,
                      "SELECT vacancy_id, worker_id FROM reserve WHERE round_id = ?"
                      " ORDER BY vacancy_id, rank",
                      err)) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, round);
    if (json)
        clb__jw_open(&j, "reserve", '[');
    {
        char last[128] = "";
        bool any = false;
        while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
            const char *v = col_text0(s, 0);
            bool same = strcmp(last, v) == 0;
            if (json) {
                if (!same) {
                    if (any) {
                        clb__jw_close(&j, ']');
                        clb__jw_close(&j, '}');
                    }
                    clb__jw_open(&j, NULL, '{');
                    clb__jw_str(&j, "vacancy", v);
                    clb__jw_open(&j, "workers", '[');
                }
                clb__jw_str(&j, NULL, col_text(s, 1));
            } else {
                if (!same)
                    rc = clb__buf_printf(out, "%s  %s: %s", any ? "\n" : "\nreserve:\n", v,
                                        col_text0(s, 1));
                else
                    rc = clb__buf_printf(out, ", %s", col_text0(s, 1));
            }
            any = true;
            snprintf(last, sizeof(last), "%s", v);
        }
        if (json && any) {
            clb__jw_close(&j, ']');
            clb__jw_close(&j, '}');
        }
        if (!json && any && rc == 0)
            rc = clb__buf_puts(out, "\n");
    }
    if (json) {
        clb__jw_close(&j, ']');
        clb__jw_close(&j, '}');
    }
done:
    sqlite3_finalize(s);
    if (error == 0 && (rc < 0 || j.rc < 0))
        error = oom(err);
    return error;
}

int clb_store_round_show(clb_buf *out, clb_store *st, long round, unsigned flags,
                         clb_error *err)
{
    int error;
    if ((error = read_begin(st, err)) < 0)
        return error;
    if (round <= 0 && (error = clb_store_round_latest(&round, st, err)) == 0 && round == 0)
        error = clb__error_set(err, CLB_ENOTFOUND, "there are no rounds yet");
    if (error == 0)
        error = round_show_impl(out, st, round, flags, false, err);
    return tx_end(st, error, err);
}

int clb_store_round_list(clb_buf *out, clb_store *st, unsigned flags, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    bool json = flags & CLB_STORE_JSON;
    clb__jw j = CLB__JW_INIT(out);
    int error, rc = 0;
    size_t n = 0;

    if ((error = prep(st, &s,
                      "SELECT r.id, r.season_id, r.name, r.created_at, r.created_by,"
                      " r.status, r.objective,"
                      " (SELECT count(*) FROM round_placements k WHERE k.round_id = r.id),"
                      " (SELECT coalesce(sum(filled), 0) FROM round_vacancies v"
                      "   WHERE v.round_id = r.id),"
                      " (SELECT coalesce(sum(headcount), 0) FROM round_vacancies v"
                      "   WHERE v.round_id = r.id), r.fingerprint"
                      " FROM rounds r ORDER BY r.id",
                      err)) < 0)
        return error;
    if (json)
        clb__jw_open(&j, NULL, '[');
    else
        rc = clb__buf_printf(out, "%5s  %6s  %-20s  %-10s  %10s  %14s  %s\n", "round",
                            "season", "created", "status", "placements", "filled",
                            "name");
    while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
        n++;
        if (json) {
            clb__jw_open(&j, NULL, '{');
            clb__jw_int(&j, "round", sqlite3_column_int64(s, 0));
            clb__jw_int(&j, "season", sqlite3_column_int64(s, 1));
            clb__jw_str(&j, "name", col_text(s, 2));
            clb__jw_str(&j, "created_at", col_text(s, 3));
            clb__jw_str(&j, "by", col_text(s, 4));
            clb__jw_str(&j, "status", col_text(s, 5));
            clb__jw_num(&j, "objective", sqlite3_column_double(s, 6));
            clb__jw_int(&j, "placements", sqlite3_column_int64(s, 7));
            clb__jw_int(&j, "filled", sqlite3_column_int64(s, 8));
            clb__jw_int(&j, "places", sqlite3_column_int64(s, 9));
            clb__jw_str(&j, "fingerprint", col_text(s, 10));
            clb__jw_close(&j, '}');
        } else {
            char filled[48];
            snprintf(filled, sizeof(filled), "%lld/%lld",
                     (long long)sqlite3_column_int64(s, 8),
                     (long long)sqlite3_column_int64(s, 9));
            rc = clb__buf_printf(out, "%5lld  %6lld  %-20s  %-10s  %10lld  %14s  %s\n",
                                (long long)sqlite3_column_int64(s, 0),
                                (long long)sqlite3_column_int64(s, 1), col_text0(s, 3),
                                col_text0(s, 5), (long long)sqlite3_column_int64(s, 7),
                                filled, col_text0(s, 2));
        }
    }
    if (json)
        clb__jw_close(&j, ']');
    else if (rc == 0 && n == 0)
        rc = clb__buf_puts(out, "(no rounds yet: run 'circulab round run')\n");
    sqlite3_finalize(s);
    if (rc < 0)
        return oom(err);
    return clb__jw_finish(&j, err);
}

/* ---- round diff ----------------------------------------------------------------- */

typedef struct wv {
    char *worker, *vacancy;
} wv;

static int load_pairs(wv **out, size_t *n, clb_store *st, long round, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    size_t cap = 0;
    int error = prep(st, &s,
                     "SELECT p.worker_id, p.vacancy_id FROM placements p WHERE"
                     IN_ROUND("?1") " ORDER BY p.worker_id, p.vacancy_id",
                     err);
    *out = NULL;
    *n = 0;
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, round);
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (*n == cap) {
            wv *p = clb__realloc(*out, (cap = cap ? cap * 2 : 64) * sizeof(wv));
            if (!p) {
                error = oom(err);
                break;
            }
            *out = p;
        }
        (*out)[*n].worker = xstrdup(col_text0(s, 0));
        (*out)[*n].vacancy = xstrdup(col_text0(s, 1));
        (*n)++;
        if (!(*out)[*n - 1].worker || !(*out)[*n - 1].vacancy) {
            error = oom(err);
            break;
        }
    }
    sqlite3_finalize(s);
    return error;
}

static void free_pairs(wv *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        clb__free(p[i].worker);
        clb__free(p[i].vacancy);
    }
    clb__free(p);
}

/* The vacancies of `worker` in a sorted pair list, as "V1, V2" (empty when none). */
static int vacancies_of(clb_buf *out, const wv *p, size_t n, const char *worker)
{
    int rc = 0;
    bool first = true;
    for (size_t i = 0; i < n && rc == 0; i++)
        if (strcmp(p[i].worker, worker) == 0) {
            rc = clb__buf_printf(out, "%s%s", first ? "" : ", ", p[i].vacancy);
            first = false;
        }
    if (first && rc == 0)
        rc = clb__buf_put(out, "", 0);
    return rc;
}

int clb_store_round_diff(clb_buf *out, clb_store *st, long a, long b, unsigned flags,
                         clb_error *err)
{
    wv *pa = NULL, *pb = NULL;
    size_t na = 0, nb = 0;
    sqlite3_stmt *s = NULL;
    bool json = flags & CLB_STORE_JSON;
    clb__jw j = CLB__JW_INIT(out);
    idset workers = {0};
    double obj[2] = {0, 0};
    int error, rc = 0;
    size_t moved = 0, entered = 0, left = 0;

    if ((error = read_begin(st, err)) < 0)
        return error;
    if ((error = round_exists(st, a, err)) < 0 || (error = round_exists(st, b, err)) < 0)
        goto done;
    if ((error = load_pairs(&pa, &na, st, a, err)) < 0 ||
        (error = load_pairs(&pb, &nb, st, b, err)) < 0)
        goto done;
    if ((error = prep(st, &s, "SELECT objective FROM rounds WHERE id = ?", err)) < 0)
        goto done;
    for (int k = 0; k < 2; k++) {
        sqlite3_bind_int64(s, 1, k ? b : a);
        if (sqlite3_step(s) == SQLITE_ROW)
            obj[k] = sqlite3_column_double(s, 0);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    s = NULL;
    /* every worker of either round, once, sorted */
    for (size_t i = 0; i < na; i++)
        if (!idset_has(&workers, pa[i].worker) && idset_add(&workers, pa[i].worker) < 0)
            error = oom(err);
    for (size_t i = 0; i < nb; i++)
        if (!idset_has(&workers, pb[i].worker) && idset_add(&workers, pb[i].worker) < 0)
            error = oom(err);
    if (error < 0)
        goto done;
    (void)idset_has(&workers, ""); /* sorts */
    if (json) {
        clb__jw_open(&j, NULL, '{');
        clb__jw_int(&j, "from", a);
        clb__jw_int(&j, "to", b);
        clb__jw_num(&j, "objective_from", obj[0]);
        clb__jw_num(&j, "objective_to", obj[1]);
        clb__jw_num(&j, "objective_change", obj[1] - obj[0]);
        clb__jw_open(&j, "workers", '[');
    } else
        rc = clb__buf_printf(out, "round %ld -> round %ld\n", a, b);
    for (size_t i = 0; i < workers.n && rc == 0 && j.rc == 0; i++) {
        clb_buf va = CLB_BUF_INIT, vb = CLB_BUF_INIT;
        const char *w = workers.v[i], *what;
        rc = vacancies_of(&va, pa, na, w);
        if (rc == 0)
            rc = vacancies_of(&vb, pb, nb, w);
        if (rc == 0 && strcmp(va.ptr, vb.ptr) != 0) {
            what = !*va.ptr ? "entered" : !*vb.ptr ? "left" : "moved";
            if (!*va.ptr)
                entered++;
            else if (!*vb.ptr)
                left++;
            else
                moved++;
            if (json) {
                clb__jw_open(&j, NULL, '{');
                clb__jw_str(&j, "worker", w);
                clb__jw_str(&j, "change", what);
                clb__jw_str(&j, "from", *va.ptr ? va.ptr : NULL);
                clb__jw_str(&j, "to", *vb.ptr ? vb.ptr : NULL);
                clb__jw_close(&j, '}');
            } else if (!*va.ptr)
                rc = clb__buf_printf(out, "  + %-12s entered: %s\n", w, vb.ptr);
            else if (!*vb.ptr)
                rc = clb__buf_printf(out, "  - %-12s left: was %s\n", w, va.ptr);
            else
                rc = clb__buf_printf(out, "  ~ %-12s moved: %s -> %s\n", w, va.ptr, vb.ptr);
        }
        clb_buf_dispose(&va);
        clb_buf_dispose(&vb);
    }
    if (json)
        clb__jw_close(&j, ']');
    else if (rc == 0)
        rc = clb__buf_printf(out, "%zu moved, %zu entered, %zu left\n", moved, entered, left);
    /* fill per vacancy, over the vacancies of either round */
    if ((error = prep(st, &s,
                      "SELECT v.vacancy_id, max(CASE WHEN v.round_id = ?1 THEN v.filled END),"
                      " max(CASE WHEN v.round_id = ?2 THEN v.filled END), max(v.headcount)"
                      " FROM round_vacancies v WHERE v.round_id IN (?1, ?2)"
                      " GROUP BY v.vacancy_id ORDER BY v.vacancy_id",
                      err)) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, a);
    sqlite3_bind_int64(s, 2, b);
    if (json)
        clb__jw_open(&j, "vacancies", '[');
    else if (rc == 0)
        rc = clb__buf_puts(out, "fill:\n");
    while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
        bool in_a = sqlite3_column_type(s, 1) != SQLITE_NULL;
        bool in_b = sqlite3_column_type(s, 2) != SQLITE_NULL;
        int fa = sqlite3_column_int(s, 1), fb = sqlite3_column_int(s, 2);
        if (json) {
            clb__jw_open(&j, NULL, '{');
            clb__jw_str(&j, "id", col_text(s, 0));
            clb__jw_int(&j, "headcount", sqlite3_column_int(s, 3));
            if (in_a)
                clb__jw_int(&j, "filled_from", fa);
            else
                clb__jw_rawval(&j, "filled_from", NULL);
            if (in_b)
                clb__jw_int(&j, "filled_to", fb);
            else
                clb__jw_rawval(&j, "filled_to", NULL);
            clb__jw_close(&j, '}');
        } else if (!in_a || !in_b || fa != fb) {
            char from[16] = "-", to[16] = "-";
            if (in_a)
                snprintf(from, sizeof(from), "%d", fa);
            if (in_b)
                snprintf(to, sizeof(to), "%d", fb);
            rc = clb__buf_printf(out, "  %-12s %s -> %s of %d\n", col_text0(s, 0), from, to,
                                sqlite3_column_int(s, 3));
        }
    }
    if (json) {
        clb__jw_close(&j, ']');
        clb__jw_int(&j, "moved", (long long)moved);
        clb__jw_int(&j, "entered", (long long)entered);
        clb__jw_int(&j, "left", (long long)left);
        clb__jw_close(&j, '}');
    } else if (rc == 0)
        rc = clb__buf_printf(out, "objective %.10g -> %.10g (%+.10g)\n", obj[0], obj[1],
                            obj[1] - obj[0]);
    if (rc < 0 || j.rc < 0)
        error = oom(err);
done:
    sqlite3_finalize(s);
    free_pairs(pa, na);
    free_pairs(pb, nb);
    idset_dispose(&workers);
    return tx_end(st, error, err);
}

/* ---- the placement lifecycle ----------------------------------------------------- */

const char *clb_action_name(clb_action action)
{
    switch (action) {
    case CLB_ACT_CONFIRM: return "confirm";
    case CLB_ACT_DECLINE: return "decline";
    case CLB_ACT_DEPART: return "depart";
    case CLB_ACT_RETURN: return "return";
    case CLB_ACT_NO_RETURN: return "no-return";
    case CLB_ACT_CANCEL: return "cancel";
    }
    return "?";
}

static const char *action_from(clb_action a)
{
    switch (a) {
    case CLB_ACT_CONFIRM:
    case CLB_ACT_DECLINE: return "proposed";
    case CLB_ACT_DEPART:
    case CLB_ACT_CANCEL: return "confirmed";
    default: return "departed";
    }
}

static const char *action_to(clb_action a)
{
    switch (a) {
    case CLB_ACT_CONFIRM: return "confirmed";
    case CLB_ACT_DECLINE: return "declined";
    case CLB_ACT_DEPART: return "departed";
    case CLB_ACT_RETURN: return "returned";
    case CLB_ACT_CANCEL: return "cancelled";
    default: return "not_returned";
    }
}

/* What to do instead, for a message about an illegal transition. */
static const char *hint_for(const char *status)
{
    if (!strcmp(status, "proposed"))
        return "confirm or decline it first";
    if (!strcmp(status, "confirmed"))
        return "it can only depart or be cancelled";
    if (!strcmp(status, "departed"))
        return "it can only return or not return";
    return "its lifecycle is over";
}

/*
 * Whether the season's confirmed placements (the `previous` confirmed entries of the
 * next round) and the stored pins can all hold together: the round's scenario is
 * assembled inside the caller's transaction, which already holds the new
 * confirmations, and the engine solves the model of the pins alone, naming the
 * pins and constraints that cannot hold (SPEC 3.8) when it is infeasible.
 */
static int check_confirmed(clb_store *st, long season, size_t n_new, const char *verb,
                           clb_error *err)
{
    clb_buf doc = CLB_BUF_INIT;
    clb_scenario *sc = NULL;
    clb_diags *diags = NULL;
    clb_error lerr, serr;
    assemble_opts ao;
    int error;

    memset(&ao, 0, sizeof(ao));
    ao.round = true;
    ao.season = season;
    clb_error_init(&lerr);
    clb_error_init(&serr);
    if ((error = assemble(&doc, st, &ao, err)) < 0)
        goto done;
    if (clb_diags_new(&diags) < 0) {
        error = oom(err);
        goto done;
    }
    if (clb_scenario_load_buffer(&sc, doc.ptr, doc.size, "database", diags, &lerr) < 0) {
        error = assembled_invalid(diags, &lerr, err);
        goto done;
    }
    error = clb_solve_check_pins(sc, &serr);
    if (error == CLB_EINFEASIBLE) {
        const char *why = serr.message;
        if (strncmp(why, "infeasible: ", 12) == 0)
            why += 12;
        if (!verb)
            error = clb__error_set(err, CLB_EINFEASIBLE,
                                  "the change would leave the season's confirmed "
                                  "placements and pins without a plan: %s",
                                  why);
        else
            error = clb__error_set(err, CLB_EINFEASIBLE,
                                  "infeasible: %s %zu placement%s would leave the "
                                  "season's confirmed placements without a plan: %s",
                                  verb, n_new, n_new == 1 ? "" : "s", why);
    }
    else if (error < 0)
        error = clb__error_set(err, error, "%s", serr.message);
done:
    clb_scenario_free(sc);
    clb_diags_free(diags);
    clb_buf_dispose(&doc);
    return error;
}

int clb__store_check_confirmed(clb_store *st, long season, size_t n_new, const char *verb,
                               clb_error *err)
{
    return check_confirmed(st, season, n_new, verb, err);
}

/*
 * A departure or return date must be plausible for the placement (docs/DATABASE.md,
 * "The placement lifecycle"): a departure from DEPART_EARLY_DAYS before the
 * placement's start (travel, pre-departure training, a worker who left for an earlier
 * job) to its end, a return from its start to RETURN_LATE_DAYS after its
 * end (a return before the departure is refused separately). A typing slip such as
 * 1900-01-01 or 2062 for a 2026 placement would otherwise roll the worker's history
 * (last return, days abroad) to a date that never was.
 */
#define DEPART_EARLY_DAYS 180
#define RETURN_LATE_DAYS 180

static int check_lifecycle_date(long id, clb_action action, clb_date d, const char *start,
                                const char *end, clb_error *err)
{
    clb_date s, e, lo, hi;
    char from[16], to[16], given[16];
    if (!clb__date_parse(&s, start) || !clb__date_parse(&e, end))
        return 0; /* a stored placement always has both */
    if (action == CLB_ACT_DEPART) {
        lo = s - DEPART_EARLY_DAYS;
        hi = e;
    } else {
        lo = s;
        hi = e + RETURN_LATE_DAYS;
    }
    if (d >= lo && d <= hi)
        return 0;
    clb__date_format(from, lo);
    clb__date_format(to, hi);
    clb__date_format(given, d);
    return clb__error_set(err, CLB_EINVAL,
                         "placement %ld (%s to %s): %s date %s is not plausible; it must "
                         "be between %s and %s",
                         id, start, end, action == CLB_ACT_DEPART ? "departure" : "return",
                         given, from, to);
}

int clb_store_placement_apply(clb_buf *out, clb_store *st, clb_action action,
                              const clb_change *changes, size_t n, const char *note,
                              unsigned flags, clb_error *err)
{
    sqlite3_stmt *sel = NULL, *upd = NULL, *latest = NULL;
    bool json = flags & CLB_STORE_JSON;
    clb__jw j = CLB__JW_INIT(out);
    long season = 0;
    int error, rc = 0;
    char now[32];

    if (n == 0)
        return clb__error_set(err, CLB_EINVAL, "no placement ids given");
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < i; k++)
            if (changes[i].placement == changes[k].placement)
                return clb__error_set(err, CLB_EINVAL, "placement %ld is listed twice",
                                     changes[i].placement);
    if (action == CLB_ACT_CANCEL && (!note || !note[0]))
        return clb__error_set(err, CLB_EINVAL, "a cancellation needs a reason");
    now_iso(now);
    if ((error = tx_begin(st, err)) < 0)
        return error;
    if ((error = open_season(st, &season, err)) < 0)
        goto done;
    if ((error = prep(st, &sel,
                      "SELECT p.status, p.round_id, p.worker_id, p.vacancy_id, p.start_date,"
                      " p.end_date, r.season_id, p.departed_on"
                      " FROM placements p JOIN rounds r ON r.id = p.round_id WHERE p.id = ?",
                      err)) < 0 ||
        (error = prep(st, &latest, "SELECT max(id) FROM rounds WHERE season_id = ?", err)) <
            0 ||
        (error = prep(st, &upd,
                      "UPDATE placements SET status = ?2, updated_at = ?3,"
                      " departed_on = coalesce(?4, departed_on),"
                      " returned_on = coalesce(?5, returned_on) WHERE id = ?1",
                      err)) < 0)
        goto done;
    if (json)
        clb__jw_open(&j, NULL, '[');
    for (size_t i = 0; i < n && error == 0; i++) {
        long id = changes[i].placement;
        const char *date = changes[i].date;
        char status[32], worker[128], vacancy[128], start[16], end[16], departed[16];
        char object[48], depart_date[16] = "", return_date[16] = "";
        clb_buf detail = CLB_BUF_INIT;
        long round, from_season;
        clb_date d;

        sqlite3_bind_int64(sel, 1, id);
        if (sqlite3_step(sel) != SQLITE_ROW) {
            sqlite3_reset(sel);
            error = clb__error_set(err, CLB_ENOTFOUND, "placement %ld does not exist", id);
            break;
        }
        snprintf(status, sizeof(status), "%s", col_text0(sel, 0));
        round = (long)sqlite3_column_int64(sel, 1);
        snprintf(worker, sizeof(worker), "%s", col_text0(sel, 2));
        snprintf(vacancy, sizeof(vacancy), "%s", col_text0(sel, 3));
        snprintf(start, sizeof(start), "%s", col_text0(sel, 4));
        snprintf(end, sizeof(end), "%s", col_text0(sel, 5));
        snprintf(departed, sizeof(departed), "%s", col_text0(sel, 7));
        from_season = (long)sqlite3_column_int64(sel, 6);
        sqlite3_reset(sel);
        if (from_season != season) {
            error = clb__error_set(err, CLB_ESTATE,
                                  "cannot %s placement %ld: it belongs to season %ld, which "
                                  "is closed",
                                  clb_action_name(action), id, from_season);
            break;
        }
        if (strcmp(status, action_to(action)) == 0) {
            /* already in the target state: reported, not a failure of the batch */
            if (json) {
                clb__jw_open(&j, NULL, '{');
                clb__jw_int(&j, "placement", id);
                clb__jw_str(&j, "worker", worker);
                clb__jw_str(&j, "vacancy", vacancy);
                clb__jw_str(&j, "before", status);
                clb__jw_str(&j, "after", status);
                clb__jw_rawval(&j, "unchanged", "true");
                clb__jw_close(&j, '}');
            } else if (out)
                rc = clb__buf_printf(out, "placement %ld (%s at %s): already %s, unchanged\n",
                                    id, worker, vacancy, status);
            continue;
        }
        if (strcmp(status, action_from(action)) != 0) {
            error = clb__error_set(err, CLB_ESTATE,
                                  "cannot %s placement %ld (%s at %s): it is %s, not %s; %s",
                                  clb_action_name(action), id, worker, vacancy, status,
                                  action_from(action), hint_for(status));
            break;
        }
        if (action == CLB_ACT_CONFIRM || action == CLB_ACT_DECLINE) {
            long last = 0;
            sqlite3_bind_int64(latest, 1, season);
            if (sqlite3_step(latest) == SQLITE_ROW)
                last = (long)sqlite3_column_int64(latest, 0);
            sqlite3_reset(latest);
            if (last != round) {
                error = clb__error_set(err, CLB_ESTATE,
                                      "cannot %s placement %ld: it is a proposal of round %ld, "
                                      "superseded by round %ld",
                                      clb_action_name(action), id, round, last);
                break;
            }
        }
        if (action == CLB_ACT_CONFIRM) {
            /* a proposal whose vacancy was withdrawn since cannot be confirmed: the
             * next round would drop the confirmed placement (and no change could
             * reopen or withdraw anything while it stands, check_valid) */
            sqlite3_stmt *vs = NULL;
            char vstatus[16] = "";
            if ((error = prep(st, &vs, "SELECT status FROM vacancies WHERE id = ?", err)) < 0)
                break;
            sqlite3_bind_text(vs, 1, vacancy, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(vs) == SQLITE_ROW)
                snprintf(vstatus, sizeof(vstatus), "%s", col_text0(vs, 0));
            sqlite3_finalize(vs);
            if (strcmp(vstatus, "open") != 0) {
                error = clb__error_set(err, CLB_ESTATE,
                                      "cannot confirm placement %ld (%s at %s): the vacancy "
                                      "is %s",
                                      id, worker, vacancy, vstatus[0] ? vstatus : "gone");
                break;
            }
        }
        if (date) {
            if (!clb__date_parse(&d, date)) {
                error = clb__error_set(err, CLB_EINVAL,
                                      "placement %ld: '%s' is not a date (YYYY-MM-DD)", id,
                                      date);
                break;
            }
            if (action == CLB_ACT_CONFIRM || action == CLB_ACT_DECLINE ||
                action == CLB_ACT_NO_RETURN || action == CLB_ACT_CANCEL) {
                error = clb__error_set(err, CLB_EINVAL, "placement %ld: %s takes no date", id,
                                      clb_action_name(action));
                break;
            }
        }
        if (action == CLB_ACT_DEPART)
            snprintf(depart_date, sizeof(depart_date), "%s", date ? date : start);
        if (action == CLB_ACT_RETURN) {
            snprintf(return_date, sizeof(return_date), "%s", date ? date : end);
            if (departed[0] && strcmp(return_date, departed) < 0) {
                error = clb__error_set(err, CLB_EINVAL,
                                      "placement %ld: return date %s is before the "
                                      "departure on %s",
                                      id, return_date, departed);
                break;
            }
        }
        if (date && (error = check_lifecycle_date(id, action, d, start, end, err)) < 0)
            break;
        sqlite3_bind_int64(upd, 1, id);
        bind_text(upd, 2, action_to(action));
        bind_text(upd, 3, now);
        bind_text(upd, 4, depart_date[0] ? depart_date : NULL);
        bind_text(upd, 5, return_date[0] ? return_date : NULL);
        if ((error = step_done(st, upd, err)) < 0)
            break;
        snprintf(object, sizeof(object), "placement %ld", id);
        rc = clb__buf_puts(&detail, "{\"worker\":");
        if (rc == 0)
            rc = clb__buf_put_json_string(&detail, worker);
        if (rc == 0)
            rc = clb__buf_puts(&detail, ",\"vacancy\":");
        if (rc == 0)
            rc = clb__buf_put_json_string(&detail, vacancy);
        if (rc == 0)
            rc = clb__buf_printf(&detail, ",\"round\":%ld", round);
        if (rc == 0 && (depart_date[0] || return_date[0]))
            rc = clb__buf_printf(&detail, ",\"date\":\"%s\"",
                                depart_date[0] ? depart_date : return_date);
        if (rc == 0 && note) {
            rc = clb__buf_puts(&detail, action == CLB_ACT_CANCEL ? ",\"reason\":"
                                                                : ",\"note\":");
            if (rc == 0)
                rc = clb__buf_put_json_string(&detail, note);
        }
        if (rc == 0)
            rc = clb__buf_puts(&detail, "}");
        if (rc < 0) {
            clb_buf_dispose(&detail);
            error = oom(err);
            break;
        }
        char act[32];
        snprintf(act, sizeof(act), "placement.%s", clb_action_name(action));
        error = audit(st, act, object, status, action_to(action), detail.ptr, err);
        clb_buf_dispose(&detail);
        if (error < 0)
            break;
        if (json) {
            clb__jw_open(&j, NULL, '{');
            clb__jw_int(&j, "placement", id);
            clb__jw_str(&j, "worker", worker);
            clb__jw_str(&j, "vacancy", vacancy);
            clb__jw_str(&j, "before", status);
            clb__jw_str(&j, "after", action_to(action));
            if (depart_date[0] || return_date[0])
                clb__jw_str(&j, "date", depart_date[0] ? depart_date : return_date);
            clb__jw_close(&j, '}');
        } else if (out) {
            rc = clb__buf_printf(out, "placement %ld (%s at %s): %s -> %s%s%s\n", id, worker,
                                vacancy, status, action_to(action),
                                depart_date[0] || return_date[0] ? " on " : "",
                                depart_date[0] ? depart_date : return_date);
        }
    }
    if (json && error == 0)
        clb__jw_close(&j, ']');
    if (error == 0 && (rc < 0 || j.rc < 0))
        error = oom(err);
    /* the confirmations are written but not committed: check that the season's
     * confirmed placements, these among them, can all still hold */
    if (error == 0 && action == CLB_ACT_CONFIRM)
        error = check_confirmed(st, season, n, "confirming", err);
done:
    sqlite3_finalize(sel);
    sqlite3_finalize(upd);
    sqlite3_finalize(latest);
    return tx_end(st, error, err);
}

int clb_store_placement_apply_csv(clb_buf *out, clb_store *st, clb_action action,
                                  const char *csv_path, const char *note, unsigned flags,
                                  clb_error *err)
{
    clb_csv csv;
    clb_change *changes = NULL;
    int pcol, dcol, error;
    size_t n = 0;

    if ((error = clb__csv_load_file(&csv, csv_path, err)) < 0)
        return error;
    pcol = clb__csv_column(&csv, "placement");
    if (pcol < 0)
        pcol = clb__csv_column(&csv, "id");
    dcol = clb__csv_column(&csv, "date");
    if (pcol < 0) {
        error = clb__error_set(err, CLB_EINVAL, "%s: no column 'placement'", csv_path);
        goto done;
    }
    changes = clb__calloc(csv.nrows + 1, sizeof(*changes));
    if (!changes) {
        error = oom(err);
        goto done;
    }
    for (size_t r = 1; r < csv.nrows; r++) {
        const clb_csv_cell *c = clb__csv_get(&csv, r, (size_t)pcol);
        char *end;
        long id;
        errno = 0;
        id = strtol(c->text, &end, 10);
        if (errno || *end || end == c->text || id <= 0) {
            error = clb__error_set(err, CLB_EINVAL, "%s:%d:%d: '%s' is not a placement id",
                                  csv_path, c->line, c->column, c->text);
            if (err && err->line == 0) {
                err->line = c->line;
                err->column = c->column;
            }
            goto done;
        }
        changes[n].placement = id;
        if (dcol >= 0 && clb__csv_get(&csv, r, (size_t)dcol)->text[0])
            changes[n].date = clb__csv_get(&csv, r, (size_t)dcol)->text;
        n++;
    }
    error = clb_store_placement_apply(out, st, action, changes, n, note, flags, err);
done:
    clb__free(changes);
    clb__csv_dispose(&csv);
    return error;
}

int clb_store_placement_list(clb_buf *out, clb_store *st, long round, const char *status,
                             unsigned flags, clb_error *err)
{
    clb_placement_filter f = {0};
    f.round = round;
    f.status = status;
    return clb_store_placement_query(out, st, &f, flags, err);
}

int clb_store_placement_query(clb_buf *out, clb_store *st, const clb_placement_filter *f,
                              unsigned flags, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    bool json = flags & CLB_STORE_JSON;
    clb__jw j = CLB__JW_INIT(out);
    int error, rc = 0;
    size_t n = 0;

    if ((error = prep(st, &s,
                      PLACEMENT_SELECT " WHERE (?1 <= 0 OR" IN_ROUND("?1") ")"
                                       " AND (?2 IS NULL OR p.status = ?2)"
                                       " AND (?3 IS NULL OR p.employer_id = ?3)"
                                       " AND (?4 IS NULL OR p.worker_id = ?4)"
                                       " AND (?5 IS NULL OR p.vacancy_id = ?5)"
                                       " ORDER BY p.id",
                      err)) < 0)
        return error;
    sqlite3_bind_int64(s, 1, f->round);
    bind_text(s, 2, f->status);
    bind_text(s, 3, f->employer);
    bind_text(s, 4, f->worker);
    bind_text(s, 5, f->vacancy);
    if (json)
        clb__jw_open(&j, NULL, '[');
    else
        rc = clb__buf_printf(out, "  %6s  %-12s %-12s %-10s %-22s  %9s  %s\n", "id",
                            "worker", "vacancy", "employer", "period", "value", "state");
    while (rc == 0 && j.rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
        n++;
        if (json)
            placement_json(&j, s);
        else
            rc = placement_text(out, s, 0);
    }
    if (json)
        clb__jw_close(&j, ']');
    else if (rc == 0 && n == 0)
        rc = clb__buf_puts(out, "  (none)\n");
    sqlite3_finalize(s);
    if (rc < 0)
        return oom(err);
    return clb__jw_finish(&j, err);
}

/* ---- seasons ------------------------------------------------------------------- */

/* A worker's history as JSON, from the columns of the row at `c`. */
static int history_json(clb_buf *out, sqlite3_stmt *s, int c)
{
    int rc = clb__buf_printf(out, "{\"campaigns\":%d,\"returned\":%s",
                            sqlite3_column_int(s, c), sqlite3_column_int(s, c + 1) ? "true"
                                                                                   : "false");
    if (rc == 0 && col_text(s, c + 2)) {
        rc = clb__buf_puts(out, ",\"last_employer\":");
        if (rc == 0)
            rc = clb__buf_put_json_string(out, col_text(s, c + 2));
    }
    if (rc == 0 && col_text(s, c + 3))
        rc = clb__buf_printf(out, ",\"last_return\":\"%s\"", col_text(s, c + 3));
    if (rc == 0)
        rc = clb__buf_printf(out, ",\"days_abroad\":%d", sqlite3_column_int(s, c + 4));
    if (rc == 0 && col_text(s, c + 5))
        rc = clb__buf_printf(out, ",\"banned_until\":\"%s\"", col_text(s, c + 5));
    if (rc == 0)
        rc = clb__buf_puts(out, "}");
    return rc;
}

#define HISTORY_COLS "campaigns, returned, last_employer, last_return, days_abroad, banned_until"

int clb_store_season_close(clb_buf *out, clb_store *st, const char *date, const char *name,
                           unsigned flags, clb_error *err)
{
    sqlite3_stmt *rows = NULL, *hist = NULL, *upd = NULL, *s = NULL;
    bool json = flags & CLB_STORE_JSON;
    clb__jw j = CLB__JW_INIT(out);
    clb_policy policy;
    clb_date close;
    char close_s[16], ban_s[16], now[32];
    long season = 0;
    size_t n_workers = 0, n_returned = 0, n_not = 0, closed[3] = {0, 0, 0}, pins_released = 0;
    int error, rc = 0;

    if (!date) {
        today(close_s);
        date = close_s;
    }
    if (!clb__date_parse(&close, date))
        return clb__error_set(err, CLB_EINVAL, "'%s' is not a date (YYYY-MM-DD)", date);
    clb__date_format(close_s, close);
    now_iso(now);
    if ((error = tx_begin(st, err)) < 0)
        return error;
    if ((error = open_season(st, &season, err)) < 0 ||
        (error = load_policy(&policy, st, err)) < 0)
        goto done;
    clb__date_format(ban_s, close + policy.no_return_ban_days);
    if (!(flags & CLB_SEASON_FORCE)) {
        clb_buf ids = CLB_BUF_INIT;
        size_t k = 0;
        if ((error = prep(st, &s,
                          "SELECT p.id FROM placements p JOIN rounds r ON r.id = p.round_id"
                          " WHERE r.season_id = ? AND p.status = 'departed' ORDER BY p.id",
                          err)) < 0)
            goto done;
        sqlite3_bind_int64(s, 1, season);
        while (sqlite3_step(s) == SQLITE_ROW && k < 20)
            clb__buf_printf(&ids, "%s%lld", k++ ? ", " : "",
                           (long long)sqlite3_column_int64(s, 0));
        sqlite3_finalize(s);
        s = NULL;
        if (k) {
            error = clb__error_set(err, CLB_ESTATE,
                                  "cannot close season %ld: placement%s %s%s still abroad; "
                                  "record 'placement return' or 'placement no-return' "
                                  "first, or close with --force",
                                  season, k == 1 ? "" : "s", ids.ptr, k == 1 ? " is" : " are");
            clb_buf_dispose(&ids);
            goto done;
        }
        clb_buf_dispose(&ids);
    }
    /* the departed placements of the season, latest first per worker */
    if ((error = prep(st, &rows,
                      "SELECT p.worker_id, p.status, p.employer_id, p.end_date, p.returned_on"
                      " FROM placements p JOIN rounds r ON r.id = p.round_id"
                      " WHERE r.season_id = ?"
                      " AND p.status IN ('departed', 'returned', 'not_returned')"
                      " ORDER BY p.worker_id, p.end_date DESC, p.start_date DESC, p.id DESC",
                      err)) < 0 ||
        (error = prep(st, &hist, "SELECT " HISTORY_COLS " FROM workers WHERE id = ?", err)) <
            0 ||
        (error = prep(st, &upd,
                      "UPDATE workers SET campaigns = campaigns + 1, returned = ?2,"
                      " last_employer = ?3, last_return = ?4, days_abroad = 0,"
                      " banned_until = CASE WHEN ?5 IS NOT NULL AND (banned_until IS NULL"
                      "   OR banned_until < ?5) THEN ?5 ELSE banned_until END,"
                      " updated_at = ?6 WHERE id = ?1",
                      err)) < 0)
        goto done;
    sqlite3_bind_int64(rows, 1, season);
    if (json) {
        clb__jw_open(&j, NULL, '{');
        clb__jw_int(&j, "season", season);
        clb__jw_str(&j, "close_date", close_s);
        clb__jw_open(&j, "workers", '[');
    }
    {
        char worker[128] = "", employer[128] = "", last_return[16] = "";
        bool all_returned = true, any_not = false, have = false;
        int step;
        do {
            step = sqlite3_step(rows);
            bool row = step == SQLITE_ROW;
            if (have && (!row || strcmp(worker, col_text0(rows, 0)) != 0)) {
                /* roll this worker's history forward */
                clb_buf before = CLB_BUF_INIT, after = CLB_BUF_INIT;
                bind_text(hist, 1, worker);
                if (sqlite3_step(hist) == SQLITE_ROW)
                    rc = history_json(&before, hist, 0);
                sqlite3_reset(hist);
                bind_text(upd, 1, worker);
                sqlite3_bind_int(upd, 2, all_returned);
                bind_text(upd, 3, employer);
                bind_text(upd, 4, last_return);
                bind_text(upd, 5, any_not ? ban_s : NULL);
                bind_text(upd, 6, now);
                if ((error = step_done(st, upd, err)) < 0)
                    break;
                bind_text(hist, 1, worker);
                if (sqlite3_step(hist) == SQLITE_ROW && rc == 0)
                    rc = history_json(&after, hist, 0);
                sqlite3_reset(hist);
                if (rc == 0) {
                    char obj[160];
                    snprintf(obj, sizeof(obj), "worker %s", worker);
                    error = audit(st, "worker.history", obj, before.ptr, after.ptr, NULL, err);
                }
                if (json && rc == 0) {
                    clb__jw_open(&j, NULL, '{');
                    clb__jw_str(&j, "worker", worker);
                    clb__jw_rawval(&j, "before", before.ptr);
                    clb__jw_rawval(&j, "after", after.ptr);
                    clb__jw_close(&j, '}');
                }
                clb_buf_dispose(&before);
                clb_buf_dispose(&after);
                if (error < 0)
                    break;
                n_workers++;
                n_returned += all_returned;
                n_not += any_not;
                have = false;
            }
            if (!row)
                break;
            if (!have) {
                /* the latest placement of a new worker */
                snprintf(worker, sizeof(worker), "%s", col_text0(rows, 0));
                snprintf(employer, sizeof(employer), "%s", col_text0(rows, 2));
                snprintf(last_return, sizeof(last_return), "%s",
                         col_text(rows, 4) ? col_text(rows, 4) : col_text0(rows, 3));
                all_returned = true;
                any_not = false;
                have = true;
            }
            if (strcmp(col_text0(rows, 1), "returned") != 0)
                all_returned = false;
            if (strcmp(col_text0(rows, 1), "not_returned") == 0)
                any_not = true;
        } while (rc == 0);
        if (error == 0 && step != SQLITE_DONE && step != SQLITE_ROW)
            error = db_error(st, err, "read placements");
    }
    if (error < 0)
        goto done;
    if (rc < 0) {
        error = oom(err);
        goto done;
    }
    if (json)
        clb__jw_close(&j, ']');
    /* the season's offers, sessions and programmes end with it */
    {
        static const char *const sql[3] = {
            "UPDATE vacancies SET status = 'closed', updated_at = ?2"
            " WHERE status = 'open' AND start_date <= ?1",
            "UPDATE sessions SET status = 'closed', updated_at = ?2"
            " WHERE status = 'open' AND start_date <= ?1",
            "UPDATE programmes SET status = 'closed', updated_at = ?2"
            " WHERE status = 'open' AND start_date <= ?1"};
        for (int k = 0; k < 3 && error == 0; k++) {
            if ((error = prep(st, &s, sql[k], err)) < 0)
                goto done;
            bind_text(s, 1, close_s);
            bind_text(s, 2, now);
            error = step_done(st, s, err);
            closed[k] = (size_t)sqlite3_changes(st->db);
            sqlite3_finalize(s);
            s = NULL;
        }
        if (error < 0)
            goto done;
        /* pins of the closed vacancies are spent: released (audited), so that a
         * reopened vacancy never brings back a pin the new history makes stale */
        if ((error = clb__store_release_closed_pins(st, &pins_released, err)) < 0)
            goto done;
    }
    {
        /* pins on vacancies still open that the new histories make ineligible (a
         * pinned worker banned after a no-return): released, or every round fails */
        size_t stale = 0;
        if ((error = clb__store_release_ineligible_pins(st, "season close", &stale, err)) <
            0)
            goto done;
        pins_released += stale;
    }
    if ((error = prep(st, &s,
                      "UPDATE seasons SET closed_at = ?2, close_date = ?3, closed_by = ?4"
                      " WHERE id = ?1",
                      err)) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, season);
    bind_text(s, 2, now);
    bind_text(s, 3, close_s);
    bind_text(s, 4, st->actor);
    if ((error = step_done(st, s, err)) < 0)
        goto done;
    sqlite3_finalize(s);
    s = NULL;
    if ((error = prep(st, &s, "INSERT INTO seasons(id, name, opened_at) VALUES (?, ?, ?)",
                      err)) < 0)
        goto done;
    {
        char def[48];
        snprintf(def, sizeof(def), "season %ld", season + 1);
        sqlite3_bind_int64(s, 1, season + 1);
        bind_text(s, 2, name && *name ? name : def);
        bind_text(s, 3, now);
    }
    if ((error = step_done(st, s, err)) < 0)
        goto done;
    {
        clb_buf detail = CLB_BUF_INIT;
        char obj[32];
        snprintf(obj, sizeof(obj), "season %ld", season);
        if (clb__buf_printf(&detail,
                           "{\"close_date\":\"%s\",\"workers\":%zu,\"returned\":%zu,"
                           "\"not_returned\":%zu,\"vacancies_closed\":%zu,"
                           "\"sessions_closed\":%zu,\"programmes_closed\":%zu}",
                           close_s, n_workers, n_returned, n_not, closed[0], closed[1],
                           closed[2]) < 0)
            error = oom(err);
        else
            error = audit(st, "season.close", obj, "open", "closed", detail.ptr, err);
        clb_buf_dispose(&detail);
        if (error < 0)
            goto done;
    }
    if (json) {
        clb__jw_int(&j, "workers_rolled", (long long)n_workers);
        clb__jw_int(&j, "returned", (long long)n_returned);
        clb__jw_int(&j, "not_returned", (long long)n_not);
        clb__jw_str(&j, "banned_until", n_not ? ban_s : NULL);
        clb__jw_int(&j, "vacancies_closed", (long long)closed[0]);
        clb__jw_int(&j, "sessions_closed", (long long)closed[1]);
        clb__jw_int(&j, "programmes_closed", (long long)closed[2]);
        clb__jw_int(&j, "pins_released", (long long)pins_released);
        clb__jw_int(&j, "next_season", season + 1);
        clb__jw_close(&j, '}');
    } else if (out) {
        rc = clb__buf_printf(out,
                            "season %ld closed on %s: %zu worker%s rolled forward (%zu "
                            "returned, %zu not returned%s%s)\n"
                            "closed %zu vacancies, %zu sessions, %zu programmes; released "
                            "%zu pin%s (closed vacancies, pairs no longer eligible); season "
                            "%ld is open\n",
                            season, close_s, n_workers, n_workers == 1 ? "" : "s", n_returned,
                            n_not, n_not ? ", banned until " : "", n_not ? ban_s : "",
                            closed[0], closed[1], closed[2], pins_released,
                            pins_released == 1 ? "" : "s", season + 1);
    }
    if (rc < 0 || j.rc < 0)
        error = oom(err);
done:
    sqlite3_finalize(rows);
    sqlite3_finalize(hist);
    sqlite3_finalize(upd);
    sqlite3_finalize(s);
    return tx_end(st, error, err);
}

int clb_store_season_list(clb_buf *out, clb_store *st, unsigned flags, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    bool json = flags & CLB_STORE_JSON;
    clb__jw j = CLB__JW_INIT(out);
    int error, rc = 0;

    if ((error = prep(st, &s,
                      "SELECT s.id, s.name, s.opened_at, s.closed_at, s.close_date,"
                      " (SELECT count(*) FROM rounds r WHERE r.season_id = s.id)"
                      " FROM seasons s ORDER BY s.id",
                      err)) < 0)
        return error;
    if (json)
        clb__jw_open(&j, NULL, '[');
    else
        rc = clb__buf_printf(out, "%6s  %-16s  %-20s  %-10s  %s\n", "season", "name",
                            "opened", "closed on", "rounds");
    while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
        if (json) {
            clb__jw_open(&j, NULL, '{');
            clb__jw_int(&j, "season", sqlite3_column_int64(s, 0));
            clb__jw_str(&j, "name", col_text(s, 1));
            clb__jw_str(&j, "opened_at", col_text(s, 2));
            clb__jw_str(&j, "closed_at", col_text(s, 3));
            clb__jw_str(&j, "close_date", col_text(s, 4));
            clb__jw_int(&j, "rounds", sqlite3_column_int64(s, 5));
            clb__jw_close(&j, '}');
        } else
            rc = clb__buf_printf(out, "%6lld  %-16s  %-20s  %-10s  %lld\n",
                                (long long)sqlite3_column_int64(s, 0), col_text0(s, 1),
                                col_text0(s, 2), col_text(s, 4) ? col_text(s, 4) : "(open)",
                                (long long)sqlite3_column_int64(s, 5));
    }
    if (json)
        clb__jw_close(&j, ']');
    sqlite3_finalize(s);
    if (rc < 0)
        return oom(err);
    return clb__jw_finish(&j, err);
}

/* ---- audit --------------------------------------------------------------------- */

int clb_store_audit_list(clb_buf *out, clb_store *st, long limit, unsigned flags,
                         clb_error *err)
{
    clb_audit_filter f = {0};
    f.limit = limit;
    return clb_store_audit_query(out, st, &f, flags, err);
}

int clb_store_audit_query(clb_buf *out, clb_store *st, const clb_audit_filter *f,
                          unsigned flags, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    bool json = flags & CLB_STORE_JSON;
    clb__jw j = CLB__JW_INIT(out);
    int error, rc = 0;

    if ((error = prep(st, &s,
                      "SELECT id, at, actor, action, object, before, after, detail FROM"
                      " (SELECT * FROM audit WHERE (?2 IS NULL OR object = ?2"
                      "  OR substr(object, -length(?2) - 1) = ' ' || ?2"
                      "  OR (json_valid(detail) AND (json_extract(detail, '$.worker') = ?2"
                      "   OR json_extract(detail, '$.vacancy') = ?2)))"
                      " AND (?3 IS NULL OR actor = ?3) AND (?4 IS NULL OR at >= ?4)"
                      " ORDER BY id DESC LIMIT ?1) ORDER BY id",
                      err)) < 0)
        return error;
    sqlite3_bind_int64(s, 1, f->limit > 0 ? f->limit : -1);
    bind_text(s, 2, f->object);
    bind_text(s, 3, f->by);
    bind_text(s, 4, f->since);
    if (json)
        clb__jw_open(&j, NULL, '[');
    while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
        if (json) {
            clb__jw_open(&j, NULL, '{');
            clb__jw_int(&j, "id", sqlite3_column_int64(s, 0));
            clb__jw_str(&j, "at", col_text(s, 1));
            clb__jw_str(&j, "by", col_text(s, 2));
            clb__jw_str(&j, "action", col_text(s, 3));
            clb__jw_str(&j, "object", col_text(s, 4));
            /* before/after are states or JSON objects */
            if (col_text(s, 5) && col_text(s, 5)[0] == '{')
                clb__jw_rawval(&j, "before", col_text(s, 5));
            else
                clb__jw_str(&j, "before", col_text(s, 5));
            if (col_text(s, 6) && col_text(s, 6)[0] == '{')
                clb__jw_rawval(&j, "after", col_text(s, 6));
            else
                clb__jw_str(&j, "after", col_text(s, 6));
            clb__jw_rawval(&j, "detail", col_text(s, 7));
            clb__jw_close(&j, '}');
        } else {
            rc = clb__buf_printf(out, "%5lld  %s  %-10s  %-18s %s", (long long)sqlite3_column_int64(s, 0),
                                col_text0(s, 1), col_text0(s, 2), col_text0(s, 3),
                                col_text0(s, 4));
            if (rc == 0 && (col_text(s, 5) || col_text(s, 6)))
                rc = clb__buf_printf(out, ": %s -> %s", col_text(s, 5) ? col_text(s, 5) : "-",
                                    col_text(s, 6) ? col_text(s, 6) : "-");
            if (rc == 0 && col_text(s, 7))
                rc = clb__buf_printf(out, " %s", col_text(s, 7));
            if (rc == 0)
                rc = clb__buf_puts(out, "\n");
        }
    }
    if (json)
        clb__jw_close(&j, ']');
    sqlite3_finalize(s);
    if (rc < 0)
        return oom(err);
    return clb__jw_finish(&j, err);
}

/* ---- offer sources ------------------------------------------------------------- */

int clb_store_source_add(clb_store *st, const char *id, const char *url,
                         const char *settings_json, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    char now[32];
    int error;
    now_iso(now);
    if ((error = tx_begin(st, err)) < 0)
        return error;
    if ((error = prep(st, &s,
                      "INSERT INTO sources(id, url, settings, added_at, added_by)"
                      " VALUES (?, ?, ?, ?, ?)",
                      err)) < 0)
        goto done;
    bind_text(s, 1, id);
    bind_text(s, 2, url);
    bind_text(s, 3, settings_json ? settings_json : "{}");
    bind_text(s, 4, now);
    bind_text(s, 5, st->actor);
    if (sqlite3_step(s) != SQLITE_DONE) {
        if (sqlite3_errcode(st->db) == SQLITE_CONSTRAINT)
            error = clb__error_set(err, CLB_EEXISTS, "source '%s' exists already", id);
        else
            error = db_error(st, err, "add source");
        goto done;
    }
    error = audit(st, "source.add", id, NULL, url, NULL, err);
done:
    sqlite3_finalize(s);
    return tx_end(st, error, err);
}

int clb_store_source_remove(clb_store *st, const char *id, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error;
    if ((error = tx_begin(st, err)) < 0)
        return error;
    if ((error = prep(st, &s, "DELETE FROM sources WHERE id = ?", err)) < 0)
        goto done;
    bind_text(s, 1, id);
    if ((error = step_done(st, s, err)) < 0)
        goto done;
    if (sqlite3_changes(st->db) == 0) {
        error = clb__error_set(err, CLB_ENOTFOUND, "there is no source '%s'", id);
        goto done;
    }
    error = audit(st, "source.remove", id, NULL, NULL, NULL, err);
done:
    sqlite3_finalize(s);
    return tx_end(st, error, err);
}

int clb_store_source_foreach(clb_store *st,
                             int (*fn)(const clb_source_info *info, void *payload),
                             void *payload, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = prep(st, &s,
                     "SELECT id, url, settings, etag, last_modified, added_at FROM sources"
                     " ORDER BY id",
                     err);
    if (error < 0)
        return error;
    while (error == 0 && sqlite3_step(s) == SQLITE_ROW) {
        clb_source_info info = {col_text0(s, 0), col_text0(s, 1), col_text0(s, 2),
                                col_text(s, 3),  col_text(s, 4),  col_text0(s, 5)};
        error = fn(&info, payload);
    }
    sqlite3_finalize(s);
    return error;
}

int clb_store_source_set_validators(clb_store *st, const char *id, const char *etag,
                                    const char *last_modified, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error;
    if ((error = tx_begin(st, err)) < 0)
        return error;
    if ((error = prep(st, &s, "UPDATE sources SET etag = ?, last_modified = ? WHERE id = ?",
                      err)) == 0) {
        bind_text(s, 1, etag);
        bind_text(s, 2, last_modified);
        bind_text(s, 3, id);
        error = step_done(st, s, err);
    }
    sqlite3_finalize(s);
    return tx_end(st, error, err);
}

int clb_store_fetch_log_add(clb_store *st, const char *source_id, const char *status,
                            int http_status, int pages, int offers, int rejected,
                            const char *message, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    char now[32];
    int error;
    now_iso(now);
    if ((error = tx_begin(st, err)) < 0)
        return error;
    if ((error = prep(st, &s,
                      "INSERT INTO fetch_log(source_id, at, status, http_status, pages,"
                      " offers, rejected, message) VALUES (?,?,?,?,?,?,?,?)",
                      err)) == 0) {
        bind_text(s, 1, source_id);
        bind_text(s, 2, now);
        bind_text(s, 3, status);
        sqlite3_bind_int(s, 4, http_status);
        sqlite3_bind_int(s, 5, pages);
        sqlite3_bind_int(s, 6, offers);
        sqlite3_bind_int(s, 7, rejected);
        bind_text(s, 8, message);
        error = step_done(st, s, err);
    }
    sqlite3_finalize(s);
    return tx_end(st, error, err);
}

int clb_store_offer_foreach(clb_store *st,
                            int (*fn)(const clb_offer_state *offer, void *payload),
                            void *payload, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = prep(st, &s, "SELECT id, source, status FROM vacancies ORDER BY id", err);
    if (error < 0)
        return error;
    while (error == 0 && sqlite3_step(s) == SQLITE_ROW) {
        clb_offer_state o = {col_text0(s, 0), col_text(s, 1), col_text0(s, 2)};
        error = fn(&o, payload);
    }
    sqlite3_finalize(s);
    return error;
}

int clb_store_record_lookup(clb_buf *out, clb_store *st, clb_record_kind kind,
                            const char *id, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    const char *sql = kind == CLB_RECORD_EMPLOYER ? "SELECT doc FROM employers WHERE id = ?"
                                                  : "SELECT doc FROM vacancies WHERE id = ?";
    int error = prep(st, &s, sql, err), rc;
    if (error < 0)
        return error;
    bind_text(s, 1, id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        error = clb__buf_puts(out, col_text0(s, 0)) < 0 ? oom(err) : 0;
    else if (rc == SQLITE_DONE)
        error = CLB_ENOTFOUND; /* not an error to report: the caller decides */
    else
        error = db_error(st, err, "read a record");
    sqlite3_finalize(s);
    return error;
}

int clb_store_fetch_log_append(clb_store *st, const clb_fetch_log_entry *e, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error;
    if ((error = tx_begin(st, err)) < 0)
        return error;
    if ((error = prep(st, &s,
                      "INSERT INTO fetch_log(source_id, at, status, http_status, pages,"
                      " offers, rejected, message, started_at, finished_at, added,"
                      " updated, withdrawn) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                      err)) == 0) {
        bind_text(s, 1, e->source_id);
        bind_text(s, 2, e->finished_at);
        bind_text(s, 3, e->status);
        sqlite3_bind_int(s, 4, e->http_status);
        sqlite3_bind_int(s, 5, e->pages);
        sqlite3_bind_int(s, 6, e->added + e->updated + e->withdrawn);
        sqlite3_bind_int(s, 7, e->rejected);
        bind_text(s, 8, e->message);
        bind_text(s, 9, e->started_at);
        bind_text(s, 10, e->finished_at);
        sqlite3_bind_int(s, 11, e->added);
        sqlite3_bind_int(s, 12, e->updated);
        sqlite3_bind_int(s, 13, e->withdrawn);
        error = step_done(st, s, err);
    }
    sqlite3_finalize(s);
    return tx_end(st, error, err);
}

int clb_store_fetch_log_list(clb_buf *out, clb_store *st, const char *source_id,
                             long limit, unsigned flags, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    bool json = flags & CLB_STORE_JSON;
    clb__jw j = CLB__JW_INIT(out);
    int error, rc = 0;

    if ((error = prep(st, &s,
                      "SELECT id, source_id, coalesce(started_at, at),"
                      " coalesce(finished_at, at), status, http_status, pages,"
                      " coalesce(added, 0), coalesce(updated, offers, 0),"
                      " coalesce(withdrawn, 0), rejected, message FROM"
                      " (SELECT * FROM fetch_log WHERE ?1 IS NULL OR source_id = ?1"
                      "  ORDER BY id DESC LIMIT ?2) ORDER BY id",
                      err)) < 0)
        return error;
    bind_text(s, 1, source_id);
    sqlite3_bind_int64(s, 2, limit > 0 ? limit : -1);
    if (json)
        clb__jw_open(&j, NULL, '[');
    while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
        if (json) {
            clb__jw_open(&j, NULL, '{');
            clb__jw_int(&j, "id", sqlite3_column_int64(s, 0));
            clb__jw_str(&j, "source", col_text(s, 1));
            clb__jw_str(&j, "started_at", col_text(s, 2));
            clb__jw_str(&j, "finished_at", col_text(s, 3));
            clb__jw_str(&j, "status", col_text(s, 4));
            clb__jw_int(&j, "http_status", sqlite3_column_int(s, 5));
            clb__jw_int(&j, "pages", sqlite3_column_int(s, 6));
            clb__jw_int(&j, "added", sqlite3_column_int(s, 7));
            clb__jw_int(&j, "updated", sqlite3_column_int(s, 8));
            clb__jw_int(&j, "withdrawn", sqlite3_column_int(s, 9));
            clb__jw_int(&j, "rejected", sqlite3_column_int(s, 10));
            clb__jw_str(&j, "message", col_text(s, 11));
            clb__jw_close(&j, '}');
        } else {
            rc = clb__buf_printf(out,
                                "%5lld  %-12s %s %s %-9s http=%d pages=%d added=%d"
                                " updated=%d withdrawn=%d rejected=%d",
                                (long long)sqlite3_column_int64(s, 0), col_text0(s, 1),
                                col_text0(s, 2), col_text0(s, 3), col_text0(s, 4),
                                sqlite3_column_int(s, 5), sqlite3_column_int(s, 6),
                                sqlite3_column_int(s, 7), sqlite3_column_int(s, 8),
                                sqlite3_column_int(s, 9), sqlite3_column_int(s, 10));
            if (rc == 0 && col_text(s, 11))
                rc = clb__buf_printf(out, "  %s", col_text(s, 11));
            if (rc == 0)
                rc = clb__buf_puts(out, "\n");
        }
    }
    if (json)
        clb__jw_close(&j, ']');
    sqlite3_finalize(s);
    if (rc < 0)
        return oom(err);
    return clb__jw_finish(&j, err);
}

int clb_store_upsert_offers(clb_store *st, clb_import_stats *stats,
                            const clb_scenario *offers, const char *source, clb_error *err)
{
    clb_import_stats local;
    upserts u;
    int error;
    if (!stats)
        stats = &local;
    if ((error = tx_begin(st, err)) < 0)
        return error;
    if ((error = upserts_init(&u, st, err)) == 0) {
        for (size_t i = 0; i < offers->n_employers && error == 0; i++, stats->employers++)
            error = write_employer(st, &u, offers, i, source, err);
        for (size_t i = 0; i < offers->n_vacancies && error == 0; i++, stats->vacancies++)
            error = write_vacancy(st, &u, offers, i, source, err);
        upserts_dispose(&u);
    }
    /* the offers must fit the database (its policy, pins...), not only themselves */
    if (error == 0)
        error = check_valid(st, NULL, err);
    return tx_end(st, error, err);
}

int clb_store_employers_json(clb_buf *out, clb_store *st, clb_error *err)
{
    size_t mark = out->size;
    int error = put_array(out, st, "employers", "SELECT doc FROM employers ORDER BY id", 0,
                          false, false, NULL, err);
    if (error == 0) {
        /* drop the ",\n\"employers\":" prefix put_array writes */
        const char *p = strchr(out->ptr + mark, '[');
        size_t n = out->size - (size_t)(p - out->ptr);
        memmove(out->ptr + mark, p, n + 1);
        out->size = mark + n;
    }
    return error;
}

/* ---- renewing a season ------------------------------------------------------------ */

static clb_date shift_years(clb_date d, int years)
{
    int y, m, day;
    if (d == CLB_DATE_NONE)
        return d;
    clb__date_to_ymd(d, &y, &m, &day);
    if (m == 2 && day == 29)
        day = 28;
    return clb__date_from_ymd(y + years, m, day);
}

/* "V1" -> "V1-2027"; "V1-2026" (old start year) -> "V1-2027". */
static const char *renamed(clb_arena *a, const char *id, clb_date old_start,
                           clb_date new_start)
{
    int oy, ny, m, d;
    char suffix[16], tmp[160];
    size_t n = strlen(id);
    clb__date_to_ymd(old_start, &oy, &m, &d);
    clb__date_to_ymd(new_start, &ny, &m, &d);
    snprintf(suffix, sizeof(suffix), "-%04d", oy);
    if (n > 5 && strcmp(id + n - 5, suffix) == 0)
        n -= 5;
    snprintf(tmp, sizeof(tmp), "%.*s-%04d", (int)(n > 64 ? 64 : n), id, ny);
    return clb__arena_strdup(a, tmp);
}

int clb_store_season_renew(clb_buf *out, clb_store *st, int years, unsigned flags,
                           clb_error *err)
{
    sqlite3_stmt *s = NULL;
    clb_buf doc = CLB_BUF_INIT;
    clb_scenario *sc = NULL;
    clb_import_stats stats;
    char from[16] = "0000-00-00", to[16] = "";
    int error;
    bool json = flags & CLB_STORE_JSON;

    memset(&stats, 0, sizeof(stats));
    if (years < 1 || years > 100)
        return clb__error_set(err, CLB_EINVAL, "years must be between 1 and 100");
    if ((error = tx_begin(st, err)) < 0)
        return error;
    /* the last closed season covers (previous close date, its close date] */
    if ((error = prep(st, &s,
                      "SELECT close_date, (SELECT max(close_date) FROM seasons p"
                      " WHERE p.id < s.id AND p.close_date IS NOT NULL)"
                      " FROM seasons s WHERE close_date IS NOT NULL ORDER BY id DESC LIMIT 1",
                      err)) < 0)
        goto done;
    if (sqlite3_step(s) != SQLITE_ROW) {
        error = clb__error_set(err, CLB_ESTATE, "no season has been closed yet");
        goto done;
    }
    snprintf(to, sizeof(to), "%s", col_text0(s, 0));
    if (col_text(s, 1))
        snprintf(from, sizeof(from), "%s", col_text(s, 1));
    sqlite3_finalize(s);
    s = NULL;
    {
        int rc = clb__buf_puts(&doc, "{\"format\":\"circulab-scenario/1\"");
        if (rc == 0)
            rc = policy_doc(&doc, st, err) < 0 ? -1 : 0;
        if (rc < 0) {
            error = oom(err);
            goto done;
        }
    }
    /* policy_doc appended the bare policy object: make it a member */
    {
        clb_buf d2 = CLB_BUF_INIT;
        size_t head = strlen("{\"format\":\"circulab-scenario/1\"");
        int rc = clb__buf_put(&d2, doc.ptr, head);
        if (rc == 0 && doc.size > head)
            rc = clb__buf_printf(&d2, ",\"policy\":%s", doc.ptr + head);
        clb_buf_dispose(&doc);
        doc = d2;
        if (rc < 0) {
            error = oom(err);
            goto done;
        }
    }
    {
        clb_buf q = CLB_BUF_INIT;
        static const char *const tables[3] = {"vacancies", "sessions", "programmes"};
        if ((error = put_array(&doc, st, "workers",
                               "SELECT " WORKER_COLS " FROM workers WHERE active = 1"
                               " ORDER BY id",
                               0, true, false, NULL, err)) < 0 ||
            (error = put_array(&doc, st, "employers", "SELECT doc FROM employers ORDER BY id",
                               0, false, false, NULL, err)) < 0 ||
            (error = put_array(&doc, st, "quotas", "SELECT doc FROM quotas ORDER BY id", 0,
                               false, false, NULL, err)) < 0)
            goto done;
        for (int k = 0; k < 3 && error == 0; k++) {
            sqlite3_stmt *sel = NULL;
            size_t n = 0;
            clb__buf_clear(&q);
            if (clb__buf_printf(&q,
                               "SELECT doc FROM %s WHERE status = 'closed' AND start_date > ?"
                               " AND start_date <= ? ORDER BY id",
                               tables[k]) < 0) {
                error = oom(err);
                break;
            }
            /* put_array binds one integer: bind the dates here instead */
            if ((error = prep(st, &sel, q.ptr, err)) < 0)
                break;
            bind_text(sel, 1, from);
            bind_text(sel, 2, to);
            if (clb__buf_printf(&doc, ",\n\"%s\":[", tables[k]) < 0)
                error = oom(err);
            while (error == 0 && sqlite3_step(sel) == SQLITE_ROW)
                if (clb__buf_printf(&doc, "%s%s", n++ ? "," : "", col_text0(sel, 0)) < 0)
                    error = oom(err);
            if (error == 0 && clb__buf_puts(&doc, "]") < 0)
                error = oom(err);
            sqlite3_finalize(sel);
        }
        clb_buf_dispose(&q);
        if (error < 0 || (error = clb__buf_puts(&doc, "}") < 0 ? oom(err) : 0) < 0)
            goto done;
    }
    if ((error = clb_scenario_load_buffer(&sc, doc.ptr, doc.size, "database", NULL, err)) < 0)
        goto done;
    for (size_t i = 0; i < sc->n_workers; i++) {
        sc->workers[i].avail_from = shift_years(sc->workers[i].avail_from, years);
        sc->workers[i].avail_to = shift_years(sc->workers[i].avail_to, years);
    }
    for (size_t i = 0; i < sc->n_vacancies; i++) {
        clb_vacancy_rec *v = &sc->vacancies[i];
        clb_date ns = shift_years(v->start, years);
        if (!(v->id = renamed(&sc->arena, v->id, v->start, ns))) {
            error = oom(err);
            goto done;
        }
        v->start = ns;
        v->end = shift_years(v->end, years);
    }
    for (size_t i = 0; i < sc->n_sessions; i++) {
        clb_session_rec *k = &sc->sessions[i];
        clb_date ns = shift_years(k->start, years);
        if (!(k->id = renamed(&sc->arena, k->id, k->start, ns))) {
            error = oom(err);
            goto done;
        }
        k->start = ns;
        k->end = shift_years(k->end, years);
    }
    for (size_t i = 0; i < sc->n_programmes; i++) {
        clb_programme_rec *r = &sc->programmes[i];
        clb_date ns = shift_years(r->start, years);
        if (!(r->id = renamed(&sc->arena, r->id, r->start, ns))) {
            error = oom(err);
            goto done;
        }
        r->start = ns;
        r->end = shift_years(r->end, years);
    }
    /* quotas keep their ids; their phase dates move with the season */
    for (size_t i = 0; i < sc->n_quotas; i++) {
        clb_quota_rec *q = &sc->quotas[i];
        if (q->start_from != CLB_DATE_NONE)
            q->start_from = shift_years(q->start_from, years);
        if (q->start_to != CLB_DATE_NONE)
            q->start_to = shift_years(q->start_to, years);
    }
    {
        upserts u;
        if ((error = upserts_init(&u, st, err)) < 0)
            goto done;
        for (size_t i = 0; i < sc->n_quotas && error == 0; i++)
            if (sc->quotas[i].start_from != CLB_DATE_NONE ||
                sc->quotas[i].start_to != CLB_DATE_NONE)
                error = write_simple(st, &u, sc, CLB_KIND_QUOTA, i, err);
        /* availability shifted, history as stored (applied as is: no audit row) */
        for (size_t i = 0; i < sc->n_workers && error == 0; i++, stats.workers++)
            error = write_worker(st, &u, sc, i, CLB_IMPORT_HISTORY, &stats, err);
        for (size_t i = 0; i < sc->n_vacancies && error == 0; i++, stats.vacancies++)
            error = write_vacancy(st, &u, sc, i, NULL, err);
        for (size_t i = 0; i < sc->n_sessions && error == 0; i++, stats.sessions++)
            error = write_simple(st, &u, sc, CLB_KIND_SESSION, i, err);
        for (size_t i = 0; i < sc->n_programmes && error == 0; i++, stats.programmes++)
            error = write_simple(st, &u, sc, CLB_KIND_PROGRAMME, i, err);
        upserts_dispose(&u);
        if (error < 0)
            goto done;
    }
    {
        char detail[256];
        snprintf(detail, sizeof(detail),
                 "{\"years\":%d,\"vacancies\":%zu,\"sessions\":%zu,\"programmes\":%zu,"
                 "\"workers\":%zu}",
                 years, stats.vacancies, stats.sessions, stats.programmes, stats.workers);
        if ((error = audit(st, "season.renew", "season", NULL, NULL, detail, err)) < 0)
            goto done;
        /* the renewed records must read back (a suffixed id may pass 64 bytes) */
        if ((error = check_valid(st, NULL, err)) < 0)
            goto done;
        if (json)
            error = clb__buf_printf(out, "%s\n", detail) < 0 ? oom(err) : 0;
        else
            error = clb__buf_printf(out,
                                   "renewed %zu vacancies, %zu sessions and %zu programmes "
                                   "%d year%s later; %zu workers' availability shifted\n",
                                   stats.vacancies, stats.sessions, stats.programmes, years,
                                   years == 1 ? "" : "s", stats.workers) < 0
                        ? oom(err)
                        : 0;
    }
done:
    sqlite3_finalize(s);
    clb_buf_dispose(&doc);
    clb_scenario_free(sc);
    return tx_end(st, error, err);
}

/* ---- export -------------------------------------------------------------------- */

/* Append one CSV field (the one cell writer: quoting, formula guard) and a separator. */
static int csv_field(clb_buf *out, const char *v, bool last)
{
    int rc = clb__buf_put_csv_cell(out, v);
    if (rc == 0)
        rc = clb__buf_puts(out, last ? "\n" : ",");
    return rc;
}

static int csv_symlist(clb_buf *out, const clb_scenario *sc, const int32_t *v, size_t n,
                       bool last)
{
    clb_buf tmp = CLB_BUF_INIT;
    int rc = clb__buf_put(&tmp, "", 0);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = clb__buf_printf(&tmp, "%s%s", i ? ";" : "", clb_sym(sc, v[i]));
    if (rc == 0)
        rc = csv_field(out, tmp.ptr, last);
    clb_buf_dispose(&tmp);
    return rc;
}

static int csv_matches(clb_buf *out, const clb_scenario *sc, const clb_match *m, uint32_t n)
{
    clb_buf tmp = CLB_BUF_INIT;
    int rc = clb__buf_put(&tmp, "", 0);
    for (uint32_t i = 0; i < n && rc == 0; i++)
        rc = clb__buf_printf(&tmp, "%s%s%s", i ? ";" : "",
                            m[i].kind == CLB_MATCH_SECTOR   ? "sector:"
                            : m[i].kind == CLB_MATCH_REGION ? "region:"
                                                            : "",
                            clb_sym(sc, m[i].sym));
    if (rc == 0)
        rc = csv_field(out, tmp.ptr, false);
    clb_buf_dispose(&tmp);
    return rc;
}

static int csv_date(clb_buf *out, clb_date d, bool last)
{
    char tmp[16] = "";
    if (d != CLB_DATE_NONE)
        clb__date_format(tmp, d);
    return csv_field(out, tmp, last);
}

static int csv_long(clb_buf *out, long v, bool last)
{
    char tmp[32];
    snprintf(tmp, sizeof(tmp), "%ld", v);
    return csv_field(out, tmp, last);
}

static int export_workers_csv(clb_buf *out, const clb_scenario *sc, bool names)
{
    int rc = clb__buf_puts(out, names ? "id,name," : "id,");
    if (rc == 0)
        rc = clb__buf_puts(out, "birth_date,sex,country,region,languages,skills,trainings,"
                               "available_from,available_to,preferences,excludes,campaigns,"
                               "returned,last_employer,last_return,days_abroad,"
                               "banned_until\n");
    for (size_t i = 0; i < sc->n_workers && rc == 0; i++) {
        const clb_worker_rec *w = &sc->workers[i];
        char sex[2] = {w->sex, 0};
        rc = csv_field(out, w->id, false);
        if (rc == 0 && names)
            rc = csv_field(out, w->name, false);
        if (rc == 0)
            rc = csv_date(out, w->birth, false);
        if (rc == 0)
            rc = csv_field(out, sex, false);
        if (rc == 0)
            rc = csv_field(out, clb_sym(sc, w->country), false);
        if (rc == 0)
            rc = csv_field(out, w->region >= 0 ? clb_sym(sc, w->region) : "", false);
        if (rc == 0)
            rc = csv_symlist(out, sc, w->languages.v, w->languages.n, false);
        if (rc == 0)
            rc = csv_symlist(out, sc, w->skills.v, w->skills.n, false);
        if (rc == 0)
            rc = csv_symlist(out, sc, w->trainings.v, w->trainings.n, false);
        if (rc == 0)
            rc = csv_date(out, w->avail_from, false);
        if (rc == 0)
            rc = csv_date(out, w->avail_to, false);
        if (rc == 0)
            rc = csv_matches(out, sc, w->prefs, w->n_prefs);
        if (rc == 0)
            rc = csv_matches(out, sc, w->excludes, w->n_excludes);
        if (rc == 0)
            rc = csv_long(out, w->campaigns, false);
        if (rc == 0)
            rc = csv_field(out, w->returned ? "true" : "false", false);
        if (rc == 0)
            rc = csv_field(out, w->last_employer >= 0 ? clb_sym(sc, w->last_employer) : "",
                           false);
        if (rc == 0)
            rc = csv_date(out, w->last_return, false);
        if (rc == 0)
            rc = csv_long(out, w->days_abroad, false);
        if (rc == 0)
            rc = csv_date(out, w->banned_until, true);
    }
    return rc;
}

static int export_vacancies_csv(clb_buf *out, const clb_scenario *sc)
{
    int rc = clb__buf_puts(out, "id,employer,site,sector,occupation,start,end,headcount,"
                               "wage_month_eur,requires_skills,requires_trainings,"
                               "requires_languages,min_campaigns,named,hold_named\n");
    for (size_t i = 0; i < sc->n_vacancies && rc == 0; i++) {
        const clb_vacancy_rec *v = &sc->vacancies[i];
        const clb_site_rec *site = &sc->sites[v->site];
        char wage[40] = "";
        clb_buf named = CLB_BUF_INIT;
        if (!isnan(v->wage_month_eur))
            snprintf(wage, sizeof(wage), "%.15g", v->wage_month_eur);
        rc = clb__buf_put(&named, "", 0);
        for (uint32_t k = 0; k < v->n_named_ids && rc == 0; k++)
            rc = clb__buf_printf(&named, "%s%s", k ? ";" : "", v->named_ids[k]);
        if (rc == 0)
            rc = csv_field(out, v->id, false);
        if (rc == 0)
            rc = csv_field(out, sc->employers[v->employer].id, false);
        if (rc == 0)
            rc = csv_field(out, site->implicit ? "" : site->id, false);
        if (rc == 0)
            rc = csv_field(out, v->sector >= 0 ? clb_sym(sc, v->sector) : "", false);
        if (rc == 0)
            rc = csv_field(out, v->occupation >= 0 ? clb_sym(sc, v->occupation) : "", false);
        if (rc == 0)
            rc = csv_date(out, v->start, false);
        if (rc == 0)
            rc = csv_date(out, v->end, false);
        if (rc == 0)
            rc = csv_long(out, v->headcount, false);
        if (rc == 0)
            rc = csv_field(out, wage, false);
        if (rc == 0)
            rc = csv_symlist(out, sc, v->req_skills.v, v->req_skills.n, false);
        if (rc == 0)
            rc = csv_symlist(out, sc, v->req_trainings.v, v->req_trainings.n, false);
        if (rc == 0)
            rc = csv_symlist(out, sc, v->req_languages.v, v->req_languages.n, false);
        if (rc == 0)
            rc = csv_long(out, v->min_campaigns, false);
        if (rc == 0)
            rc = csv_field(out, named.ptr, false);
        if (rc == 0)
            rc = csv_field(out, v->hold_named ? "true" : "false", true);
        clb_buf_dispose(&named);
    }
    return rc;
}

static int export_employers_csv(clb_buf *out, const clb_scenario *sc)
{
    int rc = clb__buf_puts(out, "id,name,region,association\n");
    for (size_t i = 0; i < sc->n_employers && rc == 0; i++) {
        const clb_employer_rec *e = &sc->employers[i];
        rc = csv_field(out, e->id, false);
        if (rc == 0)
            rc = csv_field(out, e->name, false);
        if (rc == 0)
            rc = csv_field(out, clb_sym(sc, e->region), false);
        if (rc == 0)
            rc = csv_field(out, e->association >= 0 ? clb_sym(sc, e->association) : "",
                           true);
    }
    return rc;
}

static int export_placements_csv(clb_buf *out, clb_store *st, long round, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc, error = prep(st, &s,
                         PLACEMENT_SELECT " WHERE (?1 <= 0 OR" IN_ROUND("?1") ")"
                                          " ORDER BY p.id",
                         err);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, round);
    rc = clb__buf_puts(out, "placement,round,worker,vacancy,employer,site,start,end,value,"
                           "status,departed_on,returned_on\n");
    while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
        char value[40];
        snprintf(value, sizeof(value), "%.15g", sqlite3_column_double(s, 7));
        rc = csv_long(out, (long)sqlite3_column_int64(s, 0), false);
        if (rc == 0)
            rc = csv_long(out, (long)sqlite3_column_int64(s, 11), false);
        for (int c = 1; c <= 6 && rc == 0; c++)
            rc = csv_field(out, col_text(s, c), false);
        if (rc == 0)
            rc = csv_field(out, value, false);
        if (rc == 0)
            rc = csv_field(out, col_text(s, 8), false);
        if (rc == 0)
            rc = csv_field(out, col_text(s, 9), false);
        if (rc == 0)
            rc = csv_field(out, col_text(s, 10), true);
    }
    sqlite3_finalize(s);
    return rc < 0 ? oom(err) : 0;
}

int clb_store_export(clb_buf *out, clb_store *st, clb_export_kind kind, long round,
                     unsigned flags, clb_error *err)
{
    clb_buf doc = CLB_BUF_INIT;
    clb_scenario *sc = NULL;
    sqlite3_stmt *s = NULL;
    int error, rc = 0;
    bool names = flags & CLB_EXPORT_NAMES;

    if ((error = read_begin(st, err)) < 0)
        return error;
    if (kind == CLB_EXPORT_RESULT || kind == CLB_EXPORT_INPUTS ||
        (kind == CLB_EXPORT_PLACEMENTS_CSV && round != 0)) {
        if (round <= 0 && (error = clb_store_round_latest(&round, st, err)) == 0 && round == 0)
            error = clb__error_set(err, CLB_ENOTFOUND, "there are no rounds yet");
        if (error == 0)
            error = round_exists(st, round, err);
        if (error < 0)
            goto done;
    }
    switch (kind) {
    case CLB_EXPORT_RESULT:
    case CLB_EXPORT_INPUTS:
        if ((error = prep(st, &s,
                          kind == CLB_EXPORT_RESULT ? "SELECT result FROM rounds WHERE id = ?"
                                                    : "SELECT inputs FROM rounds WHERE id = ?",
                          err)) < 0)
            goto done;
        sqlite3_bind_int64(s, 1, round);
        if (sqlite3_step(s) == SQLITE_ROW) {
            const char *t = col_text0(s, 0);
            rc = clb__buf_puts(out, t);
            if (rc == 0 && (!*t || t[strlen(t) - 1] != '\n'))
                rc = clb__buf_puts(out, "\n");
        }
        break;
    case CLB_EXPORT_PLACEMENTS_CSV:
        error = export_placements_csv(out, st, round, err);
        break;
    default: {
        assemble_opts ao;
        memset(&ao, 0, sizeof(ao));
        ao.all = flags & CLB_EXPORT_ALL;
        ao.names = names;
        ao.name = "circulab-export";
        if ((error = assemble(&doc, st, &ao, err)) < 0)
            goto done;
        if ((error = clb_scenario_load_buffer(&sc, doc.ptr, doc.size, "database", NULL,
                                              err)) < 0)
            goto done;
        if (kind == CLB_EXPORT_SCENARIO)
            rc = clb__scenario_save_doc(out, sc,
                                       CLB_SAVE_HISTORY | (names ? CLB_SAVE_NAME : 0u));
        else if (kind == CLB_EXPORT_WORKERS_CSV)
            rc = export_workers_csv(out, sc, names);
        else if (kind == CLB_EXPORT_VACANCIES_CSV)
            rc = export_vacancies_csv(out, sc);
        else
            rc = export_employers_csv(out, sc);
    }
    }
    if (error == 0 && rc < 0)
        error = oom(err);
done:
    sqlite3_finalize(s);
    clb_scenario_free(sc);
    clb_buf_dispose(&doc);
    return tx_end(st, error, err);
}

/* ---- explain ------------------------------------------------------------------- */

/* Read (worker, other) id pairs of a round into index arrays through `map`. */
static int read_index_pairs(clb_store *st, const char *sql, long round,
                            const clb_scenario *sc, int kind, uint32_t **wout,
                            uint32_t **oout, size_t *n, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    size_t cap = 0;
    int error = prep(st, &s, sql, err);
    *wout = NULL;
    *oout = NULL;
    *n = 0;
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, round);
    while (error == 0 && sqlite3_step(s) == SQLITE_ROW) {
        int32_t w = clb__scenario_worker_index(sc, col_text0(s, 0)), o;
        int32_t sym = clb__strtab_lookup(&sc->syms, col_text0(s, 1));
        o = kind == 0   ? clb__scenario_vacancy_index(sc, col_text0(s, 1))
            : kind == 1 ? (sym >= 0 ? clb__intmap_get(&sc->session_by_sym, sym) : -1)
                        : (sym >= 0 ? clb__intmap_get(&sc->programme_by_sym, sym) : -1);
        if (w < 0 || o < 0) {
            error = clb__error_set(err, CLB_EINTERNAL,
                                  "round %ld: stored plan names '%s'/'%s', not in its inputs",
                                  round, col_text0(s, 0), col_text0(s, 1));
            break;
        }
        if (*n == cap) {
            uint32_t *a, *b;
            cap = cap ? cap * 2 : 64;
            a = clb__realloc(*wout, cap * sizeof(uint32_t));
            if (a)
                *wout = a;
            b = clb__realloc(*oout, cap * sizeof(uint32_t));
            if (b)
                *oout = b;
            if (!a || !b) {
                error = oom(err);
                break;
            }
        }
        (*wout)[*n] = (uint32_t)w;
        (*oout)[*n] = (uint32_t)o;
        (*n)++;
    }
    sqlite3_finalize(s);
    return error;
}

int clb_store_explain(clb_buf *out, clb_store *st, long round, const char *worker,
                      const char *vacancy, unsigned flags, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    clb_scenario *sc = NULL;
    clb_explain_plan p;
    uint32_t *a[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
    int error;

    memset(&p, 0, sizeof(p));
    if ((worker != NULL) == (vacancy != NULL))
        return clb__error_set(err, CLB_EINVAL, "explain needs --worker or --vacancy (one)");
    if ((error = read_begin(st, err)) < 0)
        return error;
    if (round <= 0 && (error = clb_store_round_latest(&round, st, err)) == 0 && round == 0)
        error = clb__error_set(err, CLB_ENOTFOUND, "there are no rounds yet");
    if (error < 0 || (error = round_exists(st, round, err)) < 0)
        goto done;
    if ((error = prep(st, &s, "SELECT inputs FROM rounds WHERE id = ?", err)) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, round);
    if (sqlite3_step(s) != SQLITE_ROW) {
        error = db_error(st, err, "read round");
        goto done;
    }
    {
        const char *t = col_text0(s, 0);
        if ((error = clb_scenario_load_buffer(&sc, t, strlen(t), "round inputs", NULL, err)) <
            0)
            goto done;
    }
    if ((error = read_index_pairs(st,
                                  "SELECT p.worker_id, p.vacancy_id FROM placements p"
                                  " WHERE" IN_ROUND("?1") " ORDER BY p.id",
                                  round, sc, 0, &a[0], &a[1], &p.n_pl, err)) < 0 ||
        (error = read_index_pairs(st,
                                  "SELECT worker_id, session_id FROM training"
                                  " WHERE round_id = ?",
                                  round, sc, 1, &a[2], &a[3], &p.n_tr, err)) < 0 ||
        (error = read_index_pairs(st,
                                  "SELECT worker_id, programme_id FROM reintegration"
                                  " WHERE round_id = ?",
                                  round, sc, 2, &a[4], &a[5], &p.n_re, err)) < 0)
        goto done;
    p.pl_worker = a[0];
    p.pl_vacancy = a[1];
    p.tr_worker = a[2];
    p.tr_session = a[3];
    p.re_worker = a[4];
    p.re_programme = a[5];
    p.round = round;
    error = clb__explain_render(out, sc, &p, worker, vacancy, flags, err);
done:
    for (int i = 0; i < 6; i++)
        clb__free(a[i]);
    sqlite3_finalize(s);
    clb_scenario_free(sc);
    return tx_end(st, error, err);
}

int clb_store_placement_foreach(clb_store *st, long round, const char *status,
                                int (*fn)(const clb_placement_row *row, void *payload),
                                void *payload, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0, error = prep(st, &s,
                             PLACEMENT_SELECT " WHERE (?1 <= 0 OR" IN_ROUND("?1") ")"
                                              " AND (?2 IS NULL OR p.status = ?2)"
                                              " ORDER BY p.id",
                             err);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, round);
    bind_text(s, 2, status);
    while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
        clb_placement_row row;
        row.id = (long)sqlite3_column_int64(s, 0);
        row.round = (long)sqlite3_column_int64(s, 11);
        row.worker = col_text0(s, 1);
        row.vacancy = col_text0(s, 2);
        row.employer = col_text0(s, 3);
        row.start = col_text0(s, 5);
        row.end = col_text0(s, 6);
        row.value = sqlite3_column_double(s, 7);
        row.status = col_text0(s, 8);
        rc = fn(&row, payload);
    }
    sqlite3_finalize(s);
    return rc;
}

/* ---- SQLite's allocator (clb_global_init) ------------------------------------------
 * SQLite asks for the size of a block it allocated (xSize), which the hook does not
 * know: each block carries its size in a 16-byte header, which keeps the alignment
 * SQLite needs (8) and malloc's (16). */

#define SQLITE_HEADER 16

static void *sqlite_malloc(int n)
{
    unsigned char *p = n > 0 ? clb__malloc((size_t)n + SQLITE_HEADER) : NULL;
    if (!p)
        return NULL;
    memcpy(p, &(size_t){(size_t)n}, sizeof(size_t));
    return p + SQLITE_HEADER;
}

static void sqlite_free(void *ptr)
{
    if (ptr)
        clb__free((unsigned char *)ptr - SQLITE_HEADER);
}

static void *sqlite_realloc(void *ptr, int n)
{
    unsigned char *p;
    if (!ptr)
        return sqlite_malloc(n);
    if (n <= 0)
        return NULL; /* SQLite never asks; a failure leaves the block alive */
    p = clb__realloc((unsigned char *)ptr - SQLITE_HEADER, (size_t)n + SQLITE_HEADER);
    if (!p)
        return NULL;
    memcpy(p, &(size_t){(size_t)n}, sizeof(size_t));
    return p + SQLITE_HEADER;
}

static int sqlite_size(void *ptr)
{
    size_t n = 0;
    if (ptr)
        memcpy(&n, (unsigned char *)ptr - SQLITE_HEADER, sizeof(size_t));
    return (int)n;
}

static int sqlite_roundup(int n)
{
    return (n + 7) & ~7;
}

static int sqlite_init(void *data)
{
    (void)data;
    return SQLITE_OK;
}

static void sqlite_shutdown(void *data)
{
    (void)data;
}

int clb__store_global_init(clb_error *err)
{
    static const sqlite3_mem_methods methods = {
        sqlite_malloc, sqlite_free, sqlite_realloc, sqlite_size,
        sqlite_roundup, sqlite_init, sqlite_shutdown, NULL};
    static bool routed = false;
    int rc;
    if (routed)
        return 0;
    if ((rc = sqlite3_config(SQLITE_CONFIG_MALLOC, &methods)) != SQLITE_OK) {
        clb__error_set(err, CLB_EINTERNAL,
                      "cannot route SQLite's allocations: SQLite is already in use");
        if (err)
            err->lib_code = rc;
        return CLB_EINTERNAL;
    }
    routed = true;
    return 0;
}
