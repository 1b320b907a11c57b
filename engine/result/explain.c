/*
 * explain.c - why a worker is unplaced or a vacancy unfilled, over a scenario and a
 * plan.
 *
 * Eligibility is decided rule by rule (docs/MODEL.md §3.1), so a failed rule is a fact.
 * For an eligible pair left out of the plan the hard limits of docs/MODEL.md §3.3-3.6 are
 * checked one by one against the plan as it stands: the vacancy full (with the values of
 * the workers who hold it), a quota at its max, the site's beds taken, every timely
 * training session full, the stay limit or an overlapping placement of the worker,
 * no reintegration seat. Each limit found binding is a true reason: adding the pair
 * to the plan would break it. When none binds, the pair was left out by the
 * objective (the optimum is better without it), and the answer says so.
 *
 * The answer is data (clb_explanation, explain.h): the sentences and the records
 * each reason names, which the command line lays out as text or JSON. Everything
 * it holds is copied into its own arena, so it outlives the scenario it was drawn
 * from (a database round's inputs are read, explained and released).
 */
#include "result/explain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/eligibility.h"
#include "util/alloc.h"

/* ---- the plan, indexed ------------------------------------------------------------ */

typedef struct ctx {
    const clb_scenario *s;
    const clb_plan *p;
    long round;       /* for the text; 0 when the plan is not a database round */
    int *filled;      /* per vacancy */
    int *unnamed;     /* per vacancy: placements of workers it does not name */
    long *q_count;    /* per quota */
    int *ses_load;    /* per session */
    int *prog_load;   /* per programme */
} ctx;

static void ctx_dispose(ctx *c)
{
    clb__free(c->filled);
    clb__free(c->unnamed);
    clb__free(c->q_count);
    clb__free(c->ses_load);
    clb__free(c->prog_load);
}

static bool worker_matches_quota(const ctx *c, uint32_t q, uint32_t w)
{
    for (size_t i = 0; i < c->p->n_placements; i++)
        if (c->p->placements[i].worker == w &&
            clb__quota_matches(c->s, &c->s->quotas[q], w, c->p->placements[i].other))
            return true;
    return false;
}

static int ctx_init(ctx *c, const clb_scenario *s, const clb_plan *p, long round)
{
    memset(c, 0, sizeof(*c));
    c->s = s;
    c->p = p;
    c->round = round;
    c->filled = clb__calloc(s->n_vacancies + 1, sizeof(int));
    c->unnamed = clb__calloc(s->n_vacancies + 1, sizeof(int));
    c->q_count = clb__calloc(s->n_quotas + 1, sizeof(long));
    c->ses_load = clb__calloc(s->n_sessions + 1, sizeof(int));
    c->prog_load = clb__calloc(s->n_programmes + 1, sizeof(int));
    if (!c->filled || !c->unnamed || !c->q_count || !c->ses_load || !c->prog_load)
        return CLB_ENOMEM;
    for (size_t i = 0; i < p->n_placements; i++) {
        c->filled[p->placements[i].other]++;
        if (!clb__vacancy_names(&s->vacancies[p->placements[i].other], p->placements[i].worker))
            c->unnamed[p->placements[i].other]++;
    }
    for (size_t q = 0; q < s->n_quotas; q++) {
        if (s->quotas[q].unit == CLB_UNIT_PLACEMENTS) {
            for (size_t i = 0; i < p->n_placements; i++)
                if (clb__quota_matches(s, &s->quotas[q], p->placements[i].worker, p->placements[i].other))
                    c->q_count[q]++;
        } else {
            for (uint32_t w = 0; w < s->n_workers; w++)
                if (worker_matches_quota(c, (uint32_t)q, w))
                    c->q_count[q]++;
        }
    }
    for (size_t i = 0; i < p->n_training; i++)
        c->ses_load[p->training[i].other]++;
    for (size_t i = 0; i < p->n_enrolments; i++)
        c->prog_load[p->enrolments[i].other]++;
    return 0;
}

static bool is_placed(const ctx *c, uint32_t w, uint32_t v)
{
    for (size_t i = 0; i < c->p->n_placements; i++)
        if (c->p->placements[i].worker == w && c->p->placements[i].other == v)
            return true;
    return false;
}

