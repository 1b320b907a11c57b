/*
 * test_fetch.c - the parts of engine/io/fetch.c and engine/offers/ that need no
 * server: RFC 8288 Link header parsing, URL resolution and origins, and parsing
 * offers pages (native and every JobPosting shape) with their rejected offers'
 * JSON paths. The HTTP behaviour itself is tested against a real server in
 * tests/network/.
 */
#include <stdio.h>
#include <string.h>

#include "circulab/offers.h"
#include "io/fetch.h"
#include "harness.h"
#include "util/util.h"

static void check_link(const char *header, const char *want)
{
    clb_buf out = CLB_BUF_INIT;
    bool found = clb__fetch_link_next(&out, header);
    if (want) {
        CHECK(found);
        CHECK_STR(out.ptr ? out.ptr : "", want);
    } else {
        CHECK(!found);
    }
    clb_buf_dispose(&out);
}

static void test_link_header(void)
{
    check_link("<https://x.example/p2>; rel=\"next\"", "https://x.example/p2");
    check_link("<https://x/p9>; rel=last, <https://x/p2>; rel=next", "https://x/p2");
    check_link("<https://x/p1>; rel=\"prev first\", <https://x/p3>; rel=\"Next last\"",
               "https://x/p3");
    check_link("</p2?a=1,2>; title=\"a, b; c\"; rel=\"next\"", "/p2?a=1,2");
    check_link("<https://x/p2>; rel=\"nextpage\"", NULL);
    check_link("<https://x/p2>; rel=\"prev\"", NULL);
    check_link("", NULL);
    check_link("garbage", NULL);
    check_link("<https://x/p2", NULL);
}

static void test_urls(void)
{
    clb_buf out = CLB_BUF_INIT;
    CHECK_INT(clb__fetch_resolve(&out, "https://a.example/feed/p1?x=1", "p2?x=2", NULL), 0);
    CHECK_STR(out.ptr, "https://a.example/feed/p2?x=2");
    CHECK_INT(clb__fetch_resolve(&out, "https://a.example/feed/p1", "/other", NULL), 0);
    CHECK_STR(out.ptr, "https://a.example/other");
    CHECK_INT(clb__fetch_resolve(&out, "https://a.example/f", "http://b.example/g", NULL), 0);
    CHECK_STR(out.ptr, "http://b.example/g");
    clb_buf_dispose(&out);

    CHECK(clb__fetch_url_is_http("http://127.0.0.1:8080/x"));
    CHECK(clb__fetch_url_is_http("https://a.example/"));
    CHECK(!clb__fetch_url_is_http("file:///etc/passwd"));
    CHECK(!clb__fetch_url_is_http("ftp://a.example/"));
    CHECK(!clb__fetch_url_is_http("not a url"));

    CHECK(clb__fetch_same_origin("https://a.example/x", "https://A.example:443/y"));
    CHECK(!clb__fetch_same_origin("https://a.example/x", "http://a.example/x"));
    CHECK(!clb__fetch_same_origin("http://127.0.0.1:80/x", "http://localhost/x"));
    CHECK(!clb__fetch_same_origin("http://a.example:8080/", "http://a.example:8081/"));
}

static void parse(const char *text, clb_offers_format f, int want_rc, size_t want_emp,
                  size_t want_vac, const char *want_problem)
{
    clb_buf problems = CLB_BUF_INIT, next = CLB_BUF_INIT;
    size_t ne = 99, nv = 99;
    clb_error err;
    int rc;
    clb_error_init(&err);
    rc = clb_offers_parse_buffer(&ne, &nv, text, strlen(text), f, "src", &next, &problems,
                                 &err);
    CHECK_INT(rc, want_rc);
    if (rc == 0) {
        CHECK_INT((int)ne, (int)want_emp);
        CHECK_INT((int)nv, (int)want_vac);
    }
    if (want_problem) {
        const char *hay = rc == 0 ? problems.ptr : err.message;
        CHECK(hay && strstr(hay, want_problem));
        if (!(hay && strstr(hay, want_problem)))
            fprintf(stderr, "  wanted '%s' in: %s\n", want_problem, hay ? hay : "(none)");
    } else {
        CHECK(problems.ptr == NULL);
        if (problems.ptr)
            fprintf(stderr, "  unexpected: %s\n", problems.ptr);
    }
    clb_buf_dispose(&problems);
    clb_buf_dispose(&next);
}

#define EMP "{\"id\":\"E1\",\"region\":\"ES615\"}"
#define VAC(id, hc)                                                                   \
    "{\"id\":\"" id "\",\"employer\":\"E1\",\"start\":\"2026-02-01\","                \
    "\"end\":\"2026-06-15\",\"headcount\":" hc "}"
