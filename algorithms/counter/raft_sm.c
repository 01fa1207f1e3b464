/* raft_sm.c — the linearizable counter: a state machine for Raft
 * (algorithms/raft/sm.h) whose commands are add(delta) and read, and the
 * "counter-raft" algorithm that runs it on the unchanged Raft server. The
 * counter lives in Raft's key-value map (one counter per key, nil = 0),
 * so sessions and snapshots are Raft's; only what a command means is
 * new: writes and CAS are not counter operations and fail. */
#include "algorithms/counter/counter.h"

#include <stdlib.h>

#include "algorithms/raft/raft.h"
#include "algorithms/raft/raft_table.h"

/* ---- The state machine ---------------------------------------------------- */

static int counter_run(fl_kvsm *kv, fl_node_id client, const fl_op *op,
                       const void *cfg, int64_t *result, fl_status *status)
{
    (void)client;
    (void)cfg;
    int64_t cur = fl_kvsm_get(kv, op->key);
    if (cur == FL_NIL)
        cur = 0;
    *status = FL_STATUS_OK;
    switch (op->kind) {
    case FL_OP_READ:
        *result = cur;
        return 0;
    case FL_OP_ADD:
        *result = (int64_t)((uint64_t)cur + (uint64_t)op->arg);
        return fl_kvsm_put(kv, op->key, *result);
    default:
        break;
    }
    *result = 0;
    *status = FL_STATUS_FAIL;       /* not a counter operation */
    return 0;
}

static void *counter_create(const void *cfg)
{
    (void)cfg;
    fl_kvsm *kv = malloc(sizeof *kv);
    if (kv)
        fl_kvsm_init(kv);
    return kv;
}

static void counter_destroy(void *sm)
{
    if (!sm)
        return;
    fl_kvsm_free(sm);
    free(sm);
}

static fl_kvsm_outcome counter_apply(void *sm, const raft_cmd *cmd,
                                        int64_t *result, fl_status *status)
{
    return raft_sm_apply_kv(sm, cmd, counter_run, NULL, 1, result, status);
}

static int64_t counter_query(const void *sm, const fl_op *op)
{
    int64_t v = fl_kvsm_get(sm, op->key);
    return v == FL_NIL ? 0 : v;
}

static const fl_kvsm_session *counter_session(const void *sm, fl_node_id c)
{
    return fl_kvsm_session_of(sm, c);
}

static int counter_encode(const void *sm, wire_buf *out)
{
    return raft_sm_encode_kv(sm, out);
}

static int counter_restore(void *sm, const uint8_t *p, size_t len)
{
    fl_kvsm kv;
    if (fl_kvsm_decode(p, len, &kv) != 0)
        return -1;
    fl_kvsm_swap(sm, &kv);
    fl_kvsm_free(&kv);
    return 0;
}

static void counter_inspect(const void *sm, fl_view *v)
{
    const fl_kvsm *kv = sm;
    if (v->nscalars < FL_VIEW_MAX_SCALARS) {
        int64_t x = fl_kvsm_get(kv, 0);
        v->scalars[v->nscalars].name = FL_COUNTER_SCALAR_VALUE;
        v->scalars[v->nscalars].value = x == FL_NIL ? 0 : x;
        v->nscalars++;
    }
}

const raft_sm_ops counter_raft_sm = {
    .name = "counter",
    .create = counter_create,
    .destroy = counter_destroy,
    .apply = counter_apply,
    .query = counter_query,
    .session = counter_session,
    .encode = counter_encode,
    .restore = counter_restore,
    .stamp = NULL,
    .inspect = counter_inspect,
};

/* ---- The algorithm: Raft's server role with this state machine ----------- */

static int counter_raft_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    return raft_server_init(ctx, state, params, &counter_raft_sm, NULL, NULL);
}

static const fl_role counter_raft_roles[] = {
    {
        .name = "server",
        .state_size = sizeof(raft_node),
        .init = counter_raft_init,
        .start = raft_server_start,
        .on_message = raft_server_on_message,
        .on_timer = raft_server_on_timer,
        .on_request = raft_on_request,
        .inspect = raft_server_inspect,
        .inspect_entry = raft_server_inspect_entry,
        .destroy = raft_server_destroy,
    },
    {.name = NULL},
};

const fl_algorithm fl_counter_raft_algorithm = {
    .abi_version = FL_ABI_VERSION,
    .struct_size = sizeof(fl_algorithm),
    .name = "counter-raft",
    .description = "a linearizable counter: add and read as commands on "
                   "Raft's replicated log (params are Raft's)",
    .roles = counter_raft_roles,
    .validate = raft_validate,
    .describe = raft_describe,
};