static void date_str(char out[16], clb_date d)
{
    if (d == CLB_DATE_NONE)
        snprintf(out, 16, "(none)");
    else
        clb__date_format(out, d);
}

/* ---- failed eligibility rules ------------------------------------------------------- */

/* One sentence on why rule `bit` fails for (w, v), into msg. */
static void rule_sentence(clb_buf *msg, const clb_scenario *s, uint32_t wi, uint32_t vi,
                          unsigned bit)
{
    const clb_worker_rec *w = &s->workers[wi];
    const clb_vacancy_rec *v = &s->vacancies[vi];
    const clb_policy *p = &s->policy;
    char a[16], b[16], c[16], d[16];

    date_str(a, v->start);
    date_str(b, v->end);
    switch (bit) {
    case CLB_RULE_AGE:
        clb__buf_printf(msg, "%s is %d on %s, below min_age %d", w->id,
                       clb__date_age(w->birth, v->start), a, p->min_age);
        break;
    case CLB_RULE_COUNTRY:
        clb__buf_printf(msg, "%s's country %s is not in allowed_countries", w->id,
                       clb_sym(s, w->country));
        break;
    case CLB_RULE_AVAILABILITY:
        if (w->forgotten) {
            clb__buf_printf(msg, "%s was forgotten: the personal data was erased and the "
                                 "worker is placed no more", w->id);
            break;
        }
        date_str(c, w->avail_from);
        date_str(d, w->avail_to);
        clb__buf_printf(msg, "%s is available %s..%s, the vacancy runs %s..%s", w->id, c, d,
                       a, b);
        break;
    case CLB_RULE_SKILLS: {
        bool first = true;
        clb__buf_printf(msg, "%s lacks", w->id);
        for (uint32_t i = 0; i < v->req_skills.n; i++)
            if (!clb__sorted_contains(w->skills.v, w->skills.n, v->req_skills.v[i])) {
                clb__buf_printf(msg, "%s skill %s", first ? "" : ",",
                               clb_sym(s, v->req_skills.v[i]));
                first = false;
            }
        for (uint32_t i = 0; i < v->req_languages.n; i++)
            if (!clb__sorted_contains(w->languages.v, w->languages.n, v->req_languages.v[i])) {
                clb__buf_printf(msg, "%s language %s", first ? "" : ",",
                               clb_sym(s, v->req_languages.v[i]));
                first = false;
            }
        break;
    }
    case CLB_RULE_EXPERIENCE:
        clb__buf_printf(msg, "%s has %d campaign%s, the vacancy requires %d", w->id,
                       w->campaigns, w->campaigns == 1 ? "" : "s", v->min_campaigns);
        break;
    case CLB_RULE_TRAINING: {
        bool first = true;
        clb__buf_printf(msg, "%s has not completed", w->id);
        for (uint32_t i = 0; i < v->req_trainings.n; i++) {
            int32_t course = v->req_trainings.v[i];
            bool reach = false;
            if (clb__sorted_contains(w->trainings.v, w->trainings.n, course))
                continue;
            for (size_t k = 0; k < s->n_sessions; k++)
                if (s->sessions[k].course == course &&
                    clb__session_is_open_to(&s->sessions[k], w) &&
                    s->sessions[k].end + p->training_lead_days < v->start)
                    reach = true;
            if (!reach) {
                clb__buf_printf(msg, "%s %s", first ? "" : ",", clb_sym(s, course));
                first = false;
            }
        }
        clb__buf_printf(msg, " and no session open to them ends %d full days before %s",
                       p->training_lead_days, a);
        break;
    }
    case CLB_RULE_HOME_TIME:
        date_str(c, w->last_return);
        clb__buf_printf(msg, "%s returned on %s and must stay home %d days, past %s", w->id,
                       c, p->min_home_days, a);
        break;
    case CLB_RULE_STAY:
        clb__buf_printf(msg, "%d days here plus %d days abroad exceed max_stay_days %d",
                       clb_vacancy_days(v), w->days_abroad, p->max_stay_days);
        break;
    case CLB_RULE_BANNED:
        date_str(c, w->banned_until);
        clb__buf_printf(msg, "%s is banned until %s (the vacancy starts %s)", w->id, c, a);
        break;
    case CLB_RULE_BAN:
        clb__buf_printf(msg, "a ban forbids %s at %s", w->id, v->id);
        break;
    case CLB_RULE_EXCLUDED:
        clb__buf_printf(msg, "%s excludes this vacancy (employer, sector or region)", w->id);
        break;
    default: break;
    }
}

