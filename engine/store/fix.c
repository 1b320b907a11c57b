/*
 * fix.c - the desk's corrections: undo a placement's last transition and delete
 * a round nothing was decided on (include/circulab/desk.h).
 *
 * Each is one write transaction and one audit entry per change, all or nothing. The
 * lifecycle is a tree (each state has one predecessor), so "the last transition" is
 * read from the state alone. A transition is undone only when nothing after it
 * depends on it: a confirmation or decline only while its round is still the
 * season's latest (a later round was built on it: pinned or banned), a cancellation
 * only while no round has run since (the place may have been offered again), and any
 * of them only in the open season (a closed season has rolled into histories).
 */
#include "store/store_impl.h"
#include "circulab/desk.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

static const char *undo_to(const char *status)
{
    static const char *const map[][2] = {
        {"confirmed", "proposed"}, {"declined", "proposed"},   {"departed", "confirmed"},
        {"cancelled", "confirmed"}, {"returned", "departed"}, {"not_returned", "departed"}};
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(map[i][0], status) == 0)
            return map[i][1];
    return NULL;
}

static int latest_round(clb_store *st, long season, long *out, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = clb__store_prep(st, &s, "SELECT coalesce(max(id), 0) FROM rounds"
                                        " WHERE season_id = ?", err);
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, season);
    *out = sqlite3_step(s) == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    return 0;
}

static int open_season_id(clb_store *st, long *out, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = clb__store_prep(st, &s, "SELECT max(id) FROM seasons WHERE closed_at IS NULL",
                                err);
    if (error < 0)
        return error;
    *out = sqlite3_step(s) == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    return *out ? 0 : clb__error_set(err, CLB_EINTERNAL, "the database has no open season");
}

/* The audit detail of an undone transition: {"worker":...,"vacancy":...[,"note":...]}. */
static int undo_detail(clb_buf *detail, const char *worker, const char *vacancy,
                       const char *note)
{
    int rc = clb__buf_puts(detail, "{\"worker\":");
    if (rc == 0)
        rc = clb__buf_put_json_string(detail, worker);
    if (rc == 0)
        rc = clb__buf_puts(detail, ",\"vacancy\":");
    if (rc == 0)
        rc = clb__buf_put_json_string(detail, vacancy);
    if (rc == 0 && note) {
        rc = clb__buf_puts(detail, ",\"note\":");
        if (rc == 0)
            rc = clb__buf_put_json_string(detail, note);
    }
    if (rc == 0)
        rc = clb__buf_puts(detail, "}");
    return rc;
}

