/*
 * pages.c - the portal's web pages (docs/PORTAL.md §8) for employers who will never use
 * curl: sign in with the token, the vacancies with their fill, a form to add or edit
 * one with the validator's messages next to its fields, withdrawal after a
 * confirmation, and the placements.
 *
 * Plain server-rendered HTML and one stylesheet served from here: no script, no
 * external asset, readable on a phone's width (there each table row is a card and
 * each cell is labelled with its column's name). The pages call the same functions as
 * the JSON API (store/portal.h, server/submit.c): a form becomes a vacancy object and
 * goes through the one reader, and the reader's JSON paths ("$.start") say which
 * field a message belongs next to. The token is kept in an HttpOnly, SameSite=Strict
 * cookie; every form carries a CSRF token, an HMAC of the session under the server's
 * random key (the sign-in form: of a random pre-session cookie), compared in constant
 * time. Every value shown is HTML-escaped.
 */
#include "server/server_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/json.h"
#include "io/token.h"

#define HTML_TYPE "text/html; charset=utf-8"
#define MAX_FIELDS 32

/* ---- small helpers ----------------------------------------------------------------- */

typedef struct form {
    clb_arena arena;
    const char *name[MAX_FIELDS];
    const char *value[MAX_FIELDS];
    size_t n;
} form;

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

/* Decode one application/x-www-form-urlencoded component into the arena. */
static char *url_decode(clb_arena *a, const char *s, size_t n)
{
    char *out = clb__arena_alloc(a, n + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            *o++ = ' ';
        } else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
                   hexval(s[i + 2]) >= 0) {
            *o++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}

static void form_parse(form *f, const char *body)
{
    const char *p = body;
    memset(f, 0, sizeof(*f));
    clb__arena_init(&f->arena);
    while (*p && f->n < MAX_FIELDS) {
        const char *amp = strchr(p, '&'), *end = amp ? amp : p + strlen(p);
        const char *eq = memchr(p, '=', (size_t)(end - p));
        if (eq) {
            f->name[f->n] = url_decode(&f->arena, p, (size_t)(eq - p));
            f->value[f->n] = url_decode(&f->arena, eq + 1, (size_t)(end - eq - 1));
            if (f->name[f->n] && f->value[f->n])
                f->n++;
        }
        p = amp ? amp + 1 : end;
    }
}

static const char *form_get(const form *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->name[i], name) == 0)
            return f->value[i];
    return NULL;
}

static void form_dispose(form *f)
{
    clb__arena_dispose(&f->arena);
}

static void esc(clb_buf *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            clb__buf_puts(out, "&amp;");
            break;
        case '<':
            clb__buf_puts(out, "&lt;");
            break;
        case '>':
            clb__buf_puts(out, "&gt;");
            break;
        case '"':
            clb__buf_puts(out, "&quot;");
            break;
        case '\'':
            clb__buf_puts(out, "&#39;");
            break;
        default:
            clb__buf_put(out, s, 1);
        }
    }
}

/* The value of cookie `name` into out (size n); false when absent. */
static bool cookie_get(char *out, size_t n, const char *header, const char *name)
{
    size_t len = strlen(name);
    const char *p = header;
    while (p && *p) {
        while (*p == ' ' || *p == ';')
            p++;
        if (strncmp(p, name, len) == 0 && p[len] == '=') {
            const char *v = p + len + 1, *e = strchr(v, ';');
            size_t k = e ? (size_t)(e - v) : strlen(v);
            if (k >= n)
                return false;
            memcpy(out, v, k);
            out[k] = '\0';
            return true;
        }
        p = strchr(p, ';');
    }
    return false;
}

static void redirect(srv_response *res, const char *to)
{
    clb__srv_set(res, 303, HTML_TYPE, "");
    snprintf(res->location, sizeof(res->location), "%s", to);
}

static void page_start(clb_buf *b, const char *title, const clb__portal_who *who,
                       const char *csrf)
{
    clb__buf_puts(b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, "
                    "initial-scale=1\"><title>");
    esc(b, title);
    clb__buf_puts(b, " · circulab</title><link rel=\"stylesheet\" href=\"/style.css\">"
                    "</head>\n<body><header><span class=\"brand\">circulab</span>");
    if (who) {
        clb__buf_puts(b, "<span class=\"who\">employer ");
        esc(b, who->employer);
        clb__buf_puts(b, "</span><nav><a href=\"/vacancies\">Vacancies</a> "
                        "<a href=\"/placements\">Placements</a> "
                        "<form method=\"post\" action=\"/signout\" class=\"inline\">"
                        "<input type=\"hidden\" name=\"csrf\" value=\"");
        esc(b, csrf);
        clb__buf_puts(b, "\"><button type=\"submit\" class=\"link\">Sign out</button>"
                        "</form></nav>");
    }
    clb__buf_puts(b, "</header>\n<main>\n<h1>");
    esc(b, title);
    clb__buf_puts(b, "</h1>\n");
}

static void page_end(clb_buf *b)
{
    clb__buf_puts(b, "</main></body></html>\n");
}

