/*
 * pins.c - the database's pins (docs/FORMATS.md §2.8): list, add, release, and the
 * release of pins a season close leaves behind.
 *
 * A pin says "this placement must be in the next round". The database keeps them in
 * `pairs` (kind 'pin'); rounds read those whose worker is active and whose vacancy is
 * open. They are managed here, one command per change, each audited (`pin.add`,
 * `pin.release` with before/after and the actor), because an imported document may
 * bring pins only while the database has no rounds (import.c).
 *
 * Adding a pin is a change like any other: inside its transaction the database must
 * still assemble into scenarios the scenario reader accepts (clb__store_check_valid),
 * so a pin on an ineligible pair is refused with the reader's own words (the failed
 * eligibility rule), never stored. Releasing a pin cannot make the database invalid.
 * A season close releases the pins of the vacancies it closes: their round is over,
 * and a pin on a closed vacancy would come back if the vacancy were ever reopened,
 * against a history the close has moved on.
 */
#include "store/store_impl.h"
#include "rules/eligibility.h"
#include "util/util.h"
#include "util/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_text(const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    char *p = clb__malloc(n);
    if (p)
        memcpy(p, s ? s : "", n);
    return p;
}

/* {"worker":W,"vacancy":V}, the pin's stored document (and its audit form). */
static int pin_doc(clb_buf *out, const char *worker, const char *vacancy)
{
    int rc = clb__buf_puts(out, "{\"worker\":");
    if (rc == 0)
        rc = clb__buf_put_json_string(out, worker);
    if (rc == 0)
        rc = clb__buf_puts(out, ",\"vacancy\":");
    if (rc == 0)
        rc = clb__buf_put_json_string(out, vacancy);
    return rc == 0 ? clb__buf_puts(out, "}") : rc;
}

/* The audit detail: {"reason":..., "note":...} (note may be NULL). */
static int detail_doc(clb_buf *out, const char *reason, const char *note)
{
    int rc = clb__buf_puts(out, "{\"reason\":");
    if (rc == 0)
        rc = clb__buf_put_json_string(out, reason);
    if (rc == 0 && note) {
        rc = clb__buf_puts(out, ",\"note\":");
        if (rc == 0)
            rc = clb__buf_put_json_string(out, note);
    }
    return rc == 0 ? clb__buf_puts(out, "}") : rc;
}

/* One row of `sql` (bound to a and b), column 0 as int into *out; -1 when no row. */
static int query_int(int *out, clb_store *st, const char *sql, const char *a,
                     const char *b, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc, error = clb__store_prep(st, &s, sql, err);
    if (error < 0)
        return error;
    clb__store_bind_text(s, 1, a);
    if (b)
        clb__store_bind_text(s, 2, b);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(s, 0);
    else if (rc == SQLITE_DONE)
        *out = -1;
    else
        error = clb__store_db_error(st, err, "read");
    sqlite3_finalize(s);
    return error;
}

