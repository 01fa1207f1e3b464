/* server.c — shardkv's server role: which Raft group a server belongs to,
 * routing client requests by the ring, the leaders' periodic work (poll
 * the configuration service, move to the next configuration, push
 * handed-off shards, collect acknowledged ones), and the algorithm table.
 * See shardkv.h for the protocol. */
#include "algorithms/shardkv/shardkv.h"

#include <stdio.h>
#include <string.h>

#include "algorithms/params/params.h"
#include "algorithms/raft/raft_table.h"

#define SKV_TICK_COOKIE 0x534b5654ull   /* "SKVT" (Raft's own OTHER
                                           timer has cookie 0) */

static skv_sm *skv_group(skv_node *n)
{
    return n->host.group >= 0 ? n->raft.sm : NULL;
}

static bool skv_leader(const skv_node *n)
{
    return n->raft.role == RAFT_LEADER;
}

/* Server index of member `i` of group g (g = -1: the config service). */
static fl_node_id skv_member(fl_ctx *ctx, const skv_params *p, int32_t g,
                             int64_t i)
{
    const fl_node_id *ids;
    size_t n = fl_nodes(ctx, "server", &ids);
    int64_t at = g < 0 ? i % p->config_replicas
                       : p->config_replicas + g * p->replicas +
                             i % p->replicas;
    return (size_t)at < n ? ids[at] : FL_NO_NODE;
}

/* Appends a system command to our log (leader only). */
static void skv_append(fl_ctx *ctx, skv_node *n, raft_cmd cmd)
{
    raft_node *r = &n->raft;
    if (raft_append_local(ctx, r, r->term, &cmd) != 0)
        fl_log(ctx, "shardkv: out of memory proposing");
}

/* Replicates what was appended, as Raft does for a client's command (a
 * group of one commits at once). */
static void skv_replicate(fl_ctx *ctx, skv_node *n)
{
    raft_broadcast_append(ctx, &n->raft);
    raft_advance_commit(ctx, &n->raft);
}

static void skv_propose(fl_ctx *ctx, skv_node *n, raft_cmd cmd)
{
    skv_append(ctx, n, cmd);
    skv_replicate(ctx, n);
}

/* ---- Messages ------------------------------------------------------------ */

static void skv_send_ack(fl_ctx *ctx, skv_node *n, fl_node_id to,
                         uint32_t shard, int64_t num)
{
    wire_buf *b = &n->out;
    b->len = 0;
    b->oom = false;
    wire_put_u8(b, SKV_MSG_PUSH_ACK);
    wire_put_u32(b, shard);
    wire_put_u64(b, (uint64_t)num);
    if (!b->oom)
        fl_send(ctx, to, b->data, b->len);
}

/* Logs a received checkpoint: BEGIN, one KV per pair, one SESSION per
 * client, END with the counts (Raft commands are small and fixed). */
static void skv_install(fl_ctx *ctx, skv_node *n, uint32_t shard,
                        int64_t num, const fl_kvsm *kv)
{
    skv_append(ctx, n, skv_sys_cmd(SKV_CMD_BEGIN, shard, num, 0));
    for (size_t i = 0; i < kv->npairs; i++)
        skv_append(ctx, n, skv_sys_cmd(SKV_CMD_KV, shard,
                                        kv->pairs[i].key,
                                        kv->pairs[i].value));
    for (size_t i = 0; i < kv->nsessions; i++) {
        const fl_kvsm_session *s = &kv->sessions[i];
        raft_cmd c = skv_sys_cmd(SKV_CMD_SESSION,
                                 shard | ((uint32_t)s->client << 8),
                                 (int64_t)s->seq, s->result);
        c.op.kind = (fl_op_kind)s->status;
        skv_append(ctx, n, c);
    }
    int64_t counts = (int64_t)(((uint64_t)kv->npairs << 32) |
                               (uint64_t)kv->nsessions);
    skv_append(ctx, n, skv_sys_cmd(SKV_CMD_END, shard, num, counts));
    skv_replicate(ctx, n);
    n->install_term[shard] = n->raft.term;
    n->install_index[shard] = raft_log_last(&n->raft.log);
}

