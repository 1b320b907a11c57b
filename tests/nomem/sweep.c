/*
 * sweep.c - the allocation-failure sweep: fail the n-th allocation along one operation
 * (`validate`, `solve` of a small scenario, `import`) for every n up to a bound and then
 * at a stride, and check each time that the operation ends cleanly.
 *
 * The program installs a counting allocator with clb_global_init (the same call the
 * CLI makes at start), so that the engine's own allocations and SQLite's and Jansson's
 * all pass through it. A run with no failure first counts the allocations N of the
 * operation; then for each chosen n <= N the n-th allocation fails (once: the later ones
 * succeed, so error paths go on running) and the checks are:
 *   - the result is CLB_ENOMEM (exit 1 in the CLI), or CLB_EDB (a database error,
 *     also exit 1), or success with exactly the output of the run without failure (a failure absorbed on purpose must not change results);
 *     an out-of-memory reported as anything else (invalid input, a solver failure, an
 *     infeasible model) is a failure of the test;
 *   - no block allocated during the operation is still alive after it (a leak, found
 *     at the n that causes it; under ASan any other leak is reported at exit);
 *   - for `import`, the database file is byte for byte what it was before, unless
 *     the import succeeded;
 *   - no crash: a signal ends the program with the operation and n on stderr.
 *
 * Usage: sweep OP WORK_DIR FIRST STRIDE FILE...
 *   OP: validate (FILE: a scenario, valid or not), solve (FILE: a scenario) or import
 *   (the first FILE is imported into a new database in WORK_DIR beforehand, the others
 *   are the import swept); FIRST: every n in 1..FIRST; STRIDE: then every STRIDE-th n
 *   up to N (0: none). Prints one summary line.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "circulab.h"

/* ---- the counting allocator ----------------------------------------------------- */

static unsigned long calls;   /* allocation attempts (malloc, realloc) */
static unsigned long fail_at; /* the attempt that fails; 0: none */
static long live;             /* blocks allocated and not yet freed */
static bool failed_once;

void __sanitizer_print_stack_trace(void) __attribute__((weak));

/* With CLB_SWEEP_ONLY, where the failing allocation is (under ASan) */
static void *fail_here(void)
{
    failed_once = true;
    if (getenv("CLB_SWEEP_ONLY") && __sanitizer_print_stack_trace)
        __sanitizer_print_stack_trace();
    return NULL;
}

static void *t_malloc(size_t size)
{
    void *p;
    if (++calls == fail_at)
        return fail_here();
    if ((p = malloc(size)) != NULL)
        live++;
    return p;
}

static void *t_realloc(void *ptr, size_t size)
{
    void *p;
    if (++calls == fail_at)
        return fail_here();
    p = realloc(ptr, size);
    if (p && !ptr)
        live++;
    return p;
}

static void t_free(void *ptr)
{
    if (ptr)
        live--;
    free(ptr);
}

/* ---- reporting a crash with the step that caused it ------------------------------ */

static char where[128] = "setting up";

static void on_fatal(int sig)
{
    static const char head[] = "\nsweep: crashed at ";
    (void)!write(2, head, sizeof(head) - 1);
    (void)!write(2, where, strlen(where));
    (void)!write(2, "\n", 1);
    signal(sig, SIG_DFL);
    raise(sig);
}

void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static void on_sanitizer_death(void)
{
    on_fatal(0);
}

/* ---- files ------------------------------------------------------------------------ */

static bool read_file(clb_buf *out, const char *path)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t got;
    out->size = 0;
    if (!f)
        return false;
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        char *p = realloc(out->ptr, out->size + got + 1);
        if (!p) {
            fclose(f);
            return false;
        }
        out->ptr = p;
        memcpy(out->ptr + out->size, chunk, got);
        out->size += got;
        out->ptr[out->size] = 0;
    }
    fclose(f);
    return true;
}

static bool write_file(const char *path, const clb_buf *data)
{
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(data->ptr, 1, data->size, f) == data->size;
    if (f && fclose(f) != 0)
        ok = false;
    return ok;
}

static void buf_free(clb_buf *b)
{
    free(b->ptr); /* filled by read_file, outside the engine */
    b->ptr = NULL;
    b->size = 0;
}

/* ---- the operations ------------------------------------------------------------- */

