/*
 * desk_render.c - how the desk's look-ups are shown (cli/desk.h): the tables the
 * engine returns (include/circulab/desk.h) as aligned text, as JSON (an array of
 * objects for a list, an object of sections for a record) or as CSV (lists only).
 *
 * The engine selects the rows (one read snapshot, names only when asked); the CLI
 * decides how they look. JSON strings and CSV cells go through the engine's one writer
 * of each (clb_buf_json_string, clb_buf_csv_cell with its formula guard), so the
 * desk's documents escape exactly as the files the engine writes.
 */
#include "desk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *cell_text(const clb_desk_cell *c)
{
    return c->kind == CLB_DESK_NULL ? "-" : c->text;
}

/* A record's one row as "key  value" lines. */
static int render_single(clb_buf *out, const clb_desk_table *t)
{
    int rc = 0;
    size_t w = 0;
    for (size_t i = 0; i < t->ncols; i++)
        if (strlen(t->cols[i]) > w)
            w = strlen(t->cols[i]);
    for (size_t i = 0; rc == 0 && t->nrows && i < t->ncols; i++)
        rc = clb_buf_printf(out, "  %-*s  %s\n", (int)w, t->cols[i],
                            cell_text(&t->cells[i]));
    return rc;
}

/*
 * Columns line up by what the terminal shows, not by bytes: a cell is escaped first
 * (the form cli_write_text prints; escaping again changes nothing) and its width is
 * its number of characters, so `Agrícola Doñana` and an id holding ESC align like
 * plain ASCII. Every character counts one column: the desk's texts are ids, dates,
 * numbers and Latin-script names, not wide East Asian characters.
 */
static size_t text_width(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0u) != 0x80u)
            n++;
    return n;
}

/* Append `s` escaped, then spaces up to `width` columns (none when width is 0). */
static int put_padded(clb_buf *out, const char *s, size_t width)
{
    size_t at = out->size;
    int rc = clb_text_escape(out, s, strlen(s), 0u);
    for (size_t n = text_width(out->ptr + at, out->size - at); rc == 0 && n < width; n++)
        rc = clb_buf_puts(out, " ");
    return rc;
}

static int render_text(clb_buf *out, const clb_desk_table *t)
{
    int rc = 0;
    if (t->name)
        rc = clb_buf_printf(out, "%s:\n", t->name);
    if (t->single)
        return rc < 0 ? rc : render_single(out, t);
    size_t *w = calloc(t->ncols ? t->ncols : 1, sizeof(*w));
    clb_buf scratch = CLB_BUF_INIT;
    if (!w)
        return CLB_ENOMEM;
    for (size_t i = 0; i < t->ncols; i++)
        w[i] = strlen(t->cols[i]);
    for (size_t r = 0; rc == 0 && r < t->nrows; r++)
        for (size_t i = 0; rc == 0 && i < t->ncols; i++) {
            const char *s = cell_text(&t->cells[r * t->ncols + i]);
            scratch.size = 0;
            rc = clb_text_escape(&scratch, s, strlen(s), 0u);
            size_t n = rc == 0 ? text_width(scratch.ptr, scratch.size) : 0;
            if (n > w[i])
                w[i] = n;
        }
    for (size_t i = 0; rc == 0 && i < t->ncols; i++) {
        rc = clb_buf_puts(out, "  ");
        if (rc == 0)
            rc = put_padded(out, t->cols[i], i + 1 < t->ncols ? w[i] : 0);
    }
    if (rc == 0)
        rc = clb_buf_puts(out, "\n");
    for (size_t r = 0; rc == 0 && r < t->nrows; r++) {
        for (size_t i = 0; rc == 0 && i < t->ncols; i++) {
            rc = clb_buf_puts(out, "  ");
            if (rc == 0)
                rc = put_padded(out, cell_text(&t->cells[r * t->ncols + i]),
                                i + 1 < t->ncols ? w[i] : 0);
        }
        if (rc == 0)
            rc = clb_buf_puts(out, "\n");
    }
    if (rc == 0 && t->nrows == 0)
        rc = clb_buf_puts(out, "  (none)\n");
    clb_buf_dispose(&scratch);
    free(w);
    return rc;
}

