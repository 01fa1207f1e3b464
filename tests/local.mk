# Test programs. Each area lists its own in a fragment; all use tests/cu.h
# and print "fl-tests: N passed, M failed" as their last line.
EXTRA_DIST += tests/cu.h
include tests/engine.mk
include tests/scenario.mk
include tests/check.mk
include tests/raft.mk
include tests/sort.mk
include tests/paxos.mk
include tests/counter.mk
include tests/lock.mk
include tests/experiment.mk
include tests/viz.mk
include tests/grade.mk
include tests/golden.mk
include tests/hostile.mk
include tests/helpers.mk
include tests/shardkv.mk
include tests/trace.mk
