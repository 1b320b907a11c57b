/*
 * run.c - fetching a source (SPEC section 5): its pages one by one within the
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

static void now_iso(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Append the fetch log row (own transaction unless one is open). */
static int log_row(clb_store *store, const clb_offers_report *rep, const char *started,
                   const char *message, clb_error *err)
{
    char finished[32];
    now_iso(finished);
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

int clb_offers_fetch(clb_offers_report *rep, clb_store *store, const char *source,
                     const clb_offers_opts *opts, clb_buf *problems, clb_error *err)
{
    source_copy src;
    clb__maps maps = {NULL, 0};
    clb_fetch_opts fo;
    clb_fetch_response resp;
    clb_strtab visited;
    clb_buf url = CLB_BUF_INIT, label = CLB_BUF_INIT;
    batch b;
    char started[32], *etag = NULL, *lm = NULL;
    const char *token = NULL;
    double t0 = clb__now_seconds();
    size_t total_bytes = 0;
    bool in_tx = false, logged = false;
    int error = 0;

    memset(rep, 0, sizeof(*rep));
    snprintf(rep->source, sizeof(rep->source), "%s", source);
    rep->status = "failed";
    now_iso(started);
    clb__strtab_init(&visited);
    clb__fetch_response_init(&resp);
    clb__offers_batch_init(&b);
    if ((error = clb__offers_source_get(&src, store, source, err)) < 0)
        goto done_nolog;
    b.source = source;
    b.owner = source;
    b.store = store;
    b.problems = problems;
    b.default_employer = src.employer.ptr;
    if ((error = clb__store_maps_load(&maps, store, err)) < 0)
        goto done_nolog;
    b.maps = &maps;

    clb__fetch_opts_init(&fo);
    fo.connect_timeout_ms = opts->connect_timeout_ms;
    fo.timeout_ms = opts->timeout_ms;
    fo.low_speed_secs = opts->low_speed_secs;
    fo.max_bytes = opts->max_bytes;
    fo.max_redirects = opts->max_redirects;
    fo.max_attempts = opts->max_attempts;
    fo.retry_base_ms = opts->retry_base_ms;
    fo.retry_max_ms = opts->retry_max_ms;
    fo.insecure = opts->insecure;
    fo.token_origin = src.url.ptr;
    if (opts->log) {
        fo.log = fetch_log_cb;
        fo.log_payload = (void *)(uintptr_t)opts;
    }
    if (src.token_env.ptr) {
        token = getenv(src.token_env.ptr);
        if (token && !token[0])
            token = NULL;
        fo.bearer_token = token;
        if (token && opts->warn && clb__fetch_url_is_plain_remote(src.url.ptr)) {
            clb_buf w = CLB_BUF_INIT;
            if (clb__buf_printf(&w, "%s: the bearer token in %s goes over plain http to a "
                                   "host other than loopback, readable on the way; use "
                                   "https", source, src.token_env.ptr) == 0)
                opts->warn(w.ptr, opts->payload);
            clb_buf_dispose(&w);
        }
        if (!token && opts->log)
            opts->log("no bearer token: the variable named by the source is not set",
                      opts->payload);
    }

    /* phase 1: fetch the pages one at a time; each is parsed, its records extracted
     * as compact texts into the batch (employers and JobPostings validated at once,
     * native vacancies once every page is in), and its document freed before the
     * next is requested. Memory holds one page and the accepted records, never the
     * documents of every page. */
    b.defer = true;
    if (opts->deadline_secs > 0)
        fo.deadline = t0 + opts->deadline_secs;
    if (clb__buf_puts(&url, src.url.ptr) < 0) {
        error = offers_oom(err);
        goto done;
    }
    for (int n = 1;; n++) {
        clb_error perr;
        const char *next = NULL;
        clb_buf next_abs = CLB_BUF_INIT;
        clb_json *root = NULL;
        clb_offers_format format;
        size_t values = 0, depth = 0;
        bool cond = n == 1 && !opts->unconditional;

        clb__buf_clear(&label);
        if (clb__buf_printf(&label, "page %d (%s)", n, url.ptr) < 0 ||
            clb__strtab_intern(&visited, url.ptr) < 0) {
            error = offers_oom(err);
            goto done;
        }
        if (fo.deadline > 0 && clb__now_seconds() >= fo.deadline) {
            error = clb__error_set(err, CLB_ENET,
                                  "%s: the fetch's deadline of %.0f s has passed "
                                  "(see --deadline-secs)", label.ptr, opts->deadline_secs);
            goto done;
        }
        /* the source's byte budget: this page may use what earlier pages left */
        if (opts->max_source_bytes > 0) {
            size_t left = opts->max_source_bytes > total_bytes
                              ? opts->max_source_bytes - total_bytes : 0;
            fo.max_bytes = left < opts->max_bytes ? left : opts->max_bytes;
            if (fo.max_bytes == 0) {
                error = clb__error_set(err, CLB_ENET,
                                      "%s: the source's pages reached %zu bytes (the cap "
                                      "per source; see --max-source-bytes)", label.ptr,
                                      opts->max_source_bytes);
                goto done;
            }
        }
        error = clb__fetch_get(&resp, url.ptr, cond ? src.etag.ptr : NULL,
                              cond ? src.last_modified.ptr : NULL, &fo, err);
        rep->http_status = (int)resp.status;
        if (error < 0) {
            if (err && fo.deadline > 0 &&
                (resp.deadline_hit || clb__now_seconds() >= fo.deadline)) {
                snprintf(err->message, sizeof(err->message),
                         "%s: the fetch's deadline of %.0f s has passed (see "
                         "--deadline-secs)", url.ptr, opts->deadline_secs);
            } else if (err && fo.max_bytes < opts->max_bytes && resp.too_big) {
                snprintf(err->message, sizeof(err->message),
                         "%s: the source's pages reached %zu bytes (the cap per source; "
                         "see --max-source-bytes)", url.ptr, opts->max_source_bytes);
            }
            if (err && (resp.status == 401 || resp.status == 403) && src.token_env.ptr &&
                !token) {
                size_t len = strlen(err->message);
                snprintf(err->message + len, sizeof(err->message) - len,
                         "; the variable %s is not set", src.token_env.ptr);
            }
            if (err) {
                char pre[32];
                size_t k = (size_t)snprintf(pre, sizeof(pre), "page %d: ", n);
                size_t len = strlen(err->message);
                if (len + k >= sizeof(err->message))
                    len = sizeof(err->message) - k - 1;
                memmove(err->message + k, err->message, len);
                memcpy(err->message, pre, k);
                err->message[k + len] = '\0';
            }
            goto done;
        }
        rep->pages = n;
        total_bytes += resp.body.size;
        if (resp.status == 304) {
            if (n == 1) {
                rep->status = "unchanged";
                rep->pages = 0;
                goto done;
            }
            error = clb__error_set(err, CLB_ENET, "%s: unexpected status 304", label.ptr);
            goto done;
        }
        if (n == 1) {
            etag = resp.etag;
            lm = resp.last_modified;
            resp.etag = resp.last_modified = NULL;
        }
        /* what parsing would build, counted without building it */
        if (clb__json_measure(&values, &depth, resp.body.ptr ? resp.body.ptr : "",
                             resp.body.size) &&
            ((opts->max_page_values > 0 && values > opts->max_page_values) ||
             (opts->max_depth > 0 && depth > opts->max_depth))) {
            error = clb__error_set(err, CLB_EINVAL,
                                  values > opts->max_page_values
                                      ? "%s: %zu json values on one page, more than the "
                                        "%zu allowed (see --max-page-values)"
                                      : "%s: json nested %zu levels deep, more than the "
                                        "%zu allowed",
                                  label.ptr,
                                  values > opts->max_page_values ? values : depth,
                                  values > opts->max_page_values ? opts->max_page_values
                                                                 : opts->max_depth);
            goto done;
        }
        clb_error_init(&perr);
        if ((error = clb__json_load_buffer(&root, resp.body.ptr ? resp.body.ptr : "",
                                          resp.body.size, NULL, &perr)) < 0) {
            error = clb__error_set(err, error, "%s: %s", label.ptr, perr.message);
            goto done;
        }
        clb_buf_dispose(&resp.body); /* the page's text is no longer needed */
        if ((error = clb__offers_page_frame(&format, root, src.format, label.ptr, &next,
                                            err)) < 0) {
            clb__json_free(root);
            goto done;
        }
        if (next) {
            error = clb__fetch_resolve(&next_abs, resp.effective_url, next, err);
        } else if (resp.link_next && clb__buf_puts(&next_abs, resp.link_next) < 0) {
            error = offers_oom(err);
        }
        if (error == 0) {
            char *page_label = clb__offers_arena_printf(&b, "%s", label.ptr);
            if (!page_label)
                error = offers_oom(err);
            else if (format == CLB_OFFERS_NATIVE) {
                if (clb__maps_apply(root, b.maps) < 0)
                    b.oom = 1;
                clb__offers_native_employers(&b, root, page_label);
                clb__offers_native_vacancies(&b, root, page_label);
            } else {
                error = clb__offers_jp_page(&b, root, page_label, err);
            }
            if (error == 0 && b.oom)
                error = offers_oom(err);
        }
        clb__json_free(root);
        if (error < 0) {
            clb_buf_dispose(&next_abs);
            goto done;
        }
        if (!next_abs.ptr)
            break;
        if (clb__fetch_url_has_credentials(next_abs.ptr)) {
            error = clb__error_set(err, CLB_EINVAL,
                                  "%s: the next page's url carries credentials "
                                  "(user:password@): refused", label.ptr);
            clb_buf_dispose(&next_abs);
            goto done;
        }
        if (clb__strtab_lookup(&visited, next_abs.ptr) >= 0) {
            error = clb__error_set(err, CLB_EINVAL,
                                  "%s: pagination loop: next page %s was fetched already",
                                  label.ptr, next_abs.ptr);
            clb_buf_dispose(&next_abs);
            goto done;
        }
        if (n >= opts->max_pages) {
            error = clb__error_set(err, CLB_EINVAL,
                                  "%s: more than %d pages (the page cap; see --max-pages)",
                                  label.ptr, opts->max_pages);
            clb_buf_dispose(&next_abs);
            goto done;
        }
        clb__buf_clear(&url);
        error = clb__buf_puts(&url, next_abs.ptr);
        clb_buf_dispose(&next_abs);
        if (error < 0) {
            error = offers_oom(err);
            goto done;
        }
    }

    /* phase 2: the native vacancies, now that every page's employers are known */
    clb__offers_flush_pending(&b);
    clb__offers_problems_tail(&b);
    if (problems && clb__offers_put_unmapped(problems, &b, source) < 0)
        b.oom = 1;
    if (b.oom) {
        error = offers_oom(err);
        goto done;
    }
    rep->rejected = b.rejected;
    if (opts->strict && b.rejected > 0) {
        rep->status = "rejected";
        error = clb__error_set(err, CLB_EINVAL,
                              "%d invalid offer%s and --strict: nothing was stored",
                              b.rejected, b.rejected == 1 ? "" : "s");
        goto done;
    }

    /* phase 3: one transaction */
    if ((error = clb_store_begin(store, err)) < 0)
        goto done;
    in_tx = true;
    if ((error = clb__offers_write_batch(rep, &b, err)) < 0)
        goto done;
    if ((error = clb_store_source_set_validators(store, source, etag, lm, err)) < 0)
        goto done;
    rep->status = "ok";
    rep->seconds = clb__now_seconds() - t0;
    {
        clb_buf msg = CLB_BUF_INIT;
        if (clb__offers_put_unmapped(&msg, &b, NULL) < 0) {
            error = offers_oom(err);
            goto done;
        }
        error = log_row(store, rep, started,
                        msg.ptr ? msg.ptr : b.rejected ? "some offers were rejected" : NULL,
                        err);
        clb_buf_dispose(&msg);
        if (error < 0)
            goto done;
    }
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
    rep->seconds = clb__now_seconds() - t0;
    if (!logged) {
        /* a failed fetch still leaves its row; its message is the error, which names
         * URLs and statuses but never the token */
        clb_error lerr;
        clb_error_init(&lerr);
        log_row(store, rep, started, error < 0 && err ? err->message : NULL, &lerr);
    }
done_nolog:
    if (error == 0 && b.oom)
        error = offers_oom(err);
    clb__free(etag);
    clb__free(lm);
    clb__offers_batch_dispose(&b);
    clb__maps_dispose(&maps);
    clb__fetch_response_dispose(&resp);
    clb__strtab_dispose(&visited);
    clb_buf_dispose(&url);
    clb_buf_dispose(&label);
    clb__offers_source_dispose(&src);
    return error;
}
