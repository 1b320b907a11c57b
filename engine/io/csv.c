/*
 * csv.c - an RFC 4180 reader and the mapping of worker, vacancy and employer rows
 * to scenario records.
 *
 * Rows become the same JSON records a scenario document holds, which the scenario
 * reader then validates: CSV import has no validation rules of its own beyond what
 * the text itself must be. Cells are copied as text, with two checks made here
 * because only here are line and column known: a NUL byte in a cell is refused (it
 * would cut the C string short, "W1\0EVIL" read as "W1"), and a number column's cell
 * must be a JSON number ("+5", "007", "nan" would otherwise make text that is not
 * JSON, reported without a cell) - each refused at its line, column and header.
 *
 * The files come from spreadsheets as often as from programs, so the reader takes what
 * a spreadsheet in a Spanish or French locale writes (docs/AGENCY.md, "CSV from a
 * spreadsheet"): the delimiter ',' ';' or tab is read off the header line (the one
 * found most often outside quotes; ',' on a tie) unless the caller names it; cells are
 * trimmed of the spaces around them; rows with no value in any cell (";;;;") are
 * skipped; a byte-order mark is skipped; booleans are true/false, yes/no, 1/0, si/no,
 * oui/non in any case; with ';' a number may have a decimal comma ("35,5"); dates are
 * ISO unless the caller names DD/MM/YYYY or MM/DD/YYYY (never guessed). Text that is
 * not UTF-8 is read as Windows-1252, the other encoding such spreadsheets save, when
 * every byte is one of that code page and none of it is UTF-8 already; a file that
 * mixes the two, or holds a byte neither defines, is refused: converting it would
 * store mojibake.
 */
#include "io/csv.h"
#include "util/alloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct cellvec {
    clb_csv_cell *v;
    size_t n, cap;
} cellvec;

static int cellvec_push(cellvec *cv, clb_csv_cell c)
{
    if (cv->n == cv->cap) {
        size_t cap = cv->cap ? cv->cap * 2 : 64;
        clb_csv_cell *p = clb__realloc(cv->v, cap * sizeof(*p));
        if (!p)
            return CLB_ENOMEM;
        cv->v = p;
        cv->cap = cap;
    }
    cv->v[cv->n++] = c;
    return 0;
}

/* Length of the UTF-8 sequence at p (1..4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *p, size_t left)
{
    size_t n;
    unsigned cp;
    if (p[0] < 0x80)
        return 1;
    if ((p[0] & 0xE0) == 0xC0) {
        n = 2;
        cp = p[0] & 0x1F;
    } else if ((p[0] & 0xF0) == 0xE0) {
        n = 3;
        cp = p[0] & 0x0F;
    } else if ((p[0] & 0xF8) == 0xF0) {
        n = 4;
        cp = p[0] & 0x07;
    } else
        return 0;
    if (n > left)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000))
        return 0;
    return n;
}

/* A NUL byte would end the cell's C string early ("W1\0EVIL" read as "W1"): refused. */
static const char NUL_RULE[] = "NUL byte in a field (CSV text may not hold NUL bytes)";

static int parse_error(clb_error *err, const char *source, int line, int col,
                       const char *what)
{
    int rc = clb__error_set(err, CLB_EPARSE, "%s:%d:%d: %s", source ? source : "csv",
                           line, col, what);
    if (err && err->code == CLB_EPARSE && err->line == 0) {
        err->line = line;
        err->column = col;
    }
    clb__error_set_source(err, source);
    return rc;
}

/* Windows-1252's 0x80..0x9F (0: not defined); 0xA0..0xFF are U+00A0..U+00FF. */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

static int put_utf8(clb_buf *b, unsigned cp)
{
    char u[3];
    if (cp < 0x80) {
        u[0] = (char)cp;
        return clb__buf_put(b, u, 1);
    }
    if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        return clb__buf_put(b, u, 2);
    }
    u[0] = (char)(0xE0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    return clb__buf_put(b, u, 3);
}

/*
 * The text as UTF-8: `*text` itself when it is, else its Windows-1252 reading in
 * `conv` (and `*text`, `*len` point there). Refused, at the first byte that is not
 * UTF-8, when the file also holds UTF-8 sequences (mixed encodings) or a byte that
 * Windows-1252 does not define.
 */