static void message_page(srv_response *res, int status, const char *title,
                         const char *message, const clb__portal_who *who, const char *csrf)
{
    res->status = status;
    res->content_type = HTML_TYPE;
    clb__buf_clear(&res->body);
    page_start(&res->body, title, who, csrf);
    clb__buf_puts(&res->body, "<p class=\"error\" role=\"alert\">");
    esc(&res->body, message);
    clb__buf_puts(&res->body, "</p>\n<p><a href=\"/vacancies\">Back to the vacancies</a></p>\n");
    page_end(&res->body);
}

static const char STYLE[] =
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "color:#1b1b1b;background:#f6f7f9}\n"
    "header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;"
    "padding:.6rem 1rem;background:#1f4e79;color:#fff}\n"
    "header a,header .link{color:#fff}\n"
    ".brand{font-weight:700}.who{opacity:.85}\n"
    "nav{display:flex;gap:1rem;align-items:center;margin-left:auto}\n"
    "main{max-width:60rem;margin:0 auto;padding:1rem}\n"
    "h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}\n"
    ".scroll{overflow-x:auto}\n"
    "table{border-collapse:collapse;width:100%;background:#fff}\n"
    "th,td{padding:.4rem .5rem;border-bottom:1px solid #dde;text-align:left;"
    "white-space:nowrap}\n"
    "td.num,th.num{text-align:right}\n"
    ".status-withdrawn{color:#777}\n"
    /* a phone's width: each row a card, each cell under its column's name */
    "@media (max-width:40rem){\n"
    ".scroll table,.scroll tbody,.scroll tr,.scroll td{display:block;width:auto}\n"
    ".scroll thead{display:none}\n"
    ".scroll tr{border:1px solid #dde;border-radius:6px;margin:0 0 .8rem;"
    "padding:.3rem .5rem;background:#fff}\n"
    ".scroll td{border:none;padding:.15rem 0;white-space:normal;text-align:left}\n"
    ".scroll td.num{text-align:left}\n"
    ".scroll td[data-label]::before{content:attr(data-label) \": \";font-weight:600}\n"
    ".scroll td:empty{display:none}}\n"
    "form.card{background:#fff;padding:1rem;border:1px solid #dde;border-radius:6px}\n"
    ".field{margin-bottom:.8rem}\n"
    ".field label{display:block;font-weight:600}\n"
    ".field input,.field select{width:100%;max-width:24rem;padding:.45rem;font:inherit;"
    "border:1px solid #99a;border-radius:4px}\n"
    ".field.invalid input,.field.invalid select{border-color:#b00020}\n"
    ".hint{color:#555;font-size:.9rem;margin:.1rem 0}\n"
    ".error{color:#b00020;margin:.2rem 0}\n"
    "button{font:inherit;padding:.5rem 1rem;border-radius:4px;border:1px solid #1f4e79;"
    "background:#1f4e79;color:#fff;cursor:pointer}\n"
    "button.danger{background:#b00020;border-color:#b00020}\n"
    "button.link{background:none;border:none;padding:0;text-decoration:underline}\n"
    "form.inline{display:inline}\n"
    ".ok{color:#1b5e20}\n";

/* ---- signing in ---------------------------------------------------------------------- */

static void signin_page(srv_ctx *ctx, srv_response *res, int status, const char *pre,
                        const char *message)
{
    char csrf[64], seed[128];
    snprintf(seed, sizeof(seed), "signin:%s", pre);
    clb__srv_csrf(ctx, seed, csrf);
    res->status = status;
    res->content_type = HTML_TYPE;
    clb__buf_clear(&res->body);
    page_start(&res->body, "Sign in", NULL, NULL);
    clb__buf_puts(&res->body, "<p>Sign in with the token your employment agency gave "
                             "you.</p>\n");
    if (message) {
        clb__buf_puts(&res->body, "<p class=\"error\" role=\"alert\" id=\"token-error\">");
        esc(&res->body, message);
        clb__buf_puts(&res->body, "</p>\n");
    }
    clb__buf_puts(&res->body, "<form method=\"post\" action=\"/\" class=\"card\">"
                             "<input type=\"hidden\" name=\"csrf\" value=\"");
    esc(&res->body, csrf);
    clb__buf_puts(&res->body,
                 "\"><div class=\"field\"><label for=\"token\">Token</label>"
                 "<input id=\"token\" name=\"token\" type=\"password\" "
                 "autocomplete=\"off\" required></div>"
                 "<button type=\"submit\" id=\"signin\">Sign in</button></form>\n");
    page_end(&res->body);
}

