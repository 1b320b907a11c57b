/*
 * warn.c - warnings a clerk should read before acting on a round: it found no eligible
 * pair at all, or fewer than half of the previous round's (store.h,
 * clb_store_round_warnings).
 *
 * Such a round is not an error (the empty plan is a valid plan), but it is almost
 * always a mistake in the data: availability dates a year off, a country the policy
 * does not allow, a skill spelled two ways. The warning says which eligibility rule
 * most of the round's worker-vacancy pairs fail and what to look at. It reads the
 * round as stored (its inputs and its result's pair count), so it costs nothing when
 * all is well, and one pass over the pairs only when a warning is due.
 */
#include "store/store_impl.h"

#include <string.h>

#include "io/json.h"
#include "rules/eligibility.h"
#include "util/util.h"

/* What to check when most pairs fail a rule, by rule bit (clb_rule_name order). */
static const char *const ADVICE[CLB_RULE_COUNT] = {
    "the workers' birth dates and the policy's min_age",
    "the workers' countries and the policy's allowed_countries",
    "the workers' available_from/available_to against the vacancies' start and end "
    "(a year off?)",
    "the skills and languages the vacancies require against the workers' (spelled "
    "the same way?)",
    "the campaigns the vacancies require (min_campaigns) against the workers' history",
    "the training sessions: none open to the workers ends training_lead_days before "
    "the vacancies start",
    "the workers' last_return and the policy's min_home_days",
    "the vacancies' length and the workers' days_abroad against max_stay_days",
    "the workers' banned_until",
    "the bans",
    "the workers' excludes"};

/* The stored result's eligible pair count of round `round` (-1 when not stored). */
static int pair_count(long long *out, clb_store *st, long round, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    clb_json *root = NULL;
    int error = clb__store_prep(st, &s, "SELECT result FROM rounds WHERE id = ?", err);
    *out = -1;
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, round);
    if (sqlite3_step(s) == SQLITE_ROW) {
        const char *t = clb__store_col_text0(s, 0);
        if (clb__json_load_buffer(&root, t, strlen(t), "round result", NULL) == 0 &&
            !clb__json_integer(clb__json_object_get(clb__json_object_get(root, "stats"),
                                                    "eligible_pairs"),
                               out))
            *out = -1;
        clb__json_free(root);
    }
    sqlite3_finalize(s);
    return 0;
}

/* The round's stored inputs as a scenario. */
static int round_scenario(clb_scenario **out, clb_store *st, long round, clb_error *err)
{
    sqlite3_stmt *s = NULL;
    int error = clb__store_prep(st, &s, "SELECT inputs FROM rounds WHERE id = ?", err);
    *out = NULL;
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, round);
    if (sqlite3_step(s) == SQLITE_ROW) {
        const char *t = clb__store_col_text0(s, 0);
        error = clb_scenario_load_buffer(out, t, strlen(t), "round inputs", NULL, err);
    } else
        error = clb__error_set(err, CLB_ENOTFOUND, "no round %ld", round);
    sqlite3_finalize(s);
    return error;
}

/* The rule most of the scenario's pairs fail (its bit index), and how many fail it. */
static int top_rule(const clb_scenario *sc, size_t *fails, size_t *pairs)
{
    size_t count[CLB_RULE_COUNT] = {0};
    int best = 0;
    *pairs = sc->n_workers * sc->n_vacancies;
    for (size_t w = 0; w < sc->n_workers; w++)
        for (size_t v = 0; v < sc->n_vacancies; v++) {
            unsigned mask = clb__eligibility_check(sc, (uint32_t)w, (uint32_t)v);
            for (int r = 0; r < CLB_RULE_COUNT; r++)
                count[r] += (mask >> r) & 1u;
        }
    for (int r = 1; r < CLB_RULE_COUNT; r++)
        if (count[r] > count[best])
            best = r;
    *fails = count[best];
    return best;
}

int clb_store_round_warnings(clb_buf *out, clb_store *st, long round, clb_error *err)
{
    clb_scenario *sc = NULL;
    long long now = -1, before = -1;
    long prev = 0;
    sqlite3_stmt *s = NULL;
    int error, rule, rc = 0;
    size_t fails, pairs;

    if ((error = clb__store_read_begin(st, err)) < 0)
        return error;
    if (round <= 0 && (error = clb_store_round_latest(&round, st, err)) == 0 && round == 0)
        goto done; /* no round: nothing to warn about */
    if (error < 0 || (error = pair_count(&now, st, round, err)) < 0)
        goto done;
    if ((error = clb__store_prep(st, &s, "SELECT max(id) FROM rounds WHERE id < ?", err)) < 0)
        goto done;
    sqlite3_bind_int64(s, 1, round);
    if (sqlite3_step(s) == SQLITE_ROW)
        prev = (long)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (prev > 0 && (error = pair_count(&before, st, prev, err)) < 0)
        goto done;
    if (now < 0 || (now > 0 && !(before > 0 && now * 2 < before)))
        goto done; /* all is well (or the round's figures cannot be read) */
    if ((error = round_scenario(&sc, st, round, err)) < 0)
        goto done;
    if (sc->n_workers == 0 || sc->n_vacancies == 0) {
        rc = clb__buf_printf(out, "round %ld has %s to match: import them first\n", round,
                             sc->n_workers == 0 ? "no active workers" : "no open vacancies");
        goto done;
    }
    rule = top_rule(sc, &fails, &pairs);
    if (now == 0)
        rc = clb__buf_printf(out, "round %ld found no eligible worker-vacancy pair", round);
    else
        rc = clb__buf_printf(out,
                             "round %ld found %lld eligible worker-vacancy pairs, fewer "
                             "than half of round %ld's %lld",
                             round, now, prev, before);
    if (rc == 0)
        rc = clb__buf_printf(out, ": %zu of %zu pairs fail the rule '%s'; check %s\n",
                             fails, pairs, clb_rule_name(1u << rule), ADVICE[rule]);
done:
    clb_scenario_free(sc);
    if (error == 0 && rc < 0)
        error = clb__oom(err);
    return clb__store_tx_end(st, error, err);
}
