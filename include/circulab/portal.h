/*
 * portal.h - the employer portal (docs/PORTAL.md §8): employers' access tokens and the
 * HTTP server (`circulab serve`) where each employer submits and withdraws its own
 * vacancies and follows its own placements. docs/PORTAL.md describes the API.
 *
 * A token is "ID.SECRET" (URL-safe): the database keeps the public ID and a SHA-256
 * hash of the secret, never the token, which is shown once, when it is made.
 */
#ifndef CIRCULAB_PORTAL_H
#define CIRCULAB_PORTAL_H

#include "common.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Make a token for an employer of the database.
 *
 * token:    receives the token text (shown once: it is not stored)
 * employer: an employer id of the database
 * label:    unique per employer; NULL or "" for the token's id
 * Audited as "token.add" (with the id and label, never the token).
 * Returns 0, CLB_ENOTFOUND (no such employer), CLB_EEXISTS (the employer has a token
 * with this label), CLB_EINVAL (a label over 64 bytes or with control characters),
 * CLB_EDB, CLB_EINTERNAL (no randomness) or CLB_ENOMEM.
 */
CLB_EXTERN int clb_store_token_add(clb_buf *token, clb_store *store, const char *employer,
                                   const char *label, clb_error *err);

/*
 * Render the tokens: one line each "ID LABEL EMPLOYER created DAY last-used DAY|never",
 * or with CLB_STORE_JSON an array of {id, label, employer, created, last_used}.
 * Days only (YYYY-MM-DD); never the token.
 */
CLB_EXTERN int clb_store_token_list(clb_buf *out, clb_store *store, unsigned flags, clb_error *err);

/*
 * Revoke a token by its id or its label; requests with it are refused at once. A
 * label that several employers use is ambiguous: give the id.
 * revoked: receives "ID (EMPLOYER/LABEL)" of the revoked token (may be NULL)
 * Returns 0, CLB_ENOTFOUND, CLB_EINVAL (ambiguous label), CLB_EDB or CLB_ENOMEM.
 */
CLB_EXTERN int clb_store_token_revoke(clb_buf *revoked, clb_store *store, const char *id_or_label,
                                      clb_error *err);

/* ---- the server ------------------------------------------------------------------- */

typedef struct clb_server clb_server;

/* How the server runs. Fill with clb_server_opts_init, then change what you need. */
typedef struct clb_server_opts {
    const char *db_path;      /* the database (required) */
    const char *host;         /* address to listen on; default "127.0.0.1" */
    int port;                 /* default 8080; 0 picks a free port */
    const char *tls_cert;     /* PEM file paths: both or neither (then plain HTTP) */
    const char *tls_key;
    unsigned threads;         /* worker threads; default 4 */
    unsigned max_connections; /* open connections at once; default 256 */
    unsigned per_ip;          /* open connections per client address, 0 for no such
                                 cap (connections over it are closed unanswered);
                                 default 64 */
    unsigned timeout_secs;    /* an idle or slow connection is closed after; 30 */
    size_t max_body;          /* request bodies above are 413; default 1 MiB */
    double rate;              /* requests per second allowed per token; default 20 */
    double burst;             /* a token's bucket; default 200 requests */
    double busy_secs;         /* a change waits this long for another writer (a round
                                 run, an import), then answers 503 + Retry-After;
                                 default 30 */
    /*
     * One line per request, called from the server's threads (never at once from two:
     * the server serialises calls): "METHOD PATH STATUS EMPLOYER MS" — the path
     * without its query, "-" for no employer. Never a token, a body or a name.
     */
    void (*log)(const char *line, void *payload);
    void *payload;
} clb_server_opts;

CLB_EXTERN void clb_server_opts_init(clb_server_opts *opts);

/*
 * Open the database and start serving in the background.
 * out: receives the server (stop and release with clb_server_stop)
 * Returns 0, CLB_EINVAL (bad options, unreadable TLS files), CLB_EIO (cannot listen:
 * err says why), CLB_EDB, CLB_ENOMEM.
 */
CLB_EXTERN int clb_server_start(clb_server **out, const clb_server_opts *opts, clb_error *err);

/* "http://HOST:PORT" (https with TLS) with the port actually bound. Borrowed. */
CLB_EXTERN const char *clb_server_url(const clb_server *server);

/*
 * Stop accepting connections, let the requests in flight finish (up to `grace_secs`),
 * then stop and release everything. Accepts NULL.
 */
CLB_EXTERN void clb_server_stop(clb_server *server, unsigned grace_secs);

#ifdef __cplusplus
}
#endif
#endif