static void signin(srv_ctx *ctx, const srv_request *req, srv_response *res)
{
    char pre[64] = "", csrf[64], seed[128];
    const char *given, *token;
    clb__portal_who who;
    form f;
    if (!cookie_get(pre, sizeof(pre), req->cookie, "clb_pre") || !pre[0]) {
        message_page(res, 403, "Sign in", "your browser sent no session cookie: allow "
                                          "cookies for this site and try again", NULL, NULL);
        return;
    }
    form_parse(&f, req->body);
    given = form_get(&f, "csrf");
    token = form_get(&f, "token");
    snprintf(seed, sizeof(seed), "signin:%s", pre);
    clb__srv_csrf(ctx, seed, csrf);
    if (!given || !csrf[0] || !clb__token_text_equal(given, csrf)) {
        form_dispose(&f);
        signin_page(ctx, res, 403, pre, "the form has expired: sign in again");
        return;
    }
    if (clb__srv_authenticate(ctx, token, &who, res, false, true) != 0) {
        int st = res->status;
        form_dispose(&f);
        signin_page(ctx, res, st, pre,
                    st == 401 ? "unknown or revoked token" : "too many attempts: wait");
        return;
    }
    redirect(res, "/vacancies");
    snprintf(res->set_cookie[0], sizeof(res->set_cookie[0]),
             "clb_token=%s; Path=/; HttpOnly; SameSite=Strict%s", token,
             req->tls ? "; Secure" : "");
    form_dispose(&f);
}

/* The signed-in employer from the cookie: 0, or the response is set (a redirect to
 * the sign-in page, 429, 503). csrf receives the session's CSRF token. */
static int session(srv_ctx *ctx, const srv_request *req, srv_response *res,
                   clb__portal_who *who, char csrf[64])
{
    char token[128] = "", seed[160];
    if (!cookie_get(token, sizeof(token), req->cookie, "clb_token") || !token[0]) {
        redirect(res, "/");
        return 401;
    }
    if (clb__srv_authenticate(ctx, token, who, res, false,
                              strcmp(req->method, "POST") == 0) != 0) {
        if (res->status == 401)
            redirect(res, "/");
        return res->status;
    }
    snprintf(seed, sizeof(seed), "session:%s", token);
    clb__srv_csrf(ctx, seed, csrf);
    return 0;
}

/* A POST's CSRF field against the session's. */
static bool csrf_ok(const form *f, const char *csrf)
{
    const char *given = form_get(f, "csrf");
    return given && csrf[0] && clb__token_text_equal(given, csrf);
}

/* ---- the vacancy form ------------------------------------------------------------------ */

/* The form's fields: name, label, hint, the record member it fills. */
typedef struct field_def {
    const char *name, *label, *hint;
} field_def;

static const field_def FIELDS[] = {
    {"id", "Vacancy id", "begins with your employer id and a hyphen, e.g. E017-2026-01"},
    {"site", "Site", NULL},
    {"start", "Start", "YYYY-MM-DD"},
    {"end", "End", "YYYY-MM-DD"},
    {"headcount", "Headcount", "workers wanted"},
    {"sector", "Sector", "e.g. berries"},
    {"occupation", "Occupation", "ISCO-08, e.g. isco:9211"},
    {"wage_month_eur", "Monthly wage (EUR)", NULL},
    {"skills", "Required skills", "comma-separated"},
    {"trainings", "Required trainings", "comma-separated courses"},
    {"languages", "Required languages", "comma-separated ISO 639-1 codes"},
    {"min_campaigns", "Minimum campaigns", "seasons of experience"},
    {NULL, NULL, NULL}};

/* The form field a reader's JSON path belongs to ("$.requires.skills[0]" -> skills),
 * or NULL. Paths are of one vacancy object ("$...."). */
static const char *field_of(const char *path, char *buf, size_t n)
{
    const char *p = path;
    size_t k = 0;
    if (strncmp(p, "$.", 2) != 0)
        return NULL;
    p += 2;
    if (strncmp(p, "requires.", 9) == 0)
        p += 9;
    while (p[k] && p[k] != '.' && p[k] != '[' && k + 1 < n) {
        buf[k] = p[k];
        k++;
    }
    buf[k] = '\0';
    for (size_t i = 0; FIELDS[i].name; i++)
        if (strcmp(FIELDS[i].name, buf) == 0)
            return FIELDS[i].name;
    return NULL;
}

/* The value a field shows: the posted one, else the vacancy's. */
static void field_value(clb_buf *out, const char *name, const form *posted,
                        const clb_json *vac)
{
    const clb_json *v, *req;
    if (posted) {
        const char *s = form_get(posted, name);
        clb__buf_puts(out, s ? s : "");
        return;
    }
    if (!vac)
        return;
    req = clb__json_object_get(vac, "requires");
    v = clb__json_object_get(vac, name);
    if (!v && req)
        v = clb__json_object_get(req, name);
    if (clb_json_is_string(v)) {
        clb__buf_puts(out, clb__json_string(v));
    } else if (clb_json_is_number(v)) {
        long long x;
        if (clb__json_integer(v, &x))
            clb__buf_printf(out, "%lld", x);
        else
            clb__buf_put_json_number(out, clb__json_number(v));
    } else if (clb_json_is_array(v)) {
        for (size_t i = 0; i < clb__json_array_size(v); i++) {
            const char *s = clb__json_string(clb__json_array_get(v, i));
            clb__buf_printf(out, "%s%s", i ? ", " : "", s ? s : "");
        }
    }
}

/*
 * Render the add (vac and edit_id NULL) or edit form. `posted` re-shows what was
 * typed; `diags` puts each error next to its field (the others above the form).
 */
