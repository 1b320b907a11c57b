/*
 * store_desk.c - the agency's desk look-ups: worker, vacancy and employer lists and
 * records (include/circulab/desk.h).
 *
 * Every look-up is a few read-only queries in one read snapshot, each turned into a
 * small in-memory table (column names, cells as text with their kind) and rendered
 * by one renderer: aligned text, JSON (an array of objects, or an object of sections
 * for `show`) or CSV through the one CSV cell writer (formula guard). Building tables
 * first keeps the three formats identical in content, and lets rows that are not a
 * query (the open round's eligibility, judged by the engine's own rules on the next
 * round's inputs, never a copy of them) go through the same renderer. Names and
 * birth dates are selected only with CLB_DESK_NAMES.
 */
#include "store/store_impl.h"
#include "circulab/desk.h"
#include "rules/eligibility.h"
#include "scenario/scenario_impl.h"
#include "util/alloc.h"
#include "util/util.h"
#include "util/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { K_NULL, K_NUM, K_TEXT };

typedef struct cell {
    char *s;
    int kind;
} cell;

typedef struct table {
    const char *name;   /* section name (show) */
    bool single;        /* one record: key/value text, a JSON object */
    size_t ncols, nrows, cap;
    char **cols;
    cell *cells;
} table;

static void table_dispose(table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        clb__free(t->cells[i].s);
    for (size_t i = 0; i < t->ncols; i++)
        clb__free(t->cols[i]);
    clb__free(t->cells);
    clb__free(t->cols);
    memset(t, 0, sizeof(*t));
}

static char *dup_s(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = clb__malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static int table_cols(table *t, const char *const *names, size_t n)
{
    t->cols = clb__calloc(n ? n : 1, sizeof(*t->cols));
    if (!t->cols)
        return CLB_ENOMEM;
    t->ncols = n;
    for (size_t i = 0; i < n; i++)
        if (!(t->cols[i] = dup_s(names[i])))
            return CLB_ENOMEM;
    return 0;
}

/* A new row of NULL cells; returns its first cell or NULL. */
static cell *table_row(table *t)
{
    if (t->nrows == t->cap) {
        size_t c2 = t->cap ? t->cap * 2 : 16;
        cell *p = clb__realloc(t->cells, c2 * t->ncols * sizeof(*p));
        if (!p)
            return NULL;
        t->cells = p;
        t->cap = c2;
    }
    cell *r = t->cells + t->nrows * t->ncols;
    memset(r, 0, t->ncols * sizeof(*r));
    t->nrows++;
    return r;
}

static int cell_set(cell *c, int kind, const char *s)
{
    c->kind = s ? kind : K_NULL;
    if (s && !(c->s = dup_s(s)))
        return CLB_ENOMEM;
    return 0;
}

/* Run a prepared statement into t (columns named by the statement). */
static int table_query(table *t, clb_store *st, sqlite3_stmt *s, clb_error *err)
{
    int rc, n = sqlite3_column_count(s);
    const char *names[64];
    if (n > 64)
        n = 64;
    for (int i = 0; i < n; i++)
        names[i] = sqlite3_column_name(s, i);
    if (table_cols(t, names, (size_t)n) < 0)
        return clb__oom(err);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        cell *r = table_row(t);
        if (!r)
            return clb__oom(err);
        for (int i = 0; i < n; i++) {
            int type = sqlite3_column_type(s, i);
            int e = 0;
            if (type == SQLITE_INTEGER || type == SQLITE_FLOAT)
                e = cell_set(&r[i], K_NUM, (const char *)sqlite3_column_text(s, i));
            else if (type != SQLITE_NULL)
                e = cell_set(&r[i], K_TEXT, (const char *)sqlite3_column_text(s, i));
            if (e < 0)
                return clb__oom(err);
        }
    }
    if (rc != SQLITE_DONE)
        return clb__store_db_error(st, err, "read");
    return 0;
}

