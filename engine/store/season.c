/*
 * season.c - closing a season (its placements become each worker's history, its
 * offers end) and renewing the last closed season's records a number of years later.
 *
 * Both are one transaction. The history rule itself (docs/DATABASE.md §6) and the year
 * shift are rules/history.c's, shared with the planners' simulation; here they are
 * applied to the rows of the database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_impl.h"
#include "rules/history.h"
#include "scenario/scenario_impl.h"
#include "util/jw.h"
#include "util/alloc.h"

static void today(char out[16])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

#define HISTORY_COLS                                                                     \
    "campaigns, returned, last_employer, last_return, days_abroad, banned_until"

/* What a season close carries from one step to the next. */
typedef struct season_close {
    clb_store *st;
    bool json;
    clb__jw j;
    long season;
    clb_policy policy;
    clb_date close;
    char close_s[16], ban_s[16], now[32];
    size_t n_workers, n_returned, n_not, closed[3], pins_released;
} season_close;

/* Without --force, a season with placements still abroad is not closed. */
static int refuse_abroad(season_close *c, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    clb_buf ids = CLB_BUF_INIT;
    size_t k = 0;
    int error;
    if ((error = clb__store_prep(
             c->st, &s,
             "SELECT p.id FROM placements p JOIN rounds r ON r.id = p.round_id"
             " WHERE r.season_id = ? AND p.status = 'departed' ORDER BY p.id",
             err)) < 0)
        return error;
    sqlite3_bind_int64(s, 1, c->season);
    while (sqlite3_step(s) == SQLITE_ROW && k < 20)
        clb__buf_printf(&ids, "%s%lld", k++ ? ", " : "",
                        (long long)sqlite3_column_int64(s, 0));
    sqlite3_finalize(s);
    if (k)
        error = clb__error_set(err, CLB_ESTATE,
                               "cannot close season %ld: placement%s %s%s still abroad; "
                               "record 'placement return' or 'placement no-return' "
                               "first, or close with --force",
                               c->season, k == 1 ? "" : "s", ids.ptr,
                               k == 1 ? " is" : " are");
    clb_buf_dispose(&ids);
    return error;
}

/*
 * Roll one worker's history forward with the season's outcome (the one rule,
 * rules/history.c), write it and audit it as `worker.history` (before/after).
 * hist reads the worker's HISTORY_COLS; upd writes them.
 */
static int roll_worker(season_close *c, sqlite3_stmt *hist, sqlite3_stmt *upd,
                       const char *worker, const clb__season_outcome *o, clb_error *err)
{
    clb_buf before = CLB_BUF_INIT, after = CLB_BUF_INIT;
    clb__history h;
    bool found = false;
    int error = 0, rc = 0;

    clb__store_bind_text(hist, 1, worker);
    if (sqlite3_step(hist) == SQLITE_ROW) {
        found = true;
        rc = clb__store_history_json(&before, hist, 0);
        clb__store_history_read(&h, hist, 0);
        clb__history_roll(&h, o, c->close, c->policy.no_return_ban_days);
    }
    sqlite3_reset(hist);
    if (found) {
        clb__store_bind_text(upd, 1, worker);
        clb__store_bind_history(upd, 2, &h);
        clb__store_bind_text(upd, 8, c->now);
        if ((error = clb__store_step_done(c->st, upd, err)) < 0)
            goto done;
    }
    clb__store_bind_text(hist, 1, worker);
    if (sqlite3_step(hist) == SQLITE_ROW && rc == 0)
        rc = clb__store_history_json(&after, hist, 0);
    sqlite3_reset(hist);
    if (rc < 0) {
        error = clb__oom(err);
        goto done;
    }
    {
        char obj[160];
        snprintf(obj, sizeof(obj), "worker %s", worker);
        error = clb__store_audit(c->st, "worker.history", obj, before.ptr, after.ptr,
                                 NULL, err);
    }
    if (c->json) {
        clb__jw_open(&c->j, NULL, '{');
        clb__jw_str(&c->j, "worker", worker);
        clb__jw_rawval(&c->j, "before", before.ptr);
        clb__jw_rawval(&c->j, "after", after.ptr);
        clb__jw_close(&c->j, '}');
    }
    c->n_workers++;
    c->n_returned += o->returned;
    c->n_not += o->not_returned;
done:
    clb_buf_dispose(&before);
    clb_buf_dispose(&after);
    return error;
}

