/*
 * fuzz_csv.c - fuzz target of the CSV import reader (engine/io/csv.c), from memory.
 *
 * It follows what `import` does with a CSV file, without the database: parse the
 * cells, tell the kind from the header, map the rows to scenario records, wrap them in
 * a document and validate it with the scenario reader, then map every diagnostic's
 * JSON path back to a cell. The employers a vacancy file names are supplied (as the
 * database would hold them), so that the reader gets past references to the fields.
 * Checked beyond memory safety: the generated records are JSON, every error has a
 * message, and every cell a diagnostic is mapped to lies inside the file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circulab.h"
#include "io/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_csv: %s: %s\n", what, detail ? detail : "");
    abort();
}

/* The employers of a vacancy file: one record per distinct `employer` cell. */
static int employers_of(clb_buf *out, const clb_csv *csv)
{
    int col = clb__csv_column(csv, "employer");
    int rc = clb__buf_puts(out, "[");
    bool first = true;
    for (size_t r = 1; col >= 0 && rc == 0 && r < csv->nrows; r++) {
        const char *id = clb__csv_get(csv, r, (size_t)col)->text;
        bool seen = !id[0];
        for (size_t q = 1; q < r && !seen; q++)
            seen = strcmp(clb__csv_get(csv, q, (size_t)col)->text, id) == 0;
        if (seen)
            continue;
        rc = clb__buf_puts(out, first ? "{\"id\":" : ",{\"id\":");
        if (rc == 0)
            rc = clb__buf_put_json_string(out, id);
        if (rc == 0)
            rc = clb__buf_puts(out, ",\"region\":\"ES615\"}");
        first = false;
    }
    return rc == 0 ? clb__buf_puts(out, "]") : rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    clb_csv csv;
    clb_csv_kind kind;
    clb_buf rows = CLB_BUF_INIT, doc = CLB_BUF_INIT, emps = CLB_BUF_INIT;
    clb_scenario *sc = NULL;
    clb_diags *diags = NULL;
    clb_error err;
    const char *coll;
    int rc;

    clb_error_init(&err);
    rc = clb__csv_load_buffer(&csv, (const char *)data, size, "input.csv", NULL, &err);
    if (rc < 0) {
        if (rc != CLB_EPARSE && rc != CLB_EINVAL && rc != CLB_ENOMEM)
            fail("an unexpected error code from the reader", err.message);
        if (!err.message[0])
            fail("a reader error without a message", NULL);
        return 0;
    }
    if (csv.nrows > 0 && csv.ncols < 1)
        fail("a header row without fields", NULL);
    for (size_t r = 0; r < csv.nrows; r++)
        for (size_t c = 0; c < csv.ncols; c++) {
            const clb_csv_cell *cell = clb__csv_get(&csv, r, c);
            if (!cell->text || cell->line < 1 || cell->column < 1)
                fail("a cell without text or position", NULL);
        }
    kind = clb__csv_kind_of(&csv);
    if (kind == CLB_CSV_UNKNOWN || kind == CLB_CSV_PLACEMENTS)
        goto done;
    clb_error_init(&err);
    if ((rc = clb__csv_to_json(&rows, &csv, kind, "input.csv", &err)) < 0) {
        if (!err.message[0])
            fail("a mapping error without a message", NULL);
        goto done;
    }
    coll = kind == CLB_CSV_WORKERS ? "workers" : kind == CLB_CSV_VACANCIES ? "vacancies"
                                                                            : "employers";
    rc = clb__buf_printf(&doc, "{\"format\":\"circulab-scenario/1\",\"%s\":%s", coll,
                        rows.ptr ? rows.ptr : "[]");
    if (rc == 0 && kind == CLB_CSV_VACANCIES && (rc = employers_of(&emps, &csv)) == 0)
        rc = clb__buf_printf(&doc, ",\"employers\":%s", emps.ptr);
    if (rc == 0)
        rc = clb__buf_puts(&doc, "}");
    if (rc < 0 || clb_diags_new(&diags) < 0)
        goto done;
    clb_error_init(&err);
    rc = clb_scenario_load_buffer(&sc, doc.ptr, doc.size, "input.csv", diags, &err);
    if (rc == CLB_EPARSE)
        fail("the rows are not JSON", doc.ptr);
    for (size_t i = 0; i < clb_diags_count(diags); i++) {
        const clb_diag *d = clb_diags_get(diags, i);
        char prefix[32];
        int line = 0, col = 0;
        const char *header = NULL;
        snprintf(prefix, sizeof(prefix), "$.%s[", coll);
        if (strncmp(d->path, prefix, strlen(prefix)) != 0)
            continue;
        if (strtol(d->path + strlen(prefix), NULL, 10) >= (long)(csv.nrows - 1))
            continue; /* a supplied employer */
        if (clb__csv_locate(&line, &col, &header, &csv, kind, d->path + 2) &&
            (line < 1 || col < 1))
            fail("a diagnostic located outside the file", d->path);
    }
done:
    clb_scenario_free(sc);
    clb_diags_free(diags);
    clb_buf_dispose(&rows);
    clb_buf_dispose(&doc);
    clb_buf_dispose(&emps);
    clb__csv_dispose(&csv);
    return 0;
}
