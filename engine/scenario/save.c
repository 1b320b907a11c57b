/*
 * save.c - a loaded scenario written back as circulab-scenario/1 JSON, one
 * record at a time or whole, and a small scanner over JSON text.
 *
 * The database stores every record as the JSON this module writes (store/records.c),
 * so the writer is canonical: a fixed key order, optional keys left out when they hold
 * their default, integers without a fraction. Reading the text back with the scenario
 * reader gives the same record. The scanner exists so that `import` can add database
 * records to a user's document without a JSON library outside json.c: it only finds
 * where values begin and end, the reader does the validating.
 */
#include "scenario/save.h"

#include <math.h>
#include <string.h>

int clb__buf_put_json_int(clb_buf *buf, long x)
{
    return clb__buf_printf(buf, "%ld", x);
}

/* Appends to `out` while `rc` stays 0; one check at the end of each writer. */
typedef struct writer {
    clb_buf *out;
    int rc;
    bool first; /* no member written yet in the current object */
} writer;

static void w_raw(writer *w, const char *s)
{
    if (w->rc == 0)
        w->rc = clb__buf_puts(w->out, s);
}

static void w_key(writer *w, const char *key)
{
    if (!w->first)
        w_raw(w, ",");
    w->first = false;
    if (w->rc == 0)
        w->rc = clb__buf_put_json_string(w->out, key);
    w_raw(w, ":");
}

static void w_open(writer *w)
{
    w_raw(w, "{");
    w->first = true;
}

static void w_close(writer *w)
{
    w_raw(w, "}");
    w->first = false;
}

static void w_str(writer *w, const char *key, const char *val)
{
    w_key(w, key);
    if (w->rc == 0)
        w->rc = clb__buf_put_json_string(w->out, val);
}

static void w_int(writer *w, const char *key, long val)
{
    w_key(w, key);
    if (w->rc == 0)
        w->rc = clb__buf_put_json_int(w->out, val);
}

static void w_num(writer *w, const char *key, double val)
{
    w_key(w, key);
    if (w->rc == 0)
        w->rc = clb__buf_put_json_number(w->out, val);
}

static void w_bool(writer *w, const char *key, bool val)
{
    w_key(w, key);
    w_raw(w, val ? "true" : "false");
}

static void w_date(writer *w, const char *key, clb_date d)
{
    char tmp[16];
    clb__date_format(tmp, d);
    w_str(w, key, tmp);
}

static void w_sym(writer *w, const clb_scenario *s, const char *key, int32_t sym)
{
    if (sym >= 0)
        w_str(w, key, clb_sym(s, sym));
}

static void w_symlist(writer *w, const clb_scenario *s, const char *key,
                      const int32_t *v, size_t n, bool always)
{
    if (!n && !always)
        return;
    w_key(w, key);
    w_raw(w, "[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            w_raw(w, ",");
        if (w->rc == 0)
            w->rc = clb__buf_put_json_string(w->out, clb_sym(s, v[i]));
    }
    w_raw(w, "]");
}

static void w_idlist(writer *w, const clb_scenario *s, const char *key,
                     const clb_idlist *l)
{
    w_symlist(w, s, key, l->v, l->n, false);
}

static void w_matches(writer *w, const clb_scenario *s, const char *key,
                      const clb_match *m, uint32_t n)
{
    if (!n)
        return;
    w_key(w, key);
    w_raw(w, "[");
    for (uint32_t i = 0; i < n && w->rc == 0; i++) {
        clb_buf tmp = CLB_BUF_INIT;
        const char *prefix = m[i].kind == CLB_MATCH_SECTOR   ? "sector:"
                             : m[i].kind == CLB_MATCH_REGION ? "region:"
                                                             : "";
        if (i)
            w_raw(w, ",");
        w->rc = clb__buf_printf(&tmp, "%s%s", prefix, clb_sym(s, m[i].sym));
        if (w->rc == 0)
            w->rc = clb__buf_put_json_string(w->out, tmp.ptr);
        clb_buf_dispose(&tmp);
    }
    w_raw(w, "]");
}

static int w_done(writer *w)
{
    return w->rc < 0 ? CLB_ENOMEM : 0;
}

