/*
 * variant.c - scenario variants (`extends` plus `changes`), merged at the JSON level.
 *
 * Why at the JSON level: the merged document goes through the one scenario reader,
 * so a variant can never mean something a complete document could not, and
 * `validate` checks the merge result with every rule of docs/FORMATS.md §2. The changes
 * are applied in a fixed order - remove, then patch, then add - so that a variant
 * reads the same whichever order its keys are written in.
 *
 * Patches follow JSON Merge Patch (RFC 7386: objects merge, null deletes, anything
 * else replaces), with one addition for planners: a string "+N", "-N", "+N%" or "-N%"
 * given where the base holds a number changes that number relatively (percentages
 * are rounded to the nearest integer when the base is an integer). Removing a record
 * also removes what refers to it (pins, bans, scores, previous entries; an
 * employer's vacancies), since a dangling reference would only be an error.
 */
#include "scenario/variant.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/diags.h"
#include "scenario/policy.h"
#include "scenario/scenario_impl.h"
#include "util/util.h"
#include "util/alloc.h"

typedef struct merger {
    const char *source; /* the variant file, for diagnostics */
    clb_diags *diags;
    clb_buf path;
    int oom;
} merger;

bool clb__variant_is(const clb_json *root)
{
    return clb_json_is_object(root) && clb__json_object_get(root, "extends") != NULL;
}

