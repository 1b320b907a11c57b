/*
 * par.c - a team of threads running one parallel loop at a time (par.h).
 *
 * One mutex and two condition variables: `start` wakes the threads for a new loop
 * (its generation number changes), `done` wakes the caller when the last of them has
 * finished. Items are handed out by an atomic counter, one at a time: a loop body is
 * one worker's pricing, long enough that the counter costs nothing, and uneven
 * enough that fixed chunks would leave threads idle. Everything a body wrote is seen
 * by the caller after clb__par_for returns, through the mutex.
 */
#include "util/par.h"
#include "util/alloc.h"
#include "circulab/common.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <unistd.h>

typedef struct member {
    clb_par *team;
    unsigned index;
    pthread_t thread;
} member;

struct clb_par {
    pthread_mutex_t lock;
    pthread_cond_t start, done;
    unsigned n_threads;      /* threads created (the members beyond the caller) */
    member *members;         /* [n_threads] */
    unsigned long generation;
    unsigned active;         /* threads still in the current loop */
    bool quit;
    /* the current loop */
    clb_par_fn fn;
    void *payload;
    size_t n;
    atomic_size_t next;
};

static void run_items(clb_par *t, unsigned index)
{
    for (;;) {
        size_t i = atomic_fetch_add_explicit(&t->next, 1, memory_order_relaxed);
        if (i >= t->n)
            break;
        t->fn(t->payload, index, i);
    }
}

static void *thread_main(void *arg)
{
    member *me = arg;
    clb_par *t = me->team;
    unsigned long seen = 0;

    pthread_mutex_lock(&t->lock);
    for (;;) {
        while (!t->quit && t->generation == seen)
            pthread_cond_wait(&t->start, &t->lock);
        if (t->quit)
            break;
        seen = t->generation;
        pthread_mutex_unlock(&t->lock);
        run_items(t, me->index);
        pthread_mutex_lock(&t->lock);
        if (--t->active == 0)
            pthread_cond_signal(&t->done);
    }
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

int clb__par_new(clb_par **out, unsigned n)
{
    clb_par *t;

    *out = NULL;
    if (n <= 1)
        return 0;
    if (!(t = clb__calloc(1, sizeof(*t))))
        return CLB_ENOMEM;
    if (!(t->members = clb__calloc(n - 1, sizeof(member)))) {
        clb__free(t);
        return CLB_ENOMEM;
    }
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->start, NULL);
    pthread_cond_init(&t->done, NULL);
    atomic_init(&t->next, 0);
    for (unsigned k = 0; k + 1 < n; k++) {
        member *m = &t->members[t->n_threads];
        m->team = t;
        m->index = t->n_threads + 1;
        if (pthread_create(&m->thread, NULL, thread_main, m) != 0)
            break; /* a smaller team: the results are the same */
        t->n_threads++;
    }
    *out = t;
    return 0;
}

void clb__par_free(clb_par *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->lock);
    t->quit = true;
    pthread_cond_broadcast(&t->start);
    pthread_mutex_unlock(&t->lock);
    for (unsigned k = 0; k < t->n_threads; k++)
        pthread_join(t->members[k].thread, NULL);
    pthread_cond_destroy(&t->done);
    pthread_cond_destroy(&t->start);
    pthread_mutex_destroy(&t->lock);
    clb__free(t->members);
    clb__free(t);
}

unsigned clb__par_size(const clb_par *t)
{
    return t ? t->n_threads + 1 : 1;
}

void clb__par_for(clb_par *t, size_t n, clb_par_fn fn, void *payload)
{
    if (!t || t->n_threads == 0 || n <= 1) {
        for (size_t i = 0; i < n; i++)
            fn(payload, 0, i);
        return;
    }
    pthread_mutex_lock(&t->lock);
    t->fn = fn;
    t->payload = payload;
    t->n = n;
    atomic_store_explicit(&t->next, 0, memory_order_relaxed);
    t->active = t->n_threads;
    t->generation++;
    pthread_cond_broadcast(&t->start);
    pthread_mutex_unlock(&t->lock);
    run_items(t, 0);
    pthread_mutex_lock(&t->lock);
    while (t->active > 0)
        pthread_cond_wait(&t->done, &t->lock);
    pthread_mutex_unlock(&t->lock);
}

unsigned clb__par_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? (unsigned)n : 1;
}
