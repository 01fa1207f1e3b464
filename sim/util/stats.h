/* stats.h — percentiles, one definition for every figure faultline writes
 * (experiments' summaries and latency tables): the nearest rank, the
 * smallest sample with at least p of the samples at or below it. Integer
 * arithmetic only, so a CSV is the same bytes whatever a compiler does with
 * floating point (GSL's quantile interpolates in doubles; a percentile of
 * measured latencies is conventionally a sample that occurred). Util room:
 * includes only the C library. */
#ifndef FL_UTIL_STATS_H
#define FL_UTIL_STATS_H

#include <stddef.h>
#include <stdint.h>

/* The `permille`/1000 percentile of `n` > 0 ascending samples (500: the
 * median, 999: p99.9); permille 0 gives the smallest. */
int64_t fl_percentile(const int64_t *sorted, size_t n, unsigned permille);

#endif
