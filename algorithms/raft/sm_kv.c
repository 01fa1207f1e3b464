/* sm_kv.c — the shared key-value store (algorithms/kvsm/) as a
 * raft_sm_ops table, the state machine a plain "raft" run replicates, and
 * the adapters from Raft's log entries to it (sm.h). */
#include "algorithms/raft/sm.h"

#include <stdlib.h>

fl_kvsm_outcome raft_sm_apply_kv(fl_kvsm *kv, const raft_cmd *cmd,
                                 fl_kvsm_run_fn run, const void *cfg,
                                 size_t reserve, int64_t *result,
                                 fl_status *status)
{
    *result = 0;
    *status = FL_STATUS_OK;
    if (cmd->type != RAFT_CMD_OP)
        return FL_KVSM_DONE;
    return fl_kvsm_apply_with(kv, cmd->client, cmd->seq, &cmd->op, run, cfg,
                              reserve, result, status);
}

fl_kvsm_outcome raft_kv_apply(fl_kvsm *kv, const raft_cmd *cmd,
                              int64_t *result, fl_status *status)
{
    return raft_sm_apply_kv(kv, cmd, fl_kvsm_run_kv, NULL, 1, result,
                            status);
}

int raft_sm_encode_kv(const fl_kvsm *kv, wire_buf *out)
{
    out->len = 0;
    out->oom = false;
    return fl_kvsm_encode(kv, out);
}

static void *kv_sm_create(const void *cfg)
{
    (void)cfg;
    fl_kvsm *kv = malloc(sizeof *kv);
    if (kv)
        fl_kvsm_init(kv);
    return kv;
}

static void kv_sm_destroy(void *sm)
{
    if (!sm)
        return;
    fl_kvsm_free(sm);
    free(sm);
}

static fl_kvsm_outcome kv_sm_apply(void *sm, const raft_cmd *cmd,
                                      int64_t *result, fl_status *status)
{
    return raft_kv_apply(sm, cmd, result, status);
}

static int64_t kv_sm_query(const void *sm, const fl_op *op)
{
    return fl_kvsm_get(sm, op->key);
}

static const fl_kvsm_session *kv_sm_session(const void *sm, fl_node_id client)
{
    return fl_kvsm_session_of(sm, client);
}

static int kv_sm_encode(const void *sm, wire_buf *out)
{
    return raft_sm_encode_kv(sm, out);
}

static int kv_sm_restore(void *sm, const uint8_t *p, size_t len)
{
    fl_kvsm kv;
    if (fl_kvsm_decode(p, len, &kv) != 0)
        return -1;
    fl_kvsm_swap(sm, &kv);
    fl_kvsm_free(&kv);
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
