# Distributed counters (issue 8): a linearizable counter on Raft's log and
# G-/PN-Counter CRDTs replicated by gossip.
libfl_a_SOURCES += algorithms/counter/counter.h \
	algorithms/counter/raft_sm.c \
	algorithms/counter/crdt.c
