/*
 * eligibility.c - the eleven eligibility rules (docs/MODEL.md §3.1), the derived values
 * (section 3.2) and the per-placement part of the objective (section 3.7).
 *
 * Eligibility is decided before optimisation, so the model only ever sees eligible
 * pairs. Pairs are built worker by worker into compressed arrays: nothing is
 * allocated per pair, which keeps national-scale rounds in memory.
 */
#include "rules/eligibility.h"
#include "util/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const rule_names[CLB_RULE_COUNT] = {
    "age", "country", "availability", "skills", "experience", "training",
    "home_time", "stay", "banned", "ban", "excluded"};

const char *clb_rule_name(unsigned rule)
{
    for (unsigned i = 0; i < CLB_RULE_COUNT; i++)
        if (rule == (1u << i))
            return rule_names[i];
    return NULL;
}

bool clb__session_is_open_to(const clb_session_rec *k, const clb_worker_rec *w)
{
    return k->country == w->country && (k->region < 0 || k->region == w->region);
}

bool clb__programme_is_open_to(const clb_programme_rec *r, const clb_worker_rec *w)
{
    return r->country == w->country && (r->region < 0 || r->region == w->region);
}

bool clb__match_is_vacancy(const clb_scenario *s, const clb_match *m,
                          const clb_vacancy_rec *v)
{
    switch (m->kind) {
    case CLB_MATCH_EMPLOYER: return s->employers[v->employer].sym == m->sym;
    case CLB_MATCH_SECTOR: return v->sector >= 0 && v->sector == m->sym;
    case CLB_MATCH_REGION: return clb_vacancy_region(s, v) == m->sym;
    }
    return false;
}

double clb__pref_value(const clb_scenario *s, const clb_worker_rec *w,
                      const clb_vacancy_rec *v)
{
    for (uint32_t i = 0; i < w->n_prefs; i++)
        if (clb__match_is_vacancy(s, &w->prefs[i], v))
            return (double)(w->n_prefs - i) / (double)w->n_prefs;
    return 0.0;
}

static int cmp_score_key(const void *key, const void *elem)
{
    const clb_score_rec *a = key, *b = elem;
    if (a->worker != b->worker)
        return a->worker < b->worker ? -1 : 1;
    if (a->vacancy != b->vacancy)
        return a->vacancy < b->vacancy ? -1 : 1;
    return 0;
}

double clb__score_value(const clb_scenario *s, uint32_t w, uint32_t v)
{
    clb_score_rec key = {w, v, 0};
    const clb_score_rec *hit;
    if (!s->n_scores)
        return 0.0;
    hit = bsearch(&key, s->scores, s->n_scores, sizeof(key), cmp_score_key);
    return hit ? hit->value : 0.0;
}

bool clb__is_previous_proposed(const clb_scenario *s, uint32_t w, uint32_t v)
{
    for (size_t i = 0; i < s->n_previous; i++)
        if (s->previous[i].worker == w && s->previous[i].vacancy == v &&
            s->previous[i].status == CLB_PREV_PROPOSED)
            return true;
    return false;
}

bool clb__vacancy_names(const clb_vacancy_rec *v, uint32_t w)
{
    for (uint32_t i = 0; i < v->n_named; i++)
        if (v->named[i] == w)
            return true;
    return false;
}

static bool where_holds(const clb_where_list *l, int32_t sym)
{
    return !l->present || (sym >= 0 && clb__sorted_contains(l->syms.v, l->syms.n, sym));
}

