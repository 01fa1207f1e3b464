# The lock service's tests (tests/test_lock.c): wire formats, the lock state
# machine, params, and every scenario under scenarios/lock/ in process over
# seeds, bug switches caught by their declared checks.
check_PROGRAMS += tests/test_lock
TESTS += tests/test_lock
tests_test_lock_SOURCES = tests/test_lock.c
tests_test_lock_CFLAGS = $(TEST_CF)
tests_test_lock_LDADD = $(TEST_LIBS)
tests_test_lock_LDFLAGS = $(TEST_LD)
