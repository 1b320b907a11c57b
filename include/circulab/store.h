/*
 * store.h - the system of record: an SQLite database of workers, employers,
 * vacancies, quotas, training sessions, reintegration programmes, offer sources,
 * matching rounds with their placements, the placement lifecycle, seasons and an
 * append-only audit log (docs/DATABASE.md §6). docs/DATABASE.md describes the schema.
 *
 * A store is one open database. Every command-level operation is one transaction:
 * it happens whole or not at all, and a crash at any point leaves the previous state.
 * Two processes may use the same database at once: writers wait for each other (up
 * to a busy timeout of 30 s) and readers never block.
 *
 * Functions that print for a person or a program render into a clb_buf: plain text
 * by default, one JSON document with CLB_STORE_JSON. The caller prints the buffer.
 */
#ifndef CIRCULAB_STORE_H
#define CIRCULAB_STORE_H

#include "common.h"
#include "explain.h"
#include "scenario.h"
#include "solve.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct clb_store clb_store;

/* Flags of clb_store_open. */
#define CLB_STORE_CREATE 0x1u   /* create the file (mode 0600) when it does not exist */
#define CLB_STORE_READONLY 0x2u /* open for reading only */

/* Rendering flags of the functions that fill a clb_buf. */
#define CLB_STORE_JSON 0x100u   /* one JSON document instead of plain text */
#define CLB_STORE_CSV 0x200u    /* CSV (placement and audit lists): a header row, then
                                 * one row each, every cell through the formula guard */

/* The schema version this library writes (PRAGMA user_version). */
#define CLB_STORE_SCHEMA_VERSION 6

/*
 * Open a database, creating and migrating its schema as needed.
 *
 * out:   receives the store (release with clb_store_close)
 * path:  the database file
 * flags: CLB_STORE_CREATE to create a missing file (otherwise a missing file is
 *        CLB_EIO, "run 'circulab init'"), CLB_STORE_READONLY
 * Returns 0, CLB_EDB (not a circulab database, newer schema, locked
 * beyond the busy timeout), CLB_EIO or CLB_ENOMEM.
 */
CLB_EXTERN int clb_store_open(clb_store **out, const char *path, unsigned flags, clb_error *err);

/* Close a store. Accepts NULL. */
CLB_EXTERN void clb_store_close(clb_store *store);

/* The schema version of the open database. */
CLB_EXTERN int clb_store_schema_version(const clb_store *store);

/*
 * Who is acting, for the audit log (a login name or --by). The string is copied.
 * Default: "unknown".
 */
CLB_EXTERN int clb_store_set_actor(clb_store *store, const char *actor);

/* Explicit transactions, for callers that group several calls (for example a fetch
 * of many pages). Nested begin is an error. Other functions use their own
 * transaction when none is open, and join the open one otherwise. */
CLB_EXTERN int clb_store_begin(clb_store *store, clb_error *err);
CLB_EXTERN int clb_store_commit(clb_store *store, clb_error *err);
CLB_EXTERN void clb_store_rollback(clb_store *store);

/* ---- import -------------------------------------------------------------------- */

/* The most bytes a file read by clb_store_import may have (0: the default,
 * CLB_INPUT_MAX_BYTES_DEFAULT); a larger file is an error naming it and the limit. */
CLB_EXTERN void clb_store_set_input_limit(clb_store *store, size_t max_bytes);

/* How long a change waits for another process's write (a round run, an import) to end
 * before it fails as busy: `seconds` (default 30; at least 0.001). */
CLB_EXTERN void clb_store_set_busy_timeout(clb_store *store, double seconds);

/* How the dates of a CSV file are written: ISO YYYY-MM-DD (the default), DD/MM/YYYY
 * or MM/DD/YYYY ('/', '-' or '.' between the parts). Never guessed. */
typedef enum { CLB_DATES_ISO = 0, CLB_DATES_DMY, CLB_DATES_MDY } clb_date_order;