static int decode_text(const char **text, size_t *len, clb_buf *conv, const char *source,
                       clb_error *err)
{
    const unsigned char *t = (const unsigned char *)*text;
    size_t n = *len, bad = n, multibyte = 0;
    int line = 1, col = 1, bad_line = 0, bad_col = 0;

    for (size_t i = 0; i < n;) {
        size_t k = t[i] ? utf8_len(t + i, n - i) : 1;
        if (!k) {
            if (bad == n) {
                bad = i;
                bad_line = line;
                bad_col = col;
            }
            if (t[i] >= 0x80 && t[i] < 0xA0 && !cp1252_high[t[i] - 0x80])
                return parse_error(err, source, line, col,
                                   "invalid UTF-8 byte sequence (a byte that neither "
                                   "UTF-8 nor Windows-1252 text holds; save the file "
                                   "as CSV UTF-8)");
            k = 1;
        } else if (k > 1)
            multibyte++;
        if (t[i] == '\n') {
            line++;
            col = 1;
        } else
            col++;
        i += k;
    }
    if (bad == n)
        return 0;
    if (multibyte)
        return parse_error(err, source, bad_line, bad_col,
                           "invalid UTF-8 byte sequence (the file mixes UTF-8 with "
                           "another encoding; save it as CSV UTF-8)");
    for (size_t i = 0; i < n; i++) {
        unsigned cp = t[i] < 0x80 ? t[i] : t[i] < 0xA0 ? cp1252_high[t[i] - 0x80] : t[i];
        if (put_utf8(conv, cp) < 0)
            return clb__error_set(err, CLB_ENOMEM, "out of memory");
    }
    *text = conv->ptr ? conv->ptr : "";
    *len = conv->size;
    return 0;
}

/* The delimiter of the header line: the one of ',' ';' tab most often outside quotes. */
static char detect_delimiter(const unsigned char *t, size_t len)
{
    size_t comma = 0, semi = 0, tab = 0;
    bool quoted = false;
    for (size_t i = 0; i < len && (quoted || (t[i] != '\n' && t[i] != '\r')); i++) {
        if (t[i] == '"')
            quoted = !quoted;
        else if (!quoted) {
            comma += t[i] == ',';
            semi += t[i] == ';';
            tab += t[i] == '\t';
        }
    }
    if (semi > comma && semi >= tab)
        return ';';
    if (tab > comma && tab > semi)
        return '\t';
    return ',';
}

static bool is_blank(unsigned char c, char delim)
{
    return c == ' ' || (c == '\t' && delim != '\t');
}

void clb__csv_opts_init(clb_csv_opts *opts)
{
    memset(opts, 0, sizeof(*opts));
}

/* Where the reader is in the text, and the field being read. */
typedef struct scanner {
    const unsigned char *t;
    size_t len, pos;
    int line, col;
    char delim;
    const char *source;
    clb_error *err;
    clb_buf field;
} scanner;

static bool at_field_end(const scanner *sc)
{
    return sc->pos >= sc->len || sc->t[sc->pos] == (unsigned char)sc->delim ||
           sc->t[sc->pos] == '\n' || sc->t[sc->pos] == '\r';
}

static void skip_blanks(scanner *sc)
{
    while (sc->pos < sc->len && is_blank(sc->t[sc->pos], sc->delim)) {
        sc->pos++;
        sc->col++;
    }
}

/* Copy the character at pos into the field: refused when it is a NUL byte or not
 * UTF-8; a line feed inside quotes moves the line on. */
static int take_char(scanner *sc)
{
    size_t n;
    if (sc->t[sc->pos] == 0)
        return parse_error(sc->err, sc->source, sc->line, sc->col, NUL_RULE);
    if (!(n = utf8_len(sc->t + sc->pos, sc->len - sc->pos)))
        return parse_error(sc->err, sc->source, sc->line, sc->col,
                           "invalid UTF-8 byte sequence");
    if (clb__buf_put(&sc->field, (const char *)sc->t + sc->pos, n) < 0)
        return CLB_ENOMEM;
    if (sc->t[sc->pos] == '\n') {
        sc->line++;
        sc->col = 1;
    } else
        sc->col++;
    sc->pos += n;
    return 0;
}

