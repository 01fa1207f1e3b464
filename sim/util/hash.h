/* hash.h — the 64-bit hashes, one of each (util room: includes only the C
 * library). FNV-1a over bytes, for names, keys and file contents; and the
 * word-at-a-time mix that folds records into the trace hash. Both give the
 * same values on every platform: the trace hash and the scenario hash are
 * built from them, so their values must never change. */
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

#endif
