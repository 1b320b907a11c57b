/*
 * levers.c - `bench/levers SCENARIO`: how much two levers of issue 14 could give on a
 * scenario, measured on the pair model itself, before anything is built into the solver.
 *
 * 1. Worker classes: workers whose pricing subproblems are identical could be priced
 *    once and stand in the master as one class with a count. Two workers are put in one
 *    class only when their own sub-models are identical up to the worker's identity:
 *    the same own columns (placements X, quota links Z, sessions A, programmes R) in
 *    order with the same kind, reference, objective, bounds, integrality and entries on
 *    the shared rows (same row ids, same coefficients), and the same own rows (kind,
 *    reference, bounds, entries over the corresponding own columns). Rows are split into
 *    shared and own exactly as the itinerary master splits them (engine/solve/master.c).
 *    Pinned workers (pins and confirmed `previous` entries, as the solve collects them)
 *    are never merged. The comparison is exact (bit for bit on every double): a 64-bit
 *    hash groups candidates, then the signatures are compared word by word. A second
 *    count leaves the objective out, to show how much only the values keep apart.
 * 2. Independent components: union-find over workers and shared rows; a worker joins
 *    every shared row its own columns touch, and each column of no worker (vacancy
 *    counts Y, quota met parts S) joins the rows it touches. Also counted with the quota
 *    rows left out, and over the vacancy rows alone (the eligibility graph), to show
 *    what holds the round together.
 *
 * It prints plain "key: value" lines (tests/levers.cmake reads them) and the wall and
 * CPU seconds of each step. A measuring tool of this tree, like the generator: it uses
 * the engine's internal headers through circulab_internal and prints, which the engine
 * itself never does. Signatures are rebuilt on demand rather than stored, so memory
 * stays that of the model (a stored signature per worker would double it at size L).
 */
#include "circulab.h"
#include "rules/eligibility.h"
#include "scenario/scenario_impl.h"
#include "solve/model.h"
#include "util/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: levers SCENARIO.json\n"
               "Measures worker classes (identical pricing subproblems) and independent\n"
               "components of the pair model of SCENARIO (issue 14 levers).\n");
}

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
           ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "levers: out of memory\n");
        exit(1);
    }
    return p;
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "levers: out of memory\n");
        exit(1);
    }
    return p;
}

/* A row of one worker's own, as the itinerary master decides (model.h). */
static bool row_is_own(uint8_t kind)
{
    return clb__model_row_is_own((clb_row_kind)kind);
}

static bool col_is_worker(uint8_t kind)
{
    return kind == CLB_COL_X || kind == CLB_COL_Z || kind == CLB_COL_A || kind == CLB_COL_R;
}

/* ---- the split of the model by worker ---------------------------------------------- */

typedef struct split {
    const clb_model *m;
    clb_model_cols cols;
    size_t nw;
    size_t *wcol_first; /* own columns of w: wcol[wcol_first[w] .. wcol_first[w+1]) */
    int32_t *wcol;
    size_t *wrow_first; /* own rows of w, likewise */
    int32_t *wrow;
    int32_t *local;     /* per model column: position among its worker's own, or -1 */
} split;

static void bucket(size_t n_items, size_t nw, const int32_t *owner, size_t **first_out,
                   int32_t **list_out)
{
    size_t *first = xcalloc(nw + 2, sizeof(size_t));
    for (size_t i = 0; i < n_items; i++)
        if (owner[i] >= 0)
            first[owner[i] + 1]++;
    for (size_t w = 0; w < nw; w++)
        first[w + 1] += first[w];
    size_t *pos = xmalloc((nw + 1) * sizeof(size_t));
    memcpy(pos, first, (nw + 1) * sizeof(size_t));
    int32_t *list = xmalloc((first[nw] + 1) * sizeof(int32_t));
    for (size_t i = 0; i < n_items; i++) /* ascending: each bucket in model order */
        if (owner[i] >= 0)
            list[pos[owner[i]]++] = (int32_t)i;
    free(pos);
    *first_out = first;
    *list_out = list;
}

