/*
 * gen_records.c - the scenario generator's records: employers and their sites,
 * vacancies on their sectors' calendars, beds, workers, training sessions and
 * reintegration programmes, and the nested quotas sized on what was drawn.
 *
 * Each record draws from its own random stream (gen_impl.h), so that changing one kind
 * of record does not reshuffle the others.
 */
#include "gen_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/eligibility.h"
#include "util/alloc.h"

/* ---- employers, sites and vacancies ----------------------------------------------- */

int gen_make_employers(gen *g, clb_error *err)
{
    size_t nv = g->n_vacancies;
    double pw[N_PROVINCES];

    g->n_employers = nv / 4 > 2 ? nv / 4 : 2;
    if (g->n_employers > nv)
        g->n_employers = nv;
    g->employers = clb__calloc(g->n_employers, sizeof(*g->employers));
    g->sites = clb__calloc(g->n_employers * 3, sizeof(*g->sites));
    if (!g->employers || !g->sites)
        return clb__error_set(err, CLB_ENOMEM, "out of memory generating employers");
    for (int p = 0; p < N_PROVINCES; p++)
        pw[p] = p < g->n_provinces ? provinces[p].weight : 0;

    for (size_t e = 0; e < g->n_employers; e++) {
        gemployer *em = &g->employers[e];
        rng r;
        rng_seed(&r, g->opts->seed, STREAM_EMPLOYER, e);
        /* the first employers cover every province, so each one has vacancies */
        em->province = (uint8_t)(e < (size_t)g->n_provinces ? (int)e
                                                              : rng_weighted(&r, pw, N_PROVINCES));
        em->sector = (uint8_t)rng_weighted(&r, provinces[em->province].sector, N_SECTORS);
        em->association = (uint8_t)rng_int(&r, 0, 1);
        em->kind = (uint8_t)rng_int(&r, 0, (int)(sizeof(employer_kinds) /
                                                sizeof(employer_kinds[0])) - 1);
        double u = rng_unit(&r);
        em->site_count = u < 0.6 ? 1 : u < 0.9 ? 2 : 3;
        em->site_first = (uint32_t)g->n_sites;
        for (uint32_t k = 0; k < em->site_count; k++) {
            gsite *st = &g->sites[g->n_sites++];
            st->employer = (uint32_t)e;
            st->seq = (uint8_t)(k + 1);
            st->province = em->province;
            if (k > 0 && rng_chance(&r, 0.15))
                st->province = (uint8_t)rng_weighted(&r, pw, N_PROVINCES);
            st->beds = -1;
        }
    }
    return 0;
}

/* A vacancy's period on its sector's calendar, as days from January 1. */
static void draw_period(rng *r, int sector, int *start, int *end)
{
    int s, d;
    switch (sector) {
    case SEC_BERRIES:
        s = rng_int(r, 4, 89);
        d = rng_int(r, 60, 150);
        break;
    case SEC_CITRUS:
        if (rng_chance(r, 0.6)) {
            s = rng_int(r, 4, 58);
            d = rng_int(r, 30, 90);
        } else {
            s = rng_int(r, 257, 303);
            d = rng_int(r, 30, 60);
        }
        break;
    case SEC_STONE:
        s = rng_int(r, 104, 211);
        d = rng_int(r, 40, 110);
        break;
    case SEC_VEGETABLES:
        s = rng_int(r, 4, 287);
        d = rng_int(r, 30, 120);
        break;
    default: /* olives: the end of one harvest, the start of the next */
        if (rng_chance(r, 0.4)) {
            s = rng_int(r, 4, 30);
            d = rng_int(r, 30, 60);
        } else {
            s = rng_int(r, 273, 303);
            d = rng_int(r, 30, 60);
        }
        break;
    }
    *start = s;
    *end = s + d - 1 > 354 ? 354 : s + d - 1;
}

