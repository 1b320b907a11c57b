/*
 * jw.c - the pretty-printing JSON writer (see jw.h).
 *
 * Keys and strings go through clb__buf_put_json_string and numbers through
 * clb__buf_put_json_number, so every JSON the engine writes escapes and formats
 * values one way.
 */
#include "util/jw.h"

void clb__jw_raw(clb__jw *j, const char *s)
{
    if (j->rc == 0)
        j->rc = clb__buf_puts(j->b, s);
}

static void indent(clb__jw *j)
{
    clb__jw_raw(j, "\n");
    for (int i = 0; i < j->depth; i++)
        clb__jw_raw(j, "  ");
}

void clb__jw_key(clb__jw *j, const char *key)
{
    if (j->has[j->depth])
        clb__jw_raw(j, ",");
    j->has[j->depth] = true;
    if (j->depth > 0)
        indent(j);
    if (key) {
        if (j->rc == 0)
            j->rc = clb__buf_put_json_string(j->b, key);
        clb__jw_raw(j, ": ");
    }
}

void clb__jw_open(clb__jw *j, const char *key, char c)
{
    char s[2] = {c, 0};
    clb__jw_key(j, key);
    clb__jw_raw(j, s);
    if (j->depth < 30)
        j->depth++;
    j->has[j->depth] = false;
}

void clb__jw_close(clb__jw *j, char c)
{
    char s[2] = {c, 0};
    bool had = j->has[j->depth];
    j->depth--;
    if (had)
        indent(j);
    clb__jw_raw(j, s);
    if (j->depth == 0)
        clb__jw_raw(j, "\n");
}

void clb__jw_str(clb__jw *j, const char *key, const char *v)
{
    clb__jw_key(j, key);
    if (!v)
        clb__jw_raw(j, "null");
    else if (j->rc == 0)
        j->rc = clb__buf_put_json_string(j->b, v);
}

void clb__jw_int(clb__jw *j, const char *key, long long v)
{
    clb__jw_key(j, key);
    if (j->rc == 0)
        j->rc = clb__buf_printf(j->b, "%lld", v);
}

void clb__jw_num(clb__jw *j, const char *key, double v)
{
    clb__jw_key(j, key);
    if (j->rc == 0)
        j->rc = clb__buf_put_json_number(j->b, v);
}

void clb__jw_rawval(clb__jw *j, const char *key, const char *json)
{
    clb__jw_key(j, key);
    clb__jw_raw(j, json && *json ? json : "null");
}


int clb__jw_finish(const clb__jw *j, clb_error *err)
{
    return j->rc < 0 ? clb__error_set(err, CLB_ENOMEM, "out of memory") : 0;
}
