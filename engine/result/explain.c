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
 */
#include "result/explain.h"

#include <stdarg.h>
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

/* ---- output helpers ---------------------------------------------------------------- */

typedef struct out {
    clb_buf *b;
    bool json;
    int rc;
} out_t;

static void put(out_t *o, const char *s)
{
    if (o->rc == 0)
        o->rc = clb__buf_puts(o->b, s);
}

static void putf(out_t *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(out_t *o, const char *fmt, ...)
{
    va_list ap;
    if (o->rc)
        return;
    va_start(ap, fmt);
    o->rc = clb__buf_vprintf(o->b, fmt, ap);
    va_end(ap);
}

static void put_jstr(out_t *o, const char *s)
{
    if (o->rc == 0)
        o->rc = clb__buf_put_json_string(o->b, s);
}

static void put_jnum(out_t *o, double x)
{
    if (o->rc == 0)
        o->rc = clb__buf_put_json_number(o->b, x);
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

typedef struct reason {
    const char *code;
    clb_buf msg;
    clb_buf extra; /* extra JSON members (",\"k\":v..."), may be empty */
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
    clb__buf_put(&r->extra, "", 0);
    return r;
}

static void reasons_dispose(reasons *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        clb_buf_dispose(&rs->r[i].msg);
        clb_buf_dispose(&rs->r[i].extra);
    }
    rs->n = 0;
}

typedef struct ranked {
    uint32_t w;
    double value;
} ranked;

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

static void held_out(reasons *rs, const ctx *c, uint32_t wi, uint32_t vi)
{
    const clb_scenario *s = c->s;
    const clb_worker_rec *w = &s->workers[wi];
    const clb_vacancy_rec *v = &s->vacancies[vi];
    const clb_policy *p = &s->policy;
    double value = clb__placement_value(s, wi, vi);
    int days = w->days_abroad + clb_vacancy_days(v), count = 0;
    clb_date last_end = v->end;
    reason *r;

    /* the worker's own placements: overlap, stay, max_placements */
    for (size_t i = 0; i < c->p->n_placements; i++) {
        const clb_vacancy_rec *u;
        if (c->p->placements[i].worker != wi)
            continue;
        u = &s->vacancies[c->p->placements[i].other];
        days += clb_vacancy_days(u);
        count++;
        if (u->end > last_end)
            last_end = u->end;
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
            clb__buf_puts(&r->extra, ",\"other\":");
            clb__buf_put_json_string(&r->extra, u->id);
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

    /* the vacancy full */
    {
        bool named = clb__vacancy_names(v, wi);
        int cap = v->headcount;
        int used = c->filled[vi];
        if (v->hold_named && !named) {
            int room = v->headcount - (int)v->n_named;
            cap = room > 0 ? room : 0;
            used = c->unnamed[vi];
        }
        if (used >= cap && (r = add_reason(rs, "vacancy_full"))) {
            ranked *holders = clb__malloc((c->p->n_placements + 1) * sizeof(*holders));
            size_t nh = 0, higher = 0;
            for (size_t i = 0; holders && i < c->p->n_placements; i++)
                if (c->p->placements[i].other == vi) {
                    holders[nh].w = c->p->placements[i].worker;
                    holders[nh].value = clb__placement_value(s, c->p->placements[i].worker, vi);
                    if (holders[nh].value >= value)
                        higher++;
                    nh++;
                }
            if (holders)
                qsort(holders, nh, sizeof(*holders), cmp_ranked);
            clb__buf_printf(&r->msg, "%s is full (%d of %d%s) with %s: ", v->id, used, cap,
                           v->hold_named && !named ? " places not held for named workers" : "",
                           higher == nh ? "higher-valued workers" : "these workers");
            clb__buf_puts(&r->extra, ",\"value\":");
            clb__buf_put_json_number(&r->extra, value);
            clb__buf_puts(&r->extra, ",\"holders\":[");
            for (size_t i = 0; holders && i < nh; i++) {
                clb__buf_printf(&r->msg, "%s%s %.10g", i ? ", " : "", s->workers[holders[i].w].id,
                               holders[i].value);
                clb__buf_printf(&r->extra, "%s{\"worker\":", i ? "," : "");
                clb__buf_put_json_string(&r->extra, s->workers[holders[i].w].id);
                clb__buf_puts(&r->extra, ",\"value\":");
                clb__buf_put_json_number(&r->extra, holders[i].value);
                clb__buf_puts(&r->extra, "}");
            }
            clb__buf_puts(&r->extra, "]");
            clb__buf_printf(&r->msg, "; %s would be worth %.10g here", w->id, value);
            clb__free(holders);
        }
    }

    /* quotas at their max */
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
            clb__buf_puts(&r->extra, ",\"quota\":");
            clb__buf_put_json_string(&r->extra, qr->id);
        }
    }

    /* housing */
    {
        const clb_site_rec *site = &s->sites[v->site];
        int peak;
        if (site->beds >= 0 &&
            (peak = peak_occupancy(c, v->site, v->start, v->end)) >= site->beds &&
            (r = add_reason(rs, "housing_full"))) {
            clb__buf_printf(&r->msg,
                           "site %s has %d bed%s and %d are taken on some day of the vacancy",
                           site->id, site->beds, site->beds == 1 ? "" : "s", peak);
            clb__buf_puts(&r->extra, ",\"site\":");
            clb__buf_put_json_string(&r->extra, site->id);
        }
    }

    /* training seats in time */
    for (uint32_t i = 0; i < v->req_trainings.n; i++) {
        int32_t course = v->req_trainings.v[i];
        bool has_seat = false, attends = false;
        size_t timely = 0;
        if (clb__sorted_contains(w->trainings.v, w->trainings.n, course))
            continue;
        for (size_t t = 0; t < c->p->n_training; t++)
            if (c->p->training[t].worker == wi && s->sessions[c->p->training[t].other].course == course &&
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
            clb__buf_puts(&r->extra, ",\"course\":");
            clb__buf_put_json_string(&r->extra, clb_sym(s, course));
        }
    }

    /* reintegration, when required */
    if (p->reintegration == CLB_REINT_REQUIRED) {
        size_t open = 0;
        bool seat = false;
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

    if (rs->n == 0 && (r = add_reason(rs, "objective")))
        clb__buf_printf(&r->msg,
                       "no hard limit held %s out of %s (worth %.10g here): the optimum is "
                       "better without this pair, so it was the objective's choice",
                       w->id, v->id, value);
}

static void put_reasons_json(out_t *o, const reasons *rs)
{
    put(o, "[");
    for (size_t i = 0; i < rs->n; i++) {
        putf(o, "%s{\"reason\":", i ? "," : "");
        put_jstr(o, rs->r[i].code);
        put(o, ",\"message\":");
        put_jstr(o, rs->r[i].msg.ptr ? rs->r[i].msg.ptr : "");
        put(o, rs->r[i].extra.ptr ? rs->r[i].extra.ptr : "");
        put(o, "}");
    }
    put(o, "]");
}

static void put_failed_json(out_t *o, const clb_scenario *s, uint32_t w, uint32_t v,
                            unsigned mask)
{
    bool first = true;
    put(o, "[");
    for (unsigned i = 0; i < CLB_RULE_COUNT; i++) {
        clb_buf msg = CLB_BUF_INIT;
        if (!(mask & (1u << i)))
            continue;
        rule_sentence(&msg, s, w, v, 1u << i);
        putf(o, "%s{\"rule\":", first ? "" : ",");
        put_jstr(o, clb_rule_name(1u << i));
        put(o, ",\"message\":");
        put_jstr(o, msg.ptr ? msg.ptr : "");
        put(o, "}");
        clb_buf_dispose(&msg);
        first = false;
    }
    put(o, "]");
}

/* ---- a worker ------------------------------------------------------------------------ */

static void explain_worker(out_t *o, const ctx *c, uint32_t wi)
{
    const clb_scenario *s = c->s;
    const clb_worker_rec *w = &s->workers[wi];
    size_t placed = 0;
    char where[64] = "";

    if (c->round > 0)
        snprintf(where, sizeof(where), " in round %ld", c->round);
    if (o->json) {
        put(o, "{\n  \"worker\": ");
        put_jstr(o, w->id);
        if (c->round > 0)
            putf(o, ",\n  \"round\": %ld", c->round);
        put(o, ",\n  \"placements\": [");
    }
    for (size_t i = 0; i < c->p->n_placements; i++) {
        if (c->p->placements[i].worker != wi)
            continue;
        const clb_vacancy_rec *v = &s->vacancies[c->p->placements[i].other];
        double value = clb__placement_value(s, wi, c->p->placements[i].other);
        if (o->json) {
            putf(o, "%s{\"vacancy\":", placed ? "," : "");
            put_jstr(o, v->id);
            put(o, ",\"value\":");
            put_jnum(o, value);
            put(o, "}");
        } else
            putf(o, "%s is placed on %s%s (value %.10g).\n", w->id, v->id, where, value);
        placed++;
    }
    if (o->json)
        put(o, "],\n  \"vacancies\": [");
    else if (!placed)
        putf(o, "%s is not placed%s.\n", w->id, where);
    size_t shown = 0;
    for (uint32_t vi = 0; vi < s->n_vacancies; vi++) {
        const clb_vacancy_rec *v = &s->vacancies[vi];
        unsigned mask;
        if (v->withdrawn || is_placed(c, wi, vi))
            continue;
        mask = clb__eligibility_check(s, wi, vi);
        if (o->json) {
            put(o, shown++ ? ",\n    {\"vacancy\":" : "\n    {\"vacancy\":");
            put_jstr(o, v->id);
            putf(o, ",\"eligible\":%s", mask ? "false" : "true");
        }
        if (mask) {
            if (o->json) {
                put(o, ",\"failed\":");
                put_failed_json(o, s, wi, vi, mask);
            } else {
                putf(o, "%s: not eligible:", v->id);
                for (unsigned i = 0; i < CLB_RULE_COUNT; i++) {
                    clb_buf msg = CLB_BUF_INIT;
                    if (!(mask & (1u << i)))
                        continue;
                    rule_sentence(&msg, s, wi, vi, 1u << i);
                    putf(o, "\n    [%s] %s", clb_rule_name(1u << i), msg.ptr ? msg.ptr : "");
                    clb_buf_dispose(&msg);
                }
                put(o, "\n");
            }
        } else {
            reasons rs = {.n = 0};
            held_out(&rs, c, wi, vi);
            if (o->json) {
                put(o, ",\"held_out\":");
                put_reasons_json(o, &rs);
            } else {
                putf(o, "%s: eligible, not placed:", v->id);
                for (size_t i = 0; i < rs.n; i++)
                    putf(o, "\n    [%s] %s", rs.r[i].code, rs.r[i].msg.ptr ? rs.r[i].msg.ptr : "");
                put(o, "\n");
            }
            reasons_dispose(&rs);
        }
        if (o->json)
            put(o, "}");
    }
    if (o->json)
        put(o, "\n  ]\n}\n");
}

/* ---- a vacancy ---------------------------------------------------------------------- */

static void explain_vacancy(out_t *o, const ctx *c, uint32_t vi)
{
    const clb_scenario *s = c->s;
    const clb_vacancy_rec *v = &s->vacancies[vi];
    uint32_t counts[CLB_RULE_COUNT] = {0};
    size_t n = 0, ncand = 0;
    char where[64] = "";

    if (c->round > 0)
        snprintf(where, sizeof(where), " in round %ld", c->round);
    if (o->json) {
        put(o, "{\n  \"vacancy\": ");
        put_jstr(o, v->id);
        if (c->round > 0)
            putf(o, ",\n  \"round\": %ld", c->round);
        putf(o, ",\n  \"headcount\": %d,\n  \"filled\": %d,\n  \"placed\": [", v->headcount,
             c->filled[vi]);
    } else
        putf(o, "%s: %d of %d filled%s.\n", v->id, c->filled[vi], v->headcount, where);
    for (size_t i = 0; i < c->p->n_placements; i++)
        if (c->p->placements[i].other == vi) {
            double value = clb__placement_value(s, c->p->placements[i].worker, vi);
            if (o->json) {
                putf(o, "%s{\"worker\":", n ? "," : "");
                put_jstr(o, s->workers[c->p->placements[i].worker].id);
                put(o, ",\"value\":");
                put_jnum(o, value);
                put(o, "}");
            } else
                putf(o, "%s %s %.10g", n ? "," : "placed:", s->workers[c->p->placements[i].worker].id,
                     value);
            n++;
        }
    if (!o->json && n)
        put(o, "\n");
    if (o->json)
        put(o, "],\n  \"candidates\": [");
    else if (c->filled[vi] < v->headcount)
        put(o, "eligible workers not placed here, and what held them out:\n");
    for (uint32_t wi = 0; wi < s->n_workers; wi++) {
        unsigned mask;
        if (is_placed(c, wi, vi))
            continue;
        mask = clb__eligibility_check(s, wi, vi);
        if (mask) {
            for (unsigned i = 0; i < CLB_RULE_COUNT; i++)
                if (mask & (1u << i))
                    counts[i]++;
            continue;
        }
        reasons rs = {.n = 0};
        held_out(&rs, c, wi, vi);
        if (o->json) {
            put(o, ncand ? ",\n    {\"worker\":" : "\n    {\"worker\":");
            put_jstr(o, s->workers[wi].id);
            put(o, ",\"held_out\":");
            put_reasons_json(o, &rs);
            put(o, "}");
        } else if (c->filled[vi] < v->headcount) {
            putf(o, "  %s:", s->workers[wi].id);
            for (size_t i = 0; i < rs.n; i++)
                putf(o, "%s[%s] %s", i ? "\n      " : " ", rs.r[i].code,
                     rs.r[i].msg.ptr ? rs.r[i].msg.ptr : "");
            put(o, "\n");
        }
        ncand++;
        reasons_dispose(&rs);
    }
    if (!o->json && c->filled[vi] < v->headcount && ncand == 0)
        put(o, "  (none: every worker not placed here fails an eligibility rule)\n");
    if (o->json)
        put(o, "\n  ],\n  \"ineligible\": {");
    else
        put(o, "workers failing eligibility rules:");
    {
        bool first = true;
        for (unsigned i = 0; i < CLB_RULE_COUNT; i++) {
            if (!counts[i])
                continue;
            if (o->json) {
                putf(o, "%s", first ? "" : ",");
                put_jstr(o, clb_rule_name(1u << i));
                putf(o, ":%u", counts[i]);
            } else
                putf(o, " %s %u,", clb_rule_name(1u << i), counts[i]);
            first = false;
        }
        if (!o->json && first)
            put(o, " none,");
    }
    if (o->json)
        put(o, "}\n}\n");
    else {
        /* drop the trailing comma */
        if (o->rc == 0 && o->b->size && o->b->ptr[o->b->size - 1] == ',')
            o->b->ptr[--o->b->size] = 0;
        put(o, " (a worker may fail several)\n");
    }
}

int clb__explain_render(clb_buf *out, const clb_scenario *s, const clb_plan *p, long round,
                        const char *worker, const char *vacancy, unsigned flags,
                        clb_error *err)
{
    ctx c;
    out_t o = {out, (flags & CLB_EXPLAIN_JSON) != 0, 0};
    int error = 0;

    if ((worker != NULL) == (vacancy != NULL))
        return clb__error_set(err, CLB_EINVAL, "explain needs one worker or one vacancy");
    if (worker && clb__scenario_worker_index(s, worker) < 0)
        return clb__error_set(err, CLB_ENOTFOUND, "worker '%s' is not in the round", worker);
    if (vacancy && clb__scenario_vacancy_index(s, vacancy) < 0)
        return clb__error_set(err, CLB_ENOTFOUND, "vacancy '%s' is not in the round", vacancy);
    if (ctx_init(&c, s, p, round) < 0) {
        ctx_dispose(&c);
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    }
    if (worker)
        explain_worker(&o, &c, (uint32_t)clb__scenario_worker_index(s, worker));
    else
        explain_vacancy(&o, &c, (uint32_t)clb__scenario_vacancy_index(s, vacancy));
    if (o.rc < 0)
        error = clb__error_set(err, CLB_ENOMEM, "out of memory");
    ctx_dispose(&c);
    return error;
}

int clb_explain_result(clb_buf *out, const clb_scenario *s, const clb_result *res,
                       const char *worker, const char *vacancy, unsigned flags,
                       clb_error *err)
{
    clb_plan p;
    int error;

    if ((error = clb__plan_from_result(&p, s, res, err)) < 0)
        return error;
    error = clb__explain_render(out, s, &p, 0, worker, vacancy, flags, err);
    clb__plan_dispose(&p);
    return error;
}
