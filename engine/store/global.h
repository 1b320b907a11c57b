/*
 * global.h - the store's part of clb_global_init (lib/global.c).
 *
 * A header of its own so that lib/global.c need not see store_impl.h (and SQLite).
 */
#ifndef CLB_STORE_GLOBAL_H
#define CLB_STORE_GLOBAL_H

#include "circulab/common.h"

/* Route SQLite's allocations to clb__malloc & co. Returns 0 or CLB_EINTERNAL. */
int clb__store_global_init(clb_error *err);

#endif