static void vacancy_form(clb_buf *b, const char *csrf, const clb_json *employer,
                         const char *edit_id, const clb_json *vac, const form *posted,
                         const clb_diags *diags)
{
    const clb_json *sites = clb__json_object_get(employer, "sites");
    clb_buf val = CLB_BUF_INIT;
    char key[64];
    bool general = false;
    for (size_t i = 0; i < clb_diags_count(diags); i++) {
        const clb_diag *d = clb_diags_get(diags, i);
        if (!field_of(d->path ? d->path : "", key, sizeof(key))) {
            if (!general)
                clb__buf_puts(b, "<div class=\"error\" role=\"alert\" id=\"form-errors\">");
            general = true;
            clb__buf_puts(b, "<p>");
            esc(b, d->message);
            clb__buf_puts(b, "</p>");
        }
    }
    if (general)
        clb__buf_puts(b, "</div>\n");
    clb__buf_puts(b, "<form method=\"post\" class=\"card\" id=\"vacancy-form\" action=\"");
    if (edit_id) {
        clb__buf_puts(b, "/vacancies/");
        esc(b, edit_id);
        clb__buf_puts(b, "/edit");
    } else {
        clb__buf_puts(b, "/vacancies");
    }
    clb__buf_puts(b, "\"><input type=\"hidden\" name=\"csrf\" value=\"");
    esc(b, csrf);
    clb__buf_puts(b, "\">\n");
    for (size_t i = 0; FIELDS[i].name; i++) {
        const field_def *fd = &FIELDS[i];
        bool bad = false;
        if (edit_id && strcmp(fd->name, "id") == 0)
            continue;
        for (size_t k = 0; k < clb_diags_count(diags); k++) {
            const char *fn = field_of(clb_diags_get(diags, k)->path ?
                                          clb_diags_get(diags, k)->path : "",
                                      key, sizeof(key));
            bad = bad || (fn && strcmp(fn, fd->name) == 0);
        }
        clb__buf_clear(&val);
        field_value(&val, fd->name, posted, vac);
        clb__buf_printf(b, "<div class=\"field%s\"><label for=\"%s\">", bad ? " invalid" : "",
                       fd->name);
        esc(b, fd->label);
        clb__buf_puts(b, "</label>");
        if (strcmp(fd->name, "site") == 0 && clb__json_array_size(sites) > 0) {
            clb__buf_puts(b, "<select id=\"site\" name=\"site\">");
            for (size_t s = 0; s < clb__json_array_size(sites); s++) {
                const char *sid = clb__json_string(
                    clb__json_object_get(clb__json_array_get(sites, s), "id"));
                clb__buf_puts(b, "<option value=\"");
                esc(b, sid);
                clb__buf_puts(b, "\"");
                if (sid && val.ptr && strcmp(sid, val.ptr) == 0)
                    clb__buf_puts(b, " selected");
                clb__buf_puts(b, ">");
                esc(b, sid);
                clb__buf_puts(b, "</option>");
            }
            clb__buf_puts(b, "</select>");
        } else {
            clb__buf_printf(b, "<input id=\"%s\" name=\"%s\" type=\"text\"%s value=\"",
                           fd->name, fd->name,
                           bad ? " aria-invalid=\"true\"" : "");
            esc(b, val.ptr ? val.ptr : "");
            clb__buf_puts(b, "\">");
        }
        if (fd->hint) {
            clb__buf_puts(b, "<p class=\"hint\">");
            esc(b, fd->hint);
            clb__buf_puts(b, "</p>");
        }
        for (size_t k = 0; k < clb_diags_count(diags); k++) {
            const clb_diag *d = clb_diags_get(diags, k);
            const char *fn = field_of(d->path ? d->path : "", key, sizeof(key));
            if (fn && strcmp(fn, fd->name) == 0) {
                clb__buf_printf(b, "<p class=\"error\" id=\"%s-error\">", fd->name);
                esc(b, d->message);
                clb__buf_puts(b, "</p>");
            }
        }
        clb__buf_puts(b, "</div>\n");
    }
    clb__buf_printf(b, "<button type=\"submit\" id=\"save\">%s</button></form>\n",
                   edit_id ? "Save changes" : "Add vacancy");
    clb_buf_dispose(&val);
}

/* A comma-separated list as a JSON array of strings (empty items dropped). */
static clb_json *list_of(const char *s)
{
    clb_json *arr = clb__json_new_array();
    while (arr && s && *s) {
        const char *c = strchr(s, ','), *e = c ? c : s + strlen(s);
        while (s < e && *s == ' ')
            s++;
        while (e > s && e[-1] == ' ')
            e--;
        if (e > s) {
            char item[128];
            snprintf(item, sizeof(item), "%.*s", (int)(e - s), s);
            clb__json_array_append(arr, clb__json_new_string(item));
        }
        s = c ? c + 1 : s + strlen(s);
    }
    return arr;
}

/* A number field: an integer or real when it reads as one, else the text itself, so
 * that the reader names the bad value at its path. */
