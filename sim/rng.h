/* rng.h — random streams. One 64-bit master seed derives an independent
 * stream per purpose with SplitMix64(master, stream id); each stream is a
 * xoshiro256** generator wrapped as a GSL `gsl_rng_type`, so GSL's
 * distributions draw from it and every bit of the seed matters. */
#ifndef FL_RNG_H
#define FL_RNG_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

/* Stream ids: distinct per purpose, so adding a client does not move any
 * link's draws. */
#define FL_STREAM_FAULTS         UINT64_C(0x1)
#define FL_STREAM_NODE(n)        ((UINT64_C(0x2) << 56) | (uint64_t)(uint32_t)(n))
#define FL_STREAM_LINK(from, to) ((UINT64_C(0x3) << 56) | \
                                  ((uint64_t)(uint32_t)(from) << 24) | (uint64_t)(uint32_t)(to))
#define FL_STREAM_CLIENT(n)      ((UINT64_C(0x4) << 56) | (uint64_t)(uint32_t)(n))
#define FL_STREAM_DISK(n)        ((UINT64_C(0x5) << 56) | (uint64_t)(uint32_t)(n))

extern const gsl_rng_type *const fl_rng_xoshiro256ss;

uint64_t fl_splitmix64(uint64_t *state);
/* A generator for `stream` of `master`; NULL if out of memory. Free with
 * gsl_rng_free. */
gsl_rng *fl_rng_new(uint64_t master, uint64_t stream);
uint64_t fl_rng_u64(gsl_rng *r);
/* Uniform integer in [lo, hi], unbiased. */
int64_t fl_rng_between(gsl_rng *r, int64_t lo, int64_t hi);

#endif
