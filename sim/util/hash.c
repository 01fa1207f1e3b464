/* hash.c — FNV-1a (hash.h; the trace's word mix is inline there). */
#include "sim/util/hash.h"


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