/* Every worker with a departed placement this season: their placements (latest
 * first) make the season's outcome, which rolls their history forward. */
static int roll_histories(season_close *c, clb_error *err)
{
    sqlite3_stmt *rows = NULL, *hist = NULL, *upd = NULL;
    char worker[128] = "", employer[128] = "";
    clb__season_outcome o = {true, false, employer, CLB_DATE_NONE};
    bool have = false;
    int error, step;

    if ((error = clb__store_prep(
             c->st, &rows,
             "SELECT p.worker_id, p.status, p.employer_id, p.end_date, p.returned_on"
             " FROM placements p JOIN rounds r ON r.id = p.round_id"
             " WHERE r.season_id = ?"
             " AND p.status IN ('departed', 'returned', 'not_returned')"
             " ORDER BY p.worker_id, p.end_date DESC, p.start_date DESC, p.id DESC",
             err)) < 0 ||
        (error = clb__store_prep(c->st, &hist,
                                 "SELECT " HISTORY_COLS " FROM workers WHERE id = ?",
                                 err)) < 0 ||
        (error = clb__store_prep(
             c->st, &upd,
             "UPDATE workers SET campaigns = ?2, returned = ?3, last_employer = ?4,"
             " last_return = ?5, days_abroad = ?6, banned_until = ?7, updated_at = ?8"
             " WHERE id = ?1",
             err)) < 0)
        goto done;
    sqlite3_bind_int64(rows, 1, c->season);
    do {
        bool row = (step = sqlite3_step(rows)) == SQLITE_ROW;
        const char *status;
        if (have && (!row || strcmp(worker, clb__store_col_text0(rows, 0)) != 0)) {
            if ((error = roll_worker(c, hist, upd, worker, &o, err)) < 0)
                break;
            have = false;
        }
        if (!row)
            break;
        if (!have) {
            /* the latest placement of a new worker: its return, by default its end */
            const char *ret = clb__store_col_text(rows, 4);
            snprintf(worker, sizeof(worker), "%s", clb__store_col_text0(rows, 0));
            snprintf(employer, sizeof(employer), "%s", clb__store_col_text0(rows, 2));
            if (!clb__date_parse(&o.return_date,
                                 ret ? ret : clb__store_col_text0(rows, 3)))
                o.return_date = CLB_DATE_NONE;
            o.returned = true;
            o.not_returned = false;
            have = true;
        }
        status = clb__store_col_text0(rows, 1);
        if (strcmp(status, "returned") != 0)
            o.returned = false;
        if (strcmp(status, "not_returned") == 0)
            o.not_returned = true;
    } while (1);
    if (error == 0 && step != SQLITE_DONE && step != SQLITE_ROW)
        error = clb__store_db_error(c->st, err, "read placements");
done:
    sqlite3_finalize(rows);
    sqlite3_finalize(hist);
    sqlite3_finalize(upd);
    return error;
}

/* The season's offers, sessions and programmes end with it; the pins they make spent
 * or ineligible are released. */
static int close_records(season_close *c, clb_error *err)
{
    static const char *const sql[3] = {
        "UPDATE vacancies SET status = 'closed', updated_at = ?2"
        " WHERE status = 'open' AND start_date <= ?1",
        "UPDATE sessions SET status = 'closed', updated_at = ?2"
        " WHERE status = 'open' AND start_date <= ?1",
        "UPDATE programmes SET status = 'closed', updated_at = ?2"
        " WHERE status = 'open' AND start_date <= ?1"};
    size_t stale = 0;
    int error = 0;
    for (int k = 0; k < 3 && error == 0; k++) {
        sqlite3_stmt *s = NULL;
        if ((error = clb__store_prep(c->st, &s, sql[k], err)) < 0)
            return error;
        clb__store_bind_text(s, 1, c->close_s);
        clb__store_bind_text(s, 2, c->now);
        error = clb__store_step_done(c->st, s, err);
        c->closed[k] = (size_t)sqlite3_changes(c->st->db);
        sqlite3_finalize(s);
    }
    /* pins of the closed vacancies are spent: released (audited), so that a
     * reopened vacancy never brings back a pin the new history makes stale */
    if (error < 0 ||
        (error = clb__store_release_closed_pins(c->st, &c->pins_released, err)) < 0)
        return error;
    /* pins on vacancies still open that the new histories make ineligible (a
     * pinned worker banned after a no-return): released, or every round fails */
    if ((error = clb__store_release_ineligible_pins(c->st, "season close", &stale, err)) <
        0)
        return error;
    c->pins_released += stale;
    return 0;
}

