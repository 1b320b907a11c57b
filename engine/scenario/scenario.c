/*
 * scenario.c - reading and validating circulab-scenario/1 documents (docs/FORMATS.md §2).
 *
 * The document is parsed into a JSON tree (json.h), then walked once, section by
 * section, into the arrays of struct clb_scenario (scenario_impl.h). The walk never
 * stops at the first problem: every breach becomes a diagnostic with its JSON path,
 * a rule code and a one-line message naming the bad value, so that a planner fixes
 * the whole document in one pass. A scenario with any diagnostic is discarded.
 *
 * Sections are read in dependency order (policy, employers and their sites, workers,
 * vacancies, quotas, sessions, programmes, scores, pins, bans, previous) so that
 * every reference is resolved against records already registered; ids map to
 * indices through the interned-symbol maps, so loading is linear in the size of the
 * document apart from the sorts of id lists and pairs. Everything the scenario keeps
 * lives in its arena; temporary arrays are freed on every path.
 *
 * Pins are checked against the eligibility rules last, and only when the rest of the
 * document is clean, because the rules read every section. Worker names are personal
 * data: they are stored but never appear in a message.
 */
#include "scenario/scenario_impl.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/diags.h"
#include "rules/eligibility.h"
#include "io/json.h"
#include "scenario/variant.h"
#include "util/alloc.h"

#define SCENARIO_FORMAT "circulab-scenario/1"
#define MAX_ID_BYTES 64
#define MAX_COUNT 1000000000LL /* headcount, capacity, beds, quota bounds */
#define MAX_DAYS 1000000LL     /* policy integers, history counters, min_campaigns */
#define MAX_SCORE 1e6
#define MAX_WEIGHT 1e9
#define MAX_MONEY 1e9 /* wage_month_eur, session cost */
#define RING 8

typedef struct reader {
    clb_scenario *s;
    clb_diags *diags;
    const char *source;
    size_t errors;
    int oom;            /* CLB_ENOMEM once any allocation failed */
    clb_buf path;       /* JSON path of the value being read */
    clb_buf label;      /* the record being read, e.g. "vacancy 'V12'" */
    const char *prefix; /* field prefix inside nested objects, e.g. "history." */
    clb_buf ring[RING]; /* scratch strings for messages */
    unsigned ring_next;
    /* Sections present as arrays: references into a missing section are not
     * reported once per record (the missing section is reported once). */
    bool have_workers, have_employers, have_vacancies;
} reader;

/* ---- messages ------------------------------------------------------------------ */

static clb_buf *scratch(reader *r)
{
    clb_buf *b = &r->ring[r->ring_next++ % RING];
    clb__buf_clear(b);
    return b;
}

static const char *scratch_str(reader *r, clb_buf *b, int rc)
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
 * A value quoted for a message: 'value', control characters escaped so the message
 * stays on one line, cut after 64 bytes (on a UTF-8 boundary) with "...".
 */
