# The key-value state machine with client sessions shared by the built-in
# replicated algorithms (Raft, Multi-Paxos, shardkv). Plug-in builds of an
# algorithm list $(KVSM_SOURCES) beside their own.
KVSM_SOURCES = algorithms/kvsm/kvsm.c algorithms/kvsm/kvsm.h
libfl_a_SOURCES += $(KVSM_SOURCES)
