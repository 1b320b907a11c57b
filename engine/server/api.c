/*
 * api.c - the portal's JSON API under /api/v1 (docs/PORTAL.md §8), for one employer at a
 * time: the employer with its sites, its vacancies (read, submit, replace, withdraw)
 * and its placements of the open season's latest round.
 *
 * Each route authenticates the bearer token (http.c), then reads through the store's
 * portal functions or submits through submit.c, and answers in JSON; errors are
 * {"error": message}, a submission's invalid records {"errors": [...]} with their
 * JSON paths. Reads never write (apart from a token's day of last use).
 */
#include "server/server_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scenario/diags.h"
#include "io/json.h"

#define JSON_TYPE "application/json"

/* ---- the routes --------------------------------------------------------------------- */

static void submit_response(srv_response *res, srv_submit *s)
{
    if (s->status == 200 || s->status == 201) {
        const char *p = s->ids.ptr ? s->ids.ptr : "";
        bool first = true;
        res->status = s->status;
        res->content_type = JSON_TYPE;
        clb__buf_puts(&res->body, "{\"stored\": [");
        while (*p) {
            const char *e = strchr(p, '\n');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            char id[128];
            snprintf(id, sizeof(id), "%.*s", (int)n, p);
            clb__buf_puts(&res->body, first ? "" : ", ");
            clb__buf_put_json_string(&res->body, id);
            first = false;
            p += n + (e ? 1 : 0);
        }
        clb__buf_puts(&res->body, "]}\n");
    } else if (s->status == 422) {
        res->status = 422;
        res->content_type = JSON_TYPE;
        clb__buf_puts(&res->body, "{\"errors\": [");
        for (size_t i = 0; i < clb_diags_count(s->diags); i++) {
            const clb_diag *d = clb_diags_get(s->diags, i);
            clb__buf_puts(&res->body, i ? ",\n  {\"path\": " : "\n  {\"path\": ");
            clb__buf_put_json_string(&res->body, d->path && *d->path ? d->path : "$");
            clb__buf_puts(&res->body, ", \"rule\": ");
            clb__buf_put_json_string(&res->body, d->rule && *d->rule ? d->rule : "invalid");
            clb__buf_puts(&res->body, ", \"message\": ");
            clb__buf_put_json_string(&res->body, d->message ? d->message : "");
            clb__buf_puts(&res->body, "}");
        }
        clb__buf_puts(&res->body, "\n]}\n");
    } else {
        clb__srv_json_error(res, s->status, s->message.ptr ? s->message.ptr : "error");
        if (s->status == 503)
            res->retry_after = 1;
    }
}

static int db_failure(srv_response *res, int error, const clb_error *err)
{
    if (error == CLB_ENOTFOUND)
        clb__srv_json_error(res, 404, err->message);
    else if (error == CLB_ESTATE)
        clb__srv_json_error(res, 409, err->message);
    else if (error == CLB_EDB) {
        clb__srv_json_error(res, 503, "the database is busy; try again");
        res->retry_after = 1;
    } else
        clb__srv_json_error(res, 500, err->message);
    return 0;
}

static int method_not_allowed(srv_response *res)
{
    clb__srv_json_error(res, 405, "method not allowed on this path");
    return 0;
}

static const char *bearer(const char *h)
{
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return NULL;
    h += 7;
    while (*h == ' ')
        h++;
    return h;
}

