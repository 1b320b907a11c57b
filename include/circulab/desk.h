/*
 * desk.h - the agency's desk: look-ups of workers, vacancies and employers, filtered
 * placement and audit lists, and corrections (undo a transition, delete a round).
 *
 * Look-ups only read (one read snapshot each) and return data: a clb_desk_view of
 * tables (a list is one table, a record its sections in order), each cell a number or
 * text as the database holds it. How they look (aligned text, JSON, CSV) is the
 * caller's choice. Worker names and birth dates are selected only with CLB_DESK_NAMES.
 * Corrections return what they changed.
 */
#ifndef CIRCULAB_DESK_H
#define CIRCULAB_DESK_H

#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CLB_DESK_NAMES 0x400u /* worker names and birth dates (personal data) */

/* The kind of a cell: no value, a number (or true / false), or text. */
typedef enum { CLB_DESK_NULL, CLB_DESK_NUM, CLB_DESK_TEXT } clb_desk_kind;

/* A cell: its value as text (a number as the database writes it), NULL when none. */
typedef struct clb_desk_cell {
    char *text;
    int kind; /* clb_desk_kind */
} clb_desk_cell;

/*
 * A table of a look-up: named columns and rows of cells, cell (r, c) being
 * cells[r * ncols + c]. A record's section has a name ("worker", "placements"); a
 * `single` section is one record (key / value), its one row present or not.
 */
typedef struct clb_desk_table {
    const char *name; /* the section's name (static text); NULL in a list */
    bool single;
    size_t ncols, nrows;
    char **cols;
    clb_desk_cell *cells;
    size_t cap; /* rows allocated */
} clb_desk_table;

/* What a look-up returns: one table (lists) or a record's sections in order. Owned by
 * the caller once returned: release with clb_desk_view_dispose. */
typedef struct clb_desk_view {
    clb_desk_table *tables;
    size_t n;
} clb_desk_view;

/* Release a view's memory and reset it to empty (accepts an empty view). */
CLB_EXTERN void clb_desk_view_dispose(clb_desk_view *view);

/* Filters of worker list; NULL means any. status: a placement state in the open
 * season, "unplaced" (no placement of the open season other than declined or
 * cancelled) or "banned" (banned_until today or later). search: a substring of the
 * id, and of the name only with CLB_DESK_NAMES (case-insensitive). */
typedef struct clb_worker_filter {
    const char *region, *country, *status, *search;
} clb_worker_filter;

CLB_EXTERN int clb_desk_worker_list(clb_desk_view *out, clb_store *store,
                                    const clb_worker_filter *f, unsigned flags,
                                    clb_error *err);

/* One worker: record and history, every placement across rounds (id, round, state),
 * bans with their end, pins, and for the open round each open vacancy with whether
 * the worker is eligible or the first eligibility rule that fails (the engine's own
 * rules on the next round's inputs). CLB_ENOTFOUND for an unknown id. */
CLB_EXTERN int clb_desk_worker_show(clb_desk_view *out, clb_store *store, const char *id,
                                    unsigned flags, clb_error *err);

/* Vacancies of one employer and/or in one status (NULL: any). */
CLB_EXTERN int clb_desk_vacancy_list(clb_desk_view *out, clb_store *store,
                                     const char *employer, const char *status,
                                     clb_error *err);

/* One vacancy: record, fill by state in the open season, placements, the reserve list
 * of the latest round that had it. CLB_ENOTFOUND for an unknown id. */
CLB_EXTERN int clb_desk_vacancy_show(clb_desk_view *out, clb_store *store, const char *id,
                                     clb_error *err);

/* Employers with sites, beds, vacancies and fill in the open season. */
CLB_EXTERN int clb_desk_employer_list(clb_desk_view *out, clb_store *store, clb_error *err);

/* One employer: record, sites with beds, vacancies with fill, fill by state. */
CLB_EXTERN int clb_desk_employer_show(clb_desk_view *out, clb_store *store, const char *id,
                                      clb_error *err);

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

/* One transition undone by clb_desk_placement_undo. */
typedef struct clb_desk_undone {
    long placement;
    char worker[128], vacancy[128]; /* the placement's ids */
    char before[32];                /* the state it had */
    const char *after;              /* the state it has again (static text) */
} clb_desk_undone;

/*
 * Revert the last transition of each placement, all or nothing, each audited as
 * `placement.undo` (before/after, worker, vacancy, note): confirmed or declined ->
 * proposed while the placement's round is still the season's latest; cancelled ->
 * confirmed while no round has run since; departed -> confirmed, returned or
 * not_returned -> departed (their dates cleared). Only in the open season.
 * out: n entries (the caller's), filled in the order of ids on success.
 * Returns 0, CLB_ENOTFOUND, CLB_ESTATE (the message says what depends on it), CLB_EINVAL.
 */
CLB_EXTERN int clb_desk_placement_undo(clb_desk_undone *out, clb_store *store,
                                       const long *ids, size_t n, const char *note,
                                       clb_error *err);

/*
 * Delete round `round` (audited as `round.delete`): only the latest round of the open
 * season, and only when none of its proposals was confirmed, declined or cancelled.
 * *proposals (when not NULL) is the number of proposals deleted with it.
 * Returns 0, CLB_ENOTFOUND, CLB_ESTATE.
 */
CLB_EXTERN int clb_desk_round_delete(long *proposals, clb_store *store, long round,
                                     clb_error *err);

/*
 * Erase workers' personal data (docs/DATABASE.md "Erasure"): the workers `ids` (n of
 * them), or with n = 0 every worker with no activity since `before` ("YYYY-MM-DD":
 * nothing done with the worker on or after that day - record imported or changed, a
 * placement proposed, changed, ended, departed or returned, a round that considered
 * the worker). A forgotten worker keeps the id, country, region, history and
 * placements; name, birth date, sex, languages, skills, trainings, availability,
 * preferences, exclusions, scores and pins are removed from the worker's row and
 * from every round's stored inputs, the worker is made inactive and never placed
 * again. Each is audited as `worker.forget` with `reason` (required), never with an
 * erased value. After the commit the database's files are scrubbed (secure_delete,
 * TRUNCATE checkpoints and VACUUM); inside a caller's transaction (a dry run) the
 * scrub is left out. All or nothing: refused (CLB_ESTATE) while a worker has a
 * confirmed or departed placement, or a proposal of the latest round, in the open
 * season. Workers already forgotten are reported as unchanged. out: one line per
 * worker, or with CLB_STORE_JSON {"forgotten": [...], "unchanged": [...]}.
 * Returns 0, CLB_EINVAL, CLB_ENOTFOUND, CLB_ESTATE or CLB_EDB.
 */
CLB_EXTERN int clb_desk_worker_forget(clb_buf *out, clb_store *store,
                                      const char *const *ids, size_t n,
                                      const char *before, const char *reason,
                                      unsigned flags, clb_error *err);

#ifdef __cplusplus
}
#endif
#endif
