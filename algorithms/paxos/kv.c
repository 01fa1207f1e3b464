/* kv.c — the key-value state machine with client sessions (see kv.h). */
#include "algorithms/paxos/kv.h"

#include <stdlib.h>
#include <string.h>

void paxos_kv_init(paxos_kv *kv)
{
    memset(kv, 0, sizeof *kv);
}

void paxos_kv_free(paxos_kv *kv)
{
    free(kv->pairs);
    free(kv->sessions);
    paxos_kv_init(kv);
}

/* ---- Sorted-array lookups ----------------------------------------------- */

/* Index of the first pair with key >= `key`. */
static size_t paxos_kv_lower(const paxos_kv *kv, uint32_t key)
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

static size_t paxos_session_lower(const paxos_kv *kv, fl_node_id client)
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

int64_t paxos_kv_get(const paxos_kv *kv, uint32_t key)
{
    size_t i = paxos_kv_lower(kv, key);
    return (i < kv->npairs && kv->pairs[i].key == key) ? kv->pairs[i].value
                                                       : FL_NIL;
}

const paxos_session *paxos_kv_session(const paxos_kv *kv, fl_node_id client)
{
    size_t i = paxos_session_lower(kv, client);
    return (i < kv->nsessions && kv->sessions[i].client == client)
               ? &kv->sessions[i] : NULL;
}

/* Room is reserved by the caller, so these cannot fail. */
static void paxos_kv_put(paxos_kv *kv, uint32_t key, int64_t value)
{
    size_t i = paxos_kv_lower(kv, key);
    if (i < kv->npairs && kv->pairs[i].key == key) {
        kv->pairs[i].value = value;
        return;
    }
    memmove(kv->pairs + i + 1, kv->pairs + i,
            (kv->npairs - i) * sizeof *kv->pairs);
    kv->pairs[i].key = key;
    kv->pairs[i].value = value;
    kv->npairs++;
}

static paxos_session *paxos_session_get(paxos_kv *kv, fl_node_id client)
{
    size_t i = paxos_session_lower(kv, client);
    if (i < kv->nsessions && kv->sessions[i].client == client)
        return &kv->sessions[i];
    memmove(kv->sessions + i + 1, kv->sessions + i,
            (kv->nsessions - i) * sizeof *kv->sessions);
    memset(&kv->sessions[i], 0, sizeof kv->sessions[i]);
    kv->sessions[i].client = client;
    kv->nsessions++;
    return &kv->sessions[i];
}

/* ---- Applying ----------------------------------------------------------- */

static void paxos_kv_run(paxos_kv *kv, const fl_op *op, int64_t *result,
                         fl_status *status)
{
    int64_t cur = paxos_kv_get(kv, op->key);
    *status = FL_STATUS_OK;
    switch (op->kind) {
    case FL_OP_READ:
        *result = cur;
        return;
    case FL_OP_WRITE:
        *result = op->arg;
        paxos_kv_put(kv, op->key, op->arg);
        return;
    case FL_OP_CAS:
        *result = cur == op->arg ? 1 : 0;
        if (*result)
            paxos_kv_put(kv, op->key, op->arg2);
        return;
    case FL_OP_ADD:
        *result = (int64_t)((uint64_t)(cur == FL_NIL ? 0 : cur) +
                            (uint64_t)op->arg);
        paxos_kv_put(kv, op->key, *result);
        return;
    case FL_OP_ACQUIRE:
    case FL_OP_RELEASE:
    case FL_OP_KIND_COUNT:
        break;
    }
    *result = 0;
    *status = FL_STATUS_FAIL;      /* not a kv operation: never took effect */
}

paxos_apply_outcome paxos_kv_apply(paxos_kv *kv, const paxos_cmd *cmd,
                                   int64_t *result, fl_status *status)
{
    *result = 0;
    *status = FL_STATUS_OK;
    if (cmd->type != PAXOS_CMD_OP)
        return PAXOS_APPLY_DONE;
    const paxos_session *old = paxos_kv_session(kv, cmd->client);
    if (old && cmd->seq == old->seq) {
        *result = old->result;
        *status = (fl_status)old->status;
        return PAXOS_APPLY_DUPLICATE;
    }
    if (old && cmd->seq < old->seq)
        return PAXOS_APPLY_STALE;
    /* Reserve room first so a failed allocation changes nothing. */
    if (!wire_array_grow((void **)&kv->sessions, &kv->cap_sessions,
                          kv->nsessions + 1, sizeof *kv->sessions) ||
        !wire_array_grow((void **)&kv->pairs, &kv->cap_pairs,
                          kv->npairs + 1, sizeof *kv->pairs))
        return PAXOS_APPLY_OOM;
    paxos_kv_run(kv, &cmd->op, result, status);
    paxos_session *s = paxos_session_get(kv, cmd->client);
    s->seq = cmd->seq;
    s->result = *result;
    s->status = (uint8_t)*status;
    return PAXOS_APPLY_DONE;
}
