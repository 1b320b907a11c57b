/*
 * cmd_generate.c - `circulab generate`: write a random but realistic scenario for
 * benchmarks (bench/README.md), deterministic from a seed.
 *
 * A national-scale document is more than a hundred megabytes, so it is streamed: the
 * library hands it over a megabyte at a time. With -o it goes through clb_file_open
 * (a temporary file beside OUT renamed over it only once complete, so a failed or
 * interrupted run never leaves a truncated scenario behind; special files and links
 * handled as everywhere else); without -o it goes to stdout.
 */
#include "cli.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "generate.h"

static int write_to_file(const char *data, size_t len, void *payload)
{
    FILE *f = payload;
    return fwrite(data, 1, len, f) == len ? 0 : CLB_EIO;
}

typedef struct file_sink {
    clb_file *file;
    clb_error *err;
} file_sink;

static int write_to_output(const char *data, size_t len, void *payload)
{
    file_sink *sink = payload;
    return clb_file_write(sink->file, data, len, sink->err);
}

/* Stream the document through the project's one output-file writer (clb_file_open). */
static int generate_to_file(const char *path, clb_generate_info *info,
                            const clb_generate_opts *opts)
{
    clb_error err;
    file_sink sink = {NULL, &err};
    int error;

    clb_error_init(&err);
    if ((error = clb_file_open(&sink.file, path, 0, &err)) < 0)
        return cli_error_report(NULL, error, &err);
    if ((error = clb_generate_write(write_to_output, &sink, info, opts, &err)) < 0) {
        clb_file_discard(sink.file);
        return cli_error_report(NULL, error, &err);
    }
    if ((error = clb_file_commit(sink.file, &err)) < 0)
        return cli_error_report(NULL, error, &err);
    return CLB_EXIT_OK;
}

static int generate_to_stdout(clb_generate_info *info, const clb_generate_opts *opts)
{
    clb_error err;
    int error;

    clb_error_init(&err);
    error = clb_generate_write(write_to_file, stdout, info, opts, &err);
    if (error == CLB_EIO) {
        cli_error("cannot write to standard output");
        return CLB_EXIT_RUNTIME;
    }
    if (error < 0)
        return cli_error_report(NULL, error, &err);
    return CLB_EXIT_OK;
}

static int usage(const char *message)
{
    cli_error("generate: %s", message);
    fputs("usage: circulab generate (--size S|M|L|XL | --workers N --vacancies M) "
          "[--seed K] [-o FILE]\n"
          "Run 'circulab generate --help' for the options.\n",
          stderr);
    return CLB_EXIT_USAGE;
}

int cmd_generate(int argc, char **argv)
{
    static const char *const sizes[] = {"S", "M", "L", "XL", NULL};
    const char *size = NULL, *out = NULL, *name = NULL;
    long workers = 0, vacancies = 0, seed = 1;
    double eligible = 45;
    bool verbose = false;
    const cli_option options[] = {
        {.long_name = "size", .type = CLI_OPT_CHOICE, .value = &size, .arg_name = "SIZE",
         .choices = sizes,
         .help = "S 2,000 workers / 100 vacancies, M 20,000 / 1,000, L 50,000 / 3,000, "
                 "XL 300,000 / 15,000"},
        {.long_name = "workers", .type = CLI_OPT_LONG, .value = &workers, .arg_name = "N",
         .min = 1, .max = CLB_GENERATE_MAX_WORKERS, .help = "number of workers"},
        {.long_name = "vacancies", .type = CLI_OPT_LONG, .value = &vacancies,
         .arg_name = "M", .min = 1, .max = CLB_GENERATE_MAX_VACANCIES,
         .help = "number of vacancies"},
        {.long_name = "seed", .type = CLI_OPT_LONG, .value = &seed, .arg_name = "K",
         .min = 0, .max = (double)INT64_MAX,
         .help = "random seed (default 1); equal options give identical documents"},
        {.long_name = "eligible", .type = CLI_OPT_DOUBLE, .value = &eligible,
         .arg_name = "E", .min = 0.1, .max = 1e6,
         .help = "target mean of eligible vacancies per worker (default 45)"},
        {.long_name = "name", .type = CLI_OPT_STRING, .value = &name, .arg_name = "NAME",
         .help = "scenario name (default bench-<workers>x<vacancies>-seed<K>)"},
        {.short_name = 'o', .long_name = "output", .type = CLI_OPT_STRING, .value = &out,
         .arg_name = "FILE", .help = "write to FILE (atomically) instead of stdout"},
        {.short_name = 'v', .long_name = "verbose", .type = CLI_OPT_FLAG,
         .value = &verbose, .help = "print what was generated on stderr"},
        {0},
    };
    const cli_command spec = {
        .name = "generate",
        .usage = "(--size S|M|L|XL | --workers N --vacancies M) [--seed K] [-o FILE]",
        .summary = "Write a random realistic scenario for benchmarks.",
        .description =
            "Writes a circulab-scenario/1 document shaped like a national round:\n"
            "workers from twelve Moroccan regions and Senegal, farms in three to six\n"
            "Spanish provinces, five sectors with their calendars from January to\n"
            "October, nested quotas, housing, training sessions, reintegration\n"
            "programmes, returning and named workers, preferences and a few scores.\n"
            "Skill requirements are tuned so that a worker is eligible for about E\n"
            "vacancies at any size. The document depends only on the options: the same\n"
            "options give a byte-identical document on any machine.",
        .options = options,
        .min_operands = 0,
        .max_operands = 0,
        .epilog = "examples:\n"
                  "  circulab generate --size M --seed 7 -o bench/out/M-7.json\n"
                  "  circulab generate --workers 5000 --vacancies 500 | circulab validate -\n"
                  "exit codes: 0 written, 1 cannot write FILE, 2 usage error.",
    };
    cli_operands ops;
    clb_generate_opts opts;
    clb_generate_info info;
    clb_error err;
    int rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    clb_generate_opts_init(&opts);
    clb_error_init(&err);
    if (size && (workers || vacancies))
        return usage("give either --size or --workers and --vacancies, not both");
    if (size) {
        if (clb_generate_opts_set_size(&opts, size, &err) < 0)
            return usage(err.message);
    } else if (workers && vacancies) {
        opts.workers = (size_t)workers;
        opts.vacancies = (size_t)vacancies;
    } else {
        return usage("give --size, or both --workers and --vacancies");
    }
    if (name && (!*name || strlen(name) > 64))
        return usage("--name must have 1 to 64 bytes");
    opts.seed = (uint64_t)seed;
    opts.eligible_per_worker = eligible;
    opts.name = name;

    if (out && strcmp(out, "-") != 0)
        rc = generate_to_file(out, &info, &opts);
    else
        rc = generate_to_stdout(&info, &opts);
    if (rc == CLB_EXIT_OK && verbose)
        fprintf(stderr,
                "%s: %zu workers, %zu vacancies (%zu places) of %zu employers on %zu sites "
                "in %zu provinces, %zu quotas, %zu sessions, %zu programmes; "
                "%zu specialisations, required by %.0f%% of vacancies; about %.1f eligible "
                "vacancies per worker; %.1f MB\n",
                out ? out : "stdout", info.workers, info.vacancies, info.slots,
                info.employers, info.sites, info.provinces, info.quotas, info.sessions,
                info.programmes, info.skill_pool, info.skill_required * 100.0,
                info.eligible_estimate, (double)info.bytes / 1e6);
    return rc;
}
