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