/* Prepare `sql`, bind text parameters (NULL binds NULL) and run it into t. */
static int query(table *t, clb_store *st, const char *sql, const char *const *params,
                 size_t np, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = clb__store_prep(st, &s, sql, err);
    if (error < 0)
        return error;
    for (size_t i = 0; i < np; i++)
        clb__store_bind_text(s, (int)i + 1, params[i]);
    error = table_query(t, st, s, err);
    sqlite3_finalize(s);
    return error;
}

/* ---- rendering ----------------------------------------------------------------- */

static const char *cell_text(const cell *c)
{
    return c->kind == K_NULL ? "-" : c->s;
}

static int render_text(clb_buf *out, const table *t)
{
    int rc = 0;
    if (t->name)
        rc = clb__buf_printf(out, "%s:\n", t->name);
    if (t->single) {
        size_t w = 0;
        for (size_t i = 0; i < t->ncols; i++)
            if (strlen(t->cols[i]) > w)
                w = strlen(t->cols[i]);
        for (size_t i = 0; rc == 0 && t->nrows && i < t->ncols; i++)
            rc = clb__buf_printf(out, "  %-*s  %s\n", (int)w, t->cols[i],
                                cell_text(&t->cells[i]));
        return rc;
    }
    size_t *w = clb__calloc(t->ncols ? t->ncols : 1, sizeof(*w));
    if (!w)
        return CLB_ENOMEM;
    for (size_t i = 0; i < t->ncols; i++)
        w[i] = strlen(t->cols[i]);
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t i = 0; i < t->ncols; i++) {
            size_t n = strlen(cell_text(&t->cells[r * t->ncols + i]));
            if (n > w[i])
                w[i] = n;
        }
    for (size_t i = 0; rc == 0 && i < t->ncols; i++)
        rc = clb__buf_printf(out, "%s%-*s", i ? "  " : "  ", i + 1 < t->ncols ? (int)w[i] : 0,
                            t->cols[i]);
    if (rc == 0)
        rc = clb__buf_puts(out, "\n");
    for (size_t r = 0; rc == 0 && r < t->nrows; r++) {
        for (size_t i = 0; rc == 0 && i < t->ncols; i++)
            rc = clb__buf_printf(out, "  %-*s", i + 1 < t->ncols ? (int)w[i] : 0,
                                cell_text(&t->cells[r * t->ncols + i]));
        if (rc == 0)
            rc = clb__buf_puts(out, "\n");
    }
    if (rc == 0 && t->nrows == 0)
        rc = clb__buf_puts(out, "  (none)\n");
    clb__free(w);
    return rc;
}

static int json_cell(clb_buf *out, const cell *c)
{
    if (c->kind == K_NULL)
        return clb__buf_puts(out, "null");
    if (c->kind == K_NUM)
        return clb__buf_puts(out, c->s);
    return clb__buf_put_json_string(out, c->s);
}

static int json_row(clb_buf *out, const table *t, size_t r, const char *indent)
{
    int rc = clb__buf_puts(out, "{");
    for (size_t i = 0; rc == 0 && i < t->ncols; i++) {
        rc = clb__buf_printf(out, "%s\n%s  ", i ? "," : "", indent);
        if (rc == 0)
            rc = clb__buf_put_json_string(out, t->cols[i]);
        if (rc == 0)
            rc = clb__buf_puts(out, ": ");
        if (rc == 0)
            rc = json_cell(out, &t->cells[r * t->ncols + i]);
    }
    if (rc == 0)
        rc = clb__buf_printf(out, "\n%s}", indent);
    return rc;
}

