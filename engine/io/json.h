/*
 * json.h - a small read-only JSON document model for the engine's readers.
 *
 * Only engine/io/json.c includes <jansson.h>; every reader (scenarios, offers, results)
 * walks documents through this interface, so the third-party types stay in one file
 * and the readers share one set of rules: UTF-8 only, duplicate object keys rejected
 * at parse time, objects iterated in document order, any JSON value accepted at the
 * top (the reader then says which type it wanted).
 *
 * Values are borrowed from the document: they live until clb__json_free(root). Jansson
 * does not record where a value sat in the text, so only syntax errors carry a line
 * and column; readers locate everything else by JSON path (clb_json_path_* below
 * build paths such as `$.vacancies[3].headcount`).
 */
#ifndef CLB_JSON_H
#define CLB_JSON_H

#include "circulab/common.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct clb_json clb_json;

typedef enum {
    CLB_JSON_NULL,
    CLB_JSON_BOOL,
    CLB_JSON_INTEGER,
    CLB_JSON_REAL,
    CLB_JSON_STRING,
    CLB_JSON_ARRAY,
    CLB_JSON_OBJECT
} clb_json_type;

/*
 * Parse `len` bytes of JSON. `source` (may be NULL) names the text in err->source.
 * Returns 0 and the root in *out (release with clb__json_free), CLB_EPARSE with
 * err->line/column (1-based) and a message "invalid json at line L, column C: ...",
 * or CLB_ENOMEM.
 */
int clb__json_load_buffer(clb_json **out, const char *buf, size_t len, const char *source,
                         clb_error *err);

/*
 * Check the JSON grammar of `len` bytes without building anything (no allocation) and
 * count what parsing would build: *values (every object, array, string, number and
 * literal, keys not counted) and *depth (deepest nesting of objects and arrays).
 * Either out-parameter may be NULL. Returns true when the text is well-formed JSON
 * (UTF-8 validity, number ranges and duplicate keys are left to the parser). The
 * counts cover the text read before a syntax error.
 */
bool clb__json_measure(size_t *values, size_t *depth, const char *buf, size_t len);

/* As clb__json_load_buffer, reading the file `path`; CLB_EIO when it cannot be read. */
int clb__json_load_file(clb_json **out, const char *path, clb_error *err);

/* Read a whole file into buf (appended), at most CLB_INPUT_MAX_BYTES_DEFAULT bytes.
 * Returns 0, CLB_EIO, CLB_EINVAL (the file is larger than the limit) or CLB_ENOMEM. */
int clb__file_read_all(clb_buf *buf, const char *path, clb_error *err);

/* As clb__file_read_all with a limit of `max_bytes` (0: the default). A larger file is
 * refused before it is read whole: "PATH is N bytes, above the input limit of M bytes". */
int clb__file_read_max(clb_buf *buf, const char *path, size_t max_bytes, clb_error *err);

/* Release a document (its root). Accepts NULL. */
void clb__json_free(clb_json *root);

clb_json_type clb__json_typeof(const clb_json *v);

/*
 * The type as messages name it: "object", "array", "string", "number", "boolean",
 * "null" (integers and reals are both "number").
 */
const char *clb__json_type_name(const clb_json *v);

static inline bool clb_json_is_object(const clb_json *v)
{
    return v && clb__json_typeof(v) == CLB_JSON_OBJECT;
}
static inline bool clb_json_is_array(const clb_json *v)
{
    return v && clb__json_typeof(v) == CLB_JSON_ARRAY;
}
static inline bool clb_json_is_string(const clb_json *v)
{
    return v && clb__json_typeof(v) == CLB_JSON_STRING;
}
static inline bool clb_json_is_null(const clb_json *v)
{
    return v && clb__json_typeof(v) == CLB_JSON_NULL;
}
static inline bool clb_json_is_bool(const clb_json *v)
{
    return v && clb__json_typeof(v) == CLB_JSON_BOOL;
}
static inline bool clb_json_is_number(const clb_json *v)
{
    return v && (clb__json_typeof(v) == CLB_JSON_INTEGER ||
                 clb__json_typeof(v) == CLB_JSON_REAL);
}

/* ---- objects ------------------------------------------------------------------- */

/* The member `key` of an object (borrowed), or NULL when absent or v is no object. */
const clb_json *clb__json_object_get(const clb_json *obj, const char *key);

/* Number of members of an object (0 for other values). */
size_t clb__json_object_size(const clb_json *obj);

/*
 * Iteration over an object's members in document order:
 *
 *     clb_json_iter it;
 *     const char *key;
 *     const clb_json *val;
 *     clb__json_iter_init(&it, obj);
 *     while (clb__json_iter_next(&it, &key, &val)) ...
 *
 * Keys are borrowed NUL-terminated strings (the parser rejects NUL inside keys).
 */