/* How the CSV files the store reads (import, placement batches) are written: the
 * delimiter ',' ';' or '\t' (0: read off the header line) and the date order.
 * Returns 0 or CLB_EINVAL. docs/AGENCY.md says what else a spreadsheet's CSV may hold. */
CLB_EXTERN int clb_store_set_csv_format(clb_store *store, char delimiter,
                                        clb_date_order dates, clb_error *err);

/* Counts of records written by an import. */
typedef struct clb_import_stats {
    size_t workers, employers, vacancies, quotas, sessions, programmes, pairs;
    bool policy; /* the stored policy was replaced */
    /* workers = workers_added + workers_updated + workers_unchanged */
    size_t workers_added, workers_updated;
    size_t history_set;      /* workers whose stored history the files changed */
    size_t history_kept;     /* workers whose file history was older than the
                                database's and was not applied (see below) */
    size_t pins_ignored;     /* pins of documents not stored: the database has rounds */
    size_t previous_ignored; /* `previous` entries of documents (never stored) */
    size_t workers_unchanged; /* stored exactly so already: nothing written, their
                                 updated_at (the last activity) kept */
} clb_import_stats;

/* Flags of clb_store_import. */
#define CLB_IMPORT_POLICY 0x1u /* replace the stored policy even when the document's
                                  policy equals the defaults */
#define CLB_IMPORT_HISTORY 0x2u /* apply the files' worker histories even where they
                                   are older than the database's (--history-from-file) */

/*
 * Import files into the database, all or nothing: scenario documents
 * (docs/FORMATS.md §2) and CSV files of workers, vacancies or employers (columns in
 * docs/DATABASE.md; the kind is told by the header). Records are upserted by id. A
 * document may refer to employers (and, in pins/bans/scores, to workers and vacancies)
 * already in the database.
 *
 * History never moves backwards: a worker record whose history is older than the
 * stored one in any of campaigns, last_return or banned_until (a re-imported earlier
 * scenario) keeps the stored history whole, unless flags has CLB_IMPORT_HISTORY.
 * Pins of a document are stored only while the database has no rounds; `previous`
 * entries are never stored (the lifecycle is the previous plan). After the files are
 * written, the database must still assemble into scenarios the reader accepts (the
 * open round's inputs and `export --all`); otherwise nothing is written and the
 * problem is reported (CLB_EINVAL), e.g. a pin the change makes ineligible.
 *
 * problems: receives one line per error, "FILE:LINE:COL: message" or
 *           "FILE: $.json.path: message" (may be NULL)
 * Returns 0, CLB_EINVAL (invalid records; nothing was written), CLB_EPARSE,
 * CLB_EIO, CLB_EDB or CLB_ENOMEM.
 */
CLB_EXTERN int clb_store_import(clb_store *store, clb_import_stats *stats,
                                const char *const *paths, size_t n_paths, unsigned flags,
                                clb_buf *problems, clb_error *err);

/* ---- pins ---------------------------------------------------------------------- */

/*
 * The database's pins (docs/FORMATS.md §2.8: the placement must be in the next
 * round's result).
 * list: every pin with its vacancy's status (text table, or a JSON array with
 *       CLB_STORE_JSON). add: the worker must be active and the vacancy open, and the
 *       pair eligible - the database must still assemble into a valid round, or the
 *       pin is refused (CLB_EINVAL, the reader's reason in err and `problems`); adding
 *       an existing pin changes nothing. release: CLB_EINVAL when there is no such pin.
 * add and release are audited (`pin.add`, `pin.release`, with the optional note).
 */
CLB_EXTERN int clb_store_pin_list(clb_buf *out, clb_store *store, unsigned flags, clb_error *err);
CLB_EXTERN int clb_store_pin_add(clb_buf *out, clb_store *store, const char *worker,
                                 const char *vacancy, const char *note, clb_buf *problems,
                                 clb_error *err);