int clb_desk_placement_undo(clb_desk_undone *out, clb_store *st, const long *ids, size_t n,
                            const char *note, clb_error *err)
{
    sqlite3_stmt *sel = NULL, *upd = NULL, *link = NULL;
    long season = 0, last = 0;
    size_t restored = 0; /* cancellations undone: confirmed again */
    char now[32];
    int error, rc = 0;

    if (n == 0)
        return clb__error_set(err, CLB_EINVAL, "no placement ids given");
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < i; k++)
            if (ids[i] == ids[k])
                return clb__error_set(err, CLB_EINVAL, "placement %ld is listed twice",
                                     ids[i]);
    clb__now_iso(now);
    if ((error = clb__store_tx_begin(st, err)) < 0)
        return error;
    if ((error = open_season_id(st, &season, err)) < 0 ||
        (error = latest_round(st, season, &last, err)) < 0 ||
        (error = clb__store_prep(st, &sel,
                                 "SELECT p.status, p.round_id, r.season_id, p.worker_id,"
                                 " p.vacancy_id, w.forgotten_at FROM placements p"
                                 " JOIN rounds r ON r.id = p.round_id"
                                 " JOIN workers w ON w.id = p.worker_id WHERE p.id = ?",
                                 err)) < 0 ||
        (error = clb__store_prep(st, &link,
                                 "SELECT 1 FROM round_placements WHERE round_id = ?1"
                                 " AND placement_id = ?2",
                                 err)) < 0 ||
        (error = clb__store_prep(st, &upd,
                                 "UPDATE placements SET status = ?2, updated_at = ?3,"
                                 " departed_on = CASE WHEN ?2 = 'confirmed' THEN NULL"
                                 "  ELSE departed_on END,"
                                 " returned_on = CASE WHEN ?2 = 'departed' THEN NULL"
                                 "  ELSE returned_on END WHERE id = ?1",
                                 err)) < 0)
        goto done;
    for (size_t i = 0; i < n && error == 0 && rc == 0; i++) {
        char status[32], worker[128], vacancy[128], object[48];
        const char *to;
        long round, from_season;
        clb_buf detail = CLB_BUF_INIT;

        sqlite3_bind_int64(sel, 1, ids[i]);
        if (sqlite3_step(sel) != SQLITE_ROW) {
            sqlite3_reset(sel);
            error = clb__error_set(err, CLB_ENOTFOUND, "placement %ld does not exist", ids[i]);
            break;
        }
        snprintf(status, sizeof(status), "%s", clb__store_col_text(sel, 0));
        round = (long)sqlite3_column_int64(sel, 1);
        from_season = (long)sqlite3_column_int64(sel, 2);
        snprintf(worker, sizeof(worker), "%s", clb__store_col_text(sel, 3));
        snprintf(vacancy, sizeof(vacancy), "%s", clb__store_col_text(sel, 4));
        if (clb__store_col_text(sel, 5)) {
            /* an erased worker is never placed again (forget.c) */
            sqlite3_reset(sel);
            error = clb__error_set(err, CLB_ESTATE,
                                  "cannot undo placement %ld: worker '%s' was forgotten "
                                  "(personal data erased) and is never placed again",
                                  ids[i], worker);
            break;
        }
        sqlite3_reset(sel);
        to = undo_to(status);
        if (from_season != season) {
            error = clb__error_set(err, CLB_ESTATE,
                                  "cannot undo placement %ld: its season %ld is closed "
                                  "(rolled into the workers' history)",
                                  ids[i], from_season);
            break;
        }
        if (!to) {
            error = clb__error_set(err, CLB_ESTATE,
                                  "cannot undo placement %ld (%s at %s): it is %s, nothing "
                                  "was done to it",
                                  ids[i], worker, vacancy, status);
            break;
        }
        if ((strcmp(status, "confirmed") == 0 || strcmp(status, "declined") == 0) &&
            round != last) {
            error = clb__error_set(err, CLB_ESTATE,
                                  "cannot undo placement %ld (%s at %s): it is %s and round "
                                  "%ld was built on it (%s); delete that round first",
                                  ids[i], worker, vacancy, status, last,
                                  status[0] == 'c' ? "pinned" : "banned");
            break;
        }
        if (strcmp(status, "cancelled") == 0) {
            bool linked;
            restored++;
            sqlite3_bind_int64(link, 1, last);
            sqlite3_bind_int64(link, 2, ids[i]);
            linked = sqlite3_step(link) == SQLITE_ROW;
            sqlite3_reset(link);
            if (!linked) {
                error = clb__error_set(err, CLB_ESTATE,
                                      "cannot undo placement %ld (%s at %s): round %ld ran "
                                      "after the cancellation and may have offered the place "
                                      "again; delete that round first",
                                      ids[i], worker, vacancy, last);
                break;
            }
        }
        sqlite3_bind_int64(upd, 1, ids[i]);
        clb__store_bind_text(upd, 2, to);
        clb__store_bind_text(upd, 3, now);
        if ((error = clb__store_step_done(st, upd, err)) < 0)
            break;
        snprintf(object, sizeof(object), "placement %ld", ids[i]);
        rc = undo_detail(&detail, worker, vacancy, note);
        if (rc == 0)
            error = clb__store_audit(st, "placement.undo", object, status, to, detail.ptr,
                                     err);
        clb_buf_dispose(&detail);
        if (error < 0 || rc < 0)
            break;
        out[i].placement = ids[i];
        snprintf(out[i].worker, sizeof(out[i].worker), "%s", worker);
        snprintf(out[i].vacancy, sizeof(out[i].vacancy), "%s", vacancy);
        snprintf(out[i].before, sizeof(out[i].before), "%s", status);
        out[i].after = to;
    }
    if (error == 0 && rc < 0)
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
    /* an undone cancellation is a confirmed placement again: its vacancy must still
     * take it (not withdrawn since, headcount not lowered below) */
    if (error == 0)
        error = clb__store_check_confirmed_vacancies(st, NULL, err);
    /* ... and the season's confirmed placements, the restored ones with them, must
     * still admit a plan (a pin added since the cancellation may clash with it) */
    if (error == 0 && restored > 0)
        error = clb__store_check_confirmed(st, season, restored, "restoring", err);
