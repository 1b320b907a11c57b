/*
 * native.c - reading circulab-offers/1 pages (docs/FORMATS.md §5) into the batch, and
 * deciding a page's format when the source says `auto`.
 *
 * The page's frame is checked first (format, known keys, `next`); a frame error
 * stops the fetch, while a bad record only rejects that record. A fetch's native
 * vacancies wait until every page is in, since a vacancy may name an employer of a
 * later page; a submission validates them at once.
 *
 * With the agency's mapping tables (fetches, `vacancy submit`, the portal), a value
 * the tables left in a form the model cannot match on (a region that is not a code,
 * an occupation that is not isco:NNNN, an organisation's name that is neither a
 * known employer nor mapped) rejects its record and is reported grouped by value, as for JobPosting pages
 * (docs/OFFERS.md, "Mapping tables in fetches"): never stored as unmatched text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "offers/batch.h"
#include "util/alloc.h"

static const char *const NATIVE_KEYS[] = {"format", "employers", "vacancies", "next", NULL};

/* Page-level checks of a native document; returns 0 or CLB_EINVAL with err set. */
int clb__offers_native_check(const clb_json *root, const char *page, clb_error *err)
{
    const char *format;
    clb_json_iter it;
    const char *key;
    const clb_json *val;
    if (!clb_json_is_object(root))
        return clb__error_set(err, CLB_EINVAL, "%s: an offers page must be a json object, "
                             "got %s", page, clb__json_type_name(root));
    format = clb__json_string(clb__json_object_get(root, "format"));
    if (!format || strcmp(format, OFFERS_FORMAT) != 0)
        return clb__error_set(err, CLB_EINVAL, "%s: $.format: format must be '%s'", page,
                             OFFERS_FORMAT);
    clb__json_iter_init(&it, root);
    while (clb__json_iter_next(&it, &key, &val)) {
        bool known = strncmp(key, "x-", 2) == 0;
        for (size_t i = 0; NATIVE_KEYS[i] && !known; i++)
            known = strcmp(key, NATIVE_KEYS[i]) == 0;
        if (!known)
            return clb__error_set(err, CLB_EINVAL, "%s: $: unknown key '%s'", page, key);
    }
    val = clb__json_object_get(root, "employers");
    if (val && !clb_json_is_array(val))
        return clb__error_set(err, CLB_EINVAL, "%s: $.employers: must be an array, got %s",
                             page, clb__json_type_name(val));
    val = clb__json_object_get(root, "vacancies");
    if (!val)
        return clb__error_set(err, CLB_EINVAL, "%s: $.vacancies: missing", page);
    if (!clb_json_is_array(val))
        return clb__error_set(err, CLB_EINVAL, "%s: $.vacancies: must be an array, got %s",
                             page, clb__json_type_name(val));
    val = clb__json_object_get(root, "next");
    if (val && !clb_json_is_null(val) &&
        !(clb_json_is_string(val) && clb__json_string_length(val) > 0))
        return clb__error_set(err, CLB_EINVAL,
                             "%s: $.next: must be a url or null, got %s", page,
                             clb__json_type_name(val));
    return 0;
}

/* Whether member `key` of a native record, after the mapping tables were applied, is
 * in the form the model matches on (rules/maps.c decides); else it is noted as
 * unmapped at path + suffix (counted once per record: `counted` says the record
 * noted this value already). Values that are not non-empty strings are the reader's. */
static bool mapped_value(batch *b, const clb_json *obj, const char *key,
                         clb_map_kind kind, const char *page, const char *path,
                         const char *suffix, bool counted)
{
    const char *s = clb__json_string(clb__json_object_get(obj, key));
    char code[16];
    bool usable = true;
    if (!b->maps || !s || !*s)
        return true;
    clb__maps_resolve(b->maps, kind, s, code, &usable);
    if (!usable)
        clb__offers_unmapped_at(b, clb__offers_at2(b, page, path, suffix), kind, s,
                                !counted);
    return usable;
}

/* The region of the record or of one of its first `n` sites, when it is `s`. */
static bool region_seen(const clb_json *e, const clb_json *sites, size_t n, const char *s)
{
    const char *r = clb__json_string(clb__json_object_get(e, "region"));
    if (r && strcmp(r, s) == 0)
        return true;
    for (size_t i = 0; i < n; i++) {
        r = clb__json_string(clb__json_object_get(clb__json_array_get(sites, i), "region"));
        if (r && strcmp(r, s) == 0)
            return true;
    }
    return false;
}

