/*
 * maps.h - applying the agency's mapping tables (include/circulab/maps.h) to offer
 * records before they are validated: region texts to NUTS, occupation texts to
 * ISCO-08, organisation names to employer ids, and counts written as numeric strings
 * ("25") to integers.
 */
#ifndef CLB_MAPS_H
#define CLB_MAPS_H

#include "circulab/maps.h"
#include "io/json.h"

typedef struct clb__map_entry {
    int kind;
    char *key;    /* normalised text */
    char *target;
} clb__map_entry;

typedef struct clb__maps {
    clb__map_entry *v;
    size_t n;
} clb__maps;

/* The normalised form of a text (ASCII lower case, spaces trimmed and collapsed) into
 * out (size n). */
void clb__map_normalise(char *out, size_t n, const char *text);

/* Release what clb__store_maps_load (store/maps.h) filled. */
void clb__maps_dispose(clb__maps *maps);

/* The target of `text`, or NULL. */
const char *clb__maps_lookup(const clb__maps *maps, clb_map_kind kind, const char *text);

/*
 * What `text` of `kind` stands for: its mapping; for an occupation text led by a
 * four-digit ISCO-08 code ("9211 Crop farm labourers"), "isco:9211" (written into
 * code); else text itself. *usable says whether the result is in the form the model
 * matches on (a region code of upper-case letters, digits and '-'; "isco:NNNN"; any
 * employer id). The one rule for every path that maps (submit, portal, fetch).
 */
const char *clb__maps_resolve(const clb__maps *maps, clb_map_kind kind, const char *text,
                              char code[16], bool *usable);

/*
 * Apply the tables to a native document's records in place (a vacancy object, an
 * array of them or a circulab-offers/1 document): a vacancy's occupation and
 * employer, an employer's (and its sites') region; a numeric string headcount,
 * min_campaigns or site's beds (the counts of the format) becomes an integer. Values already in code form are left alone.
 * Returns 0 or CLB_ENOMEM.
 */
int clb__maps_apply(clb_json *root, const clb__maps *maps);

#endif
