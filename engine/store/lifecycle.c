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

/* A batch of transitions under way: its statements and what it reports. */
typedef struct batch {
    clb_store *st;
    clb_action action;
    const char *note;
    clb_buf *out;
    bool json;
    clb__jw j;
    int rc; /* the first failure writing `out` */
    long season;
    char now[32];
    sqlite3_stmt *sel, *upd, *latest;
} batch;

/* One placement as the batch reads it. */
typedef struct placement_state {
    long id, round, season;
    char status[32], worker[128], vacancy[128], start[16], end[16], departed[16],
        returned[16];
} placement_state;

static int read_placement(placement_state *p, batch *b, long id, clb_error *err)
{
    sqlite3_stmt *sel = b->sel;
    sqlite3_bind_int64(sel, 1, id);
    if (sqlite3_step(sel) != SQLITE_ROW) {
        sqlite3_reset(sel);
        return clb__error_set(err, CLB_ENOTFOUND, "placement %ld does not exist", id);
    }
    p->id = id;
    snprintf(p->status, sizeof(p->status), "%s", clb__store_col_text0(sel, 0));
    p->round = (long)sqlite3_column_int64(sel, 1);
    snprintf(p->worker, sizeof(p->worker), "%s", clb__store_col_text0(sel, 2));
    snprintf(p->vacancy, sizeof(p->vacancy), "%s", clb__store_col_text0(sel, 3));
    snprintf(p->start, sizeof(p->start), "%s", clb__store_col_text0(sel, 4));
    snprintf(p->end, sizeof(p->end), "%s", clb__store_col_text0(sel, 5));
    snprintf(p->departed, sizeof(p->departed), "%s", clb__store_col_text0(sel, 7));
    snprintf(p->returned, sizeof(p->returned), "%s", clb__store_col_text0(sel, 8));
    p->season = (long)sqlite3_column_int64(sel, 6);
    sqlite3_reset(sel);
    return 0;
}

/* Whether the action may apply to p: its season open, its state the action's source,
 * a proposal of the latest round, and (to confirm) its vacancy still open. */
static int check_transition(batch *b, const placement_state *p, clb_error *err)
{
    const char *act = clb_action_name(b->action);
    if (p->season != b->season)
        return clb__error_set(err, CLB_ESTATE,
                              "cannot %s placement %ld: it belongs to season %ld, which "
                              "is closed",
                              act, p->id, p->season);
    if (strcmp(p->status, action_from(b->action)) != 0)
        return clb__error_set(err, CLB_ESTATE,
                              "cannot %s placement %ld (%s at %s): it is %s, not %s; %s",
                              act, p->id, p->worker, p->vacancy, p->status,
                              action_from(b->action), hint_for(p->status));
    if (b->action == CLB_ACT_CONFIRM || b->action == CLB_ACT_DECLINE) {
        long last = 0;
        sqlite3_bind_int64(b->latest, 1, b->season);
        if (sqlite3_step(b->latest) == SQLITE_ROW)
            last = (long)sqlite3_column_int64(b->latest, 0);
        sqlite3_reset(b->latest);
        if (last != p->round)
            return clb__error_set(err, CLB_ESTATE,
                                  "cannot %s placement %ld: it is a proposal of round %ld, "
                                  "superseded by round %ld",
                                  act, p->id, p->round, last);
    }
    if (b->action == CLB_ACT_CONFIRM) {
        /* a proposal whose vacancy was withdrawn since cannot be confirmed: the
         * next round would drop the confirmed placement (and no change could
         * reopen or withdraw anything while it stands, check_valid) */
        sqlite3_stmt *vs = NULL;
        char vstatus[16] = "";
        int error;
        if ((error = clb__store_prep(b->st, &vs, "SELECT status FROM vacancies WHERE id = ?",
                                     err)) < 0)
            return error;
        sqlite3_bind_text(vs, 1, p->vacancy, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(vs) == SQLITE_ROW)
            snprintf(vstatus, sizeof(vstatus), "%s", clb__store_col_text0(vs, 0));
        sqlite3_finalize(vs);
        if (strcmp(vstatus, "open") != 0)
            return clb__error_set(err, CLB_ESTATE,
                                  "cannot confirm placement %ld (%s at %s): the vacancy "
                                  "is %s",
                                  p->id, p->worker, p->vacancy,
                                  vstatus[0] ? vstatus : "gone");
    }
    return 0;
}

