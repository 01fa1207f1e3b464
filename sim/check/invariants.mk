# The invariant registry and the per-family invariants.
libfl_a_SOURCES += sim/check/invariant.c sim/check/invariant.h \
	sim/check/inv_raft.c sim/check/inv_raft.h
