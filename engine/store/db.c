/*
 * db.c - the bottom of the store: statements, transactions, the audit log, the few
 * reads every operation starts from (the open season, the stored policy), a worker's
 * history in its columns (read, bound and written as JSON one way), a set of ids, one
 * row writer (clb__store_insert_rows) and SQLite's allocator (clb_global_init).
 *
 * Every file of engine/store/ reaches SQLite through these helpers (store_impl.h):
 * values are always bound, never formatted into SQL; every statement is finalized on
 * every path; every public operation is one transaction (BEGIN IMMEDIATE for
 * writers, so two processes queue instead of deadlocking), nested calls join the
 * open one, and a failure anywhere inside rolls the whole of it back. Nothing here
 * calls another file of the store: it is the layer the others stand on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_impl.h"
#include "store/global.h"
#include "scenario/scenario_impl.h"
#include "util/alloc.h"

/* ---- small helpers ------------------------------------------------------------- */

int clb__store_db_error(clb_store *st, clb_error *err, const char *what)
{
    int code = sqlite3_errcode(st->db);
    int rc =
        clb__error_set(err, CLB_EDB, "database: %s: %s", what, sqlite3_errmsg(st->db));
    if (err && err->lib_code == 0)
        err->lib_code = code;
    return rc;
}

int clb__store_prep(clb_store *st, sqlite3_stmt **out, const char *sql, clb_error *err)
{
    *out = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK) {
        sqlite3_finalize(*out);
        *out = NULL;
        return clb__store_db_error(st, err, "prepare");
    }
    return 0;
}

int clb__store_exec(clb_store *st, const char *sql, clb_error *err)
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

void clb__store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

const char *clb__store_col_text(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? (const char *)t : NULL;
}

const char *clb__store_col_text0(sqlite3_stmt *s, int i)
{
    const char *t = clb__store_col_text(s, i);
    return t ? t : "";
}

/* Run a statement that returns no rows, then reset it for reuse. */
int clb__store_step_done(clb_store *st, sqlite3_stmt *s, clb_error *err)
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
        return clb__store_db_error(st, err, "write");
    return 0;
}

/* ---- rows written the same way ---------------------------------------------------- */

int clb__store_insert_rows(clb_store *st, const char *sql, sqlite3_int64 key, size_t n,
                           void (*bind)(sqlite3_stmt *s, size_t i, const void *payload),
                           const void *payload, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = clb__store_prep(st, &s, sql, err);
    for (size_t i = 0; i < n && error == 0; i++) {
        sqlite3_bind_int64(s, 1, key);
        bind(s, i, payload);
        error = clb__store_step_done(st, s, err);
    }
    sqlite3_finalize(s);
    return error;
}

/* ---- transactions -------------------------------------------------------------- */

/* Open a transaction with `sql` (BEGIN IMMEDIATE or BEGIN), or one more level of the
 * open one. */
static int begin(clb_store *st, const char *sql, clb_error *err)
{
    if (st->tx_depth++ > 0)
        return 0;
    st->tx_failed = false;
    st->tx_alloc_failures = clb__alloc_failures();
    if (clb__store_exec(st, sql, err) < 0) {
        st->tx_depth = 0;
        return err ? err->code : CLB_EDB;
    }
    return 0;
}

int clb__store_tx_begin(clb_store *st, clb_error *err)
{
    return begin(st, "BEGIN IMMEDIATE", err);
}

/* End a transaction level: commit at the outermost level when everything went
 * well, roll back otherwise. Returns `error`, or the commit's error. */
int clb__store_tx_end(clb_store *st, int error, clb_error *err)
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
    if (clb__store_exec(st, "COMMIT", err) < 0) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return err ? err->code : CLB_EDB;
    }
    return error;
}

int clb_store_begin(clb_store *st, clb_error *err)
{
    if (st->tx_depth > 0)
        return clb__error_set(err, CLB_EINTERNAL, "a transaction is already open");
    return clb__store_tx_begin(st, err);
}

int clb_store_commit(clb_store *st, clb_error *err)
{
    return clb__store_tx_end(st, 0, err);
}

