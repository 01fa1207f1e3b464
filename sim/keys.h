/* keys.h — which key a client's next operation uses: uniform over the
 * workload's `count` keys (as every scenario drew before skewed keys
 * existed), or Zipf with exponent s (key k, counting from 0, with
 * probability proportional to 1/(k+1)^s). The Zipf table is a cumulative
 * distribution over the keys in fixed point, built once when the scenario
 * is loaded; a draw is one 53-bit integer from the client's own seeded
 * stream and a binary search, so no floating point touches a run. GSL has
 * no Zipf distribution; building the table is the only floating-point
 * step, and it depends on the scenario alone. */
#ifndef FL_KEYS_H
#define FL_KEYS_H

#include <stddef.h>
#include <stdint.h>

typedef enum fl_key_dist {
    FL_KEYS_UNIFORM,
    FL_KEYS_ZIPF
} fl_key_dist;

#define FL_KEYS_ZIPF_MAX   (UINT32_C(1) << 20)  /* keys in a Zipf table (8 MiB) */
#define FL_KEYS_ZIPF_S_MAX 10.0                 /* exponents in (0, 10] */
#define FL_KEYS_ONE        (UINT64_C(1) << 53)  /* probability 1 in the table */

/* "uniform", "zipf", NULL: indexed by fl_key_dist. */
extern const char *const fl_key_dist_names[];

/* The table for `count` keys (1 .. FL_KEYS_ZIPF_MAX) and exponent s (in
 * (0, FL_KEYS_ZIPF_S_MAX]): cdf[k] = P(key <= k) * 2^53, rounded, so
 * cdf[count - 1] = 2^53 and the table never decreases. NULL if out of
 * memory or the arguments are out of range. Free with free(). */
uint64_t *fl_keys_zipf_table(uint32_t count, double s);

/* The key a 53-bit uniform integer u (0 <= u < 2^53) picks: the smallest
 * k with u < cdf[k]. */
uint32_t fl_keys_pick(const uint64_t *cdf, uint32_t count, uint64_t u);

#endif
