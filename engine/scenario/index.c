/*
 * index.c - the scenario object: its lifetime, its counts, and every lookup of a
 * record's index by its id.
 *
 * Ids map to indices through the interned-symbol maps the reader fills (one per kind
 * of record, scenario_impl.h), so a lookup is two hash probes: the id's symbol, then
 * the record holding it. The reader resolves references through clb__scenario_lookup
 * and the engine's modules find records by id through the functions below.
 */
#include "scenario/scenario_impl.h"

#include "util/alloc.h"

/* ---- lifetime ----------------------------------------------------------------- */

clb_scenario *clb__scenario_new(void)
{
    clb_scenario *s = clb__calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    clb__arena_init(&s->arena);
    clb__strtab_init(&s->syms);
    clb__intmap_init(&s->worker_by_sym);
    clb__intmap_init(&s->employer_by_sym);
    clb__intmap_init(&s->site_by_sym);
    clb__intmap_init(&s->vacancy_by_sym);
    clb__intmap_init(&s->session_by_sym);
    clb__intmap_init(&s->programme_by_sym);
    clb__intmap_init(&s->quota_by_sym);
    clb__policy_defaults(&s->policy);
    s->name = "";
    return s;
}

void clb_scenario_free(clb_scenario *s)
{
    if (!s)
        return;
    clb__arena_dispose(&s->arena);
    clb__strtab_dispose(&s->syms);
    clb__intmap_dispose(&s->worker_by_sym);
    clb__intmap_dispose(&s->employer_by_sym);
    clb__intmap_dispose(&s->site_by_sym);
    clb__intmap_dispose(&s->vacancy_by_sym);
    clb__intmap_dispose(&s->session_by_sym);
    clb__intmap_dispose(&s->programme_by_sym);
    clb__intmap_dispose(&s->quota_by_sym);
    clb__free(s);
}

/* ---- counts and lookups --------------------------------------------------------- */

const char *clb_scenario_name(const clb_scenario *s)
{
    return (s && s->name) ? s->name : "";
}

size_t clb_scenario_count(const clb_scenario *s, clb_kind kind)
{
    if (!s)
        return 0;
    switch (kind) {
    case CLB_KIND_WORKER:
        return s->n_workers;
    case CLB_KIND_EMPLOYER:
        return s->n_employers;
    case CLB_KIND_SITE:
        return s->n_sites;
    case CLB_KIND_VACANCY:
        return s->n_vacancies;
    case CLB_KIND_QUOTA:
        return s->n_quotas;
    case CLB_KIND_SESSION:
        return s->n_sessions;
    case CLB_KIND_PROGRAMME:
        return s->n_programmes;
    }
    return 0;
}

/* Index of the record with id `str` in a by-symbol map, or -1. */
int32_t clb__scenario_lookup(const clb_scenario *s, const clb_intmap *map,
                             const char *str)
{
    int32_t sym = clb__strtab_lookup(&s->syms, str);
    return sym < 0 ? -1 : clb__intmap_get(map, sym);
}

static int32_t index_of(const clb_scenario *s, const clb_intmap *map, const char *id)
{
    return (s && id) ? clb__scenario_lookup(s, map, id) : -1;
}

int32_t clb__scenario_worker_index(const clb_scenario *s, const char *id)
{
    return s ? index_of(s, &s->worker_by_sym, id) : -1;
}

int32_t clb__scenario_vacancy_index(const clb_scenario *s, const char *id)
{
    return s ? index_of(s, &s->vacancy_by_sym, id) : -1;
}

int32_t clb__scenario_employer_index(const clb_scenario *s, const char *id)
{
    return s ? index_of(s, &s->employer_by_sym, id) : -1;
}
