/*
 * test_json.c - the engine's JSON document model (engine/io/json.c) and diagnostics
 * lists (engine/scenario/diags.c): parsing, syntax errors with line and column, types,
 * document-order iteration, accessors and JSON path building.
 */
#include <stdio.h>
#include <string.h>

#include "scenario/diags.h"
#include "harness.h"
#include "io/json.h"
#include "util/util.h"

static clb_json *parse(const char *text)
{
    clb_json *root = NULL;
    clb_error err;
    clb_error_init(&err);
    CHECK_INT(clb__json_load_buffer(&root, text, strlen(text), "t.json", &err), 0);
    return root;
}

static void test_types_and_accessors(void)
{
    clb_json *root = parse("{\"z\": 1, \"a\": 2.5, \"m\": \"h\\u00e9\", \"t\": true, "
                           "\"f\": false, \"n\": null, \"arr\": [1, \"x\", {}], "
                           "\"r\": 40.0, \"big\": 1e300, \"neg\": -7}");
    const char *keys[16], *key;
    const clb_json *v;
    clb_json_iter it;
    long long x = 0;
    size_t n = 0;

    if (!root)
        return;
    CHECK(clb_json_is_object(root));
    CHECK_INT(clb__json_object_size(root), 10);
    CHECK_STR(clb__json_type_name(root), "object");

    /* iteration follows the document, not the hash */
    clb__json_iter_init(&it, root);
    while (n < 16 && clb__json_iter_next(&it, &key, &v))
        keys[n++] = key;
    CHECK_INT(n, 10);
    CHECK_STR(keys[0], "z");
    CHECK_STR(keys[1], "a");
    CHECK_STR(keys[6], "arr");
    CHECK_STR(keys[9], "neg");

    v = clb__json_object_get(root, "z");
    CHECK_INT(clb__json_typeof(v), CLB_JSON_INTEGER);
    CHECK(clb__json_integer(v, &x) && x == 1);
    CHECK_NEAR(clb__json_number(v), 1.0, 0);
    v = clb__json_object_get(root, "a");
    CHECK_INT(clb__json_typeof(v), CLB_JSON_REAL);
    CHECK(!clb__json_integer(v, &x));
    CHECK_NEAR(clb__json_number(v), 2.5, 0);
    CHECK_STR(clb__json_type_name(v), "number");
    CHECK(clb__json_integer(clb__json_object_get(root, "r"), &x) && x == 40);
    CHECK(!clb__json_integer(clb__json_object_get(root, "big"), &x));
    CHECK(clb__json_integer(clb__json_object_get(root, "neg"), &x) && x == -7);
    v = clb__json_object_get(root, "m");
    CHECK_STR(clb__json_string(v), "h\xc3\xa9");
    CHECK_INT(clb__json_string_length(v), 3);
    CHECK(clb__json_bool(clb__json_object_get(root, "t")));
    CHECK(clb_json_is_bool(clb__json_object_get(root, "f")));
    CHECK(!clb__json_bool(clb__json_object_get(root, "f")));
    CHECK(clb_json_is_null(clb__json_object_get(root, "n")));
    CHECK_STR(clb__json_type_name(clb__json_object_get(root, "n")), "null");
    CHECK(clb__json_object_get(root, "absent") == NULL);

    v = clb__json_object_get(root, "arr");
    CHECK(clb_json_is_array(v));
    CHECK_INT(clb__json_array_size(v), 3);
    CHECK_STR(clb__json_string(clb__json_array_get(v, 1)), "x");
    CHECK(clb_json_is_object(clb__json_array_get(v, 2)));
    CHECK(clb__json_array_get(v, 3) == NULL);

    /* accessors are total: wrong types give neutral answers */
    CHECK(clb__json_string(clb__json_object_get(root, "z")) == NULL);
    CHECK_INT(clb__json_array_size(root), 0);
    CHECK(clb__json_object_get(v, "x") == NULL);
    CHECK_INT(clb__json_object_size(v), 0);
    CHECK(clb__json_array_get(NULL, 0) == NULL);
    CHECK_STR(clb__json_type_name(NULL), "nothing");
    clb__json_iter_init(&it, v);
    CHECK(!clb__json_iter_next(&it, &key, &v));
    clb__json_free(root);
    clb__json_free(NULL);

    /* any value may be the root */
    root = parse(" 42 ");
    CHECK(root && clb__json_typeof(root) == CLB_JSON_INTEGER);
    clb__json_free(root);
}

