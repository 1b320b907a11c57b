/*
 * glpk_limit.c - GLPK running out of memory in the middle of a solve.
 *
 * GLPK has no allocator hook, so clb_global_init cannot route its allocations; when one
 * fails (or its memory limit is reached) GLPK calls its error hook, and lp_glpk.c jumps
 * back, drops GLPK's environment and reports the failure. This program drives that
 * path through GLPK's own memory limit: it sets the limit (glp_mem_limit), fills the
 * environment with a block (glp_alloc) so that only `k` bytes are left, and solves a
 * small scenario, for k from 0 up to what the solve needs. Each solve must either
 * succeed with the same plan as without a limit or fail with CLB_ENOMEM (exit 1); and
 * afterwards a solve without limit must work again (GLPK's environment recovered).
 * Under ASan, nothing may leak.
 *
 * Usage: glpk_limit SCENARIO STEPS   (STEPS budgets between 0 and the solve's peak)
 */
#include <glpk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circulab.h"

static int solve(clb_buf *doc, const clb_scenario *sc, clb_error *err)
{
    clb_result *result = NULL;
    clb_solve_opts opts;
    int rc;

    clb_solve_opts_init(&opts);
    doc->size = 0;
    if ((rc = clb_solve(&result, sc, &opts, err)) == 0)
        rc = clb_result_save(doc, result, 0, err);
    clb_result_free(result);
    return rc;
}

int main(int argc, char **argv)
{
    clb_scenario *sc = NULL;
    clb_buf expected = CLB_BUF_INIT, doc = CLB_BUF_INIT;
    clb_error err;
    int count, cpeak, limit_mb, rc, steps, bad = 0, nomem = 0, solved = 0;
    size_t total, tpeak, peak;

    if (argc != 3) {
        fprintf(stderr, "usage: glpk_limit SCENARIO STEPS\n");
        return 2;
    }
    steps = atoi(argv[2]) > 0 ? atoi(argv[2]) : 1;
    clb_error_init(&err);
    if (clb_global_init(NULL, &err) < 0 ||
        clb_scenario_load_file(&sc, argv[1], NULL, &err) < 0) {
        fprintf(stderr, "glpk_limit: %s\n", err.message);
        return 2;
    }

    /* the solve without limit: its plan, and GLPK's peak use */
    glp_free_env();
    if ((rc = solve(&expected, sc, &err)) < 0) {
        fprintf(stderr, "glpk_limit: the solve fails without a limit: %s\n", err.message);
        return 1;
    }
    glp_mem_usage(&count, &cpeak, &total, &tpeak);
    peak = tpeak;
    glp_free_env();
    limit_mb = (int)(peak / 1048576) + 2;

    for (int i = 0; i <= steps; i++) {
        size_t left = peak * (size_t)i / (size_t)steps;
        void *filler = NULL;
        glp_mem_limit(limit_mb);
        glp_mem_usage(&count, &cpeak, &total, &tpeak);
        /* the filler takes all but `left` bytes (and GLPK's header of the block) */
        size_t room = (size_t)limit_mb * 1048576 - total;
        if (room > left + 64)
            filler = glp_alloc(1, (int)(room - left - 64));
        clb_error_init(&err);
        rc = solve(&doc, sc, &err);
        if (rc == 0) {
            solved++;
            if (doc.size != expected.size || memcmp(doc.ptr, expected.ptr, doc.size) != 0) {
                fprintf(stderr, "glpk_limit: with %zu bytes left the plan differs\n", left);
                bad++;
            }
        } else if (rc == CLB_ENOMEM) {
            nomem++;
        } else {
            fprintf(stderr, "glpk_limit: with %zu bytes left: %s (%d): %s\n", left,
                    clb_strerror(rc), rc, err.message);
            bad++;
        }
        /* after a failure the environment is gone, and the filler with it */
        if (rc == 0 && filler)
            glp_free(filler);
        glp_free_env();
    }

    /* and GLPK works again */
    clb_error_init(&err);
    if ((rc = solve(&doc, sc, &err)) != 0 || doc.size != expected.size ||
        memcmp(doc.ptr, expected.ptr, doc.size) != 0) {
        fprintf(stderr, "glpk_limit: the solve after the sweep: %s\n",
                rc ? err.message : "a different plan");
        bad++;
    }
    printf("glpk_limit: peak %zu bytes in GLPK; %d budgets: %d solved with the same plan, "
           "%d clean out-of-memory errors, %d wrong\n",
           peak, steps + 1, solved, nomem, bad);
    glp_free_env();
    clb_buf_dispose(&expected);
    clb_buf_dispose(&doc);
    clb_scenario_free(sc);
    return bad ? 1 : 0;
}
