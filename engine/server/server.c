/*
 * server.c - the portal's HTTP server (docs/PORTAL.md §8) on GNU libmicrohttpd, the only
 * file that includes microhttpd.h.
 *
 * libmicrohttpd owns the sockets: a pool of threads each polling its share of the
 * connections, a cap on connections (overall and per client address), a timeout
 * after which an idle or slow connection is closed, and optional TLS. This file turns
 * each request into a srv_request, reads its body up to the cap (413 beyond it, as
 * early as the announced length allows), hands it to api.c or pages.c and sends
 * their srv_response with the security headers every answer carries.
 *
 * Each request borrows one of a pool of database connections (one per thread, so a
 * handler never waits for another's connection); SQLite's WAL lets readers run while
 * a writer (a `round run` of the CLI, say) holds the write lock, and writers queue
 * on the store's busy timeout instead of failing. The per-token rate limit (a token
 * bucket) and the CSRF key are the server's, used by the handlers through http.c.
 * Stopping quiesces the daemon (no new connections), waits for the requests
 * in flight, then stops it. Nothing here prints: one log line per request goes to
 * the caller's callback.
 */
#include "server/server_impl.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "io/json.h"
#include "io/token.h"
#include "util/alloc.h"

struct clb_server {
    srv_server core;
    struct MHD_Daemon *daemon;
    char url[128];
    bool tls;
    clb_buf cert, key;
};

/* One request's state, kept by libmicrohttpd between the calls of a request. */
typedef struct conn_req {
    double t0;
    clb_buf body;
    bool too_big;
    bool responded;
    int status;
    char method[16];
    char path[256];
    char employer[72];
} conn_req;

void clb_server_opts_init(clb_server_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->host = "127.0.0.1";
    o->port = 8080;
    o->threads = 4;
    o->max_connections = 256;
    o->per_ip = 64;
    o->timeout_secs = 30;
    o->max_body = 1024 * 1024;
    o->rate = 20;
    o->burst = 200;
    o->busy_secs = 30;
}

/* ---- the database pool ------------------------------------------------------------- */

static clb_store *pool_take(srv_server *s)
{
    clb_store *st = NULL;
    pthread_mutex_lock(&s->lock);
    for (;;) {
        for (size_t i = 0; i < s->n_pool && !st; i++)
            if (!s->busy[i]) {
                s->busy[i] = true;
                st = s->pool[i];
            }
        if (st)
            break;
        pthread_cond_wait(&s->freed, &s->lock);
    }
    pthread_mutex_unlock(&s->lock);
    return st;
}

static void pool_give(srv_server *s, clb_store *st)
{
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->n_pool; i++)
        if (s->pool[i] == st)
            s->busy[i] = false;
    pthread_cond_signal(&s->freed);
    pthread_mutex_unlock(&s->lock);
}

/* ---- HTTP ------------------------------------------------------------------------- */

static void add_common_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; form-action 'self'; frame-ancestors 'none'");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cache-Control", "no-store");
}

