/* student_global.c — a student who counts handled messages in a global
 * variable to print a progress line every 1000 messages. All nodes of a
 * plug-in share its globals, and the count also survives from one run to
 * the next in the same process, so the same seed gives a different trace
 * the second time: `faultline grade` reports it as nondeterministic. */
#include "tests/plugins/student_wrap.h"

static unsigned long handled;       /* the bug: shared, never reset */

static void global_on_message(fl_ctx *ctx, void *state, fl_node_id from,
                              const void *msg, size_t len)
{
    if (++handled % 1000 == 0)
        fl_log(ctx, "%lu messages handled", handled);
    ref_on_message(ctx, state, from, msg, len);
}

STUDENT_ALGORITHM(ref_init, ref_start, global_on_message, ref_validate);