bool clb__quota_matches(const clb_scenario *s, const clb_quota_rec *q, uint32_t w,
                       uint32_t v)
{
    const clb_worker_rec *wk = &s->workers[w];
    const clb_vacancy_rec *vc = &s->vacancies[v];
    const clb_employer_rec *e = &s->employers[vc->employer];

    if (!where_holds(&q->origin_country, wk->country) ||
        !where_holds(&q->origin_region, wk->region) ||
        !where_holds(&q->dest_region, clb_vacancy_region(s, vc)) ||
        !where_holds(&q->sector, vc->sector) || !where_holds(&q->employer, e->sym) ||
        !where_holds(&q->association, e->association) ||
        !where_holds(&q->occupation, vc->occupation))
        return false;
    if (q->sex.present) {
        char sx[2] = {wk->sex, 0};
        if (!wk->sex || !where_holds(&q->sex, clb__strtab_lookup(&s->syms, sx)))
            return false;
    }
    if (q->returning >= 0 && (q->returning == 1) != clb_worker_is_returning(wk))
        return false;
    if (q->start_from != CLB_DATE_NONE && vc->start < q->start_from)
        return false;
    if (q->start_to != CLB_DATE_NONE && vc->start > q->start_to)
        return false;
    return true;
}

void clb__placement_terms(const clb_scenario *s, uint32_t w, uint32_t v,
                          double terms[CLB_N_PLACEMENT_TERMS])
{
    const clb_weights *wt = &s->policy.weights;
    const clb_worker_rec *wk = &s->workers[w];
    const clb_vacancy_rec *vc = &s->vacancies[v];
    int tenure = wk->campaigns < s->policy.tenure_cap ? wk->campaigns : s->policy.tenure_cap;

    terms[CLB_TERM_FILL] = wt->fill;
    terms[CLB_TERM_RETURNING] = clb_worker_is_returning(wk) ? wt->returning : 0.0;
    terms[CLB_TERM_TENURE] = wt->tenure * tenure;
    terms[CLB_TERM_NAMED] = clb__vacancy_names(vc, w) ? wt->named : 0.0;
    terms[CLB_TERM_SAME_EMPLOYER] =
        wk->last_employer >= 0 && wk->last_employer == s->employers[vc->employer].sym
            ? wt->same_employer
            : 0.0;
    terms[CLB_TERM_PREFERENCE] = wt->preference * clb__pref_value(s, wk, vc);
    terms[CLB_TERM_SCORE] = wt->score * clb__score_value(s, w, v);
    terms[CLB_TERM_KEEP] =
        s->n_previous && clb__is_previous_proposed(s, w, v) ? wt->keep : 0.0;
}

/* The terms summed in order: adding a zero term leaves the sum exactly as it was. */
double clb__placement_value(const clb_scenario *s, uint32_t w, uint32_t v)
{
    double terms[CLB_N_PLACEMENT_TERMS];
    double value;

    clb__placement_terms(s, w, v, terms);
    value = terms[0];
    for (size_t i = 1; i < CLB_N_PLACEMENT_TERMS; i++)
        value += terms[i];
    return value;
}

bool clb__value_below(double a, double b)
{
    double scale = fmax(1.0, fmax(fabs(a), fabs(b)));
    return a < b - 1e-9 * scale;
}

/* Can worker w be trained in course c in time for a placement starting on `start`? */
static bool course_reachable(const clb_scenario *s, const clb_worker_rec *w,
                             int32_t course, clb_date start)
{
    for (size_t k = 0; k < s->n_sessions; k++) {
        const clb_session_rec *ses = &s->sessions[k];
        if (ses->course == course && clb__session_is_open_to(ses, w) &&
            clb__session_in_time(&s->policy, ses->end, start))
            return true;
    }
    return false;
}

static bool idlist_covers(const clb_idlist *have, const clb_idlist *need)
{
    for (uint32_t i = 0; i < need->n; i++)
        if (!clb__sorted_contains(have->v, have->n, need->v[i]))
            return false;
    return true;
}

/*
 * The first day on which a worker born on `birth` is `years` old. Someone born on
 * 29 February turns a year older on 1 March in common years, as the age formula of
 * docs/FORMATS.md §1 says; days-from-civil maps (y, 2, 29) to 1 March there by itself.
 */
clb_date clb__birthday_of_age(clb_date birth, int years)
{
    int y, m, d;
    if (birth == CLB_DATE_NONE) /* a forgotten worker: the age rule cannot fail, the
                                   availability rule always does */
        return CLB_DATE_NONE;
    clb__date_to_ymd(birth, &y, &m, &d);
    return clb__date_from_ymd(y + years, m, d);
}

