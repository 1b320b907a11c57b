/*
 * forget.c - `worker forget`: erasing workers' personal data (the right to erasure and
 * storage limitation; docs/DATABASE.md "Erasure", docs/AGENCY.md).
 *
 * A forgotten worker keeps the id (a pseudonymous code), country, region and the
 * facts of the placements; everything else the database held on the person goes, in
 * every place it was stored: the worker's row (name, record document, scores, pins,
 * bans) and each round's stored inputs, where the worker's record becomes the
 * forgotten form the scenario reader accepts (`"forgotten": true` with id, country,
 * region and history) and the pins and scores naming the worker are dropped, so that
 * every stored round still loads, explains and reports. The row stays (placements
 * refer to it), inactive and marked `forgotten_at`, so the worker is never placed
 * again and is left out of every assembled scenario.
 *
 * SQLite keeps deleted text in free pages, in the WAL and in overwritten cells: the
 * change runs with secure_delete on (freed space zeroed), and after the commit a
 * TRUNCATE checkpoint, VACUUM (with its temporary copy in memory) and a second
 * TRUNCATE checkpoint leave no old page anywhere in the database's files. The audit
 * entry says who erased whom, when and why, never what was erased; the clerks' notes
 * about the worker in earlier entries are erased too (redact_audit_notes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"
#include "circulab/desk.h"
#include "util/alloc.h"

/* A worker to forget: the id and, for a retention run, the last activity. */
typedef struct target {
    char *id;
    char *last_activity; /* YYYY-MM-DD or NULL */
    char *forgotten_at;  /* already forgotten: when */
    long rounds, pins;
} target;

typedef struct targets {
    target *v;
    size_t n, cap;
} targets;

static void targets_dispose(targets *t)
{
    for (size_t i = 0; i < t->n; i++) {
        clb__free(t->v[i].id);
        clb__free(t->v[i].last_activity);
        clb__free(t->v[i].forgotten_at);
    }
    clb__free(t->v);
    memset(t, 0, sizeof(*t));
}

static int targets_add(targets *t, const char *id, const char *activity,
                       const char *forgotten_at)
{
    target *x;
    if (t->n == t->cap) {
        size_t c2 = t->cap ? t->cap * 2 : 16;
        target *p = clb__realloc(t->v, c2 * sizeof(*p));
        if (!p)
            return CLB_ENOMEM;
        t->v = p;
        t->cap = c2;
    }
    x = &t->v[t->n];
    memset(x, 0, sizeof(*x));
    if (!(x->id = clb__strdup(id)) ||
        (activity && !(x->last_activity = clb__strdup(activity))) ||
        (forgotten_at && !(x->forgotten_at = clb__strdup(forgotten_at)))) {
        clb__free(x->id);
        clb__free(x->last_activity);
        return CLB_ENOMEM;
    }
    t->n++;
    return 0;
}

/*
 * A worker's last activity: the latest day the database did something with the
 * worker - the record imported or changed (updated_at), a placement of theirs
 * proposed or changed (its updated_at), its end, departure or return, the history's
 * last return, or a round that considered the worker (its inputs hold the record).
 */
#define LAST_ACTIVITY                                                                 \
    "max(substr(w.updated_at, 1, 10), COALESCE(w.last_return, ''),"                   \
    " COALESCE((SELECT max(max(substr(p.updated_at, 1, 10), p.end_date,"              \
    "  COALESCE(p.departed_on, ''), COALESCE(p.returned_on, '')))"                    \
    "  FROM placements p WHERE p.worker_id = w.id), ''),"                             \
    " COALESCE((SELECT substr(c.at, 1, 10) FROM temp.forget_considered c"            \
    "  WHERE c.w = w.id), ''))"

/* The workers with no activity since `before` (not already forgotten). The rounds'
 * inputs are read once into a keyed temporary table of the latest round that
 * considered each worker (a join on the parsed JSON would parse it per worker). */
