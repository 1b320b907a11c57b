/*
 * jobposting.c - schema.org JobPosting (JSON-LD) pages mapped to native records
 * (docs/FORMATS.md §5).
 *
 * Each JobPosting becomes a canonical native vacancy, and its hiringOrganization an
 * employer record, which then go through the same validation as native offers
 * (validate.c); problems are reported at the JobPosting's own paths. References
 * {"@id": ...} are resolved through the page's @graph; wages are converted to
 * monthly EUR; the agency's mapping tables (rules/maps.c) turn organisation names,
 * region and occupation texts into ids and codes.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "offers/batch.h"
#include "util/alloc.h"

static bool type_is(const clb_json *node, const char *type)
{
    const clb_json *t = clb__json_object_get(node, "@type");
    size_t n = strlen(type);
    for (size_t i = 0; t && i < (clb_json_is_array(t) ? clb__json_array_size(t) : 1); i++) {
        const char *s = clb__json_string(clb_json_is_array(t) ? clb__json_array_get(t, i) : t);
        size_t len = s ? strlen(s) : 0;
        if (s && len >= n && strcmp(s + len - n, type) == 0 &&
            (len == n || s[len - n - 1] == '/' || s[len - n - 1] == ':' ||
             s[len - n - 1] == '#'))
            return true;
    }
    return false;
}

/* A JSON-LD value: strings as they are, PropertyValue {value}, numbers as text. */
static const char *ld_text(const clb_json *v, char tmp[32])
{
    long long ll;
    if (clb_json_is_array(v))
        v = clb__json_array_get(v, 0);
    if (clb_json_is_string(v))
        return clb__json_string(v);
    if (clb_json_is_object(v)) {
        const clb_json *x = clb__json_object_get(v, "value");
        if (!x)
            x = clb__json_object_get(v, "@value");
        if (!x)
            x = clb__json_object_get(v, "name");
        if (x && !clb_json_is_object(x))
            return ld_text(x, tmp);
    }
    if (clb__json_integer(v, &ll)) {
        snprintf(tmp, 32, "%lld", ll);
        return tmp;
    }
    return NULL;
}

/* The @graph node with @id `id`, if any. */
static const clb_json *graph_node(const clb_json *graph, const char *id)
{
    for (size_t i = 0; id && i < clb__json_array_size(graph); i++) {
        const clb_json *n = clb__json_array_get(graph, i);
        const char *nid = clb__json_string(clb__json_object_get(n, "@id"));
        if (nid && strcmp(nid, id) == 0)
            return n;
    }
    return NULL;
}

/* A node that is only a reference {"@id": ...} resolved through the graph. */
static const clb_json *deref(const clb_json *v, const clb_json *graph)
{
    const clb_json *n;
    if (clb_json_is_array(v))
        v = clb__json_array_get(v, 0);
    if (clb_json_is_object(v) && clb__json_object_size(v) == 1 &&
        (n = graph_node(graph, clb__json_string(clb__json_object_get(v, "@id")))))
        return n;
    return v;
}

static const char *address_region(const clb_json *place, const clb_json *graph)
{
    const clb_json *addr;
    place = deref(place, graph);
    addr = deref(clb__json_object_get(place, "address"), graph);
    if (!clb_json_is_object(addr) && clb_json_is_object(place) &&
        clb__json_object_get(place, "addressRegion"))
        addr = place;
    return clb__json_string(clb__json_object_get(addr, "addressRegion"));
}

/* A date member: a JSON string "YYYY-MM-DD" or a date-time (its date part). */
static int put_date_member(clb_buf *out, const char *key, const clb_json *v)
{
    const char *s = clb__json_string(v);
    int rc = clb__buf_printf(out, ",\"%s\":", key);
    if (rc == 0 && s && strlen(s) > 10 && s[10] == 'T') {
        char d[11];
        memcpy(d, s, 10);
        d[10] = '\0';
        return clb__buf_put_json_string(out, d);
    }
    return rc ? rc : clb__offers_put_json(out, v, NULL);
}

