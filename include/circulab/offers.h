/*
 * offers.h - employers' offers: feed sources fetched over HTTP, and vacancies that
 * employers submit as files (docs/FORMATS.md §5).
 *
 * A source is a named URL with settings (the page format, the environment variable
 * holding a bearer token, a default employer). Fetching a source walks its pages
 * (`next` in the document or an RFC 8288 `Link: <...>; rel="next"` header), parses
 * each page as a circulab-offers/1 document or as schema.org JobPosting JSON-LD,
 * validates every offer, and only then writes everything through the store in one
 * transaction: a fetch that fails anywhere changes nothing but the fetch log.
 * docs/OFFERS.md has the JobPosting mapping, the limits and the retry policy.
 */
#ifndef CIRCULAB_OFFERS_H
#define CIRCULAB_OFFERS_H

#include "common.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The document format of a source's pages. */
typedef enum {
    CLB_OFFERS_AUTO,       /* told from each page */
    CLB_OFFERS_NATIVE,     /* circulab-offers/1 */
    CLB_OFFERS_JOBPOSTING  /* schema.org JobPosting JSON-LD */
} clb_offers_format;

/* "auto", "native", "jobposting". */
CLB_EXTERN const char *clb_offers_format_name(clb_offers_format format);

/*
 * Is `url` plain http:// to a host other than loopback (localhost, 127.0.0.0/8, ::1)?
 * A bearer token sent there crosses the network in clear: callers warn.
 */
CLB_EXTERN bool clb_offers_url_is_plain_remote(const char *url);

/*
 * Register a source.
 *
 * name:      the source id (an identifier: non-empty, at most 64 bytes)
 * url:       an absolute http:// or https:// URL without credentials (user:password@
 *            is refused: URLs are stored and named in messages; tokens go through
 *            token_env)
 * token_env: the name of the environment variable holding a bearer token, or NULL.
 *            Only the name is stored, never the token.
 * employer:  the employer id of offers that do not name one (JobPosting without
 *            hiringOrganization, native vacancies without `employer`), or NULL
 * Returns 0, CLB_EINVAL (a bad name, URL or variable name), CLB_EEXISTS, CLB_EDB.
 */
CLB_EXTERN int clb_offers_source_add(clb_store *store, const char *name, const char *url,
                                     clb_offers_format format, const char *token_env,
                                     const char *employer, clb_error *err);

/*
 * Render the sources: one line each "NAME URL format=F [token-env=V] [employer=E]
 * [etag=...] [last-modified=...]", or with CLB_STORE_JSON an array of objects.
 */
CLB_EXTERN int clb_offers_source_list(clb_buf *out, clb_store *store, unsigned flags,
                                      clb_error *err);

/* The fetch log is rendered by clb_store_fetch_log_list (circulab/store.h). */

/* How a fetch behaves. Fill with clb_offers_opts_init, then change what you need. */
typedef struct clb_offers_opts {
    bool strict;             /* one invalid offer fails the whole fetch */
    bool insecure;           /* skip TLS verification: for tests only */
    size_t max_bytes;        /* response size cap per page; default 32 MiB */
    int max_pages;           /* pages per source; default 100 */
    long max_redirects;      /* default 5 */
    long connect_timeout_ms; /* default 10000 */
    long timeout_ms;         /* total time of one request; default 60000 */
    long low_speed_secs;     /* abort a request below 1 byte/s for this long; 30 */
    int max_attempts;        /* attempts per request; default 4 */
    long retry_base_ms;      /* first backoff (doubles each time); default 1000 */
    long retry_max_ms;       /* longest single wait, Retry-After included; 60000 */
    bool unconditional;      /* ignore the stored ETag / Last-Modified */
    /* Progress lines for --verbose (URLs, statuses, sizes; never a token). */
    void (*log)(const char *line, void *payload);
    void *payload;
    /* Bounds of a whole fetch of one source (docs/OFFERS.md, "Memory and time"). */
    size_t max_source_bytes; /* decoded bytes of all pages together; 64 MiB; 0 off */
    size_t max_page_values;  /* JSON values on one page (its parsed cost); 1000000 */
    size_t max_depth;        /* JSON nesting of one page; 64 */
    double deadline_secs;    /* the whole fetch, retries included; 900; 0 off */
    /* Warnings the caller should show (e.g. a bearer token about to be sent over
     * plain http to a host other than loopback); may be NULL. Gets `payload`. */
    void (*warn)(const char *line, void *payload);
} clb_offers_opts;

