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

/* xoshiro256** over the four words of a generator's state. Inline, with
 * the draws below: they are on every message's path. */
static inline uint64_t fl_xoshiro_next(uint64_t *s)
{
    uint64_t x = s[1] * 5, t = s[1] << 17;
    uint64_t result = ((x << 7) | (x >> 57)) * 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
}

/* The draws of a generator made by fl_rng_new (only those: they read its
 * state as xoshiro's). */
static inline uint64_t fl_rng_u64(gsl_rng *r)
{
    return fl_xoshiro_next(r->state);
}

/* What gsl_rng_uniform(r) returns, in [0, 1), without GSL's indirect call. */
static inline double fl_rng_uniform(gsl_rng *r)
{
    return (double)(fl_xoshiro_next(r->state) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [lo, hi], unbiased. */
static inline int64_t fl_rng_between(gsl_rng *r, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    if (span == UINT64_MAX)
        return (int64_t)fl_rng_u64(r);
    uint64_t n = span + 1;
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t v;
    do {
        v = fl_rng_u64(r);
    } while (v >= limit);
    return (int64_t)((uint64_t)lo + v % n);
}

#endif
