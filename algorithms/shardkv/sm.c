/* sm.c — shardkv's two Raft state machines (raft_sm_ops, raft/sm.h): the
 * replica group's shards with their data, sessions and hand-off states,
 * and the configuration service's number. Deterministic: every replica of
 * a group applying the same log reaches the same shards. */
#include "algorithms/shardkv/shardkv.h"

#include <stdlib.h>
#include <string.h>

raft_cmd skv_sys_cmd(uint64_t kind, uint32_t key, int64_t arg, int64_t arg2)
{
    raft_cmd c;
    memset(&c, 0, sizeof c);
    c.type = RAFT_CMD_OP;
    c.client = SKV_SYS;
    c.seq = kind;
    c.op.kind = FL_OP_WRITE;
    c.op.key = key;
    c.op.arg = arg;
    c.op.arg2 = arg2;
    return c;
}

/* ---- Replica group ---------------------------------------------------------- */

uint64_t skv_sm_mask(const skv_sm *s, skv_shard_state st)
{
    uint64_t m = 0;
    for (int i = 0; i < SKV_MAX_SHARDS; i++)
        if (s->shards[i].state == st)
            m |= 1ull << i;
    return m;
}

static bool skv_servable(const skv_sm *s, uint32_t shard)
{
    const skv_params *p = s->host->p;
    uint8_t st = s->shards[shard].state;
    if (st == SKV_SERVING)
        return true;
    if (st == SKV_WAITING && skv_bug(p, SKV_BUG(SERVE_DURING_HANDOFF)))
        return true;                /* BUG: before the install */
    return false;
}

uint64_t skv_sm_serving(const skv_sm *s)
{
    uint64_t m = 0;
    for (uint32_t i = 0; i < SKV_MAX_SHARDS; i++)
        if (skv_servable(s, i))
            m |= 1ull << i;
    return m;
}

bool skv_sm_settled(const skv_sm *s)
{
    return skv_sm_mask(s, SKV_WAITING) == 0 &&
           skv_sm_mask(s, SKV_HANDOFF) == 0;
}

static void *skv_group_create(const void *cfg)
{
    skv_sm *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->host = cfg;
    s->staging_shard = -1;
    fl_kvsm_init(&s->staging);
    for (int i = 0; i < SKV_MAX_SHARDS; i++)
        fl_kvsm_init(&s->shards[i].data);
    /* Configuration 1 is known to all: its shards start served, empty. */
    s->num = 1;
    if (skv_owners(s->host->p, skv_config_mask(s->host->p, 1), s->owner)) {
        free(s);
        return NULL;
    }
    memcpy(s->prev_owner, s->owner, sizeof s->owner);
    for (int i = 0; i < SKV_MAX_SHARDS; i++)
        if (s->owner[i] >= 0 && s->owner[i] == s->host->group)
            s->shards[i].state = SKV_SERVING;
    return s;
}

static void skv_group_destroy(void *sm)
{
    skv_sm *s = sm;
    if (!s)
        return;
    for (int i = 0; i < SKV_MAX_SHARDS; i++)
        fl_kvsm_free(&s->shards[i].data);
    fl_kvsm_free(&s->staging);
    free(s);
}

/* RECONF(num): moves to configuration num = ours + 1 once settled. */
static void skv_apply_reconf(skv_sm *s, int64_t num)
{
    const skv_params *p = s->host->p;
    int8_t next[SKV_MAX_SHARDS];
    if (num != s->num + 1 || !skv_sm_settled(s) ||
        skv_owners(p, skv_config_mask(p, num), next) != 0)
        return;
    int32_t me = s->host->group;
    for (int i = 0; i < SKV_MAX_SHARDS; i++) {
        skv_shard *sh = &s->shards[i];
        bool had = s->owner[i] == me, has = next[i] == me;
        if (had && !has && !skv_bug(p, SKV_BUG(KEEP_SERVING)))
            sh->state = SKV_HANDOFF;
        else if (!had && has)
            sh->state = s->owner[i] < 0 ? SKV_SERVING : SKV_WAITING;
    }
    memcpy(s->prev_owner, s->owner, sizeof s->owner);
    memcpy(s->owner, next, sizeof next);
    s->num = num;
}

