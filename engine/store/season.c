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
#include "scenario/scenario_impl.h"
#include "util/jw.h"
#include "util/alloc.h"

static int oom(clb_error *err)
{
    return clb__error_set(err, CLB_ENOMEM, "out of memory");
}

static void today(char out[16])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

#define HISTORY_COLS                                                                     \
    "campaigns, returned, last_employer, last_return, days_abroad, banned_until"

int clb_store_season_close(clb_buf *out, clb_store *st, const char *date,
                           const char *name, unsigned flags, clb_error *err)
{
    sqlite3_stmt *rows = NULL, *hist = NULL, *upd = NULL, *s = NULL;
    bool json = flags & CLB_STORE_JSON;
    clb__jw j = CLB__JW_INIT(out);
    clb_policy policy;
    clb_date close;
    char close_s[16], ban_s[16], now[32];
    long season = 0;
    size_t n_workers = 0, n_returned = 0, n_not = 0, closed[3] = {0, 0, 0},
           pins_released = 0;
    int error, rc = 0;

    if (!date) {
        today(close_s);
        date = close_s;
    }
    if (!clb__date_parse(&close, date))
        return clb__error_set(err, CLB_EINVAL, "'%s' is not a date (YYYY-MM-DD)", date);
    clb__date_format(close_s, close);
    clb__store_now_iso(now);
    if ((error = clb__store_tx_begin(st, err)) < 0)
        return error;
    if ((error = clb__store_open_season(st, &season, err)) < 0 ||
        (error = clb__store_load_policy(&policy, st, err)) < 0)
        goto done;
    clb__date_format(ban_s, close + policy.no_return_ban_days);
    if (!(flags & CLB_SEASON_FORCE)) {
        clb_buf ids = CLB_BUF_INIT;
        size_t k = 0;
        if ((error = clb__store_prep(
                 st, &s,
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
            error = clb__error_set(
                err, CLB_ESTATE,
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
    if ((error = clb__store_prep(
             st, &rows,
             "SELECT p.worker_id, p.status, p.employer_id, p.end_date, p.returned_on"
             " FROM placements p JOIN rounds r ON r.id = p.round_id"
             " WHERE r.season_id = ?"
             " AND p.status IN ('departed', 'returned', 'not_returned')"
             " ORDER BY p.worker_id, p.end_date DESC, p.start_date DESC, p.id DESC",
             err)) < 0 ||
        (error = clb__store_prep(
             st, &hist, "SELECT " HISTORY_COLS " FROM workers WHERE id = ?", err)) < 0 ||
        (error = clb__store_prep(
             st, &upd,
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
            if (have && (!row || strcmp(worker, clb__store_col_text0(rows, 0)) != 0)) {
                /* roll this worker's history forward */
                clb_buf before = CLB_BUF_INIT, after = CLB_BUF_INIT;
                clb__store_bind_text(hist, 1, worker);
                if (sqlite3_step(hist) == SQLITE_ROW)
                    rc = clb__store_history_json(&before, hist, 0);
                sqlite3_reset(hist);
                clb__store_bind_text(upd, 1, worker);
                sqlite3_bind_int(upd, 2, all_returned);
                clb__store_bind_text(upd, 3, employer);
                clb__store_bind_text(upd, 4, last_return);
                clb__store_bind_text(upd, 5, any_not ? ban_s : NULL);
                clb__store_bind_text(upd, 6, now);
                if ((error = clb__store_step_done(st, upd, err)) < 0)
                    break;
                clb__store_bind_text(hist, 1, worker);
                if (sqlite3_step(hist) == SQLITE_ROW && rc == 0)
                    rc = clb__store_history_json(&after, hist, 0);
                sqlite3_reset(hist);
                if (rc == 0) {
                    char obj[160];
                    snprintf(obj, sizeof(obj), "worker %s", worker);
                    error = clb__store_audit(st, "worker.history", obj, before.ptr,
                                             after.ptr, NULL, err);
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
                snprintf(worker, sizeof(worker), "%s", clb__store_col_text0(rows, 0));
                snprintf(employer, sizeof(employer), "%s", clb__store_col_text0(rows, 2));
                snprintf(last_return, sizeof(last_return), "%s",
                         clb__store_col_text(rows, 4) ? clb__store_col_text(rows, 4)
                                                      : clb__store_col_text0(rows, 3));
                all_returned = true;
                any_not = false;
                have = true;
            }
            if (strcmp(clb__store_col_text0(rows, 1), "returned") != 0)
                all_returned = false;
            if (strcmp(clb__store_col_text0(rows, 1), "not_returned") == 0)
                any_not = true;
        } while (rc == 0);
        if (error == 0 && step != SQLITE_DONE && step != SQLITE_ROW)
            error = clb__store_db_error(st, err, "read placements");
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
            if ((error = clb__store_prep(st, &s, sql[k], err)) < 0)
                goto done;
            clb__store_bind_text(s, 1, close_s);
            clb__store_bind_text(s, 2, now);
            error = clb__store_step_done(st, s, err);
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
        if ((error =
                 clb__store_release_ineligible_pins(st, "season close", &stale, err)) < 0)
            goto done;
        pins_released += stale;
    }
    if ((error = clb__store_prep(st, &s,
                      "UPDATE seasons SET closed_at = ?2, close_date = ?3, closed_by = ?4"
                      " WHERE id = ?1",
                      err)) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, season);
    clb__store_bind_text(s, 2, now);
    clb__store_bind_text(s, 3, close_s);
    clb__store_bind_text(s, 4, st->actor);
    if ((error = clb__store_step_done(st, s, err)) < 0)
        goto done;
    sqlite3_finalize(s);
    s = NULL;
    if ((error = clb__store_prep(
             st, &s, "INSERT INTO seasons(id, name, opened_at) VALUES (?, ?, ?)", err)) <
        0)
        goto done;
    {
        char def[48];
        snprintf(def, sizeof(def), "season %ld", season + 1);
        sqlite3_bind_int64(s, 1, season + 1);
        clb__store_bind_text(s, 2, name && *name ? name : def);
        clb__store_bind_text(s, 3, now);
    }
    if ((error = clb__store_step_done(st, s, err)) < 0)
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
            error = clb__store_audit(st, "season.close", obj, "open", "closed",
                                     detail.ptr, err);
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
        rc = clb__buf_printf(
            out,
            "season %ld closed on %s: %zu worker%s rolled forward (%zu "
            "returned, %zu not returned%s%s)\n"
            "closed %zu vacancies, %zu sessions, %zu programmes; released "
            "%zu pin%s (closed vacancies, pairs no longer eligible); season "
            "%ld is open\n",
            season, close_s, n_workers, n_workers == 1 ? "" : "s", n_returned, n_not,
            n_not ? ", banned until " : "", n_not ? ban_s : "", closed[0], closed[1],
            closed[2], pins_released, pins_released == 1 ? "" : "s", season + 1);
    }
    if (rc < 0 || j.rc < 0)
        error = oom(err);
done:
    sqlite3_finalize(rows);
    sqlite3_finalize(hist);
    sqlite3_finalize(upd);
    sqlite3_finalize(s);
    return clb__store_tx_end(st, error, err);
}

int clb_store_season_list(clb_buf *out, clb_store *st, unsigned flags, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    bool json = flags & CLB_STORE_JSON;
    clb__jw j = CLB__JW_INIT(out);
    int error, rc = 0;

    if ((error = clb__store_prep(st, &s,
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
            clb__jw_str(&j, "name", clb__store_col_text(s, 1));
            clb__jw_str(&j, "opened_at", clb__store_col_text(s, 2));
            clb__jw_str(&j, "closed_at", clb__store_col_text(s, 3));
            clb__jw_str(&j, "close_date", clb__store_col_text(s, 4));
            clb__jw_int(&j, "rounds", sqlite3_column_int64(s, 5));
            clb__jw_close(&j, '}');
        } else
            rc = clb__buf_printf(out, "%6lld  %-16s  %-20s  %-10s  %lld\n",
                                 (long long)sqlite3_column_int64(s, 0),
                                 clb__store_col_text0(s, 1), clb__store_col_text0(s, 2),
                                 clb__store_col_text(s, 4) ? clb__store_col_text(s, 4)
                                                           : "(open)",
                                 (long long)sqlite3_column_int64(s, 5));
    }
    if (json)
        clb__jw_close(&j, ']');
    sqlite3_finalize(s);
    if (rc < 0)
        return oom(err);
    return clb__jw_finish(&j, err);
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
    if ((error = clb__store_tx_begin(st, err)) < 0)
        return error;
    /* the last closed season covers (previous close date, its close date] */
    if ((error = clb__store_prep(
             st, &s,
             "SELECT close_date, (SELECT max(close_date) FROM seasons p"
             " WHERE p.id < s.id AND p.close_date IS NOT NULL)"
             " FROM seasons s WHERE close_date IS NOT NULL ORDER BY id DESC LIMIT 1",
             err)) < 0)
        goto done;
    if (sqlite3_step(s) != SQLITE_ROW) {
        error = clb__error_set(err, CLB_ESTATE, "no season has been closed yet");
        goto done;
    }
    snprintf(to, sizeof(to), "%s", clb__store_col_text0(s, 0));
    if (clb__store_col_text(s, 1))
        snprintf(from, sizeof(from), "%s", clb__store_col_text(s, 1));
    sqlite3_finalize(s);
    s = NULL;
    {
        int rc = clb__buf_puts(&doc, "{\"format\":\"circulab-scenario/1\"");
        if (rc == 0)
            rc = clb__store_policy_doc(&doc, st, err) < 0 ? -1 : 0;
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
        if ((error = clb__store_put_array(&doc, st, "workers",
                                          "SELECT " WORKER_COLS
                                          " FROM workers WHERE active = 1"
                                          " ORDER BY id",
                                          0, true, false, NULL, err)) < 0 ||
            (error = clb__store_put_array(&doc, st, "employers",
                                          "SELECT doc FROM employers ORDER BY id", 0,
                                          false, false, NULL, err)) < 0 ||
            (error = clb__store_put_array(&doc, st, "quotas",
                                          "SELECT doc FROM quotas ORDER BY id", 0, false,
                                          false, NULL, err)) < 0)
            goto done;
        for (int k = 0; k < 3 && error == 0; k++) {
            sqlite3_stmt *sel = NULL;
            size_t n = 0;
            clb__buf_clear(&q);
            if (clb__buf_printf(
                    &q,
                    "SELECT doc FROM %s WHERE status = 'closed' AND start_date > ?"
                    " AND start_date <= ? ORDER BY id",
                    tables[k]) < 0) {
                error = oom(err);
                break;
            }
            /* put_array binds one integer: bind the dates here instead */
            if ((error = clb__store_prep(st, &sel, q.ptr, err)) < 0)
                break;
            clb__store_bind_text(sel, 1, from);
            clb__store_bind_text(sel, 2, to);
            if (clb__buf_printf(&doc, ",\n\"%s\":[", tables[k]) < 0)
                error = oom(err);
            while (error == 0 && sqlite3_step(sel) == SQLITE_ROW)
                if (clb__buf_printf(&doc, "%s%s", n++ ? "," : "",
                                    clb__store_col_text0(sel, 0)) < 0)
                    error = oom(err);
            if (error == 0 && clb__buf_puts(&doc, "]") < 0)
                error = oom(err);
            sqlite3_finalize(sel);
        }
        clb_buf_dispose(&q);
        if (error < 0 || (error = clb__buf_puts(&doc, "}") < 0 ? oom(err) : 0) < 0)
            goto done;
    }
    if ((error =
             clb_scenario_load_buffer(&sc, doc.ptr, doc.size, "database", NULL, err)) < 0)
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
        clb__store_upserts u;
        if ((error = clb__store_upserts_init(&u, st, err)) < 0)
            goto done;
        for (size_t i = 0; i < sc->n_quotas && error == 0; i++)
            if (sc->quotas[i].start_from != CLB_DATE_NONE ||
                sc->quotas[i].start_to != CLB_DATE_NONE)
                error = clb__store_write_simple(st, &u, sc, CLB_KIND_QUOTA, i, err);
        /* availability shifted, history as stored (applied as is: no audit row) */
        for (size_t i = 0; i < sc->n_workers && error == 0; i++, stats.workers++)
            error =
                clb__store_write_worker(st, &u, sc, i, CLB_IMPORT_HISTORY, &stats, err);
        for (size_t i = 0; i < sc->n_vacancies && error == 0; i++, stats.vacancies++)
            error = clb__store_write_vacancy(st, &u, sc, i, NULL, err);
        for (size_t i = 0; i < sc->n_sessions && error == 0; i++, stats.sessions++)
            error = clb__store_write_simple(st, &u, sc, CLB_KIND_SESSION, i, err);
        for (size_t i = 0; i < sc->n_programmes && error == 0; i++, stats.programmes++)
            error = clb__store_write_simple(st, &u, sc, CLB_KIND_PROGRAMME, i, err);
        clb__store_upserts_dispose(&u);
        if (error < 0)
            goto done;
    }
    {
        char detail[256];
        snprintf(detail, sizeof(detail),
                 "{\"years\":%d,\"vacancies\":%zu,\"sessions\":%zu,\"programmes\":%zu,"
                 "\"workers\":%zu}",
                 years, stats.vacancies, stats.sessions, stats.programmes, stats.workers);
        if ((error = clb__store_audit(st, "season.renew", "season", NULL, NULL, detail,
                                      err)) < 0)
            goto done;
        /* the renewed records must read back (a suffixed id may pass 64 bytes) */
        if ((error = clb__store_check_valid(st, NULL, err)) < 0)
            goto done;
        if (json)
            error = clb__buf_printf(out, "%s\n", detail) < 0 ? oom(err) : 0;
        else
            error =
                clb__buf_printf(out,
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
    return clb__store_tx_end(st, error, err);
}
