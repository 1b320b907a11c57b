/*
 * gen_skills.c - who fits where in a generated scenario: eligibility, the pool of
 * specialisation skills sized so that each worker is eligible for about the target
 * number of vacancies, named workers, scores and bans.
 *
 * Eligibility is the engine's rule (rules/eligibility.h) applied to the generator's
 * compact records: the dates-and-counts rules through clb__eligibility_timing under the
 * policy the document declares, the rest (country, languages, training in time,
 * exclusions, the specialisation) on the records' bit masks.
 */
#include "gen_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/eligibility.h"
#include "util/alloc.h"

/* ---- eligibility (the engine's rule of docs/MODEL.md §3.1 on the compact records) */

/* The policy the generated document declares (gen_write.c's write_policy). */
static const clb_policy policy = {.min_age = MIN_AGE,
                                  .max_stay_days = MAX_STAY_DAYS,
                                  .min_gap_days = MIN_GAP_DAYS,
                                  .min_home_days = MIN_HOME_DAYS,
                                  .max_placements = MAX_PLACEMENTS,
                                  .min_offer_size = MIN_OFFER_SIZE,
                                  .training_lead_days = TRAINING_LEAD_DAYS,
                                  .reintegration_window_days = REINTEGRATION_WINDOW_DAYS};

static bool has_skill(const gworker *w, int32_t skill)
{
    for (int k = 0; k < w->n_skills; k++)
        if (w->skills[k] == skill)
            return true;
    return false;
}

/*
 * Rules 1-9 and 11 (bans aside); the specialisation skill only when `skills`. The
 * checks on the records' bit masks come first, being the cheapest; the rules on dates
 * and counts are the engine's.
 */
static bool eligible(const gen *g, const gworker *w, const gvacancy *v, bool skills)
{
    if (!country_allowed[origins[w->origin].country])
        return false;
    if ((v->langs & ~w->langs) != 0)
        return false;
    if (w->excl_kind == 1 && w->excl_val == v->sector)
        return false;
    if (w->excl_kind == 2 && w->excl_val == g->sites[v->site].province)
        return false;
    for (int c = 0; c < N_COURSES; c++)
        if ((v->courses & ~w->trained & (1u << c)) &&
            !clb__session_in_time(&policy, g->first_session_end[w->origin][c], v->start))
            return false;
    if (skills && v->skill >= 0 && !has_skill(w, v->skill))
        return false;

    const clb_rule_worker rw = {w->adult_from,    w->from,      w->to,
                                w->last_return,   w->banned_until, w->campaigns,
                                w->days_abroad};
    const clb_rule_vacancy rv = {v->start, v->end, v->min_campaigns};
    return clb__eligibility_timing(&policy, &rw, &rv) == 0;
}

/* ---- specialisation skills, sized to the target ----------------------------------- */

#define AFFINITY 0.5 /* chance that a skill draw stays in the worker's main sector */
static const double skill_count_p[] = {0.2, 0.6, 0.2}; /* 2, 3 or 4 skills */

/* Probability that a worker holds one given skill of sector j with K_j skills. */
static double p_has(const gen *g, int j)
{
    double wj = g->sector_share[j], kj = g->skill_count[j], p = 0;
    if (kj <= 0)
        return 0;
    for (int mi = 0; mi < 3; mi++) {
        int m = mi + 2;
        double in_main = 1 - (AFFINITY + (1 - AFFINITY) * wj) / kj;
        double elsewhere = 1 - (1 - AFFINITY) * wj / kj;
        p += skill_count_p[mi] * (1 - wj * pow(in_main, m) - (1 - wj) * pow(elsewhere, m));
    }
    return p;
}

static void set_pool(gen *g, int total)
{
    int at = 0;
    for (int j = 0; j < N_SECTORS; j++) {
        int k = g->sector_share[j] > 0 ? (int)lround(g->sector_share[j] * total) : 0;
        if (g->sector_share[j] > 0 && k < 1)
            k = 1;
        g->skill_first[j] = at;
        g->skill_count[j] = k;
        at += k;
    }
    g->n_skills = at;
}

/* Expected eligible vacancies per worker with the current pool, all requiring one. */
static double expected_with_pool(const gen *g, const double *base)
{
    double e = 0;
    for (int j = 0; j < N_SECTORS; j++)
        e += base[j] * p_has(g, j);
    return e;
}