/* Monthly EUR from baseSalary; returns false (and *why) when it cannot be read. */
static bool monthly_wage(double *out, const clb_json *salary, const char **why)
{
    const clb_json *val = salary, *cur;
    const char *unit = "MONTH";
    double x;
    if (clb_json_is_number(salary)) {
        *out = clb__json_number(salary);
        return true;
    }
    if (!clb_json_is_object(salary)) {
        *why = "baseSalary must be a number or a MonetaryAmount";
        return false;
    }
    cur = clb__json_object_get(salary, "currency");
    if (cur && !(clb__json_string(cur) && strcmp(clb__json_string(cur), "EUR") == 0)) {
        *why = "baseSalary currency must be EUR";
        return false;
    }
    val = clb__json_object_get(salary, "value");
    if (clb_json_is_object(val)) {
        const char *u = clb__json_string(clb__json_object_get(val, "unitText"));
        if (u)
            unit = u;
        if (clb__json_object_get(val, "value"))
            val = clb__json_object_get(val, "value");
        else
            val = clb__json_object_get(val, "minValue");
    } else if (clb__json_string(clb__json_object_get(salary, "unitText"))) {
        unit = clb__json_string(clb__json_object_get(salary, "unitText"));
    }
    if (!clb_json_is_number(val)) {
        *why = "baseSalary has no numeric value";
        return false;
    }
    x = clb__json_number(val);
    if (strcasecmp(unit, "MONTH") == 0)
        *out = x;
    else if (strcasecmp(unit, "YEAR") == 0)
        *out = x / 12.0;
    else if (strcasecmp(unit, "WEEK") == 0)
        *out = x * 52.0 / 12.0;
    else if (strcasecmp(unit, "DAY") == 0)
        *out = x * 21.75;
    else if (strcasecmp(unit, "HOUR") == 0)
        *out = x * 40.0 * 52.0 / 12.0;
    else {
        *why = "baseSalary unitText must be HOUR, DAY, WEEK, MONTH or YEAR";
        return false;
    }
    if (!isfinite(*out)) {
        /* e.g. 1e308 an hour: the monthly figure overflows; never dropped silently */
        *why = "baseSalary value is out of range (the monthly wage overflows)";
        return false;
    }
    *out = round(*out * 100.0) / 100.0;
    return true;
}

static int put_skills(clb_buf *out, const clb_json *skills)
{
    int rc = clb__buf_puts(out, ",\"requires\":{\"skills\":[");
    bool first = true;
    if (clb_json_is_string(skills)) {
        /* "a, b, c" */
        const char *s = clb__json_string(skills);
        while (rc == 0 && *s) {
            const char *e = strchr(s, ',');
            size_t n = e ? (size_t)(e - s) : strlen(s);
            while (n && isspace((unsigned char)*s)) {
                s++;
                n--;
            }
            while (n && isspace((unsigned char)s[n - 1]))
                n--;
            if (n) {
                char *one = clb__malloc(n + 1);
                if (!one)
                    return CLB_ENOMEM;
                memcpy(one, s, n);
                one[n] = '\0';
                rc = clb__buf_puts(out, first ? "" : ",");
                if (rc == 0)
                    rc = clb__buf_put_json_string(out, one);
                clb__free(one);
                first = false;
            }
            s = e ? e + 1 : s + strlen(s);
        }
    } else {
        size_t n = clb_json_is_array(skills) ? clb__json_array_size(skills) : 1;
        for (size_t i = 0; i < n && rc == 0; i++) {
            const clb_json *x = clb_json_is_array(skills) ? clb__json_array_get(skills, i)
                                                          : skills;
            char tmp[32];
            const char *s = ld_text(x, tmp);
            rc = clb__buf_puts(out, first ? "" : ",");
            first = false;
            if (rc == 0)
                rc = s ? clb__buf_put_json_string(out, s)
                       : clb__offers_put_json(out, x, NULL);
        }
    }
    return rc ? rc : clb__buf_puts(out, "]}");
}

/* One JobPosting being mapped: where it is on its page and what was read of it so
 * far. The texts may point into the buffers (numbers read as text, mapped codes). */
typedef struct posting {
    batch *b;
    const clb_json *jp, *graph;
    const clb_json *org; /* hiringOrganization, references resolved */
    const char *page, *path;
    const char *id, *emp_id, *region, *org_region, *site_id;
    char tmp[32], tmp2[32], rcode[16], ocode[16];
} posting;

/* The posting's id and its employer's: identifier or @id, the organisation's name
 * through the mapping tables, else the source's default employer. False: rejected. */
