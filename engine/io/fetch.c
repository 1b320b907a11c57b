/*
 * fetch.c - the engine's only libcurl user: one bounded, patient HTTP GET.
 *
 * Every limit is set on the easy handle before each attempt, so that nothing a server
 * sends can widen them: protocols http/https for the first request and for redirects
 * (CURLOPT_PROTOCOLS_STR / CURLOPT_REDIR_PROTOCOLS_STR, libcurl >= 7.85), a redirect
 * cap, timeouts and a low-speed limit, and a size cap counted in the write callback on
 * the decoded bytes. Retries wrap whole attempts: 429, 5xx, timeouts and connection
 * failures are retried with exponential backoff (base * 2^(n-1), capped) and jitter
 * (a random point in the upper half of the interval), or after Retry-After when the
 * server says so (capped by the same maximum). Everything else fails at once.
 *
 * The bearer token is handed to libcurl through CURLOPT_XOAUTH2_BEARER, only when the
 * URL has the origin the token was issued for; libcurl then drops it on redirects to
 * other hosts. We never enable CURLOPT_VERBOSE (it would print the Authorization
 * header); --verbose lines are composed here from the URL, status and sizes only.
 */
#include "io/fetch.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "util/util.h"
#include "util/alloc.h"

#define CLB_FETCH_VERSION "0.1"
#define ACCEPT_HEADER "Accept: application/json, application/ld+json"

void clb__fetch_opts_init(clb_fetch_opts *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->connect_timeout_ms = 10000;
    opts->timeout_ms = 60000;
    opts->low_speed_bytes = 1;
    opts->low_speed_secs = 30;
    opts->max_bytes = (size_t)32 << 20;
    opts->max_redirects = 5;
    opts->max_attempts = 4;
    opts->retry_base_ms = 1000;
    opts->retry_max_ms = 60000;
}

void clb__fetch_response_init(clb_fetch_response *resp)
{
    memset(resp, 0, sizeof(*resp));
}

static void free_strings(clb_fetch_response *resp)
{
    clb__free(resp->etag);
    clb__free(resp->last_modified);
    clb__free(resp->link_next);
    clb__free(resp->effective_url);
    resp->etag = resp->last_modified = resp->link_next = resp->effective_url = NULL;
}

void clb__fetch_response_dispose(clb_fetch_response *resp)
{
    if (!resp)
        return;
    clb_buf_dispose(&resp->body);
    free_strings(resp);
    resp->status = 0;
}

static char *dup_str(const char *s)
{
    size_t n;
    char *p;
    if (!s)
        return NULL;
    n = strlen(s);
    if ((p = clb__malloc(n + 1)))
        memcpy(p, s, n + 1);
    return p;
}

/* libcurl's global state, set up at the first fetch of the process. The flag is
   process-wide because libcurl's state is; it is atomic, and two threads that both find
   it unset both call curl_global_init, which is thread-safe from libcurl 7.84 and
   counts its calls. */
static int global_init(clb_error *err)
{
    static atomic_bool done;
    if (atomic_load(&done))
        return 0;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return clb__error_set(err, CLB_ENET, "cannot initialise libcurl");
    atomic_store(&done, true);
    return 0;
}

