/*
 * write.c - the accepted records of a batch written through the store, inside the
 * caller's transaction.
 *
 * The records are assembled into circulab-scenario/1 documents, WRITE_CHUNK records
 * at a time, each record merged once more over what is stored now, and loaded by the
 * scenario reader a last time (rules across records) before the store upserts them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "offers/batch.h"
#include "scenario/diags.h"
#include "scenario/scenario_impl.h"

/* Records loaded and written together: bounds the memory of the write. */
#define WRITE_CHUNK 1000

/*
 * Write feed employers [e0, e1) or vacancies [v0, v1) of the batch as one document:
 * each record merged again over the stored one as it is now, inside the write
 * transaction (whatever changed since validation, an import or the portal, is kept,
 * not overwritten by the copy read before the fetch), with the stored employers the
 * vacancies refer to (so the reader resolves their sites), loaded by the scenario
 * reader (cross-record rules) and upserted. `extra` collects the ids of database
 * employers written along (for the report's count).
 */
static int write_chunk(clb_offers_report *rep, batch *b, size_t e0, size_t e1, size_t v0,
                       size_t v1, clb_strtab *extra, clb_error *err)
{
    clb_buf doc = CLB_BUF_INIT, one = CLB_BUF_INIT;
    clb_diags *diags = NULL;
    clb_scenario *s = NULL;
    clb_strtab here;
    clb_import_stats stats;
    int error = 0, rc;
    bool first = true;

    clb__strtab_init(&here);
    memset(&stats, 0, sizeof(stats));
    rc = clb__buf_puts(&doc, "{\"format\":\"" SCENARIO_FORMAT "\",\"workers\":[],"
                            "\"employers\":[");
    for (size_t i = e0; i < e1 && rc == 0; i++) {
        rc = clb__offers_merge_stored(b, &one, CLB_RECORD_EMPLOYER, b->emps.v[i].id,
                                      b->emps.v[i].raw);
        rc = rc ? rc : clb__buf_puts(&doc, first ? "\n" : ",\n") || clb__buf_puts(&doc, one.ptr);
        first = false;
    }
    /* the employers the vacancies refer to, as stored now (feed employers were
     * written first, so theirs are already merged) */
    for (size_t i = v0; i < v1 && rc == 0; i++) {
        clb_json *v = NULL;
        const char *emp;
        if (clb__json_load_buffer(&v, b->vacs.v[i].text, strlen(b->vacs.v[i].text), NULL,
                                 NULL) < 0) {
            rc = CLB_ENOMEM;
            break;
        }
        emp = clb__json_string(clb__json_object_get(v, "employer"));
        if (emp && clb__strtab_lookup(&here, emp) < 0 &&
            clb__offers_stored_record(b, &one, CLB_RECORD_EMPLOYER, emp)) {
            if (clb__strtab_intern(&here, emp) < 0 ||
                (clb__strtab_lookup(&b->emp_ids, emp) < 0 &&
                 clb__strtab_intern(extra, emp) < 0))
                rc = CLB_ENOMEM;
            else
                rc = clb__buf_puts(&doc, first ? "\n" : ",\n") || clb__buf_puts(&doc, one.ptr);
            first = false;
        }
        clb__json_free(v);
    }
    rc = rc ? rc : clb__buf_puts(&doc, "],\"vacancies\":[");
    for (size_t i = v0; i < v1 && rc == 0; i++) {
        if (b->replace) {
            clb__buf_clear(&one);
            rc = clb__buf_puts(&one, b->vacs.v[i].raw);
        } else {
            rc = clb__offers_merge_stored(b, &one, CLB_RECORD_VACANCY, b->vacs.v[i].id,
                                          b->vacs.v[i].raw);
        }
        rc = rc ? rc : clb__buf_puts(&doc, i > v0 ? ",\n" : "\n") || clb__buf_puts(&doc, one.ptr);
    }
    rc = rc ? rc : clb__buf_puts(&doc, "]}");
    clb_buf_dispose(&one);
    if (rc || clb_diags_new(&diags) < 0) {
        error = clb__oom(err);
        goto done;
    }
    if ((error = clb_scenario_load_buffer(&s, doc.ptr, doc.size, b->source, diags, err)) <
        0) {
        /* records valid on their own that clash together (site ids, ...) */
        for (size_t i = 0; i < clb_diags_count(diags); i++)
            clb__offers_problem(b, "all pages", "%s", clb_diags_get(diags, i)->message);
        goto done;
    }
    clb_buf_dispose(&doc); /* the loaded scenario is all the write needs */
    for (size_t i = 0; i < v1 - v0; i++) {
        const rec *r = &b->vacs.v[v0 + i];
        const char *src = NULL;
        /* the loaded scenario lists its vacancies by id, not in the batch's order */
        int32_t vi = clb__scenario_vacancy_index(s, r->id);
        if (vi < 0) {
            error = clb__error_set(err, CLB_EINTERNAL, "offer '%s' lost in the batch",
                                   r->id);
            goto done;
        }
        s->vacancies[vi].withdrawn = r->withdrawn;
        if (r->withdrawn)
            rep->withdrawn++;
        else if (!clb__offers_db_has_vacancy(b, r->id, &src))
            rep->added++;
        else
            rep->updated++;
    }
    error = clb_store_upsert_offers(b->store, &stats, s, b->owner, err);
done:
    clb_scenario_free(s);
    clb_diags_free(diags);
    clb_buf_dispose(&doc);
    clb__strtab_dispose(&here);
    if (error == 0 && b->oom)
        error = clb__oom(err);
    return error;
}

/*
 * Write the accepted records inside the store's open transaction, WRITE_CHUNK at a
 * time: the feed's employers first, then the vacancies. Counts go to the report.
 */
int clb__offers_write_batch(clb_offers_report *rep, batch *b, clb_error *err)
{
    clb_strtab extra;
    int error = 0;
    clb__strtab_init(&extra);
    for (size_t i = 0; i < b->emps.n && error == 0; i += WRITE_CHUNK)
        error = write_chunk(rep, b, i, i + WRITE_CHUNK < b->emps.n ? i + WRITE_CHUNK
                                                                   : b->emps.n,
                            0, 0, &extra, err);
    for (size_t i = 0; i < b->vacs.n && error == 0; i += WRITE_CHUNK)
        error = write_chunk(rep, b, 0, 0, i,
                            i + WRITE_CHUNK < b->vacs.n ? i + WRITE_CHUNK : b->vacs.n,
                            &extra, err);
    rep->employers = (int)(b->emps.n + extra.count);
    clb__strtab_dispose(&extra);
    return error;
}
