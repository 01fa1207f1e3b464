/* sm.h — the replicated state machine Raft applies its log to, as a table
 * of functions (the role canonical/raft's `struct raft_fsm` plays). Raft
 * owns ordering, commitment, snapshots and client sessions' transport; the
 * state machine owns what a committed command means. Raft's own key-value
 * store (the shared algorithms/kvsm/) is one implementation (raft_kv_sm);
 * the lock service
 * (algorithms/lock/) and the linearizable counter (algorithms/counter/)
 * run on the same Raft through tables of their own, so there is exactly
 * one consensus implementation in the tree.
 *
 * Every function must be deterministic: a replica applying the same
 * commands in the same order must reach byte-identical state (Raft §5.3's
 * State Machine Safety is only as good as that). */
#ifndef FL_RAFT_SM_H
#define FL_RAFT_SM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/algorithm.h"
#include "algorithms/raft/codec.h"
#include "algorithms/kvsm/kvsm.h"

typedef struct raft_sm_ops {
    const char *name;
    /* A fresh, empty state machine; `cfg` is the host's configuration
     * (borrowed for the node's life; may be NULL). NULL: out of memory. */
    void *(*create)(const void *cfg);
    void  (*destroy)(void *sm);
    /* Applies one committed command (no-ops included), deduplicating
     * retried client operations by (client, seq) (thesis §6.3). */
    fl_kvsm_outcome (*apply)(void *sm, const raft_cmd *cmd,
                                int64_t *result, fl_status *status);
    /* Answers a read-only operation from the current state (ReadIndex). */
    int64_t (*query)(const void *sm, const fl_op *op);
    /* The session of `client`: its last applied seq and result; NULL if
     * none. */
    const fl_kvsm_session *(*session)(const void *sm, fl_node_id client);
    /* Snapshot bytes (Raft §7) into `out` (reset first); 0 or -1 (OOM). */
    int  (*encode)(const void *sm, wire_buf *out);
    /* Replaces the state with a snapshot's; on error (-1) nothing changes. */
    int  (*restore)(void *sm, const uint8_t *p, size_t len);
    /* Optional. The leader may rewrite an operation before proposing it,
     * e.g. stamp it with its clock so that every replica judges a lease
     * by the same time (leases must not depend on the applying replica's
     * clock). NULL: the operation is logged as the client sent it. */
    void (*stamp)(const void *sm, fl_ctx *ctx, fl_op *op);
    /* Optional. Adds state-machine scalars to a server's view (Raft then
     * shows only its first three scalars, to leave room). */
    void (*inspect)(const void *sm, fl_view *view);
} raft_sm_ops;

/* Raft's default state machine: the shared key-value store (kvsm.h). */
extern const raft_sm_ops raft_kv_sm;

/* For state machines built on the shared store (this one, lock/, counter/):
 * applies one committed entry. No-ops do nothing and return DONE; a
 * client operation runs through fl_kvsm_apply_with(run, cfg, reserve). */
fl_kvsm_outcome raft_sm_apply_kv(fl_kvsm *kv, const raft_cmd *cmd,
                                 fl_kvsm_run_fn run, const void *cfg,
                                 size_t reserve, int64_t *result,
                                 fl_status *status);
/* raft_sm_apply_kv with the plain store's meaning (fl_kvsm_run_kv). */
fl_kvsm_outcome raft_kv_apply(fl_kvsm *kv, const raft_cmd *cmd,
                              int64_t *result, fl_status *status);
/* Snapshot bytes of the store into `out` (reset first); 0 or -1 (OOM). */
int raft_sm_encode_kv(const fl_kvsm *kv, wire_buf *out);

/* How the host hears about client answers. NULL (the default): through
 * fl_reply / fl_redirect to the engine's built-in clients. A host whose
 * clients are its own roles (the lock service) answers over its own
 * messages. `hint` is meaningful only for FL_STATUS_REDIRECT. */
typedef void (*raft_answer_fn)(fl_ctx *ctx, void *state,
                               const fl_request *req, fl_status status,
                               int64_t value, fl_node_id hint);

#endif
