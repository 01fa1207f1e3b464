/* heap.h — the allocator policy of a long run (util room: includes only the
 * C library). */
#ifndef FL_UTIL_HEAP_H
#define FL_UTIL_HEAP_H

/* A long run allocates and frees tables of tens of KiB for hours (the
 * invariants' maps, disk buffers, the checker's arenas); with glibc's
 * default, whose threshold for a block of its own grows to the largest
 * block ever freed, they all end up in the one heap, whose free holes then
 * grow with simulated time (bench --raft --memory: 1.3 MiB of holes after
 * a simulated hour). From this call on, blocks of 16 KiB and more get
 * pages of their own, given back when freed. Process-wide and idempotent;
 * `run` and `bench` call it first thing; `explore`, which runs many short
 * runs in each worker, does not: fresh pages for every block would cost
 * it time. Nothing without glibc. */
void fl_heap_long_run(void);

#endif
