/* wire.c — the lock service's own messages (client <-> server, client <->
 * storage), explicit little-endian fields after a type byte that Raft's
 * messages never start with (theirs start with the wire version, 1). */
#include "algorithms/lock/lock.h"

#include <string.h>

static size_t put(uint8_t *out, size_t at, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        out[at + (size_t)i] = (uint8_t)(v >> (8 * i));
    return at + (size_t)bytes;
}

static uint64_t get(const uint8_t *p, size_t at, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)p[at + (size_t)i] << (8 * i);
    return v;
}

size_t lock_msg_encode(const lock_msg *m, uint8_t out[LOCK_MSG_MAX])
{
    size_t at = put(out, 0, m->type, 1);
    switch (m->type) {
    case LOCK_MSG_REQ:
        at = put(out, at, m->seq, 8);
        at = put(out, at, (uint64_t)m->op.kind, 1);
        at = put(out, at, m->op.key, 4);
        at = put(out, at, (uint64_t)m->op.arg, 8);
        break;
    case LOCK_MSG_REP:
        at = put(out, at, m->seq, 8);
        at = put(out, at, m->status, 1);
        at = put(out, at, (uint64_t)m->value, 8);
        at = put(out, at, (uint32_t)m->hint, 4);
        break;
    case LOCK_MSG_WRITE:
        at = put(out, at, (uint64_t)m->token, 8);
        at = put(out, at, (uint64_t)m->value, 8);
        break;
    case LOCK_MSG_WRITE_REP:
        at = put(out, at, (uint64_t)m->token, 8);
        at = put(out, at, m->ok ? 1 : 0, 1);
        break;
    default:
        return 0;
    }
    return at;
}

static size_t lock_msg_len(uint8_t type)
{
    switch (type) {
    case LOCK_MSG_REQ: return 1 + 8 + 1 + 4 + 8;
    case LOCK_MSG_REP: return 1 + 8 + 1 + 8 + 4;
    case LOCK_MSG_WRITE: return 1 + 8 + 8;
    case LOCK_MSG_WRITE_REP: return 1 + 8 + 1;
    default: return 0;
    }
}

bool lock_msg_is_lock(const void *p, size_t len)
{
    const uint8_t *b = p;
    return len >= 1 && lock_msg_len(b[0]) == len;
}

int lock_msg_decode(const void *p, size_t len, lock_msg *m)
{
    const uint8_t *b = p;
    memset(m, 0, sizeof *m);
    if (!lock_msg_is_lock(p, len))
        return -1;
    m->type = b[0];
    switch (m->type) {
    case LOCK_MSG_REQ:
        m->seq = get(b, 1, 8);
        m->op.kind = (fl_op_kind)get(b, 9, 1);
        m->op.key = (uint32_t)get(b, 10, 4);
        m->op.arg = (int64_t)get(b, 14, 8);
        if (m->op.kind != FL_OP_ACQUIRE && m->op.kind != FL_OP_RELEASE &&
            m->op.kind != FL_OP_READ)
            return -1;
        break;
    case LOCK_MSG_REP:
        m->seq = get(b, 1, 8);
        m->status = (uint8_t)get(b, 9, 1);
        m->value = (int64_t)get(b, 10, 8);
        m->hint = (fl_node_id)(int32_t)(uint32_t)get(b, 18, 4);
        if (m->status > FL_STATUS_UNKNOWN)
            return -1;
        break;
    case LOCK_MSG_WRITE:
        m->token = (int64_t)get(b, 1, 8);
        m->value = (int64_t)get(b, 9, 8);
        break;
    case LOCK_MSG_WRITE_REP:
        m->token = (int64_t)get(b, 1, 8);
        m->ok = get(b, 9, 1) != 0;
        break;
    }
    return 0;
}
