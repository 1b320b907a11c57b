/*
 * consumer.c - a program outside the tree that uses the installed libcirculab.
 *
 * It loads a small scenario, solves it and prints the number of placements and the
 * objective; tests/api/check_install.py builds it against an installed copy of the
 * library (pkg-config and find_package) and compares its output with the CLI's.
 */
#include <circulab.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    clb_error err;
    clb_scenario *s = NULL;
    clb_result *r = NULL;
    clb_solve_opts opts;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: consumer SCENARIO\n");
        return 2;
    }
    clb_error_init(&err);
    if ((rc = clb_scenario_load_file(&s, argv[1], NULL, &err)) < 0 ||
        (clb_solve_opts_init(&opts), (rc = clb_solve(&r, s, &opts, &err)) < 0)) {
        fprintf(stderr, "consumer: %s\n", err.message);
        clb_scenario_free(s);
        return 1;
    }
    printf("placements %zu objective %.6f\n", clb_result_placement_count(r),
           clb_result_objective(r));
    clb_result_free(r);
    clb_scenario_free(s);
    return 0;
}
