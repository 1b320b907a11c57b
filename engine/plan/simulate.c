/*
 * simulate.c - several seasons in a row, for planners (`circulab simulate`).
 *
 * Each season is a complete scenario document built at the JSON level from the first
 * one (dates moved on by whole years, the worker pool with the history this module
 * keeps) and read by the one scenario reader, so a simulated season is exactly what
 * a planner could have written by hand and validated. The history is rolled forward
 * on the in-memory worker states by the rule of docs/DATABASE.md §6 in
 * rules/history.c, the one the store's season close applies to the database's rows;
 * every placement of the plan is taken as confirmed and departed.
 *
 * Randomness comes from one xorshift64* stream seeded by the caller and drawn in a
 * fixed order (returns in pool order, then new applicants), so the same seed gives
 * the same seasons. The solver itself is deterministic for a given model; a time
 * limit would make it depend on the machine's speed. Every season's solve is bounded
 * (CLB_SIM_TIME_LIMIT_DEFAULT unless the caller says otherwise) so that a
 * simulation always ends; a season stopped by the limit carries that status, so
 * output that could differ from one machine to another is marked, and the figures
 * are reproducible whenever no season is marked.
 *
 * Fairness over seasons (shares by origin region, minimum shares as soft quotas) is
 * fairness.c's; this file calls it once per season, after the season's solve(s).
 */
#include "circulab/simulate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/json.h"
#include "plan/fairness.h"
#include "plan/plan_impl.h"
#include "rules/history.h"
#include "scenario/scenario_impl.h"
#include "util/util.h"
#include "scenario/variant.h"
#include "util/alloc.h"

typedef struct wstate {
    char *id;
    clb_json *profile;   /* the worker record without history (owned) */
    int year_offset;     /* years to add to the profile's birth date (newcomers) */
    /* history (docs/FORMATS.md §2.2) */
    int campaigns;
    bool returned;
    char *last_employer; /* or NULL */
    clb_date last_return;
    int days_abroad;
    clb_date banned_until;
    int seasons_placed;  /* in this simulation */
} wstate;

struct clb_simulation {
    clb_arena arena;
    clb_sim_season *seasons;
    size_t n;
};

void clb_sim_opts_init(clb_sim_opts *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->seasons = 1;
    opts->return_rate = 1.0;
    clb_solve_opts_init(&opts->solve);
    opts->solve.time_limit = CLB_SIM_TIME_LIMIT_DEFAULT;
}

void clb_simulation_free(clb_simulation *sim)
{
    if (!sim)
        return;
    clb__arena_dispose(&sim->arena);
    clb__free(sim->seasons);
    clb__free(sim);
}

size_t clb_simulation_season_count(const clb_simulation *sim)
{
    return sim->n;
}

void clb_simulation_season_get(clb_sim_season *out, const clb_simulation *sim, size_t i)
{
    *out = sim->seasons[i];
}

/* ---- random numbers ------------------------------------------------------------------ */