/* The date a transition records (departure or return; *on empty for the others):
 * the given one, checked, or by default the placement's start or end. */
static int transition_date(char on[16], batch *b, const placement_state *p,
                           const char *date, clb_error *err)
{
    clb_date d = 0;
    on[0] = '\0';
    if (date) {
        if (!clb__date_parse(&d, date))
            return clb__error_set(err, CLB_EINVAL,
                                  "placement %ld: '%s' is not a date (YYYY-MM-DD)", p->id,
                                  date);
        if (b->action == CLB_ACT_CONFIRM || b->action == CLB_ACT_DECLINE ||
            b->action == CLB_ACT_NO_RETURN || b->action == CLB_ACT_CANCEL)
            return clb__error_set(err, CLB_EINVAL, "placement %ld: %s takes no date",
                                  p->id, clb_action_name(b->action));
    }
    if (b->action == CLB_ACT_DEPART)
        snprintf(on, 16, "%s", date ? date : p->start);
    if (b->action == CLB_ACT_RETURN) {
        snprintf(on, 16, "%s", date ? date : p->end);
        if (p->departed[0] && strcmp(on, p->departed) < 0)
            return clb__error_set(err, CLB_EINVAL,
                                  "placement %ld: return date %s is before the "
                                  "departure on %s",
                                  p->id, on, p->departed);
    }
    return date ? check_lifecycle_date(p->id, b->action, d, p->start, p->end, err) : 0;
}

/* Write the transition and its audit row (`placement.ACTION`, before and after). */
static int record_transition(batch *b, const placement_state *p, const char *on,
                             clb_error *err)
{
    clb_buf detail = CLB_BUF_INIT;
    char object[48], act[32];
    bool depart = b->action == CLB_ACT_DEPART;
    int rc, error;

    sqlite3_bind_int64(b->upd, 1, p->id);
    clb__store_bind_text(b->upd, 2, action_to(b->action));
    clb__store_bind_text(b->upd, 3, b->now);
    clb__store_bind_text(b->upd, 4, on[0] && depart ? on : NULL);
    clb__store_bind_text(b->upd, 5, on[0] && !depart ? on : NULL);
    if ((error = clb__store_step_done(b->st, b->upd, err)) < 0)
        return error;
    snprintf(object, sizeof(object), "placement %ld", p->id);
    rc = clb__buf_puts(&detail, "{\"worker\":");
    if (rc == 0)
        rc = clb__buf_put_json_string(&detail, p->worker);
    if (rc == 0)
        rc = clb__buf_puts(&detail, ",\"vacancy\":");
    if (rc == 0)
        rc = clb__buf_put_json_string(&detail, p->vacancy);
    if (rc == 0)
        rc = clb__buf_printf(&detail, ",\"round\":%ld", p->round);
    if (rc == 0 && on[0])
        rc = clb__buf_printf(&detail, ",\"date\":\"%s\"", on);
    if (rc == 0 && b->note) {
        rc = clb__buf_puts(&detail,
                           b->action == CLB_ACT_CANCEL ? ",\"reason\":" : ",\"note\":");
        if (rc == 0)
            rc = clb__buf_put_json_string(&detail, b->note);
    }
    if (rc == 0)
        rc = clb__buf_puts(&detail, "}");
    snprintf(act, sizeof(act), "placement.%s", clb_action_name(b->action));
    error = rc < 0 ? clb__oom(err)
                   : clb__store_audit(b->st, act, object, p->status, action_to(b->action),
                                      detail.ptr, err);
    clb_buf_dispose(&detail);
    return error;
}

/* One change as the batch reports it: p went to `after` (on `on`, may be ""), or was
 * `after` already (`unchanged`). */
static void report_change(batch *b, const placement_state *p, const char *after,
                          const char *on, bool unchanged)
{
    int rc = 0;
    if (b->json) {
        clb__jw_open(&b->j, NULL, '{');
        clb__jw_int(&b->j, "placement", p->id);
        clb__jw_str(&b->j, "worker", p->worker);
        clb__jw_str(&b->j, "vacancy", p->vacancy);
        clb__jw_str(&b->j, "before", p->status);
        clb__jw_str(&b->j, "after", after);
        if (unchanged)
            clb__jw_rawval(&b->j, "unchanged", "true");
        if (on[0])
            clb__jw_str(&b->j, "date", on);
        clb__jw_close(&b->j, '}');
    } else if (b->out && unchanged)
        rc = clb__buf_printf(b->out, "placement %ld (%s at %s): already %s%s%s, unchanged\n",
                             p->id, p->worker, p->vacancy, p->status, on[0] ? " on " : "",
                             on);
    else if (b->out)
        rc = clb__buf_printf(b->out, "placement %ld (%s at %s): %s -> %s%s%s\n", p->id,
                             p->worker, p->vacancy, p->status, after, on[0] ? " on " : "",
                             on);
    if (rc < 0 && b->rc == 0)
        b->rc = rc;
}

