/*
 * desk.c - the agency's desk look-ups: worker, vacancy and employer lists and
 * records (include/circulab/desk.h).
 *
 * Every look-up is a few read-only queries in one read snapshot, each turned into a
 * small in-memory table (column names, cells as text with their kind) returned in a
 * clb_desk_view; how it looks (aligned text, JSON, CSV) is decided by the caller (the
 * CLI's cli/desk_render.c). Returning tables keeps every format identical in content,
 * and lets rows that are not a query (the open round's eligibility, judged by the
 * engine's own rules on the next round's inputs, never a copy of them) come back the
 * same way. Names and birth dates are selected only with CLB_DESK_NAMES.
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

typedef clb_desk_cell cell;
typedef clb_desk_table table;

static void table_dispose(table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        clb__free(t->cells[i].text);
    for (size_t i = 0; i < t->ncols; i++)
        clb__free(t->cols[i]);
    clb__free(t->cells);
    clb__free(t->cols);
    memset(t, 0, sizeof(*t));
}

void clb_desk_view_dispose(clb_desk_view *view)
{
    for (size_t i = 0; view && i < view->n; i++)
        table_dispose(&view->tables[i]);
    if (view) {
        clb__free(view->tables);
        memset(view, 0, sizeof(*view));
    }
}

/* The start of a look-up: a view of n empty tables (out->tables[0 .. n)) and the
   read snapshot. */
static int view_begin(clb_desk_view *out, size_t n, clb_store *st, clb_error *err)
{
    int error;
    memset(out, 0, sizeof(*out));
    if (!(out->tables = clb__calloc(n, sizeof(*out->tables))))
        return clb__oom(err);
    out->n = n;
    if ((error = clb__store_read_begin(st, err)) < 0)
        clb_desk_view_dispose(out);
    return error;
}

