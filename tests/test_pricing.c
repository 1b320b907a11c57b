/*
 * test_pricing.c - the itinerary pricing (engine/solve/pricing.c) against brute force.
 *
 * On many small generated scenarios, with the policy varied (gap, stay, max
 * placements, training lead, reintegration reward and required), random pins and
 * random reduced values of every sign, every worker's itineraries are enumerated here
 * by brute force over subsets of its eligible vacancies, session choices and
 * programme choices, written straight from docs/MODEL.md §3.3-3.6. The pricing's best
 * itinerary must have the brute-force best value and be a real itinerary with that value,
 * and its enumeration above a threshold must list exactly as many itineraries as brute
 * force finds.
 */
#include "harness.h"
#include "circulab.h"
#include "generate.h"
#include "generated.h"
#include "rules/eligibility.h"
#include "solve/model.h"
#include "scenario/scenario_impl.h"
#include "solve/pricing.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 88172645463325252ull;
static uint64_t next_rand(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static double urand(void) { return (double)(next_rand() >> 11) / 9007199254740992.0; }

/* ---- brute force ------------------------------------------------------------------ */

typedef struct brute {
    const clb_scenario *s;
    const clb_model *m;
    const bool *pinned;
    const double *d;
    uint32_t w;
    double best;
    bool any;
    double threshold;
    size_t n_at_least_lo, n_at_least_hi; /* value >= threshold -/+ 1e-7 */
    const int32_t *zc, *ac, *rc;
    size_t nz, na, nr;
} brute;

static bool ovl(clb_date a0, clb_date a1, clb_date b0, clb_date b1)
{
    return a0 <= b1 && b0 <= a1;
}

static void found_value(brute *b, double v)
{
    if (!b->any || v > b->best)
        b->best = v;
    b->any = true;
    if (v >= b->threshold - 1e-7)
        b->n_at_least_lo++;
    if (v >= b->threshold + 1e-7)
        b->n_at_least_hi++;
}

/* sessions for courses[ci..], then programmes */
static void brute_sessions(brute *b, const uint32_t *vs, size_t nv, const int32_t *courses,
                           size_t ncourses, size_t ci, double value)
{
    const clb_scenario *s = b->s;
    const clb_policy *pol = &s->policy;
    if (ci == ncourses) {
        clb_date last_end = s->vacancies[vs[0]].end;
        for (size_t i = 1; i < nv; i++)
            if (s->vacancies[vs[i]].end > last_end)
                last_end = s->vacancies[vs[i]].end;
        if (pol->reintegration != CLB_REINT_REQUIRED)
            found_value(b, value);
        if (pol->reintegration == CLB_REINT_NONE)
            return;
        for (size_t k = 0; k < b->nr; k++) {
            const clb_programme_rec *pg = &s->programmes[b->m->col_b[b->rc[k]]];
            if (last_end < pg->start && pg->start <= last_end + pol->reintegration_window_days)
                found_value(b, value + b->d[b->rc[k]]);
        }
        return;
    }
    int32_t course = courses[ci];
    for (size_t a = 0; a < b->na; a++) {
        const clb_session_rec *k = &s->sessions[b->m->col_b[b->ac[a]]];
        bool ok = k->course == course;
        for (size_t i = 0; i < nv && ok; i++) {
            const clb_vacancy_rec *v = &s->vacancies[vs[i]];
            if (ovl(k->start, k->end, v->start, v->end))
                ok = false;
            if (clb__sorted_contains(v->req_trainings.v, v->req_trainings.n, course) &&
                !(k->end + pol->training_lead_days < v->start))
                ok = false;
        }
        if (ok)
            brute_sessions(b, vs, nv, courses, ncourses, ci + 1, value + b->d[b->ac[a]]);
    }
}

static void brute_worker(brute *b)
{
    const clb_scenario *s = b->s;
    const clb_pairs *pairs = b->m->pairs;
    const clb_policy *pol = &s->policy;
    const clb_worker_rec *wk = &s->workers[b->w];
    uint32_t p0 = pairs->first[b->w], n = pairs->first[b->w + 1] - p0;
    uint32_t vs[32];
    int32_t courses[64];

    for (uint32_t mask = 1; mask < (1u << n); mask++) {
        size_t nv = 0, ncourses = 0;
        long days = wk->days_abroad;
        double value = 0;
        bool ok = true;
        for (uint32_t i = 0; i < n; i++) {
            bool in = (mask >> i) & 1;
            if (!in && b->pinned[p0 + i])
                ok = false;
            if (!in)
                continue;
            vs[nv++] = pairs->vac[p0 + i];
            days += clb_vacancy_days(&s->vacancies[pairs->vac[p0 + i]]);
            value += b->d[p0 + i];
        }
        if (!ok || days > pol->max_stay_days ||
            (pol->max_placements > 0 && nv > (size_t)pol->max_placements))
            continue;
        for (size_t i = 0; i < nv && ok; i++)
            for (size_t j = 0; j < nv && ok; j++) {
                const clb_vacancy_rec *u = &s->vacancies[vs[i]], *v = &s->vacancies[vs[j]];
                if (i != j && u->start <= v->start && !(v->start >= u->end + 1 + pol->min_gap_days))
                    ok = false;
            }
        if (!ok)
            continue;
        for (size_t z = 0; z < b->nz; z++) {
            bool hit = false;
            for (size_t i = 0; i < nv && !hit; i++)
                hit = clb__quota_matches(s, &s->quotas[b->m->col_b[b->zc[z]]], b->w, vs[i]);
            if (hit)
                value += b->d[b->zc[z]];
        }
        for (size_t i = 0; i < nv; i++) {
            const clb_vacancy_rec *v = &s->vacancies[vs[i]];
            for (uint32_t t = 0; t < v->req_trainings.n; t++) {
                int32_t c = v->req_trainings.v[t];
                bool seen = clb__sorted_contains(wk->trainings.v, wk->trainings.n, c);
                for (size_t k = 0; k < ncourses && !seen; k++)
                    seen = courses[k] == c;
                if (!seen)
                    courses[ncourses++] = c;
            }
        }
        brute_sessions(b, vs, nv, courses, ncourses, 0, value);
    }
}

/* Is `it` a real itinerary of w, and what is its value under d? */
static bool check_itin(const brute *b, const clb_itin *it, double *value)
{
    const clb_scenario *s = b->s;
    const clb_model *m = b->m;
    const clb_policy *pol = &s->policy;
    uint32_t vs[32];
    size_t nv = 0, nsess = 0, nprog = 0;
    double v = 0;
    for (size_t k = 0; k < it->n; k++) {
        int32_t j = it->cols[k];
        if ((uint32_t)m->col_a[j] != b->w && m->col_kind[j] != CLB_COL_X)
            return false;
        v += b->d[j];
        if (m->col_kind[j] == CLB_COL_X) {
            if (m->pair_worker[j] != b->w)
                return false;
            vs[nv++] = (uint32_t)m->col_b[j];
        }
        nsess += m->col_kind[j] == CLB_COL_A;
        nprog += m->col_kind[j] == CLB_COL_R;
    }
    *value = v;
    if (nv == 0 || nprog > 1 || (pol->reintegration == CLB_REINT_REQUIRED && nprog != 1))
        return false;
    (void)nsess;
    for (size_t i = 0; i < nv; i++)
        for (size_t j = 0; j < nv; j++) {
            const clb_vacancy_rec *a = &s->vacancies[vs[i]], *c = &s->vacancies[vs[j]];
            if (i != j && a->start <= c->start && !(c->start >= a->end + 1 + pol->min_gap_days))
                return false;
        }
    /* quota columns exactly those hit */
    for (size_t z = 0; z < b->nz; z++) {
        bool hit = false, in = false;
        for (size_t i = 0; i < nv && !hit; i++)
            hit = clb__quota_matches(s, &s->quotas[m->col_b[b->zc[z]]], b->w, vs[i]);
        for (size_t k = 0; k < it->n; k++)
            in |= it->cols[k] == b->zc[z];
        if (hit != in)
            return false;
    }
    return true;
}

/* ---- the comparison ---------------------------------------------------------------- */

static int count_cb(const clb_itin *it, void *payload)
{
    (void)it;
    (*(size_t *)payload)++;
    return 0;
}

static size_t compared, with_sessions, with_quotas, with_programmes, multi, pinned_workers;

static void compare_scenario(uint64_t seed, int variant)
{
    clb_scenario *s = clb_test_generated(14, 10, seed, 5);
    clb_pairs pairs;
    clb_model m;
    clb_error err;
    clb_pricing *pr = NULL;
    bool *pinned;

    if (!s)
        return;
    clb_error_init(&err);
    /* vary the policy */
    clb_policy *pol = &s->policy;
    pol->min_gap_days = (int)(next_rand() % 3) * 7;
    pol->training_lead_days = (int)(next_rand() % 3) * 3;
    pol->max_placements = (int)(next_rand() % 4);
    if (next_rand() % 2)
        pol->max_stay_days = 120 + (int)(next_rand() % 150);
    pol->reintegration = (clb_reint_mode)(variant % 3);
    pol->reintegration_window_days = 30 + (int)(next_rand() % 90);
    CHECK_INT(clb__pairs_build(&pairs, s, &err), 0);
    pinned = calloc(pairs.n + 1, sizeof(bool));
    for (size_t w = 0; w < s->n_workers; w++)
        if (pairs.first[w + 1] > pairs.first[w] && next_rand() % 5 == 0)
            pinned[pairs.first[w] + next_rand() % (pairs.first[w + 1] - pairs.first[w])] = true;
    CHECK_INT(clb__model_build(&m, s, &pairs, pinned, &err), 0);
    CHECK_INT(clb__pricing_new(&pr, s, &m, pinned), 0);
    double *d = malloc((m.ncols + 1) * sizeof(double));
    for (int round = 0; round < 4 && pr; round++) {
        for (size_t j = 0; j < m.ncols; j++) {
            double noise = (urand() - 0.5) * 400;
            switch ((clb_col_kind)m.col_kind[j]) {
            case CLB_COL_X: d[j] = m.obj[j] * urand() + noise; break;
            case CLB_COL_Z: d[j] = (urand() - 0.5) * (round % 2 ? 600 : 3000); break;
            case CLB_COL_A: d[j] = round == 3 ? urand() * 50 : -urand() * 300; break;
            case CLB_COL_R: d[j] = (urand() - 0.3) * 200; break;
            default: d[j] = 0;
            }
        }
        for (uint32_t w = 0; w < s->n_workers; w++) {
            uint32_t n = pairs.first[w + 1] - pairs.first[w];
            if (n == 0 || n > 14)
                continue;
            brute b;
            memset(&b, 0, sizeof(b));
            b.s = s;
            b.m = &m;
            b.pinned = pinned;
            b.d = d;
            b.w = w;
            clb__pricing_own_cols(pr, w, &b.zc, &b.nz, &b.ac, &b.na, &b.rc, &b.nr);
            /* first pass for the best, second for the count above a threshold */
            b.threshold = 1e300;
            brute_worker(&b);
            clb_itin it;
            bool found = false;
            memset(&it, 0, sizeof(it));
            CHECK_INT(clb__pricing_best(pr, w, d, &it, &found), 0);
            CHECK_INT(found, b.any);
            if (found && b.any) {
                double v = 0;
                CHECK_NEAR(it.value, b.best, 1e-6);
                CHECK(check_itin(&b, &it, &v));
                CHECK_NEAR(v, it.value, 1e-6);
                size_t nx = 0;
                for (size_t k = 0; k < it.n; k++)
                    nx += m.col_kind[it.cols[k]] == CLB_COL_X;
                multi += nx > 1;
                if (fabs(it.value - b.best) > 1e-6)
                    fprintf(stderr, "  seed %llu variant %d worker %u: best %.6f, brute %.6f\n",
                            (unsigned long long)seed, variant, w, it.value, b.best);
            }
            clb__itin_dispose(&it);
            if (b.any) {
                brute b2 = b;
                b2.any = false;
                b2.n_at_least_lo = b2.n_at_least_hi = 0;
                b2.threshold = b.best - urand() * 800;
                brute_worker(&b2);
                size_t n_enum = 0;
                CHECK_INT(clb__pricing_enumerate(pr, w, d, b2.threshold, count_cb, &n_enum), 0);
                CHECK(n_enum >= b2.n_at_least_hi && n_enum <= b2.n_at_least_lo);
                if (!(n_enum >= b2.n_at_least_hi && n_enum <= b2.n_at_least_lo))
                    fprintf(stderr, "  seed %llu variant %d worker %u: %zu enumerated, brute %zu\n",
                            (unsigned long long)seed, variant, w, n_enum, b2.n_at_least_lo);
            }
            compared++;
            with_sessions += b.na > 0;
            with_quotas += b.nz > 0;
            with_programmes += b.nr > 0;
            pinned_workers += clb__pricing_pinned(pr, w);
        }
    }
    free(d);
    clb__pricing_free(pr);
    clb__model_dispose(&m);
    clb__pairs_dispose(&pairs);
    free(pinned);
    clb_scenario_free(s);
}

int main(void)
{
    for (uint64_t seed = 1; seed <= 40; seed++)
        compare_scenario(seed, (int)seed);
    fprintf(stderr,
            "%zu pricings compared with brute force: %zu with sessions, %zu with "
            "`workers` quotas, %zu with programmes, %zu pinned; %zu best itineraries "
            "of two placements or more\n",
            compared, with_sessions, with_quotas, with_programmes, pinned_workers, multi);
    /* the cases must really be there */
    CHECK(compared > 1000);
    CHECK(with_sessions > 100);
    CHECK(with_quotas > 100);
    CHECK(with_programmes > 100);
    CHECK(pinned_workers > 50);
    CHECK(multi > 100);
    return clb_test_finish();
}
