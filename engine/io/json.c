/*
 * json.c - the engine's read-only JSON document model, over Jansson (see json.h).
 *
 * This is the only file that includes <jansson.h>. A clb_json pointer is a json_t
 * pointer under another name: the wrapper adds no allocation per value, which matters
 * for national-scale scenarios (hundreds of thousands of records). Files are read
 * into memory here rather than by json_load_file so that "cannot read the file"
 * (CLB_EIO) and "not JSON" (CLB_EPARSE) stay distinct.
 */
#include "io/json.h"

#include <errno.h>
#include <jansson.h>
#include <sys/stat.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/util.h"

/* A failed allocation during the current parse (see the allocator at the end). */
static _Thread_local bool jansson_oom;

static json_t *J(const clb_json *v)
{
    return (json_t *)(uintptr_t)v;
}

static const clb_json *C(const json_t *v)
{
    return (const clb_json *)(const void *)v;
}

/* ---- a syntax scanner that allocates nothing ------------------------------------- */

/*
 * Why a second look at the text: Jansson reports a failed allocation in several
 * places as a syntax error ("invalid token" when the lexer cannot copy a string,
 * no message at all when an array cannot grow), so its verdict alone cannot tell
 * "not JSON" (exit 3) from "out of memory" (exit 1). The allocation hook
 * (util/alloc.h, installed by clb_global_init) sees failed allocations directly; for
 * a caller without it, this scanner checks the RFC 8259 grammar without allocating,
 * and when it finds the text well-formed, the failure was a resource. It also counts values and nesting, which lets callers refuse a document
 * whose parsed form would be absurdly large for its size before building it
 * (clb__json_measure). UTF-8 validity, NUL escapes, number ranges and duplicate keys
 * are Jansson's to judge: their error codes are trusted as they are.
 */
typedef struct scan {
    const unsigned char *p, *end;
    size_t values, depth, max_depth;
} scan;

static void scan_ws(scan *sc)
{
    while (sc->p < sc->end &&
           (*sc->p == ' ' || *sc->p == '\t' || *sc->p == '\n' || *sc->p == '\r'))
        sc->p++;
}

static bool scan_lit(scan *sc, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(sc->end - sc->p) < n || memcmp(sc->p, word, n) != 0)
        return false;
    sc->p += n;
    return true;
}

