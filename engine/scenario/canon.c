/*
 * canon.c - a read scenario put in its canonical order: every record list sorted by
 * id, and the interned symbols numbered in the strings' order.
 *
 * Why: the solver breaks ties between equally good plans by its fixed order over the
 * records (columns and rows follow the record indices; GLPK breaks its own ties by
 * column order), and idlists follow symbol numbers, which the reader hands out in the
 * order strings first appear. Left in file order, the plan chosen among equal ones
 * would depend on the order of rows in the files; in canonical order it depends on
 * the records only, so equal inputs give equal plans whatever their order, and the
 * same order as the database's (ORDER BY id, byte order) - docs/MODEL.md, "Ties".
 *
 * It runs once, in the loader (rules/load.c), after every diagnostic: the reader's
 * and the pin check's messages cite JSON paths in the document's own order. Workers,
 * employers, vacancies, quotas, sessions and programmes are sorted by id; sites stay
 * grouped by employer, each employer's sorted by id; scores, pins, bans and previous
 * entries by (worker, vacancy, employer) in the new numbering. A new symbol field or
 * record reference in scenario_impl.h must be renumbered here.
 */
#include "scenario/scenario_impl.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

/* ---- orders ------------------------------------------------------------------- */

typedef struct keyed {
    int64_t key;
    uint32_t idx;
} keyed;

/* Keys are distinct (ids are unique), so the order has no ties. */
static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Sort t[0..n) by key, then write the permutation: new_to_old[k] and old_to_new[i]. */
static void finish_order(keyed *t, size_t n, uint32_t *new_to_old, uint32_t *old_to_new)
{
    qsort(t, n, sizeof(*t), cmp_keyed);
    for (size_t k = 0; k < n; k++) {
        new_to_old[k] = t[k].idx;
        old_to_new[t[k].idx] = (uint32_t)k;
    }
}

/* Move the n records of arr (each `size` bytes) into the order new_to_old. */
static int permute(void *arr, size_t n, size_t size, const uint32_t *new_to_old)
{
    unsigned char *tmp, *base = arr;

    if (n == 0)
        return 0;
    if (!(tmp = clb__malloc(n * size)))
        return CLB_ENOMEM;
    for (size_t k = 0; k < n; k++)
        memcpy(tmp + k * size, base + (size_t)new_to_old[k] * size, size);
    memcpy(base, tmp, n * size);
    clb__free(tmp);
    return 0;
}

/* ---- symbols ------------------------------------------------------------------ */

static void sym(int32_t *v, const int32_t *map)
{
    if (*v >= 0)
        *v = map[*v];
}

static void syms(clb_idlist *l, const int32_t *map)
{
    for (uint32_t i = 0; i < l->n; i++)
        l->v[i] = map[l->v[i]];
    clb__sort_unique_int32(l->v, l->n);
}

static void where(clb_where_list *w, const int32_t *map)
{
    if (w->present)
        syms(&w->syms, map);
}

/* Every symbol field of the scenario through map (old id -> new id). */
static void renumber_symbols(clb_scenario *s, const int32_t *map)
{
    if (s->policy.has_allowed_countries)
        syms(&s->policy.allowed_countries, map);
    for (size_t i = 0; i < s->n_workers; i++) {
        clb_worker_rec *w = &s->workers[i];
        sym(&w->sym, map);
        sym(&w->country, map);
        sym(&w->region, map);
        sym(&w->last_employer, map);
        syms(&w->languages, map);
        syms(&w->skills, map);
        syms(&w->trainings, map);
        for (uint32_t k = 0; k < w->n_prefs; k++) /* an order of preference: kept */
            sym(&w->prefs[k].sym, map);
        for (uint32_t k = 0; k < w->n_excludes; k++)
            sym(&w->excludes[k].sym, map);
    }
    for (size_t i = 0; i < s->n_employers; i++) {
        clb_employer_rec *e = &s->employers[i];
        sym(&e->sym, map);
        sym(&e->region, map);
        sym(&e->association, map);
    }
    for (size_t i = 0; i < s->n_sites; i++) {
        sym(&s->sites[i].sym, map);
        sym(&s->sites[i].region, map);
    }
    for (size_t i = 0; i < s->n_vacancies; i++) {
        clb_vacancy_rec *v = &s->vacancies[i];
        sym(&v->sym, map);
        sym(&v->sector, map);
        sym(&v->occupation, map);
        syms(&v->req_skills, map);
        syms(&v->req_trainings, map);
        syms(&v->req_languages, map);
    }
    for (size_t i = 0; i < s->n_quotas; i++) {
        clb_quota_rec *q = &s->quotas[i];
        sym(&q->sym, map);
        where(&q->origin_country, map);
        where(&q->origin_region, map);
        where(&q->dest_region, map);
        where(&q->sector, map);
        where(&q->employer, map);
        where(&q->association, map);
        where(&q->occupation, map);
        where(&q->sex, map);
    }
    for (size_t i = 0; i < s->n_sessions; i++) {
        clb_session_rec *k = &s->sessions[i];
        sym(&k->sym, map);
        sym(&k->course, map);
        sym(&k->country, map);
        sym(&k->region, map);
    }
    for (size_t i = 0; i < s->n_programmes; i++) {
        clb_programme_rec *r = &s->programmes[i];
        sym(&r->sym, map);
        sym(&r->country, map);
        sym(&r->region, map);
    }
}

