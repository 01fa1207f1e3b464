/* wire.c — the byte encodings shared by the built-in algorithms (see
 * wire.h). Pure functions; no fl_ctx. */
#include "algorithms/wire/wire.h"

#include <stdlib.h>
#include <string.h>

/* ---- Byte buffers ------------------------------------------------------- */

void wire_buf_init(wire_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->oom = false;
}

void wire_buf_free(wire_buf *b)
{
    free(b->data);
    wire_buf_init(b);
}

static bool wire_buf_reserve(wire_buf *b, size_t extra)
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

bool wire_array_grow(void **arr, size_t *cap, size_t need, size_t elem)
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

void wire_put_bytes(wire_buf *b, const void *p, size_t n)
{
    if (n == 0 || !wire_buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void wire_put_u8(wire_buf *b, uint8_t v)
{
    wire_put_bytes(b, &v, 1);
}

void wire_put_u32(wire_buf *b, uint32_t v)
{
    if (!wire_buf_reserve(b, 4))
        return;
    wire_le_put32(b->data + b->len, v);
    b->len += 4;
}

void wire_put_u64(wire_buf *b, uint64_t v)
{
    if (!wire_buf_reserve(b, 8))
        return;
    wire_le_put64(b->data + b->len, v);
    b->len += 8;
}

void wire_put_i64(wire_buf *b, int64_t v)
{
    wire_put_u64(b, (uint64_t)v);
}

void wire_reader_init(wire_reader *r, const void *p, size_t len)
{
    r->p = p;
    r->len = p ? len : 0;
    r->pos = 0;
    r->bad = false;
}

/* ---- Hashes ------------------------------------------------------------- */

uint64_t wire_fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= WIRE_FNV_PRIME;
    }
    return h;
}

/* The SplitMix64 finalizer: spreads FNV's weak low bits. */
uint64_t wire_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

uint64_t wire_hash_bytes(const void *p, size_t n)
{
    return wire_mix64(wire_fnv(WIRE_FNV_OFFSET, p, n));
}
