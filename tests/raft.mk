# Raft's tests (tests/test_raft.c): codec round trips and garbage, the log,
# the state machine's sessions, the on-disk format and parameter checks as
# unit tests; then every scenario under scenarios/raft/ end to end, over
# seeds, through both the built-in table and the plug-in.
check_PROGRAMS += tests/test_raft
TESTS += tests/test_raft
tests_test_raft_SOURCES = tests/test_raft.c tests/e2e.c tests/e2e.h
tests_test_raft_CFLAGS = $(TEST_CF)
tests_test_raft_LDADD = $(TEST_LIBS)
tests_test_raft_LDFLAGS = $(TEST_LD)

# Unit tests of election.c and replicate.c on one node through a fake
# context (tests/fake/): Raft's sources without the engine.
check_PROGRAMS += tests/test_raft_unit
TESTS += tests/test_raft_unit
tests_test_raft_unit_SOURCES = tests/test_raft_unit.c tests/fake/fake_ctx.c tests/fake/fake_ctx.h \
	$(RAFT_SOURCES) $(WIRE_SOURCES)
tests_test_raft_unit_CFLAGS = $(TEST_CF)
tests_test_raft_unit_LDADD = $(CJSON_LIBS) $(CUNIT_LIBS)
TESTS += tests/test_raft_unit_bugs.sh
EXTRA_DIST += tests/test_raft_unit_bugs.sh
