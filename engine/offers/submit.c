/*
 * submit.c - offers that come as one document rather than a fetch: a page parsed
 * without a database (the unit tests and fuzz targets), `vacancy submit FILE`, and
 * the portal's request bodies (offers_impl.h).
 *
 * A submission is all or nothing: one invalid record and nothing is stored. It goes
 * through the same validation (validate.c) and the same write (write.c) as a fetch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "offers/batch.h"
#include "offers/offers_impl.h"
#include "util/alloc.h"

/* ---- pages ------------------------------------------------------------------------ */

typedef struct page {
    clb_json *root;
    char *label; /* "page N (URL)" */
    clb_offers_format format;
} page;

typedef struct pages {
    page *v;
    size_t n, cap;
} pages;

/* Validate every page into the batch: all employers first, then all vacancies. */
static int validate_pages(batch *b, const pages *p, clb_error *err)
{
    int error = 0;
    for (size_t i = 0; i < p->n && !b->oom; i++)
        if (p->v[i].format == CLB_OFFERS_NATIVE)
            clb__offers_native_employers(b, p->v[i].root, p->v[i].label);
    for (size_t i = 0; i < p->n && !b->oom && error == 0; i++) {
        if (p->v[i].format == CLB_OFFERS_NATIVE)
            clb__offers_native_vacancies(b, p->v[i].root, p->v[i].label);
        else
            error = clb__offers_jp_page(b, p->v[i].root, p->v[i].label, err);
    }
    if (b->oom && error == 0)
        error = clb__oom(err);
    return error;
}

/* ---- parsing without a database, submitting files ------------------------------- */

int clb_offers_parse_buffer(size_t *n_employers, size_t *n_vacancies, const char *body,
                            size_t len, clb_offers_format format, const char *source,
                            clb_buf *next, clb_buf *problems, clb_error *err)
{
    clb_json *root = NULL;
    batch b;
    pages p = {NULL, 0, 0};
    page pg;
    const char *nx = NULL;
    int error;

    *n_employers = *n_vacancies = 0;
    clb__offers_batch_init(&b);
    b.source = source ? source : "input";
    b.problems = problems;
    if ((error = clb__json_load_buffer(&root, body, len, source, err)) < 0)
        goto done;
    pg.root = root;
    pg.label = (char *)"page 1";
    if ((error = clb__offers_page_frame(&pg.format, root, format, pg.label, &nx,
                                        err)) < 0)
        goto done;
    if (nx && next && clb__buf_puts(next, nx) < 0) {
        error = clb__oom(err);
        goto done;
    }
    p.v = &pg;
    p.n = 1;
    if ((error = validate_pages(&b, &p, err)) < 0)
        goto done;
    *n_employers = b.emps.n;
    *n_vacancies = b.vacs.n;
done:
    clb__json_free(root);
    clb__offers_batch_dispose(&b);
    return error;
}

int clb_offers_submit_file(clb_offers_report *rep, clb_store *store, const char *path,
                           clb_buf *problems, clb_error *err)
{
    clb_buf body = CLB_BUF_INIT;
    clb__offers_submit_opts o = {0};
    int error;
    o.label = path;
    if ((error = clb__file_read_all(&body, path, err)) < 0) {
        memset(rep, 0, sizeof(*rep));
        snprintf(rep->source, sizeof(rep->source), "%s", path);
        rep->status = "failed";
        clb_buf_dispose(&body);
        return error;
    }
    error = clb__offers_submit_buffer(rep, store, body.ptr ? body.ptr : "", body.size, &o,
                                      problems, err);
    clb_buf_dispose(&body);
    return error;
}