static uint64_t rng_next(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* Uniform in [0, 1). */
static double rng_uniform(uint64_t *state)
{
    return (double)(rng_next(state) >> 11) * (1.0 / 9007199254740992.0);
}

/* ---- dates in documents ------------------------------------------------------------- */

/* Move the date string member `key` of obj by `years`. Returns 0 or CLB_ENOMEM. */
static int shift_member(clb_json *obj, const char *key, int years)
{
    const char *s = clb__json_string(clb__json_object_get(obj, key));
    clb_date d;
    char text[11];

    if (!s || years == 0 || !clb__date_parse(&d, s))
        return 0;
    clb__date_format(text, clb__history_shift_years(d, years));
    return clb__json_object_set(obj, key, clb__json_new_string(text));
}

/* Move the dates of every record of doc[array] (keys `a` and `b`) by years. */
static int shift_records(clb_json *doc, const char *array, const char *a, const char *b,
                         int years)
{
    clb_json *arr = clb__json_object_get_mut(doc, array);
    for (size_t i = 0; i < clb__json_array_size(arr); i++) {
        clb_json *rec = clb__json_array_get_mut(arr, i);
        if (shift_member(rec, a, years) < 0 || shift_member(rec, b, years) < 0)
            return CLB_ENOMEM;
    }
    return 0;
}

static int shift_quotas(clb_json *doc, int years)
{
    clb_json *arr = clb__json_object_get_mut(doc, "quotas");
    for (size_t i = 0; i < clb__json_array_size(arr); i++) {
        clb_json *where = clb__json_object_get_mut(clb__json_array_get_mut(arr, i), "where");
        if (shift_member(where, "start_from", years) < 0 ||
            shift_member(where, "start_to", years) < 0)
            return CLB_ENOMEM;
    }
    return 0;
}

/* A worker record of the season: the profile with shifted dates and its history. */
static clb_json *worker_record(const wstate *w, int season_years)
{
    clb_json *rec = clb__json_copy(w->profile), *hist = clb__json_new_object();
    clb_json *avail;
    char text[11];
    bool ok = rec && hist;

    avail = rec ? clb__json_object_get_mut(rec, "available") : NULL;
    /* Profiles hold first-season dates; a newcomer's birth date moves with the
     * season they joined, so they arrive as old as the profile's worker did. */
    ok = ok && shift_member(avail, "from", season_years) == 0 &&
         shift_member(avail, "to", season_years) == 0 &&
         shift_member(rec, "birth_date", w->year_offset) == 0;
    ok = ok && clb__json_object_set(hist, "campaigns", clb__json_new_integer(w->campaigns)) == 0;
    ok = ok && clb__json_object_set(hist, "returned", clb__json_new_bool(w->returned)) == 0;
    if (ok && w->last_employer)
        ok = clb__json_object_set(hist, "last_employer",
                                 clb__json_new_string(w->last_employer)) == 0;
    if (ok && w->last_return != CLB_DATE_NONE) {
        clb__date_format(text, w->last_return);
        ok = clb__json_object_set(hist, "last_return", clb__json_new_string(text)) == 0;
    }
    ok = ok && clb__json_object_set(hist, "days_abroad",
                                   clb__json_new_integer(w->days_abroad)) == 0;
    if (ok && w->banned_until != CLB_DATE_NONE) {
        clb__date_format(text, w->banned_until);
        ok = clb__json_object_set(hist, "banned_until", clb__json_new_string(text)) == 0;
    }
    if (ok) {
        ok = clb__json_object_set(rec, "history", hist) == 0;
        hist = NULL;
    }
    clb__json_free(hist);
    if (!ok) {
        clb__json_free(rec);
        return NULL;
    }
    return rec;
}

/* ---- the simulation ------------------------------------------------------------------ */

typedef struct sim_ctx {
    const clb_sim_opts *opts;
    int season;
} sim_ctx;

static void solve_progress(const clb_progress *progress, void *payload)
{
    sim_ctx *c = payload;
    clb_sim_progress p = {c->season, c->opts->seasons, progress, NULL};
    c->opts->progress(&p, c->opts->payload);
}

static double rate_of(const clb_sim_opts *opts, const char *region)
{
    for (size_t i = 0; region && i < opts->n_rates; i++)
        if (strcmp(opts->rates[i].region, region) == 0)
            return opts->rates[i].rate;
    return opts->return_rate;
}

static void wstates_free(wstate *ws, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        clb__free(ws[i].id);
        clb__free(ws[i].last_employer);
        clb__json_free(ws[i].profile);
    }
    clb__free(ws);
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = clb__malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static int cmp_wstate_id(const void *a, const void *b)
{
    return strcmp(((const wstate *)a)->id, ((const wstate *)b)->id);
}

/* Start the states from the first season's scenario (its history as read), the
   workers in id order (as the solve sees them, docs/MODEL.md "Ties"): returns and
   newcomers' profiles are drawn in this order, so a file that lists its workers
   otherwise simulates the same seasons. */
static int init_states(wstate **out, size_t *n_out, const clb_json *doc,
                       const clb_scenario *s)
{
    const clb_json *workers = clb__json_object_get(doc, "workers");
    size_t n = clb__json_array_size(workers);
    wstate *ws = clb__calloc(n + 1, sizeof(*ws));

    if (!ws)
        return CLB_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const clb_json *rec = clb__json_array_get(workers, i);
        const char *id = clb__json_string(clb__json_object_get(rec, "id"));
        int32_t wi = id ? clb__scenario_worker_index(s, id) : -1;
        const clb_worker_rec *w;
        if (wi < 0) {
            wstates_free(ws, i);
            return CLB_EINTERNAL;
        }
        w = &s->workers[wi];
        ws[i].id = dup_str(id);
        ws[i].profile = clb__json_copy(rec);
        if (!ws[i].id || !ws[i].profile) {
            wstates_free(ws, i + 1);
            return CLB_ENOMEM;
        }
        clb__json_object_remove(ws[i].profile, "history");
        ws[i].campaigns = w->campaigns;
        ws[i].returned = w->returned;
        ws[i].last_employer =
            w->last_employer >= 0 ? dup_str(clb_sym(s, w->last_employer)) : NULL;
        ws[i].last_return = w->last_return;
        ws[i].days_abroad = w->days_abroad;
        ws[i].banned_until = w->banned_until;
    }
    qsort(ws, n, sizeof(*ws), cmp_wstate_id); /* ids are unique: no ties */
    *out = ws;
    *n_out = n;
    return 0;
}