static void problem(merger *m, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(merger *m, const char *rule, const char *fmt, ...)
{
    clb_buf msg = CLB_BUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    if (clb__buf_vprintf(&msg, fmt, ap) < 0 ||
        clb__diags_add(m->diags, m->source, m->path.ptr ? m->path.ptr : "$", rule, 0, 0,
                      "%s", msg.ptr ? msg.ptr : "") < 0)
        m->oom = CLB_ENOMEM;
    va_end(ap);
    clb_buf_dispose(&msg);
}

static bool is_x_key(const char *key)
{
    return key[0] == 'x' && key[1] == '-';
}

/* ---- relative numbers -------------------------------------------------------------- */

/* Parse "+N", "-N", "+N%", "-N%". */
static bool parse_relative(const char *s, double *amount, bool *percent)
{
    char *end;
    if (!s || (s[0] != '+' && s[0] != '-'))
        return false;
    errno = 0;
    *amount = strtod(s, &end);
    if (errno || end == s || !isfinite(*amount))
        return false;
    *percent = *end == '%';
    if (*percent)
        end++;
    return *end == '\0';
}

/* A relative change of a base number; NULL when out of memory. */
static clb_json *relative_value(const clb_json *base, double amount, bool percent)
{
    double x = clb__json_number(base);
    long long ix;
    bool integral = clb__json_integer(base, &ix) && clb__json_typeof(base) ==
                                                       CLB_JSON_INTEGER;
    double y = percent ? x * (1.0 + amount / 100.0) : x + amount;

    if (integral && (percent || amount == floor(amount)))
        return clb__json_new_integer((long long)llround(y));
    return clb__json_new_real(y);
}

/* ---- merge patch ------------------------------------------------------------------ */

/* Apply patch (an object) to target (an object) in place, RFC 7386 plus relatives. */
static void merge_patch(merger *m, clb_json *target, const clb_json *patch,
                        const char *scope)
{
    clb_json_iter it;
    const char *key;
    const clb_json *val;

    clb__json_iter_init(&it, patch);
    while (!m->oom && clb__json_iter_next(&it, &key, &val)) {
        size_t at = clb__json_path_push_key(&m->path, key, &m->oom);
        clb_json *cur = clb__json_object_get_mut(target, key);
        double amount, def;
        bool percent;
        clb_json *fresh_default = NULL;
        if (!cur && clb_json_is_string(val) &&
            parse_relative(clb__json_string(val), &amount, &percent) &&
            clb__policy_default_number(&def, scope, key)) {
            /* Relative to the default the base leaves in force (docs/FORMATS.md §2.1), so that
             * "max_stay_days": "+30" works on a base that leaves the key out. */
            fresh_default = def == floor(def) ? clb__json_new_integer((long long)def)
                                              : clb__json_new_real(def);
            if (!fresh_default)
                m->oom = CLB_ENOMEM;
            cur = fresh_default;
        }
        if (clb_json_is_null(val)) {
            clb__json_object_remove(target, key);
        } else if (clb_json_is_object(val) && clb_json_is_object(cur)) {
            merge_patch(m, cur, val,
                        scope && strcmp(key, "weights") == 0 ? "weights" : NULL);
        } else if (clb_json_is_string(val) &&
                   parse_relative(clb__json_string(val), &amount, &percent)) {
            if (!clb_json_is_number(cur))
                problem(m, "type",
                        "relative change '%s' needs a number in the base, found %s",
                        clb__json_string(val), cur ? clb__json_type_name(cur) : "nothing");
            else if (clb__json_object_set(target, key,
                                         relative_value(cur, amount, percent)) < 0)
                m->oom = CLB_ENOMEM;
        } else if (clb_json_is_object(val)) {
            clb_json *fresh = clb__json_new_object();
            if (!fresh || clb__json_object_set(target, key, fresh) < 0)
                m->oom = CLB_ENOMEM;
            else
                merge_patch(m, fresh, val,
                            scope && strcmp(key, "weights") == 0 ? "weights" : NULL);
        } else if (clb__json_object_set(target, key, clb__json_copy(val)) < 0) {
            m->oom = CLB_ENOMEM;
        }
        clb__json_free(fresh_default);
        clb__json_path_pop(&m->path, at);
    }
}

/* ---- records by id ------------------------------------------------------------------ */

/* The record of `array` whose "id" is id (index in *at), or NULL. */
static clb_json *find_record(clb_json *array, const char *id, size_t *at)
{
    for (size_t i = 0; i < clb__json_array_size(array); i++) {
        clb_json *rec = clb__json_array_get_mut(array, i);
        const char *rid = clb__json_string(clb__json_object_get(rec, "id"));
        if (rid && strcmp(rid, id) == 0) {
            if (at)
                *at = i;
            return rec;
        }
    }
    return NULL;
}

/* A site (employers[*].sites[*]) by id. */
static clb_json *find_site(clb_json *doc, const char *id)
{
    clb_json *employers = clb__json_object_get_mut(doc, "employers");
    for (size_t i = 0; i < clb__json_array_size(employers); i++) {
        clb_json *sites =
            clb__json_object_get_mut(clb__json_array_get_mut(employers, i), "sites");
        clb_json *site = find_record(sites, id, NULL);
        if (site)
            return site;
    }
    return NULL;
}

/* Patch records: {"ID": {patch}, ...} applied to doc[kind]. */
static void patch_records(merger *m, clb_json *doc, const char *kind, const char *what,
                          const clb_json *patches, const char *base_name)
{
    clb_json_iter it;
    const char *id;
    const clb_json *patch;

    if (!clb_json_is_object(patches)) {
        problem(m, "type", "must be an object of %s ids to changes, not %s", what,
                clb__json_type_name(patches));
        return;
    }
    clb__json_iter_init(&it, patches);
    while (!m->oom && clb__json_iter_next(&it, &id, &patch)) {
        size_t at = clb__json_path_push_key(&m->path, id, &m->oom);
        clb_json *rec = strcmp(kind, "sites") == 0
                            ? find_site(doc, id)
                            : find_record(clb__json_object_get_mut(doc, kind), id, NULL);
        if (!rec)
            problem(m, "reference", "no %s '%s' in %s", what, id, base_name);
        else if (!clb_json_is_object(patch))
            problem(m, "type", "changes of %s '%s' must be an object, not %s", what, id,
                    clb__json_type_name(patch));
        else if (clb__json_object_get(patch, "id"))
            problem(m, "range", "a change cannot rename %s '%s'; remove it and add "
                    "another", what, id);
        else
            merge_patch(m, rec, patch, NULL);
        clb__json_path_pop(&m->path, at);
    }
}

/* ---- removal with what refers to it -------------------------------------------------- */

/* Remove from doc[array] every element whose `key` is the string id. */
static void drop_refs(clb_json *doc, const char *array, const char *key, const char *id)
{
    clb_json *arr = clb__json_object_get_mut(doc, array);
    for (size_t i = clb__json_array_size(arr); i-- > 0;) {
        const char *ref =
            clb__json_string(clb__json_object_get(clb__json_array_get(arr, i), key));
        if (ref && strcmp(ref, id) == 0)
            clb__json_array_remove(arr, i);
    }
}

static void remove_vacancy(clb_json *doc, size_t at, const char *id_in)
{
    clb_json *vac = clb__json_object_get_mut(doc, "vacancies");
    char *id = clb__malloc(strlen(id_in) + 1);
    if (!id)
        return;
    memcpy(id, id_in, strlen(id_in) + 1); /* id_in lives in the element removed */
    clb__json_array_remove(vac, at);
    drop_refs(doc, "scores", "vacancy", id);
    drop_refs(doc, "pins", "vacancy", id);
    drop_refs(doc, "bans", "vacancy", id);
    drop_refs(doc, "previous", "vacancy", id);
    clb__free(id);
}

static void remove_records(merger *m, clb_json *doc, const char *kind,
                           const clb_json *ids, const char *base_name)
{
    static const struct {
        const char *kind, *what;
    } kinds[] = {{"workers", "worker"},     {"employers", "employer"},
                 {"vacancies", "vacancy"},  {"quotas", "quota"},
                 {"sessions", "session"},   {"programmes", "programme"}};
    const char *what = NULL;

    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kinds[i].kind, kind) == 0)
            what = kinds[i].what;
    if (!what) {
        problem(m, "unknown-key",
                "cannot remove '%s': workers, employers, vacancies, quotas, sessions "
                "or programmes",
                kind);
        return;
    }
    if (!clb_json_is_array(ids)) {
        problem(m, "type", "must be an array of %s ids, not %s", what,
                clb__json_type_name(ids));
        return;
    }
    for (size_t i = 0; i < clb__json_array_size(ids) && !m->oom; i++) {
        size_t at = clb__json_path_push_index(&m->path, i, &m->oom), pos;
        const char *id = clb__json_string(clb__json_array_get(ids, i));
        clb_json *arr = clb__json_object_get_mut(doc, kind);
        char *copy;
        if (!id) {
            problem(m, "type", "must be a %s id (a string)", what);
        } else if (!find_record(arr, id, &pos)) {
            problem(m, "reference", "no %s '%s' in %s", what, id, base_name);
        } else if (!(copy = clb__malloc(strlen(id) + 1))) {
            m->oom = CLB_ENOMEM;
        } else {
            memcpy(copy, id, strlen(id) + 1);
            if (strcmp(kind, "vacancies") == 0) {
                remove_vacancy(doc, pos, copy);
            } else {
                clb__json_array_remove(arr, pos);
                if (strcmp(kind, "workers") == 0) {
                    drop_refs(doc, "scores", "worker", copy);
                    drop_refs(doc, "pins", "worker", copy);
                    drop_refs(doc, "bans", "worker", copy);
                    drop_refs(doc, "previous", "worker", copy);
                } else if (strcmp(kind, "employers") == 0) {
                    clb_json *vac = clb__json_object_get_mut(doc, "vacancies");
                    for (size_t v = clb__json_array_size(vac); v-- > 0;) {
                        const clb_json *rec = clb__json_array_get(vac, v);
                        const char *emp =
                            clb__json_string(clb__json_object_get(rec, "employer"));
                        const char *vid = clb__json_string(clb__json_object_get(rec, "id"));
                        if (emp && vid && strcmp(emp, copy) == 0)
                            remove_vacancy(doc, v, vid);
                    }
                    drop_refs(doc, "bans", "employer", copy);
                }
            }
            clb__free(copy);
        }
        clb__json_path_pop(&m->path, at);
    }
}