static int scan_hex4(scan *sc)
{
    int v = 0;
    for (int i = 0; i < 4; i++, sc->p++) {
        int c = sc->p < sc->end ? *sc->p : -1, d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static bool scan_string(scan *sc)
{
    sc->p++; /* the opening quote */
    while (sc->p < sc->end && *sc->p != '"') {
        unsigned char c = *sc->p;
        if (c < 0x20)
            return false;
        if (c != '\\') {
            sc->p++;
            continue;
        }
        if (++sc->p >= sc->end)
            return false;
        c = *sc->p++;
        if (c == 'u') {
            int v = scan_hex4(sc);
            if (v < 0 || (v >= 0xDC00 && v <= 0xDFFF))
                return false;
            if (v >= 0xD800 && v <= 0xDBFF) { /* a surrogate pair */
                int w;
                if (sc->end - sc->p < 2 || sc->p[0] != '\\' || sc->p[1] != 'u')
                    return false;
                sc->p += 2;
                w = scan_hex4(sc);
                if (w < 0xDC00 || w > 0xDFFF)
                    return false;
            }
        } else if (!strchr("\"\\/bfnrt", c) || c == '\0') {
            return false;
        }
    }
    if (sc->p >= sc->end)
        return false;
    sc->p++;
    return true;
}

static bool scan_number(scan *sc)
{
    const unsigned char *start;
    if (sc->p < sc->end && *sc->p == '-')
        sc->p++;
    start = sc->p;
    if (sc->p < sc->end && *sc->p == '0')
        sc->p++;
    else
        while (sc->p < sc->end && *sc->p >= '0' && *sc->p <= '9')
            sc->p++;
    if (sc->p == start)
        return false;
    if (sc->p < sc->end && *sc->p == '.') {
        start = ++sc->p;
        while (sc->p < sc->end && *sc->p >= '0' && *sc->p <= '9')
            sc->p++;
        if (sc->p == start)
            return false;
    }
    if (sc->p < sc->end && (*sc->p == 'e' || *sc->p == 'E')) {
        sc->p++;
        if (sc->p < sc->end && (*sc->p == '+' || *sc->p == '-'))
            sc->p++;
        start = sc->p;
        while (sc->p < sc->end && *sc->p >= '0' && *sc->p <= '9')
            sc->p++;
        if (sc->p == start)
            return false;
    }
    return true;
}

/*
 * One value and everything inside it, iteratively (an explicit stack of the open
 * containers' kinds would need memory; one bit per level is enough: depth is capped
 * by the caller's limit or by 4096 levels, beyond which Jansson refuses anyway).
 */
#define SCAN_MAX_DEPTH 4096

static bool scan_document(scan *sc)
{
    unsigned char open[SCAN_MAX_DEPTH / 8];
    memset(open, 0, sizeof(open));
    sc->depth = 0;
    for (;;) {
        /* a value */
        scan_ws(sc);
        if (sc->p >= sc->end)
            return false;
        sc->values++;
        if (*sc->p == '{' || *sc->p == '[') {
            bool obj = *sc->p == '{';
            if (sc->depth >= SCAN_MAX_DEPTH)
                return false;
            if (obj)
                open[sc->depth / 8] |= (unsigned char)(1u << (sc->depth % 8));
            else
                open[sc->depth / 8] &= (unsigned char)~(1u << (sc->depth % 8));
            sc->depth++;
            if (sc->depth > sc->max_depth)
                sc->max_depth = sc->depth;
            sc->p++;
            scan_ws(sc);
            if (sc->p < sc->end && *sc->p == (obj ? '}' : ']')) {
                sc->p++;
                sc->depth--;
                goto after_value;
            }
            if (obj)
                goto member;
            continue;
        }
        if (*sc->p == '"') {
            if (!scan_string(sc))
                return false;
        } else if (*sc->p == '-' || (*sc->p >= '0' && *sc->p <= '9')) {
            if (!scan_number(sc))
                return false;
        } else if (!scan_lit(sc, "true") && !scan_lit(sc, "false") &&
                   !scan_lit(sc, "null")) {
            return false;
        }
    after_value:
        for (;;) {
            bool obj;
            scan_ws(sc);
            if (sc->depth == 0)
                return sc->p == sc->end;
            obj = (open[(sc->depth - 1) / 8] >> ((sc->depth - 1) % 8)) & 1u;
            if (sc->p >= sc->end)
                return false;
            if (*sc->p == ',') {
                sc->p++;
                if (obj)
                    goto member;
                break; /* the next array element */
            }
            if (*sc->p != (obj ? '}' : ']'))
                return false;
            sc->p++;
            sc->depth--;
        }
        continue;
    member:
        /* "key": then a value */
        scan_ws(sc);
        if (sc->p >= sc->end || *sc->p != '"' || !scan_string(sc))
            return false;
        scan_ws(sc);
        if (sc->p >= sc->end || *sc->p != ':')
            return false;
        sc->p++;
    }
}

bool clb__json_measure(size_t *values, size_t *depth, const char *buf, size_t len)
{
    scan sc = {(const unsigned char *)buf, (const unsigned char *)buf + len, 0, 0, 0};
    bool ok;
    if (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
        (unsigned char)buf[2] == 0xBF)
        sc.p += 3;
    ok = scan_document(&sc);
    if (values)
        *values = sc.values;
    if (depth)
        *depth = sc.max_depth;
    return ok;
}

/* Jansson's message without the text it quotes (" near '...'"): the text near an
 * error may be a worker's name or another piece of personal data. */
static void parser_message(char *out, size_t size, const char *text)
{
    const char *near = strstr(text, " near '");
    size_t n = near ? (size_t)(near - text) : strlen(text);
    if (n >= size)
        n = size - 1;
    memcpy(out, text, n);
    out[n] = '\0';
    if (n == 0)
        snprintf(out, size, "invalid syntax");
}

int clb__json_load_buffer(clb_json **out, const char *buf, size_t len, const char *source,
                         clb_error *err)
{
    json_error_t jerr;
    json_t *root;

    *out = NULL;
    memset(&jerr, 0, sizeof(jerr));
    /* A UTF-8 byte-order mark (editors on some systems write one) is accepted. */
    if (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
        (unsigned char)buf[2] == 0xBF) {
        buf += 3;
        len -= 3;
    }
    jansson_oom = false;
    root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (jansson_oom || (!root && json_error_code(&jerr) == json_error_out_of_memory)) {
        /* whatever Jansson made of the text after a failed allocation */
        json_decref(root);
        jansson_oom = false;
        return clb__error_set(err, CLB_ENOMEM, "out of memory parsing json");
    }
    if (!root) {
        enum json_error_code code = json_error_code(&jerr);
        char msg[JSON_ERROR_TEXT_LENGTH];
        bool trusted = code == json_error_invalid_utf8 || code == json_error_null_character ||
                       code == json_error_null_byte_in_key ||
                       code == json_error_duplicate_key ||
                       code == json_error_numeric_overflow ||
                       code == json_error_stack_overflow;
        /* without the allocation hook (a library user that did not call
         * clb_global_init), well-formed text that failed to parse ran out of memory */
        if (!trusted && clb__json_measure(NULL, NULL, buf, len))
            return clb__error_set(err, CLB_ENOMEM, "out of memory parsing json");
        parser_message(msg, sizeof(msg), jerr.text);
        clb__error_set(err, CLB_EPARSE, "invalid json at line %d, column %d: %s",
                      jerr.line, jerr.column, msg);
        if (err && err->code == CLB_EPARSE && err->line == 0) {
            err->line = jerr.line;
            err->column = jerr.column;
            err->lib_code = (int)json_error_code(&jerr);
        }
        clb__error_set_source(err, source);
        return CLB_EPARSE;
    }
    *out = (clb_json *)(void *)root;
    return 0;
}

int clb__file_read_all(clb_buf *buf, const char *path, clb_error *err)
{
    return clb__file_read_max(buf, path, 0, err);
}

static int too_large(clb_error *err, const char *path, long long size, size_t max)
{
    if (size < 0)
        return clb__error_set(err, CLB_EINVAL,
                             "%s is larger than the input limit of %zu bytes (--max-bytes "
                             "N raises it)",
                             path, max);
    return clb__error_set(err, CLB_EINVAL,
                         "%s is %lld bytes, above the input limit of %zu bytes (--max-bytes "
                         "N raises it)",
                         path, size, max);
}

/*
 * Documents are read whole and then parsed into trees several times their size, so
 * an input limit (256 MiB by default) turns "a file too large for this machine" into
 * a clear error instead of an exhausted memory. A regular file is measured before it
 * is read; a pipe or device is counted as it is read.
 */
int clb__file_read_max(clb_buf *buf, const char *path, size_t max_bytes, clb_error *err)
{
    FILE *f = fopen(path, "rb");
    size_t start = buf->size;
    struct stat sb;
    int error = 0;

    if (max_bytes == 0)
        max_bytes = CLB_INPUT_MAX_BYTES_DEFAULT;
    if (!f) {
        error =
            clb__error_set(err, CLB_EIO, "cannot open '%s': %s", path, strerror(errno));
        goto done;
    }
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) &&
        (unsigned long long)sb.st_size > (unsigned long long)max_bytes) {
        error = too_large(err, path, (long long)sb.st_size, max_bytes);
        goto done;
    }
    for (;;) {
        size_t got;
        if (buf->size - start > max_bytes) {
            error = too_large(err, path, -1, max_bytes);
            goto done;
        }
        if (clb__buf_grow(buf, 65536) < 0) {
            error = clb__error_set(err, CLB_ENOMEM, "out of memory reading '%s'", path);
            goto done;
        }
        got = fread(buf->ptr + buf->size, 1, 65536, f);
        buf->size += got;
        buf->ptr[buf->size] = '\0';
        if (got < 65536) {
            if (ferror(f)) {
                error = clb__error_set(err, CLB_EIO, "cannot read '%s': %s", path,
                                      strerror(errno));
                goto done;
            }
            break;
        }
    }
done:
    if (f)
        fclose(f);
    if (error < 0)
        clb__error_set_source(err, path);
    return error;
}

