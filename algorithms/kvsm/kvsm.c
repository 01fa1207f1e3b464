/* kvsm.c — the key-value state machine with client sessions (see kvsm.h). */
#include "algorithms/kvsm/kvsm.h"

#include <stdlib.h>
#include <string.h>

void fl_kvsm_init(fl_kvsm *kv)
{
    memset(kv, 0, sizeof *kv);
}

void fl_kvsm_free(fl_kvsm *kv)
{
    free(kv->pairs);
    free(kv->sessions);
    fl_kvsm_init(kv);
}

void fl_kvsm_swap(fl_kvsm *a, fl_kvsm *b)
{
    fl_kvsm t = *a;
    *a = *b;
    *b = t;
}

/* ---- Sorted-array lookups ----------------------------------------------- */

/* Index of the first pair with key >= `key`. */
static size_t kvsm_lower(const fl_kvsm *kv, uint32_t key)
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

static size_t kvsm_session_lower(const fl_kvsm *kv, fl_node_id client)
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

int64_t fl_kvsm_get(const fl_kvsm *kv, uint32_t key)
{
    size_t i = kvsm_lower(kv, key);
    return (i < kv->npairs && kv->pairs[i].key == key) ? kv->pairs[i].value
                                                       : FL_NIL;
}

const fl_kvsm_session *fl_kvsm_session_of(const fl_kvsm *kv,
                                          fl_node_id client)
{
    size_t i = kvsm_session_lower(kv, client);
    return (i < kv->nsessions && kv->sessions[i].client == client)
               ? &kv->sessions[i] : NULL;
}

int fl_kvsm_put(fl_kvsm *kv, uint32_t key, int64_t value)
{
    size_t i = kvsm_lower(kv, key);
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

void fl_kvsm_del(fl_kvsm *kv, uint32_t key)
{
    size_t i = kvsm_lower(kv, key);
    if (i >= kv->npairs || kv->pairs[i].key != key)
        return;
    memmove(kv->pairs + i, kv->pairs + i + 1,
            (kv->npairs - i - 1) * sizeof *kv->pairs);
    kv->npairs--;
}

/* The client's session, created empty if absent; NULL out of memory. */
static fl_kvsm_session *kvsm_session_get(fl_kvsm *kv, fl_node_id client)
{
    size_t i = kvsm_session_lower(kv, client);
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

int fl_kvsm_set_session(fl_kvsm *kv, fl_node_id client, uint64_t seq,
                        int64_t result, fl_status status)
{
    fl_kvsm_session *s = kvsm_session_get(kv, client);
    if (!s)
        return -1;
    s->seq = seq;
    s->result = result;
    s->status = (uint8_t)status;
    return 0;
}

/* ---- Applying ----------------------------------------------------------- */

int fl_kvsm_run_kv(fl_kvsm *kv, fl_node_id client, const fl_op *op,
                   const void *cfg, int64_t *result, fl_status *status)
{
    (void)client;
    (void)cfg;
    int64_t cur = fl_kvsm_get(kv, op->key);
    *status = FL_STATUS_OK;
    switch (op->kind) {
    case FL_OP_READ:
        *result = cur;
        return 0;
    case FL_OP_WRITE:
        *result = op->arg;
        return fl_kvsm_put(kv, op->key, op->arg);
    case FL_OP_CAS:
        *result = cur == op->arg ? 1 : 0;
        return *result ? fl_kvsm_put(kv, op->key, op->arg2) : 0;
    case FL_OP_ADD:
        *result = (int64_t)((uint64_t)(cur == FL_NIL ? 0 : cur) +
                            (uint64_t)op->arg);
        return fl_kvsm_put(kv, op->key, *result);
    case FL_OP_ACQUIRE:
    case FL_OP_RELEASE:
    case FL_OP_KIND_COUNT:
        break;
    }
    *result = 0;
    *status = FL_STATUS_FAIL;      /* not a kv operation: never took effect */
    return 0;
}

fl_kvsm_outcome fl_kvsm_apply_with(fl_kvsm *kv, fl_node_id client,
                                   uint64_t seq, const fl_op *op,
                                   fl_kvsm_run_fn run, const void *cfg,
                                   size_t reserve, int64_t *result,
                                   fl_status *status)
{
    *result = 0;
    *status = FL_STATUS_OK;
    const fl_kvsm_session *old = fl_kvsm_session_of(kv, client);
    if (old && seq == old->seq) {
        *result = old->result;
        *status = (fl_status)old->status;
        return FL_KVSM_DUPLICATE;
    }
    if (old && seq < old->seq)
        return FL_KVSM_STALE;
    /* Reserve room first so a failed allocation changes nothing. */
    if (!wire_array_grow((void **)&kv->sessions, &kv->cap_sessions,
                         kv->nsessions + 1, sizeof *kv->sessions) ||
        !wire_array_grow((void **)&kv->pairs, &kv->cap_pairs,
                         kv->npairs + (reserve ? reserve : 1),
                         sizeof *kv->pairs))
        return FL_KVSM_OOM;
    if (run(kv, client, op, cfg, result, status) != 0)
        return FL_KVSM_OOM;
    /* Room was reserved above: this cannot fail. */
    (void)fl_kvsm_set_session(kv, client, seq, *result, *status);
    return FL_KVSM_DONE;
}

fl_kvsm_outcome fl_kvsm_apply(fl_kvsm *kv, fl_node_id client, uint64_t seq,
                              const fl_op *op, int64_t *result,
                              fl_status *status)
{
    return fl_kvsm_apply_with(kv, client, seq, op, fl_kvsm_run_kv, NULL, 1,
                              result, status);
}

/* ---- Snapshots and checkpoints ------------------------------------------ */

int fl_kvsm_encode(const fl_kvsm *kv, wire_buf *out)
{
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

static int kvsm_read_pairs(wire_reader *r, fl_kvsm *kv)
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

static int kvsm_read_sessions(wire_reader *r, fl_kvsm *kv)
{
    uint32_t n = wire_get_u32(r);
    if (r->bad || (size_t)n * 21 > wire_reader_left(r))
        return -1;
    if (!wire_array_grow((void **)&kv->sessions, &kv->cap_sessions,
                         n ? n : 1, sizeof *kv->sessions))
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        fl_kvsm_session *s = &kv->sessions[i];
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

int fl_kvsm_read(wire_reader *r, fl_kvsm *kv)
{
    fl_kvsm_init(kv);
    if (kvsm_read_pairs(r, kv) != 0 || kvsm_read_sessions(r, kv) != 0) {
        fl_kvsm_free(kv);
        return -1;
    }
    return 0;
}

int fl_kvsm_decode(const uint8_t *p, size_t len, fl_kvsm *kv)
{
    wire_reader r;
    wire_reader_init(&r, p, len);
    if (fl_kvsm_read(&r, kv) != 0)
        return -1;
    if (wire_reader_left(&r) != 0) {
        fl_kvsm_free(kv);
        return -1;
    }
    return 0;
}
