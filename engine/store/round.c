/*
 * round.c - `round run`: a matching round solved on the database and stored whole.
 *
 * The round is solved outside any transaction, on a snapshot of its inputs (a clerk
 * may import meanwhile), then written in one transaction only if the season's
 * lifecycle it was solved with (confirmations, declines, cancellations, pins, bans,
 * policy) still holds, or solved again from a fresh snapshot: a crash leaves the
 * database as it was before or after, never half a round.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"
#include "rules/eligibility.h"
#include "scenario/diags.h"
#include "scenario/save.h"
#include "scenario/scenario_impl.h"
#include "util/alloc.h"

void clb_round_opts_init(clb_round_opts *opts)
{
    memset(opts, 0, sizeof(*opts));
}

/* A reserve candidate, with its worker's id carried along for the sort: qsort has no
   context argument in C11, and a file-level variable would make rounds run in two
   threads at once race on it. */
typedef struct reserve_item {
    uint32_t v, w;
    double value;
    const char *id;
} reserve_item;

/* By vacancy, best value first, then worker id (no ties: pairs are distinct). */
static int cmp_reserve(const void *a, const void *b)
{
    const reserve_item *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    if (x->value != y->value)
        return x->value > y->value ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* Reserve lists as the result document ranks them: per vacancy, the eligible
 * workers left unplaced, best value first, at most max(headcount, 10). */
static int write_reserve(clb_store *st, long round, const clb_scenario *sc,
                         const clb_result *res, clb_error *err)
{
    clb_pairs pairs;
    bool *placed = NULL;
    reserve_item *items = NULL;
    size_t n = 0;
    sqlite3_stmt *s = NULL;
    int error;

    memset(&pairs, 0, sizeof(pairs));
    if ((error = clb__pairs_build(&pairs, sc, err)) < 0)
        return error;
    placed = clb__calloc(sc->n_workers + 1, sizeof(bool));
    items = clb__malloc((pairs.n ? pairs.n : 1) * sizeof(*items));
    if (!placed || !items) {
        error = clb__oom(err);
        goto done;
    }
    for (size_t i = 0; i < clb_result_placement_count(res); i++) {
        clb_placement_info p;
        int32_t w;
        clb_result_placement_get(&p, res, i);
        if ((w = clb__scenario_worker_index(sc, p.worker)) >= 0)
            placed[w] = true;
    }
    for (uint32_t w = 0; w < sc->n_workers; w++)
        if (!placed[w])
            for (size_t k = pairs.first[w]; k < pairs.first[w + 1]; k++) {
                items[n].v = pairs.vac[k];
                items[n].w = w;
                items[n].value = clb__placement_value(sc, w, pairs.vac[k]);
                items[n].id = sc->workers[w].id;
                n++;
            }
    qsort(items, n, sizeof(*items), cmp_reserve);
    if ((error = clb__store_prep(st, &s,
                      "INSERT INTO reserve(round_id, vacancy_id, rank, worker_id, value)"
                      " VALUES (?, ?, ?, ?, ?)",
                      err)) < 0)
        goto done;
    for (size_t i = 0, rank = 0; i < n && error == 0; i++) {
        size_t cap = (size_t)sc->vacancies[items[i].v].headcount;
        if (cap < 10)
            cap = 10;
        rank = (i > 0 && items[i - 1].v == items[i].v) ? rank + 1 : 1;
        if (rank > cap)
            continue;
        sqlite3_bind_int64(s, 1, round);
        clb__store_bind_text(s, 2, sc->vacancies[items[i].v].id);
        sqlite3_bind_int64(s, 3, (sqlite3_int64)rank);
        clb__store_bind_text(s, 4, sc->workers[items[i].w].id);
        sqlite3_bind_double(s, 5, items[i].value);
        error = clb__store_step_done(st, s, err);
    }
done:
    sqlite3_finalize(s);
    clb__free(placed);
    clb__free(items);
    clb__pairs_dispose(&pairs);
    return error;
}

/* A solved round as clb_store_round_run hands it over to be written. */
typedef struct solved_round {
    long season;
    const clb_round_opts *o;
    const clb_scenario *sc;
    const clb_result *res;
    const clb_buf *inputs;
    const char *fp, *life, *started;
    int attempt;
    double t_solve, t_total;
} solved_round;

/* The round's row (its inputs, policy, result document, figures); *out its id. */
static int insert_round(long *out, clb_store *st, const solved_round *r, const char *now,
                        clb_error *err)
{
    sqlite3_stmt *s = NULL;
    clb_buf policy = CLB_BUF_INIT, result = CLB_BUF_INIT, conflicts = CLB_BUF_INIT;
    clb_result_stats stats;
    int error = 0, rc;

    clb_result_get_stats(&stats, r->res);
    rc = clb__scenario_save_policy(&policy, r->sc);
    if (rc == 0)
        rc = clb_result_save(&result, r->res, 0, NULL);
    if (rc == 0)
        rc = clb__buf_puts(&conflicts, "[");
    for (size_t i = 0; rc == 0 && i < clb_result_conflict_count(r->res); i++) {
        if (i)
            rc = clb__buf_puts(&conflicts, ",");
        if (rc == 0)
            rc = clb__buf_put_json_string(&conflicts, clb_result_conflict_get(r->res, i));
    }
    if (rc == 0)
        rc = clb__buf_puts(&conflicts, "]");
    if (rc < 0) {
        error = clb__oom(err);
        goto done;
    }
    if ((error = clb__store_prep(
             st, &s,
             "INSERT INTO rounds(season_id, name, created_at, created_by,"
             " fingerprint, policy, status, objective, bound, gap, time_limit,"
             " started_at, finished_at, seconds_solve, seconds_total, n_workers,"
             " n_vacancies, n_pairs, conflicts, inputs, result)"
             " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
             err)) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, r->season);
    clb__store_bind_text(s, 2, r->o->name);
    clb__store_bind_text(s, 3, now);
    clb__store_bind_text(s, 4, st->actor);
    clb__store_bind_text(s, 5, r->fp);
    clb__store_bind_text(s, 6, policy.ptr);
    clb__store_bind_text(s, 7, clb_status_name(clb_result_status(r->res)));
    sqlite3_bind_double(s, 8, clb_result_objective(r->res));
    sqlite3_bind_double(s, 9, clb_result_bound(r->res));
    sqlite3_bind_double(s, 10, clb_result_gap(r->res));
    if (r->o->time_limit > 0)
        sqlite3_bind_double(s, 11, r->o->time_limit);
    else
        sqlite3_bind_null(s, 11);
    clb__store_bind_text(s, 12, r->started);
    clb__store_bind_text(s, 13, now);
    sqlite3_bind_double(s, 14, r->t_solve);
    sqlite3_bind_double(s, 15, r->t_total);
    sqlite3_bind_int64(s, 16, (sqlite3_int64)stats.workers);
    sqlite3_bind_int64(s, 17, (sqlite3_int64)stats.vacancies);
    sqlite3_bind_int64(s, 18, (sqlite3_int64)stats.eligible_pairs);
    clb__store_bind_text(s, 19, conflicts.ptr);
    clb__store_bind_text(s, 20, r->inputs->ptr);
    clb__store_bind_text(s, 21, result.ptr);
    if ((error = clb__store_step_done(st, s, err)) == 0)
        *out = (long)sqlite3_last_insert_rowid(st->db);
done:
    sqlite3_finalize(s);
    clb_buf_dispose(&policy);
    clb_buf_dispose(&result);
    clb_buf_dispose(&conflicts);
    return error;
}

/* The round's placements: a pair confirmed in an earlier round of the season is the
 * same placement (one id for its whole life); the others are new proposals. Each is
 * linked to the round. */
static int write_placements(clb_store *st, long round, const solved_round *r,
                            const char *now, clb_error *err)
{
    sqlite3_stmt *kept = NULL, *s = NULL, *link = NULL;
    int error;
    if ((error = clb__store_prep(
             st, &kept,
             "SELECT p.id FROM placements p JOIN rounds r ON r.id = p.round_id"
             " WHERE r.season_id = ? AND p.worker_id = ? AND p.vacancy_id = ?"
             " AND p.status IN " CONFIRMED_STATES " ORDER BY p.id LIMIT 1",
             err)) < 0 ||
        (error = clb__store_prep(
             st, &s,
             "INSERT INTO placements(round_id, worker_id, vacancy_id, employer_id,"
             " site_id, start_date, end_date, value, status, updated_at)"
             " VALUES (?,?,?,?,?,?,?,?,'proposed',?)",
             err)) < 0 ||
        (error = clb__store_prep(
             st, &link,
             "INSERT INTO round_placements(round_id, placement_id) VALUES (?,?)", err)) <
            0)
        goto done;
    for (size_t i = 0; i < clb_result_placement_count(r->res) && error == 0; i++) {
        clb_placement_info p;
        sqlite3_int64 id = 0;
        clb_result_placement_get(&p, r->res, i);
        sqlite3_bind_int64(kept, 1, r->season);
        clb__store_bind_text(kept, 2, p.worker);
        clb__store_bind_text(kept, 3, p.vacancy);
        if (sqlite3_step(kept) == SQLITE_ROW)
            id = sqlite3_column_int64(kept, 0);
        sqlite3_reset(kept);
        sqlite3_clear_bindings(kept);
        if (!id) {
            sqlite3_bind_int64(s, 1, round);
            clb__store_bind_text(s, 2, p.worker);
            clb__store_bind_text(s, 3, p.vacancy);
            clb__store_bind_text(s, 4, p.employer);
            clb__store_bind_text(s, 5, p.site);
            clb__store_bind_text(s, 6, p.start);
            clb__store_bind_text(s, 7, p.end);
            sqlite3_bind_double(s, 8, p.value);
            clb__store_bind_text(s, 9, now);
            if ((error = clb__store_step_done(st, s, err)) < 0)
                break;
            id = sqlite3_last_insert_rowid(st->db);
        }
        sqlite3_bind_int64(link, 1, round);
        sqlite3_bind_int64(link, 2, id);
        error = clb__store_step_done(st, link, err);
    }
done:
    sqlite3_finalize(kept);
    sqlite3_finalize(s);
    sqlite3_finalize(link);
    return error;
}

static void bind_training(sqlite3_stmt *s, size_t i, const void *res)
{
    clb_training_info t;
    clb_result_training_get(&t, res, i);
    clb__store_bind_text(s, 2, t.worker);
    clb__store_bind_text(s, 3, t.session);
    clb__store_bind_text(s, 4, t.course);
}

static void bind_reintegration(sqlite3_stmt *s, size_t i, const void *res)
{
    clb_reintegration_info r;
    clb_result_reintegration_get(&r, res, i);
    clb__store_bind_text(s, 2, r.worker);
    clb__store_bind_text(s, 3, r.programme);
}

static void bind_fill(sqlite3_stmt *s, size_t i, const void *res)
{
    clb_vacancy_fill f;
    clb_result_vacancy_get(&f, res, i);
    clb__store_bind_text(s, 2, f.id);
    sqlite3_bind_int(s, 3, f.headcount);
    sqlite3_bind_int(s, 4, f.filled);
}

/* The lists of a result stored with its round: one row each, the round's id first. */
static const struct round_rows {
    const char *sql;
    size_t (*count)(const clb_result *res);
    void (*bind)(sqlite3_stmt *s, size_t i, const void *res);
} round_rows[] = {
    {"INSERT INTO training(round_id, worker_id, session_id, course) VALUES (?,?,?,?)",
     clb_result_training_count, bind_training},
    {"INSERT INTO reintegration(round_id, worker_id, programme_id) VALUES (?,?,?)",
     clb_result_reintegration_count, bind_reintegration},
    {"INSERT INTO round_vacancies(round_id, vacancy_id, headcount, filled)"
     " VALUES (?,?,?,?)",
     clb_result_vacancy_count, bind_fill},
};

/* Write a solved round; returns its number in *out. Inside a transaction. */
static int write_round(long *out, clb_store *st, const solved_round *r, clb_error *err)
{
    clb_buf detail = CLB_BUF_INIT;
    char now[32], obj[32];
    long round = 0;
    int error;

    clb__now_iso(now);
    if ((error = insert_round(&round, st, r, now, err)) < 0 ||
        (error = write_placements(st, round, r, now, err)) < 0)
        return error;
    for (size_t k = 0; k < sizeof(round_rows) / sizeof(round_rows[0]) && error == 0; k++)
        error = clb__store_insert_rows(st, round_rows[k].sql, round,
                                       round_rows[k].count(r->res), round_rows[k].bind,
                                       r->res, err);
    if (error < 0 || (error = write_reserve(st, round, r->sc, r->res, err)) < 0)
        return error;
    snprintf(obj, sizeof(obj), "round %ld", round);
    if (clb__buf_printf(&detail,
                        "{\"status\":\"%s\",\"objective\":%.17g,\"placements\":%zu,"
                        "\"fingerprint\":\"%s\",\"lifecycle\":\"%s\",\"attempts\":%d}",
                        clb_status_name(clb_result_status(r->res)),
                        clb_result_objective(r->res), clb_result_placement_count(r->res),
                        r->fp, r->life, r->attempt) < 0)
        error = clb__oom(err);
    else
        error = clb__store_audit(st, "round.run", obj, NULL, NULL, detail.ptr, err);
    clb_buf_dispose(&detail);
    if (error == 0)
        *out = round;
    return error;
}

/*
 * The fingerprint of what a round reads from the season's lifecycle: the season, its
 * latest round (whose proposals earn the keep bonus), each placement of the season
 * by id with the class of its state (proposed; confirmed, departed, returned and
 * not_returned, which are all pinned alike; declined; cancelled), the stored pins
 * and bans, and the policy. Records (workers, vacancies, offers...) are not in it:
 * an import or a feed during a solve does not void the round, the next one takes
 * them. Read inside the caller's transaction.
 */
static int lifecycle_fingerprint(char out[40], clb_store *st, long season, clb_error *err)
{
    static const char *const queries[] = {
        "SELECT 'round', max(id) FROM rounds WHERE season_id = ?1",
        "SELECT p.id, CASE WHEN p.status IN " CONFIRMED_STATES " THEN 'c'"
        " ELSE p.status END FROM placements p JOIN rounds r ON r.id = p.round_id"
        " WHERE r.season_id = ?1 ORDER BY p.id",
        "SELECT kind, worker_id || ' ' || vacancy_id || ' ' || employer_id FROM pairs"
        " WHERE kind IN ('pin', 'ban') AND ?1 IS NOT NULL"
        " ORDER BY kind, worker_id, vacancy_id, employer_id",
        "SELECT key, value FROM settings WHERE key = 'policy' AND ?1 IS NOT NULL",
    };
    clb_buf text = CLB_BUF_INIT;
    int error = 0, rc = clb__buf_printf(&text, "season %ld\n", season);

    for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]) && error == 0; q++) {
        sqlite3_stmt *s = NULL;
        int step;
        if ((error = clb__store_prep(st, &s, queries[q], err)) < 0)
            break;
        sqlite3_bind_int64(s, 1, season);
        while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW)
            rc = clb__buf_printf(&text, "%s %s\n", clb__store_col_text0(s, 0),
                                 clb__store_col_text0(s, 1));
        if (rc == 0 && step != SQLITE_DONE)
            error = clb__store_db_error(st, err, "read the lifecycle");
        sqlite3_finalize(s);
    }
    if (error == 0 && rc < 0)
        error = clb__oom(err);
    if (error == 0)
        clb__store_fingerprint(out, text.ptr, text.size);
    clb_buf_dispose(&text);
    return error;
}