/* A quoted field, from its opening quote: doubled quotes are one quote. */
static int scan_quoted(scanner *sc, int first_line, int first_col)
{
    int error;
    sc->pos++;
    sc->col++;
    for (;;) {
        if (sc->pos >= sc->len)
            return parse_error(sc->err, sc->source, first_line, first_col,
                               "quoted field is never closed");
        if (sc->t[sc->pos] == '"') {
            if (sc->pos + 1 < sc->len && sc->t[sc->pos + 1] == '"') {
                if (clb__buf_put(&sc->field, "\"", 1) < 0)
                    return CLB_ENOMEM;
                sc->pos += 2;
                sc->col += 2;
                continue;
            }
            sc->pos++;
            sc->col++;
            break;
        }
        if ((error = take_char(sc)) < 0)
            return error;
    }
    skip_blanks(sc);
    if (!at_field_end(sc))
        return parse_error(sc->err, sc->source, sc->line, sc->col,
                           "unexpected character after a closing quote");
    return 0;
}

/* An unquoted field, trimmed of the blanks at its end. */
static int scan_plain(scanner *sc)
{
    int error;
    while (!at_field_end(sc)) {
        if (sc->t[sc->pos] == '"')
            return parse_error(sc->err, sc->source, sc->line, sc->col,
                               "quote inside an unquoted field");
        if ((error = take_char(sc)) < 0)
            return error;
    }
    while (sc->field.size &&
           is_blank((unsigned char)sc->field.ptr[sc->field.size - 1], sc->delim))
        sc->field.ptr[--sc->field.size] = 0;
    return 0;
}

/* One field into a cell (in the arena); *filled when it holds a value or quotes. */
static int scan_field(scanner *sc, clb_csv *out, clb_csv_cell *c, bool *filled)
{
    bool quoted;
    size_t skip;
    int error;
    clb__buf_clear(&sc->field);
    if (clb__buf_put(&sc->field, "", 0) < 0)
        return CLB_ENOMEM;
    skip_blanks(sc);
    *c = (clb_csv_cell){NULL, sc->line, sc->col};
    quoted = sc->pos < sc->len && sc->t[sc->pos] == '"';
    if ((error = quoted ? scan_quoted(sc, c->line, c->column) : scan_plain(sc)) < 0)
        return error;
    *filled = quoted || sc->field.size;
    /* a formula guard circulab's exports add ("'=x") is not part of the value */
    skip = clb__csv_cell_is_guarded(sc->field.ptr) ? 1 : 0;
    c->text = clb__arena_strndup(&out->arena, sc->field.ptr + skip, sc->field.size - skip);
    return c->text ? 0 : CLB_ENOMEM;
}

/* One record's cells onto `cells`; *empty when none holds a value (then dropped). */
static int scan_record(scanner *sc, clb_csv *out, cellvec *cells, bool *empty)
{
    size_t first = cells->n;
    int error;
    *empty = true;
    for (;;) {
        clb_csv_cell c;
        bool filled;
        if ((error = scan_field(sc, out, &c, &filled)) < 0 ||
            (error = cellvec_push(cells, c)) < 0)
            return error;
        if (filled)
            *empty = false;
        if (sc->pos < sc->len && sc->t[sc->pos] == (unsigned char)sc->delim) {
            sc->pos++;
            sc->col++;
            continue;
        }
        break;
    }
    if (sc->pos < sc->len && sc->t[sc->pos] == '\r')
        sc->pos++;
    if (sc->pos < sc->len && sc->t[sc->pos] == '\n')
        sc->pos++;
    sc->line++;
    sc->col = 1;
    if (*empty)
        cells->n = first;
    return 0;
}

