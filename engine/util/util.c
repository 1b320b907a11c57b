/*
 * util.c - arena, buffers, dates, interning and small helpers (see util.h).
 *
 * Dates are plain day numbers so that periods, gaps and lead times are integer
 * arithmetic; the conversion is Howard Hinnant's days-from-civil algorithm.
 */
#include "util/util.h"
#include "util/alloc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- errors -------------------------------------------------------------------- */

void clb_error_init(clb_error *err)
{
    if (err)
        memset(err, 0, sizeof(*err));
}

int clb__error_set(clb_error *err, int code, const char *fmt, ...)
{
    if (err && err->message[0] == '\0') {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof(err->message), fmt, ap);
        va_end(ap);
        err->code = code;
    } else if (err && err->code == 0) {
        err->code = code;
    }
    return code;
}

int clb__oom(clb_error *err)
{
    return clb__error_set(err, CLB_ENOMEM, "out of memory");
}

void clb__error_set_source(clb_error *err, const char *source)
{
    if (err && source && err->source[0] == '\0')
        snprintf(err->source, sizeof(err->source), "%s", source);
}

int clb__error_copy(clb_error *err, const clb_error *from)
{
    if (err && err->message[0] == '\0')
        *err = *from;
    else if (err && err->code == 0)
        err->code = from->code;
    return from->code;
}

const char *clb_strerror(int code)
{
    switch (code) {
    case CLB_OK: return "ok";
    case CLB_ENOMEM: return "out of memory";
    case CLB_EINVAL: return "invalid input";
    case CLB_EPARSE: return "parse error";
    case CLB_ENOTFOUND: return "not found";
    case CLB_EEXISTS: return "already exists";
    case CLB_EIO: return "i/o error";
    case CLB_ENET: return "network error";
    case CLB_EINFEASIBLE: return "infeasible";
    case CLB_ESOLVER: return "solver failure";
    case CLB_EINTERNAL: return "internal error";
    case CLB_EDB: return "database error";
    case CLB_ESTATE: return "illegal state change";
    default: return "unknown error";
    }
}

const char *clb_version(void)
{
    return "0.1.0";
}

/* ---- arena --------------------------------------------------------------------- */

struct clb_arena_block {
    clb_arena_block *next;
    size_t cap;
    _Alignas(16) unsigned char data[];
};

void clb__arena_init(clb_arena *arena)
{
    memset(arena, 0, sizeof(*arena));
}

void clb__arena_dispose(clb_arena *arena)
{
    clb_arena_block *b = arena->head;
    while (b) {
        clb_arena_block *next = b->next;
        clb__free(b);
        b = next;
    }
    memset(arena, 0, sizeof(*arena));
}

void *clb__arena_alloc(clb_arena *arena, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (size == 0)
        size = 16;
    if (!arena->head || arena->used + size > arena->cap) {
        size_t cap = size > 65536 ? size : 65536;
        clb_arena_block *b = clb__malloc(sizeof(*b) + cap);
        if (!b)
            return NULL;
        b->cap = cap;
        b->next = arena->head;
        arena->head = b;
        arena->used = 0;
        arena->cap = cap;
    }
    void *p = arena->head->data + arena->used;
    arena->used += size;
    memset(p, 0, size);
    return p;
}

