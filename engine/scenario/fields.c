/*
 * fields.c - the scenario reader's typed field getters and message helpers (fields.h).
 *
 * Every member of a scenario document is read through one of these getters, so a
 * rule of the format (what an id may hold, which dates are valid, the range of an
 * integer) is written once, and every breach is reported the same way: a diagnostic
 * with its JSON path, a rule code and a one-line message naming the bad value. Values
 * in messages are escaped and cut (clb__field_quote), so that no document can forge a
 * line of output. Worker names are personal data: clb__field_string, which reads them,
 * never echoes the value it reads (a bad one is named by its type or the position of
 * the bad character).
 */
#include "scenario/fields.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/diags.h"
#include "util/alloc.h"

/* ---- messages ------------------------------------------------------------------ */

clb_buf *clb__reader_scratch(clb_reader *r)
{
    clb_buf *b = &r->ring[r->ring_next++ % CLB_READER_RING];
    clb__buf_clear(b);
    return b;
}

const char *clb__reader_scratch_str(clb_reader *r, clb_buf *b, int rc)
{
    if (rc < 0 || !b->ptr) {
        r->oom = CLB_ENOMEM;
        return "?";
    }
    return b->ptr;
}

/* The code point of a C1 control or a bidirectional/format character starting at p
 * (UTF-8, 2 or 3 bytes), or 0. The same set the id rule refuses (clb__id_problem). */