int clb__csv_load_buffer(clb_csv *out, const char *text, size_t len, const char *source,
                         const clb_csv_opts *opts, clb_error *err)
{
    cellvec cells = {NULL, 0, 0};
    clb_buf conv = CLB_BUF_INIT;
    scanner sc;
    size_t ncols = 0, nrows = 0;
    int error = 0;

    memset(out, 0, sizeof(*out));
    memset(&sc, 0, sizeof(sc));
    clb__arena_init(&out->arena);
    if ((error = decode_text(&text, &len, &conv, source, err)) < 0)
        goto done;
    sc = (scanner){(const unsigned char *)text, len, 0, 1, 1, ',', source, err, CLB_BUF_INIT};
    if (len >= 3 && sc.t[0] == 0xEF && sc.t[1] == 0xBB && sc.t[2] == 0xBF)
        sc.pos = 3;
    sc.delim = opts && opts->delimiter ? opts->delimiter
                                       : detect_delimiter(sc.t + sc.pos, len - sc.pos);
    out->delimiter = sc.delim;
    out->date_order = opts ? opts->date_order : CLB_CSV_DATE_ISO;
    while (sc.pos < len) {
        size_t first = cells.n;
        bool empty;
        if ((error = scan_record(&sc, out, &cells, &empty)) < 0)
            goto done;
        if (empty)
            continue;
        if (nrows == 0)
            ncols = cells.n - first;
        else if (cells.n - first != ncols) {
            char msg[128];
            snprintf(msg, sizeof(msg), "row has %zu fields, the header has %zu",
                     cells.n - first, ncols);
            error = parse_error(err, source, cells.v[first].line, 1, msg);
            goto done;
        }
        nrows++;
    }
    if (nrows == 0) {
        error = parse_error(err, source, 1, 1, "no header row");
        goto done;
    }
    out->cells = cells.v;
    cells.v = NULL;
    out->nrows = nrows;
    out->ncols = ncols;
done:
    clb__free(cells.v);
    clb_buf_dispose(&sc.field);
    clb_buf_dispose(&conv);
    if (error < 0) {
        clb__arena_dispose(&out->arena);
        memset(out, 0, sizeof(*out));
    }
    if (error == CLB_ENOMEM)
        clb__error_set(err, CLB_ENOMEM, "out of memory");
    return error;
}

