/*
 * scenario_impl.h - the in-memory scenario shared by the engine's modules.
 *
 * The reader (read.c) fills it; eligibility, the model, the result writer and the
 * store read it. Every free string of the document (ids, regions, skills, sectors...)
 * is interned in `syms`, so that comparisons are integer comparisons; records point
 * at each other by array index. Everything lives in `arena` and is freed at once.
 *
 * Conventions: an absent optional symbol is -1; an absent date is CLB_DATE_NONE;
 * id lists (clb_idlist) are sorted and free of duplicates.
 */
#ifndef CLB_SCENARIO_IMPL_H
#define CLB_SCENARIO_IMPL_H

#include "circulab/scenario.h"
#include "util/util.h"

typedef struct clb_idlist {
    int32_t *v;
    uint32_t n;
} clb_idlist;

/* An entry of preferences or excludes: an employer id, "sector:S" or "region:R". */
typedef enum { CLB_MATCH_EMPLOYER, CLB_MATCH_SECTOR, CLB_MATCH_REGION } clb_match_kind;
typedef struct clb_match {
    clb_match_kind kind;
    int32_t sym; /* employer id symbol, sector symbol or region symbol */
} clb_match;

typedef enum { CLB_REINT_NONE, CLB_REINT_REWARD, CLB_REINT_REQUIRED } clb_reint_mode;

typedef struct clb_weights {
    double fill, returning, tenure, named, same_employer, preference, score, keep,
        training_cost, quota_shortfall, reintegration;
} clb_weights;

typedef struct clb_policy {
    int min_age;                  /* 18 */
    int max_stay_days;            /* 270 */
    int min_gap_days;             /* 0 */
    int min_home_days;            /* 0 */
    int max_placements;           /* 0 = no limit */
    bool has_allowed_countries;   /* false = all */
    clb_idlist allowed_countries; /* country symbols */
    int min_offer_size;           /* 1 */
    int training_lead_days;       /* 0 */
    clb_reint_mode reintegration; /* none */
    int reintegration_window_days; /* 60 */
    int tenure_cap;               /* 4 */
    int no_return_ban_days;       /* 730 */
    clb_weights weights;
} clb_policy;

typedef struct clb_worker_rec {
    const char *id;
    int32_t sym;            /* symbol of id */
    const char *name;       /* NULL when absent */
    clb_date birth;
    char sex;               /* 'F', 'M', 'X', or 0 when absent */
    int32_t country;        /* symbol */
    int32_t region;         /* symbol or -1 */
    clb_idlist languages, skills, trainings; /* symbols; trainings = completed courses */
    clb_date avail_from, avail_to;
    clb_match *prefs;
    uint32_t n_prefs;
    clb_match *excludes;
    uint32_t n_excludes;
    /* history */
    int campaigns;
    bool returned;
    int32_t last_employer;  /* employer id symbol (may name no employer here) or -1 */
    clb_date last_return;
    int days_abroad;
    clb_date banned_until;
    /* A forgotten worker (docs/DATABASE.md, erasure): only id, country, region and
     * history are known; birth and availability are CLB_DATE_NONE, so the worker is
     * eligible for nothing (the availability rule fails). */
    bool forgotten;
} clb_worker_rec;

typedef struct clb_employer_rec {
    const char *id;
    int32_t sym;
    const char *name;       /* NULL when absent */
    int32_t region;         /* symbol */
    int32_t association;    /* symbol or -1 */
    uint32_t site_first;    /* index of its first site in sites[] */
    uint32_t site_count;    /* >= 1 (an implicit site when the document gives none) */
} clb_employer_rec;

typedef struct clb_site_rec {
    const char *id;
    int32_t sym;
    uint32_t employer;      /* index */
    int32_t region;         /* symbol */
    int beds;               /* -1 = unlimited */
    bool implicit;          /* made for an employer without sites */
} clb_site_rec;

typedef struct clb_vacancy_rec {
    const char *id;
    int32_t sym;
    uint32_t employer;      /* index */
    uint32_t site;          /* index */
    int32_t sector;         /* symbol or -1 */
    int32_t occupation;     /* symbol or -1 */
    clb_date start, end;
    int headcount;
    double wage_month_eur;  /* NAN when absent */
    clb_idlist req_skills, req_trainings, req_languages; /* symbols */
    int min_campaigns;
    uint32_t *named;        /* worker indices of `named` that are workers here, unique */
    uint32_t n_named;
    const char **named_ids; /* every id of `named` as given, for round trips */
    uint32_t n_named_ids;
    bool hold_named;
    bool withdrawn;         /* offers feeds: status "withdrawn" */
} clb_vacancy_rec;

typedef enum { CLB_UNIT_PLACEMENTS, CLB_UNIT_WORKERS } clb_quota_unit;

/* A `where` list key: present or not, with its symbols. */
typedef struct clb_where_list {
    bool present;
    clb_idlist syms;
} clb_where_list;

