/* hash.h — the 64-bit hashes, one of each (util room: includes only the C
 * library). FNV-1a over bytes, for names, keys and file contents; and the
 * word-at-a-time mix that folds records into the trace hash. Both give the
 * same values on every platform: the trace hash and the scenario hash are
 * built from them, so their values must never change. */
#ifndef FL_UTIL_HASH_H
#define FL_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

#define FL_FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define FL_FNV_PRIME  UINT64_C(0x100000001b3)

/* FNV-1a over `n` bytes, continuing from `h` (start: FL_FNV_OFFSET). */
uint64_t fl_fnv1a(uint64_t h, const void *p, size_t n);
/* The same over a NUL-terminated string (its bytes, not the NUL). */
uint64_t fl_fnv1a_str(uint64_t h, const char *s);

/* Folds one 64-bit word into `h`. */
uint64_t fl_hash_u64(uint64_t h, uint64_t v);
/* Folds `len` bytes into `h`, eight at a time, read little-endian. */
uint64_t fl_hash_bytes(uint64_t h, const void *data, size_t len);

#endif