static clb_json *number_of(const char *s, bool integer)
{
    char *end;
    if (integer) {
        long long x = strtoll(s, &end, 10);
        if (*s && *end == '\0')
            return clb__json_new_integer(x);
    } else {
        double x = strtod(s, &end);
        if (*s && *end == '\0')
            return clb__json_new_real(x);
    }
    return clb__json_new_string(s);
}

/* The vacancy object a posted form describes, over `base` (the stored record when
 * editing, so that members the form does not show are kept). */
static clb_json *vacancy_of(const form *f, const clb_json *base, const char *edit_id)
{
    clb_json *v = base ? clb__json_copy(base) : clb__json_new_object(), *req;
    static const char *const TEXT[] = {"site", "start", "end", "sector", "occupation", NULL};
    static const char *const LISTS[] = {"skills", "trainings", "languages", NULL};
    const char *s;
    if (!v)
        return NULL;
    clb__json_object_remove(v, "status");
    clb__json_object_remove(v, "x-fill");
    if (edit_id)
        clb__json_object_set(v, "id", clb__json_new_string(edit_id));
    else if ((s = form_get(f, "id")))
        clb__json_object_set(v, "id", clb__json_new_string(s));
    for (size_t i = 0; TEXT[i]; i++) {
        s = form_get(f, TEXT[i]);
        if (s && *s)
            clb__json_object_set(v, TEXT[i], clb__json_new_string(s));
        else
            clb__json_object_remove(v, TEXT[i]);
    }
    s = form_get(f, "headcount");
    if (s && *s)
        clb__json_object_set(v, "headcount", number_of(s, true));
    else
        clb__json_object_remove(v, "headcount");
    s = form_get(f, "wage_month_eur");
    if (s && *s)
        clb__json_object_set(v, "wage_month_eur", number_of(s, false));
    else
        clb__json_object_remove(v, "wage_month_eur");
    req = clb__json_object_get_mut(v, "requires");
    if (!req) {
        clb__json_object_set(v, "requires", clb__json_new_object());
        req = clb__json_object_get_mut(v, "requires");
    }
    for (size_t i = 0; LISTS[i] && req; i++) {
        s = form_get(f, LISTS[i]);
        if (s && *s)
            clb__json_object_set(req, LISTS[i], list_of(s));
        else
            clb__json_object_remove(req, LISTS[i]);
    }
    s = form_get(f, "min_campaigns");
    if (req && s && *s)
        clb__json_object_set(req, "min_campaigns", number_of(s, true));
    else if (req)
        clb__json_object_remove(req, "min_campaigns");
    if (req && clb__json_object_size(req) == 0)
        clb__json_object_remove(v, "requires");
    return v;
}

/* ---- pages ------------------------------------------------------------------------------- */

static clb_json *load_text(const clb_buf *b)
{
    clb_json *j = NULL;
    if (!b->ptr || clb__json_load_buffer(&j, b->ptr, b->size, NULL, NULL) < 0)
        return NULL;
    return j;
}

