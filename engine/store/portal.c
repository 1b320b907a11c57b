/*
 * portal.c - the store's side of the employer portal (docs/PORTAL.md §8): employer
 * tokens (add, list, revoke, check) and the reads and writes the server makes on
 * behalf of one employer.
 *
 * Part of the store module (store_impl.h): it speaks SQL to the same connection with
 * the same helpers, transactions and audit log as the rest of the store (db.c).
 * Every query is filtered by the employer the token belongs to, so that another
 * employer's rows are simply not found. Documents are built by SQLite's JSON functions from the stored canonical
 * records, so the portal shows exactly what the scenario reader stored. Tokens are
 * made and checked through token.c; only the id and the secret's hash reach the
 * database.
 */
#include "store/portal.h"

#include <stdio.h>
#include <string.h>

#include "store/store_impl.h"
#include "io/token.h"
#include "util/util.h"

#define prep clb__store_prep
#define bind_text clb__store_bind_text
#define col_text clb__store_col_text

static const char *col0(sqlite3_stmt *s, int i)
{
    const char *t = col_text(s, i);
    return t ? t : "";
}

/* ---- tokens -------------------------------------------------------------------- */

static bool label_ok(const char *label)
{
    size_t n = strlen(label);
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)label[i] < 0x20 || label[i] == 0x7f)
            return false;
    return true;
}

int clb_store_token_add(clb_buf *token, clb_store *st, const char *employer,
                        const char *label, clb_error *err)
{
    char id[CLB_TOKEN_ID_LEN + 1], tok[CLB_TOKEN_LEN + 1], hash[CLB_TOKEN_HASH_LEN + 1];
    char now[32], detail[200];
    sqlite3_stmt *s = NULL;
    int error;

    if (label && *label && !label_ok(label))
        return clb__error_set(err, CLB_EINVAL,
                             "token label must be 1 to 64 bytes without control "
                             "characters");
    if ((error = clb__token_new(id, tok, hash, err)) < 0)
        return error;
    if (!label || !*label)
        label = id;
    if ((error = clb__store_tx_begin(st, err)) < 0)
        return error;
    if ((error = prep(st, &s, "SELECT 1 FROM employers WHERE id = ?", err)) < 0)
        goto done;
    bind_text(s, 1, employer);
    if (sqlite3_step(s) != SQLITE_ROW) {
        error = clb__error_set(err, CLB_ENOTFOUND, "no employer '%s' in the database",
                              employer);
        goto done;
    }
    sqlite3_finalize(s);
    if ((error = prep(st, &s,
                      "SELECT 1 FROM employer_tokens WHERE employer_id = ? AND label = ?",
                      err)) < 0)
        goto done;
    bind_text(s, 1, employer);
    bind_text(s, 2, label);
    if (sqlite3_step(s) == SQLITE_ROW) {
        error = clb__error_set(err, CLB_EEXISTS, "employer '%s' has a token labelled '%s'",
                              employer, label);
        goto done;
    }
    sqlite3_finalize(s);
    clb__now_iso(now);
    if ((error = prep(st, &s,
                      "INSERT INTO employer_tokens(id, employer_id, label, hash, created_at,"
                      " created_by) VALUES (?,?,?,?,?,?)",
                      err)) < 0)
        goto done;
    bind_text(s, 1, id);
    bind_text(s, 2, employer);
    bind_text(s, 3, label);
    bind_text(s, 4, hash);
    bind_text(s, 5, now);
    bind_text(s, 6, st->actor);
    if ((error = clb__store_step_done(st, s, err)) < 0)
        goto done;
    snprintf(detail, sizeof(detail), "token %s for %s/%s", id, employer, label);
    if ((error = clb__store_audit(st, "token.add", employer, NULL, NULL, detail, err)) < 0)
        goto done;
    if (clb__buf_puts(token, tok) < 0)
        error = clb__oom(err);
done:
    sqlite3_finalize(s);
    memset(tok, 0, sizeof(tok));
    return clb__store_tx_end(st, error, err);
}

