/*
 * assemble.c - the database read back as scenario documents, and the checks every
 * change passes before it commits.
 *
 * Each record is kept as the canonical JSON of scenario/save.c in a `doc` column
 * beside the key columns queries need; a round's scenario is assembled by
 * concatenating records and read back with the one scenario reader, so the database
 * never has its own idea of what a record means. Worker history lives in columns
 * (season close rewrites it) and is added to the worker's record here; worker names
 * live in a column and enter documents only for an export that asks for them.
 * Forgotten workers (forget.c) are in no assembled document: they are inactive, and
 * the whole record leaves them out too.
 * The checks (still valid, confirmed placements still holding, still solvable) are
 * the reader's and the solver's own rules applied to these documents: there is no
 * second list of rules in the store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"
#include "scenario/diags.h"
#include "scenario/scenario_impl.h"
#include "util/alloc.h"

/* Append a worker record from a row (doc, name, history columns) with its history. */
int clb__store_put_worker_row(clb_buf *out, sqlite3_stmt *s, int c, bool names)
{
    /* columns c..: doc, name, campaigns, returned, last_employer, last_return,
     * days_abroad, banned_until */
    const char *doc = clb__store_col_text0(s, c);
    size_t n = strlen(doc);
    int rc;
    if (n < 2 || doc[n - 1] != '}')
        return CLB_EINTERNAL;
    rc = clb__buf_put(out, doc, n - 1);
    if (rc == 0 && names && clb__store_col_text(s, c + 1)) {
        rc = clb__buf_puts(out, ",\"name\":");
        if (rc == 0)
            rc = clb__buf_put_json_string(out, clb__store_col_text(s, c + 1));
    }
    if (rc == 0) {
        clb__history h;
        clb__store_history_read(&h, s, c + 2);
        rc = clb__buf_puts(out, ",\"history\":");
        if (rc == 0)
            rc = clb__store_put_history(out, &h);
    }
    if (rc == 0)
        rc = clb__buf_puts(out, "}");
    return rc < 0 ? CLB_ENOMEM : 0;
}

/*
 * Append `"key":[rows...]` from a query whose column 0 is a record document (or, with
 * worker_rows, the WORKER_COLS). `season` is bound to every parameter of the query
 * when non-zero. Returns 0 or an error; *count receives the number of rows.
 */
int clb__store_put_array(clb_buf *out, clb_store *st, const char *key, const char *sql,
                         long season, bool worker_rows, bool names, size_t *count,
                         clb_error *err)
{
    sqlite3_stmt *s = NULL;
    size_t n = 0;
    int rc, error = clb__store_prep(st, &s, sql, err);
    if (error < 0)
        return error;
    for (int i = 1; i <= sqlite3_bind_parameter_count(s); i++)
        sqlite3_bind_int64(s, i, season);
    rc = clb__buf_printf(out, ",\n\"%s\":[", key);
    while (rc == 0 && (error = sqlite3_step(s)) == SQLITE_ROW) {
        if (n++)
            rc = clb__buf_puts(out, ",\n");
        if (rc == 0) {
            if (worker_rows)
                rc = clb__store_put_worker_row(out, s, 0, names);
            else
                rc = clb__buf_puts(out, clb__store_col_text0(s, 0));
        }
    }
    if (rc < 0)
        error = rc == CLB_EINTERNAL ? clb__error_set(err, CLB_EINTERNAL,
                                                    "a stored worker record is damaged")
                                    : clb__oom(err);
    else if (error != SQLITE_DONE)
        error = clb__store_db_error(st, err, "read");
    else {
        error = 0;
        if (clb__buf_puts(out, "]") < 0)
            error = clb__oom(err);
    }
    sqlite3_finalize(s);
    if (count)
        *count = n;
    return error;
}

