# Built-in algorithms. Each folder lists its sources in its own local.mk.
# How the visualizer speaks each algorithm's language (data only).
libfl_a_SOURCES += algorithms/viz_table.h
include algorithms/wire/local.mk
include algorithms/kvsm/local.mk
include algorithms/params/local.mk
include algorithms/kv/local.mk
include algorithms/bench/local.mk
include algorithms/raft/local.mk
include algorithms/counter/local.mk
include algorithms/lock/local.mk
include algorithms/sort/local.mk
include algorithms/paxos/local.mk

# The built-ins' table: one row per algorithm (algorithm, invariants, model).
libfl_a_SOURCES += algorithms/builtins.c algorithms/builtins.h
include algorithms/shardkv/local.mk