/* An employer record's region and its sites' regions are codes. */
static bool employer_mapped(batch *b, const clb_json *e, const char *page,
                            const char *path)
{
    const clb_json *sites = clb__json_object_get(e, "sites");
    bool ok = mapped_value(b, e, "region", CLB_MAP_REGION, page, path, ".region", false);
    char suffix[48];
    for (size_t i = 0; i < clb__json_array_size(sites); i++) {
        const clb_json *site = clb__json_array_get(sites, i);
        const char *r = clb__json_string(clb__json_object_get(site, "region"));
        snprintf(suffix, sizeof(suffix), ".sites[%zu].region", i);
        if (!mapped_value(b, site, "region", CLB_MAP_REGION, page, path, suffix,
                          r && region_seen(e, sites, i, r)))
            ok = false;
    }
    return ok;
}

/* A vacancy's occupation is isco:NNNN, and its employer is not an organisation's name
 * (a text with a space, which no employer id has) that is neither known (the pages'
 * records or the database) nor mapped. An unknown value in an id's form is left to
 * the reader, which names it at its path as an unknown employer. */
static bool vacancy_mapped(batch *b, const clb_json *v, const char *emp, const char *page,
                           const char *path)
{
    bool ok = mapped_value(b, v, "occupation", CLB_MAP_OCCUPATION, page, path,
                           ".occupation", false);
    if (b->maps && emp && strpbrk(emp, " \t") && !clb__offers_employer_text(b, emp) &&
        clb__strtab_lookup(&b->doc_emps, emp) < 0) {
        clb__offers_unmapped_at(b, clb__offers_at2(b, page, path, ".employer"),
                                CLB_MAP_EMPLOYER, emp, true);
        ok = false;
    }
    return ok;
}

void clb__offers_native_employers(batch *b, const clb_json *root, const char *page)
{
    const clb_json *arr = clb__json_object_get(root, "employers");
    clb_buf text = CLB_BUF_INIT, path = CLB_BUF_INIT;
    for (size_t i = 0; i < clb__json_array_size(arr) && !b->oom; i++) {
        const clb_json *e = clb__json_array_get(arr, i);
        path_map m = {NULL, NULL, false};
        clb__buf_clear(&text);
        clb__buf_clear(&path);
        clb__buf_printf(&path, "$.employers[%zu]", i);
        m.emp_path = path.ptr;
        if (clb__offers_put_json(&text, e, NULL) < 0) {
            b->oom = 1;
            break;
        }
        if (clb__json_string(clb__json_object_get(e, "id")) &&
            clb__strtab_intern(&b->doc_emps,
                               clb__json_string(clb__json_object_get(e, "id"))) < 0) {
            b->oom = 1;
            break;
        }
        if (clb_json_is_object(e) && !employer_mapped(b, e, page, path.ptr)) {
            b->rejected++;
            continue;
        }
        clb__offers_add_employer(b, clb__json_string(clb__json_object_get(e, "id")),
                                 text.ptr, page, &m, false);
    }
    clb_buf_dispose(&text);
    clb_buf_dispose(&path);
}

static void defer_vacancy(batch *b, const char *id, const char *emp, const char *text,
                          bool withdrawn, const char *page, const char *path)
{
    pending *q;
    if (b->n_pend == b->cap_pend) {
        size_t cap = b->cap_pend ? b->cap_pend * 2 : 256;
        pending *v = clb__realloc(b->pend, cap * sizeof(*v));
        if (!v) {
            b->oom = 1;
            return;
        }
        b->pend = v;
        b->cap_pend = cap;
    }
    q = &b->pend[b->n_pend++];
    q->id = clb__arena_strdup(&b->arena, id);
    q->emp = emp ? clb__arena_strdup(&b->arena, emp) : NULL;
    q->text = clb__arena_strdup(&b->arena, text);
    q->page = clb__arena_strdup(&b->arena, page);
    q->path = clb__arena_strdup(&b->arena, path);
    q->withdrawn = withdrawn;
    if (!q->id || (emp && !q->emp) || !q->text || !q->page || !q->path)
        b->oom = 1;
}