static void test_syntax_errors(void)
{
    static const struct {
        const char *text;
        int line, column;
    } cases[] = {
        {"{\"a\": 1,\n \"a\": 2}", 2, 4},    /* duplicate key (jansson: end of the key) */
        {"{\n\n  \"a\": [1, 2,]\n}", 3, 14}, /* trailing comma */
        {"", 1, 0},
        {"{\"s\": \"\\u0000\"}", 1, 14}, /* NUL is refused */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        clb_json *root = NULL;
        clb_error err;
        clb_error_init(&err);
        CHECK_INT(clb__json_load_buffer(&root, cases[i].text, strlen(cases[i].text),
                                       "x.json", &err),
                  CLB_EPARSE);
        CHECK(root == NULL);
        CHECK_INT(err.code, CLB_EPARSE);
        CHECK_INT(err.line, cases[i].line);
        CHECK_INT(err.column, cases[i].column);
        CHECK_STR(err.source, "x.json");
        CHECK(strncmp(err.message, "invalid json at line ", 21) == 0);
    }
}

static void test_files(void)
{
    clb_json *root = NULL;
    clb_error err;

    clb_error_init(&err);
    CHECK_INT(
        clb__json_load_file(&root, CLB_TEST_DATA "/valid/minimal/scenario.json", &err), 0);
    CHECK_STR(clb__json_string(clb__json_object_get(root, "format")),
              "circulab-scenario/1");
    clb__json_free(root);
    clb_error_init(&err);
    CHECK_INT(clb__json_load_file(&root, CLB_TEST_DATA "/absent.json", &err), CLB_EIO);
    CHECK(root == NULL);
    CHECK_STR(err.source, CLB_TEST_DATA "/absent.json");
    clb_error_init(&err);
    CHECK_INT(clb__json_load_file(&root,
                                 CLB_TEST_DATA "/invalid/syntax-trailing-comma/"
                                               "scenario.json",
                                 &err),
              CLB_EPARSE);
    CHECK_INT(err.line, 4);
}

static void test_paths(void)
{
    clb_buf p = CLB_BUF_INIT;
    clb__buf_puts(&p, "$");
    CHECK_INT(clb__json_path_key(&p, "vacancies"), 0);
    CHECK_INT(clb__json_path_index(&p, 3), 0);
    CHECK_INT(clb__json_path_key(&p, "x-note_2"), 0);
    CHECK_STR(p.ptr, "$.vacancies[3].x-note_2");
    clb__buf_clear(&p);
    clb__buf_puts(&p, "$");
    clb__json_path_key(&p, "a b");
    clb__json_path_key(&p, "it's\n");
    clb__json_path_key(&p, "9lives");
    clb__json_path_key(&p, "");
    CHECK_STR(p.ptr, "$['a b']['it\\'s\\u000a']['9lives']['']");
    clb_buf_dispose(&p);
}

static void test_diags(void)
{
    clb_diags *d = NULL;
    const clb_diag *g;

    CHECK_INT(clb_diags_new(&d), 0);
    CHECK_INT(clb_diags_count(d), 0);
    CHECK(clb_diags_get(d, 0) == NULL);
    for (int i = 0; i < 100; i++)
        CHECK_INT(clb__diags_add(d, "f.json", "$.x", "range", i, 2, "value %d", i), 0);
    CHECK_INT(clb__diags_add(d, NULL, NULL, NULL, 0, 0, "plain"), 0);
    CHECK_INT(clb_diags_count(d), 101);
    g = clb_diags_get(d, 42);
    CHECK_STR(g->source, "f.json");
    CHECK_STR(g->path, "$.x");
    CHECK_STR(g->rule, "range");
    CHECK_STR(g->message, "value 42");
    CHECK_INT(g->line, 42);
    CHECK_INT(g->column, 2);
    g = clb_diags_get(d, 100);
    CHECK_STR(g->source, "");
    CHECK_STR(g->path, "");
    CHECK_STR(g->message, "plain");
    CHECK_INT(clb_diags_count(NULL), 0);
    clb_diags_free(d);
    clb_diags_free(NULL);
}

int main(void)
{
    test_types_and_accessors();
    test_syntax_errors();
    test_files();
    test_paths();
    test_diags();
    return clb_test_finish();
}
