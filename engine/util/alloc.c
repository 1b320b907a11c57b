/*
 * alloc.c - the engine's allocation hook (see alloc.h; set by clb_global_init, lib/global.c).
 *
 * The allocator is the one piece of process-wide state of the engine, like SQLite's
 * and Jansson's own: it is set once at start and read by every allocation. A plain
 * struct of three pointers costs one indirect call per allocation. Beside it, an
 * atomic count of the allocations that failed lets the store refuse to commit a
 * transaction during which one did (store/db.c, clb__store_tx_end).
 */
#include "util/alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>


static void *libc_malloc(size_t size)
{
    return malloc(size);
}

static void *libc_realloc(void *ptr, size_t size)
{
    return realloc(ptr, size);
}

static void libc_free(void *ptr)
{
    free(ptr);
}

static clb_allocator current = {libc_malloc, libc_realloc, libc_free};
static atomic_ulong failures;

static void *counted(void *p)
{
    if (!p)
        atomic_fetch_add_explicit(&failures, 1, memory_order_relaxed);
    return p;
}

unsigned long clb__alloc_failures(void)
{
    return atomic_load_explicit(&failures, memory_order_relaxed);
}

void *clb__malloc(size_t size)
{
    return counted(current.malloc(size ? size : 1));
}

void *clb__calloc(size_t count, size_t size)
{
    void *p;
    if (size && count > SIZE_MAX / size)
        return counted(NULL);
    size *= count;
    if ((p = counted(current.malloc(size ? size : 1))) != NULL)
        memset(p, 0, size ? size : 1);
    return p;
}

void *clb__realloc(void *ptr, size_t size)
{
    if (size == 0) {
        current.free(ptr);
        return NULL;
    }
    return counted(current.realloc(ptr, size));
}

void clb__free(void *ptr)
{
    if (ptr)
        current.free(ptr);
}

char *clb__strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = counted(current.malloc(len + 1));
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

char *clb__strdup(const char *s)
{
    return clb__strndup(s, SIZE_MAX);
}

void *clb__malloc_system(size_t size)
{
    return malloc(size ? size : 1);
}

void clb__free_system(void *ptr)
{
    free(ptr);
}

void clb__alloc_set(const clb_allocator *allocator)
{
    if (allocator)
        current = *allocator;
    else
        current = (clb_allocator){libc_malloc, libc_realloc, libc_free};
}