CLB_EXTERN int clb_store_pin_release(clb_buf *out, clb_store *store, const char *worker,
                                     const char *vacancy, const char *note, clb_error *err);

/*
 * Upsert the employers and vacancies of a loaded scenario-like document (an offers
 * page, for example), recording `source` (may be NULL) on each vacancy. Vacancies
 * marked withdrawn get status "withdrawn". Joins the open transaction, if any.
 */
CLB_EXTERN int clb_store_upsert_offers(clb_store *store, clb_import_stats *stats,
                                       const clb_scenario *offers, const char *source,
                                       clb_error *err);

/*
 * The employers in the database as a JSON array of scenario records, so that a
 * document referring to them can be loaded and validated.
 */
CLB_EXTERN int clb_store_employers_json(clb_buf *out, clb_store *store, clb_error *err);

/* ---- offer sources (docs/FORMATS.md §5) --------------------------------------- */

typedef struct clb_source_info {
    const char *id;
    const char *url;
    const char *settings;      /* a JSON object as text, "{}" by default */
    const char *etag;          /* may be NULL */
    const char *last_modified; /* may be NULL */
    const char *added_at;
} clb_source_info;

/* Sources are added with clb_offers_source_add (circulab/offers.h), which checks the
 * name, url and settings before the store writes them. */

/* Remove a source; CLB_ENOTFOUND when unknown. Its fetch log stays. */
CLB_EXTERN int clb_store_source_remove(clb_store *store, const char *id, clb_error *err);
/* Call fn for every source, by id (the info is borrowed for the call). */
CLB_EXTERN int clb_store_source_foreach(clb_store *store,
                                        int (*fn)(const clb_source_info *info, void *payload),
                                        void *payload, clb_error *err);
/* Remember the validators of the last successful fetch. */
CLB_EXTERN int clb_store_source_set_validators(clb_store *store, const char *id, const char *etag,
                                               const char *last_modified, clb_error *err);

/* ---- rounds -------------------------------------------------------------------- */

typedef struct clb_round_opts {
    const char *name;     /* may be NULL */
    double time_limit;    /* seconds; 0 = none */
    double gap;           /* 0 = proven optimal */
    bool dry_run;         /* solve and report, store nothing */
    clb_progress_cb progress;
    void *payload;
    int max_attempts;     /* solves before giving up when the season's lifecycle keeps
                             changing during the solve; 0 = 3 */
} clb_round_opts;

CLB_EXTERN void clb_round_opts_init(clb_round_opts *opts);

/*
 * Run a matching round: assemble the round's scenario from the database (open
 * vacancies, active workers with their history, quotas, open sessions and
 * programmes, the policy, scores/pins/bans, declined pairs of this season as bans,
 * confirmed placements of this season as `previous` confirmed, and the last round's
 * proposals as `previous` proposed), solve it, and store the round with its
 * placements, training, reintegration and reserve lists in one transaction.
 *
 * The round is stored only if the season's confirmations, declines, cancellations,
 * pins, bans, policy and latest round are still those it was solved with (checked
 * inside the writing transaction); otherwise it is solved again from a fresh
 * snapshot, up to opts->max_attempts solves, and then refused with CLB_EDB, storing
 * nothing. New records (workers, vacancies) arriving meanwhile do not void it.
 * A confirmed placement of an earlier round keeps its id in the new round.
 *
 * out:       receives the rendering of the round (as clb_store_round_show)
 * out_round: receives the round number (also with dry_run: the number it would get)
 * Returns 0, CLB_EINFEASIBLE (nothing stored; err names the constraints), CLB_EINVAL
 * (the assembled scenario is invalid: problems in err), CLB_ESOLVER, CLB_EDB (also:
 * the lifecycle kept changing), CLB_ESTATE (the season was closed meanwhile)...
 */
CLB_EXTERN int clb_store_round_run(clb_buf *out, long *out_round, clb_store *store,
                                   const clb_round_opts *opts, unsigned flags, clb_error *err);

