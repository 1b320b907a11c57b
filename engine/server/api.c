/*
 * api.c - the portal's JSON API under /api/v1 (docs/PORTAL.md §8), for one employer at a
 * time: the employer with its sites, its vacancies (read, submit, replace, withdraw)
 * and its placements of the open season's latest round.
 *
 * A submission goes through the same reader and the same all-or-nothing write as
 * `circulab vacancy submit` (offers_impl.h): what a valid vacancy is is decided in
 * one place. Before it, the portal's own rules are checked on the parsed body: a
 * vacancy or an `employers` entry naming another employer is 403, another employer's
 * vacancy id is 404 (as if it did not exist), a new id without the employer's prefix
 * is 422. Inside the write transaction, the database's rules on placements (409) and
 * the audit rows are added by store_portal.c, so a change is one transaction with
 * its audit entry. Reads never write (apart from a token's day of last use).
 */
#include "server/server_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scenario/diags.h"
#include "io/json.h"
#include "offers/offers_impl.h"

#define JSON_TYPE "application/json"

void clb__srv_submit_init(srv_submit *s)
{
    memset(s, 0, sizeof(*s));
}

void clb__srv_submit_dispose(srv_submit *s)
{
    clb_buf_dispose(&s->ids);
    clb_buf_dispose(&s->message);
    clb_diags_free(s->diags);
    memset(s, 0, sizeof(*s));
}

/* Inside the write transaction: refuse when the portal's own rules found errors (so
 * that they are reported together with the reader's), else the database's rules. */
static int after_write(clb_store *st, const char *const *ids, size_t n, void *payload,
                       clb_error *err)
{
    const srv_submit *s = payload;
    if (s->pending)
        return clb__error_set(err, CLB_EINVAL, "invalid vacancy ids");
    return clb__portal_after_write(st, ids, n, err);
}

static void fail(srv_submit *out, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(srv_submit *out, int status, const char *fmt, ...)
{
    va_list ap;
    out->status = status;
    clb__buf_clear(&out->message);
    va_start(ap, fmt);
    clb__buf_vprintf(&out->message, fmt, ap);
    va_end(ap);
}

/* A 422 error of the portal's own rules. */
static void invalid(srv_submit *out, const char *path, const char *rule, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));
static void invalid(srv_submit *out, const char *path, const char *rule, const char *fmt,
                    ...)
{
    clb_buf msg = CLB_BUF_INIT;
    va_list ap;
    out->status = 422;
    va_start(ap, fmt);
    clb__buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    if (out->diags || clb_diags_new(&out->diags) == 0)
        clb__diags_add(out->diags, "request", path, rule, 0, 0, "%s", msg.ptr ? msg.ptr : "");
    clb_buf_dispose(&msg);
}

/* The portal's rules on one vacancy object of the body (at `path`). */
static void check_vacancy(srv_submit *out, srv_ctx *ctx, const clb__portal_who *who,
                          const clb_json *v, const char *path)
{
    const char *emp = clb__json_string(clb__json_object_get(v, "employer"));
    const char *id = clb__json_string(clb__json_object_get(v, "id"));
    clb_buf owner = CLB_BUF_INIT, where = CLB_BUF_INIT;
    clb_error err;
    size_t n = strlen(who->employer);
    int error;
    if (!clb_json_is_object(v))
        return; /* the reader says what is wrong */
    if (emp && strcmp(emp, who->employer) != 0) {
        fail(out, 403, "%s.employer: vacancy names employer '%s', not yours", path, emp);
        return;
    }
    if (!id)
        return;
    clb_error_init(&err);
    error = clb__portal_vacancy_owner(&owner, ctx->store, id, &err);
    if (error == 0 && strcmp(owner.ptr, who->employer) != 0) {
        fail(out, 404, "no vacancy '%s'", id);
    } else if (error == CLB_ENOTFOUND &&
               !(strncmp(id, who->employer, n) == 0 && id[n] == '-' && id[n + 1])) {
        clb__buf_printf(&where, "%s.id", path);
        invalid(out, where.ptr, "portal-id",
                "id '%s' of a new vacancy must begin with '%s-'", id, who->employer);
        /* reported with the reader's errors: see after_write */
        out->status = 0;
        out->pending = true;
    } else if (error < 0 && error != CLB_ENOTFOUND) {
        fail(out, 503, "the database is busy; try again");
    }
    clb_buf_dispose(&owner);
    clb_buf_dispose(&where);
}

/* Name the token's employer on every vacancy object that names none, so that a
 * vacancy is the employer's whether it is new, merged or replaced. */
static int own_employer(clb_json *root, const char *employer)
{
    clb_json *list = root;
    if (clb_json_is_object(root) && clb__json_object_get(root, "format"))
        list = clb__json_object_get_mut(root, "vacancies");
    else if (clb_json_is_object(root)) {
        list = NULL;
        if (!clb__json_object_get(root, "employer"))
            return clb__json_object_set(root, "employer", clb__json_new_string(employer));
    }
    for (size_t i = 0; i < clb__json_array_size(list); i++) {
        clb_json *v = clb__json_array_get_mut(list, i);
        if (clb_json_is_object(v) && !clb__json_object_get(v, "employer") &&
            clb__json_object_set(v, "employer", clb__json_new_string(employer)) < 0)
            return CLB_ENOMEM;
    }
    return 0;
}

