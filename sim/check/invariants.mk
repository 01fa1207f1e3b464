# The invariant registry and the per-family invariants.
libfl_a_SOURCES += sim/check/invariant.c sim/check/invariant.h \
	sim/check/inv_raft.c sim/check/inv_raft.h \
	sim/check/inv_counter.c sim/check/inv_counter.h \
	sim/check/inv_lock.c sim/check/inv_lock.h \
	sim/check/inv_sort.c sim/check/inv_sort.h \
	sim/check/inv_paxos.c sim/check/inv_paxos.h