int clb__store_assemble(clb_buf *out, clb_store *st, const clb__store_assemble_opts *o,
                        clb_error *err)
{
    int error = 0;
    bool r = o->round;
    const char *vac_where = o->all ? "" : " WHERE status = 'open'";
    clb_buf sql = CLB_BUF_INIT;

    if (clb__buf_puts(out, "{\"format\":\"circulab-scenario/1\",\"name\":") < 0 ||
        clb__buf_put_json_string(out, o->name ? o->name : "circulab") < 0)
        return clb__oom(err);
    {
        size_t mark = out->size;
        if (clb__buf_puts(out, ",\n\"policy\":") < 0)
            return clb__oom(err);
        size_t before = out->size;
        if ((error = clb__store_policy_doc(out, st, err)) < 0)
            return error;
        if (out->size == before) {
            out->size = mark;
            out->ptr[mark] = 0;
        }
    }
    if ((error = clb__store_put_array(out, st, "workers",
                           r ? "SELECT " WORKER_COLS " FROM workers WHERE active = 1 "
                               "ORDER BY id"
                             : "SELECT " WORKER_COLS " FROM workers"
                               " WHERE forgotten_at IS NULL ORDER BY id",
                           0, true, o->names, NULL, err)) < 0)
        goto done;
    if ((error = clb__store_put_array(out, st, "employers",
                                      "SELECT doc FROM employers ORDER BY id", 0, false,
                                      false, NULL, err)) < 0)
        goto done;
    clb__buf_clear(&sql);
    if (clb__buf_printf(&sql, "SELECT doc FROM vacancies%s ORDER BY id", vac_where) < 0) {
        error = clb__oom(err);
        goto done;
    }
    if ((error = clb__store_put_array(out, st, "vacancies", sql.ptr, 0, false, false,
                                      NULL, err)) < 0)
        goto done;
    if ((error =
             clb__store_put_array(out, st, "quotas", "SELECT doc FROM quotas ORDER BY id",
                                  0, false, false, NULL, err)) < 0)
        goto done;
    clb__buf_clear(&sql);
    if (clb__buf_printf(&sql, "SELECT doc FROM sessions%s ORDER BY id", vac_where) < 0) {
        error = clb__oom(err);
        goto done;
    }
    if ((error = clb__store_put_array(out, st, "sessions", sql.ptr, 0, false, false, NULL,
                                      err)) < 0)
        goto done;
    clb__buf_clear(&sql);
    if (clb__buf_printf(&sql, "SELECT doc FROM programmes%s ORDER BY id", vac_where) <
        0) {
        error = clb__oom(err);
        goto done;
    }
    if ((error = clb__store_put_array(out, st, "programmes", sql.ptr, 0, false, false,
                                      NULL, err)) < 0)
        goto done;
    /* pairs whose worker and vacancy are in the document */
#define PAIR_FILTER(kind)                                                             \
    "SELECT p.doc FROM pairs p JOIN workers w ON w.id = p.worker_id"                  \
    " LEFT JOIN vacancies v ON v.id = p.vacancy_id WHERE p.kind = '" kind "'"         \
    " AND (? = 0 OR w.active = 1)"                                                    \
    " AND (p.vacancy_id = '' OR (v.id IS NOT NULL AND (? = 0 OR v.status = 'open')))" \
    " ORDER BY p.worker_id, p.vacancy_id, p.employer_id"
    {
        long filt = o->all ? 0 : 1; /* bound to both parameters of PAIR_FILTER */
        if ((error = clb__store_put_array(out, st, "scores", PAIR_FILTER("score"), filt,
                                          false, false, NULL, err)) < 0)
            goto done;
        /* pins only on open vacancies, also with --all: a pin instructs a round, and
         * one on a closed vacancy (history the season close made it ineligible for)
         * is no longer an instruction; season close releases them */
        if (!o->no_pins &&
            (error = clb__store_put_array(out, st, "pins", PAIR_FILTER("pin"), 1, false,
                                          false, NULL, err)) < 0)
            goto done;
        if (!r) {
            if ((error = clb__store_put_array(out, st, "bans", PAIR_FILTER("ban"), filt,
                                              false, false, NULL, err)) < 0)
                goto done;
        } else {
            /* stored bans, and the pairs declined this season (each once) */
            if ((error = clb__store_put_array(
                     out, st, "bans",
                     "SELECT doc FROM ("
                     " SELECT p.doc AS doc, p.worker_id AS w, p.vacancy_id AS v,"
                     "  p.employer_id AS e FROM pairs p"
                     "  JOIN workers w ON w.id = p.worker_id AND w.active = 1"
                     "  LEFT JOIN vacancies v ON v.id = p.vacancy_id"
                     "  WHERE p.kind = 'ban' AND (p.vacancy_id = '' OR v.status = 'open')"
                     " UNION"
                     " SELECT json_object('worker', d.worker_id, 'vacancy', d.vacancy_id),"
                     "  d.worker_id, d.vacancy_id, '' FROM placements d"
                     "  JOIN rounds r ON r.id = d.round_id AND r.season_id = ?"
                     "  JOIN workers w ON w.id = d.worker_id AND w.active = 1"
                     "  JOIN vacancies v ON v.id = d.vacancy_id AND v.status = 'open'"
                     "  WHERE d.status = 'declined' AND NOT EXISTS (SELECT 1 FROM pairs q"
                     "   WHERE q.kind = 'ban' AND q.worker_id = d.worker_id"
                     "   AND q.vacancy_id = d.vacancy_id)"
                     ") GROUP BY w, v, e ORDER BY w, v, e",
                     o->season, false, false, NULL, err)) < 0)
                goto done;
            if ((error = clb__store_put_array(
                     out, st, "previous",
                     "SELECT json_object('worker', worker_id, 'vacancy', vacancy_id,"
                     " 'status', st) FROM ("
                     " SELECT p.worker_id, p.vacancy_id, 'confirmed' AS st FROM placements p"
                     "  JOIN rounds r ON r.id = p.round_id AND r.season_id = ?"
                     "  JOIN workers w ON w.id = p.worker_id AND w.active = 1"
                     "  JOIN vacancies v ON v.id = p.vacancy_id AND v.status = 'open'"
                     "  WHERE p.status IN " CONFIRMED_STATES " UNION"
                     " SELECT p.worker_id, p.vacancy_id, 'proposed' FROM placements p"
                     "  JOIN workers w ON w.id = p.worker_id AND w.active = 1"
                     "  JOIN vacancies v ON v.id = p.vacancy_id AND v.status = 'open'"
                     "  WHERE p.status = 'proposed' AND p.round_id ="
                     "   (SELECT max(id) FROM rounds WHERE season_id = ?)"
                     ") GROUP BY worker_id, vacancy_id ORDER BY worker_id, vacancy_id",
                     o->season, false, false, NULL, err)) < 0)
                goto done;
        }
    }
#undef PAIR_FILTER
    if (clb__buf_puts(out, "}\n") < 0)
        error = clb__oom(err);
done:
    clb_buf_dispose(&sql);
    return error;
}

