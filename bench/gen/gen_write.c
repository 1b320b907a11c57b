/*
 * gen_write.c - the generated scenario as text: a circulab-scenario/1 document written
 * by hand, a megabyte at a time, through a buffer or a caller's write function.
 *
 * Names, languages and preferences are drawn here, from each worker's own stream, so the
 * records stay compact (tens of bytes per worker) until the text is produced.
 */
#include "gen_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <inttypes.h>
#include <stdarg.h>
#include "util/alloc.h"

/* ---- writing ----------------------------------------------------------------------- */


void gen_write_flush(writer *w, bool force)
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
    gen_write_flush(w, false);
}

void gen_write_document(writer *w, const gen *g, const char *name)
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
    gen_write_flush(w, true);
}