static void vacancies_page(srv_ctx *ctx, srv_response *res, const clb__portal_who *who,
                           const char *csrf, int status, const form *posted,
                           const clb_diags *diags, const char *notice)
{
    clb_buf vbuf = CLB_BUF_INIT, ebuf = CLB_BUF_INIT;
    clb_json *doc = NULL, *emp = NULL;
    const clb_json *list;
    clb_buf *b = &res->body;
    clb_error err;
    clb_error_init(&err);
    if (clb__portal_vacancies_json(&vbuf, ctx->store, who->employer, &err) < 0 ||
        clb__portal_employer_json(&ebuf, ctx->store, who->employer, &err) < 0 ||
        !(doc = load_text(&vbuf)) || !(emp = load_text(&ebuf))) {
        message_page(res, 503, "Vacancies", "the database is busy: try again", who, csrf);
        goto done;
    }
    res->status = status;
    res->content_type = HTML_TYPE;
    clb__buf_clear(b);
    page_start(b, "Vacancies", who, csrf);
    if (notice) {
        clb__buf_puts(b, "<p class=\"ok\" role=\"status\">");
        esc(b, notice);
        clb__buf_puts(b, "</p>\n");
    }
    list = clb__json_object_get(doc, "vacancies");
    if (clb__json_array_size(list) == 0) {
        clb__buf_puts(b, "<p>No vacancies yet.</p>\n");
    } else {
        clb__buf_puts(b, "<div class=\"scroll\"><table id=\"vacancies\"><thead><tr>"
                        "<th>Vacancy</th><th>Site</th><th>Start</th><th>End</th>"
                        "<th class=\"num\">Headcount</th><th>Status</th>"
                        "<th class=\"num\">Proposed</th><th class=\"num\">Confirmed</th>"
                        "<th class=\"num\">Departed</th><th></th></tr></thead><tbody>\n");
        for (size_t i = 0; i < clb__json_array_size(list); i++) {
            const clb_json *v = clb__json_array_get(list, i);
            const clb_json *fill = clb__json_object_get(v, "x-fill");
            const char *id = clb__json_string(clb__json_object_get(v, "id"));
            const char *st = clb__json_string(clb__json_object_get(v, "status"));
            long long hc = 0, np = 0, nc = 0, nd = 0;
            clb__json_integer(clb__json_object_get(v, "headcount"), &hc);
            clb__json_integer(clb__json_object_get(fill, "proposed"), &np);
            clb__json_integer(clb__json_object_get(fill, "confirmed"), &nc);
            clb__json_integer(clb__json_object_get(fill, "departed"), &nd);
            clb__buf_printf(b, "<tr class=\"status-%s\" data-id=\"", st ? st : "open");
            esc(b, id);
            clb__buf_puts(b, "\"><td data-label=\"Vacancy\">");
            esc(b, id);
            clb__buf_puts(b, "</td><td data-label=\"Site\">");
            esc(b, clb__json_string(clb__json_object_get(v, "site")));
            clb__buf_puts(b, "</td><td data-label=\"Start\">");
            esc(b, clb__json_string(clb__json_object_get(v, "start")));
            clb__buf_puts(b, "</td><td data-label=\"End\">");
            esc(b, clb__json_string(clb__json_object_get(v, "end")));
            clb__buf_printf(b, "</td><td class=\"num\" data-label=\"Headcount\">%lld</td>"
                              "<td data-label=\"Status\">", hc);
            esc(b, st);
            clb__buf_printf(b, "</td><td class=\"num\" data-label=\"Proposed\">%lld</td>"
                              "<td class=\"num\" data-label=\"Confirmed\">%lld</td>"
                              "<td class=\"num\" data-label=\"Departed\">%lld</td><td>",
                            np, nc, nd);
            if (st && strcmp(st, "open") == 0) {
                clb__buf_puts(b, "<a href=\"/vacancies/");
                esc(b, id);
                clb__buf_puts(b, "/edit\">Edit</a> <a class=\"withdraw\" href=\"/vacancies/");
                esc(b, id);
                clb__buf_puts(b, "/withdraw\">Withdraw</a>");
            }
            clb__buf_puts(b, "</td></tr>\n");
        }
        clb__buf_puts(b, "</tbody></table></div>\n");
    }
    clb__buf_puts(b, "<h2 id=\"add\">Add a vacancy</h2>\n");
    vacancy_form(b, csrf, emp, NULL, NULL, posted, diags);
    page_end(b);
done:
    clb__json_free(doc);
    clb__json_free(emp);
    clb_buf_dispose(&vbuf);
    clb_buf_dispose(&ebuf);
}

static void edit_page(srv_ctx *ctx, srv_response *res, const clb__portal_who *who,
                      const char *csrf, const char *id, int status, const form *posted,
                      const clb_diags *diags)
{
    clb_buf vbuf = CLB_BUF_INIT, ebuf = CLB_BUF_INIT;
    clb_json *vac = NULL, *emp = NULL;
    clb_error err;
    int error;
    clb_error_init(&err);
    error = clb__portal_vacancy_json(&vbuf, ctx->store, who->employer, id, &err);
    if (error == CLB_ENOTFOUND) {
        message_page(res, 404, "Vacancy", "no such vacancy", who, csrf);
        goto done;
    }
    if (error < 0 || clb__portal_employer_json(&ebuf, ctx->store, who->employer, &err) < 0 ||
        !(vac = load_text(&vbuf)) || !(emp = load_text(&ebuf))) {
        message_page(res, 503, "Vacancy", "the database is busy: try again", who, csrf);
        goto done;
    }
    res->status = status;
    res->content_type = HTML_TYPE;
    clb__buf_clear(&res->body);
    page_start(&res->body, "Edit vacancy", who, csrf);
    clb__buf_puts(&res->body, "<p>Vacancy <strong>");
    esc(&res->body, id);
    clb__buf_puts(&res->body, "</strong></p>\n");
    vacancy_form(&res->body, csrf, emp, id, vac, posted, diags);
    page_end(&res->body);
done:
    clb__json_free(vac);
    clb__json_free(emp);
    clb_buf_dispose(&vbuf);
    clb_buf_dispose(&ebuf);
}

static void withdraw_page(srv_ctx *ctx, srv_response *res, const clb__portal_who *who,
                          const char *csrf, const char *id)
{
    clb_buf vbuf = CLB_BUF_INIT;
    clb_json *vac = NULL;
    clb_buf *b = &res->body;
    if (clb__portal_vacancy_json(&vbuf, ctx->store, who->employer, id, NULL) < 0 ||
        !(vac = load_text(&vbuf))) {
        message_page(res, 404, "Withdraw", "no such vacancy", who, csrf);
        clb_buf_dispose(&vbuf);
        return;
    }
    res->status = 200;
    res->content_type = HTML_TYPE;
    clb__buf_clear(b);
    page_start(b, "Withdraw vacancy", who, csrf);
    clb__buf_puts(b, "<p>Withdraw vacancy <strong>");
    esc(b, id);
    clb__buf_puts(b, "</strong> (");
    esc(b, clb__json_string(clb__json_object_get(vac, "start")));
    clb__buf_puts(b, " to ");
    esc(b, clb__json_string(clb__json_object_get(vac, "end")));
    clb__buf_puts(b, ")? It will not be offered to workers any more. A vacancy with "
                    "confirmed placements cannot be withdrawn.</p>\n"
                    "<form method=\"post\" action=\"/vacancies/");
    esc(b, id);
    clb__buf_puts(b, "/withdraw\"><input type=\"hidden\" name=\"csrf\" value=\"");
    esc(b, csrf);
    clb__buf_puts(b, "\"><button type=\"submit\" class=\"danger\" id=\"confirm-withdraw\">"
                    "Withdraw</button> <a href=\"/vacancies\">Keep it</a></form>\n");
    page_end(b);
    clb__json_free(vac);
    clb_buf_dispose(&vbuf);
}