static void skv_on_push(fl_ctx *ctx, skv_node *n, fl_node_id from,
                        wire_reader *rd)
{
    skv_sm *s = skv_group(n);
    uint32_t shard = wire_get_u32(rd);
    int64_t num = (int64_t)wire_get_u64(rd);
    if (!s || rd->bad || shard >= SKV_MAX_SHARDS)
        return;
    uint8_t st = s->shards[shard].state;
    /* Installed (committed state, so any replica may say so). */
    if (s->num > num || (s->num == num && st != SKV_WAITING)) {
        skv_send_ack(ctx, n, from, shard, num);
        return;
    }
    if (!skv_leader(n) || s->num != num)
        return;                     /* not yet there: the sender retries */
    bool pending = n->install_term[shard] == n->raft.term &&
                   n->raft.applied < n->install_index[shard];
    if (pending)
        return;
    fl_kvsm kv;
    if (fl_kvsm_read(rd, &kv) != 0)
        return;
    skv_install(ctx, n, shard, num, &kv);
    fl_kvsm_free(&kv);
}

static void skv_on_message(fl_ctx *ctx, skv_node *n, fl_node_id from,
                           const uint8_t *m, size_t len)
{
    wire_reader rd;
    wire_reader_init(&rd, m + 1, len - 1);
    skv_sm *s = skv_group(n);
    switch (m[0]) {
    case SKV_MSG_CFG_QUERY:
        if (n->host.group < 0) {
            wire_buf *b = &n->out;
            b->len = 0;
            b->oom = false;
            wire_put_u8(b, SKV_MSG_CFG_REPLY);
            wire_put_u64(b, (uint64_t)skv_config_num(n->raft.sm));
            if (!b->oom)
                fl_send(ctx, from, b->data, b->len);
        }
        break;
    case SKV_MSG_CFG_REPLY: {
        int64_t num = (int64_t)wire_get_u64(&rd);
        if (!rd.bad && num > n->latest)
            n->latest = num;
        break;
    }
    case SKV_MSG_PUSH:
        skv_on_push(ctx, n, from, &rd);
        break;
    case SKV_MSG_PUSH_ACK: {
        uint32_t shard = wire_get_u32(&rd);
        int64_t num = (int64_t)wire_get_u64(&rd);
        if (s && !rd.bad && shard < SKV_MAX_SHARDS && skv_leader(n) &&
            s->num == num && s->shards[shard].state == SKV_HANDOFF)
            skv_propose(ctx, n, skv_sys_cmd(SKV_CMD_GC, shard, num, 0));
        break;
    }
    default:
        break;
    }
}

/* ---- The leaders' periodic work ------------------------------------------ */

static void skv_push(fl_ctx *ctx, skv_node *n, skv_sm *s, uint32_t shard)
{
    wire_buf *b = &n->out;
    b->len = 0;
    b->oom = false;
    wire_put_u8(b, SKV_MSG_PUSH);
    wire_put_u32(b, shard);
    wire_put_u64(b, (uint64_t)s->num);
    if (fl_kvsm_encode(&s->shards[shard].data, b) != 0)
        return;
    int32_t to = s->owner[shard];
    for (int64_t i = 0; to >= 0 && i < n->p.replicas; i++) {
        fl_node_id id = skv_member(ctx, &n->p, to, i);
        if (id != FL_NO_NODE)
            fl_send(ctx, id, b->data, b->len);
    }
}

static void skv_group_tick(fl_ctx *ctx, skv_node *n)
{
    skv_sm *s = skv_group(n);
    if (skv_sm_settled(s)) {
        fl_node_id c = skv_member(ctx, &n->p, -1, n->cfg_target++);
        uint8_t q = SKV_MSG_CFG_QUERY;
        if (c != FL_NO_NODE)
            fl_send(ctx, c, &q, 1);
        if (n->latest > s->num)
            skv_propose(ctx, n, skv_sys_cmd(SKV_CMD_RECONF, 0, s->num + 1,
                                            0));
        return;
    }
    for (uint32_t i = 0; i < SKV_MAX_SHARDS; i++)
        if (s->shards[i].state == SKV_HANDOFF)
            skv_push(ctx, n, s, i);
}

