/* codec.c — Raft's byte encodings (see codec.h): buffers, hashes, commands
 * and messages. Pure functions; no fl_ctx. */
#include "algorithms/raft/codec.h"

#include <stdlib.h>
#include <string.h>

/* ---- Byte buffers ------------------------------------------------------- */

void raft_buf_init(raft_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->oom = false;
}

void raft_buf_free(raft_buf *b)
{
    free(b->data);
    raft_buf_init(b);
}

static bool raft_buf_reserve(raft_buf *b, size_t extra)
{
    if (b->oom)
        return false;
    if (b->len + extra <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra)
        cap *= 2;
    uint8_t *d = realloc(b->data, cap);
    if (!d) {
        b->oom = true;
        return false;
    }
    b->data = d;
    b->cap = cap;
    return true;
}

bool raft_array_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap * 2 : 16;
    while (c < need)
        c *= 2;
    if (c > SIZE_MAX / elem)
        return false;
    void *p = realloc(*arr, c * elem);
    if (!p)
        return false;
    *arr = p;
    *cap = c;
    return true;
}

void raft_put_bytes(raft_buf *b, const void *p, size_t n)
{
    if (n == 0 || !raft_buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void raft_put_u8(raft_buf *b, uint8_t v)
{
    raft_put_bytes(b, &v, 1);
}

void raft_put_u32(raft_buf *b, uint32_t v)
{
    uint8_t t[4];
    raft_le_put32(t, v);
    raft_put_bytes(b, t, sizeof t);
}

void raft_put_u64(raft_buf *b, uint64_t v)
{
    uint8_t t[8];
    raft_le_put64(t, v);
    raft_put_bytes(b, t, sizeof t);
}

void raft_put_i64(raft_buf *b, int64_t v)
{
    raft_put_u64(b, (uint64_t)v);
}

void raft_reader_init(raft_reader *r, const void *p, size_t len)
{
    r->p = p;
    r->len = p ? len : 0;
    r->pos = 0;
    r->bad = false;
}

size_t raft_reader_left(const raft_reader *r)
{
    return r->len - r->pos;
}

const uint8_t *raft_get_bytes(raft_reader *r, size_t n)
{
    if (r->bad || raft_reader_left(r) < n) {
        r->bad = true;
        return NULL;
    }
    const uint8_t *p = r->p + r->pos;
    r->pos += n;
    return p;
}

uint8_t raft_get_u8(raft_reader *r)
{
    const uint8_t *p = raft_get_bytes(r, 1);
    return p ? p[0] : 0;
}

uint32_t raft_get_u32(raft_reader *r)
{
    const uint8_t *p = raft_get_bytes(r, 4);
    return p ? raft_le_get32(p) : 0;
}

uint64_t raft_get_u64(raft_reader *r)
{
    const uint8_t *p = raft_get_bytes(r, 8);
    return p ? raft_le_get64(p) : 0;
}

int64_t raft_get_i64(raft_reader *r)
{
    return (int64_t)raft_get_u64(r);
}

void raft_le_put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

uint64_t raft_le_get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

void raft_le_put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

uint32_t raft_le_get32(const uint8_t *p)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* ---- Hashes ------------------------------------------------------------- */

#define RAFT_FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define RAFT_FNV_PRIME  UINT64_C(0x100000001b3)

static uint64_t raft_fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= RAFT_FNV_PRIME;
    }
    return h;
}

/* The SplitMix64 finalizer: spreads FNV's weak low bits. */
static uint64_t raft_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

uint64_t raft_hash_bytes(const void *p, size_t n)
{
    return raft_mix64(raft_fnv(RAFT_FNV_OFFSET, p, n));
}

uint64_t raft_chain_hash(uint64_t prev_chain, int64_t term,
                         const uint8_t *cmd, size_t cmd_len)
{
    uint8_t head[16];
    raft_le_put64(head, prev_chain);
    raft_le_put64(head + 8, (uint64_t)term);
    uint64_t h = raft_fnv(RAFT_FNV_OFFSET, head, sizeof head);
    return raft_mix64(raft_fnv(h, cmd, cmd_len));
}

/* ---- State-machine commands --------------------------------------------- */

/* Layout of an OP (34 bytes): u8 type, u32 client, u64 seq, u8 op kind,
 * u32 key, i64 arg, i64 arg2. A NOOP is the type byte alone. */