/*
 * Warnings about round `round` (0: the latest) that a clerk should read before acting
 * on it: it found no eligible worker-vacancy pair, or fewer than half of the previous
 * round's. Each is one line appended to `out`, naming the eligibility rule most pairs
 * fail and what to check; nothing is appended when all is well. Returns 0, CLB_EDB,
 * CLB_ENOMEM.
 */
CLB_EXTERN int clb_store_round_warnings(clb_buf *out, clb_store *store, long round,
                                        clb_error *err);

/* Render the list of rounds. */
CLB_EXTERN int clb_store_round_list(clb_buf *out, clb_store *store, unsigned flags, clb_error *err);

/* Render one round: header, placements with ids and states, fill, training,
 * reintegration, reserve and conflicts. CLB_ENOTFOUND for an unknown round. */
CLB_EXTERN int clb_store_round_show(clb_buf *out, clb_store *store, long round, unsigned flags,
                                    clb_error *err);

/* Render what changed from round a to round b: who moved where, who entered or
 * left, fill per vacancy and the objective. */
CLB_EXTERN int clb_store_round_diff(clb_buf *out, clb_store *store, long a, long b, unsigned flags,
                                    clb_error *err);

/* The number of the latest round, or 0 when there is none. */
CLB_EXTERN int clb_store_round_latest(long *out, clb_store *store, clb_error *err);

/* ---- the placement lifecycle ----------------------------------------------------- */

typedef enum {
    CLB_ACT_CONFIRM,  /* proposed -> confirmed */
    CLB_ACT_DECLINE,  /* proposed -> declined */
    CLB_ACT_DEPART,   /* confirmed -> departed */
    CLB_ACT_RETURN,   /* departed -> returned */
    CLB_ACT_NO_RETURN, /* departed -> not_returned */
    CLB_ACT_CANCEL     /* confirmed -> cancelled: the worker does not leave (visa
                          refused, illness, withdrawal); the place reopens for the next
                          round, the pair is not banned, the history is untouched */
} clb_action;

/* "confirm", "decline", "depart", "return", "no-return", "cancel". */
CLB_EXTERN const char *clb_action_name(clb_action action);

/* One lifecycle change: a placement id and an optional date ("YYYY-MM-DD" or NULL:
 * the departure date defaults to the placement's start, the return date to its end). */
typedef struct clb_change {
    long placement;
    const char *date;
} clb_change;

/*
 * Apply one action to several placements, all or nothing. Confirm and decline apply
 * only to proposals of the latest round of the open season. Each change is written
 * to the audit log with `note` (may be NULL), which for CLB_ACT_CANCEL is the
 * required reason. A confirmation is refused when the season's confirmed placements
 * with the new ones, and the stored pins, could not all hold in one plan (headcount,
 * housing, quotas, training seats, required reintegration...).
 *
 * out: receives one line (or a JSON array) describing the changes made
 * Returns 0, CLB_ENOTFOUND (an unknown id), CLB_ESTATE (an illegal transition: the
 * message names the placement, its state and the action), CLB_EINFEASIBLE (confirm:
 * the message names the pins and constraints that cannot hold together), CLB_EINVAL
 * (also: the round's scenario assembled from the database is invalid), CLB_EDB.
 */
CLB_EXTERN int clb_store_placement_apply(clb_buf *out, clb_store *store, clb_action action,
                                         const clb_change *changes, size_t n, const char *note,
                                         unsigned flags, clb_error *err);

/*
 * As clb_store_placement_apply, with the changes read from a CSV file with a column
 * `placement` and an optional column `date`.
 */
CLB_EXTERN int clb_store_placement_apply_csv(clb_buf *out, clb_store *store, clb_action action,
                                             const char *csv_path, const char *note,
                                             unsigned flags, clb_error *err);

/* Render placements (all, or those round `round` shows when round > 0, or in one
 * state when `status` is not NULL). A placement keeps one id whichever round shows
 * it. */