static void logf_(const clb_fetch_opts *opts, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void logf_(const clb_fetch_opts *opts, const char *fmt, ...)
{
    char line[1200];
    va_list ap;
    if (!opts->log)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    opts->log(line, opts->log_payload);
}

/* ---- URLs -------------------------------------------------------------------- */

bool clb__fetch_url_is_http(const char *url)
{
    CURLU *u = curl_url();
    char *scheme = NULL;
    bool ok = false;
    if (!u || !url)
        goto done;
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
        goto done;
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
        goto done;
    ok = strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0;
done:
    curl_free(scheme);
    curl_url_cleanup(u);
    return ok;
}

bool clb__fetch_url_has_credentials(const char *url)
{
    CURLU *u = curl_url();
    char *user = NULL, *password = NULL;
    bool has = false;
    if (!u || !url)
        goto done;
    if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
        /* not a URL curl can read: look for userinfo by hand */
        const char *p = strstr(url, "://"), *end;
        if (p) {
            p += 3;
            end = p + strcspn(p, "/?#");
            has = memchr(p, '@', (size_t)(end - p)) != NULL;
        }
        goto done;
    }
    has = (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK && user && user[0]) ||
          (curl_url_get(u, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK && password);
done:
    curl_free(user);
    curl_free(password);
    curl_url_cleanup(u);
    return has;
}

bool clb__fetch_url_is_plain_remote(const char *url)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL;
    bool remote = false;
    if (!u || !url || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
        goto done;
    if (strcmp(scheme, "http") != 0)
        goto done;
    /* loopback: localhost, 127.0.0.0/8, ::1 (curl gives IPv6 hosts in brackets) */
    remote = !(strcasecmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 ||
               strcmp(host, "[::1]") == 0 ||
               (strlen(host) > 10 && strcasecmp(host + strlen(host) - 10, ".localhost") == 0));
done:
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return remote;
}

int clb__fetch_resolve(clb_buf *out, const char *base, const char *ref, clb_error *err)
{
    CURLU *u = curl_url();
    char *full = NULL;
    int error = 0;
    if (!u)
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    if (curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK ||
        curl_url_set(u, CURLUPART_URL, ref, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_URL, &full, 0) != CURLUE_OK) {
        error = clb__error_set(err, CLB_EINVAL, "'%s' is not a valid url", ref);
        goto done;
    }
    clb__buf_clear(out);
    if (clb__buf_puts(out, full) < 0)
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
done:
    curl_free(full);
    curl_url_cleanup(u);
    return error;
}

static bool origin_of(const char *url, char **scheme, char **host, char **port)
{
    CURLU *u = curl_url();
    bool ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_SCHEME, scheme, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_HOST, host, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_PORT, port, CURLU_DEFAULT_PORT) == CURLUE_OK;
    curl_url_cleanup(u);
    return ok;
}

bool clb__fetch_same_origin(const char *a, const char *b)
{
    char *s1 = NULL, *h1 = NULL, *p1 = NULL, *s2 = NULL, *h2 = NULL, *p2 = NULL;
    bool same = false;
    if (a && b && origin_of(a, &s1, &h1, &p1) && origin_of(b, &s2, &h2, &p2))
        same = strcmp(s1, s2) == 0 && strcmp(p1, p2) == 0 && strcasecmp(h1, h2) == 0;
    curl_free(s1);
    curl_free(h1);
    curl_free(p1);
    curl_free(s2);
    curl_free(h2);
    curl_free(p2);
    return same;
}

/* ---- Link headers (RFC 8288) ------------------------------------------------- */

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* Does the space-separated relation list [v, v+n) contain "next"? */
static bool rel_has_next(const char *v, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t j;
        while (i < n && v[i] == ' ')
            i++;
        j = i;
        while (j < n && v[j] != ' ')
            j++;
        if (j - i == 4 && strncasecmp(v + i, "next", 4) == 0)
            return true;
        i = j;
    }
    return false;
}

bool clb__fetch_link_next(clb_buf *out, const char *value)
{
    const char *p = value;
    while (p && *p) {
        const char *uri, *uri_end;
        bool next = false;
        p = skip_ws(p);
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p != '<')
            return false;
        uri = p + 1;
        if (!(uri_end = strchr(uri, '>')))
            return false;
        p = uri_end + 1;
        /* parameters up to the next comma outside quotes */
        for (;;) {
            const char *name, *val;
            size_t nlen, vlen;
            p = skip_ws(p);
            if (*p != ';')
                break;
            p = skip_ws(p + 1);
            name = p;
            while (*p && *p != '=' && *p != ';' && *p != ',' && *p != ' ')
                p++;
            nlen = (size_t)(p - name);
            p = skip_ws(p);
            val = p;
            vlen = 0;
            if (*p == '=') {
                p = skip_ws(p + 1);
                if (*p == '"') {
                    val = ++p;
                    while (*p && *p != '"') {
                        if (*p == '\\' && p[1])
                            p++;
                        p++;
                    }
                    vlen = (size_t)(p - val);
                    if (*p == '"')
                        p++;
                } else {
                    val = p;
                    while (*p && *p != ';' && *p != ',' && *p != ' ')
                        p++;
                    vlen = (size_t)(p - val);
                }
            }
            if (nlen == 3 && strncasecmp(name, "rel", 3) == 0 && rel_has_next(val, vlen))
                next = true;
        }
        if (next)
            return clb__buf_put(out, uri, (size_t)(uri_end - uri)) == 0;
        while (*p && *p != ',')
            p++;
    }
    return false;
}