/* The end of a look-up: the read snapshot closed, the view kept or released. */
static int view_end(clb_desk_view *out, clb_store *st, int error, clb_error *err)
{
    error = clb__store_tx_end(st, error, err);
    if (error < 0)
        clb_desk_view_dispose(out);
    return error;
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
    c->kind = s ? kind : CLB_DESK_NULL;
    if (s && !(c->text = dup_s(s)))
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
                e = cell_set(&r[i], CLB_DESK_NUM, (const char *)sqlite3_column_text(s, i));
            else if (type != SQLITE_NULL)
                e = cell_set(&r[i], CLB_DESK_TEXT, (const char *)sqlite3_column_text(s, i));
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

/* One table of a record's view: its name, whether it is one row, its query (the
 * record's id bound as ?1). */
typedef struct section {
    const char *name;
    bool single;
    const char *sql;
} section;

/* A table a record's view computes rather than queries (a worker's eligibility). */
typedef int (*section_fn)(table *t, clb_store *st, const char *id, clb_error *err);

/*
 * The view of one record: one table per section, then one more filled by `extra`
 * when it is not NULL; CLB_ENOTFOUND ("no WHAT 'ID'") when `exists_sql` finds no
 * such record. All in one read snapshot.
 */
static int show_view(clb_desk_view *out, clb_store *st, const char *what,
                     const char *exists_sql, const char *id, const section *secs, size_t n,
                     section_fn extra, clb_error *err)
{
    const char *p1[1] = {id};
    bool found = false;
    int error;

    if ((error = view_begin(out, n + (extra ? 1 : 0), st, err)) < 0)
        return error;
    if ((error = exists(st, exists_sql, id, &found, err)) == 0 && !found)
        error = clb__error_set(err, CLB_ENOTFOUND, "no %s '%s'", what, id);
    for (size_t i = 0; i < n && error == 0; i++) {
        out->tables[i].name = secs[i].name;
        out->tables[i].single = secs[i].single;
        error = query(&out->tables[i], st, secs[i].sql, p1, 1, err);
    }
    if (error == 0 && extra)
        error = extra(&out->tables[n], st, id, err);
    return view_end(out, st, error, err);
}

static const char *const worker_statuses[] = {
    "proposed", "confirmed",    "declined", "cancelled", "departed",
    "returned", "not_returned", "unplaced", "banned",    "forgotten", NULL};

int clb_desk_worker_list(clb_desk_view *out, clb_store *st, const clb_worker_filter *f,
                         unsigned flags, clb_error *err)
{
    bool names = flags & CLB_DESK_NAMES;
    clb_buf sql = CLB_BUF_INIT;
    const char *params[5] = {f->region, f->country, f->status, f->search,
                             names ? "1" : NULL};
    int error = 0;

    memset(out, 0, sizeof(*out));
    if (f->status) {
        bool ok = false;
        for (size_t i = 0; worker_statuses[i]; i++)
            ok |= strcmp(worker_statuses[i], f->status) == 0;
        if (!ok)
            return clb__error_set(err, CLB_EINVAL,
                                 "unknown status '%s' (a placement state, unplaced, "
                                 "banned or forgotten)", f->status);
    }
    if (clb__buf_printf(
            &sql,
            "SELECT w.id AS id,%s w.country AS country, w.region AS region,"
            " w.active AS active, w.campaigns AS campaigns, w.returned AS returned,"
            " w.banned_until AS banned_until,"
            " CASE WHEN w.forgotten_at IS NOT NULL THEN 'forgotten' ELSE"
            " COALESCE((SELECT p.status FROM" SEASON_PLACEMENTS
            " WHERE p.worker_id = w.id AND" HOLDING " ORDER BY p.id DESC LIMIT 1),"
            " CASE WHEN w.banned_until >= date('now') THEN 'banned' ELSE 'unplaced' END)"
            " END AS status"
            " FROM workers w"
            " WHERE (?1 IS NULL OR w.region = ?1) AND (?2 IS NULL OR w.country = ?2)"
            " AND (?3 IS NULL"
            "  OR (?3 = 'forgotten' AND w.forgotten_at IS NOT NULL)"
            "  OR (?3 = 'banned' AND w.banned_until >= date('now')"
            "      AND w.forgotten_at IS NULL)"
            "  OR (?3 = 'unplaced' AND w.forgotten_at IS NULL"
            "      AND NOT EXISTS (SELECT 1 FROM" SEASON_PLACEMENTS
            "      WHERE p.worker_id = w.id AND" HOLDING "))"
            "  OR EXISTS (SELECT 1 FROM" SEASON_PLACEMENTS
            "      WHERE p.worker_id = w.id AND p.status = ?3))"
            " AND (?4 IS NULL OR instr(lower(w.id), lower(?4)) > 0"
            "  OR (?5 IS NOT NULL AND instr(lower(COALESCE(w.name, '')), lower(?4)) > 0))"
            " ORDER BY w.id",
            names ? " w.name AS name, json_extract(w.doc, '$.birth_date') AS birth_date,"
                  : "") < 0)
        return clb__oom(err);
    if ((error = view_begin(out, 1, st, err)) < 0)
        goto done;
    error = query(&out->tables[0], st, sql.ptr, params, 5, err);
    error = view_end(out, st, error, err);
done:
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
        if (cell_set(&r[0], CLB_DESK_TEXT, vr->id) < 0 ||
            cell_set(&r[1], CLB_DESK_TEXT, sc->employers[vr->employer].id) < 0 ||
            cell_set(&r[2], CLB_DESK_TEXT, start) < 0 || cell_set(&r[3], CLB_DESK_TEXT, end) < 0 ||
            cell_set(&r[4], CLB_DESK_NUM, mask ? "false" : "true") < 0 ||
            cell_set(&r[5], CLB_DESK_TEXT, mask ? (rule ? rule : "ineligible") : NULL) < 0)
            error = clb__oom(err);
    }
    clb_scenario_free(sc);
    return error;
}

/* A list member of a worker's record as one cell, "a;b;c" (as the CSV export). */
#define DOC_LIST(path, as)                                                            \
    " (SELECT group_concat(value, ';') FROM json_each(doc, '" path "')) AS " as

/* The record as stored: every field but the name and birth date (CLB_DESK_NAMES adds
 * them); a forgotten worker's erased fields are NULL. */
#define WORKER_RECORD(names)                                                          \
    "SELECT id," names " json_extract(doc, '$.sex') AS sex, country, region,"          \
    DOC_LIST("$.languages", "languages") "," DOC_LIST("$.skills", "skills") ","       \
    DOC_LIST("$.trainings", "trainings") ","                                          \
    " json_extract(doc, '$.available.from') AS available_from,"                       \
    " json_extract(doc, '$.available.to') AS available_to,"                           \
    DOC_LIST("$.preferences", "preferences") "," DOC_LIST("$.excludes", "excludes") "," \
    " active, forgotten_at, updated_at FROM workers WHERE id = ?1"

