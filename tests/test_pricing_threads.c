/*
 * test_pricing_threads.c - the pricing in threads (engine/solve/pricing_team.c,
 * engine/util/par.c) gives what the pricing in one thread gives.
 *
 * - On generated scenarios (tests/generated.h) with the policy varied, random pins and
 *   random reduced values of every sign, every worker's best itinerary from
 *   clb__pricing_best_many in 1 to 4 threads, in batches of several sizes, must be
 *   bit for bit the one clb__pricing_best gives in one thread: found, value, columns.
 * - The enumeration in threads (clb__pricing_enumerate_many) makes the very calls of
 *   the enumeration worker after worker in one thread, in the same order, also when
 *   the callback stops it and when a thread keeps fewer itineraries than a worker has.
 * - clb_solve with 1, 2 and 4 threads must write byte-identical result documents
 *   (plan, objective, bound, status) on generated scenarios.
 * - A team's loop hands every item out exactly once, whatever its size.
 * - Allocation failures in the threaded solve: the n-th allocation of a solve in two
 *   threads fails, at a stride over all of them, through an allocator that counts
 *   from every thread; each run ends in CLB_ENOMEM or in the very result of the run
 *   without failure, with nothing leaked. (Which allocation is the n-th changes from
 *   run to run with threads, so tests/nomem/sweep.c sweeps one thread exactly.)
 */
#include "harness.h"
#include "circulab.h"
#include "generate.h"
#include "generated.h"
#include "rules/eligibility.h"
#include "scenario/scenario_impl.h"
#include "solve/model.h"
#include "solve/pricing.h"
#include "solve/pricing_team.h"
#include "util/par.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a counting allocator, safe across threads -------------------------------------- */

static atomic_ulong calls, fail_at;
static atomic_long live;
static atomic_bool failed_once;

static void *t_malloc(size_t size)
{
    void *p;
    unsigned long f = atomic_load(&fail_at);
    if (atomic_fetch_add(&calls, 1) + 1 == f) {
        atomic_store(&failed_once, true);
        return NULL;
    }
    if ((p = malloc(size)) != NULL)
        atomic_fetch_add(&live, 1);
    return p;
}

static void *t_realloc(void *ptr, size_t size)
{
    void *p;
    unsigned long f = atomic_load(&fail_at);
    if (atomic_fetch_add(&calls, 1) + 1 == f) {
        atomic_store(&failed_once, true);
        return NULL;
    }
    p = realloc(ptr, size);
    if (p && !ptr)
        atomic_fetch_add(&live, 1);
    return p;
}

static void t_free(void *ptr)
{
    if (ptr)
        atomic_fetch_sub(&live, 1);
    free(ptr);
}