static enum MHD_Result send_response(struct MHD_Connection *c, conn_req *cr,
                                     srv_response *res)
{
    struct MHD_Response *r;
    enum MHD_Result ret;
    char num[32];
    r = MHD_create_response_from_buffer(res->body.size, res->body.ptr ? res->body.ptr : (char *)"",
                                        MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    add_common_headers(r);
    if (res->content_type)
        MHD_add_response_header(r, "Content-Type", res->content_type);
    if (res->location[0])
        MHD_add_response_header(r, "Location", res->location);
    for (int i = 0; i < SRV_MAX_COOKIES; i++)
        if (res->set_cookie[i][0])
            MHD_add_response_header(r, "Set-Cookie", res->set_cookie[i]);
    if (res->retry_after > 0) {
        snprintf(num, sizeof(num), "%d", res->retry_after);
        MHD_add_response_header(r, "Retry-After", num);
    }
    ret = MHD_queue_response(c, (unsigned)res->status, r);
    MHD_destroy_response(r);
    cr->responded = true;
    cr->status = res->status;
    snprintf(cr->employer, sizeof(cr->employer), "%s", res->employer);
    return ret;
}

static enum MHD_Result send_simple(struct MHD_Connection *c, conn_req *cr, int status,
                                   const char *message)
{
    srv_response res;
    enum MHD_Result ret;
    memset(&res, 0, sizeof(res));
    clb__srv_json_error(&res, status, message);
    ret = send_response(c, cr, &res);
    clb_buf_dispose(&res.body);
    return ret;
}

/* The path for the log: printable ASCII only, without a query. */
static void log_path(char *out, size_t n, const char *url)
{
    size_t k = 0;
    for (const char *p = url; *p && *p != '?' && k + 1 < n; p++)
        out[k++] = (*p > 0x20 && *p < 0x7f) ? *p : '_';
    out[k] = '\0';
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
{
    clb_server *sv = cls;
    srv_server *s = &sv->core;
    conn_req *cr = *con_cls;
    srv_request req;
    srv_response res;
    srv_ctx ctx;
    enum MHD_Result ret;
    (void)version;

    if (!cr) {
        const char *cl;
        if (!(cr = clb__calloc(1, sizeof(*cr))))
            return MHD_NO;
        cr->t0 = clb__now_seconds();
        snprintf(cr->method, sizeof(cr->method), "%s", method);
        log_path(cr->path, sizeof(cr->path), url);
        *con_cls = cr;
        pthread_mutex_lock(&s->lock);
        s->inflight++;
        pthread_mutex_unlock(&s->lock);
        cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > s->opts.max_body) {
            /* refuse before reading: libmicrohttpd closes the connection after this */
            cr->too_big = true;
            return send_simple(c, cr, 413, "request body over the limit");
        }
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (!cr->too_big && !cr->responded) {
            if (cr->body.size + *upload_size > s->opts.max_body) {
                cr->too_big = true;
                clb_buf_dispose(&cr->body);
            } else if (clb__buf_put(&cr->body, upload, *upload_size) < 0) {
                return MHD_NO;
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (cr->responded)
        return MHD_YES;
    if (cr->too_big)
        return send_simple(c, cr, 413, "request body over the limit");

    memset(&req, 0, sizeof(req));
    memset(&res, 0, sizeof(res));
    req.method = method;
    req.path = url;
    req.authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                    MHD_HTTP_HEADER_AUTHORIZATION);
    req.cookie = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE);
    req.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                   MHD_HTTP_HEADER_CONTENT_TYPE);
    req.body = cr->body.ptr ? cr->body.ptr : "";
    req.body_len = cr->body.size;
    req.tls = sv->tls;
    ctx.server = s;
    ctx.store = pool_take(s);
    if (strncmp(url, "/api/", 5) == 0 || strcmp(url, "/api") == 0)
        clb__api_handle(&ctx, &req, &res);
    else
        clb__pages_handle(&ctx, &req, &res);
    clb_store_set_actor(ctx.store, "unknown");
    pool_give(s, ctx.store);
    if (res.status == 0)
        clb__srv_json_error(&res, 500, "no answer");
    ret = send_response(c, cr, &res);
    clb_buf_dispose(&res.body);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    clb_server *sv = cls;
    srv_server *s = &sv->core;
    conn_req *cr = *con_cls;
    char line[512];
    (void)c;
    (void)toe;
    if (!cr)
        return;
    *con_cls = NULL;
    snprintf(line, sizeof(line), "%s %s %d %s %.0fms", cr->method, cr->path,
             cr->responded ? cr->status : 0, cr->employer[0] ? cr->employer : "-",
             (clb__now_seconds() - cr->t0) * 1000.0);
    pthread_mutex_lock(&s->lock);
    if (s->opts.log)
        s->opts.log(line, s->opts.payload);
    s->inflight--;
    pthread_mutex_unlock(&s->lock);
    clb_buf_dispose(&cr->body);
    clb__free(cr);
}

/* ---- start and stop ----------------------------------------------------------------- */

static void core_dispose(srv_server *s)
{
    for (size_t i = 0; i < s->n_pool; i++)
        clb_store_close(s->pool[i]);
    clb__free(s->pool);
    clb__free(s->busy);
    clb__free(s->buckets);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->freed);
}