/* ---- what held an eligible pair out ------------------------------------------------ */

typedef struct ranked {
    uint32_t w;
    double value;
} ranked;

/*
 * One reason while it is being found: the sentence, and the record it names (borrowed
 * from the scenario) for the reasons that name one.
 */
typedef struct reason {
    const char *code;
    clb_buf msg;
    const char *other, *quota, *site, *course;
    bool has_value;
    double value;     /* vacancy_full: the worker's value here */
    ranked *holders;  /* vacancy_full: who holds the vacancy, highest value first */
    size_t n_holders;
} reason;

typedef struct reasons {
    reason r[12];
    size_t n;
} reasons;

static reason *add_reason(reasons *rs, const char *code)
{
    reason *r;
    if (rs->n >= sizeof(rs->r) / sizeof(rs->r[0]))
        return NULL;
    r = &rs->r[rs->n++];
    memset(r, 0, sizeof(*r));
    r->code = code;
    clb__buf_put(&r->msg, "", 0);
    return r;
}

static void reasons_dispose(reasons *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        clb_buf_dispose(&rs->r[i].msg);
        clb__free(rs->r[i].holders);
    }
    rs->n = 0;
}

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    return x->value > y->value ? -1 : x->value < y->value ? 1 : 0;
}

/* Most beds taken at site `site` on any day of [from, to]. */
static int peak_occupancy(const ctx *c, uint32_t site, clb_date from, clb_date to)
{
    int peak = 0;
    for (clb_date d = from; d <= to; d++) {
        int n = 0;
        for (size_t i = 0; i < c->p->n_placements; i++) {
            const clb_vacancy_rec *u = &c->s->vacancies[c->p->placements[i].other];
            if (u->site == site && u->start <= d && d <= u->end)
                n++;
        }
        if (n > peak)
            peak = n;
    }
    return peak;
}

/*
 * The worker's own placements: an overlap (or too short a gap), the stay limit,
 * max_placements. Leaves the end of the worker's latest placement (or of v) in
 * `last_end`, for the reintegration window.
 */
static void held_by_own_placements(reasons *rs, const ctx *c, uint32_t wi, uint32_t vi,
                                   clb_date *last_end)
{
    const clb_scenario *s = c->s;
    const clb_worker_rec *w = &s->workers[wi];
    const clb_vacancy_rec *v = &s->vacancies[vi];
    const clb_policy *p = &s->policy;
    int days = w->days_abroad + clb_vacancy_days(v), count = 0;
    reason *r;

    *last_end = v->end;
    for (size_t i = 0; i < c->p->n_placements; i++) {
        const clb_vacancy_rec *u;
        if (c->p->placements[i].worker != wi)
            continue;
        u = &s->vacancies[c->p->placements[i].other];
        days += clb_vacancy_days(u);
        count++;
        if (u->end > *last_end)
            *last_end = u->end;
        bool apart = (u->start >= v->end + 1 + p->min_gap_days) ||
                     (v->start >= u->end + 1 + p->min_gap_days);
        if (!apart && (r = add_reason(rs, "conflict"))) {
            char a[16], b[16];
            date_str(a, u->start);
            date_str(b, u->end);
            clb__buf_printf(&r->msg,
                           "%s is placed on %s (%s..%s, value %.10g), which overlaps this "
                           "vacancy or leaves less than min_gap_days %d",
                           w->id, u->id, a, b,
                           clb__placement_value(s, wi, c->p->placements[i].other), p->min_gap_days);
            r->other = u->id;
        }
    }
    if (count > 0 && days > p->max_stay_days && (r = add_reason(rs, "stay_limit")))
        clb__buf_printf(&r->msg,
                       "with the placements %s already has, %d days abroad would exceed "
                       "max_stay_days %d",
                       w->id, days, p->max_stay_days);
    if (p->max_placements > 0 && count >= p->max_placements &&
        (r = add_reason(rs, "max_placements")))
        clb__buf_printf(&r->msg, "%s already has %d placement%s, the most max_placements allows",
                       w->id, count, count == 1 ? "" : "s");
}