/* ---- one attempt ------------------------------------------------------------- */

typedef struct sink {
    clb_buf *body;
    size_t max;
    bool too_big;
    bool oom;
    CURL *handle;
    bool credentials; /* a redirect led to a url with user:password@ */
} sink;

/*
 * Called by libcurl before each request it sends, redirects included: a URL that
 * carries credentials (`user:password@host`) is refused before anything is sent to
 * it, because that URL would be stored and named in messages and the fetch log.
 */
static int on_prereq(void *payload, char *primary_ip, char *local_ip, int primary_port,
                     int local_port)
{
    sink *k = payload;
    char *url = NULL;
    (void)primary_ip;
    (void)local_ip;
    (void)primary_port;
    (void)local_port;
    if (curl_easy_getinfo(k->handle, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK && url &&
        clb__fetch_url_has_credentials(url)) {
        k->credentials = true;
        return CURL_PREREQFUNC_ABORT;
    }
    return CURL_PREREQFUNC_OK;
}

static size_t on_write(char *data, size_t size, size_t nmemb, void *payload)
{
    sink *k = payload;
    size_t n = size * nmemb;
    if (k->body->size + n > k->max) {
        k->too_big = true;
        return 0;
    }
    if (clb__buf_put(k->body, data, n) < 0) {
        k->oom = true;
        return 0;
    }
    return n;
}

static char *header_value(CURL *h, const char *name)
{
    struct curl_header *hdr = NULL;
    if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hdr) != CURLHE_OK || !hdr)
        return NULL;
    return dup_str(hdr->value);
}

/* The rel="next" target of the response's Link headers, resolved, or NULL. */
static char *link_next(CURL *h, const char *base)
{
    struct curl_header *hdr = NULL;
    size_t amount = 0;
    char *result = NULL;
    if (curl_easy_header(h, "Link", 0, CURLH_HEADER, -1, &hdr) != CURLHE_OK || !hdr)
        return NULL;
    amount = hdr->amount;
    for (size_t i = 0; i < amount && !result; i++) {
        clb_buf raw = CLB_BUF_INIT, full = CLB_BUF_INIT;
        if (curl_easy_header(h, "Link", i, CURLH_HEADER, -1, &hdr) == CURLHE_OK &&
            clb__fetch_link_next(&raw, hdr->value) && raw.ptr &&
            clb__fetch_resolve(&full, base, raw.ptr, NULL) == 0)
            result = dup_str(full.ptr);
        clb_buf_dispose(&raw);
        clb_buf_dispose(&full);
    }
    return result;
}

typedef enum { ATTEMPT_DONE, ATTEMPT_RETRY, ATTEMPT_FAIL } attempt_outcome;

static bool retryable_curl(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return true;
    default:
        return false;
    }
}

/* The total time of one attempt: the per-request timeout, cut to what is left
 * before the deadline (at least 1 ms: libcurl's 0 would mean "no limit"). */
static long attempt_timeout_ms(const clb_fetch_opts *opts)
{
    double left;
    if (opts->deadline <= 0)
        return opts->timeout_ms;
    left = (opts->deadline - clb__now_seconds()) * 1000.0;
    if (left < 1)
        return 1;
    return left < (double)opts->timeout_ms ? (long)left : opts->timeout_ms;
}

