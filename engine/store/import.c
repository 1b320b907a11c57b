/*
 * import.c - `circulab import`: scenario documents and CSV files of workers,
 * vacancies or employers into the database, all files in one transaction.
 *
 * A file is never read alone: the database's records are spliced into its arrays
 * (after the file's own, so that JSON paths and CSV cells in error messages are
 * what the user sees), and the whole is read by the one scenario reader. Only what
 * the reader accepts is written, and after the last file the database must still
 * assemble into valid scenarios (clb__store_check_valid): otherwise nothing is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"
#include "io/csv.h"
#include "io/json.h"
#include "scenario/diags.h"
#include "scenario/save.h"
#include "scenario/scenario_impl.h"
#include "util/alloc.h"

typedef struct scan_ids {
    const char *text;
    clb__store_idset *set;
    int rc;
} scan_ids;

static void collect_id(clb_span elem, void *payload)
{
    scan_ids *c = payload;
    clb_span v;
    clb_buf id = CLB_BUF_INIT;
    if (c->rc == 0 && clb__jscan_member(&v, c->text, elem, "id") &&
        clb__jscan_string(&id, c->text, v) && id.ptr)
        c->rc = clb__store_idset_add(c->set, id.ptr);
    clb_buf_dispose(&id);
}

/* Append to `extra` the rows of `sql` (column 0 an id, then a doc or WORKER_COLS)
 * whose id is not in `skip`, each preceded by a comma. */
static int db_records_except(clb_buf *extra, clb_store *st, const char *sql, bool workers,
                             clb__store_idset *skip, size_t *count, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0, error = clb__store_prep(st, &s, sql, err);
    if (error < 0)
        return error;
    while (rc == 0 && (error = sqlite3_step(s)) == SQLITE_ROW) {
        if (clb__store_idset_has(skip, clb__store_col_text0(s, 0)))
            continue;
        rc = clb__buf_puts(extra, ",");
        if (rc == 0)
            rc = workers ? clb__store_put_worker_row(extra, s, 1, false)
                         : clb__buf_puts(extra, clb__store_col_text0(s, 1));
        (*count)++;
    }
    if (rc < 0)
        error = clb__oom(err);
    else if (error != SQLITE_DONE)
        error = clb__store_db_error(st, err, "read");
    else
        error = 0;
    sqlite3_finalize(s);
    return error;
}

/* One pending insertion into the text of a document. */
typedef struct insertion {
    size_t at;
    clb_buf text;
} insertion;

/* Report every diagnostic as a line of `problems`. With a CSV, map JSON paths of the
 * generated array (`coll`) back to cells. */
static void report_diags(clb_buf *problems, const clb_diags *diags, const char *file,
                         const clb_csv *csv, clb_csv_kind kind, const char *coll,
                         size_t file_records)
{
    for (size_t i = 0; problems && diags && i < clb_diags_count(diags); i++) {
        const clb_diag *d = clb_diags_get(diags, i);
        int line = d->line, col = d->column;
        const char *header = NULL;
        const char *path = d->path ? d->path : "";
        bool in_csv = false;
        if (csv && coll && strncmp(path, coll, strlen(coll)) == 0 &&
            path[strlen(coll)] == '[') {
            long idx = strtol(path + strlen(coll) + 1, NULL, 10);
            if (idx >= 0 && (size_t)idx < file_records)
                in_csv = clb__csv_locate(&line, &col, &header, csv, kind, path + 2);
        }
        if (in_csv && header)
            clb__buf_printf(problems, "%s:%d:%d: column '%s': %s\n", file, line, col, header,
                            d->message);
        else if (in_csv)
            clb__buf_printf(problems, "%s:%d:%d: %s\n", file, line, col, d->message);
        else if (csv)
            clb__buf_printf(problems, "%s: %s (with the database's records)\n", file,
                           d->message);
        else if (line > 0)
            clb__buf_printf(problems, "%s:%d:%d: %s\n", file, line, col, d->message);
        else
            clb__buf_printf(problems, "%s: %s: %s\n", file, *path ? path : "$",
                            d->message);
    }
}