int clb__json_load_file(clb_json **out, const char *path, clb_error *err)
{
    clb_buf text = CLB_BUF_INIT;
    int error;

    *out = NULL;
    if ((error = clb__file_read_all(&text, path, err)) < 0)
        goto done;
    error = clb__json_load_buffer(out, text.ptr ? text.ptr : "", text.size, path, err);
done:
    clb_buf_dispose(&text);
    return error;
}

void clb__json_free(clb_json *root)
{
    if (root)
        json_decref(J(root));
}

clb_json_type clb__json_typeof(const clb_json *v)
{
    switch (json_typeof(J(v))) {
    case JSON_OBJECT:
        return CLB_JSON_OBJECT;
    case JSON_ARRAY:
        return CLB_JSON_ARRAY;
    case JSON_STRING:
        return CLB_JSON_STRING;
    case JSON_INTEGER:
        return CLB_JSON_INTEGER;
    case JSON_REAL:
        return CLB_JSON_REAL;
    case JSON_TRUE:
    case JSON_FALSE:
        return CLB_JSON_BOOL;
    case JSON_NULL:
        return CLB_JSON_NULL;
    }
    return CLB_JSON_NULL;
}

const char *clb__json_type_name(const clb_json *v)
{
    if (!v)
        return "nothing";
    switch (clb__json_typeof(v)) {
    case CLB_JSON_OBJECT:
        return "object";
    case CLB_JSON_ARRAY:
        return "array";
    case CLB_JSON_STRING:
        return "string";
    case CLB_JSON_INTEGER:
    case CLB_JSON_REAL:
        return "number";
    case CLB_JSON_BOOL:
        return "boolean";
    case CLB_JSON_NULL:
        return "null";
    }
    return "null";
}

