# The linearizability checker's suite (tests/test_check.c). Porcupine's
# histories are read from ../shared/data/porcupine when present.
check_PROGRAMS += tests/test_check
TESTS += tests/test_check
tests_test_check_SOURCES = tests/test_check.c
tests_test_check_CFLAGS = $(TEST_CF)
tests_test_check_LDADD = $(TEST_LIBS)
tests_test_check_LDFLAGS = $(TEST_LD)
EXTRA_DIST += tests/fixtures/check
# The --html page: self-contained, and rendered by headless Chromium
# where one is installed (skipped, saying so, where not).
TESTS += tests/test_check_html.sh
EXTRA_DIST += tests/test_check_html.sh
# Differential testing: random histories in every format against a small
# exhaustive reference checker (tests/test_check_fuzz.c); 300 per format
# here, any number with tests/check_fuzz.sh N.
check_PROGRAMS += tests/test_check_fuzz
TESTS += tests/test_check_fuzz
tests_test_check_fuzz_SOURCES = tests/test_check_fuzz.c
tests_test_check_fuzz_CFLAGS = $(TEST_CF)
tests_test_check_fuzz_LDADD = $(TEST_LIBS)
tests_test_check_fuzz_LDFLAGS = $(TEST_LD)
EXTRA_DIST += tests/check_fuzz.sh
# issue 20: every shipped scenario's EDN history, read back by `check`,
# gets the run's own verdict.
TESTS += tests/test_check_edn_shipped.sh
EXTRA_DIST += tests/test_check_edn_shipped.sh
# Each format's own semantics, Knossos' models, exact numbers, the EDN
# writer field by field, several files, a violation found fast.
check_PROGRAMS += tests/test_check_semantics
TESTS += tests/test_check_semantics
tests_test_check_semantics_SOURCES = tests/test_check_semantics.c
tests_test_check_semantics_CFLAGS = $(TEST_CF)
tests_test_check_semantics_LDADD = $(TEST_LIBS)
tests_test_check_semantics_LDFLAGS = $(TEST_LD)
# issue 14 item 6: a violation names its anomaly (stale read, lost write,
# write applied twice) in check, --html, run and grade, and only where a
# pattern fits exactly; uses the readindex-no-confirm plug-in (grade.mk).
TESTS += tests/test_anomaly.sh
EXTRA_DIST += tests/test_anomaly.sh
# issue 18: the per-key check while a run goes on (sim/check/lin_incr.c)
# against the whole check on the same histories — shipped scenarios',
# Porcupine's etcd ones, random and broken ones — and a long run that
# forgets its history: same verdict, report and history files.
check_PROGRAMS += tests/test_lin_incr
TESTS += tests/test_lin_incr
tests_test_lin_incr_SOURCES = tests/test_lin_incr.c
tests_test_lin_incr_CFLAGS = $(TEST_CF)
tests_test_lin_incr_LDADD = $(TEST_LIBS)
tests_test_lin_incr_LDFLAGS = $(TEST_LD)
