/*
 * placements.h - a result's placements as (worker, vacancy) ids, and how many of
 * another result's placements are among them: what the second-stage tests count
 * (placements kept from a base plan). Header-only, like harness.h, for the unit
 * programs that include it.
 */
#ifndef CLB_TEST_PLACEMENTS_H
#define CLB_TEST_PLACEMENTS_H

#include "circulab.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The placements of r as (worker, vacancy) ids; *n of them; free() the array. */
static clb_placement_ref *refs_of(const clb_result *r, size_t *n)
{
    *n = clb_result_placement_count(r);
    clb_placement_ref *refs = calloc(*n + 1, sizeof(*refs));
    for (size_t i = 0; refs && i < *n; i++) {
        clb_placement_info info;
        clb_result_placement_get(&info, r, i);
        refs[i].worker = info.worker;
        refs[i].vacancy = info.vacancy;
    }
    return refs;
}

/* Placements of r that are in refs[0..n). */
static size_t kept(const clb_result *r, const clb_placement_ref *refs, size_t n)
{
    size_t out = 0;
    for (size_t i = 0; i < clb_result_placement_count(r); i++) {
        clb_placement_info info;
        bool found = false;
        clb_result_placement_get(&info, r, i);
        for (size_t k = 0; k < n && !found; k++)
            found = strcmp(refs[k].worker, info.worker) == 0 &&
                    strcmp(refs[k].vacancy, info.vacancy) == 0;
        out += found;
    }
    return out;
}

#endif