CLB_EXTERN int clb_store_placement_list(clb_buf *out, clb_store *store, long round,
                                        const char *status, unsigned flags, clb_error *err);

/* One placement as clb_store_placement_foreach reports it (borrowed for the call). */
typedef struct clb_placement_row {
    long id;
    long round;
    const char *worker;
    const char *vacancy;
    const char *employer;
    const char *start;  /* "YYYY-MM-DD" */
    const char *end;
    double value;
    const char *status; /* proposed, confirmed, declined, cancelled, departed,
                           returned or not_returned */
} clb_placement_row;

/* Call fn for every placement (shown by round `round` when > 0: its proposals and
 * the confirmed placements of earlier rounds it kept; in state `status` when not
 * NULL), by id. `row.round` is the round that proposed the placement. A non-zero
 * return of fn stops the walk and is returned. */
CLB_EXTERN int clb_store_placement_foreach(clb_store *store, long round, const char *status,
                                           int (*fn)(const clb_placement_row *row, void *payload),
                                           void *payload, clb_error *err);

/* ---- seasons ------------------------------------------------------------------- */

/* Flags of clb_store_season_close. */
#define CLB_SEASON_FORCE 0x1u /* close although placements are still `departed`
                                 (they count as not returned, without a ban) */

/*
 * Close the open season on `date` ("YYYY-MM-DD"; NULL = today): roll the lifecycle
 * into each worker's history exactly as docs/DATABASE.md §6 says, close the season's
 * vacancies, sessions and programmes (those starting on or before `date`), and open
 * the next season. Refuses (CLB_ESTATE) while placements are `departed` without
 * CLB_SEASON_FORCE.
 */
CLB_EXTERN int clb_store_season_close(clb_buf *out, clb_store *store, const char *date,
                                      const char *name, unsigned flags, clb_error *err);

/* Render the seasons. */
CLB_EXTERN int clb_store_season_list(clb_buf *out, clb_store *store, unsigned flags, clb_error *err);

/*
 * Offer the last closed season again a year later: copy its closed vacancies,
 * sessions and programmes with dates shifted by `years` and ids suffixed with the
 * new start year ("V1" -> "V1-2027"), and shift every active worker's availability
 * by `years`. For planners and the demo.
 */
CLB_EXTERN int clb_store_season_renew(clb_buf *out, clb_store *store, int years, unsigned flags,
                                      clb_error *err);

/* ---- audit --------------------------------------------------------------------- */

/* Render the audit log (the last `limit` entries; 0 = all), oldest first. */
CLB_EXTERN int clb_store_audit_list(clb_buf *out, clb_store *store, long limit, unsigned flags,
                                    clb_error *err);

/* ---- export -------------------------------------------------------------------- */

typedef enum {
    CLB_EXPORT_SCENARIO,       /* the data as a scenario document (JSON) */
    CLB_EXPORT_RESULT,         /* a round's result document (JSON) */
    CLB_EXPORT_INPUTS,         /* the scenario a round was solved on (JSON) */
    CLB_EXPORT_WORKERS_CSV,
    CLB_EXPORT_VACANCIES_CSV,
    CLB_EXPORT_EMPLOYERS_CSV,
    CLB_EXPORT_PLACEMENTS_CSV  /* all placements, or a round's */
} clb_export_kind;

/* Flags of clb_store_export. */
#define CLB_EXPORT_NAMES 0x1u /* include worker names (personal data) */
#define CLB_EXPORT_ALL 0x2u   /* include closed and withdrawn vacancies */
#define CLB_EXPORT_EXCEL 0x4u /* CSV for a spreadsheet in a ';' locale: a byte-order
                               * mark, ';' between cells, decimal commas (CSV kinds) */

/*
 * Export data or a round. `round` selects the round for RESULT, INPUTS and
 * PLACEMENTS_CSV (0 = the latest; ignored otherwise). Worker names only with
 * CLB_EXPORT_NAMES.
 */