static unsigned hidden_char(const unsigned char *p)
{
    unsigned cp;
    if (p[0] >= 0xC0 && p[0] < 0xE0 && p[1])
        cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
    else if (p[0] >= 0xE0 && p[0] < 0xF0 && p[1] && p[2])
        cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    else
        return 0;
    if ((cp >= 0x80 && cp < 0xA0) || cp == 0x061C || (cp >= 0x200B && cp <= 0x200F) ||
        (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
        (cp >= 0x2066 && cp <= 0x206F) || cp == 0xFEFF)
        return cp;
    return 0;
}

/*
 * A value for a message: control characters escaped so the message stays on one line,
 * cut after 64 bytes (on a UTF-8 boundary) with "...", quoted 'value' when `quotes`.
 */
int clb__field_quote(clb_buf *b, const char *s, bool quotes)
{
    int rc = clb__buf_put(b, "'", quotes ? 1 : 0); /* allocated even for "" */
    size_t n = 0;
    unsigned cp;

    for (const unsigned char *p = (const unsigned char *)s; rc == 0 && *p; p++, n++) {
        if (n >= CLB_MAX_ID_BYTES && (*p & 0xC0) != 0x80) {
            rc = clb__buf_puts(b, "...");
            break;
        }
        if (*p == '\'' || *p == '\\')
            rc = clb__buf_printf(b, "\\%c", *p);
        else if (*p == '\n')
            rc = clb__buf_puts(b, "\\n");
        else if (*p == '\t')
            rc = clb__buf_puts(b, "\\t");
        else if (*p < 0x20 || *p == 0x7f)
            rc = clb__buf_printf(b, "\\u%04x", *p);
        else if ((cp = hidden_char(p)) != 0) {
            /* C1 and bidirectional/format controls: escaped, never shown raw */
            rc = clb__buf_printf(b, "\\u%04x", cp);
            p += cp < 0x800 ? 1 : 2;
        } else
            rc = clb__buf_put(b, (const char *)p, 1);
    }
    if (rc == 0 && quotes)
        rc = clb__buf_put(b, "'", 1);
    return rc < 0 ? CLB_ENOMEM : 0;
}

const char *clb__reader_quote(clb_reader *r, const char *s)
{
    clb_buf *b = clb__reader_scratch(r);
    return clb__reader_scratch_str(r, b, clb__field_quote(b, s, true));
}

const char *clb__reader_bare(clb_reader *r, const char *s)
{
    clb_buf *b = clb__reader_scratch(r);
    return clb__reader_scratch_str(r, b, clb__field_quote(b, s, false));
}

/* A number for a message: integers without a fraction, others shortest exact. */
static const char *num(clb_reader *r, double x)
{
    clb_buf *b = clb__reader_scratch(r);
    int rc = 0;

    if (fabs(x) < 1e15 && x == floor(x)) {
        rc = clb__buf_printf(b, "%.0f", x);
    } else {
        for (int prec = 6; prec <= 17; prec++) {
            clb__buf_clear(b);
            if ((rc = clb__buf_printf(b, "%.*g", prec, x)) < 0 ||
                strtod(b->ptr, NULL) == x)
                break;
        }
    }
    return clb__reader_scratch_str(r, b, rc);
}

void clb__reader_label(clb_reader *r, const char *fmt, ...)
{
    va_list ap;
    clb__buf_clear(&r->label);
    va_start(ap, fmt);
    if (clb__buf_vprintf(&r->label, fmt, ap) < 0)
        r->oom = CLB_ENOMEM;
    va_end(ap);
}

void clb__reader_unlabel(clb_reader *r)
{
    clb__buf_clear(&r->label);
}

/*
 * Record a diagnostic at the current path (plus the member `key` when non-NULL).
 * The message is the record label, ": ", then the formatted detail.
 */
void clb__reader_report(clb_reader *r, const char *key, const char *rule, const char *fmt,
                        ...)
{
    clb_buf msg = CLB_BUF_INIT;
    size_t mark = r->path.size;
    va_list ap;
    int rc = 0;

    r->errors++;
    if (key)
        clb__json_path_push_key(&r->path, key, &r->oom);
    if (r->label.size)
        rc = clb__buf_printf(&msg, "%s: ", r->label.ptr);
    va_start(ap, fmt);
    if (rc == 0)
        rc = clb__buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    if (rc < 0 || clb__diags_add(r->diags, r->source, r->path.ptr ? r->path.ptr : "$",
                                 rule, 0, 0, "%s", msg.ptr ? msg.ptr : "") < 0)
        r->oom = CLB_ENOMEM;
    clb__json_path_pop(&r->path, mark);
    clb_buf_dispose(&msg);
}

/* ---- memory -------------------------------------------------------------------- */

void *clb__reader_alloc_array(clb_reader *r, size_t n, size_t size)
{
    void *p;
    if (n && size > SIZE_MAX / n) {
        r->oom = CLB_ENOMEM;
        return NULL;
    }
    p = clb__arena_alloc(&r->s->arena, n * size);
    if (!p)
        r->oom = CLB_ENOMEM;
    return p;
}

int32_t clb__reader_intern(clb_reader *r, const char *str)
{
    int32_t id = clb__strtab_intern(&r->s->syms, str);
    if (id < 0) {
        r->oom = CLB_ENOMEM;
        return -1;
    }
    return id;
}

/* ---- keys and typed members ---------------------------------------------------- */

static bool key_known(const char *key, const char *const *known)
{
    if (strncmp(key, "x-", 2) == 0)
        return true;
    for (; *known; known++)
        if (strcmp(key, *known) == 0)
            return true;
    return false;
}

/* Is the member present with a value other than null? */
bool clb__field_has_value(const clb_json *obj, const char *key)
{
    const clb_json *v = clb__json_object_get(obj, key);
    return v && !clb_json_is_null(v);
}

/* Report every member of obj that is not in `known` (keys "x-..." are ignored). */
void clb__field_check_keys(clb_reader *r, const clb_json *obj, const char *const *known,
                           const char *in)
{
    clb_json_iter it;
    const char *key;
    const clb_json *val;

    clb__json_iter_init(&it, obj);
    while (clb__json_iter_next(&it, &key, &val)) {
        if (key_known(key, known))
            continue;
        if (in)
            clb__reader_report(r, key, "unknown-key", "unknown key %s in %s",
                               clb__reader_quote(r, key), in);
        else
            clb__reader_report(r, key, "unknown-key", "unknown key %s",
                               clb__reader_quote(r, key));
    }
}

static bool type_error(clb_reader *r, const char *key, const char *what,
                       const clb_json *v)
{
    if (clb__json_typeof(v) == CLB_JSON_REAL && strcmp(what, "an integer") == 0)
        clb__reader_report(r, key, "type", "%s%s must be an integer, got %s", r->prefix,
                           key, num(r, clb__json_number(v)));
    else
        clb__reader_report(r, key, "type", "%s%s must be %s, got %s", r->prefix, key,
                           what, clb__json_type_name(v));
    return false;
}

/*
 * The member `key` of obj. Absent or null: *out = NULL, an error only when required
 * (absent: "required", null: "type"). Returns false when an error was reported.
 */
static bool member(clb_reader *r, const clb_json *obj, const char *key, bool required,
                   const char *what, const clb_json **out)
{
    const clb_json *v = clb__json_object_get(obj, key);
    *out = NULL;
    if (!v) {
        if (required)
            clb__reader_report(r, key, "required", "%s%s is required", r->prefix, key);
        return !required;
    }
    if (clb_json_is_null(v))
        return required ? type_error(r, key, what, v) : true;
    *out = v;
    return true;
}

/*
 * Every text value of a document is one line: no line feed or carriage return. Text
 * outputs print stored values in lines and columns, and escape every other control
 * character they print (ESC, tab, bidi controls), but a line break inside a value
 * cannot be told apart from the output's own, so a value holding one could forge a row.
 * Ids are held to the stricter id rule below. The value is named by the position of
 * the character, never echoed.
 */
static bool text_is_one_line(clb_reader *r, const char *key, const char *str)
{
    for (const unsigned char *p = (const unsigned char *)str; *p; p++) {
        if (*p == '\n' || *p == '\r') {
            clb__reader_report(
                r, key, "format",
                "%s%s contains U+%04X at byte %zu: text values may not hold line "
                "breaks",
                r->prefix, key ? key : "value", (unsigned)*p,
                (size_t)(p - (const unsigned char *)str) + 1);
            return false;
        }
    }
    return true;
}

/* A string member; `text` holds it to the one-line rule (ids have their own rule). */
static bool get_string_as(clb_reader *r, const clb_json *obj, const char *key,
                          bool required, bool text, const char **out)
{
    const clb_json *v;
    *out = NULL;
    if (!member(r, obj, key, required, "a string", &v))
        return false;
    if (!v)
        return true;
    if (!clb_json_is_string(v))
        return type_error(r, key, "a string", v);
    if (text && !text_is_one_line(r, key, clb__json_string(v)))
        return false;
    *out = clb__json_string(v);
    return true;
}

bool clb__field_string(clb_reader *r, const clb_json *obj, const char *key, bool required,
                       const char **out)
{
    return get_string_as(r, obj, key, required, true, out);
}

/* A string that must not be empty (a symbol, or an id when `text` is false); *out NULL
 * when absent. */
static bool get_nonempty_as(clb_reader *r, const clb_json *obj, const char *key,
                            bool required, bool text, const char **out)
{
    if (!get_string_as(r, obj, key, required, text, out))
        return false;
    if (*out && !**out) {
        *out = NULL;
        clb__reader_report(r, key, "format", "%s%s must not be empty", r->prefix, key);
        return false;
    }
    return true;
}

bool clb__field_nonempty(clb_reader *r, const clb_json *obj, const char *key,
                         bool required, const char **out)
{
    return get_nonempty_as(r, obj, key, required, true, out);
}

/*
 * The one id rule (docs/FORMATS.md §1 plus the safety rule of
 * docs/SCENARIO-FORMAT-DECISIONS.md): at most 64 bytes, and no character that changes how
 * a terminal or an editor shows text: C0 controls (NUL..US, which includes ESC, tab and
 * newline), DEL, C1 controls (U+0080..U+009F), and the Unicode format characters that
 * reorder or hide text (U+061C, U+200B..U+200F, U+202A..U+202E, U+2060..U+2064,
 * U+2066..U+206F, U+FEFF). Every input path (scenario documents, CSV files, offer feeds,
 * employers' files) reaches it through this reader. Returns NULL, or what is wrong (into
 * `why`).
 */
const char *clb__id_problem(const char *id, char *why, size_t why_size)
{
    const unsigned char *p = (const unsigned char *)id;
    size_t len = strlen(id);
    for (size_t i = 0; i < len; i++) {
        unsigned cp = p[i] < 0x20 || p[i] == 0x7F ? p[i] : hidden_char(p + i);
        if (cp) {
            snprintf(why, why_size,
                     "contains U+%04X at byte %zu: ids may not hold control or "
                     "bidirectional formatting characters",
                     cp, i + 1);
            return why;
        }
    }
    if (len > CLB_MAX_ID_BYTES) {
        snprintf(why, why_size, "is %zu bytes long, above %d", len, CLB_MAX_ID_BYTES);
        return why;
    }
    return NULL;
}

/* The id rule above, reported at `key` (extends the path; may be NULL); `field` names
 * the member. The value is quoted only when it is merely too long: a value holding
 * control characters is named by its position, never echoed. */
bool clb__field_check_id(clb_reader *r, const char *key, const char *field,
                         const char *str)
{
    char why[160];
    if (!clb__id_problem(str, why, sizeof(why)))
        return true;
    if (!strstr(why, "U+"))
        clb__reader_report(r, key, "format", "%s%s %s %s", r->prefix, field,
                           clb__reader_quote(r, str), why);
    else
        clb__reader_report(r, key, "format", "%s%s %s", r->prefix, field, why);
    return false;
}

/* An identifier: non-empty, at most 64 bytes; *out is its symbol or -1. */
bool clb__field_id(clb_reader *r, const clb_json *obj, const char *key, bool required,
                   int32_t *out)
{
    const char *str;
    *out = -1;
    if (!get_nonempty_as(r, obj, key, required, false, &str))
        return false;
    if (!str)
        return true;
    if (!clb__field_check_id(r, key, key, str))
        return false;
    *out = clb__reader_intern(r, str);
    return true;
}

/* A free symbol (region, sector, course...): a non-empty string; -1 when absent. */
bool clb__field_sym(clb_reader *r, const clb_json *obj, const char *key, bool required,
                    int32_t *out)
{
    const char *str;
    *out = -1;
    if (!clb__field_nonempty(r, obj, key, required, &str))
        return false;
    if (str)
        *out = clb__reader_intern(r, str);
    return true;
}

static bool is_country_code(const char *s)
{
    return s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] == '\0';
}