static void report_error(clb_buf *problems, const char *file, const clb_error *e)
{
    if (!problems)
        return;
    if (e->line > 0 && !strstr(e->message, file))
        clb__buf_printf(problems, "%s:%d:%d: %s\n", file, e->line, e->column, e->message);
    else if (strstr(e->message, file))
        clb__buf_printf(problems, "%s\n", e->message);
    else
        clb__buf_printf(problems, "%s: %s\n", file, e->message);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    if (n < m)
        return false;
    for (size_t i = 0; i < m; i++) {
        char a = s[n - m + i], b = suffix[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (a != b)
            return false;
    }
    return true;
}

/* Write the records of a loaded document. `only_*` (may be NULL) restrict workers,
 * employers and vacancies to the ids the user's file gave. */
static int write_scenario(clb_store *st, const clb_scenario *sc,
                          clb__store_idset *only_workers,
                          clb__store_idset *only_employers,
                          clb__store_idset *only_vacancies, bool records, unsigned flags,
                          clb_import_stats *stats, clb_error *err)
{
    clb__store_upserts u;
    int error = clb__store_upserts_init(&u, st, err);
    if (error < 0)
        return error;
    for (size_t i = 0; i < sc->n_employers && error == 0; i++)
        if (!only_employers ||
            clb__store_idset_has(only_employers, sc->employers[i].id)) {
            error = clb__store_write_employer(st, &u, sc, i, NULL, err);
            stats->employers++;
        }
    for (size_t i = 0; i < sc->n_workers && error == 0; i++)
        if (!only_workers || clb__store_idset_has(only_workers, sc->workers[i].id)) {
            error = clb__store_write_worker(st, &u, sc, i, flags, stats, err);
            stats->workers++;
        }
    for (size_t i = 0; i < sc->n_vacancies && error == 0; i++)
        if (!only_vacancies ||
            clb__store_idset_has(only_vacancies, sc->vacancies[i].id)) {
            error = clb__store_write_vacancy(st, &u, sc, i, NULL, err);
            stats->vacancies++;
        }
    if (records) {
        for (size_t i = 0; i < sc->n_quotas && error == 0; i++, stats->quotas++)
            error = clb__store_write_simple(st, &u, sc, CLB_KIND_QUOTA, i, err);
        for (size_t i = 0; i < sc->n_sessions && error == 0; i++, stats->sessions++)
            error = clb__store_write_simple(st, &u, sc, CLB_KIND_SESSION, i, err);
        for (size_t i = 0; i < sc->n_programmes && error == 0; i++, stats->programmes++)
            error = clb__store_write_simple(st, &u, sc, CLB_KIND_PROGRAMME, i, err);
        if (error == 0)
            error = clb__store_write_pairs(st, &u, sc, flags, stats, err);
    }
    clb__store_upserts_dispose(&u);
    return error;
}

/*
 * The workers and vacancies each file of one import gives: the same id in two files
 * is an error (which of the two should win is a guess an import must not make).
 */
typedef struct import_seen {
    const char *const *paths;
    clb__store_idset *workers, *vacancies; /* per file */
    size_t file;                /* the file being imported */
} import_seen;

static int seen_check(import_seen *seen, clb__store_idset *mine, const char *kind,
                      const char *id, clb_buf *problems, clb_error *err)
{
    for (size_t j = 0; seen && j < seen->file; j++) {
        clb__store_idset *other =
            strcmp(kind, "worker") == 0 ? &seen->workers[j] : &seen->vacancies[j];
        if (clb__store_idset_has(other, id)) {
            int error =
                clb__error_set(err, CLB_EINVAL,
                               "%s: %s '%s' is also given by %s: one import may "
                               "give each %s once",
                               seen->paths[seen->file], kind, id, seen->paths[j], kind);
            if (problems)
                clb__buf_printf(problems, "%s\n", err ? err->message : "");
            return error;
        }
    }
    return seen && clb__store_idset_add(mine, id) < 0 ? clb__oom(err) : 0;
}

/* Check the workers and vacancies a file gives against the earlier files' (the rows of
 * sc that only_* keep, all when NULL), then remember them. */
static int seen_file(import_seen *seen, const clb_scenario *sc,
                     clb__store_idset *only_workers, clb__store_idset *only_vacancies,
                     clb_buf *problems, clb_error *err)
{
    int error = 0;
    if (!seen)
        return 0;
    for (size_t i = 0; i < sc->n_workers && error == 0; i++)
        if (!only_workers || clb__store_idset_has(only_workers, sc->workers[i].id))
            error = seen_check(seen, &seen->workers[seen->file], "worker",
                               sc->workers[i].id, problems, err);
    for (size_t i = 0; i < sc->n_vacancies && error == 0; i++)
        if (!only_vacancies || clb__store_idset_has(only_vacancies, sc->vacancies[i].id))
            error = seen_check(seen, &seen->vacancies[seen->file], "vacancy",
                               sc->vacancies[i].id, problems, err);
    return error;
}

void clb_store_set_input_limit(clb_store *st, size_t max_bytes)
{
    st->max_input = max_bytes;
}

int clb_store_set_csv_format(clb_store *st, char delimiter, clb_date_order dates,
                             clb_error *err)
{
    if (delimiter && delimiter != ',' && delimiter != ';' && delimiter != '\t')
        return clb__error_set(err, CLB_EINVAL,
                              "a CSV delimiter is ',', ';' or a tab, not '%c'", delimiter);
    if (dates != CLB_DATES_ISO && dates != CLB_DATES_DMY && dates != CLB_DATES_MDY)
        return clb__error_set(err, CLB_EINVAL, "unknown date order %d", (int)dates);
    st->csv_opts.delimiter = delimiter;
    st->csv_opts.date_order = dates == CLB_DATES_DMY   ? CLB_CSV_DATE_DMY
                              : dates == CLB_DATES_MDY ? CLB_CSV_DATE_MDY
                                                       : CLB_CSV_DATE_ISO;
    return 0;
}

/* Whether any round was ever stored. */
static int has_rounds(bool *out, clb_store *st, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = clb__store_prep(st, &s, "SELECT EXISTS (SELECT 1 FROM rounds)", err);
    if (error < 0)
        return error;
    if (sqlite3_step(s) == SQLITE_ROW) {
        *out = sqlite3_column_int(s, 0) != 0;
        error = 0;
    } else
        error = clb__store_db_error(st, err, "read rounds");
    sqlite3_finalize(s);
    return error;
}

static int cmp_insertion_desc(const void *a, const void *b)
{
    const insertion *x = a, *y = b;
    return x->at < y->at ? 1 : x->at > y->at ? -1 : 0;
}

/* Import one scenario document. */
static int import_json(clb_store *st, const char *file, const clb_buf *text,
                       unsigned flags, import_seen *seen, clb_import_stats *stats,
                       clb_buf *problems, clb_error *err)
{
    clb_span top = {0, text->size}, arr, fmt;
    clb__store_idset ids[3] = {
        {0}, {0}, {0}}; /* employers, workers, vacancies of the file */
    static const char *const keys[3] = {"employers", "workers", "vacancies"};
    insertion ins[3];
    size_t n_ins = 0;
    clb_buf doc = CLB_BUF_INIT, fmtname = CLB_BUF_INIT;
    clb_scenario *sc = NULL;
    clb_diags *diags = NULL;
    clb_error lerr;
    bool pairs = false;
    int error = 0;

    memset(ins, 0, sizeof(ins));
    if (clb__jscan_member(&fmt, text->ptr, top, "format") &&
        clb__jscan_string(&fmtname, text->ptr, fmt) && fmtname.ptr &&
        strcmp(fmtname.ptr, "circulab-offers/1") == 0) {
        error = clb__error_set(
            err, CLB_EINVAL, "%s: offers documents are loaded by 'circulab fetch'", file);
        report_error(problems, file, err);
        goto done;
    }
    pairs = clb__jscan_member(&arr, text->ptr, top, "pins") ||
            clb__jscan_member(&arr, text->ptr, top, "bans") ||
            clb__jscan_member(&arr, text->ptr, top, "scores");
    /* splice the database's records into the document's arrays, after the file's
     * own, so that JSON paths of the file's records stay what the user sees */
    for (int k = 0; k < (pairs ? 3 : 1); k++) {
        scan_ids c = {text->ptr, &ids[k], 0};
        size_t count = 0;
        static const char *const sql[3] = {
            "SELECT id, doc FROM employers ORDER BY id",
            "SELECT id, " WORKER_COLS " FROM workers ORDER BY id",
            "SELECT id, doc FROM vacancies ORDER BY id"};
        if (!clb__jscan_member(&arr, text->ptr, top, keys[k]))
            continue;
        if (!clb__jscan_elements(text->ptr, arr, collect_id, &c))
            continue; /* not an array: the reader will say so */
        if (c.rc < 0) {
            error = clb__oom(err);
            goto done;
        }
        ins[n_ins].at = arr.end - 1; /* before the closing bracket */
        if ((error = db_records_except(&ins[n_ins].text, st, sql[k], k == 1, &ids[k],
                                       &count, err)) < 0)
            goto done;
        if (count) {
            /* an empty array must not begin with a comma */
            size_t p = arr.start + 1;
            while (p < arr.end && strchr(" \t\r\n", text->ptr[p]))
                p++;
            if (text->ptr[p] == ']')
                ins[n_ins].text.ptr[0] = ' ';
            n_ins++;
        } else
            clb_buf_dispose(&ins[n_ins].text);
    }
    qsort(ins, n_ins, sizeof(ins[0]), cmp_insertion_desc);
    if (clb__buf_put(&doc, text->ptr, text->size) < 0) {
        error = clb__oom(err);
        goto done;
    }
    for (size_t i = 0; i < n_ins; i++) {
        /* insert at ins[i].at (descending, so earlier offsets stay valid) */
        clb_buf tail = CLB_BUF_INIT;
        if (clb__buf_put(&tail, doc.ptr + ins[i].at, doc.size - ins[i].at) < 0) {
            error = clb__oom(err);
            goto done;
        }
        doc.size = ins[i].at;
        if (clb__buf_put(&doc, ins[i].text.ptr, ins[i].text.size) < 0 ||
            clb__buf_put(&doc, tail.ptr, tail.size) < 0) {
            clb_buf_dispose(&tail);
            error = clb__oom(err);
            goto done;
        }
        clb_buf_dispose(&tail);
    }
    if (clb_diags_new(&diags) < 0) {
        error = clb__oom(err);
        goto done;
    }
    clb_error_init(&lerr);
    error = clb_scenario_load_buffer(&sc, doc.ptr, doc.size, file, diags, &lerr);
    if (error < 0) {
        if (clb_diags_count(diags))
            report_diags(problems, diags, file, NULL, CLB_CSV_UNKNOWN, NULL, 0);
        else
            report_error(problems, file, &lerr);
        clb__error_set(err, error, "%s: %s", file, lerr.message);
        goto done;
    }
    if (flags & CLB_IMPORT_POLICY || !clb__policy_is_default(&sc->policy)) {
        if ((error = clb__store_write_policy(st, sc, err)) < 0)
            goto done;
        stats->policy = true;
    }
    /* pins of a document are stored only while the database has no rounds (the
     * first load of a planner's scenario); afterwards the database's pins are managed
     * with `circulab pin`, and an older file must not bring released ones back.
     * `previous` is never stored: the lifecycle is the previous plan. */
    {
        bool rounds = false;
        if ((error = has_rounds(&rounds, st, err)) < 0)
            goto done;
        if (!rounds)
            flags |= IMPORT_PINS;
        stats->previous_ignored += sc->n_previous;
    }
    if ((error = seen_file(seen, sc, pairs ? &ids[1] : NULL, pairs ? &ids[2] : NULL,
                           problems, err)) < 0)
        goto done;
    error = write_scenario(st, sc, pairs ? &ids[1] : NULL, &ids[0],
                           pairs ? &ids[2] : NULL, true, flags, stats, err);
done:
    for (size_t i = 0; i < 3; i++) {
        clb__store_idset_dispose(&ids[i]);
        clb_buf_dispose(&ins[i].text);
    }
    clb_buf_dispose(&doc);
    clb_buf_dispose(&fmtname);
    clb_diags_free(diags);
    clb_scenario_free(sc);
    return error;
}

/*
 * An employers CSV has no columns for sites (and an empty cell means "absent"): a row
 * updates the name and region of a stored employer but keeps its sites (beds) and, when
 * the cell is empty, its association - a CSV never drops what it cannot say.
 */
typedef struct keep_parts {
    const char *text;
    sqlite3_stmt *stored;
    clb_buf out;
    size_t n;
    int rc;
} keep_parts;

static void keep_parts_row(clb_span elem, void *payload)
{
    keep_parts *k = payload;
    clb_span v, part, sdoc;
    clb_buf id = CLB_BUF_INIT;
    const char *doc;
    int rc = k->n++ ? clb__buf_puts(&k->out, ",") : 0;

    if (rc == 0 && clb__jscan_member(&v, k->text, elem, "id") &&
        clb__jscan_string(&id, k->text, v) && id.ptr) {
        clb__store_bind_text(k->stored, 1, id.ptr);
        if (sqlite3_step(k->stored) == SQLITE_ROW &&
            (doc = clb__store_col_text(k->stored, 0))) {
            sdoc.start = 0;
            sdoc.end = strlen(doc);
            rc = clb__buf_put(&k->out, k->text + elem.start, elem.end - 1 - elem.start);
            if (rc == 0 && !clb__jscan_member(&v, k->text, elem, "sites") &&
                clb__jscan_member(&part, doc, sdoc, "sites")) {
                rc = clb__buf_puts(&k->out, ",\"sites\":");
                if (rc == 0)
                    rc = clb__buf_put(&k->out, doc + part.start, part.end - part.start);
            }
            if (rc == 0 && !clb__jscan_member(&v, k->text, elem, "association") &&
                clb__jscan_member(&part, doc, sdoc, "association")) {
                rc = clb__buf_puts(&k->out, ",\"association\":");
                if (rc == 0)
                    rc = clb__buf_put(&k->out, doc + part.start, part.end - part.start);
            }
            if (rc == 0)
                rc = clb__buf_puts(&k->out, "}");
            sqlite3_reset(k->stored);
            clb_buf_dispose(&id);
            if (rc < 0)
                k->rc = rc;
            return;
        }
        sqlite3_reset(k->stored);
    }
    if (rc == 0)
        rc = clb__buf_put(&k->out, k->text + elem.start, elem.end - elem.start);
    clb_buf_dispose(&id);
    if (rc < 0)
        k->rc = rc;
}

static int keep_stored_employer_parts(clb_buf *rows, clb_store *st, clb_error *err)
{
    keep_parts k = {rows->ptr, NULL, CLB_BUF_INIT, 0, 0};
    clb_span all = {0, rows->size};
    int error =
        clb__store_prep(st, &k.stored, "SELECT doc FROM employers WHERE id = ?", err);
    if (error < 0)
        return error;
    if (clb__buf_puts(&k.out, "[") < 0 ||
        !clb__jscan_elements(rows->ptr, all, keep_parts_row, &k) || k.rc < 0 ||
        clb__buf_puts(&k.out, "]") < 0)
        error = k.rc < 0 || !k.out.ptr
                    ? clb__oom(err)
                    : clb__error_set(err, CLB_EINTERNAL,
                                     "employer rows are not a JSON array");
    sqlite3_finalize(k.stored);
    if (error == 0) {
        clb_buf_dispose(rows);
        *rows = k.out;
    } else
        clb_buf_dispose(&k.out);
    return error;
}

/* Import one CSV file of workers, vacancies or employers. */
static int import_csv(clb_store *st, const char *file, const clb_buf *text,
                      unsigned flags, import_seen *seen, clb_import_stats *stats,
                      clb_buf *problems, clb_error *err)
{
    clb_csv csv;
    clb_csv_kind kind;
    clb_buf rows = CLB_BUF_INIT, doc = CLB_BUF_INIT, extra = CLB_BUF_INIT,
            policy = CLB_BUF_INIT;
    clb__store_idset ids = {0};
    clb_scenario *sc = NULL;
    clb_diags *diags = NULL;
    clb_error lerr;
    size_t count = 0, nrec;
    int error, idcol;
    const char *coll;

    clb_error_init(&lerr);
    if ((error = clb__csv_load_buffer(&csv, text->ptr ? text->ptr : "", text->size, file,
                                     &st->csv_opts, &lerr)) < 0) {
        report_error(problems, file, &lerr);
        return clb__error_set(err, error, "%s", lerr.message);
    }
    kind = clb__csv_kind_of(&csv);
    if (kind == CLB_CSV_PLACEMENTS) {
        error = clb__error_set(err, CLB_EINVAL,
                              "%s: a placements file goes to 'circulab placement "
                              "confirm|decline|depart|return|no-return --csv'",
                              file);
        report_error(problems, file, err);
        goto done;
    }
    if ((error = clb__csv_to_json(&rows, &csv, kind, file, &lerr)) < 0) {
        report_error(problems, file, &lerr);
        clb__error_set(err, error, "%s", lerr.message);
        goto done;
    }
    if (kind == CLB_CSV_EMPLOYERS &&
        (error = keep_stored_employer_parts(&rows, st, err)) < 0)
        goto done;
    nrec = csv.nrows - 1;
    idcol = clb__csv_column(&csv, "id");
    for (size_t r = 1; idcol >= 0 && r < csv.nrows; r++)
        if (clb__store_idset_add(&ids, clb__csv_get(&csv, r, (size_t)idcol)->text) < 0) {
            error = clb__oom(err);
            goto done;
        }
    if ((error = db_records_except(
             &extra, st, "SELECT id, doc FROM employers ORDER BY id", false,
             kind == CLB_CSV_EMPLOYERS ? &ids : &(clb__store_idset){0}, &count, err)) < 0)
        goto done;
    if ((error = clb__store_policy_doc(&policy, st, err)) < 0)
        goto done;
    coll = kind == CLB_CSV_WORKERS     ? "$.workers"
           : kind == CLB_CSV_VACANCIES ? "$.vacancies"
                                       : "$.employers";
    {
        int rc = clb__buf_puts(&doc, "{\"format\":\"circulab-scenario/1\"");
        if (rc == 0 && policy.size)
            rc = clb__buf_printf(&doc, ",\"policy\":%s", policy.ptr);
        if (rc == 0)
            rc = clb__buf_puts(&doc, ",\"workers\":");
        if (rc == 0)
            rc = clb__buf_puts(&doc, kind == CLB_CSV_WORKERS ? rows.ptr : "[]");
        if (rc == 0)
            rc = clb__buf_puts(&doc, ",\"vacancies\":");
        if (rc == 0)
            rc = clb__buf_puts(&doc, kind == CLB_CSV_VACANCIES ? rows.ptr : "[]");
        if (rc == 0 && kind == CLB_CSV_EMPLOYERS) {
            /* rows then the database's others: "[a,b]" + ",c,d" -> "[a,b,c,d]" */
            rc = clb__buf_puts(&doc, ",\"employers\":");
            if (rc == 0)
                rc = clb__buf_put(&doc, rows.ptr, rows.size - 1);
            if (rc == 0 && extra.size)
                rc = clb__buf_puts(&doc, nrec ? extra.ptr : extra.ptr + 1);
            if (rc == 0)
                rc = clb__buf_puts(&doc, "]}");
        } else if (rc == 0) {
            rc = clb__buf_printf(&doc, ",\"employers\":[%s]}",
                                extra.size ? extra.ptr + 1 : "");
        }
        if (rc < 0) {
            error = clb__oom(err);
            goto done;
        }
    }
    if (clb_diags_new(&diags) < 0) {
        error = clb__oom(err);
        goto done;
    }
    error = clb_scenario_load_buffer(&sc, doc.ptr, doc.size, file, diags, &lerr);
    if (error < 0) {
        if (clb_diags_count(diags))
            report_diags(problems, diags, file, &csv, kind, coll, nrec);
        else
            report_error(problems, file, &lerr);
        clb__error_set(err, error, "%s: %s", file, lerr.message);
        goto done;
    }
    if ((error = seen_file(seen, sc, NULL, NULL, problems, err)) < 0)
        goto done;
    error = write_scenario(st, sc, NULL,
                           kind == CLB_CSV_EMPLOYERS ? &ids : &(clb__store_idset){0},
                           NULL, false, flags, stats, err);
done:
    clb__store_idset_dispose(&ids);
    clb__csv_dispose(&csv);
    clb_buf_dispose(&rows);
    clb_buf_dispose(&doc);
    clb_buf_dispose(&extra);
    clb_buf_dispose(&policy);
    clb_diags_free(diags);
    clb_scenario_free(sc);
    return error;
}

int clb_store_import(clb_store *st, clb_import_stats *stats, const char *const *paths,
                     size_t n_paths, unsigned flags, clb_buf *problems, clb_error *err)
{
    clb_import_stats local;
    import_seen seen = {paths, NULL, NULL, 0};
    int first_error = 0, error;

    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof(*stats));
    seen.workers = clb__calloc(n_paths + 1, sizeof(clb__store_idset));
    seen.vacancies = clb__calloc(n_paths + 1, sizeof(clb__store_idset));
    if (!seen.workers || !seen.vacancies) {
        clb__free(seen.workers);
        clb__free(seen.vacancies);
        return clb__oom(err);
    }
    if ((error = clb__store_tx_begin(st, err)) < 0)
        goto out;
    for (size_t i = 0; i < n_paths; i++) {
        clb_buf text = CLB_BUF_INIT, detail = CLB_BUF_INIT;
        clb_import_stats before = *stats;
        clb_error ferr;
        const char *p;
        bool csv;

        /* after a database failure (or out of memory: SQLite may have rolled the
         * transaction back by itself), writing on would commit the later files
         * statement by statement: stop there */
        if (first_error == CLB_EDB || first_error == CLB_ENOMEM ||
            sqlite3_get_autocommit(st->db))
            break;
        clb_error_init(&ferr);
        error = clb__file_read_max(&text, paths[i], st->max_input, &ferr);
        if (error < 0) {
            report_error(problems, paths[i], &ferr);
        } else {
            p = text.ptr ? text.ptr : "";
            if (strncmp(p, "\xEF\xBB\xBF", 3) == 0)
                p += 3; /* a byte-order mark: look past it for '{' */
            while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
                p++;
            csv = ends_with_ci(paths[i], ".csv") || (*p != '{' && *p != '[');
            if (!csv && strncmp(text.ptr, "\xEF\xBB\xBF", 3) == 0) {
                memmove(text.ptr, text.ptr + 3, text.size - 3 + 1);
                text.size -= 3;
            }
            seen.file = i;
            error = csv ? import_csv(st, paths[i], &text, flags, &seen, stats, problems,
                                     &ferr)
                        : import_json(st, paths[i], &text, flags, &seen, stats, problems,
                                      &ferr);
        }
        if (error == 0) {
            int rc = clb__buf_printf(
                &detail,
                "{\"file\":\"%s\",\"workers\":%zu,\"employers\":%zu,\"vacancies\":%zu,"
                "\"quotas\":%zu,\"sessions\":%zu,\"programmes\":%zu,\"pairs\":%zu,"
                "\"workers_added\":%zu,\"workers_updated\":%zu,\"workers_unchanged\":%zu,"
                "\"history_set\":%zu,"
                "\"history_kept\":%zu,\"pins_ignored\":%zu,\"previous_ignored\":%zu}",
                "", stats->workers - before.workers, stats->employers - before.employers,
                stats->vacancies - before.vacancies, stats->quotas - before.quotas,
                stats->sessions - before.sessions, stats->programmes - before.programmes,
                stats->pairs - before.pairs, stats->workers_added - before.workers_added,
                stats->workers_updated - before.workers_updated,
                stats->workers_unchanged - before.workers_unchanged,
                stats->history_set - before.history_set,
                stats->history_kept - before.history_kept,
                stats->pins_ignored - before.pins_ignored,
                stats->previous_ignored - before.previous_ignored);
            /* the file name is written as JSON: replace the placeholder properly */
            if (rc == 0) {
                clb_buf d2 = CLB_BUF_INIT;
                rc = clb__buf_puts(&d2, "{\"file\":");
                if (rc == 0)
                    rc = clb__buf_put_json_string(&d2, base_name(paths[i]));
                if (rc == 0)
                    rc = clb__buf_puts(&d2, detail.ptr + strlen("{\"file\":\"\""));
                clb_buf_dispose(&detail);
                detail = d2;
            }
            if (rc < 0)
                error = clb__oom(&ferr);
            else
                error = clb__store_audit(st, "import", base_name(paths[i]), NULL, NULL,
                                         detail.ptr, &ferr);
        }
        if (error < 0 && first_error == 0) {
            first_error = error;
            if (err && !err->message[0])
                *err = ferr;
        }
        clb_buf_dispose(&text);
        clb_buf_dispose(&detail);
    }
    if (first_error == 0)
        first_error = clb__store_check_valid(st, problems, err);
    error = clb__store_tx_end(st, first_error, err);
out:
    for (size_t i = 0; i < n_paths; i++) {
        clb__store_idset_dispose(&seen.workers[i]);
        clb__store_idset_dispose(&seen.vacancies[i]);
    }
    clb__free(seen.workers);
    clb__free(seen.vacancies);
    return error;
}

