/* kvsm.h — the one key-value state machine with client sessions that the
 * built-in replicated algorithms apply their decided commands to (Raft's
 * log, Multi-Paxos's slots, shardkv's shards): a map from uint32 keys to
 * int64 values, plus one session per client holding its last applied
 * sequence number and that operation's result, so a retried operation is
 * answered from the session instead of running twice (Raft thesis §6.3;
 * "Paxos Made Moderately Complex" §3: a replica does not apply a command
 * it has already performed). Both live in snapshots and checkpoints, so
 * every replica, and every group a shard moves to, dedups the same way.
 *
 * Deterministic: sorted arrays, binary search, no hashing of pointers.
 * Knows no consensus protocol: a caller passes (client, seq, op). */
#ifndef FL_KVSM_H
#define FL_KVSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/algorithm.h"
#include "algorithms/wire/wire.h"

typedef struct fl_kvsm_pair {
    uint32_t key;
    int64_t  value;
} fl_kvsm_pair;

typedef struct fl_kvsm_session {
    fl_node_id client;
    uint64_t   seq;        /* last applied sequence number */
    int64_t    result;
    uint8_t    status;     /* fl_status of that result */
} fl_kvsm_session;

typedef struct fl_kvsm {
    fl_kvsm_pair    *pairs;     /* sorted by key */
    size_t           npairs, cap_pairs;
    fl_kvsm_session *sessions;  /* sorted by client */
    size_t           nsessions, cap_sessions;
} fl_kvsm;

typedef enum fl_kvsm_outcome {
    FL_KVSM_DONE,          /* ran now; result and status set */
    FL_KVSM_DUPLICATE,     /* (client, seq) ran before: the stored result */
    FL_KVSM_STALE,         /* an older seq than the session's: skipped */
    FL_KVSM_OOM            /* out of memory: nothing changed */
} fl_kvsm_outcome;

void fl_kvsm_init(fl_kvsm *kv);
void fl_kvsm_free(fl_kvsm *kv);
void fl_kvsm_swap(fl_kvsm *a, fl_kvsm *b);
/* The value of `key`, FL_NIL if never written. */
int64_t fl_kvsm_get(const fl_kvsm *kv, uint32_t key);
const fl_kvsm_session *fl_kvsm_session_of(const fl_kvsm *kv,
                                          fl_node_id client);
/* Sets `key`; 0, or -1 out of memory (room reserved by apply_with never
 * fails). */
int fl_kvsm_put(fl_kvsm *kv, uint32_t key, int64_t value);
/* Removes `key` if present. */
void fl_kvsm_del(fl_kvsm *kv, uint32_t key);
/* Records (client, seq) -> (result, status) as the client's session;
 * 0, or -1 out of memory. */
int fl_kvsm_set_session(fl_kvsm *kv, fl_node_id client, uint64_t seq,
                        int64_t result, fl_status status);

/* What an operation means: runs `op` from `client`, changing the map only
 * through fl_kvsm_put. Returns 0, or -1 out of memory. `cfg` is the
 * caller's configuration. */
typedef int (*fl_kvsm_run_fn)(fl_kvsm *kv, fl_node_id client,
                              const fl_op *op, const void *cfg,
                              int64_t *result, fl_status *status);
/* The plain store: read, write, cas, add; anything else FAILs. */
int fl_kvsm_run_kv(fl_kvsm *kv, fl_node_id client, const fl_op *op,
                   const void *cfg, int64_t *result, fl_status *status);

/* Applies (client, seq, op) once: a repeated seq answers from the session
 * (DUPLICATE), an older one is skipped (STALE). `reserve` = how many new
 * keys one operation may add at most (room is made first, so running out
 * of memory changes nothing). */
fl_kvsm_outcome fl_kvsm_apply_with(fl_kvsm *kv, fl_node_id client,
                                   uint64_t seq, const fl_op *op,
                                   fl_kvsm_run_fn run, const void *cfg,
                                   size_t reserve, int64_t *result,
                                   fl_status *status);
/* fl_kvsm_apply_with(fl_kvsm_run_kv, reserve 1). */
fl_kvsm_outcome fl_kvsm_apply(fl_kvsm *kv, fl_node_id client, uint64_t seq,
                              const fl_op *op, int64_t *result,
                              fl_status *status);

/* Snapshot / checkpoint bytes: u32 npairs, (u32 key, i64 value)*,
 * u32 nsessions, (u32 client, u64 seq, i64 result, u8 status)*; all
 * little-endian. Appends to `out` (the caller resets it); 0 or -1 (OOM). */
int fl_kvsm_encode(const fl_kvsm *kv, wire_buf *out);
/* Fills a fresh `kv` (init'ed by the call) from exactly `len` bytes;
 * -1 (and `kv` empty) on a malformed buffer or out of memory. */
int fl_kvsm_decode(const uint8_t *p, size_t len, fl_kvsm *kv);
/* Like fl_kvsm_decode, reading from `r` and leaving the rest unread. */
int fl_kvsm_read(wire_reader *r, fl_kvsm *kv);

#endif
