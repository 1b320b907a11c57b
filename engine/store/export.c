/*
 * export.c - `circulab export` (a round's result or inputs, the record as a scenario
 * document, CSV files of workers, vacancies, employers and placements) and
 * `circulab explain` on a stored round.
 *
 * Records are exported by reading the assembled document with the one scenario
 * reader, then writing it out: an export always imports back. Every CSV cell goes
 * through the one cell writer (clb__buf_put_csv_cell); names only with --with-names.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"
#include "result/explain.h"
#include "scenario/save.h"
#include "scenario/scenario_impl.h"
#include "util/alloc.h"

/* ---- export -------------------------------------------------------------------- */

/* A CSV row under way: every cell through the one cell writer (quoting, formula
 * guard), the first failure kept in rc so that a row is written, then checked once. */
typedef struct csv_row {
    clb_buf *out;
    int rc;
    bool first;
} csv_row;

static csv_row row_begin(clb_buf *out, int rc)
{
    csv_row r = {out, rc, true};
    return r;
}

static void cell(csv_row *r, const char *v)
{
    if (r->rc == 0 && !r->first)
        r->rc = clb__buf_puts(r->out, ",");
    r->first = false;
    if (r->rc == 0)
        r->rc = clb__buf_put_csv_cell(r->out, v);
}

static void cell_date(csv_row *r, clb_date d)
{
    char tmp[16] = "";
    if (d != CLB_DATE_NONE)
        clb__date_format(tmp, d);
    cell(r, tmp);
}

static void cell_long(csv_row *r, long v)
{
    char tmp[32];
    snprintf(tmp, sizeof(tmp), "%ld", v);
    cell(r, tmp);
}

static void cell_sym(csv_row *r, const clb_scenario *sc, int32_t sym)
{
    cell(r, sym >= 0 ? clb_sym(sc, sym) : "");
}

/* A list of symbols as one cell, "a;b;c". */
static void cell_syms(csv_row *r, const clb_scenario *sc, const int32_t *v, size_t n)
{
    clb_buf tmp = CLB_BUF_INIT;
    int rc = clb__buf_put(&tmp, "", 0);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = clb__buf_printf(&tmp, "%s%s", i ? ";" : "", clb_sym(sc, v[i]));
    if (rc < 0 && r->rc == 0)
        r->rc = rc;
    cell(r, tmp.ptr);
    clb_buf_dispose(&tmp);
}

/* Preferences or exclusions as one cell, "sector:x;region:y;E1". */
static void cell_matches(csv_row *r, const clb_scenario *sc, const clb_match *m,
                         uint32_t n)
{
    clb_buf tmp = CLB_BUF_INIT;
    int rc = clb__buf_put(&tmp, "", 0);
    for (uint32_t i = 0; i < n && rc == 0; i++)
        rc = clb__buf_printf(&tmp, "%s%s%s", i ? ";" : "",
                             m[i].kind == CLB_MATCH_SECTOR   ? "sector:"
                             : m[i].kind == CLB_MATCH_REGION ? "region:"
                                                             : "",
                             clb_sym(sc, m[i].sym));
    if (rc < 0 && r->rc == 0)
        r->rc = rc;
    cell(r, tmp.ptr);
    clb_buf_dispose(&tmp);
}

static int row_end(csv_row *r)
{
    if (r->rc == 0)
        r->rc = clb__buf_puts(r->out, "\n");
    return r->rc;
}