static bool posting_ids(posting *p)
{
    batch *b = p->b;
    const clb_json *jp = p->jp, *org;
    if (!clb_json_is_object(jp) || !type_is(jp, "JobPosting")) {
        clb__offers_problem(b, clb__offers_at(b, p->page, p->path),
                            "expected a JobPosting object");
        b->rejected++;
        return false;
    }
    p->id = ld_text(clb__json_object_get(jp, "identifier"), p->tmp);
    if (!p->id)
        p->id = clb__json_string(clb__json_object_get(jp, "@id"));
    if (!p->id) {
        clb__offers_problem(b, clb__offers_at(b, p->page, p->path),
                            "JobPosting has neither identifier nor @id");
        b->rejected++;
        return false;
    }
    org = p->org = deref(clb__json_object_get(jp, "hiringOrganization"), p->graph);
    if (clb_json_is_object(org)) {
        p->emp_id = ld_text(clb__json_object_get(org, "identifier"), p->tmp2);
        if (!p->emp_id)
            p->emp_id = clb__json_string(clb__json_object_get(org, "@id"));
    }
    if (!p->emp_id && clb_json_is_object(org) && b->maps) {
        /* an organisation named without an identifier: the employer its name maps to */
        const char *name = clb__json_string(clb__json_object_get(org, "name"));
        if (name && !(p->emp_id = clb__maps_lookup(b->maps, CLB_MAP_EMPLOYER, name)) &&
            !b->default_employer) {
            clb__offers_note_unmapped(b, CLB_MAP_EMPLOYER, name);
            b->rejected++;
            return false;
        }
    }
    if (!p->emp_id)
        p->emp_id = b->default_employer;
    if (!p->emp_id) {
        clb__offers_problem(
            b, clb__offers_at2(b, p->page, p->path, ".hiringOrganization"),
            "JobPosting names no employer (hiringOrganization.identifier or @id) and "
            "the source has no default employer (--employer)");
        b->rejected++;
        return false;
    }
    return true;
}

/* The job's and the organisation's regions, as the agency's codes. False: rejected. */
static bool posting_regions(posting *p)
{
    batch *b = p->b;
    clb_buf emp = CLB_BUF_INIT;
    p->region = address_region(clb__json_object_get(p->jp, "jobLocation"), p->graph);
    p->org_region = clb_json_is_object(p->org) ? address_region(p->org, p->graph) : NULL;
    if (b->maps) {
        /* region names and codes to the agency's codes (rules/maps.c decides) */
        bool ok = true;
        if (p->region) {
            p->region = clb__maps_resolve(b->maps, CLB_MAP_REGION, p->region, p->rcode,
                                          &ok);
            if (!ok)
                clb__offers_note_unmapped(b, CLB_MAP_REGION, p->region);
        }
        if (ok && p->org_region) {
            p->org_region = clb__maps_resolve(b->maps, CLB_MAP_REGION, p->org_region,
                                              p->ocode, &ok);
            if (!ok)
                clb__offers_note_unmapped(b, CLB_MAP_REGION, p->org_region);
        }
        if (!ok) {
            b->rejected++;
            return false;
        }
    }
    if (!p->org_region &&
        !clb__offers_stored_record(b, &emp, CLB_RECORD_EMPLOYER, p->emp_id))
        p->org_region = p->region; /* a new employer's region is where its job is */
    clb_buf_dispose(&emp);
    return true;
}

/* The employer: from hiringOrganization (or the source's default, which must then
 * be known to the database or the feed). False: out of memory. */
static bool posting_employer(posting *p, const path_map *m)
{
    batch *b = p->b;
    clb_buf emp = CLB_BUF_INIT;
    int rc = 0;
    if (clb_json_is_object(p->org) && clb__strtab_lookup(&b->emp_ids, p->emp_id) < 0) {
        const char *name = clb__json_string(clb__json_object_get(p->org, "name"));
        rc = clb__buf_puts(&emp, "{\"id\":");
        if (rc == 0)
            rc = clb__buf_put_json_string(&emp, p->emp_id);
        if (rc == 0 && name)
            rc = clb__buf_puts(&emp, ",\"name\":") || clb__buf_put_json_string(&emp, name);
        if (rc == 0 && p->org_region)
            rc = clb__buf_puts(&emp, ",\"region\":") ||
                 clb__buf_put_json_string(&emp, p->org_region);
        if (rc == 0)
            rc = clb__buf_puts(&emp, "}");
        if (rc)
            b->oom = 1;
        else
            clb__offers_add_employer(b, p->emp_id, emp.ptr, p->page, m, true);
    }
    clb_buf_dispose(&emp);
    return rc == 0;
}

/* The vacancy's region is its site's: the employer's implicit site, or the one of
 * its sites (kept from the database) in the job's region. False: rejected. */
