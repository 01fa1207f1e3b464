# The algorithms' shared helpers (tests/test_helpers.c): the key-value
# state machine with client sessions and the params reader.
check_PROGRAMS += tests/test_helpers
TESTS += tests/test_helpers
tests_test_helpers_SOURCES = tests/test_helpers.c
tests_test_helpers_CFLAGS = $(TEST_CF)
tests_test_helpers_LDADD = $(TEST_LIBS)
tests_test_helpers_LDFLAGS = $(TEST_LD)