/* The rounds whose stored inputs hold the worker's record, and that record as the
 * round stored it (its birth date only with CLB_DESK_NAMES; inputs never hold
 * names). The id is looked for as text first, so only those rounds are parsed. */
#define WORKER_ROUNDS(record)                                                         \
    "SELECT r.id AS round, r.season_id AS season, r.created_at AS created_at, "       \
    record " AS record FROM rounds r JOIN json_each(r.inputs, '$.workers') j"          \
    " WHERE instr(r.inputs, ?1) > 0 AND json_extract(j.value, '$.id') = ?1"           \
    " ORDER BY r.id"

int clb_desk_worker_show(clb_desk_view *out, clb_store *st, const char *id, unsigned flags,
                         clb_error *err)
{
    bool names = flags & CLB_DESK_NAMES;
    const section secs[] = {
        {"worker", true,
         names ? WORKER_RECORD(" name, json_extract(doc, '$.birth_date') AS birth_date,")
               : WORKER_RECORD("")},
        {"history", true,
         "SELECT campaigns, returned, last_employer, last_return, days_abroad,"
         " banned_until FROM workers WHERE id = ?1"},
        {"placements", false,
         "SELECT p.id AS id, p.round_id AS round, r.season_id AS season,"
         " p.vacancy_id AS vacancy, p.employer_id AS employer,"
         " p.start_date AS start, p.end_date AS end, p.status AS state,"
         " p.departed_on AS departed_on, p.returned_on AS returned_on"
         " FROM placements p JOIN rounds r ON r.id = p.round_id"
         " WHERE p.worker_id = ?1 ORDER BY p.id"},
        {"bans", false,
         "SELECT 'ban' AS kind, NULLIF(vacancy_id, '') AS vacancy,"
         " NULLIF(employer_id, '') AS employer, NULL AS until"
         " FROM pairs WHERE kind = 'ban' AND worker_id = ?1"
         " UNION ALL SELECT 'declined', p.vacancy_id, p.employer_id,"
         " 'end of season ' || r.season_id FROM" SEASON_PLACEMENTS
         " WHERE p.worker_id = ?1 AND p.status = 'declined'"
         " UNION ALL SELECT 'no-return', NULL, NULL, banned_until FROM workers"
         " WHERE id = ?1 AND banned_until IS NOT NULL"},
        {"pins", false,
         "SELECT p.vacancy_id AS vacancy, v.status AS vacancy_status"
         " FROM pairs p LEFT JOIN vacancies v ON v.id = p.vacancy_id"
         " WHERE p.kind = 'pin' AND p.worker_id = ?1 ORDER BY p.vacancy_id"},
        {"scores", false,
         "SELECT vacancy_id AS vacancy, value FROM pairs"
         " WHERE kind = 'score' AND worker_id = ?1 ORDER BY vacancy_id"},
        {"training", false,
         "SELECT round_id AS round, session_id AS session, course FROM training"
         " WHERE worker_id = ?1 ORDER BY round_id, session_id"},
        {"reintegration", false,
         "SELECT round_id AS round, programme_id AS programme FROM reintegration"
         " WHERE worker_id = ?1 ORDER BY round_id"},
        {"reserve", false,
         "SELECT round_id AS round, vacancy_id AS vacancy, rank, value FROM reserve"
         " WHERE worker_id = ?1 ORDER BY round_id, vacancy_id"},
        {"rounds", false,
         names ? WORKER_ROUNDS("j.value")
               : WORKER_ROUNDS("json_remove(j.value, '$.birth_date')")},
        {"audit", false,
         "SELECT id, at, actor, action, object, before, after, detail FROM audit"
         " WHERE object = ?1"
         " OR (json_valid(detail) AND json_extract(detail, '$.worker') = ?1)"
         " OR object IN (SELECT 'placement ' || id FROM placements WHERE worker_id = ?1)"
         " ORDER BY id"}};
    return show_view(out, st, "worker", "SELECT 1 FROM workers WHERE id = ?1", id, secs,
                     sizeof(secs) / sizeof(secs[0]), worker_eligibility, err);
}

/* ---- vacancies ------------------------------------------------------------------- */