int clb__scenario_save_policy(clb_buf *out, const clb_scenario *s)
{
    const clb_policy *p = &s->policy;
    const clb_weights *k = &p->weights;
    writer w = {out, 0, true};
    static const char *const reint[] = {"none", "reward", "required"};

    w_open(&w);
    w_int(&w, "min_age", p->min_age);
    w_int(&w, "max_stay_days", p->max_stay_days);
    w_int(&w, "min_gap_days", p->min_gap_days);
    w_int(&w, "min_home_days", p->min_home_days);
    w_int(&w, "max_placements", p->max_placements);
    if (p->has_allowed_countries)
        w_symlist(&w, s, "allowed_countries", p->allowed_countries.v,
                  p->allowed_countries.n, true);
    w_int(&w, "min_offer_size", p->min_offer_size);
    w_int(&w, "training_lead_days", p->training_lead_days);
    w_str(&w, "reintegration", reint[p->reintegration]);
    w_int(&w, "reintegration_window_days", p->reintegration_window_days);
    w_int(&w, "tenure_cap", p->tenure_cap);
    w_int(&w, "no_return_ban_days", p->no_return_ban_days);
    w_key(&w, "weights");
    w_open(&w);
    w_num(&w, "fill", k->fill);
    w_num(&w, "returning", k->returning);
    w_num(&w, "tenure", k->tenure);
    w_num(&w, "named", k->named);
    w_num(&w, "same_employer", k->same_employer);
    w_num(&w, "preference", k->preference);
    w_num(&w, "score", k->score);
    w_num(&w, "keep", k->keep);
    w_num(&w, "training_cost", k->training_cost);
    w_num(&w, "quota_shortfall", k->quota_shortfall);
    w_num(&w, "reintegration", k->reintegration);
    w_close(&w);
    w_close(&w);
    return w_done(&w);
}

static void w_history(writer *w, const clb_scenario *s, const clb_worker_rec *r)
{
    w_open(w);
    w_int(w, "campaigns", r->campaigns);
    w_bool(w, "returned", r->returned);
    if (r->last_employer >= 0)
        w_str(w, "last_employer", clb_sym(s, r->last_employer));
    if (r->last_return != CLB_DATE_NONE)
        w_date(w, "last_return", r->last_return);
    w_int(w, "days_abroad", r->days_abroad);
    if (r->banned_until != CLB_DATE_NONE)
        w_date(w, "banned_until", r->banned_until);
    w_close(w);
}

int clb__scenario_save_history(clb_buf *out, const clb_scenario *s, size_t i)
{
    writer w = {out, 0, true};
    w_history(&w, s, &s->workers[i]);
    return w_done(&w);
}

int clb__scenario_save_worker(clb_buf *out, const clb_scenario *s, size_t i,
                             unsigned flags)
{
    const clb_worker_rec *r = &s->workers[i];
    writer w = {out, 0, true};
    char sex[2] = {r->sex, 0};

    w_open(&w);
    w_str(&w, "id", r->id);
    if (r->forgotten) { /* the erased record's form: nothing personal to write */
        w_bool(&w, "forgotten", true);
        w_sym(&w, s, "country", r->country);
        w_sym(&w, s, "region", r->region);
        if (flags & CLB_SAVE_HISTORY) {
            w_key(&w, "history");
            w_history(&w, s, r);
        }
        w_close(&w);
        return w_done(&w);
    }
    if ((flags & CLB_SAVE_NAME) && r->name)
        w_str(&w, "name", r->name);
    w_date(&w, "birth_date", r->birth);
    if (r->sex)
        w_str(&w, "sex", sex);
    w_sym(&w, s, "country", r->country);
    w_sym(&w, s, "region", r->region);
    w_idlist(&w, s, "languages", &r->languages);
    w_idlist(&w, s, "skills", &r->skills);
    w_idlist(&w, s, "trainings", &r->trainings);
    w_key(&w, "available");
    w_open(&w);
    w_date(&w, "from", r->avail_from);
    w_date(&w, "to", r->avail_to);
    w_close(&w);
    w_matches(&w, s, "preferences", r->prefs, r->n_prefs);
    w_matches(&w, s, "excludes", r->excludes, r->n_excludes);
    if (flags & CLB_SAVE_HISTORY) {
        w_key(&w, "history");
        w_history(&w, s, r);
    }
    w_close(&w);
    return w_done(&w);
}

