/*
 * alloc.h - the engine's one allocation hook. Every allocation of engine/ goes through
 * these functions (a test fails the build when a raw malloc, calloc, realloc, strdup
 * or free appears elsewhere in engine/), and so do SQLite's and Jansson's once
 * clb_global_init has routed them here (include/circulab/global.h).
 *
 * They behave like the C library's: NULL when out of memory, free(NULL) does nothing.
 * clb__calloc checks the multiplication for overflow; clb__realloc(p, 0) frees p and
 * returns NULL, so that a size of 0 never reaches the allocator.
 */
#ifndef CLB_ALLOC_H
#define CLB_ALLOC_H

#include <stddef.h>
#include "circulab/global.h"

void *clb__malloc(size_t size);
void *clb__calloc(size_t count, size_t size);
void *clb__realloc(void *ptr, size_t size);
void clb__free(void *ptr);
char *clb__strdup(const char *s);
char *clb__strndup(const char *s, size_t n);

/*
 * The number of allocations that failed so far in the process (any thread). A
 * transaction of the store commits only when none failed while it ran (store/db.c).
 */
unsigned long clb__alloc_failures(void);

/*
 * The C library's allocator, past the hook: only for a library that cannot survive a
 * failed allocation, which then notes the failure and fails its operation cleanly
 * (Jansson's lexer, json.c).
 */
void *clb__malloc_system(size_t size);
void clb__free_system(void *ptr);

/* Set the allocator (NULL: the C library's). Only clb_global_init calls it. */
void clb__alloc_set(const clb_allocator *allocator);

#endif