static void placements_page(srv_ctx *ctx, srv_response *res, const clb__portal_who *who,
                            const char *csrf)
{
    clb_buf pbuf = CLB_BUF_INIT;
    clb_json *list = NULL;
    clb_buf *b = &res->body;
    if (clb__portal_placements_json(&pbuf, ctx->store, who->employer, NULL) < 0 ||
        !(list = load_text(&pbuf))) {
        message_page(res, 503, "Placements", "the database is busy: try again", who, csrf);
        clb_buf_dispose(&pbuf);
        return;
    }
    res->status = 200;
    res->content_type = HTML_TYPE;
    clb__buf_clear(b);
    page_start(b, "Placements", who, csrf);
    clb__buf_puts(b, "<p>The placements of the latest matching round of the season. "
                    "Workers' names are shown once a placement is confirmed.</p>\n");
    if (clb__json_array_size(list) == 0) {
        clb__buf_puts(b, "<p>No placements yet.</p>\n");
    } else {
        clb__buf_puts(b, "<div class=\"scroll\"><table id=\"placements\"><thead><tr>"
                        "<th>Vacancy</th><th>Worker</th><th>Name</th><th>State</th>"
                        "<th>Start</th><th>End</th><th>Site</th><th>Training</th>"
                        "</tr></thead><tbody>\n");
        for (size_t i = 0; i < clb__json_array_size(list); i++) {
            const clb_json *p = clb__json_array_get(list, i);
            const clb_json *tr = clb__json_object_get(p, "training");
            static const char *const COLS[] = {"vacancy", "worker", "name", "state",
                                               "start", "end", "site", NULL};
            static const char *const LABELS[] = {"Vacancy", "Worker", "Name", "State",
                                                 "Start", "End", "Site"};
            clb__buf_puts(b, "<tr>");
            for (size_t c = 0; COLS[c]; c++) {
                clb__buf_printf(b, "<td data-label=\"%s\">", LABELS[c]);
                esc(b, clb__json_string(clb__json_object_get(p, COLS[c])));
                clb__buf_puts(b, "</td>");
            }
            clb__buf_puts(b, "<td data-label=\"Training\">");
            for (size_t t = 0; t < clb__json_array_size(tr); t++) {
                const clb_json *x = clb__json_array_get(tr, t);
                clb__buf_puts(b, t ? ", " : "");
                esc(b, clb__json_string(clb__json_object_get(x, "course")));
                clb__buf_puts(b, " (");
                esc(b, clb__json_string(clb__json_object_get(x, "session")));
                clb__buf_puts(b, ")");
            }
            clb__buf_puts(b, "</td></tr>\n");
        }
        clb__buf_puts(b, "</tbody></table></div>\n");
    }
    page_end(b);
    clb__json_free(list);
    clb_buf_dispose(&pbuf);
}

/* Save a posted add or edit form; on success redirect to the list. */
static void save_form(srv_ctx *ctx, const srv_request *req, srv_response *res,
                      const clb__portal_who *who, const char *csrf, const form *f,
                      const char *edit_id)
{
    clb_buf vbuf = CLB_BUF_INIT, text = CLB_BUF_INIT;
    clb_json *base = NULL, *v = NULL;
    srv_submit s;
    (void)req;
    clb__srv_submit_init(&s);
    if (edit_id) {
        if (clb__portal_vacancy_json(&vbuf, ctx->store, who->employer, edit_id, NULL) < 0 ||
            !(base = load_text(&vbuf))) {
            message_page(res, 404, "Vacancy", "no such vacancy", who, csrf);
            goto done;
        }
    }
    if (!(v = vacancy_of(f, base, edit_id)) || clb__json_save(&text, v, 0) < 0) {
        message_page(res, 500, "Vacancy", "out of memory", who, csrf);
        goto done;
    }
    clb__srv_submit(&s, ctx, who, text.ptr, text.size, edit_id);
    if (s.status == 200 || s.status == 201) {
        redirect(res, "/vacancies");
    } else if (s.status == 422) {
        if (edit_id)
            edit_page(ctx, res, who, csrf, edit_id, 422, f, s.diags);
        else
            vacancies_page(ctx, res, who, csrf, 422, f, s.diags, NULL);
    } else {
        message_page(res, s.status, "Vacancy", s.message.ptr ? s.message.ptr : "refused",
                     who, csrf);
    }
done:
    clb__srv_submit_dispose(&s);
    clb__json_free(base);
    clb__json_free(v);
    clb_buf_dispose(&vbuf);
    clb_buf_dispose(&text);
}

