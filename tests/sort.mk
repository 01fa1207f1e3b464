# The distributed sample sort's tests (tests/test_sort.c): codec, params
# and registration as unit tests, then every scenario under scenarios/sort/
# in process: non-bug scenarios hold every check, each bug is caught by the
# check it declares, recovery from worker and coordinator crashes, and a
# batch of generated fault schedules.
check_PROGRAMS += tests/test_sort
TESTS += tests/test_sort
tests_test_sort_SOURCES = tests/test_sort.c
tests_test_sort_CFLAGS = $(TEST_CF)
tests_test_sort_LDADD = $(TEST_LIBS)
tests_test_sort_LDFLAGS = $(TEST_LD)