unsigned clb__eligibility_timing(const clb_policy *p, const clb_rule_worker *w,
                                 const clb_rule_vacancy *v)
{
    unsigned fail = 0;

    if (v->start < w->adult_from)
        fail |= CLB_RULE_AGE;
    if (w->avail_from > v->start || v->end > w->avail_to)
        fail |= CLB_RULE_AVAILABILITY;
    if (w->campaigns < v->min_campaigns)
        fail |= CLB_RULE_EXPERIENCE;
    if (w->last_return != CLB_DATE_NONE && v->start < w->last_return + p->min_home_days)
        fail |= CLB_RULE_HOME_TIME;
    if ((int)(v->end - v->start + 1) + w->days_abroad > p->max_stay_days)
        fail |= CLB_RULE_STAY;
    if (w->banned_until != CLB_DATE_NONE && !(w->banned_until < v->start))
        fail |= CLB_RULE_BANNED;
    return fail;
}

bool clb__session_in_time(const clb_policy *p, clb_date end, clb_date start)
{
    return (int64_t)end + p->training_lead_days < start;
}

/* Rules that do not depend on bans (rules 1-9 and 11). `adult_from` is the day the
   worker reaches min_age. */
static unsigned check_rules(const clb_scenario *s, uint32_t wi, uint32_t vi,
                            clb_date adult_from)
{
    const clb_policy *p = &s->policy;
    const clb_worker_rec *w = &s->workers[wi];
    const clb_vacancy_rec *v = &s->vacancies[vi];
    const clb_rule_worker rw = {adult_from,     w->avail_from,   w->avail_to,
                                w->last_return, w->banned_until, w->campaigns,
                                w->days_abroad};
    const clb_rule_vacancy rv = {v->start, v->end, v->min_campaigns};
    unsigned fail = clb__eligibility_timing(p, &rw, &rv);

    if (p->has_allowed_countries &&
        !clb__sorted_contains(p->allowed_countries.v, p->allowed_countries.n, w->country))
        fail |= CLB_RULE_COUNTRY;
    if (!idlist_covers(&w->skills, &v->req_skills) ||
        !idlist_covers(&w->languages, &v->req_languages))
        fail |= CLB_RULE_SKILLS;
    for (uint32_t i = 0; i < v->req_trainings.n; i++) {
        int32_t c = v->req_trainings.v[i];
        if (!clb__sorted_contains(w->trainings.v, w->trainings.n, c) &&
            !course_reachable(s, w, c, v->start)) {
            fail |= CLB_RULE_TRAINING;
            break;
        }
    }
    for (uint32_t i = 0; i < w->n_excludes; i++)
        if (clb__match_is_vacancy(s, &w->excludes[i], v)) {
            fail |= CLB_RULE_EXCLUDED;
            break;
        }
    return fail;
}

static bool ban_forbids(const clb_scenario *s, const clb_ban_rec *b, uint32_t vi)
{
    if (b->vacancy >= 0)
        return (uint32_t)b->vacancy == vi;
    return b->employer >= 0 && (uint32_t)b->employer == s->vacancies[vi].employer;
}

unsigned clb__eligibility_check(const clb_scenario *s, uint32_t w, uint32_t v)
{
    unsigned fail = check_rules(s, w, v,
                                clb__birthday_of_age(s->workers[w].birth, s->policy.min_age));
    for (size_t i = 0; i < s->n_bans; i++)
        if (s->bans[i].worker == w && ban_forbids(s, &s->bans[i], v)) {
            fail |= CLB_RULE_BAN;
            break;
        }
    return fail;
}

static int cmp_ban_worker(const void *a, const void *b)
{
    uint32_t x = ((const clb_ban_rec *)a)->worker, y = ((const clb_ban_rec *)b)->worker;
    return (x > y) - (x < y);
}

/*
 * An inverted index from required skills to vacancies. Most of the selectivity of
 * eligibility at national scale comes from required skills (a specialisation), so a
 * worker is only checked against the vacancies that require nothing, or whose rarest
 * required skill the worker has: the pairs are built in time proportional to the
 * candidates, not to workers x vacancies.
 */
