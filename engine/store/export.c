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

/* Append one CSV field (the one cell writer: quoting, formula guard) and a separator. */
static int csv_field(clb_buf *out, const char *v, bool last)
{
    int rc = clb__buf_put_csv_cell(out, v);
    if (rc == 0)
        rc = clb__buf_puts(out, last ? "\n" : ",");
    return rc;
}

static int csv_symlist(clb_buf *out, const clb_scenario *sc, const int32_t *v, size_t n,
                       bool last)
{
    clb_buf tmp = CLB_BUF_INIT;
    int rc = clb__buf_put(&tmp, "", 0);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = clb__buf_printf(&tmp, "%s%s", i ? ";" : "", clb_sym(sc, v[i]));
    if (rc == 0)
        rc = csv_field(out, tmp.ptr, last);
    clb_buf_dispose(&tmp);
    return rc;
}

static int csv_matches(clb_buf *out, const clb_scenario *sc, const clb_match *m,
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
    if (rc == 0)
        rc = csv_field(out, tmp.ptr, false);
    clb_buf_dispose(&tmp);
    return rc;
}

static int csv_date(clb_buf *out, clb_date d, bool last)
{
    char tmp[16] = "";
    if (d != CLB_DATE_NONE)
        clb__date_format(tmp, d);
    return csv_field(out, tmp, last);
}

static int csv_long(clb_buf *out, long v, bool last)
{
    char tmp[32];
    snprintf(tmp, sizeof(tmp), "%ld", v);
    return csv_field(out, tmp, last);
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
        rc = csv_field(out, w->id, false);
        if (rc == 0 && names)
            rc = csv_field(out, w->name, false);
        if (rc == 0)
            rc = csv_date(out, w->birth, false);
        if (rc == 0)
            rc = csv_field(out, sex, false);
        if (rc == 0)
            rc = csv_field(out, clb_sym(sc, w->country), false);
        if (rc == 0)
            rc = csv_field(out, w->region >= 0 ? clb_sym(sc, w->region) : "", false);
        if (rc == 0)
            rc = csv_symlist(out, sc, w->languages.v, w->languages.n, false);
        if (rc == 0)
            rc = csv_symlist(out, sc, w->skills.v, w->skills.n, false);
        if (rc == 0)
            rc = csv_symlist(out, sc, w->trainings.v, w->trainings.n, false);
        if (rc == 0)
            rc = csv_date(out, w->avail_from, false);
        if (rc == 0)
            rc = csv_date(out, w->avail_to, false);
        if (rc == 0)
            rc = csv_matches(out, sc, w->prefs, w->n_prefs);
        if (rc == 0)
            rc = csv_matches(out, sc, w->excludes, w->n_excludes);
        if (rc == 0)
            rc = csv_long(out, w->campaigns, false);
        if (rc == 0)
            rc = csv_field(out, w->returned ? "true" : "false", false);
        if (rc == 0)
            rc = csv_field(
                out, w->last_employer >= 0 ? clb_sym(sc, w->last_employer) : "", false);
        if (rc == 0)
            rc = csv_date(out, w->last_return, false);
        if (rc == 0)
            rc = csv_long(out, w->days_abroad, false);
        if (rc == 0)
            rc = csv_date(out, w->banned_until, true);
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
        if (!isnan(v->wage_month_eur))
            snprintf(wage, sizeof(wage), "%.15g", v->wage_month_eur);
        rc = clb__buf_put(&named, "", 0);
        for (uint32_t k = 0; k < v->n_named_ids && rc == 0; k++)
            rc = clb__buf_printf(&named, "%s%s", k ? ";" : "", v->named_ids[k]);
        if (rc == 0)
            rc = csv_field(out, v->id, false);
        if (rc == 0)
            rc = csv_field(out, sc->employers[v->employer].id, false);
        if (rc == 0)
            rc = csv_field(out, site->implicit ? "" : site->id, false);
        if (rc == 0)
            rc = csv_field(out, v->sector >= 0 ? clb_sym(sc, v->sector) : "", false);
        if (rc == 0)
            rc = csv_field(out, v->occupation >= 0 ? clb_sym(sc, v->occupation) : "",
                           false);
        if (rc == 0)
            rc = csv_date(out, v->start, false);
        if (rc == 0)
            rc = csv_date(out, v->end, false);
        if (rc == 0)
            rc = csv_long(out, v->headcount, false);
        if (rc == 0)
            rc = csv_field(out, wage, false);
        if (rc == 0)
            rc = csv_symlist(out, sc, v->req_skills.v, v->req_skills.n, false);
        if (rc == 0)
            rc = csv_symlist(out, sc, v->req_trainings.v, v->req_trainings.n, false);
        if (rc == 0)
            rc = csv_symlist(out, sc, v->req_languages.v, v->req_languages.n, false);
        if (rc == 0)
            rc = csv_long(out, v->min_campaigns, false);
        if (rc == 0)
            rc = csv_field(out, named.ptr, false);
        if (rc == 0)
            rc = csv_field(out, v->hold_named ? "true" : "false", true);
        clb_buf_dispose(&named);
    }
    return rc;
}

static int export_employers_csv(clb_buf *out, const clb_scenario *sc)
{
    int rc = clb__buf_puts(out, "id,name,region,association\n");
    for (size_t i = 0; i < sc->n_employers && rc == 0; i++) {
        const clb_employer_rec *e = &sc->employers[i];
        rc = csv_field(out, e->id, false);
        if (rc == 0)
            rc = csv_field(out, e->name, false);
        if (rc == 0)
            rc = csv_field(out, clb_sym(sc, e->region), false);
        if (rc == 0)
            rc = csv_field(out, e->association >= 0 ? clb_sym(sc, e->association) : "",
                           true);
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
    rc =
        clb__buf_puts(out, "placement,round,worker,vacancy,employer,site,start,end,value,"
                           "status,departed_on,returned_on\n");
    while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
        char value[40];
        snprintf(value, sizeof(value), "%.15g", sqlite3_column_double(s, 7));
        rc = csv_long(out, (long)sqlite3_column_int64(s, 0), false);
        if (rc == 0)
            rc = csv_long(out, (long)sqlite3_column_int64(s, 11), false);
        for (int c = 1; c <= 6 && rc == 0; c++)
            rc = csv_field(out, clb__store_col_text(s, c), false);
        if (rc == 0)
            rc = csv_field(out, value, false);
        if (rc == 0)
            rc = csv_field(out, clb__store_col_text(s, 8), false);
        if (rc == 0)
            rc = csv_field(out, clb__store_col_text(s, 9), false);
        if (rc == 0)
            rc = csv_field(out, clb__store_col_text(s, 10), true);
    }
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