size_t raft_cmd_encode(const raft_cmd *c, uint8_t out[RAFT_CMD_MAX_BYTES])
{
    out[0] = c->type;
    if (c->type != RAFT_CMD_OP)
        return 1;
    raft_le_put32(out + 1, (uint32_t)c->client);
    raft_le_put64(out + 5, c->seq);
    out[13] = (uint8_t)c->op.kind;
    raft_le_put32(out + 14, c->op.key);
    raft_le_put64(out + 18, (uint64_t)c->op.arg);
    raft_le_put64(out + 26, (uint64_t)c->op.arg2);
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
    c->client = (fl_node_id)raft_le_get32(p + 1);
    c->seq = raft_le_get64(p + 5);
    if (p[13] >= FL_OP_KIND_COUNT)
        return -1;
    c->op.kind = (fl_op_kind)p[13];
    c->op.key = raft_le_get32(p + 14);
    c->op.arg = (int64_t)raft_le_get64(p + 18);
    c->op.arg2 = (int64_t)raft_le_get64(p + 26);
    return 0;
}

uint64_t raft_cmd_hash(const raft_cmd *c)
{
    uint8_t b[RAFT_CMD_MAX_BYTES];
    size_t n = raft_cmd_encode(c, b);
    return raft_hash_bytes(b, n);
}

/* ---- Messages ----------------------------------------------------------- */

/* Every message starts with: u8 version, u8 type, i64 term. */

static void raft_put_entry(raft_buf *b, const raft_wire_entry *e)
{
    uint8_t cmd[RAFT_CMD_MAX_BYTES];
    size_t n = raft_cmd_encode(&e->cmd, cmd);
    raft_put_i64(b, e->term);
    raft_put_u8(b, (uint8_t)n);
    raft_put_bytes(b, cmd, n);
}

static int raft_get_entry(raft_reader *r, raft_wire_entry *e)
{
    e->term = raft_get_i64(r);
    uint8_t n = raft_get_u8(r);
    const uint8_t *cmd = raft_get_bytes(r, n);
    if (!cmd || e->term < 0)
        return -1;
    return raft_cmd_decode(cmd, n, &e->cmd);
}

static void raft_put_body(raft_buf *b, const raft_msg *m)
{
    switch ((raft_msg_type)m->type) {
    case RAFT_MSG_VOTE:
    case RAFT_MSG_PREVOTE:
        raft_put_i64(b, m->u.vote.last_index);
        raft_put_i64(b, m->u.vote.last_term);
        if (m->type == RAFT_MSG_VOTE && m->u.vote.transfer)
            raft_put_u8(b, 1);     /* canonical: only present when set */
        break;
    case RAFT_MSG_VOTE_REPLY:
    case RAFT_MSG_PREVOTE_REPLY:
        raft_put_u8(b, m->u.vote_reply.granted ? 1 : 0);
        break;
    case RAFT_MSG_APPEND:
        raft_put_i64(b, m->u.append.prev_index);
        raft_put_i64(b, m->u.append.prev_term);
        raft_put_i64(b, m->u.append.commit);
        raft_put_u64(b, m->u.append.round);
        raft_put_u32(b, m->u.append.n);
        for (uint32_t i = 0; i < m->u.append.n; i++)
            raft_put_entry(b, &m->u.append.entries[i]);
        break;
    case RAFT_MSG_APPEND_REPLY:
    case RAFT_MSG_SNAPSHOT_REPLY:
        raft_put_u8(b, m->u.append_reply.success ? 1 : 0);
        raft_put_i64(b, m->u.append_reply.match);
        raft_put_i64(b, m->u.append_reply.conflict_index);
        raft_put_i64(b, m->u.append_reply.conflict_term);
        raft_put_u64(b, m->u.append_reply.round);
        break;
    case RAFT_MSG_SNAPSHOT:
        raft_put_i64(b, m->u.snapshot.last_index);
        raft_put_i64(b, m->u.snapshot.last_term);
        raft_put_u64(b, m->u.snapshot.last_chain);
        raft_put_u64(b, m->u.snapshot.last_cmd);
        raft_put_u64(b, m->u.snapshot.round);
        raft_put_u32(b, m->u.snapshot.data_len);
        raft_put_bytes(b, m->u.snapshot.data, m->u.snapshot.data_len);
        break;
    case RAFT_MSG_TIMEOUT_NOW:
        raft_put_i64(b, m->u.timeout_now.last_index);
        break;
    case RAFT_MSG_TYPE_END:
        break;
    }
}

