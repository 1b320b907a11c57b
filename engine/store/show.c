/*
 * show.c - reading rounds, placements and the audit log back: round show, list and
 * diff, placement list and query, the audit log, as text for people or JSON.
 *
 * Read-only, each in one read snapshot. Every list is the rows of a query shown one
 * way (clb__store_show_rows): a table of how each row reads as JSON members and as a
 * text line, so that a list command is its query and that table. The text forms are
 * the command line's tables; the JSON forms are pretty-printed by the engine's one
 * JSON writer (util/jw.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circulab/desk.h"
#include "store/store_impl.h"
#include "util/jw.h"
#include "util/alloc.h"

/* Column value as JSON: NULL -> null. */
static void jw_col_num(clb__jw *j, const char *key, sqlite3_stmt *s, int c)
{
    if (sqlite3_column_type(s, c) == SQLITE_NULL) {
        clb__jw_key(j, key);
        clb__jw_raw(j, "null");
    } else
        clb__jw_num(j, key, sqlite3_column_double(s, c));
}

/* ---- rows as JSON objects or text lines ------------------------------------------ */

/* Write every row of s (finalized here): JSON objects in an array or text lines.
 * Returns 0 or a buffer error (the writer keeps its own in j->rc). */
int clb__store_show_rows(clb_buf *out, clb__jw *j, bool json, sqlite3_stmt *s,
                         const clb__store_rows *v, long shown)
{
    size_t n = 0;
    int rc = 0;
    if (json)
        clb__jw_open(j, v->key, '[');
    else if (v->header)
        rc = clb__buf_puts(out, v->header);
    while (rc == 0 && j->rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
        if (json) {
            clb__jw_open(j, NULL, '{');
            v->json(j, s);
            clb__jw_close(j, '}');
        } else {
            if (n == 0 && v->first)
                rc = clb__buf_puts(out, v->first);
            if (rc == 0)
                rc = v->text(out, s, shown);
        }
        n++;
    }
    if (json)
        clb__jw_close(j, ']');
    else if (rc == 0 && n == 0 && v->none)
        rc = clb__buf_puts(out, v->none);
    sqlite3_finalize(s);
    return rc;
}

/* A list of its own: the rows of `sql` (bound by `bind`, may be NULL) as a JSON array
 * or text lines; the whole answer of a list command. */
int clb__store_show_list(clb_buf *out, clb_store *st, const char *sql,
                         void (*bind)(sqlite3_stmt *s, const void *payload),
                         const void *payload, const clb__store_rows *v, unsigned flags,
                         clb_error *err)
{
    sqlite3_stmt *s = NULL;
    clb__jw j = CLB__JW_INIT(out);
    int rc, error;
    if ((flags & CLB_STORE_CSV) && !v->csv)
        return clb__error_set(err, CLB_EINVAL, "this list has no CSV form");
    if ((error = clb__store_prep(st, &s, sql, err)) < 0)
        return error;
    if (bind)
        bind(s, payload);
    if (flags & CLB_STORE_CSV) {
        rc = clb__buf_puts(out, v->csv_header);
        while (rc == 0 && sqlite3_step(s) == SQLITE_ROW)
            rc = v->csv(out, s);
        sqlite3_finalize(s);
        return rc < 0 ? clb__oom(err) : 0;
    }
    rc = clb__store_show_rows(out, &j, flags & CLB_STORE_JSON, s, v, 0);
    return rc < 0 ? clb__oom(err) : clb__jw_finish(&j, err);
}

/* ---- rounds ------------------------------------------------------------------------ */

int clb__store_round_exists(clb_store *st, long round, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = clb__store_prep(st, &s, "SELECT 1 FROM rounds WHERE id = ?", err);
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
    int error = clb__store_prep(st, &s, "SELECT coalesce(max(id), 0) FROM rounds", err);
    if (error < 0)
        return error;
    *out = 0;
    if (sqlite3_step(s) == SQLITE_ROW)
        *out = (long)sqlite3_column_int64(s, 0);
    else
        error = clb__store_db_error(st, err, "read");
    sqlite3_finalize(s);
    return error;
}

