/* heap_baseline.c — see heap_baseline.h. The heap is the textbook binary
 * one (sift up on push, sift down on pop, over a flat array of 24-byte
 * events), one pop and one push per event, with an xoshiro256** draw per
 * message where the engine draws twice (the receiver, the latency). The
 * engine's own queue is cleverer (sim/queue.c: the root replaced in place,
 * Floyd's walk, branch-free comparisons); this is the plain heap the
 * target was set against. */
#include "bench/heap_baseline.h"

#include <stdlib.h>

typedef struct hb_event {
    int64_t  time;
    uint64_t seq;
    uint32_t node;
    uint32_t cookie;
} hb_event;

typedef struct hb_heap {
    hb_event *h;
    size_t    len;
    uint64_t  seq;
} hb_heap;

static inline int hb_before(const hb_event *x, const hb_event *y)
{
    return x->time != y->time ? x->time < y->time : x->seq < y->seq;
}

static void hb_push(hb_heap *q, hb_event ev)
{
    ev.seq = q->seq++;
    size_t i = q->len++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!hb_before(&ev, &q->h[p]))
            break;
        q->h[i] = q->h[p];
        i = p;
    }
    q->h[i] = ev;
}

static hb_event hb_pop(hb_heap *q)
{
    hb_event top = q->h[0], last = q->h[--q->len];
    size_t n = q->len, i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && hb_before(&q->h[c + 1], &q->h[c]))
            c++;
        if (!hb_before(&q->h[c], &last))
            break;
        q->h[i] = q->h[c];
        i = c;
    }
    if (n)
        q->h[i] = last;
    return top;
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t xoshiro(uint64_t s[4])
{
    uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
}

uint64_t fl_heap_baseline_run(fl_heap_workload w, size_t nodes, uint64_t events)
{
    if (nodes < 2)
        nodes = 2;
    /* As many events as the engine holds: the workload's, and the end of
     * the run (queued at the start, never reached). */
    size_t in_flight = (w == FL_HEAP_TIMERS ? nodes * 4 : nodes * (nodes - 1)) + 1;
    hb_heap q = { .h = malloc(in_flight * sizeof *q.h) };
    if (!q.h)
        return 0;
    uint64_t s[4] = { 0x9E3779B97F4A7C15u, 0xBF58476D1CE4E5B9u,
                      0x94D049BB133111EBu, 42 };
    hb_push(&q, (hb_event){ .time = INT64_MAX, .node = UINT32_MAX });
    for (size_t i = 0; i + 1 < in_flight; i++)
        hb_push(&q, (hb_event){ .time = (int64_t)(i % 97) * 1000,
                                .node = (uint32_t)(i % nodes),
                                .cookie = (uint32_t)(i % 4) });
    uint64_t sum = 0;
    for (uint64_t k = 0; k < events; k++) {
        hb_event ev = hb_pop(&q);
        sum += (uint64_t)ev.time ^ ev.node;
        if (w == FL_HEAP_TIMERS) {
            ev.time += 100000 + 37000 * (int64_t)ev.cookie;
        } else {
            uint64_t r = xoshiro(s);
            uint32_t to = (uint32_t)((r >> 32) % (nodes - 1));
            ev.node = to >= ev.node ? to + 1 : to;
            ev.time += 1000000 + (int64_t)((r & 0xffffffffu) % 1000001);
        }
        hb_push(&q, ev);
    }
    free(q.h);
    return sum;
}