/* The document of season t (0-based): base with dates moved, the pool's workers. */
static int season_doc(clb_buf *out, const clb_json *base, const wstate *ws, size_t nw,
                      int t)
{
    clb_json *doc = clb__json_copy(base), *workers = clb__json_new_array();
    int error = 0;

    if (!doc || !workers) {
        error = CLB_ENOMEM;
        goto done;
    }
    if (t > 0) {
        /* The first season's plan (pins, previous) belongs to the first season. */
        clb__json_object_remove(doc, "pins");
        clb__json_object_remove(doc, "previous");
        if ((error = shift_records(doc, "vacancies", "start", "end", t)) < 0 ||
            (error = shift_records(doc, "sessions", "start", "end", t)) < 0 ||
            (error = shift_records(doc, "programmes", "start", "end", t)) < 0 ||
            (error = shift_quotas(doc, t)) < 0)
            goto done;
    }
    for (size_t i = 0; i < nw; i++)
        if ((error = clb__json_array_append(workers, worker_record(&ws[i], t))) < 0)
            goto done;
    error = clb__json_object_set(doc, "workers", workers);
    workers = NULL;
    if (error == 0)
        error = clb__json_save(out, doc, 0);
done:
    clb__json_free(workers);
    clb__json_free(doc);
    return error;
}

/* Add k new applicants, drawn from the first season's profiles, before season t. */
static int add_applicants(wstate **ws, size_t *nw, size_t n_first, long k, int t,
                          uint64_t *rng)
{
    wstate *grown;
    if (k <= 0 || n_first == 0)
        return 0;
    if (!(grown = clb__realloc(*ws, (*nw + (size_t)k + 1) * sizeof(*grown))))
        return CLB_ENOMEM;
    *ws = grown;
    for (long i = 0; i < k; i++) {
        size_t from = (size_t)(rng_next(rng) % n_first);
        wstate *w = &grown[*nw];
        char id[64];
        memset(w, 0, sizeof(*w));
        snprintf(id, sizeof(id), "SIM-S%02d-%05ld", t + 1, i + 1);
        w->id = dup_str(id);
        w->profile = clb__json_copy(grown[from].profile);
        if (!w->id || !w->profile) {
            clb__free(w->id);
            clb__json_free(w->profile);
            return CLB_ENOMEM;
        }
        /* A newcomer is as old in their first season as the profile was in season 1,
         * and brings no personal name. */
        w->year_offset = t;
        clb__json_object_set(w->profile, "id", clb__json_new_string(id));
        clb__json_object_remove(w->profile, "name");
        clb__json_object_remove(w->profile, "preferences");
        w->last_return = CLB_DATE_NONE;
        w->banned_until = CLB_DATE_NONE;
        (*nw)++;
    }
    return 0;
}

/* What every season reads: the options, the first season's document and its name. */
typedef struct sim_input {
    const clb_sim_opts *opts;
    const char *source;
    clb_buf text;    /* the first season's document, variants merged */
    clb_json *base;  /* the same, parsed */
    clb_diags *diags;
} sim_input;