static int retention_targets(targets *t, clb_store *st, const char *before,
                             clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc, error;
    if ((error = clb__store_exec(
             st,
             "CREATE TEMP TABLE forget_considered(w TEXT PRIMARY KEY, at TEXT);"
             "INSERT INTO temp.forget_considered SELECT json_extract(j.value, '$.id'),"
             " max(r.created_at) FROM rounds r JOIN json_each(r.inputs, '$.workers') j"
             " GROUP BY 1",
             err)) < 0)
        return error;
    error = clb__store_prep(
        st, &s,
        "SELECT id, activity FROM (SELECT w.id AS id, " LAST_ACTIVITY " AS activity"
        " FROM workers w WHERE w.forgotten_at IS NULL)"
        " WHERE activity < ?1 ORDER BY id",
        err);
    if (error == 0) {
        clb__store_bind_text(s, 1, before);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW)
            if (targets_add(t, clb__store_col_text0(s, 0), clb__store_col_text(s, 1),
                            NULL) < 0) {
                error = clb__oom(err);
                break;
            }
        if (error == 0 && rc != SQLITE_DONE)
            error = clb__store_db_error(st, err, "find inactive workers");
    }
    sqlite3_finalize(s);
    if (error == 0)
        error = clb__store_exec(st, "DROP TABLE temp.forget_considered", err);
    return error;
}