static void skv_apply_install(skv_sm *s, const raft_cmd *c)
{
    const skv_params *p = s->host->p;
    uint32_t shard = c->op.key & 0xff;
    if (shard >= SKV_MAX_SHARDS)
        return;
    switch (c->seq) {
    case SKV_CMD_BEGIN:
        fl_kvsm_free(&s->staging);
        s->staging_shard = (int32_t)shard;
        s->staging_num = c->op.arg;
        return;
    case SKV_CMD_KV:
        if (s->staging_shard == (int32_t)shard)
            (void)fl_kvsm_put(&s->staging, (uint32_t)c->op.arg, c->op.arg2);
        return;
    case SKV_CMD_SESSION:
        if (s->staging_shard == (int32_t)shard &&
            !skv_bug(p, SKV_BUG(NO_SESSION_HANDOFF)))
            (void)fl_kvsm_set_session(&s->staging,
                                      (fl_node_id)(c->op.key >> 8),
                                      (uint64_t)c->op.arg, c->op.arg2,
                                      (fl_status)c->op.kind);
        return;
    default:
        break;
    }
    /* END: complete only if every entry arrived, for this configuration,
     * into a shard still waiting for it. */
    skv_shard *sh = &s->shards[shard];
    uint64_t want = (uint64_t)c->op.arg2;
    uint64_t sessions = skv_bug(p, SKV_BUG(NO_SESSION_HANDOFF))
                            ? (want & 0xffffffffu) : s->staging.nsessions;
    uint64_t have = ((uint64_t)s->staging.npairs << 32) | sessions;
    if (s->staging_shard == (int32_t)shard && s->staging_num == c->op.arg &&
        c->op.arg == s->num && sh->state == SKV_WAITING && have == want) {
        fl_kvsm_swap(&sh->data, &s->staging);
        sh->state = SKV_SERVING;
    }
    fl_kvsm_free(&s->staging);
    s->staging_shard = -1;
}

static fl_kvsm_outcome skv_group_apply(void *sm, const raft_cmd *cmd,
                                       int64_t *result, fl_status *status)
{
    skv_sm *s = sm;
    *result = 0;
    *status = FL_STATUS_OK;
    if (cmd->type != RAFT_CMD_OP)
        return FL_KVSM_DONE;
    if (cmd->client == SKV_SYS) {
        if (cmd->seq == SKV_CMD_RECONF)
            skv_apply_reconf(s, cmd->op.arg);
        else if (cmd->seq == SKV_CMD_GC) {
            skv_shard *sh = &s->shards[cmd->op.key % SKV_MAX_SHARDS];
            if (sh->state == SKV_HANDOFF && cmd->op.arg == s->num) {
                sh->state = SKV_ABSENT;
                fl_kvsm_free(&sh->data);
            }
        } else
            skv_apply_install(s, cmd);
        return FL_KVSM_DONE;
    }
    const skv_params *p = s->host->p;
    uint32_t route = skv_route_shard_of(p, cmd->op.key);
    if (!skv_servable(s, route)) {
        /* Not ours (any more, or yet): it did not run; no session. The
         * server's answer function drops this, so the client retries. */
        *status = FL_STATUS_REDIRECT;
        return FL_KVSM_DONE;
    }
    skv_shard *sh = &s->shards[skv_shard_of(p, cmd->op.key)];
    return fl_kvsm_apply(&sh->data, cmd->client, cmd->seq, &cmd->op, result,
                         status);
}

static int64_t skv_group_query(const void *sm, const fl_op *op)
{
    const skv_sm *s = sm;
    return fl_kvsm_get(&s->shards[skv_shard_of(s->host->p, op->key)].data,
                       op->key);
}

/* Sessions are per shard: Raft's early duplicate answer does not apply;
 * a retry is logged again and answered from the shard's session. */
