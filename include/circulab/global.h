/*
 * global.h - process-wide set-up of libcirculab: the one allocator behind every
 * allocation the engine causes.
 *
 * The engine allocates through a single hook (engine/util/alloc.h). clb_global_init
 * points that hook at an allocator (the C library's by default) and routes the
 * allocations of SQLite and Jansson through it too, so that every byte the engine
 * causes comes from one place: an application can account for it or cap it, and the
 * test suite fails the n-th allocation to prove that every failure ends in a clean
 * error (docs/TESTING.md). GLPK has no allocator hook; its allocation failures end in
 * its error hook, which the solver turns into an error (docs/CLI.md §7).
 *
 * This is process-wide state, as SQLite's and Jansson's allocators are: call
 * clb_global_init once, at start, before any other use of libcirculab, SQLite or
 * Jansson in the process. Without the call everything works on the C library's
 * allocator.
 */
#ifndef CIRCULAB_GLOBAL_H
#define CIRCULAB_GLOBAL_H

#include <stddef.h>
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * An allocator: the C library's contract. `malloc` and `realloc` return NULL when out
 * of memory (the engine then returns CLB_ENOMEM); `realloc(NULL, n)` allocates;
 * `free(NULL)` does nothing. Memory must be aligned for any type, as malloc's is.
 * Sizes passed are never 0.
 */
typedef struct clb_allocator {
    void *(*malloc)(size_t size);
    void *(*realloc)(void *ptr, size_t size);
    void (*free)(void *ptr);
} clb_allocator;

/*
 * Set up the library for the process: use `allocator` (copied; NULL for the C
 * library's) for the engine's own allocations and for SQLite's and Jansson's.
 *
 * Call it once, first. Calling it again with the same allocator is harmless; changing
 * the allocator while memory from the previous one is alive is not allowed.
 * Returns 0, or CLB_EINTERNAL when SQLite was already in use in the process (its
 * allocator can then no longer be set; the engine's own and Jansson's still are).
 */
CLB_EXTERN int clb_global_init(const clb_allocator *allocator, clb_error *err);

#ifdef __cplusplus
}
#endif
#endif