char *clb__arena_strndup(clb_arena *arena, const char *s, size_t n)
{
    char *p = clb__arena_alloc(arena, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *clb__arena_strdup(clb_arena *arena, const char *s)
{
    return clb__arena_strndup(arena, s, strlen(s));
}

/* ---- buffers ------------------------------------------------------------------- */

void clb_buf_dispose(clb_buf *buf)
{
    if (!buf)
        return;
    clb__free(buf->ptr);
    buf->ptr = NULL;
    buf->size = buf->asize = 0;
}

void clb__buf_clear(clb_buf *buf)
{
    buf->size = 0;
    if (buf->ptr)
        buf->ptr[0] = '\0';
}

int clb__buf_grow(clb_buf *buf, size_t extra)
{
    size_t need = buf->size + extra + 1;
    if (need <= buf->asize)
        return 0;
    size_t cap = buf->asize ? buf->asize : 256;
    while (cap < need)
        cap *= 2;
    char *p = clb__realloc(buf->ptr, cap);
    if (!p)
        return CLB_ENOMEM;
    buf->ptr = p;
    buf->asize = cap;
    return 0;
}

int clb__buf_put(clb_buf *buf, const char *data, size_t len)
{
    if (clb__buf_grow(buf, len) < 0)
        return CLB_ENOMEM;
    memcpy(buf->ptr + buf->size, data, len);
    buf->size += len;
    buf->ptr[buf->size] = '\0';
    return 0;
}

int clb__buf_puts(clb_buf *buf, const char *s)
{
    return clb__buf_put(buf, s, strlen(s));
}

int clb__buf_vprintf(clb_buf *buf, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return CLB_EINTERNAL;
    if (clb__buf_grow(buf, (size_t)n) < 0)
        return CLB_ENOMEM;
    vsnprintf(buf->ptr + buf->size, (size_t)n + 1, fmt, ap);
    buf->size += (size_t)n;
    return 0;
}

int clb__buf_printf(clb_buf *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = clb__buf_vprintf(buf, fmt, ap);
    va_end(ap);
    return rc;
}

int clb__buf_put_json_string(clb_buf *buf, const char *s)
{
    int rc = clb__buf_put(buf, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; rc == 0 && *p; p++) {
        switch (*p) {
        case '"': rc = clb__buf_put(buf, "\\\"", 2); break;
        case '\\': rc = clb__buf_put(buf, "\\\\", 2); break;
        case '\n': rc = clb__buf_put(buf, "\\n", 2); break;
        case '\r': rc = clb__buf_put(buf, "\\r", 2); break;
        case '\t': rc = clb__buf_put(buf, "\\t", 2); break;
        default:
            if (*p < 0x20)
                rc = clb__buf_printf(buf, "\\u%04x", *p);
            else
                rc = clb__buf_put(buf, (const char *)p, 1);
        }
    }
    return rc < 0 ? rc : clb__buf_put(buf, "\"", 1);
}

/* Length of the UTF-8 sequence at s (at most n bytes), 0 when it is not valid. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t k;
    uint32_t c;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        k = 2;
        c = s[0] & 0x1F;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        k = 3;
        c = s[0] & 0x0F;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        k = 4;
        c = s[0] & 0x07;
    } else
        return 0;
    if (n < k)
        return 0;
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if ((k == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
        (k == 4 && (c < 0x10000 || c > 0x10FFFF)))
        return 0;
    *cp = c;
    return k;
}

static bool is_bidi_control(uint32_t c)
{
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069);
}

int clb_text_escape(clb_buf *out, const char *text, size_t len, unsigned flags)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, run = 0; /* bytes [run, i) are copied as they are */
    int rc = 0;

    while (rc == 0 && i < len) {
        uint32_t c = 0;
        size_t k = utf8_seq(s + i, len - i, &c);
        bool keep = k > 0 && !(c < 0x20 && !(c == '\n' && (flags & CLB_TEXT_KEEP_NEWLINES))) &&
                    !(c >= 0x7F && c <= 0x9F) && !is_bidi_control(c);
        if (keep) {
            i += k;
            continue;
        }
        rc = clb__buf_put(out, text + run, i - run);
        if (rc == 0)
            rc = k == 0 ? clb__buf_printf(out, "\\x%02x", s[i])
                        : clb__buf_printf(out, "\\u%04X", (unsigned)c);
        i += k ? k : 1;
        run = i;
    }
    if (rc == 0)
        rc = clb__buf_put(out, text + run, i - run);
    if (rc == 0 && !out->ptr)
        rc = clb__buf_put(out, "", 0);
    return rc < 0 ? CLB_ENOMEM : 0;
}

/* A plain decimal number: [+-]digits[.digits][e[+-]digits] (not inf, nan or hex). */
static bool is_decimal_number(const char *s)
{
    bool digits = false;
    if (*s == '+' || *s == '-')
        s++;
    for (; *s >= '0' && *s <= '9'; s++)
        digits = true;
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++)
            digits = true;
    if (!digits)
        return false;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!(*s >= '0' && *s <= '9'))
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

static bool starts_formula(const char *s)
{
    return *s && strchr("=+-@\t\r", *s) != NULL;
}

bool clb__csv_cell_is_guarded(const char *s)
{
    return s[0] == '\'' && starts_formula(s + 1);
}

int clb__buf_put_csv_cell(clb_buf *buf, const char *s)
{
    return clb__buf_put_csv_cell_sep(buf, s, ',');
}

int clb__buf_put_csv_cell_sep(clb_buf *buf, const char *s, char sep)
{
    size_t n;
    bool guard, quote;
    int rc = 0;

    if (!s)
        s = "";
    n = strlen(s);
    guard = starts_formula(s) && !is_decimal_number(s);
    quote = strchr(s, sep) || strpbrk(s, ",\"\r\n") ||
            (n > 0 && (s[0] == ' ' || s[n - 1] == ' '));
    if (quote)
        rc = clb__buf_put(buf, "\"", 1);
    if (rc == 0 && guard)
        rc = clb__buf_put(buf, "'", 1);
    for (const char *p = s; rc == 0 && *p; p++)
        rc = *p == '"' ? clb__buf_put(buf, "\"\"", 2) : clb__buf_put(buf, p, 1);
    if (rc == 0 && quote)
        rc = clb__buf_put(buf, "\"", 1);
    return rc;
}

