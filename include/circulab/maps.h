/*
 * maps.h - the agency's mapping tables: how employers' own words become the codes the
 * model matches on. Region names and codes to NUTS ("Huelva" -> ES615), occupation
 * texts to ISCO-08 ("9211 Crop farm labourers" -> isco:9211) and organisation names to
 * employer ids ("Cooperativa Frutos Rojos" -> E01). Kept in the database, edited with
 * `circulab map add|list|remove`, applied to submitted vacancies (`vacancy submit`
 * and the portal). docs/PORTAL.md describes the matching.
 */
#ifndef CIRCULAB_MAPS_H
#define CIRCULAB_MAPS_H

#include "common.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { CLB_MAP_REGION, CLB_MAP_OCCUPATION, CLB_MAP_EMPLOYER } clb_map_kind;

/* "region", "occupation", "employer". */
CLB_EXTERN const char *clb_map_kind_name(clb_map_kind kind);

/* Parse a kind name; false when unknown. */
CLB_EXTERN bool clb_map_kind_parse(clb_map_kind *out, const char *name);

/*
 * Map `from` (matched without regard to ASCII case and runs of spaces) to `to`,
 * replacing an existing mapping of the same text. `to` must be a NUTS code for
 * regions (two capital letters and up to three capitals or digits: ES, ES6, ES615),
 * `isco:` and one to four digits for occupations, an identifier for employers.
 * Audited as "map.add". Returns 0, CLB_EINVAL (bad text or target), CLB_EDB.
 */
CLB_EXTERN int clb_store_map_add(clb_store *store, clb_map_kind kind, const char *from,
                                 const char *to, clb_error *err);

/* Remove a mapping. Returns 0, CLB_ENOTFOUND, CLB_EDB. Audited as "map.remove". */
CLB_EXTERN int clb_store_map_remove(clb_store *store, clb_map_kind kind, const char *from,
                                    clb_error *err);

/* Render the mappings (of one kind, or all when kind < 0): "KIND TEXT -> TARGET" per
 * line, or with CLB_STORE_JSON an array of {kind, from, to}. */
CLB_EXTERN int clb_store_map_list(clb_buf *out, clb_store *store, int kind, unsigned flags,
                                  clb_error *err);

#ifdef __cplusplus
}
#endif
#endif
