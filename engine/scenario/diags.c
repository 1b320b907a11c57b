/*
 * diags.c - lists of validation diagnostics (common.h, diags.h).
 *
 * A list owns one arena for all its strings and a growable array of entries, so a
 * document with many thousands of errors costs a few large allocations, and freeing
 * the list is one call.
 */
#include "scenario/diags.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "util/alloc.h"

struct clb_diags {
    clb_arena arena;
    clb_diag *items;
    size_t count;
    size_t cap;
};

int clb_diags_new(clb_diags **out)
{
    clb_diags *d = clb__calloc(1, sizeof(*d));
    *out = NULL;
    if (!d)
        return CLB_ENOMEM;
    clb__arena_init(&d->arena);
    *out = d;
    return 0;
}

void clb_diags_free(clb_diags *diags)
{
    if (!diags)
        return;
    clb__arena_dispose(&diags->arena);
    clb__free(diags->items);
    clb__free(diags);
}

size_t clb_diags_count(const clb_diags *diags)
{
    return diags ? diags->count : 0;
}

const clb_diag *clb_diags_get(const clb_diags *diags, size_t i)
{
    return (diags && i < diags->count) ? &diags->items[i] : NULL;
}

int clb__diags_add(clb_diags *diags, const char *source, const char *path,
                  const char *rule, int line, int column, const char *fmt, ...)
{
    clb_buf msg = CLB_BUF_INIT;
    clb_diag *dg;
    va_list ap;
    int error = 0;

    if (diags->count == diags->cap) {
        size_t cap = diags->cap ? diags->cap * 2 : 16;
        clb_diag *items = clb__realloc(diags->items, cap * sizeof(*items));
        if (!items) {
            error = CLB_ENOMEM;
            goto done;
        }
        diags->items = items;
        diags->cap = cap;
    }
    va_start(ap, fmt);
    error = clb__buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    if (error < 0)
        goto done;
    dg = &diags->items[diags->count];
    dg->source = clb__arena_strdup(&diags->arena, source ? source : "");
    dg->path = clb__arena_strdup(&diags->arena, path ? path : "");
    dg->rule = clb__arena_strdup(&diags->arena, rule ? rule : "");
    dg->message = clb__arena_strdup(&diags->arena, msg.ptr ? msg.ptr : "");
    dg->line = line;
    dg->column = column;
    if (!dg->source || !dg->path || !dg->rule || !dg->message) {
        error = CLB_ENOMEM;
        goto done;
    }
    diags->count++;
done:
    clb_buf_dispose(&msg);
    return error;
}

int clb__diags_fail(clb_error *err, const clb_diags *diags, size_t base)
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
    clb__error_set_source(&e, d->source);
    e.line = d->line;
    e.column = d->column;
    return clb__error_copy(err, &e);
}