/* ---- additions ---------------------------------------------------------------------- */

static void add_records(merger *m, clb_json *doc, const char *kind, const clb_json *recs)
{
    static const char *const kinds[] = {"workers",  "employers", "vacancies",
                                        "quotas",   "sessions",  "programmes",
                                        "scores",   "pins",      "bans",
                                        "previous"};
    bool known = false;
    clb_json *arr;

    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        known = known || strcmp(kinds[i], kind) == 0;
    if (!known) {
        problem(m, "unknown-key", "cannot add '%s': workers, employers, vacancies, "
                "quotas, sessions, programmes, scores, pins, bans or previous", kind);
        return;
    }
    if (!clb_json_is_array(recs)) {
        problem(m, "type", "must be an array of records, not %s",
                clb__json_type_name(recs));
        return;
    }
    if (!(arr = clb__json_object_get_mut(doc, kind))) {
        if (clb__json_object_set(doc, kind, clb__json_new_array()) < 0) {
            m->oom = CLB_ENOMEM;
            return;
        }
        arr = clb__json_object_get_mut(doc, kind);
    }
    for (size_t i = 0; i < clb__json_array_size(recs) && !m->oom; i++)
        if (clb__json_array_append(arr, clb__json_copy(clb__json_array_get(recs, i))) < 0)
            m->oom = CLB_ENOMEM;
}