/*
 * What keeps the system of record usable: after any accepted change the database
 * still assembles into scenarios the one scenario reader accepts - the next round's
 * inputs and the whole record (`export --all`). Called inside the change's
 * transaction, before the commit; a refusal (CLB_EINVAL, each problem as a line of
 * `problems` when given) makes the caller roll the change back. The rules are the
 * reader's; there is no second list of them here.
 */
/*
 * The placements of the open season confirmed (or further on) must still have their
 * vacancy: an import, a feed or `vacancy submit` may not withdraw a vacancy that has
 * them, nor lower its headcount below their number (the portal's rule, docs/PORTAL.md §8,
 * is the database's). Otherwise the next round drops the confirmed placements without a
 * word (and proposes their workers elsewhere, over the same dates) or is infeasible for
 * good. Part of check_valid; a refusal is CLB_ESTATE, each vacancy a line of
 * `problems` when given.
 */
int clb__store_check_confirmed_vacancies(clb_store *st, clb_buf *problems, clb_error *err)
{
    sqlite3_stmt *q = NULL;
    size_t n = 0;
    int rc, error;
    char first[320] = "";
    if ((error = clb__store_prep(
             st, &q,
             "SELECT v.id, v.status, v.headcount, count(*) FROM placements p"
             " JOIN rounds r ON r.id = p.round_id"
             " JOIN vacancies v ON v.id = p.vacancy_id"
             " WHERE r.season_id = (SELECT max(id) FROM seasons"
             "  WHERE closed_at IS NULL)"
             " AND p.status IN ('confirmed', 'departed', 'returned', 'not_returned')"
             " GROUP BY v.id"
             " HAVING v.status = 'withdrawn' OR v.headcount < count(*)"
             " ORDER BY v.id",
             err)) < 0)
        return error;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        char line[320];
        long long confirmed = sqlite3_column_int64(q, 3);
        if (strcmp(clb__store_col_text0(q, 1), "withdrawn") == 0)
            snprintf(
                line, sizeof(line),
                "vacancy '%.64s' would be withdrawn with %lld confirmed "
                "placement%s: cancel them first ('circulab placement cancel') or keep "
                "the vacancy open",
                clb__store_col_text0(q, 0), confirmed, confirmed == 1 ? "" : "s");
        else
            snprintf(line, sizeof(line),
                     "vacancy '%.64s': headcount %lld is below its %lld confirmed "
                     "placements",
                     clb__store_col_text0(q, 0), (long long)sqlite3_column_int64(q, 2),
                     confirmed);
        if (n++ == 0)
            memcpy(first, line, sizeof(first));
        if (problems && n <= 20 && clb__buf_printf(problems, "%s\n", line) < 0) {
            error = clb__oom(err);
            break;
        }
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = clb__store_db_error(st, err, "check confirmed placements");
    sqlite3_finalize(q);
    if (error == 0 && n > 0)
        error = clb__error_set(err, CLB_ESTATE, "%s%s", first,
                              n > 1 ? " (and other vacancies)" : "");
    return error;
}

