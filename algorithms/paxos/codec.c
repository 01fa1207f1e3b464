/* codec.c — Paxos's byte encodings (see codec.h): buffers, hashes,
 * commands and messages. Pure functions; no fl_ctx. */
#include "algorithms/paxos/codec.h"

#include <stdlib.h>
#include <string.h>

/* ---- Hashes ------------------------------------------------------------- */

uint64_t paxos_chain_hash(uint64_t prev, const uint8_t *cmd, size_t len)
{
    uint8_t head[8];
    wire_le_put64(head, prev);
    uint64_t h = wire_fnv(WIRE_FNV_OFFSET, head, sizeof head);
    return wire_mix64(wire_fnv(h, cmd, len));
}

/* ---- Commands ------------------------------------------------------------ */

/* Layouts: NOOP = u8 type, u32 leader. OP = u8 type, u32 client, u64 seq,
 * u8 op kind, u32 key, i64 arg, i64 arg2. VALUE = u8 type, i64 value. */
size_t paxos_cmd_encode(const paxos_cmd *c, uint8_t out[PAXOS_CMD_MAX_BYTES])
{
    out[0] = c->type;
    switch ((paxos_cmd_type)c->type) {
    case PAXOS_CMD_NOOP:
        wire_le_put32(out + 1, (uint32_t)c->client);
        return 5;
    case PAXOS_CMD_VALUE:
        wire_le_put64(out + 1, (uint64_t)c->value);
        return 9;
    case PAXOS_CMD_OP:
        break;
    }
    wire_le_put32(out + 1, (uint32_t)c->client);
    wire_le_put64(out + 5, c->seq);
    out[13] = (uint8_t)c->op.kind;
    wire_le_put32(out + 14, c->op.key);
    wire_le_put64(out + 18, (uint64_t)c->op.arg);
    wire_le_put64(out + 26, (uint64_t)c->op.arg2);
    return PAXOS_CMD_MAX_BYTES;
}

int paxos_cmd_decode(const uint8_t *p, size_t len, paxos_cmd *c)
{
    memset(c, 0, sizeof *c);
    if (len < 1)
        return -1;
    c->type = p[0];
    switch (c->type) {
    case PAXOS_CMD_NOOP:
        if (len != 5)
            return -1;
        c->client = (fl_node_id)wire_le_get32(p + 1);
        return 0;
    case PAXOS_CMD_VALUE:
        if (len != 9)
            return -1;
        c->value = (int64_t)wire_le_get64(p + 1);
        return 0;
    case PAXOS_CMD_OP:
        break;
    default:
        return -1;
    }
    if (len != PAXOS_CMD_MAX_BYTES || p[13] >= FL_OP_KIND_COUNT)
        return -1;
    c->client = (fl_node_id)wire_le_get32(p + 1);
    c->seq = wire_le_get64(p + 5);
    c->op.kind = (fl_op_kind)p[13];
    c->op.key = wire_le_get32(p + 14);
    c->op.arg = (int64_t)wire_le_get64(p + 18);
    c->op.arg2 = (int64_t)wire_le_get64(p + 26);
    return 0;
}

bool paxos_cmd_equal(const paxos_cmd *a, const paxos_cmd *b)
{
    uint8_t x[PAXOS_CMD_MAX_BYTES], y[PAXOS_CMD_MAX_BYTES];
    size_t nx = paxos_cmd_encode(a, x), ny = paxos_cmd_encode(b, y);
    return nx == ny && memcmp(x, y, nx) == 0;
}

uint64_t paxos_cmd_hash(const paxos_cmd *c)
{
    if (c->type == PAXOS_CMD_VALUE)
        return (uint64_t)c->value;
    uint8_t b[PAXOS_CMD_MAX_BYTES];
    size_t n = paxos_cmd_encode(c, b);
    return wire_hash_bytes(b, n);
}

paxos_cmd paxos_cmd_value(int64_t v)
{
    paxos_cmd c;
    memset(&c, 0, sizeof c);
    c.type = PAXOS_CMD_VALUE;
    c.value = v;
    return c;
}

paxos_cmd paxos_cmd_noop(fl_node_id leader)
{
    paxos_cmd c;
    memset(&c, 0, sizeof c);
    c.type = PAXOS_CMD_NOOP;
    c.client = leader;
    return c;
}

/* ---- Messages ------------------------------------------------------------ */

/* Layout: u8 version, u8 type, i64 ballot, u8 ok, i64 promised, i64 slot,
 * u32 n, n entries, u32 nd, nd entries. An entry: i64 slot, i64 ballot,
 * u8 chosen, u8 command length, command bytes. */

#define PAXOS_ENTRY_MIN 19u    /* slot, ballot, chosen, length, 1-byte cmd */

static void paxos_put_entry(wire_buf *b, const paxos_entry *e)
{
    uint8_t cmd[PAXOS_CMD_MAX_BYTES];
    size_t n = paxos_cmd_encode(&e->cmd, cmd);
    wire_put_i64(b, e->slot);
    wire_put_i64(b, e->ballot);
    wire_put_u8(b, e->chosen ? 1 : 0);
    wire_put_u8(b, (uint8_t)n);
    wire_put_bytes(b, cmd, n);
}

static int paxos_get_entry(wire_reader *r, paxos_entry *e)
{
    e->slot = wire_get_i64(r);
    e->ballot = wire_get_i64(r);
    e->chosen = wire_get_u8(r);
    uint8_t n = wire_get_u8(r);
    const uint8_t *cmd = wire_get_bytes(r, n);
    if (!cmd || e->slot < 1 || e->ballot < PAXOS_NO_BALLOT || e->chosen > 1)
        return -1;
    return paxos_cmd_decode(cmd, n, &e->cmd);
}