typedef struct sweep {
    const char *op;
    char **files;
    int n_files;
    char db[600];
    char template_db[600];
    clb_buf template_bytes; /* the database before an import */
    clb_buf output;         /* what the operation produced (its result document) */
    char message[1024];     /* the error's message */
} sweep;

/* `circulab validate`: load and validate, every diagnostic collected. */
static int op_validate(sweep *s)
{
    const char *path = s->files[0];
    clb_scenario *sc = NULL;
    clb_diags *diags = NULL;
    clb_error err;
    int rc;

    clb_error_init(&err);
    if ((rc = clb_diags_new(&diags)) < 0)
        return rc;
    rc = clb_scenario_load_file(&sc, path, diags, &err);
    snprintf(s->message, sizeof(s->message), "%s", err.message);
    s->output.size = 0;
    if (rc == 0 || rc == CLB_EINVAL) {
        /* the output: the diagnostics, as validate prints them */
        for (size_t i = 0; i < clb_diags_count(diags); i++) {
            const clb_diag *d = clb_diags_get(diags, i);
            char line[2048];
            int n = snprintf(line, sizeof(line), "%s: %s: %s\n", d->path, d->rule,
                             d->message);
            char *p = realloc(s->output.ptr, s->output.size + (size_t)n + 1);
            if (!p)
                abort();
            s->output.ptr = p;
            memcpy(p + s->output.size, line, (size_t)n + 1);
            s->output.size += (size_t)n;
        }
    }
    clb_scenario_free(sc);
    clb_diags_free(diags);
    return rc;
}

/* `circulab solve FILE`: load, solve, write the result document. */
static int op_solve(sweep *s)
{
    const char *path = s->files[0];
    clb_scenario *sc = NULL;
    clb_result *result = NULL;
    clb_solve_opts opts;
    clb_buf doc = CLB_BUF_INIT;
    clb_error err;
    int rc;

    clb_error_init(&err);
    if ((rc = clb_scenario_load_file(&sc, path, NULL, &err)) == 0) {
        clb_solve_opts_init(&opts);
        /* one pricing thread: the n-th allocation is then the same one in every run
           (threads share the pricing's work differently each time); the threaded
           pricing's failures are swept by tests/test_pricing_threads.c */
        opts.threads = 1;
        if ((rc = clb_solve(&result, sc, &opts, &err)) == 0)
            rc = clb_result_save(&doc, result, 0, &err);
    }
    snprintf(s->message, sizeof(s->message), "%s", err.message);
    s->output.size = 0;
    if (rc == 0) {
        free(s->output.ptr);
        s->output.ptr = malloc(doc.size + 1);
        if (!s->output.ptr)
            abort();
        memcpy(s->output.ptr, doc.ptr, doc.size + 1);
        s->output.size = doc.size;
    }
    clb_buf_dispose(&doc);
    clb_result_free(result);
    clb_scenario_free(sc);
    return rc;
}

/* `circulab import --db DB FILE...`: open the database, import, close. The output is
 * the database's records afterwards (exported with no failure injected), so that an
 * import that succeeds in spite of a failed allocation is checked to have stored
 * exactly what it stores without one. */
static int op_import(sweep *s)
{
    clb_store *st = NULL;
    clb_import_stats stats;
    clb_buf problems = CLB_BUF_INIT, doc = CLB_BUF_INIT;
    clb_error err;
    unsigned long saved_fail_at, saved_calls;
    int rc;

    clb_error_init(&err);
    if ((rc = clb_store_open(&st, s->db, 0, &err)) == 0)
        rc = clb_store_import(st, &stats, (const char *const *)s->files + 1,
                              (size_t)s->n_files - 1, 0, &problems, &err);
    clb_store_close(st);
    clb_buf_dispose(&problems);
    snprintf(s->message, sizeof(s->message), "%s", err.message);
    s->output.size = 0;
    if (rc != 0)
        return rc;
    saved_fail_at = fail_at;
    saved_calls = calls;
    fail_at = 0;
    st = NULL;
    clb_error_init(&err);
    if (clb_store_open(&st, s->db, CLB_STORE_READONLY, &err) < 0 ||
        clb_store_export(&doc, st, CLB_EXPORT_SCENARIO, 0,
                         CLB_EXPORT_NAMES | CLB_EXPORT_ALL, &err) < 0) {
        fprintf(stderr, "sweep: cannot export the database: %s\n", err.message);
        exit(2);
    }
    clb_store_close(st);
    free(s->output.ptr);
    if (!(s->output.ptr = malloc(doc.size + 1)))
        abort();
    memcpy(s->output.ptr, doc.ptr, doc.size + 1);
    s->output.size = doc.size;
    clb_buf_dispose(&doc);
    fail_at = saved_fail_at;
    calls = saved_calls;
    return rc;
}