int clb_store_pin_list(clb_buf *out, clb_store *st, unsigned flags, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    bool json = flags & CLB_STORE_JSON, csv = flags & CLB_STORE_CSV;
    size_t n = 0;
    int rc = 0, error;

    if ((error = clb__store_read_begin(st, err)) < 0)
        return error;
    error = clb__store_prep(
        st, &s,
        "SELECT p.worker_id, p.vacancy_id, coalesce(v.status, 'unknown'),"
        " coalesce(w.active, 0) FROM pairs p LEFT JOIN vacancies v ON v.id = p.vacancy_id"
        " LEFT JOIN workers w ON w.id = p.worker_id WHERE p.kind = 'pin'"
        " ORDER BY p.worker_id, p.vacancy_id",
        err);
    if (error == 0) {
        rc = clb__buf_puts(out, json  ? "["
                                : csv ? "worker,vacancy,vacancy_status,in_rounds\n"
                                      : "");
        while (rc == 0 && (error = sqlite3_step(s)) == SQLITE_ROW) {
            const char *w = clb__store_col_text(s, 0), *v = clb__store_col_text(s, 1),
                       *status = clb__store_col_text(s, 2);
            bool active = sqlite3_column_int(s, 3) != 0;
            bool in_rounds = active && strcmp(status, "open") == 0;
            if (csv) {
                /* the columns of --json, each cell through the formula guard */
                rc = clb__buf_put_csv_cell(out, w);
                if (rc == 0)
                    rc = clb__buf_puts(out, ",");
                if (rc == 0)
                    rc = clb__buf_put_csv_cell(out, v);
                if (rc == 0)
                    rc = clb__buf_printf(out, ",%s,%s\n", status,
                                         in_rounds ? "true" : "false");
            } else if (json) {
                rc = clb__buf_puts(out, n ? ",\n  {\"worker\":" : "\n  {\"worker\":");
                if (rc == 0)
                    rc = clb__buf_put_json_string(out, w);
                if (rc == 0)
                    rc = clb__buf_puts(out, ",\"vacancy\":");
                if (rc == 0)
                    rc = clb__buf_put_json_string(out, v);
                if (rc == 0)
                    rc = clb__buf_printf(out, ",\"vacancy_status\":\"%s\",\"in_rounds\":%s}",
                                        status, in_rounds ? "true" : "false");
            } else {
                if (n == 0)
                    rc = clb__buf_printf(out, "%-24s %-24s %s\n", "worker", "vacancy",
                                        "vacancy status");
                if (rc == 0)
                    rc = clb__buf_printf(out, "%-24s %-24s %s%s\n", w, v, status,
                                        active ? "" : " (worker inactive)");
            }
            n++;
        }
        if (rc < 0)
            error = clb__oom(err);
        else if (error != SQLITE_DONE)
            error = clb__store_db_error(st, err, "read pins");
        else {
            error = 0;
            if (json)
                rc = clb__buf_puts(out, n ? "\n]\n" : "]\n");
            else if (n == 0 && !csv)
                rc = clb__buf_puts(out, "no pins\n");
            if (rc < 0)
                error = clb__oom(err);
        }
    }
    sqlite3_finalize(s);
    return clb__store_tx_end(st, error, err);
}

int clb_store_pin_add(clb_buf *out, clb_store *st, const char *worker, const char *vacancy,
                      const char *note, clb_buf *problems, clb_error *err)
{
    clb_buf doc = CLB_BUF_INIT, detail = CLB_BUF_INIT;
    sqlite3_stmt *s = NULL;
    int active = -1, open = -1, exists = -1, error;

    if ((error = clb__store_tx_begin(st, err)) < 0)
        return error;
    if ((error = query_int(&active, st, "SELECT active FROM workers WHERE id = ?", worker,
                           NULL, err)) < 0 ||
        (error = query_int(&open, st,
                           "SELECT status = 'open' FROM vacancies WHERE id = ?", vacancy,
                           NULL, err)) < 0 ||
        (error = query_int(&exists, st,
                           "SELECT 1 FROM pairs WHERE kind = 'pin' AND worker_id = ?"
                           " AND vacancy_id = ?",
                           worker, vacancy, err)) < 0)
        goto done;
    if (active < 0)
        error = clb__error_set(err, CLB_EINVAL, "unknown worker '%s'", worker);
    else if (active == 0)
        error = clb__error_set(err, CLB_EINVAL, "worker '%s' is not active", worker);
    else if (open < 0)
        error = clb__error_set(err, CLB_EINVAL, "unknown vacancy '%s'", vacancy);
    else if (open == 0)
        error = clb__error_set(err, CLB_EINVAL,
                              "vacancy '%s' is not open: only open vacancies can be pinned",
                              vacancy);
    if (error < 0)
        goto done;
    if (exists > 0) {
        if (out && clb__buf_printf(out, "pin (%s, %s) is already there, unchanged\n", worker, vacancy) <
                       0)
            error = clb__oom(err);
        goto done;
    }
    if (pin_doc(&doc, worker, vacancy) < 0 || detail_doc(&detail, "pin add", note) < 0) {
        error = clb__oom(err);
        goto done;
    }
    if ((error = clb__store_prep(st, &s,
                                 "INSERT INTO pairs(kind, worker_id, vacancy_id,"
                                 " employer_id, value, doc) VALUES ('pin', ?, ?, '', NULL, ?)",
                                 err)) < 0)
        goto done;
    clb__store_bind_text(s, 1, worker);
    clb__store_bind_text(s, 2, vacancy);
    clb__store_bind_text(s, 3, doc.ptr);
    if ((error = clb__store_step_done(st, s, err)) < 0 ||
        (error = clb__store_check_valid(st, problems, err)) < 0 ||
        (error = clb__store_audit(st, "pin.add", worker, NULL, doc.ptr, detail.ptr, err)) <
            0)
        goto done;
    if (out && clb__buf_printf(out, "pinned %s to %s\n", worker, vacancy) < 0)
        error = clb__oom(err);
done:
    sqlite3_finalize(s);
    clb_buf_dispose(&doc);
    clb_buf_dispose(&detail);
    return clb__store_tx_end(st, error, err);
}