/* Apply the batch's action to one placement. */
static int apply_one(batch *b, const clb_change *c, clb_error *err)
{
    placement_state p;
    char on[16] = "";
    int error;
    if ((error = read_placement(&p, b, c->placement, err)) < 0)
        return error;
    if (p.season == b->season && strcmp(p.status, action_to(b->action)) == 0) {
        /* already in the target state: reported, not a failure of the batch; with
         * the date it was recorded on, so that a clerk who meant another date sees
         * that this one stands (undo, then the command again, changes it) */
        const char *was = b->action == CLB_ACT_DEPART   ? p.departed
                          : b->action == CLB_ACT_RETURN ? p.returned
                                                        : "";
        report_change(b, &p, p.status, was, true);
        return 0;
    }
    if ((error = check_transition(b, &p, err)) < 0 ||
        (error = transition_date(on, b, &p, c->date, err)) < 0 ||
        (error = record_transition(b, &p, on, err)) < 0)
        return error;
    report_change(b, &p, action_to(b->action), on, false);
    return 0;
}

int clb_store_placement_apply(clb_buf *out, clb_store *st, clb_action action,
                              const clb_change *changes, size_t n, const char *note,
                              unsigned flags, clb_error *err)
{
    batch b;
    int error;

    if (n == 0)
        return clb__error_set(err, CLB_EINVAL, "no placement ids given");
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < i; k++)
            if (changes[i].placement == changes[k].placement)
                return clb__error_set(err, CLB_EINVAL, "placement %ld is listed twice",
                                      changes[i].placement);
    if (action == CLB_ACT_CANCEL && (!note || !note[0]))
        return clb__error_set(err, CLB_EINVAL, "a cancellation needs a reason");
    memset(&b, 0, sizeof(b));
    b.st = st;
    b.action = action;
    b.note = note;
    b.out = out;
    b.json = flags & CLB_STORE_JSON;
    b.j = (clb__jw)CLB__JW_INIT(out);
    clb__now_iso(b.now);
    if ((error = clb__store_tx_begin(st, err)) < 0)
        return error;
    if ((error = clb__store_open_season(st, &b.season, err)) < 0)
        goto done;
    if ((error = clb__store_prep(
             st, &b.sel,
             "SELECT p.status, p.round_id, p.worker_id, p.vacancy_id, p.start_date,"
             " p.end_date, r.season_id, p.departed_on, p.returned_on"
             " FROM placements p JOIN rounds r ON r.id = p.round_id WHERE p.id = ?",
             err)) < 0 ||
        (error = clb__store_prep(
             st, &b.latest, "SELECT max(id) FROM rounds WHERE season_id = ?", err)) < 0 ||
        (error = clb__store_prep(st, &b.upd,
                                 "UPDATE placements SET status = ?2, updated_at = ?3,"
                                 " departed_on = coalesce(?4, departed_on),"
                                 " returned_on = coalesce(?5, returned_on) WHERE id = ?1",
                                 err)) < 0)
        goto done;
    if (b.json)
        clb__jw_open(&b.j, NULL, '[');
    for (size_t i = 0; i < n && error == 0; i++)
        error = apply_one(&b, &changes[i], err);
    if (b.json && error == 0)
        clb__jw_close(&b.j, ']');
    if (error == 0 && (b.rc < 0 || b.j.rc < 0))
        error = clb__oom(err);
    /* the confirmations are written but not committed: check that the season's
     * confirmed placements, these among them, can all still hold */
    if (error == 0 && action == CLB_ACT_CONFIRM)
        error = clb__store_check_confirmed(st, b.season, n, "confirming", err);
done:
    sqlite3_finalize(b.sel);
    sqlite3_finalize(b.upd);
    sqlite3_finalize(b.latest);
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