const clb_json *clb__json_object_get(const clb_json *obj, const char *key)
{
    if (!obj || !json_is_object(J(obj)))
        return NULL;
    return C(json_object_get(J(obj), key));
}

size_t clb__json_object_size(const clb_json *obj)
{
    return obj ? json_object_size(J(obj)) : 0;
}

void clb__json_iter_init(clb_json_iter *it, const clb_json *obj)
{
    it->object = (obj && json_is_object(J(obj))) ? (clb_json *)(void *)J(obj) : NULL;
    it->pos = it->object ? json_object_iter(J(it->object)) : NULL;
}

bool clb__json_iter_next(clb_json_iter *it, const char **key, const clb_json **value)
{
    if (!it->object || !it->pos)
        return false;
    *key = json_object_iter_key(it->pos);
    *value = C(json_object_iter_value(it->pos));
    it->pos = json_object_iter_next(J(it->object), it->pos);
    return true;
}

size_t clb__json_array_size(const clb_json *arr)
{
    return arr ? json_array_size(J(arr)) : 0;
}

const clb_json *clb__json_array_get(const clb_json *arr, size_t i)
{
    return arr ? C(json_array_get(J(arr), i)) : NULL;
}

const char *clb__json_string(const clb_json *v)
{
    return v ? json_string_value(J(v)) : NULL;
}

size_t clb__json_string_length(const clb_json *v)
{
    return v ? json_string_length(J(v)) : 0;
}

double clb__json_number(const clb_json *v)
{
    return v ? json_number_value(J(v)) : 0.0;
}

bool clb__json_integer(const clb_json *v, long long *out)
{
    if (!v)
        return false;
    if (json_is_integer(J(v))) {
        *out = (long long)json_integer_value(J(v));
        return true;
    }
    if (json_is_real(J(v))) {
        double x = json_real_value(J(v));
        /* 2^63 is exactly representable; anything below it in magnitude converts. */
        if (x == floor(x) && x > -9223372036854775808.0 && x < 9223372036854775808.0) {
            *out = (long long)x;
            return true;
        }
    }
    return false;
}

bool clb__json_bool(const clb_json *v)
{
    return v && json_is_true(J(v));
}

/* ---- JSON paths ---------------------------------------------------------------- */