static int render_json(clb_buf *out, const table *t, const char *indent)
{
    int rc = 0;
    if (t->single)
        return t->nrows ? json_row(out, t, 0, indent) : clb__buf_puts(out, "null");
    rc = clb__buf_puts(out, "[");
    for (size_t r = 0; rc == 0 && r < t->nrows; r++) {
        rc = clb__buf_printf(out, "%s\n%s  ", r ? "," : "", indent);
        if (rc == 0) {
            char in2[32];
            snprintf(in2, sizeof(in2), "%s  ", indent);
            rc = json_row(out, t, r, in2);
        }
    }
    if (rc == 0)
        rc = clb__buf_printf(out, "%s]", t->nrows ? "\n" : "");
    if (rc == 0 && t->nrows)
        rc = 0;
    return rc;
}

static int render_csv(clb_buf *out, const table *t)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < t->ncols; i++) {
        rc = clb__buf_put_csv_cell(out, t->cols[i]);
        if (rc == 0)
            rc = clb__buf_puts(out, i + 1 < t->ncols ? "," : "\n");
    }
    for (size_t r = 0; rc == 0 && r < t->nrows; r++)
        for (size_t i = 0; rc == 0 && i < t->ncols; i++) {
            const cell *c = &t->cells[r * t->ncols + i];
            rc = clb__buf_put_csv_cell(out, c->kind == K_NULL ? "" : c->s);
            if (rc == 0)
                rc = clb__buf_puts(out, i + 1 < t->ncols ? "," : "\n");
        }
    return rc;
}

/* Render a list (one table). */
static int render_list(clb_buf *out, const table *t, unsigned flags, clb_error *err)
{
    int rc;
    if (flags & CLB_STORE_JSON) {
        rc = render_json(out, t, "");
        if (rc == 0)
            rc = clb__buf_puts(out, "\n");
    } else if (flags & CLB_DESK_CSV)
        rc = render_csv(out, t);
    else
        rc = render_text(out, t);
    return rc < 0 ? clb__oom(err) : 0;
}

/* Render a record: sections in order (text), or one JSON object keyed by section. */
static int render_show(clb_buf *out, table *ts, size_t n, unsigned flags, clb_error *err)
{
    int rc = 0;
    bool json = flags & CLB_STORE_JSON;
    if (json)
        rc = clb__buf_puts(out, "{");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (json) {
            rc = clb__buf_printf(out, "%s\n  ", i ? "," : "");
            if (rc == 0)
                rc = clb__buf_put_json_string(out, ts[i].name);
            if (rc == 0)
                rc = clb__buf_puts(out, ": ");
            if (rc == 0)
                rc = render_json(out, &ts[i], "  ");
        } else {
            if (i)
                rc = clb__buf_puts(out, "\n");
            if (rc == 0)
                rc = render_text(out, &ts[i]);
        }
    }
    if (rc == 0 && json)
        rc = clb__buf_puts(out, "\n}\n");
    return rc < 0 ? clb__oom(err) : 0;
}

/* ---- shared SQL ------------------------------------------------------------------ */

#define OPEN_SEASON "(SELECT max(id) FROM seasons WHERE closed_at IS NULL)"

/* The placements of the open season (by the round that proposed them). */
#define SEASON_PLACEMENTS                                                             \
    " placements p JOIN rounds r ON r.id = p.round_id AND r.season_id = " OPEN_SEASON

/* Placements that hold a place (not declined, not cancelled). */
#define HOLDING " p.status IN ('proposed','confirmed','departed','returned','not_returned')"
#define FILLED " p.status IN ('confirmed','departed','returned','not_returned')"

static int exists(clb_store *st, const char *sql, const char *id, bool *found,
                  clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = clb__store_prep(st, &s, sql, err);
    if (error < 0)
        return error;
    clb__store_bind_text(s, 1, id);
    *found = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    return 0;
}

/* ---- workers --------------------------------------------------------------------- */

static const char *const worker_statuses[] = {"proposed", "confirmed", "declined",
                                              "cancelled", "departed", "returned",
                                              "not_returned", "unplaced", "banned", NULL};

