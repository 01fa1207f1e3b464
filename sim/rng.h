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

/* A generator's state (what r->state points to for fl_rng_new's type):
 * xoshiro's four words, then fl_rng_between's remainder by its last span,
 * kept so that the draws of one span (a node picking a peer, every
 * message) cost a multiply where they cost two divisions. The cache is
 * derived from the span alone: it never changes a draw. */
typedef struct fl_rng_state {
    uint64_t s[4];
    uint64_t mod_n;          /* the span + 1 the fields below are for; 0 none */
    uint64_t mod_limit;      /* draws at or above it are rejected */
    uint64_t mod_mlo, mod_mhi; /* ceil(2^128 / mod_n) mod 2^128 (Lemire) */
} fl_rng_state;

/* Fills the cache of `st` for n >= 1 (rng.c). */
void fl_rng_mod_prepare(fl_rng_state *st, uint64_t n);

/* v % st->mod_n without a division: Lemire, Kaser and Kurz, "Faster
 * remainder by direct computation" (2019), with N = 64 and F = 128
 * fractional bits, exact for every 64-bit v and divisor. */
static inline uint64_t fl_rng_mod(const fl_rng_state *st, uint64_t v)
{
#ifdef __SIZEOF_INT128__
    __extension__ typedef unsigned __int128 u128;
    u128 m = (u128)st->mod_mhi << 64 | st->mod_mlo;
    u128 low = m * v;                       /* the fraction, mod 2^128 */
    u128 bottom = ((u128)(uint64_t)low * st->mod_n) >> 64;
    u128 top = (u128)(uint64_t)(low >> 64) * st->mod_n;
    return (uint64_t)((top + bottom) >> 64);
#else
    return v % st->mod_n;
#endif
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

/* Uniform integer in [lo, hi], unbiased, from a generator's state
 * (r->state, which a hot path keeps to save a dependent load). */
static inline int64_t fl_rng_state_between(fl_rng_state *st, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    if (span == UINT64_MAX)
        return (int64_t)fl_xoshiro_next(st->s);
    if (st->mod_n != span + 1)
        fl_rng_mod_prepare(st, span + 1);
    /* the same draws as v % n over v < UINT64_MAX - UINT64_MAX % n */
    uint64_t v;
    do {
        v = fl_xoshiro_next(st->s);
    } while (v >= st->mod_limit);
    return (int64_t)((uint64_t)lo + fl_rng_mod(st, v));
}

/* Uniform integer in [lo, hi], unbiased. */
static inline int64_t fl_rng_between(gsl_rng *r, int64_t lo, int64_t hi)
{
    return fl_rng_state_between(r->state, lo, hi);
}

/* What fl_rng_uniform(r) returns, from r->state. */
static inline double fl_rng_state_uniform(fl_rng_state *st)
{
    return (double)(fl_xoshiro_next(st->s) >> 11) * 0x1.0p-53;
}

#endif
