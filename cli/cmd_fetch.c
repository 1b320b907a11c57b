/*
 * cmd_fetch.c - `circulab fetch [NAME...|--all]`: fetch offer feeds into the
 * database (docs/FORMATS.md §5, docs/OFFERS.md).
 *
 * Each source is fetched and stored on its own, all or nothing (the library does
 * the transaction); one failing source does not stop the others, and the exit code
 * is that of the first failure. Rejected offers are warnings unless --strict.
 * --verbose prints the library's progress lines (URLs, statuses, sizes, retries),
 * which never contain a token.
 */
#include "db.h"
#include "circulab/offers.h"

#include <stdlib.h>
#include <string.h>

typedef struct names {
    char **v;
    size_t n, cap;
} names;

static int add_name(const char *name, void *payload)
{
    names *ns = payload;
    size_t len = strlen(name);
    char *copy;
    if (ns->n == ns->cap) {
        size_t cap = ns->cap ? ns->cap * 2 : 8;
        char **v = realloc(ns->v, cap * sizeof(*v));
        if (!v)
            return CLB_ENOMEM;
        ns->v = v;
        ns->cap = cap;
    }
    if (!(copy = malloc(len + 1)))
        return CLB_ENOMEM;
    memcpy(copy, name, len + 1);
    ns->v[ns->n++] = copy;
    return 0;
}

typedef struct verbose_ctx {
    const char *source;
    bool verbose;
    cli_progress *progress;
} verbose_ctx;

/* The library's progress lines: printed with --verbose, else shown as the status
 * line on a terminal (requests only). */
static void verbose_line(const char *line, void *payload)
{
    verbose_ctx *v = payload;
    if (v->verbose)
        cli_printf_text(stderr, "circulab: %s: %s\n", v->source, line);
    else if (strncmp(line, "GET ", 4) == 0)
        cli_progress_show(v->progress, "fetch %s: %s", v->source, line);
}

/* The library's warnings (a token over plain http, ...): always on stderr. */
static void warn_line(const char *line, void *payload)
{
    verbose_ctx *v = payload;
    cli_progress_clear(v->progress);
    cli_warning("%s", line);
}

static void report_print(cli_json *j, const clb_offers_report *r, bool json)
{
    if (json) {
        cli_json_begin_object(j);
        cli_json_key(j, "source");
        cli_json_string(j, r->source);
        cli_json_key(j, "status");
        cli_json_string(j, r->status);
        cli_json_key(j, "http_status");
        cli_json_integer(j, r->http_status);
        cli_json_key(j, "pages");
        cli_json_integer(j, r->pages);
        cli_json_key(j, "added");
        cli_json_integer(j, r->added);
        cli_json_key(j, "updated");
        cli_json_integer(j, r->updated);
        cli_json_key(j, "withdrawn");
        cli_json_integer(j, r->withdrawn);
        cli_json_key(j, "rejected");
        cli_json_integer(j, r->rejected);
        cli_json_key(j, "employers");
        cli_json_integer(j, r->employers);
        cli_json_key(j, "seconds");
        cli_json_number(j, r->seconds);
        cli_json_end_object(j);
        return;
    }
    if (strcmp(r->status, "unchanged") == 0)
        cli_printf_text(stdout, "%s: unchanged (http 304)\n", r->source);
    else
        cli_printf_text(stdout, "%s: %s, %d page%s, %d added, %d updated, %d withdrawn, %d rejected, "
               "%d employer%s (%.2f s)\n",
               r->source, r->status, r->pages, r->pages == 1 ? "" : "s", r->added,
               r->updated, r->withdrawn, r->rejected, r->employers,
               r->employers == 1 ? "" : "s", r->seconds);
}

/* Print each problem line as a warning (or an error with --strict). */
static void problems_print(const clb_buf *problems, bool strict)
{
    const char *p = problems->ptr;
    while (p && *p) {
        const char *e = strchr(p, '\n');
        int n = e ? (int)(e - p) : (int)strlen(p);
        if (strict)
            cli_error("%.*s", n, p);
        else
            cli_warning("rejected: %.*s", n, p);
        p = e ? e + 1 : p + n;
    }
}

/* Fetch each source of ns in turn, printing its report; returns the exit code of the
   first failure (CLB_EXIT_OK when none failed). */