/* The vacancy full (or its places not held for named workers), naming who holds it. */
static void held_by_vacancy_full(reasons *rs, const ctx *c, uint32_t wi, uint32_t vi,
                                 double value)
{
    const clb_scenario *s = c->s;
    const clb_worker_rec *w = &s->workers[wi];
    const clb_vacancy_rec *v = &s->vacancies[vi];
    bool named = clb__vacancy_names(v, wi);
    int cap = v->headcount;
    int used = c->filled[vi];
    reason *r;

    if (v->hold_named && !named) {
        int room = v->headcount - (int)v->n_named;
        cap = room > 0 ? room : 0;
        used = c->unnamed[vi];
    }
    if (used >= cap && (r = add_reason(rs, "vacancy_full"))) {
        ranked *holders = clb__malloc((c->p->n_placements + 1) * sizeof(*holders));
        size_t nh = 0, higher = 0, as_high = 0;
        for (size_t i = 0; holders && i < c->p->n_placements; i++)
            if (c->p->placements[i].other == vi) {
                holders[nh].w = c->p->placements[i].worker;
                holders[nh].value = clb__placement_value(s, c->p->placements[i].worker, vi);
                if (holders[nh].value > value)
                    higher++;
                if (holders[nh].value >= value)
                    as_high++;
                nh++;
            }
        if (holders)
            qsort(holders, nh, sizeof(*holders), cmp_ranked);
        clb__buf_printf(&r->msg, "%s is full (%d of %d%s) with %s: ", v->id, used, cap,
                       v->hold_named && !named ? " places not held for named workers" : "",
                       higher == nh    ? "higher-valued workers"
                       : as_high == nh ? "workers valued as much or more"
                                       : "these workers");
        r->has_value = true;
        r->value = value;
        for (size_t i = 0; holders && i < nh; i++)
            clb__buf_printf(&r->msg, "%s%s %.10g", i ? ", " : "", s->workers[holders[i].w].id,
                           holders[i].value);
        clb__buf_printf(&r->msg, "; %s would be worth %.10g here", w->id, value);
        r->holders = holders;
        r->n_holders = holders ? nh : 0;
    }
}

/* Quotas at their max that one more placement of the worker would break. */
static void held_by_quotas(reasons *rs, const ctx *c, uint32_t wi, uint32_t vi)
{
    const clb_scenario *s = c->s;
    reason *r;

    for (size_t q = 0; q < s->n_quotas; q++) {
        const clb_quota_rec *qr = &s->quotas[q];
        if (qr->max < 0 || !clb__quota_matches(s, qr, wi, vi))
            continue;
        if (qr->unit == CLB_UNIT_WORKERS && worker_matches_quota(c, (uint32_t)q, wi))
            continue; /* the worker counts already: one more placement adds nothing */
        if (c->q_count[q] >= qr->max && (r = add_reason(rs, "quota_max"))) {
            clb__buf_printf(&r->msg, "quota %s is at its max (%ld of %ld %s)", qr->id,
                           c->q_count[q], qr->max,
                           qr->unit == CLB_UNIT_WORKERS ? "workers" : "placements");
            r->quota = qr->id;
        }
    }
}

/* The site's beds taken on some day of the vacancy. */
static void held_by_housing(reasons *rs, const ctx *c, uint32_t vi)
{
    const clb_vacancy_rec *v = &c->s->vacancies[vi];
    const clb_site_rec *site = &c->s->sites[v->site];
    int peak;
    reason *r;

    if (site->beds >= 0 && (peak = peak_occupancy(c, v->site, v->start, v->end)) >= site->beds &&
        (r = add_reason(rs, "housing_full"))) {
        clb__buf_printf(&r->msg,
                       "site %s has %d bed%s and %d are taken on some day of the vacancy",
                       site->id, site->beds, site->beds == 1 ? "" : "s", peak);
        r->site = site->id;
    }
}