typedef struct clb_json_iter {
    clb_json *object;
    void *pos;
} clb_json_iter;

void clb__json_iter_init(clb_json_iter *it, const clb_json *obj);
bool clb__json_iter_next(clb_json_iter *it, const char **key, const clb_json **value);

/* ---- arrays -------------------------------------------------------------------- */

/* Number of elements of an array (0 for other values). */
size_t clb__json_array_size(const clb_json *arr);

/* Element i (borrowed), or NULL when out of range or arr is no array. */
const clb_json *clb__json_array_get(const clb_json *arr, size_t i);

/* ---- scalars ------------------------------------------------------------------- */

/* The string's bytes (borrowed, NUL-terminated), or NULL for other values. */
const char *clb__json_string(const clb_json *v);

/* Length in bytes of a string value (0 for other values). */
size_t clb__json_string_length(const clb_json *v);

/* A number as a double (integers converted), or 0 for other values. */
double clb__json_number(const clb_json *v);

/*
 * An integer value: true and *out set when v is a JSON integer, or a real with an
 * integral value inside the range of long long (so `40.0` reads as 40).
 */
bool clb__json_integer(const clb_json *v, long long *out);

/* A boolean's value (false for other values). */
bool clb__json_bool(const clb_json *v);

/* ---- JSON paths ---------------------------------------------------------------- */

/*
 * Append a member step to a path: `.key` when key is a plain name (letters, digits,
 * `_`, `-`, not starting with a digit or `-`), otherwise `['key']` with `'` and `\`
 * and control characters escaped. Returns 0 or CLB_ENOMEM.
 */
int clb__json_path_key(clb_buf *path, const char *key);

/* Append an index step `[i]` to a path. Returns 0 or CLB_ENOMEM. */
int clb__json_path_index(clb_buf *path, size_t i);

/*
 * A path walked by a validating reader (the scenario reader, the variant merger):
 * push a step, read below it, pop back to the mark the push returned. A failed
 * allocation sets *oom to CLB_ENOMEM (the reader reports it once, at the end) and the
 * walk goes on, so the reader's code has no error branch per step.
 */
size_t clb__json_path_push_key(clb_buf *path, const char *key, int *oom);
size_t clb__json_path_push_index(clb_buf *path, size_t i, int *oom);
/* Cut the path back to `mark` (a length returned by a push). */
void clb__json_path_pop(clb_buf *path, size_t mark);

/* Route Jansson's allocations to clb__malloc & co (clb_global_init). */
void clb__json_global_init(void);

#endif

/* ---- building and changing documents --------------------------------------------- */
/*
 * Added for scenario variants (variant.c) and the simulation (simulate.c), which edit
 * a scenario at the JSON level and hand the text to the one scenario reader. New
 * values are roots of their own (release with clb__json_free) until they are stored
 * into a container, which then owns them: the *_set and *_append functions take
 * ownership of `value` on every path, failure included.
 */

/* New values; NULL when out of memory (or `s` is not UTF-8). */
clb_json *clb__json_new_object(void);
clb_json *clb__json_new_array(void);
clb_json *clb__json_new_string(const char *s);
clb_json *clb__json_new_integer(long long x);
clb_json *clb__json_new_real(double x);
clb_json *clb__json_new_bool(bool b);
clb_json *clb__json_new_null(void);

/* A deep copy of v (a new root), or NULL when out of memory. */
clb_json *clb__json_copy(const clb_json *v);

/* Writable views of members and elements (NULL as for the read-only getters). */
clb_json *clb__json_object_get_mut(clb_json *obj, const char *key);
clb_json *clb__json_array_get_mut(clb_json *arr, size_t i);

/*
 * Set member `key` (replacing a present one in place, so document order is kept;
 * new keys go last). Takes `value`. Returns 0, CLB_EINVAL (obj is no object) or
 * CLB_ENOMEM.
 */
int clb__json_object_set(clb_json *obj, const char *key, clb_json *value);

/* Remove member `key`. Returns 0 or CLB_ENOTFOUND. */
int clb__json_object_remove(clb_json *obj, const char *key);

/* Append to an array; takes `value`. Returns 0, CLB_EINVAL or CLB_ENOMEM. */
int clb__json_array_append(clb_json *arr, clb_json *value);

/* Remove element i (later elements move down). Returns 0 or CLB_ENOTFOUND. */
int clb__json_array_remove(clb_json *arr, size_t i);

/* Flags of clb__json_save. */
#define CLB_JSON_SAVE_INDENT 0x1u /* one member per line, one-space indent */

/*
 * Append v as JSON text to out (members in document order, reals with up to 17
 * significant digits so they read back exactly). Returns 0 or CLB_ENOMEM.
 */
int clb__json_save(clb_buf *out, const clb_json *v, unsigned flags);