int clb_desk_worker_list(clb_buf *out, clb_store *st, const clb_worker_filter *f,
                         unsigned flags, clb_error *err)
{
    bool names = flags & CLB_DESK_NAMES;
    table t = {0};
    clb_buf sql = CLB_BUF_INIT;
    const char *params[5] = {f->region, f->country, f->status, f->search,
                             names ? "1" : NULL};
    int error = 0;

    if (f->status) {
        bool ok = false;
        for (size_t i = 0; worker_statuses[i]; i++)
            ok |= strcmp(worker_statuses[i], f->status) == 0;
        if (!ok)
            return clb__error_set(err, CLB_EINVAL,
                                 "unknown status '%s' (a placement state, unplaced or "
                                 "banned)", f->status);
    }
    if (clb__buf_printf(
            &sql,
            "SELECT w.id AS id,%s w.country AS country, w.region AS region,"
            " w.active AS active, w.campaigns AS campaigns, w.returned AS returned,"
            " w.banned_until AS banned_until,"
            " COALESCE((SELECT p.status FROM" SEASON_PLACEMENTS
            " WHERE p.worker_id = w.id AND" HOLDING " ORDER BY p.id DESC LIMIT 1),"
            " CASE WHEN w.banned_until >= date('now') THEN 'banned' ELSE 'unplaced' END)"
            " AS status"
            " FROM workers w"
            " WHERE (?1 IS NULL OR w.region = ?1) AND (?2 IS NULL OR w.country = ?2)"
            " AND (?3 IS NULL"
            "  OR (?3 = 'banned' AND w.banned_until >= date('now'))"
            "  OR (?3 = 'unplaced' AND NOT EXISTS (SELECT 1 FROM" SEASON_PLACEMENTS
            "      WHERE p.worker_id = w.id AND" HOLDING "))"
            "  OR EXISTS (SELECT 1 FROM" SEASON_PLACEMENTS
            "      WHERE p.worker_id = w.id AND p.status = ?3))"
            " AND (?4 IS NULL OR instr(lower(w.id), lower(?4)) > 0"
            "  OR (?5 IS NOT NULL AND instr(lower(COALESCE(w.name, '')), lower(?4)) > 0))"
            " ORDER BY w.id",
            names ? " w.name AS name, json_extract(w.doc, '$.birth_date') AS birth_date,"
                  : "") < 0)
        return clb__oom(err);
    if ((error = clb__store_read_begin(st, err)) < 0)
        goto done;
    error = query(&t, st, sql.ptr, params, 5, err);
    error = clb__store_tx_end(st, error, err);
    if (error == 0)
        error = render_list(out, &t, flags, err);
done:
    table_dispose(&t);
    clb_buf_dispose(&sql);
    return error;
}

/* The open round's eligibility of worker `id`: each open vacancy, eligible or the
 * first rule that fails (the engine's rules on the next round's inputs). */
static int worker_eligibility(table *t, clb_store *st, const char *id, clb_error *err)
{
    static const char *const cols[] = {"vacancy", "employer", "start", "end", "eligible",
                                       "first_failed_rule"};
    clb_scenario *sc = NULL;
    int32_t wi;
    int error;

    t->name = "eligibility";
    if (table_cols(t, cols, 6) < 0)
        return clb__oom(err);
    if ((error = clb__store_next_round(&sc, st, err)) < 0)
        return error;
    wi = clb__scenario_worker_index(sc, id);
    for (uint32_t v = 0; wi >= 0 && v < (uint32_t)sc->n_vacancies && error == 0; v++) {
        const clb_vacancy_rec *vr = &sc->vacancies[v];
        unsigned mask = clb__eligibility_check(sc, (uint32_t)wi, v);
        const char *rule = NULL;
        char start[16], end[16];
        cell *r = table_row(t);
        if (!r) {
            error = clb__oom(err);
            break;
        }
        for (unsigned b = 0; b < 32 && mask; b++)
            if (mask & (1u << b)) {
                rule = clb_rule_name(1u << b);
                break;
            }
        clb__date_format(start, vr->start);
        clb__date_format(end, vr->end);
        if (cell_set(&r[0], K_TEXT, vr->id) < 0 ||
            cell_set(&r[1], K_TEXT, sc->employers[vr->employer].id) < 0 ||
            cell_set(&r[2], K_TEXT, start) < 0 || cell_set(&r[3], K_TEXT, end) < 0 ||
            cell_set(&r[4], K_NUM, mask ? "false" : "true") < 0 ||
            cell_set(&r[5], K_TEXT, mask ? (rule ? rule : "ineligible") : NULL) < 0)
            error = clb__oom(err);
    }
    clb_scenario_free(sc);
    return error;
}

