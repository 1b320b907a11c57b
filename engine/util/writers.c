/*
 * writers.c - the library's buffer writers offered to the programs that present its
 * data (include/circulab/common.h): plain and formatted text, the one JSON string
 * writer and the one CSV cell writer of util.c, so that what the CLI prints escapes
 * exactly as the documents and files the library writes.
 */
#include "util/util.h"

#include <stdarg.h>

int clb_buf_puts(clb_buf *buf, const char *s)
{
    return clb__buf_puts(buf, s);
}

int clb_buf_printf(clb_buf *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = clb__buf_vprintf(buf, fmt, ap);
    va_end(ap);
    return rc;
}

int clb_buf_json_string(clb_buf *buf, const char *s)
{
    return clb__buf_put_json_string(buf, s);
}

int clb_buf_csv_cell(clb_buf *buf, const char *s)
{
    return clb__buf_put_csv_cell(buf, s);
}