static bool is_plain_name(const char *key)
{
    if (!*key || (*key >= '0' && *key <= '9') || *key == '-')
        return false;
    for (const char *p = key; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

int clb__json_path_key(clb_buf *path, const char *key)
{
    int rc;

    if (is_plain_name(key))
        return clb__buf_put(path, ".", 1) < 0 ? CLB_ENOMEM : clb__buf_puts(path, key);
    rc = clb__buf_put(path, "['", 2);
    for (const unsigned char *p = (const unsigned char *)key; rc == 0 && *p; p++) {
        if (*p == '\'' || *p == '\\')
            rc = clb__buf_printf(path, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            rc = clb__buf_printf(path, "\\u%04x", *p);
        else
            rc = clb__buf_put(path, (const char *)p, 1);
    }
    return rc < 0 ? CLB_ENOMEM : clb__buf_put(path, "']", 2);
}

int clb__json_path_index(clb_buf *path, size_t i)
{
    return clb__buf_printf(path, "[%zu]", i);
}

size_t clb__json_path_push_key(clb_buf *path, const char *key, int *oom)
{
    size_t mark = path->size;
    if (clb__json_path_key(path, key) < 0)
        *oom = CLB_ENOMEM;
    return mark;
}

size_t clb__json_path_push_index(clb_buf *path, size_t i, int *oom)
{
    size_t mark = path->size;
    if (clb__json_path_index(path, i) < 0)
        *oom = CLB_ENOMEM;
    return mark;
}

void clb__json_path_pop(clb_buf *path, size_t mark)
{
    if (path->ptr && mark <= path->size) {
        path->size = mark;
        path->ptr[mark] = '\0';
    }
}

/* ---- building and changing documents (see json.h) --------------------------------- */

clb_json *clb__json_new_object(void)
{
    return (clb_json *)(void *)json_object();
}

clb_json *clb__json_new_array(void)
{
    return (clb_json *)(void *)json_array();
}

clb_json *clb__json_new_string(const char *s)
{
    return (clb_json *)(void *)json_string(s);
}

clb_json *clb__json_new_integer(long long x)
{
    return (clb_json *)(void *)json_integer((json_int_t)x);
}

clb_json *clb__json_new_real(double x)
{
    return (clb_json *)(void *)json_real(x);
}

clb_json *clb__json_new_bool(bool b)
{
    return (clb_json *)(void *)json_boolean(b);
}

clb_json *clb__json_new_null(void)
{
    return (clb_json *)(void *)json_null();
}

clb_json *clb__json_copy(const clb_json *v)
{
    return v ? (clb_json *)(void *)json_deep_copy(J(v)) : NULL;
}

clb_json *clb__json_object_get_mut(clb_json *obj, const char *key)
{
    if (!obj || !json_is_object(J(obj)))
        return NULL;
    return (clb_json *)(void *)json_object_get(J(obj), key);
}

clb_json *clb__json_array_get_mut(clb_json *arr, size_t i)
{
    return arr ? (clb_json *)(void *)json_array_get(J(arr), i) : NULL;
}

int clb__json_object_set(clb_json *obj, const char *key, clb_json *value)
{
    if (!value)
        return CLB_ENOMEM;
    if (!obj || !json_is_object(J(obj))) {
        json_decref(J(value));
        return CLB_EINVAL;
    }
    /* Jansson keeps insertion order and replaces a present key in place. */
    return json_object_set_new(J(obj), key, J(value)) == 0 ? 0 : CLB_ENOMEM;
}

int clb__json_object_remove(clb_json *obj, const char *key)
{
    if (!obj || !json_is_object(J(obj)))
        return CLB_ENOTFOUND;
    return json_object_del(J(obj), key) == 0 ? 0 : CLB_ENOTFOUND;
}

int clb__json_array_append(clb_json *arr, clb_json *value)
{
    if (!value)
        return CLB_ENOMEM;
    if (!arr || !json_is_array(J(arr))) {
        json_decref(J(value));
        return CLB_EINVAL;
    }
    return json_array_append_new(J(arr), J(value)) == 0 ? 0 : CLB_ENOMEM;
}

int clb__json_array_remove(clb_json *arr, size_t i)
{
    if (!arr || !json_is_array(J(arr)))
        return CLB_ENOTFOUND;
    return json_array_remove(J(arr), i) == 0 ? 0 : CLB_ENOTFOUND;
}

static int save_chunk(const char *buffer, size_t size, void *data)
{
    return clb__buf_put(data, buffer, size) < 0 ? -1 : 0;
}

int clb__json_save(clb_buf *out, const clb_json *v, unsigned flags)
{
    size_t jflags = JSON_ENCODE_ANY | JSON_REAL_PRECISION(17);

    if (flags & CLB_JSON_SAVE_INDENT)
        jflags |= JSON_INDENT(1);
    else
        jflags |= JSON_COMPACT;
    if (clb__buf_grow(out, 1) < 0) /* an empty document still gets a buffer */
        return CLB_ENOMEM;
    out->ptr[out->size] = '\0';
    return json_dump_callback(J(v), save_chunk, out, jflags) == 0 ? 0 : CLB_ENOMEM;
}

/* ---- Jansson's allocator (clb_global_init) ------------------------------------------
 * Jansson 2.14's lexer does not survive a failed allocation inside a string: lex_save
 * ignores the failure and drops the byte, after which the string is read wrong or past
 * the end of the saved text (a crash). So a block Jansson asks for when the hook says
 * "out of memory" comes from the C library instead, the failure is noted, and the
 * parse ends in CLB_ENOMEM whatever Jansson made of the text. A 16-byte header on each
 * block says where it came from. The note is per thread and lives for one parse. */

#define JANSSON_HEADER 16

static void *jansson_malloc(size_t size)
{
    unsigned char *p = clb__malloc(size + JANSSON_HEADER);
    if (p) {
        p[0] = 0;
    } else {
        jansson_oom = true;
        if (!(p = clb__malloc_system(size + JANSSON_HEADER)))
            return NULL;
        p[0] = 1;
    }
    return p + JANSSON_HEADER;
}

static void jansson_free(void *ptr)
{
    unsigned char *p = ptr;
    if (!p)
        return;
    p -= JANSSON_HEADER;
    if (p[0])
        clb__free_system(p);
    else
        clb__free(p);
}

void clb__json_global_init(void)
{
    json_set_alloc_funcs(jansson_malloc, jansson_free);
}