int clb__scenario_save_employer(clb_buf *out, const clb_scenario *s, size_t i,
                               unsigned flags)
{
    const clb_employer_rec *e = &s->employers[i];
    writer w = {out, 0, true};
    bool explicit_sites = false;

    (void)flags;
    for (uint32_t k = 0; k < e->site_count; k++)
        if (!s->sites[e->site_first + k].implicit)
            explicit_sites = true;
    w_open(&w);
    w_str(&w, "id", e->id);
    if (e->name)
        w_str(&w, "name", e->name);
    w_sym(&w, s, "region", e->region);
    w_sym(&w, s, "association", e->association);
    if (explicit_sites) {
        w_key(&w, "sites");
        w_raw(&w, "[");
        for (uint32_t k = 0; k < e->site_count; k++) {
            const clb_site_rec *site = &s->sites[e->site_first + k];
            if (k)
                w_raw(&w, ",");
            w_open(&w);
            w_str(&w, "id", site->id);
            w_sym(&w, s, "region", site->region);
            if (site->beds >= 0)
                w_int(&w, "beds", site->beds);
            w_close(&w);
        }
        w_raw(&w, "]");
    }
    w_close(&w);
    return w_done(&w);
}

int clb__scenario_save_vacancy(clb_buf *out, const clb_scenario *s, size_t i)
{
    const clb_vacancy_rec *v = &s->vacancies[i];
    const clb_site_rec *site = &s->sites[v->site];
    writer w = {out, 0, true};

    w_open(&w);
    w_str(&w, "id", v->id);
    w_str(&w, "employer", s->employers[v->employer].id);
    if (!site->implicit)
        w_str(&w, "site", site->id);
    w_sym(&w, s, "sector", v->sector);
    w_sym(&w, s, "occupation", v->occupation);
    w_date(&w, "start", v->start);
    w_date(&w, "end", v->end);
    w_int(&w, "headcount", v->headcount);
    if (!isnan(v->wage_month_eur))
        w_num(&w, "wage_month_eur", v->wage_month_eur);
    if (v->req_skills.n || v->req_trainings.n || v->req_languages.n || v->min_campaigns) {
        w_key(&w, "requires");
        w_open(&w);
        w_idlist(&w, s, "skills", &v->req_skills);
        w_idlist(&w, s, "trainings", &v->req_trainings);
        w_idlist(&w, s, "languages", &v->req_languages);
        if (v->min_campaigns)
            w_int(&w, "min_campaigns", v->min_campaigns);
        w_close(&w);
    }
    if (v->n_named_ids) {
        w_key(&w, "named");
        w_raw(&w, "[");
        for (uint32_t k = 0; k < v->n_named_ids; k++) {
            if (k)
                w_raw(&w, ",");
            if (w.rc == 0)
                w.rc = clb__buf_put_json_string(out, v->named_ids[k]);
        }
        w_raw(&w, "]");
    }
    if (v->hold_named)
        w_bool(&w, "hold_named", true);
    w_close(&w);
    return w_done(&w);
}

static void w_where(writer *w, const clb_scenario *s, const char *key,
                    const clb_where_list *l)
{
    if (l->present)
        w_symlist(w, s, key, l->syms.v, l->syms.n, true);
}

