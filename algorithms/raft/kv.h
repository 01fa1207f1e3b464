/* kv.h — the replicated state machine Raft applies entries to (Raft §5.3):
 * a map from uint32 keys to int64 values, plus one session per client
 * holding its last applied sequence number and that operation's result, so
 * a retried operation is answered from the session instead of running
 * twice (thesis §6.3). Both live in snapshots, so every replica dedups the
 * same way. Deterministic: sorted arrays, no hashing of pointers. */
#ifndef FL_RAFT_KV_H
#define FL_RAFT_KV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/raft/codec.h"

typedef struct raft_kv_pair {
    uint32_t key;
    int64_t  value;
} raft_kv_pair;

typedef struct raft_session {
    fl_node_id client;
    uint64_t   seq;        /* last applied sequence number */
    int64_t    result;
    uint8_t    status;     /* fl_status of that result */
} raft_session;

typedef struct raft_kv {
    raft_kv_pair *pairs;   /* sorted by key */
    size_t        npairs, cap_pairs;
    raft_session *sessions;/* sorted by client */
    size_t        nsessions, cap_sessions;
} raft_kv;

typedef enum raft_apply_outcome {
    RAFT_APPLY_DONE,       /* ran now; result and status set */
    RAFT_APPLY_DUPLICATE,  /* (client, seq) ran before: the stored result */
    RAFT_APPLY_STALE,      /* an older seq than the session's: skipped */
    RAFT_APPLY_OOM         /* out of memory: nothing changed */
} raft_apply_outcome;

void raft_kv_init(raft_kv *kv);
void raft_kv_free(raft_kv *kv);
/* The value of `key`, FL_NIL if never written. */
int64_t raft_kv_get(const raft_kv *kv, uint32_t key);
const raft_session *raft_kv_session(const raft_kv *kv, fl_node_id client);
/* Applies one command (no-ops do nothing and return DONE). */
raft_apply_outcome raft_kv_apply(raft_kv *kv, const raft_cmd *cmd,
                                 int64_t *result, fl_status *status);

/* For state machines built on this map (algorithms/lock/, counter/): runs
 * one client command (cmd->op, from cmd->client), changing the map only
 * through raft_kv_put. Returns 0, or -1 out of memory. `cfg` is the state
 * machine's configuration. */
typedef int (*raft_kv_run_fn)(raft_kv *kv, const raft_cmd *cmd,
                              const void *cfg, int64_t *result,
                              fl_status *status);
/* raft_kv_apply with another meaning for operations, and the same
 * sessions; `reserve` = how many new keys one operation may add at most
 * (room is made first, so running out of memory changes nothing). */
raft_apply_outcome raft_kv_apply_with(raft_kv *kv, const raft_cmd *cmd,
                                      raft_kv_run_fn run, const void *cfg,
                                      size_t reserve, int64_t *result,
                                      fl_status *status);
/* Sets `key`; 0, or -1 out of memory (room reserved by apply_with never
 * fails). */
int raft_kv_put(raft_kv *kv, uint32_t key, int64_t value);

/* Snapshot bytes: u32 npairs, (u32 key, i64 value)*, u32 nsessions,
 * (u32 client, u64 seq, i64 result, u8 status)*; all little-endian. */
int  raft_kv_encode(const raft_kv *kv, wire_buf *out);
/* Replaces nothing on failure: fills a fresh `kv` (init'ed by the call). */
int  raft_kv_decode(const uint8_t *p, size_t len, raft_kv *kv);
void raft_kv_swap(raft_kv *a, raft_kv *b);

#endif