void clb__srv_submit(srv_submit *out, srv_ctx *ctx, const clb__portal_who *who,
                     const char *body, size_t len, const char *put_id)
{
    clb_json *root = NULL;
    clb_buf text = CLB_BUF_INIT, actor = CLB_BUF_INIT, path = CLB_BUF_INIT;
    clb__offers_submit_opts o = {0};
    clb_offers_report rep;
    clb_error err;
    const clb_json *list = NULL;
    int error;

    clb_error_init(&err);
    out->status = 0;
    if (clb__json_load_buffer(&root, body, len, "request", &err) < 0) {
        fail(out, 400, "%s", err.message);
        goto done;
    }
    if (put_id) {
        const char *id = clb__json_string(clb__json_object_get(root, "id"));
        if (!clb_json_is_object(root) || clb__json_object_get(root, "format")) {
            invalid(out, "$", "type", "a PUT takes one vacancy object");
            goto done;
        }
        if (id && strcmp(id, put_id) != 0) {
            invalid(out, "$.id", "id", "id '%s' differs from the path's '%s'", id, put_id);
            goto done;
        }
        if (!id) {
            clb_json *s = clb__json_new_string(put_id);
            if (!s || clb__json_object_set(root, "id", s) < 0) {
                fail(out, 500, "out of memory");
                goto done;
            }
        }
    }
    if (clb_json_is_object(root) && clb__json_object_get(root, "format")) {
        const clb_json *emps = clb__json_object_get(root, "employers");
        for (size_t i = 0; i < clb__json_array_size(emps); i++) {
            const char *id = clb__json_string(
                clb__json_object_get(clb__json_array_get(emps, i), "id"));
            if (!id || strcmp(id, who->employer) != 0) {
                fail(out, 403, "$.employers[%zu]: a document may carry only your own "
                               "employer record", i);
                goto done;
            }
        }
        list = clb__json_object_get(root, "vacancies");
        for (size_t i = 0; i < clb__json_array_size(list) && !out->status; i++) {
            clb__buf_clear(&path);
            clb__buf_printf(&path, "$.vacancies[%zu]", i);
            check_vacancy(out, ctx, who, clb__json_array_get(list, i), path.ptr);
        }
    } else if (clb_json_is_array(root)) {
        for (size_t i = 0; i < clb__json_array_size(root) && !out->status; i++) {
            clb__buf_clear(&path);
            clb__buf_printf(&path, "$[%zu]", i);
            check_vacancy(out, ctx, who, clb__json_array_get(root, i), path.ptr);
        }
    } else if (clb_json_is_object(root)) {
        check_vacancy(out, ctx, who, root, "$");
    }
    if (out->status)
        goto done;
    if (own_employer(root, who->employer) < 0) {
        fail(out, 500, "out of memory");
        goto done;
    }
    if (put_id) {
        clb_buf owner = CLB_BUF_INIT;
        out->created = clb__portal_vacancy_owner(&owner, ctx->store, put_id, NULL) ==
                       CLB_ENOTFOUND;
        clb_buf_dispose(&owner);
    }
    if (clb__json_save(&text, root, 0) < 0 || (!out->diags && clb_diags_new(&out->diags) < 0) ||
        clb__buf_printf(&actor, "employer:%s/%s", who->employer, who->label) < 0 ||
        clb_store_set_actor(ctx->store, actor.ptr) < 0) {
        fail(out, 500, "out of memory");
        goto done;
    }
    o.label = "request";
    o.employer = who->employer;
    o.replace = put_id != NULL; /* PUT replaces; POST merges as vacancy submit does */
    o.diags = out->diags;
    o.before_commit = after_write;
    o.payload = out;
    o.ids = &out->ids;
    error = clb__offers_submit_buffer(&rep, ctx->store, text.ptr, text.size, &o, NULL, &err);
    if (error == 0)
        out->status = put_id && !out->created ? 200 : 201;
    else if (error == CLB_EINVAL && clb_diags_count(out->diags) > 0)
        out->status = 422;
    else if (error == CLB_EINVAL)
        invalid(out, "$", "shape", "%s", err.message);
    else if (error == CLB_ESTATE)
        fail(out, 409, "%s", err.message);
    else if (error == CLB_EPARSE)
        fail(out, 400, "%s", err.message);
    else if (error == CLB_EDB)
        fail(out, 503, "the database is busy; try again");
    else
        fail(out, 500, "%s", err.message);
done:
    clb__json_free(root);
    clb_buf_dispose(&text);
    clb_buf_dispose(&actor);
    clb_buf_dispose(&path);
}

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
    if (clb__srv_authenticate(ctx, bearer(req->authorization), &who, res, true) != 0)
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