/* A required course the worker lacks whose every timely session open to them is full. */
static void held_by_training(reasons *rs, const ctx *c, uint32_t wi, uint32_t vi)
{
    const clb_scenario *s = c->s;
    const clb_worker_rec *w = &s->workers[wi];
    const clb_vacancy_rec *v = &s->vacancies[vi];
    const clb_policy *p = &s->policy;
    reason *r;

    for (uint32_t i = 0; i < v->req_trainings.n; i++) {
        int32_t course = v->req_trainings.v[i];
        bool has_seat = false, attends = false;
        size_t timely = 0;
        if (clb__sorted_contains(w->trainings.v, w->trainings.n, course))
            continue;
        for (size_t t = 0; t < c->p->n_training; t++)
            if (c->p->training[t].worker == wi &&
                s->sessions[c->p->training[t].other].course == course &&
                s->sessions[c->p->training[t].other].end + p->training_lead_days < v->start)
                attends = true;
        if (attends)
            continue;
        for (size_t k = 0; k < s->n_sessions; k++) {
            const clb_session_rec *ses = &s->sessions[k];
            if (ses->course != course || !clb__session_is_open_to(ses, w) ||
                !(ses->end + p->training_lead_days < v->start))
                continue;
            timely++;
            if (c->ses_load[k] < ses->capacity)
                has_seat = true;
        }
        if (timely && !has_seat && (r = add_reason(rs, "training_full"))) {
            clb__buf_printf(&r->msg,
                           "no seat in time for course %s: every session open to %s that "
                           "ends in time is full (",
                           clb_sym(s, course), w->id);
            bool first = true;
            for (size_t k = 0; k < s->n_sessions; k++) {
                const clb_session_rec *ses = &s->sessions[k];
                if (ses->course == course && clb__session_is_open_to(ses, w) &&
                    ses->end + p->training_lead_days < v->start) {
                    clb__buf_printf(&r->msg, "%s%s %d/%d", first ? "" : ", ", ses->id,
                                   c->ses_load[k], ses->capacity);
                    first = false;
                }
            }
            clb__buf_puts(&r->msg, ")");
            r->course = clb_sym(s, course);
        }
    }
}

/* Reintegration required and no programme seat within the window after `last_end`. */
static void held_by_reintegration(reasons *rs, const ctx *c, uint32_t wi, clb_date last_end)
{
    const clb_scenario *s = c->s;
    const clb_worker_rec *w = &s->workers[wi];
    const clb_policy *p = &s->policy;
    size_t open = 0;
    bool seat = false;
    reason *r;

    if (p->reintegration != CLB_REINT_REQUIRED)
        return;
    for (size_t k = 0; k < s->n_programmes; k++) {
        const clb_programme_rec *pr = &s->programmes[k];
        if (!clb__programme_is_open_to(pr, w) || !(last_end < pr->start) ||
            pr->start > last_end + p->reintegration_window_days)
            continue;
        open++;
        if (c->prog_load[k] < pr->capacity)
            seat = true;
    }
    if (!seat && (r = add_reason(rs, "no_reintegration_seat")))
        clb__buf_printf(&r->msg,
                       open ? "reintegration is required and every programme open to %s "
                              "within %d days of the placement's end is full"
                            : "reintegration is required and no programme is open to %s "
                              "within %d days of the placement's end",
                       w->id, p->reintegration_window_days);
}

/*
 * What held the eligible pair (wi, vi) out of the plan: each hard limit that adding
 * the pair would break, checked one by one, or else the objective's choice.
 */
static void held_out(reasons *rs, const ctx *c, uint32_t wi, uint32_t vi)
{
    const clb_scenario *s = c->s;
    double value = clb__placement_value(s, wi, vi);
    clb_date last_end;
    reason *r;

    held_by_own_placements(rs, c, wi, vi, &last_end);
    held_by_vacancy_full(rs, c, wi, vi, value);
    held_by_quotas(rs, c, wi, vi);
    held_by_housing(rs, c, vi);
    held_by_training(rs, c, wi, vi);
    held_by_reintegration(rs, c, wi, last_end);
    if (rs->n == 0 && (r = add_reason(rs, "objective")))
        clb__buf_printf(&r->msg,
                       "no hard limit held %s out of %s (worth %.10g here): the optimum is "
                       "better without this pair, so it was the objective's choice",
                       s->workers[wi].id, s->vacancies[vi].id, value);
}

/* ---- the explanation ---------------------------------------------------------------- */

struct clb_explanation {
    clb_arena arena;
    clb_explanation_info info;
    int oom; /* an allocation failed while it was built */
};

/* A copy of s in the explanation (NULL stays NULL). */
static const char *keep(clb_explanation *e, const char *s)
{
    char *copy;
    if (!s)
        return NULL;
    if (!(copy = clb__arena_strdup(&e->arena, s)))
        e->oom = CLB_ENOMEM;
    return copy;
}