int clb__csv_load_file(clb_csv *out, const char *path, const clb_csv_opts *opts,
                       clb_error *err)
{
    FILE *f = fopen(path, "rb");
    clb_buf data = CLB_BUF_INIT;
    char chunk[65536];
    size_t n;
    int error = 0;

    memset(out, 0, sizeof(*out));
    if (!f) {
        error = clb__error_set(err, CLB_EIO, "cannot open '%s': %s", path, strerror(errno));
        clb__error_set_source(err, path);
        return error;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (clb__buf_put(&data, chunk, n) < 0) {
            error = clb__error_set(err, CLB_ENOMEM, "out of memory");
            goto done;
        }
    if (ferror(f)) {
        error = clb__error_set(err, CLB_EIO, "cannot read '%s': %s", path, strerror(errno));
        clb__error_set_source(err, path);
        goto done;
    }
    error = clb__csv_load_buffer(out, data.ptr ? data.ptr : "", data.size, path, opts, err);
done:
    fclose(f);
    clb_buf_dispose(&data);
    return error;
}

void clb__csv_dispose(clb_csv *csv)
{
    if (!csv)
        return;
    clb__free(csv->cells);
    clb__arena_dispose(&csv->arena);
    memset(csv, 0, sizeof(*csv));
}

int clb__csv_column(const clb_csv *csv, const char *name)
{
    for (size_t c = 0; c < csv->ncols; c++)
        if (strcmp(csv->cells[c].text, name) == 0)
            return (int)c;
    return -1;
}

const clb_csv_cell *clb__csv_get(const clb_csv *csv, size_t row, size_t col)
{
    return &csv->cells[row * csv->ncols + col];
}

clb_csv_kind clb__csv_kind_of(const clb_csv *csv)
{
    if (clb__csv_column(csv, "placement") >= 0)
        return CLB_CSV_PLACEMENTS;
    if (clb__csv_column(csv, "birth_date") >= 0)
        return CLB_CSV_WORKERS;
    if (clb__csv_column(csv, "headcount") >= 0)
        return CLB_CSV_VACANCIES;
    if (clb__csv_column(csv, "region") >= 0 && clb__csv_column(csv, "id") >= 0)
        return CLB_CSV_EMPLOYERS;
    return CLB_CSV_UNKNOWN;
}

/* ---- rows to records ----------------------------------------------------------- */

typedef enum { T_STR, T_INT, T_NUM, T_BOOL, T_LIST, T_DATE } col_type;

/* A column: its name, type and where its value goes ("a.b" nests one level). */
typedef struct col_def {
    const char *name;
    col_type type;
    const char *json; /* member path in the record */
} col_def;

static const col_def worker_cols[] = {
    {"id", T_STR, "id"},
    {"name", T_STR, "name"},
    {"birth_date", T_DATE, "birth_date"},
    {"sex", T_STR, "sex"},
    {"country", T_STR, "country"},
    {"region", T_STR, "region"},
    {"languages", T_LIST, "languages"},
    {"skills", T_LIST, "skills"},
    {"trainings", T_LIST, "trainings"},
    {"available_from", T_DATE, "available.from"},
    {"available_to", T_DATE, "available.to"},
    {"preferences", T_LIST, "preferences"},
    {"excludes", T_LIST, "excludes"},
    {"campaigns", T_INT, "history.campaigns"},
    {"returned", T_BOOL, "history.returned"},
    {"last_employer", T_STR, "history.last_employer"},
    {"last_return", T_DATE, "history.last_return"},
    {"days_abroad", T_INT, "history.days_abroad"},
    {"banned_until", T_DATE, "history.banned_until"},
    {NULL, T_STR, NULL}};

static const col_def vacancy_cols[] = {
    {"id", T_STR, "id"},
    {"employer", T_STR, "employer"},
    {"site", T_STR, "site"},
    {"sector", T_STR, "sector"},
    {"occupation", T_STR, "occupation"},
    {"start", T_DATE, "start"},
    {"end", T_DATE, "end"},
    {"headcount", T_INT, "headcount"},
    {"wage_month_eur", T_NUM, "wage_month_eur"},
    {"requires_skills", T_LIST, "requires.skills"},
    {"requires_trainings", T_LIST, "requires.trainings"},
    {"requires_languages", T_LIST, "requires.languages"},
    {"min_campaigns", T_INT, "requires.min_campaigns"},
    {"named", T_LIST, "named"},
    {"hold_named", T_BOOL, "hold_named"},
    {NULL, T_STR, NULL}};

static const col_def employer_cols[] = {
    {"id", T_STR, "id"},
    {"name", T_STR, "name"},
    {"region", T_STR, "region"},
    {"association", T_STR, "association"},
    {NULL, T_STR, NULL}};

static const col_def *cols_of(clb_csv_kind kind)
{
    switch (kind) {
    case CLB_CSV_WORKERS: return worker_cols;
    case CLB_CSV_VACANCIES: return vacancy_cols;
    case CLB_CSV_EMPLOYERS: return employer_cols;
    default: return NULL;
    }
}

/*
 * A number cell must be a JSON number, which is what the scenario reader reads:
 * an optional '-', digits without a leading zero, an optional fraction and exponent,
 * and a finite value. "+5", "007", "nan", "inf", "0x10", "1e400" are refused at
 * their cell (line, column, header name) instead of producing text that is not JSON.
 */
static bool json_number_syntax(const char *s)
{
    const char *p = s;
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (*p >= '0' && *p <= '9')
            p++;
    else
        return false;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == 0;
}

/* NULL when `s` is a number cell the reader can take, else the rule it breaks. */
static const char *number_problem(const char *s, bool integer)
{
    double x;
    if (!json_number_syntax(s))
        return integer ? "is not an integer (digits with an optional leading '-'; no "
                         "'+', no leading zeros, no nan or inf)"
                       : "is not a number (digits with an optional leading '-', "
                         "fraction and exponent; no '+', no leading zeros, no nan or "
                         "inf)";
    errno = 0;
    x = strtod(s, NULL);
    if (errno == ERANGE && (x > 1 || x < -1))
        return "is out of range";
    if (integer && strpbrk(s, ".eE") == NULL && (x > 2147483647.0 || x < -2147483648.0))
        return "is out of range";
    if (strpbrk(s, ".eE") == NULL) {
        /* the JSON reader takes digits without fraction or exponent as a 64-bit
         * integer, also in a number column: 1e22 written out would not be JSON */
        errno = 0;
        (void)strtoll(s, NULL, 10);
        if (errno == ERANGE)
            return "is out of range";
    }
    return NULL;
}

/* A cell value for a message: escaped like a JSON string, cut after 32 bytes. */
static const char *cell_shown(char *out, size_t size, const char *s)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && o + 8 < size; p++) {
        if (p - (const unsigned char *)s >= 32) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        if (*p < 0x20 || *p == 0x7f || *p >= 0x80 || *p == '\\' || *p == '\'')
            o += (size_t)snprintf(out + o, size - o, "\\x%02x", *p);
        else
            out[o++] = (char)*p;
    }
    out[o] = 0;
    return out;
}