/* Allocate the simulation and read the first season's document (variants merged). */
static int sim_start(clb_simulation **out, sim_input *in, const char *buf, size_t len,
                     clb_error *err)
{
    const clb_sim_opts *opts = in->opts;
    clb_simulation *sim = clb__calloc(1, sizeof(*sim));
    int error;

    *out = sim;
    if (!sim)
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    clb__arena_init(&sim->arena);
    if (opts->seasons < 1 || opts->return_rate < 0 || opts->return_rate > 1)
        return clb__error_set(err, CLB_EINVAL,
                             "simulate: seasons must be at least 1 and the return rate "
                             "within [0, 1]");
    if (!(sim->seasons = clb__calloc((size_t)opts->seasons, sizeof(*sim->seasons))))
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    if ((error = clb__variant_resolve(&in->text, buf, len, in->source, in->diags, err)) < 0 ||
        (error = clb__json_load_buffer(&in->base, in->text.ptr, in->text.size, in->source,
                                       err)) < 0)
        return error;
    return 0;
}

/*
 * The scenario of season t (0-based): new applicants join the pool (later seasons),
 * the season's document is built and read by the one reader, and the first season
 * starts the pool's states.
 */
static int season_scenario(clb_scenario **out, long *joined, clb_buf *doc,
                           const sim_input *in, wstate **ws, size_t *nw, size_t *n_first,
                           uint64_t *rng, int t, const char *label, clb_error *err)
{
    clb_scenario *s = NULL;
    int error;

    *out = NULL;
    if (t > 0) {
        size_t before = *nw;
        if ((error = add_applicants(ws, nw, *n_first, in->opts->new_applicants, t, rng)) <
            0)
            return clb__error_set(err, error, "out of memory");
        *joined = (long)(*nw - before);
    }
    clb__buf_clear(doc);
    if (t == 0)
        error = clb__buf_put(doc, in->text.ptr, in->text.size);
    else
        error = season_doc(doc, in->base, *ws, *nw, t);
    if (error < 0)
        return clb__error_set(err, error, "out of memory building season %d", t + 1);
    if ((error = clb_scenario_load_buffer(&s, doc->ptr, doc->size,
                                          t == 0 ? in->source : label, in->diags, err)) < 0)
        return error;
    if (t == 0) {
        if ((error = init_states(ws, nw, in->base, s)) < 0) {
            clb__error_set(err, error, "cannot read the workers of the first season");
            clb_scenario_free(s);
            return error;
        }
        *n_first = *nw;
    }
    *out = s;
    return 0;
}

/* Solve season t's scenario (progress through the simulation's callback) and its figures. */
static int season_solve(clb_result **r, clb_kpis **k, const clb_scenario *s,
                        const clb_sim_opts *opts, sim_ctx *ctx, int t, const char *label,
                        clb_error *err)
{
    clb_solve_opts sopts = opts->solve;
    int error;

    if (opts->progress) {
        clb_sim_progress p = {t + 1, opts->seasons, NULL, NULL};
        opts->progress(&p, opts->payload);
        sopts.progress = solve_progress;
        sopts.payload = ctx;
    } else {
        sopts.progress = NULL;
    }
    error = clb_solve(r, s, &sopts, err);
    if (error == 0 && clb_result_status(*r) == CLB_STATUS_INFEASIBLE)
        error = clb__error_set(err, CLB_EINFEASIBLE, "season %d is infeasible", t + 1);
    if (error == 0)
        error = clb_kpis_from_result(k, s, *r, label, err);
    return error;
}

/*
 * The season's days (first vacancy start; close = last vacancy end) and its plan per
 * pool state: who went, and their latest placement's end and employer. The three
 * arrays are allocated afresh for the pool as it is this season.
 */