int clb_server_start(clb_server **out, const clb_server_opts *opts, clb_error *err)
{
    clb_server *sv = NULL;
    srv_server *s;
    struct addrinfo hints, *ai = NULL;
    char port[16];
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_AUTO;
    const union MHD_DaemonInfo *info;
    int error = 0, gai;
    bool v6;

    *out = NULL;
    if (!opts->db_path)
        return clb__error_set(err, CLB_EINVAL, "no database");
    if (opts->port < 0 || opts->port > 65535)
        return clb__error_set(err, CLB_EINVAL, "port %d is not between 0 and 65535",
                             opts->port);
    if (!opts->tls_cert != !opts->tls_key)
        return clb__error_set(err, CLB_EINVAL, "give both --tls-cert and --tls-key, or neither");
    if (!(sv = clb__calloc(1, sizeof(*sv))))
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    s = &sv->core;
    s->opts = *opts;
    if (!s->opts.host || !*s->opts.host)
        s->opts.host = "127.0.0.1";
    if (s->opts.threads == 0)
        s->opts.threads = 1;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->freed, NULL);
    s->n_pool = s->opts.threads;
    s->pool = clb__calloc(s->n_pool, sizeof(*s->pool));
    s->busy = clb__calloc(s->n_pool, sizeof(*s->busy));
    s->buckets = clb__calloc(MAX_BUCKETS, sizeof(*s->buckets));
    if (!s->pool || !s->busy || !s->buckets) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }
    if (clb__token_random_url(s->csrf_key, 32, sizeof(s->csrf_key)) < 0) {
        error = clb__error_set(err, CLB_EINTERNAL, "no randomness for the csrf key");
        goto done;
    }
    for (size_t i = 0; i < s->n_pool; i++) {
        if ((error = clb_store_open(&s->pool[i], opts->db_path, 0, err)) < 0)
            goto done;
        clb_store_set_busy_timeout(s->pool[i], opts->busy_secs > 0 ? opts->busy_secs : 30);
    }
    if (opts->tls_cert) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
            error = clb__error_set(err, CLB_EINVAL, "this libmicrohttpd has no tls support");
            goto done;
        }
        if ((error = clb__file_read_all(&sv->cert, opts->tls_cert, err)) < 0 ||
            (error = clb__file_read_all(&sv->key, opts->tls_key, err)) < 0)
            goto done;
        sv->tls = true;
        flags |= MHD_USE_TLS;
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(port, sizeof(port), "%d", opts->port);
    if ((gai = getaddrinfo(s->opts.host, port, &hints, &ai)) != 0 || !ai) {
        error = clb__error_set(err, CLB_EINVAL, "cannot listen on '%s': %s", s->opts.host,
                              gai_strerror(gai));
        goto done;
    }
    v6 = ai->ai_family == AF_INET6;
    if (v6)
        flags |= MHD_USE_IPv6;
    {
        struct MHD_OptionItem tls_opts[] = {
            {MHD_OPTION_HTTPS_MEM_CERT, 0, sv->cert.ptr},
            {MHD_OPTION_HTTPS_MEM_KEY, 0, sv->key.ptr},
            {MHD_OPTION_END, 0, NULL},
        };
        sv->daemon = MHD_start_daemon(
            flags, (uint16_t)opts->port, NULL, NULL, on_request, sv,
            MHD_OPTION_SOCK_ADDR, ai->ai_addr,
            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->opts.threads,
            MHD_OPTION_CONNECTION_LIMIT, (unsigned)s->opts.max_connections,
            MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)s->opts.per_ip,
            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)s->opts.timeout_secs,
            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
            MHD_OPTION_NOTIFY_COMPLETED, on_completed, sv,
            MHD_OPTION_ARRAY, sv->tls ? tls_opts : &tls_opts[2],
            MHD_OPTION_END);
    }
    if (!sv->daemon) {
        error = clb__error_set(err, CLB_EIO, "cannot listen on %s port %d (in use, or not "
                              "an address of this machine)", s->opts.host, opts->port);
        goto done;
    }
    info = MHD_get_daemon_info(sv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(sv->url, sizeof(sv->url), "%s://%s%s%s:%u", sv->tls ? "https" : "http",
             v6 ? "[" : "", s->opts.host, v6 ? "]" : "",
             info ? (unsigned)info->port : (unsigned)opts->port);
done:
    if (ai)
        freeaddrinfo(ai);
    if (error < 0) {
        core_dispose(s);
        clb_buf_dispose(&sv->cert);
        clb_buf_dispose(&sv->key);
        clb__free(sv);
        return error;
    }
    *out = sv;
    return 0;
}

const char *clb_server_url(const clb_server *sv)
{
    return sv->url;
}

void clb_server_stop(clb_server *sv, unsigned grace_secs)
{
    double until;
    MHD_socket fd;
    if (!sv)
        return;
    /* no new connections; the requests in flight finish */
    fd = MHD_quiesce_daemon(sv->daemon);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    until = clb__now_seconds() + grace_secs;
    for (;;) {
        long n;
        pthread_mutex_lock(&sv->core.lock);
        n = sv->core.inflight;
        pthread_mutex_unlock(&sv->core.lock);
        if (n <= 0 || clb__now_seconds() > until)
            break;
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    }
    MHD_stop_daemon(sv->daemon);
    core_dispose(&sv->core);
    if (sv->key.ptr)
        memset(sv->key.ptr, 0, sv->key.size);
    clb_buf_dispose(&sv->cert);
    clb_buf_dispose(&sv->key);
    clb__free(sv);
}
