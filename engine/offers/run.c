/*
 * run.c - fetching a source (docs/FORMATS.md §5): its pages one by one within the
 * limits, their offers validated, then stored in one transaction with the fetch log.
 *
 * A fetch has two phases. First every page is fetched (engine/io/fetch.c) and parsed,
 * and every offer validated; nothing touches the database. Then the accepted records
 * are assembled into one document, loaded once more (cross-record rules), and
 * written through the store in one transaction with the source's validators and the
 * fetch log row. Any failure before the commit leaves the database as it was, apart
 * from a fetch log row saying what failed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "io/fetch.h"
#include "offers/batch.h"
#include "util/alloc.h"

/* Append the fetch log row (own transaction unless one is open). */
static int log_row(clb_store *store, const clb_offers_report *rep, const char *started,
                   const char *message, clb_error *err)
{
    char finished[32];
    clb__now_iso(finished);
    clb_fetch_log_entry e = {rep->source, started, finished, rep->status,
                             rep->http_status, rep->pages, rep->added, rep->updated,
                             rep->withdrawn, rep->rejected, message};
    return clb_store_fetch_log_append(store, &e, err);
}

void clb_offers_opts_init(clb_offers_opts *opts)
{
    clb_fetch_opts f;
    clb__fetch_opts_init(&f);
    memset(opts, 0, sizeof(*opts));
    opts->max_bytes = f.max_bytes;
    opts->max_pages = 100;
    opts->max_redirects = f.max_redirects;
    opts->connect_timeout_ms = f.connect_timeout_ms;
    opts->timeout_ms = f.timeout_ms;
    opts->low_speed_secs = f.low_speed_secs;
    opts->max_attempts = f.max_attempts;
    opts->retry_base_ms = f.retry_base_ms;
    opts->retry_max_ms = f.retry_max_ms;
    opts->max_source_bytes = (size_t)64 << 20;
    opts->max_page_values = 1000000;
    opts->max_depth = 64;
    opts->deadline_secs = 900;
}

static void fetch_log_cb(const char *line, void *payload)
{
    const clb_offers_opts *o = payload;
    o->log(line, o->payload);
}

/* One fetch's state, from the source's settings to the stored batch. */
typedef struct fetch_run {
    clb_offers_report *rep;
    clb_store *store;
    const char *source;
    const clb_offers_opts *opts;
    source_copy src;
    clb__maps maps;
    clb_fetch_opts fo;
    clb_fetch_response resp;
    clb_strtab visited;   /* the urls fetched, against pagination loops */
    clb_buf url, label;   /* the page being fetched, and "page N (URL)" */
    batch b;
    char started[32];
    char *etag, *lm;      /* the first page's validators, stored on success */
    const char *token;    /* the bearer token, NULL when none */
    double t0;
    size_t total_bytes;
} fetch_run;

/* The first page was 304 Not Modified: nothing to read or store. */
#define FETCH_UNCHANGED 1

/* The transport's options from the fetch's, and the source's bearer token. */
static void fetch_setup(fetch_run *r)
{
    const clb_offers_opts *opts = r->opts;
    clb_fetch_opts *fo = &r->fo;
    clb__fetch_opts_init(fo);
    fo->connect_timeout_ms = opts->connect_timeout_ms;
    fo->timeout_ms = opts->timeout_ms;
    fo->low_speed_secs = opts->low_speed_secs;
    fo->max_bytes = opts->max_bytes;
    fo->max_redirects = opts->max_redirects;
    fo->max_attempts = opts->max_attempts;
    fo->retry_base_ms = opts->retry_base_ms;
    fo->retry_max_ms = opts->retry_max_ms;
    fo->insecure = opts->insecure;
    fo->token_origin = r->src.url.ptr;
    if (opts->log) {
        fo->log = fetch_log_cb;
        fo->log_payload = (void *)(uintptr_t)opts;
    }
    if (r->src.token_env.ptr) {
        r->token = getenv(r->src.token_env.ptr);
        if (r->token && !r->token[0])
            r->token = NULL;
        fo->bearer_token = r->token;
        if (r->token && opts->warn && clb__fetch_url_is_plain_remote(r->src.url.ptr)) {
            clb_buf w = CLB_BUF_INIT;
            if (clb__buf_printf(&w, "%s: the bearer token in %s goes over plain http to a "
                                   "host other than loopback, readable on the way; use "
                                   "https", r->source, r->src.token_env.ptr) == 0)
                opts->warn(w.ptr, opts->payload);
            clb_buf_dispose(&w);
        }
        if (!r->token && opts->log)
            opts->log("no bearer token: the variable named by the source is not set",
                      opts->payload);
    }
    if (opts->deadline_secs > 0)
        fo->deadline = r->t0 + opts->deadline_secs;
}

