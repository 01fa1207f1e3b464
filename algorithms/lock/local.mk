# The lock service with leases and fencing tokens (issue 8), on Raft.
libfl_a_SOURCES += algorithms/lock/lock.h algorithms/lock/contract.h \
	algorithms/lock/sm.c \
	algorithms/lock/server.c \
	algorithms/lock/client.c \
	algorithms/lock/storage.c \
	algorithms/lock/wire.c

# What the algorithm must guarantee, checked after every event from views.
libfl_a_SOURCES += algorithms/lock/invariants.c algorithms/lock/invariants.h

# How the visualizer draws it (algorithms/viz_table.h).
libfl_a_SOURCES += algorithms/lock/viz_table.c