#define JP(id)                                                                        \
    "{\"@type\":\"JobPosting\",\"identifier\":\"" id "\",\"jobStartDate\":"           \
    "\"2026-02-01\",\"validThrough\":\"2026-06-15\",\"totalJobOpenings\":3,"          \
    "\"hiringOrganization\":{\"@type\":\"Organization\",\"identifier\":\"O1\"},"      \
    "\"jobLocation\":{\"address\":{\"addressRegion\":\"ES615\"}}}"

static void test_native(void)
{
    parse("{\"format\":\"circulab-offers/1\",\"employers\":[" EMP "],\"vacancies\":["
          VAC("V1", "3") "," VAC("V2", "0") "],\"next\":null}",
          CLB_OFFERS_AUTO, 0, 1, 1, "src: page 1: $.vacancies[1].headcount: vacancy 'V2'");
    parse("{\"format\":\"circulab-offers/1\",\"employers\":[" EMP "],\"vacancies\":["
          VAC("V1", "3") "," VAC("V1", "4") "]}",
          CLB_OFFERS_NATIVE, 0, 1, 1, "duplicate offer id 'V1'");
    parse("{\"format\":\"circulab-offers/1\",\"vacancies\":[],\"extra\":1}",
          CLB_OFFERS_AUTO, CLB_EINVAL, 0, 0, "unknown key 'extra'");
    parse("{\"format\":\"circulab-offers/1\",\"vacancies\":[],\"x-note\":1}",
          CLB_OFFERS_AUTO, 0, 0, 0, NULL);
    parse("{\"format\":\"circulab-offers/1\",\"employers\":[" EMP "],\"vacancies\":["
          "{\"id\":\"V1\",\"employer\":\"E1\",\"start\":\"2026-02-01\",\"end\":"
          "\"2026-06-15\",\"headcount\":1,\"status\":\"gone\"}]}",
          CLB_OFFERS_AUTO, 0, 1, 0, "$.vacancies[0].status");
    parse("{\"format\":\"circulab-offers/2\",\"vacancies\":[]}", CLB_OFFERS_AUTO,
          CLB_EINVAL, 0, 0, "format must be");
    parse("{\"hello\":1}", CLB_OFFERS_AUTO, CLB_EINVAL, 0, 0, "neither");
    parse("{\"format\":", CLB_OFFERS_AUTO, CLB_EPARSE, 0, 0, NULL);
}

static void test_jobposting(void)
{
    parse(JP("J1"), CLB_OFFERS_AUTO, 0, 1, 1, NULL);
    parse("[" JP("J1") "," JP("J2") "]", CLB_OFFERS_AUTO, 0, 1, 2, NULL);
    parse("{\"@type\":\"ItemList\",\"itemListElement\":[{\"@type\":\"ListItem\","
          "\"item\":" JP("J1") "}," JP("J2") "]}",
          CLB_OFFERS_JOBPOSTING, 0, 1, 2, NULL);
    parse("{\"@graph\":[{\"@type\":\"Organization\",\"@id\":\"#o\"}," JP("J1") "]}",
          CLB_OFFERS_AUTO, 0, 1, 1, NULL);
    /* an error inside a mapped field is reported at the JobPosting's key */
    parse("[" JP("J1") ",{\"@type\":\"JobPosting\",\"identifier\":\"J2\","
          "\"jobStartDate\":\"2026-02-30\",\"validThrough\":\"2026-06-15\","
          "\"totalJobOpenings\":3,\"hiringOrganization\":{\"identifier\":\"O1\"}}]",
          CLB_OFFERS_AUTO, 0, 1, 1, "$[1].jobStartDate");
    parse("[{\"@type\":\"Person\"}]", CLB_OFFERS_AUTO, 0, 0, 0,
          "$[0]: expected a JobPosting object");
    parse("[{\"@type\":\"JobPosting\",\"jobStartDate\":\"2026-02-01\"}]", CLB_OFFERS_AUTO,
          0, 0, 0, "neither identifier nor @id");
    parse("{\"@type\":\"JobPosting\",\"identifier\":\"J1\",\"jobStartDate\":\"2026-02-01\","
          "\"validThrough\":\"2026-06-15\",\"totalJobOpenings\":3,"
          "\"jobLocation\":{\"address\":{\"addressRegion\":\"ES615\"}}}",
          CLB_OFFERS_AUTO, 0, 0, 0, "$.hiringOrganization: JobPosting names no employer");
    parse("{\"@type\":\"JobPosting\",\"identifier\":\"J1\",\"jobStartDate\":\"2026-02-01\","
          "\"validThrough\":\"2026-06-15\",\"totalJobOpenings\":3,"
          "\"hiringOrganization\":{\"identifier\":\"O1\"},"
          "\"jobLocation\":{\"address\":{\"addressRegion\":\"ES615\"}},"
          "\"baseSalary\":{\"currency\":\"USD\",\"value\":10}}",
          CLB_OFFERS_AUTO, 0, 1, 0, "$.baseSalary: baseSalary currency must be EUR");
}

int main(void)
{
    test_link_header();
    test_urls();
    test_native();
    test_jobposting();
    return clb_test_finish();
}
