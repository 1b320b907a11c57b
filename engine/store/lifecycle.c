/*
 * lifecycle.c - the placement lifecycle (docs/DATABASE.md §6): confirm, decline, depart,
 * return, no-return and cancel, one batch per transaction.
 *
 * proposed -> confirmed | declined, confirmed -> departed | cancelled, departed ->
 * returned | not_returned. A batch is applied whole or not at all; a placement
 * already in the target state is reported unchanged. Confirmations are checked,
 * before the commit, against the season's other confirmed placements and pins
 * (clb__store_check_confirmed): a confirmation no plan can hold is refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"
#include "io/csv.h"
#include "util/jw.h"
#include "util/alloc.h"

const char *clb_action_name(clb_action action)
{
    switch (action) {
    case CLB_ACT_CONFIRM: return "confirm";
    case CLB_ACT_DECLINE: return "decline";
    case CLB_ACT_DEPART: return "depart";
    case CLB_ACT_RETURN: return "return";
    case CLB_ACT_NO_RETURN: return "no-return";
    case CLB_ACT_CANCEL: return "cancel";
    }
    return "?";
}

static const char *action_from(clb_action a)
{
    switch (a) {
    case CLB_ACT_CONFIRM:
    case CLB_ACT_DECLINE: return "proposed";
    case CLB_ACT_DEPART:
    case CLB_ACT_CANCEL: return "confirmed";
    default: return "departed";
    }
}

static const char *action_to(clb_action a)
{
    switch (a) {
    case CLB_ACT_CONFIRM: return "confirmed";
    case CLB_ACT_DECLINE: return "declined";
    case CLB_ACT_DEPART: return "departed";
    case CLB_ACT_RETURN: return "returned";
    case CLB_ACT_CANCEL: return "cancelled";
    default: return "not_returned";
    }
}

/* What to do instead, for a message about an illegal transition. */
static const char *hint_for(const char *status)
{
    if (!strcmp(status, "proposed"))
        return "confirm or decline it first";
    if (!strcmp(status, "confirmed"))
        return "it can only depart or be cancelled";
    if (!strcmp(status, "departed"))
        return "it can only return or not return";
    return "its lifecycle is over";
}

/*
 * A departure or return date must be plausible for the placement (docs/DATABASE.md,
 * "The placement lifecycle"): a departure from DEPART_EARLY_DAYS before the
 * placement's start (travel, pre-departure training, a worker who left for an earlier
 * job) to its end, a return from its start to RETURN_LATE_DAYS after its
 * end (a return before the departure is refused separately). A typing slip such as
 * 1900-01-01 or 2062 for a 2026 placement would otherwise roll the worker's history
 * (last return, days abroad) to a date that never was.
 */
#define DEPART_EARLY_DAYS 180
#define RETURN_LATE_DAYS 180

static int check_lifecycle_date(long id, clb_action action, clb_date d, const char *start,
                                const char *end, clb_error *err)
{
    clb_date s, e, lo, hi;
    char from[16], to[16], given[16];
    if (!clb__date_parse(&s, start) || !clb__date_parse(&e, end))
        return 0; /* a stored placement always has both */
    if (action == CLB_ACT_DEPART) {
        lo = s - DEPART_EARLY_DAYS;
        hi = e;
    } else {
        lo = s;
        hi = e + RETURN_LATE_DAYS;
    }
    if (d >= lo && d <= hi)
        return 0;
    clb__date_format(from, lo);
    clb__date_format(to, hi);
    clb__date_format(given, d);
    return clb__error_set(
        err, CLB_EINVAL,
        "placement %ld (%s to %s): %s date %s is not plausible; it must "
        "be between %s and %s",
        id, start, end, action == CLB_ACT_DEPART ? "departure" : "return", given, from,
        to);
}

