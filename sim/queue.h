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
/* Stamps the sequence number and inserts; -1 if out of memory. */
int  fl_queue_push(fl_queue *q, fl_event *ev, fl_event_class cls);
bool fl_queue_pop(fl_queue *q, fl_event *out);
/* Pops the first event, lazily: the hole it leaves at the root walks
 * down to a leaf at once (the next event is at the root while this one
 * is handled), and the next push fills the hole and rises from there
 * instead of the hole being filled from the last leaf and the pushed
 * event rising (an event that schedules the next one, the common case,
 * costs one pass instead of two). The order in which events come out is
 * the same as with pop. false if empty. */
bool fl_queue_take(fl_queue *q, fl_event *out);
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

#endif
