/*
 * maps.h - the mapping tables as the database holds them (store/maps.c).
 *
 * The tables themselves, and how a value is looked up and applied, are rules of the
 * programme (rules/maps.h); this header only loads them from the store.
 */
#ifndef CLB_STORE_MAPS_H
#define CLB_STORE_MAPS_H

#include "circulab/store.h"
#include "rules/maps.h"

/* Load every mapping of the database. Release with clb__maps_dispose. */
int clb__store_maps_load(clb__maps *out, clb_store *store, clb_error *err);

#endif
