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

TESTS += tests/test_cli.sh tests/test_cli_args.sh tests/test_docs.sh tests/test_shipped.sh \
	tests/test_json_escape.sh
EXTRA_DIST += tests/test_cli.sh tests/test_cli_args.sh tests/test_docs.sh tests/doc_commands.py tests/test_shipped.sh \
	tests/test_json_escape.sh tests/json_validate.py

# docs/ schemas against what faultline writes and reads (python3-jsonschema
# through tests/json_validate.py); runs tests/test_scenario for its documents.
TESTS += tests/test_schemas.sh
EXTRA_DIST += tests/test_schemas.sh

# Test plug-ins (shared objects loaded with --impl).
check_LTLIBRARIES = tests/plugins/kv_plugin.la tests/plugins/bad_abi.la tests/plugins/no_entry.la
TEST_PLUGIN_LD = -module -avoid-version -shared -rpath /nowhere
tests_plugins_kv_plugin_la_SOURCES = tests/plugins/kv_plugin.c
tests_plugins_kv_plugin_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
tests_plugins_kv_plugin_la_LDFLAGS = $(TEST_PLUGIN_LD)
tests_plugins_bad_abi_la_SOURCES = tests/plugins/bad_abi.c
tests_plugins_bad_abi_la_LDFLAGS = $(TEST_PLUGIN_LD)
tests_plugins_no_entry_la_SOURCES = tests/plugins/no_entry.c
tests_plugins_no_entry_la_LDFLAGS = $(TEST_PLUGIN_LD)
TESTS += tests/test_plugin.sh
EXTRA_DIST += tests/test_plugin.sh

# Interaction tests: text files of commands against a small cluster under
# manual delivery (tests/interaction/ALG/NAME.txt, see tests/interaction.h).
check_PROGRAMS += tests/test_interaction
TESTS += tests/test_interaction
tests_test_interaction_SOURCES = tests/test_interaction.c tests/interaction.c tests/interaction.h
tests_test_interaction_CFLAGS = $(TEST_CF)
tests_test_interaction_LDADD = $(TEST_LIBS)
tests_test_interaction_LDFLAGS = $(TEST_LD)
EXTRA_DIST += tests/interaction

# faultline search (sim/batch/search.c): bugs found and replayed, bounds
# exhausted, sleep sets, bad input.
TESTS += tests/test_search.sh
EXTRA_DIST += tests/test_search.sh

# The utility room (sim/util/): hashes, grow helper, file reader, hash map.
check_PROGRAMS += tests/test_util
TESTS += tests/test_util
tests_test_util_SOURCES = tests/test_util.c
tests_test_util_CFLAGS = $(TEST_CF)
tests_test_util_LDADD = $(TEST_LIBS)
tests_test_util_LDFLAGS = $(TEST_LD)
