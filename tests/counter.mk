# The distributed counters' tests (tests/test_counter.c): the Raft counter
# state machine, CRDT params, and every scenario under scenarios/counter/
# in process over seeds, bug switches caught by their declared checks.
check_PROGRAMS += tests/test_counter
TESTS += tests/test_counter
tests_test_counter_SOURCES = tests/test_counter.c
tests_test_counter_CFLAGS = $(TEST_CF)
tests_test_counter_LDADD = $(TEST_LIBS)
tests_test_counter_LDFLAGS = $(TEST_LD)