/* The season is closed, the next one opened (named `name`, or "season N"), and the
 * close audited. */
static int open_next(season_close *c, const char *name, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    clb_buf detail = CLB_BUF_INIT;
    char def[48], obj[32];
    int error;

    if ((error = clb__store_prep(c->st, &s,
                                 "UPDATE seasons SET closed_at = ?2, close_date = ?3,"
                                 " closed_by = ?4 WHERE id = ?1",
                                 err)) < 0)
        return error;
    sqlite3_bind_int64(s, 1, c->season);
    clb__store_bind_text(s, 2, c->now);
    clb__store_bind_text(s, 3, c->close_s);
    clb__store_bind_text(s, 4, c->st->actor);
    error = clb__store_step_done(c->st, s, err);
    sqlite3_finalize(s);
    s = NULL;
    if (error < 0 ||
        (error = clb__store_prep(
             c->st, &s, "INSERT INTO seasons(id, name, opened_at) VALUES (?, ?, ?)",
             err)) < 0)
        return error;
    snprintf(def, sizeof(def), "season %ld", c->season + 1);
    sqlite3_bind_int64(s, 1, c->season + 1);
    clb__store_bind_text(s, 2, name && *name ? name : def);
    clb__store_bind_text(s, 3, c->now);
    error = clb__store_step_done(c->st, s, err);
    sqlite3_finalize(s);
    if (error < 0)
        return error;
    snprintf(obj, sizeof(obj), "season %ld", c->season);
    if (clb__buf_printf(&detail,
                        "{\"close_date\":\"%s\",\"workers\":%zu,\"returned\":%zu,"
                        "\"not_returned\":%zu,\"vacancies_closed\":%zu,"
                        "\"sessions_closed\":%zu,\"programmes_closed\":%zu}",
                        c->close_s, c->n_workers, c->n_returned, c->n_not, c->closed[0],
                        c->closed[1], c->closed[2]) < 0)
        error = clb__oom(err);
    else
        error = clb__store_audit(c->st, "season.close", obj, "open", "closed", detail.ptr,
                                 err);
    clb_buf_dispose(&detail);
    return error;
}

/* What the close did, as JSON (the workers' array is open) or a text summary. */
static int close_report(clb_buf *out, season_close *c, clb_error *err)
{
    size_t n = c->n_workers;
    int rc = 0;
    if (c->json) {
        clb__jw_close(&c->j, ']');
        clb__jw_int(&c->j, "workers_rolled", (long long)n);
        clb__jw_int(&c->j, "returned", (long long)c->n_returned);
        clb__jw_int(&c->j, "not_returned", (long long)c->n_not);
        clb__jw_str(&c->j, "banned_until", c->n_not ? c->ban_s : NULL);
        clb__jw_int(&c->j, "vacancies_closed", (long long)c->closed[0]);
        clb__jw_int(&c->j, "sessions_closed", (long long)c->closed[1]);
        clb__jw_int(&c->j, "programmes_closed", (long long)c->closed[2]);
        clb__jw_int(&c->j, "pins_released", (long long)c->pins_released);
        clb__jw_int(&c->j, "next_season", c->season + 1);
        clb__jw_close(&c->j, '}');
    } else if (out) {
        rc = clb__buf_printf(
            out,
            "season %ld closed on %s: %zu worker%s rolled forward (%zu "
            "returned, %zu not returned%s%s)\n"
            "closed %zu vacancies, %zu sessions, %zu programmes; released "
            "%zu pin%s (closed vacancies, pairs no longer eligible); season "
            "%ld is open\n",
            c->season, c->close_s, n, n == 1 ? "" : "s", c->n_returned, c->n_not,
            c->n_not ? ", banned until " : "", c->n_not ? c->ban_s : "", c->closed[0],
            c->closed[1], c->closed[2], c->pins_released,
            c->pins_released == 1 ? "" : "s", c->season + 1);
    }
    return rc < 0 || c->j.rc < 0 ? clb__oom(err) : 0;
}