static int setup(CURL *h, struct curl_slist *headers, sink *k, const char *url,
                 const clb_fetch_opts *opts, char *errbuf)
{
    long low_secs = opts->low_speed_secs;
    bool send_token = opts->bearer_token && opts->bearer_token[0] &&
                      clb__fetch_same_origin(url, opts->token_origin ? opts->token_origin
                                                                    : url);
    CURLcode rc = CURLE_OK;
#define SET(opt, val)                                                                 \
    do {                                                                              \
        if (rc == CURLE_OK)                                                           \
            rc = curl_easy_setopt(h, opt, val);                                       \
    } while (0)
    SET(CURLOPT_URL, url);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_FOLLOWLOCATION, 1L);
    SET(CURLOPT_MAXREDIRS, opts->max_redirects);
    SET(CURLOPT_HTTPGET, 1L);
    SET(CURLOPT_HTTPHEADER, headers);
    SET(CURLOPT_ACCEPT_ENCODING, "gzip");
    SET(CURLOPT_CONNECTTIMEOUT_MS, opts->connect_timeout_ms);
    SET(CURLOPT_TIMEOUT_MS, attempt_timeout_ms(opts));
    if (opts->low_speed_bytes > 0 && low_secs > 0) {
        SET(CURLOPT_LOW_SPEED_LIMIT, opts->low_speed_bytes);
        SET(CURLOPT_LOW_SPEED_TIME, low_secs);
    }
    SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)opts->max_bytes);
    SET(CURLOPT_WRITEFUNCTION, on_write);
    SET(CURLOPT_WRITEDATA, k);
    SET(CURLOPT_PREREQFUNCTION, on_prereq);
    SET(CURLOPT_PREREQDATA, k);
    SET(CURLOPT_ERRORBUFFER, errbuf);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_USERAGENT, "circulab/" CLB_FETCH_VERSION);
    SET(CURLOPT_SSL_VERIFYPEER, opts->insecure ? 0L : 1L);
    SET(CURLOPT_SSL_VERIFYHOST, opts->insecure ? 0L : 2L);
    SET(CURLOPT_UNRESTRICTED_AUTH, 0L);
    if (send_token) {
        SET(CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
        SET(CURLOPT_XOAUTH2_BEARER, opts->bearer_token);
    }
#undef SET
    return rc == CURLE_OK ? 0 : -1;
}

/*
 * One attempt. On ATTEMPT_RETRY, *wait_ms is the server's Retry-After in ms (or -1)
 * and err holds why; on ATTEMPT_FAIL, err holds the error; on ATTEMPT_DONE resp is
 * filled.
 */