/* Delete the pin (worker, vacancy) and audit it; *gone = whether there was one. */
int clb__store_release_pin(clb_store *st, const char *worker, const char *vacancy,
                       const char *reason, const char *note, bool *gone, clb_error *err)
{
    clb_buf doc = CLB_BUF_INIT, detail = CLB_BUF_INIT;
    sqlite3_stmt *s = NULL;
    int error;

    *gone = false;
    if (pin_doc(&doc, worker, vacancy) < 0 || detail_doc(&detail, reason, note) < 0) {
        error = clb__oom(err);
        goto done;
    }
    if ((error = clb__store_prep(st, &s,
                                 "DELETE FROM pairs WHERE kind = 'pin' AND worker_id = ?"
                                 " AND vacancy_id = ?",
                                 err)) < 0)
        goto done;
    clb__store_bind_text(s, 1, worker);
    clb__store_bind_text(s, 2, vacancy);
    if ((error = clb__store_step_done(st, s, err)) < 0)
        goto done;
    *gone = sqlite3_changes(st->db) > 0;
    if (*gone)
        error = clb__store_audit(st, "pin.release", worker, doc.ptr, NULL, detail.ptr, err);
done:
    sqlite3_finalize(s);
    clb_buf_dispose(&doc);
    clb_buf_dispose(&detail);
    return error;
}

int clb_store_pin_release(clb_buf *out, clb_store *st, const char *worker,
                          const char *vacancy, const char *note, clb_error *err)
{
    bool gone = false;
    int error = clb__store_tx_begin(st, err);
    if (error < 0)
        return error;
    error = clb__store_release_pin(st, worker, vacancy, "pin release", note, &gone, err);
    /* Releasing a pin that is not there leaves the database as asked: reported
     * unchanged, as `pin add` of an existing pin and a placement already in the target
     * state are, so a repeated command is harmless. An unknown worker or vacancy is
     * still an error (a typo must not pass as "already released"). */
    if (error == 0 && !gone)
        error = clb__store_known(st, "worker", worker, err);
    if (error == 0 && !gone)
        error = clb__store_known(st, "vacancy", vacancy, err);
    if (error == 0 && out &&
        clb__buf_printf(out, gone ? "released pin (%s, %s)\n"
                                  : "no pin (%s, %s), unchanged\n",
                        worker, vacancy) < 0)
        error = clb__oom(err);
    return clb__store_tx_end(st, error, err);
}