CLB_EXTERN int clb_store_export(clb_buf *out, clb_store *store, clb_export_kind kind, long round,
                                unsigned flags, clb_error *err);

/*
 * Explain round `round` of a database (0 = the latest) for one worker or one
 * vacancy (exactly one of `worker`, `vacancy` is non-NULL), from the inputs and plan
 * the round stored: the answer of clb_explain_result (explain.h) for that round.
 * Returns 0, CLB_ENOTFOUND (unknown round, worker or vacancy), CLB_EINVAL (both or
 * neither given), CLB_EDB, CLB_ENOMEM. Release *out with clb_explanation_free.
 */
CLB_EXTERN int clb_store_explain(clb_explanation **out, clb_store *store, long round,
                                 const char *worker, const char *vacancy, clb_error *err);

/* ---- offer state and the fetch log (for `fetch` and `source log`) ---- */

#define CLB_STORE_HAS_OFFER_STATE 1

/* One vacancy as clb_store_offer_foreach reports it (borrowed for the call). */
typedef struct clb_offer_state {
    const char *id;
    const char *source;   /* NULL when the vacancy was imported or submitted */
    const char *status;   /* "open", "withdrawn" or "closed" */
} clb_offer_state;

/*
 * Call fn for every vacancy (all statuses), by id. A non-zero return of fn stops
 * the walk and is returned. Read-only; joins the open transaction if any.
 */
CLB_EXTERN int clb_store_offer_foreach(clb_store *store,
                                       int (*fn)(const clb_offer_state *offer, void *payload),
                                       void *payload, clb_error *err);

/* Kinds of record clb_store_record_lookup reads. */
typedef enum { CLB_RECORD_EMPLOYER, CLB_RECORD_VACANCY } clb_record_kind;

/*
 * Append the stored record (the canonical JSON object of docs/FORMATS.md §2.3 or 2.4,
 * with an employer's sites) of employer or vacancy `id` to out. A partial record
 * from a feed or a submission is merged into it, so that nothing the database knows
 * is dropped by a source that does not send it. Joins the open transaction if any
 * (inside a write transaction, the record is the one the write will change).
 * Returns 0, CLB_ENOTFOUND, CLB_EDB or CLB_ENOMEM.
 */
CLB_EXTERN int clb_store_record_lookup(clb_buf *out, clb_store *store, clb_record_kind kind,
                                       const char *id, clb_error *err);

typedef struct clb_fetch_log_entry {
    const char *source_id;
    const char *started_at;   /* ISO 8601 UTC "YYYY-MM-DDTHH:MM:SSZ" */
    const char *finished_at;
    const char *status;       /* "ok", "unchanged", "failed", "rejected" */
    int http_status;          /* last HTTP status, 0 when no response */
    int pages;
    int added, updated, withdrawn, rejected;
    const char *message;      /* NULL or one line; never contains secrets */
} clb_fetch_log_entry;

/* Append one fetch to the log (own transaction unless one is open). */
CLB_EXTERN int clb_store_fetch_log_append(clb_store *store, const clb_fetch_log_entry *entry,
                                          clb_error *err);

/*
 * Render the fetch log, oldest first: of one source (source_id) or all (NULL); the
 * last `limit` rows (0 = all). Plain text: one line per fetch
 * "ID SOURCE STARTED FINISHED STATUS http=N pages=N added=N updated=N withdrawn=N
 *  rejected=N [MESSAGE]"; CLB_STORE_JSON: an array of objects with those keys
 * (id, source, started_at, finished_at, status, http_status, pages, added, updated,
 *  withdrawn, rejected, message).
 */
CLB_EXTERN int clb_store_fetch_log_list(clb_buf *out, clb_store *store, const char *source_id,
                                        long limit, unsigned flags, clb_error *err);

#ifdef __cplusplus
}
#endif
#endif
