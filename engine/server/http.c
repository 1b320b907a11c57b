/*
 * http.c - what every handler of the portal uses to answer (docs/PORTAL.md §8):
 * setting a response, a JSON error, signing in with a token under the per-token
 * rate limit, and the CSRF token of a session.
 *
 * The bottom of engine/server/: api.c and pages.c answer through it, server.c (the
 * daemon, on top) owns the state it reads (the rate limiter's buckets, the CSRF key)
 * and dispatches to them, so calls only go down. The rate limit is a token bucket
 * per token, behind the server's lock.
 */
#include "server/server_impl.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "io/json.h"
#include "io/token.h"

void clb__srv_set(srv_response *res, int status, const char *content_type, const char *text)
{
    res->status = status;
    res->content_type = content_type;
    clb__buf_clear(&res->body);
    clb__buf_puts(&res->body, text ? text : "");
}

void clb__srv_json_error(srv_response *res, int status, const char *message)
{
    res->status = status;
    res->content_type = "application/json";
    clb__buf_clear(&res->body);
    clb__buf_puts(&res->body, "{\"error\": ");
    clb__buf_put_json_string(&res->body, message);
    clb__buf_puts(&res->body, "}\n");
}

/* Take one unit from the token's bucket; 0, or the seconds to wait. */
static int rate_take(srv_server *s, const char *id)
{
    double now = clb__now_seconds();
    bucket *b = NULL;
    int wait = 0;
    if (s->opts.rate <= 0)
        return 0;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->n_buckets && !b; i++)
        if (strcmp(s->buckets[i].id, id) == 0)
            b = &s->buckets[i];
    if (!b) {
        if (s->n_buckets == MAX_BUCKETS) {
            /* forget the fullest bucket: it would allow a whole burst anyway */
            size_t k = 0;
            for (size_t i = 1; i < s->n_buckets; i++)
                if (s->buckets[i].tokens > s->buckets[k].tokens)
                    k = i;
            s->buckets[k] = s->buckets[--s->n_buckets];
        }
        b = &s->buckets[s->n_buckets++];
        snprintf(b->id, sizeof(b->id), "%s", id);
        b->tokens = s->opts.burst;
        b->at = now;
    }
    b->tokens = fmin(s->opts.burst, b->tokens + (now - b->at) * s->opts.rate);
    b->at = now;
    if (b->tokens >= 1)
        b->tokens -= 1;
    else
        wait = (int)ceil((1 - b->tokens) / s->opts.rate);
    pthread_mutex_unlock(&s->lock);
    return wait < 0 ? 0 : wait;
}

int clb__srv_authenticate(srv_ctx *ctx, const char *token, clb__portal_who *who,
                          srv_response *res, bool json, bool changes)
{
    clb_error err;
    int error, wait;
    clb_error_init(&err);
    if (!token || !*token) {
        error = CLB_ENOTFOUND;
    } else {
        error = clb__portal_auth(who, ctx->store, token, changes, &err);
    }
    if (error == CLB_ENOTFOUND) {
        if (json)
            clb__srv_json_error(res, 401, "missing, unknown or revoked token");
        else
            clb__srv_set(res, 401, "text/plain; charset=utf-8", "sign in\n");
        return 401;
    }
    if (error < 0) {
        if (json)
            clb__srv_json_error(res, 503, "the database is busy; try again");
        else
            clb__srv_set(res, 503, "text/plain; charset=utf-8", "busy: try again\n");
        res->retry_after = 1;
        return 503;
    }
    snprintf(res->employer, sizeof(res->employer), "%s", who->employer);
    if ((wait = rate_take(ctx->server, who->token_id)) > 0) {
        if (json)
            clb__srv_json_error(res, 429, "too many requests with this token");
        else
            clb__srv_set(res, 429, "text/plain; charset=utf-8", "too many requests\n");
        res->retry_after = wait;
        return 429;
    }
    return 0;
}

void clb__srv_csrf(srv_ctx *ctx, const char *seed, char out[64])
{
    if (clb__token_mac(out, 64, ctx->server->csrf_key, seed ? seed : "") < 0)
        out[0] = '\0';
}