/* ---- random numbers ------------------------------------------------------------------- */

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;
static uint64_t next_rand(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static double urand(void) { return (double)(next_rand() >> 11) / 9007199254740992.0; }

static void vary_policy(clb_scenario *s, int variant)
{
    clb_policy *pol = &s->policy;
    pol->min_gap_days = (int)(next_rand() % 3) * 7;
    pol->training_lead_days = (int)(next_rand() % 3) * 3;
    pol->max_placements = (int)(next_rand() % 4);
    if (next_rand() % 2)
        pol->max_stay_days = 120 + (int)(next_rand() % 150);
    pol->reintegration = (clb_reint_mode)(variant % 3);
    pol->reintegration_window_days = 30 + (int)(next_rand() % 90);
}

/* ---- the team ------------------------------------------------------------------------- */

typedef struct count_job {
    atomic_int *seen;
    unsigned size;
    atomic_int bad_member;
} count_job;

static void count_one(void *payload, unsigned member, size_t item)
{
    count_job *j = payload;
    if (member >= j->size)
        atomic_store(&j->bad_member, 1);
    atomic_fetch_add(&j->seen[item], 1);
}

static void test_team(void)
{
    for (unsigned n = 1; n <= 5; n++) {
        clb_par *team = NULL;
        CHECK_INT(clb__par_new(&team, n), 0);
        CHECK_INT(clb__par_size(team), n);
        for (size_t items = 0; items < 2000; items = items * 3 + 1) {
            atomic_int *seen = calloc(items + 1, sizeof(atomic_int));
            count_job j = {seen, clb__par_size(team), 0};
            clb__par_for(team, items, count_one, &j);
            int once = 1;
            for (size_t i = 0; i < items; i++)
                once &= atomic_load(&seen[i]) == 1;
            CHECK(once);
            CHECK_INT(atomic_load(&j.bad_member), 0);
            free(seen);
        }
        clb__par_free(team);
    }
    CHECK(clb__par_cpus() >= 1);
}

/* ---- the pricing of many workers against one at a time -------------------------------- */

static size_t compared, found_some, multi_threaded;

static bool same_itin(const clb_itin *a, bool fa, const clb_itin *b, bool fb)
{
    if (fa != fb)
        return false;
    if (!fa)
        return true;
    return a->worker == b->worker && memcmp(&a->value, &b->value, sizeof(double)) == 0 &&
           a->n == b->n && memcmp(a->cols, b->cols, a->n * sizeof(int32_t)) == 0;
}

/* The calls an enumeration makes, written down (worker, value bits, columns), up to
   `stop_after` (0: all) where the callback stops it. */
typedef struct trace {
    clb_buf log;
    size_t calls, stop_after;
} trace;

static int trace_cb(const clb_itin *it, void *payload)
{
    trace *t = payload;
    char line[64];
    t->calls++;
    snprintf(line, sizeof(line), "%u %a:", it->worker, it->value);
    clb_buf_puts(&t->log, line);
    for (size_t k = 0; k < it->n; k++) {
        snprintf(line, sizeof(line), " %d", (int)it->cols[k]);
        clb_buf_puts(&t->log, line);
    }
    clb_buf_puts(&t->log, "\n");
    return t->stop_after && t->calls == t->stop_after ? 7 : 0;
}

static size_t enumerated, enum_compared;

/* clb__pricing_enumerate_many against clb__pricing_enumerate worker after worker:
   the same calls in the same order, also when the callback stops early and when a
   thread keeps fewer itineraries than a worker has. */
static void compare_enumeration(clb_pricing *one, clb_pricing_team *team, size_t nw,
                                const double *d, double spread)
{
    uint32_t *ws = malloc((nw + 1) * sizeof(uint32_t));
    double *thr = malloc((nw + 1) * sizeof(double));
    size_t n = 0;
    clb_itin it;
    memset(&it, 0, sizeof(it));
    for (uint32_t w = 0; w < nw; w++) {
        bool f = false;
        CHECK_INT(clb__pricing_best(one, w, d, &it, &f), 0);
        if (!f)
            continue;
        ws[n] = w;
        thr[n++] = it.value - spread * urand();
    }
    clb__itin_dispose(&it);
    trace serial = {CLB_BUF_INIT, 0, 0};
    for (size_t i = 0; i < n; i++)
        CHECK_INT(clb__pricing_enumerate(one, ws[i], d, thr[i], trace_cb, &serial), 0);
    enumerated += serial.calls;
    size_t stops[3] = {0, serial.calls / 2 + 1, 1};
    size_t keeps[3] = {1000000, 3, 1};
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++) {
            trace par = {CLB_BUF_INIT, 0, stops[a]};
            int rc = clb__pricing_enumerate_many(team, ws, n, d, thr, keeps[b], trace_cb, &par);
            CHECK_INT(rc, stops[a] && stops[a] <= serial.calls ? 7 : 0);
            size_t want = stops[a] && stops[a] <= serial.calls ? stops[a] : serial.calls;
            CHECK_INT(par.calls, want);
            /* the first `want` lines of the serial trace */
            size_t len = 0, lines = 0;
            while (len < serial.log.size && lines < want)
                lines += serial.log.ptr[len++] == '\n';
            bool same = par.log.size == len && memcmp(par.log.ptr, serial.log.ptr, len) == 0;
            CHECK(same);
            enum_compared++;
            clb_buf_dispose(&par.log);
        }
    clb_buf_dispose(&serial.log);
    free(ws);
    free(thr);
}

