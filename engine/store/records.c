/*
 * records.c - writing records into the database: the prepared upserts of employers
 * (and their sites), workers (and their history), vacancies, quotas, sessions,
 * programmes, scores, pins, bans and the policy.
 *
 * Shared by import, offer feeds and season renew, so that a record is written one
 * way whoever brings it. Each row keeps the record's canonical document
 * (scenario/save.c) beside the key columns; the kinds written alike (quotas,
 * sessions, programmes; scores, pins, bans) go through one table each. A worker's
 * history is a unit that only moves forward unless the caller says otherwise; every
 * change of a stored history is audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"
#include "scenario/save.h"
#include "scenario/scenario_impl.h"
#include "util/alloc.h"

void clb__store_upserts_dispose(clb__store_upserts *u)
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

int clb__store_upserts_init(clb__store_upserts *u, clb_store *st, clb_error *err)
{
    int error;
    memset(u, 0, sizeof(*u));
    clb__now_iso(u->now);
    if ((error = clb__store_prep(
             st, &u->employer,
             "INSERT INTO employers(id, name, region, source, doc, updated_at)"
             " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO UPDATE SET"
             " name = ?2, region = ?3, source = coalesce(?4, source), doc = ?5,"
             " updated_at = ?6",
             err)) < 0 ||
        (error = clb__store_prep(st, &u->site_del,
                                 "DELETE FROM sites WHERE employer_id = ?", err)) < 0 ||
        (error =
             clb__store_prep(st, &u->site,
                             "INSERT OR REPLACE INTO sites(id, employer_id, region, beds)"
                             " VALUES (?, ?, ?, ?)",
                             err)) < 0 ||
        (error = clb__store_prep(
             st, &u->worker,
             "INSERT INTO workers(id, name, country, region, active, doc,"
             " updated_at) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6)"
             " ON CONFLICT(id) DO UPDATE SET name = coalesce(?2, name),"
             " country = ?3, region = ?4, active = 1, doc = ?5, updated_at = ?6",
             err)) < 0 ||
        (error =
             clb__store_prep(st, &u->history,
                             "UPDATE workers SET campaigns = ?2, returned = ?3,"
                             " last_employer = ?4, last_return = ?5, days_abroad = ?6,"
                             " banned_until = ?7 WHERE id = ?1",
                             err)) < 0 ||
        (error = clb__store_prep(
             st, &u->vacancy,
             "INSERT INTO vacancies(id, employer_id, site_id, start_date,"
             " end_date, headcount, status, source, doc, updated_at)"
             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
             " ON CONFLICT(id) DO UPDATE SET employer_id = ?2, site_id = ?3,"
             " start_date = ?4, end_date = ?5, headcount = ?6, status = ?7,"
             " source = coalesce(?8, source), doc = ?9, updated_at = ?10",
             err)) < 0 ||
        (error =
             clb__store_prep(st, &u->quota,
                             "INSERT INTO quotas(id, doc, updated_at) VALUES (?1, ?2, ?3)"
                             " ON CONFLICT(id) DO UPDATE SET doc = ?2, updated_at = ?3",
                             err)) < 0 ||
        (error = clb__store_prep(
             st, &u->session,
             "INSERT INTO sessions(id, course, country, start_date, end_date,"
             " capacity, status, doc, updated_at)"
             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'open', ?7, ?8)"
             " ON CONFLICT(id) DO UPDATE SET course = ?2, country = ?3,"
             " start_date = ?4, end_date = ?5, capacity = ?6, status = 'open',"
             " doc = ?7, updated_at = ?8",
             err)) < 0 ||
        (error = clb__store_prep(
             st, &u->programme,
             "INSERT INTO programmes(id, country, start_date, end_date, capacity,"
             " status, doc, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6, ?7)"
             " ON CONFLICT(id) DO UPDATE SET country = ?2, start_date = ?3,"
             " end_date = ?4, capacity = ?5, status = 'open', doc = ?6,"
             " updated_at = ?7",
             err)) < 0 ||
        (error =
             clb__store_prep(st, &u->pair,
                             "INSERT OR REPLACE INTO pairs(kind, worker_id, vacancy_id,"
                             " employer_id, value, doc) VALUES (?, ?, ?, ?, ?, ?)",
                             err)) < 0 ||
        (error = clb__store_prep(st, &u->stored,
                                 "SELECT campaigns, returned, last_employer, last_return,"
                                 " days_abroad, banned_until, forgotten_at, doc, name,"
                                 " country, region, active FROM workers WHERE id = ?",
                                 err)) < 0) {
        clb__store_upserts_dispose(u);
        return error;
    }
    return 0;
}

int clb__store_write_employer(clb_store *st, clb__store_upserts *u,
                              const clb_scenario *sc, size_t i, const char *source,
                              clb_error *err)
{
    const clb_employer_rec *e = &sc->employers[i];
    clb_buf doc = CLB_BUF_INIT;
    int error;
    if (clb__scenario_save_employer(&doc, sc, i, 0) < 0) {
        clb_buf_dispose(&doc); /* what was written before the failure */
        return clb__oom(err);
    }
    clb__store_bind_text(u->employer, 1, e->id);
    clb__store_bind_text(u->employer, 2, e->name);
    clb__store_bind_text(u->employer, 3, clb_sym(sc, e->region));
    clb__store_bind_text(u->employer, 4, source);
    clb__store_bind_text(u->employer, 5, doc.ptr);
    clb__store_bind_text(u->employer, 6, u->now);
    error = clb__store_step_done(st, u->employer, err);
    clb_buf_dispose(&doc);
    if (error < 0)
        return error;
    clb__store_bind_text(u->site_del, 1, e->id);
    if ((error = clb__store_step_done(st, u->site_del, err)) < 0)
        return error;
    for (uint32_t k = 0; k < e->site_count; k++) {
        const clb_site_rec *site = &sc->sites[e->site_first + k];
        clb__store_bind_text(u->site, 1, site->id);
        clb__store_bind_text(u->site, 2, e->id);
        clb__store_bind_text(u->site, 3, clb_sym(sc, site->region));
        if (site->beds >= 0)
            sqlite3_bind_int(u->site, 4, site->beds);
        else
            sqlite3_bind_null(u->site, 4);
        if ((error = clb__store_step_done(st, u->site, err)) < 0)
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

/* A stored date column against a record's date: -1, 0, 1 (NULL is the earliest). */
static int cmp_stored_date(sqlite3_stmt *s, int c, clb_date d)
{
    char tmp[16] = "";
    const char *v = clb__store_col_text(s, c);
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

/* The history of a record, in the form of a stored row's. */
static void record_history(clb__history *h, const clb_scenario *sc, const clb_worker_rec *w)
{
    h->campaigns = w->campaigns;
    h->returned = w->returned;
    h->last_employer = w->last_employer >= 0 ? clb_sym(sc, w->last_employer) : NULL;
    h->last_return = w->last_return;
    h->days_abroad = w->days_abroad;
    h->banned_until = w->banned_until;
}

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Does the stored worker row (u->stored's, columns 8-11) already hold the record's
 * name, country, region and active flag? A record without a name keeps the stored one. */
static bool worker_row_same(sqlite3_stmt *stored, const clb_scenario *sc,
                            const clb_worker_rec *w)
{
    return (!w->name || same_text(clb__store_col_text(stored, 8), w->name)) &&
           same_text(clb__store_col_text(stored, 9), clb_sym(sc, w->country)) &&
           same_text(clb__store_col_text(stored, 10),
                     w->region >= 0 ? clb_sym(sc, w->region) : NULL) &&
           sqlite3_column_int(stored, 11) == 1;
}

/*
 * Upsert a worker. A record the database already holds exactly (row, stored document
 * and history) is counted unchanged and not written, so its updated_at, the last
 * activity retention counts from, stays. Its history: a record without one (all defaults) keeps the stored
 * history; a new worker takes the record's; an existing one takes it unless that would
 * move the stored history backwards (then the stored history is kept whole, counted
 * in stats->history_kept), or always with CLB_IMPORT_HISTORY. Every change of a
 * stored history is audited as `worker.history` (before/after).
 */
int clb__store_write_worker(clb_store *st, clb__store_upserts *u, const clb_scenario *sc,
                            size_t i, unsigned flags, clb_import_stats *stats,
                            clb_error *err)
{
    const clb_worker_rec *w = &sc->workers[i];
    clb_buf doc = CLB_BUF_INIT, before = CLB_BUF_INIT, after = CLB_BUF_INIT;
    clb_buf stored_doc = CLB_BUF_INIT;
    clb__history h;
    bool exists = false, set, same_row = false;
    int error, rc = 0;

    record_history(&h, sc, w);

    /* Erasure is final (docs/DATABASE.md "Erasure"): the forgotten form is written by
     * `worker forget` alone, and a forgotten worker's id never takes data again. */
    if (w->forgotten)
        return clb__error_set(err, CLB_EINVAL,
                              "worker '%s': a forgotten worker's record is written only "
                              "by 'worker forget', never imported",
                              w->id);
    clb__store_bind_text(u->stored, 1, w->id);
    if ((error = sqlite3_step(u->stored)) == SQLITE_ROW) {
        exists = true;
        if (clb__store_col_text(u->stored, 6)) {
            error = clb__error_set(err, CLB_EINVAL,
                                   "worker '%s' was forgotten on %.10s (personal data "
                                   "erased): the id takes no data again; a person who "
                                   "applies again gets a new id",
                                   w->id, clb__store_col_text(u->stored, 6));
            sqlite3_reset(u->stored);
            return error;
        }
        rc = clb__store_history_json(&before, u->stored, 0);
        same_row = worker_row_same(u->stored, sc, w);
        if (rc == 0 && clb__store_col_text(u->stored, 7) &&
            clb__buf_puts(&stored_doc, clb__store_col_text(u->stored, 7)) < 0)
            rc = -1;
    } else if (error != SQLITE_DONE) {
        error = clb__store_db_error(st, err, "read worker");
        sqlite3_reset(u->stored);
        return error;
    }
    set = !history_is_default(w) &&
          (!exists || (flags & CLB_IMPORT_HISTORY) || !history_backwards(u->stored, w));
    if (exists && !history_is_default(w) && !set)
        stats->history_kept++;
    sqlite3_reset(u->stored);
    if (rc == 0)
        rc = clb__store_put_history(&after, &h);
    if (rc < 0 || clb__scenario_save_worker(&doc, sc, i, 0) < 0) {
        error = clb__oom(err);
        goto done;
    }
    if (exists && same_row && strcmp(stored_doc.ptr ? stored_doc.ptr : "", doc.ptr) == 0 &&
        (!set || strcmp(before.ptr, after.ptr) == 0)) {
        stats->workers_unchanged++; /* nothing to write: updated_at stays */
        error = 0;
        goto done;
    }
    if (exists)
        stats->workers_updated++;
    else
        stats->workers_added++;
    clb__store_bind_text(u->worker, 1, w->id);
    clb__store_bind_text(u->worker, 2, w->name);
    clb__store_bind_text(u->worker, 3, clb_sym(sc, w->country));
    clb__store_bind_text(u->worker, 4, w->region >= 0 ? clb_sym(sc, w->region) : NULL);
    clb__store_bind_text(u->worker, 5, doc.ptr);
    clb__store_bind_text(u->worker, 6, u->now);
    if ((error = clb__store_step_done(st, u->worker, err)) < 0 || !set)
        goto done;
    clb__store_bind_text(u->history, 1, w->id);
    clb__store_bind_history(u->history, 2, &h);
    if ((error = clb__store_step_done(st, u->history, err)) < 0)
        goto done;
    if (exists && strcmp(before.ptr, after.ptr) != 0) {
        stats->history_set++;
        error = clb__store_audit(st, "worker.history", w->id, before.ptr, after.ptr,
                      "{\"by\":\"import\"}", err);
    }
done:
    clb_buf_dispose(&doc);
    clb_buf_dispose(&before);
    clb_buf_dispose(&after);
    clb_buf_dispose(&stored_doc);
    return error;
}

int clb__store_write_vacancy(clb_store *st, clb__store_upserts *u, const clb_scenario *sc,
                             size_t i, const char *source, clb_error *err)
{
    const clb_vacancy_rec *v = &sc->vacancies[i];
    clb_buf doc = CLB_BUF_INIT;
    int error;
    if (clb__scenario_save_vacancy(&doc, sc, i) < 0) {
        clb_buf_dispose(&doc); /* what was written before the failure */
        return clb__oom(err);
    }
    clb__store_bind_text(u->vacancy, 1, v->id);
    clb__store_bind_text(u->vacancy, 2, sc->employers[v->employer].id);
    clb__store_bind_text(u->vacancy, 3, sc->sites[v->site].id);
    clb__store_bind_date(u->vacancy, 4, v->start);
    clb__store_bind_date(u->vacancy, 5, v->end);
    sqlite3_bind_int(u->vacancy, 6, v->headcount);
    clb__store_bind_text(u->vacancy, 7, v->withdrawn ? "withdrawn" : "open");
    clb__store_bind_text(u->vacancy, 8, source);
    clb__store_bind_text(u->vacancy, 9, doc.ptr);
    clb__store_bind_text(u->vacancy, 10, u->now);
    error = clb__store_step_done(st, u->vacancy, err);
    clb_buf_dispose(&doc);
    return error;
}

/* The key columns of a quota, session or programme row, bound from parameter 1;
 * returns the next parameter (the document's, then the time's). */
static int quota_keys(sqlite3_stmt *s, const clb_scenario *sc, size_t i)
{
    clb__store_bind_text(s, 1, sc->quotas[i].id);
    return 2;
}

static int session_keys(sqlite3_stmt *s, const clb_scenario *sc, size_t i)
{
    const clb_session_rec *k = &sc->sessions[i];
    clb__store_bind_text(s, 1, k->id);
    clb__store_bind_text(s, 2, clb_sym(sc, k->course));
    clb__store_bind_text(s, 3, clb_sym(sc, k->country));
    clb__store_bind_date(s, 4, k->start);
    clb__store_bind_date(s, 5, k->end);
    sqlite3_bind_int(s, 6, k->capacity);
    return 7;
}

static int programme_keys(sqlite3_stmt *s, const clb_scenario *sc, size_t i)
{
    const clb_programme_rec *r = &sc->programmes[i];
    clb__store_bind_text(s, 1, r->id);
    clb__store_bind_text(s, 2, clb_sym(sc, r->country));
    clb__store_bind_date(s, 3, r->start);
    clb__store_bind_date(s, 4, r->end);
    sqlite3_bind_int(s, 5, r->capacity);
    return 6;
}

/* The records written as their document beside their key columns, one way. */
static const struct simple_kind {
    clb_kind kind;
    int (*save)(clb_buf *out, const clb_scenario *s, size_t i);
    int (*keys)(sqlite3_stmt *s, const clb_scenario *sc, size_t i);
} simple_kinds[] = {
    {CLB_KIND_QUOTA, clb__scenario_save_quota, quota_keys},
    {CLB_KIND_SESSION, clb__scenario_save_session, session_keys},
    {CLB_KIND_PROGRAMME, clb__scenario_save_programme, programme_keys},
};

static sqlite3_stmt *simple_upsert(clb__store_upserts *u, clb_kind kind)
{
    switch (kind) {
    case CLB_KIND_QUOTA: return u->quota;
    case CLB_KIND_SESSION: return u->session;
    default: return u->programme;
    }
}

int clb__store_write_simple(clb_store *st, clb__store_upserts *u, const clb_scenario *sc,
                            clb_kind kind, size_t i, clb_error *err)
{
    const struct simple_kind *k = NULL;
    clb_buf doc = CLB_BUF_INIT;
    sqlite3_stmt *s;
    int error, next;
    for (size_t n = 0; n < sizeof(simple_kinds) / sizeof(simple_kinds[0]); n++)
        if (simple_kinds[n].kind == kind)
            k = &simple_kinds[n];
    if (!k)
        return clb__error_set(err, CLB_EINTERNAL, "write_simple: bad kind");
    s = simple_upsert(u, kind);
    next = k->keys(s, sc, i);
    if (k->save(&doc, sc, i) < 0)
        error = clb__oom(err);
    else {
        clb__store_bind_text(s, next, doc.ptr);
        clb__store_bind_text(s, next + 1, u->now);
        error = clb__store_step_done(st, s, err);
    }
    if (error < 0) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
    }
    clb_buf_dispose(&doc);
    return error;
}

/* A score, pin or ban as its row in `pairs`: the worker, vacancy and employer it
 * names ("" for none) and its value (scores only). */
typedef struct pair_keys {
    const char *worker, *vacancy, *employer;
    double value;
    bool has_value;
} pair_keys;

static void score_keys(pair_keys *k, const clb_scenario *sc, size_t i)
{
    const clb_score_rec *r = &sc->scores[i];
    *k = (pair_keys){sc->workers[r->worker].id, sc->vacancies[r->vacancy].id, NULL,
                     r->value, true};
}

static void pin_keys(pair_keys *k, const clb_scenario *sc, size_t i)
{
    const clb_pair_rec *r = &sc->pins[i];
    *k = (pair_keys){sc->workers[r->worker].id, sc->vacancies[r->vacancy].id, NULL, 0,
                     false};
}

static void ban_keys(pair_keys *k, const clb_scenario *sc, size_t i)
{
    const clb_ban_rec *r = &sc->bans[i];
    *k = (pair_keys){sc->workers[r->worker].id,
                     r->vacancy >= 0 ? sc->vacancies[r->vacancy].id : NULL,
                     r->employer >= 0 ? sc->employers[r->employer].id : NULL, 0, false};
}

/* Write the pairs of one kind ("score", "pin", "ban") of sc, counted in stats. */
static int write_pair_kind(clb_store *st, clb__store_upserts *u, const clb_scenario *sc,
                           const char *kind, size_t n,
                           int (*save)(clb_buf *out, const clb_scenario *s, size_t i),
                           void (*keys)(pair_keys *k, const clb_scenario *sc, size_t i),
                           clb_import_stats *stats, clb_error *err)
{
    clb_buf doc = CLB_BUF_INIT;
    int error = 0;
    for (size_t i = 0; i < n && error == 0; i++) {
        pair_keys k;
        clb__buf_clear(&doc);
        if (save(&doc, sc, i) < 0) {
            error = clb__oom(err);
            break;
        }
        keys(&k, sc, i);
        clb__store_bind_text(u->pair, 1, kind);
        clb__store_bind_text(u->pair, 2, k.worker);
        clb__store_bind_text(u->pair, 3, k.vacancy ? k.vacancy : "");
        clb__store_bind_text(u->pair, 4, k.employer ? k.employer : "");
        if (k.has_value)
            sqlite3_bind_double(u->pair, 5, k.value);
        else
            sqlite3_bind_null(u->pair, 5);
        clb__store_bind_text(u->pair, 6, doc.ptr);
        error = clb__store_step_done(st, u->pair, err);
        stats->pairs++;
    }
    clb_buf_dispose(&doc);
    return error;
}

int clb__store_write_pairs(clb_store *st, clb__store_upserts *u, const clb_scenario *sc,
                           unsigned flags, clb_import_stats *stats, clb_error *err)
{
    bool pins = flags & IMPORT_PINS;
    int error = write_pair_kind(st, u, sc, "score", sc->n_scores, clb__scenario_save_score,
                                score_keys, stats, err);
    if (!pins)
        stats->pins_ignored += sc->n_pins;
    if (error == 0 && pins)
        error = write_pair_kind(st, u, sc, "pin", sc->n_pins, clb__scenario_save_pin,
                                pin_keys, stats, err);
    if (error == 0)
        error = write_pair_kind(st, u, sc, "ban", sc->n_bans, clb__scenario_save_ban,
                                ban_keys, stats, err);
    return error;
}

int clb__store_write_policy(clb_store *st, const clb_scenario *sc, clb_error *err)
{
    clb_buf doc = CLB_BUF_INIT;
    sqlite3_stmt *s = NULL;
    int error;
    if (clb__scenario_save_policy(&doc, sc) < 0) {
        clb_buf_dispose(&doc); /* what was written before the failure */
        return clb__oom(err);
    }
    if ((error = clb__store_prep(st, &s,
                      "INSERT OR REPLACE INTO settings(key, value) VALUES ('policy', ?)",
                      err)) == 0) {
        clb__store_bind_text(s, 1, doc.ptr);
        error = clb__store_step_done(st, s, err);
    }
    sqlite3_finalize(s);
    clb_buf_dispose(&doc);
    return error;
}

/* A worker's history as JSON, from the columns of the row at `c`. */