static bool posting_site(posting *p)
{
    batch *b = p->b;
    const char *et = clb__offers_employer_text(b, p->emp_id), *region = p->region;
    clb_json *e = NULL;
    bool ok = true;
    if (et && region && clb__json_load_buffer(&e, et, strlen(et), NULL, NULL) == 0) {
        const char *er = clb__json_string(clb__json_object_get(e, "region"));
        const clb_json *sites = clb__json_object_get(e, "sites");
        size_t matches = 0;
        for (size_t i = 0; i < clb__json_array_size(sites); i++) {
            const clb_json *site = clb__json_array_get(sites, i);
            const char *sr = clb__json_string(clb__json_object_get(site, "region"));
            const char *sid = clb__json_string(clb__json_object_get(site, "id"));
            if (sid && sr && strcmp(sr, region) == 0 && matches++ == 0)
                p->site_id = clb__offers_arena_printf(b, "%s", sid);
        }
        if (matches > 1)
            p->site_id = NULL; /* several: the reader says the site is ambiguous */
        if (clb__json_array_size(sites) > 0 && matches == 0) {
            clb__offers_problem(b, clb__offers_at2(b, p->page, p->path, ".jobLocation"),
                                "job region '%s' matches no site of employer '%s'",
                                region, p->emp_id);
            b->rejected++;
            ok = false;
        } else if (clb__json_array_size(sites) == 0 && er && strcmp(er, region) != 0) {
            clb__offers_problem(
                b, clb__offers_at2(b, p->page, p->path, ".jobLocation"),
                "job region '%s' differs from employer '%s' region; publish "
                "offers at other sites in the circulab-offers/1 format",
                region, p->emp_id);
            b->rejected++;
            ok = false;
        }
        clb__json_free(e);
    }
    return ok;
}

/* The vacancy record in native terms. False: rejected (the wage) or out of memory. */
static bool posting_vacancy(posting *p, clb_buf *vac)
{
    batch *b = p->b;
    const clb_json *jp = p->jp, *v;
    const char *why = NULL;
    int rc = clb__buf_puts(vac, "{\"id\":");
    rc = rc ? rc : clb__buf_put_json_string(vac, p->id);
    rc = rc ? rc : clb__buf_puts(vac, ",\"employer\":");
    rc = rc ? rc : clb__buf_put_json_string(vac, p->emp_id);
    if (rc == 0 && p->site_id)
        rc = clb__buf_puts(vac, ",\"site\":") ||
             clb__buf_put_json_string(vac, p->site_id);
    if (rc == 0 && (v = clb__json_object_get(jp, "jobStartDate")))
        rc = put_date_member(vac, "start", v);
    if (rc == 0 && ((v = clb__json_object_get(jp, "x-jobEndDate")) ||
                    (v = clb__json_object_get(jp, "validThrough"))))
        rc = put_date_member(vac, "end", v);
    if (rc == 0 && (v = clb__json_object_get(jp, "totalJobOpenings")))
        rc = clb__buf_puts(vac, ",\"headcount\":") || clb__offers_put_json(vac, v, NULL);
    if (rc == 0 && (v = clb__json_object_get(jp, "occupationalCategory"))) {
        char t3[32];
        const char *occ = ld_text(v, t3);
        if (clb_json_is_object(v) && clb__json_object_get(v, "codeValue"))
            occ = ld_text(clb__json_object_get(v, "codeValue"), t3);
        rc = clb__buf_puts(vac, ",\"occupation\":");
        if (rc == 0 && occ && occ[0] && strspn(occ, "0123456789") == strlen(occ))
            rc = clb__buf_printf(vac, "\"isco:%s\"", occ);
        else if (rc == 0)
            rc = occ ? clb__buf_put_json_string(vac, occ)
                     : clb__offers_put_json(vac, v, NULL);
    }
    if (rc == 0 && (v = clb__json_object_get(jp, "industry"))) {
        char t4[32];
        const char *ind = ld_text(v, t4);
        rc = clb__buf_puts(vac, ",\"sector\":");
        if (rc == 0)
            rc = ind ? clb__buf_put_json_string(vac, ind)
                     : clb__offers_put_json(vac, v, NULL);
    }
    if (rc == 0 && (v = clb__json_object_get(jp, "skills")))
        rc = put_skills(vac, v);
    if (rc == 0 && (v = clb__json_object_get(jp, "baseSalary"))) {
        double wage;
        if (!monthly_wage(&wage, v, &why)) {
            clb__offers_problem(b, clb__offers_at2(b, p->page, p->path, ".baseSalary"),
                                "%s", why);
            b->rejected++;
            return false;
        }
        rc = clb__buf_puts(vac, ",\"wage_month_eur\":") || clb__buf_put_json_number(vac, wage);
    }
    if (rc == 0)
        rc = clb__buf_puts(vac, "}");
    if (rc)
        b->oom = 1;
    return rc == 0;
}

/* Occupation texts, employer names and numeric strings through the mapping tables,
 * as for submissions. False: rejected (an unmapped occupation) or out of memory. */
