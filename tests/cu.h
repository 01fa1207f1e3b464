/* cu.h — the shared CUnit driver: every test program declares its suites in
 * one table and calls fl_cu_main. The last line it prints,
 * "fl-tests: N passed, M failed", is what .ci/run adds up. */
#ifndef FL_TESTS_CU_H
#define FL_TESTS_CU_H

#include <stdio.h>
#include <stdlib.h>

#include <CUnit/Basic.h>

typedef struct fl_cu_test {
    const char *name;
    void (*fn)(void);
} fl_cu_test;

typedef struct fl_cu_suite {
    const char *name;
    const fl_cu_test *tests;   /* ended by {NULL, NULL} */
} fl_cu_suite;

/* Where the source tree is (for scenarios and fixtures). */
static inline const char *fl_cu_srcdir(void)
{
    const char *d = getenv("FL_SRCDIR");
#ifdef FL_SRCDIR
    if (!d)
        d = FL_SRCDIR;
#endif
    return d ? d : ".";
}

static inline int fl_cu_main(const fl_cu_suite *suites)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 99;
    for (const fl_cu_suite *s = suites; s->name; s++) {
        CU_pSuite cs = CU_add_suite(s->name, NULL, NULL);
        if (!cs)
            return 99;
        for (const fl_cu_test *t = s->tests; t->name; t++)
            if (!CU_add_test(cs, t->name, t->fn))
                return 99;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned run = CU_get_number_of_tests_run();
    unsigned failed = CU_get_number_of_tests_failed();
    unsigned afailed = CU_get_number_of_failures();
    CU_cleanup_registry();
    printf("fl-tests: %u passed, %u failed\n", run - failed, failed);
    return (failed || afailed) ? 1 : 0;
}

#endif
