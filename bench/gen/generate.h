/*
 * generate.h - random but realistic scenarios for benchmarks (`circulab generate`).
 *
 * The generator writes a circulab-scenario/1 document shaped like a national round
 * of a seasonal programme: workers from a dozen origin regions, farms in three to six
 * destination provinces, five sectors with their own calendars from January to
 * October, nested quotas, housing, training, reintegration programmes, returning and
 * named workers, preferences and a few scores (bench/README.md describes the shape).
 *
 * The output is a pure function of the options: equal options give byte-identical
 * documents on every machine (the generator has its own random number generator and
 * never reads the clock or the environment). It tunes its skill requirements so that
 * a worker is eligible for about `eligible_per_worker` vacancies whatever the size.
 */
#ifndef CIRCULAB_GENERATE_H
#define CIRCULAB_GENERATE_H

#include <stdint.h>
#include "circulab/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most workers and vacancies a generated scenario may have. */
#define CLB_GENERATE_MAX_WORKERS 10000000u
#define CLB_GENERATE_MAX_VACANCIES 1000000u

/* What to generate. Initialise with clb_generate_opts_init. */
typedef struct clb_generate_opts {
    size_t workers;             /* 1 .. CLB_GENERATE_MAX_WORKERS */
    size_t vacancies;           /* 1 .. CLB_GENERATE_MAX_VACANCIES */
    uint64_t seed;              /* any value */
    double eligible_per_worker; /* target mean of eligible vacancies per worker; > 0 */
    const char *name;           /* the scenario's name; NULL: "bench-<W>x<V>-seed<K>" */
} clb_generate_opts;

/* Defaults: size S (2,000 workers, 100 vacancies), seed 1, 45 eligible per worker. */
CLB_EXTERN void clb_generate_opts_init(clb_generate_opts *opts);

/*
 * Set workers and vacancies from a named size of the benchmark suite:
 * "S" 2,000 / 100, "M" 20,000 / 1,000, "L" 50,000 / 3,000, "XL" 300,000 / 15,000
 * (case-insensitive). Returns 0, or CLB_EINVAL for another name (message names it).
 */
CLB_EXTERN int clb_generate_opts_set_size(clb_generate_opts *opts, const char *size,
                               clb_error *err);

/* What the generator made, for reports. */
typedef struct clb_generate_info {
    size_t workers, employers, sites, vacancies, quotas, sessions, programmes;
    size_t slots;              /* sum of the vacancies' headcounts */
    size_t provinces;          /* destination regions used */
    size_t skill_pool;         /* distinct specialisation skills */
    double skill_required;     /* share of vacancies that require a specialisation */
    double eligible_estimate;  /* estimated mean eligible vacancies per worker */
    size_t bytes;              /* length of the document */
} clb_generate_info;

/*
 * Receives the document piece by piece from clb_generate_write. Returns 0 to go on,
 * or a negative CLB_E* code, which stops the generator and is returned by it.
 */
typedef int (*clb_write_fn)(const char *data, size_t len, void *payload);

/*
 * Generate a scenario and append the document to `out` (the caller disposes it).
 *
 * info: optional; receives what was generated
 * Returns 0, CLB_EINVAL (options out of range; the message names the option) or
 * CLB_ENOMEM.
 */
CLB_EXTERN int clb_generate(clb_buf *out, clb_generate_info *info, const clb_generate_opts *opts,
                 clb_error *err);

/*
 * As clb_generate, but hand the document to `write` in pieces of about a megabyte,
 * so that a national-scale document never sits in memory whole. Returns what
 * clb_generate returns, or the first error `write` returned.
 */
CLB_EXTERN int clb_generate_write(clb_write_fn write, void *payload, clb_generate_info *info,
                       const clb_generate_opts *opts, clb_error *err);

#ifdef __cplusplus
}
#endif
#endif