/*
 * Whether the open season's confirmed placements (confirmed, departed, returned,
 * not_returned) and the stored pins still admit a plan after a change (fewer beds or
 * seats, a tighter quota, a clashing pin): otherwise every later round would be
 * infeasible. Skipped when the season has neither; refused as invalid input (the
 * change is what breaks it), naming the pins and limit that cannot hold.
 */
static int check_still_solvable(clb_store *st, clb_error *err)
{
    sqlite3_stmt *q = NULL;
    long season = 0;
    bool any = false;
    int error;
    if ((error = clb__store_open_season(st, &season, err)) < 0 ||
        (error = clb__store_prep(st, &q,
                      "SELECT EXISTS (SELECT 1 FROM placements p JOIN rounds r"
                      " ON r.id = p.round_id WHERE r.season_id = ?1 AND p.status IN"
                      " ('confirmed', 'departed', 'returned', 'not_returned'))"
                      " OR EXISTS (SELECT 1 FROM pairs WHERE kind = 'pin')",
                      err)) < 0)
        return error;
    sqlite3_bind_int64(q, 1, season);
    if (sqlite3_step(q) == SQLITE_ROW)
        any = sqlite3_column_int(q, 0) != 0;
    sqlite3_finalize(q);
    if (!any)
        return 0;
    error = clb__store_check_confirmed(st, season, 0, NULL, err);
    if (error == CLB_EINFEASIBLE) { /* the message stands; the input is at fault */
        error = CLB_EINVAL;
        if (err)
            err->code = CLB_EINVAL;
    }
    return error;
}

int clb__store_check_valid(clb_store *st, clb_buf *problems, clb_error *err)
{
    static const char *const what[2] = {"the next round's inputs", "the whole record"};
    int error = 0, passes = 2;
    sqlite3_stmt *q = NULL;
    if ((error = clb__store_check_confirmed_vacancies(st, problems, err)) < 0)
        return error;
    /* While every record is open and every worker active, the whole record is the
     * round's inputs without their previous plan and declined bans (which only add
     * constraints): one reading judges both. */
    if ((error = clb__store_prep(st, &q,
                      "SELECT EXISTS (SELECT 1 FROM vacancies WHERE status <> 'open')"
                      " OR EXISTS (SELECT 1 FROM sessions WHERE status <> 'open')"
                      " OR EXISTS (SELECT 1 FROM programmes WHERE status <> 'open')"
                      " OR EXISTS (SELECT 1 FROM workers WHERE active = 0)",
                      err)) < 0)
        return error;
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 0)
        passes = 1;
    sqlite3_finalize(q);
    for (int k = 0; k < passes && error == 0; k++) {
        clb__store_assemble_opts o;
        clb_buf doc = CLB_BUF_INIT;
        clb_scenario *sc = NULL;
        clb_diags *diags = NULL;
        clb_error lerr;
        memset(&o, 0, sizeof(o));
        if (k == 0) {
            o.round = true;
            error = clb__store_open_season(st, &o.season, err);
        } else
            o.all = true;
        if (error == 0)
            error = clb__store_assemble(&doc, st, &o, err);
        if (error == 0 && clb_diags_new(&diags) < 0)
            error = clb__oom(err);
        clb_error_init(&lerr);
        if (error == 0 && clb_scenario_load_buffer(&sc, doc.ptr, doc.size, "database",
                                                   diags, &lerr) < 0) {
            size_t n = clb_diags_count(diags);
            const clb_diag *d = n ? clb_diags_get(diags, 0) : NULL;
            bool pin = false;
            /* an allocation that failed earlier in the transaction (SQLite then binds
             * NULL) leaves records the reader refuses: that is out of memory, not
             * invalid input */
            if (lerr.code == CLB_ENOMEM || clb__alloc_failures() != st->tx_alloc_failures)
                error = clb__oom(err);
            for (size_t i = 0; error == 0 && problems && i < n && i < 20; i++) {
                const clb_diag *e = clb_diags_get(diags, i);
                clb__buf_printf(problems, "the change would make %s invalid: %s\n",
                                what[k], e->message);
            }
            for (size_t i = 0; i < n; i++)
                if (clb_diags_get(diags, i)->path &&
                    strncmp(clb_diags_get(diags, i)->path, "$.pins[", 7) == 0)
                    pin = true;
            if (error == 0 && pin && problems)
                clb__buf_puts(problems,
                              "a pin stands in the way: 'circulab pin list' shows "
                              "the pins, 'circulab pin release WORKER VACANCY' "
                              "releases one\n");
            if (error == 0)
                error = clb__error_set(err, CLB_EINVAL,
                                      "the change would make %s invalid (%zu problem%s): "
                                      "%s%s",
                                      what[k], n, n == 1 ? "" : "s",
                                      d ? d->message : lerr.message,
                                      pin ? " (release the pin with 'circulab pin "
                                            "release WORKER VACANCY')"
                                          : "");
        }
        clb_scenario_free(sc);
        clb_diags_free(diags);
        clb_buf_dispose(&doc);
    }
    if (error == 0)
        error = check_still_solvable(st, err);
    return error;
}

