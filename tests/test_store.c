/*
 * test_store.c - unit tests of the database layer's engine parts: the CSV reader,
 * the JSON scanner, the canonical record writer (load -> save -> load -> save gives
 * the same text), and the store API (import, round, lifecycle refusals, season close)
 * on a temporary database.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "circulab.h"
#include "circulab/store.h"
#include "io/csv.h"
#include "scenario/save.h"

static void test_csv(void)
{
    clb_csv csv;
    clb_error err;
    const char *text = "\xEF\xBB\xBFid,name\r\nW1,\"a, \"\"b\"\"\"\r\n\r\nW2,\"two\nlines\"\n";
    clb_error_init(&err);
    CHECK_INT(clb__csv_load_buffer(&csv, text, strlen(text), "t.csv", NULL, &err), 0);
    CHECK_INT(csv.nrows, 3);
    CHECK_INT(csv.ncols, 2);
    CHECK_STR(clb__csv_get(&csv, 1, 1)->text, "a, \"b\"");
    CHECK_STR(clb__csv_get(&csv, 2, 1)->text, "two\nlines");
    CHECK_INT(clb__csv_get(&csv, 2, 0)->line, 4);
    CHECK_INT(clb__csv_get(&csv, 2, 1)->column, 4);
    CHECK_INT(clb__csv_column(&csv, "name"), 1);
    clb__csv_dispose(&csv);

    clb_error_init(&err);
    text = "id,name\nW1,\"open\n";
    CHECK_INT(clb__csv_load_buffer(&csv, text, strlen(text), "t.csv", NULL, &err), CLB_EPARSE);
    CHECK_INT(err.line, 2);
    CHECK_INT(err.column, 4);
    clb_error_init(&err);
    text = "id,name\nW1\n";
    CHECK_INT(clb__csv_load_buffer(&csv, text, strlen(text), "t.csv", NULL, &err), CLB_EPARSE);
    CHECK(strstr(err.message, "1 fields") != NULL);
    clb_error_init(&err);
    /* UTF-8 beside a byte that is not: mixed encodings are refused, never converted */
    text = "id\nJos\xC3\xA9\n\xC3\x28\n";
    CHECK_INT(clb__csv_load_buffer(&csv, text, strlen(text), "t.csv", NULL, &err), CLB_EPARSE);
    CHECK(strstr(err.message, "UTF-8") != NULL);
    CHECK(strstr(err.message, "mixes") != NULL);
    CHECK_INT(err.line, 3);
    /* a byte Windows-1252 does not define either */
    clb_error_init(&err);
    text = "id\nW\x81\n";
    CHECK_INT(clb__csv_load_buffer(&csv, text, strlen(text), "t.csv", NULL, &err), CLB_EPARSE);
    CHECK(strstr(err.message, "UTF-8") != NULL);
    /* Windows-1252 text alone is read as such: "Jos\xE9" is "Jos\u00e9", "\x80" the euro */
    clb_error_init(&err);
    text = "id;name\nW1;Jos\xE9 \x80\n";
    CHECK_INT(clb__csv_load_buffer(&csv, text, strlen(text), "t.csv", NULL, &err), 0);
    CHECK_STR(clb__csv_get(&csv, 1, 1)->text, "Jos\xC3\xA9 \xE2\x82\xAC");
    clb__csv_dispose(&csv);
}

static void count_elem(clb_span e, void *payload)
{
    (void)e;
    (*(int *)payload)++;
}

static void test_jscan(void)
{
    const char *t = "{ \"a\": [1, {\"x\": \"]\"}, [2]], \"b\\u00e9\": \"caf\\u00e9\" }";
    clb_span top = {0, strlen(t)}, v;
    clb_buf s = CLB_BUF_INIT;
    int n = 0;
    CHECK(clb__jscan_member(&v, t, top, "a"));
    CHECK(clb__jscan_elements(t, v, count_elem, &n));
    CHECK_INT(n, 3);
    CHECK(clb__jscan_member(&v, t, top, "b\xC3\xA9"));
    CHECK(clb__jscan_string(&s, t, v));
    CHECK_STR(s.ptr, "caf\xC3\xA9");
    CHECK(!clb__jscan_member(&v, t, top, "c"));
    clb_buf_dispose(&s);
}

static void test_save_roundtrip(void)
{
    clb_scenario *a = NULL, *b = NULL;
    clb_buf t1 = CLB_BUF_INIT, t2 = CLB_BUF_INIT;
    clb_error err;
    clb_error_init(&err);
    CHECK_INT(clb_scenario_load_file(&a, CLB_SOURCE_DIR "/scenarios/huelva-small.json", NULL,
                                     &err),
              0);
    if (!a)
        return;
    CHECK_INT(clb__scenario_save_doc(&t1, a, CLB_SAVE_NAME | CLB_SAVE_HISTORY), 0);
    CHECK_INT(clb_scenario_load_buffer(&b, t1.ptr, t1.size, "saved", NULL, &err), 0);
    if (b) {
        CHECK_INT(clb__scenario_save_doc(&t2, b, CLB_SAVE_NAME | CLB_SAVE_HISTORY), 0);
        CHECK_STR(t1.ptr, t2.ptr);
        CHECK_INT(clb_scenario_count(b, CLB_KIND_WORKER), clb_scenario_count(a, CLB_KIND_WORKER));
    }
    clb_scenario_free(a);
    clb_scenario_free(b);
    clb_buf_dispose(&t1);
    clb_buf_dispose(&t2);
}

