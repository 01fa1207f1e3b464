/* keys.c — the workload's key distributions (see keys.h). */
#include "sim/keys.h"

#include <math.h>
#include <stdlib.h>

const char *const fl_key_dist_names[] = { "uniform", "zipf", NULL };

uint64_t *fl_keys_zipf_table(uint32_t count, double s)
{
    if (count < 1 || count > FL_KEYS_ZIPF_MAX || !(s > 0) || s > FL_KEYS_ZIPF_S_MAX)
        return NULL;
    double *w = malloc((size_t)count * sizeof *w);
    uint64_t *cdf = malloc((size_t)count * sizeof *cdf);
    if (!w || !cdf) {
        free(w);
        free(cdf);
        return NULL;
    }
    /* The normaliser summed smallest term first, to keep its rounding
     * error small; the partial sums from the largest, as the table needs. */
    double total = 0;
    for (uint32_t k = count; k-- > 0;) {
        w[k] = pow((double)k + 1.0, -s);
        total += w[k];
    }
    double partial = 0;
    uint64_t prev = 0;
    for (uint32_t k = 0; k < count; k++) {
        partial += w[k];
        double f = partial / total;
        uint64_t c = f >= 1.0 ? FL_KEYS_ONE : (uint64_t)llround(f * (double)FL_KEYS_ONE);
        if (c < prev)
            c = prev;            /* rounding never makes the table fall */
        cdf[k] = prev = c;
    }
    cdf[count - 1] = FL_KEYS_ONE;
    free(w);
    return cdf;
}

uint32_t fl_keys_pick(const uint64_t *cdf, uint32_t count, uint64_t u)
{
    uint32_t lo = 0, hi = count - 1;    /* cdf[hi] = 2^53 > u */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (u < cdf[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}
