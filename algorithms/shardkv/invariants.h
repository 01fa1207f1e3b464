/* invariants.h — shardkv's checks (family "shardkv"), from views only.
 * Each server's view carries the scalars group (-1: the configuration
 * service), config (the configuration its state machine applied),
 * serving, owned and waiting (bit s = shard s; algorithms/shardkv/sm.c):
 *
 *   shardkv.serve_owned_only     a replica serves only shards its group
 *                                owns in its configuration: it stops
 *                                serving at a reconfiguration
 *   shardkv.install_before_serve a replica never serves a shard it is
 *                                still waiting for (before the old
 *                                owner's checkpoint is installed)
 *   shardkv.single_group         in any configuration, replicas of two
 *                                different groups never serve one shard
 *   shardkv.shards_served        liveness: once params.serve_within_ms
 *                                has passed since the last heal or
 *                                restart and since the last scheduled
 *                                change, every shard is served at the
 *                                newest configuration
 *
 * That no acknowledged write is lost across a move is the
 * linearizability check's (kv model, one per key). Raft's own invariants
 * are not applied: they assume one Raft group per run, and shardkv runs
 * several, each with its own terms. */
#ifndef FL_SHARDKV_INVARIANTS_H
#define FL_SHARDKV_INVARIANTS_H

#include <stddef.h>

#include "algorithms/invariant.h"

const fl_invariant *const *fl_shardkv_invariants(size_t *n);

#endif