static int export_workers_csv(clb_buf *out, const clb_scenario *sc, bool names)
{
    int rc = clb__buf_puts(out, names ? "id,name," : "id,");
    if (rc == 0)
        rc = clb__buf_puts(out,
                           "birth_date,sex,country,region,languages,skills,trainings,"
                           "available_from,available_to,preferences,excludes,campaigns,"
                           "returned,last_employer,last_return,days_abroad,"
                           "banned_until\n");
    for (size_t i = 0; i < sc->n_workers && rc == 0; i++) {
        const clb_worker_rec *w = &sc->workers[i];
        char sex[2] = {w->sex, 0};
        csv_row r = row_begin(out, rc);
        cell(&r, w->id);
        if (names)
            cell(&r, w->name);
        cell_date(&r, w->birth);
        cell(&r, sex);
        cell_sym(&r, sc, w->country);
        cell_sym(&r, sc, w->region);
        cell_syms(&r, sc, w->languages.v, w->languages.n);
        cell_syms(&r, sc, w->skills.v, w->skills.n);
        cell_syms(&r, sc, w->trainings.v, w->trainings.n);
        cell_date(&r, w->avail_from);
        cell_date(&r, w->avail_to);
        cell_matches(&r, sc, w->prefs, w->n_prefs);
        cell_matches(&r, sc, w->excludes, w->n_excludes);
        cell_long(&r, w->campaigns);
        cell(&r, w->returned ? "true" : "false");
        cell_sym(&r, sc, w->last_employer);
        cell_date(&r, w->last_return);
        cell_long(&r, w->days_abroad);
        cell_date(&r, w->banned_until);
        rc = row_end(&r);
    }
    return rc;
}

static int export_vacancies_csv(clb_buf *out, const clb_scenario *sc)
{
    int rc = clb__buf_puts(out, "id,employer,site,sector,occupation,start,end,headcount,"
                                "wage_month_eur,requires_skills,requires_trainings,"
                                "requires_languages,min_campaigns,named,hold_named\n");
    for (size_t i = 0; i < sc->n_vacancies && rc == 0; i++) {
        const clb_vacancy_rec *v = &sc->vacancies[i];
        const clb_site_rec *site = &sc->sites[v->site];
        char wage[40] = "";
        clb_buf named = CLB_BUF_INIT;
        csv_row r;
        if (!isnan(v->wage_month_eur))
            snprintf(wage, sizeof(wage), "%.15g", v->wage_month_eur);
        rc = clb__buf_put(&named, "", 0);
        for (uint32_t k = 0; k < v->n_named_ids && rc == 0; k++)
            rc = clb__buf_printf(&named, "%s%s", k ? ";" : "", v->named_ids[k]);
        r = row_begin(out, rc);
        cell(&r, v->id);
        cell(&r, sc->employers[v->employer].id);
        cell(&r, site->implicit ? "" : site->id);
        cell_sym(&r, sc, v->sector);
        cell_sym(&r, sc, v->occupation);
        cell_date(&r, v->start);
        cell_date(&r, v->end);
        cell_long(&r, v->headcount);
        cell(&r, wage);
        cell_syms(&r, sc, v->req_skills.v, v->req_skills.n);
        cell_syms(&r, sc, v->req_trainings.v, v->req_trainings.n);
        cell_syms(&r, sc, v->req_languages.v, v->req_languages.n);
        cell_long(&r, v->min_campaigns);
        cell(&r, named.ptr);
        cell(&r, v->hold_named ? "true" : "false");
        rc = row_end(&r);
        clb_buf_dispose(&named);
    }
    return rc;
}

static int export_employers_csv(clb_buf *out, const clb_scenario *sc)
{
    int rc = clb__buf_puts(out, "id,name,region,association\n");
    for (size_t i = 0; i < sc->n_employers && rc == 0; i++) {
        const clb_employer_rec *e = &sc->employers[i];
        csv_row r = row_begin(out, rc);
        cell(&r, e->id);
        cell(&r, e->name);
        cell_sym(&r, sc, e->region);
        cell_sym(&r, sc, e->association);
        rc = row_end(&r);
    }
    return rc;
}

static int export_placements_csv(clb_buf *out, clb_store *st, long round, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc, error = clb__store_prep(st, &s,
                                    PLACEMENT_SELECT " WHERE (?1 <= 0 OR" IN_ROUND("?1") ")"
                                                     " ORDER BY p.id",
                                    err);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, round);
    rc = clb__buf_puts(out, PLACEMENT_CSV_HEADER);
    while (rc == 0 && sqlite3_step(s) == SQLITE_ROW)
        rc = clb__store_placement_csv(out, s);
    sqlite3_finalize(s);
    return rc < 0 ? clb__oom(err) : 0;
}