static void split_build(split *sp, const clb_model *m, size_t nw)
{
    memset(sp, 0, sizeof(*sp));
    sp->m = m;
    sp->nw = nw;
    if (clb__model_columns(&sp->cols, m) < 0) {
        fprintf(stderr, "levers: out of memory\n");
        exit(1);
    }
    int32_t *owner = xmalloc((m->ncols > m->nrows ? m->ncols : m->nrows) * sizeof(int32_t) +
                             1);
    for (size_t j = 0; j < m->ncols; j++)
        owner[j] = col_is_worker(m->col_kind[j]) ? m->col_a[j] : -1;
    bucket(m->ncols, nw, owner, &sp->wcol_first, &sp->wcol);
    for (size_t i = 0; i < m->nrows; i++)
        owner[i] = row_is_own(m->row_kind[i]) ? m->row_a[i] : -1;
    bucket(m->nrows, nw, owner, &sp->wrow_first, &sp->wrow);
    free(owner);
    sp->local = xmalloc((m->ncols + 1) * sizeof(int32_t));
    for (size_t j = 0; j < m->ncols; j++)
        sp->local[j] = -1;
    for (size_t w = 0; w < nw; w++)
        for (size_t k = sp->wcol_first[w]; k < sp->wcol_first[w + 1]; k++)
            sp->local[sp->wcol[k]] = (int32_t)(k - sp->wcol_first[w]);
}

static void split_dispose(split *sp)
{
    clb__model_cols_dispose(&sp->cols);
    free(sp->wcol_first);
    free(sp->wcol);
    free(sp->wrow_first);
    free(sp->wrow);
    free(sp->local);
}

/* ---- signatures -------------------------------------------------------------------- */

typedef struct words {
    uint64_t *v;
    size_t n, cap;
} words;

static void put(words *b, uint64_t x)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 1024;
        uint64_t *v = realloc(b->v, b->cap * sizeof(uint64_t));
        if (!v) {
            fprintf(stderr, "levers: out of memory\n");
            exit(1);
        }
        b->v = v;
    }
    b->v[b->n++] = x;
}

static void put_double(words *b, double d)
{
    uint64_t x;
    if (d == 0)
        d = 0; /* -0.0 as 0.0 */
    memcpy(&x, &d, sizeof(x));
    put(b, x);
}

#define TAG(t) put(out, 0xC1B0000000000000ull | (uint64_t)(t))

/*
 * The sub-model of worker w as words, without the worker's identity: equal words mean
 * equal pricing subproblems. `with_obj` false leaves the objective out. An entry that
 * falls outside the split (an own row of w over a column of another worker, or a column
 * of w on another worker's own row: the model builds neither) is written with w itself,
 * so such a worker stays alone.
 */
static void signature(words *out, const split *sp, uint32_t w, bool with_obj)
{
    const clb_model *m = sp->m;
    size_t c0 = sp->wcol_first[w], c1 = sp->wcol_first[w + 1];
    size_t r0 = sp->wrow_first[w], r1 = sp->wrow_first[w + 1];

    out->n = 0;
    TAG(1);
    put(out, c1 - c0);
    for (size_t k = c0; k < c1; k++) {
        int32_t j = sp->wcol[k];
        put(out, m->col_kind[j]);
        put(out, (uint64_t)(int64_t)m->col_b[j]);
        if (with_obj)
            put_double(out, m->obj[j]);
        put_double(out, m->lb[j]);
        put_double(out, m->ub[j]);
        put(out, m->is_int[j]);
        for (size_t e = sp->cols.start[j]; e < sp->cols.start[j + 1]; e++) {
            int32_t r = sp->cols.row[e];
            if (row_is_own(m->row_kind[r])) {
                if (m->row_a[r] != (int32_t)w) {
                    TAG(9);
                    put(out, w);
                }
                continue; /* written with the own rows */
            }
            TAG(2);
            put(out, (uint64_t)r);
            put_double(out, sp->cols.val[e]);
        }
        TAG(3);
    }
    put(out, r1 - r0);
    for (size_t k = r0; k < r1; k++) {
        int32_t i = sp->wrow[k];
        put(out, m->row_kind[i]);
        put(out, (uint64_t)(int64_t)m->row_b[i]);
        put_double(out, m->rlo[i]);
        put_double(out, m->rhi[i]);
        put(out, m->row_start[i + 1] - m->row_start[i]);
        for (size_t e = m->row_start[i]; e < m->row_start[i + 1]; e++) {
            int32_t j = m->idx[e];
            if (col_is_worker(m->col_kind[j]) && m->col_a[j] == (int32_t)w) {
                put(out, (uint64_t)sp->local[j]);
            } else {
                TAG(9);
                put(out, w);
            }
            put_double(out, m->val[e]);
        }
    }
}