int clb__offers_submit_buffer(clb_offers_report *rep, clb_store *store, const char *text,
                              size_t len, const clb__offers_submit_opts *o,
                              clb_buf *problems, clb_error *err)
{
    clb_json *root = NULL;
    batch b;
    clb__maps maps = {NULL, 0};
    const char *label = "", *path = o->label ? o->label : "input";
    int error;
    bool in_tx = false;
    double t0 = clb__now_seconds();

    memset(rep, 0, sizeof(*rep));
    snprintf(rep->source, sizeof(rep->source), "%s", path);
    rep->status = "failed";
    clb__offers_batch_init(&b);
    b.source = path;
    b.owner = NULL;
    b.store = store;
    b.problems = problems;
    b.diags = o->diags;
    b.default_employer = o->employer;
    b.replace = o->replace;
    if ((error = clb__json_load_buffer(&root, text, len, path, err)) < 0)
        goto done;
    if (store) {
        /* the agency's mapping tables: region and occupation texts, organisation names;
         * what they leave unmatched rejects its record (native.c) */
        if ((error = clb__store_maps_load(&maps, store, err)) < 0)
            goto done;
        b.maps = &maps;
        if (clb__maps_apply(root, &maps) < 0) {
            error = clb__oom(err);
            goto done;
        }
    }
    rep->pages = 1;
    if (clb_json_is_object(root) && clb__json_object_get(root, "format")) {
        const char *nx = NULL;
        clb_offers_format f;
        if ((error = clb__offers_page_frame(&f, root, CLB_OFFERS_NATIVE, label, &nx,
                                            err)) < 0)
            goto done;
        /* an employer's own submission never changes employer records (the agency's) */
        if (!o->employer)
            clb__offers_native_employers(&b, root, label);
        clb__offers_native_vacancies(&b, root, label);
    } else if (clb_json_is_object(root)) {
        /* one vacancy: validate it as an array of one, paths as $ */
        clb_buf wrapped = CLB_BUF_INIT;
        clb_json *arr = NULL;
        if (clb__buf_puts(&wrapped, "[") < 0 ||
            clb__offers_put_json(&wrapped, root, NULL) < 0 ||
            clb__buf_puts(&wrapped, "]") < 0 ||
            clb__json_load_buffer(&arr, wrapped.ptr, wrapped.size, path, err) < 0) {
            clb_buf_dispose(&wrapped);
            error = clb__oom(err);
            goto done;
        }
        b.single_root = true;
        clb__offers_native_vacancies(&b, arr, label);
        clb__json_free(arr);
        clb_buf_dispose(&wrapped);
    } else if (clb_json_is_array(root)) {
        clb__offers_native_vacancies(&b, root, label);
    } else {
        error = clb__error_set(err, CLB_EINVAL,
                              "%s: expected a %s document, a vacancy or an array of "
                              "vacancies, got %s", path, OFFERS_FORMAT,
                              clb__json_type_name(root));
        goto done;
    }
    if (b.oom) {
        error = clb__oom(err);
        goto done;
    }
    rep->rejected = b.rejected;
    /* values without a mapping, grouped: "3 offers: region 'Sevilla' has no mapping" */
    if (problems && clb__offers_put_unmapped(problems, &b, path) < 0) {
        error = clb__oom(err);
        goto done;
    }
    if (b.rejected > 0 || b.problem_lines > 0) {
        rep->status = "rejected";
        error = clb__error_set(err, CLB_EINVAL, "%s: %d invalid record%s: nothing was stored",
                              path, b.rejected, b.rejected == 1 ? "" : "s");
        goto done;
    }
    if (b.vacs.n == 0 && b.emps.n == 0) {
        error = clb__error_set(err, CLB_EINVAL, "%s: no vacancies", path);
        goto done;
    }
    if ((error = clb_store_begin(store, err)) < 0)
        goto done;
    in_tx = true;
    if ((error = clb__offers_write_batch(rep, &b, err)) < 0)
        goto done;
    if (o->before_commit || o->ids) {
        const char **ids = clb__calloc(b.vacs.n + 1, sizeof(*ids));
        if (!ids) {
            error = clb__oom(err);
            goto done;
        }
        for (size_t i = 0; i < b.vacs.n; i++) {
            ids[i] = clb__strtab_get(&b.vac_ids, (int32_t)i);
            if (o->ids && clb__buf_printf(o->ids, "%s\n", ids[i]) < 0)
                error = clb__oom(err);
        }
        if (error == 0 && o->before_commit)
            error = o->before_commit(store, ids, b.vacs.n, o->payload, err);
        clb__free(ids);
        if (error < 0)
            goto done;
    }
    if ((error = clb_store_commit(store, err)) < 0)
        goto done;
    in_tx = false;
    rep->status = "ok";
done:
    if (in_tx) {
        clb_store_rollback(store);
        rep->added = rep->updated = rep->withdrawn = rep->employers = 0;
        if (o->ids)
            clb__buf_clear(o->ids);
    }
    rep->seconds = clb__now_seconds() - t0;
    clb__json_free(root);
    clb__offers_batch_dispose(&b);
    clb__maps_dispose(&maps);
    return error;
}
