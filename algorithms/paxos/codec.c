/* codec.c — Paxos's byte encodings (see codec.h): buffers, hashes,
 * commands and messages. Pure functions; no fl_ctx. */
#include "algorithms/paxos/codec.h"

#include <stdlib.h>
#include <string.h>

/* ---- Byte buffers ------------------------------------------------------- */

void paxos_buf_init(paxos_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->oom = false;
}

void paxos_buf_free(paxos_buf *b)
{
    free(b->data);
    paxos_buf_init(b);
}

static bool paxos_buf_reserve(paxos_buf *b, size_t extra)
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

bool paxos_array_grow(void **arr, size_t *cap, size_t need, size_t elem)
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

void paxos_put_bytes(paxos_buf *b, const void *p, size_t n)
{
    if (n == 0 || !paxos_buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void paxos_put_u8(paxos_buf *b, uint8_t v)
{
    paxos_put_bytes(b, &v, 1);
}

void paxos_put_u32(paxos_buf *b, uint32_t v)
{
    uint8_t t[4];
    paxos_le_put32(t, v);
    paxos_put_bytes(b, t, sizeof t);
}

void paxos_put_u64(paxos_buf *b, uint64_t v)
{
    uint8_t t[8];
    paxos_le_put64(t, v);
    paxos_put_bytes(b, t, sizeof t);
}

void paxos_put_i64(paxos_buf *b, int64_t v)
{
    paxos_put_u64(b, (uint64_t)v);
}

void paxos_reader_init(paxos_reader *r, const void *p, size_t len)
{
    r->p = p;
    r->len = p ? len : 0;
    r->pos = 0;
    r->bad = false;
}

size_t paxos_reader_left(const paxos_reader *r)
{
    return r->len - r->pos;
}

const uint8_t *paxos_get_bytes(paxos_reader *r, size_t n)
{
    if (r->bad || paxos_reader_left(r) < n) {
        r->bad = true;
        return NULL;
    }
    const uint8_t *p = r->p + r->pos;
    r->pos += n;
    return p;
}

uint8_t paxos_get_u8(paxos_reader *r)
{
    const uint8_t *p = paxos_get_bytes(r, 1);
    return p ? p[0] : 0;
}

uint32_t paxos_get_u32(paxos_reader *r)
{
    const uint8_t *p = paxos_get_bytes(r, 4);
    return p ? paxos_le_get32(p) : 0;
}

uint64_t paxos_get_u64(paxos_reader *r)
{
    const uint8_t *p = paxos_get_bytes(r, 8);
    return p ? paxos_le_get64(p) : 0;
}

int64_t paxos_get_i64(paxos_reader *r)
{
    return (int64_t)paxos_get_u64(r);
}

void paxos_le_put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

uint64_t paxos_le_get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

void paxos_le_put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

uint32_t paxos_le_get32(const uint8_t *p)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* ---- Hashes ------------------------------------------------------------- */

#define PAXOS_FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define PAXOS_FNV_PRIME  UINT64_C(0x100000001b3)

static uint64_t paxos_fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= PAXOS_FNV_PRIME;
    }
    return h;
}

/* The SplitMix64 finalizer: spreads FNV's weak low bits. */
static uint64_t paxos_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

uint64_t paxos_hash_bytes(const void *p, size_t n)
{
    return paxos_mix64(paxos_fnv(PAXOS_FNV_OFFSET, p, n));
}

uint64_t paxos_chain_hash(uint64_t prev, const uint8_t *cmd, size_t len)
{
    uint8_t head[8];
    paxos_le_put64(head, prev);
    uint64_t h = paxos_fnv(PAXOS_FNV_OFFSET, head, sizeof head);
    return paxos_mix64(paxos_fnv(h, cmd, len));
}

/* ---- Commands ------------------------------------------------------------ */

/* Layouts: NOOP = u8 type, u32 leader. OP = u8 type, u32 client, u64 seq,
 * u8 op kind, u32 key, i64 arg, i64 arg2. VALUE = u8 type, i64 value. */
