/* msgindex.h — ended messages by the time they were on screen, so that a
 * frame asks only for the messages around its instant or span. Only time
 * that holds messages costs memory or lookups: a trace with long idle
 * stretches (or a crafted one with a huge time span) costs what its
 * messages cost, never what its simulated time spans. */
#ifndef FL_VIZ_MSGINDEX_H
#define FL_VIZ_MSGINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/algorithm.h"

typedef struct viz_msgbucket viz_msgbucket;
typedef struct viz_msgspan viz_msgspan;

typedef struct viz_msgindex {
    viz_msgbucket *buckets;     /* non-empty time slices, by start time */
    size_t         nbuckets, buckets_cap;
    viz_msgspan   *longs;       /* messages spanning many slices */
    size_t         nlongs, longs_cap;
} viz_msgindex;

void viz_msgindex_init(viz_msgindex *x);
void viz_msgindex_destroy(viz_msgindex *x);

/* Records message `msg`, on screen from `from` to `until` (from <= until,
 * both >= 0). Cheapest when `until` never decreases from call to call.
 * 0, or -1 when out of memory. */
int viz_msgindex_add(viz_msgindex *x, uint32_t msg, fl_time from, fl_time until);

/* Calls fn for every message whose span overlaps [lo, hi], each once: the
 * short ones in time order, then the long ones in the order they were
 * added. Stops when fn returns false. */
void viz_msgindex_each(const viz_msgindex *x, fl_time lo, fl_time hi,
                       bool (*fn)(void *arg, uint32_t msg), void *arg);

#endif