static void paxos_put_list(wire_buf *b, uint32_t n, const paxos_entry *e)
{
    wire_put_u32(b, n);
    for (uint32_t i = 0; i < n; i++)
        paxos_put_entry(b, &e[i]);
}

int paxos_msg_encode(const paxos_msg *m, wire_buf *b)
{
    b->len = 0;
    b->oom = false;
    wire_put_u8(b, PAXOS_WIRE_VERSION);
    wire_put_u8(b, m->type);
    wire_put_i64(b, m->ballot);
    wire_put_u8(b, m->ok ? 1 : 0);
    wire_put_i64(b, m->promised);
    wire_put_i64(b, m->slot);
    paxos_put_list(b, m->n, m->e);
    paxos_put_list(b, m->nd, m->d);
    return b->oom ? -1 : 0;
}

/* Reads a count and that many entries into a fresh array. */
static int paxos_get_list(wire_reader *r, uint32_t *n, paxos_entry **out)
{
    uint32_t k = wire_get_u32(r);
    /* A garbage count cannot make us allocate more than the bytes left
     * could hold. */
    if (r->bad || k > PAXOS_MAX_ENTRIES ||
        (size_t)k * PAXOS_ENTRY_MIN > wire_reader_left(r))
        return -1;
    *n = k;
    if (k == 0)
        return 0;
    *out = calloc(k, sizeof **out);
    if (!*out)
        return -1;
    for (uint32_t i = 0; i < k; i++)
        if (paxos_get_entry(r, &(*out)[i]) != 0)
            return -1;
    return 0;
}

int paxos_msg_decode(const void *p, size_t len, paxos_msg *m)
{
    memset(m, 0, sizeof *m);
    wire_reader r;
    wire_reader_init(&r, p, len);
    uint8_t version = wire_get_u8(&r);
    m->type = wire_get_u8(&r);
    m->ballot = wire_get_i64(&r);
    m->ok = wire_get_u8(&r);
    m->promised = wire_get_i64(&r);
    m->slot = wire_get_i64(&r);
    if (r.bad || version != PAXOS_WIRE_VERSION ||
        m->type < PAXOS_MSG_PREPARE || m->type >= PAXOS_MSG_TYPE_END ||
        m->ballot < PAXOS_NO_BALLOT || m->promised < PAXOS_NO_BALLOT ||
        m->ok > 1 || m->slot < 0) {
        m->type = 0;
        return -1;
    }
    /* Trailing bytes mean the sender and we disagree on the layout. */
    if (paxos_get_list(&r, &m->n, &m->e) != 0 ||
        paxos_get_list(&r, &m->nd, &m->d) != 0 || r.bad ||
        wire_reader_left(&r) != 0) {
        paxos_msg_free(m);
        return -1;
    }
    return 0;
}

void paxos_msg_free(paxos_msg *m)
{
    free(m->e);
    free(m->d);
    m->e = m->d = NULL;
    m->n = m->nd = 0;
}

const char *paxos_msg_type_name(uint8_t type)
{
    switch ((paxos_msg_type)type) {
    case PAXOS_MSG_PREPARE:  return "Prepare";
    case PAXOS_MSG_PROMISE:  return "Promise";
    case PAXOS_MSG_ACCEPT:   return "Accept";
    case PAXOS_MSG_ACCEPTED: return "Accepted";
    case PAXOS_MSG_CHOSEN:   return "Chosen";
    case PAXOS_MSG_QUERY:    return "Query";
    case PAXOS_MSG_TYPE_END: break;
    }
    return "garbage";
}

/* An Accepted's slots for the contract (contract.h): index = the lowest,
 * count = how many, reported only when they are index..index+count-1. */
static void paxos_describe_slots(const paxos_msg *m, fl_msg_info *info)
{
    if (!m->ok || m->n == 0)
        return;
    int64_t lo = m->e[0].slot, hi = m->e[0].slot;
    for (uint32_t i = 1; i < m->n; i++) {
        if (m->e[i].slot < lo)
            lo = m->e[i].slot;
        if (m->e[i].slot > hi)
            hi = m->e[i].slot;
    }
    if (lo >= 1 && hi - lo + 1 == (int64_t)m->n) {
        info->index = lo;
        info->count = (int64_t)m->n;
    }
}

void paxos_describe(const void *msg, size_t len, fl_msg_info *info)
{
    paxos_msg m;
    info->kind = "garbage";
    info->is_reply = false;
    info->ok = -1;
    info->term = -1;
    if (paxos_msg_decode(msg, len, &m) != 0)
        return;
    info->kind = paxos_msg_type_name(m.type);
    info->term = m.ballot;
    switch ((paxos_msg_type)m.type) {
    case PAXOS_MSG_ACCEPT:
        if (m.n == 0)
            info->kind = "Heartbeat";       /* Multi-Paxos: no proposals */
        break;
    case PAXOS_MSG_ACCEPTED:
        paxos_describe_slots(&m, info);
        /* fall through */
    case PAXOS_MSG_PROMISE:
        info->is_reply = true;
        info->ok = m.ok;
        break;
    case PAXOS_MSG_PREPARE:
    case PAXOS_MSG_CHOSEN:
    case PAXOS_MSG_QUERY:
    case PAXOS_MSG_TYPE_END:
        break;
    }
    paxos_msg_free(&m);
}