int clb_store_season_close(clb_buf *out, clb_store *st, const char *date,
                           const char *name, unsigned flags, clb_error *err)
{
    season_close c;
    int error;

    memset(&c, 0, sizeof(c));
    c.st = st;
    c.json = flags & CLB_STORE_JSON;
    c.j = (clb__jw)CLB__JW_INIT(out);
    if (!date) {
        today(c.close_s);
        date = c.close_s;
    }
    if (!clb__date_parse(&c.close, date))
        return clb__error_set(err, CLB_EINVAL, "'%s' is not a date (YYYY-MM-DD)", date);
    clb__date_format(c.close_s, c.close);
    clb__now_iso(c.now);
    if ((error = clb__store_tx_begin(st, err)) < 0)
        return error;
    if ((error = clb__store_open_season(st, &c.season, err)) < 0 ||
        (error = clb__store_load_policy(&c.policy, st, err)) < 0)
        goto done;
    clb__date_format(c.ban_s, c.close + c.policy.no_return_ban_days);
    if (!(flags & CLB_SEASON_FORCE) && (error = refuse_abroad(&c, err)) < 0)
        goto done;
    if (c.json) {
        clb__jw_open(&c.j, NULL, '{');
        clb__jw_int(&c.j, "season", c.season);
        clb__jw_str(&c.j, "close_date", c.close_s);
        clb__jw_open(&c.j, "workers", '[');
    }
    if ((error = roll_histories(&c, err)) < 0 || (error = close_records(&c, err)) < 0 ||
        (error = open_next(&c, name, err)) < 0)
        goto done;
    error = close_report(out, &c, err);
done:
    return clb__store_tx_end(st, error, err);
}

static void season_json(clb__jw *j, sqlite3_stmt *s)
{
    clb__jw_int(j, "season", sqlite3_column_int64(s, 0));
    clb__jw_str(j, "name", clb__store_col_text(s, 1));
    clb__jw_str(j, "opened_at", clb__store_col_text(s, 2));
    clb__jw_str(j, "closed_at", clb__store_col_text(s, 3));
    clb__jw_str(j, "close_date", clb__store_col_text(s, 4));
    clb__jw_int(j, "rounds", sqlite3_column_int64(s, 5));
}

static int season_text(clb_buf *out, sqlite3_stmt *s, long shown)
{
    (void)shown;
    return clb__buf_printf(
        out, "%6lld  %-16s  %-20s  %-10s  %lld\n", (long long)sqlite3_column_int64(s, 0),
        clb__store_col_text0(s, 1), clb__store_col_text0(s, 2),
        clb__store_col_text(s, 4) ? clb__store_col_text(s, 4) : "(open)",
        (long long)sqlite3_column_int64(s, 5));
}

int clb_store_season_list(clb_buf *out, clb_store *st, unsigned flags, clb_error *err)
{
    /* the titles as season_text aligns them */
    static const clb__store_rows rows = {
        NULL, "season  name              opened                closed on   rounds\n",
        NULL, NULL, season_json, season_text, NULL, NULL};
    return clb__store_show_list(out, st,
                                "SELECT s.id, s.name, s.opened_at, s.closed_at,"
                                " s.close_date, (SELECT count(*) FROM rounds r"
                                " WHERE r.season_id = s.id) FROM seasons s ORDER BY s.id",
                                NULL, NULL, &rows, flags, err);
}

/* ---- renewing a season ------------------------------------------------------------ */

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

/* The period the last closed season covers: (previous close date, its close date]. */
static int last_closed_period(char from[16], char to[16], clb_store *st, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error;
    if ((error = clb__store_prep(
             st, &s,
             "SELECT close_date, (SELECT max(close_date) FROM seasons p"
             " WHERE p.id < s.id AND p.close_date IS NOT NULL)"
             " FROM seasons s WHERE close_date IS NOT NULL ORDER BY id DESC LIMIT 1",
             err)) < 0)
        return error;
    if (sqlite3_step(s) == SQLITE_ROW) {
        snprintf(to, 16, "%s", clb__store_col_text0(s, 0));
        if (clb__store_col_text(s, 1))
            snprintf(from, 16, "%s", clb__store_col_text(s, 1));
    } else
        error = clb__error_set(err, CLB_ESTATE, "no season has been closed yet");
    sqlite3_finalize(s);
    return error;
}

/* Append `,\n"table":[docs]` of the records of `table` closed with the season that
 * started in (from, to]. */
