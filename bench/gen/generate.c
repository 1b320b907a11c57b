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
 */
#include "generate.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "util/alloc.h"

/* ---- the random number generator ----------------------------------------------- */

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Streams: one per kind of record, and within it one per record index. */
enum {
    STREAM_EMPLOYER = 1,
    STREAM_VACANCY,
    STREAM_WORKER,
    STREAM_SESSION,
    STREAM_PROGRAMME,
    STREAM_VACANCY_SKILL,
    STREAM_WORKER_SKILL,
    STREAM_WORKER_PREFS,
    STREAM_BEDS,
    STREAM_NAMED,
    STREAM_QUOTA,
    STREAM_SCORE,
    STREAM_BAN
};

static void rng_seed(rng *r, uint64_t seed, uint64_t stream, uint64_t index)
{
    uint64_t x = seed;
    x ^= splitmix64(&(uint64_t){stream * 0xD1B54A32D192ED03ull});
    x ^= splitmix64(&(uint64_t){index * 0x8CB92BA72F3D8DD7ull + stream});
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256** 1.0 (Blackman and Vigna). */
static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, 1). */
static double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform integer in [lo, hi] (hi >= lo). */
static int rng_int(rng *r, int lo, int hi)
{
    uint64_t span = (uint64_t)((int64_t)hi - lo + 1);
    return lo + (int)(((rng_next(r) >> 32) * span) >> 32);
}

/* Uniform index in [0, n), n >= 1, for counts beyond int. */
static size_t rng_index(rng *r, size_t n)
{
    return (size_t)(rng_unit(r) * (double)n) % n;
}

static bool rng_chance(rng *r, double p)
{
    return rng_unit(r) < p;
}

static double rng_range(rng *r, double lo, double hi)
{
    return lo + (hi - lo) * rng_unit(r);
}