typedef struct skill_index {
    clb_intmap slot_of;  /* skill symbol -> slot */
    uint32_t *first;     /* slot s lists vac[first[s] .. first[s+1]) */
    uint32_t *vac;
    uint32_t *open;      /* vacancies without a required skill */
    size_t n_open;
} skill_index;

static void skill_index_dispose(skill_index *ix)
{
    clb__intmap_dispose(&ix->slot_of);
    clb__free(ix->first);
    clb__free(ix->vac);
    clb__free(ix->open);
    memset(ix, 0, sizeof(*ix)); /* a failed build disposes, then its caller again */
}

static int skill_index_build(skill_index *ix, const clb_scenario *s)
{
    size_t nsyms = s->syms.count, nv = s->n_vacancies, nslots = 0;
    uint32_t *freq = clb__calloc(nsyms + 1, sizeof(uint32_t));
    int32_t *key = clb__malloc((nv + 1) * sizeof(int32_t));
    int error = 0;

    memset(ix, 0, sizeof(*ix));
    clb__intmap_init(&ix->slot_of);
    ix->open = clb__malloc((nv + 1) * sizeof(uint32_t));
    if (!freq || !key || !ix->open) {
        error = CLB_ENOMEM;
        goto done;
    }
    for (size_t v = 0; v < nv; v++)
        for (uint32_t i = 0; i < s->vacancies[v].req_skills.n; i++)
            freq[s->vacancies[v].req_skills.v[i]]++;
    /* each vacancy is filed under its rarest required skill */
    for (size_t v = 0; v < nv; v++) {
        const clb_idlist *rs = &s->vacancies[v].req_skills;
        key[v] = -1;
        for (uint32_t i = 0; i < rs->n; i++)
            if (key[v] < 0 || freq[rs->v[i]] < freq[key[v]])
                key[v] = rs->v[i];
        if (key[v] < 0) {
            ix->open[ix->n_open++] = (uint32_t)v;
        } else if (clb__intmap_get(&ix->slot_of, key[v]) < 0) {
            if ((error = clb__intmap_put(&ix->slot_of, key[v], (int32_t)nslots++)) < 0)
                goto done;
        }
    }
    ix->first = clb__calloc(nslots + 2, sizeof(uint32_t));
    ix->vac = clb__malloc((nv + 1) * sizeof(uint32_t));
    if (!ix->first || !ix->vac) {
        error = CLB_ENOMEM;
        goto done;
    }
    for (size_t v = 0; v < nv; v++)
        if (key[v] >= 0)
            ix->first[clb__intmap_get(&ix->slot_of, key[v]) + 1]++;
    for (size_t k = 0; k < nslots; k++)
        ix->first[k + 1] += ix->first[k];
    {
        uint32_t *pos = clb__calloc(nslots + 1, sizeof(uint32_t));
        if (!pos) {
            error = CLB_ENOMEM;
            goto done;
        }
        for (size_t v = 0; v < nv; v++)
            if (key[v] >= 0) {
                int32_t k = clb__intmap_get(&ix->slot_of, key[v]);
                ix->vac[ix->first[k] + pos[k]++] = (uint32_t)v;
            }
        clb__free(pos);
    }
done:
    clb__free(freq);
    clb__free(key);
    if (error < 0)
        skill_index_dispose(ix);
    return error;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

int clb__pairs_build(clb_pairs *out, const clb_scenario *s, clb_error *err)
{
    size_t cap = 1024, n = 0, nb = s->n_bans, bi = 0, cand_cap = 0;
    clb_ban_rec *bans = NULL;
    uint32_t *cand = NULL;
    skill_index ix;
    int error = 0;

    memset(out, 0, sizeof(*out));
    memset(&ix, 0, sizeof(ix));
    out->first = clb__malloc((s->n_workers + 1) * sizeof(uint32_t));
    out->vac = clb__malloc(cap * sizeof(uint32_t));
    if (nb)
        bans = clb__malloc(nb * sizeof(*bans));
    if (!out->first || !out->vac || (nb && !bans) || skill_index_build(&ix, s) < 0) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory building eligible pairs");
        goto done;
    }
    if (nb) {
        memcpy(bans, s->bans, nb * sizeof(*bans));
        qsort(bans, nb, sizeof(*bans), cmp_ban_worker);
    }
    for (uint32_t w = 0; w < s->n_workers; w++) {
        const clb_worker_rec *wk = &s->workers[w];
        clb_date adult_from = clb__birthday_of_age(wk->birth, s->policy.min_age);
        size_t b0, b1, nc = 0;
        out->first[w] = (uint32_t)n;
        while (bi < nb && bans[bi].worker < w)
            bi++;
        b0 = bi;
        b1 = b0;
        while (b1 < nb && bans[b1].worker == w)
            b1++;
        /* candidates: open vacancies and those filed under one of the worker's skills */
        size_t need = ix.n_open;
        for (uint32_t i = 0; i < wk->skills.n; i++) {
            int32_t k = clb__intmap_get(&ix.slot_of, wk->skills.v[i]);
            if (k >= 0)
                need += ix.first[k + 1] - ix.first[k];
        }
        if (need > cand_cap) {
            uint32_t *nc_ = clb__realloc(cand, need * sizeof(uint32_t));
            if (!nc_) {
                error = clb__error_set(err, CLB_ENOMEM, "out of memory building eligible pairs");
                goto done;
            }
            cand = nc_;
            cand_cap = need;
        }
        if (ix.n_open)
            memcpy(cand, ix.open, ix.n_open * sizeof(uint32_t));
        nc = ix.n_open;
        for (uint32_t i = 0; i < wk->skills.n; i++) {
            int32_t k = clb__intmap_get(&ix.slot_of, wk->skills.v[i]);
            if (k < 0)
                continue;
            for (uint32_t j = ix.first[k]; j < ix.first[k + 1]; j++)
                cand[nc++] = ix.vac[j];
        }
        if (nc != ix.n_open)
            qsort(cand, nc, sizeof(uint32_t), cmp_u32);
        for (size_t ci = 0; ci < nc; ci++) {
            uint32_t v = cand[ci];
            bool banned = false;
            if (s->vacancies[v].withdrawn || check_rules(s, w, v, adult_from))
                continue;
            for (size_t b = b0; b < b1 && !banned; b++)
                banned = ban_forbids(s, &bans[b], v);
            if (banned)
                continue;
            if (n == cap) {
                uint32_t *nv = clb__realloc(out->vac, cap * 2 * sizeof(uint32_t));
                if (!nv) {
                    error = clb__error_set(err, CLB_ENOMEM,
                                          "out of memory building eligible pairs");
                    goto done;
                }
                out->vac = nv;
                cap *= 2;
            }
            out->vac[n++] = v;
        }
    }
    out->first[s->n_workers] = (uint32_t)n;
    out->n = n;
done:
    clb__free(bans);
    clb__free(cand);
    skill_index_dispose(&ix);
    if (error < 0)
        clb__pairs_dispose(out);
    return error;
}

void clb__pairs_dispose(clb_pairs *pairs)
{
    if (!pairs)
        return;
    clb__free(pairs->first);
    clb__free(pairs->vac);
    memset(pairs, 0, sizeof(*pairs));
}

int clb_scenario_check_pair(unsigned *out_mask, const clb_scenario *s,
                            const char *worker_id, const char *vacancy_id, clb_error *err)
{
    int32_t w = clb__scenario_worker_index(s, worker_id);
    int32_t v = clb__scenario_vacancy_index(s, vacancy_id);

    *out_mask = 0;
    if (w < 0)
        return clb__error_set(err, CLB_ENOTFOUND, "unknown worker '%s'",
                             worker_id ? worker_id : "");
    if (v < 0)
        return clb__error_set(err, CLB_ENOTFOUND, "unknown vacancy '%s'",
                             vacancy_id ? vacancy_id : "");
    *out_mask = clb__eligibility_check(s, (uint32_t)w, (uint32_t)v);
    return 0;
}