static const char *const COUNTRY_HINT = "is not an iso 3166-1 alpha-2 code (two capital "
                                        "letters)";

bool clb__field_country(clb_reader *r, const clb_json *obj, const char *key,
                        bool required, int32_t *out)
{
    const char *str;
    *out = -1;
    if (!clb__field_nonempty(r, obj, key, required, &str))
        return false;
    if (!str)
        return true;
    if (!is_country_code(str)) {
        clb__reader_report(r, key, "format", "%s%s %s %s", r->prefix, key,
                           clb__reader_quote(r, str), COUNTRY_HINT);
        return false;
    }
    *out = clb__reader_intern(r, str);
    return true;
}

bool clb__field_date(clb_reader *r, const clb_json *obj, const char *key, bool required,
                     clb_date *out)
{
    const char *str;
    const clb_json *v;
    *out = CLB_DATE_NONE;
    if (!member(r, obj, key, required, "a date string", &v))
        return false;
    if (!v)
        return true;
    if (!clb_json_is_string(v))
        return type_error(r, key, "a date string", v);
    str = clb__json_string(v);
    if (!clb__date_parse(out, str)) {
        *out = CLB_DATE_NONE;
        clb__reader_report(r, key, "date",
                           "%s%s %s is not a valid date (YYYY-MM-DD, year 1900-9999)",
                           r->prefix, key, clb__reader_quote(r, str));
        return false;
    }
    return true;
}