static const char *q(reader *r, const char *s)
{
    clb_buf *b = scratch(r);
    int rc = clb__buf_put(b, "'", 1);
    size_t n = 0;
    unsigned cp;

    for (const unsigned char *p = (const unsigned char *)s; rc == 0 && *p; p++, n++) {
        if (n >= MAX_ID_BYTES && (*p & 0xC0) != 0x80) {
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
    if (rc == 0)
        rc = clb__buf_put(b, "'", 1);
    return scratch_str(r, b, rc);
}

/* As q(), without the quotes (for pair labels such as "pin (W1, V2)"). */
static const char *bare(reader *r, const char *s)
{
    const char *quoted = q(r, s);
    size_t len = strlen(quoted);
    clb_buf *b;

    if (len < 2)
        return quoted;
    b = scratch(r);
    return scratch_str(r, b, clb__buf_put(b, quoted + 1, len - 2));
}

/* A number for a message: integers without a fraction, others shortest exact. */
static const char *num(reader *r, double x)
{
    clb_buf *b = scratch(r);
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
    return scratch_str(r, b, rc);
}

static void set_label(reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_label(reader *r, const char *fmt, ...)
{
    va_list ap;
    clb__buf_clear(&r->label);
    va_start(ap, fmt);
    if (clb__buf_vprintf(&r->label, fmt, ap) < 0)
        r->oom = CLB_ENOMEM;
    va_end(ap);
}

static void clear_label(reader *r)
{
    clb__buf_clear(&r->label);
}

/* ---- paths --------------------------------------------------------------------- */

static size_t path_key(reader *r, const char *key)
{
    size_t mark = r->path.size;
    if (clb__json_path_key(&r->path, key) < 0)
        r->oom = CLB_ENOMEM;
    return mark;
}

static size_t path_index(reader *r, size_t i)
{
    size_t mark = r->path.size;
    if (clb__json_path_index(&r->path, i) < 0)
        r->oom = CLB_ENOMEM;
    return mark;
}

static void path_pop(reader *r, size_t mark)
{
    if (r->path.ptr && mark <= r->path.size) {
        r->path.size = mark;
        r->path.ptr[mark] = '\0';
    }
}

/* Set the path to "$.<coll>[i]" (for diagnostics raised after a section's walk). */
static void path_set_item(reader *r, const char *coll, size_t i)
{
    path_pop(r, 1);
    path_key(r, coll);
    path_index(r, i);
}

/*
 * Record a diagnostic at the current path (plus the member `key` when non-NULL).
 * The message is the record label, ": ", then the formatted detail.
 */
static void report(reader *r, const char *key, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void report(reader *r, const char *key, const char *rule, const char *fmt, ...)
{
    clb_buf msg = CLB_BUF_INIT;
    size_t mark = r->path.size;
    va_list ap;
    int rc = 0;

    r->errors++;
    if (key)
        path_key(r, key);
    if (r->label.size)
        rc = clb__buf_printf(&msg, "%s: ", r->label.ptr);
    va_start(ap, fmt);
    if (rc == 0)
        rc = clb__buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    if (rc < 0 || clb__diags_add(r->diags, r->source, r->path.ptr ? r->path.ptr : "$",
                                rule, 0, 0, "%s", msg.ptr ? msg.ptr : "") < 0)
        r->oom = CLB_ENOMEM;
    path_pop(r, mark);
    clb_buf_dispose(&msg);
}

/* ---- memory -------------------------------------------------------------------- */

static void *alloc_array(reader *r, size_t n, size_t size)
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

static int32_t intern(reader *r, const char *str)
{
    int32_t id = clb__strtab_intern(&r->s->syms, str);
    if (id < 0) {
        r->oom = CLB_ENOMEM;
        return -1;
    }
    return id;
}

/* Index of the record with id `str` in a by-symbol map, or -1. */
static int32_t lookup(const clb_scenario *s, const clb_intmap *map, const char *str)
{
    int32_t sym = clb__strtab_lookup(&s->syms, str);
    return sym < 0 ? -1 : clb__intmap_get(map, sym);
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

/* Report every member of obj that is not in `known` (keys "x-..." are ignored). */
static void check_keys(reader *r, const clb_json *obj, const char *const *known,
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
            report(r, key, "unknown-key", "unknown key %s in %s", q(r, key), in);
        else
            report(r, key, "unknown-key", "unknown key %s", q(r, key));
    }
}

static bool type_error(reader *r, const char *key, const char *what, const clb_json *v)
{
    if (clb__json_typeof(v) == CLB_JSON_REAL && strcmp(what, "an integer") == 0)
        report(r, key, "type", "%s%s must be an integer, got %s", r->prefix, key,
               num(r, clb__json_number(v)));
    else
        report(r, key, "type", "%s%s must be %s, got %s", r->prefix, key, what,
               clb__json_type_name(v));
    return false;
}

/*
 * The member `key` of obj. Absent or null: *out = NULL, an error only when required
 * (absent: "required", null: "type"). Returns false when an error was reported.
 */
static bool member(reader *r, const clb_json *obj, const char *key, bool required,
                   const char *what, const clb_json **out)
{
    const clb_json *v = clb__json_object_get(obj, key);
    *out = NULL;
    if (!v) {
        if (required)
            report(r, key, "required", "%s%s is required", r->prefix, key);
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
static bool text_is_one_line(reader *r, const char *key, const char *str)
{
    for (const unsigned char *p = (const unsigned char *)str; *p; p++) {
        if (*p == '\n' || *p == '\r') {
            report(r, key, "format",
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
static bool get_string_as(reader *r, const clb_json *obj, const char *key, bool required,
                          bool text, const char **out)
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

static bool get_string(reader *r, const clb_json *obj, const char *key, bool required,
                       const char **out)
{
    return get_string_as(r, obj, key, required, true, out);
}

/* A string that must not be empty (a symbol, or an id when `text` is false); *out NULL
 * when absent. */
static bool get_nonempty_as(reader *r, const clb_json *obj, const char *key,
                            bool required, bool text, const char **out)
{
    if (!get_string_as(r, obj, key, required, text, out))
        return false;
    if (*out && !**out) {
        *out = NULL;
        report(r, key, "format", "%s%s must not be empty", r->prefix, key);
        return false;
    }
    return true;
}

static bool get_nonempty(reader *r, const clb_json *obj, const char *key, bool required,
                         const char **out)
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
    if (len > MAX_ID_BYTES) {
        snprintf(why, why_size, "is %zu bytes long, above %d", len, MAX_ID_BYTES);
        return why;
    }
    return NULL;
}

/* The id rule above, reported at `key` (extends the path; may be NULL); `field` names
 * the member. The value is quoted only when it is merely too long: a value holding
 * control characters is named by its position, never echoed. */
static bool check_id_length(reader *r, const char *key, const char *field,
                            const char *str)
{
    char why[160];
    if (!clb__id_problem(str, why, sizeof(why)))
        return true;
    if (!strstr(why, "U+"))
        report(r, key, "format", "%s%s %s %s", r->prefix, field, q(r, str), why);
    else
        report(r, key, "format", "%s%s %s", r->prefix, field, why);
    return false;
}

/* An identifier: non-empty, at most 64 bytes; *out is its symbol or -1. */
static bool get_id(reader *r, const clb_json *obj, const char *key, bool required,
                   int32_t *out)
{
    const char *str;
    *out = -1;
    if (!get_nonempty_as(r, obj, key, required, false, &str))
        return false;
    if (!str)
        return true;
    if (!check_id_length(r, key, key, str))
        return false;
    *out = intern(r, str);
    return true;
}

/* A free symbol (region, sector, course...): a non-empty string; -1 when absent. */
static bool get_sym(reader *r, const clb_json *obj, const char *key, bool required,
                    int32_t *out)
{
    const char *str;
    *out = -1;
    if (!get_nonempty(r, obj, key, required, &str))
        return false;
    if (str)
        *out = intern(r, str);
    return true;
}

static bool is_country_code(const char *s)
{
    return s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] == '\0';
}

static const char *const COUNTRY_HINT = "is not an iso 3166-1 alpha-2 code (two capital "
                                        "letters)";

static bool get_country(reader *r, const clb_json *obj, const char *key, bool required,
                        int32_t *out)
{
    const char *str;
    *out = -1;
    if (!get_nonempty(r, obj, key, required, &str))
        return false;
    if (!str)
        return true;
    if (!is_country_code(str)) {
        report(r, key, "format", "%s%s %s %s", r->prefix, key, q(r, str), COUNTRY_HINT);
        return false;
    }
    *out = intern(r, str);
    return true;
}

static bool get_date(reader *r, const clb_json *obj, const char *key, bool required,
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
        report(r, key, "date", "%s%s %s is not a valid date (YYYY-MM-DD, year 1900-9999)",
               r->prefix, key, q(r, str));
        return false;
    }
    return true;
}

/* An integer in [lo, hi]; *out is set only when the member is present and valid. */
static bool get_int(reader *r, const clb_json *obj, const char *key, bool required,
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
            report(r, key, "range", "%s%s %s is %s %lld", r->prefix, key, num(r, d),
                   d < 0 ? "below" : "above", d < 0 ? lo : hi);
            return false;
        }
        return type_error(r, key, "an integer", v);
    }
    if (x < lo) {
        report(r, key, "range", "%s%s %lld is below %lld", r->prefix, key, x, lo);
        return false;
    }
    if (x > hi) {
        report(r, key, "range", "%s%s %lld is above %lld", r->prefix, key, x, hi);
        return false;
    }
    *out = x;
    return true;
}

/* An int-sized integer in [lo, hi]; *out keeps its default when absent. */
static bool get_small_int(reader *r, const clb_json *obj, const char *key, bool required,
                          long long lo, long long hi, int *out)
{
    long long x = *out;
    bool ok = get_int(r, obj, key, required, lo, hi, &x);
    *out = (int)x;
    return ok;
}

/* A (finite) number in [lo, hi]; *out is set only when present and valid. */
static bool get_number(reader *r, const clb_json *obj, const char *key, bool required,
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
        report(r, key, "range", "%s%s is not a finite number", r->prefix, key);
        return false;
    }
    if (x < lo) {
        report(r, key, "range", "%s%s %s is below %s", r->prefix, key, num(r, x),
               num(r, lo));
        return false;
    }
    if (x > hi) {
        report(r, key, "range", "%s%s %s is above %s", r->prefix, key, num(r, x),
               num(r, hi));
        return false;
    }
    *out = x;
    return true;
}

static bool get_bool(reader *r, const clb_json *obj, const char *key, bool required,
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

static bool get_object(reader *r, const clb_json *obj, const char *key, bool required,
                       const clb_json **out)
{
    if (!member(r, obj, key, required, "an object", out))
        return false;
    if (*out && !clb_json_is_object(*out)) {
        type_error(r, key, "an object", *out);
        *out = NULL;
        return false;
    }
    return true;
}

static bool get_array(reader *r, const clb_json *obj, const char *key, bool required,
                      const clb_json **out)
{
    if (!member(r, obj, key, required, "an array", out))
        return false;
    if (*out && !clb_json_is_array(*out)) {
        type_error(r, key, "an array", *out);
        *out = NULL;
        return false;
    }
    return true;
}

/* Element i of the array at member `key`: a non-empty string, or NULL after a report. */
static const char *list_string(reader *r, const clb_json *arr, const char *key, size_t i)
{
    const clb_json *e = clb__json_array_get(arr, i);
    const char *str = clb__json_string(e);
    size_t mark = path_index(r, i);

    if (!clb_json_is_string(e)) {
        report(r, NULL, "type", "%s%s[%zu] must be a string, got %s", r->prefix, key, i,
               clb__json_type_name(e));
        str = NULL;
    } else if (!*str) {
        report(r, NULL, "format", "%s%s[%zu] must not be empty", r->prefix, key, i);
        str = NULL;
    } else if (!text_is_one_line(r, NULL, str)) {
        str = NULL;
    }
    path_pop(r, mark);
    return str;
}

typedef enum { LIST_SYMBOLS, LIST_COUNTRIES, LIST_SEXES } list_kind;

/*
 * A list of symbols (sorted, without duplicates). *present tells whether the key was
 * there (and not null). Countries must be alpha-2 codes, sexes F, M or X.
 */
static bool get_symlist(reader *r, const clb_json *obj, const char *key, list_kind kind,
                        clb_idlist *out, bool *present)
{
    const clb_json *arr;
    size_t n, k = 0, mark;
    int32_t *v;
    bool ok = true;

    out->v = NULL;
    out->n = 0;
    if (present)
        *present = false;
    if (!get_array(r, obj, key, false, &arr))
        return false;
    if (!arr)
        return true;
    if (present)
        *present = true;
    n = clb__json_array_size(arr);
    if (!(v = alloc_array(r, n, sizeof(*v))))
        return false;
    mark = path_key(r, key);
    for (size_t i = 0; i < n; i++) {
        const char *str = list_string(r, arr, key, i);
        if (!str) {
            ok = false;
            continue;
        }
        if (kind == LIST_COUNTRIES && !is_country_code(str)) {
            size_t m = path_index(r, i);
            report(r, NULL, "format", "%s%s[%zu] %s %s", r->prefix, key, i, q(r, str),
                   COUNTRY_HINT);
            path_pop(r, m);
            ok = false;
            continue;
        }
        if (kind == LIST_SEXES && strcmp(str, "F") != 0 && strcmp(str, "M") != 0 &&
            strcmp(str, "X") != 0) {
            size_t m = path_index(r, i);
            report(r, NULL, "format", "%s%s[%zu] %s must be one of F, M, X", r->prefix,
                   key, i, q(r, str));
            path_pop(r, m);
            ok = false;
            continue;
        }
        v[k++] = intern(r, str);
    }
    path_pop(r, mark);
    out->v = v;
    out->n = (uint32_t)clb__sort_unique_int32(v, k);
    return ok;
}

/* One of the strings of `choices` (NULL-terminated); *out its index, kept if absent. */
static bool get_choice(reader *r, const clb_json *obj, const char *key, bool required,
                       const char *const *choices, const char *hint, int *out)
{
    const char *str;
    if (!get_string(r, obj, key, required, &str))
        return false;
    if (!str)
        return true;
    for (int i = 0; choices[i]; i++)
        if (strcmp(str, choices[i]) == 0) {
            *out = i;
            return true;
        }
    report(r, key, "format", "%s%s %s must be one of %s", r->prefix, key, q(r, str),
           hint);
    return false;
}

/* Enter the nested object at member `key` for messages ("history.campaigns"). */
typedef struct nest {
    size_t mark;
    const char *prefix;
} nest;

static nest nest_enter(reader *r, const char *key, const char *prefix)
{
    nest n = {path_key(r, key), r->prefix};
    r->prefix = prefix;
    return n;
}

static void nest_leave(reader *r, nest n)
{
    r->prefix = n.prefix;
    path_pop(r, n.mark);
}

/*
 * Register the id symbol `sym` of record `index` in a by-symbol map. A second record
 * with the same id is reported at its "id" member, naming the first one's path.
 */
static void register_id(reader *r, clb_intmap *map, int32_t sym, size_t index,
                        const char *coll)
{
    int32_t prev;
    if (sym < 0)
        return;
    prev = clb__intmap_get(map, sym);
    if (prev >= 0) {
        report(r, "id", "duplicate", "duplicate id (first at $.%s[%d])", coll, (int)prev);
        return;
    }
    if (clb__intmap_put(map, sym, (int32_t)index) < 0)
        r->oom = CLB_ENOMEM;
}

/* Label a record "<what> 'id'" when it has a string id, else "<coll>[i]". */
static void label_record(reader *r, const clb_json *o, const char *what, const char *coll,
                         size_t i)
{
    const char *id = clb__json_string(clb__json_object_get(o, "id"));
    if (id && *id)
        set_label(r, "%s %s", what, q(r, id));
    else
        set_label(r, "%s[%zu]", coll, i);
}

/*
 * Element i of a section's array: an object, or NULL after a report. Pushes the
 * index onto the path (the caller pops it with *mark).
 */
static const clb_json *section_item(reader *r, const clb_json *arr, const char *coll,
                                    size_t i, size_t *mark)
{
    const clb_json *o = clb__json_array_get(arr, i);
    *mark = path_index(r, i);
    clear_label(r);
    if (!clb_json_is_object(o)) {
        report(r, NULL, "type", "%s[%zu] must be an object, got %s", coll, i,
               clb__json_type_name(o));
        return NULL;
    }
    return o;
}

/* ---- policy -------------------------------------------------------------------- */

static const char *const POLICY_KEYS[] = {"min_age",        "max_stay_days",
                                          "min_gap_days",   "min_home_days",
                                          "max_placements", "allowed_countries",
                                          "min_offer_size", "training_lead_days",
                                          "reintegration",  "reintegration_window_days",
                                          "tenure_cap",     "no_return_ban_days",
                                          "weights",        NULL};

static const char *const WEIGHT_KEYS[] = {
    "fill",          "returning",       "tenure",        "named",
    "same_employer", "preference",      "score",         "keep",
    "training_cost", "quota_shortfall", "reintegration", NULL};

static const char *const REINT_CHOICES[] = {"none", "reward", "required", NULL};

void clb__policy_defaults(clb_policy *p)
{
    memset(p, 0, sizeof(*p));
    p->min_age = 18;
    p->max_stay_days = 270;
    p->min_gap_days = 0;
    p->min_home_days = 0;
    p->max_placements = 0;
    p->has_allowed_countries = false;
    p->min_offer_size = 1;
    p->training_lead_days = 0;
    p->reintegration = CLB_REINT_NONE;
    p->reintegration_window_days = 60;
    p->tenure_cap = 4;
    p->no_return_ban_days = 730;
    p->weights.fill = 1000;
    p->weights.returning = 200;
    p->weights.tenure = 25;
    p->weights.named = 300;
    p->weights.same_employer = 100;
    p->weights.preference = 50;
    p->weights.score = 1;
    p->weights.keep = 150;
    p->weights.training_cost = 1;
    p->weights.quota_shortfall = 2000;
    p->weights.reintegration = 20;
}

static void read_weights(reader *r, const clb_json *pol)
{
    clb_weights *w = &r->s->policy.weights;
    double *fields[] = {
        &w->fill,          &w->returning,       &w->tenure,       &w->named,
        &w->same_employer, &w->preference,      &w->score,        &w->keep,
        &w->training_cost, &w->quota_shortfall, &w->reintegration};
    const clb_json *o;
    nest n;

    if (!get_object(r, pol, "weights", false, &o) || !o)
        return;
    n = nest_enter(r, "weights", "weights.");
    check_keys(r, o, WEIGHT_KEYS, "weights");
    for (size_t i = 0; WEIGHT_KEYS[i]; i++)
        get_number(r, o, WEIGHT_KEYS[i], false, 0, MAX_WEIGHT, fields[i]);
    nest_leave(r, n);
}

static void read_policy(reader *r, const clb_json *root)
{
    clb_policy *p = &r->s->policy;
    const struct {
        const char *key;
        int *field;
    } ints[] = {{"min_age", &p->min_age},
                {"max_stay_days", &p->max_stay_days},
                {"min_gap_days", &p->min_gap_days},
                {"min_home_days", &p->min_home_days},
                {"max_placements", &p->max_placements},
                {"min_offer_size", &p->min_offer_size},
                {"training_lead_days", &p->training_lead_days},
                {"reintegration_window_days", &p->reintegration_window_days},
                {"tenure_cap", &p->tenure_cap},
                {"no_return_ban_days", &p->no_return_ban_days}};
    const clb_json *o;
    size_t mark;
    int reint = (int)p->reintegration;

    if (!get_object(r, root, "policy", false, &o) || !o)
        return;
    mark = path_key(r, "policy");
    set_label(r, "policy");
    check_keys(r, o, POLICY_KEYS, NULL);
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
        get_small_int(r, o, ints[i].key, false, 0, MAX_DAYS, ints[i].field);
    get_symlist(r, o, "allowed_countries", LIST_COUNTRIES, &p->allowed_countries,
                &p->has_allowed_countries);
    if (get_choice(r, o, "reintegration", false, REINT_CHOICES, "none, reward, required",
                   &reint))
        p->reintegration = (clb_reint_mode)reint;
    read_weights(r, o);
    clear_label(r);
    path_pop(r, mark);
}

/* ---- employers and sites ------------------------------------------------------- */

static const char *const EMPLOYER_KEYS[] = {"id",          "name",  "region",
                                            "association", "sites", NULL};
static const char *const SITE_KEYS[] = {"id", "region", "beds", NULL};

/* The JSON path of site `si` (for "first at" in duplicate reports). */
static void site_path(reader *r, clb_buf *out, size_t si)
{
    const clb_site_rec *st = &r->s->sites[si];
    const clb_employer_rec *e = &r->s->employers[st->employer];
    int rc;
    if (st->implicit)
        rc = clb__buf_printf(out, "$.employers[%u]", st->employer);
    else
        rc = clb__buf_printf(out, "$.employers[%u].sites[%zu]", st->employer,
                            si - e->site_first);
    if (rc < 0)
        r->oom = CLB_ENOMEM;
}

/* Register a site id; sites share one namespace across employers (docs/FORMATS.md §1). */
static void register_site(reader *r, int32_t sym, size_t si, const char *key)
{
    int32_t prev;
    clb_buf *first;

    if (sym < 0)
        return;
    prev = clb__intmap_get(&r->s->site_by_sym, sym);
    if (prev < 0) {
        if (clb__intmap_put(&r->s->site_by_sym, sym, (int32_t)si) < 0)
            r->oom = CLB_ENOMEM;
        return;
    }
    first = scratch(r);
    site_path(r, first, (size_t)prev);
    if (r->s->sites[si].implicit)
        report(r, key, "duplicate",
               "the implicit site of this employer has id %s, already used (first at %s)",
               q(r, clb_sym(r->s, sym)), scratch_str(r, first, 0));
    else
        report(r, key, "duplicate", "duplicate id (first at %s)",
               scratch_str(r, first, 0));
}

static void read_sites(reader *r, const clb_json *emp, size_t ei)
{
    clb_scenario *s = r->s;
    clb_employer_rec *e = &s->employers[ei];
    const clb_json *arr = NULL;
    clb_buf emp_label = CLB_BUF_INIT;
    size_t n, mark;

    get_array(r, emp, "sites", false, &arr);
    e->site_first = (uint32_t)s->n_sites;
    n = clb__json_array_size(arr);
    if (n == 0) {
        /* docs/FORMATS.md §2.3: one implicit site, with the employer's id, unlimited. */
        clb_site_rec *st = &s->sites[s->n_sites];
        st->id = e->id;
        st->sym = e->sym;
        st->employer = (uint32_t)ei;
        st->region = e->region;
        st->beds = -1;
        st->implicit = true;
        s->n_sites++;
        register_site(r, st->sym, s->n_sites - 1, NULL);
        e->site_count = 1;
        return;
    }
    /* Site messages name the site; the employer's label comes back afterwards. */
    if (clb__buf_puts(&emp_label, r->label.ptr ? r->label.ptr : "") < 0) {
        r->oom = CLB_ENOMEM;
        return;
    }
    mark = path_key(r, "sites");
    for (size_t i = 0; i < n; i++) {
        clb_site_rec *st = &s->sites[s->n_sites++];
        const clb_json *o = clb__json_array_get(arr, i);
        size_t m = path_index(r, i);
        long long beds = -1;
        const char *id;

        st->id = "";
        st->sym = -1;
        st->employer = (uint32_t)ei;
        st->region = e->region;
        st->beds = -1;
        set_label(r, "%s", emp_label.ptr);
        if (!clb_json_is_object(o)) {
            report(r, NULL, "type", "sites[%zu] must be an object, got %s", i,
                   clb__json_type_name(o));
            path_pop(r, m);
            continue;
        }
        id = clb__json_string(clb__json_object_get(o, "id"));
        if (id && *id)
            set_label(r, "site %s", q(r, id));
        else
            set_label(r, "%s sites[%zu]", emp_label.ptr, i);
        check_keys(r, o, SITE_KEYS, NULL);
        if (get_id(r, o, "id", true, &st->sym) && st->sym >= 0) {
            st->id = clb_sym(s, st->sym);
            register_site(r, st->sym, s->n_sites - 1, "id");
        }
        get_sym(r, o, "region", false, &st->region);
        if (st->region < 0)
            st->region = e->region;
        get_int(r, o, "beds", false, 0, MAX_COUNT, &beds);
        st->beds = (int)beds;
        path_pop(r, m);
    }
    set_label(r, "%s", emp_label.ptr);
    clb_buf_dispose(&emp_label);
    path_pop(r, mark);
    e->site_count = (uint32_t)(s->n_sites - e->site_first);
}

static void read_employers(reader *r, const clb_json *arr)
{
    clb_scenario *s = r->s;
    size_t n = clb__json_array_size(arr), n_sites = 0, mark;

    for (size_t i = 0; i < n; i++) {
        const clb_json *sites = clb__json_object_get(clb__json_array_get(arr, i), "sites");
        size_t k = clb_json_is_array(sites) ? clb__json_array_size(sites) : 0;
        n_sites += k ? k : 1;
    }
    s->employers = alloc_array(r, n, sizeof(*s->employers));
    s->sites = alloc_array(r, n_sites, sizeof(*s->sites));
    if (!s->employers || !s->sites)
        return;
    s->n_employers = n;
    mark = path_key(r, "employers");
    for (size_t i = 0; i < n; i++) {
        clb_employer_rec *e = &s->employers[i];
        const char *name;
        size_t m;
        const clb_json *o = section_item(r, arr, "employers", i, &m);

        e->id = "";
        e->sym = -1;
        e->region = -1;
        e->association = -1;
        e->site_first = (uint32_t)s->n_sites;
        if (o) {
            label_record(r, o, "employer", "employers", i);
            check_keys(r, o, EMPLOYER_KEYS, NULL);
            if (get_id(r, o, "id", true, &e->sym) && e->sym >= 0) {
                e->id = clb_sym(s, e->sym);
                register_id(r, &s->employer_by_sym, e->sym, i, "employers");
            }
            if (get_string(r, o, "name", false, &name) && name &&
                !(e->name = clb__arena_strdup(&s->arena, name)))
                r->oom = CLB_ENOMEM;
            get_sym(r, o, "region", true, &e->region);
            get_sym(r, o, "association", false, &e->association);
        }
        read_sites(r, o, i);
        path_pop(r, m);
    }
    clear_label(r);
    path_pop(r, mark);
}

/* ---- workers ------------------------------------------------------------------- */

static const char *const WORKER_KEYS[] = {
    "id",          "name",      "birth_date", "sex",       "country",
    "region",      "languages", "skills",     "trainings", "available",
    "preferences", "excludes",  "history",    NULL};
static const char *const AVAILABLE_KEYS[] = {"from", "to", NULL};
static const char *const HISTORY_KEYS[] = {"campaigns",   "returned",    "last_employer",
                                           "last_return", "days_abroad", "banned_until",
                                           NULL};
static const char *const SEX_CHOICES[] = {"F", "M", "X", NULL};

/* preferences / excludes: an employer id, "sector:S" or "region:R". */
static void get_matches(reader *r, const clb_json *obj, const char *key, clb_match **out,
                        uint32_t *n_out)
{
    const clb_json *arr;
    size_t n, k = 0, mark;
    clb_match *m;

    *out = NULL;
    *n_out = 0;
    if (!get_array(r, obj, key, false, &arr) || !arr)
        return;
    n = clb__json_array_size(arr);
    if (!(m = alloc_array(r, n, sizeof(*m))))
        return;
    mark = path_key(r, key);
    for (size_t i = 0; i < n; i++) {
        const char *str = list_string(r, arr, key, i), *colon, *rest;
        size_t im;
        int kind;
        if (!str)
            continue;
        colon = strchr(str, ':');
        rest = colon ? colon + 1 : str;
        if (colon && (size_t)(colon - str) == 6 && strncmp(str, "sector", 6) == 0)
            kind = CLB_MATCH_SECTOR;
        else if (colon && (size_t)(colon - str) == 6 && strncmp(str, "region", 6) == 0)
            kind = CLB_MATCH_REGION;
        else if (colon && lookup(r->s, &r->s->employer_by_sym, str) < 0)
            kind = -1; /* "sectr:x": a typo, not an employer of this scenario */
        else {
            kind = CLB_MATCH_EMPLOYER;
            rest = str;
        }
        im = path_index(r, i);
        if (kind < 0) {
            report(r, NULL, "format",
                   "%s[%zu] %s is neither an employer id nor 'sector:S' or 'region:R'",
                   key, i, q(r, str));
        } else if (!*rest) {
            report(r, NULL, "format", "%s[%zu] %s names no %s", key, i, q(r, str),
                   kind == CLB_MATCH_SECTOR ? "sector" : "region");
        } else {
            m[k].kind = (clb_match_kind)kind;
            m[k++].sym = intern(r, rest);
        }
        path_pop(r, im);
    }
    path_pop(r, mark);
    *out = m;
    *n_out = (uint32_t)k;
}

static void read_available(reader *r, const clb_json *o, clb_worker_rec *w)
{
    const clb_json *av;
    nest n;

    if (!get_object(r, o, "available", true, &av) || !av)
        return;
    n = nest_enter(r, "available", "available.");
    check_keys(r, av, AVAILABLE_KEYS, "available");
    if (get_date(r, av, "from", true, &w->avail_from) &&
        get_date(r, av, "to", true, &w->avail_to) && w->avail_to < w->avail_from) {
        char a[11], b[11];
        clb__date_format(a, w->avail_to);
        clb__date_format(b, w->avail_from);
        report(r, "to", "range", "available.to %s is before available.from %s", a, b);
    }
    nest_leave(r, n);
}

static void read_history(reader *r, const clb_json *o, clb_worker_rec *w)
{
    const clb_json *h;
    nest n;

    if (!get_object(r, o, "history", false, &h) || !h)
        return;
    n = nest_enter(r, "history", "history.");
    check_keys(r, h, HISTORY_KEYS, "history");
    get_small_int(r, h, "campaigns", false, 0, MAX_DAYS, &w->campaigns);
    get_bool(r, h, "returned", false, &w->returned);
    get_id(r, h, "last_employer", false, &w->last_employer);
    get_date(r, h, "last_return", false, &w->last_return);
    get_small_int(r, h, "days_abroad", false, 0, MAX_DAYS, &w->days_abroad);
    get_date(r, h, "banned_until", false, &w->banned_until);
    nest_leave(r, n);
}

static void read_worker(reader *r, const clb_json *o, size_t i)
{
    clb_scenario *s = r->s;
    clb_worker_rec *w = &s->workers[i];
    const char *name;
    int sex = -1;

    label_record(r, o, "worker", "workers", i);
    check_keys(r, o, WORKER_KEYS, NULL);
    if (get_id(r, o, "id", true, &w->sym) && w->sym >= 0) {
        w->id = clb_sym(s, w->sym);
        register_id(r, &s->worker_by_sym, w->sym, i, "workers");
    }
    /* Personal data: stored, never echoed in a message. */
    if (get_string(r, o, "name", false, &name) && name &&
        !(w->name = clb__arena_strdup(&s->arena, name)))
        r->oom = CLB_ENOMEM;
    get_date(r, o, "birth_date", true, &w->birth);
    if (get_choice(r, o, "sex", false, SEX_CHOICES, "F, M, X", &sex) && sex >= 0)
        w->sex = SEX_CHOICES[sex][0];
    get_country(r, o, "country", true, &w->country);
    get_sym(r, o, "region", false, &w->region);
    get_symlist(r, o, "languages", LIST_SYMBOLS, &w->languages, NULL);
    get_symlist(r, o, "skills", LIST_SYMBOLS, &w->skills, NULL);
    get_symlist(r, o, "trainings", LIST_SYMBOLS, &w->trainings, NULL);
    read_available(r, o, w);
    get_matches(r, o, "preferences", &w->prefs, &w->n_prefs);
    get_matches(r, o, "excludes", &w->excludes, &w->n_excludes);
    read_history(r, o, w);
}

static void read_workers(reader *r, const clb_json *arr)
{
    clb_scenario *s = r->s;
    size_t n = clb__json_array_size(arr), mark;

    if (!(s->workers = alloc_array(r, n, sizeof(*s->workers))))
        return;
    s->n_workers = n;
    mark = path_key(r, "workers");
    for (size_t i = 0; i < n; i++) {
        clb_worker_rec *w = &s->workers[i];
        size_t m;
        const clb_json *o;

        w->id = "";
        w->sym = -1;
        w->birth = CLB_DATE_NONE;
        w->country = -1;
        w->region = -1;
        w->avail_from = w->avail_to = CLB_DATE_NONE;
        w->last_employer = -1;
        w->last_return = CLB_DATE_NONE;
        w->banned_until = CLB_DATE_NONE;
        if ((o = section_item(r, arr, "workers", i, &m)))
            read_worker(r, o, i);
        path_pop(r, m);
    }
    clear_label(r);
    path_pop(r, mark);
}

/* ---- vacancies ----------------------------------------------------------------- */

static const char *const VACANCY_KEYS[] = {
    "id",        "employer",       "site",     "sector", "occupation", "start", "end",
    "headcount", "wage_month_eur", "requires", "named",  "hold_named", NULL};
static const char *const REQUIRES_KEYS[] = {"skills", "trainings", "languages",
                                            "min_campaigns", NULL};

/* start/end of a period, and end not before start; returns true when both are fine. */
static bool read_period(reader *r, const clb_json *o, clb_date *start, clb_date *end)
{
    bool ok = get_date(r, o, "start", true, start);
    ok = get_date(r, o, "end", true, end) && ok;
    if (ok && *end < *start) {
        char a[11], b[11];
        clb__date_format(a, *end);
        clb__date_format(b, *start);
        report(r, "end", "range", "end %s is before start %s", a, b);
        return false;
    }
    return ok;
}

static void read_requires(reader *r, const clb_json *o, clb_vacancy_rec *v)
{
    const clb_json *req;
    nest n;

    if (!get_object(r, o, "requires", false, &req) || !req)
        return;
    n = nest_enter(r, "requires", "requires.");
    check_keys(r, req, REQUIRES_KEYS, "requires");
    get_symlist(r, req, "skills", LIST_SYMBOLS, &v->req_skills, NULL);
    get_symlist(r, req, "trainings", LIST_SYMBOLS, &v->req_trainings, NULL);
    get_symlist(r, req, "languages", LIST_SYMBOLS, &v->req_languages, NULL);
    get_small_int(r, req, "min_campaigns", false, 0, MAX_DAYS, &v->min_campaigns);
    nest_leave(r, n);
}

static void read_named(reader *r, const clb_json *o, clb_vacancy_rec *v)
{
    const clb_json *arr;
    size_t n, k = 0, kw = 0, mark;
    const char **ids;
    int32_t *idx;

    if (!get_array(r, o, "named", false, &arr) || !arr)
        return;
    n = clb__json_array_size(arr);
    ids = alloc_array(r, n, sizeof(*ids));
    idx = alloc_array(r, n, sizeof(*idx));
    if (!ids || !idx)
        return;
    mark = path_key(r, "named");
    for (size_t i = 0; i < n; i++) {
        const char *str = list_string(r, arr, "named", i);
        char field[32];
        int32_t wi;
        size_t im;
        if (!str)
            continue;
        im = path_index(r, i);
        snprintf(field, sizeof(field), "named[%zu]", i);
        if (check_id_length(r, NULL, field, str)) {
            int32_t sym = intern(r, str);
            ids[k++] = clb_sym(r->s, sym);
            /* Named ids need not be workers of this scenario (docs/MODEL.md §3.3). */
            if ((wi = clb__intmap_get(&r->s->worker_by_sym, sym)) >= 0)
                idx[kw++] = wi;
        }
        path_pop(r, im);
    }
    path_pop(r, mark);
    v->named_ids = ids;
    v->n_named_ids = (uint32_t)k;
    /* uint32_t and int32_t may alias; indices are non-negative. */
    v->named = (uint32_t *)(void *)idx;
    v->n_named = (uint32_t)clb__sort_unique_int32(idx, kw);
}

/* The vacancy's site: the named one (which must belong to its employer) or the
 * employer's only site. */
static void resolve_site(reader *r, const clb_json *o, clb_vacancy_rec *v, int32_t ei)
{
    const clb_scenario *s = r->s;
    const char *site;
    int32_t si;

    if (!get_nonempty(r, o, "site", false, &site))
        return;
    if (site) {
        if ((si = lookup(s, &s->site_by_sym, site)) < 0) {
            report(r, "site", "reference", "unknown site %s", q(r, site));
            return;
        }
        if (ei < 0)
            return;
        if (s->sites[si].employer != (uint32_t)ei) {
            report(r, "site", "reference", "site %s is not a site of employer %s",
                   q(r, site), q(r, s->employers[ei].id));
            return;
        }
        v->site = (uint32_t)si;
        return;
    }
    if (ei < 0)
        return;
    if (s->employers[ei].site_count != 1) {
        report(r, "site", "site-ambiguous",
               "employer %s has %u sites; site must name one of them",
               q(r, s->employers[ei].id), s->employers[ei].site_count);
        return;
    }
    v->site = s->employers[ei].site_first;
}

static void read_vacancy(reader *r, const clb_json *o, size_t i)
{
    clb_scenario *s = r->s;
    clb_vacancy_rec *v = &s->vacancies[i];
    const char *emp;
    int32_t ei = -1;
    long long hc = LLONG_MIN;

    label_record(r, o, "vacancy", "vacancies", i);
    check_keys(r, o, VACANCY_KEYS, NULL);
    if (get_id(r, o, "id", true, &v->sym) && v->sym >= 0) {
        v->id = clb_sym(s, v->sym);
        register_id(r, &s->vacancy_by_sym, v->sym, i, "vacancies");
    }
    if (get_nonempty(r, o, "employer", true, &emp) && emp) {
        if ((ei = lookup(s, &s->employer_by_sym, emp)) < 0 && r->have_employers)
            report(r, "employer", "reference", "unknown employer %s", q(r, emp));
        else
            v->employer = (uint32_t)ei;
    }
    resolve_site(r, o, v, ei);
    get_sym(r, o, "sector", false, &v->sector);
    get_sym(r, o, "occupation", false, &v->occupation);
    read_period(r, o, &v->start, &v->end);
    if (get_int(r, o, "headcount", true, LLONG_MIN, MAX_COUNT, &hc) && hc != LLONG_MIN) {
        int mos = s->policy.min_offer_size;
        if (mos > 1 && hc < mos)
            report(r, "headcount", "range", "headcount %lld is below min_offer_size %d",
                   hc, mos);
        else if (hc < 1)
            report(r, "headcount", "range", "headcount %lld is below 1", hc);
        else
            v->headcount = (int)hc;
    }
    get_number(r, o, "wage_month_eur", false, 0, MAX_MONEY, &v->wage_month_eur);
    read_requires(r, o, v);
    read_named(r, o, v);
    get_bool(r, o, "hold_named", false, &v->hold_named);
}

static void read_vacancies(reader *r, const clb_json *arr)
{
    clb_scenario *s = r->s;
    size_t n = clb__json_array_size(arr), mark;

    if (!(s->vacancies = alloc_array(r, n, sizeof(*s->vacancies))))
        return;
    s->n_vacancies = n;
    mark = path_key(r, "vacancies");
    for (size_t i = 0; i < n; i++) {
        clb_vacancy_rec *v = &s->vacancies[i];
        size_t m;
        const clb_json *o;

        v->id = "";
        v->sym = -1;
        v->sector = v->occupation = -1;
        v->start = v->end = CLB_DATE_NONE;
        v->wage_month_eur = NAN;
        if ((o = section_item(r, arr, "vacancies", i, &m)))
            read_vacancy(r, o, i);
        path_pop(r, m);
    }
    clear_label(r);
    path_pop(r, mark);
}

/* ---- quotas, sessions, programmes ---------------------------------------------- */

static const char *const QUOTA_KEYS[] = {"id", "max", "min", "unit", "where", NULL};
static const char *const WHERE_KEYS[] = {"origin_country", "origin_region", "dest_region",
                                         "sector",         "employer",      "association",
                                         "occupation",     "sex",           "returning",
                                         "start_from",     "start_to",      NULL};
static const char *const UNIT_CHOICES[] = {"placements", "workers", NULL};

/* Is the member present with a value other than null? */
static bool has_value(const clb_json *obj, const char *key)
{
    const clb_json *v = clb__json_object_get(obj, key);
    return v && !clb_json_is_null(v);
}

static void where_list(reader *r, const clb_json *w, const char *key, list_kind kind,
                       clb_where_list *out)
{
    get_symlist(r, w, key, kind, &out->syms, &out->present);
}

/* `where` values are filters, not references: unknown values simply match nothing. */
static void read_where(reader *r, const clb_json *o, clb_quota_rec *q)
{
    const clb_json *w;
    bool returning = false, ok;
    nest n;

    if (!get_object(r, o, "where", false, &w) || !w)
        return;
    n = nest_enter(r, "where", "where.");
    check_keys(r, w, WHERE_KEYS, "where");
    where_list(r, w, "origin_country", LIST_COUNTRIES, &q->origin_country);
    where_list(r, w, "origin_region", LIST_SYMBOLS, &q->origin_region);
    where_list(r, w, "dest_region", LIST_SYMBOLS, &q->dest_region);
    where_list(r, w, "sector", LIST_SYMBOLS, &q->sector);
    where_list(r, w, "employer", LIST_SYMBOLS, &q->employer);
    where_list(r, w, "association", LIST_SYMBOLS, &q->association);
    where_list(r, w, "occupation", LIST_SYMBOLS, &q->occupation);
    where_list(r, w, "sex", LIST_SEXES, &q->sex);
    if (get_bool(r, w, "returning", false, &returning) && has_value(w, "returning"))
        q->returning = returning ? 1 : 0;
    ok = get_date(r, w, "start_from", false, &q->start_from);
    ok = get_date(r, w, "start_to", false, &q->start_to) && ok;
    if (ok && q->start_from != CLB_DATE_NONE && q->start_to != CLB_DATE_NONE &&
        q->start_to < q->start_from) {
        char a[11], b[11];
        clb__date_format(a, q->start_to);
        clb__date_format(b, q->start_from);
        report(r, "start_to", "range", "where.start_to %s is before where.start_from %s",
               a, b);
    }
    nest_leave(r, n);
}

static void read_quota(reader *r, const clb_json *o, size_t i)
{
    clb_scenario *s = r->s;
    clb_quota_rec *q = &s->quotas[i];
    long long mx = -1, mn = -1;
    int unit = CLB_UNIT_PLACEMENTS;
    bool ok;

    label_record(r, o, "quota", "quotas", i);
    check_keys(r, o, QUOTA_KEYS, NULL);
    if (get_id(r, o, "id", true, &q->sym) && q->sym >= 0) {
        q->id = clb_sym(s, q->sym);
        register_id(r, &s->quota_by_sym, q->sym, i, "quotas");
    }
    ok = get_int(r, o, "max", false, 0, MAX_COUNT, &mx);
    ok = get_int(r, o, "min", false, 0, MAX_COUNT, &mn) && ok;
    if (!has_value(o, "max") && !has_value(o, "min"))
        report(r, NULL, "required", "a quota needs max or min");
    else if (ok && mx >= 0 && mn > mx)
        report(r, "min", "range", "min %lld is above max %lld", mn, mx);
    q->max = (long)mx;
    q->has_min = mn >= 0;
    q->min = mn >= 0 ? (long)mn : 0;
    if (get_choice(r, o, "unit", false, UNIT_CHOICES, "placements, workers", &unit))
        q->unit = (clb_quota_unit)unit;
    read_where(r, o, q);
}

static const char *const SESSION_KEYS[] = {
    "id", "course", "country", "region", "start", "end", "capacity", "cost", NULL};

static void read_session(reader *r, const clb_json *o, size_t i)
{
    clb_scenario *s = r->s;
    clb_session_rec *k = &s->sessions[i];

    label_record(r, o, "session", "sessions", i);
    check_keys(r, o, SESSION_KEYS, NULL);
    if (get_id(r, o, "id", true, &k->sym) && k->sym >= 0) {
        k->id = clb_sym(s, k->sym);
        register_id(r, &s->session_by_sym, k->sym, i, "sessions");
    }
    get_sym(r, o, "course", true, &k->course);
    get_country(r, o, "country", true, &k->country);
    get_sym(r, o, "region", false, &k->region);
    read_period(r, o, &k->start, &k->end);
    get_small_int(r, o, "capacity", true, 0, MAX_COUNT, &k->capacity);
    get_number(r, o, "cost", false, 0, MAX_MONEY, &k->cost);
}

static const char *const PROGRAMME_KEYS[] = {"id",  "country",  "region", "start",
                                             "end", "capacity", NULL};

static void read_programme(reader *r, const clb_json *o, size_t i)
{
    clb_scenario *s = r->s;
    clb_programme_rec *p = &s->programmes[i];

    label_record(r, o, "programme", "programmes", i);
    check_keys(r, o, PROGRAMME_KEYS, NULL);
    if (get_id(r, o, "id", true, &p->sym) && p->sym >= 0) {
        p->id = clb_sym(s, p->sym);
        register_id(r, &s->programme_by_sym, p->sym, i, "programmes");
    }
    get_country(r, o, "country", true, &p->country);
    get_sym(r, o, "region", false, &p->region);
    read_period(r, o, &p->start, &p->end);
    get_small_int(r, o, "capacity", true, 0, MAX_COUNT, &p->capacity);
}

static void read_quotas(reader *r, const clb_json *arr)
{
    clb_scenario *s = r->s;
    size_t n = clb__json_array_size(arr), mark;

    if (!(s->quotas = alloc_array(r, n, sizeof(*s->quotas))))
        return;
    s->n_quotas = n;
    mark = path_key(r, "quotas");
    for (size_t i = 0; i < n; i++) {
        clb_quota_rec *q = &s->quotas[i];
        size_t m;
        const clb_json *o;

        q->id = "";
        q->sym = -1;
        q->max = -1;
        q->returning = -1;
        q->start_from = q->start_to = CLB_DATE_NONE;
        if ((o = section_item(r, arr, "quotas", i, &m)))
            read_quota(r, o, i);
        path_pop(r, m);
    }
    clear_label(r);
    path_pop(r, mark);
}

static void read_sessions(reader *r, const clb_json *arr)
{
    clb_scenario *s = r->s;
    size_t n = clb__json_array_size(arr), mark;

    if (!(s->sessions = alloc_array(r, n, sizeof(*s->sessions))))
        return;
    s->n_sessions = n;
    mark = path_key(r, "sessions");
    for (size_t i = 0; i < n; i++) {
        clb_session_rec *k = &s->sessions[i];
        size_t m;
        const clb_json *o;

        k->id = "";
        k->sym = k->course = k->country = k->region = -1;
        k->start = k->end = CLB_DATE_NONE;
        if ((o = section_item(r, arr, "sessions", i, &m)))
            read_session(r, o, i);
        path_pop(r, m);
    }
    clear_label(r);
    path_pop(r, mark);
}

static void read_programmes(reader *r, const clb_json *arr)
{
    clb_scenario *s = r->s;
    size_t n = clb__json_array_size(arr), mark;

    if (!(s->programmes = alloc_array(r, n, sizeof(*s->programmes))))
        return;
    s->n_programmes = n;
    mark = path_key(r, "programmes");
    for (size_t i = 0; i < n; i++) {
        clb_programme_rec *p = &s->programmes[i];
        size_t m;
        const clb_json *o;

        p->id = "";
        p->sym = p->country = p->region = -1;
        p->start = p->end = CLB_DATE_NONE;
        if ((o = section_item(r, arr, "programmes", i, &m)))
            read_programme(r, o, i);
        path_pop(r, m);
    }
    clear_label(r);
    path_pop(r, mark);
}

/* ---- scores, pins, bans, previous ---------------------------------------------- */

typedef enum { PAIR_SCORE, PAIR_PIN, PAIR_BAN, PAIR_PREVIOUS } pair_kind;

static const char *const SCORE_KEYS[] = {"worker", "vacancy", "value", NULL};
static const char *const PIN_KEYS[] = {"worker", "vacancy", NULL};
static const char *const BAN_KEYS[] = {"worker", "vacancy", "employer", NULL};
static const char *const PREVIOUS_KEYS[] = {"worker", "vacancy", "status", NULL};
static const char *const STATUS_CHOICES[] = {"proposed", "confirmed", NULL};

static const struct {
    const char *coll, *what;
    const char *const *keys;
} PAIR_INFO[] = {{"scores", "score", SCORE_KEYS},
                 {"pins", "pin", PIN_KEYS},
                 {"bans", "ban", BAN_KEYS},
                 {"previous", "previous", PREVIOUS_KEYS}};

/* A resolved (worker, vacancy) pair with its place in the document. */
typedef struct pair_tmp {
    uint32_t w, v, doc;
    double value;
} pair_tmp;

static int cmp_pair_tmp(const void *a, const void *b)
{
    const pair_tmp *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? -1 : 1;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return (x->doc > y->doc) - (x->doc < y->doc);
}

static void label_pair(reader *r, const clb_json *o, pair_kind kind, size_t i)
{
    const char *w = clb__json_string(clb__json_object_get(o, "worker"));
    const char *v = clb__json_string(clb__json_object_get(o, "vacancy"));
    const char *e = clb__json_string(clb__json_object_get(o, "employer"));

    if (w && v)
        set_label(r, "%s (%s, %s)", PAIR_INFO[kind].what, bare(r, w), bare(r, v));
    else if (w && e && kind == PAIR_BAN)
        set_label(r, "ban (%s, employer %s)", bare(r, w), bare(r, e));
    else
        set_label(r, "%s[%zu]", PAIR_INFO[kind].coll, i);
}

/*
 * A reference to a record by id: its index, or -1 (absent, or reported). When the
 * section it points into is itself missing, the dangling reference is not reported
 * again for every record.
 */
static int32_t get_ref(reader *r, const clb_json *o, const char *key, bool required,
                       const clb_intmap *map, const char *what, bool section_ok)
{
    const char *str;
    int32_t idx;
    if (!get_nonempty(r, o, key, required, &str) || !str)
        return -1;
    if ((idx = lookup(r->s, map, str)) < 0 && section_ok)
        report(r, key, "reference", "unknown %s %s", what, q(r, str));
    return idx;
}

/* Read one entry; returns true (and fills *t / the ban) when it is complete and valid. */
static bool read_pair(reader *r, const clb_json *o, pair_kind kind, size_t i, pair_tmp *t,
                      clb_ban_rec *ban, int *status)
{
    clb_scenario *s = r->s;
    int32_t w, v = -1, e = -1;
    bool good;
    size_t before = r->errors;

    label_pair(r, o, kind, i);
    check_keys(r, o, PAIR_INFO[kind].keys, NULL);
    w = get_ref(r, o, "worker", true, &s->worker_by_sym, "worker", r->have_workers);
    if (kind != PAIR_BAN) {
        v = get_ref(r, o, "vacancy", true, &s->vacancy_by_sym, "vacancy",
                    r->have_vacancies);
    } else {
        bool has_v = has_value(o, "vacancy"), has_e = has_value(o, "employer");
        if (has_v && has_e)
            report(r, NULL, "format", "a ban names a vacancy or an employer, not both");
        else if (!has_v && !has_e)
            report(r, NULL, "required", "a ban needs a vacancy or an employer");
        if (has_v)
            v = get_ref(r, o, "vacancy", false, &s->vacancy_by_sym, "vacancy",
                        r->have_vacancies);
        if (has_e)
            e = get_ref(r, o, "employer", false, &s->employer_by_sym, "employer",
                        r->have_employers);
    }
    if (kind == PAIR_SCORE) {
        t->value = NAN;
        get_number(r, o, "value", true, -MAX_SCORE, MAX_SCORE, &t->value);
    }
    if (kind == PAIR_PREVIOUS)
        get_choice(r, o, "status", true, STATUS_CHOICES, "proposed, confirmed", status);
    good = r->errors == before && w >= 0 && (v >= 0 || e >= 0);
    if (!good)
        return false;
    t->w = (uint32_t)w;
    t->v = (uint32_t)v;
    t->doc = (uint32_t)i;
    ban->worker = (uint32_t)w;
    ban->vacancy = v;
    ban->employer = e;
    return true;
}

/* Report pairs given twice (t sorted by pair, then document order); returns kept count.
 */
static size_t report_duplicates(reader *r, pair_tmp *t, size_t n, pair_kind kind)
{
    size_t k = 0, first = 0;
    for (size_t j = 0; j < n; j++) {
        if (j > 0 && t[j].w == t[first].w && t[j].v == t[first].v) {
            path_set_item(r, PAIR_INFO[kind].coll, t[j].doc);
            set_label(r, "%s (%s, %s)", PAIR_INFO[kind].what,
                      bare(r, r->s->workers[t[j].w].id),
                      bare(r, r->s->vacancies[t[j].v].id));
            report(r, NULL, "duplicate", "duplicate pair (first at $.%s[%u])",
                   PAIR_INFO[kind].coll, t[first].doc);
            continue;
        }
        first = j;
        t[k++] = t[j];
    }
    path_pop(r, 1);
    clear_label(r);
    return k;
}

static void read_pairs(reader *r, const clb_json *root, pair_kind kind)
{
    clb_scenario *s = r->s;
    const char *coll = PAIR_INFO[kind].coll;
    const clb_json *arr;
    pair_tmp *tmp = NULL;
    size_t n, k = 0, mark;

    if (!get_array(r, root, coll, false, &arr) || !arr)
        return;
    n = clb__json_array_size(arr);
    if (n == 0)
        return;
    if (!(tmp = clb__malloc(n * sizeof(*tmp)))) {
        r->oom = CLB_ENOMEM;
        return;
    }
    switch (kind) {
    case PAIR_SCORE:
        s->scores = alloc_array(r, n, sizeof(*s->scores));
        break;
    case PAIR_PIN:
        s->pins = alloc_array(r, n, sizeof(*s->pins));
        break;
    case PAIR_BAN:
        s->bans = alloc_array(r, n, sizeof(*s->bans));
        break;
    case PAIR_PREVIOUS:
        s->previous = alloc_array(r, n, sizeof(*s->previous));
        break;
    }
    if (r->oom)
        goto done;
    mark = path_key(r, coll);
    for (size_t i = 0; i < n; i++) {
        clb_ban_rec ban;
        int status = 0;
        size_t m;
        const clb_json *o = section_item(r, arr, coll, i, &m);

        if (o && read_pair(r, o, kind, i, &tmp[k], &ban, &status)) {
            if (kind == PAIR_PIN) {
                s->pins[s->n_pins].worker = tmp[k].w;
                s->pins[s->n_pins++].vacancy = tmp[k].v;
            } else if (kind == PAIR_BAN) {
                s->bans[s->n_bans++] = ban;
            } else if (kind == PAIR_PREVIOUS) {
                s->previous[s->n_previous].worker = tmp[k].w;
                s->previous[s->n_previous].vacancy = tmp[k].v;
                s->previous[s->n_previous++].status = (clb_prev_status)status;
            }
            k++;
        }
        path_pop(r, m);
    }
    clear_label(r);
    path_pop(r, mark);
    if (kind == PAIR_BAN)
        goto done; /* a ban given twice forbids the same thing twice: harmless */
    qsort(tmp, k, sizeof(*tmp), cmp_pair_tmp);
    k = report_duplicates(r, tmp, k, kind);
    if (kind == PAIR_SCORE) {
        for (size_t j = 0; j < k; j++) {
            s->scores[j].worker = tmp[j].w;
            s->scores[j].vacancy = tmp[j].v;
            s->scores[j].value = tmp[j].value;
        }
        s->n_scores = k;
    }
done:
    clb__free(tmp);
}

/* An ineligible pin is an input error naming the failed rules (docs/FORMATS.md §2.8). */
static void check_pins(reader *r)
{
    const clb_scenario *s = r->s;
    clb_buf names = CLB_BUF_INIT;

    for (size_t i = 0; i < s->n_pins; i++) {
        const clb_pair_rec *p = &s->pins[i];
        unsigned mask = clb__eligibility_check(s, p->worker, p->vacancy);
        const char *first = NULL;
        int rc = 0;

        if (!mask)
            continue;
        clb__buf_clear(&names);
        for (unsigned b = 0; b < CLB_RULE_COUNT && rc == 0; b++) {
            const char *name = (mask & (1u << b)) ? clb_rule_name(1u << b) : NULL;
            if (!name)
                continue;
            rc = clb__buf_printf(&names, "%s%s", first ? ", " : "", name);
            if (!first)
                first = name;
        }
        if (rc < 0 || !names.ptr) {
            r->oom = CLB_ENOMEM;
            break;
        }
        path_set_item(r, "pins", i);
        set_label(r, "pin (%s, %s)", bare(r, s->workers[p->worker].id),
                  bare(r, s->vacancies[p->vacancy].id));
        report(r, NULL, first, "worker %s is not eligible for vacancy %s (%s)",
               q(r, s->workers[p->worker].id), q(r, s->vacancies[p->vacancy].id),
               names.ptr);
    }
    path_pop(r, 1);
    clear_label(r);
    clb_buf_dispose(&names);
}

/* ---- the document -------------------------------------------------------------- */

static const char *const TOP_KEYS[] = {
    "format",   "name",       "policy", "workers", "employers", "vacancies", "quotas",
    "sessions", "programmes", "scores", "pins",    "bans",      "previous",  NULL};

static void read_document(reader *r, const clb_json *root)
{
    clb_scenario *s = r->s;
    const char *format, *name;
    const clb_json *arr;

    if (!clb_json_is_object(root)) {
        report(r, NULL, "type", "a scenario must be a json object, got %s",
               clb__json_type_name(root));
        return;
    }
    /* Another kind of document: one clear error, not a flood of unknown keys. */
    if (get_string(r, root, "format", true, &format) && format &&
        strcmp(format, SCENARIO_FORMAT) != 0) {
        report(r, "format", "format", "format %s is not '%s'", q(r, format),
               SCENARIO_FORMAT);
        return;
    }
    check_keys(r, root, TOP_KEYS, NULL);
    if (get_string(r, root, "name", false, &name) && name &&
        !(s->name = clb__arena_strdup(&s->arena, name)))
        r->oom = CLB_ENOMEM;
    read_policy(r, root);
    if (get_array(r, root, "employers", true, &arr) && arr) {
        r->have_employers = true;
        read_employers(r, arr);
    }
    if (get_array(r, root, "workers", true, &arr) && arr) {
        r->have_workers = true;
        read_workers(r, arr);
    }
    if (get_array(r, root, "vacancies", true, &arr) && arr) {
        r->have_vacancies = true;
        read_vacancies(r, arr);
    }
    if (get_array(r, root, "quotas", false, &arr) && arr)
        read_quotas(r, arr);
    if (get_array(r, root, "sessions", false, &arr) && arr)
        read_sessions(r, arr);
    if (get_array(r, root, "programmes", false, &arr) && arr)
        read_programmes(r, arr);
    read_pairs(r, root, PAIR_SCORE);
    read_pairs(r, root, PAIR_PIN);
    read_pairs(r, root, PAIR_BAN);
    read_pairs(r, root, PAIR_PREVIOUS);
    if (r->errors == 0 && !r->oom)
        check_pins(r);
}

/* ---- public API ---------------------------------------------------------------- */

static clb_scenario *scenario_new(void)
{
    clb_scenario *s = clb__calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    clb__arena_init(&s->arena);
    clb__strtab_init(&s->syms);
    clb__intmap_init(&s->worker_by_sym);
    clb__intmap_init(&s->employer_by_sym);
    clb__intmap_init(&s->site_by_sym);
    clb__intmap_init(&s->vacancy_by_sym);
    clb__intmap_init(&s->session_by_sym);
    clb__intmap_init(&s->programme_by_sym);
    clb__intmap_init(&s->quota_by_sym);
    clb__policy_defaults(&s->policy);
    s->name = "";
    return s;
}

void clb_scenario_free(clb_scenario *s)
{
    if (!s)
        return;
    clb__arena_dispose(&s->arena);
    clb__strtab_dispose(&s->syms);
    clb__intmap_dispose(&s->worker_by_sym);
    clb__intmap_dispose(&s->employer_by_sym);
    clb__intmap_dispose(&s->site_by_sym);
    clb__intmap_dispose(&s->vacancy_by_sym);
    clb__intmap_dispose(&s->session_by_sym);
    clb__intmap_dispose(&s->programme_by_sym);
    clb__intmap_dispose(&s->quota_by_sym);
    clb__free(s);
}

/* Copy a whole error record into err when err has no message yet (innermost wins). */
static int error_copy(clb_error *err, const clb_error *from)
{
    if (err && err->message[0] == '\0')
        *err = *from;
    else if (err && err->code == 0)
        err->code = from->code;
    return from->code;
}

/* CLB_EINVAL with the first diagnostic (of those from `base` on) and a count. */
static int fail_invalid(clb_error *err, const clb_diags *diags, size_t base,
                        const char *source)
{
    const clb_diag *d = clb_diags_get(diags, base);
    size_t more = clb_diags_count(diags) - base - 1;
    clb_error e;

    clb_error_init(&e);
    if (more)
        clb__error_set(&e, CLB_EINVAL, "%s (and %zu more error%s)", d->message, more,
                      more == 1 ? "" : "s");
    else
        clb__error_set(&e, CLB_EINVAL, "%s", d->message);
    snprintf(e.path, sizeof(e.path), "%s", d->path);
    clb__error_set_source(&e, source);
    e.line = d->line;
    e.column = d->column;
    return error_copy(err, &e);
}

int clb_scenario_load_buffer(clb_scenario **out, const char *buf, size_t len,
                             const char *source, clb_diags *diags, clb_error *err)
{
    clb_diags *own = NULL;
    clb_json *root = NULL;
    clb_scenario *s = NULL;
    clb_error local;
    reader r;
    size_t base;
    int error = 0;

    memset(&r, 0, sizeof(r));
    *out = NULL;
    if (!diags) {
        if (clb_diags_new(&own) < 0) {
            error = clb__error_set(err, CLB_ENOMEM, "out of memory");
            goto done;
        }
        diags = own;
    }
    base = clb_diags_count(diags);
    clb_error_init(&local);
    if ((error = clb__json_load_buffer(&root, buf ? buf : "", buf ? len : 0, source,
                                      &local)) < 0) {
        /* The diagnostic carries line and column in its fields, so its message is
         * the parser's complaint without them (json.h: "invalid json at ...: TEXT"). */
        const char *text = strstr(local.message, ": ");
        if (error == CLB_EPARSE &&
            clb__diags_add(diags, source, "", "syntax", local.line, local.column,
                          "invalid json: %s", text ? text + 2 : local.message) < 0)
            error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        else
            error_copy(err, &local);
        goto done;
    }
    if (clb__variant_is(root)) {
        /* A variant: merge it with its base, then read the merged text under the
         * variant's own name, so that every error names the variant file. */
        clb_buf merged = CLB_BUF_INIT;
        if ((error = clb__variant_merge(&merged, root, source, diags, err)) == 0)
            error = clb_scenario_load_buffer(out, merged.ptr, merged.size, source, diags,
                                             err);
        clb_buf_dispose(&merged);
        goto done;
    }
    if (!(s = scenario_new())) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }
    r.s = s;
    r.diags = diags;
    r.source = source;
    r.prefix = "";
    if (clb__buf_puts(&r.path, "$") < 0)
        r.oom = CLB_ENOMEM;
    else
        read_document(&r, root);
    if (r.oom) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory reading the scenario");
        clb__error_set_source(err, source);
        goto done;
    }
    if (clb_diags_count(diags) > base) {
        error = fail_invalid(err, diags, base, source);
        goto done;
    }
    *out = s;
    s = NULL;
done:
    clb_scenario_free(s);
    clb__json_free(root);
    clb_diags_free(own);
    clb_buf_dispose(&r.path);
    clb_buf_dispose(&r.label);
    for (int i = 0; i < RING; i++)
        clb_buf_dispose(&r.ring[i]);
    return error;
}

int clb_scenario_load_file(clb_scenario **out, const char *path, clb_diags *diags,
                           clb_error *err)
{
    return clb_scenario_load_file_max(out, path, 0, diags, err);
}

int clb_scenario_load_file_max(clb_scenario **out, const char *path, size_t max_bytes,
                               clb_diags *diags, clb_error *err)
{
    clb_buf text = CLB_BUF_INIT;
    int error;

    *out = NULL;
    if ((error = clb__file_read_max(&text, path, max_bytes, err)) < 0)
        goto done;
    error = clb_scenario_load_buffer(out, text.ptr ? text.ptr : "", text.size, path,
                                     diags, err);
done:
    clb_buf_dispose(&text);
    return error;
}

const char *clb_scenario_name(const clb_scenario *s)
{
    return (s && s->name) ? s->name : "";
}

size_t clb_scenario_count(const clb_scenario *s, clb_kind kind)
{
    if (!s)
        return 0;
    switch (kind) {
    case CLB_KIND_WORKER:
        return s->n_workers;
    case CLB_KIND_EMPLOYER:
        return s->n_employers;
    case CLB_KIND_SITE:
        return s->n_sites;
    case CLB_KIND_VACANCY:
        return s->n_vacancies;
    case CLB_KIND_QUOTA:
        return s->n_quotas;
    case CLB_KIND_SESSION:
        return s->n_sessions;
    case CLB_KIND_PROGRAMME:
        return s->n_programmes;
    }
    return 0;
}

static int32_t index_of(const clb_scenario *s, const clb_intmap *map, const char *id)
{
    return (s && id) ? lookup(s, map, id) : -1;
}

int32_t clb__scenario_worker_index(const clb_scenario *s, const char *id)
{
    return s ? index_of(s, &s->worker_by_sym, id) : -1;
}

int32_t clb__scenario_vacancy_index(const clb_scenario *s, const char *id)
{
    return s ? index_of(s, &s->vacancy_by_sym, id) : -1;
}

int32_t clb__scenario_employer_index(const clb_scenario *s, const char *id)
{
    return s ? index_of(s, &s->employer_by_sym, id) : -1;
}

int clb_scenario_check_pair(unsigned *out_mask, const clb_scenario *s,
                            const char *worker_id, const char *vacancy_id, clb_error *err)
{
    int32_t w = clb__scenario_worker_index(s, worker_id);
    int32_t v = clb__scenario_vacancy_index(s, vacancy_id);

    *out_mask = 0;
    if (w < 0)
        return clb__error_set(err, CLB_ENOTFOUND, "unknown worker '%s'",
                             worker_id ? worker_id : "");
    if (v < 0)
        return clb__error_set(err, CLB_ENOTFOUND, "unknown vacancy '%s'",
                             vacancy_id ? vacancy_id : "");
    *out_mask = clb__eligibility_check(s, (uint32_t)w, (uint32_t)v);
    return 0;
}
