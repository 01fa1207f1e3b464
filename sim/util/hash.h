/* hash.h — the 64-bit hashes (util room: includes only the C library).
 * FNV-1a over bytes, for names, keys and file contents; a word-at-a-time
 * mix for state and disk digests; and the multiply mix and byte stream of
 * the trace hash (sim/trace.c). All give the same values on every
 * platform, and their values must never change: the scenario hash, the
 * trace hash and the golden list are built from them (the trace hash moved
 * from the word mix to the multiply mix once, in issue 18). */
#ifndef FL_UTIL_HASH_H
#define FL_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define FL_FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define FL_FNV_PRIME  UINT64_C(0x100000001b3)

/* FNV-1a over `n` bytes, continuing from `h` (start: FL_FNV_OFFSET). */
uint64_t fl_fnv1a(uint64_t h, const void *p, size_t n);
/* The same over a NUL-terminated string (its bytes, not the NUL). */
uint64_t fl_fnv1a_str(uint64_t h, const char *s);

/* Folds one 64-bit word into `h`. Inline: the trace hash folds eight or
 * more words per event, and a call per word was a fifth of the message
 * workload's CPU. */
static inline uint64_t fl_hash_u64(uint64_t h, uint64_t v)
{
    h ^= v + UINT64_C(0x9E3779B97F4A7C15) + (h << 6) + (h >> 2);
    h *= UINT64_C(0xBF58476D1CE4E5B9);
    return h ^ (h >> 29);
}

static inline uint64_t fl_hash_load_le64(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);             /* alignment-free */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);            /* the hash reads little-endian */
#endif
    return w;
}

/* Folds `len` bytes into `h`, eight at a time, read little-endian. */
static inline uint64_t fl_hash_bytes(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    while (len >= 8) {
        h = fl_hash_u64(h, fl_hash_load_le64(p));
        p += 8;
        len -= 8;
    }
    uint64_t tail = 0;
    for (size_t i = 0; i < len; i++)
        tail |= (uint64_t)p[i] << (8 * i);
    return fl_hash_u64(h, tail ^ ((uint64_t)len << 56));
}

/* ---- The trace hash's mix (see sim/trace.c) ----------------------------- */

/* The 128-bit product of a and b, its halves XORed: one multiply mixes
 * two words. Exact integer arithmetic, so the same value on every
 * platform and at every optimization level; 32-bit limbs where the
 * compiler has no 128-bit integer. */
static inline uint64_t fl_hash_mum(uint64_t a, uint64_t b)
{
#ifdef __SIZEOF_INT128__
    __extension__ typedef unsigned __int128 fl_u128;
    fl_u128 p = (fl_u128)a * b;
    return (uint64_t)p ^ (uint64_t)(p >> 64);
#else
    uint64_t al = a & 0xffffffffu, ah = a >> 32, bl = b & 0xffffffffu, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
    uint64_t lo = (ll & 0xffffffffu) | (mid << 32);
    uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    return lo ^ hi;
#endif
}

/* 1 to 8 bytes, little-endian, zero-padded. */
static inline uint64_t fl_hash_load_tail(const unsigned char *p, size_t n)
{
    if (n == 8)
        return fl_hash_load_le64(p);
    uint64_t w = 0;
    for (size_t i = 0; i < n; i++)
        w |= (uint64_t)p[i] << (8 * i);
    return w;
}

/* Folds `len` bytes into `acc`, sixteen at a time (two little-endian
 * words per multiply, the last zero-padded; the caller hashes the length
 * elsewhere), keyed by k0 and k1. */
static inline uint64_t fl_hash_stream(uint64_t acc, const void *data, size_t len,
                                      uint64_t k0, uint64_t k1)
{
    const unsigned char *p = data;
    while (len >= 16) {
        acc = fl_hash_mum(acc ^ fl_hash_load_le64(p) ^ k0, fl_hash_load_le64(p + 8) ^ k1);
        p += 16;
        len -= 16;
    }
    if (len > 8)
        acc = fl_hash_mum(acc ^ fl_hash_load_le64(p) ^ k0,
                          fl_hash_load_tail(p + 8, len - 8) ^ k1);
    else if (len)
        acc = fl_hash_mum(acc ^ fl_hash_load_tail(p, len) ^ k0, k1);
    return acc;
}

#endif