/* ---- the variant ------------------------------------------------------------------ */

/* The base path: `extends` relative to the directory of `source`. */
static int base_path(clb_buf *out, const char *source, const char *extends)
{
    const char *slash = source ? strrchr(source, '/') : NULL;
    if (extends[0] == '/' || !slash)
        return clb__buf_puts(out, extends);
    if (clb__buf_put(out, source, (size_t)(slash - source) + 1) < 0)
        return CLB_ENOMEM;
    return clb__buf_puts(out, extends);
}

static void apply_changes(merger *m, clb_json *doc, const clb_json *changes,
                          const char *base_name)
{
    static const struct {
        const char *key, *kind, *what;
    } patchable[] = {{"workers", "workers", "worker"},
                     {"employers", "employers", "employer"},
                     {"sites", "sites", "site"},
                     {"vacancies", "vacancies", "vacancy"},
                     {"quotas", "quotas", "quota"},
                     {"sessions", "sessions", "session"},
                     {"programmes", "programmes", "programme"}};
    clb_json_iter it;
    const char *key;
    const clb_json *val;
    size_t at0 = clb__json_path_push_key(&m->path, "changes", &m->oom);

    if (!clb_json_is_object(changes)) {
        problem(m, "type", "must be an object, not %s", clb__json_type_name(changes));
        clb__json_path_pop(&m->path, at0);
        return;
    }
    /* Unknown keys first, so that a typo is reported even if nothing else is wrong. */
    clb__json_iter_init(&it, changes);
    while (clb__json_iter_next(&it, &key, &val)) {
        bool known = is_x_key(key) || strcmp(key, "policy") == 0 ||
                     strcmp(key, "add") == 0 || strcmp(key, "remove") == 0;
        for (size_t i = 0; i < sizeof(patchable) / sizeof(patchable[0]); i++)
            known = known || strcmp(key, patchable[i].key) == 0;
        if (!known) {
            size_t at = clb__json_path_push_key(&m->path, key, &m->oom);
            problem(m, "unknown-key",
                    "unknown change '%s' (policy, workers, employers, sites, vacancies, "
                    "quotas, sessions, programmes, add, remove)",
                    key);
            clb__json_path_pop(&m->path, at);
        }
    }
    /* 1. remove */
    if ((val = clb__json_object_get(changes, "remove"))) {
        size_t at = clb__json_path_push_key(&m->path, "remove", &m->oom);
        if (!clb_json_is_object(val)) {
            problem(m, "type", "must be an object of arrays of ids, not %s",
                    clb__json_type_name(val));
        } else {
            const clb_json *ids;
            clb__json_iter_init(&it, val);
            while (clb__json_iter_next(&it, &key, &ids)) {
                size_t at2 = clb__json_path_push_key(&m->path, key, &m->oom);
                if (!is_x_key(key))
                    remove_records(m, doc, key, ids, base_name);
                clb__json_path_pop(&m->path, at2);
            }
        }
        clb__json_path_pop(&m->path, at);
    }
    /* 2. patch */
    if ((val = clb__json_object_get(changes, "policy"))) {
        size_t at = clb__json_path_push_key(&m->path, "policy", &m->oom);
        clb_json *policy = clb__json_object_get_mut(doc, "policy");
        if (!clb_json_is_object(val)) {
            problem(m, "type", "must be an object, not %s", clb__json_type_name(val));
        } else {
            if (!policy) {
                if (clb__json_object_set(doc, "policy", clb__json_new_object()) < 0)
                    m->oom = CLB_ENOMEM;
                policy = clb__json_object_get_mut(doc, "policy");
            }
            if (policy)
                merge_patch(m, policy, val, "policy");
        }
        clb__json_path_pop(&m->path, at);
    }
    for (size_t i = 0; i < sizeof(patchable) / sizeof(patchable[0]) && !m->oom; i++) {
        if ((val = clb__json_object_get(changes, patchable[i].key))) {
            size_t at = clb__json_path_push_key(&m->path, patchable[i].key, &m->oom);
            patch_records(m, doc, patchable[i].kind, patchable[i].what, val, base_name);
            clb__json_path_pop(&m->path, at);
        }
    }
    /* 3. add */
    if ((val = clb__json_object_get(changes, "add"))) {
        size_t at = clb__json_path_push_key(&m->path, "add", &m->oom);
        if (!clb_json_is_object(val)) {
            problem(m, "type", "must be an object of arrays of records, not %s",
                    clb__json_type_name(val));
        } else {
            const clb_json *recs;
            clb__json_iter_init(&it, val);
            while (clb__json_iter_next(&it, &key, &recs)) {
                size_t at2 = clb__json_path_push_key(&m->path, key, &m->oom);
                if (!is_x_key(key))
                    add_records(m, doc, key, recs);
                clb__json_path_pop(&m->path, at2);
            }
        }
        clb__json_path_pop(&m->path, at);
    }
    clb__json_path_pop(&m->path, at0);
}

