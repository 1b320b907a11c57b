/*
 * cmd_serve.c - `circulab serve`: the employer portal (docs/PORTAL.md §8), an HTTP server
 * with a JSON API and web pages on the database, until SIGINT or SIGTERM.
 *
 * The program blocks SIGINT and SIGTERM before the server starts its threads (which
 * inherit the mask) and waits for them with sigwait: no signal handler and no global
 * flag. The first line on stderr is "listening on URL"; then one line per request,
 * written by the log callback the engine calls (it never prints).
 */
#include "db.h"
#include "circulab/portal.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void log_line(const char *line, void *payload)
{
    (void)payload;
    cli_printf_text(stderr, "%s\n", line); /* request paths are the client's */
    fflush(stderr);
}

/* Split HOST:PORT (HOST may be [v6]); false when malformed. */
static bool split_listen(const char *s, char *host, size_t n, long *port)
{
    const char *colon = strrchr(s, ':');
    char *end;
    size_t len;
    if (!colon || colon == s)
        return false;
    len = (size_t)(colon - s);
    if (s[0] == '[' && colon[-1] == ']') {
        s++;
        len -= 2;
    }
    if (len == 0 || len >= n)
        return false;
    memcpy(host, s, len);
    host[len] = '\0';
    *port = strtol(colon + 1, &end, 10);
    return *end == '\0' && end != colon + 1 && *port >= 0 && *port <= 65535;
}

static bool is_loopback(const char *host)
{
    return strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0 ||
           strcmp(host, "localhost") == 0;
}

int cmd_serve(int argc, char **argv)
{
    const char *db = NULL, *listen = "127.0.0.1:8080", *cert = NULL, *key = NULL;
    long threads = 4, max_conn = 256, timeout = 30, rate = 20, burst = 200, grace = 10;
    long busy = 30;
    long per_addr = -1; /* default: none on a loopback address, else 64 */
    bool quiet = false;
    const cli_option options[] = {
        CLI_DB_OPTION(db),
        {.long_name = "listen", .type = CLI_OPT_STRING, .value = &listen,
         .arg_name = "HOST:PORT",
         .help = "address and port (default 127.0.0.1:8080; port 0 picks a free one)"},
        {.long_name = "tls-cert", .type = CLI_OPT_STRING, .value = &cert, .arg_name = "PEM",
         .help = "serve HTTPS with this certificate (with --tls-key)"},
        {.long_name = "tls-key", .type = CLI_OPT_STRING, .value = &key, .arg_name = "PEM",
         .help = "the certificate's private key"},
        {.long_name = "threads", .type = CLI_OPT_LONG, .value = &threads, .arg_name = "N",
         .min = 1, .max = 256, .help = "worker threads (default 4)"},
        {.long_name = "max-connections", .type = CLI_OPT_LONG, .value = &max_conn,
         .arg_name = "N", .min = 1, .max = 100000,
         .help = "open connections at once, more wait to be accepted (default 256)"},
        {.long_name = "max-per-address", .type = CLI_OPT_LONG, .value = &per_addr,
         .arg_name = "N", .min = 0, .max = 100000,
         .help = "open connections from one client address, more are closed unanswered; "
                 "0 for no such cap (default: 0 on a loopback address, where the client is "
                 "a reverse proxy or the machine itself, else 64)"},
        {.long_name = "timeout", .type = CLI_OPT_LONG, .value = &timeout, .arg_name = "S",
         .min = 1, .max = 3600,
         .help = "close a connection idle or stalled this long (default 30)"},
        {.long_name = "busy-timeout", .type = CLI_OPT_LONG, .value = &busy, .arg_name = "S",
         .min = 1, .max = 3600,
         .help = "a change waits this long for another writer (round run, import), then "
                 "answers 503 with Retry-After (default 30)"},
        {.long_name = "rate", .type = CLI_OPT_LONG, .value = &rate, .arg_name = "N",
         .min = 0, .max = 1000000,
         .help = "requests per second per token, 0 for no limit (default 20)"},
        {.long_name = "burst", .type = CLI_OPT_LONG, .value = &burst, .arg_name = "N",
         .min = 1, .max = 1000000,
         .help = "requests a token may make at once before --rate applies (default 200)"},
        {.long_name = "grace", .type = CLI_OPT_LONG, .value = &grace, .arg_name = "S",
         .min = 0, .max = 3600,
         .help = "on SIGINT/SIGTERM, wait this long for requests in flight (default 10)"},
        {.long_name = "quiet", .type = CLI_OPT_FLAG, .value = &quiet,
         .help = "no request log lines"},
        {0},
    };
    const cli_command spec = {
        .name = "serve",
        .usage = "[--db PATH] [--listen HOST:PORT] [options]",
        .summary = "Serve the employer portal: a JSON API and web pages.",
        .description =
            "Employers sign in with a token from `circulab employer token add` and\n"
            "submit, replace and withdraw their own vacancies and follow their own\n"
            "placements, through the JSON API under /api/v1 or the pages at /.\n"
            "Prints `listening on http://HOST:PORT` as its first line on stderr, then\n"
            "one line per request (method, path, status, employer, milliseconds).\n"
            "SIGINT or SIGTERM stops it after the requests in flight (exit 0).\n"
            "Without TLS it warns when the address is not a loopback one: run it\n"
            "behind a reverse proxy with TLS (docs/PORTAL.md).",
        .options = options,
        .min_operands = 0,
        .max_operands = 0,
        .epilog = "exit codes: 0 stopped by a signal, 1 cannot listen or open the\n"
                  "database, 2 usage error.",
    };
    cli_operands ops;
    clb_server_opts o;
    clb_server *sv = NULL;
    clb_error err;
    char host[256];
    long port;
    sigset_t set;
    int sig = 0, error, rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    if (!split_listen(listen, host, sizeof(host), &port)) {
        cli_error("--listen: '%s' is not HOST:PORT", listen);
        return CLB_EXIT_USAGE;
    }
    if (!cert != !key) {
        cli_error("give both --tls-cert and --tls-key, or neither");
        return CLB_EXIT_USAGE;
    }
    clb_server_opts_init(&o);
    o.db_path = db ? db : (getenv("CIRCULAB_DB") ? getenv("CIRCULAB_DB") : CLI_DB_DEFAULT);
    o.host = host;
    o.port = (int)port;
    o.tls_cert = cert;
    o.tls_key = key;
    o.threads = (unsigned)threads;
    o.max_connections = (unsigned)max_conn;
    o.per_ip = per_addr >= 0 ? (unsigned)per_addr : is_loopback(host) ? 0 : 64;
    o.timeout_secs = (unsigned)timeout;
    o.busy_secs = (double)busy;
    o.rate = (double)rate;
    o.burst = (double)burst;
    o.log = quiet ? NULL : log_line;

    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    clb_error_init(&err);
    if ((error = clb_server_start(&sv, &o, &err)) < 0) {
        pthread_sigmask(SIG_UNBLOCK, &set, NULL);
        cli_error_report(NULL, error, &err);
        return CLB_EXIT_RUNTIME;
    }
    fprintf(stderr, "listening on %s\n", clb_server_url(sv));
    if (!cert && !is_loopback(host))
        cli_warning("serving plain HTTP on %s, not a loopback "
            "address: tokens cross the network in clear; use --tls-cert and "
            "--tls-key or a reverse proxy with TLS", host);
    fflush(stderr);
    sigwait(&set, &sig);
    /* the signals stay blocked: a second one during the grace period is ignored */
    clb_server_stop(sv, (unsigned)grace);
    return CLB_EXIT_OK;
}
