/*
 * desk.h - the agency's desk: look-ups of workers, vacancies and employers, filtered
 * placement and audit lists, and corrections (undo a transition, delete a round).
 *
 * Look-ups only read (one read snapshot each). Like the rest of the store they render
 * into a clb_buf: plain text by default, one JSON document with CLB_STORE_JSON, CSV
 * with CLB_DESK_CSV (lists only; every cell through the one CSV cell writer with its
 * formula guard). Worker names and birth dates appear only with CLB_DESK_NAMES.
 * The caller prints the buffer through its text escaping.
 */
#ifndef CIRCULAB_DESK_H
#define CIRCULAB_DESK_H

#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CLB_DESK_CSV 0x200u   /* CSV instead of text (lists) */
#define CLB_DESK_NAMES 0x400u /* worker names and birth dates (personal data) */

/* Filters of worker list; NULL means any. status: a placement state in the open
 * season, "unplaced" (no placement of the open season other than declined or
 * cancelled) or "banned" (banned_until today or later). search: a substring of the
 * id, and of the name only with CLB_DESK_NAMES (case-insensitive). */
typedef struct clb_worker_filter {
    const char *region, *country, *status, *search;
} clb_worker_filter;

CLB_EXTERN int clb_desk_worker_list(clb_buf *out, clb_store *store, const clb_worker_filter *f,
                                    unsigned flags, clb_error *err);

/* One worker: record and history, every placement across rounds (id, round, state),
 * bans with their end, pins, and for the open round each open vacancy with whether
 * the worker is eligible or the first eligibility rule that fails (the engine's own
 * rules on the next round's inputs). CLB_ENOTFOUND for an unknown id. */
CLB_EXTERN int clb_desk_worker_show(clb_buf *out, clb_store *store, const char *id, unsigned flags,
                                    clb_error *err);

/* Vacancies of one employer and/or in one status (NULL: any). */
CLB_EXTERN int clb_desk_vacancy_list(clb_buf *out, clb_store *store, const char *employer,
                                     const char *status, unsigned flags, clb_error *err);

/* One vacancy: record, fill by state in the open season, placements, the reserve list
 * of the latest round that had it. CLB_ENOTFOUND for an unknown id. */
CLB_EXTERN int clb_desk_vacancy_show(clb_buf *out, clb_store *store, const char *id, unsigned flags,
                                     clb_error *err);

/* Employers with sites, beds, vacancies and fill in the open season. */
CLB_EXTERN int clb_desk_employer_list(clb_buf *out, clb_store *store, unsigned flags,
                                      clb_error *err);

/* One employer: record, sites with beds, vacancies with fill, fill by state. */
CLB_EXTERN int clb_desk_employer_show(clb_buf *out, clb_store *store, const char *id,
                                      unsigned flags, clb_error *err);

/* Filters of placement list (0/NULL: any), rendered as clb_store_placement_list. */
typedef struct clb_placement_filter {
    long round;
    const char *status, *employer, *worker, *vacancy;
} clb_placement_filter;

CLB_EXTERN int clb_store_placement_query(clb_buf *out, clb_store *store,
                                         const clb_placement_filter *f, unsigned flags,
                                         clb_error *err);

/* Filters of the audit log (0/NULL: any), rendered as clb_store_audit_list. object:
 * entries whose object is it or ends with " OBJECT" ("235" finds "placement 235"),
 * or whose detail names it as worker or vacancy. by: the actor. since: entries at or
 * after this date or time (UTC, "YYYY-MM-DD[THH:MM:SSZ]"). */
typedef struct clb_audit_filter {
    long limit;
    const char *object, *by, *since;
} clb_audit_filter;

CLB_EXTERN int clb_store_audit_query(clb_buf *out, clb_store *store, const clb_audit_filter *f,
                                     unsigned flags, clb_error *err);

/* ---- corrections ---- */

/*
 * Revert the last transition of each placement, all or nothing, each audited as
 * `placement.undo` (before/after, worker, vacancy, note): confirmed or declined ->
 * proposed while the placement's round is still the season's latest; cancelled ->
 * confirmed while no round has run since; departed -> confirmed, returned or
 * not_returned -> departed (their dates cleared). Only in the open season.
 * Returns 0, CLB_ENOTFOUND, CLB_ESTATE (the message says what depends on it), CLB_EINVAL.
 */
CLB_EXTERN int clb_desk_placement_undo(clb_buf *out, clb_store *store, const long *ids, size_t n,
                                       const char *note, unsigned flags, clb_error *err);

/*
 * Delete round `round` (audited as `round.delete`): only the latest round of the open
 * season, and only when none of its proposals was confirmed, declined or cancelled.
 * Returns 0, CLB_ENOTFOUND, CLB_ESTATE.
 */
CLB_EXTERN int clb_desk_round_delete(clb_buf *out, clb_store *store, long round, clb_error *err);

#ifdef __cplusplus
}
#endif
#endif