/* The words a boolean cell may hold, in any case: 1 true, 0 false, -1 neither. */
static int bool_word(const char *text)
{
    static const char *const yes[] = {"true", "yes", "1", "si", "s\xc3\xad", "oui", NULL};
    static const char *const no[] = {"false", "no", "0", "non", NULL};
    char low[8];
    size_t n = strlen(text);
    if (n >= sizeof(low))
        return -1;
    for (size_t i = 0; i <= n; i++) {
        unsigned char ch = (unsigned char)text[i];
        low[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
        if (i > 0 && (unsigned char)text[i - 1] == 0xC3 && ch == 0x8D)
            low[i] = (char)0xAD; /* "SÍ" */
    }
    for (int i = 0; yes[i]; i++)
        if (!strcmp(low, yes[i]))
            return 1;
    for (int i = 0; no[i]; i++)
        if (!strcmp(low, no[i]))
            return 0;
    return -1;
}

/* "35,5" as "35.5" into out (size n) when the file's delimiter is ';'. */
static const char *decimal_point(char *out, size_t n, const char *text, char delim)
{
    const char *comma = strchr(text, ',');
    size_t len = strlen(text);
    if (delim != ';' || !comma || strchr(comma + 1, ',') || len >= n || comma == text ||
        !(comma[1] >= '0' && comma[1] <= '9') || !(comma[-1] >= '0' && comma[-1] <= '9'))
        return text;
    memcpy(out, text, len + 1);
    out[comma - text] = '.';
    return out;
}

int clb__csv_cell_number(double *out, const clb_csv *csv, const clb_csv_cell *cell,
                         const char *header, const char *source, clb_error *err)
{
    char num[64], shown[128];
    const char *text = decimal_point(num, sizeof(num), cell->text, csv->delimiter);
    const char *why = number_problem(text, false);
    int error;

    if (!why) {
        *out = strtod(text, NULL);
        return 0;
    }
    error = clb__error_set(err, CLB_EINVAL, "%s:%d:%d: column '%s': '%s' %s",
                           source ? source : "csv", cell->line, cell->column, header,
                           cell_shown(shown, sizeof(shown), cell->text), why);
    if (err && err->line == 0) {
        err->line = cell->line;
        err->column = cell->column;
    }
    clb__error_set_source(err, source);
    return error;
}

/*
 * A date cell as ISO text into out (size n >= 11): ISO cells pass; with a day-first
 * or month-first order, "5/3/2026", "05-03-2026" or "05.03.2026" are rewritten. NULL
 * when the cell is not a date in the expected order (the reader's message then names
 * the rule), with `why` saying so.
 */
static const char *date_iso(char *out, size_t n, const char *text, clb_csv_date_order order,
                            const char **why)
{
    unsigned a, b, y;
    char s1, s2, tail;
    *why = NULL;
    if (order == CLB_CSV_DATE_ISO) {
        if (sscanf(text, "%2u%c%2u%c%4u%c", &a, &s1, &b, &s2, &y, &tail) == 5 &&
            s1 == s2 && (s1 == '/' || s1 == '.' || s1 == '-') && y >= 1000)
            *why = "is not an ISO date (YYYY-MM-DD); for a spreadsheet's dates give "
                   "--date-format DD/MM/YYYY or MM/DD/YYYY";
        return *why ? NULL : text;
    }
    if (sscanf(text, "%2u%c%2u%c%4u%c", &a, &s1, &b, &s2, &y, &tail) != 5 || s1 != s2 ||
        !(s1 == '/' || s1 == '.' || s1 == '-') || y < 1000) {
        *why = order == CLB_CSV_DATE_DMY ? "is not a date DD/MM/YYYY (--date-format)"
                                         : "is not a date MM/DD/YYYY (--date-format)";
        return NULL;
    }
    if (order == CLB_CSV_DATE_MDY) {
        unsigned t = a;
        a = b;
        b = t;
    }
    if (a < 1 || a > 31 || b < 1 || b > 12) {
        *why = order == CLB_CSV_DATE_DMY ? "is not a date DD/MM/YYYY (--date-format)"
                                         : "is not a date MM/DD/YYYY (--date-format)";
        return NULL;
    }
    snprintf(out, n, "%04u-%02u-%02u", y % 10000, b % 100, a % 100);
    return out;
}

static int put_value(clb_buf *out, const col_def *d, const char *text)
{
    int rc = 0;
    switch (d->type) {
    case T_STR:
    case T_DATE: return clb__buf_put_json_string(out, text);
    case T_INT:
    case T_NUM: return clb__buf_puts(out, text); /* checked by number_problem */
    case T_BOOL:
        switch (bool_word(text)) {
        case 1: return clb__buf_puts(out, "true");
        case 0: return clb__buf_puts(out, "false");
        default: return clb__buf_put_json_string(out, text);
        }
    case T_LIST: {
        const char *p = text;
        rc = clb__buf_puts(out, "[");
        bool first = true;
        while (rc == 0 && *p) {
            const char *semi = strchr(p, ';');
            size_t n = semi ? (size_t)(semi - p) : strlen(p);
            while (n && (*p == ' ')) {
                p++;
                n--;
            }
            while (n && p[n - 1] == ' ')
                n--;
            if (n) {
                char *item = clb__malloc(n + 1);
                if (!item)
                    return CLB_ENOMEM;
                memcpy(item, p, n);
                item[n] = 0;
                if (!first)
                    rc = clb__buf_puts(out, ",");
                if (rc == 0)
                    rc = clb__buf_put_json_string(out, item);
                clb__free(item);
                first = false;
            }
            p = semi ? semi + 1 : p + strlen(p);
        }
        return rc == 0 ? clb__buf_puts(out, "]") : rc;
    }
    }
    return 0;
}

int clb__csv_to_json(clb_buf *out, const clb_csv *csv, clb_csv_kind kind,
                    const char *source, clb_error *err)
{
    const col_def *defs = cols_of(kind);
    int *map = NULL; /* column -> def index, or -1 to ignore */
    int rc = 0, error = 0;

    if (!defs)
        return clb__error_set(err, CLB_EINVAL,
                             "%s: cannot tell what the CSV holds from its header "
                             "(workers need birth_date, vacancies headcount)",
                             source ? source : "csv");
    map = clb__malloc((csv->ncols ? csv->ncols : 1) * sizeof(int));
    if (!map)
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    for (size_t c = 0; c < csv->ncols; c++) {
        const clb_csv_cell *h = clb__csv_get(csv, 0, c);
        map[c] = -1;
        if (strncmp(h->text, "x-", 2) == 0)
            continue;
        for (int d = 0; defs[d].name; d++)
            if (strcmp(defs[d].name, h->text) == 0)
                map[c] = d;
        if (map[c] < 0) {
            error = clb__error_set(err, CLB_EINVAL, "%s:%d:%d: unknown column '%s'",
                                  source ? source : "csv", h->line, h->column, h->text);
            if (err && err->line == 0) {
                err->line = h->line;
                err->column = h->column;
            }
            clb__error_set_source(err, source);
            goto done;
        }
        for (size_t c2 = 0; c2 < c; c2++)
            if (map[c2] == map[c]) {
                error = clb__error_set(err, CLB_EINVAL, "%s:%d:%d: duplicate column '%s'",
                                      source ? source : "csv", h->line, h->column,
                                      h->text);
                clb__error_set_source(err, source);
                goto done;
            }
    }
    rc = clb__buf_puts(out, "[");
    for (size_t r = 1; r < csv->nrows && rc == 0; r++) {
        /* top-level members first, then each nested object's members together */
        static const char *const groups[] = {"", "available", "history", "requires"};
        bool first = true;
        rc = clb__buf_puts(out, r > 1 ? ",{" : "{");
        for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]) && rc == 0; g++) {
            size_t glen = strlen(groups[g]);
            bool open = false;
            for (size_t c = 0; c < csv->ncols && rc == 0; c++) {
                const col_def *d;
                const char *dot, *text;
                char num[64], date[16];
                const clb_csv_cell *cell = clb__csv_get(csv, r, c);
                if (map[c] < 0 || !cell->text[0])
                    continue;
                d = &defs[map[c]];
                text = cell->text;
                if (d->type == T_NUM)
                    text = decimal_point(num, sizeof(num), text, csv->delimiter);
                if (d->type == T_DATE || d->type == T_BOOL || d->type == T_INT ||
                    d->type == T_NUM) {
                    const char *why = NULL;
                    if (d->type == T_DATE)
                        text = date_iso(date, sizeof(date), text, csv->date_order, &why);
                    else if (d->type == T_BOOL)
                        why = bool_word(text) < 0 ? "is not a yes/no value (true/false, "
                                                    "yes/no, 1/0, si/no, oui/non)"
                                                  : NULL;
                    else
                        why = number_problem(text, d->type == T_INT);
                    if (why) {
                        char shown[128];
                        error = clb__error_set(
                            err, CLB_EINVAL, "%s:%d:%d: column '%s': '%s' %s",
                            source ? source : "csv", cell->line, cell->column, d->name,
                            cell_shown(shown, sizeof(shown), cell->text), why);
                        if (err && err->line == 0) {
                            err->line = cell->line;
                            err->column = cell->column;
                        }
                        clb__error_set_source(err, source);
                        goto done;
                    }
                }
                dot = strchr(d->json, '.');
                if (glen == 0 ? dot != NULL
                              : !(dot && (size_t)(dot - d->json) == glen &&
                                  strncmp(d->json, groups[g], glen) == 0))
                    continue;
                if (glen && !open) {
                    if (!first)
                        rc = clb__buf_puts(out, ",");
                    if (rc == 0)
                        rc = clb__buf_put_json_string(out, groups[g]);
                    if (rc == 0)
                        rc = clb__buf_puts(out, ":{");
                    open = true;
                    first = true;
                }
                if (!first && rc == 0)
                    rc = clb__buf_puts(out, ",");
                first = false;
                if (rc == 0)
                    rc = clb__buf_put_json_string(out, dot ? dot + 1 : d->json);
                if (rc == 0)
                    rc = clb__buf_puts(out, ":");
                if (rc == 0)
                    rc = put_value(out, d, text);
            }
            if (open && rc == 0) {
                rc = clb__buf_puts(out, "}");
                first = false;
            }
        }
        if (rc == 0)
            rc = clb__buf_puts(out, "}");
    }
    if (rc == 0)
        rc = clb__buf_puts(out, "]");
    if (rc < 0)
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
done:
    clb__free(map);
    return error;
}

