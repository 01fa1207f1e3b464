# shardkv (issue 21): a sharded key-value store on consistent hashing,
# replica groups and a configuration service on the built-in Raft.
libfl_a_SOURCES += \
	algorithms/shardkv/shardkv.h \
	algorithms/shardkv/ring.c algorithms/shardkv/ring.h \
	algorithms/shardkv/params.c \
	algorithms/shardkv/sm.c \
	algorithms/shardkv/server.c

# What the algorithm must guarantee, checked after every event from views.
libfl_a_SOURCES += algorithms/shardkv/invariants.c algorithms/shardkv/invariants.h

# How the visualizer draws it: Raft's words and the hash ring (Ring pane).
libfl_a_SOURCES += algorithms/shardkv/viz_table.c
