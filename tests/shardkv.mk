# The sharded key-value store (tests/test_shardkv.sh): scenarios pass, bug
# scenarios are caught, the suite catches every bug switch, the skeleton
# scores 0; and the consistent-hashing ring (tests/test_ring.c).
TESTS += tests/test_shardkv.sh
EXTRA_DIST += tests/test_shardkv.sh
check_PROGRAMS += tests/test_ring
TESTS += tests/test_ring
tests_test_ring_SOURCES = tests/test_ring.c
tests_test_ring_CFLAGS = $(TEST_CF)
tests_test_ring_LDADD = $(TEST_LIBS)
tests_test_ring_LDFLAGS = $(TEST_LD)