CLB_EXTERN void clb_offers_opts_init(clb_offers_opts *opts);

/* What one fetch (or one submission) did. */
typedef struct clb_offers_report {
    char source[72];
    const char *status;  /* "ok", "unchanged", "rejected" (strict), "failed" */
    int http_status;     /* of the last response; 0 when none */
    int pages;
    int added, updated, withdrawn, rejected;
    int employers;       /* employer records written */
    double seconds;
} clb_offers_report;

/*
 * Fetch one source and store its offers (docs/FORMATS.md §5).
 *
 * Every page is fetched and validated before anything is written; then the offers
 * are upserted by (source, offer id) in one transaction, together with the source's
 * new validators and a fetch log row. Offers with `status: "withdrawn"` are marked
 * withdrawn, never deleted. An invalid offer is rejected (one line in `problems`:
 * "SOURCE: page N: PATH: MESSAGE") and the valid ones are stored, unless
 * opts->strict. A 304 on the first page reports "unchanged" and changes nothing.
 * Every call appends one row to the fetch log, also when it fails.
 *
 * report:   receives the counts (always filled, also on failure)
 * problems: receives one line per rejected offer (may be NULL)
 * Returns 0 (also with rejected offers when not strict), CLB_ENOTFOUND (no such
 * source), CLB_ENET (a page could not be fetched: err names the page and why),
 * CLB_EPARSE (a page is not JSON), CLB_EINVAL (a page is not an offers document, or
 * with strict an offer is invalid), CLB_EDB, CLB_ENOMEM.
 */
CLB_EXTERN int clb_offers_fetch(clb_offers_report *report, clb_store *store, const char *source,
                                const clb_offers_opts *opts, clb_buf *problems, clb_error *err);

/*
 * Call fn with the id of every source, in order (for `fetch --all`).
 */
CLB_EXTERN int clb_offers_source_foreach(clb_store *store,
                                         int (*fn)(const char *name, void *payload), void *payload,
                                         clb_error *err);

/*
 * Store vacancies an employer submits (`circulab vacancy submit FILE`), all or
 * nothing: the file holds a circulab-offers/1 document, one vacancy object or an
 * array of vacancy objects (records as in docs/FORMATS.md §2.4; employers as in 2.3, or
 * already in the database). Any invalid record stores nothing; every error is one
 * line of `problems` ("FILE: PATH: MESSAGE").
 *
 * Returns 0, CLB_EIO, CLB_EPARSE, CLB_EINVAL, CLB_EDB or CLB_ENOMEM.
 */
CLB_EXTERN int clb_offers_submit_file(clb_offers_report *report, clb_store *store, const char *path,
                                      clb_buf *problems, clb_error *err);

/*
 * Parse one page (a memory buffer) without a database, for tests and `validate`:
 * appends one line per problem to `problems` and sets the counts of valid employers
 * and vacancies. `next` (may be NULL) receives the page's `next` URL, if any.
 * Returns 0 (the page is an offers document, possibly with invalid offers),
 * CLB_EPARSE or CLB_EINVAL (not an offers document at all), CLB_ENOMEM.
 */
CLB_EXTERN int clb_offers_parse_buffer(size_t *n_employers, size_t *n_vacancies,
                                       const char *body, size_t len, clb_offers_format format,
                                       const char *source, clb_buf *next, clb_buf *problems,
                                       clb_error *err);

#ifdef __cplusplus
}
#endif
#endif
