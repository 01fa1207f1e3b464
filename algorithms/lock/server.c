/* server.c — the lock service's parameters, its server role (Raft's
 * server with the lock state machine, reached by lock clients over the
 * service's own messages) and the "lock" algorithm table. */
#include "algorithms/lock/lock.h"
#include "algorithms/params/params.h"

#include <stdio.h>
#include <string.h>

#include "algorithms/raft/raft_table.h"

/* ---- Parameters -------------------------------------------------------------- */

static int lock_parse_bugs(const cJSON *v, lock_params *p, char *err,
                           size_t len)
{
    if (!cJSON_IsArray(v))
        return fl_param_err(err, len, "bugs", "must be an array of names");
    const cJSON *b;
    cJSON_ArrayForEach(b, v) {
        if (cJSON_IsString(b) && !strcmp(b->valuestring, "renew-expired"))
            p->bugs |= LOCK_BUG_RENEW_EXPIRED;
        else if (cJSON_IsString(b) && !strcmp(b->valuestring, "no-fencing"))
            p->bugs |= LOCK_BUG_NO_FENCING;
        else if (cJSON_IsString(b) && !strcmp(b->valuestring, "same-token"))
            p->bugs |= LOCK_BUG_SAME_TOKEN;
        else if (cJSON_IsString(b) &&
                 !strcmp(b->valuestring, "storage-forget-max"))
            p->bugs |= LOCK_BUG_STORAGE_FORGET;
        else if (cJSON_IsString(b) &&
                 !strcmp(b->valuestring, "lease-from-reply"))
            p->bugs |= LOCK_BUG_LEASE_FROM_REPLY;
        else
            return fl_param_err(err, len, "bugs",
                            "unknown bug (known: renew-expired, no-fencing, "
                            "same-token, storage-forget-max, "
                            "lease-from-reply)");
    }
    return 0;
}

static int lock_parse_think(const cJSON *v, lock_params *p, char *err,
                            size_t len)
{
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2 ||
        !fl_param_is_int(cJSON_GetArrayItem(v, 0), 0, 3600000, &p->think_lo_ms) ||
        !fl_param_is_int(cJSON_GetArrayItem(v, 1), 0, 3600000, &p->think_hi_ms) ||
        p->think_lo_ms > p->think_hi_ms)
        return fl_param_err(err, len, "think_ms",
                        "must be [lo, hi], integers in [0, 3600000], lo <= hi");
    return 0;
}

typedef struct lock_int_key {
    const char *name;
    size_t      offset;
    int64_t     lo;
} lock_int_key;

static const lock_int_key lock_int_keys[] = {
    {"lease_ms", offsetof(lock_params, lease_ms), 1},
    {"renew_ms", offsetof(lock_params, renew_ms), 1},
    {"work_ms", offsetof(lock_params, work_ms), 1},
    {"compute_ms", offsetof(lock_params, compute_ms), 0},
    {"writes", offsetof(lock_params, writes), 1},
    {"retry_ms", offsetof(lock_params, retry_ms), 1},
    {NULL, 0, 0},
};

static int lock_parse_key(const cJSON *v, lock_params *p, char *err,
                          size_t len)
{
    const char *k = v->string;
    for (const lock_int_key *ik = lock_int_keys; ik->name; ik++) {
        if (strcmp(k, ik->name) != 0)
            continue;
        int64_t *slot = (int64_t *)(void *)((char *)p + ik->offset);
        if (!fl_param_is_int(v, ik->lo, 3600000, slot)) {
            char what[64];
            snprintf(what, sizeof what, "must be an integer in [%lld, 3600000]",
                     (long long)ik->lo);
            return fl_param_err(err, len, k, what);
        }
        return 0;
    }
    if (!strcmp(k, "think_ms"))
        return lock_parse_think(v, p, err, len);
    if (!strcmp(k, "fencing")) {
        if (!cJSON_IsBool(v))
            return fl_param_err(err, len, k, "must be true or false");
        p->fencing = cJSON_IsTrue(v);
        return 0;
    }
    if (!strcmp(k, "bugs"))
        return lock_parse_bugs(v, p, err, len);
    if (!strcmp(k, "raft")) {
        raft_params rp;
        char sub[200];
        if (!cJSON_IsObject(v))
            return fl_param_err(err, len, k, "must be an object of Raft params");
        if (raft_params_parse(v, &rp, sub, sizeof sub) != 0)
            return fl_param_err(err, len, k, sub);
        p->raft = v;
        return 0;
    }
    return fl_param_err(err, len, k, "unknown key (known: raft, lease_ms, "
                    "renew_ms, work_ms, compute_ms, writes, think_ms, "
                    "retry_ms, fencing, bugs)");
}