void clb__offers_native_vacancies(batch *b, const clb_json *root, const char *page)
{
    const clb_json *arr = clb_json_is_array(root) ? root
                                                  : clb__json_object_get(root, "vacancies");
    clb_buf text = CLB_BUF_INIT, path = CLB_BUF_INIT;
    for (size_t i = 0; i < clb__json_array_size(arr) && !b->oom; i++) {
        const clb_json *v = clb__json_array_get(arr, i);
        const clb_json *st = clb__json_object_get(v, "status");
        const char *emp = clb__json_string(clb__json_object_get(v, "employer"));
        const char *id = clb__json_string(clb__json_object_get(v, "id"));
        const char *src = NULL;
        bool withdrawn = false;
        path_map m = {NULL, NULL, false};
        clb__buf_clear(&text);
        clb__buf_clear(&path);
        if (b->single_root)
            clb__buf_puts(&path, "$");
        else if (clb_json_is_array(root))
            clb__buf_printf(&path, "$[%zu]", i);
        else
            clb__buf_printf(&path, "$.vacancies[%zu]", i);
        m.vac_path = path.ptr;
        if (st) {
            const char *s = clb__json_string(st);
            if (s && strcmp(s, "withdrawn") == 0) {
                withdrawn = true;
            } else if (!s || strcmp(s, "open") != 0) {
                clb__offers_problem(b, clb__offers_at2(b, page, path.ptr, ".status"),
                                    "status must be \"open\" or \"withdrawn\"");
                b->rejected++;
                continue;
            }
        }
        if (clb__offers_put_json(&text, v, "status") < 0) {
            b->oom = 1;
            break;
        }
        /* a vacancy without an employer belongs to the source's default employer */
        if (clb_json_is_object(v) && !clb__json_object_get(v, "employer") &&
            b->default_employer && !(id && clb__offers_db_has_vacancy(b, id, &src))) {
            text.size--; /* drop the closing brace */
            if (clb__buf_printf(&text, "%s\"employer\":", clb__json_object_size(v) ? "," : "") < 0 ||
                clb__buf_put_json_string(&text, b->default_employer) < 0 ||
                clb__buf_puts(&text, "}") < 0) {
                b->oom = 1;
                break;
            }
            emp = b->default_employer;
        }
        if (!clb_json_is_object(v) || !id) {
            /* let the reader say what is wrong with it */
            clb__offers_check_records(b, NULL, text.ptr, page, &m);
            b->rejected++;
            continue;
        }
        if (b->defer)
            defer_vacancy(b, id, emp, text.ptr, withdrawn, page, path.ptr);
        else if (!vacancy_mapped(b, v, emp, page, path.ptr))
            b->rejected++;
        else
            clb__offers_add_vacancy(b, id, emp, text.ptr, withdrawn, page, &m);
    }
    clb_buf_dispose(&text);
    clb_buf_dispose(&path);
}

/* Validate the deferred vacancies, in page order. */
void clb__offers_flush_pending(batch *b)
{
    for (size_t i = 0; i < b->n_pend && !b->oom; i++) {
        const pending *q = &b->pend[i];
        path_map m = {NULL, q->path, false};
        clb_json *v = NULL;
        bool ok;
        if (clb__json_load_buffer(&v, q->text, strlen(q->text), NULL, NULL) < 0) {
            b->oom = 1; /* our own compact text: only memory can fail */
            break;
        }
        ok = vacancy_mapped(b, v, q->emp, q->page, q->path);
        clb__json_free(v);
        if (!ok)
            b->rejected++;
        else
            clb__offers_add_vacancy(b, q->id, q->emp, q->text, q->withdrawn, q->page, &m);
    }
    b->n_pend = 0;
}

/* Decide a page's format (auto) and check its frame; reads `next` of native pages. */
int clb__offers_page_frame(clb_offers_format *out, const clb_json *root,
                           clb_offers_format want, const char *label, const char **next,
                           clb_error *err)
{
    const char *format = clb__json_string(clb__json_object_get(root, "format"));
    clb_offers_format f = want;
    *next = NULL;
    if (f == CLB_OFFERS_AUTO) {
        if (format)
            f = CLB_OFFERS_NATIVE;
        else if (clb__offers_looks_like_jobposting(root))
            f = CLB_OFFERS_JOBPOSTING;
        else
            return clb__error_set(err, CLB_EINVAL,
                                 "%s: neither a %s document nor JobPosting json-ld", label,
                                 OFFERS_FORMAT);
    }
    *out = f;
    if (f == CLB_OFFERS_NATIVE) {
        int error = clb__offers_native_check(root, label, err);
        if (error == 0)
            *next = clb__json_string(clb__json_object_get(root, "next"));
        return error;
    }
    return 0;
}