int clb_store_token_list(clb_buf *out, clb_store *st, unsigned flags, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error, rc = 0, n = 0;
    if ((error = prep(st, &s,
                      "SELECT id, label, employer_id, substr(created_at, 1, 10),"
                      " last_used FROM employer_tokens ORDER BY employer_id, label",
                      err)) < 0)
        return error;
    if (flags & CLB_STORE_JSON)
        rc = clb__buf_puts(out, "[");
    while (rc == 0 && (error = sqlite3_step(s)) == SQLITE_ROW) {
        if (flags & CLB_STORE_JSON) {
            rc = clb__buf_puts(out, n ? ",\n  {\"id\": " : "\n  {\"id\": ") ||
                 clb__buf_put_json_string(out, col0(s, 0)) ||
                 clb__buf_puts(out, ", \"label\": ") ||
                 clb__buf_put_json_string(out, col0(s, 1)) ||
                 clb__buf_puts(out, ", \"employer\": ") ||
                 clb__buf_put_json_string(out, col0(s, 2)) ||
                 clb__buf_puts(out, ", \"created\": ") ||
                 clb__buf_put_json_string(out, col0(s, 3)) ||
                 clb__buf_puts(out, ", \"last_used\": ");
            if (rc == 0)
                rc = col_text(s, 4) ? clb__buf_put_json_string(out, col_text(s, 4))
                                    : clb__buf_puts(out, "null");
            rc = rc ? rc : clb__buf_puts(out, "}");
        } else {
            rc = clb__buf_printf(out, "%s  %-20s %-12s created %s  last used %s\n",
                                col0(s, 0), col0(s, 1), col0(s, 2), col0(s, 3),
                                col_text(s, 4) ? col_text(s, 4) : "never");
        }
        n++;
    }
    if (rc == 0 && error != SQLITE_DONE && error != SQLITE_ROW) {
        error = clb__store_db_error(st, err, "list tokens");
        sqlite3_finalize(s);
        return error;
    }
    sqlite3_finalize(s);
    if (rc == 0 && (flags & CLB_STORE_JSON))
        rc = clb__buf_puts(out, n ? "\n]\n" : "]\n");
    if (rc == 0 && !(flags & CLB_STORE_JSON) && n == 0)
        rc = clb__buf_puts(out, "no tokens\n");
    return rc ? clb__oom(err) : 0;
}

int clb_store_token_revoke(clb_buf *revoked, clb_store *st, const char *key,
                           clb_error *err)
{
    sqlite3_stmt *s = NULL;
    char id[CLB_TOKEN_ID_LEN + 8] = "", employer[72] = "", label[72] = "", detail[200];
    int error, n = 0;
    if ((error = clb__store_tx_begin(st, err)) < 0)
        return error;
    if ((error = prep(st, &s,
                      "SELECT id, employer_id, label FROM employer_tokens"
                      " WHERE id = ?1 OR label = ?1 ORDER BY id = ?1 DESC",
                      err)) < 0)
        goto done;
    bind_text(s, 1, key);
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (n == 0) {
            snprintf(id, sizeof(id), "%s", col0(s, 0));
            snprintf(employer, sizeof(employer), "%s", col0(s, 1));
            snprintf(label, sizeof(label), "%s", col0(s, 2));
            if (strcmp(id, key) == 0) {
                n = 1;
                break;
            }
        }
        n++;
    }
    sqlite3_finalize(s);
    s = NULL;
    if (n == 0) {
        error = clb__error_set(err, CLB_ENOTFOUND, "no token with id or label '%s'", key);
        goto done;
    }
    if (n > 1) {
        error = clb__error_set(err, CLB_EINVAL,
                              "label '%s' names tokens of %d employers: give the token id",
                              key, n);
        goto done;
    }
    if ((error = prep(st, &s, "DELETE FROM employer_tokens WHERE id = ?", err)) < 0)
        goto done;
    bind_text(s, 1, id);
    if ((error = clb__store_step_done(st, s, err)) < 0)
        goto done;
    snprintf(detail, sizeof(detail), "token %s for %s/%s", id, employer, label);
    if ((error = clb__store_audit(st, "token.revoke", employer, NULL, NULL, detail, err)) <
        0)
        goto done;
    if (revoked && clb__buf_printf(revoked, "%s (%s/%s)", id, employer, label) < 0)
        error = clb__oom(err);
done:
    sqlite3_finalize(s);
    return clb__store_tx_end(st, error, err);
}

/* Record today as the token's last day of use, once a day, without waiting: a busy
 * database (a round being written) only means the day is recorded on a later use. */
