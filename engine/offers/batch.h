/*
 * batch.h - what the files of engine/offers/ share: the batch of accepted records of
 * one fetch or submission, and the steps that fill it and write it.
 *
 * The files, bottom up: validate.c (the batch, merging partial records over stored
 * ones, validating one record with the scenario reader), native.c (circulab-offers/1
 * pages) and jobposting.c (schema.org JobPosting pages) that read a page into the
 * batch, write.c (the batch through the store in one transaction), sources.c (the
 * sources' settings), then run.c (a fetch: pages, limits, the fetch log) and
 * submit.c (files and the portal's bodies). Private to the folder: the portal sees
 * offers_impl.h only.
 */
#ifndef CLB_OFFERS_BATCH_H
#define CLB_OFFERS_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "circulab/offers.h"
#include "io/json.h"
#include "rules/maps.h"
#include "store/maps.h"
#include "util/util.h"

#define OFFERS_FORMAT "circulab-offers/1"
#define SCENARIO_FORMAT "circulab-scenario/1"

/* ---- the batch (validate.c) ------------------------------------------------------ */

typedef struct rec {
    char *id;       /* the record's id (arena) */
    char *raw;      /* the record as the source sent it: only the fields it carries */
    char *text;     /* raw merged over the stored record: what is validated (arena) */
    char *where;    /* "page N: PATH" for messages (arena) */
    bool withdrawn;
    int32_t employer; /* vacancies: the employer's id in emp_ids */
} rec;

typedef struct rec_vec {
    rec *v;
    size_t n, cap;
} rec_vec;

/* A native vacancy read from a page, validated once every page is in (it may refer
 * to an employer of a later page). Only compact texts are kept, never the page. */
typedef struct pending {
    char *id, *emp, *text, *page, *path; /* arena */
    bool withdrawn;
} pending;

typedef struct unmapped_value {
    int kind;      /* clb_map_kind */
    char *value;   /* in the batch's arena */
    int offers;
} unmapped_value;

typedef struct batch {
    const char *source;           /* source id or file name, for messages */
    const char *owner;            /* the source stored on vacancies (NULL: submitted) */
    const char *default_employer; /* may be NULL */
    clb_store *store;             /* NULL when parsing without a database */
    clb_buf *problems;            /* may be NULL */
    clb_arena arena;
    clb_strtab emp_ids;           /* accepted feed employers, id -> index in emps */
    rec_vec emps;
    clb_strtab vac_ids;           /* accepted vacancies */
    rec_vec vacs;
    bool db_loaded;
    clb_strtab db_ids;            /* employers of the database */
    rec_vec db_emps;
    clb_strtab owned_ids;         /* vacancies in the database ... */
    char **owned_src;             /* ... and their source (NULL: none) */
    size_t owned_cap;
    bool owned_loaded;
    bool single_root;             /* a submitted file of one vacancy object */
    clb_diags *diags;             /* problems with path and rule (may be NULL) */
    bool replace;                 /* vacancies replace stored ones (no merging) */
    bool policy_loaded;
    clb_buf policy;               /* the database's policy document, "" when none */
    const char *rule;             /* the rule of the problem being reported */
    bool defer;                   /* native vacancies wait in `pend` (fetches) */
    pending *pend;
    size_t n_pend, cap_pend;
    int rejected;
    int problem_lines;
    int oom;
    const clb__maps *maps;        /* the agency's mapping tables (fetches; may be NULL) */
    unmapped_value *unmapped;     /* values without a mapping, with their offer counts */
    size_t n_unmapped, cap_unmapped;
    clb_strtab doc_emps;          /* every employer id the pages' records carry */
} batch;
typedef struct path_map {
    const char *emp_path; /* path of the employer record on the page, or NULL */
    const char *vac_path; /* path of the vacancy record on the page, or NULL */
    bool jobposting;      /* rename native keys to JobPosting ones */
} path_map;

void clb__offers_batch_init(batch *b);
void clb__offers_batch_dispose(batch *b);

/* Serialise a JSON value to compact text, leaving out member `skip` of the top
 * object (may be NULL). */