/* An integer in [lo, hi]; *out is set only when the member is present and valid. */
bool clb__field_int(clb_reader *r, const clb_json *obj, const char *key, bool required,
                    long long lo, long long hi, long long *out)
{
    const clb_json *v;
    long long x;
    if (!member(r, obj, key, required, "an integer", &v))
        return false;
    if (!v)
        return true;
    if (!clb__json_integer(v, &x)) {
        double d = clb__json_number(v);
        if (clb__json_typeof(v) == CLB_JSON_REAL && d == floor(d)) {
            clb__reader_report(r, key, "range", "%s%s %s is %s %lld", r->prefix, key,
                               num(r, d), d < 0 ? "below" : "above", d < 0 ? lo : hi);
            return false;
        }
        return type_error(r, key, "an integer", v);
    }
    if (x < lo) {
        clb__reader_report(r, key, "range", "%s%s %lld is below %lld", r->prefix, key, x,
                           lo);
        return false;
    }
    if (x > hi) {
        clb__reader_report(r, key, "range", "%s%s %lld is above %lld", r->prefix, key, x,
                           hi);
        return false;
    }
    *out = x;
    return true;
}

/* An int-sized integer in [lo, hi]; *out keeps its default when absent. */
bool clb__field_small_int(clb_reader *r, const clb_json *obj, const char *key,
                          bool required, long long lo, long long hi, int *out)
{
    long long x = *out;
    bool ok = clb__field_int(r, obj, key, required, lo, hi, &x);
    *out = (int)x;
    return ok;
}