done:
    sqlite3_finalize(sel);
    sqlite3_finalize(upd);
    sqlite3_finalize(link);
    return clb__store_tx_end(st, error, err);
}

int clb_desk_round_delete(long *deleted, clb_store *st, long round, clb_error *err)
{
    static const char *const deletes[] = {
        "DELETE FROM reserve WHERE round_id = ?",
        "DELETE FROM round_vacancies WHERE round_id = ?",
        "DELETE FROM training WHERE round_id = ?",
        "DELETE FROM reintegration WHERE round_id = ?",
        "DELETE FROM round_placements WHERE round_id = ?",
        "DELETE FROM placements WHERE round_id = ?",
        "DELETE FROM rounds WHERE id = ?",
    };
    sqlite3_stmt *s = NULL;
    long season = 0, of_season = 0, last = 0, decided = 0, proposals = 0;
    int error;

    if ((error = clb__store_tx_begin(st, err)) < 0)
        return error;
    if ((error = open_season_id(st, &season, err)) < 0)
        goto done;
    if ((error = clb__store_prep(st, &s,
                                 "SELECT season_id, (SELECT count(*) FROM placements"
                                 " WHERE round_id = ?1 AND status <> 'proposed'),"
                                 " (SELECT count(*) FROM placements WHERE round_id = ?1)"
                                 " FROM rounds WHERE id = ?1",
                                 err)) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, round);
    if (sqlite3_step(s) != SQLITE_ROW) {
        error = clb__error_set(err, CLB_ENOTFOUND, "round %ld does not exist", round);
        goto done;
    }
    of_season = (long)sqlite3_column_int64(s, 0);
    decided = (long)sqlite3_column_int64(s, 1);
    proposals = (long)sqlite3_column_int64(s, 2);
    sqlite3_finalize(s);
    s = NULL;
    if (of_season != season) {
        error = clb__error_set(err, CLB_ESTATE, "cannot delete round %ld: its season %ld is "
                                               "closed", round, of_season);
        goto done;
    }
    if ((error = latest_round(st, season, &last, err)) < 0)
        goto done;
    if (last != round) {
        error = clb__error_set(err, CLB_ESTATE,
                              "cannot delete round %ld: round %ld was built on it; delete "
                              "round %ld first",
                              round, last, last);
        goto done;
    }
    if (decided > 0) {
        error = clb__error_set(err, CLB_ESTATE,
                              "cannot delete round %ld: %ld of its placements were confirmed, "
                              "declined or cancelled (undo them first: placement undo)",
                              round, decided);
        goto done;
    }
    for (size_t i = 0; i < sizeof(deletes) / sizeof(deletes[0]) && error == 0; i++) {
        if ((error = clb__store_prep(st, &s, deletes[i], err)) < 0)
            break;
        sqlite3_bind_int64(s, 1, round);
        error = clb__store_step_done(st, s, err);
        sqlite3_finalize(s);
        s = NULL;
    }
    if (error == 0) {
        char object[32], detail[64];
        snprintf(object, sizeof(object), "round %ld", round);
        snprintf(detail, sizeof(detail), "{\"proposals\":%ld}", proposals);
        error = clb__store_audit(st, "round.delete", object, NULL, NULL, detail, err);
    }
    if (error == 0 && deleted)
        *deleted = proposals;
done:
    sqlite3_finalize(s);
    return clb__store_tx_end(st, error, err);
}