/* The merged document of a variant (a new root in *out), or NULL with problems. */
static void merge_doc(merger *m, clb_json **out, const clb_json *root, const char *source,
                      int depth)
{
    clb_json_iter it;
    const char *key;
    const clb_json *val, *ext = clb__json_object_get(root, "extends");
    clb_buf path = CLB_BUF_INIT, text = CLB_BUF_INIT;
    clb_json *base = NULL, *doc = NULL;
    clb_error local;
    const char *fmt;
    size_t at;

    *out = NULL;
    clb_error_init(&local);
    clb__json_iter_init(&it, root);
    while (clb__json_iter_next(&it, &key, &val)) {
        if (is_x_key(key) || strcmp(key, "format") == 0 || strcmp(key, "name") == 0 ||
            strcmp(key, "extends") == 0 || strcmp(key, "changes") == 0)
            continue;
        at = clb__json_path_push_key(&m->path, key, &m->oom);
        problem(m, "unknown-key",
                "unknown key '%s' in a variant (format, name, extends, changes); "
                "put what changes under \"changes\"",
                key);
        clb__json_path_pop(&m->path, at);
    }
    if ((fmt = clb__json_string(clb__json_object_get(root, "format"))) &&
        strcmp(fmt, "circulab-scenario/1") != 0) {
        at = clb__json_path_push_key(&m->path, "format", &m->oom);
        problem(m, "range", "format must be \"circulab-scenario/1\", not \"%s\"", fmt);
        clb__json_path_pop(&m->path, at);
    }
    at = clb__json_path_push_key(&m->path, "extends", &m->oom);
    if (!clb_json_is_string(ext) || clb__json_string_length(ext) == 0) {
        problem(m, "type", "extends must name a scenario file (a string)");
        clb__json_path_pop(&m->path, at);
        goto done;
    }
    if (depth >= CLB_VARIANT_MAX_DEPTH) {
        problem(m, "range", "more than %d variants extend each other (a cycle?)",
                CLB_VARIANT_MAX_DEPTH);
        clb__json_path_pop(&m->path, at);
        goto done;
    }
    if (base_path(&path, source, clb__json_string(ext)) < 0) {
        m->oom = CLB_ENOMEM;
        goto done;
    }
    if (clb__file_read_all(&text, path.ptr, &local) < 0 ||
        clb__json_load_buffer(&base, text.ptr ? text.ptr : "", text.size, path.ptr,
                             &local) < 0) {
        if (local.code == CLB_ENOMEM)
            m->oom = CLB_ENOMEM;
        else
            problem(m, "extends", "base scenario '%s': %s", path.ptr, local.message);
        clb__json_path_pop(&m->path, at);
        goto done;
    }
    clb__json_path_pop(&m->path, at);
    if (!clb_json_is_object(base)) {
        at = clb__json_path_push_key(&m->path, "extends", &m->oom);
        problem(m, "extends", "base scenario '%s' is %s, not an object", path.ptr,
                clb__json_type_name(base));
        clb__json_path_pop(&m->path, at);
        goto done;
    }
    if (clb__variant_is(base)) {
        /* The base's own problems are reported against the base file. */
        merger inner;
        memset(&inner, 0, sizeof(inner));
        inner.source = path.ptr;
        inner.diags = m->diags;
        if (clb__buf_puts(&inner.path, "$") < 0)
            m->oom = CLB_ENOMEM;
        else
            merge_doc(&inner, &doc, base, path.ptr, depth + 1);
        if (inner.oom)
            m->oom = inner.oom;
        clb_buf_dispose(&inner.path);
        if (!doc)
            goto done;
    } else if (!(doc = clb__json_copy(base))) {
        m->oom = CLB_ENOMEM;
        goto done;
    }
    if ((val = clb__json_object_get(root, "name")) &&
        clb__json_object_set(doc, "name", clb__json_copy(val)) < 0)
        m->oom = CLB_ENOMEM;
    if ((val = clb__json_object_get(root, "changes")))
        apply_changes(m, doc, val, clb__json_string(ext));
    *out = doc;
    doc = NULL;
done:
    clb__json_free(doc);
    clb__json_free(base);
    clb_buf_dispose(&path);
    clb_buf_dispose(&text);
}