/* A (finite) number in [lo, hi]; *out is set only when present and valid. */
bool clb__field_number(clb_reader *r, const clb_json *obj, const char *key, bool required,
                       double lo, double hi, double *out)
{
    const clb_json *v;
    double x;
    if (!member(r, obj, key, required, "a number", &v))
        return false;
    if (!v)
        return true;
    if (!clb_json_is_number(v))
        return type_error(r, key, "a number", v);
    x = clb__json_number(v);
    if (!isfinite(x)) {
        clb__reader_report(r, key, "range", "%s%s is not a finite number", r->prefix,
                           key);
        return false;
    }
    if (x < lo) {
        clb__reader_report(r, key, "range", "%s%s %s is below %s", r->prefix, key,
                           num(r, x), num(r, lo));
        return false;
    }
    if (x > hi) {
        clb__reader_report(r, key, "range", "%s%s %s is above %s", r->prefix, key,
                           num(r, x), num(r, hi));
        return false;
    }
    *out = x;
    return true;
}

bool clb__field_bool(clb_reader *r, const clb_json *obj, const char *key, bool required,
                     bool *out)
{
    const clb_json *v;
    if (!member(r, obj, key, required, "a boolean", &v))
        return false;
    if (!v)
        return true;
    if (!clb_json_is_bool(v))
        return type_error(r, key, "a boolean", v);
    *out = clb__json_bool(v);
    return true;
}

/* A member that must be a container of `type` (an object or an array). */
static bool container(clb_reader *r, const clb_json *obj, const char *key, bool required,
                      clb_json_type type, const clb_json **out)
{
    const char *what = type == CLB_JSON_OBJECT ? "an object" : "an array";

    if (!member(r, obj, key, required, what, out))
        return false;
    if (*out && clb__json_typeof(*out) != type) {
        type_error(r, key, what, *out);
        *out = NULL;
        return false;
    }
    return true;
}

bool clb__field_object(clb_reader *r, const clb_json *obj, const char *key, bool required,
                       const clb_json **out)
{
    return container(r, obj, key, required, CLB_JSON_OBJECT, out);
}

bool clb__field_array(clb_reader *r, const clb_json *obj, const char *key, bool required,
                      const clb_json **out)
{
    return container(r, obj, key, required, CLB_JSON_ARRAY, out);
}

/* Element i of the array at member `key`: a non-empty string, or NULL after a report. */
const char *clb__field_list_string(clb_reader *r, const clb_json *arr, const char *key,
                                   size_t i)
{
    const clb_json *e = clb__json_array_get(arr, i);
    const char *str = clb__json_string(e);
    size_t mark = clb__json_path_push_index(&r->path, i, &r->oom);

    if (!clb_json_is_string(e)) {
        clb__reader_report(r, NULL, "type", "%s%s[%zu] must be a string, got %s",
                           r->prefix, key, i, clb__json_type_name(e));
        str = NULL;
    } else if (!*str) {
        clb__reader_report(r, NULL, "format", "%s%s[%zu] must not be empty", r->prefix,
                           key, i);
        str = NULL;
    } else if (!text_is_one_line(r, NULL, str)) {
        str = NULL;
    }
    clb__json_path_pop(&r->path, mark);
    return str;
}

/*
 * A list of symbols (sorted, without duplicates). *present tells whether the key was
 * there (and not null). Countries must be alpha-2 codes, sexes F, M or X.
 */
