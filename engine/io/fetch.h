/*
 * fetch.h - one careful HTTP GET (the engine's libcurl transport, docs/FORMATS.md §5).
 *
 * engine/io/fetch.c is the only file that includes <curl/curl.h>. It turns one URL into
 * one response body under every limit a feed reader needs: http and https only (also
 * for redirects), a redirect cap, connect and total timeouts and a low-speed limit, a
 * response size cap enforced while the body streams in (on the decoded bytes, so a
 * gzip bomb stops at the cap too), TLS verification unless explicitly disabled, and
 * bounded retries with exponential backoff and jitter on 429, 5xx, timeouts and
 * connection failures, honouring Retry-After. The page walk, parsing and storing are
 * engine/offers/'s job.
 *
 * Secrets: a bearer token is given to libcurl only, for requests to the origin it was
 * issued for; it is never written into a message, a log line or a returned value.
 */
#ifndef CLB_FETCH_H
#define CLB_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include "circulab/common.h"

/* Limits and behaviour of clb__fetch_get. Fill with clb__fetch_opts_init. */
typedef struct clb_fetch_opts {
    long connect_timeout_ms; /* default 10000 */
    long timeout_ms;         /* total time of one attempt; default 60000 */
    long low_speed_bytes;    /* abort an attempt slower than this many bytes/s ... */
    long low_speed_secs;     /* ... for this many seconds; defaults 1 and 30 */
    size_t max_bytes;        /* response size cap (decoded); default 32 MiB */
    long max_redirects;      /* default 5 */
    int max_attempts;        /* attempts per request, >= 1; default 4 */
    long retry_base_ms;      /* first backoff; doubles per attempt; default 1000 */
    long retry_max_ms;       /* cap of one wait, Retry-After included; default 60000 */
    bool insecure;           /* skip TLS verification (tests only) */
    double deadline;         /* clb__now_seconds() after which no attempt starts or
                                continues, waits included; 0 = none */
    const char *bearer_token;   /* may be NULL; never logged */
    const char *token_origin;   /* the token goes only to this URL's origin */
    /* Progress lines for --verbose (never headers, never the token). May be NULL. */
    void (*log)(const char *line, void *payload);
    void *log_payload;
} clb_fetch_opts;

void clb__fetch_opts_init(clb_fetch_opts *opts);

/* The outcome of clb__fetch_get. Initialise with clb__fetch_response_init. */
typedef struct clb_fetch_response {
    long status;          /* final HTTP status: 2xx or 304 on success */
    clb_buf body;         /* the decoded body (empty for 304) */
    char *etag;           /* validators of the response, or NULL */
    char *last_modified;
    char *link_next;      /* RFC 8288 rel="next" target, resolved to absolute, or NULL */
    char *effective_url;  /* the URL after redirects */
    int attempts;         /* attempts made */
    bool too_big;         /* failed on the size cap (max_bytes) */
    bool deadline_hit;    /* failed because opts->deadline came */
} clb_fetch_response;

void clb__fetch_response_init(clb_fetch_response *resp);
void clb__fetch_response_dispose(clb_fetch_response *resp);

/*
 * GET `url` with `Accept: application/json, application/ld+json` and gzip accepted.
 * `if_none_match` / `if_modified_since` (may be NULL) make the request conditional.
 *
 * Returns 0 with resp->status 2xx or 304; CLB_ENET for a transport failure or another
 * status after the attempts allowed (err->lib_code holds the HTTP status, or the
 * curl code negated), CLB_EINVAL for a URL that is not http(s), CLB_ENOMEM.
 */
int clb__fetch_get(clb_fetch_response *resp, const char *url, const char *if_none_match,
                  const char *if_modified_since, const clb_fetch_opts *opts,
                  clb_error *err);

/*
 * Resolve `ref` (absolute or relative) against `base` into out (replaced).
 * Returns 0, CLB_EINVAL (not a URL) or CLB_ENOMEM.
 */
int clb__fetch_resolve(clb_buf *out, const char *base, const char *ref, clb_error *err);

/* Is `url` an absolute http:// or https:// URL? */
bool clb__fetch_url_is_http(const char *url);

/* Does `url` carry credentials (a user name or password before the host)? */
bool clb__fetch_url_has_credentials(const char *url);

/* Is `url` plain http to a host other than loopback (localhost, 127.0.0.0/8, ::1),
 * where a bearer token would cross the network readable by anyone on the path? */
bool clb__fetch_url_is_plain_remote(const char *url);

/* Do a and b have the same scheme, host and port? */
bool clb__fetch_same_origin(const char *a, const char *b);

/*
 * Find the target of rel="next" in the value of a Link header (RFC 8288), e.g.
 * `<https://x/p2>; rel="next", <https://x/p9>; rel=last`. Appends the raw target to
 * out and returns true, or returns false when there is none.
 */
bool clb__fetch_link_next(clb_buf *out, const char *header_value);

#endif