static uint64_t hash_words(const words *b)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ b->n;
    for (size_t i = 0; i < b->n; i++) {
        uint64_t z = h ^ b->v[i];
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        h = z ^ (z >> 31);
    }
    return h;
}

typedef struct keyed {
    uint64_t hash;
    uint32_t w;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->w < y->w ? -1 : x->w > y->w;
}

typedef struct class_stats {
    size_t workers, classes, largest, in_shared; /* in_shared: workers in classes of 2+ */
    size_t hash_collisions;                      /* equal hashes, different signatures */
} class_stats;

/*
 * Classes of the workers with eligible pairs (`active`); pinned workers each alone.
 * Within a run of equal hashes, each worker is compared with the first worker of every
 * class found so far in the run (usually one).
 */
static void classes(class_stats *cs, const split *sp, const bool *active,
                    const bool *pinned_w, bool with_obj)
{
    size_t nw = sp->nw, n = 0;
    keyed *ks = xmalloc((nw + 1) * sizeof(keyed));
    words a = {0}, b = {0};
    uint32_t *reps = xmalloc((nw + 1) * sizeof(uint32_t));
    size_t *count = xmalloc((nw + 1) * sizeof(size_t));

    memset(cs, 0, sizeof(*cs));
    for (uint32_t w = 0; w < nw; w++) {
        if (!active[w])
            continue;
        cs->workers++;
        if (pinned_w[w]) {
            cs->classes++;
            if (cs->largest < 1)
                cs->largest = 1;
            continue;
        }
        signature(&a, sp, w, with_obj);
        ks[n++] = (keyed){hash_words(&a), w};
    }
    qsort(ks, n, sizeof(keyed), keyed_cmp);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && ks[j].hash == ks[i].hash)
            j++;
        size_t nrep = 0;
        for (size_t k = i; k < j; k++) {
            size_t r = 0;
            if (k > i) {
                signature(&b, sp, ks[k].w, with_obj);
                for (r = 0; r < nrep; r++) {
                    signature(&a, sp, reps[r], with_obj);
                    if (a.n == b.n && memcmp(a.v, b.v, a.n * sizeof(uint64_t)) == 0)
                        break;
                }
            }
            if (r == nrep) {
                if (nrep > 0)
                    cs->hash_collisions++;
                reps[nrep] = ks[k].w;
                count[nrep++] = 0;
            }
            count[r]++;
        }
        for (size_t r = 0; r < nrep; r++) {
            cs->classes++;
            if (count[r] > cs->largest)
                cs->largest = count[r];
            if (count[r] > 1)
                cs->in_shared += count[r];
        }
        i = j;
    }
    free(a.v);
    free(b.v);
    free(ks);
    free(reps);
    free(count);
}

/* ---- components -------------------------------------------------------------------- */

static uint32_t uf_find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static void uf_union(uint32_t *parent, uint32_t a, uint32_t b)
{
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    if (a != b)
        parent[a < b ? b : a] = a < b ? a : b;
}

/* Which shared rows link workers in a count of components. */
typedef enum {
    LINK_ALL,       /* every shared row */
    LINK_NO_QUOTAS, /* every shared row but quota maxima and minima */
    LINK_VACANCIES  /* vacancy counts and hold_named only: the eligibility graph */
} link_rows;

