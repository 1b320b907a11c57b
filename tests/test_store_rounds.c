/*
 * test_store_rounds.c - unit tests of how a round is stored while the season's
 * lifecycle changes: a confirmation or decline made on another connection while the
 * round is solving voids the round (it is solved again, or refused when out of
 * attempts), an import does not, and a confirmed placement keeps its id.
 *
 * The change is made from the solve's progress callback, which the engine calls as
 * soon as the solve begins (after the snapshot was read, before the round is
 * written), on a second connection to the same SQLite file: the interleaving of a
 * real concurrent clerk, made deterministic.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "circulab.h"
#include "circulab/store.h"

static const char *const SCENARIO =
    "{\"format\":\"circulab-scenario/1\",\"name\":\"t\",\n"
    " \"employers\":[{\"id\":\"E1\",\"region\":\"ES615\"}],\n"
    " \"workers\":[\n"
    "  {\"id\":\"W1\",\"birth_date\":\"1990-01-01\",\"country\":\"MA\",\"region\":\"MA-05\","
    "   \"available\":{\"from\":\"2026-01-01\",\"to\":\"2027-12-31\"}},\n"
    "  {\"id\":\"W2\",\"birth_date\":\"1990-01-01\",\"country\":\"MA\",\"region\":\"MA-05\","
    "   \"available\":{\"from\":\"2026-01-01\",\"to\":\"2027-12-31\"}},\n"
    "  {\"id\":\"W3\",\"birth_date\":\"1990-01-01\",\"country\":\"MA\",\"region\":\"MA-05\","
    "   \"available\":{\"from\":\"2026-01-01\",\"to\":\"2027-12-31\"}}],\n"
    " \"vacancies\":[\n"
    "  {\"id\":\"V1\",\"employer\":\"E1\",\"start\":\"2026-02-01\",\"end\":\"2026-05-31\","
    "   \"headcount\":2,\"sector\":\"berries\"},\n"
    "  {\"id\":\"V2\",\"employer\":\"E1\",\"start\":\"2026-06-10\",\"end\":\"2026-08-31\","
    "   \"headcount\":1,\"sector\":\"berries\"}]}\n";

static const char *const MORE_WORKERS =
    "id,birth_date,country,region,available_from,available_to\n"
    "W9,1991-01-01,MA,MA-05,2026-01-01,2027-12-31\n";

static char dir[64], db_path[128];

/* What the progress callback does once, on its own connection. */
typedef enum { DO_NOTHING, DO_CONFIRM, DO_DECLINE, DO_IMPORT } meddle_kind;

typedef struct meddle {
    meddle_kind kind;
    long placement;
    int times;   /* how many solves meddle (one change each) */
    int calls;   /* solves seen */
    int result;  /* of the last change */
} meddle;

static void on_progress(const clb_progress *p, void *payload)
{
    meddle *m = payload;
    clb_store *other = NULL;
    clb_error err;
    if (strcmp(p->phase, "eligibility") != 0)
        return; /* once per solve, at its start */
    if (m->calls++ >= m->times || m->kind == DO_NOTHING)
        return;
    clb_error_init(&err);
    m->result = clb_store_open(&other, db_path, 0, &err);
    if (m->result == 0) {
        clb_store_set_actor(other, "clerk");
        if (m->kind == DO_IMPORT) {
            char csv[160];
            const char *paths[1] = {csv};
            FILE *f;
            snprintf(csv, sizeof(csv), "%s/more.csv", dir);
            f = fopen(csv, "w");
            if (f) {
                fputs(MORE_WORKERS, f);
                fclose(f);
            }
            m->result = clb_store_import(other, NULL, paths, 1, 0, NULL, &err);
        } else {
            clb_change c = {m->placement, NULL};
            m->result = clb_store_placement_apply(
                NULL, other, m->kind == DO_CONFIRM ? CLB_ACT_CONFIRM : CLB_ACT_DECLINE, &c,
                1, NULL, 0, &err);
            m->placement++; /* the next solve changes the next one */
        }
    }
    if (m->result < 0)
        fprintf(stderr, "meddling failed: %s\n", err.message);
    clb_store_close(other);
}

typedef struct row_list {
    long id[16];
    char worker[16][8], vacancy[16][8], status[16][16];
    int n;
} row_list;

static int collect(const clb_placement_row *row, void *payload)
{
    row_list *l = payload;
    if (l->n < 16) {
        l->id[l->n] = row->id;
        snprintf(l->worker[l->n], 8, "%s", row->worker);
        snprintf(l->vacancy[l->n], 8, "%s", row->vacancy);
        snprintf(l->status[l->n], 16, "%s", row->status);
        l->n++;
    }
    return 0;
}