int clb__buf_put_json_number(clb_buf *buf, double x)
{
    if (!isfinite(x))
        return clb__buf_puts(buf, "null");
    if (x == 0)
        return clb__buf_puts(buf, "0.0");
    if (fabs(x) < 1e15 && x == floor(x))
        return clb__buf_printf(buf, "%.1f", x);
    /* Shortest of %.15g..%.17g that reads back exactly: stable and readable. */
    char tmp[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*g", prec, x);
        if (strtod(tmp, NULL) == x)
            break;
    }
    return clb__buf_puts(buf, tmp);
}

/* ---- dates --------------------------------------------------------------------- */

clb_date clb__date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void clb__date_to_ymd(clb_date z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int yy = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool clb__date_parse(clb_date *out, const char *s)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1900 || m < 1 || m > 12 || d < 1)
        return false;
    int md = mdays[m - 1] + (m == 2 && is_leap(y));
    if (d > md)
        return false;
    *out = clb__date_from_ymd(y, m, d);
    return true;
}

void clb__date_format(char *out, clb_date date)
{
    int y, m, d;
    if (date == CLB_DATE_NONE) {
        out[0] = '\0';
        return;
    }
    clb__date_to_ymd(date, &y, &m, &d);
    y = ((y % 10000) + 10000) % 10000;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

int clb__date_age(clb_date birth, clb_date on)
{
    int by, bm, bd, y, m, d;
    clb__date_to_ymd(birth, &by, &bm, &bd);
    clb__date_to_ymd(on, &y, &m, &d);
    return y - by - ((m < bm || (m == bm && d < bd)) ? 1 : 0);
}

/* ---- string interning -------------------------------------------------------- */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

void clb__strtab_init(clb_strtab *tab)
{
    memset(tab, 0, sizeof(*tab));
    clb__arena_init(&tab->arena);
}

void clb__strtab_dispose(clb_strtab *tab)
{
    clb__arena_dispose(&tab->arena);
    clb__free(tab->strs);
    clb__free(tab->slots);
    memset(tab, 0, sizeof(*tab));
}

int32_t clb__strtab_lookup(const clb_strtab *tab, const char *s)
{
    if (!tab->nslots)
        return -1;
    size_t mask = tab->nslots - 1;
    for (size_t i = hash_str(s) & mask;; i = (i + 1) & mask) {
        int32_t id = tab->slots[i];
        if (id < 0)
            return -1;
        if (strcmp(tab->strs[id], s) == 0)
            return id;
    }
}

static int strtab_rehash(clb_strtab *tab, size_t nslots)
{
    int32_t *slots = clb__malloc(nslots * sizeof(*slots));
    if (!slots)
        return CLB_ENOMEM;
    memset(slots, 0xff, nslots * sizeof(*slots));
    for (size_t id = 0; id < tab->count; id++) {
        size_t i = hash_str(tab->strs[id]) & (nslots - 1);
        while (slots[i] >= 0)
            i = (i + 1) & (nslots - 1);
        slots[i] = (int32_t)id;
    }
    clb__free(tab->slots);
    tab->slots = slots;
    tab->nslots = nslots;
    return 0;
}

int32_t clb__strtab_intern(clb_strtab *tab, const char *s)
{
    int32_t id = clb__strtab_lookup(tab, s);
    if (id >= 0)
        return id;
    if ((tab->count + 1) * 2 > tab->nslots &&
        strtab_rehash(tab, tab->nslots ? tab->nslots * 2 : 64) < 0)
        return CLB_ENOMEM;
    if (tab->count == tab->strs_cap) {
        size_t cap = tab->strs_cap ? tab->strs_cap * 2 : 64;
        const char **strs = clb__realloc(tab->strs, cap * sizeof(*strs));
        if (!strs)
            return CLB_ENOMEM;
        tab->strs = strs;
        tab->strs_cap = cap;
    }
    char *copy = clb__arena_strdup(&tab->arena, s);
    if (!copy)
        return CLB_ENOMEM;
    id = (int32_t)tab->count++;
    tab->strs[id] = copy;
    size_t mask = tab->nslots - 1;
    size_t i = hash_str(s) & mask;
    while (tab->slots[i] >= 0)
        i = (i + 1) & mask;
    tab->slots[i] = id;
    return id;
}

const char *clb__strtab_get(const clb_strtab *tab, int32_t id)
{
    return (id >= 0 && (size_t)id < tab->count) ? tab->strs[id] : "";
}

/* The strings are distinct, so the order has no ties and needs no context. */
static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(**(const char *const *const *)a, **(const char *const *const *)b);
}