/* Before requesting a page: the deadline, and the source's byte budget (this page
 * may use what earlier pages left). */
static int page_budget(fetch_run *r, clb_error *err)
{
    const clb_offers_opts *opts = r->opts;
    if (r->fo.deadline > 0 && clb__now_seconds() >= r->fo.deadline)
        return clb__error_set(err, CLB_ENET,
                              "%s: the fetch's deadline of %.0f s has passed "
                              "(see --deadline-secs)", r->label.ptr, opts->deadline_secs);
    if (opts->max_source_bytes > 0) {
        size_t left = opts->max_source_bytes > r->total_bytes
                          ? opts->max_source_bytes - r->total_bytes : 0;
        r->fo.max_bytes = left < opts->max_bytes ? left : opts->max_bytes;
        if (r->fo.max_bytes == 0)
            return clb__error_set(err, CLB_ENET,
                                  "%s: the source's pages reached %zu bytes (the cap "
                                  "per source; see --max-source-bytes)", r->label.ptr,
                                  opts->max_source_bytes);
    }
    return 0;
}

/* A failed request's message says which of the fetch's own limits stopped it, that
 * the token variable is unset when the server wanted one, and the page number. */
static void page_error(fetch_run *r, int n, clb_error *err)
{
    const clb_offers_opts *opts = r->opts;
    if (!err)
        return;
    if (r->fo.deadline > 0 &&
        (r->resp.deadline_hit || clb__now_seconds() >= r->fo.deadline)) {
        snprintf(err->message, sizeof(err->message),
                 "%s: the fetch's deadline of %.0f s has passed (see "
                 "--deadline-secs)", r->url.ptr, opts->deadline_secs);
    } else if (r->fo.max_bytes < opts->max_bytes && r->resp.too_big) {
        snprintf(err->message, sizeof(err->message),
                 "%s: the source's pages reached %zu bytes (the cap per source; "
                 "see --max-source-bytes)", r->url.ptr, opts->max_source_bytes);
    }
    if ((r->resp.status == 401 || r->resp.status == 403) && r->src.token_env.ptr &&
        !r->token) {
        size_t len = strlen(err->message);
        snprintf(err->message + len, sizeof(err->message) - len,
                 "; the variable %s is not set", r->src.token_env.ptr);
    }
    {
        char pre[32];
        size_t k = (size_t)snprintf(pre, sizeof(pre), "page %d: ", n);
        size_t len = strlen(err->message);
        if (len + k >= sizeof(err->message))
            len = sizeof(err->message) - k - 1;
        memmove(err->message + k, err->message, len);
        memcpy(err->message, pre, k);
        err->message[k + len] = '\0';
    }
}

/* What parsing the page would build, counted without building it, against the caps
 * on values and depth. */
static int page_size(fetch_run *r, clb_error *err)
{
    const clb_offers_opts *opts = r->opts;
    size_t values = 0, depth = 0;
    if (clb__json_measure(&values, &depth, r->resp.body.ptr ? r->resp.body.ptr : "",
                         r->resp.body.size) &&
        ((opts->max_page_values > 0 && values > opts->max_page_values) ||
         (opts->max_depth > 0 && depth > opts->max_depth)))
        return clb__error_set(err, CLB_EINVAL,
                              values > opts->max_page_values
                                  ? "%s: %zu json values on one page, more than the "
                                    "%zu allowed (see --max-page-values)"
                                  : "%s: json nested %zu levels deep, more than the "
                                    "%zu allowed",
                              r->label.ptr,
                              values > opts->max_page_values ? values : depth,
                              values > opts->max_page_values ? opts->max_page_values
                                                             : opts->max_depth);
    return 0;
}

/* A parsed page's records into the batch. */
static int page_records(fetch_run *r, clb_json *root, clb_offers_format format,
                        clb_error *err)
{
    batch *b = &r->b;
    int error = 0;
    char *page_label = clb__offers_arena_printf(b, "%s", r->label.ptr);
    if (!page_label)
        error = clb__oom(err);
    else if (format == CLB_OFFERS_NATIVE) {
        if (clb__maps_apply(root, b->maps) < 0)
            b->oom = 1;
        clb__offers_native_employers(b, root, page_label);
        clb__offers_native_vacancies(b, root, page_label);
    } else {
        error = clb__offers_jp_page(b, root, page_label, err);
    }
    if (error == 0 && b->oom)
        error = clb__oom(err);
    return error;
}

/*
 * Fetch page n at r->url, parse it, check its frame and read its records into the
 * batch; next_abs receives the next page's absolute url (none: the last page).
 * Returns 0, FETCH_UNCHANGED (the first page is not modified) or an error.
 */