static void *alloc(clb_explanation *e, size_t n, size_t size)
{
    void *p = clb__arena_alloc(&e->arena, (n + 1) * size);
    if (!p)
        e->oom = CLB_ENOMEM;
    return p;
}

/* The failed eligibility rules of (w, v), each with its sentence. */
static void keep_failed(clb_explain_pair *pair, clb_explanation *e, const clb_scenario *s,
                        uint32_t w, uint32_t v, unsigned mask)
{
    clb_explain_rule *rules = alloc(e, CLB_RULE_COUNT, sizeof(*rules));
    size_t n = 0;

    for (unsigned i = 0; rules && i < CLB_RULE_COUNT; i++) {
        clb_buf msg = CLB_BUF_INIT;
        if (!(mask & (1u << i)))
            continue;
        rule_sentence(&msg, s, w, v, 1u << i);
        rules[n].rule = clb_rule_name(1u << i);
        rules[n].message = keep(e, msg.ptr ? msg.ptr : "");
        n++;
        clb_buf_dispose(&msg);
    }
    pair->failed = rules;
    pair->n_failed = rules ? n : 0;
}

/* The reasons found, copied into the explanation. */
static void keep_reasons(clb_explain_pair *pair, clb_explanation *e, const clb_scenario *s,
                         const reasons *rs)
{
    clb_explain_reason *out = alloc(e, rs->n, sizeof(*out));

    for (size_t i = 0; out && i < rs->n; i++) {
        const reason *r = &rs->r[i];
        clb_explain_value *holders = NULL;
        out[i].reason = r->code;
        out[i].message = keep(e, r->msg.ptr ? r->msg.ptr : "");
        out[i].other = keep(e, r->other);
        out[i].quota = keep(e, r->quota);
        out[i].site = keep(e, r->site);
        out[i].course = keep(e, r->course);
        out[i].has_value = r->has_value;
        out[i].value = r->value;
        if (r->has_value && (holders = alloc(e, r->n_holders, sizeof(*holders)))) {
            for (size_t h = 0; h < r->n_holders; h++) {
                holders[h].id = keep(e, s->workers[r->holders[h].w].id);
                holders[h].value = r->holders[h].value;
            }
            out[i].holders = holders;
            out[i].n_holders = r->n_holders;
        }
    }
    pair->held_out = out;
    pair->n_held_out = out ? rs->n : 0;
}

/* An eligible pair left out: what held it out, into `pair`. */
static void keep_held_out(clb_explain_pair *pair, clb_explanation *e, const ctx *c,
                          uint32_t wi, uint32_t vi)
{
    reasons rs = {.n = 0};
    held_out(&rs, c, wi, vi);
    pair->eligible = true;
    keep_reasons(pair, e, c->s, &rs);
    reasons_dispose(&rs);
}

/* ---- a worker ------------------------------------------------------------------------ */

static void explain_worker(clb_explanation *e, const ctx *c, uint32_t wi)
{
    const clb_scenario *s = c->s;
    clb_explanation_info *info = &e->info;
    clb_explain_value *placed = alloc(e, c->p->n_placements, sizeof(*placed));
    clb_explain_pair *pairs = alloc(e, s->n_vacancies, sizeof(*pairs));

    info->worker = keep(e, s->workers[wi].id);
    info->forgotten = s->workers[wi].forgotten;
    if (!placed || !pairs)
        return;
    for (size_t i = 0; i < c->p->n_placements; i++) {
        if (c->p->placements[i].worker != wi)
            continue;
        placed[info->n_placed].id = keep(e, s->vacancies[c->p->placements[i].other].id);
        placed[info->n_placed++].value =
            clb__placement_value(s, wi, c->p->placements[i].other);
    }
    info->placed = placed;
    for (uint32_t vi = 0; vi < s->n_vacancies; vi++) {
        const clb_vacancy_rec *v = &s->vacancies[vi];
        clb_explain_pair *pair = &pairs[info->n_pairs];
        unsigned mask;
        if (v->withdrawn || is_placed(c, wi, vi))
            continue;
        info->n_pairs++;
        pair->id = keep(e, v->id);
        if ((mask = clb__eligibility_check(s, wi, vi)))
            keep_failed(pair, e, s, wi, vi, mask);
        else
            keep_held_out(pair, e, c, wi, vi);
    }
    info->pairs = pairs;
}