int clb__strtab_sort(clb_strtab *tab, int32_t *old_to_new)
{
    const char ***order = clb__malloc((tab->count + 1) * sizeof(*order));
    const char **strs = clb__malloc((tab->strs_cap + 1) * sizeof(*strs));
    int32_t *slots = clb__malloc((tab->nslots + 1) * sizeof(*slots));

    if (!order || !strs || !slots) {
        clb__free(order);
        clb__free(strs);
        clb__free(slots);
        return CLB_ENOMEM;
    }
    /* order[k] points at the slot of strs holding the k-th string: its old id is
       order[k] - tab->strs */
    for (size_t id = 0; id < tab->count; id++)
        order[id] = &tab->strs[id];
    qsort(order, tab->count, sizeof(*order), cmp_str_ptr);
    for (size_t k = 0; k < tab->count; k++) {
        size_t old = (size_t)(order[k] - tab->strs);
        old_to_new[old] = (int32_t)k;
        strs[k] = tab->strs[old];
    }
    for (size_t i = 0; i < tab->nslots; i++)
        slots[i] = tab->slots[i] < 0 ? -1 : old_to_new[tab->slots[i]];
    clb__free(order);
    clb__free(tab->strs);
    clb__free(tab->slots);
    tab->strs = strs;
    tab->slots = slots;
    return 0;
}

/* ---- integer map --------------------------------------------------------------- */

void clb__intmap_init(clb_intmap *map)
{
    memset(map, 0, sizeof(*map));
}

void clb__intmap_dispose(clb_intmap *map)
{
    clb__free(map->keys);
    clb__free(map->vals);
    memset(map, 0, sizeof(*map));
}

static size_t hash_int(int32_t k)
{
    uint64_t x = (uint64_t)(uint32_t)k * 0x9E3779B97F4A7C15ULL;
    return (size_t)(x >> 17);
}

int32_t clb__intmap_get(const clb_intmap *map, int32_t key)
{
    if (!map->nslots)
        return -1;
    size_t mask = map->nslots - 1;
    for (size_t i = hash_int(key) & mask;; i = (i + 1) & mask) {
        if (map->keys[i] < 0)
            return -1;
        if (map->keys[i] == key)
            return map->vals[i];
    }
}

int clb__intmap_put(clb_intmap *map, int32_t key, int32_t val)
{
    if ((map->count + 1) * 2 > map->nslots) {
        size_t n = map->nslots ? map->nslots * 2 : 64;
        int32_t *keys = clb__malloc(n * sizeof(*keys));
        int32_t *vals = clb__malloc(n * sizeof(*vals));
        if (!keys || !vals) {
            clb__free(keys);
            clb__free(vals);
            return CLB_ENOMEM;
        }
        memset(keys, 0xff, n * sizeof(*keys));
        for (size_t j = 0; j < map->nslots; j++) {
            if (map->keys[j] < 0)
                continue;
            size_t i = hash_int(map->keys[j]) & (n - 1);
            while (keys[i] >= 0)
                i = (i + 1) & (n - 1);
            keys[i] = map->keys[j];
            vals[i] = map->vals[j];
        }
        clb__free(map->keys);
        clb__free(map->vals);
        map->keys = keys;
        map->vals = vals;
        map->nslots = n;
    }
    size_t mask = map->nslots - 1;
    size_t i = hash_int(key) & mask;
    while (map->keys[i] >= 0 && map->keys[i] != key)
        i = (i + 1) & mask;
    if (map->keys[i] < 0)
        map->count++;
    map->keys[i] = key;
    map->vals[i] = val;
    return 0;
}

/* ---- misc ---------------------------------------------------------------------- */

double clb__now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void clb__now_iso(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int clb__cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int clb__cmp_int32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

size_t clb__sort_unique_int32(int32_t *v, size_t n)
{
    if (n < 2)
        return n;
    qsort(v, n, sizeof(*v), clb__cmp_int32);
    size_t k = 1;
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[k - 1])
            v[k++] = v[i];
    return k;
}

bool clb__sorted_contains(const int32_t *v, size_t n, int32_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == x;
}

void clb__order_by_value_desc(uint32_t *order, uint32_t *tmp, const double *val, size_t n)
{
    for (size_t i = 0; i < n; i++)
        order[i] = (uint32_t)i;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = val[order[j]] > val[order[i]] ? order[j++] : order[i++];
            while (i < mid)
                tmp[k++] = order[i++];
            while (j < hi)
                tmp[k++] = order[j++];
        }
        memcpy(order, tmp, n * sizeof(uint32_t));
    }
}