bool clb__field_symlist(clb_reader *r, const clb_json *obj, const char *key,
                        clb_list_kind kind, clb_idlist *out, bool *present)
{
    const clb_json *arr;
    size_t n, k = 0, mark;
    int32_t *v;
    bool ok = true;

    out->v = NULL;
    out->n = 0;
    if (present)
        *present = false;
    if (!clb__field_array(r, obj, key, false, &arr))
        return false;
    if (!arr)
        return true;
    if (present)
        *present = true;
    n = clb__json_array_size(arr);
    if (!(v = clb__reader_alloc_array(r, n, sizeof(*v))))
        return false;
    mark = clb__json_path_push_key(&r->path, key, &r->oom);
    for (size_t i = 0; i < n; i++) {
        const char *str = clb__field_list_string(r, arr, key, i);
        if (!str) {
            ok = false;
            continue;
        }
        if (kind == CLB_LIST_COUNTRIES && !is_country_code(str)) {
            size_t m = clb__json_path_push_index(&r->path, i, &r->oom);
            clb__reader_report(r, NULL, "format", "%s%s[%zu] %s %s", r->prefix, key, i,
                               clb__reader_quote(r, str), COUNTRY_HINT);
            clb__json_path_pop(&r->path, m);
            ok = false;
            continue;
        }
        if (kind == CLB_LIST_SEXES && strcmp(str, "F") != 0 && strcmp(str, "M") != 0 &&
            strcmp(str, "X") != 0) {
            size_t m = clb__json_path_push_index(&r->path, i, &r->oom);
            clb__reader_report(r, NULL, "format", "%s%s[%zu] %s must be one of F, M, X",
                               r->prefix, key, i, clb__reader_quote(r, str));
            clb__json_path_pop(&r->path, m);
            ok = false;
            continue;
        }
        v[k++] = clb__reader_intern(r, str);
    }
    clb__json_path_pop(&r->path, mark);
    out->v = v;
    out->n = (uint32_t)clb__sort_unique_int32(v, k);
    return ok;
}

/* One of the strings of `choices` (NULL-terminated); *out its index, kept if absent. */
bool clb__field_choice(clb_reader *r, const clb_json *obj, const char *key, bool required,
                       const char *const *choices, const char *hint, int *out)
{
    const char *str;
    if (!clb__field_string(r, obj, key, required, &str))
        return false;
    if (!str)
        return true;
    for (int i = 0; choices[i]; i++)
        if (strcmp(str, choices[i]) == 0) {
            *out = i;
            return true;
        }
    clb__reader_report(r, key, "format", "%s%s %s must be one of %s", r->prefix, key,
                       clb__reader_quote(r, str), hint);
    return false;
}

const clb_json *clb__reader_nest_enter(clb_reader *r, const clb_json *obj,
                                       const char *key, bool required, const char *prefix,
                                       const char *const *keys, clb_nest *n)
{
    const clb_json *o;

    if (!clb__field_object(r, obj, key, required, &o) || !o)
        return NULL;
    n->mark = clb__json_path_push_key(&r->path, key, &r->oom);
    n->prefix = r->prefix;
    r->prefix = prefix;
    clb__field_check_keys(r, o, keys, key);
    return o;
}

void clb__reader_nest_leave(clb_reader *r, clb_nest n)
{
    r->prefix = n.prefix;
    clb__json_path_pop(&r->path, n.mark);
}

/*
 * Register the id symbol `sym` of record `index` in a by-symbol map. A second record
 * with the same id is reported at its "id" member, naming the first one's path.
 */
void clb__reader_register_id(clb_reader *r, clb_intmap *map, int32_t sym, size_t index,
                             const char *coll)
{
    int32_t prev;
    if (sym < 0)
        return;
    prev = clb__intmap_get(map, sym);
    if (prev >= 0) {
        clb__reader_report(r, "id", "duplicate", "duplicate id (first at $.%s[%d])", coll,
                           (int)prev);
        return;
    }
    if (clb__intmap_put(map, sym, (int32_t)index) < 0)
        r->oom = CLB_ENOMEM;
}

/* Label a record "<what> 'id'" when it has a string id, else "<coll>[i]". */
void clb__reader_label_record(clb_reader *r, const clb_json *o, const char *what,
                              const char *coll, size_t i)
{
    const char *id = clb__json_string(clb__json_object_get(o, "id"));
    if (id && *id)
        clb__reader_label(r, "%s %s", what, clb__reader_quote(r, id));
    else
        clb__reader_label(r, "%s[%zu]", coll, i);
}

/*
 * Element i of a section's array: an object, or NULL after a report. Pushes the
 * index onto the path (the caller pops it with *mark).
 */
const clb_json *clb__reader_section_item(clb_reader *r, const clb_json *arr,
                                         const char *coll, size_t i, size_t *mark)
{
    const clb_json *o = clb__json_array_get(arr, i);
    *mark = clb__json_path_push_index(&r->path, i, &r->oom);
    clb__reader_unlabel(r);
    if (!clb_json_is_object(o)) {
        clb__reader_report(r, NULL, "type", "%s[%zu] must be an object, got %s", coll, i,
                           clb__json_type_name(o));
        return NULL;
    }
    return o;
}