/* A placement row (PLACEMENT_SELECT) as JSON members. */
static void placement_json(clb__jw *j, sqlite3_stmt *s)
{
    clb__jw_int(j, "id", sqlite3_column_int64(s, 0));
    clb__jw_int(j, "round", sqlite3_column_int64(s, 11));
    clb__jw_str(j, "worker", clb__store_col_text(s, 1));
    clb__jw_str(j, "vacancy", clb__store_col_text(s, 2));
    clb__jw_str(j, "employer", clb__store_col_text(s, 3));
    clb__jw_str(j, "site", clb__store_col_text(s, 4));
    clb__jw_str(j, "start", clb__store_col_text(s, 5));
    clb__jw_str(j, "end", clb__store_col_text(s, 6));
    clb__jw_num(j, "value", sqlite3_column_double(s, 7));
    clb__jw_str(j, "status", clb__store_col_text(s, 8));
    if (clb__store_col_text(s, 9))
        clb__jw_str(j, "departed_on", clb__store_col_text(s, 9));
    if (clb__store_col_text(s, 10))
        clb__jw_str(j, "returned_on", clb__store_col_text(s, 10));
}

int clb__store_placement_csv(clb_buf *out, sqlite3_stmt *s)
{
    char num[40];
    int rc = 0;
    for (int k = 0; k < 12 && rc == 0; k++) {
        /* placement, round, worker .. site, value, status .. returned_on */
        static const int COL[12] = {0, 11, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        const char *v;
        int c = COL[k];
        if (c == 0 || c == 11) {
            snprintf(num, sizeof(num), "%lld", (long long)sqlite3_column_int64(s, c));
            v = num;
        } else if (c == 7) {
            snprintf(num, sizeof(num), "%.15g", sqlite3_column_double(s, c));
            v = num;
        } else
            v = clb__store_col_text(s, c);
        if (k)
            rc = clb__buf_puts(out, ",");
        if (rc == 0)
            rc = clb__buf_put_csv_cell(out, v);
    }
    return rc == 0 ? clb__buf_puts(out, "\n") : rc;
}

/* One line; `shown` is the round being listed (0: none), so that a placement kept
 * from an earlier round says where it was proposed. */
static int placement_text(clb_buf *out, sqlite3_stmt *s, long shown)
{
    clb_buf state = CLB_BUF_INIT;
    long long from = (long long)sqlite3_column_int64(s, 11);
    int rc;
    if (shown > 0 && from != shown)
        rc = clb__buf_printf(&state, "%s (from round %lld)", clb__store_col_text0(s, 8),
                             from);
    else
        rc = clb__buf_puts(&state, clb__store_col_text0(s, 8));
    if (rc == 0)
        rc = clb__buf_printf(out, "  %6lld  %-12s %-12s %-10s %s..%s  %9.1f  %s\n",
                             (long long)sqlite3_column_int64(s, 0),
                             clb__store_col_text0(s, 1), clb__store_col_text0(s, 2),
                             clb__store_col_text0(s, 3), clb__store_col_text0(s, 5),
                             clb__store_col_text0(s, 6), sqlite3_column_double(s, 7),
                             state.ptr);
    clb_buf_dispose(&state);
    return rc;
}

/* The placements' column titles, as placement_text aligns them. */
#define PLACEMENT_TITLES                                                              \
    "      id  worker       vacancy      employer   period                      value" \
    "  state\n"

static void fill_json(clb__jw *j, sqlite3_stmt *s)
{
    clb__jw_str(j, "id", clb__store_col_text(s, 0));
    clb__jw_int(j, "headcount", sqlite3_column_int(s, 1));
    clb__jw_int(j, "filled", sqlite3_column_int(s, 2));
}

static int fill_text(clb_buf *out, sqlite3_stmt *s, long shown)
{
    (void)shown;
    return clb__buf_printf(out, "  %-12s %d of %d filled\n", clb__store_col_text0(s, 0),
                           sqlite3_column_int(s, 2), sqlite3_column_int(s, 1));
}

static void training_json(clb__jw *j, sqlite3_stmt *s)
{
    clb__jw_str(j, "worker", clb__store_col_text(s, 0));
    clb__jw_str(j, "session", clb__store_col_text(s, 1));
    clb__jw_str(j, "course", clb__store_col_text(s, 2));
}

static int training_text(clb_buf *out, sqlite3_stmt *s, long shown)
{
    (void)shown;
    return clb__buf_printf(out, "  %s attends %s (%s)\n", clb__store_col_text0(s, 0),
                           clb__store_col_text0(s, 1), clb__store_col_text0(s, 2));
}

static void reintegration_json(clb__jw *j, sqlite3_stmt *s)
{
    clb__jw_str(j, "worker", clb__store_col_text(s, 0));
    clb__jw_str(j, "programme", clb__store_col_text(s, 1));
}

static int reintegration_text(clb_buf *out, sqlite3_stmt *s, long shown)
{
    (void)shown;
    return clb__buf_printf(out, "  %s enrolled in %s\n", clb__store_col_text0(s, 0),
                           clb__store_col_text0(s, 1));
}

/* The lists of a round, each a query on the round's number (?1) and how its rows are
 * shown. */
static const struct round_list {
    const char *sql;
    clb__store_rows rows;
} round_lists[] = {
    {PLACEMENT_SELECT " WHERE" IN_ROUND("?1") " ORDER BY p.vacancy_id, p.worker_id",
     {"placements", "\nplacements:\n" PLACEMENT_TITLES, NULL, "  (none)\n",
      placement_json, placement_text, NULL, NULL}},
    {"SELECT vacancy_id, headcount, filled FROM round_vacancies"
     " WHERE round_id = ?1 ORDER BY vacancy_id",
     {"vacancies", "\nvacancies:\n", NULL, NULL, fill_json, fill_text, NULL, NULL}},
    {"SELECT worker_id, session_id, course FROM training"
     " WHERE round_id = ?1 ORDER BY worker_id, session_id",
     {"training", NULL, "\ntraining:\n", NULL, training_json, training_text, NULL, NULL}},
    {"SELECT worker_id, programme_id FROM reintegration"
     " WHERE round_id = ?1 ORDER BY worker_id",
     {"reintegration", NULL, "\nreintegration:\n", NULL, reintegration_json,
      reintegration_text, NULL, NULL}},
};

/* The round's own row: who ran it, when, its status and figures. */
static int round_head(clb_buf *out, clb__jw *j, bool json, clb_store *st, long round,
                      clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0, error = clb__store_prep(
                    st, &s,
                    "SELECT id, season_id, name, created_at, created_by, fingerprint,"
                    " status, objective, bound, gap, seconds_solve, seconds_total,"
                    " n_workers, n_vacancies, n_pairs, conflicts, time_limit"
                    " FROM rounds WHERE id = ?",
                    err);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, round);
    if (sqlite3_step(s) != SQLITE_ROW)
        error = clb__store_db_error(st, err, "read round");
    else if (json) {
        clb__jw_open(j, NULL, '{');
        clb__jw_int(j, "round", sqlite3_column_int64(s, 0));
        clb__jw_int(j, "season", sqlite3_column_int64(s, 1));
        clb__jw_str(j, "name", clb__store_col_text(s, 2));
        clb__jw_str(j, "created_at", clb__store_col_text(s, 3));
        clb__jw_str(j, "by", clb__store_col_text(s, 4));
        clb__jw_str(j, "fingerprint", clb__store_col_text(s, 5));
        clb__jw_str(j, "status", clb__store_col_text(s, 6));
        clb__jw_num(j, "objective", sqlite3_column_double(s, 7));
        jw_col_num(j, "bound", s, 8);
        jw_col_num(j, "gap", s, 9);
        jw_col_num(j, "time_limit", s, 16);
        clb__jw_num(j, "seconds_solve", sqlite3_column_double(s, 10));
        clb__jw_num(j, "seconds_total", sqlite3_column_double(s, 11));
        clb__jw_int(j, "workers", sqlite3_column_int64(s, 12));
        clb__jw_int(j, "vacancies", sqlite3_column_int64(s, 13));
        clb__jw_int(j, "eligible_pairs", sqlite3_column_int64(s, 14));
        clb__jw_rawval(j, "conflicts", clb__store_col_text(s, 15));
    } else {
        rc = clb__buf_printf(
            out, "round %lld%s%s%s, season %lld, %s by %s\n",
            (long long)sqlite3_column_int64(s, 0), clb__store_col_text(s, 2) ? " \"" : "",
            clb__store_col_text0(s, 2), clb__store_col_text(s, 2) ? "\"" : "",
            (long long)sqlite3_column_int64(s, 1), clb__store_col_text0(s, 3),
            clb__store_col_text0(s, 4));
        if (rc == 0)
            rc = clb__buf_printf(out,
                                 "status %s, objective %.10g, bound %.10g, gap %.4g%%, "
                                 "solved in %.2f s\n"
                                 "inputs %s: %lld workers, %lld vacancies, %lld eligible "
                                 "pairs\n",
                                 clb__store_col_text0(s, 6), sqlite3_column_double(s, 7),
                                 sqlite3_column_double(s, 8),
                                 sqlite3_column_double(s, 9) * 100.0,
                                 sqlite3_column_double(s, 10), clb__store_col_text0(s, 5),
                                 (long long)sqlite3_column_int64(s, 12),
                                 (long long)sqlite3_column_int64(s, 13),
                                 (long long)sqlite3_column_int64(s, 14));
        if (rc == 0 && strcmp(clb__store_col_text0(s, 15), "[]") != 0)
            rc = clb__buf_printf(out, "conflicts: %s\n", clb__store_col_text0(s, 15));
    }
    sqlite3_finalize(s);
    return error == 0 && rc < 0 ? clb__oom(err) : error;
}

