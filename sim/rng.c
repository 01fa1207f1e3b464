/* rng.c — SplitMix64 stream derivation and xoshiro256** as a gsl_rng_type. */
#include "sim/rng.h"

#include <string.h>

typedef fl_rng_state xoshiro_state;

uint64_t fl_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint64_t xoshiro_next(xoshiro_state *x)
{
    return fl_xoshiro_next(x->s);
}

static void xoshiro_seed(xoshiro_state *x, uint64_t seed)
{
    x->mod_n = 0;                     /* no cached span */
    uint64_t sm = seed;
    for (int i = 0; i < 4; i++)
        x->s[i] = fl_splitmix64(&sm);
}

/* GSL's seed is an unsigned long: 64 bits on the LP64 systems we support. */
static void gsl_set(void *state, unsigned long seed)
{
    xoshiro_seed(state, (uint64_t)seed);
}

static unsigned long gsl_get(void *state)
{
    return (unsigned long)xoshiro_next(state);
}

static double gsl_get_double(void *state)
{
    return (double)(xoshiro_next(state) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xoshiro_type = {
    "xoshiro256**",
    (unsigned long)UINT64_MAX,
    0,
    sizeof(xoshiro_state),
    gsl_set,
    gsl_get,
    gsl_get_double,
};

const gsl_rng_type *const fl_rng_xoshiro256ss = &xoshiro_type;

gsl_rng *fl_rng_new(uint64_t master, uint64_t stream)
{
    gsl_rng *r = gsl_rng_alloc(fl_rng_xoshiro256ss);
    if (!r)
        return NULL;
    /* SplitMix64(master, stream): mix the stream id in, then expand. */
    uint64_t sm = stream;
    uint64_t key = master ^ fl_splitmix64(&sm);
    xoshiro_seed(r->state, key);
    return r;
}

void fl_rng_mod_prepare(fl_rng_state *st, uint64_t n)
{
    st->mod_n = n;
    st->mod_limit = UINT64_MAX - UINT64_MAX % n;
#ifdef __SIZEOF_INT128__
    __extension__ typedef unsigned __int128 u128;
    u128 m = ~(u128)0 / n + 1;             /* n = 1: 2^128 wraps to 0, v % 1 = 0 */
    st->mod_mlo = (uint64_t)m;
    st->mod_mhi = (uint64_t)(m >> 64);
#else
    st->mod_mlo = st->mod_mhi = 0;
#endif
}