int clb_store_placement_apply(clb_buf *out, clb_store *st, clb_action action,
                              const clb_change *changes, size_t n, const char *note,
                              unsigned flags, clb_error *err)
{
    sqlite3_stmt *sel = NULL, *upd = NULL, *latest = NULL;
    bool json = flags & CLB_STORE_JSON;
    clb__jw j = CLB__JW_INIT(out);
    long season = 0;
    int error, rc = 0;
    char now[32];

    if (n == 0)
        return clb__error_set(err, CLB_EINVAL, "no placement ids given");
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < i; k++)
            if (changes[i].placement == changes[k].placement)
                return clb__error_set(err, CLB_EINVAL, "placement %ld is listed twice",
                                     changes[i].placement);
    if (action == CLB_ACT_CANCEL && (!note || !note[0]))
        return clb__error_set(err, CLB_EINVAL, "a cancellation needs a reason");
    clb__now_iso(now);
    if ((error = clb__store_tx_begin(st, err)) < 0)
        return error;
    if ((error = clb__store_open_season(st, &season, err)) < 0)
        goto done;
    if ((error = clb__store_prep(
             st, &sel,
             "SELECT p.status, p.round_id, p.worker_id, p.vacancy_id, p.start_date,"
             " p.end_date, r.season_id, p.departed_on"
             " FROM placements p JOIN rounds r ON r.id = p.round_id WHERE p.id = ?",
             err)) < 0 ||
        (error = clb__store_prep(
             st, &latest, "SELECT max(id) FROM rounds WHERE season_id = ?", err)) < 0 ||
        (error = clb__store_prep(st, &upd,
                                 "UPDATE placements SET status = ?2, updated_at = ?3,"
                                 " departed_on = coalesce(?4, departed_on),"
                                 " returned_on = coalesce(?5, returned_on) WHERE id = ?1",
                                 err)) < 0)
        goto done;
    if (json)
        clb__jw_open(&j, NULL, '[');
    for (size_t i = 0; i < n && error == 0; i++) {
        long id = changes[i].placement;
        const char *date = changes[i].date;
        char status[32], worker[128], vacancy[128], start[16], end[16], departed[16];
        char object[48], depart_date[16] = "", return_date[16] = "";
        clb_buf detail = CLB_BUF_INIT;
        long round, from_season;
        clb_date d;

        sqlite3_bind_int64(sel, 1, id);
        if (sqlite3_step(sel) != SQLITE_ROW) {
            sqlite3_reset(sel);
            error =
                clb__error_set(err, CLB_ENOTFOUND, "placement %ld does not exist", id);
            break;
        }
        snprintf(status, sizeof(status), "%s", clb__store_col_text0(sel, 0));
        round = (long)sqlite3_column_int64(sel, 1);
        snprintf(worker, sizeof(worker), "%s", clb__store_col_text0(sel, 2));
        snprintf(vacancy, sizeof(vacancy), "%s", clb__store_col_text0(sel, 3));
        snprintf(start, sizeof(start), "%s", clb__store_col_text0(sel, 4));
        snprintf(end, sizeof(end), "%s", clb__store_col_text0(sel, 5));
        snprintf(departed, sizeof(departed), "%s", clb__store_col_text0(sel, 7));
        from_season = (long)sqlite3_column_int64(sel, 6);
        sqlite3_reset(sel);
        if (from_season != season) {
            error =
                clb__error_set(err, CLB_ESTATE,
                               "cannot %s placement %ld: it belongs to season %ld, which "
                               "is closed",
                               clb_action_name(action), id, from_season);
            break;
        }
        if (strcmp(status, action_to(action)) == 0) {
            /* already in the target state: reported, not a failure of the batch */
            if (json) {
                clb__jw_open(&j, NULL, '{');
                clb__jw_int(&j, "placement", id);
                clb__jw_str(&j, "worker", worker);
                clb__jw_str(&j, "vacancy", vacancy);
                clb__jw_str(&j, "before", status);
                clb__jw_str(&j, "after", status);
                clb__jw_rawval(&j, "unchanged", "true");
                clb__jw_close(&j, '}');
            } else if (out)
                rc = clb__buf_printf(out,
                                     "placement %ld (%s at %s): already %s, unchanged\n",
                                     id, worker, vacancy, status);
            continue;
        }
        if (strcmp(status, action_from(action)) != 0) {
            error =
                clb__error_set(err, CLB_ESTATE,
                               "cannot %s placement %ld (%s at %s): it is %s, not %s; %s",
                               clb_action_name(action), id, worker, vacancy, status,
                               action_from(action), hint_for(status));
            break;
        }
        if (action == CLB_ACT_CONFIRM || action == CLB_ACT_DECLINE) {
            long last = 0;
            sqlite3_bind_int64(latest, 1, season);
            if (sqlite3_step(latest) == SQLITE_ROW)
                last = (long)sqlite3_column_int64(latest, 0);
            sqlite3_reset(latest);
            if (last != round) {
                error = clb__error_set(
                    err, CLB_ESTATE,
                    "cannot %s placement %ld: it is a proposal of round %ld, "
                    "superseded by round %ld",
                    clb_action_name(action), id, round, last);
                break;
            }
        }
        if (action == CLB_ACT_CONFIRM) {
            /* a proposal whose vacancy was withdrawn since cannot be confirmed: the
             * next round would drop the confirmed placement (and no change could
             * reopen or withdraw anything while it stands, check_valid) */
            sqlite3_stmt *vs = NULL;
            char vstatus[16] = "";
            if ((error = clb__store_prep(
                     st, &vs, "SELECT status FROM vacancies WHERE id = ?", err)) < 0)
                break;
            sqlite3_bind_text(vs, 1, vacancy, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(vs) == SQLITE_ROW)
                snprintf(vstatus, sizeof(vstatus), "%s", clb__store_col_text0(vs, 0));
            sqlite3_finalize(vs);
            if (strcmp(vstatus, "open") != 0) {
                error =
                    clb__error_set(err, CLB_ESTATE,
                                   "cannot confirm placement %ld (%s at %s): the vacancy "
                                   "is %s",
                                   id, worker, vacancy, vstatus[0] ? vstatus : "gone");
                break;
            }
        }
        if (date) {
            if (!clb__date_parse(&d, date)) {
                error = clb__error_set(err, CLB_EINVAL,
                                       "placement %ld: '%s' is not a date (YYYY-MM-DD)",
                                       id, date);
                break;
            }
            if (action == CLB_ACT_CONFIRM || action == CLB_ACT_DECLINE ||
                action == CLB_ACT_NO_RETURN || action == CLB_ACT_CANCEL) {
                error = clb__error_set(err, CLB_EINVAL, "placement %ld: %s takes no date",
                                       id, clb_action_name(action));
                break;
            }
        }
        if (action == CLB_ACT_DEPART)
            snprintf(depart_date, sizeof(depart_date), "%s", date ? date : start);
        if (action == CLB_ACT_RETURN) {
            snprintf(return_date, sizeof(return_date), "%s", date ? date : end);
            if (departed[0] && strcmp(return_date, departed) < 0) {
                error = clb__error_set(err, CLB_EINVAL,
                                      "placement %ld: return date %s is before the "
                                      "departure on %s",
                                      id, return_date, departed);
                break;
            }
        }
        if (date && (error = check_lifecycle_date(id, action, d, start, end, err)) < 0)
            break;
        sqlite3_bind_int64(upd, 1, id);
        clb__store_bind_text(upd, 2, action_to(action));
        clb__store_bind_text(upd, 3, now);
        clb__store_bind_text(upd, 4, depart_date[0] ? depart_date : NULL);
        clb__store_bind_text(upd, 5, return_date[0] ? return_date : NULL);
        if ((error = clb__store_step_done(st, upd, err)) < 0)
            break;
        snprintf(object, sizeof(object), "placement %ld", id);
        rc = clb__buf_puts(&detail, "{\"worker\":");
        if (rc == 0)
            rc = clb__buf_put_json_string(&detail, worker);
        if (rc == 0)
            rc = clb__buf_puts(&detail, ",\"vacancy\":");
        if (rc == 0)
            rc = clb__buf_put_json_string(&detail, vacancy);
        if (rc == 0)
            rc = clb__buf_printf(&detail, ",\"round\":%ld", round);
        if (rc == 0 && (depart_date[0] || return_date[0]))
            rc = clb__buf_printf(&detail, ",\"date\":\"%s\"",
                                depart_date[0] ? depart_date : return_date);
        if (rc == 0 && note) {
            rc = clb__buf_puts(&detail, action == CLB_ACT_CANCEL ? ",\"reason\":"
                                                                : ",\"note\":");
            if (rc == 0)
                rc = clb__buf_put_json_string(&detail, note);
        }
        if (rc == 0)
            rc = clb__buf_puts(&detail, "}");
        if (rc < 0) {
            clb_buf_dispose(&detail);
            error = clb__oom(err);
            break;
        }
        char act[32];
        snprintf(act, sizeof(act), "placement.%s", clb_action_name(action));
        error =
            clb__store_audit(st, act, object, status, action_to(action), detail.ptr, err);
        clb_buf_dispose(&detail);
        if (error < 0)
            break;
        if (json) {
            clb__jw_open(&j, NULL, '{');
            clb__jw_int(&j, "placement", id);
            clb__jw_str(&j, "worker", worker);
            clb__jw_str(&j, "vacancy", vacancy);
            clb__jw_str(&j, "before", status);
            clb__jw_str(&j, "after", action_to(action));
            if (depart_date[0] || return_date[0])
                clb__jw_str(&j, "date", depart_date[0] ? depart_date : return_date);
            clb__jw_close(&j, '}');
        } else if (out) {
            rc = clb__buf_printf(out, "placement %ld (%s at %s): %s -> %s%s%s\n", id,
                                 worker, vacancy, status, action_to(action),
                                 depart_date[0] || return_date[0] ? " on " : "",
                                 depart_date[0] ? depart_date : return_date);
        }
    }
    if (json && error == 0)
        clb__jw_close(&j, ']');
    if (error == 0 && (rc < 0 || j.rc < 0))
        error = clb__oom(err);
    /* the confirmations are written but not committed: check that the season's
     * confirmed placements, these among them, can all still hold */
    if (error == 0 && action == CLB_ACT_CONFIRM)
        error = clb__store_check_confirmed(st, season, n, "confirming", err);