/* One line of totals instead of the lists (text, after `round run`). */
static int round_totals(clb_buf *out, clb_store *st, long round, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0, error = clb__store_prep(
                    st, &s,
                    "SELECT (SELECT count(*) FROM round_placements WHERE round_id = ?1),"
                    " (SELECT count(*) FROM round_placements k JOIN placements p"
                    "   ON p.id = k.placement_id WHERE k.round_id = ?1"
                    "   AND p.round_id <> ?1),"
                    " (SELECT coalesce(sum(filled), 0) FROM round_vacancies"
                    "   WHERE round_id = ?1),"
                    " (SELECT coalesce(sum(headcount), 0) FROM round_vacancies"
                    "   WHERE round_id = ?1)",
                    err);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, round);
    if (sqlite3_step(s) == SQLITE_ROW)
        rc = clb__buf_printf(out,
                             "%lld placements (%lld kept from earlier rounds), %lld of "
                             "%lld places filled; 'circulab round show %ld' lists them\n",
                             (long long)sqlite3_column_int64(s, 0),
                             (long long)sqlite3_column_int64(s, 1),
                             (long long)sqlite3_column_int64(s, 2),
                             (long long)sqlite3_column_int64(s, 3), round);
    sqlite3_finalize(s);
    return rc < 0 ? clb__oom(err) : 0;
}

