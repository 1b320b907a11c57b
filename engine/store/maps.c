/*
 * maps.c - the mapping tables in the database (include/circulab/maps.h): add,
 * remove, list, and loading them for maps.c. Part of the store module (store_impl.h).
 *
 * Each row keeps the text as the agency typed it (for listing) and its normalised
 * form (the key matched on), so that lookups never depend on case or spacing.
 */
#include "rules/maps.h"
#include "store/maps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"
#include "util/alloc.h"
#include "util/util.h"

static bool target_ok(clb_map_kind kind, const char *to)
{
    size_t n = strlen(to);
    if (kind == CLB_MAP_REGION) {
        if (n < 2 || n > 5 || to[0] < 'A' || to[0] > 'Z' || to[1] < 'A' || to[1] > 'Z')
            return false;
        for (size_t i = 2; i < n; i++)
            if (!((to[i] >= 'A' && to[i] <= 'Z') || (to[i] >= '0' && to[i] <= '9')))
                return false;
        return true;
    }
    if (kind == CLB_MAP_OCCUPATION)
        return strncmp(to, "isco:", 5) == 0 && n >= 6 && n <= 9 &&
               strspn(to + 5, "0123456789") == n - 5;
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)to[i] < 0x21 || to[i] == 0x7f)
            return false;
    return true;
}

int clb_store_map_add(clb_store *st, clb_map_kind kind, const char *from, const char *to,
                      clb_error *err)
{
    sqlite3_stmt *s = NULL;
    char key[256], now[32], detail[600];
    int error;
    clb__map_normalise(key, sizeof(key), from);
    if (!key[0] || strlen(from) > 200)
        return clb__error_set(err, CLB_EINVAL, "a mapped text must be 1 to 200 bytes");
    if (!to || !target_ok(kind, to))
        return clb__error_set(err, CLB_EINVAL,
                             kind == CLB_MAP_REGION ? "region target must be a NUTS code "
                                                      "such as ES615"
                             : kind == CLB_MAP_OCCUPATION ? "occupation target must be "
                                                            "isco: and 1 to 4 digits"
                                                          : "employer target must be an id");
    if ((error = clb__store_tx_begin(st, err)) < 0)
        return error;
    clb__now_iso(now);
    if ((error = clb__store_prep(st, &s,
                                 "INSERT INTO value_maps(kind, key, text, target, added_at,"
                                 " added_by) VALUES (?,?,?,?,?,?) ON CONFLICT (kind, key)"
                                 " DO UPDATE SET text = excluded.text,"
                                 " target = excluded.target, added_at = excluded.added_at,"
                                 " added_by = excluded.added_by",
                                 err)) < 0)
        goto done;
    clb__store_bind_text(s, 1, clb_map_kind_name(kind));
    clb__store_bind_text(s, 2, key);
    clb__store_bind_text(s, 3, from);
    clb__store_bind_text(s, 4, to);
    clb__store_bind_text(s, 5, now);
    clb__store_bind_text(s, 6, st->actor);
    if ((error = clb__store_step_done(st, s, err)) < 0)
        goto done;
    snprintf(detail, sizeof(detail), "%s -> %s", key, to);
    error = clb__store_audit(st, "map.add", clb_map_kind_name(kind), NULL, NULL, detail, err);
done:
    sqlite3_finalize(s);
    return clb__store_tx_end(st, error, err);
}

int clb_store_map_remove(clb_store *st, clb_map_kind kind, const char *from,
                         clb_error *err)
{
    sqlite3_stmt *s = NULL;
    char key[256];
    int error;
    clb__map_normalise(key, sizeof(key), from);
    if ((error = clb__store_tx_begin(st, err)) < 0)
        return error;
    if ((error = clb__store_prep(st, &s, "DELETE FROM value_maps WHERE kind = ? AND key = ?",
                                 err)) < 0)
        goto done;
    clb__store_bind_text(s, 1, clb_map_kind_name(kind));
    clb__store_bind_text(s, 2, key);
    if ((error = clb__store_step_done(st, s, err)) < 0)
        goto done;
    if (sqlite3_changes(st->db) == 0) {
        error = clb__error_set(err, CLB_ENOTFOUND, "no %s mapping for '%s'",
                              clb_map_kind_name(kind), key);
        goto done;
    }
    error = clb__store_audit(st, "map.remove", clb_map_kind_name(kind), NULL, NULL, key, err);
done:
    sqlite3_finalize(s);
    return clb__store_tx_end(st, error, err);
}

int clb_store_map_list(clb_buf *out, clb_store *st, int kind, unsigned flags,
                       clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error, rc = 0, n = 0;
    if ((error = clb__store_prep(st, &s,
                                 "SELECT kind, text, target FROM value_maps"
                                 " WHERE ?1 IS NULL OR kind = ?1 ORDER BY kind, key",
                                 err)) < 0)
        return error;
    clb__store_bind_text(s, 1, kind >= 0 ? clb_map_kind_name((clb_map_kind)kind) : NULL);
    if (flags & CLB_STORE_JSON)
        rc = clb__buf_puts(out, "[");
    while (rc == 0 && (error = sqlite3_step(s)) == SQLITE_ROW) {
        const char *k = clb__store_col_text(s, 0), *t = clb__store_col_text(s, 1),
                   *to = clb__store_col_text(s, 2);
        if (flags & CLB_STORE_JSON)
            rc = clb__buf_puts(out, n ? ",\n  {\"kind\": " : "\n  {\"kind\": ") ||
                 clb__buf_put_json_string(out, k) || clb__buf_puts(out, ", \"from\": ") ||
                 clb__buf_put_json_string(out, t) || clb__buf_puts(out, ", \"to\": ") ||
                 clb__buf_put_json_string(out, to) || clb__buf_puts(out, "}");
        else
            rc = clb__buf_printf(out, "%-10s %s -> %s\n", k, t, to);
        n++;
    }
    if (rc == 0 && error != SQLITE_DONE && error != SQLITE_ROW) {
        error = clb__store_db_error(st, err, "list mappings");
        sqlite3_finalize(s);
        return error;
    }
    sqlite3_finalize(s);
    if (rc == 0 && (flags & CLB_STORE_JSON))
        rc = clb__buf_puts(out, n ? "\n]\n" : "]\n");
    else if (rc == 0 && n == 0)
        rc = clb__buf_puts(out, "no mappings\n");
    return rc ? clb__oom(err) : 0;
}

int clb__store_maps_load(clb__maps *out, clb_store *st, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    size_t cap = 0;
    int error;
    memset(out, 0, sizeof(*out));
    if ((error = clb__store_prep(st, &s, "SELECT kind, key, target FROM value_maps", err)) <
        0)
        return error;
    while (sqlite3_step(s) == SQLITE_ROW) {
        clb_map_kind kind;
        clb__map_entry *e;
        if (!clb_map_kind_parse(&kind, clb__store_col_text(s, 0)))
            continue;
        if (out->n == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            clb__map_entry *v = clb__realloc(out->v, ncap * sizeof(*v));
            if (!v) {
                error = clb__oom(err);
                break;
            }
            out->v = v;
            cap = ncap;
        }
        e = &out->v[out->n];
        e->kind = (int)kind;
        e->key = clb__strdup(clb__store_col_text(s, 1));
        e->target = clb__strdup(clb__store_col_text(s, 2));
        out->n++;
        if (!e->key || !e->target) {
            error = clb__oom(err);
            break;
        }
    }
    sqlite3_finalize(s);
    if (error < 0)
        clb__maps_dispose(out);
    return error;
}
