/*
 * submit.c - a submission of vacancies through the portal (docs/PORTAL.md §8), shared
 * by the JSON API (api.c) and the web pages' forms (pages.c).
 *
 * A submission goes through the same reader and the same all-or-nothing write as
 * `circulab vacancy submit` (offers_impl.h): what a valid vacancy is is decided in
 * one place. Before it, the portal's own rules are checked on the parsed body: a
 * vacancy or an `employers` entry naming another employer is 403, another employer's
 * vacancy id is 404 (as if it did not exist), a new id without the employer's prefix
 * is 422. Inside the write transaction, the database's rules on placements (409) and
 * the audit rows are added by store/portal.c, so a change is one transaction with
 * its audit entry.
 */
#include "server/server_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/json.h"
#include "offers/offers_impl.h"
#include "rules/maps.h"
#include "scenario/diags.h"
#include "store/maps.h"

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

/* The portal's rules on one vacancy object of the body (at `path`). An `employer`
 * given as a name the agency mapped to the token's employer is the token's employer,
 * as in `vacancy submit` (the tables are applied again on the way to the reader). */
static void check_vacancy(srv_submit *out, srv_ctx *ctx, const clb__portal_who *who,
                          const clb__maps *maps, const clb_json *v, const char *path)
{
    const char *emp = clb__json_string(clb__json_object_get(v, "employer"));
    const char *id = clb__json_string(clb__json_object_get(v, "id"));
    clb_buf owner = CLB_BUF_INIT, where = CLB_BUF_INIT;
    clb_error err;
    size_t n = strlen(who->employer);
    int error;
    if (!clb_json_is_object(v))
        return; /* the reader says what is wrong */
    if (emp && strcmp(emp, who->employer) != 0 &&
        !(clb__maps_lookup(maps, CLB_MAP_EMPLOYER, emp) &&
          strcmp(clb__maps_lookup(maps, CLB_MAP_EMPLOYER, emp), who->employer) == 0)) {
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
    clb__maps maps = {NULL, 0};
    const clb_json *list = NULL;
    int error;

    clb_error_init(&err);
    out->status = 0;
    if (clb__json_load_buffer(&root, body, len, "request", &err) < 0) {
        fail(out, 400, "%s", err.message);
        goto done;
    }
    if ((error = clb__store_maps_load(&maps, ctx->store, &err)) < 0) {
        if (error == CLB_ENOMEM)
            fail(out, 500, "out of memory");
        else
            fail(out, 503, "the database is busy; try again");
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
            check_vacancy(out, ctx, who, &maps, clb__json_array_get(list, i), path.ptr);
        }
    } else if (clb_json_is_array(root)) {
        for (size_t i = 0; i < clb__json_array_size(root) && !out->status; i++) {
            clb__buf_clear(&path);
            clb__buf_printf(&path, "$[%zu]", i);
            check_vacancy(out, ctx, who, &maps, clb__json_array_get(root, i), path.ptr);
        }
    } else if (clb_json_is_object(root)) {
        check_vacancy(out, ctx, who, &maps, root, "$");
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
    clb__maps_dispose(&maps);
    clb__json_free(root);
    clb_buf_dispose(&text);
    clb_buf_dispose(&actor);
    clb_buf_dispose(&path);
}