typedef struct clb_quota_rec {
    const char *id;
    int32_t sym;
    long max;               /* -1 when absent */
    long min;               /* 0 when absent */
    bool has_min;
    clb_quota_unit unit;
    clb_where_list origin_country, origin_region, dest_region, sector, employer,
        association, occupation, sex; /* employer: employer id symbols; sex: "F"/"M"/"X" */
    int returning;          /* -1 absent, 0 false, 1 true */
    clb_date start_from, start_to; /* CLB_DATE_NONE when absent */
} clb_quota_rec;

typedef struct clb_session_rec {
    const char *id;
    int32_t sym;
    int32_t course;         /* symbol */
    int32_t country;        /* symbol */
    int32_t region;         /* symbol or -1 */
    clb_date start, end;
    int capacity;
    double cost;
} clb_session_rec;

typedef struct clb_programme_rec {
    const char *id;
    int32_t sym;
    int32_t country;
    int32_t region;         /* symbol or -1 */
    clb_date start, end;
    int capacity;
} clb_programme_rec;

typedef struct clb_score_rec {
    uint32_t worker, vacancy;
    double value;
} clb_score_rec;

typedef struct clb_pair_rec {
    uint32_t worker, vacancy;
} clb_pair_rec;

typedef struct clb_ban_rec {
    uint32_t worker;
    int32_t vacancy;        /* index, or -1 when the ban names an employer */
    int32_t employer;       /* index, or -1 when the ban names a vacancy */
} clb_ban_rec;

typedef enum { CLB_PREV_PROPOSED, CLB_PREV_CONFIRMED } clb_prev_status;
typedef struct clb_previous_rec {
    uint32_t worker, vacancy;
    clb_prev_status status;
} clb_previous_rec;

struct clb_scenario {
    clb_arena arena;
    clb_strtab syms;
    const char *name;       /* "" when absent */
    clb_policy policy;

    clb_worker_rec *workers;       size_t n_workers;
    clb_employer_rec *employers;   size_t n_employers;
    clb_site_rec *sites;           size_t n_sites;
    clb_vacancy_rec *vacancies;    size_t n_vacancies;
    clb_quota_rec *quotas;         size_t n_quotas;
    clb_session_rec *sessions;     size_t n_sessions;
    clb_programme_rec *programmes; size_t n_programmes;
    clb_score_rec *scores;         size_t n_scores;  /* sorted by (worker, vacancy) */
    clb_pair_rec *pins;            size_t n_pins;
    clb_ban_rec *bans;             size_t n_bans;
    clb_previous_rec *previous;    size_t n_previous;

    /* id symbol -> index, per kind */
    clb_intmap worker_by_sym, employer_by_sym, site_by_sym, vacancy_by_sym,
        session_by_sym, programme_by_sym, quota_by_sym;
};

/* The id rule every input path shares (fields.c): NULL when `id` is a valid id,
 * else a description of what is wrong, written into `why`. */
const char *clb__id_problem(const char *id, char *why, size_t why_size);

/* Default policy of docs/FORMATS.md §2.1 (policy.c). */
void clb__policy_defaults(clb_policy *policy);

/* Does the policy equal the defaults of docs/FORMATS.md §2.1? */
bool clb__policy_is_default(const clb_policy *p);

/* A new empty scenario: default policy, empty maps (index.c). NULL when out of
 * memory. Released with clb_scenario_free. */
clb_scenario *clb__scenario_new(void);

/*
 * Put a read scenario in its canonical order (canon.c): records sorted by id, sites
 * by employer then id, scores, pins, bans and previous entries by their records, and
 * symbols numbered in the strings' byte order. Equal scenarios, whatever the order of
 * their files, then have equal indices and symbols, so the solver's ties fall alike
 * (docs/MODEL.md, "Ties"). Returns 0, CLB_ENOMEM or CLB_EINTERNAL; on failure the
 * scenario is only fit to be freed.
 */
int clb__scenario_canonicalize(clb_scenario *s);

/* Index of the record with id `str` in one of the scenario's by-symbol maps, or -1. */
int32_t clb__scenario_lookup(const clb_scenario *s, const clb_intmap *map,
                             const char *str);

/* Index of a worker / vacancy / employer by id, or -1. */
int32_t clb__scenario_worker_index(const clb_scenario *s, const char *id);
int32_t clb__scenario_vacancy_index(const clb_scenario *s, const char *id);
int32_t clb__scenario_employer_index(const clb_scenario *s, const char *id);

/* Symbol string (borrowed; "" for -1). */
static inline const char *clb_sym(const clb_scenario *s, int32_t sym)
{
    return clb__strtab_get(&s->syms, sym);
}

/* The destination region of a vacancy (its site's region). */
static inline int32_t clb_vacancy_region(const clb_scenario *s, const clb_vacancy_rec *v)
{
    return s->sites[v->site].region;
}

static inline int clb_vacancy_days(const clb_vacancy_rec *v)
{
    return (int)(v->end - v->start + 1);
}

static inline bool clb_worker_is_returning(const clb_worker_rec *w)
{
    return w->campaigns >= 1 && w->returned;
}

#endif
