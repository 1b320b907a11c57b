/*
 * save.h - writing a loaded scenario (or single records of it) back out as
 * circulab-scenario/1 JSON text, and a tiny scanner over JSON text.
 *
 * The database keeps each record as the canonical JSON this module writes, so that a
 * round's scenario is assembled by concatenating records and read back with the one
 * scenario reader: there is a single definition of what a record means. The scanner
 * finds members and array elements in JSON text (without building a tree) so that
 * `import` can splice database records into a document that refers to them.
 */
#ifndef CLB_SCENARIO_SAVE_H
#define CLB_SCENARIO_SAVE_H

#include "scenario/scenario_impl.h"

/* Flags of the record writers. */
#define CLB_SAVE_NAME 0x1u    /* write personal names (workers) */
#define CLB_SAVE_HISTORY 0x2u /* write the worker's history object */

/* Append one record as a compact JSON object. Return 0 or CLB_ENOMEM. */
int clb__scenario_save_policy(clb_buf *out, const clb_scenario *s);
int clb__scenario_save_worker(clb_buf *out, const clb_scenario *s, size_t i,
                             unsigned flags);
int clb__scenario_save_history(clb_buf *out, const clb_scenario *s, size_t i);
int clb__scenario_save_employer(clb_buf *out, const clb_scenario *s, size_t i,
                               unsigned flags);
int clb__scenario_save_vacancy(clb_buf *out, const clb_scenario *s, size_t i);
int clb__scenario_save_quota(clb_buf *out, const clb_scenario *s, size_t i);
int clb__scenario_save_session(clb_buf *out, const clb_scenario *s, size_t i);
int clb__scenario_save_programme(clb_buf *out, const clb_scenario *s, size_t i);
int clb__scenario_save_score(clb_buf *out, const clb_scenario *s, size_t i);
int clb__scenario_save_pin(clb_buf *out, const clb_scenario *s, size_t i);
int clb__scenario_save_ban(clb_buf *out, const clb_scenario *s, size_t i);
int clb__scenario_save_previous(clb_buf *out, const clb_scenario *s, size_t i);

/*
 * Append the whole scenario as a circulab-scenario/1 document (pretty enough to
 * read: one record per line). Flags as above. Returns 0 or CLB_ENOMEM.
 */
int clb__scenario_save_doc(clb_buf *out, const clb_scenario *s, unsigned flags);

/* Append an integer in JSON form (never with a fraction). */
int clb__buf_put_json_int(clb_buf *buf, long x);

/* ---- scanning JSON text -------------------------------------------------------- */

/* A byte range [start, end) of a text. */
typedef struct clb_span {
    size_t start, end;
} clb_span;

/*
 * Skip one JSON value starting at text[*pos] (after whitespace); on success *pos is
 * just past it. Returns false on malformed text. Validation is the reader's job: the
 * scanner only needs to find the value's end.
 */
bool clb__jscan_skip_value(const char *text, size_t len, size_t *pos);

/*
 * Find member `key` of the object that starts at text[obj.start]. Returns true and
 * the value's span, or false when the text is not an object or has no such member.
 */
bool clb__jscan_member(clb_span *out, const char *text, clb_span obj, const char *key);

/*
 * The elements of the array at text[arr.start]: calls `fn` for each with its span.
 * Returns false when the text is not an array.
 */
bool clb__jscan_elements(const char *text, clb_span arr,
                        void (*fn)(clb_span elem, void *payload), void *payload);

/*
 * The value of a JSON string at text[span.start] into out (unescaped; \u escapes of
 * the Basic Multilingual Plane and surrogate pairs are decoded to UTF-8).
 * Returns false when the span is not a string.
 */
bool clb__jscan_string(clb_buf *out, const char *text, clb_span span);

#endif