/* The reserve lists: per vacancy, its workers in rank order. */
static int round_reserve(clb_buf *out, clb__jw *j, bool json, clb_store *st, long round,
                         clb_error *err)
{
    sqlite3_stmt *s = NULL;
    char last[128] = "";
    bool any = false;
    int rc = 0, error = clb__store_prep(st, &s,
                                        "SELECT vacancy_id, worker_id FROM reserve"
                                        " WHERE round_id = ? ORDER BY vacancy_id, rank",
                                        err);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, round);
    if (json)
        clb__jw_open(j, "reserve", '[');
    while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
        const char *v = clb__store_col_text0(s, 0);
        bool same = strcmp(last, v) == 0;
        if (json) {
            if (!same) {
                if (any) {
                    clb__jw_close(j, ']');
                    clb__jw_close(j, '}');
                }
                clb__jw_open(j, NULL, '{');
                clb__jw_str(j, "vacancy", v);
                clb__jw_open(j, "workers", '[');
            }
            clb__jw_str(j, NULL, clb__store_col_text(s, 1));
        } else if (!same)
            rc = clb__buf_printf(out, "%s  %s: %s", any ? "\n" : "\nreserve:\n", v,
                                 clb__store_col_text0(s, 1));
        else
            rc = clb__buf_printf(out, ", %s", clb__store_col_text0(s, 1));
        any = true;
        snprintf(last, sizeof(last), "%s", v);
    }
    if (json && any) {
        clb__jw_close(j, ']');
        clb__jw_close(j, '}');
    }
    if (json)
        clb__jw_close(j, ']');
    else if (any && rc == 0)
        rc = clb__buf_puts(out, "\n");
    sqlite3_finalize(s);
    return rc < 0 ? clb__oom(err) : 0;
}

int clb__store_round_show(clb_buf *out, clb_store *st, long round, unsigned flags,
                          bool brief, clb_error *err)
{
    bool json = flags & CLB_STORE_JSON;
    clb__jw j = CLB__JW_INIT(out);
    int error, rc = 0;

    if ((error = clb__store_round_exists(st, round, err)) < 0 ||
        (error = round_head(out, &j, json, st, round, err)) < 0)
        return error;
    if (brief && !json)
        return round_totals(out, st, round, err);
    for (size_t k = 0; k < sizeof(round_lists) / sizeof(round_lists[0]) && rc == 0; k++) {
        sqlite3_stmt *s = NULL;
        if ((error = clb__store_prep(st, &s, round_lists[k].sql, err)) < 0)
            return error;
        sqlite3_bind_int64(s, 1, round);
        rc = clb__store_show_rows(out, &j, json, s, &round_lists[k].rows, round);
    }
    if (rc == 0 && (error = round_reserve(out, &j, json, st, round, err)) < 0)
        return error;
    if (json)
        clb__jw_close(&j, '}');
    return rc < 0 ? clb__oom(err) : clb__jw_finish(&j, err);
}