static int season_plan(bool **placed, clb_date **latest_end, uint32_t **latest_emp,
                       clb_date *first, clb_date *close, const clb_scenario *s,
                       const clb_result *r, const wstate *ws, size_t nw, clb_error *err)
{
    size_t *wmap; /* scenario worker index -> state index */

    clb__free(*placed);
    clb__free(*latest_end);
    clb__free(*latest_emp);
    *placed = clb__calloc(nw + 1, sizeof(bool));
    *latest_end = clb__calloc(nw + 1, sizeof(clb_date));
    *latest_emp = clb__calloc(nw + 1, sizeof(uint32_t));
    wmap = clb__calloc(s->n_workers + 1, sizeof(size_t));
    if (!*placed || !*latest_end || !*latest_emp || !wmap) {
        clb__free(wmap);
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < nw; i++) {
        int32_t wi = clb__scenario_worker_index(s, ws[i].id);
        if (wi >= 0)
            wmap[wi] = i;
    }
    for (size_t v = 0; v < s->n_vacancies; v++) {
        if (*first == CLB_DATE_NONE || s->vacancies[v].start < *first)
            *first = s->vacancies[v].start;
        if (*close == CLB_DATE_NONE || s->vacancies[v].end > *close)
            *close = s->vacancies[v].end;
    }
    for (size_t i = 0; i < clb_result_placement_count(r); i++) {
        clb_placement_info info;
        int32_t wi, vi;
        size_t at;
        clb_result_placement_get(&info, r, i);
        wi = clb__scenario_worker_index(s, info.worker);
        vi = clb__scenario_vacancy_index(s, info.vacancy);
        if (wi < 0 || vi < 0)
            continue;
        at = wmap[wi];
        if (!(*placed)[at] || s->vacancies[vi].end > (*latest_end)[at]) {
            (*latest_end)[at] = s->vacancies[vi].end;
            (*latest_emp)[at] = s->vacancies[vi].employer;
        }
        (*placed)[at] = true;
    }
    clb__free(wmap);
    return 0;
}

/*
 * The figures of season t from its key figures: counts, unfilled places by sector
 * (copied into the simulation's arena), and the histogram of seasons placed that
 * the history step fills in (`hist`, in the arena too).
 */
static int season_figures(long **hist, clb_sim_season *ss, clb_simulation *sim,
                          const clb_kpi_summary *m, const clb_result *r, size_t nw,
                          long joined, int t, int seasons, clb_error *err)
{
    clb_kpi_group *unfilled =
        clb__arena_alloc(&sim->arena, (m->n_by_sector + 1) * sizeof(*unfilled));

    *hist = clb__arena_alloc(&sim->arena, ((size_t)seasons + 1) * sizeof(long));
    if (!unfilled || !*hist)
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    for (size_t i = 0; i < m->n_by_sector; i++) {
        unfilled[i] = m->by_sector[i];
        unfilled[i].key = clb__arena_strdup(&sim->arena, m->by_sector[i].key);
        if (!unfilled[i].key)
            return clb__error_set(err, CLB_ENOMEM, "out of memory");
    }
    ss->season = t + 1;
    ss->status = clb_result_status(r);
    ss->pool = (long)nw;
    ss->joined = joined;
    ss->placements = m->placements;
    ss->places = m->places;
    ss->fill_rate = m->fill_rate;
    ss->placed = m->workers_placed;
    ss->unplaced = (long)nw - m->workers_placed;
    ss->placed_returning = m->returning_placed;
    ss->returning_share = m->returning_share;
    ss->objective = m->objective;
    ss->unfilled = unfilled;
    ss->n_unfilled = m->n_by_sector;
    return 0;
}

/*
 * Roll a placed worker's history forward (docs/DATABASE.md §6, the one rule of
 * rules/history.c) as the store's season close does: every placement of the plan is
 * taken as departed; `back` is the draw that says whether the worker returned (then
 * on the end of the latest placement, `end`) or not (a ban from `close`). `employer`
 * is the latest placement's employer.
 */
static int roll_worker(wstate *w, const clb_scenario *s, uint32_t employer, clb_date end,
                       clb_date close, bool back, clb_sim_season *ss, clb_error *err)
{
    clb__history h = {w->campaigns,  w->returned,  w->last_employer,
                      w->last_return, w->days_abroad, w->banned_until};
    clb__season_outcome o = {back, !back, s->employers[employer].id,
                             back ? end : CLB_DATE_NONE};
    char *last;
    clb__history_roll(&h, &o, close, s->policy.no_return_ban_days);
    if (!(last = dup_str(h.last_employer)))
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    clb__free(w->last_employer);
    w->last_employer = last;
    w->campaigns = h.campaigns;
    w->returned = h.returned;
    w->last_return = h.last_return;
    w->days_abroad = h.days_abroad;
    w->banned_until = h.banned_until;
    w->seasons_placed++;
    if (back)
        ss->returned++;
    else
        ss->not_returned++;
    return 0;
}

/*
 * Minimum shares (docs/PLANNERS.md §4): the season's minimums are its shares of the
 * workers the solve just done placed (`share_base`); when that plan falls short of
 * one, the season's document gets the minimums as soft quotas and is solved again,
 * and the new scenario, result and figures replace the first ones. A plan that meets
 * them all is already optimal for the model with the quotas (they cost it nothing,
 * and they only lower other plans' objective), so it stands without a second solve.
 */
