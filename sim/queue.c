/* queue.c — 4-ary min-heap of events by (time, class << 56 | sequence). */
#include "sim/queue.h"
#include "sim/util/vec.h"

#include <stdlib.h>

void fl_queue_init(fl_queue *q)
{
    q->heap = NULL;
    q->len = q->cap = 0;
    q->seq = 0;
    q->taken = false;
    q->hole = 0;
}

void fl_queue_destroy(fl_queue *q)
{
    free(q->heap);
    fl_queue_init(q);
}

int fl_queue_grow(fl_queue *q)
{
    return fl_vec_grow(&q->heap, &q->cap, q->len + 1, sizeof *q->heap, 256);
}

/* The smallest child of i, or n if i has none. */
static inline size_t min_child(const fl_event *h, size_t n, size_t i)
{
    size_t c = FL_QUEUE_ARITY * i + 1;
    if (c + 3 < n) {
        size_t a = c + fl_queue_before(&h[c + 1], &h[c]);
        size_t b = c + 2 + fl_queue_before(&h[c + 3], &h[c + 2]);
        return fl_queue_before(&h[b], &h[a]) ? b : a;
    }
    if (c >= n)
        return n;
    size_t m = c;
    for (size_t k = c + 1; k < n; k++)
        m = fl_queue_before(&h[k], &h[m]) ? k : m;
    return m;
}

/* Walks the hole at the root of the n-event heap h[0..n) down along the
 * smallest children to a leaf (the first half of Floyd's method): its
 * index. The walk does not depend on the event that will fill the hole,
 * so fl_queue_take does it at once, while the event is being handled,
 * and the next event is at the root before the handler pushes anything. */
static inline size_t walk_hole(fl_event *h, size_t n)
{
    size_t i = 0;
    for (size_t c; (c = min_child(h, n, i)) < n; i = c)
        h[i] = h[c];
    return i;
}

/* Removes a taken root: the last event fills the hole (a leaf, so it
 * only rises), unless the hole is the last slot. */
void fl_queue_settle_taken(fl_queue *q)
{
    q->taken = false;
    size_t n = --q->len;
    if (q->hole != n) {
        const fl_event last = q->heap[n];
        fl_queue_sift_up(q->heap, q->hole, &last);
    }
}

size_t fl_queue_walk_hole(fl_queue *q)
{
    return walk_hole(q->heap, q->len);
}

bool fl_queue_pop(fl_queue *q, fl_event *out)
{
    if (!fl_queue_take(q, out))
        return false;
    fl_queue_settle(q);
    return true;
}
