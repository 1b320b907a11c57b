/*
 * maps.c - applying the agency's mapping tables to offer records (maps.h).
 *
 * Matching is on a normalised text (ASCII lower case, spaces trimmed and collapsed),
 * so "Huelva", "HUELVA " and "huelva" are one entry. A value already in the form the
 * model matches on (a NUTS-like code for a region, "isco:NNNN" for an occupation) is
 * left as it is; an occupation text that begins with a four-digit ISCO-08 code ("9211
 * Crop farm labourers") becomes "isco:9211" when no mapping says otherwise.
 */
#include "rules/maps.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/util.h"

static const char *const KINDS[] = {"region", "occupation", "employer", NULL};

const char *clb_map_kind_name(clb_map_kind kind)
{
    return (unsigned)kind < 3 ? KINDS[kind] : "unknown";
}

bool clb_map_kind_parse(clb_map_kind *out, const char *name)
{
    for (int i = 0; KINDS[i]; i++)
        if (name && strcmp(name, KINDS[i]) == 0) {
            *out = (clb_map_kind)i;
            return true;
        }
    return false;
}

void clb__map_normalise(char *out, size_t n, const char *text)
{
    size_t k = 0;
    bool space = false;
    if (n == 0)
        return;
    for (const char *p = text ? text : ""; *p && k + 1 < n; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = k > 0;
            continue;
        }
        if (space && k + 2 < n)
            out[k++] = ' ';
        space = false;
        out[k++] = (char)(c < 0x80 ? tolower(c) : c);
    }
    out[k] = '\0';
}

void clb__maps_dispose(clb__maps *m)
{
    for (size_t i = 0; i < m->n; i++) {
        clb__free(m->v[i].key);
        clb__free(m->v[i].target);
    }
    clb__free(m->v);
    m->v = NULL;
    m->n = 0;
}

const char *clb__maps_lookup(const clb__maps *m, clb_map_kind kind, const char *text)
{
    char key[256];
    if (!m || !text)
        return NULL;
    clb__map_normalise(key, sizeof(key), text);
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].kind == (int)kind && strcmp(m->v[i].key, key) == 0)
            return m->v[i].target;
    return NULL;
}

/* Replace member `key` of obj by string `to`. */
static int set_string(clb_json *obj, const char *key, const char *to)
{
    clb_json *s = clb__json_new_string(to);
    if (!s)
        return CLB_ENOMEM;
    return clb__json_object_set(obj, key, s) < 0 ? CLB_ENOMEM : 0;
}

/* A numeric string member ("25") becomes an integer. */
static int integer_string(clb_json *obj, const char *key)
{
    const char *s = clb__json_string(clb__json_object_get(obj, key));
    char *end;
    long long x;
    clb_json *v;
    if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
        return 0;
    x = strtoll(s, &end, 10);
    if (!(v = clb__json_new_integer(x)))
        return CLB_ENOMEM;
    return clb__json_object_set(obj, key, v) < 0 ? CLB_ENOMEM : 0;
}

const char *clb__maps_resolve(const clb__maps *m, clb_map_kind kind, const char *text,
                              char code[16], bool *usable)
{
    const char *to = clb__maps_lookup(m, kind, text), *s;
    *usable = true;
    if (!text)
        return NULL;
    if (!to && kind == CLB_MAP_OCCUPATION && strncmp(text, "isco:", 5) != 0 &&
        strspn(text, "0123456789") == 4 && (text[4] == '\0' || text[4] == ' ')) {
        memcpy(code, "isco:", 5);
        memcpy(code + 5, text, 4);
        code[9] = '\0';
        to = code;
    }
    s = to ? to : text;
    if (kind == CLB_MAP_REGION) /* a code: upper-case letters, digits, '-' */
        *usable = *s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == strlen(s);
    else if (kind == CLB_MAP_OCCUPATION)
        *usable = strncmp(s, "isco:", 5) == 0 && strlen(s) == 9 &&
                  strspn(s + 5, "0123456789") == 4;
    return s;
}

static int map_member(clb_json *obj, const char *key, const clb__maps *m,
                      clb_map_kind kind)
{
    const char *s = clb__json_string(clb__json_object_get(obj, key)), *to;
    char code[16];
    bool usable;
    if (!s)
        return 0;
    to = clb__maps_resolve(m, kind, s, code, &usable);
    return strcmp(to, s) != 0 ? set_string(obj, key, to) : 0;
}

static int apply_vacancy(clb_json *v, const clb__maps *m)
{
    clb_json *req = clb__json_object_get_mut(v, "requires");
    int rc;
    if (!clb_json_is_object(v))
        return 0;
    if ((rc = map_member(v, "occupation", m, CLB_MAP_OCCUPATION)) < 0 ||
        (rc = map_member(v, "employer", m, CLB_MAP_EMPLOYER)) < 0 ||
        (rc = integer_string(v, "headcount")) < 0)
        return rc;
    if (clb_json_is_object(req))
        rc = integer_string(req, "min_campaigns");
    return rc;
}

static int apply_employer(clb_json *e, const clb__maps *m)
{
    clb_json *sites = clb__json_object_get_mut(e, "sites");
    int rc;
    if (!clb_json_is_object(e))
        return 0;
    if ((rc = map_member(e, "region", m, CLB_MAP_REGION)) < 0)
        return rc;
    for (size_t i = 0; i < clb__json_array_size(sites) && rc == 0; i++) {
        clb_json *s = clb__json_array_get_mut(sites, i);
        if (clb_json_is_object(s) && (rc = map_member(s, "region", m, CLB_MAP_REGION)) == 0)
            rc = integer_string(s, "beds");
    }
    return rc;
}

int clb__maps_apply(clb_json *root, const clb__maps *m)
{
    clb_json *list = root, *emps;
    int rc = 0;
    if (clb_json_is_object(root) && clb__json_object_get(root, "format")) {
        emps = clb__json_object_get_mut(root, "employers");
        for (size_t i = 0; i < clb__json_array_size(emps) && rc == 0; i++)
            rc = apply_employer(clb__json_array_get_mut(emps, i), m);
        list = clb__json_object_get_mut(root, "vacancies");
    } else if (clb_json_is_object(root)) {
        return apply_vacancy(root, m);
    }
    for (size_t i = 0; i < clb__json_array_size(list) && rc == 0; i++)
        rc = apply_vacancy(clb__json_array_get_mut(list, i), m);
    return rc;
}
