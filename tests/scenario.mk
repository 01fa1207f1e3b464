# tests/scenario.mk — the scenario loader's tests (tests/test_scenario.c;
# tests/test_schemas.sh validates the documents it accepts against the
# schema). Fixtures live in tests/fixtures/scenario/.
check_PROGRAMS += tests/test_scenario
TESTS += tests/test_scenario
tests_test_scenario_SOURCES = tests/test_scenario.c
tests_test_scenario_CFLAGS = $(TEST_CF)
tests_test_scenario_LDADD = $(TEST_LIBS)
tests_test_scenario_LDFLAGS = $(TEST_LD)
EXTRA_DIST += tests/fixtures
