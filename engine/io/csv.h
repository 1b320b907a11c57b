/*
 * csv.h - a CSV reader (RFC 4180) for importing workers, vacancies and employers,
 * and the mapping of their rows to scenario records.
 *
 * The whole file is read into cells that remember their line and column, so that a
 * validation error found later, on the scenario built from the rows, is reported at
 * the cell it came from.
 */
#ifndef CLB_CSV_H
#define CLB_CSV_H

#include "util/util.h"

typedef struct clb_csv_cell {
    const char *text; /* NUL-terminated UTF-8, quotes removed */
    int line;         /* 1-based line of the cell's first byte */
    int column;       /* 1-based column (in characters) of that byte */
} clb_csv_cell;

/* How dates are written in the file's date columns: ISO (the default) or the
 * day-first or month-first order a spreadsheet writes; never guessed. */
typedef enum { CLB_CSV_DATE_ISO = 0, CLB_CSV_DATE_DMY, CLB_CSV_DATE_MDY } clb_csv_date_order;

/* Reading options. Zeroed (clb__csv_opts_init): the delimiter is read off the header
 * line, dates are ISO. */
typedef struct clb_csv_opts {
    char delimiter; /* ',' ';' '\t', or 0 to detect */
    clb_csv_date_order date_order;
} clb_csv_opts;

void clb__csv_opts_init(clb_csv_opts *opts);

typedef struct clb_csv {
    clb_arena arena;
    char delimiter;                 /* the one the file was read with */
    clb_csv_date_order date_order;
    size_t nrows;       /* including the header row */
    size_t ncols;       /* fields of the header row */
    clb_csv_cell *cells; /* nrows * ncols, row-major */
} clb_csv;

/*
 * Parse CSV text: a header row, then records with as many fields as the header.
 * Fields may be quoted ("a, ""b"""), quoted fields may span lines, line ends may be
 * LF or CRLF, a UTF-8 byte-order mark is skipped, empty lines are ignored. A NUL byte
 * anywhere is malformed.
 * Returns 0, CLB_EPARSE (malformed: err has source, line and column) or CLB_ENOMEM.
 */
/* Read CSV text (opts NULL: the defaults). Returns 0, CLB_EPARSE (with the line and
 * column), CLB_ENOMEM. */
int clb__csv_load_buffer(clb_csv *out, const char *text, size_t len, const char *source,
                         const clb_csv_opts *opts, clb_error *err);
int clb__csv_load_file(clb_csv *out, const char *path, const clb_csv_opts *opts,
                       clb_error *err);
void clb__csv_dispose(clb_csv *csv);

/* Index of the column named `name` in the header, or -1. */
int clb__csv_column(const clb_csv *csv, const char *name);

/* Cell (row, col); row 0 is the header. */
const clb_csv_cell *clb__csv_get(const clb_csv *csv, size_t row, size_t col);

/*
 * The number in a cell of a table read outside the record columns (for example
 * `simulate`'s minimum shares), by the records' number rules: JSON number syntax, a
 * decimal comma when the file's delimiter is ';'. A breach is reported as the record
 * columns' are: "source:line:column: column 'header': 'text' <rule>". Returns 0 with
 * *out set, or CLB_EINVAL.
 */
int clb__csv_cell_number(double *out, const clb_csv *csv, const clb_csv_cell *cell,
                         const char *header, const char *source, clb_error *err);

/* What a CSV file holds, from its header. */
typedef enum {
    CLB_CSV_UNKNOWN,
    CLB_CSV_WORKERS,   /* has birth_date */
    CLB_CSV_VACANCIES, /* has headcount */
    CLB_CSV_EMPLOYERS, /* has region, neither of the above */
    CLB_CSV_PLACEMENTS /* has placement */
} clb_csv_kind;

clb_csv_kind clb__csv_kind_of(const clb_csv *csv);

/*
 * Write the data rows as a JSON array of scenario records of `kind` (workers,
 * vacancies or employers; docs/DATABASE.md lists the columns). List cells are
 * separated by ';'. Unknown columns (other than x-...) are an error naming the
 * column; so is a number cell that is not a finite JSON number (file, line, column,
 * header). Returns 0, CLB_EINVAL or CLB_ENOMEM.
 */
int clb__csv_to_json(clb_buf *out, const clb_csv *csv, clb_csv_kind kind,
                    const char *source, clb_error *err);

/*
 * The CSV cell a JSON path of the generated array points at: for "$.workers[3].
 * history.campaigns" the cell of data row 4, column "campaigns". Falls back to the
 * row's first cell, or returns false when the path names no row.
 */
/* The line and column of the cell a record's JSON path names (the row's first cell
 * when no column holds it), and that column's header (NULL then). */
/*
 * The CSV text `text` (as circulab's exports write it: ',' between cells) rewritten
 * for a spreadsheet in a Spanish or French locale: a UTF-8 byte-order mark, ';'
 * between cells, CRLF line ends and decimal commas in the number columns. It reads
 * back with `import` as the same records. Returns 0, CLB_EPARSE or CLB_ENOMEM.
 */
int clb__csv_to_excel(clb_buf *out, const char *text, size_t len, clb_error *err);

bool clb__csv_locate(int *line, int *column, const char **header, const clb_csv *csv,
                     clb_csv_kind kind, const char *path);

#endif
