/*
 * read.h - the scenario reader: a parsed circulab-scenario/1 document to the records
 * of a clb_scenario, with every breach of the format as a diagnostic (read.c).
 *
 * The reader is the one definition of a valid document. It knows nothing of files,
 * variants or the eligibility rules: the loader (rules/load.c) parses the text, merges
 * a variant with its base, calls this reader and then checks the pins.
 */
#ifndef CLB_SCENARIO_READ_H
#define CLB_SCENARIO_READ_H

#include "io/json.h"
#include "scenario/scenario_impl.h"

/*
 * Read a parsed document into a new scenario.
 *
 * out:    receives the scenario (release with clb_scenario_free)
 * root:   the parsed document (any JSON value: a non-object is reported)
 * source: names the document in diagnostics (may be NULL)
 * diags:  receives every breach, with `source`, its JSON path and a rule code
 * Returns 0, CLB_EINVAL (the first new diagnostic and a count of the others in err)
 * or CLB_ENOMEM.
 */
int clb__scenario_read(clb_scenario **out, const clb_json *root, const char *source,
                       clb_diags *diags, clb_error *err);

#endif
