/*
 * test_outputs.c - the engine's output helpers (engine/util): the one CSV cell
 * writer (RFC 4180 quoting and the spreadsheet formula guard) and its reader-side
 * inverse, and the text escaper every text output goes through (control and
 * bidirectional characters made visible).
 */
#include <stdio.h>
#include <string.h>

#include "io/csv.h"
#include "harness.h"
#include "util/util.h"

static const char *cell(clb_buf *b, const char *s)
{
    clb__buf_clear(b);
    CHECK_INT(clb__buf_put_csv_cell(b, s), 0);
    return b->ptr ? b->ptr : "";
}

static void test_csv_cells(void)
{
    clb_buf b = CLB_BUF_INIT;
    /* OWASP: a leading = + - @ tab or CR makes a formula; an apostrophe disarms it */
    CHECK_STR(cell(&b, "=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
    CHECK_STR(cell(&b, "+SUM(A1)"), "'+SUM(A1)");
    CHECK_STR(cell(&b, "-2+3"), "'-2+3");
    CHECK_STR(cell(&b, "@cmd"), "'@cmd");
    CHECK_STR(cell(&b, "\tx"), "'\tx");
    CHECK_STR(cell(&b, "\rx"), "\"'\rx\"");
    CHECK_STR(cell(&b, "-"), "'-");
    CHECK_STR(cell(&b, "-inf"), "'-inf");
    CHECK_STR(cell(&b, "+nan"), "'+nan");
    /* numbers stay numbers */
    CHECK_STR(cell(&b, "-5"), "-5");
    CHECK_STR(cell(&b, "+5"), "+5");
    CHECK_STR(cell(&b, "-0.25"), "-0.25");
    CHECK_STR(cell(&b, "-1.5e-3"), "-1.5e-3");
    CHECK_STR(cell(&b, "-.5"), "-.5");
    /* dates and ordinary text untouched */
    CHECK_STR(cell(&b, "2026-01-31"), "2026-01-31");
    CHECK_STR(cell(&b, "W-1"), "W-1");
    CHECK_STR(cell(&b, "a=b"), "a=b");
    CHECK_STR(cell(&b, ""), "");
    CHECK_STR(cell(&b, NULL), "");
    /* RFC 4180 quoting as before */
    CHECK_STR(cell(&b, "a,b"), "\"a,b\"");
    CHECK_STR(cell(&b, "say \"hi\""), "\"say \"\"hi\"\"\"");
    CHECK_STR(cell(&b, " padded"), "\" padded\"");
    CHECK_STR(cell(&b, "two\nlines"), "\"two\nlines\"");
    CHECK(clb__csv_cell_is_guarded("'=x"));
    CHECK(clb__csv_cell_is_guarded("'-x"));
    CHECK(!clb__csv_cell_is_guarded("'x"));
    CHECK(!clb__csv_cell_is_guarded("=x"));
    CHECK(!clb__csv_cell_is_guarded("'"));
    clb_buf_dispose(&b);
}

/* What the writer guards, the reader reads back as it was. */
static void test_csv_round_trip(void)
{
    static const char *const values[] = {"=1+2", "+A1", "-x", "@SUM(1)", "\tt", "-5",
                                         "'quoted", "plain", "a,\"b\""};
    clb_buf b = CLB_BUF_INIT;
    clb_csv csv;
    clb_error err;
    size_t n = sizeof(values) / sizeof(values[0]);

    clb_error_init(&err);
    for (size_t i = 0; i < n; i++) {
        CHECK_INT(clb__buf_put_csv_cell(&b, values[i]), 0);
        CHECK_INT(clb__buf_puts(&b, i + 1 < n ? "," : "\n"), 0);
    }
    CHECK_INT(clb__csv_load_buffer(&csv, b.ptr, b.size, "t.csv", NULL, &err), 0);
    for (size_t i = 0; i < n; i++) {
        const clb_csv_cell *c = clb__csv_get(&csv, 0, i);
        CHECK(c != NULL);
        if (c)
            CHECK_STR(c->text, values[i]);
    }
    clb__csv_dispose(&csv);
    clb_buf_dispose(&b);
}

static const char *esc(clb_buf *b, const char *s, unsigned flags)
{
    clb__buf_clear(b);
    CHECK_INT(clb_text_escape(b, s, strlen(s), flags), 0);
    return b->ptr ? b->ptr : "";
}

static void test_text_escape(void)
{
    clb_buf b = CLB_BUF_INIT;
    CHECK_STR(esc(&b, "W1", 0), "W1");
    CHECK_STR(esc(&b, "", 0), "");
    CHECK_STR(esc(&b, "\x1b[2J\x1b]0;title\x07", 0), "\\u001B[2J\\u001B]0;title\\u0007");
    CHECK_STR(esc(&b, "a\rb\tc\x7f", 0), "a\\u000Db\\u0009c\\u007F");
    CHECK_STR(esc(&b, "line\nnext", 0), "line\\u000Anext");
    CHECK_STR(esc(&b, "line\nnext", CLB_TEXT_KEEP_NEWLINES), "line\nnext");
    /* bidi controls: U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LRI, U+200F RLM, U+061C */
    CHECK_STR(esc(&b, "W\xe2\x80\xae" "1txt.exe", 0), "W\\u202E1txt.exe");
    CHECK_STR(esc(&b, "\xe2\x81\xa6x\xe2\x80\x8f\xd8\x9c", 0), "\\u2066x\\u200F\\u061C");
    /* C1 controls (U+0085, U+009B CSI) */
    CHECK_STR(esc(&b, "\xc2\x85\xc2\x9b", 0), "\\u0085\\u009B");
    /* ordinary non-ASCII text is kept */
    CHECK_STR(esc(&b, "Cooperativa \xc3\x91" "andu \xe2\x82\xac", 0),
              "Cooperativa \xc3\x91" "andu \xe2\x82\xac");
    /* bytes that are not UTF-8 */
    CHECK_STR(esc(&b, "a\xff" "b\xc3", 0), "a\\xffb\\xc3");
    clb_buf_dispose(&b);
}

int main(void)
{
    test_csv_cells();
    test_csv_round_trip();
    test_text_escape();
    return clb_test_finish();
}