/* "/vacancies/ID/edit" -> ID and "edit" (ID into buf); false for other paths. */
static bool split_vacancy_path(const char *path, char *buf, size_t n, const char **action)
{
    static const char P[] = "/vacancies/";
    const char *id = path + sizeof(P) - 1, *slash;
    if (strncmp(path, P, sizeof(P) - 1) != 0 || !(slash = strchr(id, '/')) || slash == id ||
        (size_t)(slash - id) >= n)
        return false;
    memcpy(buf, id, (size_t)(slash - id));
    buf[slash - id] = '\0';
    *action = slash + 1;
    return strcmp(*action, "edit") == 0 || strcmp(*action, "withdraw") == 0;
}

void clb__pages_handle(srv_ctx *ctx, const srv_request *req, srv_response *res)
{
    const char *p = req->path, *action = NULL;
    bool get = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
    bool post = strcmp(req->method, "POST") == 0;
    clb__portal_who who;
    char csrf[64] = "", id[128];
    form f;

    if (strcmp(p, "/style.css") == 0 && get) {
        clb__srv_set(res, 200, "text/css; charset=utf-8", STYLE);
        return;
    }
    if (strcmp(p, "/") == 0 && get) {
        char pre[64] = "", token[128] = "";
        if (cookie_get(token, sizeof(token), req->cookie, "clb_token") && token[0] &&
            session(ctx, req, res, &who, csrf) == 0) {
            redirect(res, "/vacancies");
            return;
        }
        memset(res->location, 0, sizeof(res->location));
        if (!cookie_get(pre, sizeof(pre), req->cookie, "clb_pre") || !pre[0]) {
            if (clb__token_random_url(pre, 24, sizeof(pre)) < 0) {
                message_page(res, 500, "Sign in", "no randomness", NULL, NULL);
                return;
            }
            snprintf(res->set_cookie[1], sizeof(res->set_cookie[1]),
                     "clb_pre=%s; Path=/; HttpOnly; SameSite=Strict%s", pre,
                     req->tls ? "; Secure" : "");
        }
        res->employer[0] = '\0';
        signin_page(ctx, res, 200, pre, NULL);
        return;
    }
    if (strcmp(p, "/") == 0 && post) {
        signin(ctx, req, res);
        return;
    }
    if (strcmp(p, "/vacancies") != 0 && strcmp(p, "/placements") != 0 &&
        strcmp(p, "/signout") != 0 && !split_vacancy_path(p, id, sizeof(id), &action)) {
        message_page(res, 404, "Not found", "there is no such page", NULL, NULL);
        return;
    }
    if (!get && !post) {
        message_page(res, 405, "Not allowed", "method not allowed", NULL, NULL);
        return;
    }
    if (session(ctx, req, res, &who, csrf) != 0)
        return;
    if (get) {
        if (strcmp(p, "/vacancies") == 0)
            vacancies_page(ctx, res, &who, csrf, 200, NULL, NULL, NULL);
        else if (strcmp(p, "/placements") == 0)
            placements_page(ctx, res, &who, csrf);
        else if (action && strcmp(action, "edit") == 0)
            edit_page(ctx, res, &who, csrf, id, 200, NULL, NULL);
        else if (action && strcmp(action, "withdraw") == 0)
            withdraw_page(ctx, res, &who, csrf, id);
        else
            message_page(res, 405, "Not allowed", "method not allowed", &who, csrf);
        return;
    }
    form_parse(&f, req->body);
    if (!csrf_ok(&f, csrf)) {
        message_page(res, 403, "Refused", "the form has expired or did not come from this "
                                          "site: reload the page and try again", &who, csrf);
    } else if (strcmp(p, "/signout") == 0) {
        redirect(res, "/");
        snprintf(res->set_cookie[0], sizeof(res->set_cookie[0]),
                 "clb_token=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
                 req->tls ? "; Secure" : "");
    } else if (strcmp(p, "/vacancies") == 0) {
        save_form(ctx, req, res, &who, csrf, &f, NULL);
    } else if (action && strcmp(action, "edit") == 0) {
        save_form(ctx, req, res, &who, csrf, &f, id);
    } else if (action && strcmp(action, "withdraw") == 0) {
        clb_buf actor = CLB_BUF_INIT;
        clb_error err;
        int error;
        clb_error_init(&err);
        clb__buf_printf(&actor, "employer:%s/%s", who.employer, who.label);
        clb_store_set_actor(ctx->store, actor.ptr);
        clb_buf_dispose(&actor);
        error = clb__portal_withdraw(ctx->store, who.employer, id, &err);
        if (error == 0)
            redirect(res, "/vacancies");
        else if (error == CLB_ENOTFOUND)
            message_page(res, 404, "Withdraw", "no such vacancy", &who, csrf);
        else if (error == CLB_ESTATE)
            message_page(res, 409, "Withdraw", err.message, &who, csrf);
        else
            message_page(res, 503, "Withdraw", "the database is busy: try again", &who, csrf);
    } else {
        message_page(res, 405, "Not allowed", "method not allowed", &who, csrf);
    }
    form_dispose(&f);
}