void gen_size_skill_pool(gen *g)
{
    double base[N_SECTORS] = {0}, total = 0, target = g->opts->eligible_per_worker;
    size_t n_sample = g->n_workers < 2000 ? g->n_workers : 2000;

    /* mean number of vacancies per worker passing every other rule, per sector */
    for (size_t k = 0; k < n_sample; k++) {
        const gworker *w = &g->workers[k * g->n_workers / n_sample];
        for (size_t i = 0; i < g->n_vacancies; i++)
            if (eligible(g, w, &g->vacancies[i], false))
                base[g->vacancies[i].sector] += 1.0 / (double)n_sample;
    }
    for (int j = 0; j < N_SECTORS; j++)
        total += base[j];

    set_pool(g, 1);
    double e_min = expected_with_pool(g, base);
    if (target >= total) {
        g->skill_required = 0; /* every vacancy is needed to come near the target */
        g->eligible_estimate = total;
    } else if (target >= e_min) {
        /* one skill per sector is already selective enough: require it sometimes */
        g->skill_required = (total - target) / (total - e_min);
        g->eligible_estimate = target;
    } else {
        int lo = 1, hi = 1;
        g->skill_required = 1;
        do {
            lo = hi;
            hi *= 2;
            set_pool(g, hi);
        } while (hi < 60000 && expected_with_pool(g, base) > target);
        while (hi - lo > 1) {
            int mid = lo + (hi - lo) / 2;
            set_pool(g, mid);
            if (expected_with_pool(g, base) > target)
                lo = mid;
            else
                hi = mid;
        }
        set_pool(g, lo);
        double e_lo = expected_with_pool(g, base);
        set_pool(g, hi);
        double e_hi = expected_with_pool(g, base);
        if (fabs(e_lo - target) < fabs(e_hi - target))
            set_pool(g, lo);
        g->eligible_estimate = expected_with_pool(g, base);
    }
}

static void add_skill(gworker *w, int32_t skill)
{
    if (w->n_skills < MAX_SKILLS && !has_skill(w, skill))
        w->skills[w->n_skills++] = (uint16_t)skill;
}

void gen_draw_skills(gen *g)
{
    for (size_t i = 0; i < g->n_vacancies; i++) {
        gvacancy *v = &g->vacancies[i];
        rng r;
        rng_seed(&r, g->opts->seed, STREAM_VACANCY_SKILL, i);
        if (g->skill_count[v->sector] > 0 && rng_chance(&r, g->skill_required))
            v->skill = g->skill_first[v->sector] + rng_int(&r, 0, g->skill_count[v->sector] - 1);
    }
    for (size_t i = 0; i < g->n_workers; i++) {
        gworker *w = &g->workers[i];
        rng r;
        rng_seed(&r, g->opts->seed, STREAM_WORKER_SKILL, i);
        int m = 2 + rng_weighted(&r, skill_count_p, 3);
        int main_sector = rng_weighted(&r, g->sector_share, N_SECTORS);
        for (int k = 0; k < m; k++) {
            int j = rng_chance(&r, AFFINITY) ? main_sector
                                             : rng_weighted(&r, g->sector_share, N_SECTORS);
            int32_t skill = g->skill_first[j] + rng_int(&r, 0, g->skill_count[j] - 1);
            if (k == 0 && w->last_employer >= 0) {
                /* a returning worker knows the work of their last employer */
                const gemployer *em = &g->employers[w->last_employer];
                if (em->vac_count) {
                    const gvacancy *v = &g->vacancies[g->vac_by_employer[
                        em->vac_first + (uint32_t)rng_int(&r, 0, (int)em->vac_count - 1)]];
                    if (v->skill >= 0)
                        skill = v->skill;
                }
            }
            add_skill(w, skill);
        }
    }
}

/* ---- named workers, scores and bans ------------------------------------------------ */