static int run_op(sweep *s)
{
    char side[700];
    if (strcmp(s->op, "validate") == 0)
        return op_validate(s);
    if (strcmp(s->op, "solve") == 0)
        return op_solve(s);
    /* a fresh copy: nothing of the last run's -wal or -shm applies */
    unlink(s->db);
    snprintf(side, sizeof(side), "%s-wal", s->db);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", s->db);
    unlink(side);
    if (!write_file(s->db, &s->template_bytes)) {
        fprintf(stderr, "sweep: cannot write %s\n", s->db);
        exit(2);
    }
    return op_import(s);
}

/* The database the imports start from: the base records imported, then closed. */
static void make_template(sweep *s)
{
    const char *paths[1] = {s->files[0]};
    clb_store *st = NULL;
    clb_import_stats stats;
    clb_error err;

    clb_error_init(&err);
    unlink(s->template_db);
    if (clb_store_open(&st, s->template_db, CLB_STORE_CREATE, &err) < 0 ||
        clb_store_import(st, &stats, paths, 1, 0, NULL, &err) < 0) {
        fprintf(stderr, "sweep: cannot make the database: %s\n", err.message);
        exit(2);
    }
    clb_store_close(st);
    /* opened and closed once more, so that opening leaves it as it is */
    if (clb_store_open(&st, s->template_db, 0, &err) < 0) {
        fprintf(stderr, "sweep: cannot reopen the database: %s\n", err.message);
        exit(2);
    }
    clb_store_close(st);
    if (!read_file(&s->template_bytes, s->template_db)) {
        fprintf(stderr, "sweep: cannot read %s\n", s->template_db);
        exit(2);
    }
}

/* ---- the sweep ------------------------------------------------------------------- */

/* The errors the CLI turns into exit 1 (runtime failure): out of memory, and a
 * database error (SQLite's own SQLITE_NOMEM, or a statement that failed because a
 * value could not be bound for want of memory). */
static bool clean_error(int rc)
{
    return rc == CLB_ENOMEM || rc == CLB_EDB;
}