int lock_params_parse(const cJSON *params, lock_params *p, char *err,
                      size_t errlen)
{
    memset(p, 0, sizeof *p);
    p->lease_ms = 1000;
    p->renew_ms = 300;
    p->work_ms = 100;
    p->compute_ms = 50;
    p->writes = 3;
    p->think_lo_ms = 100;
    p->think_hi_ms = 300;
    p->retry_ms = 200;
    p->fencing = true;
    const cJSON *v;
    cJSON_ArrayForEach(v, params)
        if (lock_parse_key(v, p, err, errlen) != 0)
            return -1;
    if (p->bugs & LOCK_BUG_NO_FENCING)
        p->fencing = false;
    return 0;
}

static int lock_validate(const cJSON *params, char *err, size_t errlen)
{
    lock_params p;
    return lock_params_parse(params, &p, err, errlen);
}

/* ---- The server role ------------------------------------------------------------ */

typedef struct lock_server {
    raft_node   raft;         /* first: Raft's handlers take this state */
    lock_sm_cfg cfg;
} lock_server;

/* Raft's answers to lock clients travel as LOCK_MSG_REP. */
static void lock_answer(fl_ctx *ctx, void *state, const fl_request *req,
                        fl_status status, int64_t value, fl_node_id hint)
{
    (void)state;
    lock_msg m = {.type = LOCK_MSG_REP, .seq = req->seq,
                  .status = (uint8_t)status, .value = value, .hint = hint};
    uint8_t buf[LOCK_MSG_MAX];
    size_t n = lock_msg_encode(&m, buf);
    fl_send(ctx, req->client, buf, n);
}

static int lock_server_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    lock_server *s = state;
    lock_params p;
    char err[256];
    if (lock_params_parse(params, &p, err, sizeof err) != 0) {
        fl_log(ctx, "lock: bad params: %s", err);
        return -1;
    }
    s->cfg.lease_ns = FL_MS(p.lease_ms);
    s->cfg.bugs = p.bugs;
    return raft_server_init(ctx, state, p.raft, &lock_sm_ops, &s->cfg,
                            lock_answer);
}

static void lock_server_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                                   const void *msg, size_t len)
{
    lock_server *s = state;
    if (raft_peer_of(&s->raft, from)) {
        raft_server_on_message(ctx, state, from, msg, len);
        return;
    }
    lock_msg m;
    if (lock_msg_decode(msg, len, &m) != 0 || m.type != LOCK_MSG_REQ)
        return;
    fl_request req;
    memset(&req, 0, sizeof req);
    req.client = from;
    req.seq = m.seq;
    req.op = m.op;
    req.op.arg2 = 0;              /* only the leader's stamp sets it */
    raft_on_request(ctx, state, &req);
}

static void lock_describe(const void *msg, size_t len, fl_msg_info *info)
{
    static const char *const names[] = {"LockRequest", "LockReply",
                                        "StorageWrite", "StorageReply"};
    lock_msg m;
    if (lock_msg_decode(msg, len, &m) != 0) {
        raft_describe(msg, len, info);
        return;
    }
    info->kind = names[m.type - LOCK_MSG_REQ];
    info->is_reply = m.type == LOCK_MSG_REP || m.type == LOCK_MSG_WRITE_REP;
    info->ok = m.type == LOCK_MSG_WRITE_REP ? (m.ok ? 1 : 0)
             : m.type == LOCK_MSG_REP ? (m.status == FL_STATUS_OK && m.value > 0)
             : -1;
    info->term = -1;
}

static const fl_role lock_roles[] = {
    {
        .name = FL_LOCK_ROLE_SERVER,
        .state_size = sizeof(lock_server),
        .init = lock_server_init,
        .start = raft_server_start,
        .on_message = lock_server_on_message,
        .on_timer = raft_server_on_timer,
        .on_request = NULL,
        .inspect = raft_server_inspect,
        .inspect_entry = raft_server_inspect_entry,
        .destroy = raft_server_destroy,
    },
    {
        .name = FL_LOCK_ROLE_CLIENT,
        .state_size = sizeof(lock_client),
        .init = lock_client_init,
        .start = lock_client_start,
        .on_message = lock_client_on_message,
        .on_timer = lock_client_on_timer,
        .inspect = lock_client_inspect,
    },
    {
        .name = FL_LOCK_ROLE_STORAGE,
        .state_size = sizeof(lock_storage),
        .init = lock_storage_init,
        .start = lock_storage_start,
        .on_message = lock_storage_on_message,
        .inspect = lock_storage_inspect,
    },
    {.name = NULL},
};

const fl_algorithm fl_lock_algorithm = {
    .abi_version = FL_ABI_VERSION,
    .struct_size = sizeof(fl_algorithm),
    .name = "lock",
    .description = "a lock service with leases and fencing tokens on "
                   "Raft's log, lock clients and a protected storage server",
    .roles = lock_roles,
    .validate = lock_validate,
    .describe = lock_describe,
};
