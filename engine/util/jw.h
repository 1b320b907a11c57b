/*
 * jw.h - the engine's pretty-printing JSON writer: objects and arrays into a clb_buf
 * with two-space indents, over the one value writer (clb__buf_put_json_string and
 * clb__buf_put_json_number, util.h).
 *
 * The writer remembers its first failure (out of memory) in `rc` and writes nothing
 * after it, so a caller writes a whole document and checks once (clb__jw_finish).
 * Initialise with `clb__jw j = CLB__JW_INIT(out);`.
 */
#ifndef CLB_UTIL_JW_H
#define CLB_UTIL_JW_H

#include <stdbool.h>

#include "util/util.h"

typedef struct clb__jw {
    clb_buf *b;
    int rc;        /* 0, or the first failure */
    int depth;     /* open objects and arrays (at most 30 indent) */
    bool has[32];  /* the container at each depth has a member already */
} clb__jw;

#define CLB__JW_INIT(out) {(out), 0, 0, {false}}

/* Text as it is (no escaping). */
void clb__jw_raw(clb__jw *j, const char *s);
/* The separator and indent before a member, and its key when `key` is not NULL. */
void clb__jw_key(clb__jw *j, const char *key);
/* Open an object ('{') or array ('[') as member `key` (NULL in an array). */
void clb__jw_open(clb__jw *j, const char *key, char c);
/* Close it ('}' or ']'); the outermost ends with a line break. */
void clb__jw_close(clb__jw *j, char c);
/* A string member (NULL writes null). */
void clb__jw_str(clb__jw *j, const char *key, const char *v);
void clb__jw_int(clb__jw *j, const char *key, long long v);
void clb__jw_num(clb__jw *j, const char *key, double v);
/* A member whose value is JSON text already (NULL or "" writes null). */
void clb__jw_rawval(clb__jw *j, const char *key, const char *json);
/* 0, or CLB_ENOMEM ("out of memory" in err) when a write failed. */
int clb__jw_finish(const clb__jw *j, clb_error *err);

#endif