static bool posting_map(posting *p, clb_buf *vac)
{
    batch *b = p->b;
    clb_json *mapped = NULL;
    const char *occ;
    char code[16];
    bool usable = true;
    int rc;
    if (!b->maps)
        return true;
    rc = clb__json_load_buffer(&mapped, vac->ptr, vac->size, NULL, NULL) < 0 ||
         clb__maps_apply(mapped, b->maps) < 0;
    if (rc == 0) {
        clb__buf_clear(vac);
        rc = clb__offers_put_json(vac, mapped, NULL);
    }
    occ = rc == 0 ? clb__json_string(clb__json_object_get(mapped, "occupation")) : NULL;
    if (occ)
        clb__maps_resolve(b->maps, CLB_MAP_OCCUPATION, occ, code, &usable);
    if (!usable)
        clb__offers_note_unmapped(b, CLB_MAP_OCCUPATION, occ);
    clb__json_free(mapped);
    if (rc) {
        b->oom = 1;
        return false;
    }
    if (!usable)
        b->rejected++;
    return usable;
}

/* Map one JobPosting to a vacancy (and its employer) and add them. */
static void jp_posting(batch *b, const clb_json *jp, const clb_json *graph,
                       const char *page, const char *path)
{
    clb_buf vac = CLB_BUF_INIT, emp_path = CLB_BUF_INIT;
    path_map m = {NULL, path, true};
    posting p = {.b = b, .jp = jp, .graph = graph, .page = page, .path = path};

    if (!posting_ids(&p) || !posting_regions(&p))
        goto done;
    clb__buf_printf(&emp_path, "%s.hiringOrganization", path);
    m.emp_path = emp_path.ptr;
    if (posting_employer(&p, &m) && posting_site(&p) && posting_vacancy(&p, &vac) &&
        posting_map(&p, &vac))
        clb__offers_add_vacancy(b, p.id, p.emp_id, vac.ptr, false, page, &m);
done:
    clb_buf_dispose(&vac);
    clb_buf_dispose(&emp_path);
}

/* Is this document JobPosting JSON-LD (as opposed to anything else)? */
bool clb__offers_looks_like_jobposting(const clb_json *root)
{
    if (clb_json_is_array(root))
        return true;
    return clb_json_is_object(root) &&
           (clb__json_object_get(root, "@graph") || clb__json_object_get(root, "@type") ||
            clb__json_object_get(root, "@context"));
}

/* Walk a JobPosting page: one object, an array, an ItemList or @graph. */
int clb__offers_jp_page(batch *b, const clb_json *root, const char *page, clb_error *err)
{
    const clb_json *graph = clb__json_object_get(root, "@graph"), *list = NULL;
    clb_buf path = CLB_BUF_INIT;
    const char *base;
    bool item_list = false;
    int error = 0;
    if (clb_json_is_array(root)) {
        list = root;
        base = "$";
    } else if (clb_json_is_object(root) && graph) {
        if (!clb_json_is_array(graph))
            return clb__error_set(err, CLB_EINVAL, "%s: $['@graph']: must be an array",
                                 page);
        list = graph;
        base = "$['@graph']";
    } else if (clb_json_is_object(root) && type_is(root, "ItemList")) {
        list = clb__json_object_get(root, "itemListElement");
        if (!clb_json_is_array(list))
            return clb__error_set(err, CLB_EINVAL,
                                 "%s: $.itemListElement: an ItemList needs an array", page);
        base = "$.itemListElement";
        item_list = true;
    } else if (clb_json_is_object(root) && type_is(root, "JobPosting")) {
        jp_posting(b, root, NULL, page, "$");
        return 0;
    } else {
        return clb__error_set(err, CLB_EINVAL,
                             "%s: $: neither a JobPosting, an ItemList, an array nor a "
                             "@graph", page);
    }
    for (size_t i = 0; i < clb__json_array_size(list) && !b->oom; i++) {
        const clb_json *x = clb__json_array_get(list, i);
        clb__buf_clear(&path);
        if (clb__buf_printf(&path, "%s[%zu]", base, i) < 0) {
            error = clb__oom(err);
            break;
        }
        if (graph && !type_is(x, "JobPosting"))
            continue; /* organizations, places...: referenced, not offers */
        if (item_list && type_is(x, "ListItem")) {
            if (clb__buf_puts(&path, ".item") < 0) {
                error = clb__oom(err);
                break;
            }
            x = clb__json_object_get(x, "item");
        }
        jp_posting(b, x, graph, page, path.ptr);
    }
    clb_buf_dispose(&path);
    return error;
}
