/*
 * util.h - the engine's small building blocks: an arena allocator, byte buffers,
 * calendar dates, a string interning table and error helpers.
 *
 * A scenario lives in one arena: its thousands of small strings and arrays are freed
 * in one call, and nothing is allocated per eligible pair.
 */
#ifndef CLB_UTIL_H
#define CLB_UTIL_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>
#include "circulab/common.h"

/* ---- errors -------------------------------------------------------------------- */

/* Set err (when non-NULL and still empty) to code and a formatted message. Returns code. */
int clb__error_set(clb_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* clb__error_set(err, CLB_ENOMEM, "out of memory"): returns CLB_ENOMEM. */
int clb__oom(clb_error *err);
/* Set err->source when it is still empty. */
void clb__error_set_source(clb_error *err, const char *source);
/* Copy a whole error record into err when err has no message yet (innermost wins),
 * else only its code when err has none. Returns from->code. */
int clb__error_copy(clb_error *err, const clb_error *from);

/* ---- arena --------------------------------------------------------------------- */

typedef struct clb_arena_block clb_arena_block;
typedef struct clb_arena {
    clb_arena_block *head;
    size_t used;
    size_t cap;
} clb_arena;

void clb__arena_init(clb_arena *arena);
void clb__arena_dispose(clb_arena *arena);
/* Zeroed memory, 16-byte aligned, NULL when out of memory. */
void *clb__arena_alloc(clb_arena *arena, size_t size);
char *clb__arena_strdup(clb_arena *arena, const char *s);
char *clb__arena_strndup(clb_arena *arena, const char *s, size_t n);

/* ---- buffers ------------------------------------------------------------------- */

int clb__buf_grow(clb_buf *buf, size_t extra);
int clb__buf_put(clb_buf *buf, const char *data, size_t len);
int clb__buf_puts(clb_buf *buf, const char *s);
int clb__buf_printf(clb_buf *buf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int clb__buf_vprintf(clb_buf *buf, const char *fmt, va_list ap);
/* Append s as a JSON string literal, quotes included. */
int clb__buf_put_json_string(clb_buf *buf, const char *s);
/* Append a JSON number: integers without a fraction, others with up to 17 digits. */
int clb__buf_put_json_number(clb_buf *buf, double x);
void clb__buf_clear(clb_buf *buf);

/*
 * Append one CSV cell: every CSV circulab writes goes through here. RFC 4180 quoting
 * (a cell holding a comma, quote, CR or LF, or starting or ending with a space, is
 * quoted, inner quotes doubled). A text cell a spreadsheet would run as a formula --
 * starting with '=', '+', '-', '@', tab or CR (OWASP's list) -- is written with a
 * leading apostrophe, which spreadsheets show as text; a number such as "-5" or
 * "+1.5e3" is written as it is (docs/DATABASE.md, "CSV cells and formulas").
 */
int clb__buf_put_csv_cell(clb_buf *buf, const char *s);
/* As clb__buf_put_csv_cell, for a file whose cells are separated by `sep` (';' in the
 * spreadsheet form of `export --excel`): a cell holding `sep` is quoted too. */
int clb__buf_put_csv_cell_sep(clb_buf *buf, const char *s, char sep);
/* Is s a cell clb__buf_put_csv_cell guarded ("'" then a formula character)? The CSV
 * reader drops that apostrophe, so an export imports back unchanged. */
bool clb__csv_cell_is_guarded(const char *s);

/* ---- dates --------------------------------------------------------------------- */

/* Days since 1970-01-01 in the proleptic Gregorian calendar. */
typedef int32_t clb_date;
#define CLB_DATE_NONE INT32_MIN

/* Parse exactly "YYYY-MM-DD" (a real calendar date). Returns true on success. */
bool clb__date_parse(clb_date *out, const char *s);
clb_date clb__date_from_ymd(int y, int m, int d);
void clb__date_to_ymd(clb_date date, int *y, int *m, int *d);
/* Write "YYYY-MM-DD" into out (at least 11 bytes). */
void clb__date_format(char *out, clb_date date);
/* Age in full years on `on` of someone born on `birth` (docs/FORMATS.md §1). */
int clb__date_age(clb_date birth, clb_date on);

/* ---- string interning -------------------------------------------------------- */

/*
 * Maps strings to dense ids 0, 1, 2, ... so that the engine compares integers, not
 * strings. Strings are copied into the table's own arena.
 */
typedef struct clb_strtab {
    clb_arena arena;
    const char **strs; /* id -> string */
    size_t count;
    size_t strs_cap;
    int32_t *slots;    /* open addressing: id, or -1 */
    size_t nslots;
} clb_strtab;

void clb__strtab_init(clb_strtab *tab);
void clb__strtab_dispose(clb_strtab *tab);
/* Id of s, adding it when new. Returns the id (>= 0) or CLB_ENOMEM. */
int32_t clb__strtab_intern(clb_strtab *tab, const char *s);
/* Id of s, or -1 when it was never interned. */
int32_t clb__strtab_lookup(const clb_strtab *tab, const char *s);
/* The string of an id (borrowed). */
const char *clb__strtab_get(const clb_strtab *tab, int32_t id);
/*
 * Renumber the table so that ids follow the strings' byte order (strcmp, as SQLite's
 * ORDER BY): afterwards id a < id b exactly when string a sorts before string b.
 * old_to_new (tab->count entries, caller-owned) receives each old id's new id.
 * Strings keep their addresses. Returns 0 or CLB_ENOMEM (the table unchanged).
 */
int clb__strtab_sort(clb_strtab *tab, int32_t *old_to_new);

/* ---- integer map --------------------------------------------------------------- */

/* A hash map from int32 keys (>= 0) to int32 values, open addressing. */
typedef struct clb_intmap {
    int32_t *keys;
    int32_t *vals;
    size_t nslots;
    size_t count;
} clb_intmap;

void clb__intmap_init(clb_intmap *map);
void clb__intmap_dispose(clb_intmap *map);
int clb__intmap_put(clb_intmap *map, int32_t key, int32_t val);
/* The value of key, or -1 when absent. */
int32_t clb__intmap_get(const clb_intmap *map, int32_t key);

/* ---- output files ------------------------------------------------------------ */

/*
 * The name under which a third-party library that only writes files by name (GLPK's
 * glp_write_mps) writes the content of `file`: its temporary file, or the target
 * itself when it is written in place. clb_file_commit then renames it as usual.
 */
const char *clb__file_name_for_library(const clb_file *file);

/* ---- misc ---------------------------------------------------------------------- */

double clb__now_seconds(void); /* monotonic clock */
/* The current time in UTC, "YYYY-MM-DDTHH:MM:SSZ" (the store's and logs' timestamps). */
void clb__now_iso(char out[32]);
/* qsort/bsearch comparators: int32_t values; C strings (elements are `char *`). */
int clb__cmp_str(const void *a, const void *b);
int clb__cmp_int32(const void *a, const void *b);
/* Sort and de-duplicate an int32 array in place; returns the new length. */
size_t clb__sort_unique_int32(int32_t *v, size_t n);
/* Is x in the sorted array v[0..n)? */
bool clb__sorted_contains(const int32_t *v, size_t n, int32_t x);
/*
 * order[0..n) := the positions 0..n-1 by decreasing val[position], equal values in
 * increasing position: a merge sort (tmp holds n entries), stable whatever the C
 * library's qsort, so plans built in this order are the same on any machine.
 */
void clb__order_by_value_desc(uint32_t *order, uint32_t *tmp, const double *val, size_t n);

#endif