int clb_desk_worker_show(clb_buf *out, clb_store *st, const char *id, unsigned flags,
                         clb_error *err)
{
    bool names = flags & CLB_DESK_NAMES, found = false;
    table ts[6] = {{0}};
    const char *p1[1] = {id};
    int error;

    if ((error = clb__store_read_begin(st, err)) < 0)
        return error;
    if ((error = exists(st, "SELECT 1 FROM workers WHERE id = ?1", id, &found, err)) < 0)
        goto done;
    if (!found) {
        error = clb__error_set(err, CLB_ENOTFOUND, "no worker '%s'", id);
        goto done;
    }
    ts[0].name = "worker";
    ts[0].single = true;
    error = query(&ts[0], st,
                  names ? "SELECT id, name, json_extract(doc, '$.birth_date') AS birth_date,"
                          " country, region, active, updated_at FROM workers WHERE id = ?1"
                        : "SELECT id, country, region, active, updated_at FROM workers"
                          " WHERE id = ?1",
                  p1, 1, err);
    ts[1].name = "history";
    ts[1].single = true;
    if (error == 0)
        error = query(&ts[1], st,
                      "SELECT campaigns, returned, last_employer, last_return, days_abroad,"
                      " banned_until FROM workers WHERE id = ?1",
                      p1, 1, err);
    ts[2].name = "placements";
    if (error == 0)
        error = query(&ts[2], st,
                      "SELECT p.id AS id, p.round_id AS round, r.season_id AS season,"
                      " p.vacancy_id AS vacancy, p.employer_id AS employer,"
                      " p.start_date AS start, p.end_date AS end, p.status AS state,"
                      " p.departed_on AS departed_on, p.returned_on AS returned_on"
                      " FROM placements p JOIN rounds r ON r.id = p.round_id"
                      " WHERE p.worker_id = ?1 ORDER BY p.id",
                      p1, 1, err);
    ts[3].name = "bans";
    if (error == 0)
        error = query(&ts[3], st,
                      "SELECT 'ban' AS kind, NULLIF(vacancy_id, '') AS vacancy,"
                      " NULLIF(employer_id, '') AS employer, NULL AS until"
                      " FROM pairs WHERE kind = 'ban' AND worker_id = ?1"
                      " UNION ALL SELECT 'declined', p.vacancy_id, p.employer_id,"
                      " 'end of season ' || r.season_id FROM" SEASON_PLACEMENTS
                      " WHERE p.worker_id = ?1 AND p.status = 'declined'"
                      " UNION ALL SELECT 'no-return', NULL, NULL, banned_until FROM workers"
                      " WHERE id = ?1 AND banned_until IS NOT NULL",
                      p1, 1, err);
    ts[4].name = "pins";
    if (error == 0)
        error = query(&ts[4], st,
                      "SELECT p.vacancy_id AS vacancy, v.status AS vacancy_status"
                      " FROM pairs p LEFT JOIN vacancies v ON v.id = p.vacancy_id"
                      " WHERE p.kind = 'pin' AND p.worker_id = ?1 ORDER BY p.vacancy_id",
                      p1, 1, err);
    if (error == 0)
        error = worker_eligibility(&ts[5], st, id, err);
done:
    error = clb__store_tx_end(st, error, err);
    if (error == 0)
        error = render_show(out, ts, 6, flags, err);
    for (size_t i = 0; i < 6; i++)
        table_dispose(&ts[i]);
    return error;
}