static void compare_pricing(uint64_t seed, int variant)
{
    clb_scenario *s = clb_test_generated(60, 12, seed, 6);
    clb_pairs pairs;
    clb_model m;
    clb_error err;
    clb_pricing *one = NULL, *many = NULL;
    clb_pricing_team *team = NULL;
    bool *pinned;

    if (!s)
        return;
    clb_error_init(&err);
    vary_policy(s, variant);
    CHECK_INT(clb__pairs_build(&pairs, s, &err), 0);
    pinned = calloc(pairs.n + 1, sizeof(bool));
    for (size_t w = 0; w < s->n_workers; w++)
        if (pairs.first[w + 1] > pairs.first[w] && next_rand() % 6 == 0)
            pinned[pairs.first[w] + next_rand() % (pairs.first[w + 1] - pairs.first[w])] = true;
    CHECK_INT(clb__model_build(&m, s, &pairs, pinned, &err), 0);
    CHECK_INT(clb__pricing_new(&one, s, &m, pinned), 0);
    CHECK_INT(clb__pricing_new(&many, s, &m, pinned), 0);
    size_t nw = s->n_workers;
    double *d = malloc((m.ncols + 1) * sizeof(double));
    uint32_t *ws = malloc((nw + 1) * sizeof(uint32_t));
    clb_itin *its = calloc(nw + 1, sizeof(clb_itin));
    bool *found = calloc(nw + 1, sizeof(bool));
    clb_itin it;
    memset(&it, 0, sizeof(it));
    for (int round = 0; round < 6 && one && many; round++) {
        unsigned threads = 1 + (unsigned)round % 4; /* 1: the calling thread alone */
        clb__pricing_team_free(team);
        CHECK_INT(clb__pricing_team_new(&team, many, threads), 0);
        if (!team)
            break;
        CHECK_INT(clb__pricing_team_size(team), threads);
        multi_threaded += clb__pricing_team_size(team) > 1;
        for (size_t j = 0; j < m.ncols; j++) {
            double noise = (urand() - 0.5) * 400;
            switch ((clb_col_kind)m.col_kind[j]) {
            case CLB_COL_X: d[j] = round == 0 ? m.obj[j] : m.obj[j] * urand() + noise; break;
            case CLB_COL_Z: d[j] = round == 0 ? m.obj[j] : (urand() - 0.5) * 3000; break;
            case CLB_COL_A: d[j] = round == 0 ? m.obj[j] : -urand() * 300; break;
            case CLB_COL_R: d[j] = round == 0 ? m.obj[j] : (urand() - 0.3) * 200; break;
            default: d[j] = m.obj[j];
            }
        }
        if (round == 1 || round == 2 || round == 5)
            compare_enumeration(one, team, nw, d, round == 5 ? 1500 : 300);
        /* every worker, in batches of 1, 7 and all; some workers twice, out of order */
        size_t batch = round % 3 == 0 ? 1 : round % 3 == 1 ? 7 : nw;
        for (size_t w0 = 0; w0 < nw; w0 += batch) {
            size_t nb = w0 + batch <= nw ? batch : nw - w0, n_ok = 0;
            for (size_t k = 0; k < nb; k++)
                ws[k] = (uint32_t)(round >= 3 ? nw - 1 - (w0 + k) : w0 + k);
            CHECK_INT(clb__pricing_best_many(team, ws, nb, d, its, found, &n_ok), 0);
            CHECK_INT(n_ok, nb);
            for (size_t k = 0; k < nb; k++) {
                bool f1 = false;
                CHECK_INT(clb__pricing_best(one, ws[k], d, &it, &f1), 0);
                bool same = same_itin(&it, f1, &its[k], found[k]);
                CHECK(same);
                if (!same)
                    fprintf(stderr, "  seed %llu round %d worker %u: %s %.17g, threads %s %.17g\n",
                            (unsigned long long)seed, round, ws[k], f1 ? "found" : "none",
                            it.value, found[k] ? "found" : "none", its[k].value);
                compared++;
                found_some += f1;
            }
        }
    }
    /* the calling thread's workspace, after the team's use: the same answers again */
    clb__pricing_team_free(team);
    for (uint32_t w = 0; w < nw && many; w++) {
        bool f1 = false, f2 = false;
        clb_itin it2;
        memset(&it2, 0, sizeof(it2));
        CHECK_INT(clb__pricing_best(one, w, d, &it, &f1), 0);
        CHECK_INT(clb__pricing_best(many, w, d, &it2, &f2), 0);
        CHECK(same_itin(&it, f1, &it2, f2));
        clb__itin_dispose(&it2);
    }
    clb__itin_dispose(&it);
    for (size_t k = 0; k < nw; k++)
        clb__itin_dispose(&its[k]);
    free(its);
    free(found);
    free(ws);
    free(d);
    clb__pricing_free(one);
    clb__pricing_free(many);
    clb__model_dispose(&m);
    clb__pairs_dispose(&pairs);
    free(pinned);
    clb_scenario_free(s);
}

/* ---- whole solves --------------------------------------------------------------------- */