static void skv_config_tick(fl_ctx *ctx, skv_node *n)
{
    int64_t due = 1;
    fl_time now = fl_now(ctx);
    for (size_t i = 0; i < n->p.nschedule; i++)
        if (now >= FL_MS(n->p.schedule[i].at_ms))
            due = (int64_t)i + 2;
    int64_t num = skv_config_num(n->raft.sm);
    if (num < due)
        skv_propose(ctx, n, skv_sys_cmd(SKV_CMD_RECONF, 0, num + 1, 0));
}

static void skv_tick(fl_ctx *ctx, skv_node *n)
{
    n->tick = fl_set_timer(ctx, FL_MS(n->p.tick_ms), FL_TIMER_OTHER,
                           SKV_TICK_COOKIE);
    if (!skv_leader(n))
        return;
    if (n->host.group < 0)
        skv_config_tick(ctx, n);
    else
        skv_group_tick(ctx, n);
}

/* ---- Role handlers --------------------------------------------------------- */

/* Raft's answers: a "not here" without a hint (an op that reached the
 * log of a group that no longer serves its shard) gets no reply, so the
 * client retries and is routed again. */
static void skv_answer(fl_ctx *ctx, void *state, const fl_request *req,
                       fl_status status, int64_t value, fl_node_id hint)
{
    (void)state;
    if (status != FL_STATUS_REDIRECT)
        fl_reply(ctx, req, status, value);
    else if (hint != FL_NO_NODE)
        fl_redirect(ctx, req, hint);
}

static int skv_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    skv_node *n = state;
    char err[256];
    if (skv_params_parse(params, &n->p, err, sizeof err) != 0) {
        fl_log(ctx, "shardkv: bad params: %s", err);
        return -1;
    }
    const fl_node_id *ids;
    size_t count = fl_nodes(ctx, NULL, &ids), at = 0;
    if ((int64_t)count != n->p.config_replicas +
                              n->p.max_groups * n->p.replicas) {
        fl_log(ctx, "shardkv: %zu servers, but config_replicas + "
               "max_groups * replicas = %lld", count,
               (long long)(n->p.config_replicas +
                           n->p.max_groups * n->p.replicas));
        return -1;
    }
    while (at < count && ids[at] != fl_self(ctx))
        at++;
    int64_t g = (int64_t)at < n->p.config_replicas
                    ? -1 : ((int64_t)at - n->p.config_replicas) / n->p.replicas;
    n->host.p = &n->p;
    n->host.group = (int32_t)g;
    int64_t size = g < 0 ? n->p.config_replicas : n->p.replicas;
    n->nmembers = 0;
    for (int64_t i = 0; i < size; i++)
        n->members[n->nmembers++] = skv_member(ctx, &n->p, (int32_t)g, i);
    wire_buf_init(&n->out);
    return raft_server_init_peers(ctx, &n->raft, n->p.raft,
                                  g < 0 ? &skv_config_sm : &skv_group_sm,
                                  &n->host, skv_answer, n->members,
                                  n->nmembers);
}

static void skv_start(fl_ctx *ctx, void *state, bool recovering)
{
    skv_node *n = state;
    raft_server_start(ctx, &n->raft, recovering);
    n->tick = fl_set_timer(ctx, FL_MS(n->p.tick_ms), FL_TIMER_OTHER,
                           SKV_TICK_COOKIE);
}

static void skv_on_msg(fl_ctx *ctx, void *state, fl_node_id from,
                       const void *msg, size_t len)
{
    const uint8_t *m = msg;
    if (len >= 1 && m[0] >= SKV_MSG_CFG_QUERY)
        skv_on_message(ctx, state, from, m, len);
    else
        raft_server_on_message(ctx, state, from, msg, len);
}

