/* queue.h — the event queue: a 4-ary min-heap of events ordered by
 * (time, class, sequence). Faults have the lowest class, so at equal times
 * they fire before deliveries and timers; the sequence number is a counter,
 * so equal (time, class) pairs fire in the order they were scheduled. */
#ifndef FL_QUEUE_H
#define FL_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algorithms/algorithm.h"

typedef enum fl_event_class {
    FL_CLASS_FAULT = 0,
    FL_CLASS_NORMAL = 1,
    FL_CLASS_END = 2        /* the end of the run, after everything at its time */
} fl_event_class;

typedef enum fl_event_type {
    FL_EV_FAULT,            /* u = index of the scenario fault */
    FL_EV_NEMESIS,          /* u = index of the nemesis fault; a = action */
    FL_EV_BOOT,             /* node starts (recovering = u) */
    FL_EV_DELIVER,          /* ptr = struct fl_msg * */
    FL_EV_TIMER,            /* u = timer id */
    FL_EV_RESUME,           /* node: end of a timed pause */
    FL_EV_END
} fl_event_type;

/* 32 bytes, so the heap moves half a cache line per level. */
typedef struct fl_event {
    fl_time    time;
    uint64_t   order;       /* class << 56 | sequence */
    union {
        uint64_t u;
        void    *ptr;
    };
    fl_node_id node;
    int16_t    a;           /* a small code (a nemesis action) */
    uint8_t    type;
} fl_event;

typedef struct fl_queue {
    fl_event *heap;
    size_t    len;          /* events in the heap, a taken root included */
    size_t    cap;
    uint64_t  seq;
    bool      taken;        /* an event was taken (fl_queue_take): the
                             * heap has a hole at `hole`, a leaf, waiting
                             * for the next push or to be removed */
    size_t    hole;
} fl_queue;

void fl_queue_init(fl_queue *q);
void fl_queue_destroy(fl_queue *q);
/* Stamps the sequence number and inserts; -1 if out of memory. Inline
 * with what it needs (below): every event pushes one, and a call would
 * store the event only to load it back wider than it was stored, which
 * stalls the processor's store forwarding. */
static inline int fl_queue_push(fl_queue *q, fl_event *ev, fl_event_class cls);
bool fl_queue_pop(fl_queue *q, fl_event *out);
/* Pops the first event, lazily: the hole it leaves at the root walks
 * down to a leaf at once (the next event is at the root while this one
 * is handled), and the next push fills the hole and rises from there
 * instead of the hole being filled from the last leaf and the pushed
 * event rising (an event that schedules the next one, the common case,
 * costs one pass instead of two). The order in which events come out is
 * the same as with pop. false if empty. */
static inline bool fl_queue_take(fl_queue *q, fl_event *out);
/* fl_queue_settle of a taken root. */
void fl_queue_settle_taken(fl_queue *q);
/* Ends a take that no push followed (every other call does it too).
 * Inline: after every event, where a push usually ended the take. */
static inline void fl_queue_settle(fl_queue *q)
{
    if (q->taken)
        fl_queue_settle_taken(q);
}
/* Events waiting (a taken root not counted). */
static inline size_t fl_queue_len(const fl_queue *q) { return q->len - q->taken; }
static inline bool fl_queue_empty(const fl_queue *q) { return fl_queue_len(q) == 0; }

/* In the heap an event's time is kept with its sign bit flipped, so that
 * unsigned comparison orders signed times (flipped on the way in and out,
 * once per event, not twice per comparison). */
static inline fl_time fl_queue_flip_time(fl_time t)
{
    return (fl_time)((uint64_t)t ^ (UINT64_C(1) << 63));
}

/* Without branches: which child is smaller is a coin toss the branch
 * predictor loses half the time. */
static inline bool fl_queue_before(const fl_event *x, const fl_event *y)
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

/* The heap is 4-ary: the children of i are 4i+1 .. 4i+4. It is half as
 * deep as a binary heap, a node's children share two cache lines, and the
 * smallest of four is found with two independent comparisons and a third,
 * so a walk down is a shorter chain of dependent loads. */
#define FL_QUEUE_ARITY 4

/* Moves the events above the hole at leaf i down while `key` (time and
 * order) comes before them, and returns where the hole ended: fewer
 * comparisons than the textbook sift-down, since a new event usually
 * belongs near the bottom. Keys are unique (the sequence), so the order
 * in which events come out is the same as with any other correct heap. */
static inline size_t fl_queue_rise(fl_event *h, size_t i, const fl_event *key)
{
    while (i > 0) {
        size_t parent = (i - 1) / FL_QUEUE_ARITY;
        if (!fl_queue_before(key, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    return i;
}

/* Puts `x` into the hole at leaf i and sifts it up. */
static inline void fl_queue_sift_up(fl_event *h, size_t i, const fl_event *x)
{
    h[fl_queue_rise(h, i, x)] = *x;
}

/* A slot at the end of the heap; -1 if out of memory. */
int fl_queue_grow(fl_queue *q);

static inline int fl_queue_push(fl_queue *q, fl_event *ev, fl_event_class cls)
{
    size_t i;
    if (q->taken) {              /* into the hole the take left */
        q->taken = false;
        i = q->hole;
    } else {
        if (q->len == q->cap && fl_queue_grow(q) < 0)
            return -1;
        i = q->len++;
    }
    uint64_t order = ((uint64_t)cls << 56) | (q->seq++ & ((UINT64_C(1) << 56) - 1));
    ev->order = order;
    /* The key in registers and the event stored field by field: a copy of
     * the whole struct went through the stack, where loads wider than the
     * stores that built it stall store forwarding. */
    fl_event key = { .time = fl_queue_flip_time(ev->time), .order = order };
    fl_event *h = q->heap;
    i = fl_queue_rise(h, i, &key);
    h[i].time = key.time;
    h[i].order = order;
    h[i].u = ev->u;
    h[i].node = ev->node;
    h[i].a = ev->a;
    h[i].type = ev->type;
    return 0;
}

/* The walk of a taken root's hole down to a leaf: its index. */
size_t fl_queue_walk_hole(fl_queue *q);

static inline bool fl_queue_take(fl_queue *q, fl_event *out)
{
    fl_queue_settle(q);
    if (q->len == 0)
        return false;
    *out = q->heap[0];
    out->time = fl_queue_flip_time(out->time);
    q->taken = true;
    q->hole = fl_queue_walk_hole(q);
    return true;
}

#endif
