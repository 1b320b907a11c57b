/*
 * server_impl.h - what the files of the portal server share (engine/server/).
 *
 * server.c speaks HTTP through libmicrohttpd (the only file that includes it) and
 * turns each request into a srv_request; api.c (the JSON API), pages.c (the web
 * pages) and openapi.c answer it by filling a srv_response, without knowing the
 * HTTP library. A handler runs on one of the server's threads with a database
 * connection of its own (srv_ctx.store), so handlers share nothing but the rate
 * limiter and the server's CSRF key, both behind http.c's functions.
 *
 * Calls go one way: server.c -> api.c, pages.c -> submit.c (a submission of
 * vacancies, shared by both) -> http.c (responses, sign-in, CSRF) at the bottom.
 */
#ifndef CLB_SERVER_IMPL_H
#define CLB_SERVER_IMPL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "circulab/portal.h"
#include "store/portal.h"
#include "util/util.h"

typedef struct srv_request {
    const char *method;        /* "GET", "POST", ... */
    const char *path;          /* without the query */
    const char *authorization; /* header values, NULL when absent */
    const char *cookie;
    const char *content_type;
    const char *body;          /* NUL-terminated copy of the body ("" when none) */
    size_t body_len;
    bool tls;
} srv_request;

#define SRV_MAX_COOKIES 2

typedef struct srv_response {
    int status;
    const char *content_type;  /* a static string */
    clb_buf body;
    char location[512];        /* Location header of a redirect, "" when none */
    char set_cookie[SRV_MAX_COOKIES][512];
    int retry_after;           /* seconds, 0 when none */
    char employer[72];         /* for the request log, "" when none */
} srv_response;

/* Tokens whose rate is tracked at once; beyond, the fullest bucket is forgotten. */
#define MAX_BUCKETS 4096

typedef struct bucket {
    char id[24];
    double tokens;
    double at; /* monotonic seconds of the last refill */
} bucket;

/* The server's state that outlives a request (server.c creates it); the handlers
 * reach the rate limiter and the CSRF key through http.c. */
typedef struct srv_server {
    clb_server_opts opts;
    char csrf_key[64];
    pthread_mutex_t lock;  /* the pool, the buckets, the in-flight count, the log */
    pthread_cond_t freed;
    clb_store **pool;
    bool *busy;
    size_t n_pool;
    bucket *buckets;
    size_t n_buckets;
    long inflight;
} srv_server;

typedef struct srv_ctx {
    srv_server *server;
    clb_store *store;
} srv_ctx;

/* ---- http.c ---------------------------------------------------------------------- */

/* Check a token (from the Authorization header or the cookie) and its rate:
 * 0 with *who filled; otherwise the response is filled (401 or 429) and the return
 * is the status. */
int clb__srv_authenticate(srv_ctx *ctx, const char *token, clb__portal_who *who,
                          srv_response *res, bool json, bool changes);

/* The CSRF token of a signed-in token (HMAC of the server's key): 44 characters. */
void clb__srv_csrf(srv_ctx *ctx, const char *seed, char out[64]);

/* Set a response: status, content type and body text (copied). */
void clb__srv_set(srv_response *res, int status, const char *content_type,
                  const char *text);

/* A JSON error response {"error": message}. */
void clb__srv_json_error(srv_response *res, int status, const char *message);

/* ---- the handlers ------------------------------------------------------------------ */

/* The JSON API under /api/v1 (api.c). */
void clb__api_handle(srv_ctx *ctx, const srv_request *req, srv_response *res);

/* The web pages (pages.c): /, /vacancies..., /placements, /style.css. */
void clb__pages_handle(srv_ctx *ctx, const srv_request *req, srv_response *res);

/* Append the OpenAPI 3.0 description of the API (openapi.c). */
void clb__openapi_json(clb_buf *out);

/* ---- submit.c ------------------------------------------------------------------- */

/* What a submission of vacancies through the portal did (for the API and the
 * pages): status 201 with the ids, 403, 404, 409, 422 with the errors, ... */
typedef struct srv_submit {
    int status;
    clb_buf ids;      /* stored ids, one per line */
    clb_buf message;  /* for statuses other than 201 and 422 */
    clb_diags *diags; /* 422: each error with path, rule, message */
    bool created;     /* a PUT created the vacancy */
    bool pending;     /* the portal's rules found errors (in diags): store nothing */
} srv_submit;

void clb__srv_submit_init(srv_submit *s);
void clb__srv_submit_dispose(srv_submit *s);

/* Submit a body (one vacancy or a circulab-offers/1 document) as the employer
 * `who`. With `put_id`, the body is one vacancy replacing vacancy put_id. */
void clb__srv_submit(srv_submit *out, srv_ctx *ctx, const clb__portal_who *who,
                     const char *body, size_t len, const char *put_id);

#endif