static bool row_links(uint8_t kind, link_rows which)
{
    if (row_is_own(kind))
        return false;
    switch (which) {
    case LINK_NO_QUOTAS:
        return kind != CLB_ROW_QUOTA_MAX && kind != CLB_ROW_QUOTA_MIN;
    case LINK_VACANCIES:
        return kind == CLB_ROW_YDEF || kind == CLB_ROW_HOLD_NAMED;
    default:
        return true;
    }
}

/* Nodes: model rows 0..nrows-1, then workers. *n_comp counts components with a worker. */
static void components(size_t *n_comp, size_t *largest, const split *sp, const bool *active,
                       link_rows which)
{
    const clb_model *m = sp->m;
    size_t nw = sp->nw, nodes = m->nrows + nw;
    uint32_t *parent = xmalloc((nodes + 1) * sizeof(uint32_t));
    size_t *size = xcalloc(nodes + 1, sizeof(size_t));

    for (size_t x = 0; x < nodes; x++)
        parent[x] = (uint32_t)x;
    for (size_t j = 0; j < m->ncols; j++) {
        /* a worker's column joins its worker; any other joins the rows it touches */
        int64_t anchor = col_is_worker(m->col_kind[j]) ? (int64_t)(m->nrows + m->col_a[j])
                                                       : -1;
        for (size_t e = sp->cols.start[j]; e < sp->cols.start[j + 1]; e++) {
            int32_t r = sp->cols.row[e];
            if (!row_links(m->row_kind[r], which))
                continue;
            if (anchor < 0)
                anchor = r;
            else
                uf_union(parent, (uint32_t)anchor, (uint32_t)r);
        }
    }
    *n_comp = 0;
    *largest = 0;
    for (size_t w = 0; w < nw; w++)
        if (active[w])
            size[uf_find(parent, (uint32_t)(m->nrows + w))]++;
    for (size_t x = 0; x < nodes; x++)
        if (size[x] > 0) {
            (*n_comp)++;
            if (size[x] > *largest)
                *largest = size[x];
        }
    free(parent);
    free(size);
}

/* ---- pins (as engine/solve/solve.c collects them) ----------------------------------- */

static int find_pair(const clb_pairs *pairs, uint32_t w, uint32_t v)
{
    for (uint32_t p = pairs->first[w]; p < pairs->first[w + 1]; p++)
        if (pairs->vac[p] == v)
            return (int)p;
    return -1;
}

static bool *pins_of(const clb_scenario *s, const clb_pairs *pairs)
{
    bool *pinned = xcalloc(pairs->n + 1, sizeof(bool));
    for (size_t i = 0; i < s->n_pins; i++) {
        int p = find_pair(pairs, s->pins[i].worker, s->pins[i].vacancy);
        if (p >= 0)
            pinned[p] = true;
    }
    for (size_t i = 0; i < s->n_previous; i++) {
        const clb_previous_rec *pv = &s->previous[i];
        int p = pv->status == CLB_PREV_CONFIRMED ? find_pair(pairs, pv->worker, pv->vacancy)
                                                 : -1;
        if (p >= 0)
            pinned[p] = true;
    }
    return pinned;
}

/* ---- main -------------------------------------------------------------------------- */

typedef struct clock2 {
    double wall, cpu;
} clock2;

static clock2 tick(void)
{
    return (clock2){clb__now_seconds(), cpu_seconds()};
}

static void report_time(const char *what, clock2 *since)
{
    clock2 now = tick();
    printf("seconds %s: %.3f wall, %.3f cpu\n", what, now.wall - since->wall,
           now.cpu - since->cpu);
    *since = now;
}

static double pct(size_t part, size_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0;
}

