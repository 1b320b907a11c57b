/*
 * fuzz_jobposting.c - fuzz target of the schema.org JobPosting JSON-LD reader (a
 * posting, an array, an ItemList or an @graph; the mapping of docs/OFFERS.md), from
 * memory. The body is fuzz_offers.c's, with the page format forced to JobPosting so
 * that every input goes down the JSON-LD mapping rather than the native frame.
 */
#define FUZZ_FORMAT CLB_OFFERS_JOBPOSTING
#include "fuzz_offers.c"