static int season_min_shares(clb_scenario **s, clb_result **r, clb_kpis **k, long *mins,
                             clb_sim_season *ss, const clb_buf *doc, const sim_input *in,
                             sim_ctx *ctx, int t, const char *label, clb_error *err)
{
    const clb_sim_min_shares *sh = in->opts->min_shares;
    clb_buf text = CLB_BUF_INIT;
    clb_scenario *s2 = NULL;
    clb_result *r2 = NULL;
    clb_kpis *k2 = NULL;
    int error;

    ss->share_base = clb_kpis_get(*k)->workers_placed;
    clb__fair_minima(mins, sh, ss->share_base);
    if (clb__fair_met(sh, mins, clb_kpis_get(*k)))
        return 0;
    if ((error = clb__fair_add_quotas(&text, doc->ptr, doc->size, label, sh, mins, err)) <
            0 ||
        (error = clb_scenario_load_buffer(&s2, text.ptr, text.size,
                                          t == 0 ? in->source : label, in->diags, err)) < 0 ||
        (error = season_solve(&r2, &k2, s2, in->opts, ctx, t, label, err)) < 0) {
        clb_kpis_free(k2);
        clb_result_free(r2);
        clb_scenario_free(s2);
        clb_buf_dispose(&text);
        return error;
    }
    clb_buf_dispose(&text);
    clb_kpis_free(*k);
    clb_result_free(*r);
    clb_scenario_free(*s);
    *s = s2;
    *r = r2;
    *k = k2;
    ss->share_resolved = true;
    return 0;
}

int clb_simulate(clb_simulation **out, const char *buf, size_t len, const char *source,
                 const clb_sim_opts *opts, clb_diags *diags, clb_error *err)
{
    clb_simulation *sim = NULL;
    sim_input in = {opts, source, CLB_BUF_INIT, NULL, diags};
    clb_buf doc = CLB_BUF_INIT;
    wstate *ws = NULL;
    size_t nw = 0, n_first = 0;
    uint64_t rng = opts->seed * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL;
    bool *placed = NULL;
    clb_date *latest_end = NULL;
    uint32_t *latest_emp = NULL;
    sim_ctx ctx = {opts, 0};
    clb__fair_totals totals = {NULL, 0, 0, 0, 0};
    long *mins = NULL;
    char label[600];
    int error = 0;

    *out = NULL;
    if ((error = sim_start(&sim, &in, buf, len, err)) < 0)
        goto done;
    if (opts->min_shares &&
        !(mins = clb__calloc(opts->min_shares->n + 1, sizeof(*mins)))) {
        error = clb__oom(err);
        goto done;
    }
    if (rng == 0)
        rng = 0x9E3779B97F4A7C15ULL;

    for (int t = 0; t < opts->seasons; t++) {
        clb_scenario *s = NULL;
        clb_result *r = NULL;
        clb_kpis *k = NULL;
        clb_sim_season *ss = &sim->seasons[t];
        clb_date first = CLB_DATE_NONE, close = CLB_DATE_NONE;
        long joined = 0;

        ctx.season = t + 1;
        snprintf(label, sizeof(label), "%s (season %d)", source ? source : "scenario",
                 t + 1);
        if ((error = season_scenario(&s, &joined, &doc, &in, &ws, &nw, &n_first, &rng, t,
                                     label, err)) < 0)
            goto done;
        if (t == 0 && opts->min_shares &&
            (error = clb__fair_check_regions(opts->min_shares, s, err)) < 0) {
            clb_scenario_free(s);
            goto done;
        }
        ss->share_base = -1;
        if ((error = season_solve(&r, &k, s, opts, &ctx, t, label, err)) < 0 ||
            (opts->min_shares && (error = season_min_shares(&s, &r, &k, mins, ss, &doc, &in,
                                                            &ctx, t, label, err)) < 0) ||
            (error = season_plan(&placed, &latest_end, &latest_emp, &first, &close, s, r,
                                 ws, nw, err)) < 0) {
            clb_kpis_free(k);
            clb_result_free(r);
            clb_scenario_free(s);
            goto done;
        }
        if (first != CLB_DATE_NONE)
            clb__date_format(ss->first_day, first);

        {
            const clb_kpi_summary *m = clb_kpis_get(k);
            long *hist = NULL;
            if ((error = season_figures(&hist, ss, sim, m, r, nw, joined, t, opts->seasons,
                                        err)) < 0 ||
                (error = clb__fair_season(ss, &sim->arena, &totals, m, opts->min_shares,
                                          mins, err)) < 0) {
                clb_kpis_free(k);
                clb_result_free(r);
                clb_scenario_free(s);
                goto done;
            }
            for (size_t i = 0; i < nw; i++)
                if (ws[i].banned_until != CLB_DATE_NONE && first != CLB_DATE_NONE &&
                    ws[i].banned_until >= first)
                    ss->banned++;

            /* Roll history forward (docs/DATABASE.md §6), drawing returns in order. */
            for (size_t i = 0; i < nw; i++) {
                wstate *w = &ws[i];
                int32_t wi;
                double rate;
                if (!placed[i])
                    continue;
                wi = clb__scenario_worker_index(s, w->id);
                rate = rate_of(opts, wi >= 0 && s->workers[wi].region >= 0
                                         ? clb_sym(s, s->workers[wi].region)
                                         : NULL);
                if ((error = roll_worker(w, s, latest_emp[i], latest_end[i], close,
                                         rng_uniform(&rng) < rate, ss, err)) < 0)
                    break;
            }
            for (size_t i = 0; i < nw; i++) {
                if (ws[i].seasons_placed > 0) {
                    ss->reached++;
                    hist[ws[i].seasons_placed - 1]++;
                }
            }
            ss->by_seasons = hist;
            ss->n_by_seasons = (size_t)t + 1;
        }
        sim->n = (size_t)t + 1;
        clb_kpis_free(k);
        clb_result_free(r);
        clb_scenario_free(s);
        if (error < 0)
            goto done;
        if (opts->progress) {
            clb_sim_progress p = {t + 1, opts->seasons, NULL, ss};
            opts->progress(&p, opts->payload);
        }
    }
    *out = sim;
    sim = NULL;
done:
    clb_simulation_free(sim);
    wstates_free(ws, nw);
    clb__json_free(in.base);
    clb_buf_dispose(&in.text);
    clb_buf_dispose(&doc);
    clb__free(placed);
    clb__free(latest_end);
    clb__free(latest_emp);
    clb__free(mins);
    clb__fair_totals_dispose(&totals);
    return error;
}

