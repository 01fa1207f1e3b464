/* wire.h — byte encodings shared by the built-in algorithms: a
 * little-endian buffer writer, a bounds-checked reader, fixed-width helpers
 * for disk headers, array growth and a 64-bit hash. Each algorithm keeps
 * its own message formats on top of these; like the algorithms, this
 * knows nothing of the engine and sees only algorithm.h.
 *
 * Layouts are explicit little-endian fields; nothing is ever copied from a
 * struct, so padding and pointers never reach the network or the disk. A
 * reader that runs past the end sets `bad` and returns zeros. */
#ifndef FL_WIRE_H
#define FL_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- Byte buffers ------------------------------------------------------- */

typedef struct wire_buf {
    uint8_t *data;
    size_t   len;
    size_t   cap;
    bool     oom;          /* an allocation failed; the contents are partial */
} wire_buf;

void wire_buf_init(wire_buf *b);
void wire_buf_free(wire_buf *b);
void wire_put_u8(wire_buf *b, uint8_t v);
void wire_put_u32(wire_buf *b, uint32_t v);
void wire_put_u64(wire_buf *b, uint64_t v);
void wire_put_i64(wire_buf *b, int64_t v);
void wire_put_bytes(wire_buf *b, const void *p, size_t n);

/* Grows a malloc'd array to hold `need` elements of `elem` bytes (doubling).
 * False, with the array untouched, when out of memory. */
bool wire_array_grow(void **arr, size_t *cap, size_t need, size_t elem);

typedef struct wire_reader {
    const uint8_t *p;
    size_t         len;
    size_t         pos;
    bool           bad;    /* a read ran past the end */
} wire_reader;

void     wire_reader_init(wire_reader *r, const void *p, size_t len);

/* Plain fixed-width little-endian helpers for disk headers. Inline, as
 * are the reader's gets below: every message and log record goes through
 * them (a sixth of the Raft bench's instructions as calls). */
static inline void wire_le_put64(uint8_t *p, uint64_t v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    memcpy(p, &v, sizeof v);
}

static inline uint64_t wire_le_get64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

static inline void wire_le_put32(uint8_t *p, uint32_t v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    memcpy(p, &v, sizeof v);
}

static inline uint32_t wire_le_get32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    return v;
}

static inline size_t wire_reader_left(const wire_reader *r)
{
    return r->len - r->pos;
}

/* Points into the buffer (no copy); NULL and `bad` if short. */
static inline const uint8_t *wire_get_bytes(wire_reader *r, size_t n)
{
    if (r->bad || wire_reader_left(r) < n) {
        r->bad = true;
        return NULL;
    }
    const uint8_t *p = r->p + r->pos;
    r->pos += n;
    return p;
}

static inline uint8_t wire_get_u8(wire_reader *r)
{
    const uint8_t *p = wire_get_bytes(r, 1);
    return p ? p[0] : 0;
}

static inline uint32_t wire_get_u32(wire_reader *r)
{
    const uint8_t *p = wire_get_bytes(r, 4);
    return p ? wire_le_get32(p) : 0;
}

static inline uint64_t wire_get_u64(wire_reader *r)
{
    const uint8_t *p = wire_get_bytes(r, 8);
    return p ? wire_le_get64(p) : 0;
}

static inline int64_t wire_get_i64(wire_reader *r)
{
    return (int64_t)wire_get_u64(r);
}

/* ---- Hashes ------------------------------------------------------------- */

#define WIRE_FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define WIRE_FNV_PRIME  UINT64_C(0x100000001b3)

/* FNV-1a over `n` bytes, continuing from `h` (start: WIRE_FNV_OFFSET). */
uint64_t wire_fnv(uint64_t h, const void *p, size_t n);
/* The SplitMix64 finalizer: spreads FNV's weak low bits. */
uint64_t wire_mix64(uint64_t z);
uint64_t wire_hash_bytes(const void *p, size_t n);        /* FNV-1a + mix64 */

#endif
