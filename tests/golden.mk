# The golden regression test (issue 13): trace hashes of every shipped
# scenario, bench --raft, the experiments' CSVs and every built-in grade,
# compared with tests/golden-hashes.txt (computed on be1a45e).
TESTS += tests/test_golden.sh
EXTRA_DIST += tests/test_golden.sh tests/golden.sh tests/golden-hashes.txt