static void touch_token(clb_store *st, const char *id)
{
    sqlite3_stmt *s = NULL;
    if (st->tx_depth > 0)
        return;
    sqlite3_busy_timeout(st->db, 0);
    if (prep(st, &s,
             "UPDATE employer_tokens SET last_used = date('now')"
             " WHERE id = ? AND (last_used IS NULL OR last_used <> date('now'))",
             NULL) == 0) {
        bind_text(s, 1, id);
        sqlite3_step(s);
    }
    sqlite3_finalize(s);
    sqlite3_busy_timeout(st->db, clb__store_busy_ms(st));
}

int clb__portal_auth(clb__portal_who *who, clb_store *st, const char *token, bool changes,
                     clb_error *err)
{
    char id[CLB_TOKEN_ID_LEN + 1], hash[CLB_TOKEN_HASH_LEN + 1];
    sqlite3_stmt *s = NULL;
    int error, rc;
    bool ok = false, stale = false;
    memset(who, 0, sizeof(*who));
    if (!clb__token_parse(id, hash, token))
        return clb__error_set(err, CLB_ENOTFOUND, "unknown token");
    if ((error = prep(st, &s,
                      "SELECT employer_id, label, hash,"
                      " last_used IS NULL OR last_used <> date('now')"
                      " FROM employer_tokens WHERE id = ?",
                      err)) < 0)
        return error;
    bind_text(s, 1, id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && clb__token_hash_equal(col0(s, 2), hash)) {
        ok = true;
        snprintf(who->token_id, sizeof(who->token_id), "%s", id);
        snprintf(who->employer, sizeof(who->employer), "%s", col0(s, 0));
        snprintf(who->label, sizeof(who->label), "%s", col0(s, 1));
        stale = sqlite3_column_int(s, 3) != 0;
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        error = clb__store_db_error(st, err, "check token");
    }
    sqlite3_finalize(s);
    if (error < 0)
        return error;
    if (!ok)
        return clb__error_set(err, CLB_ENOTFOUND, "unknown token");
    if (stale && changes)
        touch_token(st, id);
    return 0;
}

/* ---- reads --------------------------------------------------------------------- */

int clb__store_policy_json(clb_buf *out, clb_store *st, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = prep(st, &s, "SELECT value FROM settings WHERE key = 'policy'", err);
    if (error < 0)
        return error;
    if (sqlite3_step(s) == SQLITE_ROW && clb__buf_puts(out, col0(s, 0)) < 0)
        error = clb__oom(err);
    sqlite3_finalize(s);
    return error;
}

/* Append the single text column of every row of a prepared statement, joined by
 * `sep`; returns the number of rows or a negative code. */
static int append_rows(clb_buf *out, clb_store *st, sqlite3_stmt *s, const char *sep,
                       clb_error *err)
{
    int rc, n = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if ((n && clb__buf_puts(out, sep) < 0) || clb__buf_puts(out, col0(s, 0)) < 0)
            return clb__oom(err);
        n++;
    }
    if (rc != SQLITE_DONE)
        return clb__store_db_error(st, err, "read");
    return n;
}

int clb__portal_employer_json(clb_buf *out, clb_store *st, const char *employer,
                              clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = prep(st, &s, "SELECT doc FROM employers WHERE id = ?", err);
    if (error < 0)
        return error;
    bind_text(s, 1, employer);
    error = append_rows(out, st, s, "", err);
    sqlite3_finalize(s);
    if (error == 0)
        return clb__error_set(err, CLB_ENOTFOUND, "no employer '%s'", employer);
    return error < 0 ? error : 0;
}

/* The fill of a vacancy in the open season's latest round, by the state of each
 * placement the round shows. */
#define FILL_SQL                                                                       \
    "json_object('proposed', (SELECT count(*) FROM lp WHERE lp.vacancy_id = v.id"      \
    "   AND lp.state = 'proposed'),"                                                   \
    " 'confirmed', (SELECT count(*) FROM lp WHERE lp.vacancy_id = v.id"                \
    "   AND lp.state = 'confirmed'),"                                                  \
    " 'departed', (SELECT count(*) FROM lp WHERE lp.vacancy_id = v.id"                 \
    "   AND lp.state IN ('departed', 'returned', 'not_returned')))"

/* The placements of the open season's latest round, with the state a person reads. */
#define LATEST_PLACEMENTS_CTE                                                          \
    "WITH lr AS (SELECT max(r.id) AS id FROM rounds r"                                 \
    "  WHERE r.season_id = (SELECT max(id) FROM seasons WHERE closed_at IS NULL)),"    \
    " lp AS (SELECT p.id AS pid, p.worker_id, p.vacancy_id,"                           \
    "  p.employer_id, p.site_id, p.start_date, p.end_date, k.round_id,"                \
    "  p.status AS state"                                                              \
    "  FROM round_placements k JOIN placements p ON p.id = k.placement_id"             \
    "  WHERE k.round_id = (SELECT id FROM lr)) "

