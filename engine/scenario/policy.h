/*
 * policy.h - the policy of a scenario: reading the `policy` object, and the defaults
 * of its numeric keys by name (clb__policy_defaults itself is in scenario_impl.h, for
 * the modules that only need the defaults).
 */
#ifndef CLB_SCENARIO_POLICY_H
#define CLB_SCENARIO_POLICY_H

#include "scenario/fields.h"

/* Read the document's `policy` (when present) over the defaults in r->s->policy. */
void clb__policy_read(clb_reader *r, const clb_json *root);

/*
 * The default of a numeric policy key (`scope` "policy") or weight (`scope`
 * "weights"), as a number: false when the scope has no such key (or scope is NULL).
 */
bool clb__policy_default_number(double *out, const char *scope, const char *key);

#endif