/* A share or index cell: 4 decimals, empty when not defined (NaN). */
static int put_ratio(clb_buf *out, double x)
{
    return isnan(x) ? clb__buf_puts(out, ",") : clb__buf_printf(out, ",%.4f", x);
}

/* The header cells of the fairness columns: `name:region` for every region. */
static int put_region_headers(clb_buf *out, const clb_sim_season *last, bool mins)
{
    static const char *const names[] = {"applicants",
                                        "placed",
                                        "applicant_share",
                                        "placed_share",
                                        "total_applicant_share",
                                        "total_placed_share",
                                        "min",
                                        "shortfall"};
    size_t n = mins ? 8 : 6;
    int rc = clb__buf_puts(out, ",balance_index,total_balance_index");
    if (rc == 0 && mins)
        rc = clb__buf_puts(out, ",share_base,share_resolved");
    for (size_t k = 0; rc == 0 && k < n; k++)
        for (size_t i = 0; rc == 0 && i < last->n_regions; i++) {
            clb_buf name = CLB_BUF_INIT;
            rc = clb__buf_printf(&name, "%s:%s", names[k],
                                 last->regions[i].region[0] ? last->regions[i].region
                                                            : "(none)");
            if (rc == 0)
                rc = clb__buf_put(out, ",", 1);
            if (rc == 0)
                rc = clb__buf_put_csv_cell(out, name.ptr);
            clb_buf_dispose(&name);
        }
    return rc;
}