/* The workers named (each must exist; those already forgotten are kept, marked). */
static int named_targets(targets *t, clb_store *st, const char *const *ids, size_t n,
                         clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = clb__store_prep(st, &s, "SELECT forgotten_at FROM workers WHERE id = ?",
                                err);
    for (size_t i = 0; i < n && error == 0; i++) {
        bool dup = false;
        for (size_t k = 0; k < t->n && !dup; k++)
            dup = strcmp(t->v[k].id, ids[i]) == 0;
        if (dup)
            continue;
        clb__store_bind_text(s, 1, ids[i]);
        if (sqlite3_step(s) != SQLITE_ROW)
            error = clb__error_set(err, CLB_ENOTFOUND, "no worker '%s'", ids[i]);
        else if (targets_add(t, ids[i], NULL, clb__store_col_text(s, 0)) < 0)
            error = clb__oom(err);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    return error;
}

/*
 * A worker abroad or about to go keeps the data the season needs: refused while the
 * worker has a confirmed or departed placement in the open season, or a proposal of
 * its latest round (decline, cancel or record the return first).
 */
static int check_not_engaged(clb_store *st, const char *id, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = clb__store_prep(
        st, &s,
        "SELECT p.id, p.status FROM placements p JOIN rounds r ON r.id = p.round_id"
        " WHERE p.worker_id = ?1 AND r.season_id = (SELECT max(id) FROM seasons"
        "  WHERE closed_at IS NULL)"
        " AND (p.status IN ('confirmed', 'departed') OR (p.status = 'proposed'"
        "  AND p.round_id = (SELECT max(id) FROM rounds WHERE season_id = r.season_id)))"
        " ORDER BY p.id LIMIT 1",
        err);
    if (error < 0)
        return error;
    clb__store_bind_text(s, 1, id);
    if (sqlite3_step(s) == SQLITE_ROW) {
        const char *state = clb__store_col_text0(s, 1);
        error = clb__error_set(
            err, CLB_ESTATE,
            "worker '%s' has placement %lld (%s) in the open season: %s it first, or "
            "forget the worker after the season is closed",
            id, (long long)sqlite3_column_int64(s, 0), state,
            strcmp(state, "proposed") == 0   ? "decline"
            : strcmp(state, "confirmed") == 0 ? "cancel"
                                              : "record the return of");
    }
    sqlite3_finalize(s);
    return error;
}

/* Run one statement with ?1 = id (and ?2 = now when it has one). */
static int exec_id(clb_store *st, const char *sql, const char *id, const char *now,
                   clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = clb__store_prep(st, &s, sql, err);
    if (error < 0)
        return error;
    clb__store_bind_text(s, 1, id);
    if (sqlite3_bind_parameter_count(s) >= 2)
        clb__store_bind_text(s, 2, now);
    error = clb__store_step_done(st, s, err);
    sqlite3_finalize(s);
    return error;
}

/*
 * The records of the workers in temp.forget_ids, in every round's stored inputs,
 * become the forgotten form (id, country, region and history kept, `"forgotten":
 * true` added), and the round's pins and scores naming them go. One statement per
 * list for all the workers at once: a round's inputs are parsed and rewritten once,
 * however many workers are forgotten. The LEFT JOIN keeps json_each as the outer
 * loop, so the array keeps its order.
 */
static const char *const scrub_inputs_sql[] = {
    "UPDATE rounds SET inputs = json_set(inputs, '$.workers', json((SELECT"
    " json_group_array(json(CASE WHEN f.id IS NULL"
    "   OR json_extract(j.value, '$.forgotten') IS NOT NULL THEN j.value"
    "  ELSE json_patch('{}', json_object('id', json_extract(j.value, '$.id'),"
    "   'forgotten', json('true'), 'country', json_extract(j.value, '$.country'),"
    "   'region', json_extract(j.value, '$.region'),"
    "   'history', json_extract(j.value, '$.history'))) END))"
    " FROM json_each(rounds.inputs, '$.workers') j"
    " LEFT JOIN temp.forget_ids f ON f.id = json_extract(j.value, '$.id'))))"
    " WHERE EXISTS (SELECT 1 FROM json_each(rounds.inputs, '$.workers') j"
    "  JOIN temp.forget_ids f ON f.id = json_extract(j.value, '$.id')"
    "  WHERE json_extract(j.value, '$.forgotten') IS NULL)",
    "UPDATE rounds SET inputs = json_set(inputs, '$.pins', json((SELECT"
    " json_group_array(json(value)) FROM json_each(rounds.inputs, '$.pins')"
    " WHERE json_extract(value, '$.worker') NOT IN (SELECT id FROM temp.forget_ids))))"
    " WHERE EXISTS (SELECT 1 FROM json_each(rounds.inputs, '$.pins')"
    "  WHERE json_extract(value, '$.worker') IN (SELECT id FROM temp.forget_ids))",
    "UPDATE rounds SET inputs = json_set(inputs, '$.scores', json((SELECT"
    " json_group_array(json(value)) FROM json_each(rounds.inputs, '$.scores')"
    " WHERE json_extract(value, '$.worker') NOT IN (SELECT id FROM temp.forget_ids))))"
    " WHERE EXISTS (SELECT 1 FROM json_each(rounds.inputs, '$.scores')"
    "  WHERE json_extract(value, '$.worker') IN (SELECT id FROM temp.forget_ids))",
};

/*
 * The clerks' free text about the forgotten workers in the audit log: the notes
 * (`--note`) and cancellation reasons of the entries about a worker (object the
 * worker or one of its placements, or detail naming it) become "[erased]". The audit
 * log is append-only (trigger audit_no_update); as migration 3 did for credentials,
 * this is a deliberate exception made inside the erasure's transaction: the trigger
 * is dropped, only those members of those rows are rewritten, and the trigger is
 * created again with the very same definition, so no other connection ever sees the
 * log without it and a failure rolls all of it back. Who did what, when and to which
 * placement stays. *count: the entries redacted.
 */
#define ABOUT_FORGOTTEN                                                               \
    " json_valid(detail) AND (object IN (SELECT id FROM temp.forget_ids)"             \
    " OR json_extract(detail, '$.worker') IN (SELECT id FROM temp.forget_ids)"        \
    " OR object IN (SELECT 'placement ' || p.id FROM placements p"                    \
    "  JOIN temp.forget_ids f ON f.id = p.worker_id))"
#define NOTE_TEXT                                                                     \
    " (json_type(detail, '$.note') = 'text'"                                          \
    "  AND json_extract(detail, '$.note') <> '[erased]')"
#define CANCEL_TEXT                                                                   \
    " (action = 'placement.cancel' AND json_type(detail, '$.reason') = 'text'"        \
    "  AND json_extract(detail, '$.reason') <> '[erased]')"

static int redact_audit_notes(clb_store *st, long *count, clb_error *err)
{
    static const char *const steps[] = {
        "DROP TRIGGER audit_no_update",
        "UPDATE audit SET detail = json_set(detail, '$.note', '[erased]') WHERE"
        ABOUT_FORGOTTEN " AND" NOTE_TEXT,
        "UPDATE audit SET detail = json_set(detail, '$.reason', '[erased]') WHERE"
        ABOUT_FORGOTTEN " AND" CANCEL_TEXT,
        /* the definition of migration 1, unchanged */
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit\n"
        "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;\n",
    };
    sqlite3_stmt *s = NULL;
    int error = clb__store_prep(st, &s,
                                "SELECT count(*) FROM audit WHERE" ABOUT_FORGOTTEN
                                " AND (" NOTE_TEXT " OR" CANCEL_TEXT ")",
                                err);
    *count = 0;
    if (error < 0)
        return error;
    if (sqlite3_step(s) == SQLITE_ROW)
        *count = (long)sqlite3_column_int64(s, 0);
    else
        error = clb__store_db_error(st, err, "read the audit log");
    sqlite3_finalize(s);
    for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]) && error == 0 && *count > 0;
         k++)
        error = clb__store_exec(st, steps[k], err);
    return error;
}

