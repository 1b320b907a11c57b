/*
 * generate.c - deterministic, realistic scenarios for benchmarks (`circulab generate`).
 *
 * The generator draws a national round of a seasonal programme: employers and their
 * sites in three to six Spanish provinces, vacancies of five sectors on each sector's
 * calendar (January to October, so that campaigns can chain), workers from a dozen
 * Moroccan regions plus Senegal (and a few from a country the policy does not allow),
 * training sessions and reintegration programmes in the origin regions, nested quotas,
 * housing, named returning workers, preferences, a few scores and bans.
 *
 * Two design choices matter:
 *
 * - Determinism. Every record draws from its own stream of a xoshiro256** generator,
 *   seeded with splitmix64 from (seed, kind of record, index). The document is a pure
 *   function of the options, and changing one part of the generator does not reshuffle
 *   the others. Nothing reads the clock, the locale or the environment.
 *
 * - Eligible vacancies per worker stay near a target (45 by default) at every size.
 *   A benchmark whose workers are eligible for 45 % of 100 vacancies and 0.3 % of
 *   15,000 needs a selective rule that scales: here it is the crop-and-task
 *   specialisation a vacancy requires ("strawberry-harvest"). The generator first
 *   draws everything else, counts on a sample of workers how many vacancies pass the
 *   other rules, and only then sizes the pool of specialisations (and the share of
 *   vacancies that require one) so that the expected count meets the target.
 *
 * Records are kept in compact arrays (tens of bytes per worker); the text is produced
 * at the end and, through clb_generate_write, handed out a megabyte at a time, so an
 * XL scenario (300,000 workers) is written in seconds without holding the document.
 *
 * Files: gen_impl.h (random streams, the world, the records), gen_records.c (employers
 * to quotas), gen_skills.c (eligibility, which is the engine's rule, and the skill pool
 * sized to the target), gen_write.c (the text); this file checks the options and runs
 * the steps in order.
 */
#include "gen_impl.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "util/alloc.h"

/* ---- the API ----------------------------------------------------------------------- */

void clb_generate_opts_init(clb_generate_opts *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->workers = 2000;
    opts->vacancies = 100;
    opts->seed = 1;
    opts->eligible_per_worker = 45;
}

int clb_generate_opts_set_size(clb_generate_opts *opts, const char *size, clb_error *err)
{
    static const struct {
        const char *name;
        size_t workers, vacancies;
    } sizes[] = {{"S", 2000, 100}, {"M", 20000, 1000}, {"L", 50000, 3000},
                 {"XL", 300000, 15000}};
    for (size_t i = 0; size && i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        const char *a = sizes[i].name, *b = size;
        while (*a && (*a == *b || *a == (*b & ~0x20)))
            a++, b++;
        if (!*a && !*b) {
            opts->workers = sizes[i].workers;
            opts->vacancies = sizes[i].vacancies;
            return 0;
        }
    }
    return clb__error_set(err, CLB_EINVAL, "unknown size '%s' (expected S, M, L or XL)",
                         size ? size : "");
}

static void gen_dispose(gen *g)
{
    clb__free(g->workers);
    clb__free(g->employers);
    clb__free(g->sites);
    clb__free(g->vacancies);
    clb__free(g->vac_by_employer);
    clb__free(g->named);
    clb__free(g->sessions);
    clb__free(g->programmes);
    clb__free(g->quotas);
    clb__free(g->scores);
    clb__free(g->bans);
}

