# Paxos's tests (tests/test_paxos.c): codec, record format, acceptor, log,
# sessions and params as unit tests; then every scenario under
# scenarios/paxos/ end to end over seeds, and every bug switch caught by
# the invariant its scenario declares.
check_PROGRAMS += tests/test_paxos
TESTS += tests/test_paxos
tests_test_paxos_SOURCES = tests/test_paxos.c tests/e2e.c tests/e2e.h
tests_test_paxos_CFLAGS = $(TEST_CF)
tests_test_paxos_LDADD = $(TEST_LIBS)
tests_test_paxos_LDFLAGS = $(TEST_LD)