int clb_store_round_show(clb_buf *out, clb_store *st, long round, unsigned flags,
                         clb_error *err)
{
    int error;
    if ((error = clb__store_read_begin(st, err)) < 0)
        return error;
    if (round <= 0 && (error = clb_store_round_latest(&round, st, err)) == 0 &&
        round == 0)
        error = clb__error_set(err, CLB_ENOTFOUND, "there are no rounds yet");
    if (error == 0)
        error = clb__store_round_show(out, st, round, flags, false, err);
    return clb__store_tx_end(st, error, err);
}

static void round_row_json(clb__jw *j, sqlite3_stmt *s)
{
    clb__jw_int(j, "round", sqlite3_column_int64(s, 0));
    clb__jw_int(j, "season", sqlite3_column_int64(s, 1));
    clb__jw_str(j, "name", clb__store_col_text(s, 2));
    clb__jw_str(j, "created_at", clb__store_col_text(s, 3));
    clb__jw_str(j, "by", clb__store_col_text(s, 4));
    clb__jw_str(j, "status", clb__store_col_text(s, 5));
    clb__jw_num(j, "objective", sqlite3_column_double(s, 6));
    clb__jw_int(j, "placements", sqlite3_column_int64(s, 7));
    clb__jw_int(j, "filled", sqlite3_column_int64(s, 8));
    clb__jw_int(j, "places", sqlite3_column_int64(s, 9));
    clb__jw_str(j, "fingerprint", clb__store_col_text(s, 10));
}

static int round_row_text(clb_buf *out, sqlite3_stmt *s, long shown)
{
    char filled[48];
    (void)shown;
    snprintf(filled, sizeof(filled), "%lld/%lld", (long long)sqlite3_column_int64(s, 8),
             (long long)sqlite3_column_int64(s, 9));
    return clb__buf_printf(out, "%5lld  %6lld  %-20s  %-10s  %10lld  %14s  %s\n",
                           (long long)sqlite3_column_int64(s, 0),
                           (long long)sqlite3_column_int64(s, 1),
                           clb__store_col_text0(s, 3), clb__store_col_text0(s, 5),
                           (long long)sqlite3_column_int64(s, 7), filled,
                           clb__store_col_text0(s, 2));
}

int clb_store_round_list(clb_buf *out, clb_store *st, unsigned flags, clb_error *err)
{
    static const clb__store_rows rows = {
        NULL,
        "round  season  created               status      placements          filled  "
        "name\n",
        NULL, "(no rounds yet: run 'circulab round run')\n", round_row_json,
        round_row_text, NULL, NULL};
    return clb__store_show_list(
        out, st,
        "SELECT r.id, r.season_id, r.name, r.created_at, r.created_by,"
        " r.status, r.objective,"
        " (SELECT count(*) FROM round_placements k WHERE k.round_id = r.id),"
        " (SELECT coalesce(sum(filled), 0) FROM round_vacancies v"
        "   WHERE v.round_id = r.id),"
        " (SELECT coalesce(sum(headcount), 0) FROM round_vacancies v"
        "   WHERE v.round_id = r.id), r.fingerprint"
        " FROM rounds r ORDER BY r.id",
        NULL, NULL, &rows, flags, err);
}

/* ---- round diff ----------------------------------------------------------------- */

typedef struct wv {
    char *worker, *vacancy;
} wv;