static int fetch_each(clb_store *st, const names *ns, clb_offers_opts *o, bool json,
                      bool verbose, bool quiet)
{
    cli_json j;
    cli_progress progress;
    int first_fail = CLB_EXIT_OK;

    cli_progress_init(&progress, quiet || verbose);
    if (json) {
        cli_json_init(&j, stdout);
        cli_json_begin_array(&j);
    }
    for (size_t i = 0; i < ns->n; i++) {
        clb_offers_report r;
        clb_buf problems = CLB_BUF_INIT;
        verbose_ctx vc = {ns->v[i], verbose, &progress};
        clb_error err;
        int error;
        clb_error_init(&err);
        o->payload = &vc;
        o->warn = warn_line;
        if (verbose || progress.enabled)
            o->log = verbose_line;
        error = clb_offers_fetch(&r, st, ns->v[i], o, &problems, &err);
        cli_progress_clear(&progress);
        problems_print(&problems, o->strict);
        clb_buf_dispose(&problems);
        if (error < 0) {
            int code = cli_db_fail(error, &err);
            if (first_fail == CLB_EXIT_OK)
                first_fail = code;
        }
        if (error != CLB_ENOTFOUND)
            report_print(&j, &r, json);
    }
    if (json) {
        cli_json_end_array(&j);
        cli_json_finish(&j);
    }
    return first_fail;
}