int gen_make_named(gen *g, clb_error *err)
{
    uint32_t *first = clb__calloc(g->n_employers + 1, sizeof(uint32_t));
    uint32_t *by_employer = clb__calloc(g->n_workers + 1, sizeof(uint32_t));
    size_t cap = 1024;
    int error = 0;

    g->named = clb__malloc(cap * sizeof(uint32_t));
    if (!first || !by_employer || !g->named) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory generating named workers");
        goto done;
    }
    /* returning workers by last employer (counting sort) */
    for (size_t i = 0; i < g->n_workers; i++)
        if (g->workers[i].returned)
            first[g->workers[i].last_employer + 1]++;
    for (size_t e = 0; e < g->n_employers; e++)
        first[e + 1] += first[e];
    {
        uint32_t *fill = clb__calloc(g->n_employers, sizeof(uint32_t));
        if (!fill) {
            error = clb__error_set(err, CLB_ENOMEM, "out of memory generating named workers");
            goto done;
        }
        for (size_t i = 0; i < g->n_workers; i++) {
            const gworker *w = &g->workers[i];
            if (w->returned)
                by_employer[first[w->last_employer] + fill[w->last_employer]++] = (uint32_t)i;
        }
        clb__free(fill);
    }

    for (size_t i = 0; i < g->n_vacancies; i++) {
        gvacancy *v = &g->vacancies[i];
        uint32_t lo = first[v->employer], n = first[v->employer + 1] - lo;
        rng r;
        rng_seed(&r, g->opts->seed, STREAM_NAMED, i);
        v->named_first = (uint32_t)g->n_named;
        if (!n || !rng_chance(&r, 0.25))
            continue;
        int want = rng_int(&r, 1, max_int(1, v->headcount / 3 < 8 ? v->headcount / 3 : 8));
        uint32_t off = (uint32_t)rng_int(&r, 0, (int)n - 1);
        for (uint32_t k = 0; k < n && k < 64 && v->n_named < want; k++) {
            uint32_t wi = by_employer[lo + (off + k) % n];
            if (!eligible(g, &g->workers[wi], v, true))
                continue;
            if (g->n_named == cap) {
                uint32_t *grown = clb__realloc(g->named, cap * 2 * sizeof(uint32_t));
                if (!grown) {
                    error = clb__error_set(err, CLB_ENOMEM,
                                          "out of memory generating named workers");
                    goto done;
                }
                g->named = grown;
                cap *= 2;
            }
            g->named[g->n_named++] = wi;
            v->n_named++;
        }
        v->hold_named = v->n_named > 0 && rng_chance(&r, 0.3);
    }
done:
    clb__free(first);
    clb__free(by_employer);
    return error;
}

int gen_make_scores_and_bans(gen *g, clb_error *err)
{
    size_t n_sw = g->n_workers / 50 + 1, n_bw = g->n_workers / 400 + 1;

    if (n_sw > 5000)
        n_sw = 5000;
    g->scores = clb__calloc(n_sw * 3, sizeof(*g->scores));
    g->bans = clb__calloc(n_bw, sizeof(*g->bans));
    if (!g->scores || !g->bans)
        return clb__error_set(err, CLB_ENOMEM, "out of memory generating scores");

    /* an external per-pair utility (for example a predicted outcome) for a few workers */
    for (size_t k = 0; k < n_sw; k++) {
        size_t wi = k * g->n_workers / n_sw;
        const gworker *w = &g->workers[wi];
        rng r;
        rng_seed(&r, g->opts->seed, STREAM_SCORE, k);
        int want = rng_int(&r, 1, 3), got = 0;
        size_t off = rng_index(&r, g->n_vacancies);
        size_t tries = g->n_vacancies < 4000 ? g->n_vacancies : 4000;
        for (size_t t = 0; t < tries && got < want; t++) {
            size_t vi = (off + t) % g->n_vacancies;
            if (!eligible(g, w, &g->vacancies[vi], true))
                continue;
            gscore *sc = &g->scores[g->n_scores++];
            sc->worker = (uint32_t)wi;
            sc->vacancy = (uint32_t)vi;
            sc->value = (double)rng_int(&r, -200, 1000) / 10.0;
            got++;
        }
    }
    /* an employer who will not take a worker back, or a single offer refused */
    for (size_t k = 0; k < n_bw; k++) {
        size_t wi = (k * g->n_workers / n_bw + g->n_workers / (2 * n_bw)) % g->n_workers;
        const gworker *w = &g->workers[wi];
        gban *b = &g->bans[g->n_bans++];
        rng r;
        rng_seed(&r, g->opts->seed, STREAM_BAN, k);
        b->worker = (uint32_t)wi;
        b->vacancy = -1;
        if (rng_chance(&r, 0.2)) {
            b->employer = -1;
            b->vacancy = (int32_t)rng_index(&r, g->n_vacancies);
        } else {
            b->employer = w->last_employer >= 0 ? w->last_employer
                                                : (int32_t)rng_index(&r, g->n_employers);
        }
    }
    return 0;
}