/* ---- vacancies ------------------------------------------------------------------- */

#define VACANCY_FILL                                                                  \
    " (SELECT count(*) FROM" SEASON_PLACEMENTS " WHERE p.vacancy_id = v.id AND" FILLED   \
    ") AS filled,"                                                                       \
    " (SELECT count(*) FROM" SEASON_PLACEMENTS " WHERE p.vacancy_id = v.id AND"          \
    " p.status = 'proposed') AS proposed"

int clb_desk_vacancy_list(clb_buf *out, clb_store *st, const char *employer,
                          const char *status, unsigned flags, clb_error *err)
{
    table t = {0};
    const char *params[2] = {employer, status};
    int error;

    if (status && strcmp(status, "open") && strcmp(status, "withdrawn") &&
        strcmp(status, "closed"))
        return clb__error_set(err, CLB_EINVAL,
                             "unknown status '%s' (open, withdrawn or closed)", status);
    if ((error = clb__store_read_begin(st, err)) < 0)
        return error;
    error = query(&t, st,
                  "SELECT v.id AS id, v.employer_id AS employer, v.site_id AS site,"
                  " v.start_date AS start, v.end_date AS end, v.headcount AS headcount,"
                  " v.status AS status," VACANCY_FILL ", v.source AS source"
                  " FROM vacancies v WHERE (?1 IS NULL OR v.employer_id = ?1)"
                  " AND (?2 IS NULL OR v.status = ?2) ORDER BY v.id",
                  params, 2, err);
    error = clb__store_tx_end(st, error, err);
    if (error == 0)
        error = render_list(out, &t, flags, err);
    table_dispose(&t);
    return error;
}

int clb_desk_vacancy_show(clb_buf *out, clb_store *st, const char *id, unsigned flags,
                          clb_error *err)
{
    table ts[4] = {{0}};
    const char *p1[1] = {id};
    bool found = false;
    int error;

    if ((error = clb__store_read_begin(st, err)) < 0)
        return error;
    if ((error = exists(st, "SELECT 1 FROM vacancies WHERE id = ?1", id, &found, err)) < 0)
        goto done;
    if (!found) {
        error = clb__error_set(err, CLB_ENOTFOUND, "no vacancy '%s'", id);
        goto done;
    }
    ts[0].name = "vacancy";
    ts[0].single = true;
    error = query(&ts[0], st,
                  "SELECT v.id AS id, v.employer_id AS employer, v.site_id AS site,"
                  " v.start_date AS start, v.end_date AS end, v.headcount AS headcount,"
                  " v.status AS status," VACANCY_FILL ", v.source AS source,"
                  " v.updated_at AS updated_at FROM vacancies v WHERE v.id = ?1",
                  p1, 1, err);
    ts[1].name = "fill";
    if (error == 0)
        error = query(&ts[1], st,
                      "SELECT p.status AS state, count(*) AS placements FROM"
                      SEASON_PLACEMENTS " WHERE p.vacancy_id = ?1 GROUP BY p.status"
                      " ORDER BY p.status",
                      p1, 1, err);
    ts[2].name = "placements";
    if (error == 0)
        error = query(&ts[2], st,
                      "SELECT p.id AS id, p.round_id AS round, p.worker_id AS worker,"
                      " p.start_date AS start, p.end_date AS end, p.value AS value,"
                      " p.status AS state FROM placements p WHERE p.vacancy_id = ?1"
                      " ORDER BY p.id",
                      p1, 1, err);
    ts[3].name = "reserve";
    if (error == 0)
        error = query(&ts[3], st,
                      "SELECT round_id AS round, rank, worker_id AS worker, value"
                      " FROM reserve WHERE vacancy_id = ?1 AND round_id ="
                      " (SELECT max(round_id) FROM reserve WHERE vacancy_id = ?1)"
                      " ORDER BY rank",
                      p1, 1, err);
done:
    error = clb__store_tx_end(st, error, err);
    if (error == 0)
        error = render_show(out, ts, 4, flags, err);
    for (size_t i = 0; i < 4; i++)
        table_dispose(&ts[i]);
    return error;
}