/* How many rounds' inputs hold each target's record not yet in the forgotten form. */
static int count_rounds(targets *t, clb_store *st, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc, error = clb__store_prep(
        st, &s,
        "SELECT f.id, count(*) FROM rounds r JOIN json_each(r.inputs, '$.workers') j"
        " JOIN temp.forget_ids f ON f.id = json_extract(j.value, '$.id')"
        " WHERE json_extract(j.value, '$.forgotten') IS NULL GROUP BY f.id",
        err);
    if (error < 0)
        return error;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        for (size_t i = 0; i < t->n; i++)
            if (!t->v[i].forgotten_at && strcmp(t->v[i].id, clb__store_col_text0(s, 0)) == 0)
                t->v[i].rounds = (long)sqlite3_column_int64(s, 1);
    if (rc != SQLITE_DONE)
        error = clb__store_db_error(st, err, "read the rounds' inputs");
    sqlite3_finalize(s);
    return error;
}

/* Release (and audit) the worker's pins; *count: how many. */
static int release_pins(clb_store *st, const char *id, long *count, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    char **vac = NULL;
    size_t n = 0, cap = 0;
    int error = clb__store_prep(
        st, &s, "SELECT vacancy_id FROM pairs WHERE kind = 'pin' AND worker_id = ?", err);
    *count = 0;
    if (error < 0)
        return error;
    clb__store_bind_text(s, 1, id);
    while (error == 0 && sqlite3_step(s) == SQLITE_ROW) {
        if (n == cap) {
            size_t c2 = cap ? cap * 2 : 8;
            char **p = clb__realloc(vac, c2 * sizeof(*p));
            if (!p) {
                error = clb__oom(err);
                break;
            }
            vac = p;
            cap = c2;
        }
        if (!(vac[n] = clb__strdup(clb__store_col_text0(s, 0))))
            error = clb__oom(err);
        else
            n++;
    }
    sqlite3_finalize(s);
    for (size_t i = 0; i < n && error == 0; i++) {
        bool gone = false;
        error = clb__store_release_pin(st, id, vac[i], "worker forgotten", NULL, &gone,
                                       err);
        *count += gone;
    }
    for (size_t i = 0; i < n; i++)
        clb__free(vac[i]);
    clb__free(vac);
    return error;
}

/* Erase one worker's personal data from the worker's row and pairs (inside the
 * transaction); the rounds' inputs follow for all the workers at once. */
static int forget_one(clb_store *st, target *t, const char *now, clb_error *err)
{
    int error;
    if ((error = check_not_engaged(st, t->id, err)) < 0 ||
        (error = release_pins(st, t->id, &t->pins, err)) < 0 ||
        (error = exec_id(st, "DELETE FROM pairs WHERE worker_id = ?1", t->id, NULL, err)) <
            0 ||
        (error = exec_id(st,
                         "UPDATE workers SET name = NULL, active = 0, forgotten_at = ?2,"
                         " updated_at = ?2, doc = CASE WHEN region IS NULL"
                         " THEN json_object('id', id, 'forgotten', json('true'),"
                         "  'country', country)"
                         " ELSE json_object('id', id, 'forgotten', json('true'),"
                         "  'country', country, 'region', region) END"
                         " WHERE id = ?1",
                         t->id, now, err)) < 0)
        return error;
    return exec_id(st, "INSERT OR IGNORE INTO temp.forget_ids(id) VALUES (?1)", t->id, NULL,
                   err);
}