static int first_id(const clb_placement_row *row, void *payload)
{
    *(long *)payload = row->id;
    return 1;
}

static void test_store_api(void)
{
    char dir[] = "/tmp/clb-test-store-XXXXXX", db[256], path[300];
    clb_store *st = NULL;
    clb_error err;
    clb_import_stats stats;
    clb_round_opts ro;
    clb_buf out = CLB_BUF_INIT;
    clb_explanation *ex = NULL;
    long round = 0, pid = 0;
    const char *files[1] = {path};
    clb_change ch;
    FILE *f;

    if (!mkdtemp(dir)) {
        CHECK(0);
        return;
    }
    snprintf(db, sizeof(db), "%s/t.db", dir);
    snprintf(path, sizeof(path), "%s/s.json", dir);
    if (!(f = fopen(path, "w"))) {
        CHECK(0);
        return;
    }
    fputs("{\"format\":\"circulab-scenario/1\",\"employers\":[{\"id\":\"E1\","
          "\"region\":\"ES615\"}],\"workers\":[{\"id\":\"W00001\",\"birth_date\":"
          "\"1990-01-01\",\"country\":\"MA\",\"available\":{\"from\":\"2026-01-01\","
          "\"to\":\"2026-12-31\"}}],\"vacancies\":[{\"id\":\"V1\",\"employer\":\"E1\","
          "\"start\":\"2026-02-01\",\"end\":\"2026-05-31\",\"headcount\":1}]}",
          f);
    fclose(f);
    clb_error_init(&err);
    CHECK_INT(clb_store_open(&st, db, 0, &err), CLB_EIO); /* missing, no CREATE */
    clb_error_init(&err);
    CHECK_INT(clb_store_open(&st, db, CLB_STORE_CREATE, &err), 0);
    if (!st)
        return;
    CHECK_INT(clb_store_schema_version(st), CLB_STORE_SCHEMA_VERSION);
    CHECK_INT(clb_store_set_actor(st, "tester"), 0);
    CHECK_INT(clb_store_import(st, &stats, files, 1, 0, NULL, &err), 0);
    CHECK(stats.workers > 0);
    clb_round_opts_init(&ro);
    CHECK_INT(clb_store_round_run(&out, &round, st, &ro, CLB_STORE_JSON, &err), 0);
    CHECK_INT(round, 1);
    CHECK(out.ptr && strstr(out.ptr, "\"placements\"") != NULL);
    clb_store_placement_foreach(st, 1, "proposed", first_id, &pid, &err);
    CHECK(pid > 0);
    ch.placement = pid;
    ch.date = NULL;
    clb_error_init(&err);
    CHECK_INT(clb_store_placement_apply(NULL, st, CLB_ACT_DEPART, &ch, 1, NULL, 0, &err),
              CLB_ESTATE);
    CHECK(strstr(err.message, "not confirmed") != NULL);
    clb_error_init(&err);
    CHECK_INT(clb_store_placement_apply(NULL, st, CLB_ACT_CONFIRM, &ch, 1, NULL, 0, &err), 0);
    CHECK_INT(clb_store_placement_apply(NULL, st, CLB_ACT_DEPART, &ch, 1, NULL, 0, &err), 0);
    ch.date = "2026-05-01";
    CHECK_INT(clb_store_placement_apply(NULL, st, CLB_ACT_RETURN, &ch, 1, NULL, 0, &err), 0);
    clb_buf_dispose(&out);
    CHECK_INT(clb_store_season_close(&out, st, "2026-12-31", NULL, CLB_STORE_JSON, &err), 0);
    CHECK(out.ptr && strstr(out.ptr, "\"workers_rolled\": 1") != NULL);
    clb_buf_dispose(&out);
    CHECK_INT(clb_store_explain(&ex, st, 1, "W00001", NULL, &err), 0);
    clb_explanation_free(ex);
    clb_error_init(&err);
    CHECK_INT(clb_store_round_show(&out, st, 42, 0, &err), CLB_ENOTFOUND);
    clb_buf_dispose(&out);
    clb_store_close(st);
    remove(path);
    remove(db);
    snprintf(path, sizeof(path), "%s-wal", db);
    remove(path);
    snprintf(path, sizeof(path), "%s-shm", db);
    remove(path);
    rmdir(dir);
}

int main(void)
{
    test_csv();
    test_jscan();
    test_save_roundtrip();
    test_store_api();
    return clb_test_finish();
}
