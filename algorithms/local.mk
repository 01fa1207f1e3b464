# Built-in algorithms. Each folder lists its sources in its own local.mk.
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
include algorithms/shardkv/local.mk
