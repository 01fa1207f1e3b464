/* codec.c — Raft's byte encodings (see codec.h): buffers, hashes, commands
 * and messages. Pure functions; no fl_ctx. */
#include "algorithms/raft/codec.h"

#include <stdlib.h>
#include <string.h>

/* ---- Hashes ------------------------------------------------------------- */

uint64_t raft_chain_hash(uint64_t prev_chain, int64_t term,
                         const uint8_t *cmd, size_t cmd_len)
{
    uint8_t head[16];
    wire_le_put64(head, prev_chain);
    wire_le_put64(head + 8, (uint64_t)term);
    uint64_t h = wire_fnv(WIRE_FNV_OFFSET, head, sizeof head);
    return wire_mix64(wire_fnv(h, cmd, cmd_len));
}

/* ---- State-machine commands --------------------------------------------- */

/* Layout of an OP (34 bytes): u8 type, u32 client, u64 seq, u8 op kind,
 * u32 key, i64 arg, i64 arg2. A NOOP is the type byte alone. */
size_t raft_cmd_encode(const raft_cmd *c, uint8_t out[RAFT_CMD_MAX_BYTES])
{
    out[0] = c->type;
    if (c->type != RAFT_CMD_OP)
        return 1;
    wire_le_put32(out + 1, (uint32_t)c->client);
    wire_le_put64(out + 5, c->seq);
    out[13] = (uint8_t)c->op.kind;
    wire_le_put32(out + 14, c->op.key);
    wire_le_put64(out + 18, (uint64_t)c->op.arg);
    wire_le_put64(out + 26, (uint64_t)c->op.arg2);
    return RAFT_CMD_MAX_BYTES;
}

int raft_cmd_decode(const uint8_t *p, size_t len, raft_cmd *c)
{
    memset(c, 0, sizeof *c);
    if (len < 1)
        return -1;
    c->type = p[0];
    if (c->type == RAFT_CMD_NOOP)
        return len == 1 ? 0 : -1;
    if (c->type != RAFT_CMD_OP || len != RAFT_CMD_MAX_BYTES)
        return -1;
    c->client = (fl_node_id)wire_le_get32(p + 1);
    c->seq = wire_le_get64(p + 5);
    if (p[13] >= FL_OP_KIND_COUNT)
        return -1;
    c->op.kind = (fl_op_kind)p[13];
    c->op.key = wire_le_get32(p + 14);
    c->op.arg = (int64_t)wire_le_get64(p + 18);
    c->op.arg2 = (int64_t)wire_le_get64(p + 26);
    return 0;
}

uint64_t raft_cmd_hash(const raft_cmd *c)
{
    uint8_t b[RAFT_CMD_MAX_BYTES];
    size_t n = raft_cmd_encode(c, b);
    return wire_hash_bytes(b, n);
}

/* ---- Messages ----------------------------------------------------------- */

/* Every message starts with: u8 version, u8 type, i64 term. */

static void raft_put_entry(wire_buf *b, const raft_wire_entry *e)
{
    uint8_t cmd[RAFT_CMD_MAX_BYTES];
    size_t n = raft_cmd_encode(&e->cmd, cmd);
    wire_put_i64(b, e->term);
    wire_put_u8(b, (uint8_t)n);
    wire_put_bytes(b, cmd, n);
}

static int raft_get_entry(wire_reader *r, raft_wire_entry *e)
{
    e->term = wire_get_i64(r);
    uint8_t n = wire_get_u8(r);
    const uint8_t *cmd = wire_get_bytes(r, n);
    if (!cmd || e->term < 0)
        return -1;
    return raft_cmd_decode(cmd, n, &e->cmd);
}