static int api(srv_ctx *ctx, const srv_request *req, srv_response *res)
{
    static const char VAC[] = "/api/v1/vacancies/";
    clb__portal_who who;
    clb_error err;
    const char *m = req->method, *p = req->path;
    int error;

    clb_error_init(&err);
    if (strcmp(p, "/api/v1/openapi.json") == 0) {
        if (strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0)
            return method_not_allowed(res);
        res->status = 200;
        res->content_type = JSON_TYPE;
        clb__openapi_json(&res->body);
        return 0;
    }
    if (strcmp(p, "/api/v1/employer") != 0 && strcmp(p, "/api/v1/vacancies") != 0 &&
        strcmp(p, "/api/v1/placements") != 0 &&
        !(strncmp(p, VAC, sizeof(VAC) - 1) == 0 && p[sizeof(VAC) - 1] &&
          !strchr(p + sizeof(VAC) - 1, '/'))) {
        clb__srv_json_error(res, 404, "no such path");
        return 0;
    }
    if (clb__srv_authenticate(ctx, bearer(req->authorization), &who, res, true,
                              strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0) != 0)
        return 0;

    if (strcmp(p, "/api/v1/employer") == 0) {
        if (strcmp(m, "GET") != 0)
            return method_not_allowed(res);
        res->content_type = JSON_TYPE;
        if ((error = clb__portal_employer_json(&res->body, ctx->store, who.employer,
                                               &err)) < 0)
            return db_failure(res, error, &err);
        clb__buf_puts(&res->body, "\n");
        res->status = 200;
    } else if (strcmp(p, "/api/v1/placements") == 0) {
        if (strcmp(m, "GET") != 0)
            return method_not_allowed(res);
        res->content_type = JSON_TYPE;
        clb__buf_puts(&res->body, "{\"placements\": ");
        if ((error = clb__portal_placements_json(&res->body, ctx->store, who.employer,
                                                 &err)) < 0)
            return db_failure(res, error, &err);
        clb__buf_puts(&res->body, "}\n");
        res->status = 200;
    } else if (strcmp(p, "/api/v1/vacancies") == 0) {
        if (strcmp(m, "GET") == 0) {
            res->content_type = JSON_TYPE;
            if ((error = clb__portal_vacancies_json(&res->body, ctx->store, who.employer,
                                                    &err)) < 0)
                return db_failure(res, error, &err);
            res->status = 200;
        } else if (strcmp(m, "POST") == 0) {
            srv_submit s;
            clb__srv_submit_init(&s);
            clb__srv_submit(&s, ctx, &who, req->body, req->body_len, NULL);
            submit_response(res, &s);
            clb__srv_submit_dispose(&s);
        } else {
            method_not_allowed(res);
        }
    } else {
        const char *id = p + sizeof(VAC) - 1;
        if (strcmp(m, "GET") == 0) {
            res->content_type = JSON_TYPE;
            if ((error = clb__portal_vacancy_json(&res->body, ctx->store, who.employer, id,
                                                  &err)) < 0)
                return db_failure(res, error, &err);
            clb__buf_puts(&res->body, "\n");
            res->status = 200;
        } else if (strcmp(m, "PUT") == 0) {
            srv_submit s;
            clb_buf owner = CLB_BUF_INIT;
            /* another employer's id: 404 before anything else is said about the body */
            error = clb__portal_vacancy_owner(&owner, ctx->store, id, &err);
            if (error == 0 && strcmp(owner.ptr, who.employer) != 0) {
                clb_buf_dispose(&owner);
                clb__srv_json_error(res, 404, "no such vacancy");
                return 0;
            }
            clb_buf_dispose(&owner);
            clb__srv_submit_init(&s);
            clb__srv_submit(&s, ctx, &who, req->body, req->body_len, id);
            submit_response(res, &s);
            clb__srv_submit_dispose(&s);
        } else if (strcmp(m, "DELETE") == 0) {
            clb_buf actor = CLB_BUF_INIT;
            clb__buf_printf(&actor, "employer:%s/%s", who.employer, who.label);
            clb_store_set_actor(ctx->store, actor.ptr);
            clb_buf_dispose(&actor);
            if ((error = clb__portal_withdraw(ctx->store, who.employer, id, &err)) < 0) {
                if (error == CLB_ENOTFOUND)
                    clb__srv_json_error(res, 404, "no such vacancy");
                else
                    db_failure(res, error, &err);
                return 0;
            }
            res->status = 200;
            res->content_type = JSON_TYPE;
            clb__buf_puts(&res->body, "{\"withdrawn\": ");
            clb__buf_put_json_string(&res->body, id);
            clb__buf_puts(&res->body, "}\n");
        } else {
            method_not_allowed(res);
        }
    }
    return 0;
}

void clb__api_handle(srv_ctx *ctx, const srv_request *req, srv_response *res)
{
    api(ctx, req, res);
}