int clb__scenario_save_quota(clb_buf *out, const clb_scenario *s, size_t i)
{
    const clb_quota_rec *q = &s->quotas[i];
    writer w = {out, 0, true};

    w_open(&w);
    w_str(&w, "id", q->id);
    if (q->max >= 0)
        w_int(&w, "max", q->max);
    if (q->has_min)
        w_int(&w, "min", q->min);
    w_str(&w, "unit", q->unit == CLB_UNIT_WORKERS ? "workers" : "placements");
    w_key(&w, "where");
    w_open(&w);
    w_where(&w, s, "origin_country", &q->origin_country);
    w_where(&w, s, "origin_region", &q->origin_region);
    w_where(&w, s, "dest_region", &q->dest_region);
    w_where(&w, s, "sector", &q->sector);
    w_where(&w, s, "employer", &q->employer);
    w_where(&w, s, "association", &q->association);
    w_where(&w, s, "occupation", &q->occupation);
    w_where(&w, s, "sex", &q->sex);
    if (q->returning >= 0)
        w_bool(&w, "returning", q->returning == 1);
    if (q->start_from != CLB_DATE_NONE)
        w_date(&w, "start_from", q->start_from);
    if (q->start_to != CLB_DATE_NONE)
        w_date(&w, "start_to", q->start_to);
    w_close(&w);
    w_close(&w);
    return w_done(&w);
}

int clb__scenario_save_session(clb_buf *out, const clb_scenario *s, size_t i)
{
    const clb_session_rec *k = &s->sessions[i];
    writer w = {out, 0, true};

    w_open(&w);
    w_str(&w, "id", k->id);
    w_sym(&w, s, "course", k->course);
    w_sym(&w, s, "country", k->country);
    w_sym(&w, s, "region", k->region);
    w_date(&w, "start", k->start);
    w_date(&w, "end", k->end);
    w_int(&w, "capacity", k->capacity);
    if (k->cost != 0)
        w_num(&w, "cost", k->cost);
    w_close(&w);
    return w_done(&w);
}

int clb__scenario_save_programme(clb_buf *out, const clb_scenario *s, size_t i)
{
    const clb_programme_rec *r = &s->programmes[i];
    writer w = {out, 0, true};

    w_open(&w);
    w_str(&w, "id", r->id);
    w_sym(&w, s, "country", r->country);
    w_sym(&w, s, "region", r->region);
    w_date(&w, "start", r->start);
    w_date(&w, "end", r->end);
    w_int(&w, "capacity", r->capacity);
    w_close(&w);
    return w_done(&w);
}

int clb__scenario_save_score(clb_buf *out, const clb_scenario *s, size_t i)
{
    const clb_score_rec *r = &s->scores[i];
    writer w = {out, 0, true};
    w_open(&w);
    w_str(&w, "worker", s->workers[r->worker].id);
    w_str(&w, "vacancy", s->vacancies[r->vacancy].id);
    w_num(&w, "value", r->value);
    w_close(&w);
    return w_done(&w);
}

int clb__scenario_save_pin(clb_buf *out, const clb_scenario *s, size_t i)
{
    const clb_pair_rec *r = &s->pins[i];
    writer w = {out, 0, true};
    w_open(&w);
    w_str(&w, "worker", s->workers[r->worker].id);
    w_str(&w, "vacancy", s->vacancies[r->vacancy].id);
    w_close(&w);
    return w_done(&w);
}

int clb__scenario_save_ban(clb_buf *out, const clb_scenario *s, size_t i)
{
    const clb_ban_rec *r = &s->bans[i];
    writer w = {out, 0, true};
    w_open(&w);
    w_str(&w, "worker", s->workers[r->worker].id);
    if (r->vacancy >= 0)
        w_str(&w, "vacancy", s->vacancies[r->vacancy].id);
    else
        w_str(&w, "employer", s->employers[r->employer].id);
    w_close(&w);
    return w_done(&w);
}

int clb__scenario_save_previous(clb_buf *out, const clb_scenario *s, size_t i)
{
    const clb_previous_rec *r = &s->previous[i];
    writer w = {out, 0, true};
    w_open(&w);
    w_str(&w, "worker", s->workers[r->worker].id);
    w_str(&w, "vacancy", s->vacancies[r->vacancy].id);
    w_str(&w, "status", r->status == CLB_PREV_CONFIRMED ? "confirmed" : "proposed");
    w_close(&w);
    return w_done(&w);
}

typedef int (*save_fn)(clb_buf *out, const clb_scenario *s, size_t i, unsigned flags);