/* ---- employers ------------------------------------------------------------------- */

#define EMPLOYER_COLS                                                                 \
    "SELECT e.id AS id, e.name AS name, e.region AS region,"                          \
    " (SELECT count(*) FROM sites s WHERE s.employer_id = e.id) AS sites,"            \
    " (SELECT sum(beds) FROM sites s WHERE s.employer_id = e.id) AS beds,"            \
    " (SELECT count(*) FROM vacancies v WHERE v.employer_id = e.id) AS vacancies,"    \
    " (SELECT count(*) FROM vacancies v WHERE v.employer_id = e.id"                   \
    "  AND v.status = 'open') AS open_vacancies,"                                    \
    " (SELECT sum(headcount) FROM vacancies v WHERE v.employer_id = e.id"             \
    "  AND v.status = 'open') AS open_headcount,"                                    \
    " (SELECT count(*) FROM" SEASON_PLACEMENTS " WHERE p.employer_id = e.id AND"      \
    FILLED ") AS filled, e.source AS source FROM employers e"

int clb_desk_employer_list(clb_buf *out, clb_store *st, unsigned flags, clb_error *err)
{
    table t = {0};
    int error;

    if ((error = clb__store_read_begin(st, err)) < 0)
        return error;
    error = query(&t, st, EMPLOYER_COLS " ORDER BY e.id", NULL, 0, err);
    error = clb__store_tx_end(st, error, err);
    if (error == 0)
        error = render_list(out, &t, flags, err);
    table_dispose(&t);
    return error;
}

int clb_desk_employer_show(clb_buf *out, clb_store *st, const char *id, unsigned flags,
                           clb_error *err)
{
    table ts[4] = {{0}};
    const char *p1[1] = {id};
    bool found = false;
    int error;

    if ((error = clb__store_read_begin(st, err)) < 0)
        return error;
    if ((error = exists(st, "SELECT 1 FROM employers WHERE id = ?1", id, &found, err)) < 0)
        goto done;
    if (!found) {
        error = clb__error_set(err, CLB_ENOTFOUND, "no employer '%s'", id);
        goto done;
    }
    ts[0].name = "employer";
    ts[0].single = true;
    error = query(&ts[0], st, EMPLOYER_COLS " WHERE e.id = ?1", p1, 1, err);
    ts[1].name = "sites";
    if (error == 0)
        error = query(&ts[1], st,
                      "SELECT id, region, beds FROM sites WHERE employer_id = ?1 ORDER BY id",
                      p1, 1, err);
    ts[2].name = "vacancies";
    if (error == 0)
        error = query(&ts[2], st,
                      "SELECT v.id AS id, v.site_id AS site, v.start_date AS start,"
                      " v.end_date AS end, v.headcount AS headcount, v.status AS status,"
                      VACANCY_FILL " FROM vacancies v WHERE v.employer_id = ?1 ORDER BY v.id",
                      p1, 1, err);
    ts[3].name = "fill";
    if (error == 0)
        error = query(&ts[3], st,
                      "SELECT p.status AS state, count(*) AS placements FROM"
                      SEASON_PLACEMENTS " WHERE p.employer_id = ?1 GROUP BY p.status"
                      " ORDER BY p.status",
                      p1, 1, err);
done:
    error = clb__store_tx_end(st, error, err);
    if (error == 0)
        error = render_show(out, ts, 4, flags, err);
    for (size_t i = 0; i < 4; i++)
        table_dispose(&ts[i]);
    return error;
}