/* The audit entry of one forgotten worker: who (the store's actor), when, why, how
 * much was scrubbed; never an erased value. */
static int audit_one(clb_store *st, const target *t, const char *reason,
                     const char *before, clb_error *err)
{
    clb_buf detail = CLB_BUF_INIT;
    int error, rc = clb__buf_puts(&detail, "{\"reason\":");
    if (rc == 0)
        rc = clb__buf_put_json_string(&detail, reason);
    if (rc == 0 && before) {
        rc = clb__buf_puts(&detail, ",\"inactive_before\":");
        if (rc == 0)
            rc = clb__buf_put_json_string(&detail, before);
    }
    if (rc == 0)
        rc = clb__buf_printf(&detail, ",\"rounds\":%ld,\"pins\":%ld}", t->rounds, t->pins);
    error = rc < 0 ? clb__oom(err)
                   : clb__store_audit(st, "worker.forget", t->id, NULL, "forgotten",
                                      detail.ptr, err);
    clb_buf_dispose(&detail);
    return error;
}

/* One pragma that returns a row (a checkpoint): *busy from its first column. */
static int checkpoint(clb_store *st, bool *busy, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc, error = clb__store_prep(st, &s, "PRAGMA wal_checkpoint(TRUNCATE)", err);
    if (error < 0)
        return error;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *busy = sqlite3_column_int(s, 0) != 0;
    else
        error = clb__store_db_error(st, err, "checkpoint");
    sqlite3_finalize(s);
    return error;
}

/*
 * After the commit: no old page may survive in the database's files. The WAL is
 * copied into the file and truncated, VACUUM rewrites the file without free pages
 * (its temporary copy in memory, not in a temporary file), and the WAL it wrote is
 * checkpointed and truncated again. A reader holding an old snapshot blocks the
 * truncation: that is an error (the erasure itself is committed; running the
 * command again finishes the scrub).
 */
static int scrub(clb_store *st, clb_error *err)
{
    bool busy = false;
    int error;
    if ((error = checkpoint(st, &busy, err)) < 0 ||
        (error = clb__store_exec(st, "PRAGMA temp_store = MEMORY", err)) < 0 ||
        (error = clb__store_exec(st, "VACUUM", err)) < 0 ||
        (error = checkpoint(st, &busy, err)) < 0)
        return error;
    if (busy)
        return clb__error_set(err, CLB_EDB,
                              "the erasure is stored, but another process holds the "
                              "database open and its write-ahead log still holds old "
                              "pages: run the command again when it is closed");
    return 0;
}

static int render(clb_buf *out, const targets *t, const char *before, long notes,
                  unsigned flags)
{
    int rc = 0;
    size_t done = 0;
    for (size_t i = 0; i < t->n; i++)
        done += t->v[i].forgotten_at == NULL;
    if (flags & CLB_STORE_JSON) {
        rc = clb__buf_puts(out, "{\"forgotten\":[");
        for (size_t i = 0, k = 0; i < t->n && rc == 0; i++) {
            const target *x = &t->v[i];
            if (x->forgotten_at)
                continue;
            rc = clb__buf_puts(out, k++ ? ",{\"worker\":" : "{\"worker\":");
            if (rc == 0)
                rc = clb__buf_put_json_string(out, x->id);
            if (rc == 0 && x->last_activity) {
                rc = clb__buf_puts(out, ",\"last_activity\":");
                if (rc == 0)
                    rc = clb__buf_put_json_string(out, x->last_activity);
            }
            if (rc == 0)
                rc = clb__buf_printf(out, ",\"rounds\":%ld,\"pins\":%ld}", x->rounds,
                                     x->pins);
        }
        if (rc == 0)
            rc = clb__buf_puts(out, "],\"unchanged\":[");
        for (size_t i = 0, k = 0; i < t->n && rc == 0; i++) {
            const target *x = &t->v[i];
            if (!x->forgotten_at)
                continue;
            rc = clb__buf_puts(out, k++ ? ",{\"worker\":" : "{\"worker\":");
            if (rc == 0)
                rc = clb__buf_put_json_string(out, x->id);
            if (rc == 0)
                rc = clb__buf_puts(out, ",\"forgotten_at\":");
            if (rc == 0)
                rc = clb__buf_put_json_string(out, x->forgotten_at);
            if (rc == 0)
                rc = clb__buf_puts(out, "}");
        }
        if (rc == 0)
            rc = clb__buf_printf(out, "],\"audit_notes_erased\":%ld}\n", notes);
        return rc;
    }
    for (size_t i = 0; i < t->n && rc == 0; i++) {
        const target *x = &t->v[i];
        if (x->forgotten_at)
            rc = clb__buf_printf(out, "%s unchanged: already forgotten on %.10s\n", x->id,
                                 x->forgotten_at);
        else if (x->last_activity)
            rc = clb__buf_printf(out,
                                 "%s forgotten (last activity %s; %ld stored round%s "
                                 "scrubbed)\n",
                                 x->id, x->last_activity, x->rounds,
                                 x->rounds == 1 ? "" : "s");
        else
            rc = clb__buf_printf(out, "%s forgotten (%ld stored round%s scrubbed)\n", x->id,
                                 x->rounds, x->rounds == 1 ? "" : "s");
    }
    if (rc == 0 && notes > 0)
        rc = clb__buf_printf(out, "%ld audit entr%s: the note or reason erased\n", notes,
                             notes == 1 ? "y" : "ies");
    if (rc == 0 && before)
        rc = clb__buf_printf(out, "%zu worker%s with no activity since %s forgotten\n", done,
                             done == 1 ? "" : "s", before);
    return rc;
}