int gen_make_vacancies(gen *g, clb_error *err)
{
    size_t nv = g->n_vacancies;
    /* headcounts 5..120, skewed so that the slots are about 1.1 per worker */
    double mean = 1.1 * (double)g->n_workers / (double)nv;
    if (mean < 6)
        mean = 6;
    if (mean > 60)
        mean = 60;
    double shape = 115.0 / (mean - 4.5) - 1.0;
    uint32_t *strata;

    g->vacancies = clb__calloc(nv, sizeof(*g->vacancies));
    g->vac_by_employer = clb__calloc(nv, sizeof(uint32_t));
    if (!g->vacancies || !g->vac_by_employer)
        return clb__error_set(err, CLB_ENOMEM, "out of memory generating vacancies");

    /* stratified quantiles of the headcount distribution, in random order, so that
       even 100 vacancies have about the intended number of places */
    strata = clb__malloc(nv * sizeof(uint32_t));
    if (!strata)
        return clb__error_set(err, CLB_ENOMEM, "out of memory generating vacancies");
    {
        rng r;
        rng_seed(&r, g->opts->seed, STREAM_VACANCY, UINT64_MAX);
        for (size_t i = 0; i < nv; i++)
            strata[i] = (uint32_t)i;
        for (size_t i = nv - 1; i > 0; i--) {
            size_t j = rng_index(&r, i + 1);
            uint32_t t = strata[i];
            strata[i] = strata[j];
            strata[j] = t;
        }
    }

    for (size_t i = 0; i < nv; i++) {
        gvacancy *v = &g->vacancies[i];
        rng r;
        int s, e;
        rng_seed(&r, g->opts->seed, STREAM_VACANCY, i);
        v->employer = (uint32_t)(i < g->n_employers ? i : rng_index(&r, g->n_employers));
        const gemployer *em = &g->employers[v->employer];
        v->site = em->site_first + (uint32_t)rng_int(&r, 0, (int)em->site_count - 1);
        v->sector = rng_chance(&r, 0.75)
                        ? em->sector
                        : (uint8_t)rng_weighted(&r, provinces[g->sites[v->site].province].sector,
                                                N_SECTORS);
        draw_period(&r, v->sector, &s, &e);
        v->start = g->jan1 + s;
        v->end = g->jan1 + e;
        double u = ((double)strata[i] + rng_unit(&r)) / (double)nv;
        v->headcount = 5 + (int)floor(115.999 * pow(u, shape));
        if (rng_chance(&r, 0.04))
            v->occupation = 2; /* machinery operators */
        else if (v->sector == SEC_VEGETABLES && rng_chance(&r, 0.3))
            v->occupation = 1; /* greenhouse labourers */
        v->wage = 1381 + 10 * rng_int(&r, 0, 15) + (v->occupation == 2 ? 150 : 0);
        u = rng_unit(&r);
        v->langs = u < 0.15 ? LANG_ES : u < 0.18 ? LANG_FR : 0;
        if (rng_chance(&r, 0.30)) {
            int c = rng_weighted(&r, course_mix[v->sector], N_COURSES);
            v->courses = (uint8_t)(1u << c);
            if (rng_chance(&r, 0.10)) {
                int c2 = rng_int(&r, 0, N_COURSES - 1);
                v->courses |= (uint8_t)(1u << c2);
            }
        }
        u = rng_unit(&r);
        v->min_campaigns = u < 0.05 ? 1 : u < 0.07 ? 2 : 0;
        v->skill = -1;
        g->slots += (size_t)v->headcount;
        g->sector_share[v->sector] += 1.0 / (double)nv;
    }

    /* vacancies by employer (counting sort) */
    for (size_t i = 0; i < nv; i++)
        g->employers[g->vacancies[i].employer].vac_count++;
    uint32_t at = 0;
    for (size_t e = 0; e < g->n_employers; e++) {
        g->employers[e].vac_first = at;
        at += g->employers[e].vac_count;
        g->employers[e].vac_count = 0;
    }
    for (size_t i = 0; i < nv; i++) {
        gemployer *em = &g->employers[g->vacancies[i].employer];
        g->vac_by_employer[em->vac_first + em->vac_count++] = (uint32_t)i;
    }
    clb__free(strata);
    return 0;
}

/* Housing: most sites have beds, around their peak headcount (sometimes fewer). */
void gen_make_beds(gen *g)
{
    for (size_t si = 0; si < g->n_sites; si++) {
        gsite *st = &g->sites[si];
        const gemployer *em = &g->employers[st->employer];
        long peak = 0;
        rng r;
        rng_seed(&r, g->opts->seed, STREAM_BEDS, si);
        for (uint32_t a = 0; a < em->vac_count; a++) {
            const gvacancy *va = &g->vacancies[g->vac_by_employer[em->vac_first + a]];
            long load = 0;
            if (va->site != si)
                continue;
            for (uint32_t b = 0; b < em->vac_count; b++) {
                const gvacancy *vb = &g->vacancies[g->vac_by_employer[em->vac_first + b]];
                if (vb->site == si && vb->start <= va->start && va->start <= vb->end)
                    load += vb->headcount;
            }
            if (load > peak)
                peak = load;
        }
        if (peak > 0 && rng_chance(&r, 0.85)) {
            long beds = lround((double)peak * rng_range(&r, 0.65, 1.1));
            st->beds = (int)(beds < 5 ? 5 : beds);
        }
    }
}