size_t paxos_cmd_encode(const paxos_cmd *c, uint8_t out[PAXOS_CMD_MAX_BYTES])
{
    out[0] = c->type;
    switch ((paxos_cmd_type)c->type) {
    case PAXOS_CMD_NOOP:
        paxos_le_put32(out + 1, (uint32_t)c->client);
        return 5;
    case PAXOS_CMD_VALUE:
        paxos_le_put64(out + 1, (uint64_t)c->value);
        return 9;
    case PAXOS_CMD_OP:
        break;
    }
    paxos_le_put32(out + 1, (uint32_t)c->client);
    paxos_le_put64(out + 5, c->seq);
    out[13] = (uint8_t)c->op.kind;
    paxos_le_put32(out + 14, c->op.key);
    paxos_le_put64(out + 18, (uint64_t)c->op.arg);
    paxos_le_put64(out + 26, (uint64_t)c->op.arg2);
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
        c->client = (fl_node_id)paxos_le_get32(p + 1);
        return 0;
    case PAXOS_CMD_VALUE:
        if (len != 9)
            return -1;
        c->value = (int64_t)paxos_le_get64(p + 1);
        return 0;
    case PAXOS_CMD_OP:
        break;
    default:
        return -1;
    }
    if (len != PAXOS_CMD_MAX_BYTES || p[13] >= FL_OP_KIND_COUNT)
        return -1;
    c->client = (fl_node_id)paxos_le_get32(p + 1);
    c->seq = paxos_le_get64(p + 5);
    c->op.kind = (fl_op_kind)p[13];
    c->op.key = paxos_le_get32(p + 14);
    c->op.arg = (int64_t)paxos_le_get64(p + 18);
    c->op.arg2 = (int64_t)paxos_le_get64(p + 26);
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
    return paxos_hash_bytes(b, n);
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

static void paxos_put_entry(paxos_buf *b, const paxos_entry *e)
{
    uint8_t cmd[PAXOS_CMD_MAX_BYTES];
    size_t n = paxos_cmd_encode(&e->cmd, cmd);
    paxos_put_i64(b, e->slot);
    paxos_put_i64(b, e->ballot);
    paxos_put_u8(b, e->chosen ? 1 : 0);
    paxos_put_u8(b, (uint8_t)n);
    paxos_put_bytes(b, cmd, n);
}

static int paxos_get_entry(paxos_reader *r, paxos_entry *e)
{
    e->slot = paxos_get_i64(r);
    e->ballot = paxos_get_i64(r);
    e->chosen = paxos_get_u8(r);
    uint8_t n = paxos_get_u8(r);
    const uint8_t *cmd = paxos_get_bytes(r, n);
    if (!cmd || e->slot < 1 || e->ballot < PAXOS_NO_BALLOT || e->chosen > 1)
        return -1;
    return paxos_cmd_decode(cmd, n, &e->cmd);
}

static void paxos_put_list(paxos_buf *b, uint32_t n, const paxos_entry *e)
{
    paxos_put_u32(b, n);
    for (uint32_t i = 0; i < n; i++)
        paxos_put_entry(b, &e[i]);
}

int paxos_msg_encode(const paxos_msg *m, paxos_buf *b)
{
    b->len = 0;
    b->oom = false;
    paxos_put_u8(b, PAXOS_WIRE_VERSION);
    paxos_put_u8(b, m->type);
    paxos_put_i64(b, m->ballot);
    paxos_put_u8(b, m->ok ? 1 : 0);
    paxos_put_i64(b, m->promised);
    paxos_put_i64(b, m->slot);
    paxos_put_list(b, m->n, m->e);
    paxos_put_list(b, m->nd, m->d);
    return b->oom ? -1 : 0;
}

/* Reads a count and that many entries into a fresh array. */
static int paxos_get_list(paxos_reader *r, uint32_t *n, paxos_entry **out)
{
    uint32_t k = paxos_get_u32(r);
    /* A garbage count cannot make us allocate more than the bytes left
     * could hold. */
    if (r->bad || k > PAXOS_MAX_ENTRIES ||
        (size_t)k * PAXOS_ENTRY_MIN > paxos_reader_left(r))
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
    paxos_reader r;
    paxos_reader_init(&r, p, len);
    uint8_t version = paxos_get_u8(&r);
    m->type = paxos_get_u8(&r);
    m->ballot = paxos_get_i64(&r);
    m->ok = paxos_get_u8(&r);
    m->promised = paxos_get_i64(&r);
    m->slot = paxos_get_i64(&r);
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
        paxos_reader_left(&r) != 0) {
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
    case PAXOS_MSG_PROMISE:
    case PAXOS_MSG_ACCEPTED:
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