void clb_store_rollback(clb_store *st)
{
    if (st->tx_depth > 0) {
        st->tx_depth = 1;
        clb__store_tx_end(st, CLB_EINTERNAL, NULL);
    }
}

/* A read snapshot: a deferred transaction, so concurrent writers are not blocked. */
int clb__store_read_begin(clb_store *st, clb_error *err)
{
    return begin(st, "BEGIN", err);
}

/* The record kinds a command may name by id, each with its one constant query. */
int clb__store_known(clb_store *st, const char *what, const char *id, clb_error *err)
{
    static const struct {
        const char *what, *sql;
    } kinds[] = {
        {"worker", "SELECT 1 FROM workers WHERE id = ?1"},
        {"employer", "SELECT 1 FROM employers WHERE id = ?1"},
        {"vacancy", "SELECT 1 FROM vacancies WHERE id = ?1"},
    };
    sqlite3_stmt *s = NULL;
    int error = CLB_EINTERNAL;
    if (!id)
        return 0;
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kinds[i].what, what) == 0)
            error = clb__store_prep(st, &s, kinds[i].sql, err);
    if (error == CLB_EINTERNAL)
        return clb__error_set(err, CLB_EINTERNAL, "no record kind '%s'", what);
    if (error < 0)
        return error;
    clb__store_bind_text(s, 1, id);
    if (sqlite3_step(s) != SQLITE_ROW)
        error = clb__error_set(err, CLB_ENOTFOUND, "no %s '%s'", what, id);
    sqlite3_finalize(s);
    return error;
}

/* ---- audit --------------------------------------------------------------------- */

int clb__store_audit(clb_store *st, const char *action, const char *object,
                     const char *before, const char *after, const char *detail,
                     clb_error *err)
{
    sqlite3_stmt *s = NULL;
    char now[32];
    int error;
    clb__now_iso(now);
    if ((error = clb__store_prep(
             st, &s,
             "INSERT INTO audit(at, actor, action, object, before, after, detail)"
             " VALUES (?,?,?,?,?,?,?)",
             err)) < 0)
        return error;
    clb__store_bind_text(s, 1, now);
    clb__store_bind_text(s, 2, st->actor ? st->actor : "unknown");
    clb__store_bind_text(s, 3, action);
    clb__store_bind_text(s, 4, object);
    clb__store_bind_text(s, 5, before);
    clb__store_bind_text(s, 6, after);
    clb__store_bind_text(s, 7, detail);
    error = clb__store_step_done(st, s, err);
    sqlite3_finalize(s);
    return error;
}

/* ---- reading state ------------------------------------------------------------- */

int clb__store_open_season(clb_store *st, long *out, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = clb__store_prep(
        st, &s, "SELECT max(id) FROM seasons WHERE closed_at IS NULL", err);
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
int clb__store_policy_doc(clb_buf *out, clb_store *st, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error =
        clb__store_prep(st, &s, "SELECT value FROM settings WHERE key = 'policy'", err);
    if (error < 0)
        return error;
    if (sqlite3_step(s) == SQLITE_ROW &&
        clb__buf_puts(out, clb__store_col_text0(s, 0)) < 0)
        error = clb__oom(err);
    sqlite3_finalize(s);
    return error;
}

/* The stored policy, read through the scenario reader (defaults when none). */
int clb__store_load_policy(clb_policy *out, clb_store *st, clb_error *err)
{
    clb_buf doc = CLB_BUF_INIT, pol = CLB_BUF_INIT;
    clb_scenario *sc = NULL;
    int error;

    clb__policy_defaults(out);
    if ((error = clb__store_policy_doc(&pol, st, err)) < 0 || pol.size == 0)
        goto done;
    if (clb__buf_printf(&doc,
                       "{\"format\":\"circulab-scenario/1\",\"policy\":%s,"
                       "\"workers\":[],\"employers\":[],\"vacancies\":[]}",
                       pol.ptr) < 0) {
        error = clb__oom(err);
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

/* FNV-1a, 64 bits, as 16 hex digits: a fingerprint, not a security measure. */
void clb__store_fingerprint(char out[40], const char *data, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)data[i];
        h *= 1099511628211ULL;
    }
    snprintf(out, 40, "fnv1a64:%016llx", (unsigned long long)h);
}

/* ---- a set of ids ------------------------------------------------------------ */

int clb__store_idset_add(clb__store_idset *s, const char *id)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        char **p = clb__realloc(s->v, cap * sizeof(*p));
        if (!p)
            return CLB_ENOMEM;
        s->v = p;
        s->cap = cap;
    }
    if (!(s->v[s->n] = clb__strdup(id)))
        return CLB_ENOMEM;
    s->n++;
    s->sorted = false;
    return 0;
}

