/*
 * fuzz_offers.c - fuzz target of the native offers page reader (circulab-offers/1),
 * from memory, through clb_offers_parse_buffer: the page frame, every employer and
 * vacancy validated by the scenario reader, and the final load of the accepted records
 * together. fuzz_jobposting.c reuses this file with FUZZ_FORMAT set to the JobPosting
 * format, since both formats share one entry point.
 *
 * Checked beyond memory safety: only the documented codes come back, an error has a
 * message, and a page read without error reports no more offers than it has bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circulab.h"

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT CLB_OFFERS_NATIVE
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_offers: %s: %s\n", what, detail ? detail : "");
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    clb_buf next = CLB_BUF_INIT, problems = CLB_BUF_INIT;
    clb_error err;
    size_t n_emp = 0, n_vac = 0;
    int rc;

    clb_error_init(&err);
    rc = clb_offers_parse_buffer(&n_emp, &n_vac, (const char *)data, size, FUZZ_FORMAT,
                                 "fuzz", &next, &problems, &err);
    if (rc < 0) {
        if (rc != CLB_EPARSE && rc != CLB_EINVAL && rc != CLB_ENOMEM)
            fail("an unexpected error code", err.message);
        if (!err.message[0])
            fail("an error without a message", clb_strerror(rc));
    } else if (n_emp + n_vac > size) {
        fail("more offers than bytes", problems.ptr);
    }
    if (problems.ptr && strlen(problems.ptr) != problems.size)
        fail("a NUL byte inside the problems", NULL);
    clb_buf_dispose(&next);
    clb_buf_dispose(&problems);
    return 0;
}
