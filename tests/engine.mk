check_PROGRAMS += tests/test_engine
TESTS += tests/test_engine
tests_test_engine_SOURCES = tests/test_engine.c
tests_test_engine_CFLAGS = $(TEST_CF)
tests_test_engine_LDADD = $(TEST_LIBS)
tests_test_engine_LDFLAGS = $(TEST_LD)

check_PROGRAMS += tests/test_determinism
TESTS += tests/test_determinism
tests_test_determinism_SOURCES = tests/test_determinism.c
tests_test_determinism_CFLAGS = $(TEST_CF)
tests_test_determinism_LDADD = $(TEST_LIBS)
tests_test_determinism_LDFLAGS = $(TEST_LD)

TESTS += tests/test_cli.sh
EXTRA_DIST += tests/test_cli.sh

check_PROGRAMS += tests/test_schemas
TESTS += tests/test_schemas
tests_test_schemas_SOURCES = tests/test_schemas.c tests/json_schema.c tests/json_schema.h
tests_test_schemas_CFLAGS = $(TEST_CF)
tests_test_schemas_LDADD = $(TEST_LIBS)
tests_test_schemas_LDFLAGS = $(TEST_LD)
