/* sm_kv.c — Raft's key-value store (kv.h) as a raft_sm_ops table, the
 * state machine a plain "raft" run replicates. */
#include "algorithms/raft/sm.h"

#include <stdlib.h>

static void *kv_sm_create(const void *cfg)
{
    (void)cfg;
    raft_kv *kv = malloc(sizeof *kv);
    if (kv)
        raft_kv_init(kv);
    return kv;
}

static void kv_sm_destroy(void *sm)
{
    if (!sm)
        return;
    raft_kv_free(sm);
    free(sm);
}

static raft_apply_outcome kv_sm_apply(void *sm, const raft_cmd *cmd,
                                      int64_t *result, fl_status *status)
{
    return raft_kv_apply(sm, cmd, result, status);
}

static int64_t kv_sm_query(const void *sm, const fl_op *op)
{
    return raft_kv_get(sm, op->key);
}

static const raft_session *kv_sm_session(const void *sm, fl_node_id client)
{
    return raft_kv_session(sm, client);
}

static int kv_sm_encode(const void *sm, wire_buf *out)
{
    return raft_kv_encode(sm, out);
}

static int kv_sm_restore(void *sm, const uint8_t *p, size_t len)
{
    raft_kv kv;
    if (raft_kv_decode(p, len, &kv) != 0)
        return -1;
    raft_kv_swap(sm, &kv);
    raft_kv_free(&kv);
    return 0;
}

const raft_sm_ops raft_kv_sm = {
    .name = "kv",
    .create = kv_sm_create,
    .destroy = kv_sm_destroy,
    .apply = kv_sm_apply,
    .query = kv_sm_query,
    .session = kv_sm_session,
    .encode = kv_sm_encode,
    .restore = kv_sm_restore,
    .stamp = NULL,
    .inspect = NULL,
};