bool clb__store_idset_has(clb__store_idset *s, const char *id)
{
    if (!s->sorted) {
        if (s->n > 1)
            qsort(s->v, s->n, sizeof(char *), clb__cmp_str);
        s->sorted = true;
    }
    return s->n && bsearch(&id, s->v, s->n, sizeof(char *), clb__cmp_str) != NULL;
}

void clb__store_idset_dispose(clb__store_idset *s)
{
    for (size_t i = 0; i < s->n; i++)
        clb__free(s->v[i]);
    clb__free(s->v);
    memset(s, 0, sizeof(*s));
}

/* ---- a worker's history in its columns ------------------------------------------- */

void clb__store_bind_date(sqlite3_stmt *s, int i, clb_date d)
{
    char tmp[16];
    if (d == CLB_DATE_NONE) {
        sqlite3_bind_null(s, i);
        return;
    }
    clb__date_format(tmp, d);
    sqlite3_bind_text(s, i, tmp, -1, SQLITE_TRANSIENT);
}

static clb_date col_date(sqlite3_stmt *s, int c)
{
    const char *t = clb__store_col_text(s, c);
    clb_date d;
    return t && clb__date_parse(&d, t) ? d : CLB_DATE_NONE;
}

void clb__store_history_read(clb__history *h, sqlite3_stmt *s, int c)
{
    h->campaigns = sqlite3_column_int(s, c);
    h->returned = sqlite3_column_int(s, c + 1) != 0;
    h->last_employer = clb__store_col_text(s, c + 2);
    h->last_return = col_date(s, c + 3);
    h->days_abroad = sqlite3_column_int(s, c + 4);
    h->banned_until = col_date(s, c + 5);
}

void clb__store_bind_history(sqlite3_stmt *s, int i, const clb__history *h)
{
    sqlite3_bind_int(s, i, h->campaigns);
    sqlite3_bind_int(s, i + 1, h->returned);
    clb__store_bind_text(s, i + 2, h->last_employer);
    clb__store_bind_date(s, i + 3, h->last_return);
    sqlite3_bind_int(s, i + 4, h->days_abroad);
    clb__store_bind_date(s, i + 5, h->banned_until);
}

int clb__store_put_history(clb_buf *out, const clb__history *h)
{
    char d[16];
    int rc = clb__buf_printf(out, "{\"campaigns\":%d,\"returned\":%s", h->campaigns,
                             h->returned ? "true" : "false");
    if (rc == 0 && h->last_employer) {
        rc = clb__buf_puts(out, ",\"last_employer\":");
        if (rc == 0)
            rc = clb__buf_put_json_string(out, h->last_employer);
    }
    if (rc == 0 && h->last_return != CLB_DATE_NONE) {
        clb__date_format(d, h->last_return);
        rc = clb__buf_printf(out, ",\"last_return\":\"%s\"", d);
    }
    if (rc == 0)
        rc = clb__buf_printf(out, ",\"days_abroad\":%d", h->days_abroad);
    if (rc == 0 && h->banned_until != CLB_DATE_NONE) {
        clb__date_format(d, h->banned_until);
        rc = clb__buf_printf(out, ",\"banned_until\":\"%s\"", d);
    }
    return rc == 0 ? clb__buf_puts(out, "}") : rc;
}

int clb__store_history_json(clb_buf *out, sqlite3_stmt *s, int c)
{
    clb__history h;
    clb__store_history_read(&h, s, c);
    return clb__store_put_history(out, &h);
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