int raft_msg_encode(const raft_msg *m, raft_buf *b)
{
    b->len = 0;
    b->oom = false;
    raft_put_u8(b, RAFT_WIRE_VERSION);
    raft_put_u8(b, m->type);
    raft_put_i64(b, m->term);
    raft_put_body(b, m);
    return b->oom ? -1 : 0;
}

static int raft_get_append(raft_reader *r, raft_msg *m)
{
    m->u.append.prev_index = raft_get_i64(r);
    m->u.append.prev_term = raft_get_i64(r);
    m->u.append.commit = raft_get_i64(r);
    m->u.append.round = raft_get_u64(r);
    uint32_t n = raft_get_u32(r);
    /* Each entry takes at least 10 bytes: a garbage count cannot make us
     * allocate more than the message could hold. */
    if (r->bad || n > RAFT_MAX_BATCH || (size_t)n * 10 > raft_reader_left(r))
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

static int raft_get_vote(raft_reader *r, raft_msg *m)
{
    m->u.vote.last_index = raft_get_i64(r);
    m->u.vote.last_term = raft_get_i64(r);
    if (r->bad || m->u.vote.last_index < 0 || m->u.vote.last_term < 0)
        return -1;
    /* RequestVote's optional transfer flag: exactly one byte, value 1. A
     * PreVote never carries it (the caller rejects the trailing byte). */
    if (m->type == RAFT_MSG_VOTE && raft_reader_left(r) == 1) {
        if (raft_get_u8(r) != 1)
            return -1;
        m->u.vote.transfer = true;
    }
    return 0;
}

static int raft_get_body(raft_reader *r, raft_msg *m)
{
    switch ((raft_msg_type)m->type) {
    case RAFT_MSG_VOTE:
    case RAFT_MSG_PREVOTE:
        return raft_get_vote(r, m);
    case RAFT_MSG_VOTE_REPLY:
    case RAFT_MSG_PREVOTE_REPLY: {
        uint8_t g = raft_get_u8(r);
        m->u.vote_reply.granted = g == 1;
        return g > 1 ? -1 : 0;
    }
    case RAFT_MSG_APPEND:
        return raft_get_append(r, m);
    case RAFT_MSG_APPEND_REPLY:
    case RAFT_MSG_SNAPSHOT_REPLY: {
        uint8_t s = raft_get_u8(r);
        m->u.append_reply.success = s == 1;
        m->u.append_reply.match = raft_get_i64(r);
        m->u.append_reply.conflict_index = raft_get_i64(r);
        m->u.append_reply.conflict_term = raft_get_i64(r);
        m->u.append_reply.round = raft_get_u64(r);
        return s > 1 ? -1 : 0;
    }
    case RAFT_MSG_SNAPSHOT:
        m->u.snapshot.last_index = raft_get_i64(r);
        m->u.snapshot.last_term = raft_get_i64(r);
        m->u.snapshot.last_chain = raft_get_u64(r);
        m->u.snapshot.last_cmd = raft_get_u64(r);
        m->u.snapshot.round = raft_get_u64(r);
        m->u.snapshot.data_len = raft_get_u32(r);
        m->u.snapshot.data = raft_get_bytes(r, m->u.snapshot.data_len);
        if (m->u.snapshot.last_index < 1 || m->u.snapshot.last_term < 0)
            return -1;
        return 0;
    case RAFT_MSG_TIMEOUT_NOW:
        m->u.timeout_now.last_index = raft_get_i64(r);
        return m->u.timeout_now.last_index < 0 ? -1 : 0;
    case RAFT_MSG_TYPE_END:
        break;
    }
    return -1;
}

int raft_msg_decode(const void *p, size_t len, raft_msg *m)
{
    memset(m, 0, sizeof *m);
    raft_reader r;
    raft_reader_init(&r, p, len);
    uint8_t version = raft_get_u8(&r);
    m->type = raft_get_u8(&r);
    m->term = raft_get_i64(&r);
    if (r.bad || version != RAFT_WIRE_VERSION || m->type < RAFT_MSG_VOTE ||
        m->type >= RAFT_MSG_TYPE_END || m->term < 0) {
        m->type = 0;
        return -1;
    }
    /* Trailing bytes mean the sender and we disagree on the layout. */
    if (raft_get_body(&r, m) != 0 || r.bad || raft_reader_left(&r) != 0) {
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