static int json_cell(clb_buf *out, const clb_desk_cell *c)
{
    if (c->kind == CLB_DESK_NULL)
        return clb_buf_puts(out, "null");
    if (c->kind == CLB_DESK_NUM)
        return clb_buf_puts(out, c->text);
    return clb_buf_json_string(out, c->text);
}

static int json_row(clb_buf *out, const clb_desk_table *t, size_t r, const char *indent)
{
    int rc = clb_buf_puts(out, "{");
    for (size_t i = 0; rc == 0 && i < t->ncols; i++) {
        rc = clb_buf_printf(out, "%s\n%s  ", i ? "," : "", indent);
        if (rc == 0)
            rc = clb_buf_json_string(out, t->cols[i]);
        if (rc == 0)
            rc = clb_buf_puts(out, ": ");
        if (rc == 0)
            rc = json_cell(out, &t->cells[r * t->ncols + i]);
    }
    if (rc == 0)
        rc = clb_buf_printf(out, "\n%s}", indent);
    return rc;
}

static int render_json(clb_buf *out, const clb_desk_table *t, const char *indent)
{
    int rc = 0;
    if (t->single)
        return t->nrows ? json_row(out, t, 0, indent) : clb_buf_puts(out, "null");
    rc = clb_buf_puts(out, "[");
    for (size_t r = 0; rc == 0 && r < t->nrows; r++) {
        rc = clb_buf_printf(out, "%s\n%s  ", r ? "," : "", indent);
        if (rc == 0) {
            char in2[32];
            snprintf(in2, sizeof(in2), "%s  ", indent);
            rc = json_row(out, t, r, in2);
        }
    }
    if (rc == 0)
        rc = clb_buf_printf(out, "%s]", t->nrows ? "\n" : "");
    return rc;
}

static int render_csv(clb_buf *out, const clb_desk_table *t)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < t->ncols; i++) {
        rc = clb_buf_csv_cell(out, t->cols[i]);
        if (rc == 0)
            rc = clb_buf_puts(out, i + 1 < t->ncols ? "," : "\n");
    }
    for (size_t r = 0; rc == 0 && r < t->nrows; r++)
        for (size_t i = 0; rc == 0 && i < t->ncols; i++) {
            const clb_desk_cell *c = &t->cells[r * t->ncols + i];
            rc = clb_buf_csv_cell(out, c->kind == CLB_DESK_NULL ? "" : c->text);
            if (rc == 0)
                rc = clb_buf_puts(out, i + 1 < t->ncols ? "," : "\n");
        }
    return rc;
}

/* A list (one table). */
static int render_list(clb_buf *out, const clb_desk_table *t, unsigned flags)
{
    int rc;
    if (flags & CLB_STORE_JSON) {
        rc = render_json(out, t, "");
        if (rc == 0)
            rc = clb_buf_puts(out, "\n");
    } else if (flags & CLI_DESK_CSV)
        rc = render_csv(out, t);
    else
        rc = render_text(out, t);
    return rc;
}

/* A record: sections in order (text), or one JSON object keyed by section. */
static int render_show(clb_buf *out, const clb_desk_view *v, unsigned flags)
{
    int rc = 0;
    bool json = flags & CLB_STORE_JSON;
    if (json)
        rc = clb_buf_puts(out, "{");
    for (size_t i = 0; rc == 0 && i < v->n; i++) {
        if (json) {
            rc = clb_buf_printf(out, "%s\n  ", i ? "," : "");
            if (rc == 0)
                rc = clb_buf_json_string(out, v->tables[i].name);
            if (rc == 0)
                rc = clb_buf_puts(out, ": ");
            if (rc == 0)
                rc = render_json(out, &v->tables[i], "  ");
        } else {
            if (i)
                rc = clb_buf_puts(out, "\n");
            if (rc == 0)
                rc = render_text(out, &v->tables[i]);
        }
    }
    if (rc == 0 && json)
        rc = clb_buf_puts(out, "\n}\n");
    return rc;
}

int cli_desk_render(clb_buf *out, clb_desk_view *view, int error, unsigned flags,
                    clb_error *err)
{
    if (error == 0) {
        bool list = view->n == 1 && !view->tables[0].name;
        error = list ? render_list(out, &view->tables[0], flags) : render_show(out, view, flags);
        if (error < 0) {
            snprintf(err->message, sizeof(err->message), "out of memory");
            err->code = CLB_ENOMEM;
        }
    }
    clb_desk_view_dispose(view);
    return error;
}
