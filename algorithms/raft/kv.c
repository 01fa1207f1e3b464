/* kv.c — the key-value state machine with client sessions (see kv.h). */
#include "algorithms/raft/kv.h"

#include <stdlib.h>
#include <string.h>

void raft_kv_init(raft_kv *kv)
{
    memset(kv, 0, sizeof *kv);
}

void raft_kv_free(raft_kv *kv)
{
    free(kv->pairs);
    free(kv->sessions);
    raft_kv_init(kv);
}

void raft_kv_swap(raft_kv *a, raft_kv *b)
{
    raft_kv t = *a;
    *a = *b;
    *b = t;
}

/* ---- Sorted-array lookups ----------------------------------------------- */

/* Index of the first pair with key >= `key`. */
static size_t raft_kv_lower(const raft_kv *kv, uint32_t key)
{
    size_t lo = 0, hi = kv->npairs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (kv->pairs[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t raft_session_lower(const raft_kv *kv, fl_node_id client)
{
    size_t lo = 0, hi = kv->nsessions;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (kv->sessions[mid].client < client)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int64_t raft_kv_get(const raft_kv *kv, uint32_t key)
{
    size_t i = raft_kv_lower(kv, key);
    return (i < kv->npairs && kv->pairs[i].key == key) ? kv->pairs[i].value
                                                       : FL_NIL;
}

const raft_session *raft_kv_session(const raft_kv *kv, fl_node_id client)
{
    size_t i = raft_session_lower(kv, client);
    return (i < kv->nsessions && kv->sessions[i].client == client)
               ? &kv->sessions[i] : NULL;
}

int raft_kv_put(raft_kv *kv, uint32_t key, int64_t value)
{
    size_t i = raft_kv_lower(kv, key);
    if (i < kv->npairs && kv->pairs[i].key == key) {
        kv->pairs[i].value = value;
        return 0;
    }
    if (!wire_array_grow((void **)&kv->pairs, &kv->cap_pairs,
                         kv->npairs + 1, sizeof *kv->pairs))
        return -1;
    memmove(kv->pairs + i + 1, kv->pairs + i,
            (kv->npairs - i) * sizeof *kv->pairs);
    kv->pairs[i].key = key;
    kv->pairs[i].value = value;
    kv->npairs++;
    return 0;
}

/* The client's session, created empty if absent; NULL out of memory. */
static raft_session *raft_session_get(raft_kv *kv, fl_node_id client)
{
    size_t i = raft_session_lower(kv, client);
    if (i < kv->nsessions && kv->sessions[i].client == client)
        return &kv->sessions[i];
    if (!wire_array_grow((void **)&kv->sessions, &kv->cap_sessions,
                   kv->nsessions + 1, sizeof *kv->sessions))
        return NULL;
    memmove(kv->sessions + i + 1, kv->sessions + i,
            (kv->nsessions - i) * sizeof *kv->sessions);
    memset(&kv->sessions[i], 0, sizeof kv->sessions[i]);
    kv->sessions[i].client = client;
    kv->nsessions++;
    return &kv->sessions[i];
}

/* ---- Applying ----------------------------------------------------------- */

/* Runs one operation against the map. */
static int raft_kv_run(raft_kv *kv, const raft_cmd *cmd, const void *cfg,
                       int64_t *result, fl_status *status)
{
    (void)cfg;
    const fl_op *op = &cmd->op;
    int64_t cur = raft_kv_get(kv, op->key);
    *status = FL_STATUS_OK;
    switch (op->kind) {
    case FL_OP_READ:
        *result = cur;
        return 0;
    case FL_OP_WRITE:
        *result = op->arg;
        return raft_kv_put(kv, op->key, op->arg);
    case FL_OP_CAS:
        *result = cur == op->arg ? 1 : 0;
        return *result ? raft_kv_put(kv, op->key, op->arg2) : 0;
    case FL_OP_ADD:
        *result = (int64_t)((uint64_t)(cur == FL_NIL ? 0 : cur) +
                            (uint64_t)op->arg);
        return raft_kv_put(kv, op->key, *result);
    case FL_OP_ACQUIRE:
    case FL_OP_RELEASE:
    case FL_OP_KIND_COUNT:
        break;
    }
    *result = 0;
    *status = FL_STATUS_FAIL;      /* not a kv operation: never took effect */
    return 0;
}

raft_apply_outcome raft_kv_apply_with(raft_kv *kv, const raft_cmd *cmd,
                                      raft_kv_run_fn run, const void *cfg,
                                      size_t reserve, int64_t *result,
                                      fl_status *status)
{
    *result = 0;
    *status = FL_STATUS_OK;
    if (cmd->type != RAFT_CMD_OP)
        return RAFT_APPLY_DONE;
    const raft_session *old = raft_kv_session(kv, cmd->client);
    if (old && cmd->seq == old->seq) {
        *result = old->result;
        *status = (fl_status)old->status;
        return RAFT_APPLY_DUPLICATE;
    }
    if (old && cmd->seq < old->seq)
        return RAFT_APPLY_STALE;
    /* Reserve room first so a failed allocation changes nothing. */
    if (!wire_array_grow((void **)&kv->sessions, &kv->cap_sessions,
                   kv->nsessions + 1, sizeof *kv->sessions) ||
        !wire_array_grow((void **)&kv->pairs, &kv->cap_pairs,
                         kv->npairs + (reserve ? reserve : 1),
                         sizeof *kv->pairs))
        return RAFT_APPLY_OOM;
    if (run(kv, cmd, cfg, result, status) != 0)
        return RAFT_APPLY_OOM;
    raft_session *s = raft_session_get(kv, cmd->client);
    s->seq = cmd->seq;
    s->result = *result;
    s->status = (uint8_t)*status;
    return RAFT_APPLY_DONE;
}

raft_apply_outcome raft_kv_apply(raft_kv *kv, const raft_cmd *cmd,
                                 int64_t *result, fl_status *status)
{
    return raft_kv_apply_with(kv, cmd, raft_kv_run, NULL, 1, result, status);
}

/* ---- Snapshots ---------------------------------------------------------- */

int raft_kv_encode(const raft_kv *kv, wire_buf *out)
{
    out->len = 0;
    out->oom = false;
    wire_put_u32(out, (uint32_t)kv->npairs);
    for (size_t i = 0; i < kv->npairs; i++) {
        wire_put_u32(out, kv->pairs[i].key);
        wire_put_i64(out, kv->pairs[i].value);
    }
    wire_put_u32(out, (uint32_t)kv->nsessions);
    for (size_t i = 0; i < kv->nsessions; i++) {
        wire_put_u32(out, (uint32_t)kv->sessions[i].client);
        wire_put_u64(out, kv->sessions[i].seq);
        wire_put_i64(out, kv->sessions[i].result);
        wire_put_u8(out, kv->sessions[i].status);
    }
    return out->oom ? -1 : 0;
}

static int raft_kv_decode_pairs(wire_reader *r, raft_kv *kv)
{
    uint32_t n = wire_get_u32(r);
    if (r->bad || (size_t)n * 12 > wire_reader_left(r))
        return -1;
    if (!wire_array_grow((void **)&kv->pairs, &kv->cap_pairs, n ? n : 1,
                   sizeof *kv->pairs))
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        kv->pairs[i].key = wire_get_u32(r);
        kv->pairs[i].value = wire_get_i64(r);
        if (i > 0 && kv->pairs[i].key <= kv->pairs[i - 1].key)
            return -1;              /* must be strictly sorted */
    }
    kv->npairs = n;
    return r->bad ? -1 : 0;
}

static int raft_kv_decode_sessions(wire_reader *r, raft_kv *kv)
{
    uint32_t n = wire_get_u32(r);
    if (r->bad || (size_t)n * 21 > wire_reader_left(r))
        return -1;
    if (!wire_array_grow((void **)&kv->sessions, &kv->cap_sessions, n ? n : 1,
                   sizeof *kv->sessions))
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        raft_session *s = &kv->sessions[i];
        s->client = (fl_node_id)wire_get_u32(r);
        s->seq = wire_get_u64(r);
        s->result = wire_get_i64(r);
        s->status = wire_get_u8(r);
        if (s->status > FL_STATUS_UNKNOWN ||
            (i > 0 && s->client <= kv->sessions[i - 1].client))
            return -1;
    }
    kv->nsessions = n;
    return r->bad ? -1 : 0;
}

int raft_kv_decode(const uint8_t *p, size_t len, raft_kv *kv)
{
    raft_kv_init(kv);
    wire_reader r;
    wire_reader_init(&r, p, len);
    if (raft_kv_decode_pairs(&r, kv) != 0 ||
        raft_kv_decode_sessions(&r, kv) != 0 || wire_reader_left(&r) != 0) {
        raft_kv_free(kv);
        return -1;
    }
    return 0;
}