/* ---- workers ----------------------------------------------------------------------- */

int gen_make_workers(gen *g, clb_error *err)
{
    double ow[N_ORIGINS];
    double pw[N_PROVINCES];
    clb_date born_min = clb__date_from_ymd(1968, 1, 1);
    int born_span = (int)(clb__date_from_ymd(2007, 12, 31) - born_min);

    g->workers = clb__calloc(g->n_workers, sizeof(*g->workers));
    if (!g->workers)
        return clb__error_set(err, CLB_ENOMEM, "out of memory generating workers");
    for (int o = 0; o < N_ORIGINS; o++)
        ow[o] = origins[o].weight;
    for (int p = 0; p < N_PROVINCES; p++)
        pw[p] = p < g->n_provinces ? provinces[p].weight : 0;

    for (size_t i = 0; i < g->n_workers; i++) {
        gworker *w = &g->workers[i];
        rng r;
        double u;
        rng_seed(&r, g->opts->seed, STREAM_WORKER, i);
        w->origin = (uint8_t)rng_weighted(&r, ow, N_ORIGINS);
        int country = origins[w->origin].country;
        double female = country == C_MA ? 0.7 : country == C_SN ? 0.3 : 0.4;
        w->sex = rng_chance(&r, female) ? 'F' : 'M';
        if (rng_chance(&r, 0.005)) {
            /* turns 18 during the season: the age rule cuts some vacancies */
            w->birth = clb__date_from_ymd(2008, 1, 1) + rng_int(&r, 0, 364);
        } else {
            int a = rng_int(&r, 0, born_span), b = rng_int(&r, 0, born_span);
            w->birth = born_min + (a + b) / 2;
        }
        w->adult_from = clb__birthday_of_age(w->birth, MIN_AGE);
        if (country == C_MA) {
            w->langs = LANG_AR;
            if (rng_chance(&r, 0.35))
                w->langs |= LANG_ES;
            if (rng_chance(&r, 0.40))
                w->langs |= LANG_FR;
        } else if (country == C_SN) {
            w->langs = LANG_WO;
            if (rng_chance(&r, 0.9))
                w->langs |= LANG_FR;
            if (rng_chance(&r, 0.2))
                w->langs |= LANG_ES;
        } else {
            w->langs = LANG_AR;
            if (rng_chance(&r, 0.6))
                w->langs |= LANG_FR;
        }

        w->last_employer = -1;
        w->last_return = CLB_DATE_NONE;
        w->banned_until = CLB_DATE_NONE;
        u = rng_unit(&r);
        if (u < 0.35) {
            /* returning: came back from earlier seasons */
            int c = 1;
            while (c < 8 && rng_chance(&r, 0.55))
                c++;
            w->campaigns = (uint8_t)c;
            w->returned = true;
            w->last_employer = (int32_t)rng_index(&r, g->n_employers);
            w->last_return = clb__date_from_ymd(2025, 5, 1) + rng_int(&r, 0, 240);
            if (rng_chance(&r, 0.04))
                w->days_abroad = (uint8_t)rng_int(&r, 20, 60);
        } else if (u < 0.365) {
            /* did not return once: banned for a while */
            w->campaigns = (uint8_t)rng_int(&r, 1, 3);
            w->returned = false;
            w->last_employer = (int32_t)rng_index(&r, g->n_employers);
            w->last_return = clb__date_from_ymd(2024, 6, 1) + rng_int(&r, 0, 200);
            w->banned_until = g->jan1 + rng_int(&r, -60, 500);
        }
        bool ret = w->campaigns > 0;
        if (rng_chance(&r, ret ? 0.55 : 0.05))
            w->trained |= 1u << COURSE_PHYTO;
        if (rng_chance(&r, ret ? 0.45 : 0.05))
            w->trained |= 1u << COURSE_FOOD;
        if (rng_chance(&r, ret ? 0.25 : 0.05))
            w->trained |= 1u << COURSE_MACHINERY;

        u = rng_unit(&r);
        int from = u < 0.55 ? rng_int(&r, 0, 14) : u < 0.85 ? rng_int(&r, 15, 90)
                                                            : rng_int(&r, 91, 180);
        int to = from + rng_int(&r, 180, 330) - 1;
        w->from = g->jan1 + from;
        w->to = g->jan1 + (to > 364 ? 364 : to);

        if (rng_chance(&r, 0.04)) {
            if (rng_chance(&r, 0.6)) {
                w->excl_kind = 1;
                w->excl_val = (uint8_t)rng_int(&r, 0, N_SECTORS - 1);
            } else {
                w->excl_kind = 2;
                w->excl_val = (uint8_t)rng_weighted(&r, pw, N_PROVINCES);
            }
        }
    }
    return 0;
}

