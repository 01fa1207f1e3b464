/* stats.c — the nearest-rank percentile (stats.h). */
#include "sim/util/stats.h"

int64_t fl_percentile(const int64_t *sorted, size_t n, unsigned permille)
{
    if (permille > 1000)
        permille = 1000;
    size_t rank = (size_t)(((uint64_t)permille * n + 999) / 1000);
    return sorted[rank > 0 ? rank - 1 : 0];
}