int clb_desk_worker_forget(clb_buf *out, clb_store *st, const char *const *ids, size_t n,
                           const char *before, const char *reason, unsigned flags,
                           clb_error *err)
{
    targets t = {0};
    clb_date d;
    char now[32];
    bool outer = st->tx_depth > 0; /* a dry run: the caller rolls back, no scrub */
    long notes = 0; /* audit entries whose free text was erased */
    int error;

    if (!reason || !*reason)
        return clb__error_set(err, CLB_EINVAL, "forget needs a reason (--reason TEXT)");
    if ((n > 0) == (before != NULL))
        return clb__error_set(err, CLB_EINVAL,
                              "forget takes worker ids or --before DATE (one of them)");
    if (before && (strlen(before) != 10 || !clb__date_parse(&d, before)))
        return clb__error_set(err, CLB_EINVAL, "--before '%s' is not a date (YYYY-MM-DD)",
                              before);
    /* freed space is zeroed from now on in this connection */
    if ((error = clb__store_exec(st, "PRAGMA secure_delete = ON", err)) < 0)
        return error;
    if ((error = clb__store_tx_begin(st, err)) < 0)
        return error;
    clb__now_iso(now);
    error = before ? retention_targets(&t, st, before, err)
                   : named_targets(&t, st, ids, n, err);
    if (error == 0)
        error = clb__store_exec(st, "CREATE TEMP TABLE forget_ids(id TEXT PRIMARY KEY)",
                                err);
    for (size_t i = 0; i < t.n && error == 0; i++)
        if (!t.v[i].forgotten_at)
            error = forget_one(st, &t.v[i], now, err);
    if (error == 0)
        error = count_rounds(&t, st, err);
    for (size_t k = 0; k < sizeof(scrub_inputs_sql) / sizeof(scrub_inputs_sql[0]) &&
                       error == 0;
         k++)
        error = clb__store_exec(st, scrub_inputs_sql[k], err);
    if (error == 0)
        error = redact_audit_notes(st, &notes, err);
    for (size_t i = 0; i < t.n && error == 0; i++)
        if (!t.v[i].forgotten_at)
            error = audit_one(st, &t.v[i], reason, before, err);
    if (error == 0)
        error = clb__store_exec(st, "DROP TABLE temp.forget_ids", err);
    if (error == 0)
        error = clb__store_check_valid(st, NULL, err);
    if (error == 0 && render(out, &t, before, notes, flags) < 0)
        error = clb__oom(err);
    error = clb__store_tx_end(st, error, err);
    if (error == 0 && !outer)
        error = scrub(st, err);
    targets_dispose(&t);
    return error;
}