static void raft_put_body(wire_buf *b, const raft_msg *m)
{
    switch ((raft_msg_type)m->type) {
    case RAFT_MSG_VOTE:
    case RAFT_MSG_PREVOTE:
        wire_put_i64(b, m->u.vote.last_index);
        wire_put_i64(b, m->u.vote.last_term);
        if (m->type == RAFT_MSG_VOTE && m->u.vote.transfer)
            wire_put_u8(b, 1);     /* canonical: only present when set */
        break;
    case RAFT_MSG_VOTE_REPLY:
    case RAFT_MSG_PREVOTE_REPLY:
        wire_put_u8(b, m->u.vote_reply.granted ? 1 : 0);
        break;
    case RAFT_MSG_APPEND:
        wire_put_i64(b, m->u.append.prev_index);
        wire_put_i64(b, m->u.append.prev_term);
        wire_put_i64(b, m->u.append.commit);
        wire_put_u64(b, m->u.append.round);
        wire_put_u32(b, m->u.append.n);
        for (uint32_t i = 0; i < m->u.append.n; i++)
            raft_put_entry(b, &m->u.append.entries[i]);
        break;
    case RAFT_MSG_APPEND_REPLY:
    case RAFT_MSG_SNAPSHOT_REPLY:
        wire_put_u8(b, m->u.append_reply.success ? 1 : 0);
        wire_put_i64(b, m->u.append_reply.match);
        wire_put_i64(b, m->u.append_reply.conflict_index);
        wire_put_i64(b, m->u.append_reply.conflict_term);
        wire_put_u64(b, m->u.append_reply.round);
        break;
    case RAFT_MSG_SNAPSHOT:
        wire_put_i64(b, m->u.snapshot.last_index);
        wire_put_i64(b, m->u.snapshot.last_term);
        wire_put_u64(b, m->u.snapshot.last_chain);
        wire_put_u64(b, m->u.snapshot.last_cmd);
        wire_put_u64(b, m->u.snapshot.round);
        wire_put_u32(b, m->u.snapshot.data_len);
        wire_put_bytes(b, m->u.snapshot.data, m->u.snapshot.data_len);
        break;
    case RAFT_MSG_TIMEOUT_NOW:
        wire_put_i64(b, m->u.timeout_now.last_index);
        break;
    case RAFT_MSG_TYPE_END:
        break;
    }
}

int raft_msg_encode(const raft_msg *m, wire_buf *b)
{
    b->len = 0;
    b->oom = false;
    wire_put_u8(b, RAFT_WIRE_VERSION);
    wire_put_u8(b, m->type);
    wire_put_i64(b, m->term);
    raft_put_body(b, m);
    return b->oom ? -1 : 0;
}

static int raft_get_append(wire_reader *r, raft_msg *m)
{
    m->u.append.prev_index = wire_get_i64(r);
    m->u.append.prev_term = wire_get_i64(r);
    m->u.append.commit = wire_get_i64(r);
    m->u.append.round = wire_get_u64(r);
    uint32_t n = wire_get_u32(r);
    /* Each entry takes at least 10 bytes: a garbage count cannot make us
     * allocate more than the message could hold. */
    if (r->bad || n > RAFT_MAX_BATCH || (size_t)n * 10 > wire_reader_left(r))
        return -1;
    if (m->u.append.prev_index < 0 || m->u.append.prev_term < 0)
        return -1;
    m->u.append.n = n;
    if (n == 0)
        return 0;
    m->u.append.entries = calloc(n, sizeof *m->u.append.entries);
    if (!m->u.append.entries)
        return -1;
    for (uint32_t i = 0; i < n; i++)
        if (raft_get_entry(r, &m->u.append.entries[i]) != 0)
            return -1;
    return 0;
}

static int raft_get_vote(wire_reader *r, raft_msg *m)
{
    m->u.vote.last_index = wire_get_i64(r);
    m->u.vote.last_term = wire_get_i64(r);
    if (r->bad || m->u.vote.last_index < 0 || m->u.vote.last_term < 0)
        return -1;
    /* RequestVote's optional transfer flag: exactly one byte, value 1. A
     * PreVote never carries it (the caller rejects the trailing byte). */
    if (m->type == RAFT_MSG_VOTE && wire_reader_left(r) == 1) {
        if (wire_get_u8(r) != 1)
            return -1;
        m->u.vote.transfer = true;
    }
    return 0;
}