static int put_closed(clb_buf *doc, clb_store *st, const char *table, const char *from,
                      const char *to, clb_error *err)
{
    clb_buf q = CLB_BUF_INIT;
    sqlite3_stmt *sel = NULL;
    size_t n = 0;
    int error = 0;
    if (clb__buf_printf(&q,
                        "SELECT doc FROM %s WHERE status = 'closed' AND start_date > ?"
                        " AND start_date <= ? ORDER BY id",
                        table) < 0)
        error = clb__oom(err);
    /* put_array binds one integer: bind the dates here instead */
    else if ((error = clb__store_prep(st, &sel, q.ptr, err)) == 0) {
        clb__store_bind_text(sel, 1, from);
        clb__store_bind_text(sel, 2, to);
        if (clb__buf_printf(doc, ",\n\"%s\":[", table) < 0)
            error = clb__oom(err);
        while (error == 0 && sqlite3_step(sel) == SQLITE_ROW)
            if (clb__buf_printf(doc, "%s%s", n++ ? "," : "",
                                clb__store_col_text0(sel, 0)) < 0)
                error = clb__oom(err);
        if (error == 0 && clb__buf_puts(doc, "]") < 0)
            error = clb__oom(err);
    }
    sqlite3_finalize(sel);
    clb_buf_dispose(&q);
    return error;
}

/* The records a renewal starts from, as a scenario document: the policy, the active
 * workers, every employer and quota, and the vacancies, sessions and programmes the
 * last closed season (from, to] closed. */
static int renew_doc(clb_buf *doc, clb_store *st, const char *from, const char *to,
                     clb_error *err)
{
    static const char *const tables[3] = {"vacancies", "sessions", "programmes"};
    clb_buf policy = CLB_BUF_INIT;
    int error;
    if ((error = clb__store_policy_doc(&policy, st, err)) < 0)
        return error;
    if (clb__buf_puts(doc, "{\"format\":\"circulab-scenario/1\"") < 0 ||
        (policy.size && clb__buf_printf(doc, ",\"policy\":%s", policy.ptr) < 0))
        error = clb__oom(err);
    clb_buf_dispose(&policy);
    if (error < 0 ||
        (error =
             clb__store_put_array(doc, st, "workers",
                                  "SELECT " WORKER_COLS " FROM workers WHERE active = 1"
                                  " ORDER BY id",
                                  0, true, false, NULL, err)) < 0 ||
        (error = clb__store_put_array(doc, st, "employers",
                                      "SELECT doc FROM employers ORDER BY id", 0, false,
                                      false, NULL, err)) < 0 ||
        (error =
             clb__store_put_array(doc, st, "quotas", "SELECT doc FROM quotas ORDER BY id",
                                  0, false, false, NULL, err)) < 0)
        return error;
    for (int k = 0; k < 3 && error == 0; k++)
        error = put_closed(doc, st, tables[k], from, to, err);
    if (error == 0 && clb__buf_puts(doc, "}") < 0)
        error = clb__oom(err);
    return error;
}

/* A dated record moved on by `years` (the year shift of rules/history.c), renamed
 * after its new start year. */
static int shift_record(clb_arena *a, const char **id, clb_date *start, clb_date *end,
                        int years)
{
    clb_date ns = clb__history_shift_years(*start, years);
    if (!(*id = renamed(a, *id, *start, ns)))
        return CLB_ENOMEM;
    *start = ns;
    *end = clb__history_shift_years(*end, years);
    return 0;
}

/* Every date of the renewed records moved on by `years`; quotas keep their ids. */
static int shift_scenario(clb_scenario *sc, int years, clb_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < sc->n_workers; i++) {
        clb_worker_rec *w = &sc->workers[i];
        w->avail_from = clb__history_shift_years(w->avail_from, years);
        w->avail_to = clb__history_shift_years(w->avail_to, years);
    }
    for (size_t i = 0; i < sc->n_vacancies && rc == 0; i++) {
        clb_vacancy_rec *v = &sc->vacancies[i];
        rc = shift_record(&sc->arena, &v->id, &v->start, &v->end, years);
    }
    for (size_t i = 0; i < sc->n_sessions && rc == 0; i++) {
        clb_session_rec *k = &sc->sessions[i];
        rc = shift_record(&sc->arena, &k->id, &k->start, &k->end, years);
    }
    for (size_t i = 0; i < sc->n_programmes && rc == 0; i++) {
        clb_programme_rec *r = &sc->programmes[i];
        rc = shift_record(&sc->arena, &r->id, &r->start, &r->end, years);
    }
    /* their phase dates move with the season */
    for (size_t i = 0; i < sc->n_quotas; i++) {
        clb_quota_rec *q = &sc->quotas[i];
        q->start_from = clb__history_shift_years(q->start_from, years);
        q->start_to = clb__history_shift_years(q->start_to, years);
    }
    return rc < 0 ? clb__oom(err) : 0;
}

