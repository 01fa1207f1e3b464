/* msgindex.c — ended messages in sparse time slices (see msgindex.h).
 * A message lands in every slice it touches, unless it touches more than
 * LONG_SLICES of them: such messages (rare: held back for seconds) are kept
 * apart and looked at by every query. */
#include "viz/msgindex.h"

#include <stdlib.h>
#include <string.h>

#include "viz/vec.h"

#define SLICE_NS FL_MS(20)
#define LONG_SLICES 64

typedef struct viz_msgentry {
    uint32_t msg;
    fl_time  from, until;
} viz_msgentry;

struct viz_msgbucket {
    int64_t       slice;
    viz_msgentry *v;
    size_t        n, cap;
};

struct viz_msgspan {
    viz_msgentry e;
};

void viz_msgindex_init(viz_msgindex *x)
{
    memset(x, 0, sizeof *x);
}

void viz_msgindex_destroy(viz_msgindex *x)
{
    for (size_t i = 0; i < x->nbuckets; i++)
        free(x->buckets[i].v);
    free(x->buckets);
    free(x->longs);
    memset(x, 0, sizeof *x);
}

/* The first bucket whose slice is >= s. */
static size_t lower_bound(const viz_msgindex *x, int64_t s)
{
    size_t lo = 0, hi = x->nbuckets;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->buckets[mid].slice < s)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int bucket_insert(viz_msgindex *x, size_t at, int64_t slice)
{
    if (viz_grow(&x->buckets, &x->buckets_cap, x->nbuckets + 1, sizeof *x->buckets) < 0)
        return -1;
    memmove(&x->buckets[at + 1], &x->buckets[at],
            (x->nbuckets - at) * sizeof *x->buckets);
    x->buckets[at] = (viz_msgbucket){ .slice = slice };
    x->nbuckets++;
    return 0;
}

static int bucket_push(viz_msgbucket *b, const viz_msgentry *e)
{
    if (viz_grow(&b->v, &b->cap, b->n + 1, sizeof *b->v) < 0)
        return -1;
    b->v[b->n++] = *e;
    return 0;
}

int viz_msgindex_add(viz_msgindex *x, uint32_t msg, fl_time from, fl_time until)
{
    viz_msgentry e = { .msg = msg, .from = from, .until = until };
    int64_t s0 = from / SLICE_NS, s1 = until / SLICE_NS;
    if (s1 - s0 >= LONG_SLICES) {
        if (viz_grow(&x->longs, &x->longs_cap, x->nlongs + 1, sizeof *x->longs) < 0)
            return -1;
        x->longs[x->nlongs++].e = e;
        return 0;
    }
    size_t i = lower_bound(x, s0);
    for (int64_t s = s0; s <= s1; s++, i++) {
        if ((i == x->nbuckets || x->buckets[i].slice != s) && bucket_insert(x, i, s) < 0)
            return -1;
        if (bucket_push(&x->buckets[i], &e) < 0)
            return -1;
    }
    return 0;
}

static bool overlaps(const viz_msgentry *e, fl_time lo, fl_time hi)
{
    return e->from <= hi && e->until >= lo;
}

void viz_msgindex_each(const viz_msgindex *x, fl_time lo, fl_time hi,
                       bool (*fn)(void *arg, uint32_t msg), void *arg)
{
    if (lo < 0)
        lo = 0;
    if (hi < lo)
        return;
    int64_t s0 = lo / SLICE_NS, s1 = hi / SLICE_NS;
    for (size_t i = lower_bound(x, s0); i < x->nbuckets && x->buckets[i].slice <= s1; i++) {
        const viz_msgbucket *b = &x->buckets[i];
        for (size_t k = 0; k < b->n; k++) {
            const viz_msgentry *e = &b->v[k];
            int64_t first = e->from / SLICE_NS;
            if ((first > s0 ? first : s0) != b->slice || !overlaps(e, lo, hi))
                continue;          /* reported in its first slice in range */
            if (!fn(arg, e->msg))
                return;
        }
    }
    for (size_t i = 0; i < x->nlongs; i++)
        if (overlaps(&x->longs[i].e, lo, hi) && !fn(arg, x->longs[i].e.msg))
            return;
}