/* ---- training sessions and reintegration programmes ------------------------------- */

int gen_make_sessions(gen *g, clb_error *err)
{
    /* session starts, as days from January 1 (the first is in December) */
    static const int starts[] = {-31, 11, 60, 123};
    int n_dates = g->n_vacancies >= 8000 ? 4 : g->n_vacancies >= 500 ? 3 : 2;
    double share[N_COURSES] = {0}, per_origin[N_ORIGINS] = {0};
    size_t cap;

    /* demand per course: the share of slots that require it */
    for (size_t i = 0; i < g->n_vacancies; i++)
        for (int c = 0; c < N_COURSES; c++)
            if (g->vacancies[i].courses & (1u << c))
                share[c] += (double)g->vacancies[i].headcount / (double)g->slots;
    for (size_t i = 0; i < g->n_workers; i++)
        per_origin[g->workers[i].origin] += 1;

    cap = (size_t)N_ORIGINS * N_COURSES * (size_t)n_dates + N_COUNTRIES * N_COURSES;
    g->sessions = clb__calloc(cap, sizeof(*g->sessions));
    if (!g->sessions)
        return clb__error_set(err, CLB_ENOMEM, "out of memory generating sessions");

    for (int o = 0; o < N_ORIGINS; o++)
        for (int c = 0; c < N_COURSES; c++)
            g->first_session_end[o][c] = INT32_MAX;

    for (int o = 0; o < N_ORIGINS; o++) {
        if (!country_allowed[origins[o].country])
            continue;
        for (int c = 0; c < N_COURSES; c++) {
            rng r;
            rng_seed(&r, g->opts->seed, STREAM_SESSION, (uint64_t)(o * N_COURSES + c));
            /* enough seats that training binds only here and there */
            double need = per_origin[o] * share[c] * 0.85 * rng_range(&r, 0.8, 1.8);
            int per = (int)ceil(need / n_dates);
            for (int k = 0; k < n_dates; k++) {
                gsession *ss = &g->sessions[g->n_sessions++];
                ss->origin = (int16_t)o;
                ss->country = (uint8_t)origins[o].country;
                ss->course = (uint8_t)c;
                ss->seq = (uint8_t)(k + 1);
                ss->start = g->jan1 + starts[k] + rng_int(&r, 0, 6);
                ss->end = ss->start + rng_int(&r, 1, 4);
                ss->capacity = per < 5 ? 5 : per;
                ss->cost = 5 * rng_int(&r, 4, 12);
                if (ss->end < g->first_session_end[o][c])
                    g->first_session_end[o][c] = ss->end;
            }
        }
    }
    /* one national session per course and allowed country, in the capital, small */
    for (int ct = 0; ct < N_COUNTRIES; ct++) {
        if (!country_allowed[ct])
            continue;
        for (int c = 0; c < N_COURSES; c++) {
            rng r;
            double workers = 0;
            gsession *ss = &g->sessions[g->n_sessions++];
            rng_seed(&r, g->opts->seed, STREAM_SESSION, (uint64_t)(1000 + ct * N_COURSES + c));
            for (int o = 0; o < N_ORIGINS; o++)
                if (origins[o].country == ct)
                    workers += per_origin[o];
            ss->origin = -1;
            ss->country = (uint8_t)ct;
            ss->course = (uint8_t)c;
            ss->seq = 1;
            ss->start = g->jan1 + 20 + rng_int(&r, 0, 6);
            ss->end = ss->start + 2;
            ss->capacity = max_int(5, (int)ceil(workers * share[c] * 0.05));
            ss->cost = 5 * rng_int(&r, 8, 16);
            for (int o = 0; o < N_ORIGINS; o++)
                if (origins[o].country == ct && ss->end < g->first_session_end[o][c])
                    g->first_session_end[o][c] = ss->end;
        }
    }
    return 0;
}