/* Rewrite the CSV in `out` in the spreadsheet form (CLB_EXPORT_EXCEL). */
static int to_excel(clb_buf *out, clb_error *err)
{
    clb_buf excel = CLB_BUF_INIT;
    int error = clb__csv_to_excel(&excel, out->ptr ? out->ptr : "", out->size, err);
    if (error == 0) {
        clb_buf tmp = *out;
        *out = excel;
        excel = tmp;
    }
    clb_buf_dispose(&excel);
    return error;
}

int clb_store_export(clb_buf *out, clb_store *st, clb_export_kind kind, long round,
                     unsigned flags, clb_error *err)
{
    clb_buf doc = CLB_BUF_INIT;
    clb_scenario *sc = NULL;
    sqlite3_stmt *s = NULL;
    int error, rc = 0;
    bool names = flags & CLB_EXPORT_NAMES;

    if ((flags & CLB_EXPORT_EXCEL) &&
        (kind == CLB_EXPORT_SCENARIO || kind == CLB_EXPORT_RESULT || kind == CLB_EXPORT_INPUTS))
        return clb__error_set(err, CLB_EINVAL,
                              "--excel applies to the CSV exports (workers, vacancies, "
                              "employers, placements)");
    if ((error = clb__store_read_begin(st, err)) < 0)
        return error;
    if (kind == CLB_EXPORT_RESULT || kind == CLB_EXPORT_INPUTS ||
        (kind == CLB_EXPORT_PLACEMENTS_CSV && round != 0)) {
        if (round <= 0 && (error = clb_store_round_latest(&round, st, err)) == 0 &&
            round == 0)
            error = clb__error_set(err, CLB_ENOTFOUND, "there are no rounds yet");
        if (error == 0)
            error = clb__store_round_exists(st, round, err);
        if (error < 0)
            goto done;
    }
    switch (kind) {
    case CLB_EXPORT_RESULT:
    case CLB_EXPORT_INPUTS:
        if ((error = clb__store_prep(st, &s,
                                     kind == CLB_EXPORT_RESULT
                                         ? "SELECT result FROM rounds WHERE id = ?"
                                         : "SELECT inputs FROM rounds WHERE id = ?",
                                     err)) < 0)
            goto done;
        sqlite3_bind_int64(s, 1, round);
        if (sqlite3_step(s) == SQLITE_ROW) {
            const char *t = clb__store_col_text0(s, 0);
            rc = clb__buf_puts(out, t);
            if (rc == 0 && (!*t || t[strlen(t) - 1] != '\n'))
                rc = clb__buf_puts(out, "\n");
        }
        break;
    case CLB_EXPORT_PLACEMENTS_CSV:
        error = export_placements_csv(out, st, round, err);
        break;
    default: {
        clb__store_assemble_opts ao;
        memset(&ao, 0, sizeof(ao));
        ao.all = flags & CLB_EXPORT_ALL;
        ao.names = names;
        ao.name = "circulab-export";
        if ((error = clb__store_assemble(&doc, st, &ao, err)) < 0)
            goto done;
        if ((error = clb_scenario_load_buffer(&sc, doc.ptr, doc.size, "database", NULL,
                                              err)) < 0)
            goto done;
        if (kind == CLB_EXPORT_SCENARIO)
            rc = clb__scenario_save_doc(out, sc,
                                       CLB_SAVE_HISTORY | (names ? CLB_SAVE_NAME : 0u));
        else if (kind == CLB_EXPORT_WORKERS_CSV)
            rc = export_workers_csv(out, sc, names);
        else if (kind == CLB_EXPORT_VACANCIES_CSV)
            rc = export_vacancies_csv(out, sc);
        else
            rc = export_employers_csv(out, sc);
    }
    }
    if (error == 0 && rc < 0)
        error = clb__oom(err);
    if (error == 0 && (flags & CLB_EXPORT_EXCEL))
        error = to_excel(out, err);
done:
    sqlite3_finalize(s);
    clb_scenario_free(sc);
    clb_buf_dispose(&doc);
    return clb__store_tx_end(st, error, err);
}

