/*
 * sources.c - offer sources (docs/FORMATS.md §5): adding one (its name, url and settings
 * checked), listing them, and reading a source's settings for a fetch.
 *
 * The store keeps a source's settings as a JSON object (format, token_env, employer);
 * this file is the one that writes and reads it. A bearer token is never stored,
 * only the name of the environment variable that holds it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/fetch.h"
#include "offers/batch.h"
#include "scenario/scenario_impl.h"
#include "store/sources.h"

#define ID_MAX 64

const char *clb_offers_format_name(clb_offers_format format)
{
    switch (format) {
    case CLB_OFFERS_NATIVE:
        return "native";
    case CLB_OFFERS_JOBPOSTING:
        return "jobposting";
    default:
        return "auto";
    }
}

/* A source name or default employer: the scenario reader's one id rule. On failure
 * `why` says what is wrong without echoing the value. */
static bool valid_id_why(const char *s, char *why, size_t size)
{
    if (!s || !*s) {
        snprintf(why, size, "is empty");
        return false;
    }
    return !clb__id_problem(s, why, size);
}

static bool valid_env_name(const char *s)
{
    if (!s || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return false;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return false;
    return true;
}

bool clb_offers_url_is_plain_remote(const char *url)
{
    return clb__fetch_url_is_plain_remote(url);
}

int clb_offers_source_add(clb_store *store, const char *name, const char *url,
                          clb_offers_format format, const char *token_env,
                          const char *employer, clb_error *err)
{
    clb_buf settings = CLB_BUF_INIT;
    int error, rc;
    char why[160];
    if (!valid_id_why(name, why, sizeof(why)))
        return clb__error_set(err, CLB_EINVAL,
                             "the source name %s (a name is 1 to %d bytes)", why, ID_MAX);
    if (url && clb__fetch_url_has_credentials(url))
        /* the URL is stored, listed and named in messages: never echo it */
        return clb__error_set(err, CLB_EINVAL,
                             "the url carries credentials (user:password@host): refused, "
                             "because urls are stored, listed and logged; give a bearer "
                             "token with --token-env VAR instead");
    if (!clb__fetch_url_is_http(url))
        return clb__error_set(err, CLB_EINVAL, "'%s' is not an http:// or https:// url",
                             url ? url : "");
    if (token_env && !valid_env_name(token_env))
        return clb__error_set(err, CLB_EINVAL,
                             "'%s' is not an environment variable name (the token itself "
                             "is never stored: give the name of the variable holding it)",
                             token_env);
    if (employer && !valid_id_why(employer, why, sizeof(why)))
        return clb__error_set(err, CLB_EINVAL, "the employer id %s", why);
    rc = clb__buf_printf(&settings, "{\"format\":\"%s\"", clb_offers_format_name(format));
    if (rc == 0 && token_env)
        rc = clb__buf_puts(&settings, ",\"token_env\":") ||
             clb__buf_put_json_string(&settings, token_env);
    if (rc == 0 && employer)
        rc = clb__buf_puts(&settings, ",\"employer\":") ||
             clb__buf_put_json_string(&settings, employer);
    if (rc == 0)
        rc = clb__buf_puts(&settings, "}");
    if (rc)
        error = clb__oom(err);
    else
        error = clb__store_source_add(store, name, url, settings.ptr, err);
    clb_buf_dispose(&settings);
    return error;
}

static void settings_read(const char *json, clb_offers_format *format, clb_buf *token_env,
                          clb_buf *employer)
{
    clb_json *root = NULL;
    const char *f, *t, *e;
    *format = CLB_OFFERS_AUTO;
    if (!json || clb__json_load_buffer(&root, json, strlen(json), NULL, NULL) < 0)
        return;
    f = clb__json_string(clb__json_object_get(root, "format"));
    if (f && strcmp(f, "native") == 0)
        *format = CLB_OFFERS_NATIVE;
    else if (f && strcmp(f, "jobposting") == 0)
        *format = CLB_OFFERS_JOBPOSTING;
    if ((t = clb__json_string(clb__json_object_get(root, "token_env"))) && token_env)
        clb__buf_puts(token_env, t);
    if ((e = clb__json_string(clb__json_object_get(root, "employer"))) && employer)
        clb__buf_puts(employer, e);
    clb__json_free(root);
}

static int copy_fn(const clb_source_info *info, void *payload)
{
    source_copy *c = payload;
    if (strcmp(info->id, c->want) != 0)
        return 0;
    c->found = true;
    settings_read(info->settings, &c->format, &c->token_env, &c->employer);
    if (clb__buf_puts(&c->url, info->url) < 0 ||
        (info->etag && clb__buf_puts(&c->etag, info->etag) < 0) ||
        (info->last_modified && clb__buf_puts(&c->last_modified, info->last_modified) < 0))
        return CLB_ENOMEM;
    return 1; /* stop */
}

int clb__offers_source_get(source_copy *out, clb_store *store, const char *name,
                           clb_error *err)
{
    int error;
    memset(out, 0, sizeof(*out));
    out->want = name;
    if ((error = clb_store_source_foreach(store, copy_fn, out, err)) < 0)
        return error;
    if (!out->found)
        return clb__error_set(err, CLB_ENOTFOUND, "there is no source '%s'", name);
    return 0;
}

void clb__offers_source_dispose(source_copy *s)
{
    clb_buf_dispose(&s->url);
    clb_buf_dispose(&s->etag);
    clb_buf_dispose(&s->last_modified);
    clb_buf_dispose(&s->token_env);
    clb_buf_dispose(&s->employer);
}

typedef struct name_walk {
    int (*fn)(const char *name, void *payload);
    void *payload;
} name_walk;

static int name_fn(const clb_source_info *info, void *payload)
{
    name_walk *w = payload;
    return w->fn(info->id, w->payload);
}

int clb_offers_source_foreach(clb_store *store, int (*fn)(const char *name, void *payload),
                              void *payload, clb_error *err)
{
    name_walk w = {fn, payload};
    return clb_store_source_foreach(store, name_fn, &w, err);
}

typedef struct list_ctx {
    clb_buf *out;
    bool json;
    bool first;
    int rc;
} list_ctx;

static int list_fn(const clb_source_info *info, void *payload)
{
    list_ctx *c = payload;
    clb_buf tok = CLB_BUF_INIT, emp = CLB_BUF_INIT;
    clb_offers_format f;
    clb_buf *o = c->out;
    int rc;
    settings_read(info->settings, &f, &tok, &emp);
    if (c->json) {
        rc = clb__buf_puts(o, c->first ? "\n  {\"name\": " : ",\n  {\"name\": ") ||
             clb__buf_put_json_string(o, info->id) || clb__buf_puts(o, ", \"url\": ") ||
             clb__buf_put_json_string(o, info->url) ||
             clb__buf_printf(o, ", \"format\": \"%s\", \"token_env\": ",
                            clb_offers_format_name(f)) ||
             (tok.ptr ? clb__buf_put_json_string(o, tok.ptr) : clb__buf_puts(o, "null")) ||
             clb__buf_puts(o, ", \"employer\": ") ||
             (emp.ptr ? clb__buf_put_json_string(o, emp.ptr) : clb__buf_puts(o, "null")) ||
             clb__buf_puts(o, ", \"etag\": ") ||
             (info->etag ? clb__buf_put_json_string(o, info->etag) : clb__buf_puts(o, "null")) ||
             clb__buf_puts(o, ", \"last_modified\": ") ||
             (info->last_modified ? clb__buf_put_json_string(o, info->last_modified)
                                  : clb__buf_puts(o, "null")) ||
             clb__buf_puts(o, ", \"added_at\": ") ||
             clb__buf_put_json_string(o, info->added_at) || clb__buf_puts(o, "}");
    } else {
        rc = clb__buf_printf(o, "%s %s format=%s", info->id, info->url,
                            clb_offers_format_name(f));
        if (rc == 0 && tok.ptr)
            rc = clb__buf_printf(o, " token-env=%s", tok.ptr);
        if (rc == 0 && emp.ptr)
            rc = clb__buf_printf(o, " employer=%s", emp.ptr);
        if (rc == 0 && info->etag)
            rc = clb__buf_printf(o, " etag=%s", info->etag);
        if (rc == 0 && info->last_modified)
            rc = clb__buf_printf(o, " last-modified=\"%s\"", info->last_modified);
        if (rc == 0)
            rc = clb__buf_puts(o, "\n");
    }
    c->first = false;
    clb_buf_dispose(&tok);
    clb_buf_dispose(&emp);
    return rc ? CLB_ENOMEM : 0;
}

int clb_offers_source_list(clb_buf *out, clb_store *store, unsigned flags, clb_error *err)
{
    list_ctx c = {out, (flags & CLB_STORE_JSON) != 0, true, 0};
    int error;
    if (c.json && clb__buf_puts(out, "[") < 0)
        return clb__oom(err);
    error = clb_store_source_foreach(store, list_fn, &c, err);
    if (error == CLB_ENOMEM)
        return clb__oom(err);
    if (error == 0 && c.json && clb__buf_puts(out, c.first ? "]\n" : "\n]\n") < 0)
        return clb__oom(err);
    return error;
}