#define ADAPT(name)                                                                   \
    static int name##_fn(clb_buf *out, const clb_scenario *s, size_t i, unsigned f)   \
    {                                                                                 \
        (void)f;                                                                      \
        return clb__scenario_save_##name(out, s, i);                                   \
    }
ADAPT(vacancy)
ADAPT(quota)
ADAPT(session)
ADAPT(programme)
ADAPT(score)
ADAPT(pin)
ADAPT(ban)
ADAPT(previous)
#undef ADAPT

static int save_array(clb_buf *out, const clb_scenario *s, const char *key, size_t n,
                      save_fn fn, unsigned flags, bool always)
{
    int rc = 0;
    if (!n && !always)
        return 0;
    rc = clb__buf_printf(out, ",\n  \"%s\": [", key);
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = clb__buf_puts(out, i ? ",\n    " : "\n    ");
        if (rc == 0)
            rc = fn(out, s, i, flags);
    }
    if (rc == 0)
        rc = clb__buf_puts(out, n ? "\n  ]" : "]");
    return rc < 0 ? CLB_ENOMEM : 0;
}

int clb__scenario_save_doc(clb_buf *out, const clb_scenario *s, unsigned flags)
{
    int rc = clb__buf_puts(out, "{\n  \"format\": \"circulab-scenario/1\",\n  \"name\": ");
    if (rc == 0)
        rc = clb__buf_put_json_string(out, s->name ? s->name : "");
    if (rc == 0)
        rc = clb__buf_puts(out, ",\n  \"policy\": ");
    if (rc == 0)
        rc = clb__scenario_save_policy(out, s);
    if (rc == 0)
        rc = save_array(out, s, "workers", s->n_workers, clb__scenario_save_worker, flags,
                        true);
    if (rc == 0)
        rc = save_array(out, s, "employers", s->n_employers, clb__scenario_save_employer,
                        flags, true);
    if (rc == 0)
        rc = save_array(out, s, "vacancies", s->n_vacancies, vacancy_fn, flags, true);
    if (rc == 0)
        rc = save_array(out, s, "quotas", s->n_quotas, quota_fn, flags, false);
    if (rc == 0)
        rc = save_array(out, s, "sessions", s->n_sessions, session_fn, flags, false);
    if (rc == 0)
        rc = save_array(out, s, "programmes", s->n_programmes, programme_fn, flags,
                        false);
    if (rc == 0)
        rc = save_array(out, s, "scores", s->n_scores, score_fn, flags, false);
    if (rc == 0)
        rc = save_array(out, s, "pins", s->n_pins, pin_fn, flags, false);
    if (rc == 0)
        rc = save_array(out, s, "bans", s->n_bans, ban_fn, flags, false);
    if (rc == 0)
        rc = save_array(out, s, "previous", s->n_previous, previous_fn, flags, false);
    if (rc == 0)
        rc = clb__buf_puts(out, "\n}\n");
    return rc < 0 ? CLB_ENOMEM : 0;
}

/* ---- scanning ------------------------------------------------------------------ */

static void skip_ws(const char *t, size_t len, size_t *pos)
{
    while (*pos < len && (t[*pos] == ' ' || t[*pos] == '\t' || t[*pos] == '\n' ||
                          t[*pos] == '\r'))
        (*pos)++;
}

static bool skip_string(const char *t, size_t len, size_t *pos)
{
    if (*pos >= len || t[*pos] != '"')
        return false;
    for (size_t i = *pos + 1; i < len; i++) {
        if (t[i] == '\\')
            i++;
        else if (t[i] == '"') {
            *pos = i + 1;
            return true;
        }
    }
    return false;
}

bool clb__jscan_skip_value(const char *t, size_t len, size_t *pos)
{
    int depth = 0;
    skip_ws(t, len, pos);
    if (*pos >= len)
        return false;
    if (t[*pos] == '"')
        return skip_string(t, len, pos);
    if (t[*pos] != '{' && t[*pos] != '[') {
        /* a number, true, false or null: up to the next delimiter */
        size_t start = *pos;
        while (*pos < len && !strchr(",]}: \t\r\n", t[*pos]))
            (*pos)++;
        return *pos > start;
    }
    while (*pos < len) {
        char c = t[*pos];
        if (c == '"') {
            if (!skip_string(t, len, pos))
                return false;
            continue;
        }
        if (c == '{' || c == '[')
            depth++;
        else if (c == '}' || c == ']') {
            if (--depth == 0) {
                (*pos)++;
                return true;
            }
        }
        (*pos)++;
    }
    return false;
}