int gen_make_programmes(gen *g, clb_error *err)
{
    static const int starts[] = {104, 181, 257, 334};
    double per_origin[N_ORIGINS] = {0};

    for (size_t i = 0; i < g->n_workers; i++)
        per_origin[g->workers[i].origin] += 1;
    g->programmes = clb__calloc((size_t)N_ORIGINS * 4 + N_COUNTRIES, sizeof(*g->programmes));
    if (!g->programmes)
        return clb__error_set(err, CLB_ENOMEM, "out of memory generating programmes");
    for (int o = 0; o < N_ORIGINS; o++) {
        rng r;
        if (!country_allowed[origins[o].country])
            continue;
        rng_seed(&r, g->opts->seed, STREAM_PROGRAMME, (uint64_t)o);
        for (int k = 0; k < 4; k++) {
            gprogramme *pg = &g->programmes[g->n_programmes++];
            pg->origin = (int16_t)o;
            pg->country = (uint8_t)origins[o].country;
            pg->seq = (uint8_t)(k + 1);
            pg->start = g->jan1 + starts[k] + rng_int(&r, 0, 7);
            pg->end = pg->start + rng_int(&r, 60, 120);
            pg->capacity = max_int(5, (int)ceil(per_origin[o] * rng_range(&r, 0.06, 0.12)));
        }
    }
    for (int ct = 0; ct < N_COUNTRIES; ct++) {
        rng r;
        double workers = 0;
        if (!country_allowed[ct])
            continue;
        rng_seed(&r, g->opts->seed, STREAM_PROGRAMME, (uint64_t)(1000 + ct));
        for (int o = 0; o < N_ORIGINS; o++)
            if (origins[o].country == ct)
                workers += per_origin[o];
        gprogramme *pg = &g->programmes[g->n_programmes++];
        pg->origin = -1;
        pg->country = (uint8_t)ct;
        pg->seq = 1;
        pg->start = g->jan1 + 196 + rng_int(&r, 0, 7);
        pg->end = pg->start + 180;
        pg->capacity = max_int(5, (int)ceil(workers * 0.05));
    }
    return 0;
}

/* ---- quotas ------------------------------------------------------------------------ */

static bool is_early(const gen *g, const gvacancy *v)
{
    return v->start <= g->jan1 + 89; /* start by March 31 */
}

