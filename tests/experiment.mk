# `faultline experiment` (sim/cli/cmd_experiment.c): a few trials of the Raft
# leader-election experiment into a temporary directory, checking the CSVs'
# shape and that two runs write the same bytes.
TESTS += tests/test_experiment.sh
EXTRA_DIST += tests/test_experiment.sh
