/* heap.c — the allocator policy of a long run (heap.h). */
#include "sim/util/heap.h"

#include <stdlib.h>             /* defines __GLIBC__ where it is glibc */
#ifdef __GLIBC__
#include <malloc.h>
#endif

void fl_heap_long_run(void)
{
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
    (void)mallopt(M_MMAP_THRESHOLD, 16 * 1024);
#endif
}
