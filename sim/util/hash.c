/* hash.c — FNV-1a and the trace's word mix (hash.h). */
#include "sim/util/hash.h"

#include <string.h>

uint64_t fl_fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= FL_FNV_PRIME;
    }
    return h;
}

uint64_t fl_fnv1a_str(uint64_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * FL_FNV_PRIME;
    return h;
}

uint64_t fl_hash_u64(uint64_t h, uint64_t v)
{
    h ^= v + UINT64_C(0x9E3779B97F4A7C15) + (h << 6) + (h >> 2);
    h *= UINT64_C(0xBF58476D1CE4E5B9);
    return h ^ (h >> 29);
}

static inline uint64_t load_le64(const uint8_t *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);             /* alignment-free */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);            /* the hash reads little-endian */
#endif
    return w;
}

uint64_t fl_hash_bytes(uint64_t h, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len >= 8) {
        h = fl_hash_u64(h, load_le64(p));
        p += 8;
        len -= 8;
    }
    uint64_t tail = 0;
    for (size_t i = 0; i < len; i++)
        tail |= (uint64_t)p[i] << (8 * i);
    return fl_hash_u64(h, tail ^ ((uint64_t)len << 56));
}
