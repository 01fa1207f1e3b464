# Distributed counters (issue 8): a linearizable counter on Raft's log and
# G-/PN-Counter CRDTs replicated by gossip.
libfl_a_SOURCES += algorithms/counter/counter.h algorithms/counter/contract.h \
	algorithms/counter/raft_sm.c \
	algorithms/counter/crdt.c

# What the algorithm must guarantee, checked after every event from views.
libfl_a_SOURCES += algorithms/counter/invariants.c algorithms/counter/invariants.h

# How the visualizer draws it (algorithms/viz_table.h).
libfl_a_SOURCES += algorithms/counter/viz_table.c
