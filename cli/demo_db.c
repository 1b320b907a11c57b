/*
 * demo_db.c - the circular loop of docs/DATABASE.md §6, shown on a scenario in a fresh
 * temporary database: import, round, confirm, depart, return (one in ten does not
 * come back), close the season, offer it again a year later, and the next round, in
 * which the returning workers get their priority and the non-returners are banned.
 *
 * It uses only the public store API, exactly as the commands do, so the demo is also
 * a test that the pieces fit together. The temporary database is removed at the end.
 */
#include "db.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct ids {
    long *v;
    size_t n, cap;
    char last_end[16];
    size_t every;     /* every `every`-th departed placement does not return */
} ids;

static int collect(const clb_placement_row *row, void *payload)
{
    ids *x = payload;
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 64;
        long *p = realloc(x->v, cap * sizeof(*p));
        if (!p)
            return CLB_ENOMEM;
        x->v = p;
        x->cap = cap;
    }
    x->v[x->n++] = row->id;
    if (strcmp(row->end, x->last_end) > 0)
        snprintf(x->last_end, sizeof(x->last_end), "%s", row->end);
    return 0;
}

/* Apply `action` to every placement of the round in state `status`. */
static int apply_all(clb_store *st, long round, const char *status, clb_action action,
                     size_t skip_every, ids *out, clb_error *err)
{
    ids x = {NULL, 0, 0, "", 0};
    clb_change *ch = NULL;
    size_t n = 0;
    int error = clb_store_placement_foreach(st, round, status, collect, &x, err);
    if (error == 0 && x.n) {
        ch = calloc(x.n, sizeof(*ch));
        if (!ch)
            error = CLB_ENOMEM;
        for (size_t i = 0; ch && i < x.n; i++) {
            bool pick = skip_every == 0 || (i % skip_every == skip_every - 1);
            if (pick)
                ch[n++].placement = x.v[i];
        }
        if (error == 0 && n)
            error = clb_store_placement_apply(NULL, st, action, ch, n, "demo", 0, err);
    }
    if (out) {
        out->n = n;
        snprintf(out->last_end, sizeof(out->last_end), "%s", x.last_end);
    }
    free(ch);
    free(x.v);
    return error;
}

static void remove_db(const char *dir, const char *db)
{
    char path[700];
    remove(db);
    if (snprintf(path, sizeof(path), "%.600s-wal", db) < (int)sizeof(path))
        remove(path);
    if (snprintf(path, sizeof(path), "%.600s-shm", db) < (int)sizeof(path))
        remove(path);
    rmdir(dir);
}

static int count_status(const clb_placement_row *row, void *payload)
{
    (void)row;
    (*(size_t *)payload)++;
    return 0;
}

int demo_database_loop(const char *scenario_path, bool quiet)
{
    char dir[] = "/tmp/circulab-demo-XXXXXX", db[600], close_date[16];
    clb_store *st = NULL;
    clb_import_stats stats;
    clb_round_opts ro;
    clb_buf out = CLB_BUF_INIT, problems = CLB_BUF_INIT;
    clb_error err;
    ids confirmed = {0}, returned = {0}, not_returned = {0};
    long r1 = 0, r2 = 0;
    int error = 0, rc = CLB_EXIT_OK;
    const char *paths[1] = {scenario_path};

    clb_error_init(&err);
    if (!mkdtemp(dir)) {
        cli_error("cannot create a temporary directory");
        return CLB_EXIT_RUNTIME;
    }
    snprintf(db, sizeof(db), "%s/demo.db", dir);
    if ((error = clb_store_open(&st, db, CLB_STORE_CREATE, &err)) < 0)
        goto done;
    clb_store_set_actor(st, "demo");
    printf("== a season on the database (%s) ==\n", db);

    if ((error = clb_store_import(st, &stats, paths, 1, 0, &problems, &err)) < 0)
        goto done;
    printf("1. import %s: %zu workers, %zu employers, %zu vacancies\n", scenario_path,
           stats.workers, stats.employers, stats.vacancies);

    clb_round_opts_init(&ro);
    ro.name = "season 1";
    ro.time_limit = 20;
    if ((error = clb_store_round_run(&out, &r1, st, &ro, 0, &err)) < 0)
        goto done;
    printf("2. round run:\n%s", quiet ? "" : out.ptr);
    if (quiet)
        printf("   round %ld stored\n", r1);

    if ((error = apply_all(st, r1, "proposed", CLB_ACT_CONFIRM, 0, &confirmed,
                           &err)) < 0)
        goto done;
    printf("3. placement confirm: %zu placements confirmed\n", confirmed.n);
    if ((error = apply_all(st, r1, "confirmed", CLB_ACT_DEPART, 0, NULL, &err)) < 0)
        goto done;
    printf("4. placement depart: they leave for the season\n");
    if ((error = apply_all(st, r1, "departed", CLB_ACT_NO_RETURN, 10, &not_returned,
                           &err)) < 0 ||
        (error = apply_all(st, r1, "departed", CLB_ACT_RETURN, 0, &returned, &err)) <
            0)
        goto done;
    printf("5. placement return: %zu came home; placement no-return: %zu did not\n",
           returned.n, not_returned.n);

    /* close the season after the last placement ended */
    snprintf(close_date, sizeof(close_date), "%.4s-12-31",
             confirmed.last_end[0] ? confirmed.last_end : "2026");
    clb_buf_dispose(&out);
    if ((error = clb_store_season_close(&out, st, close_date, NULL, 0, &err)) < 0)
        goto done;
    printf("6. season close --date %s:\n   %s", close_date, out.ptr);
    clb_buf_dispose(&out);
    if ((error = clb_store_season_renew(&out, st, 1, 0, &err)) < 0)
        goto done;
    printf("7. season renew: %s", out.ptr);

    clb_buf_dispose(&out);
    ro.name = "season 2";
    if ((error = clb_store_round_run(&out, &r2, st, &ro, 0, &err)) < 0)
        goto done;
    printf("8. the next round:\n%s", out.ptr);
    {
        size_t n = 0;
        clb_store_placement_foreach(st, r2, NULL, count_status, &n, &err);
        clb_buf_dispose(&out);
        if ((error = clb_store_round_diff(&out, st, r1, r2, 0, &err)) < 0)
            goto done;
        if (!quiet)
            printf("9. round diff %ld %ld:\n%s", r1, r2, out.ptr);
    }
    printf("workers who returned had their history rolled forward and get the returning\n"
           "bonus; the %zu who did not return are banned (see 'circulab explain').\n",
           not_returned.n);
done:
    if (error < 0) {
        if (problems.size)
            fprintf(stderr, "%s", problems.ptr);
        rc = cli_db_fail(error, &err);
    }
    clb_buf_dispose(&out);
    clb_buf_dispose(&problems);
    clb_store_close(st);
    remove_db(dir, db);
    return rc;
}