/* ---- explain ------------------------------------------------------------------- */

/* Read (worker, other) id pairs of a round into a plan's index pairs. */
static int read_index_pairs(clb_store *st, const char *sql, long round,
                            const clb_scenario *sc, int kind, clb_plan_item **out,
                            size_t *n, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    size_t cap = 0;
    int error = clb__store_prep(st, &s, sql, err);
    *out = NULL;
    *n = 0;
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, round);
    while (error == 0 && sqlite3_step(s) == SQLITE_ROW) {
        int32_t w = clb__scenario_worker_index(sc, clb__store_col_text0(s, 0)), o;
        const char *id = clb__store_col_text0(s, 1);
        o = clb__scenario_lookup(sc,
                                 kind == 0   ? &sc->vacancy_by_sym
                                 : kind == 1 ? &sc->session_by_sym
                                             : &sc->programme_by_sym,
                                 id);
        if (w < 0 || o < 0) {
            error = clb__error_set(
                err, CLB_EINTERNAL,
                "round %ld: stored plan names '%s'/'%s', not in its inputs", round,
                clb__store_col_text0(s, 0), clb__store_col_text0(s, 1));
            break;
        }
        if (*n == cap) {
            clb_plan_item *a;
            cap = cap ? cap * 2 : 64;
            if (!(a = clb__realloc(*out, cap * sizeof(*a)))) {
                error = clb__oom(err);
                break;
            }
            *out = a;
        }
        (*out)[*n].worker = (uint32_t)w;
        (*out)[*n].other = (uint32_t)o;
        (*n)++;
    }
    sqlite3_finalize(s);
    return error;
}

int clb_store_explain(clb_explanation **out, clb_store *st, long round, const char *worker,
                      const char *vacancy, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    clb_scenario *sc = NULL;
    clb_plan p;
    int error;

    memset(&p, 0, sizeof(p));
    *out = NULL;
    if ((worker != NULL) == (vacancy != NULL))
        return clb__error_set(err, CLB_EINVAL,
                              "explain needs --worker or --vacancy (one)");
    if ((error = clb__store_read_begin(st, err)) < 0)
        return error;
    if (round <= 0 && (error = clb_store_round_latest(&round, st, err)) == 0 &&
        round == 0)
        error = clb__error_set(err, CLB_ENOTFOUND, "there are no rounds yet");
    if (error < 0 || (error = clb__store_round_exists(st, round, err)) < 0)
        goto done;
    if ((error = clb__store_prep(st, &s, "SELECT inputs FROM rounds WHERE id = ?", err)) <
        0)
        goto done;
    sqlite3_bind_int64(s, 1, round);
    if (sqlite3_step(s) != SQLITE_ROW) {
        error = clb__store_db_error(st, err, "read round");
        goto done;
    }
    {
        const char *t = clb__store_col_text0(s, 0);
        if ((error = clb_scenario_load_buffer(&sc, t, strlen(t), "round inputs", NULL,
                                              err)) < 0)
            goto done;
    }
    if ((error = read_index_pairs(st,
                                  "SELECT p.worker_id, p.vacancy_id FROM placements p"
                                  " WHERE" IN_ROUND("?1") " ORDER BY p.id",
                                  round, sc, 0, &p.placements, &p.n_placements, err)) < 0 ||
        (error = read_index_pairs(st,
                                  "SELECT worker_id, session_id FROM training"
                                  " WHERE round_id = ?",
                                  round, sc, 1, &p.training, &p.n_training, err)) < 0 ||
        (error = read_index_pairs(st,
                                  "SELECT worker_id, programme_id FROM reintegration"
                                  " WHERE round_id = ?",
                                  round, sc, 2, &p.enrolments, &p.n_enrolments, err)) < 0)
        goto done;
    error = clb__explain_build(out, sc, &p, round, worker, vacancy, err);
done:
    clb__plan_dispose(&p);
    sqlite3_finalize(s);
    clb_scenario_free(sc);
    return clb__store_tx_end(st, error, err);
}