/* ---- records ------------------------------------------------------------------ */

/* Sort the n records of arr by id: the permutation into n2o (new -> old) and o2n
   (old -> new), then the records moved. */
#define SORT_BY_ID(arr, n, o2n)                                                       \
    do {                                                                              \
        for (size_t i_ = 0; i_ < (n); i_++)                                           \
            t[i_] = (keyed){(arr)[i_].sym, (uint32_t)i_};                             \
        finish_order(t, (n), n2o, (o2n));                                             \
        if (permute((arr), (n), sizeof(*(arr)), n2o) < 0)                             \
            goto oom;                                                                 \
    } while (0)

static int cmp_pair_rec(const void *a, const void *b)
{
    const clb_pair_rec *x = a, *y = b;
    if (x->worker != y->worker)
        return x->worker < y->worker ? -1 : 1;
    return (x->vacancy > y->vacancy) - (x->vacancy < y->vacancy);
}

static int cmp_score_rec(const void *a, const void *b)
{
    const clb_score_rec *x = a, *y = b;
    if (x->worker != y->worker)
        return x->worker < y->worker ? -1 : 1;
    return (x->vacancy > y->vacancy) - (x->vacancy < y->vacancy);
}

static int cmp_previous_rec(const void *a, const void *b)
{
    const clb_previous_rec *x = a, *y = b;
    if (x->worker != y->worker)
        return x->worker < y->worker ? -1 : 1;
    return (x->vacancy > y->vacancy) - (x->vacancy < y->vacancy);
}

/* A ban given twice is kept twice (read.c): equal bans are equal bytes, so their
   order does not matter. */
static int cmp_ban_rec(const void *a, const void *b)
{
    const clb_ban_rec *x = a, *y = b;
    if (x->worker != y->worker)
        return x->worker < y->worker ? -1 : 1;
    if (x->vacancy != y->vacancy)
        return x->vacancy < y->vacancy ? -1 : 1;
    return (x->employer > y->employer) - (x->employer < y->employer);
}

/* The by-symbol map of a kind rebuilt from its records. */
static int remap(clb_intmap *map, const int32_t *sym_of, size_t stride, size_t n)
{
    clb__intmap_dispose(map);
    clb__intmap_init(map);
    for (size_t i = 0; i < n; i++) {
        int32_t k = *(const int32_t *)(const void *)((const char *)sym_of + i * stride);
        if (clb__intmap_put(map, k, (int32_t)i) < 0)
            return CLB_ENOMEM;
    }
    return 0;
}

#define REMAP(map, arr, n) remap((map), (n) ? &(arr)[0].sym : NULL, sizeof(*(arr)), (n))