static int raft_get_body(wire_reader *r, raft_msg *m)
{
    switch ((raft_msg_type)m->type) {
    case RAFT_MSG_VOTE:
    case RAFT_MSG_PREVOTE:
        return raft_get_vote(r, m);
    case RAFT_MSG_VOTE_REPLY:
    case RAFT_MSG_PREVOTE_REPLY: {
        uint8_t g = wire_get_u8(r);
        m->u.vote_reply.granted = g == 1;
        return g > 1 ? -1 : 0;
    }
    case RAFT_MSG_APPEND:
        return raft_get_append(r, m);
    case RAFT_MSG_APPEND_REPLY:
    case RAFT_MSG_SNAPSHOT_REPLY: {
        uint8_t s = wire_get_u8(r);
        m->u.append_reply.success = s == 1;
        m->u.append_reply.match = wire_get_i64(r);
        m->u.append_reply.conflict_index = wire_get_i64(r);
        m->u.append_reply.conflict_term = wire_get_i64(r);
        m->u.append_reply.round = wire_get_u64(r);
        return s > 1 ? -1 : 0;
    }
    case RAFT_MSG_SNAPSHOT:
        m->u.snapshot.last_index = wire_get_i64(r);
        m->u.snapshot.last_term = wire_get_i64(r);
        m->u.snapshot.last_chain = wire_get_u64(r);
        m->u.snapshot.last_cmd = wire_get_u64(r);
        m->u.snapshot.round = wire_get_u64(r);
        m->u.snapshot.data_len = wire_get_u32(r);
        m->u.snapshot.data = wire_get_bytes(r, m->u.snapshot.data_len);
        if (m->u.snapshot.last_index < 1 || m->u.snapshot.last_term < 0)
            return -1;
        return 0;
    case RAFT_MSG_TIMEOUT_NOW:
        m->u.timeout_now.last_index = wire_get_i64(r);
        return m->u.timeout_now.last_index < 0 ? -1 : 0;
    case RAFT_MSG_TYPE_END:
        break;
    }
    return -1;
}

int raft_msg_decode(const void *p, size_t len, raft_msg *m)
{
    memset(m, 0, sizeof *m);
    wire_reader r;
    wire_reader_init(&r, p, len);
    uint8_t version = wire_get_u8(&r);
    m->type = wire_get_u8(&r);
    m->term = wire_get_i64(&r);
    if (r.bad || version != RAFT_WIRE_VERSION || m->type < RAFT_MSG_VOTE ||
        m->type >= RAFT_MSG_TYPE_END || m->term < 0) {
        m->type = 0;
        return -1;
    }
    /* Trailing bytes mean the sender and we disagree on the layout. */
    if (raft_get_body(&r, m) != 0 || r.bad || wire_reader_left(&r) != 0) {
        raft_msg_free(m);
        return -1;
    }
    return 0;
}

void raft_msg_free(raft_msg *m)
{
    if (m->type == RAFT_MSG_APPEND) {
        free(m->u.append.entries);
        m->u.append.entries = NULL;
        m->u.append.n = 0;
    }
}

const char *raft_msg_type_name(uint8_t type)
{
    switch ((raft_msg_type)type) {
    case RAFT_MSG_VOTE:           return "RequestVote";
    case RAFT_MSG_VOTE_REPLY:     return "RequestVoteReply";
    case RAFT_MSG_PREVOTE:        return "PreVote";
    case RAFT_MSG_PREVOTE_REPLY:  return "PreVoteReply";
    case RAFT_MSG_APPEND:         return "AppendEntries";
    case RAFT_MSG_APPEND_REPLY:   return "AppendEntriesReply";
    case RAFT_MSG_SNAPSHOT:       return "InstallSnapshot";
    case RAFT_MSG_SNAPSHOT_REPLY: return "InstallSnapshotReply";
    case RAFT_MSG_TIMEOUT_NOW:    return "TimeoutNow";
    case RAFT_MSG_TYPE_END:       break;
    }
    return "garbage";
}