/* The result document of s solved with `threads` threads (empty on failure); rc too. */
static int solve_doc(clb_buf *doc, const clb_scenario *s, unsigned threads)
{
    clb_solve_opts opts;
    clb_result *r = NULL;
    clb_error err;
    int rc;

    clb_error_init(&err);
    clb_solve_opts_init(&opts);
    opts.threads = threads;
    doc->size = 0;
    if ((rc = clb_solve(&r, s, &opts, &err)) == 0)
        rc = clb_result_save(doc, r, 0, &err);
    clb_result_free(r);
    return rc;
}

static size_t solves_compared;

static void compare_solves(size_t workers, size_t vacancies, uint64_t seed, int variant)
{
    clb_scenario *s = clb_test_generated(workers, vacancies, seed, 0);
    clb_buf one = CLB_BUF_INIT, many = CLB_BUF_INIT;

    if (!s)
        return;
    if (variant >= 0)
        vary_policy(s, variant);
    CHECK_INT(solve_doc(&one, s, 1), 0);
    CHECK(one.size > 0);
    for (unsigned t = 2; t <= 4; t += 2) {
        CHECK_INT(solve_doc(&many, s, t), 0);
        bool same = many.size == one.size && memcmp(many.ptr, one.ptr, one.size) == 0;
        CHECK(same);
        if (!same)
            fprintf(stderr, "  %zux%zu seed %llu: the result in %u threads differs\n", workers,
                    vacancies, (unsigned long long)seed, t);
        solves_compared++;
    }
    clb_buf_dispose(&one);
    clb_buf_dispose(&many);
    clb_scenario_free(s);
}

/* ---- allocation failures in threads ---------------------------------------------------- */

static void failures_in_threads(void)
{
    clb_scenario *s = clb_test_generated(120, 12, 3, 0);
    clb_buf expected = CLB_BUF_INIT, got = CLB_BUF_INIT;
    size_t runs = 0, nomem = 0, absorbed = 0;

    if (!s)
        return;
    atomic_store(&fail_at, 0);
    atomic_store(&calls, 0);
    CHECK_INT(solve_doc(&expected, s, 2), 0);
    unsigned long total = atomic_load(&calls);
    unsigned long stride = total / 150 + 1;
    for (unsigned long n = 1; n <= total; n += stride) {
        long before = atomic_load(&live);
        atomic_store(&failed_once, false);
        atomic_store(&calls, 0);
        atomic_store(&fail_at, n);
        int rc = solve_doc(&got, s, 2);
        atomic_store(&fail_at, 0);
        if (!atomic_load(&failed_once))
            continue; /* this run made fewer allocations */
        runs++;
        if (rc == 0) {
            bool same = got.size == expected.size &&
                        memcmp(got.ptr, expected.ptr, expected.size) == 0;
            CHECK(same);
            absorbed += same;
        } else {
            CHECK_INT(rc, CLB_ENOMEM);
            nomem += rc == CLB_ENOMEM;
        }
        clb_buf_dispose(&got);
        long after = atomic_load(&live);
        CHECK_INT(after - before, 0);
        if (after != before)
            fprintf(stderr, "  allocation %lu failing leaks %ld blocks\n", n, after - before);
    }
    fprintf(stderr, "allocation failures in two threads: %lu allocations, %zu runs, %zu "
                    "out-of-memory errors, %zu absorbed\n", total, runs, nomem, absorbed);
    CHECK(runs > 100);
    CHECK(nomem > 50);
    clb_buf_dispose(&expected);
    clb_buf_dispose(&got);
    clb_scenario_free(s);
}

int main(void)
{
    static const clb_allocator counting = {t_malloc, t_realloc, t_free};
    clb_error err;

    clb_error_init(&err);
    CHECK_INT(clb_global_init(&counting, &err), 0);
    test_team();
    for (uint64_t seed = 1; seed <= 12; seed++)
        compare_pricing(seed, (int)seed);
    fprintf(stderr, "%zu pricings in threads compared with one thread (%zu with an "
                    "itinerary)\n", compared, found_some);
    CHECK(compared > 3000);
    CHECK(found_some > 1000);
    CHECK(multi_threaded > 0);
    fprintf(stderr, "%zu enumerations in threads compared with one thread (%zu itineraries "
                    "in one thread)\n", enum_compared, enumerated);
    CHECK(enumerated > 5000);
    compare_solves(300, 30, 1, -1);
    for (uint64_t seed = 2; seed <= 5; seed++)
        compare_solves(150, 15, seed, (int)seed);
    fprintf(stderr, "%zu solves in threads compared with one thread\n", solves_compared);
    CHECK(solves_compared >= 10);
    failures_in_threads();
    return clb_test_finish();
}