int cmd_fetch(int argc, char **argv)
{
    const char *db = NULL, *by = NULL;
    bool json = false, all = false, strict = false, insecure = false, verbose = false,
         unconditional = false, quiet = false;
    long max_bytes = 32L << 20, max_pages = 100, timeout_ms = 60000,
         connect_timeout_ms = 10000, retries = 3, retry_base_ms = 1000,
         retry_max_ms = 60000, max_redirects = 5, low_speed_secs = 30,
         max_source_bytes = 64L << 20, max_page_values = 1000000, deadline_secs = 900;
    const cli_option options[] = {
        CLI_DB_OPTION(db),
        CLI_BY_OPTION(by),
        CLI_JSON_OPTION(json),
        {.long_name = "all", .type = CLI_OPT_FLAG, .value = &all,
         .help = "fetch every registered source"},
        {.long_name = "strict", .type = CLI_OPT_FLAG, .value = &strict,
         .help = "one invalid offer fails the source's whole fetch"},
        {.long_name = "insecure", .type = CLI_OPT_FLAG, .value = &insecure,
         .help = "do not verify TLS certificates (for tests only; warns)"},
        {.long_name = "max-bytes", .type = CLI_OPT_LONG, .value = &max_bytes,
         .arg_name = "N", .min = 1, .max = 1e12,
         .help = "response size cap per page in bytes (default 32 MiB)"},
        {.long_name = "max-source-bytes", .type = CLI_OPT_LONG, .value = &max_source_bytes,
         .arg_name = "N", .min = 0, .max = 1e13,
         .help = "all pages of one source together, in bytes (default 64 MiB; 0 off)"},
        {.long_name = "max-page-values", .type = CLI_OPT_LONG, .value = &max_page_values,
         .arg_name = "N", .min = 0, .max = 1e12,
         .help = "json values one page may hold, its parsed cost (default 1000000; 0 off)"},
        {.long_name = "deadline-secs", .type = CLI_OPT_LONG, .value = &deadline_secs,
         .arg_name = "S", .min = 0, .max = 604800,
         .help = "the whole fetch of one source, retries included (default 900; 0 off)"},
        {.long_name = "max-pages", .type = CLI_OPT_LONG, .value = &max_pages,
         .arg_name = "N", .min = 1, .max = 1e6, .help = "pages per source (default 100)"},
        {.long_name = "max-redirects", .type = CLI_OPT_LONG, .value = &max_redirects,
         .arg_name = "N", .min = 0, .max = 50, .help = "redirects per request (default 5)"},
        {.long_name = "timeout-ms", .type = CLI_OPT_LONG, .value = &timeout_ms,
         .arg_name = "MS", .min = 1, .max = 86400000,
         .help = "total time of one request (default 60000)"},
        {.long_name = "connect-timeout-ms", .type = CLI_OPT_LONG,
         .value = &connect_timeout_ms, .arg_name = "MS", .min = 1, .max = 600000,
         .help = "connect timeout (default 10000)"},
        {.long_name = "low-speed-secs", .type = CLI_OPT_LONG, .value = &low_speed_secs,
         .arg_name = "S", .min = 0, .max = 3600,
         .help = "abort a request below 1 byte/s for S seconds (default 30; 0 off)"},
        {.long_name = "retries", .type = CLI_OPT_LONG, .value = &retries, .arg_name = "N",
         .min = 0, .max = 20, .help = "retries of a request after the first (default 3)"},
        {.long_name = "retry-base-ms", .type = CLI_OPT_LONG, .value = &retry_base_ms,
         .arg_name = "MS", .min = 0, .max = 600000,
         .help = "first backoff, doubled each retry, with jitter (default 1000)"},
        {.long_name = "retry-max-ms", .type = CLI_OPT_LONG, .value = &retry_max_ms,
         .arg_name = "MS", .min = 0, .max = 3600000,
         .help = "longest single wait, Retry-After included (default 60000)"},
        {.long_name = "unconditional", .type = CLI_OPT_FLAG, .value = &unconditional,
         .help = "ignore the stored ETag and Last-Modified"},
        {.long_name = "verbose", .short_name = 'v', .type = CLI_OPT_FLAG,
         .value = &verbose, .help = "print each request, status and retry to stderr"},
        {.long_name = "quiet", .short_name = 'q', .type = CLI_OPT_FLAG, .value = &quiet,
         .help = "no progress line on a terminal"},
        {0},
    };
    const cli_command spec = {
        .name = "fetch",
        .usage = "[NAME...|--all] [options]",
        .summary = "Fetch offers from registered feeds.",
        .description =
            "Fetches every page of each source (following `next` or a Link rel=\"next\"\n"
            "header), validates every offer, then stores them in one transaction per\n"
            "source: offers are upserted by (source, id), withdrawn ones marked\n"
            "withdrawn. A failure anywhere leaves the database as it was (apart from\n"
            "the fetch log) and says which page failed and why. Invalid offers are\n"
            "rejected with their page and JSON path and the valid ones stored, unless\n"
            "--strict. A source unchanged since the last fetch (HTTP 304) changes\n"
            "nothing. Requests are retried with backoff on 429, 5xx, timeouts and\n"
            "connection failures (docs/OFFERS.md).",
        .options = options,
        .min_operands = 0,
        .max_operands = -1,
        .epilog = "exit codes: 0 ok, 1 network or database failure, 2 usage error,\n"
                  "3 invalid input (a page that is not an offers document, or invalid\n"
                  "offers with --strict), 5 internal error.",
    };
    cli_operands ops;
    clb_store *st = NULL;
    clb_offers_opts o;
    names ns = {NULL, 0, 0};
    int rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    if (all == (ops.count > 0)) {
        cli_error("name the sources to fetch, or give --all");
        fprintf(stderr, "usage: circulab fetch [NAME...|--all] [options]\n");
        return CLB_EXIT_USAGE;
    }
    if (insecure)
        cli_warning("--insecure: TLS certificates are NOT verified; anyone on the path "
                    "can forge these offers. Use it for tests only.");
    if ((rc = cli_db_open(&st, db, by, false)) != CLB_EXIT_OK)
        return rc;
    if (all) {
        clb_error err;
        int error;
        clb_error_init(&err);
        if ((error = clb_offers_source_foreach(st, add_name, &ns, &err)) < 0) {
            rc = cli_db_fail(error, &err);
            goto done;
        }
        if (ns.n == 0)
            cli_warning("no sources registered (see 'circulab source add')");
    } else {
        for (int i = 0; i < ops.count; i++)
            if (add_name(ops.items[i], &ns) < 0) {
                cli_error("out of memory");
                rc = CLB_EXIT_RUNTIME;
                goto done;
            }
    }
    clb_offers_opts_init(&o);
    o.strict = strict;
    o.insecure = insecure;
    o.max_bytes = (size_t)max_bytes;
    o.max_pages = (int)max_pages;
    o.max_redirects = max_redirects;
    o.timeout_ms = timeout_ms;
    o.connect_timeout_ms = connect_timeout_ms;
    o.low_speed_secs = low_speed_secs;
    o.max_attempts = (int)retries + 1;
    o.retry_base_ms = retry_base_ms;
    o.retry_max_ms = retry_max_ms;
    o.unconditional = unconditional;
    o.max_source_bytes = (size_t)max_source_bytes;
    o.max_page_values = (size_t)max_page_values;
    o.deadline_secs = (double)deadline_secs;
    rc = fetch_each(st, &ns, &o, json, verbose, quiet);
done:
    for (size_t i = 0; i < ns.n; i++)
        free(ns.v[i]);
    free(ns.v);
    clb_store_close(st);
    return rc;
}