static int run_round(clb_store *st, meddle *m, int attempts, clb_error *err)
{
    clb_round_opts o;
    clb_round_opts_init(&o);
    o.progress = on_progress;
    o.payload = m;
    o.max_attempts = attempts;
    clb_error_init(err);
    return clb_store_round_run(NULL, NULL, st, &o, 0, err);
}

static long latest(clb_store *st)
{
    long r = -1;
    clb_error err;
    clb_error_init(&err);
    CHECK_INT(clb_store_round_latest(&r, st, &err), 0);
    return r;
}

int main(void)
{
    clb_store *st = NULL;
    clb_error err;
    row_list r1, r2;
    char scen[160];
    const char *paths[1] = {scen};
    meddle m;
    FILE *f;

    snprintf(dir, sizeof(dir), "/tmp/clb-rounds-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(db_path, sizeof(db_path), "%s/t.db", dir);
    snprintf(scen, sizeof(scen), "%s/s.json", dir);
    f = fopen(scen, "w");
    if (!f)
        return 1;
    fputs(SCENARIO, f);
    fclose(f);

    clb_error_init(&err);
    CHECK_INT(clb_store_open(&st, db_path, CLB_STORE_CREATE, &err), 0);
    CHECK_INT(clb_store_schema_version(st), CLB_STORE_SCHEMA_VERSION);
    CHECK_INT(clb_store_import(st, NULL, paths, 1, 0, NULL, &err), 0);

    /* round 1, undisturbed */
    memset(&m, 0, sizeof(m));
    CHECK_INT(run_round(st, &m, 1, &err), 0);
    CHECK_INT(latest(st), 1);
    memset(&r1, 0, sizeof(r1));
    CHECK_INT(clb_store_placement_foreach(st, 1, NULL, collect, &r1, &err), 0);
    CHECK_INT(r1.n, 3);

    /* a confirmation while round 2 solves, one attempt: refused, nothing stored */
    memset(&m, 0, sizeof(m));
    m.kind = DO_CONFIRM;
    m.placement = r1.id[0];
    m.times = 1;
    CHECK_INT(run_round(st, &m, 1, &err), CLB_EDB);
    CHECK_INT(m.result, 0);
    CHECK(strstr(err.message, "changed while the round was solving") != NULL);
    CHECK(strstr(err.message, "nothing was stored") != NULL);
    CHECK_INT(latest(st), 1);

    /* a decline while it solves, two attempts: solved again and stored, seeing it */
    memset(&m, 0, sizeof(m));
    m.kind = DO_DECLINE;
    m.placement = r1.id[1];
    m.times = 1;
    CHECK_INT(run_round(st, &m, 2, &err), 0);
    CHECK_INT(m.calls, 2);
    CHECK_INT(latest(st), 2);
    memset(&r2, 0, sizeof(r2));
    CHECK_INT(clb_store_placement_foreach(st, 2, NULL, collect, &r2, &err), 0);
    {
        bool kept = false, declined_back = false;
        for (int i = 0; i < r2.n; i++) {
            /* the confirmed placement is the same placement, with its id */
            if (r2.id[i] == r1.id[0] && !strcmp(r2.status[i], "confirmed"))
                kept = true;
            if (!strcmp(r2.worker[i], r1.worker[1]) && !strcmp(r2.vacancy[i], r1.vacancy[1]))
                declined_back = true;
        }
        CHECK(kept);
        CHECK(!declined_back);
    }

    /* an import while it solves does not void the round */
    memset(&m, 0, sizeof(m));
    m.kind = DO_IMPORT;
    m.times = 1;
    CHECK_INT(run_round(st, &m, 1, &err), 0);
    CHECK_INT(m.result, 0);
    CHECK_INT(latest(st), 3);

    /* changes at every solve: refused after the attempts, nothing stored */
    {
        row_list r3;
        int n_prop = 0;
        memset(&r3, 0, sizeof(r3));
        CHECK_INT(clb_store_placement_foreach(st, 3, "proposed", collect, &r3, &err), 0);
        n_prop = r3.n;
        if (n_prop >= 1) {
            memset(&m, 0, sizeof(m));
            m.kind = DO_DECLINE;
            m.placement = r3.id[0];
            m.times = 1;
            /* one change, but the one attempt allowed sees it */
            CHECK_INT(run_round(st, &m, 1, &err), CLB_EDB);
            CHECK_INT(latest(st), 3);
            CHECK(strstr(err.message, "(1 attempt)") != NULL);
        }
        CHECK(n_prop >= 1);
    }

    /* the lifecycle is intact: a later round works */
    memset(&m, 0, sizeof(m));
    CHECK_INT(run_round(st, &m, 1, &err), 0);
    CHECK_INT(latest(st), 4);
    clb_store_close(st);

    {
        static const char *const files[] = {"t.db", "t.db-wal", "t.db-shm", "s.json",
                                            "more.csv"};
        char path[192];
        for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
            snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
            remove(path);
        }
        rmdir(dir);
    }
    return clb_test_finish();
}