int clb__portal_vacancies_json(clb_buf *out, clb_store *st, const char *employer,
                               clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error;
    if ((error = clb__store_read_begin(st, err)) < 0)
        return error;
    if ((error = prep(st, &s,
                      LATEST_PLACEMENTS_CTE
                      "SELECT json_set(v.doc, '$.status', v.status, '$.\"x-fill\"', " FILL_SQL
                      ") FROM vacancies v WHERE v.employer_id = ? ORDER BY v.id",
                      err)) < 0)
        goto done;
    bind_text(s, 1, employer);
    if (clb__buf_puts(out, "{\"format\": \"circulab-offers/1\", \"vacancies\": [") < 0) {
        error = clb__oom(err);
        goto done;
    }
    if ((error = append_rows(out, st, s, ",\n", err)) < 0)
        goto done;
    error = clb__buf_puts(out, "]}\n") < 0 ? clb__oom(err) : 0;
done:
    sqlite3_finalize(s);
    return clb__store_tx_end(st, error, err);
}

int clb__portal_vacancy_json(clb_buf *out, clb_store *st, const char *employer,
                             const char *id, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = prep(st, &s,
                     "SELECT json_set(doc, '$.status', status) FROM vacancies"
                     " WHERE id = ? AND employer_id = ?",
                     err);
    if (error < 0)
        return error;
    bind_text(s, 1, id);
    bind_text(s, 2, employer);
    error = append_rows(out, st, s, "", err);
    sqlite3_finalize(s);
    if (error == 0)
        return clb__error_set(err, CLB_ENOTFOUND, "no vacancy '%s'", id);
    return error < 0 ? error : 0;
}

int clb__portal_vacancy_owner(clb_buf *owner, clb_store *st, const char *id,
                              clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = prep(st, &s, "SELECT employer_id FROM vacancies WHERE id = ?", err);
    if (error < 0)
        return error;
    bind_text(s, 1, id);
    error = append_rows(owner, st, s, "", err);
    sqlite3_finalize(s);
    if (error == 0)
        return clb__error_set(err, CLB_ENOTFOUND, "no vacancy '%s'", id);
    return error < 0 ? error : 0;
}

int clb__portal_placements_json(clb_buf *out, clb_store *st, const char *employer,
                                clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error;
    if ((error = clb__store_read_begin(st, err)) < 0)
        return error;
    if ((error = prep(
             st, &s,
             LATEST_PLACEMENTS_CTE
             "SELECT json_patch(json_object('id', lp.pid, 'vacancy', lp.vacancy_id,"
             "  'worker', lp.worker_id, 'state', lp.state, 'start', lp.start_date,"
             "  'end', lp.end_date, 'site', lp.site_id,"
             "  'training', (SELECT json_group_array(json_object('session', t.session_id,"
             "     'course', t.course)) FROM training t WHERE t.round_id = lp.round_id"
             "     AND t.worker_id = lp.worker_id)),"
             "  CASE WHEN lp.state IN ('proposed', 'declined') THEN '{}'"
             "   ELSE json_object('name', w.name) END)"
             " FROM lp LEFT JOIN workers w ON w.id = lp.worker_id"
             " WHERE lp.employer_id = ? ORDER BY lp.vacancy_id, lp.worker_id",
             err)) < 0)
        goto done;
    bind_text(s, 1, employer);
    if (clb__buf_puts(out, "[") < 0) {
        error = clb__oom(err);
        goto done;
    }
    if ((error = append_rows(out, st, s, ",\n", err)) < 0)
        goto done;
    error = clb__buf_puts(out, "]") < 0 ? clb__oom(err) : 0;
done:
    sqlite3_finalize(s);
    return clb__store_tx_end(st, error, err);
}

/* ---- writes -------------------------------------------------------------------- */

/* Placements of vacancy `id` confirmed (or further on) in the open season. */
static int confirmed_count(long *out, clb_store *st, const char *id, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = prep(st, &s,
                     "SELECT count(*) FROM placements p JOIN rounds r ON r.id = p.round_id"
                     " WHERE r.season_id = (SELECT max(id) FROM seasons"
                     "  WHERE closed_at IS NULL)"
                     " AND p.vacancy_id = ?"
                     " AND p.status IN ('confirmed', 'departed', 'returned',"
                     "  'not_returned')",
                     err);
    if (error < 0)
        return error;
    bind_text(s, 1, id);
    if (sqlite3_step(s) == SQLITE_ROW)
        *out = (long)sqlite3_column_int64(s, 0);
    else
        error = clb__store_db_error(st, err, "count placements");
    sqlite3_finalize(s);
    return error;
}