int clb__csv_to_excel(clb_buf *out, const char *text, size_t len, clb_error *err)
{
    clb_csv csv;
    clb_csv_opts opts;
    const col_def *defs;
    int rc, error;

    clb__csv_opts_init(&opts);
    opts.delimiter = ',';
    if ((error = clb__csv_load_buffer(&csv, text, len, "export", &opts, err)) < 0)
        return error;
    defs = cols_of(clb__csv_kind_of(&csv));
    rc = clb__buf_put(out, "\xEF\xBB\xBF", 3);
    for (size_t r = 0; r < csv.nrows && rc == 0; r++) {
        for (size_t c = 0; c < csv.ncols && rc == 0; c++) {
            const char *cell = clb__csv_get(&csv, r, c)->text;
            bool number = false;
            if (c > 0)
                rc = clb__buf_puts(out, ";");
            for (int d = 0; r > 0 && defs && defs[d].name; d++)
                if (defs[d].type == T_NUM &&
                    !strcmp(defs[d].name, clb__csv_get(&csv, 0, c)->text))
                    number = json_number_syntax(cell) && !strpbrk(cell, "eE");
            if (rc < 0)
                break;
            if (number) {
                for (const char *p = cell; rc == 0 && *p; p++)
                    rc = clb__buf_put(out, *p == '.' ? "," : p, 1);
            } else
                rc = clb__buf_put_csv_cell_sep(out, cell, ';');
        }
        if (rc == 0)
            rc = clb__buf_puts(out, "\r\n");
    }
    clb__csv_dispose(&csv);
    return rc < 0 ? clb__error_set(err, CLB_ENOMEM, "out of memory") : 0;
}