int main(int argc, char **argv)
{
    static const clb_allocator counting = {t_malloc, t_realloc, t_free};
    sweep s;
    clb_buf expected = CLB_BUF_INIT, after = CLB_BUF_INIT;
    clb_error err;
    unsigned long total, first, stride, only, runs = 0, nomem = 0, absorbed = 0, bad = 0;
    long base_live;
    int expected_rc;

    if (argc < 6) {
        fprintf(stderr, "usage: sweep OP WORK_DIR FIRST STRIDE FILE...\n");
        return 2;
    }
    memset(&s, 0, sizeof(s));
    s.op = argv[1];
    snprintf(s.db, sizeof(s.db), "%s/sweep-%s.db", argv[2], s.op);
    snprintf(s.template_db, sizeof(s.template_db), "%s/sweep-%s.template.db", argv[2],
             s.op);
    first = strtoul(argv[3], NULL, 10);
    stride = strtoul(argv[4], NULL, 10);
    s.files = argv + 5;
    /* CLB_SWEEP_ONLY=n: just that n, to look at one failure */
    only = getenv("CLB_SWEEP_ONLY") ? strtoul(getenv("CLB_SWEEP_ONLY"), NULL, 10) : 0;
    s.n_files = argc - 5;
    if (strcmp(s.op, "validate") && strcmp(s.op, "solve") &&
        (strcmp(s.op, "import") || s.n_files < 2)) {
        fprintf(stderr, "sweep: unknown operation '%s' (or import without files)\n",
                s.op);
        return 2;
    }
    if (__sanitizer_set_death_callback) {
        /* the sanitizer reports the crash itself, then calls back */
        __sanitizer_set_death_callback(on_sanitizer_death);
    } else {
        signal(SIGSEGV, on_fatal);
        signal(SIGBUS, on_fatal);
        signal(SIGABRT, on_fatal);
        signal(SIGFPE, on_fatal);
    }

    clb_error_init(&err);
    if (clb_global_init(&counting, &err) < 0) {
        fprintf(stderr, "sweep: clb_global_init: %s\n", err.message);
        return 1;
    }
    if (strcmp(s.op, "import") == 0)
        make_template(&s);

    /* the run without failure: twice, so that what SQLite and the solver set up once
     * per process is in place before `live` is taken as the baseline */
    fail_at = 0;
    snprintf(where, sizeof(where), "%s without failure", s.op);
    expected_rc = run_op(&s);
    base_live = live;
    calls = 0;
    expected_rc = run_op(&s);
    total = calls;
    if (live != base_live) {
        fprintf(stderr, "sweep: %s leaks %ld blocks without any failure\n", s.op,
                live - base_live);
        return 1;
    }
    if (expected_rc != 0 && !(strcmp(s.op, "validate") == 0 && expected_rc == CLB_EINVAL)) {
        fprintf(stderr, "sweep: %s fails without any failure: %s\n", s.op, s.message);
        return 1;
    }
    expected = s.output;
    s.output = (clb_buf)CLB_BUF_INIT;

    for (unsigned long n = 1; n <= total; n = n < first ? n + 1 : n + (stride ? stride : total)) {
        int rc;
        if (only && n != only)
            continue;
        snprintf(where, sizeof(where), "%s with allocation %lu of %lu failing", s.op, n,
                 total);
        calls = 0;
        failed_once = false;
        fail_at = n;
        rc = run_op(&s);
        fail_at = 0;
        runs++;
        if (!failed_once) {
            fprintf(stderr, "sweep: %s: allocation %lu was never made (%lu made): the "
                            "operation is not deterministic\n", s.op, n, calls);
            bad++;
        } else if (rc == expected_rc && s.output.size == expected.size &&
                   (expected.size == 0 ||
                    memcmp(s.output.ptr, expected.ptr, expected.size) == 0)) {
            absorbed++; /* handled without changing the outcome */
        } else if (clean_error(rc)) {
            if (only)
                fprintf(stderr, "sweep: %s: allocation %lu failing: %s\n", s.op, n,
                        s.message);
            nomem++;
        } else {
            fprintf(stderr, "sweep: %s: allocation %lu failing gives %s (%d): %s\n", s.op,
                    n, clb_strerror(rc), rc, s.message);
            if (rc == expected_rc) {
                /* the same code with another output: both kept for a diff */
                char name[700];
                snprintf(name, sizeof(name), "%s.expected", s.db);
                write_file(name, &expected);
                snprintf(name, sizeof(name), "%s.got-%lu", s.db, n);
                write_file(name, &s.output);
                fprintf(stderr, "sweep: the outputs differ: %s.expected, %s\n", s.db, name);
            }
            bad++;
        }
        if (live != base_live) {
            fprintf(stderr, "sweep: %s: allocation %lu failing leaks %ld blocks\n", s.op,
                    n, live - base_live);
            bad++;
            base_live = live; /* report each leak once */
        }
        if (strcmp(s.op, "import") == 0 && rc != 0) {
            if (!read_file(&after, s.db) || after.size != s.template_bytes.size ||
                memcmp(after.ptr, s.template_bytes.ptr, after.size) != 0) {
                char kept[700];
                snprintf(kept, sizeof(kept), "%s.changed-%lu", s.db, n);
                fprintf(stderr, "sweep: import: allocation %lu failing changed the "
                                "database (kept as %s)\n", n, kept);
                rename(s.db, kept);
                bad++;
            }
        }
        if (bad > 20) {
            fprintf(stderr, "sweep: too many failures, stopping\n");
            break;
        }
    }
    snprintf(where, sizeof(where), "%s: done", s.op);
    printf("sweep %s: %lu allocations without failure; %lu runs (every n up to %lu, then "
           "every %lu-th): %lu clean out-of-memory errors, %lu failures absorbed with the "
           "same result, %lu wrong\n",
           s.op, total, runs, first < total ? first : total, stride, nomem, absorbed, bad);
    fflush(stdout); /* before the leak check at exit, which ends the process at once */
    if (strcmp(s.op, "import") == 0 && !bad) {
        unlink(s.db);
        unlink(s.template_db);
    }
    buf_free(&expected);
    buf_free(&after);
    buf_free(&s.output);
    buf_free(&s.template_bytes);
    return bad ? 1 : 0;
}
