/*
 * test_json_errors.c - what the JSON reader says when a document is not JSON, and
 * the allocation-free scanner behind it (engine/io/json.c, clb__json_measure).
 *
 * A syntax error message gives line, column and what was expected, never the text
 * near the error (a worker's name may be there). The scanner must agree with
 * Jansson on what is well-formed, because its verdict is what turns a parser failure
 * on well-formed text into "out of memory" (exit 1) rather than a syntax error
 * (exit 3); the out-of-memory path itself is exercised end to end under a memory
 * limit in tests/network/test_offers_integrity.py (JsonParser).
 */
#include "harness.h"

#include <stdlib.h>

#include "io/json.h"

static int load(clb_error *err, const char *text)
{
    clb_json *root = NULL;
    int rc;
    clb_error_init(err);
    rc = clb__json_load_buffer(&root, text, strlen(text), "doc.json", err);
    clb__json_free(root);
    return rc;
}

static void test_no_text_in_messages(void)
{
    static const char *const docs[] = {
        "{\"workers\": [{\"id\": \"W1\", \"name\": \"Fatima Zahra\" \"Benali\"}]}",
        "{\"name\": \"Fatima Zahra\", \"x\": Benali}",
        "[\"Fatima Zahra\" Benali]",
        "{\"name\": \"Fatima Zahra\"",
        "{\"name\": \"Fatima\\q Zahra\"}",
        "{\"Benali\" 1}",
        NULL};
    for (size_t i = 0; docs[i]; i++) {
        clb_error err;
        CHECK_INT(load(&err, docs[i]), CLB_EPARSE);
        CHECK(strstr(err.message, "Fatima") == NULL);
        CHECK(strstr(err.message, "Benali") == NULL);
        CHECK(strstr(err.message, "Zahra") == NULL);
        CHECK(strstr(err.message, "line 1, column") != NULL);
        CHECK(err.line == 1 && err.column > 0);
        if (strstr(err.message, "Benali") || strstr(err.message, "Zahra"))
            fprintf(stderr, "  leaked: %s\n", err.message);
    }
    {
        clb_error err;
        CHECK_INT(load(&err, "{\"a\": 1 \"b\": 2}"), CLB_EPARSE);
        CHECK(strstr(err.message, "expected") != NULL);
    }
}

/* The scanner and Jansson agree on well-formedness. */
static void test_scanner_agrees(void)
{
    static const char *const docs[] = {
        "{}", "[]", "0", "-0", "1.5e-3", "\"x\"", "true", "null", " [1, 2 ,3 ] ",
        "{\"a\":{\"b\":[{},[],\"\\u00e9\\ud83d\\ude00\"]}}", "[1,]", "[,1]", "{\"a\"}",
        "{\"a\":}", "{,}", "[01]", "[1.]", "[.5]", "[1e]", "[-]", "[tru]", "nul",
        "[1] [2]", "\"a\nb\"", "\"\\x\"", "\"\\ud800\"", "\"\\udc00x\"", "[", "]",
        "{\"a\":1,}", "", "   ", "[[[[[]]]]]", "[[[[[]]]]", "{\"a\":[1,{\"b\":null}]}",
        "[\"\\/\\b\\f\\n\\r\\t\\\\\\\"\"]", "[1e+5, -2E-3, 0.0]", "{\"a\" : 1 , \"b\":2}",
        NULL};
    for (size_t i = 0; docs[i]; i++) {
        clb_json *root = NULL;
        clb_error err;
        bool jansson, ours;
        clb_error_init(&err);
        jansson = clb__json_load_buffer(&root, docs[i], strlen(docs[i]), NULL, &err) == 0;
        clb__json_free(root);
        ours = clb__json_measure(NULL, NULL, docs[i], strlen(docs[i]));
        if (jansson != ours)
            fprintf(stderr, "  disagree on '%s': jansson %d, scanner %d\n", docs[i],
                    jansson, ours);
        CHECK(jansson == ours);
    }
}

static bool measure(size_t *values, size_t *depth, const char *text)
{
    return clb__json_measure(values, depth, text, strlen(text));
}

static void test_counts(void)
{
    size_t values = 0, depth = 0;
    CHECK(measure(&values, &depth, "[[],[],[]]"));
    CHECK_INT(values, 4);
    CHECK_INT(depth, 2);
    CHECK(measure(&values, &depth, "{\"a\":1,\"b\":[true,\"x\"]}"));
    CHECK_INT(values, 5);
    CHECK_INT(depth, 2);
    CHECK(!measure(&values, &depth, "[[["));
    CHECK_INT(depth, 3);
}

int main(void)
{
    test_no_text_in_messages();
    test_scanner_agrees();
    test_counts();
    return clb_test_finish();
}