/* Index drawn with probability proportional to w[i] (sum > 0). */
static int rng_weighted(rng *r, const double *w, int n)
{
    double sum = 0, x;
    for (int i = 0; i < n; i++)
        sum += w[i];
    x = rng_unit(r) * sum;
    for (int i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    for (int i = n - 1; i > 0; i--)
        if (w[i] > 0)
            return i;
    return 0;
}

/* ---- the world the scenarios are drawn from -------------------------------------- */

#define YEAR 2026
#define MIN_AGE 18
#define MAX_STAY_DAYS 270
#define MIN_GAP_DAYS 7
#define MIN_HOME_DAYS 30
#define MAX_PLACEMENTS 2
#define MIN_OFFER_SIZE 5
#define TRAINING_LEAD_DAYS 3
#define REINTEGRATION_WINDOW_DAYS 60

enum { SEC_BERRIES, SEC_CITRUS, SEC_STONE, SEC_VEGETABLES, SEC_OLIVES, N_SECTORS };

static const char *const sector_names[N_SECTORS] = {"berries", "citrus", "stone-fruit",
                                                    "vegetables", "olives"};

/* Crops and tasks make the specialisation skills ("strawberry-harvest"). */
static const char *const crops[N_SECTORS][8] = {
    {"strawberry", "raspberry", "blueberry", "blackberry"},
    {"orange", "mandarin", "lemon", "grapefruit"},
    {"peach", "nectarine", "apricot", "cherry", "plum", "flat-peach"},
    {"tomato", "pepper", "cucumber", "courgette", "melon", "watermelon", "lettuce",
     "broccoli"},
    {"table-olive", "oil-olive"}};
static const int n_crops[N_SECTORS] = {4, 4, 6, 8, 2};
static const char *const tasks[] = {"harvest",  "planting", "pruning",    "packing",
                                    "thinning", "grading",  "irrigation", "greenhouse",
                                    "spraying", "grafting", "loading",    "weeding"};
#define N_TASKS ((int)(sizeof(tasks) / sizeof(tasks[0])))

typedef struct province_def {
    const char *code;
    const char *city;
    double weight;
    double sector[N_SECTORS];
    const char *association[2];
} province_def;

/* Destination provinces (NUTS-3), in the order sizes add them. */
static const province_def provinces[] = {
    {"ES615", "Huelva", 4.0, {.70, .15, 0, .10, .05}, {"huelva-growers", "huelva-coops"}},
    {"ES618", "Sevilla", 2.0, {.05, .35, .15, .15, .30}, {"sevilla-growers", "sevilla-coops"}},
    {"ES611", "Almería", 2.5, {0, .05, 0, .90, .05}, {"almeria-growers", "almeria-coops"}},
    {"ES512", "Girona", 1.2, {.05, 0, .60, .35, 0}, {"girona-growers", "girona-coops"}},
    {"ES243", "Zaragoza", 1.2, {0, 0, .70, .20, .10}, {"aragon-growers", "aragon-coops"}},
    {"ES616", "Jaén", 1.5, {0, 0, .10, .05, .85}, {"jaen-growers", "jaen-coops"}},
};
#define N_PROVINCES ((int)(sizeof(provinces) / sizeof(provinces[0])))

enum { C_MA, C_SN, C_MR, N_COUNTRIES };
static const char *const country_codes[N_COUNTRIES] = {"MA", "SN", "MR"};
/* MR is not in the policy's allowed_countries: its workers exercise that rule. */
static const bool country_allowed[N_COUNTRIES] = {true, true, false};

typedef struct origin_def {
    int country;
    const char *region;
    double weight;
} origin_def;

static const origin_def origins[] = {
    {C_MA, "MA-01", 11}, {C_MA, "MA-02", 8},  {C_MA, "MA-03", 12}, {C_MA, "MA-04", 14},
    {C_MA, "MA-05", 10}, {C_MA, "MA-06", 12}, {C_MA, "MA-07", 10}, {C_MA, "MA-08", 6},
    {C_MA, "MA-09", 9},  {C_MA, "MA-10", 4},  {C_MA, "MA-11", 2},  {C_MA, "MA-12", 2},
    {C_SN, "SN-DK", 4},  {C_SN, "SN-TH", 3},  {C_SN, "SN-SL", 2},  {C_SN, "SN-ZG", 2},
    {C_MR, "MR-NKC", 1}};
#define N_ORIGINS ((int)(sizeof(origins) / sizeof(origins[0])))

enum { LANG_AR = 1, LANG_ES = 2, LANG_FR = 4, LANG_WO = 8 };
static const char *const lang_codes[] = {"ar", "es", "fr", "wo"};

enum { COURSE_PHYTO, COURSE_FOOD, COURSE_MACHINERY, N_COURSES };
static const char *const course_names[N_COURSES] = {"phyto-basic", "food-safety",
                                                    "machinery-safety"};
static const char *const course_tags[N_COURSES] = {"PHY", "FOOD", "MACH"};
/* Which course a vacancy of each sector requires, when it requires one. */
static const double course_mix[N_SECTORS][N_COURSES] = {
    {.5, .5, 0}, {.5, .2, .3}, {.4, .3, .3}, {.4, .5, .1}, {.3, .1, .6}};

static const char *const occupations[] = {"isco:9211", "isco:9214", "isco:8341"};

/* Synthetic names, by country and sex (F, M). */
static const char *const first_ma[2][12] = {
    {"Fatima", "Khadija", "Aicha", "Naima", "Malika", "Samira", "Hanane", "Zineb", "Nadia",
     "Latifa", "Saida", "Rachida"},
    {"Mohamed", "Ahmed", "Youssef", "Said", "Hassan", "Mustapha", "Abdelkader", "Rachid",
     "Karim", "Omar", "Driss", "Hamid"}};
static const char *const last_ma[] = {"El Amrani", "Benali",  "Bennani", "Idrissi",
                                      "Alaoui",    "Tazi",    "Berrada", "Ouazzani",
                                      "El Fassi",  "Chraibi", "Lahlou",  "Ziani"};
static const char *const first_sn[2][12] = {
    {"Aminata", "Fatou", "Awa", "Mariama", "Khady", "Ndeye", "Coumba", "Astou", "Binta",
     "Dieynaba", "Rokhaya", "Sokhna"},
    {"Mamadou", "Ousmane", "Cheikh", "Ibrahima", "Moussa", "Abdoulaye", "Modou", "Aliou",
     "Babacar", "Lamine", "Pape", "Samba"}};
static const char *const last_sn[] = {"Diop", "Ndiaye", "Fall", "Sow",   "Ba",   "Diallo",
                                      "Sy",   "Gueye",  "Faye", "Sarr", "Cisse", "Kane"};
static const char *const employer_kinds[] = {"Agrícola", "Cooperativa", "SAT", "Frutas",
                                             "Hortofrutícola"};

/* ---- the records ------------------------------------------------------------------ */

#define MAX_SKILLS 5

typedef struct gworker {
    clb_date birth, from, to, last_return, banned_until;
    int32_t last_employer; /* employer index or -1 */
    uint16_t skills[MAX_SKILLS];
    uint8_t n_skills;
    uint8_t origin;
    char sex;
    uint8_t langs;
    uint8_t trained;       /* bits of completed courses */
    uint8_t campaigns;
    bool returned;
    uint8_t days_abroad;
    int8_t excl_kind;      /* 0 none, 1 sector, 2 destination region */
    uint8_t excl_val;
} gworker;

typedef struct gemployer {
    uint8_t province;
    uint8_t sector;
    uint8_t association; /* 0 or 1 */
    uint8_t kind;
    uint32_t site_first, site_count;
    uint32_t vac_first, vac_count; /* into vac_by_employer */
} gemployer;

typedef struct gsite {
    uint32_t employer;
    uint8_t province;
    uint8_t seq;
    int beds; /* -1 unlimited */
} gsite;

typedef struct gvacancy {
    clb_date start, end;
    uint32_t employer, site;
    int headcount;
    int wage;
    int32_t skill;      /* specialisation skill id or -1 */
    uint32_t named_first;
    uint8_t n_named;
    bool hold_named;
    uint8_t sector;
    uint8_t occupation;
    uint8_t langs;      /* required */
    uint8_t courses;    /* required */
    uint8_t min_campaigns;
} gvacancy;

typedef struct gsession {
    int16_t origin; /* -1: national, open to the whole country */
    uint8_t country, course, seq;
    clb_date start, end;
    int capacity;
    int cost;
} gsession;

typedef struct gprogramme {
    int16_t origin; /* -1: national */
    uint8_t country, seq;
    clb_date start, end;
    int capacity;
} gprogramme;

typedef enum { QK_COUNTRY, QK_PROVINCE, QK_RETURNING, QK_SEX, QK_SECTOR, QK_PHASE,
               QK_ORIGIN, QK_ASSOCIATION } qkind;

typedef struct gquota {
    qkind kind;
    int a, b, c;     /* country / province / sector / phase / origin / association */
    long max;        /* -1 none */
    long min;        /* 0 none */
    bool workers;    /* unit workers */
} gquota;

typedef struct gscore {
    uint32_t worker, vacancy;
    double value;
} gscore;

typedef struct gban {
    uint32_t worker;
    int32_t employer; /* -1 when the ban names a vacancy */
    int32_t vacancy;
} gban;

typedef struct gen {
    const clb_generate_opts *opts;
    clb_date jan1;
    int n_provinces;

    gworker *workers;
    size_t n_workers;
    gemployer *employers;
    size_t n_employers;
    gsite *sites;
    size_t n_sites;
    gvacancy *vacancies;
    size_t n_vacancies;
    uint32_t *vac_by_employer;
    uint32_t *named;
    size_t n_named;
    gsession *sessions;
    size_t n_sessions;
    gprogramme *programmes;
    size_t n_programmes;
    gquota *quotas;
    size_t n_quotas;
    gscore *scores;
    size_t n_scores;
    gban *bans;
    size_t n_bans;

    /* earliest end of a session open to a worker of an origin, per course */
    clb_date first_session_end[N_ORIGINS][N_COURSES];

    /* specialisation skills: sector j owns ids skill_first[j] .. + skill_count[j] */
    int skill_first[N_SECTORS], skill_count[N_SECTORS];
    int n_skills;
    double skill_required;
    double eligible_estimate;
    double sector_share[N_SECTORS]; /* share of vacancies */

    int width_worker, width_vacancy, width_employer;
    size_t slots;
} gen;

static int digits(size_t n)
{
    int d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

static int max_int(int a, int b)
{
    return a > b ? a : b;
}

static long max_long(long a, long b)
{
    return a > b ? a : b;
}

/* ---- employers, sites and vacancies ----------------------------------------------- */

static int make_employers(gen *g, clb_error *err)
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

static int make_vacancies(gen *g, clb_error *err)
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
static void make_beds(gen *g)
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

static int make_workers(gen *g, clb_error *err)
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

static int make_sessions(gen *g, clb_error *err)
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

static int make_programmes(gen *g, clb_error *err)
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

/* ---- eligibility (the generator's own copy of SPEC section 3.1) -------------------- */

static bool has_skill(const gworker *w, int32_t skill)
{
    for (int k = 0; k < w->n_skills; k++)
        if (w->skills[k] == skill)
            return true;
    return false;
}

/* Rules 1-9 and 11 (bans aside); the specialisation skill only when `skills`. */
static bool eligible(const gen *g, const gworker *w, const gvacancy *v, bool skills)
{
    if (!country_allowed[origins[w->origin].country])
        return false;
    if (w->from > v->start || v->end > w->to)
        return false;
    if ((v->langs & ~w->langs) != 0)
        return false;
    if (w->campaigns < v->min_campaigns)
        return false;
    if (w->last_return != CLB_DATE_NONE && v->start < w->last_return + MIN_HOME_DAYS)
        return false;
    if ((int)(v->end - v->start + 1) + w->days_abroad > MAX_STAY_DAYS)
        return false;
    if (w->banned_until != CLB_DATE_NONE && !(w->banned_until < v->start))
        return false;
    if (w->excl_kind == 1 && w->excl_val == v->sector)
        return false;
    if (w->excl_kind == 2 && w->excl_val == g->sites[v->site].province)
        return false;
    for (int c = 0; c < N_COURSES; c++)
        if ((v->courses & ~w->trained & (1u << c)) &&
            !((int64_t)g->first_session_end[w->origin][c] + TRAINING_LEAD_DAYS < v->start))
            return false;
    if (skills && v->skill >= 0 && !has_skill(w, v->skill))
        return false;
    if (clb__date_age(w->birth, v->start) < MIN_AGE)
        return false;
    return true;
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

static void size_skill_pool(gen *g)
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

static void draw_skills(gen *g)
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

static int make_named(gen *g, clb_error *err)
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

static int make_scores_and_bans(gen *g, clb_error *err)
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

/* ---- quotas ------------------------------------------------------------------------ */

static bool is_early(const gen *g, const gvacancy *v)
{
    return v->start <= g->jan1 + 89; /* start by March 31 */
}

static int make_quotas(gen *g, clb_error *err)
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

/* ---- writing ----------------------------------------------------------------------- */

#define FLUSH_SIZE (1u << 20)

typedef struct writer {
    clb_buf *buf;
    clb_buf own;
    clb_write_fn fn;
    void *payload;
    size_t total;
    int rc;
} writer;

static void w_flush(writer *w, bool force)
{
    if (w->rc < 0 || !w->fn || (!force && w->buf->size < FLUSH_SIZE))
        return;
    if (w->buf->size) {
        w->total += w->buf->size;
        w->rc = w->fn(w->buf->ptr, w->buf->size, w->payload);
        clb__buf_clear(w->buf);
    }
}

static void w_puts(writer *w, const char *s)
{
    if (w->rc == 0)
        w->rc = clb__buf_puts(w->buf, s);
}

static void w_printf(writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void w_printf(writer *w, const char *fmt, ...)
{
    va_list ap;
    if (w->rc < 0)
        return;
    va_start(ap, fmt);
    w->rc = clb__buf_vprintf(w->buf, fmt, ap);
    va_end(ap);
}

static void w_str(writer *w, const char *s)
{
    if (w->rc == 0)
        w->rc = clb__buf_put_json_string(w->buf, s);
}

static void w_num(writer *w, double x)
{
    if (w->rc == 0)
        w->rc = clb__buf_put_json_number(w->buf, x);
}

/* ,"key": */
static void w_key(writer *w, const char *key)
{
    w_puts(w, ",\"");
    w_puts(w, key);
    w_puts(w, "\":");
}

static void w_date(writer *w, clb_date d)
{
    char s[16];
    clb__date_format(s, d);
    w_printf(w, "\"%s\"", s);
}

static void w_worker_id(writer *w, const gen *g, size_t i)
{
    w_printf(w, "\"W%0*zu\"", g->width_worker, i + 1);
}

static void w_vacancy_id(writer *w, const gen *g, size_t i)
{
    w_printf(w, "\"V%0*zu\"", g->width_vacancy, i + 1);
}

static void w_employer_id(writer *w, const gen *g, size_t i)
{
    w_printf(w, "\"E%0*zu\"", g->width_employer, i + 1);
}

static void w_site_id(writer *w, const gen *g, const gsite *st)
{
    w_printf(w, "\"E%0*zu-S%d\"", g->width_employer, (size_t)st->employer + 1, st->seq);
}

static void skill_name(char *out, size_t size, const gen *g, int32_t skill)
{
    int j = 0;
    while (j + 1 < N_SECTORS && skill >= g->skill_first[j] + g->skill_count[j])
        j++;
    int k = skill - g->skill_first[j];
    int crop = k % n_crops[j], task = (k / n_crops[j]) % N_TASKS;
    int level = k / (n_crops[j] * N_TASKS);
    if (level)
        snprintf(out, size, "%s-%s-%d", crops[j][crop], tasks[task], level + 1);
    else
        snprintf(out, size, "%s-%s", crops[j][crop], tasks[task]);
}

static void w_langs(writer *w, unsigned mask)
{
    bool first = true;
    w_puts(w, "[");
    for (int b = 0; b < 4; b++) {
        if (!(mask & (1u << b)))
            continue;
        w_puts(w, first ? "" : ",");
        w_str(w, lang_codes[b]);
        first = false;
    }
    w_puts(w, "]");
}

static void w_courses(writer *w, unsigned mask)
{
    bool first = true;
    w_puts(w, "[");
    for (int c = 0; c < N_COURSES; c++) {
        if (!(mask & (1u << c)))
            continue;
        w_puts(w, first ? "" : ",");
        w_str(w, course_names[c]);
        first = false;
    }
    w_puts(w, "]");
}

static void write_policy(writer *w)
{
    w_printf(w,
             "\"policy\":{\"min_age\":%d,\"max_stay_days\":%d,\"min_gap_days\":%d,"
             "\"min_home_days\":%d,\"max_placements\":%d,\"allowed_countries\":[",
             MIN_AGE, MAX_STAY_DAYS, MIN_GAP_DAYS, MIN_HOME_DAYS, MAX_PLACEMENTS);
    for (int c = 0, n = 0; c < N_COUNTRIES; c++)
        if (country_allowed[c]) {
            w_puts(w, n++ ? "," : "");
            w_str(w, country_codes[c]);
        }
    w_printf(w,
             "],\"min_offer_size\":%d,\"training_lead_days\":%d,\"reintegration\":\"reward\","
             "\"reintegration_window_days\":%d,\"tenure_cap\":4}",
             MIN_OFFER_SIZE, TRAINING_LEAD_DAYS, REINTEGRATION_WINDOW_DAYS);
}

static void write_worker(writer *w, const gen *g, size_t i)
{
    const gworker *wk = &g->workers[i];
    const origin_def *o = &origins[wk->origin];
    int female = wk->sex == 'F' ? 0 : 1;
    char skill[64];
    rng r;
    rng_seed(&r, g->opts->seed, STREAM_WORKER_PREFS, i);

    w_puts(w, "{\"id\":");
    w_worker_id(w, g, i);
    w_key(w, "name");
    {
        const char *first, *last;
        if (o->country == C_SN) {
            first = first_sn[female][rng_int(&r, 0, 11)];
            last = last_sn[rng_int(&r, 0, 11)];
        } else {
            first = first_ma[female][rng_int(&r, 0, 11)];
            last = last_ma[rng_int(&r, 0, 11)];
        }
        w_printf(w, "\"%s %s\"", first, last);
    }
    w_key(w, "birth_date");
    w_date(w, wk->birth);
    w_printf(w, ",\"sex\":\"%c\",\"country\":\"%s\",\"region\":\"%s\"", wk->sex,
             country_codes[o->country], o->region);
    w_key(w, "languages");
    w_langs(w, wk->langs);
    w_puts(w, ",\"skills\":[\"isco:9211\"");
    for (int k = 0; k < wk->n_skills; k++) {
        skill_name(skill, sizeof(skill), g, wk->skills[k]);
        w_puts(w, ",");
        w_str(w, skill);
    }
    w_puts(w, "]");
    if (wk->trained) {
        w_key(w, "trainings");
        w_courses(w, wk->trained);
    }
    w_puts(w, ",\"available\":{\"from\":");
    w_date(w, wk->from);
    w_puts(w, ",\"to\":");
    w_date(w, wk->to);
    w_puts(w, "}");

    /* preferences: the last employer first for most returning workers, then a sector
       or a province */
    if (rng_chance(&r, 0.65)) {
        int n = rng_int(&r, 1, 3), written = 0;
        int sector = wk->n_skills ? -1 : rng_int(&r, 0, N_SECTORS - 1);
        int prov = rng_int(&r, 0, g->n_provinces - 1);
        w_key(w, "preferences");
        w_puts(w, "[");
        if (wk->last_employer >= 0 && wk->returned && rng_chance(&r, 0.6)) {
            w_employer_id(w, g, (size_t)wk->last_employer);
            written++;
        }
        if (sector < 0) {
            for (int j = 0; j < N_SECTORS; j++)
                if (wk->skills[0] >= g->skill_first[j] &&
                    wk->skills[0] < g->skill_first[j] + g->skill_count[j])
                    sector = j;
            if (sector < 0)
                sector = 0;
        }
        if (written < n) {
            w_puts(w, written ? "," : "");
            w_printf(w, "\"sector:%s\"", sector_names[sector]);
            written++;
        }
        if (written < n) {
            w_puts(w, ",");
            w_printf(w, "\"region:%s\"", provinces[prov].code);
            written++;
        }
        w_puts(w, "]");
    }
    if (wk->excl_kind == 1)
        w_printf(w, ",\"excludes\":[\"sector:%s\"]", sector_names[wk->excl_val]);
    else if (wk->excl_kind == 2)
        w_printf(w, ",\"excludes\":[\"region:%s\"]", provinces[wk->excl_val].code);

    if (wk->campaigns > 0) {
        w_printf(w, ",\"history\":{\"campaigns\":%d,\"returned\":%s", wk->campaigns,
                 wk->returned ? "true" : "false");
        w_puts(w, ",\"last_employer\":");
        w_employer_id(w, g, (size_t)wk->last_employer);
        w_puts(w, ",\"last_return\":");
        w_date(w, wk->last_return);
        if (wk->days_abroad)
            w_printf(w, ",\"days_abroad\":%d", wk->days_abroad);
        if (wk->banned_until != CLB_DATE_NONE) {
            w_puts(w, ",\"banned_until\":");
            w_date(w, wk->banned_until);
        }
        w_puts(w, "}");
    }
    w_puts(w, "}");
}

static void write_employer(writer *w, const gen *g, size_t e)
{
    const gemployer *em = &g->employers[e];
    const province_def *p = &provinces[em->province];
    w_puts(w, "{\"id\":");
    w_employer_id(w, g, e);
    w_printf(w, ",\"name\":\"%s %s %zu\",\"region\":\"%s\",\"association\":\"%s\",\"sites\":[",
             employer_kinds[em->kind], p->city, e + 1, p->code, p->association[em->association]);
    for (uint32_t k = 0; k < em->site_count; k++) {
        const gsite *st = &g->sites[em->site_first + k];
        w_puts(w, k ? ",{\"id\":" : "{\"id\":");
        w_site_id(w, g, st);
        w_printf(w, ",\"region\":\"%s\"", provinces[st->province].code);
        if (st->beds >= 0)
            w_printf(w, ",\"beds\":%d", st->beds);
        w_puts(w, "}");
    }
    w_puts(w, "]}");
}

static void write_vacancy(writer *w, const gen *g, size_t i)
{
    const gvacancy *v = &g->vacancies[i];
    char skill[64];
    bool any = false;

    w_puts(w, "{\"id\":");
    w_vacancy_id(w, g, i);
    w_puts(w, ",\"employer\":");
    w_employer_id(w, g, v->employer);
    w_puts(w, ",\"site\":");
    w_site_id(w, g, &g->sites[v->site]);
    w_printf(w, ",\"sector\":\"%s\",\"occupation\":\"%s\"", sector_names[v->sector],
             occupations[v->occupation]);
    w_puts(w, ",\"start\":");
    w_date(w, v->start);
    w_puts(w, ",\"end\":");
    w_date(w, v->end);
    w_printf(w, ",\"headcount\":%d", v->headcount);
    w_key(w, "wage_month_eur");
    w_num(w, v->wage);
    if (v->skill >= 0 || v->courses || v->langs || v->min_campaigns) {
        w_puts(w, ",\"requires\":{");
        if (v->skill >= 0) {
            skill_name(skill, sizeof(skill), g, v->skill);
            w_puts(w, "\"skills\":[");
            w_str(w, skill);
            w_puts(w, "]");
            any = true;
        }
        if (v->courses) {
            w_puts(w, any ? ",\"trainings\":" : "\"trainings\":");
            w_courses(w, v->courses);
            any = true;
        }
        if (v->langs) {
            w_puts(w, any ? ",\"languages\":" : "\"languages\":");
            w_langs(w, v->langs);
            any = true;
        }
        if (v->min_campaigns)
            w_printf(w, "%s\"min_campaigns\":%d", any ? "," : "", v->min_campaigns);
        w_puts(w, "}");
    }
    if (v->n_named) {
        w_puts(w, ",\"named\":[");
        for (uint32_t k = 0; k < v->n_named; k++) {
            w_puts(w, k ? "," : "");
            w_worker_id(w, g, g->named[v->named_first + k]);
        }
        w_printf(w, "],\"hold_named\":%s", v->hold_named ? "true" : "false");
    }
    w_puts(w, "}");
}

static void write_quota(writer *w, const gen *g, const gquota *q)
{
    static const char *const phase_tag[2] = {"early", "late"};
    const char *p = provinces[q->a].code;
    w_puts(w, "{\"id\":");
    switch (q->kind) {
    case QK_COUNTRY:
        w_printf(w, "\"Q-%s%s\"", country_codes[q->a], q->workers ? "-workers" : "");
        break;
    case QK_PROVINCE: w_printf(w, "\"Q-%s\"", p); break;
    case QK_RETURNING: w_puts(w, "\"Q-returning\""); break;
    case QK_SEX: w_puts(w, "\"Q-women-workers\""); break;
    case QK_SECTOR: w_printf(w, "\"Q-%s-%s\"", p, sector_names[q->b]); break;
    case QK_PHASE:
        w_printf(w, "\"Q-%s-%s-%s\"", p, sector_names[q->b], phase_tag[q->c]);
        break;
    case QK_ORIGIN: w_printf(w, "\"Q-%s-workers\"", origins[q->a].region); break;
    case QK_ASSOCIATION: w_printf(w, "\"Q-%s\"", provinces[q->a].association[q->b]); break;
    }
    if (q->max >= 0)
        w_printf(w, ",\"max\":%ld", q->max);
    if (q->min > 0)
        w_printf(w, ",\"min\":%ld", q->min);
    w_printf(w, ",\"unit\":\"%s\",\"where\":{", q->workers ? "workers" : "placements");
    switch (q->kind) {
    case QK_COUNTRY: w_printf(w, "\"origin_country\":[\"%s\"]", country_codes[q->a]); break;
    case QK_PROVINCE: w_printf(w, "\"dest_region\":[\"%s\"]", p); break;
    case QK_RETURNING: w_puts(w, "\"returning\":true"); break;
    case QK_SEX: w_puts(w, "\"sex\":[\"F\"]"); break;
    case QK_SECTOR:
        w_printf(w, "\"dest_region\":[\"%s\"],\"sector\":[\"%s\"]", p, sector_names[q->b]);
        break;
    case QK_PHASE:
        w_printf(w, "\"dest_region\":[\"%s\"],\"sector\":[\"%s\"],", p, sector_names[q->b]);
        w_puts(w, "\"start_from\":");
        w_date(w, q->c == 0 ? g->jan1 : g->jan1 + 90);
        w_puts(w, ",\"start_to\":");
        w_date(w, q->c == 0 ? g->jan1 + 89 : g->jan1 + 303);
        break;
    case QK_ORIGIN:
        w_printf(w, "\"origin_country\":[\"%s\"],\"origin_region\":[\"%s\"]",
                 country_codes[origins[q->a].country], origins[q->a].region);
        break;
    case QK_ASSOCIATION:
        w_printf(w, "\"association\":[\"%s\"]", provinces[q->a].association[q->b]);
        break;
    }
    w_puts(w, "}}");
}

static void write_session(writer *w, const gsession *s)
{
    if (s->origin >= 0)
        w_printf(w, "{\"id\":\"T-%s-%s-%d\",\"course\":\"%s\",\"country\":\"%s\",\"region\":\"%s\"",
                 origins[s->origin].region, course_tags[s->course], s->seq,
                 course_names[s->course], country_codes[s->country], origins[s->origin].region);
    else
        w_printf(w, "{\"id\":\"T-%s-%s-%d\",\"course\":\"%s\",\"country\":\"%s\"",
                 country_codes[s->country], course_tags[s->course], s->seq,
                 course_names[s->course], country_codes[s->country]);
    w_puts(w, ",\"start\":");
    w_date(w, s->start);
    w_puts(w, ",\"end\":");
    w_date(w, s->end);
    w_printf(w, ",\"capacity\":%d,\"cost\":", s->capacity);
    w_num(w, s->cost);
    w_puts(w, "}");
}

static void write_programme(writer *w, const gprogramme *p)
{
    if (p->origin >= 0)
        w_printf(w, "{\"id\":\"R-%s-%d\",\"country\":\"%s\",\"region\":\"%s\"",
                 origins[p->origin].region, p->seq, country_codes[p->country],
                 origins[p->origin].region);
    else
        w_printf(w, "{\"id\":\"R-%s-%d\",\"country\":\"%s\"", country_codes[p->country], p->seq,
                 country_codes[p->country]);
    w_puts(w, ",\"start\":");
    w_date(w, p->start);
    w_puts(w, ",\"end\":");
    w_date(w, p->end);
    w_printf(w, ",\"capacity\":%d}", p->capacity);
}

/* Begin an array member of the top-level object: `,\n"key":[\n` */
static void w_array_begin(writer *w, const char *key)
{
    w_printf(w, ",\n\"%s\":[\n", key);
}

static void w_item_sep(writer *w, size_t i)
{
    if (i)
        w_puts(w, ",\n");
    w_flush(w, false);
}

static void write_document(writer *w, const gen *g, const char *name)
{
    w_puts(w, "{\"format\":\"circulab-scenario/1\",\"name\":");
    w_str(w, name);
    /* readers hold JSON integers in int64: a larger seed is written as a string */
    w_printf(w,
             ",\n\"x-generator\":{\"tool\":\"circulab generate\",\"workers\":%zu,"
             "\"vacancies\":%zu,\"seed\":%s%" PRIu64 "%s,\"eligible_per_worker\":",
             g->n_workers, g->n_vacancies, g->opts->seed > INT64_MAX ? "\"" : "",
             g->opts->seed, g->opts->seed > INT64_MAX ? "\"" : "");
    w_num(w, g->opts->eligible_per_worker);
    w_puts(w, "},\n");
    write_policy(w);

    w_array_begin(w, "workers");
    for (size_t i = 0; i < g->n_workers; i++) {
        w_item_sep(w, i);
        write_worker(w, g, i);
    }
    w_puts(w, "]");
    w_array_begin(w, "employers");
    for (size_t i = 0; i < g->n_employers; i++) {
        w_item_sep(w, i);
        write_employer(w, g, i);
    }
    w_puts(w, "]");
    w_array_begin(w, "vacancies");
    for (size_t i = 0; i < g->n_vacancies; i++) {
        w_item_sep(w, i);
        write_vacancy(w, g, i);
    }
    w_puts(w, "]");
    w_array_begin(w, "quotas");
    for (size_t i = 0; i < g->n_quotas; i++) {
        w_item_sep(w, i);
        write_quota(w, g, &g->quotas[i]);
    }
    w_puts(w, "]");
    w_array_begin(w, "sessions");
    for (size_t i = 0; i < g->n_sessions; i++) {
        w_item_sep(w, i);
        write_session(w, &g->sessions[i]);
    }
    w_puts(w, "]");
    w_array_begin(w, "programmes");
    for (size_t i = 0; i < g->n_programmes; i++) {
        w_item_sep(w, i);
        write_programme(w, &g->programmes[i]);
    }
    w_puts(w, "]");
    w_array_begin(w, "scores");
    for (size_t i = 0; i < g->n_scores; i++) {
        w_item_sep(w, i);
        w_puts(w, "{\"worker\":");
        w_worker_id(w, g, g->scores[i].worker);
        w_puts(w, ",\"vacancy\":");
        w_vacancy_id(w, g, g->scores[i].vacancy);
        w_puts(w, ",\"value\":");
        w_num(w, g->scores[i].value);
        w_puts(w, "}");
    }
    w_puts(w, "]");
    w_array_begin(w, "bans");
    for (size_t i = 0; i < g->n_bans; i++) {
        w_item_sep(w, i);
        w_puts(w, "{\"worker\":");
        w_worker_id(w, g, g->bans[i].worker);
        if (g->bans[i].employer >= 0) {
            w_puts(w, ",\"employer\":");
            w_employer_id(w, g, (size_t)g->bans[i].employer);
        } else {
            w_puts(w, ",\"vacancy\":");
            w_vacancy_id(w, g, (size_t)g->bans[i].vacancy);
        }
        w_puts(w, "}");
    }
    w_puts(w, "]}\n");
    w_flush(w, true);
}

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

    if ((error = make_employers(&g, err)) < 0 || (error = make_vacancies(&g, err)) < 0 ||
        (error = make_workers(&g, err)) < 0 || (error = make_sessions(&g, err)) < 0 ||
        (error = make_programmes(&g, err)) < 0)
        goto done;
    g.width_employer = max_int(4, digits(g.n_employers));
    make_beds(&g);
    size_skill_pool(&g);
    draw_skills(&g);
    if ((error = make_named(&g, err)) < 0 || (error = make_scores_and_bans(&g, err)) < 0 ||
        (error = make_quotas(&g, err)) < 0)
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
    write_document(w, &g, name.ptr);
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
