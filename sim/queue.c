/* queue.c — binary min-heap of events by (time, class << 56 | sequence). */
#include "sim/queue.h"
#include "sim/util/vec.h"

#include <stdlib.h>

static inline bool before(const fl_event *x, const fl_event *y)
{
    if (x->time != y->time)
        return x->time < y->time;
    return x->order < y->order;
}

void fl_queue_init(fl_queue *q)
{
    q->heap = NULL;
    q->len = q->cap = 0;
    q->seq = 0;
}

void fl_queue_destroy(fl_queue *q)
{
    free(q->heap);
    fl_queue_init(q);
}

static int grow(fl_queue *q)
{
    return fl_vec_grow(&q->heap, &q->cap, q->len + 1, sizeof *q->heap, 256);
}

int fl_queue_push(fl_queue *q, fl_event *ev, fl_event_class cls)
{
    if (q->len == q->cap && grow(q) < 0)
        return -1;
    ev->order = ((uint64_t)cls << 56) | (q->seq++ & ((UINT64_C(1) << 56) - 1));
    size_t i = q->len++;
    fl_event *h = q->heap;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(ev, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = *ev;
    return 0;
}

/* Removes the root by walking the hole down along the smaller children to
 * a leaf, then sifting the last event up from there (Floyd): about half the
 * comparisons of the textbook sift-down, since the last event usually
 * belongs near the bottom. Keys are unique (the sequence), so the order in
 * which events come out is the same as with any other correct heap. */
bool fl_queue_pop(fl_queue *q, fl_event *out)
{
    if (q->len == 0)
        return false;
    fl_event *h = q->heap;
    *out = h[0];
    size_t n = --q->len;
    if (n == 0)
        return true;
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && before(&h[c + 1], &h[c]))
            c++;
        h[i] = h[c];
        i = c;
    }
    const fl_event last = h[n];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(&last, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = last;
    return true;
}