static int load_pairs(wv **out, size_t *n, clb_store *st, long round, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    size_t cap = 0;
    int error = clb__store_prep(st, &s,
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
                error = clb__oom(err);
                break;
            }
            *out = p;
        }
        (*out)[*n].worker = clb__strdup(clb__store_col_text0(s, 0));
        (*out)[*n].vacancy = clb__strdup(clb__store_col_text0(s, 1));
        (*n)++;
        if (!(*out)[*n - 1].worker || !(*out)[*n - 1].vacancy) {
            error = clb__oom(err);
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

/* A vacancy's fill in two rounds (NULL where it is not in one). */
static void fill_diff_json(clb__jw *j, sqlite3_stmt *s)
{
    clb__jw_str(j, "id", clb__store_col_text(s, 0));
    clb__jw_int(j, "headcount", sqlite3_column_int(s, 3));
    if (sqlite3_column_type(s, 1) != SQLITE_NULL)
        clb__jw_int(j, "filled_from", sqlite3_column_int(s, 1));
    else
        clb__jw_rawval(j, "filled_from", NULL);
    if (sqlite3_column_type(s, 2) != SQLITE_NULL)
        clb__jw_int(j, "filled_to", sqlite3_column_int(s, 2));
    else
        clb__jw_rawval(j, "filled_to", NULL);
}

/* The same, as a line when it changed. */
static int fill_diff_text(clb_buf *out, sqlite3_stmt *s, long shown)
{
    bool in_a = sqlite3_column_type(s, 1) != SQLITE_NULL;
    bool in_b = sqlite3_column_type(s, 2) != SQLITE_NULL;
    int fa = sqlite3_column_int(s, 1), fb = sqlite3_column_int(s, 2);
    char from[16] = "-", to[16] = "-";
    (void)shown;
    if (in_a && in_b && fa == fb)
        return 0;
    if (in_a)
        snprintf(from, sizeof(from), "%d", fa);
    if (in_b)
        snprintf(to, sizeof(to), "%d", fb);
    return clb__buf_printf(out, "  %-12s %s -> %s of %d\n", clb__store_col_text0(s, 0),
                           from, to, sqlite3_column_int(s, 3));
}

static const clb__store_rows fill_diff = {"vacancies",    "fill:\n",     NULL, NULL,
                                          fill_diff_json, fill_diff_text, NULL, NULL};

int clb_store_round_diff(clb_buf *out, clb_store *st, long a, long b, unsigned flags,
                         clb_error *err)
{
    wv *pa = NULL, *pb = NULL;
    size_t na = 0, nb = 0;
    sqlite3_stmt *s = NULL;
    bool json = flags & CLB_STORE_JSON;
    clb__jw j = CLB__JW_INIT(out);
    clb__store_idset workers = {0};
    double obj[2] = {0, 0};
    int error, rc = 0;
    size_t moved = 0, entered = 0, left = 0;

    if ((error = clb__store_read_begin(st, err)) < 0)
        return error;
    if ((error = clb__store_round_exists(st, a, err)) < 0 ||
        (error = clb__store_round_exists(st, b, err)) < 0)
        goto done;
    if ((error = load_pairs(&pa, &na, st, a, err)) < 0 ||
        (error = load_pairs(&pb, &nb, st, b, err)) < 0)
        goto done;
    if ((error = clb__store_prep(st, &s, "SELECT objective FROM rounds WHERE id = ?",
                                 err)) < 0)
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
        if (!clb__store_idset_has(&workers, pa[i].worker) &&
            clb__store_idset_add(&workers, pa[i].worker) < 0)
            error = clb__oom(err);
    for (size_t i = 0; i < nb; i++)
        if (!clb__store_idset_has(&workers, pb[i].worker) &&
            clb__store_idset_add(&workers, pb[i].worker) < 0)
            error = clb__oom(err);
    if (error < 0)
        goto done;
    (void)clb__store_idset_has(&workers, ""); /* sorts */
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
                rc = clb__buf_printf(out, "  ~ %-12s moved: %s -> %s\n", w, va.ptr,
                                     vb.ptr);
        }
        clb_buf_dispose(&va);
        clb_buf_dispose(&vb);
    }
    if (json)
        clb__jw_close(&j, ']');
    else if (rc == 0)
        rc = clb__buf_printf(out, "%zu moved, %zu entered, %zu left\n", moved, entered,
                             left);
    /* fill per vacancy, over the vacancies of either round */
    if ((error = clb__store_prep(
             st, &s,
             "SELECT v.vacancy_id, max(CASE WHEN v.round_id = ?1 THEN v.filled END),"
             " max(CASE WHEN v.round_id = ?2 THEN v.filled END), max(v.headcount)"
             " FROM round_vacancies v WHERE v.round_id IN (?1, ?2)"
             " GROUP BY v.vacancy_id ORDER BY v.vacancy_id",
             err)) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, a);
    sqlite3_bind_int64(s, 2, b);
    if (rc == 0)
        rc = clb__store_show_rows(out, &j, json, s, &fill_diff, 0);
    else
        sqlite3_finalize(s);
    s = NULL;
    if (json) {
        clb__jw_int(&j, "moved", (long long)moved);
        clb__jw_int(&j, "entered", (long long)entered);
        clb__jw_int(&j, "left", (long long)left);
        clb__jw_close(&j, '}');
    } else if (rc == 0)
        rc = clb__buf_printf(out, "objective %.10g -> %.10g (%+.10g)\n", obj[0], obj[1],
                            obj[1] - obj[0]);
    if (rc < 0 || j.rc < 0)
        error = clb__oom(err);
done:
    sqlite3_finalize(s);
    free_pairs(pa, na);
    free_pairs(pb, nb);
    clb__store_idset_dispose(&workers);
    return clb__store_tx_end(st, error, err);
}

