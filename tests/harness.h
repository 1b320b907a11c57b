/*
 * harness.h - a minimal unit-test harness: CHECK macros that count and report
 * failures with file and line, and a closing line "N passed, N failed" that ctest
 * logs. A test program exits non-zero when any check failed.
 */
#ifndef CLB_TEST_HARNESS_H
#define CLB_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

static int clb_test_passed, clb_test_failed;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (cond) {                                                                   \
            clb_test_passed++;                                                        \
        } else {                                                                      \
            clb_test_failed++;                                                        \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);  \
        }                                                                             \
    } while (0)

#define CHECK_INT(a, b)                                                               \
    do {                                                                              \
        long long clb_a_ = (long long)(a), clb_b_ = (long long)(b);                   \
        if (clb_a_ == clb_b_) {                                                       \
            clb_test_passed++;                                                        \
        } else {                                                                      \
            clb_test_failed++;                                                        \
            fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__,  \
                    #a, clb_a_, clb_b_);                                              \
        }                                                                             \
    } while (0)

#define CHECK_STR(a, b)                                                               \
    do {                                                                              \
        const char *clb_a_ = (a), *clb_b_ = (b);                                      \
        if (clb_a_ && clb_b_ && strcmp(clb_a_, clb_b_) == 0) {                        \
            clb_test_passed++;                                                        \
        } else {                                                                      \
            clb_test_failed++;                                                        \
            fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__,       \
                    __LINE__, #a, clb_a_ ? clb_a_ : "(null)", clb_b_ ? clb_b_ : "(null)"); \
        }                                                                             \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                         \
    do {                                                                              \
        double clb_a_ = (a), clb_b_ = (b);                                            \
        if (clb_a_ - clb_b_ <= (tol) && clb_b_ - clb_a_ <= (tol)) {                   \
            clb_test_passed++;                                                        \
        } else {                                                                      \
            clb_test_failed++;                                                        \
            fprintf(stderr, "%s:%d: %s == %.9g, expected %.9g\n", __FILE__, __LINE__,  \
                    #a, clb_a_, clb_b_);                                              \
        }                                                                             \
    } while (0)

static inline int clb_test_finish(void)
{
    printf("%d passed, %d failed\n", clb_test_passed, clb_test_failed);
    return clb_test_failed ? 1 : 0;
}

#endif
