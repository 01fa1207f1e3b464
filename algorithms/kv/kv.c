/* kv.c — "kv-single": the smallest real algorithm. Server 0 holds a
 * key-value store; every write or CAS is appended to its disk and synced
 * before the reply, so a crash loses nothing acknowledged and a restart
 * replays the log. Other servers redirect clients to server 0. Retried
 * operations are answered from a per-client table (client, seq, result)
 * that is logged with the writes, so they take effect exactly once.
 * It exists to drive the engine end to end; it tolerates no failures of
 * server 0 (it is unavailable while that node is down). */
#include "algorithms/kv/kv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KV_LOG "kv.log"
#define KV_BUG_STALE_READS 1
#define KV_BUG_ACK_BEFORE_SYNC 2

typedef struct kv_pair {
    uint32_t key;
    int64_t  value;
} kv_pair;

typedef struct kv_session {
    fl_node_id client;
    uint64_t   seq;
    int64_t    result;
} kv_session;

typedef struct kv_state {
    fl_node_id  primary;
    bool        is_primary;
    int         bugs;           /* KV_BUG_* bits */
    kv_pair    *pairs;
    size_t      npairs, pairs_cap;
    kv_session *sessions;
    size_t      nsessions, sessions_cap;
    uint64_t    log_bytes;
    int64_t     records;
} kv_state;

/* One log record, encoded little-endian: op kind, key, client, seq, arg, arg2. */
#define KV_RECORD_SIZE (1 + 4 + 4 + 8 + 8 + 8)

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_u64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_u32(const uint8_t *p)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)p[i] << (8 * i);
    return v;
}

/* ---- The state machine --------------------------------------------------- */

static kv_pair *find_pair(kv_state *s, uint32_t key, bool create)
{
    for (size_t i = 0; i < s->npairs; i++)
        if (s->pairs[i].key == key)
            return &s->pairs[i];
    if (!create)
        return NULL;
    if (s->npairs == s->pairs_cap) {
        size_t cap = s->pairs_cap ? s->pairs_cap * 2 : 16;
        kv_pair *p = realloc(s->pairs, cap * sizeof *p);
        if (!p)
            return NULL;
        s->pairs = p;
        s->pairs_cap = cap;
    }
    s->pairs[s->npairs] = (kv_pair){ key, FL_NIL };
    return &s->pairs[s->npairs++];
}

static kv_session *find_session(kv_state *s, fl_node_id client, bool create)
{
    for (size_t i = 0; i < s->nsessions; i++)
        if (s->sessions[i].client == client)
            return &s->sessions[i];
    if (!create)
        return NULL;
    if (s->nsessions == s->sessions_cap) {
        size_t cap = s->sessions_cap ? s->sessions_cap * 2 : 8;
        kv_session *p = realloc(s->sessions, cap * sizeof *p);
        if (!p)
            return NULL;
        s->sessions = p;
        s->sessions_cap = cap;
    }
    s->sessions[s->nsessions] = (kv_session){ client, 0, FL_NIL };
    return &s->sessions[s->nsessions++];
}

static int64_t kv_read(kv_state *s, uint32_t key)
{
    kv_pair *p = find_pair(s, key, false);
    return p ? p->value : FL_NIL;
}

/* Applies a write or CAS and remembers its result for the client. */
static int64_t kv_apply(kv_state *s, fl_node_id client, uint64_t seq,
                        const fl_op *op)
{
    int64_t result = 0;
    kv_pair *p = find_pair(s, op->key, true);
    if (!p)
        return FL_NIL;
    if (op->kind == FL_OP_WRITE) {
        p->value = op->arg;
    } else if (op->kind == FL_OP_CAS) {
        result = p->value == op->arg;
        if (result)
            p->value = op->arg2;
    }
    kv_session *sess = find_session(s, client, true);
    if (sess) {
        sess->seq = seq;
        sess->result = result;
    }
    s->records++;
    return result;
}

/* ---- Disk ------------------------------------------------------------------ */

static void encode_record(uint8_t *b, fl_node_id client, uint64_t seq,
                          const fl_op *op)
{
    b[0] = (uint8_t)op->kind;
    put_u32(b + 1, op->key);
    put_u32(b + 5, (uint32_t)client);
    put_u64(b + 9, seq);
    put_u64(b + 17, (uint64_t)op->arg);
    put_u64(b + 25, (uint64_t)op->arg2);
}

static void replay(fl_ctx *ctx, kv_state *s)
{
    uint8_t b[KV_RECORD_SIZE];
    uint64_t off = 0;
    for (;;) {
        int64_t n = fl_disk_read(ctx, KV_LOG, off, b, sizeof b);
        if (n < (int64_t)sizeof b)
            break;                       /* end of log, or a torn last record */
        fl_op op = { .kind = (fl_op_kind)b[0], .key = get_u32(b + 1),
                     .arg = (int64_t)get_u64(b + 17),
                     .arg2 = (int64_t)get_u64(b + 25) };
        if (op.kind != FL_OP_WRITE && op.kind != FL_OP_CAS)
            break;
        kv_apply(s, (fl_node_id)get_u32(b + 5), get_u64(b + 9), &op);
        off += sizeof b;
    }
    s->log_bytes = off;
    /* cut a torn tail so later appends line up */
    if ((int64_t)off != fl_disk_size(ctx, KV_LOG) && fl_disk_size(ctx, KV_LOG) >= 0)
        fl_disk_truncate(ctx, KV_LOG, off);
}