/* ---- a vacancy ---------------------------------------------------------------------- */

static void explain_vacancy(clb_explanation *e, const ctx *c, uint32_t vi)
{
    const clb_scenario *s = c->s;
    const clb_vacancy_rec *v = &s->vacancies[vi];
    clb_explanation_info *info = &e->info;
    unsigned counts[CLB_RULE_COUNT] = {0};
    clb_explain_value *placed = alloc(e, c->p->n_placements, sizeof(*placed));
    clb_explain_pair *pairs = alloc(e, s->n_workers, sizeof(*pairs));
    clb_explain_count *ineligible = alloc(e, CLB_RULE_COUNT, sizeof(*ineligible));

    info->vacancy = keep(e, v->id);
    info->headcount = v->headcount;
    info->filled = c->filled[vi];
    if (!placed || !pairs || !ineligible)
        return;
    for (size_t i = 0; i < c->p->n_placements; i++)
        if (c->p->placements[i].other == vi) {
            uint32_t wi = c->p->placements[i].worker;
            placed[info->n_placed].id = keep(e, s->workers[wi].id);
            placed[info->n_placed++].value = clb__placement_value(s, wi, vi);
        }
    info->placed = placed;
    for (uint32_t wi = 0; wi < s->n_workers; wi++) {
        unsigned mask;
        if (is_placed(c, wi, vi))
            continue;
        if ((mask = clb__eligibility_check(s, wi, vi))) {
            for (unsigned i = 0; i < CLB_RULE_COUNT; i++)
                if (mask & (1u << i))
                    counts[i]++;
            continue;
        }
        pairs[info->n_pairs].id = keep(e, s->workers[wi].id);
        keep_held_out(&pairs[info->n_pairs++], e, c, wi, vi);
    }
    info->pairs = pairs;
    for (unsigned i = 0; i < CLB_RULE_COUNT; i++)
        if (counts[i]) {
            ineligible[info->n_ineligible].rule = clb_rule_name(1u << i);
            ineligible[info->n_ineligible++].count = counts[i];
        }
    info->ineligible = ineligible;
}

int clb__explain_build(clb_explanation **out, const clb_scenario *s, const clb_plan *p,
                       long round, const char *worker, const char *vacancy, clb_error *err)
{
    clb_explanation *e = NULL;
    ctx c;
    int error = 0;

    *out = NULL;
    if ((worker != NULL) == (vacancy != NULL))
        return clb__error_set(err, CLB_EINVAL, "explain needs one worker or one vacancy");
    if (worker && clb__scenario_worker_index(s, worker) < 0)
        return clb__error_set(err, CLB_ENOTFOUND, "worker '%s' is not in the round", worker);
    if (vacancy && clb__scenario_vacancy_index(s, vacancy) < 0)
        return clb__error_set(err, CLB_ENOTFOUND, "vacancy '%s' is not in the round", vacancy);
    if (ctx_init(&c, s, p, round) < 0 || !(e = clb__calloc(1, sizeof(*e)))) {
        ctx_dispose(&c);
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    }
    clb__arena_init(&e->arena);
    e->info.round = round;
    if (worker)
        explain_worker(e, &c, (uint32_t)clb__scenario_worker_index(s, worker));
    else
        explain_vacancy(e, &c, (uint32_t)clb__scenario_vacancy_index(s, vacancy));
    if (e->oom) {
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
        clb_explanation_free(e);
    } else {
        *out = e;
    }
    ctx_dispose(&c);
    return error;
}

int clb_explain_result(clb_explanation **out, const clb_scenario *s, const clb_result *res,
                       const char *worker, const char *vacancy, clb_error *err)
{
    clb_plan p;
    int error;

    *out = NULL;
    if ((error = clb__plan_from_result(&p, s, res, err)) < 0)
        return error;
    error = clb__explain_build(out, s, &p, 0, worker, vacancy, err);
    clb__plan_dispose(&p);
    return error;
}

const clb_explanation_info *clb_explanation_get(const clb_explanation *e)
{
    return &e->info;
}

void clb_explanation_free(clb_explanation *e)
{
    if (!e)
        return;
    clb__arena_dispose(&e->arena);
    clb__free(e);
}