int clb_store_placement_list(clb_buf *out, clb_store *st, long round, const char *status,
                             unsigned flags, clb_error *err)
{
    clb_placement_filter f = {0};
    f.round = round;
    f.status = status;
    return clb_store_placement_query(out, st, &f, flags, err);
}

static void bind_placement_filter(sqlite3_stmt *s, const void *payload)
{
    const clb_placement_filter *f = payload;
    sqlite3_bind_int64(s, 1, f->round);
    clb__store_bind_text(s, 2, f->status);
    clb__store_bind_text(s, 3, f->employer);
    clb__store_bind_text(s, 4, f->worker);
    clb__store_bind_text(s, 5, f->vacancy);
}

/* A filter naming a record the database does not hold is an error, not an empty
 * list: `--employer E8` for E08, or `--round 9` when there are 3, must not read as
 * "nothing here". A known record with no placements is an empty list. */
int clb_store_placement_query(clb_buf *out, clb_store *st, const clb_placement_filter *f,
                              unsigned flags, clb_error *err)
{
    static const clb__store_rows rows = {NULL,           PLACEMENT_TITLES,
                                         NULL,           "  (none)\n",
                                         placement_json, placement_text,
                                         PLACEMENT_CSV_HEADER, clb__store_placement_csv};
    int error;
    if ((error = clb__store_read_begin(st, err)) < 0)
        return error;
    if (f->round > 0)
        error = clb__store_round_exists(st, f->round, err);
    if (error == 0)
        error = clb__store_known(st, "employer", f->employer, err);
    if (error == 0)
        error = clb__store_known(st, "worker", f->worker, err);
    if (error == 0)
        error = clb__store_known(st, "vacancy", f->vacancy, err);
    if (error == 0)
        error = clb__store_show_list(out, st,
                                    PLACEMENT_SELECT " WHERE (?1 <= 0 OR" IN_ROUND("?1") ")"
                                                     " AND (?2 IS NULL OR p.status = ?2)"
                                                     " AND (?3 IS NULL OR p.employer_id = ?3)"
                                                     " AND (?4 IS NULL OR p.worker_id = ?4)"
                                                     " AND (?5 IS NULL OR p.vacancy_id = ?5)"
                                                     " ORDER BY p.id",
                                    bind_placement_filter, f, &rows, flags, err);
    return clb__store_tx_end(st, error, err);
}

int clb_store_placement_foreach(clb_store *st, long round, const char *status,
                                int (*fn)(const clb_placement_row *row, void *payload),
                                void *payload, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0, error = clb__store_prep(st, &s,
                             PLACEMENT_SELECT " WHERE (?1 <= 0 OR" IN_ROUND("?1") ")"
                                              " AND (?2 IS NULL OR p.status = ?2)"
                                              " ORDER BY p.id",
                             err);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, round);
    clb__store_bind_text(s, 2, status);
    while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
        clb_placement_row row;
        row.id = (long)sqlite3_column_int64(s, 0);
        row.round = (long)sqlite3_column_int64(s, 11);
        row.worker = clb__store_col_text0(s, 1);
        row.vacancy = clb__store_col_text0(s, 2);
        row.employer = clb__store_col_text0(s, 3);
        row.start = clb__store_col_text0(s, 5);
        row.end = clb__store_col_text0(s, 6);
        row.value = sqlite3_column_double(s, 7);
        row.status = clb__store_col_text0(s, 8);
        rc = fn(&row, payload);
    }
    sqlite3_finalize(s);
    return rc;
}

/* ---- audit --------------------------------------------------------------------- */

int clb_store_audit_list(clb_buf *out, clb_store *st, long limit, unsigned flags,
                         clb_error *err)
{
    clb_audit_filter f = {0};
    f.limit = limit;
    return clb_store_audit_query(out, st, &f, flags, err);
}

static void audit_json(clb__jw *j, sqlite3_stmt *s)
{
    clb__jw_int(j, "id", sqlite3_column_int64(s, 0));
    clb__jw_str(j, "at", clb__store_col_text(s, 1));
    clb__jw_str(j, "by", clb__store_col_text(s, 2));
    clb__jw_str(j, "action", clb__store_col_text(s, 3));
    clb__jw_str(j, "object", clb__store_col_text(s, 4));
    /* before/after are states or JSON objects */
    if (clb__store_col_text(s, 5) && clb__store_col_text(s, 5)[0] == '{')
        clb__jw_rawval(j, "before", clb__store_col_text(s, 5));
    else
        clb__jw_str(j, "before", clb__store_col_text(s, 5));
    if (clb__store_col_text(s, 6) && clb__store_col_text(s, 6)[0] == '{')
        clb__jw_rawval(j, "after", clb__store_col_text(s, 6));
    else
        clb__jw_str(j, "after", clb__store_col_text(s, 6));
    clb__jw_rawval(j, "detail", clb__store_col_text(s, 7));
}