static int fetch_page(fetch_run *r, int n, clb_buf *next_abs, clb_error *err)
{
    const clb_offers_opts *opts = r->opts;
    clb_fetch_response *resp = &r->resp;
    clb_error perr;
    const char *next = NULL;
    clb_json *root = NULL;
    clb_offers_format format;
    bool cond = n == 1 && !opts->unconditional;
    int error;

    clb__buf_clear(&r->label);
    if (clb__buf_printf(&r->label, "page %d (%s)", n, r->url.ptr) < 0 ||
        clb__strtab_intern(&r->visited, r->url.ptr) < 0)
        return clb__oom(err);
    if ((error = page_budget(r, err)) < 0)
        return error;
    error = clb__fetch_get(resp, r->url.ptr, cond ? r->src.etag.ptr : NULL,
                          cond ? r->src.last_modified.ptr : NULL, &r->fo, err);
    r->rep->http_status = (int)resp->status;
    if (error < 0) {
        page_error(r, n, err);
        return error;
    }
    r->rep->pages = n;
    r->total_bytes += resp->body.size;
    if (resp->status == 304) {
        if (n == 1) {
            r->rep->status = "unchanged";
            r->rep->pages = 0;
            return FETCH_UNCHANGED;
        }
        return clb__error_set(err, CLB_ENET, "%s: unexpected status 304", r->label.ptr);
    }
    if (n == 1) {
        r->etag = resp->etag;
        r->lm = resp->last_modified;
        resp->etag = resp->last_modified = NULL;
    }
    if ((error = page_size(r, err)) < 0)
        return error;
    clb_error_init(&perr);
    if ((error = clb__json_load_buffer(&root, resp->body.ptr ? resp->body.ptr : "",
                                      resp->body.size, NULL, &perr)) < 0)
        return clb__error_set(err, error, "%s: %s", r->label.ptr, perr.message);
    clb_buf_dispose(&resp->body); /* the page's text is no longer needed */
    if ((error = clb__offers_page_frame(&format, root, r->src.format, r->label.ptr, &next,
                                        err)) < 0) {
        clb__json_free(root);
        return error;
    }
    if (next) {
        error = clb__fetch_resolve(next_abs, resp->effective_url, next, err);
    } else if (resp->link_next && clb__buf_puts(next_abs, resp->link_next) < 0) {
        error = clb__oom(err);
    }
    if (error == 0)
        error = page_records(r, root, format, err);
    clb__json_free(root);
    return error;
}

/* The next page's url, refused when it carries credentials, was fetched already or
 * goes over the page cap. */
static int next_page(fetch_run *r, int n, const char *next_abs, clb_error *err)
{
    if (clb__fetch_url_has_credentials(next_abs))
        return clb__error_set(err, CLB_EINVAL,
                              "%s: the next page's url carries credentials "
                              "(user:password@): refused", r->label.ptr);
    if (clb__strtab_lookup(&r->visited, next_abs) >= 0)
        return clb__error_set(err, CLB_EINVAL,
                              "%s: pagination loop: next page %s was fetched already",
                              r->label.ptr, next_abs);
    if (n >= r->opts->max_pages)
        return clb__error_set(err, CLB_EINVAL,
                              "%s: more than %d pages (the page cap; see --max-pages)",
                              r->label.ptr, r->opts->max_pages);
    clb__buf_clear(&r->url);
    if (clb__buf_puts(&r->url, next_abs) < 0)
        return clb__oom(err);
    return 0;
}

/*
 * Phase 1: fetch the pages one at a time; each is parsed, its records extracted
 * as compact texts into the batch (employers and JobPostings validated at once,
 * native vacancies once every page is in), and its document freed before the
 * next is requested. Memory holds one page and the accepted records, never the
 * documents of every page.
 */
static int fetch_pages(fetch_run *r, clb_error *err)
{
    int error = 0;
    r->b.defer = true;
    if (clb__buf_puts(&r->url, r->src.url.ptr) < 0)
        return clb__oom(err);
    for (int n = 1; error == 0; n++) {
        clb_buf next_abs = CLB_BUF_INIT;
        error = fetch_page(r, n, &next_abs, err);
        if (error == 0 && !next_abs.ptr) {
            clb_buf_dispose(&next_abs);
            break;
        }
        if (error == 0)
            error = next_page(r, n, next_abs.ptr, err);
        clb_buf_dispose(&next_abs);
    }
    return error;
}

/* Phase 2: the native vacancies, now that every page's employers are known; the
 * problems' report; --strict. */