static void skv_on_timer(fl_ctx *ctx, void *state, fl_timer_kind kind,
                         uint64_t cookie)
{
    if (kind == FL_TIMER_OTHER && cookie == SKV_TICK_COOKIE)
        skv_tick(ctx, state);
    else
        raft_server_on_timer(ctx, state, kind, cookie);
}

/* Routing by the ring (the client library's job, at the first server a
 * request reaches): another group's key goes to a member of that group. */
static void skv_on_request(fl_ctx *ctx, void *state, const fl_request *req)
{
    skv_node *n = state;
    uint32_t shard = skv_route_shard_of(&n->p, req->op.key);
    int8_t owner[SKV_MAX_SHARDS];
    skv_sm *s = skv_group(n);
    if (s)
        memcpy(owner, s->owner, sizeof owner);
    else if (skv_owners(&n->p, skv_config_mask(&n->p,
                                               skv_config_num(n->raft.sm)),
                        owner) != 0)
        return;
    if (!s || owner[shard] != n->host.group) {
        if (owner[shard] >= 0)
            fl_redirect(ctx, req, skv_member(ctx, &n->p, owner[shard],
                                             (int64_t)(req->seq +
                                                       req->attempt)));
        return;
    }
    uint8_t st = s->shards[shard].state;
    if (st != SKV_SERVING &&
        !(st == SKV_WAITING && skv_bug(&n->p, SKV_BUG(SERVE_DURING_HANDOFF))))
        return;                     /* moving: the client retries */
    raft_on_request(ctx, &n->raft, req);
}

static void skv_destroy(void *state)
{
    skv_node *n = state;
    raft_server_destroy(&n->raft);
    wire_buf_free(&n->out);
}

static int skv_validate(const cJSON *params, char *err, size_t errlen)
{
    skv_params p;
    if (skv_params_parse(params, &p, err, errlen) != 0)
        return -1;
    raft_params rp;
    char sub[200];
    if (raft_params_parse(p.raft, &rp, sub, sizeof sub) != 0) {
        char what[240];
        snprintf(what, sizeof what, "raft.%s", sub);
        return fl_param_err(err, errlen, "raft", what);
    }
    if (rp.read_mode != RAFT_READ_LOG)
        return fl_param_err(err, errlen, "raft",
                            "read must be \"log\" (a ReadIndex read would "
                            "skip the shard ownership check)");
    return 0;
}

static void skv_describe(const void *msg, size_t len, fl_msg_info *info)
{
    const uint8_t *m = msg;
    static const char *const names[] = {"ConfigQuery", "ConfigReply",
                                        "PushShard", "PushAck"};
    if (len >= 1 && m[0] >= SKV_MSG_CFG_QUERY) {
        unsigned k = (unsigned)(m[0] - SKV_MSG_CFG_QUERY);
        info->kind = k < 4 ? names[k] : "garbage";
        info->is_reply = k == 1 || k == 3;
        info->ok = -1;
        info->term = -1;
        return;
    }
    raft_describe(msg, len, info);
}

static const fl_role skv_roles[] = {
    {
        .name = "server",
        .state_size = sizeof(skv_node),
        .init = skv_init,
        .start = skv_start,
        .on_message = skv_on_msg,
        .on_timer = skv_on_timer,
        .on_request = skv_on_request,
        .inspect = raft_server_inspect,
        .inspect_entry = raft_server_inspect_entry,
        .destroy = skv_destroy,
    },
    {.name = NULL},
};

const fl_algorithm fl_shardkv_algorithm = {
    .abi_version = FL_ABI_VERSION,
    .struct_size = sizeof(fl_algorithm),
    .name = "shardkv",
    .description = "a sharded key-value store: replica groups on Raft own "
                   "shards by consistent hashing; a configuration service "
                   "(Raft) moves shards with their sessions on join/leave",
    .roles = skv_roles,
    .validate = skv_validate,
    .describe = skv_describe,
};