done:
    sqlite3_finalize(sel);
    sqlite3_finalize(upd);
    sqlite3_finalize(latest);
    return clb__store_tx_end(st, error, err);
}

int clb_store_placement_apply_csv(clb_buf *out, clb_store *st, clb_action action,
                                  const char *csv_path, const char *note, unsigned flags,
                                  clb_error *err)
{
    clb_csv csv;
    clb_change *changes = NULL;
    int pcol, dcol, error;
    size_t n = 0;

    if ((error = clb__csv_load_file(&csv, csv_path, &st->csv_opts, err)) < 0)
        return error;
    pcol = clb__csv_column(&csv, "placement");
    if (pcol < 0)
        pcol = clb__csv_column(&csv, "id");
    dcol = clb__csv_column(&csv, "date");
    if (pcol < 0) {
        error = clb__error_set(err, CLB_EINVAL, "%s: no column 'placement'", csv_path);
        goto done;
    }
    changes = clb__calloc(csv.nrows + 1, sizeof(*changes));
    if (!changes) {
        error = clb__oom(err);
        goto done;
    }
    for (size_t r = 1; r < csv.nrows; r++) {
        const clb_csv_cell *c = clb__csv_get(&csv, r, (size_t)pcol);
        char *end;
        long id;
        errno = 0;
        id = strtol(c->text, &end, 10);
        if (errno || *end || end == c->text || id <= 0) {
            error =
                clb__error_set(err, CLB_EINVAL, "%s:%d:%d: '%s' is not a placement id",
                               csv_path, c->line, c->column, c->text);
            if (err && err->line == 0) {
                err->line = c->line;
                err->column = c->column;
            }
            goto done;
        }
        changes[n].placement = id;
        if (dcol >= 0 && clb__csv_get(&csv, r, (size_t)dcol)->text[0])
            changes[n].date = clb__csv_get(&csv, r, (size_t)dcol)->text;
        n++;
    }
    error = clb_store_placement_apply(out, st, action, changes, n, note, flags, err);
done:
    clb__free(changes);
    clb__csv_dispose(&csv);
    return error;
}