static int generate(writer *w, clb_generate_info *info, const clb_generate_opts *opts,
                    clb_error *err)
{
    gen g;
    clb_buf name = CLB_BUF_INIT;
    int error = 0;

    memset(&g, 0, sizeof(g));
    if (info)
        memset(info, 0, sizeof(*info));
    if (!opts || opts->workers < 1 || opts->workers > CLB_GENERATE_MAX_WORKERS)
        return clb__error_set(err, CLB_EINVAL, "workers must be between 1 and %u",
                             CLB_GENERATE_MAX_WORKERS);
    if (opts->vacancies < 1 || opts->vacancies > CLB_GENERATE_MAX_VACANCIES)
        return clb__error_set(err, CLB_EINVAL, "vacancies must be between 1 and %u",
                             CLB_GENERATE_MAX_VACANCIES);
    if (!(opts->eligible_per_worker > 0 && opts->eligible_per_worker <= 1e6))
        return clb__error_set(err, CLB_EINVAL,
                             "eligible vacancies per worker %g is not in (0, 1e6]",
                             opts->eligible_per_worker);
    if (opts->name && (!*opts->name || strlen(opts->name) > 64))
        return clb__error_set(err, CLB_EINVAL, "scenario name must have 1 to 64 bytes");

    g.opts = opts;
    g.n_workers = opts->workers;
    g.n_vacancies = opts->vacancies;
    g.jan1 = clb__date_from_ymd(YEAR, 1, 1);
    g.n_provinces = opts->vacancies < 300 ? 3 : opts->vacancies < 2000 ? 4
                    : opts->vacancies < 8000 ? 5 : 6;
    g.width_worker = max_int(6, digits(g.n_workers));
    g.width_vacancy = max_int(5, digits(g.n_vacancies));

    if ((error = gen_make_employers(&g, err)) < 0 ||
        (error = gen_make_vacancies(&g, err)) < 0 ||
        (error = gen_make_workers(&g, err)) < 0 || (error = gen_make_sessions(&g, err)) < 0 ||
        (error = gen_make_programmes(&g, err)) < 0)
        goto done;
    g.width_employer = max_int(4, digits(g.n_employers));
    gen_make_beds(&g);
    gen_size_skill_pool(&g);
    gen_draw_skills(&g);
    if ((error = gen_make_named(&g, err)) < 0 ||
        (error = gen_make_scores_and_bans(&g, err)) < 0 ||
        (error = gen_make_quotas(&g, err)) < 0)
        goto done;

    if (opts->name)
        error = clb__buf_puts(&name, opts->name);
    else
        error = clb__buf_printf(&name, "bench-%zux%zu-seed%" PRIu64, g.n_workers,
                               g.n_vacancies, opts->seed);
    if (error < 0) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        goto done;
    }
    size_t before = w->buf->size;
    gen_write_document(w, &g, name.ptr);
    if (w->rc < 0) {
        error = w->rc == CLB_ENOMEM ? clb__error_set(err, CLB_ENOMEM, "out of memory")
                                    : clb__error_set(err, w->rc, "cannot write the scenario");
        goto done;
    }
    if (info) {
        info->workers = g.n_workers;
        info->employers = g.n_employers;
        info->sites = g.n_sites;
        info->vacancies = g.n_vacancies;
        info->quotas = g.n_quotas;
        info->sessions = g.n_sessions;
        info->programmes = g.n_programmes;
        info->slots = g.slots;
        info->provinces = (size_t)g.n_provinces;
        info->skill_pool = (size_t)g.n_skills;
        info->skill_required = g.skill_required;
        info->eligible_estimate = g.eligible_estimate;
        info->bytes = w->fn ? w->total : w->buf->size - before;
    }
done:
    clb_buf_dispose(&name);
    gen_dispose(&g);
    return error;
}

int clb_generate(clb_buf *out, clb_generate_info *info, const clb_generate_opts *opts,
                 clb_error *err)
{
    writer w;
    memset(&w, 0, sizeof(w));
    w.buf = out;
    return generate(&w, info, opts, err);
}

int clb_generate_write(clb_write_fn write, void *payload, clb_generate_info *info,
                       const clb_generate_opts *opts, clb_error *err)
{
    writer w;
    int error;
    memset(&w, 0, sizeof(w));
    w.buf = &w.own;
    w.fn = write;
    w.payload = payload;
    error = generate(&w, info, opts, err);
    clb_buf_dispose(&w.own);
    return error;
}
