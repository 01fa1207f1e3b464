check_PROGRAMS += tests/test_engine
TESTS += tests/test_engine
tests_test_engine_SOURCES = tests/test_engine.c
tests_test_engine_CFLAGS = $(TEST_CF)
tests_test_engine_LDADD = $(TEST_LIBS)
tests_test_engine_LDFLAGS = $(TEST_LD)