int clb__variant_merge(clb_buf *out, const clb_json *root, const char *source,
                      clb_diags *diags, clb_error *err)
{
    merger m;
    clb_diags *own = NULL;
    clb_json *doc = NULL;
    size_t base;
    int error = 0;

    memset(&m, 0, sizeof(m));
    if (!diags) {
        if (clb_diags_new(&own) < 0)
            return clb__error_set(err, CLB_ENOMEM, "out of memory");
        diags = own;
    }
    base = clb_diags_count(diags);
    m.source = source;
    m.diags = diags;
    if (clb__buf_puts(&m.path, "$") < 0)
        m.oom = CLB_ENOMEM;
    else
        merge_doc(&m, &doc, root, source, 0);
    if (m.oom) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory merging a variant");
        goto done;
    }
    if (clb_diags_count(diags) > base || !doc) {
        if (clb_diags_count(diags) == base)
            error = clb__error_set(err, CLB_EINTERNAL, "variant merge failed silently");
        else
            error = clb__diags_fail(err, diags, base);
        goto done;
    }
    if ((error = clb__json_save(out, doc, CLB_JSON_SAVE_INDENT)) < 0)
        clb__error_set(err, error, "out of memory writing the merged scenario");
done:
    clb__json_free(doc);
    clb_diags_free(own);
    clb_buf_dispose(&m.path);
    return error;
}

int clb__variant_resolve(clb_buf *out, const char *buf, size_t len, const char *source,
                        clb_diags *diags, clb_error *err)
{
    clb_json *root = NULL;
    int error;

    if ((error = clb__json_load_buffer(&root, buf, len, source, err)) < 0)
        return error;
    if (clb__variant_is(root))
        error = clb__variant_merge(out, root, source, diags, err);
    else if (clb__buf_put(out, buf, len) < 0)
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
    clb__json_free(root);
    return error;
}