int clb__offers_put_json(clb_buf *out, const clb_json *v, const char *skip);

/* A string in the batch's arena (NULL and b->oom set when out of memory). */
char *clb__offers_arena_printf(batch *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* "page N (URL): PATH" (just PATH without a page), and the same for base + suffix. */
char *clb__offers_at(batch *b, const char *page, const char *path);
char *clb__offers_at2(batch *b, const char *page, const char *base, const char *suffix);

/* One problem line "SOURCE: WHERE: MESSAGE" (and a diagnostic with b->rule). */
void clb__offers_problem(batch *b, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void clb__offers_problems_tail(batch *b);
/* Values without a mapping: one more offer rejected for `value`; their report. */
void clb__offers_note_unmapped(batch *b, clb_map_kind kind, const char *value);
/* The same for a native record's value at `where` (page and JSON path), with a
 * diagnostic at that path (rule "mapping") so that the portal names the field;
 * `count`: false when the record was counted for this value already. */
void clb__offers_unmapped_at(batch *b, const char *where, clb_map_kind kind,
                             const char *value, bool count);
int clb__offers_put_unmapped(clb_buf *out, const batch *b, const char *prefix);

/* What the database holds: whether vacancy `id` is stored (*src: its source), the
 * stored record of an employer or vacancy, and `incoming` merged over it. */
bool clb__offers_db_has_vacancy(batch *b, const char *id, const char **src);
bool clb__offers_stored_record(batch *b, clb_buf *out, clb_record_kind kind,
                               const char *id);
int clb__offers_merge_stored(batch *b, clb_buf *out, clb_record_kind kind, const char *id,
                             const char *incoming);

/* Validate records as a synthetic scenario; returns the number of problems. */
int clb__offers_check_records(batch *b, const char *emp, const char *vac,
                              const char *page, const path_map *m);
/* Accept an employer or a vacancy record into the batch (or reject it, counted). */
void clb__offers_add_employer(batch *b, const char *id, const char *text,
                              const char *page, const path_map *m, bool lenient);
void clb__offers_add_vacancy(batch *b, const char *id, const char *emp, const char *text,
                             bool withdrawn, const char *page, const path_map *m);
/* The employer record vacancies are validated with: the feed's, else the database's. */
const char *clb__offers_employer_text(batch *b, const char *id);

/* ---- pages (native.c, jobposting.c) ------------------------------------------------ */

/* A page's format (auto: decided from the document) and its frame checked; *next
 * receives a native page's `next`. */
int clb__offers_page_frame(clb_offers_format *out, const clb_json *root,
                           clb_offers_format want, const char *label, const char **next,
                           clb_error *err);
int clb__offers_native_check(const clb_json *root, const char *page, clb_error *err);
void clb__offers_native_employers(batch *b, const clb_json *root, const char *page);
void clb__offers_native_vacancies(batch *b, const clb_json *root, const char *page);
/* The native vacancies deferred until every page's employers are in (fetches). */
void clb__offers_flush_pending(batch *b);

bool clb__offers_looks_like_jobposting(const clb_json *root);
/* Every JobPosting of a page (one object, an array, an ItemList or @graph). */
int clb__offers_jp_page(batch *b, const clb_json *root, const char *page, clb_error *err);

/* ---- writing (write.c) ------------------------------------------------------------- */

/* The accepted records, inside the store's open transaction; counts into rep. */
int clb__offers_write_batch(clb_offers_report *rep, batch *b, clb_error *err);

/* ---- sources (sources.c) ------------------------------------------------------------ */

/* A source's row and settings, copied for a fetch. */
typedef struct source_copy {
    const char *want;
    bool found;
    clb_buf url, etag, last_modified, token_env, employer;
    clb_offers_format format;
} source_copy;

/* The source `name` (CLB_ENOTFOUND when there is none); dispose it after. */
int clb__offers_source_get(source_copy *out, clb_store *store, const char *name,
                           clb_error *err);
void clb__offers_source_dispose(source_copy *s);

#endif