int clb__portal_after_write(clb_store *st, const char *const *ids, size_t n,
                            clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = prep(st, &s, "SELECT headcount, status, doc FROM vacancies WHERE id = ?",
                     err);
    for (size_t i = 0; i < n && error == 0; i++) {
        long confirmed = 0;
        if ((error = confirmed_count(&confirmed, st, ids[i], err)) < 0)
            break;
        bind_text(s, 1, ids[i]);
        if (sqlite3_step(s) != SQLITE_ROW) {
            error = clb__error_set(err, CLB_EINTERNAL, "vacancy '%s' was not written",
                                  ids[i]);
            break;
        }
        if (strcmp(col0(s, 1), "withdrawn") == 0 && confirmed > 0)
            error = clb__error_set(err, CLB_ESTATE,
                                  "vacancy '%s' has %ld confirmed placement%s: it cannot be "
                                  "withdrawn",
                                  ids[i], confirmed, confirmed == 1 ? "" : "s");
        else if (sqlite3_column_int64(s, 0) < confirmed)
            error = clb__error_set(err, CLB_ESTATE,
                                  "vacancy '%s': headcount %lld is below its %ld confirmed "
                                  "placements",
                                  ids[i], (long long)sqlite3_column_int64(s, 0), confirmed);
        else
            error = clb__store_audit(st,
                                     strcmp(col0(s, 1), "withdrawn") == 0 ? "vacancy.withdraw"
                                                                          : "vacancy.submit",
                                     ids[i], NULL, col0(s, 2), "portal", err);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    return error;
}

/* Does `employer` own vacancy `id`? 1, 0, or an error code. */
static int owns(clb_store *st, const char *employer, const char *id, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = prep(st, &s, "SELECT 1 FROM vacancies WHERE id = ? AND employer_id = ?",
                     err);
    if (error < 0)
        return error;
    bind_text(s, 1, id);
    bind_text(s, 2, employer);
    error = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    return error;
}

int clb__portal_withdraw(clb_store *st, const char *employer, const char *id,
                         clb_error *err)
{
    sqlite3_stmt *s = NULL;
    char now[32];
    long confirmed = 0;
    int error;
    /* another employer's vacancy, or none: 404 from a read, without waiting for the
     * write lock a round run or an import may hold (checked again inside) */
    if ((error = owns(st, employer, id, err)) <= 0)
        return error < 0 ? error : clb__error_set(err, CLB_ENOTFOUND, "no vacancy '%s'", id);
    if ((error = clb__store_tx_begin(st, err)) < 0)
        return error;
    if ((error = prep(st, &s, "SELECT status FROM vacancies WHERE id = ? AND employer_id = ?",
                      err)) < 0)
        goto done;
    bind_text(s, 1, id);
    bind_text(s, 2, employer);
    if (sqlite3_step(s) != SQLITE_ROW) {
        error = clb__error_set(err, CLB_ENOTFOUND, "no vacancy '%s'", id);
        goto done;
    }
    sqlite3_finalize(s);
    s = NULL;
    if ((error = confirmed_count(&confirmed, st, id, err)) < 0)
        goto done;
    if (confirmed > 0) {
        error = clb__error_set(err, CLB_ESTATE,
                              "vacancy '%s' has %ld confirmed placement%s: it cannot be "
                              "withdrawn",
                              id, confirmed, confirmed == 1 ? "" : "s");
        goto done;
    }
    clb__now_iso(now);
    if ((error = prep(st, &s,
                      "UPDATE vacancies SET status = 'withdrawn', updated_at = ?"
                      " WHERE id = ? AND employer_id = ?",
                      err)) < 0)
        goto done;
    bind_text(s, 1, now);
    bind_text(s, 2, id);
    bind_text(s, 3, employer);
    if ((error = clb__store_step_done(st, s, err)) < 0)
        goto done;
    error = clb__store_audit(st, "vacancy.withdraw", id, NULL, NULL, "portal", err);
done:
    sqlite3_finalize(s);
    return clb__store_tx_end(st, error, err);
}
