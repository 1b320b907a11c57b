/*
 * schema.c - the database's schema and its migrations, and opening a database (which
 * brings the schema up to date, makes the file private and sets up the connection).
 *
 * The schema is a list of migrations, each a NULL-terminated list of statements
 * run in one transaction; migration i brings version i to i+1 (PRAGMA user_version).
 * A released migration is never edited: a user's older database must migrate.
 * Opening retries, on a fresh connection, while another process holds a new file in
 * its first set-up (SQLite may answer "locked" there without waiting).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/store_impl.h"
#include "util/alloc.h"

#define BUSY_TIMEOUT_MS 30000

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

/* Employers' portal tokens (docs/PORTAL.md §8): the public id and the SHA-256 of the
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

/* Erasure (docs/DATABASE.md, `worker forget`): when a worker's personal data was
 * erased; NULL for every other worker. A forgotten worker is also inactive. */
static const char *const migration_6[] = {
    "ALTER TABLE workers ADD COLUMN forgotten_at TEXT;\n",
    NULL};

/* Migration i brings the schema from version i to i+1: a NULL-terminated list of
 * statements. Never edit a released one: append a new one. */
static const char *const *const migrations[] = {migration_1, migration_2, migration_3,
                                                 migration_4, migration_5, migration_6};

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
                       : clb__buf_put(&out, "***", 3) ||
                             clb__buf_put(&out, at, (size_t)(end - at));
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
        return clb__store_db_error(st, err, "register functions");
    return 0;
}

static int read_version(clb_store *st, int *out, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = clb__store_prep(st, &s, "PRAGMA user_version", err);
    if (error < 0)
        return error;
    if (sqlite3_step(s) == SQLITE_ROW)
        *out = sqlite3_column_int(s, 0);
    else
        error = clb__store_db_error(st, err, "read schema version");
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
    if ((error = clb__store_tx_begin(st, err)) < 0)
        return error;
    /* another process may have migrated while we waited for the lock */
    if ((error = read_version(st, &version, err)) < 0)
        goto done;
    if (version == 0) {
        /* a fresh file must be empty: refuse to take over someone else's database */
        sqlite3_stmt *s = NULL;
        if ((error = clb__store_prep(st, &s, "SELECT count(*) FROM sqlite_master", err)) <
            0)
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
            error = clb__store_exec(st, *q, err);
        if (error < 0)
            goto done;
        if (v == 0) {
            sqlite3_stmt *s = NULL;
            clb__now_iso(now);
            if ((error = clb__store_prep(st, &s,
                              "INSERT INTO seasons(id, name, opened_at) "
                              "VALUES (1, 'season 1', ?)",
                              err)) < 0)
                goto done;
            clb__store_bind_text(s, 1, now);
            error = clb__store_step_done(st, s, err);
            sqlite3_finalize(s);
            if (error < 0)
                goto done;
        }
    }
    snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", (int)N_MIGRATIONS);
    if ((error = clb__store_exec(st, sql, err)) < 0)
        goto done;
    error = clb__store_audit(st, "schema.migrate", "database", NULL, NULL, NULL, err);
    st->version = (int)N_MIGRATIONS;
done:
    return clb__store_tx_end(st, error, err);
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

    if ((error = clb__store_exec(st, "PRAGMA foreign_keys = ON", err)) < 0 ||
        (error = register_functions(st, err)) < 0)
        return error;
    if (!(flags & CLB_STORE_READONLY)) {
        sqlite3_stmt *s = NULL;
        /* WAL: readers never block the writer, and a commit is one append */
        if ((error = clb__store_prep(st, &s, "PRAGMA journal_mode = WAL", err)) < 0)
            return error;
        if (sqlite3_step(s) != SQLITE_ROW) {
            error = clb__store_db_error(st, err, "cannot use this file as a database");
            sqlite3_finalize(s);
            return error;
        }
        sqlite3_finalize(s);
        if ((error = clb__store_exec(st, "PRAGMA synchronous = FULL", err)) < 0)
            return error;
        return migrate(st, err);
    }
    if ((error = read_version(st, &st->version, err)) < 0)
        return error;
    if (st->version != (int)N_MIGRATIONS)
        return clb__error_set(err, CLB_EDB,
                              "database '%s' has schema version %d, expected %d",
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
    return e->code == CLB_EDB &&
           (e->lib_code == SQLITE_BUSY || e->lib_code == SQLITE_LOCKED);
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
        if (!st || !(st->path = clb__strdup(path)) ||
            !(st->actor = clb__strdup("unknown"))) {
            error = clb__oom(&attempt);
            break;
        }
        if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK) {
            error =
                clb__error_set(&attempt, CLB_EDB, "cannot open database '%s': %s", path,
                               st->db ? sqlite3_errmsg(st->db) : "out of memory");
            break;
        }
        sqlite3_busy_timeout(st->db, clb__store_busy_ms(st));
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
    char *p = clb__strdup(actor && *actor ? actor : "unknown");
    if (!p)
        return CLB_ENOMEM;
    clb__free(st->actor);
    st->actor = p;
    return 0;
}

int clb__store_busy_ms(const clb_store *st)
{
    return st && st->busy_ms > 0 ? st->busy_ms : BUSY_TIMEOUT_MS;
}

void clb_store_set_busy_timeout(clb_store *st, double seconds)
{
    double ms = seconds * 1000;
    st->busy_ms = ms >= 86400000.0 ? 86400000 : ms < 1 ? 1 : (int)ms;
    if (st->db)
        sqlite3_busy_timeout(st->db, st->busy_ms);
}