bool clb__csv_locate(int *line, int *column, const char **header, const clb_csv *csv,
                     clb_csv_kind kind, const char *path)
{
    const col_def *defs = cols_of(kind);
    const char *p = path ? strchr(path, '[') : NULL;
    const char *member;
    char *end;
    long idx;
    size_t row;

    *header = NULL;
    if (!p || !defs)
        return false;
    idx = strtol(p + 1, &end, 10);
    if (*end != ']' || idx < 0 || (size_t)idx + 1 >= csv->nrows)
        return false;
    row = (size_t)idx + 1;
    *line = clb__csv_get(csv, row, 0)->line;
    *column = 1;
    member = end + 1;
    if (*member == '.')
        member++;
    if (!*member)
        return true;
    /* the longest column whose JSON path starts the remaining path */
    size_t best = 0;
    for (size_t c = 0; c < csv->ncols; c++) {
        const char *h = clb__csv_get(csv, 0, c)->text;
        for (int d = 0; defs[d].name; d++) {
            size_t n = strlen(defs[d].json);
            if (strcmp(defs[d].name, h) == 0 && strncmp(member, defs[d].json, n) == 0 &&
                (member[n] == 0 || member[n] == '.' || member[n] == '[') && n > best) {
                best = n;
                *header = h;
                *line = clb__csv_get(csv, row, c)->line;
                *column = clb__csv_get(csv, row, c)->column;
            }
        }
    }
    return true;
}