/* Characters of UTF-8 text (continuation bytes not counted). */
static size_t chars(const char *t)
{
    size_t n = 0;
    for (; *t; t++)
        if (((unsigned char)*t & 0xC0u) != 0x80u)
            n++;
    return n;
}

/* `t` padded with spaces to `width` characters, then `gap` spaces. */
static int put_column(clb_buf *out, const char *t, long width, long gap)
{
    int rc = clb__buf_puts(out, t);
    for (long n = (long)chars(t); rc == 0 && n < width + gap; n++)
        rc = clb__buf_puts(out, " ");
    return rc;
}

/* Columns 8 and 9 are the widest actor and action of the rows shown (a window over
 * them), so a portal's actor (`employer:E017/office`) or `placement.no-return` does
 * not push the columns after it out of line. */
static int audit_text(clb_buf *out, sqlite3_stmt *s, long shown)
{
    const char *before = clb__store_col_text(s, 5), *after = clb__store_col_text(s, 6);
    int rc = clb__buf_printf(out, "%5lld  %s  ", (long long)sqlite3_column_int64(s, 0),
                             clb__store_col_text0(s, 1));
    (void)shown;
    if (rc == 0)
        rc = put_column(out, clb__store_col_text0(s, 2), (long)sqlite3_column_int64(s, 8), 2);
    if (rc == 0)
        rc = put_column(out, clb__store_col_text0(s, 3), (long)sqlite3_column_int64(s, 9), 1);
    if (rc == 0)
        rc = clb__buf_puts(out, clb__store_col_text0(s, 4));
    if (rc == 0 && (before || after))
        rc = clb__buf_printf(out, ": %s -> %s", before ? before : "-",
                             after ? after : "-");
    if (rc == 0 && clb__store_col_text(s, 7))
        rc = clb__buf_printf(out, " %s", clb__store_col_text(s, 7));
    return rc == 0 ? clb__buf_puts(out, "\n") : rc;
}

/* An audit row as a CSV line (AUDIT_CSV_HEADER). */
#define AUDIT_CSV_HEADER "id,at,actor,action,object,before,after,detail\n"
static int audit_csv(clb_buf *out, sqlite3_stmt *s)
{
    char id[32];
    int rc;
    snprintf(id, sizeof(id), "%lld", (long long)sqlite3_column_int64(s, 0));
    rc = clb__buf_put_csv_cell(out, id);
    for (int c = 1; c < 8 && rc == 0; c++) {
        rc = clb__buf_puts(out, ",");
        if (rc == 0)
            rc = clb__buf_put_csv_cell(out, clb__store_col_text(s, c));
    }
    return rc == 0 ? clb__buf_puts(out, "\n") : rc;
}

static void bind_audit_filter(sqlite3_stmt *s, const void *payload)
{
    const clb_audit_filter *f = payload;
    sqlite3_bind_int64(s, 1, f->limit > 0 ? f->limit : -1);
    clb__store_bind_text(s, 2, f->object);
    clb__store_bind_text(s, 3, f->by);
    clb__store_bind_text(s, 4, f->since);
}

int clb_store_audit_query(clb_buf *out, clb_store *st, const clb_audit_filter *f,
                          unsigned flags, clb_error *err)
{
    static const clb__store_rows rows = {NULL,       NULL,       NULL,
                                         NULL,       audit_json, audit_text,
                                         AUDIT_CSV_HEADER, audit_csv};
    return clb__store_show_list(
        out, st,
        "SELECT id, at, actor, action, object, before, after, detail,"
        " max(10, max(length(actor)) OVER ()), max(18, max(length(action)) OVER ()) FROM"
        " (SELECT * FROM audit WHERE (?2 IS NULL OR object = ?2"
        "  OR substr(object, -length(?2) - 1) = ' ' || ?2"
        "  OR (json_valid(detail) AND (json_extract(detail, '$.worker') = ?2"
        "   OR json_extract(detail, '$.vacancy') = ?2)))"
        " AND (?3 IS NULL OR actor = ?3) AND (?4 IS NULL OR at >= ?4)"
        " ORDER BY id DESC LIMIT ?1) ORDER BY id",
        bind_audit_filter, f, &rows, flags, err);
}
