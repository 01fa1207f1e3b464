/* student_memhog.c — a student who keeps a 1 MiB copy of every message
 * "for debugging" and never frees it: the resident size grows by about a
 * gigabyte per simulated second until the grader's memory limit kills the
 * run. */
#include <stdlib.h>
#include <string.h>

#include "tests/plugins/student_wrap.h"

#define DEBUG_COPY ((size_t)1 << 20)

static void hog_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                           const void *msg, size_t len)
{
    unsigned char *copy = malloc(DEBUG_COPY);       /* the bug: never freed */
    if (copy) {
        memset(copy, 0xab, DEBUG_COPY);
        memcpy(copy, msg, len < DEBUG_COPY ? len : DEBUG_COPY);
        __asm__ volatile("" : : "r"(copy) : "memory");   /* keep it */
    }
    ref_on_message(ctx, state, from, msg, len);
}

STUDENT_ALGORITHM(ref_init, ref_start, hog_on_message, ref_validate);