bool clb__jscan_member(clb_span *out, const char *t, clb_span obj, const char *key)
{
    size_t pos = obj.start, len = obj.end;
    clb_buf name = CLB_BUF_INIT;
    bool found = false;

    skip_ws(t, len, &pos);
    if (pos >= len || t[pos] != '{')
        return false;
    pos++;
    for (;;) {
        clb_span ks;
        skip_ws(t, len, &pos);
        if (pos >= len || t[pos] == '}')
            break;
        ks.start = pos;
        if (!skip_string(t, len, &pos))
            break;
        ks.end = pos;
        skip_ws(t, len, &pos);
        if (pos >= len || t[pos] != ':')
            break;
        pos++;
        skip_ws(t, len, &pos);
        out->start = pos;
        if (!clb__jscan_skip_value(t, len, &pos))
            break;
        out->end = pos;
        clb__buf_clear(&name);
        if (clb__jscan_string(&name, t, ks) && name.ptr && strcmp(name.ptr, key) == 0) {
            found = true;
            break;
        }
        skip_ws(t, len, &pos);
        if (pos < len && t[pos] == ',')
            pos++;
        else
            break;
    }
    clb_buf_dispose(&name);
    return found;
}

bool clb__jscan_elements(const char *t, clb_span arr,
                        void (*fn)(clb_span elem, void *payload), void *payload)
{
    size_t pos = arr.start, len = arr.end;
    skip_ws(t, len, &pos);
    if (pos >= len || t[pos] != '[')
        return false;
    pos++;
    for (;;) {
        clb_span e;
        skip_ws(t, len, &pos);
        if (pos >= len || t[pos] == ']')
            return true;
        e.start = pos;
        if (!clb__jscan_skip_value(t, len, &pos))
            return false;
        e.end = pos;
        fn(e, payload);
        skip_ws(t, len, &pos);
        if (pos < len && t[pos] == ',')
            pos++;
        else
            return pos < len && t[pos] == ']';
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool read_u4(const char *t, size_t i, size_t end, unsigned *out)
{
    unsigned v = 0;
    if (i + 4 > end)
        return false;
    for (size_t k = 0; k < 4; k++) {
        int h = hexval(t[i + k]);
        if (h < 0)
            return false;
        v = v * 16 + (unsigned)h;
    }
    *out = v;
    return true;
}

static int put_utf8(clb_buf *out, unsigned cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return clb__buf_put(out, b, n);
}

bool clb__jscan_string(clb_buf *out, const char *t, clb_span span)
{
    size_t i = span.start, end = span.end;
    int rc = 0;
    if (i >= end || t[i] != '"')
        return false;
    rc = clb__buf_put(out, "", 0);
    for (i++; i < end && rc == 0; i++) {
        char c = t[i];
        if (c == '"')
            return true;
        if (c != '\\') {
            rc = clb__buf_put(out, &c, 1);
            continue;
        }
        if (++i >= end)
            return false;
        switch (t[i]) {
        case 'n': rc = clb__buf_put(out, "\n", 1); break;
        case 't': rc = clb__buf_put(out, "\t", 1); break;
        case 'r': rc = clb__buf_put(out, "\r", 1); break;
        case 'b': rc = clb__buf_put(out, "\b", 1); break;
        case 'f': rc = clb__buf_put(out, "\f", 1); break;
        case 'u': {
            unsigned cp, lo;
            if (!read_u4(t, i + 1, end, &cp))
                return false;
            i += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && i + 2 < end && t[i + 1] == '\\' &&
                t[i + 2] == 'u' && read_u4(t, i + 3, end, &lo) && lo >= 0xDC00 &&
                lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            }
            rc = put_utf8(out, cp);
            break;
        }
        default: rc = clb__buf_put(out, &t[i], 1); break;
        }
    }
    return false;
}