/* The fairness cells of season s, in the columns of put_region_headers. */
static int put_region_cells(clb_buf *out, const clb_sim_season *s,
                            const clb_sim_season *last, bool mins)
{
    size_t n = mins ? 8 : 6;
    int rc = put_ratio(out, s->balance_index);
    if (rc == 0)
        rc = put_ratio(out, s->total_balance_index);
    if (rc == 0 && mins)
        rc = clb__buf_printf(out, ",%ld,%d", s->share_base, s->share_resolved ? 1 : 0);
    for (size_t k = 0; rc == 0 && k < n; k++)
        for (size_t i = 0; rc == 0 && i < last->n_regions; i++) {
            const clb_sim_region *r = NULL;
            for (size_t j = 0; j < s->n_regions && !r; j++)
                if (strcmp(s->regions[j].region, last->regions[i].region) == 0)
                    r = &s->regions[j];
            if (!r) {
                rc = clb__buf_puts(out, k == 0 || k == 1 || k >= 6 ? ",0" : ",");
                continue;
            }
            switch (k) {
            case 0: rc = clb__buf_printf(out, ",%ld", r->applicants); break;
            case 1: rc = clb__buf_printf(out, ",%ld", r->placed); break;
            case 2: rc = put_ratio(out, r->applicant_share); break;
            case 3: rc = put_ratio(out, r->placed_share); break;
            case 4: rc = put_ratio(out, r->total_applicant_share); break;
            case 5: rc = put_ratio(out, r->total_placed_share); break;
            case 6: rc = clb__buf_printf(out, ",%ld", r->min); break;
            default: rc = clb__buf_printf(out, ",%ld", r->shortfall); break;
            }
        }
    return rc;
}

int clb_simulation_render_csv(clb_buf *out, const clb_simulation *sim, clb_error *err)
{
    size_t maxk = 0;
    const clb_sim_season *last;
    int rc = 0;

    if (sim->n == 0)
        return 0;
    last = &sim->seasons[sim->n - 1];
    maxk = last->n_by_seasons;
    rc = clb__buf_puts(out, "season,solve,first_day,pool,joined,banned,places,placements,"
                           "fill_rate,placed,unplaced,returning_share,returned,"
                           "not_returned,reached");
    for (size_t k = 1; rc == 0 && k <= maxk; k++)
        rc = clb__buf_printf(out, ",seasons_%zu", k);
    /* Sectors: those of the first season (every season offers the same vacancies). */
    for (size_t i = 0; rc == 0 && i < sim->seasons[0].n_unfilled; i++) {
        clb_buf name = CLB_BUF_INIT;
        rc = clb__buf_printf(&name, "unfilled:%s",
                            sim->seasons[0].unfilled[i].key[0]
                                ? sim->seasons[0].unfilled[i].key
                                : "(none)");
        if (rc == 0)
            rc = clb__buf_put(out, ",", 1);
        if (rc == 0)
            rc = clb__buf_put_csv_cell(out, name.ptr);
        clb_buf_dispose(&name);
    }
    if (rc == 0)
        rc = put_region_headers(out, last, last->share_base >= 0);
    if (rc == 0)
        rc = clb__buf_puts(out, "\r\n");
    for (size_t t = 0; rc == 0 && t < sim->n; t++) {
        const clb_sim_season *s = &sim->seasons[t];
        rc = clb__buf_printf(out, "%d,%s,%s,%ld,%ld,%ld,%ld,%ld,%.4f,%ld,%ld,%.4f,%ld,%ld,%ld",
                            s->season, clb_status_name(s->status), s->first_day, s->pool, s->joined, s->banned,
                            s->places, s->placements, s->fill_rate, s->placed,
                            s->unplaced, s->returning_share, s->returned,
                            s->not_returned, s->reached);
        for (size_t k = 0; rc == 0 && k < maxk; k++)
            rc = clb__buf_printf(out, ",%ld", k < s->n_by_seasons ? s->by_seasons[k] : 0L);
        for (size_t i = 0; rc == 0 && i < sim->seasons[0].n_unfilled; i++) {
            long unfilled = 0;
            for (size_t j = 0; j < s->n_unfilled; j++)
                if (strcmp(s->unfilled[j].key, sim->seasons[0].unfilled[i].key) == 0)
                    unfilled = s->unfilled[j].places - s->unfilled[j].filled;
            rc = clb__buf_printf(out, ",%ld", unfilled);
        }
        if (rc == 0)
            rc = put_region_cells(out, s, last, last->share_base >= 0);
        if (rc == 0)
            rc = clb__buf_puts(out, "\r\n");
    }
    if (rc < 0)
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    return 0;
}