int clb__store_next_round(clb_scenario **out, clb_store *st, clb_error *err)
{
    clb__store_assemble_opts o;
    clb_buf doc = CLB_BUF_INIT;
    int error;

    *out = NULL;
    memset(&o, 0, sizeof(o));
    o.round = true;
    o.no_pins = true; /* pins do not change eligibility */
    if ((error = clb__store_open_season(st, &o.season, err)) == 0 &&
        (error = clb__store_assemble(&doc, st, &o, err)) == 0 &&
        clb_scenario_load_buffer(out, doc.ptr, doc.size, "database", NULL, NULL) < 0)
        error = clb__error_set(err, CLB_EINVAL,
                              "the next round's inputs do not load (run 'round run "
                              "--dry-run' to see why)");
    clb_buf_dispose(&doc);
    return error;
}

/* The first diagnostic of a failed load, as the error message. */
int clb__store_assembled_invalid(clb_diags *diags, clb_error *lerr, clb_error *err)
{
    if (diags && clb_diags_count(diags)) {
        const clb_diag *d = clb_diags_get(diags, 0);
        return clb__error_set(
            err, CLB_EINVAL,
            "the round's scenario assembled from the database is invalid "
            "(%zu problem%s): %s: %s",
            clb_diags_count(diags), clb_diags_count(diags) == 1 ? "" : "s",
            d->path ? d->path : "$", d->message);
    }
    return clb__error_set(
        err, lerr->code ? lerr->code : CLB_EINVAL,
        "the round's scenario assembled from the database is invalid: %s", lerr->message);
}

/*
 * Whether the season's confirmed placements (the `previous` confirmed entries of the
 * next round) and the stored pins can all hold together: the round's scenario is
 * assembled inside the caller's transaction, which already holds the new
 * confirmations, and the engine solves the model of the pins alone, naming the
 * pins and constraints that cannot hold (docs/MODEL.md §3.8) when it is infeasible.
 */
int clb__store_check_confirmed(clb_store *st, long season, size_t n_new, const char *verb,
                               clb_error *err)
{
    clb_buf doc = CLB_BUF_INIT;
    clb_scenario *sc = NULL;
    clb_diags *diags = NULL;
    clb_error lerr, serr;
    clb__store_assemble_opts ao;
    int error;

    memset(&ao, 0, sizeof(ao));
    ao.round = true;
    ao.season = season;
    clb_error_init(&lerr);
    clb_error_init(&serr);
    if ((error = clb__store_assemble(&doc, st, &ao, err)) < 0)
        goto done;
    if (clb_diags_new(&diags) < 0) {
        error = clb__oom(err);
        goto done;
    }
    if (clb_scenario_load_buffer(&sc, doc.ptr, doc.size, "database", diags, &lerr) < 0) {
        error = clb__store_assembled_invalid(diags, &lerr, err);
        goto done;
    }
    error = clb_solve_check_pins(sc, &serr);
    if (error == CLB_EINFEASIBLE) {
        const char *why = serr.message;
        if (strncmp(why, "infeasible: ", 12) == 0)
            why += 12;
        if (!verb)
            error = clb__error_set(err, CLB_EINFEASIBLE,
                                  "the change would leave the season's confirmed "
                                  "placements and pins without a plan: %s",
                                  why);
        else
            error = clb__error_set(err, CLB_EINFEASIBLE,
                                  "infeasible: %s %zu placement%s would leave the "
                                  "season's confirmed placements without a plan: %s",
                                  verb, n_new, n_new == 1 ? "" : "s", why);
    }
    else if (error < 0)
        error = clb__error_set(err, error, "%s", serr.message);
done:
    clb_scenario_free(sc);
    clb_diags_free(diags);
    clb_buf_dispose(&doc);
    return error;
}
