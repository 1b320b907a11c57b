/*
 * load.c - loading a scenario: text -> JSON -> (a variant merged with its base) ->
 * the reader -> the pin check. The one entry point that returns a checked scenario
 * (the public clb_scenario_load_* of scenario.h).
 *
 * Why here, above the reader: the reader (scenario/read.c) defines what a valid
 * document is and needs nothing above it, while loading needs two things from higher
 * up - the variant merge, which itself reads base files, and the eligibility rules,
 * since a pin on an ineligible pair is an input error naming the rules it fails
 * (docs/FORMATS.md §2.8). The pins are checked last, and only when the rest of the
 * document is clean, because the rules read every section. A variant is merged into
 * complete document text and that text is loaded under the variant's own name, so
 * that every error names the file the planner wrote. A clean scenario is then put
 * in its canonical order (scenario/canon.c: records by id), after every diagnostic has
 * cited the document's own order, so that nothing downstream depends on the order of
 * the records in the file.
 */
#include <stdio.h>
#include <string.h>

#include "io/json.h"
#include "rules/eligibility.h"
#include "scenario/diags.h"
#include "scenario/fields.h"
#include "scenario/read.h"
#include "scenario/variant.h"
#include "util/alloc.h"

/* The rule names of a failed mask ("age, stay") into names; *first the first one. */
static int rule_names(clb_buf *names, unsigned mask, const char **first)
{
    int rc = 0;

    clb__buf_clear(names);
    *first = NULL;
    for (unsigned b = 0; b < CLB_RULE_COUNT && rc == 0; b++) {
        const char *name = (mask & (1u << b)) ? clb_rule_name(1u << b) : NULL;
        if (!name)
            continue;
        rc = clb__buf_printf(names, "%s%s", *first ? ", " : "", name);
        if (!*first)
            *first = name;
    }
    return rc < 0 || !names->ptr ? CLB_ENOMEM : 0;
}

/* The message of an ineligible pin, labelled as the reader labels a pin. */
static int pin_message(clb_buf *msg, const char *worker, const char *vacancy,
                       const char *names)
{
    int rc;

    clb__buf_clear(msg);
    if ((rc = clb__buf_puts(msg, "pin (")) < 0 ||
        (rc = clb__field_quote(msg, worker, false)) < 0 ||
        (rc = clb__buf_puts(msg, ", ")) < 0 ||
        (rc = clb__field_quote(msg, vacancy, false)) < 0 ||
        (rc = clb__buf_puts(msg, "): worker ")) < 0 ||
        (rc = clb__field_quote(msg, worker, true)) < 0 ||
        (rc = clb__buf_puts(msg, " is not eligible for vacancy ")) < 0 ||
        (rc = clb__field_quote(msg, vacancy, true)) < 0)
        return rc;
    return clb__buf_printf(msg, " (%s)", names);
}

/* An ineligible pin is an input error naming the failed rules (docs/FORMATS.md §2.8),
 * reported at $.pins[i]. Returns 0 or CLB_ENOMEM. */
static int check_pins(const clb_scenario *s, const char *source, clb_diags *diags)
{
    clb_buf names = CLB_BUF_INIT, msg = CLB_BUF_INIT, path = CLB_BUF_INIT;
    int oom = 0;

    for (size_t i = 0; i < s->n_pins && !oom; i++) {
        const clb_pair_rec *p = &s->pins[i];
        unsigned mask = clb__eligibility_check(s, p->worker, p->vacancy);
        const char *first;

        if (!mask)
            continue;
        clb__buf_clear(&path);
        if (rule_names(&names, mask, &first) < 0 || clb__buf_puts(&path, "$") < 0 ||
            pin_message(&msg, s->workers[p->worker].id, s->vacancies[p->vacancy].id,
                        names.ptr) < 0) {
            oom = CLB_ENOMEM;
            break;
        }
        clb__json_path_push_key(&path, "pins", &oom);
        clb__json_path_push_index(&path, i, &oom);
        if (!oom &&
            clb__diags_add(diags, source, path.ptr, first, 0, 0, "%s", msg.ptr) < 0)
            oom = CLB_ENOMEM;
    }
    clb_buf_dispose(&names);
    clb_buf_dispose(&msg);
    clb_buf_dispose(&path);
    return oom;
}

/* Read a parsed, complete document and check its pins. */
static int read_checked(clb_scenario **out, const clb_json *root, const char *source,
                        clb_diags *diags, clb_error *err)
{
    clb_scenario *s = NULL;
    size_t base = clb_diags_count(diags);
    int error;

    *out = NULL;
    if ((error = clb__scenario_read(&s, root, source, diags, err)) < 0)
        return error;
    if (check_pins(s, source, diags) < 0) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory reading the scenario");
        clb__error_set_source(err, source);
    } else if (clb_diags_count(diags) > base) {
        error = clb__diags_fail(err, diags, base);
    } else if ((error = clb__scenario_canonicalize(s)) < 0) {
        clb__error_set(err, error, "out of memory reading the scenario");
        clb__error_set_source(err, source);
    } else {
        *out = s;
        s = NULL;
    }
    clb_scenario_free(s);
    return error;
}

int clb_scenario_load_buffer(clb_scenario **out, const char *buf, size_t len,
                             const char *source, clb_diags *diags, clb_error *err)
{
    clb_diags *own = NULL;
    clb_json *root = NULL;
    clb_error local;
    int error = 0;

    *out = NULL;
    if (!diags) {
        if (clb_diags_new(&own) < 0) {
            error = clb__error_set(err, CLB_ENOMEM, "out of memory");
            goto done;
        }
        diags = own;
    }
    clb_error_init(&local);
    if ((error = clb__json_load_buffer(&root, buf ? buf : "", buf ? len : 0, source,
                                       &local)) < 0) {
        /* The diagnostic carries line and column in its fields, so its message is
         * the parser's complaint without them (json.h: "invalid json at ...: TEXT"). */
        const char *text = strstr(local.message, ": ");
        if (error == CLB_EPARSE &&
            clb__diags_add(diags, source, "", "syntax", local.line, local.column,
                           "invalid json: %s", text ? text + 2 : local.message) < 0)
            error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        else
            clb__error_copy(err, &local);
        goto done;
    }
    if (clb__variant_is(root)) {
        /* A variant: merge it with its base, then read the merged text under the
         * variant's own name, so that every error names the variant file. */
        clb_buf merged = CLB_BUF_INIT;
        if ((error = clb__variant_merge(&merged, root, source, diags, err)) == 0)
            error = clb_scenario_load_buffer(out, merged.ptr, merged.size, source, diags,
                                             err);
        clb_buf_dispose(&merged);
        goto done;
    }
    error = read_checked(out, root, source, diags, err);
done:
    clb__json_free(root);
    clb_diags_free(own);
    return error;
}

int clb_scenario_load_file(clb_scenario **out, const char *path, clb_diags *diags,
                           clb_error *err)
{
    return clb_scenario_load_file_max(out, path, 0, diags, err);
}

int clb_scenario_load_file_max(clb_scenario **out, const char *path, size_t max_bytes,
                               clb_diags *diags, clb_error *err)
{
    clb_buf text = CLB_BUF_INIT;
    int error;

    *out = NULL;
    if ((error = clb__file_read_max(&text, path, max_bytes, err)) < 0)
        goto done;
    error = clb_scenario_load_buffer(out, text.ptr ? text.ptr : "", text.size, path,
                                     diags, err);
done:
    clb_buf_dispose(&text);
    return error;
}
