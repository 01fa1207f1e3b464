/* heap_baseline.h — the physical limit the engine is measured against: a
 * bare binary min-heap of (time, sequence) events with the same number in
 * flight as a faultline workload, and nothing else (no nodes, no messages,
 * no trace). `faultline bench` prints the engine's rate as a share of it;
 * bench/heap_baseline (heap_baseline_main.c) runs it on its own. */
#ifndef FL_HEAP_BASELINE_H
#define FL_HEAP_BASELINE_H

#include <stddef.h>
#include <stdint.h>

typedef enum fl_heap_workload {
    FL_HEAP_TIMERS,      /* `nodes` x 4 timers, each re-armed at a fixed delay */
    FL_HEAP_MESH         /* nodes x (nodes - 1) messages; each delivery sends
                            one to a random other node, 1-2 ms uniform latency */
} fl_heap_workload;

/* Pops and re-pushes `events` events; returns a checksum of the pops (so
 * the work cannot be optimized away). */
uint64_t fl_heap_baseline_run(fl_heap_workload w, size_t nodes, uint64_t events);

#endif
