# The golden regression test (issue 13): trace hashes of every shipped
# scenario, bench --raft, the experiments' CSVs and every built-in grade,
# compared with tests/golden-hashes.txt (computed on be1a45e).
TESTS += tests/test_golden.sh tests/test_layers.sh
EXTRA_DIST += tests/test_golden.sh tests/test_layers.sh tests/golden.sh tests/golden-hashes.txt

# The run object (sim/run/run.h): verdicts, stepping, the reproduce line,
# the built-ins' table and fl_world as an interface.
check_PROGRAMS += tests/test_run
TESTS += tests/test_run
tests_test_run_SOURCES = tests/test_run.c
tests_test_run_CFLAGS = $(TEST_CF)
tests_test_run_LDADD = $(TEST_LIBS)
tests_test_run_LDFLAGS = $(TEST_LD)
