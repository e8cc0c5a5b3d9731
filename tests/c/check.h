/* check.h: the few macros the C tests share. Each test program runs its TEST functions in
 * order, keeps going after a failure, prints "N passed, N failed" and exits non-zero when any
 * check failed. */
#ifndef STREAMDB_TEST_CHECK_H
#define STREAMDB_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "streamdb.h"

static int check_failures_in_test;

#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "  %s:%d: CHECK(%s) failed; errmsg: \"%s\"\n", __FILE__,       \
                    __LINE__, #cond, streamdb_errmsg());                                   \
            check_failures_in_test++;                                                      \
        }                                                                                  \
    } while (0)

/* The status of a call, and on a mismatch what the library said. */
#define CHECK_STATUS(expr, expected)                                                       \
    do {                                                                                   \
        int check_status_ = (expr);                                                        \
        if (check_status_ != (expected)) {                                                 \
            fprintf(stderr, "  %s:%d: %s returned %d (%s), expected %d (%s); errmsg: \"%s\"\n", \
                    __FILE__, __LINE__, #expr, check_status_, streamdb_strerror(check_status_), \
                    (expected), streamdb_strerror(expected), streamdb_errmsg());          \
            check_failures_in_test++;                                                      \
        }                                                                                  \
    } while (0)

#define CHECK_OK(expr) CHECK_STATUS(expr, STREAMDB_OK)

/* An error status whose message names the function and says something (not just ""). */
#define CHECK_ERROR(expr, expected, function)                                              \
    do {                                                                                   \
        CHECK_STATUS(expr, expected);                                                      \
        CHECK(strstr(streamdb_errmsg(), function) != NULL);                                \
    } while (0)

/* Fatal precondition of a test: stop the test, count it failed. */
#define REQUIRE(cond)                                                                      \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "  %s:%d: REQUIRE(%s) failed; errmsg: \"%s\"\n", __FILE__,     \
                    __LINE__, #cond, streamdb_errmsg());                                   \
            check_failures_in_test++;                                                      \
            return;                                                                        \
        }                                                                                  \
    } while (0)

typedef struct {
    const char *name;
    void (*run)(void);
} test_case;

#define TEST(name) static void name(void)
#define CASE(name) { #name, name }

static int run_tests(const char *program, const test_case *cases, size_t count) {
    int passed = 0, failed = 0;
    for (size_t i = 0; i < count; i++) {
        check_failures_in_test = 0;
        cases[i].run();
        if (check_failures_in_test == 0) {
            passed++;
            printf("ok   %s\n", cases[i].name);
        } else {
            failed++;
            printf("FAIL %s (%d checks)\n", cases[i].name, check_failures_in_test);
        }
        fflush(stdout);
    }
    printf("%s: %d passed, %d failed\n", program, passed, failed);
    return failed == 0 ? 0 : 1;
}

#define RUN_TESTS(program, cases) run_tests(program, cases, sizeof(cases) / sizeof((cases)[0]))

/* A fresh file name under the test's scratch directory (STREAMDB_TEST_DIR or /tmp). */
static inline void scratch_file(char *out, size_t cap, const char *name) {
    const char *dir = getenv("STREAMDB_TEST_DIR");
    snprintf(out, cap, "%s/%s", dir && *dir ? dir : "/tmp", name);
    remove(out);
}

#define LIT(s) (s), (sizeof(s) - 1)

#endif
