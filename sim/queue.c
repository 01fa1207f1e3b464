/* queue.c — 4-ary min-heap of events by (time, class << 56 | sequence). */
#include "sim/queue.h"
#include "sim/util/vec.h"

#include <stdlib.h>

/* In the heap an event's time is kept with its sign bit flipped, so that
 * unsigned comparison orders signed times (flipped on the way in and out,
 * once per event, not twice per comparison). */
#define TIME_FLIP (UINT64_C(1) << 63)

static inline fl_time flip_time(fl_time t)
{
    return (fl_time)((uint64_t)t ^ TIME_FLIP);
}

/* Without branches: which child is smaller is a coin toss the branch
 * predictor loses half the time. */
static inline bool before(const fl_event *x, const fl_event *y)
{
#ifdef __SIZEOF_INT128__
    /* (flipped time, order) as one unsigned 128-bit number: a compare and
     * a subtract-with-borrow. */
    __extension__ typedef unsigned __int128 u128;
    u128 kx = (u128)(uint64_t)x->time << 64 | x->order;
    u128 ky = (u128)(uint64_t)y->time << 64 | y->order;
    return kx < ky;
#else
    uint64_t tx = (uint64_t)x->time, ty = (uint64_t)y->time;
    return (tx < ty) | ((tx == ty) & (x->order < y->order));
#endif
}

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

static int grow(fl_queue *q)
{
    return fl_vec_grow(&q->heap, &q->cap, q->len + 1, sizeof *q->heap, 256);
}

/* The heap is 4-ary: the children of i are 4i+1 .. 4i+4. It is half as
 * deep as a binary heap, a node's children share two cache lines, and the
 * smallest of four is found with two independent comparisons and a third,
 * so a walk down is a shorter chain of dependent loads. */
#define ARITY 4

static inline size_t parent_of(size_t i) { return (i - 1) / ARITY; }

/* The smallest child of i, or n if i has none. */
static inline size_t min_child(const fl_event *h, size_t n, size_t i)
{
    size_t c = ARITY * i + 1;
    if (c + 3 < n) {
        size_t a = c + before(&h[c + 1], &h[c]);
        size_t b = c + 2 + before(&h[c + 3], &h[c + 2]);
        return before(&h[b], &h[a]) ? b : a;
    }
    if (c >= n)
        return n;
    size_t m = c;
    for (size_t k = c + 1; k < n; k++)
        m = before(&h[k], &h[m]) ? k : m;
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

/* Puts `x` into the hole at leaf i and sifts it up (the second half):
 * fewer comparisons than the textbook sift-down, since x usually belongs
 * near the bottom. Keys are unique (the sequence), so the order in which
 * events come out is the same as with any other correct heap. */
static inline void sift_up(fl_event *h, size_t i, const fl_event *x)
{
    while (i > 0) {
        size_t parent = parent_of(i);
        if (!before(x, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = *x;
}

/* Removes a taken root: the last event fills the hole (a leaf, so it
 * only rises), unless the hole is the last slot. */
void fl_queue_settle_taken(fl_queue *q)
{
    q->taken = false;
    size_t n = --q->len;
    if (q->hole != n) {
        const fl_event last = q->heap[n];
        sift_up(q->heap, q->hole, &last);
    }
}

static inline uint64_t stamp(fl_queue *q, fl_event_class cls)
{
    return ((uint64_t)cls << 56) | (q->seq++ & ((UINT64_C(1) << 56) - 1));
}

int fl_queue_push(fl_queue *q, fl_event *ev, fl_event_class cls)
{
    size_t i;
    if (q->taken) {              /* into the hole the take left */
        q->taken = false;
        i = q->hole;
    } else {
        if (q->len == q->cap && grow(q) < 0)
            return -1;
        i = q->len++;
    }
    ev->order = stamp(q, cls);
    fl_event x = *ev;
    x.time = flip_time(ev->time);
    sift_up(q->heap, i, &x);
    return 0;
}

bool fl_queue_take(fl_queue *q, fl_event *out)
{
    fl_queue_settle(q);
    if (q->len == 0)
        return false;
    *out = q->heap[0];
    out->time = flip_time(out->time);
    q->taken = true;
    q->hole = walk_hole(q->heap, q->len);
    return true;
}

bool fl_queue_pop(fl_queue *q, fl_event *out)
{
    if (!fl_queue_take(q, out))
        return false;
    fl_queue_settle(q);
    return true;
}