/* ---- Roles ------------------------------------------------------------------- */

/* Bug switches, for tests that the checks catch what they should. */
static const char *const kv_bug_names[] = { "stale-reads", "ack-before-sync" };

static int bug_bit(const char *name)
{
    for (size_t i = 0; i < sizeof kv_bug_names / sizeof kv_bug_names[0]; i++)
        if (strcmp(kv_bug_names[i], name) == 0)
            return 1 << i;
    return 0;
}

static int kv_init(fl_ctx *ctx, void *state, const cJSON *params)
{
    kv_state *s = state;
    const cJSON *b;
    cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(params, "bugs"))
        if (cJSON_IsString(b))
            s->bugs |= bug_bit(b->valuestring);
    const fl_node_id *ids;
    s->primary = fl_nodes(ctx, NULL, &ids) > 0 ? ids[0] : FL_NO_NODE;
    s->is_primary = fl_self(ctx) == s->primary;
    return 0;
}

static void kv_start(fl_ctx *ctx, void *state, bool recovering)
{
    kv_state *s = state;
    (void)recovering;
    if (fl_self(ctx) == s->primary)
        replay(ctx, s);
}

static void kv_request(fl_ctx *ctx, void *state, const fl_request *req)
{
    kv_state *s = state;
    const fl_op *op = &req->op;
    if (fl_self(ctx) != s->primary) {
        if ((s->bugs & KV_BUG_STALE_READS) && op->kind == FL_OP_READ)
            fl_reply(ctx, req, FL_STATUS_OK, kv_read(s, op->key)); /* never written here */
        else
            fl_redirect(ctx, req, s->primary);
        return;
    }
    if (op->kind == FL_OP_READ) {
        fl_reply(ctx, req, FL_STATUS_OK, kv_read(s, op->key));
        return;
    }
    if (op->kind != FL_OP_WRITE && op->kind != FL_OP_CAS) {
        fl_reply(ctx, req, FL_STATUS_FAIL, FL_NIL);
        return;
    }
    kv_session *sess = find_session(s, req->client, false);
    if (sess && sess->seq == req->seq) {         /* a retry: answer again */
        fl_reply(ctx, req, FL_STATUS_OK, sess->result);
        return;
    }
    uint8_t b[KV_RECORD_SIZE];
    encode_record(b, req->client, req->seq, op);
    if (fl_disk_write(ctx, KV_LOG, s->log_bytes, b, sizeof b) != 0) {
        fl_reply(ctx, req, FL_STATUS_FAIL, FL_NIL);
        return;
    }
    s->log_bytes += sizeof b;
    int64_t result = kv_apply(s, req->client, req->seq, op);
    if (s->bugs & KV_BUG_ACK_BEFORE_SYNC)
        fl_reply(ctx, req, FL_STATUS_OK, result);   /* a crash can lose it */
    fl_disk_sync(ctx);                 /* the reply leaves after the sync */
    if (!(s->bugs & KV_BUG_ACK_BEFORE_SYNC))
        fl_reply(ctx, req, FL_STATUS_OK, result);
}

static void kv_inspect(const void *state, fl_view *view)
{
    const kv_state *s = state;
    view->kind = s->is_primary ? FL_VIEW_LEADER : FL_VIEW_FOLLOWER;
    view->term = 1;
    view->leader = s->primary;
    view->log_first = s->records ? 1 : -1;
    view->log_last = s->records ? s->records : -1;
    view->commit = view->applied = view->log_last;
    view->nscalars = 1;
    view->scalars[0] = (fl_view_scalar){ "keys", (int64_t)s->npairs };
}

static void kv_destroy(void *state)
{
    kv_state *s = state;
    free(s->pairs);
    free(s->sessions);
}

static int kv_validate(const cJSON *params, char *err, size_t errlen)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, params) {
        if (!item->string || strcmp(item->string, "bugs") != 0) {
            snprintf(err, errlen, "%s: unknown parameter (kv-single takes only \"bugs\")",
                     item->string ? item->string : "?");
            return -1;
        }
        if (!cJSON_IsArray(item)) {
            snprintf(err, errlen, "bugs: must be an array of names");
            return -1;
        }
        const cJSON *b;
        int i = 0;
        cJSON_ArrayForEach(b, item) {
            if (!cJSON_IsString(b) || !bug_bit(b->valuestring)) {
                snprintf(err, errlen, "bugs[%d]: must be \"stale-reads\" or \"ack-before-sync\"", i);
                return -1;
            }
            i++;
        }
    }
    return 0;
}

static const fl_role kv_roles[] = {
    { .name = "server", .state_size = sizeof(kv_state), .init = kv_init,
      .start = kv_start, .on_request = kv_request,
      .inspect = kv_inspect, .destroy = kv_destroy },
    { .name = NULL },
};

const fl_algorithm fl_kv_algorithm = {
    .abi_version = FL_ABI_VERSION,
    .struct_size = sizeof(fl_algorithm),
    .name = "kv-single",
    .description = "a single durable key-value server; the others redirect to it",
    .roles = kv_roles,
    .validate = kv_validate,
};
