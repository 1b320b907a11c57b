/*
 * gen_impl.h - what the files of the scenario generator share: the random number
 * generator, the world the scenarios are drawn from, the compact records, the writer
 * and the steps the driver (generate.c) runs in order.
 *
 * The generator is a tool of this tree (bench/), not part of the shipped library: it
 * links the engine's internal library and applies the engine's eligibility rule
 * (rules/eligibility.h) to its own compact records. The tables are `static const` so
 * that every file reads the same world without a symbol of its own in the program.
 */
#ifndef CLB_GEN_IMPL_H
#define CLB_GEN_IMPL_H

#include "generate.h"

#include <stdbool.h>
#include <stdint.h>

#include "util/util.h"

/* ---- the random number generator ----------------------------------------------- */

typedef struct rng {
    uint64_t s[4];
} rng;

static inline uint64_t splitmix64(uint64_t *x)
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

static inline void rng_seed(rng *r, uint64_t seed, uint64_t stream, uint64_t index)
{
    uint64_t x = seed;
    x ^= splitmix64(&(uint64_t){stream * 0xD1B54A32D192ED03ull});
    x ^= splitmix64(&(uint64_t){index * 0x8CB92BA72F3D8DD7ull + stream});
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256** 1.0 (Blackman and Vigna). */
static inline uint64_t rng_next(rng *r)
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
static inline double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform integer in [lo, hi] (hi >= lo). */
static inline int rng_int(rng *r, int lo, int hi)
{
    uint64_t span = (uint64_t)((int64_t)hi - lo + 1);
    return lo + (int)(((rng_next(r) >> 32) * span) >> 32);
}

/* Uniform index in [0, n), n >= 1, for counts beyond int. */
static inline size_t rng_index(rng *r, size_t n)
{
    return (size_t)(rng_unit(r) * (double)n) % n;
}

static inline bool rng_chance(rng *r, double p)
{
    return rng_unit(r) < p;
}

static inline double rng_range(rng *r, double lo, double hi)
{
    return lo + (hi - lo) * rng_unit(r);
}

/* Index drawn with probability proportional to w[i] (sum > 0). */
static inline int rng_weighted(rng *r, const double *w, int n)
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
    clb_date adult_from; /* first day of MIN_AGE years, for the engine's age rule */
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
static inline int digits(size_t n)
{
    int d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

static inline int max_int(int a, int b)
{
    return a > b ? a : b;
}

static inline long max_long(long a, long b)
{
    return a > b ? a : b;
}

/* ---- the writer (gen_write.c) --------------------------------------------------------- */

#define FLUSH_SIZE (1u << 20)

typedef struct writer {
    clb_buf *buf;
    clb_buf own;
    clb_write_fn fn;
    void *payload;
    size_t total;
    int rc;
} writer;

/* ---- the steps, in the order generate.c runs them ------------------------------------- */

/* gen_records.c: employers, sites, vacancies, beds, workers, sessions, programmes, quotas */
int gen_make_employers(gen *g, clb_error *err);
int gen_make_vacancies(gen *g, clb_error *err);
int gen_make_workers(gen *g, clb_error *err);
int gen_make_sessions(gen *g, clb_error *err);
int gen_make_programmes(gen *g, clb_error *err);
void gen_make_beds(gen *g);
int gen_make_quotas(gen *g, clb_error *err);

/* gen_skills.c: specialisation skills sized to the target, named workers, scores, bans */
void gen_size_skill_pool(gen *g);
void gen_draw_skills(gen *g);
int gen_make_named(gen *g, clb_error *err);
int gen_make_scores_and_bans(gen *g, clb_error *err);

/* gen_write.c: the document, a megabyte at a time */
void gen_write_document(writer *w, const gen *g, const char *name);
void gen_write_flush(writer *w, bool force);

#endif