int gen_make_quotas(gen *g, clb_error *err)
{
    size_t vn = g->n_vacancies;
    double lv = log10((double)vn / 100.0);
    int target = 12 + (int)lround(12.7 * (lv > 0 ? lv : 0));
    double slots_p[N_PROVINCES] = {0}, slots_ps[N_PROVINCES][N_SECTORS] = {{0}};
    double slots_phase[N_PROVINCES][N_SECTORS][2] = {{{0}}};
    double slots_a[N_PROVINCES][2] = {{0}};
    double per_origin[N_ORIGINS] = {0}, per_country[N_COUNTRIES] = {0};
    double n_returning = 0, n_female = 0;
    gquota lists[8][N_ORIGINS * 2 + N_PROVINCES * 2];
    int counts[8] = {0};
    rng r;

    if (target > 40)
        target = 40;
    for (size_t i = 0; i < vn; i++) {
        const gvacancy *v = &g->vacancies[i];
        int p = g->sites[v->site].province;
        slots_p[p] += v->headcount;
        slots_ps[p][v->sector] += v->headcount;
        slots_phase[p][v->sector][is_early(g, v) ? 0 : 1] += v->headcount;
        slots_a[g->employers[v->employer].province][g->employers[v->employer].association] +=
            v->headcount;
    }
    for (size_t i = 0; i < g->n_workers; i++) {
        const gworker *w = &g->workers[i];
        per_origin[w->origin] += 1;
        per_country[origins[w->origin].country] += 1;
        n_returning += w->returned ? 1 : 0;
        n_female += w->sex == 'F' ? 1 : 0;
    }
    rng_seed(&r, g->opts->seed, STREAM_QUOTA, 0);

#define ADD(list, ...) (lists[list][counts[list]++] = (gquota){__VA_ARGS__})
    /* national: the programme's ceiling per origin country */
    ADD(0, QK_COUNTRY, C_MA, 0, 0,
        lround(0.9 * g->slots * per_country[C_MA] / (double)g->n_workers), 0, false);
    ADD(0, QK_COUNTRY, C_SN, 0, 0, lround(rng_range(&r, 0.8, 1.0) * per_country[C_SN]),
        lround(0.3 * per_country[C_SN]), false);
    ADD(0, QK_COUNTRY, C_MA, 0, 0, lround(rng_range(&r, 0.75, 0.85) * per_country[C_MA]), 0,
        true);
    /* provinces */
    for (int p = 0; p < g->n_provinces; p++)
        ADD(1, QK_PROVINCE, p, 0, 0, lround(rng_range(&r, 0.8, 0.95) * slots_p[p]), 0, false);
    /* balance targets (soft minimums) */
    ADD(2, QK_RETURNING, 0, 0, 0, -1, max_long(1, lround(0.6 * n_returning)), false);
    ADD(2, QK_SEX, 0, 0, 0, -1, max_long(1, lround(0.45 * n_female)), true);
    /* province x main sectors, and their early / late phases */
    for (int p = 0; p < g->n_provinces; p++) {
        int best[2] = {-1, -1};
        for (int j = 0; j < N_SECTORS; j++) {
            if (slots_ps[p][j] <= 0)
                continue;
            if (best[0] < 0 || slots_ps[p][j] > slots_ps[p][best[0]]) {
                best[1] = best[0];
                best[0] = j;
            } else if (best[1] < 0 || slots_ps[p][j] > slots_ps[p][best[1]]) {
                best[1] = j;
            }
        }
        for (int k = 0; k < 2; k++)
            if (best[k] >= 0)
                ADD(3, QK_SECTOR, p, best[k], 0,
                    lround(rng_range(&r, 0.75, 0.95) * slots_ps[p][best[k]]), 0, false);
        if (best[0] >= 0)
            for (int ph = 0; ph < 2; ph++)
                if (slots_phase[p][best[0]][ph] > 0)
                    ADD(4, QK_PHASE, p, best[0], ph,
                        lround(rng_range(&r, 0.7, 0.9) * slots_phase[p][best[0]][ph]), 0,
                        false);
    }
    /* regional allocations of workers, largest regions first */
    {
        int order[N_ORIGINS], n = 0;
        for (int o = 0; o < N_ORIGINS; o++)
            if (country_allowed[origins[o].country])
                order[n++] = o;
        for (int a = 1; a < n; a++)
            for (int b = a; b > 0 && origins[order[b]].weight > origins[order[b - 1]].weight;
                 b--) {
                int t = order[b];
                order[b] = order[b - 1];
                order[b - 1] = t;
            }
        for (int k = 0; k < n; k++) {
            int o = order[k];
            long mn = k % 3 == 2 ? lround(0.2 * per_origin[o]) : 0;
            ADD(5, QK_ORIGIN, o, 0, 0, lround(rng_range(&r, 0.6, 0.9) * per_origin[o]), mn,
                true);
        }
    }
    /* employer associations */
    for (int p = 0; p < g->n_provinces; p++)
        for (int a = 0; a < 2; a++)
            if (slots_a[p][a] > 0)
                ADD(6, QK_ASSOCIATION, p, a, 0, lround(rng_range(&r, 0.8, 0.95) * slots_a[p][a]),
                    0, false);
#undef ADD

    g->quotas = clb__calloc((size_t)target, sizeof(*g->quotas));
    if (!g->quotas)
        return clb__error_set(err, CLB_ENOMEM, "out of memory generating quotas");
    /* take the kinds in turn, so that every size has some of each */
    for (int round = 0; (int)g->n_quotas < target; round++) {
        bool any = false;
        for (int k = 0; k < 7 && (int)g->n_quotas < target; k++) {
            if (round < counts[k]) {
                gquota q = lists[k][round];
                if (q.max == 0)
                    q.max = 1;
                g->quotas[g->n_quotas++] = q;
                any = true;
            }
        }
        if (!any)
            break;
    }
    return 0;
}