int clb__scenario_canonicalize(clb_scenario *s)
{
    size_t most = s->n_workers;
    int32_t *symmap = NULL;
    keyed *t = NULL;
    uint32_t *w_new = NULL, *e_new = NULL, *st_new = NULL, *v_new = NULL, *n2o = NULL;
    uint32_t *scratch = NULL; /* old -> new of the kinds nothing refers to */
    int error = 0;

    if (s->n_employers > most)
        most = s->n_employers;
    if (s->n_sites > most)
        most = s->n_sites;
    if (s->n_vacancies > most)
        most = s->n_vacancies;
    if (s->n_quotas > most)
        most = s->n_quotas;
    if (s->n_sessions > most)
        most = s->n_sessions;
    if (s->n_programmes > most)
        most = s->n_programmes;
    symmap = clb__malloc((s->syms.count + 1) * sizeof(*symmap));
    t = clb__malloc((most + 1) * sizeof(*t));
    n2o = clb__malloc((most + 1) * sizeof(*n2o));
    scratch = clb__malloc((most + 1) * sizeof(*scratch));
    w_new = clb__malloc((s->n_workers + 1) * sizeof(*w_new));
    e_new = clb__malloc((s->n_employers + 1) * sizeof(*e_new));
    st_new = clb__malloc((s->n_sites + 1) * sizeof(*st_new));
    v_new = clb__malloc((s->n_vacancies + 1) * sizeof(*v_new));
    if (!symmap || !t || !n2o || !scratch || !w_new || !e_new || !st_new || !v_new)
        goto oom;

    /* symbols first: afterwards a record's id symbol orders it */
    if (clb__strtab_sort(&s->syms, symmap) < 0)
        goto oom;
    renumber_symbols(s, symmap);

    SORT_BY_ID(s->quotas, s->n_quotas, scratch);
    SORT_BY_ID(s->sessions, s->n_sessions, scratch);
    SORT_BY_ID(s->programmes, s->n_programmes, scratch);
    SORT_BY_ID(s->workers, s->n_workers, w_new);
    SORT_BY_ID(s->vacancies, s->n_vacancies, v_new);
    SORT_BY_ID(s->employers, s->n_employers, e_new);

    /* sites: grouped by employer in the new order, each employer's by id */
    {
        size_t k = 0;
        for (size_t e = 0; e < s->n_employers; e++) {
            clb_employer_rec *er = &s->employers[e];
            size_t k0 = k;
            for (uint32_t j = 0; j < er->site_count; j++, k++)
                t[k] = (keyed){((int64_t)e << 32) | (uint32_t)s->sites[er->site_first + j].sym,
                               er->site_first + j};
            er->site_first = (uint32_t)k0;
        }
        if (k != s->n_sites) {
            error = CLB_EINTERNAL;
            goto done;
        }
        finish_order(t, s->n_sites, n2o, st_new);
        if (permute(s->sites, s->n_sites, sizeof(*s->sites), n2o) < 0)
            goto oom;
        for (size_t i = 0; i < s->n_sites; i++)
            s->sites[i].employer = e_new[s->sites[i].employer];
    }

    /* references by index */
    for (size_t i = 0; i < s->n_vacancies; i++) {
        clb_vacancy_rec *v = &s->vacancies[i];
        v->employer = e_new[v->employer];
        v->site = st_new[v->site];
        for (uint32_t k = 0; k < v->n_named; k++)
            v->named[k] = w_new[v->named[k]];
        clb__sort_unique_int32((int32_t *)(void *)v->named, v->n_named);
    }
    for (size_t i = 0; i < s->n_scores; i++) {
        s->scores[i].worker = w_new[s->scores[i].worker];
        s->scores[i].vacancy = v_new[s->scores[i].vacancy];
    }
    for (size_t i = 0; i < s->n_pins; i++) {
        s->pins[i].worker = w_new[s->pins[i].worker];
        s->pins[i].vacancy = v_new[s->pins[i].vacancy];
    }
    for (size_t i = 0; i < s->n_bans; i++) {
        clb_ban_rec *b = &s->bans[i];
        b->worker = w_new[b->worker];
        if (b->vacancy >= 0)
            b->vacancy = (int32_t)v_new[b->vacancy];
        if (b->employer >= 0)
            b->employer = (int32_t)e_new[b->employer];
    }
    for (size_t i = 0; i < s->n_previous; i++) {
        s->previous[i].worker = w_new[s->previous[i].worker];
        s->previous[i].vacancy = v_new[s->previous[i].vacancy];
    }
    if (s->n_scores)
        qsort(s->scores, s->n_scores, sizeof(*s->scores), cmp_score_rec);
    if (s->n_pins)
        qsort(s->pins, s->n_pins, sizeof(*s->pins), cmp_pair_rec);
    if (s->n_bans)
        qsort(s->bans, s->n_bans, sizeof(*s->bans), cmp_ban_rec);
    if (s->n_previous)
        qsort(s->previous, s->n_previous, sizeof(*s->previous), cmp_previous_rec);

    /* the id maps */
    if (REMAP(&s->worker_by_sym, s->workers, s->n_workers) < 0 ||
        REMAP(&s->employer_by_sym, s->employers, s->n_employers) < 0 ||
        REMAP(&s->site_by_sym, s->sites, s->n_sites) < 0 ||
        REMAP(&s->vacancy_by_sym, s->vacancies, s->n_vacancies) < 0 ||
        REMAP(&s->quota_by_sym, s->quotas, s->n_quotas) < 0 ||
        REMAP(&s->session_by_sym, s->sessions, s->n_sessions) < 0 ||
        REMAP(&s->programme_by_sym, s->programmes, s->n_programmes) < 0)
        goto oom;
    goto done;
oom:
    error = CLB_ENOMEM;
done:
    clb__free(symmap);
    clb__free(t);
    clb__free(n2o);
    clb__free(scratch);
    clb__free(w_new);
    clb__free(e_new);
    clb__free(st_new);
    clb__free(v_new);
    return error;
}
