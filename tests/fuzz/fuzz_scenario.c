/*
 * fuzz_scenario.c - fuzz target of the scenario reader (circulab-scenario/1 from memory).
 *
 * Besides "no crash, no leak, no undefined behaviour", the target checks the property
 * the system of record relies on: a scenario that loads is written back by the record
 * writers (engine/scenario/save.c) as a document that loads again and is written back
 * to the same bytes. A failure there means the database could store a record its own
 * reader refuses. It also runs the JSON scanner that `import` applies to the raw text
 * before validation (members, array elements, strings), on the same input.
 *
 * Variants (`extends`) read their base from disk: the target runs in a directory that
 * holds `base.json`, and inputs that could name a file elsewhere (any '/' or escape in
 * a document mentioning "extends") are skipped, so the fuzzer never reads /dev or /proc.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circulab.h"
#include "scenario/save.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *a, const char *b)
{
    fprintf(stderr, "fuzz_scenario: %s\n--- first ---\n%s\n--- second ---\n%s\n", what,
            a ? a : "", b ? b : "");
    abort();
}

static void collect(clb_span elem, void *payload)
{
    const char *text = payload;
    clb_span v;
    clb_buf id = CLB_BUF_INIT;
    if (clb__jscan_member(&v, text, elem, "id"))
        clb__jscan_string(&id, text, v);
    clb_buf_dispose(&id);
}

/* What import does to the raw text before the reader sees it. */
static void scan(const char *text, size_t len)
{
    static const char *const keys[] = {"format", "employers", "workers", "vacancies",
                                       "pins", "bans", "scores"};
    clb_span top = {0, len}, v;
    clb_buf s = CLB_BUF_INIT;
    size_t pos = 0;

    (void)clb__jscan_skip_value(text, len, &pos);
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        if (!clb__jscan_member(&v, text, top, keys[k]))
            continue;
        clb__buf_clear(&s);
        (void)clb__jscan_string(&s, text, v);
        (void)clb__jscan_elements(text, v, collect, (void *)text);
    }
    clb_buf_dispose(&s);
}

static bool names_other_files(const char *text, size_t len)
{
    bool extends = false;
    for (size_t i = 0; i + 7 <= len && !extends; i++)
        extends = memcmp(text + i, "extends", 7) == 0;
    return extends && (memchr(text, '/', len) || memchr(text, '\\', len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    clb_scenario *sc = NULL, *again = NULL;
    clb_diags *diags = NULL;
    clb_buf one = CLB_BUF_INIT, two = CLB_BUF_INIT;
    clb_error err;
    int rc;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (names_other_files(text, size))
        goto done;
    scan(text, size);
    if (clb_diags_new(&diags) < 0)
        goto done;
    clb_error_init(&err);
    rc = clb_scenario_load_buffer(&sc, text, size, "input.json", diags, &err);
    for (size_t i = 0; i < clb_diags_count(diags); i++) {
        const clb_diag *d = clb_diags_get(diags, i);
        if (!d->rule || !d->message || !d->path)
            fail("a diagnostic without rule, message or path", NULL, NULL);
    }
    if (rc == 0 && !sc)
        fail("success without a scenario", text, NULL);
    if (rc < 0) {
        if (sc)
            fail("an error with a scenario", text, NULL);
        if (rc != CLB_EPARSE && rc != CLB_EINVAL && rc != CLB_EIO)
            fail("an unexpected error code", err.message, clb_strerror(rc));
        if (!err.message[0])
            fail("an error without a message", text, NULL);
        goto done;
    }
    if (clb__scenario_save_doc(&one, sc, CLB_SAVE_NAME | CLB_SAVE_HISTORY) < 0)
        goto done;
    clb_error_init(&err);
    if (clb_scenario_load_buffer(&again, one.ptr, one.size, "saved.json", NULL, &err) < 0)
        fail("the saved document does not load", one.ptr, err.message);
    if (clb__scenario_save_doc(&two, again, CLB_SAVE_NAME | CLB_SAVE_HISTORY) < 0)
        goto done;
    if (one.size != two.size || memcmp(one.ptr, two.ptr, one.size) != 0)
        fail("saving the saved document changes it", one.ptr, two.ptr);
done:
    clb_buf_dispose(&one);
    clb_buf_dispose(&two);
    clb_scenario_free(again);
    clb_scenario_free(sc);
    clb_diags_free(diags);
    free(text);
    return 0;
}