int main(int argc, char **argv)
{
    clb_scenario *s = NULL;
    clb_error err;
    clb_pairs pairs;
    clb_model m;
    split sp;
    class_stats cs, cs_noobj;
    size_t n_comp, largest, n_comp_nq, largest_nq, n_comp_v, largest_v;

    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage(stdout);
        return 0;
    }
    if (argc != 2 || argv[1][0] == '-') {
        usage(stderr);
        return 2;
    }
    clb_error_init(&err);
    clock2 t0 = tick(), t = t0;
    int rc = clb_scenario_load_file(&s, argv[1], NULL, &err);
    if (rc != 0) {
        fprintf(stderr, "levers: %s\n", err.message);
        return rc == CLB_EPARSE || rc == CLB_EINVAL ? 3 : 1; /* bad input; runtime */
    }
    report_time("load", &t);
    if (clb__pairs_build(&pairs, s, &err) < 0) {
        fprintf(stderr, "levers: %s\n", err.message);
        return 1;
    }
    bool *pinned = pins_of(s, &pairs);
    report_time("pairs", &t);
    if (clb__model_build(&m, s, &pairs, pinned, &err) < 0) {
        fprintf(stderr, "levers: %s\n", err.message);
        return 1;
    }
    report_time("model", &t);

    size_t nw = s->n_workers, n_shared = 0, n_pinned = 0;
    bool *active = xcalloc(nw + 1, sizeof(bool)), *pinned_w = xcalloc(nw + 1, sizeof(bool));
    for (uint32_t w = 0; w < nw; w++) {
        active[w] = pairs.first[w + 1] > pairs.first[w];
        for (uint32_t p = pairs.first[w]; p < pairs.first[w + 1]; p++)
            pinned_w[w] |= pinned[p];
        n_pinned += pinned_w[w];
    }
    for (size_t i = 0; i < m.nrows; i++)
        n_shared += !row_is_own(m.row_kind[i]);
    split_build(&sp, &m, nw);
    report_time("split", &t);
    classes(&cs, &sp, active, pinned_w, true);
    report_time("classes", &t);
    classes(&cs_noobj, &sp, active, pinned_w, false);
    report_time("classes without objective", &t);
    components(&n_comp, &largest, &sp, active, LINK_ALL);
    components(&n_comp_nq, &largest_nq, &sp, active, LINK_NO_QUOTAS);
    components(&n_comp_v, &largest_v, &sp, active, LINK_VACANCIES);
    report_time("components", &t);

    printf("scenario: %s\n", argv[1]);
    printf("workers: %zu\n", nw);
    printf("workers with eligible pairs: %zu\n", cs.workers);
    printf("pinned workers: %zu\n", n_pinned);
    printf("eligible pairs: %zu\n", pairs.n);
    printf("model: %zu rows (%zu shared, %zu own), %zu columns\n", m.nrows, n_shared,
           m.nrows - n_shared, m.ncols);
    printf("classes: %zu\n", cs.classes);
    printf("largest class: %zu\n", cs.largest);
    printf("workers in classes of two or more: %zu\n", cs.in_shared);
    printf("workers removed: %.1f %%\n", pct(cs.workers - cs.classes, cs.workers));
    printf("classes without objective: %zu (largest %zu, workers removed %.1f %%)\n",
           cs_noobj.classes, cs_noobj.largest,
           pct(cs_noobj.workers - cs_noobj.classes, cs_noobj.workers));
    printf("components: %zu\n", n_comp);
    printf("largest component: %zu\n", largest);
    printf("components without quota rows: %zu (largest %zu)\n", n_comp_nq, largest_nq);
    printf("components over vacancy rows only: %zu (largest %zu)\n", n_comp_v, largest_v);
    if (cs.hash_collisions + cs_noobj.hash_collisions > 0)
        printf("hash collisions: %zu\n", cs.hash_collisions + cs_noobj.hash_collisions);
    clock2 end = tick();
    printf("seconds total: %.3f wall, %.3f cpu; peak RSS %ld MB\n", end.wall - t0.wall,
           end.cpu - t0.cpu, peak_rss_kb() / 1024);

    split_dispose(&sp);
    clb__model_dispose(&m);
    clb__pairs_dispose(&pairs);
    clb_scenario_free(s);
    free(pinned);
    free(active);
    free(pinned_w);
    return 0;
}