int clb__store_release_closed_pins(clb_store *st, size_t *count, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    char **ids = NULL;
    size_t n = 0, cap = 0;
    int error = clb__store_prep(st, &s,
                                "SELECT p.worker_id, p.vacancy_id FROM pairs p"
                                " LEFT JOIN vacancies v ON v.id = p.vacancy_id"
                                " WHERE p.kind = 'pin' AND coalesce(v.status, '') <> 'open'"
                                " ORDER BY p.worker_id, p.vacancy_id",
                                err);
    int rc = SQLITE_DONE;
    *count = 0;
    while (error == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (n + 2 > cap) {
            size_t c2 = cap ? cap * 2 : 16;
            char **p = clb__realloc(ids, c2 * sizeof(*p));
            if (!p) {
                error = clb__oom(err);
                break;
            }
            ids = p;
            cap = c2;
        }
        ids[n] = dup_text(clb__store_col_text(s, 0));
        ids[n + 1] = dup_text(clb__store_col_text(s, 1));
        n += 2;
        if (!ids[n - 2] || !ids[n - 1])
            error = clb__oom(err);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = clb__store_db_error(st, err, "read pins");
    sqlite3_finalize(s);
    for (size_t i = 0; error == 0 && i < n; i += 2) {
        bool gone;
        error = clb__store_release_pin(st, ids[i], ids[i + 1], "season close", NULL, &gone, err);
        if (gone)
            (*count)++;
    }
    for (size_t i = 0; i < n; i++)
        clb__free(ids[i]);
    clb__free(ids);
    return error;
}

/*
 * Release the pins a change has made ineligible, for a change that must not be refused
 * (a season close moves histories on: a pinned worker may now be banned or home too
 * short a time). The next round's inputs are assembled without pins and read by the
 * scenario reader; each pin of an active worker on an open vacancy is then judged by
 * the eligibility rules on that scenario, and released (audited with its failed rules)
 * when it fails. When the inputs do not load at all nothing is judged: the reader's
 * refusal will say why at the next change.
 */
int clb__store_release_ineligible_pins(clb_store *st, const char *reason, size_t *count,
                                       clb_error *err)
{
    clb__store_assemble_opts o;
    clb_buf doc = CLB_BUF_INIT, why = CLB_BUF_INIT;
    clb_scenario *sc = NULL;
    sqlite3_stmt *s = NULL;
    char **pairs = NULL;
    size_t n = 0, cap = 0;
    int error, rc = SQLITE_DONE;

    *count = 0;
    memset(&o, 0, sizeof(o));
    o.round = true;
    o.no_pins = true;
    if ((error = clb__store_open_season(st, &o.season, err)) < 0 ||
        (error = clb__store_assemble(&doc, st, &o, err)) < 0)
        goto done;
    if (clb_scenario_load_buffer(&sc, doc.ptr, doc.size, "database", NULL, NULL) < 0)
        goto done; /* not judged */
    if ((error = clb__store_prep(st, &s,
                      "SELECT p.worker_id, p.vacancy_id FROM pairs p"
                      " JOIN workers w ON w.id = p.worker_id AND w.active = 1"
                      " JOIN vacancies v ON v.id = p.vacancy_id AND v.status = 'open'"
                      " WHERE p.kind = 'pin' ORDER BY p.worker_id, p.vacancy_id",
                      err)) < 0)
        goto done;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int32_t wi = clb__scenario_worker_index(sc, clb__store_col_text0(s, 0));
        int32_t vi = clb__scenario_vacancy_index(sc, clb__store_col_text0(s, 1));
        unsigned mask;
        if (wi < 0 || vi < 0 ||
            !(mask = clb__eligibility_check(sc, (uint32_t)wi, (uint32_t)vi)))
            continue;
        if (n + 3 > cap) {
            size_t c2 = cap ? cap * 2 : 24;
            char **p = clb__realloc(pairs, c2 * sizeof(*p));
            if (!p) {
                error = clb__oom(err);
                goto done;
            }
            pairs = p;
            cap = c2;
        }
        clb__buf_clear(&why);
        for (unsigned b = 0; b < 32; b++)
            if ((mask & (1u << b)) && clb_rule_name(1u << b))
                clb__buf_printf(&why, "%s%s", why.size ? ", " : "",
                                clb_rule_name(1u << b));
        pairs[n] = clb__strdup(clb__store_col_text0(s, 0));
        pairs[n + 1] = clb__strdup(clb__store_col_text0(s, 1));
        pairs[n + 2] = clb__strdup(why.ptr ? why.ptr : "");
        n += 3;
        if (!pairs[n - 3] || !pairs[n - 2] || !pairs[n - 1]) {
            error = clb__oom(err);
            goto done;
        }
    }
    if (rc != SQLITE_DONE) {
        error = clb__store_db_error(st, err, "read pins");
        goto done;
    }
    for (size_t i = 0; i < n && error == 0; i += 3) {
        bool gone = false;
        clb_buf note = CLB_BUF_INIT;
        if (clb__buf_printf(&note, "no longer eligible: %s", pairs[i + 2]) < 0)
            error = clb__oom(err);
        else
            error = clb__store_release_pin(st, pairs[i], pairs[i + 1], reason, note.ptr,
                                           &gone, err);
        clb_buf_dispose(&note);
        if (gone)
            (*count)++;
    }
done:
    for (size_t i = 0; i < n; i++)
        clb__free(pairs[i]);
    clb__free(pairs);
    sqlite3_finalize(s);
    clb_scenario_free(sc);
    clb_buf_dispose(&doc);
    clb_buf_dispose(&why);
    return error;
}
