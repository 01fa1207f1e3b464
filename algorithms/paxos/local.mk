# Paxos (issue 7): single-decree Paxos ("paxos": proposer, acceptor and
# learner roles) and Multi-Paxos ("multipaxos": one server role), built
# into libfl.a. Both share the acceptor, the log, the codec and the disk
# formats.
libfl_a_SOURCES += \
	algorithms/paxos/paxos_table.h algorithms/paxos/view.h \
	algorithms/paxos/params.c algorithms/paxos/params.h \
	algorithms/paxos/codec.c algorithms/paxos/codec.h \
	algorithms/paxos/log.c algorithms/paxos/log.h \
	algorithms/paxos/storage.c algorithms/paxos/storage.h \
	algorithms/paxos/acceptor.c algorithms/paxos/acceptor.h \
	algorithms/paxos/basic.c algorithms/paxos/basic.h \
	algorithms/paxos/basic_proposer.c algorithms/paxos/basic_roles.c \
	algorithms/paxos/multi.c algorithms/paxos/multi.h

# What the algorithm must guarantee, checked after every event from views.
libfl_a_SOURCES += algorithms/paxos/invariants.c algorithms/paxos/invariants.h \
	algorithms/paxos/rules.c algorithms/paxos/rules.h algorithms/paxos/contract.h

# How the visualizer draws it (algorithms/viz_table.h).
libfl_a_SOURCES += algorithms/paxos/viz_table.c