static attempt_outcome attempt(CURL *h, clb_fetch_response *resp, const char *url,
                               struct curl_slist *headers, const clb_fetch_opts *opts,
                               long *wait_ms, int *error, clb_error *err)
{
    char errbuf[CURL_ERROR_SIZE];
    sink k = {&resp->body, opts->max_bytes, false, false, h, false};
    curl_off_t retry_after = -1;
    char *eff = NULL;
    long status = 0;
    double t0 = clb__now_seconds();
    long cut_ms;
    CURLcode rc;

    errbuf[0] = '\0';
    clb__buf_clear(&resp->body);
    free_strings(resp);
    *wait_ms = -1;
    curl_easy_reset(h);
    if (setup(h, headers, &k, url, opts, errbuf) < 0) {
        *error = clb__error_set(err, CLB_EINTERNAL, "cannot configure libcurl");
        return ATTEMPT_FAIL;
    }
    logf_(opts, "GET %s", url);
    /* this attempt's time was cut to the deadline: a timeout is the deadline's */
    cut_ms = opts->deadline > 0 && attempt_timeout_ms(opts) < opts->timeout_ms
                 ? attempt_timeout_ms(opts) : -1;
    rc = curl_easy_perform(h);
    if (rc == CURLE_OPERATION_TIMEDOUT && cut_ms >= 0 &&
        (clb__now_seconds() - t0) * 1000.0 >= (double)cut_ms - 50.0)
        resp->deadline_hit = true;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    resp->status = status;
    if (k.oom) {
        *error = clb__error_set(err, CLB_ENOMEM, "out of memory reading %s", url);
        return ATTEMPT_FAIL;
    }
    if (k.credentials) {
        *error = clb__error_set(err, CLB_ENET,
                               "%s: refused a redirect to a url with credentials "
                               "(user:password@); give tokens with 'source add "
                               "--token-env'", url);
        if (err)
            err->lib_code = -(int)CURLE_ABORTED_BY_CALLBACK;
        return ATTEMPT_FAIL;
    }
    if (k.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
        resp->too_big = true;
        *error = clb__error_set(err, CLB_ENET, "%s: response larger than %zu bytes", url,
                               opts->max_bytes);
        if (err)
            err->lib_code = -(int)CURLE_FILESIZE_EXCEEDED;
        return ATTEMPT_FAIL;
    }
    if (rc != CURLE_OK) {
        const char *why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
        if (rc == CURLE_TOO_MANY_REDIRECTS)
            *error = clb__error_set(err, CLB_ENET, "%s: more than %ld redirects", url,
                                   opts->max_redirects);
        else if (rc == CURLE_UNSUPPORTED_PROTOCOL)
            *error = clb__error_set(err, CLB_ENET,
                                   "%s: refused a redirect or url outside http and https "
                                   "(%s)", url, why);
        else if (rc == CURLE_OPERATION_TIMEDOUT)
            *error = clb__error_set(err, CLB_ENET, "%s: timed out (%s)", url, why);
        else
            *error = clb__error_set(err, CLB_ENET, "%s: %s", url, why);
        if (err)
            err->lib_code = -(int)rc;
        logf_(opts, "  failed after %.2f s: %s", clb__now_seconds() - t0, why);
        return retryable_curl(rc) ? ATTEMPT_RETRY : ATTEMPT_FAIL;
    }
    logf_(opts, "  HTTP %ld, %zu bytes, %.2f s", status, resp->body.size,
          clb__now_seconds() - t0);
    if (status == 429 || (status >= 500 && status <= 599)) {
        curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &retry_after);
        if (retry_after >= 0)
            *wait_ms = retry_after > INT32_MAX / 1000 ? INT32_MAX : (long)retry_after * 1000;
        *error = clb__error_set(err, CLB_ENET, "%s: http status %ld", url, status);
        if (err)
            err->lib_code = (int)status;
        return ATTEMPT_RETRY;
    }
    if (!((status >= 200 && status <= 299) || status == 304)) {
        *error = clb__error_set(err, CLB_ENET, "%s: http status %ld%s", url, status,
                               status == 401 || status == 403
                                   ? " (the feed wants a valid bearer token: see "
                                     "'source add --token-env')"
                                   : "");
        if (err)
            err->lib_code = (int)status;
        return ATTEMPT_FAIL;
    }
    if (curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff)
        resp->effective_url = dup_str(eff);
    else
        resp->effective_url = dup_str(url);
    resp->etag = header_value(h, "ETag");
    resp->last_modified = header_value(h, "Last-Modified");
    resp->link_next = link_next(h, resp->effective_url ? resp->effective_url : url);
    if (!resp->effective_url) {
        *error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        return ATTEMPT_FAIL;
    }
    return ATTEMPT_DONE;
}

/* ---- retries ----------------------------------------------------------------- */

/* xorshift64 for the jitter, its state owned by one fetch (0: not seeded yet) and
   seeded from the clock, the process and the address of the state (another thread's
   stack), so that fetches share nothing and parallel ones still wait different times. */
static uint64_t rng_next(uint64_t *state)
{
    if (*state == 0) {
        struct timespec ts;
        timespec_get(&ts, TIME_UTC);
        *state = ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)ts.tv_nsec ^
                 ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)state ^
                 0x9E3779B97F4A7C15u;
        if (*state == 0)
            *state = 0x9E3779B97F4A7C15u;
    }
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

