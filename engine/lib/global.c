/*
 * global.c - clb_global_init, the library's one process-wide set-up (global.h).
 *
 * It sits above every layer because it reaches into three of them: it sets the
 * engine's allocator (util/alloc.c) and routes Jansson's (io/json.c) and SQLite's
 * (store/) allocations to it. Keeping it here, and not in util/alloc.c, keeps the
 * lowest layer from calling up into the ones that use it.
 */
#include "circulab/global.h"

#include "io/json.h"
#include "store/global.h"
#include "util/alloc.h"
#include "util/util.h"

int clb_global_init(const clb_allocator *allocator, clb_error *err)
{
    if (allocator && (!allocator->malloc || !allocator->realloc || !allocator->free))
        return clb__error_set(err, CLB_EINVAL, "an allocator needs malloc, realloc and free");
    clb__alloc_set(allocator);
    clb__json_global_init();
    return clb__store_global_init(err);
}
