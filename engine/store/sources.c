/*
 * sources.c - offer sources and the fetch log, and the store's side of a fetch: the
 * offers' records written through the one record writer (records.c), checked like
 * any other change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sources.h"
#include "store/store_impl.h"
#include "util/jw.h"
#include "util/alloc.h"

int clb__store_source_add(clb_store *st, const char *id, const char *url,
                          const char *settings_json, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    char now[32];
    int error;
    clb__now_iso(now);
    if ((error = clb__store_tx_begin(st, err)) < 0)
        return error;
    if ((error = clb__store_prep(st, &s,
                      "INSERT INTO sources(id, url, settings, added_at, added_by)"
                      " VALUES (?, ?, ?, ?, ?)",
                      err)) < 0)
        goto done;
    clb__store_bind_text(s, 1, id);
    clb__store_bind_text(s, 2, url);
    clb__store_bind_text(s, 3, settings_json ? settings_json : "{}");
    clb__store_bind_text(s, 4, now);
    clb__store_bind_text(s, 5, st->actor);
    if (sqlite3_step(s) != SQLITE_DONE) {
        if (sqlite3_errcode(st->db) == SQLITE_CONSTRAINT)
            error = clb__error_set(err, CLB_EEXISTS, "source '%s' exists already", id);
        else
            error = clb__store_db_error(st, err, "add source");
        goto done;
    }
    error = clb__store_audit(st, "source.add", id, NULL, url, NULL, err);
done:
    sqlite3_finalize(s);
    return clb__store_tx_end(st, error, err);
}

int clb_store_source_remove(clb_store *st, const char *id, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error;
    if ((error = clb__store_tx_begin(st, err)) < 0)
        return error;
    if ((error = clb__store_prep(st, &s, "DELETE FROM sources WHERE id = ?", err)) < 0)
        goto done;
    clb__store_bind_text(s, 1, id);
    if ((error = clb__store_step_done(st, s, err)) < 0)
        goto done;
    if (sqlite3_changes(st->db) == 0) {
        error = clb__error_set(err, CLB_ENOTFOUND, "there is no source '%s'", id);
        goto done;
    }
    error = clb__store_audit(st, "source.remove", id, NULL, NULL, NULL, err);
done:
    sqlite3_finalize(s);
    return clb__store_tx_end(st, error, err);
}

int clb_store_source_foreach(clb_store *st,
                             int (*fn)(const clb_source_info *info, void *payload),
                             void *payload, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = clb__store_prep(
        st, &s,
        "SELECT id, url, settings, etag, last_modified, added_at FROM sources"
        " ORDER BY id",
        err);
    if (error < 0)
        return error;
    while (error == 0 && sqlite3_step(s) == SQLITE_ROW) {
        clb_source_info info = {clb__store_col_text0(s, 0), clb__store_col_text0(s, 1),
                                clb__store_col_text0(s, 2), clb__store_col_text(s, 3),
                                clb__store_col_text(s, 4),  clb__store_col_text0(s, 5)};
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
    if ((error = clb__store_tx_begin(st, err)) < 0)
        return error;
    if ((error = clb__store_prep(
             st, &s, "UPDATE sources SET etag = ?, last_modified = ? WHERE id = ?",
             err)) == 0) {
        clb__store_bind_text(s, 1, etag);
        clb__store_bind_text(s, 2, last_modified);
        clb__store_bind_text(s, 3, id);
        error = clb__store_step_done(st, s, err);
    }
    sqlite3_finalize(s);
    return clb__store_tx_end(st, error, err);
}

int clb_store_offer_foreach(clb_store *st,
                            int (*fn)(const clb_offer_state *offer, void *payload),
                            void *payload, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = clb__store_prep(
        st, &s, "SELECT id, source, status FROM vacancies ORDER BY id", err);
    if (error < 0)
        return error;
    while (error == 0 && sqlite3_step(s) == SQLITE_ROW) {
        clb_offer_state o = {clb__store_col_text0(s, 0), clb__store_col_text(s, 1),
                             clb__store_col_text0(s, 2)};
        error = fn(&o, payload);
    }
    sqlite3_finalize(s);
    return error;
}

int clb_store_record_lookup(clb_buf *out, clb_store *st, clb_record_kind kind,
                            const char *id, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    const char *sql = kind == CLB_RECORD_EMPLOYER
                          ? "SELECT doc FROM employers WHERE id = ?"
                          : "SELECT doc FROM vacancies WHERE id = ?";
    int error = clb__store_prep(st, &s, sql, err), rc;
    if (error < 0)
        return error;
    clb__store_bind_text(s, 1, id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        error = clb__buf_puts(out, clb__store_col_text0(s, 0)) < 0 ? clb__oom(err) : 0;
    else if (rc == SQLITE_DONE)
        error = CLB_ENOTFOUND; /* not an error to report: the caller decides */
    else
        error = clb__store_db_error(st, err, "read a record");
    sqlite3_finalize(s);
    return error;
}

