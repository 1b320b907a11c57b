/*
 * offers_impl.h - submitting vacancies from a buffer, for the employer portal
 * (engine/server/): the same reader and the same all-or-nothing write as
 * `vacancy submit FILE`, with the portal's hooks.
 */
#ifndef CLB_OFFERS_IMPL_H
#define CLB_OFFERS_IMPL_H

#include "circulab/offers.h"

typedef struct clb__offers_submit_opts {
    const char *label;    /* names the input in messages ("input" when NULL) */
    /* An employer's own submission: vacancies without `employer` are this one's, and
     * `employers` entries of a document are not written (the caller checked them). */
    const char *employer;
    clb_diags *diags;     /* receives each problem with its JSON path and rule */
    bool replace;         /* vacancies replace the stored ones whole (a PUT), instead
                             of being merged over them */
    /* Called inside the write transaction, after the vacancies are written and before
     * the commit; a negative return rolls everything back. */
    int (*before_commit)(clb_store *store, const char *const *ids, size_t n,
                         void *payload, clb_error *err);
    void *payload;
    clb_buf *ids;         /* receives the stored vacancy ids, one per line */
} clb__offers_submit_opts;

/*
 * As clb_offers_submit_file, from `len` bytes of text. Returns 0, CLB_EPARSE (not
 * JSON), CLB_EINVAL (invalid records: each in diags and problems; nothing stored),
 * what before_commit returned, CLB_EDB or CLB_ENOMEM.
 */
int clb__offers_submit_buffer(clb_offers_report *report, clb_store *store,
                              const char *text, size_t len,
                              const clb__offers_submit_opts *opts, clb_buf *problems,
                              clb_error *err);

#endif