static const fl_kvsm_session *skv_group_session(const void *sm,
                                                fl_node_id client)
{
    (void)sm;
    (void)client;
    return NULL;
}

/* Snapshot: i64 num, owners, prev owners, per shard u8 state and its
 * fl_kvsm bytes, then the install in progress (u32 shard + 1, i64 config,
 * fl_kvsm bytes): a snapshot taken between BEGIN and END must let a
 * replica restored from it complete END like the others. */
static int skv_group_encode(const void *sm, wire_buf *out)
{
    const skv_sm *s = sm;
    out->len = 0;
    out->oom = false;
    wire_put_i64(out, s->num);
    wire_put_bytes(out, s->owner, sizeof s->owner);
    wire_put_bytes(out, s->prev_owner, sizeof s->prev_owner);
    for (int i = 0; i < SKV_MAX_SHARDS; i++) {
        wire_put_u8(out, s->shards[i].state);
        if (fl_kvsm_encode(&s->shards[i].data, out) != 0)
            return -1;
    }
    wire_put_u32(out, (uint32_t)(s->staging_shard + 1));
    wire_put_i64(out, s->staging_num);
    if (fl_kvsm_encode(&s->staging, out) != 0)
        return -1;
    return out->oom ? -1 : 0;
}

static int skv_group_restore(void *sm, const uint8_t *p, size_t len)
{
    skv_sm *s = sm;
    wire_reader r;
    wire_reader_init(&r, p, len);
    int64_t num = wire_get_i64(&r);
    const uint8_t *own = wire_get_bytes(&r, SKV_MAX_SHARDS);
    const uint8_t *prev = wire_get_bytes(&r, SKV_MAX_SHARDS);
    skv_shard tmp[SKV_MAX_SHARDS];
    int i = 0;
    for (; i < SKV_MAX_SHARDS && !r.bad; i++) {
        tmp[i].state = wire_get_u8(&r);
        if (r.bad || tmp[i].state > SKV_HANDOFF ||
            fl_kvsm_read(&r, &tmp[i].data) != 0)
            break;
    }
    uint32_t st_shard = 0;
    int64_t st_num = 0;
    fl_kvsm staging;
    fl_kvsm_init(&staging);
    bool ok = i == SKV_MAX_SHARDS && !r.bad && own && prev;
    if (ok) {
        st_shard = wire_get_u32(&r);
        st_num = wire_get_i64(&r);
        ok = !r.bad && st_shard <= SKV_MAX_SHARDS &&
             fl_kvsm_read(&r, &staging) == 0 && wire_reader_left(&r) == 0;
    }
    if (!ok) {
        while (i-- > 0)
            fl_kvsm_free(&tmp[i].data);
        fl_kvsm_free(&staging);
        return -1;
    }
    s->num = num;
    memcpy(s->owner, own, SKV_MAX_SHARDS);
    memcpy(s->prev_owner, prev, SKV_MAX_SHARDS);
    for (i = 0; i < SKV_MAX_SHARDS; i++) {
        fl_kvsm_free(&s->shards[i].data);
        s->shards[i] = tmp[i];
    }
    fl_kvsm_free(&s->staging);
    s->staging = staging;
    s->staging_shard = (int32_t)st_shard - 1;
    s->staging_num = st_num;
    return 0;
}

static void skv_add_scalar(fl_view *v, const char *name, int64_t value)
{
    if (v->nscalars < FL_VIEW_MAX_SCALARS)
        v->scalars[v->nscalars++] = (fl_view_scalar){name, value};
}

static void skv_group_inspect(const void *sm, fl_view *v)
{
    const skv_sm *s = sm;
    uint64_t owned = 0;
    for (int i = 0; i < SKV_MAX_SHARDS; i++)
        if (s->owner[i] >= 0 && s->owner[i] == s->host->group)
            owned |= 1ull << i;
    skv_add_scalar(v, "group", s->host->group);
    skv_add_scalar(v, "config", s->num);
    skv_add_scalar(v, "serving", (int64_t)skv_sm_serving(s));
    skv_add_scalar(v, "owned", (int64_t)owned);
    skv_add_scalar(v, "waiting", (int64_t)skv_sm_mask(s, SKV_WAITING));
}