int clb_store_fetch_log_append(clb_store *st, const clb_fetch_log_entry *e,
                               clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error;
    if ((error = clb__store_tx_begin(st, err)) < 0)
        return error;
    if ((error = clb__store_prep(st, &s,
                      "INSERT INTO fetch_log(source_id, at, status, http_status, pages,"
                      " offers, rejected, message, started_at, finished_at, added,"
                      " updated, withdrawn) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                      err)) == 0) {
        clb__store_bind_text(s, 1, e->source_id);
        clb__store_bind_text(s, 2, e->finished_at);
        clb__store_bind_text(s, 3, e->status);
        sqlite3_bind_int(s, 4, e->http_status);
        sqlite3_bind_int(s, 5, e->pages);
        sqlite3_bind_int(s, 6, e->added + e->updated + e->withdrawn);
        sqlite3_bind_int(s, 7, e->rejected);
        clb__store_bind_text(s, 8, e->message);
        clb__store_bind_text(s, 9, e->started_at);
        clb__store_bind_text(s, 10, e->finished_at);
        sqlite3_bind_int(s, 11, e->added);
        sqlite3_bind_int(s, 12, e->updated);
        sqlite3_bind_int(s, 13, e->withdrawn);
        error = clb__store_step_done(st, s, err);
    }
    sqlite3_finalize(s);
    return clb__store_tx_end(st, error, err);
}

static void fetch_log_json(clb__jw *j, sqlite3_stmt *s)
{
    clb__jw_int(j, "id", sqlite3_column_int64(s, 0));
    clb__jw_str(j, "source", clb__store_col_text(s, 1));
    clb__jw_str(j, "started_at", clb__store_col_text(s, 2));
    clb__jw_str(j, "finished_at", clb__store_col_text(s, 3));
    clb__jw_str(j, "status", clb__store_col_text(s, 4));
    clb__jw_int(j, "http_status", sqlite3_column_int(s, 5));
    clb__jw_int(j, "pages", sqlite3_column_int(s, 6));
    clb__jw_int(j, "added", sqlite3_column_int(s, 7));
    clb__jw_int(j, "updated", sqlite3_column_int(s, 8));
    clb__jw_int(j, "withdrawn", sqlite3_column_int(s, 9));
    clb__jw_int(j, "rejected", sqlite3_column_int(s, 10));
    clb__jw_str(j, "message", clb__store_col_text(s, 11));
}

static int fetch_log_text(clb_buf *out, sqlite3_stmt *s, long shown)
{
    int rc = clb__buf_printf(out,
                             "%5lld  %-12s %s %s %-9s http=%d pages=%d added=%d"
                             " updated=%d withdrawn=%d rejected=%d",
                             (long long)sqlite3_column_int64(s, 0),
                             clb__store_col_text0(s, 1), clb__store_col_text0(s, 2),
                             clb__store_col_text0(s, 3), clb__store_col_text0(s, 4),
                             sqlite3_column_int(s, 5), sqlite3_column_int(s, 6),
                             sqlite3_column_int(s, 7), sqlite3_column_int(s, 8),
                             sqlite3_column_int(s, 9), sqlite3_column_int(s, 10));
    (void)shown;
    if (rc == 0 && clb__store_col_text(s, 11))
        rc = clb__buf_printf(out, "  %s", clb__store_col_text(s, 11));
    return rc == 0 ? clb__buf_puts(out, "\n") : rc;
}

typedef struct fetch_log_filter {
    const char *source_id;
    long limit;
} fetch_log_filter;

static void bind_fetch_log_filter(sqlite3_stmt *s, const void *payload)
{
    const fetch_log_filter *f = payload;
    clb__store_bind_text(s, 1, f->source_id);
    sqlite3_bind_int64(s, 2, f->limit > 0 ? f->limit : -1);
}

int clb_store_fetch_log_list(clb_buf *out, clb_store *st, const char *source_id,
                             long limit, unsigned flags, clb_error *err)
{
    static const clb__store_rows rows = {NULL,           NULL, NULL, NULL,
                                         fetch_log_json, fetch_log_text, NULL, NULL};
    fetch_log_filter f = {source_id, limit};
    return clb__store_show_list(out, st,
                                "SELECT id, source_id, coalesce(started_at, at),"
                                " coalesce(finished_at, at), status, http_status, pages,"
                                " coalesce(added, 0), coalesce(updated, offers, 0),"
                                " coalesce(withdrawn, 0), rejected, message FROM"
                                " (SELECT * FROM fetch_log WHERE ?1 IS NULL OR"
                                "  source_id = ?1 ORDER BY id DESC LIMIT ?2) ORDER BY id",
                                bind_fetch_log_filter, &f, &rows, flags, err);
}

int clb_store_upsert_offers(clb_store *st, clb_import_stats *stats,
                            const clb_scenario *offers, const char *source,
                            clb_error *err)
{
    clb_import_stats local;
    clb__store_upserts u;
    int error;
    if (!stats)
        stats = &local;
    if ((error = clb__store_tx_begin(st, err)) < 0)
        return error;
    if ((error = clb__store_upserts_init(&u, st, err)) == 0) {
        for (size_t i = 0; i < offers->n_employers && error == 0; i++, stats->employers++)
            error = clb__store_write_employer(st, &u, offers, i, source, err);
        for (size_t i = 0; i < offers->n_vacancies && error == 0; i++, stats->vacancies++)
            error = clb__store_write_vacancy(st, &u, offers, i, source, err);
        clb__store_upserts_dispose(&u);
    }
    /* the offers must fit the database (its policy, pins...), not only themselves */
    if (error == 0)
        error = clb__store_check_valid(st, NULL, err);
    return clb__store_tx_end(st, error, err);
}

int clb_store_employers_json(clb_buf *out, clb_store *st, clb_error *err)
{
    size_t mark = out->size;
    int error = clb__store_put_array(out, st, "employers",
                                     "SELECT doc FROM employers ORDER BY id", 0, false,
                                     false, NULL, err);
    if (error == 0) {
        /* drop the ",\n\"employers\":" prefix put_array writes */
        const char *p = strchr(out->ptr + mark, '[');
        size_t n = out->size - (size_t)(p - out->ptr);
        memmove(out->ptr + mark, p, n + 1);
        out->size = mark + n;
    }
    return error;
}
