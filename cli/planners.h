/*
 * planners.h - what the planners' commands (scenario compare, report, simulate)
 * share: turning a command-line operand into key figures.
 *
 * An operand is a scenario document, solved on the spot, or a result document
 * (circulab-result/1, for example written by `solve -o` or exported from a round),
 * whose figures are computed against the scenario given with --scenario. Both
 * commands accept the same operands, so a report shows exactly what a comparison
 * printed.
 */
#ifndef CLB_CLI_PLANNERS_H
#define CLB_CLI_PLANNERS_H

#include "cli.h"
#include "circulab/plan.h"

/*
 * The base plan of a comparison: the placements of its first scenario operand, by
 * worker and vacancy id (owned copies). Every later scenario operand is solved with
 * it as the second-stage objective (clb_solve_opts.base_plan), so that only what the
 * variant forces changes; --marginal re-solves use the operand's own plan.
 */
typedef struct cli_base_plan {
    clb_placement_ref *refs;
    size_t n;
    bool set; /* the first operand was loaded (a result document leaves it empty) */
} cli_base_plan;

void cli_base_plan_dispose(cli_base_plan *b);

typedef struct cli_kpi_opts {
    const char *scenario;  /* --scenario: the scenario of result operands, or NULL */
    bool marginal;         /* also compute marginal values (scenario operands) */
    double time_limit;     /* per solve; 0 = none */
    double gap;            /* per solve; 0 = proven optimal */
    cli_progress *progress;
    cli_base_plan *base;   /* the comparison's base plan (filled by the first operand) */
} cli_kpi_opts;

/*
 * Key figures of one operand (see above). Prints its own diagnostics and returns
 * CLB_EXIT_OK with *out set (release with clb_kpis_free), or an exit code.
 */
int cli_kpis_load(clb_kpis **out, const char *operand, const cli_kpi_opts *opts);

/*
 * Read a whole file into a NUL-terminated malloc'd buffer (release with free).
 * Returns 0, CLB_EIO or CLB_ENOMEM.
 */
int cli_read_file(char **out, size_t *len, const char *path);

/* Write `len` bytes to OUT atomically, or to stdout when out is NULL or "-". */
int cli_write_output(const char *out, const char *data, size_t len);

#endif