#define ROUND_ATTEMPTS 3 /* default number of solves before a busy season refuses */

int clb_store_round_run(clb_buf *out, long *out_round, clb_store *st,
                        const clb_round_opts *opts, unsigned flags, clb_error *err)
{
    clb_round_opts defaults;
    clb_buf inputs = CLB_BUF_INIT;
    clb_scenario *sc = NULL;
    clb_result *res = NULL;
    clb_diags *diags = NULL;
    clb_solve_opts so;
    clb_error lerr;
    clb__store_assemble_opts ao;
    char fp[40], life[40], life2[40], started[32];
    long season = 0, season2 = 0, round = 0;
    double t0 = clb__now_seconds(), t1, t2;
    int error, attempts, attempt = 0;

    if (!opts) {
        clb_round_opts_init(&defaults);
        opts = &defaults;
    }
    attempts = opts->max_attempts > 0 ? opts->max_attempts : ROUND_ATTEMPTS;
    clb__now_iso(started);
again:
    attempt++;
    clb_result_free(res);
    clb_scenario_free(sc);
    clb_diags_free(diags);
    res = NULL;
    sc = NULL;
    diags = NULL;
    clb__buf_clear(&inputs);
    /* 1. a consistent snapshot of the inputs and of the lifecycle they come from */
    if ((error = clb__store_read_begin(st, err)) < 0)
        goto done;
    error = clb__store_open_season(st, &season, err);
    if (error == 0) {
        memset(&ao, 0, sizeof(ao));
        ao.round = true;
        ao.season = season;
        ao.name = opts->name;
        error = clb__store_assemble(&inputs, st, &ao, err);
    }
    if (error == 0)
        error = lifecycle_fingerprint(life, st, season, err);
    if ((error = clb__store_tx_end(st, error, err)) < 0)
        goto done;
    clb__store_fingerprint(fp, inputs.ptr, inputs.size);
    /* 2. solve, outside any transaction: a clerk may import meanwhile */
    clb_error_init(&lerr);
    if (clb_diags_new(&diags) < 0) {
        error = clb__oom(err);
        goto done;
    }
    if (clb_scenario_load_buffer(&sc, inputs.ptr, inputs.size, "database", diags, &lerr) <
        0) {
        error = clb__store_assembled_invalid(diags, &lerr, err);
        goto done;
    }
    clb_solve_opts_init(&so);
    so.time_limit = opts->time_limit;
    so.gap = opts->gap;
    so.progress = opts->progress;
    so.payload = opts->payload;
    t1 = clb__now_seconds();
    if ((error = clb_solve(&res, sc, &so, err)) < 0)
        goto done;
    t2 = clb__now_seconds();
    /* 3. write the round whole, if the lifecycle it was solved with still holds */
    if ((error = clb__store_tx_begin(st, err)) < 0)
        goto done;
    error = clb__store_open_season(st, &season2, err);
    if (error == 0 && season2 != season)
        error =
            clb__error_set(err, CLB_ESTATE,
                           "season %ld was closed while the round was solving; run the "
                           "round again",
                           season);
    if (error == 0)
        error = lifecycle_fingerprint(life2, st, season, err);
    if (error == 0 && strcmp(life, life2) != 0) {
        st->tx_failed = true;
        clb__store_tx_end(st, error, err);
        if (attempt < attempts)
            goto again; /* solve again from a fresh snapshot */
        error =
            clb__error_set(err, CLB_EDB,
                           "the season's confirmations, declines, cancellations, pins, "
                           "bans or policy changed while the round was solving (%d "
                           "attempt%s); nothing was stored: run the round again",
                           attempt, attempt == 1 ? "" : "s");
        goto done;
    }
    if (error == 0)
    {
        solved_round r = {.season = season, .o = opts, .sc = sc, .res = res,
                          .inputs = &inputs, .fp = fp, .life = life, .started = started,
                          .attempt = attempt, .t_solve = t2 - t1,
                          .t_total = clb__now_seconds() - t0};
        error = write_round(&round, st, &r, err);
    }
    if (error == 0 && out)
        error = clb__store_round_show(out, st, round, flags, true, err);
    if (error == 0 && opts->dry_run)
        st->tx_failed = true; /* roll back: a dry run stores nothing */
    error = clb__store_tx_end(st, error, err);
    if (error == 0 && out_round)
        *out_round = round;
done:
    clb_result_free(res);
    clb_scenario_free(sc);
    clb_diags_free(diags);
    clb_buf_dispose(&inputs);
    return error;
}