static int check_batch(fetch_run *r, clb_buf *problems, clb_error *err)
{
    batch *b = &r->b;
    clb__offers_flush_pending(b);
    clb__offers_problems_tail(b);
    if (problems && clb__offers_put_unmapped(problems, b, r->source) < 0)
        b->oom = 1;
    if (b->oom)
        return clb__oom(err);
    r->rep->rejected = b->rejected;
    if (r->opts->strict && b->rejected > 0) {
        r->rep->status = "rejected";
        return clb__error_set(err, CLB_EINVAL,
                              "%d invalid offer%s and --strict: nothing was stored",
                              b->rejected, b->rejected == 1 ? "" : "s");
    }
    return 0;
}

/* Phase 3, inside the open transaction: the batch, the source's validators and the
 * fetch log row. */
static int store_batch(fetch_run *r, clb_error *err)
{
    clb_buf msg = CLB_BUF_INIT;
    int error;
    if ((error = clb__offers_write_batch(r->rep, &r->b, err)) < 0)
        return error;
    if ((error = clb_store_source_set_validators(r->store, r->source, r->etag, r->lm,
                                                 err)) < 0)
        return error;
    r->rep->status = "ok";
    r->rep->seconds = clb__now_seconds() - r->t0;
    if (clb__offers_put_unmapped(&msg, &r->b, NULL) < 0) {
        clb_buf_dispose(&msg);
        return clb__oom(err);
    }
    error = log_row(r->store, r->rep, r->started,
                    msg.ptr ? msg.ptr : r->b.rejected ? "some offers were rejected" : NULL,
                    err);
    clb_buf_dispose(&msg);
    return error;
}

static void fetch_run_dispose(fetch_run *r)
{
    clb__free(r->etag);
    clb__free(r->lm);
    clb__offers_batch_dispose(&r->b);
    clb__maps_dispose(&r->maps);
    clb__fetch_response_dispose(&r->resp);
    clb__strtab_dispose(&r->visited);
    clb_buf_dispose(&r->url);
    clb_buf_dispose(&r->label);
    clb__offers_source_dispose(&r->src);
}

int clb_offers_fetch(clb_offers_report *rep, clb_store *store, const char *source,
                     const clb_offers_opts *opts, clb_buf *problems, clb_error *err)
{
    fetch_run r;
    bool in_tx = false, logged = false;
    int error = 0;

    memset(&r, 0, sizeof(r));
    r.rep = rep;
    r.store = store;
    r.source = source;
    r.opts = opts;
    r.t0 = clb__now_seconds();
    memset(rep, 0, sizeof(*rep));
    snprintf(rep->source, sizeof(rep->source), "%s", source);
    rep->status = "failed";
    clb__now_iso(r.started);
    clb__strtab_init(&r.visited);
    clb__fetch_response_init(&r.resp);
    clb__offers_batch_init(&r.b);
    if ((error = clb__offers_source_get(&r.src, store, source, err)) < 0)
        goto done_nolog;
    r.b.source = source;
    r.b.owner = source;
    r.b.store = store;
    r.b.problems = problems;
    r.b.default_employer = r.src.employer.ptr;
    if ((error = clb__store_maps_load(&r.maps, store, err)) < 0)
        goto done_nolog;
    r.b.maps = &r.maps;
    fetch_setup(&r);

    if ((error = fetch_pages(&r, err)) != 0) {
        if (error == FETCH_UNCHANGED)
            error = 0;
        goto done;
    }
    if ((error = check_batch(&r, problems, err)) < 0)
        goto done;
    if ((error = clb_store_begin(store, err)) < 0)
        goto done;
    in_tx = true;
    if ((error = store_batch(&r, err)) < 0)
        goto done;
    logged = true;
    if ((error = clb_store_commit(store, err)) < 0) {
        logged = false;
        goto done;
    }
    in_tx = false;
done:
    if (in_tx) {
        clb_store_rollback(store);
        if (error < 0) {
            rep->added = rep->updated = rep->withdrawn = rep->employers = 0;
            if (strcmp(rep->status, "ok") == 0)
                rep->status = "failed";
        }
    }
    if (error < 0 && strcmp(rep->status, "rejected") != 0)
        rep->status = "failed";
    rep->seconds = clb__now_seconds() - r.t0;
    if (!logged) {
        /* a failed fetch still leaves its row; its message is the error, which names
         * URLs and statuses but never the token */
        clb_error lerr;
        clb_error_init(&lerr);
        log_row(store, rep, r.started, error < 0 && err ? err->message : NULL, &lerr);
    }
done_nolog:
    if (error == 0 && r.b.oom)
        error = clb__oom(err);
    fetch_run_dispose(&r);
    return error;
}