#define VACANCY_FILL                                                                  \
    " (SELECT count(*) FROM" SEASON_PLACEMENTS " WHERE p.vacancy_id = v.id AND" FILLED   \
    ") AS filled,"                                                                       \
    " (SELECT count(*) FROM" SEASON_PLACEMENTS " WHERE p.vacancy_id = v.id AND"          \
    " p.status = 'proposed') AS proposed"

int clb_desk_vacancy_list(clb_desk_view *out, clb_store *st, const char *employer,
                          const char *status, clb_error *err)
{
    const char *params[2] = {employer, status};
    int error;

    memset(out, 0, sizeof(*out));
    if (status && strcmp(status, "open") && strcmp(status, "withdrawn") &&
        strcmp(status, "closed"))
        return clb__error_set(err, CLB_EINVAL,
                             "unknown status '%s' (open, withdrawn or closed)", status);
    if ((error = view_begin(out, 1, st, err)) < 0)
        return error;
    /* a typo (E8 for E08) is an error, not an empty list */
    if ((error = clb__store_known(st, "employer", employer, err)) == 0)
        error = query(&out->tables[0], st,
                  "SELECT v.id AS id, v.employer_id AS employer, v.site_id AS site,"
                  " v.start_date AS start, v.end_date AS end, v.headcount AS headcount,"
                  " v.status AS status," VACANCY_FILL ", v.source AS source"
                  " FROM vacancies v WHERE (?1 IS NULL OR v.employer_id = ?1)"
                  " AND (?2 IS NULL OR v.status = ?2) ORDER BY v.id",
                  params, 2, err);
    return view_end(out, st, error, err);
}

int clb_desk_vacancy_show(clb_desk_view *out, clb_store *st, const char *id,
                          clb_error *err)
{
    static const section secs[] = {
        {"vacancy", true,
         "SELECT v.id AS id, v.employer_id AS employer, v.site_id AS site,"
         " v.start_date AS start, v.end_date AS end, v.headcount AS headcount,"
         " v.status AS status," VACANCY_FILL ", v.source AS source,"
         " v.updated_at AS updated_at FROM vacancies v WHERE v.id = ?1"},
        {"fill", false,
         "SELECT p.status AS state, count(*) AS placements FROM" SEASON_PLACEMENTS
         " WHERE p.vacancy_id = ?1 GROUP BY p.status ORDER BY p.status"},
        {"placements", false,
         "SELECT p.id AS id, p.round_id AS round, p.worker_id AS worker,"
         " p.start_date AS start, p.end_date AS end, p.value AS value,"
         " p.status AS state FROM placements p WHERE p.vacancy_id = ?1 ORDER BY p.id"},
        {"reserve", false,
         "SELECT round_id AS round, rank, worker_id AS worker, value"
         " FROM reserve WHERE vacancy_id = ?1 AND round_id ="
         " (SELECT max(round_id) FROM reserve WHERE vacancy_id = ?1) ORDER BY rank"}};
    return show_view(out, st, "vacancy", "SELECT 1 FROM vacancies WHERE id = ?1", id, secs,
                     sizeof(secs) / sizeof(secs[0]), NULL, err);
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

int clb_desk_employer_list(clb_desk_view *out, clb_store *st, clb_error *err)
{
    int error;

    if ((error = view_begin(out, 1, st, err)) < 0)
        return error;
    error = query(&out->tables[0], st, EMPLOYER_COLS " ORDER BY e.id", NULL, 0, err);
    return view_end(out, st, error, err);
}

int clb_desk_employer_show(clb_desk_view *out, clb_store *st, const char *id,
                           clb_error *err)
{
    static const section secs[] = {
        {"employer", true, EMPLOYER_COLS " WHERE e.id = ?1"},
        {"sites", false,
         "SELECT id, region, beds FROM sites WHERE employer_id = ?1 ORDER BY id"},
        {"vacancies", false,
         "SELECT v.id AS id, v.site_id AS site, v.start_date AS start,"
         " v.end_date AS end, v.headcount AS headcount, v.status AS status,"
         VACANCY_FILL " FROM vacancies v WHERE v.employer_id = ?1 ORDER BY v.id"},
        {"fill", false,
         "SELECT p.status AS state, count(*) AS placements FROM" SEASON_PLACEMENTS
         " WHERE p.employer_id = ?1 GROUP BY p.status ORDER BY p.status"}};
    return show_view(out, st, "employer", "SELECT 1 FROM employers WHERE id = ?1", id,
                     secs, sizeof(secs) / sizeof(secs[0]), NULL, err);
}