/* Write the renewed records (counted in stats) through the one record writer. */
static int write_renewed(clb_store *st, const clb_scenario *sc, clb_import_stats *stats,
                         clb_error *err)
{
    clb__store_upserts u;
    int error;
    if ((error = clb__store_upserts_init(&u, st, err)) < 0)
        return error;
    for (size_t i = 0; i < sc->n_quotas && error == 0; i++)
        if (sc->quotas[i].start_from != CLB_DATE_NONE ||
            sc->quotas[i].start_to != CLB_DATE_NONE)
            error = clb__store_write_simple(st, &u, sc, CLB_KIND_QUOTA, i, err);
    /* availability shifted, history as stored (applied as is: no audit row) */
    for (size_t i = 0; i < sc->n_workers && error == 0; i++, stats->workers++)
        error = clb__store_write_worker(st, &u, sc, i, CLB_IMPORT_HISTORY, stats, err);
    for (size_t i = 0; i < sc->n_vacancies && error == 0; i++, stats->vacancies++)
        error = clb__store_write_vacancy(st, &u, sc, i, NULL, err);
    for (size_t i = 0; i < sc->n_sessions && error == 0; i++, stats->sessions++)
        error = clb__store_write_simple(st, &u, sc, CLB_KIND_SESSION, i, err);
    for (size_t i = 0; i < sc->n_programmes && error == 0; i++, stats->programmes++)
        error = clb__store_write_simple(st, &u, sc, CLB_KIND_PROGRAMME, i, err);
    clb__store_upserts_dispose(&u);
    return error;
}

int clb_store_season_renew(clb_buf *out, clb_store *st, int years, unsigned flags,
                           clb_error *err)
{
    clb_buf doc = CLB_BUF_INIT;
    clb_scenario *sc = NULL;
    clb_import_stats stats;
    char from[16] = "0000-00-00", to[16] = "", detail[256];
    int error;

    memset(&stats, 0, sizeof(stats));
    if (years < 1 || years > 100)
        return clb__error_set(err, CLB_EINVAL, "years must be between 1 and 100");
    if ((error = clb__store_tx_begin(st, err)) < 0)
        return error;
    if ((error = last_closed_period(from, to, st, err)) < 0 ||
        (error = renew_doc(&doc, st, from, to, err)) < 0 ||
        (error = clb_scenario_load_buffer(&sc, doc.ptr, doc.size, "database", NULL,
                                          err)) < 0 ||
        (error = shift_scenario(sc, years, err)) < 0 ||
        (error = write_renewed(st, sc, &stats, err)) < 0)
        goto done;
    snprintf(detail, sizeof(detail),
             "{\"years\":%d,\"vacancies\":%zu,\"sessions\":%zu,\"programmes\":%zu,"
             "\"workers\":%zu}",
             years, stats.vacancies, stats.sessions, stats.programmes, stats.workers);
    if ((error =
             clb__store_audit(st, "season.renew", "season", NULL, NULL, detail, err)) < 0)
        goto done;
    /* the renewed records must read back (a suffixed id may pass 64 bytes) */
    if ((error = clb__store_check_valid(st, NULL, err)) < 0)
        goto done;
    if (flags & CLB_STORE_JSON)
        error = clb__buf_printf(out, "%s\n", detail) < 0 ? clb__oom(err) : 0;
    else if (clb__buf_printf(out,
                             "renewed %zu vacancies, %zu sessions and %zu programmes "
                             "%d year%s later; %zu workers' availability shifted\n",
                             stats.vacancies, stats.sessions, stats.programmes, years,
                             years == 1 ? "" : "s", stats.workers) < 0)
        error = clb__oom(err);
done:
    clb_buf_dispose(&doc);
    clb_scenario_free(sc);
    return clb__store_tx_end(st, error, err);
}