static void sleep_ms(long ms)
{
    struct timespec ts;
    if (ms <= 0)
        return;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* Backoff before attempt n+1 (n >= 1 attempts made): jitter in [d/2, d]. */
static long backoff_ms(const clb_fetch_opts *opts, int n, uint64_t *rng)
{
    double d = (double)opts->retry_base_ms;
    for (int i = 1; i < n && d < (double)opts->retry_max_ms; i++)
        d *= 2;
    if (d > (double)opts->retry_max_ms)
        d = (double)opts->retry_max_ms;
    if (d < 1)
        return 0;
    return (long)(d / 2 + (double)(rng_next(rng) % ((uint64_t)(d / 2) + 1)));
}

int clb__fetch_get(clb_fetch_response *resp, const char *url, const char *if_none_match,
                  const char *if_modified_since, const clb_fetch_opts *opts,
                  clb_error *err)
{
    struct curl_slist *headers = NULL, *tmp;
    clb_buf line = CLB_BUF_INIT;
    CURL *h = NULL;
    int error = 0, max = opts->max_attempts < 1 ? 1 : opts->max_attempts;
    uint64_t rng = 0; /* the jitter's state (rng_next) */

    clb__buf_clear(&resp->body);
    free_strings(resp);
    resp->status = 0;
    resp->attempts = 0;
    resp->too_big = false;
    resp->deadline_hit = false;
    if (!clb__fetch_url_is_http(url))
        return clb__error_set(err, CLB_EINVAL, "'%s' is not an http or https url", url);
    if ((error = global_init(err)) < 0)
        return error;
    if (!(h = curl_easy_init())) {
        error = clb__error_set(err, CLB_ENOMEM, "cannot create a libcurl handle");
        goto done;
    }
    if (!(headers = curl_slist_append(NULL, ACCEPT_HEADER)))
        goto oom;
    if (if_none_match && if_none_match[0]) {
        if (clb__buf_printf(&line, "If-None-Match: %s", if_none_match) < 0 ||
            !(tmp = curl_slist_append(headers, line.ptr)))
            goto oom;
        headers = tmp;
    }
    if (if_modified_since && if_modified_since[0]) {
        clb__buf_clear(&line);
        if (clb__buf_printf(&line, "If-Modified-Since: %s", if_modified_since) < 0 ||
            !(tmp = curl_slist_append(headers, line.ptr)))
            goto oom;
        headers = tmp;
    }
    for (int n = 1;; n++) {
        clb_error last;
        long wait = -1;
        attempt_outcome out;
        clb_error_init(&last);
        resp->attempts = n;
        out = attempt(h, resp, url, headers, opts, &wait, &error, &last);
        if (out == ATTEMPT_DONE) {
            error = 0;
            break;
        }
        if (out == ATTEMPT_RETRY && opts->deadline > 0) {
            /* no retry whose wait would end past the deadline */
            long w = wait >= 0 ? (wait > opts->retry_max_ms ? opts->retry_max_ms : wait)
                               : backoff_ms(opts, n, &rng);
            if (clb__now_seconds() + (double)w / 1000.0 >= opts->deadline) {
                size_t len = strlen(last.message);
                snprintf(last.message + len, sizeof(last.message) - len,
                         " (no time left before the fetch's deadline)");
                out = ATTEMPT_FAIL;
                resp->deadline_hit = true;
            }
        }
        if (out == ATTEMPT_FAIL || n >= max) {
            if (out == ATTEMPT_RETRY && max > 1) {
                size_t len = strlen(last.message);
                snprintf(last.message + len, sizeof(last.message) - len,
                         " (gave up after %d attempts)", n);
            }
            if (err && err->message[0] == '\0')
                *err = last;
            else if (err && err->code == 0)
                err->code = last.code;
            clb__buf_clear(&resp->body);
            goto done;
        }
        if (wait >= 0) {
            if (wait > opts->retry_max_ms)
                wait = opts->retry_max_ms;
        } else {
            wait = backoff_ms(opts, n, &rng);
        }
        logf_(opts, "  retry %d/%d in %.1f s: %s", n + 1, max, (double)wait / 1000.0,
              last.message);
        sleep_ms(wait);
    }
    goto done;
oom:
    error = clb__error_set(err, CLB_ENOMEM, "out of memory");
done:
    clb_buf_dispose(&line);
    curl_slist_free_all(headers);
    if (h)
        curl_easy_cleanup(h);
    return error;
}