const raft_sm_ops skv_group_sm = {
    .name = "shardkv-group",
    .create = skv_group_create,
    .destroy = skv_group_destroy,
    .apply = skv_group_apply,
    .query = skv_group_query,
    .session = skv_group_session,
    .encode = skv_group_encode,
    .restore = skv_group_restore,
    .stamp = NULL,
    .inspect = skv_group_inspect,
};

/* ---- Configuration service ---------------------------------------------------- */

typedef struct skv_config {
    const skv_host *host;
    int64_t num;
} skv_config;

int64_t skv_config_num(const void *sm)
{
    return ((const skv_config *)sm)->num;
}

static void *skv_config_create(const void *cfg)
{
    skv_config *c = calloc(1, sizeof *c);
    if (c) {
        c->host = cfg;
        c->num = 1;
    }
    return c;
}

static void skv_config_destroy(void *sm)
{
    free(sm);
}

static fl_kvsm_outcome skv_config_apply(void *sm, const raft_cmd *cmd,
                                        int64_t *result, fl_status *status)
{
    skv_config *c = sm;
    *result = 0;
    *status = FL_STATUS_OK;
    if (cmd->type == RAFT_CMD_OP && cmd->client == SKV_SYS &&
        cmd->seq == SKV_CMD_RECONF && cmd->op.arg == c->num + 1 &&
        (size_t)c->num <= c->host->p->nschedule)
        c->num = cmd->op.arg;
    else if (cmd->type == RAFT_CMD_OP && cmd->client != SKV_SYS)
        *status = FL_STATUS_REDIRECT;   /* clients are routed to groups */
    return FL_KVSM_DONE;
}

static int64_t skv_config_query(const void *sm, const fl_op *op)
{
    (void)op;
    return skv_config_num(sm);
}

static const fl_kvsm_session *skv_config_session(const void *sm,
                                                 fl_node_id client)
{
    (void)sm;
    (void)client;
    return NULL;
}

static int skv_config_encode(const void *sm, wire_buf *out)
{
    out->len = 0;
    out->oom = false;
    wire_put_i64(out, skv_config_num(sm));
    return out->oom ? -1 : 0;
}

static int skv_config_restore(void *sm, const uint8_t *p, size_t len)
{
    if (len != 8)
        return -1;
    ((skv_config *)sm)->num = (int64_t)wire_le_get64(p);
    return 0;
}

/* The configuration and the ring's shape, for the visualizer's ring view
 * (viz_table.c): the joined groups now and in the previous configuration
 * (where a moving shard comes from), shards, points per group. No "group"
 * scalar: Raft's three and these fill the view, and a view without one is
 * the configuration service's (as -1 is for a plug-in). All but config
 * are functions of config, so they add no view changes to a trace. */
static void skv_config_inspect(const void *sm, fl_view *v)
{
    const skv_config *c = sm;
    const skv_params *p = c->host->p;
    skv_add_scalar(v, "config", c->num);
    skv_add_scalar(v, "members", (int64_t)skv_config_mask(p, c->num));
    skv_add_scalar(v, "prev_members",
                   (int64_t)skv_config_mask(p, c->num > 1 ? c->num - 1 : 1));
    skv_add_scalar(v, "shards", p->shards);
    skv_add_scalar(v, "vnodes", p->vnodes);
}

const raft_sm_ops skv_config_sm = {
    .name = "shardkv-config",
    .create = skv_config_create,
    .destroy = skv_config_destroy,
    .apply = skv_config_apply,
    .query = skv_config_query,
    .session = skv_config_session,
    .encode = skv_config_encode,
    .restore = skv_config_restore,
    .stamp = NULL,
    .inspect = skv_config_inspect,
};
