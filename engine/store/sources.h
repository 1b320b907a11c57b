/*
 * sources.h - the store's side of offer sources (store/sources.c) that the offers
 * module builds on.
 *
 * A source is added through clb_offers_source_add, which checks its name, url and
 * settings; this is only the row it writes, so it is not part of the public API.
 */
#ifndef CLB_STORE_SOURCES_H
#define CLB_STORE_SOURCES_H

#include "circulab/store.h"

/* Insert source `id` with its url and settings (a JSON object as text, "{}" when
 * NULL), audited; CLB_EEXISTS when the id is taken. */
int clb__store_source_add(clb_store *store, const char *id, const char *url,
                          const char *settings_json, clb_error *err);

#endif
